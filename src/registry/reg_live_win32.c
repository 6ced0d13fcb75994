/* reg_live_win32.c - the live Windows registry through advapi32.
 *
 * Nodes are open HKEYs (the store's root handle is never closed by
 * release). Names cross the API boundary as UTF-16 (the W functions); data
 * is passed through untouched. Every write is immediate, so commit is a
 * no-op: atomicity across several writes is the applier's job (run/). */
#include "reg_internal.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>
#include <windows.h>

struct live_store {
	reg_store base;
	HKEY root;
	bool own_root; /* opened by us (HKEY_USERS\name), closed at the end */
	REGSAM sam;
};

static struct live_store *LS(reg_store *s)
{
	return (struct live_store *)s;
}

static HKEY K(reg_node n)
{
	return (HKEY)n;
}

/* malloc'd NUL-terminated UTF-16 copy of a UTF-8 name. */
static wchar_t *wname(const char *name)
{
	rp_buf b = RP_BUF_INIT;
	if (rp_utf8_to_utf16le(name, strlen(name), &b, true) < 0) {
		rp_buf_free(&b);
		return NULL;
	}
	return (wchar_t *)rp_buf_steal(&b, NULL);
}

static int werr(LONG e, const char *what, const char *name)
{
	int code = RP_EIO;
	if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
		code = RP_ENOTFOUND;
	else if (e == ERROR_ACCESS_DENIED)
		code = RP_EINVAL;
	else if (e == ERROR_NOT_ENOUGH_MEMORY || e == ERROR_OUTOFMEMORY)
		code = RP_ENOMEM;
	return rp_error_set(code, "%s '%s' failed (Windows error %ld)", what, name,
			    (long)e);
}

static int l_root(reg_store *s, reg_node *out)
{
	*out = (reg_node)LS(s)->root;
	return RP_OK;
}

static void l_release(reg_store *s, reg_node n)
{
	if (n && K(n) != LS(s)->root)
		RegCloseKey(K(n));
}

static int l_children(reg_store *s, reg_node n, reg_names *names, reg_node **nodes)
{
	DWORD count = 0, maxlen = 0, i;
	wchar_t *buf;
	LONG e;
	(void)s;

	names->v = NULL;
	names->n = 0;
	if (nodes)
		*nodes = NULL; /* opening every child would be wasteful */
	e = RegQueryInfoKeyW(K(n), NULL, NULL, NULL, &count, &maxlen, NULL, NULL, NULL,
			     NULL, NULL, NULL);
	if (e != ERROR_SUCCESS)
		return werr(e, "RegQueryInfoKeyW", "");
	names->v = calloc(count ? count : 1, sizeof(char *));
	buf = malloc((maxlen + 1) * sizeof(wchar_t));
	if (!names->v || !buf) {
		free(buf);
		reg_names_free(names);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	for (i = 0; i < count; i++) {
		DWORD len = maxlen + 1;
		int rc;
		e = RegEnumKeyExW(K(n), i, buf, &len, NULL, NULL, NULL, NULL);
		if (e == ERROR_NO_MORE_ITEMS)
			break; /* a key deleted meanwhile */
		if (e != ERROR_SUCCESS) {
			free(buf);
			reg_names_free(names);
			return werr(e, "RegEnumKeyExW", "");
		}
		rc = rp_utf16le_to_utf8((const uint8_t *)buf, len * sizeof(wchar_t),
					&names->v[names->n]);
		if (rc < 0) {
			free(buf);
			reg_names_free(names);
			return rc;
		}
		names->n++;
	}
	free(buf);
	return RP_OK;
}

static int l_child(reg_store *s, reg_node parent, const char *name, reg_node *out)
{
	wchar_t *w = wname(name);
	HKEY h;
	LONG e;
	if (!w)
		return rp_error_set(RP_EINVAL, "key name '%s' is not valid UTF-8", name);
	e = RegOpenKeyExW(K(parent), w, 0, LS(s)->sam, &h);
	free(w);
	if (e == ERROR_FILE_NOT_FOUND)
		return RP_ENOTFOUND;
	if (e != ERROR_SUCCESS)
		return werr(e, "RegOpenKeyExW", name);
	*out = (reg_node)h;
	return RP_OK;
}

static int l_values(reg_store *s, reg_node n, reg_values *out)
{
	DWORD count = 0, maxname = 0, maxdata = 0, i;
	unsigned retries = 0;
	wchar_t *nbuf = NULL;
	uint8_t *dbuf = NULL;
	LONG e;
	int rc = RP_OK;
	(void)s;

	out->v = NULL;
	out->n = 0;
	e = RegQueryInfoKeyW(K(n), NULL, NULL, NULL, NULL, NULL, NULL, &count, &maxname,
			     &maxdata, NULL, NULL);
	if (e != ERROR_SUCCESS)
		return werr(e, "RegQueryInfoKeyW", "");
	out->v = calloc(count ? count : 1, sizeof(reg_value));
	nbuf = malloc((maxname + 1) * sizeof(wchar_t));
	dbuf = malloc(maxdata ? maxdata : 1);
	if (!out->v || !nbuf || !dbuf) {
		rc = rp_error_set(RP_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < count; i++) {
		DWORD nlen = maxname + 1, dlen = maxdata, type = 0;
		reg_value *v = &out->v[out->n];
		e = RegEnumValueW(K(n), i, nbuf, &nlen, NULL, &type, dbuf, &dlen);
		if (e == ERROR_MORE_DATA) {
			/* A value grew (or a longer name appeared) since
			 * RegQueryInfoKeyW: size the buffers again and retry. */
			DWORD mn = 0, md = 0;
			wchar_t *nn;
			uint8_t *nd;
			if (++retries > 8) {
				rc = rp_error_set(RP_EIO,
						  "value keeps changing while read");
				goto out;
			}
			e = RegQueryInfoKeyW(K(n), NULL, NULL, NULL, NULL, NULL, NULL,
					     NULL, &mn, &md, NULL, NULL);
			if (e != ERROR_SUCCESS) {
				rc = werr(e, "RegQueryInfoKeyW", "");
				goto out;
			}
			if (md < dlen)
				md = dlen;
			if (md > REG_MAX_VALUE_LEN) {
				rc = rp_error_set(RP_ELIMIT, "value larger than %u bytes",
						  REG_MAX_VALUE_LEN);
				goto out;
			}
			nn = realloc(nbuf, (mn + 1) * sizeof(wchar_t));
			if (nn)
				nbuf = nn;
			nd = realloc(dbuf, md ? md : 1);
			if (nd)
				dbuf = nd;
			if (!nn || !nd) {
				rc = rp_error_set(RP_ENOMEM, "out of memory");
				goto out;
			}
			maxname = mn;
			maxdata = md;
			i--;
			continue;
		}
		if (e == ERROR_NO_MORE_ITEMS)
			break;
		if (e != ERROR_SUCCESS) {
			rc = werr(e, "RegEnumValueW", "");
			goto out;
		}
		rc = rp_utf16le_to_utf8((const uint8_t *)nbuf, nlen * sizeof(wchar_t),
					&v->name);
		if (rc < 0)
			goto out;
		v->type = type;
		v->len = dlen;
		if (dlen) {
			v->data = malloc(dlen);
			if (!v->data) {
				free(v->name);
				v->name = NULL;
				rc = rp_error_set(RP_ENOMEM, "out of memory");
				goto out;
			}
			memcpy(v->data, dbuf, dlen);
		}
		out->n++;
	}
out:
	free(nbuf);
	free(dbuf);
	if (rc < 0)
		reg_values_free(out);
	return rc;
}

static int l_add_child(reg_store *s, reg_node parent, const char *name, reg_node *out)
{
	wchar_t *w = wname(name);
	HKEY h;
	DWORD disp;
	LONG e;
	if (!w)
		return rp_error_set(RP_EINVAL, "key name '%s' is not valid UTF-8", name);
	e = RegCreateKeyExW(K(parent), w, 0, NULL, REG_OPTION_NON_VOLATILE, LS(s)->sam,
			    NULL, &h, &disp);
	free(w);
	if (e != ERROR_SUCCESS)
		return werr(e, "RegCreateKeyExW", name);
	*out = (reg_node)h;
	return RP_OK;
}

static int l_delete_child(reg_store *s, reg_node parent, const char *name)
{
	wchar_t *w = wname(name);
	LONG e;
	(void)s;
	if (!w)
		return rp_error_set(RP_EINVAL, "key name '%s' is not valid UTF-8", name);
	/* reg.c has emptied it already; the tree delete also covers a subkey
	 * created meanwhile by another process. */
	e = RegDeleteTreeW(K(parent), w);
	if (e == ERROR_SUCCESS)
		e = RegDeleteKeyW(K(parent), w);
	free(w);
	if (e == ERROR_FILE_NOT_FOUND)
		return RP_OK; /* RegDeleteTreeW removed the key itself */
	if (e != ERROR_SUCCESS)
		return werr(e, "RegDeleteKeyW", name);
	return RP_OK;
}

static int l_set_value(reg_store *s, reg_node n, const char *name, uint32_t type,
		       const void *data, size_t len)
{
	wchar_t *w = wname(name);
	LONG e;
	(void)s;
	if (!w)
		return rp_error_set(RP_EINVAL, "value name '%s' is not valid UTF-8",
				    name);
	e = RegSetValueExW(K(n), w, 0, type, (const BYTE *)data, (DWORD)len);
	free(w);
	if (e != ERROR_SUCCESS)
		return werr(e, "RegSetValueExW", name);
	return RP_OK;
}

static int l_delete_value(reg_store *s, reg_node n, const char *name)
{
	wchar_t *w = wname(name);
	LONG e;
	(void)s;
	if (!w)
		return rp_error_set(RP_EINVAL, "value name '%s' is not valid UTF-8",
				    name);
	e = RegDeleteValueW(K(n), w);
	free(w);
	if (e == ERROR_FILE_NOT_FOUND)
		return RP_ENOTFOUND;
	if (e != ERROR_SUCCESS)
		return werr(e, "RegDeleteValueW", name);
	return RP_OK;
}

static int l_commit(reg_store *s)
{
	(void)s;
	return RP_OK; /* writes are immediate */
}

static void l_close(reg_store *s)
{
	struct live_store *ls = LS(s);
	if (ls->own_root)
		RegCloseKey(ls->root);
	reg_store_fini(s);
	free(ls);
}

static const struct reg_backend live_backend = {
    .kind = "live",
    .root = l_root,
    .release = l_release,
    .children = l_children,
    .child = l_child,
    .values = l_values,
    .add_child = l_add_child,
    .delete_child = l_delete_child,
    .set_value = l_set_value,
    .delete_value = l_delete_value,
    .commit = l_commit,
    .close = l_close,
};

int reg_open_live(reg_store **out, const char *root, unsigned flags)
{
	static const char users[] = "HKEY_USERS\\";
	struct live_store *ls;
	char *label;
	int rc;

	*out = NULL;
	ls = calloc(1, sizeof(*ls));
	if (!ls)
		return rp_error_set(RP_ENOMEM, "out of memory");
	ls->sam = KEY_READ | ((flags & REG_OPEN_WRITE) ? KEY_WRITE : 0);
	if (!root || rp_ascii_casecmp(root, "HKEY_CURRENT_USER") == 0 ||
	    rp_ascii_casecmp(root, "HKCU") == 0) {
		ls->root = HKEY_CURRENT_USER;
		label = rp_strdup("(live HKCU)");
	} else if (rp_ascii_ncasecmp(root, users, sizeof(users) - 1) == 0 &&
		   root[sizeof(users) - 1]) {
		wchar_t *w = wname(root + sizeof(users) - 1);
		LONG e;
		if (!w) {
			free(ls);
			return rp_error_set(RP_EINVAL,
					    "live root '%s' is not valid UTF-8", root);
		}
		e = RegOpenKeyExW(HKEY_USERS, w, 0, ls->sam, &ls->root);
		free(w);
		if (e != ERROR_SUCCESS) {
			free(ls);
			rc = werr(e, "RegOpenKeyExW", root);
			return rp_error_wrap(rc, "opening the live registry");
		}
		ls->own_root = true;
		label = rp_asprintf("(live %s)", root);
	} else {
		free(ls);
		return rp_error_set(
		    RP_EINVAL,
		    "live root '%s': want HKEY_CURRENT_USER or HKEY_USERS\\<name>", root);
	}
	if (!label) {
		l_close(&ls->base);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	rc = reg_store_init(&ls->base, &live_backend, label, flags);
	free(label);
	if (rc < 0) {
		if (ls->own_root)
			RegCloseKey(ls->root);
		free(ls);
		return rc;
	}
	*out = &ls->base;
	return RP_OK;
}
