/* fuzz_eid.c - libFuzzer target for the entry-ID codec.
 *
 * Property: decode never crashes; if it accepts the input, encode
 * reproduces it byte for byte and both renderings work. */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_json.h"
#include "mapi/mapi_eid.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eid e;
	rp_buf out = RP_BUF_INIT, r = RP_BUF_INIT;
	rp_json j;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (eid_decode(&e, copy, size) == RP_OK) {
		if (eid_encode(&e, &out) != RP_OK || out.len != size ||
		    (size && memcmp(out.data, copy, size)))
			abort();
		if (eid_render_text(&e, &r, 2) != RP_OK)
			abort();
		rp_json_init(&j, &r);
		eid_render_json(&e, &j);
		if (rp_json_finish(&j) != RP_OK)
			abort();
		if (e.kind == EID_STORE) {
			/* Normalising the tail must still give a decodable ID. */
			eid back;
			eid_store_tail_normalize(&e.u.store);
			out.len = 0;
			if (eid_encode(&e, &out) == RP_OK) {
				if (eid_decode(&back, out.data, out.len) != RP_OK)
					abort();
				eid_free(&back);
			}
		}
	} else if (rp_error_msg()[0] == '\0') {
		abort();
	}
	eid_free(&e);
	rp_buf_free(&out);
	rp_buf_free(&r);
	free(copy);
	rp_error_clear();
	return 0;
}
