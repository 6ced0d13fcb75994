/* run_switch_from_redirect: which source Autodiscover results mean "the
 * mailbox moved", and the switch entry made from them. The results are built
 * by hand (hops as the resolvers record them: "addr:<smtp>" / "url:<url>"). */
#include "run/run_target.h"

#include "base/rp_err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static int entry(const char *src, char **hops, size_t n, const char *final_addr,
		 adisc_response *resp, cfg_switch_entry *e)
{
	adisc_result res;
	memset(&res, 0, sizeof(res));
	res.hops = hops;
	res.n_hops = n;
	res.address = (char *)final_addr;
	res.resp = resp;
	return run_switch_from_redirect(src, &res, e);
}

static void test_moved(void **state)
{
	char *one[] = {"addr:ann@target.example"};
	char *alias[] = {"addr:ann.b@source.example", "addr:ann@target.example"};
	char *tenant[] = {"addr:ann@contoso.mail.onmicrosoft.com"};
	char *chain[] = {"addr:ann@mid.example", "addr:ann@final.example"};
	adisc_response o365;
	cfg_switch_entry e;
	(void)state;
	/* A redirect to another domain: switched, target = the redirect. */
	assert_int_equal(
	    entry("ann@source.example", one, 1, "ann@target.example", NULL, &e), RP_OK);
	assert_string_equal(e.source, "ann@source.example");
	assert_string_equal(e.target_smtp, "ann@target.example");
	assert_int_equal(e.kind, CFG_TARGET_EXCHANGE);
	run_switch_entry_clear(&e);
	/* A same-domain hop first (an alias), then the move. */
	assert_int_equal(
	    entry("ann@source.example", alias, 2, "ann@target.example", NULL, &e), RP_OK);
	assert_string_equal(e.target_smtp, "ann@target.example");
	run_switch_entry_clear(&e);
	/* The tenant routing address of a cross-tenant or hybrid move: o365. */
	assert_int_equal(entry("ann@source.example", tenant, 1,
			       "ann@contoso.mail.onmicrosoft.com", NULL, &e),
			 RP_OK);
	assert_int_equal(e.kind, CFG_TARGET_O365);
	run_switch_entry_clear(&e);
	/* Followed on to the target's settings: the final address, and
	 * MicrosoftOnline makes it o365. */
	memset(&o365, 0, sizeof(o365));
	o365.action = ADISC_ACTION_SETTINGS;
	o365.microsoft_online = 1;
	assert_int_equal(
	    entry("ann@source.example", chain, 2, "ann@final.example", &o365, &e), RP_OK);
	assert_string_equal(e.target_smtp, "ann@final.example");
	assert_int_equal(e.kind, CFG_TARGET_O365);
	run_switch_entry_clear(&e);
}

static void test_not_moved(void **state)
{
	char *alias[] = {"addr:ann.b@SOURCE.example"};
	char *url[] = {"url:https://other.example/autodiscover/autodiscover.xml"};
	cfg_switch_entry e;
	(void)state;
	/* No hop, a same-domain hop (case-insensitive), or only URL hops. */
	assert_int_equal(
	    entry("ann@source.example", NULL, 0, "ann@source.example", NULL, &e),
	    RP_ENOTFOUND);
	assert_int_equal(
	    entry("ann@source.example", alias, 1, "ann.b@source.example", NULL, &e),
	    RP_ENOTFOUND);
	assert_int_equal(
	    entry("ann@source.example", url, 1, "ann@source.example", NULL, &e),
	    RP_ENOTFOUND);
	assert_null(e.target_smtp);
	assert_int_equal(run_switch_from_redirect("ann@source.example", NULL, &e),
			 RP_ENOTFOUND);
}

/* CertPrincipalName (POX reference): "None" = no principal check, absent =
 * msstd:<Server of the same Protocol>, otherwise the name as given. */
static void principal(const char *cpn, const char *want)
{
	adisc_protocol expr;
	adisc_response r;
	adisc_result res;
	feature_target t;
	memset(&expr, 0, sizeof(expr));
	memset(&r, 0, sizeof(r));
	memset(&res, 0, sizeof(res));
	memset(&t, 0, sizeof(t));
	expr.kind = ADISC_PROTO_EXPR;
	expr.server = "mail.target.example";
	expr.cert_principal_name = (char *)cpn;
	r.protocols = &expr;
	r.n_protocols = 1;
	res.resp = &r;
	assert_int_equal(run_target_from_response(&res, &t), RP_OK);
	assert_true(t.rpc_settings);
	if (want)
		assert_string_equal(t.rpc_principal, want);
	else
		assert_null(t.rpc_principal);
	assert_string_equal(t.rpc_proxy, "mail.target.example");
	feature_target_free(&t);
}

static void test_cert_principal_name(void **state)
{
	(void)state;
	principal("None", NULL);
	principal("none", NULL);
	principal(NULL, "msstd:mail.target.example");
	principal("", "msstd:mail.target.example");
	principal("msstd:outlook.com", "msstd:outlook.com");
}

static void test_no_expr(void **state)
{
	adisc_response r;
	adisc_result res;
	feature_target t;
	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&res, 0, sizeof(res));
	memset(&t, 0, sizeof(t));
	res.resp = &r;
	assert_int_equal(run_target_from_response(&res, &t), RP_OK);
	assert_false(t.rpc_settings); /* the flags are left as they are */
	assert_null(t.rpc_principal);
	feature_target_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_moved),
	    cmocka_unit_test(test_not_moved),
	    cmocka_unit_test(test_cert_principal_name),
	    cmocka_unit_test(test_no_expr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
