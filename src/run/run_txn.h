/* run_txn.h - one profile's switch as a recoverable transaction.
 *
 * Layout in the same store as the profile (never under ...\Profiles, so a
 * backup is never shown to Outlook as a profile):
 *   Software\reprofile\State\<root>\<profile key>   status record (below)
 *   Software\reprofile\Backup\<root>\<profile key>  Profile  = copy of the tree
 *                                                   Keys\NNNN = other keys the
 *                                                     plan touches (Path, Existed,
 *                                                     Data = copy of the tree)
 *                                                   Files\NNNN = Path, Copy
 *                                                     (Copy "" = the file did not
 *                                                     exist; restore deletes it)
 * <root> is the profile root tag ("16.0", "15.0", "WMS").
 *
 * Phases (value Phase in the state record), written before the step starts:
 *   backup  - backup in progress; the profile is untouched
 *   apply   - backup complete; the plan is being written
 *   done    - the plan is written (Status 10)
 *   drop    - the profile is restored; the backup is being removed
 *   rolledback - restored from backup (Status 12); backup removed
 *   cleaned - cleanup removed the backup (Status 14); rollback impossible
 * A run that finds "backup" discards the partial backup; one that finds
 * "apply" restores the profile from the complete backup first, and one that
 * finds "drop" finishes removing the backup (run_txn_recover). So after any
 * crash the next run starts from the original profile and ends with the
 * fully switched one. On a file store everything,
 * state included, reaches the disk in one atomic commit anyway.
 *
 * Status values are the guide's PROFILE_* codes. */
#ifndef RUN_TXN_H
#define RUN_TXN_H

#include "plan/plan.h"

#include <stdbool.h>

struct reg_store;

typedef struct run_profile_ref {
	struct reg_store *store;
	const char *root_tag;        /* "16.0", "15.0", "WMS" */
	const char *profiles_path;   /* key holding the profiles */
	const char *profile_key;     /* the profile's key name under it */
	const char *file_backup_dir; /* folder for file copies; NULL = no file edits */
	int (*file_hook)(void *);    /* called before each file write (crash tests), */
	void *file_hook_ctx;         /* or NULL */
} run_profile_ref;

typedef struct run_state {
	bool present;
	char *phase;
	int status;
	int prev_status;
	char *source_smtp, *source_dn, *target_smtp, *target_dn;
	char *time; /* ISO 8601 UTC */
} run_state;

void run_state_free(run_state *st);
int run_state_read(const run_profile_ref *ref, run_state *out);
/* Records status (and previous = the old status) without touching backups. */
int run_state_set_status(const run_profile_ref *ref, int status);

/* Finishes or undoes a transaction a crash left open. *recovered is set when
 * something was done. RP_OK when there was nothing to recover. */
int run_txn_recover(const run_profile_ref *ref, bool *recovered);

/* Backs up the profile and every key and file the plan touches, writes the
 * plan (files first, then the registry), marks the profile switched (status
 * 10) with the identities in ids (phase/status fields of ids are ignored).
 * No commit at the end: the caller commits. A plan with file edits commits
 * the store once after the backup, before the first file is written. */
int run_txn_update(const run_profile_ref *ref, const plan *pl, const run_state *ids,
		   const char *now_iso);

/* Restores the profile, keys and files from the backup byte for byte, removes
 * the backup, records status 12. RP_ENOTFOUND if there is no backup. */
int run_txn_rollback(const run_profile_ref *ref, const char *now_iso);

/* Removes the backup (and copied files) and leaves a record with status 14
 * and phase "cleaned", so a later rollback can say it is impossible.
 * RP_ENOTFOUND when the profile has no state, or is already cleaned. */
int run_txn_cleanup(const run_profile_ref *ref, const char *now_iso);

/* True if a complete backup exists (phase apply or done). */
bool run_txn_has_backup(const run_profile_ref *ref);

#endif
