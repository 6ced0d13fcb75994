/* Unit tests of the MAPI/HTTP wire layer without a server: LZ77+DIRECT2
 * (MS-XCA 3.1 vectors and hand-built streams), RPC_HEADER_EXT (MS-OXCRPC 4.x
 * vectors, packing, XOR, refusals), the streamed response parser and the
 * EMSMDB bodies. Vectors are read by path from $RP_SHARED_DIR/vectors/mapihttp
 * (the environment overrides the build-time path); absent ones are skipped
 * with a note. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mailbox/mbx_emsmdb.h"
#include "mailbox/mbx_http.h"
#include "mailbox/mbx_lz77.h"
#include "mailbox/mbx_rpcext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *shared_dir(void)
{
	const char *e = getenv("RP_SHARED_DIR");
	return e && *e ? e : RP_SHARED_DIR;
}

/* Reads vectors/mapihttp/<rel>; false (and a note) when absent. */
static bool vec(const char *rel, rp_buf *out)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/vectors/mapihttp/%s", shared_dir(), rel);
	FILE *f = fopen(path, "rb");
	if (!f) {
		print_message("note: %s absent, vector skipped\n", path);
		return false;
	}
	uint8_t chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(rp_buf_append(out, chunk, n), RP_OK);
	fclose(f);
	return true;
}

/* ---- LZ77 ---- */

static void check_xca(const char *comp, const char *plain)
{
	rp_buf c = RP_BUF_INIT, p = RP_BUF_INIT, out = RP_BUF_INIT;
	if (vec(comp, &c) && vec(plain, &p)) {
		assert_int_equal(mbx_lz77_decompress(c.data, c.len, p.len, &out), RP_OK);
		assert_int_equal(out.len, p.len);
		assert_memory_equal(out.data, p.data, p.len);
		/* One byte short or long of the true size is refused. */
		rp_buf_free(&out);
		assert_int_equal(mbx_lz77_decompress(c.data, c.len, p.len - 1, &out),
				 RP_EFORMAT);
		rp_buf_free(&out);
		assert_int_equal(mbx_lz77_decompress(c.data, c.len, p.len + 1, &out),
				 RP_EFORMAT);
		/* Every truncation fails cleanly (no read past the end). */
		for (size_t n = 0; n < c.len; n++) {
			rp_buf_free(&out);
			assert_int_not_equal(mbx_lz77_decompress(c.data, n, p.len, &out),
					     RP_OK);
		}
	}
	rp_buf_free(&c);
	rp_buf_free(&p);
	rp_buf_free(&out);
}

static void test_lz77_xca_vectors(void **state)
{
	(void)state;
	check_xca("ms-xca/3.1-example1-compressed.bin", "ms-xca/3.1-example1-plain.bin");
	check_xca("ms-xca/3.1-example2-compressed.bin", "ms-xca/3.1-example2-plain.bin");
}

static void put32(uint8_t *p, uint32_t v)
{
	rp_put_le32(p, v);
}

/* Two length-code-7 matches share one nibble byte (low nibble first, then
 * the high nibble), MS-XCA 2.4. "ab" + match(d=2, len 10+N) twice. */
static void test_lz77_shared_nibble(void **state)
{
	(void)state;
	uint8_t s[16];
	size_t n = 0;
	/* flags: literal, literal, match, match, then 1-bits (end). */
	put32(s, 0x3FFFFFFFu);
	n = 4;
	s[n++] = 'a';
	s[n++] = 'b';
	uint16_t m = (uint16_t)(((2 - 1) << 3) | 7);
	s[n++] = (uint8_t)m;
	s[n++] = (uint8_t)(m >> 8);
	s[n++] = 0x31; /* low nibble 1 -> length 1+7+3 = 11; high 3 -> 13 */
	s[n++] = (uint8_t)m;
	s[n++] = (uint8_t)(m >> 8);
	rp_buf out = RP_BUF_INIT;
	assert_int_equal(mbx_lz77_decompress(s, n, 2 + 11 + 13, &out), RP_OK);
	for (size_t i = 0; i < out.len; i++)
		assert_int_equal(out.data[i], i % 2 ? 'b' : 'a');
	rp_buf_free(&out);
}

static void test_lz77_refusals(void **state)
{
	(void)state;
	rp_buf out = RP_BUF_INIT;
	uint8_t s[8];
	/* A match before any output. */
	put32(s, 0x80000000u);
	s[4] = 0x00;
	s[5] = 0x00;
	assert_int_equal(mbx_lz77_decompress(s, 6, 3, &out), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "reaches"));
	rp_buf_free(&out);
	/* A flag word cut short. */
	assert_int_equal(mbx_lz77_decompress(s, 3, 3, &out), RP_EFORMAT);
	rp_buf_free(&out);
	/* Length word below 22 (MS-XCA: an error). */
	uint8_t w[16];
	put32(w, 0x7FFFFFFFu); /* literal, then match */
	w[4] = 'x';
	w[5] = 0x07;
	w[6] = 0x00; /* distance 1, code 7 */
	w[7] = 0x0F; /* nibble 15 */
	w[8] = 0xFF; /* byte 255 */
	w[9] = 0x05;
	w[10] = 0x00; /* word 5 < 22 */
	assert_int_equal(mbx_lz77_decompress(w, 11, 100, &out), RP_EFORMAT);
	rp_buf_free(&out);
	/* Empty input for an empty payload is fine; for a non-empty one not. */
	assert_int_equal(mbx_lz77_decompress(s, 0, 0, &out), RP_OK);
	assert_int_equal(mbx_lz77_decompress(s, 0, 1, &out), RP_EFORMAT);
	rp_buf_free(&out);
}

/* ---- RPC_HEADER_EXT ---- */

static void test_rpcext_vectors(void **state)
{
	(void)state;
	struct {
		const char *file;
		uint16_t flags, size, actual;
	} v[] = {
	    {"ms-oxcrpc/4.2-rgbin-header.bin", MBX_RPCEXT_LAST, 0x152, 0x152},
	    {"ms-oxcrpc/4.2-rgbout-header.bin", MBX_RPCEXT_LAST, 0x52, 0x52},
	    {"ms-oxcrpc/4.3-rgbout-header1-notlast.bin", 0, 0x7FFE, 0x7FFE},
	    {"ms-oxcrpc/4.3-rgbout-header2-last.bin", MBX_RPCEXT_LAST, 0x2008, 0x2008},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		rp_buf b = RP_BUF_INIT, re = RP_BUF_INIT;
		mbx_rpcext h;
		if (vec(v[i].file, &b)) {
			assert_int_equal(mbx_rpcext_parse(b.data, b.len, &h), RP_OK);
			assert_int_equal(h.flags, v[i].flags);
			assert_int_equal(h.size, v[i].size);
			assert_int_equal(h.size_actual, v[i].actual);
			assert_int_equal(
			    mbx_rpcext_put(&re, h.flags, h.size, h.size_actual), RP_OK);
			assert_int_equal(re.len, b.len);
			assert_memory_equal(re.data, b.data, b.len);
		}
		rp_buf_free(&b);
		rp_buf_free(&re);
	}
	/* The 4.1 auxiliary buffer: one Last payload of 8 bytes. */
	rp_buf a = RP_BUF_INIT, *pl;
	size_t n;
	if (vec("ms-oxcrpc/4.1-rgbauxout-exorginfo.bin", &a)) {
		assert_int_equal(mbx_rpcext_unpack(a.data, a.len, &pl, &n), RP_OK);
		assert_int_equal(n, 1);
		assert_int_equal(pl[0].len, 8);
		assert_int_equal(pl[0].data[3], 0x17); /* AUX_EXORGINFO */
		mbx_rpcext_free(pl, n);
	}
	rp_buf_free(&a);
}

/* MS-OXCRPC 4.3: 0x7FFE-byte payload (Last clear) + 0x2008-byte payload
 * (Last), total 0xA016; here the second one obfuscated, the first plain. */
static void test_rpcext_packed(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT, *pl;
	size_t n;
	assert_int_equal(mbx_rpcext_put(&b, 0, 0x7FFE, 0x7FFE), RP_OK);
	for (size_t i = 0; i < 0x7FFE; i++)
		rp_buf_u8(&b, (uint8_t)i);
	assert_int_equal(
	    mbx_rpcext_put(&b, MBX_RPCEXT_LAST | MBX_RPCEXT_XOR_MAGIC, 0x2008, 0x2008),
	    RP_OK);
	for (size_t i = 0; i < 0x2008; i++)
		rp_buf_u8(&b, (uint8_t)(0x11 ^ MBX_XOR_MAGIC));
	assert_int_equal(b.len, 0xA016);
	assert_int_equal(mbx_rpcext_unpack(b.data, b.len, &pl, &n), RP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(pl[0].len, 0x7FFE);
	assert_int_equal(pl[0].data[0x100], 0x00);
	assert_int_equal(pl[0].data[0x101], 0x01);
	assert_int_equal(pl[1].len, 0x2008);
	assert_int_equal(pl[1].data[0], 0x11);
	assert_int_equal(pl[1].data[0x2007], 0x11);
	mbx_rpcext_free(pl, n);
	/* Without Last on the final payload: refused. */
	b.data[0x7FFE + 8 + 2] = MBX_RPCEXT_XOR_MAGIC;
	assert_int_equal(mbx_rpcext_unpack(b.data, b.len, &pl, &n), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "without a Last"));
	rp_buf_free(&b);
}

/* Compressed then obfuscated (the sender's order): the MS-XCA example 2
 * stream, XORed, with SizeActual 300. */
static void test_rpcext_compressed_xor(void **state)
{
	(void)state;
	rp_buf c = RP_BUF_INIT, p = RP_BUF_INIT, b = RP_BUF_INIT, *pl;
	size_t n;
	if (vec("ms-xca/3.1-example2-compressed.bin", &c) &&
	    vec("ms-xca/3.1-example2-plain.bin", &p)) {
		mbx_xor_magic(c.data, c.len);
		assert_int_equal(mbx_rpcext_put(&b,
						MBX_RPCEXT_LAST | MBX_RPCEXT_COMPRESSED |
						    MBX_RPCEXT_XOR_MAGIC,
						(uint16_t)c.len, (uint16_t)p.len),
				 RP_OK);
		rp_buf_append(&b, c.data, c.len);
		assert_int_equal(mbx_rpcext_unpack(b.data, b.len, &pl, &n), RP_OK);
		assert_int_equal(n, 1);
		assert_int_equal(pl[0].len, p.len);
		assert_memory_equal(pl[0].data, p.data, p.len);
		mbx_rpcext_free(pl, n);
	}
	rp_buf_free(&c);
	rp_buf_free(&p);
	rp_buf_free(&b);
}

static void test_rpcext_refusals(void **state)
{
	(void)state;
	mbx_rpcext h;
	rp_buf *pl;
	size_t n;
	const uint8_t version1[8] = {1, 0, 4, 0, 0, 0, 0, 0};
	const uint8_t badflag[8] = {0, 0, 0x0C, 0, 0, 0, 0, 0};
	const uint8_t sizes[8] = {0, 0, 4, 0, 2, 0, 3, 0};   /* uncompressed 2 != 3 */
	const uint8_t bigger[8] = {0, 0, 5, 0, 4, 0, 3, 0};  /* compressed 4 > 3 */
	const uint8_t huge[8] = {0, 0, 4, 0, 1, 0, 1, 0x81}; /* SizeActual > 32 KB */
	const uint8_t shortp[10] = {0, 0, 4, 0, 4, 0, 4, 0, 1, 2};
	const uint8_t trail[11] = {0, 0, 4, 0, 2, 0, 2, 0, 1, 2, 3};
	assert_int_equal(mbx_rpcext_parse(version1, 8, &h), RP_EFORMAT);
	assert_int_equal(mbx_rpcext_parse(badflag, 8, &h), RP_EFORMAT);
	assert_int_equal(mbx_rpcext_parse(sizes, 8, &h), RP_EFORMAT);
	assert_int_equal(mbx_rpcext_parse(bigger, 8, &h), RP_EFORMAT);
	assert_int_equal(mbx_rpcext_parse(huge, 8, &h), RP_EFORMAT);
	assert_int_equal(mbx_rpcext_parse(version1, 7, &h), RP_EFORMAT);
	assert_int_equal(mbx_rpcext_unpack(shortp, sizeof(shortp), &pl, &n), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "only 2 bytes left"));
	assert_int_equal(mbx_rpcext_unpack(trail, sizeof(trail), &pl, &n), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "after the Last"));
	assert_int_equal(mbx_rpcext_unpack(trail, 0, &pl, &n), RP_EFORMAT);
}

static void test_xor_inverse(void **state)
{
	(void)state;
	uint8_t b[4] = {0x00, 0xA5, 0xFF, 0x5A};
	mbx_xor_magic(b, 4);
	assert_int_equal(b[0], 0xA5);
	assert_int_equal(b[1], 0x00);
	assert_int_equal(b[2], 0x5A);
	assert_int_equal(b[3], 0xFF);
	mbx_xor_magic(b, 4);
	assert_int_equal(b[1], 0xA5);
}

/* ---- the streamed response ---- */

static int parse_str(const char *s, size_t len, mbx_http_frame *f)
{
	return mbx_http_parse_stream((const uint8_t *)s, len, f);
}

static void test_stream_spec(void **state)
{
	(void)state;
	/* HTTP15 4.x shape: PROCESSING, PENDING x2, DONE, headers, body. */
	static const char s[] = "PROCESSING\r\nPENDING\r\nPENDING\r\nDONE\r\n"
				"X-ResponseCode: 0\r\nX-ElapsedTime: 2\r\n"
				"X-StartTime: Mon, 03 Jun 2013 20:13:59 GMT\r\n\r\n"
				"\x00\x00\x00\x00\x01";
	mbx_http_frame f;
	assert_int_equal(parse_str(s, sizeof(s) - 1, &f), RP_OK);
	assert_int_equal(f.pending, 2);
	assert_true(f.has_code);
	assert_int_equal(f.response_code, 0);
	assert_true(f.has_elapsed);
	assert_int_equal(f.elapsed_ms, 2);
	assert_string_equal(f.start_time, "Mon, 03 Jun 2013 20:13:59 GMT");
	assert_int_equal(f.body_len, 5);
	assert_int_equal(f.body[4], 1);
}

static void test_stream_gromox(void **state)
{
	(void)state;
	/* gromox: PENDING without CRLF, an extra header, code 10 inside. */
	static const char s[] = "PENDINGPENDINGPROCESSING\r\nDONE\r\n"
				"X-ResponseCode: 10\r\nX-Other: x\r\n\r\n";
	mbx_http_frame f;
	assert_int_equal(parse_str(s, sizeof(s) - 1, &f), RP_OK);
	assert_int_equal(f.pending, 2);
	assert_int_equal(f.response_code, 10);
	assert_int_equal(f.body_len, 0);
}

static void test_stream_refusals(void **state)
{
	(void)state;
	mbx_http_frame f;
	const char *bad[] = {
	    "",
	    "PROCESSING\r\n",
	    "PROCESSING\r\nHELLO\r\nDONE\r\n\r\n",
	    "DONE\r\nX-ResponseCode: zero\r\n\r\n",
	    "DONE\r\nX-ResponseCode: 99999999999\r\n\r\n",
	    "DONE\r\nX-ElapsedTime: -1\r\n\r\n",
	    "DONE\r\nX-ResponseCode: 0\r\n",
	    "DONE\r\nno colon\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_str(bad[i], strlen(bad[i]), &f), RP_EFORMAT);
		assert_non_null(strstr(rp_error_msg(), "MAPI/HTTP response"));
	}
	assert_string_equal(
	    mbx_response_code_text(10),
	    "session context not found: it expired, or the mailbox moved");
	assert_string_equal(mbx_response_code_text(99), "unknown code");
}

/* ---- EMSMDB bodies ---- */

static void test_connect_bodies(void **state)
{
	(void)state;
	rp_buf b = RP_BUF_INIT;
	mbx_connect_req rq = {"/o=First Organization/cn=Recipients/cn=user1", 0, 0, 0};
	assert_int_equal(mbx_connect_req_build(&rq, &b), RP_OK);
	size_t dn = strlen(rq.user_dn) + 1;
	assert_int_equal(b.len, dn + 20);
	assert_int_equal(rp_le32(b.data + dn + 4), 1252);
	assert_int_equal(rp_le32(b.data + dn + 8), 0x409);
	assert_int_equal(rp_le32(b.data + dn + 12), 0x409);
	assert_int_equal(rp_le32(b.data + dn + 16), 0);
	rp_buf_free(&b);
	rq.user_dn = "";
	assert_int_equal(mbx_connect_req_build(&rq, &b), RP_EINVAL);

	/* A success response: status 0, error 0, 60000, 6, 10000, "/o=Org",
	 * "User One" (UTF-16), aux 0. */
	rp_buf r = RP_BUF_INIT;
	rp_buf_u32le(&r, 0);
	rp_buf_u32le(&r, 0);
	rp_buf_u32le(&r, 60000);
	rp_buf_u32le(&r, 6);
	rp_buf_u32le(&r, 10000);
	rp_buf_append(&r, "/o=Org", 7);
	const char *dnm = "User One";
	for (const char *c = dnm; *c; c++)
		rp_buf_u16le(&r, (uint16_t)*c);
	rp_buf_u16le(&r, 0);
	rp_buf_u32le(&r, 0);
	mbx_connect_rsp cr;
	assert_int_equal(mbx_connect_rsp_parse(r.data, r.len, &cr), RP_OK);
	assert_int_equal(cr.polls_max_ms, 60000);
	assert_int_equal(cr.retry_count, 6);
	assert_int_equal(cr.retry_delay_ms, 10000);
	assert_string_equal(cr.dn_prefix, "/o=Org");
	assert_string_equal(cr.display_name, "User One");
	mbx_connect_rsp_free(&cr);
	/* Every truncation is refused; a trailing byte too. */
	for (size_t n = 4; n < r.len; n++)
		assert_int_equal(mbx_connect_rsp_parse(r.data, n, &cr), RP_EFORMAT);
	rp_buf_u8(&r, 0);
	assert_int_equal(mbx_connect_rsp_parse(r.data, r.len, &cr), RP_EFORMAT);
	rp_buf_free(&r);
}

static void test_execute_bodies(void **state)
{
	(void)state;
	/* RopSize 2 (no ROPs) + one output slot. */
	const uint8_t rop[6] = {2, 0, 0xFF, 0xFF, 0xFF, 0xFF};
	rp_buf b = RP_BUF_INIT;
	assert_int_equal(mbx_execute_req_build(3, rop, sizeof(rop), 0x10000, &b), RP_OK);
	assert_int_equal(b.len, 4 + 4 + 8 + 6 + 4 + 4);
	assert_int_equal(rp_le32(b.data), 3);
	assert_int_equal(rp_le32(b.data + 4), 14);
	assert_int_equal(rp_le16(b.data + 10), MBX_RPCEXT_LAST);
	assert_int_equal(rp_le16(b.data + 12), 6);
	assert_int_equal(rp_le32(b.data + 22), 0x10000);
	rp_buf_free(&b);
	assert_int_equal(mbx_execute_req_build(3, rop, sizeof(rop), 4, &b), RP_EINVAL);
	uint8_t *big = calloc(1, 0x8001);
	assert_int_equal(mbx_execute_req_build(3, big, 0x8001, 0x10000, &b), RP_ELIMIT);
	free(big);

	/* Response: status 0, error 0, flags 0, RopBufferSize, header + 6
	 * bytes, aux 0. */
	rp_buf r = RP_BUF_INIT;
	rp_buf_u32le(&r, 0);
	rp_buf_u32le(&r, 0);
	rp_buf_u32le(&r, 0);
	rp_buf_u32le(&r, 14);
	mbx_rpcext_put(&r, MBX_RPCEXT_LAST, 6, 6);
	rp_buf_append(&r, rop, 6);
	rp_buf_u32le(&r, 0);
	mbx_execute_rsp er;
	assert_int_equal(mbx_execute_rsp_parse(r.data, r.len, &er), RP_OK);
	assert_int_equal(er.n_payloads, 1);
	assert_int_equal(er.payloads[0].len, 6);
	assert_memory_equal(er.payloads[0].data, rop, 6);
	mbx_execute_rsp_free(&er);
	for (size_t n = 4; n < r.len; n++)
		assert_int_equal(mbx_execute_rsp_parse(r.data, n, &er), RP_EFORMAT);
	/* A failure StatusCode stops the parse. */
	r.data[0] = 1;
	assert_int_equal(mbx_execute_rsp_parse(r.data, r.len, &er), RP_OK);
	assert_int_equal(er.status_code, 1);
	mbx_execute_rsp_free(&er);
	rp_buf_free(&r);

	uint32_t sc, ec;
	const uint8_t disc[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	assert_int_equal(mbx_status_rsp_parse(disc, 12, &sc, &ec), RP_OK);
	assert_int_equal(sc, 0);
	assert_int_equal(mbx_status_rsp_parse(disc, 2, &sc, &ec), RP_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lz77_xca_vectors),
	    cmocka_unit_test(test_lz77_shared_nibble),
	    cmocka_unit_test(test_lz77_refusals),
	    cmocka_unit_test(test_rpcext_vectors),
	    cmocka_unit_test(test_rpcext_packed),
	    cmocka_unit_test(test_rpcext_compressed_xor),
	    cmocka_unit_test(test_rpcext_refusals),
	    cmocka_unit_test(test_xor_inverse),
	    cmocka_unit_test(test_stream_spec),
	    cmocka_unit_test(test_stream_gromox),
	    cmocka_unit_test(test_stream_refusals),
	    cmocka_unit_test(test_connect_bodies),
	    cmocka_unit_test(test_execute_bodies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
