/* rp_buf.h - growable byte buffer and little-endian writers.
 *
 * An rp_buf owns its data; rp_buf_free releases it and leaves an empty buffer.
 * Appending functions return RP_OK or RP_ENOMEM (with the message set). */
#ifndef RP_BUF_H
#define RP_BUF_H

#include "rp_attr.h"
#include <stddef.h>
#include <stdint.h>

typedef struct rp_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
} rp_buf;

#define RP_BUF_INIT                                                                      \
	{                                                                                \
		NULL, 0, 0                                                               \
	}

int rp_buf_reserve(rp_buf *b, size_t extra);
int rp_buf_append(rp_buf *b, const void *p, size_t n);
int rp_buf_zeros(rp_buf *b, size_t n);
int rp_buf_u8(rp_buf *b, uint8_t v);
int rp_buf_u16le(rp_buf *b, uint16_t v);
int rp_buf_u32le(rp_buf *b, uint32_t v);
int rp_buf_u64le(rp_buf *b, uint64_t v);
/* Appends the string's bytes without its NUL. */
int rp_buf_puts(rp_buf *b, const char *s);
int rp_buf_printf(rp_buf *b, const char *fmt, ...) RP_PRINTF(2, 3);
/* Pads with zero bytes until len is a multiple of align (a power of two). */
int rp_buf_align(rp_buf *b, size_t align);
/* Overwrites 4 bytes at off (must be inside the buffer). */
void rp_buf_put_u32le_at(rp_buf *b, size_t off, uint32_t v);
/* Hands the data to the caller (who frees it) and empties the buffer. */
uint8_t *rp_buf_steal(rp_buf *b, size_t *len);
void rp_buf_free(rp_buf *b);

/* Reads little-endian integers from memory the caller has bounds-checked. */
static inline uint16_t rp_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t rp_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}
static inline uint64_t rp_le64(const uint8_t *p)
{
	return (uint64_t)rp_le32(p) | ((uint64_t)rp_le32(p + 4) << 32);
}
static inline void rp_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#endif
