/* The switch of the primary Exchange account: every value in the account's
 * sections that names the source mailbox is pointed at the target, the store
 * entry ID is rebuilt for the target, Outlook's Autodiscover settings stop
 * asking the source's SCP, and cached Autodiscover answers for the source
 * address are removed. Which values, and why: docs/switch.md. */
#include "features.h"
#include "feature_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "discover/adisc.h"
#include "mapi/mapi_eid.h"
#include "mapi/mapi_tag.h"
#include "mapi/mapi_value.h"
#include "platform/plat.h"

#include <stdlib.h>
#include <string.h>

/* muidStorePrivate, wire order (MS-OXCDATA 2.2.4.3). */
static const uint8_t store_private[16] = {0x1B, 0x55, 0xFA, 0x20, 0xAA, 0x66, 0x11, 0xCD,
					  0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A};

/* A legacy EMSAB section some profiles carry (ref 2: muidEMSAB). */
#define SEC_EMSAB "dca740c8c042101ab4b908002b2fe182"

void feature_target_free(feature_target *t)
{
	char **f[] = {&t->smtp,
		      &t->legacy_dn,
		      &t->display_name,
		      &t->home_server,
		      &t->server_dn,
		      &t->server_fqdn,
		      &t->rpc_proxy,
		      &t->rpc_principal,
		      &t->mapi_store_internal,
		      &t->mapi_store_external,
		      &t->mapi_ab_internal,
		      &t->mapi_ab_external,
		      &t->autodiscover_url,
		      &t->archive_dn,
		      &t->archive_server,
		      &t->archive_smtp,
		      &t->archive_display};
	size_t i;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		free(*f[i]);
		*f[i] = NULL;
	}
}

char *feature_autodiscover_key(const char *version)
{
	if (!version || (strcmp(version, "16.0") != 0 && strcmp(version, "15.0") != 0))
		return NULL;
	return rp_asprintf("Software\\Microsoft\\Office\\%s\\Outlook\\AutoDiscover",
			   version);
}

struct sw {
	reg_store *s;
	const profile *p;
	const profile_exchange *ex;
	const feature_target *t;
	const feature_opts *o;
	plan *out;
};

static bool ieq(const char *a, const char *b)
{
	return a && b && rp_name_eq(a, b);
}

/* Replaces every case-insensitive occurrence of from in s; malloc'd copy. */
static char *replace_all(const char *s, const char *from, const char *to)
{
	rp_buf b = RP_BUF_INIT;
	size_t nf = strlen(from), i = 0;
	while (s[i]) {
		if (rp_ascii_ncasecmp(s + i, from, nf) == 0) {
			rp_buf_puts(&b, to);
			i += nf;
		} else {
			rp_buf_u8(&b, (uint8_t)s[i++]);
		}
	}
	if (rp_buf_u8(&b, 0) < 0) {
		rp_buf_free(&b);
		return NULL;
	}
	return (char *)rp_buf_steal(&b, NULL);
}

/* The target's text for a tag the switch owns. *owned tells whether the tag
 * is one of them; *out is NULL when the value must be deleted (no target
 * counterpart). */
static int owned_value(const struct sw *w, uint32_t tag, const char *old, bool *owned,
		       char **out)
{
	const feature_target *t = w->t;
	const char *v = NULL;
	*owned = true;
	*out = NULL;
	switch (PROP_ID(tag)) {
	case 0x6641: /* PR_PROFILE_USER_SMTP_EMAIL_ADDRESS: keep the "SMTP:" form */
		*out = rp_ascii_ncasecmp(old, "SMTP:", 5) == 0
			   ? rp_asprintf("%.5s%s", old, t->smtp)
			   : rp_strdup(t->smtp);
		return *out ? RP_OK : RP_ENOMEM;
	case 0x6603: /* PR_PROFILE_USER */
	case 0x660B: /* PR_PROFILE_MAILBOX */
		v = t->legacy_dn;
		break;
	case 0x6602: /* PR_PROFILE_HOME_SERVER */
	case 0x6608: /* PR_PROFILE_UNRESOLVED_SERVER */
	case 0x660C: /* PR_PROFILE_SERVER */
		v = t->home_server;
		break;
	case 0x6612: /* PR_PROFILE_HOME_SERVER_DN */
	case 0x6614: /* PR_PROFILE_SERVER_DN */
		v = t->server_dn;
		break;
	case 0x662A: /* PR_PROFILE_HOME_SERVER_FQDN */
	case 0x662B: /* PR_PROFILE_SERVER_FQDN */
		v = t->server_fqdn;
		break;
	case 0x6622: /* PR_ROH_PROXY_SERVER */
		v = t->rpc_proxy;
		break;
	case 0x6625: /* PR_ROH_PROXY_PRINCIPAL_NAME */
		v = t->rpc_principal;
		break;
	case 0x6652:
		v = t->mapi_store_internal;
		break;
	case 0x6653:
		v = t->mapi_store_external;
		break;
	case 0x6654:
		v = t->mapi_ab_internal;
		break;
	case 0x6655:
		v = t->mapi_ab_external;
		break;
	case 0x664A: /* PR_PROFILE_LKG_AUTODISCOVER_URL */
		v = t->autodiscover_url;
		break;
	default:
		*owned = false;
		return RP_OK;
	}
	if (v && !(*out = rp_strdup(v)))
		return RP_ENOMEM;
	return RP_OK;
}

/* A file path: an OST/PST path tag, or text that starts like a path (drive
 * letter, UNC, root, %VAR%). Outlook names the OST after the SMTP address by
 * default; renaming the path would point at a file that does not exist. */
static bool is_path_value(uint32_t tag, const char *s)
{
	if (PROP_ID(tag) == PROP_ID(PR_PROFILE_OFFLINE_STORE_PATH_W) ||
	    PROP_ID(tag) == PROP_ID(PR_PST_PATH_W))
		return true;
	if (((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') && s[1] == ':' &&
	    (s[2] == '\\' || s[2] == '/'))
		return true;
	return s[0] == '\\' || s[0] == '/' || (s[0] == '%' && strchr(s + 1, '%'));
}

/* Any other text naming the source: the SMTP address (also inside a longer
 * text, e.g. a store named after it) and the mailbox DN. Values change
 * because they are identities, never because they contain the address: a
 * file path is left alone. NULL = unchanged. */
static char *generic_value(const struct sw *w, uint32_t tag, const char *old)
{
	const profile_exchange *ex = w->ex;
	if (PROP_ID(tag) == PROP_ID(PR_DISPLAY_NAME_W) && w->o->name_trg_store_as_src)
		return NULL;
	if (is_path_value(tag, old))
		return NULL;
	if (ieq(old, ex->mailbox_dn))
		return rp_strdup(w->t->legacy_dn);
	if (ex->smtp && *ex->smtp && rp_ascii_casecmp(ex->smtp, w->t->smtp) != 0) {
		size_t n = strlen(ex->smtp), i;
		for (i = 0; old[i]; i++)
			if (rp_ascii_ncasecmp(old + i, ex->smtp, n) == 0)
				return replace_all(old, ex->smtp, w->t->smtp);
	}
	return NULL;
}

/* Rebuilds a private Exchange store entry ID for the target. *out NULL when
 * the ID is not the source mailbox's (left as it is). */
static int rebuild_store_eid(const struct sw *w, const uint8_t *raw, size_t len,
			     rp_buf *out, bool *changed)
{
	const feature_target *t = w->t;
	eid e;
	eid_store *st;
	char *dn = NULL, *server = NULL;
	int rc = eid_decode(&e, raw, len);
	*changed = false;
	if (rc < 0)
		goto done;
	st = &e.u.store;
	if (e.kind != EID_STORE || st->kind != EID_STORE_EMSMDB ||
	    memcmp(st->wrapped_provider, store_private, 16) != 0)
		goto done;
	if ((rc = eid_bytes_utf8(&st->mailbox_dn, false, &dn)) < 0 ||
	    (rc = eid_bytes_utf8(&st->server, false, &server)) < 0)
		goto done;
	if (!ieq(dn, w->ex->mailbox_dn) && !(st->tail_version == 3))
		goto done; /* another mailbox's store: not the switch's business */
	/* ServerShortname: newer Exchange puts the SMTP address or the
	 * personalised server name there (mapi-binary-formats.md 1.2). */
	if (ieq(server, w->ex->smtp))
		rc = eid_bytes_set_str8(&st->server, t->smtp);
	else if (t->home_server)
		rc = eid_bytes_set_str8(&st->server, t->home_server);
	if (rc == RP_OK)
		rc = eid_bytes_set_str8(&st->mailbox_dn, t->legacy_dn);
	if (rc == RP_OK && st->tail_version == 2) {
		st->v2_has_dn = t->server_dn != NULL;
		rc = eid_bytes_set_str8(&st->v2_server_dn,
					t->server_dn ? t->server_dn : "");
		st->v2_has_fqdn = t->server_fqdn != NULL;
		if (rc == RP_OK)
			rc = eid_bytes_set_utf16(&st->v2_server_fqdn,
						 t->server_fqdn ? t->server_fqdn : "");
	}
	if (rc == RP_OK && st->tail_version == 3)
		rc = eid_bytes_set_utf16(&st->v3_smtp, t->smtp);
	if (rc == RP_OK) {
		eid_store_tail_normalize(st);
		rc = eid_encode(&e, out);
	}
	if (rc == RP_OK)
		*changed = out->len != len || memcmp(out->data, raw, len) != 0;
done:
	free(dn);
	free(server);
	eid_free(&e);
	return rc;
}

/* PR_ROH_FLAGS' MUTUAL_AUTH bit (0x4, "mutually authenticate the session
 * when connecting by using SSL": MS docs PidTagRpcOverHttpFlags) goes with
 * the principal name the check uses: on with one, off for "None". */
static int plan_roh_flags(struct sw *w, const char *path, const reg_value *v)
{
	uint32_t old = rp_le32(v->data),
		 neu = w->t->rpc_principal ? old | ROHFLAGS_MUTUAL_AUTH
					   : old & ~(uint32_t)ROHFLAGS_MUTUAL_AUTH;
	uint8_t b[4] = {(uint8_t)neu, (uint8_t)(neu >> 8), (uint8_t)(neu >> 16),
			(uint8_t)(neu >> 24)};
	if (neu == old)
		return RP_OK;
	return plan_set(w->out, path, v->name, v->type, b, 4,
			"switch: PR_ROH_FLAGS mutual authentication follows the "
			"target's CertPrincipalName");
}

static int plan_value(struct sw *w, const char *path, const reg_value *v)
{
	uint32_t tag;
	mapi_value mv, nv;
	char *old = NULL, *neu = NULL, *why = NULL;
	rp_buf enc = RP_BUF_INIT;
	uint32_t regtype = v->type;
	bool owned = false, del = false;
	int rc;

	if (!mapi_tag_from_regname(v->name, &tag))
		return RP_OK; /* named values: see plan_named_value */
	memset(&mv, 0, sizeof(mv));
	memset(&nv, 0, sizeof(nv));
	if (tag == PR_STORE_ENTRYID) {
		bool changed;
		rc = rebuild_store_eid(w, v->data, v->len, &enc, &changed);
		if (rc == RP_OK && changed)
			rc = plan_set(w->out, path, v->name, v->type, enc.data, enc.len,
				      "switch: store entry ID rebuilt for the target");
		goto out;
	}
	if (PROP_ID(tag) == PROP_ID(PR_PROFILE_HOME_SERVER_ADDRS)) {
		rc = plan_delete_value(w->out, path, v->name,
				       "switch: source server addresses");
		goto out;
	}
	if (PROP_ID(tag) == PROP_ID(PR_PROFILE_OFFLINE_STORE_PATH_W) && !w->o->keep_ost) {
		/* The source OST belongs to the source mailbox; Outlook makes a
		 * new one for the target (the file itself is left on disk). */
		rc = plan_delete_value(w->out, path, v->name,
				       "switch: OST of the source mailbox (KeepOST=0)");
		goto out;
	}
	if (tag == PR_ROH_FLAGS && w->t->rpc_settings && v->len == 4) {
		rc = plan_roh_flags(w, path, v);
		goto out;
	}
	if (PROP_TYPE(tag) != PT_UNICODE && PROP_TYPE(tag) != PT_STRING8)
		return RP_OK;
	rc = mapi_value_decode(&mv, tag, v->type, v->data, v->len);
	if (rc == RP_OK)
		rc = mapi_value_str_utf8(&mv, &old);
	if (rc < 0)
		goto out;
	rc = owned_value(w, tag, old, &owned, &neu);
	if (rc < 0)
		goto out;
	if (owned) {
		del = neu == NULL;
		why = rp_asprintf("switch: %s",
				  mapi_tag_name(tag) ? mapi_tag_name(tag) : v->name);
	} else {
		neu = generic_value(w, tag, old);
		why = rp_asprintf("switch: %s names the source mailbox",
				  mapi_tag_name(tag) ? mapi_tag_name(tag) : v->name);
	}
	if (!why) {
		rc = RP_ENOMEM;
		goto out;
	}
	if (del) {
		rc = plan_delete_value(w->out, path, v->name, why);
		goto out;
	}
	if (!neu || strcmp(neu, old) == 0)
		goto out;
	if (PROP_TYPE(tag) == PT_UNICODE)
		rc = mapi_value_set_unicode(&nv, tag, neu);
	else
		rc = mapi_value_set_string8(&nv, tag, v->type, neu);
	nv.regtype = v->type;
	if (rc == RP_OK)
		rc = mapi_value_encode(&nv, &enc, &regtype);
	if (rc == RP_OK)
		rc = plan_set(w->out, path, v->name, regtype, enc.data, enc.len, why);
out:
	if (rc < 0)
		rc = rp_error_wrap(rc, "%s: key '%s': value '%s'", reg_store_name(w->s),
				   path, v->name);
	mapi_value_free(&mv);
	mapi_value_free(&nv);
	rp_buf_free(&enc);
	free(old);
	free(neu);
	free(why);
	return rc;
}

/* Account-manager values are named ("Account Name"), REG_SZ or UTF-16 in
 * REG_BINARY (ref 2.3). The account name of an Exchange account is usually
 * its SMTP address. */
static int plan_named_value(struct sw *w, const char *path, const reg_value *v)
{
	char *old = NULL, *neu = NULL;
	rp_buf enc = RP_BUF_INIT;
	int rc = RP_OK;
	uint32_t tag;
	if (mapi_tag_from_regname(v->name, &tag))
		return RP_OK;
	if (v->type != REG_T_SZ && v->type != REG_T_BINARY)
		return RP_OK;
	if (v->len < 2 || (v->len & 1) || rp_le16(v->data + v->len - 2) != 0)
		return RP_OK; /* not a terminated UTF-16 string */
	if (rp_utf16le_to_utf8(v->data, v->len, &old) < 0) {
		rp_error_clear();
		return RP_OK;
	}
	if (ieq(old, w->ex->smtp))
		neu = rp_strdup(w->t->smtp);
	if (neu) {
		rc = rp_utf8_to_utf16le(neu, strlen(neu), &enc, true);
		if (rc == RP_OK)
			rc = plan_set(w->out, path, v->name, v->type, enc.data, enc.len,
				      "switch: account name is the source address");
	}
	free(old);
	free(neu);
	rp_buf_free(&enc);
	return rc;
}

static int plan_section(struct sw *w, const char *path)
{
	reg_values vals = {0};
	size_t i;
	int rc = reg_list_values(w->s, path, &vals);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		return RP_OK; /* dangling section: reported by profile_load */
	}
	for (i = 0; rc == RP_OK && i < vals.n; i++) {
		rc = plan_value(w, path, &vals.v[i]);
		if (rc == RP_OK)
			rc = plan_named_value(w, path, &vals.v[i]);
	}
	reg_values_free(&vals);
	return rc;
}

/* Cached Autodiscover answers for the source address would send Outlook
 * back to the source organisation (KB 3211279: the cache is tried first). */
static int plan_adisc_dir(struct sw *w, const char *dir)
{
	plat_dirent *ents = NULL;
	size_t n = 0, i;
	int rc;
	if (!plat_file_exists(dir))
		return RP_OK;
	rc = plat_list_dir(dir, &ents, &n);
	for (i = 0; rc == RP_OK && i < n; i++) {
		size_t len = strlen(ents[i].name);
		adisc_response *r = NULL;
		char *file;
		if (ents[i].is_dir || len < 4 ||
		    rp_ascii_casecmp(ents[i].name + len - 4, ".xml") != 0)
			continue;
		if (!(file = rp_asprintf("%s%c%s", dir, plat_sep(), ents[i].name))) {
			rc = RP_ENOMEM;
			break;
		}
		if (adisc_parse_file(file, &r) == RP_OK &&
		    (ieq(r->autodiscover_smtp, w->ex->smtp) ||
		     ieq(r->redirect_addr, w->ex->smtp) ||
		     ieq(r->legacy_dn, w->ex->mailbox_dn)))
			rc = plan_delete_file(
			    w->out, file,
			    "switch: cached Autodiscover answer for the source");
		rp_error_clear();
		adisc_response_free(r);
		free(file);
	}
	plat_dir_free(ents, n);
	return rc;
}

/* Outlook keeps them in its data folder and its version subfolders
 * (outlook-profile-registry.md 6: %LOCALAPPDATA%\Microsoft\Outlook and ...\16). */
static int plan_adisc_cache(struct sw *w)
{
	static const char *const subs[] = {NULL, "16", "15"};
	size_t i;
	int rc = RP_OK;
	for (i = 0; rc == RP_OK && i < sizeof(subs) / sizeof(subs[0]); i++) {
		char *dir = subs[i] ? rp_asprintf("%s%c%s", w->o->adisc_cache_dir,
						  plat_sep(), subs[i])
				    : rp_strdup(w->o->adisc_cache_dir);
		rc = dir ? plan_adisc_dir(w, dir) : RP_ENOMEM;
		free(dir);
	}
	return rc;
}

int feature_switch_plan(reg_store *s, const profile *p, int ex, const feature_target *t,
			const feature_opts *o, plan *out)
{
	struct sw w = {s, p, &p->exchange[ex], t, o, out};
	const profile_exchange *x = w.ex;
	const profile_service *svc = x->service >= 0 ? &p->services[x->service] : NULL;
	char *paths[64];
	size_t np = 0, i;
	int rc = RP_OK;

	if (!t->smtp || !t->legacy_dn)
		return rp_error_set(RP_EINVAL,
				    "profile '%s': target needs an SMTP address and "
				    "a legacyExchangeDN",
				    p->name);
	/* The account's sections: emsmdb, service, its providers except the
	 * other mailboxes' stores (delegate, archive, public: AddBoxes), the
	 * pre-2010 global section, the legacy EMSAB section, the account. */
	if (x->has_section && np < 64)
		paths[np++] = rp_asprintf("%s\\%s", p->path, x->section);
	if (svc && np < 64)
		paths[np++] = profile_section_path(p, svc->uid);
	for (i = 0; svc && i < svc->nproviders && np < 64; i++) {
		int pi = svc->providers[i];
		size_t k;
		bool other = false;
		for (k = 0; k < p->nstores; k++)
			if (p->stores[k].provider == pi &&
			    p->stores[k].kind != PROFILE_STORE_MAILBOX)
				other = true;
		if (!other)
			paths[np++] = profile_section_path(p, p->providers[pi].uid);
	}
	if (x->legacy && np < 62) {
		paths[np++] = rp_asprintf("%s\\%s", p->path, PROFILE_SEC_GLOBAL_EMS);
		paths[np++] = rp_asprintf("%s\\%s", p->path, SEC_EMSAB);
	}
	if (x->account >= 0 && np < 64)
		paths[np++] = rp_asprintf("%s\\%s\\%s", p->path, PROFILE_SEC_ACCTMGR,
					  p->accounts[x->account].key);
	for (i = 0; i < np; i++)
		if (!paths[i])
			rc = RP_ENOMEM;
	for (i = 0; rc == RP_OK && i < np; i++) {
		size_t k;
		bool dup = false;
		for (k = 0; k < i; k++)
			dup |= rp_name_eq(paths[k], paths[i]);
		if (!dup)
			rc = plan_section(&w, paths[i]);
	}
	for (i = 0; i < np; i++)
		free(paths[i]);
	/* Outlook's own Autodiscover must not ask the source's SCP (guide,
	 * -DoNotModifyExcludeSCPLookup). */
	if (rc == RP_OK && o->modify_exclude_scp) {
		char *key = feature_autodiscover_key(p->version);
		if (key) {
			rc = plan_create_key(out, key,
					     "switch: Outlook Autodiscover settings");
			if (rc == RP_OK)
				rc = plan_set(
				    out, key, "ExcludeScpLookup", REG_T_DWORD,
				    "\x01\x00\x00\x00", 4,
				    "switch: no SCP lookup in the source forest");
		}
		free(key);
	}
	if (rc == RP_OK && o->adisc_cache_dir)
		rc = plan_adisc_cache(&w);
	return rc;
}

int feature_switch_section(reg_store *s, const profile *p, const char *path,
			   const char *src_smtp, const char *src_dn,
			   const feature_target *t, const feature_opts *o, plan *out)
{
	profile_exchange x;
	struct sw w = {s, p, &x, t, o, out};
	memset(&x, 0, sizeof(x));
	x.smtp = (char *)src_smtp;
	x.mailbox_dn = (char *)src_dn;
	return plan_section(&w, path);
}

int feature_store_eid_switch(const profile_exchange *x, const feature_target *t,
			     const uint8_t *raw, size_t len, rp_buf *out, bool *changed)
{
	struct sw w = {NULL, NULL, x, t, NULL, NULL};
	return rebuild_store_eid(&w, raw, len, out, changed);
}

char *feature_replace_ci(const char *s, const char *from, const char *to)
{
	return from && *from ? replace_all(s, from, to) : rp_strdup(s);
}
