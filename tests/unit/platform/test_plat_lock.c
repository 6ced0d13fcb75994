/* plat_lock: the one-run-at-a-time lock of a store (issue 12). Both
 * implementations (flock on POSIX, an unshared delete-on-close file and a
 * named mutex on Windows, under Wine in the win64 build). Two processes
 * are the scenario switch.lock; here one process holding a lock file sees
 * a second open of it refused, since both implementations lock per open
 * file, not per process. */
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "platform/plat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static char *lock_path(const char *name)
{
	char *tmp = plat_tempdir();
	char *p = rp_asprintf("%s%c%s", tmp, plat_sep(), name);
	free(tmp);
	assert_non_null(p);
	return p;
}

static void test_file_lock_excludes(void **state)
{
	char *p = lock_path("reprofile-test-lock.lock");
	plat_lock *a = NULL, *b = NULL;
	uint64_t t0;
	(void)state;
	plat_remove(p);
	rp_error_clear();
	assert_int_equal(plat_lock_file(p, 0, &a), RP_OK);
	assert_non_null(a);
	assert_true(plat_file_exists(p));
	/* held: refused after the wait, with a line naming the lock */
	t0 = plat_clock_ms();
	assert_int_equal(plat_lock_file(p, 300, &b), RP_EBUSY);
	assert_true(plat_clock_ms() - t0 >= 250);
	assert_null(b);
	assert_non_null(
	    strstr(rp_error_msg(), "reprofile-test-lock.lock is held by another run"));
	/* released: the file goes, and the lock can be taken again */
	plat_unlock(a);
	assert_false(plat_file_exists(p));
	assert_int_equal(plat_lock_file(p, 0, &b), RP_OK);
	plat_unlock(b);
	plat_unlock(NULL);
	free(p);
}

static void test_file_lock_bad_folder(void **state)
{
	char *p = lock_path("no-such-folder-reprofile/x.lock");
	plat_lock *a = NULL;
	(void)state;
	assert_int_equal(plat_lock_file(p, 0, &a), RP_EIO);
	assert_null(a);
	assert_non_null(strstr(rp_error_msg(), "x.lock"));
	free(p);
}

static void test_name_lock(void **state)
{
	plat_lock *a = NULL;
	(void)state;
	assert_int_equal(plat_lock_name("reprofile-test-name", 0, &a), RP_OK);
	assert_non_null(a);
	plat_unlock(a);
	/* released: free again at once */
	assert_int_equal(plat_lock_name("reprofile-test-name", 0, &a), RP_OK);
	plat_unlock(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_file_lock_excludes),
	    cmocka_unit_test(test_file_lock_bad_folder),
	    cmocka_unit_test(test_name_lock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
