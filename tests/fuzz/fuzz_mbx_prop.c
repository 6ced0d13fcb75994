/* fuzz_mbx_prop.c - libFuzzer target for ROP property values, rows, names,
 * restrictions and sort orders (src/mailbox/mbx_prop, mbx_restrict).
 *
 * Input: byte 0 picks the structure (modulo 5): 0 TaggedPropertyValue,
 * 1 PropertyRow over the columns below, 2 restriction, 3 PropertyName,
 * 4 value list (count + tagged values). The rest is the structure.
 *
 * Property: decode never crashes; if it accepts a prefix, encode reproduces
 * exactly the bytes it consumed. */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mailbox/mbx_prop.h"
#include "mailbox/mbx_restrict.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t cols[5] = {0x80000000, 0x3001001F, 0x0FFF0102, 0x8008301F,
				 0x66731003};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rp_cur c;
	rp_buf b = RP_BUF_INIT;
	int rc;

	if (size < 1)
		return 0;
	rp_cur_init(&c, data + 1, size - 1);
	switch (data[0] % 5) {
	case 0: {
		mapi_value v;
		rc = mbx_prop_tagged_decode(&c, &v);
		if (rc == RP_OK && mbx_prop_tagged_encode(&b, &v) != RP_OK)
			abort();
		mapi_value_free(&v);
		break;
	}
	case 1: {
		mbx_row row;
		rc = mbx_row_decode(&c, cols, 5, &row);
		if (rc == RP_OK && mbx_row_encode(&b, &row, cols, 5) != RP_OK)
			abort();
		mbx_row_free(&row);
		break;
	}
	case 2: {
		mbx_res r, copy;
		rc = mbx_res_decode(&c, &r);
		if (rc == RP_OK) {
			if (mbx_res_copy(&copy, &r) != RP_OK ||
			    mbx_res_encode(&b, &copy) != RP_OK)
				abort();
			mbx_res_free(&copy);
		}
		mbx_res_free(&r);
		break;
	}
	case 3: {
		mbx_propname n;
		rc = mbx_propname_decode(&c, &n);
		if (rc == RP_OK && mbx_propname_encode(&b, &n) != RP_OK)
			abort();
		mbx_propname_free(&n);
		break;
	}
	default: {
		mapi_value *v;
		size_t n;
		rc = mbx_proplist_decode(&c, &v, &n);
		if (rc == RP_OK && mbx_proplist_encode(&b, v, n) != RP_OK)
			abort();
		mbx_props_free(v, n);
		break;
	}
	}
	if (rc == RP_OK) {
		if (b.len != c.off || memcmp(b.data, data + 1, b.len))
			abort();
	} else if (rp_error_msg()[0] == '\0') {
		abort();
	}
	rp_buf_free(&b);
	rp_error_clear();
	return 0;
}
