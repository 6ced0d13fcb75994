/* adisc_http.h - the libcurl settings every HTTPS client of reprofile shares
 * (Autodiscover, OAuth, MAPI over HTTP), so TLS and authentication behave the
 * same everywhere. */
#ifndef ADISC_HTTP_H
#define ADISC_HTTP_H

#include <curl/curl.h>

/* Verified TLS; ca_file (PEM) replaces the system store when non-NULL. */
void adisc_curl_tls(CURL *c, const char *ca_file);
/* Authentication: bearer (OAuth 2.0 access token) wins; else user/password
 * with the scheme given (a CURLAUTH_* mask the host named before), or with
 * 0 NTLM, Negotiate or Basic (libcurl picks what the server offers); else the
 * current user's logon (Negotiate, and NTLM through SSPI). */
void adisc_curl_auth(CURL *c, const char *user, const char *password, const char *bearer,
		     long scheme);

#endif
