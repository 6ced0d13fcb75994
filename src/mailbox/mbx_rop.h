/* mbx_rop.h - ROP request builder and response walker (MS-OXCROPS), no I/O.
 *
 * A request is a ROP input buffer (MS-OXCROPS 2.2.1; ../shared/reference/
 * mapi-http-protocol.md 4.1): RopSize(2) = 2 + bytes of the ROP requests,
 * the requests back to back, then the server object handle table (u32 per
 * slot). The transport (mbx_emsmdb) wraps it in RPC_HEADER_EXT and Execute.
 *
 * Handles: every object a ROP works on sits in a slot of the handle table;
 * a request names its input slot, an object-creating ROP names a new output
 * slot that the server fills in. The builder allocates slots: known server
 * handles go in with mbx_rop_handle(), output slots are created by the ROP
 * builders (initialised to 0xFFFFFFFF, MBX_HANDLE_NONE) and their index
 * returned, so later ROPs of the same buffer can use them as input. This is
 * what lets one Execute chain OpenFolder -> GetHierarchyTable -> SetColumns
 * -> QueryRows. After the call, mbx_rop_resp_handle() gives the server's
 * handle for a slot; keep the values, build a fresh request next time.
 *
 * Builders return RP_OK or an error (RP_ELIMIT when the buffer would pass
 * MBX_ROP_MAX_REQUEST or the slots run out, RP_EINVAL for a bad argument);
 * the first error is also kept in the request (sticky) and every later
 * builder and mbx_rop_req_finish() return it, so a chain can be checked once.
 *
 * The walker parses the response's ROP output buffer against the request
 * that was sent: responses come in request order, RopRelease has none, the
 * echoed handle index must be the request's; RopBackoff, RopBufferTooSmall
 * and RopPending may appear as the spec allows. A ReturnValue other than 0
 * ends that ROP's response (except RopLogon's redirect, ecWrongServer, and
 * RopGetPropertyIdsFromNames' ecWarnWithErrors, which carry data). Anything
 * else (an unknown ROP id, a wrong index, a short or overlong buffer, a
 * handle table of another size) is RP_EFORMAT naming the ROP and offset. */
#ifndef MBX_ROP_H
#define MBX_ROP_H

#include "base/rp_buf.h"
#include "mailbox/mbx_prop.h"
#include "mailbox/mbx_restrict.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A ROP payload (RopSize + ROPs + handle table) fits one RPC_HEADER_EXT
 * payload: at most 32 KiB (MS-OXCRPC 3.1.4.2.1). */
#define MBX_ROP_MAX_REQUEST 0x8000u
/* Handle-table slots per request (gromox accepts 255, rop_ext.cpp). */
#define MBX_ROP_MAX_HANDLES 255u
#define MBX_HANDLE_NONE 0xFFFFFFFFu

/* ROP ids (MS-OXCROPS 2.2). */
enum mbx_rop_id {
	MBX_ROP_RELEASE = 0x01,
	MBX_ROP_OPEN_FOLDER = 0x02,
	MBX_ROP_OPEN_MESSAGE = 0x03,
	MBX_ROP_GET_HIERARCHY_TABLE = 0x04,
	MBX_ROP_GET_CONTENTS_TABLE = 0x05,
	MBX_ROP_CREATE_MESSAGE = 0x06,
	MBX_ROP_GET_PROPS_SPECIFIC = 0x07,
	MBX_ROP_GET_PROPS_ALL = 0x08,
	MBX_ROP_GET_PROPS_LIST = 0x09,
	MBX_ROP_SET_PROPS = 0x0A,
	MBX_ROP_DELETE_PROPS = 0x0B,
	MBX_ROP_SAVE_CHANGES_MESSAGE = 0x0C,
	MBX_ROP_SET_COLUMNS = 0x12,
	MBX_ROP_SORT_TABLE = 0x13,
	MBX_ROP_RESTRICT = 0x14,
	MBX_ROP_QUERY_ROWS = 0x15,
	MBX_ROP_CREATE_FOLDER = 0x1C,
	MBX_ROP_DELETE_FOLDER = 0x1D,
	MBX_ROP_DELETE_MESSAGES = 0x1E,
	MBX_ROP_GET_RECEIVE_FOLDER = 0x27,
	MBX_ROP_OPEN_STREAM = 0x2B,
	MBX_ROP_READ_STREAM = 0x2C,
	MBX_ROP_WRITE_STREAM = 0x2D,
	MBX_ROP_SET_STREAM_SIZE = 0x2F,
	MBX_ROP_GET_PERMISSIONS_TABLE = 0x3E,
	MBX_ROP_GET_RULES_TABLE = 0x3F,
	MBX_ROP_MODIFY_PERMISSIONS = 0x40,
	MBX_ROP_MODIFY_RULES = 0x41,
	MBX_ROP_LTID_FROM_ID = 0x43,
	MBX_ROP_ID_FROM_LTID = 0x44,
	MBX_ROP_FIND_ROW = 0x4F,
	MBX_ROP_GET_NAMES_FROM_IDS = 0x55,
	MBX_ROP_GET_IDS_FROM_NAMES = 0x56,
	MBX_ROP_COMMIT_STREAM = 0x5D,
	MBX_ROP_PENDING = 0x6E,
	MBX_ROP_BACKOFF = 0xF9,
	MBX_ROP_LOGON = 0xFE,
	MBX_ROP_BUFFER_TOO_SMALL = 0xFF
};

/* Name of a ROP id ("RopLogon"), or NULL if not one handled here. */
const char *mbx_rop_name(uint8_t rop);

/* RopLogon flags (MS-OXCSTOR 2.2.1.1.1). */
#define MBX_LOGON_PRIVATE 0x01u
#define MBX_OPEN_USE_ADMIN_PRIVILEGE 0x00000001u
#define MBX_OPEN_PUBLIC 0x00000002u
#define MBX_OPEN_HOME_LOGON 0x00000004u
#define MBX_OPEN_TAKE_OWNERSHIP 0x00000008u
#define MBX_OPEN_NO_MAIL 0x00000400u
#define MBX_OPEN_PER_MDB_REPLID 0x01000000u
/* OpenFlags of a private logon as MS-OXCSTOR 4.1 sends them; used for the
 * user's own mailbox and, with that user's DN, for another user's mailbox
 * (Full Access: no admin privilege; docs/decisions.md). */
#define MBX_OPEN_PRIVATE_DEFAULT 0x0100040Cu

/* Special folders: index into the private RopLogon response's FolderIds
 * (MS-OXCSTOR 2.2.1.1.3). */
enum mbx_logon_fid {
	MBX_FID_ROOT = 0,
	MBX_FID_DEFERRED_ACTION = 1,
	MBX_FID_SPOOLER_QUEUE = 2,
	MBX_FID_IPM_SUBTREE = 3,
	MBX_FID_INBOX = 4,
	MBX_FID_OUTBOX = 5,
	MBX_FID_SENT_ITEMS = 6,
	MBX_FID_DELETED_ITEMS = 7,
	MBX_FID_COMMON_VIEWS = 8,
	MBX_FID_SCHEDULE = 9,
	MBX_FID_FINDER = 10,
	MBX_FID_VIEWS = 11,
	MBX_FID_SHORTCUTS = 12,
	MBX_FID_COUNT = 13
};

/* Table flags (MS-OXCFOLD 2.2.1.13.1, 2.2.1.14.1). */
#define MBX_TABLE_ASSOCIATED 0x02u
#define MBX_TABLE_DEPTH 0x04u /* CONVENIENT_DEPTH: the whole subtree */
#define MBX_TABLE_DEFERRED_ERRORS 0x08u
#define MBX_TABLE_NO_NOTIFICATIONS 0x10u
#define MBX_TABLE_SOFT_DELETES 0x20u
#define MBX_TABLE_UNICODE 0x40u
/* RopQueryRows flags / RopFindRow origin and bookmarks (MS-OXCTABL 2.2.2). */
#define MBX_QUERY_ADVANCE 0x00u
#define MBX_QUERY_NO_ADVANCE 0x01u
#define MBX_BOOKMARK_BEGINNING 0x00u
#define MBX_BOOKMARK_CURRENT 0x01u
#define MBX_BOOKMARK_END 0x02u
/* RopSaveChangesMessage SaveFlags (MS-OXCMSG 2.2.3.3.1; MS-OXCMSG 4.8.1
 * sends 0x0A): one of these values, not bits to combine. */
#define MBX_SAVE_KEEP_OPEN_READ_ONLY 0x09u
#define MBX_SAVE_KEEP_OPEN_READ_WRITE 0x0Au
#define MBX_SAVE_FORCE 0x0Cu
/* Open modes: messages (0 read-only, 1 read-write, 3 best access), streams
 * (0 read-only, 1 read-write, 2 create). */
#define MBX_OPEN_READ_ONLY 0x00u
#define MBX_OPEN_READ_WRITE 0x01u
#define MBX_OPEN_CREATE 0x02u
#define MBX_OPEN_BEST_ACCESS 0x03u
/* RuleData / PermissionData flags (MS-OXORULE 2.2.1.3.1.2, MS-OXCPERM 2.2.2). */
#define MBX_ROW_ADD 0x01u
#define MBX_ROW_MODIFY 0x02u
#define MBX_ROW_REMOVE 0x04u
#define MBX_MODIFY_RULES_REPLACE 0x01u
#define MBX_MODIFY_PERMS_REPLACE 0x01u
#define MBX_PERMS_INCLUDE_FREEBUSY 0x02u

/* Return values the layer itself looks at (MS-OXCDATA 2.4). */
#define MBX_EC_WRONG_SERVER 0x00000478u
#define MBX_EC_NULL_OBJECT 0x000004B9u
#define MBX_EC_BUFFER_TOO_SMALL 0x0000047Du

/* One RuleData / PermissionData entry: flags + TaggedPropertyValues. */
typedef struct mbx_rowmod {
	uint8_t flags;
	const mapi_value *props;
	size_t nprops;
} mbx_rowmod;

/* What the builder remembers of one ROP, for the walker and for resending. */
typedef struct mbx_rop_op {
	uint8_t rop;
	uint8_t in;     /* input slot (RopLogon: none, 0xFF) */
	uint8_t out;    /* output slot, or 0xFF */
	uint8_t aux;    /* RopLogon: LogonFlags; SaveChangesMessage: response index */
	uint32_t *cols; /* QueryRows/FindRow columns, GetPropertiesSpecific tags */
	size_t ncols;
	size_t off, len; /* the request's bytes in mbx_rop_req.rops */
} mbx_rop_op;

typedef struct mbx_rop_req {
	uint8_t logon_id;
	rp_buf rops;
	uint32_t handles[MBX_ROP_MAX_HANDLES];
	size_t nhandles;
	mbx_rop_op *ops;
	size_t nops, capops;
	int err; /* sticky first error */
} mbx_rop_req;

/* logon_id: the LogonId every ROP of this request carries (the client picks
 * it in RopLogon and repeats it). */
void mbx_rop_req_init(mbx_rop_req *r, uint8_t logon_id);
void mbx_rop_req_free(mbx_rop_req *r);
/* Puts a server handle into a slot (the same handle reuses its slot). */
int mbx_rop_handle(mbx_rop_req *r, uint32_t handle, uint8_t *idx);
/* Appends RopSize + ROPs + handle table to out (the ROP input buffer). */
int mbx_rop_req_finish(mbx_rop_req *r, rp_buf *out);
/* A new request holding the ROPs from op index first on, with the handle
 * table of the response to the original (so slots filled by ROPs that ran
 * keep their handles): the resend after RopBackoff or RopBufferTooSmall. */
int mbx_rop_req_tail(const mbx_rop_req *r, size_t first, const uint32_t *handles,
		     size_t nhandles, mbx_rop_req *out);

/* The ROP builders. in = input slot; out receives the new output slot. */
int mbx_rop_logon(mbx_rop_req *r, uint8_t logon_flags, uint32_t open_flags,
		  uint32_t store_state, const char *essdn, uint8_t *out);
int mbx_rop_release(mbx_rop_req *r, uint8_t in);
int mbx_rop_get_receive_folder(mbx_rop_req *r, uint8_t in, const char *msgclass);
int mbx_rop_ltid_from_id(mbx_rop_req *r, uint8_t in, uint64_t id);
int mbx_rop_id_from_ltid(mbx_rop_req *r, uint8_t in, const uint8_t ltid[24]);
int mbx_rop_open_folder(mbx_rop_req *r, uint8_t in, uint64_t fid, uint8_t flags,
			uint8_t *out);
/* unicode: names as UTF-16 (else 8-bit, which must be ASCII). */
int mbx_rop_create_folder(mbx_rop_req *r, uint8_t in, uint8_t type, bool unicode,
			  bool open_existing, const char *name, const char *comment,
			  uint8_t *out);
int mbx_rop_delete_folder(mbx_rop_req *r, uint8_t in, uint8_t flags, uint64_t fid);
int mbx_rop_get_hierarchy_table(mbx_rop_req *r, uint8_t in, uint8_t flags, uint8_t *out);
int mbx_rop_get_contents_table(mbx_rop_req *r, uint8_t in, uint8_t flags, uint8_t *out);
int mbx_rop_delete_messages(mbx_rop_req *r, uint8_t in, bool async, bool notify,
			    const uint64_t *mids, size_t n);
int mbx_rop_set_columns(mbx_rop_req *r, uint8_t in, uint8_t flags, const uint32_t *tags,
			size_t n);
int mbx_rop_sort_table(mbx_rop_req *r, uint8_t in, uint8_t flags, const mbx_sort *sorts,
		       size_t n, uint16_t categories, uint16_t expanded);
/* res NULL clears the restriction. */
int mbx_rop_restrict(mbx_rop_req *r, uint8_t in, uint8_t flags, const mbx_res *res);
/* cols: the table's columns, for parsing the rows; NULL = those of the last
 * RopSetColumns on slot in earlier in this request (RP_EINVAL if none). */
int mbx_rop_query_rows(mbx_rop_req *r, uint8_t in, uint8_t flags, bool forward,
		       uint16_t count, const uint32_t *cols, size_t ncols);
int mbx_rop_find_row(mbx_rop_req *r, uint8_t in, uint8_t flags, const mbx_res *res,
		     uint8_t origin, const uint8_t *bookmark, size_t nbookmark,
		     const uint32_t *cols, size_t ncols);
int mbx_rop_open_message(mbx_rop_req *r, uint8_t in, uint16_t cpid, uint64_t fid,
			 uint8_t mode, uint64_t mid, uint8_t *out);
int mbx_rop_create_message(mbx_rop_req *r, uint8_t in, uint16_t cpid, uint64_t fid,
			   bool associated, uint8_t *out);
/* resp_idx: the slot echoed in the response (usually in). */
int mbx_rop_save_changes_message(mbx_rop_req *r, uint8_t resp_idx, uint8_t in,
				 uint8_t flags);
int mbx_rop_get_props_specific(mbx_rop_req *r, uint8_t in, uint16_t size_limit,
			       bool unicode, const uint32_t *tags, size_t n);
int mbx_rop_get_props_all(mbx_rop_req *r, uint8_t in, uint16_t size_limit, bool unicode);
int mbx_rop_get_props_list(mbx_rop_req *r, uint8_t in);
int mbx_rop_set_props(mbx_rop_req *r, uint8_t in, const mapi_value *v, size_t n);
int mbx_rop_delete_props(mbx_rop_req *r, uint8_t in, const uint32_t *tags, size_t n);
/* flags 0x02 = create the IDs of names the mailbox does not know yet. */
int mbx_rop_get_ids_from_names(mbx_rop_req *r, uint8_t in, uint8_t flags,
			       const mbx_propname *names, size_t n);
int mbx_rop_get_names_from_ids(mbx_rop_req *r, uint8_t in, const uint16_t *ids, size_t n);
int mbx_rop_open_stream(mbx_rop_req *r, uint8_t in, uint32_t tag, uint8_t mode,
			uint8_t *out);
/* count 0xBABE: read up to max bytes (MaximumByteCount); else max ignored. */
int mbx_rop_read_stream(mbx_rop_req *r, uint8_t in, uint16_t count, uint32_t max);
int mbx_rop_write_stream(mbx_rop_req *r, uint8_t in, const void *p, size_t n);
int mbx_rop_commit_stream(mbx_rop_req *r, uint8_t in);
int mbx_rop_set_stream_size(mbx_rop_req *r, uint8_t in, uint64_t size);
int mbx_rop_get_rules_table(mbx_rop_req *r, uint8_t in, uint8_t flags, uint8_t *out);
int mbx_rop_modify_rules(mbx_rop_req *r, uint8_t in, uint8_t flags,
			 const mbx_rowmod *rules, size_t n);
int mbx_rop_get_permissions_table(mbx_rop_req *r, uint8_t in, uint8_t flags,
				  uint8_t *out);
int mbx_rop_modify_permissions(mbx_rop_req *r, uint8_t in, uint8_t flags,
			       const mbx_rowmod *rows, size_t n);

/* ---- Responses ---- */

/* A RopOpenMessage recipient row, kept as sent (MS-OXCMSG 2.2.3.1.2:
 * RecipientType, CodePageId, then the RecipientRow of RecipientRowSize). */
typedef struct mbx_recip_raw {
	uint8_t type;
	uint16_t cpid;
	uint8_t *row;
	size_t nrow;
} mbx_recip_raw;

typedef struct mbx_rop_result {
	uint8_t rop;
	uint8_t index; /* handle index the response echoed */
	uint32_t rv;   /* ReturnValue */
	size_t op;     /* the request (index into mbx_rop_req.ops) */
	union {
		struct {
			bool is_private;
			uint8_t logon_flags;
			uint64_t fids[MBX_FID_COUNT];
			uint8_t response_flags;   /* private */
			uint8_t mailbox_guid[16]; /* private */
			uint16_t replid;
			uint8_t replguid[16];
			uint8_t per_user_guid[16]; /* public */
			uint8_t logon_time[8]; /* private: s min h wday day mon year(2) */
			uint64_t gwart_time;   /* private */
			uint32_t store_state;  /* private */
			char *redirect_server; /* rv == ecWrongServer */
		} logon;
		struct {
			uint64_t fid;
			char *msgclass;
		} receive_folder;
		uint8_t ltid[24];
		uint64_t id;
		struct {
			bool has_rules, is_ghosted, is_existing;
			uint64_t fid; /* CreateFolder */
			uint16_t cheap_servers;
			char **servers;
			size_t nservers;
		} folder;
		uint32_t row_count;   /* Get*Table */
		uint8_t partial;      /* DeleteFolder, DeleteMessages */
		uint8_t table_status; /* SetColumns, SortTable, Restrict */
		struct {
			uint8_t origin;
			mbx_row *rows;
			size_t nrows;
		} query;
		struct {
			bool no_longer_visible;
			bool has_row;
			mbx_row row;
		} find;
		struct {
			bool has_named;
			char *subject_prefix;     /* UTF-8, NULL when absent */
			char *normalized_subject; /* UTF-8, NULL when absent */
			uint16_t recipient_count;
			uint32_t *recip_cols;
			size_t nrecip_cols;
			mbx_recip_raw *recips;
			size_t nrecips;
		} message;
		struct {
			bool has_mid;
			uint64_t mid;
			uint8_t in; /* SaveChangesMessage: InputHandleIndex */
		} created;
		mbx_row props; /* GetPropertiesSpecific */
		struct {
			mapi_value *v;
			size_t n;
		} all; /* GetPropertiesAll */
		struct {
			uint32_t *tags;
			size_t n;
		} list; /* GetPropertiesList */
		struct {
			struct mbx_problem {
				uint16_t index;
				uint32_t tag;
				uint32_t err;
			} * p;
			size_t n;
		} problems; /* SetProperties, DeleteProperties */
		struct {
			uint16_t *ids;
			size_t n;
		} ids; /* GetPropertyIdsFromNames */
		struct {
			mbx_propname *names;
			size_t n;
		} names;              /* GetNamesFromPropertyIds */
		uint32_t stream_size; /* OpenStream */
		struct {
			const uint8_t *data; /* points into the response buffer */
			size_t n;
		} read;           /* ReadStream */
		uint16_t written; /* WriteStream */
	} u;
} mbx_rop_result;

typedef struct mbx_backoff {
	uint8_t logon_id;
	uint32_t duration_ms;
	struct {
		uint8_t rop;
		uint32_t duration_ms;
	} rops[255];
	size_t nrops;
} mbx_backoff;

typedef struct mbx_rop_resp {
	mbx_rop_result *res;
	size_t n;
	uint32_t handles[MBX_ROP_MAX_HANDLES];
	size_t nhandles;
	/* The first request not executed (== req->nops when all ran), with the
	 * reason: RopBufferTooSmall (resend with a MaxRopOut >= size_needed)
	 * or RopBackoff (wait, then resend; mbx_rop_req_tail). */
	size_t next_op;
	bool too_small;
	uint16_t size_needed;
	bool backoff;
	mbx_backoff bo;
} mbx_rop_resp;

/* Parses a ROP output buffer (RopSize + responses + handle table: one
 * payload after RPC_HEADER_EXT, decompressed) against the request that was
 * sent. ReadStream data points into buf, which must outlive *out. *out is
 * freed with mbx_rop_resp_free (also after an error). */
int mbx_rop_resp_parse(const mbx_rop_req *req, const uint8_t *buf, size_t len,
		       mbx_rop_resp *out);
void mbx_rop_resp_free(mbx_rop_resp *resp);
/* The server's handle in slot idx after the call (MBX_HANDLE_NONE if the ROP
 * that should have filled it failed or did not run). */
uint32_t mbx_rop_resp_handle(const mbx_rop_resp *resp, uint8_t idx);
/* The result of request op, or NULL (RopRelease, or not executed). */
const mbx_rop_result *mbx_rop_resp_for(const mbx_rop_resp *resp, size_t op);

/* Folder and message IDs (MS-OXCDATA 2.2.1.1): the 8 wire bytes read
 * little-endian, so ReplicaId is the low 16 bits and GlobalCounter the
 * next 6 bytes big-endian. */
static inline uint16_t mbx_id_replica(uint64_t id)
{
	return (uint16_t)(id & 0xFFFFu);
}
uint64_t mbx_id_counter(uint64_t id);
uint64_t mbx_id_make(uint16_t replica, uint64_t counter);

#endif
