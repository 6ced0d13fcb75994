/* dir_ldap_openldap.c - the LDAP transport over OpenLDAP's libldap (native
 * build). See dir_ldap_conn.h. */
#include "dir_ldap_conn.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <ldap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dir_conn {
	LDAP *ld;
	char *uri;
	int timeout_s;
};

static int fail(dir_conn *c, int lrc, const char *what)
{
	char *diag = NULL;
	int code =
	    (lrc == LDAP_INVALID_CREDENTIALS || lrc == LDAP_INAPPROPRIATE_AUTH ||
	     lrc == LDAP_STRONG_AUTH_REQUIRED || lrc == LDAP_CONFIDENTIALITY_REQUIRED)
		? RP_EAUTH
		: RP_ENET;
	if (c->ld)
		ldap_get_option(c->ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag);
	rp_error_set(code, "%s: %s: %s%s%s", c->uri, what, ldap_err2string(lrc),
		     diag && diag[0] ? " - " : "", diag && diag[0] ? diag : "");
	ldap_memfree(diag);
	return code;
}

void dir_conn_close(dir_conn *c)
{
	if (!c)
		return;
	if (c->ld)
		ldap_unbind_ext_s(c->ld, NULL, NULL);
	free(c->uri);
	free(c);
}

int dir_conn_open(const dir_ldap_server *srv, bool start_tls, const char *ca_file,
		  int timeout_s, dir_conn **out)
{
	dir_conn *c = calloc(1, sizeof(*c));
	int v3 = LDAP_VERSION3, lrc, zero = 0;
	struct timeval tv;
	struct berval cred;

	*out = NULL;
	if (!c || !(c->uri = rp_strdup(srv->uri))) {
		free(c);
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	}
	c->timeout_s = timeout_s;
	lrc = ldap_initialize(&c->ld, srv->uri);
	if (lrc != LDAP_SUCCESS) {
		fail(c, lrc, "bad LDAP URI");
		dir_conn_close(c);
		return RP_EINVAL;
	}
	tv.tv_sec = timeout_s;
	tv.tv_usec = 0;
	ldap_set_option(c->ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	/* AD answers with referrals to other partitions; chasing them would
	 * rebind elsewhere with our credentials, so they are ignored. */
	ldap_set_option(c->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
	ldap_set_option(c->ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
	ldap_set_option(c->ld, LDAP_OPT_TIMEOUT, &tv);
	if (ca_file && ca_file[0]) {
		int demand = LDAP_OPT_X_TLS_DEMAND;
		ldap_set_option(c->ld, LDAP_OPT_X_TLS_CACERTFILE, ca_file);
		ldap_set_option(c->ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand);
		/* a new TLS context picks up the options set on this handle */
		ldap_set_option(c->ld, LDAP_OPT_X_TLS_NEWCTX, &zero);
	}
	if (start_tls && strncmp(srv->uri, "ldaps:", 6) != 0) {
		lrc = ldap_start_tls_s(c->ld, NULL, NULL);
		if (lrc != LDAP_SUCCESS) {
			int code = fail(c, lrc, "StartTLS failed");
			dir_conn_close(c);
			return code;
		}
	}
	cred.bv_val = (char *)(srv->password ? srv->password : "");
	cred.bv_len = strlen(cred.bv_val);
	lrc =
	    ldap_sasl_bind_s(c->ld, srv->bind_dn && srv->bind_dn[0] ? srv->bind_dn : NULL,
			     LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	if (lrc != LDAP_SUCCESS) {
		char what[300];
		int code;
		snprintf(what, sizeof(what), "bind as '%.200s' failed",
			 srv->bind_dn && srv->bind_dn[0] ? srv->bind_dn : "(anonymous)");
		code = fail(c, lrc, what);
		dir_conn_close(c);
		return code;
	}
	*out = c;
	return RP_OK;
}

static int deliver(LDAP *ld, LDAPMessage *m, const char *const *attrs, dir_entry_cb cb,
		   void *ctx)
{
	struct dir_ldap_attr av[16];
	struct dir_ldap_entry e;
	struct berval **vals[16];
	size_t na = 0, i;
	int rc = RP_OK;
	char *dn = ldap_get_dn(ld, m);

	memset(vals, 0, sizeof(vals));
	for (i = 0; attrs[i] && na < 16; i++) {
		struct berval **bv = ldap_get_values_len(ld, m, attrs[i]);
		size_t k, n = bv ? (size_t)ldap_count_values_len(bv) : 0;
		if (!n) {
			ldap_value_free_len(bv);
			continue;
		}
		vals[na] = bv;
		av[na].name = attrs[i];
		av[na].vals = NULL;
		av[na].nvals = 0;
		na++;
		for (k = 0; k < n && rc == RP_OK; k++)
			rc = dir_ldap_attr_add(&av[na - 1], n, bv[k]->bv_val,
					       bv[k]->bv_len);
		if (rc < 0)
			goto done;
	}
	e.dn = dn ? dn : "";
	e.attrs = av;
	e.nattrs = na;
	rc = cb(ctx, &e);
done:
	dir_ldap_attrs_free(av, na);
	for (i = 0; i < na; i++)
		ldap_value_free_len(vals[i]);
	ldap_memfree(dn);
	return rc;
}

int dir_conn_search(dir_conn *c, const char *base, enum dir_scope scope,
		    const char *filter, const char *const *attrs, int sizelimit,
		    dir_entry_cb cb, void *ctx)
{
	LDAPMessage *res = NULL, *m;
	struct timeval tv = {c->timeout_s, 0};
	int lrc, rc = RP_OK;

	lrc = ldap_search_ext_s(
	    c->ld, base, scope == DIR_SCOPE_BASE ? LDAP_SCOPE_BASE : LDAP_SCOPE_SUBTREE,
	    filter, (char **)attrs, 0, NULL, NULL, &tv, sizelimit, &res);
	/* A partial answer (size limit) could hide the right match of another
	 * key in the batch, so it is an error like any other. */
	if (lrc != LDAP_SUCCESS) {
		char what[512];
		size_t fl = strlen(filter);
		snprintf(what, sizeof(what),
			 "search base '%.150s' filter '%.200s%s' failed", base, filter,
			 fl > 200 ? "..." : "");
		ldap_msgfree(res);
		return fail(c, lrc, what);
	}
	for (m = ldap_first_entry(c->ld, res); m && rc == RP_OK;
	     m = ldap_next_entry(c->ld, m))
		rc = deliver(c->ld, m, attrs, cb, ctx);
	ldap_msgfree(res);
	return rc;
}
