/* rpt_agg_int.h - the aggregator's tables, shared by rpt_agg.c (reading),
 * rpt_scan.c (folders), rpt_out.c (JSON, CSV) and rpt_html.c (the page).
 * Not a public header. */
#ifndef RPT_AGG_INT_H
#define RPT_AGG_INT_H

#include "rpt_agg.h"

#include "config/cfg_codes.h"

/* Timings of a profile (optional "timings" object, docs/report.md). */
enum {
	RPT_PH_AUTODISCOVER,
	RPT_PH_DIRECTORY,
	RPT_PH_MAILBOX,
	RPT_PH_REGISTRY,
	RPT_PH_OTHER,
	RPT_PH_COUNT
};
extern const char *const rpt_phase_names[RPT_PH_COUNT];

/* Last state of one host/user/profile. */
struct rpt_prof {
	char *key;                      /* host \x1f user \x1f profile: the hash key */
	const char *host, *user, *name; /* point into key */
	char *error, *file, *target;
	int64_t time;
	int status;
	rpt_cause cause;
	char mode[12];
	uint32_t attempts, failures;
};

/* One machine: when it last reported. */
struct rpt_host {
	char *name;
	int64_t last;
	uint64_t runs;
	bool expected, seen;
};

/* One UTC day: profile results of the runs that started on it. */
struct rpt_day {
	int64_t day; /* days since 1970 */
	uint64_t runs, by_class[RPT_CLASS_COUNT];
	uint64_t switches; /* profile results with status 10 (PROFILE_MODIFYING_OK) */
};

#define RPT_MAX_FEATURES 64
#define RPT_MAX_FSTATUS 12
struct rpt_feat {
	char *name;
	char *status[RPT_MAX_FSTATUS];
	uint64_t count[RPT_MAX_FSTATUS];
	uint64_t other; /* statuses beyond RPT_MAX_FSTATUS */
};

struct rpt_run {
	uint64_t ms;
	uint64_t phase[RPT_PH_COUNT];
	char *host, *user, *file, *mode;
	int64_t time;
	int exit_code;
	unsigned profiles;
};

#define RPT_MAX_SKIPPED_LISTED 1000
struct rpt_skip {
	char *path, *reason;
};

struct rpt_agg {
	int64_t since;
	/* open-addressing hash tables (power-of-two sizes) */
	struct rpt_prof **prof;
	size_t nprof, capprof;
	struct rpt_host **host;
	size_t nhost, caphost;
	char **users; /* host \x1f user set */
	size_t nusers, capusers;
	struct rpt_day *day; /* sorted by day */
	size_t nday, capday;
	struct rpt_feat feat[RPT_MAX_FEATURES];
	size_t nfeat;
	uint64_t feat_other;
	struct rpt_run slow[RPT_SLOWEST];
	size_t nslow;
	uint64_t phase_total[RPT_PH_COUNT];
	uint64_t
	    by_status[CFG_STATUS_COUNT + 1]; /* every profile result; last: unknown */
	uint64_t fail_status[CFG_STATUS_COUNT + 1]; /* failed results */
	uint64_t fail_cause[RPT_CAUSE_COUNT];
	uint64_t files, records, before_since, runs_failed, results;
	uint64_t modes[4]; /* update, rollback, cleanup, other */
	struct rpt_skip *skip;
	size_t nskip;
	uint64_t skipped;
	int64_t first, last; /* record times seen */
};

/* The profiles sorted for output: failing first, then by host/user/name.
 * malloc'd array of pointers into the table (free only the array). */
struct rpt_prof **rpt_sorted_profiles(const rpt_agg *a, size_t *n);
/* Hosts sorted by name (malloc'd array of pointers). */
struct rpt_host **rpt_sorted_hosts(const rpt_agg *a, size_t *n);
/* Appends text from the share for an output: bytes that are not UTF-8
 * become U+FFFD, control characters a space, and a character for which
 * sub returns a string that string (the format's escape). */
void rpt_put_text(rp_buf *b, const char *s, const char *(*sub)(uint32_t cp));
/* "YYYY-MM-DD" of a day number / "YYYY-MM-DDTHH:MM:SSZ" of a time. */
void rpt_day_str(int64_t day, char out[11]);
void rpt_time_str(int64_t t, char out[21]);

#endif
