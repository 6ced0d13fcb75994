/* dir_impl.h - inside the directory module only: the resolver, its cache and
 * the backend vtable. Each backend is one whole file (dir_csv.c, dir_ldap.c). */
#ifndef DIR_IMPL_H
#define DIR_IMPL_H

#include "dir.h"

#include <stddef.h>

struct dir_backend {
	const char *name;
	/* Resolves n distinct keys that missed the cache. For each i sets
	 * status[i] to RP_OK (out[i] filled, strings from dir_keep) or
	 * RP_ENOTFOUND. Returns RP_OK or an error (message set). */
	int (*resolve)(dir_resolver *r, const dir_source_key *keys, size_t n,
		       dir_recipient *out, int *status);
	/* NULL when the backend has no SCP objects. */
	int (*scp_urls)(dir_resolver *r, const char *domain, const char *site,
			char ***urls, size_t *n);
	void (*close)(void *impl);
};

struct dir_cache_ent {
	enum dir_key_kind kind;
	char *value; /* owned */
	int status;  /* RP_OK or RP_ENOTFOUND */
	dir_recipient rec;
};

struct dir_resolver {
	const struct dir_backend *be;
	void *impl;
	int batch;
	dir_stats stats;
	/* open-addressing table of indexes into ents (+1; 0 = empty) */
	size_t *slots;
	size_t nslots;
	struct dir_cache_ent *ents;
	size_t nents, cap_ents;
	/* strings kept until dir_close */
	char **kept;
	size_t nkept, cap_kept;
};

/* Allocates a resolver around a backend; impl is owned from now on (closed
 * by be->close even on failure). */
int dir_resolver_new(const struct dir_backend *be, void *impl, int batch,
		     dir_resolver **out);
/* Copies s (n bytes, or strlen if n == (size_t)-1) into storage owned by r.
 * NULL s gives NULL. Returns NULL with RP_ENOMEM set on failure; check with
 * s != NULL. */
const char *dir_keep(dir_resolver *r, const char *s, size_t n);
/* Interprets msExchRecipientTypeDetails (decimal text, may be NULL) and the
 * objectClass values; shared by both LDAP transports. */
enum dir_kind dir_kind_from_ldap(const char *type_details, char *const *classes,
				 size_t nclasses);
/* Strips a case-insensitive "type:" prefix of a proxy address if it is the
 * given type; returns a pointer into s or NULL. */
const char *dir_proxy_value(const char *s, const char *type);

#endif
