/* cfg_swmlist.c - the bulk switch-message list (cfg_swmlist.h). */
#include "cfg_swmlist.h"

#include "cfg_csv.h"
#include "cfg_ini.h"
#include "cfg_settings.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_SOURCE, C_SOURCE_DN, C_TSMTP, C_TDN, C_KIND, C_RECREATE, C_URL, NCOLS_MAX };
#define NCOLS_MIN C_URL
static const char *const header[NCOLS_MAX] = {
    "source",      "source_dn", "target_smtp",  "target_dn",
    "target_kind", "recreate",  "mailstore_url"};

static bool is_dn(const char *s)
{
	return rp_ascii_ncasecmp(s, "/o=", 3) == 0;
}

/* Why a well-formed record is not a valid row, or NULL. */
static const char *row_problem(const cfg_csv_rec *r, size_t ncols, char *buf, size_t n)
{
	const char *k = r->f[C_KIND], *rc = r->f[C_RECREATE];
	if (r->nf != ncols) {
		snprintf(buf, n, "%lu fields, expected %lu", (unsigned long)r->nf,
			 (unsigned long)ncols);
		return buf;
	}
	if (!cfg_is_smtp_address(r->f[C_SOURCE]))
		return "source is not an SMTP address";
	if (!is_dn(r->f[C_SOURCE_DN]))
		return "source_dn does not start with /o=";
	if (!cfg_is_smtp_address(r->f[C_TSMTP]))
		return "target_smtp is not an SMTP address";
	if (!is_dn(r->f[C_TDN]))
		return "target_dn does not start with /o=";
	if (*k && rp_ascii_casecmp(k, "exchange") != 0 &&
	    rp_ascii_casecmp(k, "o365") != 0)
		return "target_kind is not exchange or o365";
	if (*rc && strcmp(rc, "0") != 0 && strcmp(rc, "1") != 0)
		return "recreate is not 0 or 1";
	if (ncols > C_URL && *r->f[C_URL] &&
	    rp_ascii_ncasecmp(r->f[C_URL], "https://", 8))
		return "mailstore_url is not an https URL";
	return NULL;
}

static char *take(cfg_csv_rec *r, int i)
{
	char *s = r->f[i];
	r->f[i] = NULL;
	return s;
}

static int add_row(cfg_swmlist *l, size_t *cap, int line, cfg_csv_rec *r, const char *why)
{
	cfg_swm_row *w;
	if (l->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		if (!(w = realloc(l->rows, nc * sizeof(*w))))
			return rp_error_set(RP_ENOMEM, "out of memory");
		l->rows = w;
		*cap = nc;
	}
	w = &l->rows[l->n];
	memset(w, 0, sizeof(*w));
	w->line = line;
	if (why) {
		if (!(w->reason = rp_strdup(why)))
			return rp_error_set(RP_ENOMEM, "out of memory");
		l->n++;
		l->nbad++;
		return RP_OK;
	}
	w->source = take(r, C_SOURCE);
	w->source_dn = take(r, C_SOURCE_DN);
	w->target_smtp = take(r, C_TSMTP);
	w->target_dn = take(r, C_TDN);
	w->o365 = rp_ascii_casecmp(r->f[C_KIND], "o365") == 0;
	w->recreate = strcmp(r->f[C_RECREATE], "1") == 0;
	if (r->nf > C_URL && *r->f[C_URL])
		w->url = take(r, C_URL);
	l->n++;
	return RP_OK;
}

/* The earlier valid row for the same source mailbox, or NULL. */
static const cfg_swm_row *earlier(const cfg_swmlist *l, const char *dn)
{
	for (size_t i = 0; i < l->n; i++)
		if (!l->rows[i].reason && rp_name_eq(l->rows[i].source_dn, dn))
			return &l->rows[i];
	return NULL;
}

int cfg_swmlist_parse(const char *path, const uint8_t *data, size_t len,
		      cfg_swmlist **out)
{
	cfg_swmlist *l;
	char *text = NULL;
	size_t tlen, cap = 0, ncols = 0;
	const char *enc, *p, *end;
	int line = 1, rc;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l || !(l->path = rp_strdup(path))) {
		free(l);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	rc = cfg_text_decode(data, len, &text, &tlen, &enc);
	if (rc != RP_OK) {
		rp_error_wrap(rc, "%s", path);
		goto fail;
	}
	p = text;
	end = text + tlen;
	while (p < end) {
		cfg_csv_rec r;
		int rline = line;
		char buf[96];
		const char *why;
		const cfg_swm_row *dup;

		if ((rc = cfg_csv_read(&p, end, &line, &r)) != RP_OK)
			goto fail;
		if (cfg_csv_blank(&r)) {
			cfg_csv_clear(&r);
			continue;
		}
		if (!ncols) {
			bool ok = !r.err[0] && (r.nf == NCOLS_MIN || r.nf == NCOLS_MAX);
			for (size_t i = 0; ok && i < r.nf; i++)
				ok = rp_ascii_casecmp(r.f[i], header[i]) == 0;
			ncols = ok ? r.nf : 0;
			cfg_csv_clear(&r);
			if (!ok) {
				rc =
				    rp_error_set(RP_EFORMAT,
						 "%s:%d: the header must be "
						 "source,source_dn,target_smtp,target_dn,"
						 "target_kind,recreate[,mailstore_url]",
						 path, rline);
				goto fail;
			}
			continue;
		}
		why = r.err[0] ? r.err : row_problem(&r, ncols, buf, sizeof(buf));
		if (!why && (dup = earlier(l, r.f[C_SOURCE_DN])) != NULL) {
			snprintf(buf, sizeof(buf),
				 "another row for this source_dn at line %d", dup->line);
			why = buf;
		}
		rc = add_row(l, &cap, rline, &r, why);
		cfg_csv_clear(&r);
		if (rc != RP_OK)
			goto fail;
	}
	if (!ncols) {
		rc = rp_error_set(RP_EFORMAT, "%s: empty file (no header line)", path);
		goto fail;
	}
	free(text);
	*out = l;
	return RP_OK;
fail:
	free(text);
	cfg_swmlist_free(l);
	return rc;
}

int cfg_swmlist_load(const char *path, cfg_swmlist **out)
{
	uint8_t *data;
	size_t len;
	int rc = cfg_read_file(path, CFG_SWMLIST_MAX_SIZE, &data, &len);
	if (rc != RP_OK) {
		*out = NULL;
		return rc;
	}
	rc = cfg_swmlist_parse(path, data, len, out);
	free(data);
	return rc;
}

void cfg_swmlist_free(cfg_swmlist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		cfg_swm_row *w = &l->rows[i];
		free(w->reason);
		free(w->source);
		free(w->source_dn);
		free(w->target_smtp);
		free(w->target_dn);
		free(w->url);
	}
	free(l->rows);
	free(l->path);
	free(l);
}
