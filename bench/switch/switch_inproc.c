/* switch_inproc - the in-process cost of `reprofile update --hive`, without
 * the process start-up (exec, dynamic loading of the shared libraries).
 *
 *   switch_inproc repeat N PRISTINE WORK ARGS...
 *       N times: copy PRISTINE to WORK (timed apart), then do what
 *       `reprofile ARGS...` does for update (src/cli/cmd_run.c): parse the
 *       command line, load the INI and switch list, open the log, the local
 *       Autodiscover resolver and the hive, run_update(), close. ARGS must
 *       name --hive WORK. Per-phase minimum, median and mean.
 *   switch_inproc folder LIST ARGS...
 *       Set-up once, then each hive named in LIST (one path a line) opened,
 *       updated and committed with the same run context: what a folder mode
 *       in one process would cost.
 *
 * Every switch must return the "switched" bit (1) and no failure bit, or the
 * program stops. Peak RSS (getrusage ru_maxrss) is printed before the first
 * switch, after it and at the end. A [Directory] DirectoryCSV in the INI is
 * the features' recipient map (AddBoxes, Services, Nicks). The hive's own
 * folder is the user's folder (AppData/Local, AppData/Roaming under it, as
 * `update --hive` does), so Nicks and SRS find the user's files there; with
 * SWITCH_INPROC_RESTORE="FROM=TO;..." each repeat also copies FROM over TO
 * in the copy phase (a nickname stream rewritten by the previous switch).
 * Output: "key value" lines (bench/switch/
 * run.sh collects them; results in docs/performance.md, section "Switch"). */
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_cmdline.h"
#include "config/cfg_codes.h"
#include "config/cfg_settings.h"
#include "config/cfg_switchlist.h"
#include "directory/dir.h"
#include "discover/adisc.h"
#include "registry/reg.h"
#include "run/run_log.h"
#include "run/run_modes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void die(const char *what)
{
	fprintf(stderr, "switch_inproc: %s: %s\n", what, rp_error_msg());
	exit(2);
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[65536];
	size_t n;
	if (!in || !out) {
		fprintf(stderr, "switch_inproc: cannot copy %s to %s\n", from, to);
		exit(2);
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			fprintf(stderr, "switch_inproc: write error on %s\n", to);
			exit(2);
		}
	fclose(in);
	if (fclose(out) != 0)
		exit(2);
}

/* The user's folders of a hive: its own folder (cmd_run.c folders_for). */
static char user_dir[4096], user_local[4200], user_roaming[4200];

static void user_folders(const char *hive, run_ctx *ctx)
{
	const char *slash = strrchr(hive, '/');
	size_t n = slash ? (size_t)(slash - hive) : 1;
	snprintf(user_dir, sizeof(user_dir), "%.*s", (int)n, slash ? hive : ".");
	snprintf(user_local, sizeof(user_local), "%s/AppData/Local", user_dir);
	snprintf(user_roaming, sizeof(user_roaming), "%s/AppData/Roaming", user_dir);
	ctx->folders.user_dir = user_dir;
	ctx->folders.local_appdata = user_local;
	ctx->folders.appdata = user_roaming;
}

/* SWITCH_INPROC_RESTORE: "FROM=TO;FROM=TO..." copied before each switch. */
static void restore_files(void)
{
	const char *env = getenv("SWITCH_INPROC_RESTORE");
	char *list, *item, *save = NULL;
	if (!env || !*env)
		return;
	list = rp_strdup(env);
	for (item = strtok_r(list, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(item, '=');
		if (!eq) {
			fprintf(
			    stderr,
			    "switch_inproc: SWITCH_INPROC_RESTORE item without '='\n");
			exit(2);
		}
		*eq = '\0';
		copy_file(item, eq + 1);
	}
	free(list);
}

/* What rp_cmd_run sets up before the mode runs. */
typedef struct setup {
	cfg_cmdline cl;
	cfg_settings st;
	cfg_switchlist *sl;
	adisc_resolver *resolver;
	dir_resolver *recipients; /* [Directory] DirectoryCSV, for the features */
	run_log *log;
	int bits;
	char now_iso[32];
} setup;

static void setup_open(setup *s, int argc, char **argv)
{
	run_log_opts lo;
	time_t t = time(NULL);
	memset(s, 0, sizeof(*s));
	if (cfg_cmdline_parse(argc, argv, &s->cl) < 0)
		die("command line");
	if (s->cl.mode != CFG_MODE_UPDATE || !s->cl.hive) {
		fprintf(stderr, "switch_inproc: ARGS must be update ... --hive FILE\n");
		exit(2);
	}
	if (cfg_settings_load_for(s->cl.ini, ".", &s->st) < 0)
		die("INI");
	if (!s->st.use_local_autodiscover_xmls || !s->st.switch_list) {
		fprintf(stderr, "switch_inproc: the INI must set SwitchList and "
				"UseLocalAutodiscoverXMLs=1 (no network)\n");
		exit(2);
	}
	memset(&lo, 0, sizeof(lo));
	lo.name_template = s->cl.log;
	lo.base_dir = ".";
	lo.echo_stderr = true;
	run_log_open(&s->log, &lo, &s->bits);
	run_log_line(s->log, "Info", "switch_inproc: update");
	if (cfg_switchlist_load(s->st.switch_list, &s->sl) < 0)
		die("switch list");
	s->resolver = adisc_local_resolver_new(s->st.local_autodiscover_xml_path);
	if (!s->resolver)
		die("local Autodiscover");
	if (s->st.directory_csv && dir_open_csv(s->st.directory_csv, &s->recipients) < 0)
		die("recipient map");
	strftime(s->now_iso, sizeof(s->now_iso), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
}

static void setup_close(setup *s)
{
	run_log_close(s->log, &s->bits);
	adisc_resolver_free(s->resolver);
	dir_close(s->recipients);
	cfg_switchlist_free(s->sl);
	cfg_settings_free(&s->st);
	cfg_cmdline_free(&s->cl);
}

/* setup: command line, INI, log, switch list, resolver; open: the hive;
 * update: run_update() including the commit; close: hive and set-up freed,
 * log closed; total: all four; copy: the fresh copy (not in total). */
enum { PH_SETUP, PH_OPEN, PH_UPDATE, PH_CLOSE, PH_TOTAL, PH_COPY, PH_N };
static const char *const ph_name[PH_N] = {"setup", "open",  "update",
					  "close", "total", "copy"};

/* Opens hive, switches it with s's context, commits and closes; the three
 * phases' times go to t[PH_OPEN], t[PH_UPDATE], t[PH_CLOSE]. */
static void switch_one(setup *s, const char *hive, double t[PH_N])
{
	reg_store *store = NULL;
	run_ctx ctx;
	char *backup_dir = rp_asprintf("%s.reprofile-files", hive);
	double a = now_ms(), b, c;
	int bits;
	if (reg_open_hive(&store, hive, REG_OPEN_WRITE) < 0)
		die(hive);
	b = now_ms();
	memset(&ctx, 0, sizeof(ctx));
	user_folders(hive, &ctx);
	ctx.store = store;
	ctx.cl = &s->cl;
	ctx.st = &s->st;
	ctx.log = s->log;
	ctx.target_resolver = s->resolver;
	ctx.recipients = s->recipients;
	ctx.switches = s->sl;
	ctx.file_backup_dir = backup_dir;
	ctx.dry_out = stdout;
	ctx.now_iso = s->now_iso;
	bits = run_update(&ctx); /* commits the hive when it wrote */
	c = now_ms();
	reg_close(store);
	free(backup_dir);
	t[PH_OPEN] = b - a;
	t[PH_UPDATE] = c - b;
	t[PH_CLOSE] = now_ms() - c;
	if (!(bits & CPUU_SUCCESS) || (bits & ~CPUU_SUCCESS)) {
		fprintf(stderr, "switch_inproc: %s: exit bits %d, not a clean switch\n",
			hive, bits);
		exit(1);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Sorts v. */
static void report(const char *ph, double *v, int n)
{
	double sum = 0;
	int i;
	for (i = 0; i < n; i++)
		sum += v[i];
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	printf("%s_ms_min %.3f\n%s_ms_median %.3f\n%s_ms_mean %.3f\n", ph, v[0], ph,
	       v[n / 2], ph, sum / n);
}

static int do_repeat(int n, const char *pristine, const char *work, int argc, char **argv)
{
	double *t[PH_N];
	long rss0 = maxrss_kb(), rss1 = 0;
	int i, p;
	if (n < 1)
		return 2;
	for (p = 0; p < PH_N; p++)
		t[p] = calloc((size_t)n, sizeof(double));
	for (i = 0; i < n; i++) {
		setup s;
		double ph[PH_N], a, b, c;
		a = now_ms();
		copy_file(pristine, work);
		restore_files();
		b = now_ms();
		setup_open(&s, argc, argv);
		if (strcmp(s.cl.hive, work) != 0) {
			fprintf(stderr, "switch_inproc: --hive must be %s\n", work);
			return 2;
		}
		c = now_ms();
		switch_one(&s, work, ph);
		setup_close(&s);
		t[PH_COPY][i] = b - a;
		t[PH_SETUP][i] = c - b;
		t[PH_OPEN][i] = ph[PH_OPEN];
		t[PH_UPDATE][i] = ph[PH_UPDATE];
		/* close: the hive's and the set-up's (log, switch list, ...) */
		t[PH_CLOSE][i] = now_ms() - c - ph[PH_OPEN] - ph[PH_UPDATE];
		t[PH_TOTAL][i] = now_ms() - b;
		if (i == 0)
			rss1 = maxrss_kb();
	}
	printf("switches %d\n", n);
	for (p = 0; p < PH_N; p++)
		report(ph_name[p], t[p], n);
	printf("maxrss_kb_start %ld\nmaxrss_kb_after_first %ld\nmaxrss_kb_end %ld\n",
	       rss0, rss1, maxrss_kb());
	for (p = 0; p < PH_N; p++)
		free(t[p]);
	return 0;
}

static int do_folder(const char *list, int argc, char **argv)
{
	FILE *f = fopen(list, "r");
	char line[4096];
	setup s;
	double a, b, ph[PH_N], upd = 0;
	long rss0 = maxrss_kb(), rss1 = 0;
	int n = 0;
	if (!f) {
		fprintf(stderr, "switch_inproc: cannot open %s\n", list);
		return 2;
	}
	a = now_ms();
	setup_open(&s, argc, argv);
	b = now_ms();
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		switch_one(&s, line, ph);
		upd += ph[PH_OPEN] + ph[PH_UPDATE] + ph[PH_CLOSE];
		if (n++ == 0)
			rss1 = maxrss_kb();
	}
	fclose(f);
	setup_close(&s);
	printf("hives %d\nsetup_ms %.3f\nswitch_all_ms %.3f\ntotal_ms %.3f\n"
	       "per_hive_ms %.3f\n",
	       n, b - a, upd, now_ms() - a, n ? upd / n : 0.0);
	printf("maxrss_kb_start %ld\nmaxrss_kb_after_first %ld\nmaxrss_kb_end %ld\n",
	       rss0, rss1, maxrss_kb());
	return n ? 0 : 2;
}

int main(int argc, char **argv)
{
	if (argc >= 6 && strcmp(argv[1], "repeat") == 0)
		return do_repeat(atoi(argv[2]), argv[3], argv[4], argc - 5, argv + 5);
	if (argc >= 4 && strcmp(argv[1], "folder") == 0)
		return do_folder(argv[2], argc - 3, argv + 3);
	fprintf(stderr, "usage: switch_inproc repeat N PRISTINE WORK ARGS...\n"
			"       switch_inproc folder LIST ARGS...\n");
	return 2;
}
