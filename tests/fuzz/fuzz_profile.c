/* fuzz_profile.c - libFuzzer target for the profile decoder: the input is a
 * .reg file; every profile of the winning root is decoded (and freed). The
 * .reg text goes through a temporary file because stores open paths. */
#include "base/rp_err.h"
#include "profile/profile.h"
#include "registry/reg.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reg_store *s;
	profile_root r;
	FILE *f;
	size_t k;

	if (!path[0]) {
		int fd;
		snprintf(path, sizeof(path), "/tmp/fuzz_profile_XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
	}
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	if (reg_open_regfile(&s, path, 0) < 0)
		return 0;
	if (profile_find_root(s, &r) == RP_OK) {
		for (k = 0; k < r.nkeys; k++) {
			profile *p = NULL;
			if (profile_load(s, &r, r.keys[k], &p) == RP_OK)
				profile_free(p);
		}
		profile_root_free(&r);
	}
	reg_close(s);
	return 0;
}
