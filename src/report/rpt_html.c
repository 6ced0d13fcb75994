/* The fleet report page (rpt_agg_write_html): one self-contained HTML file,
 * inline CSS, plots drawn here as inline SVG, and a small inline script for
 * sorting and filtering the tables (no network, fonts or external files:
 * it opens from a share on an air-gapped workstation). The script's
 * self-test runs on the fragment #selftest=TEXT (docs/report.md). */
#include "rpt_agg_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>

static const char *html_sub(uint32_t cp)
{
	switch (cp) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

/* Text for HTML content and attributes (a file name on the share may be
 * in any encoding: rpt_put_text). */
static void esc(rp_buf *b, const char *s)
{
	rpt_put_text(b, s, html_sub);
}

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;"
    "border-bottom:1px solid #ddd;padding-bottom:4px}"
    ".meta{color:#666}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}"
    ".card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}"
    ".card b{display:block;font-size:24px}.card span{color:#555}"
    ".switched b{color:#1a7f37}.failed b{color:#c62828}.rolled_back b{color:#8250df}"
    ".pending b{color:#9a6700}"
    "table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #ddd;"
    "padding:3px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}"
    "table.sortable th{cursor:pointer}td.n{text-align:right}"
    "svg text{font:11px sans-serif;fill:#333}input{font:inherit;padding:3px "
    "6px;width:320px}"
    ".err{max-width:520px}.ok{color:#1a7f37}.bad{color:#c62828}";

/* Sorting: a click on a header sorts by that column (numbers as numbers),
 * a second click reverses. Filtering: rows whose text holds every word of
 * the box stay. Self-test (#selftest=TEXT): filters by TEXT, sorts the
 * first column descending, checks the order and that each plot has a size,
 * and writes the result into #selftest. */
static const char script[] =
    "function rpSort(th){var t=th.closest('table'),b=t.tBodies[0],i=th.cellIndex,"
    "d=th.dataset.dir==='a'?'d':'a';th.dataset.dir=d;var r=Array.from(b.rows);"
    "r.sort(function(x,y){var p=x.cells[i].textContent,q=y.cells[i].textContent,"
    "m=parseFloat(p),n=parseFloat(q),c=(!isNaN(m)&&!isNaN(n))?m-n:p.localeCompare(q);"
    "return d==='a'?c:-c});r.forEach(function(e){b.appendChild(e)})}\n"
    "function rpFilter(id,v){var w=v.toLowerCase().split(/\\s+/).filter(Boolean),n=0;"
    "Array.from(document.getElementById(id).tBodies[0].rows).forEach(function(r){"
    "var t=r.textContent.toLowerCase(),ok=w.every(function(x){return t.indexOf(x)>=0});"
    "r.style.display=ok?'':'none';if(ok)n++});var c=document.getElementById(id+'-count');"
    "if(c)c.textContent=n;return n}\n"
    "document.querySelectorAll('table.sortable th').forEach(function(th){"
    "th.addEventListener('click',function(){rpSort(th)})});\n"
    "document.querySelectorAll('input[data-filter]').forEach(function(i){"
    "i.addEventListener('input',function(){rpFilter(i.dataset.filter,i.value)})});\n"
    "(function(){var h=location.hash,m=/^#selftest=?(.*)$/.exec(h);if(!m)return;"
    "var q=decodeURIComponent(m[1]),t=document.getElementById('failing'),"
    "all=t.tBodies[0].rows.length,inp=document.getElementById('filter');inp.value=q;"
    "var "
    "vis=rpFilter('failing',q);rpSort(t.tHead.rows[0].cells[0]);rpSort(t.tHead.rows[0]."
    "cells[0]);"
    "var s=Array.from(t.tBodies[0].rows).map(function(r){return "
    "r.cells[0].textContent}),ok=true;"
    "for(var k=1;k<s.length;k++)if(s[k-1].localeCompare(s[k])<0)ok=false;"
    "var g=Array.from(document.querySelectorAll('svg.plot')),drawn=g.filter(function(e){"
    "var b=e.getBoundingClientRect();return "
    "b.width>0&&b.height>0&&e.querySelector('rect,path,polyline')})"
    ".length;var o=document.getElementById('selftest');o.textContent='selftest "
    "rows='+all+"
    "' visible='+vis+' sorted='+(ok?'ok':'bad')+' plots='+drawn+'/'+g.length;})();\n";

static void card(rp_buf *b, const char *cls, const char *id, const char *label,
		 uint64_t v)
{
	rp_buf_printf(
	    b, "<div class=\"card %s\"><b id=\"h-%s\">%llu</b><span>%s</span></div>", cls,
	    id, (unsigned long long)v, label);
}

/* Bars of switches per day and the running total as a line. */
static void plot_switched(rp_buf *b, const rpt_agg *a)
{
	const int W = 760, H = 240, L = 50, R = 50, T = 12, B = 36;
	double pw = W - L - R, ph = H - T - B, bw;
	uint64_t maxd = 1, total = 0, cum = 0;
	size_t i;
	char d0[11], d1[11];
	for (i = 0; i < a->nday; i++) {
		if (a->day[i].switches > maxd)
			maxd = a->day[i].switches;
		total += a->day[i].switches;
	}
	if (!total)
		total = 1;
	bw = a->nday ? pw / (double)a->nday : pw;
	rp_buf_printf(
	    b,
	    "<svg class=\"plot\" id=\"plot-switched\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"switched profiles per "
	    "day\">",
	    W, H, W, H);
	rp_buf_printf(b,
		      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
		      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu</text>"
		      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>"
		      "<text x=\"%d\" y=\"%d\" fill=\"#1f6feb\">%llu total</text>",
		      L, H - B, W - R, H - B, L - 6, T + 10, (unsigned long long)maxd,
		      L - 6, H - B, W - R + 4, T + 10, (unsigned long long)total);
	for (i = 0; i < a->nday; i++) {
		double h = ph * (double)a->day[i].switches / (double)maxd;
		char d[11];
		rpt_day_str(a->day[i].day, d);
		double w =
		    bw * 0.8 < 40 ? bw * 0.8 : 40; /* a few days: no wall of green */
		rp_buf_printf(
		    b,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		    "fill=\"#2da44e\"><title>%s: %llu switched</title></rect>",
		    L + bw * ((double)i + 0.5) - w / 2, T + ph - h, w, h, d,
		    (unsigned long long)a->day[i].switches);
	}
	rp_buf_puts(
	    b, "<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"");
	for (i = 0; i < a->nday; i++) {
		cum += a->day[i].switches;
		rp_buf_printf(b, "%.1f,%.1f ", L + bw * ((double)i + 0.5),
			      T + ph - ph * (double)cum / (double)total);
	}
	rp_buf_puts(b, "\"/>");
	if (a->nday) {
		rpt_day_str(a->day[0].day, d0);
		rpt_day_str(a->day[a->nday - 1].day, d1);
		rp_buf_printf(b,
			      "<text x=\"%d\" y=\"%d\">%s</text>"
			      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
			      L, H - B + 16, d0, W - R, H - B + 16, d1);
	}
	rp_buf_printf(
	    b,
	    "<text x=\"%d\" y=\"%d\">bars: profiles switched (status 10) per day; "
	    "line: running total</text></svg>",
	    L, H - 4);
}

/* Horizontal bars: one per label. */
static void plot_bars(rp_buf *b, const char *id, const char *const *labels,
		      const uint64_t *v, size_t n, const char *color)
{
	const int W = 660, L = 330, RH = 22; /* room for the longest status name */
	uint64_t max = 1;
	size_t i;
	for (i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	rp_buf_printf(b, "<svg class=\"plot\" id=\"%s\" width=\"%d\" height=\"%zu\">", id,
		      W, n * RH + 8);
	for (i = 0; i < n; i++) {
		double w = (double)(W - L - 60) * (double)v[i] / (double)max;
		rp_buf_printf(b, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", L - 6,
			      i * RH + 16);
		esc(b, labels[i]);
		rp_buf_printf(
		    b,
		    "</text><rect x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"14\" "
		    "fill=\"%s\"/><text x=\"%.1f\" y=\"%zu\">%llu</text>",
		    L, i * RH + 5, w < 1 && v[i] ? 1.0 : w, color, L + w + 4, i * RH + 16,
		    (unsigned long long)v[i]);
	}
	rp_buf_puts(b, "</svg>");
}

/* The slowest runs, each a bar split by where the time went. */
static void plot_slowest(rp_buf *b, const rpt_agg *a)
{
	static const char *const col[RPT_PH_COUNT] = {"#1f6feb", "#8250df", "#bf3989",
						      "#9a6700", "#8c959f"};
	const int W = 760, L = 230, RH = 22;
	uint64_t max = a->nslow && a->slow[0].ms ? a->slow[0].ms : 1;
	size_t i;
	int p;
	rp_buf_printf(
	    b, "<svg class=\"plot\" id=\"plot-slowest\" width=\"%d\" height=\"%zu\">", W,
	    (a->nslow + 1) * RH + 8);
	for (p = 0; p < RPT_PH_COUNT; p++)
		rp_buf_printf(
		    b,
		    "<rect x=\"%d\" y=\"4\" width=\"10\" height=\"10\" fill=\"%s\"/>"
		    "<text x=\"%d\" y=\"13\">%s</text>",
		    L + p * 100, col[p], L + p * 100 + 14, rpt_phase_names[p]);
	for (i = 0; i < a->nslow; i++) {
		const struct rpt_run *r = &a->slow[i];
		double x = L;
		rp_buf_printf(b, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", L - 6,
			      (i + 1) * RH + 16);
		esc(b, r->host);
		rp_buf_puts(b, " \\ ");
		esc(b, r->user);
		rp_buf_puts(b, "</text>");
		for (p = 0; p < RPT_PH_COUNT; p++) {
			double w =
			    (double)(W - L - 90) * (double)r->phase[p] / (double)max;
			if (r->phase[p] == 0)
				continue;
			rp_buf_printf(
			    b,
			    "<rect x=\"%.1f\" y=\"%zu\" width=\"%.1f\" height=\"14\" "
			    "fill=\"%s\"><title>%s: %llu ms</title></rect>",
			    x, (i + 1) * RH + 5, w, col[p], rpt_phase_names[p],
			    (unsigned long long)r->phase[p]);
			x += w;
		}
		rp_buf_printf(b, "<text x=\"%.1f\" y=\"%zu\">%.1f s</text>", x + 4,
			      (i + 1) * RH + 16, (double)r->ms / 1000.0);
	}
	rp_buf_puts(b, "</svg>");
}

static void td(rp_buf *b, const char *s)
{
	rp_buf_puts(b, "<td>");
	esc(b, s);
	rp_buf_puts(b, "</td>");
}

static void tdn(rp_buf *b, uint64_t v)
{
	rp_buf_printf(b, "<td class=\"n\">%llu</td>", (unsigned long long)v);
}

static void days_table(rp_buf *b, const rpt_agg *a)
{
	size_t i;
	uint64_t total = 0;
	rp_buf_puts(
	    b,
	    "<table class=\"sortable\" id=\"days\"><thead><tr><th>day</th><th>runs</th>"
	    "<th>switched (10)</th><th>switched, total</th><th>failed</th>"
	    "<th>rolled back</th><th>pending</th></tr></thead><tbody>");
	for (i = 0; i < a->nday; i++) {
		char d[11];
		const struct rpt_day *y = &a->day[i];
		rpt_day_str(y->day, d);
		total += y->switches;
		rp_buf_puts(b, "<tr>");
		td(b, d);
		tdn(b, y->runs);
		tdn(b, y->switches);
		tdn(b, total);
		tdn(b, y->by_class[RPT_FAILED]);
		tdn(b, y->by_class[RPT_ROLLED_BACK]);
		tdn(b, y->by_class[RPT_PENDING]);
		rp_buf_puts(b, "</tr>");
	}
	rp_buf_puts(b, "</tbody></table>");
}

static void failures(rp_buf *b, const rpt_agg *a)
{
	const char *lab[CFG_STATUS_COUNT + 1];
	uint64_t v[CFG_STATUS_COUNT + 1];
	const char *cl[RPT_CAUSE_COUNT];
	char names[CFG_STATUS_COUNT + 1][64];
	size_t i, n = 0;
	for (i = 0; i < RPT_CAUSE_COUNT; i++)
		cl[i] = rpt_cause_name((rpt_cause)i);
	rp_buf_puts(
	    b, "<h2>Failures by cause</h2><p class=\"meta\">Every failed profile result, "
	       "by the troubleshooting table's categories (from the profile's TraceW, "
	       "Error and Warning lines, else its status).</p>");
	plot_bars(b, "plot-causes", cl, a->fail_cause, RPT_CAUSE_COUNT, "#c62828");
	for (i = 0; i <= CFG_STATUS_COUNT; i++) {
		if (!a->fail_status[i])
			continue;
		snprintf(names[n], sizeof(names[n]), "%d %s",
			 i < CFG_STATUS_COUNT ? (int)i : -1,
			 i < CFG_STATUS_COUNT ? cfg_status_name((int)i) : "unknown");
		lab[n] = names[n];
		v[n++] = a->fail_status[i];
	}
	rp_buf_puts(b, "<h2>Failures by status code</h2>");
	if (n)
		plot_bars(b, "plot-status", lab, v, n, "#cf222e");
	else
		rp_buf_puts(b, "<p>No failed profile.</p>");
}

static void features(rp_buf *b, const rpt_agg *a)
{
	size_t i, k;
	rp_buf_puts(b, "<h2>Features</h2>");
	if (!a->nfeat) {
		rp_buf_puts(b, "<p>No feature was planned.</p>");
		return;
	}
	rp_buf_puts(
	    b, "<table class=\"sortable\" id=\"features\"><thead><tr><th>feature</th>"
	       "<th>outcomes (profile results)</th></tr></thead><tbody>");
	for (i = 0; i < a->nfeat; i++) {
		rp_buf_puts(b, "<tr>");
		td(b, a->feat[i].name);
		rp_buf_puts(b, "<td>");
		for (k = 0; k < RPT_MAX_FSTATUS && a->feat[i].status[k]; k++) {
			rp_buf_puts(b, k ? ", " : "");
			esc(b, a->feat[i].status[k]);
			rp_buf_printf(b, " <b>%llu</b>",
				      (unsigned long long)a->feat[i].count[k]);
		}
		if (a->feat[i].other)
			rp_buf_printf(b, ", other <b>%llu</b>",
				      (unsigned long long)a->feat[i].other);
		rp_buf_puts(b, "</td></tr>");
	}
	rp_buf_puts(b, "</tbody></table>");
}

static void slowest(rp_buf *b, const rpt_agg *a)
{
	size_t i;
	int p;
	rp_buf_puts(b, "<h2>Slowest runs</h2>");
	if (!a->nslow) {
		rp_buf_puts(b, "<p>No run.</p>");
		return;
	}
	rp_buf_puts(
	    b, "<p class=\"meta\">Where the time went: the phases a record times "
	       "(Autodiscover, directory, mailbox, registry); the rest of each profile's "
	       "time, and records without timings, show as other.</p>");
	plot_slowest(b, a);
	rp_buf_puts(
	    b, "<table class=\"sortable\" id=\"slowest\"><thead><tr><th>host</th>"
	       "<th>user</th><th>time</th><th>mode</th><th>exit code</th><th>seconds</th>"
	       "<th>profiles</th><th>record</th></tr></thead><tbody>");
	for (i = 0; i < a->nslow; i++) {
		const struct rpt_run *r = &a->slow[i];
		char tm[21];
		rpt_time_str(r->time, tm);
		rp_buf_puts(b, "<tr>");
		td(b, r->host);
		td(b, r->user);
		td(b, tm);
		td(b, r->mode);
		tdn(b, (uint64_t)r->exit_code);
		rp_buf_printf(b, "<td class=\"n\">%.1f</td>", (double)r->ms / 1000.0);
		tdn(b, r->profiles);
		td(b, r->file);
		rp_buf_puts(b, "</tr>");
	}
	(void)p;
	rp_buf_puts(b, "</tbody></table>");
}

static int failing(rp_buf *b, const rpt_agg *a, uint64_t nfailed)
{
	size_t i, n = 0;
	struct rpt_prof **pv = rpt_sorted_profiles(a, &n);
	if (!pv)
		return rp_error_set(RP_ENOMEM, "out of memory (report)");
	rp_buf_printf(
	    b,
	    "<h2>Still failing</h2><p class=\"meta\">Profiles whose last run failed, "
	    "with its last error. Click a header to sort; type to filter "
	    "(<span id=\"failing-count\">%llu</span> shown).</p>"
	    "<input id=\"filter\" data-filter=\"failing\" placeholder=\"filter: host, "
	    "user, status, cause, error...\">",
	    (unsigned long long)nfailed);
	rp_buf_puts(
	    b, "<table class=\"sortable\" id=\"failing\"><thead><tr><th>host</th>"
	       "<th>user</th><th>profile</th><th>status</th><th>cause</th>"
	       "<th>last run</th><th>failed / runs</th><th>last error</th><th>record</th>"
	       "</tr></thead><tbody>");
	for (i = 0; i < n; i++) {
		const struct rpt_prof *p = pv[i];
		char tm[21], st[80];
		if (rpt_status_class(p->status) != RPT_FAILED)
			continue;
		rpt_time_str(p->time, tm);
		snprintf(st, sizeof(st), "%d %s", p->status, cfg_status_name(p->status));
		rp_buf_puts(b, "<tr>");
		td(b, p->host);
		td(b, p->user);
		td(b, p->name);
		td(b, st);
		td(b, rpt_cause_name(p->cause));
		td(b, tm);
		rp_buf_printf(b, "<td class=\"n\">%u / %u</td>", p->failures,
			      p->attempts);
		rp_buf_puts(b, "<td class=\"err\">");
		esc(b, p->error ? p->error : "");
		rp_buf_puts(b, "</td>");
		td(b, p->file);
		rp_buf_puts(b, "</tr>");
	}
	free(pv);
	rp_buf_puts(b, "</tbody></table>");
	return RP_OK;
}

static int never(rp_buf *b, const rpt_agg *a, uint64_t count)
{
	size_t i, n = 0;
	struct rpt_host **hv = rpt_sorted_hosts(a, &n);
	if (!hv)
		return rp_error_set(RP_ENOMEM, "out of memory (report)");
	rp_buf_printf(
	    b,
	    "<h2>Never reported</h2><p class=\"meta\">Machines of the --expect list "
	    "without a record (<span id=\"never-count\">%llu</span>).</p>",
	    (unsigned long long)count);
	rp_buf_puts(b, "<ul id=\"never\">");
	for (i = 0; i < n; i++)
		if (hv[i]->expected && !hv[i]->seen) {
			rp_buf_puts(b, "<li>");
			esc(b, hv[i]->name);
			rp_buf_puts(b, "</li>");
		}
	rp_buf_puts(b, "</ul>");
	free(hv);
	return RP_OK;
}

static void skipped(rp_buf *b, const rpt_agg *a)
{
	size_t i;
	rp_buf_printf(
	    b,
	    "<h2>Files not used</h2><p class=\"meta\"><span id=\"skipped-count\">%llu"
	    "</span> file(s) or folder(s) could not be used%s.</p>",
	    (unsigned long long)a->skipped,
	    a->skipped > a->nskip ? " (the first ones are listed)" : "");
	if (!a->nskip)
		return;
	rp_buf_puts(b, "<table class=\"sortable\" id=\"skipped\"><thead><tr><th>file</th>"
		       "<th>reason</th></tr></thead><tbody>");
	for (i = 0; i < a->nskip; i++) {
		rp_buf_puts(b, "<tr>");
		td(b, a->skip[i].path);
		td(b, a->skip[i].reason);
		rp_buf_puts(b, "</tr>");
	}
	rp_buf_puts(b, "</tbody></table>");
}

int rpt_agg_write_html(const rpt_agg *a, const char *generated, rp_buf *out)
{
	rpt_totals t;
	char f[21], l[21];
	int rc;
	rpt_agg_totals(a, &t);
	rp_buf_puts(
	    out,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
	    "<title>reprofile fleet report</title><style>");
	rp_buf_puts(out, css);
	rp_buf_puts(
	    out,
	    "</style></head><body><h1>reprofile fleet report</h1><p class=\"meta\">");
	if (a->records) {
		rpt_time_str(a->first, f);
		rpt_time_str(a->last, l);
		rp_buf_printf(out, "Runs from %s to %s. ", f, l);
	}
	rp_buf_puts(out, "Generated ");
	esc(out, generated);
	rp_buf_printf(out,
		      ". <span id=\"h-runs\">%llu</span> run record(s) read, "
		      "%llu run(s) with an error bit, %llu file(s) not used, "
		      "%llu record(s) before --since.</p>",
		      (unsigned long long)t.records, (unsigned long long)t.runs_failed,
		      (unsigned long long)t.skipped, (unsigned long long)t.before_since);
	rp_buf_puts(out, "<div class=\"cards\">");
	card(out, "", "machines", "machines seen", t.machines);
	card(out, "", "users", "users", t.users);
	card(out, "", "profiles", "profiles", t.profiles);
	card(out, "switched", "switched", "switched", t.by_class[RPT_SWITCHED]);
	card(out, "pending", "pending", "pending", t.by_class[RPT_PENDING]);
	card(out, "failed", "failed", "failed", t.by_class[RPT_FAILED]);
	card(out, "rolled_back", "rolled_back", "rolled back",
	     t.by_class[RPT_ROLLED_BACK]);
	card(out, "", "never", "never reported", t.never_reported);
	rp_buf_puts(
	    out, "</div><p class=\"meta\">Each profile counts once, by the status of its "
		 "last run (docs/report.md).</p><pre id=\"selftest\"></pre>");
	rp_buf_puts(out, "<h2>Switched profiles over time</h2>");
	plot_switched(out, a);
	rp_buf_puts(out, "<h2>By day</h2>");
	days_table(out, a);
	failures(out, a);
	slowest(out, a);
	features(out, a);
	if ((rc = failing(out, a, t.by_class[RPT_FAILED])) != RP_OK ||
	    (rc = never(out, a, t.never_reported)) != RP_OK)
		return rc;
	skipped(out, a);
	rp_buf_puts(out, "<script>");
	rp_buf_puts(out, script);
	rp_buf_puts(out, "</script></body></html>\n");
	return out->data ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory (report)");
}
