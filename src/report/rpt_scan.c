/* Walks the share for run records (rpt_agg_scan): folders sorted by name,
 * depth-limited (a link loop ends), each file checked against the size cap
 * before a byte is read, one reused buffer for the content. */
#include "rpt_agg_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "platform/plat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RPT_MAX_DEPTH 32

/* *.record.json or *.record-N.json (docs/report.md). */
static bool is_record_name(const char *n)
{
	size_t l = strlen(n);
	const char *r;
	if (l < 12 || strcmp(n + l - 5, ".json") != 0)
		return false;
	if (l >= 12 && strcmp(n + l - 12, ".record.json") == 0)
		return true;
	for (r = n + l - 6; r > n && *r >= '0' && *r <= '9'; r--)
		;
	return r < n + l - 6 && r - n >= 7 && strncmp(r - 7, ".record-", 8) == 0;
}

static int cmp_ent(const void *x, const void *y)
{
	return strcmp(((const plat_dirent *)x)->name, ((const plat_dirent *)y)->name);
}

/* The OS's reason from a platform message "PATH: ...: reason" (the report
 * names the path itself). */
static const char *os_reason(void)
{
	const char *m = rp_error_msg(), *r = strrchr(m, ':');
	return r && r[1] == ' ' ? r + 2 : m;
}

struct scan {
	rpt_agg *a;
	unsigned long long max;
	rp_buf buf;
};

static int read_file(struct scan *s, const char *path)
{
	unsigned long long size = 0;
	FILE *f;
	char why[160];
	int rc = plat_file_size(path, &size);
	if (rc != RP_OK) {
		snprintf(why, sizeof(why), "cannot read the file (%s)", os_reason());
		return rpt_agg_skip(s->a, path, why);
	}
	if (size > s->max) {
		snprintf(why, sizeof(why),
			 "%llu bytes, over the size cap of %llu bytes: not read", size,
			 s->max);
		return rpt_agg_skip(s->a, path, why);
	}
	if (!(f = plat_fopen(path, "rb"))) {
		snprintf(why, sizeof(why), "cannot read the file (%s)", strerror(errno));
		return rpt_agg_skip(s->a, path, why);
	}
	s->buf.len = 0;
	/* +1: a file that grew past the cap since the size was taken is caught */
	if (rp_buf_reserve(&s->buf, (size_t)size + 1) != RP_OK) {
		fclose(f);
		return RP_ENOMEM;
	}
	s->buf.len = fread(s->buf.data, 1, (size_t)size + 1, f);
	if (ferror(f)) {
		fclose(f);
		snprintf(why, sizeof(why), "cannot read the file (%s)", strerror(errno));
		return rpt_agg_skip(s->a, path, why);
	}
	fclose(f);
	if (s->buf.len > size)
		return rpt_agg_skip(s->a, path,
				    "the file grew while it was read: not read");
	return rpt_agg_add_record(s->a, path, (const char *)s->buf.data, s->buf.len);
}

static int walk(struct scan *s, const char *dir, int depth)
{
	plat_dirent *e = NULL;
	size_t n = 0, i;
	int rc;
	char why[300];
	if (depth > RPT_MAX_DEPTH)
		return rpt_agg_skip(s->a, dir,
				    "folders nested too deep (a link loop?): not read");
	rc = plat_list_dir(dir, &e, &n);
	if (rc == RP_ENOMEM)
		return rc;
	if (rc != RP_OK) {
		snprintf(why, sizeof(why), "cannot list the folder (%s)", os_reason());
		return rpt_agg_skip(s->a, dir, why);
	}
	if (n) /* an empty folder lists as NULL */
		qsort(e, n, sizeof(*e), cmp_ent);
	for (i = 0; i < n && rc == RP_OK; i++) {
		char *p;
		if (!e[i].is_dir && !is_record_name(e[i].name))
			continue;
		p = rp_asprintf("%s%s%s", dir,
				dir[0] && dir[strlen(dir) - 1] == plat_sep() ? "" : "/",
				e[i].name);
		if (!p) {
			rc = RP_ENOMEM;
			break;
		}
		rc = e[i].is_dir ? walk(s, p, depth + 1) : read_file(s, p);
		free(p);
	}
	plat_dir_free(e, n);
	return rc;
}

int rpt_agg_scan(rpt_agg *a, const char *folder, unsigned long long max_size)
{
	struct scan s = {a, max_size ? max_size : RPT_MAX_RECORD_SIZE, RP_BUF_INIT};
	int rc;
	if (plat_file_exists(folder) &&
	    plat_file_size(folder, &(unsigned long long){0}) == RP_OK &&
	    is_record_name(folder))
		rc = read_file(&s, folder); /* a single record file given */
	else
		rc = walk(&s, folder, 0);
	rp_buf_free(&s.buf);
	return rc;
}
