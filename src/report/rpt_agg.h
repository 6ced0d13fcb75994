/* rpt_agg.h - `reprofile report`: the fleet report (docs/report.md). Run
 * records (rpt_record.h, schema 1) are read one at a time and folded into
 * running totals, so memory grows with the fleet (one small row per
 * machine/user/profile), never with the number of records.
 *
 * Files that cannot be used (truncated or malformed JSON, a schema this
 * reader does not know, a file over the size cap, a folder that cannot be
 * listed) are counted and named, never fatal. */
#ifndef RPT_AGG_H
#define RPT_AGG_H

#include "base/rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Larger files are skipped unread: a record of a run with hundreds of
 * profiles is well under 1 MiB. */
#define RPT_MAX_RECORD_SIZE (16u * 1024u * 1024u)
/* The slowest runs kept for the page. */
#define RPT_SLOWEST 10

typedef struct rpt_agg rpt_agg;

/* How the last state of a profile counts in the headline. */
typedef enum rpt_class {
	RPT_PENDING =
	    0, /* not switched yet, nothing wrong (skipped, offline, locked, ...) */
	RPT_SWITCHED,    /* 2, 10, 14, 16 */
	RPT_FAILED,      /* a failure status (3, 4, 9, 11, 13, 15, 17-19, 21-23) */
	RPT_ROLLED_BACK, /* 12 */
	RPT_CLASS_COUNT
} rpt_class;

/* The troubleshooting table's categories of a failure (docs/report.md). */
typedef enum rpt_cause {
	RPT_CAUSE_AUTODISCOVER = 0,
	RPT_CAUSE_CREDENTIALS,
	RPT_CAUSE_NETWORK,
	RPT_CAUSE_DIRECTORY,
	RPT_CAUSE_MAILBOX,
	RPT_CAUSE_OTHER,
	RPT_CAUSE_COUNT
} rpt_cause;

rpt_class rpt_status_class(int status);
const char *rpt_class_name(rpt_class c);
const char *rpt_cause_name(rpt_cause c);
/* The cause of a failed profile from its status and its messages' text
 * (case-insensitive keywords, first match in the order credentials,
 * network, Autodiscover, directory, mailbox). */
rpt_cause rpt_classify(int status, const char *const *texts, size_t n);

/* "YYYY-MM-DDTHH:MM:SSZ" (or just "YYYY-MM-DD") to seconds since 1970;
 * false if malformed. */
bool rpt_parse_time(const char *s, int64_t *out);

/* since: records that started before it are left out (seconds since 1970;
 * INT64_MIN for all). NULL on out of memory. */
rpt_agg *rpt_agg_new(int64_t since);
void rpt_agg_free(rpt_agg *a);

/* A machine that should report (--expect): listed under "never reported"
 * when no record names it. RP_OK or RP_ENOMEM. */
int rpt_agg_expect(rpt_agg *a, const char *host);

/* One record file's content; path names it in the report. A file that is
 * not a usable record is counted as skipped with the reason (RP_OK is
 * returned either way); only RP_ENOMEM is an error. */
int rpt_agg_add_record(rpt_agg *a, const char *path, const char *data, size_t n);
/* A file or folder that could not be used. */
int rpt_agg_skip(rpt_agg *a, const char *path, const char *reason);

/* Reads every run record under folder, recursively (files named
 * *.record.json or *.record-N.json), with rpt_agg_add_record; a folder that
 * cannot be listed and a file over max_size (0: RPT_MAX_RECORD_SIZE) or
 * that cannot be read are skipped and named. RP_OK or RP_ENOMEM. */
int rpt_agg_scan(rpt_agg *a, const char *folder, unsigned long long max_size);

/* The i-th file or folder not used (the first RPT_MAX_SKIPPED_LISTED are
 * kept); false past the end. */
bool rpt_agg_skipped(const rpt_agg *a, size_t i, const char **path, const char **reason);

/* Totals for callers and tests. */
typedef struct rpt_totals {
	uint64_t files, records, skipped, before_since;
	uint64_t runs_failed; /* exit code with an error bit (4 and up) */
	uint64_t machines, users, profiles;
	uint64_t by_class[RPT_CLASS_COUNT]; /* last state of each profile */
	uint64_t never_reported;
} rpt_totals;
void rpt_agg_totals(const rpt_agg *a, rpt_totals *t);

/* The aggregates: JSON (rp_json layout), CSV (section,key,name,value rows,
 * RFC 4180 quoting) and the self-contained HTML page. generated is the
 * page's time stamp text. RP_OK or RP_ENOMEM. */
int rpt_agg_write_json(const rpt_agg *a, rp_buf *out);
int rpt_agg_write_csv(const rpt_agg *a, rp_buf *out);
int rpt_agg_write_html(const rpt_agg *a, const char *generated, rp_buf *out);

#endif
