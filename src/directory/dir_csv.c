/* dir_csv.c - the CSV backend: a mapping file for sites without directory
 * access. RFC 4180 records; the header names the columns (any order):
 *   source (required), target_legacy_dn, target_smtp, display_name, kind,
 *   source_legacy_dn, source_smtp
 * One row per source key (a legacyExchangeDN, X500:, SMTP address). A row
 * whose two target columns are empty marks a known, not yet migrated source. */
#include "dir_impl.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "platform/plat.h"
#include "base/rp_str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX_BYTES (64u * 1024u * 1024u)

enum col {
	COL_SOURCE,
	COL_TLEG,
	COL_TSMTP,
	COL_NAME,
	COL_KIND,
	COL_SLEG,
	COL_SSMTP,
	NCOLS
};

static const char *const col_names[NCOLS] = {
    "source", "target_legacy_dn", "target_smtp", "display_name",
    "kind",   "source_legacy_dn", "source_smtp"};

struct csv_ent {
	dir_source_key key;
	int status;
	dir_recipient rec;
	unsigned long line;
};

struct csv_impl {
	uint8_t *arena; /* NUL-terminated fields, back to back */
	struct csv_ent *ents;
	size_t nents;
};

struct record {
	unsigned long line;
	size_t nf;
	size_t off[NCOLS];
};

struct parser {
	const char *p;
	size_t len, pos;
	unsigned long line;
	const char *name;
	rp_buf arena;
};

static int perr(const struct parser *ps, unsigned long line, const char *msg)
{
	return rp_error_set(RP_EFORMAT, "%s:%lu: %s", ps->name, line, msg);
}

/* Reads one record into rec (field text appended to the arena). Returns 1 for
 * a record, 0 at end of input, or an error. */
static int read_record(struct parser *ps, struct record *rec)
{
	int rc;
	if (ps->pos >= ps->len)
		return 0;
	rec->line = ps->line;
	rec->nf = 0;
	for (;;) {
		size_t start = ps->arena.len;
		if (rec->nf == NCOLS)
			return perr(ps, rec->line, "too many fields (at most 7 columns)");
		if (ps->pos < ps->len && ps->p[ps->pos] == '"') {
			ps->pos++;
			for (;;) {
				char c;
				if (ps->pos >= ps->len)
					return perr(ps, rec->line,
						    "unterminated quoted field");
				c = ps->p[ps->pos];
				if (c == '"') {
					if (ps->pos + 1 < ps->len &&
					    ps->p[ps->pos + 1] == '"') {
						ps->pos += 2;
					} else {
						ps->pos++;
						break;
					}
				} else {
					ps->pos++;
					if (c == '\n')
						ps->line++;
					else if (c == '\0')
						return perr(ps, ps->line,
							    "NUL byte in field");
				}
				if ((rc = rp_buf_u8(&ps->arena, (uint8_t)c)) < 0)
					return rc;
			}
			if (ps->pos < ps->len && ps->p[ps->pos] != ',' &&
			    ps->p[ps->pos] != '\r' && ps->p[ps->pos] != '\n')
				return perr(ps, ps->line, "text after a closing quote");
		} else {
			while (ps->pos < ps->len) {
				char c = ps->p[ps->pos];
				if (c == ',' || c == '\r' || c == '\n')
					break;
				if (c == '"')
					return perr(ps, ps->line,
						    "quote inside an unquoted field");
				if (c == '\0')
					return perr(ps, ps->line, "NUL byte in field");
				if ((rc = rp_buf_u8(&ps->arena, (uint8_t)c)) < 0)
					return rc;
				ps->pos++;
			}
		}
		if ((rc = rp_buf_u8(&ps->arena, 0)) < 0)
			return rc;
		rec->off[rec->nf++] = start;
		if (ps->pos >= ps->len)
			return 1;
		if (ps->p[ps->pos] == ',') {
			ps->pos++;
			continue;
		}
		if (ps->p[ps->pos] == '\r')
			ps->pos++;
		if (ps->pos < ps->len && ps->p[ps->pos] == '\n')
			ps->pos++;
		ps->line++;
		return 1;
	}
}

static int ent_cmp(const void *a, const void *b)
{
	const struct csv_ent *x = a, *y = b;
	if (x->key.kind != y->key.kind)
		return x->key.kind < y->key.kind ? -1 : 1;
	return rp_name_cmp(x->key.value, y->key.value);
}

/* For sorting: equal keys in file order, so the duplicate reported (the later
 * line's spelling) does not depend on the C library's qsort. */
static int ent_sort_cmp(const void *a, const void *b)
{
	const struct csv_ent *x = a, *y = b;
	int c = ent_cmp(a, b);
	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void csv_close(void *impl)
{
	struct csv_impl *c = impl;
	if (!c)
		return;
	free(c->arena);
	free(c->ents);
	free(c);
}

static int csv_resolve(dir_resolver *r, const dir_source_key *keys, size_t n,
		       dir_recipient *out, int *status)
{
	struct csv_impl *c = r->impl;
	size_t i;
	for (i = 0; i < n; i++) {
		struct csv_ent probe, *e;
		probe.key = keys[i];
		e = c->nents
			? bsearch(&probe, c->ents, c->nents, sizeof(*c->ents), ent_cmp)
			: NULL;
		status[i] = e ? e->status : RP_ENOTFOUND;
		if (e && e->status == RP_OK)
			out[i] = e->rec;
	}
	return RP_OK;
}

static const struct dir_backend csv_backend = {
    .name = "csv",
    .resolve = csv_resolve,
    .scp_urls = NULL,
    .close = csv_close,
};

static const char *opt(const char *s)
{
	return s && s[0] ? s : NULL;
}

/* Validates one data row and turns it into an entry (pointers into arena). */
static int make_ent(const struct parser *ps, const int *map, const struct record *rec,
		    const char *arena, struct csv_ent *e)
{
	const char *f[NCOLS] = {NULL};
	size_t i;
	char msg[160];
	for (i = 0; i < rec->nf; i++)
		if (map[i] >= 0)
			f[map[i]] = arena + rec->off[i];
	memset(e, 0, sizeof(*e));
	e->line = rec->line;
	if (!opt(f[COL_SOURCE]))
		return perr(ps, rec->line, "empty source");
	if (dir_key_parse(f[COL_SOURCE], &e->key) < 0)
		return rp_error_wrap(RP_EFORMAT, "%s:%lu: column source", ps->name,
				     rec->line);
	e->rec.legacy_dn = opt(f[COL_TLEG]);
	e->rec.smtp = opt(f[COL_TSMTP]);
	e->rec.display_name = opt(f[COL_NAME]);
	e->rec.source_legacy_dn = opt(f[COL_SLEG]);
	e->rec.source_smtp = opt(f[COL_SSMTP]);
	if (e->rec.legacy_dn && e->rec.legacy_dn[0] != '/') {
		snprintf(msg, sizeof(msg),
			 "target_legacy_dn '%.60s' does not start with '/'",
			 e->rec.legacy_dn);
		return perr(ps, rec->line, msg);
	}
	if (e->rec.smtp && !strchr(e->rec.smtp, '@')) {
		snprintf(msg, sizeof(msg), "target_smtp '%.60s' has no '@'", e->rec.smtp);
		return perr(ps, rec->line, msg);
	}
	if (opt(f[COL_KIND]) && dir_kind_parse(f[COL_KIND], &e->rec.kind) < 0)
		return rp_error_wrap(RP_EFORMAT, "%s:%lu: column kind", ps->name,
				     rec->line);
	e->status = (e->rec.legacy_dn || e->rec.smtp) ? RP_OK : RP_ENOTFOUND;
	return RP_OK;
}

int dir_open_csv_mem(const char *data, size_t len, const char *name, dir_resolver **out)
{
	struct parser ps = {data, len, 0, 1, name, RP_BUF_INIT};
	struct record hdr, *rows = NULL;
	size_t nrows = 0, caprows = 0, i;
	int map[NCOLS], seen[NCOLS] = {0};
	struct csv_impl *c = NULL;
	int rc;

	*out = NULL;
	if (len > CSV_MAX_BYTES)
		return rp_error_set(RP_ELIMIT, "%s: larger than 64 MiB", name);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		ps.pos = 3;
	rc = read_record(&ps, &hdr);
	if (rc == 0)
		rc = rp_error_set(RP_EFORMAT, "%s:1: empty file (expected a header line)",
				  name);
	if (rc < 0)
		goto fail;
	for (i = 0; i < hdr.nf; i++) {
		const char *h = (const char *)ps.arena.data + hdr.off[i];
		size_t k;
		map[i] = -1;
		for (k = 0; k < NCOLS; k++)
			if (rp_ascii_casecmp(h, col_names[k]) == 0)
				map[i] = (int)k;
		if (map[i] < 0) {
			rc = rp_error_set(RP_EFORMAT, "%s:%lu: unknown column '%s'", name,
					  hdr.line, h);
			goto fail;
		}
		if (seen[map[i]]++) {
			rc = rp_error_set(RP_EFORMAT, "%s:%lu: column '%s' appears twice",
					  name, hdr.line, h);
			goto fail;
		}
	}
	if (!seen[COL_SOURCE] || (!seen[COL_TLEG] && !seen[COL_TSMTP])) {
		rc = rp_error_set(RP_EFORMAT,
				  "%s:%lu: header needs 'source' and 'target_legacy_dn' "
				  "or 'target_smtp'",
				  name, hdr.line);
		goto fail;
	}
	for (;;) {
		struct record rec;
		rc = read_record(&ps, &rec);
		if (rc < 0)
			goto fail;
		if (rc == 0)
			break;
		if (rec.nf == 1 && ps.arena.data[rec.off[0]] == 0)
			continue; /* blank line */
		if (rec.nf != hdr.nf) {
			rc = rp_error_set(
			    RP_EFORMAT, "%s:%lu: expected %lu fields, found %lu", name,
			    rec.line, (unsigned long)hdr.nf, (unsigned long)rec.nf);
			goto fail;
		}
		if (nrows == caprows) {
			size_t nc = caprows ? caprows * 2 : 64;
			struct record *nr = realloc(rows, nc * sizeof(*nr));
			if (!nr) {
				rc = rp_error_set(RP_ENOMEM, "%s: out of memory", name);
				goto fail;
			}
			rows = nr;
			caprows = nc;
		}
		rows[nrows++] = rec;
	}
	c = calloc(1, sizeof(*c));
	if (!c || (nrows && !(c->ents = calloc(nrows, sizeof(*c->ents))))) {
		rc = rp_error_set(RP_ENOMEM, "%s: out of memory", name);
		goto fail;
	}
	for (i = 0; i < nrows; i++)
		if ((rc = make_ent(&ps, map, &rows[i], (const char *)ps.arena.data,
				   &c->ents[i])) < 0)
			goto fail;
	c->nents = nrows;
	if (nrows)
		qsort(c->ents, nrows, sizeof(*c->ents), ent_sort_cmp);
	for (i = 1; i < nrows; i++)
		if (ent_cmp(&c->ents[i - 1], &c->ents[i]) == 0) {
			unsigned long a = c->ents[i - 1].line, b = c->ents[i].line;
			rc = rp_error_set(
			    RP_EFORMAT,
			    "%s:%lu: duplicate source '%s' (also on line %lu)", name,
			    a > b ? a : b, c->ents[i].key.value, a > b ? b : a);
			goto fail;
		}
	free(rows);
	c->arena = rp_buf_steal(&ps.arena, &len);
	return dir_resolver_new(&csv_backend, c, 0, out);
fail:
	free(rows);
	if (c) {
		free(c->ents);
		free(c);
	}
	rp_buf_free(&ps.arena);
	return rc;
}

int dir_open_csv(const char *path, dir_resolver **out)
{
	FILE *f;
	rp_buf b = RP_BUF_INIT;
	char chunk[65536];
	size_t n;
	int rc = RP_OK;

	*out = NULL;
	f = plat_fopen(path, "rb");
	if (!f)
		return rp_error_set(RP_EIO, "%s: cannot open: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > CSV_MAX_BYTES) {
			rc = rp_error_set(RP_ELIMIT, "%s: larger than 64 MiB", path);
			break;
		}
		if ((rc = rp_buf_append(&b, chunk, n)) < 0)
			break;
	}
	if (rc == RP_OK && ferror(f))
		rc = rp_error_set(RP_EIO, "%s: read error", path);
	fclose(f);
	if (rc == RP_OK)
		rc = dir_open_csv_mem(b.data ? (const char *)b.data : "", b.len, path,
				      out);
	rp_buf_free(&b);
	return rc;
}
