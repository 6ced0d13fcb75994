/* Unit tests for the bulk switch-message list (cfg_swmlist.h): good rows in
 * file order, each kind of malformed row (kept with its line, not fatal),
 * header and file errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "config/cfg_swmlist.h"

#include <stdlib.h>
#include <string.h>

#define FIX RP_SOURCE_DIR "/tests/fixtures/config/"
#define BAD RP_SOURCE_DIR "/tests/fixtures/bad/config/"
#define SDN "/o=Source/ou=First Administrative Group/cn=Recipients/cn="
#define TDN                                                                              \
	"/o=Target/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="

static void test_good(void **state)
{
	(void)state;
	cfg_swmlist *l = NULL;
	assert_int_equal(cfg_swmlist_load(FIX "swmlist-good.csv", &l), RP_OK);
	assert_int_equal(l->n, 2);
	assert_int_equal(l->nbad, 0);
	assert_null(l->rows[0].reason);
	assert_int_equal(l->rows[0].line, 2);
	assert_string_equal(l->rows[0].source, "jdoe@source.local");
	assert_string_equal(l->rows[0].source_dn, SDN "jdoe");
	assert_string_equal(l->rows[0].target_smtp, "john.doe@target.com");
	assert_string_equal(l->rows[0].target_dn, TDN "jdoe");
	assert_false(l->rows[0].o365);
	assert_true(l->rows[0].recreate);
	assert_null(l->rows[0].url); /* empty: the command's --mapi-url */
	/* After a blank line; quoted fields with "", kind in capitals, an empty
	 * recreate, its own URL. */
	assert_int_equal(l->rows[1].line, 4);
	assert_string_equal(l->rows[1].source_dn, SDN "\"room 1\"");
	assert_true(l->rows[1].o365);
	assert_false(l->rows[1].recreate);
	assert_string_equal(
	    l->rows[1].url,
	    "https://mail2.source.local/mapi/emsmdb/?MailboxId=x@source.local");
	cfg_swmlist_free(l);
}

static void test_mixed(void **state)
{
	(void)state;
	static const struct {
		int line;
		const char *reason; /* NULL = valid */
	} want[] = {
	    {2, NULL},
	    {3, "source is not an SMTP address"},
	    {4, "source_dn does not start with /o="},
	    {5, "target_smtp is not an SMTP address"},
	    {6, "target_dn does not start with /o="},
	    {7, "target_kind is not exchange or o365"},
	    {8, "recreate is not 0 or 1"},
	    {9, "3 fields, expected 6"},
	    {10, "7 fields, expected 6"},
	    {11, "another row for this source_dn at line 2"},
	    {12, "text after a closing quote"},
	    {13, NULL},
	};
	cfg_swmlist *l = NULL;
	assert_int_equal(cfg_swmlist_load(BAD "swmlist-mixed.csv", &l), RP_OK);
	assert_int_equal(l->n, sizeof(want) / sizeof(want[0]));
	assert_int_equal(l->nbad, l->n - 2);
	for (size_t i = 0; i < l->n; i++) {
		assert_int_equal(l->rows[i].line, want[i].line);
		if (want[i].reason)
			assert_string_equal(l->rows[i].reason, want[i].reason);
		else
			assert_null(l->rows[i].reason);
	}
	assert_true(l->rows[12 - 1].o365);
	assert_true(l->rows[12 - 1].recreate);
	cfg_swmlist_free(l);
}

static void test_file_errors(void **state)
{
	(void)state;
	cfg_swmlist *l = NULL;
	assert_int_equal(cfg_swmlist_load(BAD "swmlist-bad-header.csv", &l), RP_EFORMAT);
	assert_null(l);
	assert_non_null(
	    strstr(rp_error_msg(), "swmlist-bad-header.csv:1: the header must be"));
	assert_int_equal(cfg_swmlist_parse("x.csv", (const uint8_t *)"\r\n\r\n", 4, &l),
			 RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "x.csv: empty file"));
	assert_true(cfg_swmlist_load(BAD "no-such-file.csv", &l) < 0);
	assert_null(l);
	/* A header alone is a list of no rows. */
	static const char h[] =
	    "source,source_dn,target_smtp,target_dn,target_kind,recreate";
	assert_int_equal(cfg_swmlist_parse("h.csv", (const uint8_t *)h, strlen(h), &l),
			 RP_OK);
	assert_int_equal(l->n, 0);
	cfg_swmlist_free(l);
	rp_error_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_mixed),
	    cmocka_unit_test(test_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
