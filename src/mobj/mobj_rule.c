/* mobj_rule.c - rule actions and conditions: codec and rewrite. */
#include "mobj/mobj_rule.h"

#include "base/rp_cur.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mailbox/mbx_prop.h"
#include "mapi/mapi_tag.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* A rule's FAI template is named by FID + MID in a standard rule. */
#define TMPL_IDS 16u

static int bin_dup(mapi_bin *b, const uint8_t *p, size_t n)
{
	b->p = malloc(n ? n : 1);
	if (!b->p)
		return rp_error_set(RP_ENOMEM, "out of memory");
	if (n)
		memcpy(b->p, p, n);
	b->n = n;
	return RP_OK;
}

static void bin_free(mapi_bin *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
}

static bool bin_eq(const mapi_bin *a, const mapi_bin *b)
{
	return a->n == b->n && (!a->n || memcmp(a->p, b->p, a->n) == 0);
}

const char *mobj_op_name(uint8_t type)
{
	static const char *const names[] = {
	    NULL,           "OP_MOVE",         "OP_COPY",   "OP_REPLY",
	    "OP_OOF_REPLY", "OP_DEFER_ACTION", "OP_BOUNCE", "OP_FORWARD",
	    "OP_DELEGATE",  "OP_TAG",          "OP_DELETE", "OP_MARK_AS_READ"};
	return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type]
								      : "unknown action";
}

static void recips_free(mobj_recipient *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		mbx_props_free(r[i].props, r[i].nprops);
	free(r);
}

static void action_free(mobj_action *a)
{
	bin_free(&a->store);
	bin_free(&a->obj);
	bin_free(&a->deferred);
	recips_free(a->recips, a->nrecips);
	mapi_value_free(&a->tag);
	memset(a, 0, sizeof(*a));
}

void mobj_actions_free(mobj_actions *a)
{
	if (!a)
		return;
	for (size_t i = 0; a->a && i < a->n; i++)
		action_free(&a->a[i]);
	free(a->a);
	bin_free(&a->npi);
	memset(a, 0, sizeof(*a));
}

/* A count of the standard (2-byte) or extended (4-byte) width. */
static int count_read(rp_cur *c, bool ext, uint32_t *out, const char *what)
{
	uint16_t n16;
	int rc;
	if (ext)
		return rp_cur_u32(c, out, what);
	rc = rp_cur_u16(c, &n16, what);
	*out = n16;
	return rc;
}

static int count_write(rp_buf *b, bool ext, size_t n, const char *what)
{
	if (n > (ext ? UINT32_MAX : 0xFFFFu))
		return rp_error_set(RP_ELIMIT, "%s %zu does not fit its field", what, n);
	return ext ? rp_buf_u32le(b, (uint32_t)n) : rp_buf_u16le(b, (uint16_t)n);
}

/* A counted entry ID: size (2 | 4) then the bytes, copied. */
static int eid_read(rp_cur *c, bool ext, mapi_bin *out, const char *what)
{
	uint32_t n;
	const uint8_t *p;
	int rc = count_read(c, ext, &n, what);
	if (rc == RP_OK)
		rc = rp_cur_view(c, &p, n, what);
	return rc < 0 ? rc : bin_dup(out, p, n);
}

static int eid_write(rp_buf *b, bool ext, const mapi_bin *v, const char *what)
{
	int rc = count_write(b, ext, v->n, what);
	return rc < 0 ? rc : rp_buf_append(b, v->p, v->n);
}

/* A non-zero count that each item of at least min bytes can fill. */
static int count_check(rp_cur *c, uint32_t n, size_t min, const char *what, size_t off)
{
	if (!n || n > MOBJ_RULE_MAX_COUNT || (size_t)n * min > rp_cur_left(c))
		return rp_error_set(RP_EFORMAT, "%s %" PRIu32 " impossible at offset %zu",
				    what, n, off);
	return RP_OK;
}

static int recips_read(rp_cur *c, bool ext, mobj_action *a)
{
	size_t off = c->base + c->off;
	uint32_t n, np;
	int rc = count_read(c, ext, &n, "recipient count");

	if (rc == RP_OK)
		rc = count_check(c, n, ext ? 10 : 8, "recipient count", off);
	if (rc < 0)
		return rc;
	a->recips = calloc(n, sizeof(*a->recips));
	if (!a->recips)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		mobj_recipient *r = &a->recips[i];
		a->nrecips = i + 1;
		off = c->base + c->off;
		rc = rp_cur_u8(c, &r->reserved, "recipient block reserved byte");
		if (rc == RP_OK)
			rc = count_read(c, ext, &np, "recipient property count");
		if (rc == RP_OK)
			rc = count_check(c, np, 5, "recipient property count", off);
		if (rc == RP_OK) {
			r->props = calloc(np, sizeof(*r->props));
			if (!r->props)
				rc = rp_error_set(RP_ENOMEM, "out of memory");
		}
		for (uint32_t j = 0; rc == RP_OK && j < np; j++) {
			r->nprops = j + 1;
			rc = mbx_prop_tagged_decode_w(c, &r->props[j], ext);
		}
		if (rc < 0)
			return rp_error_wrap(rc, "recipient %" PRIu32, i);
	}
	return RP_OK;
}

static int data_read(rp_cur *c, bool ext, mobj_action *a)
{
	int rc = RP_OK;

	switch (a->type) {
	case MOBJ_OP_MOVE:
	case MOBJ_OP_COPY:
		if (!ext)
			rc = rp_cur_u8(c, &a->in_this_store, "FolderInThisStore");
		if (rc == RP_OK)
			rc = eid_read(c, ext, &a->store, "store entry ID");
		return rc < 0 ? rc : eid_read(c, ext, &a->obj, "folder entry ID");
	case MOBJ_OP_REPLY:
	case MOBJ_OP_OOF_REPLY:
		if (ext) {
			rc = eid_read(c, ext, &a->obj, "reply template entry ID");
		} else {
			rc = rp_cur_u64(c, &a->tmpl_fid, "reply template FID");
			if (rc == RP_OK)
				rc = rp_cur_u64(c, &a->tmpl_mid, "reply template MID");
		}
		return rc < 0 ? rc
			      : rp_cur_bytes(c, a->tmpl_guid, 16, "reply template GUID");
	case MOBJ_OP_DEFER_ACTION:
		return bin_dup(&a->deferred, rp_cur_ptr(c), rp_cur_left(c)) < 0
			   ? RP_ENOMEM
			   : rp_cur_skip(c, rp_cur_left(c), "deferred action data");
	case MOBJ_OP_BOUNCE:
		return rp_cur_u32(c, &a->bounce, "bounce code");
	case MOBJ_OP_FORWARD:
	case MOBJ_OP_DELEGATE:
		return recips_read(c, ext, a);
	case MOBJ_OP_TAG:
		return mbx_prop_tagged_decode_w(c, &a->tag, ext);
	case MOBJ_OP_DELETE:
	case MOBJ_OP_MARK_AS_READ:
		return RP_OK;
	default:
		return rp_error_set(RP_EFORMAT,
				    "unknown action type 0x%02x at offset %zu", a->type,
				    c->base + c->off - 9);
	}
}

static int block_read(rp_cur *c, bool ext, mobj_action *a)
{
	size_t off = c->base + c->off;
	uint32_t len;
	rp_cur sub;
	int rc = count_read(c, ext, &len, "ActionLength");

	if (rc == RP_OK && len < 9)
		rc = rp_error_set(RP_EFORMAT,
				  "ActionLength %" PRIu32
				  " is shorter than the action header (offset %zu)",
				  len, off);
	if (rc == RP_OK && len > rp_cur_left(c))
		rc = rp_error_set(RP_EFORMAT,
				  "ActionLength %" PRIu32
				  " runs past the end (%zu bytes left, offset %zu)",
				  len, rp_cur_left(c), off);
	if (rc == RP_OK)
		rc = rp_cur_sub(c, &sub, len, "action block");
	if (rc == RP_OK)
		rc = rp_cur_u8(&sub, &a->type, "ActionType");
	if (rc == RP_OK)
		rc = rp_cur_u32(&sub, &a->flavor, "ActionFlavor");
	if (rc == RP_OK)
		rc = rp_cur_u32(&sub, &a->flags, "ActionFlags");
	if (rc == RP_OK)
		rc = data_read(&sub, ext, a);
	if (rc == RP_OK && rp_cur_left(&sub))
		rc = rp_error_set(RP_EFORMAT,
				  "%s: ActionLength %" PRIu32
				  " leaves %zu bytes after its data (offset %zu)",
				  mobj_op_name(a->type), len, rp_cur_left(&sub), off);
	return rc;
}

/* NamedPropertyInformation (2.2.4.2), kept as stored. */
static int npi_read(rp_cur *c, mapi_bin *out)
{
	size_t start = c->off;
	uint16_t n;
	uint32_t size;
	int rc = rp_cur_u16(c, &n, "NoOfNamedProps");

	if (rc == RP_OK && n) {
		rc = rp_cur_skip(c, (size_t)n * 2, "named property IDs");
		if (rc == RP_OK)
			rc = rp_cur_u32(c, &size, "NamedPropertiesSize");
		if (rc == RP_OK)
			rc = rp_cur_skip(c, size, "named properties");
	}
	return rc < 0 ? rc : bin_dup(out, c->p + start, c->off - start);
}

int mobj_actions_decode(mobj_actions *out, const uint8_t *p, size_t n, bool ext)
{
	rp_cur c;
	uint32_t count;
	size_t off;
	int rc = RP_OK;

	memset(out, 0, sizeof(*out));
	out->ext = ext;
	rp_cur_init(&c, p, n);
	if (ext) {
		rc = npi_read(&c, &out->npi);
		if (rc == RP_OK)
			rc = rp_cur_u32(&c, &out->version, "RuleVersion");
		if (rc == RP_OK && out->version != 1)
			rc = rp_error_set(RP_EFORMAT,
					  "extended rule version %" PRIu32
					  " (only 1 is defined) at offset %zu",
					  out->version, c.off - 4);
	}
	off = c.off;
	if (rc == RP_OK)
		rc = count_read(&c, ext, &count, "NoOfActions");
	if (rc == RP_OK)
		rc = count_check(&c, count, ext ? 13 : 11, "NoOfActions", off);
	if (rc < 0)
		return rc;
	out->a = calloc(count, sizeof(*out->a));
	if (!out->a)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < count; i++) {
		out->n = i + 1;
		rc = block_read(&c, ext, &out->a[i]);
		if (rc < 0)
			return rp_error_wrap(rc, "rule action %" PRIu32, i);
	}
	if (rp_cur_left(&c))
		return rp_error_set(RP_EFORMAT,
				    "%zu bytes after the last rule action (offset %zu)",
				    rp_cur_left(&c), c.off);
	return RP_OK;
}

static int data_write(rp_buf *b, bool ext, const mobj_action *a)
{
	int rc = RP_OK;

	switch (a->type) {
	case MOBJ_OP_MOVE:
	case MOBJ_OP_COPY:
		if (!ext)
			rc = rp_buf_u8(b, a->in_this_store);
		if (rc == RP_OK)
			rc = eid_write(b, ext, &a->store, "store entry ID size");
		return rc < 0 ? rc : eid_write(b, ext, &a->obj, "folder entry ID size");
	case MOBJ_OP_REPLY:
	case MOBJ_OP_OOF_REPLY:
		if (ext) {
			rc = eid_write(b, ext, &a->obj, "template entry ID size");
		} else {
			rc = rp_buf_u64le(b, a->tmpl_fid);
			if (rc == RP_OK)
				rc = rp_buf_u64le(b, a->tmpl_mid);
		}
		return rc < 0 ? rc : rp_buf_append(b, a->tmpl_guid, 16);
	case MOBJ_OP_DEFER_ACTION:
		return rp_buf_append(b, a->deferred.p, a->deferred.n);
	case MOBJ_OP_BOUNCE:
		return rp_buf_u32le(b, a->bounce);
	case MOBJ_OP_FORWARD:
	case MOBJ_OP_DELEGATE:
		rc = count_write(b, ext, a->nrecips, "recipient count");
		for (size_t i = 0; rc == RP_OK && i < a->nrecips; i++) {
			const mobj_recipient *r = &a->recips[i];
			rc = rp_buf_u8(b, r->reserved);
			if (rc == RP_OK)
				rc = count_write(b, ext, r->nprops,
						 "recipient property count");
			for (size_t j = 0; rc == RP_OK && j < r->nprops; j++)
				rc = mbx_prop_tagged_encode_w(b, &r->props[j], ext);
		}
		return rc;
	case MOBJ_OP_TAG:
		return mbx_prop_tagged_encode_w(b, &a->tag, ext);
	case MOBJ_OP_DELETE:
	case MOBJ_OP_MARK_AS_READ:
		return RP_OK;
	default:
		return rp_error_set(RP_EINVAL, "unknown action type 0x%02x", a->type);
	}
}

int mobj_actions_encode(const mobj_actions *a, rp_buf *out)
{
	rp_buf blk = RP_BUF_INIT;
	int rc = RP_OK;

	if (a->ext) {
		rc = rp_buf_append(out, a->npi.p, a->npi.n);
		if (rc == RP_OK)
			rc = rp_buf_u32le(out, a->version);
	}
	if (rc == RP_OK)
		rc = count_write(out, a->ext, a->n, "NoOfActions");
	for (size_t i = 0; rc == RP_OK && i < a->n; i++) {
		const mobj_action *x = &a->a[i];
		blk.len = 0;
		rc = rp_buf_u8(&blk, x->type);
		if (rc == RP_OK)
			rc = rp_buf_u32le(&blk, x->flavor);
		if (rc == RP_OK)
			rc = rp_buf_u32le(&blk, x->flags);
		if (rc == RP_OK)
			rc = data_write(&blk, a->ext, x);
		if (rc == RP_OK)
			rc = count_write(out, a->ext, blk.len, "ActionLength");
		if (rc == RP_OK)
			rc = rp_buf_append(out, blk.data, blk.len);
		if (rc < 0)
			rc = rp_error_wrap(rc, "rule action %zu", i);
	}
	rp_buf_free(&blk);
	return rc;
}

void mobj_xcond_free(mobj_xcond *c)
{
	if (!c)
		return;
	bin_free(&c->npi);
	mbx_res_free(&c->res);
}

int mobj_xcond_decode(mobj_xcond *out, const uint8_t *p, size_t n)
{
	rp_cur c;
	int rc;

	memset(out, 0, sizeof(*out));
	rp_cur_init(&c, p, n);
	rc = npi_read(&c, &out->npi);
	if (rc == RP_OK)
		rc = mbx_res_decode_w(&c, &out->res, true);
	if (rc == RP_OK && rp_cur_left(&c))
		rc = rp_error_set(RP_EFORMAT,
				  "%zu bytes after the rule condition (offset %zu)",
				  rp_cur_left(&c), c.off);
	return rc;
}

int mobj_xcond_encode(const mobj_xcond *c, rp_buf *out)
{
	int rc = rp_buf_append(out, c->npi.p, c->npi.n);
	return rc < 0 ? rc : mbx_res_encode_w(out, &c->res, true);
}

/* ---- rewrite ---- */

static int ref_dup(mobj_ref *dst, const mobj_ref *src)
{
	*dst = *src;
	dst->store.p = dst->obj.p = NULL;
	int rc = bin_dup(&dst->store, src->store.p, src->store.n);
	if (rc == RP_OK)
		rc = bin_dup(&dst->obj, src->obj.p, src->obj.n);
	return rc;
}

static void ref_free(mobj_ref *r)
{
	bin_free(&r->store);
	bin_free(&r->obj);
}

/* MOVE/COPY target or reply template through the folder map. */
static int action_ref(mobj_action *a, bool ext, const mobj_map *map, mobj_rw *st)
{
	mobj_ref from = {0}, to = {0};
	uint8_t ids[TMPL_IDS];
	int rc;

	from.ext = ext;
	if (a->type == MOBJ_OP_MOVE || a->type == MOBJ_OP_COPY) {
		from.kind = MOBJ_REF_FOLDER;
		from.in_this_store = a->in_this_store;
		from.store = a->store;
		from.obj = a->obj;
	} else {
		from.kind = MOBJ_REF_TEMPLATE;
		if (!ext) {
			for (int i = 0; i < 8; i++) {
				ids[i] = (uint8_t)(a->tmpl_fid >> (8 * i));
				ids[8 + i] = (uint8_t)(a->tmpl_mid >> (8 * i));
			}
			from.obj.p = ids;
			from.obj.n = TMPL_IDS;
		} else {
			from.obj = a->obj;
		}
	}
	rc = ref_dup(&to, &from);
	if (rc == RP_OK)
		rc = map->folder(map->folder_ctx, &from, &to);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		*st = MOBJ_RW_UNMAPPABLE;
		ref_free(&to);
		return RP_OK;
	}
	if (rc == RP_OK && from.kind == MOBJ_REF_TEMPLATE && !ext && to.obj.n != TMPL_IDS)
		rc = rp_error_set(
		    RP_EINVAL, "a reply template maps to FID + MID (16 bytes), not %zu",
		    to.obj.n);
	if (rc < 0) {
		ref_free(&to);
		return rc;
	}
	if (bin_eq(&to.obj, &from.obj) && bin_eq(&to.store, &from.store) &&
	    to.in_this_store == from.in_this_store) {
		ref_free(&to);
		return RP_OK;
	}
	*st = MOBJ_RW_REWRITTEN;
	if (from.kind == MOBJ_REF_TEMPLATE && !ext) {
		a->tmpl_fid = a->tmpl_mid = 0;
		for (int i = 7; i >= 0; i--) {
			a->tmpl_fid = (a->tmpl_fid << 8) | to.obj.p[i];
			a->tmpl_mid = (a->tmpl_mid << 8) | to.obj.p[8 + i];
		}
		ref_free(&to);
		return RP_OK;
	}
	bin_free(&a->store);
	bin_free(&a->obj);
	a->store = to.store;
	a->obj = to.obj;
	a->in_this_store = to.in_this_store;
	return RP_OK;
}

static int props_copy(mapi_value **dst, const mapi_value *src, size_t n)
{
	int rc = RP_OK;
	*dst = calloc(n ? n : 1, sizeof(**dst));
	if (!*dst)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == RP_OK; i++)
		rc = mapi_value_copy(&(*dst)[i], &src[i]);
	return rc;
}

/* One person's property list (a recipient block, a comment restriction)
 * through the recipient map into a copy; *out NULL when unchanged. */
static int person(const mapi_value *v, size_t n, const mobj_map *map, mapi_value **out,
		  bool *unmappable)
{
	mobj_who from, to = {0};
	size_t changed = 0;
	int rc = mobj_props_who(v, n, &from);

	*out = NULL;
	if (rc < 0 || from.kind == MOBJ_WHO_OTHER) {
		mobj_who_free(&from);
		return rc;
	}
	rc = map->recip(map->recip_ctx, &from, &to);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		*unmappable = true;
		rc = RP_OK;
	} else if (rc == RP_OK) {
		rc = props_copy(out, v, n);
		if (rc == RP_OK)
			rc = mobj_props_rewrite(*out, n, &from, &to, &changed);
		if (rc < 0 || !changed) {
			mbx_props_free(*out, n);
			*out = NULL;
		}
	}
	mobj_who_free(&from);
	mobj_who_free(&to);
	return rc;
}

static int action_recips(mobj_action *a, const mobj_map *map, mobj_rw *st)
{
	mapi_value **nv = calloc(a->nrecips, sizeof(*nv));
	bool unmappable = false, any = false;
	int rc = RP_OK;

	if (!nv)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (size_t i = 0; i < a->nrecips && rc == RP_OK; i++) {
		rc = person(a->recips[i].props, a->recips[i].nprops, map, &nv[i],
			    &unmappable);
		if (rc < 0)
			rc = rp_error_wrap(rc, "recipient %zu", i);
		any = any || nv[i];
	}
	for (size_t i = 0; i < a->nrecips; i++) {
		if (!nv[i])
			continue;
		if (rc == RP_OK && !unmappable) {
			mbx_props_free(a->recips[i].props, a->recips[i].nprops);
			a->recips[i].props = nv[i];
		} else {
			mbx_props_free(nv[i], a->recips[i].nprops);
		}
	}
	free(nv);
	if (rc == RP_OK)
		*st = unmappable ? MOBJ_RW_UNMAPPABLE
		      : any      ? MOBJ_RW_REWRITTEN
				 : MOBJ_RW_UNCHANGED;
	return rc;
}

int mobj_actions_rewrite(mobj_actions *a, const mobj_map *map, mobj_rw *st)
{
	int rc = RP_OK;

	for (size_t i = 0; i < a->n && rc == RP_OK; i++) {
		mobj_action *x = &a->a[i];
		mobj_rw r = MOBJ_RW_UNCHANGED;
		switch (x->type) {
		case MOBJ_OP_MOVE:
		case MOBJ_OP_COPY:
		case MOBJ_OP_REPLY:
		case MOBJ_OP_OOF_REPLY:
			if (map->folder)
				rc = action_ref(x, a->ext, map, &r);
			break;
		case MOBJ_OP_FORWARD:
		case MOBJ_OP_DELEGATE:
			if (map->recip)
				rc = action_recips(x, map, &r);
			break;
		default:
			break;
		}
		if (rc < 0)
			rc = rp_error_wrap(rc, "rule action %zu (%s)", i,
					   mobj_op_name(x->type));
		if (st)
			st[i] = r;
	}
	return rc;
}

/* A binary restriction value that names a person: a search key
 * ("EX:"/"SMTP:" + address + NUL) or a person's entry ID. */
static int value_who(const mapi_value *v, mobj_who *out, bool *skey)
{
	const char *p = (const char *)v->bin.p;
	size_t n = v->bin.n;

	memset(out, 0, sizeof(*out));
	*skey = false;
	if (PROP_TYPE(v->tag) != PT_BINARY || !n)
		return RP_OK;
	if (p[n - 1] == '\0' && memchr(p, '\0', n) == p + n - 1 &&
	    (!strncmp(p, "EX:", 3) || !strncmp(p, "SMTP:", 5))) {
		bool ex = p[0] == 'E';
		char *a = rp_strdup(p + (ex ? 3 : 5));
		if (!a)
			return rp_error_set(RP_ENOMEM, "out of memory");
		*skey = true;
		out->kind = ex ? MOBJ_WHO_EX : MOBJ_WHO_SMTP;
		if (ex)
			out->dn = a;
		else
			out->smtp = a;
		return RP_OK;
	}
	if (mobj_eid_who(v->bin.p, v->bin.n, out) < 0) {
		rp_error_clear();
		memset(out, 0, sizeof(*out));
	}
	return RP_OK;
}

static int cond_value(mapi_value *v, const mobj_map *map, bool *unmappable, bool *changed)
{
	mobj_who from, to = {0};
	bool skey;
	rp_buf nb = RP_BUF_INIT;
	int rc = value_who(v, &from, &skey);

	if (rc < 0 || from.kind == MOBJ_WHO_OTHER)
		goto out;
	rc = map->recip(map->recip_ctx, &from, &to);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		*unmappable = true;
		rc = RP_OK;
		goto out;
	}
	if (rc < 0)
		goto out;
	if (skey) {
		const char *addr = from.kind == MOBJ_WHO_EX ? to.dn : to.smtp;
		rc = addr ? mobj_search_key(from.kind, addr, &nb)
			  : rp_error_set(RP_EINVAL, "the recipient map gave no address");
	} else {
		rc = mobj_eid_rewrite(v->bin.p, v->bin.n, &from, &to, &nb);
	}
	if (rc == RP_OK && (nb.len != v->bin.n || memcmp(nb.data, v->bin.p, nb.len))) {
		mapi_value nv;
		rc = mapi_value_set_binary(&nv, v->tag, nb.data, nb.len);
		if (rc == RP_OK) {
			mapi_value_free(v);
			*v = nv;
			*changed = true;
		}
	}
out:
	rp_buf_free(&nb);
	mobj_who_free(&from);
	mobj_who_free(&to);
	return rc;
}

static int cond_walk(mbx_res *r, const mobj_map *map, bool *unmappable, bool *changed)
{
	int rc = RP_OK;

	if (r->type == MBX_RES_COMMENT && r->nprops) {
		mapi_value *nv = NULL;
		rc = person(r->props, r->nprops, map, &nv, unmappable);
		if (rc == RP_OK && nv) {
			mbx_props_free(r->props, r->nprops);
			r->props = nv;
			*changed = true;
		}
	}
	if (rc == RP_OK && (r->type == MBX_RES_PROPERTY || r->type == MBX_RES_CONTENT))
		rc = cond_value(&r->value, map, unmappable, changed);
	for (size_t i = 0; rc == RP_OK && i < r->nsub; i++)
		rc = cond_walk(&r->sub[i], map, unmappable, changed);
	return rc;
}

int mobj_cond_rewrite(mbx_res *r, const mobj_map *map, mobj_rw *st)
{
	mbx_res copy;
	bool unmappable = false, changed = false;
	int rc;

	*st = MOBJ_RW_UNCHANGED;
	if (!map->recip)
		return RP_OK;
	rc = mbx_res_copy(&copy, r);
	if (rc < 0)
		return rc;
	rc = cond_walk(&copy, map, &unmappable, &changed);
	if (rc == RP_OK && !unmappable && changed) {
		mbx_res_free(r);
		*r = copy;
		*st = MOBJ_RW_REWRITTEN;
		return RP_OK;
	}
	if (rc == RP_OK && unmappable)
		*st = MOBJ_RW_UNMAPPABLE;
	mbx_res_free(&copy);
	return rc;
}
