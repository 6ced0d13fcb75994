/* mbx_http.c - MAPI over HTTP transport: the streamed response parser, the
 * X-ResponseCode texts and the libcurl session context. */
#include "mailbox/mbx_http.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "discover/adisc_http.h"

#include <curl/curl.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- X-ResponseCode texts (HTTP15 2.2.3.3.3) ---- */

static const char *const rc_text[] = {
    "success",
    "unknown failure",
    "invalid verb (the server accepts only POST)",
    "invalid path",
    "invalid header",
    "invalid X-RequestType",
    "invalid session context cookie",
    "missing header",
    "anonymous access not allowed",
    "request too large",
    "session context not found: it expired, or the mailbox moved",
    "not authorized for this session context",
    "invalid request body",
    "missing session context cookie",
    "reserved code",
    "invalid request sequence (more than one request at a time in a context)",
    "endpoint disabled on the server",
    "invalid response",
    "endpoint shutting down",
};

const char *mbx_response_code_text(uint32_t code)
{
	if (code < sizeof(rc_text) / sizeof(rc_text[0]))
		return rc_text[code];
	return "unknown code";
}

/* ---- the streamed response ---- */

static bool starts(const uint8_t *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && memcmp(p, lit, l) == 0;
}

/* A meta-tag with its CRLF, or (gromox) without. Returns bytes used. */
static size_t meta(const uint8_t *p, size_t n, const char *tag)
{
	size_t l = strlen(tag);
	if (!starts(p, n, tag))
		return 0;
	return starts(p + l, n - l, "\r\n") ? l + 2 : l;
}

static int dec_u32(const char *v, size_t n, uint32_t *out)
{
	uint64_t x = 0;
	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	if (x > UINT32_MAX)
		return -1;
	*out = (uint32_t)x;
	return 0;
}

int mbx_http_parse_stream(const uint8_t *p, size_t len, mbx_http_frame *f)
{
	size_t off = 0, k;
	memset(f, 0, sizeof(*f));
	for (;;) {
		if ((k = meta(p + off, len - off, "PROCESSING")) != 0) {
			off += k;
		} else if ((k = meta(p + off, len - off, "PENDING")) != 0) {
			off += k;
			f->pending++;
		} else if (starts(p + off, len - off, "DONE\r\n")) {
			off += 6;
			break;
		} else if (off == len) {
			return rp_error_set(
			    RP_EFORMAT,
			    "MAPI/HTTP response: ends at offset %zu before "
			    "DONE",
			    off);
		} else {
			return rp_error_set(
			    RP_EFORMAT,
			    "MAPI/HTTP response: unknown meta-tag at offset "
			    "%zu",
			    off);
		}
	}
	for (;;) {
		const uint8_t *eol = NULL;
		for (size_t i = off; i + 1 < len; i++)
			if (p[i] == '\r' && p[i + 1] == '\n') {
				eol = p + i;
				break;
			}
		if (!eol)
			return rp_error_set(
			    RP_EFORMAT,
			    "MAPI/HTTP response: header at offset %zu has no "
			    "end of line",
			    off);
		size_t ll = (size_t)(eol - (p + off));
		const char *line = (const char *)p + off;
		size_t at = off;
		off += ll + 2;
		if (ll == 0)
			break;
		const char *colon = memchr(line, ':', ll);
		if (!colon)
			return rp_error_set(
			    RP_EFORMAT,
			    "MAPI/HTTP response: header at offset %zu has no "
			    "colon",
			    at);
		size_t nl = (size_t)(colon - line);
		const char *v = colon + 1;
		size_t vl = ll - nl - 1;
		while (vl && (*v == ' ' || *v == '\t'))
			v++, vl--;
		while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			vl--;
		if (nl == 14 && rp_ascii_ncasecmp(line, "X-ResponseCode", nl) == 0) {
			if (dec_u32(v, vl, &f->response_code))
				return rp_error_set(
				    RP_EFORMAT,
				    "MAPI/HTTP response: X-ResponseCode at "
				    "offset %zu is not a number",
				    at);
			f->has_code = true;
		} else if (nl == 13 &&
			   rp_ascii_ncasecmp(line, "X-ElapsedTime", nl) == 0) {
			if (dec_u32(v, vl, &f->elapsed_ms))
				return rp_error_set(
				    RP_EFORMAT,
				    "MAPI/HTTP response: X-ElapsedTime at "
				    "offset %zu is not a number",
				    at);
			f->has_elapsed = true;
		} else if (nl == 11 && rp_ascii_ncasecmp(line, "X-StartTime", nl) == 0) {
			size_t c = vl < sizeof(f->start_time) - 1
				       ? vl
				       : sizeof(f->start_time) - 1;
			memcpy(f->start_time, v, c);
			f->start_time[c] = '\0';
		}
		/* Other additional headers carry nothing we use (HTTP15 2.2.7). */
	}
	f->body = p + off;
	f->body_len = len - off;
	return RP_OK;
}

/* ---- the session context ---- */

#define MAX_TYPES 24

struct type_count {
	char name[24];
	unsigned long n;
};

struct mbx_http {
	CURL *curl;
	char *url, *ca_file, *user, *password, *bearer, *client_app;
	char **connect_to;
	struct curl_slist *connect_list;
	char client_info[40]; /* "{GUID}" of the client instance */
	char context[40];     /* "{GUID}" of the current session context */
	unsigned long seq;    /* X-RequestId counter within the context */
	unsigned long requests;
	struct type_count types[MAX_TYPES];
	long timeout_s;
	mbx_log_fn log;
	void *log_ctx;
};

static void logf_(mbx_http *h, const char *level, const char *fmt, ...) RP_PRINTF(3, 4);
static void logf_(mbx_http *h, const char *level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	if (!h->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	h->log(h->log_ctx, level, line);
}

/* Identifiers, not secrets: unique per process and run is what HTTP15
 * 2.2.3.3.2 asks (a context GUID differs from every other context's). */
static void new_guid(char out[40])
{
	static uint64_t counter;
	uint64_t s = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull ^ (uint64_t)clock() ^
		     (uint64_t)(uintptr_t)out ^ ++counter * 0xBF58476D1CE4E5B9ull;
	uint8_t g[16];
	for (int i = 0; i < 16; i++) {
		s += 0x9E3779B97F4A7C15ull; /* splitmix64 */
		uint64_t z = s;
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
		g[i] = (uint8_t)(z ^ (z >> 31));
	}
	g[6] = (uint8_t)((g[6] & 0x0F) | 0x40); /* version 4 */
	g[8] = (uint8_t)((g[8] & 0x3F) | 0x80);
	snprintf(out, 40,
		 "{%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
		 g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11],
		 g[12], g[13], g[14], g[15]);
}

static bool dup_opt(const char *s, char **dst)
{
	*dst = NULL;
	return !s || (*dst = rp_strdup(s)) != NULL;
}

void mbx_http_free(mbx_http *h)
{
	if (!h)
		return;
	if (h->curl)
		curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->connect_list);
	free(h->url);
	free(h->ca_file);
	free(h->user);
	if (h->password) {
		/* Do not leave the password in freed memory. */
		volatile char *p = h->password;
		while (*p)
			*p++ = 0;
	}
	free(h->password);
	free(h->bearer);
	free(h->client_app);
	free(h);
}

int mbx_http_new(const mbx_http_opts *o, mbx_http **out)
{
	mbx_http *h;
	*out = NULL;
	if (!o->url || rp_ascii_ncasecmp(o->url, "https://", 8) != 0)
		return rp_error_set(RP_EINVAL, "MAPI/HTTP URL '%s' is not https://",
				    o->url ? o->url : "");
	h = calloc(1, sizeof(*h));
	if (!h)
		return rp_error_set(RP_ENOMEM, "out of memory");
	if (!dup_opt(o->url, &h->url) || !dup_opt(o->ca_file, &h->ca_file) ||
	    !dup_opt(o->user, &h->user) || !dup_opt(o->password, &h->password) ||
	    !dup_opt(o->bearer, &h->bearer) ||
	    !dup_opt(o->client_app ? o->client_app : MBX_HTTP_CLIENT_APP, &h->client_app))
		goto nomem;
	for (const char *const *c = o->connect_to; c && *c; c++) {
		struct curl_slist *t = curl_slist_append(h->connect_list, *c);
		if (!t)
			goto nomem;
		h->connect_list = t;
	}
	if (o->client_info)
		snprintf(h->client_info, sizeof(h->client_info), "%s", o->client_info);
	else
		new_guid(h->client_info);
	new_guid(h->context);
	h->timeout_s = o->timeout_s > 0 ? o->timeout_s : 60;
	h->log = o->log;
	h->log_ctx = o->log_ctx;
	h->curl = curl_easy_init();
	if (!h->curl)
		goto nomem;
	/* Options that hold for every request of the context. The cookie
	 * engine is this handle's own: cookies never cross contexts. */
	CURL *c = h->curl;
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_URL, h->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_TIMEOUT, h->timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
			 h->timeout_s < 10 ? h->timeout_s : 10L);
	curl_easy_setopt(c, CURLOPT_COOKIEFILE, "");
	/* HTTP15 2.2.2.2: a 302 is the server's redirect; not followed blindly
	 * with credentials. */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	adisc_curl_tls(c, h->ca_file);
	adisc_curl_auth(c, h->user, h->password, h->bearer, 0);
	if (h->connect_list)
		curl_easy_setopt(c, CURLOPT_CONNECT_TO, h->connect_list);
	*out = h;
	return RP_OK;
nomem:
	mbx_http_free(h);
	return rp_error_set(RP_ENOMEM, "out of memory");
}

void mbx_http_reset(mbx_http *h)
{
	curl_easy_setopt(h->curl, CURLOPT_COOKIELIST, "ALL");
	new_guid(h->context);
	h->seq = 0;
}

unsigned long mbx_http_requests(const mbx_http *h)
{
	return h->requests;
}

unsigned long mbx_http_requests_of(const mbx_http *h, const char *type)
{
	for (size_t i = 0; i < MAX_TYPES && h->types[i].name[0]; i++)
		if (rp_ascii_casecmp(h->types[i].name, type) == 0)
			return h->types[i].n;
	return 0;
}

const char *mbx_http_url(const mbx_http *h)
{
	return h->url;
}

static void count(mbx_http *h, const char *type)
{
	h->requests++;
	for (size_t i = 0; i < MAX_TYPES; i++) {
		if (!h->types[i].name[0])
			snprintf(h->types[i].name, sizeof(h->types[i].name), "%s", type);
		if (rp_ascii_casecmp(h->types[i].name, type) == 0) {
			h->types[i].n++;
			return;
		}
	}
}

void mbx_http_resp_free(mbx_http_resp *r)
{
	rp_buf_free(&r->body);
}

struct sink {
	rp_buf buf;
	bool over;
	/* From the outer headers. */
	bool has_code;
	uint32_t code;
	uint32_t expiration;
	char auth[128]; /* WWW-Authenticate schemes offered */
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;
	if (s->buf.len + n > MBX_HTTP_MAX_RESPONSE) {
		s->over = true;
		return 0;
	}
	return rp_buf_append(&s->buf, p, n) == RP_OK ? n : 0;
}

static bool hdr_is(const char *p, size_t n, const char *name, const char **v, size_t *vl)
{
	size_t l = strlen(name);
	if (n <= l || p[l] != ':' || rp_ascii_ncasecmp(p, name, l) != 0)
		return false;
	*v = p + l + 1;
	*vl = n - l - 1;
	while (*vl && (**v == ' ' || **v == '\t'))
		(*v)++, (*vl)--;
	while (*vl &&
	       ((*v)[*vl - 1] == '\r' || (*v)[*vl - 1] == '\n' || (*v)[*vl - 1] == ' '))
		(*vl)--;
	return true;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;
	const char *v;
	size_t vl;
	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		/* A new response (after a 401 round of NTLM/Negotiate). */
		s->has_code = false;
		s->auth[0] = '\0';
	} else if (hdr_is(p, n, "X-ResponseCode", &v, &vl)) {
		/* A value that is not a number is still a failure. */
		if (dec_u32(v, vl, &s->code))
			s->code = UINT32_MAX;
		s->has_code = true;
	} else if (hdr_is(p, n, "X-ExpirationInfo", &v, &vl)) {
		if (dec_u32(v, vl, &s->expiration))
			s->expiration = 0;
	} else if (hdr_is(p, n, "WWW-Authenticate", &v, &vl)) {
		size_t sl = strcspn(v, " \r\n");
		size_t used = strlen(s->auth);
		if (sl > vl)
			sl = vl;
		if (used + sl + 3 < sizeof(s->auth))
			snprintf(s->auth + used, sizeof(s->auth) - used, "%s%.*s",
				 used ? ", " : "", (int)sl, v);
	}
	return n;
}

/* First line of a server's diagnostic text (inside <body> when there is
 * one), tags dropped, at most 160 bytes. */
static void first_line(const rp_buf *b, char *out, size_t cap)
{
	size_t o = 0, i = 0;
	bool tag = false;
	for (size_t k = 0; k + 5 <= b->len; k++)
		if (rp_ascii_ncasecmp((const char *)b->data + k, "<body", 5) == 0) {
			i = k;
			break;
		}
	for (; i < b->len && o + 1 < cap && o < 160; i++) {
		char ch = (char)b->data[i];
		if (ch == '<')
			tag = true;
		else if (ch == '>')
			tag = false;
		else if (!tag && (ch == '\n' || ch == '\r') && o)
			break;
		else if (!tag && (unsigned char)ch >= 0x20 && ch != 0x7F)
			out[o++] = ch;
	}
	out[o] = '\0';
}

int mbx_http_call(mbx_http *h, const char *type, const void *body, size_t len,
		  mbx_http_resp *resp)
{
	struct sink s;
	struct curl_slist *hl = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	char hdr[4][160];
	int rc = RP_OK;

	memset(resp, 0, sizeof(*resp));
	memset(&s, 0, sizeof(s));
	h->seq++;
	snprintf(hdr[0], sizeof(hdr[0]), "X-RequestType: %s", type);
	snprintf(hdr[1], sizeof(hdr[1]), "X-RequestId: %s:%lu", h->context, h->seq);
	/* One client instance, one context at a time: counter 1 (HTTP15
	 * 2.2.3.3.4 allows the same n on re-establishing). */
	snprintf(hdr[2], sizeof(hdr[2]), "X-ClientInfo: %s:1", h->client_info);
	snprintf(hdr[3], sizeof(hdr[3]), "X-ClientApplication: %s", h->client_app);
	const char *fixed[] = {"Content-Type: application/mapi-http",
			       "Accept: application/mapi-http",
			       "Expect:", /* no 100-continue round trip */
			       hdr[0],
			       hdr[1],
			       hdr[2],
			       hdr[3]};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		struct curl_slist *t = curl_slist_append(hl, fixed[i]);
		if (!t) {
			curl_slist_free_all(hl);
			return rp_error_set(RP_ENOMEM, "out of memory");
		}
		hl = t;
	}
	CURL *c = h->curl;
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? (const char *)body : "");
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
	CURLcode cc = curl_easy_perform(c);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hl);
	count(h, type);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	resp->expiration_ms = s.expiration;
	resp->response_code = s.has_code ? s.code : 0;
	logf_(h, "TraceW", "MAPI/HTTP request %lu: %s %s:%lu -> HTTP %ld, %zu bytes",
	      h->requests, type, h->context, h->seq, resp->status, s.buf.len);

	if (s.over) {
		rc = rp_error_set(RP_ELIMIT, "MAPI/HTTP %s to %s: response over %d bytes",
				  type, h->url, MBX_HTTP_MAX_RESPONSE);
	} else if (cc != CURLE_OK) {
		rc = rp_error_set(RP_ENET, "MAPI/HTTP %s to %s: %s%s%s", type, h->url,
				  curl_easy_strerror(cc), errbuf[0] ? ": " : "", errbuf);
	} else if (resp->status == 401 || resp->status == 403) {
		rc = rp_error_set(RP_EAUTH,
				  "MAPI/HTTP %s to %s: HTTP %ld, the server refused the "
				  "credentials%s%s%s",
				  type, h->url, resp->status,
				  s.auth[0] ? " (it offers " : "", s.auth,
				  s.auth[0] ? ")" : "");
	} else if (resp->status != 200) {
		rc = rp_error_set(RP_ENET, "MAPI/HTTP %s to %s: HTTP status %ld", type,
				  h->url, resp->status);
	} else if (s.has_code && s.code != 0) {
		char text[200];
		first_line(&s.buf, text, sizeof(text));
		rc = rp_error_set(RP_ENET,
				  "MAPI/HTTP %s to %s: X-ResponseCode %u (%s)%s%s", type,
				  h->url, s.code, mbx_response_code_text(s.code),
				  text[0] ? ": " : "", text);
	} else {
		mbx_http_frame f;
		rc = mbx_http_parse_stream(s.buf.data ? s.buf.data : (const uint8_t *)"",
					   s.buf.len, &f);
		if (rc) {
			rp_error_wrap(rc, "MAPI/HTTP %s to %s", type, h->url);
		} else if (f.has_code && f.response_code != 0) {
			resp->response_code = f.response_code;
			rc = rp_error_set(RP_ENET,
					  "MAPI/HTTP %s to %s: X-ResponseCode %u (%s)",
					  type, h->url, f.response_code,
					  mbx_response_code_text(f.response_code));
		} else {
			resp->response_code = 0;
			rc = rp_buf_append(&resp->body, f.body, f.body_len);
			logf_(h, "TraceW",
			      "MAPI/HTTP request %lu: %u PENDING, elapsed %u, body %zu "
			      "bytes",
			      h->requests, f.pending, f.elapsed_ms, f.body_len);
		}
	}
	rp_buf_free(&s.buf);
	return rc;
}
