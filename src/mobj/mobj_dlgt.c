/* mobj_dlgt.c - the delegate information object. */
#include "mobj/mobj_dlgt.h"

#include "base/rp_err.h"
#include "mapi/mapi_tag.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static mapi_value *find(const mapi_value *v, size_t n, uint32_t tag)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].tag == tag)
			return (mapi_value *)&v[i];
	return NULL;
}

static int boolean(const mapi_value *v, size_t n, uint32_t tag)
{
	const mapi_value *b = find(v, n, tag);
	return b ? b->u.b != 0 : -1;
}

void mobj_dlgt_free(mobj_dlgt *d)
{
	if (!d)
		return;
	for (size_t i = 0; d->d && i < d->n; i++)
		mobj_who_free(&d->d[i].who);
	free(d->d);
	memset(d, 0, sizeof(*d));
}

/* The lists and their common count; RP_EFORMAT when they disagree. */
static int lists(const mapi_value *v, size_t n, mapi_value **ids, mapi_value **names,
		 mapi_value **namesw, mapi_value **flags)
{
	*ids = find(v, n, MOBJ_DLGT_ENTRYIDS);
	*names = find(v, n, MOBJ_DLGT_NAMES);
	*namesw = find(v, n, MOBJ_DLGT_NAMES_W);
	*flags = find(v, n, MOBJ_DLGT_FLAGS);
	size_t cnt = *ids ? (*ids)->count : 0;
	const mapi_value *other[3] = {*names, *namesw, *flags};
	for (int i = 0; i < 3; i++)
		if (other[i] && other[i]->count != cnt)
			return rp_error_set(RP_EFORMAT,
					    "delegate information: %s has %zu items, "
					    "PidTagScheduleInfoDelegateEntryIds %zu",
					    i == 0   ? "PidTagScheduleInfoDelegateNames"
					    : i == 1 ? "PidTagScheduleInfoDelegateNamesW"
						     : "PidTagDelegateFlags",
					    other[i]->count, cnt);
	if (*flags && (*flags)->count)
		for (size_t i = 0; i < cnt; i++)
			if ((*flags)->mv[i].n != 4)
				return rp_error_set(
				    RP_EFORMAT,
				    "PidTagDelegateFlags item %zu is %zu bytes", i,
				    (*flags)->mv[i].n);
	return RP_OK;
}

int mobj_dlgt_decode(const mapi_value *v, size_t n, mobj_dlgt *out)
{
	mapi_value *ids, *names, *namesw, *flags;
	int rc;

	memset(out, 0, sizeof(*out));
	out->wants_copy = boolean(v, n, MOBJ_DLGT_WANTS_COPY);
	out->dont_mail = boolean(v, n, MOBJ_DLGT_DONT_MAIL);
	out->wants_info = boolean(v, n, MOBJ_DLGT_WANTS_INFO);
	rc = lists(v, n, &ids, &names, &namesw, &flags);
	if (rc < 0 || !ids || !ids->count)
		return rc;
	out->d = calloc(ids->count, sizeof(*out->d));
	if (!out->d)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (size_t i = 0; i < ids->count; i++) {
		mobj_delegate *d = &out->d[i];
		out->n = i + 1;
		if (!ids->mv[i].n)
			return rp_error_set(RP_EFORMAT, "delegate %zu has no entry ID",
					    i);
		rc = mobj_eid_who(ids->mv[i].p, ids->mv[i].n, &d->who);
		if (rc < 0)
			return rp_error_wrap(rc, "delegate %zu entry ID", i);
		if (d->who.kind != MOBJ_WHO_EX)
			return rp_error_set(
			    RP_EFORMAT,
			    "delegate %zu: the entry ID is not an address-book "
			    "entry",
			    i);
		if (namesw)
			rc = mapi_value_mvstr_utf8(namesw, i, &d->who.name);
		else if (names)
			rc = mapi_value_mvstr_utf8(names, i, &d->who.name);
		if (rc < 0)
			return rp_error_wrap(rc, "delegate %zu name", i);
		if (flags)
			d->flags = rp_le32(flags->mv[i].p);
	}
	return RP_OK;
}

int mobj_dlgt_rewrite(mapi_value *v, size_t n, mobj_recip_fn map, void *ctx, mobj_rw *st)
{
	mapi_value *ids, *names, *namesw, *flags;
	mobj_dlgt cur;
	int rc = mobj_dlgt_decode(v, n, &cur);

	if (rc == RP_OK)
		rc = lists(v, n, &ids, &names, &namesw, &flags);
	for (size_t i = 0; rc == RP_OK && i < cur.n; i++) {
		mobj_who to = {0};
		rp_buf b = RP_BUF_INIT;
		if (st)
			st[i] = MOBJ_RW_UNCHANGED;
		rc = map(ctx, &cur.d[i].who, &to);
		if (rc == RP_ENOTFOUND) {
			rp_error_clear();
			if (st)
				st[i] = MOBJ_RW_UNMAPPABLE;
			rc = RP_OK;
			continue;
		}
		if (rc == RP_OK)
			rc = mobj_eid_rewrite(ids->mv[i].p, ids->mv[i].n, &cur.d[i].who,
					      &to, &b);
		bool changed = rc == RP_OK && (b.len != ids->mv[i].n ||
					       memcmp(b.data, ids->mv[i].p, b.len) != 0);
		if (changed)
			rc = mapi_value_mv_set(ids, i, b.data, b.len);
		if (rc == RP_OK && to.name &&
		    (!cur.d[i].who.name || strcmp(to.name, cur.d[i].who.name))) {
			if (namesw)
				rc = mapi_value_mv_set_utf8(namesw, i, to.name);
			if (rc == RP_OK && names)
				rc = mapi_value_mv_set_utf8(names, i, to.name);
			changed = true;
		}
		if (rc == RP_OK && changed && st)
			st[i] = MOBJ_RW_REWRITTEN;
		if (rc < 0)
			rc = rp_error_wrap(rc, "delegate %zu", i);
		rp_buf_free(&b);
		mobj_who_free(&to);
	}
	mobj_dlgt_free(&cur);
	return rc;
}
