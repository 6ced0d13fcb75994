/* libFuzzer target: the bounded JSON reader of OAuth replies. */
#include "discover/adisc_oauth.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *s)
{
	/* Every kept string is NUL-terminated and has no NUL inside. */
	if (s && strlen(s) > ADISC_OAUTH_MAX_STRING * 4)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	adisc_oauth_reply r;
	if (adisc_oauth_parse(data, size, &r) != 0) {
		/* A failed parse leaves nothing behind. */
		if (r.device_code || r.access_token || r.error || r.expires_in != -1)
			abort();
		return 0;
	}
	check(r.device_code);
	check(r.user_code);
	check(r.verification_uri);
	check(r.message);
	check(r.access_token);
	check(r.token_type);
	check(r.error);
	check(r.error_description);
	if (r.expires_in < -1 || r.interval < -1)
		abort();
	adisc_oauth_reply_free(&r);
	return 0;
}
