/* Unit tests for the INI reader: syntax, encodings, duplicates, list
 * sections, errors naming file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "config/cfg_ini.h"

#include <stdlib.h>
#include <string.h>

#define FIX RP_SOURCE_DIR "/tests/fixtures/config/"

static cfg_ini *parse_ok(const char *text, const char *const *lists)
{
	cfg_ini *ini = NULL;
	int rc = cfg_ini_parse("t.ini", (const uint8_t *)text, strlen(text), lists, &ini);
	if (rc != RP_OK)
		fail_msg("parse failed: %s", rp_error_msg());
	return ini;
}

static void parse_err(const char *text, const char *msg)
{
	cfg_ini *ini = NULL;
	int rc = cfg_ini_parse("t.ini", (const uint8_t *)text, strlen(text), NULL, &ini);
	assert_int_equal(rc, RP_EFORMAT);
	assert_null(ini);
	assert_string_equal(rp_error_msg(), msg);
}

static void test_syntax(void **state)
{
	(void)state;
	cfg_ini *ini = parse_ok("; comment\n"
				"# another comment\n"
				"  [ parameters ]  \n"
				"  Features =  Delegates Rules  \n"
				"URL=https://x/a?b=c&d=e\n"
				"Quoted=\" spaced value \"\n"
				"Single='x'\n"
				"Half=\"x\n"
				"Empty=\n"
				"Body=a;b#c\n"
				"Remove Nicks\n"
				"[Admin notification]\n"
				"Attach log = statistics\n",
				NULL);
	const cfg_ini_section *s = cfg_ini_section_find(ini, "PARAMETERS");
	assert_non_null(s);
	assert_string_equal(s->name, "parameters");
	assert_int_equal(s->line, 3);
	assert_string_equal(cfg_ini_value(ini, "Parameters", "FEATURES"),
			    "Delegates Rules");
	assert_string_equal(cfg_ini_value(ini, "parameters", "url"),
			    "https://x/a?b=c&d=e");
	assert_string_equal(cfg_ini_value(ini, "Parameters", "Quoted"), " spaced value ");
	assert_string_equal(cfg_ini_get(s, "Quoted")->raw, "\" spaced value \"");
	assert_string_equal(cfg_ini_value(ini, "Parameters", "Single"), "x");
	assert_string_equal(cfg_ini_value(ini, "Parameters", "Half"), "\"x");
	assert_string_equal(cfg_ini_value(ini, "Parameters", "Empty"), "");
	/* No inline comments: ';' and '#' belong to the value. */
	assert_string_equal(cfg_ini_value(ini, "Parameters", "Body"), "a;b#c");
	/* A line without '=' is a bare entry. */
	assert_null(s->entries[s->n - 1].key);
	assert_string_equal(s->entries[s->n - 1].value, "Remove Nicks");
	assert_int_equal(s->entries[s->n - 1].line, 11);
	/* Key names may contain blanks ("Attach log"). */
	assert_string_equal(cfg_ini_value(ini, "admin NOTIFICATION", "attach LOG"),
			    "statistics");
	assert_null(cfg_ini_value(ini, "Parameters", "Missing"));
	assert_null(cfg_ini_value(ini, "Missing", "x"));
	assert_int_equal(ini->nwarn, 0);
	assert_string_equal(ini->encoding, "UTF-8");
	cfg_ini_free(ini);
}

/* Expected values as GetPrivateProfileStringA returns them under Wine for
 * the same file: first key wins, a repeated [p] section is not read. */
static void test_duplicates_first_wins(void **state)
{
	(void)state;
	cfg_ini *ini =
	    parse_ok("[P]\nSilent=1\nsilent=0\n[Q]\nx=1\n[p]\nSILENT=2\ny=3\n", NULL);
	const cfg_ini_section *p = cfg_ini_section_find(ini, "P");
	assert_int_equal(ini->nsecs, 2);
	assert_string_equal(cfg_ini_value(ini, "P", "Silent"), "1");
	assert_null(cfg_ini_value(ini, "P", "y"));
	assert_int_equal(p->n, 2);
	assert_true(p->entries[1].dup);
	assert_int_equal(ini->nwarn, 2);
	assert_string_equal(ini->warnings[0],
			    "t.ini:3: [P] silent repeated; the value of line 2 is used");
	assert_string_equal(ini->warnings[1],
			    "t.ini:6: [p] repeated (first at line 1); its "
			    "lines are ignored, as Windows does");
	cfg_ini_free(ini);
}

/* A duplicate after the entry array has grown (regression: a pointer to
 * the first entry was used after the array moved; found by fuzz_ini). */
static void test_duplicate_after_growth(void **state)
{
	(void)state;
	cfg_ini *ini =
	    parse_ok("[P]\na=1\nb=1\nc=1\nd=1\ne=1\nf=1\ng=1\nh=1\na=2\n", NULL);
	assert_string_equal(cfg_ini_value(ini, "P", "a"), "1");
	assert_int_equal(ini->nwarn, 1);
	assert_string_equal(ini->warnings[0],
			    "t.ini:10: [P] a repeated; the value of line 2 is used");
	cfg_ini_free(ini);
}

static void test_list_sections(void **state)
{
	(void)state;
	static const char *const lists[] = {"Mailboxes", NULL};
	cfg_ini *ini = parse_ok(
	    "[Settings]\nSrcExchServer=Source\n[mailboxes]\n"
	    "/o=Org/ou=Exchange Administrative Group (X)/cn=Recipients/cn=Room-1\n"
	    "\n; comment\n/o=Org/cn=Room-2\n",
	    lists);
	const cfg_ini_section *m = cfg_ini_section_find(ini, "Mailboxes");
	assert_true(m->list);
	assert_false(cfg_ini_section_find(ini, "Settings")->list);
	assert_int_equal(m->n, 2);
	assert_null(m->entries[0].key);
	assert_string_equal(
	    m->entries[0].value,
	    "/o=Org/ou=Exchange Administrative Group (X)/cn=Recipients/cn=Room-1");
	assert_string_equal(m->entries[1].value, "/o=Org/cn=Room-2");
	assert_int_equal(m->entries[1].line, 7);
	cfg_ini_free(ini);
}

static void test_line_ends_and_bom(void **state)
{
	(void)state;
	cfg_ini *ini = parse_ok("\xEF\xBB\xBF[A]\r\nx=1\ry=2\nz=3\r\n\r\nw=4", NULL);
	const cfg_ini_section *a = cfg_ini_section_find(ini, "A");
	assert_string_equal(ini->encoding, "UTF-8 BOM");
	assert_string_equal(cfg_ini_value(ini, "A", "x"), "1");
	assert_string_equal(cfg_ini_value(ini, "A", "y"), "2");
	assert_int_equal(cfg_ini_get(a, "y")->line, 3);
	assert_int_equal(cfg_ini_get(a, "z")->line, 4);
	assert_int_equal(cfg_ini_get(a, "w")->line, 6);
	cfg_ini_free(ini);
}

static void test_long_body(void **state)
{
	(void)state;
	size_t n = 200000, i;
	char *t = malloc(n + 64);
	cfg_ini *ini;
	strcpy(t, "[Admin notification]\nBody=");
	i = strlen(t);
	memset(t + i, 'x', n);
	strcpy(t + i + n, "\n");
	ini = parse_ok(t, NULL);
	assert_int_equal(strlen(cfg_ini_value(ini, "Admin notification", "Body")), n);
	cfg_ini_free(ini);
	free(t);
}

static void test_utf16le_fixture(void **state)
{
	(void)state;
	cfg_ini *ini = NULL;
	assert_int_equal(cfg_ini_load(FIX "utf16le-bom.ini", NULL, &ini), RP_OK);
	assert_string_equal(ini->encoding, "UTF-16LE");
	assert_string_equal(cfg_ini_value(ini, "Parameters", "Skip"), "Nicks");
	/* "à" U+00E0 and "€" U+20AC in UTF-8. */
	assert_string_equal(cfg_ini_value(ini, "Admin notification", "Subject"),
			    "Profil %P mis \xC3\xA0 jour \xE2\x82\xAC");
	assert_int_equal(
	    cfg_ini_get(cfg_ini_section_find(ini, "Admin notification"), "Subject")->line,
	    7);
	cfg_ini_free(ini);
}

static void test_utf16_without_bom_and_be(void **state)
{
	(void)state;
	/* "[A]\nk=v" as UTF-16LE without a BOM, then UTF-16BE with one. */
	const uint8_t le[] = {'[', 0, 'A', 0, ']', 0, '\n', 0, 'k', 0, '=', 0, 'v', 0};
	const uint8_t be[] = {0xFE, 0xFF, 0, '[', 0, 'A', 0, ']',
			      0,    '\n', 0, 'k', 0, '=', 0, 'v'};
	cfg_ini *ini = NULL;
	assert_int_equal(cfg_ini_parse("le.ini", le, sizeof(le), NULL, &ini), RP_OK);
	assert_string_equal(cfg_ini_value(ini, "A", "k"), "v");
	cfg_ini_free(ini);
	assert_int_equal(cfg_ini_parse("be.ini", be, sizeof(be), NULL, &ini), RP_OK);
	assert_string_equal(ini->encoding, "UTF-16BE");
	assert_string_equal(cfg_ini_value(ini, "A", "k"), "v");
	cfg_ini_free(ini);
	assert_int_equal(cfg_ini_parse("odd.ini", le, sizeof(le) - 1, NULL, &ini),
			 RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "odd.ini"));
}

static void test_ansi_fixture(void **state)
{
	(void)state;
	cfg_ini *ini = NULL;
	assert_int_equal(cfg_ini_load(FIX "ansi-1252.ini", NULL, &ini), RP_OK);
	assert_string_equal(ini->encoding, "Windows-1252");
	/* 0xE0 -> U+00E0, 0x80 -> U+20AC (CP1252.TXT). */
	assert_string_equal(cfg_ini_value(ini, "Admin notification", "Subject"),
			    "Profil %P mis \xC3\xA0 jour \xE2\x82\xAC");
	cfg_ini_free(ini);
}

static void test_errors(void **state)
{
	(void)state;
	parse_err("x=1\n", "t.ini:1: line outside any [section]");
	parse_err("; c\n[A\n", "t.ini:2: section header without ']'");
	parse_err("[A] junk\n", "t.ini:1: text after the section header");
	parse_err("[ ]\n", "t.ini:1: empty section name");
	parse_err("[A]\n =1\n", "t.ini:2: [A] '=' without a key name");
	{
		const uint8_t nul[] = {'[', 'A', ']', '\n', 'k', 0, '\n'};
		cfg_ini *ini = NULL;
		assert_int_equal(cfg_ini_parse("n.ini", nul, sizeof(nul), NULL, &ini),
				 RP_EFORMAT);
		assert_non_null(strstr(rp_error_msg(), "n.ini"));
	}
	{
		cfg_ini *ini = NULL;
		assert_int_equal(cfg_ini_load(FIX "no-such.ini", NULL, &ini),
				 RP_ENOTFOUND);
		assert_non_null(strstr(rp_error_msg(), "no-such.ini"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_syntax),
	    cmocka_unit_test(test_duplicates_first_wins),
	    cmocka_unit_test(test_duplicate_after_growth),
	    cmocka_unit_test(test_list_sections),
	    cmocka_unit_test(test_line_ends_and_bom),
	    cmocka_unit_test(test_long_body),
	    cmocka_unit_test(test_utf16le_fixture),
	    cmocka_unit_test(test_utf16_without_bom_and_be),
	    cmocka_unit_test(test_ansi_fixture),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
