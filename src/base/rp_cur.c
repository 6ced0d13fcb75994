#include "rp_cur.h"

#include "rp_err.h"

#include <string.h>

void rp_cur_init(rp_cur *c, const void *p, size_t len)
{
	c->p = p;
	c->len = len;
	c->off = 0;
	c->base = 0;
}

int rp_cur_need(const rp_cur *c, size_t n, const char *what)
{
	if (n > c->len - c->off)
		return rp_error_set(
		    RP_EFORMAT, "%s cut short at offset %zu (need %zu bytes, %zu left)",
		    what, c->base + c->off, n, c->len - c->off);
	return RP_OK;
}

int rp_cur_bytes(rp_cur *c, void *out, size_t n, const char *what)
{
	int rc = rp_cur_need(c, n, what);
	if (rc < 0)
		return rc;
	if (out && n)
		memcpy(out, c->p + c->off, n);
	c->off += n;
	return RP_OK;
}

int rp_cur_view(rp_cur *c, const uint8_t **out, size_t n, const char *what)
{
	int rc = rp_cur_need(c, n, what);
	if (rc < 0)
		return rc;
	*out = c->p + c->off;
	c->off += n;
	return RP_OK;
}

int rp_cur_skip(rp_cur *c, size_t n, const char *what)
{
	return rp_cur_bytes(c, NULL, n, what);
}

int rp_cur_u8(rp_cur *c, uint8_t *out, const char *what)
{
	return rp_cur_bytes(c, out, 1, what);
}

int rp_cur_u16(rp_cur *c, uint16_t *out, const char *what)
{
	int rc = rp_cur_need(c, 2, what);
	if (rc < 0)
		return rc;
	*out = (uint16_t)(c->p[c->off] | (c->p[c->off + 1] << 8));
	c->off += 2;
	return RP_OK;
}

int rp_cur_u32(rp_cur *c, uint32_t *out, const char *what)
{
	const uint8_t *p;
	int rc = rp_cur_view(c, &p, 4, what);
	if (rc < 0)
		return rc;
	*out = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
	return RP_OK;
}

int rp_cur_u64(rp_cur *c, uint64_t *out, const char *what)
{
	uint32_t lo = 0, hi = 0; /* set below; initialised for -O3 -Werror */
	int rc;
	if ((rc = rp_cur_need(c, 8, what)) < 0)
		return rc;
	rp_cur_u32(c, &lo, what);
	rp_cur_u32(c, &hi, what);
	*out = (uint64_t)lo | ((uint64_t)hi << 32);
	return RP_OK;
}

int rp_cur_u16be(rp_cur *c, uint16_t *out, const char *what)
{
	const uint8_t *p;
	int rc = rp_cur_view(c, &p, 2, what);
	if (rc < 0)
		return rc;
	*out = (uint16_t)((p[0] << 8) | p[1]);
	return RP_OK;
}

int rp_cur_u32be(rp_cur *c, uint32_t *out, const char *what)
{
	const uint8_t *p;
	int rc = rp_cur_view(c, &p, 4, what);
	if (rc < 0)
		return rc;
	*out = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
	       (uint32_t)p[3];
	return RP_OK;
}

int rp_cur_cstr(rp_cur *c, const char **out, size_t *n, const char *what)
{
	const uint8_t *start = c->p + c->off;
	const uint8_t *nul = memchr(start, 0, c->len - c->off);
	if (!nul)
		return rp_error_set(RP_EFORMAT, "%s at offset %zu has no terminating NUL",
				    what, c->base + c->off);
	*out = (const char *)start;
	if (n)
		*n = (size_t)(nul - start);
	c->off += (size_t)(nul - start) + 1;
	return RP_OK;
}

int rp_cur_wstr(rp_cur *c, const uint8_t **out, size_t *nbytes, const char *what)
{
	size_t i;
	for (i = c->off; i + 1 < c->len; i += 2) {
		if (c->p[i] == 0 && c->p[i + 1] == 0) {
			*out = c->p + c->off;
			if (nbytes)
				*nbytes = i - c->off;
			c->off = i + 2;
			return RP_OK;
		}
	}
	return rp_error_set(RP_EFORMAT, "%s at offset %zu has no terminating UTF-16 NUL",
			    what, c->base + c->off);
}

int rp_cur_sub(rp_cur *c, rp_cur *sub, size_t n, const char *what)
{
	int rc = rp_cur_need(c, n, what);
	if (rc < 0)
		return rc;
	sub->p = c->p + c->off;
	sub->len = n;
	sub->off = 0;
	sub->base = c->base + c->off;
	c->off += n;
	return RP_OK;
}
