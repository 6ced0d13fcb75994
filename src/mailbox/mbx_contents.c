/* mbx_contents.c - a folder's contents table read in as few Execute
 * requests as the ROP chain allows (mbx_contents.h). */
#include "mailbox/mbx_contents.h"
#include "mailbox/mbx_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>

/* Columns (MS-OXPROPS). */
#define TAG_MID 0x674A0014u
#define TAG_MESSAGE_CLASS_W 0x001A001Fu
#define TAG_SUBJECT_W 0x0037001Fu
#define TAG_ENTRY_ID 0x0FFF0102u
#define TAG_MESSAGE_SIZE 0x0E080003u
#define TAG_LAST_MODIFIED 0x30080040u
static const uint32_t cols[] = {TAG_MID,      TAG_MESSAGE_CLASS_W, TAG_SUBJECT_W,
				TAG_ENTRY_ID, TAG_MESSAGE_SIZE,    TAG_LAST_MODIFIED};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))
/* Rows asked per RopQueryRows; the server answers what fits one payload. */
#define ROWS_PER_QUERY 1000
/* A sanity cap on one table, not a protocol limit. */
#define MAX_MESSAGES 100000

struct list {
	mbx_message *v;
	size_t n, cap;
};

void mbx_messages_free(mbx_message *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++) {
		free(m[i].message_class);
		free(m[i].subject);
		free(m[i].entry_id);
	}
	free(m);
}

static int utf8_of(const mapi_value *v, char **out)
{
	size_t n = v->bin.n >= 2 ? v->bin.n - 2 : 0; /* the terminator is kept */
	return rp_utf16le_to_utf8(v->bin.p, n, out);
}

static int add_row(struct list *l, const mbx_row *row)
{
	const mapi_value *v[NCOLS];
	int rc = RP_OK;
	if (l->n == MAX_MESSAGES)
		return rp_error_set(RP_ELIMIT, "contents table of over %d messages",
				    MAX_MESSAGES);
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 32;
		mbx_message *nv = realloc(l->v, nc * sizeof(*nv));
		if (!nv)
			return rp_error_set(RP_ENOMEM, "out of memory");
		l->v = nv;
		l->cap = nc;
	}
	for (size_t i = 0; i < NCOLS; i++) {
		v[i] = i < row->n ? mbx_row_value(row, i) : NULL;
		if (v[i] && v[i]->tag != cols[i])
			v[i] = NULL; /* an error or another type: absent */
	}
	mbx_message *d = &l->v[l->n++];
	memset(d, 0, sizeof(*d));
	d->mid = v[0] ? (uint64_t)v[0]->u.i8 : 0;
	if (v[1])
		rc = utf8_of(v[1], &d->message_class);
	if (!rc && v[2])
		rc = utf8_of(v[2], &d->subject);
	if (!rc && v[3] && v[3]->bin.n) {
		if (!(d->entry_id = malloc(v[3]->bin.n)))
			return rp_error_set(RP_ENOMEM, "out of memory");
		memcpy(d->entry_id, v[3]->bin.p, v[3]->bin.n);
		d->entry_id_len = v[3]->bin.n;
	}
	d->size = v[4] ? (uint32_t)v[4]->u.l : 0;
	d->modified = v[5] ? v[5]->u.ft : 0;
	return rc;
}

int mbx_round_trip(mbx_send_fn send, void *ctx, mbx_mailbox *mb, mbx_rop_req *r,
		   rp_buf *out, mbx_rop_resp *rs)
{
	rp_buf in = RP_BUF_INIT;
	int rc = mbx_rop_req_finish(r, &in);
	memset(rs, 0, sizeof(*rs));
	out->len = 0;
	if (!rc) {
		mb->executes++;
		rc = send(ctx, in.data, in.len, out);
	}
	if (!rc)
		rc = mbx_rop_resp_parse(r, out->data, out->len, rs);
	rp_buf_free(&in);
	return rc;
}

static int take_rows(struct list *l, const mbx_rop_result *q)
{
	int rc = RP_OK;
	for (size_t i = 0; q && i < q->u.query.nrows && !rc; i++)
		rc = add_row(l, &q->u.query.rows[i]);
	return rc;
}

int mbx_folder_messages(mbx_send_fn send, void *ctx, mbx_mailbox *mb, uint64_t fid,
			bool associated, mbx_message **out, size_t *nout)
{
	struct list l = {NULL, 0, 0};
	rp_buf buf = RP_BUF_INIT;
	mbx_rop_req r;
	mbx_rop_resp rs;
	uint8_t ls, fs, ts;
	uint32_t total = 0, table = MBX_HANDLE_NONE;
	int rc;

	*out = NULL;
	*nout = 0;
	mbx_rop_req_init(&r, mb->logon_id);
	mbx_rop_handle(&r, mb->logon_handle, &ls);
	mbx_rop_open_folder(&r, ls, fid, 0, &fs);
	mbx_rop_get_contents_table(&r, fs,
				   (associated ? MBX_TABLE_ASSOCIATED : 0) |
				       MBX_TABLE_NO_NOTIFICATIONS | MBX_TABLE_UNICODE,
				   &ts);
	mbx_rop_set_columns(&r, ts, 0, cols, NCOLS);
	mbx_rop_query_rows(&r, ts, 0, true, ROWS_PER_QUERY, NULL, 0);
	rc = mbx_round_trip(send, ctx, mb, &r, &buf, &rs);
	for (size_t op = 0; !rc && op < 4; op++) {
		const mbx_rop_result *x = mbx_rop_resp_for(&rs, op);
		if (!x)
			rc = rp_error_set(RP_ENET, "contents table: ROP %zu did not run",
					  op);
		else if (x->rv)
			rc = rp_error_set(
			    x->rv == MBX_EC_NOT_FOUND ? RP_ENOTFOUND : RP_ENET,
			    "contents table: %s failed with 0x%08X%s",
			    mbx_rop_name(x->rop), x->rv,
			    x->rv == MBX_EC_NOT_FOUND ? " (no such folder)" : "");
		else if (x->rop == MBX_ROP_GET_CONTENTS_TABLE)
			total = x->u.row_count;
		else if (x->rop == MBX_ROP_QUERY_ROWS)
			rc = take_rows(&l, x);
	}
	if (!rc)
		table = mbx_rop_resp_handle(&rs, ts);
	mbx_rop_resp_free(&rs);
	mbx_rop_req_free(&r);
	/* The rest, one RopQueryRows per Execute, until the table ends. */
	while (!rc && l.n < total) {
		size_t before = l.n;
		uint8_t t;
		mbx_rop_req_init(&r, mb->logon_id);
		mbx_rop_handle(&r, table, &t);
		mbx_rop_query_rows(&r, t, 0, true, ROWS_PER_QUERY, cols, NCOLS);
		rc = mbx_round_trip(send, ctx, mb, &r, &buf, &rs);
		const mbx_rop_result *q = rc ? NULL : mbx_rop_resp_for(&rs, 0);
		if (!rc && (!q || q->rv))
			rc = rp_error_set(RP_ENET,
					  "contents table: RopQueryRows failed with "
					  "0x%08X",
					  q ? q->rv : 0);
		if (!rc)
			rc = take_rows(&l, q);
		mbx_rop_resp_free(&rs);
		mbx_rop_req_free(&r);
		if (!rc && l.n == before)
			break; /* the table ended early (a message went away) */
	}
	rp_buf_free(&buf);
	if (rc) {
		mbx_messages_free(l.v, l.n);
		return rc;
	}
	*out = l.v;
	*nout = l.n;
	return RP_OK;
}

int mbx_folder_props(mbx_send_fn send, void *ctx, mbx_mailbox *mb, uint64_t fid,
		     mapi_value **v, size_t *n)
{
	rp_buf buf = RP_BUF_INIT;
	mbx_rop_req r;
	mbx_rop_resp rs;
	uint8_t ls, fs;
	int rc;

	*v = NULL;
	*n = 0;
	mbx_rop_req_init(&r, mb->logon_id);
	mbx_rop_handle(&r, mb->logon_handle, &ls);
	mbx_rop_open_folder(&r, ls, fid, 0, &fs);
	/* PropertySizeLimit 0: values of any size (MS-OXCPRPT 2.2.2.1). */
	mbx_rop_get_props_all(&r, fs, 0, true);
	rc = mbx_round_trip(send, ctx, mb, &r, &buf, &rs);
	for (size_t op = 0; !rc && op < 2; op++) {
		const mbx_rop_result *x = mbx_rop_resp_for(&rs, op);
		if (!x)
			rc = rp_error_set(RP_ENET,
					  "folder properties: ROP %zu did not run", op);
		else if (x->rv)
			rc = rp_error_set(
			    x->rv == MBX_EC_NOT_FOUND ? RP_ENOTFOUND : RP_ENET,
			    "folder properties: %s failed with 0x%08X%s",
			    mbx_rop_name(x->rop), x->rv,
			    x->rv == MBX_EC_NOT_FOUND ? " (no such folder)" : "");
	}
	/* Take the values over from the response (rs is ours to change). */
	for (size_t i = 0; !rc && i < rs.n; i++)
		if (rs.res[i].rop == MBX_ROP_GET_PROPS_ALL) {
			*v = rs.res[i].u.all.v;
			*n = rs.res[i].u.all.n;
			rs.res[i].u.all.v = NULL;
			rs.res[i].u.all.n = 0;
		}
	mbx_rop_resp_free(&rs);
	mbx_rop_req_free(&r);
	rp_buf_free(&buf);
	return rc;
}
