/* main.c - subcommand dispatch. Each subcommand lives in its own cmd_*.c and
 * is listed in commands.h; main only picks one and maps its result to the
 * process exit code. */
#include "commands.h"

#include "platform/plat.h"

#include <stdio.h>
#include <string.h>

static const struct rp_command *find_command(const char *name)
{
	size_t i;
	for (i = 0; rp_commands[i].name; i++)
		if (strcmp(rp_commands[i].name, name) == 0)
			return &rp_commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	size_t i;
	fprintf(f, "usage: reprofile <command> [options]\n\ncommands:\n");
	for (i = 0; rp_commands[i].name; i++)
		fprintf(f, "  %-10s %s\n", rp_commands[i].name, rp_commands[i].summary);
}

int main(int argc, char **argv)
{
	const struct rp_command *cmd;

	plat_utf8_args(&argc, &argv);
	rp_program_path = argv[0];

	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("reprofile %s\n", RP_VERSION);
		return 0;
	}
	/* The guide's bare switches (-Profiles, /UndoAll, -? ...): existing
	 * logon scripts call the tool without a subcommand. */
	if (argv[1][0] == '-' || argv[1][0] == '/')
		return rp_cmd_run(argc - 1, argv + 1);
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "reprofile: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}
	return cmd->run(argc - 1, argv + 1);
}
