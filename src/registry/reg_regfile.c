/* reg_regfile.c - a .reg text file as a store: the file is read whole into
 * an in-memory tree (its operations applied in order to an empty registry),
 * edited there, and written back whole on commit (version 5.00, UTF-16LE).
 *
 * The tree's top node holds one child per root key (HKEY_CURRENT_USER,
 * HKEY_LOCAL_MACHINE...). The API's root is HKEY_CURRENT_USER; the other
 * roots are kept and written back but not reachable. */
#include "reg_internal.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>

struct rnode {
	char *name;
	struct rnode **kids;
	size_t nk, capk;
	reg_value *vals;
	size_t nv, capv;
};

struct rf_store {
	reg_store base;
	struct rnode top;
	bool at_top; /* while loading: the API root is the top node */
};

static void rnode_free(struct rnode *n)
{
	size_t i;
	for (i = 0; i < n->nk; i++) {
		rnode_free(n->kids[i]);
		free(n->kids[i]);
	}
	free(n->kids);
	for (i = 0; i < n->nv; i++)
		reg_value_free(&n->vals[i]);
	free(n->vals);
	free(n->name);
	memset(n, 0, sizeof(*n));
}

static struct rnode *N(reg_node n)
{
	return (struct rnode *)n;
}

static struct rf_store *RF(reg_store *s)
{
	return (struct rf_store *)s;
}

static int rf_find_exact(struct rnode *p, const char *name, size_t *idx)
{
	size_t i;
	for (i = 0; i < p->nk; i++)
		if (strcmp(p->kids[i]->name, name) == 0) {
			*idx = i;
			return RP_OK;
		}
	return RP_ENOTFOUND;
}

static int rf_root(reg_store *s, reg_node *out)
{
	struct rf_store *rf = RF(s);
	size_t i;
	if (rf->at_top) {
		*out = (reg_node)&rf->top;
		return RP_OK;
	}
	if (rf_find_exact(&rf->top, "HKEY_CURRENT_USER", &i) < 0)
		return rp_error_set(RP_EFORMAT, "no HKEY_CURRENT_USER tree");
	*out = (reg_node)rf->top.kids[i];
	return RP_OK;
}

static int rf_children(reg_store *s, reg_node n, reg_names *names, reg_node **nodes)
{
	struct rnode *p = N(n);
	size_t i;
	(void)s;
	names->n = 0;
	names->v = calloc(p->nk ? p->nk : 1, sizeof(char *));
	if (nodes)
		*nodes = malloc((p->nk ? p->nk : 1) * sizeof(reg_node));
	if (!names->v || (nodes && !*nodes))
		goto oom;
	for (i = 0; i < p->nk; i++) {
		names->v[i] = rp_strdup(p->kids[i]->name);
		if (!names->v[i])
			goto oom;
		names->n++;
		if (nodes)
			(*nodes)[i] = (reg_node)p->kids[i];
	}
	return RP_OK;
oom:
	reg_names_free(names);
	if (nodes) {
		free(*nodes);
		*nodes = NULL;
	}
	return rp_error_set(RP_ENOMEM, "out of memory");
}

static int rf_child(reg_store *s, reg_node parent, const char *name, reg_node *out)
{
	size_t i;
	(void)s;
	if (rf_find_exact(N(parent), name, &i) < 0)
		return RP_ENOTFOUND;
	*out = (reg_node)N(parent)->kids[i];
	return RP_OK;
}

static int copy_value(reg_value *d, const char *name, uint32_t type, const void *data,
		      size_t len)
{
	d->name = rp_strdup(name);
	d->type = type;
	d->len = len;
	d->data = NULL;
	if (len) {
		d->data = malloc(len);
		if (d->data)
			memcpy(d->data, data, len);
	}
	if (!d->name || (len && !d->data)) {
		reg_value_free(d);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	return RP_OK;
}

static int rf_values(reg_store *s, reg_node n, reg_values *out)
{
	struct rnode *p = N(n);
	size_t i;
	(void)s;
	out->n = 0;
	out->v = calloc(p->nv ? p->nv : 1, sizeof(reg_value));
	if (!out->v)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (i = 0; i < p->nv; i++) {
		int rc = copy_value(&out->v[i], p->vals[i].name, p->vals[i].type,
				    p->vals[i].data, p->vals[i].len);
		if (rc < 0) {
			reg_values_free(out);
			return rc;
		}
		out->n++;
	}
	return RP_OK;
}

static int rf_add_child(reg_store *s, reg_node parent, const char *name, reg_node *out)
{
	struct rnode *p = N(parent), *c;
	(void)s;
	if (p->nk == p->capk) {
		size_t nc = p->capk ? p->capk * 2 : 4;
		struct rnode **nv = realloc(p->kids, nc * sizeof(*nv));
		if (!nv)
			return rp_error_set(RP_ENOMEM, "out of memory");
		p->kids = nv;
		p->capk = nc;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->name = rp_strdup(name))) {
		free(c);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	p->kids[p->nk++] = c;
	*out = (reg_node)c;
	return RP_OK;
}

static int rf_delete_child(reg_store *s, reg_node parent, const char *name)
{
	struct rnode *p = N(parent);
	size_t i;
	(void)s;
	if (rf_find_exact(p, name, &i) < 0)
		return RP_ENOTFOUND;
	rnode_free(p->kids[i]);
	free(p->kids[i]);
	memmove(&p->kids[i], &p->kids[i + 1], (p->nk - i - 1) * sizeof(p->kids[0]));
	p->nk--;
	return RP_OK;
}

static int rf_set_value(reg_store *s, reg_node n, const char *name, uint32_t type,
			const void *data, size_t len)
{
	struct rnode *p = N(n);
	reg_value nv;
	size_t i;
	int rc;
	(void)s;
	rc = copy_value(&nv, name, type, data, len);
	if (rc < 0)
		return rc;
	for (i = 0; i < p->nv; i++) {
		if (strcmp(p->vals[i].name, name) == 0) {
			reg_value_free(&p->vals[i]);
			p->vals[i] = nv;
			return RP_OK;
		}
	}
	if (p->nv == p->capv) {
		size_t nc = p->capv ? p->capv * 2 : 4;
		reg_value *vv = realloc(p->vals, nc * sizeof(*vv));
		if (!vv) {
			reg_value_free(&nv);
			return rp_error_set(RP_ENOMEM, "out of memory");
		}
		p->vals = vv;
		p->capv = nc;
	}
	p->vals[p->nv++] = nv;
	return RP_OK;
}

static int rf_delete_value(reg_store *s, reg_node n, const char *name)
{
	struct rnode *p = N(n);
	size_t i;
	(void)s;
	for (i = 0; i < p->nv; i++) {
		if (strcmp(p->vals[i].name, name) == 0) {
			reg_value_free(&p->vals[i]);
			memmove(&p->vals[i], &p->vals[i + 1],
				(p->nv - i - 1) * sizeof(p->vals[0]));
			p->nv--;
			return RP_OK;
		}
	}
	return RP_ENOTFOUND;
}

/* The whole file image, every root, version 5.00 UTF-16LE. */
static int rf_serialise(reg_store *s, rp_buf *file)
{
	struct rf_store *rf = RF(s);
	rp_buf text = RP_BUF_INIT;
	size_t i;
	int rc = reg_text_header(&text);
	for (i = 0; i < rf->top.nk && rc == RP_OK; i++)
		rc = reg_text_write_tree(s, (reg_node)rf->top.kids[i],
					 rf->top.kids[i]->name, true, &text);
	if (rc == RP_OK)
		rc = reg_text_encode(&text, file);
	rp_buf_free(&text);
	return rc;
}

static int rf_commit(reg_store *s)
{
	rp_buf file = RP_BUF_INIT;
	int rc = rf_serialise(s, &file);
	if (rc == RP_OK)
		rc = reg_file_replace(s->name, file.data, file.len);
	rp_buf_free(&file);
	return rc;
}

static void rf_close(reg_store *s)
{
	struct rf_store *rf = RF(s);
	rnode_free(&rf->top);
	reg_store_fini(s);
	free(rf);
}

static const struct reg_backend regfile_backend = {
    .kind = "reg",
    .root = rf_root,
    .release = NULL,
    .children = rf_children,
    .child = rf_child,
    .values = rf_values,
    .add_child = rf_add_child,
    .delete_child = rf_delete_child,
    .set_value = rf_set_value,
    .delete_value = rf_delete_value,
    .commit = rf_commit,
    .close = rf_close,
};

/* Makes a store from a file image (NULL/0 = empty). */
static int rf_make(reg_store **out, const char *name, unsigned flags, const uint8_t *p,
		   size_t len)
{
	struct rf_store *rf;
	struct reg_ops ops = {0};
	int rc;

	*out = NULL;
	if (p) {
		rc = reg_text_parse(p, len, name, &ops);
		if (rc < 0)
			return rc;
	}
	rf = calloc(1, sizeof(*rf));
	if (!rf) {
		reg_ops_free(&ops);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	rc = reg_store_init(&rf->base, &regfile_backend, name, REG_OPEN_WRITE);
	if (rc < 0) {
		free(rf);
		reg_ops_free(&ops);
		return rc;
	}
	rf->at_top = true;
	rc = reg_create_key(&rf->base, "HKEY_CURRENT_USER");
	if (rc == RP_OK)
		rc = reg_apply_ops(&rf->base, &ops, true, NULL);
	rf->at_top = false;
	reg_cache_clear(&rf->base); /* walks above were relative to the top */
	rf->base.flags = flags;
	reg_ops_free(&ops);
	if (rc < 0) {
		rf_close(&rf->base);
		return rc;
	}
	*out = &rf->base;
	return RP_OK;
}

int reg_open_regfile(reg_store **out, const char *path, unsigned flags)
{
	uint8_t *data;
	size_t len;
	int rc;

	*out = NULL;
	rc = reg_file_read(path, &data, &len);
	if (rc == RP_ENOTFOUND && (flags & REG_OPEN_CREATE))
		return rf_make(out, path, flags, NULL, 0);
	if (rc < 0)
		return rc;
	rc = rf_make(out, path, flags, data, len);
	free(data);
	return rc;
}

int reg_open_regfile_mem(reg_store **out, const void *data, size_t len, const char *name)
{
	*out = NULL;
	return rf_make(out, name ? name : "(memory)", 0, data ? data : "",
		       data ? len : 0);
}
