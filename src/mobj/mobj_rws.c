/* mobj_rws.c - the client rules stream: header walk and reference finder. */
#include "mobj/mobj_rws.h"

#include "base/rp_buf.h"
#include "base/rp_cur.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_value.h"

#include <stdlib.h>
#include <string.h>

/* RW_Magic first 8 bytes (outlook_rule_spec.rst "RW_Magic"). */
static const uint8_t MAGIC_2016[8] = {0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x14, 0x06};
static const uint8_t MAGIC_2002[8] = {0x40, 0x42, 0x0F, 0x00, 0x00, 0x00, 0x14, 0x06};

void mobj_rws_free(mobj_rws *s)
{
	if (!s)
		return;
	for (size_t i = 0; s->r && i < s->n; i++)
		free(s->r[i].name);
	free(s->r);
	memset(s, 0, sizeof(*s));
}

/* An 8-bit length, 0xFF escaping to a u16 ("Length fields"). */
static int len_read(rp_cur *c, size_t *out)
{
	uint8_t b;
	uint16_t w;
	int rc = rp_cur_u8(c, &b, "rule name length");
	if (rc < 0 || b != 0xFF) {
		*out = b;
		return rc;
	}
	rc = rp_cur_u16(c, &w, "rule name length");
	*out = w;
	return rc;
}

static int rule_walk(rp_cur *c, mobj_rws_rule *r)
{
	size_t start = c->off, nlen;
	const uint8_t *name;
	uint32_t active, bytes;
	int rc = rp_cur_skip(c, 3 + 1, "XR_Magic and locator");

	if (rc == RP_OK)
		rc = len_read(c, &nlen);
	if (rc == RP_OK)
		rc = rp_cur_view(c, &name, nlen * 2, "rule name");
	if (rc == RP_OK)
		rc = rp_cur_u32(c, &active, "rule_is_active");
	if (rc == RP_OK)
		rc = rp_cur_skip(c, 4 + 12, "rule header magic");
	if (rc == RP_OK)
		rc = rp_cur_u32(c, &bytes, "rule bytecount");
	if (rc == RP_OK)
		rc = rp_cur_skip(c, bytes, "rule elements");
	if (rc == RP_OK)
		rc = rp_utf16le_to_utf8(name, nlen * 2, &r->name);
	if (rc < 0)
		return rc;
	r->active = active != 0;
	r->off = start;
	r->len = c->off - start;
	return RP_OK;
}

int mobj_rws_probe(const uint8_t *p, size_t n, mobj_rws *out)
{
	rp_cur c;
	uint16_t count;
	int rc;

	memset(out, 0, sizeof(*out));
	if (n > MOBJ_RWS_MAX)
		return rp_error_set(RP_ELIMIT,
				    "rules stream of %zu bytes (the limit is %u)", n,
				    MOBJ_RWS_MAX);
	if (n >= 8 && !memcmp(p, MAGIC_2016, 8))
		out->format = 2016;
	else if (n >= 8 && !memcmp(p, MAGIC_2002, 8))
		out->format = 2002;
	else
		return rp_error_set(RP_EFORMAT,
				    "rules stream: unknown RW_Magic (not OL2002+)");
	rp_cur_init(&c, p, n);
	rc = rp_cur_skip(&c, 8 + 24 + 8 + 4, "RW_Magic");
	if (rc == RP_OK)
		rc = rp_cur_u16(&c, &count, "rule count");
	if (rc < 0)
		return rp_error_wrap(rc, "rules stream");
	out->declared = count;
	if (!count)
		return RP_OK;
	out->r = calloc(count, sizeof(*out->r));
	if (!out->r)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		if (rule_walk(&c, &out->r[i]) < 0) {
			free(out->r[i].name);
			memset(&out->r[i], 0, sizeof(out->r[i]));
			rp_error_clear();
			break;
		}
		out->n = i + 1;
	}
	return RP_OK;
}

bool mobj_find_text(const uint8_t *d, size_t n, const char *s)
{
	rp_buf a = RP_BUF_INIT, w = RP_BUF_INIT;
	bool hit = false;
	if (!s || !*s)
		return false;
	if (mapi_utf8_to_str8(s, &a, false) == RP_OK)
		hit = rp_find_units(d, n, a.data, a.len, 1, true);
	if (!hit && rp_utf8_to_utf16le(s, strlen(s), &w, false) == RP_OK)
		hit = rp_find_units(d, n, w.data, w.len / 2, 2, true);
	rp_error_clear();
	rp_buf_free(&a);
	rp_buf_free(&w);
	return hit;
}

int mobj_rws_find(const uint8_t *p, size_t n, const mobj_rws *s, size_t i,
		  const mobj_rws_needle *nd, size_t nn)
{
	size_t off, len;
	if (i < s->n) {
		off = s->r[i].off;
		len = s->r[i].len;
	} else {
		off = s->n ? s->r[s->n - 1].off + s->r[s->n - 1].len : 0;
		len = off <= n ? n - off : 0;
	}
	for (size_t k = 0; k < nn; k++) {
		if (nd[k].text && mobj_find_text(p + off, len, nd[k].text))
			return (int)k;
		if (nd[k].bytes &&
		    rp_find_units(p + off, len, nd[k].bytes, nd[k].nbytes, 1, false))
			return (int)k;
	}
	return -1;
}
