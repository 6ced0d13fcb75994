/* Unit tests for the network helpers that need no server: the URL/domain
 * check (-SkipAutodiscoverChecking) and the SRV record choice. The network
 * resolver itself is exercised by net_discover.sh against a loopback server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "discover/adisc.h"

#include <stdlib.h>
#include <string.h>

static void test_url_in_domain(void **state)
{
	(void)state;
	assert_true(
	    adisc_url_in_domain("https://autodiscover.source.example/autodiscover/"
				"autodiscover.xml",
				"source.example"));
	assert_true(
	    adisc_url_in_domain("https://SOURCE.example:8443/x", "source.example"));
	assert_true(
	    adisc_url_in_domain("https://user@mail.source.example/", "source.example"));
	assert_false(
	    adisc_url_in_domain("https://evilsource.example/", "source.example"));
	assert_false(
	    adisc_url_in_domain("https://source.example.evil/", "source.example"));
	assert_false(adisc_url_in_domain("https://target.example/?source.example",
					 "source.example"));
	assert_false(adisc_url_in_domain(NULL, "source.example"));
	assert_false(adisc_url_in_domain("https://source.example/", ""));
}

/* DNS name in wire format (labels, then 0). */
static void put_name(rp_buf *b, const char *dotted)
{
	while (*dotted) {
		size_t n = strcspn(dotted, ".");
		rp_buf_u8(b, (uint8_t)n);
		rp_buf_append(b, dotted, n);
		dotted += n;
		if (*dotted == '.')
			dotted++;
	}
	rp_buf_u8(b, 0);
}

static void put_be16(rp_buf *b, unsigned v)
{
	rp_buf_u8(b, (uint8_t)(v >> 8));
	rp_buf_u8(b, (uint8_t)v);
}

/* One SRV answer record (RFC 2782 RDATA: priority, weight, port, target),
 * owner name compressed to the question (pointer 0xC00C). */
static void put_srv(rp_buf *b, unsigned prio, unsigned weight, unsigned port,
		    const char *target)
{
	rp_buf t = RP_BUF_INIT;
	put_name(&t, target);
	put_be16(b, 0xC00C);
	put_be16(b, 33); /* SRV */
	put_be16(b, 1);  /* IN */
	put_be16(b, 0);
	put_be16(b, 300); /* TTL */
	put_be16(b, (unsigned)(6 + t.len));
	put_be16(b, prio);
	put_be16(b, weight);
	put_be16(b, port);
	rp_buf_append(b, t.data, t.len);
	rp_buf_free(&t);
}

static void answer(rp_buf *b, unsigned count)
{
	put_be16(b, 0x1234); /* id */
	put_be16(b, 0x8180); /* response, RD, RA */
	put_be16(b, 1);
	put_be16(b, count);
	put_be16(b, 0);
	put_be16(b, 0);
	put_name(b, "_autodiscover._tcp.d.example");
	put_be16(b, 33);
	put_be16(b, 1);
}

static void test_srv_pick(void **state)
{
	rp_buf b = RP_BUF_INIT;
	char *host = NULL;
	(void)state;
	/* The Windows build has no SRV wire parser (DnsQuery parses there, and
	 * the choice is test_srv_choose): skipped there with a note. */
	if (adisc_srv_pick((const unsigned char *)"x", 1, &host) == RP_EUNSUPPORTED) {
		print_message(
		    "note: SRV lookup is not built on this platform; skipped\n");
		skip();
	}
	answer(&b, 4);
	put_srv(&b, 10, 5, 443, "a.d.example");
	put_srv(&b, 5, 1, 80, "http.d.example"); /* not port 443: ignored */
	put_srv(&b, 5, 10, 443, "best.d.example");
	put_srv(&b, 5, 20, 443, ""); /* root target "." = no service: ignored */
	/* Lowest priority among port-443 records is 5 -> best.d.example. */
	assert_int_equal(adisc_srv_pick(b.data, (int)b.len, &host), RP_OK);
	assert_string_equal(host, "best.d.example");
	free(host);
	/* Cut inside the last record: malformed. */
	assert_int_equal(adisc_srv_pick(b.data, (int)b.len - 3, &host), RP_EFORMAT);
	assert_null(host);
	rp_buf_free(&b);

	answer(&b, 1);
	put_srv(&b, 0, 0, 80, "web.d.example");
	assert_int_equal(adisc_srv_pick(b.data, (int)b.len, &host), RP_ENOTFOUND);
	rp_buf_free(&b);
	assert_int_equal(adisc_srv_pick((const unsigned char *)"x", 1, &host),
			 RP_EFORMAT);
}

/* The record choice both builds share: port 443 only, lowest priority,
 * then highest weight, first of equals; "." and "" are "no service". */
static void test_srv_choose(void **state)
{
	const adisc_srv_rec recs[] = {
	    {10, 5, 443, "a.d.example"},
	    {5, 1, 80, "http.d.example"},
	    {5, 10, 443, "best.d.example"},
	    {5, 10, 443, "tie.d.example"},
	    {5, 20, 443, "."},
	    {1, 99, 443, ""},
	};
	char *host = NULL;
	(void)state;
	assert_int_equal(adisc_srv_choose(recs, 6, &host), RP_OK);
	assert_string_equal(host, "best.d.example");
	free(host);
	assert_int_equal(adisc_srv_choose(recs, 1, &host), RP_OK);
	assert_string_equal(host, "a.d.example");
	free(host);
	assert_int_equal(adisc_srv_choose(recs + 1, 1, &host), RP_ENOTFOUND);
	assert_null(host);
	assert_int_equal(adisc_srv_choose(recs + 4, 2, &host), RP_ENOTFOUND);
	assert_int_equal(adisc_srv_choose(NULL, 0, &host), RP_ENOTFOUND);
}

static void test_net_resolver_refuses_bad_address(void **state)
{
	adisc_net_opts o = {0};
	adisc_resolver *rv;
	adisc_result *res = NULL;
	(void)state;
	o.manual_url = "https://127.0.0.1:1/autodiscover/autodiscover.xml";
	o.timeout_s = 5;
	rv = adisc_net_resolver_new(&o);
	assert_non_null(rv);
	assert_int_equal(adisc_lookup(rv, "no-domain", &res), RP_EINVAL);
	assert_null(res);
	/* Nothing listens on port 1: a network failure, no response, no crash. */
	assert_int_equal(adisc_lookup(rv, "a@b.example", &res), RP_ENET);
	assert_null(res);
	assert_non_null(
	    strstr(rp_error_msg(), "no Autodiscover response for 'a@b.example'"));
	adisc_resolver_free(rv);
	o.manual_url = "http://autodiscover.source.example/autodiscover/autodiscover.xml";
	assert_null(adisc_net_resolver_new(&o));
	assert_non_null(strstr(rp_error_msg(), "is not an https:// URL"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_url_in_domain),
	    cmocka_unit_test(test_srv_pick),
	    cmocka_unit_test(test_srv_choose),
	    cmocka_unit_test(test_net_resolver_refuses_bad_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
