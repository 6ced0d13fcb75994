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
#include "directory/dir.h"
#include "discover/adisc.h"
#include "platform/plat.h"
#include "platform/plat_secret.h"
#include "registry/reg.h"
#include "run/run_creds.h"
#include "run/run_log.h"
#include "run/run_modes.h"
#include "run/run_target.h"

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

/* SCP candidate of the source resolver: the source directory's SCPs. */
int rp_cli_scp_urls(void *ctx, const char *domain, char ***urls, size_t *n)
{
	return dir_scp_urls(ctx, domain, NULL, urls, n);
}

/* The [Directory] connection for SCP lookups, or NULL (none configured, or
 * AutodiscoverExclude=scp). A configuration that cannot open is an error. */
int rp_cli_scp_directory(const cfg_settings *st, dir_resolver **out)
{
	dir_ldap_config dc;
	size_t i;
	*out = NULL;
	if (!st->n_directory || (st->autodiscover_exclude & CFG_ADX_SCP))
		return RP_OK;
	memset(&dc, 0, sizeof(dc));
	for (i = 0; i < st->n_directory; i++)
		if (dir_ldap_config_set(&dc, st->directory[i].key,
					st->directory[i].value) < 0)
			return rp_error_wrap(RP_EINVAL, "[Directory]");
	/* Only SCPs are read through this connection: no recipient attribute
	 * is needed, and dir_open_ldap asks for one or for X500 matching. */
	if (!dc.attribute)
		dc.fallback_x500 = true;
	return dir_open_ldap(&dc, out);
}

/* The last line of every log: the whole exit code with its bits' names (a
 * POSIX exit status keeps only 8 bits of it). A dry run says that it wrote
 * nothing rather than name code 0 CPUU_CANNOT_START. */
static void log_exit_code(run_log *log, int bits, bool dry_run)
{
	char names[256];
	if (dry_run && bits == 0)
		run_log_line(log, "Info", "Exit code 0 (dry run: nothing was written)");
	else
		run_log_line(log, "Info", "Exit code %d (%s%s)", bits,
			     cfg_exit_code_names(bits, names, sizeof(names)),
			     dry_run ? "; dry run: nothing was written" : "");
}

static char *folder_of(const char *path)
{
	const char *a = strrchr(path, '/'), *b = strrchr(path, '\\');
	const char *s = a > b ? a : b;
	return s ? rp_strndup(path, (size_t)(s - path)) : rp_strdup(".");
}

static int add_path(char ***v, size_t *n, size_t *cap, const char *p)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		char **nv = realloc(*v, nc * sizeof(*nv));
		if (!nv)
			return rp_error_set(RP_ENOMEM, "out of memory");
		*v = nv;
		*cap = nc;
	}
	return ((*v)[(*n)++] = rp_strdup(p)) ? RP_OK : RP_ENOMEM;
}

/* The stores of this run: every --hive and --hive-list line (the offline
 * bulk mode), else the --reg file, else the live registry (""). */
static int collect_stores(const cfg_cmdline *cl, char ***out, size_t *n)
{
	size_t i, cap = 0;
	int rc = RP_OK;
	*out = NULL;
	*n = 0;
	for (i = 0; rc == RP_OK && i < cl->nhives; i++)
		rc = add_path(out, n, &cap, cl->hives[i]);
	if (rc == RP_OK && cl->hive_list) {
		FILE *f = plat_fopen(cl->hive_list, "rb");
		char line[4096];
		if (!f)
			return rp_error_set(RP_ENOTFOUND, "%s: cannot open the hive list",
					    cl->hive_list);
		while (rc == RP_OK && fgets(line, sizeof(line), f)) {
			size_t len = strcspn(line, "\r\n");
			line[len] = '\0';
			if (len && line[0] != '#' && line[0] != ';')
				rc = add_path(out, n, &cap, line);
		}
		fclose(f);
	}
	if (rc == RP_OK && *n == 0)
		rc = add_path(out, n, &cap, cl->reg ? cl->reg : "");
	return rc;
}

static int open_store(const cfg_cmdline *cl, const char *path, reg_store **s)
{
	unsigned flags = cl->dry_run ? 0 : REG_OPEN_WRITE;
	if (cl->reg)
		return reg_open_regfile(s, path, flags);
	if (*path)
		return reg_open_hive(s, path, flags);
	return reg_open_live(s, NULL, flags);
}

/* Runs the mode over each store in turn; a store that cannot be opened is
 * reported and skipped, so one broken hive does not stop a bulk run. */
static int run_stores(const cfg_cmdline *cl, const cfg_settings *st, run_log *log,
		      adisc_resolver *resolver, adisc_resolver *src_resolver,
		      run_creds *creds, const cfg_switchlist *sl)
{
	char **stores = NULL, *appdata = plat_getenv("LOCALAPPDATA"), *env, now_iso[32];
	size_t nstores = 0, i;
	struct tm tm;
	int bits = 0;

	if (collect_stores(cl, &stores, &nstores) < 0) {
		run_log_line(log, "Error", "%s", rp_error_msg());
		bits |= CPUU_GLOBAL_ERR;
	}
	if ((env = plat_getenv("REPROFILE_CRASH_AFTER_WRITES"))) {
		crash_left = strtol(env, NULL, 10);
		free(env);
	}
	plat_gmtime(plat_now(), &tm);
	strftime(now_iso, sizeof(now_iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (i = 0; i < nstores; i++) {
		const char *path = stores[i];
		bool file = *path != '\0';
		char *backup_dir, *adisc_dir = NULL;
		reg_store *store = NULL;
		run_ctx ctx;

		if (open_store(cl, path, &store) < 0) {
			run_log_line(log, "Error", "%s", rp_error_msg());
			bits |= CPUU_GLOBAL_ERR;
			continue;
		}
		if (crash_left >= 0)
			reg_set_write_hook(store, crash_hook, NULL);
		/* Copies of deleted files: beside a hive/.reg file, else in the
		 * user's local application data. */
		backup_dir =
		    file ? rp_asprintf("%s.reprofile-files", path)
			 : rp_asprintf("%s%creprofile%cbackup", appdata ? appdata : ".",
				       plat_sep(), plat_sep());
		if (cl->outlook_data)
			adisc_dir = rp_strdup(cl->outlook_data);
		else if (!file && appdata)
			adisc_dir = rp_asprintf("%s%cMicrosoft%cOutlook", appdata,
						plat_sep(), plat_sep());
		memset(&ctx, 0, sizeof(ctx));
		ctx.store = store;
		ctx.cl = cl;
		ctx.st = st;
		ctx.log = log;
		ctx.target_resolver = resolver;
		ctx.creds = creds;
		/* Local files: one folder answers both sides. */
		ctx.source_resolver =
		    st->use_local_autodiscover_xmls ? resolver : src_resolver;
		ctx.source_local = st->use_local_autodiscover_xmls;
		ctx.switches = sl;
		ctx.file_backup_dir = backup_dir;
		ctx.adisc_cache_dir = adisc_dir;
		ctx.dry_out = stdout;
		ctx.now_iso = now_iso;
		ctx.name_prefix = nstores > 1 ? path : NULL;
		if (cl->mode == CFG_MODE_UPDATE)
			bits |= run_update(&ctx);
		else if (cl->mode == CFG_MODE_ROLLBACK)
			bits |= run_rollback(&ctx);
		else
			bits |= run_cleanup(&ctx);
		run_switch_find_free(&ctx);
		reg_close(store);
		free(backup_dir);
		free(adisc_dir);
	}
	for (i = 0; i < nstores; i++)
		free(stores[i]);
	free(stores);
	free(appdata);
	return bits;
}

int rp_cmd_run(int argc, char **argv)
{
	cfg_cmdline cl;
	cfg_settings st;
	cfg_switchlist *sl = NULL;
	rp_cli_resolvers rv = {0};
	rp_cli_net_env ne;
	run_log *log = NULL;
	run_log_opts lo;
	char *exe_dir = folder_of(rp_program_path);
	size_t i;
	int bits = 0, rc = RP_OK;

	memset(&st, 0, sizeof(st));
	rp_cli_net_env_load(&ne);
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
		adisc_net_opts base;
		run_creds_io io = {0, plat_is_terminal(0) && !st.silent};
		memset(&base, 0, sizeof(base));
		base.connect_to = ne.entries;
		rc = rp_cli_resolvers_make(&st, sl, log, &base, &io, &rv);
	}
	if (rc < 0) {
		run_log_line(log, "Error", "%s", rp_error_msg());
		bits |= CPUU_GLOBAL_ERR;
		goto out;
	}
	bits |= run_stores(&cl, &st, log, rv.target, rv.source, rv.creds, sl);
out:
	log_exit_code(log, bits, cl.dry_run);
	run_log_close(log, &bits);
	rp_cli_resolvers_free(&rv);
	cfg_switchlist_free(sl);
out_early:
	cfg_settings_free(&st);
	cfg_cmdline_free(&cl);
	free(exe_dir);
	rp_cli_net_env_free(&ne);
	return bits;
}
