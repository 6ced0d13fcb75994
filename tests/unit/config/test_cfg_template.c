/* Unit tests for log / CSV names, the CSV status row, notification texts and
 * the exit / status code tables. Expected values are worked out by hand from
 * the guide's descriptions (see each comment). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "config/cfg_codes.h"
#include "config/cfg_template.h"

#include <stdlib.h>
#include <string.h>

static const char *env[] = {"USERNAME=jdoe", "Path=C:\\Windows", "EMPTY=", NULL};

static char *expand(const char *t)
{
	cfg_name_ctx ctx = {"WS01",     2026, 11, 21, 7, 5, 9, cfg_env_list_lookup,
			    (void *)env};
	char *out = NULL;
	assert_int_equal(cfg_expand_name(t, &ctx, &out), RP_OK);
	return out;
}

#define EXPECT_NAME(tmpl, want)                                                          \
	do {                                                                             \
		char *got_ = expand(tmpl);                                               \
		assert_string_equal(got_, want);                                         \
		free(got_);                                                              \
	} while (0)

static void test_log_names(void **state)
{
	(void)state;
	/* The guide's default CPUU_#h_#d_#t.log: host, YYYYMMDD, HHMMSS. */
	EXPECT_NAME("CPUU_#h_#d_#t.log", "CPUU_WS01_20261121_070509.log");
	EXPECT_NAME(CFG_DEFAULT_LOG_TEMPLATE, "CPUU.log"); /* the -Log row */
	EXPECT_NAME("#H#D#T", "WS012026112107050"
			      "9");
	/* The guide's %username% examples; names are case-insensitive. */
	EXPECT_NAME("%username%_CPUU.log", "jdoe_CPUU.log");
	EXPECT_NAME("\\\\Servername\\Sharename\\%USERNAME%_CPUU.log",
		    "\\\\Servername\\Sharename\\jdoe_CPUU.log");
	EXPECT_NAME("%EMPTY%x", "x");
	/* Undefined: left as written and skipped whole, as Windows'
	 * ExpandEnvironmentStringsA does (observed under Wine with a mingw test
	 * program: "%NOPE%USERNAME%" -> "%NOPE%USERNAME%"). */
	EXPECT_NAME("%NOPE%_x.log", "%NOPE%_x.log");
	EXPECT_NAME("%NOPE%USERNAME%", "%NOPE%USERNAME%");
	EXPECT_NAME("%NOPE%%USERNAME%", "%NOPE%jdoe");
	EXPECT_NAME("100%", "100%");
	EXPECT_NAME("a%%b", "a%%b");
	EXPECT_NAME("#x#", "#x#");
	{
		cfg_name_ctx ctx = {NULL, 2026, 1, 2, 3, 4, 5, NULL, NULL};
		char *out;
		assert_int_equal(cfg_expand_name("%USERNAME%_#H_#D", &ctx, &out), RP_OK);
		assert_string_equal(out, "%USERNAME%__20260102");
		free(out);
	}
}

static void test_csv_names(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    {"CPUU_WS01_20261121_070509.log", "CPUU_WS01_20261121_070509.csv"},
	    {"x.LOG", "x.csv"},
	    {"noext", "noext.csv"},
	    {"\\\\srv\\share.d\\noext", "\\\\srv\\share.d\\noext.csv"},
	    {"/var/log.d/run.txt", "/var/log.d/run.csv"},
	    {"dir/.log", "dir/.log.csv"},
	    {"run.csv", "run.status.csv"},
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = cfg_csv_name(cases[i][0]);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

static void test_csv_row(void **state)
{
	(void)state;
	char *row =
	    cfg_csv_row("Outlook", PROFILE_MODIFYING_OK, PROFILE_WAS_NOT_PROCESSED);
	assert_string_equal(row, "Outlook\t10\t0\r\n");
	free(row);
	row = cfg_csv_row("a\tb\nc", PROFILE_RESTORE_OK, PROFILE_MODIFYING_OK);
	assert_string_equal(row, "a b c\t12\t10\r\n");
	free(row);
}

static void test_notify_expand(void **state)
{
	(void)state;
	cfg_notify_vars v = {true, "jdoe", "Outlook", "WS01", "07:05", "2026-11-21"};
	char *out;
	/* The guide's default subject. */
	assert_int_equal(cfg_notify_expand("%R: Profile %P on computer %H", &v, &out),
			 RP_OK);
	assert_string_equal(out, "UPDATED: Profile Outlook on computer WS01");
	free(out);
	v.updated = false;
	assert_int_equal(cfg_notify_expand("%r %u %p %h %t %d 100%% %x%", &v, &out),
			 RP_OK);
	assert_string_equal(out,
			    "NOT UPDATED jdoe Outlook WS01 07:05 2026-11-21 100% %x%");
	free(out);
	v.user = NULL;
	assert_int_equal(cfg_notify_expand("[%U]", &v, &out), RP_OK);
	assert_string_equal(out, "[]");
	free(out);
}

static void test_codes(void **state)
{
	(void)state;
	char buf[128];
	/* The guide's exit bit table. */
	assert_string_equal(cfg_exit_bit_name(0), "CPUU_CANNOT_START");
	assert_string_equal(cfg_exit_bit_name(16), "CPUU_GLOBAL_ERR");
	assert_string_equal(cfg_exit_bit_name(256),
			    "CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE");
	assert_string_equal(cfg_exit_bit_name(512), "CPUU_INVALID_SWITCH_MSG");
	assert_null(cfg_exit_bit_name(3));
	assert_null(cfg_exit_bit_name(1024));
	assert_non_null(cfg_exit_bit_desc(2));
	assert_string_equal(cfg_exit_code_names(1 | 4, buf, sizeof(buf)),
			    "CPUU_SUCCESS|CPUU_SWITCH_ERR");
	assert_string_equal(cfg_exit_code_names(0, buf, sizeof(buf)),
			    "CPUU_CANNOT_START");
	assert_string_equal(cfg_exit_code_names(512 | 1024, buf, sizeof(buf)),
			    "CPUU_INVALID_SWITCH_MSG|0x400");
	assert_string_equal(cfg_exit_code_names(1 | 2, buf, 16), "CPUU_SUCCESS");
	/* The guide's return code table, its spelling kept. */
	assert_string_equal(cfg_status_name(0), "PROFILE_WAS_NOT_PROCESSED");
	assert_string_equal(cfg_status_name(7), "PROFILE_HAS_NO_SEREVER");
	assert_string_equal(cfg_status_name(10), "PROFILE_MODIFYING_OK");
	assert_string_equal(cfg_status_name(24),
			    "PROFILE_NO_ACCOUNT_IS_ALLOWED_TO_SWITCH");
	assert_string_equal(cfg_status_desc(16),
			    "Cleanup operation was canceled by the user.");
	assert_null(cfg_status_name(25));
	assert_null(cfg_status_name(-1));
	assert_int_equal(cfg_status_from_name("profile_restore_failed"),
			 PROFILE_RESTORE_FAILED);
	assert_int_equal(cfg_status_from_name("PROFILE_X"), -1);
	/* SwitchResMB bits. */
	assert_string_equal(cfg_resmb_exit_bit_name(4), "RESMB_BAD_INI");
	assert_string_equal(cfg_resmb_exit_bit_desc(128),
			    "Unable to start CPUU for cleanup");
	assert_null(cfg_resmb_exit_bit_name(256));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_log_names), cmocka_unit_test(test_csv_names),
	    cmocka_unit_test(test_csv_row),   cmocka_unit_test(test_notify_expand),
	    cmocka_unit_test(test_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
