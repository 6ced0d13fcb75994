/* mbx_folders.h - a logged-on mailbox and its folder hierarchy, read in as few
 * Execute requests as the ROP chain allows (docs/mailbox.md "Folders"):
 *   1. RopLogon                                   -> special folder IDs
 *   2. RopOpenFolder(root) + RopGetPropertiesSpecific(the special-folder
 *      entry IDs) + RopGetHierarchyTable(depth) + RopSetColumns +
 *      RopQueryRows, chained (packed) responses accepted
 *   3.. RopQueryRows on the same table only while rows are missing.
 * Strings are UTF-8; everything is owned by the structure holding it. */
#ifndef MBX_FOLDERS_H
#define MBX_FOLDERS_H

#include "mailbox/mbx_emsmdb.h"
#include "mailbox/mbx_rop.h"

#include <stddef.h>
#include <stdint.h>

typedef struct mbx_store {
	mbx_emsmdb *e;       /* not owned */
	uint32_t logon;      /* server handle of the logon object */
	unsigned generation; /* of the session when the logon was made */
	uint64_t fids[MBX_FID_COUNT];
	uint8_t mailbox_guid[16];
	unsigned executes; /* Execute requests this store made */
} mbx_store;

/* RopLogon to the private mailbox of essdn (the user's own, or another one
 * with Full Access) in one Execute. RP_EAUTH when the server refuses it
 * (ReturnValue named), other errors as mbx_emsmdb_execute. */
int mbx_store_logon(mbx_emsmdb *e, const char *essdn, mbx_store *out);

typedef struct mbx_folder {
	uint64_t fid, parent;
	char *name;
	/* Below the IPM subtree "Inbox/Projects"; other folders of the root
	 * "/Common Views"; the root itself "/". A '/' inside a name is written
	 * "\/" and a '\' "\\". */
	char *path;
	char *container_class; /* NULL when absent */
	uint8_t *entry_id;
	size_t entry_id_len;
	uint32_t content_count, assoc_count;
	int32_t depth;    /* 1 = child of the root */
	const char *role; /* "inbox", "calendar" ... (static), or NULL */
} mbx_folder;

/* Reads every folder below the root (including the root) with its role:
 * from the RopLogon folder IDs, and from the root's PidTagIpm*EntryId /
 * PidTagAdditionalRenEntryIds / PidTagRemindersOnlineEntryId properties.
 * *out in hierarchy order; free with mbx_folders_free. */
int mbx_folders_read(mbx_store *s, mbx_folder **out, size_t *n);
void mbx_folders_free(mbx_folder *f, size_t n);

typedef struct mbx_message {
	uint64_t mid;
	char *message_class; /* NULL when absent */
	char *subject;       /* NULL when absent */
	uint8_t *entry_id;
	size_t entry_id_len;
	uint32_t size;     /* PidTagMessageSize, 0 when absent */
	uint64_t modified; /* PidTagLastModificationTime (FILETIME), 0 when absent */
} mbx_message;

/* The associated (FAI) messages of folder fid, or its normal ones when
 * associated is false: RopOpenFolder + RopGetContentsTable + RopSetColumns +
 * RopQueryRows in one Execute, then RopQueryRows while rows are missing.
 * Free with mbx_messages_free. */
int mbx_folder_messages(mbx_store *s, uint64_t fid, bool associated, mbx_message **out,
			size_t *n);
void mbx_messages_free(mbx_message *m, size_t n);

/* The folder ID of a role the RopLogon answer names ("inbox",
 * "common_views" ...: no hierarchy read needed), or 0. */
uint64_t mbx_store_role_fid(const mbx_store *s, const char *role);

/* The folder named by path ("Inbox/Projects", case-insensitive) or by role
 * ("inbox", "calendar" ...), or NULL. */
const mbx_folder *mbx_folder_find(const mbx_folder *f, size_t n, const char *name);

#endif
