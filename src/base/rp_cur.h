/* rp_cur.h - bounds-checked cursor over a byte range, for binary decoders.
 *
 * Every read checks the remaining size first and fails with RP_EFORMAT (message
 * naming what was being read and at which offset) instead of reading past the
 * end. rp_cur_sub() makes a cursor capped to a length-prefixed sub-structure, so
 * a nested parser can never read beyond its own end. */
#ifndef RP_CUR_H
#define RP_CUR_H

#include <stddef.h>
#include <stdint.h>

typedef struct rp_cur {
	const uint8_t *p;
	size_t len;  /* bytes in the range */
	size_t off;  /* next byte to read */
	size_t base; /* offset of p within the outermost buffer, for messages */
} rp_cur;

void rp_cur_init(rp_cur *c, const void *p, size_t len);
static inline size_t rp_cur_left(const rp_cur *c)
{
	return c->len - c->off;
}
static inline const uint8_t *rp_cur_ptr(const rp_cur *c)
{
	return c->p + c->off;
}
/* what names the field in the error message, e.g. "store entry ID flags". */
int rp_cur_need(const rp_cur *c, size_t n, const char *what);
int rp_cur_u8(rp_cur *c, uint8_t *out, const char *what);
int rp_cur_u16(rp_cur *c, uint16_t *out, const char *what);
int rp_cur_u32(rp_cur *c, uint32_t *out, const char *what);
int rp_cur_u64(rp_cur *c, uint64_t *out, const char *what);
int rp_cur_u16be(rp_cur *c, uint16_t *out, const char *what);
int rp_cur_u32be(rp_cur *c, uint32_t *out, const char *what);
/* Copies n bytes (out may be NULL to skip them). */
int rp_cur_bytes(rp_cur *c, void *out, size_t n, const char *what);
/* Points *out at n bytes inside the range without copying. */
int rp_cur_view(rp_cur *c, const uint8_t **out, size_t n, const char *what);
int rp_cur_skip(rp_cur *c, size_t n, const char *what);
/* An 8-bit NUL-terminated string: *out points into the range, *n excludes
 * the NUL; the cursor moves past the NUL. Fails if no NUL before the end. */
int rp_cur_cstr(rp_cur *c, const char **out, size_t *n, const char *what);
/* A UTF-16LE NUL-terminated string: *out points at its first byte, *nbytes
 * excludes the 2-byte NUL; the cursor moves past the NUL. */
int rp_cur_wstr(rp_cur *c, const uint8_t **out, size_t *nbytes, const char *what);
/* A sub-cursor over the next n bytes; the parent moves past them. */
int rp_cur_sub(rp_cur *c, rp_cur *sub, size_t n, const char *what);

#endif
