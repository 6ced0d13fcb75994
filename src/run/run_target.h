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
#include "profile/profile.h"
#include "run/run_modes.h"
#include "run/run_txn.h"

/* Fills t from the switch-list row e and, when r is not NULL, an Autodiscover
 * lookup of the target address. t->smtp is the primary address the target's
 * Autodiscover reports (User/AutoDiscoverSMTPAddress) when it has one, else
 * the row's address: a row may name an alias, which must not become the
 * account's address. *note receives a malloc'd one-line warning for the log
 * (such as a DN mismatch), *info a malloc'd line for [Info] (the row named
 * an alias), each NULL when there is nothing to say.
 * RP_ENOTFOUND/RP_ENET/...: the target could not be resolved (message set);
 * then t is freed. */
int run_target_build(const cfg_switch_entry *e, adisc_resolver *r, feature_target *t,
		     char **note, char **info);

/* Copies what an Autodiscover response says about a mailbox into t (fields
 * already set are kept). */
int run_target_from_response(const adisc_result *res, feature_target *t);

/* The switch information of account x (docs/switch.md, "Switch sources"):
 * 1. the source check, when c->source_resolver is set: Autodiscover for
 *    x->smtp; unless -SkipAutodiscoverChecking, AutodiscoverSourceURL must
 *    be on the source address's domain; a settings answer's LegacyDN must be
 *    the profile's (the guide's "User LegacyExchangeDN properties are
 *    different" warning otherwise); every failure is logged with the
 *    guide's "[Error] Cannot get an Autodiscover response on source" line;
 * 2. the sources of SwitchSources in order: "list" = the switch list,
 *    "autodiscover" = a redirectAddr to another domain in the source
 *    lookup (run_switch_from_redirect), "message" = the switch message of
 *    the source mailbox (c->srcmsg, at the MailStore URL of the source
 *    lookup's answer; none = the next source is asked; malformed =
 *    CFG_SL_INVALID with *bad = &c->msg_bad; the mailbox not opened =
 *    negative, logged); c->from_message and c->msg_recreate tell what it
 *    found;
 * 3. unless -SkipAutodiscoverChecking, AutodiscoverTargetURL must be on the
 *    found target address's domain.
 * On RP_OK *res is CFG_SL_FOUND (*e set; it may point into c->adisc_switch,
 * valid until the next call or run_switch_find_free), CFG_SL_INVALID (*bad
 * set) or CFG_SL_NOT_LISTED. A negative return = the profile is not
 * processed (PROFILE_NOT_RESOLVED); the reason is logged already. */
int run_switch_find(run_ctx *c, const profile_exchange *x, enum cfg_sl_result *res,
		    const cfg_switch_entry **e, const cfg_switch_bad **bad);
/* Frees c->adisc_switch. */
void run_switch_find_free(run_ctx *c);

/* Why the account x already names a target mailbox (malloc'd line), or NULL:
 * reprofile's state recorded it as the target (also after cleanup), a
 * switch-list row has it as target (by DN when both are known, else by SMTP
 * when the row's source is another address), or, with ask_autodiscover and
 * AutodiscoverTargetURL, the target organisation's Autodiscover answers
 * settings for its address with its legacyExchangeDN. Such a profile is
 * PROFILE_ALREADY_UPDATED, not "not switched yet". */
char *run_names_target(run_ctx *c, const profile_exchange *x, const run_state *st,
		       bool ask_autodiscover);

/* A switch from a source lookup: when res followed a redirectAddr from
 * source_smtp to an address of another domain (what Exchange answers for a
 * moved mailbox: a mail user whose targetAddress is the new mailbox), fills
 * e (strings malloc'd, free with run_switch_entry_clear) with that target:
 * the address after the redirects, kind o365 when the answer says
 * MicrosoftOnline or the address is a *.onmicrosoft.com routing address.
 * RP_ENOTFOUND when res shows no such redirect; RP_ENOMEM. */
int run_switch_from_redirect(const char *source_smtp, const adisc_result *res,
			     cfg_switch_entry *e);
void run_switch_entry_clear(cfg_switch_entry *e);

#endif
