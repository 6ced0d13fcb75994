/* mbx_prop.c - property values, rows and names in ROP buffers.
 *
 * The ROP framing (counts, terminators, the one-byte boolean) is done here;
 * the bytes of each scalar, string and binary are handed to src/mapi's
 * registry codec, whose byte forms are the same (mapi_value.h). */
#include "mailbox/mbx_prop.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mailbox/mbx_int.h"
#include "mapi/mapi_tag.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Size of a fixed-size single value in a ROP buffer, 0 otherwise. */
static size_t fixed_size(uint16_t type)
{
	switch (type) {
	case PT_BOOLEAN:
		return 1;
	case PT_SHORT:
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

/* Element size of a fixed-size multi-valued type (MS-OXCDATA 2.11.1: there
 * is no multi-valued boolean or error). */
static size_t mv_fixed_size(uint16_t type)
{
	uint16_t base = (uint16_t)(type & ~MV_FLAG);
	if (!(type & MV_FLAG) || base == PT_BOOLEAN || base == PT_ERROR)
		return 0;
	return fixed_size(base);
}

static bool mv_var(uint16_t type)
{
	return type == PT_MV_STRING8 || type == PT_MV_UNICODE || type == PT_MV_BINARY;
}

static const char *type_str(uint16_t type)
{
	const char *n = mapi_type_name(type);
	return n ? n : "property type";
}

/* One string or binary element: sets p and n to its bytes (strings with
 * the terminator, binary without the count). */
static int elem_view(rp_cur *c, uint16_t base, const uint8_t **p, size_t *n, bool wide)
{
	uint16_t cb;
	uint32_t cb32;
	size_t len;
	int rc;

	switch (base) {
	case PT_STRING8: {
		const char *s;
		rc = rp_cur_cstr(c, &s, &len, "PtypString8 value");
		*p = (const uint8_t *)s;
		*n = len + 1;
		return rc;
	}
	case PT_UNICODE:
		rc = rp_cur_wstr(c, p, &len, "PtypString value");
		*n = len + 2;
		return rc;
	default:
		if (wide) {
			rc = rp_cur_u32(c, &cb32, "binary value count");
			if (rc == RP_OK)
				rc = rp_cur_view(c, p, cb32, "binary value bytes");
			*n = cb32;
			return rc;
		}
		rc = rp_cur_u16(c, &cb, "binary value count");
		if (rc == RP_OK)
			rc = rp_cur_view(c, p, cb, "binary value bytes");
		*n = cb;
		return rc;
	}
}

int mbx_value_decode_d(rp_cur *c, uint32_t tag, mapi_value *out, int depth, bool wide)
{
	uint16_t type = PROP_TYPE(tag);
	size_t fs = fixed_size(type), start = c->off, n;
	const uint8_t *p;
	uint32_t count, i;
	int rc;

	memset(out, 0, sizeof(*out));
	out->tag = tag;
	out->regtype = MAPI_REG_BINARY;
	if (depth > MBX_RES_MAX_DEPTH)
		return rp_error_set(
		    RP_ELIMIT, "restriction nested deeper than %d levels at offset %zu",
		    MBX_RES_MAX_DEPTH, c->base + c->off);
	if (type == PT_BOOLEAN) {
		uint8_t b;
		rc = rp_cur_u8(c, &b, "PtypBoolean value");
		out->u.b = b;
		return rc;
	}
	if (fs) {
		rc = rp_cur_view(c, &p, fs, type_str(type));
		return rc < 0 ? rc : mapi_value_decode(out, tag, MAPI_REG_BINARY, p, fs);
	}
	switch (type) {
	case PT_NULL:
		out->opaque = true;
		return RP_OK;
	case PT_STRING8:
	case PT_UNICODE:
	case PT_BINARY:
		rc = elem_view(c, type, &p, &n, wide);
		return rc < 0 ? rc : mapi_value_decode(out, tag, MAPI_REG_BINARY, p, n);
	case PT_SVREID:
		rc = elem_view(c, PT_BINARY, &p, &n, false);
		break;
	case PT_SRESTRICT: {
		mbx_res r;
		rc = mbx_res_decode_d(c, &r, depth + 1, wide);
		mbx_res_free(&r);
		p = c->p + start;
		n = c->off - start;
		break;
	}
	case PT_ACTIONS:
		rc = mbx_actions_skip(c, &p, &n);
		break;
	default:
		rc = RP_OK;
		break;
	}
	if (type == PT_SVREID || type == PT_SRESTRICT || type == PT_ACTIONS) {
		if (rc < 0)
			return rc;
		rc = mapi_value_decode(out, tag, MAPI_REG_BINARY, p, n);
		out->opaque = true;
		return rc;
	}
	if (!(type & MV_FLAG) || (!mv_var(type) && !mv_fixed_size(type)))
		return rp_error_set(RP_EFORMAT,
				    "property %08" PRIx32
				    ": type 0x%04x cannot appear in a "
				    "ROP buffer (offset %zu)",
				    tag, type, c->base + c->off);
	rc = rp_cur_u32(c, &count, "multi-value count");
	if (rc < 0)
		return rc;
	if (count > MBX_PROP_MAX_COUNT || count > rp_cur_left(c))
		return rp_error_set(RP_EFORMAT,
				    "property %08" PRIx32 ": multi-value count %" PRIu32
				    " too large at offset %zu",
				    tag, count, c->base + start);
	if (!mv_var(type)) {
		size_t es = mv_fixed_size(type);
		rc = rp_cur_view(c, &p, (size_t)count * es, "multi-value items");
		return rc < 0 ? rc
			      : mapi_value_decode(out, tag, MAPI_REG_BINARY, p,
						  (size_t)count * es);
	}
	rc = mapi_value_set_mv_empty(out, tag, MAPI_MV_WIDTH_32);
	if (rc < 0)
		return rc;
	if (count) {
		out->mv = calloc(count, sizeof(*out->mv));
		if (!out->mv)
			return rp_error_set(RP_ENOMEM, "out of memory");
	}
	for (i = 0; i < count; i++) {
		rc = elem_view(c, (uint16_t)(type & ~MV_FLAG), &p, &n, wide);
		if (rc < 0)
			return rc;
		out->mv[i].p = malloc(n ? n : 1);
		if (!out->mv[i].p)
			return rp_error_set(RP_ENOMEM, "out of memory");
		memcpy(out->mv[i].p, p, n);
		out->mv[i].n = n;
		out->count = i + 1;
	}
	return RP_OK;
}

int mbx_prop_value_decode(rp_cur *c, uint32_t tag, mapi_value *out)
{
	return mbx_value_decode_d(c, tag, out, 0, false);
}

/* Writes a string or binary element: strings get their terminator if the
 * value lacks it; a binary gets its 2-byte count (4 bytes when wide). */
static int elem_put(rp_buf *b, uint16_t base, const uint8_t *p, size_t n, bool wide)
{
	int rc;
	if (base == PT_STRING8) {
		rc = rp_buf_append(b, p, n);
		if (rc == RP_OK && (n == 0 || p[n - 1] != 0))
			rc = rp_buf_u8(b, 0);
		return rc;
	}
	if (base == PT_UNICODE) {
		if (n & 1)
			return rp_error_set(RP_EINVAL, "UTF-16 string of odd length %zu",
					    n);
		rc = rp_buf_append(b, p, n);
		if (rc == RP_OK && (n < 2 || p[n - 1] != 0 || p[n - 2] != 0))
			rc = rp_buf_u16le(b, 0);
		return rc;
	}
	if (wide) {
		if (n > UINT32_MAX)
			return rp_error_set(RP_ELIMIT, "binary value of %zu bytes", n);
		rc = rp_buf_u32le(b, (uint32_t)n);
		return rc < 0 ? rc : rp_buf_append(b, p, n);
	}
	if (n > 0xFFFF)
		return rp_error_set(RP_ELIMIT,
				    "binary value of %zu bytes (the limit is 65535)", n);
	rc = rp_buf_u16le(b, (uint16_t)n);
	return rc < 0 ? rc : rp_buf_append(b, p, n);
}

int mbx_value_encode_w(rp_buf *b, const mapi_value *v, bool wide)
{
	uint16_t type = PROP_TYPE(v->tag);
	size_t i;
	int rc;

	if (type == PT_BOOLEAN)
		return rp_buf_u8(b, (uint8_t)v->u.b);
	if (fixed_size(type))
		return mapi_value_encode(v, b, NULL);
	switch (type) {
	case PT_NULL:
		return RP_OK;
	case PT_STRING8:
	case PT_UNICODE:
	case PT_BINARY:
		return elem_put(b, type, v->bin.p, v->bin.n, wide);
	case PT_SVREID:
		return elem_put(b, PT_BINARY, v->bin.p, v->bin.n, false);
	case PT_SRESTRICT:
	case PT_ACTIONS:
		return rp_buf_append(b, v->bin.p, v->bin.n);
	default:
		break;
	}
	if (!mv_var(type) && !mv_fixed_size(type))
		return rp_error_set(RP_EINVAL,
				    "property %08" PRIx32 ": type 0x%04x cannot be sent",
				    v->tag, type);
	if (v->count > MBX_PROP_MAX_COUNT)
		return rp_error_set(RP_ELIMIT, "multi-value of %zu items", v->count);
	rc = rp_buf_u32le(b, (uint32_t)v->count);
	if (rc < 0)
		return rc;
	if (!mv_var(type))
		return mapi_value_encode(v, b, NULL);
	for (i = 0; i < v->count && rc == RP_OK; i++)
		rc = elem_put(b, (uint16_t)(type & ~MV_FLAG), v->mv[i].p, v->mv[i].n,
			      wide);
	return rc;
}

int mbx_prop_value_encode(rp_buf *b, const mapi_value *v)
{
	return mbx_value_encode_w(b, v, false);
}

static int tag_check(uint32_t tag, size_t off)
{
	uint16_t type = PROP_TYPE(tag);
	if (type == PT_UNSPECIFIED)
		return rp_error_set(RP_EFORMAT,
				    "property %08" PRIx32
				    " has type PtypUnspecified in a "
				    "tagged value (offset %zu)",
				    tag, off);
	return RP_OK;
}

int mbx_tagged_decode_d(rp_cur *c, mapi_value *out, int depth, bool wide)
{
	uint32_t tag;
	size_t off = c->base + c->off;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = rp_cur_u32(c, &tag, "property tag");
	if (rc == RP_OK)
		rc = tag_check(tag, off);
	if (rc < 0)
		return rc;
	return mbx_value_decode_d(c, tag, out, depth, wide);
}

int mbx_prop_tagged_decode(rp_cur *c, mapi_value *out)
{
	return mbx_tagged_decode_d(c, out, 0, false);
}

int mbx_prop_tagged_decode_w(rp_cur *c, mapi_value *out, bool wide)
{
	return mbx_tagged_decode_d(c, out, 0, wide);
}

int mbx_prop_tagged_encode(rp_buf *b, const mapi_value *v)
{
	return mbx_prop_tagged_encode_w(b, v, false);
}

int mbx_prop_tagged_encode_w(rp_buf *b, const mapi_value *v, bool wide)
{
	int rc =
	    PROP_TYPE(v->tag) == PT_UNSPECIFIED
		? rp_error_set(RP_EINVAL, "property %08" PRIx32 " has no type", v->tag)
		: rp_buf_u32le(b, v->tag);
	return rc < 0 ? rc : mbx_value_encode_w(b, v, wide);
}

int mbx_prop_typed_decode(rp_cur *c, uint32_t coltag, mapi_value *out)
{
	uint16_t type;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = rp_cur_u16(c, &type, "property type");
	if (rc < 0)
		return rc;
	if (type == PT_UNSPECIFIED)
		return rp_error_set(RP_EFORMAT,
				    "typed value of %08" PRIx32
				    " has type PtypUnspecified "
				    "(offset %zu)",
				    coltag, c->base + c->off - 2);
	return mbx_prop_value_decode(c, PROP_TAG(type, PROP_ID(coltag)), out);
}

int mbx_prop_typed_encode(rp_buf *b, const mapi_value *v)
{
	int rc = rp_buf_u16le(b, PROP_TYPE(v->tag));
	return rc < 0 ? rc : mbx_prop_value_encode(b, v);
}

void mbx_props_free(mapi_value *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		mapi_value_free(&v[i]);
	free(v);
}

int mbx_proplist_decode(rp_cur *c, mapi_value **out, size_t *n)
{
	uint16_t count = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = rp_cur_u16(c, &count, "property value count");
	if (rc < 0)
		return rc;
	/* A tagged value takes at least 5 bytes (tag + boolean). */
	if ((size_t)count * 5 > rp_cur_left(c))
		return rp_error_set(
		    RP_EFORMAT, "%u property values cannot fit in %zu bytes (offset %zu)",
		    count, rp_cur_left(c), c->base + c->off - 2);
	if (!count)
		return RP_OK;
	*out = calloc(count, sizeof(**out));
	if (!*out)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		*n = i + 1;
		rc = mbx_prop_tagged_decode(c, &(*out)[i]);
		if (rc < 0)
			return rc;
	}
	return RP_OK;
}

int mbx_proplist_encode(rp_buf *b, const mapi_value *v, size_t n)
{
	int rc;
	if (n > 0xFFFF)
		return rp_error_set(RP_ELIMIT, "%zu property values (the limit is 65535)",
				    n);
	rc = rp_buf_u16le(b, (uint16_t)n);
	for (size_t i = 0; i < n && rc == RP_OK; i++)
		rc = mbx_prop_tagged_encode(b, &v[i]);
	return rc;
}

/* One column of a flagged row: [type(2)] flag(1) [value | error]. */
static int flagged_decode(rp_cur *c, uint32_t col, mbx_prop *p)
{
	uint16_t type = PROP_TYPE(col);
	size_t off = c->base + c->off;
	int rc;

	p->typed = type == PT_UNSPECIFIED;
	if (p->typed) {
		rc = rp_cur_u16(c, &type, "property type");
		if (rc < 0)
			return rc;
		p->wire_type = type;
	}
	rc = rp_cur_u8(c, &p->flag, "property flag");
	if (rc < 0)
		return rc;
	switch (p->flag) {
	case MBX_FLAG_VALUE:
		if (type == PT_UNSPECIFIED)
			return rp_error_set(RP_EFORMAT,
					    "column %08" PRIx32
					    " has type PtypUnspecified "
					    "(offset %zu)",
					    col, off);
		return mbx_prop_value_decode(c, PROP_TAG(type, PROP_ID(col)), &p->v);
	case MBX_FLAG_NONE:
		p->v.tag = PROP_TAG(type, PROP_ID(col));
		p->v.regtype = MAPI_REG_BINARY;
		return RP_OK;
	case MBX_FLAG_ERROR:
		p->v.tag = PROP_TAG(PT_ERROR, PROP_ID(col));
		p->v.regtype = MAPI_REG_BINARY;
		return rp_cur_u32(c, &p->v.u.err, "property error code");
	default:
		return rp_error_set(RP_EFORMAT,
				    "column %08" PRIx32
				    ": flag 0x%02x is not 0x00, 0x01 or "
				    "0x0A (offset %zu)",
				    col, p->flag, off);
	}
}

uint32_t mbx_col_value_tag(uint32_t col)
{
	if (PROP_TYPE(col) & MBX_MV_INSTANCE)
		return col & ~(uint32_t)(MBX_MV_INSTANCE | MV_FLAG);
	return col;
}

int mbx_row_decode(rp_cur *c, const uint32_t *cols, size_t ncols, mbx_row *out)
{
	uint8_t flag;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = rp_cur_u8(c, &flag, "property row flag");
	if (rc < 0)
		return rc;
	if (flag > 1)
		return rp_error_set(
		    RP_EFORMAT,
		    "property row flag 0x%02x is not 0x00 or 0x01 (offset %zu)", flag,
		    c->base + c->off - 1);
	out->flagged = flag == 1;
	if (!ncols)
		return RP_OK;
	out->cols = calloc(ncols, sizeof(*out->cols));
	if (!out->cols)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (size_t i = 0; i < ncols; i++) {
		mbx_prop *p = &out->cols[i];
		uint32_t col = mbx_col_value_tag(cols[i]);
		out->n = i + 1;
		if (out->flagged) {
			rc = flagged_decode(c, col, p);
		} else if (PROP_TYPE(col) == PT_UNSPECIFIED) {
			p->typed = true;
			rc = mbx_prop_typed_decode(c, col, &p->v);
			p->wire_type = PROP_TYPE(p->v.tag);
		} else {
			rc = mbx_prop_value_decode(c, col, &p->v);
		}
		if (rc < 0)
			return rp_error_wrap(rc, "column %zu (%08" PRIx32 ")", i,
					     cols[i]);
	}
	return RP_OK;
}

int mbx_row_encode(rp_buf *b, const mbx_row *row, const uint32_t *cols, size_t ncols)
{
	int rc;

	if (row->n != ncols)
		return rp_error_set(RP_EINVAL, "row has %zu values for %zu columns",
				    row->n, ncols);
	rc = rp_buf_u8(b, row->flagged ? 1 : 0);
	for (size_t i = 0; i < ncols && rc == RP_OK; i++) {
		const mbx_prop *p = &row->cols[i];
		bool typed = PROP_TYPE(mbx_col_value_tag(cols[i])) == PT_UNSPECIFIED;
		uint16_t wtype =
		    p->flag == MBX_FLAG_VALUE ? PROP_TYPE(p->v.tag) : p->wire_type;
		if (!row->flagged && p->flag != MBX_FLAG_VALUE)
			return rp_error_set(
			    RP_EINVAL, "column %zu has no value in a standard row", i);
		if (typed)
			rc = rp_buf_u16le(b, wtype);
		if (rc == RP_OK && row->flagged)
			rc = rp_buf_u8(b, p->flag);
		if (rc < 0)
			break;
		if (p->flag == MBX_FLAG_ERROR)
			rc = rp_buf_u32le(b, p->v.u.err);
		else if (p->flag == MBX_FLAG_VALUE)
			rc = mbx_prop_value_encode(b, &p->v);
	}
	return rc;
}

void mbx_row_free(mbx_row *row)
{
	for (size_t i = 0; row && row->cols && i < row->n; i++)
		mapi_value_free(&row->cols[i].v);
	if (row) {
		free(row->cols);
		row->cols = NULL;
		row->n = 0;
	}
}

const mapi_value *mbx_row_value(const mbx_row *row, size_t i)
{
	if (i >= row->n || row->cols[i].flag != MBX_FLAG_VALUE)
		return NULL;
	return &row->cols[i].v;
}

const mbx_prop *mbx_row_find(const mbx_row *row, uint32_t tag)
{
	for (size_t i = 0; i < row->n; i++) {
		uint32_t t = row->cols[i].v.tag;
		if (PROP_ID(t) != PROP_ID(tag))
			continue;
		if (PROP_TYPE(tag) == PT_UNSPECIFIED || PROP_TYPE(t) == PROP_TYPE(tag) ||
		    row->cols[i].flag != MBX_FLAG_VALUE)
			return &row->cols[i];
	}
	return NULL;
}

int mbx_propname_decode(rp_cur *c, mbx_propname *out)
{
	uint8_t size;
	const uint8_t *p;
	size_t n, off;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = rp_cur_u8(c, &out->kind, "property name kind");
	if (rc == RP_OK)
		rc = rp_cur_bytes(c, out->guid, 16, "property name GUID");
	if (rc < 0)
		return rc;
	switch (out->kind) {
	case MBX_PNAME_LID:
		return rp_cur_u32(c, &out->lid, "property name LID");
	case MBX_PNAME_NONE:
		return RP_OK;
	case MBX_PNAME_STRING:
		rc = rp_cur_u8(c, &size, "property name size");
		off = c->base + c->off;
		if (rc == RP_OK)
			rc = rp_cur_wstr(c, &p, &n, "property name");
		if (rc < 0)
			return rc;
		if (n + 2 != size)
			return rp_error_set(
			    RP_EFORMAT,
			    "property name NameSize %u but the name takes %zu "
			    "bytes (offset %zu)",
			    size, n + 2, off);
		return rp_utf16le_to_utf8(p, n, &out->name);
	default:
		return rp_error_set(RP_EFORMAT,
				    "property name kind 0x%02x is not 0x00, 0x01 or 0xFF "
				    "(offset %zu)",
				    out->kind, c->base + c->off - 17);
	}
}

int mbx_propname_encode(rp_buf *b, const mbx_propname *n)
{
	rp_buf w = RP_BUF_INIT;
	int rc = rp_buf_u8(b, n->kind);

	if (rc == RP_OK)
		rc = rp_buf_append(b, n->guid, 16);
	if (rc < 0)
		return rc;
	switch (n->kind) {
	case MBX_PNAME_LID:
		return rp_buf_u32le(b, n->lid);
	case MBX_PNAME_NONE:
		return RP_OK;
	case MBX_PNAME_STRING:
		if (!n->name)
			return rp_error_set(RP_EINVAL,
					    "string property name without a name");
		rc = rp_utf8_to_utf16le(n->name, strlen(n->name), &w, true);
		if (rc == RP_OK && w.len > 0xFF)
			rc = rp_error_set(
			    RP_ELIMIT,
			    "property name \"%s\" takes %zu bytes (the limit "
			    "is 255)",
			    n->name, w.len);
		if (rc == RP_OK)
			rc = rp_buf_u8(b, (uint8_t)w.len);
		if (rc == RP_OK)
			rc = rp_buf_append(b, w.data, w.len);
		rp_buf_free(&w);
		return rc;
	default:
		return rp_error_set(RP_EINVAL, "property name kind 0x%02x", n->kind);
	}
}

void mbx_propname_free(mbx_propname *n)
{
	if (!n)
		return;
	free(n->name);
	n->name = NULL;
}

int mbx_prop_set_bool(mapi_value *out, uint32_t tag, bool v)
{
	memset(out, 0, sizeof(*out));
	out->tag = PROP_TAG(PT_BOOLEAN, PROP_ID(tag));
	out->regtype = MAPI_REG_BINARY;
	out->u.b = v ? 1 : 0;
	return RP_OK;
}

int mbx_prop_set_i8(mapi_value *out, uint32_t tag, int64_t v)
{
	uint16_t type = PROP_TYPE(tag);
	memset(out, 0, sizeof(*out));
	if (type != PT_SYSTIME && type != PT_CURRENCY)
		type = PT_I8;
	out->tag = PROP_TAG(type, PROP_ID(tag));
	out->regtype = MAPI_REG_BINARY;
	if (type == PT_SYSTIME)
		out->u.ft = (uint64_t)v;
	else
		out->u.i8 = v;
	return RP_OK;
}
