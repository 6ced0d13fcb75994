/* The per-profile transaction: update, rerun, rollback byte for byte, cleanup,
 * and a crash at every single write followed by recovery. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "platform/plat.h"
#include "registry/reg.h"
#include "plan/plan.h"
#include "run/run_txn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROFS "Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles"
#define PROF PROFS "\\Outlook"
#define SECT PROF "\\0a0d020000000000c000000000000046"
#define ADISC "Software\\Microsoft\\Office\\16.0\\Outlook\\AutoDiscover"

/* A small profile: two sections, string/binary/dword values, and the
 * Autodiscover settings key outside the profile. */
static const char original_reg[] =
    "Windows Registry Editor Version 5.00\r\n\r\n"
    "[HKEY_CURRENT_USER\\" PROF "]\r\n\r\n"
    "[HKEY_CURRENT_USER\\" SECT "]\r\n"
    "\"001f6641\"=hex:53,00,4d,00,54,00,50,00,3a,00,61,00,40,00,73,00,00,00\r\n"
    "\"00036601\"=hex:84,19,00,00\r\n"
    "\"001e6602\"=\"old.source.example\"\r\n\r\n"
    "[HKEY_CURRENT_USER\\" PROF "\\9207f3e0a3b11019908b08002b2a56c2]\r\n"
    "\"01023d0e\"=hex:11,22,33,44,55,66,77,88,99,aa,bb,cc,dd,ee,ff,00\r\n\r\n"
    "[HKEY_CURRENT_USER\\" ADISC "]\r\n"
    "\"PreferLocalXML\"=dword:00000001\r\n";

static char tmpdir[512];

static reg_store *open_fresh(const char *name)
{
	char path[600];
	reg_store *s = NULL;
	snprintf(path, sizeof(path), "%s/%s.reg", tmpdir, name);
	remove(path);
	assert_int_equal(reg_open_regfile(&s, path, REG_OPEN_WRITE | REG_OPEN_CREATE),
			 RP_OK);
	assert_int_equal(reg_import_regfile_mem(s, original_reg, sizeof(original_reg) - 1,
						"original", NULL),
			 RP_OK);
	return s;
}

static size_t export_len(reg_store *s, const char *key, char **out)
{
	uint8_t *d = NULL;
	size_t n = 0;
	assert_int_equal(reg_export_mem(s, key, &d, &n), RP_OK);
	*out = (char *)d;
	return n;
}

static void make_plan(plan *p)
{
	static const uint8_t smtp[] = {'S', 0,   'M', 0,   'T', 0,   'P', 0, ':',
				       0,   'b', 0,   '@', 0,   't', 0,   0, 0};
	assert_int_equal(plan_set(p, SECT, "001f6641", REG_T_BINARY, smtp, sizeof(smtp),
				  "switch: SMTP address"),
			 RP_OK);
	assert_int_equal(plan_delete_value(p, SECT, "001e6602", "switch: home server"),
			 RP_OK);
	assert_int_equal(plan_create_key(p, PROF "\\newsection", "test: new key"), RP_OK);
	assert_int_equal(plan_set(p, ADISC, "ExcludeScpLookup", REG_T_DWORD,
				  "\x01\x00\x00\x00", 4, "autodiscover: no SCP"),
			 RP_OK);
}

static const run_state ids = {false,       NULL,  0,           0,   "a@s",
			      "/o=S/cn=a", "b@t", "/o=T/cn=b", NULL};

static run_profile_ref ref_for(reg_store *s)
{
	run_profile_ref r = {s, "16.0", PROFS, "Outlook", NULL, NULL, NULL};
	return r;
}

static void test_update_rollback_cleanup(void **state)
{
	(void)state;
	reg_store *s = open_fresh("urc");
	run_profile_ref r = ref_for(s);
	plan pl = PLAN_INIT;
	char *before_prof, *before_ad, *after_prof, *after_ad;
	size_t nb, na, nb2, na2;
	run_state st;
	reg_value v = {0};

	nb = export_len(s, PROF, &before_prof);
	nb2 = export_len(s, ADISC, &before_ad);
	make_plan(&pl);
	assert_int_equal(run_txn_update(&r, &pl, &ids, "2026-11-21T06:00:00Z"), RP_OK);

	/* Switched: the plan's edits are there, the state says 10/done. */
	assert_int_equal(reg_get_value(s, SECT, "001e6602", &v), RP_ENOTFOUND);
	assert_int_equal(reg_get_value(s, ADISC, "ExcludeScpLookup", &v), RP_OK);
	reg_value_free(&v);
	assert_int_equal(reg_key_exists(s, PROF "\\newsection"), RP_OK);
	assert_int_equal(run_state_read(&r, &st), RP_OK);
	assert_true(st.present);
	assert_string_equal(st.phase, "done");
	assert_int_equal(st.status, 10);
	assert_string_equal(st.target_smtp, "b@t");
	run_state_free(&st);
	assert_true(run_txn_has_backup(&r));
	/* The backup is not under Profiles: Outlook sees one profile. */
	{
		reg_names n = {0};
		assert_int_equal(reg_list_subkeys(s, PROFS, &n), RP_OK);
		assert_int_equal(n.n, 1);
		reg_names_free(&n);
	}

	/* Rollback restores profile and outside key byte for byte. */
	assert_int_equal(run_txn_rollback(&r, "2026-11-21T07:00:00Z"), RP_OK);
	na = export_len(s, PROF, &after_prof);
	na2 = export_len(s, ADISC, &after_ad);
	assert_int_equal(na, nb);
	assert_memory_equal(after_prof, before_prof, nb);
	assert_int_equal(na2, nb2);
	assert_memory_equal(after_ad, before_ad, nb2);
	assert_int_equal(run_state_read(&r, &st), RP_OK);
	assert_int_equal(st.status, 12);
	assert_int_equal(st.prev_status, 10);
	run_state_free(&st);
	/* Nothing left to roll back. */
	assert_int_equal(run_txn_rollback(&r, "x"), RP_ENOTFOUND);

	/* Cleanup leaves only a "cleaned" record; a second one has nothing to do. */
	assert_int_equal(run_txn_cleanup(&r, "t"), RP_OK);
	assert_int_equal(run_state_read(&r, &st), RP_OK);
	assert_string_equal(st.phase, "cleaned");
	assert_int_equal(st.status, 14);
	run_state_free(&st);
	assert_int_equal(run_txn_cleanup(&r, "t"), RP_ENOTFOUND);

	free(before_prof);
	free(before_ad);
	free(after_prof);
	free(after_ad);
	plan_free(&pl);
	reg_close(s);
}

static void test_cleanup_after_update_refuses_rollback(void **state)
{
	(void)state;
	reg_store *s = open_fresh("cleanup");
	run_profile_ref r = ref_for(s);
	plan pl = PLAN_INIT;
	make_plan(&pl);
	assert_int_equal(run_txn_update(&r, &pl, &ids, "t"), RP_OK);
	assert_int_equal(run_txn_cleanup(&r, "t"), RP_OK);
	assert_int_equal(reg_key_exists(s, "Software\\reprofile\\Backup\\16.0\\Outlook"),
			 RP_ENOTFOUND);
	assert_int_equal(run_txn_rollback(&r, "t"), RP_ENOTFOUND);
	plan_free(&pl);
	reg_close(s);
}

/* Fails every write after the first `left` ones, as a crash would stop them. */
struct crash {
	long left;
	long count;
};

static int crash_hook(void *ctx)
{
	struct crash *c = ctx;
	c->count++;
	if (c->left-- <= 0)
		return rp_error_set(RP_ECRASH, "injected crash");
	return RP_OK;
}

/* For every N: stop the update after N writes (what reached the registry
 * stays, as with the live registry), then run recovery and the update again:
 * the result must equal an uninterrupted update; and recovery followed by a
 * rollback must give back the original byte for byte. */
static void test_crash_at_every_write(void **state)
{
	(void)state;
	reg_store *ref_store = open_fresh("crash-ref");
	run_profile_ref r0 = ref_for(ref_store);
	plan pl = PLAN_INIT;
	struct crash counter = {1L << 30, 0};
	char *want_prof, *want_ad, *orig_prof, *orig_ad;
	size_t nwp, nwa, nop, noa;
	long total, n;

	make_plan(&pl);
	nop = export_len(ref_store, PROF, &orig_prof);
	noa = export_len(ref_store, ADISC, &orig_ad);
	reg_set_write_hook(ref_store, crash_hook, &counter);
	assert_int_equal(run_txn_update(&r0, &pl, &ids, "t"), RP_OK);
	total = counter.count;
	assert_true(total > 10);
	nwp = export_len(ref_store, PROF, &want_prof);
	nwa = export_len(ref_store, ADISC, &want_ad);

	for (n = 0; n < total; n++) {
		reg_store *s = open_fresh("crash");
		run_profile_ref r = ref_for(s);
		struct crash c = {n, 0};
		bool recovered;
		char *got;
		size_t ng;

		reg_set_write_hook(s, crash_hook, &c);
		assert_int_equal(run_txn_update(&r, &pl, &ids, "t"), RP_ECRASH);
		reg_set_write_hook(s, NULL, NULL);

		/* Next run: recover, then update -> fully switched. */
		assert_int_equal(run_txn_recover(&r, &recovered), RP_OK);
		ng = export_len(s, PROF, &got);
		assert_int_equal(ng, nop); /* recovery gives the original back */
		assert_memory_equal(got, orig_prof, nop);
		free(got);
		ng = export_len(s, ADISC, &got);
		assert_int_equal(ng, noa);
		assert_memory_equal(got, orig_ad, noa);
		free(got);
		assert_int_equal(run_txn_update(&r, &pl, &ids, "t"), RP_OK);
		ng = export_len(s, PROF, &got);
		assert_int_equal(ng, nwp);
		assert_memory_equal(got, want_prof, nwp);
		free(got);
		ng = export_len(s, ADISC, &got);
		assert_int_equal(ng, nwa);
		assert_memory_equal(got, want_ad, nwa);
		free(got);
		reg_close(s);
	}
	/* A crash during rollback: the next recovery restores again. */
	for (n = 0; n < 40; n++) {
		reg_store *s = open_fresh("crash-rb");
		run_profile_ref r = ref_for(s);
		struct crash c = {n, 0};
		bool recovered;
		char *got;
		size_t ng;
		int rc;
		assert_int_equal(run_txn_update(&r, &pl, &ids, "t"), RP_OK);
		reg_set_write_hook(s, crash_hook, &c);
		rc = run_txn_rollback(&r, "t");
		reg_set_write_hook(s, NULL, NULL);
		if (rc == RP_OK) {
			reg_close(s);
			break; /* rollback needs fewer writes than n */
		}
		assert_int_equal(rc, RP_ECRASH);
		assert_int_equal(run_txn_recover(&r, &recovered), RP_OK);
		/* Original (rollback had begun) or still switched (it had not). */
		ng = export_len(s, PROF, &got);
		if (ng == nwp && memcmp(got, want_prof, nwp) == 0) {
			assert_false(recovered);
			assert_int_equal(run_txn_rollback(&r, "t"), RP_OK);
			free(got);
			ng = export_len(s, PROF, &got);
		}
		assert_int_equal(ng, nop);
		assert_memory_equal(got, orig_prof, nop);
		free(got);
		reg_close(s);
	}
	assert_true(n < 40);
	free(want_prof);
	free(want_ad);
	free(orig_prof);
	free(orig_ad);
	plan_free(&pl);
	reg_close(ref_store);
}

/* File edits: a file replaced, one created, one deleted. */
static char fa[600], fb[600], fc[600], fbak[600];
static const char a_orig[] = "original A\r\n\x00\x01", a_new[] = "rewritten A";
static const char c_orig[] = "original C";

static void write_bytes(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void check_bytes(const char *path, const char *data, size_t n)
{
	char buf[256];
	FILE *f = fopen(path, "rb");
	size_t got;
	assert_non_null(f);
	got = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(got, n);
	assert_memory_equal(buf, data, n);
}

static void files_fresh(void)
{
	snprintf(fa, sizeof(fa), "%s/a.dat", tmpdir);
	snprintf(fb, sizeof(fb), "%s/b.dat", tmpdir);
	snprintf(fc, sizeof(fc), "%s/c.dat", tmpdir);
	snprintf(fbak, sizeof(fbak), "%s/files-backup", tmpdir);
	write_bytes(fa, a_orig, sizeof(a_orig));
	remove(fb);
	write_bytes(fc, c_orig, sizeof(c_orig));
}

static void files_original(void)
{
	check_bytes(fa, a_orig, sizeof(a_orig));
	assert_false(plat_file_exists(fb));
	check_bytes(fc, c_orig, sizeof(c_orig));
}

static void files_switched(void)
{
	check_bytes(fa, a_new, sizeof(a_new));
	check_bytes(fb, "new B", 5);
	assert_false(plat_file_exists(fc));
}

static void make_file_plan(plan *p)
{
	make_plan(p);
	assert_int_equal(plan_write_file(p, fa, a_new, sizeof(a_new), "test: replace"),
			 RP_OK);
	assert_int_equal(plan_write_file(p, fb, "new B", 5, "test: create"), RP_OK);
	assert_int_equal(plan_delete_file(p, fc, "test: delete"), RP_OK);
	/* The same file twice: backed up once, before its first write. */
	assert_int_equal(plan_write_file(p, fa, a_new, sizeof(a_new), "test: again"),
			 RP_OK);
}

/* A crash at every registry or file write, simulated as a real crash of a
 * file store: what was not committed is lost (the store is reopened from
 * disk), files written stay. After recovery: original profile and files;
 * after the next update: switched; after rollback: original byte for byte. */
static void test_file_edits_crash(void **state)
{
	(void)state;
	char path[600];
	plan pl = PLAN_INIT;
	char *orig_prof, *want_prof, *got;
	size_t nop, nwp, ng;
	long total = 0, n;

	files_fresh();
	make_file_plan(&pl);
	assert_true(plan_has_files(&pl));
	snprintf(path, sizeof(path), "%s/files.reg", tmpdir);
	for (n = -1; n == -1 || n < total; n++) {
		reg_store *s = open_fresh("files");
		run_profile_ref r = ref_for(s);
		struct crash c = {n < 0 ? 1L << 30 : n, 0};
		bool recovered;
		int rc;
		assert_int_equal(reg_commit(s), RP_OK);
		files_fresh();
		r.file_backup_dir = fbak;
		r.file_hook = crash_hook;
		r.file_hook_ctx = &c;
		nop = export_len(s, PROF, &orig_prof);
		reg_set_write_hook(s, crash_hook, &c);
		rc = run_txn_update(&r, &pl, &ids, "t");
		if (n < 0) { /* the reference run */
			assert_int_equal(rc, RP_OK);
			total = c.count;
			assert_true(total > 10);
			files_switched();
			nwp = export_len(s, PROF, &want_prof);
			assert_int_equal(run_txn_rollback(&r, "t"), RP_OK);
			files_original();
			ng = export_len(s, PROF, &got);
			assert_int_equal(ng, nop);
			assert_memory_equal(got, orig_prof, nop);
			free(got);
			free(orig_prof);
			reg_close(s);
			continue;
		}
		assert_int_equal(rc, RP_ECRASH);
		reg_close(s); /* the crash: uncommitted changes are lost */
		assert_int_equal(reg_open_regfile(&s, path, REG_OPEN_WRITE), RP_OK);
		r.store = s;
		r.file_hook = NULL;
		assert_int_equal(run_txn_recover(&r, &recovered), RP_OK);
		files_original();
		ng = export_len(s, PROF, &got);
		assert_int_equal(ng, nop);
		assert_memory_equal(got, orig_prof, nop);
		free(got);
		assert_int_equal(run_txn_update(&r, &pl, &ids, "t"), RP_OK);
		files_switched();
		ng = export_len(s, PROF, &got);
		assert_int_equal(ng, nwp);
		assert_memory_equal(got, want_prof, nwp);
		free(got);
		assert_int_equal(run_txn_rollback(&r, "t"), RP_OK);
		files_original();
		free(orig_prof);
		reg_close(s);
	}
	free(want_prof);
	plan_free(&pl);
}

static void test_dry_run_render(void **state)
{
	(void)state;
	plan pl = PLAN_INIT;
	rp_buf out = RP_BUF_INIT;
	make_plan(&pl);
	assert_int_equal(plan_render_reg(&pl, "HKEY_CURRENT_USER", &out), RP_OK);
	rp_buf_u8(&out, 0);
	/* Each edit in .reg syntax, under its key, with its reason. */
	assert_non_null(strstr((char *)out.data,
			       "; switch: SMTP address\r\n\"001f6641\"=hex:"
			       "53,00,4d,00"));
	assert_non_null(strstr((char *)out.data, "\"001e6602\"=-\r\n"));
	assert_non_null(strstr((char *)out.data,
			       "[HKEY_CURRENT_USER\\" ADISC "]\r\n"
			       "; autodiscover: no SCP\r\n"
			       "\"ExcludeScpLookup\"=dword:00000001\r\n"));
	rp_buf_free(&out);
	plan_free(&pl);
	/* File edits are comments: the file, its size and SHA-256. */
	assert_int_equal(plan_write_file(&pl, "C:\\f.dat", "abc", 3, "test: write"),
			 RP_OK);
	assert_int_equal(plan_delete_file(&pl, "C:\\g.dat", "test: delete"), RP_OK);
	assert_int_equal(plan_render_reg(&pl, "HKEY_CURRENT_USER", &out), RP_OK);
	rp_buf_u8(&out, 0);
	assert_string_equal(
	    (char *)out.data,
	    "\r\n; test: write\r\n; write file (after backup): "
	    "C:\\f.dat (3 bytes, SHA-256 "
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad)"
	    "\r\n\r\n; test: delete\r\n; delete file (after backup): "
	    "C:\\g.dat\r\n");
	rp_buf_free(&out);
	plan_free(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_update_rollback_cleanup),
	    cmocka_unit_test(test_cleanup_after_update_refuses_rollback),
	    cmocka_unit_test(test_crash_at_every_write),
	    cmocka_unit_test(test_dry_run_render),
	    cmocka_unit_test(test_file_edits_crash),
	};
	char *t = plat_tempdir();
	snprintf(tmpdir, sizeof(tmpdir), "%s/rp-test-run-%ld", t, (long)plat_now());
	free(t);
	plat_mkdir_p(tmpdir);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
