/* run_modes.h - the three modes over one registry store: update, rollback,
 * cleanup (the guide's "Modes"). Each returns the guide's exit bits for what
 * it did (cfg_codes.h) and writes one CSV status row per profile it looked at.
 *
 * update   : per selected profile, recover an interrupted run, classify
 *            (run_classify.h), find the switch information and the target
 *            (run_target.h), plan (features.h), then back up, apply and mark
 *            (run_txn.h). --dry-run prints the plans as a .reg diff and
 *            writes nothing.
 * rollback : restores each selected profile from its backup, byte for byte.
 * cleanup  : removes the backups; rollback is impossible afterwards.
 * On a file store (hive, .reg) all changes reach the file in one commit at
 * the end of the run. */
#ifndef RUN_MODES_H
#define RUN_MODES_H

#include "config/cfg_cmdline.h"
#include "config/cfg_settings.h"
#include "config/cfg_switchlist.h"
#include "directory/dir.h"
#include "discover/adisc.h"
#include "features/features.h"
#include "registry/reg.h"
#include "report/rpt_record.h"
#include "run/run_creds.h"
#include "run/run_log.h"

#include <stdio.h>

typedef struct run_ctx {
	reg_store *store;
	const cfg_cmdline *cl;
	const cfg_settings *st;
	run_log *log;
	adisc_resolver *target_resolver; /* NULL: switch-list identities only */
	/* Source-side Autodiscover (run_target.h, run_switch_find): NULL = no
	 * source check. source_local: it reads local XML files, where a source
	 * without a file is not checked. */
	adisc_resolver *source_resolver;
	bool source_local;
	cfg_switch_entry adisc_switch; /* storage for a switch found by Autodiscover
					  or by the switch message */
	/* SwitchSources=message (run_srcmsg.h): the reader, or NULL; what the
	 * last run_switch_find found there: msg_bad (a malformed message),
	 * from_message (adisc_switch came from a switch message) and
	 * msg_recreate (a valid recreate message is there too: KeepOST and
	 * BackupOST apply, docs/switch-message.md). */
	struct run_srcmsg *srcmsg;
	cfg_switch_bad msg_bad;
	bool from_message, msg_recreate;
	run_creds *creds;          /* the accounts behind target_resolver, or NULL */
	struct run_signin *signin; /* the target sign-in check (run_signin.h), or NULL */
	struct run_mailbox
	    *mailbox; /* the features' mailbox reads (run_mailbox.h), or NULL */
	const cfg_switchlist *switches; /* NULL: no switch information */
	const char *file_backup_dir;    /* copies of files a plan writes or deletes */
	int (*file_hook)(void *);       /* called before each file write (crash */
	void *file_hook_ctx;            /* tests), or NULL */
	const char *adisc_cache_dir;    /* Outlook's cached Autodiscover XML, or NULL */
	FILE *dry_out;                  /* --dry-run output (stdout) */
	const char *now_iso;            /* time stamp for state records */
	dir_resolver *recipients;       /* recipient map for the features, or NULL */
	feature_folders folders;        /* the user's folders (features.h) */
	const char *name_prefix;        /* bulk mode: the hive path, prefixed to profile
					   names in the log and CSV ("<hive>\\<profile>") */
	rpt_record *record;             /* the run record (docs/report.md), or NULL */
} run_ctx;

int run_update(run_ctx *c);
int run_rollback(run_ctx *c);
int run_cleanup(run_ctx *c);
/* A configuration error stopped the run before any profile: each selected
 * profile gets its CSV row, 0 PROFILE_WAS_NOT_PROCESSED (previous status from
 * reprofile's state), so that a fleet's failure shows where the statuses are
 * collected. Reads only; c->st may be defaults. Returns exit bits (16 when
 * the store's profiles cannot be listed). */
int run_not_processed(run_ctx *c);

#endif
