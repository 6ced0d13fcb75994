#include "run_plan.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "registry/reg.h"

#include <stdlib.h>
#include <string.h>

static int push(run_plan *p, run_edit_kind kind, const char *path, const char *name,
		uint32_t type, const void *data, size_t len, const char *why)
{
	run_edit *e;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		run_edit *v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			return rp_error_set(RP_ENOMEM, "out of memory (plan)");
		p->v = v;
		p->cap = cap;
	}
	e = &p->v[p->n];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->type = type;
	if (!(e->path = rp_strdup(path)) || (name && !(e->name = rp_strdup(name))) ||
	    !(e->why = rp_strdup(why ? why : "")))
		goto nomem;
	if (len) {
		if (!(e->data = malloc(len)))
			goto nomem;
		memcpy(e->data, data, len);
		e->len = len;
	}
	p->n++;
	return RP_OK;
nomem:
	free(e->path);
	free(e->name);
	free(e->why);
	return rp_error_set(RP_ENOMEM, "out of memory (plan)");
}

int run_plan_set(run_plan *p, const char *path, const char *name, uint32_t type,
		 const void *data, size_t len, const char *why)
{
	return push(p, RUN_EDIT_SET_VALUE, path, name, type, data, len, why);
}

int run_plan_delete_value(run_plan *p, const char *path, const char *name,
			  const char *why)
{
	return push(p, RUN_EDIT_DELETE_VALUE, path, name, 0, NULL, 0, why);
}

int run_plan_create_key(run_plan *p, const char *path, const char *why)
{
	return push(p, RUN_EDIT_CREATE_KEY, path, NULL, 0, NULL, 0, why);
}

int run_plan_delete_key(run_plan *p, const char *path, const char *why)
{
	return push(p, RUN_EDIT_DELETE_KEY, path, NULL, 0, NULL, 0, why);
}

int run_plan_delete_file(run_plan *p, const char *file, const char *why)
{
	return push(p, RUN_EDIT_DELETE_FILE, file, NULL, 0, NULL, 0, why);
}

void run_plan_free(run_plan *p)
{
	size_t i;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].path);
		free(p->v[i].name);
		free(p->v[i].data);
		free(p->v[i].why);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

int run_plan_apply_registry(const run_plan *p, struct reg_store *s)
{
	size_t i;
	for (i = 0; i < p->n; i++) {
		const run_edit *e = &p->v[i];
		int rc = RP_OK;
		switch (e->kind) {
		case RUN_EDIT_SET_VALUE:
			rc = reg_set_value(s, e->path, e->name, e->type, e->data, e->len);
			break;
		case RUN_EDIT_DELETE_VALUE:
			rc = reg_delete_value(s, e->path, e->name);
			if (rc == RP_ENOTFOUND) /* already gone: the edit's goal holds */
				rc = RP_OK;
			break;
		case RUN_EDIT_CREATE_KEY:
			rc = reg_create_key(s, e->path);
			break;
		case RUN_EDIT_DELETE_KEY:
			rc = reg_delete_key(s, e->path);
			if (rc == RP_ENOTFOUND)
				rc = RP_OK;
			break;
		case RUN_EDIT_DELETE_FILE:
			break; /* files are the transaction's job */
		}
		if (rc < 0)
			return rp_error_wrap(rc, "applying edit %zu (%s)", i + 1, e->why);
	}
	return RP_OK;
}

int run_plan_render_reg(const run_plan *p, const char *root_prefix, rp_buf *out)
{
	const char *last_key = NULL;
	size_t i;
	int rc = RP_OK;
	for (i = 0; i < p->n && rc == RP_OK; i++) {
		const run_edit *e = &p->v[i];
		switch (e->kind) {
		case RUN_EDIT_DELETE_KEY:
			rc = rp_buf_printf(out, "\r\n; %s\r\n[-%s\\%s]\r\n", e->why,
					   root_prefix, e->path);
			last_key = NULL;
			break;
		case RUN_EDIT_CREATE_KEY:
			rc = rp_buf_printf(out, "\r\n; %s\r\n[%s\\%s]\r\n", e->why,
					   root_prefix, e->path);
			last_key = e->path;
			break;
		case RUN_EDIT_SET_VALUE:
		case RUN_EDIT_DELETE_VALUE:
			if (!last_key || strcmp(last_key, e->path) != 0) {
				rc = rp_buf_printf(out, "\r\n[%s\\%s]\r\n", root_prefix,
						   e->path);
				last_key = e->path;
			}
			if (rc == RP_OK)
				rc = rp_buf_printf(out, "; %s\r\n", e->why);
			if (rc == RP_OK && e->kind == RUN_EDIT_SET_VALUE)
				rc = reg_format_value(out, e->name, e->type, e->data,
						      e->len);
			else if (rc == RP_OK)
				rc = reg_format_deletion(out, e->name);
			break;
		case RUN_EDIT_DELETE_FILE:
			rc = rp_buf_printf(
			    out, "\r\n; %s\r\n; delete file (after backup): %s\r\n",
			    e->why, e->path);
			last_key = NULL;
			break;
		}
	}
	return rc;
}
