/* The run's log and CSV status files: naming, local staging of a remote log,
 * the move at the end, and the guide's exit bits for each failure. */
#include "run_log.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_codes.h"
#include "config/cfg_template.h"
#include "platform/plat.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct run_log {
	FILE *log, *csv, *rep;
	char *path, *csv_path;      /* final names (remote when staged) */
	char *local, *local_csv;    /* written now; == path/csv_path unless staged */
	char *rep_path, *local_rep; /* feature report (JSON Lines), opened on the
				       first row */
	char *rec_path, *local_rec; /* run record (docs/report.md), written once */
	bool rec_ok;                /* the record was written completely */
	run_log_tap tap;
	void *tap_ctx;
	bool staged;
	bool echo_stderr;
	int bits; /* write failures, ORed into the exit code at close */
};

static bool is_sep(char c)
{
	return c == '/' || c == '\\';
}

bool run_log_is_remote(const char *p)
{
	if (!p || !is_sep(p[0]) || !is_sep(p[1]))
		return false;
	/* \\?\ and \\.\ name local devices and drives, except \\?\UNC\. */
	if ((p[2] == '?' || p[2] == '.') && (is_sep(p[3]) || !p[3]))
		return p[2] == '?' && p[3] && rp_ascii_ncasecmp(p + 4, "UNC", 3) == 0 &&
		       is_sep(p[7]);
	return p[2] != '\0';
}

/* Absolute: a leading separator, or a drive letter "X:". */
static bool is_absolute(const char *p)
{
	return is_sep(p[0]) ||
	       (((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':');
}

static const char *base_name(const char *p)
{
	const char *b = p;
	for (; *p; p++)
		if (is_sep(*p))
			b = p + 1;
	return b;
}

/* Folder part of path (malloc'd), NULL when there is none. */
static char *dir_name(const char *path)
{
	const char *b = base_name(path);
	if (b == path)
		return NULL;
	return rp_strndup(path, (size_t)(b - path - 1 > 0 ? b - path - 1 : 1));
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	if (n && is_sep(dir[n - 1]))
		return rp_asprintf("%s%s", dir, name);
	return rp_asprintf("%s%c%s", dir, plat_sep(), name);
}

char *run_log_staging_dir(void)
{
	char *t = plat_tempdir(), *d;
	if (!t)
		return NULL;
	d = join(t, RUN_LOG_STAGING_NAME);
	free(t);
	return d;
}

/* %VAR% as Windows expands it: the name in any case. %USERNAME% that the
 * environment lacks (a POSIX session sets USER) is the user's name, as the
 * guide says ("the real user name"). */
static char *env_lookup(void *ud, const char *name)
{
	char *v = plat_getenv_nocase(name);
	(void)ud;
	if (!v && rp_ascii_casecmp(name, "USERNAME") == 0)
		v = plat_username();
	return v;
}

static char *expand_name(const run_log_opts *o)
{
	const char *tmpl = o && o->name_template && *o->name_template
			       ? o->name_template
			       : CFG_DEFAULT_LOG_TEMPLATE;
	const char *base = o && o->base_dir && *o->base_dir ? o->base_dir : ".";
	cfg_name_ctx ctx;
	struct tm tm;
	char *name = NULL, *full;

	memset(&ctx, 0, sizeof(ctx));
	plat_localtime(plat_now(), &tm);
	ctx.host = plat_hostname();
	ctx.year = tm.tm_year + 1900;
	ctx.month = tm.tm_mon + 1;
	ctx.day = tm.tm_mday;
	ctx.hour = tm.tm_hour;
	ctx.minute = tm.tm_min;
	ctx.second = tm.tm_sec;
	ctx.env = env_lookup;
	if (cfg_expand_name(tmpl, &ctx, &name) < 0)
		name = NULL;
	free((char *)ctx.host);
	if (!name || is_absolute(name))
		return name;
	full = join(base, name);
	free(name);
	return full;
}

static void note_error(run_log *l, int bit, const char *what)
{
	l->bits |= bit;
	fprintf(stderr, "reprofile: %s: %s\n", what, rp_error_msg());
}

/* Opens path for appending, creating its folder when it is local. */
static FILE *open_append(const char *path)
{
	FILE *f;
	char *dir = dir_name(path);
	if (dir && !run_log_is_remote(dir) && !plat_file_exists(dir) &&
	    plat_mkdir_p(dir) < 0) {
		free(dir);
		return NULL;
	}
	free(dir);
	if (!(f = plat_fopen(path, "ab")))
		rp_error_set(RP_EIO, "%s: cannot open for writing", path);
	return f;
}

void run_log_open(run_log **out, const run_log_opts *o, int *exit_bits)
{
	run_log *l = calloc(1, sizeof(*l));
	*out = l;
	if (!l) {
		*exit_bits |= CPUU_FAILED_TO_WRITE_LOG;
		return;
	}
	l->echo_stderr = o && o->echo_stderr;
	if (o && o->no_files) {
		return;
	}
	l->path = expand_name(o);
	l->csv_path = l->path ? cfg_csv_name(l->path) : NULL;
	if (!l->path || !l->csv_path) {
		rp_error_set(RP_ENOMEM, "out of memory");
		note_error(l, CPUU_FAILED_TO_WRITE_LOG, "log file name");
		*exit_bits |= l->bits;
		l->bits = 0;
		return;
	}
	if (run_log_is_remote(l->path) && !(o && o->write_directly)) {
		char *stage = run_log_staging_dir();
		if (!stage || plat_mkdir_p(stage) < 0) {
			/* Without a local folder, writing to the share directly
			 * still keeps the log (bit 128 tells the admin). */
			note_error(l, CPUU_FAILED_TO_CREATE_TMP_DIR, "staging folder");
		} else {
			l->local = join(stage, base_name(l->path));
			l->local_csv = join(stage, base_name(l->csv_path));
			l->staged = l->local && l->local_csv;
			if (!l->staged) {
				free(l->local);
				free(l->local_csv);
				l->local = l->local_csv = NULL;
			}
		}
		free(stage);
	}
	if (!l->staged) {
		l->local = rp_strdup(l->path);
		l->local_csv = rp_strdup(l->csv_path);
	}
	if (!l->local || !l->local_csv)
		rp_error_set(RP_ENOMEM, "out of memory");
	else if ((l->log = open_append(l->local)) != NULL)
		l->csv = open_append(l->local_csv);
	if (!l->log || !l->csv)
		note_error(l, CPUU_FAILED_TO_WRITE_LOG, "log file");
	*exit_bits |= l->bits;
	l->bits = 0;
}

static bool flushes(const char *level)
{
	return strcmp(level, RUN_LOG_WARNING) == 0 || strcmp(level, RUN_LOG_ERROR) == 0 ||
	       strcmp(level, RUN_LOG_TRACEW) == 0;
}

void run_log_line(run_log *l, const char *level, const char *fmt, ...)
{
	char stamp[80], *text, *p;
	struct tm tm;
	va_list ap;
	bool urgent;

	if (!level)
		level = RUN_LOG_INFO;
	urgent = flushes(level);
	va_start(ap, fmt);
	{
		va_list ap2;
		int n;
		va_copy(ap2, ap);
		n = vsnprintf(NULL, 0, fmt, ap2);
		va_end(ap2);
		text = n >= 0 ? malloc((size_t)n + 1) : NULL;
		if (text)
			vsnprintf(text, (size_t)n + 1, fmt, ap);
	}
	va_end(ap);
	if (!text) {
		if (l)
			l->bits |= CPUU_FAILED_TO_WRITE_LOG;
		return;
	}
	/* One line per event: a message's own line breaks become spaces. */
	for (p = text; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	plat_localtime(plat_now(), &tm);
	snprintf(stamp, sizeof(stamp), "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (l && l->log) {
		if (fprintf(l->log, "%s [%s] %s\r\n", stamp, level, text) < 0 ||
		    (urgent && fflush(l->log) != 0))
			l->bits |= CPUU_FAILED_TO_WRITE_LOG;
	}
	if (l && l->tap)
		l->tap(l->tap_ctx, level, text);
	if (!l || !l->log ||
	    (l->echo_stderr &&
	     (strcmp(level, RUN_LOG_WARNING) == 0 || strcmp(level, RUN_LOG_ERROR) == 0)))
		fprintf(stderr, "%s [%s] %s\n", stamp, level, text);
	free(text);
}

void run_log_status(run_log *l, const char *profile, int current, int previous)
{
	char *row = cfg_csv_row(profile ? profile : "", current, previous);
	if (l && (!row || (l->csv && (fputs(row, l->csv) < 0 || fflush(l->csv) != 0))))
		l->bits |= CPUU_FAILED_TO_WRITE_LOG;
	free(row);
}

/* "<name>.csv" -> "<name>.features.jsonl" (docs/features.md). */
static char *report_name(const char *csv)
{
	size_t n = strlen(csv);
	if (n > 4 && rp_ascii_casecmp(csv + n - 4, ".csv") == 0)
		n -= 4;
	return rp_asprintf("%.*s.features.jsonl", (int)n, csv);
}

void run_log_report(run_log *l, const char *json)
{
	if (!l || !l->local_csv)
		return; /* --dry-run: no files */
	if (!l->rep) {
		if (!l->local_rep && (!(l->local_rep = report_name(l->local_csv)) ||
				      !(l->rep_path = report_name(l->csv_path)))) {
			l->bits |= CPUU_FAILED_TO_WRITE_LOG;
			return;
		}
		if (!(l->rep = open_append(l->local_rep))) {
			note_error(l, CPUU_FAILED_TO_WRITE_LOG, "feature report");
			return;
		}
	}
	if (fputs(json, l->rep) < 0 || fputs("\n", l->rep) < 0 || fflush(l->rep) != 0)
		l->bits |= CPUU_FAILED_TO_WRITE_LOG;
}

void run_log_set_tap(run_log *l, run_log_tap fn, void *ctx)
{
	if (l) {
		l->tap = fn;
		l->tap_ctx = ctx;
	}
}

/* "<name>.csv" -> "<name>.record.json", or "<name>.record-N.json" when the
 * final folder has that name already (a record is one document: never
 * appended to another run's). */
static int record_names(run_log *l)
{
	size_t n = strlen(l->csv_path), k = strlen(l->local_csv);
	int i;
	if (n > 4 && rp_ascii_casecmp(l->csv_path + n - 4, ".csv") == 0)
		n -= 4;
	if (k > 4 && rp_ascii_casecmp(l->local_csv + k - 4, ".csv") == 0)
		k -= 4;
	for (i = 1; i < 1000; i++) {
		char sfx[24];
		if (i == 1)
			snprintf(sfx, sizeof(sfx), ".record.json");
		else
			snprintf(sfx, sizeof(sfx), ".record-%d.json", i);
		free(l->rec_path);
		free(l->local_rec);
		l->rec_path = rp_asprintf("%.*s%s", (int)n, l->csv_path, sfx);
		l->local_rec = rp_asprintf("%.*s%s", (int)k, l->local_csv, sfx);
		if (!l->rec_path || !l->local_rec)
			return rp_error_set(RP_ENOMEM, "out of memory");
		if (!plat_file_exists(l->rec_path) && !plat_file_exists(l->local_rec))
			return RP_OK;
	}
	return rp_error_set(RP_EIO, "%s: too many records with this name", l->rec_path);
}

void run_log_record(run_log *l, const void *doc, size_t n)
{
	FILE *f;
	if (!l || !l->local_csv || l->local_rec)
		return; /* --dry-run, or written already */
	if (record_names(l) < 0) {
		note_error(l, CPUU_FAILED_TO_WRITE_LOG, "run record");
		free(l->local_rec);
		l->local_rec = NULL;
		return;
	}
	if (!(f = plat_fopen(l->local_rec, "wb"))) {
		rp_error_set(RP_EIO, "%s: cannot create", l->local_rec);
		note_error(l, CPUU_FAILED_TO_WRITE_LOG, "run record");
		return;
	}
	l->rec_ok = fwrite(doc, 1, n, f) == n;
	if (plat_fsync_close(f) < 0)
		l->rec_ok = false;
	if (!l->rec_ok) {
		rp_error_set(RP_EIO, "%s: cannot write", l->local_rec);
		note_error(l, CPUU_FAILED_TO_WRITE_LOG, "run record");
		plat_remove(l->local_rec); /* no partial record on the share */
	}
}

const char *run_log_record_path(const run_log *l)
{
	return l ? l->rec_path : NULL;
}

const char *run_log_report_path(const run_log *l)
{
	return l ? l->rep_path : NULL;
}

const char *run_log_path(const run_log *l)
{
	return l ? l->path : NULL;
}

const char *run_log_csv_path(const run_log *l)
{
	return l ? l->csv_path : NULL;
}

const char *run_log_local_path(const run_log *l)
{
	return l ? l->local : NULL;
}

const char *run_log_local_csv_path(const run_log *l)
{
	return l ? l->local_csv : NULL;
}

/* Appends file from to the end of file to (a log of an earlier run with the
 * same name stays in front). */
static int append_file(const char *from, const char *to)
{
	FILE *in = plat_fopen(from, "rb"), *out;
	char buf[65536];
	size_t n;
	int rc = RP_OK;
	if (!in)
		return rp_error_set(RP_EIO, "%s: cannot open", from);
	if (!(out = plat_fopen(to, "ab"))) {
		fclose(in);
		return rp_error_set(RP_EIO, "%s: cannot open for appending", to);
	}
	while (rc == RP_OK && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = rp_error_set(RP_EIO, "%s: write failed", to);
	if (rc == RP_OK && ferror(in))
		rc = rp_error_set(RP_EIO, "%s: read failed", from);
	fclose(in);
	if (plat_fsync_close(out) < 0 && rc == RP_OK)
		rc = rp_error_set(RP_EIO, "%s: flush failed", to);
	return rc;
}

/* Moves a staged file to the share: appended to an existing file there,
 * else renamed, else (another volume) copied and deleted. The local file
 * is deleted only once the remote one is complete. */
static int move_remote(const char *from, const char *to)
{
	int rc;
	if (plat_file_exists(to))
		rc = append_file(from, to);
	else if (plat_rename_replace(from, to) == RP_OK)
		return RP_OK;
	else if ((rc = plat_copy_file(from, to)) < 0 && plat_file_exists(to)) {
		/* No partial copy left behind; keep the copy's message. */
		char *msg = rp_strdup(rp_error_msg());
		plat_remove(to);
		rp_error_set(rc, "%s", msg ? msg : "copy failed");
		free(msg);
	}
	if (rc < 0)
		return rp_error_wrap(rc, "moving the log to %s", to);
	return plat_remove(from);
}

/* A dry run says that it wrote nothing rather than name code 0
 * CPUU_CANNOT_START. */
static void exit_line(run_log *l, int bits, bool dry_run)
{
	char names[256];
	if (dry_run && bits == 0)
		run_log_line(l, RUN_LOG_INFO,
			     "Exit code 0 (dry run: nothing was written)");
	else
		run_log_line(l, RUN_LOG_INFO, "Exit code %d (%s%s)", bits,
			     cfg_exit_code_names(bits, names, sizeof(names)),
			     dry_run ? "; dry run: nothing was written" : "");
}

/* Appends the exit line to the staged log that a failed move left behind. */
static void restate_exit(run_log *l, int bits)
{
	if (!(l->log = plat_fopen(l->local, "ab")))
		return;
	exit_line(l, bits, false); /* a dry run writes no files */
	if (plat_fsync_close(l->log) < 0)
		l->bits |= CPUU_FAILED_TO_WRITE_LOG;
	l->log = NULL;
}

static void close_impl(run_log *l, int *exit_bits, bool with_exit, bool dry_run)
{
	bool had_log = l->log != NULL;
	if (with_exit)
		exit_line(l, *exit_bits | l->bits, dry_run);
	if (l->log && plat_fsync_close(l->log) < 0) {
		rp_error_set(RP_EIO, "%s: cannot write", l->local);
		note_error(l, CPUU_FAILED_TO_WRITE_LOG, "log file");
	}
	l->log = NULL;
	if (l->csv && plat_fsync_close(l->csv) < 0) {
		rp_error_set(RP_EIO, "%s: cannot write", l->local_csv);
		note_error(l, CPUU_FAILED_TO_WRITE_LOG, "status file");
	}
	if (l->rep && plat_fsync_close(l->rep) < 0) {
		rp_error_set(RP_EIO, "%s: cannot write", l->local_rep);
		note_error(l, CPUU_FAILED_TO_WRITE_LOG, "feature report");
	}
	/* Staged files that were never opened have nothing to move. The CSV,
	 * the feature report and the run record go first, so that their failure can still
	 * reach the log's last line. */
	if (l->staged && l->csv && move_remote(l->local_csv, l->csv_path) < 0) {
		note_error(l, CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE,
			   "status file");
		if (with_exit && had_log)
			restate_exit(l, *exit_bits | l->bits);
	}
	if (l->staged && l->rep && move_remote(l->local_rep, l->rep_path) < 0) {
		bool first = !(l->bits & CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE);
		note_error(l, CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE,
			   "feature report");
		if (with_exit && had_log && first)
			restate_exit(l, *exit_bits | l->bits);
	}
	if (l->staged && l->rec_ok && move_remote(l->local_rec, l->rec_path) < 0) {
		bool first = !(l->bits & CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE);
		note_error(l, CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE, "run record");
		if (with_exit && had_log && first)
			restate_exit(l, *exit_bits | l->bits);
	}
	if (l->staged && had_log && move_remote(l->local, l->path) < 0) {
		bool first = !(l->bits & CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE);
		note_error(l, CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE, "log file");
		if (with_exit && first && plat_file_exists(l->local))
			restate_exit(l, *exit_bits | l->bits);
	}
	*exit_bits |= l->bits;
	free(l->rec_path);
	free(l->local_rec);
	free(l->rep_path);
	free(l->local_rep);
	free(l->path);
	free(l->csv_path);
	free(l->local);
	free(l->local_csv);
	free(l);
}

void run_log_close(run_log *l, int *exit_bits)
{
	if (l)
		close_impl(l, exit_bits, false, false);
}

void run_log_close_exit(run_log *l, int *exit_bits, bool dry_run)
{
	if (l)
		close_impl(l, exit_bits, true, dry_run);
	else
		exit_line(NULL, *exit_bits, dry_run); /* stderr */
}

static bool is_dump(const plat_dirent *e)
{
	size_t n = strlen(e->name);
	return !e->is_dir && n > 4 && rp_ascii_casecmp(e->name + n - 4, ".dmp") == 0;
}

/* Oldest first: by last-write time, then by name. */
static int older_first(const void *a, const void *b)
{
	const plat_dirent *x = a, *y = b;
	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->name, y->name);
}

int run_log_prune_dumps(const char *dir, int max)
{
	plat_dirent *e = NULL;
	size_t n = 0, i, dumps = 0;
	int rc, deleted = 0, bad = RP_OK;

	if (max < 0)
		return rp_error_set(RP_EINVAL, "MaxLocalDumps: %d is negative", max);
	if (!plat_file_exists(dir))
		return 0;
	if ((rc = plat_list_dir(dir, &e, &n)) < 0)
		return rc;
	/* Dumps to the front, then oldest first among them. */
	for (i = 0; i < n; i++)
		if (is_dump(&e[i])) {
			plat_dirent t = e[dumps];
			e[dumps++] = e[i];
			e[i] = t;
		}
	qsort(e, dumps, sizeof(*e), older_first);
	for (i = 0; dumps > (size_t)max && i < dumps - (size_t)max; i++) {
		char *p = join(dir, e[i].name);
		if (!p || plat_remove(p) < 0)
			bad = p ? RP_EIO : RP_ENOMEM;
		else
			deleted++;
		free(p);
	}
	plat_dir_free(e, n);
	return bad < 0 ? bad : deleted;
}
