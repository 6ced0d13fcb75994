/* profile_root.c - where profiles live, which root wins, the default profile
 * and the '[' escape of non-ASCII profile names. */
#include "profile.h"

#include "../base/rp_buf.h"
#include "../base/rp_err.h"
#include "../base/rp_str.h"

#include <stdlib.h>
#include <string.h>

struct root_def {
	profile_root_kind kind;
	const char *version;
	const char *path;
	const char *default_path;
};

/* ref 1.1: 2013+ keep DefaultProfile under ...\Outlook, WMS under ...\Profiles. */
static const struct root_def roots[] = {
    {PROFILE_ROOT_OFFICE16, "16.0",
     "Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles",
     "Software\\Microsoft\\Office\\16.0\\Outlook"},
    {PROFILE_ROOT_OFFICE15, "15.0",
     "Software\\Microsoft\\Office\\15.0\\Outlook\\Profiles",
     "Software\\Microsoft\\Office\\15.0\\Outlook"},
    {PROFILE_ROOT_WMS, "wms",
     "Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging "
     "Subsystem\\Profiles",
     "Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging "
     "Subsystem\\Profiles"},
};

void profile_root_free(profile_root *r)
{
	size_t i;
	if (!r)
		return;
	free(r->path);
	free(r->default_path);
	free(r->default_name);
	for (i = 0; i < r->nkeys; i++)
		free(r->keys[i]);
	free(r->keys);
	memset(r, 0, sizeof(*r));
}

static int read_default_at(reg_store *s, const char *path, char **out)
{
	reg_value v;
	int rc = reg_get_value(s, path, "DefaultProfile", &v);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		return RP_OK;
	}
	if (rc < 0)
		return rc;
	if (v.type == REG_T_SZ || v.type == REG_T_EXPAND_SZ) {
		rc = reg_data_to_utf8(&v, out);
		if (rc < 0)
			rc = rp_error_wrap(rc, "%s: %s: value DefaultProfile",
					   reg_store_name(s), path);
	}
	reg_value_free(&v);
	return rc;
}

/* 2013+ keep DefaultProfile under ...\Outlook; scripts fall back to the WMS
 * ...\Profiles value when it is absent there (ref 1.1), and so do we. */
static int read_default(reg_store *s, profile_root *r)
{
	int rc = read_default_at(s, r->default_path, &r->default_name);
	if (rc == RP_OK && !r->default_name && r->kind != PROFILE_ROOT_WMS)
		rc = read_default_at(s, roots[PROFILE_ROOT_WMS].default_path,
				     &r->default_name);
	return rc;
}

static int key_cmp(const void *a, const void *b)
{
	return rp_name_cmp(*(char *const *)a, *(char *const *)b);
}

int profile_open_root(reg_store *s, profile_root_kind kind, profile_root *out)
{
	const struct root_def *d = &roots[kind];
	reg_names names = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	rc = reg_list_subkeys(s, d->path, &names);
	if (rc == RP_ENOTFOUND || (rc == RP_OK && names.n == 0)) {
		reg_names_free(&names);
		return rp_error_set(RP_ENOTFOUND, "%s: no profiles under %s",
				    reg_store_name(s), d->path);
	}
	if (rc < 0)
		return rc;
	out->kind = kind;
	out->version = d->version;
	out->path = rp_strdup(d->path);
	out->default_path = rp_strdup(d->default_path);
	/* sorted: hives and the live registry enumerate in name order, a .reg
	 * file in file order; the same profiles must print the same way */
	qsort(names.v, names.n, sizeof(names.v[0]), key_cmp);
	out->keys = names.v;
	out->nkeys = names.n;
	if (!out->path || !out->default_path) {
		profile_root_free(out);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	rc = read_default(s, out);
	if (rc < 0)
		profile_root_free(out);
	return rc;
}

int profile_find_root(reg_store *s, profile_root *out)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		rc = profile_open_root(s, roots[i].kind, out);
		if (rc != RP_ENOTFOUND)
			return rc;
	}
	return rp_error_set(RP_ENOTFOUND,
			    "%s: no Outlook profiles (looked under Office 16.0, 15.0 and "
			    "Windows Messaging Subsystem)",
			    reg_store_name(s));
}

static bool name_matches(const char *key, const char *name)
{
	char *dec = NULL;
	bool eq;
	if (rp_name_eq(key, name))
		return true;
	if (profile_name_decode(key, &dec) < 0)
		return false;
	eq = rp_name_eq(dec, name);
	free(dec);
	return eq;
}

int profile_root_find(const profile_root *r, const char *name)
{
	size_t i;
	for (i = 0; i < r->nkeys; i++)
		if (name_matches(r->keys[i], name))
			return (int)i;
	return -1;
}

bool profile_root_is_default(const profile_root *r, const char *k)
{
	return r->default_name && name_matches(k, r->default_name);
}

int profile_name_decode(const char *key, char **out)
{
	rp_buf b = RP_BUF_INIT;
	const unsigned char *s = (const unsigned char *)key;
	size_t i, n = strlen(key);
	int rc = RP_OK;

	for (i = 0; i < n && rc == RP_OK; i++) {
		if (s[i] == '[' && i + 2 < n && s[i + 1] >= 0x70 && s[i + 1] <= 0x7F &&
		    s[i + 2] >= 0x78 && s[i + 2] <= 0x7F) {
			/* low nibble first, then high nibble; high >= 8 since only
			 * characters >= 0x80 are escaped */
			unsigned cp =
			    ((unsigned)(s[i + 2] - 0x70) << 4) | (s[i + 1] - 0x70);
			uint8_t u[2] = {(uint8_t)(0xC0 | (cp >> 6)),
					(uint8_t)(0x80 | (cp & 0x3F))};
			rc = rp_buf_append(&b, u, 2);
			i += 2;
		} else {
			rc = rp_buf_u8(&b, s[i]);
		}
	}
	if (rc == RP_OK)
		rc = rp_buf_u8(&b, 0);
	if (rc < 0) {
		rp_buf_free(&b);
		return rc;
	}
	*out = (char *)rp_buf_steal(&b, NULL);
	return RP_OK;
}

int profile_name_encode(const char *name, char **out)
{
	rp_buf b = RP_BUF_INIT;
	size_t i = 0, n = strlen(name);
	int rc = RP_OK;

	while (i < n && rc == RP_OK) {
		uint32_t cp;
		int used = rp_utf8_next(name + i, n - i, &cp);
		if (used < 0) {
			rp_buf_free(&b);
			return rp_error_set(RP_EINVAL,
					    "profile name '%s' is not valid UTF-8", name);
		}
		if (cp < 0x80) {
			rc = rp_buf_u8(&b, (uint8_t)cp);
		} else if (cp <= 0xFF) {
			uint8_t e[3] = {'[', (uint8_t)(0x70 + (cp & 0xF)),
					(uint8_t)(0x70 + (cp >> 4))};
			rc = rp_buf_append(&b, e, 3);
		} else {
			rp_buf_free(&b);
			return rp_error_set(
			    RP_EINVAL,
			    "profile name '%s': character U+%04X cannot be "
			    "stored in a profile key name",
			    name, (unsigned)cp);
		}
		i += (size_t)used;
	}
	if (rc == RP_OK)
		rc = rp_buf_u8(&b, 0);
	if (rc < 0) {
		rp_buf_free(&b);
		return rc;
	}
	*out = (char *)rp_buf_steal(&b, NULL);
	return RP_OK;
}
