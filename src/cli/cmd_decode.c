/* cmd_decode.c - `reprofile decode`: the helpdesk view of one entry ID or
 * one profile registry value.
 *
 *   reprofile decode entryid HEX [--json]
 *   reprofile decode value TAG HEX [--json] [--regtype binary|sz|dword|qword|N]
 *
 * HEX may contain spaces, commas and colons (a .reg "hex:" list pastes as
 * is). TAG is a registry value name ("001f6641"), a number ("0x6641001F") or
 * a tag name. Binary items that are entry IDs are decoded below the value.
 * Exit 0 on success, 1 on bad input (one line on stderr), 2 on usage. */
#include "commands.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_json.h"
#include "base/rp_str.h"
#include "mapi/mapi_eid.h"
#include "mapi/mapi_tag.h"
#include "mapi/mapi_value.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: reprofile decode entryid HEX [--json]\n"
			"       reprofile decode value TAG HEX [--json] "
			"[--regtype binary|sz|expand_sz|dword|qword|N]\n");
	return 2;
}

static int fail(const char *what)
{
	fprintf(stderr, "reprofile decode: %s: %s\n", what, rp_error_msg());
	return 1;
}

/* Hex text -> bytes; accepts an optional "hex:" or "0x" prefix. */
static int parse_hex(const char *s, rp_buf *b)
{
	if (strncmp(s, "hex:", 4) == 0)
		s += 4;
	else if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	return rp_unhex(s, b);
}

static int flush(rp_buf *out)
{
	if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len)
		return 1;
	return fflush(stdout) ? 1 : 0;
}

/* An item worth showing as an entry ID: decodes and has a known layout. */
static bool as_eid(const uint8_t *p, size_t n, eid *e)
{
	memset(e, 0, sizeof(*e));
	if (n < 20 || eid_decode(e, p, n) != RP_OK) {
		eid_free(e);
		rp_error_clear();
		return false;
	}
	if (e->kind == EID_OPAQUE) {
		eid_free(e);
		return false;
	}
	return true;
}

static int decode_entryid(const char *hex, bool json)
{
	rp_buf in = RP_BUF_INIT, out = RP_BUF_INIT;
	rp_json j;
	eid e;
	int rc;

	if (parse_hex(hex, &in) < 0) {
		rp_buf_free(&in);
		return fail("entry ID hex");
	}
	rc = eid_decode(&e, in.data, in.len);
	if (rc < 0) {
		eid_free(&e);
		rp_buf_free(&in);
		return fail("entry ID");
	}
	if (json) {
		rp_json_init(&j, &out);
		eid_render_json(&e, &j);
		rc = rp_json_finish(&j);
	} else {
		rc = rp_buf_printf(&out, "entry ID, %zu bytes\n", in.len);
		if (rc == RP_OK)
			rc = eid_render_text(&e, &out, 2);
	}
	eid_free(&e);
	rp_buf_free(&in);
	if (rc < 0) {
		rp_buf_free(&out);
		return fail("entry ID");
	}
	rc = flush(&out);
	rp_buf_free(&out);
	return rc;
}

static bool parse_regtype(const char *s, uint32_t *rt)
{
	static const struct {
		const char *name;
		uint32_t v;
	} names[] = {{"binary", MAPI_REG_BINARY},
		     {"sz", MAPI_REG_SZ},
		     {"expand_sz", MAPI_REG_EXPAND_SZ},
		     {"dword", MAPI_REG_DWORD},
		     {"qword", MAPI_REG_QWORD}};
	char *end;
	size_t i;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (rp_ascii_casecmp(s, names[i].name) == 0) {
			*rt = names[i].v;
			return true;
		}
	*rt = (uint32_t)strtoul(s, &end, 0);
	return *s && !*end;
}

static const char *regtype_name(uint32_t rt)
{
	switch (rt) {
	case MAPI_REG_SZ:
		return "REG_SZ";
	case MAPI_REG_EXPAND_SZ:
		return "REG_EXPAND_SZ";
	case MAPI_REG_BINARY:
		return "REG_BINARY";
	case MAPI_REG_DWORD:
		return "REG_DWORD";
	case MAPI_REG_QWORD:
		return "REG_QWORD";
	default:
		return "other";
	}
}

/* Entry IDs inside a PT_BINARY / PT_MV_BINARY value. */
static int text_eids(const mapi_value *v, rp_buf *out)
{
	uint16_t type = PROP_TYPE(v->tag);
	size_t i, n = type == PT_BINARY ? 1 : v->count;
	int rc = RP_OK;
	if (v->opaque || (type != PT_BINARY && type != PT_MV_BINARY))
		return RP_OK;
	for (i = 0; i < n && rc == RP_OK; i++) {
		const mapi_bin *b = type == PT_BINARY ? &v->bin : &v->mv[i];
		eid e;
		if (!as_eid(b->p, b->n, &e))
			continue;
		rc = rp_buf_printf(out, "entry ID (item %zu, %zu bytes):\n", i, b->n);
		if (rc == RP_OK)
			rc = eid_render_text(&e, out, 2);
		eid_free(&e);
	}
	return rc;
}

static void json_eids(const mapi_value *v, rp_json *j)
{
	uint16_t type = PROP_TYPE(v->tag);
	size_t i, n = type == PT_BINARY ? 1 : v->count;
	rp_json_key(j, "entry_ids");
	rp_json_arr_begin(j);
	for (i = 0; !v->opaque && (type == PT_BINARY || type == PT_MV_BINARY) && i < n;
	     i++) {
		const mapi_bin *b = type == PT_BINARY ? &v->bin : &v->mv[i];
		eid e;
		if (!as_eid(b->p, b->n, &e))
			continue;
		rp_json_obj_begin(j);
		rp_json_kuint(j, "item", i);
		rp_json_key(j, "entry_id");
		eid_render_json(&e, j);
		rp_json_obj_end(j);
		eid_free(&e);
	}
	rp_json_arr_end(j);
}

static int decode_value(const char *tagarg, const char *hex, bool json, uint32_t regtype)
{
	rp_buf in = RP_BUF_INIT, out = RP_BUF_INIT;
	mapi_value v;
	uint32_t tag;
	char regname[9];
	const char *name, *tn;
	rp_json j;
	int rc;

	if (!mapi_tag_parse(tagarg, &tag)) {
		fprintf(stderr,
			"reprofile decode: tag '%s' is neither a registry value name "
			"(001f6641), a number (0x6641001F) nor a known tag name\n",
			tagarg);
		return 1;
	}
	if (parse_hex(hex, &in) < 0) {
		rp_buf_free(&in);
		return fail("value hex");
	}
	mapi_tag_to_regname(tag, regname);
	rc = mapi_value_decode(&v, tag, regtype, in.data, in.len);
	rp_buf_free(&in);
	if (rc < 0) {
		mapi_value_free(&v);
		rp_error_wrap(rc, "value %s", regname);
		return fail("value");
	}
	name = mapi_tag_name(tag);
	tn = mapi_type_name(PROP_TYPE(tag));
	if (json) {
		rp_json_init(&j, &out);
		rp_json_obj_begin(&j);
		rp_json_key(&j, "value");
		mapi_value_render_json(&v, &j);
		json_eids(&v, &j);
		rp_json_obj_end(&j);
		rc = rp_json_finish(&j);
	} else {
		rc = rp_buf_printf(
		    &out, "tag: 0x%08" PRIX32 " (%s) %s\ntype: %s\nregtype: %s\n", tag,
		    regname, name ? name : "(unknown)", tn ? tn : "(unknown)",
		    regtype_name(regtype));
		if (rc == RP_OK && v.width != MAPI_MV_WIDTH_NONE)
			rc = rp_buf_printf(&out, "width: %s\n",
					   v.width == MAPI_MV_WIDTH_32 ? "32-bit"
								       : "64-bit");
		if (rc == RP_OK && (PROP_TYPE(tag) & MV_FLAG) && !v.opaque)
			rc = rp_buf_printf(&out, "count: %zu\n", v.count);
		if (rc == RP_OK)
			rc = rp_buf_puts(&out, "value: ");
		if (rc == RP_OK)
			rc = mapi_value_render(&v, &out);
		if (rc == RP_OK)
			rc = rp_buf_u8(&out, '\n');
		if (rc == RP_OK)
			rc = text_eids(&v, &out);
	}
	mapi_value_free(&v);
	if (rc < 0) {
		rp_buf_free(&out);
		return fail("value");
	}
	rc = flush(&out);
	rp_buf_free(&out);
	return rc;
}

int rp_cmd_decode(int argc, char **argv)
{
	const char *pos[3] = {NULL, NULL, NULL};
	uint32_t regtype = MAPI_REG_BINARY;
	bool json = false;
	int i, npos = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--regtype") == 0) {
			if (++i >= argc || !parse_regtype(argv[i], &regtype)) {
				fprintf(stderr,
					"reprofile decode: --regtype needs binary, sz, "
					"expand_sz, dword, qword or a number\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage();
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			fprintf(stderr, "reprofile decode: unknown option '%s'\n",
				argv[i]);
			return 2;
		} else if (npos < 3) {
			pos[npos++] = argv[i];
		} else {
			return usage();
		}
	}
	if (npos == 2 && strcmp(pos[0], "entryid") == 0)
		return decode_entryid(pos[1], json);
	if (npos == 3 && strcmp(pos[0], "value") == 0)
		return decode_value(pos[1], pos[2], json, regtype);
	return usage();
}
