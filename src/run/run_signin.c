/* run_signin.c - the target sign-in check (run_signin.h). */
#include "run/run_signin.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_codes.h"
#include "mailbox/mbx_emsmdb.h"
#include "mailbox/mbx_folders.h"

#include <stdlib.h>
#include <string.h>

/* One answer per target mailbox and run: a bulk run switching many profiles
 * to one mailbox (shared PCs) asks the server once. */
struct seen {
	char *url, *dn;
	int status;
	char *reason; /* the failure, for the log of later profiles */
};

struct run_signin {
	mbx_http_opts base;
	run_creds *creds;
	struct seen *seen;
	size_t n;
	size_t executes;
};

int run_signin_new(const mbx_http_opts *base, run_creds *creds, run_signin **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return rp_error_set(RP_ENOMEM, "out of memory");
	(*out)->base = *base;
	(*out)->creds = creds;
	return RP_OK;
}

void run_signin_free(run_signin *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->seen[i].url);
		free(s->seen[i].dn);
		free(s->seen[i].reason);
	}
	free(s->seen);
	free(s);
}

size_t run_signin_executes(const run_signin *s)
{
	return s ? s->executes : 0;
}

/* Connect as dn and RopLogon to its mailbox: one Execute. bearer: a
 * Microsoft 365 token instead of the account. */
static int open_target(run_signin *s, const char *url, const char *dn, const char *bearer)
{
	mbx_http_opts ho = s->base;
	mbx_connect_req rq = {dn, 0, 0, 0};
	mbx_emsmdb *e = NULL;
	mbx_mailbox mb;
	int rc;
	memset(&mb, 0, sizeof(mb));
	ho.url = url;
	if (bearer) {
		ho.bearer = bearer;
		ho.user = ho.password = NULL;
	}
	rc = mbx_emsmdb_new(&ho, &e);
	if (!rc)
		rc = mbx_emsmdb_connect(e, &rq);
	if (!rc)
		rc = mbx_mailbox_logon(mbx_emsmdb_send, e, dn, &mb);
	s->executes += mb.executes;
	mbx_mailbox_free(&mb);
	mbx_emsmdb_free(e); /* Disconnect */
	return rc;
}

int run_signin_check(run_signin *s, run_log *log, const char *profile,
		     const feature_target *t)
{
	struct seen *n, *hit = NULL;
	/* Internal first, as the MAPI/HTTP client of `reprofile mailbox`. */
	const char *url =
	    t->mapi_store_internal ? t->mapi_store_internal : t->mapi_store_external;
	const char *bearer = NULL;
	int rc;
	if (!s)
		return 0;
	if (!url || !t->legacy_dn) {
		run_log_line(log, "Info",
			     "Profile '%s': the target mailbox '%s' was not checked "
			     "(its Autodiscover answer has no mapiHttp MailStore URL)",
			     profile, t->smtp);
		return 0;
	}
	/* Microsoft 365: the token of the run's OAuth sign-in (resource
	 * ResourceURL), as the target's Autodiscover got it. */
	if (t->o365 && (!s->creds || run_creds_token(s->creds, t->smtp, &bearer) < 0)) {
		run_log_line(
		    log, "Info",
		    "Profile '%s': the Microsoft 365 target mailbox '%s' was not "
		    "checked (no Microsoft 365 sign-in%s%s)",
		    profile, t->smtp, s->creds ? ": " : "",
		    s->creds ? rp_error_msg() : "");
		rp_error_clear();
		return 0;
	}
	for (size_t i = 0; i < s->n && !hit; i++)
		if (strcmp(s->seen[i].url, url) == 0 &&
		    rp_ascii_casecmp(s->seen[i].dn, t->legacy_dn) == 0)
			hit = &s->seen[i];
	if (!hit) {
		if (!(n = realloc(s->seen, (s->n + 1) * sizeof(*n))))
			return PROFILE_IS_UNABLE_OPEN_MAILBOX_STORE;
		s->seen = n;
		hit = &s->seen[s->n];
		memset(hit, 0, sizeof(*hit));
		rc = open_target(s, url, t->legacy_dn, bearer);
		/* No answer at all (name, route, TLS): the server cannot be asked
		 * from here, which says nothing of the run's settings; the switch
		 * goes on (docs/decisions.md). */
		if (rc == RP_ENET) {
			run_log_line(
			    log, "Warning",
			    "Profile '%s': the target mailbox '%s' was not checked: "
			    "%s",
			    profile, t->smtp, rp_error_msg());
			rc = RP_OK;
		}
		hit->status = rc ? PROFILE_IS_UNABLE_OPEN_MAILBOX_STORE : 0;
		if (rc)
			hit->reason = rp_strdup(rp_error_msg());
		hit->url = rp_strdup(url);
		hit->dn = rp_strdup(t->legacy_dn);
		if (!hit->url || !hit->dn) {
			free(hit->url);
			free(hit->dn);
			free(hit->reason);
			return PROFILE_IS_UNABLE_OPEN_MAILBOX_STORE;
		}
		s->n++;
		if (!rc)
			run_log_line(log, "Info",
				     "Profile '%s': signed in to the target mailbox '%s' "
				     "(%s%s)",
				     profile, t->smtp, url,
				     bearer ? ", Microsoft 365 token" : "");
	} else if (!hit->status) {
		run_log_line(log, "Info",
			     "Profile '%s': the target mailbox '%s' was opened earlier "
			     "in this run",
			     profile, t->smtp);
	}
	if (hit->status)
		run_log_line(log, "Error",
			     "Cannot open the target mailbox '%s' for profile '%s' with "
			     "the target account of the INI: %s. Profile will not be "
			     "processed.",
			     t->smtp, profile,
			     hit->reason ? hit->reason : "out of memory");
	return hit->status;
}
