#include "commands.h"

#include <stddef.h>

int cmd_discover(int argc, char **argv);

/* Subcommands are declared here as their modules land. */
const struct rp_command rp_commands[] = {
    {"discover", "show what Autodiscover (response file or local XML folder) says",
     cmd_discover},
    {NULL, NULL, NULL},
};
