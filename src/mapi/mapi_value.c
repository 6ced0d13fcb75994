/* mapi_value.c - registry value <-> typed MAPI property value.
 *
 * Layouts: ../shared/reference/outlook-profile-registry.md 1.3, confirmed on
 * the two real Outlook 16.0 exports it cites (suzugross/fabriq_backuper
 * dev/imap-prune-spike/profile_2POP2IMAP / profile_Outlook .reg): 32-bit MV_BINARY {u32
 * cb; u32 off}, 64-bit {u32 cb; u32 pad; u64 off}; MV strings u32 / u64 offsets; every
 * blob padded with zeros to 4 bytes (also the last one; a zero-length blob points at the
 * current position); strings packed. The decoder accepts exactly that
 * canonical layout, so encode(decode(x)) == x holds by construction. */
#include "mapi_value.h"

#include "mapi_tag.h"

#include "../base/rp_err.h"
#include "../base/rp_json.h"
#include "../base/rp_str.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Size of one element of a fixed-size type (single or MV), 0 otherwise. */
static size_t elem_size(uint16_t type)
{
	switch (type & (uint16_t)~MV_FLAG) {
	case PT_SHORT:
	case PT_BOOLEAN:
		return 2;
	case PT_LONG:
	case PT_FLOAT:
	case PT_ERROR:
		return 4;
	case PT_DOUBLE:
	case PT_CURRENCY:
	case PT_APPTIME:
	case PT_I8:
	case PT_SYSTIME:
		return 8;
	case PT_CLSID:
		return 16;
	default:
		return 0;
	}
}

static bool is_str(uint16_t type)
{
	return type == PT_STRING8 || type == PT_UNICODE;
}

static bool is_mv_var(uint16_t type)
{
	return type == PT_MV_BINARY || type == PT_MV_STRING8 || type == PT_MV_UNICODE;
}

static bool is_mv_fixed(uint16_t type)
{
	return (type & MV_FLAG) && !is_mv_var(type) && elem_size(type) != 0;
}

static const char *tname(uint16_t type)
{
	const char *n = mapi_type_name(type);
	return n ? n : "property";
}

static int bin_set(mapi_bin *b, const void *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);
	if (!q)
		return rp_error_set(RP_ENOMEM, "out of memory (%zu bytes)", n);
	if (n)
		memcpy(q, p, n);
	free(b->p);
	b->p = q;
	b->n = n;
	return RP_OK;
}

static void bin_free(mapi_bin *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
}

void mapi_value_free(mapi_value *v)
{
	size_t i;
	if (!v)
		return;
	bin_free(&v->bin);
	bin_free(&v->tail);
	for (i = 0; i < v->count && v->mv; i++)
		bin_free(&v->mv[i]);
	free(v->mv);
	v->mv = NULL;
	v->count = 0;
}

static int mv_alloc(mapi_value *v, size_t count)
{
	v->mv = calloc(count ? count : 1, sizeof(*v->mv));
	if (!v->mv)
		return rp_error_set(RP_ENOMEM, "out of memory (%zu items)", count);
	return RP_OK;
}

static void scalar_get(mapi_value *v, uint16_t type, const uint8_t *p)
{
	uint32_t u32;
	uint64_t u64;
	switch (type) {
	case PT_SHORT:
		v->u.i = (int16_t)rp_le16(p);
		break;
	case PT_BOOLEAN:
		v->u.b = rp_le16(p);
		break;
	case PT_LONG:
		v->u.l = (int32_t)rp_le32(p);
		break;
	case PT_ERROR:
		v->u.err = rp_le32(p);
		break;
	case PT_FLOAT:
		u32 = rp_le32(p);
		memcpy(&v->u.f, &u32, 4);
		break;
	case PT_DOUBLE:
	case PT_APPTIME:
		u64 = rp_le64(p);
		memcpy(&v->u.d, &u64, 8);
		break;
	case PT_CURRENCY:
	case PT_I8:
		v->u.i8 = (int64_t)rp_le64(p);
		break;
	case PT_SYSTIME:
		v->u.ft = rp_le64(p);
		break;
	case PT_CLSID:
		memcpy(v->u.guid, p, 16);
		break;
	default:
		break;
	}
}

static int scalar_put(const mapi_value *v, uint16_t type, rp_buf *out)
{
	uint32_t u32;
	uint64_t u64;
	switch (type) {
	case PT_SHORT:
		return rp_buf_u16le(out, (uint16_t)v->u.i);
	case PT_BOOLEAN:
		return rp_buf_u16le(out, v->u.b);
	case PT_LONG:
		return rp_buf_u32le(out, (uint32_t)v->u.l);
	case PT_ERROR:
		return rp_buf_u32le(out, v->u.err);
	case PT_FLOAT:
		memcpy(&u32, &v->u.f, 4);
		return rp_buf_u32le(out, u32);
	case PT_DOUBLE:
	case PT_APPTIME:
		memcpy(&u64, &v->u.d, 8);
		return rp_buf_u64le(out, u64);
	case PT_CURRENCY:
	case PT_I8:
		return rp_buf_u64le(out, (uint64_t)v->u.i8);
	case PT_SYSTIME:
		return rp_buf_u64le(out, v->u.ft);
	case PT_CLSID:
		return rp_buf_append(out, v->u.guid, 16);
	default:
		return rp_error_set(RP_EINVAL, "type 0x%04x is not a scalar", type);
	}
}

/* Offset-table layouts of MV_BINARY / MV_STRING8 / MV_UNICODE. */
static size_t desc_size(uint16_t type, mapi_mv_width w)
{
	size_t d = w == MAPI_MV_WIDTH_64 ? 16 : 8;
	return type == PT_MV_BINARY ? d : d / 2;
}

static uint64_t desc_off(const uint8_t *data, uint16_t type, mapi_mv_width w, size_t i)
{
	const uint8_t *d = data + 4 + i * desc_size(type, w);
	if (type == PT_MV_BINARY)
		return w == MAPI_MV_WIDTH_64 ? rp_le64(d + 8) : rp_le32(d + 4);
	return w == MAPI_MV_WIDTH_64 ? rp_le64(d) : rp_le32(d);
}

static int decode_mv_var(mapi_value *v, uint16_t type, const uint8_t *data, size_t len)
{
	const char *tn = tname(type);
	uint32_t count;
	size_t i, pos, unit = type == PT_MV_UNICODE ? 2 : 1;
	uint64_t first;
	int rc;

	if (len < 4)
		return rp_error_set(RP_EFORMAT,
				    "%s value of %zu bytes has no 4-byte count", tn, len);
	count = rp_le32(data);
	if (count == 0) {
		v->width = MAPI_MV_WIDTH_NONE;
		return bin_set(&v->tail, data + 4, len - 4);
	}
	if (count > MAPI_MV_MAX_COUNT)
		return rp_error_set(RP_EFORMAT,
				    "%s count %" PRIu32 " exceeds the limit %u", tn,
				    count, MAPI_MV_MAX_COUNT);
	if ((uint64_t)4 + (uint64_t)count * desc_size(type, MAPI_MV_WIDTH_32) > len)
		return rp_error_set(
		    RP_EFORMAT,
		    "%s count %" PRIu32 " needs %zu descriptor bytes, value has %zu", tn,
		    count, (size_t)count * desc_size(type, MAPI_MV_WIDTH_32), len);
	/* Width: the first item starts right after the descriptor array. With
	 * the 64-bit binary layout the 32-bit offset slot is the zero pad, and for
	 * strings the u32 is the low half of the u64, so the tests exclude each
	 * other. */
	if (desc_off(data, type, MAPI_MV_WIDTH_32, 0) ==
	    4 + (uint64_t)count * desc_size(type, MAPI_MV_WIDTH_32)) {
		v->width = MAPI_MV_WIDTH_32;
	} else if ((uint64_t)4 + (uint64_t)count * desc_size(type, MAPI_MV_WIDTH_64) <=
		       len &&
		   desc_off(data, type, MAPI_MV_WIDTH_64, 0) ==
		       4 + (uint64_t)count * desc_size(type, MAPI_MV_WIDTH_64)) {
		v->width = MAPI_MV_WIDTH_64;
	} else {
		first = desc_off(data, type, MAPI_MV_WIDTH_32, 0);
		return rp_error_set(
		    RP_EFORMAT,
		    "%s descriptor 0 at offset 4: first offset 0x%" PRIx64
		    " is neither 0x%zx (32-bit layout) nor 0x%zx (64-bit layout)",
		    tn, first, 4 + (size_t)count * desc_size(type, MAPI_MV_WIDTH_32),
		    4 + (size_t)count * desc_size(type, MAPI_MV_WIDTH_64));
	}
	rc = mv_alloc(v, count);
	if (rc < 0)
		return rc;
	pos = 4 + (size_t)count * desc_size(type, v->width);
	for (i = 0; i < count; i++) {
		size_t doff = 4 + i * desc_size(type, v->width), end;
		uint64_t off = desc_off(data, type, v->width, i);

		if (off != pos)
			return rp_error_set(
			    RP_EFORMAT,
			    "%s descriptor %zu at offset %zu: item offset 0x%" PRIx64
			    " where 0x%zx was expected (items must follow each "
			    "other in order, without gaps)",
			    tn, i, doff, off, pos);
		if (type == PT_MV_BINARY) {
			uint32_t cb = rp_le32(data + doff);
			size_t pad, k;
			if (v->width == MAPI_MV_WIDTH_64 && rp_le32(data + doff + 4) != 0)
				return rp_error_set(
				    RP_EFORMAT,
				    "%s descriptor %zu at offset %zu: padding 0x%" PRIx32
				    " is not zero",
				    tn, i, doff, rp_le32(data + doff + 4));
			if (cb > len - pos)
				return rp_error_set(
				    RP_EFORMAT,
				    "%s descriptor %zu at offset %zu: blob of %" PRIu32
				    " bytes at offset 0x%zx runs past the end (0x%zx)",
				    tn, i, doff, cb, pos, len);
			end = pos + cb;
			pad = (4 - (end & 3)) & 3;
			if (pad > len - end)
				return rp_error_set(
				    RP_EFORMAT,
				    "%s descriptor %zu at offset %zu: value ends at "
				    "0x%zx "
				    "inside the 4-byte padding after the blob",
				    tn, i, doff, len);
			for (k = 0; k < pad; k++)
				if (data[end + k] != 0)
					return rp_error_set(
					    RP_EFORMAT,
					    "%s descriptor %zu: padding byte at offset "
					    "0x%zx is not zero",
					    tn, i, end + k);
			rc = bin_set(&v->mv[i], data + pos, cb);
			if (rc < 0)
				return rc;
			v->count = i + 1;
			pos = end + pad;
			continue;
		}
		if (i + 1 < count) {
			uint64_t next = desc_off(data, type, v->width, i + 1);
			if (next < pos + unit || next > len)
				return rp_error_set(
				    RP_EFORMAT,
				    "%s descriptor %zu at offset %zu: offset 0x%" PRIx64
				    " out of order or out of range (item %zu starts at "
				    "0x%zx, "
				    "value ends at 0x%zx)",
				    tn, i + 1, doff + desc_size(type, v->width), next, i,
				    pos, len);
			end = (size_t)next;
			if ((end - pos) % unit || data[end - 1] != 0 ||
			    data[end - unit] != 0)
				return rp_error_set(
				    RP_EFORMAT,
				    "%s string %zu at offset 0x%zx is not NUL-terminated "
				    "before string %zu at 0x%zx",
				    tn, i, pos, i + 1, end);
		} else {
			for (end = pos; end + unit <= len; end += unit)
				if (data[end] == 0 && data[end + unit - 1] == 0)
					break;
			if (end + unit > len)
				return rp_error_set(RP_EFORMAT,
						    "%s string %zu at offset 0x%zx has "
						    "no terminating NUL",
						    tn, i, pos);
			end += unit;
		}
		rc = bin_set(&v->mv[i], data + pos, end - pos);
		if (rc < 0)
			return rc;
		v->count = i + 1;
		pos = end;
	}
	return bin_set(&v->tail, data + pos, len - pos);
}

int mapi_value_decode(mapi_value *out, uint32_t tag, uint32_t regtype,
		      const uint8_t *data, size_t len)
{
	uint16_t type = PROP_TYPE(tag);
	size_t es = elem_size(type);
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	out->tag = tag;
	out->regtype = regtype;
	if (!data && len)
		return rp_error_set(RP_EINVAL, "no data for %zu bytes", len);

	if (is_str(type) && (regtype == MAPI_REG_BINARY || regtype == MAPI_REG_SZ ||
			     regtype == MAPI_REG_EXPAND_SZ)) {
		/* PT_UNICODE, and any string in REG_SZ, is UTF-16LE. */
		if ((type == PT_UNICODE || regtype != MAPI_REG_BINARY) && (len & 1))
			return rp_error_set(RP_EFORMAT,
					    "%s value has an odd length (%zu bytes)",
					    tname(type), len);
		return bin_set(&out->bin, data, len);
	}
	if (type == PT_BINARY && regtype == MAPI_REG_BINARY)
		return bin_set(&out->bin, data, len);
	if (!(type & MV_FLAG) && es &&
	    (regtype == MAPI_REG_BINARY ||
	     (regtype == MAPI_REG_DWORD && type == PT_LONG) ||
	     (regtype == MAPI_REG_QWORD && type == PT_I8))) {
		if (len != es)
			return rp_error_set(RP_EFORMAT,
					    "%s value has %zu bytes, expected %zu",
					    tname(type), len, es);
		scalar_get(out, type, data);
		return RP_OK;
	}
	if (is_mv_fixed(type) && regtype == MAPI_REG_BINARY) {
		if (len % es)
			return rp_error_set(
			    RP_EFORMAT,
			    "%s value has %zu bytes, not a multiple of the %zu-byte "
			    "element",
			    tname(type), len, es);
		if (len / es > MAPI_MV_MAX_COUNT)
			return rp_error_set(RP_EFORMAT,
					    "%s has %zu elements, over the limit %u",
					    tname(type), len / es, MAPI_MV_MAX_COUNT);
		rc = mv_alloc(out, len / es);
		if (rc < 0)
			return rc;
		for (i = 0; i < len / es; i++) {
			rc = bin_set(&out->mv[i], data + i * es, es);
			if (rc < 0)
				return rc;
			out->count = i + 1;
		}
		return RP_OK;
	}
	if (is_mv_var(type) && regtype == MAPI_REG_BINARY && len > 0)
		return decode_mv_var(out, type, data, len);
	out->opaque = true;
	return bin_set(&out->bin, data, len);
}

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static int encode_mv_var(const mapi_value *v, uint16_t type, rp_buf *out)
{
	size_t i, pos, ds;
	int rc;

	if (v->count > MAPI_MV_MAX_COUNT)
		return rp_error_set(RP_EINVAL, "%s has %zu items, over the limit %u",
				    tname(type), v->count, MAPI_MV_MAX_COUNT);
	if (v->count && v->width != MAPI_MV_WIDTH_32 && v->width != MAPI_MV_WIDTH_64)
		return rp_error_set(
		    RP_EINVAL,
		    "%s with %zu items has no descriptor width (32- or 64-bit)",
		    tname(type), v->count);
	rc = rp_buf_u32le(out, (uint32_t)v->count);
	if (v->count == 0)
		return rc < 0 ? rc : rp_buf_append(out, v->tail.p, v->tail.n);
	ds = desc_size(type, v->width);
	pos = 4 + v->count * ds;
	for (i = 0; i < v->count && rc == RP_OK; i++) {
		if (v->width == MAPI_MV_WIDTH_32 && pos > UINT32_MAX)
			return rp_error_set(RP_EINVAL, "%s item %zu lies beyond 4 GiB",
					    tname(type), i);
		if (type == PT_MV_BINARY) {
			if (v->mv[i].n > UINT32_MAX)
				return rp_error_set(RP_EINVAL, "%s item %zu is too large",
						    tname(type), i);
			rc = rp_buf_u32le(out, (uint32_t)v->mv[i].n);
			if (rc == RP_OK && v->width == MAPI_MV_WIDTH_64)
				rc = rp_buf_u32le(out, 0);
		}
		if (rc == RP_OK)
			rc = v->width == MAPI_MV_WIDTH_64
				 ? rp_buf_u64le(out, pos)
				 : rp_buf_u32le(out, (uint32_t)pos);
		pos += v->mv[i].n;
		if (type == PT_MV_BINARY)
			pos = align4(pos);
	}
	for (i = 0; i < v->count && rc == RP_OK; i++) {
		rc = rp_buf_append(out, v->mv[i].p, v->mv[i].n);
		if (rc == RP_OK && type == PT_MV_BINARY)
			rc = rp_buf_zeros(out, align4(v->mv[i].n) - v->mv[i].n);
	}
	if (rc == RP_OK)
		rc = rp_buf_append(out, v->tail.p, v->tail.n);
	return rc;
}

int mapi_value_encode(const mapi_value *v, rp_buf *out, uint32_t *regtype)
{
	uint16_t type = PROP_TYPE(v->tag);
	size_t es = elem_size(type), i;
	int rc = RP_OK;

	if (regtype)
		*regtype = v->regtype;
	if (v->opaque || is_str(type) || type == PT_BINARY)
		return rp_buf_append(out, v->bin.p, v->bin.n);
	if (!(type & MV_FLAG) && es)
		return scalar_put(v, type, out);
	if (is_mv_fixed(type)) {
		for (i = 0; i < v->count && rc == RP_OK; i++) {
			if (v->mv[i].n != es)
				return rp_error_set(
				    RP_EINVAL, "%s item %zu has %zu bytes, expected %zu",
				    tname(type), i, v->mv[i].n, es);
			rc = rp_buf_append(out, v->mv[i].p, es);
		}
		return rc;
	}
	if (is_mv_var(type))
		return encode_mv_var(v, type, out);
	return rp_buf_append(out, v->bin.p, v->bin.n);
}

int mapi_value_copy(mapi_value *dst, const mapi_value *src)
{
	size_t i;
	int rc;

	*dst = *src;
	dst->bin.p = dst->tail.p = NULL;
	dst->bin.n = dst->tail.n = 0;
	dst->mv = NULL;
	dst->count = 0;
	rc = bin_set(&dst->bin, src->bin.p, src->bin.n);
	if (rc == RP_OK)
		rc = bin_set(&dst->tail, src->tail.p, src->tail.n);
	if (rc == RP_OK && src->mv)
		rc = mv_alloc(dst, src->count);
	for (i = 0; rc == RP_OK && i < src->count; i++) {
		rc = bin_set(&dst->mv[i], src->mv[i].p, src->mv[i].n);
		if (rc == RP_OK)
			dst->count = i + 1;
	}
	if (rc < 0)
		mapi_value_free(dst);
	return rc;
}

/* ---- Windows-1252 ---------------------------------------------------- */

/* 0x80..0x9F of Windows-1252 (unicode.org MAPPINGS/VENDORS/MICSFT/WINDOWS/
 * CP1252.TXT); 0 = undefined, kept as the C1 control of the same number. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

int mapi_str8_to_utf8(const uint8_t *p, size_t n, char **out)
{
	rp_buf b = RP_BUF_INIT;
	size_t i;
	int rc = RP_OK;

	*out = NULL;
	for (i = 0; i < n && p[i] && rc == RP_OK; i++) {
		uint32_t cp = p[i];
		if (cp >= 0x80 && cp < 0xA0 && cp1252_hi[cp - 0x80])
			cp = cp1252_hi[cp - 0x80];
		if (cp < 0x80) {
			rc = rp_buf_u8(&b, (uint8_t)cp);
		} else if (cp < 0x800) {
			uint8_t t[2] = {(uint8_t)(0xC0 | (cp >> 6)),
					(uint8_t)(0x80 | (cp & 0x3F))};
			rc = rp_buf_append(&b, t, 2);
		} else {
			uint8_t t[3] = {(uint8_t)(0xE0 | (cp >> 12)),
					(uint8_t)(0x80 | ((cp >> 6) & 0x3F)),
					(uint8_t)(0x80 | (cp & 0x3F))};
			rc = rp_buf_append(&b, t, 3);
		}
	}
	if (rc == RP_OK)
		rc = rp_buf_u8(&b, 0);
	if (rc < 0) {
		rp_buf_free(&b);
		return rc;
	}
	*out = (char *)rp_buf_steal(&b, NULL);
	return RP_OK;
}

int mapi_utf8_to_str8(const char *s, rp_buf *b, bool nul)
{
	size_t n = strlen(s), i = 0;
	int rc = RP_OK;

	while (i < n && rc == RP_OK) {
		uint32_t cp;
		int used = rp_utf8_next(s + i, n - i, &cp), k;
		if (used < 0)
			return rp_error_set(RP_EINVAL,
					    "invalid UTF-8 at byte %zu of \"%s\"", i, s);
		i += (size_t)used;
		if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
			rc = rp_buf_u8(b, (uint8_t)cp);
			continue;
		}
		for (k = 0; k < 32; k++)
			if (cp1252_hi[k] == cp ||
			    (!cp1252_hi[k] && cp == 0x80u + (unsigned)k))
				break;
		if (k == 32)
			return rp_error_set(RP_EINVAL,
					    "character U+%04" PRIX32
					    " in \"%s\" cannot be stored as Windows-1252",
					    cp, s);
		rc = rp_buf_u8(b, (uint8_t)(0x80 + k));
	}
	if (rc == RP_OK && nul)
		rc = rp_buf_u8(b, 0);
	return rc;
}

/* ---- strings ----------------------------------------------------------- */

/* The stored bytes of a string of type/regtype as UTF-8. */
static int str_bytes_utf8(uint16_t type, uint32_t regtype, const uint8_t *p, size_t n,
			  char **out)
{
	if (type == PT_UNICODE || type == PT_MV_UNICODE || regtype != MAPI_REG_BINARY)
		return rp_utf16le_to_utf8(p, n & ~(size_t)1, out);
	return mapi_str8_to_utf8(p, n, out);
}

int mapi_value_str_utf8(const mapi_value *v, char **out)
{
	uint16_t type = PROP_TYPE(v->tag);
	*out = NULL;
	if (!is_str(type) || v->opaque)
		return rp_error_set(RP_EINVAL,
				    "value %08" PRIx32 " is not a single string", v->tag);
	return str_bytes_utf8(type, v->regtype, v->bin.p, v->bin.n, out);
}

int mapi_value_mvstr_utf8(const mapi_value *v, size_t i, char **out)
{
	uint16_t type = PROP_TYPE(v->tag);
	*out = NULL;
	if ((type != PT_MV_UNICODE && type != PT_MV_STRING8) || v->opaque ||
	    i >= v->count)
		return rp_error_set(
		    RP_EINVAL, "value %08" PRIx32 " has no string item %zu", v->tag, i);
	return str_bytes_utf8(type, MAPI_REG_BINARY, v->mv[i].p, v->mv[i].n, out);
}

/* ---- builders ----------------------------------------------------------- */

static int set_from_buf(mapi_value *out, uint32_t tag, uint32_t regtype, rp_buf *b)
{
	memset(out, 0, sizeof(*out));
	out->tag = tag;
	out->regtype = regtype;
	out->bin.p = rp_buf_steal(b, &out->bin.n);
	if (!out->bin.p) {
		out->bin.p = malloc(1);
		out->bin.n = 0;
		if (!out->bin.p)
			return rp_error_set(RP_ENOMEM, "out of memory");
	}
	return RP_OK;
}

int mapi_value_set_unicode(mapi_value *out, uint32_t tag, const char *utf8)
{
	rp_buf b = RP_BUF_INIT;
	int rc = rp_utf8_to_utf16le(utf8, strlen(utf8), &b, true);
	if (rc < 0) {
		rp_buf_free(&b);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	return set_from_buf(out, PROP_TAG(PT_UNICODE, PROP_ID(tag)), MAPI_REG_BINARY, &b);
}

int mapi_value_set_string8(mapi_value *out, uint32_t tag, uint32_t regtype, const char *s)
{
	rp_buf b = RP_BUF_INIT;
	int rc;
	if (regtype == MAPI_REG_BINARY)
		rc = mapi_utf8_to_str8(s, &b, true);
	else if (regtype == MAPI_REG_SZ || regtype == MAPI_REG_EXPAND_SZ)
		rc = rp_utf8_to_utf16le(s, strlen(s), &b, true);
	else
		rc = rp_error_set(RP_EINVAL,
				  "PT_STRING8 cannot be stored as registry type %" PRIu32,
				  regtype);
	if (rc < 0) {
		rp_buf_free(&b);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	return set_from_buf(out, PROP_TAG(PT_STRING8, PROP_ID(tag)), regtype, &b);
}

int mapi_value_set_binary(mapi_value *out, uint32_t tag, const void *p, size_t n)
{
	memset(out, 0, sizeof(*out));
	out->tag = PROP_TAG(PT_BINARY, PROP_ID(tag));
	out->regtype = MAPI_REG_BINARY;
	return bin_set(&out->bin, p, n);
}

int mapi_value_set_long(mapi_value *out, uint32_t tag, int32_t v)
{
	memset(out, 0, sizeof(*out));
	out->tag = PROP_TAG(PT_LONG, PROP_ID(tag));
	out->regtype = MAPI_REG_BINARY;
	out->u.l = v;
	return RP_OK;
}

int mapi_value_set_mv_empty(mapi_value *out, uint32_t tag, mapi_mv_width width)
{
	memset(out, 0, sizeof(*out));
	if (!(PROP_TYPE(tag) & MV_FLAG))
		return rp_error_set(RP_EINVAL, "tag %08" PRIx32 " is not multi-valued",
				    tag);
	out->tag = tag;
	out->regtype = MAPI_REG_BINARY;
	out->width = is_mv_var(PROP_TYPE(tag)) ? width : MAPI_MV_WIDTH_NONE;
	return RP_OK;
}

static int mv_check(const mapi_value *v, size_t n)
{
	uint16_t type = PROP_TYPE(v->tag);
	if (!(type & MV_FLAG) || v->opaque)
		return rp_error_set(RP_EINVAL, "value %08" PRIx32 " is not a multi-value",
				    v->tag);
	if (is_mv_fixed(type) && n != elem_size(type))
		return rp_error_set(RP_EINVAL, "%s item must have %zu bytes, not %zu",
				    tname(type), elem_size(type), n);
	return RP_OK;
}

int mapi_value_mv_set(mapi_value *v, size_t i, const void *p, size_t n)
{
	int rc = mv_check(v, n);
	if (rc < 0)
		return rc;
	if (i >= v->count)
		return rp_error_set(RP_EINVAL, "item %zu out of range (%zu items)", i,
				    v->count);
	return bin_set(&v->mv[i], p, n);
}

int mapi_value_mv_insert(mapi_value *v, size_t i, const void *p, size_t n)
{
	mapi_bin nb = {NULL, 0}, *mv;
	int rc = mv_check(v, n);
	if (rc < 0)
		return rc;
	if (i > v->count)
		return rp_error_set(RP_EINVAL, "item %zu out of range (%zu items)", i,
				    v->count);
	if (v->count >= MAPI_MV_MAX_COUNT)
		return rp_error_set(RP_ELIMIT, "multi-value already has %zu items",
				    v->count);
	rc = bin_set(&nb, p, n);
	if (rc < 0)
		return rc;
	mv = realloc(v->mv, (v->count + 1) * sizeof(*mv));
	if (!mv) {
		bin_free(&nb);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	memmove(mv + i + 1, mv + i, (v->count - i) * sizeof(*mv));
	mv[i] = nb;
	v->mv = mv;
	v->count++;
	return RP_OK;
}

int mapi_value_mv_remove(mapi_value *v, size_t i)
{
	if (i >= v->count)
		return rp_error_set(RP_EINVAL, "item %zu out of range (%zu items)", i,
				    v->count);
	bin_free(&v->mv[i]);
	memmove(v->mv + i, v->mv + i + 1, (v->count - i - 1) * sizeof(*v->mv));
	v->count--;
	return RP_OK;
}

int mapi_value_mv_set_utf8(mapi_value *v, size_t i, const char *utf8)
{
	uint16_t type = PROP_TYPE(v->tag);
	rp_buf b = RP_BUF_INIT;
	int rc;

	if (type == PT_MV_UNICODE)
		rc = rp_utf8_to_utf16le(utf8, strlen(utf8), &b, true);
	else if (type == PT_MV_STRING8)
		rc = mapi_utf8_to_str8(utf8, &b, true);
	else
		rc = rp_error_set(
		    RP_EINVAL, "value %08" PRIx32 " is not a string multi-value", v->tag);
	if (rc == RP_OK)
		rc = i < v->count ? mapi_value_mv_set(v, i, b.data, b.len)
				  : mapi_value_mv_insert(v, i, b.data, b.len);
	rp_buf_free(&b);
	return rc;
}

/* ---- rendering ------------------------------------------------------- */

/* FILETIME -> "YYYY-MM-DDTHH:MM:SSZ" (days-from-civil inverse, proleptic
 * Gregorian; H. Hinnant's public-domain algorithm). */
static int put_filetime(rp_buf *out, uint64_t ft)
{
	int64_t secs = (int64_t)(ft / 10000000u) - INT64_C(11644473600);
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t rem = secs - days * 86400;
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	return rp_buf_printf(out,
			     "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64
			     ":%02" PRId64 ":%02" PRId64 "Z",
			     y, m, d, rem / 3600, rem % 3600 / 60, rem % 60);
}

static int put_guid(rp_buf *out, const uint8_t *g)
{
	return rp_buf_printf(
	    out, "{%08" PRIX32 "-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
	    rp_le32(g), rp_le16(g + 4), rp_le16(g + 6), g[8], g[9], g[10], g[11], g[12],
	    g[13], g[14], g[15]);
}

static int put_hex(rp_buf *out, const uint8_t *p, size_t n)
{
	size_t i;
	int rc = RP_OK;
	for (i = 0; i < n && rc == RP_OK; i++)
		rc = rp_buf_printf(out, "%02x", p[i]);
	return rc;
}

static int put_quoted(rp_buf *out, const char *s)
{
	int rc = rp_buf_u8(out, '"');
	for (; *s && rc == RP_OK; s++) {
		if (*s == '"' || *s == '\\')
			rc = rp_buf_printf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			rc = rp_buf_printf(out, "\\x%02x", (unsigned char)*s);
		else
			rc = rp_buf_u8(out, (uint8_t)*s);
	}
	return rc == RP_OK ? rp_buf_u8(out, '"') : rc;
}

/* One element of a fixed-size type from its stored bytes. */
static int put_elem(rp_buf *out, uint16_t type, const uint8_t *p)
{
	mapi_value t;
	memset(&t, 0, sizeof(t));
	scalar_get(&t, type, p);
	switch (type) {
	case PT_SHORT:
		return rp_buf_printf(out, "%d", t.u.i);
	case PT_BOOLEAN:
		return rp_buf_puts(out, t.u.b ? "true" : "false");
	case PT_LONG:
		return rp_buf_printf(out, "%" PRId32 " (0x%08" PRIx32 ")", t.u.l,
				     (uint32_t)t.u.l);
	case PT_ERROR:
		return rp_buf_printf(out, "error 0x%08" PRIX32, t.u.err);
	case PT_FLOAT:
		return rp_buf_printf(out, "%g", (double)t.u.f);
	case PT_DOUBLE:
	case PT_APPTIME:
		return rp_buf_printf(out, "%.17g", t.u.d);
	case PT_CURRENCY:
	case PT_I8:
		return rp_buf_printf(out, "%" PRId64, t.u.i8);
	case PT_SYSTIME:
		return put_filetime(out, t.u.ft);
	case PT_CLSID:
		return put_guid(out, t.u.guid);
	default:
		return put_hex(out, p, elem_size(type));
	}
}

static int put_item(rp_buf *out, uint16_t type, uint32_t regtype, const uint8_t *p,
		    size_t n)
{
	char *s = NULL;
	int rc;
	if (type == PT_BINARY)
		return put_hex(out, p, n);
	rc = str_bytes_utf8(type, regtype, p, n, &s);
	if (rc == RP_OK)
		rc = put_quoted(out, s);
	free(s);
	return rc;
}

int mapi_value_render(const mapi_value *v, rp_buf *out)
{
	uint16_t type = PROP_TYPE(v->tag);
	uint8_t tmp[16];
	size_t i;
	int rc = RP_OK;

	if (v->opaque)
		return rp_buf_puts(out, "(opaque) ") == RP_OK
			   ? put_hex(out, v->bin.p, v->bin.n)
			   : RP_ENOMEM;
	if (is_str(type) || type == PT_BINARY)
		return put_item(out, type, v->regtype, v->bin.p, v->bin.n);
	if (!(type & MV_FLAG) && elem_size(type)) {
		rp_buf b = RP_BUF_INIT;
		rc = scalar_put(v, type, &b);
		if (rc == RP_OK)
			memcpy(tmp, b.data, b.len);
		rp_buf_free(&b);
		return rc == RP_OK ? put_elem(out, type, tmp) : rc;
	}
	rc = rp_buf_u8(out, '[');
	for (i = 0; i < v->count && rc == RP_OK; i++) {
		if (i)
			rc = rp_buf_puts(out, ", ");
		if (rc != RP_OK)
			break;
		if (is_mv_fixed(type))
			rc = put_elem(out, type & (uint16_t)~MV_FLAG, v->mv[i].p);
		else
			rc = put_item(out, type & (uint16_t)~MV_FLAG, MAPI_REG_BINARY,
				      v->mv[i].p, v->mv[i].n);
	}
	if (rc == RP_OK)
		rc = rp_buf_u8(out, ']');
	if (rc == RP_OK && v->tail.n) {
		rc = rp_buf_puts(out, " tail ");
		if (rc == RP_OK)
			rc = put_hex(out, v->tail.p, v->tail.n);
	}
	return rc;
}

static void json_item(rp_json *j, uint16_t type, uint32_t regtype, const uint8_t *p,
		      size_t n)
{
	char *s = NULL;
	if (type == PT_BINARY) {
		rp_json_hex(j, p, n);
		return;
	}
	if (str_bytes_utf8(type, regtype, p, n, &s) == RP_OK)
		rp_json_str(j, s);
	else
		rp_json_null(j);
	free(s);
}

static void json_elem(rp_json *j, uint16_t type, const uint8_t *p)
{
	rp_buf b = RP_BUF_INIT;
	mapi_value t;
	memset(&t, 0, sizeof(t));
	scalar_get(&t, type, p);
	switch (type) {
	case PT_SHORT:
		rp_json_int(j, t.u.i);
		return;
	case PT_BOOLEAN:
		rp_json_bool(j, t.u.b != 0);
		return;
	case PT_LONG:
		rp_json_int(j, t.u.l);
		return;
	case PT_ERROR:
		rp_json_uint(j, t.u.err);
		return;
	case PT_CURRENCY:
	case PT_I8:
		rp_json_int(j, t.u.i8);
		return;
	default:
		break;
	}
	if (put_elem(&b, type, p) == RP_OK && rp_buf_u8(&b, 0) == RP_OK)
		rp_json_str(j, (const char *)b.data);
	else
		rp_json_null(j);
	rp_buf_free(&b);
}

void mapi_value_render_json(const mapi_value *v, rp_json *j)
{
	uint16_t type = PROP_TYPE(v->tag);
	char regname[9];
	const char *tn = mapi_type_name(type);
	size_t i;

	mapi_tag_to_regname(v->tag, regname);
	rp_json_obj_begin(j);
	rp_json_kstr(j, "regname", regname);
	rp_json_kuint(j, "tag", v->tag);
	rp_json_kstr(j, "name", mapi_tag_name(v->tag));
	rp_json_kstr(j, "type", tn);
	rp_json_kuint(j, "regtype", v->regtype);
	rp_json_kbool(j, "opaque", v->opaque);
	if (v->opaque) {
		rp_json_khex(j, "data", v->bin.p, v->bin.n);
	} else if (is_str(type) || type == PT_BINARY) {
		rp_json_key(j, "value");
		json_item(j, type, v->regtype, v->bin.p, v->bin.n);
	} else if (!(type & MV_FLAG) && elem_size(type)) {
		rp_buf b = RP_BUF_INIT;
		rp_json_key(j, "value");
		if (scalar_put(v, type, &b) == RP_OK)
			json_elem(j, type, b.data);
		else
			rp_json_null(j);
		rp_buf_free(&b);
	} else {
		rp_json_kstr(j, "width",
			     v->width == MAPI_MV_WIDTH_32   ? "32-bit"
			     : v->width == MAPI_MV_WIDTH_64 ? "64-bit"
							    : "none");
		rp_json_key(j, "values");
		rp_json_arr_begin(j);
		for (i = 0; i < v->count; i++) {
			if (is_mv_fixed(type))
				json_elem(j, type & (uint16_t)~MV_FLAG, v->mv[i].p);
			else
				json_item(j, type & (uint16_t)~MV_FLAG, MAPI_REG_BINARY,
					  v->mv[i].p, v->mv[i].n);
		}
		rp_json_arr_end(j);
		if (v->tail.n)
			rp_json_khex(j, "tail", v->tail.p, v->tail.n);
	}
	rp_json_obj_end(j);
}
