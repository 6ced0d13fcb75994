/* run_classify.h - the guide's status code for a profile before any switch
 * ("CPUU Return Codes", "Multiple Exchange Account Processing",
 * ProcessedDomainsFQDNs, AllowAdditionalServices, ProcessOfflineProfiles).
 *
 * Checks, in order (the first that applies decides):
 *   1  PROFILE_IS_BACKUP        name "BACKUP OF ..." (Outlook's own copies)
 *   2  PROFILE_ALREADY_UPDATED  reprofile's state says switched
 *   7  PROFILE_HAS_NO_SEREVER   no MSEMS service
 *   8  PROFILE_UNEXPECTED_SERVICES  a service outside the default set and
 *                               AllowAdditionalServices
 *   23 more than one Exchange account, ProcessedDomainsFQDNs empty
 *   24 ProcessedDomainsFQDNs given, primary account's domain not in it
 *   5  PROFILE_NOT_EXCHANGE_SERVICE  primary account has no SMTP and no DN
 *   19 PROFILE_HAS_UNSUPPORTED_AUTHENTICATION  unknown auth package
 *   6  PROFILE_IS_OFFLINE       cached mode without ProcessOfflineProfiles
 * otherwise PROFILE_WAS_NOT_PROCESSED (0) with *primary set: go ahead. */
#ifndef RUN_CLASSIFY_H
#define RUN_CLASSIFY_H

#include "config/cfg_settings.h"
#include "profile/profile.h"
#include "run/run_txn.h"

/* Returns the status; *primary = index into p->exchange of the account to
 * switch (-1 when none); *why = static one-line reason for the log. */
int run_classify(const profile *p, const cfg_settings *st, const run_state *state,
		 int *primary, const char **why);

/* Services processed without AllowAdditionalServices (the guide's list). */
extern const char *const run_default_services[];

#endif
