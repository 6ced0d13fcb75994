/* fuzz_utf.c - base's string decoders: UTF-16LE -> UTF-8 must round-trip byte
 * for byte (rp_str.h promises lossless WTF-8), and the hex parser must never
 * read out of bounds. */
#include "base/rp_buf.h"
#include "base/rp_str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void utf16_round_trip(const uint8_t *data, size_t size)
{
	char *utf8 = NULL;
	rp_buf back = RP_BUF_INIT;
	size_t units = 0;

	if (rp_utf16le_to_utf8(data, size, &utf8) < 0)
		return;
	/* The decoder stops at the first UTF-16 NUL. */
	while (units * 2 + 1 < size && (data[units * 2] | data[units * 2 + 1]))
		units++;
	if (rp_utf8_to_utf16le(utf8, strlen(utf8), &back, false) < 0 ||
	    back.len != units * 2 || (units && memcmp(back.data, data, back.len) != 0))
		abort();
	rp_buf_free(&back);
	free(utf8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	rp_buf b = RP_BUF_INIT;

	utf16_round_trip(data, size);

	s = rp_strndup((const char *)data, size);
	if (!s)
		return 0;
	(void)rp_unhex(s, &b);
	rp_buf_free(&b);
	free(s);
	return 0;
}
