/* mbx_rop.c - ROP request builder: ROP names, IDs, handle slots, one
 * function per ROP (the layouts are in mbx_rop.h's comments and the
 * reference, 4.4). The response walker is in mbx_rop_resp.c. */
#include "mailbox/mbx_rop.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_tag.h"

#include <stdlib.h>
#include <string.h>

const char *mbx_rop_name(uint8_t rop)
{
	switch (rop) {
	case MBX_ROP_RELEASE:
		return "RopRelease";
	case MBX_ROP_OPEN_FOLDER:
		return "RopOpenFolder";
	case MBX_ROP_OPEN_MESSAGE:
		return "RopOpenMessage";
	case MBX_ROP_GET_HIERARCHY_TABLE:
		return "RopGetHierarchyTable";
	case MBX_ROP_GET_CONTENTS_TABLE:
		return "RopGetContentsTable";
	case MBX_ROP_CREATE_MESSAGE:
		return "RopCreateMessage";
	case MBX_ROP_GET_PROPS_SPECIFIC:
		return "RopGetPropertiesSpecific";
	case MBX_ROP_GET_PROPS_ALL:
		return "RopGetPropertiesAll";
	case MBX_ROP_GET_PROPS_LIST:
		return "RopGetPropertiesList";
	case MBX_ROP_SET_PROPS:
		return "RopSetProperties";
	case MBX_ROP_DELETE_PROPS:
		return "RopDeleteProperties";
	case MBX_ROP_SAVE_CHANGES_MESSAGE:
		return "RopSaveChangesMessage";
	case MBX_ROP_SET_COLUMNS:
		return "RopSetColumns";
	case MBX_ROP_SORT_TABLE:
		return "RopSortTable";
	case MBX_ROP_RESTRICT:
		return "RopRestrict";
	case MBX_ROP_QUERY_ROWS:
		return "RopQueryRows";
	case MBX_ROP_CREATE_FOLDER:
		return "RopCreateFolder";
	case MBX_ROP_DELETE_FOLDER:
		return "RopDeleteFolder";
	case MBX_ROP_DELETE_MESSAGES:
		return "RopDeleteMessages";
	case MBX_ROP_GET_RECEIVE_FOLDER:
		return "RopGetReceiveFolder";
	case MBX_ROP_OPEN_STREAM:
		return "RopOpenStream";
	case MBX_ROP_READ_STREAM:
		return "RopReadStream";
	case MBX_ROP_WRITE_STREAM:
		return "RopWriteStream";
	case MBX_ROP_SET_STREAM_SIZE:
		return "RopSetStreamSize";
	case MBX_ROP_GET_PERMISSIONS_TABLE:
		return "RopGetPermissionsTable";
	case MBX_ROP_GET_RULES_TABLE:
		return "RopGetRulesTable";
	case MBX_ROP_MODIFY_PERMISSIONS:
		return "RopModifyPermissions";
	case MBX_ROP_MODIFY_RULES:
		return "RopModifyRules";
	case MBX_ROP_LTID_FROM_ID:
		return "RopLongTermIdFromId";
	case MBX_ROP_ID_FROM_LTID:
		return "RopIdFromLongTermId";
	case MBX_ROP_FIND_ROW:
		return "RopFindRow";
	case MBX_ROP_GET_NAMES_FROM_IDS:
		return "RopGetNamesFromPropertyIds";
	case MBX_ROP_GET_IDS_FROM_NAMES:
		return "RopGetPropertyIdsFromNames";
	case MBX_ROP_COMMIT_STREAM:
		return "RopCommitStream";
	case MBX_ROP_PENDING:
		return "RopPending";
	case MBX_ROP_BACKOFF:
		return "RopBackoff";
	case MBX_ROP_LOGON:
		return "RopLogon";
	case MBX_ROP_BUFFER_TOO_SMALL:
		return "RopBufferTooSmall";
	default:
		return NULL;
	}
}

/* GlobalCounter is 6 bytes big-endian after the 2-byte ReplicaId. */
uint64_t mbx_id_counter(uint64_t id)
{
	uint64_t c = 0;
	for (int i = 2; i < 8; i++)
		c = (c << 8) | ((id >> (8 * i)) & 0xFF);
	return c;
}

uint64_t mbx_id_make(uint16_t replica, uint64_t counter)
{
	uint64_t id = replica;
	for (int i = 0; i < 6; i++)
		id |= ((counter >> (8 * (5 - i))) & 0xFF) << (8 * (i + 2));
	return id;
}

/* ---- the request and its handle slots -------------------------------- */

void mbx_rop_req_init(mbx_rop_req *r, uint8_t logon_id)
{
	memset(r, 0, sizeof(*r));
	r->logon_id = logon_id;
}

void mbx_rop_req_free(mbx_rop_req *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nops; i++)
		free(r->ops[i].cols);
	free(r->ops);
	rp_buf_free(&r->rops);
	memset(r, 0, sizeof(*r));
}

static int sticky(mbx_rop_req *r, int rc)
{
	if (rc < 0 && r->err == 0)
		r->err = rc;
	return rc;
}

int mbx_rop_handle(mbx_rop_req *r, uint32_t handle, uint8_t *idx)
{
	if (r->err)
		return r->err;
	for (size_t i = 0; handle != MBX_HANDLE_NONE && i < r->nhandles; i++)
		if (r->handles[i] == handle) {
			*idx = (uint8_t)i;
			return RP_OK;
		}
	if (r->nhandles >= MBX_ROP_MAX_HANDLES)
		return sticky(r, rp_error_set(RP_ELIMIT,
					      "more than %u handles in one request",
					      MBX_ROP_MAX_HANDLES));
	*idx = (uint8_t)r->nhandles;
	r->handles[r->nhandles++] = handle;
	return RP_OK;
}

/* Where a builder starts: enough to undo a half-written ROP. */
typedef struct mark {
	size_t len, nhandles;
	uint8_t rop, in, out, aux;
} mark;

#define NO_SLOT 0xFFu

/* Writes the header RopId LogonId [InputHandleIndex] [OutputHandleIndex],
 * allocating the output slot when out is not NULL. */
static int begin(mbx_rop_req *r, mark *m, uint8_t rop, uint8_t in, uint8_t *out)
{
	int rc;

	m->len = r->rops.len;
	m->nhandles = r->nhandles;
	m->rop = rop;
	m->in = in;
	m->out = NO_SLOT;
	m->aux = 0;
	if (r->err)
		return r->err;
	if (rop != MBX_ROP_LOGON && in >= r->nhandles)
		return sticky(r,
			      rp_error_set(RP_EINVAL,
					   "%s: input slot %u is not in the handle table "
					   "(%zu slots)",
					   mbx_rop_name(rop), in, r->nhandles));
	if (out) {
		if (r->nhandles >= MBX_ROP_MAX_HANDLES)
			return sticky(r, rp_error_set(RP_ELIMIT,
						      "%s: more than %u handles in one "
						      "request",
						      mbx_rop_name(rop),
						      MBX_ROP_MAX_HANDLES));
		m->out = (uint8_t)r->nhandles;
		r->handles[r->nhandles++] = MBX_HANDLE_NONE;
		*out = m->out;
	}
	rc = rp_buf_u8(&r->rops, rop);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, r->logon_id);
	if (rc == RP_OK && rop != MBX_ROP_LOGON)
		rc = rp_buf_u8(&r->rops, in);
	if (rc == RP_OK && out)
		rc = rp_buf_u8(&r->rops, m->out);
	return rc;
}

static size_t payload_size(const mbx_rop_req *r)
{
	return 2 + r->rops.len + 4 * r->nhandles;
}

/* Records the ROP, or undoes it on failure or when the buffer would pass
 * its limit. cols (may be NULL) are copied for the walker. */
static int end(mbx_rop_req *r, const mark *m, int rc, const uint32_t *cols, size_t ncols)
{
	mbx_rop_op *op = NULL; /* set whenever rc is RP_OK (gcc -O3 cannot see it) */

	if (rc == RP_OK && payload_size(r) > MBX_ROP_MAX_REQUEST)
		rc = rp_error_set(
		    RP_ELIMIT,
		    "%s: the ROP buffer would take %zu bytes (the limit is %u)",
		    mbx_rop_name(m->rop), payload_size(r), MBX_ROP_MAX_REQUEST);
	if (rc == RP_OK && r->nops == r->capops) {
		size_t cap = r->capops ? 2 * r->capops : 16;
		mbx_rop_op *ops = realloc(r->ops, cap * sizeof(*ops));
		if (!ops)
			rc = rp_error_set(RP_ENOMEM, "out of memory");
		else {
			r->ops = ops;
			r->capops = cap;
		}
	}
	if (rc == RP_OK) {
		op = &r->ops[r->nops];
		memset(op, 0, sizeof(*op));
		if (ncols) {
			op->cols = malloc(ncols * sizeof(*cols));
			if (!op->cols)
				rc = rp_error_set(RP_ENOMEM, "out of memory");
			else
				memcpy(op->cols, cols, ncols * sizeof(*cols));
		}
	}
	if (rc < 0) {
		/* Undo what this ROP wrote. */
		r->rops.len = m->len;
		r->nhandles = m->nhandles;
		return sticky(r, rc);
	}
	op->rop = m->rop;
	op->in = m->rop == MBX_ROP_LOGON ? NO_SLOT : m->in;
	op->out = m->out;
	op->aux = m->aux;
	op->ncols = ncols;
	op->off = m->len;
	op->len = r->rops.len - m->len;
	r->nops++;
	return RP_OK;
}

int mbx_rop_req_finish(mbx_rop_req *r, rp_buf *out)
{
	int rc;

	if (r->err)
		return r->err;
	if (!r->nops)
		return rp_error_set(RP_EINVAL, "empty ROP request");
	rc = rp_buf_u16le(out, (uint16_t)(2 + r->rops.len));
	if (rc == RP_OK)
		rc = rp_buf_append(out, r->rops.data, r->rops.len);
	for (size_t i = 0; i < r->nhandles && rc == RP_OK; i++)
		rc = rp_buf_u32le(out, r->handles[i]);
	return rc;
}

int mbx_rop_req_tail(const mbx_rop_req *r, size_t first, const uint32_t *handles,
		     size_t nhandles, mbx_rop_req *out)
{
	size_t base;
	int rc;

	mbx_rop_req_init(out, r->logon_id);
	if (r->err)
		return r->err;
	if (first >= r->nops)
		return rp_error_set(RP_EINVAL, "no ROP %zu to resend (%zu ROPs)", first,
				    r->nops);
	if (nhandles != r->nhandles)
		return rp_error_set(RP_EINVAL,
				    "handle table of %zu slots for a request of %zu",
				    nhandles, r->nhandles);
	base = r->ops[first].off;
	rc = rp_buf_append(&out->rops, r->rops.data + base, r->rops.len - base);
	if (rc == RP_OK) {
		out->ops = calloc(r->nops - first, sizeof(*out->ops));
		if (!out->ops)
			rc = rp_error_set(RP_ENOMEM, "out of memory");
		else
			out->capops = r->nops - first;
	}
	memcpy(out->handles, handles, nhandles * sizeof(*handles));
	out->nhandles = nhandles;
	for (size_t i = first; i < r->nops && rc == RP_OK; i++) {
		mbx_rop_op *op = &out->ops[out->nops];
		*op = r->ops[i];
		op->off -= base;
		op->cols = NULL;
		/* Objects of ROPs that did not run do not exist yet. */
		if (op->out != NO_SLOT)
			out->handles[op->out] = MBX_HANDLE_NONE;
		if (r->ops[i].ncols) {
			op->cols = malloc(op->ncols * sizeof(*op->cols));
			if (!op->cols) {
				rc = rp_error_set(RP_ENOMEM, "out of memory");
				break;
			}
			memcpy(op->cols, r->ops[i].cols, op->ncols * sizeof(*op->cols));
		}
		out->nops++;
	}
	if (rc < 0)
		mbx_rop_req_free(out);
	return rc;
}

/* ---- the ROPs ---------------------------------------------------------- */

static int put_cstr(rp_buf *b, const char *s)
{
	int rc = rp_buf_puts(b, s ? s : "");
	return rc < 0 ? rc : rp_buf_u8(b, 0);
}

static int put_tags(rp_buf *b, const uint32_t *tags, size_t n)
{
	int rc;
	if (n > 0xFFFF)
		return rp_error_set(RP_ELIMIT, "%zu property tags", n);
	rc = rp_buf_u16le(b, (uint16_t)n);
	for (size_t i = 0; i < n && rc == RP_OK; i++)
		rc = rp_buf_u32le(b, tags[i]);
	return rc;
}

int mbx_rop_logon(mbx_rop_req *r, uint8_t logon_flags, uint32_t open_flags,
		  uint32_t store_state, const char *essdn, uint8_t *out)
{
	mark m;
	size_t n = essdn && *essdn ? strlen(essdn) + 1 : 0;
	int rc = begin(r, &m, MBX_ROP_LOGON, 0, out);

	m.aux = logon_flags;
	if (rc == RP_OK && n > 0xFFFF)
		rc = rp_error_set(RP_ELIMIT, "RopLogon: DN of %zu bytes", n);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, logon_flags);
	if (rc == RP_OK)
		rc = rp_buf_u32le(&r->rops, open_flags);
	if (rc == RP_OK)
		rc = rp_buf_u32le(&r->rops, store_state);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, (uint16_t)n);
	if (rc == RP_OK && n)
		rc = rp_buf_append(&r->rops, essdn, n);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_release(mbx_rop_req *r, uint8_t in)
{
	mark m;
	return end(r, &m, begin(r, &m, MBX_ROP_RELEASE, in, NULL), NULL, 0);
}

int mbx_rop_get_receive_folder(mbx_rop_req *r, uint8_t in, const char *msgclass)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_GET_RECEIVE_FOLDER, in, NULL);
	if (rc == RP_OK)
		rc = put_cstr(&r->rops, msgclass);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_ltid_from_id(mbx_rop_req *r, uint8_t in, uint64_t id)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_LTID_FROM_ID, in, NULL);
	if (rc == RP_OK)
		rc = rp_buf_u64le(&r->rops, id);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_id_from_ltid(mbx_rop_req *r, uint8_t in, const uint8_t ltid[24])
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_ID_FROM_LTID, in, NULL);
	if (rc == RP_OK)
		rc = rp_buf_append(&r->rops, ltid, 24);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_open_folder(mbx_rop_req *r, uint8_t in, uint64_t fid, uint8_t flags,
			uint8_t *out)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_OPEN_FOLDER, in, out);
	if (rc == RP_OK)
		rc = rp_buf_u64le(&r->rops, fid);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, flags);
	return end(r, &m, rc, NULL, 0);
}

static int put_name(rp_buf *b, bool unicode, const char *s)
{
	if (unicode)
		return rp_utf8_to_utf16le(s ? s : "", strlen(s ? s : ""), b, true);
	for (const char *p = s ? s : ""; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return rp_error_set(
			    RP_EINVAL, "folder name \"%s\" is not ASCII (use Unicode)",
			    s);
	return put_cstr(b, s);
}

int mbx_rop_create_folder(mbx_rop_req *r, uint8_t in, uint8_t type, bool unicode,
			  bool open_existing, const char *name, const char *comment,
			  uint8_t *out)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_CREATE_FOLDER, in, out);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, type);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, unicode ? 1 : 0);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, open_existing ? 1 : 0);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, 0);
	if (rc == RP_OK)
		rc = put_name(&r->rops, unicode, name);
	if (rc == RP_OK)
		rc = put_name(&r->rops, unicode, comment);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_delete_folder(mbx_rop_req *r, uint8_t in, uint8_t flags, uint64_t fid)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_DELETE_FOLDER, in, NULL);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, flags);
	if (rc == RP_OK)
		rc = rp_buf_u64le(&r->rops, fid);
	return end(r, &m, rc, NULL, 0);
}

static int table_rop(mbx_rop_req *r, uint8_t rop, uint8_t in, uint8_t flags, uint8_t *out)
{
	mark m;
	int rc = begin(r, &m, rop, in, out);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, flags);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_get_hierarchy_table(mbx_rop_req *r, uint8_t in, uint8_t flags, uint8_t *out)
{
	return table_rop(r, MBX_ROP_GET_HIERARCHY_TABLE, in, flags, out);
}

int mbx_rop_get_contents_table(mbx_rop_req *r, uint8_t in, uint8_t flags, uint8_t *out)
{
	return table_rop(r, MBX_ROP_GET_CONTENTS_TABLE, in, flags, out);
}

int mbx_rop_get_rules_table(mbx_rop_req *r, uint8_t in, uint8_t flags, uint8_t *out)
{
	return table_rop(r, MBX_ROP_GET_RULES_TABLE, in, flags, out);
}

int mbx_rop_get_permissions_table(mbx_rop_req *r, uint8_t in, uint8_t flags, uint8_t *out)
{
	return table_rop(r, MBX_ROP_GET_PERMISSIONS_TABLE, in, flags, out);
}

int mbx_rop_delete_messages(mbx_rop_req *r, uint8_t in, bool async, bool notify,
			    const uint64_t *mids, size_t n)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_DELETE_MESSAGES, in, NULL);
	if (rc == RP_OK && n > 0xFFFF)
		rc = rp_error_set(RP_ELIMIT, "RopDeleteMessages: %zu messages", n);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, async ? 1 : 0);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, notify ? 1 : 0);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, (uint16_t)n);
	for (size_t i = 0; i < n && rc == RP_OK; i++)
		rc = rp_buf_u64le(&r->rops, mids[i]);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_set_columns(mbx_rop_req *r, uint8_t in, uint8_t flags, const uint32_t *tags,
			size_t n)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_SET_COLUMNS, in, NULL);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, flags);
	if (rc == RP_OK)
		rc = put_tags(&r->rops, tags, n);
	/* Kept so a later RopQueryRows on the slot can find its columns. */
	return end(r, &m, rc, tags, n);
}

int mbx_rop_sort_table(mbx_rop_req *r, uint8_t in, uint8_t flags, const mbx_sort *sorts,
		       size_t n, uint16_t categories, uint16_t expanded)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_SORT_TABLE, in, NULL);
	if (rc == RP_OK && (n > 0xFFFF || categories > n || expanded > categories))
		rc = rp_error_set(
		    RP_EINVAL,
		    "RopSortTable: %zu sort orders, %u categories, %u expanded", n,
		    categories, expanded);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, flags);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, (uint16_t)n);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, categories);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, expanded);
	for (size_t i = 0; i < n && rc == RP_OK; i++)
		rc = mbx_sort_encode(&r->rops, &sorts[i]);
	return end(r, &m, rc, NULL, 0);
}

/* RestrictionDataSize(2) + restriction (size 0 when res is NULL). */
static int put_res(rp_buf *b, const mbx_res *res)
{
	size_t at = b->len;
	int rc = rp_buf_u16le(b, 0);
	if (rc < 0 || !res)
		return rc;
	rc = mbx_res_encode(b, res);
	if (rc == RP_OK && b->len - at - 2 > 0xFFFF)
		rc = rp_error_set(RP_ELIMIT, "restriction of %zu bytes", b->len - at - 2);
	if (rc == RP_OK) {
		b->data[at] = (uint8_t)(b->len - at - 2);
		b->data[at + 1] = (uint8_t)((b->len - at - 2) >> 8);
	}
	return rc;
}

int mbx_rop_restrict(mbx_rop_req *r, uint8_t in, uint8_t flags, const mbx_res *res)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_RESTRICT, in, NULL);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, flags);
	if (rc == RP_OK)
		rc = put_res(&r->rops, res);
	return end(r, &m, rc, NULL, 0);
}

/* The columns of the last RopSetColumns on slot in, earlier in r. */
static int find_cols(mbx_rop_req *r, uint8_t in, const uint32_t **cols, size_t *ncols)
{
	for (size_t i = r->nops; i-- > 0;)
		if (r->ops[i].rop == MBX_ROP_SET_COLUMNS && r->ops[i].in == in) {
			*cols = r->ops[i].cols;
			*ncols = r->ops[i].ncols;
			return RP_OK;
		}
	return rp_error_set(
	    RP_EINVAL,
	    "no columns for the rows of slot %u (no RopSetColumns on it in "
	    "this request)",
	    in);
}

int mbx_rop_query_rows(mbx_rop_req *r, uint8_t in, uint8_t flags, bool forward,
		       uint16_t count, const uint32_t *cols, size_t ncols)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_QUERY_ROWS, in, NULL);
	if (rc == RP_OK && !cols)
		rc = find_cols(r, in, &cols, &ncols);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, flags);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, forward ? 1 : 0);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, count);
	return end(r, &m, rc, cols, ncols);
}

int mbx_rop_find_row(mbx_rop_req *r, uint8_t in, uint8_t flags, const mbx_res *res,
		     uint8_t origin, const uint8_t *bookmark, size_t nbookmark,
		     const uint32_t *cols, size_t ncols)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_FIND_ROW, in, NULL);
	if (rc == RP_OK && !cols)
		rc = find_cols(r, in, &cols, &ncols);
	if (rc == RP_OK && nbookmark > 0xFFFF)
		rc = rp_error_set(RP_ELIMIT, "RopFindRow: bookmark of %zu bytes",
				  nbookmark);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, flags);
	if (rc == RP_OK)
		rc = put_res(&r->rops, res);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, origin);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, (uint16_t)nbookmark);
	if (rc == RP_OK && nbookmark)
		rc = rp_buf_append(&r->rops, bookmark, nbookmark);
	return end(r, &m, rc, cols, ncols);
}

int mbx_rop_open_message(mbx_rop_req *r, uint8_t in, uint16_t cpid, uint64_t fid,
			 uint8_t mode, uint64_t mid, uint8_t *out)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_OPEN_MESSAGE, in, out);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, cpid);
	if (rc == RP_OK)
		rc = rp_buf_u64le(&r->rops, fid);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, mode);
	if (rc == RP_OK)
		rc = rp_buf_u64le(&r->rops, mid);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_create_message(mbx_rop_req *r, uint8_t in, uint16_t cpid, uint64_t fid,
			   bool associated, uint8_t *out)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_CREATE_MESSAGE, in, out);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, cpid);
	if (rc == RP_OK)
		rc = rp_buf_u64le(&r->rops, fid);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, associated ? 1 : 0);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_save_changes_message(mbx_rop_req *r, uint8_t resp_idx, uint8_t in,
				 uint8_t flags)
{
	mark m;
	int rc;

	/* The header is RopId LogonId ResponseHandleIndex InputHandleIndex. */
	if (r->err)
		return r->err;
	if (resp_idx >= r->nhandles)
		return sticky(r,
			      rp_error_set(RP_EINVAL,
					   "RopSaveChangesMessage: response slot %u is "
					   "not in the handle table",
					   resp_idx));
	rc = begin(r, &m, MBX_ROP_SAVE_CHANGES_MESSAGE, resp_idx, NULL);
	m.in = in;
	m.aux = resp_idx;
	if (rc == RP_OK && in >= r->nhandles)
		rc = rp_error_set(
		    RP_EINVAL,
		    "RopSaveChangesMessage: input slot %u is not in the handle "
		    "table",
		    in);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, in);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, flags);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_get_props_specific(mbx_rop_req *r, uint8_t in, uint16_t size_limit,
			       bool unicode, const uint32_t *tags, size_t n)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_GET_PROPS_SPECIFIC, in, NULL);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, size_limit);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, unicode ? 1 : 0);
	if (rc == RP_OK)
		rc = put_tags(&r->rops, tags, n);
	return end(r, &m, rc, tags, n);
}

int mbx_rop_get_props_all(mbx_rop_req *r, uint8_t in, uint16_t size_limit, bool unicode)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_GET_PROPS_ALL, in, NULL);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, size_limit);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, unicode ? 1 : 0);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_get_props_list(mbx_rop_req *r, uint8_t in)
{
	mark m;
	return end(r, &m, begin(r, &m, MBX_ROP_GET_PROPS_LIST, in, NULL), NULL, 0);
}

/* PropertyValueSize(2) counts PropertyValueCount and the values. */
int mbx_rop_set_props(mbx_rop_req *r, uint8_t in, const mapi_value *v, size_t n)
{
	mark m;
	size_t at = 0;
	int rc = begin(r, &m, MBX_ROP_SET_PROPS, in, NULL);
	if (rc == RP_OK) {
		at = r->rops.len;
		rc = rp_buf_u16le(&r->rops, 0);
	}
	if (rc == RP_OK)
		rc = mbx_proplist_encode(&r->rops, v, n);
	if (rc == RP_OK && r->rops.len - at - 2 > 0xFFFF)
		rc = rp_error_set(RP_ELIMIT, "RopSetProperties: %zu bytes of values",
				  r->rops.len - at - 2);
	if (rc == RP_OK) {
		r->rops.data[at] = (uint8_t)(r->rops.len - at - 2);
		r->rops.data[at + 1] = (uint8_t)((r->rops.len - at - 2) >> 8);
	}
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_delete_props(mbx_rop_req *r, uint8_t in, const uint32_t *tags, size_t n)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_DELETE_PROPS, in, NULL);
	if (rc == RP_OK)
		rc = put_tags(&r->rops, tags, n);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_get_ids_from_names(mbx_rop_req *r, uint8_t in, uint8_t flags,
			       const mbx_propname *names, size_t n)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_GET_IDS_FROM_NAMES, in, NULL);
	if (rc == RP_OK && n > 0xFFFF)
		rc = rp_error_set(RP_ELIMIT, "RopGetPropertyIdsFromNames: %zu names", n);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, flags);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, (uint16_t)n);
	for (size_t i = 0; i < n && rc == RP_OK; i++)
		rc = mbx_propname_encode(&r->rops, &names[i]);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_get_names_from_ids(mbx_rop_req *r, uint8_t in, const uint16_t *ids, size_t n)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_GET_NAMES_FROM_IDS, in, NULL);
	if (rc == RP_OK && n > 0xFFFF)
		rc = rp_error_set(RP_ELIMIT, "RopGetNamesFromPropertyIds: %zu IDs", n);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, (uint16_t)n);
	for (size_t i = 0; i < n && rc == RP_OK; i++)
		rc = rp_buf_u16le(&r->rops, ids[i]);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_open_stream(mbx_rop_req *r, uint8_t in, uint32_t tag, uint8_t mode,
			uint8_t *out)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_OPEN_STREAM, in, out);
	if (rc == RP_OK)
		rc = rp_buf_u32le(&r->rops, tag);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, mode);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_read_stream(mbx_rop_req *r, uint8_t in, uint16_t count, uint32_t max)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_READ_STREAM, in, NULL);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, count);
	if (rc == RP_OK && count == 0xBABE)
		rc = rp_buf_u32le(&r->rops, max);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_write_stream(mbx_rop_req *r, uint8_t in, const void *p, size_t n)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_WRITE_STREAM, in, NULL);
	if (rc == RP_OK && n > 0xFFFF)
		rc = rp_error_set(RP_ELIMIT, "RopWriteStream: %zu bytes", n);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, (uint16_t)n);
	if (rc == RP_OK && n)
		rc = rp_buf_append(&r->rops, p, n);
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_commit_stream(mbx_rop_req *r, uint8_t in)
{
	mark m;
	return end(r, &m, begin(r, &m, MBX_ROP_COMMIT_STREAM, in, NULL), NULL, 0);
}

int mbx_rop_set_stream_size(mbx_rop_req *r, uint8_t in, uint64_t size)
{
	mark m;
	int rc = begin(r, &m, MBX_ROP_SET_STREAM_SIZE, in, NULL);
	if (rc == RP_OK)
		rc = rp_buf_u64le(&r->rops, size);
	return end(r, &m, rc, NULL, 0);
}

/* RuleData and PermissionData share one layout: flags(1) count(2) values. */
static int modify_rows(mbx_rop_req *r, uint8_t rop, uint8_t in, uint8_t flags,
		       const mbx_rowmod *rows, size_t n)
{
	mark m;
	int rc = begin(r, &m, rop, in, NULL);
	if (rc == RP_OK && n > 0xFFFF)
		rc = rp_error_set(RP_ELIMIT, "%s: %zu rows", mbx_rop_name(rop), n);
	if (rc == RP_OK)
		rc = rp_buf_u8(&r->rops, flags);
	if (rc == RP_OK)
		rc = rp_buf_u16le(&r->rops, (uint16_t)n);
	for (size_t i = 0; i < n && rc == RP_OK; i++) {
		rc = rp_buf_u8(&r->rops, rows[i].flags);
		if (rc == RP_OK)
			rc = mbx_proplist_encode(&r->rops, rows[i].props, rows[i].nprops);
	}
	return end(r, &m, rc, NULL, 0);
}

int mbx_rop_modify_rules(mbx_rop_req *r, uint8_t in, uint8_t flags,
			 const mbx_rowmod *rules, size_t n)
{
	return modify_rows(r, MBX_ROP_MODIFY_RULES, in, flags, rules, n);
}

int mbx_rop_modify_permissions(mbx_rop_req *r, uint8_t in, uint8_t flags,
			       const mbx_rowmod *rows, size_t n)
{
	return modify_rows(r, MBX_ROP_MODIFY_PERMISSIONS, in, flags, rows, n);
}
