/* fuzz_rop_response.c - libFuzzer target for the ROP response walker.
 *
 * Input: byte 0 = number of ROPs k (1..8, modulo), bytes 1..k pick each ROP
 * from the table below (modulo), the rest is the ROP output buffer the
 * server sent (RopSize + responses + handle table). The request is built
 * with two known handles and default arguments.
 *
 * Properties: parsing never crashes or reads out of bounds; a failure sets
 * a message; on success every parsed row re-encodes and decodes again, and
 * the resend tail (after RopBackoff/RopBufferTooSmall) can be built. */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mailbox/mbx_rop.h"
#include "mapi/mapi_tag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t rops[] = {MBX_ROP_LOGON,
			       MBX_ROP_RELEASE,
			       MBX_ROP_GET_RECEIVE_FOLDER,
			       MBX_ROP_LTID_FROM_ID,
			       MBX_ROP_ID_FROM_LTID,
			       MBX_ROP_OPEN_FOLDER,
			       MBX_ROP_CREATE_FOLDER,
			       MBX_ROP_DELETE_FOLDER,
			       MBX_ROP_GET_HIERARCHY_TABLE,
			       MBX_ROP_GET_CONTENTS_TABLE,
			       MBX_ROP_DELETE_MESSAGES,
			       MBX_ROP_SET_COLUMNS,
			       MBX_ROP_SORT_TABLE,
			       MBX_ROP_RESTRICT,
			       MBX_ROP_QUERY_ROWS,
			       MBX_ROP_FIND_ROW,
			       MBX_ROP_OPEN_MESSAGE,
			       MBX_ROP_CREATE_MESSAGE,
			       MBX_ROP_SAVE_CHANGES_MESSAGE,
			       MBX_ROP_GET_PROPS_SPECIFIC,
			       MBX_ROP_GET_PROPS_ALL,
			       MBX_ROP_GET_PROPS_LIST,
			       MBX_ROP_SET_PROPS,
			       MBX_ROP_DELETE_PROPS,
			       MBX_ROP_GET_IDS_FROM_NAMES,
			       MBX_ROP_GET_NAMES_FROM_IDS,
			       MBX_ROP_OPEN_STREAM,
			       MBX_ROP_READ_STREAM,
			       MBX_ROP_WRITE_STREAM,
			       MBX_ROP_COMMIT_STREAM,
			       MBX_ROP_SET_STREAM_SIZE,
			       MBX_ROP_GET_RULES_TABLE,
			       MBX_ROP_MODIFY_RULES,
			       MBX_ROP_GET_PERMISSIONS_TABLE,
			       MBX_ROP_MODIFY_PERMISSIONS};

/* Columns for rows: a typed column, a string, a binary, an error-prone long. */
static const uint32_t cols[4] = {0x80000000, PR_DISPLAY_NAME_W, 0x0FFF0102, 0x36020003};

static void build(mbx_rop_req *r, uint8_t rop)
{
	static const uint8_t ltid[24] = {0};
	mbx_propname name = {MBX_PNAME_STRING, {0}, 0, "n"};
	uint16_t id = 0x8001;
	uint64_t mid = 1;
	mbx_sort s = {PR_DISPLAY_NAME_W, 0};
	mbx_res res = {0};
	mapi_value v;
	mbx_rowmod row = {MBX_ROW_ADD, &v, 1};
	uint8_t out;

	res.type = MBX_RES_EXIST;
	res.tag = PR_DISPLAY_NAME_W;
	mapi_value_set_long(&v, 0x66730003, 0x400);
	switch (rop) {
	case MBX_ROP_LOGON:
		mbx_rop_logon(r, MBX_LOGON_PRIVATE, MBX_OPEN_PRIVATE_DEFAULT, 0, "/o=x",
			      &out);
		break;
	case MBX_ROP_RELEASE:
		mbx_rop_release(r, 1);
		break;
	case MBX_ROP_GET_RECEIVE_FOLDER:
		mbx_rop_get_receive_folder(r, 0, "");
		break;
	case MBX_ROP_LTID_FROM_ID:
		mbx_rop_ltid_from_id(r, 0, 1);
		break;
	case MBX_ROP_ID_FROM_LTID:
		mbx_rop_id_from_ltid(r, 0, ltid);
		break;
	case MBX_ROP_OPEN_FOLDER:
		mbx_rop_open_folder(r, 0, 1, 0, &out);
		break;
	case MBX_ROP_CREATE_FOLDER:
		mbx_rop_create_folder(r, 0, 1, true, true, "f", "", &out);
		break;
	case MBX_ROP_DELETE_FOLDER:
		mbx_rop_delete_folder(r, 0, 0, 1);
		break;
	case MBX_ROP_GET_HIERARCHY_TABLE:
		mbx_rop_get_hierarchy_table(r, 0, 0, &out);
		break;
	case MBX_ROP_GET_CONTENTS_TABLE:
		mbx_rop_get_contents_table(r, 0, 0, &out);
		break;
	case MBX_ROP_DELETE_MESSAGES:
		mbx_rop_delete_messages(r, 0, false, false, &mid, 1);
		break;
	case MBX_ROP_SET_COLUMNS:
		mbx_rop_set_columns(r, 1, 0, cols, 4);
		break;
	case MBX_ROP_SORT_TABLE:
		mbx_rop_sort_table(r, 1, 0, &s, 1, 0, 0);
		break;
	case MBX_ROP_RESTRICT:
		mbx_rop_restrict(r, 1, 0, &res);
		break;
	case MBX_ROP_QUERY_ROWS:
		mbx_rop_query_rows(r, 1, 0, true, 10, cols, 4);
		break;
	case MBX_ROP_FIND_ROW:
		mbx_rop_find_row(r, 1, 0, &res, 0, NULL, 0, cols, 4);
		break;
	case MBX_ROP_OPEN_MESSAGE:
		mbx_rop_open_message(r, 0, 0x0FFF, 1, 0, 2, &out);
		break;
	case MBX_ROP_CREATE_MESSAGE:
		mbx_rop_create_message(r, 0, 0x0FFF, 1, true, &out);
		break;
	case MBX_ROP_SAVE_CHANGES_MESSAGE:
		mbx_rop_save_changes_message(r, 1, 1, 0x0A);
		break;
	case MBX_ROP_GET_PROPS_SPECIFIC:
		mbx_rop_get_props_specific(r, 0, 0, true, cols, 4);
		break;
	case MBX_ROP_GET_PROPS_ALL:
		mbx_rop_get_props_all(r, 0, 0, true);
		break;
	case MBX_ROP_GET_PROPS_LIST:
		mbx_rop_get_props_list(r, 0);
		break;
	case MBX_ROP_SET_PROPS:
		mbx_rop_set_props(r, 0, &v, 1);
		break;
	case MBX_ROP_DELETE_PROPS:
		mbx_rop_delete_props(r, 0, cols, 4);
		break;
	case MBX_ROP_GET_IDS_FROM_NAMES:
		mbx_rop_get_ids_from_names(r, 0, 2, &name, 1);
		break;
	case MBX_ROP_GET_NAMES_FROM_IDS:
		mbx_rop_get_names_from_ids(r, 0, &id, 1);
		break;
	case MBX_ROP_OPEN_STREAM:
		mbx_rop_open_stream(r, 0, 0x1000001F, 0, &out);
		break;
	case MBX_ROP_READ_STREAM:
		mbx_rop_read_stream(r, 1, 0x1000, 0);
		break;
	case MBX_ROP_WRITE_STREAM:
		mbx_rop_write_stream(r, 1, "ab", 2);
		break;
	case MBX_ROP_COMMIT_STREAM:
		mbx_rop_commit_stream(r, 1);
		break;
	case MBX_ROP_SET_STREAM_SIZE:
		mbx_rop_set_stream_size(r, 1, 9);
		break;
	case MBX_ROP_GET_RULES_TABLE:
		mbx_rop_get_rules_table(r, 0, 0x40, &out);
		break;
	case MBX_ROP_MODIFY_RULES:
		mbx_rop_modify_rules(r, 0, 0, &row, 1);
		break;
	case MBX_ROP_GET_PERMISSIONS_TABLE:
		mbx_rop_get_permissions_table(r, 0, 0, &out);
		break;
	default:
		mbx_rop_modify_permissions(r, 0, 0, &row, 1);
		break;
	}
	mapi_value_free(&v);
}

static void check_row(const mbx_row *row, const uint32_t *c, size_t n)
{
	rp_buf b = RP_BUF_INIT;
	mbx_row back;
	rp_cur cur;
	if (mbx_row_encode(&b, row, c, n) != RP_OK)
		abort();
	rp_cur_init(&cur, b.data, b.len);
	if (mbx_row_decode(&cur, c, n, &back) != RP_OK || rp_cur_left(&cur))
		abort();
	mbx_row_free(&back);
	rp_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mbx_rop_req r, tail;
	mbx_rop_resp resp;
	size_t k, i;
	uint8_t idx;

	if (size < 2)
		return 0;
	k = (size_t)(data[0] % 8) + 1;
	if (size < 1 + k)
		return 0;
	mbx_rop_req_init(&r, 0);
	mbx_rop_handle(&r, 0x10, &idx);
	mbx_rop_handle(&r, 0x11, &idx);
	for (i = 0; i < k; i++)
		build(&r, rops[data[1 + i] % sizeof(rops)]);
	if (r.err) {
		mbx_rop_req_free(&r);
		return 0;
	}
	if (mbx_rop_resp_parse(&r, data + 1 + k, size - 1 - k, &resp) == RP_OK) {
		for (i = 0; i < resp.n; i++) {
			const mbx_rop_result *x = &resp.res[i];
			const mbx_rop_op *op = &r.ops[x->op];
			if (x->rv)
				continue;
			if (x->rop == MBX_ROP_QUERY_ROWS)
				for (size_t j = 0; j < x->u.query.nrows; j++)
					check_row(&x->u.query.rows[j], op->cols,
						  op->ncols);
			if (x->rop == MBX_ROP_GET_PROPS_SPECIFIC)
				check_row(&x->u.props, op->cols, op->ncols);
		}
		if (resp.next_op < r.nops) {
			if (mbx_rop_req_tail(&r, resp.next_op, resp.handles,
					     resp.nhandles, &tail) != RP_OK)
				abort();
			mbx_rop_req_free(&tail);
		}
	} else if (rp_error_msg()[0] == '\0') {
		abort();
	}
	mbx_rop_resp_free(&resp);
	mbx_rop_req_free(&r);
	rp_error_clear();
	return 0;
}
