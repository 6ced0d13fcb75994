#include "cfg_cmdline.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_template.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *const cfg_default_ini_names[] = {"reprofile.ini", "CPUU.ini", NULL};

enum sw_kind { SW_FLAG, SW_VALUE, SW_INT, SW_LIST };
enum sw_id {
	SW_PROFILES,
	SW_UNDO,
	SW_UNDOALL,
	SW_DEFAULTPROFILE,
	SW_UNDODEFAULTPROFILE,
	SW_CLEANUP,
	SW_LEAVETEMPORARYPROFILE,
	SW_LOG,
	SW_MOVEDUMPSTOREMOTE,
	SW_MAXLOCALDUMPS,
	SW_LOGWRITEDIRECTLY,
	SW_INI,
	SW_DONOTMODIFYEXCLUDESCPLOOKUP,
	SW_NAMETRGSTOREASSRC,
	SW_SKIPAUTODISCOVERCHECKING,
	SW_DISABLELOGONTHROUGHOUTLOOK,
	SW_HELP,
	SW_HIVE,
	SW_REG,
	SW_DRYRUN,
	SW_OUTLOOKDATA,
	SW_USERDIR,
	SW_HIVELIST,
	SW_LOCKWAIT
};

struct sw {
	const char *name;
	enum sw_id id;
	enum sw_kind kind;
};

static const struct sw switches[] = {
    {"Profiles", SW_PROFILES, SW_LIST},
    {"Undo", SW_UNDO, SW_LIST},
    {"UndoAll", SW_UNDOALL, SW_FLAG},
    {"DefaultProfile", SW_DEFAULTPROFILE, SW_FLAG},
    {"UndoDefaultProfile", SW_UNDODEFAULTPROFILE, SW_FLAG},
    {"Cleanup", SW_CLEANUP, SW_FLAG},
    {"LeaveTemporaryProfile", SW_LEAVETEMPORARYPROFILE, SW_FLAG},
    {"Log", SW_LOG, SW_VALUE},
    {"MoveDumpsToRemote", SW_MOVEDUMPSTOREMOTE, SW_FLAG},
    {"MaxLocalDumps", SW_MAXLOCALDUMPS, SW_INT},
    {"LogWriteDirectly", SW_LOGWRITEDIRECTLY, SW_FLAG},
    {"INI", SW_INI, SW_VALUE},
    {"DoNotModifyExcludeSCPLookup", SW_DONOTMODIFYEXCLUDESCPLOOKUP, SW_FLAG},
    {"NameTrgStoreAsSrc", SW_NAMETRGSTOREASSRC, SW_FLAG},
    {"SkipAutodiscoverChecking", SW_SKIPAUTODISCOVERCHECKING, SW_FLAG},
    {"DisableLogonThroughOutlook", SW_DISABLELOGONTHROUGHOUTLOOK, SW_FLAG},
    {"?", SW_HELP, SW_FLAG},
    {"help", SW_HELP, SW_FLAG},
    {"h", SW_HELP, SW_FLAG},
    {"hive", SW_HIVE, SW_VALUE},
    {"reg", SW_REG, SW_VALUE},
    {"dry-run", SW_DRYRUN, SW_FLAG},
    {"outlook-data", SW_OUTLOOKDATA, SW_VALUE},
    {"user-dir", SW_USERDIR, SW_VALUE},
    {"hive-list", SW_HIVELIST, SW_VALUE},
    {"lock-wait", SW_LOCKWAIT, SW_INT},
};

#define NSW (sizeof(switches) / sizeof(switches[0]))

static const char *const mode_names[] = {"update", "rollback", "cleanup"};

const char *cfg_mode_name(enum cfg_mode m)
{
	return (unsigned)m < 3 ? mode_names[m] : "?";
}

/* Switch named by s (without its prefix); n = length considered. */
static const struct sw *find_sw(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < NSW; i++)
		if (strlen(switches[i].name) == n &&
		    rp_ascii_ncasecmp(switches[i].name, s, n) == 0)
			return &switches[i];
	return NULL;
}

/* Splits "-Name", "/Name", "--name[=value]"; returns the name start. */
static const char *sw_name(const char *arg, size_t *n, const char **inline_val)
{
	const char *s = arg + 1, *eq;
	if (arg[0] == '-' && arg[1] == '-')
		s = arg + 2;
	*inline_val = NULL;
	eq = (arg[0] == '-' && arg[1] == '-') ? strchr(s, '=') : NULL;
	*n = eq ? (size_t)(eq - s) : strlen(s);
	if (eq)
		*inline_val = eq + 1;
	return s;
}

static bool is_switch(const char *arg)
{
	size_t n;
	const char *iv;
	const char *s;
	if (arg[0] == '-' && arg[1])
		return true;
	if (arg[0] != '/')
		return false;
	s = sw_name(arg, &n, &iv);
	return find_sw(s, n) != NULL;
}

static int add_profile(cfg_cmdline *c, const char *name)
{
	const char **v = realloc(c->profiles, (c->nprofiles + 1) * sizeof(*v));
	if (!v)
		return rp_error_set(RP_ENOMEM, "out of memory");
	c->profiles = v;
	v[c->nprofiles++] = name;
	return RP_OK;
}

void cfg_cmdline_free(cfg_cmdline *c)
{
	free(c->profiles);
	c->profiles = NULL;
	c->nprofiles = 0;
	free(c->hives);
	c->hives = NULL;
	c->nhives = 0;
	c->hive = NULL;
}

static int fail(cfg_cmdline *c, int rc)
{
	cfg_cmdline_free(c);
	return rc;
}

/* Records the mode a switch implies; conflicts are errors. */
static int want_mode(cfg_cmdline *c, bool *mode_set, enum cfg_mode m, const char *arg)
{
	if (*mode_set && c->mode != m) {
		if (c->subcommand)
			return rp_error_set(RP_EINVAL, "%s cannot be used with '%s'", arg,
					    cfg_mode_name(c->mode));
		return rp_error_set(RP_EINVAL, "%s cannot be combined with a %s switch",
				    arg, cfg_mode_name(c->mode));
	}
	c->mode = m;
	*mode_set = true;
	return RP_OK;
}

/* A whole number from 0 to max for switch arg (value val). */
static int whole_number(const char *arg, const char *val, long max, int *out)
{
	const char *p = val;
	long v = 0;
	for (; *p && isdigit((unsigned char)*p) && v <= max; p++)
		v = v * 10 + (*p - '0');
	if (*p || !*val || v > max)
		return rp_error_set(RP_EINVAL,
				    "%.*s %s: not a whole number from 0 to %ld",
				    (int)strcspn(arg, "="), arg, val, max);
	*out = (int)v;
	return RP_OK;
}

int cfg_cmdline_parse(int argc, char **argv, cfg_cmdline *c)
{
	int i = 0, rc;
	bool mode_set = false, dashdash = false;
	enum sw_id list = SW_HELP; /* SW_HELP = no list open */
	bool used_profiles = false, used_undo = false, used_undoall = false;
	bool used_default = false;

	memset(c, 0, sizeof(*c));
	c->max_local_dumps = 10;
	c->lock_wait = CFG_LOCK_WAIT_DEFAULT;
	if (argc > 0) {
		size_t m;
		for (m = 0; m < 3; m++)
			if (rp_ascii_casecmp(argv[0], mode_names[m]) == 0) {
				c->mode = (enum cfg_mode)m;
				c->subcommand = true;
				mode_set = true;
				i = 1;
			}
	}
	for (; i < argc; i++) {
		const char *arg = argv[i];
		const struct sw *sw;
		const char *name, *val;
		size_t n;

		if (!dashdash && strcmp(arg, "--") == 0) {
			dashdash = true;
			if (list == SW_HELP) {
				list = SW_PROFILES;
				used_profiles = true;
			}
			continue;
		}
		if (dashdash || !is_switch(arg)) {
			if (list == SW_HELP)
				return fail(
				    c, rp_error_set(RP_EINVAL,
						    "unexpected argument '%s' (profile "
						    "names follow -Profiles or -Undo)",
						    arg));
			if ((rc = add_profile(c, arg)) != RP_OK)
				return fail(c, rc);
			continue;
		}
		name = sw_name(arg, &n, &val);
		sw = find_sw(name, n);
		if (!sw)
			return fail(c, rp_error_set(RP_EINVAL,
						    "unknown switch '%s' (see -?)", arg));
		if (sw->id == SW_HELP) {
			cfg_cmdline_free(c);
			c->help = true;
			return RP_OK;
		}
		if (val && sw->kind != SW_VALUE && sw->kind != SW_INT)
			return fail(c, rp_error_set(RP_EINVAL, "%s takes no value", arg));
		list = SW_HELP;
		if (sw->kind == SW_VALUE || sw->kind == SW_INT) {
			if (!val) {
				if (i + 1 >= argc)
					return fail(c, rp_error_set(RP_EINVAL,
								    "%s needs a value",
								    arg));
				val = argv[++i];
			}
			if (!*val)
				return fail(c, rp_error_set(RP_EINVAL,
							    "%s needs a non-empty value",
							    arg));
		}
		rc = RP_OK;
		switch (sw->id) {
		case SW_PROFILES:
			if (c->subcommand && c->mode == CFG_MODE_CLEANUP)
				rc = rp_error_set(
				    RP_EINVAL, "%s cannot be used with 'cleanup'", arg);
			list = SW_PROFILES;
			used_profiles = true;
			break;
		case SW_UNDO:
			rc = want_mode(c, &mode_set, CFG_MODE_ROLLBACK, arg);
			list = SW_UNDO;
			used_undo = true;
			break;
		case SW_UNDOALL:
			rc = want_mode(c, &mode_set, CFG_MODE_ROLLBACK, arg);
			used_undoall = true;
			break;
		case SW_UNDODEFAULTPROFILE:
			rc = want_mode(c, &mode_set, CFG_MODE_ROLLBACK, arg);
			used_default = c->default_profile = true;
			break;
		case SW_DEFAULTPROFILE:
			if (c->subcommand && c->mode == CFG_MODE_CLEANUP)
				rc = rp_error_set(
				    RP_EINVAL, "%s cannot be used with 'cleanup'", arg);
			used_default = c->default_profile = true;
			break;
		case SW_CLEANUP:
			rc = want_mode(c, &mode_set, CFG_MODE_CLEANUP, arg);
			break;
		case SW_HIVE: {
			/* Repeatable: the offline bulk mode switches many hives in
			 * one run. */
			const char **v = realloc(c->hives, (c->nhives + 1) * sizeof(*v));
			if (!v) {
				rc = rp_error_set(RP_ENOMEM, "out of memory");
				break;
			}
			c->hives = v;
			v[c->nhives++] = val;
			c->hive = c->hives[0];
			break;
		}
		case SW_LOG:
		case SW_INI:
		case SW_REG:
		case SW_HIVELIST:
		case SW_OUTLOOKDATA:
		case SW_USERDIR: {
			const char **dst = sw->id == SW_LOG        ? &c->log
					   : sw->id == SW_INI      ? &c->ini
					   : sw->id == SW_REG      ? &c->reg
					   : sw->id == SW_HIVELIST ? &c->hive_list
					   : sw->id == SW_USERDIR  ? &c->user_dir
								   : &c->outlook_data;
			if (*dst)
				rc = rp_error_set(RP_EINVAL, "%s given twice", arg);
			*dst = val;
			break;
		}
		case SW_MAXLOCALDUMPS:
			rc = whole_number(arg, val, 1000, &c->max_local_dumps);
			c->max_local_dumps_given = true;
			break;
		case SW_LOCKWAIT:
			rc = whole_number(arg, val, 3600, &c->lock_wait);
			break;
		case SW_LEAVETEMPORARYPROFILE:
			c->leave_temporary_profile = true;
			break;
		case SW_MOVEDUMPSTOREMOTE:
			c->move_dumps_to_remote = true;
			break;
		case SW_LOGWRITEDIRECTLY:
			c->log_write_directly = true;
			break;
		case SW_DONOTMODIFYEXCLUDESCPLOOKUP:
			c->do_not_modify_exclude_scp_lookup = true;
			break;
		case SW_NAMETRGSTOREASSRC:
			c->name_trg_store_as_src = true;
			break;
		case SW_SKIPAUTODISCOVERCHECKING:
			c->skip_autodiscover_checking = true;
			break;
		case SW_DISABLELOGONTHROUGHOUTLOOK:
			c->disable_logon_through_outlook = true;
			break;
		case SW_DRYRUN:
			c->dry_run = true;
			break;
		case SW_HELP:
			break;
		}
		if (rc != RP_OK)
			return fail(c, rc);
		/* A list switch must be followed by at least one name. */
		if (sw->kind == SW_LIST &&
		    (i + 1 >= argc ||
		     (is_switch(argv[i + 1]) && strcmp(argv[i + 1], "--") != 0)))
			return fail(
			    c, rp_error_set(
				   RP_EINVAL, "%s needs at least one profile name%s", arg,
				   sw->id == SW_UNDO ? " (use -UndoAll for all)" : ""));
	}
	if ((used_profiles || used_undo) && c->nprofiles == 0)
		return fail(c,
			    rp_error_set(RP_EINVAL, "%s needs at least one profile name",
					 used_undo ? "-Undo" : "-Profiles"));
	if ((c->hive || c->hive_list) && c->reg)
		return fail(c, rp_error_set(RP_EINVAL,
					    "--hive and --reg cannot be used together"));
	if (c->user_dir && !c->reg)
		return fail(
		    c, rp_error_set(RP_EINVAL,
				    "--user-dir goes with --reg (a hive's user folder "
				    "is its own folder; the live registry's is the "
				    "current user's)"));
	if (used_profiles && used_undo)
		return fail(
		    c, rp_error_set(RP_EINVAL,
				    "-Profiles cannot be combined with -Undo (list the "
				    "profiles after -Undo)"));
	if (used_undoall && (used_undo || used_profiles || used_default))
		return fail(
		    c, rp_error_set(RP_EINVAL,
				    "-UndoAll cannot be combined with profile names or "
				    "-UndoDefaultProfile"));
	if (c->mode == CFG_MODE_CLEANUP && (c->nprofiles || c->default_profile))
		return fail(
		    c, rp_error_set(RP_EINVAL,
				    "-Cleanup cleans every profile; it takes no profile "
				    "names"));
	c->all_profiles = c->nprofiles == 0 && !c->default_profile;
	return RP_OK;
}

void cfg_cmdline_foreach_pending(const cfg_cmdline *c,
				 void (*fn)(void *ud, const char *name,
					    const char *capability),
				 void *ud)
{
	const struct {
		bool given;
		const char *name, *capability;
	} rows[] = {
	    {c->move_dumps_to_remote, "-MoveDumpsToRemote", "crash dumps"},

	    {c->disable_logon_through_outlook, "-DisableLogonThroughOutlook",
	     "target sign-in check"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].given)
			fn(ud, rows[i].name, rows[i].capability);
}

void cfg_usage(FILE *f)
{
	fputs(
	    "usage: reprofile update   [-Profiles NAME...] [-DefaultProfile] [options]\n"
	    "       reprofile rollback [-Profiles NAME...] [-DefaultProfile] [options]\n"
	    "       reprofile cleanup  [options]\n"
	    "       reprofile -Profiles NAME... | -DefaultProfile | -Undo NAME... |\n"
	    "                 -UndoAll | -UndoDefaultProfile | -Cleanup  [options]\n"
	    "\n"
	    "Switches are case-insensitive and may start with '-' or '/'.\n"
	    "profile selection:\n"
	    "  -Profiles NAME...        process only these profiles (default: all)\n"
	    "  -DefaultProfile          process the default profile\n"
	    "  -Undo NAME...            roll back these profiles\n"
	    "  -UndoAll                 roll back every updated profile\n"
	    "  -UndoDefaultProfile      roll back the default profile\n"
	    "  -Cleanup                 delete backups and auxiliary data of every "
	    "profile\n"
	    "files:\n"
	    "  -INI FILE                settings (default: reprofile.ini, else "
	    "CPUU.ini,\n"
	    "                           in the folder of the executable)\n"
	    "  -Log FILE                log name; #H #D #T and %VAR% are expanded\n"
	    "                           (default: " CFG_DEFAULT_LOG_TEMPLATE ")\n"
	    "  -LogWriteDirectly        write a remote log directly, not via\n"
	    "                           %TEMP%\\" CFG_LOG_STAGING_NAME "\n"
	    "  -MoveDumpsToRemote       also move crash dumps to a remote log folder\n"
	    "  -MaxLocalDumps N         crash dumps kept in %TEMP%\\" CFG_LOG_STAGING_NAME
	    " (default 10)\n"
	    "behaviour:\n"
	    "  -DoNotModifyExcludeSCPLookup  leave Outlook's SCP lookup setting alone\n"
	    "  -NameTrgStoreAsSrc       keep the source store display name\n"
	    "  -SkipAutodiscoverChecking do not check Autodiscover URL domains\n"
	    "  -LeaveTemporaryProfile   keep the temporary target profile\n"
	    "  -DisableLogonThroughOutlook do not start Outlook to sign in\n"
	    "store (default: the live registry on Windows):\n"
	    "  --hive FILE              an NTUSER.DAT user hive (repeatable: bulk mode)\n"
	    "  --hive-list FILE         the hives to process, one path per line\n"
	    "  --reg FILE               a .reg export\n"
	    "  --dry-run                print the plan, write nothing\n"
	    "  --outlook-data DIR       the user's Outlook data folder (cached\n"
	    "                           Autodiscover XML); default for the live\n"
	    "                           registry: %LOCALAPPDATA%\\Microsoft\\Outlook\n"
	    "  --user-dir DIR           the Windows user folder (holding AppData) of\n"
	    "                           a --reg store, for the features' files\n"
	    "  --lock-wait SECONDS      how long to wait for another run on the same\n"
	    "                           store to finish (default 60)\n"
	    "  -?, --help               this text\n",
	    f);
}
