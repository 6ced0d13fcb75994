/* The run's log and CSV status files: names from templates, rows, local
 * staging of a remote log and the move, and the guide's exit bits
 * (64 log not written, 128 staging folder, 256 move to the share). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "platform/plat.h"
#include "run/run_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1700000000 s since 1970 is 2023-11-14 22:13:20 UTC (86400 * 19675 days
 * reach 2023-11-14, plus 80000 s = 22:13:20); TZ is pinned to UTC. */
#define FAKE_TIME "1700000000"
#define FAKE_DATE "20231114"
#define FAKE_CLOCK "221320"
#define FAKE_STAMP "2023-11-14 22:13:20"

static char scratch[512];

/* a + separator + b, malloc'd. */
static char *path2(const char *a, const char *b)
{
	char *p = rp_asprintf("%s%c%s", a, plat_sep(), b);
	assert_non_null(p);
	return p;
}

/* A fresh folder <scratch>/<name>, malloc'd. */
static char *folder(const char *name)
{
	char *p = path2(scratch, name);
	assert_int_equal(plat_mkdir_p(p), RP_OK);
	return p;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = plat_fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(plat_fsync_close(f), RP_OK);
}

/* The whole file as a string, NULL if it cannot be read. */
static char *slurp(const char *path)
{
	FILE *f = plat_fopen(path, "rb");
	char *buf;
	size_t n;
	if (!f)
		return NULL;
	buf = malloc(65536);
	assert_non_null(buf);
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void assert_file(const char *path, const char *want)
{
	char *got = slurp(path);
	if (!got)
		fail_msg("%s: missing", path);
	assert_string_equal(got, want);
	free(got);
}

static void test_name_template(void **state)
{
	char *base = folder("names"), *host = plat_hostname(), *want, *want_csv, *name;
	run_log_opts o = {"#H_%RP_TEST_WHO%_#d_#T.log", base, false, false, false};
	run_log *l = NULL;
	int bits = 0;
	(void)state;

	/* #H is the computer name as plat_hostname reports it; %VAR% comes
	 * from the environment, #D #T from REPROFILE_FAKE_TIME. */
	assert_int_equal(plat_setenv("RP_TEST_WHO", "alice"), RP_OK);
	name = rp_asprintf("%s_alice_" FAKE_DATE "_" FAKE_CLOCK ".log", host);
	want = path2(base, name);
	free(name);
	name = rp_asprintf("%s_alice_" FAKE_DATE "_" FAKE_CLOCK ".csv", host);
	want_csv = path2(base, name);
	free(name);

	run_log_open(&l, &o, &bits);
	assert_int_equal(bits, 0);
	assert_string_equal(run_log_path(l), want);
	assert_string_equal(run_log_csv_path(l), want_csv);
	assert_string_equal(run_log_local_path(l), want);
	assert_true(plat_file_exists(want));
	assert_true(plat_file_exists(want_csv));
	run_log_line(l, RUN_LOG_INFO, "started %d", 1);
	run_log_close(l, &bits);
	assert_int_equal(bits, 0);
	assert_file(want, FAKE_STAMP " [Info] started 1\r\n");
	assert_file(want_csv, "");
	free(want);
	free(want_csv);

	/* No template: the guide's CPUU.log. */
	o.name_template = NULL;
	name = rp_strdup("CPUU.log");
	want = path2(base, name);
	run_log_open(&l, &o, &bits);
	assert_string_equal(run_log_path(l), want);
	run_log_close(l, &bits);
	assert_int_equal(bits, 0);
	assert_true(plat_file_exists(want));
	free(name);
	free(want);
	free(host);
	free(base);
}

static void test_relative_and_absolute(void **state)
{
	char *base = folder("rel"), *other = folder("abs"), *want, *abs;
	run_log_opts o = {"logs/run.log", base, false, false, false};
	run_log *l = NULL;
	int bits = 0;
	(void)state;

	/* A relative name with a folder lands under base_dir, folder created. */
	run_log_open(&l, &o, &bits);
	assert_int_equal(bits, 0);
	want = rp_asprintf("%s%clogs/run.log", base, plat_sep());
	assert_string_equal(run_log_path(l), want);
	run_log_close(l, &bits);
	assert_int_equal(bits, 0);
	assert_true(plat_file_exists(want));
	free(want);

	/* An absolute name ignores base_dir. */
	abs = path2(other, "a.log");
	o.name_template = abs;
	run_log_open(&l, &o, &bits);
	assert_string_equal(run_log_path(l), abs);
	run_log_close(l, &bits);
	assert_int_equal(bits, 0);
	assert_true(plat_file_exists(abs));
	free(abs);
	free(base);
	free(other);
}

static void test_lines_and_rows(void **state)
{
	char *base = folder("rows"), *log, *csv;
	run_log_opts o = {"r.log", base, false, false, false};
	run_log *l = NULL;
	int bits = 0;
	(void)state;

	run_log_open(&l, &o, &bits);
	log = rp_strdup(run_log_path(l));
	csv = rp_strdup(run_log_csv_path(l));
	run_log_line(l, RUN_LOG_TRACEW, "Failed to get a response for '%s'", "a@b");
	/* A Warning is flushed at once: visible before close. */
	run_log_line(l, RUN_LOG_WARNING, "two\nlines");
	assert_file(log, FAKE_STAMP
		    " [TraceW] Failed to get a response for 'a@b'\r\n" FAKE_STAMP
		    " [Warning] two lines\r\n");
	run_log_line(l, RUN_LOG_ERROR, "e");
	run_log_line(l, RUN_LOG_INFO, "i");
	/* Rows as the guide gives them: name, current, previous, tab
	 * separated; a tab inside the name becomes a space. */
	run_log_status(l, "Outlook", 10, 0);
	run_log_status(l, "My\tProfile", 11, 2);
	assert_file(csv, "Outlook\t10\t0\r\nMy Profile\t11\t2\r\n");
	run_log_close(l, &bits);
	assert_int_equal(bits, 0);
	assert_file(log, FAKE_STAMP
		    " [TraceW] Failed to get a response for 'a@b'\r\n" FAKE_STAMP
		    " [Warning] two lines\r\n" FAKE_STAMP " [Error] e\r\n" FAKE_STAMP
		    " [Info] i\r\n");

	/* A second run with the same name appends. */
	run_log_open(&l, &o, &bits);
	run_log_status(l, "Outlook", 2, 10);
	run_log_close(l, &bits);
	assert_int_equal(bits, 0);
	assert_file(csv, "Outlook\t10\t0\r\nMy Profile\t11\t2\r\nOutlook\t2\t10\r\n");
	free(log);
	free(csv);
	free(base);
}

/* "//" + an absolute POSIX folder: a UNC path to run_log, a local folder to
 * Linux (POSIX leaves a leading "//" implementation-defined; Linux treats
 * it as "/"). Windows has no such alias, so these cases run on POSIX only. */
static char *unc_alias(const char *dir, const char *name)
{
	char *p = rp_asprintf("/%s/%s", dir, name);
	assert_non_null(p);
	return p;
}

static void test_remote_staged(void **state)
{
	char *tmp, *share, *remote, *rlocal, *stage, *slog, *scsv, *rcsv;
	run_log_opts o = {NULL, NULL, false, false, false};
	run_log *l = NULL;
	int bits = 0;
	(void)state;
#ifdef _WIN32
	skip();
#endif
	tmp = folder("tmp-staged");
	share = folder("share-staged");
	assert_int_equal(plat_setenv("TMPDIR", tmp), RP_OK);
	remote = unc_alias(share, "s.log");
	rcsv = unc_alias(share, "s.csv");
	rlocal = path2(share, "s.log");
	stage = path2(tmp, RUN_LOG_STAGING_NAME);
	slog = path2(stage, "s.log");
	scsv = path2(stage, "s.csv");
	/* The share already holds an earlier run's log: the new one follows. */
	write_file(rlocal, "earlier\r\n");

	o.name_template = remote;
	run_log_open(&l, &o, &bits);
	assert_int_equal(bits, 0);
	assert_true(run_log_is_remote(run_log_path(l)));
	assert_string_equal(run_log_path(l), remote);
	assert_string_equal(run_log_csv_path(l), rcsv);
	assert_string_equal(run_log_local_path(l), slog);
	assert_string_equal(run_log_local_csv_path(l), scsv);
	run_log_line(l, RUN_LOG_ERROR, "boom");
	run_log_status(l, "P", 11, 0);
	/* Written locally while running, not on the share. */
	assert_file(slog, FAKE_STAMP " [Error] boom\r\n");
	assert_file(rlocal, "earlier\r\n");
	run_log_close(l, &bits);
	assert_int_equal(bits, 0);
	assert_false(plat_file_exists(slog));
	assert_false(plat_file_exists(scsv));
	assert_file(rlocal, "earlier\r\n" FAKE_STAMP " [Error] boom\r\n");
	assert_file(rcsv, "P\t11\t0\r\n");
	free(tmp);
	free(share);
	free(remote);
	free(rcsv);
	free(rlocal);
	free(stage);
	free(slog);
	free(scsv);
}

static void test_write_directly(void **state)
{
	char *tmp, *share, *remote, *stage;
	run_log_opts o = {NULL, NULL, true, false, false};
	run_log *l = NULL;
	int bits = 0;
	(void)state;
#ifdef _WIN32
	skip();
#endif
	tmp = folder("tmp-direct");
	share = folder("share-direct");
	assert_int_equal(plat_setenv("TMPDIR", tmp), RP_OK);
	remote = unc_alias(share, "d.log");
	stage = path2(tmp, RUN_LOG_STAGING_NAME);
	o.name_template = remote;
	run_log_open(&l, &o, &bits);
	assert_int_equal(bits, 0);
	assert_string_equal(run_log_local_path(l), remote);
	run_log_line(l, RUN_LOG_WARNING, "w");
	assert_file(remote, FAKE_STAMP " [Warning] w\r\n");
	run_log_close(l, &bits);
	assert_int_equal(bits, 0);
	assert_false(plat_file_exists(stage));
	assert_file(remote, FAKE_STAMP " [Warning] w\r\n");
	free(tmp);
	free(share);
	free(remote);
	free(stage);
}

static void test_uncreatable_log(void **state)
{
	char *dir = folder("uncreatable"), *blocker = path2(dir, "file"), *name;
	run_log_opts o = {NULL, NULL, false, false, false};
	run_log *l = NULL;
	int bits = 0;
	(void)state;

	/* The log's folder would have to be made inside a regular file. */
	write_file(blocker, "x");
	name = rp_asprintf("%s%csub%clog.log", blocker, plat_sep(), plat_sep());
	o.name_template = name;
	run_log_open(&l, &o, &bits);
	assert_int_equal(bits, 64); /* CPUU_FAILED_TO_WRITE_LOG */
	assert_non_null(l);
	/* The run goes on: lines go to stderr, nothing else is set. */
	run_log_line(l, RUN_LOG_ERROR, "still running");
	run_log_status(l, "P", 10, 0);
	run_log_close(l, &bits);
	assert_int_equal(bits, 64);
	assert_false(plat_file_exists(name));
	free(name);
	free(blocker);
	free(dir);
}

static void test_move_fails(void **state)
{
	char *tmp, *dir, *blocker, *remote, *slog, *scsv;
	run_log_opts o = {NULL, NULL, false, false, false};
	run_log *l = NULL;
	int bits = 0;
	(void)state;
#ifdef _WIN32
	skip();
#endif
	tmp = folder("tmp-move");
	dir = folder("share-move");
	blocker = path2(dir, "notafolder");
	write_file(blocker, "x");
	assert_int_equal(plat_setenv("TMPDIR", tmp), RP_OK);
	remote = unc_alias(blocker, "m.log");
	slog = rp_asprintf("%s/" RUN_LOG_STAGING_NAME "/m.log", tmp);
	scsv = rp_asprintf("%s/" RUN_LOG_STAGING_NAME "/m.csv", tmp);
	o.name_template = remote;
	run_log_open(&l, &o, &bits);
	assert_int_equal(bits, 0);
	run_log_line(l, RUN_LOG_INFO, "kept");
	run_log_status(l, "P", 10, 0);
	run_log_close(l, &bits);
	assert_int_equal(bits, 256); /* CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE */
	assert_file(slog, FAKE_STAMP " [Info] kept\r\n");
	assert_file(scsv, "P\t10\t0\r\n");
	free(tmp);
	free(dir);
	free(blocker);
	free(remote);
	free(slog);
	free(scsv);
}

/* The last line carries the whole code, the failed move's 256 included:
 * written again at the end of the staged copy that stays. */
static void test_close_exit_move_fails(void **state)
{
	char *tmp, *dir, *blocker, *remote, *slog;
	run_log_opts o = {NULL, NULL, false, false, false};
	run_log *l = NULL;
	int bits = 0;
	(void)state;
#ifdef _WIN32
	skip();
#endif
	tmp = folder("tmp-move-exit");
	dir = folder("share-move-exit");
	blocker = path2(dir, "notafolder");
	write_file(blocker, "x");
	assert_int_equal(plat_setenv("TMPDIR", tmp), RP_OK);
	remote = unc_alias(blocker, "e.log");
	slog = rp_asprintf("%s/" RUN_LOG_STAGING_NAME "/e.log", tmp);
	o.name_template = remote;
	run_log_open(&l, &o, &bits);
	assert_int_equal(bits, 0);
	bits = 512; /* CPUU_INVALID_SWITCH_MSG, set by the run */
	run_log_close_exit(l, &bits, false);
	assert_int_equal(bits, 768);
	assert_file(slog, FAKE_STAMP
		    " [Info] Exit code 512 (CPUU_INVALID_SWITCH_MSG)\r\n" FAKE_STAMP
		    " [Info] Exit code 768 "
		    "(CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE|"
		    "CPUU_INVALID_SWITCH_MSG)\r\n");
	free(tmp);
	free(dir);
	free(blocker);
	free(remote);
	free(slog);
}

static void test_staging_uncreatable(void **state)
{
	char *tmpfile, *share, *remote, *rlocal;
	run_log_opts o = {NULL, NULL, false, false, false};
	run_log *l = NULL;
	int bits = 0;
	(void)state;
#ifdef _WIN32
	skip();
#endif
	/* TMPDIR is a regular file: no staging folder, so the log goes to the
	 * share directly and the run reports 128. */
	share = folder("share-notmp");
	tmpfile = path2(scratch, "tmp-is-a-file");
	write_file(tmpfile, "x");
	assert_int_equal(plat_setenv("TMPDIR", tmpfile), RP_OK);
	remote = unc_alias(share, "n.log");
	rlocal = path2(share, "n.log");
	o.name_template = remote;
	run_log_open(&l, &o, &bits);
	assert_int_equal(bits, 128); /* CPUU_FAILED_TO_CREATE_TMP_DIR */
	run_log_line(l, RUN_LOG_INFO, "direct");
	run_log_close(l, &bits);
	assert_int_equal(bits, 128);
	assert_file(rlocal, FAKE_STAMP " [Info] direct\r\n");
	free(tmpfile);
	free(share);
	free(remote);
	free(rlocal);
}

static void test_prune_dumps(void **state)
{
	/* Names and times disagree on the order, so only times can explain
	 * which survive. */
	static const struct {
		const char *name;
		time_t mtime;
	} files[] = {{"c.dmp", 1000}, {"a.dmp", 2000},   {"E.DMP", 3000},
		     {"b.dmp", 4000}, {"d.dmp", 5000},   {"note.txt", 100},
		     {"dmp", 200},    {"x.dmp.txt", 300}};
	char *dir = folder("dumps"), *p, *sub, *missing;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		p = path2(dir, files[i].name);
		write_file(p, "MDMP");
		assert_int_equal(plat_set_mtime(p, files[i].mtime), RP_OK);
		free(p);
	}
	sub = path2(dir, "old.dmp"); /* a folder, not a dump */
	assert_int_equal(plat_mkdir_p(sub), RP_OK);

	/* 5 dumps, keep 2: c, a, E go (oldest three), b and d stay. */
	assert_int_equal(run_log_prune_dumps(dir, 2), 3);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		bool gone = i < 3;
		p = path2(dir, files[i].name);
		if (plat_file_exists(p) == gone)
			fail_msg("%s: expected %s", files[i].name,
				 gone ? "deleted" : "kept");
		free(p);
	}
	assert_true(plat_file_exists(sub));
	assert_int_equal(run_log_prune_dumps(dir, 2), 0);
	assert_int_equal(run_log_prune_dumps(dir, 0), 2);
	missing = path2(dir, "missing");
	assert_int_equal(run_log_prune_dumps(missing, 10), 0);
	assert_int_equal(run_log_prune_dumps(dir, -1), RP_EINVAL);
	free(missing);
	free(sub);
	free(dir);
}

static void test_is_remote(void **state)
{
	(void)state;
	/* UNC forms (Microsoft's "File path formats" page). */
	assert_true(run_log_is_remote("\\\\srv\\share\\x.log"));
	assert_true(run_log_is_remote("//srv/share/x.log"));
	assert_true(run_log_is_remote("\\\\?\\UNC\\srv\\share\\x.log"));
	/* Local: drive paths, device paths, rooted and relative names. */
	assert_false(run_log_is_remote("C:\\logs\\x.log"));
	assert_false(run_log_is_remote("\\\\?\\C:\\logs\\x.log"));
	assert_false(run_log_is_remote("\\\\.\\C:\\x.log"));
	assert_false(run_log_is_remote("\\logs\\x.log"));
	assert_false(run_log_is_remote("/var/log/x.log"));
	assert_false(run_log_is_remote("x.log"));
	assert_false(run_log_is_remote("\\\\"));
	assert_false(run_log_is_remote("\\\\?"));
	assert_false(run_log_is_remote(NULL));
}

static void test_null_log(void **state)
{
	int bits = 0;
	(void)state;
	/* A log that could not even be allocated must still be callable. */
	run_log_line(NULL, RUN_LOG_INFO, "to stderr");
	run_log_status(NULL, "P", 1, 0);
	assert_null(run_log_path(NULL));
	run_log_close(NULL, &bits);
	assert_int_equal(bits, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_name_template),
	    cmocka_unit_test(test_relative_and_absolute),
	    cmocka_unit_test(test_lines_and_rows),
	    cmocka_unit_test(test_remote_staged),
	    cmocka_unit_test(test_write_directly),
	    cmocka_unit_test(test_uncreatable_log),
	    cmocka_unit_test(test_move_fails),
	    cmocka_unit_test(test_close_exit_move_fails),
	    cmocka_unit_test(test_staging_uncreatable),
	    cmocka_unit_test(test_prune_dumps),
	    cmocka_unit_test(test_is_remote),
	    cmocka_unit_test(test_null_log),
	};
	char *t = plat_tempdir();
	/* Before any time conversion: the C library reads TZ once. */
	if (plat_setenv("TZ", "UTC0") < 0)
		return 1;
	snprintf(scratch, sizeof(scratch), "%s%crp-test-runlog-%ld", t, plat_sep(),
		 (long)plat_now());
	free(t);
	if (plat_mkdir_p(scratch) < 0 ||
	    plat_setenv("REPROFILE_FAKE_TIME", FAKE_TIME) < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
