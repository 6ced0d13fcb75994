/* features.h - what a switch changes in a profile, as plans (plan/plan.h).
 *
 * Each feature is a pure function: it reads the decoded profile (and, when it
 * must see raw values, the store read-only) and appends edits to a plan. It
 * never writes. The transaction (run_txn.h) applies the plan after the backup.
 *
 * feature_switch_plan() is the switch itself: every place in the primary
 * Exchange account's sections that names the source mailbox is pointed at the
 * target (docs/switch.md lists them). The guide's optional features
 * (AddBoxes, CONTAB, Nicks, Rules, ...) arrive as further feature_*_plan
 * functions with the same shape. */
#ifndef FEATURES_H
#define FEATURES_H

#include "profile/profile.h"
#include "plan/plan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dir_resolver;

/* The target mailbox, as the switch needs it. Any field may be NULL when no
 * source provided it; the switch then deletes the source's value so that
 * Outlook asks Autodiscover again rather than keep a source-org setting. */
typedef struct feature_target {
	char *smtp;          /* primary SMTP address (required) */
	char *legacy_dn;     /* mailbox legacyExchangeDN (required) */
	char *display_name;  /* Autodiscover User/DisplayName */
	char *home_server;   /* EXCH Server: "<mailbox guid>@<domain>" or a host */
	char *server_dn;     /* EXCH ServerDN */
	char *server_fqdn;   /* host of the home server, when known */
	char *rpc_proxy;     /* EXPR Server (RPC over HTTP proxy host) */
	char *rpc_principal; /* EXPR CertPrincipalName */
	char *mapi_store_internal, *mapi_store_external;
	char *mapi_ab_internal, *mapi_ab_external;
	char *autodiscover_url; /* the URL (or file) that answered */
	bool o365;
} feature_target;

void feature_target_free(feature_target *t);

typedef struct feature_opts {
	bool name_trg_store_as_src;  /* -NameTrgStoreAsSrc */
	bool keep_ost;               /* KeepOST: keep the OST path */
	bool modify_exclude_scp;     /* set AutoDiscover\ExcludeScpLookup=1 */
	const char *adisc_cache_dir; /* folder of Outlook's cached Autodiscover
					XML files, or NULL to leave them */
} feature_opts;

/* Appends the switch of p's primary Exchange account (exchange index ex) to
 * plan. The store is read for the values the model does not keep. Errors: a
 * value that cannot be decoded or re-encoded (message names key and value). */
int feature_switch_plan(reg_store *s, const profile *p, int ex, const feature_target *t,
			const feature_opts *o, plan *out);

/* The Outlook AutoDiscover settings key of a profile root version
 * ("Software\Microsoft\Office\16.0\Outlook\AutoDiscover"), or NULL for the
 * legacy root, malloc'd. */
char *feature_autodiscover_key(const char *version);

/* ---- File-side features: the user's Outlook files ----------------------- */

/* The Windows user's folders (%LOCALAPPDATA%, %APPDATA%); NULL when unknown,
 * then the file-side parts are skipped. */
typedef struct feature_user_dirs {
	const char *local_appdata;
	const char *appdata;
} feature_user_dirs;

/* Nicks: rows, rows rewritten, rows left (not migrated, contacts, others). */
typedef struct feature_nicks_count {
	size_t rows, rewritten, left;
} feature_nicks_count;

/* The nickname files of a profile: every RoamCache\Stream_Autocomplete_*.dat
 * under local_appdata (sorted) and <appdata>\Microsoft\Outlook\<profile>.nk2
 * when it exists. *paths: malloc'd, freed with feature_paths_free. */
int feature_nicks_files(const feature_user_dirs *u, const char *profile, char ***paths,
			size_t *n);
void feature_paths_free(char **paths, size_t n);
/* Reads a nickname file (at most 64 MiB). */
int feature_nicks_read(const char *path, uint8_t **data, size_t *len);
/* Rewrites the rows of one nickname file (nk2: a .nk2 file, else a stream)
 * that name a migrated recipient (EX rows by DN, SMTP rows by address)
 * through map, appending the new file to out (the same bytes when no row
 * changed). RP_EUNSUPPORTED when the major version is not the one Outlook
 * writes for that kind (leave the file alone), RP_EFORMAT for a malformed
 * file, directory errors as dir_lookup_many returns them; every message
 * starts with name. map NULL: nothing is rewritten (rows are counted). */
int feature_nicks_rewrite(const char *name, const uint8_t *data, size_t n, bool nk2,
			  struct dir_resolver *map, rp_buf *out,
			  feature_nicks_count *cnt);

/* The Nicks planner (docs/features.md "Nicks"): every nickname file of the
 * user (feature_nicks_files) that has rows of migrated recipients gets a
 * whole-file write; remove (Remove=Nicks) deletes every file instead. The
 * transaction backs each file up first. *summary (malloc'd) is the log line
 * ("Nicknames: N rows, M rewritten, K left (not migrated)"); *warning
 * (malloc'd or NULL) names files left alone for their major version. A
 * malformed or unreadable file fails the feature (message names the file)
 * and adds nothing to out: all files or none. */
int feature_nicks_plan(const feature_user_dirs *u, const char *profile,
		       struct dir_resolver *map, bool remove, plan *out, char **summary,
		       char **warning);

/* SRS: what identifies the source mailbox. */
typedef struct feature_srs_source {
	const uint8_t *store_eid; /* PR_STORE_ENTRYID of the primary store */
	size_t store_eid_len;
	const char *dn;   /* legacyExchangeDN */
	const char *smtp; /* primary SMTP address */
} feature_srs_source;

/* NULL when data names nothing of src; else what it names ("the source
 * mailbox DN (UTF-16)", static). Strings match as Windows-1252 or UTF-16LE,
 * ASCII letters without case; the entry ID byte for byte. */
const char *feature_srs_names_source(const uint8_t *data, size_t n,
				     const feature_srs_source *src);
/* <appdata>\Microsoft\Outlook\<profile>.srs (malloc'd), NULL without appdata. */
char *feature_srs_path(const feature_user_dirs *u, const char *profile);
/* The SRS planner (docs/features.md "SRS"): the profile's .srs file is
 * deleted (backed up by the transaction) when it names the source mailbox,
 * else kept. *summary (malloc'd): the log line saying which and why. An
 * unreadable file fails the feature (message names it). */
int feature_srs_plan(const feature_user_dirs *u, const char *profile,
		     const feature_srs_source *src, plan *out, char **summary);

#endif
