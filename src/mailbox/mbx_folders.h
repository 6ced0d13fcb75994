/* mbx_folders.h - the folder hierarchy of a mailbox, and the folder map of a
 * source and a target mailbox. Pure functions over a "send a ROP buffer"
 * callback: the transport (mbx_emsmdb) is plugged in by the caller, so the
 * round trips are the only cost and are counted.
 *
 * Round trips (docs/mailbox.md, "ROP layer"): mbx_mailbox_logon is one
 * Execute (RopLogon); mbx_folders_read is one Execute for a mailbox whose
 * hierarchy fits one response: OpenFolder(root) + GetPropertiesSpecific
 * (the role entry IDs on the root) + OpenFolder(Inbox) +
 * GetPropertiesSpecific (the same on the Inbox) + GetHierarchyTable(Depth,
 * Unicode) + SetColumns + QueryRows chained in one ROP buffer, then one more
 * QueryRows per further page of rows. */
#ifndef MBX_FOLDERS_H
#define MBX_FOLDERS_H

#include "base/rp_buf.h"
#include "mailbox/mbx_rop.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sends one ROP input buffer (RopSize + ROPs + handle table) in an Execute
 * and puts the ROP output buffer of the answer in resp (appended; the
 * caller empties it first). A failure returns the error with its message. */
typedef int (*mbx_send_fn)(void *ctx, const uint8_t *req, size_t n, rp_buf *resp);

/* Special-folder roles. The first 13 are RopLogon's FolderIds in order
 * (MBX_FID_*); the rest come from entry IDs on the root and the Inbox
 * (MS-OXOSFLD 2.2: PidTagIpm*EntryId, PidTagAdditionalRenEntryIds). */
enum mbx_role {
	MBX_ROLE_NONE = -1,
	MBX_ROLE_CALENDAR = MBX_FID_COUNT,
	MBX_ROLE_CONTACTS,
	MBX_ROLE_JOURNAL,
	MBX_ROLE_NOTES,
	MBX_ROLE_TASKS,
	MBX_ROLE_REMINDERS,
	MBX_ROLE_DRAFTS,
	MBX_ROLE_CONFLICTS,
	MBX_ROLE_SYNC_ISSUES,
	MBX_ROLE_LOCAL_FAILURES,
	MBX_ROLE_SERVER_FAILURES,
	MBX_ROLE_JUNK,
	MBX_ROLE_COUNT
};
/* "inbox", "calendar", ... (the names of the test fixtures), or NULL. */
const char *mbx_role_name(int role);
int mbx_role_by_name(const char *name);

typedef struct mbx_folder {
	uint64_t fid;
	uint64_t parent_fid; /* 0 for the root */
	char *name;          /* UTF-8 */
	/* Under the IPM subtree: the path from it ("Inbox/Projects"; "" for the
	 * subtree itself); elsewhere the path from the root ("Common Views").
	 * A '/' or '\' inside a name is written "\/" or "\\". */
	char *path;
	bool ipm;
	char *container_class; /* NULL when absent */
	int role;              /* enum mbx_role */
	uint8_t *eid;          /* PidTagEntryId */
	size_t neid;
	uint8_t ltid[24]; /* from the entry ID (MS-OXCDATA 2.2.4.1) */
	bool has_ltid;
	uint32_t count, assoc_count;
} mbx_folder;

typedef struct mbx_mailbox {
	/* Filled by mbx_mailbox_logon. */
	uint8_t logon_id;
	uint32_t logon_handle;
	uint64_t fids[MBX_FID_COUNT];
	uint8_t mailbox_guid[16];
	uint8_t response_flags;
	/* Filled by mbx_folders_read: the root is not listed (it is no folder a
	 * user sees); folders in the order of the hierarchy table. */
	mbx_folder *f;
	size_t n;
	size_t executes; /* Execute requests sent so far */
} mbx_mailbox;

/* RopLogon on a private mailbox: essdn is its legacyExchangeDN (the user's
 * own, or another user's with Full Access); one Execute. A refused logon is
 * RP_EAUTH (ecLoginPerm, ecLoginFailure, ecAccessDenied, ecUnknownUser) or
 * RP_ENET, with the ReturnValue in the message. */
int mbx_mailbox_logon(mbx_send_fn send, void *ctx, const char *essdn, mbx_mailbox *mb);
/* Reads the whole hierarchy with roles, entry IDs and long-term IDs. */
int mbx_folders_read(mbx_send_fn send, void *ctx, mbx_mailbox *mb);
void mbx_mailbox_free(mbx_mailbox *mb);
/* The folder with this role / path (as mbx_folder.path, case-insensitive,
 * under the IPM subtree) / entry ID, or NULL. */
const mbx_folder *mbx_folder_by_role(const mbx_mailbox *mb, int role);
const mbx_folder *mbx_folder_by_path(const mbx_mailbox *mb, const char *path);
const mbx_folder *mbx_folder_by_eid(const mbx_mailbox *mb, const uint8_t *eid, size_t n);

/* ---- the folder map ---- */

typedef struct mbx_folder_pair {
	const mbx_folder *src, *dst;
	bool by_role; /* matched by role, else by path */
} mbx_folder_pair;

typedef struct mbx_folder_map {
	mbx_folder_pair *pairs; /* one per source folder, in source order */
	size_t n;
	size_t unmatched; /* source folders without a target (dst NULL) */
} mbx_folder_map;

/* Every folder of src matched to dst: by role first (a folder with a role
 * matches the target folder with the same role, whatever their names), then
 * by path (case-insensitive) among target folders no role match took, with
 * the parent path rewritten to the target's names (so "Posteingang/Projekte"
 * under a matched Inbox becomes "Inbox/Projekte"). Pure: no I/O. The map
 * points into src and dst, which must outlive it. */
int mbx_folder_map_build(const mbx_mailbox *src, const mbx_mailbox *dst,
			 mbx_folder_map *out);
void mbx_folder_map_free(mbx_folder_map *m);
/* The pair whose source folder has this entry ID / long-term ID, or NULL. */
const mbx_folder_pair *mbx_folder_map_by_eid(const mbx_folder_map *m, const uint8_t *eid,
					     size_t n);
const mbx_folder_pair *mbx_folder_map_by_ltid(const mbx_folder_map *m,
					      const uint8_t ltid[24]);

#endif
