/* dir_ldap.c - the LDAP backend's logic, the same on every platform: filters,
 * batching, matching results back to keys, the custom attribute, SCP lookup.
 * The wire work is in dir_ldap_openldap.c or dir_ldap_win32.c.
 *
 * A batch of keys costs two searches: one OR filter over the source
 * directory (keys -> source objects -> custom attribute values), and one OR
 * filter over the target directory (attribute values -> target objects). */
#include "dir_impl.h"
#include "dir_ldap_conn.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MS-OXDISCO 2.2.1.2 / 3.1.5.1: keywords of Autodiscover SCP objects. */
#define SCP_URL_GUID "77378F46-2C66-4aa9-A6A6-3E7A48B19596"
#define SCP_PTR_GUID "67661d7F-8FC4-4fa7-BFAC-E1D7794C1F68"

struct ldap_impl {
	dir_ldap_config cfg; /* strings point into owned */
	char *owned[16];
	size_t nowned;
	dir_conn *src, *tgt;
	bool tgt_is_src;
};

/* An object found by a search, strings owned by the resolver. */
struct obj {
	const char *legdn, *mail, *primary, *name, *attr;
	enum dir_kind kind;
	const char **x500,
	    **smtp; /* proxy values without their prefix (malloc'd array) */
	size_t nx500, nsmtp;
};

struct objlist {
	dir_resolver *r;
	const char *attr; /* custom attribute name, NULL on the target */
	struct obj *v;
	size_t n, cap;
};

static bool is_true(const char *v, bool *out)
{
	if (!rp_ascii_casecmp(v, "1") || !rp_ascii_casecmp(v, "yes") ||
	    !rp_ascii_casecmp(v, "true")) {
		*out = true;
		return true;
	}
	if (!rp_ascii_casecmp(v, "0") || !rp_ascii_casecmp(v, "no") ||
	    !rp_ascii_casecmp(v, "false") || !v[0]) {
		*out = false;
		return true;
	}
	return false;
}

static bool valid_attr_name(const char *s)
{
	/* RFC 4512 descr: keystring = leadkeychar *keychar */
	size_t i;
	if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return false;
	for (i = 1; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return i <= 64;
}

int dir_ldap_config_set(dir_ldap_config *cfg, const char *name, const char *value)
{
	static const struct {
		const char *name;
		size_t off;
	} strs[] = {
	    {"DirectorySourceURI", offsetof(dir_ldap_config, source.uri)},
	    {"DirectorySourceBase", offsetof(dir_ldap_config, source.base_dn)},
	    {"DirectorySourceBindDN", offsetof(dir_ldap_config, source.bind_dn)},
	    {"DirectorySourcePassword", offsetof(dir_ldap_config, source.password)},
	    {"DirectoryTargetURI", offsetof(dir_ldap_config, target.uri)},
	    {"DirectoryTargetBase", offsetof(dir_ldap_config, target.base_dn)},
	    {"DirectoryTargetBindDN", offsetof(dir_ldap_config, target.bind_dn)},
	    {"DirectoryTargetPassword", offsetof(dir_ldap_config, target.password)},
	    {"DirectoryCAFile", offsetof(dir_ldap_config, ca_file)},
	    {"DirectoryConfigBase", offsetof(dir_ldap_config, config_base)},
	};
	size_t i;
	bool b;
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (!rp_ascii_casecmp(name, strs[i].name)) {
			*(const char **)((char *)cfg + strs[i].off) = value;
			return RP_OK;
		}
	if (!rp_ascii_casecmp(name, "DirectoryAttribute")) {
		if (!valid_attr_name(value))
			return rp_error_set(RP_EINVAL,
					    "DirectoryAttribute: '%s' is not an LDAP "
					    "attribute name",
					    value);
		cfg->attribute = value;
		return RP_OK;
	}
	if (!rp_ascii_casecmp(name, "DirectoryAttributeFormat")) {
		if (!rp_ascii_casecmp(value, "auto") || !value[0])
			cfg->attr_format = DIR_ATTR_AUTO;
		else if (!rp_ascii_casecmp(value, "smtp"))
			cfg->attr_format = DIR_ATTR_SMTP;
		else if (!rp_ascii_casecmp(value, "legacyExchangeDN") ||
			 !rp_ascii_casecmp(value, "x500"))
			cfg->attr_format = DIR_ATTR_LEGACY_DN;
		else
			return rp_error_set(RP_EINVAL,
					    "DirectoryAttributeFormat: '%s' is not auto, "
					    "smtp or legacyExchangeDN",
					    value);
		return RP_OK;
	}
	if (!rp_ascii_casecmp(name, "DirectoryStartTLS") ||
	    !rp_ascii_casecmp(name, "DirectoryMatchX500")) {
		if (!is_true(value, &b))
			return rp_error_set(RP_EINVAL, "%s: '%s' is not 0 or 1", name,
					    value);
		if (!rp_ascii_casecmp(name, "DirectoryStartTLS"))
			cfg->start_tls = b;
		else
			cfg->fallback_x500 = b;
		return RP_OK;
	}
	if (!rp_ascii_casecmp(name, "DirectoryTimeout") ||
	    !rp_ascii_casecmp(name, "DirectoryBatchSize")) {
		char *end;
		long v = strtol(value, &end, 10);
		bool batch = !rp_ascii_casecmp(name, "DirectoryBatchSize");
		if (!value[0] || *end || v < 1 || v > (batch ? DIR_MAX_BATCH : 3600))
			return rp_error_set(RP_EINVAL,
					    "%s: '%s' is not a number from 1 to %d", name,
					    value, batch ? DIR_MAX_BATCH : 3600);
		if (batch)
			cfg->batch = (int)v;
		else
			cfg->timeout_s = (int)v;
		return RP_OK;
	}
	return rp_error_set(RP_EINVAL, "unknown directory setting '%s'", name);
}

static void ldap_close(void *p)
{
	struct ldap_impl *li = p;
	size_t i;
	if (!li)
		return;
	if (li->tgt && !li->tgt_is_src)
		dir_conn_close(li->tgt);
	if (li->src)
		dir_conn_close(li->src);
	for (i = 0; i < li->nowned; i++)
		free(li->owned[i]);
	free(li);
}

static int own(struct ldap_impl *li, const char **field)
{
	char *c;
	if (!*field)
		return RP_OK;
	c = rp_strdup(*field);
	if (!c)
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	li->owned[li->nowned++] = c;
	*field = c;
	return RP_OK;
}

static bool empty(const char *s)
{
	return !s || !s[0];
}

static int ensure_src(dir_resolver *r)
{
	struct ldap_impl *li = r->impl;
	int rc;
	if (li->src)
		return RP_OK;
	rc = dir_conn_open(&li->cfg.source, li->cfg.start_tls, li->cfg.ca_file,
			   li->cfg.timeout_s, &li->src);
	if (rc == RP_OK)
		r->stats.binds++;
	return rc;
}

static int ensure_tgt(dir_resolver *r)
{
	struct ldap_impl *li = r->impl;
	int rc;
	if (li->tgt)
		return RP_OK;
	if (li->tgt_is_src) {
		if ((rc = ensure_src(r)) < 0)
			return rc;
		li->tgt = li->src;
		return RP_OK;
	}
	rc = dir_conn_open(&li->cfg.target, li->cfg.start_tls, li->cfg.ca_file,
			   li->cfg.timeout_s, &li->tgt);
	if (rc == RP_OK)
		r->stats.binds++;
	return rc;
}

static const struct dir_ldap_attr *get_attr(const struct dir_ldap_entry *e,
					    const char *name)
{
	size_t i;
	for (i = 0; i < e->nattrs; i++)
		if (!rp_ascii_casecmp(e->attrs[i].name, name))
			return &e->attrs[i];
	return NULL;
}

static const char *first_val(const struct dir_ldap_entry *e, const char *name)
{
	const struct dir_ldap_attr *a = get_attr(e, name);
	return a && a->nvals ? a->vals[0] : NULL;
}

static void objlist_free(struct objlist *l)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].x500);
		free(l->v[i].smtp);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

#define KEEP(dst, src)                                                                   \
	do {                                                                             \
		const char *s_ = (src);                                                  \
		if (s_ && !((dst) = dir_keep(l->r, s_, (size_t)-1)))                     \
			return RP_ENOMEM;                                                \
	} while (0)

static int collect(void *ctx, const struct dir_ldap_entry *e)
{
	struct objlist *l = ctx;
	const struct dir_ldap_attr *px = get_attr(e, "proxyAddresses");
	const struct dir_ldap_attr *oc = get_attr(e, "objectClass");
	struct obj *o;
	size_t i;

	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 32;
		struct obj *nv = realloc(l->v, nc * sizeof(*nv));
		if (!nv)
			return rp_error_set(RP_ENOMEM, "directory: out of memory");
		l->v = nv;
		l->cap = nc;
	}
	o = &l->v[l->n++];
	memset(o, 0, sizeof(*o));
	KEEP(o->legdn, first_val(e, "legacyExchangeDN"));
	KEEP(o->mail, first_val(e, "mail"));
	KEEP(o->name, first_val(e, "displayName") ? first_val(e, "displayName")
						  : first_val(e, "cn"));
	if (l->attr)
		KEEP(o->attr, first_val(e, l->attr));
	o->kind = dir_kind_from_ldap(first_val(e, "msExchRecipientTypeDetails"),
				     oc ? oc->vals : NULL, oc ? oc->nvals : 0);
	if (px && px->nvals) {
		o->x500 = calloc(px->nvals, sizeof(*o->x500));
		o->smtp = calloc(px->nvals, sizeof(*o->smtp));
		if (!o->x500 || !o->smtp)
			return rp_error_set(RP_ENOMEM, "directory: out of memory");
		for (i = 0; i < px->nvals; i++) {
			const char *v = px->vals[i], *k;
			if ((k = dir_proxy_value(v, "X500"))) {
				KEEP(o->x500[o->nx500], k);
				o->nx500++;
			} else if ((k = dir_proxy_value(v, "SMTP"))) {
				KEEP(o->smtp[o->nsmtp], k);
				o->nsmtp++;
				/* upper-case "SMTP:" marks the primary address */
				if (!o->primary && strncmp(v, "SMTP:", 5) == 0)
					o->primary = o->smtp[o->nsmtp - 1];
			}
		}
	}
	if (!o->primary)
		o->primary = o->mail;
	return RP_OK;
}

/* 2 = the key equals the object's own legacyExchangeDN / mail,
 * 1 = it equals one of its proxy addresses, 0 = no match. */
static int match(const struct obj *o, const dir_source_key *k)
{
	size_t i;
	if (k->kind == DIR_KEY_LEGACY_DN) {
		if (o->legdn && rp_name_eq(o->legdn, k->value))
			return 2;
		for (i = 0; i < o->nx500; i++)
			if (rp_name_eq(o->x500[i], k->value))
				return 1;
	} else {
		if (o->mail && rp_name_eq(o->mail, k->value))
			return 2;
		for (i = 0; i < o->nsmtp; i++)
			if (rp_name_eq(o->smtp[i], k->value))
				return 1;
	}
	return 0;
}

/* The object a key designates: an own-attribute match wins over a proxy
 * match; two candidates of the same strength are ambiguous (NULL). */
static const struct obj *pick(const struct objlist *l, const dir_source_key *k)
{
	const struct obj *best = NULL;
	int bs = 0;
	bool tie = false;
	size_t i;
	for (i = 0; i < l->n; i++) {
		int s = match(&l->v[i], k);
		if (s > bs) {
			best = &l->v[i];
			bs = s;
			tie = false;
		} else if (s && s == bs) {
			tie = true;
		}
	}
	return tie ? NULL : best;
}

/* Appends the OR terms that find key k to f. */
static int add_terms(rp_buf *f, const dir_source_key *k)
{
	char *v = dir_filter_escape(k->value, strlen(k->value));
	int rc;
	if (!v)
		return RP_ENOMEM;
	if (k->kind == DIR_KEY_LEGACY_DN)
		rc = rp_buf_printf(f, "(legacyExchangeDN=%s)(proxyAddresses=X500:%s)", v,
				   v);
	else
		rc = rp_buf_printf(f, "(mail=%s)(proxyAddresses=smtp:%s)", v, v);
	free(v);
	return rc;
}

static int search_keys(dir_resolver *r, dir_conn *c, const char *base,
		       const dir_source_key *keys, size_t n, const char *const *attrs,
		       struct objlist *l)
{
	rp_buf f = RP_BUF_INIT;
	size_t i;
	int rc = rp_buf_puts(&f, "(|");
	for (i = 0; i < n && rc == RP_OK; i++)
		rc = add_terms(&f, &keys[i]);
	if (rc == RP_OK)
		rc = rp_buf_puts(&f, ")");
	if (rc == RP_OK)
		rc = rp_buf_u8(&f, 0);
	if (rc == RP_OK) {
		r->stats.searches++;
		/* A key normally matches one object; the cap only stops a
		 * runaway answer (duplicated proxies) from being downloaded. */
		rc = dir_conn_search(c, base, DIR_SCOPE_SUBTREE, (const char *)f.data,
				     attrs, (int)(n * 10 + 100), collect, l);
	}
	rp_buf_free(&f);
	return rc;
}

/* The target key named by a source object's custom attribute value. */
static bool target_key(const struct ldap_impl *li, const struct obj *o, dir_source_key *k)
{
	const char *v = o->attr, *s;
	if (empty(v)) {
		if (li->cfg.fallback_x500 && o->legdn) {
			k->kind = DIR_KEY_LEGACY_DN;
			k->value = o->legdn;
			return true;
		}
		return false;
	}
	switch (li->cfg.attr_format) {
	case DIR_ATTR_SMTP:
		k->kind = DIR_KEY_SMTP;
		k->value = (s = dir_proxy_value(v, "SMTP")) ? s : v;
		break;
	case DIR_ATTR_LEGACY_DN:
		k->kind = DIR_KEY_LEGACY_DN;
		k->value = (s = dir_proxy_value(v, "X500")) ? s
			   : (s = dir_proxy_value(v, "EX")) ? s
							    : v;
		break;
	default:
		if (dir_key_parse(v, k) < 0)
			return false; /* neither form: treated as not migrated */
	}
	return k->value[0] != '\0';
}

static int ldap_resolve(dir_resolver *r, const dir_source_key *keys, size_t n,
			dir_recipient *out, int *status)
{
	struct ldap_impl *li = r->impl;
	const char *src_attrs[] = {
	    "legacyExchangeDN", "mail", "proxyAddresses", "displayName", "cn",
	    li->cfg.attribute,  NULL};
	const char *tgt_attrs[] = {"legacyExchangeDN",
				   "mail",
				   "proxyAddresses",
				   "displayName",
				   "cn",
				   "objectClass",
				   "msExchRecipientTypeDetails",
				   NULL};
	struct objlist srcl = {r, li->cfg.attribute, NULL, 0, 0};
	struct objlist tgtl = {r, NULL, NULL, 0, 0};
	const struct obj **srco = calloc(n, sizeof(*srco));
	dir_source_key *tk = calloc(n, sizeof(*tk));
	dir_source_key *uniq = calloc(n, sizeof(*uniq));
	bool *has_tk = calloc(n, sizeof(*has_tk));
	size_t i, j, nuniq = 0;
	int rc;

	if (!srco || !tk || !uniq || !has_tk) {
		rc = rp_error_set(RP_ENOMEM, "directory: out of memory");
		goto done;
	}
	if ((rc = ensure_src(r)) < 0)
		goto done;
	rc = search_keys(r, li->src, li->cfg.source.base_dn, keys, n, src_attrs, &srcl);
	if (rc < 0)
		goto done;
	for (i = 0; i < n; i++) {
		srco[i] = pick(&srcl, &keys[i]);
		has_tk[i] = srco[i] && target_key(li, srco[i], &tk[i]);
		if (!has_tk[i])
			continue;
		for (j = 0; j < nuniq; j++)
			if (uniq[j].kind == tk[i].kind &&
			    rp_name_eq(uniq[j].value, tk[i].value))
				break;
		if (j == nuniq)
			uniq[nuniq++] = tk[i];
	}
	if (nuniq) {
		if ((rc = ensure_tgt(r)) < 0)
			goto done;
		rc = search_keys(r, li->tgt, li->cfg.target.base_dn, uniq, nuniq,
				 tgt_attrs, &tgtl);
		if (rc < 0)
			goto done;
	}
	for (i = 0; i < n; i++) {
		const struct obj *t = has_tk[i] ? pick(&tgtl, &tk[i]) : NULL;
		status[i] = t ? RP_OK : RP_ENOTFOUND;
		if (!t)
			continue;
		out[i].legacy_dn = t->legdn;
		out[i].smtp = t->primary;
		out[i].display_name = t->name;
		out[i].kind = t->kind;
		out[i].source_legacy_dn = srco[i]->legdn;
		out[i].source_smtp = srco[i]->primary;
	}
	rc = RP_OK;
done:
	objlist_free(&srcl);
	objlist_free(&tgtl);
	free(srco);
	free(tk);
	free(uniq);
	free(has_tk);
	return rc;
}

/* ---- SCP lookup ---- */

struct scp {
	char *url;
	int prio; /* 1 same site, 2 no site, 3 other site */
	size_t seq;
};

struct scp_ctx {
	const char *domain, *site;
	struct scp *v;
	size_t n, cap;
	char *pointer; /* LDAP URL of a pointer matching domain */
};

static const char *kw_value(const char *kw, const char *name)
{
	size_t n = strlen(name);
	if (!rp_ascii_ncasecmp(kw, name, n) && kw[n] == '=')
		return kw + n + 1;
	return NULL;
}

static int scp_collect(void *ctx, const struct dir_ldap_entry *e)
{
	struct scp_ctx *s = ctx;
	const struct dir_ldap_attr *kw = get_attr(e, "keywords");
	const struct dir_ldap_attr *sbi = get_attr(e, "serviceBindingInformation");
	bool is_url = false, is_ptr = false, dom = false, any_site = false,
	     my_site = false;
	size_t i;
	const char *v;

	if (!kw || !sbi)
		return RP_OK;
	for (i = 0; i < kw->nvals; i++) {
		if (!rp_ascii_casecmp(kw->vals[i], SCP_URL_GUID))
			is_url = true;
		else if (!rp_ascii_casecmp(kw->vals[i], SCP_PTR_GUID))
			is_ptr = true;
		else if ((v = kw_value(kw->vals[i], "Site"))) {
			any_site = true;
			if (s->site && !rp_name_cmp(v, s->site))
				my_site = true;
		} else if ((v = kw_value(kw->vals[i], "Domain"))) {
			if (s->domain && !rp_ascii_casecmp(v, s->domain))
				dom = true;
		}
	}
	if (is_ptr && dom && !s->pointer && sbi->nvals) {
		s->pointer = rp_strdup(sbi->vals[0]);
		return s->pointer ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
	}
	if (!is_url)
		return RP_OK;
	for (i = 0; i < sbi->nvals; i++) {
		if (s->n == s->cap) {
			size_t nc = s->cap ? s->cap * 2 : 8;
			struct scp *nv = realloc(s->v, nc * sizeof(*nv));
			if (!nv)
				return rp_error_set(RP_ENOMEM,
						    "directory: out of memory");
			s->v = nv;
			s->cap = nc;
		}
		s->v[s->n].url = rp_strdup(sbi->vals[i]);
		if (!s->v[s->n].url)
			return rp_error_set(RP_ENOMEM, "directory: out of memory");
		s->v[s->n].prio = my_site ? 1 : any_site ? 3 : 2;
		s->v[s->n].seq = s->n;
		s->n++;
	}
	return RP_OK;
}

static int scp_cmp(const void *a, const void *b)
{
	const struct scp *x = a, *y = b;
	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	/* entry order from the server is not stable; sort by URL for determinism */
	{
		int c = strcmp(x->url, y->url);
		if (c)
			return c;
	}
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int root_cb(void *ctx, const struct dir_ldap_entry *e)
{
	char **out = ctx;
	const char *v = first_val(e, "configurationNamingContext");
	if (v && !*out && !(*out = rp_strdup(v)))
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	return RP_OK;
}

static int scp_search(dir_resolver *r, dir_conn *c, const char *uri,
		      const char *base_override, struct scp_ctx *s)
{
	struct ldap_impl *li = r->impl;
	static const char *const root_attrs[] = {"configurationNamingContext", NULL};
	static const char *const attrs[] = {"serviceBindingInformation", "keywords",
					    NULL};
	char *base = NULL;
	int rc;

	if (!empty(base_override) || !empty(li->cfg.config_base)) {
		base = rp_strdup(!empty(base_override) ? base_override
						       : li->cfg.config_base);
		if (!base)
			return rp_error_set(RP_ENOMEM, "directory: out of memory");
	} else {
		r->stats.searches++;
		rc = dir_conn_search(c, "", DIR_SCOPE_BASE, "(objectClass=*)", root_attrs,
				     0, root_cb, &base);
		if (rc < 0)
			return rc;
		if (!base)
			return rp_error_set(
			    RP_ENOTFOUND,
			    "%s: rootDSE has no configurationNamingContext "
			    "(set DirectoryConfigBase)",
			    uri);
	}
	r->stats.searches++;
	rc = dir_conn_search(
	    c, base, DIR_SCOPE_SUBTREE,
	    "(&(objectClass=serviceConnectionPoint)(|(keywords=" SCP_PTR_GUID
	    ")(keywords=" SCP_URL_GUID ")))",
	    attrs, 0, scp_collect, s);
	free(base);
	return rc;
}

static void scp_ctx_free(struct scp_ctx *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->v[i].url);
	free(s->v);
	free(s->pointer);
	memset(s, 0, sizeof(*s));
}

/* %XX decoding of an LDAP URL's DN part (RFC 4516 section 2.1). */
static char *url_unescape(const char *s)
{
	char *o = malloc(strlen(s) + 1), *p = o;
	if (!o)
		return NULL;
	for (; *s && *s != '?'; s++) {
		unsigned v;
		if (s[0] == '%' && s[1] && s[2] && sscanf(s + 1, "%2x", &v) == 1) {
			*p++ = (char)v;
			s += 2;
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	return o;
}

static int ldap_scp_urls(dir_resolver *r, const char *domain, const char *site,
			 char ***urls, size_t *n)
{
	struct ldap_impl *li = r->impl;
	struct scp_ctx s = {domain, site, NULL, 0, 0, NULL};
	size_t i, k;
	int rc;

	if ((rc = ensure_src(r)) < 0)
		return rc;
	rc = scp_search(r, li->src, li->cfg.source.uri, NULL, &s);
	if (rc == RP_OK && s.pointer) {
		/* MS-OXDISCO 3.1.5.1: a pointer for the user's domain names the
		 * directory to ask instead; its URLs replace ours. One hop only. */
		struct scp_ctx p = {domain, site, NULL, 0, 0, NULL};
		dir_ldap_server srv = li->cfg.source;
		dir_conn *pc = NULL;
		char *uri = rp_strdup(s.pointer), *pbase = NULL;
		if (!uri) {
			rc = rp_error_set(RP_ENOMEM, "directory: out of memory");
			goto done;
		}
		if (!rp_ascii_ncasecmp(uri, "LDAP://", 7)) {
			char *slash = strchr(uri + 7, '/');
			memcpy(uri, "ldap://", 7);
			/* RFC 4516: an optional /<dn> after the host names the base */
			if (slash) {
				*slash = '\0';
				if (!(pbase = url_unescape(slash + 1))) {
					free(uri);
					rc = rp_error_set(RP_ENOMEM,
							  "directory: out of memory");
					goto done;
				}
			}
		}
		srv.uri = uri;
		rc = dir_conn_open(&srv, li->cfg.start_tls, li->cfg.ca_file,
				   li->cfg.timeout_s, &pc);
		if (rc == RP_OK) {
			r->stats.binds++;
			rc = scp_search(r, pc, uri, pbase, &p);
			dir_conn_close(pc);
		}
		free(uri);
		free(pbase);
		if (rc == RP_OK && p.n) {
			scp_ctx_free(&s);
			s = p;
		} else {
			scp_ctx_free(&p);
			/* an unreachable pointer target leaves our own URLs usable */
			if (s.n)
				rc = RP_OK;
		}
	}
	if (rc < 0)
		goto done;
	if (!s.n) {
		rc = rp_error_set(RP_ENOTFOUND, "%s: no Autodiscover SCP objects",
				  li->cfg.source.uri);
		goto done;
	}
	qsort(s.v, s.n, sizeof(*s.v), scp_cmp);
	*urls = calloc(s.n, sizeof(**urls));
	if (!*urls) {
		rc = rp_error_set(RP_ENOMEM, "directory: out of memory");
		goto done;
	}
	for (i = 0, k = 0; i < s.n; i++) {
		size_t j;
		for (j = 0; j < k; j++)
			if (!rp_ascii_casecmp((*urls)[j], s.v[i].url))
				break;
		if (j < k)
			continue; /* same URL twice: keep its best priority */
		(*urls)[k++] = s.v[i].url;
		s.v[i].url = NULL;
	}
	*n = k;
done:
	scp_ctx_free(&s);
	return rc;
}

static bool same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* A bare host name (the guide's DCName) means ldap://host; any other scheme
 * than ldap:// or ldaps:// is refused when opening, not at the first lookup. */
static int fix_uri(struct ldap_impl *li, const char **uri)
{
	char *u;
	if (!rp_ascii_ncasecmp(*uri, "ldap://", 7) ||
	    !rp_ascii_ncasecmp(*uri, "ldaps://", 8))
		return RP_OK;
	if (strstr(*uri, "://") || strpbrk(*uri, "/ "))
		return rp_error_set(
		    RP_EINVAL, "directory: '%s' is not an ldap:// or ldaps:// URI", *uri);
	u = rp_asprintf("ldap://%s", *uri);
	if (!u)
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	li->owned[li->nowned++] = u;
	*uri = u;
	return RP_OK;
}

static const struct dir_backend ldap_backend = {
    .name = "ldap",
    .resolve = ldap_resolve,
    .scp_urls = ldap_scp_urls,
    .close = ldap_close,
};

int dir_open_ldap(const dir_ldap_config *cfg, dir_resolver **out)
{
	struct ldap_impl *li;
	int rc = RP_OK;

	*out = NULL;
	if (empty(cfg->source.uri) || empty(cfg->source.base_dn))
		return rp_error_set(
		    RP_EINVAL, "directory: DirectorySourceURI and DirectorySourceBase "
			       "are required");
	if (empty(cfg->attribute) && !cfg->fallback_x500)
		return rp_error_set(RP_EINVAL,
				    "directory: DirectoryAttribute is required "
				    "(or DirectoryMatchX500=1)");
	if (!empty(cfg->attribute) && !valid_attr_name(cfg->attribute))
		return rp_error_set(
		    RP_EINVAL, "DirectoryAttribute: '%s' is not an LDAP attribute name",
		    cfg->attribute);
	li = calloc(1, sizeof(*li));
	if (!li)
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	li->cfg = *cfg;
	if (empty(li->cfg.attribute))
		li->cfg.attribute = NULL;
	if (empty(li->cfg.target.uri)) {
		li->tgt_is_src = true;
		li->cfg.target.uri = li->cfg.source.uri;
		li->cfg.target.bind_dn = li->cfg.source.bind_dn;
		li->cfg.target.password = li->cfg.source.password;
	}
	if (empty(li->cfg.target.base_dn))
		li->cfg.target.base_dn = li->cfg.source.base_dn;
	if (li->cfg.timeout_s <= 0)
		li->cfg.timeout_s = 30;
	{
		const char **f[] = {&li->cfg.source.uri,     &li->cfg.source.base_dn,
				    &li->cfg.source.bind_dn, &li->cfg.source.password,
				    &li->cfg.target.uri,     &li->cfg.target.base_dn,
				    &li->cfg.target.bind_dn, &li->cfg.target.password,
				    &li->cfg.attribute,      &li->cfg.ca_file,
				    &li->cfg.config_base};
		size_t i;
		for (i = 0; i < sizeof(f) / sizeof(f[0]) && rc == RP_OK; i++)
			rc = own(li, f[i]);
	}
	if (rc == RP_OK)
		rc = fix_uri(li, &li->cfg.source.uri);
	if (rc == RP_OK && !li->tgt_is_src)
		rc = fix_uri(li, &li->cfg.target.uri);
	else if (rc == RP_OK)
		li->cfg.target.uri = li->cfg.source.uri;
	/* the same server with the same credentials: one connection */
	if (rc == RP_OK && !li->tgt_is_src &&
	    !rp_ascii_casecmp(li->cfg.source.uri, li->cfg.target.uri) &&
	    same_str(li->cfg.source.bind_dn, li->cfg.target.bind_dn) &&
	    same_str(li->cfg.source.password, li->cfg.target.password))
		li->tgt_is_src = true;
	if (rc < 0) {
		ldap_close(li);
		return rc;
	}
	return dir_resolver_new(&ldap_backend, li, cfg->batch, out);
}

int dir_ldap_attr_add(struct dir_ldap_attr *a, size_t n, const char *p, size_t len)
{
	char *v;
	if (!a->vals && !(a->vals = calloc(n, sizeof(char *))))
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	if (a->nvals >= n || !(v = rp_strndup(p, len)))
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	a->vals[a->nvals++] = v;
	return RP_OK;
}

void dir_ldap_attrs_free(struct dir_ldap_attr *av, size_t n)
{
	size_t i, k;
	for (i = 0; i < n; i++) {
		for (k = 0; k < av[i].nvals; k++)
			free(av[i].vals[k]);
		free(av[i].vals);
	}
}
