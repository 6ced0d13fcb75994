/* run_plan.h - a plan: the ordered list of registry and file edits that one
 * profile switch (or restore) needs.
 *
 * Features and the switch never write; they append edits to a plan. The
 * transaction (run_txn.h) writes a plan after the backup is complete, and
 * --dry-run prints it as a .reg diff instead. Every edit carries the reason
 * (feature or rule) that asked for it, shown in the dry-run and the log.
 * Paths are store paths (see reg.h). The plan owns all its strings and data. */
#ifndef RUN_PLAN_H
#define RUN_PLAN_H

#include "base/rp_buf.h"

#include <stddef.h>
#include <stdint.h>

struct reg_store;

typedef enum run_edit_kind {
	RUN_EDIT_SET_VALUE,
	RUN_EDIT_DELETE_VALUE,
	RUN_EDIT_CREATE_KEY,
	RUN_EDIT_DELETE_KEY,
	RUN_EDIT_DELETE_FILE /* path = file; backed up by the transaction first */
} run_edit_kind;

typedef struct run_edit {
	run_edit_kind kind;
	char *path; /* key path or file path */
	char *name; /* value name (SET/DELETE_VALUE) */
	uint32_t type;
	uint8_t *data;
	size_t len;
	char *why; /* reason, e.g. "switch: SMTP address" */
} run_edit;

typedef struct run_plan {
	run_edit *v;
	size_t n, cap;
} run_plan;

#define RUN_PLAN_INIT                                                                    \
	{                                                                                \
		NULL, 0, 0                                                               \
	}

int run_plan_set(run_plan *p, const char *path, const char *name, uint32_t type,
		 const void *data, size_t len, const char *why);
int run_plan_delete_value(run_plan *p, const char *path, const char *name,
			  const char *why);
int run_plan_create_key(run_plan *p, const char *path, const char *why);
int run_plan_delete_key(run_plan *p, const char *path, const char *why);
int run_plan_delete_file(run_plan *p, const char *file, const char *why);
void run_plan_free(run_plan *p);

/* Writes every registry edit to s in order (no commit; files untouched).
 * Stops at the first failure, naming the edit. */
int run_plan_apply_registry(const run_plan *p, struct reg_store *s);

/* The plan as the body of a .reg diff (UTF-8 text, CRLF, keys under
 * root_prefix, e.g. "HKEY_CURRENT_USER"), with each edit's reason as a ;
 * comment; file edits are listed as comments. The caller writes the
 * "Windows Registry Editor Version 5.00" header once before the first plan. */
int run_plan_render_reg(const run_plan *p, const char *root_prefix, rp_buf *out);

#endif
