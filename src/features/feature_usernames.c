/* UserNames: the names the user gave to PST stores and additional mailboxes
 * (PR_DISPLAY_NAME of their store provider sections, 001f3001 or 001e3001;
 * outlook-profile-registry.md 1.4, 3.3, 3.4) survive the switch. Processed:
 * they are kept (the switch and AddBoxes only rewrite names that contain the
 * source address). Skipped: the guide's "names will be reset to default".
 * The names of folders (Favorites, All Public Folders) live in the mailbox.
 * docs/features.md and docs/decisions.md say which names count as defaults. */
#include "features.h"
#include "feature_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>

#define NAME_W "001f3001" /* PR_DISPLAY_NAME_W, value-name form (ref 1.4) */
#define NAME_A "001e3001" /* PR_DISPLAY_NAME_A */

static bool in_scope(const profile_store *st)
{
	return st->kind == PROFILE_STORE_PST || st->kind == PROFILE_STORE_DELEGATE ||
	       st->kind == PROFILE_STORE_ARCHIVE;
}

static bool has_prefix(const char *s, const char *pre)
{
	return rp_ascii_ncasecmp(s, pre, strlen(pre)) == 0;
}

/* A PST's default name: its file name without folder and ".pst", the name
 * Outlook proposes for a new data file. malloc'd, NULL for memory. */
static char *pst_default(const profile_store *st)
{
	const char *path = st->pst_path ? st->pst_path : "", *base = path, *q;
	size_t n;
	for (q = path; *q; q++)
		if (*q == '\\' || *q == '/')
			base = q + 1;
	n = strlen(base);
	if (n > 4 && rp_ascii_casecmp(base + n - 4, ".pst") == 0)
		n -= 4;
	return rp_strndup(base, n);
}

/* Whether the user named the store: its name is none of Outlook's defaults
 * (a missing name is the default). */
static bool user_named(const profile_store *st, const char *dflt)
{
	const char *n = st->display_name;
	if (!n || !*n)
		return false;
	switch (st->kind) {
	case PROFILE_STORE_PST:
		return !rp_name_eq(n, dflt) && !rp_name_eq(n, "Personal Folders") &&
		       !rp_name_eq(n, "Outlook Data File");
	case PROFILE_STORE_DELEGATE:
		return !has_prefix(n, "Mailbox - ");
	case PROFILE_STORE_ARCHIVE:
		return !has_prefix(n, "Online Archive - ") &&
		       !has_prefix(n, "Archive - ");
	default:
		return false;
	}
}

/* The value's bytes: UTF-16LE for _W, else the text as it is, each with
 * its terminator. */
static int encode(const char *s, bool wide, rp_buf *out)
{
	return wide ? rp_utf8_to_utf16le(s, strlen(s), out, true)
		    : rp_buf_append(out, s, strlen(s) + 1);
}

static bool ascii(const char *s)
{
	for (; *s; s++)
		if ((uint8_t)*s >= 0x80)
			return false;
	return true;
}

/* Skipped: the user's name goes back to the default. A PST gets its file's
 * name (its provider needs one); an additional mailbox loses the value so
 * that Outlook names it after its owner again at the next start. */
static int reset_name(const feature_ctx *c, const profile_store *st, const char *dflt,
		      plan *out)
{
	const profile *p = c->p;
	char *sec = profile_section_path(p, p->providers[st->provider].uid);
	const char *names[2] = {NAME_W, NAME_A};
	size_t i;
	int rc = sec ? RP_OK : RP_ENOMEM;
	for (i = 0; rc == RP_OK && i < 2; i++) {
		reg_value v = {0};
		rp_buf b = RP_BUF_INIT;
		rc = reg_get_value(c->store, sec, names[i], &v);
		if (rc == RP_ENOTFOUND) {
			rp_error_clear();
			rc = RP_OK;
			continue;
		}
		if (rc < 0)
			break;
		if (st->kind != PROFILE_STORE_PST)
			rc = plan_delete_value(out, sec, names[i],
					       "UserNames skipped: name reset to the "
					       "default");
		else if (i == 1 && !ascii(dflt))
			/* No code page to write it in: _W holds the name. */
			rc = plan_delete_value(out, sec, names[i],
					       "UserNames skipped: name reset to the "
					       "default");
		else if ((rc = encode(dflt, i == 0, &b)) == RP_OK)
			rc = plan_set(out, sec, names[i], v.type, b.data, b.len,
				      "UserNames skipped: name reset to the default");
		rp_buf_free(&b);
		reg_value_free(&v);
	}
	free(sec);
	return rc;
}

int feature_usernames_plan(const feature_ctx *c, plan *out, feature_result *r)
{
	const profile *p = c->p;
	rp_buf m = RP_BUF_INIT;
	size_t i;
	int rc = RP_OK;
	bool skip = c->mode == FEATURE_MODE_SKIP;

	for (i = 0; rc == RP_OK && i < p->nstores; i++) {
		const profile_store *st = &p->stores[i];
		char *dflt;
		if (!in_scope(st))
			continue;
		r->found++;
		if (!(dflt = pst_default(st)))
			return rp_error_set(RP_ENOMEM, "out of memory");
		if (user_named(st, dflt)) {
			if (skip) {
				rc = reset_name(c, st, dflt, out);
				r->changed++;
			} else {
				r->kept++;
			}
			if (rc == RP_OK)
				rc = rp_buf_printf(&m, "%s'%s'", m.len ? ", " : "",
						   st->display_name);
		}
		free(dflt);
	}
	if (rc == RP_OK)
		rc = rp_buf_u8(&m, 0);
	if (rc == RP_OK) {
		unsigned named = skip ? r->changed : r->kept;
		if (!r->found)
			rc = feature_result_msg(
			    r,
			    "no PST or additional mailbox in the profile; folder names "
			    "need mailbox access");
		else if (!named)
			rc = feature_result_msg(
			    r,
			    "%u stores, none renamed by the user; folder names need "
			    "mailbox access",
			    r->found);
		else
			rc = feature_result_msg(r,
						"%u stores, %u renamed by the user: %s "
						"%s; folder names need mailbox access",
						r->found, named, (char *)m.data,
						skip ? "reset to the default" : "kept");
	}
	rp_buf_free(&m);
	return rc;
}
