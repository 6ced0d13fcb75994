/* adisc_net.c - the network Autodiscover resolver over libcurl.
 *
 * Candidate order: MS-OXDISCO 3.1.5 (text manipulation, HTTP redirect, SRV);
 * client rules: MSDocs-EX handling-autodiscover-error-messages.md (a 302 is
 * re-sent as POST, redirectAddr regenerates the list, redirectUrl must be
 * https, 10 redirects at most). libcurl turns POST into GET on 301/302/303
 * unless CURLOPT_POSTREDIR says otherwise (curl.se CURLOPT_POSTREDIR). Log
 * lines follow the admin guide's "Dealing with Autodiscover service issues". */
#include "discover/adisc.h"
#include "discover/adisc_http.h"
#include "discover/adisc_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <curl/curl.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef RP_VERSION
#define RP_VERSION "0"
#endif

/* The schemes offered with an account; libcurl probes which one the host
 * takes (an unauthenticated first request) until the host has named one. */
#define ADISC_AUTH_ANY (CURLAUTH_NTLM | CURLAUTH_NEGOTIATE | CURLAUTH_BASIC)

struct addr_cache {
	char *address;
	int rc;
	char *msg;
	char *body; /* final response body, NULL when none */
	size_t len;
	char *origin;
	char *final_address;
	char **hops;
	size_t n_hops;
	bool bearer; /* refused by a server that offers Bearer */
};

struct dom_cache {
	char *domain;
	char *url;
};

/* SCP answers per domain (one directory search per domain and run). */
struct scp_cache {
	char *domain;
	char **urls;
	size_t n;
};

/* What resolvers of one run share (adisc_net_share_new): libcurl's
 * connection cache, TLS sessions and DNS answers (curl.se
 * curl_share_setopt: CURL_LOCK_DATA_CONNECT, _SSL_SESSION, _DNS), and the
 * authentication scheme each host named. One thread uses it: no locks. */
struct adisc_net_share {
	CURLSH *sh;
	struct host_auth {
		char *host;  /* "host:port" as asked, lower case */
		long scheme; /* CURLAUTH_BASIC, _NTLM or _NEGOTIATE */
	} * hosts;
	size_t n_hosts;
};

adisc_net_share *adisc_net_share_new(void)
{
	adisc_net_share *s;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		adisc_err(RP_ENET, "libcurl initialisation failed");
		return NULL;
	}
	if (!(s = calloc(1, sizeof(*s))) || !(s->sh = curl_share_init())) {
		free(s);
		curl_global_cleanup();
		adisc_err(RP_ENOMEM, "out of memory");
		return NULL;
	}
	curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	return s;
}

void adisc_net_share_free(adisc_net_share *s)
{
	size_t i;
	if (!s)
		return;
	curl_share_cleanup(s->sh);
	for (i = 0; i < s->n_hosts; i++)
		free(s->hosts[i].host);
	free(s->hosts);
	free(s);
	curl_global_cleanup();
}

/* "host:port" of an https URL, lower case, malloc'd; NULL on ENOMEM. */
static char *url_host(const char *url)
{
	const char *h = strstr(url, "://");
	char *r;
	size_t n, i;
	h = h ? h + 3 : url;
	n = strcspn(h, "/?#");
	if (memchr(h, '@', n))
		h = (const char *)memchr(h, '@', n) + 1, n = strcspn(h, "/?#");
	if (!(r = rp_strndup(h, n)))
		return NULL;
	for (i = 0; r[i]; i++)
		if (r[i] >= 'A' && r[i] <= 'Z')
			r[i] = (char)(r[i] - 'A' + 'a');
	return r;
}

static long host_scheme(const adisc_net_share *s, const char *host)
{
	size_t i;
	for (i = 0; host && i < s->n_hosts; i++)
		if (strcmp(s->hosts[i].host, host) == 0)
			return s->hosts[i].scheme;
	return 0;
}

static void host_remember(adisc_net_share *s, const char *host, long scheme)
{
	struct host_auth *h;
	if (!host || host_scheme(s, host) == scheme)
		return;
	if (host_scheme(s, host)) {
		size_t i;
		for (i = 0; i < s->n_hosts; i++)
			if (strcmp(s->hosts[i].host, host) == 0)
				s->hosts[i].scheme = scheme;
		return;
	}
	if (!(h = realloc(s->hosts, (s->n_hosts + 1) * sizeof(*h))))
		return; /* forgetting it costs one round trip later */
	s->hosts = h;
	if ((h[s->n_hosts].host = rp_strdup(host)) != NULL)
		h[s->n_hosts++].scheme = scheme;
}

struct net {
	adisc_resolver base;
	char *manual_url, *ca_file, *user, *password, *bearer, *side;
	struct curl_slist *connect_to;
	long timeout_s;
	bool skip_srv, skip_http_redirect, skip_root, skip_autodiscover;
	bool stop_foreign;
	int (*scp_urls)(void *ctx, const char *domain, char ***urls, size_t *n);
	void *scp_ctx;
	struct scp_cache *sc;
	size_t n_sc;
	adisc_log_fn log;
	void *log_ctx;
	CURL *curl;
	struct addr_cache *ac;
	size_t n_ac;
	struct dom_cache *dc;
	size_t n_dc;
	bool last_bearer; /* see adisc_net_bearer_asked */
	adisc_net_share *share;
	bool own_share; /* made for this resolver alone */
};

static void logf_(struct net *n, const char *level, const char *fmt, ...) RP_PRINTF(3, 4);
static void logf_(struct net *n, const char *level, const char *fmt, ...)
{
	char msg[2048], *p;
	va_list ap;
	if (!n->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	n->log(n->log_ctx, level, msg);
}

bool adisc_url_in_domain(const char *url, const char *domain)
{
	const char *h, *e;
	size_t hl, dl;
	if (!url || !domain || !*domain)
		return false;
	h = strstr(url, "://");
	h = h ? h + 3 : url;
	if ((e = strchr(h, '@')) && e < h + strcspn(h, "/?#"))
		h = e + 1; /* user info */
	hl = strcspn(h, ":/?#");
	dl = strlen(domain);
	if (hl == dl)
		return rp_ascii_ncasecmp(h, domain, dl) == 0;
	return hl > dl && h[hl - dl - 1] == '.' &&
	       rp_ascii_ncasecmp(h + hl - dl, domain, dl) == 0;
}

int adisc_srv_choose(const adisc_srv_rec *recs, size_t n, char **host)
{
	const adisc_srv_rec *best = NULL;
	size_t i;
	*host = NULL;
	for (i = 0; i < n; i++) {
		const adisc_srv_rec *r = &recs[i];
		if (r->port != 443 || !r->target || !r->target[0] ||
		    strcmp(r->target, ".") == 0)
			continue; /* "." = service not available (RFC 2782) */
		if (!best || r->priority < best->priority ||
		    (r->priority == best->priority && r->weight > best->weight))
			best = r;
	}
	if (!best)
		return adisc_err(RP_ENOTFOUND, "no port-443 SRV record");
	if (!(*host = rp_strdup(best->target)))
		return adisc_err(RP_ENOMEM, "out of memory");
	return RP_OK;
}

/* ---- HTTP ---- */

struct sink {
	rp_buf buf;
	bool over;
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;
	if (s->buf.len + n > ADISC_MAX_RESPONSE) {
		s->over = true;
		return 0;
	}
	return rp_buf_append(&s->buf, p, n) == RP_OK ? n : 0;
}

void adisc_curl_tls(CURL *c, const char *ca_file)
{
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca_file) {
		curl_easy_setopt(c, CURLOPT_CAINFO, ca_file);
		/* A private CA has no CRL distribution point; Schannel would refuse
		 * every certificate it signed (CRYPT_E_NO_REVOCATION_CHECK). Best
		 * effort still refuses a certificate known to be revoked; OpenSSL
		 * ignores the bit (curl.se CURLOPT_SSL_OPTIONS). */
		curl_easy_setopt(c, CURLOPT_SSL_OPTIONS,
				 (long)CURLSSLOPT_REVOKE_BEST_EFFORT);
	}
}

void adisc_curl_auth(CURL *c, const char *user, const char *password, const char *bearer,
		     long scheme)
{
	if (bearer) {
		/* libcurl sends it only to the host asked, like user/password. */
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, bearer);
	} else if (user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, password ? password : "");
		curl_easy_setopt(c, CURLOPT_HTTPAUTH,
				 scheme ? scheme : (long)ADISC_AUTH_ANY);
	} else {
		/* No account: the current user. libcurl 7.88 authenticates only
		 * with a user name set, and an empty one means "the logon
		 * credentials" for Negotiate (a Kerberos ticket, or SSPI) and
		 * for NTLM through SSPI; native NTLM would send an empty
		 * account, so it is asked for only where SSPI does it. */
		const curl_version_info_data *vi = curl_version_info(CURLVERSION_NOW);
		long mask = CURLAUTH_NEGOTIATE;
		if (vi && (vi->features & CURL_VERSION_SSPI))
			mask |= CURLAUTH_NTLM;
		curl_easy_setopt(c, CURLOPT_USERNAME, "");
		curl_easy_setopt(c, CURLOPT_PASSWORD, "");
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, mask);
	}
}

static void common_opts(struct net *n, CURL *c, char *errbuf)
{
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, n->timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
			 n->timeout_s < 10 ? n->timeout_s : 10L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "reprofile/" RP_VERSION);
	curl_easy_setopt(c, CURLOPT_SHARE, n->share->sh);
	adisc_curl_tls(c, n->ca_file);
	if (n->connect_to)
		curl_easy_setopt(c, CURLOPT_CONNECT_TO, n->connect_to);
}

/* Result of one HTTP exchange, for logging. */
struct xfer {
	CURLcode cc;
	long status;
	char errbuf[CURL_ERROR_SIZE];
	char *effective_url;
	bool over;
	bool bearer;  /* the last response's WWW-Authenticate offers Bearer */
	long offered; /* CURLAUTH_* schemes any 401 of the transfer offered */
};

/* Does a WWW-Authenticate value offer the Bearer scheme (RFC 6750 3)? The
 * value may list several challenges ("Bearer a=b, Basic realm=..."). */
static bool offers_bearer(const char *v, size_t n)
{
	size_t i;
	for (i = 0; i + 6 <= n; i++)
		if ((i == 0 || v[i - 1] == ' ' || v[i - 1] == ',' || v[i - 1] == '\t') &&
		    rp_ascii_ncasecmp(v + i, "bearer", 6) == 0 &&
		    (i + 6 == n || v[i + 6] == ' ' || v[i + 6] == ',' ||
		     v[i + 6] == '\r'))
			return true;
	return false;
}

/* The scheme a WWW-Authenticate value starts with, as a CURLAUTH_ bit. */
static long scheme_of(const char *v, size_t n)
{
	static const struct {
		const char *name;
		long bit;
	} k[] = {{"basic", CURLAUTH_BASIC},
		 {"ntlm", CURLAUTH_NTLM},
		 {"negotiate", CURLAUTH_NEGOTIATE}};
	size_t i, l;
	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		l = strlen(k[i].name);
		if (n >= l && rp_ascii_ncasecmp(v, k[i].name, l) == 0 &&
		    (n == l || v[l] == ' ' || v[l] == '\r' || v[l] == ','))
			return k[i].bit;
	}
	return 0;
}

/* Header callback: remembers whether the latest response (libcurl may make
 * several in one transfer: authentication rounds, redirects) offers Bearer,
 * and every scheme the transfer's 401 answers named. */
static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		x->bearer = false;
	} else if (n > 17 && rp_ascii_ncasecmp(p, "WWW-Authenticate:", 17) == 0) {
		x->bearer |= offers_bearer(p + 17, n - 17);
		x->offered |= scheme_of(p + 17, n - 17);
	}
	return n;
}

/* The scheme libcurl picks among the offered ones: the safest first
 * (curl.se CURLOPT_HTTPAUTH: Negotiate, then NTLM, then Basic). */
static long picked(long offered, long wanted)
{
	static const long order[] = {CURLAUTH_NEGOTIATE, CURLAUTH_NTLM, CURLAUTH_BASIC};
	size_t i;
	for (i = 0; i < 3; i++)
		if (offered & wanted & order[i])
			return order[i];
	return 0;
}

static int http_post(struct net *n, const char *url, const char *address, rp_buf *body,
		     struct xfer *x)
{
	rp_buf req = RP_BUF_INIT;
	struct curl_slist *h = NULL, *t;
	struct sink s = {RP_BUF_INIT, false};
	char *anchor = rp_asprintf("X-AnchorMailbox: %s", address);
	char *eff = NULL, *host = url_host(url);
	int rc;

	memset(x, 0, sizeof(*x));
	if (!anchor || !host) {
		free(anchor);
		free(host);
		return adisc_err(RP_ENOMEM, "out of memory");
	}
	rc = adisc_build_request(address, NULL, &req);
	if (!rc)
		rc = rp_buf_u8(&req, 0);
	/* outlook.com wants exactly this content type (reference 1.1). */
	t = curl_slist_append(h, "Content-Type: text/xml; charset=utf-8");
	if (t)
		t = curl_slist_append(h = t, "X-MapiHttpCapability: 1");
	if (t)
		t = curl_slist_append(h = t, anchor);
	if (t)
		h = t;
	if (!t && !rc)
		rc = adisc_err(RP_ENOMEM, "out of memory");
	if (rc)
		goto out;
	common_opts(n, n->curl, x->errbuf);
	curl_easy_setopt(n->curl, CURLOPT_URL, url);
	curl_easy_setopt(n->curl, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(n->curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(n->curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(n->curl, CURLOPT_MAXREDIRS, (long)ADISC_MAX_REDIRECTS);
	curl_easy_setopt(n->curl, CURLOPT_POSTREDIR, (long)CURL_REDIR_POST_ALL);
	curl_easy_setopt(n->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(n->curl, CURLOPT_POSTFIELDS, (const char *)req.data);
	curl_easy_setopt(n->curl, CURLOPT_POSTFIELDSIZE, (long)(req.len - 1));
	curl_easy_setopt(n->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(n->curl, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(n->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(n->curl, CURLOPT_HEADERDATA, x);
	/* A host that named its scheme before gets the credentials with the
	 * first request: one scheme alone is used at once (curl.se
	 * CURLOPT_HTTPAUTH), not after an unauthenticated 401. */
	adisc_curl_auth(n->curl, n->user, n->password, n->bearer,
			n->user ? host_scheme(n->share, host) : 0);
	x->cc = curl_easy_perform(n->curl);
	x->over = s.over;
	curl_easy_getinfo(n->curl, CURLINFO_RESPONSE_CODE, &x->status);
	/* Accepted after a 401 that named schemes: remember the one used. */
	if (n->user && !n->bearer && x->cc == CURLE_OK && x->status == 200 &&
	    picked(x->offered, ADISC_AUTH_ANY))
		host_remember(n->share, host, picked(x->offered, ADISC_AUTH_ANY));
	if (curl_easy_getinfo(n->curl, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
		x->effective_url = rp_strdup(eff);
	if (x->cc == CURLE_OK && x->status == 200) {
		*body = s.buf;
		s.buf = (rp_buf)RP_BUF_INIT;
	}
out:
	rp_buf_free(&s.buf);
	rp_buf_free(&req);
	curl_slist_free_all(h);
	free(anchor);
	free(host);
	return rc;
}

/* Unauthenticated GET expecting a redirect to https; *location or NULL. */
static void http_get_redirect(struct net *n, const char *url, char **location,
			      struct xfer *x)
{
	struct sink s = {RP_BUF_INIT, false};
	char *loc = NULL;
	memset(x, 0, sizeof(*x));
	*location = NULL;
	common_opts(n, n->curl, x->errbuf);
	curl_easy_setopt(n->curl, CURLOPT_URL, url);
	curl_easy_setopt(n->curl, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(n->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(n->curl, CURLOPT_WRITEDATA, &s);
	x->cc = curl_easy_perform(n->curl);
	curl_easy_getinfo(n->curl, CURLINFO_RESPONSE_CODE, &x->status);
	if (x->cc == CURLE_OK &&
	    (x->status == 301 || x->status == 302 || x->status == 307 ||
	     x->status == 308) &&
	    curl_easy_getinfo(n->curl, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc &&
	    rp_ascii_ncasecmp(loc, "https://", 8) == 0)
		*location = rp_strdup(loc);
	rp_buf_free(&s.buf);
}

/* Logs why url gave no response, the guide's way. Returns the rc to keep. */
static int log_failure(struct net *n, const char *address, const char *url,
		       const struct xfer *x, int parse_rc)
{
	logf_(n, "TraceW",
	      "Failed to get Autodiscover response for email '%s'. "
	      "Autodiscover URL: '%s'.",
	      address, url);
	if (x->over) {
		logf_(n, "TraceW", "Response is over the %d byte limit.",
		      ADISC_MAX_RESPONSE);
	} else if (x->cc != CURLE_OK) {
		/* The guide's "WinHTTP result: <code>, Description: <text>" line
		 * where its table has one, then libcurl's code and its fixed text;
		 * the detail (host, port, TLS reason) on its own line, as it varies
		 * between runs. */
		const char *wtext;
		unsigned long wcode = adisc_winhttp_code((int)x->cc, &wtext);
		if (wcode)
			logf_(n, "TraceW", "WinHTTP result: 0x%08lx, Description: %s",
			      wcode, wtext);
		logf_(n, "TraceW", "libcurl result: %d, Description: %s", (int)x->cc,
		      curl_easy_strerror(x->cc));
		if (x->errbuf[0])
			logf_(n, "TraceW", "libcurl detail: %s", x->errbuf);
		logf_(
		    n, "Warning",
		    "Cannot get an Autodiscover response for the user '%s' from the URL: "
		    "'%s'.",
		    address, url);
		return x->cc == CURLE_TOO_MANY_REDIRECTS ? RP_ELIMIT : RP_ENET;
	} else if (x->status == 401) {
		/* Wording from the guide's troubleshooting table. */
		logf_(
		    n, "TraceW",
		    ADISC_GUIDE_401_PREFIX
		    "HTTP status code 401 (Unauthorized) received. This response "
		    "indicates "
		    "that authorization has been refused for the account used to access "
		    "destination, or specified credentials are invalid.");
		return RP_EAUTH;
	} else if (x->status != 200) {
		logf_(n, "TraceW", "HTTP status code %ld received.", x->status);
	} else if (parse_rc) {
		logf_(n, "TraceW", "%s", rp_error_msg());
		return parse_rc;
	}
	return RP_ENET;
}

/* POSTs to url and parses. RP_OK: *resp, *raw (body) and *origin set. */
static int try_url(struct net *n, const char *address, const char *url,
		   adisc_response **resp, rp_buf *raw, char **origin)
{
	struct xfer x;
	rp_buf body = RP_BUF_INIT;
	int rc;

	*resp = NULL;
	*origin = NULL;
	rc = http_post(n, url, address, &body, &x);
	if (rc) {
		free(x.effective_url);
		return rc;
	}
	if (x.status == 401 && x.bearer)
		n->last_bearer = true;
	if (x.cc == CURLE_OK && x.status == 200 && !x.over) {
		rc = adisc_parse(body.data, body.len,
				 x.effective_url ? x.effective_url : url, resp);
		if (rc == RP_OK) {
			*raw = body;
			*origin = x.effective_url;
			return RP_OK;
		}
	}
	rc = log_failure(n, address, url, &x, rc);
	rp_buf_free(&body);
	free(x.effective_url);
	return rc;
}

/* ---- caches ---- */

static const char *dom_url(struct net *n, const char *domain)
{
	size_t i;
	for (i = 0; i < n->n_dc; i++)
		if (rp_ascii_casecmp(n->dc[i].domain, domain) == 0)
			return n->dc[i].url;
	return NULL;
}

static void dom_remember(struct net *n, const char *domain, const char *url)
{
	struct dom_cache *d;
	if (!domain || dom_url(n, domain))
		return;
	d = realloc(n->dc, (n->n_dc + 1) * sizeof(*d));
	if (!d)
		return; /* a cache miss later is harmless */
	n->dc = d;
	d[n->n_dc].domain = rp_strdup(domain);
	d[n->n_dc].url = rp_strdup(url);
	if (d[n->n_dc].domain && d[n->n_dc].url)
		n->n_dc++;
	else {
		free(d[n->n_dc].domain);
		free(d[n->n_dc].url);
	}
}

static char **dup_hops(char **hops, size_t n_hops)
{
	char **h = calloc(n_hops ? n_hops : 1, sizeof(*h));
	size_t i;
	for (i = 0; h && i < n_hops; i++) {
		if (!(h[i] = rp_strdup(hops[i]))) {
			while (i--)
				free(h[i]);
			free(h);
			return NULL;
		}
	}
	return h;
}

static void addr_remember(struct net *n, const char *address, int rc,
			  const adisc_result *res, const rp_buf *raw)
{
	struct addr_cache *a = realloc(n->ac, (n->n_ac + 1) * sizeof(*a));
	struct addr_cache *e;
	if (!a)
		return;
	n->ac = a;
	e = &a[n->n_ac];
	memset(e, 0, sizeof(*e));
	e->address = rp_strdup(address);
	e->rc = rc;
	e->bearer = n->last_bearer;
	e->msg = rp_strdup(rp_error_msg());
	if (res && raw && raw->len) {
		e->body = rp_strndup((const char *)raw->data, raw->len);
		e->len = raw->len;
		e->origin = rp_strdup(res->origin);
		e->final_address = rp_strdup(res->address);
		e->hops = dup_hops(res->hops, res->n_hops);
		e->n_hops = res->n_hops;
		if (!e->body || !e->origin || !e->final_address || !e->hops)
			e->address = (free(e->address), NULL); /* drop the entry */
	}
	if (e->address && e->msg) {
		n->n_ac++;
		return;
	}
	free(e->address);
	free(e->msg);
	free(e->body);
	free(e->origin);
	free(e->final_address);
	if (e->hops) {
		size_t i;
		for (i = 0; i < e->n_hops; i++)
			free(e->hops[i]);
		free(e->hops);
	}
}

/* Rebuilds a result from the cache; returns 1 if address was cached. */
static int addr_cached(struct net *n, const char *address, adisc_result **out, int *rc)
{
	size_t i;
	for (i = 0; i < n->n_ac; i++) {
		struct addr_cache *e = &n->ac[i];
		adisc_result *res;
		if (rp_ascii_casecmp(e->address, address) != 0)
			continue;
		*out = NULL;
		if (e->body) {
			res = calloc(1, sizeof(*res));
			if (!res || adisc_parse(e->body, e->len, e->origin, &res->resp) ||
			    !(res->address = rp_strdup(e->final_address)) ||
			    !(res->origin = rp_strdup(e->origin)) ||
			    !(res->hops = dup_hops(e->hops, e->n_hops))) {
				adisc_result_free(res);
				*rc = adisc_err(RP_ENOMEM, "out of memory");
				return 1;
			}
			res->n_hops = e->n_hops;
			*out = res;
		}
		*rc = e->rc ? rp_error_set(e->rc, "%s", e->msg) : RP_OK;
		n->last_bearer = e->bearer;
		return 1;
	}
	return 0;
}

/* ---- lookup ---- */

enum cand_kind { CAND_POST, CAND_GET_REDIRECT, CAND_SRV };

struct cand {
	enum cand_kind kind;
	char *url;
};

static int add_cand(struct cand *c, size_t *nc, enum cand_kind kind, char *url)
{
	size_t i;
	if (!url && kind != CAND_SRV)
		return adisc_err(RP_ENOMEM, "out of memory");
	for (i = 0; url && i < *nc; i++) {
		if (c[i].url && rp_ascii_casecmp(c[i].url, url) == 0 &&
		    c[i].kind == kind) {
			free(url);
			return RP_OK;
		}
	}
	c[*nc].kind = kind;
	c[(*nc)++].url = url;
	return RP_OK;
}

/* Most SCP URLs tried per domain (a forest publishes one per CAS). */
#define MAX_SCP 16
#define MAX_CANDS (MAX_SCP + 6)

/* The SCP URLs of domain, asked once per run; NULL/0 when none. */
static void scp_for(struct net *n, const char *domain, char ***urls, size_t *nu)
{
	struct scp_cache *sc;
	char **v = NULL;
	size_t i, k = 0;
	*urls = NULL;
	*nu = 0;
	for (i = 0; i < n->n_sc; i++)
		if (rp_ascii_casecmp(n->sc[i].domain, domain) == 0) {
			*urls = n->sc[i].urls;
			*nu = n->sc[i].n;
			return;
		}
	if (n->scp_urls(n->scp_ctx, domain, &v, &k) != RP_OK) {
		logf_(n, "TraceW", "SCP lookup for '%s': %s", domain, rp_error_msg());
		rp_error_clear();
		v = NULL;
		k = 0;
	}
	sc = realloc(n->sc, (n->n_sc + 1) * sizeof(*sc));
	if (!sc || !(sc[n->n_sc].domain = rp_strdup(domain))) {
		if (sc)
			n->sc = sc;
		for (i = 0; i < k; i++)
			free(v[i]);
		free(v);
		return;
	}
	n->sc = sc;
	sc[n->n_sc].urls = v;
	sc[n->n_sc].n = k;
	n->n_sc++;
	*urls = v;
	*nu = k;
}

static int build_cands(struct net *n, const char *domain, struct cand *c, size_t *nc)
{
	const char *known = dom_url(n, domain);
	char **scp = NULL;
	size_t nscp = 0, i;
	int rc = RP_OK;
	*nc = 0;
	if (n->manual_url)
		return add_cand(c, nc, CAND_POST, rp_strdup(n->manual_url));
	if (known)
		rc = add_cand(c, nc, CAND_POST, rp_strdup(known));
	if (n->scp_urls)
		scp_for(n, domain, &scp, &nscp);
	for (i = 0; !rc && i < nscp && i < MAX_SCP; i++)
		if (rp_ascii_ncasecmp(scp[i], "https://", 8) == 0)
			rc = add_cand(c, nc, CAND_POST, rp_strdup(scp[i]));
	if (!rc && !n->skip_root)
		rc = add_cand(
		    c, nc, CAND_POST,
		    rp_asprintf("https://%s/autodiscover/autodiscover.xml", domain));
	if (!rc && !n->skip_autodiscover)
		rc = add_cand(
		    c, nc, CAND_POST,
		    rp_asprintf("https://autodiscover.%s/autodiscover/autodiscover.xml",
				domain));
	if (!rc && !n->skip_http_redirect)
		rc = add_cand(
		    c, nc, CAND_GET_REDIRECT,
		    rp_asprintf("http://autodiscover.%s/autodiscover/autodiscover.xml",
				domain));
	if (!rc && !n->skip_srv)
		rc = add_cand(c, nc, CAND_SRV, NULL);
	return rc;
}

static void free_cands(struct cand *c, size_t nc)
{
	size_t i;
	for (i = 0; i < nc; i++)
		free(c[i].url);
}

static int add_hop(adisc_result *res, const char *kind, const char *v)
{
	char **h = realloc(res->hops, (res->n_hops + 1) * sizeof(*h));
	if (!h)
		return adisc_err(RP_ENOMEM, "out of memory");
	res->hops = h;
	if (!(h[res->n_hops] = rp_asprintf("%s:%s", kind, v)))
		return adisc_err(RP_ENOMEM, "out of memory");
	res->n_hops++;
	return RP_OK;
}

static bool hop_seen(const adisc_result *res, const char *kind, const char *v)
{
	size_t i, kl = strlen(kind);
	for (i = 0; i < res->n_hops; i++)
		if (strncmp(res->hops[i], kind, kl) == 0 && res->hops[i][kl] == ':' &&
		    rp_ascii_casecmp(res->hops[i] + kl + 1, v) == 0)
			return true;
	return false;
}

/* Outcome of following one candidate. */
enum step { STEP_NEXT_CAND, STEP_DONE, STEP_RESTART };

/* POSTs to url and follows redirectUrl answers. */
static enum step follow(struct net *n, const char *orig, adisc_result *res, char *url,
			int *redirects, rp_buf *raw, int *rc, int *worst)
{
	for (;;) {
		adisc_response *r;
		char *origin;
		rp_buf body = RP_BUF_INIT;
		int trc = try_url(n, res->address, url, &r, &body, &origin);
		if (trc) {
			if (trc == RP_EAUTH || (*worst != RP_EAUTH && trc == RP_ELIMIT))
				*worst = trc;
			free(url);
			return STEP_NEXT_CAND;
		}
		adisc_response_free(res->resp);
		res->resp = r;
		free(res->origin);
		res->origin = origin;
		rp_buf_free(raw);
		*raw = body;
		dom_remember(n, adisc_address_domain(res->address), url);
		if (r->error.code_text) {
			char *m =
			    adisc_one_line(r->error.message ? r->error.message : "");
			*rc = adisc_err(r->error.code == 500 || r->error.code == 501
					    ? RP_ENOTFOUND
					    : RP_ENET,
					"%s: Autodiscover error %d for '%s': %s", origin,
					r->error.code, res->address, m ? m : "");
			free(m);
			/* With a side, this resolver writes the guide's lines
			 * itself: the error's TraceW before the final [Error]
			 * (the source check logs its own). */
			if (n->side)
				logf_(n, "TraceW", "%s", rp_error_msg());
			free(url);
			return STEP_DONE;
		}
		free(url);
		url = NULL;
		if (r->action == ADISC_ACTION_SETTINGS) {
			*rc = RP_OK;
			return STEP_DONE;
		}
		if (r->action != ADISC_ACTION_REDIRECT_ADDR &&
		    r->action != ADISC_ACTION_REDIRECT_URL) {
			*rc = adisc_err(RP_EFORMAT,
					"%s: Account/Action '%s' is not handled", origin,
					r->action_text);
			return STEP_DONE;
		}
		if (++*redirects > ADISC_MAX_REDIRECTS) {
			*rc = adisc_err(
			    RP_ELIMIT, "%s: more than %d Autodiscover redirects for '%s'",
			    origin, ADISC_MAX_REDIRECTS, orig);
			return STEP_DONE;
		}
		if (r->action == ADISC_ACTION_REDIRECT_ADDR) {
			const char *to = r->redirect_addr;
			bool foreign;
			if (rp_ascii_casecmp(to, res->address) == 0 ||
			    rp_ascii_casecmp(to, orig) == 0 ||
			    hop_seen(res, "addr", to)) {
				*rc =
				    adisc_err(RP_ELIMIT, "%s: redirectAddr loop at '%s'",
					      origin, to);
				return STEP_DONE;
			}
			if (!adisc_address_domain(to)) {
				*rc = adisc_err(
				    RP_EFORMAT,
				    "%s: Account/RedirectAddr '%s' is not an SMTP "
				    "address",
				    origin, to);
				return STEP_DONE;
			}
			if ((*rc = add_hop(res, "addr", to)) != RP_OK)
				return STEP_DONE;
			foreign =
			    rp_ascii_casecmp(adisc_address_domain(to),
					     adisc_address_domain(res->address)) != 0;
			free(res->address);
			if (!(res->address = rp_strdup(to))) {
				*rc = adisc_err(RP_ENOMEM, "out of memory");
				return STEP_DONE;
			}
			if (foreign && n->stop_foreign) {
				*rc = RP_OK; /* the caller reads the redirect itself */
				return STEP_DONE;
			}
			return STEP_RESTART;
		}
		/* redirectUrl: https only, never twice (MSDocs-EX error handling). */
		if (rp_ascii_ncasecmp(r->redirect_url, "https://", 8) != 0 ||
		    hop_seen(res, "url", r->redirect_url)) {
			*rc = adisc_err(RP_ELIMIT,
					"%s: redirectUrl '%s' is not https or loops",
					origin, r->redirect_url);
			return STEP_DONE;
		}
		if ((*rc = add_hop(res, "url", r->redirect_url)) != RP_OK)
			return STEP_DONE;
		if (!(url = rp_strdup(r->redirect_url))) {
			*rc = adisc_err(RP_ENOMEM, "out of memory");
			return STEP_DONE;
		}
	}
}

static int net_lookup(adisc_resolver *self, const char *address, adisc_result **out)
{
	struct net *n = (struct net *)self;
	adisc_result *res;
	rp_buf raw = RP_BUF_INIT;
	struct cand c[MAX_CANDS];
	size_t nc = 0, i, tried = 0;
	int rc = RP_ENET, worst = RP_ENET, redirects = 0;
	enum step st = STEP_NEXT_CAND;

	*out = NULL;
	n->last_bearer = false;
	if (!adisc_address_domain(address))
		return adisc_err(RP_EINVAL, "'%s' is not an SMTP address",
				 address ? address : "");
	if (addr_cached(n, address, out, &rc))
		return rc;
	if (!(res = calloc(1, sizeof(*res))) || !(res->address = rp_strdup(address))) {
		free(res);
		return adisc_err(RP_ENOMEM, "out of memory");
	}
	do {
		const char *domain = adisc_address_domain(res->address);
		if ((rc = build_cands(n, domain, c, &nc)) != RP_OK)
			break;
		st = STEP_NEXT_CAND;
		for (i = 0; i < nc && st == STEP_NEXT_CAND; i++) {
			char *url = NULL;
			struct xfer x;
			if (c[i].kind == CAND_POST) {
				url = rp_strdup(c[i].url);
			} else if (c[i].kind == CAND_GET_REDIRECT) {
				http_get_redirect(n, c[i].url, &url, &x);
				if (!url) {
					tried++;
					if (x.cc == CURLE_OK) {
						logf_(
						    n, "TraceW",
						    "Failed to get Autodiscover response "
						    "for "
						    "email '%s'. Autodiscover URL: '%s'.",
						    res->address, c[i].url);
						logf_(n, "TraceW",
						      "HTTP status code %ld received, no "
						      "redirect "
						      "to an https URL.",
						      x.status);
					} else {
						log_failure(n, res->address, c[i].url, &x,
							    RP_OK);
					}
					continue;
				}
			} else {
				char *host = NULL;
				if (adisc_srv_lookup(domain, &host) != RP_OK) {
					logf_(n, "TraceW", "%s", rp_error_msg());
					continue;
				}
				url = rp_asprintf(
				    "https://%s/autodiscover/autodiscover.xml", host);
				free(host);
			}
			if (!url) {
				rc = adisc_err(RP_ENOMEM, "out of memory");
				st = STEP_DONE;
				break;
			}
			tried++;
			st = follow(n, address, res, url, &redirects, &raw, &rc, &worst);
		}
		free_cands(c, nc);
		nc = 0;
	} while (st == STEP_RESTART);
	if (st == STEP_NEXT_CAND) /* every candidate failed */
		rc = adisc_err(worst,
			       "no Autodiscover response for '%s' (%zu URL%s tried)",
			       res->address, tried, tried == 1 ? "" : "s");
	if (rc && n->side)
		logf_(n, "Error",
		      "Cannot get an Autodiscover response on %s. See logged errors to "
		      "resolve "
		      "the issue. Profile will not be processed.",
		      n->side);
	addr_remember(n, address, rc, res->resp ? res : NULL, &raw);
	rp_buf_free(&raw);
	if (res->resp)
		*out = res;
	else
		adisc_result_free(res);
	return rc;
}

static void net_destroy(adisc_resolver *self)
{
	struct net *n = (struct net *)self;
	size_t i, k;
	for (i = 0; i < n->n_ac; i++) {
		struct addr_cache *e = &n->ac[i];
		free(e->address);
		free(e->msg);
		free(e->body);
		free(e->origin);
		free(e->final_address);
		for (k = 0; e->hops && k < e->n_hops; k++)
			free(e->hops[k]);
		free(e->hops);
	}
	free(n->ac);
	for (i = 0; i < n->n_dc; i++) {
		free(n->dc[i].domain);
		free(n->dc[i].url);
	}
	free(n->dc);
	for (i = 0; i < n->n_sc; i++) {
		for (k = 0; k < n->sc[i].n; k++)
			free(n->sc[i].urls[k]);
		free(n->sc[i].urls);
		free(n->sc[i].domain);
	}
	free(n->sc);
	if (n->curl)
		curl_easy_cleanup(n->curl);
	if (n->own_share)
		adisc_net_share_free(n->share);
	curl_slist_free_all(n->connect_to);
	free(n->manual_url);
	free(n->ca_file);
	free(n->user);
	if (n->password)
		memset(n->password, 0, strlen(n->password));
	free(n->password);
	if (n->bearer)
		memset(n->bearer, 0, strlen(n->bearer));
	free(n->bearer);
	free(n->side);
	free(n);
	curl_global_cleanup();
}

bool adisc_net_bearer_asked(const adisc_resolver *r)
{
	return r && r->destroy == net_destroy && ((const struct net *)r)->last_bearer;
}

static bool dup_opt(const char *s, char **dst)
{
	if (!s)
		return true;
	return (*dst = rp_strdup(s)) != NULL;
}

adisc_resolver *adisc_net_resolver_new(const adisc_net_opts *o)
{
	struct net *n;
	const char *const *ct;
	if (o->manual_url && rp_ascii_ncasecmp(o->manual_url, "https://", 8) != 0) {
		adisc_err(RP_EINVAL, "Autodiscover URL '%s' is not an https:// URL",
			  o->manual_url);
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		adisc_err(RP_ENET, "libcurl initialisation failed");
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		curl_global_cleanup();
		adisc_err(RP_ENOMEM, "out of memory");
		return NULL;
	}
	n->base.lookup = net_lookup;
	n->base.destroy = net_destroy;
	n->timeout_s = o->timeout_s > 0 ? o->timeout_s : 30;
	n->skip_srv = o->skip_srv;
	n->skip_http_redirect = o->skip_http_redirect;
	n->skip_root = o->skip_root;
	n->skip_autodiscover = o->skip_autodiscover;
	n->stop_foreign = o->stop_at_foreign_redirect;
	n->scp_urls = o->scp_urls;
	n->scp_ctx = o->scp_ctx;
	n->log = o->log;
	n->log_ctx = o->log_ctx;
	n->share = o->share;
	if (!n->share) {
		n->own_share = true;
		if (!(n->share = adisc_net_share_new()))
			goto fail;
	}
	if (!dup_opt(o->manual_url, &n->manual_url) ||
	    !dup_opt(o->ca_file, &n->ca_file) || !dup_opt(o->user, &n->user) ||
	    !dup_opt(o->password, &n->password) || !dup_opt(o->bearer, &n->bearer) ||
	    !dup_opt(o->side, &n->side) || !(n->curl = curl_easy_init()))
		goto fail;
	for (ct = o->connect_to; ct && *ct; ct++) {
		struct curl_slist *t = curl_slist_append(n->connect_to, *ct);
		if (!t)
			goto fail;
		n->connect_to = t;
	}
	return &n->base;
fail:
	net_destroy(&n->base);
	adisc_err(RP_ENOMEM, "out of memory");
	return NULL;
}
