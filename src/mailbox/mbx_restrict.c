/* mbx_restrict.c - restrictions and sort orders in ROP widths. */
#include "mailbox/mbx_restrict.h"

#include "base/rp_err.h"
#include "mailbox/mbx_int.h"
#include "mapi/mapi_tag.h"

#include <stdlib.h>
#include <string.h>

void mbx_res_free(mbx_res *r)
{
	if (!r)
		return;
	mapi_value_free(&r->value);
	mbx_props_free(r->props, r->nprops);
	for (size_t i = 0; r->sub && i < r->nsub; i++)
		mbx_res_free(&r->sub[i]);
	free(r->sub);
	memset(r, 0, sizeof(*r));
}

static int sub_alloc(mbx_res *r, size_t n)
{
	r->sub = calloc(n ? n : 1, sizeof(*r->sub));
	return r->sub ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
}

/* The single child of NOT, SUBOBJECT, COUNT and COMMENT. */
static int one_child(rp_cur *c, mbx_res *r, int depth, bool wide)
{
	int rc = sub_alloc(r, 1);
	if (rc < 0)
		return rc;
	r->nsub = 1;
	return mbx_res_decode_d(c, &r->sub[0], depth + 1, wide);
}

/* The tagged value of CONTENT/PROPERTY: its tag must be the restriction's
 * (MS-OXCDATA 2.12.4.1, 2.12.5.1 allow a different type only for MV
 * columns, where the value is one element's type). */
static int res_value(rp_cur *c, mbx_res *r, int depth, bool wide)
{
	size_t off = c->base + c->off;
	int rc = mbx_tagged_decode_d(c, &r->value, depth + 1, wide);
	if (rc < 0)
		return rc;
	if (PROP_ID(r->value.tag) != PROP_ID(r->tag))
		return rp_error_set(RP_EFORMAT,
				    "restriction on %08x compares with a value of %08x "
				    "(offset %zu)",
				    (unsigned)r->tag, (unsigned)r->value.tag, off);
	return RP_OK;
}

int mbx_res_decode_d(rp_cur *c, mbx_res *r, int depth, bool wide)
{
	uint16_t n16;
	uint32_t n32;
	uint8_t n8;
	size_t off = c->base + c->off;
	int rc;

	memset(r, 0, sizeof(*r));
	if (depth > MBX_RES_MAX_DEPTH)
		return rp_error_set(
		    RP_ELIMIT, "restriction nested deeper than %d levels at offset %zu",
		    MBX_RES_MAX_DEPTH, off);
	rc = rp_cur_u8(c, &r->type, "restriction type");
	if (rc < 0)
		return rc;
	switch (r->type) {
	case MBX_RES_AND:
	case MBX_RES_OR:
		if (wide) {
			rc = rp_cur_u32(c, &n32, "restriction count");
		} else {
			rc = rp_cur_u16(c, &n16, "restriction count");
			n32 = n16;
		}
		if (rc < 0)
			return rc;
		if (n32 > rp_cur_left(c))
			return rp_error_set(RP_EFORMAT,
					    "%u sub-restrictions cannot fit in %zu bytes "
					    "(offset %zu)",
					    (unsigned)n32, rp_cur_left(c), off);
		rc = sub_alloc(r, n32);
		for (size_t i = 0; i < n32 && rc == RP_OK; i++) {
			r->nsub = i + 1;
			rc = mbx_res_decode_d(c, &r->sub[i], depth + 1, wide);
		}
		return rc;
	case MBX_RES_NOT:
		return one_child(c, r, depth, wide);
	case MBX_RES_CONTENT:
		rc = rp_cur_u32(c, &r->fuzzy, "content restriction fuzzy level");
		if (rc == RP_OK)
			rc = rp_cur_u32(c, &r->tag, "content restriction tag");
		return rc < 0 ? rc : res_value(c, r, depth, wide);
	case MBX_RES_PROPERTY:
		rc = rp_cur_u8(c, &r->relop, "property restriction relop");
		if (rc == RP_OK)
			rc = rp_cur_u32(c, &r->tag, "property restriction tag");
		return rc < 0 ? rc : res_value(c, r, depth, wide);
	case MBX_RES_COMPARE:
		rc = rp_cur_u8(c, &r->relop, "compare restriction relop");
		if (rc == RP_OK)
			rc = rp_cur_u32(c, &r->tag, "compare restriction tag 1");
		return rc < 0 ? rc : rp_cur_u32(c, &r->tag2, "compare restriction tag 2");
	case MBX_RES_BITMASK:
	case MBX_RES_SIZE:
		rc = rp_cur_u8(c, &r->relop, "restriction relop");
		if (rc == RP_OK)
			rc = rp_cur_u32(c, &r->tag, "restriction tag");
		return rc < 0 ? rc : rp_cur_u32(c, &r->num, "restriction mask/size");
	case MBX_RES_EXIST:
		return rp_cur_u32(c, &r->tag, "exist restriction tag");
	case MBX_RES_SUBOBJECT:
		rc = rp_cur_u32(c, &r->tag, "subobject restriction tag");
		return rc < 0 ? rc : one_child(c, r, depth, wide);
	case MBX_RES_COMMENT:
		rc = rp_cur_u8(c, &n8, "comment restriction value count");
		if (rc < 0)
			return rc;
		if (!n8)
			return rp_error_set(
			    RP_EFORMAT, "comment restriction without values (offset %zu)",
			    off);
		r->props = calloc(n8, sizeof(*r->props));
		if (!r->props)
			return rp_error_set(RP_ENOMEM, "out of memory");
		for (size_t i = 0; i < n8; i++) {
			r->nprops = i + 1;
			rc = mbx_tagged_decode_d(c, &r->props[i], depth + 1, wide);
			if (rc < 0)
				return rc;
		}
		rc = rp_cur_u8(c, &n8, "comment restriction present flag");
		if (rc < 0)
			return rc;
		if (n8 > 1)
			return rp_error_set(
			    RP_EFORMAT,
			    "comment restriction present flag 0x%02x (offset "
			    "%zu)",
			    n8, c->base + c->off - 1);
		return n8 ? one_child(c, r, depth, wide) : RP_OK;
	case MBX_RES_COUNT:
		rc = rp_cur_u32(c, &r->num, "count restriction count");
		return rc < 0 ? rc : one_child(c, r, depth, wide);
	default:
		return rp_error_set(RP_EFORMAT,
				    "restriction type 0x%02x unknown (offset %zu)",
				    r->type, off);
	}
}

int mbx_res_decode(rp_cur *c, mbx_res *out)
{
	return mbx_res_decode_d(c, out, 0, false);
}

int mbx_res_decode_w(rp_cur *c, mbx_res *out, bool wide)
{
	return mbx_res_decode_d(c, out, 0, wide);
}

static int res_encode_d(rp_buf *b, const mbx_res *r, int depth, bool wide)
{
	int rc;

	if (depth > MBX_RES_MAX_DEPTH)
		return rp_error_set(RP_ELIMIT, "restriction nested deeper than %d levels",
				    MBX_RES_MAX_DEPTH);
	rc = rp_buf_u8(b, r->type);
	if (rc < 0)
		return rc;
	switch (r->type) {
	case MBX_RES_AND:
	case MBX_RES_OR:
		if (r->nsub > (wide ? UINT32_MAX : 0xFFFF))
			return rp_error_set(RP_ELIMIT, "%zu sub-restrictions", r->nsub);
		rc = wide ? rp_buf_u32le(b, (uint32_t)r->nsub)
			  : rp_buf_u16le(b, (uint16_t)r->nsub);
		for (size_t i = 0; i < r->nsub && rc == RP_OK; i++)
			rc = res_encode_d(b, &r->sub[i], depth + 1, wide);
		return rc;
	case MBX_RES_NOT:
	case MBX_RES_SUBOBJECT:
	case MBX_RES_COUNT:
		if (r->nsub != 1)
			return rp_error_set(
			    RP_EINVAL, "restriction 0x%02x needs one child", r->type);
		if (r->type == MBX_RES_SUBOBJECT)
			rc = rp_buf_u32le(b, r->tag);
		else if (r->type == MBX_RES_COUNT)
			rc = rp_buf_u32le(b, r->num);
		return rc < 0 ? rc : res_encode_d(b, &r->sub[0], depth + 1, wide);
	case MBX_RES_CONTENT:
		rc = rp_buf_u32le(b, r->fuzzy);
		if (rc == RP_OK)
			rc = rp_buf_u32le(b, r->tag);
		return rc < 0 ? rc : mbx_prop_tagged_encode_w(b, &r->value, wide);
	case MBX_RES_PROPERTY:
		rc = rp_buf_u8(b, r->relop);
		if (rc == RP_OK)
			rc = rp_buf_u32le(b, r->tag);
		return rc < 0 ? rc : mbx_prop_tagged_encode_w(b, &r->value, wide);
	case MBX_RES_COMPARE:
	case MBX_RES_BITMASK:
	case MBX_RES_SIZE:
		rc = rp_buf_u8(b, r->relop);
		if (rc == RP_OK)
			rc = rp_buf_u32le(b, r->tag);
		return rc < 0 ? rc
			      : rp_buf_u32le(b, r->type == MBX_RES_COMPARE ? r->tag2
									   : r->num);
	case MBX_RES_EXIST:
		return rp_buf_u32le(b, r->tag);
	case MBX_RES_COMMENT:
		if (r->nprops < 1 || r->nprops > 0xFF || r->nsub > 1)
			return rp_error_set(
			    RP_EINVAL,
			    "comment restriction with %zu values, %zu children",
			    r->nprops, r->nsub);
		rc = rp_buf_u8(b, (uint8_t)r->nprops);
		for (size_t i = 0; i < r->nprops && rc == RP_OK; i++)
			rc = mbx_prop_tagged_encode_w(b, &r->props[i], wide);
		if (rc == RP_OK)
			rc = rp_buf_u8(b, r->nsub ? 1 : 0);
		return rc < 0 || !r->nsub ? rc
					  : res_encode_d(b, &r->sub[0], depth + 1, wide);
	default:
		return rp_error_set(RP_EINVAL, "restriction type 0x%02x unknown",
				    r->type);
	}
}

int mbx_res_encode(rp_buf *b, const mbx_res *r)
{
	return res_encode_d(b, r, 0, false);
}

int mbx_res_encode_w(rp_buf *b, const mbx_res *r, bool wide)
{
	return res_encode_d(b, r, 0, wide);
}

int mbx_res_copy(mbx_res *dst, const mbx_res *src)
{
	int rc = RP_OK;

	*dst = *src;
	memset(&dst->value, 0, sizeof(dst->value));
	dst->props = NULL;
	dst->nprops = 0;
	dst->sub = NULL;
	dst->nsub = 0;
	if (src->value.tag)
		rc = mapi_value_copy(&dst->value, &src->value);
	if (rc == RP_OK && src->nprops) {
		dst->props = calloc(src->nprops, sizeof(*dst->props));
		if (!dst->props)
			rc = rp_error_set(RP_ENOMEM, "out of memory");
		for (size_t i = 0; rc == RP_OK && i < src->nprops; i++) {
			rc = mapi_value_copy(&dst->props[i], &src->props[i]);
			if (rc == RP_OK)
				dst->nprops = i + 1;
		}
	}
	if (rc == RP_OK && src->nsub) {
		rc = sub_alloc(dst, src->nsub);
		for (size_t i = 0; rc == RP_OK && i < src->nsub; i++) {
			rc = mbx_res_copy(&dst->sub[i], &src->sub[i]);
			if (rc == RP_OK)
				dst->nsub = i + 1;
		}
	}
	if (rc < 0)
		mbx_res_free(dst);
	return rc;
}

int mbx_res_property(mbx_res *out, uint8_t relop, const mapi_value *value)
{
	memset(out, 0, sizeof(*out));
	out->type = MBX_RES_PROPERTY;
	out->relop = relop;
	out->tag = value->tag;
	return mapi_value_copy(&out->value, value);
}

int mbx_res_content(mbx_res *out, uint32_t fuzzy, const mapi_value *value)
{
	memset(out, 0, sizeof(*out));
	out->type = MBX_RES_CONTENT;
	out->fuzzy = fuzzy;
	out->tag = value->tag;
	return mapi_value_copy(&out->value, value);
}

int mbx_res_exist(mbx_res *out, uint32_t tag)
{
	memset(out, 0, sizeof(*out));
	out->type = MBX_RES_EXIST;
	out->tag = tag;
	return RP_OK;
}

int mbx_res_group(mbx_res *out, uint8_t type, mbx_res *children, size_t n)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (type != MBX_RES_AND && type != MBX_RES_OR && type != MBX_RES_NOT)
		return rp_error_set(RP_EINVAL, "restriction 0x%02x is not a group", type);
	if (type == MBX_RES_NOT && n != 1)
		return rp_error_set(RP_EINVAL, "NOT takes one restriction, not %zu", n);
	out->type = type;
	rc = sub_alloc(out, n);
	if (rc < 0)
		return rc;
	memcpy(out->sub, children, n * sizeof(*children));
	memset(children, 0, n * sizeof(*children));
	out->nsub = n;
	return RP_OK;
}

int mbx_sort_decode(rp_cur *c, mbx_sort *out)
{
	uint16_t type, id;
	int rc = rp_cur_u16(c, &type, "sort order property type");
	if (rc == RP_OK)
		rc = rp_cur_u16(c, &id, "sort order property id");
	if (rc == RP_OK)
		rc = rp_cur_u8(c, &out->order, "sort order");
	if (rc < 0)
		return rc;
	out->tag = PROP_TAG(type, id);
	if (out->order != MBX_SORT_ASCEND && out->order != MBX_SORT_DESCEND &&
	    out->order != MBX_SORT_MAX_CATEG && out->order != MBX_SORT_MIN_CATEG)
		return rp_error_set(RP_EFORMAT, "sort order 0x%02x unknown (offset %zu)",
				    out->order, c->base + c->off - 1);
	return RP_OK;
}

int mbx_sort_encode(rp_buf *b, const mbx_sort *s)
{
	int rc = rp_buf_u16le(b, PROP_TYPE(s->tag));
	if (rc == RP_OK)
		rc = rp_buf_u16le(b, PROP_ID(s->tag));
	return rc < 0 ? rc : rp_buf_u8(b, s->order);
}

/* MS-OXORULE 2.2.5: in ROP buffers NoOfActions and ActionLength are 2 bytes;
 * ActionLength counts the rest of its block. */
int mbx_actions_skip(rp_cur *c, const uint8_t **p, size_t *n)
{
	size_t start = c->off;
	uint16_t count, len;
	int rc = rp_cur_u16(c, &count, "rule action count");

	for (uint16_t i = 0; i < count && rc == RP_OK; i++) {
		rc = rp_cur_u16(c, &len, "rule action length");
		if (rc == RP_OK && len < 9)
			rc = rp_error_set(
			    RP_EFORMAT,
			    "rule action %u is %u bytes, shorter than its header "
			    "(offset %zu)",
			    i, len, c->base + c->off - 2);
		if (rc == RP_OK)
			rc = rp_cur_skip(c, len, "rule action block");
	}
	*p = c->p + start;
	*n = c->off - start;
	return rc;
}
