/* rpt_record.h - the run record (docs/report.md): one JSON document per run
 * that `reprofile report` aggregates. The run's modules hand it facts as
 * they become known; rpt_record_write turns them into schema version 1.
 *
 * Only what is handed in is written: the record never asks for or holds a
 * password or a token, and its messages are the log's own lines. */
#ifndef RPT_RECORD_H
#define RPT_RECORD_H

#include "base/rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RPT_SCHEMA_VERSION 1

typedef struct rpt_record rpt_record;

/* One feature of one profile: the same fields as a line of the feature
 * report (docs/features.md). Strings are copied. */
typedef struct rpt_feature {
	const char *feature, *mode, *status, *message;
	bool critical;
	unsigned found, changed, kept, removed;
} rpt_feature;

/* NULL on out of memory; every other call accepts a NULL record and does
 * nothing, so a run without a record needs no checks. */
rpt_record *rpt_record_new(const char *host, const char *user, const char *time_iso,
			   const char *version, const char *mode);
void rpt_record_free(rpt_record *r);

/* A log line; only Warning, Error and TraceW lines are kept. They belong to the
 * run unless rpt_record_profile_done claims them. */
void rpt_record_message(rpt_record *r, const char *level, const char *text);
/* The profile's final guide status. prefix (bulk mode: the hive) may be
 * NULL; the profile is then named "<prefix>\<name>" as in the CSV. */
void rpt_record_profile(rpt_record *r, const char *prefix, const char *name, int status,
			int previous);
void rpt_record_addresses(rpt_record *r, const char *prefix, const char *name,
			  const char *source, const char *target);
void rpt_record_feature(rpt_record *r, const char *prefix, const char *name,
			const rpt_feature *f);
/* The number of messages so far: taken before a profile is handled... */
size_t rpt_record_mark(const rpt_record *r);
/* ...and handed back when it is done: the messages since mark are the
 * profile's, ms the milliseconds it took, outlook the version of the
 * profiles' key ("16.0", "15.0", "wms"; may be NULL). */
void rpt_record_profile_done(rpt_record *r, const char *prefix, const char *name,
			     const char *outlook, uint64_t ms, size_t mark);

/* Where a profile's time went (the record's "timings", docs/report.md). */
typedef enum rpt_phase {
	RPT_T_AUTODISCOVER = 0, /* source check, switch sources, target settings */
	RPT_T_DIRECTORY,        /* directory lookups (not timed yet) */
	RPT_T_MAILBOX,          /* the target sign-in check */
	RPT_T_REGISTRY,         /* reading the profile, planning, the transaction */
	RPT_T_COUNT
} rpt_phase;
/* Adds ms to the profile's phase (a phase may be timed in several steps). */
void rpt_record_time(rpt_record *r, const char *prefix, const char *name, rpt_phase ph,
		     uint64_t ms);

/* Milliseconds of a monotonic clock (plat_clock_ms), for durations. */
uint64_t rpt_clock_ms(void);

/* The whole record as JSON (rp_json layout). exit_code is the run's exit
 * code as known when the record is written. RP_OK or RP_ENOMEM. */
int rpt_record_write(const rpt_record *r, int exit_code, rp_buf *out);

#endif
