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
 * (cmd_run.c; used by update, discover and mailbox). Only sets flags. */
struct adisc_net_opts;
void rp_cli_adx_exclude(const struct cfg_settings *st, struct adisc_net_opts *no);

#endif
