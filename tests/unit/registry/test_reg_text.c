/* Unit tests for .reg text: the reader's dialects and the writer's layout.
 * Expected bytes are worked out by hand from the format: Windows-1252 and
 * UTF-16LE code units from the Unicode tables, regedit's 80-column hex
 * wrapping (first line "name"=hex: plus bytes up to 79 characters then "\",
 * continuation lines of two spaces and 25 bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "reg.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static reg_store *parse(const char *text, size_t len)
{
	reg_store *s = NULL;
	int rc = reg_open_regfile_mem(&s, text, len ? len : strlen(text), "t.reg");
	if (rc != RP_OK)
		fail_msg("parse: %s", rp_error_msg());
	return s;
}

static void expect_val(reg_store *s, const char *key, const char *name, uint32_t type,
		       const void *data, size_t len)
{
	reg_value v;
	int rc = reg_get_value(s, key, name, &v);
	if (rc != RP_OK)
		fail_msg("%s\\%s: %s", key, name, rp_error_msg());
	assert_int_equal(v.type, type);
	assert_int_equal(v.len, len);
	if (len)
		assert_memory_equal(v.data, data, len);
	reg_value_free(&v);
}

static void test_v5_syntax(void **state)
{
	/* Continuation with leading spaces, escapes, default value, every
	 * data form, a comment, a key outside HKCU, HKCU abbreviation. */
	static const char text[] = "Windows Registry Editor Version 5.00\r\n"
				   "\r\n"
				   "; a comment\r\n"
				   "[HKEY_CURRENT_USER\\Software\\A]\r\n"
				   "\"q\"=\"say \\\"hi\\\" C:\\\\dir\"\r\n"
				   "@=\"def\"\r\n"
				   "\"d\"=dword:0000002A\r\n"
				   "\"b\"=hex:01,02,\\\r\n"
				   "    03,\\\r\n"
				   "  04\r\n"
				   "\"e\"=hex(2):25,00,00,00\r\n"
				   "\"m\"=hex(7):61,00,00,00,00,00\r\n"
				   "\"qw\"=hex(b):ff,00,00,00,00,00,00,80\r\n"
				   "\"n\"=hex(0):\r\n"
				   "\"big\"=hex(ffff0000):0a\r\n"
				   "\"eq = sign\" = \"x\"\r\n"
				   "[HKEY_LOCAL_MACHINE\\Software\\Elsewhere]\r\n"
				   "\"z\"=\"z\"\r\n"
				   "[HKCU\\Software\\B]\r\n";
	static const uint8_t q[] = {'s', 0, 'a', 0, 'y', 0, ' ', 0, '"', 0, 'h',  0,
				    'i', 0, '"', 0, ' ', 0, 'C', 0, ':', 0, '\\', 0,
				    'd', 0, 'i', 0, 'r', 0, 0,   0};
	reg_store *s = parse(text, 0);
	reg_names n;
	(void)state;

	expect_val(s, "Software\\A", "q", REG_T_SZ, q, sizeof(q));
	expect_val(s, "Software\\A", "", REG_T_SZ, "d\0e\0f\0\0", 8);
	expect_val(s, "Software\\A", "d", REG_T_DWORD, "\x2a\0\0\0", 4);
	expect_val(s, "Software\\A", "b", REG_T_BINARY, "\1\2\3\4", 4);
	expect_val(s, "Software\\A", "e", REG_T_EXPAND_SZ, "%\0\0\0", 4);
	expect_val(s, "Software\\A", "m", REG_T_MULTI_SZ, "a\0\0\0\0\0", 6);
	expect_val(s, "Software\\A", "qw", REG_T_QWORD, "\xff\0\0\0\0\0\0\x80", 8);
	expect_val(s, "Software\\A", "n", REG_T_NONE, NULL, 0);
	expect_val(s, "Software\\A", "big", 0xffff0000u, "\x0a", 1);
	expect_val(s, "Software\\A", "eq = sign", REG_T_SZ, "x\0\0\0", 4);
	assert_int_equal(reg_list_subkeys(s, "Software", &n), RP_OK);
	assert_int_equal(n.n, 2); /* A and B; HKLM is not reachable */
	reg_names_free(&n);
	reg_close(s);
}

static void test_deletions(void **state)
{
	/* Deletions apply in file order to what the file built so far. */
	static const char text[] = "Windows Registry Editor Version 5.00\n"
				   "[HKEY_CURRENT_USER\\K\\Sub\\Deep]\n"
				   "[HKEY_CURRENT_USER\\K]\n"
				   "\"a\"=\"1\"\n"
				   "\"b\"=\"2\"\n"
				   "\"a\"=-\n"
				   "\"never\"=-\n"
				   "[-HKEY_CURRENT_USER\\K\\Sub]\n"
				   "\"ignored\"=\"after a key deletion\"\n"
				   "[-HKEY_CURRENT_USER\\Absent]\n";
	reg_store *s = parse(text, 0);
	reg_values v;
	(void)state;
	assert_int_equal(reg_list_values(s, "K", &v), RP_OK);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.v[0].name, "b");
	reg_values_free(&v);
	assert_int_equal(reg_key_exists(s, "K\\Sub"), RP_ENOTFOUND);
	reg_close(s);
}

static void test_regedit4_ansi(void **state)
{
	/* Windows-1252: 0xC4 = U+00C4 'Ä', 0x80 = U+20AC '€'. hex(2) data in
	 * REGEDIT4 is ANSI bytes, stored as UTF-16LE. */
	static const char text[] = "REGEDIT4\r\n\r\n"
				   "[HKEY_CURRENT_USER\\\xC4rger]\r\n"
				   "\"Preis\"=\"5\x80\"\r\n"
				   "\"x\"=hex(2):25,c4,00\r\n";
	static const uint8_t preis[] = {'5', 0, 0xAC, 0x20, 0, 0};
	static const uint8_t x[] = {'%', 0, 0xC4, 0, 0, 0};
	reg_store *s = parse(text, 0);
	(void)state;
	expect_val(s, "Ärger", "Preis", REG_T_SZ, preis, sizeof(preis));
	expect_val(s, "ärger", "x", REG_T_EXPAND_SZ, x, sizeof(x));
	reg_close(s);
}

static void test_utf16_and_utf8_bom(void **state)
{
	static const char u8[] = "Windows Registry Editor Version 5.00\r\n"
				 "[HKEY_CURRENT_USER\\Профиль]\r\n"
				 "\"Имя\"=\"Ω\"\r\n";
	rp_buf b = RP_BUF_INIT;
	reg_store *s;
	(void)state;

	/* UTF-16LE with BOM. */
	assert_int_equal(rp_buf_u16le(&b, 0xFEFF), RP_OK);
	assert_int_equal(rp_utf8_to_utf16le(u8, strlen(u8), &b, false), RP_OK);
	s = parse((const char *)b.data, b.len);
	expect_val(s, "профиль", "имя", REG_T_SZ, "\xa9\x03\0\0", 4);
	reg_close(s);
	rp_buf_free(&b);
	/* UTF-8 with BOM, and without. */
	assert_int_equal(rp_buf_puts(&b, "\xEF\xBB\xBF"), RP_OK);
	assert_int_equal(rp_buf_puts(&b, u8), RP_OK);
	s = parse((const char *)b.data, b.len);
	expect_val(s, "Профиль", "Имя", REG_T_SZ, "\xa9\x03\0\0", 4);
	reg_close(s);
	s = parse(u8, 0);
	expect_val(s, "Профиль", "Имя", REG_T_SZ, "\xa9\x03\0\0", 4);
	reg_close(s);
	rp_buf_free(&b);
}

static void expect_bad(const char *text, const char *want)
{
	reg_store *s = NULL;
	int rc = reg_open_regfile_mem(&s, text, strlen(text), "bad.reg");
	if (rc == RP_OK)
		fail_msg("accepted: %s", text);
	assert_null(s);
	if (!strstr(rp_error_msg(), want))
		fail_msg("message '%s' lacks '%s'", rp_error_msg(), want);
	assert_null(strchr(rp_error_msg(), '\n'));
}

static void test_malformed(void **state)
{
#define H "Windows Registry Editor Version 5.00\n"
	(void)state;
	expect_bad("", "bad.reg: empty file");
	expect_bad("REGEDIT5\n", "bad.reg:1: not a .reg file");
	expect_bad(H "[HKEY_CURRENT_USER\\A\n", "bad.reg:2: key line has no closing ']'");
	expect_bad(H "[NOWHERE\\A]\n",
		   "bad.reg:2: key 'NOWHERE\\A' is not under a known root");
	expect_bad(H "\"v\"=\"x\"\n", "bad.reg:2: value line before any [key]");
	expect_bad(H "[HKCU\\A]\n\"v\"=\"unterminated\n",
		   "bad.reg:3: unterminated value");
	expect_bad(H "[HKCU\\A]\n\"v=1\n", "bad.reg:3: unterminated value name");
	expect_bad(H "[HKCU\\A]\n\"v\"=hex:01,zz\n", "bad.reg:3: bad hex byte 'zz'");
	expect_bad(H "[HKCU\\A]\n\"v\"=hex:012\n", "bad.reg:3: bad hex byte '012'");
	expect_bad(H "[HKCU\\A]\n\"v\"=hex:01,,02\n", "bad.reg:3: bad hex byte ''");
	expect_bad(H "[HKCU\\A]\n\"v\"=hex:01 02\n", "bad.reg:3: expected ','");
	expect_bad(H "[HKCU\\A]\n\"v\"=hex:01,\\\n", "bad.reg:3: file ends inside");
	expect_bad(H "[HKCU\\A]\n\"v\"=hex(:01\n", "bad.reg:3: bad hex(N) type");
	expect_bad(H "[HKCU\\A]\n\"v\"=dword:123456789\n", "bad.reg:3: bad dword");
	expect_bad(H "[HKCU\\A]\n\"v\"=dword:\n", "bad.reg:3: bad dword");
	expect_bad(H "[HKCU\\A]\n\"v\"=word:1\n", "bad.reg:3: unrecognised value data");
	expect_bad(H "[HKCU\\A]\n\"v\"\"x\"\n", "bad.reg:3: expected '='");
	expect_bad(H "[HKCU\\A]\n\"v\"=\"x\" y\n",
		   "bad.reg:3: text after the closing quote");
	expect_bad(H "[HKCU\\A]\ngarbage\n", "bad.reg:3: unexpected text 'garbage'");
	expect_bad(H "[-HKEY_CURRENT_USER]\n", "bad.reg:2: cannot delete the root key");
	expect_bad(H "[HKCU\\A\\\\B]\n", "bad.reg:2: key 'HKCU\\A\\\\B' has an empty");
	expect_bad(H "[HKCU\\A]\n\"v\"=\"\xff\"\n", "bad.reg:3: invalid UTF-8");
#undef H
}

/* The writer's exact layout for a small tree, built by hand. */
static void test_writer_layout(void **state)
{
	static const char expect[] = "Windows Registry Editor Version 5.00\r\n"
				     "\r\n"
				     "[HKEY_CURRENT_USER\\S]\r\n"
				     "@=\"d\"\r\n"
				     "\"q\\\"\\\\\"=\"a\\\"b\"\r\n"
				     "\"emb\"=hex(1):61,00,00,00,62,00,00,00\r\n"
				     "\"nonul\"=hex(1):61,00\r\n"
				     "\"nl\"=hex(1):0a,00,00,00\r\n"
				     "\"dw\"=dword:0000012c\r\n"
				     "\"dw3\"=hex(4):01,02,03\r\n"
				     "\"e\"=hex(2):25,00,00,00\r\n"
				     "\"Bin\"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,"
				     "0d,0e,0f,10,11,12,13,14,15,16,\\\r\n"
				     "  "
				     "17,18,19,1a,1b,1c,1d,1e,1f,20,21,22,23,24,25,26,27,"
				     "28,29,2a,2b,2c,2d,2e,2f,\\\r\n"
				     "  30\r\n"
				     "\r\n"
				     "[HKEY_CURRENT_USER\\S\\Child]\r\n"
				     "\r\n";
	reg_store *s = NULL;
	uint8_t bin[49], *out;
	size_t len, i;
	char *u8;
	(void)state;
	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (uint8_t)i;
	assert_int_equal(
	    reg_open_regfile(&s, "test_reg_text.reg", REG_OPEN_WRITE | REG_OPEN_CREATE),
	    RP_OK);
	assert_int_equal(reg_create_key(s, "S\\Child"), RP_OK);
	assert_int_equal(reg_set_sz(s, "S", "", "d"), RP_OK);
	assert_int_equal(reg_set_sz(s, "S", "q\"\\", "a\"b"), RP_OK);
	assert_int_equal(reg_set_value(s, "S", "emb", REG_T_SZ, "a\0\0\0b\0\0\0", 8),
			 RP_OK);
	assert_int_equal(reg_set_value(s, "S", "nonul", REG_T_SZ, "a\0", 2), RP_OK);
	assert_int_equal(reg_set_value(s, "S", "nl", REG_T_SZ, "\n\0\0\0", 4), RP_OK);
	assert_int_equal(reg_set_dword(s, "S", "dw", 300), RP_OK);
	assert_int_equal(reg_set_value(s, "S", "dw3", REG_T_DWORD, "\1\2\3", 3), RP_OK);
	assert_int_equal(reg_set_value(s, "S", "e", REG_T_EXPAND_SZ, "%\0\0\0", 4),
			 RP_OK);
	assert_int_equal(reg_set_value(s, "S", "Bin", REG_T_BINARY, bin, sizeof(bin)),
			 RP_OK);
	assert_int_equal(reg_export_mem(s, "", &out, &len), RP_OK);
	assert_true(len > 2);
	assert_int_equal(out[0], 0xFF);
	assert_int_equal(out[1], 0xFE);
	assert_int_equal(rp_utf16le_to_utf8(out + 2, len - 2, &u8), RP_OK);
	assert_string_equal(u8, expect);
	free(u8);
	/* Commit writes the same image; reading it back gives the same tree. */
	assert_int_equal(reg_commit(s), RP_OK);
	reg_close(s);
	assert_int_equal(reg_open_regfile(&s, "test_reg_text.reg", 0), RP_OK);
	expect_val(s, "S", "emb", REG_T_SZ, "a\0\0\0b\0\0\0", 8);
	expect_val(s, "S", "nonul", REG_T_SZ, "a\0", 2);
	expect_val(s, "S", "nl", REG_T_SZ, "\n\0\0\0", 4);
	expect_val(s, "S", "dw3", REG_T_DWORD, "\1\2\3", 3);
	expect_val(s, "S", "Bin", REG_T_BINARY, bin, sizeof(bin));
	expect_val(s, "s", "Q\"\\", REG_T_SZ, "a\0\"\0b\0\0\0", 8);
	{
		uint8_t *again;
		size_t alen;
		assert_int_equal(reg_export_mem(s, "", &again, &alen), RP_OK);
		assert_int_equal(alen, len);
		assert_memory_equal(again, out, len);
		free(again);
	}
	free(out);
	reg_close(s);
	remove("test_reg_text.reg");
}

static void test_import_into_store(void **state)
{
	static const char text[] = "Windows Registry Editor Version 5.00\n"
				   "[-HKEY_CURRENT_USER\\Old]\n"
				   "[HKEY_CURRENT_USER\\Keep]\n"
				   "\"gone\"=-\n"
				   "\"new\"=dword:00000001\n"
				   "[HKEY_LOCAL_MACHINE\\X]\n"
				   "\"skip\"=\"me\"\n";
	reg_store *s = NULL;
	size_t skipped = 99;
	(void)state;
	assert_int_equal(
	    reg_open_regfile(&s, "test_reg_imp.reg", REG_OPEN_WRITE | REG_OPEN_CREATE),
	    RP_OK);
	assert_int_equal(reg_create_key(s, "Old\\Sub"), RP_OK);
	assert_int_equal(reg_create_key(s, "Keep"), RP_OK);
	assert_int_equal(reg_set_dword(s, "Keep", "gone", 5), RP_OK);
	assert_int_equal(reg_set_dword(s, "Keep", "stays", 6), RP_OK);
	assert_int_equal(
	    reg_import_regfile_mem(s, text, strlen(text), "imp.reg", &skipped), RP_OK);
	assert_int_equal(skipped, 2);
	assert_int_equal(reg_key_exists(s, "Old"), RP_ENOTFOUND);
	expect_val(s, "Keep", "new", REG_T_DWORD, "\1\0\0\0", 4);
	expect_val(s, "Keep", "stays", REG_T_DWORD, "\6\0\0\0", 4);
	assert_int_equal(reg_get_value(s, "Keep", "gone", &(reg_value){0}), RP_ENOTFOUND);
	/* A malformed file changes nothing. */
	assert_int_equal(reg_import_regfile_mem(s,
						"Windows Registry Editor Version 5.00\n"
						"[-HKEY_CURRENT_USER\\Keep]\n"
						"[HKCU\\Keep]\n\"x\"=hex:zz\n",
						80, "bad.reg", NULL),
			 RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "bad.reg:4"));
	assert_int_equal(reg_key_exists(s, "Keep"), RP_OK);
	reg_close(s);
	remove("test_reg_imp.reg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_v5_syntax),
	    cmocka_unit_test(test_deletions),
	    cmocka_unit_test(test_regedit4_ansi),
	    cmocka_unit_test(test_utf16_and_utf8_bom),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_writer_layout),
	    cmocka_unit_test(test_import_into_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
