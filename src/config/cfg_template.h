/* cfg_template.h - log / CSV file names, the CSV status row and the
 * notification texts. Pure functions: host name, time and environment come
 * in as arguments (the platform module supplies them).
 *
 * Log name templates (the guide's -Log): #H computer name, #D date
 * (YYYYMMDD), #T time (HHMMSS), either case; '#' before anything else is
 * kept. %NAME% is replaced by the environment variable NAME; an undefined
 * %NAME% is copied whole, as Windows' ExpandEnvironmentStrings does (cmd.exe
 * expands %VAR% in a batch file before reprofile sees it; what reaches us
 * unexpanded came from an INI or a quoted %%VAR%%). */
#ifndef CFG_TEMPLATE_H
#define CFG_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

/* The guide's names, where logon scripts and administrators look for them:
 * the log without -Log ("-Log" row of the parameter table: CPUU.log), and
 * the local staging folder of a remote log under %TEMP% (CPUULogs). */
#define CFG_DEFAULT_LOG_TEMPLATE "CPUU.log"
#define CFG_LOG_STAGING_NAME "CPUULogs"

/* Environment lookup: malloc'd value of name (case-insensitive on Windows),
 * or NULL when unset. plat_getenv fits behind a one-line wrapper. */
typedef char *(*cfg_env_fn)(void *ud, const char *name);

typedef struct cfg_name_ctx {
	const char *host;                           /* #H */
	int year, month, day, hour, minute, second; /* #D #T, local time */
	cfg_env_fn env;                             /* may be NULL: no %VAR% expansion */
	void *env_ud;
} cfg_name_ctx;

/* Expands a log-name template into *out (malloc'd). RP_ENOMEM only. */
int cfg_expand_name(const char *tmpl, const cfg_name_ctx *ctx, char **out);
/* An env lookup over a NULL-terminated "NAME=value" array (ud), names
 * compared case-insensitively as on Windows. For tests and for the posix
 * platform with environ. */
char *cfg_env_list_lookup(void *ud, const char *name);

/* CSV status file name from the log file name: the extension of the last
 * path component is replaced by ".csv" ("x.log" -> "x.csv", "x" -> "x.csv");
 * a log already named *.csv gets ".status.csv". */
char *cfg_csv_name(const char *log_name);

/* One CSV status row: "<profile>\t<current>\t<previous>\r\n", statuses as
 * decimal numbers (the guide calls them return codes and tabulates them by
 * number). Tabs, CR and LF in the profile name become spaces. Malloc'd;
 * NULL on out of memory. */
char *cfg_csv_row(const char *profile, int current, int previous);

/* Values of the notification variables. */
typedef struct cfg_notify_vars {
	bool updated;        /* %R: "UPDATED" or "NOT UPDATED" */
	const char *user;    /* %U */
	const char *profile; /* %P */
	const char *host;    /* %H */
	const char *time;    /* %T */
	const char *date;    /* %D */
} cfg_notify_vars;

/* Expands %R %U %P %H %T %D (either case) and %% in a Subject or Body. Any
 * other '%' sequence is copied as is (settings validation rejects them).
 * NULL values expand to "". RP_ENOMEM only. */
int cfg_notify_expand(const char *tmpl, const cfg_notify_vars *v, char **out);

#endif
