#include "cfg_switchlist.h"

#include "cfg_csv.h"
#include "cfg_ini.h"
#include "cfg_settings.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCOLS 4
static const char *const header[NCOLS] = {"source", "target_smtp", "target_legacy_dn",
					  "target_kind"};

static int add_bad(cfg_switchlist *l, int line, const char *source, const char *reason)
{
	cfg_switch_bad *b = realloc(l->bad, (l->nbad + 1) * sizeof(*b));
	if (!b)
		return rp_error_set(RP_ENOMEM, "out of memory");
	l->bad = b;
	b = &l->bad[l->nbad];
	b->line = line;
	b->source = source && *source ? rp_strdup(source) : NULL;
	b->reason = rp_strdup(reason);
	if ((source && *source && !b->source) || !b->reason) {
		free(b->source);
		free(b->reason);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	l->nbad++;
	return RP_OK;
}

/* Why a well-formed record is not a valid row, or NULL. */
static const char *row_problem(const cfg_csv_rec *r, char *buf, size_t n)
{
	const char *src = r->f[0], *dn;
	if (r->nf != NCOLS) {
		snprintf(buf, n, "%lu fields, expected %d", (unsigned long)r->nf, NCOLS);
		return buf;
	}
	if (!*src)
		return "empty source";
	if (src[0] != '/' && !cfg_is_smtp_address(src))
		return "source is neither an SMTP address nor a legacyExchangeDN";
	if (!cfg_is_smtp_address(r->f[1]))
		return "target_smtp is not an SMTP address";
	dn = r->f[2];
	if (*dn && rp_ascii_ncasecmp(dn, "/o=", 3) != 0)
		return "target_legacy_dn does not start with /o=";
	if (rp_ascii_casecmp(r->f[3], "exchange") != 0 &&
	    rp_ascii_casecmp(r->f[3], "o365") != 0)
		return "target_kind is not exchange or o365";
	return NULL;
}

static int add_entry(cfg_switchlist *l, cfg_csv_rec *r, int line, size_t *cap)
{
	cfg_switch_entry *e;
	if (l->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		e = realloc(l->entries, nc * sizeof(*e));
		if (!e)
			return rp_error_set(RP_ENOMEM, "out of memory");
		l->entries = e;
		*cap = nc;
	}
	e = &l->entries[l->n++];
	e->source = r->f[0];
	e->target_smtp = r->f[1];
	e->target_legacy_dn = *r->f[2] ? r->f[2] : NULL;
	if (!e->target_legacy_dn)
		free(r->f[2]);
	e->kind = rp_ascii_casecmp(r->f[3], "o365") == 0 ? CFG_TARGET_O365
							 : CFG_TARGET_EXCHANGE;
	free(r->f[3]);
	e->line = line;
	memset(r->f, 0, sizeof(r->f));
	return RP_OK;
}

static int cmp_entry(const void *a, const void *b)
{
	const cfg_switch_entry *x = a, *y = b;
	int c = rp_name_cmp(x->source, y->source);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static bool same_target(const cfg_switch_entry *a, const cfg_switch_entry *b)
{
	if (a->kind != b->kind || rp_ascii_casecmp(a->target_smtp, b->target_smtp) != 0)
		return false;
	if (!a->target_legacy_dn || !b->target_legacy_dn)
		return a->target_legacy_dn == b->target_legacy_dn;
	return rp_name_cmp(a->target_legacy_dn, b->target_legacy_dn) == 0;
}

static int check_duplicates(cfg_switchlist *l)
{
	size_t i;
	int rc = RP_OK;
	for (i = 1; i < l->n && rc == RP_OK; i++) {
		const cfg_switch_entry *a = &l->entries[i - 1], *b = &l->entries[i];
		char msg[64];
		if (rp_name_cmp(a->source, b->source) != 0 || same_target(a, b))
			continue;
		snprintf(msg, sizeof(msg), "another target for this source at line %d",
			 a->line);
		rc = add_bad(l, b->line, b->source, msg);
	}
	return rc;
}

int cfg_switchlist_parse(const char *path, const uint8_t *data, size_t len,
			 cfg_switchlist **out)
{
	cfg_switchlist *l;
	char *text = NULL;
	size_t tlen, cap = 0, i;
	const char *enc, *p, *end;
	int line = 1, rc;
	bool have_header = false;

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
		char buf[64];
		const char *why;

		rc = cfg_csv_read(&p, end, &line, &r);
		if (rc != RP_OK)
			goto fail;
		if (cfg_csv_blank(&r)) {
			cfg_csv_clear(&r);
			continue; /* blank line */
		}
		if (!have_header) {
			bool ok = !r.err[0] && r.nf == NCOLS;
			for (i = 0; ok && i < NCOLS; i++)
				ok = rp_ascii_casecmp(r.f[i], header[i]) == 0;
			cfg_csv_clear(&r);
			if (!ok) {
				rc = rp_error_set(
				    RP_EFORMAT,
				    "%s:%d: the header must be "
				    "source,target_smtp,target_legacy_dn,target_kind",
				    path, rline);
				goto fail;
			}
			have_header = true;
			continue;
		}
		why = r.err[0] ? r.err : row_problem(&r, buf, sizeof(buf));
		if (why)
			rc = add_bad(l, rline, r.nf ? r.f[0] : NULL, why);
		else
			rc = add_entry(l, &r, rline, &cap);
		cfg_csv_clear(&r);
		if (rc != RP_OK)
			goto fail;
	}
	if (!have_header) {
		rc = rp_error_set(RP_EFORMAT, "%s: empty file (no header line)", path);
		goto fail;
	}
	if (l->n > 1)
		qsort(l->entries, l->n, sizeof(*l->entries), cmp_entry);
	rc = check_duplicates(l);
	if (rc != RP_OK)
		goto fail;
	free(text);
	*out = l;
	return RP_OK;
fail:
	free(text);
	cfg_switchlist_free(l);
	return rc;
}

int cfg_switchlist_load(const char *path, cfg_switchlist **out)
{
	uint8_t *data;
	size_t len;
	int rc = cfg_read_file(path, CFG_SWITCHLIST_MAX_SIZE, &data, &len);
	if (rc != RP_OK) {
		*out = NULL;
		return rp_error_wrap(rc, "switch list");
	}
	rc = cfg_switchlist_parse(path, data, len, out);
	free(data);
	return rc;
}

void cfg_switchlist_free(cfg_switchlist *l)
{
	size_t i;
	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->entries[i].source);
		free(l->entries[i].target_smtp);
		free(l->entries[i].target_legacy_dn);
	}
	for (i = 0; i < l->nbad; i++) {
		free(l->bad[i].source);
		free(l->bad[i].reason);
	}
	free(l->entries);
	free(l->bad);
	free(l->path);
	free(l);
}

static const cfg_switch_entry *find_entry(const cfg_switchlist *l, const char *key)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = rp_name_cmp(key, l->entries[mid].source);
		if (c == 0) {
			while (mid > 0 &&
			       rp_name_cmp(key, l->entries[mid - 1].source) == 0)
				mid--;
			return &l->entries[mid];
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const cfg_switch_bad *find_bad(const cfg_switchlist *l, const char *key)
{
	size_t i;
	for (i = 0; i < l->nbad; i++)
		if (l->bad[i].source && rp_name_cmp(l->bad[i].source, key) == 0)
			return &l->bad[i];
	return NULL;
}

enum cfg_sl_result cfg_switchlist_lookup(const cfg_switchlist *l, const char *smtp,
					 const char *legacy_dn,
					 const cfg_switch_entry **entry,
					 const cfg_switch_bad **bad)
{
	const cfg_switch_bad *b = NULL;
	const cfg_switch_entry *e = NULL;
	if (entry)
		*entry = NULL;
	if (bad)
		*bad = NULL;
	if (smtp && *smtp)
		b = find_bad(l, smtp);
	if (!b && legacy_dn && *legacy_dn)
		b = find_bad(l, legacy_dn);
	if (b) {
		if (bad)
			*bad = b;
		return CFG_SL_INVALID;
	}
	if (smtp && *smtp)
		e = find_entry(l, smtp);
	if (!e && legacy_dn && *legacy_dn)
		e = find_entry(l, legacy_dn);
	if (!e)
		return CFG_SL_NOT_LISTED;
	if (entry)
		*entry = e;
	return CFG_SL_FOUND;
}
