/* Tests of the MAPI/HTTP transport against the loopback server
 * (mapi_server.py, started by transport.sh, which passes MBX_TEST_PORT,
 * MBX_TEST_CA and MBX_TEST_STATE). The server is steered through files in
 * its state folder (expire, compress, xor, pending, busy); what it received
 * is checked in its requests.log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mailbox/mbx_emsmdb.h"
#include "mailbox/mbx_http.h"
#include "mailbox/mbx_rpcext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DN1                                                                              \
	"/o=Target Org/ou=Exchange Administrative Group "                                \
	"(FYDIBOHF23SPDLT)/cn=Recipients/"                                               \
	"cn=user1"
#define URL "https://mail.target.example/mapi/emsmdb/?MailboxId=0a1b@target.example"

static char connect_to[128];
static const char *ct_list[2];
static char state_dir[1024];
static char trace[8192]; /* log lines of the current test */

static void on_log(void *ctx, const char *level, const char *msg)
{
	(void)ctx;
	size_t u = strlen(trace);
	snprintf(trace + u, sizeof(trace) - u, "%s: %s\n", level, msg);
}

static mbx_http_opts opts(const char *user, const char *password, const char *bearer)
{
	mbx_http_opts o;
	memset(&o, 0, sizeof(o));
	o.url = URL;
	o.ca_file = getenv("MBX_TEST_CA");
	o.user = user;
	o.password = password;
	o.bearer = bearer;
	o.connect_to = ct_list;
	o.timeout_s = 20;
	o.log = on_log;
	return o;
}

static void steer(const char *name, const char *content)
{
	char p[1200];
	snprintf(p, sizeof(p), "%s/%s", state_dir, name);
	if (!content) {
		remove(p);
		return;
	}
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

/* The last line of the server's requests.log (JSON). */
static void last_request(char *out, size_t cap)
{
	char p[1200], line[4096];
	snprintf(p, sizeof(p), "%s/requests.log", state_dir);
	FILE *f = fopen(p, "r");
	assert_non_null(f);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f))
		snprintf(out, cap, "%s", line);
	fclose(f);
}

/* RopLogon for the user's own mailbox into slot 0 (MS-OXCSTOR 2.2.1.1.1). */
static void logon_buffer(rp_buf *b, uint32_t slot0)
{
	const char *ess = DN1;
	size_t n = strlen(ess) + 1;
	rp_buf_u16le(b, (uint16_t)(2 + 1 + 1 + 1 + 1 + 4 + 4 + 2 + n));
	rp_buf_u8(b, 0xFE); /* RopLogon */
	rp_buf_u8(b, 0);    /* LogonId */
	rp_buf_u8(b, 0);    /* OutputHandleIndex */
	rp_buf_u8(b, 0x01); /* Private */
	rp_buf_u32le(b, 0x0100040C);
	rp_buf_u32le(b, 0);
	rp_buf_u16le(b, (uint16_t)n);
	rp_buf_append(b, ess, n);
	rp_buf_u32le(b, slot0);
}

static void check_logon_response(const mbx_execute_rsp *r)
{
	assert_int_equal(r->n_payloads, 1);
	const rp_buf *p = &r->payloads[0];
	assert_true(p->len > 8);
	size_t rop_size = rp_le16(p->data);
	assert_true(rop_size >= 8 && rop_size + 4 == p->len);
	assert_int_equal(p->data[2], 0xFE);        /* RopLogon */
	assert_int_equal(rp_le32(p->data + 4), 0); /* ReturnValue */
	/* The server filled slot 0 with a handle. */
	assert_int_not_equal(rp_le32(p->data + rop_size), 0xFFFFFFFFu);
}

static mbx_emsmdb *connected(const mbx_http_opts *o)
{
	mbx_emsmdb *e;
	mbx_connect_req rq = {DN1, 0, 0, 0};
	assert_int_equal(mbx_emsmdb_new(o, &e), RP_OK);
	int rc = mbx_emsmdb_connect(e, &rq);
	if (rc)
		fail_msg("connect: %s", rp_error_msg());
	return e;
}

static int setup(void **state)
{
	(void)state;
	trace[0] = '\0';
	steer("expire", NULL);
	steer("compress", NULL);
	steer("xor", NULL);
	steer("pending", NULL);
	steer("busy", NULL);
	return 0;
}

static void test_connect_execute_disconnect(void **state)
{
	(void)state;
	mbx_http_opts o = opts("user1", "Pa55-word", NULL);
	mbx_emsmdb *e = connected(&o);
	const mbx_connect_rsp *info = mbx_emsmdb_info(e);
	assert_string_equal(info->display_name, "User One");
	assert_string_equal(info->dn_prefix, "/o=Target Org");
	assert_int_equal(info->polls_max_ms, 60000);
	char req[4096];
	last_request(req, sizeof(req));
	assert_non_null(strstr(req, "\"type\": \"Connect\""));
	assert_non_null(strstr(req, "\"client_app\": \"" MBX_HTTP_CLIENT_APP "\""));
	assert_non_null(strstr(req, "\"content_type\": \"application/mapi-http\""));
	assert_non_null(strstr(req, "\"auth\": \"Basic\""));
	assert_non_null(strstr(req, ":1\", \"client_info\": \"{"));
	assert_non_null(strstr(req, "\"query\": \"MailboxId=0a1b@target.example\""));

	rp_buf b = RP_BUF_INIT;
	mbx_execute_rsp r;
	logon_buffer(&b, 0xFFFFFFFFu);
	assert_int_equal(
	    mbx_emsmdb_execute(e, MBX_EXEC_NO_COMPRESSION | MBX_EXEC_NO_XOR_MAGIC, b.data,
			       b.len, 0, &r),
	    RP_OK);
	check_logon_response(&r);
	mbx_execute_rsp_free(&r);
	last_request(req, sizeof(req));
	/* Cookies of the context went back, with the request counter 2. */
	assert_non_null(strstr(req, "\"MapiContext\": \""));
	assert_non_null(strstr(req, "\"MapiSequence\": \""));
	assert_non_null(strstr(req, ":2\", \"client_info\""));
	assert_non_null(strstr(req, "\"exec_flags\": 3"));
	assert_non_null(strstr(req, "\"rpc_flags\": 4"));

	/* PING in the same context. */
	mbx_http_resp pr;
	assert_int_equal(mbx_http_call(mbx_emsmdb_http(e), "PING", NULL, 0, &pr), RP_OK);
	assert_int_equal(pr.body.len, 0);
	assert_int_equal(pr.expiration_ms, 900000);
	mbx_http_resp_free(&pr);

	assert_int_equal(mbx_emsmdb_disconnect(e), RP_OK);
	mbx_http *h = mbx_emsmdb_http(e);
	assert_int_equal(mbx_http_requests(h), 4);
	assert_int_equal(mbx_http_requests_of(h, "Execute"), 1);
	assert_int_equal(mbx_http_requests_of(h, "Connect"), 1);
	assert_int_equal(mbx_http_requests_of(h, "Disconnect"), 1);
	/* After Disconnect the context is gone: PING is refused (10 or 13). */
	assert_int_not_equal(mbx_http_call(h, "PING", NULL, 0, &pr), RP_OK);
	assert_true(pr.response_code == 10 || pr.response_code == 13);
	mbx_http_resp_free(&pr);
	assert_non_null(strstr(trace, "TraceW: MAPI/HTTP request 1: Connect"));
	mbx_emsmdb_free(e);
	rp_buf_free(&b);
}

static void test_bearer(void **state)
{
	(void)state;
	mbx_http_opts o = opts(NULL, NULL, "mock-mapi-token");
	mbx_emsmdb *e = connected(&o);
	char req[4096];
	last_request(req, sizeof(req));
	assert_non_null(strstr(req, "\"auth\": \"Bearer\""));
	mbx_emsmdb_free(e);

	o = opts(NULL, NULL, "wrong-token");
	mbx_connect_req rq = {DN1, 0, 0, 0};
	assert_int_equal(mbx_emsmdb_new(&o, &e), RP_OK);
	assert_int_equal(mbx_emsmdb_connect(e, &rq), RP_EAUTH);
	assert_non_null(strstr(rp_error_msg(), "HTTP 401"));
	assert_non_null(strstr(rp_error_msg(), "Bearer"));
	mbx_emsmdb_free(e);
}

static void test_refusals(void **state)
{
	(void)state;
	mbx_emsmdb *e;
	mbx_connect_req rq = {DN1, 0, 0, 0};
	/* Wrong password: 401, the schemes named. */
	mbx_http_opts o = opts("user1", "wrong", NULL);
	assert_int_equal(mbx_emsmdb_new(&o, &e), RP_OK);
	assert_int_equal(mbx_emsmdb_connect(e, &rq), RP_EAUTH);
	assert_non_null(strstr(rp_error_msg(), "it offers Basic, Bearer"));
	mbx_emsmdb_free(e);
	/* Another user's DN: ecAccessDenied. */
	o = opts("user2", "other-pass", NULL);
	assert_int_equal(mbx_emsmdb_new(&o, &e), RP_OK);
	assert_int_equal(mbx_emsmdb_connect(e, &rq), RP_EAUTH);
	assert_non_null(strstr(rp_error_msg(), "ecAccessDenied"));
	mbx_emsmdb_free(e);
	/* Execute before Connect is the caller's error. */
	o = opts("user1", "Pa55-word", NULL);
	assert_int_equal(mbx_emsmdb_new(&o, &e), RP_OK);
	mbx_execute_rsp r;
	assert_int_equal(mbx_emsmdb_execute(e, 0, (const uint8_t *)"\2\0", 2, 0, &r),
			 RP_EINVAL);
	mbx_emsmdb_free(e);

	/* X-ResponseCode failures mapped to their meaning. */
	mbx_http *h;
	mbx_http_resp resp;
	assert_int_equal(mbx_http_new(&o, &h), RP_OK);
	assert_int_equal(mbx_http_call(h, "PING", NULL, 0, &resp), RP_ENET);
	assert_int_equal(resp.response_code, 13);
	assert_non_null(strstr(rp_error_msg(),
			       "X-ResponseCode 13 (missing session context "
			       "cookie): missing session context cookie"));
	mbx_http_resp_free(&resp);
	assert_int_equal(mbx_http_call(h, "Bogus", "x", 1, &resp), RP_ENET);
	assert_int_equal(resp.response_code, 5);
	assert_non_null(strstr(rp_error_msg(), "invalid X-RequestType"));
	mbx_http_resp_free(&resp);
	/* A Connect body that is cut short: 12, invalid request body. */
	assert_int_equal(mbx_http_call(h, "Connect", "/o=x\0\1\0", 7, &resp), RP_ENET);
	assert_int_equal(resp.response_code, 12);
	mbx_http_resp_free(&resp);
	mbx_http_free(h);
	/* No MailboxId in the URL: 3, invalid path. */
	o.url = "https://mail.target.example/mapi/emsmdb/";
	assert_int_equal(mbx_http_new(&o, &h), RP_OK);
	assert_int_equal(mbx_http_call(h, "PING", NULL, 0, &resp), RP_ENET);
	assert_int_equal(resp.response_code, 3);
	mbx_http_resp_free(&resp);
	mbx_http_free(h);
	/* Plain http is refused before any request. */
	o.url = "http://mail.target.example/mapi/emsmdb/";
	assert_int_equal(mbx_http_new(&o, &h), RP_EINVAL);
}

static void test_expiry_reconnect(void **state)
{
	(void)state;
	mbx_http_opts o = opts("user1", "Pa55-word", NULL);
	mbx_emsmdb *e = connected(&o);
	rp_buf b = RP_BUF_INIT;
	mbx_execute_rsp r;
	assert_int_equal(mbx_emsmdb_generation(e), 1);
	/* A self-contained buffer (only output slots) is sent again. */
	steer("expire", "1");
	logon_buffer(&b, 0xFFFFFFFFu);
	if (mbx_emsmdb_execute(e, 0, b.data, b.len, 0, &r))
		fail_msg("%s", rp_error_msg());
	check_logon_response(&r);
	mbx_execute_rsp_free(&r);
	assert_int_equal(mbx_emsmdb_generation(e), 2);
	mbx_http *h = mbx_emsmdb_http(e);
	assert_int_equal(mbx_http_requests_of(h, "Connect"), 2);
	assert_int_equal(mbx_http_requests_of(h, "Execute"), 2);
	/* A buffer that uses a handle of the old session is not. */
	rp_buf_free(&b);
	logon_buffer(&b, 0x1000);
	steer("expire", "1");
	assert_int_equal(mbx_emsmdb_execute(e, 0, b.data, b.len, 0, &r), RP_ENET);
	assert_non_null(strstr(rp_error_msg(), "handles are lost"));
	assert_int_equal(mbx_emsmdb_generation(e), 3);
	/* The session works again (with a fresh buffer). */
	rp_buf_free(&b);
	logon_buffer(&b, 0xFFFFFFFFu);
	assert_int_equal(mbx_emsmdb_execute(e, 0, b.data, b.len, 0, &r), RP_OK);
	mbx_execute_rsp_free(&r);
	rp_buf_free(&b);
	mbx_emsmdb_free(e);
}

static void test_compressed_obfuscated(void **state)
{
	(void)state;
	mbx_http_opts o = opts("user1", "Pa55-word", NULL);
	mbx_emsmdb *e = connected(&o);
	rp_buf b = RP_BUF_INIT;
	mbx_execute_rsp plain, packed;
	char req[4096];
	logon_buffer(&b, 0xFFFFFFFFu);
	assert_int_equal(mbx_emsmdb_execute(e, 0, b.data, b.len, 0, &plain), RP_OK);
	last_request(req, sizeof(req));
	assert_non_null(strstr(req, "\"rpc_flags\": 4"));
	/* Each kind on its own, then both: the same ROP bytes once undone. */
	static const struct {
		const char *file, *flags;
	} kinds[] = {{"compress", "\"rpc_flags\": 5"}, /* Last|Compressed */
		     {"xor", "\"rpc_flags\": 6"}};     /* Last|XorMagic */
	for (size_t k = 0; k < 2; k++) {
		steer(kinds[k].file, "1");
		assert_int_equal(mbx_emsmdb_execute(e, 0, b.data, b.len, 0, &packed),
				 RP_OK);
		steer(kinds[k].file, NULL);
		last_request(req, sizeof(req));
		assert_non_null(strstr(req, kinds[k].flags));
		assert_int_equal(packed.n_payloads, 1);
		assert_int_equal(packed.payloads[0].len, plain.payloads[0].len);
		assert_memory_equal(packed.payloads[0].data + 2,
				    plain.payloads[0].data + 2,
				    rp_le16(plain.payloads[0].data) - 2);
		mbx_execute_rsp_free(&packed);
	}
	steer("compress", "1");
	steer("xor", "1");
	assert_int_equal(mbx_emsmdb_execute(e, 0, b.data, b.len, 0, &packed), RP_OK);
	last_request(req, sizeof(req));
	assert_non_null(strstr(req, "\"rpc_flags\": 7")); /* Last|XorMagic|Compressed */
	assert_int_equal(packed.n_payloads, 1);
	/* Same bytes once undone (the logon time is fixed in the stub). */
	assert_int_equal(packed.payloads[0].len, plain.payloads[0].len);
	assert_memory_equal(packed.payloads[0].data + 2, plain.payloads[0].data + 2,
			    rp_le16(plain.payloads[0].data) - 2);
	mbx_execute_rsp_free(&packed);
	/* The client's NoCompression|NoXorMagic are honoured by the server. */
	assert_int_equal(
	    mbx_emsmdb_execute(e, MBX_EXEC_NO_COMPRESSION | MBX_EXEC_NO_XOR_MAGIC, b.data,
			       b.len, 0, &packed),
	    RP_OK);
	last_request(req, sizeof(req));
	assert_non_null(strstr(req, "\"rpc_flags\": 4"));
	mbx_execute_rsp_free(&packed);
	mbx_execute_rsp_free(&plain);
	rp_buf_free(&b);
	mbx_emsmdb_free(e);
}

static void test_pending_and_busy(void **state)
{
	(void)state;
	mbx_http_opts o = opts("user1", "Pa55-word", NULL);
	/* Connect answers ecServerBusy twice, then succeeds. */
	steer("busy", "2");
	mbx_emsmdb *e = connected(&o);
	assert_int_equal(mbx_http_requests_of(mbx_emsmdb_http(e), "Connect"), 3);
	/* Keep-alives with CRLF (spec) and without (gromox). */
	rp_buf b = RP_BUF_INIT;
	mbx_execute_rsp r;
	logon_buffer(&b, 0xFFFFFFFFu);
	steer("pending", "3");
	assert_int_equal(mbx_emsmdb_execute(e, 0, b.data, b.len, 0, &r), RP_OK);
	check_logon_response(&r);
	mbx_execute_rsp_free(&r);
	assert_non_null(strstr(trace, "3 PENDING"));
	steer("pending", "bare");
	assert_int_equal(mbx_emsmdb_execute(e, 0, b.data, b.len, 0, &r), RP_OK);
	check_logon_response(&r);
	mbx_execute_rsp_free(&r);
	assert_non_null(strstr(trace, "2 PENDING"));
	rp_buf_free(&b);
	mbx_emsmdb_free(e);
}

int main(void)
{
	const char *port = getenv("MBX_TEST_PORT"), *st = getenv("MBX_TEST_STATE");
	if (!port || !st || !getenv("MBX_TEST_CA")) {
		fprintf(stderr, "run through transport.sh (MBX_TEST_PORT etc. unset)\n");
		return 1;
	}
	snprintf(connect_to, sizeof(connect_to), "mail.target.example:443:127.0.0.1:%s",
		 port);
	ct_list[0] = connect_to;
	snprintf(state_dir, sizeof(state_dir), "%s", st);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_connect_execute_disconnect, setup),
	    cmocka_unit_test_setup(test_bearer, setup),
	    cmocka_unit_test_setup(test_refusals, setup),
	    cmocka_unit_test_setup(test_expiry_reconnect, setup),
	    cmocka_unit_test_setup(test_compressed_obfuscated, setup),
	    cmocka_unit_test_setup(test_pending_and_busy, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
