/* dir_nspi.c - the address-book backend: source recipients resolved in the
 * source address book and matched in the target one over NSPI (mbx_ab),
 * plus the [Directory] settings that select a backend (dir_config).
 *
 * Per batch of keys: source DNs with DNToMId + QueryRows, source SMTP
 * addresses with one ResolveNames; then the source legacyExchangeDNs in the
 * target with DNToMId + QueryRows (Exchange and the test server match X500
 * proxies there, which is what a migration leaves on the target object),
 * and the sources not found that way by their primary SMTP address with one
 * ResolveNames (migrations keep it as a secondary address). */
#include "dir_impl.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mailbox/mbx_ab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct nspi_impl {
	mbx_ab *src;
	mbx_ab *tgt; /* == src when no target URL */
	int batch;
	unsigned long seen_requests, seen_binds;
};

static bool empty(const char *s)
{
	return !s || !*s;
}

/* ---- settings ----------------------------------------------------------- */

int dir_config_set(dir_config *cfg, const char *name, const char *value)
{
	int rc;

	if (!rp_ascii_casecmp(name, "DirectorySource")) {
		if (!rp_ascii_casecmp(value, "ldap") || !value[0])
			cfg->source = DIR_SOURCE_LDAP;
		else if (!rp_ascii_casecmp(value, "nspi"))
			cfg->source = DIR_SOURCE_NSPI;
		else
			return rp_error_set(RP_EINVAL,
					    "DirectorySource: '%s' is not ldap or nspi",
					    value);
		return RP_OK;
	}
	if (!rp_ascii_casecmp(name, "DirectorySourceUser")) {
		cfg->nspi.source.user = value;
		return RP_OK;
	}
	if (!rp_ascii_casecmp(name, "DirectoryTargetUser")) {
		cfg->nspi.target.user = value;
		return RP_OK;
	}
	if ((rc = dir_ldap_config_set(&cfg->ldap, name, value)) < 0)
		return rc;
	/* the settings both backends read */
	if (!rp_ascii_casecmp(name, "DirectorySourceURI"))
		cfg->nspi.source.url = value;
	else if (!rp_ascii_casecmp(name, "DirectoryTargetURI"))
		cfg->nspi.target.url = value;
	else if (!rp_ascii_casecmp(name, "DirectorySourcePassword"))
		cfg->nspi.source.password = value;
	else if (!rp_ascii_casecmp(name, "DirectoryTargetPassword"))
		cfg->nspi.target.password = value;
	else if (!rp_ascii_casecmp(name, "DirectoryCAFile"))
		cfg->nspi.ca_file = value;
	cfg->nspi.timeout_s = cfg->ldap.timeout_s;
	cfg->nspi.batch = cfg->ldap.batch;
	return RP_OK;
}

int dir_open(const dir_config *cfg, dir_resolver **out)
{
	static const struct {
		const char *name;
		size_t off;
	} ldap_only[] = {
	    {"DirectorySourceBase", offsetof(dir_ldap_config, source.base_dn)},
	    {"DirectorySourceBindDN", offsetof(dir_ldap_config, source.bind_dn)},
	    {"DirectoryTargetBase", offsetof(dir_ldap_config, target.base_dn)},
	    {"DirectoryTargetBindDN", offsetof(dir_ldap_config, target.bind_dn)},
	    {"DirectoryAttribute", offsetof(dir_ldap_config, attribute)},
	    {"DirectoryConfigBase", offsetof(dir_ldap_config, config_base)},
	};

	*out = NULL;
	if (cfg->source == DIR_SOURCE_LDAP) {
		if (!empty(cfg->nspi.source.user) || !empty(cfg->nspi.target.user))
			return rp_error_set(
			    RP_EINVAL, "DirectorySourceUser/DirectoryTargetUser are "
				       "address-book settings: set DirectorySource=nspi "
				       "(or use DirectorySourceBindDN with LDAP)");
		return dir_open_ldap(&cfg->ldap, out);
	}
	for (size_t i = 0; i < sizeof(ldap_only) / sizeof(ldap_only[0]); i++)
		if (!empty(*(const char *const *)((const char *)&cfg->ldap +
						  ldap_only[i].off)))
			return rp_error_set(RP_EINVAL,
					    "%s is an LDAP setting; DirectorySource=nspi "
					    "matches by X500 proxy and SMTP address",
					    ldap_only[i].name);
	if (cfg->ldap.start_tls || cfg->ldap.fallback_x500)
		return rp_error_set(RP_EINVAL,
				    "%s is an LDAP setting; DirectorySource=nspi "
				    "matches by X500 proxy and SMTP address",
				    cfg->ldap.start_tls ? "DirectoryStartTLS"
							: "DirectoryMatchX500");
	return dir_open_nspi(&cfg->nspi, out);
}

/* ---- the backend -------------------------------------------------------- */

static enum dir_kind kind_of(uint32_t display_type)
{
	switch (display_type) {
	case 0: /* DT_MAILUSER */
	case 3: /* DT_AGENT */
	case 4: /* DT_ORGANIZATION */
		return DIR_KIND_MAILBOX;
	case 1: /* DT_DISTLIST */
	case 5: /* DT_PRIVATE_DISTLIST */
		return DIR_KIND_DL;
	case 2: /* DT_FORUM */
		return DIR_KIND_PUBLIC_FOLDER;
	case 6: /* DT_REMOTE_MAILUSER */
		return DIR_KIND_CONTACT;
	default:
		return DIR_KIND_UNKNOWN;
	}
}

static void count(dir_resolver *r, struct nspi_impl *ni)
{
	unsigned long req = mbx_ab_requests(ni->src), binds = mbx_ab_binds(ni->src);
	if (ni->tgt != ni->src) {
		req += mbx_ab_requests(ni->tgt);
		binds += mbx_ab_binds(ni->tgt);
	}
	r->stats.binds += binds - ni->seen_binds;
	r->stats.searches += (req - ni->seen_requests) - (binds - ni->seen_binds);
	ni->seen_requests = req;
	ni->seen_binds = binds;
}

/* Looks names up in ab, DNs or (dns false) names by ANR; ok[i] and e[i] set
 * for the names found. Skips NULL names. */
static int lookup(mbx_ab *ab, bool dns, const char **names, size_t n, int batch, bool *ok,
		  mbx_ab_entry *e)
{
	const char **part = malloc(n * sizeof(*part));
	size_t *idx = malloc(n * sizeof(*idx));
	uint32_t *st = malloc(n * sizeof(*st));
	bool *fd = malloc(n * sizeof(*fd));
	mbx_ab_entry *pe = calloc(n ? n : 1, sizeof(*pe));
	int rc = RP_OK;

	if (!part || !idx || !st || !fd || !pe) {
		rc = rp_error_set(RP_ENOMEM, "directory: out of memory");
		goto done;
	}
	for (size_t start = 0; start < n && rc == RP_OK;) {
		size_t k = 0;
		for (; start < n && k < (size_t)batch; start++)
			if (names[start] && !ok[start]) {
				idx[k] = start;
				part[k++] = names[start];
			}
		if (!k)
			break;
		rc = dns ? mbx_ab_find_dns(ab, part, k, fd, pe)
			 : mbx_ab_resolve(ab, part, k, st, pe);
		for (size_t j = 0; j < k; j++) {
			bool hit =
			    rc == RP_OK && (dns ? fd[j] : st[j] == MBX_MID_RESOLVED);
			if (hit) {
				e[idx[j]] = pe[j];
				ok[idx[j]] = true;
			} else {
				mbx_ab_entry_free(&pe[j]);
			}
		}
	}
done:
	free(part);
	free(idx);
	free(st);
	free(fd);
	free(pe);
	return rc;
}

static bool is_ascii(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static int nspi_resolve(dir_resolver *r, const dir_source_key *keys, size_t n,
			dir_recipient *out, int *status)
{
	struct nspi_impl *ni = r->impl;
	const char **names = calloc(n ? n : 1, sizeof(*names));
	bool *sok = calloc(n ? n : 1, sizeof(*sok)),
	     *tok = calloc(n ? n : 1, sizeof(*tok));
	mbx_ab_entry *se = calloc(n ? n : 1, sizeof(*se)),
		     *te = calloc(n ? n : 1, sizeof(*te));
	int rc = RP_OK;

	if (!names || !sok || !tok || !se || !te) {
		rc = rp_error_set(RP_ENOMEM, "directory: out of memory");
		goto done;
	}
	/* 1. the source objects: DNs, then SMTP addresses */
	for (size_t i = 0; i < n; i++)
		names[i] = keys[i].kind == DIR_KEY_LEGACY_DN && is_ascii(keys[i].value)
			       ? keys[i].value
			       : NULL;
	if ((rc = lookup(ni->src, true, names, n, ni->batch, sok, se)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++)
		names[i] = keys[i].kind == DIR_KEY_SMTP ? keys[i].value : NULL;
	if ((rc = lookup(ni->src, false, names, n, ni->batch, sok, se)) < 0)
		goto done;
	/* 2. the targets: by the source DN (an X500 proxy there), then by the
	 * source's primary SMTP address */
	for (size_t i = 0; i < n; i++)
		names[i] = sok[i] && is_ascii(se[i].legacy_dn) ? se[i].legacy_dn : NULL;
	if ((rc = lookup(ni->tgt, true, names, n, ni->batch, tok, te)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++)
		names[i] = sok[i] && !tok[i] ? se[i].smtp : NULL;
	if ((rc = lookup(ni->tgt, false, names, n, ni->batch, tok, te)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		dir_recipient *o = &out[i];
		status[i] = RP_ENOTFOUND;
		if (!tok[i])
			continue;
		memset(o, 0, sizeof(*o));
		o->legacy_dn = dir_keep(r, te[i].legacy_dn, (size_t)-1);
		o->smtp = dir_keep(r, te[i].smtp, (size_t)-1);
		o->display_name = dir_keep(r, te[i].display_name, (size_t)-1);
		o->kind = kind_of(te[i].display_type);
		o->source_legacy_dn = dir_keep(r, se[i].legacy_dn, (size_t)-1);
		o->source_smtp = dir_keep(r, se[i].smtp, (size_t)-1);
		if ((te[i].legacy_dn && !o->legacy_dn) || (te[i].smtp && !o->smtp) ||
		    (te[i].display_name && !o->display_name) ||
		    (se[i].legacy_dn && !o->source_legacy_dn) ||
		    (se[i].smtp && !o->source_smtp)) {
			rc = RP_ENOMEM;
			goto done;
		}
		status[i] = RP_OK;
	}
done:
	count(r, ni);
	for (size_t i = 0; se && te && i < n; i++) {
		mbx_ab_entry_free(&se[i]);
		mbx_ab_entry_free(&te[i]);
	}
	free(names);
	free(sok);
	free(tok);
	free(se);
	free(te);
	return rc;
}

static void nspi_close(void *p)
{
	struct nspi_impl *ni = p;
	if (!ni)
		return;
	if (ni->tgt != ni->src)
		mbx_ab_close(ni->tgt);
	mbx_ab_close(ni->src);
	free(ni);
}

static const struct dir_backend nspi_backend = {
    .name = "nspi",
    .resolve = nspi_resolve,
    .scp_urls = NULL,
    .close = nspi_close,
};

static int open_side(const dir_nspi_config *cfg, const dir_nspi_server *s,
		     const char *side, mbx_ab **out)
{
	mbx_http_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.url = s->url;
	o.user = empty(s->user) ? NULL : s->user;
	o.password = s->password;
	o.bearer = empty(s->bearer) ? NULL : s->bearer;
	o.ca_file = empty(cfg->ca_file) ? NULL : cfg->ca_file;
	o.connect_to = cfg->connect_to;
	o.timeout_s = cfg->timeout_s;
	if ((rc = mbx_ab_open(&o, out)) < 0)
		return rp_error_wrap(rc, "Directory%sURI", side);
	return RP_OK;
}

int dir_open_nspi(const dir_nspi_config *cfg, dir_resolver **out)
{
	struct nspi_impl *ni;
	int rc;

	*out = NULL;
	if (empty(cfg->source.url))
		return rp_error_set(
		    RP_EINVAL, "DirectorySourceURI: the source address book URL "
			       "(https://host/mapi/nspi/?MailboxId=...) is required");
	if (cfg->batch < 0 || cfg->batch > DIR_MAX_BATCH)
		return rp_error_set(RP_EINVAL,
				    "DirectoryBatchSize: %d is not from 1 to %d",
				    cfg->batch, DIR_MAX_BATCH);
	ni = calloc(1, sizeof(*ni));
	if (!ni)
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	ni->batch = cfg->batch ? cfg->batch : DIR_DEFAULT_BATCH;
	if ((rc = open_side(cfg, &cfg->source, "Source", &ni->src)) < 0) {
		free(ni);
		return rc;
	}
	if (empty(cfg->target.url)) {
		ni->tgt = ni->src;
	} else if ((rc = open_side(cfg, &cfg->target, "Target", &ni->tgt)) < 0) {
		nspi_close(ni);
		return rc;
	}
	return dir_resolver_new(&nspi_backend, ni, ni->batch, out);
}
