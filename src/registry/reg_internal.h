/* reg_internal.h - the backend interface behind reg.h (private to
 * src/registry/).
 *
 * Each store kind is one file implementing struct reg_backend; reg.c holds
 * everything written once on top of it: path walking, case-insensitive
 * lookup (rp_name_eq), recursive delete, tree copy, .reg export.
 *
 * Nodes are opaque handles (a hivex offset, a tree pointer, an HKEY). A node
 * obtained from root/children/child/add_child must be given back through
 * release (which may be NULL when nodes need no cleanup). Names passed to
 * backends are the exact stored spelling: matching is done by reg.c. */
#ifndef REG_INTERNAL_H
#define REG_INTERNAL_H

#include "reg.h"

#include "base/rp_buf.h"

#include <stdint.h>

typedef uintptr_t reg_node;

struct reg_backend {
	const char *kind; /* "hive", "reg", "live" */
	int (*root)(reg_store *s, reg_node *out);
	void (*release)(reg_store *s, reg_node n);
	/* Names of the subkeys in store order. When nodes is not NULL and the
	 * backend can hand out child handles cheaply, *nodes receives a
	 * malloc'd array parallel to names (each to be released); otherwise
	 * *nodes is set to NULL and reg.c calls child() for the one it needs. */
	int (*children)(reg_store *s, reg_node n, reg_names *names, reg_node **nodes);
	/* Child with exactly this stored name; RP_ENOTFOUND if absent. */
	int (*child)(reg_store *s, reg_node parent, const char *name, reg_node *out);
	int (*values)(reg_store *s, reg_node n, reg_values *out);
	/* Optional, for speed: value names only (store order), and one value
	 * given its position in that list and its exact stored name. Without
	 * them reg.c uses values(). */
	int (*value_names)(reg_store *s, reg_node n, reg_names *out);
	int (*value)(reg_store *s, reg_node n, size_t index, const char *name,
		     reg_value *out);
	/* The name is new (reg.c checked case-insensitively). */
	int (*add_child)(reg_store *s, reg_node parent, const char *name, reg_node *out);
	/* Deletes a child that has no subkeys left (reg.c recurses). */
	int (*delete_child)(reg_store *s, reg_node parent, const char *name);
	/* Replaces the value with exactly this stored name, or appends it. */
	int (*set_value)(reg_store *s, reg_node n, const char *name, uint32_t type,
			 const void *data, size_t len);
	int (*delete_value)(reg_store *s, reg_node n, const char *name);
	int (*commit)(reg_store *s);
	void (*close)(reg_store *s); /* frees the whole store */
};

#define REG_WALK_CACHE 16

struct reg_store {
	const struct reg_backend *be;
	char *name; /* file path or live root, for messages */
	unsigned flags;
	/* Recently walked paths, for backends whose nodes stay valid until
	 * deleted and need no release (hive offsets, tree pointers). Cleared
	 * on every key deletion. */
	struct {
		char *path;
		reg_node node;
	} cache[REG_WALK_CACHE];
	unsigned cache_next;
	reg_write_hook hook; /* called before each primitive write */
	void *hook_ctx;
};

/* Forgets cached walks (after deletions, or a change of root). */
void reg_cache_clear(reg_store *s);

/* Fills the common part; takes a copy of name. */
int reg_store_init(reg_store *s, const struct reg_backend *be, const char *name,
		   unsigned flags);
void reg_store_fini(reg_store *s);

/* Walks path from the root; *out must be released. RP_ENOTFOUND (message
 * naming the missing component) when a key is absent. */
int reg_walk(reg_store *s, const char *path, reg_node *out);
void reg_release(reg_store *s, reg_node n);

/* .reg text: parsed into a list of operations, applied in file order. */
enum reg_op_kind {
	REG_OP_KEY,      /* create key (and parents), makes it current */
	REG_OP_DEL_KEY,  /* delete key and subtree */
	REG_OP_VALUE,    /* set value in the current key */
	REG_OP_DEL_VALUE /* delete value from the current key */
};

struct reg_op {
	enum reg_op_kind kind;
	unsigned line;
	char *key;  /* full path as written, root normalised, e.g.
		       "HKEY_CURRENT_USER\\Software\\X" */
	char *name; /* value name ("" = default) */
	uint32_t type;
	uint8_t *data;
	size_t len;
};

struct reg_ops {
	struct reg_op *v;
	size_t n, cap;
};

/* Parses a whole .reg file image; on error nothing is returned and the
 * message names fname and the line. */
int reg_text_parse(const uint8_t *p, size_t len, const char *fname, struct reg_ops *out);
void reg_ops_free(struct reg_ops *ops);
/* Applies ops in order: keys created, values set, deletions of absent
 * keys/values ignored. full_paths: op->key is walked as is (the .reg store,
 * whose root is then the top of all root keys); otherwise only keys under
 * HKEY_CURRENT_USER are applied and the rest counted in *skipped. Errors
 * carry the op's line number. */
int reg_apply_ops(reg_store *s, const struct reg_ops *ops, bool full_paths,
		  size_t *skipped);
/* If key is "HKEY_CURRENT_USER" or lies below it, returns the part after
 * "HKEY_CURRENT_USER\\" ("" for the root itself); NULL otherwise. */
const char *reg_text_hkcu_rel(const char *key);

/* Appends the "Windows Registry Editor Version 5.00" header (UTF-8, caller
 * converts) and the key blocks of the subtree at n, named prefix. */
int reg_text_header(rp_buf *out);
int reg_text_write_tree(reg_store *s, reg_node n, const char *prefix, bool skip_empty_top,
			rp_buf *out);
/* UTF-8 text with CRLF -> UTF-16LE with BOM. */
int reg_text_encode(const rp_buf *utf8, rp_buf *out);

/* Writes data to path atomically: temporary file in the same folder,
 * flushed, renamed over path. */
int reg_file_replace(const char *path, const void *data, size_t len);
/* Reads a whole file (capped); RP_ENOTFOUND if absent. */
int reg_file_read(const char *path, uint8_t **data, size_t *len);
/* Creates a new empty file beside path (same folder, the original's
 * permissions); *tmp is malloc'd. */
int reg_file_tmpname(const char *path, char **tmp);
/* Flushes tmp and renames it over path; removes tmp on failure. */
int reg_file_install(const char *tmp, const char *path);
bool reg_file_exists(const char *path);
/* Puts a stdio stream in binary mode (Windows); no-op elsewhere. */
void reg_file_binary(FILE *f);

/* REGF base block check (reg_regf.c): RP_EDIRTY for differing sequence
 * numbers, RP_EFORMAT for a truncated or foreign file. */
int reg_regf_check(const char *path);

#endif
