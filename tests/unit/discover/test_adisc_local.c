/* Unit tests for local Autodiscover XML files and the resolver interface.
 * The folder tests/fixtures/autodiscover/local/ is described in its README;
 * expected values are the ones written in those files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "discover/adisc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOCAL RP_SOURCE_DIR "/tests/fixtures/autodiscover/local"

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

static void test_address_file_then_redirect_to_domain_file(void **state)
{
	adisc_result *res;
	(void)state;
	/* The file is "Ada@Source.Example.xml": the case differs from the query. */
	assert_int_equal(adisc_local_lookup(LOCAL, "ada@source.example", &res), RP_OK);
	assert_int_equal(res->n_hops, 1);
	assert_string_equal(res->hops[0], "addr:ada@target.example");
	assert_string_equal(res->address, "ada@target.example");
	assert_true(ends_with(res->origin, "/target.example.xml"));
	assert_int_equal(res->resp->action, ADISC_ACTION_SETTINGS);
	assert_string_equal(res->resp->autodiscover_smtp, "ada@target.example");
	assert_string_equal(res->resp->mailbox_guid,
			    "d4c3b2a1-0f9e-4d8c-b7a6-958473625140");
	adisc_result_free(res);

	assert_int_equal(adisc_local_lookup(LOCAL, "ADA@SOURCE.EXAMPLE", &res), RP_OK);
	assert_string_equal(res->hops[0], "addr:ada@target.example");
	adisc_result_free(res);
}

static void test_domain_file_fallback(void **state)
{
	adisc_result *res;
	(void)state;
	assert_int_equal(adisc_local_lookup(LOCAL, "carl@source.example", &res), RP_OK);
	assert_int_equal(res->n_hops, 0);
	assert_true(ends_with(res->origin, "/source.example.xml"));
	assert_string_equal(res->resp->display_name, "Ada Source");
	adisc_result_free(res);

	assert_int_equal(adisc_local_lookup(LOCAL, "chain@source.example", &res), RP_OK);
	assert_int_equal(res->n_hops, 1);
	assert_string_equal(res->hops[0], "addr:carl@target.example");
	assert_true(ends_with(res->origin, "/target.example.xml"));
	adisc_result_free(res);
}

static void test_failures(void **state)
{
	adisc_result *res;
	(void)state;
	assert_int_equal(adisc_local_lookup(LOCAL, "loop-a@source.example", &res),
			 RP_ELIMIT);
	assert_non_null(
	    strstr(rp_error_msg(), "redirectAddr loop at 'loop-a@source.example'"));
	assert_non_null(res);
	assert_int_equal(res->n_hops, 1);
	adisc_result_free(res);

	assert_int_equal(adisc_local_lookup(LOCAL, "gone@source.example", &res),
			 RP_ENOTFOUND);
	assert_non_null(strstr(rp_error_msg(), "Autodiscover error 500"));
	assert_int_equal(res->resp->error.code, 500);
	adisc_result_free(res);

	assert_int_equal(adisc_local_lookup(LOCAL, "moved@source.example", &res),
			 RP_ENET);
	assert_non_null(strstr(rp_error_msg(), "redirectUrl"));
	assert_int_equal(res->resp->action, ADISC_ACTION_REDIRECT_URL);
	adisc_result_free(res);

	assert_int_equal(adisc_local_lookup(LOCAL, "nobody@other.example", &res),
			 RP_ENOTFOUND);
	assert_null(res);
	assert_non_null(
	    strstr(rp_error_msg(), "'nobody@other.example.xml' or 'other.example.xml'"));

	assert_int_equal(adisc_local_lookup(LOCAL, "../etc@x", &res), RP_EINVAL);
	assert_int_equal(adisc_local_lookup(LOCAL, "no-at-sign", &res), RP_EINVAL);
	assert_int_equal(adisc_local_lookup(LOCAL "/absent", "a@b.example", &res),
			 RP_EIO);
	assert_null(res);
}

static void test_resolver_interface(void **state)
{
	adisc_resolver *rv = adisc_local_resolver_new(LOCAL);
	adisc_result *res;
	(void)state;
	assert_non_null(rv);
	assert_int_equal(adisc_lookup(rv, "ada@source.example", &res), RP_OK);
	assert_string_equal(res->address, "ada@target.example");
	adisc_result_free(res);
	assert_int_equal(adisc_lookup(rv, "gone@source.example", &res), RP_ENOTFOUND);
	adisc_result_free(res);
	adisc_resolver_free(rv);
	adisc_resolver_free(NULL);
}

/* A stand-in second resolver that records the addresses it was asked. */
struct fake {
	adisc_resolver base;
	int calls;
	char last[128];
};

static int fake_lookup(adisc_resolver *self, const char *address, adisc_result **out)
{
	struct fake *f = (struct fake *)self;
	f->calls++;
	snprintf(f->last, sizeof(f->last), "%s", address);
	*out = NULL;
	return rp_error_set(RP_ENET, "fake network down");
}

static int fake_destroyed;
static void fake_destroy(adisc_resolver *self)
{
	(void)self;
	fake_destroyed++;
}

static void test_chain_resolver(void **state)
{
	struct fake f = {{fake_lookup, fake_destroy}, 0, ""};
	adisc_resolver *rv =
	    adisc_chain_resolver_new(adisc_local_resolver_new(LOCAL), &f.base);
	adisc_result *res;
	(void)state;
	assert_non_null(rv);
	/* Answered locally: the second resolver is not asked. */
	assert_int_equal(adisc_lookup(rv, "carl@source.example", &res), RP_OK);
	adisc_result_free(res);
	/* A local error response is an answer too. */
	assert_int_equal(adisc_lookup(rv, "gone@source.example", &res), RP_ENOTFOUND);
	assert_non_null(res);
	adisc_result_free(res);
	assert_int_equal(f.calls, 0);
	/* No local file: asked. */
	assert_int_equal(adisc_lookup(rv, "nobody@other.example", &res), RP_ENET);
	assert_null(res);
	assert_int_equal(f.calls, 1);
	assert_string_equal(f.last, "nobody@other.example");
	adisc_resolver_free(rv);
	assert_int_equal(fake_destroyed, 1);
}

#ifndef _WIN32
static void write_file(const char *dir, const char *name, const char *body)
{
	char path[1024];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(body, f);
	fclose(f);
}

static void write_redirect(const char *dir, int from, int to)
{
	char name[64], body[1024];
	snprintf(name, sizeof(name), "hop%d@d.example.xml", from);
	snprintf(body, sizeof(body),
		 "<Autodiscover><Response><Account><Action>redirectAddr</Action>"
		 "<RedirectAddr>hop%d@d.example</RedirectAddr></Account></Response>"
		 "</Autodiscover>",
		 to);
	write_file(dir, name, body);
}

static void write_settings(const char *dir, const char *name, const char *display)
{
	char body[1024];
	snprintf(body, sizeof(body),
		 "<Autodiscover><Response><User><DisplayName>%s</DisplayName></User>"
		 "<Account><Action>settings</Action></Account></Response></Autodiscover>",
		 display);
	write_file(dir, name, body);
}

/* ADISC_MAX_REDIRECTS (10) redirects are followed; the 11th is refused. */
static void test_redirect_limit_and_case_choice(void **state)
{
	char dir[] = "/tmp/adisc-local-XXXXXX";
	char cmd[256];
	adisc_result *res;
	int i;
	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 10; i++)
		write_redirect(dir, i, i + 1);
	write_settings(dir, "hop10@d.example.xml", "Hop Ten");
	assert_int_equal(adisc_local_lookup(dir, "hop0@d.example", &res), RP_OK);
	assert_int_equal(res->n_hops, 10);
	assert_string_equal(res->resp->display_name, "Hop Ten");
	adisc_result_free(res);

	write_redirect(dir, 10, 11);
	write_settings(dir, "hop11@d.example.xml", "Hop Eleven");
	assert_int_equal(adisc_local_lookup(dir, "hop0@d.example", &res), RP_ELIMIT);
	assert_non_null(strstr(rp_error_msg(), "more than 10 Autodiscover redirects"));
	adisc_result_free(res);
	/* Starting one later, the same chain fits. */
	assert_int_equal(adisc_local_lookup(dir, "hop1@d.example", &res), RP_OK);
	assert_string_equal(res->resp->display_name, "Hop Eleven");
	adisc_result_free(res);

	/* Two case variants of one name: the exact match wins, otherwise the
	 * byte-wise smallest ('X' < 'x'). */
	write_settings(dir, "x@e.example.xml", "lower");
	write_settings(dir, "X@E.example.xml", "upper");
	assert_int_equal(adisc_local_lookup(dir, "x@e.example", &res), RP_OK);
	assert_string_equal(res->resp->display_name, "lower");
	adisc_result_free(res);
	assert_int_equal(adisc_local_lookup(dir, "X@E.example", &res), RP_OK);
	assert_string_equal(res->resp->display_name, "upper");
	adisc_result_free(res);
	assert_int_equal(adisc_local_lookup(dir, "x@E.EXAMPLE", &res), RP_OK);
	assert_string_equal(res->resp->display_name, "upper");
	adisc_result_free(res);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_address_file_then_redirect_to_domain_file),
	    cmocka_unit_test(test_domain_file_fallback),
	    cmocka_unit_test(test_failures),
	    cmocka_unit_test(test_resolver_interface),
	    cmocka_unit_test(test_chain_resolver),
#ifndef _WIN32
	    cmocka_unit_test(test_redirect_limit_and_case_choice),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
