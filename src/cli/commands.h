/* commands.h - the subcommand table. A command gets argv starting at its own
 * name and returns the process exit code. */
#ifndef RP_COMMANDS_H
#define RP_COMMANDS_H

#include "config/cfg_switchlist.h"
#include "discover/adisc.h"
#include "run/run_creds.h"
#include "run/run_log.h"

#include <stdbool.h>
#include <stddef.h>

struct rp_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

extern const struct rp_command rp_commands[];

/* argv[0] of the process, for the folder of the executable. */
extern const char *rp_program_path;

int rp_cmd_run(int argc, char **argv); /* update, rollback, cleanup */
int rp_cmd_show(int argc, char **argv);
int rp_cmd_decode(int argc, char **argv);
int rp_cmd_discover(int argc, char **argv);
int rp_cmd_reg(int argc, char **argv);
int rp_cmd_lookup(int argc, char **argv);
int rp_cmd_mailbox(int argc, char **argv);
int rp_cmd_protect(int argc, char **argv);
int rp_cmd_check_ini(int argc, char **argv);
int rp_cmd_report(int argc, char **argv); /* cmd_report.c: the fleet report */

/* `reprofile mailbox ADDRESS resolve NAME...` (cmd_mailbox_ab.c): resolves
 * the names in the address book at ho->url (an NSPI URL) and prints them
 * (text, or JSON with json). *all_resolved says whether every name resolved
 * to exactly one entry. Error: negative code, message set. */
struct mbx_http_opts;
int rp_mailbox_resolve(const struct mbx_http_opts *ho, const char *address,
		       char *const *names, size_t n, bool json, bool *all_resolved);

/* Connect (as connect_dn, the signed-in account's own DN) and RopLogon to
 * the mailbox dn (its own, or another with Full Access). */
struct mbx_emsmdb;
struct mbx_mailbox;
int rp_mailbox_open(const struct mbx_http_opts *ho, const char *connect_dn,
		    const char *dn, struct mbx_emsmdb **e, struct mbx_mailbox *mb);

/* `reprofile switch-message create|show ADDRESS` (cmd_switchmsg.c): the
 * switch message in the source mailbox at ho->url / dn (Full Access).
 * rp_cmd_switch_message parses as `reprofile mailbox` does and calls
 * rp_switch_message. Error: negative code, message set. */
typedef struct rp_swm_args {
	bool create;   /* else show */
	bool recreate; /* create: also the recreate message */
	bool o365;
	const char *target_smtp, *target_dn;
	const char *user_dn; /* Connect as (the Full Access account), NULL = dn */
	const char *csv;     /* create --csv FILE: the bulk list (cfg_swmlist.h) */
} rp_swm_args;
int rp_cmd_switch_message(int argc, char **argv);
int rp_switch_message(const struct mbx_http_opts *ho, const char *address, const char *dn,
		      const rp_swm_args *a);
/* The bulk form: every row of a->csv written with the account a->user_dn,
 * one session per MailStore URL (ho->url, or the row's), one output line per
 * row. 0 = every row written; RP_EFORMAT = some rows were skipped or failed
 * (each named on stderr); other negative = the list could not be read. */
int rp_switch_message_csv(const struct mbx_http_opts *ho, const rp_swm_args *a);

/* Autodiscover SCP candidates from the INI's [Directory] source connection
 * (cmd_run.c; used by update and discover). *out is NULL when the INI has no
 * [Directory] entries or says AutodiscoverExclude=scp; an entry set that
 * cannot open is an error (message set). rp_cli_scp_urls is the
 * adisc_net_opts.scp_urls callback over it (ctx = the dir_resolver). */
struct cfg_settings;
struct dir_resolver;
int rp_cli_scp_directory(const struct cfg_settings *st, struct dir_resolver **out);
int rp_cli_scp_urls(void *ctx, const char *domain, char ***urls, size_t *n);

/* The INI's AutodiscoverExclude as the network resolver's skip_* flags
 * (cli_net.c; used by update, discover and mailbox). Only sets flags. */
void rp_cli_adx_exclude(const struct cfg_settings *st, adisc_net_opts *no);

/* The Autodiscover resolvers of a run (cli_net.c), built from the settings
 * the same way for update and for discover --ini (docs/switch.md,
 * docs/authentication.md):
 *   UseLocalAutodiscoverXMLs=1: target = the local folder (both sides);
 *   otherwise the accounts (run_creds_new: passwords decrypted, the
 *   AskCredentials prompt), target = the network resolver of those accounts
 *   with AutodiscoverTargetURL; source, only when configured (a source URL,
 *   [Directory] SCPs or SwitchSources=autodiscover), = the source account,
 *   AutodiscoverSourceURL and the SCPs, stopping at a redirect to another
 *   domain (the mailbox moved).
 * base carries what the caller adds to both sides (connect_to, timeout,
 * a CA file that overrides CAFile, extra skip_* candidates; log NULL = the
 * run log); the INI's AutodiscoverExclude is added. On error the message is
 * set (the caller logs it) and *r holds what was made (free it). */
typedef struct rp_cli_resolvers {
	adisc_resolver *target, *source; /* source NULL = not configured */
	struct dir_resolver *scp;        /* SCP connection, or NULL */
	run_creds *creds;                /* NULL with local files */
	adisc_net_share *share;          /* what both sides share, or NULL */
} rp_cli_resolvers;
int rp_cli_resolvers_make(const struct cfg_settings *st, const cfg_switchlist *sl,
			  run_log *log, const adisc_net_opts *base,
			  const run_creds_io *io, rp_cli_resolvers *r);
void rp_cli_resolvers_free(rp_cli_resolvers *r);

/* REPROFILE_CONNECT_TO (space-separated curl CONNECT_TO entries, for tests
 * and benchmarks): the guide's command line has no place for it. entries is
 * NULL-ended and points into connect_to. */
typedef struct rp_cli_net_env {
	char *connect_to;
	const char *entries[17];
} rp_cli_net_env;
void rp_cli_net_env_load(rp_cli_net_env *ne);
void rp_cli_net_env_free(rp_cli_net_env *ne);

#endif
