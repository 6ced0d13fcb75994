#include "run_target.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

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
		rc |= fill(&t->rpc_proxy, expr->server);
		rc |= fill(&t->rpc_principal, expr->cert_principal_name);
	}
	if (mapi) {
		rc |= fill(&t->mapi_store_internal, mapi->mailstore_internal_url);
		rc |= fill(&t->mapi_store_external, mapi->mailstore_external_url);
		rc |= fill(&t->mapi_ab_internal, mapi->addressbook_internal_url);
		rc |= fill(&t->mapi_ab_external, mapi->addressbook_external_url);
	}
	/* Only a URL can become Outlook's last-known-good Autodiscover URL; an
	 * answer from a local XML file leaves the value to be deleted. */
	if (res->origin && rp_ascii_ncasecmp(res->origin, "https://", 8) == 0)
		rc |= fill(&t->autodiscover_url, res->origin);
	return rc ? RP_ENOMEM : RP_OK;
}

int run_target_build(const cfg_switch_entry *e, adisc_resolver *r, feature_target *t,
		     char **note)
{
	adisc_result *res = NULL;
	int rc = RP_OK;
	memset(t, 0, sizeof(*t));
	*note = NULL;
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
