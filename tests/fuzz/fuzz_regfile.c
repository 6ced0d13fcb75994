/* libFuzzer target for the .reg text reader: parse from memory into a .reg
 * store, then walk and re-export whatever was accepted (exercising the
 * writer on every tree the reader can build). */
#include "reg.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reg_store *s = NULL;
	reg_names keys;
	uint8_t *out;
	size_t len;

	if (reg_open_regfile_mem(&s, data, size, "fuzz.reg") < 0)
		return 0;
	if (reg_list_subkeys(s, "", &keys) == 0) {
		size_t i;
		for (i = 0; i < keys.n; i++) {
			reg_values vals;
			if (reg_list_values(s, keys.v[i], &vals) == 0)
				reg_values_free(&vals);
		}
		reg_names_free(&keys);
	}
	if (reg_export_mem(s, "", &out, &len) == 0) {
		/* What we write must read back. */
		reg_store *again = NULL;
		if (reg_open_regfile_mem(&again, out, len, "fuzz-out.reg") < 0)
			abort();
		reg_close(again);
		free(out);
	}
	reg_close(s);
	return 0;
}
