#include "run_classify.h"

#include "base/rp_str.h"
#include "config/cfg_codes.h"
#include "discover/adisc.h"

#include <string.h>

/* "The services updated by default are: MSEMS, MSPST AB, MSPST MS, MSUPST MS,
 * CONTAB, EMABLT, INTERSTOR, IMAIL" (guide, AllowAdditionalServices). */
const char *const run_default_services[] = {"MSEMS",     "MSPST AB", "MSPST MS",
					    "MSUPST MS", "CONTAB",   "EMABLT",
					    "INTERSTOR", "IMAIL",    NULL};

static bool allowed_service(const char *name, const cfg_settings *st)
{
	size_t i;
	if (st->allow_all_services)
		return true;
	for (i = 0; run_default_services[i]; i++)
		if (rp_ascii_casecmp(name, run_default_services[i]) == 0)
			return true;
	for (i = 0; i < st->allow_services.n; i++)
		if (rp_ascii_casecmp(name, st->allow_services.v[i]) == 0)
			return true;
	return false;
}

static bool domain_listed(const char *smtp, const cfg_settings *st)
{
	const char *d = smtp ? adisc_address_domain(smtp) : NULL;
	size_t i;
	for (i = 0; d && i < st->processed_domains.n; i++)
		if (rp_ascii_casecmp(d, st->processed_domains.v[i]) == 0)
			return true;
	return false;
}

/* PR_PROFILE_AUTH_PACKAGE values Outlook writes (rpcdce.h RPC_C_AUTHN_*,
 * outlook-profile-registry.md 3.2): anything else is unsupported (19). */
static bool auth_supported(const profile_exchange *x)
{
	if (!x->has_auth_package)
		return true;
	switch (x->auth_package) {
	case 0:  /* RPC_C_AUTHN_NONE: Outlook default */
	case 9:  /* RPC_C_AUTHN_GSS_NEGOTIATE */
	case 10: /* RPC_C_AUTHN_WINNT (NTLM) */
	case 16: /* RPC_C_AUTHN_GSS_KERBEROS */
		return true;
	default:
		return false;
	}
}

int run_classify(const profile *p, const cfg_settings *st, const run_state *state,
		 int *primary, const char **why)
{
	size_t i;
	bool msems = false;
	const profile_exchange *x;

	*primary = -1;
	if (rp_ascii_ncasecmp(p->name, "BACKUP OF ", 10) == 0) {
		*why = "the profile is a backup copy made by Outlook";
		return PROFILE_IS_BACKUP;
	}
	if (state && state->present && state->phase &&
	    strcmp(state->phase, "done") == 0) {
		*why = "the profile is already updated";
		return PROFILE_ALREADY_UPDATED;
	}
	for (i = 0; i < p->nservices; i++)
		if (p->services[i].name &&
		    rp_ascii_casecmp(p->services[i].name, "MSEMS") == 0)
			msems = true;
	if (!msems || p->nexchange == 0) {
		*why = "no 'Microsoft Exchange Server' service in the profile";
		return PROFILE_HAS_NO_SEREVER;
	}
	for (i = 0; i < p->nservices; i++)
		if (p->services[i].present && p->services[i].name &&
		    !allowed_service(p->services[i].name, st)) {
			*why =
			    "the profile has a service outside AllowAdditionalServices";
			return PROFILE_UNEXPECTED_SERVICES;
		}
	*primary = p->primary_exchange >= 0 ? p->primary_exchange : 0;
	x = &p->exchange[*primary];
	if (p->nexchange > 1 && st->processed_domains.n == 0) {
		*why = "the profile contains multiple Exchange accounts; set "
		       "ProcessedDomainsFQDNs to allow the primary one";
		*primary = -1;
		return PROFILE_MORE_THAN_ONE_ACCOUNT_IS_ALLOWED_TO_SWITCH;
	}
	if (st->processed_domains.n > 0 && !domain_listed(x->smtp, st)) {
		*why = "the primary Exchange account's domain is not in "
		       "ProcessedDomainsFQDNs";
		*primary = -1;
		return PROFILE_NO_ACCOUNT_IS_ALLOWED_TO_SWITCH;
	}
	if ((!x->smtp || !*x->smtp) && (!x->mailbox_dn || !*x->mailbox_dn)) {
		*why = "server name and mailbox DN are not specified for the Exchange "
		       "service";
		*primary = -1;
		return PROFILE_NOT_EXCHANGE_SERVICE;
	}
	if (!auth_supported(x)) {
		*why = "the profile's authentication package is not supported";
		*primary = -1;
		return PROFILE_HAS_UNSUPPORTED_AUTHENTICATION;
	}
	if (x->cached && !st->process_offline) {
		*why = "offline (cached mode) profile and ProcessOfflineProfiles is off";
		*primary = -1;
		return PROFILE_IS_OFFLINE;
	}
	*why = "to be switched";
	return PROFILE_WAS_NOT_PROCESSED;
}
