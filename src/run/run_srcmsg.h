/* run_srcmsg.h - SwitchSources=message: the switch message read from the
 * SOURCE mailbox (docs/switch-message.md) with the run's source account.
 *
 * Connect as the source mailbox's legacyExchangeDN (the profile's account:
 * in the guide's logon script the user's own, docs/decisions.md), RopLogon,
 * then mbx_swm_read: the mailbox is only read (no create flag on the named
 * properties, no message opened for writing). One session per source
 * mailbox and run; the answer is kept for the run, so a bulk run with many
 * profiles of one mailbox asks the server once. */
#ifndef RUN_SRCMSG_H
#define RUN_SRCMSG_H

#include "mailbox/mbx_http.h"
#include "mailbox/mbx_switchmsg.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct run_srcmsg run_srcmsg;

/* base: ca_file, user, password, connect_to, timeout_s, log (url ignored);
 * its strings are kept by reference and must outlive *out. RP_ENOMEM. */
int run_srcmsg_new(const mbx_http_opts *base, run_srcmsg **out);
void run_srcmsg_free(run_srcmsg *s);

/* Reads the switch message of the mailbox dn at the MailStore url.
 *   RP_OK        *out filled (free with mbx_swm_free), *recreate says
 *                whether a valid recreate message is there too
 *   RP_ENOTFOUND the mailbox opened and holds no switch message
 *   RP_EFORMAT   a malformed switch message (or two); message names the
 *                property
 *   other        the mailbox could not be opened (network, sign-in, logon
 *                refused); message set
 * *out is zeroed first on every path. */
int run_srcmsg_read(run_srcmsg *s, const char *url, const char *dn, mbx_swm *out,
		    bool *recreate);

/* Execute requests sent so far (tests and the log's summary). */
size_t run_srcmsg_executes(const run_srcmsg *s);

#endif
