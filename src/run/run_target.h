/* run_target.h - where a profile's mailbox went, and the target's settings.
 *
 * Switch information comes from the switch list (cfg_switchlist.h): a
 * profile whose mailbox is not listed is "not switched yet". The target's
 * settings come from Autodiscover (local XML files or the network, behind
 * adisc_resolver); the switch list's target legacyExchangeDN wins over
 * Autodiscover's when both are given. */
#ifndef RUN_TARGET_H
#define RUN_TARGET_H

#include "config/cfg_switchlist.h"
#include "discover/adisc.h"
#include "features/features.h"

/* Fills t from the switch-list row e and, when r is not NULL, an Autodiscover
 * lookup of the target address. *note receives a malloc'd one-line remark
 * for the log (a warning such as a DN mismatch), or NULL.
 * RP_ENOTFOUND/RP_ENET/...: the target could not be resolved (message set);
 * then t is freed. */
int run_target_build(const cfg_switch_entry *e, adisc_resolver *r, feature_target *t,
		     char **note);

/* Copies what an Autodiscover response says about a mailbox into t (fields
 * already set are kept). */
int run_target_from_response(const adisc_result *res, feature_target *t);

#endif
