/* mbx_switchmsg_io.c - the switch and recreate messages in a mailbox's Inbox
 * (mbx_switchmsg.h, docs/switch-message.md). */
#include "mailbox/mbx_int.h"
#include "mailbox/mbx_rop.h"
#include "mailbox/mbx_switchmsg.h"

#include "base/rp_err.h"
#include "mapi/mapi_tag.h"

#include <stdlib.h>
#include <string.h>

#define TAG_MID 0x674A0014u
#define TAG_CLASS_W 0x001A001Fu
/* More than this many messages of one class is not a state reprofile makes. */
#define MAX_FOUND 8

/* The result of op, or RP_ENET naming the ROP that failed. */
static int result(const mbx_rop_resp *rs, size_t op, const mbx_rop_result **x)
{
	*x = mbx_rop_resp_for(rs, op);
	if (!*x)
		return rp_error_set(RP_ENET, "switch message: ROP %zu did not run", op);
	if ((*x)->rv && (*x)->rv != MBX_EC_WARN_WITH_ERRORS)
		return rp_error_set(RP_ENET, "switch message: %s failed with 0x%08X",
				    mbx_rop_name((*x)->rop), (*x)->rv);
	return RP_OK;
}

/* Appends Restrict(class) + QueryRows(MID) on table slot t. */
static const uint32_t mid_col[1] = {TAG_MID};

static int add_query(mbx_rop_req *r, uint8_t t, const char *cls)
{
	mapi_value v;
	mbx_res res;
	int rc = mapi_value_set_unicode(&v, TAG_CLASS_W, cls);
	if (rc == RP_OK)
		rc = mbx_res_content(&res, MBX_FL_FULLSTRING | MBX_FL_IGNORECASE, &v);
	mapi_value_free(&v);
	if (rc < 0)
		return rc;
	rc = mbx_rop_restrict(r, t, 0, &res);
	mbx_res_free(&res);
	if (rc == RP_OK)
		rc = mbx_rop_query_rows(r, t, 0, true, MAX_FOUND, mid_col, 1);
	return rc;
}

static size_t take_mids(const mbx_rop_result *q, uint64_t *mids)
{
	size_t n = 0;
	for (size_t i = 0; i < q->u.query.nrows && n < MAX_FOUND; i++) {
		const mapi_value *v = mbx_row_value(&q->u.query.rows[i], 0);
		if (v && v->tag == TAG_MID)
			mids[n++] = (uint64_t)v->u.i8;
	}
	return n;
}

/* Execute 1: the named-property IDs and the MIDs of each class in classes.
 * Ops: 0 GetIds, 1 OpenFolder, 2 GetContentsTable, 3 SetColumns, then
 * Restrict + QueryRows per class. */
static int find(mbx_send_fn send, void *ctx, mbx_mailbox *mb, bool create,
		const char *const *classes, size_t nclasses, uint16_t ids[MBX_SWM_NPROPS],
		uint64_t mids[][MAX_FOUND], size_t *nmids)
{
	mbx_propname names[MBX_SWM_NPROPS];
	rp_buf buf = RP_BUF_INIT;
	mbx_rop_req r;
	mbx_rop_resp rs;
	const mbx_rop_result *x;
	uint8_t ls, fs, ts;
	int rc;

	mbx_swm_names(names);
	mbx_rop_req_init(&r, mb->logon_id);
	mbx_rop_handle(&r, mb->logon_handle, &ls);
	mbx_rop_get_ids_from_names(&r, ls, create ? 0x02 : 0x00, names, MBX_SWM_NPROPS);
	mbx_rop_open_folder(&r, ls, mb->fids[MBX_FID_INBOX], 0, &fs);
	mbx_rop_get_contents_table(
	    &r, fs, MBX_TABLE_ASSOCIATED | MBX_TABLE_NO_NOTIFICATIONS | MBX_TABLE_UNICODE,
	    &ts);
	mbx_rop_set_columns(&r, ts, 0, mid_col, 1);
	rc = r.err;
	for (size_t i = 0; i < nclasses && rc == RP_OK; i++)
		rc = add_query(&r, ts, classes[i]);
	if (rc == RP_OK)
		rc = mbx_round_trip(send, ctx, mb, &r, &buf, &rs);
	else
		memset(&rs, 0, sizeof(rs));
	if (rc == RP_OK && (rc = result(&rs, 0, &x)) == RP_OK) {
		if (x->u.ids.n != MBX_SWM_NPROPS)
			rc = rp_error_set(RP_ENET,
					  "switch message: GetPropertyIdsFromNames "
					  "returned %zu IDs for %d names",
					  x->u.ids.n, MBX_SWM_NPROPS);
		for (size_t i = 0; rc == RP_OK && i < MBX_SWM_NPROPS; i++)
			ids[i] = x->u.ids.ids[i];
	}
	for (size_t op = 1; rc == RP_OK && op < 4; op++)
		rc = result(&rs, op, &x);
	for (size_t i = 0; rc == RP_OK && i < nclasses; i++) {
		if ((rc = result(&rs, 4 + 2 * i, &x)) == RP_OK &&
		    (rc = result(&rs, 5 + 2 * i, &x)) == RP_OK)
			nmids[i] = take_mids(x, mids[i]);
	}
	mbx_rop_resp_free(&rs);
	mbx_rop_req_free(&r);
	rp_buf_free(&buf);
	return rc;
}

int mbx_swm_write(mbx_send_fn send, void *ctx, mbx_mailbox *mb, const mbx_swm *m,
		  bool *created)
{
	const char *cls = m ? MBX_SWM_CLASS : MBX_SWM_RECREATE_CLASS;
	uint16_t ids[MBX_SWM_NPROPS];
	uint64_t mids[1][MAX_FOUND];
	size_t nmids[1] = {0}, nv = 0;
	mapi_value *v = NULL;
	rp_buf buf = RP_BUF_INIT;
	mbx_rop_req r;
	mbx_rop_resp rs;
	const mbx_rop_result *x;
	uint8_t ls, ms;
	int rc;

	*created = false;
	if (m && ((rc = mbx_swm_check_dn(m->target_dn)) < 0 ||
		  (rc = mbx_swm_check_smtp(m->target_smtp)) < 0))
		return rc;
	rc = find(send, ctx, mb, true, &cls, 1, ids, mids, nmids);
	if (rc == RP_OK)
		rc = m ? mbx_swm_build(m, ids, &v, &nv)
		       : mbx_swm_build_recreate(ids, &v, &nv);
	if (rc < 0)
		return rc;
	mbx_rop_req_init(&r, mb->logon_id);
	mbx_rop_handle(&r, mb->logon_handle, &ls);
	if (nmids[0])
		mbx_rop_open_message(&r, ls, 0x0FFF, mb->fids[MBX_FID_INBOX],
				     MBX_OPEN_READ_WRITE, mids[0][0], &ms);
	else
		mbx_rop_create_message(&r, ls, 0x0FFF, mb->fids[MBX_FID_INBOX], true,
				       &ms);
	mbx_rop_set_props(&r, ms, v, nv);
	mbx_rop_save_changes_message(&r, ms, ms, MBX_SAVE_KEEP_OPEN_READ_ONLY);
	mbx_rop_release(&r, ms);
	rc = r.err ? r.err : mbx_round_trip(send, ctx, mb, &r, &buf, &rs);
	if (r.err)
		memset(&rs, 0, sizeof(rs));
	for (size_t op = 0; rc == RP_OK && op < 3; op++)
		rc = result(&rs, op, &x);
	if (rc == RP_OK)
		x = mbx_rop_resp_for(&rs, 1); /* SetProperties */
	if (rc == RP_OK && x->u.problems.n)
		rc = rp_error_set(RP_ENET,
				  "switch message: SetProperties refused %zu "
				  "properties (first 0x%08X: 0x%08X)",
				  x->u.problems.n, x->u.problems.p[0].tag,
				  x->u.problems.p[0].err);
	*created = rc == RP_OK && !nmids[0];
	mbx_rop_resp_free(&rs);
	mbx_rop_req_free(&r);
	rp_buf_free(&buf);
	mbx_props_free(v, nv);
	return rc;
}

int mbx_swm_read(mbx_send_fn send, void *ctx, mbx_mailbox *mb, mbx_swm *out,
		 bool *recreate)
{
	static const char *const classes[2] = {MBX_SWM_CLASS, MBX_SWM_RECREATE_CLASS};
	uint16_t ids[MBX_SWM_NPROPS];
	uint32_t cols[MBX_SWM_NCOLS];
	uint64_t mids[2][MAX_FOUND];
	size_t nmids[2] = {0, 0};
	rp_buf buf = RP_BUF_INIT;
	mbx_rop_req r;
	mbx_rop_resp rs;
	const mbx_rop_result *x;
	uint8_t ls, ms;
	int rc;

	memset(out, 0, sizeof(*out));
	*recreate = false;
	rc = find(send, ctx, mb, false, classes, 2, ids, mids, nmids);
	if (rc < 0)
		return rc;
	if (nmids[0] > 1)
		return rp_error_set(RP_EFORMAT,
				    "switch message: %zu messages of class %s in the "
				    "Inbox, expected one",
				    nmids[0], MBX_SWM_CLASS);
	if (!nmids[0] && !nmids[1])
		return rp_error_set(RP_ENOTFOUND, "no switch message in the Inbox");
	/* A name the mailbox never saw (ID 0) is on no message: a message of
	 * our class then lacks that property. */
	for (int i = 0; i < MBX_SWM_NPROPS; i++)
		if (!ids[i] && (nmids[0] || i == MBX_SWM_P_VERSION))
			return rp_error_set(RP_EFORMAT,
					    "switch message: property %s is missing",
					    mbx_swm_prop_name(i));
	mbx_swm_columns(ids, cols);
	mbx_rop_req_init(&r, mb->logon_id);
	mbx_rop_handle(&r, mb->logon_handle, &ls);
	for (size_t k = 0; k < 2; k++) {
		if (!nmids[k])
			continue;
		mbx_rop_open_message(&r, ls, 0x0FFF, mb->fids[MBX_FID_INBOX],
				     MBX_OPEN_READ_ONLY, mids[k][0], &ms);
		mbx_rop_get_props_specific(&r, ms, 0, true, cols, MBX_SWM_NCOLS);
		mbx_rop_release(&r, ms);
	}
	rc = r.err ? r.err : mbx_round_trip(send, ctx, mb, &r, &buf, &rs);
	if (r.err)
		memset(&rs, 0, sizeof(rs));
	for (size_t k = 0, op = 0; rc == RP_OK && k < 2; k++) {
		if (!nmids[k])
			continue;
		if ((rc = result(&rs, op, &x)) == RP_OK &&
		    (rc = result(&rs, op + 1, &x)) == RP_OK) {
			if (k == 0)
				rc = mbx_swm_parse(&x->u.props, ids, out);
			else if ((rc = mbx_swm_parse_recreate(&x->u.props, ids)) == RP_OK)
				*recreate = true;
		}
		op += 3;
	}
	if (rc == RP_OK && !nmids[0])
		rc = rp_error_set(RP_ENOTFOUND, "no switch message in the Inbox");
	mbx_rop_resp_free(&rs);
	mbx_rop_req_free(&r);
	rp_buf_free(&buf);
	return rc;
}
