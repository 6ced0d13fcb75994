/* Unit tests for src/mapi/mapi_value: the registry value codec.
 *
 * Expected bytes come from (a) the real Outlook 16.0 captures quoted in
 * ../shared/reference/outlook-profile-registry.md 1.3 and 4 (the x86 and x64
 * "11023d05" / "11026620" prefixes and "10036621"), completed where the note
 * elides them with hand-made entry-ID bytes of the length the descriptor
 * states, and (b) values computed by hand from the layout (comments show the
 * arithmetic). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_json.h"
#include "base/rp_str.h"
#include "mapi/mapi_tag.h"
#include "mapi/mapi_value.h"

#include <stdlib.h>
#include <string.h>

static rp_buf unhex(const char *s)
{
	rp_buf b = RP_BUF_INIT;
	assert_int_equal(rp_unhex(s, &b), RP_OK);
	return b;
}

/* decode -> encode must give the same bytes; returns the decoded value. */
static void roundtrip(mapi_value *v, uint32_t tag, uint32_t regtype, const rp_buf *in)
{
	rp_buf out = RP_BUF_INIT;
	uint32_t rt = 0;
	int rc = mapi_value_decode(v, tag, regtype, in->data, in->len);
	if (rc != RP_OK)
		fail_msg("decode failed: %s", rp_error_msg());
	assert_int_equal(mapi_value_encode(v, &out, &rt), RP_OK);
	assert_int_equal(rt, regtype);
	assert_int_equal(out.len, in->len);
	assert_memory_equal(out.data, in->data, in->len);
	rp_buf_free(&out);
}

static void expect_reject(uint32_t tag, const char *hex, const char *needle)
{
	rp_buf in = unhex(hex);
	mapi_value v;
	int rc = mapi_value_decode(&v, tag, MAPI_REG_BINARY, in.data, in.len);
	if (rc != RP_EFORMAT)
		fail_msg("expected RP_EFORMAT for %s, got %d", hex, rc);
	if (!strstr(rp_error_msg(), needle))
		fail_msg("message \"%s\" lacks \"%s\"", rp_error_msg(), needle);
	mapi_value_free(&v);
	rp_buf_free(&in);
}

/* A 68-byte (0x44) contab container entry ID: flags, muidContabDLL, version
 * 3, type 3 (CONTAB_CONTAINER), 16-byte muid, then a 24-byte inner ID. The
 * capture's first bytes "00000000 fe42aa0a18" are kept. */
#define CONTAB68                                                                         \
	"00000000fe42aa0a18c71a10e8850b651c240000"                                       \
	"0300000003000000"                                                               \
	"00112233445566778899aabbccddeeff"                                               \
	"00000000"                                                                       \
	"0e380f2626b04148a05951c8a4f4b634"                                               \
	"42810000"

static void test_real_mv_binary_x86_and_x64(void **state)
{
	(void)state;
	/* x86: count 1, {cb 0x44, off 0x0c}; 0x0c = 4 + 1*8. */
	rp_buf x86 = unhex("01000000"
			   "44000000"
			   "0c000000" CONTAB68);
	/* x64: count 1, {cb 0x44, pad 0, off 0x14 (u64)}; 0x14 = 4 + 1*16. */
	rp_buf x64 = unhex("01000000"
			   "44000000"
			   "00000000"
			   "1400000000000000" CONTAB68);
	rp_buf blob = unhex(CONTAB68);
	mapi_value a, b;

	assert_int_equal(blob.len, 0x44);
	roundtrip(&a, PR_AB_SEARCH_PATH, MAPI_REG_BINARY, &x86);
	roundtrip(&b, PR_AB_SEARCH_PATH, MAPI_REG_BINARY, &x64);
	assert_int_equal(a.width, MAPI_MV_WIDTH_32);
	assert_int_equal(b.width, MAPI_MV_WIDTH_64);
	assert_int_equal(a.count, 1);
	assert_int_equal(b.count, 1);
	assert_int_equal(a.mv[0].n, 0x44);
	assert_memory_equal(a.mv[0].p, blob.data, blob.len);
	assert_memory_equal(b.mv[0].p, blob.data, blob.len);
	assert_int_equal(a.tail.n, 0);
	mapi_value_free(&a);
	mapi_value_free(&b);
	rp_buf_free(&x86);
	rp_buf_free(&x64);
	rp_buf_free(&blob);
}

static void test_real_11026620_and_10036621(void **state)
{
	(void)state;
	/* 11026620: the note's prefixes with a 0x18-byte blob (a 24-byte ID). */
	rp_buf x86 = unhex("01000000180000000c000000"
			   "00000000"
			   "0e380f2626b04148a05951c8a4f4b634"
			   "42810000");
	rp_buf x64 = unhex("0100000018000000000000001400000000000000"
			   "00000000"
			   "0e380f2626b04148a05951c8a4f4b634"
			   "42810000");
	/* "10036621"=hex:0f,01,04,80,0f,01,04,80: a bare array of two LONGs. */
	rp_buf ml = unhex("0f0104800f010480");
	mapi_value a, b, c;
	rp_buf r = RP_BUF_INIT;

	roundtrip(&a, PR_CONTAB_FOLDER_ENTRYIDS, MAPI_REG_BINARY, &x86);
	roundtrip(&b, PR_CONTAB_FOLDER_ENTRYIDS, MAPI_REG_BINARY, &x64);
	assert_int_equal(a.mv[0].n, 0x18);
	assert_int_equal(b.mv[0].n, 0x18);
	roundtrip(&c, PR_CONTAB_STORE_SUPPORT_MASKS, MAPI_REG_BINARY, &ml);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.width, MAPI_MV_WIDTH_NONE);
	assert_int_equal(rp_le32(c.mv[1].p), 0x8004010Fu);
	assert_int_equal(mapi_value_render(&c, &r), RP_OK);
	assert_int_equal(rp_buf_u8(&r, 0), RP_OK);
	assert_string_equal((char *)r.data,
			    "[-2147221233 (0x8004010f), -2147221233 (0x8004010f)]");
	rp_buf_free(&r);
	mapi_value_free(&a);
	mapi_value_free(&b);
	mapi_value_free(&c);
	rp_buf_free(&x86);
	rp_buf_free(&x64);
	rp_buf_free(&ml);
}

static void test_mv_binary_padding_and_empty_items(void **state)
{
	(void)state;
	/* 3 items, x86: data starts at 4 + 3*8 = 28 (0x1c). Item 0 "aabbcc" (3
	 * bytes) at 0x1c, padded to 0x20; item 1 empty at 0x20; item 2 five bytes
	 * at 0x20, ends 0x25, padded to 0x28 = total length 40. */
	rp_buf in = unhex("03000000"
			  "03000000 1c000000"
			  "00000000 20000000"
			  "05000000 20000000"
			  "aabbcc00"
			  "0102030405000000");
	mapi_value v;
	rp_buf out = RP_BUF_INIT;
	rp_buf want;

	assert_int_equal(in.len, 40);
	roundtrip(&v, 0x3D051102u, MAPI_REG_BINARY, &in);
	assert_int_equal(v.count, 3);
	assert_int_equal(v.mv[1].n, 0);
	assert_int_equal(v.mv[2].n, 5);
	/* Replace item 0 by 4 bytes: item 1 at 0x20, item 2 at 0x20, 44 bytes?
	 * 0x1c + 4 = 0x20 (no pad); item 2 0x20..0x25 -> pad to 0x28. */
	assert_int_equal(mapi_value_mv_set(&v, 0, "\x11\x22\x33\x44", 4), RP_OK);
	assert_int_equal(mapi_value_encode(&v, &out, NULL), RP_OK);
	want = unhex("03000000"
		     "04000000 1c000000"
		     "00000000 20000000"
		     "05000000 20000000"
		     "11223344"
		     "0102030405000000");
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	rp_buf_free(&out);
	rp_buf_free(&want);
	/* Remove item 1, append a 1-byte item: 3 items still; x86 offsets
	 * 0x1c (4 bytes), 0x20 (5 bytes -> 0x28), 0x28 (1 byte -> 0x2c). */
	assert_int_equal(mapi_value_mv_remove(&v, 1), RP_OK);
	assert_int_equal(mapi_value_mv_insert(&v, 2, "\x99", 1), RP_OK);
	assert_int_equal(mapi_value_encode(&v, &out, NULL), RP_OK);
	want = unhex("03000000"
		     "04000000 1c000000"
		     "05000000 20000000"
		     "01000000 28000000"
		     "11223344"
		     "0102030405000000"
		     "99000000");
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	rp_buf_free(&out);
	rp_buf_free(&want);
	/* Same items in the 64-bit layout: data at 4 + 3*16 = 0x34. */
	v.width = MAPI_MV_WIDTH_64;
	assert_int_equal(mapi_value_encode(&v, &out, NULL), RP_OK);
	want = unhex("03000000"
		     "04000000 00000000 3400000000000000"
		     "05000000 00000000 3800000000000000"
		     "01000000 00000000 4000000000000000"
		     "11223344"
		     "0102030405000000"
		     "99000000");
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	rp_buf_free(&out);
	rp_buf_free(&want);
	mapi_value_free(&v);
	rp_buf_free(&in);
}

static void test_mv_strings_both_widths(void **state)
{
	(void)state;
	/* MV_UNICODE x86: 2 strings, offsets 4 + 2*4 = 0x0c and 0x0c + 4 = 0x10
	 * ("a" + NUL = 4 bytes), "bc" + NUL = 6 bytes; total 0x16. */
	rp_buf u86 = unhex("02000000 0c000000 10000000 61000000 620063000000");
	/* x64: offsets u64, 4 + 2*8 = 0x14 and 0x18. */
	rp_buf u64 =
	    unhex("02000000 1400000000000000 1800000000000000 61000000 620063000000");
	/* MV_STRING8 x86, one string, as in the capture "101e3d0f": 01000000
	 * 08000000 "contab.dll" 00; no padding at the end (19 bytes). */
	rp_buf s8 = unhex("01000000 08000000 636f6e7461622e646c6c00");
	mapi_value a, b, c;
	char *s = NULL;
	rp_buf out = RP_BUF_INIT;

	roundtrip(&a, PR_CONTAB_DISPLAY_NAMES_W, MAPI_REG_BINARY, &u86);
	roundtrip(&b, PR_CONTAB_DISPLAY_NAMES_W, MAPI_REG_BINARY, &u64);
	roundtrip(&c, 0x3D0F101Eu, MAPI_REG_BINARY, &s8);
	assert_int_equal(a.width, MAPI_MV_WIDTH_32);
	assert_int_equal(b.width, MAPI_MV_WIDTH_64);
	assert_int_equal(c.count, 1);
	assert_int_equal(s8.len, 19);
	assert_int_equal(mapi_value_mvstr_utf8(&b, 1, &s), RP_OK);
	assert_string_equal(s, "bc");
	free(s);
	assert_int_equal(mapi_value_mvstr_utf8(&c, 0, &s), RP_OK);
	assert_string_equal(s, "contab.dll");
	free(s);
	/* Rewrite string 0 of the x86 value to "xyz": offsets 0x0c, 0x14. */
	assert_int_equal(mapi_value_mv_set_utf8(&a, 0, "xyz"), RP_OK);
	assert_int_equal(mapi_value_encode(&a, &out, NULL), RP_OK);
	{
		rp_buf want =
		    unhex("02000000 0c000000 14000000 780079007a000000 620063000000");
		assert_int_equal(out.len, want.len);
		assert_memory_equal(out.data, want.data, want.len);
		rp_buf_free(&want);
	}
	rp_buf_free(&out);
	mapi_value_free(&a);
	mapi_value_free(&b);
	mapi_value_free(&c);
	rp_buf_free(&u86);
	rp_buf_free(&u64);
	rp_buf_free(&s8);
}

static void test_zero_count_and_empty(void **state)
{
	(void)state;
	/* "11020434"=hex:00,00,00,00 (x64 capture): count 0, no descriptors. */
	rp_buf z = unhex("00000000");
	rp_buf zt = unhex("0000000000000000");
	mapi_value v;
	rp_buf out = RP_BUF_INIT;

	roundtrip(&v, 0x04341102u, MAPI_REG_BINARY, &z);
	assert_int_equal(v.count, 0);
	assert_int_equal(v.width, MAPI_MV_WIDTH_NONE);
	assert_false(v.opaque);
	/* Adding an item needs a width. */
	assert_int_equal(mapi_value_mv_insert(&v, 0, "\x01", 1), RP_OK);
	assert_int_equal(mapi_value_encode(&v, &out, NULL), RP_EINVAL);
	v.width = MAPI_MV_WIDTH_32;
	assert_int_equal(mapi_value_encode(&v, &out, NULL), RP_OK);
	assert_int_equal(out.len, 16); /* 4 + 8 + 1 padded to 4 */
	rp_buf_free(&out);
	mapi_value_free(&v);
	/* Count 0 followed by bytes: kept as tail. */
	roundtrip(&v, 0x04341102u, MAPI_REG_BINARY, &zt);
	assert_int_equal(v.tail.n, 4);
	mapi_value_free(&v);
	/* No data at all: opaque, re-encodes as nothing. */
	assert_int_equal(
	    mapi_value_decode(&v, PR_AB_SEARCH_PATH, MAPI_REG_BINARY, NULL, 0), RP_OK);
	assert_true(v.opaque);
	assert_int_equal(mapi_value_encode(&v, &out, NULL), RP_OK);
	assert_int_equal(out.len, 0);
	mapi_value_free(&v);
	rp_buf_free(&z);
	rp_buf_free(&zt);
}

static void test_rejections(void **state)
{
	(void)state;
	/* count 2 but only room for one descriptor */
	expect_reject(PR_AB_SEARCH_PATH, "02000000 01000000 0c000000",
		      "needs 16 descriptor bytes");
	/* first offset fits neither layout */
	expect_reject(PR_AB_SEARCH_PATH, "01000000 01000000 10000000 aa000000 00000000",
		      "descriptor 0 at offset 4");
	/* items out of order: item 1 points before item 0's end */
	expect_reject(PR_AB_SEARCH_PATH,
		      "02000000 04000000 14000000 04000000 14000000 11223344 55667788",
		      "descriptor 1 at offset 12: item offset 0x14 where 0x18");
	/* blob runs past the end */
	expect_reject(PR_AB_SEARCH_PATH, "01000000 08000000 0c000000 11223344",
		      "runs past the end");
	/* non-zero padding after a blob */
	expect_reject(PR_AB_SEARCH_PATH, "01000000 01000000 0c000000 11ff0000",
		      "padding byte at offset 0xd");
	/* missing final padding */
	expect_reject(PR_AB_SEARCH_PATH, "01000000 01000000 0c000000 11",
		      "inside the 4-byte padding");
	/* non-zero pad in a 64-bit descriptor */
	expect_reject(PR_AB_SEARCH_PATH,
		      "01000000 04000000 01000000 1400000000000000 11223344",
		      "padding 0x1 is not zero");
	/* count beyond the limit */
	expect_reject(PR_AB_SEARCH_PATH, "01000100", "exceeds the limit");
	/* strings: last one without NUL; middle one not terminated */
	expect_reject(PR_CONTAB_DISPLAY_NAMES_A, "01000000 08000000 414243",
		      "no terminating NUL");
	expect_reject(PR_CONTAB_DISPLAY_NAMES_A, "02000000 0c000000 0e000000 4142 4300",
		      "is not NUL-terminated before string 1");
	expect_reject(PR_CONTAB_DISPLAY_NAMES_A, "02000000 0c000000 0b000000 4100 4300",
		      "out of order or out of range");
	/* scalars of the wrong size, odd UTF-16, MV_LONG not a multiple of 4 */
	expect_reject(PR_PROFILE_CONFIG_FLAGS, "010000",
		      "PT_LONG value has 3 bytes, expected 4");
	expect_reject(0x0001000Bu, "01000000",
		      "PT_BOOLEAN value has 4 bytes, expected 2");
	expect_reject(PR_PROFILE_USER_SMTP_EMAIL_ADDRESS_W, "410042", "odd length");
	expect_reject(PR_CONTAB_STORE_SUPPORT_MASKS, "0f010480ff", "not a multiple");
}

static void test_scalars_and_strings(void **state)
{
	(void)state;
	/* "00033009"=hex:22,00,00,00 (outlook-profile-registry.md 1.3). */
	rp_buf l = unhex("22000000"), bo = unhex("0100"), ft = unhex("00803ed5debf9d01");
	rp_buf clsid = unhex("185447edd6b0d2118c3b00104b2a6676");
	rp_buf sz = RP_BUF_INIT;
	mapi_value v;
	rp_buf r = RP_BUF_INIT;
	char *s = NULL;

	roundtrip(&v, PR_RESOURCE_FLAGS, MAPI_REG_BINARY, &l);
	assert_int_equal(v.u.l, 0x22);
	mapi_value_free(&v);
	/* REG_DWORD is accepted for PT_LONG and kept. */
	roundtrip(&v, PR_RESOURCE_FLAGS, MAPI_REG_DWORD, &l);
	mapi_value_free(&v);
	roundtrip(&v, 0x0001000Bu, MAPI_REG_BINARY, &bo);
	assert_int_equal(v.u.b, 1);
	mapi_value_free(&v);
	/* Any 8 bytes are a FILETIME. */
	roundtrip(&v, 0x00010040u, MAPI_REG_BINARY, &ft);
	mapi_value_free(&v);
	{
		/* 116444736000000000 = 0x019DB1DED53E8000 is 1970-01-01T00:00:00Z. */
		rp_buf ep = unhex("00803ed5deb19d01");
		roundtrip(&v, 0x00010040u, MAPI_REG_BINARY, &ep);
		assert_int_equal(mapi_value_render(&v, &r), RP_OK);
		assert_int_equal(rp_buf_u8(&r, 0), RP_OK);
		assert_string_equal((char *)r.data, "1970-01-01T00:00:00Z");
		rp_buf_free(&r);
		mapi_value_free(&v);
		rp_buf_free(&ep);
	}
	/* CLSID_OlkMail {ED475418-B0D6-11D2-8C3B-00104B2A6676} as stored. */
	roundtrip(&v, 0x00010048u, MAPI_REG_BINARY, &clsid);
	assert_int_equal(mapi_value_render(&v, &r), RP_OK);
	assert_int_equal(rp_buf_u8(&r, 0), RP_OK);
	assert_string_equal((char *)r.data, "{ED475418-B0D6-11D2-8C3B-00104B2A6676}");
	rp_buf_free(&r);
	mapi_value_free(&v);
	/* PT_STRING8 as REG_SZ ("001e300a"="mspst.dll"): the registry holds
	 * UTF-16LE with NUL. */
	assert_int_equal(rp_utf8_to_utf16le("mspst.dll", 9, &sz, true), RP_OK);
	roundtrip(&v, 0x300A001Eu, MAPI_REG_SZ, &sz);
	assert_int_equal(mapi_value_str_utf8(&v, &s), RP_OK);
	assert_string_equal(s, "mspst.dll");
	free(s);
	mapi_value_free(&v);
	rp_buf_free(&sz);
	/* PT_STRING8 in REG_BINARY is Windows-1252: 0x80 is the euro sign. */
	{
		rp_buf a = unhex("80e900");
		roundtrip(&v, PR_PROFILE_USER, MAPI_REG_BINARY, &a);
		assert_int_equal(mapi_value_str_utf8(&v, &s), RP_OK);
		assert_string_equal(s, "\xe2\x82\xac\xc3\xa9");
		free(s);
		mapi_value_free(&v);
		rp_buf_free(&a);
	}
	rp_buf_free(&l);
	rp_buf_free(&bo);
	rp_buf_free(&ft);
	rp_buf_free(&clsid);
}

static void test_builders(void **state)
{
	(void)state;
	mapi_value v;
	rp_buf out = RP_BUF_INIT;
	uint32_t rt = 0;
	/* "SMTP:a@b" as UTF-16LE + NUL = 18 bytes. */
	rp_buf want = unhex("53004d00540050003a00610040006200 0000");

	assert_int_equal(
	    mapi_value_set_unicode(&v, PR_PROFILE_USER_SMTP_EMAIL_ADDRESS_W, "SMTP:a@b"),
	    RP_OK);
	assert_int_equal(mapi_value_encode(&v, &out, &rt), RP_OK);
	assert_int_equal(rt, MAPI_REG_BINARY);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	mapi_value_free(&v);
	rp_buf_free(&out);
	rp_buf_free(&want);

	assert_int_equal(mapi_value_set_string8(&v, PR_PROFILE_HOME_SERVER,
						MAPI_REG_BINARY, "caf\xc3\xa9"),
			 RP_OK);
	assert_int_equal(mapi_value_encode(&v, &out, &rt), RP_OK);
	assert_int_equal(out.len, 5);
	assert_memory_equal(out.data, "caf\xe9", 5);
	mapi_value_free(&v);
	rp_buf_free(&out);
	/* A character Windows-1252 cannot hold. */
	assert_int_equal(mapi_value_set_string8(&v, PR_PROFILE_HOME_SERVER,
						MAPI_REG_BINARY, "\xe2\x98\x83"),
			 RP_EINVAL);
	assert_non_null(strstr(rp_error_msg(), "U+2603"));
	mapi_value_free(&v);

	assert_int_equal(mapi_value_set_long(&v, PR_ROH_FLAGS, 0x2F), RP_OK);
	assert_int_equal(mapi_value_encode(&v, &out, &rt), RP_OK);
	assert_int_equal(out.len, 4);
	assert_memory_equal(out.data, "\x2f\x00\x00\x00", 4);
	mapi_value_free(&v);
	rp_buf_free(&out);

	/* An MV_UNICODE built from nothing, 64-bit: offsets 4 + 8 = 0x0c. */
	assert_int_equal(
	    mapi_value_set_mv_empty(&v, PR_CONTAB_STORE_NAMES_W, MAPI_MV_WIDTH_64),
	    RP_OK);
	assert_int_equal(mapi_value_mv_set_utf8(&v, 0, "A"), RP_OK);
	assert_int_equal(mapi_value_encode(&v, &out, NULL), RP_OK);
	want = unhex("01000000 0c00000000000000 41000000");
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	mapi_value_free(&v);
	rp_buf_free(&out);
	rp_buf_free(&want);
}

static void test_opaque_and_json(void **state)
{
	(void)state;
	rp_buf in = unhex("0102030405");
	mapi_value v;
	rp_buf out = RP_BUF_INIT;
	rp_json j;

	/* PT_OBJECT is not modelled: opaque, verbatim. */
	roundtrip(&v, 0x3FE1000Du, MAPI_REG_BINARY, &in);
	assert_true(v.opaque);
	mapi_value_free(&v);
	/* A PT_LONG stored as REG_SZ is not interpreted either. */
	roundtrip(&v, PR_RESOURCE_FLAGS, MAPI_REG_SZ, &in);
	assert_true(v.opaque);
	mapi_value_free(&v);
	rp_buf_free(&in);

	in = unhex("0f0104800f010480");
	assert_int_equal(mapi_value_decode(&v, PR_CONTAB_STORE_SUPPORT_MASKS,
					   MAPI_REG_BINARY, in.data, in.len),
			 RP_OK);
	rp_json_init(&j, &out);
	mapi_value_render_json(&v, &j);
	assert_int_equal(rp_json_finish(&j), RP_OK);
	assert_int_equal(rp_buf_u8(&out, 0), RP_OK);
	assert_non_null(strstr((char *)out.data, "\"regname\": \"10036621\""));
	assert_non_null(
	    strstr((char *)out.data, "\"name\": \"PR_CONTAB_STORE_SUPPORT_MASKS\""));
	assert_non_null(strstr((char *)out.data, "-2147221233"));
	mapi_value_free(&v);
	rp_buf_free(&out);
	rp_buf_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_real_mv_binary_x86_and_x64),
	    cmocka_unit_test(test_real_11026620_and_10036621),
	    cmocka_unit_test(test_mv_binary_padding_and_empty_items),
	    cmocka_unit_test(test_mv_strings_both_widths),
	    cmocka_unit_test(test_zero_count_and_empty),
	    cmocka_unit_test(test_rejections),
	    cmocka_unit_test(test_scalars_and_strings),
	    cmocka_unit_test(test_builders),
	    cmocka_unit_test(test_opaque_and_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
