/* cmd_check.c - `reprofile check-ini FILE`: the strict reading of an INI,
 * for the administrator before a roll-out. Where a run warns and goes on
 * (an unknown key, an unknown section), this reports an error; it goes on
 * after each problem so that one pass lists them all: bad values, the
 * passwords' form (cfg_secret.h; a value of the original wizard cannot be
 * read), the switch list and its rows. Exit 0 = no problem, 16
 * (CPUU_GLOBAL_ERR, as a run would exit) = problems, 2 = usage. */
#include "commands.h"

#include "base/rp_err.h"
#include "config/cfg_codes.h"
#include "config/cfg_secret.h"
#include "config/cfg_settings.h"
#include "config/cfg_switchlist.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: reprofile check-ini FILE\n"
		   "  Reads the INI strictly and prints every problem, one line "
		   "each:\n"
		   "  unknown keys and sections, bad values, passwords that cannot be\n"
		   "  read, the switch list. Exit 0 when there is none, 16 otherwise.\n");
}

/* A password that reprofile cannot read in any case (its form, not the
 * computer it was protected on: that is the logon's business). */
static int check_secret(const cfg_settings *st, enum cfg_param key, const char *value)
{
	char *plain = NULL;
	int rc;
	if (!value)
		return 0;
	rc = cfg_secret_reveal(value, &plain, NULL);
	cfg_secret_free(plain);
	if (rc != RP_EFORMAT) {
		rp_error_clear();
		return 0;
	}
	printf("error: %s:%d: [Parameters] %s=<hidden>: %s\n", st->ini_path,
	       st->line[key], cfg_param_table()[key].name, rp_error_msg());
	return 1;
}

static int check_switch_list(const cfg_settings *st)
{
	cfg_switchlist *sl = NULL;
	size_t i;
	int n = 0;
	if (!st->switch_list)
		return 0;
	if (cfg_switchlist_load(st->switch_list, &sl) < 0) {
		printf("error: %s:%d: [Parameters] SwitchList: %s\n", st->ini_path,
		       st->line[CFG_P_SWITCHLIST], rp_error_msg());
		return 1;
	}
	for (i = 0; i < sl->nbad; i++, n++)
		printf("error: %s:%d: invalid switch information: %s\n", sl->path,
		       sl->bad[i].line, sl->bad[i].reason);
	cfg_switchlist_free(sl);
	return n;
}

int rp_cmd_check_ini(int argc, char **argv)
{
	cfg_settings st;
	size_t i;
	int n = 0;
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	if (cfg_settings_check(argv[1], &st) < 0) {
		printf("error: %s\n", rp_error_msg());
		return CPUU_GLOBAL_ERR;
	}
	for (i = 0; i < st.nerr; i++, n++)
		printf("error: %s\n", st.errors[i]);
	for (i = 0; i < st.nwarn; i++, n++)
		printf("error: %s\n", st.warnings[i]);
	n += check_secret(&st, CFG_P_PASSWORD, st.password);
	n += check_secret(&st, CFG_P_PASSWORDTRG, st.password_trg);
	n += check_switch_list(&st);
	if (n)
		printf("%s: %d problem%s\n", argv[1], n, n == 1 ? "" : "s");
	else
		printf("%s: no problem\n", argv[1]);
	cfg_settings_free(&st);
	return n ? CPUU_GLOBAL_ERR : 0;
}
