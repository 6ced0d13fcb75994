/* Unit tests for SwitchResMB.ini: the guide's three examples and the
 * rejections of its "Required" rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "config/cfg_resmb.h"

#include <stdlib.h>
#include <string.h>

#define FIX RP_SOURCE_DIR "/tests/fixtures/config/"

static void test_ex2010(void **state)
{
	(void)state;
	cfg_resmb r;
	assert_int_equal(cfg_resmb_load(FIX "switchresmb-ex2010-ol2013.ini", &r), RP_OK);
	assert_string_equal(r.cpuu_cmdline, "");
	assert_string_equal(r.src_exch_server, "Source");
	assert_int_equal(r.logon_negotiate, 1);
	assert_int_equal(r.logon_kerberos, -1);
	assert_false(r.leave_temporary_profiles);
	assert_int_equal(r.mailboxes.n, 3);
	assert_string_equal(r.mailboxes.v[2],
			    "/o=SourceOrg/ou=Exchange Administrative Group "
			    "(FYDIBOHF23SPDLT)/cn=Recipients/cn=Room-3");
	assert_true(r.has_ad);
	assert_string_equal(r.dc_name, "DC.source.domain");
	assert_string_equal(r.dc_account, "source\\administrator");
	assert_string_equal(r.dc_password, "7F3A62CD00FC1DDDCD");
	assert_false(r.has_rpc);
	assert_true(r.has_switch_message);
	assert_int_equal(r.agent, CFG_AGENT_LEGACY);
	assert_int_equal(r.nwarn, 0);
	cfg_resmb_free(&r);
}

static void test_ex2013(void **state)
{
	(void)state;
	cfg_resmb r;
	assert_int_equal(cfg_resmb_load(FIX "switchresmb-ex2013-ol2013.ini", &r), RP_OK);
	assert_true(r.has_rpc);
	assert_true(r.connect_using_http);
	assert_string_equal(r.proxy_server, "proxy.source.domain");
	assert_string_equal(r.principal_name, "");
	assert_false(r.ssl_only);
	assert_false(r.mutual_auth);
	assert_true(r.http_first_on_fast);
	assert_false(r.http_first_on_slow);
	assert_int_equal(r.auth_ntlm, 1);
	assert_int_equal(r.auth_basic, -1);
	assert_int_equal(r.agent, CFG_AGENT_CONTEMPORARY);
	assert_int_equal(r.target, CFG_RESMB_TARGET_EXCHANGE);
	cfg_resmb_free(&r);
}

static void test_ol2016(void **state)
{
	(void)state;
	cfg_resmb r;
	assert_int_equal(cfg_resmb_load(FIX "switchresmb-ol2016.ini", &r), RP_OK);
	assert_string_equal(r.src_exch_server, "");
	assert_int_equal(r.mailboxes.n, 0);
	assert_int_equal(r.mailboxes_smtp.n, 3);
	assert_string_equal(r.mailboxes_smtp.v[0], "Room-1@source.domain");
	assert_int_equal(r.target_mailboxes_smtp.n, 3);
	assert_string_equal(r.target_mailboxes_smtp.v[2], "Room-3@target.domain");
	assert_int_equal(r.target, CFG_RESMB_TARGET_O365);
	assert_false(r.has_ad);
	cfg_resmb_free(&r);
}

static int from_text(const char *text, cfg_resmb *r)
{
	cfg_ini *ini = NULL;
	int rc = cfg_ini_parse("r.ini", (const uint8_t *)text, strlen(text),
			       cfg_resmb_list_sections, &ini);
	if (rc != RP_OK)
		return rc;
	rc = cfg_resmb_from_ini(ini, r);
	cfg_ini_free(ini);
	return rc;
}

#define OK_HEAD "[Settings]\nCPUUCmdLine=\nSrcExchServer=\n"
#define BOXES "[MailboxesSMTP]\na@s.com\n"

static void expect(const char *text, const char *msg)
{
	cfg_resmb r;
	assert_int_equal(from_text(text, &r), RP_EINVAL);
	assert_string_equal(rp_error_msg(), msg);
	cfg_resmb_free(&r);
}

static void test_errors(void **state)
{
	(void)state;
	cfg_resmb r;
	expect(BOXES, "r.ini: the [Settings] section is required");
	expect("[Settings]\nCPUUCmdLine=\n" BOXES,
	       "r.ini:1: [Settings] SrcExchServer is required");
	expect(OK_HEAD "LogonNetworkSecurityWinnt=2\n" BOXES,
	       "r.ini:4: [Settings] LogonNetworkSecurityWinnt=2: must be 1 or 0");
	expect(OK_HEAD, "r.ini: no mailboxes listed in [Mailboxes] or [MailboxesSMTP]");
	expect(OK_HEAD "[AD]\nDCName=dc\nDCAccount=\nDCPassword=x\n" BOXES,
	       "r.ini:6: [AD] DCAccount=: cannot be empty");
	expect(OK_HEAD "[SwitchMessage]\nMigrationAgentType=Modern\n" BOXES,
	       "r.ini:5: [SwitchMessage] MigrationAgentType=Modern: must be Legacy or "
	       "Contemporary");
	expect(OK_HEAD "[SwitchMessage]\nMigrationAgentType=Contemporary\n" BOXES,
	       "r.ini:4: [SwitchMessage] Target is required");
	expect(OK_HEAD
	       "[SwitchMessage]\nMigrationAgentType=Contemporary\nTarget=Notes\n" BOXES,
	       "r.ini:6: [SwitchMessage] Target=Notes: must be Exchange or O365");
	expect(OK_HEAD "[RPCOverHTTP]\nConnectUsingHTTP=1\n" BOXES,
	       "r.ini:4: [RPCOverHTTP] ProxyServer is required");
	expect(OK_HEAD BOXES "[TargetMailboxesSMTP]\nx@t.com\ny@t.com\n",
	       "r.ini:6: [TargetMailboxesSMTP]: 2 addresses for 1 in [MailboxesSMTP]; "
	       "they pair "
	       "line by line");
	expect(OK_HEAD "[MailboxesSMTP]\nnot-an-address\n",
	       "r.ini:5: [MailboxesSMTP] not-an-address: not an SMTP address");
	expect(OK_HEAD "[Mailboxes]\ncn=Room\n",
	       "r.ini:5: [Mailboxes] cn=Room: not a legacyExchangeDN (/o=...)");
	/* Parameters of older versions are ignored with a warning. */
	assert_int_equal(from_text(OK_HEAD "OldParam=1\n[Old]\nx=1\n" BOXES, &r), RP_OK);
	assert_int_equal(r.nwarn, 2);
	assert_string_equal(r.warnings[0],
			    "r.ini:4: [Settings] OldParam: not used, ignored");
	assert_string_equal(r.warnings[1], "r.ini:5: [Old]: unknown section, ignored");
	cfg_resmb_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ex2010),
	    cmocka_unit_test(test_ex2013),
	    cmocka_unit_test(test_ol2016),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
