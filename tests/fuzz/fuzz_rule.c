/* fuzz_rule.c - libFuzzer target for the rule codecs (mobj_rule).
 *
 * The first byte picks the form: 0 standard PidTagRuleActions, 1 extended
 * PidTagExtendedRuleMessageActions, 2 extended condition; the rest is the
 * value. Property: decode never crashes and always explains a refusal; an
 * accepted value re-encodes byte for byte; rewriting every person and folder
 * gives a value that decodes again with the same number of actions; a
 * condition whose junk lists are cleared still decodes. */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mobj/mobj_junk.h"
#include "mobj/mobj_rule.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int map_recip(void *ctx, const mobj_who *from, mobj_who *to)
{
	(void)ctx;
	if (from->kind == MOBJ_WHO_EX && from->dn && strlen(from->dn) % 3 == 0)
		return rp_error_set(RP_ENOTFOUND, "not migrated");
	to->dn = rp_strdup("/o=Target/ou=x/cn=Recipients/cn=someone-longer");
	to->smtp = rp_strdup("someone@target.example");
	return RP_OK;
}

static int map_folder(void *ctx, const mobj_ref *from, mobj_ref *to)
{
	(void)ctx;
	if (from->obj.n % 5 == 1)
		return rp_error_set(RP_ENOTFOUND, "not migrated");
	if (to->obj.n)
		to->obj.p[0] ^= 0x55;
	return RP_OK;
}

static void fail_clean(void)
{
	if (rp_error_msg()[0] == '\0')
		abort();
	rp_error_clear();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rp_buf out = RP_BUF_INIT;
	mobj_map map = {map_recip, NULL, map_folder, NULL};

	if (size < 1)
		return 0;
	if (data[0] == 2) {
		mobj_xcond c, back;
		mobj_rw st;
		if (mobj_xcond_decode(&c, data + 1, size - 1) != RP_OK) {
			fail_clean();
			mobj_xcond_free(&c);
			return 0;
		}
		if (mobj_xcond_encode(&c, &out) != RP_OK || out.len != size - 1 ||
		    memcmp(out.data, data + 1, out.len))
			abort();
		if (mobj_cond_rewrite(&c.res, &map, &st) == RP_OK) {
			out.len = 0;
			if (mobj_xcond_encode(&c, &out) != RP_OK)
				abort();
			if (mobj_xcond_decode(&back, out.data, out.len) != RP_OK)
				abort();
			mobj_xcond_free(&back);
		}
		/* junk lists: listing works, clearing keeps a valid condition */
		char **list = NULL;
		size_t nl = 0;
		if (mobj_junk_list(&c.res, &list, &nl) == RP_OK)
			mobj_junk_list_free(list, nl);
		if (mobj_junk_clear(&c.res, NULL) != RP_OK)
			abort();
		out.len = 0;
		if (mobj_xcond_encode(&c, &out) != RP_OK)
			abort();
		if (mobj_xcond_decode(&back, out.data, out.len) != RP_OK)
			abort();
		mobj_xcond_free(&back);
		rp_error_clear();
		mobj_xcond_free(&c);
		rp_buf_free(&out);
		return 0;
	}
	bool ext = data[0] & 1;
	mobj_actions a, back;
	mobj_rw *st;
	if (mobj_actions_decode(&a, data + 1, size - 1, ext) != RP_OK) {
		fail_clean();
		mobj_actions_free(&a);
		return 0;
	}
	if (mobj_actions_encode(&a, &out) != RP_OK || out.len != size - 1 ||
	    memcmp(out.data, data + 1, out.len))
		abort();
	st = calloc(a.n, sizeof(*st));
	if (!st)
		abort();
	if (mobj_actions_rewrite(&a, &map, st) == RP_OK) {
		out.len = 0;
		/* a rewrite may outgrow a standard 2-byte length: refused, not cut */
		if (mobj_actions_encode(&a, &out) == RP_OK) {
			if (mobj_actions_decode(&back, out.data, out.len, ext) != RP_OK ||
			    back.n != a.n)
				abort();
			mobj_actions_free(&back);
		}
	}
	rp_error_clear();
	free(st);
	mobj_actions_free(&a);
	rp_buf_free(&out);
	return 0;
}
