/* mobj_dlist.c - distribution list members and contact e-mail slots. */
#include "mobj/mobj_dlist.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_tag.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Reflected CRC-32, polynomial 0xEDB88320 (ISO/IEC 8802-3). */
static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return crc;
}

void mobj_dlist_crc(const mapi_value *members, uint32_t *iso, uint32_t *zero)
{
	uint32_t a = 0xFFFFFFFFu, z = 0;
	for (size_t i = 0; i < members->count; i++) {
		a = crc_update(a, members->mv[i].p, members->mv[i].n);
		z = crc_update(z, members->mv[i].p, members->mv[i].n);
	}
	*iso = ~a;
	*zero = z;
}

static mobj_crc crc_state(const mapi_value *members, const mapi_value *checksum)
{
	uint32_t iso, zero, v;
	if (!checksum || PROP_TYPE(checksum->tag) != PT_LONG)
		return MOBJ_CRC_ABSENT;
	mobj_dlist_crc(members, &iso, &zero);
	v = (uint32_t)checksum->u.l;
	return v == iso    ? MOBJ_CRC_OK_ISO
	       : v == zero ? MOBJ_CRC_OK_ZERO
			   : MOBJ_CRC_MISMATCH;
}

void mobj_dlist_free(mobj_dlist *d)
{
	if (!d)
		return;
	for (size_t i = 0; d->who && i < d->n; i++)
		mobj_who_free(&d->who[i]);
	free(d->who);
	memset(d, 0, sizeof(*d));
}

static int check(const mapi_value *members, const mapi_value *oneoffs)
{
	if (!members || PROP_TYPE(members->tag) != PT_MV_BINARY)
		return rp_error_set(RP_EINVAL, "no PidLidDistributionListMembers value");
	if (oneoffs && PROP_TYPE(oneoffs->tag) != PT_MV_BINARY)
		return rp_error_set(RP_EFORMAT,
				    "PidLidDistributionListOneOffMembers is not binary");
	if (oneoffs && oneoffs->count != members->count)
		return rp_error_set(RP_EFORMAT,
				    "PidLidDistributionListOneOffMembers has %zu items, "
				    "PidLidDistributionListMembers %zu",
				    oneoffs->count, members->count);
	return RP_OK;
}

int mobj_dlist_decode(const mapi_value *members, const mapi_value *oneoffs,
		      const mapi_value *checksum, mobj_dlist *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = check(members, oneoffs);
	if (rc < 0 || !members->count)
		return rc;
	out->crc = crc_state(members, checksum);
	out->who = calloc(members->count, sizeof(*out->who));
	if (!out->who)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (size_t i = 0; i < members->count; i++) {
		out->n = i + 1;
		if (!members->mv[i].n)
			return rp_error_set(RP_EFORMAT,
					    "distribution list member %zu is empty", i);
		rc = mobj_eid_who(members->mv[i].p, members->mv[i].n, &out->who[i]);
		if (rc < 0)
			return rp_error_wrap(rc, "PidLidDistributionListMembers item %zu",
					     i);
		if (out->who[i].kind == MOBJ_WHO_OTHER && oneoffs && oneoffs->mv[i].n) {
			mobj_who_free(&out->who[i]);
			rc = mobj_eid_who(oneoffs->mv[i].p, oneoffs->mv[i].n,
					  &out->who[i]);
			if (rc < 0)
				return rp_error_wrap(
				    rc, "PidLidDistributionListOneOffMembers item %zu",
				    i);
		}
	}
	return RP_OK;
}

/* Rewrites item i of list when it names someone of from's kind (its own
 * address then follows to); *changed set when the bytes differ. */
static int item(mapi_value *list, size_t i, const mobj_who *from, const mobj_who *to,
		bool *changed)
{
	mobj_who cur;
	rp_buf b = RP_BUF_INIT;
	int rc = mobj_eid_who(list->mv[i].p, list->mv[i].n, &cur);

	if (rc == RP_OK && cur.kind != MOBJ_WHO_OTHER &&
	    ((cur.kind == MOBJ_WHO_EX && to->dn) ||
	     (cur.kind == MOBJ_WHO_SMTP && to->smtp))) {
		/* the one-off of an EX member may carry its SMTP address */
		rc = mobj_eid_rewrite(list->mv[i].p, list->mv[i].n, &cur, to, &b);
		if (rc == RP_OK &&
		    (b.len != list->mv[i].n || memcmp(b.data, list->mv[i].p, b.len))) {
			rc = mapi_value_mv_set(list, i, b.data, b.len);
			*changed = true;
		}
	}
	(void)from;
	mobj_who_free(&cur);
	rp_buf_free(&b);
	return rc;
}

int mobj_dlist_rewrite(mapi_value *members, mapi_value *oneoffs, mapi_value *checksum,
		       mobj_recip_fn map, void *ctx, mobj_rw *st, mobj_crc *crc_in)
{
	mobj_dlist d;
	int rc = mobj_dlist_decode(members, oneoffs, checksum, &d);
	mobj_crc crc = d.crc;

	if (crc_in)
		*crc_in = crc;
	for (size_t i = 0; rc == RP_OK && i < d.n; i++) {
		mobj_who to = {0};
		bool changed = false;
		if (st)
			st[i] = MOBJ_RW_UNCHANGED;
		if (d.who[i].kind == MOBJ_WHO_OTHER)
			continue;
		rc = map(ctx, &d.who[i], &to);
		if (rc == RP_ENOTFOUND) {
			rp_error_clear();
			rc = RP_OK;
			if (st)
				st[i] = MOBJ_RW_UNMAPPABLE;
		} else if (rc == RP_OK) {
			rc = item(members, i, &d.who[i], &to, &changed);
			if (rc == RP_OK && oneoffs && oneoffs->mv[i].n)
				rc = item(oneoffs, i, &d.who[i], &to, &changed);
			if (rc == RP_OK && changed && st)
				st[i] = MOBJ_RW_REWRITTEN;
		}
		if (rc < 0)
			rc = rp_error_wrap(rc, "distribution list member %zu", i);
		mobj_who_free(&to);
	}
	if (rc == RP_OK && checksum && PROP_TYPE(checksum->tag) == PT_LONG) {
		uint32_t iso, zero;
		mobj_dlist_crc(members, &iso, &zero);
		checksum->u.l = (int32_t)(crc == MOBJ_CRC_OK_ZERO ? zero : iso);
	}
	mobj_dlist_free(&d);
	return rc;
}

/* s with every case-insensitive occurrence of old replaced by neu
 * (malloc'd), or NULL when old does not occur. */
static char *replace_ci(const char *s, const char *old, const char *neu)
{
	size_t lo = strlen(old);
	rp_buf b = RP_BUF_INIT;
	bool any = false;

	if (!lo)
		return NULL;
	while (*s) {
		if (rp_ascii_ncasecmp(s, old, lo) == 0) {
			if (rp_buf_puts(&b, neu) < 0)
				goto fail;
			s += lo;
			any = true;
		} else if (rp_buf_u8(&b, (uint8_t)*s++) < 0) {
			goto fail;
		}
	}
	if (!any || rp_buf_u8(&b, 0) < 0)
		goto fail;
	return (char *)rp_buf_steal(&b, NULL);
fail:
	rp_buf_free(&b);
	return NULL;
}

static int str_of(const mapi_value *v, char **out)
{
	*out = NULL;
	if (!v || (PROP_TYPE(v->tag) != PT_UNICODE && PROP_TYPE(v->tag) != PT_STRING8))
		return RP_OK;
	return mapi_value_str_utf8(v, out);
}

static int str_put(mapi_value *v, const char *s)
{
	mapi_value nv;
	int rc = PROP_TYPE(v->tag) == PT_UNICODE
		     ? mapi_value_set_unicode(&nv, v->tag, s)
		     : mapi_value_set_string8(&nv, v->tag, MAPI_REG_BINARY, s);
	if (rc < 0)
		return rc;
	mapi_value_free(v);
	*v = nv;
	return RP_OK;
}

/* A display string: the old address replaced where it appears. */
static int display(mapi_value *v, const char *old, const char *neu, bool *changed)
{
	char *s = NULL, *r;
	int rc = str_of(v, &s);
	if (rc < 0 || !s)
		return rc;
	r = replace_ci(s, old, neu);
	if (r && strcmp(r, s)) {
		rc = str_put(v, r);
		*changed = true;
	}
	free(r);
	free(s);
	return rc;
}

int mobj_email_rewrite(mobj_email *e, mobj_recip_fn map, void *ctx, mobj_rw *st)
{
	mobj_who from = {0}, to = {0};
	char *type = NULL, *addr = NULL;
	bool changed = false;
	rp_buf b = RP_BUF_INIT;
	int rc = RP_OK;

	*st = MOBJ_RW_UNCHANGED;
	if (e->orig_eid && PROP_TYPE(e->orig_eid->tag) == PT_BINARY &&
	    e->orig_eid->bin.n) {
		rc = mobj_eid_who(e->orig_eid->bin.p, e->orig_eid->bin.n, &from);
		if (rc < 0)
			return rp_error_wrap(rc, "e-mail original entry ID");
	}
	if (rc == RP_OK)
		rc = str_of(e->addrtype, &type);
	if (rc == RP_OK)
		rc = str_of(e->address, &addr);
	if (rc == RP_OK && from.kind == MOBJ_WHO_OTHER && type && addr) {
		if (rp_ascii_casecmp(type, "EX") == 0) {
			from.kind = MOBJ_WHO_EX;
			from.dn = rp_strdup(addr);
		} else if (rp_ascii_casecmp(type, "SMTP") == 0) {
			from.kind = MOBJ_WHO_SMTP;
			from.smtp = rp_strdup(addr);
		}
	}
	if (rc < 0 || from.kind == MOBJ_WHO_OTHER)
		goto out;
	rc = map(ctx, &from, &to);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		*st = MOBJ_RW_UNMAPPABLE;
		rc = RP_OK;
		goto out;
	}
	const char *old = from.kind == MOBJ_WHO_EX ? from.dn : from.smtp;
	const char *neu = from.kind == MOBJ_WHO_EX ? to.dn : to.smtp;
	if (rc == RP_OK && (!old || !neu))
		rc = rp_error_set(RP_EINVAL, "the recipient map gave no address");
	if (rc == RP_OK && e->orig_eid && e->orig_eid->bin.n) {
		rc = mobj_eid_rewrite(e->orig_eid->bin.p, e->orig_eid->bin.n, &from, &to,
				      &b);
		if (rc == RP_OK && (b.len != e->orig_eid->bin.n ||
				    memcmp(b.data, e->orig_eid->bin.p, b.len))) {
			mapi_value nv;
			rc = mapi_value_set_binary(&nv, e->orig_eid->tag, b.data, b.len);
			if (rc == RP_OK) {
				mapi_value_free(e->orig_eid);
				*e->orig_eid = nv;
				changed = true;
			}
		}
	}
	if (rc == RP_OK && addr && rp_ascii_casecmp(addr, old) == 0 &&
	    strcmp(addr, neu)) {
		rc = str_put(e->address, neu);
		changed = true;
	}
	if (rc == RP_OK && e->display)
		rc = display(e->display, old, neu, &changed);
	if (rc == RP_OK && e->orig_display)
		rc = display(e->orig_display, old, neu, &changed);
	if (rc == RP_OK && changed)
		*st = MOBJ_RW_REWRITTEN;
out:
	free(type);
	free(addr);
	rp_buf_free(&b);
	mobj_who_free(&from);
	mobj_who_free(&to);
	return rc;
}
