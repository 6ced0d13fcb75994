/* mobj_junk.h - the Junk E-mail rule ([MS-OXCSPAM] 2.2.4, 3.1.4.1;
 * mapi-binary-formats.md 4.5).
 *
 * An extended rule (FAI IPM.Rule.Version2.Message, PidTagRuleMessageProvider
 * "JunkEmailRule", name "Junk E-mail rule") whose actions are OP_MOVE to the
 * Junk E-mail folder and OP_TAG (PidNameExchangeJunkEmailMoveStamp), and
 * whose condition is a restriction made of clauses "that are essentially
 * lists of SMTP e-mail addresses and several categories of e-mail domains"
 * (blocked senders and domains, trusted senders, recipients, domains and
 * contacts; 2.2.4), plus a clause on PidTagContentFilterSpamConfidenceLevel.
 * MFCMAPI's sample (exrule-out2) shows each list as an OR of CONTENT
 * restrictions on an address property with a string value. Use mobj_rule.h
 * for the blobs; these helpers work on the decoded condition and actions. */
#ifndef MOBJ_JUNK_H
#define MOBJ_JUNK_H

#include "mailbox/mbx_restrict.h"
#include "mobj/mobj_rule.h"

#include <stddef.h>

#define MOBJ_JUNK_PROVIDER "JunkEmailRule"

/* Every address or domain of the lists (CONTENT/PROPERTY restrictions with a
 * string value directly inside an OR), as UTF-8 in tree order. *out is a
 * malloc'd array of malloc'd strings; free with mobj_junk_list_free. */
int mobj_junk_list(const mbx_res *cond, char ***out, size_t *n);
void mobj_junk_list_free(char **v, size_t n);

/* Empties the lists ("Reset Outlook junk e-mail options", the guide's
 * RemoveJunkEmailMessages=1): those list entries are removed, each OR stays
 * (empty: matches nothing), the other clauses (the SCL threshold) stay.
 * *removed (may be NULL) receives the number of entries removed. */
int mobj_junk_clear(mbx_res *cond, size_t *removed);

/* Points the rule's OP_MOVE at the target Junk E-mail folder through the
 * folder map (the OP_TAG is kept). RP_EFORMAT when a is not a junk rule's
 * actions (not extended, or no OP_MOVE). *st: the move's outcome. */
int mobj_junk_folder(mobj_actions *a, const mobj_map *map, mobj_rw *st);

#endif
