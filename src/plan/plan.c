#include "plan.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "base/rp_sha256.h"
#include "platform/plat.h"
#include "registry/reg.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

static int push(plan *p, plan_edit_kind kind, const char *path, const char *name,
		uint32_t type, const void *data, size_t len, const char *why)
{
	plan_edit *e;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		plan_edit *v = realloc(p->v, cap * sizeof(*v));
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

int plan_set(plan *p, const char *path, const char *name, uint32_t type, const void *data,
	     size_t len, const char *why)
{
	return push(p, PLAN_SET_VALUE, path, name, type, data, len, why);
}

int plan_delete_value(plan *p, const char *path, const char *name, const char *why)
{
	return push(p, PLAN_DELETE_VALUE, path, name, 0, NULL, 0, why);
}

int plan_create_key(plan *p, const char *path, const char *why)
{
	return push(p, PLAN_CREATE_KEY, path, NULL, 0, NULL, 0, why);
}

int plan_delete_key(plan *p, const char *path, const char *why)
{
	return push(p, PLAN_DELETE_KEY, path, NULL, 0, NULL, 0, why);
}

int plan_write_file(plan *p, const char *file, const void *data, size_t len,
		    const char *why)
{
	return push(p, PLAN_WRITE_FILE, file, NULL, 0, data, len, why);
}

int plan_delete_file(plan *p, const char *file, const char *why)
{
	return push(p, PLAN_DELETE_FILE, file, NULL, 0, NULL, 0, why);
}

int plan_append(plan *dst, plan *src)
{
	if (!src->n)
		return RP_OK;
	if (dst->n + src->n > dst->cap) {
		size_t cap = dst->n + src->n;
		plan_edit *v = realloc(dst->v, cap * sizeof(*v));
		if (!v)
			return rp_error_set(RP_ENOMEM, "out of memory (plan)");
		dst->v = v;
		dst->cap = cap;
	}
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	free(src->v);
	src->v = NULL;
	src->n = src->cap = 0;
	return RP_OK;
}

bool plan_has_files(const plan *p)
{
	size_t i;
	for (i = 0; i < p->n; i++)
		if (plan_edit_is_file(&p->v[i]))
			return true;
	return false;
}

void plan_free(plan *p)
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

int plan_apply_registry(const plan *p, struct reg_store *s)
{
	size_t i;
	for (i = 0; i < p->n; i++) {
		const plan_edit *e = &p->v[i];
		int rc = RP_OK;
		switch (e->kind) {
		case PLAN_SET_VALUE:
			rc = reg_set_value(s, e->path, e->name, e->type, e->data, e->len);
			break;
		case PLAN_DELETE_VALUE:
			rc = reg_delete_value(s, e->path, e->name);
			if (rc == RP_ENOTFOUND) /* already gone: the edit's goal holds */
				rc = RP_OK;
			break;
		case PLAN_CREATE_KEY:
			rc = reg_create_key(s, e->path);
			break;
		case PLAN_DELETE_KEY:
			rc = reg_delete_key(s, e->path);
			if (rc == RP_ENOTFOUND)
				rc = RP_OK;
			break;
		case PLAN_WRITE_FILE:
		case PLAN_DELETE_FILE:
			break; /* plan_apply_files */
		}
		if (rc < 0)
			return rp_error_wrap(rc, "applying edit %zu (%s)", i + 1, e->why);
	}
	return RP_OK;
}

/* New content beside the file, flushed, then renamed over it. */
static int write_file(const plan_edit *e)
{
	char *tmp = rp_asprintf("%s.reprofile-new", e->path);
	FILE *f;
	int rc = RP_OK;
	if (!tmp)
		return RP_ENOMEM;
	if (!(f = plat_fopen(tmp, "wb")))
		rc = rp_error_set(RP_EIO, "%s: cannot create", tmp);
	else {
		if (e->len && fwrite(e->data, 1, e->len, f) != e->len)
			rc = rp_error_set(RP_EIO, "%s: write failed", tmp);
		if (plat_fsync_close(f) < 0 && rc == RP_OK)
			rc = rp_error_set(RP_EIO, "%s: flush failed", tmp);
		if (rc == RP_OK)
			rc = plat_rename_replace(tmp, e->path);
		if (rc < 0 && plat_file_exists(tmp))
			plat_remove(tmp);
	}
	free(tmp);
	return rc;
}

int plan_apply_files(const plan *p, int (*hook)(void *), void *hook_ctx)
{
	size_t i;
	for (i = 0; i < p->n; i++) {
		const plan_edit *e = &p->v[i];
		int rc = RP_OK;
		if (!plan_edit_is_file(e))
			continue;
		if (hook && (rc = hook(hook_ctx)) < 0)
			return rc;
		if (e->kind == PLAN_WRITE_FILE)
			rc = write_file(e);
		else if (plat_file_exists(e->path))
			rc = plat_remove(e->path);
		if (rc < 0)
			return rp_error_wrap(rc, "applying edit %zu (%s) to %s", i + 1,
					     e->why, e->path);
	}
	return RP_OK;
}

int plan_render_reg(const plan *p, const char *root_prefix, rp_buf *out)
{
	const char *last_key = NULL;
	size_t i;
	int rc = RP_OK;
	for (i = 0; i < p->n && rc == RP_OK; i++) {
		const plan_edit *e = &p->v[i];
		switch (e->kind) {
		case PLAN_DELETE_KEY:
			rc = rp_buf_printf(out, "\r\n; %s\r\n[-%s\\%s]\r\n", e->why,
					   root_prefix, e->path);
			last_key = NULL;
			break;
		case PLAN_CREATE_KEY:
			rc = rp_buf_printf(out, "\r\n; %s\r\n[%s\\%s]\r\n", e->why,
					   root_prefix, e->path);
			last_key = e->path;
			break;
		case PLAN_SET_VALUE:
		case PLAN_DELETE_VALUE:
			if (!last_key || strcmp(last_key, e->path) != 0) {
				rc = rp_buf_printf(out, "\r\n[%s\\%s]\r\n", root_prefix,
						   e->path);
				last_key = e->path;
			}
			if (rc == RP_OK)
				rc = rp_buf_printf(out, "; %s\r\n", e->why);
			if (rc == RP_OK && e->kind == PLAN_SET_VALUE)
				rc = reg_format_value(out, e->name, e->type, e->data,
						      e->len);
			else if (rc == RP_OK)
				rc = reg_format_deletion(out, e->name);
			break;
		case PLAN_WRITE_FILE: {
			char sum[2 * RP_SHA256_LEN + 1];
			rp_sha256_hex(e->data, e->len, sum);
			rc = rp_buf_printf(out,
					   "\r\n; %s\r\n; write file (after backup): %s "
					   "(%zu bytes, SHA-256 %s)\r\n",
					   e->why, e->path, e->len, sum);
			last_key = NULL;
			break;
		}
		case PLAN_DELETE_FILE:
			rc = rp_buf_printf(
			    out, "\r\n; %s\r\n; delete file (after backup): %s\r\n",
			    e->why, e->path);
			last_key = NULL;
			break;
		}
	}
	return rc;
}
