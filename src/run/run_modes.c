#include "run_modes.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_codes.h"
#include "features/features.h"
#include "platform/plat.h"
#include "profile/profile.h"
#include "run/run_classify.h"
#include "run/run_features.h"
#include "run/run_signin.h"
#include "run/run_tmpprof.h"
#include "plan/plan.h"
#include "run/run_target.h"
#include "run/run_txn.h"

#include <stdlib.h>
#include <string.h>

/* One profile's outcome, reported after the store is committed. */
struct outcome {
	char *name; /* display name */
	int status, previous;
	bool no_bits; /* the exit bits were set already (invalid switch row) */
	char *done;   /* "was switched"-like line, logged once the store is saved */
	bool planned; /* --dry-run printed its plan */
};

struct run {
	run_ctx *c;
	profile_root root;
	struct outcome *out;
	size_t nout, capout;
	int bits;
	bool wrote;
	bool dry_header; /* the .reg header of --dry-run output is written */
};

static int record(struct run *r, const char *name, int status, int previous)
{
	if (r->nout == r->capout) {
		size_t cap = r->capout ? r->capout * 2 : 16;
		struct outcome *v = realloc(r->out, cap * sizeof(*v));
		if (!v)
			return rp_error_set(RP_ENOMEM, "out of memory");
		r->out = v;
		r->capout = cap;
	}
	r->out[r->nout].name = rp_strdup(name);
	if (!r->out[r->nout].name)
		return RP_ENOMEM;
	r->out[r->nout].status = status;
	r->out[r->nout].previous = previous;
	r->out[r->nout].no_bits = false;
	r->out[r->nout].done = NULL;
	r->out[r->nout].planned = false;
	r->nout++;
	return RP_OK;
}

/* The last recorded profile's success line (malloc'd, taken): logged by
 * finish() only when the store was saved, so that a failed save is never
 * first reported as a success. */
static void record_done(struct run *r, char *line)
{
	if (r->nout && !r->out[r->nout - 1].done)
		r->out[r->nout - 1].done = line;
	else
		free(line);
}

static run_profile_ref make_ref(struct run *r, const char *key)
{
	run_profile_ref ref = {
	    r->c->store,           r->root.version, r->root.path,       key,
	    r->c->file_backup_dir, r->c->file_hook, r->c->file_hook_ctx};
	return ref;
}

/* The one name a profile has in every log line and CSV row: its display
 * name, prefixed with the hive in bulk mode ("<hive>\\<profile>",
 * docs/user-guide.md). Takes name (freed); NULL on ENOMEM. */
static char *label(const struct run *r, char *name)
{
	char *full;
	if (!name || !r->c->name_prefix)
		return name;
	full = rp_asprintf("%s\\%s", r->c->name_prefix, name);
	free(name);
	return full;
}

static char *display_name(const struct run *r, const char *key)
{
	char *name = NULL;
	if (profile_name_decode(key, &name) < 0) {
		rp_error_clear();
		name = rp_strdup(key);
	}
	return label(r, name);
}

/* Adds key to the selection once. */
static int add_key(char ***keys, size_t *n, const char *key)
{
	size_t i;
	char **v;
	for (i = 0; i < *n; i++)
		if (rp_name_eq((*keys)[i], key))
			return RP_OK;
	if (!(v = realloc(*keys, (*n + 1) * sizeof(*v))))
		return rp_error_set(RP_ENOMEM, "out of memory");
	*keys = v;
	if (!(v[*n] = rp_strdup(key)))
		return RP_ENOMEM;
	(*n)++;
	return RP_OK;
}

static void free_keys(char **keys, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

/* Profiles named on the command line (-Profiles / -Undo), the default one,
 * or all of them. with_state adds the profiles that only reprofile's state
 * still knows (rollback and cleanup of a profile Outlook deleted). */
static int select_keys(struct run *r, bool with_state, char ***keys, size_t *n)
{
	const cfg_cmdline *cl = r->c->cl;
	size_t i;
	int rc = RP_OK;
	*keys = NULL;
	*n = 0;
	for (i = 0; rc == RP_OK && i < cl->nprofiles; i++) {
		int k = profile_root_find(&r->root, cl->profiles[i]);
		char *enc = NULL;
		if (k >= 0)
			rc = add_key(keys, n, r->root.keys[k]);
		else if (with_state &&
			 profile_name_encode(cl->profiles[i], &enc) == RP_OK)
			rc = add_key(keys, n, enc); /* maybe only in the state */
		else {
			char *name = label(r, rp_strdup(cl->profiles[i]));
			run_log_line(r->c->log, "Warning", "Profile '%s' was not found",
				     name ? name : cl->profiles[i]);
			free(name);
		}
		free(enc);
		rp_error_clear();
	}
	if (rc == RP_OK && cl->default_profile) {
		int k = r->root.default_name
			    ? profile_root_find(&r->root, r->root.default_name)
			    : -1;
		if (k >= 0)
			rc = add_key(keys, n, r->root.keys[k]);
		else
			run_log_line(r->c->log, "Warning", "There is no default profile");
	}
	if (rc == RP_OK && cl->all_profiles) {
		for (i = 0; rc == RP_OK && i < r->root.nkeys; i++)
			rc = add_key(keys, n, r->root.keys[i]);
		if (rc == RP_OK && with_state) {
			char *sp = rp_asprintf("Software\\reprofile\\State\\%s",
					       r->root.version);
			reg_names names = {0};
			if (sp && reg_list_subkeys(r->c->store, sp, &names) == RP_OK)
				for (i = 0; rc == RP_OK && i < names.n; i++)
					rc = add_key(keys, n, names.v[i]);
			reg_names_free(&names);
			rp_error_clear();
			free(sp);
		}
	}
	return rc;
}

/* Bits a final status contributes to the update exit code. */
static int update_bits(int status)
{
	switch (status) {
	case PROFILE_MODIFYING_OK:
		return CPUU_SUCCESS;
	case PROFILE_NOT_RESOLVED:
	case PROFILE_FAILED_TO_CREATE_BACKUP:
	case PROFILE_MODIFYING_FAILED:
	case PROFILE_HAS_UNSUPPORTED_AUTHENTICATION:
	case PROFILE_NOT_FREESPACE_FOR_BACKUPOST:
	case PROFILE_MORE_THAN_ONE_ACCOUNT_IS_ALLOWED_TO_SWITCH:
	case PROFILE_IS_UNABLE_OPEN_MAILBOX_STORE:
		return CPUU_SWITCH_ERR;
	default:
		return 0;
	}
}

/* BackupOST: a copy of the source OST next to it, after a free-space check
 * (guide: PROFILE_NOT_FREESPACE_FOR_BACKUPOST). */
static int backup_ost(struct run *r, const char *ost, int *status)
{
	unsigned long long free_bytes = 0, size = 0;
	char *copy, *dir, *slash;
	int rc = plat_file_size(ost, &size);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		return RP_OK; /* no OST file yet: nothing to back up */
	}
	if (rc < 0)
		return rc;
	if (!(dir = rp_strdup(ost)))
		return RP_ENOMEM;
	slash = strrchr(dir, plat_sep());
	if (!slash)
		slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	rc = plat_free_space(dir, &free_bytes);
	free(dir);
	if (rc == RP_OK && size >= free_bytes) {
		*status = PROFILE_NOT_FREESPACE_FOR_BACKUPOST;
		run_log_line(r->c->log, "Error",
			     "Not enough disk space to back up the OST file '%s' (%llu "
			     "bytes, %llu "
			     "free)",
			     ost, size, free_bytes);
		return RP_OK;
	}
	if (rc < 0)
		return rc;
	if (!(copy = rp_asprintf("%s.reprofile-backup", ost)))
		return RP_ENOMEM;
	rc = plat_copy_file(ost, copy);
	if (rc == RP_OK)
		run_log_line(r->c->log, "Info", "OST file backed up to '%s'", copy);
	free(copy);
	return rc;
}

/* CreateRegFileForOSTRecovery: a .reg file beside the OST that puts the
 * source OST path back into the account section. */
static int ost_recovery_reg(struct run *r, const profile *p, const profile_exchange *x)
{
	char *file = rp_asprintf("%s.reprofile-recovery.reg", x->ost_path);
	char *key = rp_asprintf("HKEY_CURRENT_USER\\%s\\%s", p->path, x->section);
	rp_buf txt = RP_BUF_INIT, u16 = RP_BUF_INIT;
	FILE *f;
	int rc = (file && key) ? RP_OK : RP_ENOMEM;
	if (rc == RP_OK)
		rc = rp_buf_printf(
		    &txt, "Windows Registry Editor Version 5.00\r\n\r\n[%s]\r\n", key);
	if (rc == RP_OK)
		rc = rp_utf8_to_utf16le(x->ost_path, strlen(x->ost_path), &u16, true);
	if (rc == RP_OK)
		rc = reg_format_value(&txt, "001f6610", REG_T_BINARY, u16.data, u16.len);
	if (rc == RP_OK && !(f = plat_fopen(file, "wb")))
		rc = rp_error_set(RP_EIO, "%s: cannot create", file);
	else if (rc == RP_OK) {
		fwrite(txt.data, 1, txt.len, f);
		rc = plat_fsync_close(f);
		run_log_line(r->c->log, "Info", "OST recovery file written: '%s'", file);
	}
	free(file);
	free(key);
	rp_buf_free(&txt);
	rp_buf_free(&u16);
	return rc;
}

/* Looks the profile up in the switch information; sets status/bits when it
 * cannot go on. Returns the entry or NULL. */
static const cfg_switch_entry *switch_info(struct run *r, const profile_exchange *x,
					   int *status)
{
	const cfg_switch_entry *e = NULL;
	const cfg_switch_bad *bad = NULL;
	enum cfg_sl_result res;
	char *home = NULL;
	/* Source Autodiscover check, then SwitchSources in order (run_target.h). */
	if (run_switch_find(r->c, x, &res, &e, &bad) < 0) {
		*status = PROFILE_NOT_RESOLVED;
		return NULL;
	}
	if (res == CFG_SL_FOUND)
		return e;
	if (res == CFG_SL_INVALID && bad == &r->c->msg_bad) {
		run_log_line(r->c->log, "Error",
			     "Invalid switch message in the source mailbox '%s': %s. "
			     "Profile will not be processed.",
			     bad->source, bad->reason);
		r->bits |= CPUU_INVALID_SWITCH_MSG;
		*status = PROFILE_NOT_RESOLVED;
	} else if (res == CFG_SL_INVALID) {
		run_log_line(r->c->log, "Error",
			     "Invalid switch information for '%s': %s:%d: %s",
			     x->smtp ? x->smtp : x->mailbox_dn, r->c->switches->path,
			     bad->line, bad->reason);
		r->bits |= CPUU_INVALID_SWITCH_MSG;
		*status = PROFILE_NOT_RESOLVED;
	} else if ((home = run_names_target(r->c, x, NULL, true)) != NULL) {
		run_log_line(r->c->log, "Info", "The mailbox '%s' is skipped: %s",
			     x->smtp ? x->smtp : x->mailbox_dn, home);
		*status = PROFILE_ALREADY_UPDATED;
	} else {
		run_log_line(
		    r->c->log, "Info",
		    "The mailbox '%s' is not switched yet (no switch information)",
		    x->smtp ? x->smtp : x->mailbox_dn);
		r->bits |= CPUU_NO_SWITCH_MSG;
		*status = PROFILE_WAS_NOT_PROCESSED;
	}
	free(home);
	return NULL;
}

/* -LeaveTemporaryProfile: the guide's temporary target profile, left
 * whether or not the target then opens (that is when it is needed). Its
 * failure is a warning: the user's profile is what the run is for. */
static void leave_temporary(struct run *r, const char *key, const char *name,
			    const feature_target *t, const plan *pl)
{
	run_ctx *c = r->c;
	char tmp[44], *seed = rp_asprintf("%s\n%s", c->now_iso, t->smtp);
	int rc = seed ? run_tmpprof_name(c->store, r->root.path, key, seed, tmp)
		      : rp_error_set(RP_ENOMEM, "out of memory");
	free(seed);
	if (!rc) {
		r->wrote = true;
		rc = run_tmpprof_write(c->store, r->root.path, key, tmp, pl);
	}
	if (rc < 0) {
		run_log_line(
		    c->log, "Warning",
		    "Profile '%s': the temporary target profile was not left: %s", name,
		    rp_error_msg());
		rp_error_clear();
		return;
	}
	run_log_line(c->log, "Info",
		     "Profile '%s': the temporary target profile '%s' (the target "
		     "mailbox '%s') is left for the Mail applet (-LeaveTemporaryProfile)",
		     name, tmp, t->smtp);
}

/* Adds the time since *t0 to the profile's phase in the record and
 * restarts the clock (docs/report.md, "timings"). */
static void phase(struct run *r, const char *name, rpt_phase ph, uint64_t *t0)
{
	uint64_t now = rpt_clock_ms();
	rpt_record_time(r->c->record, r->c->name_prefix, name, ph,
			now >= *t0 ? now - *t0 : 0);
	*t0 = now;
}

static int update_one(struct run *r, const char *key, bool named)
{
	(void)named;
	run_ctx *c = r->c;
	run_profile_ref ref = make_ref(r, key);
	run_state state;
	profile *p = NULL;
	feature_target t;
	feature_opts fo;
	plan pl = PLAN_INIT;
	run_features fr = {NULL, 0, NULL};
	const cfg_switch_entry *e;
	const char *why;
	char *name = display_name(r, key), *note = NULL, *done = NULL, *info = NULL;
	int status, primary, prev, rc, bits_before = r->bits;
	bool recovered = false, invalid = false, planned = false, ost_ok = true;
	uint64_t t0 = rpt_clock_ms();

	memset(&t, 0, sizeof(t));
	memset(&state, 0, sizeof(state));
	if (!name)
		return RP_ENOMEM;
	if (!c->cl->dry_run) {
		rc = run_txn_recover(&ref, &recovered);
		if (rc < 0) {
			run_log_line(c->log, "Error", "%s", rp_error_msg());
			status = PROFILE_MODIFYING_FAILED;
			prev = 0;
			goto report;
		}
		if (recovered) {
			r->wrote = true;
			run_log_line(c->log, "Warning",
				     "Profile '%s': an interrupted run was undone; "
				     "switching again",
				     name);
		}
	}
	if (run_state_read(&ref, &state) < 0)
		run_log_line(c->log, "Warning", "%s", rp_error_msg());
	prev = state.status;
	t0 = rpt_clock_ms();
	rc = profile_load(c->store, &r->root, key, &p);
	phase(r, name, RPT_T_REGISTRY, &t0);
	if (rc < 0) {
		run_log_line(c->log, "Error", "Profile '%s' cannot be read: %s", name,
			     rp_error_msg());
		status = PROFILE_NOT_RESOLVED;
		goto report;
	}
	status = run_classify(p, c->st, &state, &primary, &why);
	if (primary < 0) {
		run_log_line(c->log,
			     status == PROFILE_ALREADY_UPDATED ? "Info" : "Warning",
			     "Profile '%s' is skipped: %s", name, why);
		goto report;
	}
	/* Switched already, by reprofile before a cleanup or by another tool:
	 * not "not switched yet" (the source check would refuse it too). */
	if ((note = run_names_target(c, &p->exchange[primary], &state, false))) {
		run_log_line(c->log, "Info", "Profile '%s' is skipped: %s", name, note);
		status = PROFILE_ALREADY_UPDATED;
		goto report;
	}
	t0 = rpt_clock_ms();
	e = switch_info(r, &p->exchange[primary], &status);
	if (!e) {
		phase(r, name, RPT_T_AUTODISCOVER, &t0);
		invalid = (r->bits & ~bits_before & CPUU_INVALID_SWITCH_MSG) != 0;
		goto report;
	}
	rc = run_target_build(e, c->target_resolver, &t, &note, &info);
	phase(r, name, RPT_T_AUTODISCOVER, &t0);
	if (info)
		run_log_line(c->log, "Info", "%s", info);
	if (note)
		run_log_line(c->log, "Warning", "%s", note);
	if (rc < 0) {
		run_log_line(c->log, "Error",
			     "Cannot get the target mailbox settings for profile '%s': "
			     "%s. Profile "
			     "will not be processed.",
			     name, rp_error_msg());
		status = PROFILE_NOT_RESOLVED;
		goto report;
	}
	rpt_record_addresses(c->record, c->name_prefix, name, e->source, t.smtp);
	fo.name_trg_store_as_src = c->cl->name_trg_store_as_src;
	/* A switch message without the recreate message: the target mailbox
	 * was not prepared for the OST, KeepOST and BackupOST are ignored (the
	 * guide's "Otherwise, this parameter is ignored"). */
	ost_ok = !c->from_message || c->msg_recreate;
	if (!ost_ok && p->exchange[primary].cached &&
	    (c->st->keep_ost || c->st->backup_ost))
		run_log_line(c->log, "Info",
			     "Profile '%s': KeepOST/BackupOST are ignored: the source "
			     "mailbox holds no recreate message",
			     name);
	fo.keep_ost = c->st->keep_ost && ost_ok;
	fo.modify_exclude_scp = !c->cl->do_not_modify_exclude_scp_lookup ||
				c->st->autodiscover_source_url ||
				c->st->autodiscover_target_url;
	fo.adisc_cache_dir = c->adisc_cache_dir;
	rc = feature_switch_plan(c->store, p, primary, &t, &fo, &pl);
	phase(r, name, RPT_T_REGISTRY, &t0);
	if (rc < 0) {
		run_log_line(c->log, "Error", "Profile '%s' cannot be switched: %s", name,
			     rp_error_msg());
		status = PROFILE_MODIFYING_FAILED;
		goto report;
	}
	rc = run_features_plan(c, name, c->store, p, primary, &t, &fo, &fr, &pl);
	if (rc < 0) {
		run_log_line(c->log, "Error", "Profile '%s': %s", name, rp_error_msg());
		status = PROFILE_MODIFYING_FAILED;
		goto report;
	}
	if (fr.abort_row) {
		status = PROFILE_MODIFYING_FAILED;
		goto report;
	}
	if (c->cl->dry_run) {
		rp_buf out = RP_BUF_INIT;
		rc = plan_render_reg(&pl, "HKEY_CURRENT_USER", &out);
		if (rc == RP_OK) {
			if (!r->dry_header) {
				fputs("Windows Registry Editor Version 5.00\r\n\r\n",
				      c->dry_out);
				r->dry_header = true;
			}
			fprintf(
			    c->dry_out, "; profile '%s': %s -> %s, %zu edits\r\n", name,
			    p->exchange[primary].smtp ? p->exchange[primary].smtp : "?",
			    t.smtp, pl.n);
			fwrite(out.data, 1, out.len, c->dry_out);
			fputs("\r\n", c->dry_out);
			if (c->cl->leave_temporary_profile)
				fprintf(
				    c->dry_out,
				    "; -LeaveTemporaryProfile: a temporary target "
				    "profile CPUU_{GUID} with these settings would be "
				    "left beside '%s'\r\n\r\n",
				    name);
		}
		rp_buf_free(&out);
		status = PROFILE_WAS_NOT_PROCESSED;
		planned = rc == RP_OK;
		goto report;
	}
	{
		const profile_exchange *x = &p->exchange[primary];
		run_state ids = {false,         NULL,   0,           0,   x->smtp,
				 x->mailbox_dn, t.smtp, t.legacy_dn, NULL};
		if (c->cl->leave_temporary_profile)
			leave_temporary(r, key, name, &t, &pl);
		/* The target must open before anything is written. */
		t0 = rpt_clock_ms();
		status = run_signin_check(c->signin, c->log, name, &t);
		phase(r, name, RPT_T_MAILBOX, &t0);
		if (status)
			goto report;
		if (x->cached && x->ost_path && c->st->backup_ost && ost_ok) {
			rc = backup_ost(r, x->ost_path, &status);
			if (rc < 0 || status == PROFILE_NOT_FREESPACE_FOR_BACKUPOST) {
				if (rc < 0)
					run_log_line(c->log, "Error", "%s",
						     rp_error_msg());
				status =
				    rc < 0 ? PROFILE_FAILED_TO_CREATE_BACKUP : status;
				goto report;
			}
		}
		if (x->cached && x->ost_path && c->st->create_reg_for_ost &&
		    ost_recovery_reg(r, p, x) < 0)
			run_log_line(c->log, "Warning", "%s", rp_error_msg());
		r->wrote = true;
		t0 = rpt_clock_ms();
		rc = run_txn_update(&ref, &pl, &ids, c->now_iso);
		phase(r, name, RPT_T_REGISTRY, &t0);
		if (rc < 0) {
			bool again;
			run_log_line(c->log, "Error", "Profile '%s' was not updated: %s",
				     name, rp_error_msg());
			status = run_txn_has_backup(&ref)
				     ? PROFILE_MODIFYING_FAILED
				     : PROFILE_FAILED_TO_CREATE_BACKUP;
			/* Leave the original profile, not a half-switched one. */
			if (run_txn_recover(&ref, &again) < 0)
				run_log_line(c->log, "Error", "%s", rp_error_msg());
			goto report;
		}
		status = PROFILE_MODIFYING_OK;
		done =
		    rp_asprintf("Profile '%s' was switched from '%s' to '%s' (%zu edits)",
				name, x->smtp ? x->smtp : x->mailbox_dn, t.smtp, pl.n);
	}
report:
	run_features_report(c, name, &fr, status);
	run_features_free(&fr);
	rc = record(r, name, status, prev);
	if (rc == RP_OK && done)
		record_done(r, done);
	else
		free(done);
	if (rc == RP_OK && invalid)
		r->out[r->nout - 1].no_bits = true; /* CPUU_INVALID_SWITCH_MSG only */
	if (rc == RP_OK)
		r->out[r->nout - 1].planned = planned;
	free(name);
	free(note);
	free(info);
	run_state_free(&state);
	feature_target_free(&t);
	plan_free(&pl);
	profile_free(p);
	return rc;
}

static int open_root(struct run *r)
{
	int rc = profile_find_root(r->c->store, &r->root);
	if (rc == RP_ENOTFOUND) {
		run_log_line(r->c->log, "Info", "No Outlook profiles in %s",
			     reg_store_name(r->c->store));
		rp_error_clear();
	} else if (rc < 0) {
		run_log_line(r->c->log, "Error", "%s", rp_error_msg());
		r->bits |= CPUU_GLOBAL_ERR;
	}
	return rc;
}

/* Commits a file store, then writes the CSV rows. A failed commit means
 * none of this run's changes reached the file. */
static void finish(struct run *r, int fail_status, int fail_bit, int (*bits_of)(int))
{
	size_t i;
	bool saved = true;
	if (r->wrote && !r->c->cl->dry_run && reg_commit(r->c->store) < 0) {
		saved = false;
		run_log_line(r->c->log, "Error", "Nothing was saved: %s", rp_error_msg());
		for (i = 0; i < r->nout; i++)
			if (r->out[i].status == PROFILE_MODIFYING_OK ||
			    r->out[i].status == PROFILE_RESTORE_OK ||
			    r->out[i].status == PROFILE_CLEANUP_OK)
				r->out[i].status = fail_status;
		r->bits |= fail_bit;
	}
	for (i = 0; i < r->nout; i++) {
		if (saved && r->out[i].done)
			run_log_line(r->c->log, "Info", "%s", r->out[i].done);
		free(r->out[i].done);
		if (!r->out[i].no_bits)
			r->bits |= bits_of(r->out[i].status);
		if (!r->c->cl->dry_run)
			run_log_status(r->c->log, r->out[i].name, r->out[i].status,
				       r->out[i].previous);
		rpt_record_profile(r->c->record, NULL, r->out[i].name, r->out[i].status,
				   r->out[i].previous);
		if (r->out[i].planned)
			run_log_line(r->c->log, "Info",
				     "Profile '%s': would be switched (dry run: nothing "
				     "was written)",
				     r->out[i].name);
		else
			run_log_line(r->c->log, "Info", "Profile '%s': %d %s",
				     r->out[i].name, r->out[i].status,
				     cfg_status_name(r->out[i].status));
		free(r->out[i].name);
	}
	free(r->out);
	profile_root_free(&r->root);
}

static int rollback_bits(int status)
{
	if (status == PROFILE_RESTORE_OK)
		return CPUU_SUCCESS;
	if (status == PROFILE_RESTORE_FAILED || status == PROFILE_BACKUP_NOT_FOUND)
		return CPUU_SWITCH_ERR;
	return 0;
}

static int cleanup_bits(int status)
{
	if (status == PROFILE_CLEANUP_OK)
		return CPUU_SUCCESS;
	if (status == PROFILE_CLEANUP_FAILED)
		return CPUU_GLOBAL_ERR;
	return 0;
}

/* UseTargetOST: the OST paths of the switched profile, to put back after
 * the rollback restored the source's. */
struct ost_keep {
	char *path;
	reg_value v;
};

static size_t collect_target_ost(struct run *r, const char *key, struct ost_keep *keep,
				 size_t max)
{
	profile *p = NULL;
	size_t i, n = 0;
	if (profile_load(r->c->store, &r->root, key, &p) < 0) {
		rp_error_clear();
		return 0;
	}
	for (i = 0; i < p->nexchange && n < max; i++) {
		const profile_exchange *x = &p->exchange[i];
		char *path;
		if (!x->ost_path || !x->section)
			continue;
		if (!(path = rp_asprintf("%s\\%s", p->path, x->section)))
			break;
		memset(&keep[n].v, 0, sizeof(keep[n].v));
		if (reg_get_value(r->c->store, path, "001f6610", &keep[n].v) == RP_OK) {
			keep[n++].path = path;
		} else {
			rp_error_clear();
			free(path);
		}
	}
	profile_free(p);
	return n;
}

static int rollback_one(struct run *r, const char *key, bool named)
{
	run_ctx *c = r->c;
	run_profile_ref ref = make_ref(r, key);
	run_state st;
	struct ost_keep keep[8];
	size_t nkeep = 0, i;
	char *name = display_name(r, key), *done = NULL;
	int status = PROFILE_RESTORE_OK, prev, rc;
	bool recovered = false;

	if (!name)
		return RP_ENOMEM;
	if (!c->cl->dry_run && run_txn_recover(&ref, &recovered) < 0)
		run_log_line(c->log, "Error", "%s", rp_error_msg());
	if (recovered)
		r->wrote = true;
	if (run_state_read(&ref, &st) < 0)
		run_log_line(c->log, "Warning", "%s", rp_error_msg());
	prev = st.status;
	if (!run_txn_has_backup(&ref)) {
		bool cleaned = st.present && st.phase && strcmp(st.phase, "cleaned") == 0;
		/* Never switched, or rolled back already: nothing to undo, which
		 * the guide's undo table calls CPUU_CANNOT_START (0). */
		bool untouched = !st.present || st.status == PROFILE_RESTORE_OK;
		if (named && untouched && !cleaned) {
			run_log_line(c->log, "Info", "Profile '%s' %s: nothing to undo",
				     name,
				     st.present ? "was rolled back already"
						: "was never switched");
			rc = record(r, name, PROFILE_WAS_NOT_PROCESSED, prev);
			goto out;
		}
		if (cleaned)
			run_log_line(c->log, "Error",
				     "Profile '%s' cannot be rolled back: cleanup "
				     "removed its backup "
				     "(%s)",
				     name, st.time ? st.time : "time unknown");
		else if (named)
			run_log_line(c->log, "Error",
				     "Profile '%s' cannot be rolled back: backup profile "
				     "was not found",
				     name);
		rc = (cleaned || named) ? record(r, name, PROFILE_BACKUP_NOT_FOUND, prev)
					: RP_OK;
		goto out;
	}
	if (c->cl->dry_run) {
		run_log_line(c->log, "Info",
			     "Profile '%s' would be rolled back (dry run)", name);
		rc = RP_OK;
		goto out;
	}
	if (c->st->use_target_ost)
		nkeep = collect_target_ost(r, key, keep, 8);
	r->wrote = true;
	rc = run_txn_rollback(&ref, c->now_iso);
	if (rc < 0) {
		run_log_line(c->log, "Error", "%s", rp_error_msg());
		status = PROFILE_RESTORE_FAILED;
	} else {
		done = rp_asprintf("Profile '%s' was rolled back", name);
	}
	for (i = 0; i < nkeep; i++) {
		if (rc == RP_OK &&
		    reg_set_value(c->store, keep[i].path, keep[i].v.name, keep[i].v.type,
				  keep[i].v.data, keep[i].v.len) == RP_OK)
			run_log_line(
			    c->log, "Info",
			    "Profile '%s': the target OST is kept (UseTargetOST)", name);
		free(keep[i].path);
		reg_value_free(&keep[i].v);
	}
	rc = record(r, name, status, prev);
	if (rc == RP_OK && done)
		record_done(r, done);
	else
		free(done);
out:
	run_state_free(&st);
	free(name);
	return rc;
}

static int cleanup_one(struct run *r, const char *key, bool named)
{
	run_ctx *c = r->c;
	run_profile_ref ref = make_ref(r, key);
	run_state st;
	char *name = display_name(r, key);
	int rc = RP_OK, prev;
	bool recovered = false;
	if (!name)
		return RP_ENOMEM;
	if (!c->cl->dry_run && run_txn_recover(&ref, &recovered) < 0)
		run_log_line(c->log, "Error", "%s", rp_error_msg());
	if (recovered)
		r->wrote = true;
	if (run_state_read(&ref, &st) < 0)
		run_log_line(c->log, "Warning", "%s", rp_error_msg());
	prev = st.status;
	if (!st.present || (st.phase && strcmp(st.phase, "cleaned") == 0)) {
		if (named)
			run_log_line(c->log, "Info",
				     "Profile '%s' has nothing to clean up", name);
	} else if (c->cl->dry_run) {
		run_log_line(c->log, "Info", "Profile '%s' would be cleaned up (dry run)",
			     name);
	} else {
		r->wrote = true;
		rc = run_txn_cleanup(&ref, c->now_iso);
		char *done = NULL;
		if (rc < 0)
			run_log_line(c->log, "Error", "%s", rp_error_msg());
		else
			done = rp_asprintf("Profile '%s': backup removed", name);
		rc = record(r, name, rc < 0 ? PROFILE_CLEANUP_FAILED : PROFILE_CLEANUP_OK,
			    prev);
		if (rc == RP_OK && done)
			record_done(r, done);
		else
			free(done);
	}
	run_state_free(&st);
	free(name);
	return rc;
}

/* One mode over the selected profiles: with_state adds profiles only
 * reprofile's state knows (rollback and cleanup of a profile Outlook
 * deleted); one() handles a profile; the rest is finish(). */
struct mode {
	bool with_state;
	int (*one)(struct run *r, const char *key, bool named);
	int fail_status, fail_bit; /* for a failed commit, and one() errors */
	int (*bits_of)(int status);
	const char *nothing; /* logged when no profile was reported, or NULL */
};

static int run_mode(run_ctx *c, const struct mode *m)
{
	struct run r;
	char **keys = NULL;
	size_t n = 0, i;
	bool named = c->cl->nprofiles > 0 || c->cl->default_profile;
	memset(&r, 0, sizeof(r));
	r.c = c;
	if (open_root(&r) < 0)
		return r.bits;
	if (select_keys(&r, m->with_state, &keys, &n) < 0) {
		run_log_line(c->log, "Error", "%s", rp_error_msg());
		r.bits |= CPUU_GLOBAL_ERR;
	}
	for (i = 0; i < n; i++) {
		uint64_t t0 = rpt_clock_ms();
		size_t before = r.nout, mark = rpt_record_mark(c->record);
		/* -LeaveTemporaryProfile's profiles are the administrator's
		 * diagnosis, never a user's profile. */
		if (run_tmpprof_is_name(keys[i])) {
			run_log_line(c->log, "TraceW",
				     "'%s' is a temporary target profile "
				     "(-LeaveTemporaryProfile): not processed",
				     keys[i]);
			continue;
		}
		if (m->one(&r, keys[i], named) < 0) {
			run_log_line(c->log, "Error", "%s", rp_error_msg());
			r.bits |= m->fail_bit;
		}
		if (r.nout > before) /* the run record's time and messages */
			rpt_record_profile_done(c->record, NULL, r.out[r.nout - 1].name,
						r.root.version, rpt_clock_ms() - t0,
						mark);
	}
	if (r.nout == 0 && m->nothing)
		run_log_line(c->log, "Info", "%s", m->nothing);
	finish(&r, m->fail_status, m->fail_bit, m->bits_of);
	free_keys(keys, n);
	return r.bits;
}

int run_update(run_ctx *c)
{
	static const struct mode m = {
	    false,           update_one,  PROFILE_MODIFYING_FAILED,
	    CPUU_SWITCH_ERR, update_bits, NULL};
	return run_mode(c, &m);
}

int run_rollback(run_ctx *c)
{
	static const struct mode m = {
	    true,          rollback_one,          PROFILE_RESTORE_FAILED, CPUU_SWITCH_ERR,
	    rollback_bits, "Nothing to roll back"};
	return run_mode(c, &m);
}

int run_cleanup(run_ctx *c)
{
	static const struct mode m = {
	    true,         cleanup_one,          PROFILE_CLEANUP_FAILED, CPUU_GLOBAL_ERR,
	    cleanup_bits, "Nothing to clean up"};
	return run_mode(c, &m);
}

static int not_processed_one(struct run *r, const char *key, bool named)
{
	run_profile_ref ref = make_ref(r, key);
	run_state st;
	char *name = display_name(r, key);
	int rc;
	(void)named;
	if (!name)
		return RP_ENOMEM;
	memset(&st, 0, sizeof(st));
	if (run_state_read(&ref, &st) < 0)
		rp_error_clear();
	rc = record(r, name, PROFILE_WAS_NOT_PROCESSED, st.status);
	run_state_free(&st);
	free(name);
	return rc;
}

static int no_bits(int status)
{
	(void)status;
	return 0;
}

int run_not_processed(run_ctx *c)
{
	static const struct mode m = {
	    false,           not_processed_one, PROFILE_WAS_NOT_PROCESSED,
	    CPUU_GLOBAL_ERR, no_bits,           NULL};
	return run_mode(c, &m);
}
