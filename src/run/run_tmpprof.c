/* run_tmpprof.c - the temporary target profile (run_tmpprof.h). */
#include "run/run_tmpprof.h"

#include "base/rp_err.h"
#include "base/rp_sha256.h"
#include "base/rp_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool run_tmpprof_is_name(const char *key)
{
	/* Positions of the dashes inside the braces. */
	static const char form[] = "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}";
	if (!key || rp_ascii_ncasecmp(key, "CPUU_", 5) != 0 || strlen(key) != 5 + 38)
		return false;
	for (size_t i = 0; i < 38; i++) {
		char c = key[5 + i];
		if (form[i] == 'x' ? !hex(c) : c != form[i])
			return false;
	}
	return true;
}

int run_tmpprof_name(reg_store *s, const char *root, const char *key, const char *seed,
		     char out[44])
{
	for (unsigned n = 0; n < 100; n++) {
		/* A name, not a secret: a digest of what tells runs apart. */
		char *in = rp_asprintf("%s\n%s\n%s\n%u", root, key, seed ? seed : "", n),
		     *path;
		uint8_t g[RP_SHA256_LEN];
		int rc;
		if (!in)
			return rp_error_set(RP_ENOMEM, "out of memory");
		rp_sha256(in, strlen(in), g);
		free(in);
		g[6] = (uint8_t)((g[6] & 0x0F) | 0x40); /* a version-4 GUID's bits */
		g[8] = (uint8_t)((g[8] & 0x3F) | 0x80);
		snprintf(
		    out, 44,
		    "CPUU_{%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%"
		    "02X%02X}",
		    g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10],
		    g[11], g[12], g[13], g[14], g[15]);
		if (!(path = rp_asprintf("%s\\%s", root, out)))
			return rp_error_set(RP_ENOMEM, "out of memory");
		rc = reg_key_exists(s, path);
		free(path);
		if (rc == RP_ENOTFOUND) {
			rp_error_clear();
			return RP_OK;
		}
		if (rc < 0)
			return rc;
	}
	return rp_error_set(RP_EEXISTS, "%s: no free temporary profile name", root);
}

int run_tmpprof_write(reg_store *s, const char *root, const char *key, const char *tmp,
		      const plan *pl)
{
	char *from = rp_asprintf("%s\\%s", root, key),
	     *to = rp_asprintf("%s\\%s", root, tmp);
	plan copy = PLAN_INIT;
	size_t nfrom;
	int rc = from && to ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
	if (!rc)
		rc = reg_copy_tree(s, from, to);
	nfrom = from ? strlen(from) : 0;
	for (size_t i = 0; !rc && i < pl->n; i++) {
		const plan_edit *e = &pl->v[i];
		char *path;
		if (plan_edit_is_file(e) ||
		    rp_ascii_ncasecmp(e->path, from, nfrom) != 0 ||
		    (e->path[nfrom] && e->path[nfrom] != '\\'))
			continue;
		if (!(path = rp_asprintf("%s%s", to, e->path + nfrom))) {
			rc = rp_error_set(RP_ENOMEM, "out of memory");
			break;
		}
		switch (e->kind) {
		case PLAN_SET_VALUE:
			rc = plan_set(&copy, path, e->name, e->type, e->data, e->len,
				      e->why);
			break;
		case PLAN_DELETE_VALUE:
			rc = plan_delete_value(&copy, path, e->name, e->why);
			break;
		case PLAN_CREATE_KEY:
			rc = plan_create_key(&copy, path, e->why);
			break;
		default:
			rc = plan_delete_key(&copy, path, e->why);
			break;
		}
		free(path);
	}
	if (!rc)
		rc = plan_apply_registry(&copy, s);
	plan_free(&copy);
	free(from);
	free(to);
	return rc;
}
