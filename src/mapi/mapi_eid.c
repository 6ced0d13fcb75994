/* mapi_eid.c - entry ID decode/encode/render.
 *
 * Layouts: ../shared/reference/mapi-binary-formats.md section 1 (MS-OXCDATA
 * 2.2.4.1-2.2.4.3, 2.2.5.1-2.2.5.4; MS-OXOCNTC 2.2.2.2.4.1.1 for WAB IDs;
 * Griffin's "Store Entry ID v2" and "The Wrapped PST and Unicode Paths";
 * MFCMAPI EntryIdStruct.cpp for the v2/v3 tails and the public-store peek).
 * Ephemeral IDs: MS-OXNSPI 2.2.9.2 (ID type 0x87, provider, R4 = 1, display
 * type, MId). All parsing goes through rp_cur, whose base is the offset in
 * the outermost ID so messages name absolute offsets. */
#include "base/rp_attr.h"
#include "mapi_eid.h"

#include "mapi_value.h"

#include "../base/rp_cur.h"
#include "../base/rp_err.h"
#include "../base/rp_json.h"
#include "../base/rp_str.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Provider UIDs as stored (mapi-binary-formats.md 1.0 dispatch table). */
static const uint8_t UID_EMSAB[16] = {0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
				      0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82};
static const uint8_t UID_STOREWRAP[16] = {0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A,
					  0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2};
static const uint8_t UID_OOP[16] = {0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
				    0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02};
static const uint8_t UID_CONTAB[16] = {0xFE, 0x42, 0xAA, 0x0A, 0x18, 0xC7, 0x1A, 0x10,
				       0xE8, 0x85, 0x0B, 0x65, 0x1C, 0x24, 0x00, 0x00};
static const uint8_t UID_WAB[16] = {0xC0, 0x91, 0xAD, 0xD3, 0x51, 0x9D, 0xCF, 0x11,
				    0xA4, 0xA9, 0x00, 0xAA, 0x00, 0x47, 0xFA, 0xA4};

#define V2_MAGIC 0xF32135D8u /* MDB_STORE_EID_V2_MAGIC, mfcmapi extraPropTags.h */
#define V3_MAGIC 0xF43246E9u /* MDB_STORE_EID_V3_MAGIC */
#define V2_HDR 20u           /* magic, size, version, offset DN, offset FQDN */
#define V3_HDR 16u           /* magic, size, version, offset SMTP */

static const struct {
	const char *hex; /* stored byte order */
	const char *name;
} providers[] = {
    {"dca740c8c042101ab4b908002b2fe182", "muidEMSAB"},
    {"38a1bb1005e5101aa1bb08002b2a56c2", "muidStoreWrap"},
    {"812b1fa4bea310199d6e00dd010f5402", "muidOOP"},
    {"fe42aa0a18c71a10e8850b651c240000", "muidContabDLL"},
    {"c091add3519dcf11a4a900aa0047faa4", "WAB_GUID"},
    {"1a447390aa6611cd9bc800aa002fc45a", "pbLongTermNonPrivateGuid"},
    {"1b55fa20aa6611cd9bc800aa002fc45a", "g_muidStorePrivate"},
    {"1c830210aa6611cd9bc800aa002fc45a", "g_muidStorePublic"},
    {"5494a1c0297f101ba58708002b2a2517", "pbExchangeProviderPrimaryUserGuid"},
    {"9eb4770074e411ce8c5e00aa004254e2", "pbExchangeProviderDelegateGuid"},
    {"78b2fa70aff711cd9bc800aa002fc45a", "pbExchangeProviderPublicGuid"},
    {"4e495441f9bfb80100aa0037d96e0000", "MSPST provider (mspst.dll)"},
    {"0bd9c1e9306442cea56edb2c1e4ab6e6", "shared_calendar_store_guid"},
    {"8d8abedc79f24eeeaf2971d40606bd41", "shared_calendar_provider_guid"},
};

static void hex16(const uint8_t *g, char out[33])
{
	static const char d[] = "0123456789abcdef";
	int i;
	for (i = 0; i < 16; i++) {
		out[2 * i] = d[g[i] >> 4];
		out[2 * i + 1] = d[g[i] & 15];
	}
	out[32] = '\0';
}

const char *eid_provider_name(const uint8_t uid[16])
{
	char h[33];
	size_t i;
	hex16(uid, h);
	for (i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		if (strcmp(providers[i].hex, h) == 0)
			return providers[i].name;
	return NULL;
}

void eid_guid_str(const uint8_t g[16], char out[39])
{
	snprintf(out, 39, "{%08" PRIX32 "-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
		 rp_le32(g), rp_le16(g + 4), rp_le16(g + 6), g[8], g[9], g[10], g[11],
		 g[12], g[13], g[14], g[15]);
}

/* ---- bytes fields ----------------------------------------------------- */

int eid_bytes_set(eid_bytes *b, const void *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);
	if (!q)
		return rp_error_set(RP_ENOMEM, "out of memory (%zu bytes)", n);
	if (n)
		memcpy(q, p, n);
	free(b->p);
	b->p = q;
	b->n = n;
	return RP_OK;
}

int eid_bytes_set_utf16(eid_bytes *b, const char *utf8)
{
	rp_buf t = RP_BUF_INIT;
	int rc = rp_utf8_to_utf16le(utf8, strlen(utf8), &t, false);
	if (rc == RP_OK)
		rc = eid_bytes_set(b, t.data, t.len);
	rp_buf_free(&t);
	return rc;
}

int eid_bytes_set_str8(eid_bytes *b, const char *utf8)
{
	rp_buf t = RP_BUF_INIT;
	int rc = mapi_utf8_to_str8(utf8, &t, false);
	if (rc == RP_OK)
		rc = eid_bytes_set(b, t.data, t.len);
	rp_buf_free(&t);
	return rc;
}

int eid_bytes_utf8(const eid_bytes *b, bool utf16, char **out)
{
	static const uint8_t none = 0;
	const uint8_t *p = b->p ? b->p : &none;
	if (utf16)
		return rp_utf16le_to_utf8(p, b->n & ~(size_t)1, out);
	return mapi_str8_to_utf8(p, b->n, out);
}

int eid_store_set_dll(eid_store *s, const char *name)
{
	size_t n = strlen(name), tot = n + 1;
	uint8_t buf[64];
	/* The name starts at offset 22; the wrapped ID after it is 4-aligned. */
	while ((22 + tot) % 4)
		tot++;
	if (tot > sizeof(buf))
		return rp_error_set(RP_EINVAL, "store DLL name \"%s\" is too long", name);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, name, n);
	return eid_bytes_set(&s->dll, buf, tot);
}

static void bfree(eid_bytes *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
}

void eid_free(eid *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case EID_AB:
		bfree(&e->u.ab.dn);
		break;
	case EID_STORE:
		bfree(&e->u.store.dll);
		bfree(&e->u.store.server);
		bfree(&e->u.store.mailbox_dn);
		bfree(&e->u.store.v2_server_dn);
		bfree(&e->u.store.v2_server_fqdn);
		bfree(&e->u.store.v3_smtp);
		bfree(&e->u.store.tail_reserved);
		bfree(&e->u.store.pst_path);
		bfree(&e->u.store.rest);
		break;
	case EID_ONEOFF:
		bfree(&e->u.oneoff.display_name);
		bfree(&e->u.oneoff.addr_type);
		bfree(&e->u.oneoff.address);
		break;
	case EID_CONTAB:
		if (e->u.contab.inner) {
			eid_free(e->u.contab.inner);
			free(e->u.contab.inner);
		}
		bfree(&e->u.contab.inner_raw);
		break;
	case EID_WAB:
		if (e->u.wab.inner) {
			eid_free(e->u.wab.inner);
			free(e->u.wab.inner);
		}
		bfree(&e->u.wab.inner_raw);
		break;
	default:
		break;
	}
	bfree(&e->extra);
	bfree(&e->raw);
	memset(e, 0, sizeof(*e));
}

/* ---- decode ----------------------------------------------------------- */

static int decode_at(eid *out, const uint8_t *p, size_t n, size_t base, int depth);

static int take(rp_cur *c, eid_bytes *b, size_t n, const char *what)
{
	const uint8_t *v;
	int rc = rp_cur_view(c, &v, n, what);
	return rc < 0 ? rc : eid_bytes_set(b, v, n);
}

static int take_rest(rp_cur *c, eid_bytes *b)
{
	return take(c, b, rp_cur_left(c), "trailing bytes");
}

static int take_cstr(rp_cur *c, eid_bytes *b, const char *what)
{
	const char *s;
	size_t n;
	int rc = rp_cur_cstr(c, &s, &n, what);
	return rc < 0 ? rc : eid_bytes_set(b, s, n);
}

static int take_wstr(rp_cur *c, eid_bytes *b, const char *what)
{
	const uint8_t *s;
	size_t n;
	int rc = rp_cur_wstr(c, &s, &n, what);
	return rc < 0 ? rc : eid_bytes_set(b, s, n);
}

/* A wrapped ID of n bytes at the cursor: decoded unless too deep. */
static int take_inner(rp_cur *c, size_t n, eid **inner, eid_bytes *raw, int depth,
		      const char *what)
{
	size_t at = c->base + c->off;
	const uint8_t *v;
	int rc = rp_cur_view(c, &v, n, what);
	if (rc < 0)
		return rc;
	rc = eid_bytes_set(raw, v, n);
	if (rc < 0 || depth + 1 >= EID_MAX_DEPTH)
		return rc;
	*inner = calloc(1, sizeof(**inner));
	if (!*inner)
		return rp_error_set(RP_ENOMEM, "out of memory");
	rc = decode_at(*inner, v, n, at, depth + 1);
	if (rc < 0)
		return rp_error_wrap(rc, "%s at offset %zu", what, at);
	return RP_OK;
}

static bool name_is(const eid_bytes *dll, const char *want)
{
	size_t n = strlen(want);
	return dll->n > n && dll->p[n] == 0 &&
	       rp_ascii_ncasecmp((const char *)dll->p, want, n) == 0;
}

/* v2/v3 tail at the cursor (the magic is known to be there). */
/* The v3 SMTP offset (from the magic) must point inside the ID: the string
 * is read in sequence, but an offset past the end names a string that is not
 * there. v2 offsets are not held to it: MFCMAPI's ENTRYID-32, a real v2 ID,
 * has its FQDN offset 4 bytes past the end (its strings follow in sequence). */
static int tail_off_ok(const rp_cur *c, size_t start, uint32_t off, const char *what)
{
	size_t avail = c->len - start;
	if (off && off >= avail)
		return rp_error_set(RP_EFORMAT,
				    "%s %" PRIu32 " at offset %zu points past the end of "
				    "the entry ID (%zu bytes from the tail)",
				    what, off, c->base + start, avail);
	return RP_OK;
}

static int decode_tail(eid_store *s, rp_cur *c)
{
	uint32_t magic, size, ver, off1, off2 = 0;
	size_t start = c->off;
	int64_t pos;
	int rc;

	rc = rp_cur_u32(c, &magic, "store tail magic");
	if (rc == RP_OK)
		rc = rp_cur_u32(c, &size, "store tail size");
	if (rc == RP_OK)
		rc = rp_cur_u32(c, &ver, "store tail version");
	if (rc == RP_OK)
		rc = rp_cur_u32(c, &off1,
				magic == V2_MAGIC ? "store v2 DN offset"
						  : "store v3 SMTP offset");
	if (rc == RP_OK && magic == V2_MAGIC)
		rc = rp_cur_u32(c, &off2, "store v2 FQDN offset");
	if (rc == RP_OK && magic == V3_MAGIC)
		rc = tail_off_ok(c, start, off1, "store v3 SMTP offset");
	if (rc < 0)
		return rc;
	s->tail_struct_version = ver;
	if (magic == V2_MAGIC) {
		s->tail_version = 2;
		pos = V2_HDR;
		if (off1) {
			rc = take_cstr(c, &s->v2_server_dn, "store v2 server DN");
			if (rc < 0)
				return rc;
			s->v2_has_dn = true;
			s->tail_off_delta[0] = (int64_t)off1 - pos;
			pos += (int64_t)s->v2_server_dn.n + 1;
		}
		if (off2) {
			rc = take_wstr(c, &s->v2_server_fqdn, "store v2 server FQDN");
			if (rc < 0)
				return rc;
			s->v2_has_fqdn = true;
			s->tail_off_delta[1] = (int64_t)off2 - pos;
			pos += (int64_t)s->v2_server_fqdn.n + 2;
		}
	} else {
		s->tail_version = 3;
		pos = V3_HDR;
		if (off1) {
			rc = take_wstr(c, &s->v3_smtp, "store v3 SMTP address");
			if (rc < 0)
				return rc;
			s->v3_has_smtp = true;
			s->tail_off_delta[0] = (int64_t)off1 - pos;
			pos += (int64_t)s->v3_smtp.n + 2;
		}
	}
	s->tail_size_delta = (int64_t)size - pos;
	return take_rest(c, &s->tail_reserved);
}

void eid_store_tail_normalize(eid_store *s)
{
	s->tail_off_delta[0] = s->tail_off_delta[1] = 0;
}

static int decode_store(eid *e, rp_cur *c)
{
	eid_store *s = &e->u.store;
	const char *name;
	size_t nlen, pad;
	int rc;

	rc = rp_cur_u8(c, &s->version, "store entry ID version");
	if (rc == RP_OK)
		rc = rp_cur_u8(c, &s->flag, "store entry ID flag");
	if (rc < 0)
		return rc;
	rc = rp_cur_cstr(c, &name, &nlen, "store entry ID DLL name");
	if (rc < 0)
		return rc;
	/* aligned relative to this ID's start, not the outer buffer */
	pad = (4 - (c->off % 4)) % 4;
	rc = rp_cur_need(c, pad, "store entry ID DLL name padding");
	if (rc < 0)
		return rc;
	c->off += pad;
	rc = eid_bytes_set(&s->dll, name, nlen + 1 + pad);
	if (rc < 0)
		return rc;

	if (name_is(&s->dll, "emsmdb.dll")) {
		uint32_t m;
		s->kind = EID_STORE_EMSMDB;
		rc = rp_cur_u32(c, &s->wrapped_flags, "store wrapped flags");
		if (rc == RP_OK)
			rc = rp_cur_bytes(c, s->wrapped_provider, 16,
					  "store wrapped provider UID");
		if (rc == RP_OK)
			rc = rp_cur_u32(c, &s->wrapped_type, "store wrapped type");
		if (rc == RP_OK)
			rc = take_cstr(c, &s->server, "store server name");
		if (rc < 0)
			return rc;
		/* Some public-store IDs go straight to the tail (MFCMAPI's peek); a
		 * DN never starts with the magic bytes, so peek for every store. */
		m = rp_cur_left(c) >= 4 ? rp_le32(rp_cur_ptr(c)) : 0;
		if (rp_cur_left(c) > 0 && m != V2_MAGIC && m != V3_MAGIC) {
			rc = take_cstr(c, &s->mailbox_dn, "store mailbox DN");
			if (rc < 0)
				return rc;
			s->has_mailbox_dn = true;
		}
		m = rp_cur_left(c) >= 4 ? rp_le32(rp_cur_ptr(c)) : 0;
		if (m == V2_MAGIC || m == V3_MAGIC) {
			rc = decode_tail(s, c);
			if (rc < 0)
				return rc;
		}
	} else if (name_is(&s->dll, "mspst.dll")) {
		s->kind = EID_STORE_MSPST;
		rc = rp_cur_u32(c, &s->pst_flags, "PST entry ID flags");
		if (rc == RP_OK)
			rc = rp_cur_bytes(c, s->pst_uid, 16, "PST provider UID");
		if (rc == RP_OK)
			rc = rp_cur_u8(c, &s->pst_reserved, "PST reserved byte");
		if (rc == RP_OK)
			rc = take_cstr(c, &s->pst_path, "PST path");
		if (rc < 0)
			return rc;
		/* An empty 8-bit path announces a UTF-16 one (Griffin 2012). */
		if (s->pst_path.n == 0 && rp_cur_left(c) > 0) {
			s->pst_unicode = true;
			rc = take_wstr(c, &s->pst_path, "PST Unicode path");
			if (rc < 0)
				return rc;
		}
	} else {
		s->kind = EID_STORE_OTHER;
	}
	return take_rest(c, &s->rest);
}

static int decode_at(eid *out, const uint8_t *p, size_t n, size_t base, int depth)
{
	rp_cur c;
	int rc = RP_OK;

	memset(out, 0, sizeof(*out));
	if (n < 20) {
		out->kind = EID_OPAQUE;
		out->short_header = true;
		return eid_bytes_set(&out->raw, p, n);
	}
	rp_cur_init(&c, p, n);
	c.base = base;
	memcpy(out->flags, p, 4);
	memcpy(out->provider, p + 4, 16);
	c.off = 20;

	if (memcmp(out->provider, UID_EMSAB, 16) == 0) {
		out->kind = EID_AB;
		rc = rp_cur_u32(&c, &out->u.ab.version, "address book entry ID version");
		if (rc == RP_OK)
			rc =
			    rp_cur_u32(&c, &out->u.ab.type, "address book entry ID type");
		if (rc == RP_OK)
			rc = take_cstr(&c, &out->u.ab.dn, "address book X500 DN");
	} else if (memcmp(out->provider, UID_STOREWRAP, 16) == 0) {
		out->kind = EID_STORE;
		rc = decode_store(out, &c);
	} else if (memcmp(out->provider, UID_OOP, 16) == 0) {
		bool w;
		out->kind = EID_ONEOFF;
		rc = rp_cur_u16(&c, &out->u.oneoff.version, "one-off version");
		if (rc == RP_OK)
			rc = rp_cur_u16(&c, &out->u.oneoff.flags, "one-off flags");
		w = (out->u.oneoff.flags & 0x8000u) != 0;
		if (rc == RP_OK)
			rc = (w ? take_wstr : take_cstr)(&c, &out->u.oneoff.display_name,
							 "one-off display name");
		if (rc == RP_OK)
			rc = (w ? take_wstr : take_cstr)(&c, &out->u.oneoff.addr_type,
							 "one-off address type");
		if (rc == RP_OK)
			rc = (w ? take_wstr : take_cstr)(&c, &out->u.oneoff.address,
							 "one-off address");
	} else if (memcmp(out->provider, UID_CONTAB, 16) == 0) {
		uint32_t cnt;
		out->kind = EID_CONTAB;
		rc = rp_cur_u32(&c, &out->u.contab.version, "contab version");
		if (rc == RP_OK)
			rc = rp_cur_u32(&c, &out->u.contab.type, "contab type");
		if (rc < 0)
			return rc;
		if (out->u.contab.type == 4 || out->u.contab.type == 5) {
			rc = rp_cur_u32(&c, &out->u.contab.index, "contab email index");
			if (rc == RP_OK)
				rc = rp_cur_u32(&c, &cnt, "contab EntryIDCount");
			if (rc == RP_OK && cnt > rp_cur_left(&c))
				rc = rp_error_set(
				    RP_EFORMAT,
				    "contab EntryIDCount %" PRIu32
				    " at offset %zu runs past the end (%zu bytes left)",
				    cnt, c.base + c.off - 4, rp_cur_left(&c));
			if (rc == RP_OK)
				rc = take_inner(&c, cnt, &out->u.contab.inner,
						&out->u.contab.inner_raw, depth,
						"contab wrapped entry ID");
		} else if (out->u.contab.type >= 1 && out->u.contab.type <= 3) {
			rc = rp_cur_bytes(&c, out->u.contab.muid, 16,
					  "contab container muid");
			if (rc == RP_OK && rp_cur_left(&c))
				rc = take_inner(&c, rp_cur_left(&c), &out->u.contab.inner,
						&out->u.contab.inner_raw, depth,
						"contab container entry ID");
		}
	} else if (memcmp(out->provider, UID_WAB, 16) == 0) {
		out->kind = EID_WAB;
		rc = rp_cur_u8(&c, &out->u.wab.type, "WAB entry type");
		if (rc == RP_OK)
			rc = take_inner(&c, rp_cur_left(&c), &out->u.wab.inner,
					&out->u.wab.inner_raw, depth,
					"WAB wrapped entry ID");
	} else if (out->flags[0] == 0x87 && n == 32) {
		out->kind = EID_EPHEMERAL;
		rc = rp_cur_u32(&c, &out->u.ab.version, "ephemeral version");
		if (rc == RP_OK)
			rc = rp_cur_u32(&c, &out->u.ab.type, "ephemeral display type");
		if (rc == RP_OK)
			rc = rp_cur_u32(&c, &out->u.ab.mid, "ephemeral MId");
	} else if (n == 46 || n == 70) {
		out->kind = n == 46 ? EID_FOLDER : EID_MESSAGE;
		rc = rp_cur_u16(&c, &out->u.obj.type, "folder/message type");
		if (rc == RP_OK)
			rc = rp_cur_bytes(&c, out->u.obj.db_guid, 16, "database GUID");
		if (rc == RP_OK)
			rc = rp_cur_bytes(&c, out->u.obj.counter, 6, "global counter");
		if (rc == RP_OK)
			rc = rp_cur_bytes(&c, out->u.obj.pad, 2, "pad");
		if (rc == RP_OK && n == 70) {
			rc = rp_cur_bytes(&c, out->u.obj.msg_db_guid, 16,
					  "message database GUID");
			if (rc == RP_OK)
				rc = rp_cur_bytes(&c, out->u.obj.msg_counter, 6,
						  "message global counter");
			if (rc == RP_OK)
				rc = rp_cur_bytes(&c, out->u.obj.msg_pad, 2,
						  "message pad");
		}
	} else {
		out->kind = EID_OPAQUE;
		return take_rest(&c, &out->raw);
	}
	if (rc < 0)
		return rc;
	return take_rest(&c, &out->extra);
}

int eid_decode(eid *out, const uint8_t *p, size_t n)
{
	return decode_at(out, p, n, 0, 0);
}

int eid_copy(eid *dst, const eid *src)
{
	rp_buf b = RP_BUF_INIT;
	int rc = eid_encode(src, &b);
	if (rc == RP_OK)
		rc = eid_decode(dst, b.data, b.len);
	else
		memset(dst, 0, sizeof(*dst));
	rp_buf_free(&b);
	return rc;
}

/* ---- encode ----------------------------------------------------------- */

static int put_bytes(rp_buf *o, const eid_bytes *b)
{
	return b->n ? rp_buf_append(o, b->p, b->n) : RP_OK;
}

/* An 8-bit string field plus its NUL; a NUL inside cannot be written. */
static int put_cstr(rp_buf *o, const eid_bytes *b, const char *what)
{
	if (b->n && memchr(b->p, 0, b->n))
		return rp_error_set(RP_EINVAL, "%s contains a NUL byte", what);
	if (put_bytes(o, b) < 0)
		return RP_ENOMEM;
	return rp_buf_u8(o, 0);
}

static int wcheck(const eid_bytes *b, const char *what)
{
	size_t i;
	if (b->n & 1)
		return rp_error_set(RP_EINVAL, "%s has an odd UTF-16 length (%zu)", what,
				    b->n);
	for (i = 0; i < b->n; i += 2)
		if (b->p[i] == 0 && b->p[i + 1] == 0)
			return rp_error_set(RP_EINVAL, "%s contains a UTF-16 NUL", what);
	return RP_OK;
}

static int put_wstr(rp_buf *o, const eid_bytes *b, const char *what)
{
	int rc = wcheck(b, what);
	if (rc == RP_OK)
		rc = put_bytes(o, b);
	return rc == RP_OK ? rp_buf_u16le(o, 0) : rc;
}

/* packed + delta as a u32 field; an offset of 0 would mean "absent". */
static int tail_field(int64_t packed, int64_t delta, const char *what, uint32_t *out)
{
	int64_t v = packed + delta;
	if (v < (strcmp(what, "size") == 0 ? 0 : 1) || v > (int64_t)UINT32_MAX)
		return rp_error_set(RP_EINVAL, "store tail %s %" PRId64 " out of range",
				    what, v);
	*out = (uint32_t)v;
	return RP_OK;
}

static int encode_tail(const eid_store *s, rp_buf *o)
{
	int64_t pos;
	uint32_t size = 0, off1 = 0, off2 = 0;
	int rc = RP_OK;

	if (s->tail_version == 2) {
		pos = V2_HDR;
		if (s->v2_has_dn) {
			rc = tail_field(pos, s->tail_off_delta[0], "DN offset", &off1);
			pos += (int64_t)s->v2_server_dn.n + 1;
		}
		if (rc == RP_OK && s->v2_has_fqdn) {
			rc = tail_field(pos, s->tail_off_delta[1], "FQDN offset", &off2);
			pos += (int64_t)s->v2_server_fqdn.n + 2;
		}
	} else {
		pos = V3_HDR;
		if (s->v3_has_smtp) {
			rc = tail_field(pos, s->tail_off_delta[0], "SMTP offset", &off1);
			pos += (int64_t)s->v3_smtp.n + 2;
		}
	}
	if (rc == RP_OK)
		rc = tail_field(pos, s->tail_size_delta, "size", &size);
	if (rc == RP_OK)
		rc = rp_buf_u32le(o, s->tail_version == 2 ? V2_MAGIC : V3_MAGIC);
	if (rc == RP_OK)
		rc = rp_buf_u32le(o, size);
	if (rc == RP_OK)
		rc = rp_buf_u32le(o, s->tail_struct_version);
	if (rc == RP_OK)
		rc = rp_buf_u32le(o, off1);
	if (rc == RP_OK && s->tail_version == 2)
		rc = rp_buf_u32le(o, off2);
	if (s->tail_version == 2) {
		if (rc == RP_OK && s->v2_has_dn)
			rc = put_cstr(o, &s->v2_server_dn, "store v2 server DN");
		if (rc == RP_OK && s->v2_has_fqdn)
			rc = put_wstr(o, &s->v2_server_fqdn, "store v2 server FQDN");
	} else if (rc == RP_OK && s->v3_has_smtp) {
		rc = put_wstr(o, &s->v3_smtp, "store v3 SMTP address");
	}
	if (rc == RP_OK)
		rc = put_bytes(o, &s->tail_reserved);
	return rc;
}

static int encode_store(const eid_store *s, rp_buf *o)
{
	int rc = rp_buf_u8(o, s->version);
	if (rc == RP_OK)
		rc = rp_buf_u8(o, s->flag);
	if (rc == RP_OK)
		rc = put_bytes(o, &s->dll);
	if (rc < 0)
		return rc;
	if (s->kind == EID_STORE_EMSMDB) {
		rc = rp_buf_u32le(o, s->wrapped_flags);
		if (rc == RP_OK)
			rc = rp_buf_append(o, s->wrapped_provider, 16);
		if (rc == RP_OK)
			rc = rp_buf_u32le(o, s->wrapped_type);
		if (rc == RP_OK)
			rc = put_cstr(o, &s->server, "store server name");
		if (rc == RP_OK && s->has_mailbox_dn)
			rc = put_cstr(o, &s->mailbox_dn, "store mailbox DN");
		if (rc == RP_OK && (s->tail_version == 2 || s->tail_version == 3))
			rc = encode_tail(s, o);
	} else if (s->kind == EID_STORE_MSPST) {
		rc = rp_buf_u32le(o, s->pst_flags);
		if (rc == RP_OK)
			rc = rp_buf_append(o, s->pst_uid, 16);
		if (rc == RP_OK)
			rc = rp_buf_u8(o, s->pst_reserved);
		if (rc == RP_OK && s->pst_unicode) {
			rc = rp_buf_u8(o, 0);
			if (rc == RP_OK)
				rc = put_wstr(o, &s->pst_path, "PST Unicode path");
		} else if (rc == RP_OK) {
			rc = put_cstr(o, &s->pst_path, "PST path");
		}
	}
	if (rc == RP_OK)
		rc = put_bytes(o, &s->rest);
	return rc;
}

static int encode_inner(const eid *inner, const eid_bytes *raw, rp_buf *o)
{
	return inner ? eid_encode(inner, o) : put_bytes(o, raw);
}

int eid_encode(const eid *e, rp_buf *o)
{
	int rc;

	if (e->short_header)
		return put_bytes(o, &e->raw);
	rc = rp_buf_append(o, e->flags, 4);
	if (rc == RP_OK)
		rc = rp_buf_append(o, e->provider, 16);
	if (rc < 0)
		return rc;
	switch (e->kind) {
	case EID_AB:
		rc = rp_buf_u32le(o, e->u.ab.version);
		if (rc == RP_OK)
			rc = rp_buf_u32le(o, e->u.ab.type);
		if (rc == RP_OK)
			rc = put_cstr(o, &e->u.ab.dn, "address book X500 DN");
		break;
	case EID_EPHEMERAL:
		rc = rp_buf_u32le(o, e->u.ab.version);
		if (rc == RP_OK)
			rc = rp_buf_u32le(o, e->u.ab.type);
		if (rc == RP_OK)
			rc = rp_buf_u32le(o, e->u.ab.mid);
		break;
	case EID_STORE:
		rc = encode_store(&e->u.store, o);
		break;
	case EID_FOLDER:
	case EID_MESSAGE:
		rc = rp_buf_u16le(o, e->u.obj.type);
		if (rc == RP_OK)
			rc = rp_buf_append(o, e->u.obj.db_guid, 16);
		if (rc == RP_OK)
			rc = rp_buf_append(o, e->u.obj.counter, 6);
		if (rc == RP_OK)
			rc = rp_buf_append(o, e->u.obj.pad, 2);
		if (rc == RP_OK && e->kind == EID_MESSAGE) {
			rc = rp_buf_append(o, e->u.obj.msg_db_guid, 16);
			if (rc == RP_OK)
				rc = rp_buf_append(o, e->u.obj.msg_counter, 6);
			if (rc == RP_OK)
				rc = rp_buf_append(o, e->u.obj.msg_pad, 2);
		}
		break;
	case EID_ONEOFF: {
		int (*put)(rp_buf *, const eid_bytes *, const char *) =
		    (e->u.oneoff.flags & 0x8000u) ? put_wstr : put_cstr;
		rc = rp_buf_u16le(o, e->u.oneoff.version);
		if (rc == RP_OK)
			rc = rp_buf_u16le(o, e->u.oneoff.flags);
		if (rc == RP_OK)
			rc = put(o, &e->u.oneoff.display_name, "one-off display name");
		if (rc == RP_OK)
			rc = put(o, &e->u.oneoff.addr_type, "one-off address type");
		if (rc == RP_OK)
			rc = put(o, &e->u.oneoff.address, "one-off address");
		break;
	}
	case EID_CONTAB:
		rc = rp_buf_u32le(o, e->u.contab.version);
		if (rc == RP_OK)
			rc = rp_buf_u32le(o, e->u.contab.type);
		if (rc < 0)
			break;
		if (e->u.contab.type == 4 || e->u.contab.type == 5) {
			size_t at;
			rc = rp_buf_u32le(o, e->u.contab.index);
			at = o->len;
			if (rc == RP_OK)
				rc = rp_buf_u32le(o, 0); /* EntryIDCount, patched below */
			if (rc == RP_OK)
				rc = encode_inner(e->u.contab.inner,
						  &e->u.contab.inner_raw, o);
			if (rc == RP_OK) {
				if (o->len - at - 4 > UINT32_MAX)
					return rp_error_set(
					    RP_EINVAL, "contab wrapped ID too large");
				rp_buf_put_u32le_at(o, at, (uint32_t)(o->len - at - 4));
			}
		} else if (e->u.contab.type >= 1 && e->u.contab.type <= 3) {
			rc = rp_buf_append(o, e->u.contab.muid, 16);
			if (rc == RP_OK)
				rc = encode_inner(e->u.contab.inner,
						  &e->u.contab.inner_raw, o);
		}
		break;
	case EID_WAB:
		rc = rp_buf_u8(o, e->u.wab.type);
		if (rc == RP_OK)
			rc = encode_inner(e->u.wab.inner, &e->u.wab.inner_raw, o);
		break;
	case EID_OPAQUE:
	default:
		rc = put_bytes(o, &e->raw);
		break;
	}
	if (rc == RP_OK)
		rc = put_bytes(o, &e->extra);
	return rc;
}

/* ---- names -------------------------------------------------------------- */

const char *eid_kind_name(const eid *e)
{
	switch (e->kind) {
	case EID_AB:
		return "ab";
	case EID_STORE:
		return e->u.store.kind == EID_STORE_EMSMDB  ? "emsmdb"
		       : e->u.store.kind == EID_STORE_MSPST ? "mspst"
							    : "store";
	case EID_FOLDER:
		return "folder";
	case EID_MESSAGE:
		return "message";
	case EID_ONEOFF:
		return "oneoff";
	case EID_CONTAB:
		return "contab";
	case EID_WAB:
		return "wab";
	case EID_EPHEMERAL:
		return "ephemeral";
	default:
		return "opaque";
	}
}

static const char *dt_name(uint32_t t)
{
	/* MS-OXCDATA 2.2.5.2 / MS-NSPI display types. */
	switch (t) {
	case 0:
		return "DT_MAILUSER";
	case 1:
		return "DT_DISTLIST";
	case 2:
		return "DT_FORUM";
	case 3:
		return "DT_AGENT";
	case 4:
		return "DT_ORGANIZATION";
	case 5:
		return "DT_PRIVATE_DISTLIST";
	case 6:
		return "DT_REMOTE_MAILUSER";
	case 0x100:
		return "DT_CONTAINER";
	case 0x101:
		return "DT_TEMPLATE";
	case 0x102:
		return "DT_ADDRESS_TEMPLATE";
	case 0x200:
		return "DT_SEARCH";
	default:
		return NULL;
	}
}

static const char *obj_type_name(uint16_t t)
{
	/* MS-OXCDATA 2.2.4 (mapi-binary-formats.md 1.3). */
	switch (t) {
	case 0x0001:
		return "eitLTPrivateFolder";
	case 0x0003:
		return "eitLTPublicFolder";
	case 0x0005:
		return "eitLTWackyFolder";
	case 0x0007:
		return "eitLTPrivateMessage";
	case 0x0009:
		return "eitLTPublicMessage";
	case 0x000B:
		return "eitLTWackyMessage";
	case 0x000C:
		return "eitLTPublicFolderByName";
	default:
		return NULL;
	}
}

static const char *contab_type_name(uint32_t t)
{
	/* mfcmapi extraPropTags.h CONTAB_* (mapi-binary-formats.md 1.5). */
	switch (t) {
	case 1:
		return "CONTAB_ROOT";
	case 2:
		return "CONTAB_SUBROOT";
	case 3:
		return "CONTAB_CONTAINER";
	case 4:
		return "CONTAB_USER";
	case 5:
		return "CONTAB_DISTLIST";
	default:
		return NULL;
	}
}

static const char *wab_type_name(uint8_t t)
{
	/* MS-OXOCNTC 2.2.2.2.4.1.1, low nibble. */
	switch (t & 0x0F) {
	case 0:
		return "one-off";
	case 3:
		return "contact";
	case 4:
		return "personal distribution list";
	case 5:
		return "GAL user";
	case 6:
		return "GAL distribution list";
	default:
		return NULL;
	}
}

/* ---- text rendering ----------------------------------------------------- */

struct tw {
	rp_buf *o;
	int ind;
	int rc;
};

static void tline(struct tw *w, const char *key, const char *fmt, ...) RP_PRINTF(3, 4);

#include <stdarg.h>

static void tline(struct tw *w, const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	if (w->rc != RP_OK)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	w->rc = rp_buf_printf(w->o, "%*s%s: %s\n", w->ind, "", key, buf);
}

static void tstr(struct tw *w, const char *key, const eid_bytes *b, bool utf16)
{
	char *s = NULL;
	if (w->rc != RP_OK)
		return;
	if (eid_bytes_utf8(b, utf16, &s) < 0) {
		w->rc = RP_ENOMEM;
		return;
	}
	w->rc = rp_buf_printf(w->o, "%*s%s: %s\n", w->ind, "", key, s);
	free(s);
}

static void thex(struct tw *w, const char *key, const uint8_t *p, size_t n)
{
	char *h;
	if (w->rc != RP_OK)
		return;
	h = rp_hex(p ? p : (const uint8_t *)"", n);
	if (!h) {
		w->rc = RP_ENOMEM;
		return;
	}
	w->rc = rp_buf_printf(w->o, "%*s%s: %s\n", w->ind, "", key, h);
	free(h);
}

static void tguid(struct tw *w, const char *key, const uint8_t *g)
{
	char gs[39], hx[33];
	const char *nm = eid_provider_name(g);
	eid_guid_str(g, gs);
	hex16(g, hx);
	tline(w, key, "%s %s%s(%s)", gs, nm ? nm : "", nm ? " " : "", hx);
}

static void tnamed(struct tw *w, const char *key, uint32_t v, const char *name)
{
	if (name)
		tline(w, key, "0x%08" PRIX32 " (%s)", v, name);
	else
		tline(w, key, "0x%08" PRIX32, v);
}

static void text_eid(struct tw *w, const eid *e);

static void text_inner(struct tw *w, const char *key, const eid *inner,
		       const eid_bytes *raw)
{
	if (!inner) {
		thex(w, key, raw->p, raw->n);
		return;
	}
	tline(w, key, "%zu bytes", raw->n);
	w->ind += 2;
	text_eid(w, inner);
	w->ind -= 2;
}

static void text_store(struct tw *w, const eid_store *s)
{
	char dll[64];
	size_t n = 0;
	while (n < s->dll.n && n + 1 < sizeof(dll) && s->dll.p[n]) {
		dll[n] = (char)s->dll.p[n];
		n++;
	}
	dll[n] = '\0';
	tline(w, "version", "0x%02X", s->version);
	tline(w, "flag", "0x%02X", s->flag);
	tline(w, "dll", "%s", dll);
	if (s->kind == EID_STORE_EMSMDB) {
		const char *wt = NULL;
		tline(w, "wrapped flags", "0x%08" PRIX32, s->wrapped_flags);
		tguid(w, "wrapped provider", s->wrapped_provider);
		/* OPENSTORE_* (EdkMdb.h): HOME_LOGON 4, TAKE_OWNERSHIP 8, PUBLIC 2. */
		if (s->wrapped_type == 0x0C)
			wt = "private: OPENSTORE_HOME_LOGON | OPENSTORE_TAKE_OWNERSHIP";
		else if (s->wrapped_type == 0x06)
			wt = "public: OPENSTORE_HOME_LOGON | OPENSTORE_PUBLIC";
		else if (s->wrapped_type == 0x08)
			wt = "OPENSTORE_TAKE_OWNERSHIP";
		tnamed(w, "wrapped type", s->wrapped_type, wt);
		tstr(w, "server", &s->server, false);
		if (s->has_mailbox_dn)
			tstr(w, "mailbox DN", &s->mailbox_dn, false);
		else
			tline(w, "mailbox DN", "(none)");
		if (s->tail_version == 2) {
			tline(w, "tail",
			      "v2 (magic 0xF32135D8, version %" PRIu32
			      ", size delta %" PRId64 ", offset deltas %" PRId64
			      "/%" PRId64 ")",
			      s->tail_struct_version, s->tail_size_delta,
			      s->tail_off_delta[0], s->tail_off_delta[1]);
			w->ind += 2;
			if (s->v2_has_dn)
				tstr(w, "server DN", &s->v2_server_dn, false);
			else
				tline(w, "server DN", "(none)");
			if (s->v2_has_fqdn)
				tstr(w, "server FQDN", &s->v2_server_fqdn, true);
			else
				tline(w, "server FQDN", "(none)");
			if (s->tail_reserved.n)
				thex(w, "reserved", s->tail_reserved.p,
				     s->tail_reserved.n);
			w->ind -= 2;
		} else if (s->tail_version == 3) {
			tline(w, "tail",
			      "v3 (magic 0xF43246E9, version %" PRIu32
			      ", size delta %" PRId64 ", offset delta %" PRId64 ")",
			      s->tail_struct_version, s->tail_size_delta,
			      s->tail_off_delta[0]);
			w->ind += 2;
			if (s->v3_has_smtp)
				tstr(w, "SMTP address", &s->v3_smtp, true);
			else
				tline(w, "SMTP address", "(none)");
			if (s->tail_reserved.n)
				thex(w, "reserved", s->tail_reserved.p,
				     s->tail_reserved.n);
			w->ind -= 2;
		}
	} else if (s->kind == EID_STORE_MSPST) {
		tline(w, "PST flags", "0x%08" PRIX32, s->pst_flags);
		tguid(w, "PST provider", s->pst_uid);
		tline(w, "PST reserved", "0x%02X", s->pst_reserved);
		tstr(w, s->pst_unicode ? "PST path (Unicode)" : "PST path", &s->pst_path,
		     s->pst_unicode);
	}
	if (s->rest.n)
		thex(w, s->kind == EID_STORE_OTHER ? "wrapped ID" : "trailing bytes",
		     s->rest.p, s->rest.n);
}

static void text_eid(struct tw *w, const eid *e)
{
	tline(w, "kind", "%s", eid_kind_name(e));
	if (e->short_header) {
		thex(w, "bytes (shorter than the 20-byte header)", e->raw.p, e->raw.n);
		return;
	}
	thex(w, "flags", e->flags, 4);
	tguid(w, "provider", e->provider);
	switch (e->kind) {
	case EID_AB:
		tline(w, "version", "%" PRIu32, e->u.ab.version);
		tnamed(w, "type", e->u.ab.type, dt_name(e->u.ab.type));
		tstr(w, "DN", &e->u.ab.dn, false);
		break;
	case EID_EPHEMERAL:
		tline(w, "version", "%" PRIu32, e->u.ab.version);
		tnamed(w, "type", e->u.ab.type, dt_name(e->u.ab.type));
		tline(w, "MId", "0x%08" PRIX32, e->u.ab.mid);
		break;
	case EID_STORE:
		text_store(w, &e->u.store);
		break;
	case EID_FOLDER:
	case EID_MESSAGE:
		tnamed(w, "type", e->u.obj.type, obj_type_name(e->u.obj.type));
		tguid(w, e->kind == EID_FOLDER ? "database" : "folder database",
		      e->u.obj.db_guid);
		thex(w,
		     e->kind == EID_FOLDER ? "global counter" : "folder global counter",
		     e->u.obj.counter, 6);
		thex(w, "pad", e->u.obj.pad, 2);
		if (e->kind == EID_MESSAGE) {
			tguid(w, "message database", e->u.obj.msg_db_guid);
			thex(w, "message global counter", e->u.obj.msg_counter, 6);
			thex(w, "message pad", e->u.obj.msg_pad, 2);
		}
		break;
	case EID_ONEOFF: {
		bool u = (e->u.oneoff.flags & 0x8000u) != 0;
		tline(w, "version", "%u", e->u.oneoff.version);
		tline(w, "flags", "0x%04X%s", e->u.oneoff.flags,
		      u ? " (MAPI_ONE_OFF_UNICODE)" : "");
		tstr(w, "display name", &e->u.oneoff.display_name, u);
		tstr(w, "address type", &e->u.oneoff.addr_type, u);
		tstr(w, "address", &e->u.oneoff.address, u);
		break;
	}
	case EID_CONTAB:
		tline(w, "version", "%" PRIu32, e->u.contab.version);
		tnamed(w, "type", e->u.contab.type, contab_type_name(e->u.contab.type));
		if (e->u.contab.type == 4 || e->u.contab.type == 5) {
			tline(w, "index", "%" PRIu32, e->u.contab.index);
			text_inner(w, "wrapped entry ID", e->u.contab.inner,
				   &e->u.contab.inner_raw);
		} else if (e->u.contab.type >= 1 && e->u.contab.type <= 3) {
			tguid(w, "muid", e->u.contab.muid);
			if (e->u.contab.inner_raw.n)
				text_inner(w, "wrapped entry ID", e->u.contab.inner,
					   &e->u.contab.inner_raw);
		}
		break;
	case EID_WAB: {
		const char *tn = wab_type_name(e->u.wab.type);
		tline(w, "type", "0x%02X%s%s%s", e->u.wab.type, tn ? " (" : "",
		      tn ? tn : "", tn ? ")" : "");
		text_inner(w, "wrapped entry ID", e->u.wab.inner, &e->u.wab.inner_raw);
		break;
	}
	default:
		thex(w, "data", e->raw.p, e->raw.n);
		break;
	}
	if (e->extra.n)
		thex(w, "trailing bytes", e->extra.p, e->extra.n);
}

int eid_render_text(const eid *e, rp_buf *out, int indent)
{
	struct tw w = {out, indent, RP_OK};
	text_eid(&w, e);
	return w.rc;
}

/* ---- JSON rendering ----------------------------------------------------- */

static void jstr(rp_json *j, const char *key, const eid_bytes *b, bool utf16)
{
	char *s = NULL;
	rp_json_key(j, key);
	if (eid_bytes_utf8(b, utf16, &s) == RP_OK)
		rp_json_str(j, s);
	else
		rp_json_null(j);
	free(s);
}

static void jguid(rp_json *j, const char *key, const uint8_t *g)
{
	char gs[39];
	eid_guid_str(g, gs);
	rp_json_key(j, key);
	rp_json_obj_begin(j);
	rp_json_kstr(j, "guid", gs);
	rp_json_khex(j, "hex", g, 16);
	rp_json_kstr(j, "name", eid_provider_name(g));
	rp_json_obj_end(j);
}

static void jinner(rp_json *j, const eid *inner, const eid_bytes *raw)
{
	rp_json_khex(j, "wrapped_hex", raw->p ? raw->p : (const uint8_t *)"", raw->n);
	if (inner) {
		rp_json_key(j, "wrapped");
		eid_render_json(inner, j);
	}
}

static void json_store(rp_json *j, const eid_store *s)
{
	char dll[64];
	size_t n = 0;
	while (n < s->dll.n && n + 1 < sizeof(dll) && s->dll.p[n]) {
		dll[n] = (char)s->dll.p[n];
		n++;
	}
	dll[n] = '\0';
	rp_json_kuint(j, "version", s->version);
	rp_json_kuint(j, "flag", s->flag);
	rp_json_kstr(j, "dll", dll);
	if (s->kind == EID_STORE_EMSMDB) {
		rp_json_kuint(j, "wrapped_flags", s->wrapped_flags);
		jguid(j, "wrapped_provider", s->wrapped_provider);
		rp_json_kuint(j, "wrapped_type", s->wrapped_type);
		jstr(j, "server", &s->server, false);
		if (s->has_mailbox_dn)
			jstr(j, "mailbox_dn", &s->mailbox_dn, false);
		else
			rp_json_kstr(j, "mailbox_dn", NULL);
		rp_json_kint(j, "tail_version", s->tail_version);
		if (s->tail_version) {
			rp_json_kuint(j, "tail_struct_version", s->tail_struct_version);
			rp_json_kint(j, "tail_size_delta", s->tail_size_delta);
			rp_json_kint(j, "tail_offset_delta_1", s->tail_off_delta[0]);
			if (s->tail_version == 2)
				rp_json_kint(j, "tail_offset_delta_2",
					     s->tail_off_delta[1]);
		}
		if (s->tail_version == 2) {
			if (s->v2_has_dn)
				jstr(j, "server_dn", &s->v2_server_dn, false);
			else
				rp_json_kstr(j, "server_dn", NULL);
			if (s->v2_has_fqdn)
				jstr(j, "server_fqdn", &s->v2_server_fqdn, true);
			else
				rp_json_kstr(j, "server_fqdn", NULL);
		} else if (s->tail_version == 3) {
			if (s->v3_has_smtp)
				jstr(j, "smtp_address", &s->v3_smtp, true);
			else
				rp_json_kstr(j, "smtp_address", NULL);
		}
		if (s->tail_version)
			rp_json_khex(j, "tail_reserved",
				     s->tail_reserved.p ? s->tail_reserved.p
							: (const uint8_t *)"",
				     s->tail_reserved.n);
	} else if (s->kind == EID_STORE_MSPST) {
		rp_json_kuint(j, "pst_flags", s->pst_flags);
		jguid(j, "pst_provider", s->pst_uid);
		rp_json_kuint(j, "pst_reserved", s->pst_reserved);
		rp_json_kbool(j, "pst_unicode", s->pst_unicode);
		jstr(j, "pst_path", &s->pst_path, s->pst_unicode);
	}
	if (s->rest.n)
		rp_json_khex(j, "rest", s->rest.p, s->rest.n);
}

void eid_render_json(const eid *e, rp_json *j)
{
	rp_json_obj_begin(j);
	rp_json_kstr(j, "kind", eid_kind_name(e));
	if (e->short_header) {
		rp_json_kbool(j, "short_header", true);
		rp_json_khex(j, "bytes", e->raw.p ? e->raw.p : (const uint8_t *)"",
			     e->raw.n);
		rp_json_obj_end(j);
		return;
	}
	rp_json_khex(j, "flags", e->flags, 4);
	jguid(j, "provider", e->provider);
	switch (e->kind) {
	case EID_AB:
	case EID_EPHEMERAL:
		rp_json_kuint(j, "version", e->u.ab.version);
		rp_json_kuint(j, "type", e->u.ab.type);
		rp_json_kstr(j, "type_name", dt_name(e->u.ab.type));
		if (e->kind == EID_AB)
			jstr(j, "dn", &e->u.ab.dn, false);
		else
			rp_json_kuint(j, "mid", e->u.ab.mid);
		break;
	case EID_STORE:
		json_store(j, &e->u.store);
		break;
	case EID_FOLDER:
	case EID_MESSAGE:
		rp_json_kuint(j, "type", e->u.obj.type);
		rp_json_kstr(j, "type_name", obj_type_name(e->u.obj.type));
		jguid(j, "database", e->u.obj.db_guid);
		rp_json_khex(j, "global_counter", e->u.obj.counter, 6);
		rp_json_khex(j, "pad", e->u.obj.pad, 2);
		if (e->kind == EID_MESSAGE) {
			jguid(j, "message_database", e->u.obj.msg_db_guid);
			rp_json_khex(j, "message_global_counter", e->u.obj.msg_counter,
				     6);
			rp_json_khex(j, "message_pad", e->u.obj.msg_pad, 2);
		}
		break;
	case EID_ONEOFF: {
		bool u = (e->u.oneoff.flags & 0x8000u) != 0;
		rp_json_kuint(j, "version", e->u.oneoff.version);
		rp_json_kuint(j, "oneoff_flags", e->u.oneoff.flags);
		rp_json_kbool(j, "unicode", u);
		jstr(j, "display_name", &e->u.oneoff.display_name, u);
		jstr(j, "address_type", &e->u.oneoff.addr_type, u);
		jstr(j, "address", &e->u.oneoff.address, u);
		break;
	}
	case EID_CONTAB:
		rp_json_kuint(j, "version", e->u.contab.version);
		rp_json_kuint(j, "type", e->u.contab.type);
		rp_json_kstr(j, "type_name", contab_type_name(e->u.contab.type));
		if (e->u.contab.type == 4 || e->u.contab.type == 5) {
			rp_json_kuint(j, "index", e->u.contab.index);
			jinner(j, e->u.contab.inner, &e->u.contab.inner_raw);
		} else if (e->u.contab.type >= 1 && e->u.contab.type <= 3) {
			jguid(j, "muid", e->u.contab.muid);
			jinner(j, e->u.contab.inner, &e->u.contab.inner_raw);
		}
		break;
	case EID_WAB:
		rp_json_kuint(j, "type", e->u.wab.type);
		rp_json_kstr(j, "type_name", wab_type_name(e->u.wab.type));
		jinner(j, e->u.wab.inner, &e->u.wab.inner_raw);
		break;
	default:
		rp_json_khex(j, "data", e->raw.p ? e->raw.p : (const uint8_t *)"",
			     e->raw.n);
		break;
	}
	if (e->extra.n)
		rp_json_khex(j, "trailing", e->extra.p, e->extra.n);
	rp_json_obj_end(j);
}
