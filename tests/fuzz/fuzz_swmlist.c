/* libFuzzer target: the bulk switch-message list (cfg_swmlist.h). */
#include "config/cfg_swmlist.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cfg_swmlist *l = NULL;
	size_t bad = 0;
	if (cfg_swmlist_parse("fuzz.csv", data, size, &l) != 0)
		return 0;
	for (size_t i = 0; i < l->n; i++) {
		const cfg_swm_row *w = &l->rows[i];
		if (w->reason)
			bad++;
		else if (!w->source || !w->source_dn || !w->target_smtp || !w->target_dn)
			abort(); /* a valid row has every required field */
		if (i && w->line <= l->rows[i - 1].line)
			abort(); /* rows in file order */
	}
	if (bad != l->nbad)
		abort();
	cfg_swmlist_free(l);
	return 0;
}
