/* fuzz_nspi_response.c - libFuzzer target for the NSPI response decoder.
 *
 * Input: one byte choosing the request type (modulo the type count), then
 * the response body. Property: decoding never crashes or leaks; an accepted
 * body has every row's strings convertible or refused cleanly, and entries
 * can be built from every row; a refused body has a message. */
#include "base/rp_err.h"
#include "mailbox/mbx_nspi.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mbx_nspi_rsp r;
	mbx_nspi_type type;
	uint8_t *copy;

	if (size < 1)
		return 0;
	type = (mbx_nspi_type)(data[0] % MBX_NSPI_TYPE_COUNT);
	/* an exact-size copy, so reads past the end are caught */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	rp_error_clear();
	if (mbx_nspi_rsp_decode(&r, type, copy, size - 1) == RP_OK) {
		for (size_t i = 0; i < r.row_count; i++) {
			mbx_ab_entry e;
			for (size_t k = 0; k < r.rows[i].count; k++) {
				const mbx_ab_value *v = &r.rows[i].vals[k];
				size_t n = v->count ? v->count : 1;
				for (size_t j = 0; j < n; j++) {
					char *s = NULL;
					if (mbx_ab_value_utf8(v, j, &s) == RP_OK && !s)
						abort();
					free(s);
				}
			}
			if (mbx_ab_entry_from_row(&r.rows[i], 0, &e) == RP_OK)
				mbx_ab_entry_free(&e);
		}
	} else if (rp_error_msg()[0] == '\0') {
		abort();
	}
	mbx_nspi_rsp_free(&r);
	free(copy);
	rp_error_clear();
	return 0;
}
