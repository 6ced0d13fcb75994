/* libFuzzer target for the directory module's parsers: the CSV mapping file
 * (dir_open_csv_mem), key parsing and RFC 4515 escaping. */
#include "base/rp_err.h"
#include "directory/dir.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dir_resolver *r = NULL;
	char *s, *esc;
	dir_source_key k;

	if (dir_open_csv_mem((const char *)data, size, "fuzz.csv", &r) == RP_OK) {
		static const dir_source_key probes[] = {
		    {DIR_KEY_SMTP, "a@b"},
		    {DIR_KEY_LEGACY_DN, "/o=a"},
		    {DIR_KEY_SMTP, "alice@source.example"},
		};
		dir_recipient out[3];
		int st[3];
		if (dir_lookup_many(r, probes, 3, out, st) != RP_OK)
			abort();
		dir_close(r);
	} else if (r != NULL || rp_error_msg()[0] == '\0') {
		abort(); /* a failure must leave no resolver and say why */
	}

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (dir_key_parse(s, &k) == RP_OK && (k.value < s || k.value > s + size))
		abort();
	esc = dir_filter_escape(s, size);
	if (esc) {
		/* nothing a filter parser treats specially may survive */
		if (strpbrk(esc, "()*"))
			abort();
		free(esc);
	}
	free(s);
	return 0;
}
