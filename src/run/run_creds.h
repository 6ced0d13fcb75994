/* run_creds.h - the accounts a run uses for Autodiscover, and the target
 * resolver built with them (docs/authentication.md).
 *
 *   source  Admin / Password (Password decrypted with cfg_secret.h), or the
 *           account typed at the AskCredentials=1 prompt
 *   target  AdminTrg / PasswordTrg; without them the source account (trusted
 *           domains); AskSourceCredentialsOnly=1 = the source account; with
 *           AskCredentials=1 a 401 from the target asks for a target account
 *           once ("If the specified credentials do not allow logon to the
 *           target server, the utility prompts for target server credentials")
 *   Microsoft 365 targets (switch-list target_kind o365, a target marked
 *           with run_creds_mark_o365: one SwitchSources=autodiscover found, or
 *           whose Autodiscover answered 401 with a Bearer challenge; never
 *           decided by the login's shape): an OAuth 2.0 device-code sign-in against
 *           AuthorityURL for ResourceURL, once per run, the token kept in
 *           memory and sent as "Authorization: Bearer".
 * No account at all = the current user (Negotiate with the Kerberos ticket
 * natively; Negotiate/NTLM through SSPI on Windows). Prompts only when io->may_prompt (a
 * terminal and Silent=0); the device-code sign-in only when Silent=0. */
#ifndef RUN_CREDS_H
#define RUN_CREDS_H

#include "config/cfg_settings.h"
#include "config/cfg_switchlist.h"
#include "discover/adisc.h"
#include "run/run_log.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct run_creds run_creds;

typedef struct run_creds_io {
	int in_fd;       /* answers are read here (0 = standard input) */
	bool may_prompt; /* in_fd is a terminal and Silent=0 */
} run_creds_io;

/* Decrypts the configured passwords and, with AskCredentials=1, prompts for
 * the source account. st, log must outlive *out. Errors (message set, one
 * line naming the INI key; the caller logs it as [Error] and stops):
 *   RP_EAUTH   a protected password does not decrypt here, or AskCredentials=1
 *              cannot prompt (Silent=1 or no terminal) and no account is
 *              configured
 *   RP_EFORMAT a password value is not a reprofile protected value
 *   RP_ENOTFOUND / RP_EIO  the prompt got no answer */
int run_creds_new(const cfg_settings *st, run_log *log, const run_creds_io *io,
		  run_creds **out);
void run_creds_free(run_creds *c);

/* Sets no->user, no->password (NULL = current user) for the source or the
 * target side, and no->ca_file from CAFile= (when not already set). The
 * strings belong to c. */
void run_creds_net_opts(const run_creds *c, bool target, adisc_net_opts *no);

/* The target-side network resolver: base carries manual_url, side, log,
 * connect_to... (kept by reference: they must outlive the resolver); accounts, the CA
 * file and OAuth come from c, which must outlive the resolver; sl (may be NULL) tells
 * which targets are Microsoft 365. NULL with the message set on RP_ENOMEM or a bad URL.
 * Lookups behave as adisc_lookup; an OAuth failure is RP_EAUTH (or RP_ENET) with the
 * reason, and is not retried within the run. */
adisc_resolver *run_creds_target_resolver(run_creds *c, const cfg_switchlist *sl,
					  const adisc_net_opts *base);

/* The OAuth access token for the Microsoft 365 target address (the one the
 * target lookup signed in with; signs in now when none was asked yet), for
 * MAPI/HTTP's "Authorization: Bearer". *token belongs to c. RP_EAUTH (with
 * the reason) when the sign-in failed or Silent=1 forbids it. */
int run_creds_token(run_creds *c, const char *address, const char **token);

/* Marks address as a Microsoft 365 target found outside the switch list (a
 * SwitchSources=autodiscover redirect to a MicrosoftOnline=True or
 * *.onmicrosoft.com mailbox, or a target whose Autodiscover asked for a
 * Bearer token): the target resolver signs in with OAuth for it
 * as for a switch-list o365 row. c NULL = no network accounts: nothing to do.
 * The address is copied. RP_ENOMEM (message set). */
int run_creds_mark_o365(run_creds *c, const char *address);

#endif
