/* SRS: the profile's Send/Receive groups file, %APPDATA%\Microsoft\Outlook\
 * <profile>.srs. Its format is not public (mapi-binary-formats.md 5), so it is
 * never rewritten: when its bytes name the source mailbox (store entry ID,
 * legacyExchangeDN or SMTP address, as 8-bit or UTF-16LE text, any case) it
 * is backed up and removed, and Outlook rebuilds the default groups; else it
 * is kept. docs/features.md "SRS". */
#include "features.h"
#include "feature_int.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_ini.h"
#include "mapi/mapi_value.h"
#include "platform/plat.h"

#include <stdlib.h>
#include <string.h>

/* Larger than any Send/Receive groups file (a few KB). */
#define SRS_MAX_FILE (16u * 1024u * 1024u)

/* A string in 8-bit (Windows-1252) and in UTF-16LE. */
static const char *find_str(const uint8_t *d, size_t n, const char *s, const char *what8,
			    const char *what16)
{
	rp_buf a = RP_BUF_INIT, w = RP_BUF_INIT;
	const char *hit = NULL;
	if (!s || !*s)
		return NULL;
	if (mapi_utf8_to_str8(s, &a, false) == RP_OK &&
	    rp_find_units(d, n, a.data, a.len, 1, true))
		hit = what8;
	else if (rp_utf8_to_utf16le(s, strlen(s), &w, false) == RP_OK &&
		 rp_find_units(d, n, w.data, w.len / 2, 2, true))
		hit = what16;
	rp_error_clear();
	rp_buf_free(&a);
	rp_buf_free(&w);
	return hit;
}

const char *feature_srs_names_source(const uint8_t *data, size_t n,
				     const feature_srs_source *src)
{
	const char *hit = NULL;
	if (src->store_eid && src->store_eid_len &&
	    rp_find_units(data, n, src->store_eid, src->store_eid_len, 1, false))
		return "the source store entry ID";
	hit = find_str(data, n, src->dn, "the source mailbox DN",
		       "the source mailbox DN (UTF-16)");
	if (!hit)
		hit = find_str(data, n, src->smtp, "the source SMTP address",
			       "the source SMTP address (UTF-16)");
	return hit;
}

char *feature_srs_path(const feature_folders *u, const char *profile)
{
	char sep = plat_sep();
	if (!u->appdata || !profile)
		return NULL;
	return rp_asprintf("%s%cMicrosoft%cOutlook%c%s.srs", u->appdata, sep, sep, sep,
			   profile);
}

int feature_srs_plan(const feature_ctx *c, plan *out, feature_result *r)
{
	const profile_exchange *ex = &c->p->exchange[c->ex];
	const profile_store *st =
	    ex->primary_store >= 0 ? &c->p->stores[ex->primary_store] : NULL;
	feature_srs_source src = {st ? st->eid_raw : NULL, st ? st->eid_len : 0,
				  ex->mailbox_dn, ex->smtp};
	char *path;
	uint8_t *data = NULL;
	size_t len = 0;
	const char *hit;
	int rc;

	/* When skipped the file stays as it is (the guide: "some settings may
	 * be lost"). */
	if (c->mode == FEATURE_MODE_SKIP)
		return feature_result_msg(r, "skipped, the .srs file left as it is");
	if (!c->folders->appdata) {
		r->warning = true;
		return feature_result_msg(r, "the user's folders are not known: the .srs "
					     "file not processed");
	}
	if ((rc = feature_folders_check(c->folders)) < 0)
		return rp_error_wrap(rc, "the .srs file not processed");
	path = feature_srs_path(c->folders, c->p->name);
	if (!path)
		return rp_error_set(RP_ENOMEM, "out of memory");
	if (!plat_file_exists(path)) {
		rc = feature_result_msg(r, "no %s.srs file", c->p->name);
		free(path);
		return rc;
	}
	r->found = 1;
	rc = cfg_read_file(path, SRS_MAX_FILE, &data, &len);
	hit = rc == RP_OK ? feature_srs_names_source(data, len, &src) : NULL;
	if (rc == RP_OK && hit) {
		r->removed = 1;
		rc = plan_delete_file(out, path, "SRS: names the source mailbox");
		if (rc == RP_OK)
			rc = feature_result_msg(
			    r,
			    "%s removed (it names %s; Outlook rebuilds "
			    "the default groups)",
			    path, hit);
	} else if (rc == RP_OK) {
		r->kept = 1;
		rc = feature_result_msg(
		    r, "%s kept (it names nothing of the source mailbox)", path);
	}
	free(data);
	free(path);
	return rc;
}
