/* AddBoxes: the additional mailboxes opened in the primary Exchange account
 * (its delegate and archive store providers, outlook-profile-registry.md
 * 3.3) follow their owner. Owner migrated (the recipient map says so): the
 * store's section is switched to the owner's target mailbox with the
 * switch's rules, from the owner's target Autodiscover answer or else from
 * the map. Not migrated: left on the source. The user's own online archive
 * moves with the user. Skipped: the guide's "the list of additional
 * mailboxes will be empty": the stores are removed from the account. */
#include "features.h"
#include "feature_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>

static bool ieq(const char *a, const char *b)
{
	return a && b && rp_name_eq(a, b);
}

static bool is_other_mailbox(const profile_store *st)
{
	return st->kind == PROFILE_STORE_DELEGATE || st->kind == PROFILE_STORE_ARCHIVE;
}

/* How the administrator recognises a store: its SMTP address, else its DN,
 * else its display name. */
static const char *store_label(const profile_store *st)
{
	if (st->smtp && *st->smtp)
		return st->smtp;
	if (st->mailbox_dn && *st->mailbox_dn)
		return st->mailbox_dn;
	return st->display_name ? st->display_name : "(unnamed)";
}

/* Removes the 16-byte UIDs in drop from the binary list value name of key
 * (a provider list, ref 1.4), when it holds any of them. */
static int drop_uids(const feature_ctx *c, const char *key, const char *name,
		     const uint8_t (*drop)[PROFILE_UID_LEN], size_t ndrop, plan *out)
{
	reg_value v = {0};
	rp_buf keep = RP_BUF_INIT;
	size_t i, k;
	bool changed = false;
	int rc = reg_get_value(c->store, key, name, &v);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		return RP_OK;
	}
	if (rc < 0)
		return rc;
	if (v.len % PROFILE_UID_LEN) {
		rc = rp_error_set(
		    RP_EFORMAT, "%s: key '%s': value '%s' is not a list of 16-byte UIDs",
		    reg_store_name(c->store), key, name);
		goto out;
	}
	for (i = 0; rc == RP_OK && i < v.len; i += PROFILE_UID_LEN) {
		bool gone = false;
		for (k = 0; k < ndrop; k++)
			gone |= memcmp(v.data + i, drop[k], PROFILE_UID_LEN) == 0;
		if (gone)
			changed = true;
		else
			rc = rp_buf_append(&keep, v.data + i, PROFILE_UID_LEN);
	}
	if (rc == RP_OK && changed)
		rc = plan_set(
		    out, key, name, v.type, keep.data, keep.len,
		    "AddBoxes skipped: additional mailboxes removed from the list");
out:
	reg_value_free(&v);
	rp_buf_free(&keep);
	return rc;
}

/* Skipped: every additional mailbox (and the archive) leaves the account:
 * its provider section goes and its UID leaves the provider lists of the
 * service, the account's Exchange section and the profile root. */
static int plan_skip(const feature_ctx *c, const int *idx, size_t n, plan *out,
		     feature_result *r)
{
	const profile *p = c->p;
	const profile_exchange *x = &p->exchange[c->ex];
	uint8_t(*uids)[PROFILE_UID_LEN] = NULL;
	char *keys[3] = {NULL, NULL, NULL};
	size_t i;
	int rc = RP_OK;
	if (!n)
		return feature_result_msg(r, "none in the profile");
	if (!(uids = calloc(n, sizeof(*uids))))
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (i = 0; rc == RP_OK && i < n; i++) {
		const profile_store *st = &p->stores[idx[i]];
		char *sec = profile_section_path(p, p->providers[st->provider].uid);
		memcpy(uids[i], p->providers[st->provider].uid, PROFILE_UID_LEN);
		rc = sec ? plan_delete_key(out, sec,
					   "AddBoxes skipped: additional mailbox removed")
			 : RP_ENOMEM;
		free(sec);
		r->removed++;
	}
	if (x->service >= 0)
		keys[0] = profile_section_path(p, p->services[x->service].uid);
	if (x->has_section)
		keys[1] = rp_asprintf("%s\\%s", p->path, x->section);
	keys[2] = rp_asprintf("%s\\%s", p->path, PROFILE_SEC_ROOT);
	for (i = 0; rc == RP_OK && i < 3; i++)
		if (keys[i])
			rc = drop_uids(c, keys[i], "01023d00",
				       (const uint8_t(*)[PROFILE_UID_LEN])uids, n, out);
	for (i = 0; i < 3; i++)
		free(keys[i]);
	free(uids);
	if (rc == RP_OK)
		rc = feature_result_msg(r,
					"%zu found, removed from the profile (the list "
					"of additional mailboxes is empty)",
					n);
	return rc;
}

/* The owner's target from the recipient map's answer, completed by the
 * owner's target Autodiscover when the run can ask it. */
static int owner_target(const feature_ctx *c, const dir_recipient *rec, feature_target *t,
			bool *from_adisc)
{
	int rc;
	memset(t, 0, sizeof(*t));
	*from_adisc = false;
	if (rec->smtp && c->target_of) {
		rc = c->target_of(c->target_of_ctx, rec->smtp, t);
		if (rc == RP_OK) {
			*from_adisc = true;
			if (!t->smtp && !(t->smtp = rp_strdup(rec->smtp)))
				return RP_ENOMEM;
		} else {
			rp_error_clear(); /* fall back to the map */
			feature_target_free(t);
		}
	}
	if ((!t->smtp && rec->smtp && !(t->smtp = rp_strdup(rec->smtp))) ||
	    (!t->legacy_dn && rec->legacy_dn &&
	     !(t->legacy_dn = rp_strdup(rec->legacy_dn))) ||
	    (!t->display_name && rec->display_name &&
	     !(t->display_name = rp_strdup(rec->display_name))))
		return RP_ENOMEM;
	return RP_OK;
}

/* Appends "; <text>" pieces to the log message. */
static int note(rp_buf *m, const char *fmt, const char *a, const char *b)
{
	int rc = m->len ? rp_buf_puts(m, ", ") : RP_OK;
	if (rc == RP_OK)
		rc = b ? rp_buf_printf(m, fmt, a, b) : rp_buf_printf(m, fmt, a);
	return rc;
}

/* One store: switched to t, reasons tagged AddBoxes. */
static int switch_store(const feature_ctx *c, const profile_store *st,
			const feature_target *t, plan *out)
{
	const profile *p = c->p;
	char *sec = profile_section_path(p, p->providers[st->provider].uid);
	size_t from = out->n;
	int rc;
	if (!sec)
		return RP_ENOMEM;
	rc = feature_switch_section(c->store, p, sec, st->smtp, st->mailbox_dn, t,
				    c->opts, out);
	if (rc == RP_OK)
		rc = feature_retag(out, from, "AddBoxes");
	free(sec);
	return rc;
}

/* The user's own archive: the user's target, on the archive's server. */
static int plan_archive(const feature_ctx *c, const profile_store *st, plan *out)
{
	const feature_target *u = c->target;
	feature_target t;
	int rc;
	memset(&t, 0, sizeof(t));
	t.smtp = u->smtp;
	t.legacy_dn = u->archive_dn ? u->archive_dn : u->legacy_dn;
	t.display_name = u->archive_display;
	t.home_server = u->archive_server;
	t.o365 = u->o365;
	rc = switch_store(c, st, &t, out);
	return rc;
}

int feature_addboxes_plan(const feature_ctx *c, plan *out, feature_result *r)
{
	const profile *p = c->p;
	const profile_exchange *x = &p->exchange[c->ex];
	int *idx = NULL;
	size_t n = 0, i;
	rp_buf m = RP_BUF_INIT;
	int rc = RP_OK;

	if (x->nstores && !(idx = calloc(x->nstores, sizeof(*idx))))
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (i = 0; i < x->nstores; i++)
		if (is_other_mailbox(&p->stores[x->stores[i]]))
			idx[n++] = x->stores[i];
	r->found = (unsigned)n;
	if (c->mode == FEATURE_MODE_SKIP) {
		rc = plan_skip(c, idx, n, out, r);
		free(idx);
		return rc;
	}
	for (i = 0; rc == RP_OK && i < n; i++) {
		const profile_store *st = &p->stores[idx[i]];
		const char *label = store_label(st);
		dir_source_key key;
		dir_recipient rec;
		feature_target t;
		bool adisc = false;

		if (!st->eid && st->eid_raw) {
			/* profile_load kept the broken ID as a problem. */
			char *sec =
			    profile_section_path(p, p->providers[st->provider].uid);
			rc = rp_error_set(
			    RP_EFORMAT,
			    "%s: key '%s': value '01020ffb' (store entry ID of "
			    "additional mailbox '%s') cannot be decoded",
			    reg_store_name(c->store), sec ? sec : "?", label);
			free(sec);
			break;
		}
		/* The user's own archive moves with the user. */
		if (st->kind == PROFILE_STORE_ARCHIVE &&
		    (!st->mailbox_dn || ieq(st->mailbox_dn, x->mailbox_dn))) {
			rc = plan_archive(c, st, out);
			if (rc == RP_OK)
				rc = note(&m, "the online archive moved with the user",
					  NULL, NULL);
			r->changed++;
			continue;
		}
		if (!c->dir) {
			rc = rp_error_set(
			    RP_ENOTFOUND,
			    "no recipient map ([Directory]) to tell whether the "
			    "owner of '%s' migrated",
			    label);
			break;
		}
		key.kind =
		    st->mailbox_dn && *st->mailbox_dn ? DIR_KEY_LEGACY_DN : DIR_KEY_SMTP;
		key.value = key.kind == DIR_KEY_LEGACY_DN ? st->mailbox_dn : st->smtp;
		if (!key.value || !*key.value) {
			rc = rp_error_set(RP_EFORMAT,
					  "additional mailbox '%s' names no owner (no "
					  "PR_PROFILE_MAILBOX, no SMTP address)",
					  label);
			break;
		}
		rc = dir_lookup(c->dir, &key, &rec);
		if (rc == RP_ENOTFOUND && key.kind == DIR_KEY_LEGACY_DN && st->smtp &&
		    *st->smtp) {
			/* A map keyed by address only (CSV): try the SMTP address. */
			rp_error_clear();
			key.kind = DIR_KEY_SMTP;
			key.value = st->smtp;
			rc = dir_lookup(c->dir, &key, &rec);
		}
		if (rc == RP_ENOTFOUND) {
			rp_error_clear();
			rc = note(&m, "%s left on the source", label, NULL);
			r->kept++;
			continue;
		}
		if (rc < 0)
			break;
		rc = owner_target(c, &rec, &t, &adisc);
		if (rc == RP_OK && (!t.legacy_dn || !t.smtp))
			rc = rp_error_set(
			    RP_ENOTFOUND,
			    "the recipient map gives no target %s for the owner "
			    "of '%s'",
			    t.smtp ? "legacyExchangeDN" : "SMTP address", label);
		if (rc == RP_OK)
			rc = switch_store(c, st, &t, out);
		if (rc == RP_OK)
			rc = note(
			    &m,
			    adisc ? "%s moved to the target (%s)"
				  : "%s moved to the target (%s, from the recipient map)",
			    label, t.smtp);
		r->changed++;
		feature_target_free(&t);
	}
	free(idx);
	if (rc == RP_OK) {
		rp_buf_u8(&m, 0);
		rc = n ? feature_result_msg(r, "%zu found, %s", n, (char *)m.data)
		       : feature_result_msg(r, "none in the profile");
	}
	rp_buf_free(&m);
	return rc;
}
