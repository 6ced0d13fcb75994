/* The Windows build's rpt_agg (src/report/CMakeLists.txt): the reader needs
 * jansson, which only the native build links (docs/decisions.md), so
 * `reprofile report` says so; run it on Linux against the share. */
#include "rpt_agg.h"

#include "base/rp_err.h"

#include <string.h>

rpt_agg *rpt_agg_new(int64_t since)
{
	(void)since;
	rp_error_set(RP_EUNSUPPORTED,
		     "reprofile report is not in the Windows build (it needs "
		     "jansson): run the Linux build against the share");
	return NULL;
}

void rpt_agg_free(rpt_agg *a)
{
	(void)a;
}

int rpt_agg_expect(rpt_agg *a, const char *host)
{
	(void)a;
	(void)host;
	return RP_EUNSUPPORTED;
}

int rpt_agg_scan(rpt_agg *a, const char *folder, unsigned long long max_size)
{
	(void)a;
	(void)folder;
	(void)max_size;
	return RP_EUNSUPPORTED;
}

bool rpt_agg_skipped(const rpt_agg *a, size_t i, const char **path, const char **reason)
{
	(void)a;
	(void)i;
	(void)path;
	(void)reason;
	return false;
}

void rpt_agg_totals(const rpt_agg *a, rpt_totals *t)
{
	(void)a;
	memset(t, 0, sizeof(*t));
}

int rpt_agg_write_json(const rpt_agg *a, rp_buf *out)
{
	(void)a;
	(void)out;
	return RP_EUNSUPPORTED;
}

int rpt_agg_write_csv(const rpt_agg *a, rp_buf *out)
{
	(void)a;
	(void)out;
	return RP_EUNSUPPORTED;
}

int rpt_agg_write_html(const rpt_agg *a, const char *generated, rp_buf *out)
{
	(void)a;
	(void)generated;
	(void)out;
	return RP_EUNSUPPORTED;
}

bool rpt_parse_time(const char *s, int64_t *out)
{
	(void)s;
	(void)out;
	return false;
}
