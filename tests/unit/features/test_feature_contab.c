/* CONTAB (feature_contab.c) on tests/fixtures/profiles/outlook2016-contab.reg
 * (the Outlook Address Book: Kontakte, Kontakte/Suppliers, Kontakte/Vereine,
 * an ID the source does not know, a PST folder) against hand-built source and
 * target hierarchies with the IDs of the fixture mailboxes
 * (tests/fixtures/mailbox/mailbox-contab-source.json, mailbox-user1.json). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "features/features.h"
#include "mapi/mapi_value.h"
#include "profile/profile.h"
#include "registry/reg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIX RP_SOURCE_DIR "/tests/fixtures/profiles/"
#define TDN                                                                              \
	"/o=Target Org/ou=Exchange Administrative Group "                                \
	"(FYDIBOHF23SPDLT)/cn=Recipients/cn="

/* GUIDs as stored (GUID fields little-endian): the source mailbox
 * 3d5e7f90-1a2b-4c3d-8e9f-0a1b2c3d4e5f, its replica
 * 7b1c2d3e-4f50-4a61-8b72-c3d4e5f60718, and a target's. */
static const uint8_t src_mbx[16] = {0x90, 0x7f, 0x5e, 0x3d, 0x2b, 0x1a, 0x3d, 0x4c,
				    0x8e, 0x9f, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f};
static const uint8_t src_repl[16] = {0x3e, 0x2d, 0x1c, 0x7b, 0x50, 0x4f, 0x61, 0x4a,
				     0x8b, 0x72, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18};
static const uint8_t dst_mbx[16] = {0xaa, 0xaa, 0xaa, 0xaa, 0xbb, 0xbb, 0xcc, 0xcc,
				    0xdd, 0xdd, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee};

/* A folder entry ID (MS-OXCDATA 2.2.4.1): flags, provider, type 1, database
 * GUID, 6-byte big-endian counter, pad. */
static void folder_eid(uint8_t out[46], const uint8_t mbx[16], const uint8_t repl[16],
		       uint64_t counter)
{
	memset(out, 0, 46);
	memcpy(out + 4, mbx, 16);
	out[20] = 1;
	memcpy(out + 22, repl, 16);
	for (int i = 0; i < 6; i++)
		out[38 + i] = (uint8_t)(counter >> (8 * (5 - i)));
}

struct spec {
	uint64_t fid, parent;
	const char *name, *path;
	int role;
};

static void make_mailbox(mbx_mailbox *mb, const struct spec *s, size_t n,
			 const uint8_t mbx[16], const uint8_t repl[16])
{
	memset(mb, 0, sizeof(*mb));
	mb->fids[MBX_FID_ROOT] = 1;
	mb->fids[MBX_FID_IPM_SUBTREE] = 4;
	mb->f = calloc(n, sizeof(*mb->f));
	assert_non_null(mb->f);
	mb->n = n;
	for (size_t i = 0; i < n; i++) {
		mbx_folder *f = &mb->f[i];
		f->fid = s[i].fid;
		f->parent_fid = s[i].parent;
		f->name = rp_strdup(s[i].name);
		f->path = rp_strdup(s[i].path);
		f->ipm = true;
		f->role = s[i].role;
		f->eid = malloc(46);
		assert_non_null(f->eid);
		folder_eid(f->eid, mbx, repl, s[i].fid);
		f->neid = 46;
		memcpy(f->ltid, f->eid + 22, 24);
		f->has_ltid = true;
	}
}

static const struct spec src_spec[] = {
    {4, 1, "Oberste Ebene", "", MBX_FID_IPM_SUBTREE},
    {17, 4, "Kontakte", "Kontakte", MBX_ROLE_CONTACTS},
    {18, 17, "Suppliers", "Kontakte/Suppliers", MBX_ROLE_NONE},
    {19, 17, "Vereine", "Kontakte/Vereine", MBX_ROLE_NONE},
};
static const struct spec dst_spec[] = {
    {4, 1, "Top of Information Store", "", MBX_FID_IPM_SUBTREE},
    {40, 4, "Contacts", "Contacts", MBX_ROLE_CONTACTS},
    {41, 40, "Suppliers", "Contacts/Suppliers", MBX_ROLE_NONE},
};

struct fx {
	reg_store *s;
	profile_root root;
	profile *p;
	feature_target t;
	feature_opts o;
	feature_folders f;
	feature_ctx c;
	mbx_mailbox src, dst;
	mbx_folder_map map;
	feature_mailbox view;
	int calls;
	bool fail;
};

static int view_of(void *ctx, const feature_mailbox **out)
{
	struct fx *x = ctx;
	x->calls++;
	*out = NULL;
	if (x->fail)
		return rp_error_set(RP_ENOTFOUND, "the target mailbox did not open: 401");
	*out = &x->view;
	return RP_OK;
}

static void fx_open(struct fx *x, const char *file)
{
	memset(x, 0, sizeof(*x));
	assert_int_equal(reg_open_regfile(&x->s, file, 0), RP_OK);
	assert_int_equal(profile_find_root(x->s, &x->root), RP_OK);
	assert_int_equal(profile_load(x->s, &x->root, "Outlook", &x->p), RP_OK);
	x->t.smtp = "user1@target.example";
	x->t.legacy_dn = TDN "user1";
	x->t.home_server = "5c1b0d3e@target.example";
	x->c.store = x->s;
	x->c.p = x->p;
	x->c.ex = x->p->primary_exchange;
	x->c.target = &x->t;
	x->c.opts = &x->o;
	x->c.folders = &x->f;
	x->c.mailbox_of = view_of;
	x->c.mailbox_ctx = x;
	make_mailbox(&x->src, src_spec, 4, src_mbx, src_repl);
	make_mailbox(&x->dst, dst_spec, 3, dst_mbx, src_repl);
	assert_int_equal(mbx_folder_map_build(&x->src, &x->dst, &x->map), RP_OK);
	x->view.source = &x->src;
	x->view.target = &x->dst;
	x->view.map = &x->map;
}

static void fx_close(struct fx *x)
{
	mbx_folder_map_free(&x->map);
	mbx_mailbox_free(&x->src);
	mbx_mailbox_free(&x->dst);
	profile_free(x->p);
	profile_root_free(&x->root);
	reg_close(x->s);
}

/* The planned value name decoded as tag. */
static void planned(const plan *p, const char *name, uint32_t tag, mapi_value *v)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == PLAN_SET_VALUE && strcmp(p->v[i].name, name) == 0) {
			assert_int_equal(mapi_value_decode(v, tag, p->v[i].type,
							   p->v[i].data, p->v[i].len),
					 RP_OK);
			return;
		}
	fail_msg("no edit of %s", name);
}

/* Whether item b contains n bytes of s (memmem is not in MinGW). */
static bool has(const mapi_bin *b, const void *s, size_t n)
{
	for (size_t i = 0; i + n <= b->n; i++)
		if (!memcmp(b->p + i, s, n))
			return true;
	return false;
}

static void assert_item_str(const mapi_value *v, size_t i, const char *want)
{
	char *s = NULL;
	assert_int_equal(mapi_value_mvstr_utf8(v, i, &s), RP_OK);
	assert_string_equal(s, want);
	free(s);
}

static void test_processed(void **state)
{
	const feature_def *def = feature_find("CONTAB");
	struct fx x;
	plan p = PLAN_INIT;
	feature_result r;
	mapi_value v;
	uint8_t want[46];
	(void)state;

	assert_non_null(def);
	fx_open(&x, FIX "outlook2016-contab.reg");
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_DONE);
	assert_int_equal(x.calls, 1); /* asked once, for the first mailbox folder */
	assert_int_equal(r.found, 5);
	assert_int_equal(r.changed, 2);
	assert_int_equal(r.kept, 1);
	assert_int_equal(r.removed, 2);
	assert_true(r.warning);
	assert_string_equal(
	    r.message,
	    "5 contact folders found, 2 pointed at the target ('Kontakte' -> "
	    "'Contacts', 'Kontakte/Suppliers' -> 'Contacts/Suppliers'), 1 left on "
	    "their store ('Contacts' in 'Privat'), 2 dropped ('Kontakte/Vereine' (no "
	    "counterpart in the target mailbox), 'Alt' (not in the source mailbox))");

	/* Folder IDs: the target's, then the PST's untouched. */
	planned(&p, "11026620", 0x66201102, &v);
	assert_int_equal(v.count, 3);
	assert_int_equal(v.width, MAPI_MV_WIDTH_64);
	folder_eid(want, dst_mbx, src_repl, 40);
	assert_int_equal(v.mv[0].n, 46);
	assert_memory_equal(v.mv[0].p, want, 46);
	folder_eid(want, dst_mbx, src_repl, 41);
	assert_memory_equal(v.mv[1].p, want, 46);
	assert_int_equal(v.mv[2].n, 24); /* the PST folder ID */
	mapi_value_free(&v);

	/* Store IDs: the target mailbox's DN, the PST's kept. */
	planned(&p, "11026626", 0x66261102, &v);
	assert_int_equal(v.count, 3);
	assert_true(has(&v.mv[0], TDN "user1", strlen(TDN "user1")));
	assert_false(has(&v.mv[1], "ines.keller", 11));
	assert_true(has(&v.mv[2], "P\0r\0i\0v\0a\0t\0.\0p\0s\0t", 19));
	mapi_value_free(&v);

	/* Names: store and display names follow the address, folder names
	 * the target folders. */
	planned(&p, "101f6627", 0x6627101F, &v);
	assert_item_str(&v, 0, "user1@target.example");
	assert_item_str(&v, 2, "Privat");
	mapi_value_free(&v);
	planned(&p, "101f6628", 0x6628101F, &v);
	assert_item_str(&v, 0, "Contacts");
	assert_item_str(&v, 1, "Suppliers");
	mapi_value_free(&v);
	planned(&p, "101e6624", 0x6624101E, &v);
	assert_item_str(&v, 0, "Contacts - user1@target.example");
	assert_item_str(&v, 2, "Contacts (Privat)");
	mapi_value_free(&v);
	planned(&p, "10036621", 0x66211003, &v);
	assert_int_equal(v.count, 3);
	mapi_value_free(&v);
	for (size_t i = 0; i < p.n; i++)
		assert_string_equal(p.v[i].why,
				    "CONTAB: contact folders pointed at the target");
	feature_result_free(&r);
	plan_free(&p);
	fx_close(&x);
}

/* Skipped: "Outlook Address Book will become empty": every list, no mailbox. */
static void test_skipped(void **state)
{
	const feature_def *def = feature_find("CONTAB");
	static const char *const names[] = {
	    "11026620", "11026626", "10036621", "10036625", "101e6622",
	    "101e6623", "101e6624", "101f6627", "101f6628", "101f6629"};
	struct fx x;
	plan p = PLAN_INIT;
	feature_result r;
	(void)state;

	fx_open(&x, FIX "outlook2016-contab.reg");
	x.c.mode = FEATURE_MODE_SKIP;
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_SKIPPED);
	assert_int_equal(x.calls, 0);
	assert_int_equal(r.removed, 5);
	assert_string_equal(r.message, "skipped: the Outlook Address Book is emptied (5 "
				       "contact folders removed)");
	assert_int_equal(p.n, 10);
	for (size_t i = 0; i < p.n; i++) {
		/* An empty list: a count of 0; PT_MV_LONG is a bare array, so
		 * no bytes at all (mapi_value.h). */
		bool bare = strncmp(names[i], "1003", 4) == 0;
		assert_string_equal(p.v[i].name, names[i]);
		assert_int_equal(p.v[i].len, bare ? 0 : 4);
		if (!bare)
			assert_memory_equal(p.v[i].data, "\0\0\0\0", 4);
	}
	feature_result_free(&r);
	plan_free(&p);
	fx_close(&x);
}

/* The mailbox cannot be opened: "needs mailbox access", nothing planned;
 * without a source hierarchy: a failure naming why. */
static void test_no_mailbox(void **state)
{
	const feature_def *def = feature_find("CONTAB");
	struct fx x;
	plan p = PLAN_INIT;
	feature_result r;
	(void)state;

	fx_open(&x, FIX "outlook2016-contab.reg");
	x.fail = true;
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_NEEDS_MAILBOX);
	assert_int_equal(p.n, 0);
	assert_int_equal(r.found, 0);
	assert_string_equal(r.message, "needs mailbox access, not processed: the target "
				       "mailbox did not open: 401");
	feature_result_free(&r);

	x.c.mailbox_of = NULL;
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_NEEDS_MAILBOX);
	assert_string_equal(r.message, "needs mailbox access, not processed: no "
				       "MAPI/HTTP access in this run");
	feature_result_free(&r);

	x.c.mailbox_of = view_of;
	x.fail = false;
	x.view.source = NULL;
	x.view.map = NULL;
	x.view.source_why = "HTTP status 401";
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_FAILED);
	assert_int_equal(p.n, 0);
	assert_string_equal(r.message, "the source mailbox's folders cannot be read, so "
				       "its contact folders cannot be matched: HTTP "
				       "status 401");
	feature_result_free(&r);
	fx_close(&x);
}

/* Profiles without a mailbox folder in the Outlook Address Book never ask for
 * the mailbox. */
static void test_no_mailbox_needed(void **state)
{
	const feature_def *def = feature_find("CONTAB");
	struct fx x;
	plan p = PLAN_INIT;
	feature_result r;
	(void)state;

	fx_open(&x, FIX "outlook2016-online.reg");
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_DONE);
	assert_string_equal(r.message, "no contact folders in the profile");
	feature_result_free(&r);
	fx_close(&x);

	fx_open(&x, FIX "outlook2016-pop-imap.reg");
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_DONE);
	assert_int_equal(x.calls, 0);
	assert_int_equal(r.kept, 1);
	assert_int_equal(p.n, 0);
	feature_result_free(&r);
	fx_close(&x);
}

/* Lists that disagree: one line naming the file, key and value; nothing
 * planned. */
static void test_bad_lists(void **state)
{
	const feature_def *def = feature_find("CONTAB");
	struct fx x;
	plan p = PLAN_INIT;
	feature_result r;
	(void)state;

	fx_open(&x,
		RP_SOURCE_DIR "/tests/fixtures/bad/profile/contab-lists-disagree.reg");
	assert_int_equal(feature_run(def, &x.c, &p, &r), RP_OK);
	assert_int_equal(r.status, FEATURE_FAILED);
	assert_int_equal(p.n, 0);
	assert_non_null(strstr(r.message, "contab-lists-disagree.reg: key "));
	assert_non_null(strstr(r.message,
			       "value 101f6628 (Outlook Address Book): the "
			       "list has 2 items, the folder list 11026620 5"));
	feature_result_free(&r);
	fx_close(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_processed),  cmocka_unit_test(test_skipped),
	    cmocka_unit_test(test_no_mailbox), cmocka_unit_test(test_no_mailbox_needed),
	    cmocka_unit_test(test_bad_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
