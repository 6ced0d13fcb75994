#include "commands.h"

#include <stddef.h>

/* One row per subcommand, in the order `reprofile --help` lists them. */
const struct rp_command rp_commands[] = {
    {"decode", "decode an entry ID or a profile registry value (helpdesk view)",
     rp_cmd_decode},
    {"reg", "registry store utilities: export, import, mkhive", rp_cmd_reg},
    {NULL, NULL, NULL},
};
