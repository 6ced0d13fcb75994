/* mbx_switchmsg.h - reprofile's switch message and recreate message: the
 * property lists a migration writes into the source mailbox and the check of
 * what update reads back. Pure: no I/O (the ROP sequence that carries them is
 * in docs/switch-message.md).
 *
 * Both are associated (FAI) messages in the source mailbox's Inbox (the
 * folder GetReceiveFolder("IPM") names): hidden from the user's views,
 * readable and writable with Full Access, and found in every mailbox whatever
 * its language. Their named properties are in the reprofile property set
 * MBX_SWM_PSETID ({374A47F5-1E92-44DF-8162-E8A1BCDCB5D3}, generated once for
 * reprofile), by LID (MBX_SWM_LID_*). */
#ifndef MBX_SWITCHMSG_H
#define MBX_SWITCHMSG_H

#include "mailbox/mbx_prop.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MBX_SWM_CLASS "IPM.Note.Reprofile.SwitchMessage"
#define MBX_SWM_RECREATE_CLASS "IPM.Note.Reprofile.RecreateMessage"
/* The format version this build writes and the newest it reads. */
#define MBX_SWM_VERSION 1

/* The property set's GUID in wire order (MS-OXCDATA 2.5.1, little-endian
 * first three fields). */
extern const uint8_t mbx_swm_psetid[16];

/* The named properties, in the order of every ids[] array below. */
enum mbx_swm_prop {
	MBX_SWM_P_VERSION = 0, /* PT_LONG, LID 0x0001 */
	MBX_SWM_P_TARGET_DN,   /* PT_UNICODE, LID 0x0002: target legacyExchangeDN */
	MBX_SWM_P_TARGET_SMTP, /* PT_UNICODE, LID 0x0003 */
	MBX_SWM_P_O365,        /* PT_BOOLEAN, LID 0x0004: target is Microsoft 365 */
	MBX_SWM_NPROPS
};

/* The switch message's content. Strings are UTF-8, malloc'd by parse. */
typedef struct mbx_swm {
	int32_t version;
	char *target_dn;
	char *target_smtp;
	bool o365;
} mbx_swm;

/* The PropertyName of each named property (for GetPropertyIdsFromNames
 * with create set); nothing to free. */
void mbx_swm_names(mbx_propname out[MBX_SWM_NPROPS]);

/* Checks of the two addresses (also used on the command line): RP_EINVAL
 * with one line naming the property. A legacyExchangeDN starts with "/o=",
 * has a "/cn=" part, at most 1024 characters, no control characters; an SMTP
 * address is local@domain with a dotted domain, no spaces or controls. */
int mbx_swm_check_dn(const char *dn);
int mbx_swm_check_smtp(const char *smtp);

/* The property list for SetProperties on a new or reopened switch message:
 * PR_MESSAGE_CLASS_W, PR_SUBJECT_W and the four named properties with the
 * ids the server returned (ids[] in MBX_SWM_P_* order). m is checked first
 * (RP_EINVAL naming the property). *out is malloc'd: mbx_props_free. */
int mbx_swm_build(const mbx_swm *m, const uint16_t ids[MBX_SWM_NPROPS], mapi_value **out,
		  size_t *n);
/* The same for the recreate message: class, subject and version only. */
int mbx_swm_build_recreate(const uint16_t ids[MBX_SWM_NPROPS], mapi_value **out,
			   size_t *n);

/* The columns to read a message with (GetPropertiesSpecific): class then
 * the four named ones, all PT_UNSPECIFIED so a wrong type comes back typed
 * and is reported rather than hidden. */
#define MBX_SWM_NCOLS (1 + MBX_SWM_NPROPS)
void mbx_swm_columns(const uint16_t ids[MBX_SWM_NPROPS], uint32_t cols[MBX_SWM_NCOLS]);

/* Validates a switch message read over mbx_swm_columns. RP_EFORMAT with one
 * line naming the property (missing, wrong type, empty, bad DN/SMTP, a
 * version newer than MBX_SWM_VERSION or below 1, a different class).
 * On success *out holds copies; free with mbx_swm_free (also after errors). */
int mbx_swm_parse(const mbx_row *row, const uint16_t ids[MBX_SWM_NPROPS], mbx_swm *out);
/* The same for the recreate message (class and version). */
int mbx_swm_parse_recreate(const mbx_row *row, const uint16_t ids[MBX_SWM_NPROPS]);
void mbx_swm_free(mbx_swm *m);

/* Name of a property for messages ("ReprofileTargetDN"), MBX_SWM_P_*. */
const char *mbx_swm_prop_name(int p);

/* ---- In a mailbox (mbx_switchmsg_io.c), over a logged-on mailbox
 * (mbx_mailbox_logon: the source mailbox, Full Access). ---- */
#include "mailbox/mbx_folders.h"

/* Writes the switch message (m) or, m NULL, the recreate message into the
 * Inbox's associated contents, updating the one already there (so a rerun
 * never adds a second). Two Execute requests: GetPropertyIdsFromNames (create)
 * + OpenFolder + GetContentsTable + Restrict + SetColumns + QueryRows, then
 * CreateMessage or OpenMessage + SetProperties + SaveChangesMessage.
 * m is checked before anything is sent (RP_EINVAL). *created says whether a
 * new message was made. */
int mbx_swm_write(mbx_send_fn send, void *ctx, mbx_mailbox *mb, const mbx_swm *m,
		  bool *created);

/* Reads both messages. RP_ENOTFOUND: no switch message (recreate still
 * set when that one is there). RP_EFORMAT: a malformed one, or two switch
 * messages. Two Execute requests (one when neither message exists). */
int mbx_swm_read(mbx_send_fn send, void *ctx, mbx_mailbox *mb, mbx_swm *out,
		 bool *recreate);

#endif
