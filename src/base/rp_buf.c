#include "rp_buf.h"

#include "rp_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rp_buf_reserve(rp_buf *b, size_t extra)
{
	size_t need, cap;
	uint8_t *p;

	if (extra > SIZE_MAX - b->len)
		return rp_error_set(RP_ENOMEM, "buffer size overflow");
	need = b->len + extra;
	if (need <= b->cap)
		return RP_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p)
		return rp_error_set(RP_ENOMEM, "out of memory (%zu bytes)", cap);
	b->data = p;
	b->cap = cap;
	return RP_OK;
}

int rp_buf_append(rp_buf *b, const void *p, size_t n)
{
	int rc;
	if (!n)
		return RP_OK;
	if ((rc = rp_buf_reserve(b, n)) < 0)
		return rc;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return RP_OK;
}

int rp_buf_zeros(rp_buf *b, size_t n)
{
	int rc;
	if ((rc = rp_buf_reserve(b, n)) < 0)
		return rc;
	memset(b->data + b->len, 0, n);
	b->len += n;
	return RP_OK;
}

int rp_buf_u8(rp_buf *b, uint8_t v)
{
	return rp_buf_append(b, &v, 1);
}

int rp_buf_u16le(rp_buf *b, uint16_t v)
{
	uint8_t t[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	return rp_buf_append(b, t, 2);
}

int rp_buf_u32le(rp_buf *b, uint32_t v)
{
	uint8_t t[4];
	rp_put_le32(t, v);
	return rp_buf_append(b, t, 4);
}

int rp_buf_u64le(rp_buf *b, uint64_t v)
{
	int rc = rp_buf_u32le(b, (uint32_t)v);
	return rc < 0 ? rc : rp_buf_u32le(b, (uint32_t)(v >> 32));
}

int rp_buf_puts(rp_buf *b, const char *s)
{
	return rp_buf_append(b, s, strlen(s));
}

int rp_buf_printf(rp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return rp_error_set(RP_EINVAL, "bad format string");
	if ((rc = rp_buf_reserve(b, (size_t)n + 1)) < 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return RP_OK;
}

int rp_buf_align(rp_buf *b, size_t align)
{
	size_t rem = b->len & (align - 1);
	return rem ? rp_buf_zeros(b, align - rem) : RP_OK;
}

void rp_buf_put_u32le_at(rp_buf *b, size_t off, uint32_t v)
{
	rp_put_le32(b->data + off, v);
}

uint8_t *rp_buf_steal(rp_buf *b, size_t *len)
{
	uint8_t *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void rp_buf_free(rp_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
