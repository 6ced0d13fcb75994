/* fuzz_rws.c - libFuzzer target for the client rules stream detector
 * (mobj_rws).
 *
 * Property: probing never crashes and explains every refusal; the walked
 * rules lie inside the stream, in order, without overlap; searching every
 * rule and the rest never reads outside it. */
#include "base/rp_err.h"
#include "mobj/mobj_rws.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t eid[4] = {0x00, 0x00, 0x00, 0x00};
	const mobj_rws_needle nd[3] = {
	    {"/o=Fabrikam/ou=Exchange Administrative Group", NULL, 0},
	    {"alice@fabrikam.example", NULL, 0},
	    {NULL, eid, sizeof(eid)},
	};
	mobj_rws s;
	size_t end = 0;

	if (mobj_rws_probe(data, size, &s) != RP_OK) {
		if (rp_error_msg()[0] == '\0')
			abort();
		rp_error_clear();
		mobj_rws_free(&s);
		return 0;
	}
	if (s.n > s.declared)
		abort();
	for (size_t i = 0; i < s.n; i++) {
		if (s.r[i].off < end || s.r[i].off + s.r[i].len > size || !s.r[i].name)
			abort();
		end = s.r[i].off + s.r[i].len;
	}
	for (size_t i = 0; i <= s.n; i++)
		(void)mobj_rws_find(data, size, &s, i, nd, 3);
	mobj_rws_free(&s);
	return 0;
}
