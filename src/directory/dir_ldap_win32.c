/* dir_ldap_win32.c - the LDAP transport over Windows' wldap32 (Windows
 * build). Same contract as dir_ldap_openldap.c (dir_ldap_conn.h); the wide
 * (W) entry points are used so non-ASCII DNs and names survive, converting
 * UTF-8 <-> UTF-16 at this boundary. An empty bind DN binds with the
 * logged-on user's credentials (Negotiate), as the guide's CPUU does. */
#include "dir_ldap_conn.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"

#include <windows.h>
#include <winldap.h>
#include <winber.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dir_conn {
	LDAP *ld;
	char *uri;
	int timeout_s;
};

/* UTF-8 -> NUL-terminated UTF-16 in b; returns the wide string or NULL. */
static PWCHAR wide(const char *s, rp_buf *b)
{
	b->len = 0;
	if (rp_utf8_to_utf16le(s, strlen(s), b, true) < 0)
		return NULL;
	return (PWCHAR)b->data;
}

static char *narrow(const WCHAR *w)
{
	char *s = NULL;
	size_t n = 0;
	if (!w)
		return NULL;
	while (w[n])
		n++;
	if (rp_utf16le_to_utf8((const uint8_t *)w, n * 2, &s) < 0)
		return NULL;
	return s;
}

static int fail(dir_conn *c, ULONG lrc, const char *what)
{
	char *msg = narrow(ldap_err2stringW(lrc));
	int code = (lrc == LDAP_INVALID_CREDENTIALS || lrc == LDAP_INAPPROPRIATE_AUTH ||
		    lrc == LDAP_STRONG_AUTH_REQUIRED)
		       ? RP_EAUTH
		       : RP_ENET;
	rp_error_set(code, "%s: %s: %s (0x%lx)", c->uri, what, msg ? msg : "LDAP error",
		     (unsigned long)lrc);
	free(msg);
	return code;
}

void dir_conn_close(dir_conn *c)
{
	if (!c)
		return;
	if (c->ld)
		ldap_unbind(c->ld);
	free(c->uri);
	free(c);
}

/* ldap[s]://host[:port][/...] -> host, port, secure. */
static int parse_uri(const char *uri, char **host, ULONG *port, bool *secure)
{
	const char *p, *end, *colon;
	if (!rp_ascii_ncasecmp(uri, "ldaps://", 8)) {
		*secure = true;
		p = uri + 8;
		*port = LDAP_SSL_PORT;
	} else if (!rp_ascii_ncasecmp(uri, "ldap://", 7)) {
		*secure = false;
		p = uri + 7;
		*port = LDAP_PORT;
	} else {
		return rp_error_set(RP_EINVAL, "%s: not an ldap:// or ldaps:// URI", uri);
	}
	end = strchr(p, '/');
	if (!end)
		end = p + strlen(p);
	colon = memchr(p, ':', (size_t)(end - p));
	if (colon) {
		char *e;
		unsigned long v = strtoul(colon + 1, &e, 10);
		if (e != end || v == 0 || v > 65535)
			return rp_error_set(RP_EINVAL, "%s: bad port", uri);
		*port = (ULONG)v;
	} else {
		colon = end;
	}
	if (colon == p)
		return rp_error_set(RP_EINVAL, "%s: no host", uri);
	*host = rp_strndup(p, (size_t)(colon - p));
	return *host ? RP_OK : rp_error_set(RP_ENOMEM, "directory: out of memory");
}

int dir_conn_open(const dir_ldap_server *srv, bool start_tls, const char *ca_file,
		  int timeout_s, dir_conn **out)
{
	dir_conn *c;
	char *host = NULL;
	ULONG port, lrc, v3 = LDAP_VERSION3, tlim = (ULONG)timeout_s;
	bool secure;
	rp_buf wh = RP_BUF_INIT, wd = RP_BUF_INIT, wp = RP_BUF_INIT;
	struct l_timeval tv;
	int rc;

	*out = NULL;
	if (ca_file && ca_file[0])
		return rp_error_set(
		    RP_EUNSUPPORTED,
		    "DirectoryCAFile is not used on Windows: import the CA "
		    "into the Windows certificate store instead");
	if ((rc = parse_uri(srv->uri, &host, &port, &secure)) < 0)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->uri = rp_strdup(srv->uri)) || !wide(host, &wh)) {
		free(host);
		dir_conn_close(c);
		return rp_error_set(RP_ENOMEM, "directory: out of memory");
	}
	free(host);
	c->timeout_s = timeout_s;
	c->ld = secure ? ldap_sslinitW((PWCHAR)wh.data, port, 1)
		       : ldap_initW((PWCHAR)wh.data, port);
	rp_buf_free(&wh);
	if (!c->ld) {
		rc = fail(c, LdapGetLastError(), "cannot initialise");
		dir_conn_close(c);
		return rc;
	}
	ldap_set_optionW(c->ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	ldap_set_optionW(c->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
	ldap_set_optionW(c->ld, LDAP_OPT_TIMELIMIT, &tlim);
	tv.tv_sec = timeout_s;
	tv.tv_usec = 0;
	lrc = ldap_connect(c->ld, &tv);
	if (lrc != LDAP_SUCCESS) {
		rc = fail(c, lrc, "cannot connect");
		dir_conn_close(c);
		return rc;
	}
	if (start_tls && !secure) {
		ULONG srv_rc = 0;
		lrc = ldap_start_tls_sW(c->ld, &srv_rc, NULL, NULL, NULL);
		if (lrc != LDAP_SUCCESS) {
			rc = fail(c, lrc, "StartTLS failed");
			dir_conn_close(c);
			return rc;
		}
	}
	if (srv->bind_dn && srv->bind_dn[0]) {
		PWCHAR d = wide(srv->bind_dn, &wd);
		PWCHAR p = wide(srv->password ? srv->password : "", &wp);
		lrc = (d && p) ? ldap_simple_bind_sW(c->ld, d, p) : LDAP_NO_MEMORY;
	} else {
		lrc = ldap_bind_sW(c->ld, NULL, NULL, LDAP_AUTH_NEGOTIATE);
	}
	if (wp.data)
		SecureZeroMemory(wp.data, wp.cap);
	rp_buf_free(&wd);
	rp_buf_free(&wp);
	if (lrc != LDAP_SUCCESS) {
		char what[300];
		snprintf(what, sizeof(what), "bind as '%.200s' failed",
			 srv->bind_dn && srv->bind_dn[0] ? srv->bind_dn
							 : "(current user)");
		rc = fail(c, lrc, what);
		dir_conn_close(c);
		return rc;
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
	PWCHAR wdn = ldap_get_dnW(ld, m);
	char *dn = narrow(wdn);
	rp_buf wa = RP_BUF_INIT;

	if (wdn)
		ldap_memfreeW(wdn);
	memset(vals, 0, sizeof(vals));
	for (i = 0; attrs[i] && na < 16; i++) {
		PWCHAR an = wide(attrs[i], &wa);
		struct berval **bv = an ? ldap_get_values_lenW(ld, m, an) : NULL;
		size_t k, n = bv ? (size_t)ldap_count_values_len(bv) : 0;
		if (!n) {
			if (bv)
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
		if (vals[i])
			ldap_value_free_len(vals[i]);
	rp_buf_free(&wa);
	free(dn);
	return rc;
}

int dir_conn_search(dir_conn *c, const char *base, enum dir_scope scope,
		    const char *filter, const char *const *attrs, int sizelimit,
		    dir_entry_cb cb, void *ctx)
{
	rp_buf wb = RP_BUF_INIT, wf = RP_BUF_INIT;
	rp_buf wattr[16];
	PWCHAR wa[17];
	LDAPMessage *res = NULL, *m;
	struct l_timeval tv = {c->timeout_s, 0};
	size_t i, na = 0;
	ULONG lrc;
	int rc = RP_OK;

	for (i = 0; attrs[i] && na < 16; i++, na++) {
		wattr[na] = (rp_buf)RP_BUF_INIT;
		wa[na] = wide(attrs[i], &wattr[na]);
		if (!wa[na]) {
			na++;
			rc = rp_error_set(RP_ENOMEM, "directory: out of memory");
			goto done;
		}
	}
	wa[na] = NULL;
	if (!wide(base, &wb) || !wide(filter, &wf)) {
		rc = rp_error_set(RP_ENOMEM, "directory: out of memory");
		goto done;
	}
	lrc = ldap_search_ext_sW(
	    c->ld, (PWCHAR)wb.data,
	    scope == DIR_SCOPE_BASE ? LDAP_SCOPE_BASE : LDAP_SCOPE_SUBTREE,
	    (PWCHAR)wf.data, wa, 0, NULL, NULL, &tv, (ULONG)sizelimit, &res);
	/* A partial answer (size limit) could hide the right match of another
	 * key in the batch, so it is an error like any other. */
	if (lrc != LDAP_SUCCESS) {
		char what[512];
		size_t fl = strlen(filter);
		snprintf(what, sizeof(what),
			 "search base '%.150s' filter '%.200s%s' failed", base, filter,
			 fl > 200 ? "..." : "");
		rc = fail(c, lrc, what);
		goto done;
	}
	for (m = ldap_first_entry(c->ld, res); m && rc == RP_OK;
	     m = ldap_next_entry(c->ld, m))
		rc = deliver(c->ld, m, attrs, cb, ctx);
done:
	if (res)
		ldap_msgfree(res);
	for (i = 0; i < na; i++)
		rp_buf_free(&wattr[i]);
	rp_buf_free(&wb);
	rp_buf_free(&wf);
	return rc;
}
