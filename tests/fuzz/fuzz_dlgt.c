/* fuzz_dlgt.c - libFuzzer target for the delegate information object
 * (mobj_dlgt).
 *
 * The input is a ROP property list (count + tagged values, as
 * RopGetPropertiesSpecific returns the LocalFreebusy message). Property: the
 * decoder never crashes and explains every refusal; rewriting an accepted
 * object keeps it consistent (it decodes again with the same delegates). */
#include "base/rp_buf.h"
#include "base/rp_cur.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mailbox/mbx_prop.h"
#include "mobj/mobj_dlgt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int map_recip(void *ctx, const mobj_who *from, mobj_who *to)
{
	(void)ctx;
	if (from->dn && strlen(from->dn) % 2)
		return rp_error_set(RP_ENOTFOUND, "not migrated");
	to->dn = rp_strdup("/o=Target/ou=x/cn=Recipients/cn=delegate-longer-name");
	to->name = rp_strdup("Target Delegate");
	return RP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rp_cur c;
	mapi_value *v = NULL;
	size_t n = 0;
	mobj_dlgt d, back;

	rp_cur_init(&c, data, size);
	if (mbx_proplist_decode(&c, &v, &n) != RP_OK) {
		rp_error_clear();
		mbx_props_free(v, n);
		return 0;
	}
	if (mobj_dlgt_decode(v, n, &d) != RP_OK) {
		if (rp_error_msg()[0] == '\0')
			abort();
		rp_error_clear();
		mobj_dlgt_free(&d);
		mbx_props_free(v, n);
		return 0;
	}
	mobj_rw *st = calloc(d.n ? d.n : 1, sizeof(*st));
	if (!st)
		abort();
	if (mobj_dlgt_rewrite(v, n, map_recip, NULL, st) == RP_OK) {
		if (mobj_dlgt_decode(v, n, &back) != RP_OK || back.n != d.n)
			abort();
		mobj_dlgt_free(&back);
	}
	rp_error_clear();
	free(st);
	mobj_dlgt_free(&d);
	mbx_props_free(v, n);
	return 0;
}
