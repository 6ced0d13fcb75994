/* Unit tests for the file-side features' cores (feature_nicks.c,
 * feature_srs.c): the nickname rewrite through a real CSV recipient map
 * (tests/fixtures/nicks/map.csv), finding the files in a user folder, and
 * the SRS scan for the source mailbox in 8-bit and UTF-16LE text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "directory/dir.h"
#include "features/features.h"
#include "mapi/mapi_nick.h"
#include "platform/plat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIX RP_SOURCE_DIR "/tests/fixtures/nicks/"
#define GOOD "Stream_Autocomplete_0_8F0A1B2C3D4E5F60718293A4B5C6D7E8.dat"
#define TGT                                                                              \
	"/o=Contoso/ou=Exchange Administrative Group "                                   \
	"(FYDIBOHF23SPDLT)/cn=Recipients/cn="

static dir_resolver *open_map(void)
{
	dir_resolver *m = NULL;
	if (dir_open_csv(FIX "map.csv", &m) != RP_OK)
		fail_msg("map.csv: %s", rp_error_msg());
	return m;
}

static int rewrite_file(const char *file, bool nk2, rp_buf *out, feature_nicks_count *c)
{
	uint8_t *data;
	size_t n;
	dir_resolver *m = open_map();
	int rc;
	assert_int_equal(feature_nicks_read(file, &data, &n), RP_OK);
	rc = feature_nicks_rewrite(file, data, n, nk2, m, out, c);
	free(data);
	dir_close(m);
	return rc;
}

static void test_nicks_rewrite(void **state)
{
	(void)state;
	rp_buf out = RP_BUF_INIT;
	feature_nicks_count c;
	mapi_nick s;
	mapi_nick_who w;
	char *v = NULL;

	assert_int_equal(rewrite_file(FIX GOOD, false, &out, &c), RP_OK);
	/* alice (EX), bob (SMTP), frank (EX) migrated; carol has no target,
	 * erin is unknown, dave is a contact */
	assert_int_equal(c.rows, 6);
	assert_int_equal(c.rewritten, 3);
	assert_int_equal(c.left, 3);
	assert_int_equal(mapi_nick_decode(&s, out.data, out.len), RP_OK);
	assert_int_equal(mapi_nick_row_who(&s, 0, &w), RP_OK);
	assert_string_equal(w.dn, TGT "alice.archer");
	assert_string_equal(w.smtp, "alice.archer@contoso.example");
	mapi_nick_who_free(&w);
	assert_int_equal(mapi_nick_row_who(&s, 1, &w), RP_OK);
	assert_string_equal(w.smtp, "bob.baker@contoso.example");
	mapi_nick_who_free(&w);
	assert_int_equal(mapi_nick_row_who(&s, 2, &w), RP_OK);
	assert_string_equal(w.dn, "/o=Fabrikam/ou=Exchange Administrative Group "
				  "(FYDIBOHF23SPDLT)/cn=Recipients/cn=carol");
	mapi_nick_who_free(&w);
	assert_int_equal(mapi_nick_str(&s, 5, MAPI_NICK_ID_EMAIL_ADDRESS, &v), RP_OK);
	assert_string_equal(v, TGT "frank.foster");
	free(v);
	mapi_nick_free(&s);

	/* Re-running over the rewritten file changes nothing. */
	{
		dir_resolver *m = open_map();
		rp_buf again = RP_BUF_INIT;
		assert_int_equal(feature_nicks_rewrite("again", out.data, out.len, false,
						       m, &again, &c),
				 RP_OK);
		assert_int_equal(c.rewritten, 0);
		assert_int_equal(again.len, out.len);
		assert_memory_equal(again.data, out.data, out.len);
		rp_buf_free(&again);
		dir_close(m);
	}
	rp_buf_free(&out);
}

static void test_nicks_versions(void **state)
{
	(void)state;
	rp_buf out = RP_BUF_INIT;
	feature_nicks_count c;

	/* .nk2 (major 10) */
	assert_int_equal(rewrite_file(FIX "Outlook.nk2", true, &out, &c), RP_OK);
	assert_int_equal(c.rows, 2);
	assert_int_equal(c.rewritten, 2);
	/* a stream with major 11, a stream named .nk2, an NK2 read as a stream */
	out.len = 0;
	rp_error_clear();
	assert_int_equal(rewrite_file(FIX "stream-major11.dat", false, &out, &c),
			 RP_EUNSUPPORTED);
	assert_non_null(strstr(rp_error_msg(), "stream-major11.dat: major version 11"));
	assert_int_equal(rewrite_file(FIX GOOD, true, &out, &c), RP_EUNSUPPORTED);
	assert_int_equal(rewrite_file(FIX "Outlook.nk2", false, &out, &c),
			 RP_EUNSUPPORTED);
	/* minor 1 with extra info: kept */
	out.len = 0;
	assert_int_equal(rewrite_file(FIX "stream-minor1-extra.dat", false, &out, &c),
			 RP_OK);
	assert_int_equal(c.rewritten, 2);
	assert_memory_equal(out.data + out.len - 17, "\x05\0\0\0\x01\x02\x03\x04\x05", 9);
	/* empty stream */
	out.len = 0;
	assert_int_equal(rewrite_file(FIX "stream-empty.dat", false, &out, &c), RP_OK);
	assert_int_equal(c.rows, 0);
	rp_buf_free(&out);
}

static void test_nicks_bad(void **state)
{
	(void)state;
	rp_buf out = RP_BUF_INIT;
	feature_nicks_count c;
	const char *file = FIX "bad/bad-value-size.dat";
	rp_error_clear();
	assert_int_equal(rewrite_file(file, false, &out, &c), RP_EFORMAT);
	/* one line naming the file */
	assert_non_null(strstr(rp_error_msg(), "bad-value-size.dat: row 0, property 0"));
	assert_null(strchr(rp_error_msg(), '\n'));
	rp_buf_free(&out);
}

static char *tmp_dir(void)
{
	char *base = plat_tempdir();
	char *d = rp_asprintf("%s/rp-featfiles-%ld-%d", base, (long)plat_now(), rand());
	free(base);
	return d;
}

static void rmtree(const char *dir)
{
	plat_dirent *e = NULL;
	size_t n = 0, i;
	if (plat_list_dir(dir, &e, &n) != RP_OK)
		return;
	for (i = 0; i < n; i++) {
		char *p = rp_asprintf("%s/%s", dir, e[i].name);
		if (e[i].is_dir)
			rmtree(p);
		else
			plat_remove(p);
		free(p);
	}
	plat_dir_free(e, n);
	rmdir(dir);
}

static void touch(const char *path)
{
	FILE *f = plat_fopen(path, "wb");
	assert_non_null(f);
	fputs("x", f);
	fclose(f);
}

static void test_nicks_files(void **state)
{
	(void)state;
	char *root = tmp_dir(), *local, *roam, *rc_dir, *ol, *p;
	feature_folders u = {NULL, NULL, NULL};
	char **v;
	size_t n;

	local = rp_asprintf("%s/Local", root);
	roam = rp_asprintf("%s/Roaming", root);
	rc_dir = rp_asprintf("%s/Microsoft/Outlook/RoamCache", local);
	ol = rp_asprintf("%s/Microsoft/Outlook", roam);
	assert_int_equal(plat_mkdir_p(rc_dir), RP_OK);
	assert_int_equal(plat_mkdir_p(ol), RP_OK);
	u.local_appdata = local;
	u.appdata = roam;
	/* nothing there yet */
	assert_int_equal(feature_nicks_files(&u, "Outlook", &v, &n), RP_OK);
	assert_int_equal(n, 0);
	feature_paths_free(v, n);
	p = rp_asprintf("%s/Stream_Autocomplete_0_BBBB.dat", rc_dir);
	touch(p);
	free(p);
	p = rp_asprintf("%s/stream_autocomplete_0_AAAA.DAT", rc_dir);
	touch(p);
	free(p);
	p = rp_asprintf("%s/Stream_Calendar_0_CCCC.dat", rc_dir);
	touch(p);
	free(p);
	p = rp_asprintf("%s/Outlook.nk2", ol);
	touch(p);
	free(p);
	assert_int_equal(feature_nicks_files(&u, "Outlook", &v, &n), RP_OK);
	assert_int_equal(n, 3);
	assert_non_null(strstr(v[0], "Stream_Autocomplete_0_BBBB.dat"));
	assert_non_null(strstr(v[1], "stream_autocomplete_0_AAAA.DAT"));
	assert_non_null(strstr(v[2], "Outlook.nk2"));
	feature_paths_free(v, n);
	/* another profile has no .nk2; unknown folders give nothing */
	assert_int_equal(feature_nicks_files(&u, "Other", &v, &n), RP_OK);
	assert_int_equal(n, 2);
	feature_paths_free(v, n);
	u.local_appdata = u.appdata = NULL;
	assert_int_equal(feature_nicks_files(&u, "Outlook", &v, &n), RP_OK);
	assert_int_equal(n, 0);
	feature_paths_free(v, n);
	p = feature_srs_path(&(feature_folders){NULL, NULL, roam}, "Outlook");
	assert_non_null(strstr(p, "Roaming"));
	assert_non_null(strstr(p, "Outlook.srs"));
	free(p);
	rmtree(root);
	assert_false(plat_file_exists(root));
	free(root);
	free(local);
	free(roam);
	free(rc_dir);
	free(ol);
}

static void test_srs(void **state)
{
	(void)state;
	static const uint8_t eid[] = {0, 0, 0, 0, 0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5};
	feature_srs_source src = {eid, sizeof(eid),
				  "/o=Fabrikam/ou=First/cn=Recipients/cn=alice",
				  "alice@fabrikam.example"};
	rp_buf b = RP_BUF_INIT;
	const uint8_t junk[] = "SRS groups: All Accounts; alice@fabrikam.exampl";

	/* nothing of the source */
	assert_null(feature_srs_names_source(junk, sizeof(junk), &src));
	assert_null(feature_srs_names_source(NULL, 0, &src));
	/* 8-bit DN, any case */
	rp_buf_puts(&b, "\x01\x02 /O=FABRIKAM/OU=FIRST/CN=RECIPIENTS/CN=ALICE \x03");
	assert_string_equal(feature_srs_names_source(b.data, b.len, &src),
			    "the source mailbox DN");
	/* UTF-16 SMTP, mixed case */
	b.len = 0;
	rp_buf_zeros(&b, 3);
	rp_utf8_to_utf16le("Alice@Fabrikam.Example", 22, &b, true);
	assert_string_equal(feature_srs_names_source(b.data, b.len, &src),
			    "the source SMTP address (UTF-16)");
	/* UTF-16 DN */
	b.len = 0;
	rp_utf8_to_utf16le(src.dn, strlen(src.dn), &b, false);
	assert_string_equal(feature_srs_names_source(b.data, b.len, &src),
			    "the source mailbox DN (UTF-16)");
	/* the store entry ID, byte for byte (not case-folded) */
	b.len = 0;
	rp_buf_puts(&b, "head");
	rp_buf_append(&b, eid, sizeof(eid));
	assert_string_equal(feature_srs_names_source(b.data, b.len, &src),
			    "the source store entry ID");
	b.data[4 + 4] = 0x58; /* 0x38 'x'-cased would be 0x58: must not match */
	assert_null(feature_srs_names_source(b.data, b.len, &src));
	/* an identifier the source lacks is skipped */
	src.dn = NULL;
	src.smtp = "";
	b.len = 0;
	rp_buf_puts(&b, "alice@fabrikam.example");
	assert_null(feature_srs_names_source(b.data, b.len, &src));
	rp_buf_free(&b);
}

/* A user folder with the fixture stream and .nk2 (and more files by name). */
struct userdir {
	char *root, *local, *roam, *rc_dir, *ol;
	feature_folders u;
};

static void userdir_make(struct userdir *d)
{
	char *p;
	d->root = tmp_dir();
	d->local = rp_asprintf("%s/Local", d->root);
	d->roam = rp_asprintf("%s/Roaming", d->root);
	d->rc_dir = rp_asprintf("%s/Microsoft/Outlook/RoamCache", d->local);
	d->ol = rp_asprintf("%s/Microsoft/Outlook", d->roam);
	assert_int_equal(plat_mkdir_p(d->rc_dir), RP_OK);
	assert_int_equal(plat_mkdir_p(d->ol), RP_OK);
	p = rp_asprintf("%s/%s", d->rc_dir, GOOD);
	assert_int_equal(plat_copy_file(FIX GOOD, p), RP_OK);
	free(p);
	p = rp_asprintf("%s/Outlook.nk2", d->ol);
	assert_int_equal(plat_copy_file(FIX "Outlook.nk2", p), RP_OK);
	free(p);
	d->u.user_dir = d->root;
	d->u.local_appdata = d->local;
	d->u.appdata = d->roam;
}

static void userdir_free(struct userdir *d)
{
	rmtree(d->root);
	free(d->root);
	free(d->local);
	free(d->roam);
	free(d->rc_dir);
	free(d->ol);
}

/* A context over a minimal decoded profile named "Outlook" whose primary
 * Exchange account is the source mailbox below. */
struct fctx {
	profile p;
	profile_exchange ex;
	feature_ctx c;
};

static void fctx_init(struct fctx *f, const feature_folders *u, dir_resolver *m,
		      feature_mode mode)
{
	memset(f, 0, sizeof(*f));
	f->p.name = "Outlook";
	f->ex.primary_store = -1;
	f->ex.mailbox_dn = "/o=Fabrikam/ou=First/cn=Recipients/cn=me";
	f->ex.smtp = "me@fabrikam.example";
	f->p.exchange = &f->ex;
	f->p.nexchange = 1;
	f->c.p = &f->p;
	f->c.ex = 0;
	f->c.dir = m;
	f->c.folders = u;
	f->c.mode = mode;
}

static int run_feature(const char *name, struct fctx *f, plan *pl, feature_result *r)
{
	const feature_def *def = feature_find(name);
	assert_non_null(def);
	assert_non_null(def->plan);
	return feature_run(def, &f->c, pl, r);
}

static void test_nicks_plan(void **state)
{
	(void)state;
	struct userdir d;
	struct fctx f;
	plan pl = PLAN_INIT;
	feature_result r;
	dir_resolver *m = open_map();
	char *p;
	mapi_nick s;

	userdir_make(&d);
	fctx_init(&f, &d.u, m, FEATURE_MODE_PROCESS);
	assert_int_equal(run_feature("Nicks", &f, &pl, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_DONE);
	assert_string_equal(r.message, "8 rows, 5 rewritten, 3 left (not migrated); "
				       "mailbox copy: needs mailbox access");
	assert_false(r.warning);
	assert_int_equal(r.found, 8);
	assert_int_equal(r.changed, 5);
	assert_int_equal(r.kept, 3);
	assert_int_equal(pl.n, 2);
	assert_int_equal(pl.v[0].kind, PLAN_WRITE_FILE);
	assert_non_null(strstr(pl.v[0].path, GOOD));
	assert_int_equal(pl.v[1].kind, PLAN_WRITE_FILE);
	assert_non_null(strstr(pl.v[1].path, "Outlook.nk2"));
	assert_int_equal(mapi_nick_decode(&s, pl.v[1].data, pl.v[1].len), RP_OK);
	assert_int_equal(s.major, 10);
	mapi_nick_free(&s);
	feature_result_free(&r);
	plan_free(&pl);

	/* Remove=Nicks: both files deleted, nothing read */
	f.c.mode = FEATURE_MODE_REMOVE;
	assert_int_equal(run_feature("Nicks", &f, &pl, &r), RP_OK);
	assert_string_equal(r.message, "2 nickname files removed (backed up); mailbox "
				       "copy: needs mailbox access");
	assert_int_equal(r.removed, 2);
	assert_int_equal(pl.n, 2);
	assert_int_equal(pl.v[0].kind, PLAN_DELETE_FILE);
	assert_int_equal(pl.v[1].kind, PLAN_DELETE_FILE);
	feature_result_free(&r);
	plan_free(&pl);

	/* skipped: the list keeps its links to source users */
	f.c.mode = FEATURE_MODE_SKIP;
	assert_int_equal(run_feature("Nicks", &f, &pl, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_SKIPPED);
	assert_int_equal(pl.n, 0);
	feature_result_free(&r);
	f.c.mode = FEATURE_MODE_PROCESS;

	/* a stream of another major version: left alone with a warning */
	p = rp_asprintf("%s/Stream_Autocomplete_0_ZZ.dat", d.rc_dir);
	assert_int_equal(plat_copy_file(FIX "stream-major11.dat", p), RP_OK);
	assert_int_equal(run_feature("Nicks", &f, &pl, &r), RP_OK);
	assert_true(r.warning);
	assert_non_null(
	    strstr(r.message, "Stream_Autocomplete_0_ZZ.dat: major version 11"));
	assert_int_equal(pl.n, 2);
	feature_result_free(&r);
	plan_free(&pl);

	/* a malformed stream: the feature fails naming it, no edit survives */
	assert_int_equal(plat_copy_file(FIX "bad/bad-value-cut.dat", p), RP_OK);
	assert_int_equal(run_feature("Nicks", &f, &pl, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_FAILED);
	assert_non_null(strstr(r.message, "Stream_Autocomplete_0_ZZ.dat: row 2"));
	assert_int_equal(pl.n, 0);
	feature_result_free(&r);
	free(p);

	/* no recipient map: rows counted, nothing written */
	userdir_free(&d);
	userdir_make(&d);
	f.c.dir = NULL;
	assert_int_equal(run_feature("Nicks", &f, &pl, &r), RP_OK);
	assert_non_null(strstr(r.message, "8 rows, 0 rewritten, 8 left (not migrated), "
					  "no recipient map"));
	assert_int_equal(pl.n, 0);
	feature_result_free(&r);
	/* user folders unknown: a warning, nothing planned */
	{
		feature_folders none = {NULL, NULL, NULL};
		f.c.folders = &none;
		f.c.dir = m;
		assert_int_equal(run_feature("Nicks", &f, &pl, &r), RP_OK);
		assert_true(r.warning);
		assert_non_null(strstr(r.message, "the user's folders are not known"));
		assert_int_equal(pl.n, 0);
		feature_result_free(&r);
		f.c.folders = &d.u;
	}
	/* no files */
	p = rp_asprintf("%s/%s", d.rc_dir, GOOD);
	plat_remove(p);
	free(p);
	p = rp_asprintf("%s/Outlook.nk2", d.ol);
	plat_remove(p);
	free(p);
	assert_int_equal(run_feature("Nicks", &f, &pl, &r), RP_OK);
	assert_string_equal(r.message, "no nickname file found; mailbox copy: needs "
				       "mailbox access");
	feature_result_free(&r);
	userdir_free(&d);
	dir_close(m);
}

static void test_srs_plan(void **state)
{
	(void)state;
	struct userdir d;
	struct fctx f;
	plan pl = PLAN_INIT;
	feature_result r;
	char *p;
	FILE *f1;

	userdir_make(&d);
	fctx_init(&f, &d.u, NULL, FEATURE_MODE_PROCESS);
	assert_int_equal(run_feature("SRS", &f, &pl, &r), RP_OK);
	assert_string_equal(r.message, "no Outlook.srs file");
	assert_int_equal(pl.n, 0);
	feature_result_free(&r);
	p = rp_asprintf("%s/Outlook.srs", d.ol);
	f1 = plat_fopen(p, "wb");
	assert_non_null(f1);
	fwrite("\x01\x02All Accounts\0\0", 1, 16, f1);
	fclose(f1);
	assert_int_equal(run_feature("SRS", &f, &pl, &r), RP_OK);
	assert_non_null(strstr(r.message, "Outlook.srs kept (it names nothing"));
	assert_int_equal(r.kept, 1);
	assert_int_equal(pl.n, 0);
	feature_result_free(&r);
	/* the source address as UTF-16, upper case */
	{
		rp_buf b = RP_BUF_INIT;
		rp_utf8_to_utf16le("ME@FABRIKAM.EXAMPLE", 19, &b, true);
		f1 = plat_fopen(p, "ab");
		fwrite(b.data, 1, b.len, f1);
		fclose(f1);
		rp_buf_free(&b);
	}
	assert_int_equal(run_feature("SRS", &f, &pl, &r), RP_OK);
	assert_non_null(
	    strstr(r.message, "removed (it names the source SMTP address (UTF-16)"));
	assert_int_equal(r.removed, 1);
	assert_int_equal(pl.n, 1);
	assert_int_equal(pl.v[0].kind, PLAN_DELETE_FILE);
	/* the planner joins with the platform separator */
	assert_int_equal(strncmp(pl.v[0].path, d.roam, strlen(d.roam)), 0);
	assert_non_null(strstr(pl.v[0].path, "Outlook.srs"));
	feature_result_free(&r);
	plan_free(&pl);
	/* skipped: kept as it is */
	f.c.mode = FEATURE_MODE_SKIP;
	assert_int_equal(run_feature("SRS", &f, &pl, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_SKIPPED);
	assert_int_equal(pl.n, 0);
	feature_result_free(&r);
	free(p);
	userdir_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nicks_rewrite), cmocka_unit_test(test_nicks_versions),
	    cmocka_unit_test(test_nicks_bad),     cmocka_unit_test(test_nicks_files),
	    cmocka_unit_test(test_srs),           cmocka_unit_test(test_nicks_plan),
	    cmocka_unit_test(test_srs_plan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
