/* The run record (rpt_record.h): what goes where in schema 1, messages
 * owned by the profile being handled, bulk names, a NULL record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "report/rpt_record.h"

#include <string.h>

/* The record as a NUL-terminated string (freed by the caller's rp_buf). */
static const char *doc(const rpt_record *r, int exit_code, rp_buf *b)
{
	assert_int_equal(rpt_record_write(r, exit_code, b), RP_OK);
	assert_int_equal(rp_buf_u8(b, 0), RP_OK);
	return (const char *)b->data;
}

/* needle occurs in hay after the first occurrence of after. */
static void assert_after(const char *hay, const char *after, const char *needle)
{
	const char *a = strstr(hay, after);
	assert_non_null(a);
	assert_non_null(strstr(a, needle));
}

static void test_run_and_profile(void **state)
{
	rpt_record *r =
	    rpt_record_new("PC042", "bob", "2026-11-18T11:06:40Z", "1.2.3", "update");
	rpt_feature f = {"AddBoxes", "process", "done", "1 found", true, 1, 1, 0, 0};
	rp_buf b = RP_BUF_INIT;
	const char *s;
	size_t mark;
	(void)state;
	assert_non_null(r);
	rpt_record_message(r, "Info", "not kept");
	rpt_record_message(r, "Trace", "not kept either");
	rpt_record_message(r, "Warning", "run warning");
	mark = rpt_record_mark(r);
	assert_int_equal(mark, 1);
	rpt_record_message(r, "TraceW", "HTTP status code 401 (Unauthorized) received.");
	rpt_record_message(r, "Error", "Cannot get the target mailbox");
	rpt_record_addresses(r, NULL, "Outlook", "a@source.example", "a@target.example");
	rpt_record_feature(r, NULL, "Outlook", &f);
	rpt_record_profile_done(r, NULL, "Outlook", "16.0", 42, mark);
	rpt_record_profile(r, NULL, "Outlook", 4, 0);
	rpt_record_message(r, "Error", "Nothing was saved");
	s = doc(r, 4 | 2, &b);
	assert_non_null(strstr(s, "\"schema\": 1,\n"));
	assert_non_null(strstr(s, "\"host\": \"PC042\""));
	assert_non_null(strstr(s, "\"exit_code\": 6,"));
	assert_non_null(
	    strstr(s, "\"exit_bits\": \"CPUU_NO_SWITCH_MSG|CPUU_SWITCH_ERR\""));
	assert_non_null(strstr(s, "\"complete\": true"));
	assert_null(strstr(s, "not kept"));
	assert_non_null(strstr(s, "\"status\": 4,\n"));
	assert_non_null(strstr(s, "\"status_name\": \"PROFILE_NOT_RESOLVED\""));
	assert_non_null(strstr(s, "\"previous_name\": \"PROFILE_WAS_NOT_PROCESSED\""));
	assert_non_null(strstr(s, "\"duration_ms\": 42,"));
	assert_non_null(strstr(s, "\"outlook\": \"16.0\","));
	assert_non_null(strstr(s, "\"critical\": true"));
	/* The profile's own error is under it; the others are the run's,
	 * written after the profiles. */
	assert_after(s, "\"name\": \"Outlook\"", "Cannot get the target mailbox");
	assert_after(s, "\"name\": \"Outlook\"", "\"level\": \"TraceW\"");
	assert_true(strstr(s, "401 (Unauthorized)") < strstr(s, "Cannot get the target"));
	assert_after(s, "\"profiles\"", "run warning");
	assert_true(strstr(s, "Cannot get the target") < strstr(s, "run warning"));
	assert_true(strstr(s, "Cannot get the target") < strstr(s, "Nothing was saved"));
	rp_buf_free(&b);
	rpt_record_free(r);
}

/* Bulk mode: two hives with a profile of the same name stay two profiles;
 * a name that is not UTF-8 is written as \ufffd, never as raw bytes. */
static void test_bulk_names(void **state)
{
	rpt_record *r = rpt_record_new("h", "u", "t", "v", "rollback");
	rp_buf b = RP_BUF_INIT;
	const char *s;
	(void)state;
	rpt_record_profile(r, "C:\\Users\\a\\NTUSER.DAT", "Outlook", 12, 10);
	rpt_record_profile(r, "C:\\Users\\b\\NTUSER.DAT", "Outlook", 13, 10);
	rpt_record_profile(r, NULL, "bad\xff", 3, 0);
	s = doc(r, 4, &b);
	assert_non_null(
	    strstr(s, "\"name\": \"C:\\\\Users\\\\a\\\\NTUSER.DAT\\\\Outlook\""));
	assert_non_null(
	    strstr(s, "\"name\": \"C:\\\\Users\\\\b\\\\NTUSER.DAT\\\\Outlook\""));
	assert_non_null(strstr(s, "PROFILE_RESTORE_FAILED"));
	assert_non_null(strstr(s, "\"name\": \"bad\\ufffd\""));
	assert_null(strstr(s, "\xff"));
	rp_buf_free(&b);
	rpt_record_free(r);
}

/* Timings: summed per phase, only the phases timed, after duration_ms;
 * a profile never timed has no "timings". */
static void test_timings(void **state)
{
	rpt_record *r = rpt_record_new("h", "u", "t", "v", "update");
	rp_buf b = RP_BUF_INIT;
	const char *s;
	(void)state;
	rpt_record_time(r, NULL, "Outlook", RPT_T_REGISTRY, 3);
	rpt_record_time(r, NULL, "Outlook", RPT_T_AUTODISCOVER, 250);
	rpt_record_time(r, NULL, "Outlook", RPT_T_REGISTRY, 4);
	rpt_record_time(r, NULL, "Outlook", RPT_T_COUNT, 99); /* not a phase: ignored */
	rpt_record_profile_done(r, NULL, "Outlook", "16.0", 260, rpt_record_mark(r));
	rpt_record_profile(r, NULL, "Outlook", 10, 0);
	rpt_record_profile(r, NULL, "Other", 0, 0);
	s = doc(r, 1, &b);
	assert_non_null(strstr(s, "\"duration_ms\": 260,\n      \"timings\": {\n"
				  "        \"autodiscover_ms\": 250,\n"
				  "        \"registry_ms\": 7\n      },\n"));
	assert_null(strstr(s, "mailbox_ms"));
	assert_null(strstr(s, "99"));
	assert_null(strstr(strstr(s, "\"name\": \"Other\""), "timings"));
	rp_buf_free(&b);
	rpt_record_free(r);
}

/* No record (--dry-run, out of memory): every call is a no-op. */
static void test_null_record(void **state)
{
	rp_buf b = RP_BUF_INIT;
	(void)state;
	rpt_record_message(NULL, "Error", "x");
	rpt_record_profile(NULL, NULL, "p", 10, 0);
	rpt_record_addresses(NULL, NULL, "p", "a", "b");
	rpt_record_feature(NULL, NULL, "p", NULL);
	rpt_record_profile_done(NULL, NULL, "p", NULL, 1, rpt_record_mark(NULL));
	rpt_record_time(NULL, NULL, "p", RPT_T_MAILBOX, 1);
	assert_int_equal(rpt_record_write(NULL, 0, &b), RP_EINVAL);
	assert_int_equal(b.len, 0);
	rpt_record_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_run_and_profile),
	    cmocka_unit_test(test_bulk_names),
	    cmocka_unit_test(test_timings),
	    cmocka_unit_test(test_null_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
