/* dir.c - the resolver: cache, batching, counters, and the small helpers every
 * backend shares. Backends only answer cache misses. */
#include "dir_impl.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static unsigned char fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* FNV-1a over ASCII-folded bytes: keys that differ only in ASCII case share
 * a slot. Non-ASCII case variants are merely cache misses, never wrong hits,
 * because entries are compared with rp_name_eq after the hash. */
static size_t key_hash(enum dir_key_kind kind, const char *v)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)kind;
	for (; *v; v++) {
		h ^= fold((unsigned char)*v);
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

int dir_resolver_new(const struct dir_backend *be, void *impl, int batch,
		     dir_resolver **out)
{
	dir_resolver *r = calloc(1, sizeof(*r));
	*out = NULL;
	if (!r) {
		be->close(impl);
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	}
	r->be = be;
	r->impl = impl;
	r->batch = batch > 0 ? batch : DIR_DEFAULT_BATCH;
	*out = r;
	return RP_OK;
}

void dir_close(dir_resolver *r)
{
	size_t i;
	if (!r)
		return;
	if (r->be && r->be->close)
		r->be->close(r->impl);
	for (i = 0; i < r->nents; i++)
		free(r->ents[i].value);
	for (i = 0; i < r->nkept; i++)
		free(r->kept[i]);
	free(r->ents);
	free(r->kept);
	free(r->slots);
	free(r);
}

const char *dir_keep(dir_resolver *r, const char *s, size_t n)
{
	char *c;
	if (!s)
		return NULL;
	if (r->nkept == r->cap_kept) {
		size_t nc = r->cap_kept ? r->cap_kept * 2 : 64;
		char **k = realloc(r->kept, nc * sizeof(*k));
		if (!k) {
			rp_error_set(RP_ENOMEM, "directory: out of memory");
			return NULL;
		}
		r->kept = k;
		r->cap_kept = nc;
	}
	c = n == (size_t)-1 ? rp_strdup(s) : rp_strndup(s, n);
	if (!c) {
		rp_error_set(RP_ENOMEM, "directory: out of memory");
		return NULL;
	}
	r->kept[r->nkept++] = c;
	return c;
}

static struct dir_cache_ent *cache_find(dir_resolver *r, const dir_source_key *k)
{
	size_t i, mask;
	if (!r->nslots)
		return NULL;
	mask = r->nslots - 1;
	for (i = key_hash(k->kind, k->value) & mask; r->slots[i]; i = (i + 1) & mask) {
		struct dir_cache_ent *e = &r->ents[r->slots[i] - 1];
		if (e->kind == k->kind && rp_name_eq(e->value, k->value))
			return e;
	}
	return NULL;
}

static int cache_grow(dir_resolver *r)
{
	size_t ns = r->nslots ? r->nslots * 2 : 256, i, j, *slots;
	slots = calloc(ns, sizeof(*slots));
	if (!slots)
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	for (i = 0; i < r->nents; i++) {
		struct dir_cache_ent *e = &r->ents[i];
		for (j = key_hash(e->kind, e->value) & (ns - 1); slots[j];
		     j = (j + 1) & (ns - 1))
			;
		slots[j] = i + 1;
	}
	free(r->slots);
	r->slots = slots;
	r->nslots = ns;
	return RP_OK;
}

static int cache_add(dir_resolver *r, const dir_source_key *k, int status,
		     const dir_recipient *rec)
{
	struct dir_cache_ent *e;
	size_t j;
	int rc;
	if ((r->nents + 1) * 2 > r->nslots && (rc = cache_grow(r)) < 0)
		return rc;
	if (r->nents == r->cap_ents) {
		size_t nc = r->cap_ents ? r->cap_ents * 2 : 128;
		struct dir_cache_ent *ne = realloc(r->ents, nc * sizeof(*ne));
		if (!ne)
			return rp_error_set(RP_ENOMEM, "directory: out of memory");
		r->ents = ne;
		r->cap_ents = nc;
	}
	e = &r->ents[r->nents];
	memset(e, 0, sizeof(*e));
	e->kind = k->kind;
	e->value = rp_strdup(k->value);
	if (!e->value)
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	e->status = status;
	if (status == RP_OK)
		e->rec = *rec;
	for (j = key_hash(k->kind, k->value) & (r->nslots - 1); r->slots[j];
	     j = (j + 1) & (r->nslots - 1))
		;
	r->slots[j] = ++r->nents;
	return RP_OK;
}

static int check_key(const dir_source_key *k)
{
	if (!k || !k->value || !k->value[0] ||
	    (k->kind != DIR_KEY_LEGACY_DN && k->kind != DIR_KEY_SMTP))
		return rp_error_set(RP_EINVAL, "directory: empty or invalid lookup key");
	return RP_OK;
}

int dir_lookup_many(dir_resolver *r, const dir_source_key *keys, size_t n,
		    dir_recipient *out, int *status)
{
	dir_source_key *miss;
	dir_recipient *mrec;
	int *mst;
	size_t i, nmiss = 0, off, nslot, *seen = NULL;
	int rc = RP_OK;

	for (i = 0; i < n; i++)
		if ((rc = check_key(&keys[i])) < 0)
			return rc;
	miss = calloc(n ? n : 1, sizeof(*miss));
	mrec = calloc(n ? n : 1, sizeof(*mrec));
	mst = calloc(n ? n : 1, sizeof(*mst));
	if (!miss || !mrec || !mst) {
		rc = rp_error_set(RP_ENOMEM, "directory: out of memory");
		goto done;
	}
	r->stats.lookups += n;
	/* Distinct misses only: a key repeated inside one call is sent once.
	 * A local hash of the misses keeps this linear for big profiles. */
	for (nslot = 16; nslot < n * 2; nslot *= 2)
		;
	seen = calloc(nslot, sizeof(*seen));
	if (!seen) {
		rc = rp_error_set(RP_ENOMEM, "directory: out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		size_t j;
		bool dup = false;
		if (cache_find(r, &keys[i])) {
			r->stats.cache_hits++;
			continue;
		}
		for (j = key_hash(keys[i].kind, keys[i].value) & (nslot - 1);
		     seen[j] && !dup; j = (j + 1) & (nslot - 1))
			dup = miss[seen[j] - 1].kind == keys[i].kind &&
			      rp_name_eq(miss[seen[j] - 1].value, keys[i].value);
		if (dup) {
			r->stats.cache_hits++;
		} else {
			miss[nmiss++] = keys[i];
			seen[j] = nmiss;
		}
	}
	for (off = 0; off < nmiss; off += (size_t)r->batch) {
		size_t cnt =
		    nmiss - off < (size_t)r->batch ? nmiss - off : (size_t)r->batch;
		rc = r->be->resolve(r, miss + off, cnt, mrec + off, mst + off);
		if (rc < 0)
			goto done;
		for (i = off; i < off + cnt; i++)
			if ((rc = cache_add(r, &miss[i], mst[i], &mrec[i])) < 0)
				goto done;
	}
	for (i = 0; i < n; i++) {
		const struct dir_cache_ent *e = cache_find(r, &keys[i]);
		status[i] = e ? e->status : RP_ENOTFOUND;
		if (e && e->status == RP_OK)
			out[i] = e->rec;
		else
			memset(&out[i], 0, sizeof(out[i]));
	}
	rc = RP_OK;
done:
	free(seen);
	free(miss);
	free(mrec);
	free(mst);
	return rc;
}

int dir_lookup(dir_resolver *r, const dir_source_key *key, dir_recipient *out)
{
	int st = RP_ENOTFOUND, rc = dir_lookup_many(r, key, 1, out, &st);
	if (rc < 0)
		return rc;
	if (st == RP_ENOTFOUND)
		return rp_error_set(RP_ENOTFOUND, "directory: %s has no migrated target",
				    key->value);
	return RP_OK;
}

void dir_get_stats(const dir_resolver *r, dir_stats *out)
{
	*out = r->stats;
}

int dir_scp_urls(dir_resolver *r, const char *domain, const char *site, char ***urls,
		 size_t *n)
{
	*urls = NULL;
	*n = 0;
	if (!r->be->scp_urls)
		return rp_error_set(RP_EUNSUPPORTED,
				    "directory: the %s backend has no SCP objects",
				    r->be->name);
	return r->be->scp_urls(r, domain, site, urls, n);
}

void dir_scp_free(char **urls, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(urls[i]);
	free(urls);
}

const char *dir_proxy_value(const char *s, const char *type)
{
	size_t n = strlen(type);
	if (rp_ascii_ncasecmp(s, type, n) == 0 && s[n] == ':')
		return s + n + 1;
	return NULL;
}

int dir_key_parse(const char *s, dir_source_key *out)
{
	const char *v;
	if ((v = dir_proxy_value(s, "X500")) || (v = dir_proxy_value(s, "EX"))) {
		out->kind = DIR_KEY_LEGACY_DN;
	} else if ((v = dir_proxy_value(s, "SMTP"))) {
		out->kind = DIR_KEY_SMTP;
	} else if (s[0] == '/') {
		v = s;
		out->kind = DIR_KEY_LEGACY_DN;
	} else if (strchr(s, '@')) {
		v = s;
		out->kind = DIR_KEY_SMTP;
	} else {
		return rp_error_set(RP_EINVAL,
				    "directory: '%s' is neither a legacyExchangeDN "
				    "(/o=...) nor an SMTP address",
				    s);
	}
	if (!v[0] || (out->kind == DIR_KEY_LEGACY_DN && v[0] != '/') ||
	    (out->kind == DIR_KEY_SMTP && !strchr(v, '@')))
		return rp_error_set(RP_EINVAL, "directory: malformed address '%s'", s);
	out->value = v;
	return RP_OK;
}

static const char *const kind_names[] = {"unknown",       "mailbox", "dl",
					 "public_folder", "contact", "resource"};

const char *dir_kind_name(enum dir_kind k)
{
	if ((unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]))
		return kind_names[k];
	return "unknown";
}

int dir_kind_parse(const char *s, enum dir_kind *out)
{
	size_t i;
	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (rp_ascii_casecmp(s, kind_names[i]) == 0) {
			*out = (enum dir_kind)i;
			return RP_OK;
		}
	return rp_error_set(RP_EINVAL,
			    "unknown recipient kind '%s' (expected mailbox, dl, "
			    "public_folder, contact, resource or unknown)",
			    s);
}

/* msExchRecipientTypeDetails bit values as published by Microsoft for the
 * Exchange RecipientTypeDetails enumeration (e.g. the table reproduced at
 * identitydude.com/2014/05/09/msexchrecipienttypedetails, crediting
 * blogs.technet.com/b/benw 2007-04-05). */
static enum dir_kind kind_from_details(unsigned long long v)
{
	if (v & (1ull | 2ull | 4ull | 8ull))
		return DIR_KIND_MAILBOX; /* user, linked, shared, legacy */
	if (v & (16ull | 32ull))
		return DIR_KIND_RESOURCE; /* room, equipment */
	if (v & (64ull | 128ull | 32768ull))
		return DIR_KIND_CONTACT; /* mail contact, mail user, forest contact */
	if (v & (256ull | 512ull | 1024ull | 2048ull))
		return DIR_KIND_DL;
	if (v & 4096ull)
		return DIR_KIND_PUBLIC_FOLDER;
	if (v & (2147483648ull | 34359738368ull))
		return DIR_KIND_MAILBOX; /* remote user, remote shared */
	if (v & (8589934592ull | 17179869184ull))
		return DIR_KIND_RESOURCE; /* remote room, remote equipment */
	return DIR_KIND_UNKNOWN;
}

enum dir_kind dir_kind_from_ldap(const char *type_details, char *const *classes,
				 size_t nclasses)
{
	size_t i;
	enum dir_kind k = DIR_KIND_UNKNOWN;
	if (type_details && type_details[0]) {
		char *end;
		unsigned long long v = strtoull(type_details, &end, 10);
		if (*end == '\0')
			k = kind_from_details(v);
		if (k != DIR_KIND_UNKNOWN)
			return k;
	}
	/* objectClass names of AD (group, contact, publicFolder) and of the
	 * OpenLDAP core schema (groupOfNames...). Checked most specific first. */
	for (i = 0; i < nclasses; i++)
		if (rp_ascii_casecmp(classes[i], "publicFolder") == 0)
			return DIR_KIND_PUBLIC_FOLDER;
	for (i = 0; i < nclasses; i++)
		if (rp_ascii_casecmp(classes[i], "group") == 0 ||
		    rp_ascii_casecmp(classes[i], "groupOfNames") == 0 ||
		    rp_ascii_casecmp(classes[i], "groupOfUniqueNames") == 0 ||
		    rp_ascii_casecmp(classes[i], "msExchDynamicDistributionList") == 0)
			return DIR_KIND_DL;
	for (i = 0; i < nclasses; i++)
		if (rp_ascii_casecmp(classes[i], "contact") == 0)
			return DIR_KIND_CONTACT;
	for (i = 0; i < nclasses; i++)
		if (rp_ascii_casecmp(classes[i], "user") == 0 ||
		    rp_ascii_casecmp(classes[i], "inetOrgPerson") == 0 ||
		    rp_ascii_casecmp(classes[i], "person") == 0)
			return DIR_KIND_MAILBOX;
	return DIR_KIND_UNKNOWN;
}

char *dir_filter_escape(const char *value, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;
	char *s = malloc(len * 3 + 1);
	if (!s) {
		rp_error_set(RP_ENOMEM, "directory: out of memory");
		return NULL;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];
		/* RFC 4515 section 3: NUL * ( ) \ must be escaped as \XX; other
		 * controls may be, and are, so a filter never carries them raw */
		if (c == '*' || c == '(' || c == ')' || c == '\\' || c < 0x20 ||
		    c == 0x7f) {
			s[o++] = '\\';
			s[o++] = hex[c >> 4];
			s[o++] = hex[c & 15];
		} else {
			s[o++] = (char)c;
		}
	}
	s[o] = '\0';
	return s;
}
