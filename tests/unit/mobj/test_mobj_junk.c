/* Unit tests for src/mobj/mobj_junk: the Junk E-mail rule.
 *
 * A rule of the shape [MS-OXCSPAM] 3.1.4.1 prescribes (extended actions
 * OP_MOVE + OP_TAG; a condition of address and domain lists as OR groups of
 * CONTENT restrictions, as MFCMAPI's sample shows, and an SCL clause):
 * listing the entries, clearing them (the SCL clause and the structure stay,
 * the result still encodes and decodes in the extended form), rewriting the
 * Junk E-mail folder, refusing actions that are not a junk rule's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mobj/mobj_junk.h"
#include "mobj_test.h"

#define PR_SENDER_EMAIL_ADDRESS_W 0x0C1F001Fu
#define PR_SCL 0x40760003u /* PidTagContentFilterSpamConfidenceLevel */

static void entry(mbx_res *r, const char *addr, uint32_t fuzzy)
{
	mapi_value v;
	set_str(&v, PR_SENDER_EMAIL_ADDRESS_W, addr);
	assert_int_equal(mbx_res_content(r, fuzzy, &v), RP_OK);
	mapi_value_free(&v);
}

/* AND( OR( OR(a@x, b@y), @z.example ), NOT( OR(trusted@t) ), SCL >= 5 ) */
static void build_cond(mbx_res *r)
{
	mbx_res inner[2], outer[2], trusted[1], not_kids[1], top[3];
	mapi_value v;

	entry(&inner[0], "a@x.example", MBX_FL_FULLSTRING | MBX_FL_IGNORECASE);
	entry(&inner[1], "b@y.example", MBX_FL_FULLSTRING | MBX_FL_IGNORECASE);
	assert_int_equal(mbx_res_group(&outer[0], MBX_RES_OR, inner, 2), RP_OK);
	entry(&outer[1], "@z.example", MBX_FL_SUBSTRING | MBX_FL_IGNORECASE);
	assert_int_equal(mbx_res_group(&top[0], MBX_RES_OR, outer, 2), RP_OK);
	entry(&trusted[0], "trusted@t.example", MBX_FL_FULLSTRING | MBX_FL_IGNORECASE);
	assert_int_equal(mbx_res_group(&not_kids[0], MBX_RES_OR, trusted, 1), RP_OK);
	assert_int_equal(mbx_res_group(&top[1], MBX_RES_NOT, not_kids, 1), RP_OK);
	assert_int_equal(mapi_value_set_long(&v, PR_SCL, 5), RP_OK);
	assert_int_equal(mbx_res_property(&top[2], MBX_RELOP_GE, &v), RP_OK);
	assert_int_equal(mbx_res_group(r, MBX_RES_AND, top, 3), RP_OK);
}

static void test_list_clear(void **state)
{
	mobj_xcond x = {0}, y;
	char **list;
	size_t n, removed;
	rp_buf out = RP_BUF_INIT;
	(void)state;

	build_cond(&x.res);
	x.npi.p = calloc(1, 2);
	x.npi.n = 2;
	assert_int_equal(mobj_junk_list(&x.res, &list, &n), RP_OK);
	assert_int_equal(n, 4);
	assert_string_equal(list[0], "a@x.example");
	assert_string_equal(list[1], "b@y.example");
	assert_string_equal(list[2], "@z.example");
	assert_string_equal(list[3], "trusted@t.example");
	mobj_junk_list_free(list, n);

	assert_int_equal(mobj_junk_clear(&x.res, &removed), RP_OK);
	assert_int_equal(removed, 4);
	assert_int_equal(x.res.nsub, 3);
	assert_int_equal(x.res.sub[0].type, MBX_RES_OR);
	assert_int_equal(x.res.sub[0].nsub, 1); /* the inner OR, now empty */
	assert_int_equal(x.res.sub[0].sub[0].nsub, 0);
	assert_int_equal(x.res.sub[1].sub[0].nsub, 0);
	assert_int_equal(x.res.sub[2].type, MBX_RES_PROPERTY); /* SCL kept */
	assert_int_equal(x.res.sub[2].value.u.l, 5);
	assert_int_equal(mobj_junk_list(&x.res, &list, &n), RP_OK);
	assert_int_equal(n, 0);
	mobj_junk_list_free(list, n);
	/* the cleared condition is still a valid extended condition */
	assert_int_equal(mobj_xcond_encode(&x, &out), RP_OK);
	if (mobj_xcond_decode(&y, out.data, out.len) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(y.res.nsub, 3);
	mobj_xcond_free(&y);
	mobj_xcond_free(&x);
	rp_buf_free(&out);
}

static int map_junk(void *ctx, const mobj_ref *from, mobj_ref *to)
{
	(void)ctx;
	assert_int_equal(from->kind, MOBJ_REF_FOLDER);
	assert_true(from->ext);
	assert_int_equal(from->obj.n, 46);
	to->obj.p[43] = 0x77; /* the target Junk E-mail folder's counter */
	return RP_OK;
}

static void build_actions(mobj_actions *a)
{
	memset(a, 0, sizeof(*a));
	a->ext = true;
	a->version = 1;
	a->npi.p = calloc(1, 2);
	a->npi.n = 2;
	a->n = 2;
	a->a = calloc(2, sizeof(*a->a));
	a->a[0].type = MOBJ_OP_MOVE;
	a->a[0].store.p = calloc(1, 16);
	a->a[0].store.n = 16;
	a->a[0].obj.p = calloc(1, 46);
	a->a[0].obj.n = 46;
	a->a[1].type = MOBJ_OP_TAG;
	assert_int_equal(mapi_value_set_long(&a->a[1].tag, 0x80010003u, 1), RP_OK);
}

static void test_folder(void **state)
{
	mobj_actions a, b;
	mobj_rw st;
	mobj_map map = {test_recip_map, NULL, map_junk, NULL};
	rp_buf out = RP_BUF_INIT;
	(void)state;

	build_actions(&a);
	assert_int_equal(mobj_junk_folder(&a, &map, &st), RP_OK);
	assert_int_equal(st, MOBJ_RW_REWRITTEN);
	assert_int_equal(a.a[0].obj.p[43], 0x77);
	assert_int_equal(mobj_actions_encode(&a, &out), RP_OK);
	assert_int_equal(mobj_actions_decode(&b, out.data, out.len, true), RP_OK);
	assert_int_equal(b.a[0].obj.p[43], 0x77);
	assert_int_equal(b.a[1].tag.u.l, 1);
	mobj_actions_free(&b);
	mobj_actions_free(&a);
	rp_buf_free(&out);

	/* a standard rule, or one without a move, is not a junk rule */
	build_actions(&a);
	a.a[0].type = MOBJ_OP_COPY;
	assert_int_equal(mobj_junk_folder(&a, &map, &st), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "not a Junk E-mail rule"));
	a.a[0].type = MOBJ_OP_MOVE;
	a.ext = false;
	assert_int_equal(mobj_junk_folder(&a, &map, &st), RP_EFORMAT);
	mobj_actions_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list_clear),
	    cmocka_unit_test(test_folder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
