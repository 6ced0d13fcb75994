/* test_mbx_switchmsg_io - mbx_swm_write / mbx_swm_read against the ROP
 * server side mbx_rops.py through rops_pipe.py's FIFOs (run by
 * switchmsg.sh): user1 opens the source mailbox "quelle" with Full Access
 * (tests/fixtures/mailbox/mailbox-source.json), finds no switch message,
 * writes one, reads it back, rewrites it (still one message), adds the
 * recreate message, and reads broken ones (a future version, two switch
 * messages). Execute requests are counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_buf.h"
#include "base/rp_cur.h"
#include "base/rp_err.h"
#include "mailbox/mbx_contents.h"
#include "mailbox/mbx_rop.h"
#include "mailbox/mbx_switchmsg.h"
#include "mapi/mapi_tag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE "/o=Source Org/ou=First Administrative Group/cn=Recipients/cn=quelle"
#define TDN "/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=quelle"

static FILE *to_server, *to_client;

static int pipe_send(void *ctx, const uint8_t *req, size_t n, rp_buf *resp)
{
	uint8_t head[5] = {0, (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16),
			   (uint8_t)(n >> 24)};
	uint8_t len[4];
	uint32_t m;
	(void)ctx;
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

/* The Inbox's associated messages of class cls. */
static size_t count_class(mbx_mailbox *mb, const char *cls, uint64_t *mid)
{
	mbx_message *m;
	size_t n, k = 0;
	if (mbx_folder_messages(pipe_send, NULL, mb, mb->fids[MBX_FID_INBOX], true, &m,
				&n) != RP_OK)
		fail_msg("%s", rp_error_msg());
	for (size_t i = 0; i < n; i++)
		if (m[i].message_class && !strcmp(m[i].message_class, cls)) {
			k++;
			*mid = m[i].mid;
		}
	mbx_messages_free(m, n);
	return k;
}

/* Sets one PT_LONG / creates a message of cls, with raw ROPs. */
static void raw(mbx_mailbox *mb, uint64_t mid, uint16_t id, int32_t val, const char *cls)
{
	mbx_rop_req r;
	rp_buf in = RP_BUF_INIT, out = RP_BUF_INIT;
	mbx_rop_resp rs;
	mapi_value v[2];
	uint8_t ls, ms;
	size_t nv = 1;
	mbx_rop_req_init(&r, mb->logon_id);
	mbx_rop_handle(&r, mb->logon_handle, &ls);
	if (cls) {
		mbx_rop_create_message(&r, ls, 0x0FFF, mb->fids[MBX_FID_INBOX], true,
				       &ms);
		mapi_value_set_unicode(&v[1], 0x001A001F, cls);
		nv = 2;
	} else {
		mbx_rop_open_message(&r, ls, 0x0FFF, mb->fids[MBX_FID_INBOX],
				     MBX_OPEN_READ_WRITE, mid, &ms);
	}
	mapi_value_set_long(&v[0], PROP_TAG(PT_LONG, id), val);
	mbx_rop_set_props(&r, ms, v, nv);
	mbx_rop_save_changes_message(&r, ms, ms, MBX_SAVE_KEEP_OPEN_READ_ONLY);
	assert_int_equal(mbx_rop_req_finish(&r, &in), RP_OK);
	assert_int_equal(pipe_send(NULL, in.data, in.len, &out), RP_OK);
	assert_int_equal(mbx_rop_resp_parse(&r, out.data, out.len, &rs), RP_OK);
	for (size_t op = 0; op < 3; op++)
		assert_int_equal(mbx_rop_resp_for(&rs, op)->rv, 0);
	for (size_t i = 0; i < nv; i++)
		mapi_value_free(&v[i]);
	mbx_rop_resp_free(&rs);
	mbx_rop_req_free(&r);
	rp_buf_free(&in);
	rp_buf_free(&out);
}

/* The mailbox's IDs of the reprofile names (GetPropertyIdsFromNames). */
static void named_ids(mbx_mailbox *mb, uint16_t ids[MBX_SWM_NPROPS])
{
	mbx_propname names[MBX_SWM_NPROPS];
	mbx_rop_req r;
	rp_buf in = RP_BUF_INIT, out = RP_BUF_INIT;
	mbx_rop_resp rs;
	const mbx_rop_result *x;
	uint8_t ls;
	mbx_swm_names(names);
	mbx_rop_req_init(&r, mb->logon_id);
	mbx_rop_handle(&r, mb->logon_handle, &ls);
	mbx_rop_get_ids_from_names(&r, ls, 0, names, MBX_SWM_NPROPS);
	assert_int_equal(mbx_rop_req_finish(&r, &in), RP_OK);
	assert_int_equal(pipe_send(NULL, in.data, in.len, &out), RP_OK);
	assert_int_equal(mbx_rop_resp_parse(&r, out.data, out.len, &rs), RP_OK);
	x = mbx_rop_resp_for(&rs, 0);
	assert_int_equal(x->rv, 0);
	assert_int_equal(x->u.ids.n, MBX_SWM_NPROPS);
	memcpy(ids, x->u.ids.ids, sizeof(uint16_t) * MBX_SWM_NPROPS);
	mbx_rop_resp_free(&rs);
	mbx_rop_req_free(&r);
	rp_buf_free(&in);
	rp_buf_free(&out);
}

static void test_write_read(void **state)
{
	uint16_t ids[MBX_SWM_NPROPS];
	mbx_mailbox mb;
	mbx_swm m, got;
	bool created, recreate;
	uint64_t mid = 0;
	size_t before;
	(void)state;
	memset(&mb, 0, sizeof(mb));
	if (mbx_mailbox_logon(pipe_send, NULL, SOURCE, &mb) != RP_OK)
		fail_msg("logon: %s", rp_error_msg());

	/* none yet: ENOTFOUND, one Execute (names unknown, no rows) */
	before = mb.executes;
	if (mbx_swm_read(pipe_send, NULL, &mb, &got, &recreate) != RP_ENOTFOUND)
		fail_msg("read: %s", rp_error_msg());
	assert_int_equal(mb.executes - before, 1);
	assert_false(recreate);

	/* create: two Execute requests */
	m = (mbx_swm){1, TDN, "quelle@contoso.onmicrosoft.com", true};
	before = mb.executes;
	if (mbx_swm_write(pipe_send, NULL, &mb, &m, &created) != RP_OK)
		fail_msg("write: %s", rp_error_msg());
	assert_true(created);
	assert_int_equal(mb.executes - before, 2);
	before = mb.executes;
	if (mbx_swm_read(pipe_send, NULL, &mb, &got, &recreate) != RP_OK)
		fail_msg("read: %s", rp_error_msg());
	assert_int_equal(mb.executes - before, 2);
	assert_string_equal(got.target_dn, TDN);
	assert_string_equal(got.target_smtp, "quelle@contoso.onmicrosoft.com");
	assert_true(got.o365);
	assert_false(recreate);
	mbx_swm_free(&got);

	/* rerun with other values: the same message, updated */
	m = (mbx_swm){1, TDN, "quelle@contoso.com", false};
	assert_int_equal(mbx_swm_write(pipe_send, NULL, &mb, &m, &created), RP_OK);
	assert_false(created);
	assert_int_equal(count_class(&mb, MBX_SWM_CLASS, &mid), 1);
	assert_int_equal(mbx_swm_read(pipe_send, NULL, &mb, &got, &recreate), RP_OK);
	assert_string_equal(got.target_smtp, "quelle@contoso.com");
	assert_false(got.o365);
	mbx_swm_free(&got);

	/* the recreate message */
	assert_int_equal(mbx_swm_write(pipe_send, NULL, &mb, NULL, &created), RP_OK);
	assert_true(created);
	assert_int_equal(mbx_swm_read(pipe_send, NULL, &mb, &got, &recreate), RP_OK);
	assert_true(recreate);
	mbx_swm_free(&got);

	/* a bad DN is refused before anything is sent */
	m = (mbx_swm){1, "quelle@contoso.com", "quelle@contoso.com", false};
	before = mb.executes;
	assert_int_equal(mbx_swm_write(pipe_send, NULL, &mb, &m, &created), RP_EINVAL);
	assert_int_equal(mb.executes, before);

	/* a future version written by another engine: malformed, named */
	named_ids(&mb, ids);
	assert_int_equal(count_class(&mb, MBX_SWM_CLASS, &mid), 1);
	raw(&mb, mid, ids[MBX_SWM_P_VERSION], 2, NULL);
	assert_int_equal(mbx_swm_read(pipe_send, NULL, &mb, &got, &recreate), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "ReprofileVersion 2 is newer"));
	mbx_swm_free(&got);
	/* rewriting repairs it */
	m = (mbx_swm){1, TDN, "quelle@contoso.com", false};
	assert_int_equal(mbx_swm_write(pipe_send, NULL, &mb, &m, &created), RP_OK);
	assert_int_equal(mbx_swm_read(pipe_send, NULL, &mb, &got, &recreate), RP_OK);
	mbx_swm_free(&got);

	/* a second switch message: which target is meant is unknown */
	raw(&mb, 0, ids[MBX_SWM_P_VERSION], 1, MBX_SWM_CLASS);
	assert_int_equal(mbx_swm_read(pipe_send, NULL, &mb, &got, &recreate), RP_EFORMAT);
	assert_non_null(strstr(rp_error_msg(), "2 messages of class"));
	mbx_swm_free(&got);
	mbx_mailbox_free(&mb);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_write_read),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
