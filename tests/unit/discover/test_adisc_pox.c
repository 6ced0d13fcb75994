/* Unit tests for the POX parser and request builder.
 *
 * Every vector under $RP_SHARED_DIR/vectors/autodiscover/ (written by others,
 * used by path) and every fixture in tests/fixtures/autodiscover/ is parsed
 * and compared field by field with an XPath reading of the same file
 * (xpath_check.c). Targeted checks use values listed in the vectors'
 * INDEX.md or written in our own fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "discover/adisc.h"
#include "xpath_check.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define VEC RP_SHARED_DIR "/vectors/autodiscover"
#define FIX RP_SOURCE_DIR "/tests/fixtures/autodiscover"
#define BAD RP_SOURCE_DIR "/tests/fixtures/bad/autodiscover"

static bool have_vectors(void)
{
	struct stat st;
	if (stat(VEC "/INDEX.md", &st) != 0) {
		printf("note: %s absent; vector tests skipped\n", VEC);
		return false;
	}
	return true;
}

/* Parses path, checks it against XPath, returns the response. */
static adisc_response *parse_checked(const char *path)
{
	adisc_response *r = NULL;
	int rc = adisc_parse_file(path, &r);
	if (rc)
		fail_msg("%s: %s", path, rp_error_msg());
	assert_true(xpath_check_response(path, r) >= 8);
	return r;
}

/* Calls fn on every *.xml one level below dir; returns the count. */
static int each_xml(const char *dir, bool recurse, void (*fn)(const char *path))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[1024];
		struct stat st;
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && recurse)
			n += each_xml(path, false, fn);
		else if (S_ISREG(st.st_mode) && len > 4 &&
			 strcmp(e->d_name + len - 4, ".xml") == 0) {
			fn(path);
			n++;
		}
	}
	closedir(d);
	return n;
}

static void check_one(const char *path)
{
	adisc_response_free(parse_checked(path));
}

static void test_all_vectors_match_xpath(void **state)
{
	(void)state;
	if (!have_vectors())
		skip();
	/* INDEX.md lists 14 response files. */
	assert_int_equal(each_xml(VEC, true, check_one), 14);
}

static void test_all_fixtures_match_xpath(void **state)
{
	(void)state;
	assert_true(each_xml(FIX, true, check_one) >= 13);
}

static adisc_response *vec(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", VEC, rel);
	return parse_checked(path);
}

static void test_vector_error_responses(void **state)
{
	adisc_response *r;
	(void)state;
	if (!have_vectors())
		skip();
	/* INDEX.md: Error under Response in the base namespace, ErrorCode 500. */
	r = vec("ews-cpp/autodiscover_response_error.xml");
	assert_int_equal(r->error.code, 500);
	assert_string_equal(r->error.message, "The email address can't be found.");
	assert_string_equal(r->error.time, "15:52:53.0115160");
	assert_string_equal(r->error.id, "2085925935");
	assert_string_equal(r->error.debug_data, "");
	assert_int_equal(r->action, ADISC_ACTION_NONE);
	adisc_response_free(r);
	/* INDEX.md: https namespaces, ErrorCode 600 "Invalid Request". */
	r = vec("msdocs/pox-response-error-600.xml");
	assert_int_equal(r->error.code, 600);
	assert_string_equal(r->error.message, "Invalid Request");
	assert_string_equal(r->error.id, "4130155072");
	adisc_response_free(r);
}

static void test_vector_redirects(void **state)
{
	adisc_response *r;
	(void)state;
	if (!have_vectors())
		skip();
	r = vec("exchangelib/parse_redirectAddr.xml");
	assert_int_equal(r->action, ADISC_ACTION_REDIRECT_ADDR);
	assert_string_equal(r->redirect_addr, "foo@example.com");
	adisc_response_free(r);
	/* Spelled RedirectURL in this vector. */
	r = vec("exchangelib/parse_redirectUrl.xml");
	assert_int_equal(r->action, ADISC_ACTION_REDIRECT_URL);
	assert_string_equal(r->redirect_url, "https://example.com/foo.asmx");
	adisc_response_free(r);
	r = vec("msdocs/redirectAddr.xml");
	assert_int_equal(r->action, ADISC_ACTION_REDIRECT_ADDR);
	assert_string_equal(r->redirect_addr, "elvin@mail.contoso.com");
	adisc_response_free(r);
}

static void test_vector_settings(void **state)
{
	adisc_response *r;
	const adisc_protocol *p;
	(void)state;
	if (!have_vectors())
		skip();
	/* INDEX.md: EXO style, mailbox GUID@domain as the EXCH server. */
	r = vec("ews-cpp/autodiscover_response.xml");
	assert_int_equal(r->action, ADISC_ACTION_SETTINGS);
	assert_int_equal(r->microsoft_online, 1);
	assert_string_equal(r->mailbox_guid, "12f2c1c5-cf63-4584-a64b-e2e369b32285");
	assert_string_equal(
	    r->home_server,
	    "12f2c1c5-cf63-4584-a64b-e2e369b32285@duckburg.onmicrosoft.com");
	assert_non_null(p = adisc_find_protocol(r, ADISC_PROTO_EXPR));
	assert_string_equal(p->as_url,
			    "https://outlook.another.office365.com/EWS/Exchange.asmx");
	assert_string_equal(p->cert_principal_name, "msstd:outlook.com");
	assert_non_null(p = adisc_find_protocol(r, ADISC_PROTO_WEB));
	assert_string_equal(
	    p->owa_external_url,
	    "https://outlook.office365.com/owa/duckburg.onmicrosoft.com/");
	adisc_response_free(r);
	/* INDEX.md: Exchange 2007-era server name, no GUID to derive. */
	r = vec("msdocs/pox-response-settings.xml");
	assert_string_equal(r->protocols[0].server,
			    "MBX-SERVER.mail.internal.contoso.com");
	assert_null(r->mailbox_guid);
	assert_int_equal(r->microsoft_online, -1);
	adisc_response_free(r);
	/* INDEX.md: no <User>; IMAP/SMTP blocks kept as "other". */
	r = vec("thunderbird/browser_accountHubExchange.inline.xml");
	assert_null(r->legacy_dn);
	assert_int_equal(r->n_protocols, 3);
	assert_int_equal(r->protocols[1].kind, ADISC_PROTO_OTHER);
	assert_string_equal(r->protocols[1].port, "1993");
	assert_string_equal(r->mailbox_guid, "bb0f9083-1bfa-4ee3-8851-876b23ed0046");
	adisc_response_free(r);
	r = vec("exchangelib/parse_settings_unknown_type.xml");
	assert_int_equal(r->protocols[0].kind, ADISC_PROTO_OTHER);
	assert_string_equal(r->protocols[0].type, "XXX");
	adisc_response_free(r);
	r = vec("msdocs/get-user-settings-response.xml");
	assert_int_equal(r->microsoft_online, 0);
	assert_string_equal(r->protocols[0].ad, "dc.contoso.com");
	assert_string_equal(r->mailbox_guid, "5f76be3c-9138-4f66-85e0-21bc23ca35f0");
	adisc_response_free(r);
}

/* Values below are the ones written in our own fixtures. */
static void test_fixture_onprem_source(void **state)
{
	adisc_response *r = parse_checked(FIX "/onprem-source.xml");
	(void)state;
	assert_int_equal(r->n_protocols, 4);
	assert_int_equal(r->protocols[0].kind, ADISC_PROTO_MAPIHTTP);
	assert_string_equal(r->protocols[0].version, "1");
	assert_int_equal(r->protocols[1].kind, ADISC_PROTO_EXCH);
	assert_int_equal(r->protocols[2].kind, ADISC_PROTO_EXPR);
	assert_int_equal(r->protocols[3].kind, ADISC_PROTO_WEB);
	/* GUID from EXCH Server, lower-cased; home server as written. */
	assert_string_equal(r->mailbox_guid, "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
	assert_string_equal(r->home_server,
			    "6F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9@source.example");
	assert_int_equal(r->n_alt_mailboxes, 2);
	assert_string_equal(r->alt_mailboxes[0].type, "Archive");
	assert_string_equal(r->alt_mailboxes[1].owner_smtp_address, "bob@source.example");
	assert_int_equal(r->microsoft_online, 0);
	adisc_response_free(r);
}

static void test_fixture_o365_target(void **state)
{
	adisc_response *r = parse_checked(FIX "/o365-target.xml");
	const adisc_protocol *p;
	(void)state;
	assert_int_equal(r->microsoft_online, 1);
	assert_non_null(p = adisc_find_protocol(r, ADISC_PROTO_EXHTTP));
	assert_string_equal(p->type, "EXHTTP");
	assert_string_equal(p->cert_principal_name, "None");
	assert_non_null(p = adisc_find_protocol(r, ADISC_PROTO_MAPIHTTP));
	assert_null(p->mailstore_internal_url);
	assert_string_equal(r->mailbox_guid, "d4c3b2a1-0f9e-4d8c-b7a6-958473625140");
	adisc_response_free(r);
}

static void test_fixture_mapihttp_guid(void **state)
{
	adisc_response *r = parse_checked(FIX "/mapihttp-only.xml");
	(void)state;
	/* No EXCH block: the GUID comes from ?MailboxId=, cut at '&'. */
	assert_string_equal(r->mailbox_guid, "abcdef01-2345-4678-9abc-def012345678");
	assert_string_equal(r->home_server,
			    "ABCDEF01-2345-4678-9ABC-DEF012345678@source.example");
	adisc_response_free(r);
}

static void test_fixture_errors(void **state)
{
	adisc_response *r = parse_checked(FIX "/error-account-603.xml");
	(void)state;
	assert_int_equal(r->error.code, 603);
	assert_string_equal(r->error.debug_data, "provider crashed");
	assert_int_equal(r->action, ADISC_ACTION_NONE);
	adisc_response_free(r);
	r = parse_checked(FIX "/error-response-2006a-602.xml");
	assert_int_equal(r->error.code, 602);
	assert_string_equal(r->error.id, "42");
	adisc_response_free(r);
	r = parse_checked(FIX "/redirect-url.xml");
	assert_int_equal(r->action, ADISC_ACTION_REDIRECT_URL);
	assert_string_equal(
	    r->redirect_url,
	    "https://autodiscover.target.example/autodiscover/autodiscover.xml");
	adisc_response_free(r);
}

static void bad(const char *name, int code, const char *needle)
{
	char path[1024];
	adisc_response *r = (adisc_response *)1;
	int rc;
	snprintf(path, sizeof(path), "%s/%s", BAD, name);
	rc = adisc_parse_file(path, &r);
	if (rc != code || !strstr(rp_error_msg(), needle) ||
	    !strstr(rp_error_msg(), name))
		fail_msg("%s: rc %d, message '%s' (want %d and '%s')", name, rc,
			 rp_error_msg(), code, needle);
	assert_null(r);
	assert_null(strchr(rp_error_msg(), '\n'));
}

static void test_bad_fixtures(void **state)
{
	(void)state;
	bad("doctype-entities.xml", RP_EFORMAT, "DOCTYPE");
	bad("external-entity.xml", RP_EFORMAT, "DOCTYPE");
	bad("not-well-formed.xml", RP_EFORMAT,
	    "not well-formed XML at line 6: Premature end of data");
	bad("no-response.xml", RP_EFORMAT, "no Autodiscover/Response element");
	bad("wrong-root.xml", RP_EFORMAT, "root element is 'html'");
	bad("no-account.xml", RP_EFORMAT, "no Response/Account element");
	bad("no-action.xml", RP_EFORMAT, "no Account/Action element");
	bad("redirectaddr-empty.xml", RP_EFORMAT, "no Account/RedirectAddr element");
	bad("errorcode-text.xml", RP_EFORMAT,
	    "Error/ErrorCode 'five hundred' is not a number");
	bad("empty.xml", RP_EFORMAT, "is empty");
	/* libxml2 reports this one on two lines; the message must stay one line. */
	bad("bad-utf8.xml", RP_EFORMAT, "not proper UTF-8");
	bad("absent.xml", RP_ENOTFOUND, "cannot open");
}

static void test_size_cap(void **state)
{
	size_t n = ADISC_MAX_RESPONSE + 1;
	char *big = calloc(1, n);
	adisc_response *r;
	(void)state;
	assert_non_null(big);
	assert_int_equal(adisc_parse(big, n, "big.xml", &r), RP_ELIMIT);
	assert_non_null(strstr(rp_error_msg(), "big.xml"));
	free(big);
}

/* Reads the built request back with libxml2 + XPath. */
static char *req_field(const rp_buf *b, const char *local)
{
	xmlDocPtr doc = xmlReadMemory((const char *)b->data, (int)b->len, NULL, NULL, 0);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	char expr[256], *res = NULL;
	assert_non_null(doc);
	ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, BAD_CAST "q", BAD_CAST ADISC_NS_REQUEST);
	snprintf(expr, sizeof(expr), "string(/q:Autodiscover/q:Request/q:%s)", local);
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	if (o && o->stringval && *o->stringval)
		res = strdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return res;
}

static void test_request_builder(void **state)
{
	rp_buf b = RP_BUF_INIT;
	const char *tricky = "a&b<c>\"'@source.example";
	char *s;
	(void)state;
	assert_int_equal(adisc_build_request(tricky, NULL, &b), RP_OK);
	s = req_field(&b, "EMailAddress");
	assert_string_equal(s, tricky);
	free(s);
	s = req_field(&b, "AcceptableResponseSchema");
	/* MS-OXDSCLI 2.2.4.1.1: the Outlook response schema 2006a. */
	assert_string_equal(s, "http://schemas.microsoft.com/exchange/autodiscover/"
			       "outlook/responseschema/2006a");
	free(s);
	assert_null(req_field(&b, "LegacyDN"));
	rp_buf_free(&b);

	assert_int_equal(
	    adisc_build_request(NULL, "/o=Source Org/cn=Recipients/cn=ada", &b), RP_OK);
	s = req_field(&b, "LegacyDN");
	assert_string_equal(s, "/o=Source Org/cn=Recipients/cn=ada");
	free(s);
	assert_null(req_field(&b, "EMailAddress"));
	rp_buf_free(&b);
	assert_int_equal(adisc_build_request("", NULL, &b), RP_EINVAL);
	assert_int_equal(adisc_build_request("a\xff@source.example", NULL, &b),
			 RP_EINVAL);
	assert_int_equal(adisc_build_request("a\x01@source.example", NULL, &b),
			 RP_EINVAL);
	assert_int_equal(b.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_vectors_match_xpath),
	    cmocka_unit_test(test_all_fixtures_match_xpath),
	    cmocka_unit_test(test_vector_error_responses),
	    cmocka_unit_test(test_vector_redirects),
	    cmocka_unit_test(test_vector_settings),
	    cmocka_unit_test(test_fixture_onprem_source),
	    cmocka_unit_test(test_fixture_o365_target),
	    cmocka_unit_test(test_fixture_mapihttp_guid),
	    cmocka_unit_test(test_fixture_errors),
	    cmocka_unit_test(test_bad_fixtures),
	    cmocka_unit_test(test_size_cap),
	    cmocka_unit_test(test_request_builder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
