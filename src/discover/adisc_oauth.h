/* adisc_oauth.h - OAuth 2.0 device authorization grant (RFC 8628) against the
 * Microsoft identity platform, for Autodiscover on Microsoft 365 targets.
 *
 * Flow (MicrosoftDocs/entra-docs: docs/identity-platform/v2-oauth2-device-code.md):
 *   POST <authority>/oauth2/v2.0/devicecode  client_id, scope
 *        -> device_code, user_code, verification_uri, expires_in, interval
 *   show the user code and the URL; the user signs in on any device
 *   POST <authority>/oauth2/v2.0/token  grant_type=device_code, client_id,
 *        device_code  every `interval` seconds until access_token, or an
 *        error other than authorization_pending (slow_down adds 5 seconds,
 *        RFC 8628 3.5; expired_token and the code's lifetime end the wait).
 * The scope is "<resource>/.default offline_access". */
#ifndef ADISC_OAUTH_H
#define ADISC_OAUTH_H

#include "discover/adisc.h"

#include <stddef.h>

/* Microsoft's public client id of Outlook desktop, listed among the
 * first-party Microsoft 365 clients in MicrosoftDocs/msteams-docs:
 * msteams-platform/m365-apps/extend-m365-teams-message-extension.md
 * ("Outlook desktop | d3590ed6-52b3-4102-aeff-aad2292ab01c"). Tenants that
 * block it can register their own public client and set OAuthClientID=. */
#define ADISC_OAUTH_CLIENT_ID_OUTLOOK "d3590ed6-52b3-4102-aeff-aad2292ab01c"

/* Biggest JSON reply accepted, and biggest string inside it (access tokens
 * are a few KB). */
#define ADISC_OAUTH_MAX_REPLY (64 * 1024)
#define ADISC_OAUTH_MAX_STRING (32 * 1024)

/* The fields of a devicecode or token reply that reprofile uses; strings are
 * UTF-8, NULL when absent; numbers -1 when absent. */
typedef struct adisc_oauth_reply {
	char *device_code;
	char *user_code;
	char *verification_uri; /* also read from verification_url (v1) */
	char *message;
	char *access_token;
	char *token_type;
	char *error;
	char *error_description;
	long expires_in; /* a number or a string of digits */
	long interval;
} adisc_oauth_reply;

/* Parses one JSON object of len bytes (RFC 8259; other members, nested
 * values included, are skipped; at most 32 levels deep). Duplicate members:
 * the last wins. On RP_OK *out is filled (free with adisc_oauth_reply_free);
 * RP_EFORMAT (one line, with the byte offset) or RP_ELIMIT otherwise, and
 * *out is left empty. */
int adisc_oauth_parse(const void *data, size_t len, adisc_oauth_reply *out);
void adisc_oauth_reply_free(adisc_oauth_reply *r);

/* Shows the sign-in instruction (the URL and the code; message is the
 * server's own sentence, may be NULL). */
typedef void (*adisc_oauth_show_fn)(void *ctx, const char *uri, const char *user_code,
				    const char *message);

typedef struct adisc_oauth_opts {
	const char
	    *authority;       /* AuthorityURL: https://login.microsoftonline.com/common */
	const char *resource; /* ResourceURL: https://outlook.office365.com */
	const char *client_id; /* NULL = ADISC_OAUTH_CLIENT_ID_OUTLOOK */
	const char *ca_file;   /* as adisc_net_opts */
	const char *const *connect_to;
	long timeout_s;           /* per request; 0 = 30 */
	long max_wait_s;          /* 0 = the code's expires_in */
	adisc_oauth_show_fn show; /* required */
	void *show_ctx;
	adisc_log_fn log; /* NULL = silent */
	void *log_ctx;
} adisc_oauth_opts;

/* Runs the device-code flow; on RP_OK *token is the malloc'd access token.
 * RP_EINVAL (authority not https), RP_ENET (network, HTTP status without an
 * OAuth error), RP_EAUTH (refused, declined, expired: the message carries
 * the server's error code and description), RP_EFORMAT (bad reply). */
int adisc_oauth_device_flow(const adisc_oauth_opts *o, char **token);

#endif
