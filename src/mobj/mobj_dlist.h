/* mobj_dlist.h - personal distribution list members and contact e-mail
 * entries ([MS-OXOCNTC] 2.2.1.2, 2.2.2.2; [MS-OXOABK] for the address-book
 * IDs they wrap).
 *
 * A distribution list (IPM.DistList) keeps its members in two parallel
 * PtypMultipleBinary named properties of PSETID_Address and a checksum:
 *   PidLidDistributionListMembers        LID 0x8055  WrappedEntryId per member
 *                                        (MS-OXOCNTC 2.2.2.2.4.1.1: type byte,
 *                                        low nibble 0 one-off, 3 contact,
 *                                        4 PDL, 5 GAL user, 6 GAL DL) or a
 *                                        one-off entry ID
 *   PidLidDistributionListOneOffMembers  LID 0x8054  one-off ID per member
 *   PidLidDistributionListChecksum       LID 0x804C  CRC-32 of the members
 *                                        value (MS-OXPROPS 2.95, "as specified
 *                                        in [ISO/IEC8802-3]")
 * The CRC runs over the members' bytes, one after the other (no counts), as
 * evolution-mapi computes it (e-mapi-utils.c e_mapi_utils_push_crc32). That
 * implementation starts from 0 without the final inversion, where ISO 8802-3
 * starts from ~0 and inverts; both are accepted on input and the form the
 * stored value matched is kept when it is recomputed (ISO when it matched
 * neither). The value lists are the caller's (tags resolved from the LIDs).
 *
 * A contact has three e-mail slots (MS-OXOCNTC 2.2.1.2): display name,
 * address type, address, original display name and original entry ID
 * (PidLidEmail1DisplayName 0x8080, ...AddressType 0x8082, ...EmailAddress
 * 0x8083, ...OriginalDisplayName 0x8084, ...OriginalEntryId 0x8085; slot 2
 * at 0x8090, slot 3 at 0x80A0). */
#ifndef MOBJ_DLIST_H
#define MOBJ_DLIST_H

#include "mapi/mapi_value.h"
#include "mobj/mobj_recip.h"
#include "mobj/mobj_rule.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MOBJ_LID_DL_MEMBERS 0x8055u
#define MOBJ_LID_DL_ONEOFF_MEMBERS 0x8054u
#define MOBJ_LID_DL_CHECKSUM 0x804Cu

typedef enum mobj_crc {
	MOBJ_CRC_ABSENT = 0,
	MOBJ_CRC_OK_ISO,  /* matches ISO 8802-3 CRC-32 */
	MOBJ_CRC_OK_ZERO, /* matches the init-0, no-inversion form */
	MOBJ_CRC_MISMATCH
} mobj_crc;

/* CRC-32 of the members' bytes in both forms. */
void mobj_dlist_crc(const mapi_value *members, uint32_t *iso, uint32_t *zero);

typedef struct mobj_dlist {
	mobj_who *who; /* per member: from the member ID, else the one-off */
	size_t n;
	mobj_crc crc;
} mobj_dlist;

/* Reads a list. members is required (PT_MV_BINARY); oneoffs and checksum may
 * be NULL. RP_EFORMAT (naming the property and member) when the one-off list
 * has another count, a member is empty or an ID does not decode. A checksum
 * that does not match is not an error: out->crc says MISMATCH and the caller
 * reports it. */
int mobj_dlist_decode(const mapi_value *members, const mapi_value *oneoffs,
		      const mapi_value *checksum, mobj_dlist *out);
void mobj_dlist_free(mobj_dlist *d);

/* Points every member the map knows at its target in both lists (the
 * wrapped AB ID's DN or the one-off's address), then recomputes the
 * checksum (when present) over the new members value. st (one per member,
 * may be NULL): REWRITTEN, UNCHANGED (contacts, other lists, unknown IDs) or
 * UNMAPPABLE (not migrated: kept). *crc_in (may be NULL) receives the
 * checksum's state on input. */
int mobj_dlist_rewrite(mapi_value *members, mapi_value *oneoffs, mapi_value *checksum,
		       mobj_recip_fn map, void *ctx, mobj_rw *st, mobj_crc *crc_in);

/* One e-mail slot of a contact; any pointer may be NULL (absent). */
typedef struct mobj_email {
	mapi_value *display;      /* PidLidEmailNDisplayName */
	mapi_value *addrtype;     /* PidLidEmailNAddressType */
	mapi_value *address;      /* PidLidEmailNEmailAddress */
	mapi_value *orig_display; /* PidLidEmailNOriginalDisplayName */
	mapi_value *orig_eid;     /* PidLidEmailNOriginalEntryId */
} mobj_email;

/* Rewrites a slot naming a person the map knows: the original entry ID, the
 * address when it is the old one, and the old address where it appears in
 * the display names ("Alice (alice@fabrikam.example)"). *st receives the
 * outcome. A slot naming nobody this module understands is UNCHANGED. */
int mobj_email_rewrite(mobj_email *e, mobj_recip_fn map, void *ctx, mobj_rw *st);

#endif
