/* profile.c - decodes one Outlook profile into the model of profile.h.
 *
 * Every section is read once (all its values) and kept in a small cache; the
 * model is then built by following the cross-references of ref 1.4:
 * root lists -> services -> providers, services -> emsmdb sections, account
 * manager -> services, Outlook global section -> legacy account. */
#include "base/rp_attr.h"
#include "profile.h"

#include "../base/rp_attr.h"
#include "../base/rp_buf.h"
#include "../base/rp_cur.h"
#include "../base/rp_err.h"
#include "../base/rp_str.h"
#include "../mapi/mapi_tag.h"
#include "../mapi/mapi_value.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Well-known MAPI UIDs (wire bytes; ../shared/reference/mapi-binary-formats.md 1.0). */
static const uint8_t uid_exch_primary[16] = {0x54, 0x94, 0xA1, 0xC0, 0x29, 0x7F,
					     0x10, 0x1B, 0xA5, 0x87, 0x08, 0x00,
					     0x2B, 0x2A, 0x25, 0x17};
static const uint8_t uid_exch_delegate[16] = {0x9E, 0xB4, 0x77, 0x00, 0x74, 0xE4,
					      0x11, 0xCE, 0x8C, 0x5E, 0x00, 0xAA,
					      0x00, 0x42, 0x54, 0xE2};
static const uint8_t uid_exch_public[16] = {0x78, 0xB2, 0xFA, 0x70, 0xAF, 0xF7,
					    0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA,
					    0x00, 0x2F, 0xC4, 0x5A};

struct section {
	char *key; /* relative to the profile key */
	bool present;
	reg_values vals;
};

struct ctx {
	reg_store *s;
	profile *p;
	struct section **secs; /* individually allocated: pointers stay valid */
	size_t nsecs;
	/* root list value that named each provider no service lists (for the
	 * dangling-provider message), indexed like p->providers */
	const char **prov_root_list;
	size_t nprov_root_list;
};

static int nomem(void)
{
	return rp_error_set(RP_ENOMEM, "out of memory");
}

/* Grows *arr (of elem bytes) to hold n+1 items; returns a pointer to the new
 * zeroed item or NULL. */
static void *grow(void **arr, size_t *n, size_t elem)
{
	void *na = realloc(*arr, (*n + 1) * elem);
	if (!na)
		return NULL;
	*arr = na;
	memset((char *)na + *n * elem, 0, elem);
	return (char *)na + (*n)++ * elem;
}

static char *full_path(struct ctx *c, const char *key)
{
	return key[0] ? rp_asprintf("%s\\%s", c->p->path, key) : rp_strdup(c->p->path);
}

/* Adds a problem; only RP_ENOMEM can fail. */
static int problem(struct ctx *c, const char *key, const char *value, const char *fmt,
		   ...) RP_PRINTF(4, 5);

static int problem(struct ctx *c, const char *key, const char *value, const char *fmt,
		   ...)
{
	profile_problem *pr;
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	pr = grow((void **)&c->p->problems, &c->p->nproblems, sizeof(*pr));
	if (!pr)
		return nomem();
	pr->key = rp_strdup(key);
	pr->value = value ? rp_strdup(value) : NULL;
	pr->text = rp_strdup(text);
	if (!pr->key || !pr->text || (value && !pr->value))
		return nomem();
	return RP_OK;
}

/* A value that failed to decode: fatal (wrapped with file, key, value) or,
 * for cosmetic values, recorded as a problem. ENOMEM is always fatal. */
static int bad_value(struct ctx *c, const char *key, const char *value, int rc,
		     bool fatal)
{
	char *path;
	if (rc == RP_ENOMEM || fatal) {
		path = full_path(c, key);
		rc = rp_error_wrap(rc, "%s: %s: value %s", reg_store_name(c->s),
				   path ? path : key, value);
		free(path);
		return rc;
	}
	return problem(c, key, value, "cannot decode: %s", rp_error_msg());
}

/* The section whose key is key (relative to the profile), read once. */
static int section(struct ctx *c, const char *key, struct section **out)
{
	struct section *sec, **slot;
	char *path;
	size_t i;
	int rc;

	for (i = 0; i < c->nsecs; i++)
		if (rp_name_eq(c->secs[i]->key, key)) {
			*out = c->secs[i];
			return RP_OK;
		}
	slot = grow((void **)&c->secs, &c->nsecs, sizeof(*slot));
	if (!slot)
		return nomem();
	sec = *slot = calloc(1, sizeof(*sec));
	if (!sec)
		return nomem();
	sec->key = rp_strdup(key);
	path = full_path(c, key);
	if (!sec->key || !path) {
		free(path);
		return nomem();
	}
	rc = reg_list_values(c->s, path, &sec->vals);
	free(path);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		rc = RP_OK;
	} else if (rc == RP_OK) {
		sec->present = true;
	}
	*out = sec;
	return rc;
}

void profile_uid_key(const uint8_t uid[PROFILE_UID_LEN], char out[33])
{
	static const char hx[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < PROFILE_UID_LEN; i++) {
		out[2 * i] = hx[uid[i] >> 4];
		out[2 * i + 1] = hx[uid[i] & 0xF];
	}
	out[32] = '\0';
}

char *profile_section_path(const profile *p, const uint8_t uid[PROFILE_UID_LEN])
{
	char key[33];
	char *s;
	profile_uid_key(uid, key);
	s = rp_asprintf("%s\\%s", p->path, key);
	if (!s)
		nomem();
	return s;
}

static int uid_section(struct ctx *c, const uint8_t uid[16], struct section **out)
{
	char key[33];
	profile_uid_key(uid, key);
	return section(c, key, out);
}

static const reg_value *find(const struct section *sec, const char *name)
{
	size_t i;
	for (i = 0; i < sec->vals.n; i++)
		if (rp_name_eq(sec->vals.v[i].name, name))
			return &sec->vals.v[i];
	return NULL;
}

static const reg_value *find_tag(const struct section *sec, uint32_t tag, char name[9])
{
	mapi_tag_to_regname(tag, name);
	return find(sec, name);
}

/* A PT_UNICODE property, or its PT_STRING8 twin, as UTF-8 (NULL if absent).
 * Also strips an "SMTP:" prefix into *bare when bare is not NULL. */
static int rd_str(struct ctx *c, struct section *sec, uint16_t id, bool fatal, char **out)
{
	static const uint16_t types[2] = {PT_UNICODE, PT_STRING8};
	const reg_value *v;
	mapi_value mv;
	char name[9];
	size_t i;
	int rc;

	*out = NULL;
	for (i = 0; i < 2; i++) {
		uint32_t tag = PROP_TAG(types[i], id);
		v = find_tag(sec, tag, name);
		if (!v)
			continue;
		memset(&mv, 0, sizeof(mv));
		rc = mapi_value_decode(&mv, tag, v->type, v->data, v->len);
		if (rc == RP_OK)
			rc = mapi_value_str_utf8(&mv, out);
		mapi_value_free(&mv);
		if (rc < 0) {
			*out = NULL;
			return bad_value(c, sec->key, name, rc, fatal);
		}
		return RP_OK;
	}
	return RP_OK;
}

/* A PT_LONG property (REG_BINARY 4 bytes, or REG_DWORD). */
static int rd_long(struct ctx *c, struct section *sec, uint16_t id, bool fatal, bool *has,
		   uint32_t *out)
{
	char name[9];
	const reg_value *v = find_tag(sec, PROP_TAG(PT_LONG, id), name);
	rp_cur cur;
	int rc;

	*has = false;
	if (!v)
		return RP_OK;
	rp_cur_init(&cur, v->data, v->len);
	rc = rp_cur_u32(&cur, out, "PT_LONG value");
	if (rc == RP_OK && rp_cur_left(&cur) != 0)
		rc =
		    rp_error_set(RP_EFORMAT, "PT_LONG value is %zu bytes, not 4", v->len);
	if (rc < 0)
		return bad_value(c, sec->key, name, rc, fatal);
	*has = true;
	return RP_OK;
}

/* A PT_BINARY property as a view into the section (NULL/0 if absent). */
static const reg_value *rd_bin(struct section *sec, uint16_t id, char name[9])
{
	return find_tag(sec, PROP_TAG(PT_BINARY, id), name);
}

/* A list of 16-byte UIDs (PR_SERVICES, PR_STORE_PROVIDERS ...): fatal when its
 * length is not a multiple of 16, since a switch edits these lists. */
static int rd_uids(struct ctx *c, struct section *sec, uint16_t id, const uint8_t **out,
		   size_t *n)
{
	char name[9];
	const reg_value *v = rd_bin(sec, id, name);
	*out = NULL;
	*n = 0;
	if (!v)
		return RP_OK;
	if (v->len % PROFILE_UID_LEN != 0) {
		rp_error_set(RP_EFORMAT, "UID list is %zu bytes, not a multiple of 16",
			     v->len);
		return bad_value(c, sec->key, name, RP_EFORMAT, true);
	}
	*out = v->data;
	*n = v->len / PROFILE_UID_LEN;
	return RP_OK;
}

/* A single 16-byte UID property. */
static int rd_uid(struct ctx *c, struct section *sec, uint16_t id, bool *has,
		  uint8_t out[16])
{
	char name[9];
	const reg_value *v = rd_bin(sec, id, name);
	*has = false;
	if (!v)
		return RP_OK;
	if (v->len != PROFILE_UID_LEN) {
		rp_error_set(RP_EFORMAT, "UID is %zu bytes, not 16", v->len);
		return bad_value(c, sec->key, name, RP_EFORMAT, true);
	}
	memcpy(out, v->data, PROFILE_UID_LEN);
	*has = true;
	return RP_OK;
}

static int note_width(struct ctx *c, const char *key, const char *name, mapi_mv_width w)
{
	if (w == MAPI_MV_WIDTH_NONE)
		return RP_OK;
	if (c->p->mv_width == 0) {
		c->p->mv_width = (int)w;
		return RP_OK;
	}
	if (c->p->mv_width != (int)w)
		return problem(
		    c, key, name,
		    "multi-value descriptors are %d bytes here but %d bytes elsewhere "
		    "in the profile",
		    (int)w, c->p->mv_width);
	return RP_OK;
}

/* A multi-valued property, decoded (mv->count == 0 and *has false if absent).
 * Always fatal on error: these lists are rewritten by a switch. */
static int rd_mv(struct ctx *c, struct section *sec, uint32_t tag, bool *has,
		 mapi_value *mv)
{
	char name[9];
	const reg_value *v = find_tag(sec, tag, name);
	int rc;

	memset(mv, 0, sizeof(*mv));
	*has = false;
	if (!v)
		return RP_OK;
	rc = mapi_value_decode(mv, tag, v->type, v->data, v->len);
	if (rc < 0) {
		mapi_value_free(mv);
		memset(mv, 0, sizeof(*mv));
		return bad_value(c, sec->key, name, rc, true);
	}
	*has = true;
	return note_width(c, sec->key, name, mv->width);
}

/* Decodes an entry ID held in a value (whole value, or item idx of an MV):
 * fatal on error, the message naming the item. */
static int decode_eid_as(struct ctx *c, const char *key, const char *name, long idx,
			 const uint8_t *p, size_t n, uint8_t **raw, size_t *rawlen,
			 eid **out, bool fatal)
{
	eid *e;
	int rc;

	*out = NULL;
	*raw = malloc(n ? n : 1);
	e = calloc(1, sizeof(*e));
	if (!*raw || !e) {
		free(e);
		return nomem();
	}
	if (n)
		memcpy(*raw, p, n);
	*rawlen = n;
	rc = eid_decode(e, p, n);
	if (rc < 0) {
		eid_free(e);
		free(e);
		if (idx >= 0)
			rp_error_wrap(rc, "item %ld", idx);
		return bad_value(c, key, name, rc, fatal);
	}
	*out = e;
	return RP_OK;
}

static int decode_eid(struct ctx *c, const char *key, const char *name, long idx,
		      const uint8_t *p, size_t n, uint8_t **raw, size_t *rawlen,
		      eid **out)
{
	return decode_eid_as(c, key, name, idx, p, n, raw, rawlen, out, true);
}

static int find_service(const profile *p, const uint8_t uid[16])
{
	size_t i;
	for (i = 0; i < p->nservices; i++)
		if (memcmp(p->services[i].uid, uid, 16) == 0)
			return (int)i;
	return -1;
}

static int find_provider(const profile *p, const uint8_t uid[16])
{
	size_t i;
	for (i = 0; i < p->nproviders; i++)
		if (memcmp(p->providers[i].uid, uid, 16) == 0)
			return (int)i;
	return -1;
}

static int find_account(const profile *p, uint32_t id)
{
	size_t i;
	for (i = 0; i < p->naccounts; i++)
		if (p->accounts[i].id == id)
			return (int)i;
	return -1;
}

static char *uid_hex(const uint8_t uid[16])
{
	return rp_hex(uid, 16);
}

/* Adds a provider (or returns the existing one) with an optional owner. */
static int add_provider(struct ctx *c, const uint8_t uid[16], int service, int *idx)
{
	profile_provider *pv;
	int i = find_provider(c->p, uid);
	if (i < 0 && c->p->nproviders >= PROFILE_MAX_ITEMS) {
		char *path = full_path(c, "");
		int rc = rp_error_set(RP_ELIMIT, "%s: %s: more than %u providers",
				      reg_store_name(c->s), path ? path : "",
				      PROFILE_MAX_ITEMS);
		free(path);
		return rc;
	}
	if (i < 0) {
		pv = grow((void **)&c->p->providers, &c->p->nproviders, sizeof(*pv));
		if (!pv)
			return nomem();
		memcpy(pv->uid, uid, 16);
		pv->service = service;
		i = (int)c->p->nproviders - 1;
	} else if (c->p->providers[i].service < 0) {
		c->p->providers[i].service = service;
	}
	*idx = i;
	return RP_OK;
}

static int service_add_provider(profile_service *sv, int idx)
{
	size_t i;
	int *slot;
	for (i = 0; i < sv->nproviders; i++)
		if (sv->providers[i] == idx)
			return RP_OK;
	slot = grow((void **)&sv->providers, &sv->nproviders, sizeof(int));
	if (!slot)
		return nomem();
	*slot = idx;
	return RP_OK;
}

/* --- services and providers ------------------------------------------------ */

static int load_service(struct ctx *c, size_t si)
{
	static const uint16_t lists[3] = {0x3D00, 0x3D01, 0x3D02};
	profile_service *sv = &c->p->services[si];
	struct section *sec;
	const uint8_t *uids;
	size_t n, i, l;
	bool has;
	int rc, idx;

	rc = uid_section(c, sv->uid, &sec);
	if (rc < 0)
		return rc;
	if (!sec->present) {
		char *h = uid_hex(sv->uid);
		if (!h)
			return nomem();
		rc = problem(c, PROFILE_SEC_ROOT, "01023d0e",
			     "dangling service UID %s: no section with that key", h);
		free(h);
		return rc;
	}
	sv->present = true;
	if ((rc = rd_str(c, sec, 0x3D09, true, &sv->name)) < 0 ||
	    (rc = rd_str(c, sec, 0x3D0A, false, &sv->dll)) < 0 ||
	    (rc = rd_str(c, sec, 0x3001, false, &sv->display_name)) < 0 ||
	    (rc = rd_long(c, sec, 0x3009, false, &has, &sv->resource_flags)) < 0 ||
	    (rc = rd_uid(c, sec, 0x3D15, &sv->has_emsmdb, sv->emsmdb_uid)) < 0)
		return rc;
	for (l = 0; l < 3; l++) {
		if ((rc = rd_uids(c, sec, lists[l], &uids, &n)) < 0)
			return rc;
		for (i = 0; i < n; i++) {
			if ((rc = add_provider(c, uids + 16 * i, (int)si, &idx)) < 0)
				return rc;
			/* services may have moved: re-take the pointer */
			sv = &c->p->services[si];
			if ((rc = service_add_provider(sv, idx)) < 0)
				return rc;
		}
	}
	return RP_OK;
}

static int load_provider(struct ctx *c, size_t pi)
{
	profile_provider *pv = &c->p->providers[pi];
	struct section *sec;
	uint8_t back[16];
	bool has;
	int rc, si;

	rc = uid_section(c, pv->uid, &sec);
	if (rc < 0)
		return rc;
	if (!sec->present) {
		char *h = uid_hex(pv->uid);
		const char *owner = pv->service >= 0 ? NULL : PROFILE_SEC_ROOT;
		char *okey = NULL;
		if (!h)
			return nomem();
		if (!owner) {
			okey = uid_hex(c->p->services[pv->service].uid);
			if (!okey) {
				free(h);
				return nomem();
			}
		}
		rc = problem(c, owner ? owner : okey,
			     owner && pi < c->nprov_root_list ? c->prov_root_list[pi]
							      : NULL,
			     "dangling provider UID %s: no section with that key", h);
		free(h);
		free(okey);
		return rc;
	}
	pv->present = true;
	if ((rc = rd_uid(c, sec, 0x3D0C, &has, back)) < 0)
		return rc;
	if (has) {
		si = find_service(c->p, back);
		if (pv->service < 0 && si >= 0) {
			pv->service = si;
			if ((rc = service_add_provider(&c->p->services[si], (int)pi)) < 0)
				return rc;
		} else if (si < 0 || si != pv->service) {
			char *h = uid_hex(back);
			if (!h)
				return nomem();
			rc = problem(c, sec->key, "01023d0c",
				     "service UID %s does not list this provider", h);
			free(h);
			if (rc < 0)
				return rc;
		}
	}
	if ((rc = rd_long(c, sec, 0x3E03, false, &has, &pv->resource_type)) < 0 ||
	    (rc = rd_str(c, sec, 0x3001, false, &pv->display_name)) < 0 ||
	    (rc = rd_str(c, sec, 0x3006, false, &pv->provider_display)) < 0 ||
	    (rc = rd_str(c, sec, 0x300A, false, &pv->dll)) < 0)
		return rc;
	return RP_OK;
}

static int load_root_lists(struct ctx *c)
{
	static const uint16_t lists[3] = {0x3D00, 0x3D01, 0x3D02};
	struct section *root;
	const uint8_t *uids;
	size_t n, i, l, nsv;
	int rc, idx;

	if ((rc = section(c, PROFILE_SEC_ROOT, &root)) < 0)
		return rc;
	if (!root->present)
		return problem(c, PROFILE_SEC_ROOT, NULL,
			       "the profile has no services section (empty profile)");
	if ((rc = rd_uids(c, root, 0x3D0E, &uids, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		profile_service *sv;
		if (find_service(c->p, uids + 16 * i) >= 0)
			continue;
		sv = grow((void **)&c->p->services, &c->p->nservices, sizeof(*sv));
		if (!sv)
			return nomem();
		memcpy(sv->uid, uids + 16 * i, 16);
		sv->exchange = -1;
	}
	nsv = c->p->nservices;
	for (i = 0; i < nsv; i++)
		if ((rc = load_service(c, i)) < 0)
			return rc;
	/* providers listed at the root but not by any service */
	for (l = 0; l < 3; l++) {
		static const char *names[3] = {"01023d00", "01023d01", "01023d02"};
		if ((rc = rd_uids(c, root, lists[l], &uids, &n)) < 0)
			return rc;
		for (i = 0; i < n; i++) {
			const char **slot;
			if ((rc = add_provider(c, uids + 16 * i, -1, &idx)) < 0)
				return rc;
			while (c->nprov_root_list < c->p->nproviders) {
				slot = grow((void **)&c->prov_root_list,
					    &c->nprov_root_list, sizeof(*slot));
				if (!slot)
					return nomem();
			}
			if (!c->prov_root_list[idx])
				c->prov_root_list[idx] = names[l];
		}
	}
	for (i = 0; i < c->p->nproviders; i++)
		if ((rc = load_provider(c, i)) < 0)
			return rc;
	return RP_OK;
}

/* --- account manager --------------------------------------------------------- */

/* Account values are REG_SZ or UTF-16LE REG_BINARY (Kopano RegistryUtil.cs
 * RegToString, ref 1.3). */
static int acct_str(struct ctx *c, const char *key, const reg_value *v, char **out)
{
	int rc;
	*out = NULL;
	if (!v)
		return RP_OK;
	if (v->type == REG_T_SZ || v->type == REG_T_EXPAND_SZ)
		rc = reg_data_to_utf8(v, out);
	else if (v->type == REG_T_BINARY)
		rc = rp_utf16le_to_utf8(v->data, v->len, out);
	else
		rc = rp_error_set(RP_EFORMAT, "registry type %u is not a string",
				  (unsigned)v->type);
	if (rc < 0)
		return bad_value(c, key, v->name, rc, false);
	return RP_OK;
}

static profile_acct_kind acct_kind(const char *clsid)
{
	/* CLSIDs: ref 2.3 (actMgmt.h; Kopano EASAccount.h) */
	static const struct {
		const char *clsid;
		profile_acct_kind kind;
	} k[] = {
	    {"{ED475414-B0D6-11D2-8C3B-00104B2A6676}", PROFILE_ACCT_MAPI},
	    {"{ED475411-B0D6-11D2-8C3B-00104B2A6676}", PROFILE_ACCT_POP3},
	    {"{ED475412-B0D6-11D2-8C3B-00104B2A6676}", PROFILE_ACCT_IMAP4},
	    {"{ED475415-B0D6-11D2-8C3B-00104B2A6676}", PROFILE_ACCT_EAS},
	};
	size_t i;
	if (!clsid)
		return PROFILE_ACCT_OTHER;
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (rp_ascii_casecmp(clsid, k[i].clsid) == 0)
			return k[i].kind;
	/* Hotmail/LDAP: the reference gives only the first group of the CLSID */
	if (rp_ascii_ncasecmp(clsid, "{4DB5CBF0-", 10) == 0)
		return PROFILE_ACCT_HOTMAIL;
	if (rp_ascii_ncasecmp(clsid, "{4DB5CBF2-", 10) == 0)
		return PROFILE_ACCT_LDAP;
	return PROFILE_ACCT_OTHER;
}

static bool parse_acct_id(const char *s, uint32_t *id)
{
	uint32_t v = 0;
	size_t i;
	if (strlen(s) != 8)
		return false;
	for (i = 0; i < 8; i++) {
		char ch = s[i];
		int d = ch >= '0' && ch <= '9'   ? ch - '0'
			: ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
			: ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
						 : -1;
		if (d < 0)
			return false;
		v = (v << 4) | (uint32_t)d;
	}
	*id = v;
	return true;
}

static int load_account(struct ctx *c, const char *sub, uint32_t id)
{
	profile_account *a;
	struct section *sec;
	const reg_value *v;
	char *key = rp_asprintf("%s\\%s", PROFILE_SEC_ACCTMGR, sub);
	int rc;

	if (!key)
		return nomem();
	rc = section(c, key, &sec);
	free(key);
	if (rc < 0)
		return rc;
	a = grow((void **)&c->p->accounts, &c->p->naccounts, sizeof(*a));
	if (!a)
		return nomem();
	a->id = id;
	a->service = -1;
	if (!(a->key = rp_strdup(sub)))
		return nomem();
	if ((rc = acct_str(c, sec->key, find(sec, "clsid"), &a->clsid)) < 0 ||
	    (rc = acct_str(c, sec->key, find(sec, "Account Name"), &a->name)) < 0 ||
	    (rc = acct_str(c, sec->key, find(sec, "Service Name"), &a->service_name)) <
		0 ||
	    (rc = acct_str(c, sec->key, find(sec, "Email"), &a->email)) < 0 ||
	    (rc = acct_str(c, sec->key, find(sec, "SMTP Server"), &a->smtp_server)) < 0)
		return rc;
	v = find(sec, "POP3 Server");
	if (!v)
		v = find(sec, "IMAP Server");
	if ((rc = acct_str(c, sec->key, v, &a->server)) < 0)
		return rc;
	a->kind = acct_kind(a->clsid);
	v = find(sec, "Mini UID");
	if (v && v->len == 4) {
		a->has_mini_uid = true;
		a->mini_uid = rp_le32(v->data);
	}
	v = find(sec, "Service UID");
	if (v) {
		if (v->len != 16) {
			rp_error_set(RP_EFORMAT, "service UID is %zu bytes, not 16",
				     v->len);
			return bad_value(c, sec->key, v->name, RP_EFORMAT, true);
		}
		a->has_service_uid = true;
		memcpy(a->service_uid, v->data, 16);
		a->service = find_service(c->p, a->service_uid);
		if (a->service < 0 || !c->p->services[a->service].present) {
			char *h = uid_hex(a->service_uid);
			if (!h)
				return nomem();
			rc = problem(c, sec->key, v->name,
				     a->service < 0
					 ? "dangling service UID %s: not in the "
					   "profile's service list"
					 : "dangling service UID %s: no section with "
					   "that key",
				     h);
			free(h);
			if (rc < 0)
				return rc;
		}
	}
	return RP_OK;
}

static int rd_order(struct ctx *c, struct section *am, const char *name, uint32_t **out,
		    size_t *n)
{
	const reg_value *v = find(am, name);
	size_t i;
	int rc;

	*out = NULL;
	*n = 0;
	if (!v)
		return RP_OK;
	if (v->len % 4 != 0) {
		rp_error_set(RP_EFORMAT,
			     "account order list is %zu bytes, not a multiple of 4",
			     v->len);
		return bad_value(c, am->key, name, RP_EFORMAT, true);
	}
	if (v->len == 0)
		return RP_OK;
	if (v->len / 4 > PROFILE_MAX_ITEMS) {
		rp_error_set(RP_ELIMIT, "account order list has %zu entries (limit %u)",
			     v->len / 4, PROFILE_MAX_ITEMS);
		return bad_value(c, am->key, name, RP_ELIMIT, true);
	}
	*out = malloc(v->len);
	if (!*out)
		return nomem();
	*n = v->len / 4;
	for (i = 0; i < *n; i++) {
		(*out)[i] = rp_le32(v->data + 4 * i);
		if (find_account(c->p, (*out)[i]) < 0 &&
		    (rc = problem(c, am->key, name,
				  "dangling account ID %u: no account subkey %08x",
				  (unsigned)(*out)[i], (unsigned)(*out)[i])) < 0)
			return rc;
	}
	return RP_OK;
}

static int acct_cmp(const void *a, const void *b)
{
	uint32_t x = ((const profile_account *)a)->id,
		 y = ((const profile_account *)b)->id;
	return x < y ? -1 : x > y;
}

static int load_accounts(struct ctx *c)
{
	struct section *am;
	reg_names subs = {0};
	const reg_value *v;
	char *path;
	size_t i;
	int rc;

	if ((rc = section(c, PROFILE_SEC_ACCTMGR, &am)) < 0)
		return rc;
	if (!am->present)
		return RP_OK;
	path = full_path(c, PROFILE_SEC_ACCTMGR);
	if (!path)
		return nomem();
	rc = reg_list_subkeys(c->s, path, &subs);
	free(path);
	if (rc < 0)
		return rc;
	if (subs.n > PROFILE_MAX_ITEMS) {
		char *path2 = full_path(c, PROFILE_SEC_ACCTMGR);
		rc = rp_error_set(RP_ELIMIT, "%s: %s: %zu account subkeys (limit %u)",
				  reg_store_name(c->s),
				  path2 ? path2 : PROFILE_SEC_ACCTMGR, subs.n,
				  PROFILE_MAX_ITEMS);
		free(path2);
	}
	for (i = 0; i < subs.n && rc == RP_OK; i++) {
		uint32_t id;
		if (!parse_acct_id(subs.v[i], &id))
			continue; /* not an account subkey */
		rc = load_account(c, subs.v[i], id);
	}
	reg_names_free(&subs);
	if (rc < 0)
		return rc;
	/* store order differs between .reg files and hives: sort by ID */
	if (c->p->naccounts > 1)
		qsort(c->p->accounts, c->p->naccounts, sizeof(*c->p->accounts), acct_cmp);
	if ((rc = rd_order(c, am, PROFILE_ORDER_MAIL, &c->p->order_mail,
			   &c->p->norder_mail)) < 0 ||
	    (rc = rd_order(c, am, PROFILE_ORDER_AB, &c->p->order_ab, &c->p->norder_ab)) <
		0 ||
	    (rc = rd_order(c, am, PROFILE_ORDER_STORE, &c->p->order_store,
			   &c->p->norder_store)) < 0)
		return rc;
	v = find(am, "NextAccountID");
	if (v && v->len == 4) {
		c->p->has_next_account_id = true;
		c->p->next_account_id = rp_le32(v->data);
	}
	return RP_OK;
}

/* --- Exchange accounts and stores --------------------------------------------- */

static char *strip_smtp(const char *s)
{
	if (!s)
		return NULL;
	if (s[0] == '=')
		s++; /* "=SMTP:" form of the MS sample (ref 3.2) */
	if (rp_ascii_ncasecmp(s, "SMTP:", 5) == 0)
		s += 5;
	return rp_strdup(s);
}

static int load_exchange(struct ctx *c, size_t si)
{
	profile_service *sv = &c->p->services[si];
	profile_exchange *x;
	struct section *sec = NULL;
	int rc;

	x = grow((void **)&c->p->exchange, &c->p->nexchange, sizeof(*x));
	if (!x)
		return nomem();
	x->service = (int)si;
	x->account = -1;
	x->primary_store = -1;
	c->p->services[si].exchange = (int)c->p->nexchange - 1;
	sv = &c->p->services[si];
	if (sv->has_emsmdb) {
		memcpy(x->emsmdb_uid, sv->emsmdb_uid, 16);
		if ((rc = uid_section(c, sv->emsmdb_uid, &sec)) < 0)
			return rc;
		if (!sec->present) {
			char *h = uid_hex(sv->emsmdb_uid), *sk = uid_hex(sv->uid);
			if (!h || !sk) {
				free(h);
				free(sk);
				return nomem();
			}
			rc = problem(
			    c, sk, "01023d15",
			    "dangling Exchange section UID %s: no section with that key",
			    h);
			free(h);
			free(sk);
			return rc;
		}
	} else {
		/* Outlook 2007 and older: one Exchange account, settings in the
		 * Exchange global section (ref 2). */
		if ((rc = section(c, PROFILE_SEC_GLOBAL_EMS, &sec)) < 0)
			return rc;
		if (!sec->present || sec->vals.n == 0)
			return problem(
			    c, sec->key, NULL,
			    "Exchange service has no Exchange section (no 01023d15, "
			    "empty global section)");
		x->legacy_global = true;
	}
	x->has_section = true;
	if (!(x->section = rp_strdup(sec->key)))
		return nomem();
	if ((rc = rd_str(c, sec, 0x3001, false, &x->display_name)) < 0 ||
	    (rc = rd_str(c, sec, 0x6641, true, &x->smtp_raw)) < 0 ||
	    (rc = rd_str(c, sec, 0x6603, true, &x->mailbox_dn)) < 0 ||
	    (rc = rd_str(c, sec, 0x6602, true, &x->home_server)) < 0 ||
	    (rc = rd_str(c, sec, 0x6612, true, &x->home_server_dn)) < 0 ||
	    (rc = rd_str(c, sec, 0x662A, true, &x->home_server_fqdn)) < 0 ||
	    (rc = rd_str(c, sec, 0x6608, true, &x->unresolved_server)) < 0 ||
	    (rc = rd_str(c, sec, 0x6607, true, &x->unresolved_name)) < 0 ||
	    (rc = rd_str(c, sec, 0x6622, true, &x->roh_proxy)) < 0 ||
	    (rc = rd_str(c, sec, 0x6625, true, &x->roh_principal)) < 0 ||
	    (rc = rd_str(c, sec, 0x6610, true, &x->ost_path)) < 0 ||
	    (rc = rd_str(c, sec, 0x6652, true, &x->mapihttp_store_internal)) < 0 ||
	    (rc = rd_str(c, sec, 0x6653, true, &x->mapihttp_store_external)) < 0 ||
	    (rc = rd_str(c, sec, 0x6654, true, &x->mapihttp_ab_internal)) < 0 ||
	    (rc = rd_str(c, sec, 0x6655, true, &x->mapihttp_ab_external)) < 0 ||
	    (rc = rd_str(c, sec, 0x664A, true, &x->lkg_autodiscover)) < 0 ||
	    (rc = rd_long(c, sec, 0x6623, true, &x->has_roh_flags, &x->roh_flags)) < 0 ||
	    (rc = rd_long(c, sec, 0x6627, true, &x->has_roh_auth, &x->roh_auth)) < 0 ||
	    (rc = rd_long(c, sec, 0x6619, true, &x->has_auth_package, &x->auth_package)) <
		0 ||
	    (rc = rd_long(c, sec, 0x6601, true, &x->has_config_flags, &x->config_flags)) <
		0)
		return rc;
	if (x->smtp_raw && !(x->smtp = strip_smtp(x->smtp_raw)))
		return nomem();
	/* Cached mode = OST_CACHE_PRIVATE bits (EdkMdb.h / mfcmapi extraPropTags.h);
	 * observed: 16.0 cached 0x1984, online 0x1004 (ref 3.2). */
	x->cached = x->has_config_flags && (x->config_flags & CONFIG_OST_CACHE_PRIVATE) ==
					       CONFIG_OST_CACHE_PRIVATE;
	return RP_OK;
}

static profile_store_kind exchange_store_kind(int32_t type, const char *alt,
					      const uint8_t *mdb)
{
	switch (type) {
	case PROFILE_PRIMARY_USER:
		return PROFILE_STORE_MAILBOX;
	case PROFILE_DELEGATE:
		return alt && rp_ascii_casecmp(alt, "Archive") == 0
			   ? PROFILE_STORE_ARCHIVE
			   : PROFILE_STORE_DELEGATE;
	case PROFILE_PUBLIC_STORE:
		return PROFILE_STORE_PUBLIC;
	case PROFILE_SUBSCRIPTION:
		return PROFILE_STORE_SUBSCRIPTION;
	default:
		break;
	}
	/* no PR_PROFILE_TYPE: fall back to PR_MDB_PROVIDER (mfcmapi UI/profile.cpp) */
	if (mdb && memcmp(mdb, uid_exch_primary, 16) == 0)
		return PROFILE_STORE_MAILBOX;
	if (mdb && memcmp(mdb, uid_exch_delegate, 16) == 0)
		return PROFILE_STORE_DELEGATE;
	if (mdb && memcmp(mdb, uid_exch_public, 16) == 0)
		return PROFILE_STORE_PUBLIC;
	return PROFILE_STORE_OTHER;
}

static int add_exchange_store(profile_exchange *x, int st)
{
	int *slot = grow((void **)&x->stores, &x->nstores, sizeof(int));
	if (!slot)
		return nomem();
	*slot = st;
	return RP_OK;
}

static int load_store(struct ctx *c, size_t pi)
{
	profile_provider *pv = &c->p->providers[pi];
	const profile_service *sv =
	    pv->service >= 0 ? &c->p->services[pv->service] : NULL;
	profile_store *st;
	struct section *sec;
	const reg_value *v;
	char *smtp_raw = NULL;
	char name[9];
	uint8_t mdb[16];
	bool has_mdb, has;
	uint32_t type;
	int rc;

	if ((rc = uid_section(c, pv->uid, &sec)) < 0)
		return rc;
	st = grow((void **)&c->p->stores, &c->p->nstores, sizeof(*st));
	if (!st)
		return nomem();
	st->provider = (int)pi;
	st->service = pv->service;
	st->exchange = sv ? sv->exchange : -1;
	if ((rc = rd_str(c, sec, 0x3001, false, &st->display_name)) < 0 ||
	    (rc = rd_str(c, sec, 0x65D0, false, &st->alt_type)) < 0 ||
	    (rc = rd_str(c, sec, 0x660B, true, &st->mailbox_dn)) < 0 ||
	    (rc = rd_str(c, sec, 0x660C, true, &st->server)) < 0 ||
	    (rc = rd_str(c, sec, 0x6614, true, &st->server_dn)) < 0 ||
	    (rc = rd_str(c, sec, 0x6641, true, &smtp_raw)) < 0 ||
	    (rc = rd_str(c, sec, 0x6700, true, &st->pst_path)) < 0 ||
	    (rc = rd_long(c, sec, 0x660A, false, &has, &type)) < 0 ||
	    (rc = rd_uid(c, sec, 0x3414, &has_mdb, mdb)) < 0)
		goto out;
	st->profile_type = has ? (int32_t)type : 0;
	if (smtp_raw && !(st->smtp = strip_smtp(smtp_raw))) {
		rc = nomem();
		goto out;
	}
	if (!st->mailbox_dn && (rc = rd_str(c, sec, 0x6603, true, &st->mailbox_dn)) < 0)
		goto out;
	if (sv && sv->name && rp_ascii_casecmp(sv->name, "MSEMS") == 0)
		st->kind = exchange_store_kind(st->profile_type, st->alt_type,
					       has_mdb ? mdb : NULL);
	else if (sv && sv->name &&
		 (rp_ascii_casecmp(sv->name, "MSUPST MS") == 0 ||
		  rp_ascii_casecmp(sv->name, "MSPST MS") == 0))
		st->kind = PROFILE_STORE_PST;
	else if (st->pst_path)
		st->kind = PROFILE_STORE_PST;
	else
		st->kind = PROFILE_STORE_OTHER;
	v = rd_bin(sec, 0x0FFB, name);
	/* Another mailbox's entry ID (delegate, archive) is the AddBoxes
	 * feature's to read: a broken one is a problem, and that feature fails. */
	if (v && (rc = decode_eid_as(c, sec->key, name, -1, v->data, v->len, &st->eid_raw,
				     &st->eid_len, &st->eid,
				     st->kind != PROFILE_STORE_DELEGATE &&
					 st->kind != PROFILE_STORE_ARCHIVE)) < 0)
		goto out;
	if (st->exchange >= 0) {
		profile_exchange *x = &c->p->exchange[st->exchange];
		int idx = (int)c->p->nstores - 1;
		if ((rc = add_exchange_store(x, idx)) < 0)
			goto out;
		if (x->primary_store < 0 && st->kind == PROFILE_STORE_MAILBOX)
			x->primary_store = idx;
	}
out:
	free(smtp_raw);
	return rc;
}

static int load_primary_default(struct ctx *c)
{
	profile *p = c->p;
	struct section *g;
	uint8_t uid[16];
	bool has;
	size_t i;
	int rc, a;

	p->primary_exchange = -1;
	p->default_account = -1;
	p->default_exchange = -1;
	/* legacy account: Outlook global section 01023d15 (ref 5) */
	if ((rc = section(c, PROFILE_SEC_OUTLOOK, &g)) < 0 ||
	    (rc = rd_uid(c, g, 0x3D15, &has, uid)) < 0)
		return rc;
	if (has) {
		for (i = 0; i < p->nexchange; i++)
			if (memcmp(p->exchange[i].emsmdb_uid, uid, 16) == 0 &&
			    !p->exchange[i].legacy_global) {
				p->primary_exchange = (int)i;
				p->primary_from_global = true;
				break;
			}
		if (p->primary_exchange < 0) {
			char *h = uid_hex(uid);
			if (!h)
				return nomem();
			rc = problem(
			    c, PROFILE_SEC_OUTLOOK, "01023d15",
			    "legacy Exchange section UID %s belongs to no Exchange "
			    "account",
			    h);
			free(h);
			if (rc < 0)
				return rc;
		}
	}
	/* else the first Exchange service added, i.e. first in PR_SERVICES */
	if (p->primary_exchange < 0 && p->nexchange > 0)
		p->primary_exchange = 0;
	if (p->primary_exchange >= 0)
		p->exchange[p->primary_exchange].legacy = true;
	/* default sending account: first of {ED475418} (ref 5) */
	for (i = 0; i < p->norder_mail; i++) {
		a = find_account(p, p->order_mail[i]);
		if (a >= 0) {
			p->default_account = a;
			break;
		}
	}
	if (p->default_account >= 0 && p->accounts[p->default_account].service >= 0)
		p->default_exchange =
		    p->services[p->accounts[p->default_account].service].exchange;
	/* account of each Exchange service */
	for (i = 0; i < p->naccounts; i++) {
		int s = p->accounts[i].service;
		if (s >= 0 && p->services[s].exchange >= 0 &&
		    p->exchange[p->services[s].exchange].account < 0)
			p->exchange[p->services[s].exchange].account = (int)i;
	}
	return RP_OK;
}

/* --- CONTAB and the address-book search path ------------------------------------ */

static int mv_str_item(struct ctx *c, const char *key, const mapi_value *mv, bool has,
		       size_t i, char **out)
{
	char name[9];
	int rc;
	*out = NULL;
	if (!has || i >= mv->count)
		return RP_OK;
	rc = mapi_value_mvstr_utf8(mv, i, out);
	if (rc < 0) {
		mapi_tag_to_regname(mv->tag, name);
		rp_error_wrap(rc, "item %zu", i);
		return bad_value(c, key, name, rc, true);
	}
	return RP_OK;
}

static int load_contab(struct ctx *c)
{
	profile *p = c->p;
	profile_service *sv = NULL;
	struct section *sec;
	mapi_value fe, se, names[3];
	bool has_fe, has_se, has_names[3];
	static const uint32_t wtags[3] = {
	    PR_CONTAB_STORE_NAMES_W, PR_CONTAB_FOLDER_NAMES_W, PR_CONTAB_DISPLAY_NAMES_W};
	static const uint32_t atags[3] = {
	    PR_CONTAB_STORE_NAMES_A, PR_CONTAB_FOLDER_NAMES_A, PR_CONTAB_DISPLAY_NAMES_A};
	char fname[9], sname[9];
	size_t i, k;
	int rc = RP_OK;

	p->contab.service = -1;
	p->contab.provider = -1;
	for (i = 0; i < p->nservices; i++)
		if (p->services[i].name &&
		    rp_ascii_casecmp(p->services[i].name, "CONTAB") == 0) {
			sv = &p->services[i];
			p->contab.service = (int)i;
			break;
		}
	if (!sv)
		return RP_OK;
	for (i = 0; i < sv->nproviders; i++) {
		const profile_provider *pv = &p->providers[sv->providers[i]];
		if (pv->present &&
		    (pv->resource_type == MAPI_AB_PROVIDER || p->contab.provider < 0))
			p->contab.provider = sv->providers[i];
	}
	if (p->contab.provider < 0)
		return problem(c, "", NULL,
			       "CONTAB service has no address-book provider");
	if ((rc = uid_section(c, p->providers[p->contab.provider].uid, &sec)) < 0)
		return rc;
	memset(names, 0, sizeof(names));
	memset(&se, 0, sizeof(se));
	if ((rc = rd_mv(c, sec, PR_CONTAB_FOLDER_ENTRYIDS, &has_fe, &fe)) < 0)
		return rc;
	if ((rc = rd_mv(c, sec, PR_CONTAB_STORE_ENTRYIDS, &has_se, &se)) < 0)
		goto out;
	for (k = 0; k < 3; k++) {
		if ((rc = rd_mv(c, sec, wtags[k], &has_names[k], &names[k])) < 0)
			goto out;
		if (!has_names[k] &&
		    (rc = rd_mv(c, sec, atags[k], &has_names[k], &names[k])) < 0)
			goto out;
	}
	mapi_tag_to_regname(PR_CONTAB_FOLDER_ENTRYIDS, fname);
	mapi_tag_to_regname(PR_CONTAB_STORE_ENTRYIDS, sname);
	if (has_se && se.count != fe.count &&
	    (rc = problem(c, sec->key, sname, "%zu store entry IDs for %zu folders",
			  se.count, fe.count)) < 0)
		goto out;
	p->contab.folders = calloc(fe.count ? fe.count : 1, sizeof(*p->contab.folders));
	if (!p->contab.folders) {
		rc = nomem();
		goto out;
	}
	for (i = 0; i < fe.count; i++) {
		profile_contab_folder *f = &p->contab.folders[i];
		p->contab.nfolders = i + 1;
		if ((rc = decode_eid(c, sec->key, fname, (long)i, fe.mv[i].p, fe.mv[i].n,
				     &f->folder_eid_raw, &f->folder_eid_len,
				     &f->folder_eid)) < 0)
			goto out;
		if (has_se && i < se.count &&
		    (rc = decode_eid(c, sec->key, sname, (long)i, se.mv[i].p, se.mv[i].n,
				     &f->store_eid_raw, &f->store_eid_len,
				     &f->store_eid)) < 0)
			goto out;
		if ((rc = mv_str_item(c, sec->key, &names[0], has_names[0], i,
				      &f->store_name)) < 0 ||
		    (rc = mv_str_item(c, sec->key, &names[1], has_names[1], i,
				      &f->folder_name)) < 0 ||
		    (rc = mv_str_item(c, sec->key, &names[2], has_names[2], i,
				      &f->display_name)) < 0)
			goto out;
	}
out:
	mapi_value_free(&fe);
	mapi_value_free(&se);
	for (k = 0; k < 3; k++)
		mapi_value_free(&names[k]);
	return rc;
}

static int load_search_path(struct ctx *c)
{
	profile *p = c->p;
	struct section *root;
	mapi_value mv;
	bool has;
	char name[9];
	size_t i;
	int rc;

	if ((rc = section(c, PROFILE_SEC_ROOT, &root)) < 0)
		return rc;
	if ((rc = rd_mv(c, root, PR_AB_SEARCH_PATH, &has, &mv)) < 0)
		return rc;
	mapi_tag_to_regname(PR_AB_SEARCH_PATH, name);
	if (has && mv.count) {
		p->search_path = calloc(mv.count, sizeof(*p->search_path));
		if (!p->search_path)
			rc = nomem();
		for (i = 0; rc == RP_OK && i < mv.count; i++) {
			profile_search_entry *e = &p->search_path[i];
			p->nsearch_path = i + 1;
			rc = decode_eid(c, root->key, name, (long)i, mv.mv[i].p,
					mv.mv[i].n, &e->raw, &e->len, &e->eid);
		}
	}
	mapi_value_free(&mv);
	return rc;
}

static int load_instance(struct ctx *c)
{
	struct section *sec;
	char name[9];
	const reg_value *v;
	int rc;

	if ((rc = section(c, PROFILE_SEC_INSTANCE, &sec)) < 0)
		return rc;
	v = rd_bin(sec, 0x300B, name);
	if (v && v->len == 16) {
		c->p->has_search_key = true;
		memcpy(c->p->search_key, v->data, 16);
	}
	return RP_OK;
}

/* --- entry point ---------------------------------------------------------------------
 */

static int load(struct ctx *c)
{
	profile *p = c->p;
	size_t i, nprov;
	int rc;

	if ((rc = load_root_lists(c)) < 0 || (rc = load_accounts(c)) < 0)
		return rc;
	for (i = 0; i < p->nservices; i++)
		if (p->services[i].present && p->services[i].name &&
		    rp_ascii_casecmp(p->services[i].name, "MSEMS") == 0 &&
		    (rc = load_exchange(c, i)) < 0)
			return rc;
	nprov = p->nproviders;
	for (i = 0; i < nprov; i++)
		if (p->providers[i].present &&
		    p->providers[i].resource_type == MAPI_STORE_PROVIDER &&
		    (rc = load_store(c, i)) < 0)
			return rc;
	if ((rc = load_primary_default(c)) < 0 || (rc = load_contab(c)) < 0 ||
	    (rc = load_search_path(c)) < 0 || (rc = load_instance(c)) < 0)
		return rc;
	return RP_OK;
}

int profile_load(reg_store *s, const profile_root *r, const char *key, profile **out)
{
	struct ctx c;
	profile *p;
	size_t i;
	int rc;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return nomem();
	p->primary_exchange = p->default_account = p->default_exchange = -1;
	p->contab.service = p->contab.provider = -1;
	p->version = r->version;
	p->key = rp_strdup(key);
	p->path = rp_asprintf("%s\\%s", r->path, key);
	if (!p->key || !p->path || profile_name_decode(key, &p->name) < 0) {
		profile_free(p);
		return nomem();
	}
	p->is_default = profile_root_is_default(r, key);
	rc = reg_key_exists(s, p->path);
	if (rc < 0) {
		profile_free(p);
		if (rc == RP_ENOTFOUND)
			return rp_error_set(RP_ENOTFOUND, "%s: no profile key %s\\%s",
					    reg_store_name(s), r->path, key);
		return rc;
	}
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.p = p;
	rc = load(&c);
	for (i = 0; i < c.nsecs; i++) {
		if (!c.secs[i])
			continue;
		free(c.secs[i]->key);
		reg_values_free(&c.secs[i]->vals);
		free(c.secs[i]);
	}
	free(c.secs);
	free(c.prov_root_list);
	if (rc < 0) {
		profile_free(p);
		return rc;
	}
	*out = p;
	return RP_OK;
}

static void eid_del(eid *e)
{
	if (e) {
		eid_free(e);
		free(e);
	}
}

void profile_free(profile *p)
{
	size_t i;
	if (!p)
		return;
	free(p->name);
	free(p->key);
	free(p->path);
	for (i = 0; i < p->nservices; i++) {
		profile_service *s = &p->services[i];
		free(s->name);
		free(s->dll);
		free(s->display_name);
		free(s->providers);
	}
	free(p->services);
	for (i = 0; i < p->nproviders; i++) {
		profile_provider *v = &p->providers[i];
		free(v->display_name);
		free(v->provider_display);
		free(v->dll);
	}
	free(p->providers);
	for (i = 0; i < p->naccounts; i++) {
		profile_account *a = &p->accounts[i];
		free(a->key);
		free(a->clsid);
		free(a->name);
		free(a->service_name);
		free(a->email);
		free(a->server);
		free(a->smtp_server);
	}
	free(p->accounts);
	free(p->order_mail);
	free(p->order_ab);
	free(p->order_store);
	for (i = 0; i < p->nexchange; i++) {
		profile_exchange *x = &p->exchange[i];
		free(x->section);
		free(x->display_name);
		free(x->smtp);
		free(x->smtp_raw);
		free(x->mailbox_dn);
		free(x->home_server);
		free(x->home_server_dn);
		free(x->home_server_fqdn);
		free(x->unresolved_server);
		free(x->unresolved_name);
		free(x->roh_proxy);
		free(x->roh_principal);
		free(x->ost_path);
		free(x->mapihttp_store_internal);
		free(x->mapihttp_store_external);
		free(x->mapihttp_ab_internal);
		free(x->mapihttp_ab_external);
		free(x->lkg_autodiscover);
		free(x->stores);
	}
	free(p->exchange);
	for (i = 0; i < p->nstores; i++) {
		profile_store *s = &p->stores[i];
		free(s->display_name);
		free(s->alt_type);
		free(s->mailbox_dn);
		free(s->server);
		free(s->server_dn);
		free(s->smtp);
		free(s->pst_path);
		free(s->eid_raw);
		eid_del(s->eid);
	}
	free(p->stores);
	for (i = 0; i < p->contab.nfolders; i++) {
		profile_contab_folder *f = &p->contab.folders[i];
		free(f->store_name);
		free(f->folder_name);
		free(f->display_name);
		free(f->store_eid_raw);
		free(f->folder_eid_raw);
		eid_del(f->store_eid);
		eid_del(f->folder_eid);
	}
	free(p->contab.folders);
	for (i = 0; i < p->nsearch_path; i++) {
		free(p->search_path[i].raw);
		eid_del(p->search_path[i].eid);
	}
	free(p->search_path);
	for (i = 0; i < p->nproblems; i++) {
		free(p->problems[i].key);
		free(p->problems[i].value);
		free(p->problems[i].text);
	}
	free(p->problems);
	free(p);
}

const char *profile_store_kind_name(profile_store_kind k)
{
	switch (k) {
	case PROFILE_STORE_MAILBOX:
		return "mailbox";
	case PROFILE_STORE_DELEGATE:
		return "delegate";
	case PROFILE_STORE_ARCHIVE:
		return "archive";
	case PROFILE_STORE_PUBLIC:
		return "public-folders";
	case PROFILE_STORE_SUBSCRIPTION:
		return "subscription";
	case PROFILE_STORE_PST:
		return "pst";
	default:
		return "other";
	}
}

const char *profile_acct_kind_name(profile_acct_kind k)
{
	switch (k) {
	case PROFILE_ACCT_MAPI:
		return "mapi";
	case PROFILE_ACCT_POP3:
		return "pop3";
	case PROFILE_ACCT_IMAP4:
		return "imap4";
	case PROFILE_ACCT_EAS:
		return "eas";
	case PROFILE_ACCT_HOTMAIL:
		return "hotmail";
	case PROFILE_ACCT_LDAP:
		return "ldap";
	default:
		return "other";
	}
}
