/* The address-book client (mbx_ab) against the loopback server's NSPI
 * endpoint (mapi_server.py + nspi_handler.py over the target organisation's
 * fixture tests/fixtures/mailbox/addressbook-target.json), started by
 * nspi.sh, which passes MBX_TEST_PORT, MBX_TEST_CA and MBX_TEST_STATE.
 * Checks the answers, the number of requests (one Bind per client, one
 * request per ResolveNames batch, two per DN batch), the re-Bind after the
 * server dropped the context, and what the server saw (requests.log). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "mailbox/mbx_ab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRC_DN                                                                           \
	"/o=Src/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="
#define URL "https://mail.target.example/mapi/nspi/?MailboxId=0a1b@target.example"

static char connect_to[128];
static const char *ct_list[2];
static char state_dir[1024];

static mbx_http_opts opts(const char *password)
{
	mbx_http_opts o;
	memset(&o, 0, sizeof(o));
	o.url = URL;
	o.ca_file = getenv("MBX_TEST_CA");
	o.user = "user1";
	o.password = password;
	o.connect_to = ct_list;
	o.timeout_s = 20;
	return o;
}

static void steer(const char *name, const char *content)
{
	char p[1200];
	snprintf(p, sizeof(p), "%s/%s", state_dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

/* How many requests of type the server answered with X-ResponseCode 0
 * (libcurl's first, unauthenticated try gets a 401 and is not counted). */
static int logged(const char *type)
{
	char p[1200], line[8192], pat[64];
	int n = 0;
	snprintf(p, sizeof(p), "%s/requests.log", state_dir);
	snprintf(pat, sizeof(pat), "\"type\": \"%s\"", type);
	FILE *f = fopen(p, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, pat) && strstr(line, "\"code\": 0}");
	fclose(f);
	return n;
}

static void test_resolve_and_dns(void **state)
{
	(void)state;
	mbx_http_opts o = opts("Pa55-word");
	mbx_ab *ab;
	const char *names[4] = {"alice@src.example", "Carol", "nobody", "Dave"};
	const char *dns[3] = {SRC_DN "alice", SRC_DN "bob", SRC_DN "sales"};
	uint32_t st[4];
	mbx_ab_entry e[4];
	bool found[3];
	int binds = logged("Bind");

	assert_int_equal(mbx_ab_open(&o, &ab), RP_OK);
	assert_int_equal(mbx_ab_requests(ab), 0); /* nothing before the first use */
	if (mbx_ab_resolve(ab, names, 4, st, e) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(st[0], MBX_MID_RESOLVED);
	assert_string_equal(e[0].smtp, "alice@tgt.example");
	assert_non_null(strstr(e[0].legacy_dn, "/o=ExchangeLabs/"));
	assert_int_equal(st[1], MBX_MID_RESOLVED);
	assert_string_equal(e[1].display_name, "Carol J\xc3\xb6rgensen");
	assert_int_equal(st[2], MBX_MID_UNRESOLVED);
	assert_null(e[2].smtp);
	assert_int_equal(st[3], MBX_MID_RESOLVED);
	for (int i = 0; i < 4; i++)
		mbx_ab_entry_free(&e[i]);
	assert_int_equal(mbx_ab_requests(ab), 2); /* Bind + ResolveNames */

	/* source DNs found through the X500 proxies of the migrated objects */
	if (mbx_ab_find_dns(ab, dns, 3, found, e) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_true(found[0]);
	assert_string_equal(e[0].smtp, "alice@tgt.example");
	assert_false(found[1]); /* bob was not migrated */
	assert_true(found[2]);
	assert_int_equal(e[2].display_type, 1);
	assert_string_equal(e[2].smtp, "sales@tgt.example");
	for (int i = 0; i < 3; i++)
		mbx_ab_entry_free(&e[i]);
	assert_int_equal(mbx_ab_requests(ab), 4); /* + DNToMId + QueryRows */
	assert_int_equal(logged("Bind"), binds + 1);
	mbx_ab_close(ab);
	assert_int_equal(logged("Unbind"), 1);
}

/* The server forgets every context: the client binds again once and the
 * lookup still succeeds. */
static void test_rebind_after_expiry(void **state)
{
	(void)state;
	mbx_http_opts o = opts("Pa55-word");
	mbx_ab *ab;
	const char *names[1] = {"alice"};
	uint32_t st[1];
	mbx_ab_entry e[1];
	int binds = logged("Bind");

	assert_int_equal(mbx_ab_open(&o, &ab), RP_OK);
	assert_int_equal(mbx_ab_resolve(ab, names, 1, st, e), RP_OK);
	mbx_ab_entry_free(&e[0]);
	steer("expire", "1");
	if (mbx_ab_resolve(ab, names, 1, st, e) != RP_OK)
		fail_msg("%s", rp_error_msg());
	assert_int_equal(st[0], MBX_MID_RESOLVED);
	mbx_ab_entry_free(&e[0]);
	assert_int_equal(logged("Bind"), binds + 2);
	/* Bind, ResolveNames, ResolveNames (refused), Bind, ResolveNames */
	assert_int_equal(mbx_ab_requests(ab), 5);
	mbx_ab_close(ab);
}

static void test_bad_password(void **state)
{
	(void)state;
	mbx_http_opts o = opts("wrong");
	mbx_ab *ab;
	const char *names[1] = {"alice"};
	uint32_t st[1];
	mbx_ab_entry e[1];

	assert_int_equal(mbx_ab_open(&o, &ab), RP_OK);
	assert_int_equal(mbx_ab_resolve(ab, names, 1, st, e), RP_EAUTH);
	assert_non_null(strstr(rp_error_msg(), "mail.target.example"));
	mbx_ab_close(ab);
}

int main(void)
{
	const char *port = getenv("MBX_TEST_PORT"), *st = getenv("MBX_TEST_STATE");
	if (!port || !st || !getenv("MBX_TEST_CA")) {
		fprintf(stderr, "run me from nspi.sh\n");
		return 2;
	}
	snprintf(connect_to, sizeof(connect_to), "mail.target.example:443:127.0.0.1:%s",
		 port);
	ct_list[0] = connect_to;
	snprintf(state_dir, sizeof(state_dir), "%s", st);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_resolve_and_dns),
	    cmocka_unit_test(test_rebind_after_expiry),
	    cmocka_unit_test(test_bad_password),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
