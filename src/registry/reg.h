/* reg.h - one key/value API over three registry stores.
 *
 * Stores:
 *   - REGF hive files (NTUSER.DAT) through libhivex       reg_open_hive()
 *   - .reg text files (REGEDIT4 / version 5.00)            reg_open_regfile()
 *   - the live Windows registry (Windows build only)       reg_open_live()
 *
 * Paths. A key path is a backslash-separated UTF-8 string relative to the
 * store's root, e.g. "Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles".
 * "" is the root. For a hive file the root is the hive's root key (for an
 * NTUSER.DAT, what Windows mounts as HKEY_CURRENT_USER). For a .reg file the
 * root is HKEY_CURRENT_USER: the prefix "HKEY_CURRENT_USER\\" (or "HKCU\\")
 * is stripped on read and added on write; keys under another hive are kept
 * but are not reachable through this API. Key and value names compare
 * case-insensitively (rp_name_eq); the stored spelling is preserved.
 *
 * Values. Data is the raw bytes Windows stores: REG_SZ/REG_EXPAND_SZ/
 * REG_MULTI_SZ as UTF-16LE including terminators, REG_DWORD as 4 LE bytes,
 * and so on. Value names are UTF-8; "" is the default value.
 *
 * Writes. Changes are made in memory and reach the backing store only on
 * reg_commit(). For files, commit writes a temporary file in the same
 * folder, flushes it and renames it over the original, so a crash never
 * leaves a half-written file. For the live registry every write is
 * immediate and commit is a no-op (the applier in run/ owns atomicity
 * there). reg_close() without commit discards file changes.
 *
 * Errors: negative rp_err, message set, naming the file, key and value. */
#ifndef REG_H
#define REG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Windows value types (winnt.h values). */
enum {
	REG_T_NONE = 0,
	REG_T_SZ = 1,
	REG_T_EXPAND_SZ = 2,
	REG_T_BINARY = 3,
	REG_T_DWORD = 4,
	REG_T_DWORD_BE = 5,
	REG_T_LINK = 6,
	REG_T_MULTI_SZ = 7,
	REG_T_QWORD = 11
};

/* Open flags. */
#define REG_OPEN_WRITE 0x1u  /* allow changes and commit */
#define REG_OPEN_CREATE 0x2u /* .reg / hive: create an empty store if absent */

/* Hard caps against hostile input (hivex-style). */
#define REG_MAX_VALUE_LEN (16u * 1024 * 1024)
#define REG_MAX_DEPTH 512

typedef struct reg_store reg_store;

typedef struct reg_value {
	char *name;    /* UTF-8, "" for the default value */
	uint32_t type; /* REG_T_* or any other number found */
	uint8_t *data; /* raw bytes, may be NULL when len == 0 */
	size_t len;
} reg_value;

typedef struct reg_names {
	char **v; /* UTF-8 names, in store order */
	size_t n;
} reg_names;

typedef struct reg_values {
	reg_value *v; /* in store order */
	size_t n;
} reg_values;

int reg_open_hive(reg_store **out, const char *path, unsigned flags);
int reg_open_regfile(reg_store **out, const char *path, unsigned flags);
/* root: NULL for HKEY_CURRENT_USER, or e.g. "HKEY_USERS\\reprofile-<sid>"
 * for a hive loaded by the caller. RP_EUNSUPPORTED on non-Windows builds. */
int reg_open_live(reg_store **out, const char *root, unsigned flags);
/* Makes a minimal valid empty REGF hive file (hivex cannot create one):
 * version 1.3, one hbin holding the root key "ROOT" and its security
 * descriptor. RP_EEXISTS if path exists (never overwrites). */
int reg_hive_create_empty(const char *path);

/* Path of the backing file or root, for messages ("(live HKCU)" for live). */
const char *reg_store_name(const reg_store *s);
/* "hive", "reg" or "live". */
const char *reg_store_kind(const reg_store *s);

int reg_commit(reg_store *s);
void reg_close(reg_store *s);

/* RP_OK if the key exists, RP_ENOTFOUND if not. */
int reg_key_exists(reg_store *s, const char *path);
int reg_list_subkeys(reg_store *s, const char *path, reg_names *out);
int reg_list_values(reg_store *s, const char *path, reg_values *out);
/* RP_ENOTFOUND (message set) if the key or value is absent. */
int reg_get_value(reg_store *s, const char *path, const char *name, reg_value *out);

/* Creates the key and any missing parents; RP_OK if it already exists. */
int reg_create_key(reg_store *s, const char *path);
/* Deletes the key and everything below it; RP_ENOTFOUND if absent. */
int reg_delete_key(reg_store *s, const char *path);
/* Creates or replaces a value; the key must exist. */
int reg_set_value(reg_store *s, const char *path, const char *name, uint32_t type,
		  const void *data, size_t len);
/* RP_ENOTFOUND if absent. */
int reg_delete_value(reg_store *s, const char *path, const char *name);
/* Copies the subtree at src to dst (created; must not exist) inside s. */
int reg_copy_tree(reg_store *s, const char *src, const char *dst);
/* Copies the subtree src of store from into store to at dst. */
int reg_copy_tree_between(reg_store *from, const char *src, reg_store *to,
			  const char *dst);

void reg_value_free(reg_value *v);
void reg_names_free(reg_names *n);
void reg_values_free(reg_values *v);

/* .reg text (any store). Import applies a .reg file's keys, values and
 * deletions ([-key], "v"=-) in file order to s, below its root; keys outside
 * HKEY_CURRENT_USER are skipped and counted in *skipped (may be NULL). The
 * whole file is parsed before the first change, so a malformed file changes
 * nothing; errors name the file and line. The changes still need
 * reg_commit(). */
int reg_import_regfile(reg_store *s, const char *path, size_t *skipped);
int reg_import_regfile_mem(reg_store *s, const void *data, size_t len, const char *name,
			   size_t *skipped);
/* Export writes key (and its subtree) as a version 5.00 .reg file (UTF-16LE
 * with BOM, CRLF) under HKEY_CURRENT_USER; the file is replaced atomically.
 * _mem returns a malloc'd image instead. */
int reg_export_regfile(reg_store *s, const char *key, const char *out_path);
int reg_export_mem(reg_store *s, const char *key, uint8_t **data, size_t *len);
/* Writes the export to an open stream (switched to binary mode on Windows). */
int reg_export_stream(reg_store *s, const char *key, FILE *f);
/* A read-only .reg store parsed from memory (fuzzing, tests); name is used
 * in messages. */
int reg_open_regfile_mem(reg_store **out, const void *data, size_t len, const char *name);

/* Helpers over raw data. */
/* REG_SZ/EXPAND_SZ data (UTF-16LE) -> malloc'd UTF-8. */
int reg_data_to_utf8(const reg_value *v, char **out);
/* Sets a REG_SZ from UTF-8. */
int reg_set_sz(reg_store *s, const char *path, const char *name, const char *utf8);
int reg_set_dword(reg_store *s, const char *path, const char *name, uint32_t v);

/* .reg text for one value, as the .reg writer emits it: a line such as
 * "name"="text" or "name"=hex(7):.. (wrapped with "\\" continuations), CRLF
 * terminated, appended to out. Used by the writer and by dry-run plans. */
struct rp_buf;
int reg_format_value(struct rp_buf *out, const char *name, uint32_t type,
		     const void *data, size_t len);
/* "name"=- (CRLF terminated): the .reg form of a value deletion. */
int reg_format_deletion(struct rp_buf *out, const char *name);

/* Called before every primitive write (set or delete a value, create or
 * delete a key) on s, including the writes inside reg_copy_tree and
 * reg_delete_key. A negative return fails that write with the same code.
 * Tests use it to stop the process after N writes (crash injection). */
typedef int (*reg_write_hook)(void *ctx);
void reg_set_write_hook(reg_store *s, reg_write_hook fn, void *ctx);

#endif
