/* xpath_check.c - compares a parsed adisc_response with XPath over the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "xpath_check.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define E(n) "/*[local-name()='" n "']"
/* RedirectUrl is also written RedirectURL (exchangelib); translate() folds it. */
#define EI(n)                                                                            \
	"/*[translate(local-name(),'ABCDEFGHIJKLMNOPQRSTUVWXYZ','"                       \
	"abcdefghijklmnopqrstuvwxyz')='" n "']"
#define RESP E("Autodiscover") E("Response")

struct xp {
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	const char *path;
	int compared;
};

/* Trimmed string value of the first node matched by expr, or NULL if none. */
static char *xp_str(struct xp *x, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, x->ctx);
	char *res = NULL;
	assert_non_null(o);
	if (o->type == XPATH_NODESET && o->nodesetval && o->nodesetval->nodeNr > 0) {
		xmlChar *s = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
		const char *b = s ? (const char *)s : "";
		size_t n;
		while (*b && isspace((unsigned char)*b))
			b++;
		n = strlen(b);
		while (n && isspace((unsigned char)b[n - 1]))
			n--;
		res = malloc(n + 1);
		assert_non_null(res);
		memcpy(res, b, n);
		res[n] = '\0';
		xmlFree(s);
	}
	xmlXPathFreeObject(o);
	return res;
}

static int xp_count(struct xp *x, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, x->ctx);
	int n;
	assert_non_null(o);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	return n;
}

static void eq(struct xp *x, const char *expr, const char *got)
{
	char *want = xp_str(x, expr);
	if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
		fail_msg("%s: %s: XPath gives '%s', parser gave '%s'", x->path, expr,
			 want ? want : "(absent)", got ? got : "(absent)");
	free(want);
	x->compared++;
}

struct pfield {
	const char *name;
	size_t off;
};

#define PF(n, f)                                                                         \
	{                                                                                \
		n, offsetof(adisc_protocol, f)                                           \
	}
static const struct pfield pfields[] = {
    PF("Server", server),
    PF("ServerDN", server_dn),
    PF("ServerVersion", server_version),
    PF("MdbDN", mdb_dn),
    PF("PublicFolderServer", public_folder_server),
    PF("AD", ad),
    PF("ASUrl", as_url),
    PF("EwsUrl", ews_url),
    PF("OOFUrl", oof_url),
    PF("OABUrl", oab_url),
    PF("UMUrl", um_url),
    PF("EcpUrl", ecp_url),
    PF("AuthPackage", auth_package),
    PF("SSL", ssl),
    PF("CertPrincipalName", cert_principal_name),
    PF("Port", port),
};

static const char *pget(const adisc_protocol *p, size_t off)
{
	return *(char *const *)(const void *)((const char *)p + off);
}

static void check_protocol(struct xp *x, int i, const adisc_protocol *p)
{
	char base[256], expr[1024];
	size_t k;
	snprintf(base, sizeof(base), RESP E("Account") E("Protocol") "[%d]", i + 1);
	/* Type: child element, else attribute. */
	snprintf(expr, sizeof(expr), "%s" E("Type") " | %s/@Type", base, base);
	eq(x, expr, p->type);
	snprintf(expr, sizeof(expr), "%s/@Version", base);
	eq(x, expr, p->version);
	for (k = 0; k < sizeof(pfields) / sizeof(pfields[0]); k++) {
		snprintf(expr, sizeof(expr), "%s/*[local-name()='%s']", base,
			 pfields[k].name);
		eq(x, expr, pget(p, pfields[k].off));
	}
	snprintf(expr, sizeof(expr), "%s" E("MailStore") E("InternalUrl"), base);
	eq(x, expr, p->mailstore_internal_url);
	snprintf(expr, sizeof(expr), "%s" E("MailStore") E("ExternalUrl"), base);
	eq(x, expr, p->mailstore_external_url);
	snprintf(expr, sizeof(expr), "%s" E("AddressBook") E("InternalUrl"), base);
	eq(x, expr, p->addressbook_internal_url);
	snprintf(expr, sizeof(expr), "%s" E("AddressBook") E("ExternalUrl"), base);
	eq(x, expr, p->addressbook_external_url);
	snprintf(expr, sizeof(expr), "%s" E("Internal") E("OWAUrl"), base);
	eq(x, expr, p->owa_internal_url);
	snprintf(expr, sizeof(expr), "%s" E("External") E("OWAUrl"), base);
	eq(x, expr, p->owa_external_url);
	/* Kind agrees with the Type text (MS-OXDSCLI names). */
	if (p->type && strcmp(adisc_proto_name(p->kind), "other") != 0)
		assert_true(strcasecmp(p->type, adisc_proto_name(p->kind)) == 0);
}

static void check_error(struct xp *x, const adisc_response *r)
{
	const char *where = RESP E("Error") " | " RESP E("Account") E("Error");
	char expr[512];
	char *code;
	if (xp_count(x, where) == 0) {
		assert_null(r->error.code_text);
		assert_int_equal(r->error.code, 0);
		return;
	}
	snprintf(expr, sizeof(expr), "(%s)[1]" E("ErrorCode"), where);
	eq(x, expr, r->error.code_text);
	code = xp_str(x, expr);
	assert_int_equal(r->error.code, atoi(code));
	free(code);
	snprintf(expr, sizeof(expr), "(%s)[1]" E("Message"), where);
	eq(x, expr, r->error.message);
	snprintf(expr, sizeof(expr), "(%s)[1]" E("DebugData"), where);
	eq(x, expr, r->error.debug_data);
	snprintf(expr, sizeof(expr), "(%s)[1]/@Time", where);
	eq(x, expr, r->error.time);
	snprintf(expr, sizeof(expr), "(%s)[1]/@Id", where);
	eq(x, expr, r->error.id);
}

int xpath_check_response(const char *path, const adisc_response *r)
{
	struct xp x = {NULL, NULL, path, 0};
	char *s, *at;
	int n, i;

	x.doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
	assert_non_null(x.doc);
	x.ctx = xmlXPathNewContext(x.doc);
	assert_non_null(x.ctx);

	eq(&x, RESP E("User") E("DisplayName"), r->display_name);
	eq(&x, RESP E("User") E("LegacyDN"), r->legacy_dn);
	eq(&x, RESP E("User") E("AutoDiscoverSMTPAddress"), r->autodiscover_smtp);
	eq(&x, RESP E("User") E("DeploymentId"), r->deployment_id);
	eq(&x, RESP E("Account") E("AccountType"), r->account_type);
	eq(&x, RESP E("Account") E("Action"), r->action_text);
	eq(&x, RESP E("Account") E("RedirectAddr"), r->redirect_addr);
	eq(&x, RESP E("Account") EI("redirecturl"), r->redirect_url);

	s = xp_str(&x, RESP E("Account") E("MicrosoftOnline"));
	assert_int_equal(r->microsoft_online, !s ? -1 : strcasecmp(s, "true") == 0);
	free(s);

	/* The action enum agrees with the Action text. */
	s = xp_str(&x, RESP E("Account") E("Action"));
	if (s && (strcmp(s, "settings") == 0 || strcmp(s, "redirectAddr") == 0 ||
		  strcmp(s, "redirectUrl") == 0))
		assert_string_equal(adisc_action_name(r->action), s);
	free(s);

	n = xp_count(&x, RESP E("Account") E("Protocol"));
	assert_int_equal(r->n_protocols, (size_t)n);
	for (i = 0; i < n; i++)
		check_protocol(&x, i, &r->protocols[i]);

	n = xp_count(&x, RESP E("Account") E("AlternativeMailbox"));
	assert_int_equal(r->n_alt_mailboxes, (size_t)n);
	for (i = 0; i < n; i++) {
		char expr[512];
		const adisc_alt_mailbox *a = &r->alt_mailboxes[i];
#define ALT(el, f)                                                                       \
	snprintf(expr, sizeof(expr),                                                     \
		 RESP E("Account") E("AlternativeMailbox") "[%d]" E(el), i + 1);         \
	eq(&x, expr, a->f)
		ALT("Type", type);
		ALT("DisplayName", display_name);
		ALT("LegacyDN", legacy_dn);
		ALT("Server", server);
		ALT("SmtpAddress", smtp_address);
		ALT("OwnerSmtpAddress", owner_smtp_address);
#undef ALT
	}
	check_error(&x, r);

	/* Mailbox GUID: the part before '@' of the first EXCH Server when that is
	 * a 36-character GUID (checked loosely here: length and dashes). */
	s = xp_str(&x, RESP E("Account")
			   E("Protocol") "[*[local-name()='Type']='EXCH']" E("Server"));
	if (s && (at = strchr(s, '@')) && at - s == 36 && s[8] == '-' && s[23] == '-') {
		assert_non_null(r->mailbox_guid);
		assert_true(strncasecmp(r->mailbox_guid, s, 36) == 0);
		assert_string_equal(r->home_server, s);
		x.compared++;
	}
	free(s);

	xmlXPathFreeContext(x.ctx);
	xmlFreeDoc(x.doc);
	return x.compared;
}
