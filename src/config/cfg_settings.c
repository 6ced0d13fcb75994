#include "cfg_settings.h"

#include "cfg_cmdline.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "directory/dir.h"

#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEC_P "Parameters"
#define SEC_N "Admin notification"
#define SEC_D "Directory"
#define ADX_WORDS "scp root autodiscover httpredirect srv"
#define SWS_WORDS "list autodiscover message"

/* The guide's default notification texts ("Typical Scenario", step 6), with
 * the product named as it is. */
#define DEFAULT_SUBJECT "%R: Profile %P on computer %H"
#define DEFAULT_BODY                                                                     \
	"The mail client profile %P for user %U on computer %H has been processed by "   \
	"reprofile, and was %R. The profile was processed at %T, %D. See the reprofile " \
	"log file for details."
/* The guide's StopProcesses defaults. */
static const char *const default_stop[] = {"Communicator.exe", "Outlook.exe",
					   "Rim.Desktop.exe", "Desktopmanager.exe",
					   "GoogleCalendarSync.exe"};

static const char *const feature_names[CFG_F_COUNT] = {"AddBoxes",
						       "CONTAB",
						       "ContactMembers",
						       "Delegates",
						       "MoveToFolder",
						       "Nicks",
						       "OtherUsersFolders",
						       "PublicFav",
						       "Rules",
						       "SRS",
						       "SearchFolders",
						       "Services",
						       "Shortcuts",
						       "UserNames",
						       "Favorites",
						       "Calendar",
						       "Contacts",
						       "Tasks",
						       "Notes",
						       "Journal"};

#define FEATURE_LIST                                                                     \
	"AddBoxes CONTAB ContactMembers Delegates MoveToFolder Nicks OtherUsersFolders " \
	"PublicFav Rules SRS SearchFolders Services Shortcuts UserNames Favorites "      \
	"Calendar Contacts Tasks Notes Journal"

/* Rows in enum cfg_param order. */
static const cfg_param_info params[CFG_P_COUNT] = {
    {CFG_P_ADMIN, "Admin", SEC_P, CFG_T_STRING, "", "Domain\\User (needs Password)", 0, 0,
     CFG_IMPL_DONE, "credentials"},
    {CFG_P_PASSWORD, "Password", SEC_P, CFG_T_SECRET, "",
     "encrypted password (needs Admin)", 0, 0, CFG_IMPL_DONE, "credentials"},
    {CFG_P_ADMINTRG, "AdminTrg", SEC_P, CFG_T_STRING, "",
     "Domain\\User or user@domain (needs PasswordTrg)", 0, 0, CFG_IMPL_DONE,
     "credentials"},
    {CFG_P_PASSWORDTRG, "PasswordTrg", SEC_P, CFG_T_SECRET, "",
     "encrypted password (needs AdminTrg)", 0, 0, CFG_IMPL_DONE, "credentials"},
    {CFG_P_ASKCREDENTIALS, "AskCredentials", SEC_P, CFG_T_BOOL, "0", "0 1", 0, 0,
     CFG_IMPL_DONE, "credentials"},
    {CFG_P_ASKSOURCECREDENTIALSONLY, "AskSourceCredentialsOnly", SEC_P, CFG_T_BOOL, "0",
     "0 1", 0, 0, CFG_IMPL_DONE, "credentials"},
    {CFG_P_ALLOWADDITIONALSERVICES, "AllowAdditionalServices", SEC_P, CFG_T_SERVICES, "",
     "MAPI service names, or All", 0, 0, CFG_IMPL_DONE, "switch engine (classification)"},
    {CFG_P_SKIP, "Skip", SEC_P, CFG_T_FEATURES, "", FEATURE_LIST " All", 0, 0,
     CFG_IMPL_DONE, "features"},
    {CFG_P_FEATURES, "Features", SEC_P, CFG_T_FEATURES, "", FEATURE_LIST " All", 0, 0,
     CFG_IMPL_DONE, "features"},
    {CFG_P_CRITICAL, "Critical", SEC_P, CFG_T_CRITICAL, "",
     "Activities AddBoxes CONTAB Delegates Rules SRS SearchFolders Shortcuts Nicks", 0, 0,
     CFG_IMPL_DONE, "features"},
    {CFG_P_REMOVE, "Remove", SEC_P, CFG_T_REMOVE, "", "Nicks", 0, 0, CFG_IMPL_DONE,
     "features"},
    {CFG_P_REMOVEJUNKEMAILMESSAGES, "RemoveJunkEmailMessages", SEC_P, CFG_T_BOOL, "0",
     "0 1", 0, 0, CFG_IMPL_LATER, "features"},
    {CFG_P_PROCESSOFFLINEPROFILES, "ProcessOfflineProfiles", SEC_P, CFG_T_BOOL, "0",
     "0 1", 0, 0, CFG_IMPL_DONE, "offline profiles (OST)"},
    {CFG_P_KEEPOST, "KeepOST", SEC_P, CFG_T_BOOL, "0", "0 1", 0, 0, CFG_IMPL_DONE,
     "offline profiles (OST)"},
    {CFG_P_BACKUPOST, "BackupOST", SEC_P, CFG_T_BOOL, "0", "0 1", 0, 0, CFG_IMPL_DONE,
     "offline profiles (OST)"},
    {CFG_P_CREATEREGFILEFOROSTRECOVERY, "CreateRegFileForOSTRecovery", SEC_P, CFG_T_BOOL,
     "0", "0 1", 0, 0, CFG_IMPL_DONE, "offline profiles (OST)"},
    {CFG_P_USETARGETOST, "UseTargetOST", SEC_P, CFG_T_BOOL, "0", "0 1", 0, 0,
     CFG_IMPL_DONE, "offline profiles (OST)"},
    /* reprofile never shows a dialog, so Silent=1 is what it always does. */
    {CFG_P_SILENT, "Silent", SEC_P, CFG_T_BOOL, "0", "0 1", 0, 0, CFG_IMPL_DONE, "none"},
    {CFG_P_WATCHDOG, "WatchDog", SEC_P, CFG_T_BOOL, "1", "0 1", 0, 0, CFG_IMPL_LATER,
     "watchdog"},
    {CFG_P_STOPPROCESSES, "StopProcesses", SEC_P, CFG_T_NAMES,
     "Communicator.exe Outlook.exe Rim.Desktop.exe Desktopmanager.exe "
     "GoogleCalendarSync.exe",
     "process file names", 0, 0, CFG_IMPL_DONE, "none"},
    {CFG_P_ATTEMPT, "Attempt", SEC_P, CFG_T_INT, "3", "0..100", 0, 100, CFG_IMPL_LATER,
     "watchdog"},
    {CFG_P_OPENSTOREWAIT, "OpenStoreWait", SEC_P, CFG_T_INT, "300",
     "seconds, 0..86400 (0 = no limit)", 0, 86400, CFG_IMPL_LATER, "watchdog"},
    {CFG_P_FEATUREWAIT, "FeatureWait", SEC_P, CFG_T_INT, "1800",
     "seconds, 0..86400 (0 = no limit)", 0, 86400, CFG_IMPL_LATER, "watchdog"},
    {CFG_P_GLOBALWAIT, "GlobalWait", SEC_P, CFG_T_INT, "0",
     "seconds, 0..604800 (0 = no limit)", 0, 604800, CFG_IMPL_LATER, "watchdog"},
    {CFG_P_PROCESSEDDOMAINSFQDNS, "ProcessedDomainsFQDNs", SEC_P, CFG_T_DOMAINS, "",
     "space-separated SMTP domain names", 0, 0, CFG_IMPL_DONE,
     "switch engine (account selection)"},
    {CFG_P_USELOCALAUTODISCOVERXMLS, "UseLocalAutodiscoverXMLs", SEC_P, CFG_T_BOOL, "0",
     "0 1", 0, 0, CFG_IMPL_DONE, "autodiscover"},
    {CFG_P_AUTODISCOVERSOURCEURL, "AutodiscoverSourceURL", SEC_P, CFG_T_URL, "",
     "http(s) URL", 0, 0, CFG_IMPL_DONE, "autodiscover"},
    {CFG_P_AUTODISCOVERTARGETURL, "AutodiscoverTargetURL", SEC_P, CFG_T_URL, "",
     "http(s) URL", 0, 0, CFG_IMPL_DONE, "autodiscover"},
    {CFG_P_AUTHORITYURL, "AuthorityURL", SEC_P, CFG_T_URL,
     "https://login.microsoftonline.com/common", "http(s) URL", 0, 0, CFG_IMPL_DONE,
     "Office 365 sign-in"},
    {CFG_P_RESOURCEURL, "ResourceURL", SEC_P, CFG_T_URL, "https://outlook.office365.com",
     "http(s) URL", 0, 0, CFG_IMPL_DONE, "Office 365 sign-in"},
    {CFG_P_SWITCHLIST, "SwitchList", SEC_P, CFG_T_PATH, "", "path of a CSV switch list",
     0, 0, CFG_IMPL_DONE, "switch engine (switch sources)"},
    {CFG_P_LOCALAUTODISCOVERXMLPATH, "LocalAutodiscoverXMLPath", SEC_P, CFG_T_PATH,
     "the INI's folder", "folder", 0, 0, CFG_IMPL_DONE, "autodiscover"},
    {CFG_P_AUTODISCOVEREXCLUDE, "AutodiscoverExclude", SEC_P, CFG_T_WORDS, "", ADX_WORDS,
     0, 0, CFG_IMPL_DONE, "autodiscover"},
    {CFG_P_SWITCHSOURCES, "SwitchSources", SEC_P, CFG_T_WORDS, "list", SWS_WORDS, 0, 0,
     CFG_IMPL_DONE, "switch engine (switch sources)"},
    {CFG_P_CAFILE, "CAFile", SEC_P, CFG_T_PATH, "", "PEM file of CA certificates", 0, 0,
     CFG_IMPL_DONE, "credentials"},
    {CFG_P_OAUTHCLIENTID, "OAuthClientID", SEC_P, CFG_T_STRING,
     "d3590ed6-52b3-4102-aeff-aad2292ab01c", "application (client) id", 0, 0,
     CFG_IMPL_DONE, "Office 365 sign-in"},
    {CFG_P_SMTPADDRESS, "SMTPAddress", SEC_N, CFG_T_ADDRESSES, "",
     "space-separated SMTP addresses", 0, 0, CFG_IMPL_LATER, "notifications"},
    {CFG_P_PRIORITY, "Priority", SEC_N, CFG_T_ENUM, "normal", "low|normal|high", 0, 0,
     CFG_IMPL_LATER, "notifications"},
    {CFG_P_ATTACHLOG, "Attach log", SEC_N, CFG_T_ENUM, "none", "none|all|statistics", 0,
     0, CFG_IMPL_LATER, "notifications"},
    {CFG_P_NOTIFICATION, "Notification", SEC_N, CFG_T_ENUM, "all", "success|fail|all", 0,
     0, CFG_IMPL_LATER, "notifications"},
    {CFG_P_PROFILE, "Profile", SEC_N, CFG_T_ENUM, "default", "default|current", 0, 0,
     CFG_IMPL_LATER, "notifications"},
    {CFG_P_SUBJECT, "Subject", SEC_N, CFG_T_TEMPLATE, DEFAULT_SUBJECT,
     "text with %R %U %P %H %T %D %% (either case)", 0, 0, CFG_IMPL_LATER,
     "notifications"},
    {CFG_P_BODY, "Body", SEC_N, CFG_T_TEMPLATE, DEFAULT_BODY,
     "text with %R %U %P %H %T %D %% (either case)", 0, 0, CFG_IMPL_LATER,
     "notifications"},
};

const char *cfg_feature_name(int f)
{
	return f >= 0 && f < CFG_F_COUNT ? feature_names[f] : NULL;
}

int cfg_feature_from_name(const char *name)
{
	int i;
	for (i = 0; i < CFG_F_COUNT; i++)
		if (rp_ascii_casecmp(feature_names[i], name) == 0)
			return i;
	return -1;
}

const cfg_param_info *cfg_param_table(void)
{
	return params;
}

/* [Notification] is how the guide's parameter table names the section. */
static bool is_notify_section(const char *name)
{
	return rp_ascii_casecmp(name, SEC_N) == 0 ||
	       rp_ascii_casecmp(name, "Notification") == 0;
}

const cfg_param_info *cfg_param_find(const char *section, const char *name)
{
	int i;
	bool notif = is_notify_section(section);
	if (!notif && rp_ascii_casecmp(section, SEC_P) != 0)
		return NULL;
	for (i = 0; i < CFG_P_COUNT; i++)
		if ((strcmp(params[i].section, SEC_N) == 0) == notif &&
		    rp_ascii_casecmp(params[i].name, name) == 0)
			return &params[i];
	return NULL;
}

void cfg_strlist_free(cfg_strlist *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int strlist_add(cfg_strlist *l, const char *s, size_t n)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return rp_error_set(RP_ENOMEM, "out of memory");
	l->v = v;
	v[l->n] = rp_strndup(s, n);
	if (!v[l->n])
		return rp_error_set(RP_ENOMEM, "out of memory");
	l->n++;
	return RP_OK;
}

int cfg_split_list(const char *s, cfg_strlist *out)
{
	out->v = NULL;
	out->n = 0;
	while (*s) {
		const char *b;
		int rc;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (*s == '"') {
			b = ++s;
			while (*s && *s != '"')
				s++;
			if (!*s) {
				cfg_strlist_free(out);
				return rp_error_set(RP_EINVAL, "unterminated quote");
			}
			rc = strlist_add(out, b, (size_t)(s - b));
			s++;
		} else {
			b = s;
			while (*s && *s != ' ' && *s != '\t')
				s++;
			rc = strlist_add(out, b, (size_t)(s - b));
		}
		if (rc != RP_OK) {
			cfg_strlist_free(out);
			return rc;
		}
	}
	return RP_OK;
}

int cfg_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"1", "on", "yes", "true"};
	static const char *const no[] = {"0", "off", "no", "false"};
	size_t i;
	for (i = 0; i < 4; i++) {
		if (rp_ascii_casecmp(s, yes[i]) == 0) {
			*out = true;
			return RP_OK;
		}
		if (rp_ascii_casecmp(s, no[i]) == 0) {
			*out = false;
			return RP_OK;
		}
	}
	return rp_error_set(RP_EINVAL, "not a boolean (use 0 or 1)");
}

static char *dir_of(const char *path)
{
	const char *slash = NULL, *p;
	for (p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			slash = p;
	if (!slash)
		return rp_strdup(".");
	if (slash == path)
		return rp_strndup(path, 1);
	return rp_strndup(path, (size_t)(slash - path));
}

static bool is_absolute(const char *p)
{
	return p[0] == '/' || p[0] == '\\' ||
	       (isalpha((unsigned char)p[0]) && p[1] == ':');
}

static char *resolve(const char *dir, const char *p)
{
	char sep = strchr(dir, '\\') && !strchr(dir, '/') ? '\\' : '/';
	size_t dl = strlen(dir);
	if (is_absolute(p) || strcmp(dir, ".") == 0)
		return rp_strdup(p);
	if (dl && (dir[dl - 1] == '/' || dir[dl - 1] == '\\'))
		return rp_asprintf("%s%s", dir, p);
	return rp_asprintf("%s%c%s", dir, sep, p);
}

static int set_str(char **dst, const char *v)
{
	char *n = rp_strdup(v);
	if (!n)
		return rp_error_set(RP_ENOMEM, "out of memory");
	free(*dst);
	*dst = n;
	return RP_OK;
}

int cfg_settings_defaults(cfg_settings *s, const char *ini_dir)
{
	size_t i;
	int rc = RP_OK;
	memset(s, 0, sizeof(*s));
	s->features = CFG_FEATURES_ALL;
	s->watchdog = true;
	s->attempt = 3;
	s->open_store_wait = 300;
	s->feature_wait = 1800;
	s->global_wait = 0;
	s->notify.priority = CFG_PRIO_NORMAL;
	s->notify.attach = CFG_ATTACH_NONE;
	s->notify.when = CFG_NOTIFY_ALL;
	s->notify.profile = CFG_NOTIFY_DEFAULT;
	s->switch_sources[0] = CFG_SWS_LIST;
	s->n_switch_sources = 1;
	for (i = 0; rc == RP_OK && i < sizeof(default_stop) / sizeof(*default_stop); i++)
		rc = strlist_add(&s->stop_processes, default_stop[i],
				 strlen(default_stop[i]));
	if (rc == RP_OK)
		rc = set_str(&s->ini_dir, ini_dir ? ini_dir : ".");
	if (rc == RP_OK)
		rc = set_str(&s->local_autodiscover_xml_path, s->ini_dir);
	if (rc == RP_OK)
		rc = set_str(&s->authority_url, params[CFG_P_AUTHORITYURL].def);
	if (rc == RP_OK)
		rc = set_str(&s->resource_url, params[CFG_P_RESOURCEURL].def);
	if (rc == RP_OK)
		rc = set_str(&s->notify.subject, DEFAULT_SUBJECT);
	if (rc == RP_OK)
		rc = set_str(&s->notify.body, DEFAULT_BODY);
	if (rc != RP_OK)
		cfg_settings_free(s);
	return rc;
}

void cfg_settings_free(cfg_settings *s)
{
	size_t i;
	free(s->ini_path);
	free(s->ini_dir);
	free(s->admin);
	free(s->password);
	free(s->admin_trg);
	free(s->password_trg);
	cfg_strlist_free(&s->allow_services);
	cfg_strlist_free(&s->stop_processes);
	cfg_strlist_free(&s->processed_domains);
	free(s->autodiscover_source_url);
	free(s->autodiscover_target_url);
	free(s->authority_url);
	free(s->resource_url);
	free(s->switch_list);
	free(s->local_autodiscover_xml_path);
	free(s->directory_csv);
	for (i = 0; i < s->n_directory; i++) {
		free(s->directory[i].key);
		free(s->directory[i].value);
	}
	free(s->directory);
	free(s->ca_file);
	free(s->oauth_client_id);
	cfg_strlist_free(&s->notify.smtp);
	free(s->notify.subject);
	free(s->notify.body);
	for (i = 0; i < s->nwarn; i++)
		free(s->warnings[i]);
	free(s->warnings);
	for (i = 0; i < s->nerr; i++)
		free(s->errors[i]);
	free(s->errors);
	memset(s, 0, sizeof(*s));
}

bool cfg_settings_given(const cfg_settings *s, enum cfg_param p)
{
	return (unsigned)p < CFG_P_COUNT && s->set[p];
}

void cfg_settings_foreach_pending(const cfg_settings *s,
				  void (*fn)(void *ud, const cfg_param_info *p, int line),
				  void *ud)
{
	int i;
	for (i = 0; i < CFG_P_COUNT; i++)
		if (s->set[i] && params[i].impl != CFG_IMPL_DONE)
			fn(ud, &params[i], s->line[i]);
}

static int add_warn(cfg_settings *s, char *msg)
{
	char **w;
	if (!msg)
		return rp_error_set(RP_ENOMEM, "out of memory");
	w = realloc(s->warnings, (s->nwarn + 1) * sizeof(*w));
	if (!w) {
		free(msg);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	s->warnings = w;
	w[s->nwarn++] = msg;
	return RP_OK;
}

/* Context for the one-line diagnostic of the value being parsed. */
/* In check mode, an RP_EINVAL becomes one more line of s->errors and the
 * reading goes on; otherwise rc is returned as it is. */
static int problem(cfg_settings *s, int rc)
{
	char **v;
	if (rc != RP_EINVAL || !s->collect)
		return rc;
	if (!(v = realloc(s->errors, (s->nerr + 1) * sizeof(*v))))
		return rp_error_set(RP_ENOMEM, "out of memory");
	s->errors = v;
	if (!(v[s->nerr] = rp_strdup(rp_error_msg())))
		return RP_ENOMEM;
	s->nerr++;
	rp_error_clear();
	return RP_OK;
}

struct pctx {
	const char *file;
	const char *section;
	const char *key;
	const char *value;
	int line;
	const char *shown; /* replaces value in messages (secrets) */
};

static int bad(const struct pctx *c, const char *what)
{
	return rp_error_set(RP_EINVAL, "%s:%d: [%s] %s=%s: %s", c->file, c->line,
			    c->section, c->key, c->value, what);
}

/* "All", also as the guide writes it in its parameter table ("specify the
 * value <All>"): an administrator copies that text. */
static bool is_all(const char *v)
{
	return rp_ascii_casecmp(v, "All") == 0 || rp_ascii_casecmp(v, "<All>") == 0;
}

/* Values of one list, rejecting the separators the guide forbids. */
static int split_checked(const struct pctx *c, cfg_strlist *l)
{
	int rc;
	if (strpbrk(c->value, ";,"))
		return bad(c, "separate values with spaces, not ';' or ','");
	rc = cfg_split_list(c->value, l);
	if (rc == RP_EINVAL) {
		char why[64];
		snprintf(why, sizeof(why), "%s", rp_error_msg());
		return bad(c, why);
	}
	return rc;
}

/* Feature bits of a Skip/Features/Critical/Remove value. */
static int parse_names(const struct pctx *c, enum cfg_type t, uint32_t *bits)
{
	cfg_strlist l;
	size_t i;
	int rc = split_checked(c, &l);
	if (rc != RP_OK)
		return rc;
	*bits = 0;
	for (i = 0; i < l.n && rc == RP_OK; i++) {
		const char *n = l.v[i];
		int f = cfg_feature_from_name(n);
		char msg[160];
		if (t == CFG_T_FEATURES && is_all(n)) {
			*bits |= CFG_FEATURES_ALL;
			continue;
		}
		if (t == CFG_T_CRITICAL && rp_ascii_casecmp(n, "Activities") == 0) {
			*bits |= CFG_CRIT_ACTIVITIES;
			continue;
		}
		if (t == CFG_T_CRITICAL &&
		    !(f == CFG_F_ADDBOXES || f == CFG_F_CONTAB || f == CFG_F_DELEGATES ||
		      f == CFG_F_RULES || f == CFG_F_SRS || f == CFG_F_SEARCHFOLDERS ||
		      f == CFG_F_SHORTCUTS || f == CFG_F_NICKS))
			f = -1;
		if (t == CFG_T_REMOVE && f != CFG_F_NICKS)
			f = -1;
		if (f < 0) {
			snprintf(msg, sizeof(msg), "'%.60s' is not one of: %s", n,
				 t == CFG_T_FEATURES
				     ? "the feature names of the guide (see "
				       "docs/ini-reference.md) or All"
				     : params[t == CFG_T_CRITICAL ? CFG_P_CRITICAL
								  : CFG_P_REMOVE]
					   .allowed);
			rc = bad(c, msg);
			break;
		}
		*bits |= CFG_FEATURE_BIT(f);
	}
	cfg_strlist_free(&l);
	return rc;
}

static bool valid_domain(const char *d)
{
	size_t label = 0;
	const char *p;
	if (!*d || *d == '.')
		return false;
	for (p = d; *p; p++) {
		if (*p == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (isalnum((unsigned char)*p) || *p == '-' || *p == '_' ||
			   (unsigned char)*p >= 0x80) { /* IDN written in UTF-8 */
			label++;
		} else {
			return false;
		}
	}
	return label > 0 && strchr(d, '.') != NULL;
}

bool cfg_is_smtp_address(const char *a)
{
	const char *at = strchr(a, '@'), *p;
	if (!at || at == a || strchr(at + 1, '@') || !valid_domain(at + 1))
		return false;
	for (p = a; p < at; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == ',' || *p == ';')
			return false;
	return true;
}

static int check_url(const struct pctx *c)
{
	const char *v = c->value, *h;
	if (rp_ascii_ncasecmp(v, "https://", 8) == 0)
		h = v + 8;
	else if (rp_ascii_ncasecmp(v, "http://", 7) == 0)
		h = v + 7;
	else
		return bad(c, "not an http:// or https:// URL");
	if (!*h || *h == '/' || *h == ':')
		return bad(c, "URL without a host name");
	if (strpbrk(v, " \t"))
		return bad(c, "URL contains a blank");
	return RP_OK;
}

/* Checks the guide's notification variables. */
static int check_template(const struct pctx *c)
{
	const char *p;
	for (p = c->value; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (!*p)
			return bad(c, "'%' at the end (write %% for a percent sign)");
		if (!strchr("rRuUpPhHtTdD%", *p)) {
			char msg[96];
			snprintf(
			    msg, sizeof(msg),
			    "unknown variable %%%c (use %%R %%U %%P %%H %%T %%D or %%%%)",
			    *p);
			return bad(c, msg);
		}
	}
	return RP_OK;
}

static int parse_enum(const struct pctx *c, const char *allowed, int *out)
{
	int idx = 0;
	const char *p = allowed;
	size_t vl = strlen(c->value);
	char msg[96];
	while (*p) {
		const char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == vl && rp_ascii_ncasecmp(p, c->value, n) == 0) {
			*out = idx;
			return RP_OK;
		}
		idx++;
		p += n + (e ? 1 : 0);
	}
	snprintf(msg, sizeof(msg), "must be one of %s", allowed);
	return bad(c, msg);
}

static int parse_int(const struct pctx *c, const cfg_param_info *pi, int *out)
{
	const char *p = c->value;
	long v = 0;
	char msg[96];
	if (!*p)
		return bad(c, "not a number");
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return bad(c, "not a whole number");
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			break;
	}
	if (v < pi->min || v > pi->max) {
		snprintf(msg, sizeof(msg), "out of range %d..%d", pi->min, pi->max);
		return bad(c, msg);
	}
	*out = (int)v;
	return RP_OK;
}

static bool *bool_field(cfg_settings *s, enum cfg_param p)
{
	switch (p) {
	case CFG_P_ASKCREDENTIALS:
		return &s->ask_credentials;
	case CFG_P_ASKSOURCECREDENTIALSONLY:
		return &s->ask_source_credentials_only;
	case CFG_P_REMOVEJUNKEMAILMESSAGES:
		return &s->remove_junk_email;
	case CFG_P_PROCESSOFFLINEPROFILES:
		return &s->process_offline;
	case CFG_P_KEEPOST:
		return &s->keep_ost;
	case CFG_P_BACKUPOST:
		return &s->backup_ost;
	case CFG_P_CREATEREGFILEFOROSTRECOVERY:
		return &s->create_reg_for_ost;
	case CFG_P_USETARGETOST:
		return &s->use_target_ost;
	case CFG_P_SILENT:
		return &s->silent;
	case CFG_P_WATCHDOG:
		return &s->watchdog;
	case CFG_P_USELOCALAUTODISCOVERXMLS:
		return &s->use_local_autodiscover_xmls;
	default:
		return NULL;
	}
}

static int *int_field(cfg_settings *s, enum cfg_param p)
{
	switch (p) {
	case CFG_P_ATTEMPT:
		return &s->attempt;
	case CFG_P_OPENSTOREWAIT:
		return &s->open_store_wait;
	case CFG_P_FEATUREWAIT:
		return &s->feature_wait;
	case CFG_P_GLOBALWAIT:
		return &s->global_wait;
	default:
		return NULL;
	}
}

static char **str_field(cfg_settings *s, enum cfg_param p)
{
	switch (p) {
	case CFG_P_ADMIN:
		return &s->admin;
	case CFG_P_PASSWORD:
		return &s->password;
	case CFG_P_ADMINTRG:
		return &s->admin_trg;
	case CFG_P_PASSWORDTRG:
		return &s->password_trg;
	case CFG_P_AUTODISCOVERSOURCEURL:
		return &s->autodiscover_source_url;
	case CFG_P_AUTODISCOVERTARGETURL:
		return &s->autodiscover_target_url;
	case CFG_P_AUTHORITYURL:
		return &s->authority_url;
	case CFG_P_RESOURCEURL:
		return &s->resource_url;
	case CFG_P_SWITCHLIST:
		return &s->switch_list;
	case CFG_P_LOCALAUTODISCOVERXMLPATH:
		return &s->local_autodiscover_xml_path;
	case CFG_P_CAFILE:
		return &s->ca_file;
	case CFG_P_OAUTHCLIENTID:
		return &s->oauth_client_id;
	case CFG_P_SUBJECT:
		return &s->notify.subject;
	case CFG_P_BODY:
		return &s->notify.body;
	default:
		return NULL;
	}
}

static int apply_list(const struct pctx *c, const cfg_param_info *pi, cfg_settings *s)
{
	cfg_strlist l;
	size_t i;
	int rc = split_checked(c, &l);
	cfg_strlist *dst = NULL;
	if (rc != RP_OK)
		return rc;
	for (i = 0; i < l.n && rc == RP_OK; i++) {
		const char *v = l.v[i];
		char msg[160];
		msg[0] = '\0';
		switch (pi->type) {
		case CFG_T_SERVICES:
			if (is_all(v)) {
				if (l.n > 1)
					snprintf(msg, sizeof(msg),
						 "All cannot be combined with other "
						 "service names");
				s->allow_all_services = true;
			}
			break;
		case CFG_T_NAMES:
			if (strpbrk(v, "\\/:"))
				snprintf(msg, sizeof(msg),
					 "'%.60s' is not a process file name (no folder)",
					 v);
			break;
		case CFG_T_DOMAINS:
			if (!valid_domain(v))
				snprintf(msg, sizeof(msg), "'%.60s' is not a domain name",
					 v);
			break;
		case CFG_T_ADDRESSES:
			if (!cfg_is_smtp_address(v))
				snprintf(msg, sizeof(msg),
					 "'%.60s' is not an SMTP address", v);
			break;
		default:
			break;
		}
		if (msg[0])
			rc = bad(c, msg);
	}
	if (rc != RP_OK) {
		cfg_strlist_free(&l);
		return rc;
	}
	switch (pi->type) {
	case CFG_T_SERVICES:
		dst = &s->allow_services;
		if (s->allow_all_services)
			cfg_strlist_free(&l);
		break;
	case CFG_T_NAMES:
		dst = &s->stop_processes;
		break;
	case CFG_T_DOMAINS:
		dst = &s->processed_domains;
		break;
	default:
		dst = &s->notify.smtp;
		break;
	}
	cfg_strlist_free(dst);
	*dst = l;
	return RP_OK;
}

/* Index of word w in the space-separated list, or -1. */
static int word_index(const char *list, const char *w)
{
	int i = 0;
	size_t n = strlen(w);
	while (*list) {
		size_t k = strcspn(list, " ");
		if (k == n && rp_ascii_ncasecmp(list, w, n) == 0)
			return i;
		list += k;
		while (*list == ' ')
			list++;
		i++;
	}
	return -1;
}

/* AutodiscoverExclude / SwitchSources: words of pi->allowed, each once. */
static int apply_words(const struct pctx *c, const cfg_param_info *pi, cfg_settings *s)
{
	cfg_strlist l;
	unsigned seen = 0;
	size_t i;
	int rc = split_checked(c, &l);
	if (rc != RP_OK)
		return rc;
	if (pi->id == CFG_P_SWITCHSOURCES)
		s->n_switch_sources = 0;
	else
		s->autodiscover_exclude = 0;
	for (i = 0; i < l.n && rc == RP_OK; i++) {
		int k = word_index(pi->allowed, l.v[i]);
		char msg[160];
		if (k < 0) {
			snprintf(msg, sizeof(msg), "'%.40s' is not one of: %s", l.v[i],
				 pi->allowed);
			rc = bad(c, msg);
		} else if (seen & (1u << k)) {
			snprintf(msg, sizeof(msg), "'%.40s' is given twice", l.v[i]);
			rc = bad(c, msg);
		} else {
			seen |= 1u << k;
			if (pi->id == CFG_P_SWITCHSOURCES)
				s->switch_sources[s->n_switch_sources++] =
				    (enum cfg_switch_source)k;
			else
				s->autodiscover_exclude |= 1u << k;
		}
	}
	cfg_strlist_free(&l);
	return rc;
}

/* [Directory]: every entry is checked by the directory module (names and
 * values, docs/directory.md) and kept as written for the run. */
static int apply_directory(const cfg_ini *ini, const cfg_ini_section *sec,
			   cfg_settings *s)
{
	dir_config scratch;
	size_t i;
	memset(&scratch, 0, sizeof(scratch));
	for (i = 0; i < sec->n; i++) {
		const cfg_ini_entry *e = &sec->entries[i];
		bool secret;
		cfg_kv *v;
		if (!e->key)
			return rp_error_set(
			    RP_EINVAL,
			    "%s:%d: [%s] %s: line has no '=' (write Key=Value)",
			    ini->path, e->line, sec->name, e->value);
		if (e->dup || !e->value[0])
			continue;
		if (rp_ascii_casecmp(e->key, "DirectoryCSV") == 0) {
			/* The CSV recipient map (docs/directory.md), relative to
			 * the INI's folder; read when a run needs it. */
			free(s->directory_csv);
			if (!(s->directory_csv = resolve(s->ini_dir, e->value)))
				return rp_error_set(RP_ENOMEM, "out of memory");
			continue;
		}
		secret = rp_ascii_casecmp(e->key, "DirectorySourcePassword") == 0 ||
			 rp_ascii_casecmp(e->key, "DirectoryTargetPassword") == 0;
		if (dir_config_set(&scratch, e->key, e->value) != RP_OK) {
			char why[200];
			snprintf(why, sizeof(why), "%s", rp_error_msg());
			return rp_error_set(RP_EINVAL, "%s:%d: [%s] %s=%s: %s", ini->path,
					    e->line, sec->name, e->key,
					    secret ? "<hidden>" : e->value, why);
		}
		v = realloc(s->directory, (s->n_directory + 1) * sizeof(*v));
		if (!v)
			return rp_error_set(RP_ENOMEM, "out of memory");
		s->directory = v;
		v += s->n_directory;
		v->key = rp_strdup(e->key);
		v->value = rp_strdup(e->value);
		if (!v->key || !v->value) {
			free(v->key);
			free(v->value);
			return rp_error_set(RP_ENOMEM, "out of memory");
		}
		s->n_directory++;
	}
	return RP_OK;
}

/* Parses one given, non-empty value into s. */
static int apply(const struct pctx *c, const cfg_param_info *pi, const char *raw,
		 cfg_settings *s)
{
	struct pctx rc_ctx = *c;
	int rc, iv = 0;
	uint32_t bits;
	bool b = false;
	char *path;

	switch (pi->type) {
	case CFG_T_BOOL:
		if (cfg_parse_bool(c->value, &b) != RP_OK)
			return bad(c, "not a boolean (use 0 or 1)");
		*bool_field(s, pi->id) = b;
		return RP_OK;
	case CFG_T_INT:
		rc = parse_int(c, pi, &iv);
		if (rc == RP_OK)
			*int_field(s, pi->id) = iv;
		return rc;
	case CFG_T_URL:
		rc = check_url(c);
		return rc == RP_OK ? set_str(str_field(s, pi->id), c->value) : rc;
	case CFG_T_STRING:
	case CFG_T_SECRET:
		return set_str(str_field(s, pi->id), c->value);
	case CFG_T_TEMPLATE:
		rc = check_template(c);
		return rc == RP_OK ? set_str(str_field(s, pi->id), c->value) : rc;
	case CFG_T_PATH:
		path = resolve(s->ini_dir, c->value);
		if (!path)
			return rp_error_set(RP_ENOMEM, "out of memory");
		free(*str_field(s, pi->id));
		*str_field(s, pi->id) = path;
		return RP_OK;
	case CFG_T_FEATURES:
	case CFG_T_CRITICAL:
	case CFG_T_REMOVE:
		rc = parse_names(c, pi->type, &bits);
		if (rc != RP_OK)
			return rc;
		if (pi->id == CFG_P_SKIP)
			s->skip = bits;
		else if (pi->id == CFG_P_FEATURES)
			s->features = bits;
		else if (pi->id == CFG_P_CRITICAL)
			s->critical = bits;
		else
			s->remove_nicks = true;
		return RP_OK;
	case CFG_T_SERVICES:
		/* Quoted multi-word names ("MSPST AB") need the raw value. */
		rc_ctx.value = raw;
		return apply_list(&rc_ctx, pi, s);
	case CFG_T_NAMES:
	case CFG_T_DOMAINS:
	case CFG_T_ADDRESSES:
		return apply_list(c, pi, s);
	case CFG_T_WORDS:
		return apply_words(c, pi, s);
	case CFG_T_ENUM:
		rc = parse_enum(c, pi->allowed, &iv);
		if (rc != RP_OK)
			return rc;
		if (pi->id == CFG_P_PRIORITY)
			s->notify.priority = (enum cfg_priority)iv;
		else if (pi->id == CFG_P_ATTACHLOG)
			s->notify.attach = (enum cfg_attach)iv;
		else if (pi->id == CFG_P_NOTIFICATION)
			s->notify.when = (enum cfg_notify_when)iv;
		else
			s->notify.profile = (enum cfg_notify_profile)iv;
		return RP_OK;
	}
	return bad(c, "internal: unhandled type");
}

/* A line without '=' in [Parameters]: "Remove Nicks" (the guide's table
 * notation) is read as Remove=Nicks, a lone boolean name as Name=1. */
static int apply_bare(const cfg_ini *ini, const cfg_ini_section *sec,
		      const cfg_ini_entry *e, cfg_settings *s)
{
	const char *v = e->value, *sp = v;
	const cfg_param_info *pi;
	char *name;
	struct pctx c = {ini->path, sec->name, v, "", e->line, NULL};
	int rc;

	while (*sp && *sp != ' ' && *sp != '\t')
		sp++;
	name = rp_strndup(v, (size_t)(sp - v));
	if (!name)
		return rp_error_set(RP_ENOMEM, "out of memory");
	pi = cfg_param_find(sec->name, name);
	free(name);
	while (*sp == ' ' || *sp == '\t')
		sp++;
	if (!pi || is_notify_section(sec->name) || (!*sp && pi->type != CFG_T_BOOL))
		return rp_error_set(RP_EINVAL,
				    "%s:%d: [%s] %s: line has no '=' (write Key=Value)",
				    ini->path, e->line, sec->name, v);
	if (s->set[pi->id])
		return add_warn(
		    s, rp_asprintf("%s:%d: [%s] %s repeated; the value of line %d "
				   "is used",
				   ini->path, e->line, sec->name, pi->name,
				   s->line[pi->id]));
	c.key = pi->name;
	c.value = *sp ? sp : "1";
	rc = add_warn(s, rp_asprintf("%s:%d: [%s] '%s' read as %s=%s", ini->path, e->line,
				     sec->name, v, pi->name, c.value));
	if (rc == RP_OK)
		rc = apply(&c, pi, c.value, s);
	if (rc == RP_OK) {
		s->set[pi->id] = true;
		s->line[pi->id] = e->line;
	}
	return rc;
}

static int apply_section(const cfg_ini *ini, const cfg_ini_section *sec, cfg_settings *s)
{
	size_t i;
	int rc = RP_OK;
	for (i = 0; i < sec->n && rc == RP_OK; i++) {
		const cfg_ini_entry *e = &sec->entries[i];
		const cfg_param_info *pi;
		struct pctx c = {ini->path, sec->name, e->key, e->value, e->line, NULL};
		if (!e->key) {
			rc = apply_bare(ini, sec, e, s);
			continue;
		}
		pi = cfg_param_find(sec->name, e->key);
		if (!pi) {
			const char *other = is_notify_section(sec->name) ? SEC_P : SEC_N;
			char why[64];
			if (cfg_param_find(other, e->key)) {
				snprintf(why, sizeof(why), "belongs in [%s]", other);
				rc = problem(s, bad(&c, why));
			} else if (s->collect) {
				rc = problem(s, bad(&c, "unknown parameter"));
			} else {
				/* An INI of the original wizard may carry keys
				 * the guide does not list: a logon must go on. */
				rc = add_warn(s, rp_asprintf("%s:%d: [%s] %s=%s: unknown "
							     "parameter, ignored",
							     c.file, c.line, c.section,
							     c.key, c.value));
			}
			continue;
		}
		if (e->dup || !e->value[0])
			continue; /* empty = not given (e.g. "Features=" = all) */
		if (pi->type == CFG_T_SECRET)
			c.shown = "<hidden>";
		rc = apply(&c, pi, e->raw, s);
		if (rc == RP_OK) {
			s->set[pi->id] = true;
			s->line[pi->id] = e->line;
		}
		rc = problem(s, rc);
	}
	return rc;
}

static int pair_error(const cfg_settings *s, enum cfg_param have, enum cfg_param need)
{
	return rp_error_set(RP_EINVAL, "%s:%d: [%s] %s=%s: needs %s as well", s->ini_path,
			    s->line[have], SEC_P, params[have].name,
			    params[have].type == CFG_T_SECRET ? "<hidden>"
			    : have == CFG_P_ADMIN             ? s->admin
							      : s->admin_trg,
			    params[need].name);
}

/* Rules that involve more than one parameter. */
static int cross_check(cfg_settings *s, const cfg_ini *ini)
{
	if (s->set[CFG_P_FEATURES] && s->set[CFG_P_SKIP]) {
		enum cfg_param later = s->line[CFG_P_FEATURES] > s->line[CFG_P_SKIP]
					   ? CFG_P_FEATURES
					   : CFG_P_SKIP;
		enum cfg_param other = later == CFG_P_SKIP ? CFG_P_FEATURES : CFG_P_SKIP;
		const char *v = cfg_ini_value(ini, SEC_P, params[later].name);
		return rp_error_set(
		    RP_EINVAL,
		    "%s:%d: [%s] %s=%s: cannot be used together with %s (line %d)",
		    s->ini_path, s->line[later], SEC_P, params[later].name, v ? v : "",
		    params[other].name, s->line[other]);
	}
	if (s->set[CFG_P_ADMIN] != s->set[CFG_P_PASSWORD])
		return s->set[CFG_P_ADMIN] ? pair_error(s, CFG_P_ADMIN, CFG_P_PASSWORD)
					   : pair_error(s, CFG_P_PASSWORD, CFG_P_ADMIN);
	if (s->set[CFG_P_ADMINTRG] != s->set[CFG_P_PASSWORDTRG])
		return s->set[CFG_P_ADMINTRG]
			   ? pair_error(s, CFG_P_ADMINTRG, CFG_P_PASSWORDTRG)
			   : pair_error(s, CFG_P_PASSWORDTRG, CFG_P_ADMINTRG);
	if (s->set[CFG_P_SKIP])
		s->features = CFG_FEATURES_ALL & ~s->skip;
	if (s->set[CFG_P_STOPPROCESSES]) {
		/* Outlook must be closed for the switch whatever the list says. */
		size_t i;
		bool outlook = false;
		for (i = 0; i < s->stop_processes.n; i++)
			outlook |=
			    rp_ascii_casecmp(s->stop_processes.v[i], "Outlook.exe") == 0;
		if (!outlook &&
		    strlist_add(&s->stop_processes, "Outlook.exe", 11) != RP_OK)
			return RP_ENOMEM;
	}
	s->notify.enabled = s->notify.smtp.n > 0;
	if (s->set[CFG_P_SWITCHLIST] && s->set[CFG_P_SWITCHSOURCES]) {
		size_t i;
		bool list = false;
		for (i = 0; i < s->n_switch_sources; i++)
			list |= s->switch_sources[i] == CFG_SWS_LIST;
		if (!list &&
		    add_warn(s, rp_asprintf("%s:%d: [%s] SwitchList is not used: "
					    "SwitchSources (line %d) has no 'list'",
					    s->ini_path, s->line[CFG_P_SWITCHLIST], SEC_P,
					    s->line[CFG_P_SWITCHSOURCES])) != RP_OK)
			return RP_ENOMEM;
	}
	if (s->set[CFG_P_ASKSOURCECREDENTIALSONLY] && s->ask_source_credentials_only &&
	    !s->ask_credentials)
		return add_warn(
		    s, rp_asprintf("%s:%d: [%s] AskSourceCredentialsOnly=1 has no "
				   "effect without AskCredentials=1",
				   s->ini_path, s->line[CFG_P_ASKSOURCECREDENTIALSONLY],
				   SEC_P));
	return RP_OK;
}

static int from_ini(const cfg_ini *ini, cfg_settings *s, bool collect)
{
	size_t i;
	char *dir = dir_of(ini->path);
	int rc;
	if (!dir)
		return rp_error_set(RP_ENOMEM, "out of memory");
	rc = cfg_settings_defaults(s, dir);
	free(dir);
	if (rc != RP_OK)
		return rc;
	s->collect = collect;
	rc = set_str(&s->ini_path, ini->path);
	for (i = 0; rc == RP_OK && i < ini->nwarn; i++)
		rc = add_warn(s, rp_strdup(ini->warnings[i]));
	for (i = 0; rc == RP_OK && i < ini->nsecs; i++) {
		const cfg_ini_section *sec = &ini->secs[i];
		if (rp_ascii_casecmp(sec->name, SEC_P) == 0 ||
		    is_notify_section(sec->name))
			rc = apply_section(ini, sec, s);
		else if (rp_ascii_casecmp(sec->name, SEC_D) == 0)
			rc = problem(s, apply_directory(ini, sec, s));
		else
			rc = add_warn(s,
				      rp_asprintf("%s:%d: [%s]: unknown section, ignored",
						  ini->path, sec->line, sec->name));
	}
	if (rc == RP_OK)
		rc = problem(s, cross_check(s, ini));
	if (rc != RP_OK)
		cfg_settings_free(s);
	return rc;
}

int cfg_settings_from_ini(const cfg_ini *ini, cfg_settings *s)
{
	return from_ini(ini, s, false);
}

static int load(const char *path, cfg_settings *s, bool collect)
{
	cfg_ini *ini;
	int rc = cfg_ini_load(path, NULL, &ini);
	memset(s, 0, sizeof(*s));
	if (rc != RP_OK)
		return rc;
	rc = from_ini(ini, s, collect);
	cfg_ini_free(ini);
	return rc;
}

int cfg_settings_check(const char *path, cfg_settings *s)
{
	return load(path, s, true);
}

static int load(const char *path, cfg_settings *s, bool collect);

int cfg_settings_load(const char *path, cfg_settings *s)
{
	return load(path, s, false);
}

int cfg_settings_load_for(const char *ini_arg, const char *exe_dir, cfg_settings *s)
{
	size_t i;
	int rc;
	if (ini_arg)
		return cfg_settings_load(ini_arg, s);
	if (!exe_dir)
		exe_dir = ".";
	for (i = 0; cfg_default_ini_names[i]; i++) {
		char *path = resolve(exe_dir, cfg_default_ini_names[i]);
		if (!path)
			return rp_error_set(RP_ENOMEM, "out of memory");
		rc = cfg_settings_load(path, s);
		free(path);
		if (rc != RP_ENOTFOUND)
			return rc;
	}
	rc = cfg_settings_defaults(s, exe_dir);
	if (rc == RP_OK)
		rc = add_warn(s, rp_asprintf("no %s or %s in %s: default settings used",
					     cfg_default_ini_names[0],
					     cfg_default_ini_names[1], exe_dir));
	if (rc != RP_OK)
		cfg_settings_free(s);
	return rc;
}
