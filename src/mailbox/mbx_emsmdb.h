/* mbx_emsmdb.h - the mailbox endpoint of MAPI over HTTP: Connect, Execute and
 * Disconnect request/response bodies (HTTP15 2.2.4) and a session over an
 * mbx_http context.
 *
 * The ROP buffers themselves (RopSize, ROP requests/responses, handle table)
 * are mbx_rop.h's business; this layer wraps a ROP input buffer in an
 * RPC_HEADER_EXT (mbx_rpcext.h), sends it, and hands back the response
 * payloads already un-XORed and decompressed, one ROP output buffer each. */
#ifndef MBX_EMSMDB_H
#define MBX_EMSMDB_H

#include "base/rp_buf.h"
#include "mailbox/mbx_http.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Execute Flags (RPC15 3.1.4.2 pulFlags). */
#define MBX_EXEC_NO_COMPRESSION 0x00000001u
#define MBX_EXEC_NO_XOR_MAGIC 0x00000002u
#define MBX_EXEC_CHAIN 0x00000004u
/* MaxRopOut bounds (RPC15 3.1.4.2). */
#define MBX_EXEC_MAX_ROP_OUT 0x40000u
#define MBX_EXEC_MIN_ROP_OUT 8u

/* Connect ErrorCode values (RPC15 3.1.4.1) named in messages. */
#define MBX_EC_ACCESS_DENIED 0x80070005u
#define MBX_EC_LOGIN_FAILURE 0x80040111u
#define MBX_EC_UNKNOWN_USER 0x000003EBu
#define MBX_EC_LOGIN_PERM 0x000003F2u
#define MBX_EC_CLIENT_VER_DISALLOWED 0x000004DFu
#define MBX_EC_RPC_FORMAT 0x000004B6u
#define MBX_EC_SERVER_BUSY 0x00000480u

/* ---- bodies (pure; fuzzed) ---- */

typedef struct mbx_connect_req {
	const char *user_dn; /* the user's legacyExchangeDN (ASCII) */
	uint32_t flags;      /* 0 */
	uint32_t code_page;  /* 0 = 1252 */
	uint32_t lcid;       /* sent as LcidSort and LcidString; 0 = 0x409 */
} mbx_connect_req;

/* Appends a Connect request body (no auxiliary buffer). RP_EINVAL for a
 * missing user_dn. */
int mbx_connect_req_build(const mbx_connect_req *r, rp_buf *out);

typedef struct mbx_connect_rsp {
	uint32_t status_code; /* non-zero: the other fields are 0/NULL */
	uint32_t error_code;
	uint32_t polls_max_ms;
	uint32_t retry_count;
	uint32_t retry_delay_ms;
	char *dn_prefix;    /* UTF-8 copy */
	char *display_name; /* UTF-8 from UTF-16LE */
} mbx_connect_rsp;

/* Parses a Connect response body. RP_EFORMAT with the field and offset. */
int mbx_connect_rsp_parse(const uint8_t *p, size_t len, mbx_connect_rsp *out);
void mbx_connect_rsp_free(mbx_connect_rsp *r);

/* Appends an Execute request body: Flags, RopBufferSize, RPC_HEADER_EXT
 * (Last, uncompressed, not obfuscated) + rop_in, MaxRopOut, empty aux.
 * RP_ELIMIT when rop_in is over 32 KB (one payload, RPC15 3.1.4.1.1). */
int mbx_execute_req_build(uint32_t flags, const uint8_t *rop_in, size_t rop_len,
			  uint32_t max_rop_out, rp_buf *out);

typedef struct mbx_execute_rsp {
	uint32_t status_code;
	uint32_t error_code;
	/* The response payloads after RPC_HEADER_EXT processing (XOR undone,
	 * LZ77 expanded), each one ROP output buffer (RopSize, responses,
	 * handle table); more than one only for chained (packed) responses. */
	rp_buf *payloads;
	size_t n_payloads;
} mbx_execute_rsp;

/* Parses an Execute response body. RP_EFORMAT with the field and offset. */
int mbx_execute_rsp_parse(const uint8_t *p, size_t len, mbx_execute_rsp *out);
void mbx_execute_rsp_free(mbx_execute_rsp *r);

/* Appends a Disconnect request body: AuxiliaryBufferSize 0. */
int mbx_disconnect_req_build(rp_buf *out);
/* StatusCode, ErrorCode of a Disconnect (or any "status, error, aux") body. */
int mbx_status_rsp_parse(const uint8_t *p, size_t len, uint32_t *status_code,
			 uint32_t *error_code);

/* ---- the session ---- */

typedef struct mbx_emsmdb mbx_emsmdb;

/* A session over a new mbx_http context for opts->url (the MailStore URL).
 * No request is sent yet. Errors as mbx_http_new. */
int mbx_emsmdb_new(const mbx_http_opts *opts, mbx_emsmdb **out);
/* Disconnects when connected (errors ignored), then frees. NULL-safe. */
void mbx_emsmdb_free(mbx_emsmdb *e);

/* Connect as user_dn. RP_OK, or RP_EAUTH (HTTP 401, or ErrorCode
 * ecLoginFailure/ecAccessDenied/ecUnknownUser/ecLoginPerm), RP_ENET (other
 * ErrorCode, named in the message), errors of mbx_http_call. Retries
 * ecServerBusy RetryCount times after RetryDelay (each capped). */
int mbx_emsmdb_connect(mbx_emsmdb *e, const mbx_connect_req *req);
const mbx_connect_rsp *mbx_emsmdb_info(const mbx_emsmdb *e);

/* Sends one ROP input buffer (RopSize + ROPs + handle table, mbx_rop.h) and
 * fills *out (caller frees with mbx_execute_rsp_free). flags as
 * MBX_EXEC_*, sent as given: without NoCompression/NoXorMagic the server may
 * compress (fewer bytes on a slow link) and obfuscate; both are undone here
 * (docs/decisions.md). max_rop_out 0 = 0x10000.
 * Session expiry (X-ResponseCode 10): the context is re-established once
 * (Connect again with the old cookies, HTTP15 3.1.5.7); when every
 * handle-table slot of rop_in is 0xFFFFFFFF (the buffer opens its own
 * objects, e.g. starts with RopLogon) it is sent again, else RP_ENET with
 * "session expired; handles lost" and mbx_emsmdb_generation() grows so
 * the caller rebuilds from RopLogon. */
int mbx_emsmdb_execute(mbx_emsmdb *e, uint32_t flags, const uint8_t *rop_in,
		       size_t rop_len, uint32_t max_rop_out, mbx_execute_rsp *out);

/* The mbx_send_fn of mbx_folders.h / mbx_contents.h over a session
 * (ctx = the mbx_emsmdb): one Execute without chaining, the single response
 * payload appended to resp. RP_EFORMAT if the server packs more than one. */
int mbx_emsmdb_send(void *ctx, const uint8_t *req, size_t n, rp_buf *resp);

/* Disconnect (the context and every handle are gone after RP_OK). */
int mbx_emsmdb_disconnect(mbx_emsmdb *e);
/* Grows by one at every successful Connect (first one = 1). */
unsigned mbx_emsmdb_generation(const mbx_emsmdb *e);
/* The transport (request counters, URL). */
mbx_http *mbx_emsmdb_http(mbx_emsmdb *e);

#endif
