#include "commands.h"

#include <stddef.h>

int cmd_decode(int argc, char **argv);

/* Subcommands are declared here as their modules land. */
const struct rp_command rp_commands[] = {
    {"decode", "decode an entry ID or a profile registry value (helpdesk view)",
     cmd_decode},
    {NULL, NULL, NULL},
};
