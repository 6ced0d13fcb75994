/* adisc.h - Exchange Autodiscover (POX, MS-OXDSCLI): request builder, response
 * parser, local Autodiscover XML files and the resolver interface.
 *
 * The model follows the "outlook" response schema 2006a:
 *   Autodiscover/Response/User           -> adisc_response user fields
 *   Autodiscover/Response/Account        -> action, redirects, protocols
 *   Autodiscover/Response[/Account]/Error -> adisc_response.error
 * Strings are UTF-8, trimmed of surrounding white space, NULL when absent.
 * Every string is owned by the object holding it; free the whole object with
 * its _free function.
 *
 * Errors follow rp_err.h: negative code + one-line message that names the
 * origin (file or URL) and the element. */
#ifndef ADISC_H
#define ADISC_H

#include "base/rp_buf.h"

#include <stdbool.h>
#include <stddef.h>

/* Biggest response body accepted (real ones are 2-20 KB). */
#define ADISC_MAX_RESPONSE (1024 * 1024)
/* Redirects followed per lookup; MSDocs-EX redirecturl-pox.md: "stop after 10". */
#define ADISC_MAX_REDIRECTS 10
/* Namespaces of the request and the response we ask for (MS-OXDSCLI 2.2.4). */
#define ADISC_NS_REQUEST                                                                 \
	"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
#define ADISC_NS_RESPONSE_2006A                                                          \
	"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/"     \
	"2006a"

enum adisc_action {
	ADISC_ACTION_NONE = 0,      /* no Account/Action (error responses) */
	ADISC_ACTION_SETTINGS,      /* "settings" */
	ADISC_ACTION_REDIRECT_ADDR, /* "redirectAddr": restart with RedirectAddr */
	ADISC_ACTION_REDIRECT_URL,  /* "redirectUrl": POST again to RedirectUrl */
	ADISC_ACTION_OTHER          /* an Action value we do not know */
};

enum adisc_proto {
	ADISC_PROTO_OTHER = 0, /* unknown Type (kept, with its raw type text) */
	ADISC_PROTO_EXCH,      /* RPC, internal */
	ADISC_PROTO_EXPR,      /* RPC over HTTP (Outlook Anywhere) */
	ADISC_PROTO_EXHTTP,    /* RPC over HTTP, Exchange 2013+ "ExHttpInfo" */
	ADISC_PROTO_WEB,       /* OWA URLs */
	ADISC_PROTO_MAPIHTTP   /* <Protocol Type="mapiHttp" Version="1"> */
};

typedef struct adisc_protocol {
	enum adisc_proto kind;
	char *type;    /* raw Type (child element or attribute) */
	char *version; /* Version attribute (mapiHttp) */
	char *server;  /* EXCH on 2013+/EXO: "<mailbox guid>@<domain>" */
	char *server_dn;
	char *server_version;
	char *mdb_dn;
	char *public_folder_server;
	char *ad;
	char *as_url;
	char *ews_url;
	char *oof_url;
	char *oab_url;
	char *um_url;
	char *ecp_url;
	char *auth_package;
	char *ssl;
	char *cert_principal_name;
	char *port;
	/* mapiHttp: MailStore / AddressBook */
	char *mailstore_internal_url;
	char *mailstore_external_url;
	char *addressbook_internal_url;
	char *addressbook_external_url;
	/* WEB: first Internal / External OWAUrl */
	char *owa_internal_url;
	char *owa_external_url;
} adisc_protocol;

/* Account/AlternativeMailbox (archive, delegate, team mailbox). */
typedef struct adisc_alt_mailbox {
	char *type; /* "Archive", "Delegate", "TeamMailbox" */
	char *display_name;
	char *legacy_dn;
	char *server;
	char *smtp_address;
	char *owner_smtp_address;
} adisc_alt_mailbox;

/* Response/Error or Account/Error. code 0 = no error element. */
typedef struct adisc_error {
	int code; /* ErrorCode: 500, 501, 600, 601, 602, 603 (MS-OXDSCLI 2.2.4.1.1.3.2) */
	char *code_text; /* ErrorCode as written */
	char *time;
	char *id;
	char *message;
	char *debug_data;
} adisc_error;

typedef struct adisc_response {
	/* User */
	char *display_name;
	char *legacy_dn;
	char *autodiscover_smtp;
	char *deployment_id;
	/* Account */
	char *account_type;
	enum adisc_action action;
	char *action_text;
	char *redirect_addr;
	char *redirect_url;        /* RedirectUrl, also spelled RedirectURL */
	int microsoft_online;      /* -1 absent, 0 False, 1 True */
	adisc_protocol *protocols; /* top-level Account/Protocol, in document order */
	size_t n_protocols;
	adisc_alt_mailbox *alt_mailboxes;
	size_t n_alt_mailboxes;
	adisc_error error;
	/* Derived: the mailbox GUID ("xxxxxxxx-xxxx-...", lower case) and the
	 * "<guid>@<domain>" home server, from EXCH Server or else from the mapiHttp
	 * MailStore URL's MailboxId= parameter. NULL when the response has neither. */
	char *mailbox_guid;
	char *home_server;
} adisc_response;

/* Builds the POX request body for email (or legacy_dn when non-NULL; the
 * server prefers LegacyDN when both are sent, MS-OXDSCLI 3.2.5) into out
 * (appended). RP_EINVAL when both are NULL/empty. */
int adisc_build_request(const char *email, const char *legacy_dn, rp_buf *out);

/* Parses a POX response of len bytes. origin names the file or URL for error
 * messages. On RP_OK *out is a new response the caller frees; an Autodiscover
 * Error response is a successful parse (check out->error.code). Fails with
 * RP_EFORMAT (not well-formed, DTD present, missing required element),
 * RP_ELIMIT (over ADISC_MAX_RESPONSE). No network, no entities, no DTD. */
int adisc_parse(const void *data, size_t len, const char *origin, adisc_response **out);
/* Reads and parses a file (same errors plus RP_EIO / RP_ENOTFOUND). */
int adisc_parse_file(const char *path, adisc_response **out);
void adisc_response_free(adisc_response *r);

/* First top-level protocol of the kind, or NULL. */
const adisc_protocol *adisc_find_protocol(const adisc_response *r, enum adisc_proto kind);
const char *adisc_action_name(enum adisc_action a);
const char *adisc_proto_name(enum adisc_proto p);

/* A completed lookup: the final response plus the path that led to it. */
typedef struct adisc_result {
	adisc_response
	    *resp;     /* final response (settings, error or unfollowed redirect) */
	char *address; /* last address looked up (after redirectAddr hops) */
	char *origin;  /* file or URL the final response came from */
	char **hops;   /* "addr:<address>" / "url:<url>" redirects followed, in order */
	size_t n_hops;
} adisc_result;

void adisc_result_free(adisc_result *res);

/* Resolver: turns an SMTP address into a result. Local XML files now, the
 * network client later, behind the same interface.
 * lookup() contract: *out is set whenever a response was obtained, even when
 * the return value is an error, so callers can show error codes and hops.
 *   RP_OK         final response has Action settings
 *   RP_ENOTFOUND  no response for the address, or Autodiscover ErrorCode 500/501
 *   RP_ENET       other Autodiscover ErrorCode, or a redirectUrl this resolver
 *                 cannot follow
 *   RP_ELIMIT     more than ADISC_MAX_REDIRECTS redirects, or a redirect loop
 *   RP_EFORMAT    a response that does not parse */
typedef struct adisc_resolver adisc_resolver;
struct adisc_resolver {
	int (*lookup)(adisc_resolver *self, const char *address, adisc_result **out);
	void (*destroy)(adisc_resolver *self);
};

static inline int adisc_lookup(adisc_resolver *r, const char *address, adisc_result **out)
{
	return r->lookup(r, address, out);
}
/* NULL-safe. */
void adisc_resolver_free(adisc_resolver *r);

/* Local Autodiscover XML files (INI UseLocalAutodiscoverXMLs=1 with
 * LocalAutodiscoverXMLPath=dir): "<address>.xml" is preferred over
 * "<domain>.xml"; file names compare ASCII-case-insensitively on every OS;
 * redirectAddr inside a file restarts the lookup for the new address (at most
 * ADISC_MAX_REDIRECTS, loops refused). Errors as for adisc_resolver.lookup;
 * RP_ENOTFOUND names the directory and both file names tried. */
int adisc_local_lookup(const char *dir, const char *address, adisc_result **out);
/* A resolver over adisc_local_lookup; dir is copied. NULL on ENOMEM. */
adisc_resolver *adisc_local_resolver_new(const char *dir);

/* A resolver that asks first, then second (e.g. local XML files, then the
 * network): second is asked only when first finds nothing for the address
 * (RP_ENOTFOUND with no response). Takes ownership of both (freed with the
 * chain, also when creation fails). NULL on ENOMEM. */
adisc_resolver *adisc_chain_resolver_new(adisc_resolver *first, adisc_resolver *second);

/* The domain part of an SMTP address (pointer into address), or NULL. */
const char *adisc_address_domain(const char *address);

/* ---- network client (libcurl) ---- */

/* What the network resolvers of one run share: connections, TLS sessions
 * and DNS answers (libcurl's share interface), and the authentication scheme
 * each host named, so that a later request to that host sends the
 * credentials at once instead of after a 401. Single-threaded. Free it after
 * every resolver that uses it. NULL with the message set on failure. */
typedef struct adisc_net_share adisc_net_share;
adisc_net_share *adisc_net_share_new(void);
void adisc_net_share_free(adisc_net_share *s); /* NULL-safe */

/* Log sink: level is "TraceW", "Warning" or "Error" (the guide's log levels,
 * "Dealing with Autodiscover service issues"); msg is one line. */
typedef void (*adisc_log_fn)(void *ctx, const char *level, const char *msg);

typedef struct adisc_net_opts {
	/* AutodiscoverSourceURL / AutodiscoverTargetURL. When set it is the only
	 * candidate (the admin set it because DNS is not usable). Must be https://
	 * (adisc_net_resolver_new fails with RP_EINVAL otherwise). */
	const char *manual_url;
	/* PEM CA bundle used instead of the system store; TLS is always verified. */
	const char *ca_file;
	/* Optional credentials (NTLM, Negotiate or Basic, picked by libcurl);
	 * never re-sent to another host after an HTTP redirect. */
	const char *user;
	const char *password;
	/* OAuth 2.0 access token (Microsoft 365): sent as "Authorization:
	 * Bearer" instead of user/password when set (adisc_oauth.h). */
	const char *bearer;
	/* curl CONNECT_TO entries "HOST:PORT:CONNECT-HOST:CONNECT-PORT", NULL-ended;
	 * tests map real-looking names to a loopback server with it. */
	const char *const *connect_to;
	/* "source" or "target": adds the guide's final [Error] line on failure. */
	const char *side;
	long timeout_s;          /* per HTTP request; 0 = 30 */
	bool skip_srv;           /* no _autodiscover._tcp SRV candidate */
	bool skip_http_redirect; /* no unauthenticated GET on http://autodiscover.<domain>
				  */
	bool skip_root;          /* no https://<domain>/autodiscover/autodiscover.xml */
	bool skip_autodiscover;  /* no https://autodiscover.<domain>/... */
	/* SCP candidate (MS-OXDISCO 3.1.5.1), asked once per domain: fills
	 * *urls with a malloc'd array of n malloc'd https URLs (the resolver
	 * frees them with free()) and returns RP_OK, or RP_ENOTFOUND / an error
	 * with the message set (logged as TraceW, then the next candidate).
	 * NULL = no SCP candidate. The directory module provides it
	 * (dir_scp_urls); discover does not depend on it. */
	int (*scp_urls)(void *ctx, const char *domain, char ***urls, size_t *n);
	void *scp_ctx;
	/* A redirectAddr to an address of another domain ends the lookup: the
	 * hop is recorded, the result's address is the new one, and lookup
	 * returns RP_OK with resp->action ADISC_ACTION_REDIRECT_ADDR. The source
	 * side uses it: such an answer means "this mailbox moved" (a mail user
	 * with targetAddress), and the source URL knows nothing of the target. */
	bool stop_at_foreign_redirect;
	adisc_log_fn log; /* NULL = silent */
	void *log_ctx;
	/* Shared with the run's other resolvers (not owned); NULL = this
	 * resolver's own. */
	adisc_net_share *share;
} adisc_net_opts;

/* A resolver that POSTs to the candidate URLs, in order (MS-OXDISCO 3.1.5):
 *   1. opts->manual_url (alone, when set)
 *   2. the SCP URLs from opts->scp_urls (when set)
 *   3. https://<domain>/autodiscover/autodiscover.xml      (skip_root)
 *   4. https://autodiscover.<domain>/autodiscover/autodiscover.xml (skip_autodiscover)
 *   5. GET http://autodiscover.<domain>/autodiscover/autodiscover.xml, expecting
 *      a 301/302 to an https URL, then POST there          (skip_http_redirect)
 *   6. SRV _autodiscover._tcp.<domain>, port-443 target with the best priority
 *                                                           (skip_srv)
 * POST stays POST across HTTP redirects (at most 10, https only);
 * redirectAddr restarts the list for the new address; redirectUrl POSTs to
 * the new https URL; 10 Autodiscover redirects at most. Results are cached per
 * address, and the URL that answered is tried first for later addresses of
 * the same domain. opts strings are copied. NULL with the message set on
 * RP_ENOMEM or a manual_url that is not https. */
adisc_resolver *adisc_net_resolver_new(const adisc_net_opts *opts);

/* true when the last lookup through r (a resolver made by
 * adisc_net_resolver_new; false for any other) was refused with HTTP 401 by
 * a server whose WWW-Authenticate offers Bearer (RFC 6750): the target
 * takes OAuth tokens, as Exchange Online does (docs/authentication.md). */
bool adisc_net_bearer_asked(const adisc_resolver *r);

/* true when url's host is domain or a sub-domain of it (the guide's check
 * that -SkipAutodiscoverChecking turns off). */
bool adisc_url_in_domain(const char *url, const char *domain);

/* One SRV record (RFC 2782 fields); target "" or "." = no service. */
typedef struct adisc_srv_rec {
	int priority, weight, port;
	const char *target;
} adisc_srv_rec;

/* The record choice (MSDocs-EX autodiscover-for-exchange.md, phase 3): only
 * port-443 records with a target, lowest priority, then highest weight, the
 * first of equals; *host is a new string. RP_ENOTFOUND when none. Pure:
 * the same on every platform. */
int adisc_srv_choose(const adisc_srv_rec *recs, size_t n, char **host);
/* Parses a DNS answer (wire format) for _autodiscover._tcp and chooses as
 * above. RP_EFORMAT when the answer is bad; RP_EUNSUPPORTED in the Windows
 * build, which gets parsed records from DnsQuery instead. */
int adisc_srv_pick(const unsigned char *answer, int len, char **host);
/* Queries DNS for _autodiscover._tcp.<domain> (res_query natively,
 * DnsQuery_UTF8 on Windows) and chooses as above. */
int adisc_srv_lookup(const char *domain, char **host);

#endif
