/* profile.h - the Outlook profile model: find profiles in a registry store and
 * decode one into plain data (no printing, no writing).
 *
 * Layout facts: ../shared/reference/outlook-profile-registry.md ("ref" below).
 * A profile is a key under one of three roots (ref 1.1):
 *   Software\Microsoft\Office\16.0\Outlook\Profiles       (2016/2019/M365)
 *   Software\Microsoft\Office\15.0\Outlook\Profiles       (2013)
 *   Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles
 * Its subkeys are MAPI profile sections named by 16-byte UIDs in hex (ref 1.2)
 * whose values are property tags (ref 1.3), plus the account manager
 * 9375CFF0... with one subkey per account (ref 2.3).
 *
 * Ownership: every string and array in the model belongs to the profile and is
 * released by profile_free(). UIDs are raw 16-byte arrays; strings are UTF-8.
 * Indices between model arrays are -1 when there is no link.
 *
 * Errors: negative rp_err with a one-line message naming the store file, the
 * key path and the value. Only values that a switch must read or rewrite are
 * fatal when malformed (UID lists, multi-value lists, entry IDs, Exchange
 * identity strings, account order lists); broken references (dangling UIDs
 * and account IDs) and malformed cosmetic values are collected in
 * profile.problems instead (see docs/show.md). */
#ifndef PROFILE_H
#define PROFILE_H

#include "../mapi/mapi_eid.h"
#include "../registry/reg.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROFILE_UID_LEN 16
/* Cap on services, providers and accounts per list, against hostile input
 * (lookups are linear); real profiles have a few dozen. RP_ELIMIT beyond. */
#define PROFILE_MAX_ITEMS 4096u

/* Well-known section keys (ref 2). */
#define PROFILE_SEC_ROOT "9207f3e0a3b11019908b08002b2a56c2"
#define PROFILE_SEC_GLOBAL_EMS "13dbb0c8aa05101a9bb000aa002fc45a"
#define PROFILE_SEC_OUTLOOK "0a0d020000000000c000000000000046"
#define PROFILE_SEC_INSTANCE "8503020000000000c000000000000046"
#define PROFILE_SEC_ACCTMGR "9375CFF0413111d3B88A00104B2A6676"
/* Account-manager order lists (ref 2.3; actMgmt.h). */
#define PROFILE_ORDER_MAIL "{ED475418-B0D6-11D2-8C3B-00104B2A6676}"
#define PROFILE_ORDER_AB "{ED475419-B0D6-11D2-8C3B-00104B2A6676}"
#define PROFILE_ORDER_STORE "{ED475420-B0D6-11D2-8C3B-00104B2A6676}"

typedef enum profile_root_kind {
	PROFILE_ROOT_OFFICE16 = 0,
	PROFILE_ROOT_OFFICE15 = 1,
	PROFILE_ROOT_WMS = 2
} profile_root_kind;

typedef struct profile_root {
	profile_root_kind kind;
	const char *version; /* "16.0", "15.0", "wms" (static) */
	char *path;          /* the ...\Profiles key */
	char *default_path;  /* key holding DefaultProfile */
	char *default_name;  /* DefaultProfile as stored, or NULL */
	char **keys;         /* profile key names, sorted case-insensitively */
	size_t nkeys;
} profile_root;

/* Finds the root that Outlook would use: of the roots that hold at least one
 * profile, the newest (16.0 > 15.0 > WMS; admin guide: with side-by-side
 * installs the newer Outlook's profiles are processed). RP_ENOTFOUND (message
 * set) when no root holds a profile. Fills *out (free with
 * profile_root_free). */
int profile_find_root(reg_store *s, profile_root *out);
/* Same for one given kind (RP_ENOTFOUND when that root has no profiles). */
int profile_open_root(reg_store *s, profile_root_kind kind, profile_root *out);
void profile_root_free(profile_root *r);
/* Index in r->keys of the profile named name (display name or key name,
 * case-insensitive), or -1. */
int profile_root_find(const profile_root *r, const char *name);
/* True when key name k is the root's default profile. */
bool profile_root_is_default(const profile_root *r, const char *k);

/* Profile names in key names: a character >= 0x80 (Outlook accepts only up
 * to 0xFF) is stored as '[' + (0x70 + low nibble) + (0x70 + high nibble)
 * (ref 1.1; Kopano OutlookRegistryUtils.cs KOE-173). decode: key name ->
 * display name (UTF-8, malloc'd; sequences that are not such an escape stay
 * as they are). encode: display name -> key name; RP_EINVAL for a character
 * above 0xFF, which no key name can hold. */
int profile_name_decode(const char *key, char **out);
int profile_name_encode(const char *name, char **out);

typedef struct profile_problem {
	char *key;   /* section or key path relative to the profile ("" = itself) */
	char *value; /* value name, or NULL */
	char *text;  /* one line */
} profile_problem;

typedef struct profile_provider {
	uint8_t uid[PROFILE_UID_LEN];
	bool present;           /* its section exists */
	int service;            /* index into services, or -1 */
	uint32_t resource_type; /* 0x21 store, 0x23 AB, 0x24 transport; 0 absent */
	char *display_name;     /* PR_DISPLAY_NAME */
	char *provider_display; /* PR_PROVIDER_DISPLAY */
	char *dll;              /* PR_PROVIDER_DLL_NAME */
} profile_provider;

typedef struct profile_service {
	uint8_t uid[PROFILE_UID_LEN];
	bool present;
	char *name; /* PR_SERVICE_NAME: "MSEMS", "MSUPST MS", "CONTAB", ... */
	char *dll;
	char *display_name;
	uint32_t resource_flags;
	bool has_emsmdb;
	uint8_t emsmdb_uid[PROFILE_UID_LEN]; /* PR_EMSMDB_SECTION_UID */
	int *providers;                      /* indices into providers */
	size_t nproviders;
	int exchange; /* index into exchange, or -1 */
} profile_service;

typedef enum profile_acct_kind {
	PROFILE_ACCT_MAPI, /* {ED475414}: Exchange, PST, CONTAB ... */
	PROFILE_ACCT_POP3,
	PROFILE_ACCT_IMAP4,
	PROFILE_ACCT_EAS,
	PROFILE_ACCT_HOTMAIL,
	PROFILE_ACCT_LDAP,
	PROFILE_ACCT_OTHER
} profile_acct_kind;

typedef struct profile_account {
	uint32_t id; /* from the subkey name 0000000N */
	char *key;   /* subkey name as stored */
	char *clsid; /* as stored */
	profile_acct_kind kind;
	char *name;         /* "Account Name" */
	char *service_name; /* "Service Name" */
	bool has_service_uid;
	uint8_t service_uid[PROFILE_UID_LEN];
	int service; /* index into services, or -1 */
	bool has_mini_uid;
	uint32_t mini_uid;
	char *email;  /* POP/IMAP "Email" */
	char *server; /* POP/IMAP "POP3 Server" / "IMAP Server" */
	char *smtp_server;
} profile_account;

typedef enum profile_store_kind {
	PROFILE_STORE_MAILBOX,  /* Exchange primary mailbox, PR_PROFILE_TYPE 1 */
	PROFILE_STORE_DELEGATE, /* additional mailbox, type 2 */
	PROFILE_STORE_ARCHIVE, /* type 2 with PR_PROFILE_ALTERNATE_STORE_TYPE "Archive" */
	PROFILE_STORE_PUBLIC,  /* public folders, type 3 */
	PROFILE_STORE_SUBSCRIPTION, /* type 4 */
	PROFILE_STORE_PST,          /* MSPST / MSUPST */
	PROFILE_STORE_OTHER
} profile_store_kind;

typedef struct profile_store {
	profile_store_kind kind;
	int provider; /* index into providers */
	int service;  /* index into services, or -1 */
	int exchange; /* owning Exchange account, or -1 */
	char *display_name;
	int32_t profile_type; /* PR_PROFILE_TYPE, 0 absent */
	char *alt_type;       /* PR_PROFILE_ALTERNATE_STORE_TYPE */
	char *mailbox_dn;     /* PR_PROFILE_MAILBOX (or PR_PROFILE_USER on primary) */
	char *server;         /* PR_PROFILE_SERVER */
	char *server_dn;      /* PR_PROFILE_SERVER_DN */
	char *smtp;           /* PR_PROFILE_USER_SMTP_EMAIL_ADDRESS without "SMTP:" */
	char *pst_path;       /* PR_PST_PATH */
	uint8_t *eid_raw;     /* PR_STORE_ENTRYID as stored, or NULL */
	size_t eid_len;
	eid *eid; /* decoded, or NULL when absent */
} profile_store;

typedef struct profile_exchange {
	int service; /* index into services */
	bool has_section;
	uint8_t emsmdb_uid[PROFILE_UID_LEN];
	char *section;      /* key of the section the settings came from */
	bool legacy_global; /* settings from 13dbb0c8... (pre-2010, no emsmdb) */
	char *display_name;
	char *smtp;              /* PR_PROFILE_USER_SMTP_EMAIL_ADDRESS without "SMTP:" */
	char *smtp_raw;          /* as stored, e.g. "SMTP:user@domain" */
	char *mailbox_dn;        /* PR_PROFILE_USER */
	char *home_server;       /* PR_PROFILE_HOME_SERVER */
	char *home_server_dn;    /* PR_PROFILE_HOME_SERVER_DN */
	char *home_server_fqdn;  /* PR_PROFILE_HOME_SERVER_FQDN */
	char *unresolved_server; /* PR_PROFILE_UNRESOLVED_SERVER */
	char *unresolved_name;
	char *roh_proxy;     /* PR_ROH_PROXY_SERVER */
	char *roh_principal; /* PR_ROH_PROXY_PRINCIPAL_NAME */
	bool has_roh_flags, has_roh_auth, has_auth_package, has_config_flags;
	uint32_t roh_flags, roh_auth, auth_package, config_flags;
	bool cached; /* PR_PROFILE_CONFIG_FLAGS has CONFIG_OST_CACHE_PRIVATE */
	char *ost_path;
	char *mapihttp_store_internal, *mapihttp_store_external;
	char *mapihttp_ab_internal, *mapihttp_ab_external;
	char *lkg_autodiscover;
	int account;       /* account-manager entry, or -1 */
	int primary_store; /* index into stores, or -1 */
	int *stores;       /* every store of this account (indices into stores) */
	size_t nstores;
	bool legacy; /* the primary ("legacy") Exchange account */
} profile_exchange;

typedef struct profile_contab_folder {
	char *store_name, *folder_name, *display_name; /* Unicode lists, else ANSI */
	uint8_t *store_eid_raw, *folder_eid_raw;
	size_t store_eid_len, folder_eid_len;
	eid *store_eid, *folder_eid; /* decoded; NULL when absent */
} profile_contab_folder;

typedef struct profile_contab {
	int service, provider; /* -1 when the profile has no CONTAB */
	profile_contab_folder *folders;
	size_t nfolders;
} profile_contab;

typedef struct profile_search_entry {
	uint8_t *raw;
	size_t len;
	eid *eid;
} profile_search_entry;

typedef struct profile {
	char *name;          /* display name (decoded key name) */
	char *key;           /* key name as stored */
	char *path;          /* full key path in the store */
	const char *version; /* root version, static */
	bool is_default;
	bool has_search_key;
	uint8_t search_key[PROFILE_UID_LEN]; /* 8503...\0102300b */

	profile_service *services; /* in PR_SERVICES order, then extras */
	size_t nservices;
	profile_provider *providers;
	size_t nproviders;
	profile_account *accounts; /* account-manager subkeys, sorted by ID */
	size_t naccounts;
	uint32_t *order_mail, *order_ab, *order_store; /* {ED4754xx} lists */
	size_t norder_mail, norder_ab, norder_store;
	bool has_next_account_id;
	uint32_t next_account_id;

	profile_exchange *exchange; /* in service order */
	size_t nexchange;
	profile_store *stores; /* every store provider: Exchange stores, PSTs, others */
	size_t nstores;
	int primary_exchange;     /* legacy account (index into exchange), -1 */
	bool primary_from_global; /* true: from 0a0d...\01023d15; false: first added */
	int default_account;      /* first of {ED475418} (index into accounts), -1 */
	int default_exchange;     /* Exchange account of default_account, -1 */

	profile_contab contab;
	profile_search_entry *search_path; /* 9207f3e0...\11023d05 */
	size_t nsearch_path;
	int mv_width; /* multi-value descriptor width seen: 0 none, 8 x86, 16 x64 */

	profile_problem *problems;
	size_t nproblems;
} profile;

/* Decodes the profile whose key is key (as stored) under root r. *out is
 * set only on success; free with profile_free. */
int profile_load(reg_store *s, const profile_root *r, const char *key, profile **out);
void profile_free(profile *p);

/* Section key name of a UID: 32 lower-case hex digits, stored byte order
 * (ref 1.2), NUL-terminated. */
void profile_uid_key(const uint8_t uid[PROFILE_UID_LEN], char out[33]);
/* Full key path of the profile section named by uid ("<profile path>\<hex>"),
 * malloc'd; NULL on allocation failure (message set). */
char *profile_section_path(const profile *p, const uint8_t uid[PROFILE_UID_LEN]);

/* Static names for rendering. */
const char *profile_store_kind_name(profile_store_kind k); /* "mailbox", "pst" ... */
const char *profile_acct_kind_name(profile_acct_kind k);   /* "mapi", "pop3" ... */

#endif
