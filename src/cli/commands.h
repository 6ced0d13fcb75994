/* commands.h - the subcommand table. A command gets argv starting at its own
 * name and returns the process exit code. */
#ifndef RP_COMMANDS_H
#define RP_COMMANDS_H

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
int rp_cmd_protect(int argc, char **argv);

#endif
