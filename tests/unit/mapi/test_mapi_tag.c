/* Unit tests for src/mapi/mapi_tag: names, registry value names, parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mapi/mapi_tag.h"

#include <string.h>

static void test_regname_both_ways(void **state)
{
	(void)state;
	char buf[9];
	uint32_t tag = 0;
	/* outlook-profile-registry.md 1.3: "001f3001" is 0x3001001F, and the
	 * mapi_tag.h example "001f6641" is 0x6641001F. */
	assert_true(mapi_tag_from_regname("001f3001", &tag));
	assert_int_equal(tag, 0x3001001Fu);
	assert_true(mapi_tag_from_regname("001F6641", &tag));
	assert_int_equal(tag, 0x6641001Fu);
	mapi_tag_to_regname(0x6641001Fu, buf);
	assert_string_equal(buf, "001f6641");
	mapi_tag_to_regname(0x3D051102u, buf);
	assert_string_equal(buf, "11023d05");
	assert_false(mapi_tag_from_regname("001f664", &tag));
	assert_false(mapi_tag_from_regname("001f66411", &tag));
	assert_false(mapi_tag_from_regname("001g6641", &tag));
	assert_false(mapi_tag_from_regname("", &tag));
}

static void test_names(void **state)
{
	(void)state;
	uint32_t tag = 0;
	assert_string_equal(mapi_tag_name(0x6641001Fu),
			    "PR_PROFILE_USER_SMTP_EMAIL_ADDRESS_W");
	assert_string_equal(mapi_tag_name(PR_CONTAB_FOLDER_ENTRYIDS),
			    "PR_CONTAB_FOLDER_ENTRYIDS");
	/* Same id, different type: the full tag decides. */
	assert_string_equal(mapi_tag_name(0x6622001Fu), "PR_ROH_PROXY_SERVER_W");
	assert_string_equal(mapi_tag_name(0x6622101Eu), "PR_CONTAB_STORE_NAMES_A");
	/* 001E/001F twin fallback: PR_PROFILE_USER is listed as 001E only. */
	assert_string_equal(mapi_tag_name(0x6603001Fu), "PR_PROFILE_USER");
	assert_string_equal(mapi_tag_name(0x6627101Eu), "PR_CONTAB_STORE_NAMES_W");
	/* No twin fallback for non-string types. */
	assert_null(mapi_tag_name(0x66030003u));
	assert_null(mapi_tag_name(0x12340102u));
	assert_true(mapi_tag_by_name("PR_PROFILE_HOME_SERVER_DN", &tag));
	assert_int_equal(tag, 0x6612001Eu);
	assert_true(mapi_tag_by_name("PidTagSearchFolderId", &tag));
	assert_int_equal(tag, 0x68420102u);
	assert_false(mapi_tag_by_name("pr_profile_user", &tag));
	assert_string_equal(mapi_type_name(PT_MV_BINARY), "PT_MV_BINARY");
	assert_null(mapi_type_name(0x0999));
}

/* The header's well-known constants must agree with the table. */
static void test_header_constants_in_table(void **state)
{
	(void)state;
	static const struct {
		uint32_t tag;
		const char *name;
	} k[] = {
	    {PR_DISPLAY_NAME_W, "PR_DISPLAY_NAME_W"},
	    {PR_STORE_ENTRYID, "PR_STORE_ENTRYID"},
	    {PR_AB_SEARCH_PATH, "PR_AB_SEARCH_PATH"},
	    {PR_EMSMDB_SECTION_UID, "PR_EMSMDB_SECTION_UID"},
	    {PR_PROFILE_HOME_SERVER, "PR_PROFILE_HOME_SERVER"},
	    {PR_PROFILE_SERVER_DN, "PR_PROFILE_SERVER_DN"},
	    {PR_ROH_PROXY_SERVER_W, "PR_ROH_PROXY_SERVER_W"},
	    {PR_PROFILE_MAPIHTTP_ADDRESSBOOK_EXTERNAL_URL_W,
	     "PR_PROFILE_MAPIHTTP_ADDRESSBOOK_EXTERNAL_URL_W"},
	    {PR_PST_PATH_W, "PR_PST_PATH_W"},
	    {PR_CONTAB_DISPLAY_NAMES_W, "PR_CONTAB_DISPLAY_NAMES_W"},
	    {PR_CONTAB_STORE_SUPPORT_MASKS, "PR_CONTAB_STORE_SUPPORT_MASKS"},
	};
	size_t i;
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		uint32_t t = 0;
		assert_true(mapi_tag_by_name(k[i].name, &t));
		assert_int_equal(t, k[i].tag);
	}
}

static void test_table_well_formed(void **state)
{
	(void)state;
	size_t i, j, n = mapi_tag_count();
	assert_true(n > 100);
	for (i = 0; i < n; i++) {
		uint32_t a, b;
		const char *na, *nb;
		assert_true(mapi_tag_at(i, &a, &na));
		assert_non_null(mapi_type_name(PROP_TYPE(a)));
		for (j = i + 1; j < n; j++) {
			assert_true(mapi_tag_at(j, &b, &nb));
			assert_string_not_equal(na, nb);
		}
	}
	{
		uint32_t t;
		const char *nm;
		assert_false(mapi_tag_at(n, &t, &nm));
	}
}

static void test_parse(void **state)
{
	(void)state;
	uint32_t tag = 0;
	assert_true(mapi_tag_parse("001f6641", &tag));
	assert_int_equal(tag, 0x6641001Fu);
	assert_true(mapi_tag_parse("0x6641001F", &tag));
	assert_int_equal(tag, 0x6641001Fu);
	assert_true(mapi_tag_parse("0x102", &tag));
	assert_int_equal(tag, 0x102u);
	assert_true(mapi_tag_parse("PR_PST_PATH_W", &tag));
	assert_int_equal(tag, 0x6700001Fu);
	assert_false(mapi_tag_parse("0x", &tag));
	assert_false(mapi_tag_parse("0x123456789", &tag));
	assert_false(mapi_tag_parse("nonsense", &tag));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_regname_both_ways),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_header_constants_in_table),
	    cmocka_unit_test(test_table_well_formed),
	    cmocka_unit_test(test_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
