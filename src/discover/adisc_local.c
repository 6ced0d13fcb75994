/* adisc_local.c - local Autodiscover XML files and the resolver plumbing.
 *
 * Outlook's local-XML method maps a domain to a file (registry value named
 * after the domain, reference/autodiscover-directory.md 1.5); the guide's
 * UseLocalAutodiscoverXMLs adds per-user files. Rule here: "<address>.xml"
 * first, then "<domain>.xml", names compared ASCII-case-insensitively so a
 * folder prepared on Windows works unchanged on a case-sensitive file system. */
#include "discover/adisc.h"
#include "discover/adisc_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "platform/plat.h"

#include <stdlib.h>
#include <string.h>

const char *adisc_address_domain(const char *address)
{
	const char *at = address ? strrchr(address, '@') : NULL;
	return at && at != address && at[1] ? at + 1 : NULL;
}

/* An address we are willing to turn into a file name. */
static bool address_ok(const char *a)
{
	const char *p;
	if (!adisc_address_domain(a) || a[0] == '.')
		return false;
	for (p = a; *p; p++)
		if ((unsigned char)*p < 0x20 || strchr("/\\:*?\"<>|", *p))
			return false;
	return p - a < 256;
}

void adisc_result_free(adisc_result *res)
{
	size_t i;
	if (!res)
		return;
	adisc_response_free(res->resp);
	free(res->address);
	free(res->origin);
	for (i = 0; i < res->n_hops; i++)
		free(res->hops[i]);
	free(res->hops);
	free(res);
}

static int add_hop(adisc_result *res, const char *kind, const char *v)
{
	char **h = realloc(res->hops, (res->n_hops + 1) * sizeof(*h));
	if (!h)
		return adisc_err(RP_ENOMEM, "out of memory");
	res->hops = h;
	if (!(h[res->n_hops] = rp_asprintf("%s:%s", kind, v)))
		return adisc_err(RP_ENOMEM, "out of memory");
	res->n_hops++;
	return RP_OK;
}

/* A folder's file names, read once per resolver: a lookup then costs no
 * directory scan (a bulk run over 1,000 hives looked 1,000 times). */
struct local_dir {
	char *dir;
	plat_dirent *ents;
	size_t n;
};

static int local_dir_load(struct local_dir *ld, const char *dir)
{
	int rc;
	memset(ld, 0, sizeof(*ld));
	if (!(ld->dir = rp_strdup(dir)))
		return adisc_err(RP_ENOMEM, "out of memory");
	rc = plat_list_dir(dir, &ld->ents, &ld->n);
	if (rc < 0) {
		free(ld->dir);
		ld->dir = NULL;
		return adisc_err(RP_EIO, "%s: cannot read local Autodiscover folder",
				 dir);
	}
	return RP_OK;
}

static void local_dir_free(struct local_dir *ld)
{
	plat_dir_free(ld->ents, ld->n);
	free(ld->dir);
	memset(ld, 0, sizeof(*ld));
}

/* Finds want in the folder ignoring ASCII case; an exact match wins, otherwise
 * the byte-wise smallest of the case variants, so the choice is deterministic.
 * Returns a malloc'd path or NULL (*rc set on failure). */
static char *find_file(const struct local_dir *ld, const char *want, int *rc)
{
	const char *best = NULL;
	char *path;
	size_t i;
	*rc = RP_OK;
	for (i = 0; i < ld->n; i++) {
		const char *name = ld->ents[i].name;
		if (ld->ents[i].is_dir || rp_ascii_casecmp(name, want) != 0)
			continue;
		if (!best || strcmp(name, want) == 0 ||
		    (strcmp(best, want) != 0 && strcmp(name, best) < 0))
			best = name;
	}
	if (!best)
		return NULL;
	path = rp_asprintf("%s/%s", ld->dir, best);
	if (!path)
		*rc = adisc_err(RP_ENOMEM, "out of memory");
	return path;
}

/* Path of the file that answers for address, or NULL with *rc set. */
static char *local_file_for(const struct local_dir *ld, const char *address, int *rc)
{
	const char *dir = ld->dir;
	char *name = rp_asprintf("%s.xml", address), *dname, *path;
	const char *domain = adisc_address_domain(address);
	if (!name)
		return *rc = adisc_err(RP_ENOMEM, "out of memory"), NULL;
	path = find_file(ld, name, rc);
	if (path || *rc) {
		free(name);
		return path;
	}
	dname = rp_asprintf("%s.xml", domain);
	if (!dname) {
		free(name);
		return *rc = adisc_err(RP_ENOMEM, "out of memory"), NULL;
	}
	path = find_file(ld, dname, rc);
	if (!path && !*rc)
		*rc = adisc_err(RP_ENOTFOUND,
				"%s: no local Autodiscover file '%s' or '%s' for '%s'",
				dir, name, dname, address);
	free(name);
	free(dname);
	return path;
}

/* Maps a final response to the resolver's return code (see adisc.h). */
static int classify(const adisc_result *res)
{
	const adisc_response *r = res->resp;
	if (r->error.code_text) {
		char *m = adisc_one_line(r->error.message ? r->error.message : "");
		int rc = adisc_err(
		    r->error.code == 500 || r->error.code == 501 ? RP_ENOTFOUND : RP_ENET,
		    "%s: Autodiscover error %d for '%s': %s", res->origin, r->error.code,
		    res->address, m ? m : "");
		free(m);
		return rc;
	}
	switch (r->action) {
	case ADISC_ACTION_SETTINGS:
		return RP_OK;
	case ADISC_ACTION_REDIRECT_URL:
		return adisc_err(RP_ENET,
				 "%s: redirectUrl to '%s' for '%s' needs the network "
				 "Autodiscover client",
				 res->origin, r->redirect_url, res->address);
	default: {
		char *a = adisc_one_line(r->action_text ? r->action_text : "");
		int rc = adisc_err(RP_EFORMAT, "%s: Account/Action '%s' is not handled",
				   res->origin, a ? a : "");
		free(a);
		return rc;
	}
	}
}

static int lookup_in(const struct local_dir *ld, const char *address, adisc_result **out)
{
	adisc_result *res;
	char *path;
	int rc, redirects = 0;

	*out = NULL;
	if (!address_ok(address))
		return adisc_err(RP_EINVAL, "'%s' is not an SMTP address",
				 address ? address : "");
	if (!(res = calloc(1, sizeof(*res))) || !(res->address = rp_strdup(address))) {
		free(res);
		return adisc_err(RP_ENOMEM, "out of memory");
	}
	for (;;) {
		adisc_response *r = NULL;
		size_t i;

		path = local_file_for(ld, res->address, &rc);
		if (!path)
			break;
		rc = adisc_parse_file(path, &r);
		if (rc) {
			free(path);
			break;
		}
		adisc_response_free(res->resp);
		res->resp = r;
		free(res->origin);
		res->origin = path;
		if (r->action != ADISC_ACTION_REDIRECT_ADDR || r->error.code_text) {
			rc = classify(res);
			break;
		}
		/* redirectAddr: same address or one already visited is a loop
		 * (MSDocs-EX handling-autodiscover-error-messages.md). */
		if (rp_ascii_casecmp(r->redirect_addr, res->address) == 0 ||
		    rp_ascii_casecmp(r->redirect_addr, address) == 0)
			rc = RP_ELIMIT;
		for (i = 0; i < res->n_hops && !rc; i++)
			if (rp_ascii_casecmp(res->hops[i] + 5, r->redirect_addr) == 0)
				rc = RP_ELIMIT;
		if (rc) {
			rc = adisc_err(RP_ELIMIT, "%s: redirectAddr loop at '%s'",
				       res->origin, r->redirect_addr);
			break;
		}
		if (++redirects > ADISC_MAX_REDIRECTS) {
			rc = adisc_err(RP_ELIMIT,
				       "%s: more than %d Autodiscover redirects for '%s'",
				       res->origin, ADISC_MAX_REDIRECTS, address);
			break;
		}
		if (!address_ok(r->redirect_addr)) {
			rc = adisc_err(
			    RP_EFORMAT,
			    "%s: Account/RedirectAddr '%s' is not an SMTP address",
			    res->origin, r->redirect_addr);
			break;
		}
		if ((rc = add_hop(res, "addr", r->redirect_addr)) != RP_OK)
			break;
		free(res->address);
		if (!(res->address = rp_strdup(r->redirect_addr))) {
			rc = adisc_err(RP_ENOMEM, "out of memory");
			break;
		}
	}
	if (res->resp)
		*out = res;
	else
		adisc_result_free(res);
	return rc;
}

int adisc_local_lookup(const char *dir, const char *address, adisc_result **out)
{
	struct local_dir ld;
	int rc;
	*out = NULL;
	if ((rc = local_dir_load(&ld, dir)) < 0)
		return rc;
	rc = lookup_in(&ld, address, out);
	local_dir_free(&ld);
	return rc;
}

/* ---- resolver over local files ---- */

struct local_resolver {
	adisc_resolver base;
	char *dir;
	struct local_dir ld; /* read at the first lookup */
	bool loaded;
};

static int local_lookup(adisc_resolver *self, const char *address, adisc_result **out)
{
	struct local_resolver *lr = (struct local_resolver *)self;
	int rc;
	*out = NULL;
	if (!lr->loaded) {
		if ((rc = local_dir_load(&lr->ld, lr->dir)) < 0)
			return rc;
		lr->loaded = true;
	}
	return lookup_in(&lr->ld, address, out);
}

static void local_destroy(adisc_resolver *self)
{
	struct local_resolver *lr = (struct local_resolver *)self;
	if (lr->loaded)
		local_dir_free(&lr->ld);
	free(lr->dir);
	free(self);
}

adisc_resolver *adisc_local_resolver_new(const char *dir)
{
	struct local_resolver *lr = calloc(1, sizeof(*lr));
	if (!lr || !(lr->dir = rp_strdup(dir))) {
		free(lr);
		adisc_err(RP_ENOMEM, "out of memory");
		return NULL;
	}
	lr->base.lookup = local_lookup;
	lr->base.destroy = local_destroy;
	return &lr->base;
}

void adisc_resolver_free(adisc_resolver *r)
{
	if (r)
		r->destroy(r);
}

/* ---- chain ---- */

struct chain_resolver {
	adisc_resolver base;
	adisc_resolver *first, *second;
};

static int chain_lookup(adisc_resolver *self, const char *address, adisc_result **out)
{
	struct chain_resolver *c = (struct chain_resolver *)self;
	int rc = adisc_lookup(c->first, address, out);
	if (rc != RP_ENOTFOUND || *out)
		return rc;
	return adisc_lookup(c->second, address, out);
}

static void chain_destroy(adisc_resolver *self)
{
	struct chain_resolver *c = (struct chain_resolver *)self;
	adisc_resolver_free(c->first);
	adisc_resolver_free(c->second);
	free(c);
}

adisc_resolver *adisc_chain_resolver_new(adisc_resolver *first, adisc_resolver *second)
{
	struct chain_resolver *c = calloc(1, sizeof(*c));
	if (!c || !first || !second) {
		adisc_resolver_free(first);
		adisc_resolver_free(second);
		free(c);
		adisc_err(RP_ENOMEM, "out of memory");
		return NULL;
	}
	c->base.lookup = chain_lookup;
	c->base.destroy = chain_destroy;
	c->first = first;
	c->second = second;
	return &c->base;
}
