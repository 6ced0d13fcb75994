/* The feature framework (table, runner, result) and the AddBoxes planner on
 * the fixture with five additional mailboxes and an in-memory CSV map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "directory/dir.h"
#include "features/feature_int.h"
#include "features/features.h"
#include "profile/profile.h"
#include "registry/reg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIX RP_SOURCE_DIR "/tests/fixtures/profiles/"
#define BAD RP_SOURCE_DIR "/tests/fixtures/bad/profile/"
#define TDN "/o=T/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="

static void test_table(void **state)
{
	size_t i, j;
	(void)state;
	assert_int_equal(feature_count, 21);
	assert_string_equal(feature_table[0].name, "AddBoxes");
	assert_string_equal(feature_table[feature_count - 1].name, "JunkReset");
	assert_ptr_equal(feature_find("addboxes"), &feature_table[0]);
	assert_null(feature_find("NoSuchFeature"));
	assert_null(feature_find(NULL));
	for (i = 0; i < feature_count; i++)
		for (j = i + 1; j < feature_count; j++)
			assert_string_not_equal(feature_table[i].name,
						feature_table[j].name);
	assert_string_equal(feature_status_name(FEATURE_NEEDS_MAILBOX), "needs_mailbox");
}

/* A planner that plans an edit and then fails, and one that succeeds. */
static int plan_then_fail(const feature_ctx *c, plan *out, feature_result *r)
{
	(void)c;
	(void)r;
	assert_int_equal(plan_delete_key(out, "Software\\x", "t: x"), RP_OK);
	return rp_error_set(RP_EFORMAT, "file.reg: key 'k': value 'v' is broken");
}

static int plan_ok(const feature_ctx *c, plan *out, feature_result *r)
{
	(void)c;
	r->found = 2;
	return plan_delete_key(out, "Software\\y", "t: y");
}

static void test_runner(void **state)
{
	feature_def bad = {"T", "Test", plan_then_fail, false, false};
	feature_def good = {"T", "Test", plan_ok, false, false};
	feature_def mbx = {"T", "Test", NULL, true, false};
	feature_def na = {"T", "Test", NULL, false, false};
	feature_ctx c;
	feature_result r;
	plan p = PLAN_INIT;
	(void)state;
	memset(&c, 0, sizeof(c));

	/* A failure: the feature's own edits are dropped, the reason kept. */
	assert_int_equal(feature_run(&bad, &c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_FAILED);
	assert_int_equal(p.n, 0);
	assert_string_equal(r.message, "file.reg: key 'k': value 'v' is broken");
	feature_result_free(&r);

	assert_int_equal(feature_run(&good, &c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_DONE);
	assert_int_equal(r.found, 2);
	assert_string_equal(r.message, "done");
	assert_int_equal(p.n, 1);
	feature_result_free(&r);
	plan_free(&p);

	c.mode = FEATURE_MODE_SKIP;
	assert_int_equal(feature_run(&good, &c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_SKIPPED);
	assert_string_equal(r.message, "skipped");
	feature_result_free(&r);
	plan_free(&p);

	assert_int_equal(feature_run(&mbx, &c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_NEEDS_MAILBOX);
	assert_string_equal(r.message, "needs mailbox access, not processed");
	assert_int_equal(p.n, 0);
	feature_result_free(&r);
	assert_int_equal(feature_run(&na, &c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_UNAVAILABLE);
	feature_result_free(&r);

	/* Reasons of the switch's helper are retagged. */
	assert_int_equal(plan_delete_key(&p, "a", "switch: PR_X"), RP_OK);
	assert_int_equal(plan_delete_key(&p, "b", "switch: PR_Y"), RP_OK);
	assert_int_equal(feature_retag(&p, 1, "AddBoxes"), RP_OK);
	assert_string_equal(p.v[0].why, "switch: PR_X");
	assert_string_equal(p.v[1].why, "AddBoxes: PR_Y");
	plan_free(&p);
}

struct fx {
	reg_store *s;
	profile_root root;
	profile *p;
	dir_resolver *dir;
	feature_target t;
	feature_opts o;
	feature_folders f;
	feature_ctx c;
};

static const char map_csv[] =
    "source,target_legacy_dn,target_smtp,display_name,kind\n"
    "support@source.example," TDN "support,support@t.example,S,mailbox\n"
    "sales@source.example," TDN "sales,sales@t.example,S,mailbox\n"
    "hr@source.example," TDN "hr,hr@t.example,H,mailbox\n";

static void fx_open(struct fx *x, const char *file, bool with_map)
{
	memset(x, 0, sizeof(*x));
	assert_int_equal(reg_open_regfile(&x->s, file, 0), RP_OK);
	assert_int_equal(profile_find_root(x->s, &x->root), RP_OK);
	assert_int_equal(profile_load(x->s, &x->root, "Outlook", &x->p), RP_OK);
	if (with_map)
		assert_int_equal(
		    dir_open_csv_mem(map_csv, sizeof(map_csv) - 1, "map.csv", &x->dir),
		    RP_OK);
	x->t.smtp = "olga.berg@t.example";
	x->t.legacy_dn = TDN "olga.berg";
	x->t.archive_server = "arch@t.example";
	x->c.store = x->s;
	x->c.p = x->p;
	x->c.ex = x->p->primary_exchange;
	x->c.target = &x->t;
	x->c.opts = &x->o;
	x->c.dir = x->dir;
	x->c.folders = &x->f;
}

static void fx_close(struct fx *x)
{
	dir_close(x->dir);
	profile_free(x->p);
	profile_root_free(&x->root);
	reg_close(x->s);
}

/* The edit of value name in any section, or NULL. */
static const plan_edit *find_set(const plan *p, const char *name,
				 const char *data_utf16_of)
{
	size_t i, k, n = strlen(data_utf16_of);
	for (i = 0; i < p->n; i++) {
		const plan_edit *e = &p->v[i];
		bool match = e->kind == PLAN_SET_VALUE && strcmp(e->name, name) == 0;
		if (!match)
			continue;
		/* data: 8-bit or UTF-16LE text; compare the ASCII letters */
		for (k = 0; k + n <= e->len; k++) {
			size_t j = 0, w = e->len >= 2 && e->data[1] == 0 ? 2 : 1;
			while (j < n && k + j * w < e->len &&
			       e->data[k + j * w] == data_utf16_of[j])
				j++;
			if (j == n)
				return e;
		}
	}
	return NULL;
}

static int owner_adisc(void *ctx, const char *smtp, feature_target *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	if (strcmp(smtp, "support@t.example") != 0)
		return rp_error_set(RP_ENOTFOUND, "no answer");
	out->legacy_dn = rp_strdup(TDN "support-from-adisc");
	out->home_server = rp_strdup("feed@t.example");
	return RP_OK;
}

/* Services: the address-book settings of the root section, written into
 * the fixture's store in memory (never committed). */
static void put_eid_ab(rp_buf *b, const char *dn)
{
	static const uint8_t emsab[16] = {0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
					  0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82};
	assert_int_equal(rp_buf_zeros(b, 4), RP_OK);
	assert_int_equal(rp_buf_append(b, emsab, 16), RP_OK);
	assert_int_equal(rp_buf_u32le(b, 1), RP_OK);
	assert_int_equal(rp_buf_u32le(b, 0x100), RP_OK);
	assert_int_equal(rp_buf_append(b, dn, strlen(dn) + 1), RP_OK);
}

/* An x64 PT_MV_BINARY of the EX containers dns[0..n). */
static void put_path(rp_buf *out, const char *const *dns, size_t n)
{
	rp_buf items[4] = {RP_BUF_INIT, RP_BUF_INIT, RP_BUF_INIT, RP_BUF_INIT};
	size_t i, off = 4 + 16 * n;
	assert_true(n <= 4);
	assert_int_equal(rp_buf_u32le(out, (uint32_t)n), RP_OK);
	for (i = 0; i < n; i++) {
		put_eid_ab(&items[i], dns[i]);
		assert_int_equal(rp_buf_u32le(out, (uint32_t)items[i].len), RP_OK);
		assert_int_equal(rp_buf_u32le(out, 0), RP_OK);
		assert_int_equal(rp_buf_u64le(out, off), RP_OK);
		off += (items[i].len + 3) & ~(size_t)3;
	}
	for (i = 0; i < n; i++) {
		assert_int_equal(rp_buf_append(out, items[i].data, items[i].len), RP_OK);
		assert_int_equal(rp_buf_align(out, 4), RP_OK);
		rp_buf_free(&items[i]);
	}
}

#define LIST_SRC "/guid=0123456789ABCDEF0123456789ABCDEF"
#define LIST_DST "/guid=FEDCBA9876543210FEDCBA9876543210"
#define LIST_GONE "/guid=00112233445566778899AABBCCDDEEFF"

static const plan_edit *edit_of(const plan *p, const char *name)
{
	size_t i;
	for (i = 0; i < p->n; i++)
		if (p->v[i].name && strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
	return NULL;
}

static bool has_text(const plan_edit *e, const char *t)
{
	size_t n = strlen(t), k;
	for (k = 0; e && k + n <= e->len; k++)
		if (memcmp(e->data + k, t, n) == 0)
			return true;
	return false;
}

static void test_services(void **state)
{
	static const char map[] =
	    "source,target_legacy_dn,target_smtp,display_name,kind\n" LIST_SRC
	    "," LIST_DST ",,All Sales,\n";
	const char *dns[4] = {"/", LIST_SRC, LIST_GONE, "/o=SourceOrg"};
	const feature_def *def = feature_find("Services");
	struct fx x;
	plan p = PLAN_INIT;
	feature_result r;
	rp_buf sp = RP_BUF_INIT, dd = RP_BUF_INIT;
	char *root;
	const plan_edit *e;
	(void)state;

	assert_non_null(def);
	fx_open(&x, FIX "outlook2016-addboxes.reg", false);
	assert_int_equal(dir_open_csv_mem(map, sizeof(map) - 1, "map.csv", &x.dir),
			 RP_OK);
	x.c.dir = x.dir;
	/* Writable (in memory; never committed). */
	reg_close(x.s);
	assert_int_equal(
	    reg_open_regfile(&x.s, FIX "outlook2016-addboxes.reg", REG_OPEN_WRITE),
	    RP_OK);
	x.c.store = x.s;
	root = rp_asprintf("%s\\%s", x.p->path, PROFILE_SEC_ROOT);
	put_path(&sp, dns, 4);
	put_eid_ab(&dd, LIST_GONE);
	assert_int_equal(reg_set_value(x.s, root, "11023d05", 3, sp.data, sp.len), RP_OK);
	assert_int_equal(reg_set_value(x.s, root, "01023d06", 3, dd.data, dd.len), RP_OK);

	/* Processed: GAL kept, the mapped list and the organisation rewritten,
	 * the unmapped list dropped; the first list (unmapped) deleted. */
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_DONE);
	assert_false(r.warning);
	assert_int_equal(r.found, 5);
	assert_int_equal(r.kept, 1);
	assert_int_equal(r.changed, 2);
	assert_int_equal(r.removed, 2);
	assert_int_equal(p.n, 2);
	e = edit_of(&p, "11023d05");
	assert_non_null(e);
	assert_int_equal(e->kind, PLAN_SET_VALUE);
	assert_true(has_text(e, LIST_DST));
	assert_true(has_text(e, "/o=T"));
	assert_false(has_text(e, LIST_SRC));
	assert_false(has_text(e, LIST_GONE));
	assert_int_equal(rp_le32(e->data), 3); /* three entries, x64 layout */
	assert_int_equal(rp_le32(e->data + 8), 0);
	assert_memory_equal(e->data + rp_le32(e->data + 12),
			    sp.data + rp_le32(sp.data + 12),
			    29); /* the GAL entry, byte for byte */
	e = edit_of(&p, "01023d06");
	assert_non_null(e);
	assert_int_equal(e->kind, PLAN_DELETE_VALUE);
	assert_non_null(strstr(r.message, LIST_GONE " removed (no equivalent)"));
	assert_non_null(strstr(r.message, "first address list shown: " LIST_GONE
					  " reset to the default"));
	assert_non_null(strstr(r.message, "folder settings need mailbox access"));
	plan_free(&p);
	feature_result_free(&r);

	/* No map: the lists have no equivalent (a warning), the organisation
	 * still follows the target's. */
	x.c.dir = NULL;
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_true(r.warning);
	assert_int_equal(r.changed, 1);
	assert_int_equal(r.removed, 3);
	assert_non_null(strstr(r.message, "no recipient map"));
	plan_free(&p);
	feature_result_free(&r);

	/* Skipped: the two values present are deleted. */
	x.c.mode = FEATURE_MODE_SKIP;
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_SKIPPED);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[0].kind, PLAN_DELETE_VALUE);
	assert_int_equal(p.v[1].kind, PLAN_DELETE_VALUE);
	assert_int_equal(r.removed, 2);
	plan_free(&p);
	feature_result_free(&r);

	/* Only the GAL: nothing to change. */
	x.c.mode = FEATURE_MODE_PROCESS;
	sp.len = 0;
	put_path(&sp, dns, 1);
	assert_int_equal(reg_set_value(x.s, root, "11023d05", 3, sp.data, sp.len), RP_OK);
	assert_int_equal(reg_delete_value(x.s, root, "01023d06"), RP_OK);
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(p.n, 0);
	assert_string_equal(r.message,
			    "search path: 1 address lists, 1 kept; folder settings "
			    "need mailbox access");
	plan_free(&p);
	feature_result_free(&r);

	/* A broken first address list: the feature fails naming key and value. */
	dd.len = 22;
	assert_int_equal(reg_set_value(x.s, root, "01023d06", 3, dd.data, dd.len), RP_OK);
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_FAILED);
	assert_int_equal(p.n, 0);
	assert_non_null(strstr(r.message, PROFILE_SEC_ROOT "': value '01023d06'"));
	feature_result_free(&r);

	free(root);
	rp_buf_free(&sp);
	rp_buf_free(&dd);
	fx_close(&x);
}

static void test_addboxes(void **state)
{
	struct fx x;
	plan p = PLAN_INIT;
	feature_result r;
	(void)state;

	fx_open(&x, FIX "outlook2016-addboxes.reg", true);
	x.c.target_of = owner_adisc;
	assert_int_equal(feature_run(&feature_table[0], &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_DONE);
	assert_int_equal(r.found, 5);
	assert_int_equal(r.changed, 4);
	assert_int_equal(r.kept, 1);
	assert_non_null(
	    strstr(r.message, "legacy.box@source.example left on the source"));
	assert_non_null(strstr(r.message, "support@source.example moved to the target "
					  "(support@t.example)"));
	assert_non_null(strstr(r.message, "hr@source.example moved to the target "
					  "(hr@t.example, from the recipient map)"));
	/* Autodiscover's answer wins for support; the map gives hr's DN. */
	assert_non_null(find_set(&p, "001e660b", TDN "support-from-adisc"));
	assert_non_null(find_set(&p, "001e660c", "feed@t.example"));
	assert_non_null(find_set(&p, "001e660b", TDN "hr"));
	assert_non_null(find_set(&p, "001e660c", "arch@t.example")); /* the archive */
	assert_null(find_set(&p, "001e660b", TDN "legacy"));
	/* every reason is tagged */
	for (size_t i = 0; i < p.n; i++)
		assert_memory_equal(p.v[i].why, "AddBoxes: ", 10);
	feature_result_free(&r);
	plan_free(&p);

	/* Skipped: five provider sections deleted, the lists lose their UIDs. */
	x.c.mode = FEATURE_MODE_SKIP;
	assert_int_equal(feature_run(&feature_table[0], &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_SKIPPED);
	assert_int_equal(r.removed, 5);
	{
		size_t i, dels = 0, lists = 0;
		for (i = 0; i < p.n; i++) {
			dels += p.v[i].kind == PLAN_DELETE_KEY;
			if (p.v[i].kind == PLAN_SET_VALUE) {
				assert_string_equal(p.v[i].name, "01023d00");
				assert_int_equal(p.v[i].len % 16, 0);
				lists++;
			}
		}
		assert_int_equal(dels, 5);
		assert_int_equal(lists, 3);
	}
	feature_result_free(&r);
	plan_free(&p);
	fx_close(&x);

	/* No recipient map: a failure naming the problem, no edits. */
	fx_open(&x, FIX "outlook2016-addboxes.reg", false);
	assert_int_equal(feature_run(&feature_table[0], &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_FAILED);
	assert_non_null(strstr(r.message, "no recipient map"));
	assert_int_equal(p.n, 0);
	feature_result_free(&r);
	fx_close(&x);

	/* A broken entry ID: the message names the key and the value. */
	fx_open(&x, BAD "addbox-eid-cut-short.reg", true);
	assert_int_equal(feature_run(&feature_table[0], &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_FAILED);
	assert_non_null(strstr(r.message, "value '01020ffb'"));
	assert_non_null(strstr(r.message, "Profiles\\Outlook\\"));
	assert_int_equal(p.n, 0);
	feature_result_free(&r);
	fx_close(&x);
}

/* More bad input: an additional mailbox naming no owner; a map row with no
 * target legacyExchangeDN. Each fails AddBoxes with one line, no edits. */
static void test_addboxes_bad(void **state)
{
	static const char no_dn[] = "source,target_legacy_dn,target_smtp\n"
				    "support@source.example,,support@t.example\n";
	struct fx x;
	plan p = PLAN_INIT;
	feature_result r;
	(void)state;

	fx_open(&x, BAD "addbox-no-owner.reg", true);
	assert_int_equal(feature_run(&feature_table[0], &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_FAILED);
	assert_string_equal(r.message, "additional mailbox 'Mailbox - support' names no "
				       "owner (no PR_PROFILE_MAILBOX, no SMTP address)");
	assert_int_equal(p.n, 0);
	feature_result_free(&r);
	fx_close(&x);

	/* Broken store entry IDs, one each: the value is named, no edits. */
	{
		static const char *const eids[] = {"addbox-eid-dll-cut.reg",
						   "addbox-eid-dn-unterminated.reg",
						   "addbox-eid-v2-cut.reg"};
		char path[512];
		size_t i;
		for (i = 0; i < sizeof(eids) / sizeof(eids[0]); i++) {
			snprintf(path, sizeof(path), "%s%s", BAD, eids[i]);
			fx_open(&x, path, true);
			assert_int_equal(feature_run(&feature_table[0], &x.c, &p, &r),
					 RP_OK);
			assert_int_equal(r.status, FEATURE_FAILED);
			assert_non_null(strstr(r.message, "value '01020ffb' (store entry "
							  "ID of additional mailbox"));
			assert_int_equal(p.n, 0);
			feature_result_free(&r);
			fx_close(&x);
		}
	}

	fx_open(&x, FIX "outlook2016-addboxes.reg", false);
	assert_int_equal(dir_open_csv_mem(no_dn, sizeof(no_dn) - 1, "no-dn.csv", &x.dir),
			 RP_OK);
	x.c.dir = x.dir;
	assert_int_equal(feature_run(&feature_table[0], &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_FAILED);
	assert_string_equal(r.message,
			    "the recipient map gives no target legacyExchangeDN "
			    "for the owner of 'support@source.example'");
	assert_int_equal(p.n, 0);
	feature_result_free(&r);
	fx_close(&x);
}

/* UserNames on a profile where the user renamed a shared mailbox, the
 * archive and one of two PSTs. Processed: nothing planned, the three names
 * kept. Skipped: the mailboxes lose their names (Outlook names them again),
 * the PST gets its file's name back; default names are left alone. */
static void test_usernames(void **state)
{
	const feature_def *def = feature_find("UserNames");
	struct fx x;
	plan p = PLAN_INIT;
	feature_result r;
	size_t i, dels = 0;
	(void)state;

	assert_non_null(def);
	fx_open(&x, FIX "outlook2016-usernames.reg", false);
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_DONE);
	assert_int_equal(r.found, 7); /* 4 shared, the archive, 2 PSTs */
	assert_int_equal(r.kept, 3);
	assert_int_equal(p.n, 0);
	assert_string_equal(r.message, "7 stores, 3 renamed by the user: 'Support Team', "
				       "'My Archive', 'Old Projects' kept; folder names "
				       "need mailbox access");
	feature_result_free(&r);

	x.c.mode = FEATURE_MODE_SKIP;
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_SKIPPED);
	assert_int_equal(r.changed, 3);
	for (i = 0; i < p.n; i++) {
		assert_memory_equal(p.v[i].why, "UserNames skipped: ", 19);
		assert_string_equal(p.v[i].name, "001f3001");
		dels += p.v[i].kind == PLAN_DELETE_VALUE;
	}
	assert_int_equal(dels, 2);
	assert_int_equal(p.n, 3);
	assert_non_null(find_set(&p, "001f3001", "Archive 2015"));
	assert_null(find_set(&p, "001f3001", "Archive 2016"));
	feature_result_free(&r);
	plan_free(&p);
	fx_close(&x);

	/* Default names only: nothing to keep or reset. */
	fx_open(&x, FIX "outlook2016-addboxes.reg", false);
	x.c.mode = FEATURE_MODE_SKIP;
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(p.n, 0);
	assert_string_equal(r.message, "5 stores, none renamed by the user; folder names "
				       "need mailbox access");
	feature_result_free(&r);
	fx_close(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),     cmocka_unit_test(test_runner),
	    cmocka_unit_test(test_addboxes),  cmocka_unit_test(test_addboxes_bad),
	    cmocka_unit_test(test_usernames), cmocka_unit_test(test_services),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
