/* CONTAB: the Outlook Address Book's list of contact folders, kept in the
 * CONTAB provider's profile section as parallel multi-valued lists
 * (outlook-profile-registry.md 3.4; tags from MFCMAPI extraPropTags.h):
 * folder entry IDs 0x66201102, store entry IDs 0x66261102, support masks
 * 0x66211003, multi-address flags 0x66251003, store / folder / display names
 * 0x6622-0x6624 (_A) and 0x6627-0x6629 (_W).
 *
 * Processed: every folder of the source mailbox is pointed at its target
 * folder through the folder map (folder entry ID, store entry ID rebuilt with
 * the switch's rules, names); a folder without a target counterpart is
 * dropped from every list and named by its path; folders of other stores
 * (PST, other users) are kept. Skipped: the guide's "Outlook Address Book
 * will become empty": every list is written with no items. Registry edits
 * only: the mailbox is read, never written. docs/features.md, "CONTAB". */
#include "features.h"
#include "feature_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_eid.h"
#include "mapi/mapi_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	L_FOLDER,
	L_STORE,
	L_MASK,
	L_FLAGS,
	L_STORE_A,
	L_FOLDER_A,
	L_DISP_A,
	L_STORE_W,
	L_FOLDER_W,
	L_DISP_W,
	L_COUNT
};

/* Value names in the profile's "<type><id>" form, in the order above. */
static const char *const list_name[L_COUNT] = {
    "11026620", "11026626", "10036621", "10036625", "101e6622",
    "101e6623", "101e6624", "101f6627", "101f6628", "101f6629"};

/* The current error prefixed with its place: "<store>: key <sec>, value
 * <name>[ item <n>] (Outlook Address Book): <message>"; item 0 = none. */
static int wrap(int rc, reg_store *s, const char *sec, const char *name, size_t item)
{
	char *why = rp_strdup(rp_error_msg()), n[32] = "";
	if (!why)
		return rp_error_set(RP_ENOMEM, "out of memory");
	if (item)
		snprintf(n, sizeof(n), " item %zu", item);
	rp_error_set(rc, "%s: key %s, value %s%s (Outlook Address Book): %s",
		     reg_store_name(s), sec, name, n, why);
	free(why);
	return rc;
}

struct contab {
	char *sec;
	bool have[L_COUNT];
	uint32_t regtype[L_COUNT];
	mapi_value v[L_COUNT];
	size_t n; /* items of the folder list */
};

static void contab_free(struct contab *t)
{
	for (int i = 0; i < L_COUNT; i++)
		if (t->have[i])
			mapi_value_free(&t->v[i]);
	free(t->sec);
	memset(t, 0, sizeof(*t));
}

/* Reads the lists of one CONTAB provider section. No folder list: n = 0. */
static int contab_load(const feature_ctx *c, const char *sec, struct contab *t)
{
	int rc = RP_OK;
	memset(t, 0, sizeof(*t));
	if (!(t->sec = rp_strdup(sec)))
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (int i = 0; rc == RP_OK && i < L_COUNT; i++) {
		reg_value rv = {0};
		/* "<type><id>" -> the tag id << 16 | type. */
		uint32_t vn = (uint32_t)strtoul(list_name[i], NULL, 16);
		uint32_t tag = (vn & 0xFFFFu) << 16 | vn >> 16;
		rc = reg_get_value(c->store, sec, list_name[i], &rv);
		if (rc == RP_ENOTFOUND) {
			rp_error_clear();
			rc = RP_OK;
			continue;
		}
		if (rc < 0)
			break;
		t->have[i] = true;
		t->regtype[i] = rv.type;
		rc = mapi_value_decode(&t->v[i], tag, rv.type, rv.data, rv.len);
		if (rc == RP_OK &&
		    (t->v[i].opaque || (i > 0 && t->have[L_FOLDER] &&
					t->v[i].count != t->v[L_FOLDER].count)))
			rc = rp_error_set(
			    RP_EFORMAT,
			    "%s: key %s, value %s (Outlook Address Book): the "
			    "list has %zu items, the folder list 11026620 %zu",
			    reg_store_name(c->store), sec, list_name[i], t->v[i].count,
			    t->v[L_FOLDER].count);
		else if (rc < 0 && rc != RP_ENOMEM)
			rc = wrap(RP_EFORMAT, c->store, sec, list_name[i], 0);
		reg_value_free(&rv);
	}
	if (rc == RP_OK && t->have[L_FOLDER])
		t->n = t->v[L_FOLDER].count;
	return rc;
}

/* Plans every list whose encoding changed. */
static int contab_write(const struct contab *t, plan *out, const char *why)
{
	int rc = RP_OK;
	for (int i = 0; rc == RP_OK && i < L_COUNT; i++) {
		rp_buf b = RP_BUF_INIT;
		if (!t->have[i])
			continue;
		rc = mapi_value_encode(&t->v[i], &b, NULL);
		if (rc == RP_OK)
			rc = plan_set(out, t->sec, list_name[i], t->regtype[i], b.data,
				      b.len, why);
		rp_buf_free(&b);
	}
	return rc;
}

static int contab_remove(struct contab *t, size_t k)
{
	int rc = RP_OK;
	for (int i = 0; rc == RP_OK && i < L_COUNT; i++)
		if (t->have[i])
			rc = mapi_value_mv_remove(&t->v[i], k);
	return rc;
}

/* Item k of a name list (_W preferred) as UTF-8, or NULL. */
static char *name_of(const struct contab *t, int w, int a, size_t k)
{
	char *s = NULL;
	if (t->have[w] && mapi_value_mvstr_utf8(&t->v[w], k, &s) == RP_OK)
		return s;
	if (t->have[a] && mapi_value_mvstr_utf8(&t->v[a], k, &s) == RP_OK)
		return s;
	rp_error_clear();
	return NULL;
}

static int set_name(struct contab *t, int l, size_t k, const char *s)
{
	return t->have[l] ? mapi_value_mv_set_utf8(&t->v[l], k, s) : RP_OK;
}

/* The names of item k for the target: store names and display names with the
 * source address replaced, the folder name the target folder's, and a
 * display name that began with the old folder name beginning with the new. */
static int rename_item(struct contab *t, size_t k, const char *src_smtp,
		       const char *dst_smtp, const char *old_folder,
		       const char *new_folder)
{
	static const int pairs[3][2] = {
	    {L_STORE_W, L_STORE_A}, {L_FOLDER_W, L_FOLDER_A}, {L_DISP_W, L_DISP_A}};
	int rc = RP_OK;
	for (int p = 0; rc == RP_OK && p < 3; p++) {
		for (int side = 0; rc == RP_OK && side < 2; side++) {
			int l = pairs[p][side];
			char *cur = NULL, *neu = NULL;
			if (!t->have[l])
				continue;
			if ((rc = mapi_value_mvstr_utf8(&t->v[l], k, &cur)) < 0)
				break;
			if (p == 1) {
				neu = rp_strdup(new_folder);
			} else {
				size_t no = old_folder ? strlen(old_folder) : 0;
				char *tmp = NULL;
				if (p == 2 && no &&
				    rp_ascii_ncasecmp(cur, old_folder, no) == 0)
					tmp = rp_asprintf("%s%s", new_folder, cur + no);
				neu = feature_replace_ci(tmp ? tmp : cur, src_smtp,
							 dst_smtp);
				free(tmp);
			}
			rc = neu ? set_name(t, l, k, neu) : RP_ENOMEM;
			free(cur);
			free(neu);
		}
	}
	return rc;
}

/* The Outlook Address Book: skipped, every list emptied. */
static int plan_empty(struct contab *t, plan *out, feature_result *r)
{
	int rc = RP_OK;
	r->found += (unsigned)t->n;
	r->removed += (unsigned)t->n;
	for (int i = 0; rc == RP_OK && i < L_COUNT; i++) {
		uint32_t tag = t->v[i].tag;
		if (!t->have[i])
			continue;
		/* An empty list is its count, 0 (mapi_value.h). */
		mapi_value_free(&t->v[i]);
		rc = mapi_value_set_mv_empty(&t->v[i], tag, MAPI_MV_WIDTH_NONE);
	}
	if (rc == RP_OK && t->n)
		rc = contab_write(t, out, "CONTAB skipped: Outlook Address Book emptied");
	return rc;
}

struct tally {
	rp_buf changed, kept, dropped;
};

static int note(rp_buf *b, const char *fmt, const char *a, const char *b2)
{
	int rc = b->len ? rp_buf_puts(b, ", ") : RP_OK;
	return rc == RP_OK ? rp_buf_printf(b, fmt, a, b2) : rc;
}

/* Whether a store entry ID is the primary mailbox's (its DN, as the switch
 * reads it): only those folders follow the user. */
static int is_source_store(const profile_exchange *x, const mapi_bin *se, bool *mine)
{
	eid e;
	char *dn = NULL;
	int rc = eid_decode(&e, se->p, se->n);
	*mine = false;
	if (rc == RP_OK && e.kind == EID_STORE && e.u.store.kind == EID_STORE_EMSMDB &&
	    e.u.store.has_mailbox_dn &&
	    (rc = eid_bytes_utf8(&e.u.store.mailbox_dn, false, &dn)) == RP_OK)
		*mine = x->mailbox_dn && rp_name_eq(dn, x->mailbox_dn);
	free(dn);
	eid_free(&e);
	return rc;
}

/* Item k of the source mailbox: through the folder map, or dropped. */
static int map_item(const feature_ctx *c, const feature_mailbox *mb, struct contab *t,
		    size_t k, feature_result *r, struct tally *ty, bool *dropped)
{
	const profile_exchange *x = &c->p->exchange[c->ex];
	const mapi_bin *fe = &t->v[L_FOLDER].mv[k], *se = &t->v[L_STORE].mv[k];
	const mbx_folder_pair *pr = mbx_folder_map_by_eid(mb->map, fe->p, fe->n);
	rp_buf neid = RP_BUF_INIT;
	bool changed = false;
	int rc;
	*dropped = !pr || !pr->dst;
	if (*dropped) {
		/* Deleted or never migrated: dropped, never left dangling. */
		char *fname = pr ? NULL : name_of(t, L_FOLDER_W, L_FOLDER_A, k);
		r->removed++;
		rc = note(&ty->dropped, "'%s'%s",
			  pr ? pr->src->path : (fname ? fname : "?"),
			  pr ? " (no counterpart in the target mailbox)"
			     : " (not in the source mailbox)");
		free(fname);
		return rc == RP_OK ? contab_remove(t, k) : rc;
	}
	rc = feature_store_eid_switch(x, c->target, se->p, se->n, &neid, &changed);
	if (rc == RP_OK && changed)
		rc = mapi_value_mv_set(&t->v[L_STORE], k, neid.data, neid.len);
	rp_buf_free(&neid);
	if (rc == RP_OK)
		rc = mapi_value_mv_set(&t->v[L_FOLDER], k, pr->dst->eid, pr->dst->neid);
	if (rc == RP_OK)
		rc = rename_item(t, k, x->smtp, c->target->smtp, pr->src->name,
				 pr->dst->name);
	if (rc == RP_OK)
		rc = note(&ty->changed, "'%s' -> '%s'", pr->src->path, pr->dst->path);
	r->changed++;
	return rc;
}

/* Processed: the folders of the source mailbox through the folder map;
 * *needs when the mailbox cannot be read (r says why). */
static int plan_map(const feature_ctx *c, struct contab *t, plan *out, feature_result *r,
		    struct tally *ty, bool *needs)
{
	/* No primary Exchange account: no folder is the user's mailbox's. */
	const profile_exchange *x = c->ex >= 0 ? &c->p->exchange[c->ex] : NULL;
	const feature_mailbox *mb = NULL;
	size_t k = 0;
	int rc = RP_OK;
	bool edited = false;

	r->found += (unsigned)t->n;
	while (rc == RP_OK && k < t->v[L_FOLDER].count) {
		bool mine = false, dropped = false;
		if (x && t->have[L_STORE] &&
		    (rc = is_source_store(x, &t->v[L_STORE].mv[k], &mine)) < 0) {
			rc = wrap(rc, c->store, t->sec, list_name[L_STORE], k + 1);
			break;
		}
		if (!mine) {
			/* A PST's or another user's folder: not the switch's. */
			char *fn = name_of(t, L_FOLDER_W, L_FOLDER_A, k);
			char *sn = name_of(t, L_STORE_W, L_STORE_A, k);
			r->kept++;
			rc = note(&ty->kept, "'%s' in '%s'", fn ? fn : "?",
				  sn ? sn : "another store");
			free(fn);
			free(sn);
			k++;
			continue;
		}
		if (!mb && (rc = feature_need_mailbox(c, r, &mb)) < 0) {
			*needs = rc == RP_ENOTFOUND;
			return *needs ? RP_OK : rc;
		}
		if (!mb->map)
			return rp_error_set(
			    RP_ENOTFOUND,
			    "the source mailbox's folders cannot be read, "
			    "so its contact folders cannot be matched: %s",
			    mb->source_why ? mb->source_why : "not opened");
		rc = map_item(c, mb, t, k, r, ty, &dropped);
		edited = true;
		if (!dropped)
			k++;
	}
	if (rc == RP_OK && edited)
		rc =
		    contab_write(t, out, "CONTAB: contact folders pointed at the target");
	return rc;
}

int feature_contab_plan(const feature_ctx *c, plan *out, feature_result *r)
{
	const profile *p = c->p;
	struct tally ty = {RP_BUF_INIT, RP_BUF_INIT, RP_BUF_INIT};
	size_t sections = 0;
	int rc = RP_OK;
	bool needs = false;

	for (size_t i = 0; rc == RP_OK && !needs && i < p->nservices; i++) {
		const profile_service *svc = &p->services[i];
		if (!svc->present || !svc->name || rp_ascii_casecmp(svc->name, "CONTAB"))
			continue;
		for (size_t j = 0; rc == RP_OK && !needs && j < svc->nproviders; j++) {
			struct contab t;
			char *sec =
			    profile_section_path(p, p->providers[svc->providers[j]].uid);
			if (!sec)
				return rp_error_set(RP_ENOMEM, "out of memory");
			rc = contab_load(c, sec, &t);
			free(sec);
			if (rc == RP_OK && t.n)
				sections++;
			if (rc == RP_OK && c->mode == FEATURE_MODE_SKIP)
				rc = plan_empty(&t, out, r);
			else if (rc == RP_OK && t.n)
				rc = plan_map(c, &t, out, r, &ty, &needs);
			contab_free(&t);
		}
	}
	if (needs) {
		/* r holds FEATURE_NEEDS_MAILBOX and why; plan nothing. */
		plan_free(out);
		r->found = r->changed = r->kept = r->removed = 0;
	} else if (rc == RP_OK && c->mode == FEATURE_MODE_SKIP) {
		rc = r->found ? feature_result_msg(r,
						   "skipped: the Outlook Address Book is "
						   "emptied (%u contact folders removed)",
						   r->removed)
			      : feature_result_msg(r, "skipped: no Outlook Address Book "
						      "folders in the profile");
	} else if (rc == RP_OK && !sections) {
		rc = feature_result_msg(r, "no contact folders in the profile");
	} else if (rc == RP_OK) {
		rc = rp_buf_u8(&ty.changed, 0);
		if (rc == RP_OK)
			rc = rp_buf_u8(&ty.kept, 0);
		if (rc == RP_OK)
			rc = rp_buf_u8(&ty.dropped, 0);
		if (rc == RP_OK)
			rc = feature_result_msg(
			    r,
			    "%u contact folders found, %u pointed at the target%s%s%s, "
			    "%u left on their store%s%s%s, %u dropped%s%s%s",
			    r->found, r->changed, r->changed ? " (" : "",
			    (char *)ty.changed.data, r->changed ? ")" : "", r->kept,
			    r->kept ? " (" : "", (char *)ty.kept.data, r->kept ? ")" : "",
			    r->removed, r->removed ? " (" : "", (char *)ty.dropped.data,
			    r->removed ? ")" : "");
		r->warning = r->removed > 0;
	}
	rp_buf_free(&ty.changed);
	rp_buf_free(&ty.kept);
	rp_buf_free(&ty.dropped);
	return rc;
}
