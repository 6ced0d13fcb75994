/* adisc_pox.c - POX Autodiscover request builder and response parser.
 *
 * Sources: MS-OXDSCLI 2.2.4 (request/response schema, ErrorCode list in
 * 2.2.4.1.1.3.2), MSDocs-EX "POX Autodiscover XML elements" pages (User,
 * Account, Protocol, AlternativeMailbox, MailStore, AddressBook, Error).
 *
 * Elements are matched by local name, ASCII-case-insensitively, whatever
 * their namespace: real servers put Error in the base 2006 namespace, the
 * MSDocs samples use https:// namespace URIs, and exchangelib writes
 * RedirectURL for RedirectUrl. Unknown elements are ignored. */
#include "discover/adisc.h"
#include "discover/adisc_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* XML 1.0 text: valid UTF-8 without C0 controls other than tab/LF/CR. */
static bool text_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0;
	while (i < n) {
		uint32_t cp;
		int k = rp_utf8_next(s + i, n - i, &cp);
		if (k < 0 || (cp < 0x20 && cp != 9 && cp != 10 && cp != 13) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
			return false;
		i += (size_t)k;
	}
	return true;
}

int adisc_build_request(const char *email, const char *legacy_dn, rp_buf *out)
{
	xmlBufferPtr xb;
	xmlTextWriterPtr w;
	int rc = 0;

	if ((!email || !*email) && (!legacy_dn || !*legacy_dn))
		return adisc_err(RP_EINVAL, "Autodiscover request needs an address");
	if (!text_ok(email) || !text_ok(legacy_dn))
		return adisc_err(RP_EINVAL,
				 "Autodiscover request: address is not valid UTF-8 text");
	xb = xmlBufferCreate();
	if (!xb)
		return adisc_err(RP_ENOMEM,
				 "out of memory building Autodiscover request");
	w = xmlNewTextWriterMemory(xb, 0);
	if (!w) {
		xmlBufferFree(xb);
		return adisc_err(RP_ENOMEM,
				 "out of memory building Autodiscover request");
	}
	/* The writer escapes text, so an address can never inject markup. */
	rc |= xmlTextWriterStartDocument(w, "1.0", "utf-8", NULL) < 0;
	rc |= xmlTextWriterStartElementNS(w, NULL, BAD_CAST "Autodiscover",
					  BAD_CAST ADISC_NS_REQUEST) < 0;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "Request") < 0;
	if (email && *email)
		rc |= xmlTextWriterWriteElement(w, BAD_CAST "EMailAddress",
						BAD_CAST email) < 0;
	if (legacy_dn && *legacy_dn)
		rc |= xmlTextWriterWriteElement(w, BAD_CAST "LegacyDN",
						BAD_CAST legacy_dn) < 0;
	rc |= xmlTextWriterWriteElement(w, BAD_CAST "AcceptableResponseSchema",
					BAD_CAST ADISC_NS_RESPONSE_2006A) < 0;
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (rc) {
		xmlBufferFree(xb);
		return adisc_err(RP_EINVAL, "cannot build Autodiscover request for '%s'",
				 email ? email : legacy_dn);
	}
	rc = rp_buf_append(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return rc;
}

/* ---- parsing helpers ---- */

struct pctx {
	const char *origin;
	bool saw_dtd;
};

static bool name_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       rp_ascii_casecmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
	xmlNode *c;
	for (c = n ? n->children : NULL; c; c = c->next)
		if (name_is(c, name))
			return c;
	return NULL;
}

static char *trim_dup(const char *s)
{
	size_t n;
	if (!s)
		return NULL;
	while (*s && isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return rp_strndup(s, n);
}

/* Text of an element, trimmed; *dst is set only the first time (first wins). */
static int take_text(const xmlNode *n, char **dst)
{
	xmlChar *t;
	if (*dst)
		return RP_OK;
	t = xmlNodeGetContent(n);
	*dst = trim_dup(t ? (const char *)t : "");
	xmlFree(t);
	return *dst ? RP_OK : adisc_err(RP_ENOMEM, "out of memory");
}

static int take_attr(const xmlNode *n, const char *name, char **dst)
{
	xmlAttr *a;
	if (*dst)
		return RP_OK;
	for (a = n->properties; a; a = a->next) {
		if (rp_ascii_casecmp((const char *)a->name, name) == 0) {
			xmlChar *v = xmlNodeGetContent((const xmlNode *)a);
			*dst = trim_dup(v ? (const char *)v : "");
			xmlFree(v);
			return *dst ? RP_OK : adisc_err(RP_ENOMEM, "out of memory");
		}
	}
	return RP_OK;
}

int adisc_err(int code, const char *fmt, ...)
{
	char msg[1024], *p;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return rp_error_set(code, "%s", msg);
}

char *adisc_one_line(const char *s)
{
	char *r = trim_dup(s), *w, *p;
	bool space = false;
	if (!r)
		return NULL;
	for (p = w = r; *p; p++) {
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p)) {
			space = true;
			continue;
		}
		if (space && w != r)
			*w++ = ' ';
		space = false;
		*w++ = *p;
	}
	*w = '\0';
	return r;
}

static int missing(const struct pctx *p, const char *path)
{
	return adisc_err(RP_EFORMAT, "%s: Autodiscover response has no %s element",
			 p->origin, path);
}

/* ---- Error ---- */

static int parse_error(const struct pctx *p, const xmlNode *n, adisc_error *e)
{
	const xmlNode *c;
	char *end = NULL;
	long v;
	int rc = RP_OK;

	if (e->code_text)
		return RP_OK; /* first Error wins */
	rc = take_attr(n, "Time", &e->time);
	if (!rc)
		rc = take_attr(n, "Id", &e->id);
	for (c = n->children; c && !rc; c = c->next) {
		if (name_is(c, "ErrorCode"))
			rc = take_text(c, &e->code_text);
		else if (name_is(c, "Message"))
			rc = take_text(c, &e->message);
		else if (name_is(c, "DebugData"))
			rc = take_text(c, &e->debug_data);
	}
	if (rc)
		return rc;
	if (!e->code_text)
		return missing(p, "Error/ErrorCode");
	errno = 0;
	v = strtol(e->code_text, &end, 10);
	if (errno || end == e->code_text || *end || v <= 0 || v > 99999) {
		char *t = adisc_one_line(e->code_text);
		rc = adisc_err(RP_EFORMAT, "%s: Error/ErrorCode '%s' is not a number",
			       p->origin, t ? t : "");
		free(t);
		return rc;
	}
	e->code = (int)v;
	return RP_OK;
}

/* ---- Protocol ---- */

struct field {
	const char *name;
	size_t off;
};

#define PF(n, f)                                                                         \
	{                                                                                \
		n, offsetof(adisc_protocol, f)                                           \
	}
static const struct field proto_fields[] = {
    PF("Type", type),
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
#undef PF

static char **pfield(adisc_protocol *pr, size_t off)
{
	return (char **)(void *)((char *)pr + off);
}

static enum adisc_proto proto_kind(const char *type)
{
	static const struct {
		const char *name;
		enum adisc_proto kind;
	} kinds[] = {{"EXCH", ADISC_PROTO_EXCH},
		     {"EXPR", ADISC_PROTO_EXPR},
		     {"EXHTTP", ADISC_PROTO_EXHTTP},
		     {"WEB", ADISC_PROTO_WEB},
		     {"mapiHttp", ADISC_PROTO_MAPIHTTP}};
	size_t i;
	for (i = 0; type && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (rp_ascii_casecmp(type, kinds[i].name) == 0)
			return kinds[i].kind;
	return ADISC_PROTO_OTHER;
}

/* MailStore / AddressBook: InternalUrl + ExternalUrl. */
static int parse_endpoint(const xmlNode *n, char **internal, char **external)
{
	const xmlNode *c;
	int rc = RP_OK;
	for (c = n->children; c && !rc; c = c->next) {
		if (name_is(c, "InternalUrl"))
			rc = take_text(c, internal);
		else if (name_is(c, "ExternalUrl"))
			rc = take_text(c, external);
	}
	return rc;
}

static int parse_protocol(const xmlNode *n, adisc_protocol *pr)
{
	const xmlNode *c, *o;
	size_t i;
	int rc;

	/* Type as attribute (mapiHttp, EXHTTP) or as child element. */
	rc = take_attr(n, "Type", &pr->type);
	if (!rc)
		rc = take_attr(n, "Version", &pr->version);
	for (c = n->children; c && !rc; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < sizeof(proto_fields) / sizeof(proto_fields[0]); i++) {
			if (name_is(c, proto_fields[i].name)) {
				rc = take_text(c, pfield(pr, proto_fields[i].off));
				break;
			}
		}
		if (rc)
			break;
		if (name_is(c, "MailStore"))
			rc = parse_endpoint(c, &pr->mailstore_internal_url,
					    &pr->mailstore_external_url);
		else if (name_is(c, "AddressBook"))
			rc = parse_endpoint(c, &pr->addressbook_internal_url,
					    &pr->addressbook_external_url);
		else if (name_is(c, "Internal") && (o = child(c, "OWAUrl")))
			rc = take_text(o, &pr->owa_internal_url);
		else if (name_is(c, "External") && (o = child(c, "OWAUrl")))
			rc = take_text(o, &pr->owa_external_url);
	}
	pr->kind = proto_kind(pr->type);
	return rc;
}

static int parse_alt(const xmlNode *n, adisc_alt_mailbox *a)
{
	const xmlNode *c;
	int rc = RP_OK;
	for (c = n->children; c && !rc; c = c->next) {
		if (name_is(c, "Type"))
			rc = take_text(c, &a->type);
		else if (name_is(c, "DisplayName"))
			rc = take_text(c, &a->display_name);
		else if (name_is(c, "LegacyDN"))
			rc = take_text(c, &a->legacy_dn);
		else if (name_is(c, "Server"))
			rc = take_text(c, &a->server);
		else if (name_is(c, "SmtpAddress"))
			rc = take_text(c, &a->smtp_address);
		else if (name_is(c, "OwnerSmtpAddress"))
			rc = take_text(c, &a->owner_smtp_address);
	}
	return rc;
}

static size_t count_children(const xmlNode *n, const char *name)
{
	const xmlNode *c;
	size_t k = 0;
	for (c = n->children; c; c = c->next)
		if (name_is(c, name))
			k++;
	return k;
}

static enum adisc_action action_of(const char *s)
{
	if (!s)
		return ADISC_ACTION_NONE;
	if (rp_ascii_casecmp(s, "settings") == 0)
		return ADISC_ACTION_SETTINGS;
	if (rp_ascii_casecmp(s, "redirectAddr") == 0)
		return ADISC_ACTION_REDIRECT_ADDR;
	if (rp_ascii_casecmp(s, "redirectUrl") == 0)
		return ADISC_ACTION_REDIRECT_URL;
	return ADISC_ACTION_OTHER;
}

static int parse_account(const struct pctx *p, const xmlNode *n, adisc_response *r)
{
	const xmlNode *c;
	size_t np = count_children(n, "Protocol"),
	       na = count_children(n, "AlternativeMailbox");
	int rc = RP_OK;
	char *mo = NULL;

	if (np && !(r->protocols = calloc(np, sizeof(*r->protocols))))
		return adisc_err(RP_ENOMEM, "out of memory");
	if (na && !(r->alt_mailboxes = calloc(na, sizeof(*r->alt_mailboxes))))
		return adisc_err(RP_ENOMEM, "out of memory");
	for (c = n->children; c && !rc; c = c->next) {
		if (name_is(c, "AccountType"))
			rc = take_text(c, &r->account_type);
		else if (name_is(c, "Action"))
			rc = take_text(c, &r->action_text);
		else if (name_is(c, "RedirectAddr"))
			rc = take_text(c, &r->redirect_addr);
		else if (name_is(c, "RedirectUrl"))
			rc = take_text(c, &r->redirect_url);
		else if (name_is(c, "MicrosoftOnline"))
			rc = take_text(c, &mo);
		else if (name_is(c, "Protocol"))
			rc = parse_protocol(c, &r->protocols[r->n_protocols++]);
		else if (name_is(c, "AlternativeMailbox"))
			rc = parse_alt(c, &r->alt_mailboxes[r->n_alt_mailboxes++]);
		else if (name_is(c, "Error"))
			rc = parse_error(p, c, &r->error);
	}
	if (!rc && mo)
		r->microsoft_online = rp_ascii_casecmp(mo, "true") == 0 ? 1 : 0;
	free(mo);
	if (rc)
		return rc;
	r->action = action_of(r->action_text);
	if (r->error.code_text)
		return RP_OK; /* an error account needs no Action */
	if (!r->action_text)
		return missing(p, "Account/Action");
	if (r->action == ADISC_ACTION_REDIRECT_ADDR &&
	    (!r->redirect_addr || !*r->redirect_addr))
		return missing(p, "Account/RedirectAddr");
	if (r->action == ADISC_ACTION_REDIRECT_URL &&
	    (!r->redirect_url || !*r->redirect_url))
		return missing(p, "Account/RedirectUrl");
	return RP_OK;
}

static int parse_user(const xmlNode *n, adisc_response *r)
{
	const xmlNode *c;
	int rc = RP_OK;
	for (c = n->children; c && !rc; c = c->next) {
		if (name_is(c, "DisplayName"))
			rc = take_text(c, &r->display_name);
		else if (name_is(c, "LegacyDN"))
			rc = take_text(c, &r->legacy_dn);
		else if (name_is(c, "AutoDiscoverSMTPAddress"))
			rc = take_text(c, &r->autodiscover_smtp);
		else if (name_is(c, "DeploymentId"))
			rc = take_text(c, &r->deployment_id);
	}
	return rc;
}

/* "8-4-4-4-12" hex digits. */
static bool is_guid(const char *s, size_t n)
{
	size_t i;
	if (n != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

/* "<guid>@<domain>" (n bytes) -> mailbox_guid + home_server. */
static int set_guid_server(adisc_response *r, const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	size_t i;
	if (!at || !is_guid(s, (size_t)(at - s)) || at + 1 == s + n)
		return RP_OK;
	r->mailbox_guid = rp_strndup(s, 36);
	r->home_server = rp_strndup(s, n);
	if (!r->mailbox_guid || !r->home_server)
		return adisc_err(RP_ENOMEM, "out of memory");
	for (i = 0; i < 36; i++)
		r->mailbox_guid[i] = (char)tolower((unsigned char)r->mailbox_guid[i]);
	return RP_OK;
}

/* MS-OXDSCLI 4.4: the mapiHttp MailStore URL carries ?MailboxId=<guid>@<domain>. */
static int guid_from_url(adisc_response *r, const char *url)
{
	const char *p;
	size_t n;
	if (!url)
		return RP_OK;
	for (p = url; *p; p++) {
		if ((*p == '?' || *p == '&') &&
		    rp_ascii_ncasecmp(p + 1, "MailboxId=", 10) == 0) {
			p += 11;
			n = strcspn(p, "&#");
			return set_guid_server(r, p, n);
		}
	}
	return RP_OK;
}

static int derive_mailbox(adisc_response *r)
{
	const adisc_protocol *ex = adisc_find_protocol(r, ADISC_PROTO_EXCH);
	const adisc_protocol *mh = adisc_find_protocol(r, ADISC_PROTO_MAPIHTTP);
	int rc = RP_OK;
	if (ex && ex->server)
		rc = set_guid_server(r, ex->server, strlen(ex->server));
	if (!rc && !r->mailbox_guid && mh)
		rc = guid_from_url(r, mh->mailstore_external_url);
	if (!rc && !r->mailbox_guid && mh)
		rc = guid_from_url(r, mh->mailstore_internal_url);
	return rc;
}

static int parse_tree(const struct pctx *p, const xmlNode *root, adisc_response *r)
{
	const xmlNode *resp, *c;
	bool have_account = false;
	int rc = RP_OK;

	if (!name_is(root, "Autodiscover"))
		return adisc_err(RP_EFORMAT, "%s: root element is '%s', not Autodiscover",
				 p->origin, root ? (const char *)root->name : "(none)");
	resp = child(root, "Response");
	if (!resp)
		return missing(p, "Autodiscover/Response");
	/* Response/Error first: it makes a missing Account/Action acceptable. */
	if ((c = child(resp, "Error")) != NULL)
		rc = parse_error(p, c, &r->error);
	for (c = resp->children; c && !rc; c = c->next) {
		if (name_is(c, "User"))
			rc = parse_user(c, r);
		else if (name_is(c, "Account") && !have_account) {
			have_account = true;
			rc = parse_account(p, c, r);
		}
	}
	if (rc)
		return rc;
	if (!have_account && !r->error.code_text)
		return missing(p, "Response/Account");
	return derive_mailbox(r);
}

/* SAX hooks: a DOCTYPE stops the parse, so no entity or DTD is ever read. */
static void on_subset(void *ctx, const xmlChar *name, const xmlChar *eid,
		      const xmlChar *sid)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct pctx *p = ctxt->_private;
	(void)name;
	(void)eid;
	(void)sid;
	p->saw_dtd = true;
	xmlStopParser(ctxt);
}

int adisc_parse(const void *data, size_t len, const char *origin, adisc_response **out)
{
	struct pctx p = {origin ? origin : "(memory)", false};
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	adisc_response *r;
	int rc;

	*out = NULL;
	if (len > ADISC_MAX_RESPONSE)
		return adisc_err(RP_ELIMIT,
				 "%s: Autodiscover response of %zu bytes is over the %d "
				 "byte limit",
				 p.origin, len, ADISC_MAX_RESPONSE);
	if (len == 0)
		return adisc_err(RP_EFORMAT, "%s: Autodiscover response is empty",
				 p.origin);
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return adisc_err(RP_ENOMEM, "out of memory");
	ctxt->_private = &p;
	ctxt->sax->internalSubset = on_subset;
	ctxt->sax->externalSubset = on_subset;
	/* NONET: never fetch; no NOENT/DTDLOAD/DTDATTR: entities stay unexpanded. */
	doc =
	    xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
			      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (p.saw_dtd) {
		rc =
		    adisc_err(RP_EFORMAT,
			      "%s: Autodiscover response has a DOCTYPE, which is refused",
			      p.origin);
		goto fail;
	}
	if (!doc || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char *m = adisc_one_line(e && e->message ? e->message : "parse error");
		rc = adisc_err(RP_EFORMAT, "%s: not well-formed XML at line %d: %s",
			       p.origin, e ? e->line : 0, m ? m : "parse error");
		free(m);
		goto fail;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		rc = adisc_err(RP_ENOMEM, "out of memory");
		goto fail;
	}
	r->microsoft_online = -1;
	rc = parse_tree(&p, xmlDocGetRootElement(doc), r);
	if (rc) {
		adisc_response_free(r);
		goto fail;
	}
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	*out = r;
	return RP_OK;
fail:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

int adisc_parse_file(const char *path, adisc_response **out)
{
	FILE *f;
	rp_buf b = RP_BUF_INIT;
	char chunk[8192];
	size_t n;
	int rc = RP_OK;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return adisc_err(errno == ENOENT ? RP_ENOTFOUND : RP_EIO,
				 "%s: cannot open: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > ADISC_MAX_RESPONSE) {
			rc = adisc_err(RP_ELIMIT,
				       "%s: Autodiscover file is over the %d byte limit",
				       path, ADISC_MAX_RESPONSE);
			break;
		}
		if ((rc = rp_buf_append(&b, chunk, n)) != RP_OK)
			break;
	}
	if (!rc && ferror(f))
		rc = adisc_err(RP_EIO, "%s: read error", path);
	fclose(f);
	if (!rc)
		rc = adisc_parse(b.data, b.len, path, out);
	rp_buf_free(&b);
	return rc;
}

static void free_protocol(adisc_protocol *pr)
{
	size_t i;
	for (i = 0; i < sizeof(proto_fields) / sizeof(proto_fields[0]); i++)
		free(*pfield(pr, proto_fields[i].off));
	free(pr->version);
	free(pr->mailstore_internal_url);
	free(pr->mailstore_external_url);
	free(pr->addressbook_internal_url);
	free(pr->addressbook_external_url);
	free(pr->owa_internal_url);
	free(pr->owa_external_url);
}

void adisc_response_free(adisc_response *r)
{
	size_t i;
	if (!r)
		return;
	free(r->display_name);
	free(r->legacy_dn);
	free(r->autodiscover_smtp);
	free(r->deployment_id);
	free(r->account_type);
	free(r->action_text);
	free(r->redirect_addr);
	free(r->redirect_url);
	for (i = 0; i < r->n_protocols; i++)
		free_protocol(&r->protocols[i]);
	free(r->protocols);
	for (i = 0; i < r->n_alt_mailboxes; i++) {
		adisc_alt_mailbox *a = &r->alt_mailboxes[i];
		free(a->type);
		free(a->display_name);
		free(a->legacy_dn);
		free(a->server);
		free(a->smtp_address);
		free(a->owner_smtp_address);
	}
	free(r->alt_mailboxes);
	free(r->error.code_text);
	free(r->error.time);
	free(r->error.id);
	free(r->error.message);
	free(r->error.debug_data);
	free(r->mailbox_guid);
	free(r->home_server);
	free(r);
}

const adisc_protocol *adisc_find_protocol(const adisc_response *r, enum adisc_proto kind)
{
	size_t i;
	for (i = 0; r && i < r->n_protocols; i++)
		if (r->protocols[i].kind == kind)
			return &r->protocols[i];
	return NULL;
}

const char *adisc_action_name(enum adisc_action a)
{
	switch (a) {
	case ADISC_ACTION_SETTINGS:
		return "settings";
	case ADISC_ACTION_REDIRECT_ADDR:
		return "redirectAddr";
	case ADISC_ACTION_REDIRECT_URL:
		return "redirectUrl";
	case ADISC_ACTION_OTHER:
		return "other";
	case ADISC_ACTION_NONE:
		break;
	}
	return "none";
}

const char *adisc_proto_name(enum adisc_proto p)
{
	switch (p) {
	case ADISC_PROTO_EXCH:
		return "EXCH";
	case ADISC_PROTO_EXPR:
		return "EXPR";
	case ADISC_PROTO_EXHTTP:
		return "EXHTTP";
	case ADISC_PROTO_WEB:
		return "WEB";
	case ADISC_PROTO_MAPIHTTP:
		return "mapiHttp";
	case ADISC_PROTO_OTHER:
		break;
	}
	return "other";
}
