/* reg.c - everything written once over the backend interface: path walking,
 * case-insensitive lookup, recursive delete, tree copy, value helpers. */
#include "reg_internal.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>

int reg_store_init(reg_store *s, const struct reg_backend *be, const char *name,
		   unsigned flags)
{
	s->be = be;
	s->flags = flags;
	s->name = rp_strdup(name);
	if (!s->name)
		return rp_error_set(RP_ENOMEM, "out of memory");
	return RP_OK;
}

void reg_cache_clear(reg_store *s)
{
	unsigned i;
	for (i = 0; i < REG_WALK_CACHE; i++) {
		free(s->cache[i].path);
		s->cache[i].path = NULL;
	}
	s->cache_next = 0;
}

static bool cache_on(const reg_store *s)
{
	return s->be->release == NULL;
}

/* Longest cached prefix of comps: returns how many components it covers
 * (0 = none) and its node. */
static size_t cache_find(reg_store *s, char **comps, size_t n, reg_node *node)
{
	size_t k, i, len;
	char *joined;
	if (!cache_on(s) || n == 0)
		return 0;
	for (len = 0, i = 0; i < n; i++)
		len += strlen(comps[i]) + 1;
	joined = malloc(len);
	if (!joined)
		return 0;
	for (len = 0, i = 0; i < n; i++) {
		size_t l = strlen(comps[i]);
		memcpy(joined + len, comps[i], l);
		len += l;
		joined[len++] = '\\';
	}
	/* joined = "a\\b\\c\\"; try "a\\b\\c", then "a\\b", then "a". */
	for (k = n; k > 0; k--) {
		unsigned e;
		while (len > 0 && joined[len - 1] != '\\')
			len--;
		joined[--len] = '\0';
		for (e = 0; e < REG_WALK_CACHE; e++) {
			if (s->cache[e].path && rp_name_eq(s->cache[e].path, joined)) {
				*node = s->cache[e].node;
				free(joined);
				return k;
			}
		}
	}
	free(joined);
	return 0;
}

static void cache_put(reg_store *s, char **comps, size_t n, reg_node node)
{
	rp_buf b = RP_BUF_INIT;
	size_t i;
	unsigned e;
	if (!cache_on(s) || n == 0)
		return;
	for (i = 0; i < n; i++)
		if ((i && rp_buf_u8(&b, '\\') < 0) || rp_buf_puts(&b, comps[i]) < 0 ||
		    (i + 1 == n && rp_buf_u8(&b, 0) < 0)) {
			rp_buf_free(&b);
			return;
		}
	e = s->cache_next++ % REG_WALK_CACHE;
	free(s->cache[e].path);
	s->cache[e].path = (char *)rp_buf_steal(&b, NULL);
	s->cache[e].node = node;
}

void reg_store_fini(reg_store *s)
{
	reg_cache_clear(s);
	free(s->name);
	s->name = NULL;
}

const char *reg_store_name(const reg_store *s)
{
	return s->name;
}

const char *reg_store_kind(const reg_store *s)
{
	return s->be->kind;
}

void reg_release(reg_store *s, reg_node n)
{
	if (s->be->release)
		s->be->release(s, n);
}

void reg_close(reg_store *s)
{
	if (s)
		s->be->close(s);
}

int reg_commit(reg_store *s)
{
	int rc;
	if (!(s->flags & REG_OPEN_WRITE))
		return rp_error_set(RP_EINVAL, "%s: store was opened read-only", s->name);
	rc = s->be->commit(s);
	if (rc < 0)
		return rp_error_wrap(rc, "%s: commit", s->name);
	return RP_OK;
}

void reg_set_write_hook(reg_store *s, reg_write_hook fn, void *ctx)
{
	s->hook = fn;
	s->hook_ctx = ctx;
}

/* Every primitive backend write goes through here first. */
static int hook(reg_store *s)
{
	return s->hook ? s->hook(s->hook_ctx) : RP_OK;
}

static int need_write(reg_store *s)
{
	if (!(s->flags & REG_OPEN_WRITE))
		return rp_error_set(RP_EINVAL, "%s: store was opened read-only", s->name);
	return RP_OK;
}

void reg_names_free(reg_names *n)
{
	size_t i;
	if (!n)
		return;
	for (i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
	n->v = NULL;
	n->n = 0;
}

void reg_value_free(reg_value *v)
{
	if (!v)
		return;
	free(v->name);
	free(v->data);
	memset(v, 0, sizeof(*v));
}

void reg_values_free(reg_values *v)
{
	size_t i;
	if (!v)
		return;
	for (i = 0; i < v->n; i++)
		reg_value_free(&v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

/* Finds the child of parent whose name equals name case-insensitively.
 * On success *out must be released; *stored (if not NULL) gets a malloc'd
 * copy of the stored spelling. */
static int find_child(reg_store *s, reg_node parent, const char *name, reg_node *out,
		      char **stored)
{
	reg_names names = {0};
	reg_node *nodes = NULL;
	size_t i, hit = (size_t)-1;
	int rc;

	rc = s->be->children(s, parent, &names, &nodes);
	if (rc < 0)
		return rc;
	for (i = 0; i < names.n; i++) {
		if (rp_name_eq(names.v[i], name)) {
			hit = i;
			break;
		}
	}
	if (hit == (size_t)-1) {
		rc = RP_ENOTFOUND;
	} else if (nodes) {
		*out = nodes[hit];
		rc = RP_OK;
	} else {
		rc = s->be->child(s, parent, names.v[hit], out);
	}
	if (rc == RP_OK && stored) {
		*stored = rp_strdup(names.v[hit]);
		if (!*stored) {
			if (!nodes) /* else released with the others below */
				reg_release(s, *out);
			rc = rp_error_set(RP_ENOMEM, "out of memory");
		}
	}
	if (nodes) {
		for (i = 0; i < names.n; i++)
			if (i != hit || rc != RP_OK)
				reg_release(s, nodes[i]);
		free(nodes);
	}
	reg_names_free(&names);
	return rc;
}

/* Splits path into components; "" gives zero components. Empty components
 * ("a\\\\b", leading or trailing backslash) are rejected. */
static int split_path(reg_store *s, const char *path, char ***comps, size_t *n)
{
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	const char *p = path;

	*comps = NULL;
	*n = 0;
	if (!path)
		return rp_error_set(RP_EINVAL, "%s: NULL key path", s->name);
	if (!*path)
		return RP_OK;
	for (;;) {
		const char *e = strchr(p, '\\');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0) {
			while (cnt)
				free(v[--cnt]);
			free(v);
			return rp_error_set(RP_EINVAL,
					    "%s: key path '%s' has an empty component",
					    s->name, path);
		}
		if (cnt == cap) {
			char **nv;
			cap = cap ? cap * 2 : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto oom;
			v = nv;
		}
		if (cnt >= REG_MAX_DEPTH) {
			while (cnt)
				free(v[--cnt]);
			free(v);
			return rp_error_set(RP_ELIMIT,
					    "%s: key path deeper than %d levels", s->name,
					    REG_MAX_DEPTH);
		}
		v[cnt] = rp_strndup(p, len);
		if (!v[cnt])
			goto oom;
		cnt++;
		if (!e)
			break;
		p = e + 1;
	}
	*comps = v;
	*n = cnt;
	return RP_OK;
oom:
	while (cnt)
		free(v[--cnt]);
	free(v);
	return rp_error_set(RP_ENOMEM, "out of memory");
}

static void free_comps(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

/* Walks comps[0..n) from the root, creating missing keys when create. */
static int walk_comps(reg_store *s, char **comps, size_t n, bool create, reg_node *out,
		      const char *path)
{
	reg_node cur, next;
	size_t i;
	int rc;

	i = cache_find(s, comps, n, &cur);
	if (i == 0) {
		rc = s->be->root(s, &cur);
		if (rc < 0)
			return rp_error_wrap(rc, "%s", s->name);
	}
	for (; i < n; i++) {
		rc = find_child(s, cur, comps[i], &next, NULL);
		if (rc == RP_ENOTFOUND && create) {
			rc = hook(s);
			if (rc == RP_OK)
				rc = s->be->add_child(s, cur, comps[i], &next);
		}
		reg_release(s, cur);
		if (rc == RP_ENOTFOUND)
			return rp_error_set(RP_ENOTFOUND, "%s: key '%s' not found",
					    s->name, path);
		if (rc < 0)
			return rp_error_wrap(rc, "%s: key '%s'", s->name, path);
		cur = next;
	}
	cache_put(s, comps, n, cur);
	*out = cur;
	return RP_OK;
}

int reg_walk(reg_store *s, const char *path, reg_node *out)
{
	char **comps;
	size_t n;
	int rc = split_path(s, path, &comps, &n);
	if (rc < 0)
		return rc;
	rc = walk_comps(s, comps, n, false, out, path);
	free_comps(comps, n);
	return rc;
}

int reg_key_exists(reg_store *s, const char *path)
{
	reg_node n;
	int rc = reg_walk(s, path, &n);
	if (rc < 0)
		return rc;
	reg_release(s, n);
	return RP_OK;
}

int reg_list_subkeys(reg_store *s, const char *path, reg_names *out)
{
	reg_node n;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = reg_walk(s, path, &n);
	if (rc < 0)
		return rc;
	rc = s->be->children(s, n, out, NULL);
	reg_release(s, n);
	if (rc < 0)
		return rp_error_wrap(rc, "%s: key '%s'", s->name, path);
	return RP_OK;
}

int reg_list_values(reg_store *s, const char *path, reg_values *out)
{
	reg_node n;
	int rc;

	out->v = NULL;
	out->n = 0;
	rc = reg_walk(s, path, &n);
	if (rc < 0)
		return rc;
	rc = s->be->values(s, n, out);
	reg_release(s, n);
	if (rc < 0)
		return rp_error_wrap(rc, "%s: key '%s'", s->name, path);
	return RP_OK;
}

/* Index of the value named name (case-insensitively) or -1. */
static long find_value(const reg_values *vals, const char *name)
{
	size_t i;
	for (i = 0; i < vals->n; i++)
		if (rp_name_eq(vals->v[i].name, name))
			return (long)i;
	return -1;
}

/* Finds the value named name (case-insensitively) in node n. With
 * out == NULL only *stored (the stored spelling, malloc'd; NULL if absent)
 * is produced. */
static int lookup_value(reg_store *s, reg_node n, const char *name, char **stored,
			reg_value *out)
{
	int rc;
	*stored = NULL;
	if (s->be->value_names && s->be->value) {
		reg_names names;
		size_t i, hit = 0;
		rc = s->be->value_names(s, n, &names);
		if (rc < 0)
			return rc;
		for (i = 0; i < names.n; i++) {
			if (rp_name_eq(names.v[i], name)) {
				*stored = names.v[i];
				names.v[i] = NULL;
				hit = i;
				break;
			}
		}
		reg_names_free(&names);
		if (*stored && out) {
			rc = s->be->value(s, n, hit, *stored, out);
			if (rc < 0) {
				free(*stored);
				*stored = NULL;
				return rc;
			}
		}
	} else {
		reg_values vals;
		long i;
		rc = s->be->values(s, n, &vals);
		if (rc < 0)
			return rc;
		i = find_value(&vals, name);
		if (i >= 0) {
			*stored = rp_strdup(vals.v[i].name);
			if (!*stored) {
				reg_values_free(&vals);
				return rp_error_set(RP_ENOMEM, "out of memory");
			}
			if (out) {
				*out = vals.v[i];
				memset(&vals.v[i], 0, sizeof(vals.v[i]));
			}
		}
		reg_values_free(&vals);
	}
	return RP_OK;
}

int reg_get_value(reg_store *s, const char *path, const char *name, reg_value *out)
{
	reg_node n;
	char *stored = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!name)
		return rp_error_set(RP_EINVAL, "%s: NULL value name", s->name);
	rc = reg_walk(s, path, &n);
	if (rc < 0)
		return rc;
	rc = lookup_value(s, n, name, &stored, out);
	reg_release(s, n);
	if (rc < 0)
		return rp_error_wrap(rc, "%s: key '%s': value '%s'", s->name, path, name);
	if (!stored)
		return rp_error_set(RP_ENOTFOUND, "%s: key '%s': value '%s' not found",
				    s->name, path, name);
	free(stored);
	return RP_OK;
}

int reg_create_key(reg_store *s, const char *path)
{
	char **comps;
	size_t n;
	reg_node node;
	int rc;

	rc = need_write(s);
	if (rc < 0)
		return rc;
	rc = split_path(s, path, &comps, &n);
	if (rc < 0)
		return rc;
	rc = walk_comps(s, comps, n, true, &node, path);
	free_comps(comps, n);
	if (rc < 0)
		return rc;
	reg_release(s, node);
	return RP_OK;
}

/* Deletes every subkey of n, depth first, then nothing else. */
static int delete_subkeys(reg_store *s, reg_node n, unsigned depth)
{
	reg_names names = {0};
	reg_node *nodes = NULL;
	size_t i;
	int rc;

	if (depth > REG_MAX_DEPTH)
		return rp_error_set(RP_ELIMIT, "tree deeper than %d levels",
				    REG_MAX_DEPTH);
	rc = s->be->children(s, n, &names, &nodes);
	if (rc < 0)
		return rc;
	for (i = 0; i < names.n && rc == RP_OK; i++) {
		reg_node c;
		if (nodes) {
			c = nodes[i];
			nodes[i] = 0;
		} else {
			rc = s->be->child(s, n, names.v[i], &c);
			if (rc < 0)
				break;
		}
		rc = delete_subkeys(s, c, depth + 1);
		reg_release(s, c);
		if (rc == RP_OK)
			rc = hook(s);
		if (rc == RP_OK)
			rc = s->be->delete_child(s, n, names.v[i]);
	}
	if (nodes) {
		for (; i < names.n; i++)
			reg_release(s, nodes[i]);
		free(nodes);
	}
	reg_names_free(&names);
	return rc;
}

int reg_delete_key(reg_store *s, const char *path)
{
	char **comps;
	size_t n;
	reg_node parent, node;
	char *stored = NULL;
	int rc;

	rc = need_write(s);
	if (rc < 0)
		return rc;
	rc = split_path(s, path, &comps, &n);
	if (rc < 0)
		return rc;
	if (n == 0) {
		free_comps(comps, n);
		return rp_error_set(RP_EINVAL, "%s: cannot delete the root key", s->name);
	}
	rc = walk_comps(s, comps, n - 1, false, &parent, path);
	if (rc < 0) {
		free_comps(comps, n);
		return rc;
	}
	rc = find_child(s, parent, comps[n - 1], &node, &stored);
	free_comps(comps, n);
	if (rc == RP_ENOTFOUND) {
		reg_release(s, parent);
		return rp_error_set(RP_ENOTFOUND, "%s: key '%s' not found", s->name,
				    path);
	}
	reg_cache_clear(s);
	if (rc == RP_OK) {
		rc = delete_subkeys(s, node, 1);
		reg_release(s, node);
		if (rc == RP_OK)
			rc = hook(s);
		if (rc == RP_OK)
			rc = s->be->delete_child(s, parent, stored);
	}
	free(stored);
	reg_release(s, parent);
	if (rc < 0)
		return rp_error_wrap(rc, "%s: deleting key '%s'", s->name, path);
	return RP_OK;
}

/* Stored spelling of an existing value named name, or NULL. */
static int stored_value_name(reg_store *s, reg_node n, const char *name, char **stored)
{
	return lookup_value(s, n, name, stored, NULL);
}

int reg_set_value(reg_store *s, const char *path, const char *name, uint32_t type,
		  const void *data, size_t len)
{
	reg_node n;
	char *stored = NULL;
	int rc;

	rc = need_write(s);
	if (rc < 0)
		return rc;
	if (!name || (len && !data))
		return rp_error_set(RP_EINVAL, "%s: key '%s': bad value arguments",
				    s->name, path);
	if (len > REG_MAX_VALUE_LEN)
		return rp_error_set(RP_ELIMIT,
				    "%s: key '%s': value '%s' is %zu bytes (cap %u)",
				    s->name, path, name, len, REG_MAX_VALUE_LEN);
	rc = reg_walk(s, path, &n);
	if (rc < 0)
		return rc;
	rc = stored_value_name(s, n, name, &stored);
	if (rc == RP_OK)
		rc = hook(s);
	if (rc == RP_OK)
		rc = s->be->set_value(s, n, stored ? stored : name, type, data, len);
	free(stored);
	reg_release(s, n);
	if (rc < 0)
		return rp_error_wrap(rc, "%s: key '%s': setting value '%s'", s->name,
				     path, name);
	return RP_OK;
}

int reg_delete_value(reg_store *s, const char *path, const char *name)
{
	reg_node n;
	char *stored = NULL;
	int rc;

	rc = need_write(s);
	if (rc < 0)
		return rc;
	if (!name)
		return rp_error_set(RP_EINVAL, "%s: NULL value name", s->name);
	rc = reg_walk(s, path, &n);
	if (rc < 0)
		return rc;
	rc = stored_value_name(s, n, name, &stored);
	if (rc == RP_OK && !stored)
		rc = rp_error_set(RP_ENOTFOUND, "%s: key '%s': value '%s' not found",
				  s->name, path, name);
	else if (rc == RP_OK)
		rc = hook(s);
	if (rc == RP_OK)
		rc = s->be->delete_value(s, n, stored);
	free(stored);
	reg_release(s, n);
	if (rc < 0 && rc != RP_ENOTFOUND)
		return rp_error_wrap(rc, "%s: key '%s': deleting value '%s'", s->name,
				     path, name);
	return rc;
}

/* Copies values and subkeys of (from, fn) into (to, tn). */
static int copy_node(reg_store *from, reg_node fn, reg_store *to, reg_node tn,
		     unsigned depth)
{
	reg_values vals;
	reg_names names = {0};
	reg_node *nodes = NULL;
	size_t i;
	int rc;

	if (depth > REG_MAX_DEPTH)
		return rp_error_set(RP_ELIMIT, "tree deeper than %d levels",
				    REG_MAX_DEPTH);
	rc = from->be->values(from, fn, &vals);
	if (rc < 0)
		return rc;
	for (i = 0; i < vals.n && rc == RP_OK; i++) {
		rc = hook(to);
		if (rc == RP_OK)
			rc = to->be->set_value(to, tn, vals.v[i].name, vals.v[i].type,
					       vals.v[i].data, vals.v[i].len);
	}
	reg_values_free(&vals);
	if (rc < 0)
		return rc;
	rc = from->be->children(from, fn, &names, &nodes);
	if (rc < 0)
		return rc;
	for (i = 0; i < names.n && rc == RP_OK; i++) {
		reg_node fc, tc;
		if (nodes) {
			fc = nodes[i];
			nodes[i] = 0;
		} else {
			rc = from->be->child(from, fn, names.v[i], &fc);
			if (rc < 0)
				break;
		}
		rc = hook(to);
		if (rc == RP_OK)
			rc = to->be->add_child(to, tn, names.v[i], &tc);
		if (rc == RP_OK) {
			rc = copy_node(from, fc, to, tc, depth + 1);
			reg_release(to, tc);
		}
		reg_release(from, fc);
	}
	if (nodes) {
		for (; i < names.n; i++)
			reg_release(from, nodes[i]);
		free(nodes);
	}
	reg_names_free(&names);
	return rc;
}

/* True if path b equals a or lies below it (component-wise, ignoring case). */
static bool path_within(const char *a, const char *b)
{
	size_t la = strlen(a);
	char *pre;
	bool r;
	if (la == 0)
		return true;
	if (strlen(b) < la)
		return false;
	pre = rp_strndup(b, la);
	if (!pre)
		return false;
	r = rp_name_eq(pre, a) && (b[la] == '\0' || b[la] == '\\');
	free(pre);
	return r;
}

int reg_copy_tree_between(reg_store *from, const char *src, reg_store *to,
			  const char *dst)
{
	reg_node fn, tn;
	int rc;

	rc = need_write(to);
	if (rc < 0)
		return rc;
	if (from == to && path_within(src, dst))
		return rp_error_set(RP_EINVAL,
				    "%s: cannot copy key '%s' into itself ('%s')",
				    to->name, src, dst);
	if (reg_key_exists(to, dst) == RP_OK)
		return rp_error_set(RP_EEXISTS, "%s: key '%s' already exists", to->name,
				    dst);
	rc = reg_walk(from, src, &fn);
	if (rc < 0)
		return rc;
	rc = reg_create_key(to, dst);
	if (rc == RP_OK)
		rc = reg_walk(to, dst, &tn);
	if (rc < 0) {
		reg_release(from, fn);
		return rc;
	}
	rc = copy_node(from, fn, to, tn, 1);
	reg_release(to, tn);
	reg_release(from, fn);
	if (rc < 0)
		return rp_error_wrap(rc, "copying '%s' of %s to '%s' of %s", src,
				     from->name, dst, to->name);
	return RP_OK;
}

int reg_copy_tree(reg_store *s, const char *src, const char *dst)
{
	return reg_copy_tree_between(s, src, s, dst);
}

int reg_data_to_utf8(const reg_value *v, char **out)
{
	int rc;
	*out = NULL;
	if (v->type != REG_T_SZ && v->type != REG_T_EXPAND_SZ)
		return rp_error_set(RP_EINVAL, "value '%s' is type %u, not a string",
				    v->name, (unsigned)v->type);
	rc = rp_utf16le_to_utf8(v->data, v->len & ~(size_t)1, out);
	if (rc < 0)
		return rp_error_wrap(rc, "value '%s'", v->name);
	return RP_OK;
}

int reg_set_sz(reg_store *s, const char *path, const char *name, const char *utf8)
{
	rp_buf b = RP_BUF_INIT;
	int rc = rp_utf8_to_utf16le(utf8, strlen(utf8), &b, true);
	if (rc == RP_OK)
		rc = reg_set_value(s, path, name, REG_T_SZ, b.data, b.len);
	else
		rc = rp_error_wrap(rc, "%s: key '%s': value '%s'", s->name, path, name);
	rp_buf_free(&b);
	return rc;
}

int reg_set_dword(reg_store *s, const char *path, const char *name, uint32_t v)
{
	uint8_t d[4];
	rp_put_le32(d, v);
	return reg_set_value(s, path, name, REG_T_DWORD, d, 4);
}
