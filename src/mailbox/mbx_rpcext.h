/* mbx_rpcext.h - RPC_HEADER_EXT framing of ROP and auxiliary buffers
 * ([MS-OXCRPC] 2.2.2.1, 3.1.4.1.1): an 8-byte header before every payload,
 * payloads back to back (packed) with Last on the final one; each payload
 * may be obfuscated (XOR 0xA5) and/or compressed (LZ77+DIRECT2, mbx_lz77.h).
 * Receiver order: un-XOR, then decompress (RPC15 3.2.4.2.1). */
#ifndef MBX_RPCEXT_H
#define MBX_RPCEXT_H

#include "base/rp_buf.h"

#include <stddef.h>
#include <stdint.h>

#define MBX_RPCEXT_SIZE 8
#define MBX_RPCEXT_COMPRESSED 0x0001u
#define MBX_RPCEXT_XOR_MAGIC 0x0002u
#define MBX_RPCEXT_LAST 0x0004u
/* One payload is at most 32 KB, compressed or not (RPC15 3.1.4.1.1). */
#define MBX_RPCEXT_MAX_PAYLOAD 0x8000u
/* Packed responses: at most 96 payloads (RPC15 3.1.4.2.1.2). */
#define MBX_RPCEXT_MAX_PAYLOADS 96u
#define MBX_XOR_MAGIC 0xA5u

typedef struct mbx_rpcext {
	uint16_t version; /* 0 */
	uint16_t flags;
	uint16_t size;        /* payload bytes as transmitted */
	uint16_t size_actual; /* after decompression */
} mbx_rpcext;

/* Reads one header: RP_EFORMAT when short, Version is not 0, a flag bit
 * other than the three is set, SizeActual > 32 KB, or (uncompressed)
 * Size != SizeActual, or (compressed) Size > SizeActual. */
int mbx_rpcext_parse(const uint8_t *p, size_t len, mbx_rpcext *out);
/* Appends an 8-byte header. */
int mbx_rpcext_put(rp_buf *b, uint16_t flags, uint16_t size, uint16_t size_actual);

/* XOR every byte with 0xA5 in place (its own inverse). */
void mbx_xor_magic(uint8_t *p, size_t n);

/* Splits a buffer of packed payloads (a response RopBuffer or auxiliary
 * buffer) and appends each payload, un-XORed and decompressed, to
 * out[0..*n) (an array the function grows; the caller frees each rp_buf and
 * the array). Stops after the payload with Last; RP_EFORMAT when a header
 * or payload is bad, bytes follow Last, or the end comes without Last;
 * RP_ELIMIT over MBX_RPCEXT_MAX_PAYLOADS. */
int mbx_rpcext_unpack(const uint8_t *p, size_t len, rp_buf **out, size_t *n);
/* Frees what mbx_rpcext_unpack produced. */
void mbx_rpcext_free(rp_buf *payloads, size_t n);

#endif
