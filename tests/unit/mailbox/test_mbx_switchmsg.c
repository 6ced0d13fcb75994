/* Unit tests for src/mailbox/mbx_switchmsg: the switch and recreate
 * messages (docs/switch-message.md).
 *
 * 1. The names for GetPropertyIdsFromNames carry the reprofile property set
 *    and LIDs 1-4, byte for byte as documented.
 * 2. Build -> SetProperties list on the wire -> read back as the
 *    GetPropertiesSpecific row over mbx_swm_columns -> parse gives the same
 *    message; the same for the recreate message.
 * 3. Every malformed case (each property missing or an error, wrong type,
 *    bad DN, bad SMTP, version 0 and a future version, wrong
 *    class) fails with RP_EFORMAT and one line naming the property. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mailbox/mbx_prop.h"
#include "mailbox/mbx_switchmsg.h"
#include "mapi/mapi_tag.h"

#include <stdlib.h>
#include <string.h>

static const uint16_t ids[MBX_SWM_NPROPS] = {0x8101, 0x8102, 0x8103, 0x8104};
#define DN "/o=Contoso/ou=Exchange Administrative Group/cn=Recipients/cn=jdoe"
#define SMTP "jdoe@contoso.onmicrosoft.com"

static void test_names(void **state)
{
	mbx_propname n[MBX_SWM_NPROPS];
	rp_buf b = RP_BUF_INIT;
	/* kind LID, GUID {374A47F5-1E92-44DF-8162-E8A1BCDCB5D3} in wire
	 * order, LID 2 (MS-OXCDATA 2.6.1) */
	static const uint8_t want[] = {0x00, 0xF5, 0x47, 0x4A, 0x37, 0x92, 0x1E,
				       0xDF, 0x44, 0x81, 0x62, 0xE8, 0xA1, 0xBC,
				       0xDC, 0xB5, 0xD3, 0x02, 0x00, 0x00, 0x00};
	(void)state;
	mbx_swm_names(n);
	assert_int_equal(mbx_propname_encode(&b, &n[MBX_SWM_P_TARGET_DN]), RP_OK);
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.data, want, sizeof(want));
	for (int i = 0; i < MBX_SWM_NPROPS; i++)
		assert_int_equal(n[i].lid, (uint32_t)i + 1);
	rp_buf_free(&b);
}

/* The row the server would return for the message SetProperties wrote:
 * the list goes through its wire form, then into a flagged row over the
 * read columns (values found by tag; absent ones flagged NONE). */
static void row_from_list(const mapi_value *list, size_t n, mbx_row *row)
{
	rp_buf b = RP_BUF_INIT, rb = RP_BUF_INIT;
	mapi_value *got;
	size_t ngot;
	uint32_t cols[MBX_SWM_NCOLS];
	rp_cur c;

	assert_int_equal(mbx_proplist_encode(&b, list, n), RP_OK);
	rp_cur_init(&c, b.data, b.len);
	assert_int_equal(mbx_proplist_decode(&c, &got, &ngot), RP_OK);
	assert_int_equal(ngot, n);
	mbx_swm_columns(ids, cols);
	memset(row, 0, sizeof(*row));
	row->flagged = true;
	row->n = MBX_SWM_NCOLS;
	row->cols = calloc(MBX_SWM_NCOLS, sizeof(*row->cols));
	assert_non_null(row->cols);
	for (size_t i = 0; i < MBX_SWM_NCOLS; i++) {
		mbx_prop *p = &row->cols[i];
		p->flag = MBX_FLAG_NONE;
		p->typed = true;
		p->v.tag = cols[i];
		for (size_t k = 0; k < ngot; k++)
			if (PROP_ID(got[k].tag) == PROP_ID(cols[i])) {
				p->flag = MBX_FLAG_VALUE;
				assert_int_equal(mapi_value_copy(&p->v, &got[k]), RP_OK);
			}
		p->wire_type = PROP_TYPE(p->v.tag);
	}
	mbx_props_free(got, ngot);
	/* and through the row's own wire form, as GetPropertiesSpecific sends */
	assert_int_equal(mbx_row_encode(&rb, row, cols, MBX_SWM_NCOLS), RP_OK);
	mbx_row_free(row);
	rp_cur_init(&c, rb.data, rb.len);
	if (mbx_row_decode(&c, cols, MBX_SWM_NCOLS, row) != RP_OK)
		fail_msg("%s", rp_error_msg());
	rp_buf_free(&b);
	rp_buf_free(&rb);
}

static void good_list(mapi_value **list, size_t *n, bool o365)
{
	mbx_swm m = {MBX_SWM_VERSION, DN, SMTP, o365};
	if (mbx_swm_build(&m, ids, list, n) != RP_OK)
		fail_msg("%s", rp_error_msg());
}

static void test_round_trip(void **state)
{
	mapi_value *list;
	size_t n;
	mbx_row row;
	mbx_swm m;
	(void)state;
	for (int o365 = 0; o365 < 2; o365++) {
		good_list(&list, &n, o365);
		assert_int_equal(n, 6);
		assert_int_equal(list[0].tag, 0x001A001F);
		assert_int_equal(list[2].tag, 0x81010003);
		assert_int_equal(list[5].tag, 0x8104000B);
		row_from_list(list, n, &row);
		if (mbx_swm_parse(&row, ids, &m) != RP_OK)
			fail_msg("%s", rp_error_msg());
		assert_int_equal(m.version, 1);
		assert_string_equal(m.target_dn, DN);
		assert_string_equal(m.target_smtp, SMTP);
		assert_int_equal(m.o365, o365);
		/* a switch message is not a recreate message */
		assert_int_equal(mbx_swm_parse_recreate(&row, ids), RP_EFORMAT);
		mbx_swm_free(&m);
		mbx_row_free(&row);
		mbx_props_free(list, n);
	}
	assert_int_equal(mbx_swm_build_recreate(ids, &list, &n), RP_OK);
	assert_int_equal(n, 3);
	row_from_list(list, n, &row);
	if (mbx_swm_parse_recreate(&row, ids) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(mbx_swm_parse(&row, ids, &m), RP_EFORMAT);
	mbx_swm_free(&m);
	mbx_row_free(&row);
	mbx_props_free(list, n);
}

/* Applies one change to a good list, reads it back, expects RP_EFORMAT
 * with a message containing want. */
typedef void (*mutator)(mapi_value *list, size_t *n);
static void expect_bad(mutator f, const char *want)
{
	mapi_value *list;
	size_t n;
	mbx_row row;
	mbx_swm m;
	good_list(&list, &n, true);
	f(list, &n);
	row_from_list(list, n, &row);
	rp_error_clear();
	assert_int_equal(mbx_swm_parse(&row, ids, &m), RP_EFORMAT);
	if (!strstr(rp_error_msg(), want))
		fail_msg("message \"%s\" lacks \"%s\"", rp_error_msg(), want);
	assert_null(strchr(rp_error_msg(), '\n'));
	mbx_swm_free(&m);
	mbx_row_free(&row);
	mbx_props_free(list, 6);
}

/* list: 0 class, 1 subject, 2 version, 3 DN, 4 SMTP, 5 O365 */
static void drop(mapi_value *l, size_t i)
{
	mapi_value_free(&l[i]);
	/* an unread property id stands in for the removed one */
	assert_int_equal(mapi_value_set_long(&l[i], PROP_TAG(PT_LONG, 0x6FF0), 0), RP_OK);
}
static void no_class(mapi_value *l, size_t *n)
{
	(void)n;
	drop(l, 0);
}
static void no_version(mapi_value *l, size_t *n)
{
	(void)n;
	drop(l, 2);
}
static void no_dn(mapi_value *l, size_t *n)
{
	(void)n;
	drop(l, 3);
}
static void no_smtp(mapi_value *l, size_t *n)
{
	(void)n;
	drop(l, 4);
}
static void no_o365(mapi_value *l, size_t *n)
{
	(void)n;
	drop(l, 5);
}
static void class_other(mapi_value *l, size_t *n)
{
	(void)n;
	mapi_value_free(&l[0]);
	assert_int_equal(mapi_value_set_unicode(&l[0], 0x001A001F, "IPM.Note"), RP_OK);
}
static void version(mapi_value *l, int32_t v)
{
	mapi_value_free(&l[2]);
	assert_int_equal(mapi_value_set_long(&l[2], 0x81010003, v), RP_OK);
}
static void version_future(mapi_value *l, size_t *n)
{
	(void)n;
	version(l, 2);
}
static void version_zero(mapi_value *l, size_t *n)
{
	(void)n;
	version(l, 0);
}
static void version_string(mapi_value *l, size_t *n)
{
	(void)n;
	mapi_value_free(&l[2]);
	assert_int_equal(mapi_value_set_unicode(&l[2], 0x8101001F, "1"), RP_OK);
}
static void set_str(mapi_value *l, size_t i, const char *s)
{
	uint32_t tag = l[i].tag;
	mapi_value_free(&l[i]);
	assert_int_equal(mapi_value_set_unicode(&l[i], tag, s), RP_OK);
}
static void dn_smtp(mapi_value *l, size_t *n)
{
	(void)n;
	set_str(l, 3, SMTP);
}
static void dn_no_cn(mapi_value *l, size_t *n)
{
	(void)n;
	set_str(l, 3, "/o=Contoso/ou=x");
}
static void dn_empty(mapi_value *l, size_t *n)
{
	(void)n;
	set_str(l, 3, "");
}
static void smtp_bad(mapi_value *l, size_t *n)
{
	(void)n;
	set_str(l, 4, "jdoe");
}
static void smtp_ctl(mapi_value *l, size_t *n)
{
	(void)n;
	set_str(l, 4, "a\n@b.c");
}
static void class_ctl(mapi_value *l, size_t *n)
{
	(void)n;
	set_str(l, 0, "IPM.Note\nX");
}
static void smtp_two_at(mapi_value *l, size_t *n)
{
	(void)n;
	set_str(l, 4, "a@b@c.d");
}
static void o365_long(mapi_value *l, size_t *n)
{
	(void)n;
	mapi_value_free(&l[5]);
	assert_int_equal(mapi_value_set_long(&l[5], 0x81040003, 1), RP_OK);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_bad(no_class, "PR_MESSAGE_CLASS is missing");
	expect_bad(class_other, "PR_MESSAGE_CLASS is \"IPM.Note\"");
	expect_bad(no_version, "ReprofileVersion is missing");
	expect_bad(version_future, "ReprofileVersion 2 is newer");
	expect_bad(version_zero, "ReprofileVersion 0 is not valid");
	expect_bad(version_string, "ReprofileVersion has type PT_UNICODE");
	expect_bad(no_dn, "ReprofileTargetDN is missing");
	expect_bad(dn_smtp, "ReprofileTargetDN \"" SMTP "\" is not a legacyExchangeDN");
	expect_bad(dn_no_cn, "ReprofileTargetDN \"/o=Contoso/ou=x\" has no /cn= part");
	expect_bad(dn_empty, "ReprofileTargetDN is empty");
	expect_bad(no_smtp, "ReprofileTargetSMTP is missing");
	expect_bad(smtp_bad, "ReprofileTargetSMTP \"jdoe\" is not an SMTP address");
	expect_bad(smtp_two_at, "is not an SMTP address");
	/* never echoed: the message stays one line */
	expect_bad(smtp_ctl, "ReprofileTargetSMTP contains a control character");
	expect_bad(class_ctl, "PR_MESSAGE_CLASS contains a control character");
	expect_bad(no_o365, "ReprofileTargetIsO365 is missing");
	expect_bad(o365_long, "ReprofileTargetIsO365 has type PT_LONG");
}

/* The builder refuses what the reader would refuse, before any write. */
static void test_build_refuses(void **state)
{
	mapi_value *list;
	size_t n;
	mbx_swm bad_dn = {1, "jdoe@contoso.com", SMTP, false};
	mbx_swm bad_smtp = {1, DN, "contoso.com", false};
	mbx_swm good = {1, DN, SMTP, false};
	uint16_t low[MBX_SWM_NPROPS] = {0x8101, 0x0037, 0x8103, 0x8104};
	(void)state;
	assert_int_equal(mbx_swm_build(&bad_dn, ids, &list, &n), RP_EINVAL);
	assert_non_null(strstr(rp_error_msg(), "ReprofileTargetDN"));
	assert_null(list);
	assert_int_equal(mbx_swm_build(&bad_smtp, ids, &list, &n), RP_EINVAL);
	assert_non_null(strstr(rp_error_msg(), "ReprofileTargetSMTP"));
	assert_int_equal(mbx_swm_build(&good, low, &list, &n), RP_EINVAL);
	assert_non_null(strstr(rp_error_msg(), "0x0037"));
	assert_int_equal(mbx_swm_check_dn("/O=First Organization/OU=Exchange "
					  "Administrative Group "
					  "(FYDIBOHF23SPDLT)/CN=Recipients/CN=jdoe"),
			 RP_OK);
	assert_int_equal(mbx_swm_check_dn("/o=x/cn="), RP_EINVAL);
	assert_int_equal(mbx_swm_check_smtp("a@b."), RP_EINVAL);
	assert_int_equal(mbx_swm_check_smtp("a b@c.d"), RP_EINVAL);
	assert_int_equal(mbx_swm_check_smtp("@c.d"), RP_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_build_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
