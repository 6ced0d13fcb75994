/* cmd_switchmsg.c - `reprofile switch-message create ADDRESS --target-smtp SMTP
 *                    --target-dn DN [--o365] [--recreate] [where] [network options]`
 *                   `reprofile switch-message show ADDRESS [where] [network options]`
 *
 * Writes or shows the switch message (and the recreate message) in the
 * SOURCE mailbox ADDRESS (docs/switch-message.md), with the administrator's
 * Full Access account. Where the mailbox is and how to sign in are those of
 * `reprofile mailbox` (cmd_mailbox.c parses them and calls back here).
 * `create --csv FILE` writes one switch message per row of FILE
 * (cfg_swmlist.h) with one session per server.
 * Exit 0 = written / shown, 1 = failed (show: also none, or malformed;
 * --csv: a row skipped or failed), 2 = usage. */
#include "commands.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_swmlist.h"
#include "mailbox/mbx_emsmdb.h"
#include "mailbox/mbx_switchmsg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rp_switch_message(const struct mbx_http_opts *ho, const char *address, const char *dn,
		      const rp_swm_args *a)
{
	mbx_emsmdb *e = NULL;
	mbx_mailbox mb;
	mbx_swm m = {MBX_SWM_VERSION, (char *)a->target_dn, (char *)a->target_smtp,
		     a->o365};
	bool created = false, recreate = false;
	int rc;

	memset(&mb, 0, sizeof(mb));
	/* Check the arguments before connecting: nothing is written for bad ones. */
	if (a->create && ((rc = mbx_swm_check_dn(m.target_dn)) < 0 ||
			  (rc = mbx_swm_check_smtp(m.target_smtp)) < 0))
		return rc;
	/* Connect as the signed-in account (the server checks it is the
	 * authenticated user's), log on to the source mailbox. */
	rc = rp_mailbox_open(ho, a->user_dn ? a->user_dn : dn, dn, &e, &mb);
	if (!rc && a->create) {
		rc = mbx_swm_write(mbx_emsmdb_send, e, &mb, &m, &created);
		if (!rc)
			printf("%s: switch message %s\n", address,
			       created ? "created" : "updated");
		if (!rc && a->recreate) {
			rc = mbx_swm_write(mbx_emsmdb_send, e, &mb, NULL, &created);
			if (!rc)
				printf("%s: recreate message %s\n", address,
				       created ? "created" : "updated");
		}
	} else if (!rc) {
		mbx_swm got;
		rc = mbx_swm_read(mbx_emsmdb_send, e, &mb, &got, &recreate);
		if (!rc)
			printf("%s: version %d\ttarget DN %s\ttarget SMTP %s\tMicrosoft "
			       "365 %s\trecreate %s\n",
			       address, (int)got.version, got.target_dn, got.target_smtp,
			       got.o365 ? "yes" : "no", recreate ? "yes" : "no");
		else if (rc == RP_ENOTFOUND)
			rp_error_set(rc, "%s: no switch message%s", address,
				     recreate ? " (a recreate message is there)" : "");
		mbx_swm_free(&got);
	}
	mbx_mailbox_free(&mb);
	mbx_emsmdb_free(e); /* Disconnect */
	return rc;
}

/* One session per MailStore URL, opened on the first row that needs it;
 * a Connect that fails is not retried for the later rows. */
struct session {
	const char *url;
	mbx_emsmdb *e;
	int rc;
	char *reason;
};

static struct session *session_for(struct session *ss, size_t *n, const mbx_http_opts *ho,
				   const char *url, const char *user_dn)
{
	mbx_http_opts o = *ho;
	mbx_connect_req rq = {user_dn, 0, 0, 0};
	struct session *s;
	for (size_t i = 0; i < *n; i++)
		if (strcmp(ss[i].url, url) == 0)
			return &ss[i];
	s = &ss[(*n)++];
	memset(s, 0, sizeof(*s));
	s->url = url;
	o.url = url;
	s->rc = mbx_emsmdb_new(&o, &s->e);
	if (!s->rc)
		s->rc = mbx_emsmdb_connect(s->e, &rq);
	if (s->rc && !(s->reason = rp_strdup(rp_error_msg())))
		s->rc = RP_ENOMEM;
	return s;
}

/* Writes one row's messages over an open session. */
static int write_row(mbx_emsmdb *e, const cfg_swm_row *w, char **done)
{
	mbx_swm m = {MBX_SWM_VERSION, w->target_dn, w->target_smtp, w->o365};
	mbx_mailbox mb;
	bool created = false, rcreated = false;
	int rc;
	memset(&mb, 0, sizeof(mb));
	/* Nothing is sent for a row whose addresses the message refuses. */
	if ((rc = mbx_swm_check_dn(m.target_dn)) < 0 ||
	    (rc = mbx_swm_check_smtp(m.target_smtp)) < 0)
		return rc;
	rc = mbx_mailbox_logon(mbx_emsmdb_send, e, w->source_dn, &mb);
	if (!rc)
		rc = mbx_swm_write(mbx_emsmdb_send, e, &mb, &m, &created);
	if (!rc && w->recreate)
		rc = mbx_swm_write(mbx_emsmdb_send, e, &mb, NULL, &rcreated);
	mbx_mailbox_free(&mb);
	if (!rc)
		*done =
		    rp_asprintf("switch message %s%s%s", created ? "created" : "updated",
				!w->recreate ? ""
				: rcreated   ? ", recreate message created"
					     : ", recreate message updated",
				w->o365 ? " (Microsoft 365 target)" : "");
	return rc ? rc : *done ? RP_OK : RP_ENOMEM;
}

int rp_switch_message_csv(const struct mbx_http_opts *ho, const rp_swm_args *a)
{
	cfg_swmlist *l = NULL;
	struct session *ss;
	size_t nss = 0, written = 0;
	int rc = cfg_swmlist_load(a->csv, &l);
	if (rc < 0)
		return rc;
	/* At most one session per row. */
	if (!(ss = calloc(l->n ? l->n : 1, sizeof(*ss)))) {
		cfg_swmlist_free(l);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < l->n; i++) {
		const cfg_swm_row *w = &l->rows[i];
		const char *url = w->url ? w->url : ho->url;
		struct session *s;
		char *done = NULL;
		if (w->reason) {
			fprintf(stderr, "%s:%d: %s; row skipped\n", l->path, w->line,
				w->reason);
			continue;
		}
		if (!url) {
			fprintf(
			    stderr,
			    "%s:%d: %s: no mailstore_url in the row and no --mapi-url; "
			    "row skipped\n",
			    l->path, w->line, w->source);
			continue;
		}
		s = session_for(ss, &nss, ho, url, a->user_dn);
		if (s->rc) {
			fprintf(stderr,
				"%s:%d: %s: cannot connect to %s: %s; row skipped\n",
				l->path, w->line, w->source, url,
				s->reason ? s->reason : "out of memory");
			continue;
		}
		if ((rc = write_row(s->e, w, &done)) < 0) {
			fprintf(stderr, "%s:%d: %s: %s; row skipped\n", l->path, w->line,
				w->source, rp_error_msg());
			rp_error_clear();
		} else {
			printf("%s:%d: %s: %s\n", l->path, w->line, w->source, done);
			written++;
		}
		free(done);
	}
	for (size_t i = 0; i < nss; i++) {
		mbx_emsmdb_free(ss[i].e); /* Disconnect */
		free(ss[i].reason);
	}
	free(ss);
	printf("%s: %zu of %zu rows written, %zu sessions\n", a->csv, written, l->n, nss);
	rc = written == l->n
		 ? RP_OK
		 : rp_error_set(RP_EFORMAT, "%s: %zu of %zu rows were not written",
				a->csv, l->n - written, l->n);
	cfg_swmlist_free(l);
	return rc;
}
