/* Unit tests for the OAuth reply reader: the reply shapes of the Microsoft
 * identity platform's device-code flow (field names from
 * MicrosoftDocs/entra-docs v2-oauth2-device-code.md, values hand-made),
 * escapes, the v1 habits (numbers as strings, verification_url), and
 * malformed input refused with the byte offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "discover/adisc_oauth.h"

#include <stdlib.h>
#include <string.h>

static int parse(const char *s, adisc_oauth_reply *r)
{
	return adisc_oauth_parse(s, strlen(s), r);
}

static void test_devicecode(void **state)
{
	adisc_oauth_reply r;
	(void)state;
	assert_int_equal(
	    parse(" {\"device_code\":\"DC-1\",\"user_code\":\"FQK5HW3UF\",\n"
		  "\"verification_uri\":\"https://microsoft.com/devicelogin\","
		  "\"expires_in\":900,\"interval\":5,\"message\":\"Open the page\"} ",
		  &r),
	    RP_OK);
	assert_string_equal(r.device_code, "DC-1");
	assert_string_equal(r.user_code, "FQK5HW3UF");
	assert_string_equal(r.verification_uri, "https://microsoft.com/devicelogin");
	assert_string_equal(r.message, "Open the page");
	assert_int_equal(r.expires_in, 900);
	assert_int_equal(r.interval, 5);
	assert_null(r.access_token);
	assert_null(r.error);
	adisc_oauth_reply_free(&r);
}

static void test_token_and_skipped_members(void **state)
{
	adisc_oauth_reply r;
	(void)state;
	assert_int_equal(parse("{\"token_type\":\"Bearer\",\"scope\":\"a b\","
			       "\"ext\":{\"n\":[1,-2.5e+3,true,false,null,{}],\"e\":[]},"
			       "\"expires_in\":3599,\"access_token\":\"eyJ.e30.sig\"}",
			       &r),
			 RP_OK);
	assert_string_equal(r.token_type, "Bearer");
	assert_string_equal(r.access_token, "eyJ.e30.sig");
	assert_int_equal(r.expires_in, 3599);
	assert_int_equal(r.interval, -1);
	adisc_oauth_reply_free(&r);
}

static void test_error_escapes(void **state)
{
	adisc_oauth_reply r;
	(void)state;
	/* \u00e9 = U+00E9 (C3 A9); \ud83d\ude00 = U+1F600 (F0 9F 98 80). */
	assert_int_equal(parse("{\"error\":\"slow_down\",\"error_description\":"
			       "\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\"}",
			       &r),
			 RP_OK);
	assert_string_equal(r.error, "slow_down");
	assert_string_equal(r.error_description, "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80");
	adisc_oauth_reply_free(&r);
}

static void test_v1_habits(void **state)
{
	adisc_oauth_reply r;
	(void)state;
	assert_int_equal(
	    parse("{\"verification_url\":\"https://x/y\",\"expires_in\":\"900\","
		  "\"interval\":\"x5\",\"device_code\":\"a\",\"device_code\":\"b\"}",
		  &r),
	    RP_OK);
	assert_string_equal(r.verification_uri, "https://x/y");
	assert_int_equal(r.expires_in, 900);
	assert_int_equal(r.interval, -1);        /* not digits */
	assert_string_equal(r.device_code, "b"); /* the last wins */
	adisc_oauth_reply_free(&r);
	/* Numbers that are not small non-negative integers read as absent. */
	assert_int_equal(parse("{\"expires_in\":1.5,\"interval\":-3}", &r), RP_OK);
	assert_int_equal(r.expires_in, -1);
	assert_int_equal(r.interval, -1);
	adisc_oauth_reply_free(&r);
}

static void bad(const char *s, const char *what)
{
	adisc_oauth_reply r;
	assert_int_equal(parse(s, &r), RP_EFORMAT);
	assert_null(r.error);
	assert_null(r.device_code);
	if (!strstr(rp_error_msg(), what))
		fail_msg("'%s': message '%s' lacks '%s'", s, rp_error_msg(), what);
}

static void test_malformed(void **state)
{
	char deep[200];
	int i;
	(void)state;
	bad("", "expected a JSON object");
	bad("[1]", "expected a JSON object");
	bad("{\"error\":\"x\"", "expected ',' or '}'");
	bad("{\"error\":\"x}", "unterminated string");
	bad("{\"error\" \"x\"}", "expected ':'");
	bad("{\"error\":\"a\x01\"}", "control character");
	bad("{\"error\":\"\\q\"}", "bad escape");
	bad("{\"error\":\"\\u12\"}", "escape");
	bad("{\"error\":\"\\ud800x\"}", "lone surrogate");
	bad("{\"error\":\"\\u0000\"}", "\\u0000");
	bad("{\"n\":01x}", "expected ',' or '}'");
	bad("{\"n\":tru}", "unexpected character");
	bad("{\"a\":1} x", "text after the object");
	bad("{\"error\":\"x\",}", "expected a string");
	/* 40 nested arrays: over the depth limit, refused (not a stack overflow). */
	strcpy(deep, "{\"a\":");
	for (i = 0; i < 40; i++)
		strcat(deep, "[");
	strcat(deep, "1");
	for (i = 0; i < 40; i++)
		strcat(deep, "]");
	strcat(deep, "}");
	bad(deep, "nested too deeply");
	/* The message names the byte. */
	bad("{\"a\":?}", "at byte 5");
}

static void test_limits(void **state)
{
	adisc_oauth_reply r;
	size_t n = ADISC_OAUTH_MAX_STRING + 64, i;
	char *s = malloc(n + 32);
	(void)state;
	assert_non_null(s);
	strcpy(s, "{\"access_token\":\"");
	for (i = strlen(s); i < n; i++)
		s[i] = 'a';
	strcpy(s + n, "\"}");
	assert_int_equal(parse(s, &r), RP_ELIMIT);
	assert_int_equal(adisc_oauth_parse(s, ADISC_OAUTH_MAX_REPLY + 1, &r), RP_ELIMIT);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_devicecode),
	    cmocka_unit_test(test_token_and_skipped_members),
	    cmocka_unit_test(test_error_escapes),
	    cmocka_unit_test(test_v1_habits),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
