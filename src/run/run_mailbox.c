/* run_mailbox.c - the mailboxes the features read (run_mailbox.h). */
#include "run/run_mailbox.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mailbox/mbx_emsmdb.h"

#include <stdlib.h>
#include <string.h>

/* One source + target pair, read once per run. */
struct pair {
	char *src_url, *src_dn, *dst_url, *dst_dn;
	mbx_emsmdb *src_e; /* NULL when the source did not open */
	mbx_mailbox src;
	mbx_mailbox *dst; /* the sign-in session's logon (borrowed) */
	mbx_folder_map map;
	char *src_why;
	int status; /* RP_OK, or why the target cannot be read */
	char *why;
	feature_mailbox view;
};

struct run_mailbox {
	run_signin *signin;
	mbx_http_opts source;
	struct pair **v;
	size_t n;
	size_t executes;
};

int run_mailbox_new(run_signin *signin, const mbx_http_opts *source, run_mailbox **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return rp_error_set(RP_ENOMEM, "out of memory");
	(*out)->signin = signin;
	(*out)->source = *source;
	return RP_OK;
}

static void pair_free(struct pair *p)
{
	if (!p)
		return;
	mbx_folder_map_free(&p->map);
	mbx_mailbox_free(&p->src);
	mbx_emsmdb_free(p->src_e); /* Disconnect */
	free(p->src_url);
	free(p->src_dn);
	free(p->dst_url);
	free(p->dst_dn);
	free(p->src_why);
	free(p->why);
	free(p);
}

void run_mailbox_free(run_mailbox *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		pair_free(m->v[i]);
	free(m->v);
	free(m);
}

size_t run_mailbox_executes(const run_mailbox *m)
{
	return m ? m->executes : 0;
}

static const char *either(const char *a, const char *b)
{
	return a ? a : b;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && rp_ascii_casecmp(a, b) == 0);
}

/* Opens the source mailbox read-only: Connect as its owner's DN with the
 * source account, RopLogon, the hierarchy. */
static int open_source(run_mailbox *m, struct pair *p)
{
	mbx_http_opts ho = m->source;
	mbx_connect_req rq = {p->src_dn, 0, 0, 0};
	int rc;
	if (!p->src_url || !p->src_dn)
		return rp_error_set(
		    RP_ENOTFOUND, "the profile names no MAPI/HTTP MailStore URL for it");
	ho.url = p->src_url;
	rc = mbx_emsmdb_new(&ho, &p->src_e);
	if (!rc)
		rc = mbx_emsmdb_connect(p->src_e, &rq);
	if (!rc)
		rc = mbx_mailbox_logon(mbx_emsmdb_send, p->src_e, p->src_dn, &p->src);
	if (!rc)
		rc = mbx_folders_read(mbx_emsmdb_send, p->src_e, &p->src);
	m->executes += p->src.executes;
	if (rc) {
		mbx_mailbox_free(&p->src);
		mbx_emsmdb_free(p->src_e);
		p->src_e = NULL;
	}
	return rc;
}

/* Reads the pair: the target (required), the source (optional), the map. */
static int open_pair(run_mailbox *m, const run_mailbox_req *q, struct pair *p)
{
	mbx_emsmdb *e = NULL;
	size_t before;
	int rc = run_signin_session(m->signin, q->log, q->profile, q->t, &e, &p->dst);
	if (rc == RP_ENOMEM)
		return rc;
	if (rc == RP_OK && !p->dst->f) {
		/* Read once per target, whichever profile asks first. */
		before = p->dst->executes;
		rc = mbx_folders_read(mbx_emsmdb_send, e, p->dst);
		m->executes += p->dst->executes - before;
		if (rc < 0) {
			char *why = rp_strdup(rp_error_msg());
			rc =
			    rp_error_set(rc, "the target mailbox '%s' cannot be read: %s",
					 q->t->smtp, why ? why : "out of memory");
			free(why);
		}
	}
	if (rc < 0) {
		p->status = rc == RP_ENOMEM ? rc : RP_ENOTFOUND;
		if (!(p->why = rp_strdup(rp_error_msg())))
			return RP_ENOMEM;
		return RP_OK;
	}
	if ((rc = open_source(m, p)) == RP_ENOMEM)
		return rc;
	if (rc < 0) {
		if (!(p->src_why = rp_strdup(rp_error_msg())))
			return RP_ENOMEM;
		run_log_line(q->log, RUN_LOG_INFO,
			     "Profile '%s': the source mailbox '%s' cannot be read with "
			     "the source account (%s); the features read the target "
			     "mailbox only",
			     q->profile, either(q->x->smtp, q->x->mailbox_dn),
			     p->src_why);
		rp_error_clear();
	} else if ((rc = mbx_folder_map_build(&p->src, p->dst, &p->map)) < 0) {
		return rc;
	}
	p->view.target = p->dst;
	p->view.source = p->src_e ? &p->src : NULL;
	p->view.map = p->src_e ? &p->map : NULL;
	p->view.source_why = p->src_why;
	return RP_OK;
}

int run_mailbox_view(void *req, const feature_mailbox **out)
{
	const run_mailbox_req *q = req;
	run_mailbox *m = q->m;
	const profile_exchange *x = q->x;
	const feature_target *t = q->t;
	const char *su = either(x->mapihttp_store_internal, x->mapihttp_store_external);
	const char *du = either(t->mapi_store_internal, t->mapi_store_external);
	struct pair *p = NULL, **nv;
	size_t before;
	int rc;

	*out = NULL;
	if (!m)
		return rp_error_set(RP_ENOTFOUND, "no MAPI/HTTP access in this run (the "
						  "target is not found by network "
						  "Autodiscover)");
	for (size_t i = 0; i < m->n && !p; i++)
		if (same(m->v[i]->src_url, su) && same(m->v[i]->src_dn, x->mailbox_dn) &&
		    same(m->v[i]->dst_url, du) && same(m->v[i]->dst_dn, t->legacy_dn))
			p = m->v[i];
	if (!p) {
		if (!(nv = realloc(m->v, (m->n + 1) * sizeof(*nv))) ||
		    !(p = calloc(1, sizeof(*p))))
			return rp_error_set(RP_ENOMEM, "out of memory");
		m->v = nv;
		m->v[m->n++] = p;
		if ((su && !(p->src_url = rp_strdup(su))) ||
		    (x->mailbox_dn && !(p->src_dn = rp_strdup(x->mailbox_dn))) ||
		    (du && !(p->dst_url = rp_strdup(du))) ||
		    (t->legacy_dn && !(p->dst_dn = rp_strdup(t->legacy_dn))))
			return rp_error_set(RP_ENOMEM, "out of memory");
		before = m->executes;
		if ((rc = open_pair(m, q, p)) < 0)
			return rc;
		run_log_line(q->log, RUN_LOG_TRACEW,
			     "Profile '%s': mailbox read for the features: %zu Execute "
			     "requests (%zu in this run)",
			     q->profile, m->executes - before, m->executes);
	}
	if (p->status)
		return rp_error_set(p->status, "%s", p->why);
	*out = &p->view;
	return RP_OK;
}
