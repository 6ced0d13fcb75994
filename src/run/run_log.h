/* run_log.h - the run's log file and CSV status file (the guide's -Log,
 * -LogWriteDirectly, -MoveDumpsToRemote/-MaxLocalDumps, "CPUU Return Codes").
 *
 * The log name comes from a template (cfg_template.h: #H #D #T, %VAR%); a
 * relative name is placed in the folder reprofile was started from
 * (base_dir). The CSV status file has the same name with .csv (cfg_csv_name).
 * When the log folder is remote (a UNC path \\server\share\... or
 * //server/share/...) and write_directly is false, both files are written in
 * <temp>/CPUULogs first and moved to the remote folder by
 * run_log_close(); a failed move sets CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE
 * (256) and leaves the local files in place. A log that cannot be created or
 * written sets CPUU_FAILED_TO_WRITE_LOG (64); a local folder that cannot be
 * created sets CPUU_FAILED_TO_CREATE_TMP_DIR (128). Logging never fails the
 * run otherwise: lines are dropped, the bit is set.
 *
 * Line format: "YYYY-MM-DD HH:MM:SS [Level] text" (local time, see docs),
 * levels as in the guide's troubleshooting table: Info, TraceW, Warning,
 * Error. */
#ifndef RUN_LOG_H
#define RUN_LOG_H

#include "base/rp_attr.h"
#include "config/cfg_template.h"

#include <stdbool.h>

typedef struct run_log run_log;

/* Level names (the guide's troubleshooting table). Warning, Error and
 * TraceW lines are flushed at once, so a crash keeps them. */
#define RUN_LOG_INFO "Info"
#define RUN_LOG_TRACEW "TraceW"
#define RUN_LOG_WARNING "Warning"
#define RUN_LOG_ERROR "Error"

/* Local staging folder under the temp folder (the guide's CPUULogs). */
#define RUN_LOG_STAGING_NAME CFG_LOG_STAGING_NAME

typedef struct run_log_opts {
	const char *name_template; /* -Log value, or NULL for the default */
	const char *base_dir;      /* folder for relative names (NULL = ".") */
	bool write_directly;       /* -LogWriteDirectly */
	bool echo_stderr;          /* also print Warning/Error lines to stderr */
	bool no_files;             /* --dry-run: no log or CSV file at all; every
				      line goes to stderr */
} run_log_opts;

/* Opens (creates) the log and CSV files. Never fails hard: on error *out is
 * still a usable log (writing to stderr only) and *exit_bits gets the bit. */
void run_log_open(run_log **out, const run_log_opts *o, int *exit_bits);
void run_log_line(run_log *l, const char *level, const char *fmt, ...) RP_PRINTF(3, 4);
/* Appends one status row (cfg_csv_row). */
void run_log_status(run_log *l, const char *profile, int current, int previous);
/* Appends one line (a JSON object without its newline) to the feature
 * report beside the CSV: "<csv name without .csv>.features.jsonl", created
 * on the first line, staged and moved like the CSV (docs/features.md). No
 * file with no_files. */
void run_log_report(run_log *l, const char *json);
/* The report's final path, NULL until a line was written. */
const char *run_log_report_path(const run_log *l);
/* Called with every line's level and text (after its line breaks became
 * spaces), e.g. to keep the warnings and errors in the run record. */
typedef void (*run_log_tap)(void *ctx, const char *level, const char *text);
void run_log_set_tap(run_log *l, run_log_tap fn, void *ctx);
/* Writes the run record (docs/report.md) beside the CSV as
 * "<csv name without .csv>.record.json" ("-2", "-3"... when that name is
 * taken: a record is never appended to another), staged and moved like the
 * CSV. Once per run; a failure sets bit 64 (256 for the move). No file with
 * no_files. */
void run_log_record(run_log *l, const void *doc, size_t n);
/* The record's final path, NULL until it was written. */
const char *run_log_record_path(const run_log *l);
/* Final path of the log and CSV files (after a move: the remote ones). */
const char *run_log_path(const run_log *l);
const char *run_log_csv_path(const run_log *l);
/* Where the log / CSV are being written now: the staging copies while a
 * remote log is staged, else the same as run_log_path. */
const char *run_log_local_path(const run_log *l);
const char *run_log_local_csv_path(const run_log *l);
/* Flushes, closes, moves to the remote folder if needed; ORs bits into
 * *exit_bits; frees l. */
void run_log_close(run_log *l, int *exit_bits);
/* run_log_close, with the log's last line "Exit code N (names)" carrying
 * the whole code, the bits of the close included: when the move to the share
 * fails (256), the line is written again, with 256, at the end of the staged
 * copy that stays (a POSIX exit status has 8 bits: scripts read 256 and 512
 * there). With dry_run the line says that nothing was written. */
void run_log_close_exit(run_log *l, int *exit_bits, bool dry_run);

/* True for a UNC path: two leading separators (\\server\share, //server/share,
 * \\?\UNC\...), but not the local-device forms \\?\C:\... and \\.\. */
bool run_log_is_remote(const char *path);
/* <temp>/CPUULogs, malloc'd (NULL on out of memory). */
char *run_log_staging_dir(void);
/* Deletes the oldest crash dumps (*.dmp, any case) in dir beyond the newest
 * max (-MaxLocalDumps), oldest by last-write time, then by name. Returns the
 * number deleted, 0 when dir does not exist, or a negative rp_err (RP_EINVAL
 * for max < 0, RP_EIO when dir cannot be listed or a dump cannot be
 * deleted; the others are still tried). reprofile writes no dumps itself
 * yet: this keeps the folder bounded for dumps written by the OS or a
 * future crash handler. */
int run_log_prune_dumps(const char *dir, int max);

#endif
