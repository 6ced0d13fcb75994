#include "commands.h"

#include <stddef.h>

/* One row per subcommand, in the order `reprofile --help` lists them. */
const char *rp_program_path = "reprofile";

const struct rp_command rp_commands[] = {
    {"update", "switch profiles to the migrated mailbox (the default mode)", rp_cmd_run},
    {"rollback", "restore profiles from reprofile's backups", rp_cmd_run},
    {"cleanup", "remove reprofile's backups once the migration is done", rp_cmd_run},
    {"show", "decode Outlook profiles (read-only)", rp_cmd_show},
    {"decode", "decode an entry ID or a profile registry value (helpdesk view)",
     rp_cmd_decode},
    {"discover", "show what Autodiscover says for an address (network, file or folder)",
     rp_cmd_discover},
    {"mailbox", "list a mailbox's folders over MAPI/HTTP (helpdesk view)",
     rp_cmd_mailbox},
    {"switch-message",
     "write or show the switch message in a source mailbox (Full Access)",
     rp_cmd_switch_message},
    {"lookup", "resolve source recipients to their migrated targets (directory or CSV)",
     rp_cmd_lookup},
    {"protect-password", "encrypt a password for Password= / PasswordTrg= in the INI",
     rp_cmd_protect},
    {"check-ini", "read an INI strictly and list every problem (unknown keys too)",
     rp_cmd_check_ini},
    {"report",
     "the fleet report: aggregate a share's run records into one page (or JSON, CSV)",
     rp_cmd_report},
    {"reg", "registry store utilities: export, import, mkhive", rp_cmd_reg},
    {NULL, NULL, NULL},
};
