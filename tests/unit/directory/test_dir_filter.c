/* Unit tests for src/directory helpers: RFC 4515 escaping, key parsing,
 * recipient kinds, INI settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "directory/dir.h"
#include "directory/dir_impl.h"

#include <stdlib.h>
#include <string.h>

static void check_escape(const char *in, size_t len, const char *want)
{
	char *got = dir_filter_escape(in, len);
	assert_non_null(got);
	/* RFC 4515 HEX accepts either case; the RFC's own examples mix them */
	if (rp_ascii_casecmp(got, want) != 0)
		fail_msg("escape: got '%s', want '%s'", got, want);
	free(got);
}

/* The assertion values of RFC 4515 section 4's examples. */
static void test_rfc4515_examples(void **state)
{
	(void)state;
	check_escape("Parens R Us (for all your parenthetical needs)", 46,
		     "Parens R Us \\28for all your parenthetical needs\\29");
	check_escape("*", 1, "\\2A"); /* from (cn=*\2A*) */
	check_escape("C:\\MyFile", 9, "C:\\5cMyFile");
	check_escape("\0\0\0\4", 4, "\\00\\00\\00\\04");
	/* UTF-8 needs no escaping: (sn=Lu\c4\8di\c4\87) may be sent as is */
	check_escape("Lu\xc4\x8di\xc4\x87", 7, "Lu\xc4\x8di\xc4\x87");
	check_escape("", 0, "");
}

static void test_escape_legacy_dn(void **state)
{
	(void)state;
	/* the pitfall of reference 5.4: the admin group name's parentheses */
	check_escape(
	    "/o=S/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=x", 60,
	    "/o=S/ou=Exchange Administrative Group \\28FYDIBOHF23SPDLT\\29/cn=x");
}

static void test_key_parse(void **state)
{
	dir_source_key k;
	(void)state;
	assert_int_equal(dir_key_parse("X500:/o=A/cn=b", &k), RP_OK);
	assert_int_equal(k.kind, DIR_KEY_LEGACY_DN);
	assert_string_equal(k.value, "/o=A/cn=b");
	assert_int_equal(dir_key_parse("x500:/o=A", &k), RP_OK);
	assert_string_equal(k.value, "/o=A");
	assert_int_equal(dir_key_parse("EX:/o=A", &k), RP_OK);
	assert_int_equal(k.kind, DIR_KEY_LEGACY_DN);
	assert_int_equal(dir_key_parse("/o=A", &k), RP_OK);
	assert_int_equal(k.kind, DIR_KEY_LEGACY_DN);
	assert_int_equal(dir_key_parse("SMTP:a@b", &k), RP_OK);
	assert_int_equal(k.kind, DIR_KEY_SMTP);
	assert_string_equal(k.value, "a@b");
	assert_int_equal(dir_key_parse("smtp:a@b", &k), RP_OK);
	assert_int_equal(dir_key_parse("a@b", &k), RP_OK);
	assert_int_equal(k.kind, DIR_KEY_SMTP);
	assert_int_equal(dir_key_parse("plain", &k), RP_EINVAL);
	assert_int_equal(dir_key_parse("X500:nodn", &k), RP_EINVAL);
	assert_int_equal(dir_key_parse("SMTP:noat", &k), RP_EINVAL);
	assert_int_equal(dir_key_parse("SMTP:", &k), RP_EINVAL);
}

static void test_kinds(void **state)
{
	char *gon[] = {"top", "groupOfNames"};
	char *pf[] = {"top", "publicFolder"};
	char *user[] = {"top", "person", "user"};
	char *contact[] = {"top", "contact"};
	enum dir_kind k;
	(void)state;
	/* msExchRecipientTypeDetails values (Microsoft's RecipientTypeDetails) */
	assert_int_equal(dir_kind_from_ldap("1", NULL, 0), DIR_KIND_MAILBOX);
	assert_int_equal(dir_kind_from_ldap("4", NULL, 0), DIR_KIND_MAILBOX);
	assert_int_equal(dir_kind_from_ldap("16", NULL, 0), DIR_KIND_RESOURCE);
	assert_int_equal(dir_kind_from_ldap("32", NULL, 0), DIR_KIND_RESOURCE);
	assert_int_equal(dir_kind_from_ldap("64", NULL, 0), DIR_KIND_CONTACT);
	assert_int_equal(dir_kind_from_ldap("128", NULL, 0), DIR_KIND_CONTACT);
	assert_int_equal(dir_kind_from_ldap("256", NULL, 0), DIR_KIND_DL);
	assert_int_equal(dir_kind_from_ldap("2048", NULL, 0), DIR_KIND_DL);
	assert_int_equal(dir_kind_from_ldap("4096", NULL, 0), DIR_KIND_PUBLIC_FOLDER);
	assert_int_equal(dir_kind_from_ldap("2147483648", NULL, 0), DIR_KIND_MAILBOX);
	assert_int_equal(dir_kind_from_ldap("8589934592", NULL, 0), DIR_KIND_RESOURCE);
	/* unknown or absent details: the object classes decide */
	assert_int_equal(dir_kind_from_ldap("0", gon, 2), DIR_KIND_DL);
	assert_int_equal(dir_kind_from_ldap(NULL, pf, 2), DIR_KIND_PUBLIC_FOLDER);
	assert_int_equal(dir_kind_from_ldap("x1", user, 3), DIR_KIND_MAILBOX);
	assert_int_equal(dir_kind_from_ldap(NULL, contact, 2), DIR_KIND_CONTACT);
	assert_int_equal(dir_kind_from_ldap(NULL, NULL, 0), DIR_KIND_UNKNOWN);
	/* names round-trip */
	for (k = DIR_KIND_UNKNOWN; k <= DIR_KIND_RESOURCE; k++) {
		enum dir_kind back;
		assert_int_equal(dir_kind_parse(dir_kind_name(k), &back), RP_OK);
		assert_int_equal(back, k);
	}
	assert_int_equal(dir_kind_parse("Public_Folder", &k), RP_OK);
	assert_int_equal(k, DIR_KIND_PUBLIC_FOLDER);
	assert_int_equal(dir_kind_parse("room", &k), RP_EINVAL);
}

static void test_config_set(void **state)
{
	dir_ldap_config c;
	dir_resolver *r;
	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(dir_ldap_config_set(&c, "directorysourceuri", "ldap://h"),
			 RP_OK);
	assert_string_equal(c.source.uri, "ldap://h");
	assert_int_equal(dir_ldap_config_set(&c, "DirectoryTargetBase", "dc=t"), RP_OK);
	assert_string_equal(c.target.base_dn, "dc=t");
	assert_int_equal(dir_ldap_config_set(&c, "DirectoryAttributeFormat", "SMTP"),
			 RP_OK);
	assert_int_equal(c.attr_format, DIR_ATTR_SMTP);
	assert_int_equal(dir_ldap_config_set(&c, "DirectoryAttributeFormat", "x500"),
			 RP_OK);
	assert_int_equal(c.attr_format, DIR_ATTR_LEGACY_DN);
	assert_int_equal(dir_ldap_config_set(&c, "DirectoryAttributeFormat", "guid"),
			 RP_EINVAL);
	assert_non_null(strstr(rp_error_msg(), "'guid'"));
	assert_int_equal(dir_ldap_config_set(&c, "DirectoryStartTLS", "yes"), RP_OK);
	assert_true(c.start_tls);
	assert_int_equal(dir_ldap_config_set(&c, "DirectoryStartTLS", "maybe"),
			 RP_EINVAL);
	assert_int_equal(dir_ldap_config_set(&c, "DirectoryBatchSize", "0"), RP_EINVAL);
	assert_int_equal(dir_ldap_config_set(&c, "DirectoryBatchSize", "501"), RP_EINVAL);
	assert_int_equal(dir_ldap_config_set(&c, "DirectoryBatchSize", "20"), RP_OK);
	assert_int_equal(c.batch, 20);
	assert_int_equal(dir_ldap_config_set(&c, "DirectoryAttribute", "ext*"),
			 RP_EINVAL);
	assert_int_equal(dir_ldap_config_set(&c, "DirectoryNope", "1"), RP_EINVAL);

	/* opening checks what is required, and sends nothing yet */
	assert_int_equal(dir_open_ldap(&c, &r), RP_EINVAL); /* no base, no attribute */
	assert_null(r);
	dir_ldap_config_set(&c, "DirectorySourceBase", "dc=s");
	assert_int_equal(dir_open_ldap(&c, &r), RP_EINVAL); /* no attribute */
	assert_non_null(strstr(rp_error_msg(), "DirectoryAttribute"));
	dir_ldap_config_set(&c, "DirectoryAttribute", "extensionAttribute10");
	assert_int_equal(dir_open_ldap(&c, &r), RP_OK);
	dir_close(r);
	/* the guide's DCName is a bare host: ldap://host */
	dir_ldap_config_set(&c, "DirectorySourceURI", "dc1.source.example");
	assert_int_equal(dir_open_ldap(&c, &r), RP_OK);
	dir_close(r);
	dir_ldap_config_set(&c, "DirectorySourceURI", "http://dc1");
	assert_int_equal(dir_open_ldap(&c, &r), RP_EINVAL);
	assert_string_equal(rp_error_msg(),
			    "directory: 'http://dc1' is not an ldap:// or ldaps:// URI");
}

/* Nothing listens on port 1: the error names the URI and the code is ENET. */
static void test_ldap_unreachable(void **state)
{
	dir_ldap_config c;
	dir_resolver *r;
	dir_recipient rec;
	dir_source_key k = {DIR_KEY_SMTP, "a@b"};
	dir_stats st;
	(void)state;
	memset(&c, 0, sizeof(c));
	c.source.uri = "ldap://127.0.0.1:1";
	c.source.base_dn = "dc=s";
	c.attribute = "extensionAttribute1";
	c.timeout_s = 5;
	assert_int_equal(dir_open_ldap(&c, &r), RP_OK);
	assert_int_equal(dir_lookup(r, &k, &rec), RP_ENET);
	assert_non_null(strstr(rp_error_msg(), "ldap://127.0.0.1:1"));
	dir_get_stats(r, &st);
	assert_int_equal(st.searches, 0);
	assert_int_equal(st.binds, 0);
	dir_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc4515_examples),
	    cmocka_unit_test(test_escape_legacy_dn),
	    cmocka_unit_test(test_key_parse),
	    cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_config_set),
	    cmocka_unit_test(test_ldap_unreachable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
