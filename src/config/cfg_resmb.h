/* cfg_resmb.h - SwitchResMB.ini, the settings of the resource-mailbox mode
 * (the guide's "SwitchResMB.ini Parameters").
 *
 * [Settings] is mandatory (CPUUCmdLine and SrcExchServer must be present,
 * may be empty). [AD], [RPCOverHTTP] and [SwitchMessage] are optional, but
 * when present their required keys must be there. [Mailboxes],
 * [MailboxesSMTP] and [TargetMailboxesSMTP] are plain lists of lines; at
 * least one mailbox must be listed, and a non-empty [TargetMailboxesSMTP]
 * pairs line by line with [MailboxesSMTP]. The guide says files from older
 * versions may hold more parameters that are not used: unknown keys and
 * sections are warnings here, not errors. Errors: RP_EINVAL, one line
 * "FILE:LINE: [Section] Key=Value: what"; exit with RESMB_BAD_INI. */
#ifndef CFG_RESMB_H
#define CFG_RESMB_H

#include "cfg_ini.h"
#include "cfg_settings.h"

#include <stdbool.h>

enum cfg_resmb_agent { CFG_AGENT_LEGACY, CFG_AGENT_CONTEMPORARY };
enum cfg_resmb_target { CFG_RESMB_TARGET_EXCHANGE, CFG_RESMB_TARGET_O365 };

/* Optional 0/1 values: -1 = not given. */
typedef struct cfg_resmb {
	char *path;
	/* [Settings] */
	char *cpuu_cmdline;
	char *src_exch_server; /* "" allowed (Outlook 2016/2019) */
	int logon_negotiate, logon_winnt, logon_anonymous, logon_kerberos,
	    logon_smartcard;
	bool leave_temporary_profiles;
	/* [AD] */
	bool has_ad;
	char *dc_name, *dc_account, *dc_password;
	/* [RPCOverHTTP] */
	bool has_rpc;
	bool connect_using_http, ssl_only, mutual_auth, http_first_on_fast,
	    http_first_on_slow;
	char *proxy_server, *principal_name;
	int auth_ntlm, auth_basic, auth_negotiate;
	/* [SwitchMessage] */
	bool has_switch_message;
	bool recreate_switch_msg;
	enum cfg_resmb_agent agent;
	enum cfg_resmb_target target; /* meaningful when agent is contemporary */
	/* lists */
	cfg_strlist mailboxes;             /* legacyExchangeDNs */
	cfg_strlist mailboxes_smtp;        /* source SMTP addresses */
	cfg_strlist target_mailboxes_smtp; /* target SMTP addresses */
	char **warnings;
	size_t nwarn;
} cfg_resmb;

/* The list sections, for cfg_ini_parse. */
extern const char *const cfg_resmb_list_sections[];

int cfg_resmb_from_ini(const cfg_ini *ini, cfg_resmb *r);
int cfg_resmb_load(const char *path, cfg_resmb *r);
void cfg_resmb_free(cfg_resmb *r);

#endif
