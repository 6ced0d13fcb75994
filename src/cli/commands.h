/* commands.h - the subcommand table. A command gets argv starting at its own
 * name and returns the process exit code. */
#ifndef RP_COMMANDS_H
#define RP_COMMANDS_H

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
} rp_swm_args;
int rp_cmd_switch_message(int argc, char **argv);
int rp_switch_message(const struct mbx_http_opts *ho, const char *address, const char *dn,
		      const rp_swm_args *a);

/* Autodiscover SCP candidates from the INI's [Directory] source connection
 * (cmd_run.c; used by update and discover). *out is NULL when the INI has no
 * [Directory] entries or says AutodiscoverExclude=scp; an entry set that
 * cannot open is an error (message set). rp_cli_scp_urls is the
 * adisc_net_opts.scp_urls callback over it (ctx = the dir_resolver). */
struct cfg_settings;
struct dir_resolver;
int rp_cli_scp_directory(const struct cfg_settings *st, struct dir_resolver **out);
int rp_cli_scp_urls(void *ctx, const char *domain, char ***urls, size_t *n);

#endif
