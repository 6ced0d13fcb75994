#include "cfg_resmb.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char *const cfg_resmb_list_sections[] = {"Mailboxes", "MailboxesSMTP",
					       "TargetMailboxesSMTP", NULL};

enum kt {
	K_STR,      /* required, may be empty */
	K_STR_NE,   /* required, not empty */
	K_BOOL,     /* required 0/1 */
	K_BOOL_OPT, /* optional 0/1 into a bool */
	K_TRI_OPT,  /* optional 0/1 into an int (-1 = not given) */
	K_AGENT,    /* required Legacy|Contemporary */
	K_TARGET    /* Exchange|O365, required for Contemporary */
};

struct key {
	const char *section, *name;
	enum kt type;
	size_t off;
};

#define F(m) offsetof(cfg_resmb, m)
static const struct key keys[] = {
    {"Settings", "CPUUCmdLine", K_STR, F(cpuu_cmdline)},
    {"Settings", "SrcExchServer", K_STR, F(src_exch_server)},
    {"Settings", "LogonNetworkSecurityNegotiate", K_TRI_OPT, F(logon_negotiate)},
    {"Settings", "LogonNetworkSecurityWinnt", K_TRI_OPT, F(logon_winnt)},
    {"Settings", "LogonNetworkSecurityAnonymous", K_TRI_OPT, F(logon_anonymous)},
    {"Settings", "LogonNetworkSecurityKerberos", K_TRI_OPT, F(logon_kerberos)},
    {"Settings", "LogonNetworkSecuritySmartCard", K_TRI_OPT, F(logon_smartcard)},
    {"Settings", "LeaveTemporaryProfiles", K_BOOL_OPT, F(leave_temporary_profiles)},
    {"AD", "DCName", K_STR_NE, F(dc_name)},
    {"AD", "DCAccount", K_STR_NE, F(dc_account)},
    {"AD", "DCPassword", K_STR_NE, F(dc_password)},
    {"RPCOverHTTP", "ConnectUsingHTTP", K_BOOL, F(connect_using_http)},
    {"RPCOverHTTP", "ProxyServer", K_STR_NE, F(proxy_server)},
    {"RPCOverHTTP", "PrincipalName", K_STR, F(principal_name)},
    {"RPCOverHTTP", "SSLOnly", K_BOOL, F(ssl_only)},
    {"RPCOverHTTP", "MutualAuth", K_BOOL, F(mutual_auth)},
    {"RPCOverHTTP", "HTTPFirstOnFast", K_BOOL, F(http_first_on_fast)},
    {"RPCOverHTTP", "HTTPFirstOnSlow", K_BOOL, F(http_first_on_slow)},
    {"RPCOverHTTP", "AuthNtlm", K_TRI_OPT, F(auth_ntlm)},
    {"RPCOverHTTP", "AuthBasic", K_TRI_OPT, F(auth_basic)},
    {"RPCOverHTTP", "AuthNegotiate", K_TRI_OPT, F(auth_negotiate)},
    {"SwitchMessage", "RecreateSwitchMsg", K_BOOL_OPT, F(recreate_switch_msg)},
    {"SwitchMessage", "MigrationAgentType", K_AGENT, F(agent)},
    {"SwitchMessage", "Target", K_TARGET, F(target)},
};
#undef F
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static int warn(cfg_resmb *r, char *msg)
{
	char **w;
	if (!msg)
		return rp_error_set(RP_ENOMEM, "out of memory");
	w = realloc(r->warnings, (r->nwarn + 1) * sizeof(*w));
	if (!w) {
		free(msg);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	r->warnings = w;
	w[r->nwarn++] = msg;
	return RP_OK;
}

void cfg_resmb_free(cfg_resmb *r)
{
	size_t i;
	free(r->path);
	for (i = 0; i < NKEYS; i++)
		if (keys[i].type == K_STR || keys[i].type == K_STR_NE)
			free(*(char **)((char *)r + keys[i].off));
	cfg_strlist_free(&r->mailboxes);
	cfg_strlist_free(&r->mailboxes_smtp);
	cfg_strlist_free(&r->target_mailboxes_smtp);
	for (i = 0; i < r->nwarn; i++)
		free(r->warnings[i]);
	free(r->warnings);
	memset(r, 0, sizeof(*r));
}

static int bad(const cfg_ini *ini, int line, const char *sec, const char *key,
	       const char *val, const char *what)
{
	return rp_error_set(RP_EINVAL, "%s:%d: [%s] %s=%s: %s", ini->path, line, sec, key,
			    val, what);
}

static int one_key(const cfg_ini *ini, const cfg_ini_section *sec, const struct key *k,
		   cfg_resmb *r)
{
	const cfg_ini_entry *e = cfg_ini_get(sec, k->name);
	void *field = (char *)r + k->off;
	bool b;

	if (!e) {
		bool required =
		    k->type == K_STR || k->type == K_STR_NE || k->type == K_BOOL ||
		    k->type == K_AGENT ||
		    (k->type == K_TARGET && r->agent == CFG_AGENT_CONTEMPORARY);
		if (required)
			return rp_error_set(RP_EINVAL, "%s:%d: [%s] %s is required",
					    ini->path, sec->line, sec->name, k->name);
		return RP_OK;
	}
	switch (k->type) {
	case K_STR_NE:
		if (!e->value[0])
			return bad(ini, e->line, sec->name, e->key, e->value,
				   "cannot be empty");
		/* fall through */
	case K_STR:
		*(char **)field = rp_strdup(e->value);
		return *(char **)field ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
	case K_BOOL:
	case K_BOOL_OPT:
	case K_TRI_OPT:
		if (strcmp(e->value, "0") != 0 && strcmp(e->value, "1") != 0)
			return bad(ini, e->line, sec->name, e->key, e->value,
				   "must be 1 or 0");
		b = e->value[0] == '1';
		if (k->type == K_TRI_OPT)
			*(int *)field = b;
		else
			*(bool *)field = b;
		return RP_OK;
	case K_AGENT:
		if (rp_ascii_casecmp(e->value, "Legacy") == 0)
			r->agent = CFG_AGENT_LEGACY;
		else if (rp_ascii_casecmp(e->value, "Contemporary") == 0)
			r->agent = CFG_AGENT_CONTEMPORARY;
		else
			return bad(ini, e->line, sec->name, e->key, e->value,
				   "must be Legacy or Contemporary");
		return RP_OK;
	case K_TARGET:
		if (rp_ascii_casecmp(e->value, "Exchange") == 0)
			r->target = CFG_RESMB_TARGET_EXCHANGE;
		else if (rp_ascii_casecmp(e->value, "O365") == 0)
			r->target = CFG_RESMB_TARGET_O365;
		else
			return bad(ini, e->line, sec->name, e->key, e->value,
				   "must be Exchange or O365");
		return RP_OK;
	}
	return RP_OK;
}

static int read_list(const cfg_ini *ini, const char *name, bool smtp, cfg_strlist *out)
{
	const cfg_ini_section *sec = cfg_ini_section_find(ini, name);
	size_t i;
	if (!sec)
		return RP_OK;
	for (i = 0; i < sec->n; i++) {
		const cfg_ini_entry *e = &sec->entries[i];
		char **v;
		if (smtp ? !cfg_is_smtp_address(e->value) : e->value[0] != '/')
			return rp_error_set(RP_EINVAL, "%s:%d: [%s] %s: %s", ini->path,
					    e->line, name, e->value,
					    smtp ? "not an SMTP address"
						 : "not a legacyExchangeDN (/o=...)");
		v = realloc(out->v, (out->n + 1) * sizeof(*v));
		if (!v)
			return rp_error_set(RP_ENOMEM, "out of memory");
		out->v = v;
		if (!(v[out->n] = rp_strdup(e->value)))
			return rp_error_set(RP_ENOMEM, "out of memory");
		out->n++;
	}
	return RP_OK;
}

static bool known_section(const char *name)
{
	size_t i;
	for (i = 0; cfg_resmb_list_sections[i]; i++)
		if (rp_ascii_casecmp(name, cfg_resmb_list_sections[i]) == 0)
			return true;
	for (i = 0; i < NKEYS; i++)
		if (rp_ascii_casecmp(name, keys[i].section) == 0)
			return true;
	return false;
}

static int check(const cfg_ini *ini, cfg_resmb *r)
{
	size_t i, j;
	int rc = RP_OK;
	const cfg_ini_section *sec;

	if (!cfg_ini_section_find(ini, "Settings"))
		return rp_error_set(RP_EINVAL, "%s: the [Settings] section is required",
				    ini->path);
	r->has_ad = cfg_ini_section_find(ini, "AD") != NULL;
	r->has_rpc = cfg_ini_section_find(ini, "RPCOverHTTP") != NULL;
	r->has_switch_message = cfg_ini_section_find(ini, "SwitchMessage") != NULL;
	for (i = 0; i < NKEYS && rc == RP_OK; i++) {
		sec = cfg_ini_section_find(ini, keys[i].section);
		if (sec)
			rc = one_key(ini, sec, &keys[i], r);
	}
	for (i = 0; i < ini->nsecs && rc == RP_OK; i++) {
		sec = &ini->secs[i];
		if (!known_section(sec->name)) {
			rc = warn(r, rp_asprintf("%s:%d: [%s]: unknown section, ignored",
						 ini->path, sec->line, sec->name));
			continue;
		}
		for (j = 0; j < sec->n && rc == RP_OK && !sec->list; j++) {
			const cfg_ini_entry *e = &sec->entries[j];
			size_t k;
			bool known = false;
			if (!e->key) {
				rc = rp_error_set(
				    RP_EINVAL, "%s:%d: [%s] %s: line has no '='",
				    ini->path, e->line, sec->name, e->value);
				break;
			}
			for (k = 0; k < NKEYS; k++)
				known |=
				    rp_ascii_casecmp(keys[k].section, sec->name) == 0 &&
				    rp_ascii_casecmp(keys[k].name, e->key) == 0;
			if (!known)
				rc = warn(r, rp_asprintf(
						 "%s:%d: [%s] %s: not used, ignored",
						 ini->path, e->line, sec->name, e->key));
		}
	}
	if (rc == RP_OK)
		rc = read_list(ini, "Mailboxes", false, &r->mailboxes);
	if (rc == RP_OK)
		rc = read_list(ini, "MailboxesSMTP", true, &r->mailboxes_smtp);
	if (rc == RP_OK)
		rc = read_list(ini, "TargetMailboxesSMTP", true,
			       &r->target_mailboxes_smtp);
	if (rc != RP_OK)
		return rc;
	if (!r->mailboxes.n && !r->mailboxes_smtp.n)
		return rp_error_set(
		    RP_EINVAL,
		    "%s: no mailboxes listed in [Mailboxes] or [MailboxesSMTP]",
		    ini->path);
	if (r->target_mailboxes_smtp.n &&
	    r->target_mailboxes_smtp.n != r->mailboxes_smtp.n)
		return rp_error_set(
		    RP_EINVAL,
		    "%s:%d: [TargetMailboxesSMTP]: %lu addresses for %lu in "
		    "[MailboxesSMTP]; they pair line by line",
		    ini->path, cfg_ini_section_find(ini, "TargetMailboxesSMTP")->line,
		    (unsigned long)r->target_mailboxes_smtp.n,
		    (unsigned long)r->mailboxes_smtp.n);
	return RP_OK;
}

int cfg_resmb_from_ini(const cfg_ini *ini, cfg_resmb *r)
{
	size_t i;
	int rc;
	memset(r, 0, sizeof(*r));
	r->logon_negotiate = r->logon_winnt = r->logon_anonymous = r->logon_kerberos =
	    r->logon_smartcard = -1;
	r->auth_ntlm = r->auth_basic = r->auth_negotiate = -1;
	r->path = rp_strdup(ini->path);
	rc = r->path ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
	for (i = 0; rc == RP_OK && i < ini->nwarn; i++)
		rc = warn(r, rp_strdup(ini->warnings[i]));
	if (rc == RP_OK)
		rc = check(ini, r);
	if (rc != RP_OK)
		cfg_resmb_free(r);
	return rc;
}

int cfg_resmb_load(const char *path, cfg_resmb *r)
{
	cfg_ini *ini;
	int rc = cfg_ini_load(path, cfg_resmb_list_sections, &ini);
	memset(r, 0, sizeof(*r));
	if (rc != RP_OK)
		return rc;
	rc = cfg_resmb_from_ini(ini, r);
	cfg_ini_free(ini);
	return rc;
}
