/* libFuzzer target: the fleet report's record reader (rpt_agg_add_record)
 * and the three outputs over what it kept. Each input is read twice, as two
 * runs, so the last-state table sees an update. */
#include "report/rpt_agg.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rpt_agg *a = rpt_agg_new(INT64_MIN);
	rp_buf b = RP_BUF_INIT;
	rpt_totals t;
	if (!a)
		return 0;
	if (rpt_agg_expect(a, "PC042") != 0 ||
	    rpt_agg_add_record(a, "a.record.json", (const char *)data, size) != 0 ||
	    rpt_agg_add_record(a, "b\xff.record.json", (const char *)data, size) != 0)
		abort(); /* only memory can fail */
	rpt_agg_totals(a, &t);
	/* every file is a record or skipped, never both, never neither */
	if (t.files != 2 || t.records + t.skipped != 2 || (t.records && t.records != 2))
		abort();
	if (t.profiles > 2 * size)
		abort();
	if (rpt_agg_write_json(a, &b) != 0 || rpt_agg_write_csv(a, &b) != 0)
		abort();
	b.len = 0; /* JSON and CSV are not HTML: only the page is checked below */
	if (rpt_agg_write_html(a, "now", &b) != 0)
		abort();
	/* nothing from the input reaches the page unescaped */
	for (size_t i = 0; i + 13 <= b.len; i++)
		if (memcmp(b.data + i, "<script>alert", 13) == 0)
			abort();
	rp_buf_free(&b);
	rpt_agg_free(a);
	return 0;
}
