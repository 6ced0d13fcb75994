/* mbx_rpcext.c - RPC_HEADER_EXT parse/put, XOR 0xA5, packed payloads. */
#include "mailbox/mbx_rpcext.h"

#include "base/rp_cur.h"
#include "base/rp_err.h"
#include "mailbox/mbx_lz77.h"

#include <stdlib.h>

int mbx_rpcext_parse(const uint8_t *p, size_t len, mbx_rpcext *h)
{
	rp_cur c;
	int rc;
	rp_cur_init(&c, p, len);
	if ((rc = rp_cur_u16(&c, &h->version, "RPC_HEADER_EXT Version")) ||
	    (rc = rp_cur_u16(&c, &h->flags, "RPC_HEADER_EXT Flags")) ||
	    (rc = rp_cur_u16(&c, &h->size, "RPC_HEADER_EXT Size")) ||
	    (rc = rp_cur_u16(&c, &h->size_actual, "RPC_HEADER_EXT SizeActual")))
		return rc;
	if (h->version != 0)
		return rp_error_set(RP_EFORMAT, "RPC_HEADER_EXT: Version %u, not 0",
				    h->version);
	if (h->flags & ~(MBX_RPCEXT_COMPRESSED | MBX_RPCEXT_XOR_MAGIC | MBX_RPCEXT_LAST))
		return rp_error_set(RP_EFORMAT, "RPC_HEADER_EXT: unknown Flags 0x%04X",
				    h->flags);
	if (h->size_actual > MBX_RPCEXT_MAX_PAYLOAD)
		return rp_error_set(RP_EFORMAT,
				    "RPC_HEADER_EXT: SizeActual %u over 32 KB",
				    h->size_actual);
	if (!(h->flags & MBX_RPCEXT_COMPRESSED) && h->size != h->size_actual)
		return rp_error_set(RP_EFORMAT,
				    "RPC_HEADER_EXT: Size %u differs from SizeActual %u "
				    "without compression",
				    h->size, h->size_actual);
	if ((h->flags & MBX_RPCEXT_COMPRESSED) && h->size > h->size_actual)
		return rp_error_set(
		    RP_EFORMAT, "RPC_HEADER_EXT: compressed Size %u over SizeActual %u",
		    h->size, h->size_actual);
	return RP_OK;
}

int mbx_rpcext_put(rp_buf *b, uint16_t flags, uint16_t size, uint16_t size_actual)
{
	int rc;
	if ((rc = rp_buf_u16le(b, 0)) || (rc = rp_buf_u16le(b, flags)) ||
	    (rc = rp_buf_u16le(b, size)) || (rc = rp_buf_u16le(b, size_actual)))
		return rc;
	return RP_OK;
}

void mbx_xor_magic(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] ^= MBX_XOR_MAGIC;
}

void mbx_rpcext_free(rp_buf *payloads, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rp_buf_free(&payloads[i]);
	free(payloads);
}

/* One payload: un-XOR (on a copy), then decompress. */
static int decode_one(const mbx_rpcext *h, const uint8_t *src, rp_buf *out)
{
	rp_buf tmp = RP_BUF_INIT;
	int rc;
	if (!(h->flags & MBX_RPCEXT_XOR_MAGIC) && !(h->flags & MBX_RPCEXT_COMPRESSED))
		return rp_buf_append(out, src, h->size);
	if ((rc = rp_buf_append(&tmp, src, h->size)))
		return rc;
	if (h->flags & MBX_RPCEXT_XOR_MAGIC)
		mbx_xor_magic(tmp.data, tmp.len);
	if (h->flags & MBX_RPCEXT_COMPRESSED)
		rc = mbx_lz77_decompress(tmp.data, tmp.len, h->size_actual, out);
	else
		rc = rp_buf_append(out, tmp.data, tmp.len);
	rp_buf_free(&tmp);
	return rc;
}

int mbx_rpcext_unpack(const uint8_t *p, size_t len, rp_buf **out, size_t *n)
{
	rp_buf *v = NULL;
	size_t nv = 0, off = 0;
	int rc = RP_OK;
	mbx_rpcext h = {0, 0, 0, 0};

	*out = NULL;
	*n = 0;
	while (!(h.flags & MBX_RPCEXT_LAST)) {
		if (off == len) {
			rc = rp_error_set(RP_EFORMAT,
					  "RPC_HEADER_EXT: buffer ends at offset %zu "
					  "without a Last payload",
					  off);
			break;
		}
		if (nv == MBX_RPCEXT_MAX_PAYLOADS) {
			rc = rp_error_set(RP_ELIMIT, "RPC_HEADER_EXT: over %u payloads",
					  MBX_RPCEXT_MAX_PAYLOADS);
			break;
		}
		if ((rc = mbx_rpcext_parse(p + off, len - off, &h))) {
			rp_error_wrap(rc, "payload %zu at offset %zu", nv, off);
			break;
		}
		off += MBX_RPCEXT_SIZE;
		if (h.size > len - off) {
			rc = rp_error_set(RP_EFORMAT,
					  "RPC_HEADER_EXT: payload %zu at offset %zu: "
					  "Size %u, only %zu bytes left",
					  nv, off - MBX_RPCEXT_SIZE, h.size, len - off);
			break;
		}
		rp_buf *nvp = realloc(v, (nv + 1) * sizeof(*v));
		if (!nvp) {
			rc = rp_error_set(RP_ENOMEM, "out of memory");
			break;
		}
		v = nvp;
		v[nv] = (rp_buf)RP_BUF_INIT;
		rc = decode_one(&h, p + off, &v[nv++]);
		if (rc) {
			rp_error_wrap(rc, "payload %zu at offset %zu", nv - 1,
				      off - MBX_RPCEXT_SIZE);
			break;
		}
		off += h.size;
	}
	if (!rc && off != len)
		rc = rp_error_set(RP_EFORMAT,
				  "RPC_HEADER_EXT: %zu bytes after the Last payload",
				  len - off);
	if (rc) {
		mbx_rpcext_free(v, nv);
		return rc;
	}
	*out = v;
	*n = nv;
	return RP_OK;
}
