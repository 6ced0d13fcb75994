/* mobj_recip.c - reading and rewriting who a reference names. */
#include "mobj/mobj_recip.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_eid.h"
#include "mapi/mapi_tag.h"

#include <stdlib.h>
#include <string.h>

#define ID_ENTRYID 0x0FFFu
#define ID_RECORD_KEY 0x0FF9u
#define ID_RECIPIENT_ENTRYID 0x5FF7u
#define ID_DISPLAY_NAME 0x3001u
#define ID_ADDRTYPE 0x3002u
#define ID_EMAIL_ADDRESS 0x3003u
#define ID_SEARCH_KEY 0x300Bu
#define ID_SMTP_ADDRESS 0x39FEu
#define ID_7BIT_DISPLAY_NAME 0x39FFu
#define ID_TRANSMITABLE_DISPLAY_NAME 0x3A20u

/* MAPI_ONE_OFF_UNICODE (MS-OXCDATA 2.2.5.1). */
#define ONEOFF_UNICODE 0x8000u

void mobj_who_free(mobj_who *w)
{
	if (!w)
		return;
	free(w->dn);
	free(w->smtp);
	free(w->name);
	memset(w, 0, sizeof(*w));
}

static int eq_ci(const char *a, const char *b)
{
	return a && b && rp_ascii_casecmp(a, b) == 0;
}

/* The person an ID names; e is decoded. */
static int who_of(const eid *e, mobj_who *out)
{
	char *type = NULL;
	int rc = RP_OK;

	switch (e->kind) {
	case EID_AB:
		if (e->u.ab.type != 0 && e->u.ab.type != 1 && e->u.ab.type != 6)
			return RP_OK; /* only mail users, DLs, remote users map */
		out->kind = MOBJ_WHO_EX;
		return eid_bytes_utf8(&e->u.ab.dn, false, &out->dn);
	case EID_ONEOFF: {
		bool w = (e->u.oneoff.flags & ONEOFF_UNICODE) != 0;
		char *addr = NULL;
		rc = eid_bytes_utf8(&e->u.oneoff.addr_type, w, &type);
		if (rc == RP_OK)
			rc = eid_bytes_utf8(&e->u.oneoff.address, w, &addr);
		if (rc == RP_OK)
			rc = eid_bytes_utf8(&e->u.oneoff.display_name, w, &out->name);
		if (rc == RP_OK && eq_ci(type, "EX")) {
			out->kind = MOBJ_WHO_EX;
			out->dn = addr;
			addr = NULL;
		} else if (rc == RP_OK && eq_ci(type, "SMTP")) {
			out->kind = MOBJ_WHO_SMTP;
			out->smtp = addr;
			addr = NULL;
		}
		free(addr);
		free(type);
		return rc;
	}
	case EID_WAB:
		return e->u.wab.inner ? who_of(e->u.wab.inner, out) : RP_OK;
	default:
		return RP_OK;
	}
}

int mobj_eid_who(const uint8_t *p, size_t n, mobj_who *out)
{
	eid e;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = eid_decode(&e, p, n);
	if (rc == RP_OK)
		rc = who_of(&e, out);
	eid_free(&e);
	if (rc < 0)
		mobj_who_free(out);
	return rc;
}

static int set_str(eid_bytes *b, bool utf16, const char *s)
{
	return utf16 ? eid_bytes_set_utf16(b, s) : eid_bytes_set_str8(b, s);
}

static int rewrite_eid(eid *e, const mobj_who *from, const mobj_who *to)
{
	mobj_who cur = {0};
	int rc = who_of(e, &cur);

	if (rc == RP_OK && (cur.kind != from->kind || cur.kind == MOBJ_WHO_OTHER))
		rc = rp_error_set(RP_EINVAL, "entry ID does not name a %s recipient",
				  from->kind == MOBJ_WHO_EX ? "EX" : "SMTP");
	if (rc == RP_OK && cur.kind == MOBJ_WHO_EX && !to->dn)
		rc = rp_error_set(RP_EINVAL, "no target DN for %s", cur.dn);
	if (rc == RP_OK && cur.kind == MOBJ_WHO_SMTP && !to->smtp)
		rc = rp_error_set(RP_EINVAL, "no target address for %s", cur.smtp);
	if (rc < 0) {
		mobj_who_free(&cur);
		return rc;
	}
	switch (e->kind) {
	case EID_AB:
		rc = eid_bytes_set_str8(&e->u.ab.dn, to->dn);
		break;
	case EID_ONEOFF: {
		bool w = (e->u.oneoff.flags & ONEOFF_UNICODE) != 0;
		const char *old = cur.kind == MOBJ_WHO_EX ? cur.dn : cur.smtp;
		const char *addr = cur.kind == MOBJ_WHO_EX ? to->dn : to->smtp;
		rc = set_str(&e->u.oneoff.address, w, addr);
		if (rc == RP_OK && to->name)
			rc = set_str(&e->u.oneoff.display_name, w, to->name);
		else if (rc == RP_OK && eq_ci(cur.name, old))
			rc = set_str(&e->u.oneoff.display_name, w, addr);
		break;
	}
	case EID_WAB:
		rc = rewrite_eid(e->u.wab.inner, from, to);
		break;
	default:
		break;
	}
	mobj_who_free(&cur);
	return rc;
}

int mobj_eid_rewrite(const uint8_t *p, size_t n, const mobj_who *from, const mobj_who *to,
		     rp_buf *out)
{
	eid e;
	int rc = eid_decode(&e, p, n);

	if (rc == RP_OK)
		rc = rewrite_eid(&e, from, to);
	if (rc == RP_OK)
		rc = eid_encode(&e, out);
	eid_free(&e);
	return rc;
}

static const mapi_value *find(const mapi_value *v, size_t n, uint16_t id)
{
	for (size_t i = 0; i < n; i++)
		if (PROP_ID(v[i].tag) == id)
			return &v[i];
	return NULL;
}

static bool is_str(const mapi_value *v)
{
	return v && (PROP_TYPE(v->tag) == PT_UNICODE || PROP_TYPE(v->tag) == PT_STRING8);
}

static char *str_of(const mapi_value *v)
{
	char *s = NULL;
	if (is_str(v) && mapi_value_str_utf8(v, &s) < 0) {
		rp_error_clear();
		return NULL;
	}
	return s;
}

int mobj_props_who(const mapi_value *v, size_t n, mobj_who *out)
{
	const mapi_value *id = find(v, n, ID_ENTRYID);
	int rc = RP_OK;

	memset(out, 0, sizeof(*out));
	if (id && PROP_TYPE(id->tag) == PT_BINARY) {
		rc = mobj_eid_who(id->bin.p, id->bin.n, out);
		if (rc < 0) /* a bad ID: fall back to the address properties */
			rp_error_clear();
	}
	if (out->kind == MOBJ_WHO_OTHER) {
		char *type = str_of(find(v, n, ID_ADDRTYPE));
		char *addr = str_of(find(v, n, ID_EMAIL_ADDRESS));
		mobj_who_free(out);
		if (eq_ci(type, "EX")) {
			out->kind = MOBJ_WHO_EX;
			out->dn = addr;
			addr = NULL;
		} else if (eq_ci(type, "SMTP")) {
			out->kind = MOBJ_WHO_SMTP;
			out->smtp = addr;
			addr = NULL;
		}
		free(type);
		free(addr);
	}
	if (out->kind != MOBJ_WHO_OTHER) {
		char *smtp = str_of(find(v, n, ID_SMTP_ADDRESS));
		if (smtp && !out->smtp)
			out->smtp = smtp;
		else
			free(smtp);
		if (!out->name)
			out->name = str_of(find(v, n, ID_DISPLAY_NAME));
	}
	return RP_OK;
}

int mobj_search_key(mobj_kind kind, const char *addr, rp_buf *out)
{
	int rc = rp_buf_puts(out, kind == MOBJ_WHO_EX ? "EX:" : "SMTP:");
	for (const char *c = addr; rc == RP_OK && *c; c++)
		rc = rp_buf_u8(out, (uint8_t)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c));
	return rc < 0 ? rc : rp_buf_u8(out, 0);
}

/* Replaces string value v by s, keeping its type. */
static int str_set(mapi_value *v, const char *s)
{
	mapi_value nv;
	int rc = PROP_TYPE(v->tag) == PT_UNICODE
		     ? mapi_value_set_unicode(&nv, v->tag, s)
		     : mapi_value_set_string8(&nv, v->tag, MAPI_REG_BINARY, s);
	if (rc < 0)
		return rc;
	mapi_value_free(v);
	*v = nv;
	return RP_OK;
}

static int bin_set(mapi_value *v, const uint8_t *p, size_t n)
{
	mapi_value nv;
	int rc = mapi_value_set_binary(&nv, v->tag, p, n);
	if (rc < 0)
		return rc;
	mapi_value_free(v);
	*v = nv;
	return RP_OK;
}

/* An entry-ID property: rewritten when it names from. */
static int prop_eid(mapi_value *v, const mobj_who *from, const mobj_who *to,
		    size_t *changed)
{
	mobj_who cur;
	rp_buf b = RP_BUF_INIT;
	int rc;

	if (PROP_TYPE(v->tag) != PT_BINARY ||
	    mobj_eid_who(v->bin.p, v->bin.n, &cur) < 0) {
		rp_error_clear();
		return RP_OK;
	}
	rc = RP_OK;
	if (cur.kind == from->kind && cur.kind != MOBJ_WHO_OTHER) {
		rc = mobj_eid_rewrite(v->bin.p, v->bin.n, from, to, &b);
		if (rc == RP_OK &&
		    (b.len != v->bin.n || memcmp(b.data, v->bin.p, b.len))) {
			rc = bin_set(v, b.data, b.len);
			(*changed)++;
		}
	}
	rp_buf_free(&b);
	mobj_who_free(&cur);
	return rc;
}

int mobj_props_rewrite(mapi_value *v, size_t n, const mobj_who *from, const mobj_who *to,
		       size_t *changed)
{
	const char *old = from->kind == MOBJ_WHO_EX ? from->dn : from->smtp;
	const char *addr = from->kind == MOBJ_WHO_EX ? to->dn : to->smtp;
	size_t ch = 0;
	int rc = RP_OK;

	if (from->kind == MOBJ_WHO_OTHER || !old || !addr)
		return rp_error_set(RP_EINVAL, "no address to rewrite this recipient to");
	for (size_t i = 0; i < n && rc == RP_OK; i++) {
		mapi_value *p = &v[i];
		uint16_t id = PROP_ID(p->tag);
		char *s = NULL;
		const char *want = NULL;

		if (id == ID_ENTRYID || id == ID_RECORD_KEY ||
		    id == ID_RECIPIENT_ENTRYID) {
			rc = prop_eid(p, from, to, &ch);
			continue;
		}
		if (id == ID_SEARCH_KEY && PROP_TYPE(p->tag) == PT_BINARY) {
			rp_buf k = RP_BUF_INIT, nk = RP_BUF_INIT;
			rc = mobj_search_key(from->kind, old, &k);
			if (rc == RP_OK && k.len == p->bin.n &&
			    !memcmp(k.data, p->bin.p, k.len)) {
				rc = mobj_search_key(from->kind, addr, &nk);
				if (rc == RP_OK &&
				    (nk.len != k.len || memcmp(nk.data, k.data, k.len))) {
					rc = bin_set(p, nk.data, nk.len);
					ch++;
				}
			}
			rp_buf_free(&k);
			rp_buf_free(&nk);
			continue;
		}
		s = str_of(p);
		if (!s)
			continue;
		if (id == ID_EMAIL_ADDRESS && eq_ci(s, old))
			want = addr;
		else if (id == ID_SMTP_ADDRESS && to->smtp)
			want = to->smtp;
		else if (id == ID_DISPLAY_NAME || id == ID_TRANSMITABLE_DISPLAY_NAME ||
			 id == ID_7BIT_DISPLAY_NAME) {
			if (to->name && from->name && strcmp(s, from->name) == 0)
				want = to->name;
			else if (eq_ci(s, old))
				want = to->name ? to->name : addr;
		}
		if (want && strcmp(want, s) != 0) {
			rc = str_set(p, want);
			ch++;
		}
		free(s);
	}
	if (changed)
		*changed = ch;
	return rc;
}
