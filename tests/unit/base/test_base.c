/* Unit tests for src/base: errors, buffers, cursor, UTF conversion, JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_cur.h"
#include "base/rp_err.h"
#include "base/rp_json.h"
#include "base/rp_sha256.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>

static void test_error_wrap(void **state)
{
	(void)state;
	int rc = rp_error_set(RP_EFORMAT, "value '%s' cut short", "001f6641");
	assert_int_equal(rc, RP_EFORMAT);
	rp_error_wrap(rc, "%s: key %s", "a.reg", "Profiles\\X");
	assert_string_equal(rp_error_msg(),
			    "a.reg: key Profiles\\X: value '001f6641' cut short");
}

static void test_cursor_bounds(void **state)
{
	(void)state;
	const uint8_t d[] = {1, 0, 0, 0, 'a', 'b', 0, 'c'};
	rp_cur c;
	uint32_t v;
	const char *s;
	size_t n;
	rp_cur_init(&c, d, sizeof(d));
	assert_int_equal(rp_cur_u32(&c, &v, "flags"), RP_OK);
	assert_int_equal(v, 1);
	assert_int_equal(rp_cur_cstr(&c, &s, &n, "name"), RP_OK);
	assert_int_equal(n, 2);
	assert_memory_equal(s, "ab", 2);
	assert_int_equal(rp_cur_u32(&c, &v, "tail"), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "tail cut short at offset 7"));
	assert_int_equal(rp_cur_cstr(&c, &s, &n, "last"), RP_EFORMAT);
}

static void test_utf_roundtrip_lossless(void **state)
{
	(void)state;
	/* "Ü", a surrogate pair (U+1F600) and a lone high surrogate. */
	const uint8_t w[] = {0xDC, 0x00, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xD8, 0x41, 0x00};
	char *u8 = NULL;
	rp_buf b = RP_BUF_INIT;
	assert_int_equal(rp_utf16le_to_utf8(w, sizeof(w), &u8), RP_OK);
	assert_int_equal(rp_utf8_to_utf16le(u8, strlen(u8), &b, false), RP_OK);
	assert_int_equal(b.len, sizeof(w));
	assert_memory_equal(b.data, w, sizeof(w));
	free(u8);
	rp_buf_free(&b);
	assert_int_equal(rp_utf16le_to_utf8(w, 3, &u8), RP_EFORMAT);
}

static void test_name_cmp(void **state)
{
	(void)state;
	assert_true(rp_name_eq("9375CFF0413111d3B88A00104B2A6676",
			       "9375cff0413111d3b88a00104b2a6676"));
	assert_true(rp_name_eq("Outlook Ärger", "OUTLOOK äRGER"));
	assert_true(rp_name_eq("Профиль", "ПРОФИЛЬ"));
	assert_false(rp_name_eq("abc", "abd"));
	assert_false(rp_name_eq("abc", "abcd"));
}

static void test_hex(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	char *h;
	assert_int_equal(rp_unhex("0a,FF 10", &b), RP_OK);
	assert_int_equal(b.len, 3);
	h = rp_hex(b.data, b.len);
	assert_string_equal(h, "0aff10");
	free(h);
	rp_buf_free(&b);
	assert_int_equal(rp_unhex("0g", &b), RP_EFORMAT);
	rp_buf_free(&b);
}

static void test_json_layout(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	rp_json j;
	rp_json_init(&j, &b);
	rp_json_obj_begin(&j);
	rp_json_kstr(&j, "name", "a\"b\n");
	rp_json_key(&j, "list");
	rp_json_arr_begin(&j);
	rp_json_int(&j, -1);
	rp_json_bool(&j, true);
	rp_json_arr_end(&j);
	rp_json_key(&j, "empty");
	rp_json_obj_begin(&j);
	rp_json_obj_end(&j);
	rp_json_obj_end(&j);
	assert_int_equal(rp_json_finish(&j), RP_OK);
	rp_buf_u8(&b, 0);
	assert_string_equal((char *)b.data,
			    "{\n  \"name\": \"a\\\"b\\n\",\n  \"list\": [\n"
			    "    -1,\n    true\n  ],\n  \"empty\": {}\n}\n");
	rp_buf_free(&b);
}

/* FIPS 180-4 examples (one block, two blocks) and the empty string. */
static void test_sha256(void **state)
{
	static const char two[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65];
	char *big = malloc(1000000);
	(void)state;
	rp_sha256_hex("", 0, hex);
	assert_string_equal(
	    hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	rp_sha256_hex("abc", 3, hex);
	assert_string_equal(
	    hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	rp_sha256_hex(two, sizeof(two) - 1, hex);
	assert_string_equal(
	    hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_non_null(big);
	memset(big, 'a', 1000000);
	rp_sha256_hex(big, 1000000, hex);
	assert_string_equal(
	    hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_error_wrap),
	    cmocka_unit_test(test_cursor_bounds),
	    cmocka_unit_test(test_utf_roundtrip_lossless),
	    cmocka_unit_test(test_name_cmp),
	    cmocka_unit_test(test_hex),
	    cmocka_unit_test(test_json_layout),
	    cmocka_unit_test(test_sha256),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
