/* Unit tests for the CSV backend: RFC 4180 quoting, header-named columns,
 * case-insensitive keys, and malformed rows reported with their line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "directory/dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dir_resolver *open_ok(const char *text)
{
	dir_resolver *r = NULL;
	int rc = dir_open_csv_mem(text, strlen(text), "t.csv", &r);
	if (rc != RP_OK)
		fail_msg("open: %s", rp_error_msg());
	return r;
}

static void expect_bad(const char *text, const char *msg)
{
	dir_resolver *r = NULL;
	int rc = dir_open_csv_mem(text, strlen(text), "t.csv", &r);
	assert_int_equal(rc, RP_EFORMAT);
	assert_null(r);
	if (strcmp(rp_error_msg(), msg) != 0)
		fail_msg("message: got '%s', want '%s'", rp_error_msg(), msg);
}

static int look(dir_resolver *r, const char *key, dir_recipient *out)
{
	dir_source_key k;
	assert_int_equal(dir_key_parse(key, &k), RP_OK);
	return dir_lookup(r, &k, out);
}

static void test_quoting(void **state)
{
	/* BOM, CRLF, columns in another order, "" inside quotes, a comma and a
	 * line break inside a quoted field, a blank line */
	const char *csv =
	    "\xEF\xBB\xBF"
	    "kind,target_smtp,source,display_name\r\n"
	    "mailbox,a@t.example,a@s.example,\"Smith, Anna \"\"A\"\"\"\r\n"
	    "\r\n"
	    "dl,dl@t.example,\"X500:/o=S/ou=G (X)/cn=dl\",\"Two\nLines\"\r\n"
	    "contact,c@t.example,c@s.example,";
	dir_resolver *r = open_ok(csv);
	dir_recipient rec;
	(void)state;
	assert_int_equal(look(r, "A@S.EXAMPLE", &rec), RP_OK);
	assert_string_equal(rec.smtp, "a@t.example");
	assert_string_equal(rec.display_name, "Smith, Anna \"A\"");
	assert_int_equal(rec.kind, DIR_KIND_MAILBOX);
	assert_null(rec.legacy_dn);
	assert_null(rec.source_smtp);
	assert_int_equal(look(r, "/O=s/ou=g (x)/CN=DL", &rec), RP_OK);
	assert_string_equal(rec.display_name, "Two\nLines");
	assert_int_equal(rec.kind, DIR_KIND_DL);
	assert_int_equal(look(r, "c@s.example", &rec), RP_OK);
	assert_null(rec.display_name); /* empty field = absent */
	assert_int_equal(rec.kind, DIR_KIND_CONTACT);
	/* the same address as a legacyExchangeDN key does not match */
	assert_int_equal(look(r, "nobody@s.example", &rec), RP_ENOTFOUND);
	dir_close(r);
}

static void test_not_migrated_row(void **state)
{
	dir_resolver *r = open_ok("source,target_legacy_dn,target_smtp\n"
				  "/o=S/cn=dave,,\n"
				  "/o=S/cn=erin,/o=T/cn=erin,\n");
	dir_recipient rec;
	(void)state;
	assert_int_equal(look(r, "/o=S/cn=dave", &rec), RP_ENOTFOUND);
	assert_int_equal(look(r, "/o=s/cn=ERIN", &rec), RP_OK);
	assert_string_equal(rec.legacy_dn, "/o=T/cn=erin");
	assert_null(rec.smtp);
	assert_int_equal(rec.kind, DIR_KIND_UNKNOWN);
	dir_close(r);
}

static void test_header_only(void **state)
{
	dir_resolver *r = open_ok("source,target_smtp\n");
	dir_recipient rec;
	(void)state;
	assert_int_equal(look(r, "a@b", &rec), RP_ENOTFOUND);
	dir_close(r);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_bad("", "t.csv:1: empty file (expected a header line)");
	expect_bad("source,colour\n", "t.csv:1: unknown column 'colour'");
	expect_bad("source,target_smtp,SOURCE\n",
		   "t.csv:1: column 'SOURCE' appears twice");
	expect_bad(
	    "display_name,kind\n",
	    "t.csv:1: header needs 'source' and 'target_legacy_dn' or 'target_smtp'");
	expect_bad("source,target_smtp\na@s,a@t\nb@s\n",
		   "t.csv:3: expected 2 fields, found 1");
	expect_bad("source,target_smtp\na@s,a@t,x\n",
		   "t.csv:2: expected 2 fields, found 3");
	/* the record starts on line 2; its quoted field runs to the end */
	expect_bad("source,target_smtp\n\"a@s\n,a@t\n",
		   "t.csv:2: unterminated quoted field");
	expect_bad("source,target_smtp\n\"a@s\"x,a@t\n",
		   "t.csv:2: text after a closing quote");
	expect_bad("source,target_smtp\na\"b@s,a@t\n",
		   "t.csv:2: quote inside an unquoted field");
	/* line numbers count the line break inside the quoted name */
	expect_bad("source,target_smtp,display_name\n"
		   "a@s,a@t,\"A\nB\"\n"
		   "b@s,bt,B\n",
		   "t.csv:4: target_smtp 'bt' has no '@'");
	expect_bad("source,target_legacy_dn\na@s,o=T\n",
		   "t.csv:2: target_legacy_dn 'o=T' does not start with '/'");
	expect_bad("source,target_smtp\n,a@t\n", "t.csv:2: empty source");
	expect_bad("source,target_smtp\nnot-an-address,a@t\n",
		   "t.csv:2: column source: directory: 'not-an-address' is neither a "
		   "legacyExchangeDN (/o=...) nor an SMTP address");
	expect_bad(
	    "source,target_smtp,kind\na@s,a@t,room\n",
	    "t.csv:2: column kind: unknown recipient kind 'room' (expected mailbox, "
	    "dl, public_folder, contact, resource or unknown)");
	expect_bad("source,target_smtp\nA@s,a@t\nb@s,b@t\nsmtp:a@S,c@t\n",
		   "t.csv:4: duplicate source 'a@S' (also on line 2)");
	{
		static const char nul[] = "source,target_smtp\na@s,a\0@t\n";
		dir_resolver *r = NULL;
		assert_int_equal(dir_open_csv_mem(nul, sizeof(nul) - 1, "t.csv", &r),
				 RP_EFORMAT);
		assert_string_equal(rp_error_msg(), "t.csv:2: NUL byte in field");
	}
}

static void test_file(void **state)
{
	dir_resolver *r = NULL;
	dir_recipient rec;
	dir_stats st;
	(void)state;
	assert_int_equal(
	    dir_open_csv(RP_SOURCE_DIR "/tests/fixtures/directory/mapping.csv", &r),
	    RP_OK);
	assert_int_equal(
	    look(r,
		 "X500:/o=OldOrg/ou=First Administrative Group/cn=Recipients/"
		 "cn=asmith",
		 &rec),
	    RP_OK);
	assert_string_equal(rec.smtp, "alice@target.example");
	assert_string_equal(rec.source_smtp, "alice@source.example");
	assert_int_equal(look(r, "SMTP:ALICE@source.example", &rec), RP_OK);
	assert_int_equal(look(r, "alice@SOURCE.example", &rec), RP_OK);
	dir_get_stats(r, &st);
	assert_int_equal(st.searches, 0);
	assert_int_equal(st.lookups, 3);
	assert_int_equal(st.cache_hits, 1);
	dir_close(r);
	assert_int_equal(dir_open_csv("/nonexistent/map.csv", &r), RP_EIO);
	assert_non_null(strstr(rp_error_msg(), "/nonexistent/map.csv: cannot open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quoting),     cmocka_unit_test(test_not_migrated_row),
	    cmocka_unit_test(test_header_only), cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
