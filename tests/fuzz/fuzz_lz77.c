/* fuzz_lz77.c - libFuzzer target for the LZ77+DIRECT2 decoder and the
 * RPC_HEADER_EXT unpacker.
 *
 * Input: 2 bytes (LE) = the expected decoded size (as SizeActual), then the
 * compressed stream. Properties: no crash; on success exactly that many bytes
 * were produced; the same stream framed as one Compressed+Last payload
 * unpacks to the same bytes. */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mailbox/mbx_lz77.h"
#include "mailbox/mbx_rpcext.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rp_buf out = RP_BUF_INIT, framed = RP_BUF_INIT, *pl = NULL;
	size_t n = 0;
	if (size < 2)
		return 0;
	size_t want = (size_t)(data[0] | data[1] << 8) & 0x7FFF;
	int rc = mbx_lz77_decompress(data + 2, size - 2, want, &out);
	if (rc == RP_OK && out.len != want)
		abort();
	if (size - 2 <= want && size - 2 <= MBX_RPCEXT_MAX_PAYLOAD) {
		mbx_rpcext_put(&framed, MBX_RPCEXT_COMPRESSED | MBX_RPCEXT_LAST,
			       (uint16_t)(size - 2), (uint16_t)want);
		rp_buf_append(&framed, data + 2, size - 2);
		int rc2 = mbx_rpcext_unpack(framed.data, framed.len, &pl, &n);
		if ((rc2 == RP_OK) != (rc == RP_OK))
			abort();
		if (rc2 == RP_OK && (n != 1 || pl[0].len != want ||
				     (want && memcmp(pl[0].data, out.data, want))))
			abort();
		mbx_rpcext_free(pl, n);
	}
	rp_buf_free(&framed);
	rp_buf_free(&out);
	return 0;
}
