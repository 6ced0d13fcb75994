/* The features of one profile's update (run_features.h). */
#include "run_features.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_codes.h"
#include "run/run_mailbox.h"
#include "run/run_target.h"

#include <stdlib.h>
#include <string.h>

/* The owner of an additional mailbox: the run's target Autodiscover. */
static int target_of(void *ctx, const char *smtp, feature_target *out)
{
	run_ctx *c = ctx;
	adisc_result *res = NULL;
	int rc;
	memset(out, 0, sizeof(*out));
	if (!c->target_resolver)
		return rp_error_set(RP_ENOTFOUND, "no target Autodiscover");
	rc = adisc_lookup(c->target_resolver, smtp, &res);
	if (rc == RP_OK && res && res->resp && res->resp->legacy_dn)
		rc = run_target_from_response(res, out);
	else if (rc == RP_OK)
		rc = rp_error_set(RP_ENOTFOUND, "%s: no mailbox in the answer", smtp);
	if (rc == RP_OK && !(out->smtp = rp_strdup(smtp)))
		rc = RP_ENOMEM;
	if (rc < 0)
		feature_target_free(out);
	adisc_result_free(res);
	return rc;
}

static const char *mode_name(feature_mode m)
{
	return m == FEATURE_MODE_SKIP     ? "skip"
	       : m == FEATURE_MODE_REMOVE ? "remove"
					  : "process";
}

/* Which way the INI wants def handled; false = not reported at all. */
static bool choose(const cfg_settings *st, const feature_def *def, feature_mode *mode,
		   bool *critical)
{
	int f = cfg_feature_from_name(def->name);
	*critical = false;
	if (f < 0) {
		/* JunkReset: only when RemoveJunkEmailMessages asks for it. */
		*mode = FEATURE_MODE_PROCESS;
		return strcmp(def->name, "JunkReset") == 0 && st->remove_junk_email;
	}
	*critical = (st->critical & CFG_FEATURE_BIT(f)) != 0;
	if (f == CFG_F_NICKS && st->remove_nicks)
		*mode = FEATURE_MODE_REMOVE;
	else
		*mode = (st->features & CFG_FEATURE_BIT(f)) ? FEATURE_MODE_PROCESS
							    : FEATURE_MODE_SKIP;
	return true;
}

/* A selected feature this version cannot process is not "updated". */
static bool failed(const run_feature_row *row)
{
	if (row->res.status == FEATURE_FAILED)
		return true;
	return row->mode != FEATURE_MODE_SKIP &&
	       (row->res.status == FEATURE_NEEDS_MAILBOX ||
		row->res.status == FEATURE_UNAVAILABLE);
}

int run_features_plan(run_ctx *c, const char *name, reg_store *s, const profile *p,
		      int ex, const feature_target *t, const feature_opts *fo,
		      run_features *fr, plan *out)
{
	feature_ctx fc;
	run_mailbox_req mq = {c->mailbox, c->log, name, &p->exchange[ex], t};
	plan all = PLAN_INIT;
	size_t i;
	int rc = RP_OK;

	memset(fr, 0, sizeof(*fr));
	if (!(fr->v = calloc(feature_count, sizeof(*fr->v))))
		return rp_error_set(RP_ENOMEM, "out of memory");
	memset(&fc, 0, sizeof(fc));
	fc.store = s;
	fc.p = p;
	fc.ex = ex;
	fc.target = t;
	fc.opts = fo;
	fc.dir = c->recipients;
	fc.target_of = c->target_resolver ? target_of : NULL;
	fc.target_of_ctx = c;
	fc.folders = &c->folders;
	/* Opened by the first planner that asks (run_mailbox.h). */
	fc.mailbox_of = run_mailbox_view;
	fc.mailbox_ctx = &mq;
	for (i = 0; rc == RP_OK && i < feature_count; i++) {
		const feature_def *def = &feature_table[i];
		run_feature_row *row = &fr->v[fr->n];
		plan one = PLAN_INIT;
		const char *level;
		if (!choose(c->st, def, &row->mode, &row->critical))
			continue;
		row->def = def;
		fr->n++;
		fc.mode = row->mode;
		rc = feature_run(def, &fc, &one, &row->res);
		if (rc < 0)
			break;
		if (failed(row) && row->critical) {
			run_log_line(
			    c->log, RUN_LOG_ERROR,
			    "Profile '%s' is not updated: %s (%s) is critical and "
			    "was not processed: %s",
			    name, def->title, def->name, row->res.message);
			fr->abort_row = row;
			plan_free(&one);
			break;
		}
		level = row->res.status == FEATURE_FAILED || row->res.warning
			    ? RUN_LOG_WARNING
			    : RUN_LOG_INFO;
		run_log_line(c->log, level, "Profile '%s': %s (%s): %s%s", name,
			     def->title, def->name,
			     row->res.status == FEATURE_FAILED ? "not updated: " : "",
			     row->res.message);
		rc = plan_append(&all, &one);
		plan_free(&one);
	}
	if (rc == RP_OK && !fr->abort_row)
		rc = plan_append(out, &all);
	plan_free(&all);
	return rc;
}

/* JSON string (RFC 8259 escapes; the text is UTF-8 already). */
static int jstr(rp_buf *b, const char *s)
{
	int rc = rp_buf_u8(b, '"');
	for (; rc == RP_OK && s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			rc = rp_buf_printf(b, "\\%c", ch);
		else if (ch < 0x20)
			rc = rp_buf_printf(b, "\\u%04x", ch);
		else
			rc = rp_buf_u8(b, ch);
	}
	return rc == RP_OK ? rp_buf_u8(b, '"') : rc;
}

void run_features_report(run_ctx *c, const char *name, const run_features *fr, int status)
{
	size_t i;
	for (i = 0; i < fr->n; i++) {
		const run_feature_row *row = &fr->v[i];
		rp_buf b = RP_BUF_INIT;
		int rc = rp_buf_puts(&b, "{\"time\":");
		if (rc == RP_OK)
			rc = jstr(&b, c->now_iso);
		if (rc == RP_OK)
			rc = rp_buf_puts(&b, ",\"store\":");
		if (rc == RP_OK)
			rc = jstr(&b, reg_store_name(c->store));
		if (rc == RP_OK)
			rc = rp_buf_puts(&b, ",\"profile\":");
		if (rc == RP_OK)
			rc = jstr(&b, name);
		if (rc == RP_OK)
			rc = rp_buf_puts(&b, ",\"feature\":");
		if (rc == RP_OK)
			rc = jstr(&b, row->def->name);
		if (rc == RP_OK)
			rc = rp_buf_printf(
			    &b,
			    ",\"mode\":\"%s\",\"critical\":%s,\"status\":\"%s\","
			    "\"found\":%u,\"changed\":%u,\"kept\":%u,\"removed\":%u,"
			    "\"message\":",
			    mode_name(row->mode), row->critical ? "true" : "false",
			    feature_status_name(row->res.status), row->res.found,
			    row->res.changed, row->res.kept, row->res.removed);
		if (rc == RP_OK)
			rc = jstr(&b, row->res.message);
		if (rc == RP_OK)
			rc = rp_buf_printf(
			    &b,
			    ",\"profile_status\":%d,\"profile_status_name\":", status);
		if (rc == RP_OK)
			rc = jstr(&b, cfg_status_name(status));
		if (rc == RP_OK)
			rc = rp_buf_puts(&b, "}");
		if (rc == RP_OK)
			rc = rp_buf_u8(&b, 0);
		if (rc == RP_OK)
			run_log_report(c->log, (const char *)b.data);
		rp_buf_free(&b);
		{
			/* The run record holds the same object (docs/report.md). */
			rpt_feature f = {row->def->name,
					 mode_name(row->mode),
					 feature_status_name(row->res.status),
					 row->res.message,
					 row->critical,
					 row->res.found,
					 row->res.changed,
					 row->res.kept,
					 row->res.removed};
			rpt_record_feature(c->record, c->name_prefix, name, &f);
		}
	}
}

void run_features_free(run_features *fr)
{
	size_t i;
	for (i = 0; i < fr->n; i++)
		feature_result_free(&fr->v[i].res);
	free(fr->v);
	memset(fr, 0, sizeof(*fr));
}
