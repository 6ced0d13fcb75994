/* features.h - what a switch changes in a profile, as plans (run_plan.h).
 *
 * Each feature is a pure function: it reads the decoded profile (and, when it
 * must see raw values, the store read-only) and appends edits to a plan. It
 * never writes. The transaction (run_txn.h) applies the plan after the backup.
 *
 * feature_switch_plan() is the switch itself: every place in the primary
 * Exchange account's sections that names the source mailbox is pointed at the
 * target (docs/switch.md lists them). The guide's optional features
 * (AddBoxes, CONTAB, Nicks, Rules, ...) arrive as further feature_*_plan
 * functions with the same shape. */
#ifndef FEATURES_H
#define FEATURES_H

#include "profile/profile.h"
#include "run/run_plan.h"

#include <stdbool.h>

/* The target mailbox, as the switch needs it. Any field may be NULL when no
 * source provided it; the switch then deletes the source's value so that
 * Outlook asks Autodiscover again rather than keep a source-org setting. */
typedef struct feature_target {
	char *smtp;          /* primary SMTP address (required) */
	char *legacy_dn;     /* mailbox legacyExchangeDN (required) */
	char *display_name;  /* Autodiscover User/DisplayName */
	char *home_server;   /* EXCH Server: "<mailbox guid>@<domain>" or a host */
	char *server_dn;     /* EXCH ServerDN */
	char *server_fqdn;   /* host of the home server, when known */
	char *rpc_proxy;     /* EXPR Server (RPC over HTTP proxy host) */
	char *rpc_principal; /* EXPR CertPrincipalName; NULL = no principal check */
	/* The target named its Outlook Anywhere (EXPR) settings: the MUTUAL_AUTH
	 * bit of PR_ROH_FLAGS is set when rpc_principal is, cleared otherwise. */
	bool rpc_settings;
	char *mapi_store_internal, *mapi_store_external;
	char *mapi_ab_internal, *mapi_ab_external;
	char *autodiscover_url; /* the URL (or file) that answered */
	bool o365;
} feature_target;

void feature_target_free(feature_target *t);

typedef struct feature_opts {
	bool name_trg_store_as_src;  /* -NameTrgStoreAsSrc */
	bool keep_ost;               /* KeepOST: keep the OST path */
	bool modify_exclude_scp;     /* set AutoDiscover\ExcludeScpLookup=1 */
	const char *adisc_cache_dir; /* folder of Outlook's cached Autodiscover
					XML files, or NULL to leave them */
} feature_opts;

/* Appends the switch of p's primary Exchange account (exchange index ex) to
 * plan. The store is read for the values the model does not keep. Errors: a
 * value that cannot be decoded or re-encoded (message names key and value). */
int feature_switch_plan(reg_store *s, const profile *p, int ex, const feature_target *t,
			const feature_opts *o, run_plan *plan);

/* The Outlook AutoDiscover settings key of a profile root version
 * ("Software\Microsoft\Office\16.0\Outlook\AutoDiscover"), or NULL for the
 * legacy root, malloc'd. */
char *feature_autodiscover_key(const char *version);

#endif
