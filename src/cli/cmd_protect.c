/* cmd_protect.c - `reprofile protect-password [--mode user|host|unrestricted]`
 *
 * Reads a password from standard input (on a terminal: prompted twice, no
 * echo; from a pipe: the first line) and prints the value for Password= or
 * PasswordTrg= in reprofile.ini (cfg_secret.h). Exit 0 = printed, 1 = failed,
 * 2 = usage. */
#include "commands.h"

#include "base/rp_err.h"
#include "config/cfg_secret.h"
#include "platform/plat_secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: reprofile protect-password [--mode user|host|unrestricted]\n"
		"  Reads the password from standard input (typed twice without echo on\n"
		"  a terminal, else the first line) and prints the value for Password=\n"
		"  or PasswordTrg= in reprofile.ini.\n"
		"  --mode host          only this computer can decrypt it (default)\n"
		"  --mode user          only this user on this computer\n"
		"  --mode unrestricted  any computer: a fixed key, obfuscation only\n");
}

int rp_cmd_protect(int argc, char **argv)
{
	enum cfg_secret_mode mode = CFG_SECRET_HOST;
	char *pw = NULL, *again = NULL, *value = NULL;
	bool tty = plat_is_terminal(0);
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc &&
		    cfg_secret_mode_from_name(argv[i + 1]) >= 0) {
			mode = (enum cfg_secret_mode)cfg_secret_mode_from_name(argv[++i]);
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr,
				"reprofile protect-password: unexpected argument '%s'\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
	}
	rc = plat_read_line(0, tty ? "Password: " : NULL, false, &pw);
	if (rc == RP_OK && tty) {
		rc = plat_read_line(0, "Password again: ", false, &again);
		if (rc == RP_OK && strcmp(pw, again) != 0)
			rc = rp_error_set(RP_EINVAL, "the two passwords differ");
	}
	if (rc == RP_OK)
		rc = cfg_secret_protect(mode, pw, &value);
	cfg_secret_free(pw);
	cfg_secret_free(again);
	if (rc) {
		fprintf(stderr, "reprofile protect-password: %s\n", rp_error_msg());
		return 1;
	}
	printf("%s\n", value);
	free(value);
	return 0;
}
