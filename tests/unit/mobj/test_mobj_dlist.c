/* Unit tests for src/mobj/mobj_dlist: distribution list members, their
 * checksum, and contact e-mail slots.
 *
 * The CRC is checked against the CRC-32 check value of "123456789"
 * (0xCBF43926, ISO 8802-3) split over two members, and the init-0 form
 * (0x2DFD2D88, computed by hand from the polynomial). A list of four members
 * (a GAL user, an SMTP one-off, a contact, a GAL user who did not migrate)
 * in WrappedEntryIds (MS-OXOCNTC 2.2.2.2.4.1.1) with their one-offs: decode,
 * rewrite, checksum recomputed in the form it had; a checksum that does not
 * match is reported; inconsistent lists are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mobj/mobj_dlist.h"
#include "mobj_test.h"

static const uint8_t UID_WAB[16] = {0xC0, 0x91, 0xAD, 0xD3, 0x51, 0x9D, 0xCF, 0x11,
				    0xA4, 0xA9, 0x00, 0xAA, 0x00, 0x47, 0xFA, 0xA4};

static void wab(rp_buf *out, uint8_t type, const rp_buf *inner)
{
	out->len = 0;
	assert_int_equal(rp_buf_u32le(out, 0), RP_OK);
	assert_int_equal(rp_buf_append(out, UID_WAB, 16), RP_OK);
	assert_int_equal(rp_buf_u8(out, type), RP_OK);
	assert_int_equal(rp_buf_append(out, inner->data, inner->len), RP_OK);
}

static void test_crc(void **state)
{
	mapi_value m;
	uint32_t iso, zero;
	(void)state;
	assert_int_equal(
	    mapi_value_set_mv_empty(&m, 0x80550000u | PT_MV_BINARY, MAPI_MV_WIDTH_32),
	    RP_OK);
	assert_int_equal(mapi_value_mv_insert(&m, 0, "1234", 4), RP_OK);
	assert_int_equal(mapi_value_mv_insert(&m, 1, "56789", 5), RP_OK);
	mobj_dlist_crc(&m, &iso, &zero);
	assert_int_equal(iso, 0xCBF43926u);
	assert_int_equal(zero, 0x2DFD2D88u);
	mapi_value_free(&m);
}

/* members, one-offs, checksum (ISO form) */
static void build(mapi_value *m, mapi_value *o, mapi_value *crc)
{
	rp_buf in = RP_BUF_INIT, w = RP_BUF_INIT;
	uint32_t iso, zero;

	assert_int_equal(
	    mapi_value_set_mv_empty(m, 0x80550000u | PT_MV_BINARY, MAPI_MV_WIDTH_32),
	    RP_OK);
	assert_int_equal(
	    mapi_value_set_mv_empty(o, 0x80540000u | PT_MV_BINARY, MAPI_MV_WIDTH_32),
	    RP_OK);
	ab_eid(&in, SRC_DN "alice");
	wab(&w, 0xB5, &in); /* GAL user, e-mail 1 */
	assert_int_equal(mapi_value_mv_insert(m, 0, w.data, w.len), RP_OK);
	oneoff_eid(&in, "Alice", "alice@fabrikam.example");
	assert_int_equal(mapi_value_mv_insert(o, 0, in.data, in.len), RP_OK);

	oneoff_eid(&in, "dave@fabrikam.example", "dave@fabrikam.example");
	assert_int_equal(mapi_value_mv_insert(m, 1, in.data, in.len), RP_OK);
	assert_int_equal(mapi_value_mv_insert(o, 1, in.data, in.len), RP_OK);

	in.len = 0; /* a contact: WAB 0xC3 around a 70-byte message ID */
	assert_int_equal(rp_buf_zeros(&in, 70), RP_OK);
	in.data[4] = 0x11;
	in.data[20] = 0x07;
	wab(&w, 0xC3, &in);
	assert_int_equal(mapi_value_mv_insert(m, 2, w.data, w.len), RP_OK);
	oneoff_eid(&in, "Eve", "eve@elsewhere.example");
	assert_int_equal(mapi_value_mv_insert(o, 2, in.data, in.len), RP_OK);

	ab_eid(&in, SRC_DN "carol");
	wab(&w, 0xB5, &in);
	assert_int_equal(mapi_value_mv_insert(m, 3, w.data, w.len), RP_OK);
	oneoff_eid(&in, "Carol", "carol@fabrikam.example");
	assert_int_equal(mapi_value_mv_insert(o, 3, in.data, in.len), RP_OK);

	mobj_dlist_crc(m, &iso, &zero);
	assert_int_equal(mapi_value_set_long(crc, 0x804C0003u, (int32_t)iso), RP_OK);
	rp_buf_free(&in);
	rp_buf_free(&w);
}

static void free3(mapi_value *m, mapi_value *o, mapi_value *c)
{
	mapi_value_free(m);
	mapi_value_free(o);
	mapi_value_free(c);
}

static void test_decode_rewrite(void **state)
{
	mapi_value m, o, c;
	mobj_dlist d;
	mobj_rw st[4];
	mobj_crc in;
	uint32_t iso, zero;
	rp_buf carol = RP_BUF_INIT;
	(void)state;

	build(&m, &o, &c);
	if (mobj_dlist_decode(&m, &o, &c, &d) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(d.n, 4);
	assert_int_equal(d.crc, MOBJ_CRC_OK_ISO);
	assert_int_equal(d.who[0].kind, MOBJ_WHO_EX);
	assert_string_equal(d.who[0].dn, SRC_DN "alice");
	assert_int_equal(d.who[1].kind, MOBJ_WHO_SMTP);
	assert_int_equal(d.who[2].kind, MOBJ_WHO_SMTP); /* the contact's one-off */
	assert_string_equal(d.who[2].smtp, "eve@elsewhere.example");
	mobj_dlist_free(&d);

	assert_int_equal(rp_buf_append(&carol, m.mv[3].p, m.mv[3].n), RP_OK);
	if (mobj_dlist_rewrite(&m, &o, &c, test_recip_map, NULL, st, &in) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(in, MOBJ_CRC_OK_ISO);
	assert_int_equal(st[0], MOBJ_RW_REWRITTEN);
	assert_int_equal(st[1], MOBJ_RW_REWRITTEN);
	assert_int_equal(st[2], MOBJ_RW_UNMAPPABLE);
	assert_int_equal(st[3], MOBJ_RW_UNMAPPABLE);
	assert_int_equal(m.mv[3].n, carol.len);
	assert_memory_equal(m.mv[3].p, carol.data, carol.len);
	mobj_dlist_crc(&m, &iso, &zero);
	assert_int_equal((uint32_t)c.u.l, iso);
	assert_int_equal(mobj_dlist_decode(&m, &o, &c, &d), RP_OK);
	assert_int_equal(d.crc, MOBJ_CRC_OK_ISO);
	assert_string_equal(d.who[0].dn, TGT_DN "alice");
	assert_string_equal(d.who[1].smtp, "dave@contoso.example");
	assert_string_equal(d.who[1].name, "dave@contoso.example");
	mobj_dlist_free(&d);
	/* the wrapper (type 0xB5) is kept around the new ID */
	assert_int_equal(m.mv[0].p[20], 0xB5);
	/* alice's one-off carries her SMTP address, which follows too */
	mobj_who w;
	assert_int_equal(mobj_eid_who(o.mv[0].p, o.mv[0].n, &w), RP_OK);
	assert_string_equal(w.smtp, "alice@contoso.example");
	assert_string_equal(w.name, "Alice");
	mobj_who_free(&w);
	free3(&m, &o, &c);
	rp_buf_free(&carol);
}

static void test_checksum_forms(void **state)
{
	mapi_value m, o, c;
	mobj_dlist d;
	mobj_crc in;
	uint32_t iso, zero;
	(void)state;

	/* a mismatch is reported, and the rewrite writes the right value */
	build(&m, &o, &c);
	c.u.l ^= 1;
	assert_int_equal(mobj_dlist_decode(&m, &o, &c, &d), RP_OK);
	assert_int_equal(d.crc, MOBJ_CRC_MISMATCH);
	mobj_dlist_free(&d);
	assert_int_equal(mobj_dlist_rewrite(&m, &o, &c, test_recip_map, NULL, NULL, &in),
			 RP_OK);
	assert_int_equal(in, MOBJ_CRC_MISMATCH);
	mobj_dlist_crc(&m, &iso, &zero);
	assert_int_equal((uint32_t)c.u.l, iso);
	free3(&m, &o, &c);

	/* the init-0 form stays in that form */
	build(&m, &o, &c);
	mobj_dlist_crc(&m, &iso, &zero);
	c.u.l = (int32_t)zero;
	assert_int_equal(mobj_dlist_rewrite(&m, &o, &c, test_recip_map, NULL, NULL, &in),
			 RP_OK);
	assert_int_equal(in, MOBJ_CRC_OK_ZERO);
	mobj_dlist_crc(&m, &iso, &zero);
	assert_int_equal((uint32_t)c.u.l, zero);
	free3(&m, &o, &c);

	/* no checksum: nothing to compute */
	build(&m, &o, &c);
	assert_int_equal(
	    mobj_dlist_rewrite(&m, &o, NULL, test_recip_map, NULL, NULL, &in), RP_OK);
	assert_int_equal(in, MOBJ_CRC_ABSENT);
	free3(&m, &o, &c);
}

static void test_bad(void **state)
{
	mapi_value m, o, c;
	mobj_dlist d;
	(void)state;

	build(&m, &o, &c);
	assert_int_equal(mapi_value_mv_remove(&o, 3), RP_OK);
	assert_int_equal(mobj_dlist_decode(&m, &o, &c, &d), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "OneOffMembers has 3 items"));
	mobj_dlist_free(&d);
	assert_int_equal(mobj_dlist_rewrite(&m, &o, &c, test_recip_map, NULL, NULL, NULL),
			 RP_EFORMAT);
	free3(&m, &o, &c);

	build(&m, &o, &c);
	assert_int_equal(mapi_value_mv_set(&m, 1, "", 0), RP_OK);
	assert_int_equal(mobj_dlist_decode(&m, &o, &c, &d), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "member 1 is empty"));
	mobj_dlist_free(&d);
	free3(&m, &o, &c);

	build(&m, &o, &c);
	m.mv[0].n -= 1; /* the wrapped AB ID loses its DN terminator */
	assert_int_equal(mobj_dlist_decode(&m, &o, &c, &d), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "PidLidDistributionListMembers item 0"));
	mobj_dlist_free(&d);
	free3(&m, &o, &c);
}

static void test_email(void **state)
{
	mapi_value v[5];
	mobj_email e = {&v[0], &v[1], &v[2], &v[3], &v[4]};
	mobj_rw st;
	rp_buf b = RP_BUF_INIT;
	mobj_who w;
	(void)state;

	set_str(&v[0], 0x8080001Fu, "Alice");
	set_str(&v[1], 0x8082001Fu, "EX");
	set_str(&v[2], 0x8083001Fu, SRC_DN "alice");
	set_str(&v[3], 0x8084001Fu, SRC_DN "alice");
	ab_eid(&b, SRC_DN "alice");
	set_bin(&v[4], 0x80850102u, &b);
	assert_int_equal(mobj_email_rewrite(&e, test_recip_map, NULL, &st), RP_OK);
	assert_int_equal(st, MOBJ_RW_REWRITTEN);
	assert_string_equal(prop_str(v, 5, 0x8083), TGT_DN "alice");
	assert_string_equal(prop_str(v, 5, 0x8084), TGT_DN "alice");
	assert_string_equal(prop_str(v, 5, 0x8080), "Alice");
	assert_int_equal(mobj_eid_who(v[4].bin.p, v[4].bin.n, &w), RP_OK);
	assert_string_equal(w.dn, TGT_DN "alice");
	mobj_who_free(&w);
	for (int i = 0; i < 5; i++)
		mapi_value_free(&v[i]);

	/* an SMTP slot without an entry ID: address and "Name (address)" */
	set_str(&v[0], 0x8080001Fu, "Dave (dave@fabrikam.example)");
	set_str(&v[1], 0x8082001Fu, "SMTP");
	set_str(&v[2], 0x8083001Fu, "dave@fabrikam.example");
	e.orig_display = NULL;
	e.orig_eid = NULL;
	assert_int_equal(mobj_email_rewrite(&e, test_recip_map, NULL, &st), RP_OK);
	assert_int_equal(st, MOBJ_RW_REWRITTEN);
	assert_string_equal(prop_str(v, 3, 0x8080), "Dave (dave@contoso.example)");
	assert_string_equal(prop_str(v, 3, 0x8083), "dave@contoso.example");
	for (int i = 0; i < 3; i++)
		mapi_value_free(&v[i]);

	/* not migrated: unchanged */
	set_str(&v[1], 0x8082001Fu, "SMTP");
	set_str(&v[2], 0x8083001Fu, "eve@elsewhere.example");
	e.display = NULL;
	assert_int_equal(mobj_email_rewrite(&e, test_recip_map, NULL, &st), RP_OK);
	assert_int_equal(st, MOBJ_RW_UNMAPPABLE);
	assert_string_equal(prop_str(v + 1, 2, 0x8083), "eve@elsewhere.example");
	mapi_value_free(&v[1]);
	mapi_value_free(&v[2]);
	rp_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crc),
	    cmocka_unit_test(test_decode_rewrite),
	    cmocka_unit_test(test_checksum_forms),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_email),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
