/* update / rollback / cleanup, and the guide's bare switches
 * (reprofile -Profiles "Outlook" ... as in an existing logon script).
 * Reads the INI, opens the log, the store and the switch information, runs
 * the mode and returns the guide's exit bits. */
#include "commands.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_codes.h"
#include "config/cfg_cmdline.h"
#include "config/cfg_settings.h"
#include "config/cfg_switchlist.h"
#include "discover/adisc.h"
#include "platform/plat.h"
#include "platform/plat_secret.h"
#include "registry/reg.h"
#include "run/run_creds.h"
#include "run/run_log.h"
#include "run/run_modes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* REPROFILE_CRASH_AFTER_WRITES=N: the process dies before its N+1st
 * registry write, as a crash or a power cut would stop it (tests). */
static long crash_left = -1;

static int crash_hook(void *ctx)
{
	(void)ctx;
	if (crash_left-- == 0) {
		fflush(NULL);
		_Exit(CPUU_CRASH);
	}
	return RP_OK;
}

static void log_pending(void *ud, const cfg_param_info *p, int line)
{
	run_log_line(ud, "Info",
		     "INI line %d: %s is accepted; its behaviour (%s) is not "
		     "implemented yet",
		     line, p->name, p->capability);
}

static void log_pending_switch(void *ud, const char *name, const char *capability)
{
	run_log_line(ud, "Info",
		     "%s is accepted; its behaviour (%s) is not implemented yet", name,
		     capability);
}

static void adisc_log(void *ctx, const char *level, const char *msg)
{
	run_log_line(ctx, level, "%s", msg);
}

static char *folder_of(const char *path)
{
	const char *a = strrchr(path, '/'), *b = strrchr(path, '\\');
	const char *s = a > b ? a : b;
	return s ? rp_strndup(path, (size_t)(s - path)) : rp_strdup(".");
}

static int open_store(const cfg_cmdline *cl, reg_store **s)
{
	unsigned flags = cl->dry_run ? 0 : REG_OPEN_WRITE;
	if (cl->hive)
		return reg_open_hive(s, cl->hive, flags);
	if (cl->reg)
		return reg_open_regfile(s, cl->reg, flags);
	return reg_open_live(s, NULL, flags);
}

int rp_cmd_run(int argc, char **argv)
{
	cfg_cmdline cl;
	cfg_settings st;
	cfg_switchlist *sl = NULL;
	adisc_resolver *resolver = NULL;
	run_creds *creds = NULL;
	reg_store *store = NULL;
	run_log *log = NULL;
	run_log_opts lo;
	run_ctx ctx;
	char *exe_dir = folder_of(rp_program_path), *backup_dir = NULL, *adisc_dir = NULL;
	char *appdata = NULL, now_iso[32], *env;
	struct tm tm;
	size_t i;
	int bits = 0, rc;

	memset(&st, 0, sizeof(st));
	if (cfg_cmdline_parse(argc, argv, &cl) < 0) {
		fprintf(stderr, "reprofile: %s\n", rp_error_msg());
		free(exe_dir);
		return CFG_EXIT_CONFIG_ERROR;
	}
	if (cl.help) {
		cfg_usage(stdout);
		cfg_cmdline_free(&cl);
		free(exe_dir);
		return 0;
	}
	if (cfg_settings_load_for(cl.ini, exe_dir, &st) < 0) {
		fprintf(stderr, "reprofile: %s\n", rp_error_msg());
		bits = CFG_EXIT_CONFIG_ERROR;
		goto out_early;
	}
	lo.name_template = cl.log;
	lo.base_dir = ".";
	lo.write_directly = cl.log_write_directly;
	lo.no_files = cl.dry_run;
	lo.echo_stderr = true;
	run_log_open(&log, &lo, &bits);
	run_log_line(log, "Info", "reprofile %s: %s", RP_VERSION, cfg_mode_name(cl.mode));
	for (i = 0; i < st.nwarn; i++)
		run_log_line(log, "Warning", "%s", st.warnings[i]);
	cfg_settings_foreach_pending(&st, log_pending, log);
	cfg_cmdline_foreach_pending(&cl, log_pending_switch, log);
	{
		/* -MaxLocalDumps: the guide keeps at most N dumps in the local
		 * staging folder (reprofile writes none yet; old ones still go). */
		char *stage = run_log_staging_dir();
		if (stage && !cl.dry_run)
			run_log_prune_dumps(stage, cl.max_local_dumps);
		free(stage);
	}

	if (st.switch_list && cfg_switchlist_load(st.switch_list, &sl) < 0) {
		run_log_line(log, "Error", "%s", rp_error_msg());
		bits |= CPUU_GLOBAL_ERR;
		goto out;
	}
	for (i = 0; sl && i < sl->nbad; i++)
		run_log_line(log, "Warning", "%s:%d: invalid switch information: %s",
			     sl->path, sl->bad[i].line, sl->bad[i].reason);
	if (cl.mode == CFG_MODE_UPDATE) {
		if (st.use_local_autodiscover_xmls) {
			resolver =
			    adisc_local_resolver_new(st.local_autodiscover_xml_path);
		} else {
			adisc_net_opts no;
			run_creds_io io = {0, plat_is_terminal(0) && !st.silent};
			memset(&no, 0, sizeof(no));
			no.manual_url = st.autodiscover_target_url;
			no.side = "target";
			no.log = adisc_log;
			no.log_ctx = log;
			/* Accounts (INI, prompt, Microsoft 365 sign-in): run_creds.h. */
			if (run_creds_new(&st, log, &io, &creds) < 0) {
				run_log_line(log, "Error", "%s", rp_error_msg());
				bits |= CPUU_GLOBAL_ERR;
				goto out;
			}
			resolver = run_creds_target_resolver(creds, sl, &no);
		}
		if (!resolver) {
			run_log_line(log, "Error", "%s", rp_error_msg());
			bits |= CPUU_GLOBAL_ERR;
			goto out;
		}
	}
	if ((rc = open_store(&cl, &store)) < 0) {
		run_log_line(log, "Error", "%s", rp_error_msg());
		bits |= CPUU_GLOBAL_ERR;
		goto out;
	}
	env = plat_getenv("REPROFILE_CRASH_AFTER_WRITES");
	if (env) {
		crash_left = strtol(env, NULL, 10);
		reg_set_write_hook(store, crash_hook, NULL);
		free(env);
	}
	/* Copies of deleted files: beside a hive/.reg file, else in the user's
	 * local application data. */
	appdata = plat_getenv("LOCALAPPDATA");
	if (cl.hive || cl.reg)
		backup_dir =
		    rp_asprintf("%s.reprofile-files", cl.hive ? cl.hive : cl.reg);
	else
		backup_dir = rp_asprintf("%s%creprofile%cbackup", appdata ? appdata : ".",
					 plat_sep(), plat_sep());
	if (cl.outlook_data)
		adisc_dir = rp_strdup(cl.outlook_data);
	else if (!cl.hive && !cl.reg && appdata)
		adisc_dir = rp_asprintf("%s%cMicrosoft%cOutlook", appdata, plat_sep(),
					plat_sep());
	plat_gmtime(plat_now(), &tm);
	strftime(now_iso, sizeof(now_iso), "%Y-%m-%dT%H:%M:%SZ", &tm);

	memset(&ctx, 0, sizeof(ctx));
	ctx.store = store;
	ctx.cl = &cl;
	ctx.st = &st;
	ctx.log = log;
	ctx.target_resolver = resolver;
	ctx.switches = sl;
	ctx.file_backup_dir = backup_dir;
	ctx.adisc_cache_dir = adisc_dir;
	ctx.dry_out = stdout;
	ctx.now_iso = now_iso;
	if (cl.mode == CFG_MODE_UPDATE)
		bits |= run_update(&ctx);
	else if (cl.mode == CFG_MODE_ROLLBACK)
		bits |= run_rollback(&ctx);
	else
		bits |= run_cleanup(&ctx);
out : {
	char names[256];
	run_log_line(log, "Info", "Exit code %d (%s)", bits,
		     cfg_exit_code_names(bits, names, sizeof(names)));
}
	run_log_close(log, &bits);
	reg_close(store);
	adisc_resolver_free(resolver);
	run_creds_free(creds);
	cfg_switchlist_free(sl);
	free(backup_dir);
	free(adisc_dir);
	free(appdata);
out_early:
	cfg_settings_free(&st);
	cfg_cmdline_free(&cl);
	free(exe_dir);
	return bits;
}
