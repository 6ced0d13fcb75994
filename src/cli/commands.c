#include "commands.h"

#include <stddef.h>

int cmd_lookup(int argc, char **argv);

/* Subcommands are declared here as their modules land. */
const struct rp_command rp_commands[] = {
    {"lookup", "resolve source recipients to their migrated targets", cmd_lookup},
    {NULL, NULL, NULL},
};
