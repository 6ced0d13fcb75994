/* run_signin.h - the target sign-in check of update (docs/switch.md, "The
 * target sign-in check"): before the first write of a profile, connect to the
 * target mailbox over MAPI/HTTP (the MailStore URL of the target's
 * Autodiscover answer) with the run's target account and log on (RopLogon).
 * This is reprofile's form of the guide's temporary target profile: the same
 * question ("can the target mailbox be opened with these settings?") asked of
 * the server directly. Connect + one Execute per target mailbox, cached for
 * the run. The session stays open for the run, so the features read the
 * target mailbox through it (run_signin_session) without a second logon. */
#ifndef RUN_SIGNIN_H
#define RUN_SIGNIN_H

#include "features/features.h"
#include "mailbox/mbx_emsmdb.h"
#include "mailbox/mbx_folders.h"
#include "mailbox/mbx_http.h"
#include "run/run_creds.h"
#include "run/run_log.h"

typedef struct run_signin run_signin;

/* base: ca_file, user, password, connect_to, timeout_s, log (url ignored);
 * its strings are kept by reference and must outlive *out. creds (may be
 * NULL) gives the OAuth token of Microsoft 365 targets (run_creds_token),
 * sent instead of user/password. RP_ENOMEM. */
int run_signin_new(const mbx_http_opts *base, run_creds *creds, run_signin **out);
void run_signin_free(run_signin *s);

/* 0 = the target mailbox opened, or it cannot be checked (no mapiHttp
 * MailStore URL, a Microsoft 365 target without a token: an Info line says
 * so);
 * PROFILE_IS_UNABLE_OPEN_MAILBOX_STORE = it did not open (an Error line names
 * the profile, the URL and the server's reason). s NULL = no check (0). */
int run_signin_check(run_signin *s, run_log *log, const char *profile,
		     const feature_target *t);

/* The open session and logon of t's target mailbox (signing in now when
 * this run has not yet), borrowed until run_signin_free. RP_ENOTFOUND
 * (message: why) when it cannot be opened: no check configured (s NULL), no
 * MailStore URL, a Microsoft 365 target, or the sign-in failed (the check
 * then reports it for the profile); RP_ENOMEM. */
int run_signin_session(run_signin *s, run_log *log, const char *profile,
		       const feature_target *t, mbx_emsmdb **e, mbx_mailbox **mb);
/* The options the sessions are made with (target account, CA file,
 * CONNECT_TO entries, log). */
const mbx_http_opts *run_signin_opts(const run_signin *s);
/* Counts n more Execute requests sent on these sessions (the log's total). */
void run_signin_add_executes(run_signin *s, size_t n);

/* Execute requests sent so far (tests and the log's summary). */
size_t run_signin_executes(const run_signin *s);

#endif
