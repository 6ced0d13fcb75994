/* mbx_ab.c - address-book client over NSPI/MAPI-HTTP (see mbx_ab.h). */
#include "mbx_ab.h"

#include "base/rp_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mbx_ab {
	mbx_http *http;
	bool bound;
	mbx_nspi_stat stat;
	unsigned long requests;
	unsigned long binds;
};

int mbx_ab_open(const mbx_http_opts *opts, mbx_ab **out)
{
	mbx_ab *ab = calloc(1, sizeof(*ab));
	int rc;

	*out = NULL;
	if (!ab)
		return rp_error_set(RP_ENOMEM, "address book: out of memory");
	if ((rc = mbx_http_new(opts, &ab->http)) < 0) {
		free(ab);
		return rc;
	}
	mbx_nspi_stat_default(&ab->stat);
	*out = ab;
	return RP_OK;
}

/* One request: encode, post, decode; StatusCode != 0 is a failure. */
static int call(mbx_ab *ab, mbx_nspi_type type, const mbx_nspi_req *req,
		mbx_http_resp *resp, mbx_nspi_rsp *rsp, uint32_t *xcode)
{
	rp_buf body = RP_BUF_INIT;
	const char *name = mbx_nspi_type_name(type);
	int rc;

	memset(resp, 0, sizeof(*resp));
	memset(rsp, 0, sizeof(*rsp));
	*xcode = 0;
	if ((rc = mbx_nspi_req_encode(type, req, &body)) < 0)
		return rc;
	ab->requests++;
	rc = mbx_http_call(ab->http, name, body.data, body.len, resp);
	rp_buf_free(&body);
	*xcode = resp->response_code;
	if (rc < 0)
		return rc;
	if ((rc = mbx_nspi_rsp_decode(rsp, type, resp->body.data, resp->body.len)) < 0)
		return rp_error_wrap(rc, "%s", mbx_http_url(ab->http));
	if (rsp->status)
		return rp_error_set(RP_ENET, "%s: %s failed with StatusCode 0x%08X",
				    mbx_http_url(ab->http), name, rsp->status);
	return RP_OK;
}

static void call_free(mbx_http_resp *resp, mbx_nspi_rsp *rsp)
{
	mbx_nspi_rsp_free(rsp);
	mbx_http_resp_free(resp);
}

static int ab_bind(mbx_ab *ab)
{
	mbx_nspi_req req;
	mbx_http_resp resp;
	mbx_nspi_rsp rsp;
	uint32_t xcode;
	int rc;

	memset(&req, 0, sizeof(req));
	mbx_nspi_stat_default(&ab->stat);
	req.stat = &ab->stat;
	ab->binds++;
	rc = call(ab, MBX_NSPI_BIND, &req, &resp, &rsp, &xcode);
	if (rc == RP_OK && rsp.error != MBX_NSPI_SUCCESS)
		rc = rp_error_set(rsp.error == MBX_NSPI_LOGON_FAILED ||
					  rsp.error == MBX_NSPI_ACCESS_DENIED
				      ? RP_EAUTH
				      : RP_ENET,
				  "%s: Bind refused with NSPI error 0x%08X",
				  mbx_http_url(ab->http), rsp.error);
	call_free(&resp, &rsp);
	if (rc == RP_OK)
		ab->bound = true;
	return rc;
}

/* A bound call: Bind first if needed; a context the server forgot
 * (X-ResponseCode 10, HTTP15 3.1.5.7) is bound again once. */
static int bound_call(mbx_ab *ab, mbx_nspi_type type, const mbx_nspi_req *req,
		      mbx_http_resp *resp, mbx_nspi_rsp *rsp)
{
	uint32_t xcode;
	int rc;

	memset(resp, 0, sizeof(*resp));
	memset(rsp, 0, sizeof(*rsp));
	for (int round = 0;; round++) {
		if (!ab->bound && (rc = ab_bind(ab)) < 0)
			return rc;
		rc = call(ab, type, req, resp, rsp, &xcode);
		if (rc < 0 && xcode == MBX_RC_CONTEXT_NOT_FOUND && round == 0) {
			call_free(resp, rsp);
			ab->bound = false;
			mbx_http_reset(ab->http);
			continue;
		}
		return rc;
	}
}

static int nspi_error(mbx_ab *ab, mbx_nspi_type type, uint32_t error)
{
	return rp_error_set(RP_ENET, "%s: %s failed with NSPI error 0x%08X",
			    mbx_http_url(ab->http), mbx_nspi_type_name(type), error);
}

int mbx_ab_resolve(mbx_ab *ab, const char *const *names, size_t n, uint32_t *status,
		   mbx_ab_entry *out)
{
	mbx_nspi_req req;
	mbx_http_resp resp;
	mbx_nspi_rsp rsp;
	size_t row = 0;
	int rc;

	memset(out, 0, n * sizeof(*out));
	for (size_t i = 0; i < n; i++)
		status[i] = MBX_MID_UNRESOLVED;
	if (!n)
		return RP_OK;
	memset(&req, 0, sizeof(req));
	req.stat = &ab->stat;
	req.tags = mbx_ab_entry_columns;
	req.tag_count = mbx_ab_entry_column_count;
	req.names = names;
	req.name_count = n;
	if ((rc = bound_call(ab, MBX_NSPI_RESOLVENAMES, &req, &resp, &rsp)) < 0)
		goto done;
	/* ecNotFound: none of the names resolved (MS-OXNSPI 3.1.4.1.17) */
	if (rsp.error == MBX_NSPI_NOT_FOUND)
		goto done;
	if (rsp.error != MBX_NSPI_SUCCESS && rsp.error != MBX_NSPI_ERRORS_RETURNED) {
		rc = nspi_error(ab, MBX_NSPI_RESOLVENAMES, rsp.error);
		goto done;
	}
	if (!rsp.has_mids || rsp.mid_count != n) {
		rc =
		    rp_error_set(RP_EFORMAT, "%s: ResolveNames answered %zu of %zu names",
				 mbx_http_url(ab->http), rsp.mid_count, n);
		goto done;
	}
	/* rows come for the resolved names only, in order */
	for (size_t i = 0; i < n && rc == RP_OK; i++) {
		status[i] = rsp.mids[i];
		if (rsp.mids[i] != MBX_MID_RESOLVED)
			continue;
		if (row >= rsp.row_count) {
			rc = rp_error_set(RP_EFORMAT,
					  "%s: ResolveNames resolved more names than it "
					  "sent rows",
					  mbx_http_url(ab->http));
			break;
		}
		rc = mbx_ab_entry_from_row(&rsp.rows[row++], 0, &out[i]);
	}
done:
	call_free(&resp, &rsp);
	if (rc < 0) {
		for (size_t i = 0; i < n; i++) {
			mbx_ab_entry_free(&out[i]);
			status[i] = MBX_MID_UNRESOLVED;
		}
	}
	return rc;
}

int mbx_ab_find_dns(mbx_ab *ab, const char *const *dns, size_t n, bool *found,
		    mbx_ab_entry *out)
{
	mbx_nspi_req req;
	mbx_http_resp resp, resp2;
	mbx_nspi_rsp rsp, rsp2;
	uint32_t *mids = NULL;
	size_t *index = NULL, k = 0;
	int rc;

	memset(out, 0, n * sizeof(*out));
	memset(found, 0, n * sizeof(*found));
	memset(&rsp2, 0, sizeof(rsp2));
	memset(&resp2, 0, sizeof(resp2));
	if (!n)
		return RP_OK;
	memset(&req, 0, sizeof(req));
	req.names = dns;
	req.name_count = n;
	if ((rc = bound_call(ab, MBX_NSPI_DNTOMID, &req, &resp, &rsp)) < 0)
		goto done;
	if (rsp.error != MBX_NSPI_SUCCESS) {
		rc = nspi_error(ab, MBX_NSPI_DNTOMID, rsp.error);
		goto done;
	}
	if (!rsp.has_mids || rsp.mid_count != n) {
		rc = rp_error_set(RP_EFORMAT, "%s: DNToMId answered %zu of %zu names",
				  mbx_http_url(ab->http), rsp.mid_count, n);
		goto done;
	}
	mids = malloc(n * sizeof(*mids));
	index = malloc(n * sizeof(*index));
	if (!mids || !index) {
		rc = rp_error_set(RP_ENOMEM, "address book: out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (rsp.mids[i]) {
			index[k] = i;
			mids[k++] = rsp.mids[i];
		}
	if (!k)
		goto done;
	/* one QueryRows over the explicit table of the MIds found */
	memset(&req, 0, sizeof(req));
	req.stat = &ab->stat;
	req.mids = mids;
	req.mid_count = k;
	req.row_count = (uint32_t)k;
	req.tags = mbx_ab_entry_columns;
	req.tag_count = mbx_ab_entry_column_count;
	if ((rc = bound_call(ab, MBX_NSPI_QUERYROWS, &req, &resp2, &rsp2)) < 0)
		goto done;
	if (rsp2.error != MBX_NSPI_SUCCESS && rsp2.error != MBX_NSPI_ERRORS_RETURNED) {
		rc = nspi_error(ab, MBX_NSPI_QUERYROWS, rsp2.error);
		goto done;
	}
	if (!rsp2.has_rows || rsp2.row_count != k) {
		rc = rp_error_set(RP_EFORMAT, "%s: QueryRows gave %zu rows for %zu MIds",
				  mbx_http_url(ab->http), rsp2.row_count, k);
		goto done;
	}
	for (size_t j = 0; j < k && rc == RP_OK; j++) {
		rc = mbx_ab_entry_from_row(&rsp2.rows[j], mids[j], &out[index[j]]);
		found[index[j]] = rc == RP_OK;
	}
done:
	call_free(&resp, &rsp);
	call_free(&resp2, &rsp2);
	free(mids);
	free(index);
	if (rc < 0)
		for (size_t i = 0; i < n; i++) {
			mbx_ab_entry_free(&out[i]);
			found[i] = false;
		}
	return rc;
}

unsigned long mbx_ab_requests(const mbx_ab *ab)
{
	return ab->requests;
}

unsigned long mbx_ab_binds(const mbx_ab *ab)
{
	return ab->binds;
}

void mbx_ab_close(mbx_ab *ab)
{
	if (!ab)
		return;
	if (ab->bound) {
		mbx_nspi_req req;
		mbx_http_resp resp;
		mbx_nspi_rsp rsp;
		uint32_t xcode;
		memset(&req, 0, sizeof(req));
		call(ab, MBX_NSPI_UNBIND, &req, &resp, &rsp, &xcode);
		call_free(&resp, &rsp);
		rp_error_clear();
	}
	mbx_http_free(ab->http);
	free(ab);
}

const char *mbx_ab_display_type_name(uint32_t display_type, char buf[16])
{
	static const char *const low[] = {"user",       "dl",           "public folder",
					  "agent",      "organization", "private dl",
					  "remote user"};
	switch (display_type) {
	case 0x100:
		return "container";
	case 0x101:
		return "template";
	case 0x102:
		return "address template";
	case 0x200:
		return "search";
	default:
		if (display_type < sizeof(low) / sizeof(low[0]))
			return low[display_type];
		snprintf(buf, 16, "0x%X", (unsigned)display_type);
		return buf;
	}
}
