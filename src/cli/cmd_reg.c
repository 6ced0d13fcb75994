/* cmd_reg.c - `reprofile reg`: registry store utilities (export a hive or
 * .reg file as .reg text, import a .reg file into one, make an empty hive).
 * Tests use it to turn .reg fixtures into hives and back. */
#include "commands.h"
#include "reg.h"

#include "base/rp_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reg_usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: reprofile reg export (--hive F | --reg F) [--key PATH] [-o OUT.reg]\n"
	    "       reprofile reg import (--hive F | --reg F) IN.reg\n"
	    "       reprofile reg mkhive OUT\n");
}

static int fail(const char *what)
{
	fprintf(stderr, "reprofile reg %s: %s\n", what, rp_error_msg());
	return 1;
}

struct reg_args {
	const char *hive, *regf, *key, *out, *in, *live_root;
	bool live;
};

static int parse_args(int argc, char **argv, struct reg_args *a, bool want_in)
{
	int i;
	memset(a, 0, sizeof(*a));
	a->key = "";
	for (i = 2; i < argc; i++) {
		const char *o = argv[i];
		if (i + 1 < argc && strcmp(o, "--hive") == 0)
			a->hive = argv[++i];
		else if (i + 1 < argc && strcmp(o, "--reg") == 0)
			a->regf = argv[++i];
		else if (strcmp(o, "--live") == 0)
			a->live = true;
		else if (i + 1 < argc && strcmp(o, "--live-root") == 0) {
			a->live = true;
			a->live_root = argv[++i];
		} else if (i + 1 < argc && strcmp(o, "--key") == 0)
			a->key = argv[++i];
		else if (i + 1 < argc && strcmp(o, "-o") == 0)
			a->out = argv[++i];
		else if (want_in && !a->in && o[0] != '-')
			a->in = o;
		else {
			fprintf(stderr, "reprofile reg: unexpected argument '%s'\n", o);
			return -1;
		}
	}
	if (!!a->hive + !!a->regf + a->live != 1 || (want_in && !a->in)) {
		reg_usage(stderr);
		return -1;
	}
	return 0;
}

static int open_store(const struct reg_args *a, unsigned flags, reg_store **s)
{
	if (a->hive)
		return reg_open_hive(s, a->hive, flags);
	if (a->live)
		return reg_open_live(s, a->live_root, flags & REG_OPEN_WRITE);
	return reg_open_regfile(s, a->regf, flags);
}

static int do_export(int argc, char **argv)
{
	struct reg_args a;
	reg_store *s;
	int rc;

	if (parse_args(argc, argv, &a, false) < 0)
		return 2;
	if (open_store(&a, 0, &s) < 0)
		return fail("export");
	if (a.out) {
		rc = reg_export_regfile(s, a.key, a.out);
		reg_close(s);
		return rc < 0 ? fail("export") : 0;
	}
	rc = reg_export_stream(s, a.key, stdout);
	reg_close(s);
	return rc < 0 ? fail("export") : 0;
}

static int do_import(int argc, char **argv)
{
	struct reg_args a;
	reg_store *s;
	size_t skipped = 0;
	int rc;

	if (parse_args(argc, argv, &a, true) < 0)
		return 2;
	/* Check the whole input before creating or opening the target, so a
	 * malformed file leaves no trace (not even a new empty hive). */
	if (reg_open_regfile(&s, a.in, 0) < 0)
		return fail("import");
	reg_close(s);
	if (open_store(&a, REG_OPEN_WRITE | REG_OPEN_CREATE, &s) < 0)
		return fail("import");
	rc = reg_import_regfile(s, a.in, &skipped);
	if (rc == RP_OK)
		rc = reg_commit(s);
	reg_close(s); /* without commit on error: the target is unchanged */
	if (rc < 0)
		return fail("import");
	if (skipped)
		fprintf(stderr,
			"reprofile reg import: %s: %zu line(s) outside HKEY_CURRENT_USER "
			"ignored\n",
			a.in, skipped);
	return 0;
}

int rp_cmd_reg(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		reg_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "export") == 0)
		return do_export(argc, argv);
	if (strcmp(argv[1], "import") == 0)
		return do_import(argc, argv);
	if (strcmp(argv[1], "mkhive") == 0) {
		if (argc != 3) {
			reg_usage(stderr);
			return 2;
		}
		return reg_hive_create_empty(argv[2]) < 0 ? fail("mkhive") : 0;
	}
	fprintf(stderr, "reprofile reg: unknown action '%s'\n", argv[1]);
	reg_usage(stderr);
	return 2;
}
