/* features.h - what a switch changes in a profile, as plans (plan/plan.h).
 *
 * Each feature is a pure planner: it reads the decoded profile, the store
 * (read-only, for raw values the model does not keep), the run's context
 * (target, recipient map, the user's folders) and appends edits to a plan. It
 * never writes. The transaction (run/run_txn.h) applies the plan after the
 * backup; --dry-run prints it.
 *
 * feature_switch_plan() is the switch itself: every place in the primary
 * Exchange account's sections that names the source mailbox is pointed at the
 * target (docs/switch.md lists them). The guide's optional features
 * ("What the Utility Updates": AddBoxes, CONTAB, Nicks, Rules, ...) are the
 * rows of feature_table (feature_table.c), one planner each in
 * feature_<name>.c with the shape feature_plan_fn. docs/features.md says
 * what each changes, what "skipped" does and what is logged. */
#ifndef FEATURES_H
#define FEATURES_H

#include "base/rp_attr.h"
#include "directory/dir.h"
#include "mailbox/mbx_folders.h"
#include "plan/plan.h"
#include "profile/profile.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	char *rpc_principal; /* EXPR CertPrincipalName; NULL = no principal check */
	/* The target named its Outlook Anywhere (EXPR) settings: the MUTUAL_AUTH
	 * bit of PR_ROH_FLAGS is set when rpc_principal is, cleared otherwise. */
	bool rpc_settings;
	char *mapi_store_internal, *mapi_store_external;
	char *mapi_ab_internal, *mapi_ab_external;
	char *autodiscover_url; /* the URL (or file) that answered */
	bool o365;
	/* The online archive (Autodiscover AlternativeMailbox of Type Archive),
	 * each NULL when the answer names none. */
	char *archive_dn, *archive_server, *archive_smtp, *archive_display;
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

/* ---- The feature framework ---------------------------------------------- */

/* The Windows user's folders the file-side parts of features need. Each is
 * NULL when not known (then those parts are skipped with a warning):
 *   live registry: %USERPROFILE%, %LOCALAPPDATA%, %APPDATA%;
 *   --hive FILE:   the hive's folder, and AppData\Local, AppData\Roaming
 *                  under it;
 *   --reg FILE:    --user-dir DIR the same way, else all NULL. */
typedef struct feature_folders {
	const char *user_dir;      /* the folder holding NTUSER.DAT and AppData */
	const char *local_appdata; /* AppData\Local */
	const char *appdata;       /* AppData\Roaming */
} feature_folders;

/* How the run wants a feature handled (INI Features=/Skip=/Remove=). */
typedef enum feature_mode {
	FEATURE_MODE_PROCESS, /* selected: carry the setting over to the target */
	FEATURE_MODE_SKIP,    /* not selected: the guide's "When skipped" column */
	FEATURE_MODE_REMOVE   /* Remove=<name> (Nicks): delete the setting */
} feature_mode;

/* The target settings of another mailbox (an additional mailbox's owner),
 * looked up by its target SMTP address through the run's target
 * Autodiscover with the run's target credentials. RP_OK fills *out (free
 * with feature_target_free); RP_ENOTFOUND or another error (message set)
 * when there is no answer: the planner then falls back to the recipient map. */
typedef int (*feature_target_fn)(void *ctx, const char *smtp, feature_target *out);

/* The mailboxes of a profile as read before planning (docs/features.md,
 * "The mailbox"): the target mailbox's hierarchy, the source's when it could
 * be opened with the run's source account, and the folder map between them.
 * Read-only; the run opens them once per source and target and keeps them
 * for the run. */
typedef struct feature_mailbox {
	const mbx_mailbox *target; /* never NULL */
	/* NULL when the source mailbox could not be opened (source_why says
	 * why): then only the target (and the migration's copies in it) can be
	 * read, and map is NULL. */
	const mbx_mailbox *source;
	const mbx_folder_map *map;
	const char *source_why;
} feature_mailbox;

/* Opens (once per run) and returns the profile's mailboxes. RP_OK sets *out
 * (borrowed until the run ends); an error (message set: the URL or account
 * and the server's reason) means the mailbox cannot be read: the planner
 * then reports FEATURE_NEEDS_MAILBOX. Called only by planners that need the
 * mailbox, so a run whose features need none opens nothing. */
typedef int (*feature_mailbox_fn)(void *ctx, const feature_mailbox **out);

/* What a planner may read. Everything is borrowed and read-only. */
typedef struct feature_ctx {
	reg_store *store;               /* the profile's store: read it, never write */
	const profile *p;               /* the decoded profile */
	int ex;                         /* the switched (primary) Exchange account:
					   index into p->exchange */
	const feature_target *target;   /* the user's target mailbox */
	const feature_opts *opts;       /* switch options */
	dir_resolver *dir;              /* recipient map (LDAP or CSV), or NULL */
	feature_target_fn target_of;    /* other mailboxes' target settings, or NULL */
	void *target_of_ctx;            /* its first argument */
	const feature_folders *folders; /* never NULL; its fields may be NULL */
	feature_mode mode;
	feature_mailbox_fn mailbox_of; /* the mailboxes, or NULL (no access) */
	void *mailbox_ctx;             /* its first argument */
} feature_ctx;

typedef enum feature_status {
	FEATURE_DONE,          /* processed (counts say what changed) */
	FEATURE_SKIPPED,       /* not selected; the "When skipped" edits are planned */
	FEATURE_FAILED,        /* could not be processed; its edits are discarded */
	FEATURE_NEEDS_MAILBOX, /* lives in the mailbox: needs mailbox access, which
				  this version does not have */
	FEATURE_UNAVAILABLE    /* not implemented in this build */
} feature_status;

/* One feature's outcome in one profile: the log line and the report row. */
typedef struct feature_result {
	feature_status status;
	bool warning;     /* log at Warning level (e.g. a file-side part skipped) */
	char *message;    /* one line in the administrator's words, malloc'd; the
			     runner prefixes the feature's title */
	unsigned found;   /* items looked at (mailboxes, rows, values ...) */
	unsigned changed; /* pointed at the target / rewritten */
	unsigned kept;    /* left as they were (e.g. owner not migrated) */
	unsigned removed; /* deleted or emptied */
} feature_result;

/* Replaces r's message (printf-style). RP_OK or RP_ENOMEM. */
int feature_result_msg(feature_result *r, const char *fmt, ...) RP_PRINTF(2, 3);
void feature_result_free(feature_result *r);
/* "done", "skipped", "failed", "needs_mailbox", "unavailable". */
const char *feature_status_name(feature_status s);

/* For a planner that needs the mailbox: its view in *out, or RP_ENOTFOUND
 * after filling r (FEATURE_NEEDS_MAILBOX, "needs mailbox access, not
 * processed: <why>"); the planner then returns RP_OK with no edits.
 * RP_ENOMEM. */
int feature_need_mailbox(const feature_ctx *c, feature_result *r,
			 const feature_mailbox **out);

/* A planner: appends the feature's edits for c->mode to out and fills r
 * (status FEATURE_DONE or FEATURE_SKIPPED, counts, message). A negative
 * return (message set: one line naming the key, value or file at fault) is
 * the feature's failure: the runner discards out and applies Critical=. A
 * planner never writes to the store or to files. */
typedef int (*feature_plan_fn)(const feature_ctx *c, plan *out, feature_result *r);

typedef struct feature_def {
	const char *name;     /* INI name, as the guide spells it: "AddBoxes" */
	const char *title;    /* the administrator's words: "Additional mailboxes" */
	feature_plan_fn plan; /* NULL: not processed by this version (status
				 FEATURE_NEEDS_MAILBOX or FEATURE_UNAVAILABLE) */
	bool needs_mailbox;   /* the feature, or with plan set a part of it,
				 lives in the mailbox */
	bool uses_files;      /* reads or writes the user's files (folders) */
} feature_def;

/* The guide's "What the Utility Updates" features in its order, then the
 * junk e-mail reset (RemoveJunkEmailMessages) as "JunkReset". */
extern const feature_def feature_table[];
extern const size_t feature_count;
/* The row named name (case-insensitive), or NULL. */
const feature_def *feature_find(const char *name);

/* Runs def's planner (or reports why there is none) into out, filling r.
 * On a planner failure out is left empty, r->status is FEATURE_FAILED and
 * r->message the reason; the return is still RP_OK (RP_ENOMEM only for
 * memory). */
int feature_run(const feature_def *def, const feature_ctx *c, plan *out,
		feature_result *r);

/* Planners of this module (one file each). */
int feature_addboxes_plan(const feature_ctx *c, plan *out, feature_result *r);
int feature_usernames_plan(const feature_ctx *c, plan *out, feature_result *r);
int feature_services_plan(const feature_ctx *c, plan *out, feature_result *r);
int feature_otherusers_plan(const feature_ctx *c, plan *out, feature_result *r);
int feature_contab_plan(const feature_ctx *c, plan *out, feature_result *r);

/* ---- Nicks and SRS: the user's Outlook files (feature_nicks.c, feature_srs.c) */

int feature_nicks_plan(const feature_ctx *c, plan *out, feature_result *r);
int feature_srs_plan(const feature_ctx *c, plan *out, feature_result *r);

/* Nicks: rows, rows rewritten, rows left (not migrated, contacts, others). */
typedef struct feature_nicks_count {
	size_t rows, rewritten, left;
} feature_nicks_count;

/* The nickname files of a profile: every RoamCache\Stream_Autocomplete_*.dat
 * under f->local_appdata (sorted) and <f->appdata>\Microsoft\Outlook\
 * <profile>.nk2 when it exists. *paths: malloc'd, freed with
 * feature_paths_free. */
int feature_nicks_files(const feature_folders *f, const char *profile, char ***paths,
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
			  dir_resolver *map, rp_buf *out, feature_nicks_count *cnt);

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
/* <f->appdata>\Microsoft\Outlook\<profile>.srs (malloc'd), NULL without appdata. */
char *feature_srs_path(const feature_folders *f, const char *profile);

#endif
