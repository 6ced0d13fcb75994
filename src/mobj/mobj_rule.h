/* mobj_rule.h - server rule actions and conditions ([MS-OXORULE] 2.2), and
 * their rewrite for a migrated mailbox.
 *
 * Standard rules (rules table, PidTagRuleActions PT_ACTIONS and
 * PidTagRuleCondition PT_SRESTRICT) and extended rules (FAI messages
 * IPM.Rule.Version2.Message, PidTagExtendedRuleMessageActions 0x0E99 and
 * ...Condition 0x0E9A, PT_BINARY) share one layout with wider counts in the
 * extended form (MS-OXORULE 2.2.4.1.9-10, 2.2.5; mapi-binary-formats.md 4.4):
 *
 *   RuleAction    NoOfActions (2 | ext 4), ActionBlocks
 *   ActionBlock   ActionLength (2 | ext 4) = bytes after it, ActionType (1),
 *                 ActionFlavor (4), ActionFlags (4), ActionData
 *   OP_MOVE/COPY  std: FolderInThisStore (1), StoreEIDSize (2), StoreEID,
 *                      FolderEIDSize (2), FolderEID (ServerEid when in store)
 *                 ext: StoreEIDSize (4), StoreEID, FolderEIDSize (4),
 *                      FolderEID (a Folder EntryID)
 *   OP_REPLY/OOF  std: ReplyTemplateFID (8), ReplyTemplateMID (8), GUID (16)
 *                 ext: MessageEIDSize (4), message EntryID, GUID (16)
 *   OP_FORWARD/   NoOfRecipients (2 | ext 4), RecipientBlocks: Reserved (1),
 *   OP_DELEGATE   NoOfProperties (2 | ext 4), TaggedPropertyValues. A
 *                 redirect is OP_FORWARD with flavor PRESERVE_SENDER |
 *                 DO_NOT_MUNGE_MSG (2.2.5.1.1), there is no OP_REDIRECT.
 *   OP_BOUNCE     BounceCode (4)
 *   OP_TAG        one TaggedPropertyValue
 *   OP_DELETE, OP_MARK_AS_READ: no data
 *   OP_DEFER_ACTION: client data, kept opaque
 * Extended blobs start with NamedPropertyInformation (2.2.4.2: NoOfNamedProps
 * (2), PropIds, NamedPropertiesSize (4), PropertyNames), kept as stored;
 * the actions then carry RuleVersion (4) = 1.
 * Property values use mbx_prop.h (wide = extended), conditions
 * mbx_restrict.h.
 *
 * Round trip: encode(decode(x)) == x. Lengths are recomputed on encode, so
 * a rewritten reference resizes its block. Decoders reject with RP_EFORMAT
 * naming the action and offset: an unknown action type, an ActionLength that
 * does not match its data, a count or size running past the end, bytes after
 * the last action. */
#ifndef MOBJ_RULE_H
#define MOBJ_RULE_H

#include "base/rp_buf.h"
#include "mailbox/mbx_restrict.h"
#include "mapi/mapi_value.h"
#include "mobj/mobj_recip.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ActionType (2.2.5.1). */
enum mobj_op {
	MOBJ_OP_MOVE = 0x01,
	MOBJ_OP_COPY = 0x02,
	MOBJ_OP_REPLY = 0x03,
	MOBJ_OP_OOF_REPLY = 0x04,
	MOBJ_OP_DEFER_ACTION = 0x05,
	MOBJ_OP_BOUNCE = 0x06,
	MOBJ_OP_FORWARD = 0x07,
	MOBJ_OP_DELEGATE = 0x08,
	MOBJ_OP_TAG = 0x09,
	MOBJ_OP_DELETE = 0x0A,
	MOBJ_OP_MARK_AS_READ = 0x0B
};

/* OP_FORWARD flavors (2.2.5.1.1). */
#define MOBJ_FWD_PRESERVE_SENDER 0x01u
#define MOBJ_FWD_DO_NOT_MUNGE_MSG 0x02u
#define MOBJ_FWD_AS_ATTACHMENT 0x04u
#define MOBJ_FWD_AS_SMS_ALERT 0x08u

/* Cap on action and recipient counts (a rule has a handful). */
#define MOBJ_RULE_MAX_COUNT 4096u

typedef struct mobj_recipient {
	uint8_t reserved;
	mapi_value *props;
	size_t nprops;
} mobj_recipient;

typedef struct mobj_action {
	uint8_t type; /* enum mobj_op */
	uint32_t flavor, flags;
	/* MOVE/COPY: store + folder; REPLY/OOF_REPLY ext: obj = message ID */
	uint8_t in_this_store; /* standard MOVE/COPY only */
	mapi_bin store;
	mapi_bin obj;
	/* REPLY/OOF_REPLY standard: template FID/MID as stored; both forms: GUID */
	uint64_t tmpl_fid, tmpl_mid;
	uint8_t tmpl_guid[16];
	/* FORWARD/DELEGATE */
	mobj_recipient *recips;
	size_t nrecips;
	uint32_t bounce;   /* BOUNCE */
	mapi_value tag;    /* TAG */
	mapi_bin deferred; /* DEFER_ACTION: the data as stored */
} mobj_action;

typedef struct mobj_actions {
	bool ext;
	mapi_bin npi;     /* ext: NamedPropertyInformation as stored */
	uint32_t version; /* ext: RuleVersion */
	mobj_action *a;
	size_t n;
} mobj_actions;

/* Decodes n bytes: a PT_ACTIONS value (ext false) or a
 * PidTagExtendedRuleMessageActions value (ext true). *out freed with
 * mobj_actions_free, also after an error. */
int mobj_actions_decode(mobj_actions *out, const uint8_t *p, size_t n, bool ext);
int mobj_actions_encode(const mobj_actions *a, rp_buf *out);
void mobj_actions_free(mobj_actions *a);
/* "OP_MOVE", ... */
const char *mobj_op_name(uint8_t type);

/* PidTagExtendedRuleMessageCondition: NamedPropertyInformation + a
 * restriction in extended widths. */
typedef struct mobj_xcond {
	mapi_bin npi;
	mbx_res res;
} mobj_xcond;

int mobj_xcond_decode(mobj_xcond *out, const uint8_t *p, size_t n);
int mobj_xcond_encode(const mobj_xcond *c, rp_buf *out);
void mobj_xcond_free(mobj_xcond *c);

/* A folder or reply-template reference handed to the folder map.
 * MOBJ_REF_FOLDER: a MOVE/COPY target; store is the store entry ID (empty
 * or ignored when in_this_store, 2.2.5.1.2.1), obj the folder entry ID or,
 * for a standard rule in the rule's own store, a 21-byte ServerEid
 * (MS-OXCDATA 2.2.4.3; mapi-binary-formats.md 1.3). MOBJ_REF_TEMPLATE: a
 * reply template; obj holds FID (8) + MID (8) as stored for a standard rule,
 * the message entry ID for an extended one. */
typedef enum mobj_ref_kind { MOBJ_REF_FOLDER, MOBJ_REF_TEMPLATE } mobj_ref_kind;
typedef struct mobj_ref {
	mobj_ref_kind kind;
	bool ext;
	uint8_t in_this_store;
	mapi_bin store;
	mapi_bin obj;
} mobj_ref;

/* The folder map: to is a copy of from (the callback owns nothing); the
 * callback replaces to's bins (free the old ones with free(), set malloc'd
 * ones) and in_this_store. RP_OK mapped (equal bytes mean unchanged),
 * RP_ENOTFOUND unmappable, other negative codes stop the rewrite. */
typedef int (*mobj_folder_fn)(void *ctx, const mobj_ref *from, mobj_ref *to);

typedef struct mobj_map {
	mobj_recip_fn recip; /* NULL: recipients are left unchanged */
	void *recip_ctx;
	mobj_folder_fn folder; /* NULL: folder and template refs left unchanged */
	void *folder_ctx;
} mobj_map;

/* Per action (or condition) outcome. */
typedef enum mobj_rw {
	MOBJ_RW_UNCHANGED = 0,
	MOBJ_RW_REWRITTEN,
	MOBJ_RW_UNMAPPABLE /* kept as it was: the caller keeps the rule disabled */
} mobj_rw;

/* Rewrites every recipient (entry ID, DN, SMTP, search key, display name,
 * consistently: mobj_recip.h) and every move/copy target and reply template
 * of a through map. An action with any unmappable reference is left exactly
 * as it was and reported UNMAPPABLE; st (a->n entries, may be NULL) gets each
 * action's outcome. Returns RP_OK, or the first error of a callback other
 * than RP_ENOTFOUND (a is then unchanged for that action). */
int mobj_actions_rewrite(mobj_actions *a, const mobj_map *map, mobj_rw *st);

/* Rewrites the people a condition names: the recipient properties of
 * COMMENT restrictions (Outlook's "from/sent to people" conditions), and
 * PROPERTY/CONTENT restrictions whose binary value is a search key
 * ("EX:"/"SMTP:" + upper-case address + NUL; the map then sees the address
 * in upper case, so it compares case-insensitively, as Exchange does) or a
 * person's entry ID. *st receives the outcome (UNMAPPABLE if any person is
 * not mapped: then r is unchanged). */
int mobj_cond_rewrite(mbx_res *r, const mobj_map *map, mobj_rw *st);

#endif
