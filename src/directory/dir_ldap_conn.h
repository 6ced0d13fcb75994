/* dir_ldap_conn.h - inside the directory module only: the LDAP transport that
 * dir_ldap.c drives. Implemented once per client library, as whole files:
 * dir_ldap_openldap.c (libldap) and dir_ldap_win32.c (wldap32); the build
 * picks one. Strings are UTF-8 on both. */
#ifndef DIR_LDAP_CONN_H
#define DIR_LDAP_CONN_H

#include "dir.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct dir_conn dir_conn;

struct dir_ldap_attr {
	const char *name;
	char **vals; /* NUL-terminated values (binary attributes are not read) */
	size_t nvals;
};

struct dir_ldap_entry {
	const char *dn;
	struct dir_ldap_attr *attrs;
	size_t nattrs;
};

/* Shared by the two transports (dir_ldap.c). dir_ldap_attr_add copies one
 * counted value into a (its vals array, sized for n values, is made on the
 * first call; a NUL inside a value cuts it there). dir_ldap_attrs_free frees
 * the values of n attributes. */
int dir_ldap_attr_add(struct dir_ldap_attr *a, size_t n, const char *p, size_t len);
void dir_ldap_attrs_free(struct dir_ldap_attr *av, size_t n);

/* Called once per entry; the entry is only valid during the call. A negative
 * return stops the search and is returned by dir_conn_search. */
typedef int (*dir_entry_cb)(void *ctx, const struct dir_ldap_entry *e);

enum dir_scope { DIR_SCOPE_BASE = 0, DIR_SCOPE_SUBTREE = 2 };

/* Connects, optionally upgrades with StartTLS, and binds (simple bind with
 * srv->bind_dn/password; anonymous natively or the current user's
 * credentials on Windows when bind_dn is empty). Errors name the URI. */
int dir_conn_open(const dir_ldap_server *srv, bool start_tls, const char *ca_file,
		  int timeout_s, dir_conn **out);
/* One search request; attrs is NULL-terminated. Errors name URI, base and
 * filter. sizelimit 0 = server default; exceeding it is an error. */
int dir_conn_search(dir_conn *c, const char *base, enum dir_scope scope,
		    const char *filter, const char *const *attrs, int sizelimit,
		    dir_entry_cb cb, void *ctx);
void dir_conn_close(dir_conn *c);

#endif
