/* mbx_lz77.c - LZ77+DIRECT2 decoder, written from the decoding steps of
 * [MS-XCA] 2.4 (flag words, 16-bit match words, shared length nibbles). */
#include "mailbox/mbx_lz77.h"

#include "base/rp_err.h"

#include <stdint.h>

static int short_input(size_t off, const char *what)
{
	return rp_error_set(RP_EFORMAT, "LZ77 payload: %s at offset %zu past the end",
			    what, off);
}

int mbx_lz77_decompress(const uint8_t *p, size_t len, size_t want, rp_buf *out)
{
	size_t in = 0, start = out->len, half = 0; /* half: pending nibble byte */
	uint32_t flags = 0;
	unsigned nflags = 0;
	int rc = rp_buf_reserve(out, want);

	if (rc)
		return rc;
	for (;;) {
		if (nflags == 0) {
			if (in == len)
				break;
			if (len - in < 4)
				return short_input(in, "flag word");
			flags = rp_le32(p + in);
			in += 4;
			nflags = 32;
		}
		nflags--;
		if (!(flags & (1u << nflags))) {
			if (in == len)
				break;
			if (out->len - start >= want)
				return rp_error_set(RP_EFORMAT,
						    "LZ77 payload: literal at offset %zu "
						    "beyond the %zu-byte size",
						    in, want);
			out->data[out->len++] = p[in++];
			continue;
		}
		if (in == len)
			break; /* the end marker: 1-bits after the last item */
		if (len - in < 2)
			return short_input(in, "match");
		size_t at = in;
		uint16_t m = rp_le16(p + in);
		in += 2;
		size_t dist = (size_t)(m >> 3) + 1, mlen = m & 7u;
		if (mlen == 7) {
			if (half == 0) {
				if (in == len)
					return short_input(in, "length nibble");
				mlen = p[in] & 0x0Fu;
				half = in++;
			} else {
				mlen = p[half] >> 4;
				half = 0;
			}
			if (mlen == 15) {
				if (in == len)
					return short_input(in, "length byte");
				mlen = p[in++];
				if (mlen == 255) {
					if (len - in < 2)
						return short_input(in, "length word");
					mlen = rp_le16(p + in);
					in += 2;
					if (mlen == 0) {
						if (len - in < 4)
							return short_input(
							    in, "length dword");
						mlen = rp_le32(p + in);
						in += 4;
					}
					if (mlen < 15 + 7)
						return rp_error_set(
						    RP_EFORMAT,
						    "LZ77 payload: match length %zu at "
						    "offset %zu below 22",
						    mlen, at);
					mlen -= 15 + 7;
				}
				mlen += 15;
			}
			mlen += 7;
		}
		mlen += 3;
		size_t done = out->len - start;
		if (dist > done)
			return rp_error_set(
			    RP_EFORMAT,
			    "LZ77 payload: match at offset %zu reaches %zu "
			    "bytes back, only %zu decoded",
			    at, dist, done);
		if (mlen > want - done)
			return rp_error_set(RP_EFORMAT,
					    "LZ77 payload: match at offset %zu runs past "
					    "the %zu-byte size",
					    at, want);
		/* Byte by byte: the source may overlap what is being written. */
		for (size_t i = 0; i < mlen; i++, out->len++)
			out->data[out->len] = out->data[out->len - dist];
	}
	if (out->len - start != want)
		return rp_error_set(RP_EFORMAT,
				    "LZ77 payload: %zu bytes decoded, header says %zu",
				    out->len - start, want);
	return RP_OK;
}
