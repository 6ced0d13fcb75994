/* dir.h - recipient correspondence: maps a source recipient (legacyExchangeDN,
 * X500 proxy or SMTP address) to its migrated target recipient.
 *
 * A dir_resolver is opened over one backend (LDAP against the source and
 * target directories, or a CSV file) and keeps a per-run cache, so a profile
 * that refers to the same recipient many times costs one lookup. Results are
 * owned by the resolver: every string in a dir_recipient stays valid until
 * dir_close(). Semantics and formats: docs/directory.md.
 *
 * Errors follow rp_err.h: RP_OK, RP_ENOTFOUND (the source is unknown or not
 * migrated yet: its custom attribute is empty, or the target is missing), or a
 * negative error with a one-line message naming URI, base and filter. */
#ifndef DIR_H
#define DIR_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dir_resolver dir_resolver;

enum dir_key_kind {
	DIR_KEY_LEGACY_DN = 1, /* legacyExchangeDN or X500 proxy ("/o=...") */
	DIR_KEY_SMTP = 2,      /* primary or secondary SMTP address */
};

typedef struct dir_source_key {
	enum dir_key_kind kind;
	const char *value; /* without any "X500:"/"SMTP:" prefix */
} dir_source_key;

enum dir_kind {
	DIR_KIND_UNKNOWN = 0,
	DIR_KIND_MAILBOX,       /* user, shared, linked, remote mailbox */
	DIR_KIND_DL,            /* distribution list, any group, dynamic DL */
	DIR_KIND_PUBLIC_FOLDER, /* mail-enabled public folder */
	DIR_KIND_CONTACT,       /* mail contact or mail user (no mailbox here) */
	DIR_KIND_RESOURCE,      /* room or equipment mailbox */
};

typedef struct dir_recipient {
	/* the target (the migrated recipient) */
	const char *legacy_dn; /* may be NULL if the target has none */
	const char *smtp;      /* primary SMTP address; may be NULL */
	const char *display_name;
	enum dir_kind kind;
	/* the source object that matched the key (NULL when the backend
	 * does not know it, e.g. a CSV without these columns) */
	const char *source_legacy_dn;
	const char *source_smtp;
} dir_recipient;

/* How the custom attribute's value names the target (DirectoryAttributeFormat). */
enum dir_attr_format {
	DIR_ATTR_AUTO = 0, /* "/o=..." or "X500:" = legacyExchangeDN, "@" = SMTP */
	DIR_ATTR_SMTP,     /* target SMTP address (optional "SMTP:" prefix) */
	DIR_ATTR_LEGACY_DN /* target legacyExchangeDN (optional "X500:"/"EX:") */
};

/* One directory connection. An empty or NULL bind_dn binds anonymously
 * natively and with the current user's credentials on Windows. */
typedef struct dir_ldap_server {
	const char *uri;     /* ldap://host[:port] or ldaps://host[:port] */
	const char *base_dn; /* subtree searched for recipients */
	const char *bind_dn;
	const char *password;
} dir_ldap_server;

typedef struct dir_ldap_config {
	dir_ldap_server source;
	dir_ldap_server target; /* target.uri NULL/empty = same server as source */
	const char
	    *attribute; /* custom attribute on the source, e.g. extensionAttribute1 */
	enum dir_attr_format attr_format;
	bool fallback_x500;  /* no attribute: match target X500 proxy = source DN */
	bool start_tls;      /* StartTLS on ldap:// URIs */
	const char *ca_file; /* PEM CA bundle (native only) */
	int timeout_s;       /* per operation; 0 = 30 s */
	int batch;           /* keys per search; 0 = DIR_DEFAULT_BATCH */
	const char
	    *config_base; /* SCP search base; NULL = rootDSE configurationNamingContext */
} dir_ldap_config;

#define DIR_DEFAULT_BATCH 50
#define DIR_MAX_BATCH 500

typedef struct dir_stats {
	unsigned long lookups;    /* keys asked for (dir_lookup + dir_lookup_many) */
	unsigned long cache_hits; /* keys answered from the cache */
	unsigned long searches;   /* LDAP search requests sent (0 for CSV) */
	unsigned long binds;      /* connections opened and bound */
} dir_stats;

/* Sets one field of cfg from an INI parameter of the [Directory] section
 * (names in docs/directory.md, case-insensitive). value is borrowed: it must
 * outlive cfg. RP_EINVAL for an unknown name or a bad value (message names
 * both); RP_OK otherwise. */
int dir_ldap_config_set(dir_ldap_config *cfg, const char *name, const char *value);

/* Opens a resolver; nothing is sent until the first lookup (then the
 * connection is opened and bound once). cfg is copied. */
int dir_open_ldap(const dir_ldap_config *cfg, dir_resolver **out);

/* The address-book backend: NSPI over MAPI/HTTP (docs/directory.md,
 * "Address-book backend"). A source recipient is found in the source
 * address book, then in the target one by its legacyExchangeDN (which the
 * migration left there as an X500 proxy), else by its primary SMTP address.
 * For Microsoft 365 targets the only directory at hand. */
typedef struct dir_nspi_server {
	const char *url;  /* AddressBook URL, https://host/mapi/nspi/?MailboxId=... */
	const char *user; /* with password: Basic, NTLM or Negotiate */
	const char *password;
	const char *bearer; /* OAuth token; wins over user/password (not in the INI) */
} dir_nspi_server;

typedef struct dir_nspi_config {
	dir_nspi_server source;
	dir_nspi_server target; /* target.url NULL/empty = the source address book */
	const char *ca_file;    /* PEM CA bundle instead of the system store */
	int timeout_s;          /* per request; 0 = 60 */
	int batch;              /* names per request; 0 = DIR_DEFAULT_BATCH */
	const char *const *connect_to; /* curl CONNECT_TO entries (tests), NULL-ended */
} dir_nspi_config;

int dir_open_nspi(const dir_nspi_config *cfg, dir_resolver **out);

/* Which backend the [Directory] settings select (DirectorySource). */
enum dir_source {
	DIR_SOURCE_LDAP = 0,
	DIR_SOURCE_NSPI = 1,
};

/* Every [Directory] setting, for either backend. */
typedef struct dir_config {
	enum dir_source source;
	dir_ldap_config ldap;
	dir_nspi_config nspi;
} dir_config;

/* Sets one [Directory] INI parameter (any order): DirectorySource (ldap |
 * nspi), DirectorySourceUser / DirectoryTargetUser (NSPI), and every name
 * dir_ldap_config_set knows; URIs, passwords, CAFile, Timeout and BatchSize
 * serve both backends. value is borrowed. RP_EINVAL names the parameter. */
int dir_config_set(dir_config *cfg, const char *name, const char *value);
/* Opens the backend cfg->source selects; an LDAP-only setting with
 * DirectorySource=nspi is RP_EINVAL naming it. */
int dir_open(const dir_config *cfg, dir_resolver **out);
/* Loads and validates a CSV mapping file (docs/directory.md). A malformed row
 * fails the whole file with "path:line: reason". */
int dir_open_csv(const char *path, dir_resolver **out);
/* Same, from memory; name is used in messages. */
int dir_open_csv_mem(const char *data, size_t len, const char *name, dir_resolver **out);
void dir_close(dir_resolver *r);

/* Resolves one key. RP_OK fills *out (strings owned by r), RP_ENOTFOUND, or
 * an error. Results, including "not found", are cached for the run. */
int dir_lookup(dir_resolver *r, const dir_source_key *key, dir_recipient *out);
/* Resolves n keys with as few round trips as possible (cache misses are
 * grouped, up to cfg.batch keys per search). status[i] is RP_OK or
 * RP_ENOTFOUND; out[i] is filled when RP_OK. Returns RP_OK, or the first
 * backend error (then no status is meaningful). */
int dir_lookup_many(dir_resolver *r, const dir_source_key *keys, size_t n,
		    dir_recipient *out, int *status);

void dir_get_stats(const dir_resolver *r, dir_stats *out);

/* Autodiscover SCP URLs (MS-OXDISCO 3.1.5.1) from the source directory, in
 * priority order: same site, no site, other sites. Pointer SCPs whose
 * "Domain=" keyword matches domain are followed once. domain and site may be
 * NULL. *urls is a malloc'd array of malloc'd strings (free with
 * dir_scp_free); RP_ENOTFOUND when none; RP_EUNSUPPORTED for CSV. */
int dir_scp_urls(dir_resolver *r, const char *domain, const char *site, char ***urls,
		 size_t *n);
void dir_scp_free(char **urls, size_t n);

/* Parses "X500:/o=..", "EX:/o=..", "/o=..", "SMTP:a@b", "smtp:a@b" or "a@b"
 * into a key pointing into s (not copied). RP_EINVAL if neither form. */
int dir_key_parse(const char *s, dir_source_key *out);
/* "mailbox", "dl", "public_folder", "contact", "resource", "unknown". */
const char *dir_kind_name(enum dir_kind k);
/* Inverse of dir_kind_name, case-insensitive; RP_EINVAL if unknown. */
int dir_kind_parse(const char *s, enum dir_kind *out);

/* Escapes an assertion value for an LDAP filter per RFC 4515 section 3:
 * '*', '(', ')', '\\' and NUL become \2a \28 \29 \5c \00, and other ASCII
 * control bytes \XX too; UTF-8 passes unchanged. Returns a malloc'd
 * string or NULL (RP_ENOMEM set). */
char *dir_filter_escape(const char *value, size_t len);

#endif
