/* fuzz_dlist.c - libFuzzer target for distribution list members
 * (mobj_dlist).
 *
 * The input is a ROP property list: its first PT_MV_BINARY value is taken as
 * PidLidDistributionListMembers, the second as ...OneOffMembers, the first
 * PT_LONG as the checksum. Property: decode never crashes and explains every
 * refusal; after a rewrite the list decodes again with the same members and
 * its checksum matches. */
#include "base/rp_buf.h"
#include "base/rp_cur.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mailbox/mbx_prop.h"
#include "mapi/mapi_tag.h"
#include "mobj/mobj_dlist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int map_recip(void *ctx, const mobj_who *from, mobj_who *to)
{
	(void)ctx;
	if (from->kind == MOBJ_WHO_EX && from->dn && strlen(from->dn) % 2)
		return rp_error_set(RP_ENOTFOUND, "not migrated");
	to->dn = rp_strdup("/o=Target/ou=x/cn=Recipients/cn=member-longer-name");
	to->smtp = rp_strdup("member@target.example");
	return RP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rp_cur c;
	mapi_value *v = NULL, *m = NULL, *o = NULL, *k = NULL;
	size_t n = 0;
	mobj_dlist d, back;

	rp_cur_init(&c, data, size);
	if (mbx_proplist_decode(&c, &v, &n) != RP_OK) {
		rp_error_clear();
		mbx_props_free(v, n);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		uint16_t t = PROP_TYPE(v[i].tag);
		if (t == PT_MV_BINARY && !m)
			m = &v[i];
		else if (t == PT_MV_BINARY && !o)
			o = &v[i];
		else if (t == PT_LONG && !k)
			k = &v[i];
	}
	if (!m) {
		mbx_props_free(v, n);
		return 0;
	}
	if (mobj_dlist_decode(m, o, k, &d) != RP_OK) {
		if (rp_error_msg()[0] == '\0')
			abort();
		rp_error_clear();
		mobj_dlist_free(&d);
		mbx_props_free(v, n);
		return 0;
	}
	if (mobj_dlist_rewrite(m, o, k, map_recip, NULL, NULL, NULL) == RP_OK) {
		if (mobj_dlist_decode(m, o, k, &back) != RP_OK || back.n != d.n)
			abort();
		if (k && back.crc != MOBJ_CRC_OK_ISO && back.crc != MOBJ_CRC_OK_ZERO)
			abort();
		mobj_dlist_free(&back);
	}
	rp_error_clear();
	mobj_dlist_free(&d);
	mbx_props_free(v, n);
	return 0;
}
