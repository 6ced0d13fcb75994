/* cfg_settings.h - the validated settings of reprofile.ini (the guide's
 * CPUU.ini): [Parameters] and [Admin notification].
 *
 * Every parameter of the guide's "Configuration Parameters" table plus the
 * project's SwitchList and LocalAutodiscoverXMLPath is described by one row
 * of cfg_param_table() (section, type, default, allowed values, whether its
 * behaviour is implemented). docs/ini-reference.md is the prose form.
 *
 * Errors are one line: "FILE:LINE: [Section] Key=Value: what is wrong",
 * returned as RP_EINVAL (bad content) or RP_EFORMAT (unreadable INI); the
 * caller exits with CFG_EXIT_CONFIG_ERROR and writes nothing. */
#ifndef CFG_SETTINGS_H
#define CFG_SETTINGS_H

#include "cfg_ini.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Features of the guide's "What the Utility Updates" table, in its order. */
enum cfg_feature {
	CFG_F_ADDBOXES,
	CFG_F_CONTAB,
	CFG_F_CONTACTMEMBERS,
	CFG_F_DELEGATES,
	CFG_F_MOVETOFOLDER,
	CFG_F_NICKS,
	CFG_F_OTHERUSERSFOLDERS,
	CFG_F_PUBLICFAV,
	CFG_F_RULES,
	CFG_F_SRS,
	CFG_F_SEARCHFOLDERS,
	CFG_F_SERVICES,
	CFG_F_SHORTCUTS,
	CFG_F_USERNAMES,
	CFG_F_FAVORITES,
	CFG_F_CALENDAR,
	CFG_F_CONTACTS,
	CFG_F_TASKS,
	CFG_F_NOTES,
	CFG_F_JOURNAL,
	CFG_F_COUNT
};
#define CFG_FEATURE_BIT(f) (1u << (f))
#define CFG_FEATURES_ALL ((1u << CFG_F_COUNT) - 1u)
/* Critical=Activities: not a feature of the table, a bit of its own. */
#define CFG_CRIT_ACTIVITIES (1u << 31)

/* INI name of a feature ("AddBoxes"), NULL if out of range. */
const char *cfg_feature_name(int f);
/* Feature from its INI name (case-insensitive); -1 if unknown. */
int cfg_feature_from_name(const char *name);

enum cfg_param {
	CFG_P_ADMIN,
	CFG_P_PASSWORD,
	CFG_P_ADMINTRG,
	CFG_P_PASSWORDTRG,
	CFG_P_ASKCREDENTIALS,
	CFG_P_ASKSOURCECREDENTIALSONLY,
	CFG_P_ALLOWADDITIONALSERVICES,
	CFG_P_SKIP,
	CFG_P_FEATURES,
	CFG_P_CRITICAL,
	CFG_P_REMOVE,
	CFG_P_REMOVEJUNKEMAILMESSAGES,
	CFG_P_PROCESSOFFLINEPROFILES,
	CFG_P_KEEPOST,
	CFG_P_BACKUPOST,
	CFG_P_CREATEREGFILEFOROSTRECOVERY,
	CFG_P_USETARGETOST,
	CFG_P_SILENT,
	CFG_P_WATCHDOG,
	CFG_P_STOPPROCESSES,
	CFG_P_ATTEMPT,
	CFG_P_OPENSTOREWAIT,
	CFG_P_FEATUREWAIT,
	CFG_P_GLOBALWAIT,
	CFG_P_PROCESSEDDOMAINSFQDNS,
	CFG_P_USELOCALAUTODISCOVERXMLS,
	CFG_P_AUTODISCOVERSOURCEURL,
	CFG_P_AUTODISCOVERTARGETURL,
	CFG_P_AUTHORITYURL,
	CFG_P_RESOURCEURL,
	CFG_P_SWITCHLIST,
	CFG_P_LOCALAUTODISCOVERXMLPATH,
	CFG_P_AUTODISCOVEREXCLUDE,
	CFG_P_SWITCHSOURCES,
	CFG_P_CAFILE,        /* project: PEM CA bundle for HTTPS */
	CFG_P_OAUTHCLIENTID, /* project: OAuth public client id */
	/* [Admin notification] */
	CFG_P_SMTPADDRESS,
	CFG_P_PRIORITY,
	CFG_P_ATTACHLOG,
	CFG_P_NOTIFICATION,
	CFG_P_PROFILE,
	CFG_P_SUBJECT,
	CFG_P_BODY,
	CFG_P_COUNT
};

enum cfg_type {
	CFG_T_STRING,    /* any text */
	CFG_T_SECRET,    /* encrypted password blob; never logged */
	CFG_T_BOOL,      /* 0/1 (also on/off, yes/no, true/false) */
	CFG_T_INT,       /* decimal, range-checked */
	CFG_T_URL,       /* http:// or https:// with a host */
	CFG_T_PATH,      /* file or folder; relative = to the INI's folder */
	CFG_T_FEATURES,  /* space-separated feature names (or All for Skip) */
	CFG_T_CRITICAL,  /* space-separated critical names */
	CFG_T_REMOVE,    /* space-separated: Nicks */
	CFG_T_SERVICES,  /* space-separated MAPI service names, or All */
	CFG_T_NAMES,     /* space-separated process file names */
	CFG_T_DOMAINS,   /* space-separated DNS domain names */
	CFG_T_ADDRESSES, /* space-separated SMTP addresses */
	CFG_T_ENUM,      /* one of the listed words */
	CFG_T_TEMPLATE,  /* text with the guide's %R %U %P %H %T %D %% */
	CFG_T_WORDS      /* space-separated words from `allowed`, each once */
};

/* How far the behaviour behind a parameter is implemented. */
enum cfg_impl {
	CFG_IMPL_DONE, /* parsed and acted on */
	CFG_IMPL_LATER /* parsed and validated; run logs "accepted, not yet
			  implemented" naming the capability */
};

typedef struct cfg_param_info {
	enum cfg_param id;
	const char *name;    /* the guide's spelling */
	const char *section; /* "Parameters" or "Admin notification" */
	enum cfg_type type;
	const char *def;     /* default as text ("" = empty/none) */
	const char *allowed; /* allowed values as text, for docs and messages */
	int min, max;        /* CFG_T_INT range */
	enum cfg_impl impl;
	const char *capability; /* where the behaviour lands */
} cfg_param_info;

/* The table, CFG_P_COUNT rows indexed by enum cfg_param. */
const cfg_param_info *cfg_param_table(void);
/* Row by name (case-insensitive) within section; NULL if unknown. */
const cfg_param_info *cfg_param_find(const char *section, const char *name);

typedef struct cfg_strlist {
	char **v;
	size_t n;
} cfg_strlist;

enum cfg_priority { CFG_PRIO_LOW, CFG_PRIO_NORMAL, CFG_PRIO_HIGH };
enum cfg_attach { CFG_ATTACH_NONE, CFG_ATTACH_ALL, CFG_ATTACH_STATISTICS };
enum cfg_notify_when { CFG_NOTIFY_SUCCESS, CFG_NOTIFY_FAIL, CFG_NOTIFY_ALL };
enum cfg_notify_profile { CFG_NOTIFY_DEFAULT, CFG_NOTIFY_CURRENT };

typedef struct cfg_notification {
	bool enabled;     /* SMTPAddress lists at least one address */
	cfg_strlist smtp; /* SMTPAddress */
	enum cfg_priority priority;
	enum cfg_attach attach;
	enum cfg_notify_when when;
	enum cfg_notify_profile profile;
	char *subject; /* never NULL after load: the guide's default */
	char *body;    /* idem */
} cfg_notification;

/* AutodiscoverExclude: candidates the network resolver leaves out. */
#define CFG_ADX_SCP 0x1u          /* scp: the directory's SCP URLs */
#define CFG_ADX_ROOT 0x2u         /* root: https://<domain>/... */
#define CFG_ADX_AUTODISCOVER 0x4u /* autodiscover: https://autodiscover.<domain>/... */
#define CFG_ADX_HTTPREDIRECT 0x8u /* httpredirect: GET http://autodiscover.<domain> */
#define CFG_ADX_SRV 0x10u         /* srv: _autodiscover._tcp.<domain> */

/* SwitchSources: where "this mailbox is switched" comes from, in order. */
enum cfg_switch_source {
	CFG_SWS_LIST,         /* the switch list (SwitchList=) */
	CFG_SWS_AUTODISCOVER, /* a source Autodiscover redirectAddr to another domain */
	CFG_SWS_MESSAGE       /* the switch message in the source mailbox */
};
#define CFG_SWS_MAX 3

/* One entry of the [Directory] section, as written (validated by the
 * directory module's dir_ldap_config_set). */
typedef struct cfg_kv {
	char *key;
	char *value;
} cfg_kv;

typedef struct cfg_settings {
	char *ini_path; /* the INI read, NULL when running on defaults */
	char *ini_dir;  /* its folder ("." when none) */

	char *admin, *password, *admin_trg, *password_trg; /* NULL = not given */
	bool ask_credentials, ask_source_credentials_only;
	bool allow_all_services;    /* AllowAdditionalServices=All */
	cfg_strlist allow_services; /* other names, as written */
	uint32_t features;          /* effective: Features, or all minus Skip */
	uint32_t skip;              /* Skip as written (all bits for Skip=All) */
	uint32_t critical;          /* feature bits plus CFG_CRIT_ACTIVITIES */
	bool remove_nicks;
	bool remove_junk_email, process_offline, keep_ost, backup_ost;
	bool create_reg_for_ost, use_target_ost, silent, watchdog;
	cfg_strlist stop_processes; /* effective list (defaults when not given) */
	int attempt, open_store_wait, feature_wait, global_wait;
	cfg_strlist processed_domains;
	bool use_local_autodiscover_xmls;
	char *autodiscover_source_url, *autodiscover_target_url; /* NULL = none */
	char *authority_url, *resource_url;                      /* defaults set */
	char *switch_list;                 /* resolved path or NULL */
	char *local_autodiscover_xml_path; /* resolved; default ini_dir */
	unsigned autodiscover_exclude;     /* CFG_ADX_* bits */
	enum cfg_switch_source switch_sources[CFG_SWS_MAX]; /* default: list */
	size_t n_switch_sources;
	cfg_kv *directory; /* [Directory] LDAP entries, in file order */
	size_t n_directory;
	char *directory_csv;   /* [Directory] DirectoryCSV, resolved; NULL = none */
	char *ca_file;         /* CAFile, resolved; NULL = system store */
	char *oauth_client_id; /* OAuthClientID; NULL = Outlook's */
	cfg_notification notify;

	bool set[CFG_P_COUNT]; /* given with a non-empty value */
	int line[CFG_P_COUNT]; /* its line, 0 if not given */
	char **warnings;       /* "FILE:LINE: ..." (INI warnings included) */
	size_t nwarn;
	/* cfg_settings_check only: every problem, one line each (unknown keys
	 * included, which a run only warns about). */
	char **errors;
	size_t nerr;
	bool collect;
} cfg_settings;

/* Fills s with the defaults; ini_dir may be NULL ("."). */
int cfg_settings_defaults(cfg_settings *s, const char *ini_dir);
/* Defaults, then the values of ini. On error s is freed (safe to free again)
 * and the message is the one-line diagnostic. */
int cfg_settings_from_ini(const cfg_ini *ini, cfg_settings *s);
/* Reads path (cfg_ini_load) and applies it. */
int cfg_settings_load(const char *path, cfg_settings *s);
void cfg_settings_free(cfg_settings *s);
/* The INI of a run: ini_arg (-INI) when given, a missing file being an
 * error; otherwise cfg_default_ini_names ("reprofile.ini", then "CPUU.ini")
 * in exe_dir; when neither exists, the defaults (ini_dir = exe_dir) and a
 * warning. exe_dir may be NULL ("."). */
int cfg_settings_load_for(const char *ini_arg, const char *exe_dir, cfg_settings *s);

/* check-ini: reads path like cfg_settings_load, but goes on after a bad
 * value and records every problem in s->errors (an unknown parameter is one
 * of them). Returns an error only when the file cannot be read at all
 * (missing, undecodable, not an INI); free s with cfg_settings_free. */
int cfg_settings_check(const char *path, cfg_settings *s);

/* Is the parameter given in the INI (non-empty)? */
bool cfg_settings_given(const cfg_settings *s, enum cfg_param p);
/* Parameters given whose behaviour is not implemented: calls fn for each,
 * so the run module can log "accepted, not yet implemented". */
void cfg_settings_foreach_pending(const cfg_settings *s,
				  void (*fn)(void *ud, const cfg_param_info *p, int line),
				  void *ud);

/* Splits a space/tab-separated list; a "double-quoted" item may contain
 * spaces. Errors (RP_EINVAL): unterminated quote. */
int cfg_split_list(const char *s, cfg_strlist *out);
void cfg_strlist_free(cfg_strlist *l);
/* local@domain with a dotted domain of letters, digits, '-' and '_'. */
bool cfg_is_smtp_address(const char *a);
/* Parses a boolean as accepted here (0/1 on/off yes/no true/false). */
int cfg_parse_bool(const char *s, bool *out);

#endif
