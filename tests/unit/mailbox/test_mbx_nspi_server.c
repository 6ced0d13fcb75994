/* The C NSPI codec against the Python test server's address book
 * (tests/integration/mailbox/nspi_handler.py, run through nspi_pipe.py):
 * two independent implementations of MS-OXCMAPIHTTP 2.2.5 must agree.
 * Every request body here is built by mbx_nspi_req_encode, answered by the
 * handler (which refuses malformed bodies and reports spec violations, both
 * failing the test), and decoded by mbx_nspi_rsp_decode; the expected values
 * come from tests/fixtures/mailbox/addressbook-*.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mailbox/mbx_nspi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRC_DN                                                                           \
	"/o=Src/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="

typedef struct exchange {
	uint8_t *body; /* response body; the decoded response points into it */
	mbx_nspi_rsp rsp;
} exchange;

static void run(const char *book, mbx_nspi_type type, const mbx_nspi_req *req,
		exchange *x)
{
	char cmd[8192], reqp[1024], rspp[1024];
	rp_buf b = RP_BUF_INIT;
	FILE *f;
	long n;

	snprintf(reqp, sizeof(reqp), "%s/nspi-req.bin", RP_TEST_TMP);
	snprintf(rspp, sizeof(rspp), "%s/nspi-rsp.bin", RP_TEST_TMP);
	assert_int_equal(mbx_nspi_req_encode(type, req, &b), RP_OK);
	f = fopen(reqp, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
	fclose(f);
	rp_buf_free(&b);
	snprintf(cmd, sizeof(cmd),
		 "\"%s\" \"%s/tests/integration/mailbox/nspi_pipe.py\" "
		 "\"%s/tests/fixtures/mailbox/addressbook-%s.json\" %s \"%s\" \"%s\"",
		 RP_PYTHON3, RP_SOURCE_DIR, RP_SOURCE_DIR, book, mbx_nspi_type_name(type),
		 reqp, rspp);
	assert_int_equal(system(cmd), 0);
	f = fopen(rspp, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	x->body = malloc((size_t)n + 1);
	assert_non_null(x->body);
	assert_int_equal(fread(x->body, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (mbx_nspi_rsp_decode(&x->rsp, type, x->body, (size_t)n) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(x->rsp.status, 0);
}

static void done(exchange *x)
{
	mbx_nspi_rsp_free(&x->rsp);
	free(x->body);
}

static void test_bind_unbind(void **state)
{
	(void)state;
	exchange x;
	mbx_nspi_stat st;
	mbx_nspi_req req = {0};
	/* uuid 5f3c2a10-8d4e-4b6a-9c21-0a1b2c3d4e5f in GUID (mixed-endian) order */
	static const uint8_t guid[16] = {0x10, 0x2a, 0x3c, 0x5f, 0x4e, 0x8d, 0x6a, 0x4b,
					 0x9c, 0x21, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f};

	mbx_nspi_stat_default(&st);
	req.stat = &st;
	run("source", MBX_NSPI_BIND, &req, &x);
	assert_int_equal(x.rsp.error, 0);
	assert_memory_equal(x.rsp.server_guid, guid, 16);
	done(&x);
	run("source", MBX_NSPI_UNBIND, &req, &x);
	assert_int_equal(x.rsp.error, MBX_NSPI_UNBIND_SUCCESS);
	done(&x);
}

/* The recipient-map path: a source DN found in the target address book
 * through the X500 proxy the migration left there, then its properties. */
static void test_dntomid_getprops(void **state)
{
	(void)state;
	exchange x, y;
	mbx_nspi_stat st;
	mbx_nspi_req req = {0};
	const char *dns[2] = {SRC_DN "carol", SRC_DN "bob"};
	mbx_ab_entry e;

	req.names = dns;
	req.name_count = 2;
	run("target", MBX_NSPI_DNTOMID, &req, &x);
	assert_true(x.rsp.has_mids);
	assert_int_equal(x.rsp.mid_count, 2);
	assert_true(x.rsp.mids[0] >= 0x10);
	assert_int_equal(x.rsp.mids[1], 0); /* bob was not migrated */

	mbx_nspi_stat_default(&st);
	st.cur_rec = x.rsp.mids[0];
	memset(&req, 0, sizeof(req));
	req.stat = &st;
	req.tags = mbx_ab_entry_columns;
	req.tag_count = mbx_ab_entry_column_count;
	run("target", MBX_NSPI_GETPROPS, &req, &y);
	assert_int_equal(y.rsp.error, 0);
	assert_int_equal(y.rsp.row_count, 1);
	assert_int_equal(mbx_ab_entry_from_row(&y.rsp.rows[0], st.cur_rec, &e), RP_OK);
	assert_string_equal(e.smtp, "carol.jorgensen@tgt.example");
	assert_string_equal(e.display_name, "Carol J\xc3\xb6rgensen");
	assert_non_null(strstr(e.legacy_dn, "/o=ExchangeLabs/"));
	assert_int_equal(e.proxy_count, 3);
	assert_string_equal(e.proxies[1], "X500:" SRC_DN "carol");
	mbx_ab_entry_free(&e);
	done(&x);
	done(&y);
}

static void test_resolvenames(void **state)
{
	(void)state;
	exchange x;
	mbx_nspi_stat st;
	mbx_nspi_req req = {0};
	const char *names[3] = {"alice@src.example", "Alex", "J\xc3\xb6rgensen"};
	mbx_ab_entry e;

	mbx_nspi_stat_default(&st);
	req.stat = &st;
	req.tags = mbx_ab_entry_columns;
	req.tag_count = mbx_ab_entry_column_count;
	req.names = names;
	req.name_count = 3;
	run("source", MBX_NSPI_RESOLVENAMES, &req, &x);
	assert_int_equal(x.rsp.mid_count, 3);
	assert_int_equal(x.rsp.mids[0], MBX_MID_RESOLVED);
	assert_int_equal(x.rsp.mids[1], MBX_MID_AMBIGUOUS);
	assert_int_equal(x.rsp.mids[2], MBX_MID_RESOLVED); /* UTF-16 went through */
	assert_int_equal(x.rsp.row_count, 2);
	assert_int_equal(mbx_ab_entry_from_row(&x.rsp.rows[0], 0, &e), RP_OK);
	assert_string_equal(e.legacy_dn, SRC_DN "alice");
	assert_string_equal(e.smtp, "alice@src.example");
	assert_int_equal(e.display_type, 0);
	mbx_ab_entry_free(&e);
	assert_int_equal(mbx_ab_entry_from_row(&x.rsp.rows[1], 0, &e), RP_OK);
	assert_string_equal(e.smtp, "carol@src.example");
	mbx_ab_entry_free(&e);
	done(&x);
}

static void test_queryrows_flagged_typed(void **state)
{
	(void)state;
	exchange x;
	mbx_nspi_stat st;
	mbx_nspi_req req = {0};
	/* PR_SMTP_ADDRESS unspecified, PR_ACCOUNT, a property nobody has,
	 * PR_DISPLAY_NAME as 8-bit */
	const uint32_t cols[4] = {0x39FE0000, MBX_PR_ACCOUNT_W, 0x3A40001F, 0x3001001E};

	mbx_nspi_stat_default(&st);
	req.stat = &st;
	req.row_count = 5;
	req.tags = cols;
	req.tag_count = 4;
	run("source", MBX_NSPI_QUERYROWS, &req, &x);
	assert_true(x.rsp.has_stat);
	assert_int_equal(x.rsp.stat.total_recs, 6);
	assert_int_equal(x.rsp.stat.num_pos, 5);
	assert_int_equal(x.rsp.row_count, 5);
	/* sorted by display name: Alex Brown first */
	assert_true(x.rsp.rows[0].flagged);
	assert_int_equal(x.rsp.rows[0].vals[0].tag, MBX_PR_SMTP_ADDRESS_W);
	char *s = NULL;
	assert_int_equal(mbx_ab_value_utf8(&x.rsp.rows[0].vals[0], 0, &s), RP_OK);
	assert_string_equal(s, "alex.brown@src.example");
	free(s);
	assert_int_equal(x.rsp.rows[0].vals[2].flag, 0x0A);
	assert_int_equal(x.rsp.rows[0].vals[2].u.i32, MBX_NSPI_NOT_FOUND);
	/* Carol's name in Windows-1252 (code page of the STAT) */
	assert_int_equal(mbx_ab_value_utf8(&x.rsp.rows[4].vals[3], 0, &s), RP_OK);
	assert_string_equal(s, "Carol J\xc3\xb6rgensen");
	free(s);
	done(&x);
}

static void test_getmatches_specialtable(void **state)
{
	(void)state;
	exchange x;
	mbx_nspi_stat st;
	mbx_nspi_req req = {0};
	rp_buf flt = RP_BUF_INIT;

	assert_int_equal(mbx_nspi_filter_eq_str(&flt, MBX_PR_EMS_AB_PROXY_ADDRESSES_W,
						"X500:" SRC_DN "sales"),
			 RP_OK);
	mbx_nspi_stat_default(&st);
	req.stat = &st;
	req.filter = flt.data;
	req.filter_len = flt.len;
	req.row_count = 5;
	req.tags = mbx_ab_entry_columns;
	req.tag_count = mbx_ab_entry_column_count;
	run("target", MBX_NSPI_GETMATCHES, &req, &x);
	assert_int_equal(x.rsp.error, 0);
	assert_int_equal(x.rsp.mid_count, 1);
	assert_int_equal(x.rsp.row_count, 1);
	assert_int_equal(mbx_ab_row_find(&x.rsp.rows[0], MBX_PR_DISPLAY_TYPE)->u.i32, 1);
	done(&x);
	rp_buf_free(&flt);

	memset(&req, 0, sizeof(req));
	req.stat = &st;
	req.flags = MBX_NSPI_SPECIAL_UNICODE;
	run("source", MBX_NSPI_GETSPECIALTABLE, &req, &x);
	assert_true(x.rsp.has_version);
	assert_int_equal(x.rsp.row_count, 3);
	assert_int_equal(
	    mbx_ab_row_find(&x.rsp.rows[2], MBX_PR_EMS_AB_CONTAINERID)->u.i32, 16386);
	done(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bind_unbind),
	    cmocka_unit_test(test_dntomid_getprops),
	    cmocka_unit_test(test_resolvenames),
	    cmocka_unit_test(test_queryrows_flagged_typed),
	    cmocka_unit_test(test_getmatches_specialtable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
