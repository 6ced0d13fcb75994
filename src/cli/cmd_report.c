/* cmd_report.c - `reprofile report FOLDER...`: the fleet report of a share
 * full of run records (docs/report.md). Files that cannot be used are
 * counted, named on stderr and in the report, never fatal. Exit 0 = the
 * report was written, 1 = it could not be (output, memory), 2 = usage. */
#include "commands.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "platform/plat.h"
#include "report/rpt_agg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lines about unused files on stderr; the rest are in the report. */
#define STDERR_SKIPPED 20

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: reprofile report FOLDER... [--since DATE] [--out FILE] [--json | "
	    "--csv]\n"
	    "                        [--expect FILE] [--max-size BYTES]\n"
	    "  Reads every run record (*.record.json) under the folders, recursively,\n"
	    "  and writes the fleet report: an HTML page (--out, default report.html),\n"
	    "  or the same aggregates as JSON or CSV on stdout (with --out: both).\n"
	    "  --since YYYY-MM-DD[THH:MM:SSZ]  leave out runs that started before (UTC)\n"
	    "  --expect FILE   machines that should report, one per line: those\n"
	    "                  without a record are listed as never reported\n"
	    "  --max-size N    skip record files larger than N bytes (default 16 MiB)\n"
	    "  Exit 0 = written (unusable files are listed, not fatal), 1 = not\n"
	    "  written, 2 = usage.\n");
}

static int load_expect(rpt_agg *a, const char *path)
{
	FILE *f = plat_fopen(path, "rb");
	char line[512];
	int rc = RP_OK;
	if (!f)
		return rp_error_set(RP_EIO, "%s: cannot read the --expect list", path);
	while (rc == RP_OK && fgets(line, sizeof(line), f)) {
		char *s = line, *e;
		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strlen(s);
		while (e > s &&
		       (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*s && *s != '#')
			rc = rpt_agg_expect(a, s);
	}
	fclose(f);
	return rc;
}

/* Written beside and renamed over: a page being written never replaces
 * yesterday's with half of one. */
static int write_file(const char *path, const rp_buf *b)
{
	char *tmp = rp_asprintf("%s.tmp", path);
	FILE *f;
	int rc;
	if (!tmp)
		return RP_ENOMEM;
	if (!(f = plat_fopen(tmp, "wb"))) {
		rc = rp_error_set(RP_EIO, "%s: cannot write", tmp);
	} else if (fwrite(b->data, 1, b->len, f) != b->len) {
		fclose(f);
		plat_remove(tmp);
		rc = rp_error_set(RP_EIO, "%s: cannot write", tmp);
	} else if ((rc = plat_fsync_close(f)) == RP_OK) {
		rc = plat_rename_replace(tmp, path);
	}
	free(tmp);
	return rc;
}

int rp_cmd_report(int argc, char **argv)
{
	const char *out = NULL, *expect = NULL, *since_s = NULL;
	const char **folders;
	bool json = false, csv = false;
	unsigned long long max = 0;
	int64_t since = INT64_MIN;
	size_t nf = 0, i;
	rpt_agg *a = NULL;
	rp_buf b = RP_BUF_INIT;
	rpt_totals t;
	int rc = RP_OK, ret = 1;
	int i_arg;
	char gen[40];
	const char *sp, *sr;
	struct tm tm;

	if (!(folders = calloc((size_t)argc, sizeof(*folders))))
		return 1;
	for (i_arg = 1; i_arg < argc; i_arg++) {
		const char *s = argv[i_arg];
		bool more = i_arg + 1 < argc;
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			usage(stdout);
			free(folders);
			return 0;
		} else if (strcmp(s, "--json") == 0) {
			json = true;
		} else if (strcmp(s, "--csv") == 0) {
			csv = true;
		} else if (strcmp(s, "--out") == 0 && more) {
			out = argv[++i_arg];
		} else if (strcmp(s, "--since") == 0 && more) {
			since_s = argv[++i_arg];
		} else if (strcmp(s, "--expect") == 0 && more) {
			expect = argv[++i_arg];
		} else if (strcmp(s, "--max-size") == 0 && more) {
			char *end;
			max = strtoull(argv[++i_arg], &end, 10);
			if (*end || max == 0) {
				fprintf(stderr,
					"reprofile report: --max-size '%s' is not a "
					"number of bytes\n",
					argv[i_arg]);
				free(folders);
				return 2;
			}
		} else if (s[0] == '-' && s[1] == '-') {
			fprintf(stderr, "reprofile report: unknown option '%s'\n", s);
			usage(stderr);
			free(folders);
			return 2;
		} else {
			folders[nf++] = s;
		}
	}
	if (nf == 0 || (json && csv)) {
		fprintf(stderr,
			nf == 0
			    ? "reprofile report: no folder given\n"
			    : "reprofile report: --json and --csv cannot be combined\n");
		usage(stderr);
		free(folders);
		return 2;
	}
	if (since_s && !rpt_parse_time(since_s, &since)) {
		fprintf(stderr,
			"reprofile report: --since '%s' is not YYYY-MM-DD or "
			"YYYY-MM-DDTHH:MM:SSZ\n",
			since_s);
		free(folders);
		return 2;
	}
	if (!out && !json && !csv)
		out = "report.html";
	/* a folder that is not there is a typo, not a share with a bad file */
	for (i = 0; i < nf; i++)
		if (!plat_file_exists(folders[i])) {
			fprintf(stderr, "reprofile report: %s: no such folder\n",
				folders[i]);
			free(folders);
			return 2;
		}

	if (!(a = rpt_agg_new(since))) {
		fprintf(stderr, "reprofile report: %s\n", rp_error_msg());
		free(folders);
		return 1;
	}
	if (expect && (rc = load_expect(a, expect)) != RP_OK)
		goto done;
	for (i = 0; i < nf && rc == RP_OK; i++)
		rc = rpt_agg_scan(a, folders[i], max);
	if (rc != RP_OK)
		goto done;

	plat_gmtime(plat_now(), &tm);
	strftime(gen, sizeof(gen), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (out) {
		if ((rc = rpt_agg_write_html(a, gen, &b)) != RP_OK ||
		    (rc = write_file(out, &b)) != RP_OK)
			goto done;
	}
	if (json || csv) {
		b.len = 0;
		rc = json ? rpt_agg_write_json(a, &b) : rpt_agg_write_csv(a, &b);
		if (rc != RP_OK)
			goto done;
		if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
			rc = rp_error_set(RP_EIO, "cannot write the report to stdout");
			goto done;
		}
	}
	rpt_agg_totals(a, &t);
	for (i = 0; i < STDERR_SKIPPED && rpt_agg_skipped(a, i, &sp, &sr); i++)
		fprintf(stderr, "reprofile report: not used: %s: %s\n", sp, sr);
	if (t.skipped > i)
		fprintf(stderr,
			"reprofile report: ... and %llu more not used (listed in the "
			"report)\n",
			(unsigned long long)(t.skipped - i));
	fprintf(stderr,
		"reprofile report: %llu record(s), %llu machine(s), %llu profile(s): "
		"%llu switched, %llu pending, %llu failed, %llu rolled back; "
		"%llu file(s) not used%s%s\n",
		(unsigned long long)t.records, (unsigned long long)t.machines,
		(unsigned long long)t.profiles,
		(unsigned long long)t.by_class[RPT_SWITCHED],
		(unsigned long long)t.by_class[RPT_PENDING],
		(unsigned long long)t.by_class[RPT_FAILED],
		(unsigned long long)t.by_class[RPT_ROLLED_BACK],
		(unsigned long long)t.skipped, out ? "; page " : "", out ? out : "");
	ret = 0;
done:
	if (rc != RP_OK)
		fprintf(stderr, "reprofile report: %s\n", rp_error_msg());
	rpt_agg_free(a);
	rp_buf_free(&b);
	free(folders);
	return ret;
}
