/* Unit tests for src/mailbox/mbx_nspi: NSPI bodies of MAPI/HTTP.
 *
 * 1. The MS-OXNSPI section 4 Bind STAT ($RP_SHARED_DIR/vectors/mapihttp/
 *    ms-oxnspi/4-bind-stat.bin, used by path) decodes to the values the
 *    spec lists, and the default STAT encodes to the same 36 bytes.
 * 2. Every request type encodes to bytes laid out field by field here from
 *    the MS-OXCMAPIHTTP 2.2.5 tables (the expected buffers are written with
 *    the writer helpers below, one line per spec field).
 * 3. Responses built the same way decode to the fields put in: standard,
 *    flagged and typed rows, multi-valued strings with per-element
 *    HasValue, errors, absent values, GetSpecialTable lists.
 * 4. Every cut of every response fails with RP_EFORMAT and a message, as do
 *    trailing bytes, bad HasValue/flag bytes; over-cap counts fail with
 *    RP_ELIMIT before allocating. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mailbox/mbx_nspi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

static void w8(rp_buf *b, uint8_t v)
{
	assert_int_equal(rp_buf_u8(b, v), RP_OK);
}
static void w16(rp_buf *b, uint16_t v)
{
	assert_int_equal(rp_buf_u16le(b, v), RP_OK);
}
static void w32(rp_buf *b, uint32_t v)
{
	assert_int_equal(rp_buf_u32le(b, v), RP_OK);
}
static void wbytes(rp_buf *b, const void *p, size_t n)
{
	assert_int_equal(rp_buf_append(b, p, n), RP_OK);
}
/* UTF-16LE z-string */
static void wstr(rp_buf *b, const char *s)
{
	assert_int_equal(rp_utf8_to_utf16le(s, strlen(s), b, true), RP_OK);
}
static void wstat(rp_buf *b, const mbx_nspi_stat *s)
{
	uint8_t raw[MBX_NSPI_STAT_SIZE];
	mbx_nspi_stat_encode(s, raw);
	wbytes(b, raw, sizeof(raw));
}

static void assert_buf_eq(const rp_buf *got, const rp_buf *want)
{
	if (got->len != want->len || memcmp(got->data, want->data, got->len)) {
		char *g = rp_hex(got->data, got->len), *w = rp_hex(want->data, want->len);
		print_message("got  %s\nwant %s\n", g, w);
		free(g);
		free(w);
		fail();
	}
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static const char *vec_path(const char *rel)
{
	static char path[4096];
	const char *env = getenv("RP_SHARED_DIR");
	snprintf(path, sizeof(path), "%s/vectors/mapihttp/%s",
		 env && *env ? env : RP_SHARED_DIR, rel);
	return path;
}

/* Decodes body, checks every strict prefix fails cleanly and one trailing
 * byte is refused; returns the full decode in *r. */
static void decode_checked(mbx_nspi_type type, const rp_buf *body, mbx_nspi_rsp *r)
{
	rp_buf longer = RP_BUF_INIT;
	mbx_nspi_rsp t;

	for (size_t cut = 0; cut < body->len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		assert_non_null(copy);
		memcpy(copy, body->data, cut);
		rp_error_clear();
		int rc = mbx_nspi_rsp_decode(&t, type, copy, cut);
		if (rc != RP_EFORMAT)
			print_message("%s cut at %lu: rc %d\n", mbx_nspi_type_name(type),
				      (unsigned long)cut, rc);
		assert_int_equal(rc, RP_EFORMAT);
		assert_true(rp_error_msg()[0] != '\0');
		assert_non_null(strstr(rp_error_msg(), mbx_nspi_type_name(type)));
		mbx_nspi_rsp_free(&t);
		free(copy);
	}
	wbytes(&longer, body->data, body->len);
	w8(&longer, 0);
	assert_int_equal(mbx_nspi_rsp_decode(&t, type, longer.data, longer.len),
			 RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "after the end"));
	mbx_nspi_rsp_free(&t);
	rp_buf_free(&longer);

	assert_int_equal(mbx_nspi_rsp_decode(r, type, body->data, body->len), RP_OK);
	assert_int_equal(r->type, type);
}

/* body is refused with rc and a message containing text (if not NULL). */
static void expect_fail(mbx_nspi_type type, const rp_buf *body, int rc, const char *text)
{
	mbx_nspi_rsp r;
	assert_int_equal(mbx_nspi_rsp_decode(&r, type, body->data, body->len), rc);
	if (text)
		assert_non_null(strstr(rp_error_msg(), text));
	mbx_nspi_rsp_free(&r);
}

/* StatusCode 0 and ErrorCode: the start of every successful body. */
static void head(rp_buf *b, uint32_t error)
{
	w32(b, 0);
	w32(b, error);
}

static void assert_utf8(const mbx_ab_value *v, size_t i, const char *want)
{
	char *s = NULL;
	assert_non_null(v);
	assert_int_equal(mbx_ab_value_utf8(v, i, &s), RP_OK);
	assert_string_equal(s, want);
	free(s);
}

/* ---- 1. STAT vector ------------------------------------------------------- */

static void test_stat_vector(void **state)
{
	(void)state;
	size_t n = 0;
	char *raw = slurp(vec_path("ms-oxnspi/4-bind-stat.bin"), &n);
	mbx_nspi_stat s, d;
	uint8_t enc[MBX_NSPI_STAT_SIZE];

	if (!raw) {
		print_message("note: %s not found, STAT vector skipped\n",
			      vec_path("ms-oxnspi/4-bind-stat.bin"));
		skip();
	}
	assert_int_equal(n, MBX_NSPI_STAT_SIZE);
	mbx_nspi_stat_decode(&s, (const uint8_t *)raw);
	/* the values INDEX.md lists from MS-OXNSPI section 4 */
	assert_int_equal(s.sort_type, 0);
	assert_int_equal(s.container_id, 0);
	assert_int_equal(s.cur_rec, 0);
	assert_int_equal(s.delta, 0);
	assert_int_equal(s.num_pos, 0);
	assert_int_equal(s.total_recs, 0);
	assert_int_equal(s.codepage, 0x04E4);
	assert_int_equal(s.template_locale, 0x0409);
	assert_int_equal(s.sort_locale, 0x0409);
	mbx_nspi_stat_default(&d);
	mbx_nspi_stat_encode(&d, enc);
	assert_memory_equal(enc, raw, MBX_NSPI_STAT_SIZE);

	/* a Bind request carries it after Flags and HasState */
	rp_buf got = RP_BUF_INIT, want = RP_BUF_INIT;
	mbx_nspi_req req = {0};
	req.stat = &d;
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_BIND, &req, &got), RP_OK);
	w32(&want, 0);         /* Flags */
	w8(&want, 0xFF);       /* HasState */
	wbytes(&want, raw, n); /* State */
	w32(&want, 0);         /* AuxiliaryBufferSize */
	assert_buf_eq(&got, &want);
	rp_buf_free(&got);
	rp_buf_free(&want);
	free(raw);
}

static void test_stat_fields(void **state)
{
	(void)state;
	mbx_nspi_stat s = {3, 0x11, 0x22, -5, 7, 9, MBX_CP_WINUNICODE, 0x407, 0x40C}, d;
	uint8_t raw[MBX_NSPI_STAT_SIZE];
	mbx_nspi_stat_encode(&s, raw);
	assert_int_equal(raw[12], 0xFB); /* Delta -5, little-endian two's complement */
	assert_int_equal(raw[15], 0xFF);
	mbx_nspi_stat_decode(&d, raw);
	assert_memory_equal(&s, &d, sizeof(s));
}

/* ---- 2. requests ---------------------------------------------------------- */

static void test_requests(void **state)
{
	(void)state;
	rp_buf got = RP_BUF_INIT, want = RP_BUF_INIT;
	mbx_nspi_stat st;
	mbx_nspi_req req;
	uint32_t tags[2] = {MBX_PR_DISPLAY_NAME_W, MBX_PR_SMTP_ADDRESS_W};
	uint32_t mids[3] = {0x11, 0x22, 0x33};
	const char *dns[2] = {"/o=Src/ou=Exchange Administrative Group "
			      "(FYDIBOHF23SPDLT)/cn=Recipients/cn=alice",
			      "/o=Src/cn=bob"};
	const char *names[1] = {"J\xc3\xb6rg"}; /* Jörg */

	mbx_nspi_stat_default(&st);
	st.cur_rec = 0x1234;

	/* Unbind: Reserved(4), aux */
	memset(&req, 0, sizeof(req));
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_UNBIND, &req, &got), RP_OK);
	w32(&want, 0);
	w32(&want, 0);
	assert_buf_eq(&got, &want);
	got.len = want.len = 0;

	/* Bind without a STAT */
	req.flags = 0x20;
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_BIND, &req, &got), RP_OK);
	w32(&want, 0x20);
	w8(&want, 0);
	w32(&want, 0);
	assert_buf_eq(&got, &want);
	got.len = want.len = 0;

	/* DNToMId: Reserved, HasNames, NameCount, 8-bit z-strings, aux */
	memset(&req, 0, sizeof(req));
	req.names = dns;
	req.name_count = 2;
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_DNTOMID, &req, &got), RP_OK);
	w32(&want, 0);
	w8(&want, 0xFF);
	w32(&want, 2);
	wbytes(&want, dns[0], strlen(dns[0]) + 1);
	wbytes(&want, dns[1], strlen(dns[1]) + 1);
	w32(&want, 0);
	assert_buf_eq(&got, &want);
	got.len = want.len = 0;

	/* GetProps: Flags, HasState, STAT, HasPropertyTags, count, tags, aux */
	memset(&req, 0, sizeof(req));
	req.flags = MBX_NSPI_FSKIPOBJECTS;
	req.stat = &st;
	req.tags = tags;
	req.tag_count = 2;
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_GETPROPS, &req, &got), RP_OK);
	w32(&want, 1);
	w8(&want, 0xFF);
	wstat(&want, &st);
	w8(&want, 0xFF);
	w32(&want, 2);
	w32(&want, tags[0]);
	w32(&want, tags[1]);
	w32(&want, 0);
	assert_buf_eq(&got, &want);
	got.len = want.len = 0;

	/* QueryRows: Flags, HasState, STAT, ExplicitTableCount, MIds, RowCount,
	 * HasColumns, columns, aux */
	req.flags = 0;
	req.mids = mids;
	req.mid_count = 3;
	req.row_count = 50;
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_QUERYROWS, &req, &got), RP_OK);
	w32(&want, 0);
	w8(&want, 0xFF);
	wstat(&want, &st);
	w32(&want, 3);
	w32(&want, 0x11);
	w32(&want, 0x22);
	w32(&want, 0x33);
	w32(&want, 50);
	w8(&want, 0xFF);
	w32(&want, 2);
	w32(&want, tags[0]);
	w32(&want, tags[1]);
	w32(&want, 0);
	assert_buf_eq(&got, &want);
	got.len = want.len = 0;

	/* ResolveNames: Reserved, HasState, STAT, HasPropertyTags, tags,
	 * HasNames, count, UTF-16 z-strings (no per-name HasValue), aux */
	memset(&req, 0, sizeof(req));
	req.stat = &st;
	req.tags = tags;
	req.tag_count = 1;
	req.names = names;
	req.name_count = 1;
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_RESOLVENAMES, &req, &got), RP_OK);
	w32(&want, 0);
	w8(&want, 0xFF);
	wstat(&want, &st);
	w8(&want, 0xFF);
	w32(&want, 1);
	w32(&want, tags[0]);
	w8(&want, 0xFF);
	w32(&want, 1);
	wbytes(&want, "J\0\xf6\0r\0g\0\0\0", 10);
	w32(&want, 0);
	assert_buf_eq(&got, &want);
	got.len = want.len = 0;

	/* GetMatches: Reserved1, HasState, STAT, HasMinimalIds(0),
	 * InterfaceOptionFlags, HasFilter, restriction, HasPropertyName(0),
	 * RowCount, HasColumns, columns, aux */
	rp_buf filter = RP_BUF_INIT;
	assert_int_equal(mbx_nspi_filter_eq_str(&filter, MBX_PR_SMTP_ADDRESS_W, "a@b"),
			 RP_OK);
	memset(&req, 0, sizeof(req));
	req.stat = &st;
	req.filter = filter.data;
	req.filter_len = filter.len;
	req.row_count = 10;
	req.tags = tags;
	req.tag_count = 2;
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_GETMATCHES, &req, &got), RP_OK);
	w32(&want, 0);
	w8(&want, 0xFF);
	wstat(&want, &st);
	w8(&want, 0);
	w32(&want, 0);
	w8(&want, 0xFF);
	/* RES_PROPERTY, RELOP_EQ, tag, TaggedValue{tag, HasValue, "a@b"} */
	w8(&want, 0x04);
	w8(&want, 0x04);
	w32(&want, MBX_PR_SMTP_ADDRESS_W);
	w32(&want, MBX_PR_SMTP_ADDRESS_W);
	w8(&want, 0xFF);
	wstr(&want, "a@b");
	w8(&want, 0);
	w32(&want, 10);
	w8(&want, 0xFF);
	w32(&want, 2);
	w32(&want, tags[0]);
	w32(&want, tags[1]);
	w32(&want, 0);
	assert_buf_eq(&got, &want);
	got.len = want.len = 0;

	/* GetSpecialTable: Flags, HasState, STAT, HasVersion, Version, aux */
	memset(&req, 0, sizeof(req));
	req.flags = MBX_NSPI_SPECIAL_UNICODE;
	req.stat = &st;
	req.has_version = true;
	req.version = 7;
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_GETSPECIALTABLE, &req, &got),
			 RP_OK);
	w32(&want, 4);
	w8(&want, 0xFF);
	wstat(&want, &st);
	w8(&want, 0xFF);
	w32(&want, 7);
	w32(&want, 0);
	assert_buf_eq(&got, &want);

	rp_buf_free(&filter);
	rp_buf_free(&got);
	rp_buf_free(&want);
}

static void test_filters(void **state)
{
	(void)state;
	rp_buf a = RP_BUF_INIT, want = RP_BUF_INIT, or = RP_BUF_INIT;

	assert_int_equal(mbx_nspi_filter_prefix_str(&a, MBX_PR_DISPLAY_NAME_W, "Al"),
			 RP_OK);
	/* RES_CONTENT, FuzzyLevel FL_PREFIX|FL_IGNORECASE, tag, tagged value */
	w8(&want, 0x03);
	w32(&want, 0x00010002);
	w32(&want, MBX_PR_DISPLAY_NAME_W);
	w32(&want, MBX_PR_DISPLAY_NAME_W);
	w8(&want, 0xFF);
	wstr(&want, "Al");
	assert_buf_eq(&a, &want);

	assert_int_equal(mbx_nspi_filter_or(& or, a.data, a.len, 1), RP_OK);
	assert_int_equal(or.data[0], 0x01);
	assert_int_equal(or.data[1], 1); /* 4-byte count in NSPI */
	assert_int_equal(or.data[4], 0);
	assert_int_equal(or.len, 5 + a.len);

	/* a multi-valued tag: the restriction names it, the value is single */
	a.len = 0;
	assert_int_equal(mbx_nspi_filter_eq_str(&a, MBX_PR_EMS_AB_PROXY_ADDRESSES_W, "x"),
			 RP_OK);
	assert_int_equal(a.data[0], 0x04);
	assert_int_equal(rp_le32(a.data + 2), MBX_PR_EMS_AB_PROXY_ADDRESSES_W);
	assert_int_equal(rp_le32(a.data + 6), 0x800F001F);
	/* only Unicode string tags */
	assert_int_equal(mbx_nspi_filter_eq_str(&a, MBX_PR_DISPLAY_TYPE, "x"), RP_EINVAL);
	rp_buf_free(&a);
	rp_buf_free(&want);
	rp_buf_free(& or);
}

static void test_request_errors(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	mbx_nspi_req req = {0};
	const char *dn[1] = {"/o=\xc3\xa9"};
	const char *bad[1] = {"\xff\xfe"};

	req.names = dn;
	req.name_count = 1;
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_DNTOMID, &req, &b), RP_EINVAL);
	assert_non_null(strstr(rp_error_msg(), "not ASCII"));
	req.names = bad;
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_RESOLVENAMES, &req, &b), RP_EINVAL);
	assert_non_null(strstr(rp_error_msg(), "UTF-8"));
	memset(&req, 0, sizeof(req));
	req.tag_count = MBX_NSPI_MAX_TAGS + 1;
	req.tags = (const uint32_t *)&req; /* never read: the cap fails first */
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_GETPROPS, &req, &b), RP_EINVAL);
	assert_int_equal(mbx_nspi_req_encode(MBX_NSPI_TYPE_COUNT, &req, &b), RP_EINVAL);
	assert_null(mbx_nspi_type_name(MBX_NSPI_TYPE_COUNT));
	assert_string_equal(mbx_nspi_type_name(MBX_NSPI_DNTOMID), "DNToMId");
	rp_buf_free(&b);
}

/* ---- 3./4. responses ------------------------------------------------------ */

static void test_bind_unbind(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	mbx_nspi_rsp r;
	static const uint8_t guid[16] = {1, 2,  3,  4,  5,  6,  7,  8,
					 9, 10, 11, 12, 13, 14, 15, 16};

	w32(&b, 0);           /* StatusCode */
	w32(&b, 0);           /* ErrorCode */
	wbytes(&b, guid, 16); /* ServerGuid */
	w32(&b, 3);           /* AuxiliaryBufferSize */
	wbytes(&b, "xyz", 3);
	decode_checked(MBX_NSPI_BIND, &b, &r);
	assert_memory_equal(r.server_guid, guid, 16);
	assert_int_equal(r.aux_len, 3);
	assert_memory_equal(r.aux, "xyz", 3);
	mbx_nspi_rsp_free(&r);

	b.len = 0;
	head(&b, MBX_NSPI_UNBIND_SUCCESS);
	w32(&b, 0);
	decode_checked(MBX_NSPI_UNBIND, &b, &r);
	assert_int_equal(r.error, 1);
	mbx_nspi_rsp_free(&r);

	/* a failed request: StatusCode != 0, the rest kept as aux */
	b.len = 0;
	w32(&b, 5);
	w32(&b, 5);
	w32(&b, 0);
	assert_int_equal(mbx_nspi_rsp_decode(&r, MBX_NSPI_BIND, b.data, b.len), RP_OK);
	assert_int_equal(r.status, 5);
	assert_int_equal(r.aux_len, 8);
	mbx_nspi_rsp_free(&r);
	rp_buf_free(&b);
}

static void test_dntomid(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	mbx_nspi_rsp r;

	w32(&b, 0);
	w32(&b, 0);
	w8(&b, 0xFF); /* HasMinimalIds */
	w32(&b, 2);
	w32(&b, 0x1001);
	w32(&b, 0); /* unknown DN */
	w32(&b, 0);
	decode_checked(MBX_NSPI_DNTOMID, &b, &r);
	assert_true(r.has_mids);
	assert_int_equal(r.mid_count, 2);
	assert_int_equal(r.mids[0], 0x1001);
	assert_int_equal(r.mids[1], 0);
	mbx_nspi_rsp_free(&r);

	/* over the cap: refused before allocating */
	b.len = 0;
	head(&b, 0);
	w8(&b, 1);
	w32(&b, MBX_NSPI_MAX_MIDS + 1);
	expect_fail(MBX_NSPI_DNTOMID, &b, RP_ELIMIT, NULL);
	rp_buf_free(&b);
}

/* A GetProps body for one user: every value form the resolver meets. */
static void build_getprops(rp_buf *b)
{
	static const uint8_t eid[4] = {0x87, 0, 0, 0};
	w32(b, 0);
	w32(b, MBX_NSPI_ERRORS_RETURNED);
	w32(b, MBX_CP_1252); /* CodePage */
	w8(b, 0xFF);         /* HasPropertyValues */
	w32(b, 7);           /* count */
	w32(b, MBX_PR_DISPLAY_NAME_W);
	w8(b, 0xFF);
	wstr(b, "Alice Smith");
	w32(b, MBX_PR_DISPLAY_TYPE);
	w32(b, 0);          /* DT_MAILUSER */
	w32(b, 0x3003001E); /* PR_EMAIL_ADDRESS_A, 8-bit */
	w8(b, 0xFF);
	wbytes(b, "/o=Src/cn=alice", 16);
	w32(b, MBX_PR_ENTRYID);
	w8(b, 0xFF);
	w32(b, 4);
	wbytes(b, eid, 4);
	w32(b, MBX_PR_EMS_AB_PROXY_ADDRESSES_W);
	w8(b, 0xFF); /* HasValue of the MV value */
	w32(b, 3);
	w8(b, 0xFF);
	wstr(b, "SMTP:alice@src.example");
	w8(b, 0); /* an absent element */
	w8(b, 0xFF);
	wstr(b, "X500:/o=Old/cn=alice");
	w32(b, MBX_PR_SMTP_ADDRESS_W);
	w8(b, 0);           /* HasValue 0: no value */
	w32(b, 0x3A00000A); /* PR_ACCOUNT as PT_ERROR */
	w32(b, 0x8004010F);
	w32(b, 0); /* aux */
}

static void test_getprops(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	mbx_nspi_rsp r;
	const mbx_ab_value *v;
	mbx_ab_entry e;

	build_getprops(&b);
	decode_checked(MBX_NSPI_GETPROPS, &b, &r);
	assert_int_equal(r.error, MBX_NSPI_ERRORS_RETURNED);
	assert_int_equal(r.codepage, 1252);
	assert_true(r.has_rows);
	assert_int_equal(r.row_count, 1);
	assert_int_equal(r.rows[0].count, 7);
	assert_utf8(mbx_ab_row_find(&r.rows[0], MBX_PR_DISPLAY_NAME_W), 0, "Alice Smith");
	/* the 8-bit twin answers a PT_UNICODE lookup */
	assert_utf8(mbx_ab_row_find(&r.rows[0], MBX_PR_EMAIL_ADDRESS_W), 0,
		    "/o=Src/cn=alice");
	v = mbx_ab_row_find(&r.rows[0], MBX_PR_ENTRYID);
	assert_non_null(v);
	assert_int_equal(v->n, 4);
	assert_int_equal(v->p[0], 0x87);
	v = mbx_ab_row_find(&r.rows[0], MBX_PR_EMS_AB_PROXY_ADDRESSES_W);
	assert_non_null(v);
	assert_int_equal(v->count, 3);
	assert_false(v->mv[1].present);
	assert_utf8(v, 2, "X500:/o=Old/cn=alice");
	/* HasValue 0 and PT_ERROR are not values */
	assert_null(mbx_ab_row_find(&r.rows[0], MBX_PR_SMTP_ADDRESS_W));
	assert_null(mbx_ab_row_find(&r.rows[0], MBX_PR_ACCOUNT_W));
	assert_int_equal(r.rows[0].vals[6].u.i32, 0x8004010F);

	assert_int_equal(mbx_ab_entry_from_row(&r.rows[0], 0x99, &e), RP_OK);
	assert_int_equal(e.mid, 0x99);
	assert_string_equal(e.display_name, "Alice Smith");
	assert_string_equal(e.legacy_dn, "/o=Src/cn=alice");
	assert_null(e.smtp);
	assert_int_equal(e.proxy_count, 2);
	assert_string_equal(e.proxies[0], "SMTP:alice@src.example");
	assert_string_equal(e.proxies[1], "X500:/o=Old/cn=alice");
	mbx_ab_entry_free(&e);
	mbx_nspi_rsp_free(&r);
	rp_buf_free(&b);
}

/* QueryRows with one standard and one flagged row, and a PT_UNSPECIFIED
 * column (typed values). */
static size_t build_queryrows(rp_buf *b, const mbx_nspi_stat *st)
{
	size_t row2;

	w32(b, 0);
	w32(b, 0);
	w8(b, 0xFF);
	wstat(b, st);
	w8(b, 0xFF); /* HasColsAndRows */
	w32(b, 3);   /* columns */
	w32(b, MBX_PR_DISPLAY_NAME_W);
	w32(b, MBX_PR_DISPLAY_TYPE);
	w32(b, 0x39FE0000); /* PR_SMTP_ADDRESS, PT_UNSPECIFIED */
	w32(b, 2);          /* RowCount */
	/* row 1: standard */
	w8(b, 0);
	w8(b, 0xFF);
	wstr(b, "Bob");
	w32(b, 6); /* DT_REMOTE_MAILUSER */
	w16(b, 0x001F);
	w8(b, 0xFF);
	wstr(b, "bob@tgt.example");
	/* row 2: flagged */
	row2 = b->len;
	w8(b, 1);
	w8(b, 0); /* Flag 0: value */
	w8(b, 0xFF);
	wstr(b, "Sales");
	w8(b, 0x0A); /* error */
	w32(b, 0x8004010F);
	w16(b, 0x001F); /* typed + flagged: type, Flag, value */
	w8(b, 0x01);    /* no value */
	w32(b, 0);      /* aux */
	return row2;
}

static void test_queryrows(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	mbx_nspi_rsp r;
	mbx_nspi_stat st;

	mbx_nspi_stat_default(&st);
	st.num_pos = 2;
	st.total_recs = 2;
	size_t row2 = build_queryrows(&b, &st);
	decode_checked(MBX_NSPI_QUERYROWS, &b, &r);
	assert_true(r.has_stat);
	assert_int_equal(r.stat.total_recs, 2);
	assert_int_equal(r.column_count, 3);
	assert_int_equal(r.row_count, 2);
	assert_false(r.rows[0].flagged);
	assert_utf8(&r.rows[0].vals[0], 0, "Bob");
	assert_int_equal(r.rows[0].vals[1].u.i32, 6);
	/* the typed column takes the type the server sent */
	assert_int_equal(r.rows[0].vals[2].tag, MBX_PR_SMTP_ADDRESS_W);
	assert_utf8(mbx_ab_row_find(&r.rows[0], MBX_PR_SMTP_ADDRESS_W), 0,
		    "bob@tgt.example");
	assert_true(r.rows[1].flagged);
	assert_utf8(&r.rows[1].vals[0], 0, "Sales");
	assert_int_equal(r.rows[1].vals[1].flag, 0x0A);
	assert_int_equal(r.rows[1].vals[1].tag, 0x3900000A);
	assert_int_equal(r.rows[1].vals[1].u.i32, 0x8004010F);
	assert_int_equal(r.rows[1].vals[2].flag, 0x01);
	assert_null(mbx_ab_row_find(&r.rows[1], MBX_PR_SMTP_ADDRESS_W));
	mbx_nspi_rsp_free(&r);

	/* bad row flags, bad value flag, bad HasValue */
	assert_int_equal(b.data[row2], 1);
	b.data[row2] = 2;
	expect_fail(MBX_NSPI_QUERYROWS, &b, RP_EFORMAT, "row flags");
	b.data[row2] = 1;
	b.data[row2 + 1] = 5;
	expect_fail(MBX_NSPI_QUERYROWS, &b, RP_EFORMAT, "value flag");
	b.data[row2 + 1] = 0;
	b.data[row2 + 2] = 0x7F;
	expect_fail(MBX_NSPI_QUERYROWS, &b, RP_EFORMAT, "HasValue");
	rp_buf_free(&b);
}

static void test_resolvenames(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	mbx_nspi_rsp r;

	w32(&b, 0);
	w32(&b, 0);
	w32(&b, MBX_CP_1252);
	w8(&b, 0xFF);
	w32(&b, 3); /* one MId per name */
	w32(&b, 0x2001);
	w32(&b, MBX_MID_UNRESOLVED);
	w32(&b, MBX_MID_AMBIGUOUS);
	w8(&b, 0xFF);
	w32(&b, 1);
	w32(&b, MBX_PR_EMAIL_ADDRESS_W);
	w32(&b, 1); /* rows for the resolved names only */
	w8(&b, 0);
	w8(&b, 0xFF);
	wstr(&b, "/o=Tgt/cn=carol");
	w32(&b, 0);
	decode_checked(MBX_NSPI_RESOLVENAMES, &b, &r);
	assert_int_equal(r.mid_count, 3);
	assert_int_equal(r.mids[2], MBX_MID_AMBIGUOUS);
	assert_int_equal(r.row_count, 1);
	assert_utf8(&r.rows[0].vals[0], 0, "/o=Tgt/cn=carol");
	mbx_nspi_rsp_free(&r);

	/* nothing resolved: HasRowsAndCols 0 */
	b.len = 0;
	head(&b, MBX_NSPI_NOT_FOUND);
	w32(&b, MBX_CP_1252);
	w8(&b, 0);
	w8(&b, 0);
	w32(&b, 0);
	decode_checked(MBX_NSPI_RESOLVENAMES, &b, &r);
	assert_false(r.has_mids);
	assert_false(r.has_rows);
	assert_int_equal(r.error, MBX_NSPI_NOT_FOUND);
	mbx_nspi_rsp_free(&r);
	rp_buf_free(&b);
}

static void test_getmatches(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	mbx_nspi_rsp r;
	mbx_nspi_stat st;

	mbx_nspi_stat_default(&st);
	w32(&b, 0);
	w32(&b, 0);
	w8(&b, 0xFF);
	wstat(&b, &st);
	w8(&b, 0xFF);
	w32(&b, 1);
	w32(&b, 0x3001);
	w8(&b, 0xFF);
	w32(&b, 2);
	w32(&b, MBX_PR_DISPLAY_NAME_W);
	w32(&b, 0x800F101E); /* proxies as 8-bit strings */
	w32(&b, 1);
	w8(&b, 0);
	w8(&b, 0xFF);
	wstr(&b, "Dave");
	w8(&b, 0xFF);
	w32(&b, 1);
	w8(&b, 0xFF);
	wbytes(&b, "smtp:d@x\0", 9);
	w32(&b, 0);
	decode_checked(MBX_NSPI_GETMATCHES, &b, &r);
	assert_int_equal(r.mids[0], 0x3001);
	assert_utf8(mbx_ab_row_find(&r.rows[0], MBX_PR_EMS_AB_PROXY_ADDRESSES_W), 0,
		    "smtp:d@x");
	mbx_nspi_rsp_free(&r);
	rp_buf_free(&b);
}

static void test_getspecialtable(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	mbx_nspi_rsp r;

	w32(&b, 0);
	w32(&b, 0);
	w32(&b, MBX_CP_1252);
	w8(&b, 0xFF);
	w32(&b, 12); /* Version */
	w8(&b, 0xFF);
	w32(&b, 2); /* containers */
	/* the GAL */
	w32(&b, 3);
	w32(&b, MBX_PR_DISPLAY_NAME_W);
	w8(&b, 0xFF);
	wstr(&b, "");
	w32(&b, MBX_PR_EMS_AB_CONTAINERID);
	w32(&b, 0);
	w32(&b, MBX_PR_DEPTH);
	w32(&b, 0);
	/* an address list */
	w32(&b, 2);
	w32(&b, MBX_PR_DISPLAY_NAME_W);
	w8(&b, 0xFF);
	wstr(&b, "All Users");
	w32(&b, MBX_PR_EMS_AB_CONTAINERID);
	w32(&b, 0x4001);
	w32(&b, 0);
	decode_checked(MBX_NSPI_GETSPECIALTABLE, &b, &r);
	assert_true(r.has_version);
	assert_int_equal(r.version, 12);
	assert_int_equal(r.row_count, 2);
	assert_utf8(mbx_ab_row_find(&r.rows[1], MBX_PR_DISPLAY_NAME_W), 0, "All Users");
	assert_int_equal(mbx_ab_row_find(&r.rows[1], MBX_PR_EMS_AB_CONTAINERID)->u.i32,
			 0x4001);
	mbx_nspi_rsp_free(&r);

	/* a tagged value with no type is refused */
	b.len = 0;
	head(&b, 0);
	w32(&b, MBX_CP_1252);
	w8(&b, 0);
	w8(&b, 0xFF);
	w32(&b, 1);
	w32(&b, 1);
	w32(&b, 0x30010000);
	w32(&b, 0);
	w32(&b, 0);
	expect_fail(MBX_NSPI_GETSPECIALTABLE, &b, RP_EFORMAT, "without a type");
	rp_buf_free(&b);
}

static void test_value_types(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	mbx_nspi_rsp r;
	const mbx_ab_value *v;

	w32(&b, 0);
	w32(&b, 0);
	w32(&b, MBX_CP_1252);
	w8(&b, 0xFF);
	w32(&b, 6);
	w32(&b, 0x0001000B); /* boolean: 1 byte */
	w8(&b, 1);
	w32(&b, 0x00020002); /* short */
	w16(&b, 0xBEEF);
	w32(&b, 0x00030040); /* systime */
	w32(&b, 0x11223344);
	w32(&b, 0x55667788);
	w32(&b, 0x00041003); /* MV long: HasValue, count, values */
	w8(&b, 0xFF);
	w32(&b, 2);
	w32(&b, 7);
	w32(&b, 9);
	w32(&b, 0x00051102); /* MV binary: per-element HasValue */
	w8(&b, 0xFF);
	w32(&b, 1);
	w8(&b, 0xFF);
	w32(&b, 2);
	wbytes(&b, "\xAA\xBB", 2);
	w32(&b, 0x00060048); /* GUID */
	wbytes(&b, "0123456789abcdef", 16);
	w32(&b, 0);
	decode_checked(MBX_NSPI_GETPROPS, &b, &r);
	assert_int_equal(r.rows[0].vals[0].u.i16, 1);
	assert_int_equal(r.rows[0].vals[1].u.i16, 0xBEEF);
	assert_int_equal(r.rows[0].vals[2].u.i64, 0x5566778811223344ULL);
	v = &r.rows[0].vals[3];
	assert_int_equal(v->count, 2);
	assert_int_equal(v->mv[1].n, 4);
	assert_int_equal(v->mv[1].p[0], 9);
	v = &r.rows[0].vals[4];
	assert_int_equal(v->mv[0].n, 2);
	assert_int_equal(v->mv[0].p[1], 0xBB);
	assert_memory_equal(r.rows[0].vals[5].u.guid, "0123456789abcdef", 16);
	mbx_nspi_rsp_free(&r);

	/* PT_OBJECT and unknown types are not address-book values */
	b.len = 0;
	head(&b, 0);
	w32(&b, 0);
	w8(&b, 0xFF);
	w32(&b, 1);
	w32(&b, 0x3000000D);
	w32(&b, 0);
	w32(&b, 0);
	expect_fail(MBX_NSPI_GETPROPS, &b, RP_EFORMAT, "0x000D");
	rp_buf_free(&b);
}

static void test_caps(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;

	/* a row count larger than the bytes left */
	w32(&b, 0);
	w32(&b, 0);
	w8(&b, 0);
	w8(&b, 0xFF);
	w32(&b, 0);
	w32(&b, 1000);
	w32(&b, 0);
	expect_fail(MBX_NSPI_QUERYROWS, &b, RP_EFORMAT, "1000 rows");
	/* a multi-valued count over the cap */
	b.len = 0;
	head(&b, 0);
	w32(&b, 0);
	w8(&b, 0xFF);
	w32(&b, 1);
	w32(&b, 0x00011003);
	w8(&b, 0xFF);
	w32(&b, MBX_NSPI_MAX_MV + 1);
	expect_fail(MBX_NSPI_GETPROPS, &b, RP_ELIMIT, NULL);
	rp_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stat_vector),    cmocka_unit_test(test_stat_fields),
	    cmocka_unit_test(test_requests),       cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_request_errors), cmocka_unit_test(test_bind_unbind),
	    cmocka_unit_test(test_dntomid),        cmocka_unit_test(test_getprops),
	    cmocka_unit_test(test_queryrows),      cmocka_unit_test(test_resolvenames),
	    cmocka_unit_test(test_getmatches),     cmocka_unit_test(test_getspecialtable),
	    cmocka_unit_test(test_value_types),    cmocka_unit_test(test_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
