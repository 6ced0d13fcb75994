/* Unit tests for src/mapi/mapi_nick: the nickname cache (autocomplete stream,
 * .nk2).
 *
 * 1. MFCMAPI NICKNAMECACHE-2 ($RP_SHARED_DIR/vectors/mfcmapi, by path)
 *    decodes and re-encodes byte-identical; versions, row count, every row's
 *    property count, every tag in order, every PT_UNICODE string and the
 *    closing metadata equal what MFCMAPI prints in Out (read at run time).
 *    NICKNAMECACHE-3/-4 (malformed) fail with RP_EFORMAT and a message.
 * 2. The fixtures of tests/fixtures/nicks (written by gen_nicks.py from the
 *    public format) round-trip; every bad/ fixture fails cleanly; every cut
 *    length of a good stream fails cleanly.
 * 3. Row identity (EX, SMTP, contact) and the rewrite: the companions follow
 *    the new DN / SMTP address, everything else stays byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_eid.h"
#include "mapi/mapi_nick.h"
#include "mapi/mapi_tag.h"
#include "mfcmapi_vec.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIX RP_SOURCE_DIR "/tests/fixtures/nicks/"
#define GOOD FIX "Stream_Autocomplete_0_8F0A1B2C3D4E5F60718293A4B5C6D7E8.dat"
#define SRC                                                                              \
	"/o=Fabrikam/ou=Exchange Administrative Group "                                  \
	"(FYDIBOHF23SPDLT)/cn=Recipients/cn="
#define TGT                                                                              \
	"/o=Contoso/ou=Exchange Administrative Group "                                   \
	"(FYDIBOHF23SPDLT)/cn=Recipients/cn="

static mapi_nick *decode_file(const char *path, uint8_t **raw, size_t *n)
{
	mapi_nick *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	*raw = (uint8_t *)slurp(path, n);
	if (!*raw)
		fail_msg("%s missing (run tests/fixtures/nicks/gen_nicks.py)", path);
	if (mapi_nick_decode(s, *raw, *n) != RP_OK)
		fail_msg("%s: %s", path, rp_error_msg());
	return s;
}

static void assert_roundtrip(const mapi_nick *s, const uint8_t *raw, size_t n)
{
	rp_buf out = RP_BUF_INIT;
	assert_int_equal(mapi_nick_encode(s, &out), RP_OK);
	assert_int_equal(out.len, n);
	assert_memory_equal(out.data, raw, n);
	rp_buf_free(&out);
}

/* Next line of the Out text starting (after tabs) with key; its rest. */
static const char *next_field(const char **pos, const char *key)
{
	const char *p = strstr(*pos, key);
	if (!p)
		return NULL;
	*pos = p + strlen(key);
	return *pos;
}

static void test_vector_2(void **state)
{
	(void)state;
	rp_buf in = RP_BUF_INIT, hex = RP_BUF_INIT;
	char path[4200], *out, *s = NULL;
	const char *pos, *v;
	mapi_nick nc;
	size_t r, i, tags = 0, strs = 0;

	if (!vec_read_in("NICKNAMECACHE-2", &in)) {
		print_message("note: %s not found, MFCMAPI vectors skipped\n", vec_dir());
		skip();
	}
	snprintf(path, sizeof(path), "%s/Out-utf8/NICKNAMECACHE-out-2.dat", vec_dir());
	out = slurp(path, NULL);
	assert_non_null(out);
	if (mapi_nick_decode(&nc, in.data, in.len) != RP_OK)
		fail_msg("NICKNAMECACHE-2: %s", rp_error_msg());
	assert_roundtrip(&nc, in.data, in.len);

	pos = out;
	assert_non_null(v = next_field(&pos, "Major Version = "));
	assert_int_equal(nc.major, strtoul(v, NULL, 10));
	assert_non_null(v = next_field(&pos, "Minor Version = "));
	assert_int_equal(nc.minor, strtoul(v, NULL, 10));
	assert_non_null(v = next_field(&pos, "Row Count = "));
	assert_int_equal(nc.nrows, strtoul(v, NULL, 10));
	assert_int_equal(nc.major, MAPI_NICK_MAJOR_NK2);
	assert_true(mapi_nick_major_ok(nc.major, true));
	assert_false(mapi_nick_major_ok(nc.major, false));
	for (r = 0; r < nc.nrows; r++) {
		assert_non_null(v = next_field(&pos, "cValues = 0x"));
		assert_int_equal(nc.rows[r].count, strtoul(v, NULL, 16));
		for (i = 0; i < nc.rows[r].count; i++) {
			const mapi_nick_prop *pr = &nc.props[nc.rows[r].first + i];
			assert_non_null(v = next_field(&pos, "PropTag = 0x"));
			assert_int_equal(pr->tag, strtoul(v, NULL, 16));
			tags++;
			if (PROP_TYPE(pr->tag) == PT_UNICODE) {
				size_t len;
				assert_non_null(v = next_field(&pos, "PropString = "));
				len = strcspn(v, "\r\n");
				assert_int_equal(
				    rp_utf16le_to_utf8(pr->data.p, pr->data.n, &s),
				    RP_OK);
				assert_int_equal(strlen(s), len);
				assert_memory_equal(s, v, len);
				free(s);
				strs++;
			}
		}
	}
	assert_non_null(v = next_field(&pos, "Metadata 2"));
	assert_non_null(v = next_field(&pos, "lpb: "));
	{
		char h[17];
		memcpy(h, v, 16);
		h[16] = '\0';
		assert_int_equal(rp_unhex(h, &hex), RP_OK);
	}
	assert_memory_equal(hex.data, nc.trailer, 8);
	assert_int_equal(nc.extra.n, 0);
	print_message("NICKNAMECACHE-2: %lu tags, %lu strings matched\n",
		      (unsigned long)tags, (unsigned long)strs);
	assert_int_equal(tags, 46);

	/* The row identities: two SMTP one-off rows. */
	{
		mapi_nick_who w;
		assert_int_equal(mapi_nick_row_who(&nc, 0, &w), RP_OK);
		assert_int_equal(w.kind, MAPI_NICK_SMTP);
		assert_string_equal(w.smtp, "janesmith@contoso.org");
		mapi_nick_who_free(&w);
		assert_int_equal(mapi_nick_row_who(&nc, 1, &w), RP_OK);
		assert_string_equal(w.smtp, "johndoe@contoso.com");
		mapi_nick_who_free(&w);
	}
	mapi_nick_free(&nc);
	free(out);
	rp_buf_free(&in);
	rp_buf_free(&hex);
}

static void test_vector_malformed(void **state)
{
	(void)state;
	static const char *const names[] = {"NICKNAMECACHE-3", "NICKNAMECACHE-4"};
	rp_buf in = RP_BUF_INIT;
	size_t i;
	for (i = 0; i < 2; i++) {
		mapi_nick nc;
		if (!vec_read_in(names[i], &in))
			skip();
		rp_error_clear();
		assert_int_equal(mapi_nick_decode(&nc, in.data, in.len), RP_EFORMAT);
		assert_true(strlen(rp_error_msg()) > 10);
		print_message("%s: %s\n", names[i], rp_error_msg());
		mapi_nick_free(&nc);
	}
	rp_buf_free(&in);
}

static void test_fixtures_roundtrip(void **state)
{
	(void)state;
	static const char *const good[] = {GOOD, FIX "stream-minor1-extra.dat",
					   FIX "stream-major11.dat",
					   FIX "stream-empty.dat", FIX "Outlook.nk2"};
	size_t i, n;
	uint8_t *raw;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		mapi_nick *s = decode_file(good[i], &raw, &n);
		assert_roundtrip(s, raw, n);
		mapi_nick_free(s);
		free(s);
		free(raw);
	}
	/* fields the generator wrote */
	{
		mapi_nick *s = decode_file(FIX "stream-minor1-extra.dat", &raw, &n);
		assert_int_equal(s->major, 12);
		assert_int_equal(s->minor, 1);
		assert_int_equal(s->nrows, 2);
		assert_int_equal(s->extra.n, 5);
		assert_memory_equal(s->extra.p, "\x01\x02\x03\x04\x05", 5);
		mapi_nick_free(s);
		free(s);
		free(raw);
	}
}

static void test_bad_fixtures(void **state)
{
	(void)state;
	DIR *d = opendir(FIX "bad");
	struct dirent *de;
	int seen = 0;
	assert_non_null(d);
	while ((de = readdir(d))) {
		char path[4200];
		char *raw;
		size_t n;
		mapi_nick s;
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), FIX "bad/%s", de->d_name);
		raw = slurp(path, &n);
		assert_non_null(raw);
		rp_error_clear();
		if (mapi_nick_decode(&s, (uint8_t *)raw, n) != RP_EFORMAT)
			fail_msg("%s was accepted", de->d_name);
		assert_true(strlen(rp_error_msg()) > 10);
		print_message("%s: %s\n", de->d_name, rp_error_msg());
		mapi_nick_free(&s);
		free(raw);
		seen++;
	}
	closedir(d);
	assert_true(seen >= 12);
}

static void test_every_cut(void **state)
{
	(void)state;
	static const char *const files[] = {GOOD, FIX "Outlook.nk2"};
	size_t f, cut, n;
	for (f = 0; f < 2; f++) {
		uint8_t *raw = (uint8_t *)slurp(files[f], &n);
		assert_non_null(raw);
		for (cut = 0; cut < n; cut++) {
			mapi_nick s;
			rp_error_clear();
			if (mapi_nick_decode(&s, raw, cut) != RP_EFORMAT)
				fail_msg("%s cut to %lu bytes was accepted", files[f],
					 (unsigned long)cut);
			assert_true(rp_error_msg()[0] != '\0');
			mapi_nick_free(&s);
		}
		free(raw);
	}
}

static char *str_of(const mapi_nick *s, size_t row, uint16_t id)
{
	char *v = NULL;
	if (mapi_nick_str(s, row, id, &v) != RP_OK)
		fail_msg("row %lu: property 0x%04X: %s", (unsigned long)row, id,
			 rp_error_msg());
	return v;
}

static void assert_str(const mapi_nick *s, size_t row, uint16_t id, const char *want)
{
	char *v = str_of(s, row, id);
	assert_string_equal(v, want);
	free(v);
}

static void assert_bin(const mapi_nick *s, size_t row, uint16_t id, const void *p,
		       size_t n)
{
	mapi_nick_prop *pr = mapi_nick_find(s, row, id);
	assert_non_null(pr);
	assert_int_equal(pr->data.n, n);
	assert_memory_equal(pr->data.p, p, n);
}

/* EX address-book ID bytes for dn (MS-OXCDATA 2.2.5.2: 28 + strlen + 1). */
static void ab_bytes(const char *dn, rp_buf *b)
{
	static const uint8_t hdr[28] = {0,    0,    0,    0,    0xDC, 0xA7, 0x40,
					0xC8, 0xC0, 0x42, 0x10, 0x1A, 0xB4, 0xB9,
					0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82, 1,
					0,    0,    0,    0,    0,    0,    0};
	b->len = 0;
	assert_int_equal(rp_buf_append(b, hdr, 28), RP_OK);
	assert_int_equal(rp_buf_append(b, dn, strlen(dn) + 1), RP_OK);
}

/* Every property of row r of a equals b's, except those with the given ids. */
static void assert_row_same_except(const mapi_nick *a, const mapi_nick *b, size_t r,
				   const uint16_t *ids, size_t nids)
{
	size_t i, k;
	assert_int_equal(a->rows[r].count, b->rows[r].count);
	for (i = 0; i < a->rows[r].count; i++) {
		const mapi_nick_prop *x = &a->props[a->rows[r].first + i];
		const mapi_nick_prop *y = &b->props[b->rows[r].first + i];
		bool skip_it = false;
		for (k = 0; k < nids; k++)
			skip_it |= PROP_ID(x->tag) == ids[k];
		assert_memory_equal(x->reserved, y->reserved, 4);
		assert_memory_equal(x->un, y->un, 8);
		if (skip_it)
			continue;
		assert_int_equal(x->tag, y->tag);
		assert_int_equal(x->data.n, y->data.n);
		if (x->data.n)
			assert_memory_equal(x->data.p, y->data.p, x->data.n);
		assert_int_equal(x->count, y->count);
	}
}

static void test_rewrite_stream(void **state)
{
	(void)state;
	uint8_t *raw, *raw2;
	size_t n, n2, changed = 0, r;
	mapi_nick *s = decode_file(GOOD, &raw, &n);
	mapi_nick *orig = decode_file(GOOD, &raw2, &n2);
	mapi_nick back;
	mapi_nick_who w;
	rp_buf out = RP_BUF_INIT, ab = RP_BUF_INIT;
	static const uint16_t ex_ids[] = {
	    MAPI_NICK_ID_ENTRYID,           MAPI_NICK_ID_RECORD_KEY,
	    MAPI_NICK_ID_RECIPIENT_ENTRYID, MAPI_NICK_ID_EMAIL_ADDRESS,
	    MAPI_NICK_ID_SEARCH_KEY,        MAPI_NICK_ID_SMTP_ADDRESS,
	    MAPI_NICK_ID_DROPDOWN_DISPLAY};
	static const uint16_t smtp_ids[] = {
	    MAPI_NICK_ID_ENTRYID,           MAPI_NICK_ID_RECORD_KEY,
	    MAPI_NICK_ID_RECIPIENT_ENTRYID, MAPI_NICK_ID_EMAIL_ADDRESS,
	    MAPI_NICK_ID_SEARCH_KEY,        MAPI_NICK_ID_NICK_NAME,
	    MAPI_NICK_ID_DISPLAY_NAME,      MAPI_NICK_ID_DROPDOWN_DISPLAY};

	assert_int_equal(s->nrows, 6);
	/* identities */
	assert_int_equal(mapi_nick_row_who(s, 0, &w), RP_OK);
	assert_int_equal(w.kind, MAPI_NICK_EX);
	assert_string_equal(w.dn, SRC "alice");
	assert_string_equal(w.smtp, "alice@fabrikam.example");
	mapi_nick_who_free(&w);
	assert_int_equal(mapi_nick_row_who(s, 1, &w), RP_OK);
	assert_int_equal(w.kind, MAPI_NICK_SMTP);
	assert_null(w.dn);
	assert_string_equal(w.smtp, "bob@fabrikam.example");
	mapi_nick_who_free(&w);
	assert_int_equal(mapi_nick_row_who(s, 3, &w), RP_OK);
	assert_int_equal(w.kind, MAPI_NICK_CONTACT);
	mapi_nick_who_free(&w);

	/* EX row 0 -> target */
	assert_int_equal(mapi_nick_row_rewrite(s, 0, TGT "alice.archer",
					       "alice.archer@contoso.example", &changed),
			 RP_OK);
	/* 3 IDs, email, search key, SMTP (the dropdown is "Name <addr>": kept) */
	assert_int_equal(changed, 6);
	ab_bytes(TGT "alice.archer", &ab);
	assert_bin(s, 0, MAPI_NICK_ID_ENTRYID, ab.data, ab.len);
	assert_bin(s, 0, MAPI_NICK_ID_RECIPIENT_ENTRYID, ab.data, ab.len);
	assert_bin(s, 0, MAPI_NICK_ID_RECORD_KEY, ab.data, ab.len);
	assert_str(s, 0, MAPI_NICK_ID_EMAIL_ADDRESS, TGT "alice.archer");
	assert_str(s, 0, MAPI_NICK_ID_SMTP_ADDRESS, "alice.archer@contoso.example");
	{
		const char *want = "EX:/O=CONTOSO/OU=EXCHANGE ADMINISTRATIVE GROUP "
				   "(FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN=ALICE.ARCHER";
		assert_bin(s, 0, MAPI_NICK_ID_SEARCH_KEY, want, strlen(want) + 1);
	}
	assert_row_same_except(s, orig, 0, ex_ids, sizeof(ex_ids) / sizeof(ex_ids[0]));
	assert_str(s, 0, MAPI_NICK_ID_DISPLAY_NAME, "Alice Archer");

	/* SMTP row 1 -> target SMTP */
	assert_int_equal(mapi_nick_row_rewrite(s, 1, TGT "bob.baker",
					       "bob.baker@contoso.example", &changed),
			 RP_OK);
	/* 3 one-offs, email, search key, nickname, display, dropdown; the
	 * PT_ERROR SMTP address of an SMTP row stays */
	assert_int_equal(changed, 8);
	assert_str(s, 1, MAPI_NICK_ID_EMAIL_ADDRESS, "bob.baker@contoso.example");
	assert_str(s, 1, MAPI_NICK_ID_NICK_NAME, "bob.baker@contoso.example");
	assert_int_equal(PROP_TYPE(mapi_nick_find(s, 1, MAPI_NICK_ID_SMTP_ADDRESS)->tag),
			 PT_ERROR);
	{
		const char *want = "SMTP:BOB.BAKER@CONTOSO.EXAMPLE";
		eid e;
		char *a = NULL, *d = NULL;
		mapi_nick_prop *pr = mapi_nick_find(s, 1, MAPI_NICK_ID_RECORD_KEY);
		assert_bin(s, 1, MAPI_NICK_ID_SEARCH_KEY, want, strlen(want) + 1);
		assert_int_equal(eid_decode(&e, pr->data.p, pr->data.n), RP_OK);
		assert_int_equal(e.kind, EID_ONEOFF);
		assert_int_equal(e.u.oneoff.flags & 0x8000, 0x8000);
		assert_int_equal(eid_bytes_utf8(&e.u.oneoff.address, true, &a), RP_OK);
		assert_int_equal(eid_bytes_utf8(&e.u.oneoff.display_name, true, &d),
				 RP_OK);
		assert_string_equal(a, "bob.baker@contoso.example");
		assert_string_equal(d, "bob.baker@contoso.example");
		free(a);
		free(d);
		eid_free(&e);
		/* the three IDs stay equal */
		assert_bin(s, 1, MAPI_NICK_ID_ENTRYID, pr->data.p, pr->data.n);
		assert_bin(s, 1, MAPI_NICK_ID_RECIPIENT_ENTRYID, pr->data.p, pr->data.n);
	}
	assert_row_same_except(s, orig, 1, smtp_ids,
			       sizeof(smtp_ids) / sizeof(smtp_ids[0]));

	/* contact row: not ours to rewrite */
	rp_error_clear();
	assert_int_equal(mapi_nick_row_rewrite(s, 3, TGT "x", "x@contoso.example", NULL),
			 RP_EINVAL);
	/* EX row without a target DN */
	assert_int_equal(mapi_nick_row_rewrite(s, 5, NULL, "f@contoso.example", NULL),
			 RP_EINVAL);

	/* Re-encode, decode: rows 2..5 untouched byte for byte, row order and
	 * weights kept, metadata and trailer kept. */
	assert_int_equal(mapi_nick_encode(s, &out), RP_OK);
	assert_int_equal(mapi_nick_decode(&back, out.data, out.len), RP_OK);
	assert_int_equal(back.nrows, orig->nrows);
	for (r = 2; r < 6; r++)
		assert_row_same_except(&back, orig, r, NULL, 0);
	for (r = 0; r < 6; r++) {
		mapi_nick_prop *a = mapi_nick_find(&back, r, MAPI_NICK_ID_WEIGHT);
		mapi_nick_prop *b = mapi_nick_find(orig, r, MAPI_NICK_ID_WEIGHT);
		assert_memory_equal(a->un, b->un, 8);
	}
	assert_memory_equal(back.trailer, orig->trailer, 8);
	assert_int_equal(back.minor, orig->minor);
	assert_int_equal(mapi_nick_row_who(&back, 0, &w), RP_OK);
	assert_string_equal(w.dn, TGT "alice.archer");
	mapi_nick_who_free(&w);
	/* a second rewrite with the same target changes nothing */
	assert_int_equal(mapi_nick_row_rewrite(&back, 0, TGT "alice.archer",
					       "alice.archer@contoso.example", &changed),
			 RP_OK);
	assert_int_equal(changed, 0);

	mapi_nick_free(&back);
	mapi_nick_free(s);
	mapi_nick_free(orig);
	free(s);
	free(orig);
	free(raw);
	free(raw2);
	rp_buf_free(&out);
	rp_buf_free(&ab);
}

/* NK2: PT_STRING8 strings stay PT_STRING8. */
static void test_rewrite_nk2(void **state)
{
	(void)state;
	uint8_t *raw;
	size_t n, changed;
	mapi_nick *s = decode_file(FIX "Outlook.nk2", &raw, &n);
	assert_int_equal(s->major, MAPI_NICK_MAJOR_NK2);
	assert_int_equal(mapi_nick_row_rewrite(s, 0, TGT "alice.archer",
					       "alice.archer@contoso.example", &changed),
			 RP_OK);
	assert_int_equal(changed, 6);
	assert_int_equal(PROP_TYPE(mapi_nick_find(s, 0, MAPI_NICK_ID_EMAIL_ADDRESS)->tag),
			 PT_STRING8);
	assert_str(s, 0, MAPI_NICK_ID_EMAIL_ADDRESS, TGT "alice.archer");
	assert_str(s, 0, MAPI_NICK_ID_SMTP_ADDRESS, "alice.archer@contoso.example");
	mapi_nick_free(s);
	free(s);
	free(raw);
}

/* An EX row whose SMTP address is a PT_ERROR gets a PT_UNICODE one. */
static void test_rewrite_smtp_error(void **state)
{
	(void)state;
	uint8_t *raw;
	size_t n, changed;
	mapi_nick *s = decode_file(GOOD, &raw, &n);
	mapi_nick_prop *pr = mapi_nick_find(s, 0, MAPI_NICK_ID_SMTP_ADDRESS);
	/* turn row 0's SMTP address into PT_ERROR MAPI_E_NOT_FOUND */
	pr->tag = PROP_TAG(PT_ERROR, MAPI_NICK_ID_SMTP_ADDRESS);
	pr->data.p = NULL;
	pr->data.n = 0;
	assert_int_equal(
	    mapi_nick_row_rewrite(s, 0, TGT "a", "a@contoso.example", &changed), RP_OK);
	assert_int_equal(PROP_TYPE(pr->tag), PT_UNICODE);
	assert_str(s, 0, MAPI_NICK_ID_SMTP_ADDRESS, "a@contoso.example");
	/* 3 IDs, email, search key, SMTP address */
	assert_int_equal(changed, 6);
	mapi_nick_free(s);
	free(s);
	free(raw);
}

/* NK2Reader's samples (hughbe/NK2Reader, issue 8) are not in ../shared/vectors
 * (no licence file upstream). Should they be added as vectors/nk2reader/,
 * every file there must decode and round-trip. */
static void test_nk2reader_samples(void **state)
{
	(void)state;
	char dir[4200];
	DIR *d;
	struct dirent *de;
	int seen = 0;
	snprintf(dir, sizeof(dir), "%s/../nk2reader", vec_dir());
	d = opendir(dir);
	if (!d) {
		print_message("note: %s not present, NK2Reader samples skipped\n", dir);
		skip();
	}
	while ((de = readdir(d))) {
		char path[4600];
		size_t n;
		uint8_t *raw;
		mapi_nick *s;
		if (de->d_name[0] == '.' || strstr(de->d_name, ".md"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		s = decode_file(path, &raw, &n);
		assert_roundtrip(s, raw, n);
		mapi_nick_free(s);
		free(s);
		free(raw);
		seen++;
	}
	closedir(d);
	assert_true(seen > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vector_2),
	    cmocka_unit_test(test_vector_malformed),
	    cmocka_unit_test(test_fixtures_roundtrip),
	    cmocka_unit_test(test_bad_fixtures),
	    cmocka_unit_test(test_every_cut),
	    cmocka_unit_test(test_rewrite_stream),
	    cmocka_unit_test(test_rewrite_nk2),
	    cmocka_unit_test(test_rewrite_smtp_error),
	    cmocka_unit_test(test_nk2reader_samples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
