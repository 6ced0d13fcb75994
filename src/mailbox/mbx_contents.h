/* mbx_contents.h - the messages of a folder's contents table (normal or
 * associated) and a folder's properties, over the same "send a ROP buffer" callback as
 * mbx_folders.h: RopOpenFolder + RopGetContentsTable + RopSetColumns + RopQueryRows in
 * one Execute, then one RopQueryRows per Execute while rows are missing. */
#ifndef MBX_CONTENTS_H
#define MBX_CONTENTS_H

#include "mailbox/mbx_folders.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mbx_message {
	uint64_t mid;
	char *message_class; /* UTF-8, NULL when absent */
	char *subject;       /* UTF-8, NULL when absent */
	uint8_t *entry_id;
	size_t entry_id_len;
	uint32_t size;     /* PidTagMessageSize, 0 when absent */
	uint64_t modified; /* PidTagLastModificationTime (FILETIME), 0 when absent */
} mbx_message;

/* The messages of folder fid (associated: the FAI table) of a logged-on
 * mailbox (mbx_mailbox_logon). *out is freed with mbx_messages_free.
 * RP_ENOTFOUND when the folder does not exist; RP_ENET for another
 * ReturnValue (named); errors of send. mb->executes counts the requests. */
int mbx_folder_messages(mbx_send_fn send, void *ctx, mbx_mailbox *mb, uint64_t fid,
			bool associated, mbx_message **out, size_t *n);
void mbx_messages_free(mbx_message *m, size_t n);

/* Every property of folder fid (RopOpenFolder + RopGetPropertiesAll, one
 * Execute, strings as UTF-16). *v is freed with mbx_props_free (mbx_prop.h).
 * Errors as mbx_folder_messages. */
int mbx_folder_props(mbx_send_fn send, void *ctx, mbx_mailbox *mb, uint64_t fid,
		     mapi_value **v, size_t *n);

#endif
