#include "run_txn.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "platform/plat.h"
#include "registry/reg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The guide's status codes this module records ("CPUU Return Codes"). */
enum { ST_MODIFYING_OK = 10, ST_RESTORE_OK = 12, ST_CLEANUP_OK = 14 };

#define RUN_ROOT "Software\\reprofile"

static char *state_path(const run_profile_ref *r)
{
	return rp_asprintf(RUN_ROOT "\\State\\%s\\%s", r->root_tag, r->profile_key);
}

static char *backup_path(const run_profile_ref *r, const char *sub)
{
	return rp_asprintf(RUN_ROOT "\\Backup\\%s\\%s%s%s", r->root_tag, r->profile_key,
			   sub ? "\\" : "", sub ? sub : "");
}

static char *profile_path(const run_profile_ref *r)
{
	return rp_asprintf("%s\\%s", r->profiles_path, r->profile_key);
}

static int get_sz(reg_store *s, const char *path, const char *name, char **out)
{
	reg_value v = {0};
	int rc = reg_get_value(s, path, name, &v);
	*out = NULL;
	if (rc < 0)
		return rc;
	rc = reg_data_to_utf8(&v, out);
	reg_value_free(&v);
	return rc;
}

static int get_dword(reg_store *s, const char *path, const char *name, int *out)
{
	reg_value v = {0};
	int rc = reg_get_value(s, path, name, &v);
	if (rc < 0)
		return rc;
	if (v.type != REG_T_DWORD || v.len != 4)
		rc = rp_error_set(RP_EFORMAT, "%s: value '%s' is not a REG_DWORD", path,
				  name);
	else
		*out = (int)rp_le32(v.data);
	reg_value_free(&v);
	return rc;
}

void run_state_free(run_state *st)
{
	free(st->phase);
	free(st->source_smtp);
	free(st->source_dn);
	free(st->target_smtp);
	free(st->target_dn);
	free(st->time);
	memset(st, 0, sizeof(*st));
}

int run_state_read(const run_profile_ref *ref, run_state *out)
{
	char *sp = state_path(ref);
	int rc;
	memset(out, 0, sizeof(*out));
	if (!sp)
		return RP_ENOMEM;
	rc = reg_key_exists(ref->store, sp);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		free(sp);
		return RP_OK;
	}
	if (rc == RP_OK) {
		/* A crash can leave the record half-written: a missing Phase or
		 * Status is read as "backup not finished" / 0, never as an error. */
		int st = 0, prev = 0;
		get_sz(ref->store, sp, "Phase", &out->phase);
		if (get_dword(ref->store, sp, "Status", &st) == RP_OK)
			out->status = st;
		if (get_dword(ref->store, sp, "PreviousStatus", &prev) == RP_OK)
			out->prev_status = prev;
		get_sz(ref->store, sp, "SourceSMTP", &out->source_smtp);
		get_sz(ref->store, sp, "SourceDN", &out->source_dn);
		get_sz(ref->store, sp, "TargetSMTP", &out->target_smtp);
		get_sz(ref->store, sp, "TargetDN", &out->target_dn);
		get_sz(ref->store, sp, "Time", &out->time);
		rp_error_clear();
		out->present = true;
	} else {
		rc = rp_error_wrap(rc, "state of profile '%s'", ref->profile_key);
		run_state_free(out);
	}
	free(sp);
	return rc;
}

static int set_phase(reg_store *s, const char *sp, const char *phase)
{
	return reg_set_sz(s, sp, "Phase", phase);
}

static int write_status(const run_profile_ref *ref, const char *sp, int status)
{
	int old = 0, rc;
	if (get_dword(ref->store, sp, "Status", &old) < 0)
		old = 0;
	rp_error_clear();
	rc = reg_set_dword(ref->store, sp, "PreviousStatus", (uint32_t)old);
	return rc < 0 ? rc : reg_set_dword(ref->store, sp, "Status", (uint32_t)status);
}

int run_state_set_status(const run_profile_ref *ref, int status)
{
	char *sp = state_path(ref);
	int rc;
	if (!sp)
		return RP_ENOMEM;
	rc = reg_create_key(ref->store, sp);
	if (rc == RP_OK)
		rc = write_status(ref, sp, status);
	free(sp);
	return rc;
}

/* Is path the profile key or below it? */
static bool under(const char *path, const char *root)
{
	size_t n = strlen(root);
	char *head;
	bool eq;
	if (strlen(path) < n || (path[n] != '\0' && path[n] != '\\'))
		return false;
	if (!(head = rp_strndup(path, n)))
		return false;
	eq = rp_name_eq(head, root);
	free(head);
	return eq;
}

/* Copies one file the plan writes or deletes into the backup folder and
 * records it under Backup\...\Files\NNNN (Copy is "" when the file did not
 * exist: restore then deletes it). */
static int backup_file(const run_profile_ref *ref, const char *path, size_t n)
{
	char *copy = NULL, *base = NULL, *slot = NULL;
	bool exists = plat_file_exists(path);
	int rc;
	if (!ref->file_backup_dir)
		return rp_error_set(RP_EINVAL,
				    "plan changes %s but no backup folder is set", path);
	if ((rc = plat_mkdir_p(ref->file_backup_dir)) < 0)
		return rc;
	copy = rp_asprintf("%s/%s-%04zu.bak", ref->file_backup_dir, ref->profile_key, n);
	base = backup_path(ref, NULL);
	slot = base ? rp_asprintf("%s\\Files\\%04zu", base, n) : NULL;
	rc = (copy && slot) ? RP_OK : RP_ENOMEM;
	if (rc == RP_OK && exists)
		rc = plat_copy_file(path, copy);
	if (rc == RP_OK)
		rc = reg_create_key(ref->store, slot);
	if (rc == RP_OK)
		rc = reg_set_sz(ref->store, slot, "Path", path);
	if (rc == RP_OK)
		rc = reg_set_sz(ref->store, slot, "Copy", exists ? copy : "");
	free(copy);
	free(base);
	free(slot);
	return rc;
}

/* Backs up the keys outside the profile and the files the plan touches. */
static int backup_extras(const run_profile_ref *ref, const plan *pl, const char *prof)
{
	size_t i, j, nkeys = 0, nfiles = 0;
	int rc = RP_OK;
	for (i = 0; i < pl->n && rc == RP_OK; i++) {
		const plan_edit *e = &pl->v[i];
		char *slot = NULL;
		bool seen = false;
		if (plan_edit_is_file(e)) {
			/* Once per file: a second copy would hold the plan's
			 * own first write, not the original. */
			for (j = 0; j < i && !seen; j++)
				seen = plan_edit_is_file(&pl->v[j]) &&
				       strcmp(pl->v[j].path, e->path) == 0;
			if (!seen)
				rc = backup_file(ref, e->path, nfiles++);
			continue;
		}
		if (under(e->path, prof))
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = !plan_edit_is_file(&pl->v[j]) &&
			       rp_name_eq(pl->v[j].path, e->path);
		if (seen)
			continue;
		{
			char *base = backup_path(ref, NULL);
			slot =
			    base ? rp_asprintf("%s\\Keys\\%04zu", base, nkeys++) : NULL;
			free(base);
		}
		if (!slot)
			return RP_ENOMEM;
		rc = reg_create_key(ref->store, slot);
		if (rc == RP_OK)
			rc = reg_set_sz(ref->store, slot, "Path", e->path);
		if (rc == RP_OK) {
			bool exists = reg_key_exists(ref->store, e->path) == RP_OK;
			rp_error_clear();
			rc = reg_set_dword(ref->store, slot, "Existed", exists);
			if (rc == RP_OK && exists) {
				char *data = rp_asprintf("%s\\Data", slot);
				rc = data ? reg_copy_tree(ref->store, e->path, data)
					  : RP_ENOMEM;
				free(data);
			}
		}
		free(slot);
	}
	return rc;
}

int run_txn_update(const run_profile_ref *ref, const plan *pl, const run_state *ids,
		   const char *now_iso)
{
	char *sp = state_path(ref), *bp = backup_path(ref, NULL), *bprof = NULL;
	char *prof = profile_path(ref);
	size_t i;
	int rc;

	if (!sp || !bp || !prof || !(bprof = backup_path(ref, "Profile"))) {
		rc = RP_ENOMEM;
		goto out;
	}
	/* Phase 1: backup (a stale partial backup is discarded first). */
	rc = reg_create_key(ref->store, sp);
	if (rc == RP_OK)
		rc = set_phase(ref->store, sp, "backup");
	if (rc == RP_OK && reg_key_exists(ref->store, bp) == RP_OK)
		rc = reg_delete_key(ref->store, bp);
	rp_error_clear();
	if (rc == RP_OK)
		rc = reg_copy_tree(ref->store, prof, bprof);
	if (rc == RP_OK)
		rc = backup_extras(ref, pl, prof);
	{
		const char *names[] = {"SourceSMTP", "SourceDN", "TargetSMTP",
				       "TargetDN"};
		const char *vals[] = {ids->source_smtp, ids->source_dn, ids->target_smtp,
				      ids->target_dn};
		for (i = 0; i < 4 && rc == RP_OK; i++)
			rc = reg_set_sz(ref->store, sp, names[i], vals[i] ? vals[i] : "");
	}
	if (rc == RP_OK)
		rc = reg_set_sz(ref->store, sp, "Time", now_iso);
	if (rc < 0) {
		rc = rp_error_wrap(rc, "backup of profile '%s'", ref->profile_key);
		goto out;
	}
	/* Phase 2: apply. Files first, after the complete backup and the
	 * "apply" phase are on disk: a file store is committed here when the
	 * plan has files, so a crash after a file write is always undone by
	 * run_txn_recover from the copies (files are outside the store's own
	 * atomic commit). */
	rc = set_phase(ref->store, sp, "apply");
	if (rc == RP_OK && plan_has_files(pl))
		rc = reg_commit(ref->store);
	if (rc == RP_OK)
		rc = plan_apply_files(pl, ref->file_hook, ref->file_hook_ctx);
	if (rc == RP_OK)
		rc = plan_apply_registry(pl, ref->store);
	/* Phase 3: mark. */
	if (rc == RP_OK)
		rc = write_status(ref, sp, ST_MODIFYING_OK);
	if (rc == RP_OK)
		rc = set_phase(ref->store, sp, "done");
	if (rc < 0)
		rc = rp_error_wrap(rc, "switch of profile '%s'", ref->profile_key);
out:
	free(sp);
	free(bp);
	free(bprof);
	free(prof);
	return rc;
}

/* Puts a copy back over path through a temporary file and a rename, so a
 * crash during the restore leaves a whole file (and the copy) in place. */
static int restore_file(const char *copy, const char *path)
{
	char *tmp = rp_asprintf("%s.reprofile-new", path);
	int rc = tmp ? plat_copy_file(copy, tmp) : RP_ENOMEM;
	if (rc == RP_OK)
		rc = plat_rename_replace(tmp, path);
	free(tmp);
	return rc;
}

/* Restores the profile tree, the outside keys and the files. */
static int restore(const run_profile_ref *ref)
{
	char *prof = profile_path(ref), *bprof = backup_path(ref, "Profile");
	char *bkeys = backup_path(ref, "Keys"), *bfiles = backup_path(ref, "Files");
	reg_names names = {0};
	size_t i;
	int rc = (prof && bprof && bkeys && bfiles) ? RP_OK : RP_ENOMEM;

	if (rc == RP_OK && (rc = reg_key_exists(ref->store, bprof)) < 0)
		rc = rp_error_set(RP_ENOTFOUND, "no backup of profile '%s'",
				  ref->profile_key);
	if (rc == RP_OK && reg_key_exists(ref->store, prof) == RP_OK)
		rc = reg_delete_key(ref->store, prof);
	rp_error_clear();
	if (rc == RP_OK)
		rc = reg_copy_tree(ref->store, bprof, prof);
	if (rc == RP_OK && reg_key_exists(ref->store, bkeys) == RP_OK) {
		rc = reg_list_subkeys(ref->store, bkeys, &names);
		for (i = 0; i < names.n && rc == RP_OK; i++) {
			char *slot = rp_asprintf("%s\\%s", bkeys, names.v[i]);
			char *path = NULL, *data = NULL;
			int existed = 0;
			rc = slot ? get_sz(ref->store, slot, "Path", &path) : RP_ENOMEM;
			if (rc == RP_OK)
				rc = get_dword(ref->store, slot, "Existed", &existed);
			if (rc == RP_OK && reg_key_exists(ref->store, path) == RP_OK)
				rc = reg_delete_key(ref->store, path);
			rp_error_clear();
			if (rc == RP_OK && existed) {
				data = rp_asprintf("%s\\Data", slot);
				rc = data ? reg_copy_tree(ref->store, data, path)
					  : RP_ENOMEM;
			}
			free(slot);
			free(path);
			free(data);
		}
		reg_names_free(&names);
	}
	rp_error_clear();
	if (rc == RP_OK && reg_key_exists(ref->store, bfiles) == RP_OK) {
		rc = reg_list_subkeys(ref->store, bfiles, &names);
		for (i = 0; i < names.n && rc == RP_OK; i++) {
			char *slot = rp_asprintf("%s\\%s", bfiles, names.v[i]);
			char *path = NULL, *copy = NULL;
			rc = slot ? get_sz(ref->store, slot, "Path", &path) : RP_ENOMEM;
			if (rc == RP_OK)
				rc = get_sz(ref->store, slot, "Copy", &copy);
			if (rc == RP_OK && copy[0])
				rc = restore_file(copy, path);
			else if (rc == RP_OK && plat_file_exists(path))
				rc = plat_remove(path); /* the plan created it */
			free(slot);
			free(path);
			free(copy);
		}
		reg_names_free(&names);
	}
	free(prof);
	free(bprof);
	free(bkeys);
	free(bfiles);
	return rc;
}

/* Deletes the backup tree and the copied files. */
static int drop_backup(const run_profile_ref *ref)
{
	char *bp = backup_path(ref, NULL), *bfiles = backup_path(ref, "Files");
	reg_names names = {0};
	size_t i;
	int rc = (bp && bfiles) ? RP_OK : RP_ENOMEM;
	if (rc == RP_OK && reg_key_exists(ref->store, bfiles) == RP_OK &&
	    reg_list_subkeys(ref->store, bfiles, &names) == RP_OK) {
		for (i = 0; i < names.n; i++) {
			char *slot = rp_asprintf("%s\\%s", bfiles, names.v[i]),
			     *copy = NULL;
			if (slot && get_sz(ref->store, slot, "Copy", &copy) == RP_OK &&
			    copy[0] && plat_file_exists(copy))
				plat_remove(copy);
			free(slot);
			free(copy);
		}
		reg_names_free(&names);
	}
	rp_error_clear();
	if (rc == RP_OK && reg_key_exists(ref->store, bp) == RP_OK)
		rc = reg_delete_key(ref->store, bp);
	rp_error_clear();
	free(bp);
	free(bfiles);
	return rc;
}

bool run_txn_has_backup(const run_profile_ref *ref)
{
	run_state st;
	bool ok = false;
	if (run_state_read(ref, &st) == RP_OK && st.present && st.phase)
		ok = strcmp(st.phase, "apply") == 0 || strcmp(st.phase, "done") == 0;
	run_state_free(&st);
	rp_error_clear();
	return ok;
}

int run_txn_recover(const run_profile_ref *ref, bool *recovered)
{
	run_state st;
	char *sp;
	int rc = run_state_read(ref, &st);
	*recovered = false;
	if (rc < 0 || !st.present) {
		run_state_free(&st);
		return rc;
	}
	sp = state_path(ref);
	if (!sp) {
		run_state_free(&st);
		return RP_ENOMEM;
	}
	if (!st.phase || strcmp(st.phase, "backup") == 0) {
		/* The profile was never touched: drop the partial backup. */
		rc = drop_backup(ref);
		if (rc == RP_OK)
			rc = reg_delete_key(ref->store, sp);
		*recovered = true;
	} else if (strcmp(st.phase, "apply") == 0) {
		/* Half-written plan (or rollback): put the original back; the run
		 * then switches again. */
		rc = restore(ref);
		if (rc == RP_OK)
			rc = set_phase(ref->store, sp, "drop");
		if (rc == RP_OK)
			rc = drop_backup(ref);
		if (rc == RP_OK)
			rc = reg_delete_key(ref->store, sp);
		*recovered = true;
	} else if (strcmp(st.phase, "drop") == 0) {
		/* The profile was restored; only the backup was being removed. */
		rc = drop_backup(ref);
		if (rc == RP_OK)
			rc = reg_delete_key(ref->store, sp);
		*recovered = true;
	}
	if (rc < 0)
		rc = rp_error_wrap(rc, "recovering profile '%s' after an interrupted run",
				   ref->profile_key);
	free(sp);
	run_state_free(&st);
	return rc;
}

int run_txn_rollback(const run_profile_ref *ref, const char *now_iso)
{
	char *sp;
	int rc;
	if (!run_txn_has_backup(ref))
		return rp_error_set(RP_ENOTFOUND,
				    "profile '%s' has no backup to roll back to",
				    ref->profile_key);
	if (!(sp = state_path(ref)))
		return RP_ENOMEM;
	/* Phase "apply" again while restoring: a crash here is recovered by
	 * restoring once more from the still complete backup. */
	rc = set_phase(ref->store, sp, "apply");
	if (rc == RP_OK)
		rc = restore(ref);
	if (rc == RP_OK)
		rc = set_phase(ref->store, sp, "drop");
	if (rc == RP_OK)
		rc = drop_backup(ref);
	if (rc == RP_OK)
		rc = write_status(ref, sp, ST_RESTORE_OK);
	if (rc == RP_OK)
		rc = reg_set_sz(ref->store, sp, "Time", now_iso);
	if (rc == RP_OK)
		rc = set_phase(ref->store, sp, "rolledback");
	free(sp);
	return rc < 0 ? rp_error_wrap(rc, "rollback of profile '%s'", ref->profile_key)
		      : rc;
}

int run_txn_cleanup(const run_profile_ref *ref, const char *now_iso)
{
	char *sp = state_path(ref);
	run_state st;
	int rc = sp ? run_state_read(ref, &st) : RP_ENOMEM;
	if (rc == RP_OK &&
	    (!st.present || (st.phase && strcmp(st.phase, "cleaned") == 0)))
		rc = rp_error_set(RP_ENOTFOUND, "profile '%s' has nothing to clean up",
				  ref->profile_key);
	run_state_free(&st);
	/* The backup goes; a short record stays so that a later rollback can
	 * say why it is impossible. */
	if (rc == RP_OK)
		rc = drop_backup(ref);
	if (rc == RP_OK)
		rc = write_status(ref, sp, ST_CLEANUP_OK);
	if (rc == RP_OK)
		rc = reg_set_sz(ref->store, sp, "Time", now_iso);
	if (rc == RP_OK)
		rc = set_phase(ref->store, sp, "cleaned");
	free(sp);
	return rc;
}
