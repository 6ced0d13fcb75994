/* Unit tests specific to hive files: the empty hive we write by hand (checked
 * by hivex itself, an independent reader that verifies the base block
 * checksum and every hbin), refusal of dirty, truncated and corrupt hives,
 * big values and long subkey lists, and the atomic commit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "reg.h"

#include "base/rp_err.h"

#include <dirent.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HIVE "test_reg_hive.hiv"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *d;
	long n;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	d = malloc((size_t)n);
	assert_non_null(d);
	assert_int_equal(fread(d, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return d;
}

static void spit(const char *path, const uint8_t *d, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, len, f), len);
	fclose(f);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void test_create_empty(void **state)
{
	hive_h *h;
	hive_node_h root, *kids;
	hive_value_h *vals;
	uint8_t *d;
	size_t len;
	(void)state;

	remove(HIVE);
	assert_int_equal(reg_hive_create_empty(HIVE), RP_OK);
	d = slurp(HIVE, &len);
	/* Base block + one 4096-byte hbin (libyal REGF format). */
	assert_int_equal(len, 8192);
	assert_memory_equal(d, "regf", 4);
	assert_int_equal(le32(d + 4), le32(d + 8));
	assert_int_equal(le32(d + 20), 1);
	assert_memory_equal(d + 4096, "hbin", 4);
	free(d);
	/* hivex verifies the checksum and walks the hbin. */
	h = hivex_open(HIVE, 0);
	assert_non_null(h);
	root = hivex_root(h);
	assert_true(root != 0);
	kids = hivex_node_children(h, root);
	assert_non_null(kids);
	assert_true(kids[0] == 0);
	free(kids);
	vals = hivex_node_values(h, root);
	assert_non_null(vals);
	assert_true(vals[0] == 0);
	free(vals);
	hivex_close(h);
	remove(HIVE);
}

static void expect_open_error(int code, const char *want1, const char *want2)
{
	reg_store *s = NULL;
	int rc = reg_open_hive(&s, HIVE, REG_OPEN_WRITE);
	assert_int_equal(rc, code);
	assert_null(s);
	assert_non_null(strstr(rp_error_msg(), HIVE));
	assert_null(strchr(rp_error_msg(), '\n'));
	if (want1 && !strstr(rp_error_msg(), want1))
		fail_msg("message '%s' lacks '%s'", rp_error_msg(), want1);
	if (want2 && !strstr(rp_error_msg(), want2))
		fail_msg("message '%s' lacks '%s'", rp_error_msg(), want2);
}

static void test_refusals(void **state)
{
	uint8_t *d;
	size_t len;
	(void)state;

	remove(HIVE);
	assert_int_equal(reg_hive_create_empty(HIVE), RP_OK);
	d = slurp(HIVE, &len);

	/* Dirty: secondary sequence number behind the primary. */
	d[4] = 7;
	d[8] = 6;
	spit(HIVE, d, len);
	expect_open_error(RP_EDIRTY, " 7 ", " 6 ");
	d[4] = d[8] = 1;

	/* Truncated inside the hbin, and inside the base block. */
	spit(HIVE, d, 6000);
	expect_open_error(RP_EFORMAT, "truncated", NULL);
	spit(HIVE, d, 100);
	expect_open_error(RP_EFORMAT, "truncated", NULL);

	/* Not a hive at all. */
	spit(HIVE, (const uint8_t *)"REGEDIT4\r\n", 10);
	expect_open_error(RP_EFORMAT, "regf", NULL);

	/* Corrupt hbin signature: found by hivex. */
	memcpy(d + 4096, "HBIN", 4);
	spit(HIVE, d, len);
	expect_open_error(RP_EFORMAT, "corrupt", NULL);
	memcpy(d + 4096, "hbin", 4);

	/* Base block checksum. */
	d[100] ^= 0xFF;
	spit(HIVE, d, len);
	expect_open_error(RP_EFORMAT, "checksum", NULL);
	d[100] ^= 0xFF;

	/* Intact again: opens. */
	spit(HIVE, d, len);
	{
		reg_store *s;
		assert_int_equal(reg_open_hive(&s, HIVE, 0), RP_OK);
		reg_close(s);
	}
	free(d);
	remove(HIVE);
}

static void test_big_and_many(void **state)
{
	reg_store *s;
	reg_names n;
	reg_value v;
	uint8_t *big;
	size_t i;
	char name[32];
	(void)state;

	remove(HIVE);
	assert_int_equal(reg_open_hive(&s, HIVE, REG_OPEN_WRITE | REG_OPEN_CREATE),
			 RP_OK);
	/* Over 16344 bytes: stored in a "db" big-data cell chain. */
	big = malloc(40000);
	assert_non_null(big);
	for (i = 0; i < 40000; i++)
		big[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(reg_create_key(s, "Big"), RP_OK);
	assert_int_equal(reg_set_value(s, "Big", "blob", REG_T_BINARY, big, 40000),
			 RP_OK);
	/* Enough subkeys for hivex to need more than one hbin. */
	for (i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "Big\\key%04zu", i);
		assert_int_equal(reg_create_key(s, name), RP_OK);
	}
	assert_int_equal(reg_commit(s), RP_OK);
	reg_close(s);

	assert_int_equal(reg_open_hive(&s, HIVE, 0), RP_OK);
	assert_int_equal(reg_get_value(s, "big", "BLOB", &v), RP_OK);
	assert_int_equal(v.len, 40000);
	assert_memory_equal(v.data, big, 40000);
	reg_value_free(&v);
	assert_int_equal(reg_list_subkeys(s, "Big", &n), RP_OK);
	assert_int_equal(n.n, 600);
	reg_names_free(&n);
	assert_int_equal(reg_key_exists(s, "Big\\KEY0599"), RP_OK);
	reg_close(s);
	free(big);
	remove(HIVE);
}

static void test_commit_leaves_no_temp(void **state)
{
	reg_store *s;
	reg_value v;
	DIR *dir;
	struct dirent *e;
	(void)state;

	remove(HIVE);
	assert_int_equal(reg_open_hive(&s, HIVE, REG_OPEN_WRITE | REG_OPEN_CREATE),
			 RP_OK);
	assert_int_equal(reg_create_key(s, "A"), RP_OK);
	assert_int_equal(reg_commit(s), RP_OK);
	/* A second commit on the same handle works too. */
	assert_int_equal(reg_set_dword(s, "A", "n", 5), RP_OK);
	assert_int_equal(reg_commit(s), RP_OK);
	reg_close(s);
	dir = opendir(".");
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL)
		assert_null(strstr(e->d_name, ".rp-tmp-"));
	closedir(dir);
	assert_int_equal(reg_open_hive(&s, HIVE, 0), RP_OK);
	assert_int_equal(reg_get_value(s, "A", "n", &v), RP_OK);
	assert_int_equal(v.type, REG_T_DWORD);
	assert_memory_equal(v.data, "\5\0\0\0", 4);
	reg_value_free(&v);
	reg_close(s);
	remove(HIVE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_empty),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_big_and_many),
	    cmocka_unit_test(test_commit_leaves_no_temp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
