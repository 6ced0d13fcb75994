/* The aggregates as JSON and CSV (rpt_agg_write_json / _csv): the same
 * numbers the page shows, for a SIEM or a spreadsheet (docs/report.md). */
#include "rpt_agg_int.h"

#include "base/rp_err.h"
#include "base/rp_json.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>

static void jtime(rp_json *j, const char *k, int64_t t)
{
	char s[21];
	rp_json_key(j, k);
	if (t == INT64_MIN || t == INT64_MAX) {
		rp_json_null(j);
		return;
	}
	rpt_time_str(t, s);
	rp_json_str(j, s);
}

static void headline(rp_json *j, const rpt_agg *a)
{
	rpt_totals t;
	int c;
	rpt_agg_totals(a, &t);
	rp_json_key(j, "headline");
	rp_json_obj_begin(j);
	rp_json_kuint(j, "machines", t.machines);
	rp_json_kuint(j, "users", t.users);
	rp_json_kuint(j, "profiles", t.profiles);
	for (c = 0; c < RPT_CLASS_COUNT; c++)
		rp_json_kuint(j, rpt_class_name((rpt_class)c), t.by_class[c]);
	rp_json_kuint(j, "runs", t.records);
	rp_json_kuint(j, "runs_failed", t.runs_failed);
	rp_json_kuint(j, "never_reported", t.never_reported);
	rp_json_obj_end(j);
	rp_json_key(j, "files");
	rp_json_obj_begin(j);
	rp_json_kuint(j, "read", t.files);
	rp_json_kuint(j, "records", t.records);
	rp_json_kuint(j, "skipped", t.skipped);
	rp_json_kuint(j, "before_since", t.before_since);
	rp_json_obj_end(j);
}

int rpt_agg_write_json(const rpt_agg *a, rp_buf *out)
{
	rp_json j;
	size_t i, k, n = 0;
	int c;
	uint64_t total = 0;
	struct rpt_prof **pv;
	struct rpt_host **hv;
	static const char *const modes[4] = {"update", "rollback", "cleanup", "other"};

	rp_json_init(&j, out);
	rp_json_obj_begin(&j);
	rp_json_kint(&j, "report", 1);
	headline(&j, a);
	rp_json_key(&j, "period");
	rp_json_obj_begin(&j);
	jtime(&j, "first", a->first);
	jtime(&j, "last", a->last);
	rp_json_obj_end(&j);
	rp_json_key(&j, "runs_by_mode");
	rp_json_obj_begin(&j);
	for (i = 0; i < 4; i++)
		rp_json_kuint(&j, modes[i], a->modes[i]);
	rp_json_obj_end(&j);

	rp_json_key(&j, "days");
	rp_json_arr_begin(&j);
	for (i = 0; i < a->nday; i++) {
		char d[11];
		rpt_day_str(a->day[i].day, d);
		total += a->day[i].switches;
		rp_json_obj_begin(&j);
		rp_json_kstr(&j, "day", d);
		rp_json_kuint(&j, "runs", a->day[i].runs);
		rp_json_kuint(&j, "switches", a->day[i].switches);
		rp_json_kuint(&j, "switches_total", total);
		for (c = 0; c < RPT_CLASS_COUNT; c++)
			rp_json_kuint(&j, rpt_class_name((rpt_class)c),
				      a->day[i].by_class[c]);
		rp_json_obj_end(&j);
	}
	rp_json_arr_end(&j);

	rp_json_key(&j, "statuses");
	rp_json_arr_begin(&j);
	for (i = 0; i <= CFG_STATUS_COUNT; i++) {
		if (!a->by_status[i])
			continue;
		rp_json_obj_begin(&j);
		rp_json_kint(&j, "status", i < CFG_STATUS_COUNT ? (int64_t)i : -1);
		rp_json_kstr(&j, "name",
			     i < CFG_STATUS_COUNT ? cfg_status_name((int)i) : "unknown");
		rp_json_kstr(&j, "class", rpt_class_name(rpt_status_class((int)i)));
		rp_json_kuint(&j, "results", a->by_status[i]);
		rp_json_obj_end(&j);
	}
	rp_json_arr_end(&j);

	rp_json_key(&j, "failures");
	rp_json_obj_begin(&j);
	rp_json_key(&j, "by_status");
	rp_json_arr_begin(&j);
	for (i = 0; i <= CFG_STATUS_COUNT; i++) {
		if (!a->fail_status[i])
			continue;
		rp_json_obj_begin(&j);
		rp_json_kint(&j, "status", i < CFG_STATUS_COUNT ? (int64_t)i : -1);
		rp_json_kstr(&j, "name",
			     i < CFG_STATUS_COUNT ? cfg_status_name((int)i) : "unknown");
		rp_json_kuint(&j, "count", a->fail_status[i]);
		rp_json_obj_end(&j);
	}
	rp_json_arr_end(&j);
	rp_json_key(&j, "by_cause");
	rp_json_obj_begin(&j);
	for (c = 0; c < RPT_CAUSE_COUNT; c++)
		rp_json_kuint(&j, rpt_cause_name((rpt_cause)c), a->fail_cause[c]);
	rp_json_obj_end(&j);
	rp_json_obj_end(&j);

	rp_json_key(&j, "time_ms");
	rp_json_obj_begin(&j);
	for (c = 0; c < RPT_PH_COUNT; c++)
		rp_json_kuint(&j, rpt_phase_names[c], a->phase_total[c]);
	rp_json_obj_end(&j);

	rp_json_key(&j, "slowest");
	rp_json_arr_begin(&j);
	for (i = 0; i < a->nslow; i++) {
		const struct rpt_run *r = &a->slow[i];
		rp_json_obj_begin(&j);
		rp_json_kstr(&j, "host", r->host);
		rp_json_kstr(&j, "user", r->user);
		jtime(&j, "time", r->time);
		rp_json_kstr(&j, "mode", r->mode);
		rp_json_kint(&j, "exit_code", r->exit_code);
		rp_json_kuint(&j, "duration_ms", r->ms);
		rp_json_kuint(&j, "profiles", r->profiles);
		rp_json_key(&j, "time_ms");
		rp_json_obj_begin(&j);
		for (c = 0; c < RPT_PH_COUNT; c++)
			rp_json_kuint(&j, rpt_phase_names[c], r->phase[c]);
		rp_json_obj_end(&j);
		rp_json_kstr(&j, "file", r->file);
		rp_json_obj_end(&j);
	}
	rp_json_arr_end(&j);

	rp_json_key(&j, "features");
	rp_json_arr_begin(&j);
	for (i = 0; i < a->nfeat; i++) {
		rp_json_obj_begin(&j);
		rp_json_kstr(&j, "feature", a->feat[i].name);
		rp_json_key(&j, "outcomes");
		rp_json_obj_begin(&j);
		for (k = 0; k < RPT_MAX_FSTATUS && a->feat[i].status[k]; k++)
			rp_json_kuint(&j, a->feat[i].status[k], a->feat[i].count[k]);
		if (a->feat[i].other)
			rp_json_kuint(&j, "(other)", a->feat[i].other);
		rp_json_obj_end(&j);
		rp_json_obj_end(&j);
	}
	rp_json_arr_end(&j);

	if (!(pv = rpt_sorted_profiles(a, &n)))
		return rp_error_set(RP_ENOMEM, "out of memory (report)");
	rp_json_key(&j, "failing");
	rp_json_arr_begin(&j);
	for (i = 0; i < n; i++) {
		const struct rpt_prof *p = pv[i];
		if (rpt_status_class(p->status) != RPT_FAILED)
			continue;
		rp_json_obj_begin(&j);
		rp_json_kstr(&j, "host", p->host);
		rp_json_kstr(&j, "user", p->user);
		rp_json_kstr(&j, "profile", p->name);
		rp_json_kint(&j, "status", p->status);
		rp_json_kstr(&j, "status_name", cfg_status_name(p->status));
		rp_json_kstr(&j, "cause", rpt_cause_name(p->cause));
		jtime(&j, "time", p->time);
		rp_json_kstr(&j, "mode", p->mode);
		rp_json_kuint(&j, "attempts", p->attempts);
		rp_json_kuint(&j, "failures", p->failures);
		rp_json_kstr(&j, "error", p->error);
		rp_json_kstr(&j, "file", p->file);
		rp_json_obj_end(&j);
	}
	rp_json_arr_end(&j);
	free(pv);

	if (!(hv = rpt_sorted_hosts(a, &n)))
		return rp_error_set(RP_ENOMEM, "out of memory (report)");
	rp_json_key(&j, "never_reported");
	rp_json_arr_begin(&j);
	for (i = 0; i < n; i++)
		if (hv[i]->expected && !hv[i]->seen)
			rp_json_str(&j, hv[i]->name);
	rp_json_arr_end(&j);
	free(hv);

	rp_json_key(&j, "skipped");
	rp_json_arr_begin(&j);
	for (i = 0; i < a->nskip; i++) {
		rp_json_obj_begin(&j);
		rp_json_kstr(&j, "file", a->skip[i].path);
		rp_json_kstr(&j, "reason", a->skip[i].reason);
		rp_json_obj_end(&j);
	}
	rp_json_arr_end(&j);
	rp_json_kuint(&j, "skipped_not_listed", a->skipped - a->nskip);
	rp_json_obj_end(&j);
	return rp_json_finish(&j);
}

/* ---- CSV: section,key,name,value ---- */

void rpt_put_text(rp_buf *b, const char *s, const char *(*sub)(uint32_t cp))
{
	size_t n = s ? strlen(s) : 0, i = 0;
	while (i < n) {
		uint32_t cp;
		const char *r;
		int l = rp_utf8_next(s + i, n - i, &cp);
		if (l < 0) {
			rp_buf_puts(b, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		if ((r = sub(cp)) != NULL)
			rp_buf_puts(b, r);
		else if (cp < 0x20 || cp == 0x7f)
			rp_buf_u8(b, ' ');
		else
			rp_buf_append(b, s + i, (size_t)l);
		i += (size_t)l;
	}
}

static const char *csv_sub(uint32_t cp)
{
	return cp == '"' ? "\"\"" : NULL;
}

/* One RFC 4180 field; control characters become a space (a spreadsheet
 * reads it, a SIEM splits lines). */
static void csv_field(rp_buf *b, const char *s)
{
	bool quote = s && *s && strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		rp_buf_u8(b, '"');
	rpt_put_text(b, s, csv_sub);
	if (quote)
		rp_buf_u8(b, '"');
}

static void row(rp_buf *b, const char *sec, const char *key, const char *name,
		const char *val)
{
	csv_field(b, sec);
	rp_buf_u8(b, ',');
	csv_field(b, key);
	rp_buf_u8(b, ',');
	csv_field(b, name);
	rp_buf_u8(b, ',');
	csv_field(b, val);
	rp_buf_puts(b, "\r\n");
}

static void rowu(rp_buf *b, const char *sec, const char *key, const char *name,
		 uint64_t v)
{
	char s[24];
	snprintf(s, sizeof(s), "%llu", (unsigned long long)v);
	row(b, sec, key, name, s);
}

int rpt_agg_write_csv(const rpt_agg *a, rp_buf *out)
{
	rpt_totals t;
	size_t i, k, n = 0;
	int c;
	char key[48], s[24];
	uint64_t total = 0;
	struct rpt_prof **pv;
	struct rpt_host **hv;
	static const char *const modes[4] = {"update", "rollback", "cleanup", "other"};
	size_t mark = out->len;

	rpt_agg_totals(a, &t);
	row(out, "section", "key", "name", "value");
	rowu(out, "headline", "", "machines", t.machines);
	rowu(out, "headline", "", "users", t.users);
	rowu(out, "headline", "", "profiles", t.profiles);
	for (c = 0; c < RPT_CLASS_COUNT; c++)
		rowu(out, "headline", "", rpt_class_name((rpt_class)c), t.by_class[c]);
	rowu(out, "headline", "", "runs", t.records);
	rowu(out, "headline", "", "runs_failed", t.runs_failed);
	rowu(out, "headline", "", "never_reported", t.never_reported);
	rowu(out, "files", "", "read", t.files);
	rowu(out, "files", "", "skipped", t.skipped);
	rowu(out, "files", "", "before_since", t.before_since);
	for (i = 0; i < 4; i++)
		rowu(out, "runs_by_mode", modes[i], "runs", a->modes[i]);
	for (i = 0; i < a->nday; i++) {
		char d[11];
		rpt_day_str(a->day[i].day, d);
		total += a->day[i].switches;
		rowu(out, "day", d, "runs", a->day[i].runs);
		rowu(out, "day", d, "switches", a->day[i].switches);
		rowu(out, "day", d, "switches_total", total);
		for (c = 0; c < RPT_CLASS_COUNT; c++)
			rowu(out, "day", d, rpt_class_name((rpt_class)c),
			     a->day[i].by_class[c]);
	}
	for (i = 0; i <= CFG_STATUS_COUNT; i++) {
		snprintf(s, sizeof(s), "%d", i < CFG_STATUS_COUNT ? (int)i : -1);
		if (a->by_status[i])
			rowu(out, "status", s,
			     i < CFG_STATUS_COUNT ? cfg_status_name((int)i) : "unknown",
			     a->by_status[i]);
	}
	for (i = 0; i <= CFG_STATUS_COUNT; i++) {
		snprintf(s, sizeof(s), "%d", i < CFG_STATUS_COUNT ? (int)i : -1);
		if (a->fail_status[i])
			rowu(out, "failure_status", s,
			     i < CFG_STATUS_COUNT ? cfg_status_name((int)i) : "unknown",
			     a->fail_status[i]);
	}
	for (c = 0; c < RPT_CAUSE_COUNT; c++)
		rowu(out, "failure_cause", rpt_cause_name((rpt_cause)c), "count",
		     a->fail_cause[c]);
	for (c = 0; c < RPT_PH_COUNT; c++)
		rowu(out, "time_ms", rpt_phase_names[c], "ms", a->phase_total[c]);
	for (i = 0; i < a->nslow; i++) {
		const struct rpt_run *r = &a->slow[i];
		char tm[21];
		snprintf(key, sizeof(key), "%zu", i + 1);
		rpt_time_str(r->time, tm);
		row(out, "slowest", key, "host", r->host);
		row(out, "slowest", key, "user", r->user);
		row(out, "slowest", key, "time", tm);
		row(out, "slowest", key, "mode", r->mode);
		rowu(out, "slowest", key, "exit_code", (uint64_t)r->exit_code);
		rowu(out, "slowest", key, "duration_ms", r->ms);
		rowu(out, "slowest", key, "profiles", r->profiles);
		for (c = 0; c < RPT_PH_COUNT; c++) {
			char nm[32];
			snprintf(nm, sizeof(nm), "%s_ms", rpt_phase_names[c]);
			rowu(out, "slowest", key, nm, r->phase[c]);
		}
		row(out, "slowest", key, "file", r->file);
	}
	for (i = 0; i < a->nfeat; i++) {
		for (k = 0; k < RPT_MAX_FSTATUS && a->feat[i].status[k]; k++)
			rowu(out, "feature", a->feat[i].name, a->feat[i].status[k],
			     a->feat[i].count[k]);
		if (a->feat[i].other)
			rowu(out, "feature", a->feat[i].name, "(other)",
			     a->feat[i].other);
	}
	if (!(pv = rpt_sorted_profiles(a, &n)))
		return rp_error_set(RP_ENOMEM, "out of memory (report)");
	for (i = 0; i < n; i++) {
		const struct rpt_prof *p = pv[i];
		char *id, tm[21];
		if (rpt_status_class(p->status) != RPT_FAILED)
			continue;
		if (!(id = rp_asprintf("%s\\%s\\%s", p->host, p->user, p->name))) {
			free(pv);
			return RP_ENOMEM;
		}
		rpt_time_str(p->time, tm);
		rowu(out, "failing", id, "status", (uint64_t)p->status);
		row(out, "failing", id, "status_name", cfg_status_name(p->status));
		row(out, "failing", id, "cause", rpt_cause_name(p->cause));
		row(out, "failing", id, "time", tm);
		rowu(out, "failing", id, "attempts", p->attempts);
		row(out, "failing", id, "error", p->error ? p->error : "");
		row(out, "failing", id, "file", p->file);
		free(id);
	}
	free(pv);
	if (!(hv = rpt_sorted_hosts(a, &n)))
		return rp_error_set(RP_ENOMEM, "out of memory (report)");
	for (i = 0; i < n; i++)
		if (hv[i]->expected && !hv[i]->seen)
			row(out, "never_reported", hv[i]->name, "", "");
	free(hv);
	for (i = 0; i < a->nskip; i++)
		row(out, "skipped", a->skip[i].path, "reason", a->skip[i].reason);
	/* rp_buf's appends fail only for memory: one check at the end */
	if (out->len == mark || !out->data)
		return rp_error_set(RP_ENOMEM, "out of memory (report)");
	return RP_OK;
}
