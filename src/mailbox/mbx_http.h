/* mbx_http.h - MAPI over HTTP transport ([MS-OXCMAPIHTTP]): one session
 * context per object, for the mailbox (/mapi/emsmdb/) or the address book
 * (/mapi/nspi/) endpoint.
 *
 * A context owns one libcurl handle (so NTLM/Negotiate keep their TCP
 * connection) and one cookie engine (the server's session cookies are sent
 * back on every request of the context, never to another context). Every
 * request is an HTTPS POST with Content-Type application/mapi-http and the
 * headers HTTP15 2.2.3.3 requires: X-RequestType, X-RequestId
 * ({context GUID}:<n>, n growing), X-ClientInfo, X-ClientApplication.
 * The streamed answer (PROCESSING / PENDING / DONE meta-tags, then
 * X-ResponseCode, X-ElapsedTime, X-StartTime, an empty line and the body,
 * HTTP15 2.2.7) is parsed by mbx_http_parse_stream().
 *
 * Errors follow rp_err.h: negative code and one line naming the URL, the
 * request type and the cause (HTTP status, X-ResponseCode with its meaning,
 * or libcurl's text). TLS is always verified. */
#ifndef MBX_HTTP_H
#define MBX_HTTP_H

#include "base/rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Biggest response body accepted: Execute answers are at most 0x40000 bytes
 * of ROP buffer plus a 0x1008-byte auxiliary buffer (RPC15 3.1.4.2); NSPI
 * QueryRows can be larger, so leave room. */
#define MBX_HTTP_MAX_RESPONSE (4 * 1024 * 1024)
/* Sent when the caller gives none: the spec's example is "Outlook/15.xx",
 * servers gate features on the version (reference 2.1, 7). */
#define MBX_HTTP_CLIENT_APP "Outlook/16.0.17928.20114"

/* X-ResponseCode values (HTTP15 2.2.3.3.3). */
enum mbx_response_code {
	MBX_RC_SUCCESS = 0,
	MBX_RC_UNKNOWN_FAILURE = 1,
	MBX_RC_INVALID_VERB = 2,
	MBX_RC_INVALID_PATH = 3,
	MBX_RC_INVALID_HEADER = 4,
	MBX_RC_INVALID_REQUEST_TYPE = 5,
	MBX_RC_INVALID_CONTEXT_COOKIE = 6,
	MBX_RC_MISSING_HEADER = 7,
	MBX_RC_ANONYMOUS_NOT_ALLOWED = 8,
	MBX_RC_TOO_LARGE = 9,
	MBX_RC_CONTEXT_NOT_FOUND = 10, /* expired, invalid, or mailbox moved */
	MBX_RC_NOT_AUTHORIZED = 11,
	MBX_RC_DISCONNECTED = 12, /* "invalid request body" in the text */
	MBX_RC_MISSING_COOKIE = 13,
	MBX_RC_RESERVED = 14,
	MBX_RC_INVALID_SEQUENCE = 15,
	MBX_RC_ENDPOINT_DISABLED = 16,
	MBX_RC_INVALID_RESPONSE = 17,
	MBX_RC_ENDPOINT_SHUTTING_DOWN = 18
};

/* One line saying what an X-ResponseCode means and what to do, e.g.
 * "10 (context not found: the session expired or the mailbox moved)".
 * Never NULL; unknown codes get "unknown code". */
const char *mbx_response_code_text(uint32_t code);

/* ---- the streamed response (pure; fuzzed by fuzz_mapihttp_response) ---- */

typedef struct mbx_http_frame {
	unsigned pending;       /* PENDING keep-alives seen */
	bool has_code;          /* an X-ResponseCode line after DONE */
	uint32_t response_code; /* its value (0 when absent) */
	bool has_elapsed;
	uint32_t elapsed_ms; /* X-ElapsedTime, as sent (gromox: seconds) */
	char start_time[64]; /* X-StartTime, "" when absent; cut at 63 bytes */
	const uint8_t *body; /* points into the parsed data */
	size_t body_len;
} mbx_http_frame;

/* Parses a de-chunked response entity: "PROCESSING" and "PENDING" lines
 * (with or without CRLF: gromox sends PENDING without), "DONE", header lines
 * up to an empty line, then the body. RP_EFORMAT (one line with the byte
 * offset) when DONE or the empty line is missing, a meta-tag is unknown, or
 * X-ResponseCode / X-ElapsedTime is not a decimal number. */
int mbx_http_parse_stream(const uint8_t *data, size_t len, mbx_http_frame *out);

/* ---- the session context ---- */

/* Log sink: level "TraceW" (debug: one line per request), "Warning" or
 * "Error"; msg is one line. */
typedef void (*mbx_log_fn)(void *ctx, const char *level, const char *msg);

typedef struct mbx_http_opts {
	const char *url;     /* https://host/mapi/emsmdb/?MailboxId=guid@domain, as
			      * Autodiscover gives it (query string kept) */
	const char *ca_file; /* PEM CA bundle instead of the system store */
	/* Authentication, as adisc_net_opts: bearer wins; else user/password
	 * (NTLM, Negotiate or Basic, picked by libcurl); else the current
	 * user's logon (Negotiate, NTLM through SSPI). */
	const char *user;
	const char *password;
	const char *bearer;
	const char *const *connect_to; /* curl CONNECT_TO entries, NULL-ended */
	const char *client_app;        /* X-ClientApplication; NULL = default */
	/* X-ClientInfo GUID of this client instance ("{...}"); NULL = a new
	 * random one. Contexts of one run share it (HTTP15 2.2.3.3.4). */
	const char *client_info;
	long timeout_s; /* per request; 0 = 60 */
	mbx_log_fn log; /* NULL = silent */
	void *log_ctx;
} mbx_http_opts;

typedef struct mbx_http mbx_http;

/* A new context (no request sent yet). opts strings are copied. RP_EINVAL
 * when the URL is not https, RP_ENOMEM. */
int mbx_http_new(const mbx_http_opts *opts, mbx_http **out);
/* NULL-safe. */
void mbx_http_free(mbx_http *h);

typedef struct mbx_http_resp {
	long status;            /* HTTP status */
	uint32_t response_code; /* X-ResponseCode (the inner one wins) */
	uint32_t expiration_ms; /* X-ExpirationInfo, 0 when absent */
	rp_buf body;            /* the response body after the meta-tags */
} mbx_http_resp;

/* POSTs body (len bytes; NULL/0 for PING) as request_type ("Connect",
 * "Execute", "Bind", "PING" ...), and parses the answer into *resp (the
 * caller frees it with mbx_http_resp_free, also after an error).
 * RP_OK only for HTTP 200 with X-ResponseCode 0. Otherwise:
 *   RP_EAUTH  HTTP 401/403 (message names the scheme the server asked for)
 *   RP_ENET   libcurl failure, other HTTP status, non-zero X-ResponseCode
 *             (resp->response_code set; message from mbx_response_code_text
 *             plus the first line of the server's text)
 *   RP_EFORMAT the stream does not parse; RP_ELIMIT over MBX_HTTP_MAX_RESPONSE */
int mbx_http_call(mbx_http *h, const char *request_type, const void *body, size_t len,
		  mbx_http_resp *resp);
void mbx_http_resp_free(mbx_http_resp *r);

/* Forgets the context's cookies and starts a new X-RequestId GUID (a new
 * session context); the next request is a Connect or Bind. */
void mbx_http_reset(mbx_http *h);
/* Requests sent by this context (every POST, PING included). */
unsigned long mbx_http_requests(const mbx_http *h);
/* Requests of each type sent, e.g. mbx_http_requests_of(h, "Execute"). */
unsigned long mbx_http_requests_of(const mbx_http *h, const char *request_type);
const char *mbx_http_url(const mbx_http *h);

#endif
