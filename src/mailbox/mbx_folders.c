/* mbx_folders.c - hierarchy read and folder map (mbx_folders.h). */
#include "mailbox/mbx_folders.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_tag.h"
#include "platform/plat.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* One Execute's ROP buffer is at most 32 KiB: ask for more rows than fit;
 * the server sends whole rows up to its limit (MS-OXCTABL 3.2.5.5). */
#define ROWS_PER_QUERY 0x1000
/* Resends after RopBackoff / RopBufferTooSmall before giving up. */
#define MAX_RESENDS 3

static const char *const role_names[MBX_ROLE_COUNT] = {
    "root",      "deferred_action", "spooler_queue",  "ipm_subtree",     "inbox",
    "outbox",    "sent_items",      "deleted_items",  "common_views",    "schedule",
    "finder",    "views",           "shortcuts",      "calendar",        "contacts",
    "journal",   "notes",           "tasks",          "reminders",       "drafts",
    "conflicts", "sync_issues",     "local_failures", "server_failures", "junk"};

const char *mbx_role_name(int role)
{
	return role >= 0 && role < MBX_ROLE_COUNT ? role_names[role] : NULL;
}

int mbx_role_by_name(const char *name)
{
	for (int i = 0; i < MBX_ROLE_COUNT; i++)
		if (rp_ascii_casecmp(name, role_names[i]) == 0)
			return i;
	return MBX_ROLE_NONE;
}

/* Entry IDs of special folders on the root and the Inbox (MS-OXOSFLD 2.2.3),
 * in the order of MBX_ROLE_CALENDAR..DRAFTS, then the multi-valued
 * PidTagAdditionalRenEntryIds (conflicts, sync issues, local failures,
 * server failures, junk). */
static const uint32_t role_tags[8] = {0x36D00102, 0x36D10102, 0x36D20102, 0x36D30102,
				      0x36D40102, 0x36D50102, 0x36D70102, 0x36D81102};

/* Hierarchy-table columns. */
enum { C_FID, C_PARENT, C_NAME, C_EID, C_CLASS, C_COUNT, C_ASSOC, NCOLS };
static const uint32_t cols[NCOLS] = {0x67480014, 0x67490014, PR_DISPLAY_NAME_W,
				     0x0FFF0102, 0x3613001F, 0x36020003,
				     0x36170003};

void mbx_mailbox_free(mbx_mailbox *mb)
{
	if (!mb)
		return;
	for (size_t i = 0; mb->f && i < mb->n; i++) {
		free(mb->f[i].name);
		free(mb->f[i].path);
		free(mb->f[i].container_class);
		free(mb->f[i].eid);
	}
	free(mb->f);
	mb->f = NULL;
	mb->n = 0;
}

/* Sends r, parses the answer into resp, counts the Execute. */
static int round_trip(mbx_send_fn send, void *ctx, mbx_mailbox *mb, mbx_rop_req *r,
		      rp_buf *out, mbx_rop_resp *resp)
{
	rp_buf req = RP_BUF_INIT;
	int rc = mbx_rop_req_finish(r, &req);

	memset(resp, 0, sizeof(*resp));
	out->len = 0;
	if (rc == RP_OK) {
		mb->executes++;
		rc = send(ctx, req.data, req.len, out);
	}
	if (rc == RP_OK)
		rc = mbx_rop_resp_parse(r, out->data, out->len, resp);
	rp_buf_free(&req);
	return rc;
}

/* Sends r until every ROP ran: after RopBackoff waits as asked, after
 * RopBufferTooSmall resends the rest in a new Execute (MS-OXCROPS 3.1.5.1).
 * results receives one pointer per op of r (NULL for RopRelease), owned by
 * resps[]; the caller frees resps[0..*nresps). */
static int run(mbx_send_fn send, void *ctx, mbx_mailbox *mb, mbx_rop_req *r, rp_buf *out,
	       mbx_rop_resp *resps, size_t *nresps, const mbx_rop_result **results)
{
	mbx_rop_req cur = *r, tail;
	size_t base = 0;
	bool owned = false;
	int rc = RP_OK;

	*nresps = 0;
	for (int i = 0; i <= MAX_RESENDS; i++) {
		mbx_rop_resp *resp = &resps[(*nresps)++];
		rc = round_trip(send, ctx, mb, &cur, out, resp);
		if (rc < 0)
			break;
		for (size_t k = 0; k < resp->n; k++)
			results[base + resp->res[k].op] = &resp->res[k];
		if (resp->next_op >= cur.nops)
			break;
		if (i == MAX_RESENDS) {
			rc = rp_error_set(RP_ENET, "the server still %s after %d resends",
					  resp->backoff ? "asks to back off"
							: "lacks room",
					  MAX_RESENDS);
			break;
		}
		if (resp->backoff)
			plat_sleep_ms(
			    resp->bo.duration_ms > 60000 ? 60000 : resp->bo.duration_ms);
		rc = mbx_rop_req_tail(&cur, resp->next_op, resp->handles, resp->nhandles,
				      &tail);
		if (rc < 0)
			break;
		base += resp->next_op;
		if (owned)
			mbx_rop_req_free(&cur);
		cur = tail;
		owned = true;
	}
	if (owned)
		mbx_rop_req_free(&cur);
	return rc;
}

static int logon_error(uint32_t rv)
{
	switch (rv) {
	case 0x000003F2: /* ecLoginPerm */
	case 0x80040111: /* ecLoginFailure */
	case 0x80070005: /* ecAccessDenied */
	case 0x000003EB: /* ecUnknownUser */
		return rp_error_set(RP_EAUTH,
				    "the server refused the logon (0x%08" PRIX32 ")", rv);
	case MBX_EC_WRONG_SERVER:
		return rp_error_set(RP_ENET,
				    "the mailbox is on another server (ecWrongServer)");
	default:
		return rp_error_set(RP_ENET, "RopLogon failed (0x%08" PRIX32 ")", rv);
	}
}

int mbx_mailbox_logon(mbx_send_fn send, void *ctx, const char *essdn, mbx_mailbox *mb)
{
	mbx_rop_req r;
	mbx_rop_resp resp;
	rp_buf out = RP_BUF_INIT;
	const mbx_rop_result *x;
	uint8_t slot;
	int rc;

	mbx_rop_req_init(&r, mb->logon_id);
	rc = mbx_rop_logon(&r, MBX_LOGON_PRIVATE, MBX_OPEN_PRIVATE_DEFAULT, 0, essdn,
			   &slot);
	if (rc == RP_OK)
		rc = round_trip(send, ctx, mb, &r, &out, &resp);
	if (rc == RP_OK) {
		x = mbx_rop_resp_for(&resp, 0);
		if (!x)
			rc = rp_error_set(RP_ENET, "no answer to RopLogon");
		else if (x->rv)
			rc = logon_error(x->rv);
		else {
			memcpy(mb->fids, x->u.logon.fids, sizeof(mb->fids));
			memcpy(mb->mailbox_guid, x->u.logon.mailbox_guid, 16);
			mb->response_flags = x->u.logon.response_flags;
			mb->logon_handle = mbx_rop_resp_handle(&resp, slot);
		}
	}
	if (rc < 0)
		rp_error_wrap(rc, "logon to %s", essdn);
	mbx_rop_resp_free(&resp);
	mbx_rop_req_free(&r);
	rp_buf_free(&out);
	return rc;
}

static int append_escaped(rp_buf *b, const char *name)
{
	int rc = RP_OK;
	for (const char *p = name; *p && rc == RP_OK; p++) {
		if (*p == '/' || *p == '\\')
			rc = rp_buf_u8(b, '\\');
		if (rc == RP_OK)
			rc = rp_buf_u8(b, (uint8_t)*p);
	}
	return rc;
}

static mbx_folder *find_fid(mbx_mailbox *mb, uint64_t fid)
{
	for (size_t i = 0; i < mb->n; i++)
		if (mb->f[i].fid == fid)
			return &mb->f[i];
	return NULL;
}

/* Paths from the parents, roles from the logon FIDs and the entry IDs. */
static int finish_folders(mbx_mailbox *mb, const mbx_rop_result *const props[2])
{
	uint64_t ipm = mb->fids[MBX_FID_IPM_SUBTREE], root = mb->fids[MBX_FID_ROOT];
	int rc = RP_OK;

	for (size_t i = 0; i < mb->n && rc == RP_OK; i++) {
		mbx_folder *f = &mb->f[i];
		rp_buf b = RP_BUF_INIT;
		const mbx_folder *chain[64];
		size_t depth = 0;
		uint64_t p = f->fid;

		for (int k = 0; k < MBX_FID_COUNT; k++)
			if (mb->fids[k] && mb->fids[k] == f->fid)
				f->role = k;
		/* Walk up to the IPM subtree or the root. */
		while (p != ipm && p != root && depth < 64) {
			const mbx_folder *q = find_fid(mb, p);
			if (!q)
				break;
			chain[depth++] = q;
			p = q->parent_fid;
		}
		f->ipm = p == ipm && f->fid != ipm;
		if (f->fid == ipm)
			f->ipm = true, depth = 0;
		if (depth == 64 || (p != ipm && p != root))
			return rp_error_set(
			    RP_EFORMAT,
			    "folder \"%s\" has no path to the root (parent %016" PRIx64
			    " unknown)",
			    f->name, p);
		while (depth-- > 0 && rc == RP_OK) {
			rc = append_escaped(&b, chain[depth]->name);
			if (rc == RP_OK && depth)
				rc = rp_buf_u8(&b, '/');
		}
		if (rc == RP_OK)
			rc = rp_buf_u8(&b, 0);
		if (rc == RP_OK) {
			size_t n;
			f->path = (char *)rp_buf_steal(&b, &n);
		}
		rp_buf_free(&b);
	}
	/* Roles published as entry IDs; the Inbox's win over the root's. */
	for (int s = 0; s < 2 && rc == RP_OK; s++) {
		const mbx_rop_result *x = props[s];
		if (!x || x->rv)
			continue;
		for (size_t c = 0; c < x->u.props.n; c++) {
			const mapi_value *v = mbx_row_value(&x->u.props, c);
			mbx_folder *f;
			if (!v)
				continue;
			if (c < 7) {
				f = (mbx_folder *)mbx_folder_by_eid(mb, v->bin.p,
								    v->bin.n);
				if (f && f->role == MBX_ROLE_NONE)
					f->role = MBX_ROLE_CALENDAR + (int)c;
				continue;
			}
			for (size_t k = 0; k < v->count && k < 5; k++) {
				f = (mbx_folder *)mbx_folder_by_eid(mb, v->mv[k].p,
								    v->mv[k].n);
				if (f && f->role == MBX_ROLE_NONE)
					f->role = MBX_ROLE_CONFLICTS + (int)k;
			}
		}
	}
	return rc;
}

static int add_rows(mbx_mailbox *mb, const mbx_rop_result *x)
{
	mbx_folder *nf;
	if (!x->u.query.nrows)
		return RP_OK;
	nf = realloc(mb->f, (mb->n + x->u.query.nrows) * sizeof(*nf));
	if (!nf)
		return rp_error_set(RP_ENOMEM, "out of memory");
	mb->f = nf;
	for (size_t i = 0; i < x->u.query.nrows; i++) {
		const mbx_row *row = &x->u.query.rows[i];
		const mapi_value *v[NCOLS];
		mbx_folder *f = &mb->f[mb->n];
		int rc = RP_OK;

		for (int c = 0; c < NCOLS; c++)
			v[c] = mbx_row_value(row, (size_t)c);
		memset(f, 0, sizeof(*f));
		f->role = MBX_ROLE_NONE;
		if (!v[C_FID] || !v[C_NAME] || !v[C_EID])
			return rp_error_set(
			    RP_EFORMAT,
			    "hierarchy row %zu lacks its folder ID, name or "
			    "entry ID",
			    mb->n);
		mb->n++;
		f->fid = (uint64_t)v[C_FID]->u.i8;
		f->parent_fid = v[C_PARENT] ? (uint64_t)v[C_PARENT]->u.i8 : 0;
		f->count = v[C_COUNT] ? (uint32_t)v[C_COUNT]->u.l : 0;
		f->assoc_count = v[C_ASSOC] ? (uint32_t)v[C_ASSOC]->u.l : 0;
		rc = mapi_value_str_utf8(v[C_NAME], &f->name);
		if (rc == RP_OK && v[C_CLASS])
			rc = mapi_value_str_utf8(v[C_CLASS], &f->container_class);
		if (rc == RP_OK) {
			f->eid = malloc(v[C_EID]->bin.n ? v[C_EID]->bin.n : 1);
			if (!f->eid)
				return rp_error_set(RP_ENOMEM, "out of memory");
			memcpy(f->eid, v[C_EID]->bin.p, v[C_EID]->bin.n);
			f->neid = v[C_EID]->bin.n;
			/* Folder entry ID: Flags(4) ProviderUID(16) FolderType(2)
			 * then the 24 bytes of the long-term ID (MS-OXCDATA
			 * 2.2.4.1, 2.2.1.3.1). */
			if (f->neid == 46) {
				memcpy(f->ltid, f->eid + 22, 24);
				f->has_ltid = true;
			}
		}
		if (rc < 0)
			return rc;
	}
	return RP_OK;
}

int mbx_folders_read(mbx_send_fn send, void *ctx, mbx_mailbox *mb)
{
	mbx_rop_req r;
	mbx_rop_resp resps[2 * (MAX_RESENDS + 1)];
	const mbx_rop_result *results[16] = {0};
	const mbx_rop_result *props[2];
	size_t nresps = 0;
	rp_buf out = RP_BUF_INIT;
	uint8_t logon, root, inbox, table;
	uint32_t table_handle;
	bool more;
	int rc;

	mbx_mailbox_free(mb);
	mbx_rop_req_init(&r, mb->logon_id);
	rc = mbx_rop_handle(&r, mb->logon_handle, &logon);
	if (rc == RP_OK)
		rc = mbx_rop_open_folder(&r, logon, mb->fids[MBX_FID_ROOT], 0, &root);
	if (rc == RP_OK)
		rc = mbx_rop_get_props_specific(&r, root, 0, true, role_tags, 8);
	if (rc == RP_OK)
		rc = mbx_rop_open_folder(&r, logon, mb->fids[MBX_FID_INBOX], 0, &inbox);
	if (rc == RP_OK)
		rc = mbx_rop_get_props_specific(&r, inbox, 0, true, role_tags, 8);
	if (rc == RP_OK)
		rc = mbx_rop_get_hierarchy_table(
		    &r, root, MBX_TABLE_DEPTH | MBX_TABLE_UNICODE, &table);
	if (rc == RP_OK)
		rc = mbx_rop_set_columns(&r, table, 0, cols, NCOLS);
	if (rc == RP_OK)
		rc = mbx_rop_query_rows(&r, table, 0, true, ROWS_PER_QUERY, NULL, 0);
	if (rc == RP_OK)
		rc = run(send, ctx, mb, &r, &out, resps, &nresps, results);
	if (rc == RP_OK) {
		/* The ROPs whose failure fails the read (0 OpenFolder root, 4
		 * GetHierarchyTable, 5 SetColumns, 6 QueryRows); the Inbox and the
		 * entry-ID properties are optional. */
		static const char *const what[7] = {"RopOpenFolder on the root",
						    NULL,
						    NULL,
						    NULL,
						    "RopGetHierarchyTable",
						    "RopSetColumns",
						    "RopQueryRows"};
		for (int i = 0; i < 7 && rc == RP_OK; i++) {
			if (!what[i])
				continue;
			if (!results[i])
				rc = rp_error_set(RP_ENET, "no answer to %s", what[i]);
			else if (results[i]->rv)
				rc = rp_error_set(RP_ENET, "%s failed (0x%08" PRIX32 ")",
						  what[i], results[i]->rv);
		}
	}
	if (rc == RP_OK)
		rc = add_rows(mb, results[6]);
	more = rc == RP_OK && results[6]->u.query.origin != MBX_BOOKMARK_END &&
	       results[6]->u.query.nrows;
	table_handle = rc == RP_OK ? mbx_rop_resp_handle(&resps[nresps - 1], table) : 0;
	/* Keep the entry-ID rows of the first answer for the roles. */
	props[0] = results[1];
	props[1] = results[3];
	while (more && rc == RP_OK) {
		mbx_rop_req page;
		mbx_rop_resp presp;
		const mbx_rop_result *x;
		uint8_t slot;
		mbx_rop_req_init(&page, mb->logon_id);
		rc = mbx_rop_handle(&page, table_handle, &slot);
		if (rc == RP_OK)
			rc = mbx_rop_query_rows(&page, slot, 0, true, ROWS_PER_QUERY,
						cols, NCOLS);
		if (rc == RP_OK)
			rc = round_trip(send, ctx, mb, &page, &out, &presp);
		x = rc == RP_OK ? mbx_rop_resp_for(&presp, 0) : NULL;
		if (rc == RP_OK && (!x || x->rv))
			rc =
			    rp_error_set(RP_ENET, "RopQueryRows failed (0x%08" PRIX32 ")",
					 x ? x->rv : 0);
		if (rc == RP_OK)
			rc = add_rows(mb, x);
		more = rc == RP_OK && x->u.query.origin != MBX_BOOKMARK_END &&
		       x->u.query.nrows;
		mbx_rop_resp_free(&presp);
		mbx_rop_req_free(&page);
	}
	if (rc == RP_OK)
		rc = finish_folders(mb, props);
	for (size_t i = 0; i < nresps; i++)
		mbx_rop_resp_free(&resps[i]);
	mbx_rop_req_free(&r);
	rp_buf_free(&out);
	if (rc < 0)
		rp_error_wrap(rc, "folder hierarchy");
	return rc;
}

const mbx_folder *mbx_folder_by_role(const mbx_mailbox *mb, int role)
{
	for (size_t i = 0; role != MBX_ROLE_NONE && i < mb->n; i++)
		if (mb->f[i].role == role)
			return &mb->f[i];
	return NULL;
}

const mbx_folder *mbx_folder_by_path(const mbx_mailbox *mb, const char *path)
{
	for (size_t i = 0; i < mb->n; i++)
		if (mb->f[i].ipm && rp_name_eq(mb->f[i].path, path))
			return &mb->f[i];
	return NULL;
}

const mbx_folder *mbx_folder_by_eid(const mbx_mailbox *mb, const uint8_t *eid, size_t n)
{
	for (size_t i = 0; n && i < mb->n; i++)
		if (mb->f[i].neid == n && !memcmp(mb->f[i].eid, eid, n))
			return &mb->f[i];
	return NULL;
}

/* ---- the folder map ---- */

void mbx_folder_map_free(mbx_folder_map *m)
{
	if (!m)
		return;
	free(m->pairs);
	memset(m, 0, sizeof(*m));
}

static const mbx_folder_pair *pair_of(const mbx_folder_map *m, uint64_t src_fid)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->pairs[i].src->fid == src_fid)
			return &m->pairs[i];
	return NULL;
}

static bool taken(const mbx_folder_map *m, const mbx_folder *dst)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->pairs[i].dst == dst)
			return true;
	return false;
}

/* The target folder that holds src's counterpart: the target of src's
 * matched parent, or the target root / IPM subtree for their children.
 * Returns its FID, or 0 if the parent has no counterpart. */
static uint64_t dst_parent(const mbx_folder_map *m, const mbx_mailbox *src,
			   const mbx_mailbox *dst, const mbx_folder *f)
{
	const mbx_folder_pair *p;
	if (f->parent_fid == src->fids[MBX_FID_ROOT])
		return dst->fids[MBX_FID_ROOT];
	p = pair_of(m, f->parent_fid);
	return p && p->dst ? p->dst->fid : 0;
}

int mbx_folder_map_build(const mbx_mailbox *src, const mbx_mailbox *dst,
			 mbx_folder_map *out)
{
	memset(out, 0, sizeof(*out));
	if (!src->n)
		return RP_OK;
	out->pairs = calloc(src->n, sizeof(*out->pairs));
	if (!out->pairs)
		return rp_error_set(RP_ENOMEM, "out of memory");
	/* Roles first, so a renamed special folder cannot be taken by path. */
	for (size_t i = 0; i < src->n; i++) {
		mbx_folder_pair *p = &out->pairs[i];
		p->src = &src->f[i];
		p->dst = mbx_folder_by_role(dst, src->f[i].role);
		p->by_role = p->dst != NULL;
	}
	out->n = src->n;
	/* Then by name under the matched parent, parents before children (the
	 * hierarchy table lists them so; repeat until nothing changes for any
	 * other order). */
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < src->n; i++) {
			mbx_folder_pair *p = &out->pairs[i];
			uint64_t parent;
			if (p->dst)
				continue;
			parent = dst_parent(out, src, dst, p->src);
			for (size_t j = 0; parent && j < dst->n; j++) {
				const mbx_folder *d = &dst->f[j];
				if (d->parent_fid == parent &&
				    rp_name_eq(d->name, p->src->name) && !taken(out, d)) {
					p->dst = d;
					changed = true;
					break;
				}
			}
		}
	}
	for (size_t i = 0; i < out->n; i++)
		if (!out->pairs[i].dst)
			out->unmatched++;
	return RP_OK;
}

const mbx_folder_pair *mbx_folder_map_by_eid(const mbx_folder_map *m, const uint8_t *eid,
					     size_t n)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->pairs[i].src->neid == n && !memcmp(m->pairs[i].src->eid, eid, n))
			return &m->pairs[i];
	return NULL;
}

const mbx_folder_pair *mbx_folder_map_by_ltid(const mbx_folder_map *m,
					      const uint8_t ltid[24])
{
	for (size_t i = 0; i < m->n; i++)
		if (m->pairs[i].src->has_ltid && !memcmp(m->pairs[i].src->ltid, ltid, 24))
			return &m->pairs[i];
	return NULL;
}
