/* mbx_nspi.c - NSPI request/response bodies over MAPI/HTTP (see mbx_nspi.h).
 *
 * Layouts: [MS-OXCMAPIHTTP] 2.2.1 and 2.2.5 as summarised in
 * ../shared/reference/mapi-http-protocol.md section 5; where the spec is
 * silent (HasValue inside multi-valued elements, HasValue in GetMatches
 * restrictions) we follow what grommunio gromox reads and writes
 * (exch/mh/nsp_ops.cpp, lib/ext_buffer.cpp, EXT_FLAG_ABK). */
#include "mbx_nspi.h"

#include "base/rp_cur.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_tag.h"
#include "mapi/mapi_value.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[MBX_NSPI_TYPE_COUNT] = {
    "Bind",      "Unbind",       "DNToMId",    "GetProps",
    "QueryRows", "ResolveNames", "GetMatches", "GetSpecialTable"};

const char *mbx_nspi_type_name(mbx_nspi_type type)
{
	if ((unsigned)type >= MBX_NSPI_TYPE_COUNT)
		return NULL;
	return type_names[type];
}

/* ---- STAT --------------------------------------------------------------- */

void mbx_nspi_stat_default(mbx_nspi_stat *s)
{
	memset(s, 0, sizeof(*s));
	s->codepage = MBX_CP_1252;
	s->template_locale = MBX_LCID_EN_US;
	s->sort_locale = MBX_LCID_EN_US;
}

void mbx_nspi_stat_encode(const mbx_nspi_stat *s, uint8_t out[MBX_NSPI_STAT_SIZE])
{
	rp_put_le32(out, s->sort_type);
	rp_put_le32(out + 4, s->container_id);
	rp_put_le32(out + 8, s->cur_rec);
	rp_put_le32(out + 12, (uint32_t)s->delta);
	rp_put_le32(out + 16, s->num_pos);
	rp_put_le32(out + 20, s->total_recs);
	rp_put_le32(out + 24, s->codepage);
	rp_put_le32(out + 28, s->template_locale);
	rp_put_le32(out + 32, s->sort_locale);
}

void mbx_nspi_stat_decode(mbx_nspi_stat *s, const uint8_t in[MBX_NSPI_STAT_SIZE])
{
	s->sort_type = rp_le32(in);
	s->container_id = rp_le32(in + 4);
	s->cur_rec = rp_le32(in + 8);
	s->delta = (int32_t)rp_le32(in + 12);
	s->num_pos = rp_le32(in + 16);
	s->total_recs = rp_le32(in + 20);
	s->codepage = rp_le32(in + 24);
	s->template_locale = rp_le32(in + 28);
	s->sort_locale = rp_le32(in + 32);
}

/* ---- requests ----------------------------------------------------------- */

static int put_stat(rp_buf *b, const mbx_nspi_stat *s)
{
	uint8_t raw[MBX_NSPI_STAT_SIZE];
	int rc;

	if (!s)
		return rp_buf_u8(b, 0);
	mbx_nspi_stat_encode(s, raw);
	if ((rc = rp_buf_u8(b, 0xFF)) < 0)
		return rc;
	return rp_buf_append(b, raw, sizeof(raw));
}

/* count(4) + u32s: LargePropertyTagArray and MId arrays have one layout. */
static int put_u32_array(rp_buf *b, const uint32_t *v, size_t n, size_t cap,
			 const char *what)
{
	int rc;

	if (n > cap)
		return rp_error_set(RP_EINVAL, "NSPI request: %zu %s (at most %zu)", n,
				    what, cap);
	if (n && !v)
		return rp_error_set(RP_EINVAL, "NSPI request: %s missing", what);
	if ((rc = rp_buf_u32le(b, (uint32_t)n)) < 0)
		return rc;
	for (size_t i = 0; i < n && rc == RP_OK; i++)
		rc = rp_buf_u32le(b, v[i]);
	return rc;
}

static int put_opt_tags(rp_buf *b, const mbx_nspi_req *req)
{
	int rc;

	if (!req->tags)
		return rp_buf_u8(b, 0);
	if ((rc = rp_buf_u8(b, 0xFF)) < 0)
		return rc;
	return put_u32_array(b, req->tags, req->tag_count, MBX_NSPI_MAX_TAGS,
			     "property tags");
}

/* HasNames + count + names: 8-bit (ASCII only: legacyExchangeDNs are) or
 * UTF-16LE, each NUL-terminated. */
static int put_names(rp_buf *b, const mbx_nspi_req *req, bool wide)
{
	int rc;

	if (!req->names)
		return rp_buf_u8(b, 0);
	if (req->name_count > MBX_NSPI_MAX_MIDS)
		return rp_error_set(RP_EINVAL, "NSPI request: %zu names (at most %u)",
				    req->name_count, MBX_NSPI_MAX_MIDS);
	if ((rc = rp_buf_u8(b, 0xFF)) < 0 ||
	    (rc = rp_buf_u32le(b, (uint32_t)req->name_count)) < 0)
		return rc;
	for (size_t i = 0; i < req->name_count; i++) {
		const char *s = req->names[i];
		if (!s)
			return rp_error_set(RP_EINVAL, "NSPI request: name %zu missing",
					    i);
		if (wide) {
			uint32_t cp;
			for (size_t k = 0, n = strlen(s); k < n;) {
				int used = rp_utf8_next(s + k, n - k, &cp);
				if (used < 0)
					return rp_error_set(RP_EINVAL,
							    "NSPI request: name \"%s\" "
							    "is not valid UTF-8",
							    s);
				k += (size_t)used;
			}
			rc = rp_utf8_to_utf16le(s, strlen(s), b, true);
		} else {
			for (const char *p = s; *p; p++)
				if ((unsigned char)*p >= 0x80)
					return rp_error_set(RP_EINVAL,
							    "NSPI request: DN \"%s\" is "
							    "not ASCII",
							    s);
			if ((rc = rp_buf_puts(b, s)) == RP_OK)
				rc = rp_buf_u8(b, 0);
		}
		if (rc < 0)
			return rc;
	}
	return RP_OK;
}

int mbx_nspi_req_encode(mbx_nspi_type type, const mbx_nspi_req *req, rp_buf *out)
{
	int rc = RP_OK;

#define PUT(expr)                                                                        \
	do {                                                                             \
		if ((rc = (expr)) < 0)                                                   \
			return rc;                                                       \
	} while (0)
	switch (type) {
	case MBX_NSPI_BIND:
		PUT(rp_buf_u32le(out, req->flags));
		PUT(put_stat(out, req->stat));
		break;
	case MBX_NSPI_UNBIND:
		PUT(rp_buf_u32le(out, 0)); /* Reserved */
		break;
	case MBX_NSPI_DNTOMID:
		PUT(rp_buf_u32le(out, 0));
		PUT(put_names(out, req, false));
		break;
	case MBX_NSPI_GETPROPS:
		PUT(rp_buf_u32le(out, req->flags));
		PUT(put_stat(out, req->stat));
		PUT(put_opt_tags(out, req));
		break;
	case MBX_NSPI_QUERYROWS:
		PUT(rp_buf_u32le(out, req->flags));
		PUT(put_stat(out, req->stat));
		PUT(put_u32_array(out, req->mids, req->mid_count, MBX_NSPI_MAX_MIDS,
				  "explicit-table MIds"));
		PUT(rp_buf_u32le(out, req->row_count));
		PUT(put_opt_tags(out, req));
		break;
	case MBX_NSPI_RESOLVENAMES:
		PUT(rp_buf_u32le(out, 0));
		PUT(put_stat(out, req->stat));
		PUT(put_opt_tags(out, req));
		PUT(put_names(out, req, true));
		break;
	case MBX_NSPI_GETMATCHES:
		PUT(rp_buf_u32le(out, 0));
		PUT(put_stat(out, req->stat));
		if (req->has_mids) {
			PUT(rp_buf_u8(out, 0xFF));
			PUT(put_u32_array(out, req->mids, req->mid_count,
					  MBX_NSPI_MAX_MIDS, "MIds"));
		} else {
			PUT(rp_buf_u8(out, 0));
		}
		PUT(rp_buf_u32le(out, 0)); /* InterfaceOptionFlags */
		if (req->filter) {
			PUT(rp_buf_u8(out, 0xFF));
			PUT(rp_buf_append(out, req->filter, req->filter_len));
		} else {
			PUT(rp_buf_u8(out, 0));
		}
		PUT(rp_buf_u8(out, 0)); /* HasPropertyName */
		PUT(rp_buf_u32le(out, req->row_count));
		PUT(put_opt_tags(out, req));
		break;
	case MBX_NSPI_GETSPECIALTABLE:
		PUT(rp_buf_u32le(out, req->flags));
		PUT(put_stat(out, req->stat));
		if (req->has_version) {
			PUT(rp_buf_u8(out, 0xFF));
			PUT(rp_buf_u32le(out, req->version));
		} else {
			PUT(rp_buf_u8(out, 0));
		}
		break;
	default:
		return rp_error_set(RP_EINVAL, "NSPI request type %d unknown", (int)type);
	}
	PUT(rp_buf_u32le(out, 0)); /* AuxiliaryBufferSize */
#undef PUT
	return RP_OK;
}

/* ---- restrictions (GetMatches) -------------------------------------------- */

#define RES_OR 0x01
#define RES_CONTENT 0x03
#define RES_PROPERTY 0x04
#define RELOP_EQ 0x04
#define FL_PREFIX 0x00000002u
#define FL_IGNORECASE 0x00010000u

static int filter_str(rp_buf *out, uint8_t rt, uint32_t head, uint32_t tag,
		      const char *utf8)
{
	int rc;

	/* a multi-valued tag matches any of its values; the value is single */
	if ((PROP_TYPE(tag) & ~MV_FLAG) != PT_UNICODE)
		return rp_error_set(
		    RP_EINVAL, "NSPI filter: tag %08" PRIX32 " is not a Unicode string",
		    tag);
	if ((rc = rp_buf_u8(out, rt)) < 0)
		return rc;
	if (rt == RES_PROPERTY)
		rc = rp_buf_u8(out, (uint8_t)head);
	else
		rc = rp_buf_u32le(out, head);
	if (rc < 0 || (rc = rp_buf_u32le(out, tag)) < 0 ||
	    (rc = rp_buf_u32le(out, tag & ~(uint32_t)MV_FLAG)) < 0 ||
	    (rc = rp_buf_u8(out, 0xFF)) < 0)
		return rc;
	return rp_utf8_to_utf16le(utf8, strlen(utf8), out, true);
}

int mbx_nspi_filter_eq_str(rp_buf *out, uint32_t tag, const char *utf8)
{
	return filter_str(out, RES_PROPERTY, RELOP_EQ, tag, utf8);
}

int mbx_nspi_filter_prefix_str(rp_buf *out, uint32_t tag, const char *utf8)
{
	return filter_str(out, RES_CONTENT, FL_PREFIX | FL_IGNORECASE, tag, utf8);
}

int mbx_nspi_filter_or(rp_buf *out, const uint8_t *parts, size_t len, uint32_t n)
{
	int rc;

	if ((rc = rp_buf_u8(out, RES_OR)) < 0 || (rc = rp_buf_u32le(out, n)) < 0)
		return rc;
	return rp_buf_append(out, parts, len);
}

/* ---- values ------------------------------------------------------------- */

/* Fixed size of a single-valued type on the wire, 0 if variable or none. */
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
	case PT_APPTIME:
	case PT_CURRENCY:
	case PT_I8:
	case PT_SYSTIME:
		return 8;
	case PT_CLSID:
		return 16;
	default:
		return 0;
	}
}

static bool has_value_byte(uint16_t type)
{
	return type == PT_STRING8 || type == PT_UNICODE || type == PT_BINARY ||
	       (type & MV_FLAG);
}

/* HasValue: 0x00 absent, 0xFF present; gromox refuses anything else and so
 * do we. */
static int read_has_value(rp_cur *c, bool *present, const char *what)
{
	uint8_t hv;
	int rc = rp_cur_u8(c, &hv, what);

	if (rc < 0)
		return rc;
	if (hv != 0x00 && hv != 0xFF)
		return rp_error_set(RP_EFORMAT,
				    "%s: HasValue 0x%02X at offset %zu (0x00 or 0xFF)",
				    what, hv, c->base + c->off - 1);
	*present = hv == 0xFF;
	return RP_OK;
}

/* One string or binary element: 8-bit or UTF-16 z-string, or count(4)+bytes. */
static int read_varlen(rp_cur *c, uint16_t type, const uint8_t **p, size_t *n,
		       const char *what)
{
	const char *s;
	uint32_t cb;
	int rc;

	if (type == PT_STRING8) {
		if ((rc = rp_cur_cstr(c, &s, n, what)) < 0)
			return rc;
		*p = (const uint8_t *)s;
		return RP_OK;
	}
	if (type == PT_UNICODE)
		return rp_cur_wstr(c, p, n, what);
	if ((rc = rp_cur_u32(c, &cb, what)) < 0)
		return rc;
	*n = cb;
	return rp_cur_view(c, p, cb, what);
}

/* Reads a count(4) of things that each take at least min_size bytes,
 * refuses more than cap (RP_ELIMIT) or more than the bytes left can hold
 * (RP_EFORMAT), and allocates *arr (zeroed, elem bytes each) for them. */
static int read_count_alloc(rp_cur *c, uint32_t cap, size_t min_size, size_t elem,
			    void **arr, uint32_t *count, const char *noun,
			    const char *what)
{
	int rc;

	*arr = NULL;
	if ((rc = rp_cur_u32(c, count, what)) < 0)
		return rc;
	if (*count > cap || *count > rp_cur_left(c) / min_size)
		return rp_error_set(*count > cap ? RP_ELIMIT : RP_EFORMAT,
				    "%s: %" PRIu32 " %s announced at offset %zu, "
				    "%zu bytes left",
				    what, *count, noun, c->base + c->off - 4,
				    rp_cur_left(c));
	if (*count && !(*arr = calloc(*count, elem)))
		return rp_error_set(RP_ENOMEM, "%s: out of memory", what);
	return RP_OK;
}

static int read_value(rp_cur *c, uint16_t type, mbx_ab_value *v, const char *what)
{
	size_t fs;
	int rc;

	v->tag = (v->tag & 0xFFFF0000u) | type;
	v->present = true;
	if (has_value_byte(type)) {
		if ((rc = read_has_value(c, &v->present, what)) < 0)
			return rc;
		if (!v->present)
			return RP_OK;
	}
	if (type & MV_FLAG) {
		uint16_t et = (uint16_t)(type & ~MV_FLAG);
		uint32_t count;
		void *arr;
		fs = fixed_size(et);
		if (!(fs || et == PT_STRING8 || et == PT_UNICODE || et == PT_BINARY) ||
		    et == PT_BOOLEAN || et == PT_ERROR)
			return rp_error_set(RP_EFORMAT,
					    "%s: multi-valued type 0x%04X at offset %zu",
					    what, type, c->base + c->off);
		/* elements of variable size take at least their HasValue byte */
		if ((rc =
			 read_count_alloc(c, MBX_NSPI_MAX_MV, fs ? fs : 1, sizeof(*v->mv),
					  &arr, &count, "values", what)) < 0)
			return rc;
		v->mv = arr;
		v->count = count;
		for (uint32_t i = 0; i < count; i++) {
			mbx_ab_elem *e = &v->mv[i];
			e->present = true;
			if (fs) {
				e->n = fs;
				rc = rp_cur_view(c, &e->p, fs, what);
			} else {
				rc = read_has_value(c, &e->present, what);
				if (rc == RP_OK && e->present)
					rc = read_varlen(c, et, &e->p, &e->n, what);
			}
			if (rc < 0)
				return rc;
		}
		return RP_OK;
	}
	switch (type) {
	case PT_NULL:
		return RP_OK;
	case PT_BOOLEAN: {
		uint8_t b;
		rc = rp_cur_u8(c, &b, what);
		v->u.i16 = b;
		return rc;
	}
	case PT_SHORT:
		return rp_cur_u16(c, &v->u.i16, what);
	case PT_LONG:
	case PT_FLOAT:
	case PT_ERROR:
		return rp_cur_u32(c, &v->u.i32, what);
	case PT_DOUBLE:
	case PT_APPTIME:
	case PT_CURRENCY:
	case PT_I8:
	case PT_SYSTIME:
		return rp_cur_u64(c, &v->u.i64, what);
	case PT_CLSID:
		return rp_cur_bytes(c, v->u.guid, 16, what);
	case PT_STRING8:
	case PT_UNICODE:
	case PT_BINARY:
		return read_varlen(c, type, &v->p, &v->n, what);
	default:
		return rp_error_set(
		    RP_EFORMAT,
		    "%s: property type 0x%04X at offset %zu is not valid in "
		    "an address-book value",
		    what, type, c->base + c->off);
	}
}

static void value_free(mbx_ab_value *v)
{
	free(v->mv);
	v->mv = NULL;
	v->count = 0;
}

static void row_free(mbx_ab_row *r)
{
	for (size_t i = 0; i < r->count; i++)
		value_free(&r->vals[i]);
	free(r->vals);
	r->vals = NULL;
	r->count = 0;
}

/* AddressBookPropertyValueList: count(4) + (tag(4) + value) each. */
static int read_value_list(rp_cur *c, mbx_ab_row *row, const char *what)
{
	uint32_t count;
	int rc;

	void *arr;
	/* every tagged value takes at least 5 bytes */
	if ((rc = read_count_alloc(c, MBX_NSPI_MAX_TAGS, 5, sizeof(*row->vals), &arr,
				   &count, "values", what)) < 0)
		return rc;
	row->vals = arr;
	for (uint32_t i = 0; i < count; i++) {
		mbx_ab_value *v = &row->vals[i];
		row->count = i + 1;
		if ((rc = rp_cur_u32(c, &v->tag, what)) < 0)
			return rc;
		if (PROP_TYPE(v->tag) == PT_UNSPECIFIED)
			return rp_error_set(RP_EFORMAT,
					    "%s: tag %08" PRIX32 " without a type at "
					    "offset %zu",
					    what, v->tag, c->base + c->off - 4);
		if ((rc = read_value(c, PROP_TYPE(v->tag), v, what)) < 0)
			return rc;
	}
	return RP_OK;
}

/* AddressBookPropertyRow for the given columns. */
static int read_row(rp_cur *c, const uint32_t *cols, size_t ncols, mbx_ab_row *row,
		    const char *what)
{
	uint8_t flags;
	int rc;

	if ((rc = rp_cur_u8(c, &flags, what)) < 0)
		return rc;
	if (flags > 1)
		return rp_error_set(RP_EFORMAT,
				    "%s: row flags 0x%02X at offset %zu (0 or 1)", what,
				    flags, c->base + c->off - 1);
	row->flagged = flags == 1;
	if (ncols) {
		row->vals = calloc(ncols, sizeof(*row->vals));
		if (!row->vals)
			return rp_error_set(RP_ENOMEM, "%s: out of memory", what);
	}
	for (size_t i = 0; i < ncols; i++) {
		mbx_ab_value *v = &row->vals[i];
		uint16_t type = PROP_TYPE(cols[i]);
		row->count = i + 1;
		v->tag = cols[i];
		if (type == PT_UNSPECIFIED && (rc = rp_cur_u16(c, &type, what)) < 0)
			return rc;
		if (type == PT_UNSPECIFIED)
			return rp_error_set(
			    RP_EFORMAT, "%s: typed value without a type at offset %zu",
			    what, c->base + c->off - 2);
		if (row->flagged) {
			if ((rc = rp_cur_u8(c, &v->flag, what)) < 0)
				return rc;
			if (v->flag == 0x01) {
				v->tag = (v->tag & 0xFFFF0000u) | PT_NULL;
				continue;
			}
			if (v->flag == 0x0A)
				type = PT_ERROR;
			else if (v->flag != 0x00)
				return rp_error_set(RP_EFORMAT,
						    "%s: value flag 0x%02X at offset %zu "
						    "(0x00, 0x01 or 0x0A)",
						    what, v->flag, c->base + c->off - 1);
		}
		if ((rc = read_value(c, type, v, what)) < 0)
			return rc;
	}
	return RP_OK;
}

/* ---- responses ---------------------------------------------------------- */

static int read_has(rp_cur *c, bool *has, const char *what)
{
	uint8_t b;
	int rc = rp_cur_u8(c, &b, what);
	*has = b != 0;
	return rc;
}

static int read_u32_array(rp_cur *c, uint32_t **out, size_t *n, uint32_t cap,
			  const char *what)
{
	uint32_t count;
	int rc;

	if ((rc = rp_cur_u32(c, &count, what)) < 0)
		return rc;
	if (count > cap)
		return rp_error_set(RP_ELIMIT,
				    "%s: %" PRIu32
				    " entries at offset %zu (at most %" PRIu32 ")",
				    what, count, c->base + c->off - 4, cap);
	if ((rc = rp_cur_need(c, (size_t)count * 4, what)) < 0)
		return rc;
	if (count) {
		*out = malloc((size_t)count * sizeof(**out));
		if (!*out)
			return rp_error_set(RP_ENOMEM, "%s: out of memory", what);
	}
	for (uint32_t i = 0; i < count; i++)
		rp_cur_u32(c, &(*out)[i], what);
	*n = count;
	return RP_OK;
}

static int read_stat(rp_cur *c, mbx_nspi_rsp *r, const char *what)
{
	const uint8_t *p;
	int rc;

	if ((rc = read_has(c, &r->has_stat, what)) < 0 || !r->has_stat)
		return rc;
	if ((rc = rp_cur_view(c, &p, MBX_NSPI_STAT_SIZE, what)) < 0)
		return rc;
	mbx_nspi_stat_decode(&r->stat, p);
	return RP_OK;
}

static int read_mids(rp_cur *c, mbx_nspi_rsp *r, const char *what)
{
	int rc;

	if ((rc = read_has(c, &r->has_mids, what)) < 0 || !r->has_mids)
		return rc;
	return read_u32_array(c, &r->mids, &r->mid_count, MBX_NSPI_MAX_MIDS, what);
}

/* HasColsAndRows + Columns + RowCount + rows. */
static int read_cols_rows(rp_cur *c, mbx_nspi_rsp *r, const char *what)
{
	uint32_t count;
	void *arr;
	int rc;

	if ((rc = read_has(c, &r->has_rows, what)) < 0 || !r->has_rows)
		return rc;
	if ((rc = read_u32_array(c, &r->columns, &r->column_count, MBX_NSPI_MAX_TAGS,
				 what)) < 0 ||
	    /* every row takes at least its flags byte */
	    (rc = read_count_alloc(c, MBX_NSPI_MAX_ROWS, 1, sizeof(*r->rows), &arr,
				   &count, "rows", what)) < 0)
		return rc;
	r->rows = arr;
	for (uint32_t i = 0; i < count; i++) {
		r->row_count = i + 1;
		if ((rc = read_row(c, r->columns, r->column_count, &r->rows[i], what)) <
		    0)
			return rc;
	}
	return RP_OK;
}

static int read_body(rp_cur *c, mbx_nspi_rsp *r, const char *what)
{
	bool has;
	uint32_t count;
	void *arr;
	int rc;

	switch (r->type) {
	case MBX_NSPI_BIND:
		return rp_cur_bytes(c, r->server_guid, 16, what);
	case MBX_NSPI_UNBIND:
		return RP_OK;
	case MBX_NSPI_DNTOMID:
		return read_mids(c, r, what);
	case MBX_NSPI_GETPROPS:
		if ((rc = rp_cur_u32(c, &r->codepage, what)) < 0 ||
		    (rc = read_has(c, &r->has_rows, what)) < 0 || !r->has_rows)
			return rc;
		r->rows = calloc(1, sizeof(*r->rows));
		if (!r->rows)
			return rp_error_set(RP_ENOMEM, "%s: out of memory", what);
		r->row_count = 1;
		return read_value_list(c, &r->rows[0], what);
	case MBX_NSPI_QUERYROWS:
		if ((rc = read_stat(c, r, what)) < 0)
			return rc;
		return read_cols_rows(c, r, what);
	case MBX_NSPI_RESOLVENAMES:
		if ((rc = rp_cur_u32(c, &r->codepage, what)) < 0 ||
		    (rc = read_mids(c, r, what)) < 0)
			return rc;
		return read_cols_rows(c, r, what);
	case MBX_NSPI_GETMATCHES:
		if ((rc = read_stat(c, r, what)) < 0 || (rc = read_mids(c, r, what)) < 0)
			return rc;
		return read_cols_rows(c, r, what);
	case MBX_NSPI_GETSPECIALTABLE:
		if ((rc = rp_cur_u32(c, &r->codepage, what)) < 0 ||
		    (rc = read_has(c, &r->has_version, what)) < 0)
			return rc;
		if (r->has_version && (rc = rp_cur_u32(c, &r->version, what)) < 0)
			return rc;
		if ((rc = read_has(c, &has, what)) < 0)
			return rc;
		r->has_rows = has;
		if (!has)
			return RP_OK;
		/* every list takes at least its 4-byte count */
		if ((rc = read_count_alloc(c, MBX_NSPI_MAX_ROWS, 4, sizeof(*r->rows),
					   &arr, &count, "rows", what)) < 0)
			return rc;
		r->rows = arr;
		for (uint32_t i = 0; i < count; i++) {
			r->row_count = i + 1;
			if ((rc = read_value_list(c, &r->rows[i], what)) < 0)
				return rc;
		}
		return RP_OK;
	default:
		return rp_error_set(RP_EINVAL, "NSPI response type %d unknown",
				    (int)r->type);
	}
}

int mbx_nspi_rsp_decode(mbx_nspi_rsp *out, mbx_nspi_type type, const uint8_t *body,
			size_t len)
{
	char what[64];
	rp_cur c;
	uint32_t aux;
	int rc;

	memset(out, 0, sizeof(*out));
	out->type = type;
	if (!mbx_nspi_type_name(type))
		return rp_error_set(RP_EINVAL, "NSPI response type %d unknown",
				    (int)type);
	snprintf(what, sizeof(what), "NSPI %s response", mbx_nspi_type_name(type));
	rp_cur_init(&c, body, len);
	if ((rc = rp_cur_u32(&c, &out->status, what)) < 0)
		return rc;
	if (out->status != 0) {
		/* A failed request: StatusCode + auxiliary buffer, whose size
		 * gromox writes as a second copy of the status; keep the rest
		 * uninterpreted. */
		out->aux = rp_cur_ptr(&c);
		out->aux_len = rp_cur_left(&c);
		return RP_OK;
	}
	if ((rc = rp_cur_u32(&c, &out->error, what)) < 0 ||
	    (rc = read_body(&c, out, what)) < 0 ||
	    (rc = rp_cur_u32(&c, &aux, what)) < 0 ||
	    (rc = rp_cur_view(&c, &out->aux, aux, what)) < 0)
		return rc;
	out->aux_len = aux;
	if (rp_cur_left(&c))
		return rp_error_set(RP_EFORMAT,
				    "%s: %zu bytes after the end at offset %zu", what,
				    rp_cur_left(&c), c.off);
	return RP_OK;
}

void mbx_nspi_rsp_free(mbx_nspi_rsp *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->row_count; i++)
		row_free(&r->rows[i]);
	free(r->rows);
	free(r->mids);
	free(r->columns);
	r->rows = NULL;
	r->mids = NULL;
	r->columns = NULL;
	r->row_count = r->mid_count = r->column_count = 0;
}

/* ---- rows and entries --------------------------------------------------- */

/* Same id, same single/multi shape, and the same type or its other string
 * width. */
static bool tag_matches(uint32_t have, uint32_t want)
{
	uint16_t t = PROP_TYPE(have), w = PROP_TYPE(want);
	uint16_t tb = (uint16_t)(t & ~MV_FLAG), wb = (uint16_t)(w & ~MV_FLAG);
	bool tstr = tb == PT_STRING8 || tb == PT_UNICODE;
	bool wstr = wb == PT_STRING8 || wb == PT_UNICODE;

	if (PROP_ID(have) != PROP_ID(want) || (t & MV_FLAG) != (w & MV_FLAG))
		return false;
	return t == w || (tstr && wstr);
}

const mbx_ab_value *mbx_ab_row_find(const mbx_ab_row *row, uint32_t tag)
{
	for (size_t i = 0; i < row->count; i++) {
		const mbx_ab_value *v = &row->vals[i];
		if (v->present && tag_matches(v->tag, tag))
			return v;
	}
	return NULL;
}

int mbx_ab_value_utf8(const mbx_ab_value *v, size_t i, char **out)
{
	uint16_t t = PROP_TYPE(v->tag);
	const uint8_t *p = v->p;
	size_t n = v->n;

	*out = NULL;
	if (t & MV_FLAG) {
		if (!v->present || i >= v->count || !v->mv[i].present)
			return rp_error_set(RP_EINVAL,
					    "value %08" PRIX32 " has no element %zu",
					    v->tag, i);
		p = v->mv[i].p;
		n = v->mv[i].n;
		t = (uint16_t)(t & ~MV_FLAG);
	} else if (!v->present || i) {
		return rp_error_set(RP_EINVAL, "value %08" PRIX32 " is absent", v->tag);
	}
	if (t == PT_UNICODE)
		return rp_utf16le_to_utf8(p, n, out);
	if (t == PT_STRING8)
		return mapi_str8_to_utf8(p, n, out);
	return rp_error_set(RP_EINVAL, "value %08" PRIX32 " is not a string", v->tag);
}

const uint32_t mbx_ab_entry_columns[] = {MBX_PR_DISPLAY_NAME_W, MBX_PR_EMAIL_ADDRESS_W,
					 MBX_PR_SMTP_ADDRESS_W, MBX_PR_DISPLAY_TYPE,
					 MBX_PR_EMS_AB_PROXY_ADDRESSES_W};
const size_t mbx_ab_entry_column_count =
    sizeof(mbx_ab_entry_columns) / sizeof(mbx_ab_entry_columns[0]);

static int opt_str(const mbx_ab_row *row, uint32_t tag, char **out)
{
	const mbx_ab_value *v = mbx_ab_row_find(row, tag);
	*out = NULL;
	return v ? mbx_ab_value_utf8(v, 0, out) : RP_OK;
}

int mbx_ab_entry_from_row(const mbx_ab_row *row, uint32_t mid, mbx_ab_entry *out)
{
	const mbx_ab_value *v;
	int rc;

	memset(out, 0, sizeof(*out));
	out->mid = mid;
	if ((v = mbx_ab_row_find(row, MBX_PR_DISPLAY_TYPE)))
		out->display_type = v->u.i32;
	if ((rc = opt_str(row, MBX_PR_DISPLAY_NAME_W, &out->display_name)) < 0 ||
	    (rc = opt_str(row, MBX_PR_EMAIL_ADDRESS_W, &out->legacy_dn)) < 0 ||
	    (rc = opt_str(row, MBX_PR_SMTP_ADDRESS_W, &out->smtp)) < 0)
		goto fail;
	v = mbx_ab_row_find(row, MBX_PR_EMS_AB_PROXY_ADDRESSES_W);
	if (v && v->count) {
		out->proxies = calloc(v->count, sizeof(*out->proxies));
		if (!out->proxies) {
			rc = rp_error_set(RP_ENOMEM, "address-book entry: out of memory");
			goto fail;
		}
		for (size_t i = 0; i < v->count; i++) {
			if (!v->mv[i].present)
				continue;
			if ((rc = mbx_ab_value_utf8(v, i,
						    &out->proxies[out->proxy_count])) < 0)
				goto fail;
			out->proxy_count++;
		}
	}
	return RP_OK;
fail:
	mbx_ab_entry_free(out);
	return rc;
}

void mbx_ab_entry_free(mbx_ab_entry *e)
{
	if (!e)
		return;
	free(e->display_name);
	free(e->legacy_dn);
	free(e->smtp);
	for (size_t i = 0; i < e->proxy_count; i++)
		free(e->proxies[i]);
	free(e->proxies);
	memset(e, 0, sizeof(*e));
}
