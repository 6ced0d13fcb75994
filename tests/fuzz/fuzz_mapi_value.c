/* fuzz_mapi_value.c - libFuzzer target for the registry value codec.
 *
 * Input: byte 0 picks a property type (and byte 1 a registry type), the rest
 * is the registry data. Property: decode never crashes; if it accepts the
 * data, encode reproduces it byte for byte, and rendering works. */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_json.h"
#include "mapi/mapi_tag.h"
#include "mapi/mapi_value.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const uint16_t types[] = {
    PT_SHORT,       PT_LONG,       PT_FLOAT,    PT_DOUBLE,     PT_CURRENCY,
    PT_APPTIME,     PT_ERROR,      PT_BOOLEAN,  PT_OBJECT,     PT_I8,
    PT_STRING8,     PT_UNICODE,    PT_SYSTIME,  PT_CLSID,      PT_SVREID,
    PT_BINARY,      PT_MV_SHORT,   PT_MV_LONG,  PT_MV_FLOAT,   PT_MV_DOUBLE,
    PT_MV_CURRENCY, PT_MV_APPTIME, PT_MV_I8,    PT_MV_STRING8, PT_MV_UNICODE,
    PT_MV_SYSTIME,  PT_MV_CLSID,   PT_MV_BINARY};
static const uint32_t regtypes[] = {MAPI_REG_BINARY, MAPI_REG_SZ,        MAPI_REG_DWORD,
				    MAPI_REG_QWORD,  MAPI_REG_EXPAND_SZ, 7};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mapi_value v, c;
	rp_buf out = RP_BUF_INIT, r = RP_BUF_INIT;
	uint32_t tag, rt = 0, regtype;
	rp_json j;
	uint8_t *copy;
	size_t i;

	if (size < 2)
		return 0;
	tag = PROP_TAG(types[data[0] % (sizeof(types) / sizeof(types[0]))], 0x6620);
	/* Most inputs use REG_BINARY, where the interesting layouts live. */
	regtype = data[1] < 0xC0
		      ? MAPI_REG_BINARY
		      : regtypes[data[1] % (sizeof(regtypes) / sizeof(regtypes[0]))];
	/* An exact-size heap copy so reads past the end are caught. */
	copy = malloc(size - 2 ? size - 2 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 2, size - 2);
	if (mapi_value_decode(&v, tag, regtype, copy, size - 2) == RP_OK) {
		if (mapi_value_encode(&v, &out, &rt) != RP_OK || out.len != size - 2 ||
		    (out.len && memcmp(out.data, copy, out.len)) || rt != regtype)
			abort();
		if (mapi_value_render(&v, &r) != RP_OK)
			abort();
		rp_json_init(&j, &r);
		mapi_value_render_json(&v, &j);
		if (rp_json_finish(&j) != RP_OK)
			abort();
		for (i = 0; i < v.count; i++) {
			char *s = NULL;
			if (mapi_value_mvstr_utf8(&v, i, &s) == RP_OK)
				free(s);
		}
		/* A copy encodes the same. */
		if (mapi_value_copy(&c, &v) == RP_OK) {
			out.len = 0;
			if (mapi_value_encode(&c, &out, NULL) != RP_OK ||
			    out.len != size - 2)
				abort();
			mapi_value_free(&c);
		}
	} else if (rp_error_msg()[0] == '\0') {
		abort(); /* every failure explains itself */
	}
	mapi_value_free(&v);
	rp_buf_free(&out);
	rp_buf_free(&r);
	free(copy);
	rp_error_clear();
	return 0;
}
