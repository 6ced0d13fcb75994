/* The fleet report's aggregator (rpt_agg.h): records written by the real
 * writer (rpt_record.h) read back, the last state of a profile decided by
 * time not by reading order, the causes of the troubleshooting table, bad
 * records counted and named, and the JSON/CSV/HTML outputs (JSON checked
 * with jansson, the reader's own library). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "config/cfg_codes.h"
#include "platform/plat.h"
#include "report/rpt_agg.h"
#include "report/rpt_record.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One run of one profile, as rpt_record writes it. */
typedef struct run {
	const char *host, *user, *time, *mode, *profile;
	int status, exit_code;
	const char *error;   /* an Error line of the profile, or NULL */
	const char *feature; /* a feature row with status "done", or NULL */
	uint64_t ms;
	const char *trace; /* a TraceW line before the Error line, or NULL */
} run;

static void write_run(const run *r, rp_buf *out)
{
	rpt_record *rec = rpt_record_new(r->host, r->user, r->time, "0.1.0", r->mode);
	size_t mark;
	assert_non_null(rec);
	mark = rpt_record_mark(rec);
	if (r->trace)
		rpt_record_message(rec, "TraceW", r->trace);
	if (r->error)
		rpt_record_message(rec, "Error", r->error);
	if (r->feature) {
		rpt_feature f = {r->feature, "process", "done", "ok", false, 1, 1, 0, 0};
		rpt_record_feature(rec, NULL, r->profile, &f);
	}
	rpt_record_addresses(rec, NULL, r->profile, "a@source.example",
			     "a@target.example");
	rpt_record_profile_done(rec, NULL, r->profile, "16.0", r->ms, mark);
	rpt_record_profile(rec, NULL, r->profile, r->status, 0);
	out->len = 0;
	assert_int_equal(rpt_record_write(rec, r->exit_code, out), RP_OK);
	rpt_record_free(rec);
}

static void add(rpt_agg *a, const run *r, const char *path)
{
	rp_buf b = RP_BUF_INIT;
	write_run(r, &b);
	assert_int_equal(rpt_agg_add_record(a, path, (const char *)b.data, b.len), RP_OK);
	rp_buf_free(&b);
}

static json_t *as_json(const rpt_agg *a)
{
	rp_buf b = RP_BUF_INIT;
	json_error_t je;
	json_t *d;
	assert_int_equal(rpt_agg_write_json(a, &b), RP_OK);
	d = json_loadb((const char *)b.data, b.len, 0, &je);
	if (!d)
		fail_msg("the report's JSON does not parse: %s", je.text);
	rp_buf_free(&b);
	return d;
}

static int64_t jget(json_t *d, const char *path)
{
	/* "a.b.c": objects only */
	char buf[128], *k, *save = NULL;
	json_t *v = d;
	snprintf(buf, sizeof(buf), "%s", path);
	for (k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
		v = json_object_get(v, k);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", path);
	return (int64_t)json_integer_value(v);
}

static void test_classes(void **state)
{
	(void)state;
	assert_int_equal(rpt_status_class(PROFILE_MODIFYING_OK), RPT_SWITCHED);
	assert_int_equal(rpt_status_class(PROFILE_ALREADY_UPDATED), RPT_SWITCHED);
	assert_int_equal(rpt_status_class(PROFILE_CLEANUP_OK), RPT_SWITCHED);
	assert_int_equal(rpt_status_class(PROFILE_RESTORE_OK), RPT_ROLLED_BACK);
	assert_int_equal(rpt_status_class(PROFILE_MODIFYING_FAILED), RPT_FAILED);
	assert_int_equal(rpt_status_class(PROFILE_NOT_RESOLVED), RPT_FAILED);
	assert_int_equal(rpt_status_class(PROFILE_IS_UNABLE_OPEN_MAILBOX_STORE),
			 RPT_FAILED);
	assert_int_equal(rpt_status_class(PROFILE_WAS_NOT_PROCESSED), RPT_PENDING);
	assert_int_equal(rpt_status_class(PROFILE_IS_OFFLINE), RPT_PENDING);
	assert_int_equal(rpt_status_class(PROFILE_HAS_CFG_UI_LOCK), RPT_PENDING);
	assert_int_equal(rpt_status_class(99), RPT_PENDING);
}

static rpt_cause cause1(int status, const char *text)
{
	const char *t[1] = {text};
	return rpt_classify(status, t, text ? 1 : 0);
}

/* The guide's troubleshooting table's log lines, and reprofile's own. */
static void test_causes(void **state)
{
	(void)state;
	assert_int_equal(
	    cause1(4, "Custom result: 0xc01000cf, Description: HTTP status code "
		      "401 (Unauthorized) received."),
	    RPT_CAUSE_CREDENTIALS);
	assert_int_equal(
	    cause1(4, "WinHTTP result: 0x00002ee7, Description: The server name "
		      "or address could not be resolved"),
	    RPT_CAUSE_NETWORK);
	assert_int_equal(
	    cause1(4, "Cannot get an Autodiscover response on source. See logged "
		      "errors to resolve the issue."),
	    RPT_CAUSE_AUTODISCOVER);
	assert_int_equal(cause1(11, "LDAP search of the source directory failed"),
			 RPT_CAUSE_DIRECTORY);
	assert_int_equal(cause1(11, "Cannot open the target mailbox over MAPI/HTTP"),
			 RPT_CAUSE_MAILBOX);
	/* a legacyExchangeDN's cn=Recipients is not a directory failure */
	assert_int_equal(
	    cause1(18, "Cannot open the target mailbox 'user1@target.example': "
		       "Connect to https://mail.target.example/mapi/emsmdb/ as "
		       "'/o=Target Org/ou=Exchange Administrative Group "
		       "(FYDIBOHF23SPDLT)/cn=Recipients/cn=user2': ErrorCode 0x80070005 "
		       "(ecAccessDenied)"),
	    RPT_CAUSE_MAILBOX);
	/* no telling line: the status */
	assert_int_equal(cause1(18, NULL), RPT_CAUSE_MAILBOX);
	assert_int_equal(cause1(19, NULL), RPT_CAUSE_CREDENTIALS);
	assert_int_equal(cause1(4, NULL), RPT_CAUSE_AUTODISCOVER);
	assert_int_equal(cause1(22, "Not enough disk space"), RPT_CAUSE_OTHER);
	assert_string_equal(rpt_cause_name(RPT_CAUSE_NETWORK), "network");
}

static void test_time(void **state)
{
	int64_t t;
	(void)state;
	assert_true(rpt_parse_time("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t, 0);
	assert_true(rpt_parse_time("2026-11-18T11:06:40Z", &t));
	assert_int_equal(t, 1795000000);
	assert_true(rpt_parse_time("2026-11-18", &t));
	assert_int_equal(t, 1794960000);
	assert_true(rpt_parse_time("2024-02-29", &t));
	assert_false(rpt_parse_time("2026-13-01", &t));
	assert_false(rpt_parse_time("2026-11-18T11:06:40", &t));
	assert_false(rpt_parse_time("2026-11-18T11:06:40Z+", &t));
	assert_false(rpt_parse_time("2026-11-1", &t));
	assert_false(rpt_parse_time("", &t));
}

/* Two machines, three users, reruns and a rollback: each profile counts
 * once, by its newest run, whatever the order the files are read in. */
static void test_last_state(void **state)
{
	rpt_agg *a = rpt_agg_new(INT64_MIN);
	rpt_totals t;
	json_t *d, *f;
	run r1 = {"PC1",
		  "bob",
		  "2026-11-18T08:00:00Z",
		  "update",
		  "Outlook",
		  4,
		  4,
		  "Cannot get an Autodiscover response on target: HTTP status code 401",
		  NULL,
		  300,
		  NULL};
	run r2 = {"PC1",    "bob",     "2026-11-19T08:00:00Z",
		  "update", "Outlook", 10,
		  1,        NULL,      "AddBoxes",
		  900,      NULL};
	run r3 = {"PC1",    "ann",     "2026-11-18T09:00:00Z",
		  "update", "Outlook", 10,
		  1,        NULL,      "AddBoxes",
		  500,      NULL};
	run r4 = {"PC1",      "ann",     "2026-11-20T09:00:00Z",
		  "rollback", "Outlook", 12,
		  1,          NULL,      NULL,
		  100,        NULL};
	run r5 = {
	    "PC2", "eve", "2026-11-19T10:00:00Z", "update", "Outlook", 11, 4,
	    "Cannot get an Autodiscover response on source. See logged errors to "
	    "resolve the issue. Profile will not be processed.",
	    NULL, 7000,
	    /* the root cause is in the TraceW line: network, not Autodiscover */
	    "WinHTTP result: 0x00002ee7, Description: The server name or address could "
	    "not be resolved"};
	run r6 = {
	    "PC2", "eve", "2026-11-19T10:30:00Z", "update", "Archive", 0, 2, NULL, NULL,
	    10,    NULL};
	(void)state;
	assert_non_null(a);
	assert_int_equal(rpt_agg_expect(a, "PC1"), RP_OK);
	assert_int_equal(rpt_agg_expect(a, "PC9"), RP_OK);
	/* newest first: the older failure must not win */
	add(a, &r2, "share/r2.record.json");
	add(a, &r1, "share/r1.record.json");
	add(a, &r4, "share/r4.record.json");
	add(a, &r3, "share/r3.record.json");
	add(a, &r5, "share/r5.record.json");
	add(a, &r6, "share/r6.record.json");
	rpt_agg_totals(a, &t);
	assert_int_equal(t.files, 6);
	assert_int_equal(t.records, 6);
	assert_int_equal(t.skipped, 0);
	assert_int_equal(t.machines, 2);
	assert_int_equal(t.users, 3);
	assert_int_equal(t.profiles, 4);
	assert_int_equal(t.by_class[RPT_SWITCHED], 1);    /* bob */
	assert_int_equal(t.by_class[RPT_ROLLED_BACK], 1); /* ann */
	assert_int_equal(t.by_class[RPT_FAILED], 1);      /* eve's Outlook */
	assert_int_equal(t.by_class[RPT_PENDING], 1);     /* eve's Archive */
	assert_int_equal(t.runs_failed, 2);    /* exit 4 twice; 2 is not a failure */
	assert_int_equal(t.never_reported, 1); /* PC9 */

	d = as_json(a);
	assert_int_equal(jget(d, "headline.switched"), 1);
	assert_int_equal(jget(d, "headline.never_reported"), 1);
	assert_int_equal(jget(d, "failures.by_cause.credentials"),
			 1); /* bob's first run */
	assert_int_equal(jget(d, "failures.by_cause.network"), 1);
	assert_int_equal(jget(d, "runs_by_mode.rollback"), 1);
	/* days: 18th (2 switched... no: r3 switched, r1 failed), 19th, 20th */
	f = json_object_get(d, "days");
	assert_int_equal(json_array_size(f), 3);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(f, 0), "switches")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(f, 1), "switches")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(f, 2), "switches_total")),
	    2);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(f, 2), "rolled_back")), 1);
	/* still failing: eve's Outlook, with its last error and cause */
	f = json_object_get(d, "failing");
	assert_int_equal(json_array_size(f), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(f, 0), "user")), "eve");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(f, 0), "cause")), "network");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(f, 0), "error")),
	    "Cannot get an Autodiscover response on source. See logged errors to resolve "
	    "the "
	    "issue. Profile will not be processed.");
	/* slowest first; features counted per profile result */
	f = json_object_get(d, "slowest");
	assert_int_equal(json_array_size(f), 6);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(f, 0), "host")), "PC2");
	f = json_object_get(d, "features");
	assert_int_equal(json_array_size(f), 1);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(json_array_get(f, 0), "outcomes"), "done")),
			 2);
	f = json_object_get(d, "never_reported");
	assert_int_equal(json_array_size(f), 1);
	assert_string_equal(json_string_value(json_array_get(f, 0)), "PC9");
	json_decref(d);
	rpt_agg_free(a);
}

/* Every prefix of a good record is skipped as not valid JSON, never read
 * half; a future schema, wrong types, a bad time: skipped and named. */
static void test_bad_records(void **state)
{
	rpt_agg *a = rpt_agg_new(INT64_MIN);
	rp_buf b = RP_BUF_INIT;
	rpt_totals t;
	const char *p, *why;
	size_t n, i;
	run r = {
	    "PC1", "bob", "2026-11-18T08:00:00Z", "update", "Outlook", 10, 1, NULL, NULL,
	    1,     NULL};
	static const char *const bad[] = {
	    "{\"schema\": 2, \"host\": \"PC1\"}",
	    "[1, 2]",
	    "{\"schema\": \"1\"}",
	    "{\"schema\": 1, \"host\": \"h\", \"user\": \"u\", \"mode\": \"update\", "
	    "\"time\": "
	    "\"yesterday\", \"exit_code\": 1, \"duration_ms\": 1, \"profiles\": []}",
	    "{\"schema\": 1, \"host\": \"h\", \"user\": \"u\", \"mode\": \"update\", "
	    "\"time\": "
	    "\"2026-11-18T08:00:00Z\", \"exit_code\": 1, \"duration_ms\": 1, "
	    "\"profiles\": "
	    "[{\"name\": \"x\", \"status\": \"10\"}]}",
	    "{\"schema\": 1, \"host\": \"h\", \"user\": \"u\", \"mode\": \"update\", "
	    "\"time\": "
	    "\"2026-11-18T08:00:00Z\", \"exit_code\": 1, \"duration_ms\": -5, "
	    "\"profiles\": []}",
	    "{\"schema\": 1, \"schema\": 1}",
	    "",
	};
	(void)state;
	write_run(&r, &b);
	/* b ends in "}\n": every shorter prefix than the document is cut */
	for (n = 0; n + 1 < b.len; n++)
		assert_int_equal(
		    rpt_agg_add_record(a, "cut.record.json", (const char *)b.data, n),
		    RP_OK);
	rpt_agg_totals(a, &t);
	assert_int_equal(t.records, 0);
	assert_int_equal(t.skipped, b.len - 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
		    rpt_agg_add_record(a, "bad.record.json", bad[i], strlen(bad[i])),
		    RP_OK);
	rpt_agg_totals(a, &t);
	assert_int_equal(t.records, 0);
	assert_int_equal(t.skipped, b.len - 1 + i);
	assert_int_equal(t.machines, 0);
	assert_true(rpt_agg_skipped(a, 0, &p, &why));
	assert_string_equal(p, "cut.record.json");
	assert_non_null(strstr(why, "not valid JSON"));
	assert_true(rpt_agg_skipped(a, b.len - 1, &p, &why));
	assert_string_equal(why, "schema version 2 (this reader knows version 1)");
	assert_false(rpt_agg_skipped(a, b.len - 1 + i, &p, &why));
	/* and the whole record still counts afterwards */
	assert_int_equal(
	    rpt_agg_add_record(a, "ok.record.json", (const char *)b.data, b.len), RP_OK);
	rpt_agg_totals(a, &t);
	assert_int_equal(t.records, 1);
	rp_buf_free(&b);
	rpt_agg_free(a);
}

static void test_since(void **state)
{
	int64_t since;
	rpt_agg *a;
	rpt_totals t;
	run r1 = {
	    "PC1", "bob", "2026-11-18T23:59:59Z", "update", "Outlook", 4, 4, NULL, NULL,
	    1,     NULL};
	run r2 = {
	    "PC1", "bob", "2026-11-19T00:00:00Z", "update", "Outlook", 10, 1, NULL, NULL,
	    1,     NULL};
	(void)state;
	assert_true(rpt_parse_time("2026-11-19", &since));
	a = rpt_agg_new(since);
	add(a, &r1, "a.record.json");
	add(a, &r2, "b.record.json");
	rpt_agg_totals(a, &t);
	assert_int_equal(t.before_since, 1);
	assert_int_equal(t.records, 1);
	assert_int_equal(t.by_class[RPT_SWITCHED], 1);
	assert_int_equal(t.by_class[RPT_FAILED], 0);
	rpt_agg_free(a);
}

/* Names from the share go out escaped: HTML, CSV, and bytes that are not
 * UTF-8 as U+FFFD. */
static void test_outputs_escape(void **state)
{
	rpt_agg *a = rpt_agg_new(INT64_MIN);
	rp_buf b = RP_BUF_INIT;
	run r = {"PC<1>",
		 "bob",
		 "2026-11-18T08:00:00Z",
		 "update",
		 "Out,\"look\"",
		 11,
		 4,
		 "<script>alert(1)</script> could not be resolved",
		 NULL,
		 1,
		 NULL};
	const char *s;
	(void)state;
	add(a, &r, "share/\xff\xfe.record.json");
	assert_int_equal(rpt_agg_write_html(a, "now", &b), RP_OK);
	assert_int_equal(rp_buf_u8(&b, 0), RP_OK);
	s = (const char *)b.data;
	assert_null(strstr(s, "<script>alert"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(s, "PC&lt;1&gt;"));
	assert_non_null(strstr(s, "share/\xEF\xBF\xBD\xEF\xBF\xBD.record.json"));
	assert_non_null(strstr(s, "<b id=\"h-failed\">1</b>"));
	assert_non_null(strstr(s, "id=\"plot-switched\""));
	assert_null(strstr(s, "http://"));
	assert_null(strstr(s, "https://"));
	assert_null(strstr(s, " src="));
	b.len = 0;
	assert_int_equal(rpt_agg_write_csv(a, &b), RP_OK);
	assert_int_equal(rp_buf_u8(&b, 0), RP_OK);
	s = (const char *)b.data;
	assert_non_null(strstr(s, "section,key,name,value\r\n"));
	assert_non_null(strstr(s, "headline,,failed,1\r\n"));
	assert_non_null(strstr(s, "\"PC<1>\\bob\\Out,\"\"look\"\"\",status,11\r\n"));
	assert_non_null(strstr(s, "failure_cause,network,count,1\r\n"));
	rp_buf_free(&b);
	rpt_agg_free(a);
}

static char tmpdir[256];

static void put(const char *rel, const char *text)
{
	char p[512];
	FILE *f;
	snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
	assert_non_null(f = fopen(p, "wb"));
	fputs(text, f);
	fclose(f);
}

/* The folder walk: records only (by name), recursively, the size cap
 * before reading, a folder that cannot be listed, a name that is not
 * UTF-8. */
static void test_scan(void **state)
{
	rpt_agg *a = rpt_agg_new(INT64_MIN);
	rp_buf b = RP_BUF_INIT;
	rpt_totals t;
	char p[512];
	const char *sp, *why;
	size_t i;
	bool capped = false, unlisted = false;
	run r = {
	    "PC1", "bob", "2026-11-18T08:00:00Z", "update", "Outlook", 10, 1, NULL, NULL,
	    1,     NULL};
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/rpt_agg_XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(p, sizeof(p), "%s/sub", tmpdir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/locked", tmpdir);
	assert_int_equal(mkdir(p, 0), 0);
	write_run(&r, &b);
	assert_int_equal(rp_buf_u8(&b, 0), RP_OK);
	put("a.record.json", (const char *)b.data);
	put("sub/a.record-2.json", (const char *)b.data);
	put("sub/\xff.record.json", (const char *)b.data);
	put("sub/a.csv", "Outlook\t10\t0\r\n");
	put("sub/a.log", "not a record");
	put("sub/a.record-x.json", "not a record name");
	put("big.record.json",
	    "{\"schema\": 1, \"padding\": \"                          \"}");
	assert_int_equal(rpt_agg_scan(a, tmpdir, 40), RP_OK);
	rpt_agg_totals(a, &t);
	assert_int_equal(t.records, 0); /* every record is over 40 bytes */
	rpt_agg_free(a);

	a = rpt_agg_new(INT64_MIN);
	assert_int_equal(rpt_agg_scan(a, tmpdir, 50), RP_OK);
	for (i = 0; rpt_agg_skipped(a, i, &sp, &why); i++)
		if (strstr(sp, "big.record.json") && strstr(why, "over the size cap"))
			capped = true;
	assert_true(capped);
	rpt_agg_free(a);

	a = rpt_agg_new(INT64_MIN);
	assert_int_equal(rpt_agg_scan(a, tmpdir, 0), RP_OK);
	rpt_agg_totals(a, &t);
	assert_int_equal(t.records, 3); /* a, a.record-2, the non-UTF-8 name */
	assert_int_equal(t.profiles, 1);
	for (i = 0; rpt_agg_skipped(a, i, &sp, &why); i++)
		if (strstr(sp, "locked") && strstr(why, "cannot list the folder"))
			unlisted = true;
	/* root reads any folder: the scenario report.bad_input covers it as a user */
	if (geteuid() != 0)
		assert_true(unlisted);
	rpt_agg_free(a);
	rp_buf_free(&b);
	snprintf(p, sizeof(p), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classes),        cmocka_unit_test(test_causes),
	    cmocka_unit_test(test_time),           cmocka_unit_test(test_last_state),
	    cmocka_unit_test(test_bad_records),    cmocka_unit_test(test_since),
	    cmocka_unit_test(test_outputs_escape), cmocka_unit_test(test_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
