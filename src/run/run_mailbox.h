/* run_mailbox.h - the mailboxes the features read (docs/features.md, "The
 * mailbox"): for a profile whose features need them, the source mailbox
 * (read-only, with the run's source account, at the MAPI/HTTP MailStore URL
 * the profile names) and the target mailbox (through the sign-in check's
 * session, run_signin.h: no second logon), each hierarchy read once, and the
 * folder map between them, all cached for the run. Nothing here writes to a
 * mailbox. */
#ifndef RUN_MAILBOX_H
#define RUN_MAILBOX_H

#include "features/features.h"
#include "mailbox/mbx_http.h"
#include "profile/profile.h"
#include "run/run_log.h"
#include "run/run_signin.h"

typedef struct run_mailbox run_mailbox;

/* signin: the target sessions (kept by reference); source: the source
 * account's options (ca_file, user, password, connect_to, log; url ignored),
 * kept by reference: they must outlive *out. RP_ENOMEM. */
int run_mailbox_new(run_signin *signin, const mbx_http_opts *source, run_mailbox **out);
void run_mailbox_free(run_mailbox *m);

/* What one profile's planners ask for: the feature_mailbox_fn context. */
typedef struct run_mailbox_req {
	run_mailbox *m; /* NULL: no mailbox access in this run */
	run_log *log;
	const char *profile;       /* for the log */
	const profile_exchange *x; /* the source account (URL, DN, SMTP) */
	const feature_target *t;   /* the target mailbox */
} run_mailbox_req;

/* feature_mailbox_fn over a run_mailbox_req: opens the target (error when it
 * cannot be opened) and the source (when it cannot, the view has no source,
 * and an Info line says why), reads both hierarchies and builds the map, the
 * first time a pair is asked for; later calls answer from the cache. One
 * TraceW line counts the Execute requests. */
int run_mailbox_view(void *req, const feature_mailbox **out);

/* Execute requests the features' mailbox reads sent in this run. */
size_t run_mailbox_executes(const run_mailbox *m);

#endif
