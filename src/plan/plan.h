/* plan.h - a plan: the ordered list of registry and file edits that one
 * profile switch (or restore) needs.
 *
 * Features and the switch never write; they append edits to a plan. The
 * transaction (run/run_txn.h) writes a plan after the backup is complete, and
 * --dry-run prints it as a .reg diff instead. Every edit carries the reason
 * (feature or rule) that asked for it, shown in the dry-run and the log.
 * Key paths are store paths (see reg.h); file paths are UTF-8 paths of the
 * machine running reprofile. The plan owns all its strings and data.
 *
 * File edits replace a whole file: PLAN_WRITE_FILE creates it or replaces
 * it, PLAN_DELETE_FILE removes it. The transaction copies every file a plan
 * names before the first write (also a file that does not exist yet, which
 * rollback then deletes), so rollback restores files byte for byte. */
#ifndef PLAN_H
#define PLAN_H

#include "base/rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct reg_store;

typedef enum plan_edit_kind {
	PLAN_SET_VALUE,
	PLAN_DELETE_VALUE,
	PLAN_CREATE_KEY,
	PLAN_DELETE_KEY,
	PLAN_WRITE_FILE, /* path = file, data/len = its new content */
	PLAN_DELETE_FILE /* path = file */
} plan_edit_kind;

typedef struct plan_edit {
	plan_edit_kind kind;
	char *path; /* key path or file path */
	char *name; /* value name (SET/DELETE_VALUE) */
	uint32_t type;
	uint8_t *data;
	size_t len;
	char *why; /* reason, e.g. "switch: SMTP address" */
} plan_edit;

typedef struct plan {
	plan_edit *v;
	size_t n, cap;
} plan;

#define PLAN_INIT                                                                        \
	{                                                                                \
		NULL, 0, 0                                                               \
	}

int plan_set(plan *p, const char *path, const char *name, uint32_t type, const void *data,
	     size_t len, const char *why);
int plan_delete_value(plan *p, const char *path, const char *name, const char *why);
int plan_create_key(plan *p, const char *path, const char *why);
int plan_delete_key(plan *p, const char *path, const char *why);
/* Creates or replaces file with len bytes of data (copied). */
int plan_write_file(plan *p, const char *file, const void *data, size_t len,
		    const char *why);
int plan_delete_file(plan *p, const char *file, const char *why);
/* Moves every edit of src to the end of dst (src is left empty). */
int plan_append(plan *dst, plan *src);
void plan_free(plan *p);

static inline bool plan_edit_is_file(const plan_edit *e)
{
	return e->kind == PLAN_WRITE_FILE || e->kind == PLAN_DELETE_FILE;
}
/* True when the plan has at least one file edit. */
bool plan_has_files(const plan *p);

/* Writes every registry edit to s in order (no commit; files untouched).
 * Stops at the first failure, naming the edit. */
int plan_apply_registry(const plan *p, struct reg_store *s);

/* Writes every file edit in order: a new content goes to "<file>.reprofile-new"
 * in the same folder, is flushed and renamed over the file, so a crash leaves
 * the old or the new file, never a mix. hook (may be NULL) is called before
 * each file write, like the registry's write hook (crash tests). Stops at the
 * first failure, naming the file. */
int plan_apply_files(const plan *p, int (*hook)(void *), void *hook_ctx);

/* The plan as the body of a .reg diff (UTF-8 text, CRLF, keys under
 * root_prefix, e.g. "HKEY_CURRENT_USER"), with each edit's reason as a ;
 * comment; file edits are comments naming the file, and for a write its
 * size and SHA-256. The caller writes the "Windows Registry Editor Version
 * 5.00" header once before the first plan. */
int plan_render_reg(const plan *p, const char *root_prefix, rp_buf *out);

#endif
