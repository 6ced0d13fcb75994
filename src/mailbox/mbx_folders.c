/* mbx_folders.c - RopLogon and the folder hierarchy over the ROP layer and
 * the EMSMDB session, with the Execute count kept small (mbx_folders.h). */
#include "mailbox/mbx_folders.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>

/* Folder properties (MS-OXPROPS). */
#define TAG_FOLDER_ID 0x67480014u
#define TAG_PARENT_FOLDER_ID 0x67490014u
#define TAG_DISPLAY_NAME_W 0x3001001Fu
#define TAG_ENTRY_ID 0x0FFF0102u
#define TAG_CONTENT_COUNT 0x36020003u
#define TAG_ASSOC_CONTENT_COUNT 0x36170003u
#define TAG_DEPTH 0x30050003u
#define TAG_CONTAINER_CLASS_W 0x3613001Fu

/* Rows asked per RopQueryRows; packed responses carry what one payload
 * cannot (RPC15 3.1.4.2.1.2). */
#define QUERY_ROWS 1000
/* Folders accepted in one mailbox (a sanity cap, not a protocol limit). */
#define MAX_FOLDERS 100000

static const char *const fid_roles[MBX_FID_COUNT] = {
    "root",   "deferred_action", "spooler_queue", "ipm_subtree",  "inbox",
    "outbox", "sent_items",      "deleted_items", "common_views", "schedule",
    "finder", "views",           "shortcuts"};

/* Entry-ID properties of the root folder naming special folders
 * (MS-OXOSFLD 2.2; reference 6). */
static const struct {
	uint32_t tag;
	const char *role;
} eid_roles[] = {
    {0x36D00102u, "calendar"}, {0x36D10102u, "contacts"}, {0x36D20102u, "journal"},
    {0x36D30102u, "notes"},    {0x36D40102u, "tasks"},    {0x36D50102u, "reminders"},
    {0x36D70102u, "drafts"},
};
#define TAG_ADDITIONAL_REN 0x36D81102u
static const char *const ren_roles[] = {"conflicts", "sync_issues", "local_failures",
					"server_failures", "junk_email"};

/* One Execute of req; the response payloads parsed: the first against req,
 * packed ones against a request holding only req's last ROP (they answer it
 * again, RPC15 3.1.4.2.1.2). *resp[0..*n) are freed by the caller. */
static int exec_req(mbx_store *s, mbx_rop_req *req, uint32_t flags, mbx_rop_resp **resp,
		    size_t *n)
{
	rp_buf in = RP_BUF_INIT;
	mbx_execute_rsp er;
	int rc = mbx_rop_req_finish(req, &in);
	*resp = NULL;
	*n = 0;
	if (rc)
		return rc;
	rc = mbx_emsmdb_execute(s->e, flags, in.data, in.len,
				flags & MBX_EXEC_CHAIN ? MBX_EXEC_MAX_ROP_OUT : 0, &er);
	rp_buf_free(&in);
	if (rc)
		return rc;
	s->executes++;
	*resp = calloc(er.n_payloads, sizeof(**resp));
	if (!*resp) {
		mbx_execute_rsp_free(&er);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < er.n_payloads && !rc; i++) {
		mbx_rop_req tail;
		const mbx_rop_req *against = req;
		if (i > 0) {
			rc = mbx_rop_req_tail(req, req->nops - 1, (*resp)[0].handles,
					      (*resp)[0].nhandles, &tail);
			against = &tail;
		}
		if (!rc)
			rc = mbx_rop_resp_parse(against, er.payloads[i].data,
						er.payloads[i].len, &(*resp)[i]);
		(*n)++;
		if (i > 0)
			mbx_rop_req_free(&tail);
		if (rc)
			rp_error_wrap(rc, "Execute response payload %zu", i);
	}
	/* ReadStream data would point into er; the ROPs used here keep none. */
	mbx_execute_rsp_free(&er);
	return rc;
}

static void free_resps(mbx_rop_resp *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mbx_rop_resp_free(&r[i]);
	free(r);
}

int mbx_store_logon(mbx_emsmdb *e, const char *essdn, mbx_store *out)
{
	mbx_rop_req req;
	mbx_rop_resp *resp = NULL;
	size_t n = 0;
	uint8_t slot;
	int rc;

	memset(out, 0, sizeof(*out));
	out->e = e;
	mbx_rop_req_init(&req, 0);
	rc = mbx_rop_logon(&req, MBX_LOGON_PRIVATE, MBX_OPEN_PRIVATE_DEFAULT, 0, essdn,
			   &slot);
	if (!rc)
		rc = exec_req(out, &req, 0, &resp, &n);
	if (!rc) {
		const mbx_rop_result *lr = mbx_rop_resp_for(&resp[0], 0);
		if (!lr)
			rc = rp_error_set(RP_EFORMAT, "RopLogon: no response");
		else if (lr->rv)
			rc = rp_error_set(
			    RP_EAUTH, "RopLogon to '%s': ReturnValue 0x%08X%s", essdn,
			    lr->rv,
			    lr->rv == MBX_EC_WRONG_SERVER
				? " (ecWrongServer: the mailbox is elsewhere)"
				: "");
		else if (!lr->u.logon.is_private)
			rc = rp_error_set(RP_EFORMAT,
					  "RopLogon to '%s': not a private "
					  "mailbox",
					  essdn);
		else {
			memcpy(out->fids, lr->u.logon.fids, sizeof(out->fids));
			memcpy(out->mailbox_guid, lr->u.logon.mailbox_guid, 16);
			out->logon = mbx_rop_resp_handle(&resp[0], slot);
			out->generation = mbx_emsmdb_generation(e);
		}
	}
	free_resps(resp, n);
	mbx_rop_req_free(&req);
	return rc;
}

void mbx_folders_free(mbx_folder *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++) {
		free(f[i].name);
		free(f[i].path);
		free(f[i].container_class);
		free(f[i].entry_id);
	}
	free(f);
}

static char *utf8_of(const mapi_value *v)
{
	char *s = NULL;
	size_t n = v->bin.n >= 2 ? v->bin.n - 2 : 0; /* the terminator is kept */
	if (rp_utf16le_to_utf8(v->bin.p, n, &s))
		return NULL;
	return s;
}

/* A growing list that table rows are turned into (folders or messages). */
struct sink {
	int (*add)(struct sink *k, const mbx_row *row);
	void *v; /* mbx_folder * or mbx_message * */
	size_t n, cap;
};

/* Room for one more element of size sz; RP_ELIMIT past MAX_FOLDERS. */
static int grow(struct sink *k, size_t sz, const char *what)
{
	if (k->n == MAX_FOLDERS)
		return rp_error_set(RP_ELIMIT, "%s of over %d rows", what, MAX_FOLDERS);
	if (k->n < k->cap)
		return RP_OK;
	size_t nc = k->cap ? k->cap * 2 : 64;
	void *nv = realloc(k->v, nc * sz);
	if (!nv)
		return rp_error_set(RP_ENOMEM, "out of memory");
	k->v = nv;
	k->cap = nc;
	return RP_OK;
}

static int take_rows(struct sink *k, const mbx_rop_result *q)
{
	int rc = RP_OK;
	for (size_t i = 0; q && i < q->u.query.nrows && !rc; i++)
		rc = k->add(k, &q->u.query.rows[i]);
	return rc;
}

/* The rest of a table after the first Execute: the packed payloads, then
 * RopQueryRows on the open table (slot of resp[0]), one Execute each, while
 * rows are missing. */
static int rest_of_table(mbx_store *s, const mbx_rop_resp *resp, size_t nresp,
			 uint8_t slot, const uint32_t *cols, size_t ncols, uint32_t total,
			 struct sink *k)
{
	int rc = RP_OK;
	for (size_t i = 1; !rc && i < nresp; i++)
		rc = take_rows(k, mbx_rop_resp_for(&resp[i], 0));
	uint32_t table = mbx_rop_resp_handle(&resp[0], slot);
	while (!rc && k->n < total) {
		size_t before = k->n, nmr = 0;
		mbx_rop_req more;
		mbx_rop_resp *mr = NULL;
		uint8_t t;
		mbx_rop_req_init(&more, 0);
		mbx_rop_handle(&more, table, &t);
		mbx_rop_query_rows(&more, t, 0, true, QUERY_ROWS, cols, ncols);
		rc = exec_req(s, &more, MBX_EXEC_CHAIN, &mr, &nmr);
		for (size_t i = 0; !rc && i < nmr; i++) {
			const mbx_rop_result *q = mbx_rop_resp_for(&mr[i], 0);
			rc = q && q->rv
				 ? rp_error_set(RP_ENET,
						"RopQueryRows failed with 0x%08X", q->rv)
				 : take_rows(k, q);
		}
		free_resps(mr, nmr);
		mbx_rop_req_free(&more);
		if (!rc && k->n == before)
			break; /* the table ended early (a row went away) */
	}
	return rc;
}

static int add_row(struct sink *k, const mbx_row *row)
{
	static const uint32_t cols[] = {TAG_FOLDER_ID,      TAG_PARENT_FOLDER_ID,
					TAG_DISPLAY_NAME_W, TAG_ENTRY_ID,
					TAG_CONTENT_COUNT,  TAG_ASSOC_CONTENT_COUNT,
					TAG_DEPTH,          TAG_CONTAINER_CLASS_W};
	const mapi_value *v[8];
	int rc = grow(k, sizeof(mbx_folder), "hierarchy");
	if (rc)
		return rc;
	for (size_t i = 0; i < 8; i++) {
		v[i] = i < row->n ? mbx_row_value(row, i) : NULL;
		if (v[i] && v[i]->tag != cols[i])
			v[i] = NULL; /* an error or another type: treat as absent */
	}
	if (!v[0])
		return rp_error_set(RP_EFORMAT,
				    "hierarchy row %zu without PidTagFolderId", k->n);
	mbx_folder *d = (mbx_folder *)k->v + k->n++;
	memset(d, 0, sizeof(*d));
	d->fid = (uint64_t)v[0]->u.i8;
	d->parent = v[1] ? (uint64_t)v[1]->u.i8 : 0;
	d->name = v[2] ? utf8_of(v[2]) : rp_strdup("");
	if (v[3] && v[3]->bin.n) {
		d->entry_id = malloc(v[3]->bin.n);
		if (d->entry_id) {
			memcpy(d->entry_id, v[3]->bin.p, v[3]->bin.n);
			d->entry_id_len = v[3]->bin.n;
		}
	}
	d->content_count = v[4] ? (uint32_t)v[4]->u.l : 0;
	d->assoc_count = v[5] ? (uint32_t)v[5]->u.l : 0;
	d->depth = v[6] ? v[6]->u.l : 0;
	if (v[7])
		d->container_class = utf8_of(v[7]);
	if (!d->name || (v[3] && v[3]->bin.n && !d->entry_id) ||
	    (v[7] && !d->container_class))
		return rp_error_set(RP_ENOMEM, "out of memory");
	return RP_OK;
}

static ptrdiff_t index_of(const mbx_folder *f, size_t n, uint64_t fid)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].fid == fid)
			return (ptrdiff_t)i;
	return -1;
}

static int put_escaped(rp_buf *b, const char *s)
{
	int rc = RP_OK;
	for (; *s && !rc; s++)
		rc = (*s == '/' || *s == '\\') ? rp_buf_printf(b, "\\%c", *s)
					       : rp_buf_u8(b, (uint8_t)*s);
	return rc;
}

/* Paths from the parent chain: below the IPM subtree relative to it,
 * elsewhere "/"-rooted at the root. */
static int make_paths(const mbx_store *s, mbx_folder *f, size_t n)
{
	uint64_t root = s->fids[MBX_FID_ROOT], ipm = s->fids[MBX_FID_IPM_SUBTREE];
	for (size_t i = 0; i < n; i++) {
		size_t chain[256], k = 0;
		ptrdiff_t at = (ptrdiff_t)i;
		bool under_ipm = false;
		while (at >= 0 && k < 256) {
			if (f[at].fid == ipm && (size_t)at != i) {
				under_ipm = true;
				break;
			}
			if (f[at].fid == root)
				break;
			chain[k++] = (size_t)at;
			at = index_of(f, n, f[at].parent);
		}
		rp_buf b = RP_BUF_INIT;
		int rc = under_ipm ? RP_OK : rp_buf_u8(&b, '/');
		for (size_t j = k; j-- > 0 && !rc;) {
			rc = put_escaped(&b, f[chain[j]].name);
			if (!rc && j)
				rc = rp_buf_u8(&b, '/');
		}
		if (!rc)
			rc = rp_buf_u8(&b, 0);
		if (rc) {
			rp_buf_free(&b);
			return rc;
		}
		f[i].path = (char *)rp_buf_steal(&b, NULL);
	}
	return RP_OK;
}

static void set_role_by_eid(mbx_folder *f, size_t n, const uint8_t *eid, size_t len,
			    const char *role)
{
	for (size_t i = 0; i < n && len; i++)
		if (!f[i].role && f[i].entry_id_len == len &&
		    memcmp(f[i].entry_id, eid, len) == 0) {
			f[i].role = role;
			return;
		}
}

static void set_roles(const mbx_store *s, mbx_folder *f, size_t n, const mbx_row *props)
{
	for (size_t r = 0; r < MBX_FID_COUNT; r++) {
		ptrdiff_t i = s->fids[r] ? index_of(f, n, s->fids[r]) : -1;
		if (i >= 0 && !f[i].role)
			f[i].role = fid_roles[r];
	}
	for (size_t k = 0; props && k < props->n; k++) {
		const mapi_value *v = mbx_row_value(props, k);
		if (!v)
			continue;
		for (size_t j = 0; j < sizeof(eid_roles) / sizeof(eid_roles[0]); j++)
			if (v->tag == eid_roles[j].tag)
				set_role_by_eid(f, n, v->bin.p, v->bin.n,
						eid_roles[j].role);
		if (v->tag == TAG_ADDITIONAL_REN)
			for (size_t j = 0; j < v->count && j < 5; j++)
				set_role_by_eid(f, n, v->mv[j].p, v->mv[j].n,
						ren_roles[j]);
	}
}

int mbx_folders_read(mbx_store *s, mbx_folder **out, size_t *nout)
{
	static const uint32_t cols[] = {TAG_FOLDER_ID,      TAG_PARENT_FOLDER_ID,
					TAG_DISPLAY_NAME_W, TAG_ENTRY_ID,
					TAG_CONTENT_COUNT,  TAG_ASSOC_CONTENT_COUNT,
					TAG_DEPTH,          TAG_CONTAINER_CLASS_W};
	uint32_t role_tags[sizeof(eid_roles) / sizeof(eid_roles[0]) + 1];
	mbx_rop_req req;
	mbx_rop_resp *resp = NULL;
	size_t nresp = 0, nroles = 0;
	struct sink k = {add_row, NULL, 0, 0};
	uint8_t ls, fs, ts;
	uint32_t total = 0;
	mbx_row props = {false, 0, NULL};
	int rc;

	*out = NULL;
	*nout = 0;
	if (mbx_emsmdb_generation(s->e) != s->generation)
		return rp_error_set(RP_EINVAL, "folders: the session was re-established "
					       "since the logon; log on again");
	for (size_t i = 0; i < sizeof(eid_roles) / sizeof(eid_roles[0]); i++)
		role_tags[nroles++] = eid_roles[i].tag;
	role_tags[nroles++] = TAG_ADDITIONAL_REN;

	mbx_rop_req_init(&req, 0);
	mbx_rop_handle(&req, s->logon, &ls);
	mbx_rop_open_folder(&req, ls, s->fids[MBX_FID_ROOT], 0, &fs);
	mbx_rop_get_props_specific(&req, fs, 0, true, role_tags, nroles);
	mbx_rop_get_hierarchy_table(
	    &req, fs, MBX_TABLE_DEPTH | MBX_TABLE_NO_NOTIFICATIONS | MBX_TABLE_UNICODE,
	    &ts);
	mbx_rop_set_columns(&req, ts, 0, cols, sizeof(cols) / sizeof(cols[0]));
	mbx_rop_query_rows(&req, ts, 0, true, QUERY_ROWS, NULL, 0);
	rc = exec_req(s, &req, MBX_EXEC_CHAIN, &resp, &nresp);
	for (size_t op = 0; !rc && op < 5; op++) {
		const mbx_rop_result *r = mbx_rop_resp_for(&resp[0], op);
		if (!r)
			rc =
			    rp_error_set(RP_EFORMAT, "folders: ROP %zu not executed", op);
		else if (r->rv && !(r->rop == MBX_ROP_GET_PROPS_SPECIFIC))
			rc = rp_error_set(RP_ENET, "folders: %s failed with 0x%08X",
					  mbx_rop_name(r->rop), r->rv);
		else if (r->rop == MBX_ROP_GET_PROPS_SPECIFIC && !r->rv)
			props = r->u.props;
		else if (r->rop == MBX_ROP_GET_HIERARCHY_TABLE)
			total = r->u.row_count;
		else if (r->rop == MBX_ROP_QUERY_ROWS)
			rc = take_rows(&k, r);
	}
	if (!rc)
		rc = rest_of_table(s, resp, nresp, ts, cols,
				   sizeof(cols) / sizeof(cols[0]), total, &k);
	if (!rc) {
		set_roles(s, k.v, k.n, &props);
		rc = make_paths(s, k.v, k.n);
	}
	free_resps(resp, nresp);
	mbx_rop_req_free(&req);
	if (rc) {
		mbx_folders_free(k.v, k.n);
		return rc;
	}
	*out = k.v;
	*nout = k.n;
	return RP_OK;
}

const mbx_folder *mbx_folder_find(const mbx_folder *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].role && rp_ascii_casecmp(f[i].role, name) == 0)
			return &f[i];
	for (size_t i = 0; i < n; i++)
		if (f[i].path && rp_ascii_casecmp(f[i].path, name) == 0)
			return &f[i];
	return NULL;
}

uint64_t mbx_store_role_fid(const mbx_store *s, const char *role)
{
	for (size_t r = 0; r < MBX_FID_COUNT; r++)
		if (rp_ascii_casecmp(fid_roles[r], role) == 0)
			return s->fids[r];
	return 0;
}

/* Message columns (MS-OXPROPS). */
#define TAG_MID 0x674A0014u
#define TAG_MESSAGE_CLASS_W 0x001A001Fu
#define TAG_SUBJECT_W 0x0037001Fu
#define TAG_MESSAGE_SIZE 0x0E080003u
#define TAG_LAST_MODIFIED 0x30080040u

void mbx_messages_free(mbx_message *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++) {
		free(m[i].message_class);
		free(m[i].subject);
		free(m[i].entry_id);
	}
	free(m);
}

static const uint32_t msg_cols[] = {TAG_MID,      TAG_MESSAGE_CLASS_W, TAG_SUBJECT_W,
				    TAG_ENTRY_ID, TAG_MESSAGE_SIZE,    TAG_LAST_MODIFIED};
#define N_MSG_COLS (sizeof(msg_cols) / sizeof(msg_cols[0]))

static int add_message(struct sink *k, const mbx_row *row)
{
	const mapi_value *v[N_MSG_COLS];
	int rc = grow(k, sizeof(mbx_message), "contents table");
	if (rc)
		return rc;
	for (size_t i = 0; i < N_MSG_COLS; i++) {
		v[i] = i < row->n ? mbx_row_value(row, i) : NULL;
		if (v[i] && v[i]->tag != msg_cols[i])
			v[i] = NULL;
	}
	mbx_message *d = (mbx_message *)k->v + k->n++;
	memset(d, 0, sizeof(*d));
	d->mid = v[0] ? (uint64_t)v[0]->u.i8 : 0;
	if (v[1] && !(d->message_class = utf8_of(v[1])))
		return rp_error_set(RP_ENOMEM, "out of memory");
	if (v[2] && !(d->subject = utf8_of(v[2])))
		return rp_error_set(RP_ENOMEM, "out of memory");
	if (v[3] && v[3]->bin.n) {
		if (!(d->entry_id = malloc(v[3]->bin.n)))
			return rp_error_set(RP_ENOMEM, "out of memory");
		memcpy(d->entry_id, v[3]->bin.p, v[3]->bin.n);
		d->entry_id_len = v[3]->bin.n;
	}
	d->size = v[4] ? (uint32_t)v[4]->u.l : 0;
	d->modified = v[5] ? v[5]->u.ft : 0;
	return RP_OK;
}

int mbx_folder_messages(mbx_store *s, uint64_t fid, bool associated, mbx_message **out,
			size_t *nout)
{
	mbx_rop_req req;
	mbx_rop_resp *resp = NULL;
	size_t nresp = 0;
	struct sink k = {add_message, NULL, 0, 0};
	uint8_t ls, fs, ts;
	uint32_t total = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	if (mbx_emsmdb_generation(s->e) != s->generation)
		return rp_error_set(RP_EINVAL, "messages: the session was re-established "
					       "since the logon; log on again");
	mbx_rop_req_init(&req, 0);
	mbx_rop_handle(&req, s->logon, &ls);
	mbx_rop_open_folder(&req, ls, fid, 0, &fs);
	mbx_rop_get_contents_table(&req, fs,
				   (associated ? MBX_TABLE_ASSOCIATED : 0) |
				       MBX_TABLE_NO_NOTIFICATIONS | MBX_TABLE_UNICODE,
				   &ts);
	mbx_rop_set_columns(&req, ts, 0, msg_cols, N_MSG_COLS);
	mbx_rop_query_rows(&req, ts, 0, true, QUERY_ROWS, NULL, 0);
	rc = exec_req(s, &req, MBX_EXEC_CHAIN, &resp, &nresp);
	for (size_t op = 0; !rc && op < 4; op++) {
		const mbx_rop_result *r = mbx_rop_resp_for(&resp[0], op);
		if (!r)
			rc = rp_error_set(RP_EFORMAT, "messages: ROP %zu not executed",
					  op);
		else if (r->rv)
			rc = rp_error_set(
			    r->rv == MBX_EC_NOT_FOUND ? RP_ENOTFOUND : RP_ENET,
			    "messages: %s failed with 0x%08X%s", mbx_rop_name(r->rop),
			    r->rv, r->rv == MBX_EC_NOT_FOUND ? " (no such folder)" : "");
		else if (r->rop == MBX_ROP_GET_CONTENTS_TABLE)
			total = r->u.row_count;
		else if (r->rop == MBX_ROP_QUERY_ROWS)
			rc = take_rows(&k, r);
	}
	if (!rc)
		rc = rest_of_table(s, resp, nresp, ts, msg_cols, N_MSG_COLS, total, &k);
	free_resps(resp, nresp);
	mbx_rop_req_free(&req);
	if (rc) {
		mbx_messages_free(k.v, k.n);
		return rc;
	}
	*out = k.v;
	*nout = k.n;
	return RP_OK;
}
