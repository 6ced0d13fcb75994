/* Unit tests for the [Directory] settings that pick a backend
 * (dir_config_set / dir_open, src/directory/dir_nspi.c): DirectorySource,
 * the NSPI-only user names, settings shared by both backends in any order,
 * and the configuration errors an administrator meets. No request is sent:
 * the address-book backend binds on the first lookup
 * (scenario.lookup_nspi covers the network). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "directory/dir.h"

#include <stdio.h>
#include <string.h>

#define URL "https://ab.source.example/mapi/nspi/?MailboxId=a@source.example"

static void set_ok(dir_config *c, const char *n, const char *v)
{
	if (dir_config_set(c, n, v) != RP_OK)
		fail_msg("%s=%s: %s", n, v, rp_error_msg());
}

static void test_source_names(void **state)
{
	(void)state;
	dir_config c;
	memset(&c, 0, sizeof(c));
	/* order does not matter: the URI before the source kind */
	set_ok(&c, "DirectorySourceURI", URL);
	set_ok(&c, "directorysource", "NSPI");
	set_ok(&c, "DirectorySourceUser", "admin@source.example");
	set_ok(&c, "DirectorySourcePassword", "pw");
	set_ok(&c, "DirectoryTargetURI",
	       "https://outlook.office365.com/mapi/nspi/?MailboxId=x");
	set_ok(&c, "DirectoryTargetUser", "admin@target.example");
	set_ok(&c, "DirectoryTargetPassword", "pw2");
	set_ok(&c, "DirectoryCAFile", "/etc/ca.pem");
	set_ok(&c, "DirectoryBatchSize", "7");
	set_ok(&c, "DirectoryTimeout", "9");
	assert_int_equal(c.source, DIR_SOURCE_NSPI);
	assert_string_equal(c.nspi.source.url, URL);
	assert_string_equal(c.nspi.source.user, "admin@source.example");
	assert_string_equal(c.nspi.source.password, "pw");
	assert_string_equal(c.nspi.target.password, "pw2");
	assert_string_equal(c.nspi.ca_file, "/etc/ca.pem");
	assert_int_equal(c.nspi.batch, 7);
	assert_int_equal(c.nspi.timeout_s, 9);
	/* the LDAP side saw the shared names too */
	assert_string_equal(c.ldap.source.uri, URL);
	set_ok(&c, "DirectorySource", "ldap");
	assert_int_equal(c.source, DIR_SOURCE_LDAP);

	assert_int_equal(dir_config_set(&c, "DirectorySource", "ad"), RP_EINVAL);
	assert_non_null(
	    strstr(rp_error_msg(), "DirectorySource: 'ad' is not ldap or nspi"));
	assert_int_equal(dir_config_set(&c, "DirectoryUser", "x"), RP_EINVAL);
	assert_non_null(strstr(rp_error_msg(), "DirectoryUser"));
	assert_int_equal(dir_config_set(&c, "DirectoryBatchSize", "0"), RP_EINVAL);
}

static void test_open_nspi(void **state)
{
	(void)state;
	dir_config c;
	dir_resolver *r = NULL;
	dir_stats st;
	char **urls;
	size_t n;

	memset(&c, 0, sizeof(c));
	set_ok(&c, "DirectorySource", "nspi");
	assert_int_equal(dir_open(&c, &r), RP_EINVAL);
	assert_non_null(strstr(rp_error_msg(), "DirectorySourceURI"));
	assert_null(r);

	/* not https: refused when opening, naming the setting */
	set_ok(&c, "DirectorySourceURI", "http://ab.source.example/mapi/nspi/");
	assert_int_equal(dir_open(&c, &r), RP_EINVAL);
	assert_non_null(strstr(rp_error_msg(), "DirectorySourceURI"));

	set_ok(&c, "DirectorySourceURI", URL);
	assert_int_equal(dir_open(&c, &r), RP_OK);
	/* an address book has no SCP objects */
	assert_int_equal(dir_scp_urls(r, "source.example", NULL, &urls, &n),
			 RP_EUNSUPPORTED);
	dir_get_stats(r, &st);
	assert_int_equal(st.binds, 0); /* nothing sent before a lookup */
	assert_int_equal(st.searches, 0);
	dir_close(r);
}

static void test_open_mixed_settings(void **state)
{
	(void)state;
	static const char *const ldap_only[][2] = {
	    {"DirectorySourceBase", "dc=source,dc=example"},
	    {"DirectorySourceBindDN", "cn=admin"},
	    {"DirectoryAttribute", "extensionAttribute1"},
	    {"DirectoryMatchX500", "1"},
	    {"DirectoryStartTLS", "1"},
	    {"DirectoryConfigBase", "cn=Configuration"},
	};
	dir_resolver *r = NULL;

	for (size_t i = 0; i < sizeof(ldap_only) / sizeof(ldap_only[0]); i++) {
		dir_config c;
		char want[80];
		memset(&c, 0, sizeof(c));
		set_ok(&c, "DirectorySource", "nspi");
		set_ok(&c, "DirectorySourceURI", URL);
		set_ok(&c, ldap_only[i][0], ldap_only[i][1]);
		assert_int_equal(dir_open(&c, &r), RP_EINVAL);
		snprintf(want, sizeof(want), "%s is an LDAP setting", ldap_only[i][0]);
		assert_non_null(strstr(rp_error_msg(), want));
		assert_null(r);
	}
	/* and the NSPI user names need DirectorySource=nspi */
	dir_config c;
	memset(&c, 0, sizeof(c));
	set_ok(&c, "DirectorySourceURI", "ldap://dc1");
	set_ok(&c, "DirectorySourceBase", "dc=source,dc=example");
	set_ok(&c, "DirectoryMatchX500", "1");
	set_ok(&c, "DirectoryTargetUser", "admin");
	assert_int_equal(dir_open(&c, &r), RP_EINVAL);
	assert_non_null(strstr(rp_error_msg(), "DirectorySource=nspi"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_source_names),
	    cmocka_unit_test(test_open_nspi),
	    cmocka_unit_test(test_open_mixed_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
