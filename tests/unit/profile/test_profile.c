/* test_profile.c - the profile decoder over every fixture of
 * tests/fixtures/profiles/. Expected values are the literal strings and
 * numbers written into the fixtures (see gen_fixtures.py and the folder's
 * README), not values computed by the decoder under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_eid.h"
#include "profile/profile.h"
#include "registry/reg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIX RP_SOURCE_DIR "/tests/fixtures/profiles/"
#define BAD RP_SOURCE_DIR "/tests/fixtures/bad/profile/"

struct loaded {
	reg_store *s;
	profile_root root;
	profile *p;
};

static void load_file(struct loaded *l, const char *path, const char *name)
{
	int rc = reg_open_regfile(&l->s, path, 0);
	if (rc < 0)
		fail_msg("open %s: %s", path, rp_error_msg());
	rc = profile_find_root(l->s, &l->root);
	if (rc < 0)
		fail_msg("root %s: %s", path, rp_error_msg());
	int k = profile_root_find(&l->root, name);
	if (k < 0)
		fail_msg("%s: no profile %s", path, name);
	rc = profile_load(l->s, &l->root, l->root.keys[k], &l->p);
	if (rc < 0)
		fail_msg("load %s: %s", path, rp_error_msg());
}

static void unload(struct loaded *l)
{
	profile_free(l->p);
	profile_root_free(&l->root);
	reg_close(l->s);
}

static const profile_exchange *ex(const profile *p, size_t i)
{
	assert_true(i < p->nexchange);
	return &p->exchange[i];
}

static const profile_store *store_of(const profile *p, profile_store_kind k, int nth)
{
	size_t i;
	for (i = 0; i < p->nstores; i++)
		if (p->stores[i].kind == k && nth-- == 0)
			return &p->stores[i];
	fail_msg("no store of kind %s", profile_store_kind_name(k));
	return NULL;
}

static bool has_problem(const profile *p, const char *needle)
{
	size_t i;
	for (i = 0; i < p->nproblems; i++)
		if (strstr(p->problems[i].text, needle))
			return true;
	return false;
}

/* eid_bytes holding 8-bit text equal to s */
static void assert_bytes_str(const eid_bytes *b, const char *s)
{
	assert_int_equal(b->n, strlen(s));
	assert_memory_equal(b->p, s, b->n);
}

static void assert_utf16(const eid_bytes *b, const char *s)
{
	char *u = NULL;
	assert_int_equal(rp_utf16le_to_utf8(b->p, b->n, &u), RP_OK);
	assert_string_equal(u, s);
	free(u);
}

/* ------------------------------------------------------------------ names */

static void test_names(void **state)
{
	char *s = NULL;
	(void)state;
	/* é = 0xE9: '[' + (0x70 + 9) 'y' + (0x70 + 0xE) '~'  (Kopano KOE-173 rule) */
	assert_int_equal(profile_name_decode("Caf[y~ R[y~seau", &s), RP_OK);
	assert_string_equal(s, "Caf\xc3\xa9 R\xc3\xa9seau");
	free(s);
	assert_int_equal(profile_name_encode("Caf\xc3\xa9 R\xc3\xa9seau", &s), RP_OK);
	assert_string_equal(s, "Caf[y~ R[y~seau");
	free(s);
	/* ö = 0xF6: '[' 'v' 0x7F */
	assert_int_equal(profile_name_encode("K\xc3\xb6ln", &s), RP_OK);
	assert_string_equal(s, "K[v\x7fln");
	free(s);
	assert_int_equal(profile_name_decode("K[v\x7fln", &s), RP_OK);
	assert_string_equal(s, "K\xc3\xb6ln");
	free(s);
	/* a literal '[' not followed by an escape stays */
	assert_int_equal(profile_name_decode("[Team] x[p", &s), RP_OK);
	assert_string_equal(s, "[Team] x[p");
	free(s);
	/* "[pp" would mean 0x00: not an escape (only >= 0x80 are escaped) */
	assert_int_equal(profile_name_decode("a[ppb", &s), RP_OK);
	assert_string_equal(s, "a[ppb");
	free(s);
	/* U+20AC cannot be stored */
	assert_int_equal(profile_name_encode("\xe2\x82\xac", &s), RP_EINVAL);
}

/* ------------------------------------------------------------------ fixtures */

static void test_2013_rpchttp(void **state)
{
	struct loaded l = {0};
	(void)state;
	load_file(&l, FIX "outlook2013-rpchttp.reg", "Outlook");
	const profile *p = l.p;
	assert_string_equal(l.root.version, "15.0");
	assert_true(p->is_default);
	assert_int_equal(p->nexchange, 1);
	const profile_exchange *x = ex(p, 0);
	assert_string_equal(x->smtp, "alice.martin@source.example");
	assert_string_equal(x->smtp_raw, "SMTP:alice.martin@source.example");
	assert_string_equal(x->mailbox_dn,
			    "/o=SourceOrg/ou=Exchange Administrative Group "
			    "(FYDIBOHF23SPDLT)/cn=Recipients/cn=alice.martin");
	assert_string_equal(x->home_server,
			    "5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d@source.example");
	assert_string_equal(
	    x->home_server_dn,
	    "/o=SourceOrg/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/"
	    "cn=Configuration/cn=Servers/cn=5b1f2c3d-4e5f-4a6b-8c7d-"
	    "9e0f1a2b3c4d@source.example");
	assert_string_equal(x->roh_proxy, "outlook.source.example");
	assert_string_equal(x->roh_principal, "msstd:outlook.source.example");
	assert_true(x->has_roh_flags);
	assert_int_equal(x->roh_flags, 0x2F);
	assert_int_equal(x->roh_auth, 2);
	assert_int_equal(x->auth_package, 0xA);
	assert_true(x->cached);
	assert_int_equal(x->config_flags, 0x1984);
	assert_string_equal(x->ost_path, "C:\\Users\\amartin\\AppData\\Local\\Microsoft\\"
					 "Outlook\\alice.martin@source.example.ost");
	assert_true(x->legacy);
	assert_int_equal(p->primary_exchange, 0);
	assert_true(p->primary_from_global);
	assert_int_equal(p->default_exchange, 0);
	/* v2 store entry ID: server DN and FQDN in the tail */
	assert_true(x->primary_store >= 0);
	const profile_store *st = &p->stores[x->primary_store];
	assert_int_equal(st->kind, PROFILE_STORE_MAILBOX);
	assert_non_null(st->eid);
	assert_int_equal(st->eid->kind, EID_STORE);
	assert_int_equal(st->eid->u.store.kind, EID_STORE_EMSMDB);
	assert_int_equal(st->eid->u.store.tail_version, 2);
	assert_utf16(&st->eid->u.store.v2_server_fqdn, "outlook.source.example");
	assert_bytes_str(&st->eid->u.store.mailbox_dn, x->mailbox_dn);
	assert_int_equal(p->nproblems, 0);
	unload(&l);
}

static void test_2016_online(void **state)
{
	struct loaded l = {0};
	(void)state;
	load_file(&l, FIX "outlook2016-online.reg", "Outlook");
	const profile *p = l.p;
	assert_string_equal(l.root.version, "16.0");
	const profile_exchange *x = ex(p, 0);
	assert_string_equal(x->smtp, "bob.nguyen@source.example");
	assert_false(x->cached);
	assert_int_equal(x->config_flags, 0x1004);
	assert_null(x->ost_path);
	assert_null(x->roh_proxy);
	assert_string_equal(x->mapihttp_store_internal,
			    "https://mail.source.example/mapi/emsmdb/?MailboxId="
			    "0c9a6d1e-2b3f-4c5d-9e6f-7a8b9c0d1e2f@source.example");
	assert_string_equal(x->mapihttp_ab_external,
			    "https://mail.source.example/mapi/nspi/?MailboxId="
			    "0c9a6d1e-2b3f-4c5d-9e6f-7a8b9c0d1e2f@source.example");
	assert_string_equal(
	    x->lkg_autodiscover,
	    "https://autodiscover.source.example/autodiscover/autodiscover.xml");
	assert_string_equal(x->home_server_fqdn, "mail.source.example");
	const profile_store *st = &p->stores[x->primary_store];
	assert_int_equal(st->eid->u.store.tail_version, 3);
	assert_utf16(&st->eid->u.store.v3_smtp, "bob.nguyen@source.example");
	assert_bytes_str(&st->eid->u.store.server,
			 "0c9a6d1e-2b3f-4c5d-9e6f-7a8b9c0d1e2f@source.example");
	/* the one search-path entry is the GAL container: EX AB ID, DN "/" */
	assert_int_equal(p->nsearch_path, 1);
	assert_int_equal(p->search_path[0].eid->kind, EID_AB);
	assert_int_equal(p->search_path[0].eid->u.ab.type, 0x100);
	assert_bytes_str(&p->search_path[0].eid->u.ab.dn, "/");
	assert_int_equal(p->nproblems, 0);
	unload(&l);
}

static void test_2016_cached(void **state)
{
	struct loaded l = {0};
	(void)state;
	load_file(&l, FIX "outlook2016-cached.reg", "Outlook");
	const profile *p = l.p;
	const profile_exchange *x = ex(p, 0);
	assert_string_equal(x->smtp, "carol.smith@source.example");
	assert_true(x->cached);
	assert_int_equal(x->config_flags, 0x1984);
	assert_string_equal(x->ost_path,
			    "C:\\Users\\csmith\\AppData\\Local\\Microsoft\\Outlook"
			    "\\carol.smith@source.example.ost");
	assert_string_equal(x->mailbox_dn,
			    "/o=SourceOrg/ou=Exchange Administrative Group "
			    "(FYDIBOHF23SPDLT)/cn=Recipients/cn=carol.smith");
	/* services: MSEMS only; providers: AB, transport, store */
	assert_int_equal(p->nservices, 1);
	assert_string_equal(p->services[0].name, "MSEMS");
	assert_int_equal(p->services[0].nproviders, 3);
	assert_int_equal(p->naccounts, 1);
	assert_int_equal(p->accounts[0].id, 1);
	assert_int_equal(p->accounts[0].kind, PROFILE_ACCT_MAPI);
	assert_string_equal(p->accounts[0].name, "carol.smith@source.example");
	assert_string_equal(p->accounts[0].service_name, "MSEMS");
	assert_int_equal(x->account, 0);
	assert_int_equal(p->norder_mail, 1);
	assert_int_equal(p->order_mail[0], 1);
	assert_true(p->has_next_account_id);
	assert_int_equal(p->next_account_id, 2);
	assert_true(p->has_search_key);
	assert_int_equal(p->mv_width, 16);
	assert_int_equal(p->nproblems, 0);
	/* the section path helper names the service key as written in the file */
	char *path = profile_section_path(p, p->services[0].uid);
	assert_string_equal(
	    path, "Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Outlook"
		  "\\28cf705df8fd3b686379fd394c0e84f4");
	free(path);
	unload(&l);
}

static void test_2016_two_exchange(void **state)
{
	struct loaded l = {0};
	(void)state;
	load_file(&l, FIX "outlook2016-two-exchange.reg", "Outlook");
	const profile *p = l.p;
	assert_int_equal(p->nexchange, 2);
	assert_string_equal(ex(p, 0)->smtp, "dave.jones@source.example");
	assert_string_equal(ex(p, 1)->smtp, "dave.jones@partner.example");
	assert_string_equal(ex(p, 1)->mailbox_dn,
			    "/o=PartnerOrg/ou=Exchange Administrative "
			    "Group (FYDIBOHF23SPDLT)/cn=Recipients/"
			    "cn=dave.jones.partner");
	/* primary (legacy) = 0a0d...\01023d15 = first account; default sending =
	 * first of {ED475418} = account 2 = the partner account */
	assert_int_equal(p->primary_exchange, 0);
	assert_true(p->primary_from_global);
	assert_true(ex(p, 0)->legacy);
	assert_false(ex(p, 1)->legacy);
	assert_int_equal(p->accounts[p->default_account].id, 2);
	assert_int_equal(p->default_exchange, 1);
	assert_string_equal(ex(p, 1)->ost_path,
			    "C:\\Users\\djones\\AppData\\Local\\Microsoft\\"
			    "Outlook\\dave.jones@partner.example.ost");
	assert_int_equal(p->nproblems, 0);
	unload(&l);
}

static void test_2016_delegates(void **state)
{
	struct loaded l = {0};
	(void)state;
	load_file(&l, FIX "outlook2016-delegates.reg", "Outlook");
	const profile *p = l.p;
	const profile_exchange *x = ex(p, 0);
	assert_int_equal(x->nstores, 4);
	const profile_store *mbx = store_of(p, PROFILE_STORE_MAILBOX, 0);
	const profile_store *del = store_of(p, PROFILE_STORE_DELEGATE, 0);
	const profile_store *arc = store_of(p, PROFILE_STORE_ARCHIVE, 0);
	const profile_store *pub = store_of(p, PROFILE_STORE_PUBLIC, 0);
	assert_int_equal(mbx->exchange, 0);
	assert_string_equal(del->display_name, "Support Desk");
	assert_string_equal(del->smtp, "support@source.example");
	assert_string_equal(del->mailbox_dn,
			    "/o=SourceOrg/ou=Exchange Administrative Group "
			    "(FYDIBOHF23SPDLT)/cn=Recipients/cn=support");
	assert_string_equal(del->server,
			    "22222222-3333-4444-8555-666666666666@source.example");
	assert_int_equal(del->profile_type, 2);
	assert_int_equal(del->eid->u.store.wrapped_type, 0x08);
	assert_utf16(&del->eid->u.store.v3_smtp, "support@source.example");
	assert_string_equal(arc->alt_type, "Archive");
	assert_string_equal(arc->server,
			    "33333333-4444-4555-8666-777777777777@source.example");
	assert_int_equal(pub->profile_type, 3);
	assert_string_equal(pub->server, "mail.source.example");
	assert_int_equal(pub->eid->u.store.wrapped_type, 0x06);
	assert_false(pub->eid->u.store.has_mailbox_dn);
	assert_bytes_str(&pub->eid->u.store.server, "mail.source.example");
	assert_int_equal(p->nproblems, 0);
	unload(&l);
}

static void check_pst_contab(const profile *p, int width)
{
	const profile_store *pst = store_of(p, PROFILE_STORE_PST, 0);
	assert_string_equal(
	    pst->pst_path,
	    "C:\\Users\\fmoreau\\Documents\\Outlook Files\\Archive 2019.pst");
	assert_string_equal(pst->display_name, "Archive 2019");
	assert_int_equal(pst->eid->u.store.kind, EID_STORE_MSPST);
	assert_true(pst->eid->u.store.pst_unicode);
	assert_utf16(&pst->eid->u.store.pst_path, pst->pst_path);
	assert_int_equal(pst->exchange, -1);

	assert_int_equal(p->nexchange, 1);
	assert_string_equal(ex(p, 0)->smtp, "frank.moreau@source.example");

	assert_true(p->contab.service >= 0);
	assert_int_equal(p->contab.nfolders, 3);
	assert_string_equal(p->contab.folders[0].display_name,
			    "Contacts - frank.moreau@source.example");
	assert_string_equal(p->contab.folders[1].folder_name, "Suppliers");
	assert_string_equal(p->contab.folders[2].store_name, "Archive 2019");
	assert_string_equal(p->contab.folders[2].display_name, "Contacts (Archive 2019)");
	/* folders 0/1 live in the Exchange mailbox: 46-byte folder IDs and the
	 * mailbox store ID; folder 2 in the PST: 24-byte MS-PST ID (opaque) */
	assert_int_equal(p->contab.folders[0].folder_eid->kind, EID_FOLDER);
	assert_int_equal(p->contab.folders[0].folder_eid_len, 46);
	assert_int_equal(p->contab.folders[0].store_eid->u.store.kind, EID_STORE_EMSMDB);
	assert_bytes_str(
	    &p->contab.folders[0].store_eid->u.store.mailbox_dn,
	    "/o=SourceOrg/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/"
	    "cn=Recipients/cn=frank.moreau");
	assert_int_equal(p->contab.folders[2].folder_eid_len, 24);
	assert_int_equal(p->contab.folders[2].store_eid->u.store.kind, EID_STORE_MSPST);
	/* search path: GAL + one contab container per folder */
	assert_int_equal(p->nsearch_path, 4);
	assert_int_equal(p->search_path[0].eid->kind, EID_AB);
	assert_int_equal(p->search_path[1].eid->kind, EID_CONTAB);
	assert_int_equal(p->search_path[1].eid->u.contab.type, 3);
	assert_int_equal(p->mv_width, width);
	/* accounts: Exchange 1, PST 2, CONTAB 3 */
	assert_int_equal(p->naccounts, 3);
	assert_int_equal(p->norder_ab, 2);
	assert_int_equal(p->order_ab[1], 3);
	assert_int_equal(p->nproblems, 0);
}

static void test_2016_pst_contab(void **state)
{
	struct loaded l = {0};
	(void)state;
	load_file(&l, FIX "outlook2016-pst-contab.reg", "Outlook");
	check_pst_contab(l.p, 16);
	unload(&l);
}

static void test_mv_widths(void **state)
{
	struct loaded a = {0}, b = {0};
	size_t i;
	(void)state;
	load_file(&a, FIX "outlook2016-mv-x86.reg", "Outlook");
	load_file(&b, FIX "outlook2016-mv-x64.reg", "Outlook");
	check_pst_contab(a.p, 8);
	check_pst_contab(b.p, 16);
	/* same items whatever the descriptor width */
	assert_int_equal(a.p->nsearch_path, b.p->nsearch_path);
	for (i = 0; i < a.p->nsearch_path; i++) {
		assert_int_equal(a.p->search_path[i].len, b.p->search_path[i].len);
		assert_memory_equal(a.p->search_path[i].raw, b.p->search_path[i].raw,
				    a.p->search_path[i].len);
	}
	for (i = 0; i < a.p->contab.nfolders; i++) {
		assert_int_equal(a.p->contab.folders[i].folder_eid_len,
				 b.p->contab.folders[i].folder_eid_len);
		assert_memory_equal(a.p->contab.folders[i].folder_eid_raw,
				    b.p->contab.folders[i].folder_eid_raw,
				    a.p->contab.folders[i].folder_eid_len);
	}
	unload(&a);
	unload(&b);
}

static void test_2016_pop_imap(void **state)
{
	struct loaded l = {0};
	(void)state;
	load_file(&l, FIX "outlook2016-pop-imap.reg", "Outlook");
	const profile *p = l.p;
	assert_int_equal(p->nexchange, 0);
	assert_int_equal(p->primary_exchange, -1);
	/* accounts: PST 1, PST 2, POP 3, IMAP 4, CONTAB 5; mail order [3, 4] */
	assert_int_equal(p->naccounts, 5);
	assert_int_equal(p->accounts[p->default_account].id, 3);
	assert_int_equal(p->accounts[p->default_account].kind, PROFILE_ACCT_POP3);
	assert_string_equal(p->accounts[p->default_account].server, "pop.mail.example");
	assert_string_equal(p->accounts[p->default_account].email, "gina@mail.example");
	assert_int_equal(p->default_exchange, -1);
	assert_int_equal(p->accounts[3].kind, PROFILE_ACCT_IMAP4);
	assert_string_equal(p->accounts[3].server, "imap.imap.example");
	assert_string_equal(
	    store_of(p, PROFILE_STORE_PST, 1)->pst_path,
	    "C:\\Users\\gina\\Documents\\Outlook Files\\gina@imap.example.pst");
	assert_int_equal(p->contab.nfolders, 1);
	assert_int_equal(p->nsearch_path, 1);
	assert_int_equal(p->mv_width, 8);
	assert_int_equal(p->nproblems, 0);
	unload(&l);
}

static void test_nonascii(void **state)
{
	struct loaded l = {0};
	(void)state;
	load_file(&l, FIX "nonascii-name.reg", "Caf\xc3\xa9 R\xc3\xa9seau");
	assert_string_equal(l.p->name, "Caf\xc3\xa9 R\xc3\xa9seau");
	assert_string_equal(l.p->key, "Caf[y~ R[y~seau");
	assert_true(l.p->is_default);
	assert_string_equal(ex(l.p, 0)->smtp, "helene.brun@source.example");
	/* found by its key name too */
	assert_int_equal(profile_root_find(&l.root, "Caf[y~ R[y~seau"), 0);
	unload(&l);
}

static void test_wms_legacy(void **state)
{
	struct loaded l = {0};
	(void)state;
	load_file(&l, FIX "wms-legacy.reg", "Legacy");
	const profile *p = l.p;
	assert_string_equal(l.root.version, "wms");
	assert_string_equal(l.root.default_name, "Legacy");
	assert_true(p->is_default);
	const profile_exchange *x = ex(p, 0);
	assert_true(x->legacy_global);
	assert_string_equal(x->section, "13dbb0c8aa05101a9bb000aa002fc45a");
	assert_string_equal(x->home_server, "EXCH01");
	assert_string_equal(x->smtp, "ivan.petrov@source.example");
	assert_string_equal(x->mailbox_dn,
			    "/o=SourceOrg/ou=Exchange Administrative Group "
			    "(FYDIBOHF23SPDLT)/cn=Recipients/cn=ivan.petrov");
	assert_string_equal(x->home_server_dn,
			    "/o=SourceOrg/ou=Exchange Administrative Group "
			    "(FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/"
			    "cn=EXCH01");
	assert_int_equal(x->config_flags, 0x1184);
	assert_true(x->cached);
	/* no 0a0d...\01023d15: primary = first Exchange service */
	assert_int_equal(p->primary_exchange, 0);
	assert_false(p->primary_from_global);
	const profile_store *st = &p->stores[x->primary_store];
	assert_int_equal(st->eid->u.store.tail_version, 0);
	assert_bytes_str(&st->eid->u.store.server, "EXCH01");
	assert_int_equal(p->mv_width, 8);
	assert_int_equal(p->nproblems, 0);
	unload(&l);
}

static void test_dangling(void **state)
{
	struct loaded l = {0};
	(void)state;
	load_file(&l, FIX "dangling-refs.reg", "Outlook");
	const profile *p = l.p;
	assert_int_equal(p->nproblems, 3);
	assert_true(
	    has_problem(p, "dangling service UID 0badc0de0badc0de0badc0de0badc0de"));
	assert_true(
	    has_problem(p, "dangling provider UID 0badf00d0badf00d0badf00d0badf00d"));
	assert_true(has_problem(p, "dangling account ID 4"));
	assert_string_equal(p->problems[1].value, "01023d02");
	assert_string_equal(p->problems[2].value, PROFILE_ORDER_MAIL);
	/* the rest still decodes */
	assert_string_equal(ex(p, 0)->smtp, "jack.white@source.example");
	assert_int_equal(p->nservices, 2);
	assert_false(p->services[1].present);
	assert_int_equal(p->norder_mail, 2);
	unload(&l);
}

static void test_side_by_side(void **state)
{
	reg_store *s;
	profile_root r;
	(void)state;
	assert_int_equal(reg_open_regfile(&s, FIX "side-by-side.reg", 0), RP_OK);
	assert_int_equal(profile_find_root(s, &r), RP_OK);
	assert_string_equal(r.version, "16.0");
	assert_int_equal(r.nkeys, 1);
	assert_string_equal(r.keys[0], "New2016");
	assert_string_equal(r.default_name, "New2016");
	profile_root_free(&r);
	assert_int_equal(profile_open_root(s, PROFILE_ROOT_OFFICE15, &r), RP_OK);
	assert_string_equal(r.keys[0], "Old2013");
	assert_string_equal(r.default_name, "Old2013");
	profile_root_free(&r);
	assert_int_equal(profile_open_root(s, PROFILE_ROOT_WMS, &r), RP_ENOTFOUND);
	reg_close(s);
}

static void expect_bad(const char *file, const char *value)
{
	reg_store *s;
	profile_root r;
	profile *p = NULL;
	char path[1024];
	const char *m;
	snprintf(path, sizeof(path), "%s%s", BAD, file);
	assert_int_equal(reg_open_regfile(&s, path, 0), RP_OK);
	assert_int_equal(profile_find_root(s, &r), RP_OK);
	assert_int_equal(profile_load(s, &r, "Outlook", &p), RP_EFORMAT);
	assert_null(p);
	m = rp_error_msg();
	/* one line naming file, key and value */
	assert_non_null(strstr(m, file));
	assert_non_null(strstr(m, "Profiles\\Outlook\\"));
	assert_non_null(strstr(m, value));
	assert_null(strchr(m, '\n'));
	profile_root_free(&r);
	reg_close(s);
}

static void test_bad_inputs(void **state)
{
	(void)state;
	expect_bad("mv-offset-out-of-range.reg", "value 11023d05");
	expect_bad("mv-item-past-end.reg", "value 11026620");
	expect_bad("store-eid-cut-short.reg", "value 01020ffb");
}

static void test_default_fallback(void **state)
{
	reg_store *s;
	profile_root r;
	FILE *f;
	(void)state;
	/* a 16.0 profile whose DefaultProfile is only under the WMS key */
	f = fopen("wmsdefault.reg", "wb");
	assert_non_null(f);
	fputs("Windows Registry Editor Version 5.00\r\n\r\n"
	      "[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows NT\\CurrentVersion\\"
	      "Windows Messaging Subsystem\\Profiles]\r\n"
	      "\"DefaultProfile\"=\"Work\"\r\n\r\n"
	      "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\"
	      "Work\\9207f3e0a3b11019908b08002b2a56c2]\r\n",
	      f);
	fclose(f);
	assert_int_equal(reg_open_regfile(&s, "wmsdefault.reg", 0), RP_OK);
	assert_int_equal(profile_find_root(s, &r), RP_OK);
	assert_string_equal(r.version, "16.0");
	assert_string_equal(r.default_name, "Work");
	assert_true(profile_root_is_default(&r, "Work"));
	profile_root_free(&r);
	reg_close(s);
	remove("wmsdefault.reg");
}

static void test_no_profiles(void **state)
{
	reg_store *s;
	profile_root r;
	FILE *f;
	(void)state;
	/* a .reg file with Outlook settings but no profile under any root */
	f = fopen("noprofiles.reg", "wb");
	assert_non_null(f);
	fputs("Windows Registry Editor Version 5.00\r\n\r\n"
	      "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook]\r\n"
	      "\"DefaultProfile\"=\"Outlook\"\r\n",
	      f);
	fclose(f);
	assert_int_equal(reg_open_regfile(&s, "noprofiles.reg", 0), RP_OK);
	assert_int_equal(profile_find_root(s, &r), RP_ENOTFOUND);
	assert_non_null(strstr(rp_error_msg(), "no Outlook profiles"));
	reg_close(s);
	remove("noprofiles.reg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_2013_rpchttp),
	    cmocka_unit_test(test_2016_online),
	    cmocka_unit_test(test_2016_cached),
	    cmocka_unit_test(test_2016_two_exchange),
	    cmocka_unit_test(test_2016_delegates),
	    cmocka_unit_test(test_2016_pst_contab),
	    cmocka_unit_test(test_mv_widths),
	    cmocka_unit_test(test_2016_pop_imap),
	    cmocka_unit_test(test_nonascii),
	    cmocka_unit_test(test_wms_legacy),
	    cmocka_unit_test(test_dangling),
	    cmocka_unit_test(test_side_by_side),
	    cmocka_unit_test(test_bad_inputs),
	    cmocka_unit_test(test_default_fallback),
	    cmocka_unit_test(test_no_profiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
