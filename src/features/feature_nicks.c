/* Nicks (files): the user's local nickname caches follow migrated recipients.
 *
 * Outlook 2010+ keeps a copy of the autocomplete list in
 * %LOCALAPPDATA%\Microsoft\Outlook\RoamCache\Stream_Autocomplete_0_<hex>.dat;
 * Outlook 2007 left %APPDATA%\Microsoft\Outlook\<profile>.nk2, which newer
 * Outlook imports once (MicrosoftDocs "Nickname cache"; mapi-binary-formats.md
 * 3). Every row naming a migrated recipient is rewritten through the run's
 * recipient map (mapi_nick_row_rewrite); the rest of the file stays byte for
 * byte. What is logged and decided: docs/features.md "Nicks". */
#include "features.h"
#include "feature_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_ini.h"
#include "directory/dir.h"
#include "mapi/mapi_nick.h"
#include "platform/plat.h"

#include <stdlib.h>
#include <string.h>

/* Larger than any real cache (Outlook keeps at most ~1,000 rows of ~1 KB). */
#define NICKS_MAX_FILE (64u * 1024u * 1024u)

int feature_nicks_rewrite(const char *name, const uint8_t *data, size_t n, bool nk2,
			  dir_resolver *map, rp_buf *out, feature_nicks_count *cnt)
{
	mapi_nick s;
	dir_source_key *keys = NULL;
	dir_recipient *rec = NULL;
	mapi_nick_who *who = NULL;
	int *st = NULL;
	size_t r, k, nk = 0, *at = NULL;
	int rc;

	memset(cnt, 0, sizeof(*cnt));
	rc = mapi_nick_decode_view(&s, data, n); /* data outlives s */
	if (rc < 0) {
		mapi_nick_free(&s);
		return rp_error_wrap(rc, "%s", name);
	}
	if (!mapi_nick_major_ok(s.major, nk2)) {
		rc = rp_error_set(
		    RP_EUNSUPPORTED,
		    "%s: major version %u (Outlook writes %u here): left as "
		    "it is",
		    name, s.major, nk2 ? MAPI_NICK_MAJOR_NK2 : MAPI_NICK_MAJOR_STREAM);
		mapi_nick_free(&s);
		return rc;
	}
	if (s.nrows) {
		keys = calloc(s.nrows, sizeof(*keys));
		rec = calloc(s.nrows, sizeof(*rec));
		who = calloc(s.nrows, sizeof(*who));
		st = calloc(s.nrows, sizeof(*st));
		at = calloc(s.nrows, sizeof(*at));
		if (!keys || !rec || !who || !st || !at)
			rc = rp_error_set(RP_ENOMEM, "out of memory");
	}
	/* One key per EX row (its DN) or SMTP row (its address), resolved in
	 * one batch; at[k] is the row of key k. */
	for (r = 0; r < s.nrows && rc == RP_OK; r++) {
		rc = mapi_nick_row_who(&s, r, &who[r]);
		if (rc == RP_OK && who[r].kind == MAPI_NICK_EX && who[r].dn)
			keys[nk] = (dir_source_key){DIR_KEY_LEGACY_DN, who[r].dn};
		else if (rc == RP_OK && who[r].kind == MAPI_NICK_SMTP && who[r].smtp)
			keys[nk] = (dir_source_key){DIR_KEY_SMTP, who[r].smtp};
		else
			continue;
		at[nk++] = r;
	}
	if (rc == RP_OK && nk && map)
		rc = dir_lookup_many(map, keys, nk, rec, st);
	else if (!map)
		nk = 0; /* no recipient map: every row is left */
	for (k = 0; k < nk && rc == RP_OK; k++) {
		size_t changed = 0;
		r = at[k];
		if (st[k] == RP_OK &&
		    (who[r].kind == MAPI_NICK_EX ? rec[k].legacy_dn != NULL
						 : rec[k].smtp != NULL))
			rc = mapi_nick_row_rewrite(&s, r, rec[k].legacy_dn, rec[k].smtp,
						   &changed);
		if (changed)
			cnt->rewritten++;
	}
	cnt->rows = s.nrows;
	cnt->left = s.nrows - cnt->rewritten;
	if (rc == RP_OK)
		rc = mapi_nick_encode(&s, out);
	if (rc < 0)
		rc = rp_error_wrap(rc, "%s", name);
	for (r = 0; who && r < s.nrows; r++)
		mapi_nick_who_free(&who[r]);
	free(keys);
	free(rec);
	free(who);
	free(st);
	free(at);
	mapi_nick_free(&s);
	return rc;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && rp_ascii_casecmp(s + n - k, suffix) == 0;
}

int feature_nicks_files(const feature_folders *u, const char *profile, char ***paths,
			size_t *n)
{
	char **v = NULL, *dir = NULL, *nk2 = NULL;
	plat_dirent *e = NULL;
	size_t ne = 0, i, k = 0;
	char sep = plat_sep();
	int rc = RP_OK;

	*paths = NULL;
	*n = 0;
	if (u->local_appdata) {
		dir = rp_asprintf("%s%cMicrosoft%cOutlook%cRoamCache", u->local_appdata,
				  sep, sep, sep);
		if (!dir)
			return RP_ENOMEM;
		if (plat_list_dir(dir, &e, &ne) != RP_OK) {
			rp_error_clear(); /* no RoamCache: Outlook 2010+ never ran */
			ne = 0;
		}
	}
	v = calloc(ne + 2, sizeof(*v));
	if (!v)
		rc = RP_ENOMEM;
	for (i = 0; i < ne && rc == RP_OK; i++) {
		if (e[i].is_dir ||
		    rp_ascii_ncasecmp(e[i].name, "Stream_Autocomplete_", 20) ||
		    !ends_with_ci(e[i].name, ".dat"))
			continue;
		if (!(v[k] = rp_asprintf("%s%c%s", dir, sep, e[i].name)))
			rc = RP_ENOMEM;
		else
			k++;
	}
	/* plat_list_dir order is the OS's: sort for a stable plan */
	for (i = 1; i < k; i++) {
		size_t j = i;
		while (j > 0 && strcmp(v[j - 1], v[j]) > 0) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
			j--;
		}
	}
	if (rc == RP_OK && u->appdata && profile) {
		nk2 = rp_asprintf("%s%cMicrosoft%cOutlook%c%s.nk2", u->appdata, sep, sep,
				  sep, profile);
		if (!nk2)
			rc = RP_ENOMEM;
		else if (plat_file_exists(nk2))
			v[k++] = nk2, nk2 = NULL;
	}
	free(nk2);
	free(dir);
	plat_dir_free(e, ne);
	if (rc < 0) {
		for (i = 0; i < k; i++)
			free(v[i]);
		free(v);
		return rc == RP_ENOMEM ? rp_error_set(RP_ENOMEM, "out of memory") : rc;
	}
	*paths = v;
	*n = k;
	return RP_OK;
}

void feature_paths_free(char **paths, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

int feature_nicks_read(const char *path, uint8_t **data, size_t *len)
{
	return cfg_read_file(path, NICKS_MAX_FILE, data, len);
}

/* Appends s to *acc, "; "-separated. */
static int add_note(char **acc, const char *s)
{
	char *n = *acc ? rp_asprintf("%s; %s", *acc, s) : rp_strdup(s);
	if (!n)
		return rp_error_set(RP_ENOMEM, "out of memory");
	free(*acc);
	*acc = n;
	return RP_OK;
}

/* The mailbox copy (Inbox FAI IPM.Configuration.Autocomplete) waits for
 * mailbox access; every message says so. */
#define MAILBOX_NOTE "mailbox copy: needs mailbox access"

int feature_nicks_plan(const feature_ctx *c, plan *out, feature_result *r)
{
	const feature_folders *f = c->folders;
	bool remove = c->mode == FEATURE_MODE_REMOVE;
	feature_nicks_count total = {0, 0, 0};
	char **paths = NULL, *skipped = NULL;
	size_t n = 0, i;
	int rc;

	/* When skipped the guide keeps the list as it is (links to source users). */
	if (c->mode == FEATURE_MODE_SKIP)
		return feature_result_msg(r, "skipped, nickname files left as they are");
	if (!f->local_appdata && !f->appdata) {
		r->warning = true;
		return feature_result_msg(
		    r,
		    "the user's folders are not known: nickname files "
		    "not %s; %s",
		    remove ? "removed" : "processed", MAILBOX_NOTE);
	}
	if ((rc = feature_folders_check(f)) < 0)
		return rp_error_wrap(rc, "nickname files not %s",
				     remove ? "removed" : "processed");
	rc = feature_nicks_files(f, c->p->name, &paths, &n);
	for (i = 0; i < n && rc == RP_OK; i++) {
		bool nk2 = ends_with_ci(paths[i], ".nk2");
		uint8_t *data = NULL;
		size_t len = 0;
		rp_buf nb = RP_BUF_INIT;
		feature_nicks_count cnt;

		if (remove) {
			rc = plan_delete_file(out, paths[i],
					      "Remove=Nicks: nickname file");
			continue;
		}
		rc = feature_nicks_read(paths[i], &data, &len);
		if (rc == RP_OK)
			rc = feature_nicks_rewrite(paths[i], data, len, nk2, c->dir, &nb,
						   &cnt);
		if (rc == RP_EUNSUPPORTED) {
			rc = add_note(&skipped, rp_error_msg());
			rp_error_clear();
		} else if (rc == RP_OK) {
			total.rows += cnt.rows;
			total.rewritten += cnt.rewritten;
			total.left += cnt.left;
			if (cnt.rewritten)
				rc = plan_write_file(out, paths[i], nb.data, nb.len,
						     nk2 ? "Nicks: .nk2 rows of migrated "
							   "recipients"
							 : "Nicks: autocomplete rows of "
							   "migrated recipients");
		}
		free(data);
		rp_buf_free(&nb);
	}
	r->found = (unsigned)total.rows;
	r->changed = (unsigned)total.rewritten;
	r->kept = (unsigned)total.left;
	if (rc == RP_OK && remove) {
		r->removed = (unsigned)n;
		rc = feature_result_msg(r, "%zu nickname file%s removed (backed up); %s",
					n, n == 1 ? "" : "s", MAILBOX_NOTE);
	} else if (rc == RP_OK && !n) {
		rc = feature_result_msg(r, "no nickname file found; %s", MAILBOX_NOTE);
	} else if (rc == RP_OK) {
		rc = feature_result_msg(
		    r, "%zu rows, %zu rewritten, %zu left (not migrated)%s%s%s; %s",
		    total.rows, total.rewritten, total.left,
		    c->dir ? "" : ", no recipient map", skipped ? "; left alone: " : "",
		    skipped ? skipped : "", MAILBOX_NOTE);
		r->warning = skipped != NULL;
	}
	free(skipped);
	feature_paths_free(paths, n);
	return rc;
}
