/* mbx_lz77.h - LZ77+DIRECT2 decompression of RPC_HEADER_EXT payloads
 * ([MS-OXCRPC] 3.1.4.1.1.2; the bitstream is [MS-XCA] 2.3/2.4 "Plain
 * LZ77"). reprofile never compresses (a client need not), but servers may. */
#ifndef MBX_LZ77_H
#define MBX_LZ77_H

#include "base/rp_buf.h"

#include <stddef.h>

/* Decompresses len bytes into exactly want bytes, appended to out.
 * RP_EFORMAT (with the input offset) when the stream ends early, a match
 * reaches before the start of the output, or the output would not be exactly
 * want bytes; RP_ENOMEM. */
int mbx_lz77_decompress(const uint8_t *p, size_t len, size_t want, rp_buf *out);

#endif
