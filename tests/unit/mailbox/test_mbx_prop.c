/* Unit tests for src/mailbox/mbx_prop and mbx_restrict: property values,
 * rows, names, restrictions and sort orders in ROP buffers.
 *
 * 1. One value of every type, built by hand from the MS-OXCDATA 2.11 layouts,
 *    decodes to the expected value and re-encodes byte for byte; every cut
 *    of it fails with RP_EFORMAT.
 * 2. Rows: standard, flagged, PtypUnspecified columns (typed values), flag
 *    values other than 0/1/0x0A refused.
 * 3. Restrictions: the search criteria of MS-OXCFOLD 4.8.1/4.9.2 (by path in
 *    $RP_SHARED_DIR/vectors/mapihttp) decode to the tree the spec describes
 *    and re-encode byte for byte; every type by hand; nesting capped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mailbox/mbx_prop.h"
#include "mailbox/mbx_restrict.h"
#include "mapi/mapi_tag.h"
#include "mbx_vec.h"

#include <stdlib.h>
#include <string.h>

/* Decodes a tagged value, checks the round trip and every cut. */
static void tagged_roundtrip(const uint8_t *p, size_t n, mapi_value *out)
{
	rp_cur c;
	rp_buf b = RP_BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		mapi_value v;
		rp_cur_init(&c, p, k);
		rp_error_clear();
		assert_int_equal(mbx_prop_tagged_decode(&c, &v), RP_EFORMAT);
		assert_true(rp_error_msg()[0] != '\0');
		mapi_value_free(&v);
	}
	rp_cur_init(&c, p, n);
	if (mbx_prop_tagged_decode(&c, out) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(rp_cur_left(&c), 0);
	assert_int_equal(mbx_prop_tagged_encode(&b, out), RP_OK);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, p, n);
	rp_buf_free(&b);
}

#define TAGGED(...)                                                                      \
	do {                                                                             \
		static const uint8_t in_[] = {__VA_ARGS__};                              \
		tagged_roundtrip(in_, sizeof(in_), &v);                                  \
	} while (0)

static void test_scalars(void **state)
{
	mapi_value v;
	(void)state;
	TAGGED(0x02, 0x00, 0x01, 0x80, 0xFE, 0xFF); /* PtypInteger16 -2 */
	assert_int_equal(v.u.i, -2);
	mapi_value_free(&v);
	TAGGED(0x03, 0x00, 0x02, 0x80, 0x62, 0, 0, 0);
	assert_int_equal(v.u.l, 0x62);
	mapi_value_free(&v);
	TAGGED(0x04, 0x00, 0x03, 0x80, 0, 0, 0x80, 0x3F); /* float 1.0 */
	assert_true(v.u.f == 1.0f);
	mapi_value_free(&v);
	TAGGED(0x05, 0x00, 0x04, 0x80, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F); /* double 1.0 */
	assert_true(v.u.d == 1.0);
	mapi_value_free(&v);
	TAGGED(0x06, 0x00, 0x05, 0x80, 0x10, 0x27, 0, 0, 0, 0, 0, 0); /* currency */
	assert_int_equal(v.u.i8, 10000);
	mapi_value_free(&v);
	TAGGED(0x07, 0x00, 0x06, 0x80, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F); /* apptime */
	mapi_value_free(&v);
	TAGGED(0x0A, 0x00, 0x07, 0x80, 0x0F, 0x01, 0x04, 0x80); /* error */
	assert_int_equal(v.u.err, MBX_EC_NOT_FOUND);
	mapi_value_free(&v);
	TAGGED(0x0B, 0x00, 0x08, 0x80, 0x01); /* boolean: one byte */
	assert_int_equal(v.u.b, 1);
	mapi_value_free(&v);
	TAGGED(0x14, 0x00, 0x09, 0x80, 1, 2, 3, 4, 5, 6, 7, 8);
	assert_true(v.u.i8 == 0x0807060504030201LL);
	mapi_value_free(&v);
	TAGGED(0x40, 0x00, 0x0A, 0x80, 0x00, 0x80, 0x3E, 0xD5, 0xDE, 0xB1, 0x9D, 0x01);
	assert_true(v.u.ft == 0x019DB1DED53E8000ULL); /* 1601 + 400 years */
	mapi_value_free(&v);
	TAGGED(0x48, 0x00, 0x0B, 0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	       16);
	assert_int_equal(v.u.guid[15], 16);
	mapi_value_free(&v);
	TAGGED(0x01, 0x00, 0x0C, 0x80); /* PtypNull: no bytes */
	mapi_value_free(&v);
}

static void test_strings_binary(void **state)
{
	mapi_value v;
	char *s;
	(void)state;
	TAGGED(0x1F, 0x00, 0x37, 0x00, 'H', 0, 'i', 0, 0, 0);
	assert_int_equal(mapi_value_str_utf8(&v, &s), RP_OK);
	assert_string_equal(s, "Hi");
	free(s);
	mapi_value_free(&v);
	TAGGED(0x1E, 0x00, 0x1A, 0x00, 'I', 'P', 'M', 0);
	assert_int_equal(v.bin.n, 4);
	mapi_value_free(&v);
	TAGGED(0x02, 0x01, 0xFF, 0x0F, 3, 0, 0xAA, 0xBB, 0xCC); /* 2-byte count */
	assert_int_equal(v.bin.n, 3);
	mapi_value_free(&v);
	TAGGED(0xFB, 0x00, 0x47, 0x67, 2, 0, 0x01, 0x02); /* PtypServerId */
	assert_true(v.opaque);
	assert_int_equal(v.bin.n, 2);
	mapi_value_free(&v);
	/* An unterminated string, an odd UTF-16 tail: refused (the cuts). */
	{
		static const uint8_t bad[] = {0x1F, 0x00, 0x37, 0x00, 'H', 0, 'i'};
		rp_cur c;
		rp_cur_init(&c, bad, sizeof(bad));
		assert_int_equal(mbx_prop_tagged_decode(&c, &v), RP_EFORMAT);
		mapi_value_free(&v);
	}
}

static void test_multi_values(void **state)
{
	mapi_value v;
	(void)state;
	/* Counts are 4 bytes; binary elements keep their 2-byte counts. */
	TAGGED(0x03, 0x10, 0x01, 0x80, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0);
	assert_int_equal(v.count, 2);
	mapi_value_free(&v);
	TAGGED(0x1F, 0x10, 0x02, 0x80, 2, 0, 0, 0, 'a', 0, 0, 0, 0, 0);
	assert_int_equal(v.count, 2);
	assert_int_equal(v.mv[1].n, 2);
	mapi_value_free(&v);
	TAGGED(0x1E, 0x10, 0x03, 0x80, 1, 0, 0, 0, 'x', 'y', 0);
	mapi_value_free(&v);
	TAGGED(0x02, 0x11, 0x04, 0x80, 2, 0, 0, 0, 1, 0, 0x55, 0, 0);
	assert_int_equal(v.mv[0].n, 1);
	assert_int_equal(v.mv[1].n, 0);
	mapi_value_free(&v);
	TAGGED(0x14, 0x10, 0x05, 0x80, 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
	mapi_value_free(&v);
	TAGGED(0x48, 0x10, 0x06, 0x80, 0, 0, 0, 0); /* empty */
	assert_int_equal(v.count, 0);
	mapi_value_free(&v);
	/* A count larger than the bytes left is refused before allocating. */
	{
		static const uint8_t big[] = {0x03, 0x10, 0x01, 0x80, 0xFF,
					      0xFF, 0xFF, 0x7F, 0};
		rp_cur c;
		rp_cur_init(&c, big, sizeof(big));
		assert_int_equal(mbx_prop_tagged_decode(&c, &v), RP_EFORMAT);
		mapi_value_free(&v);
	}
}

static void test_refused_types(void **state)
{
	/* PtypUnspecified in a tagged value, PtypObject, a multi-valued boolean,
	 * an unknown type. */
	static const uint8_t bad[][8] = {{0x00, 0x00, 0x37, 0x00, 0, 0, 0, 0},
					 {0x0D, 0x00, 0x01, 0x37, 0, 0, 0, 0},
					 {0x0B, 0x10, 0x01, 0x80, 0, 0, 0, 0},
					 {0x99, 0x00, 0x01, 0x80, 0, 0, 0, 0}};
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		mapi_value v;
		rp_cur c;
		rp_cur_init(&c, bad[i], 8);
		rp_error_clear();
		assert_int_equal(mbx_prop_tagged_decode(&c, &v), RP_EFORMAT);
		assert_true(rp_error_msg()[0] != '\0');
		mapi_value_free(&v);
	}
}

static void row_roundtrip(const uint8_t *p, size_t n, const uint32_t *cols, size_t ncols,
			  mbx_row *row)
{
	rp_cur c;
	rp_buf b = RP_BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		mbx_row r;
		rp_cur_init(&c, p, k);
		assert_int_equal(mbx_row_decode(&c, cols, ncols, &r), RP_EFORMAT);
		mbx_row_free(&r);
	}
	rp_cur_init(&c, p, n);
	if (mbx_row_decode(&c, cols, ncols, row) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(rp_cur_left(&c), 0);
	assert_int_equal(mbx_row_encode(&b, row, cols, ncols), RP_OK);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, p, n);
	rp_buf_free(&b);
}

static void test_rows(void **state)
{
	static const uint32_t cols[3] = {0x0E080003, 0x80000000, PR_DISPLAY_NAME_W};
	/* Standard row: int32 5, typed (PtypBoolean TRUE), "A". */
	static const uint8_t std[] = {0x00, 5, 0, 0, 0, 0x0B, 0x00, 0x01, 'A', 0, 0, 0};
	/* Flagged row: no value; typed with error; a value. */
	static const uint8_t flg[] = {0x01, 0x01, 0x03, 0x00, 0x0A, 0x0F, 0x01,
				      0x04, 0x80, 0x00, 'B',  0,    0,    0};
	/* Flagged row with a typed "no value" column. */
	static const uint8_t flg2[] = {0x01, 0x0A, 0x05, 0x00, 0x04,
				       0x80, 0x1F, 0x00, 0x01, 0x01};
	mbx_row row;
	(void)state;
	row_roundtrip(std, sizeof(std), cols, 3, &row);
	assert_false(row.flagged);
	assert_int_equal(row.cols[0].v.u.l, 5);
	assert_true(row.cols[1].typed);
	assert_int_equal(row.cols[1].v.tag, 0x8000000B);
	assert_int_equal(row.cols[1].v.u.b, 1);
	assert_non_null(mbx_row_find(&row, 0x80000000));
	assert_null(mbx_row_find(&row, 0x12340003));
	mbx_row_free(&row);

	row_roundtrip(flg, sizeof(flg), cols, 3, &row);
	assert_true(row.flagged);
	assert_int_equal(row.cols[0].flag, MBX_FLAG_NONE);
	assert_null(mbx_row_value(&row, 0));
	assert_int_equal(row.cols[1].flag, MBX_FLAG_ERROR);
	assert_int_equal(row.cols[1].wire_type, PT_LONG);
	assert_int_equal(row.cols[1].v.u.err, MBX_EC_NOT_FOUND);
	assert_non_null(mbx_row_value(&row, 2));
	mbx_row_free(&row);

	row_roundtrip(flg2, sizeof(flg2), cols, 3, &row);
	assert_int_equal(row.cols[1].flag, MBX_FLAG_NONE);
	assert_int_equal(row.cols[1].wire_type, PT_UNICODE);
	mbx_row_free(&row);

	/* Row flag 2, column flag 3: refused. */
	{
		static const uint8_t bad1[] = {0x02, 5, 0, 0, 0};
		static const uint8_t bad2[] = {0x01, 0x03, 5, 0, 0, 0};
		rp_cur c;
		rp_cur_init(&c, bad1, sizeof(bad1));
		assert_int_equal(mbx_row_decode(&c, cols, 1, &row), RP_EFORMAT);
		mbx_row_free(&row);
		rp_cur_init(&c, bad2, sizeof(bad2));
		assert_int_equal(mbx_row_decode(&c, cols, 1, &row), RP_EFORMAT);
		mbx_row_free(&row);
	}
}

static void test_mv_instance_column(void **state)
{
	/* A table categorised on a multi-valued string column (0x8008301F, TABL
	 * 4.5.1): each row holds one element. */
	static const uint32_t cols[1] = {0x8008301F};
	static const uint8_t std[] = {0x00, 'k', 0, 0, 0};
	mbx_row row;
	(void)state;
	row_roundtrip(std, sizeof(std), cols, 1, &row);
	assert_int_equal(row.cols[0].v.tag, 0x8008001F);
	mbx_row_free(&row);
}

static void test_propnames(void **state)
{
	/* LID name, string name, "no name" (MS-OXCDATA 2.6.1). */
	static const uint8_t lid[] = {0x00, 2, 0x20, 6, 0, 0,    0,    0,    0, 0xC0, 0,
				      0,    0, 0,    0, 0, 0x46, 0x05, 0x82, 0, 0};
	static const uint8_t str[] = {0x01, 2, 0x20, 6, 0,    0, 0,   0, 0,   0xC0, 0, 0,
				      0,    0, 0,    0, 0x46, 6, 'a', 0, 'b', 0,    0, 0};
	static const uint8_t bad_size[] = {0x01, 2,    0x20, 6, 0,   0, 0, 0,
					   0,    0xC0, 0,    0, 0,   0, 0, 0,
					   0x46, 4,    'a',  0, 'b', 0, 0, 0};
	const uint8_t *vecs[2] = {lid, str};
	size_t lens[2] = {sizeof(lid), sizeof(str)};
	(void)state;
	for (int i = 0; i < 2; i++) {
		mbx_propname n;
		rp_cur c;
		rp_buf b = RP_BUF_INIT;
		for (size_t k = 0; k < lens[i]; k++) {
			rp_cur_init(&c, vecs[i], k);
			assert_int_equal(mbx_propname_decode(&c, &n), RP_EFORMAT);
			mbx_propname_free(&n);
		}
		rp_cur_init(&c, vecs[i], lens[i]);
		assert_int_equal(mbx_propname_decode(&c, &n), RP_OK);
		if (i == 0)
			assert_int_equal(n.lid, 0x8205);
		else
			assert_string_equal(n.name, "ab");
		assert_int_equal(mbx_propname_encode(&b, &n), RP_OK);
		assert_int_equal(b.len, lens[i]);
		assert_memory_equal(b.data, vecs[i], lens[i]);
		rp_buf_free(&b);
		mbx_propname_free(&n);
	}
	{
		mbx_propname n;
		rp_cur c;
		rp_cur_init(&c, bad_size, sizeof(bad_size));
		assert_int_equal(mbx_propname_decode(&c, &n), RP_EFORMAT);
		mbx_propname_free(&n);
	}
}

/* ---- restrictions ---------------------------------------------------------- */

static void res_roundtrip(const uint8_t *p, size_t n, mbx_res *out)
{
	rp_cur c;
	rp_buf b = RP_BUF_INIT;
	mbx_res copy;
	for (size_t k = 0; k < n; k++) {
		mbx_res r;
		rp_cur_init(&c, p, k);
		rp_error_clear();
		assert_int_equal(mbx_res_decode(&c, &r), RP_EFORMAT);
		assert_true(rp_error_msg()[0] != '\0');
		mbx_res_free(&r);
	}
	rp_cur_init(&c, p, n);
	if (mbx_res_decode(&c, out) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(rp_cur_left(&c), 0);
	assert_int_equal(mbx_res_copy(&copy, out), RP_OK);
	assert_int_equal(mbx_res_encode(&b, &copy), RP_OK);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, p, n);
	mbx_res_free(&copy);
	rp_buf_free(&b);
}

static void test_search_criteria_vectors(void **state)
{
	size_t n;
	uint8_t *v;
	mbx_res r;
	char *s;
	(void)state;
	if (!mbx_vec_present())
		skip();
	/* FOLD 4.9.2 (RopGetSearchCriteria): RestrictionDataSize at 6, then an
	 * AND of (an OR of NOT-content/... over message classes) ... ; FOLD 4.8.1
	 * (RopSetSearchCriteria) carries the same restriction at 3. */
	v = mbx_vec_load("ms-oxcfold/4.9.2-GetSearchCriteria-rsp", &n);
	assert_non_null(v);
	assert_true(n > 8);
	res_roundtrip(v + 8, (size_t)(v[6] | (v[7] << 8)), &r);
	assert_int_equal(r.type, MBX_RES_AND);
	assert_int_equal(r.nsub, 2);
	assert_int_equal(r.sub[0].type, MBX_RES_AND);
	assert_int_equal(r.sub[0].nsub, 7);
	assert_int_equal(r.sub[0].sub[0].type, MBX_RES_NOT);
	assert_int_equal(r.sub[0].sub[0].sub[0].type, MBX_RES_CONTENT);
	assert_int_equal(r.sub[0].sub[0].sub[0].fuzzy, MBX_FL_PREFIX | MBX_FL_IGNORECASE);
	assert_int_equal(r.sub[0].sub[0].sub[0].tag, 0x001A001F);
	assert_int_equal(mapi_value_str_utf8(&r.sub[0].sub[0].sub[0].value, &s), RP_OK);
	assert_string_equal(s, "IPM.Appointment");
	free(s);
	mbx_res_free(&r);
	free(v);

	v = mbx_vec_load("ms-oxcfold/4.8.1-SetSearchCriteria-req", &n);
	assert_non_null(v);
	res_roundtrip(v + 5, (size_t)(v[3] | (v[4] << 8)), &r);
	assert_int_equal(r.type, MBX_RES_AND);
	mbx_res_free(&r);
	free(v);
}

static void test_restriction_types(void **state)
{
	mbx_res r;
	(void)state;
	{
		/* OR(Property(=, PR_DISPLAY_NAME_W "a"), Exist(tag), Compare(<, t1,
		 * t2), Bitmask(NEZ, t, 4), Size(>, t, 10)) */
		static const uint8_t p[] = {
		    0x01, 5,    0,    0x04, 0x04, 0x1F, 0x00, 0x01, 0x30, 0x1F, 0x00,
		    0x01, 0x30, 'a',  0,    0,    0,    0x08, 0x03, 0x00, 0x08, 0x0E,
		    0x05, 0x00, 0x03, 0x00, 0x08, 0x0E, 0x03, 0x00, 0x07, 0x0E, 0x06,
		    0x01, 0x03, 0x00, 0x07, 0x0E, 4,    0,    0,    0,    0x07, 0x02,
		    0x02, 0x01, 0xFF, 0x0F, 10,   0,    0,    0};
		res_roundtrip(p, sizeof(p), &r);
		assert_int_equal(r.nsub, 5);
		assert_int_equal(r.sub[0].relop, MBX_RELOP_EQ);
		assert_int_equal(r.sub[1].tag, 0x0E080003);
		assert_int_equal(r.sub[2].tag2, 0x0E070003);
		assert_int_equal(r.sub[3].num, 4);
		assert_int_equal(r.sub[4].num, 10);
		mbx_res_free(&r);
	}
	{
		/* SubObject(recipients, Count(3, Comment(1 value, present, Exist))) */
		static const uint8_t p[] = {0x09, 0x0D, 0x00, 0x12, 0x0E, 0x0B, 3,
					    0,    0,    0,    0x0A, 1,    0x03, 0x00,
					    0x08, 0x0E, 7,    0,    0,    0,    1,
					    0x08, 0x03, 0x00, 0x08, 0x0E};
		res_roundtrip(p, sizeof(p), &r);
		assert_int_equal(r.type, MBX_RES_SUBOBJECT);
		assert_int_equal(r.sub[0].type, MBX_RES_COUNT);
		assert_int_equal(r.sub[0].sub[0].type, MBX_RES_COMMENT);
		assert_int_equal(r.sub[0].sub[0].nprops, 1);
		mbx_res_free(&r);
	}
	{
		/* A value of another property than the restriction's: refused. */
		static const uint8_t p[] = {0x04, 0x04, 0x03, 0x00, 0x08, 0x0E, 0x03,
					    0x00, 0x07, 0x0E, 1,    0,    0,    0};
		static const uint8_t t[] = {0x0C};
		rp_cur c;
		rp_cur_init(&c, p, sizeof(p));
		assert_int_equal(mbx_res_decode(&c, &r), RP_EFORMAT);
		mbx_res_free(&r);
		rp_cur_init(&c, t, sizeof(t));
		assert_int_equal(mbx_res_decode(&c, &r), RP_EFORMAT);
		mbx_res_free(&r);
	}
}

static void test_restriction_depth(void **state)
{
	uint8_t p[200];
	rp_cur c;
	mbx_res r, kids[2], g;
	rp_buf b = RP_BUF_INIT;
	mapi_value v;
	(void)state;
	/* 150 nested NOTs around an Exist: over the cap. */
	memset(p, 0x02, 150);
	p[150] = 0x08;
	memset(p + 151, 0, 4);
	rp_cur_init(&c, p, 155);
	assert_int_equal(mbx_res_decode(&c, &r), RP_ELIMIT);
	mbx_res_free(&r);
	/* 20 levels: fine. */
	rp_cur_init(&c, p + 130, 25);
	assert_int_equal(mbx_res_decode(&c, &r), RP_OK);
	mbx_res_free(&r);
	/* Builders: AND(content, exist) encodes as MS-OXCDATA lays it out. */
	assert_int_equal(mapi_value_set_unicode(&v, 0x0037001F, "x"), RP_OK);
	assert_int_equal(mbx_res_content(&kids[0], MBX_FL_SUBSTRING, &v), RP_OK);
	assert_int_equal(mbx_res_exist(&kids[1], 0x0E080003), RP_OK);
	assert_int_equal(mbx_res_group(&g, MBX_RES_AND, kids, 2), RP_OK);
	assert_int_equal(mbx_res_encode(&b, &g), RP_OK);
	{
		static const uint8_t want[] = {
		    0x00, 2,    0,    0x03, 1, 0, 0, 0,    0x1F, 0x00, 0x37, 0x00, 0x1F,
		    0x00, 0x37, 0x00, 'x',  0, 0, 0, 0x08, 0x03, 0x00, 0x08, 0x0E};
		assert_int_equal(b.len, sizeof(want));
		assert_memory_equal(b.data, want, sizeof(want));
	}
	mbx_res_free(&g);
	mapi_value_free(&v);
	rp_buf_free(&b);
}

static void test_sort_orders(void **state)
{
	static const uint8_t p[] = {0x40, 0x00, 0x06, 0x0E, 0x01};
	static const uint8_t bad[] = {0x40, 0x00, 0x06, 0x0E, 0x02};
	mbx_sort s;
	rp_cur c;
	rp_buf b = RP_BUF_INIT;
	(void)state;
	rp_cur_init(&c, p, sizeof(p));
	assert_int_equal(mbx_sort_decode(&c, &s), RP_OK);
	assert_int_equal(s.tag, 0x0E060040);
	assert_int_equal(s.order, MBX_SORT_DESCEND);
	assert_int_equal(mbx_sort_encode(&b, &s), RP_OK);
	assert_memory_equal(b.data, p, sizeof(p));
	rp_cur_init(&c, bad, sizeof(bad));
	assert_int_equal(mbx_sort_decode(&c, &s), RP_EFORMAT);
	rp_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scalars),
	    cmocka_unit_test(test_strings_binary),
	    cmocka_unit_test(test_multi_values),
	    cmocka_unit_test(test_refused_types),
	    cmocka_unit_test(test_rows),
	    cmocka_unit_test(test_mv_instance_column),
	    cmocka_unit_test(test_propnames),
	    cmocka_unit_test(test_search_criteria_vectors),
	    cmocka_unit_test(test_restriction_types),
	    cmocka_unit_test(test_restriction_depth),
	    cmocka_unit_test(test_sort_orders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
