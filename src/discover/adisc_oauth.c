/* adisc_oauth.c - the device-code flow (adisc_oauth.h) and a small bounded
 * JSON reader for its replies: one object, only the members we use kept. */
#include "discover/adisc_oauth.h"
#include "discover/adisc_int.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "platform/plat.h"

#include <curl/curl.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef RP_VERSION
#define RP_VERSION "0"
#endif

#define MAX_DEPTH 32

/* ---- JSON ---- */

struct js {
	const uint8_t *p;
	size_t n, i;
};

static int js_err(const struct js *j, const char *what)
{
	return rp_error_set(RP_EFORMAT, "OAuth reply: %s at byte %zu", what, j->i);
}

static void js_ws(struct js *j)
{
	while (j->i < j->n && (j->p[j->i] == ' ' || j->p[j->i] == '\t' ||
			       j->p[j->i] == '\n' || j->p[j->i] == '\r'))
		j->i++;
}

static int hex4(struct js *j, uint32_t *v)
{
	size_t k;
	*v = 0;
	if (j->n - j->i < 4)
		return js_err(j, "short \\u escape");
	for (k = 0; k < 4; k++) {
		uint8_t c = j->p[j->i++];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*v |= (uint32_t)((c | 0x20) - 'a' + 10);
		else
			return js_err(j, "bad \\u escape");
	}
	return RP_OK;
}

static int put_utf8(rp_buf *b, uint32_t cp)
{
	uint8_t u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (uint8_t)(0xC0 | (cp >> 6));
		u[1] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (uint8_t)(0xE0 | (cp >> 12));
		u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (uint8_t)(0xF0 | (cp >> 18));
		u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return rp_buf_append(b, u, n);
}

/* A string at j->i (the opening quote). With out, its decoded UTF-8 text
 * (NUL-terminated; a \u0000 is refused) is stored there. */
static int js_string(struct js *j, char **out)
{
	rp_buf b = RP_BUF_INIT;
	int rc = RP_OK;
	if (out)
		*out = NULL;
	if (j->i >= j->n || j->p[j->i] != '"')
		return js_err(j, "expected a string");
	j->i++;
	for (;;) {
		uint8_t c;
		if (j->i >= j->n) {
			rc = js_err(j, "unterminated string");
			break;
		}
		c = j->p[j->i++];
		if (c == '"')
			break;
		if (c < 0x20) {
			rc = js_err(j, "control character in a string");
			break;
		}
		if (b.len >= ADISC_OAUTH_MAX_STRING) {
			rc = rp_error_set(RP_ELIMIT,
					  "OAuth reply: a string is over %d bytes",
					  ADISC_OAUTH_MAX_STRING);
			break;
		}
		if (c != '\\') {
			rc = out ? rp_buf_u8(&b, c) : RP_OK;
		} else {
			uint32_t cp, lo;
			if (j->i >= j->n) {
				rc = js_err(j, "unterminated escape");
				break;
			}
			c = j->p[j->i++];
			switch (c) {
			case '"':
			case '\\':
			case '/':
				cp = c;
				break;
			case 'b':
				cp = '\b';
				break;
			case 'f':
				cp = '\f';
				break;
			case 'n':
				cp = '\n';
				break;
			case 'r':
				cp = '\r';
				break;
			case 't':
				cp = '\t';
				break;
			case 'u':
				if ((rc = hex4(j, &cp)) != RP_OK)
					break;
				if (cp >= 0xD800 && cp < 0xDC00) {
					if (j->n - j->i < 2 || j->p[j->i] != '\\' ||
					    j->p[j->i + 1] != 'u') {
						rc = js_err(j, "lone surrogate");
						break;
					}
					j->i += 2;
					if ((rc = hex4(j, &lo)) != RP_OK)
						break;
					if (lo < 0xDC00 || lo > 0xDFFF) {
						rc = js_err(j, "bad surrogate pair");
						break;
					}
					cp = 0x10000 + ((cp - 0xD800) << 10) +
					     (lo - 0xDC00);
				} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
					rc = js_err(j, "lone surrogate");
				} else if (cp == 0) {
					rc = js_err(j, "\\u0000 in a string");
				}
				break;
			default:
				rc = js_err(j, "bad escape");
				break;
			}
			if (rc == RP_OK && out)
				rc = put_utf8(&b, cp);
		}
		if (rc)
			break;
	}
	if (rc == RP_OK && out) {
		rc = rp_buf_u8(&b, 0);
		if (rc == RP_OK) {
			*out = (char *)rp_buf_steal(&b, NULL);
			return RP_OK;
		}
	}
	rp_buf_free(&b);
	return rc;
}

/* A number; *v is its value when it is a non-negative integer that fits,
 * else -1 (the members we read are small counts of seconds). */
static int js_number(struct js *j, long *v)
{
	size_t s = j->i;
	long acc = 0;
	bool integer = true, digits = false;
	if (j->i < j->n && j->p[j->i] == '-') {
		j->i++;
		integer = false;
	}
	while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9') {
		digits = true;
		if (acc > (0x7fffffffL - 9) / 10)
			integer = false;
		else
			acc = acc * 10 + (j->p[j->i] - '0');
		j->i++;
	}
	if (!digits)
		return js_err(j, "bad number");
	if (j->i < j->n && j->p[j->i] == '.') {
		integer = false;
		j->i++;
		if (j->i >= j->n || j->p[j->i] < '0' || j->p[j->i] > '9')
			return js_err(j, "bad number");
		while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
			j->i++;
	}
	if (j->i < j->n && (j->p[j->i] == 'e' || j->p[j->i] == 'E')) {
		integer = false;
		j->i++;
		if (j->i < j->n && (j->p[j->i] == '+' || j->p[j->i] == '-'))
			j->i++;
		if (j->i >= j->n || j->p[j->i] < '0' || j->p[j->i] > '9')
			return js_err(j, "bad number");
		while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
			j->i++;
	}
	(void)s;
	if (v)
		*v = integer ? acc : -1;
	return RP_OK;
}

static int js_word(struct js *j, const char *w)
{
	size_t n = strlen(w);
	if (j->n - j->i < n || memcmp(j->p + j->i, w, n) != 0)
		return js_err(j, "unexpected character");
	j->i += n;
	return RP_OK;
}

static int js_skip(struct js *j, int depth);

/* Skips an object or array body after its opening bracket. */
static int js_skip_container(struct js *j, int depth, bool object)
{
	uint8_t close = object ? '}' : ']';
	int rc;
	if (depth > MAX_DEPTH)
		return js_err(j, "nested too deeply");
	js_ws(j);
	if (j->i < j->n && j->p[j->i] == close) {
		j->i++;
		return RP_OK;
	}
	for (;;) {
		js_ws(j);
		if (object) {
			if ((rc = js_string(j, NULL)) != RP_OK)
				return rc;
			js_ws(j);
			if (j->i >= j->n || j->p[j->i] != ':')
				return js_err(j, "expected ':'");
			j->i++;
			js_ws(j);
		}
		if ((rc = js_skip(j, depth + 1)) != RP_OK)
			return rc;
		js_ws(j);
		if (j->i >= j->n)
			return js_err(j, "unterminated container");
		if (j->p[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->p[j->i] == close) {
			j->i++;
			return RP_OK;
		}
		return js_err(j, "expected ',' or a closing bracket");
	}
}

static int js_skip(struct js *j, int depth)
{
	if (j->i >= j->n)
		return js_err(j, "expected a value");
	switch (j->p[j->i]) {
	case '"':
		return js_string(j, NULL);
	case '{':
	case '[': {
		bool obj = j->p[j->i] == '{';
		j->i++;
		return js_skip_container(j, depth, obj);
	}
	case 't':
		return js_word(j, "true");
	case 'f':
		return js_word(j, "false");
	case 'n':
		return js_word(j, "null");
	default:
		return js_number(j, NULL);
	}
}

void adisc_oauth_reply_free(adisc_oauth_reply *r)
{
	if (!r)
		return;
	free(r->device_code);
	free(r->user_code);
	free(r->verification_uri);
	free(r->message);
	if (r->access_token) {
		memset(r->access_token, 0, strlen(r->access_token));
		free(r->access_token);
	}
	free(r->token_type);
	free(r->error);
	free(r->error_description);
	memset(r, 0, sizeof(*r));
	r->expires_in = r->interval = -1;
}

/* The string member slot for a key, or NULL. */
static char **str_slot(adisc_oauth_reply *r, const char *key)
{
	static const struct {
		const char *key;
		size_t off;
	} map[] = {
	    {"device_code", offsetof(adisc_oauth_reply, device_code)},
	    {"user_code", offsetof(adisc_oauth_reply, user_code)},
	    {"verification_uri", offsetof(adisc_oauth_reply, verification_uri)},
	    {"verification_url", offsetof(adisc_oauth_reply, verification_uri)},
	    {"message", offsetof(adisc_oauth_reply, message)},
	    {"access_token", offsetof(adisc_oauth_reply, access_token)},
	    {"token_type", offsetof(adisc_oauth_reply, token_type)},
	    {"error", offsetof(adisc_oauth_reply, error)},
	    {"error_description", offsetof(adisc_oauth_reply, error_description)},
	};
	size_t i;
	for (i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strcmp(map[i].key, key) == 0)
			return (char **)((char *)r + map[i].off);
	return NULL;
}

static int member(struct js *j, adisc_oauth_reply *r, const char *key)
{
	char **slot = str_slot(r, key);
	long *num = strcmp(key, "expires_in") == 0 ? &r->expires_in
		    : strcmp(key, "interval") == 0 ? &r->interval
						   : NULL;
	int rc;
	if (slot && j->i < j->n && j->p[j->i] == '"') {
		char *s;
		if ((rc = js_string(j, &s)) != RP_OK)
			return rc;
		free(*slot);
		*slot = s;
		return RP_OK;
	}
	if (num && j->i < j->n && j->p[j->i] == '"') {
		/* The v1 endpoints send numbers as strings ("900"). */
		char *s, *e;
		long v;
		if ((rc = js_string(j, &s)) != RP_OK)
			return rc;
		v = strtol(s, &e, 10);
		*num = (*s && !*e && v >= 0 && v < 0x7fffffffL && s[0] != '-' &&
			s[0] != '+' && s[0] != ' ')
			   ? v
			   : -1;
		free(s);
		return RP_OK;
	}
	if (num && j->i < j->n &&
	    (j->p[j->i] == '-' || (j->p[j->i] >= '0' && j->p[j->i] <= '9')))
		return js_number(j, num);
	return js_skip(j, 1);
}

int adisc_oauth_parse(const void *data, size_t len, adisc_oauth_reply *out)
{
	struct js j = {data, len, 0};
	int rc = RP_OK;
	memset(out, 0, sizeof(*out));
	out->expires_in = out->interval = -1;
	if (len > ADISC_OAUTH_MAX_REPLY)
		return rp_error_set(RP_ELIMIT, "OAuth reply is over %d bytes",
				    ADISC_OAUTH_MAX_REPLY);
	js_ws(&j);
	if (j.i >= j.n || j.p[j.i] != '{')
		return js_err(&j, "expected a JSON object");
	j.i++;
	js_ws(&j);
	if (j.i < j.n && j.p[j.i] == '}') {
		j.i++;
	} else {
		for (;;) {
			char *key = NULL;
			js_ws(&j);
			if ((rc = js_string(&j, &key)) != RP_OK)
				break;
			js_ws(&j);
			if (j.i >= j.n || j.p[j.i] != ':') {
				free(key);
				rc = js_err(&j, "expected ':'");
				break;
			}
			j.i++;
			js_ws(&j);
			rc = member(&j, out, key);
			free(key);
			if (rc)
				break;
			js_ws(&j);
			if (j.i < j.n && j.p[j.i] == ',') {
				j.i++;
				continue;
			}
			if (j.i < j.n && j.p[j.i] == '}') {
				j.i++;
				break;
			}
			rc = js_err(&j, "expected ',' or '}'");
			break;
		}
	}
	if (rc == RP_OK) {
		js_ws(&j);
		if (j.i != j.n)
			rc = js_err(&j, "text after the object");
	}
	if (rc)
		adisc_oauth_reply_free(out);
	return rc;
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
	if (s->buf.len + n > ADISC_OAUTH_MAX_REPLY) {
		s->over = true;
		return 0;
	}
	return rp_buf_append(&s->buf, p, n) == RP_OK ? n : 0;
}

struct flow {
	const adisc_oauth_opts *o;
	CURL *curl;
	struct curl_slist *connect_to;
	char *devicecode_url, *token_url;
};

static void logf_(const struct flow *f, const char *level, const char *fmt, ...)
    RP_PRINTF(3, 4);
static void logf_(const struct flow *f, const char *level, const char *fmt, ...)
{
	char msg[1024], *p;
	va_list ap;
	if (!f->o->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	f->o->log(f->o->log_ctx, level, msg);
}

/* application/x-www-form-urlencoded body of name/value pairs (NULL-ended). */
static char *form(CURL *c, const char *const *kv)
{
	rp_buf b = RP_BUF_INIT;
	size_t i;
	for (i = 0; kv[i]; i += 2) {
		char *v = curl_easy_escape(c, kv[i + 1], 0);
		int rc =
		    v ? rp_buf_printf(&b, "%s%s=%s", i ? "&" : "", kv[i], v) : RP_ENOMEM;
		curl_free(v);
		if (rc) {
			rp_buf_free(&b);
			return NULL;
		}
	}
	if (rp_buf_u8(&b, 0)) {
		rp_buf_free(&b);
		return NULL;
	}
	return (char *)rp_buf_steal(&b, NULL);
}

/* POSTs a form; on RP_OK *status and *r are set (r parsed from the body,
 * whatever the status: errors come as JSON with 400). */
static int post(struct flow *f, const char *url, const char *body, long *status,
		adisc_oauth_reply *r)
{
	struct sink s = {RP_BUF_INIT, false};
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
	CURLcode cc;
	int rc;
	long t = f->o->timeout_s > 0 ? f->o->timeout_s : 30;
	memset(r, 0, sizeof(*r));
	r->expires_in = r->interval = -1;
	if (!h)
		return rp_error_set(RP_ENOMEM, "out of memory");
	curl_easy_reset(f->curl);
	curl_easy_setopt(f->curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(f->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(f->curl, CURLOPT_TIMEOUT, t);
	curl_easy_setopt(f->curl, CURLOPT_CONNECTTIMEOUT, t < 10 ? t : 10L);
	curl_easy_setopt(f->curl, CURLOPT_USERAGENT, "reprofile/" RP_VERSION);
	curl_easy_setopt(f->curl, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(f->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(f->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (f->o->ca_file)
		curl_easy_setopt(f->curl, CURLOPT_CAINFO, f->o->ca_file);
	if (f->connect_to)
		curl_easy_setopt(f->curl, CURLOPT_CONNECT_TO, f->connect_to);
	curl_easy_setopt(f->curl, CURLOPT_URL, url);
	curl_easy_setopt(f->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(f->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, &s);
	cc = curl_easy_perform(f->curl);
	curl_slist_free_all(h);
	*status = 0;
	curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, status);
	if (cc != CURLE_OK) {
		rc = s.over
			 ? rp_error_set(RP_ELIMIT, "%s: reply over %d bytes", url,
					ADISC_OAUTH_MAX_REPLY)
			 : adisc_err(RP_ENET, "%s: libcurl result %d: %s", url, (int)cc,
				     errbuf[0] ? errbuf : curl_easy_strerror(cc));
	} else {
		rc = adisc_oauth_parse(s.buf.data, s.buf.len, r);
		if (rc && *status != 200)
			rc = rp_error_set(RP_ENET, "%s: HTTP status code %ld received",
					  url, *status);
		else if (rc)
			rp_error_wrap(rc, "%s", url);
	}
	rp_buf_free(&s.buf);
	return rc;
}

/* The OAuth error of a reply as one message, RP_EAUTH. */
static int oauth_refused(const char *url, const adisc_oauth_reply *r)
{
	return adisc_err(RP_EAUTH, "%s: %s%s%s", url, r->error,
			 r->error_description ? ": " : "",
			 r->error_description ? r->error_description : "");
}

static char *trim_slash(const char *s)
{
	size_t n = strlen(s);
	while (n && s[n - 1] == '/')
		n--;
	return rp_strndup(s, n);
}

static int run_flow(struct flow *f, char **token)
{
	const adisc_oauth_opts *o = f->o;
	const char *client = o->client_id ? o->client_id : ADISC_OAUTH_CLIENT_ID_OUTLOOK;
	char *res = trim_slash(o->resource), *scope = NULL, *body = NULL;
	adisc_oauth_reply dc, tr;
	long status, interval, waited = 0, limit;
	int rc;

	memset(&dc, 0, sizeof(dc));
	if (!res || !(scope = rp_asprintf("%s/.default offline_access", res))) {
		free(res);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	free(res);
	{
		const char *kv[] = {"client_id", client, "scope", scope, NULL};
		body = form(f->curl, kv);
	}
	free(scope);
	if (!body)
		return rp_error_set(RP_ENOMEM, "out of memory");
	rc = post(f, f->devicecode_url, body, &status, &dc);
	free(body);
	if (rc)
		return rc;
	if (dc.error) {
		rc = oauth_refused(f->devicecode_url, &dc);
		adisc_oauth_reply_free(&dc);
		return rc;
	}
	if (status != 200 || !dc.device_code || !dc.user_code || !dc.verification_uri) {
		adisc_oauth_reply_free(&dc);
		return rp_error_set(
		    status == 200 ? RP_EFORMAT : RP_ENET, "%s: %s", f->devicecode_url,
		    status == 200 ? "reply lacks device_code, user_code or "
				    "verification_uri"
				  : "unexpected HTTP status");
	}
	interval = dc.interval > 0 ? dc.interval : 5;
	limit = dc.expires_in > 0 ? dc.expires_in : 900;
	if (o->max_wait_s > 0 && o->max_wait_s < limit)
		limit = o->max_wait_s;
	o->show(o->show_ctx, dc.verification_uri, dc.user_code, dc.message);
	{
		const char *kv[] = {
		    "grant_type",  "urn:ietf:params:oauth:grant-type:device_code",
		    "client_id",   client,
		    "device_code", dc.device_code,
		    NULL};
		body = form(f->curl, kv);
	}
	adisc_oauth_reply_free(&dc);
	if (!body)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (;;) {
		if (waited + interval > limit) {
			rc =
			    rp_error_set(RP_EAUTH,
					 "%s: the sign-in code expired after %ld seconds "
					 "before it was used",
					 f->token_url, limit);
			break;
		}
		plat_sleep_ms((unsigned long)interval * 1000UL);
		waited += interval;
		rc = post(f, f->token_url, body, &status, &tr);
		if (rc)
			break;
		if (status == 200 && tr.access_token && !tr.error) {
			if (tr.token_type &&
			    rp_ascii_casecmp(tr.token_type, "Bearer") != 0) {
				rc = adisc_err(RP_EAUTH,
					       "%s: token_type '%s' is not Bearer",
					       f->token_url, tr.token_type);
			} else {
				*token = tr.access_token;
				tr.access_token = NULL;
			}
			adisc_oauth_reply_free(&tr);
			break;
		}
		if (tr.error && strcmp(tr.error, "authorization_pending") == 0) {
			adisc_oauth_reply_free(&tr);
			continue;
		}
		if (tr.error && strcmp(tr.error, "slow_down") == 0) {
			interval += 5; /* RFC 8628 3.5 */
			logf_(f, "TraceW", "%s: slow_down; polling every %ld seconds",
			      f->token_url, interval);
			adisc_oauth_reply_free(&tr);
			continue;
		}
		if (tr.error && strcmp(tr.error, "expired_token") == 0)
			rc = rp_error_set(
			    RP_EAUTH,
			    "%s: the sign-in code expired before it was used "
			    "(expired_token)",
			    f->token_url);
		else if (tr.error)
			rc = oauth_refused(f->token_url, &tr);
		else
			rc = rp_error_set(
			    RP_EFORMAT,
			    "%s: HTTP status code %ld without an access token",
			    f->token_url, status);
		adisc_oauth_reply_free(&tr);
		break;
	}
	memset(body, 0, strlen(body));
	free(body);
	return rc;
}

int adisc_oauth_device_flow(const adisc_oauth_opts *o, char **token)
{
	struct flow f;
	const char *const *ct;
	char *auth;
	int rc = RP_OK;

	*token = NULL;
	memset(&f, 0, sizeof(f));
	f.o = o;
	if (!o->authority || rp_ascii_ncasecmp(o->authority, "https://", 8) != 0)
		return adisc_err(RP_EINVAL, "AuthorityURL '%s' is not an https:// URL",
				 o->authority ? o->authority : "");
	if (!o->resource || !*o->resource || !o->show)
		return rp_error_set(RP_EINVAL, "OAuth: ResourceURL or display missing");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return rp_error_set(RP_ENET, "libcurl initialisation failed");
	auth = trim_slash(o->authority);
	if (auth) {
		f.devicecode_url = rp_asprintf("%s/oauth2/v2.0/devicecode", auth);
		f.token_url = rp_asprintf("%s/oauth2/v2.0/token", auth);
	}
	free(auth);
	if (!f.devicecode_url || !f.token_url || !(f.curl = curl_easy_init()))
		rc = rp_error_set(RP_ENOMEM, "out of memory");
	for (ct = o->connect_to; rc == RP_OK && ct && *ct; ct++) {
		struct curl_slist *t = curl_slist_append(f.connect_to, *ct);
		if (!t)
			rc = rp_error_set(RP_ENOMEM, "out of memory");
		else
			f.connect_to = t;
	}
	if (rc == RP_OK)
		rc = run_flow(&f, token);
	if (f.curl)
		curl_easy_cleanup(f.curl);
	curl_slist_free_all(f.connect_to);
	free(f.devicecode_url);
	free(f.token_url);
	curl_global_cleanup();
	return rc;
}
