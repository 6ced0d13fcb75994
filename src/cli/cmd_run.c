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
#include "platform/plat_proc.h"
#include "platform/plat_secret.h"
#include "registry/reg.h"
#include "report/rpt_record.h"
#include "run/run_creds.h"
#include "run/run_log.h"
#include "run/run_modes.h"
#include "run/run_mailbox.h"
#include "run/run_signin.h"
#include "run/run_srcmsg.h"
#include "run/run_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Test hooks on every registry or file write (scenarios only):
 * REPROFILE_CRASH_AFTER_WRITES=N: the process dies before its N+1st write,
 * as a crash or a power cut would stop it.
 * REPROFILE_PAUSE_AFTER_WRITES=N with REPROFILE_PAUSE_FILE=F: before its
 * N+1st write the run creates F and waits (at most 120 s) until F.go
 * exists, so a scenario can act while a run is half-way (the lock test). */
static long crash_left = -1, pause_left = -1;
static char *pause_file;

static void pause_here(void)
{
	char *go = rp_asprintf("%s.go", pause_file);
	FILE *f = plat_fopen(pause_file, "wb");
	int i;
	if (f)
		fclose(f);
	for (i = 0; go && i < 1200 && !plat_file_exists(go); i++)
		plat_sleep_ms(100);
	free(go);
}

static int test_hook(void *ctx)
{
	(void)ctx;
	if (crash_left >= 0 && crash_left-- == 0) {
		fflush(NULL);
		_Exit(CPUU_CRASH);
	}
	if (pause_left >= 0 && pause_file && pause_left-- == 0)
		pause_here();
	return RP_OK;
}

static long env_count(const char *name)
{
	char *env = plat_getenv(name);
	long n = env ? strtol(env, NULL, 10) : -1;
	free(env);
	return n;
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

/* The [Directory] settings of the INI, for either backend. */
static int directory_config(const cfg_settings *st, dir_config *dc)
{
	size_t i;
	memset(dc, 0, sizeof(*dc));
	for (i = 0; i < st->n_directory; i++)
		if (dir_config_set(dc, st->directory[i].key, st->directory[i].value) < 0)
			return rp_error_wrap(RP_EINVAL, "[Directory]");
	return RP_OK;
}

/* The [Directory] connection for SCP lookups, or NULL (none configured, or
 * AutodiscoverExclude=scp). A configuration that cannot open is an error. */
int rp_cli_scp_directory(const cfg_settings *st, dir_resolver **out)
{
	dir_config all;
	dir_ldap_config dc;
	*out = NULL;
	if (!st->n_directory || (st->autodiscover_exclude & CFG_ADX_SCP))
		return RP_OK;
	if (directory_config(st, &all) < 0)
		return RP_EINVAL;
	/* SCP objects live in LDAP only: an address-book directory has none */
	if (all.source == DIR_SOURCE_NSPI)
		return RP_OK;
	dc = all.ldap;
	/* Only SCPs are read through this connection: no recipient attribute
	 * is needed, and dir_open_ldap asks for one or for X500 matching. */
	if (!dc.attribute)
		dc.fallback_x500 = true;
	return dir_open_ldap(&dc, out);
}

static void record_tap(void *ctx, const char *level, const char *text)
{
	rpt_record_message(ctx, level, text);
}

/* The run record (docs/report.md), fed by the log's warnings and errors;
 * NULL (no record) with --dry-run or out of memory. */
static rpt_record *new_record(const cfg_cmdline *cl, run_log *log)
{
	char *host = plat_hostname(), *user = plat_username(), now_iso[32];
	rpt_record *r = NULL;
	struct tm tm;
	plat_gmtime(plat_now(), &tm);
	strftime(now_iso, sizeof(now_iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!cl->dry_run)
		r = rpt_record_new(host, user, now_iso, RP_VERSION,
				   cfg_mode_name(cl->mode));
	if (r)
		run_log_set_tap(log, record_tap, r);
	free(host);
	free(user);
	return r;
}

static void write_record(run_log *log, rpt_record *r, int bits)
{
	rp_buf b = RP_BUF_INIT;
	if (!r)
		return;
	run_log_set_tap(log, NULL, NULL);
	if (rpt_record_write(r, bits, &b) == RP_OK)
		run_log_record(log, b.data, b.len);
	rp_buf_free(&b);
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

/* One run at a time per store: a lock file beside a hive or .reg file, a
 * per-user named lock for the live registry (docs/decisions.md). */
static int lock_store(const cfg_cmdline *cl, const char *path, plat_lock **out)
{
	unsigned long wait_ms = (unsigned long)cl->lock_wait * 1000ul;
	char *name, *p;
	int rc;
	if (*path) {
		name = rp_asprintf("%s.reprofile-lock", path);
		rc = name ? plat_lock_file(name, wait_ms, out) : RP_ENOMEM;
		free(name);
		return rc;
	}
	p = plat_username();
	name = p ? rp_asprintf("reprofile-live-%s", p) : NULL;
	free(p);
	if (!name)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (p = name; *p; p++)
		if (*p == '\\' || *p == '/')
			*p = '_'; /* DOMAIN\user: no namespace separators */
	rc = plat_lock_name(name, wait_ms, out);
	free(name);
	return rc;
}

static void proc_log(void *ud, const char *level, const char *line)
{
	run_log_line(ud, level, "StopProcesses: %s", line);
}

/* The guide's StopProcesses, before the first profile of the live registry
 * is touched: Outlook and the other MAPI clients of the user closed (asked
 * first, ended after the grace time). A client that cannot be stopped stops
 * the live registry's part of the run (*skip_live). Hive and .reg stores
 * belong to users who are not running anything here: said once. */
static int stop_clients(const cfg_cmdline *cl, const cfg_settings *st, run_log *log,
			char **stores, size_t nstores, bool *skip_live)
{
	bool live = false, files = false;
	unsigned long grace = 15000; /* Outlook may first ask to save a draft */
	size_t i, stopped = 0;
	long t;
	int rc;
	*skip_live = false;
	if (cl->dry_run || !st->stop_processes.n)
		return 0;
	for (i = 0; i < nstores; i++)
		*stores[i] ? (files = true) : (live = true);
	if (files)
		run_log_line(log, "Info",
			     "StopProcesses: nothing to stop for a hive or .reg store "
			     "(its user runs nothing here)");
	if (!live)
		return 0;
	if ((t = env_count("REPROFILE_STOP_GRACE_MS")) >= 0)
		grace = (unsigned long)t; /* tests: the ignoring program */
	rc = plat_stop_processes((const char *const *)st->stop_processes.v,
				 st->stop_processes.n, grace, proc_log, log, &stopped);
	if (rc == RP_EUNSUPPORTED) {
		rp_error_clear();
		run_log_line(log, "Info",
			     "StopProcesses: nothing to stop on this system");
		return 0;
	}
	if (rc < 0) {
		run_log_line(log, "Error",
			     "StopProcesses: %s; no profile of the registry was touched",
			     rp_error_msg());
		*skip_live = true;
		return CPUU_GLOBAL_ERR;
	}
	if (!stopped)
		run_log_line(log, "Info",
			     "StopProcesses: none of %zu programs was running",
			     st->stop_processes.n);
	return 0;
}

/* The Windows user's folders for the features (features.h): the live
 * registry's user's; a hive's own folder; a .reg file's --user-dir. */
struct folders {
	char *user, *local, *roaming;
};

static void folders_free(struct folders *f)
{
	free(f->user);
	free(f->local);
	free(f->roaming);
	memset(f, 0, sizeof(*f));
}

static int folders_for(const cfg_cmdline *cl, const char *path, struct folders *f)
{
	char sep = plat_sep();
	memset(f, 0, sizeof(*f));
	if (!*path) {
		f->user = plat_getenv("USERPROFILE");
		f->local = plat_getenv("LOCALAPPDATA");
		f->roaming = plat_getenv("APPDATA");
		return RP_OK;
	}
	if (cl->reg && !cl->user_dir)
		return RP_OK; /* none known: file-side parts are skipped */
	f->user = cl->reg ? rp_strdup(cl->user_dir) : folder_of(path);
	if (f->user) {
		f->local = rp_asprintf("%s%cAppData%cLocal", f->user, sep, sep);
		f->roaming = rp_asprintf("%s%cAppData%cRoaming", f->user, sep, sep);
	}
	if (!f->user || !f->local || !f->roaming) {
		folders_free(f);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	return RP_OK;
}

/* The recipient map of the features: [Directory] DirectoryCSV, else the
 * LDAP directories when a recipient attribute or X500 matching is set;
 * NULL when neither is configured. */
static int open_recipients(const cfg_settings *st, dir_resolver **out)
{
	dir_config dc;
	*out = NULL;
	if (st->directory_csv)
		return dir_open_csv(st->directory_csv, out);
	if (!st->n_directory)
		return RP_OK;
	if (directory_config(st, &dc) < 0)
		return RP_EINVAL;
	if (dc.source == DIR_SOURCE_LDAP && !dc.ldap.attribute && !dc.ldap.fallback_x500)
		return RP_OK; /* [Directory] only for SCP lookups */
	return dir_open(&dc, out);
}

/* The features' mailbox reads (run_mailbox.h): the target through the
 * sign-in sessions, the source with the run's source account and the same
 * CA file and CONNECT_TO entries. ho is filled and must outlive *out. */
static int make_mailbox(run_creds *creds, run_signin *signin, mbx_http_opts *ho,
			run_mailbox **out)
{
	adisc_net_opts no;
	memset(&no, 0, sizeof(no));
	run_creds_net_opts(creds, false, &no);
	*ho = *run_signin_opts(signin);
	ho->user = no.user;
	ho->password = no.password;
	if (no.ca_file)
		ho->ca_file = no.ca_file;
	return run_mailbox_new(signin, ho, out);
}

/* Runs the mode over each store in turn; a store that cannot be opened is
 * reported and skipped, so one broken hive does not stop a bulk run. */
static int run_stores(const cfg_cmdline *cl, const cfg_settings *st, run_log *log,
		      adisc_resolver *resolver, adisc_resolver *src_resolver,
		      run_creds *creds, run_signin *signin, run_srcmsg *srcmsg,
		      const cfg_switchlist *sl, dir_resolver *recipients,
		      rpt_record *record)
{
	char **stores = NULL, *appdata = plat_getenv("LOCALAPPDATA"), now_iso[32];
	mbx_http_opts source_ho;
	size_t nstores = 0, i;
	struct tm tm;
	plat_lock *lock = NULL;
	bool skip_live = false;
	int bits = 0;

	if (collect_stores(cl, &stores, &nstores) < 0) {
		run_log_line(log, "Error", "%s", rp_error_msg());
		bits |= CPUU_GLOBAL_ERR;
	}
	crash_left = env_count("REPROFILE_CRASH_AFTER_WRITES");
	pause_left = env_count("REPROFILE_PAUSE_AFTER_WRITES");
	pause_file = plat_getenv("REPROFILE_PAUSE_FILE");
	plat_gmtime(plat_now(), &tm);
	strftime(now_iso, sizeof(now_iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	bits |= stop_clients(cl, st, log, stores, nstores, &skip_live);
	for (i = 0; i < nstores; i++) {
		const char *path = stores[i];
		bool file = *path != '\0';
		char *backup_dir, *adisc_dir = NULL;
		reg_store *store = NULL;
		struct folders uf;
		run_ctx ctx;

		if (!*path && skip_live)
			continue;
		if (!cl->dry_run && lock_store(cl, path, &lock) < 0) {
			run_log_line(log, "Error", "%s; waited %d s, nothing done on %s",
				     rp_error_msg(), cl->lock_wait,
				     *path ? path : "the registry");
			bits |= CPUU_GLOBAL_ERR;
			continue;
		}
		if (open_store(cl, path, &store) < 0) {
			run_log_line(log, "Error", "%s", rp_error_msg());
			bits |= CPUU_GLOBAL_ERR;
			plat_unlock(lock);
			lock = NULL;
			continue;
		}
		if (crash_left >= 0 || pause_left >= 0)
			reg_set_write_hook(store, test_hook, NULL);

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
		ctx.record = record;
		ctx.target_resolver = resolver;
		ctx.creds = creds;
		ctx.signin = signin;
		ctx.srcmsg = srcmsg;
		if (signin && cl->mode == CFG_MODE_UPDATE &&
		    make_mailbox(creds, signin, &source_ho, &ctx.mailbox) < 0)
			run_log_line(log, "Error", "%s", rp_error_msg());
		/* Local files: one folder answers both sides. */
		ctx.source_resolver =
		    st->use_local_autodiscover_xmls ? resolver : src_resolver;
		ctx.source_local = st->use_local_autodiscover_xmls;
		ctx.switches = sl;
		ctx.file_backup_dir = backup_dir;
		if (crash_left >= 0 || pause_left >= 0)
			ctx.file_hook = test_hook; /* file writes count too */
		ctx.adisc_cache_dir = adisc_dir;
		ctx.dry_out = stdout;
		ctx.now_iso = now_iso;
		ctx.name_prefix = nstores > 1 ? path : NULL;
		ctx.recipients = recipients;
		if (folders_for(cl, path, &uf) < 0)
			run_log_line(log, "Error", "%s", rp_error_msg());
		ctx.folders.user_dir = uf.user;
		ctx.folders.local_appdata = uf.local;
		ctx.folders.appdata = uf.roaming;
		if (cl->mode == CFG_MODE_UPDATE)
			bits |= run_update(&ctx);
		else if (cl->mode == CFG_MODE_ROLLBACK)
			bits |= run_rollback(&ctx);
		else
			bits |= run_cleanup(&ctx);
		run_switch_find_free(&ctx);
		run_mailbox_free(ctx.mailbox);
		folders_free(&uf);
		reg_close(store);
		plat_unlock(lock); /* after the store's commit and close */
		lock = NULL;
		free(backup_dir);
		free(adisc_dir);
	}
	for (i = 0; i < nstores; i++)
		free(stores[i]);
	free(stores);
	free(appdata);
	free(pause_file);
	pause_file = NULL;
	return bits;
}

/* A configuration error stopped the run: every profile of the stores gets
 * its status row (0, not processed), read only. */
static int report_not_processed(const cfg_cmdline *cl, const cfg_settings *st,
				run_log *log)
{
	char **stores = NULL;
	size_t nstores = 0, i;
	int bits = 0;
	if (collect_stores(cl, &stores, &nstores) < 0)
		rp_error_clear();
	for (i = 0; i < nstores; i++) {
		reg_store *store = NULL;
		run_ctx ctx;
		int rc = cl->reg      ? reg_open_regfile(&store, stores[i], 0)
			 : *stores[i] ? reg_open_hive(&store, stores[i], 0)
				      : reg_open_live(&store, NULL, 0);
		if (rc == RP_OK) {
			memset(&ctx, 0, sizeof(ctx));
			ctx.store = store;
			ctx.cl = cl;
			ctx.st = st;
			ctx.log = log;
			ctx.name_prefix = nstores > 1 ? stores[i] : NULL;
			bits |= run_not_processed(&ctx);
			reg_close(store);
		} else {
			rp_error_clear(); /* the configuration error is the news */
		}
		free(stores[i]);
	}
	free(stores);
	return bits;
}

/* The target sign-in check (run_signin.h) with the run's target account, its
 * CA file and the test CONNECT_TO entries. Only with network Autodiscover
 * (creds): local XML files name no server to check (docs/decisions.md). */
static void signin_log(void *ctx, const char *level, const char *msg)
{
	run_log_line(ctx, level, "%s", msg);
}

static int make_signin(run_creds *creds, run_log *log, const rp_cli_net_env *ne,
		       run_signin **out)
{
	adisc_net_opts no;
	mbx_http_opts ho;
	memset(&no, 0, sizeof(no));
	memset(&ho, 0, sizeof(ho));
	run_creds_net_opts(creds, true, &no);
	ho.user = no.user;
	ho.password = no.password;
	ho.ca_file = no.ca_file;
	ho.connect_to = ne->entries;
	ho.log = signin_log;
	ho.log_ctx = log;
	return run_signin_new(&ho, creds, out);
}

/* SwitchSources=message (run_srcmsg.h): the source mailbox is read with
 * the run's source account (none: the current user), its CA file and the
 * test CONNECT_TO entries. NULL *out when message is not a switch source. */
static int make_srcmsg(const cfg_settings *st, run_creds *creds, run_log *log,
		       const rp_cli_net_env *ne, run_srcmsg **out)
{
	adisc_net_opts no;
	mbx_http_opts ho;
	bool wanted = false;
	*out = NULL;
	for (size_t i = 0; i < st->n_switch_sources; i++)
		wanted |= st->switch_sources[i] == CFG_SWS_MESSAGE;
	if (!wanted)
		return RP_OK;
	memset(&no, 0, sizeof(no));
	memset(&ho, 0, sizeof(ho));
	if (creds)
		run_creds_net_opts(creds, false, &no);
	ho.user = no.user;
	ho.password = no.password;
	ho.ca_file = no.ca_file ? no.ca_file : st->ca_file;
	ho.connect_to = ne->entries;
	ho.log = signin_log;
	ho.log_ctx = log;
	return run_srcmsg_new(&ho, out);
}

int rp_cmd_run(int argc, char **argv)
{
	cfg_cmdline cl;
	cfg_settings st;
	cfg_switchlist *sl = NULL;
	rp_cli_resolvers rv = {0};
	rp_cli_net_env ne;
	dir_resolver *recipients = NULL;
	run_signin *signin = NULL;
	run_srcmsg *srcmsg = NULL;
	run_log *log = NULL;
	rpt_record *record = NULL;
	run_log_opts lo;
	char *exe_dir = folder_of(rp_program_path), *config_error = NULL;
	size_t i;
	int bits = 0, rc = RP_OK;
	bool configured = false;

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
	/* Once the log's name is known (the command line), a configuration
	 * error goes into the log and the CSV too, not only to stderr. */
	if (cfg_settings_load_for(cl.ini, exe_dir, &st) < 0) {
		config_error = rp_strdup(rp_error_msg());
		bits = CFG_EXIT_CONFIG_ERROR;
		memset(&st, 0, sizeof(st));
	}
	lo.name_template = cl.log;
	lo.base_dir = ".";
	lo.write_directly = cl.log_write_directly;
	lo.no_files = cl.dry_run;
	lo.echo_stderr = true;
	run_log_open(&log, &lo, &bits);
	record = new_record(&cl, log);
	run_log_line(log, "Info", "reprofile %s: %s", RP_VERSION, cfg_mode_name(cl.mode));
	if (config_error) {
		run_log_line(log, "Error", "%s", config_error);
		goto out;
	}
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
	if (cl.mode == CFG_MODE_UPDATE && open_recipients(&st, &recipients) < 0) {
		run_log_line(log, "Error", "Recipient map: %s", rp_error_msg());
		bits |= CPUU_GLOBAL_ERR;
		goto out;
	}
	if (rv.creds && make_signin(rv.creds, log, &ne, &signin) < 0) {
		run_log_line(log, "Error", "%s", rp_error_msg());
		bits |= CPUU_GLOBAL_ERR;
		goto out;
	}
	if (cl.mode == CFG_MODE_UPDATE &&
	    make_srcmsg(&st, rv.creds, log, &ne, &srcmsg) < 0) {
		run_log_line(log, "Error", "%s", rp_error_msg());
		bits |= CPUU_GLOBAL_ERR;
		goto out;
	}
	configured = true;
	bits |= run_stores(&cl, &st, log, rv.target, rv.source, rv.creds, signin, srcmsg,
			   sl, recipients, record);
out:
	if (!configured)
		bits |= report_not_processed(&cl, &st, log);
	write_record(log, record, bits);
	/* The kept mailbox sessions disconnect while the log is open (their
	 * transport logs the requests). */
	run_signin_free(signin);
	signin = NULL;
	/* The last line: the whole exit code, the close's own bits included
	 * (a POSIX exit status keeps only 8 bits of it); a dry run says that it
	 * wrote nothing. */
	run_log_close_exit(log, &bits, cl.dry_run);
	rpt_record_free(record);
	run_signin_free(signin);
	run_srcmsg_free(srcmsg);
	rp_cli_resolvers_free(&rv);
	dir_close(recipients);
	cfg_switchlist_free(sl);
	free(config_error);
	cfg_settings_free(&st);
	cfg_cmdline_free(&cl);
	free(exe_dir);
	rp_cli_net_env_free(&ne);
	return bits;
}
