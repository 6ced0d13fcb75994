/* test_deps.c - the third-party libraries link and behave as the code expects,
 * in both builds: natively from Debian's packages, on Windows from the static
 * libraries scripts/setup.sh builds from Debian's source packages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include <string.h>

static int has_protocol(const curl_version_info_data *v, const char *name)
{
	const char *const *p;
	for (p = v->protocols; *p; p++)
		if (strcmp(*p, name) == 0)
			return 1;
	return 0;
}

/* Autodiscover needs HTTPS, notifications need SMTP; the TLS backend is the
 * one the build promises (RP_EXPECT_TLS: OpenSSL natively, Schannel on
 * Windows, where NTLM/Negotiate come from SSPI). */
static void test_curl_features(void **state)
{
	curl_version_info_data *v;
	CURL *h;

	(void)state;
	assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
	v = curl_version_info(CURLVERSION_NOW);
	assert_non_null(v);
	assert_true(v->features & CURL_VERSION_SSL);
	assert_non_null(v->ssl_version);
	assert_non_null(strstr(v->ssl_version, RP_EXPECT_TLS));
	assert_true(has_protocol(v, "https"));
	assert_true(has_protocol(v, "smtp"));
	if (RP_EXPECT_SSPI)
		assert_true(v->features & CURL_VERSION_SSPI);
	h = curl_easy_init();
	assert_non_null(h);
	curl_easy_cleanup(h);
	curl_global_cleanup();
}

static void test_xml_parse(void **state)
{
	static const char doc[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
				  "<Autodiscover><Response><User>"
				  "<DisplayName>J\xc3\xa9r\xc3\xb4me</DisplayName>"
				  "</User></Response></Autodiscover>";
	xmlDocPtr d;
	xmlNodePtr n;
	xmlChar *text;

	(void)state;
	d = xmlReadMemory(doc, (int)sizeof doc - 1, "t.xml", NULL, XML_PARSE_NONET);
	assert_non_null(d);
	n = xmlDocGetRootElement(d);
	assert_string_equal((const char *)n->name, "Autodiscover");
	n = xmlFirstElementChild(xmlFirstElementChild(xmlFirstElementChild(n)));
	assert_non_null(n);
	text = xmlNodeGetContent(n);
	/* UTF-8 in, UTF-8 out, without iconv in the Windows build. */
	assert_string_equal((const char *)text, "J\xc3\xa9r\xc3\xb4me");
	xmlFree(text);
	xmlFreeDoc(d);
}

static void test_xml_reader_rejects_malformed(void **state)
{
	static const char bad[] = "<a><b></a>";
	xmlTextReaderPtr r;
	int ret;

	(void)state;
	r = xmlReaderForMemory(bad, (int)sizeof bad - 1, "bad.xml", NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	assert_non_null(r);
	while ((ret = xmlTextReaderRead(r)) == 1)
		;
	assert_int_equal(ret, -1);
	xmlFreeTextReader(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_curl_features),
	    cmocka_unit_test(test_xml_parse),
	    cmocka_unit_test(test_xml_reader_rejects_malformed),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
