#include "commands.h"

#include <stddef.h>

/* Subcommands are declared here as their modules land. */
const struct rp_command rp_commands[] = {
    {"show", "decode Outlook profiles (read-only)", rp_cmd_show},
    {"reg", "registry store utilities: export, import, mkhive", rp_cmd_reg},
    {NULL, NULL, NULL},
};
