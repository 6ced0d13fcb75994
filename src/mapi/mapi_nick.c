/* mapi_nick.c - nickname cache (autocomplete stream / .nk2) decode, encode and
 * row rewrite. Layout: mapi_nick.h. Entry IDs inside rows go through
 * mapi_eid; all reading goes through rp_cur. */
#include "mapi_nick.h"

#include "mapi_eid.h"
#include "mapi_tag.h"
#include "mapi_value.h"

#include "../base/rp_cur.h"
#include "../base/rp_err.h"
#include "../base/rp_str.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define PROP_HDR 16u /* tag, reserved, union */

bool mapi_nick_major_ok(uint32_t major, bool nk2)
{
	return major == (nk2 ? MAPI_NICK_MAJOR_NK2 : MAPI_NICK_MAJOR_STREAM);
}

static bool type_static(uint16_t t)
{
	switch (t) {
	case PT_SHORT:
	case PT_LONG:
	case PT_ERROR:
	case PT_FLOAT:
	case PT_DOUBLE:
	case PT_BOOLEAN:
	case PT_SYSTIME:
	case PT_I8:
		return true;
	default:
		return false;
	}
}

static bool type_counted(uint16_t t)
{
	return t == PT_STRING8 || t == PT_UNICODE || t == PT_BINARY;
}

static bool type_mv(uint16_t t)
{
	return t == PT_MV_BINARY || t == PT_MV_STRING8 || t == PT_MV_UNICODE;
}

static void bytes_free(mapi_nick_bytes *b)
{
	if (b->owned)
		free((void *)b->p);
	b->p = NULL;
	b->n = 0;
	b->owned = false;
}

static void prop_free(mapi_nick_prop *pr)
{
	size_t i;
	bytes_free(&pr->data);
	for (i = 0; i < pr->count && pr->mv; i++)
		bytes_free(&pr->mv[i]);
	free(pr->mv);
	pr->mv = NULL;
	pr->count = 0;
}

void mapi_nick_free(mapi_nick *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->nprops; i++)
		prop_free(&s->props[i]);
	free(s->props);
	free(s->rows);
	bytes_free(&s->extra);
	free(s->raw);
	memset(s, 0, sizeof(*s));
}

/* u32 cb + cb bytes, as a view. */
static int counted(rp_cur *c, mapi_nick_bytes *out, const char *what)
{
	uint32_t cb;
	int rc = rp_cur_u32(c, &cb, what);
	if (rc == RP_OK)
		rc = rp_cur_view(c, &out->p, cb, what);
	out->n = cb;
	return rc;
}

static int prop_decode(rp_cur *c, mapi_nick_prop *pr)
{
	uint16_t t;
	int rc = rp_cur_u32(c, &pr->tag, "property tag");
	if (rc == RP_OK)
		rc = rp_cur_bytes(c, pr->reserved, 4, "property reserved field");
	if (rc == RP_OK)
		rc = rp_cur_bytes(c, pr->un, 8, "property value union");
	if (rc < 0)
		return rc;
	t = PROP_TYPE(pr->tag);
	if (type_static(t))
		return RP_OK;
	if (type_counted(t))
		return counted(c, &pr->data, "property value");
	if (t == PT_CLSID)
		return rp_cur_view(c, &pr->data.p, pr->data.n = 16, "property GUID");
	if (type_mv(t)) {
		uint32_t n, i;
		rc = rp_cur_u32(c, &n, "multi-value count");
		if (rc < 0)
			return rc;
		/* every item needs at least its 4-byte count */
		if (n > rp_cur_left(c) / 4)
			return rp_error_set(
			    RP_EFORMAT,
			    "multi-value count %u cannot fit in the %zu bytes "
			    "left at offset %zu",
			    n, rp_cur_left(c), c->off);
		pr->mv = calloc(n ? n : 1, sizeof(*pr->mv));
		if (!pr->mv)
			return rp_error_set(RP_ENOMEM, "out of memory");
		pr->count = n;
		for (i = 0; i < n && rc == RP_OK; i++)
			rc = counted(c, &pr->mv[i], "multi-value item");
		return rc;
	}
	return rp_error_set(RP_EFORMAT,
			    "property type 0x%04X has no layout in a nickname stream "
			    "(at offset %zu)",
			    t, c->off - PROP_HDR);
}

static int grow_props(mapi_nick *s, size_t need, size_t *cap)
{
	mapi_nick_prop *np;
	size_t ncap;
	if (need <= *cap)
		return RP_OK;
	ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	np = realloc(s->props, ncap * sizeof(*np));
	if (!np)
		return rp_error_set(RP_ENOMEM, "out of memory");
	memset(np + *cap, 0, (ncap - *cap) * sizeof(*np));
	s->props = np;
	*cap = ncap;
	return RP_OK;
}

static int decode(mapi_nick *out, const uint8_t *p, size_t n, bool copy)
{
	rp_cur c;
	uint32_t nrows, r, cb;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (copy) {
		out->raw = malloc(n ? n : 1);
		if (!out->raw)
			return rp_error_set(RP_ENOMEM, "out of memory");
		if (n)
			memcpy(out->raw, p, n);
		p = out->raw;
	}
	out->raw_len = n;
	rp_cur_init(&c, p, n);

	rc = rp_cur_bytes(&c, out->metadata, 4, "metadata");
	if (rc == RP_OK)
		rc = rp_cur_u32(&c, &out->major, "major version");
	if (rc == RP_OK)
		rc = rp_cur_u32(&c, &out->minor, "minor version");
	if (rc == RP_OK)
		rc = rp_cur_u32(&c, &nrows, "row count");
	if (rc < 0)
		return rc;
	if (rp_le32(out->metadata) != MAPI_NICK_METADATA)
		return rp_error_set(RP_EFORMAT,
				    "not a nickname cache (metadata %02X%02X%02X%02X, "
				    "expected 0DF0ADBA)",
				    out->metadata[0], out->metadata[1], out->metadata[2],
				    out->metadata[3]);
	/* a row is at least its property count; the trailer needs 12 more */
	if (nrows > rp_cur_left(&c) / 4)
		return rp_error_set(RP_EFORMAT,
				    "row count %u cannot fit in the %zu bytes left at "
				    "offset 12",
				    nrows, rp_cur_left(&c));
	out->rows = calloc(nrows ? nrows : 1, sizeof(*out->rows));
	if (!out->rows)
		return rp_error_set(RP_ENOMEM, "out of memory");

	for (r = 0; r < nrows; r++) {
		uint32_t np, i;
		size_t at = c.off;
		rc = rp_cur_u32(&c, &np, "property count");
		if (rc == RP_OK && np > rp_cur_left(&c) / PROP_HDR)
			rc = rp_error_set(RP_EFORMAT,
					  "property count %u cannot fit in the %zu bytes "
					  "left at offset %zu",
					  np, rp_cur_left(&c), at);
		if (rc == RP_OK)
			rc = grow_props(out, out->nprops + np, &cap);
		if (rc < 0)
			return rp_error_wrap(rc, "row %u", r);
		out->rows[r].first = out->nprops;
		out->rows[r].count = np;
		out->nrows = r + 1u;
		for (i = 0; i < np; i++) {
			rc = prop_decode(&c, &out->props[out->nprops++]);
			if (rc < 0)
				return rp_error_wrap(rc, "row %u, property %u", r, i);
		}
	}

	rc = rp_cur_u32(&c, &cb, "extra-info byte count");
	if (rc == RP_OK)
		rc = rp_cur_view(&c, &out->extra.p, cb, "extra info");
	out->extra.n = cb;
	if (rc == RP_OK)
		rc = rp_cur_bytes(&c, out->trailer, 8, "closing metadata");
	if (rc == RP_OK && rp_cur_left(&c))
		rc = rp_error_set(RP_EFORMAT,
				  "%zu bytes after the closing metadata at offset %zu",
				  rp_cur_left(&c), c.off);
	if (rc < 0)
		out->extra.p = NULL, out->extra.n = 0;
	return rc;
}

int mapi_nick_decode(mapi_nick *out, const uint8_t *p, size_t n)
{
	return decode(out, p, n, true);
}

int mapi_nick_decode_view(mapi_nick *out, const uint8_t *p, size_t n)
{
	return decode(out, p, n, false);
}

static int put_counted(rp_buf *b, const mapi_nick_bytes *v)
{
	int rc;
	if (v->n > UINT32_MAX)
		return rp_error_set(RP_EINVAL, "nickname value of %zu bytes is too long",
				    v->n);
	rc = rp_buf_u32le(b, (uint32_t)v->n);
	return rc == RP_OK ? rp_buf_append(b, v->p, v->n) : rc;
}

static int prop_encode(const mapi_nick_prop *pr, rp_buf *b)
{
	uint16_t t = PROP_TYPE(pr->tag);
	size_t i;
	int rc = rp_buf_u32le(b, pr->tag);
	if (rc == RP_OK)
		rc = rp_buf_append(b, pr->reserved, 4);
	if (rc == RP_OK)
		rc = rp_buf_append(b, pr->un, 8);
	if (rc < 0 || type_static(t))
		return rc;
	if (type_counted(t))
		return put_counted(b, &pr->data);
	if (t == PT_CLSID) {
		if (pr->data.n != 16)
			return rp_error_set(RP_EINVAL, "PT_CLSID value of %zu bytes",
					    pr->data.n);
		return rp_buf_append(b, pr->data.p, 16);
	}
	if (type_mv(t)) {
		if (pr->count > UINT32_MAX)
			return rp_error_set(RP_EINVAL, "too many values");
		rc = rp_buf_u32le(b, (uint32_t)pr->count);
		for (i = 0; i < pr->count && rc == RP_OK; i++)
			rc = put_counted(b, &pr->mv[i]);
		return rc;
	}
	return rp_error_set(RP_EINVAL, "property type 0x%04X cannot be written", t);
}

int mapi_nick_encode(const mapi_nick *s, rp_buf *out)
{
	size_t r, i;
	int rc;

	if (s->nrows > UINT32_MAX)
		return rp_error_set(RP_EINVAL, "too many rows");
	/* rewritten rows are usually a little longer than the originals */
	rc = rp_buf_reserve(out, s->raw_len + s->raw_len / 16 + 64);
	if (rc == RP_OK)
		rc = rp_buf_append(out, s->metadata, 4);
	if (rc == RP_OK)
		rc = rp_buf_u32le(out, s->major);
	if (rc == RP_OK)
		rc = rp_buf_u32le(out, s->minor);
	if (rc == RP_OK)
		rc = rp_buf_u32le(out, (uint32_t)s->nrows);
	for (r = 0; r < s->nrows && rc == RP_OK; r++) {
		const mapi_nick_row *row = &s->rows[r];
		if (row->count > UINT32_MAX)
			return rp_error_set(RP_EINVAL, "row %zu: too many properties", r);
		rc = rp_buf_u32le(out, (uint32_t)row->count);
		for (i = 0; i < row->count && rc == RP_OK; i++)
			rc = prop_encode(&s->props[row->first + i], out);
		if (rc < 0)
			return rp_error_wrap(rc, "row %zu", r);
	}
	if (rc == RP_OK)
		rc = put_counted(out, &s->extra);
	if (rc == RP_OK)
		rc = rp_buf_append(out, s->trailer, 8);
	return rc;
}

mapi_nick_prop *mapi_nick_find(const mapi_nick *s, size_t row, uint16_t id)
{
	size_t i;
	if (row >= s->nrows)
		return NULL;
	for (i = 0; i < s->rows[row].count; i++) {
		mapi_nick_prop *pr = &s->props[s->rows[row].first + i];
		if (PROP_ID(pr->tag) == id)
			return pr;
	}
	return NULL;
}

static int prop_str(const mapi_nick_prop *pr, char **out)
{
	uint16_t t = pr ? PROP_TYPE(pr->tag) : 0;
	size_t n;
	*out = NULL;
	if (t == PT_UNICODE) {
		n = pr->data.n & ~(size_t)1;
		return rp_utf16le_to_utf8(pr->data.p, n, out);
	}
	if (t == PT_STRING8) {
		n = pr->data.n;
		if (n && pr->data.p[n - 1] == 0)
			n--;
		return mapi_str8_to_utf8(pr->data.p, n, out);
	}
	return rp_error_set(RP_ENOTFOUND, "not a string property");
}

int mapi_nick_str(const mapi_nick *s, size_t row, uint16_t id, char **out)
{
	mapi_nick_prop *pr = mapi_nick_find(s, row, id);
	if (!pr) {
		*out = NULL;
		return rp_error_set(RP_ENOTFOUND, "row %zu has no property 0x%04X", row,
				    id);
	}
	return prop_str(pr, out);
}

void mapi_nick_who_free(mapi_nick_who *w)
{
	free(w->dn);
	free(w->smtp);
	memset(w, 0, sizeof(*w));
}

static bool ieq(const char *a, const char *b)
{
	return a && b && rp_ascii_casecmp(a, b) == 0;
}

/* One-off strings as UTF-8. */
static int oneoff_str(const eid *e, const eid_bytes *b, char **out)
{
	return eid_bytes_utf8(b, (e->u.oneoff.flags & 0x8000u) != 0, out);
}

static int who_from_eid(const mapi_nick_prop *pr, mapi_nick_who *w, bool *known)
{
	eid e;
	char *type = NULL, *addr = NULL;
	int rc;

	*known = false;
	if (!pr || PROP_TYPE(pr->tag) != PT_BINARY)
		return RP_OK;
	if (eid_decode(&e, pr->data.p, pr->data.n) != RP_OK) {
		eid_free(&e);
		rp_error_clear();
		return RP_OK;
	}
	rc = RP_OK;
	*known = true;
	switch (e.kind) {
	case EID_AB:
		w->kind = MAPI_NICK_EX;
		rc = eid_bytes_utf8(&e.u.ab.dn, false, &w->dn);
		break;
	case EID_ONEOFF:
		rc = oneoff_str(&e, &e.u.oneoff.addr_type, &type);
		if (rc == RP_OK)
			rc = oneoff_str(&e, &e.u.oneoff.address, &addr);
		if (rc == RP_OK && ieq(type, "EX")) {
			w->kind = MAPI_NICK_EX;
			w->dn = addr, addr = NULL;
		} else if (rc == RP_OK && ieq(type, "SMTP")) {
			w->kind = MAPI_NICK_SMTP;
			w->smtp = addr, addr = NULL;
		}
		break;
	case EID_CONTAB:
	case EID_WAB:
		w->kind = MAPI_NICK_CONTACT;
		break;
	default:
		*known = false;
		break;
	}
	free(type);
	free(addr);
	eid_free(&e);
	return rc;
}

int mapi_nick_row_who(const mapi_nick *s, size_t row, mapi_nick_who *out)
{
	bool known;
	char *type = NULL, *smtp = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = who_from_eid(mapi_nick_find(s, row, MAPI_NICK_ID_ENTRYID), out, &known);
	if (rc == RP_OK && !known &&
	    mapi_nick_str(s, row, MAPI_NICK_ID_ADDRTYPE, &type) == RP_OK) {
		char **dst = ieq(type, "EX")     ? &out->dn
			     : ieq(type, "SMTP") ? &out->smtp
						 : NULL;
		if (dst) {
			out->kind = dst == &out->dn ? MAPI_NICK_EX : MAPI_NICK_SMTP;
			if (mapi_nick_str(s, row, MAPI_NICK_ID_EMAIL_ADDRESS, dst) !=
			    RP_OK)
				out->kind = MAPI_NICK_OTHER;
		}
	}
	free(type);
	if (rc == RP_OK && out->kind == MAPI_NICK_EX &&
	    mapi_nick_str(s, row, MAPI_NICK_ID_SMTP_ADDRESS, &smtp) == RP_OK && *smtp) {
		free(out->smtp);
		out->smtp = smtp, smtp = NULL;
	}
	free(smtp);
	rp_error_clear();
	if (rc < 0)
		mapi_nick_who_free(out);
	return rc;
}

/* ---- rewrite ----------------------------------------------------------- */

/* Replaces a property's data with n owned bytes, counting a real change. */
static int set_data(mapi_nick_prop *pr, const void *p, size_t n, size_t *changed)
{
	uint8_t *copy;
	if (pr->data.n == n && (n == 0 || memcmp(pr->data.p, p, n) == 0))
		return RP_OK;
	copy = malloc(n ? n : 1);
	if (!copy)
		return rp_error_set(RP_ENOMEM, "out of memory");
	if (n)
		memcpy(copy, p, n);
	bytes_free(&pr->data);
	pr->data.p = copy;
	pr->data.n = n;
	pr->data.owned = true;
	(*changed)++;
	return RP_OK;
}

/* Sets a string property (its own type kept) to utf8, with terminator. */
static int set_str(mapi_nick_prop *pr, const char *utf8, size_t *changed)
{
	rp_buf b = RP_BUF_INIT;
	int rc = PROP_TYPE(pr->tag) == PT_UNICODE
		     ? rp_utf8_to_utf16le(utf8, strlen(utf8), &b, true)
		     : mapi_utf8_to_str8(utf8, &b, true);
	if (rc == RP_OK)
		rc = set_data(pr, b.data, b.len, changed);
	rp_buf_free(&b);
	return rc;
}

/* A string property equal (ASCII case-insensitive) to old becomes new. */
static int swap_str(mapi_nick_prop *pr, const char *old, const char *nw, size_t *changed)
{
	char *cur = NULL;
	int rc = RP_OK;
	if (!old || !nw || prop_str(pr, &cur) != RP_OK) {
		rp_error_clear();
		free(cur);
		return RP_OK;
	}
	if (ieq(cur, old))
		rc = set_str(pr, nw, changed);
	free(cur);
	return rc;
}

/* "<PREFIX>:" + upper-case address + NUL, in 8-bit (MS-OXCDATA search key;
 * mapi-binary-formats.md 1.1 and 1.4). */
static int search_key(const char *prefix, const char *addr, rp_buf *b)
{
	size_t i, from;
	int rc = rp_buf_puts(b, prefix);
	from = b->len;
	if (rc == RP_OK)
		rc = mapi_utf8_to_str8(addr, b, true);
	for (i = from; rc == RP_OK && i < b->len; i++)
		b->data[i] = (uint8_t)toupper(b->data[i]);
	return rc;
}

static int swap_search_key(mapi_nick_prop *pr, const char *prefix, const char *old,
			   const char *nw, size_t *changed)
{
	rp_buf want = RP_BUF_INIT, repl = RP_BUF_INIT;
	int rc;
	if (PROP_TYPE(pr->tag) != PT_BINARY || !old || !nw)
		return RP_OK;
	/* an old address Windows-1252 cannot hold matches no stored key */
	if (search_key(prefix, old, &want) != RP_OK) {
		rp_buf_free(&want);
		rp_error_clear();
		return RP_OK;
	}
	/* only a key that names the old address is replaced */
	rc = RP_OK;
	if (want.len == pr->data.n && memcmp(want.data, pr->data.p, want.len) == 0) {
		rc = search_key(prefix, nw, &repl);
		if (rc == RP_OK)
			rc = set_data(pr, repl.data, repl.len, changed);
	}
	rp_buf_free(&want);
	rp_buf_free(&repl);
	return rc;
}

/* An entry ID naming the old address gets the new one. */
static int swap_eid(mapi_nick_prop *pr, mapi_nick_kind kind, const char *old,
		    const char *nw, size_t *changed)
{
	eid e;
	rp_buf b = RP_BUF_INIT;
	char *cur = NULL, *type = NULL, *disp = NULL;
	bool hit = false;
	int rc = RP_OK;

	if (PROP_TYPE(pr->tag) != PT_BINARY)
		return RP_OK;
	if (eid_decode(&e, pr->data.p, pr->data.n) != RP_OK) {
		eid_free(&e);
		rp_error_clear();
		return RP_OK;
	}
	if (e.kind == EID_AB && kind == MAPI_NICK_EX) {
		rc = eid_bytes_utf8(&e.u.ab.dn, false, &cur);
		if (rc == RP_OK && ieq(cur, old)) {
			hit = true;
			rc = eid_bytes_set_str8(&e.u.ab.dn, nw);
		}
	} else if (e.kind == EID_ONEOFF) {
		bool w = (e.u.oneoff.flags & 0x8000u) != 0;
		rc = oneoff_str(&e, &e.u.oneoff.addr_type, &type);
		if (rc == RP_OK)
			rc = oneoff_str(&e, &e.u.oneoff.address, &cur);
		if (rc == RP_OK)
			rc = oneoff_str(&e, &e.u.oneoff.display_name, &disp);
		if (rc == RP_OK && ieq(cur, old) &&
		    ieq(type, kind == MAPI_NICK_EX ? "EX" : "SMTP")) {
			hit = true;
			rc = w ? eid_bytes_set_utf16(&e.u.oneoff.address, nw)
			       : eid_bytes_set_str8(&e.u.oneoff.address, nw);
			if (rc == RP_OK && ieq(disp, old))
				rc = w ? eid_bytes_set_utf16(&e.u.oneoff.display_name, nw)
				       : eid_bytes_set_str8(&e.u.oneoff.display_name, nw);
		}
	}
	if (rc == RP_OK && hit)
		rc = eid_encode(&e, &b);
	if (rc == RP_OK && hit)
		rc = set_data(pr, b.data, b.len, changed);
	rp_buf_free(&b);
	free(cur);
	free(type);
	free(disp);
	eid_free(&e);
	return rc;
}

/* PR_SMTP_ADDRESS: a string gets the new address; for EX rows a PT_ERROR
 * placeholder becomes a PT_UNICODE value (the union is filler then). */
static int set_smtp(mapi_nick_prop *pr, mapi_nick_kind kind, const char *nw,
		    size_t *changed)
{
	uint16_t t = PROP_TYPE(pr->tag);
	if (t == PT_UNICODE || t == PT_STRING8)
		return set_str(pr, nw, changed);
	if (t == PT_ERROR && kind == MAPI_NICK_EX) {
		size_t before = *changed;
		int rc;
		pr->tag = PROP_TAG(PT_UNICODE, PROP_ID(pr->tag));
		pr->data.p = NULL, pr->data.n = 0, pr->data.owned = false;
		rc = set_str(pr, nw, changed);
		if (rc == RP_OK && *changed == before)
			(*changed)++;
		return rc;
	}
	return RP_OK;
}

int mapi_nick_row_rewrite(mapi_nick *s, size_t row, const char *new_dn,
			  const char *new_smtp, size_t *changed)
{
	mapi_nick_who w;
	const char *old, *nw;
	size_t i, n = 0;
	int rc;

	if (row >= s->nrows)
		return rp_error_set(RP_EINVAL, "no row %zu", row);
	rc = mapi_nick_row_who(s, row, &w);
	if (rc < 0)
		return rc;
	if (w.kind == MAPI_NICK_EX) {
		old = w.dn, nw = new_dn;
	} else if (w.kind == MAPI_NICK_SMTP) {
		old = w.smtp, nw = new_smtp;
	} else {
		mapi_nick_who_free(&w);
		return rp_error_set(RP_EINVAL, "row %zu names no EX or SMTP recipient",
				    row);
	}
	if (!old || !nw || !*nw) {
		mapi_nick_who_free(&w);
		return rp_error_set(RP_EINVAL, "row %zu: no target %s address", row,
				    w.kind == MAPI_NICK_EX ? "EX" : "SMTP");
	}
	for (i = 0; i < s->rows[row].count && rc == RP_OK; i++) {
		mapi_nick_prop *pr = &s->props[s->rows[row].first + i];
		switch (PROP_ID(pr->tag)) {
		case MAPI_NICK_ID_ENTRYID:
		case MAPI_NICK_ID_RECIPIENT_ENTRYID:
		case MAPI_NICK_ID_RECORD_KEY:
			rc = swap_eid(pr, w.kind, old, nw, &n);
			break;
		case MAPI_NICK_ID_EMAIL_ADDRESS:
			rc = swap_str(pr, old, nw, &n);
			break;
		case MAPI_NICK_ID_SEARCH_KEY:
			rc = swap_search_key(
			    pr, w.kind == MAPI_NICK_EX ? "EX:" : "SMTP:", old, nw, &n);
			break;
		case MAPI_NICK_ID_SMTP_ADDRESS:
			if (new_smtp && *new_smtp)
				rc = set_smtp(pr, w.kind, new_smtp, &n);
			break;
		case MAPI_NICK_ID_NICK_NAME:
		case MAPI_NICK_ID_DISPLAY_NAME:
		case MAPI_NICK_ID_RECIPIENT_DISPLAY:
		case MAPI_NICK_ID_DROPDOWN_DISPLAY:
			if (w.smtp && new_smtp && *new_smtp)
				rc = swap_str(pr, w.smtp, new_smtp, &n);
			if (rc == RP_OK && w.kind == MAPI_NICK_EX)
				rc = swap_str(pr, w.dn, new_dn, &n);
			break;
		default:
			break;
		}
	}
	mapi_nick_who_free(&w);
	if (rc < 0)
		return rp_error_wrap(rc, "row %zu", row);
	if (changed)
		*changed = n;
	return RP_OK;
}
