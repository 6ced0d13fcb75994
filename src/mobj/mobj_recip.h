/* mobj_recip.h - who a recipient reference names, and pointing it at a
 * migrated recipient.
 *
 * Rules, delegates and distribution lists name people the same ways: an
 * entry ID (Exchange address-book ID with the legacyExchangeDN, one-off with
 * address type and address, or a WAB-wrapped one of these: MS-OXCDATA
 * 2.2.5, MS-OXOCNTC 2.2.2.2.4.1.1) and, in property lists (rule recipient
 * blocks, comment restrictions), the companions PR_EMAIL_ADDRESS,
 * PR_SEARCH_KEY ("EX:" or "SMTP:" + upper-case address + NUL, MicrosoftDocs
 * "One-Off Entry Identifiers"), PR_SMTP_ADDRESS and display names
 * (../shared/reference/mapi-binary-formats.md 7.4). This module reads them
 * and rewrites them consistently; every other byte stays as stored. Pure: no
 * I/O; the caller's recipient map decides where a person went. */
#ifndef MOBJ_RECIP_H
#define MOBJ_RECIP_H

#include "base/rp_buf.h"
#include "mapi/mapi_value.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum mobj_kind {
	MOBJ_WHO_OTHER = 0, /* nothing this module can map (contact, unknown) */
	MOBJ_WHO_EX,        /* Exchange recipient: dn is its legacyExchangeDN */
	MOBJ_WHO_SMTP       /* Internet recipient: smtp is its address */
} mobj_kind;

/* A person. Strings are malloc'd UTF-8 or NULL. */
typedef struct mobj_who {
	mobj_kind kind;
	char *dn;   /* EX: legacyExchangeDN */
	char *smtp; /* SMTP address (also for EX when known) */
	char *name; /* display name, when known */
} mobj_who;

void mobj_who_free(mobj_who *w);

/* The recipient map: from names a source person; the callback fills *to
 * (zeroed on entry; malloc'd strings the caller frees with mobj_who_free):
 * for an EX person to->dn is required, for an SMTP person to->smtp; to->name
 * and to->smtp are optional. Returns RP_OK (mapped), RP_ENOTFOUND (not
 * migrated: the reference is unmappable) or another negative code (stop). */
typedef int (*mobj_recip_fn)(void *ctx, const mobj_who *from, mobj_who *to);

/* Who an entry ID names (AB ID, one-off, WAB-wrapped AB ID or one-off).
 * Anything else is MOBJ_WHO_OTHER with RP_OK; RP_EFORMAT if it does not
 * decode. */
int mobj_eid_who(const uint8_t *p, size_t n, mobj_who *out);
/* Points an entry ID of kind from->kind at to: the AB ID's DN, or the
 * one-off's address (and its display name when that was the address, or
 * to->name when given); the rest of the ID is kept. The new ID is appended
 * to out. RP_EINVAL when the ID does not name from's kind or to lacks the
 * address that kind needs. */
int mobj_eid_rewrite(const uint8_t *p, size_t n, const mobj_who *from, const mobj_who *to,
		     rp_buf *out);

/* Who a property list names: from PR_ENTRYID when it decodes to a person,
 * else from PR_ADDRTYPE + PR_EMAIL_ADDRESS; smtp from PR_SMTP_ADDRESS when
 * present, name from PR_DISPLAY_NAME. */
int mobj_props_who(const mapi_value *v, size_t n, mobj_who *out);
/* Rewrites the list for from -> to: entry IDs (PR_ENTRYID, PR_RECORD_KEY of
 * a one-off, PR_RECIPIENT_ENTRYID) naming from, PR_EMAIL_ADDRESS equal to the
 * old address, an "EX:"/"SMTP:" PR_SEARCH_KEY, PR_SMTP_ADDRESS (when to->smtp
 * is known) and display names (PR_DISPLAY_NAME, PR_TRANSMITABLE_DISPLAY_NAME,
 * PR_7BIT_DISPLAY_NAME) equal to the old address or, when to->name is given,
 * the old name. String properties keep their type (PT_UNICODE/PT_STRING8).
 * *changed (may be NULL) receives the number of properties changed. */
int mobj_props_rewrite(mapi_value *v, size_t n, const mobj_who *from, const mobj_who *to,
		       size_t *changed);

/* "EX:" / "SMTP:" + upper-case address + NUL, the search key of a person
 * (appended to out). */
int mobj_search_key(mobj_kind kind, const char *addr, rp_buf *out);

#endif
