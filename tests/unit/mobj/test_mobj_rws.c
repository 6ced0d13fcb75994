/* Unit tests for src/mobj/mobj_rws: the client rules stream detector.
 *
 * A stream laid out as gromox doc/outlook_rule_spec.rst describes it (OL2016
 * RW_Magic, two rules with XR_Headers and bytecounts, the trailer): the
 * header walk finds both rules' names, active flags and ranges; references
 * are found per rule (a DN in UTF-16 in another case, a folder entry ID as
 * bytes); an unknown magic, a cut header and a stream over the cap are
 * refused; a lying bytecount ends the walk and the rest is searched as one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mobj/mobj_rws.h"
#include "mobj_test.h"

static const uint8_t FOLDER[46] = {0, 0, 0, 0, 0xA1, 0xA2, 0xA3, 0xA4, 1, 2, 3,    4,
				   5, 6, 7, 8, 9,    10,   11,   12,   1, 0, 0x55, 0x66};

static void wstr(rp_buf *b, const char *s)
{
	assert_int_equal(rp_utf8_to_utf16le(s, strlen(s), b, false), RP_OK);
}

static void rule(rp_buf *b, const char *name, uint32_t active, const rp_buf *elems)
{
	static const uint8_t xr[4] = {0x00, 0x00, 0x14, 0x06};
	rp_buf_append(b, xr, 4);
	rp_buf_u8(b, (uint8_t)strlen(name));
	wstr(b, name);
	rp_buf_u32le(b, active);
	rp_buf_u32le(b, 0);
	rp_buf_u32le(b, 1);
	rp_buf_u32le(b, 0);
	rp_buf_u32le(b, 1);
	rp_buf_u32le(b, (uint32_t)elems->len);
	rp_buf_append(b, elems->data, elems->len);
}

static void build(rp_buf *b)
{
	static const uint8_t magic[8] = {0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x14, 0x06};
	rp_buf e = RP_BUF_INIT;

	b->len = 0;
	rp_buf_append(b, magic, 8);
	rp_buf_zeros(b, 24);
	rp_buf_u32le(b, 1);
	rp_buf_u32le(b, 1);
	rp_buf_u32le(b, 0);
	rp_buf_u16le(b, 2);
	/* rule 1: "From" alice (0xcb) with a property block holding her DN */
	rp_buf_u16le(&e, 2);
	rp_buf_u16le(&e, 0x8001);
	rp_buf_u32le(&e, 0xcb);
	rp_buf_u32le(&e, 1);
	rp_buf_u32le(&e, 0);
	rp_buf_u32le(&e, 1);
	wstr(&e, SRC_DN "Alice");
	rule(b, "From Alice", 1, &e);
	/* rule 2: Move (0x12c) to a folder, inactive */
	e.len = 0;
	rp_buf_u16le(&e, 2);
	rp_buf_u16le(&e, 0x8001);
	rp_buf_u32le(&e, 0x12c);
	rp_buf_u32le(&e, 46);
	rp_buf_append(&e, FOLDER, 46);
	rule(b, "Archive", 0, &e);
	/* trailer: template dir length 0, 0, timestamp, 0 */
	rp_buf_u32le(b, 0);
	rp_buf_u32le(b, 0);
	rp_buf_zeros(b, 8);
	rp_buf_u32le(b, 0);
	rp_buf_free(&e);
}

static void test_walk_find(void **state)
{
	rp_buf b = RP_BUF_INIT;
	mobj_rws s;
	mobj_rws_needle nd[3] = {
	    {"nobody@fabrikam.example", NULL, 0},
	    {SRC_DN "ALICE", NULL, 0}, /* the stream has "Alice" */
	    {NULL, FOLDER, 46},
	};
	(void)state;

	build(&b);
	if (mobj_rws_probe(b.data, b.len, &s) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(s.format, 2016);
	assert_int_equal(s.declared, 2);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.r[0].name, "From Alice");
	assert_true(s.r[0].active);
	assert_string_equal(s.r[1].name, "Archive");
	assert_false(s.r[1].active);
	assert_int_equal(s.r[0].off, 46);
	assert_int_equal(s.r[1].off, s.r[0].off + s.r[0].len);
	assert_int_equal(mobj_rws_find(b.data, b.len, &s, 0, nd, 3), 1);
	assert_int_equal(mobj_rws_find(b.data, b.len, &s, 1, nd, 3), 2);
	assert_int_equal(mobj_rws_find(b.data, b.len, &s, 2, nd, 3), -1); /* trailer */
	assert_int_equal(mobj_rws_find(b.data, b.len, &s, 0, nd, 1), -1);
	size_t r0 = s.r[0].off;
	mobj_rws_free(&s);

	/* a bytecount past the end: the walk stops, the rest is one range */
	b.data[r0 + 4 + 1 + 20 + 20 + 3] = 0xFF;
	assert_int_equal(mobj_rws_probe(b.data, b.len, &s), RP_OK);
	assert_int_equal(s.declared, 2);
	assert_int_equal(s.n, 0);
	assert_int_equal(mobj_rws_find(b.data, b.len, &s, 0, nd, 3), 1);
	mobj_rws_free(&s);
	rp_buf_free(&b);
}

static void test_bad(void **state)
{
	rp_buf b = RP_BUF_INIT;
	mobj_rws s;
	uint8_t *big;
	(void)state;

	build(&b);
	b.data[2] = 0x15;
	assert_int_equal(mobj_rws_probe(b.data, b.len, &s), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "RW_Magic"));
	mobj_rws_free(&s);
	build(&b);
	for (size_t n = 0; n < 46; n++) {
		rp_error_clear();
		assert_int_equal(mobj_rws_probe(b.data, n, &s), RP_EFORMAT);
		assert_true(rp_error_msg()[0] != '\0');
		mobj_rws_free(&s);
	}
	/* every cut after the header walks what it can, never fails */
	for (size_t n = 46; n < b.len; n++) {
		assert_int_equal(mobj_rws_probe(b.data, n, &s), RP_OK);
		assert_true(s.n <= 2);
		mobj_rws_free(&s);
	}
	big = calloc(1, MOBJ_RWS_MAX + 1u);
	assert_non_null(big);
	memcpy(big, b.data, b.len);
	assert_int_equal(mobj_rws_probe(big, MOBJ_RWS_MAX + 1u, &s), RP_ELIMIT);
	mobj_rws_free(&s);
	free(big);
	rp_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walk_find),
	    cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
