/* cfg_swmlist.h - the bulk list of `reprofile switch-message create --csv
 * FILE` (docs/switch-message.md, "Bulk"): one switch message per row.
 *
 * A CSV file (cfg_csv.h; UTF-8 with or without BOM, or any encoding
 * cfg_text_decode reads) whose first record is exactly the header
 *   source,source_dn,target_smtp,target_dn,target_kind,recreate
 * optionally followed by a seventh column mailstore_url (case-insensitive).
 * Each row:
 *   source        the source mailbox's SMTP address (named in the output)
 *   source_dn     its legacyExchangeDN (the RopLogon of the Full Access
 *                 account)
 *   target_smtp   the target mailbox's primary SMTP address
 *   target_dn     the target mailbox's legacyExchangeDN
 *   target_kind   exchange | o365 (empty = exchange)
 *   recreate      1 = also the recreate message; 0 or empty = not
 *   mailstore_url the MailStore URL of the source mailbox's server; empty or
 *                 absent = the command's --mapi-url
 * Blank lines are skipped. A malformed row does not fail the load: it is
 * kept with its line and reason (and skipped by the command). A second row
 * for the same source_dn is malformed. A missing or unreadable file, a bad
 * header or an empty file fails the whole list. */
#ifndef CFG_SWMLIST_H
#define CFG_SWMLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cfg_swm_row {
	int line;     /* first line of the record */
	char *reason; /* one line; NULL = a valid row */
	/* Valid rows: */
	char *source, *source_dn, *target_smtp, *target_dn;
	char *url; /* NULL = the command's default */
	bool o365, recreate;
} cfg_swm_row;

typedef struct cfg_swmlist {
	char *path;
	cfg_swm_row *rows; /* in file order, valid and malformed */
	size_t n, nbad;
} cfg_swmlist;

/* The largest list read (64 MiB: a million rows with room to spare). */
#define CFG_SWMLIST_MAX_SIZE (64u * 1024u * 1024u)

/* Parses data (path names it in messages). RP_EFORMAT (bad header, empty
 * file, undecodable text) with one line naming path and line; RP_ENOMEM. */
int cfg_swmlist_parse(const char *path, const uint8_t *data, size_t len,
		      cfg_swmlist **out);
/* Reads and parses the file (RP_EIO / RP_ENOTFOUND naming it). */
int cfg_swmlist_load(const char *path, cfg_swmlist **out);
void cfg_swmlist_free(cfg_swmlist *l);

#endif
