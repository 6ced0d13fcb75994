/* fuzz_nick.c - libFuzzer target for the nickname cache codec (mapi_nick).
 *
 * Property: decode never crashes; if it accepts the input, encode reproduces
 * it byte for byte and the view decoder agrees; rewriting every EX/SMTP row gives a
 * stream that decodes again with the same number of rows. */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mapi/mapi_nick.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mapi_nick s, back;
	rp_buf out = RP_BUF_INIT;
	size_t r;

	if (mapi_nick_decode(&s, data, size) != RP_OK) {
		if (rp_error_msg()[0] == '\0')
			abort();
		mapi_nick_free(&s);
		rp_error_clear();
		return 0;
	}
	if (mapi_nick_encode(&s, &out) != RP_OK || out.len != size ||
	    (size && memcmp(out.data, data, size)))
		abort();
	/* the view decoder accepts the same input the same way */
	if (mapi_nick_decode_view(&back, data, size) != RP_OK || back.nrows != s.nrows ||
	    back.nprops != s.nprops)
		abort();
	mapi_nick_free(&back);
	for (r = 0; r < s.nrows; r++) {
		mapi_nick_who w;
		if (mapi_nick_row_who(&s, r, &w) != RP_OK)
			abort();
		if (w.kind == MAPI_NICK_EX || w.kind == MAPI_NICK_SMTP)
			(void)mapi_nick_row_rewrite(&s, r, "/o=Target/cn=Recipients/cn=x",
						    "x@target.example", NULL);
		mapi_nick_who_free(&w);
	}
	out.len = 0;
	if (mapi_nick_encode(&s, &out) != RP_OK)
		abort();
	if (mapi_nick_decode(&back, out.data, out.len) != RP_OK || back.nrows != s.nrows)
		abort();
	mapi_nick_free(&back);
	mapi_nick_free(&s);
	rp_buf_free(&out);
	rp_error_clear();
	return 0;
}
