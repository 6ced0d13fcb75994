/* mobj_dlgt.h - the delegate information object ([MS-OXODLGT] 2.2.2.2).
 *
 * The LocalFreebusy message (PR_FREEBUSY_ENTRYIDS[1]) lists the mailbox's
 * delegates in parallel multi-valued properties, item i of each naming
 * delegate i (mapi-binary-formats.md 4.3):
 *   PidTagScheduleInfoDelegateEntryIds  0x68451102  AB entry IDs (2.2.2.2.5)
 *   PidTagScheduleInfoDelegateNames     0x6844101E  display names, 8-bit
 *   PidTagScheduleInfoDelegateNamesW    0x684A101F  display names, Unicode
 *   PidTagDelegateFlags                 0x686B1003  1 = sees private items
 * and booleans for the delegator: WantsCopy 0x6842000B, DontMailDelegates
 * 0x6843000B, WantsInfo 0x684B000B (kept as they are).
 *
 * Works on the message's property values as the mailbox module reads them
 * (mapi_value, mbx_prop.h). Consistency: every present list has the same
 * count and every entry ID is an address-book ID of a person; anything else is
 * RP_EFORMAT naming the property and delegate (a delegate without an entry,
 * counts that disagree). The rewrite changes only the entry IDs (and the
 * names when the map gives a new one); the rest stays as stored. */
#ifndef MOBJ_DLGT_H
#define MOBJ_DLGT_H

#include "mapi/mapi_value.h"
#include "mobj/mobj_recip.h"
#include "mobj/mobj_rule.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MOBJ_DLGT_ENTRYIDS 0x68451102u
#define MOBJ_DLGT_NAMES 0x6844101Eu
#define MOBJ_DLGT_NAMES_W 0x684A101Fu
#define MOBJ_DLGT_FLAGS 0x686B1003u
#define MOBJ_DLGT_WANTS_COPY 0x6842000Bu
#define MOBJ_DLGT_DONT_MAIL 0x6843000Bu
#define MOBJ_DLGT_WANTS_INFO 0x684B000Bu
/* PidTagDelegateFlags bit (2.2.2.2.6). */
#define MOBJ_DLGT_SEE_PRIVATE 0x00000001u

typedef struct mobj_delegate {
	mobj_who who;   /* from the entry ID; name from NamesW, else Names */
	uint32_t flags; /* 0 when PidTagDelegateFlags is absent */
} mobj_delegate;

typedef struct mobj_dlgt {
	mobj_delegate *d;
	size_t n;
	int wants_copy; /* -1 absent, else 0/1 */
	int dont_mail;
	int wants_info;
} mobj_dlgt;

/* Reads the delegates from the message's values (other tags ignored). No
 * entry-ID list is zero delegates. *out freed with mobj_dlgt_free. */
int mobj_dlgt_decode(const mapi_value *v, size_t n, mobj_dlgt *out);
void mobj_dlgt_free(mobj_dlgt *d);

/* Points each delegate at the target through the recipient map: the entry
 * ID's DN, and both name lists when to->name is given. st (one per delegate,
 * may be NULL) gets REWRITTEN, UNCHANGED or UNMAPPABLE (not migrated: left as
 * it was). Fails like mobj_dlgt_decode on an inconsistent object, before
 * changing anything; an error of the map (other than RP_ENOTFOUND) stops it
 * with the delegates before it already rewritten: the caller then writes
 * nothing. */
int mobj_dlgt_rewrite(mapi_value *v, size_t n, mobj_recip_fn map, void *ctx, mobj_rw *st);

#endif
