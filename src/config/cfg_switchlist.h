/* cfg_switchlist.h - the switch list named by SwitchList= in [Parameters].
 *
 * A CSV file (RFC 4180: ',' separators, "quoted" fields with "" for a quote,
 * quoted fields may span lines; CRLF or LF; UTF-8 with or without BOM, or any
 * encoding cfg_text_decode reads) whose first record is exactly the header
 *   source,target_smtp,target_legacy_dn,target_kind
 * (case-insensitive, blanks around unquoted fields ignored). Each row:
 *   source           source primary SMTP address or legacyExchangeDN
 *   target_smtp      target SMTP address (required)
 *   target_legacy_dn target legacyExchangeDN, may be empty (from Autodiscover)
 *   target_kind      exchange | o365
 * Blank lines are skipped. A malformed row does not fail the load: it is
 * recorded with its line and the source it names, and a lookup of that source
 * answers CFG_SL_INVALID (the engine reports CPUU_INVALID_SWITCH_MSG for the
 * profile). Two rows for the same source with different targets are both
 * reported (the second as malformed). A missing file, an unreadable file or a
 * bad header is an error for the whole list. */
#ifndef CFG_SWITCHLIST_H
#define CFG_SWITCHLIST_H

#include <stddef.h>
#include <stdint.h>

enum cfg_target_kind { CFG_TARGET_EXCHANGE, CFG_TARGET_O365 };

typedef struct cfg_switch_entry {
	char *source; /* as written */
	char *target_smtp;
	char *target_legacy_dn; /* NULL when empty */
	enum cfg_target_kind kind;
	int line;
} cfg_switch_entry;

typedef struct cfg_switch_bad {
	int line;     /* first line of the record */
	char *source; /* the source the row names, NULL if none could be read */
	char *reason; /* one line */
} cfg_switch_bad;

typedef struct cfg_switchlist {
	char *path;
	cfg_switch_entry *entries; /* sorted by source, case-insensitively */
	size_t n;
	cfg_switch_bad *bad; /* in file order */
	size_t nbad;
} cfg_switchlist;

enum cfg_sl_result { CFG_SL_FOUND, CFG_SL_NOT_LISTED, CFG_SL_INVALID };

/* Largest switch list accepted (bytes). */
#define CFG_SWITCHLIST_MAX_SIZE (256u * 1024u * 1024u)

/* Parses len bytes (path is used in messages). Errors: RP_EFORMAT for a bad
 * header or undecodable text, RP_ENOMEM. */
int cfg_switchlist_parse(const char *path, const uint8_t *data, size_t len,
			 cfg_switchlist **out);
/* Reads and parses a file; RP_ENOTFOUND names a missing file. */
int cfg_switchlist_load(const char *path, cfg_switchlist **out);
void cfg_switchlist_free(cfg_switchlist *l);

/* Looks up a profile by its source SMTP address and/or legacyExchangeDN
 * (either may be NULL), case-insensitively. CFG_SL_INVALID when a malformed
 * row names either (then *bad is set); CFG_SL_FOUND with *entry otherwise
 * when a row matches; entry and bad may be NULL. */
enum cfg_sl_result cfg_switchlist_lookup(const cfg_switchlist *l, const char *smtp,
					 const char *legacy_dn,
					 const cfg_switch_entry **entry,
					 const cfg_switch_bad **bad);

#endif
