/* mbx_rop_resp.c - ROP response walker: the ROP output buffer parsed
 * against the request that produced it (mbx_rop.h). */
#include "mailbox/mbx_rop.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_tag.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define NO_SLOT 0xFFu

static int dup_cstr(rp_cur *c, char **out, const char *what)
{
	const char *s;
	size_t n;
	int rc = rp_cur_cstr(c, &s, &n, what);
	if (rc < 0)
		return rc;
	*out = rp_strndup(s, n);
	return *out ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void result_free(mbx_rop_result *x)
{
	switch (x->rop) {
	case MBX_ROP_LOGON:
		free(x->u.logon.redirect_server);
		break;
	case MBX_ROP_GET_RECEIVE_FOLDER:
		free(x->u.receive_folder.msgclass);
		break;
	case MBX_ROP_OPEN_FOLDER:
	case MBX_ROP_CREATE_FOLDER:
		free_strs(x->u.folder.servers, x->u.folder.nservers);
		break;
	case MBX_ROP_QUERY_ROWS:
		for (size_t i = 0; x->u.query.rows && i < x->u.query.nrows; i++)
			mbx_row_free(&x->u.query.rows[i]);
		free(x->u.query.rows);
		break;
	case MBX_ROP_FIND_ROW:
		mbx_row_free(&x->u.find.row);
		break;
	case MBX_ROP_OPEN_MESSAGE:
		free(x->u.message.subject_prefix);
		free(x->u.message.normalized_subject);
		free(x->u.message.recip_cols);
		for (size_t i = 0; x->u.message.recips && i < x->u.message.nrecips; i++)
			free(x->u.message.recips[i].row);
		free(x->u.message.recips);
		break;
	case MBX_ROP_GET_PROPS_SPECIFIC:
		mbx_row_free(&x->u.props);
		break;
	case MBX_ROP_GET_PROPS_ALL:
		mbx_props_free(x->u.all.v, x->u.all.n);
		break;
	case MBX_ROP_GET_PROPS_LIST:
		free(x->u.list.tags);
		break;
	case MBX_ROP_SET_PROPS:
	case MBX_ROP_DELETE_PROPS:
		free(x->u.problems.p);
		break;
	case MBX_ROP_GET_IDS_FROM_NAMES:
		free(x->u.ids.ids);
		break;
	case MBX_ROP_GET_NAMES_FROM_IDS:
		for (size_t i = 0; x->u.names.names && i < x->u.names.n; i++)
			mbx_propname_free(&x->u.names.names[i]);
		free(x->u.names.names);
		break;
	default:
		break;
	}
}

void mbx_rop_resp_free(mbx_rop_resp *resp)
{
	if (!resp)
		return;
	for (size_t i = 0; resp->res && i < resp->n; i++)
		result_free(&resp->res[i]);
	free(resp->res);
	memset(resp, 0, sizeof(*resp));
}

uint32_t mbx_rop_resp_handle(const mbx_rop_resp *resp, uint8_t idx)
{
	return idx < resp->nhandles ? resp->handles[idx] : MBX_HANDLE_NONE;
}

const mbx_rop_result *mbx_rop_resp_for(const mbx_rop_resp *resp, size_t op)
{
	for (size_t i = 0; i < resp->n; i++)
		if (resp->res[i].op == op)
			return &resp->res[i];
	return NULL;
}

/* Allocates n zeroed items of size sz after checking that n items of at
 * least min bytes each can fit in what is left. */
static int alloc_items(rp_cur *c, void **out, size_t n, size_t sz, size_t min,
		       const char *what)
{
	*out = NULL;
	if (n * min > rp_cur_left(c))
		return rp_error_set(RP_EFORMAT,
				    "%zu %s cannot fit in %zu bytes (offset %zu)", n,
				    what, rp_cur_left(c), c->base + c->off);
	if (!n)
		return RP_OK;
	*out = calloc(n, sz);
	return *out ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
}

/* Ghosted-folder server list (MS-OXCFOLD 2.2.1.1.2). */
static int folder_tail(rp_cur *c, mbx_rop_result *x)
{
	uint8_t b;
	uint16_t count = 0;
	int rc = rp_cur_u8(c, &b, "HasRules");

	x->u.folder.has_rules = b != 0;
	if (rc == RP_OK)
		rc = rp_cur_u8(c, &b, "IsGhosted");
	if (rc < 0)
		return rc;
	x->u.folder.is_ghosted = b != 0;
	if (!b)
		return RP_OK;
	rc = rp_cur_u16(c, &count, "ServerCount");
	if (rc == RP_OK)
		rc = rp_cur_u16(c, &x->u.folder.cheap_servers, "CheapServerCount");
	if (rc == RP_OK && x->u.folder.cheap_servers > count)
		rc = rp_error_set(RP_EFORMAT, "CheapServerCount %u over ServerCount %u",
				  x->u.folder.cheap_servers, count);
	if (rc == RP_OK)
		rc = alloc_items(c, (void **)&x->u.folder.servers, count, sizeof(char *),
				 1, "server names");
	for (size_t i = 0; i < count && rc == RP_OK; i++) {
		rc = dup_cstr(c, &x->u.folder.servers[i], "server name");
		if (rc == RP_OK)
			x->u.folder.nservers = i + 1;
	}
	return rc;
}

/* TypedString (MS-OXCMSG 2.2.3.1.2 / MS-OXCDATA): StringType(1) 0 absent,
 * 1 empty, 2 8-bit (code page), 3 reduced Unicode (one byte per UTF-16
 * code unit below 0x100), 4 UTF-16LE; the strings NUL-terminated. */
static int typed_string(rp_cur *c, char **out, const char *what)
{
	uint8_t type;
	const char *s;
	const uint8_t *w;
	size_t n;
	int rc = rp_cur_u8(c, &type, what);

	*out = NULL;
	if (rc < 0)
		return rc;
	switch (type) {
	case 0:
		return RP_OK;
	case 1:
		*out = rp_strdup("");
		return *out ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
	case 2:
		rc = rp_cur_cstr(c, &s, &n, what);
		return rc < 0 ? rc : mapi_str8_to_utf8((const uint8_t *)s, n, out);
	case 3: {
		rp_buf b = RP_BUF_INIT;
		rc = rp_cur_cstr(c, &s, &n, what);
		for (size_t i = 0; i < n && rc == RP_OK; i++)
			rc = rp_utf8_put(&b, (unsigned char)s[i]);
		if (rc == RP_OK)
			rc = rp_buf_u8(&b, 0);
		if (rc == RP_OK)
			*out = (char *)rp_buf_steal(&b, &n);
		rp_buf_free(&b);
		return rc;
	}
	case 4:
		rc = rp_cur_wstr(c, &w, &n, what);
		return rc < 0 ? rc : rp_utf16le_to_utf8(w, n, out);
	default:
		return rp_error_set(RP_EFORMAT,
				    "%s: string type 0x%02x unknown (offset %zu)", what,
				    type, c->base + c->off - 1);
	}
}

static int open_message(rp_cur *c, mbx_rop_result *x)
{
	uint8_t b = 0, nrows = 0;
	uint16_t ncols = 0;
	int rc = rp_cur_u8(c, &b, "HasNamedProperties");

	x->u.message.has_named = b != 0;
	if (rc == RP_OK)
		rc = typed_string(c, &x->u.message.subject_prefix, "SubjectPrefix");
	if (rc == RP_OK)
		rc = typed_string(c, &x->u.message.normalized_subject,
				  "NormalizedSubject");
	if (rc == RP_OK)
		rc = rp_cur_u16(c, &x->u.message.recipient_count, "RecipientCount");
	if (rc == RP_OK)
		rc = rp_cur_u16(c, &ncols, "ColumnCount");
	if (rc == RP_OK)
		rc = alloc_items(c, (void **)&x->u.message.recip_cols, ncols,
				 sizeof(uint32_t), 4, "recipient columns");
	for (size_t i = 0; i < ncols && rc == RP_OK; i++) {
		rc = rp_cur_u32(c, &x->u.message.recip_cols[i], "recipient column");
		x->u.message.nrecip_cols = i + 1;
	}
	if (rc == RP_OK)
		rc = rp_cur_u8(c, &nrows, "RowCount");
	if (rc == RP_OK && nrows > x->u.message.recipient_count)
		rc = rp_error_set(RP_EFORMAT, "RopOpenMessage: %u recipient rows of %u",
				  nrows, x->u.message.recipient_count);
	if (rc == RP_OK)
		rc = alloc_items(c, (void **)&x->u.message.recips, nrows,
				 sizeof(mbx_recip_raw), 7, "recipient rows");
	for (size_t i = 0; i < nrows && rc == RP_OK; i++) {
		mbx_recip_raw *rr = &x->u.message.recips[i];
		uint16_t reserved, size;
		x->u.message.nrecips = i + 1;
		rc = rp_cur_u8(c, &rr->type, "RecipientType");
		if (rc == RP_OK)
			rc = rp_cur_u16(c, &rr->cpid, "CodePageId");
		if (rc == RP_OK)
			rc = rp_cur_u16(c, &reserved, "Reserved");
		if (rc == RP_OK)
			rc = rp_cur_u16(c, &size, "RecipientRowSize");
		if (rc == RP_OK)
			rc = rp_cur_need(c, size, "RecipientRow");
		if (rc == RP_OK) {
			rr->row = malloc(size ? size : 1);
			if (!rr->row)
				return rp_error_set(RP_ENOMEM, "out of memory");
			rr->nrow = size;
			rc = rp_cur_bytes(c, rr->row, size, "RecipientRow");
		}
	}
	return rc;
}

static int rows(rp_cur *c, const mbx_rop_op *op, mbx_rop_result *x)
{
	uint16_t count = 0;
	int rc = rp_cur_u8(c, &x->u.query.origin, "Origin");

	if (rc == RP_OK && x->u.query.origin > MBX_BOOKMARK_END)
		rc = rp_error_set(RP_EFORMAT, "RopQueryRows: Origin %u (offset %zu)",
				  x->u.query.origin, c->base + c->off - 1);
	if (rc == RP_OK)
		rc = rp_cur_u16(c, &count, "RowCount");
	if (rc == RP_OK)
		rc = alloc_items(c, (void **)&x->u.query.rows, count, sizeof(mbx_row), 1,
				 "rows");
	for (size_t i = 0; i < count && rc == RP_OK; i++) {
		x->u.query.nrows = i + 1;
		rc = mbx_row_decode(c, op->cols, op->ncols, &x->u.query.rows[i]);
		if (rc < 0)
			rc = rp_error_wrap(rc, "row %zu", i);
	}
	return rc;
}

static int logon(rp_cur *c, const mbx_rop_op *op, mbx_rop_result *x)
{
	int rc;

	if (x->rv == MBX_EC_WRONG_SERVER) {
		uint8_t size;
		size_t n;
		rc = rp_cur_u8(c, &x->u.logon.logon_flags, "LogonFlags");
		if (rc == RP_OK)
			rc = rp_cur_u8(c, &size, "ServerNameSize");
		if (rc == RP_OK)
			rc = dup_cstr(c, &x->u.logon.redirect_server, "ServerName");
		n = x->u.logon.redirect_server ? strlen(x->u.logon.redirect_server) + 1
					       : 0;
		if (rc == RP_OK && n != size)
			rc = rp_error_set(
			    RP_EFORMAT,
			    "RopLogon redirect: ServerNameSize %u for a %zu-byte "
			    "name",
			    size, n);
		return rc;
	}
	rc = rp_cur_u8(c, &x->u.logon.logon_flags, "LogonFlags");
	if (rc < 0)
		return rc;
	x->u.logon.is_private = (op->aux & MBX_LOGON_PRIVATE) != 0;
	if (((x->u.logon.logon_flags ^ op->aux) & MBX_LOGON_PRIVATE) != 0)
		return rp_error_set(
		    RP_EFORMAT,
		    "RopLogon: response LogonFlags 0x%02x do not match the "
		    "request's 0x%02x",
		    x->u.logon.logon_flags, op->aux);
	for (size_t i = 0; i < MBX_FID_COUNT && rc == RP_OK; i++)
		rc = rp_cur_u64(c, &x->u.logon.fids[i], "FolderIds");
	if (rc < 0)
		return rc;
	if (!x->u.logon.is_private) {
		rc = rp_cur_u16(c, &x->u.logon.replid, "ReplId");
		if (rc == RP_OK)
			rc = rp_cur_bytes(c, x->u.logon.replguid, 16, "ReplGuid");
		return rc < 0
			   ? rc
			   : rp_cur_bytes(c, x->u.logon.per_user_guid, 16, "PerUserGuid");
	}
	rc = rp_cur_u8(c, &x->u.logon.response_flags, "ResponseFlags");
	if (rc == RP_OK)
		rc = rp_cur_bytes(c, x->u.logon.mailbox_guid, 16, "MailboxGuid");
	if (rc == RP_OK)
		rc = rp_cur_u16(c, &x->u.logon.replid, "ReplId");
	if (rc == RP_OK)
		rc = rp_cur_bytes(c, x->u.logon.replguid, 16, "ReplGuid");
	if (rc == RP_OK)
		rc = rp_cur_bytes(c, x->u.logon.logon_time, 8, "LogonTime");
	if (rc == RP_OK)
		rc = rp_cur_u64(c, &x->u.logon.gwart_time, "GwartTime");
	return rc < 0 ? rc : rp_cur_u32(c, &x->u.logon.store_state, "StoreState");
}

/* u16 count + count items of 2 bytes (property IDs) or 4 (property tags). */
static int count_list(rp_cur *c, void **out, size_t *n, size_t width, const char *what)
{
	uint16_t count = 0;
	int rc = rp_cur_u16(c, &count, what);
	if (rc == RP_OK)
		rc = alloc_items(c, out, count, width, width, what);
	for (size_t i = 0; i < count && rc == RP_OK; i++) {
		uint16_t v16;
		uint32_t v32;
		if (width == 2) {
			rc = rp_cur_u16(c, &v16, what);
			((uint16_t *)*out)[i] = v16;
		} else {
			rc = rp_cur_u32(c, &v32, what);
			((uint32_t *)*out)[i] = v32;
		}
		*n = i + 1;
	}
	return rc;
}

static int problems(rp_cur *c, mbx_rop_result *x)
{
	uint16_t count = 0;
	int rc = rp_cur_u16(c, &count, "PropertyProblemCount");
	if (rc == RP_OK)
		rc = alloc_items(c, (void **)&x->u.problems.p, count,
				 sizeof(*x->u.problems.p), 10, "property problems");
	for (size_t i = 0; i < count && rc == RP_OK; i++) {
		struct mbx_problem *p = &x->u.problems.p[i];
		x->u.problems.n = i + 1;
		rc = rp_cur_u16(c, &p->index, "PropertyProblem index");
		if (rc == RP_OK)
			rc = rp_cur_u32(c, &p->tag, "PropertyProblem tag");
		if (rc == RP_OK)
			rc = rp_cur_u32(c, &p->err, "PropertyProblem error");
	}
	return rc;
}

static int names(rp_cur *c, mbx_rop_result *x)
{
	uint16_t count = 0;
	int rc = rp_cur_u16(c, &count, "PropertyNameCount");
	if (rc == RP_OK)
		rc = alloc_items(c, (void **)&x->u.names.names, count,
				 sizeof(mbx_propname), 17, "property names");
	for (size_t i = 0; i < count && rc == RP_OK; i++) {
		x->u.names.n = i + 1;
		rc = mbx_propname_decode(c, &x->u.names.names[i]);
	}
	return rc;
}

/* The fields after ReturnValue of a successful response. */
static int body(rp_cur *c, const mbx_rop_op *op, mbx_rop_result *x)
{
	uint8_t b;
	uint16_t n16;
	int rc;

	switch (op->rop) {
	case MBX_ROP_LOGON:
		return logon(c, op, x);
	case MBX_ROP_GET_RECEIVE_FOLDER:
		rc = rp_cur_u64(c, &x->u.receive_folder.fid, "FolderId");
		return rc < 0 ? rc
			      : dup_cstr(c, &x->u.receive_folder.msgclass,
					 "ExplicitMessageClass");
	case MBX_ROP_LTID_FROM_ID:
		return rp_cur_bytes(c, x->u.ltid, 24, "LongTermId");
	case MBX_ROP_ID_FROM_LTID:
		return rp_cur_u64(c, &x->u.id, "ObjectId");
	case MBX_ROP_OPEN_FOLDER:
		return folder_tail(c, x);
	case MBX_ROP_CREATE_FOLDER:
		rc = rp_cur_u64(c, &x->u.folder.fid, "FolderId");
		if (rc == RP_OK)
			rc = rp_cur_u8(c, &b, "IsExistingFolder");
		if (rc < 0)
			return rc;
		x->u.folder.is_existing = b != 0;
		return b ? folder_tail(c, x) : RP_OK;
	case MBX_ROP_DELETE_FOLDER:
	case MBX_ROP_DELETE_MESSAGES:
		return rp_cur_u8(c, &x->u.partial, "PartialCompletion");
	case MBX_ROP_GET_HIERARCHY_TABLE:
	case MBX_ROP_GET_CONTENTS_TABLE:
		return rp_cur_u32(c, &x->u.row_count, "RowCount");
	case MBX_ROP_SET_COLUMNS:
	case MBX_ROP_SORT_TABLE:
	case MBX_ROP_RESTRICT:
		return rp_cur_u8(c, &x->u.table_status, "TableStatus");
	case MBX_ROP_QUERY_ROWS:
		return rows(c, op, x);
	case MBX_ROP_FIND_ROW:
		rc = rp_cur_u8(c, &b, "RowNoLongerVisible");
		x->u.find.no_longer_visible = b != 0;
		if (rc == RP_OK)
			rc = rp_cur_u8(c, &b, "HasRowData");
		if (rc < 0 || !b)
			return rc;
		x->u.find.has_row = true;
		return mbx_row_decode(c, op->cols, op->ncols, &x->u.find.row);
	case MBX_ROP_OPEN_MESSAGE:
		return open_message(c, x);
	case MBX_ROP_CREATE_MESSAGE:
		rc = rp_cur_u8(c, &b, "HasMessageId");
		x->u.created.has_mid = b != 0;
		if (rc < 0 || !b)
			return rc;
		return rp_cur_u64(c, &x->u.created.mid, "MessageId");
	case MBX_ROP_SAVE_CHANGES_MESSAGE:
		rc = rp_cur_u8(c, &x->u.created.in, "InputHandleIndex");
		if (rc == RP_OK && x->u.created.in != op->in)
			rc = rp_error_set(
			    RP_EFORMAT,
			    "RopSaveChangesMessage: InputHandleIndex %u, the "
			    "request had %u",
			    x->u.created.in, op->in);
		x->u.created.has_mid = true;
		return rc < 0 ? rc : rp_cur_u64(c, &x->u.created.mid, "MessageId");
	case MBX_ROP_GET_PROPS_SPECIFIC:
		return mbx_row_decode(c, op->cols, op->ncols, &x->u.props);
	case MBX_ROP_GET_PROPS_ALL:
		return mbx_proplist_decode(c, &x->u.all.v, &x->u.all.n);
	case MBX_ROP_GET_PROPS_LIST:
		return count_list(c, (void **)&x->u.list.tags, &x->u.list.n, 4,
				  "PropertyTags");
	case MBX_ROP_SET_PROPS:
	case MBX_ROP_DELETE_PROPS:
		return problems(c, x);
	case MBX_ROP_GET_IDS_FROM_NAMES:
		return count_list(c, (void **)&x->u.ids.ids, &x->u.ids.n, 2,
				  "PropertyIds");
	case MBX_ROP_GET_NAMES_FROM_IDS:
		return names(c, x);
	case MBX_ROP_OPEN_STREAM:
		return rp_cur_u32(c, &x->u.stream_size, "StreamSize");
	case MBX_ROP_READ_STREAM:
		rc = rp_cur_u16(c, &n16, "DataSize");
		x->u.read.n = n16;
		return rc < 0 ? rc : rp_cur_view(c, &x->u.read.data, n16, "Data");
	case MBX_ROP_WRITE_STREAM:
		return rp_cur_u16(c, &x->u.written, "WrittenSize");
	default: /* CommitStream, SetStreamSize, Get*Table (rules/permissions),
		    ModifyRules, ModifyPermissions: nothing after ReturnValue */
		return RP_OK;
	}
}

/* The handle index a response echoes (MS-OXCROPS 2.2.x.x.2). */
static uint8_t echoed_index(const mbx_rop_op *op)
{
	if (op->rop == MBX_ROP_SAVE_CHANGES_MESSAGE)
		return op->aux;
	return op->out != NO_SLOT ? op->out : op->in;
}

static int backoff(rp_cur *c, mbx_rop_resp *out)
{
	uint8_t count = 0;
	uint16_t extra;
	int rc = rp_cur_u8(c, &out->bo.logon_id, "RopBackoff LogonId");
	if (rc == RP_OK)
		rc = rp_cur_u32(c, &out->bo.duration_ms, "RopBackoff Duration");
	if (rc == RP_OK)
		rc = rp_cur_u8(c, &count, "BackoffRopCount");
	for (size_t i = 0; i < count && rc == RP_OK; i++) {
		rc = rp_cur_u8(c, &out->bo.rops[i].rop, "RopIdBackoff");
		if (rc == RP_OK)
			rc = rp_cur_u32(c, &out->bo.rops[i].duration_ms,
					"BackoffRop Duration");
		out->bo.nrops = i + 1;
	}
	if (rc == RP_OK)
		rc = rp_cur_u16(c, &extra, "AdditionalDataSize");
	if (rc == RP_OK)
		rc = rp_cur_skip(c, extra, "AdditionalData");
	out->backoff = true;
	return rc;
}

/* RopBufferTooSmall: SizeNeeded(2) + the ROP requests not executed, which
 * must be the tail of ours (RopRelease requests before it may have run). */
static int too_small(rp_cur *c, const mbx_rop_req *req, size_t op, mbx_rop_resp *out)
{
	size_t left;
	int rc = rp_cur_u16(c, &out->size_needed, "SizeNeeded");
	if (rc < 0)
		return rc;
	left = rp_cur_left(c);
	out->too_small = true;
	for (size_t k = op; k < req->nops; k++) {
		if (req->rops.len - req->ops[k].off == left &&
		    !memcmp(req->rops.data + req->ops[k].off, rp_cur_ptr(c), left)) {
			out->next_op = k;
			return rp_cur_skip(c, left, "RequestBuffers");
		}
		if (req->ops[k].rop != MBX_ROP_RELEASE)
			break;
	}
	return rp_error_set(
	    RP_EFORMAT,
	    "RopBufferTooSmall: its %zu bytes of RequestBuffers are not the "
	    "requests from ROP %zu on",
	    left, op);
}

static int result_add(mbx_rop_resp *out, size_t *cap, mbx_rop_result **x)
{
	if (out->n == *cap) {
		size_t nc = *cap ? 2 * *cap : 8;
		mbx_rop_result *r = realloc(out->res, nc * sizeof(*r));
		if (!r)
			return rp_error_set(RP_ENOMEM, "out of memory");
		out->res = r;
		*cap = nc;
	}
	*x = &out->res[out->n++];
	memset(*x, 0, sizeof(**x));
	return RP_OK;
}

static int walk(rp_cur *c, const mbx_rop_req *req, mbx_rop_resp *out)
{
	size_t op = 0, cap = 0;
	uint8_t id;
	int rc;

	while (rp_cur_left(c)) {
		size_t at = c->base + c->off;
		mbx_rop_result *x = NULL; /* result_add sets it (gcc -O3 cannot see it) */
		const mbx_rop_op *o;

		id = rp_cur_ptr(c)[0];
		if (id == MBX_ROP_BUFFER_TOO_SMALL) {
			rc = rp_cur_skip(c, 1, "RopId");
			rc = rc < 0 ? rc : too_small(c, req, op, out);
			if (rc == RP_OK && rp_cur_left(c))
				rc = rp_error_set(
				    RP_EFORMAT,
				    "bytes after RopBufferTooSmall (offset %zu)",
				    c->base + c->off);
			return rc;
		}
		rc = rp_cur_skip(c, 1, "RopId");
		if (rc < 0)
			return rc;
		if (id == MBX_ROP_PENDING) {
			rc = rp_cur_skip(c, 2, "RopPending SessionIndex");
			if (rc < 0)
				return rc;
			continue;
		}
		if (id == MBX_ROP_BACKOFF) {
			rc = backoff(c, out);
			if (rc < 0)
				return rc;
			out->next_op = op;
			continue;
		}
		if (out->backoff)
			return rp_error_set(
			    RP_EFORMAT, "%s response after RopBackoff (offset %zu)",
			    mbx_rop_name(id) ? mbx_rop_name(id) : "unknown ROP", at);
		while (op < req->nops && req->ops[op].rop == MBX_ROP_RELEASE)
			op++;
		if (op >= req->nops)
			return rp_error_set(
			    RP_EFORMAT,
			    "response 0x%02x at offset %zu answers no request "
			    "(%zu ROPs sent)",
			    id, at, req->nops);
		o = &req->ops[op];
		if (id != o->rop)
			return rp_error_set(
			    RP_EFORMAT,
			    "response 0x%02x at offset %zu where %s was due (ROP "
			    "%zu)",
			    id, at, mbx_rop_name(o->rop), op);
		rc = result_add(out, &cap, &x);
		if (rc < 0)
			return rc;
		x->rop = id;
		x->op = op;
		rc = rp_cur_u8(c, &x->index, "handle index");
		if (rc == RP_OK && x->index != echoed_index(o))
			rc = rp_error_set(
			    RP_EFORMAT,
			    "%s: handle index %u, the request had %u (offset %zu)",
			    mbx_rop_name(id), x->index, echoed_index(o), at + 1);
		if (rc == RP_OK)
			rc = rp_cur_u32(c, &x->rv, "ReturnValue");
		if (rc == RP_OK &&
		    (x->rv == 0 ||
		     (id == MBX_ROP_LOGON && x->rv == MBX_EC_WRONG_SERVER) ||
		     (id == MBX_ROP_GET_IDS_FROM_NAMES &&
		      x->rv == MBX_EC_WARN_WITH_ERRORS)))
			rc = body(c, o, x);
		if (rc < 0)
			return rp_error_wrap(rc, "%s (ROP %zu)", mbx_rop_name(id), op);
		op++;
	}
	if (out->backoff)
		return RP_OK;
	while (op < req->nops && req->ops[op].rop == MBX_ROP_RELEASE)
		op++;
	if (op != req->nops)
		return rp_error_set(RP_EFORMAT, "response ends after %zu of %zu ROPs", op,
				    req->nops);
	out->next_op = req->nops;
	return RP_OK;
}

int mbx_rop_resp_parse(const mbx_rop_req *req, const uint8_t *buf, size_t len,
		       mbx_rop_resp *out)
{
	rp_cur c, rops;
	uint16_t size;
	size_t nh;
	int rc;

	memset(out, 0, sizeof(*out));
	rp_cur_init(&c, buf, len);
	rc = rp_cur_u16(&c, &size, "RopSize");
	if (rc < 0)
		return rc;
	if (size < 2 || size > len)
		return rp_error_set(
		    RP_EFORMAT, "RopSize %u in a %zu-byte ROP output buffer", size, len);
	nh = (len - size) / 4;
	if ((len - size) % 4 || nh != req->nhandles)
		return rp_error_set(
		    RP_EFORMAT,
		    "handle table of %zu bytes after RopSize %u, the request "
		    "had %zu handles",
		    len - size, size, req->nhandles);
	rc = rp_cur_sub(&c, &rops, size - 2u, "ROP responses");
	for (size_t i = 0; i < nh && rc == RP_OK; i++)
		rc = rp_cur_u32(&c, &out->handles[i], "handle");
	out->nhandles = nh;
	return rc < 0 ? rc : walk(&rops, req, out);
}
