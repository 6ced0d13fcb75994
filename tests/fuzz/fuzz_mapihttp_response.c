/* fuzz_mapihttp_response.c - libFuzzer target for the MAPI/HTTP response
 * side: the streamed entity (meta-tags, additional headers, body), then the
 * body as a Connect, Execute (RPC_HEADER_EXT payloads, LZ77, XOR) and
 * status response. Property: no crash, no leak, the body lies inside the
 * input. */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mailbox/mbx_emsmdb.h"
#include "mailbox/mbx_http.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mbx_http_frame f;
	const uint8_t *body = data;
	size_t len = size;
	if (mbx_http_parse_stream(data, size, &f) == RP_OK) {
		if (f.body < data || f.body + f.body_len != data + size)
			abort();
		body = f.body;
		len = f.body_len;
	}
	mbx_connect_rsp c;
	if (mbx_connect_rsp_parse(body, len, &c) == RP_OK)
		mbx_connect_rsp_free(&c);
	mbx_execute_rsp e;
	if (mbx_execute_rsp_parse(body, len, &e) == RP_OK)
		mbx_execute_rsp_free(&e);
	uint32_t sc, ec;
	(void)mbx_status_rsp_parse(body, len, &sc, &ec);
	return 0;
}
