/* Unit tests for src/mobj/mobj_dlgt: the delegate information object.
 *
 * The values are built as Outlook stores them, sent through the ROP value
 * codec (mbx_prop) and read back, so the test works on what the mailbox
 * module hands the feature. Decode (delegates, names, flags, booleans),
 * rewrite through the recipient map (migrated delegates re-pointed, the
 * one who did not kept and reported), and the consistency errors: counts
 * that disagree, a delegate without an entry ID, an entry that is not an
 * address-book ID. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_cur.h"
#include "mailbox/mbx_prop.h"
#include "mobj/mobj_dlgt.h"
#include "mobj_test.h"

static const char *const WHO[3] = {"alice", "bob", "carol"};

/* Encodes v through the ROP codec and decodes it again. */
static void wire(mapi_value *v)
{
	rp_buf b = RP_BUF_INIT;
	rp_cur c;
	mapi_value back;
	assert_int_equal(mbx_prop_tagged_encode(&b, v), RP_OK);
	rp_cur_init(&c, b.data, b.len);
	if (mbx_prop_tagged_decode(&c, &back) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(rp_cur_left(&c), 0);
	mapi_value_free(v);
	*v = back;
	rp_buf_free(&b);
}

/* The LocalFreebusy values for nd delegates; returns the count. */
static size_t build(mapi_value *v, size_t nd)
{
	rp_buf b = RP_BUF_INIT;
	size_t n = 0;

	assert_int_equal(
	    mapi_value_set_mv_empty(&v[n], MOBJ_DLGT_ENTRYIDS, MAPI_MV_WIDTH_32), RP_OK);
	for (size_t i = 0; i < nd; i++) {
		char *dn = rp_asprintf("%s%s", SRC_DN, WHO[i]);
		ab_eid(&b, dn);
		assert_int_equal(mapi_value_mv_insert(&v[n], i, b.data, b.len), RP_OK);
		free(dn);
	}
	n++;
	assert_int_equal(
	    mapi_value_set_mv_empty(&v[n], MOBJ_DLGT_NAMES_W, MAPI_MV_WIDTH_32), RP_OK);
	for (size_t i = 0; i < nd; i++)
		assert_int_equal(mapi_value_mv_set_utf8(&v[n], i, WHO[i]), RP_OK);
	n++;
	assert_int_equal(
	    mapi_value_set_mv_empty(&v[n], MOBJ_DLGT_NAMES, MAPI_MV_WIDTH_32), RP_OK);
	for (size_t i = 0; i < nd; i++)
		assert_int_equal(mapi_value_mv_set_utf8(&v[n], i, WHO[i]), RP_OK);
	n++;
	assert_int_equal(
	    mapi_value_set_mv_empty(&v[n], MOBJ_DLGT_FLAGS, MAPI_MV_WIDTH_NONE), RP_OK);
	for (size_t i = 0; i < nd; i++) {
		uint8_t f[4] = {i == 0 ? 1 : 0, 0, 0, 0};
		assert_int_equal(mapi_value_mv_insert(&v[n], i, f, 4), RP_OK);
	}
	n++;
	memset(&v[n], 0, sizeof(v[n]));
	v[n].tag = MOBJ_DLGT_WANTS_COPY;
	v[n].regtype = MAPI_REG_BINARY;
	v[n++].u.b = 1;
	for (size_t i = 0; i < n; i++)
		wire(&v[i]);
	rp_buf_free(&b);
	return n;
}

static void free_vals(mapi_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mapi_value_free(&v[i]);
}

static void test_decode(void **state)
{
	mapi_value v[8];
	size_t n = build(v, 3);
	mobj_dlgt d;
	(void)state;

	if (mobj_dlgt_decode(v, n, &d) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(d.n, 3);
	assert_int_equal(d.wants_copy, 1);
	assert_int_equal(d.dont_mail, -1);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(d.d[i].who.kind, MOBJ_WHO_EX);
		assert_string_equal(d.d[i].who.name, WHO[i]);
		assert_int_equal(strncmp(d.d[i].who.dn, SRC_DN, strlen(SRC_DN)), 0);
	}
	assert_int_equal(d.d[0].flags, MOBJ_DLGT_SEE_PRIVATE);
	assert_int_equal(d.d[1].flags, 0);
	mobj_dlgt_free(&d);
	free_vals(v, n);
}

static void test_rewrite(void **state)
{
	mapi_value v[8];
	size_t n = build(v, 3);
	mobj_rw st[3];
	mobj_dlgt d;
	rp_buf before = RP_BUF_INIT;
	(void)state;

	assert_int_equal(rp_buf_append(&before, v[0].mv[2].p, v[0].mv[2].n), RP_OK);
	map_calls = 0;
	if (mobj_dlgt_rewrite(v, n, test_recip_map, NULL, st) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(map_calls, 3);
	assert_int_equal(st[0], MOBJ_RW_REWRITTEN);
	assert_int_equal(st[1], MOBJ_RW_REWRITTEN);
	assert_int_equal(st[2], MOBJ_RW_UNMAPPABLE);
	/* carol's entry stays byte for byte */
	assert_int_equal(v[0].mv[2].n, before.len);
	assert_memory_equal(v[0].mv[2].p, before.data, before.len);
	/* what was written survives the wire and reads back */
	for (size_t i = 0; i < n; i++)
		wire(&v[i]);
	assert_int_equal(mobj_dlgt_decode(v, n, &d), RP_OK);
	assert_string_equal(d.d[0].who.dn, TGT_DN "alice");
	assert_string_equal(d.d[1].who.dn, TGT_DN "bob");
	assert_string_equal(d.d[2].who.dn, SRC_DN "carol");
	assert_string_equal(d.d[0].who.name, "alice"); /* no new name given */
	assert_int_equal(d.d[0].flags, 1);
	mobj_dlgt_free(&d);
	free_vals(v, n);
	rp_buf_free(&before);
}

static void expect_bad(mapi_value *v, size_t n, const char *needle)
{
	mobj_dlgt d;
	rp_error_clear();
	assert_int_equal(mobj_dlgt_decode(v, n, &d), RP_EFORMAT);
	if (!strstr(rp_error_msg(), needle))
		fail_msg("\"%s\" lacks \"%s\"", rp_error_msg(), needle);
	mobj_dlgt_free(&d);
	assert_int_equal(mobj_dlgt_rewrite(v, n, test_recip_map, NULL, NULL), RP_EFORMAT);
}

static void test_bad(void **state)
{
	mapi_value v[8];
	size_t n;
	rp_buf b = RP_BUF_INIT;
	(void)state;

	n = build(v, 3);
	assert_int_equal(mapi_value_mv_remove(&v[1], 2), RP_OK);
	expect_bad(v, n, "PidTagScheduleInfoDelegateNamesW has 2 items");
	free_vals(v, n);

	n = build(v, 3);
	assert_int_equal(mapi_value_mv_remove(&v[3], 0), RP_OK);
	expect_bad(v, n, "PidTagDelegateFlags has 2 items");
	free_vals(v, n);

	n = build(v, 3);
	assert_int_equal(mapi_value_mv_set(&v[0], 1, "", 0), RP_OK);
	expect_bad(v, n, "delegate 1 has no entry ID");
	free_vals(v, n);

	n = build(v, 2);
	oneoff_eid(&b, "x", "x@fabrikam.example");
	assert_int_equal(mapi_value_mv_set(&v[0], 0, b.data, b.len), RP_OK);
	expect_bad(v, n, "not an address-book entry");
	free_vals(v, n);

	n = build(v, 2);
	assert_int_equal(mapi_value_mv_set(&v[0], 1, "\0\0\0\0\xDC\xA7", 6), RP_OK);
	expect_bad(v, n, "delegate 1: the entry ID is not an address-book entry");
	free_vals(v, n);

	/* an AB ID cut before its DN's terminator */
	n = build(v, 2);
	v[0].mv[1].n--;
	expect_bad(v, n, "delegate 1 entry ID");
	free_vals(v, n);
	rp_buf_free(&b);

	/* no delegates at all is fine */
	mobj_dlgt d;
	assert_int_equal(mobj_dlgt_decode(NULL, 0, &d), RP_OK);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.wants_copy, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode),
	    cmocka_unit_test(test_rewrite),
	    cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
