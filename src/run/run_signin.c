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
	/* The session stays open for the run: the features read the mailbox
	 * through it (run_signin_session). */
	mbx_emsmdb *e;
	mbx_mailbox mb;
	bool logged; /* the "signed in" line was written */
};

struct run_signin {
	mbx_http_opts base;
	run_creds *creds;
	struct seen **seen; /* pointers: run_mailbox keeps &seen[i]->mb */
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
		free(s->seen[i]->url);
		free(s->seen[i]->dn);
		free(s->seen[i]->reason);
		mbx_mailbox_free(&s->seen[i]->mb);
		mbx_emsmdb_free(s->seen[i]->e); /* Disconnect */
		free(s->seen[i]);
	}
	free(s->seen);
	free(s);
}

size_t run_signin_executes(const run_signin *s)
{
	return s ? s->executes : 0;
}

/* Connect as dn and RopLogon to its mailbox: one Execute. The session is
 * kept in hit for the run. bearer: a Microsoft 365 token instead of the
 * account. */
static int open_target(run_signin *s, struct seen *hit, const char *url, const char *dn,
		       const char *bearer)
{
	mbx_http_opts ho = s->base;
	mbx_connect_req rq = {dn, 0, 0, 0};
	int rc;
	ho.url = url;
	if (bearer) {
		ho.bearer = bearer;
		ho.user = ho.password = NULL;
	}
	rc = mbx_emsmdb_new(&ho, &hit->e);
	if (!rc)
		rc = mbx_emsmdb_connect(hit->e, &rq);
	if (!rc)
		rc = mbx_mailbox_logon(mbx_emsmdb_send, hit->e, dn, &hit->mb);
	s->executes += hit->mb.executes;
	hit->mb.executes = 0;
	if (rc) {
		mbx_mailbox_free(&hit->mb);
		mbx_emsmdb_free(hit->e);
		hit->e = NULL;
	}
	return rc;
}

static const char *target_url(const feature_target *t)
{
	/* Internal first, as the MAPI/HTTP client of `reprofile mailbox`. */
	return t->mapi_store_internal ? t->mapi_store_internal : t->mapi_store_external;
}

/* The cached answer for t, asking the server the first time. NULL only for
 * memory. */
static struct seen *lookup(run_signin *s, run_log *log, const char *profile,
			   const feature_target *t, const char *bearer)
{
	const char *url = target_url(t);
	struct seen **n, *hit = NULL;
	int rc;
	for (size_t i = 0; i < s->n && !hit; i++)
		if (strcmp(s->seen[i]->url, url) == 0 &&
		    rp_ascii_casecmp(s->seen[i]->dn, t->legacy_dn) == 0)
			hit = s->seen[i];
	if (hit)
		return hit;
	if (!(n = realloc(s->seen, (s->n + 1) * sizeof(*n))))
		return NULL;
	s->seen = n;
	if (!(hit = calloc(1, sizeof(*hit))))
		return NULL;
	rc = open_target(s, hit, url, t->legacy_dn, bearer);
	/* No answer at all (name, route, TLS): the server cannot be asked
	 * from here, which says nothing of the run's settings; the switch
	 * goes on (docs/decisions.md). */
	if (rc == RP_ENET) {
		run_log_line(log, "Warning",
			     "Profile '%s': the target mailbox '%s' was not checked: %s",
			     profile, t->smtp, rp_error_msg());
		hit->reason = rp_strdup(rp_error_msg());
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
		mbx_mailbox_free(&hit->mb);
		mbx_emsmdb_free(hit->e);
		free(hit);
		return NULL;
	}
	s->seen[s->n++] = hit;
	return hit;
}

/* Microsoft 365: the token of the run's OAuth sign-in (resource
 * ResourceURL), as the target's Autodiscover got it. */
static int token(run_signin *s, const feature_target *t, const char **bearer)
{
	if (!s->creds)
		return rp_error_set(RP_ENOTFOUND, "no credentials in this run");
	return run_creds_token(s->creds, t->smtp, bearer);
}

int run_signin_session(run_signin *s, run_log *log, const char *profile,
		       const feature_target *t, mbx_emsmdb **e, mbx_mailbox **mb)
{
	const char *bearer = NULL;
	struct seen *hit;
	*e = NULL;
	*mb = NULL;
	if (!s)
		return rp_error_set(RP_ENOTFOUND, "no MAPI/HTTP access in this run (the "
						  "target is not found by network "
						  "Autodiscover)");
	if (!target_url(t) || !t->legacy_dn)
		return rp_error_set(RP_ENOTFOUND,
				    "the target's Autodiscover answer has no mapiHttp "
				    "MailStore URL");
	if (t->o365 && token(s, t, &bearer) < 0)
		return rp_error_wrap(RP_ENOTFOUND, "no Microsoft 365 sign-in");
	if (!(hit = lookup(s, log, profile, t, bearer)))
		return rp_error_set(RP_ENOMEM, "out of memory");
	if (!hit->e)
		return rp_error_set(RP_ENOTFOUND,
				    "the target mailbox '%s' did not open: %s", t->smtp,
				    hit->reason ? hit->reason : "unknown");
	*e = hit->e;
	*mb = &hit->mb;
	return RP_OK;
}

const mbx_http_opts *run_signin_opts(const run_signin *s)
{
	return &s->base;
}

void run_signin_add_executes(run_signin *s, size_t n)
{
	if (s)
		s->executes += n;
}

int run_signin_check(run_signin *s, run_log *log, const char *profile,
		     const feature_target *t)
{
	const char *url = target_url(t), *bearer = NULL;
	struct seen *hit;
	if (!s)
		return 0;
	if (!url || !t->legacy_dn) {
		run_log_line(log, "Info",
			     "Profile '%s': the target mailbox '%s' was not checked "
			     "(its Autodiscover answer has no mapiHttp MailStore URL)",
			     profile, t->smtp);
		return 0;
	}
	if (t->o365 && token(s, t, &bearer) < 0) {
		run_log_line(
		    log, "Info",
		    "Profile '%s': the Microsoft 365 target mailbox '%s' was not "
		    "checked (no Microsoft 365 sign-in: %s)",
		    profile, t->smtp, rp_error_msg());
		rp_error_clear();
		return 0;
	}
	if (!(hit = lookup(s, log, profile, t, bearer)))
		return PROFILE_IS_UNABLE_OPEN_MAILBOX_STORE;
	if (!hit->status && !hit->logged && hit->e) {
		/* Also when the features opened it first for this profile. */
		run_log_line(log, "Info",
			     "Profile '%s': signed in to the target mailbox '%s' (%s%s)",
			     profile, t->smtp, url,
			     bearer ? ", Microsoft 365 token" : "");
		hit->logged = true;
	} else if (!hit->status && hit->e) {
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
