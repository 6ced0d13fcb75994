/* libFuzzer target: the switch list CSV reader and its lookups. */
#include "config/cfg_switchlist.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cfg_switchlist *l = NULL;
	size_t i;
	if (cfg_switchlist_parse("fuzz.csv", data, size, &l) != 0)
		return 0;
	for (i = 0; i < l->n; i++) {
		const cfg_switch_entry *e = NULL;
		if (cfg_switchlist_lookup(l, l->entries[i].source, NULL, &e, NULL) ==
		    CFG_SL_NOT_LISTED)
			abort(); /* every loaded row must be found again */
	}
	for (i = 0; i < l->nbad; i++)
		if (l->bad[i].source &&
		    cfg_switchlist_lookup(l, NULL, l->bad[i].source, NULL, NULL) !=
			CFG_SL_INVALID)
			abort(); /* a bad row always makes its source invalid */
	cfg_switchlist_free(l);
	return 0;
}
