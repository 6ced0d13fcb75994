/* Unit tests for the live registry store (Windows build, run under Wine in
 * CI). Works under HKCU\Software\reprofile-test only, and removes it. The
 * expected bytes are written by hand (winnt.h type numbers, UTF-16LE). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "reg.h"

#include "base/rp_err.h"

#include <stdlib.h>
#include <string.h>

#define BASE "Software\\reprofile-test"

static int setup(void **state)
{
	reg_store *s;
	(void)state;
	if (reg_open_live(&s, NULL, REG_OPEN_WRITE) != RP_OK)
		return -1;
	(void)reg_delete_key(s, BASE); /* left over from an aborted run */
	reg_close(s);
	return 0;
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

static void test_write_read_delete(void **state)
{
	static const uint8_t sz[] = {'a', 0, 'b', 0, 0, 0};
	static const uint8_t multi[] = {'x', 0, 0, 0, 0, 0};
	static const uint8_t bin[] = {0, 1, 0xfe, 0xff};
	static const uint8_t q[] = {1, 2, 3, 4, 5, 6, 7, 8};
	reg_store *s, *t;
	reg_names n;
	char *u;
	reg_value v;
	(void)state;

	assert_int_equal(reg_open_live(&s, NULL, REG_OPEN_WRITE), RP_OK);
	assert_string_equal(reg_store_kind(s), "live");
	assert_int_equal(reg_create_key(s, BASE "\\Profiles\\Профиль\\Sub"), RP_OK);
	assert_int_equal(
	    reg_set_value(s, BASE "\\Profiles", "sz", REG_T_SZ, sz, sizeof(sz)), RP_OK);
	assert_int_equal(reg_set_value(s, BASE "\\Profiles", "multi", REG_T_MULTI_SZ,
				       multi, sizeof(multi)),
			 RP_OK);
	assert_int_equal(reg_set_value(s, BASE "\\Profiles", "bin", REG_T_BINARY, bin, 4),
			 RP_OK);
	assert_int_equal(reg_set_value(s, BASE "\\Profiles", "q", REG_T_QWORD, q, 8),
			 RP_OK);
	assert_int_equal(reg_set_dword(s, BASE "\\Profiles", "d", 0x12345678), RP_OK);
	assert_int_equal(reg_set_sz(s, BASE "\\Profiles\\профиль", "Имя", "Значение"),
			 RP_OK);
	assert_int_equal(reg_commit(s), RP_OK); /* no-op */
	reg_close(s);

	/* A second handle sees every write at once. */
	assert_int_equal(reg_open_live(&t, NULL, 0), RP_OK);
	expect_val(t, BASE "\\PROFILES", "SZ", REG_T_SZ, sz, sizeof(sz));
	expect_val(t, BASE "\\Profiles", "multi", REG_T_MULTI_SZ, multi, sizeof(multi));
	expect_val(t, BASE "\\Profiles", "bin", REG_T_BINARY, bin, 4);
	expect_val(t, BASE "\\Profiles", "q", REG_T_QWORD, q, 8);
	expect_val(t, BASE "\\Profiles", "d", REG_T_DWORD, "\x78\x56\x34\x12", 4);
	assert_int_equal(reg_list_subkeys(t, BASE "\\Profiles", &n), RP_OK);
	assert_int_equal(n.n, 1);
	assert_string_equal(n.v[0], "Профиль");
	reg_names_free(&n);
	assert_int_equal(reg_get_value(t, BASE "\\Profiles\\ПРОФИЛЬ", "имя", &v), RP_OK);
	assert_int_equal(reg_data_to_utf8(&v, &u), RP_OK);
	assert_string_equal(u, "Значение");
	free(u);
	reg_value_free(&v);
	/* Read-only handle refuses writes. */
	assert_int_equal(reg_set_dword(t, BASE, "x", 1), RP_EINVAL);
	reg_close(t);

	assert_int_equal(reg_open_live(&s, NULL, REG_OPEN_WRITE), RP_OK);
	assert_int_equal(reg_copy_tree(s, BASE "\\Profiles", BASE "\\Copy"), RP_OK);
	expect_val(s, BASE "\\Copy", "q", REG_T_QWORD, q, 8);
	assert_int_equal(reg_key_exists(s, BASE "\\Copy\\Профиль\\Sub"), RP_OK);
	assert_int_equal(reg_delete_value(s, BASE "\\Profiles", "sz"), RP_OK);
	assert_int_equal(reg_delete_value(s, BASE "\\Profiles", "sz"), RP_ENOTFOUND);
	assert_int_equal(reg_delete_key(s, BASE), RP_OK);
	assert_int_equal(reg_key_exists(s, BASE), RP_ENOTFOUND);
	reg_close(s);
}

static void test_bad_root(void **state)
{
	reg_store *s;
	(void)state;
	assert_int_equal(reg_open_live(&s, "HKEY_LOCAL_MACHINE\\X", 0), RP_EINVAL);
	assert_int_equal(reg_open_live(&s, "HKEY_USERS\\reprofile-no-such-hive", 0),
			 RP_ENOTFOUND);
	assert_non_null(strstr(rp_error_msg(), "reprofile-no-such-hive"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_write_read_delete),
	    cmocka_unit_test(test_bad_root),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
