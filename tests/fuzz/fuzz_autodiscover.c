/* fuzz_autodiscover.c - libFuzzer target for the POX Autodiscover parser, the
 * request builder and the SRV answer parser (same input to all three). */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "discover/adisc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	adisc_response *r = NULL;
	size_t i, total = 0;

	if (adisc_parse(data, size, "fuzz.xml", &r) == RP_OK) {
		/* Touch every string so ASan sees any bad pointer. */
		for (i = 0; i < r->n_protocols; i++) {
			const adisc_protocol *p = &r->protocols[i];
			total += p->type ? strlen(p->type) : 0;
			total += p->server ? strlen(p->server) : 0;
			total += p->mailstore_external_url
				     ? strlen(p->mailstore_external_url)
				     : 0;
		}
		for (i = 0; i < r->n_alt_mailboxes; i++)
			total += r->alt_mailboxes[i].type
				     ? strlen(r->alt_mailboxes[i].type)
				     : 0;
		total += r->mailbox_guid ? strlen(r->mailbox_guid) : 0;
		total += r->home_server ? strlen(r->home_server) : 0;
		(void)adisc_find_protocol(r, ADISC_PROTO_EXCH);
		adisc_response_free(r);
	} else if (!rp_error_msg()[0] || strchr(rp_error_msg(), '\n')) {
		abort(); /* every failure must leave a one-line message */
	}
	/* The builder must accept any text as an address without breaking. */
	if (size < 512) {
		char *s = malloc(size + 1);
		rp_buf b = RP_BUF_INIT;
		if (!s)
			return 0;
		memcpy(s, data, size);
		s[size] = '\0';
		(void)adisc_build_request(s, NULL, &b);
		rp_buf_free(&b);
		free(s);
	}
	if (size < 65536) {
		char *host = NULL;
		if (adisc_srv_pick(data, (int)size, &host) == RP_OK && !*host)
			abort();
		free(host);
	}
	rp_error_clear();
	return total == (size_t)-1;
}
