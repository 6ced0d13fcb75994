/* mbx_ab.h - an address-book client: NSPI over one MAPI/HTTP session
 * context (mbx_http + mbx_nspi).
 *
 * Nothing is sent until the first lookup; then one Bind, kept for the life
 * of the client (a run), and every lookup is one or two requests whatever
 * the number of names: ResolveNames for names, DNToMId + QueryRows (explicit
 * table) for legacyExchangeDNs. A context the server dropped (X-ResponseCode
 * 10) is bound again once and the request repeated. mbx_ab_close sends
 * Unbind when bound. docs/mailbox.md, "Address book". */
#ifndef MBX_AB_H
#define MBX_AB_H

#include "mbx_http.h"
#include "mbx_nspi.h"

#include <stddef.h>
#include <stdint.h>

typedef struct mbx_ab mbx_ab;

/* opts->url is the AddressBook URL (https://host/mapi/nspi/?MailboxId=...).
 * opts strings are copied. */
int mbx_ab_open(const mbx_http_opts *opts, mbx_ab **out);
/* Unbinds (errors ignored: the server drops idle contexts anyway) and frees;
 * NULL-safe. */
void mbx_ab_close(mbx_ab *ab);

/* Ambiguous name resolution of n names (display name, alias, SMTP address,
 * proxy, DN) in one ResolveNames. status[i] is MBX_MID_RESOLVED (out[i]
 * filled), MBX_MID_AMBIGUOUS or MBX_MID_UNRESOLVED (out[i] zeroed). Free
 * every out[i] with mbx_ab_entry_free. RP_ENET/RP_EAUTH/RP_EFORMAT on
 * transport or protocol failure, RP_ENOTFOUND never (see status). */
int mbx_ab_resolve(mbx_ab *ab, const char *const *names, size_t n, uint32_t *status,
		   mbx_ab_entry *out);

/* Finds n legacyExchangeDNs (the server also matches X500 proxies) with
 * DNToMId + QueryRows. found[i] false when the server knows none (out[i]
 * zeroed). DNs must be ASCII (RP_EINVAL otherwise). */
int mbx_ab_find_dns(mbx_ab *ab, const char *const *dns, size_t n, bool *found,
		    mbx_ab_entry *out);

/* Requests sent so far (Bind and Unbind included), and the Binds among
 * them. */
unsigned long mbx_ab_requests(const mbx_ab *ab);
unsigned long mbx_ab_binds(const mbx_ab *ab);

/* Display type (PR_DISPLAY_TYPE, MS-OXOABK 2.2.3.11) as a word: "user",
 * "dl", "public folder", "agent", "organization", "private dl", "remote
 * user", "container", "template", "address template", "search", or
 * "0x..." (in buf) for others. */
const char *mbx_ab_display_type_name(uint32_t display_type, char buf[16]);

#endif
