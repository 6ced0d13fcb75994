/* mobj_junk.c - the Junk E-mail rule's lists and folder. */
#include "mobj/mobj_junk.h"

#include "base/rp_err.h"
#include "mapi/mapi_tag.h"

#include <stdlib.h>
#include <string.h>

static bool is_entry(const mbx_res *r)
{
	uint16_t t = PROP_TYPE(r->value.tag);
	return (r->type == MBX_RES_CONTENT || r->type == MBX_RES_PROPERTY) &&
	       (t == PT_UNICODE || t == PT_STRING8);
}

void mobj_junk_list_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static int collect(const mbx_res *r, char ***out, size_t *n, size_t *cap)
{
	int rc = RP_OK;
	for (size_t i = 0; rc == RP_OK && i < r->nsub; i++) {
		const mbx_res *s = &r->sub[i];
		if (r->type == MBX_RES_OR && is_entry(s)) {
			if (*n == *cap) {
				size_t nc = *cap ? *cap * 2 : 16;
				char **nv = realloc(*out, nc * sizeof(*nv));
				if (!nv)
					return rp_error_set(RP_ENOMEM, "out of memory");
				*out = nv;
				*cap = nc;
			}
			rc = mapi_value_str_utf8(&s->value, &(*out)[*n]);
			if (rc == RP_OK)
				(*n)++;
		} else {
			rc = collect(s, out, n, cap);
		}
	}
	return rc;
}

int mobj_junk_list(const mbx_res *cond, char ***out, size_t *n)
{
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	rc = collect(cond, out, n, &cap);
	if (rc < 0) {
		mobj_junk_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static void clear(mbx_res *r, size_t *removed)
{
	size_t k = 0;
	for (size_t i = 0; i < r->nsub; i++) {
		if (r->type == MBX_RES_OR && is_entry(&r->sub[i])) {
			mbx_res_free(&r->sub[i]);
			(*removed)++;
			continue;
		}
		clear(&r->sub[i], removed);
		r->sub[k++] = r->sub[i];
	}
	r->nsub = k;
}

int mobj_junk_clear(mbx_res *cond, size_t *removed)
{
	size_t n = 0;
	clear(cond, &n);
	if (removed)
		*removed = n;
	return RP_OK;
}

int mobj_junk_folder(mobj_actions *a, const mobj_map *map, mobj_rw *st)
{
	mobj_rw *all;
	size_t mv = a->n;
	int rc;

	*st = MOBJ_RW_UNCHANGED;
	for (size_t i = 0; i < a->n && mv == a->n; i++)
		if (a->a[i].type == MOBJ_OP_MOVE)
			mv = i;
	if (!a->ext || mv == a->n)
		return rp_error_set(RP_EFORMAT,
				    "not a Junk E-mail rule: %s without OP_MOVE",
				    a->ext ? "extended rule" : "standard rule");
	if (!map->folder)
		return RP_OK;
	all = calloc(a->n, sizeof(*all));
	if (!all)
		return rp_error_set(RP_ENOMEM, "out of memory");
	/* only the folder map: recipients are not part of this rule */
	mobj_map fm = {NULL, NULL, map->folder, map->folder_ctx};
	rc = mobj_actions_rewrite(a, &fm, all);
	*st = all[mv];
	free(all);
	return rc;
}
