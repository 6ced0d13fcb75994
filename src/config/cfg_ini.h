/* cfg_ini.h - reader for the guide's INI files (CPUU.ini / reprofile.ini and
 * SwitchResMB.ini).
 *
 * Rules (docs/ini-reference.md, "File format"):
 *  - encodings: UTF-8 with or without BOM, UTF-16LE/BE with BOM, UTF-16LE
 *    without BOM (detected by a NUL second byte), otherwise Windows-1252;
 *    everything is converted to UTF-8. CRLF, LF and lone CR end lines.
 *  - "[Section]" headers; section and key names compare case-insensitively
 *    (ASCII); surrounding blanks are trimmed from names and values.
 *  - "key=value": the first '=' splits, later ones belong to the value; one
 *    pair of matching surrounding quotes (" or ') is removed from the value,
 *    as GetPrivateProfileString does (entry->raw keeps them).
 *  - full-line comments start with ';' or '#'. There are no inline comments
 *    (a Body may contain ';' or '#').
 *  - a line without '=' is kept as a bare entry (key NULL); in a list section
 *    (named by the caller, e.g. [Mailboxes]) every non-comment line is a list
 *    item even if it contains '=' (legacyExchangeDNs do).
 *  - duplicate key in a section: the FIRST value is used, as by Windows'
 *    GetPrivateProfileString, and a warning is recorded; the lines of a
 *    repeated section header are ignored, as Windows does, with a warning.
 * Errors (RP_EFORMAT, message "FILE:LINE: what"): a line before any section
 * header, an unterminated or trailing-text header, an empty key name, a NUL
 * character. */
#ifndef CFG_INI_H
#define CFG_INI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cfg_ini_entry {
	char *key;   /* trimmed key; NULL for a bare or list line */
	char *value; /* trimmed value without its surrounding quotes; the line
			for a bare or list line */
	char *raw;   /* trimmed value as written (quotes kept) */
	int line;    /* 1-based line number */
	bool dup;    /* a later duplicate of an earlier key: ignored */
} cfg_ini_entry;

typedef struct cfg_ini_section {
	char *name; /* as first written */
	int line;   /* line of its first header */
	bool list;  /* a caller-named list section */
	cfg_ini_entry *entries;
	size_t n, cap;
} cfg_ini_section;

typedef struct cfg_ini {
	char *path;           /* the name used in messages */
	const char *encoding; /* static: "UTF-8", "UTF-8 BOM", "UTF-16LE", ... */
	cfg_ini_section *secs;
	size_t nsecs;
	char **warnings; /* "FILE:LINE: ..." lines */
	size_t nwarn;
} cfg_ini;

/* Largest INI accepted (bytes). */
#define CFG_INI_MAX_SIZE (16u * 1024u * 1024u)

/* Parses len bytes; path is only used in messages. list_sections is a
 * NULL-terminated array of section names read as plain lists (may be NULL).
 * On success *out is a new cfg_ini (free with cfg_ini_free). Errors:
 * RP_EFORMAT / RP_ELIMIT / RP_ENOMEM with the message set. */
int cfg_ini_parse(const char *path, const uint8_t *data, size_t len,
		  const char *const *list_sections, cfg_ini **out);
/* Reads the file and parses it; RP_ENOTFOUND / RP_EIO name the file. */
int cfg_ini_load(const char *path, const char *const *list_sections, cfg_ini **out);
void cfg_ini_free(cfg_ini *ini);

/* Section by name (case-insensitive) or NULL. */
const cfg_ini_section *cfg_ini_section_find(const cfg_ini *ini, const char *name);
/* First (used) entry for key in sec (case-insensitive) or NULL; sec may be NULL. */
const cfg_ini_entry *cfg_ini_get(const cfg_ini_section *sec, const char *key);
/* Convenience: value of [section] key or NULL. */
const char *cfg_ini_value(const cfg_ini *ini, const char *section, const char *key);

/* Decodes a whole text file to NUL-terminated UTF-8 (the encodings above).
 * *encoding gets a static name. Shared with the switch-list reader. */
int cfg_text_decode(const uint8_t *data, size_t len, char **out, size_t *outlen,
		    const char **encoding);
/* Reads a whole file (at most max bytes) into *data (caller frees). */
int cfg_read_file(const char *path, size_t max, uint8_t **data, size_t *len);

#endif
