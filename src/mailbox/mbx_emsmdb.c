/* mbx_emsmdb.c - EMSMDB request/response bodies (HTTP15 2.2.4) and the
 * Connect / Execute / Disconnect session over one mbx_http context. */
#include "mailbox/mbx_emsmdb.h"

#include "base/rp_cur.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mailbox/mbx_rpcext.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- bodies ---- */

int mbx_connect_req_build(const mbx_connect_req *r, rp_buf *out)
{
	int rc;
	uint32_t lcid = r->lcid ? r->lcid : 0x409;
	if (!r->user_dn || !*r->user_dn)
		return rp_error_set(RP_EINVAL, "Connect: no user legacyExchangeDN");
	/* The same LCID in both fields: gromox reads them in the other order
	 * (reference 2.1). */
	if ((rc = rp_buf_append(out, r->user_dn, strlen(r->user_dn) + 1)) ||
	    (rc = rp_buf_u32le(out, r->flags)) ||
	    (rc = rp_buf_u32le(out, r->code_page ? r->code_page : 1252)) ||
	    (rc = rp_buf_u32le(out, lcid)) || (rc = rp_buf_u32le(out, lcid)) ||
	    (rc = rp_buf_u32le(out, 0)))
		return rc;
	return RP_OK;
}

void mbx_connect_rsp_free(mbx_connect_rsp *r)
{
	free(r->dn_prefix);
	free(r->display_name);
	memset(r, 0, sizeof(*r));
}

/* AuxiliaryBufferSize + AuxiliaryBuffer: checked for size, content skipped
 * (informational, RPC15 3.1.4.1.2). Nothing may follow. */
static int aux_tail(rp_cur *c, const char *what)
{
	uint32_t n;
	int rc;
	if ((rc = rp_cur_u32(c, &n, "AuxiliaryBufferSize")) ||
	    (rc = rp_cur_skip(c, n, "AuxiliaryBuffer")))
		return rp_error_wrap(rc, "%s response", what);
	if (rp_cur_left(c))
		return rp_error_set(RP_EFORMAT, "%s response: %zu bytes after the end",
				    what, rp_cur_left(c));
	return RP_OK;
}

int mbx_connect_rsp_parse(const uint8_t *p, size_t len, mbx_connect_rsp *r)
{
	rp_cur c;
	const char *s;
	const uint8_t *w;
	size_t n, wn;
	int rc;
	memset(r, 0, sizeof(*r));
	rp_cur_init(&c, p, len);
	if ((rc = rp_cur_u32(&c, &r->status_code, "StatusCode")))
		return rp_error_wrap(rc, "Connect response");
	if (r->status_code)
		return RP_OK; /* then only an auxiliary buffer (or gromox's copy) */
	if ((rc = rp_cur_u32(&c, &r->error_code, "ErrorCode")) ||
	    (rc = rp_cur_u32(&c, &r->polls_max_ms, "PollsMax")) ||
	    (rc = rp_cur_u32(&c, &r->retry_count, "RetryCount")) ||
	    (rc = rp_cur_u32(&c, &r->retry_delay_ms, "RetryDelay")) ||
	    (rc = rp_cur_cstr(&c, &s, &n, "DnPrefix")) ||
	    (rc = rp_cur_wstr(&c, &w, &wn, "DisplayName")))
		return rp_error_wrap(rc, "Connect response");
	if (!(r->dn_prefix = rp_strndup(s, n)))
		return rp_error_set(RP_ENOMEM, "out of memory");
	if ((rc = rp_utf16le_to_utf8(w, wn, &r->display_name))) {
		mbx_connect_rsp_free(r);
		return rp_error_wrap(rc, "Connect response DisplayName");
	}
	if ((rc = aux_tail(&c, "Connect"))) {
		mbx_connect_rsp_free(r);
		return rc;
	}
	return RP_OK;
}

int mbx_execute_req_build(uint32_t flags, const uint8_t *rop_in, size_t rop_len,
			  uint32_t max_rop_out, rp_buf *out)
{
	int rc;
	if (rop_len == 0 || rop_len > MBX_RPCEXT_MAX_PAYLOAD)
		return rp_error_set(
		    RP_ELIMIT, "Execute: ROP buffer of %zu bytes (1 to 32768 allowed)",
		    rop_len);
	if (max_rop_out < MBX_EXEC_MIN_ROP_OUT || max_rop_out > MBX_EXEC_MAX_ROP_OUT)
		return rp_error_set(RP_EINVAL, "Execute: MaxRopOut %u out of 8..0x40000",
				    max_rop_out);
	if ((rc = rp_buf_u32le(out, flags)) ||
	    (rc = rp_buf_u32le(out, (uint32_t)(MBX_RPCEXT_SIZE + rop_len))) ||
	    (rc = mbx_rpcext_put(out, MBX_RPCEXT_LAST, (uint16_t)rop_len,
				 (uint16_t)rop_len)) ||
	    (rc = rp_buf_append(out, rop_in, rop_len)) ||
	    (rc = rp_buf_u32le(out, max_rop_out)) || (rc = rp_buf_u32le(out, 0)))
		return rc;
	return RP_OK;
}

void mbx_execute_rsp_free(mbx_execute_rsp *r)
{
	mbx_rpcext_free(r->payloads, r->n_payloads);
	memset(r, 0, sizeof(*r));
}

int mbx_execute_rsp_parse(const uint8_t *p, size_t len, mbx_execute_rsp *r)
{
	rp_cur c;
	uint32_t flags, size;
	const uint8_t *rops;
	int rc;
	memset(r, 0, sizeof(*r));
	rp_cur_init(&c, p, len);
	if ((rc = rp_cur_u32(&c, &r->status_code, "StatusCode")))
		return rp_error_wrap(rc, "Execute response");
	if (r->status_code)
		return RP_OK;
	if ((rc = rp_cur_u32(&c, &r->error_code, "ErrorCode")) ||
	    (rc = rp_cur_u32(&c, &flags, "Flags")) ||
	    (rc = rp_cur_u32(&c, &size, "RopBufferSize")))
		return rp_error_wrap(rc, "Execute response");
	if (r->error_code)
		return RP_OK; /* no ROP buffer worth reading */
	if (size > MBX_EXEC_MAX_ROP_OUT)
		return rp_error_set(
		    RP_EFORMAT, "Execute response: RopBufferSize %u over 0x40000", size);
	if ((rc = rp_cur_view(&c, &rops, size, "RopBuffer")))
		return rp_error_wrap(rc, "Execute response");
	if ((rc = aux_tail(&c, "Execute")))
		return rc;
	if ((rc = mbx_rpcext_unpack(rops, size, &r->payloads, &r->n_payloads)))
		return rp_error_wrap(rc, "Execute response RopBuffer");
	return RP_OK;
}

int mbx_disconnect_req_build(rp_buf *out)
{
	return rp_buf_u32le(out, 0);
}

int mbx_status_rsp_parse(const uint8_t *p, size_t len, uint32_t *status_code,
			 uint32_t *error_code)
{
	rp_cur c;
	int rc;
	*error_code = 0;
	rp_cur_init(&c, p, len);
	if ((rc = rp_cur_u32(&c, status_code, "StatusCode")))
		return rp_error_wrap(rc, "response");
	if (*status_code)
		return RP_OK;
	if ((rc = rp_cur_u32(&c, error_code, "ErrorCode")))
		return rp_error_wrap(rc, "response");
	return RP_OK;
}

/* ---- the session ---- */

struct mbx_emsmdb {
	mbx_http *http;
	mbx_connect_req req; /* the last Connect, for reconnecting */
	char *user_dn;
	mbx_connect_rsp info;
	bool connected;
	unsigned generation;
};

int mbx_emsmdb_new(const mbx_http_opts *opts, mbx_emsmdb **out)
{
	int rc;
	mbx_emsmdb *e = calloc(1, sizeof(*e));
	*out = NULL;
	if (!e)
		return rp_error_set(RP_ENOMEM, "out of memory");
	if ((rc = mbx_http_new(opts, &e->http))) {
		free(e);
		return rc;
	}
	*out = e;
	return RP_OK;
}

void mbx_emsmdb_free(mbx_emsmdb *e)
{
	if (!e)
		return;
	if (e->connected)
		(void)mbx_emsmdb_disconnect(e);
	mbx_http_free(e->http);
	mbx_connect_rsp_free(&e->info);
	free(e->user_dn);
	free(e);
}

const mbx_connect_rsp *mbx_emsmdb_info(const mbx_emsmdb *e)
{
	return &e->info;
}

unsigned mbx_emsmdb_generation(const mbx_emsmdb *e)
{
	return e->generation;
}

mbx_http *mbx_emsmdb_http(mbx_emsmdb *e)
{
	return e->http;
}

static const char *connect_error_text(uint32_t ec)
{
	switch (ec) {
	case MBX_EC_ACCESS_DENIED:
		return "ecAccessDenied: the account may not open this mailbox";
	case MBX_EC_LOGIN_FAILURE:
		return "ecLoginFailure: the server refused the logon";
	case MBX_EC_UNKNOWN_USER:
		return "ecUnknownUser: no mailbox for this legacyExchangeDN";
	case MBX_EC_LOGIN_PERM:
		return "ecLoginPerm: no permission for this kind of logon";
	case MBX_EC_CLIENT_VER_DISALLOWED:
		return "ecClientVerDisallowed: the administrator blocks this client "
		       "version";
	case MBX_EC_SERVER_BUSY:
		return "ecServerBusy";
	case 0x80040110u:
		return "ecVersionMismatch";
	case 0x00000970u:
		return "ecNotEncrypted";
	case 0x000004E1u:
		return "ecCachedModeRequired";
	case 0x000004E0u:
		return "ecRpcHttpDisallowed";
	case 0x000007D8u:
		return "ecProtocolDisabled";
	default:
		return "error";
	}
}

/* Busy server: at most this many retries and this long a wait each, whatever
 * the server asks (a logon script must not hang). */
#define CONNECT_MAX_RETRIES 3
#define CONNECT_MAX_DELAY_MS 5000

static void sleep_ms(uint32_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static int do_connect(mbx_emsmdb *e)
{
	rp_buf body = RP_BUF_INIT;
	int rc = mbx_connect_req_build(&e->req, &body);
	for (unsigned attempt = 0; !rc; attempt++) {
		mbx_http_resp resp;
		mbx_connect_rsp_free(&e->info);
		rc = mbx_http_call(e->http, "Connect", body.data, body.len, &resp);
		if (!rc)
			rc = mbx_connect_rsp_parse(resp.body.data, resp.body.len,
						   &e->info);
		mbx_http_resp_free(&resp);
		if (rc)
			break;
		if (e->info.status_code) {
			rc = rp_error_set(RP_ENET, "Connect to %s: StatusCode 0x%08X",
					  mbx_http_url(e->http), e->info.status_code);
			break;
		}
		uint32_t ec = e->info.error_code;
		if (ec == 0) {
			e->connected = true;
			e->generation++;
			break;
		}
		if (ec == MBX_EC_SERVER_BUSY && attempt < CONNECT_MAX_RETRIES &&
		    attempt < e->info.retry_count) {
			uint32_t d = e->info.retry_delay_ms;
			sleep_ms(d > CONNECT_MAX_DELAY_MS ? CONNECT_MAX_DELAY_MS : d);
			continue;
		}
		rc = rp_error_set(
		    ec == MBX_EC_ACCESS_DENIED || ec == MBX_EC_LOGIN_FAILURE ||
			    ec == MBX_EC_UNKNOWN_USER || ec == MBX_EC_LOGIN_PERM
			? RP_EAUTH
			: RP_ENET,
		    "Connect to %s as '%s': ErrorCode 0x%08X (%s)", mbx_http_url(e->http),
		    e->req.user_dn, ec, connect_error_text(ec));
		break;
	}
	rp_buf_free(&body);
	return rc;
}

int mbx_emsmdb_connect(mbx_emsmdb *e, const mbx_connect_req *req)
{
	char *dn = req->user_dn ? rp_strdup(req->user_dn) : NULL;
	if (req->user_dn && !dn)
		return rp_error_set(RP_ENOMEM, "out of memory");
	free(e->user_dn);
	e->user_dn = dn;
	e->req = *req;
	e->req.user_dn = e->user_dn;
	return do_connect(e);
}

/* true when no slot of the ROP input buffer's handle table holds a handle of
 * the old session: the buffer can be sent again after a reconnect. */
static bool self_contained(const uint8_t *rop_in, size_t len)
{
	if (len < 2)
		return false;
	size_t rop_size = rp_le16(rop_in);
	if (rop_size < 2 || rop_size > len || (len - rop_size) % 4)
		return false;
	for (size_t o = rop_size; o < len; o += 4)
		if (rp_le32(rop_in + o) != 0xFFFFFFFFu)
			return false;
	return true;
}

int mbx_emsmdb_execute(mbx_emsmdb *e, uint32_t flags, const uint8_t *rop_in,
		       size_t rop_len, uint32_t max_rop_out, mbx_execute_rsp *out)
{
	rp_buf body = RP_BUF_INIT;
	int rc;
	memset(out, 0, sizeof(*out));
	if (!e->connected)
		return rp_error_set(RP_EINVAL, "Execute before Connect");
	rc = mbx_execute_req_build(flags, rop_in, rop_len,
				   max_rop_out ? max_rop_out : 0x10000, &body);
	for (int round = 0; !rc; round++) {
		mbx_http_resp resp;
		rc = mbx_http_call(e->http, "Execute", body.data, body.len, &resp);
		uint32_t code = resp.response_code;
		if (!rc)
			rc = mbx_execute_rsp_parse(resp.body.data, resp.body.len, out);
		mbx_http_resp_free(&resp);
		if (rc && code == MBX_RC_CONTEXT_NOT_FOUND && round == 0) {
			/* HTTP15 3.1.5.7: a new Connect with the old cookies. */
			e->connected = false;
			if ((rc = do_connect(e)))
				break;
			if (self_contained(rop_in, rop_len))
				continue;
			rc = rp_error_set(RP_ENET,
					  "Execute to %s: session expired and was "
					  "re-established; its handles are lost",
					  mbx_http_url(e->http));
			break;
		}
		if (!rc && out->status_code)
			rc = rp_error_set(RP_ENET, "Execute to %s: StatusCode 0x%08X",
					  mbx_http_url(e->http), out->status_code);
		else if (!rc && out->error_code)
			rc = rp_error_set(
			    RP_ENET, "Execute to %s: ErrorCode 0x%08X%s",
			    mbx_http_url(e->http), out->error_code,
			    out->error_code == MBX_EC_RPC_FORMAT
				? " (ecRpcFormat: the server could not parse "
				  "the ROP buffer)"
				: "");
		break;
	}
	if (rc)
		mbx_execute_rsp_free(out);
	rp_buf_free(&body);
	return rc;
}

int mbx_emsmdb_send(void *ctx, const uint8_t *req, size_t n, rp_buf *resp)
{
	mbx_execute_rsp r;
	int rc = mbx_emsmdb_execute(ctx, 0, req, n, 0, &r);
	if (rc)
		return rc;
	if (r.n_payloads != 1)
		rc = rp_error_set(
		    RP_EFORMAT, "Execute response: %zu payloads for an unchained request",
		    r.n_payloads);
	else
		rc = rp_buf_append(resp, r.payloads[0].data, r.payloads[0].len);
	mbx_execute_rsp_free(&r);
	return rc;
}

int mbx_emsmdb_disconnect(mbx_emsmdb *e)
{
	rp_buf body = RP_BUF_INIT;
	mbx_http_resp resp;
	uint32_t sc, ec;
	int rc = mbx_disconnect_req_build(&body);
	if (!rc)
		rc = mbx_http_call(e->http, "Disconnect", body.data, body.len, &resp);
	else
		memset(&resp, 0, sizeof(resp));
	if (!rc)
		rc = mbx_status_rsp_parse(resp.body.data, resp.body.len, &sc, &ec);
	if (!rc && (sc || ec))
		rc = rp_error_set(RP_ENET,
				  "Disconnect from %s: StatusCode 0x%08X, "
				  "ErrorCode 0x%08X",
				  mbx_http_url(e->http), sc, ec);
	mbx_http_resp_free(&resp);
	rp_buf_free(&body);
	e->connected = false;
	return rc;
}
