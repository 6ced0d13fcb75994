/* run_srcmsg.c - the switch message read from the source mailbox
 * (run_srcmsg.h). */
#include "run/run_srcmsg.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mailbox/mbx_emsmdb.h"
#include "mailbox/mbx_folders.h"

#include <stdlib.h>
#include <string.h>

/* One answer per source mailbox and run. */
struct seen {
	char *url, *dn;
	int rc;       /* run_srcmsg_read's result */
	char *reason; /* its message when rc < 0 */
	mbx_swm msg;  /* rc == RP_OK */
	bool recreate;
};

struct run_srcmsg {
	mbx_http_opts base;
	struct seen *seen;
	size_t n;
	size_t executes;
};

int run_srcmsg_new(const mbx_http_opts *base, run_srcmsg **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return rp_error_set(RP_ENOMEM, "out of memory");
	(*out)->base = *base;
	return RP_OK;
}

void run_srcmsg_free(run_srcmsg *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->seen[i].url);
		free(s->seen[i].dn);
		free(s->seen[i].reason);
		mbx_swm_free(&s->seen[i].msg);
	}
	free(s->seen);
	free(s);
}

size_t run_srcmsg_executes(const run_srcmsg *s)
{
	return s ? s->executes : 0;
}

/* Connect as dn, RopLogon to its mailbox, read: two or three Execute
 * requests, nothing written. */
static int read_mailbox(run_srcmsg *s, struct seen *hit)
{
	mbx_http_opts ho = s->base;
	mbx_connect_req rq = {hit->dn, 0, 0, 0};
	mbx_emsmdb *e = NULL;
	mbx_mailbox mb;
	int rc;
	memset(&mb, 0, sizeof(mb));
	ho.url = hit->url;
	rc = mbx_emsmdb_new(&ho, &e);
	if (!rc)
		rc = mbx_emsmdb_connect(e, &rq);
	if (!rc)
		rc = mbx_mailbox_logon(mbx_emsmdb_send, e, hit->dn, &mb);
	/* Only a mailbox that opened can say "none" or "malformed". */
	if (rc == RP_ENOTFOUND || rc == RP_EFORMAT)
		rc = RP_ENET;
	if (!rc)
		rc = mbx_swm_read(mbx_emsmdb_send, e, &mb, &hit->msg, &hit->recreate);
	s->executes += mb.executes;
	mbx_mailbox_free(&mb);
	mbx_emsmdb_free(e); /* Disconnect */
	return rc;
}

static int copy_msg(const mbx_swm *from, mbx_swm *to)
{
	to->version = from->version;
	to->o365 = from->o365;
	to->target_dn = rp_strdup(from->target_dn);
	to->target_smtp = rp_strdup(from->target_smtp);
	if (!to->target_dn || !to->target_smtp) {
		mbx_swm_free(to);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	return RP_OK;
}

int run_srcmsg_read(run_srcmsg *s, const char *url, const char *dn, mbx_swm *out,
		    bool *recreate)
{
	struct seen *n, *hit = NULL;
	memset(out, 0, sizeof(*out));
	*recreate = false;
	for (size_t i = 0; i < s->n && !hit; i++)
		if (strcmp(s->seen[i].url, url) == 0 &&
		    rp_ascii_casecmp(s->seen[i].dn, dn) == 0)
			hit = &s->seen[i];
	if (!hit) {
		if (!(n = realloc(s->seen, (s->n + 1) * sizeof(*n))))
			return rp_error_set(RP_ENOMEM, "out of memory");
		s->seen = n;
		hit = &s->seen[s->n];
		memset(hit, 0, sizeof(*hit));
		if (!(hit->url = rp_strdup(url)) || !(hit->dn = rp_strdup(dn))) {
			free(hit->url);
			free(hit->dn);
			return rp_error_set(RP_ENOMEM, "out of memory");
		}
		s->n++;
		hit->rc = read_mailbox(s, hit);
		if (hit->rc < 0 && !(hit->reason = rp_strdup(rp_error_msg())))
			hit->rc = RP_ENOMEM;
	}
	*recreate = hit->recreate;
	if (hit->rc < 0)
		return rp_error_set(hit->rc, "%s",
				    hit->reason ? hit->reason : "out of memory");
	return copy_msg(&hit->msg, out);
}
