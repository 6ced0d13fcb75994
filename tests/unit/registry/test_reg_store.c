/* Unit tests for reg.h run against every file store of this build: the same
 * cases over a hive (native build) and a .reg file. Expected data is what
 * Windows stores for each type (winnt.h type numbers, UTF-16LE strings with
 * their terminator), written out by hand below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "reg.h"

#include "base/rp_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kind {
	const char *name;
	const char *file;
	int (*open)(reg_store **out, const char *path, unsigned flags);
};

static const struct kind kinds[] = {
#ifndef _WIN32
    {"hive", "test_reg_store.hiv", reg_open_hive},
#endif
    {"reg", "test_reg_store.reg", reg_open_regfile},
};

static reg_store *open_fresh(const struct kind *k)
{
	reg_store *s = NULL;
	remove(k->file);
	assert_int_equal(k->open(&s, k->file, REG_OPEN_WRITE | REG_OPEN_CREATE), RP_OK);
	return s;
}

static reg_store *reopen(const struct kind *k, unsigned flags)
{
	reg_store *s = NULL;
	int rc = k->open(&s, k->file, flags);
	if (rc != RP_OK)
		fail_msg("%s: reopen: %s", k->name, rp_error_msg());
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

/* UTF-16LE bytes, by hand. */
static const uint8_t sz_abc[] = {'a', 0, 'b', 0, 'c', 0, 0, 0};
static const uint8_t expand[] = {'%', 0, 'T', 0, '%', 0, 0, 0};
static const uint8_t multi[] = {'x', 0, 0, 0, 'y', 0, 'z', 0, 0, 0, 0, 0};
static const uint8_t bin[] = {0x00, 0xff, 0x10, 0x80, 0x7f};
static const uint8_t dword[] = {0x78, 0x56, 0x34, 0x12};
static const uint8_t qword[] = {1, 2, 3, 4, 5, 6, 7, 8};
static const uint8_t odd3[] = {0xab, 0xcd, 0xef};

static void set_all_types(reg_store *s, const char *key)
{
	assert_int_equal(reg_create_key(s, key), RP_OK);
	assert_int_equal(reg_set_value(s, key, "sz", REG_T_SZ, sz_abc, sizeof(sz_abc)),
			 RP_OK);
	assert_int_equal(
	    reg_set_value(s, key, "expand", REG_T_EXPAND_SZ, expand, sizeof(expand)),
	    RP_OK);
	assert_int_equal(
	    reg_set_value(s, key, "multi", REG_T_MULTI_SZ, multi, sizeof(multi)), RP_OK);
	assert_int_equal(reg_set_value(s, key, "bin", REG_T_BINARY, bin, sizeof(bin)),
			 RP_OK);
	assert_int_equal(reg_set_value(s, key, "dword", REG_T_DWORD, dword, 4), RP_OK);
	assert_int_equal(reg_set_value(s, key, "qword", REG_T_QWORD, qword, 8), RP_OK);
	assert_int_equal(reg_set_value(s, key, "none", REG_T_NONE, NULL, 0), RP_OK);
	assert_int_equal(reg_set_value(s, key, "emptybin", REG_T_BINARY, NULL, 0), RP_OK);
	assert_int_equal(reg_set_value(s, key, "odd", 0x1234, odd3, 3), RP_OK);
	assert_int_equal(reg_set_value(s, key, "", REG_T_SZ, sz_abc, sizeof(sz_abc)),
			 RP_OK);
}

static void check_all_types(reg_store *s, const char *key)
{
	reg_values vals;
	expect_val(s, key, "sz", REG_T_SZ, sz_abc, sizeof(sz_abc));
	expect_val(s, key, "expand", REG_T_EXPAND_SZ, expand, sizeof(expand));
	expect_val(s, key, "multi", REG_T_MULTI_SZ, multi, sizeof(multi));
	expect_val(s, key, "bin", REG_T_BINARY, bin, sizeof(bin));
	expect_val(s, key, "dword", REG_T_DWORD, dword, 4);
	expect_val(s, key, "qword", REG_T_QWORD, qword, 8);
	expect_val(s, key, "none", REG_T_NONE, NULL, 0);
	expect_val(s, key, "emptybin", REG_T_BINARY, NULL, 0);
	expect_val(s, key, "odd", 0x1234, odd3, 3);
	expect_val(s, key, "", REG_T_SZ, sz_abc, sizeof(sz_abc));
	assert_int_equal(reg_list_values(s, key, &vals), RP_OK);
	assert_int_equal(vals.n, 10);
	reg_values_free(&vals);
}

static void test_value_types(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		reg_store *s = open_fresh(&kinds[i]);
		set_all_types(s, "Software\\T");
		check_all_types(s, "Software\\T");
		assert_int_equal(reg_commit(s), RP_OK);
		reg_close(s);
		s = reopen(&kinds[i], 0);
		check_all_types(s, "Software\\T");
		reg_close(s);
		remove(kinds[i].file);
	}
}

static void test_replace_and_delete_value(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		reg_store *s = open_fresh(&kinds[i]);
		reg_value v;
		assert_int_equal(reg_create_key(s, "K"), RP_OK);
		assert_int_equal(reg_set_dword(s, "K", "Count", 1), RP_OK);
		assert_int_equal(reg_set_sz(s, "K", "Name", "abc"), RP_OK);
		/* Replacing through another spelling keeps the stored one. */
		assert_int_equal(reg_set_dword(s, "k", "COUNT", 2), RP_OK);
		expect_val(s, "K", "count", REG_T_DWORD, "\x02\0\0\0", 4);
		assert_int_equal(reg_get_value(s, "K", "count", &v), RP_OK);
		assert_string_equal(v.name, "Count");
		reg_value_free(&v);
		expect_val(s, "K", "Name", REG_T_SZ, sz_abc, sizeof(sz_abc));
		assert_int_equal(reg_delete_value(s, "K", "NAME"), RP_OK);
		assert_int_equal(reg_get_value(s, "K", "Name", &v), RP_ENOTFOUND);
		assert_non_null(strstr(rp_error_msg(), "Name"));
		assert_int_equal(reg_delete_value(s, "K", "Name"), RP_ENOTFOUND);
		assert_int_equal(reg_set_value(s, "Missing", "x", REG_T_DWORD, dword, 4),
				 RP_ENOTFOUND);
		assert_non_null(strstr(rp_error_msg(), "Missing"));
		reg_close(s);
		remove(kinds[i].file);
	}
}

static void test_keys(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		reg_store *s = open_fresh(&kinds[i]);
		reg_names n;
		assert_int_equal(reg_create_key(s, "A\\B\\C"), RP_OK);
		assert_int_equal(reg_create_key(s, "a\\b\\c"), RP_OK); /* exists: fine */
		assert_int_equal(reg_create_key(s, "A\\B2"), RP_OK);
		assert_int_equal(reg_set_dword(s, "A\\B\\C", "v", 7), RP_OK);
		assert_int_equal(reg_list_subkeys(s, "a", &n), RP_OK);
		assert_int_equal(n.n, 2);
		/* Stored spelling, store order. */
		assert_string_equal(n.v[0], "B");
		assert_string_equal(n.v[1], "B2");
		reg_names_free(&n);
		assert_int_equal(reg_key_exists(s, "A\\b\\C"), RP_OK);
		assert_int_equal(reg_key_exists(s, "A\\X"), RP_ENOTFOUND);
		assert_int_equal(reg_key_exists(s, "A\\\\B"), RP_EINVAL);
		/* Recursive delete. */
		assert_int_equal(reg_delete_key(s, "a\\B"), RP_OK);
		assert_int_equal(reg_key_exists(s, "A\\B\\C"), RP_ENOTFOUND);
		assert_int_equal(reg_key_exists(s, "A\\B"), RP_ENOTFOUND);
		assert_int_equal(reg_key_exists(s, "A\\B2"), RP_OK);
		assert_int_equal(reg_delete_key(s, "A\\B"), RP_ENOTFOUND);
		assert_int_equal(reg_delete_key(s, ""), RP_EINVAL);
		/* Recreated after a delete: no stale node from a cached walk. */
		assert_int_equal(reg_create_key(s, "Z\\Y\\X"), RP_OK);
		assert_int_equal(reg_set_dword(s, "Z\\Y\\X", "old", 1), RP_OK);
		assert_int_equal(reg_delete_key(s, "Z"), RP_OK);
		assert_int_equal(reg_key_exists(s, "Z\\Y\\X"), RP_ENOTFOUND);
		assert_int_equal(reg_create_key(s, "Z\\Y\\X"), RP_OK);
		assert_int_equal(reg_set_dword(s, "z\\y\\x", "new", 2), RP_OK);
		{
			reg_values zv;
			assert_int_equal(reg_list_values(s, "Z\\Y\\X", &zv), RP_OK);
			assert_int_equal(zv.n, 1);
			assert_string_equal(zv.v[0].name, "new");
			reg_values_free(&zv);
		}
		assert_int_equal(reg_delete_key(s, "Z"), RP_OK);
		assert_int_equal(reg_commit(s), RP_OK);
		reg_close(s);
		s = reopen(&kinds[i], 0);
		assert_int_equal(reg_list_subkeys(s, "A", &n), RP_OK);
		assert_int_equal(n.n, 1);
		assert_string_equal(n.v[0], "B2");
		reg_names_free(&n);
		reg_close(s);
		remove(kinds[i].file);
	}
}

static void test_copy_tree(void **state)
{
	size_t i, j;
	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		reg_store *s = open_fresh(&kinds[i]);
		reg_names n;
		set_all_types(s, "P\\Src\\Sub1\\Deep");
		set_all_types(s, "P\\Src");
		assert_int_equal(reg_create_key(s, "P\\Src\\Sub2"), RP_OK);
		assert_int_equal(reg_copy_tree(s, "p\\src", "P\\Dst"), RP_OK);
		check_all_types(s, "P\\Dst");
		check_all_types(s, "P\\Dst\\Sub1\\Deep");
		assert_int_equal(reg_list_subkeys(s, "P\\Dst", &n), RP_OK);
		assert_int_equal(n.n, 2);
		reg_names_free(&n);
		/* Refusals: existing target, copy into itself. */
		assert_int_equal(reg_copy_tree(s, "P\\Src", "P\\Dst"), RP_EEXISTS);
		assert_int_equal(reg_copy_tree(s, "P\\Src", "P\\Src\\In"), RP_EINVAL);
		assert_int_equal(reg_copy_tree(s, "P\\Nope", "P\\New"), RP_ENOTFOUND);
		/* Between stores of every kind pair. */
		for (j = 0; j < sizeof(kinds) / sizeof(kinds[0]); j++) {
			reg_store *t = NULL;
			const char *f = j == i ? "test_reg_store.2" : kinds[j].file;
			char other[64];
			snprintf(other, sizeof(other), "%s.%s", f, kinds[j].name);
			remove(other);
			assert_int_equal(
			    kinds[j].open(&t, other, REG_OPEN_WRITE | REG_OPEN_CREATE),
			    RP_OK);
			assert_int_equal(reg_copy_tree_between(s, "P\\Src", t, "X\\Y"),
					 RP_OK);
			check_all_types(t, "x\\y\\sub1\\deep");
			reg_close(t);
			remove(other);
		}
		reg_close(s);
		remove(kinds[i].file);
	}
}

static void test_non_ascii(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		reg_store *s = open_fresh(&kinds[i]);
		reg_names n;
		reg_value v;
		char *u;
		assert_int_equal(reg_create_key(s, "Profiles\\Outlook Ärger"), RP_OK);
		assert_int_equal(reg_create_key(s, "Profiles\\Профиль"), RP_OK);
		assert_int_equal(reg_create_key(s, "Profiles\\日本語"), RP_OK);
		assert_int_equal(
		    reg_set_sz(s, "Profiles\\Профиль", "Имя", "Значение ÄÖÜ"), RP_OK);
		assert_int_equal(reg_commit(s), RP_OK);
		reg_close(s);
		s = reopen(&kinds[i], 0);
		assert_int_equal(reg_list_subkeys(s, "Profiles", &n), RP_OK);
		assert_int_equal(n.n, 3);
		assert_string_equal(n.v[0], "Outlook Ärger");
		assert_string_equal(n.v[1], "Профиль");
		assert_string_equal(n.v[2], "日本語");
		reg_names_free(&n);
		/* Case-insensitive beyond ASCII (rp_name_eq). */
		assert_int_equal(reg_key_exists(s, "PROFILES\\outlook äRGER"), RP_OK);
		assert_int_equal(reg_key_exists(s, "profiles\\ПРОФИЛЬ"), RP_OK);
		assert_int_equal(reg_get_value(s, "Profiles\\профиль", "имя", &v), RP_OK);
		assert_string_equal(v.name, "Имя");
		assert_int_equal(reg_data_to_utf8(&v, &u), RP_OK);
		assert_string_equal(u, "Значение ÄÖÜ");
		free(u);
		reg_value_free(&v);
		reg_close(s);
		remove(kinds[i].file);
	}
}

static void test_discard_and_readonly(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		reg_store *s = open_fresh(&kinds[i]);
		assert_int_equal(reg_create_key(s, "Kept"), RP_OK);
		assert_int_equal(reg_commit(s), RP_OK);
		assert_int_equal(reg_create_key(s, "Dropped"), RP_OK);
		assert_int_equal(reg_set_dword(s, "Kept", "v", 1), RP_OK);
		reg_close(s); /* no commit */
		s = reopen(&kinds[i], 0);
		assert_int_equal(reg_key_exists(s, "Kept"), RP_OK);
		assert_int_equal(reg_key_exists(s, "Dropped"), RP_ENOTFOUND);
		assert_int_equal(reg_get_value(s, "Kept", "v", &(reg_value){0}),
				 RP_ENOTFOUND);
		/* Read-only: every write refused. */
		assert_int_equal(reg_create_key(s, "New"), RP_EINVAL);
		assert_int_equal(reg_set_dword(s, "Kept", "v", 1), RP_EINVAL);
		assert_int_equal(reg_delete_key(s, "Kept"), RP_EINVAL);
		assert_int_equal(reg_commit(s), RP_EINVAL);
		reg_close(s);
		/* Absent file without CREATE. */
		remove(kinds[i].file);
		assert_int_equal(kinds[i].open(&s, kinds[i].file, 0), RP_ENOTFOUND);
		assert_null(s);
		assert_non_null(strstr(rp_error_msg(), kinds[i].file));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_value_types),
	    cmocka_unit_test(test_replace_and_delete_value),
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_copy_tree),
	    cmocka_unit_test(test_non_ascii),
	    cmocka_unit_test(test_discard_and_readonly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
