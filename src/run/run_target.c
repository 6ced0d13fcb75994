#include "run_target.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_codes.h"
#include "run/run_srcmsg.h"

#include <stdlib.h>
#include <string.h>

/* Sets *dst to a copy of src unless *dst is already set or src is NULL. */
static int fill(char **dst, const char *src)
{
	if (*dst || !src || !*src)
		return RP_OK;
	return (*dst = rp_strdup(src)) ? RP_OK : RP_ENOMEM;
}

int run_target_from_response(const adisc_result *res, feature_target *t)
{
	const adisc_response *r = res->resp;
	const adisc_protocol *exch = adisc_find_protocol(r, ADISC_PROTO_EXCH);
	const adisc_protocol *expr = adisc_find_protocol(r, ADISC_PROTO_EXPR);
	const adisc_protocol *mapi = adisc_find_protocol(r, ADISC_PROTO_MAPIHTTP);
	int rc = RP_OK;
	rc |= fill(&t->legacy_dn, r->legacy_dn);
	rc |= fill(&t->display_name, r->display_name);
	rc |= fill(&t->home_server, r->home_server);
	if (exch) {
		rc |= fill(&t->home_server, exch->server);
		rc |= fill(&t->server_dn, exch->server_dn);
		/* A host name (pre-2013) is also the server's FQDN; the 2013+
		 * "<guid>@<domain>" form is not. */
		if (exch->server && !strchr(exch->server, '@'))
			rc |= fill(&t->server_fqdn, exch->server);
	}
	if (expr) {
		const char *cpn = expr->cert_principal_name;
		rc |= fill(&t->rpc_proxy, expr->server);
		t->rpc_settings = true;
		/* POX reference, CertPrincipalName (POX): "none" = no principal
		 * check; absent = msstd:<Server> of the same Protocol. */
		if (cpn && *cpn && rp_ascii_casecmp(cpn, "None") != 0)
			rc |= fill(&t->rpc_principal, cpn);
		else if ((!cpn || !*cpn) && expr->server && *expr->server &&
			 !t->rpc_principal)
			rc |= (t->rpc_principal = rp_asprintf("msstd:%s", expr->server))
				  ? RP_OK
				  : RP_ENOMEM;
	}
	if (mapi) {
		rc |= fill(&t->mapi_store_internal, mapi->mailstore_internal_url);
		rc |= fill(&t->mapi_store_external, mapi->mailstore_external_url);
		rc |= fill(&t->mapi_ab_internal, mapi->addressbook_internal_url);
		rc |= fill(&t->mapi_ab_external, mapi->addressbook_external_url);
	}
	for (size_t i = 0; i < r->n_alt_mailboxes; i++) {
		const adisc_alt_mailbox *a = &r->alt_mailboxes[i];
		if (!a->type || rp_ascii_casecmp(a->type, "Archive") != 0)
			continue;
		rc |= fill(&t->archive_dn, a->legacy_dn);
		rc |= fill(&t->archive_server, a->server);
		rc |= fill(&t->archive_smtp, a->smtp_address);
		rc |= fill(&t->archive_display, a->display_name);
		break;
	}
	/* Only a URL can become Outlook's last-known-good Autodiscover URL; an
	 * answer from a local XML file leaves the value to be deleted. */
	if (res->origin && rp_ascii_ncasecmp(res->origin, "https://", 8) == 0)
		rc |= fill(&t->autodiscover_url, res->origin);
	return rc ? RP_ENOMEM : RP_OK;
}

/* The row named an alias of the mailbox: the primary address that the
 * target's Autodiscover reports replaces it. */
static int use_primary(const cfg_switch_entry *e, const adisc_result *res,
		       feature_target *t, char **info)
{
	const char *primary = res->resp ? res->resp->autodiscover_smtp : NULL;
	char *p;
	if (!primary || !adisc_address_domain(primary) ||
	    rp_ascii_casecmp(primary, t->smtp) == 0)
		return RP_OK;
	if (!(p = rp_strdup(primary)))
		return RP_ENOMEM;
	free(t->smtp);
	t->smtp = p;
	*info = rp_asprintf("The switch list names '%s' for '%s'; the target's "
			    "Autodiscover names its primary address '%s', which is "
			    "written.",
			    e->target_smtp, e->source ? e->source : "?", primary);
	return RP_OK;
}

int run_target_build(const cfg_switch_entry *e, adisc_resolver *r, feature_target *t,
		     char **note, char **info)
{
	adisc_result *res = NULL;
	int rc = RP_OK;
	memset(t, 0, sizeof(*t));
	*note = NULL;
	*info = NULL;
	t->o365 = e->kind == CFG_TARGET_O365;
	if (!(t->smtp = rp_strdup(e->target_smtp)) ||
	    (e->target_legacy_dn && !(t->legacy_dn = rp_strdup(e->target_legacy_dn)))) {
		feature_target_free(t);
		return RP_ENOMEM;
	}
	if (r) {
		rc = adisc_lookup(r, e->target_smtp, &res);
		if (rc == RP_OK) {
			const char *dn = res->resp ? res->resp->legacy_dn : NULL;
			if (t->legacy_dn && dn && !rp_name_eq(dn, t->legacy_dn))
				*note = rp_asprintf(
				    "target legacyExchangeDN differs: from the switch "
				    "list: '%s', from Autodiscover: '%s'; the switch "
				    "list's is used",
				    t->legacy_dn, dn);
			rc = run_target_from_response(res, t);
			if (rc == RP_OK)
				rc = use_primary(e, res, t, info);
		} else if (t->legacy_dn) {
			/* The switch list has what the switch strictly needs. */
			*note = rp_asprintf(
			    "no Autodiscover answer for the target '%s' (%s); "
			    "switching with the switch list's identity only",
			    e->target_smtp, rp_error_msg());
			rp_error_clear();
			rc = RP_OK;
		} else {
			rc = rp_error_wrap(rc, "target '%s'", e->target_smtp);
		}
	}
	if (rc == RP_OK && !t->legacy_dn)
		rc = rp_error_set(
		    RP_ENOTFOUND,
		    "target '%s': no legacyExchangeDN in the switch list and no "
		    "Autodiscover answer",
		    e->target_smtp);
	adisc_result_free(res);
	if (rc < 0)
		feature_target_free(t);
	return rc;
}

void run_switch_entry_clear(cfg_switch_entry *e)
{
	free(e->source);
	free(e->target_smtp);
	free(e->target_legacy_dn);
	memset(e, 0, sizeof(*e));
}

void run_switch_find_free(run_ctx *c)
{
	run_switch_entry_clear(&c->adisc_switch);
	free(c->msg_bad.source);
	free(c->msg_bad.reason);
	memset(&c->msg_bad, 0, sizeof(c->msg_bad));
	c->from_message = c->msg_recreate = false;
}

static bool same_domain(const char *a, const char *b)
{
	const char *da = adisc_address_domain(a), *db = adisc_address_domain(b);
	return da && db && rp_ascii_casecmp(da, db) == 0;
}

int run_switch_from_redirect(const char *source_smtp, const adisc_result *res,
			     cfg_switch_entry *e)
{
	const char *to = NULL, *dom;
	size_t i;
	memset(e, 0, sizeof(*e));
	if (!res || !source_smtp)
		return RP_ENOTFOUND;
	/* The first hop to another domain is the move; same-domain hops are
	 * aliases resolving to a primary address. */
	for (i = 0; i < res->n_hops && !to; i++)
		if (strncmp(res->hops[i], "addr:", 5) == 0 &&
		    !same_domain(res->hops[i] + 5, source_smtp))
			to = res->hops[i] + 5;
	if (!to)
		return RP_ENOTFOUND;
	/* Later hops (the target organisation's own redirects) refine it. */
	to = res->address && !same_domain(res->address, source_smtp) ? res->address : to;
	dom = adisc_address_domain(to);
	e->kind =
	    (res->resp && res->resp->action == ADISC_ACTION_SETTINGS &&
	     res->resp->microsoft_online == 1) ||
		    (dom && strlen(dom) > 16 &&
		     rp_ascii_casecmp(dom + strlen(dom) - 16, ".onmicrosoft.com") == 0)
		? CFG_TARGET_O365
		: CFG_TARGET_EXCHANGE;
	if (!(e->source = rp_strdup(source_smtp)) || !(e->target_smtp = rp_strdup(to))) {
		run_switch_entry_clear(e);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	return RP_OK;
}

static void source_error(run_ctx *c)
{
	/* The guide's wording ("Dealing with Autodiscover service issues"). */
	run_log_line(
	    c->log, "Error",
	    "Cannot get an Autodiscover response on source. See logged errors to "
	    "resolve the issue. Profile will not be processed.");
}

/* A URL whose host is an IP literal or a single-label name ("localhost",
 * an intranet short name) has no DNS domain to compare. */
static bool host_without_domain(const char *url)
{
	const char *h = strstr(url, "://"), *at;
	size_t n, i;
	bool dot = false, digits_only = true;
	h = h ? h + 3 : url;
	n = strcspn(h, "/?#");
	if ((at = memchr(h, '@', n)) != NULL) {
		n -= (size_t)(at + 1 - h);
		h = at + 1;
	}
	if (n && h[0] == '[')
		return true; /* IPv6 literal */
	n = strcspn(h, ":/?#") < n ? strcspn(h, ":/?#") : n;
	for (i = 0; i < n; i++) {
		dot |= h[i] == '.';
		digits_only &= (h[i] >= '0' && h[i] <= '9') || h[i] == '.';
	}
	return !dot || digits_only;
}

/* -SkipAutodiscoverChecking turns this off: a manual URL must be on the
 * domain of the address it is asked about (a host without a domain passes:
 * there is nothing to compare). */
static bool url_checked(run_ctx *c, const char *url, const char *address,
			const char *side)
{
	const char *dom = adisc_address_domain(address);
	if (!url || !dom || c->cl->skip_autodiscover_checking ||
	    host_without_domain(url) || adisc_url_in_domain(url, dom))
		return true;
	run_log_line(c->log, "Warning",
		     "The Autodiscover URL '%s' is not on the %s domain '%s' of '%s' "
		     "(-SkipAutodiscoverChecking allows it).",
		     url, side, dom, address);
	return false;
}

/* The source lookup and its checks. *moved receives the result when it
 * shows a redirect to another domain; *own (when not NULL) the source's own
 * settings answer once checked. Negative = not processed. */
static int source_check(run_ctx *c, const profile_exchange *x, adisc_result **moved,
			adisc_result **own)
{
	adisc_result *res = NULL;
	cfg_switch_entry probe;
	int rc;
	*moved = NULL;
	if (!x->smtp || !*x->smtp) {
		run_log_line(
		    c->log, "TraceW",
		    "The profile has no SMTP address for the source Autodiscover "
		    "lookup; the source check is skipped.");
		return RP_OK;
	}
	if (!c->st->use_local_autodiscover_xmls &&
	    !url_checked(c, c->st->autodiscover_source_url, x->smtp, "source")) {
		source_error(c);
		return RP_EINVAL;
	}
	rc = adisc_lookup(c->source_resolver, x->smtp, &res);
	if (res && run_switch_from_redirect(x->smtp, res, &probe) == RP_OK) {
		run_switch_entry_clear(&probe);
		rp_error_clear();
		*moved = res; /* the source mailbox moved: nothing to compare */
		return RP_OK;
	}
	if (rc == RP_ENOTFOUND && !res && c->source_local) {
		run_log_line(
		    c->log, "TraceW",
		    "No local Autodiscover XML file for the source '%s'; the source "
		    "check is skipped.",
		    x->smtp);
		rp_error_clear();
		return RP_OK;
	}
	if (rc != RP_OK) {
		run_log_line(c->log, "TraceW", "%s", rp_error_msg());
		rp_error_clear();
		adisc_result_free(res);
		source_error(c);
		return RP_ENOTFOUND;
	}
	if (res->resp->legacy_dn && x->mailbox_dn &&
	    !rp_name_eq(res->resp->legacy_dn, x->mailbox_dn)) {
		run_log_line(
		    c->log, "Warning",
		    "User LegacyExchangeDN properties are different: from the "
		    "source Autodiscover response: '%s', from the profile: '%s'.",
		    res->resp->legacy_dn, x->mailbox_dn);
		adisc_result_free(res);
		source_error(c);
		return RP_EINVAL;
	}
	if (own)
		*own = res;
	else
		adisc_result_free(res);
	return RP_OK;
}

/* The profile's name for its mailbox in messages. */
static const char *who(const profile_exchange *x)
{
	return x->smtp && *x->smtp ? x->smtp : x->mailbox_dn ? x->mailbox_dn : "?";
}

/* SwitchSources=message: the switch message of the source mailbox, read
 * with the run's source account at the MailStore URL of the source's own
 * Autodiscover answer (own). RP_OK with *res unchanged = none there (the
 * next source is asked); CFG_SL_INVALID = malformed; negative = the mailbox
 * could not be read (logged; the profile is not processed, as for a source
 * Autodiscover that does not answer). */
static int message_source(run_ctx *c, const profile_exchange *x,
			  const adisc_result *moved, const adisc_result *own,
			  enum cfg_sl_result *res, const cfg_switch_entry **e,
			  const cfg_switch_bad **bad)
{
	const adisc_protocol *p =
	    own && own->resp ? adisc_find_protocol(own->resp, ADISC_PROTO_MAPIHTTP)
			     : NULL;
	/* Internal first, as the target sign-in check (docs/decisions.md). */
	const char *url = !p                          ? NULL
			  : p->mailstore_internal_url ? p->mailstore_internal_url
						      : p->mailstore_external_url;
	const char *dn = x->mailbox_dn && *x->mailbox_dn ? x->mailbox_dn
			 : own && own->resp              ? own->resp->legacy_dn
							 : NULL;
	const char *why = NULL;
	mbx_swm m;
	bool recreate = false;
	int rc;
	if (moved) {
		/* A mail user now: its mailbox, and any message in it, is gone. */
		run_log_line(c->log, "TraceW",
			     "The source mailbox '%s' moved (Autodiscover redirect): no "
			     "switch message to read",
			     who(x));
		return RP_OK;
	}
	if (!c->srcmsg)
		why = "the source side has no network settings (SwitchSources=message "
		      "needs network Autodiscover)";
	else if (!own)
		why = "no source Autodiscover answer to take its MailStore URL from";
	else if (!url)
		why = "the source Autodiscover answer has no mapiHttp MailStore URL";
	else if (!dn)
		why = "neither the profile nor the source Autodiscover answer names its "
		      "legacyExchangeDN";
	if (why) {
		run_log_line(c->log, "Error",
			     "Cannot read the switch message of '%s': %s. Profile will "
			     "not be processed.",
			     who(x), why);
		return RP_ENOTFOUND;
	}
	rc = run_srcmsg_read(c->srcmsg, url, dn, &m, &recreate);
	if (rc == RP_ENOTFOUND) {
		run_log_line(c->log, "Info",
			     "No switch message in the source mailbox '%s' (%s)", who(x),
			     url);
		rp_error_clear();
		return RP_OK;
	}
	if (rc == RP_EFORMAT) {
		c->msg_bad.line = 0;
		c->msg_bad.source = rp_strdup(who(x));
		c->msg_bad.reason = rp_strdup(rp_error_msg());
		rp_error_clear();
		if (!c->msg_bad.source || !c->msg_bad.reason)
			return rp_error_set(RP_ENOMEM, "out of memory");
		*res = CFG_SL_INVALID;
		*bad = &c->msg_bad;
		return RP_OK;
	}
	if (rc < 0) {
		run_log_line(c->log, "Error",
			     "Cannot open the source mailbox '%s' to read its switch "
			     "message (%s): %s. Profile will not be processed.",
			     who(x), url, rp_error_msg());
		rp_error_clear();
		return rc;
	}
	c->adisc_switch.kind = m.o365 ? CFG_TARGET_O365 : CFG_TARGET_EXCHANGE;
	c->adisc_switch.target_smtp = m.target_smtp;
	c->adisc_switch.target_legacy_dn = m.target_dn;
	m.target_smtp = m.target_dn = NULL;
	mbx_swm_free(&m);
	if (!(c->adisc_switch.source = rp_strdup(who(x))))
		return rp_error_set(RP_ENOMEM, "out of memory");
	/* Its kind reaches the target lookup's sign-in choice. */
	if (c->adisc_switch.kind == CFG_TARGET_O365 &&
	    (rc = run_creds_mark_o365(c->creds, c->adisc_switch.target_smtp)) < 0)
		return rc;
	c->from_message = true;
	c->msg_recreate = recreate;
	*res = CFG_SL_FOUND;
	*e = &c->adisc_switch;
	run_log_line(c->log, "Info",
		     "The source mailbox '%s' holds a switch message to '%s'%s (%s)%s",
		     who(x), c->adisc_switch.target_smtp,
		     c->adisc_switch.kind == CFG_TARGET_O365 ? " (Microsoft 365)" : "",
		     url, recreate ? "; a recreate message too" : "");
	return RP_OK;
}

static bool wants_message(const cfg_settings *st)
{
	for (size_t i = 0; i < st->n_switch_sources; i++)
		if (st->switch_sources[i] == CFG_SWS_MESSAGE)
			return true;
	return false;
}

int run_switch_find(run_ctx *c, const profile_exchange *x, enum cfg_sl_result *res,
		    const cfg_switch_entry **e, const cfg_switch_bad **bad)
{
	adisc_result *moved = NULL, *own = NULL;
	size_t i;
	int rc = RP_OK;
	*res = CFG_SL_NOT_LISTED;
	*e = NULL;
	*bad = NULL;
	run_switch_find_free(c);
	if (c->source_resolver &&
	    (rc = source_check(c, x, &moved, wants_message(c->st) ? &own : NULL)) < 0)
		return rc;
	for (i = 0; i < c->st->n_switch_sources && *res == CFG_SL_NOT_LISTED; i++) {
		if (c->st->switch_sources[i] == CFG_SWS_LIST) {
			if (c->switches)
				*res = cfg_switchlist_lookup(c->switches, x->smtp,
							     x->mailbox_dn, e, bad);
		} else if (c->st->switch_sources[i] == CFG_SWS_MESSAGE) {
			if ((rc = message_source(c, x, moved, own, res, e, bad)) < 0)
				break;
		} else if (moved) {
			rc = run_switch_from_redirect(x->smtp, moved, &c->adisc_switch);
			/* Its kind reaches the target lookup's sign-in choice. */
			if (rc == RP_OK && c->adisc_switch.kind == CFG_TARGET_O365)
				rc = run_creds_mark_o365(c->creds,
							 c->adisc_switch.target_smtp);
			if (rc < 0)
				break;
			*res = CFG_SL_FOUND;
			*e = &c->adisc_switch;
			run_log_line(
			    c->log, "Info",
			    "Autodiscover redirects '%s' to '%s' (%s): the mailbox "
			    "is switched",
			    x->smtp, c->adisc_switch.target_smtp,
			    moved->origin ? moved->origin : "?");
		}
	}
	adisc_result_free(moved);
	adisc_result_free(own);
	if (rc < 0)
		return rc;
	if (*res == CFG_SL_FOUND && !c->st->use_local_autodiscover_xmls &&
	    c->target_resolver &&
	    !url_checked(c, c->st->autodiscover_target_url, (*e)->target_smtp,
			 "target")) {
		run_log_line(
		    c->log, "Error",
		    "Cannot get an Autodiscover response on target. See logged "
		    "errors to resolve the issue. Profile will not be processed.");
		return RP_EINVAL;
	}
	return RP_OK;
}

/* Whether the identity (smtp, dn) is the account's: by DN when both sides
 * have one (a same-domain migration keeps the SMTP address), else by SMTP. */
static bool is_account(const profile_exchange *x, const char *smtp, const char *dn)
{
	if (dn && *dn && x->mailbox_dn && *x->mailbox_dn)
		return rp_name_eq(dn, x->mailbox_dn);
	return smtp && *smtp && x->smtp && rp_ascii_casecmp(smtp, x->smtp) == 0;
}

/* A row whose target is the account, and whose source is not (with the same
 * SMTP address on both sides and no target DN there is nothing to tell). */
static const cfg_switch_entry *list_target(const cfg_switchlist *l,
					   const profile_exchange *x)
{
	size_t i;
	for (i = 0; l && i < l->n; i++) {
		const cfg_switch_entry *e = &l->entries[i];
		bool src = (x->smtp && rp_ascii_casecmp(e->source, x->smtp) == 0) ||
			   (x->mailbox_dn && rp_name_eq(e->source, x->mailbox_dn));
		if (e->target_legacy_dn && x->mailbox_dn && *x->mailbox_dn) {
			if (rp_name_eq(e->target_legacy_dn, x->mailbox_dn))
				return e;
		} else if (!src && is_account(x, e->target_smtp, NULL)) {
			return e;
		}
	}
	return NULL;
}

char *run_names_target(run_ctx *c, const profile_exchange *x, const run_state *st,
		       bool ask_autodiscover)
{
	const cfg_switch_entry *e;
	adisc_result *res = NULL;
	char *why = NULL;
	if (st && st->present && st->status != PROFILE_RESTORE_OK &&
	    is_account(x, st->target_smtp, st->target_dn))
		return rp_asprintf("the account already names the target mailbox '%s' "
				   "(reprofile's state, %s)",
				   st->target_smtp ? st->target_smtp : st->target_dn,
				   st->time ? st->time : "time unknown");
	if ((e = list_target(c->switches, x)) != NULL)
		return rp_asprintf("the account already names the target mailbox '%s' "
				   "(switch list %s:%d)",
				   e->target_smtp, c->switches->path, e->line);
	/* Only the target organisation's own endpoint can say "home": the
	 * standard candidates of the account's domain, or a folder that
	 * answers both sides, may be the source organisation speaking. */
	if (!ask_autodiscover || !c->target_resolver ||
	    c->st->use_local_autodiscover_xmls || !c->st->autodiscover_target_url ||
	    !x->smtp || !x->mailbox_dn)
		return NULL;
	if (adisc_lookup(c->target_resolver, x->smtp, &res) == RP_OK && res->resp &&
	    res->resp->action == ADISC_ACTION_SETTINGS && res->resp->legacy_dn &&
	    rp_name_eq(res->resp->legacy_dn, x->mailbox_dn))
		why = rp_asprintf("the account already names the target mailbox '%s' "
				  "(the target Autodiscover %s answers for it)",
				  x->smtp, res->origin ? res->origin : "");
	rp_error_clear();
	adisc_result_free(res);
	return why;
}
