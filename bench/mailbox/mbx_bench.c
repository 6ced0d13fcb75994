/* mbx_bench.c - Execute requests and wall time to read a mailbox's folder
 * hierarchy and the associated messages of its Common Views folder, ROPs
 * chained (as reprofile does) or one ROP per Execute (a naive client).
 *
 * usage: mbx_bench chained|naive URL DN CA_FILE CONNECT_TO USER PASSWORD
 * Prints one line: mode, Execute requests, all requests, folders, FAI, ms. */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mailbox/mbx_emsmdb.h"
#include "mailbox/mbx_rop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const uint32_t hier_cols[] = {0x67480014u, 0x67490014u, 0x3001001Fu,
				     0x0FFF0102u, 0x36020003u, 0x36170003u};
static const uint32_t fai_cols[] = {0x674A0014u, 0x001A001Fu, 0x0037001Fu};
#define NCOLS(a) (sizeof(a) / sizeof(a[0]))

static mbx_emsmdb *e;

static void die(const char *what)
{
	fprintf(stderr, "mbx_bench: %s: %s\n", what, rp_error_msg());
	exit(1);
}

/* One Execute of req; *resp parsed from the first payload. */
static void run(mbx_rop_req *req, mbx_rop_resp *resp)
{
	rp_buf in = RP_BUF_INIT;
	mbx_execute_rsp er;
	if (mbx_rop_req_finish(req, &in) ||
	    mbx_emsmdb_execute(e, 0, in.data, in.len, 0, &er))
		die("execute");
	if (er.n_payloads < 1 ||
	    mbx_rop_resp_parse(req, er.payloads[0].data, er.payloads[0].len, resp))
		die("response");
	for (size_t i = 0; i < resp->n; i++)
		if (resp->res[i].rv)
			fprintf(stderr, "mbx_bench: %s: 0x%08X\n",
				mbx_rop_name(resp->res[i].rop), resp->res[i].rv);
	mbx_execute_rsp_free(&er);
	rp_buf_free(&in);
}

static const mbx_rop_result *result_of(const mbx_rop_resp *r, uint8_t rop)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->res[i].rop == rop)
			return &r->res[i];
	return NULL;
}

/* Single-ROP request on an existing handle (naive mode). */
#define ONE(build)                                                                       \
	do {                                                                             \
		mbx_rop_req_init(&q, 0);                                                 \
		build;                                                                   \
		run(&q, &rs);                                                            \
	} while (0)

int main(int argc, char **argv)
{
	if (argc != 8 || (strcmp(argv[1], "chained") && strcmp(argv[1], "naive"))) {
		fprintf(stderr, "usage: mbx_bench chained|naive URL DN CA CONNECT_TO "
				"USER PASSWORD\n");
		return 2;
	}
	bool chained = strcmp(argv[1], "chained") == 0;
	const char *ct[2] = {argv[5], NULL};
	mbx_http_opts o = {0};
	o.url = argv[2];
	o.ca_file = argv[4];
	o.connect_to = ct;
	o.user = argv[6];
	o.password = argv[7];
	o.timeout_s = 120;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	mbx_connect_req cr = {argv[3], 0, 0, 0};
	if (mbx_emsmdb_new(&o, &e) || mbx_emsmdb_connect(e, &cr))
		die("connect");

	mbx_rop_req q;
	mbx_rop_resp rs;
	uint8_t s_logon, s_a, s_b, s_c, s_d;
	ONE(mbx_rop_logon(&q, MBX_LOGON_PRIVATE, MBX_OPEN_PRIVATE_DEFAULT, 0, argv[3],
			  &s_logon));
	const mbx_rop_result *lr = result_of(&rs, MBX_ROP_LOGON);
	if (!lr || lr->rv)
		die("logon");
	uint64_t root = lr->u.logon.fids[MBX_FID_ROOT];
	uint64_t cv = lr->u.logon.fids[MBX_FID_COMMON_VIEWS];
	uint32_t logon = mbx_rop_resp_handle(&rs, s_logon);
	mbx_rop_resp_free(&rs);
	mbx_rop_req_free(&q);

	uint32_t htab = MBX_HANDLE_NONE, ftab = MBX_HANDLE_NONE;
	uint32_t htotal = 0, ftotal = 0, hrows = 0, frows = 0;
	if (chained) {
		/* Everything after the logon in one Execute. */
		uint8_t l;
		mbx_rop_req_init(&q, 0);
		mbx_rop_handle(&q, logon, &l);
		mbx_rop_open_folder(&q, l, root, 0, &s_a);
		mbx_rop_get_hierarchy_table(&q, s_a, MBX_TABLE_DEPTH | MBX_TABLE_UNICODE,
					    &s_b);
		mbx_rop_set_columns(&q, s_b, 0, hier_cols, NCOLS(hier_cols));
		mbx_rop_query_rows(&q, s_b, 0, true, 1000, NULL, 0);
		mbx_rop_open_folder(&q, l, cv, 0, &s_c);
		mbx_rop_get_contents_table(
		    &q, s_c, MBX_TABLE_ASSOCIATED | MBX_TABLE_UNICODE, &s_d);
		mbx_rop_set_columns(&q, s_d, 0, fai_cols, NCOLS(fai_cols));
		mbx_rop_query_rows(&q, s_d, 0, true, 1000, NULL, 0);
		run(&q, &rs);
		for (size_t i = 0; i < rs.n; i++) {
			const mbx_rop_result *r = &rs.res[i];
			bool hier = r->index == s_b;
			if (r->rop == MBX_ROP_GET_HIERARCHY_TABLE)
				htotal = r->u.row_count;
			else if (r->rop == MBX_ROP_GET_CONTENTS_TABLE)
				ftotal = r->u.row_count;
			else if (r->rop == MBX_ROP_QUERY_ROWS && hier)
				hrows += (uint32_t)r->u.query.nrows;
			else if (r->rop == MBX_ROP_QUERY_ROWS)
				frows += (uint32_t)r->u.query.nrows;
		}
		htab = mbx_rop_resp_handle(&rs, s_b);
		ftab = mbx_rop_resp_handle(&rs, s_d);
		mbx_rop_resp_free(&rs);
		mbx_rop_req_free(&q);
		/* The rest of both tables, both in each further Execute. */
		while (hrows < htotal || frows < ftotal) {
			uint8_t th = 0, tf = 0;
			uint32_t before = hrows + frows;
			mbx_rop_req_init(&q, 0);
			if (hrows < htotal) {
				mbx_rop_handle(&q, htab, &th);
				mbx_rop_query_rows(&q, th, 0, true, 1000, hier_cols,
						   NCOLS(hier_cols));
			}
			if (frows < ftotal) {
				mbx_rop_handle(&q, ftab, &tf);
				mbx_rop_query_rows(&q, tf, 0, true, 1000, fai_cols,
						   NCOLS(fai_cols));
			}
			run(&q, &rs);
			for (size_t i = 0; i < rs.n; i++) {
				const mbx_rop_result *r = &rs.res[i];
				if (hrows < htotal && r->index == th)
					hrows += (uint32_t)r->u.query.nrows;
				else
					frows += (uint32_t)r->u.query.nrows;
			}
			mbx_rop_resp_free(&rs);
			mbx_rop_req_free(&q);
			if (hrows + frows == before)
				break;
		}
	} else {
		uint8_t l, x;
		ONE((mbx_rop_handle(&q, logon, &l),
		     mbx_rop_open_folder(&q, l, root, 0, &s_a)));
		uint32_t froot = mbx_rop_resp_handle(&rs, s_a);
		mbx_rop_resp_free(&rs);
		mbx_rop_req_free(&q);
		ONE((mbx_rop_handle(&q, froot, &x),
		     mbx_rop_get_hierarchy_table(
			 &q, x, MBX_TABLE_DEPTH | MBX_TABLE_UNICODE, &s_b)));
		htotal = result_of(&rs, MBX_ROP_GET_HIERARCHY_TABLE)->u.row_count;
		htab = mbx_rop_resp_handle(&rs, s_b);
		mbx_rop_resp_free(&rs);
		mbx_rop_req_free(&q);
		ONE((mbx_rop_handle(&q, htab, &x),
		     mbx_rop_set_columns(&q, x, 0, hier_cols, NCOLS(hier_cols))));
		mbx_rop_resp_free(&rs);
		mbx_rop_req_free(&q);
		while (hrows < htotal) {
			ONE((mbx_rop_handle(&q, htab, &x),
			     mbx_rop_query_rows(&q, x, 0, true, 1000, hier_cols,
						NCOLS(hier_cols))));
			size_t got = result_of(&rs, MBX_ROP_QUERY_ROWS)->u.query.nrows;
			hrows += (uint32_t)got;
			mbx_rop_resp_free(&rs);
			mbx_rop_req_free(&q);
			if (!got)
				break;
		}
		ONE((mbx_rop_handle(&q, logon, &l),
		     mbx_rop_open_folder(&q, l, cv, 0, &s_c)));
		uint32_t fcv = mbx_rop_resp_handle(&rs, s_c);
		mbx_rop_resp_free(&rs);
		mbx_rop_req_free(&q);
		ONE((mbx_rop_handle(&q, fcv, &x),
		     mbx_rop_get_contents_table(
			 &q, x, MBX_TABLE_ASSOCIATED | MBX_TABLE_UNICODE, &s_d)));
		ftotal = result_of(&rs, MBX_ROP_GET_CONTENTS_TABLE)->u.row_count;
		ftab = mbx_rop_resp_handle(&rs, s_d);
		mbx_rop_resp_free(&rs);
		mbx_rop_req_free(&q);
		ONE((mbx_rop_handle(&q, ftab, &x),
		     mbx_rop_set_columns(&q, x, 0, fai_cols, NCOLS(fai_cols))));
		mbx_rop_resp_free(&rs);
		mbx_rop_req_free(&q);
		while (frows < ftotal) {
			ONE((mbx_rop_handle(&q, ftab, &x),
			     mbx_rop_query_rows(&q, x, 0, true, 1000, fai_cols,
						NCOLS(fai_cols))));
			size_t got = result_of(&rs, MBX_ROP_QUERY_ROWS)->u.query.nrows;
			frows += (uint32_t)got;
			mbx_rop_resp_free(&rs);
			mbx_rop_req_free(&q);
			if (!got)
				break;
		}
	}
	mbx_http *h = mbx_emsmdb_http(e);
	unsigned long execs = mbx_http_requests_of(h, "Execute");
	unsigned long all = mbx_http_requests(h);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("%s executes=%lu requests=%lu folders=%u/%u fai=%u/%u ms=%.0f\n", argv[1],
	       execs, all, hrows, htotal, frows, ftotal, ms);
	mbx_emsmdb_free(e);
	return hrows == htotal && frows == ftotal ? 0 : 1;
}
