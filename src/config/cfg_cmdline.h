/* cfg_cmdline.h - the command line of update / rollback / cleanup.
 *
 * Two forms are accepted (docs/command-line.md):
 *   reprofile update|rollback|cleanup [switches]
 *   reprofile <guide switches>          (as written in existing logon scripts)
 * Without a subcommand the mode comes from the switches: -Undo, -UndoAll or
 * -UndoDefaultProfile => rollback, -Cleanup => cleanup, otherwise update.
 * Switches are case-insensitive and start with '-' or '/' ("--" for the
 * project's long options). An argument starting with '-' is always a switch;
 * one starting with '/' is a switch only when it names one, otherwise it is a
 * profile name. "--" ends the switches: what follows are profile names.
 * -Profiles and -Undo take all following non-switch arguments as profile
 * names (a name with spaces arrives quoted as one argument).
 * Errors: RP_EINVAL with a one-line message; exit with CFG_EXIT_CONFIG_ERROR. */
#ifndef CFG_CMDLINE_H
#define CFG_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cfg_mode { CFG_MODE_UPDATE, CFG_MODE_ROLLBACK, CFG_MODE_CLEANUP };

/* Seconds a run waits for another run's lock on the same store: long
 * enough for a switch in progress, short enough for a logon script. */
#define CFG_LOCK_WAIT_DEFAULT 60

typedef struct cfg_cmdline {
	enum cfg_mode mode;
	bool subcommand;       /* the mode came from a subcommand word */
	bool help;             /* -? / --help / -h: print cfg_usage() and exit 0 */
	const char **profiles; /* -Profiles / -Undo names (point into argv) */
	size_t nprofiles;
	bool default_profile; /* -DefaultProfile / -UndoDefaultProfile */
	bool all_profiles;    /* no names and no default: every profile
				 (-UndoAll, -Cleanup, plain update) */
	const char *ini;      /* -INI, NULL = default (cfg_default_ini_names) */
	const char *log;      /* -Log, NULL = CFG_DEFAULT_LOG_TEMPLATE */
	bool log_write_directly;
	bool move_dumps_to_remote;
	int max_local_dumps; /* default 10 */
	bool max_local_dumps_given;
	bool do_not_modify_exclude_scp_lookup;
	bool name_trg_store_as_src;
	bool skip_autodiscover_checking;
	bool leave_temporary_profile;
	bool disable_logon_through_outlook;
	const char *hive;   /* --hive FILE: an NTUSER.DAT hive (the first one) */
	const char **hives; /* every --hive, in order (bulk mode) */
	size_t nhives;
	const char *hive_list;    /* --hive-list FILE: more hives, one path per line */
	const char *reg;          /* --reg FILE: a .reg export */
	bool dry_run;             /* --dry-run: plan only, write nothing */
	const char *outlook_data; /* --outlook-data DIR: Outlook's local data */
	const char *user_dir;     /* --user-dir DIR: the user folder of a --reg store */
	int lock_wait;            /* --lock-wait SECONDS: for another run's store lock */
} cfg_cmdline;

/* argv[0] is the first argument AFTER the program name: the subcommand word
 * or the first switch. The result points into argv (keep it alive); free with
 * cfg_cmdline_free. On error *out is freed. */
int cfg_cmdline_parse(int argc, char **argv, cfg_cmdline *out);
void cfg_cmdline_free(cfg_cmdline *c);
/* Prints the usage text. */
void cfg_usage(FILE *f);
/* Names of the default INI, tried in this order in the folder of the
 * executable: "reprofile.ini", then the guide's "CPUU.ini". */
extern const char *const cfg_default_ini_names[];
/* Behaviour switches that were given but whose behaviour is not implemented
 * yet: calls fn with the guide's switch name ("-LeaveTemporaryProfile") and
 * the capability it waits for, so the run module can log "accepted, not yet
 * implemented". The table lives in cfg_cmdline.c; flip rows as they land. */
void cfg_cmdline_foreach_pending(const cfg_cmdline *c,
				 void (*fn)(void *ud, const char *name,
					    const char *capability),
				 void *ud);
/* Name of the mode ("update", "rollback", "cleanup"). */
const char *cfg_mode_name(enum cfg_mode m);

#endif
