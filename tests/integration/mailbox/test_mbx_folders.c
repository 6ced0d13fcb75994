/* test_mbx_folders - mbx_folders (hierarchy read, folder map) against the
 * ROP server side mbx_rops.py, reached through rops_pipe.py's FIFOs
 * (MBX_PIPE_OUT / MBX_PIPE_IN) instead of HTTP: the C builder and walker
 * and the Python server meet on real bytes, and the round trips are counted.
 * Run by folders.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "mailbox/mbx_folders.h"
#include "mapi/mapi_tag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DN                                                                               \
	"/o=Target Org/ou=Exchange Administrative Group "                                \
	"(FYDIBOHF23SPDLT)/cn=Recipients/cn="

static FILE *to_server, *to_client;

typedef struct pipe_ctx {
	uint8_t session; /* rops_pipe.py session: 0 user1, 1 user3 */
	size_t sent;
} pipe_ctx;

static int pipe_send(void *ctx, const uint8_t *req, size_t n, rp_buf *resp)
{
	pipe_ctx *p = ctx;
	uint8_t head[5] = {p->session, (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16),
			   (uint8_t)(n >> 24)};
	uint8_t len[4];
	uint32_t m;

	p->sent++;
	if (fwrite(head, 1, 5, to_server) != 5 || fwrite(req, 1, n, to_server) != n ||
	    fflush(to_server))
		return rp_error_set(RP_EIO, "pipe write");
	if (fread(len, 1, 4, to_client) != 4)
		return rp_error_set(RP_EIO, "pipe read");
	m = rp_le32(len);
	if (m == 0xFFFFFFFFu)
		return rp_error_set(RP_ENET, "Execute failed: ecRpcFormat");
	if (rp_buf_reserve(resp, m) < 0 ||
	    fread(resp->data + resp->len, 1, m, to_client) != m)
		return rp_error_set(RP_EIO, "pipe read");
	resp->len += m;
	return RP_OK;
}

static int setup(void **state)
{
	(void)state;
	to_server = fopen(getenv("MBX_PIPE_OUT"), "wb");
	to_client = fopen(getenv("MBX_PIPE_IN"), "rb");
	return to_server && to_client ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fclose(to_server);
	fclose(to_client);
	return 0;
}

static void read_mailbox(pipe_ctx *p, const char *dn, mbx_mailbox *mb)
{
	memset(mb, 0, sizeof(*mb));
	if (mbx_mailbox_logon(pipe_send, p, dn, mb) != RP_OK)
		fail_msg("logon: %s", rp_error_msg());
	if (mbx_folders_read(pipe_send, p, mb) != RP_OK)
		fail_msg("folders: %s", rp_error_msg());
}

static void test_hierarchy(void **state)
{
	pipe_ctx p = {0, 0};
	mbx_mailbox mb;
	const mbx_folder *f;
	(void)state;
	read_mailbox(&p, DN "user1", &mb);
	/* One Execute for the logon, one for the whole hierarchy. */
	assert_int_equal(mb.executes, 2);
	assert_int_equal(p.sent, 2);
	/* mailbox-user1.json: 25 folders, the root not listed. */
	assert_int_equal(mb.n, 24);
	f = mbx_folder_by_path(&mb, "Inbox/Projects/Archive 2025");
	assert_non_null(f);
	assert_int_equal(f->role, MBX_ROLE_NONE);
	assert_true(f->ipm);
	assert_string_equal(f->container_class, "IPF.Note");
	f = mbx_folder_by_role(&mb, MBX_FID_INBOX);
	assert_non_null(f);
	assert_string_equal(f->path, "Inbox");
	assert_int_equal(f->count, 2);
	assert_int_equal(f->assoc_count, 1);
	assert_int_equal(f->neid, 46);
	assert_true(f->has_ltid);
	assert_memory_equal(f->ltid, f->eid + 22, 24);
	assert_true(f == mbx_folder_by_eid(&mb, f->eid, f->neid));
	/* Roles from the entry IDs on the root and the Inbox. */
	assert_string_equal(mbx_folder_by_role(&mb, MBX_ROLE_CALENDAR)->path, "Calendar");
	assert_string_equal(mbx_folder_by_role(&mb, MBX_ROLE_DRAFTS)->path, "Drafts");
	assert_string_equal(mbx_folder_by_role(&mb, MBX_ROLE_JUNK)->path, "Junk E-mail");
	assert_string_equal(mbx_folder_by_role(&mb, MBX_ROLE_CONFLICTS)->path,
			    "Conflicts");
	/* Outside the IPM subtree: the path from the root. */
	f = mbx_folder_by_role(&mb, MBX_FID_COMMON_VIEWS);
	assert_false(f->ipm);
	assert_string_equal(f->path, "Common Views");
	assert_int_equal(f->assoc_count, 3);
	assert_string_equal(mbx_folder_by_role(&mb, MBX_FID_IPM_SUBTREE)->path, "");
	assert_null(mbx_folder_by_path(&mb, "Common Views"));
	assert_int_equal(mbx_role_by_name("Junk"), MBX_ROLE_JUNK);
	assert_string_equal(mbx_role_name(MBX_FID_SENT_ITEMS), "sent_items");
	mbx_mailbox_free(&mb);
}

/* Sends r over the pipe and parses the answer (must succeed). */
static void exchange(pipe_ctx *p, mbx_rop_req *r, rp_buf *out, mbx_rop_resp *resp)
{
	rp_buf req = RP_BUF_INIT;
	assert_int_equal(mbx_rop_req_finish(r, &req), RP_OK);
	out->len = 0;
	if (pipe_send(p, req.data, req.len, out) != RP_OK)
		fail_msg("send: %s", rp_error_msg());
	if (mbx_rop_resp_parse(r, out->data, out->len, resp) != RP_OK)
		fail_msg("parse: %s", rp_error_msg());
	assert_int_equal(resp->next_op, r->nops);
	rp_buf_free(&req);
}

static const mbx_rop_result *ok(const mbx_rop_resp *resp, size_t op)
{
	const mbx_rop_result *x = mbx_rop_resp_for(resp, op);
	assert_non_null(x);
	if (x->rv)
		fail_msg("ROP %zu (%s) failed: 0x%08x", op, mbx_rop_name(x->rop),
			 (unsigned)x->rv);
	return x;
}

/* The other ROPs of the layer against the server side, on real bytes: a FAI
 * message written into Common Views (CreateMessage, SetProperties with a
 * named property, SaveChangesMessage), read back through an associated
 * contents table with Restrict, SortTable and FindRow, its body through a
 * stream; the rules and permissions tables, modified and read again. */
static void test_rops_roundtrip(void **state)
{
	pipe_ctx p = {0, 0};
	mbx_mailbox mb;
	mbx_rop_req r;
	mbx_rop_resp resp;
	rp_buf out = RP_BUF_INIT;
	uint8_t logon, cv, msg, ctab, stream, inbox, rules, perms;
	mbx_propname name = {
	    MBX_PNAME_STRING,
	    {0x08, 0x20, 0x06, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46},
	    0,
	    "reprofile-switch"};
	mapi_value v[3];
	const mbx_rop_result *x;
	uint16_t named_id;
	(void)state;
	memset(&mb, 0, sizeof(mb));
	assert_int_equal(mbx_mailbox_logon(pipe_send, &p, DN "user1", &mb), RP_OK);

	/* 1: the ID of a new named property, and GetNamesFromPropertyIds back. */
	mbx_rop_req_init(&r, 0);
	mbx_rop_handle(&r, mb.logon_handle, &logon);
	mbx_rop_get_ids_from_names(&r, logon, 0x02, &name, 1);
	exchange(&p, &r, &out, &resp);
	x = ok(&resp, 0);
	assert_int_equal(x->u.ids.n, 1);
	named_id = x->u.ids.ids[0];
	assert_true(named_id >= 0x8000);
	mbx_rop_resp_free(&resp);
	mbx_rop_req_free(&r);
	mbx_rop_req_init(&r, 0);
	mbx_rop_handle(&r, mb.logon_handle, &logon);
	mbx_rop_get_names_from_ids(&r, logon, &named_id, 1);
	exchange(&p, &r, &out, &resp);
	x = ok(&resp, 0);
	assert_string_equal(x->u.names.names[0].name, "reprofile-switch");
	mbx_rop_resp_free(&resp);
	mbx_rop_req_free(&r);

	/* 2: a FAI message in Common Views with a body written by stream, in
	 * one Execute. */
	mapi_value_set_unicode(&v[0], 0x001A001F, "IPM.Reprofile.Test");
	mapi_value_set_unicode(&v[1], 0x0037001F, "switch");
	mapi_value_set_long(&v[2], PROP_TAG(PT_LONG, named_id), 42);
	mbx_rop_req_init(&r, 0);
	mbx_rop_handle(&r, mb.logon_handle, &logon);
	mbx_rop_create_message(&r, logon, 0x0FFF, mb.fids[MBX_FID_COMMON_VIEWS], true,
			       &msg);
	mbx_rop_set_props(&r, msg, v, 3);
	mbx_rop_open_stream(&r, msg, 0x10000102, MBX_OPEN_CREATE, &stream);
	mbx_rop_write_stream(&r, stream, "body bytes", 10);
	mbx_rop_commit_stream(&r, stream);
	mbx_rop_release(&r, stream);
	mbx_rop_save_changes_message(&r, msg, msg, MBX_SAVE_KEEP_OPEN_READ_WRITE);
	mbx_rop_open_stream(&r, msg, 0x10000102, MBX_OPEN_READ_ONLY, &stream);
	mbx_rop_read_stream(&r, stream, 0xBABE, 100);
	exchange(&p, &r, &out, &resp);
	assert_int_equal(ok(&resp, 1)->u.problems.n, 0);
	assert_int_equal(ok(&resp, 3)->u.written, 10);
	assert_true(ok(&resp, 6)->u.created.has_mid);
	assert_int_equal(ok(&resp, 7)->u.stream_size, 10);
	x = ok(&resp, 8);
	assert_int_equal(x->u.read.n, 10);
	assert_memory_equal(x->u.read.data, "body bytes", 10);
	for (int i = 0; i < 3; i++)
		mapi_value_free(&v[i]);
	mbx_rop_resp_free(&resp);
	mbx_rop_req_free(&r);

	/* 3: Common Views' associated contents: restricted to our class, sorted,
	 * FindRow on the subject; GetPropertiesAll/List on the message. */
	{
		static const uint32_t cols[3] = {0x001A001F, 0x0037001F, 0x674A0014};
		mapi_value cls, subj;
		mbx_res res, find;
		mbx_sort sort = {0x0037001F, MBX_SORT_ASCEND};
		const mbx_row *row;
		char *s;
		mapi_value_set_unicode(&cls, 0x001A001F, "IPM.Microsoft.WunderBar.Link");
		mapi_value_set_unicode(&subj, 0x0037001F, "Projects");
		mbx_res_content(&res, MBX_FL_FULLSTRING | MBX_FL_IGNORECASE, &cls);
		mbx_res_property(&find, MBX_RELOP_EQ, &subj);
		mbx_rop_req_init(&r, 0);
		mbx_rop_handle(&r, mb.logon_handle, &logon);
		mbx_rop_open_folder(&r, logon, mb.fids[MBX_FID_COMMON_VIEWS], 0, &cv);
		mbx_rop_get_contents_table(
		    &r, cv, MBX_TABLE_ASSOCIATED | MBX_TABLE_UNICODE, &ctab);
		mbx_rop_set_columns(&r, ctab, 0, cols, 3);
		mbx_rop_restrict(&r, ctab, 0, &res);
		mbx_rop_sort_table(&r, ctab, 0, &sort, 1, 0, 0);
		mbx_rop_query_rows(&r, ctab, MBX_QUERY_NO_ADVANCE, true, 50, NULL, 0);
		mbx_rop_find_row(&r, ctab, 0, &find, MBX_BOOKMARK_BEGINNING, NULL, 0,
				 cols, 3);
		exchange(&p, &r, &out, &resp);
		assert_int_equal(ok(&resp, 1)->u.row_count, 4); /* 3 links + ours */
		x = ok(&resp, 5);
		assert_int_equal(x->u.query.nrows, 3);
		assert_int_equal(
		    mapi_value_str_utf8(mbx_row_value(&x->u.query.rows[0], 1), &s),
		    RP_OK);
		assert_string_equal(s, "Calendar");
		free(s);
		x = ok(&resp, 6);
		assert_true(x->u.find.has_row);
		row = &x->u.find.row;
		assert_int_equal(mapi_value_str_utf8(mbx_row_value(row, 1), &s), RP_OK);
		assert_string_equal(s, "Projects");
		free(s);
		mbx_res_free(&res);
		mbx_res_free(&find);
		mapi_value_free(&cls);
		mapi_value_free(&subj);
		mbx_rop_resp_free(&resp);
		mbx_rop_req_free(&r);
	}

	/* 4: rules and permissions of the Inbox: add a rule and a member, then
	 * read both tables in the same buffer. */
	{
		static const uint32_t rcols[2] = {0x66740014, 0x6682001F};
		static const uint32_t pcols[3] = {0x66710014, 0x6672001F, 0x66730003};
		mapi_value rv[2], pv[2];
		mbx_rowmod rule = {MBX_ROW_ADD, rv, 2}, perm = {MBX_ROW_ADD, pv, 2};
		mapi_value_set_unicode(&rv[0], 0x6682001F, "Added by test");
		mapi_value_set_long(&rv[1], 0x66760003, 20);
		mapi_value_set_binary(&pv[0], 0x0FFF0102,
				      "\0\0\0\0/o=x/cn=Recipients/cn=helper", 33);
		mapi_value_set_long(&pv[1], 0x66730003, 0x400);
		mbx_rop_req_init(&r, 0);
		mbx_rop_handle(&r, mb.logon_handle, &logon);
		mbx_rop_open_folder(&r, logon, mb.fids[MBX_FID_INBOX], 0, &inbox);
		mbx_rop_modify_rules(&r, inbox, 0, &rule, 1);
		mbx_rop_modify_permissions(&r, inbox, 0, &perm, 1);
		mbx_rop_get_rules_table(&r, inbox, MBX_TABLE_UNICODE, &rules);
		mbx_rop_set_columns(&r, rules, 0, rcols, 2);
		mbx_rop_query_rows(&r, rules, 0, true, 50, NULL, 0);
		mbx_rop_get_permissions_table(&r, inbox, 0, &perms);
		mbx_rop_set_columns(&r, perms, 0, pcols, 3);
		mbx_rop_query_rows(&r, perms, 0, true, 50, NULL, 0);
		exchange(&p, &r, &out, &resp);
		assert_int_equal(ok(&resp, 5)->u.query.nrows, 2);
		x = ok(&resp, 8);
		assert_int_equal(x->u.query.nrows, 4);
		assert_int_equal(mbx_row_value(&x->u.query.rows[2], 2)->u.l, 0x400);
		for (int i = 0; i < 2; i++) {
			mapi_value_free(&rv[i]);
			mapi_value_free(&pv[i]);
		}
		mbx_rop_resp_free(&resp);
		mbx_rop_req_free(&r);
	}
	rp_buf_free(&out);
}

static void test_paging(void **state)
{
	pipe_ctx p = {0, 0};
	mbx_mailbox mb;
	(void)state;
	/* 300 folders under the Inbox do not fit one answer: more QueryRows
	 * follow, one Execute each, on the same table handle. */
	read_mailbox(&p, "/o=Big/cn=big", &mb);
	assert_int_equal(mb.n, 300 + 12);
	assert_true(mb.executes > 2);
	assert_non_null(mbx_folder_by_path(&mb, "Inbox/Folder 299"));
	assert_non_null(mbx_folder_by_path(&mb, "Inbox/Folder 000"));
	printf("note: 312 folders read in %zu Execute requests (logon included)\n",
	       mb.executes);
	mbx_mailbox_free(&mb);
}

static void test_logon_refused(void **state)
{
	pipe_ctx p = {1, 0};
	mbx_mailbox mb;
	(void)state;
	memset(&mb, 0, sizeof(mb));
	/* user3 has no rights on user1's mailbox: ecLoginPerm. */
	rp_error_clear();
	assert_int_equal(mbx_mailbox_logon(pipe_send, &p, DN "user1", &mb), RP_EAUTH);
	assert_non_null(strstr(rp_error_msg(), "0x000003F2"));
	assert_int_equal(mb.executes, 1);
}

static void test_folder_map(void **state)
{
	pipe_ctx p = {0, 0};
	mbx_mailbox src, dst;
	mbx_folder_map map;
	const mbx_folder_pair *x;
	const mbx_folder *f;
	(void)state;
	/* Source: mailbox-source.json (German names), opened with Full Access;
	 * target: user1's own. */
	read_mailbox(
	    &p, "/o=Source Org/ou=First Administrative Group/cn=Recipients/cn=quelle",
	    &src);
	read_mailbox(&p, DN "user1", &dst);
	assert_int_equal(mbx_folder_map_build(&src, &dst, &map), RP_OK);
	assert_int_equal(map.n, src.n);
	f = mbx_folder_by_path(&src, "Posteingang");
	x = mbx_folder_map_by_eid(&map, f->eid, f->neid);
	assert_non_null(x);
	assert_true(x->by_role);
	assert_string_equal(x->dst->path, "Inbox");
	/* Under a role-matched parent, by name: Posteingang/Projects. */
	f = mbx_folder_by_path(&src, "Posteingang/Projects");
	x = mbx_folder_map_by_ltid(&map, f->ltid);
	assert_non_null(x);
	assert_false(x->by_role);
	assert_string_equal(x->dst->path, "Inbox/Projects");
	assert_memory_equal(x->dst->ltid, x->dst->eid + 22, 24);
	/* Kunden has no counterpart; Customers matches by path. */
	f = mbx_folder_by_path(&src, "Posteingang/Kunden");
	assert_null(mbx_folder_map_by_eid(&map, f->eid, f->neid)->dst);
	f = mbx_folder_by_path(&src, "Customers");
	assert_string_equal(mbx_folder_map_by_eid(&map, f->eid, f->neid)->dst->path,
			    "Customers");
	f = mbx_folder_by_path(&src, "Kalender");
	assert_string_equal(mbx_folder_map_by_eid(&map, f->eid, f->neid)->dst->path,
			    "Calendar");
	assert_int_equal(map.unmatched, 1);
	mbx_folder_map_free(&map);
	mbx_mailbox_free(&src);
	mbx_mailbox_free(&dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hierarchy),      cmocka_unit_test(test_paging),
	    cmocka_unit_test(test_logon_refused),  cmocka_unit_test(test_folder_map),
	    cmocka_unit_test(test_rops_roundtrip),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
