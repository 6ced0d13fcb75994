/* libFuzzer target: the command line; the input is split at NUL bytes into
 * argv elements. */
#include "config/cfg_cmdline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, **argv;
	int argc = 0;
	size_t i, start = 0;
	cfg_cmdline c;
	if (size > 4096)
		return 0;
	buf = malloc(size + 1);
	argv = malloc((size + 1) * sizeof(*argv));
	if (!buf || !argv) {
		free(buf);
		free(argv);
		return 0;
	}
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (i = 0; i <= size; i++)
		if (buf[i] == '\0') {
			argv[argc++] = buf + start;
			start = i + 1;
		}
	if (cfg_cmdline_parse(argc, argv, &c) == 0) {
		for (i = 0; i < c.nprofiles; i++)
			if (!c.profiles[i])
				abort();
		cfg_cmdline_free(&c);
	}
	free(buf);
	free(argv);
	return 0;
}
