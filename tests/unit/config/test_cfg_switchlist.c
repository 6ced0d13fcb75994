/* Unit tests for the switch list CSV: good rows, each kind of malformed row
 * (kept per source, not fatal), header and file errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "config/cfg_switchlist.h"

#include <stdlib.h>
#include <string.h>

#define FIX RP_SOURCE_DIR "/tests/fixtures/config/"

static void test_good(void **state)
{
	(void)state;
	cfg_switchlist *l = NULL;
	const cfg_switch_entry *e;
	assert_int_equal(cfg_switchlist_load(FIX "switchlist-good.csv", &l), RP_OK);
	assert_int_equal(l->n, 3);
	assert_int_equal(l->nbad, 0);
	/* By SMTP, case-insensitively. */
	assert_int_equal(cfg_switchlist_lookup(l, "JDOE@source.LOCAL", NULL, &e, NULL),
			 CFG_SL_FOUND);
	assert_string_equal(e->target_smtp, "john.doe@target.com");
	assert_string_equal(e->target_legacy_dn,
			    "/o=Target/ou=Exchange Administrative Group "
			    "(FYDIBOHF23SPDLT)/cn=Recipients/cn=jdoe");
	assert_int_equal(e->kind, CFG_TARGET_EXCHANGE);
	assert_int_equal(e->line, 2);
	/* By legacyExchangeDN (quoted in the file), empty target DN. */
	assert_int_equal(
	    cfg_switchlist_lookup(
		l, "nobody@source.local",
		"/O=SOURCE/ou=First Administrative Group/cn=Recipients/cn=asmith", &e,
		NULL),
	    CFG_SL_FOUND);
	assert_string_equal(e->target_smtp, "anna.smith@target.onmicrosoft.com");
	assert_null(e->target_legacy_dn);
	assert_int_equal(e->kind, CFG_TARGET_O365);
	/* Quoted fields with "" and a capitalised kind. */
	assert_int_equal(cfg_switchlist_lookup(l, "room-1@source.local", NULL, &e, NULL),
			 CFG_SL_FOUND);
	assert_string_equal(e->target_legacy_dn, "/o=Target/cn=Recipients/cn=\"room 1\"");
	assert_int_equal(e->kind, CFG_TARGET_EXCHANGE);
	assert_int_equal(cfg_switchlist_lookup(l, "other@source.local", NULL, &e, NULL),
			 CFG_SL_NOT_LISTED);
	assert_null(e);
	assert_int_equal(cfg_switchlist_lookup(l, NULL, NULL, NULL, NULL),
			 CFG_SL_NOT_LISTED);
	cfg_switchlist_free(l);
}

struct want_bad {
	int line;
	const char *source;
	const char *reason;
};

static void test_mixed(void **state)
{
	(void)state;
	/* Line numbers counted by hand in switchlist-mixed.csv. */
	static const struct want_bad want[] = {
	    {4, "noat-source",
	     "source is neither an SMTP address nor a legacyExchangeDN"},
	    {5, "bad2@source.local", "target_smtp is not an SMTP address"},
	    {6, "bad3@source.local", "target_legacy_dn does not start with /o="},
	    {7, "bad4@source.local", "target_kind is not exchange or o365"},
	    {8, "bad5@source.local", "3 fields, expected 4"},
	    {9, "bad6@source.local", "5 fields, expected 4"},
	    {10, "bad7@source.local", "quote inside an unquoted field"},
	    {11, "bad8@source.local", "text after a closing quote"},
	    {16, "multi\nline@source.local",
	     "source is neither an SMTP address nor a legacyExchangeDN"},
	    {19, NULL, "unterminated quoted field"},
	    {13, "dup@source.local", "another target for this source at line 12"},
	};
	cfg_switchlist *l = NULL;
	const cfg_switch_entry *e;
	const cfg_switch_bad *b;
	size_t i;
	assert_int_equal(cfg_switchlist_load(FIX "switchlist-mixed.csv", &l), RP_OK);
	assert_int_equal(l->nbad, sizeof(want) / sizeof(*want));
	for (i = 0; i < l->nbad; i++) {
		assert_int_equal(l->bad[i].line, want[i].line);
		if (want[i].source)
			assert_string_equal(l->bad[i].source, want[i].source);
		else
			assert_null(l->bad[i].source);
		assert_string_equal(l->bad[i].reason, want[i].reason);
	}
	/* Rows around the bad ones still load. */
	assert_int_equal(cfg_switchlist_lookup(l, "good1@source.local", NULL, &e, NULL),
			 CFG_SL_FOUND);
	assert_int_equal(cfg_switchlist_lookup(l, "good2@source.local", NULL, &e, NULL),
			 CFG_SL_FOUND);
	assert_int_equal(e->line, 18);
	assert_int_equal(cfg_switchlist_lookup(l, "good3@source.local", NULL, &e, NULL),
			 CFG_SL_FOUND);
	assert_int_equal(e->line, 20);
	/* Identical duplicates are harmless. */
	assert_int_equal(cfg_switchlist_lookup(l, "same@source.local", NULL, &e, NULL),
			 CFG_SL_FOUND);
	/* A source named by a bad row is invalid, even with a good row too. */
	assert_int_equal(cfg_switchlist_lookup(l, "Dup@Source.local", NULL, &e, &b),
			 CFG_SL_INVALID);
	assert_null(e);
	assert_int_equal(b->line, 13);
	assert_int_equal(
	    cfg_switchlist_lookup(l, "x@y.com", "BAD4@source.local", NULL, &b),
	    CFG_SL_INVALID);
	assert_int_equal(b->line, 7);
	assert_int_equal(
	    cfg_switchlist_lookup(l, "unterminated@source.local", NULL, NULL, NULL),
	    CFG_SL_NOT_LISTED);
	cfg_switchlist_free(l);
}

static int parse(const char *text, cfg_switchlist **l)
{
	return cfg_switchlist_parse("s.csv", (const uint8_t *)text, strlen(text), l);
}

static void test_header_and_file_errors(void **state)
{
	(void)state;
	cfg_switchlist *l = NULL;
	assert_int_equal(
	    parse("\n\nsource,target_legacy_dn,target_smtp,target_kind\n", &l),
	    RP_EFORMAT);
	assert_null(l);
	assert_string_equal(rp_error_msg(),
			    "s.csv:3: the header must be "
			    "source,target_smtp,target_legacy_dn,target_kind");
	assert_int_equal(parse("source,target_smtp,target_legacy_dn\n", &l), RP_EFORMAT);
	assert_int_equal(parse("", &l), RP_EFORMAT);
	assert_string_equal(rp_error_msg(), "s.csv: empty file (no header line)");
	assert_int_equal(cfg_switchlist_load(FIX "missing.csv", &l), RP_ENOTFOUND);
	assert_non_null(strstr(rp_error_msg(), "missing.csv"));
	assert_non_null(strstr(rp_error_msg(), "switch list"));
	/* BOM, quoted header, LF only, no final newline. */
	assert_int_equal(
	    parse("\xEF\xBB\xBF\"source\",target_smtp,target_legacy_dn,target_kind\n"
		  "a@b.com,c@d.com,,o365",
		  &l),
	    RP_OK);
	assert_int_equal(l->n, 1);
	assert_int_equal(l->entries[0].line, 2);
	cfg_switchlist_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_mixed),
	    cmocka_unit_test(test_header_and_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
