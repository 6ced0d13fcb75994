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
	    cmocka_unit_test(test_hierarchy),
	    cmocka_unit_test(test_paging),
	    cmocka_unit_test(test_logon_refused),
	    cmocka_unit_test(test_folder_map),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
