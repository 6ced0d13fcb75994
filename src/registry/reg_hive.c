/* reg_hive.c - REGF hive files through libhivex (native build only).
 *
 * hivex keeps a writable hive wholly in memory; every edit below changes
 * that copy, and commit writes the whole image to a temporary file beside
 * the hive (hivex_commit), flushes it and renames it over the original. */
#include "reg_internal.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <errno.h>
#include <hivex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct hive_store {
	reg_store base;
	hive_h *h;
};

static hive_h *H(reg_store *s)
{
	return ((struct hive_store *)s)->h;
}

static int hive_err(reg_store *s, const char *what)
{
	int e = errno;
	if (e == ENOMEM)
		return rp_error_set(RP_ENOMEM, "out of memory");
	(void)s; /* callers add the file and key */
	return rp_error_set(RP_EFORMAT, "corrupt hive: %s (%s)", what, strerror(e));
}

static int h_root(reg_store *s, reg_node *out)
{
	hive_node_h r = hivex_root(H(s));
	if (!r)
		return hive_err(s, "no root key");
	*out = r;
	return RP_OK;
}

static int h_children(reg_store *s, reg_node n, reg_names *names, reg_node **nodes)
{
	hive_node_h *kids;
	size_t i, cnt = 0;

	names->v = NULL;
	names->n = 0;
	if (nodes)
		*nodes = NULL;
	errno = 0;
	kids = hivex_node_children(H(s), n);
	if (!kids)
		return hive_err(s, "reading subkey list");
	while (kids[cnt])
		cnt++;
	names->v = calloc(cnt ? cnt : 1, sizeof(char *));
	if (!names->v)
		goto oom;
	for (i = 0; i < cnt; i++) {
		errno = 0;
		names->v[i] = hivex_node_name(H(s), kids[i]);
		if (!names->v[i]) {
			int rc = hive_err(s, "reading key name");
			reg_names_free(names);
			free(kids);
			return rc;
		}
		names->n++;
	}
	if (nodes) {
		*nodes = malloc((cnt ? cnt : 1) * sizeof(reg_node));
		if (!*nodes)
			goto oom;
		for (i = 0; i < cnt; i++)
			(*nodes)[i] = kids[i];
	}
	free(kids);
	return RP_OK;
oom:
	reg_names_free(names);
	free(kids);
	return rp_error_set(RP_ENOMEM, "out of memory");
}

static int h_child(reg_store *s, reg_node parent, const char *name, reg_node *out)
{
	reg_names names;
	reg_node *nodes;
	size_t i;
	int rc = h_children(s, parent, &names, &nodes);
	if (rc < 0)
		return rc;
	rc = RP_ENOTFOUND;
	for (i = 0; i < names.n; i++) {
		if (strcmp(names.v[i], name) == 0) {
			*out = nodes[i];
			rc = RP_OK;
			break;
		}
	}
	free(nodes);
	reg_names_free(&names);
	return rc;
}

static int h_values(reg_store *s, reg_node n, reg_values *out)
{
	hive_value_h *vals;
	size_t i, cnt = 0;

	out->v = NULL;
	out->n = 0;
	errno = 0;
	vals = hivex_node_values(H(s), n);
	if (!vals)
		return hive_err(s, "reading value list");
	while (vals[cnt])
		cnt++;
	out->v = calloc(cnt ? cnt : 1, sizeof(reg_value));
	if (!out->v) {
		free(vals);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	for (i = 0; i < cnt; i++) {
		reg_value *v = &out->v[i];
		hive_type t;
		size_t len;
		char *data;

		errno = 0;
		v->name = hivex_value_key(H(s), vals[i]);
		if (!v->name)
			goto bad;
		out->n++;
		errno = 0;
		data = hivex_value_value(H(s), vals[i], &t, &len);
		if (!data)
			goto bad;
		if (len > REG_MAX_VALUE_LEN) {
			free(data);
			errno = EFBIG;
			goto bad;
		}
		v->type = (uint32_t)t;
		v->len = len;
		if (len) {
			v->data = (uint8_t *)data;
		} else {
			free(data);
			v->data = NULL;
		}
	}
	free(vals);
	return RP_OK;
bad : {
	int rc = hive_err(s, "reading value");
	free(vals);
	reg_values_free(out);
	return rc;
}
}

static int h_value_names(reg_store *s, reg_node n, reg_names *out)
{
	hive_value_h *vals;
	size_t cnt = 0, i;

	out->v = NULL;
	out->n = 0;
	errno = 0;
	vals = hivex_node_values(H(s), n);
	if (!vals)
		return hive_err(s, "reading value list");
	while (vals[cnt])
		cnt++;
	out->v = calloc(cnt ? cnt : 1, sizeof(char *));
	if (!out->v) {
		free(vals);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	for (i = 0; i < cnt; i++) {
		errno = 0;
		out->v[i] = hivex_value_key(H(s), vals[i]);
		if (!out->v[i]) {
			int rc = hive_err(s, "reading value name");
			free(vals);
			reg_names_free(out);
			return rc;
		}
		out->n++;
	}
	free(vals);
	return RP_OK;
}

static int h_value(reg_store *s, reg_node n, size_t index, const char *name,
		   reg_value *out)
{
	hive_value_h *vals;
	size_t i, len;
	hive_type t;
	char *data;

	memset(out, 0, sizeof(*out));
	errno = 0;
	vals = hivex_node_values(H(s), n);
	if (!vals)
		return hive_err(s, "reading value list");
	for (i = 0; i < index && vals[i]; i++)
		;
	if (i != index || !vals[i]) {
		free(vals);
		return rp_error_set(RP_ENOTFOUND, "value '%s' not found", name);
	}
	out->name = rp_strdup(name);
	errno = 0;
	data = hivex_value_value(H(s), vals[i], &t, &len);
	free(vals);
	if (!out->name || !data || len > REG_MAX_VALUE_LEN) {
		int rc = !out->name ? rp_error_set(RP_ENOMEM, "out of memory")
				    : (errno = data ? EFBIG : errno,
				       hive_err(s, "reading value"));
		free(data);
		reg_value_free(out);
		return rc;
	}
	out->type = (uint32_t)t;
	out->len = len;
	if (len)
		out->data = (uint8_t *)data;
	else
		free(data);
	return RP_OK;
}

static int h_add_child(reg_store *s, reg_node parent, const char *name, reg_node *out)
{
	hive_node_h c;
	if (!*name || strlen(name) > 255 * 3)
		return rp_error_set(RP_EINVAL, "bad key name '%s'", name);
	errno = 0;
	c = hivex_node_add_child(H(s), parent, name);
	if (!c)
		return rp_error_set(errno == ENOMEM ? RP_ENOMEM : RP_EIO,
				    "hivex cannot add key '%s': %s", name,
				    strerror(errno));
	*out = c;
	return RP_OK;
}

static int h_delete_child(reg_store *s, reg_node parent, const char *name)
{
	reg_node c;
	int rc = h_child(s, parent, name, &c);
	if (rc < 0)
		return rc;
	errno = 0;
	if (hivex_node_delete_child(H(s), c) < 0)
		return rp_error_set(RP_EIO, "hivex cannot delete key '%s': %s", name,
				    strerror(errno));
	return RP_OK;
}

/* hivex replaces a node's whole value list at once: rebuild it from the
 * current values, replacing, appending or dropping the one named. */
static int rewrite_values(reg_store *s, reg_node n, const char *name, bool drop,
			  uint32_t type, const void *data, size_t len)
{
	reg_values cur;
	hive_set_value *sv;
	size_t i, k = 0;
	bool found = false;
	int rc = h_values(s, n, &cur);

	if (rc < 0)
		return rc;
	sv = calloc(cur.n + 1, sizeof(*sv));
	if (!sv) {
		reg_values_free(&cur);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	for (i = 0; i < cur.n; i++) {
		if (strcmp(cur.v[i].name, name) == 0) {
			found = true;
			if (drop)
				continue;
			sv[k].key = cur.v[i].name;
			sv[k].t = (hive_type)type;
			sv[k].len = len;
			sv[k].value = (char *)(uintptr_t)data;
		} else {
			sv[k].key = cur.v[i].name;
			sv[k].t = (hive_type)cur.v[i].type;
			sv[k].len = cur.v[i].len;
			sv[k].value = (char *)cur.v[i].data;
		}
		k++;
	}
	if (!found && drop) {
		rc = rp_error_set(RP_ENOTFOUND, "value '%s' not found", name);
	} else {
		if (!found) {
			sv[k].key = (char *)(uintptr_t)name;
			sv[k].t = (hive_type)type;
			sv[k].len = len;
			sv[k].value = (char *)(uintptr_t)data;
			k++;
		}
		errno = 0;
		if (hivex_node_set_values(H(s), n, k, sv, 0) < 0)
			rc = rp_error_set(errno == ENOMEM ? RP_ENOMEM : RP_EIO,
					  "hivex cannot write values: %s",
					  strerror(errno));
	}
	free(sv);
	reg_values_free(&cur);
	return rc;
}

static int h_set_value(reg_store *s, reg_node n, const char *name, uint32_t type,
		       const void *data, size_t len)
{
	static const uint8_t none = 0;
	/* hivex wants a non-NULL pointer even for empty data. */
	return rewrite_values(s, n, name, false, type, len ? data : &none, len);
}

static int h_delete_value(reg_store *s, reg_node n, const char *name)
{
	return rewrite_values(s, n, name, true, 0, NULL, 0);
}

static int h_commit(reg_store *s)
{
	char *tmp;
	int rc = reg_file_tmpname(s->name, &tmp);
	if (rc < 0)
		return rc;
	errno = 0;
	if (hivex_commit(H(s), tmp, 0) < 0) {
		rc = rp_error_set(RP_EIO, "%s: writing %s: %s", s->name, tmp,
				  strerror(errno));
		unlink(tmp);
		free(tmp);
		return rc;
	}
	rc = reg_file_install(tmp, s->name);
	free(tmp);
	return rc;
}

static void h_close(reg_store *s)
{
	struct hive_store *hs = (struct hive_store *)s;
	if (hs->h)
		hivex_close(hs->h);
	reg_store_fini(s);
	free(hs);
}

static const struct reg_backend hive_backend = {
    .kind = "hive",
    .root = h_root,
    .release = NULL,
    .children = h_children,
    .child = h_child,
    .values = h_values,
    .value_names = h_value_names,
    .value = h_value,
    .add_child = h_add_child,
    .delete_child = h_delete_child,
    .set_value = h_set_value,
    .delete_value = h_delete_value,
    .commit = h_commit,
    .close = h_close,
};

int reg_open_hive(reg_store **out, const char *path, unsigned flags)
{
	struct hive_store *hs;
	int rc;

	*out = NULL;
	if (!reg_file_exists(path)) {
		if (!(flags & REG_OPEN_CREATE))
			return rp_error_set(RP_ENOTFOUND, "%s: hive file not found",
					    path);
		rc = reg_hive_create_empty(path);
		if (rc < 0)
			return rc;
	}
	rc = reg_regf_check(path);
	if (rc < 0)
		return rc;
	hs = calloc(1, sizeof(*hs));
	if (!hs)
		return rp_error_set(RP_ENOMEM, "out of memory");
	rc = reg_store_init(&hs->base, &hive_backend, path, flags);
	if (rc < 0) {
		free(hs);
		return rc;
	}
	errno = 0;
	hs->h = hivex_open(path, (flags & REG_OPEN_WRITE) ? HIVEX_OPEN_WRITE : 0);
	if (!hs->h) {
		int e = errno;
		h_close(&hs->base);
		if (e == ENOMEM)
			return rp_error_set(RP_ENOMEM, "out of memory");
		return rp_error_set(RP_EFORMAT, "%s: corrupt or unreadable hive: %s",
				    path, strerror(e));
	}
	*out = &hs->base;
	return RP_OK;
}
