/* reg_io.c - .reg import into and export from any store (written once over
 * the generic API). */
#include "reg_internal.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>

int reg_apply_ops(reg_store *s, const struct reg_ops *ops, bool full_paths,
		  size_t *skipped)
{
	size_t i;
	if (skipped)
		*skipped = 0;
	for (i = 0; i < ops->n; i++) {
		const struct reg_op *op = &ops->v[i];
		const char *path = full_paths ? op->key : reg_text_hkcu_rel(op->key);
		int rc = RP_OK;
		if (!path) {
			if (skipped)
				(*skipped)++;
			continue;
		}
		switch (op->kind) {
		case REG_OP_KEY:
			rc = reg_create_key(s, path);
			break;
		case REG_OP_DEL_KEY:
			rc = reg_delete_key(s, path);
			if (rc == RP_ENOTFOUND)
				rc = RP_OK; /* deleting what is absent is a no-op */
			break;
		case REG_OP_VALUE:
			rc =
			    reg_set_value(s, path, op->name, op->type, op->data, op->len);
			break;
		case REG_OP_DEL_VALUE:
			rc = reg_delete_value(s, path, op->name);
			if (rc == RP_ENOTFOUND)
				rc = RP_OK;
			break;
		}
		if (rc < 0)
			return rp_error_wrap(rc, "line %u", op->line);
	}
	return RP_OK;
}

static int import_image(reg_store *dst, const uint8_t *p, size_t len, const char *fname,
			size_t *skipped)
{
	struct reg_ops ops;
	int rc = reg_text_parse(p, len, fname, &ops);
	if (rc < 0)
		return rc;
	rc = reg_apply_ops(dst, &ops, false, skipped);
	reg_ops_free(&ops);
	if (rc < 0)
		return rp_error_wrap(rc, "importing %s", fname);
	return RP_OK;
}

int reg_import_regfile(reg_store *dst, const char *path, size_t *skipped)
{
	uint8_t *data;
	size_t len;
	int rc = reg_file_read(path, &data, &len);
	if (rc < 0)
		return rc;
	rc = import_image(dst, data, len, path, skipped);
	free(data);
	return rc;
}

int reg_import_regfile_mem(reg_store *dst, const void *data, size_t len, const char *name,
			   size_t *skipped)
{
	return import_image(dst, data, len, name ? name : "(memory)", skipped);
}

int reg_export_mem(reg_store *s, const char *key, uint8_t **data, size_t *len)
{
	rp_buf text = RP_BUF_INIT, file = RP_BUF_INIT;
	char *prefix;
	reg_node n;
	int rc;

	*data = NULL;
	*len = 0;
	rc = reg_walk(s, key, &n);
	if (rc < 0)
		return rc;
	prefix = rp_asprintf("HKEY_CURRENT_USER%s%s", *key ? "\\" : "", key);
	if (!prefix) {
		reg_release(s, n);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	rc = reg_text_header(&text);
	if (rc == RP_OK)
		rc = reg_text_write_tree(s, n, prefix, *key == '\0', &text);
	reg_release(s, n);
	free(prefix);
	if (rc == RP_OK)
		rc = reg_text_encode(&text, &file);
	rp_buf_free(&text);
	if (rc < 0) {
		rp_buf_free(&file);
		return rp_error_wrap(rc, "%s: exporting", s->name);
	}
	*data = rp_buf_steal(&file, len);
	return RP_OK;
}

int reg_export_regfile(reg_store *s, const char *key, const char *out_path)
{
	uint8_t *data;
	size_t len;
	int rc = reg_export_mem(s, key, &data, &len);
	if (rc < 0)
		return rc;
	rc = reg_file_replace(out_path, data, len);
	free(data);
	return rc;
}

int reg_export_stream(reg_store *s, const char *key, FILE *f)
{
	uint8_t *data;
	size_t len;
	int rc = reg_export_mem(s, key, &data, &len);
	if (rc < 0)
		return rc;
	reg_file_binary(f);
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0)
		rc = rp_error_set(RP_EIO, "%s: write error on output stream", s->name);
	free(data);
	return rc;
}
