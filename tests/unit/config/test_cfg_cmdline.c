/* Unit tests for the command line: the guide's switch forms as written in
 * logon scripts, the subcommands, and every rejection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "config/cfg_cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGS(...)                                                                        \
	(char *[])                                                                       \
	{                                                                                \
		__VA_ARGS__                                                              \
	}
#define N(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))
#define PARSE(c, ...) cfg_cmdline_parse(N(__VA_ARGS__), ARGS(__VA_ARGS__), (c))

static void expect_error(int argc, char **argv, const char *msg)
{
	cfg_cmdline c;
	int rc = cfg_cmdline_parse(argc, argv, &c);
	assert_int_equal(rc, RP_EINVAL);
	assert_string_equal(rp_error_msg(), msg);
	assert_null(c.profiles);
}
#define ERR(msg, ...) expect_error(N(__VA_ARGS__), ARGS(__VA_ARGS__), msg)

static void test_guide_update_forms(void **state)
{
	(void)state;
	cfg_cmdline c;
	/* CPUU_Update.bat style: -Profiles with names, one with a space. */
	assert_int_equal(PARSE(&c, "-Profiles", "Outlook", "My Profile", "-INI",
			       "CPUU.ini", "-Log",
			       "\\\\Servername\\Sharename\\%username%_CPUU.log"),
			 RP_OK);
	assert_int_equal(c.mode, CFG_MODE_UPDATE);
	assert_false(c.subcommand);
	assert_int_equal(c.nprofiles, 2);
	assert_string_equal(c.profiles[0], "Outlook");
	assert_string_equal(c.profiles[1], "My Profile");
	assert_false(c.all_profiles);
	assert_string_equal(c.ini, "CPUU.ini");
	assert_string_equal(c.log, "\\\\Servername\\Sharename\\%username%_CPUU.log");
	assert_int_equal(c.max_local_dumps, 10);
	cfg_cmdline_free(&c);

	assert_int_equal(PARSE(&c, "-DefaultProfile"), RP_OK);
	assert_int_equal(c.mode, CFG_MODE_UPDATE);
	assert_true(c.default_profile);
	assert_false(c.all_profiles);
	cfg_cmdline_free(&c);

	/* No selection at all: every profile. */
	assert_int_equal(cfg_cmdline_parse(0, NULL, &c), RP_OK);
	assert_int_equal(c.mode, CFG_MODE_UPDATE);
	assert_true(c.all_profiles);
	assert_null(c.ini);
	assert_null(c.log);
	assert_int_equal(c.lock_wait, CFG_LOCK_WAIT_DEFAULT);
	cfg_cmdline_free(&c);
}

static void test_every_flag(void **state)
{
	(void)state;
	cfg_cmdline c;
	assert_int_equal(PARSE(&c, "-LeaveTemporaryProfile", "-MoveDumpsToRemote",
			       "-MaxLocalDumps", "5", "-LogWriteDirectly",
			       "-DoNotModifyExcludeSCPLookup", "-NameTrgStoreAsSrc",
			       "-SkipAutodiscoverChecking", "-DisableLogonThroughOutlook",
			       "--hive", "NTUSER.DAT", "--dry-run", "--lock-wait", "5"),
			 RP_OK);
	assert_int_equal(c.lock_wait, 5);
	assert_true(c.leave_temporary_profile);
	assert_true(c.move_dumps_to_remote);
	assert_int_equal(c.max_local_dumps, 5);
	assert_true(c.log_write_directly);
	assert_true(c.do_not_modify_exclude_scp_lookup);
	assert_true(c.name_trg_store_as_src);
	assert_true(c.skip_autodiscover_checking);
	assert_true(c.disable_logon_through_outlook);
	assert_string_equal(c.hive, "NTUSER.DAT");
	assert_null(c.reg);
	assert_true(c.dry_run);
	assert_true(c.all_profiles);
	cfg_cmdline_free(&c);
}

static void test_case_and_prefix(void **state)
{
	(void)state;
	cfg_cmdline c;
	assert_int_equal(PARSE(&c, "/profiles", "Outlook", "/LOG", "x.log", "-ini",
			       "a.ini", "/maxlocaldumps", "0", "--reg=/tmp/u.reg"),
			 RP_OK);
	assert_int_equal(c.nprofiles, 1);
	assert_string_equal(c.log, "x.log");
	assert_string_equal(c.ini, "a.ini");
	assert_int_equal(c.max_local_dumps, 0);
	assert_string_equal(c.reg, "/tmp/u.reg");
	assert_null(c.user_dir);
	cfg_cmdline_free(&c);
	assert_int_equal(PARSE(&c, "--reg", "u.reg", "--user-dir", "/home/u"), RP_OK);
	assert_string_equal(c.user_dir, "/home/u");
	cfg_cmdline_free(&c);
	/* A '/' argument that names no switch is a profile name; "--" ends switches. */
	assert_int_equal(PARSE(&c, "-Profiles", "/odd name", "--", "-dash", "/Undo"),
			 RP_OK);
	assert_int_equal(c.nprofiles, 3);
	assert_string_equal(c.profiles[0], "/odd name");
	assert_string_equal(c.profiles[1], "-dash");
	assert_string_equal(c.profiles[2], "/Undo");
	assert_int_equal(c.mode, CFG_MODE_UPDATE);
	cfg_cmdline_free(&c);
}

static void test_rollback_and_cleanup(void **state)
{
	(void)state;
	cfg_cmdline c;
	assert_int_equal(PARSE(&c, "-Undo", "Outlook", "Second one"), RP_OK);
	assert_int_equal(c.mode, CFG_MODE_ROLLBACK);
	assert_int_equal(c.nprofiles, 2);
	assert_string_equal(c.profiles[1], "Second one");
	cfg_cmdline_free(&c);
	assert_int_equal(PARSE(&c, "-UndoAll"), RP_OK);
	assert_int_equal(c.mode, CFG_MODE_ROLLBACK);
	assert_true(c.all_profiles);
	cfg_cmdline_free(&c);
	assert_int_equal(PARSE(&c, "-UndoDefaultProfile", "-UseTargetOSTnot"), RP_EINVAL);
	assert_int_equal(PARSE(&c, "-UndoDefaultProfile"), RP_OK);
	assert_int_equal(c.mode, CFG_MODE_ROLLBACK);
	assert_true(c.default_profile);
	cfg_cmdline_free(&c);
	assert_int_equal(PARSE(&c, "/Cleanup", "-Log", "c.log"), RP_OK);
	assert_int_equal(c.mode, CFG_MODE_CLEANUP);
	assert_true(c.all_profiles);
	cfg_cmdline_free(&c);
}

static void test_subcommands(void **state)
{
	(void)state;
	cfg_cmdline c;
	assert_int_equal(PARSE(&c, "update", "--hive", "NTUSER.DAT", "-Profiles", "A"),
			 RP_OK);
	assert_true(c.subcommand);
	assert_int_equal(c.mode, CFG_MODE_UPDATE);
	assert_int_equal(c.nprofiles, 1);
	cfg_cmdline_free(&c);
	assert_int_equal(PARSE(&c, "rollback", "-Profiles", "A", "B"), RP_OK);
	assert_int_equal(c.mode, CFG_MODE_ROLLBACK);
	assert_int_equal(c.nprofiles, 2);
	cfg_cmdline_free(&c);
	assert_int_equal(PARSE(&c, "Rollback", "-Undo", "A"), RP_OK);
	assert_int_equal(c.mode, CFG_MODE_ROLLBACK);
	cfg_cmdline_free(&c);
	assert_int_equal(PARSE(&c, "rollback"), RP_OK);
	assert_true(c.all_profiles);
	cfg_cmdline_free(&c);
	assert_int_equal(PARSE(&c, "cleanup", "-Cleanup"), RP_OK);
	assert_int_equal(c.mode, CFG_MODE_CLEANUP);
	cfg_cmdline_free(&c);
	assert_string_equal(cfg_mode_name(CFG_MODE_ROLLBACK), "rollback");
}

static void test_help(void **state)
{
	(void)state;
	cfg_cmdline c;
	const char *forms[] = {"-?", "/?", "--help", "-h", "-HELP"};
	size_t i;
	for (i = 0; i < 5; i++) {
		char *argv[] = {"-Profiles", "X", (char *)forms[i], "-bogus"};
		assert_int_equal(cfg_cmdline_parse(4, argv, &c), RP_OK);
		assert_true(c.help);
		cfg_cmdline_free(&c);
	}
}

static void test_errors(void **state)
{
	(void)state;
	ERR("unknown switch '-Profile' (see -?)", "-Profile", "X");
	ERR("unknown switch '--verbose' (see -?)", "--verbose");
	ERR("-Profiles needs at least one profile name", "-Profiles");
	ERR("-Profiles needs at least one profile name", "-Profiles", "-Log", "x");
	ERR("-Undo needs at least one profile name (use -UndoAll for all)", "-Undo");
	ERR("-Log needs a value", "-Log");
	ERR("-Profiles needs at least one profile name", "-Profiles", "--");
	ERR("-INI needs a non-empty value", "-INI", "");
	ERR("-MaxLocalDumps abc: not a whole number from 0 to 1000", "-MaxLocalDumps",
	    "abc");
	ERR("-MaxLocalDumps 5000: not a whole number from 0 to 1000", "-MaxLocalDumps",
	    "5000");
	ERR("--lock-wait -1: not a whole number from 0 to 3600", "--lock-wait=-1");
	ERR("--lock-wait 3601: not a whole number from 0 to 3600", "--lock-wait", "3601");
	ERR("-Cleanup cannot be combined with a rollback switch", "-Undo", "A",
	    "-Cleanup");
	ERR("-Undo cannot be used with 'update'", "update", "-Undo", "A");
	ERR("-Cleanup cannot be used with 'rollback'", "rollback", "-Cleanup");
	ERR("-UndoAll cannot be combined with profile names or -UndoDefaultProfile",
	    "-UndoAll", "-Undo", "A");
	ERR("-Profiles cannot be combined with -Undo (list the profiles after -Undo)",
	    "-Profiles", "A", "-Undo", "B");
	ERR("-Profiles cannot be used with 'cleanup'", "cleanup", "-Profiles", "A");
	ERR("-Cleanup cleans every profile; it takes no profile names", "-Cleanup",
	    "-DefaultProfile");
	ERR("--hive and --reg cannot be used together", "--hive", "a", "--reg", "b");
	ERR("--user-dir goes with --reg (a hive's user folder is its own folder; the "
	    "live registry's is the current user's)",
	    "--hive", "a", "--user-dir", "b");
	ERR("unexpected argument 'Outlook' (profile names follow -Profiles or -Undo)",
	    "-LogWriteDirectly", "Outlook");
	ERR("unexpected argument 'Outlook' (profile names follow -Profiles or -Undo)",
	    "-Log", "x.log", "Outlook");
	ERR("-ini given twice", "-INI", "a", "-ini", "b");
	ERR("--UndoAll=1 takes no value", "--UndoAll=1");
}

static void collect(void *ud, const char *name, const char *capability)
{
	char *buf = ud;
	strcat(buf, name);
	strcat(buf, "(");
	strcat(buf, capability);
	strcat(buf, ") ");
}

static void test_pending(void **state)
{
	(void)state;
	cfg_cmdline c;
	char buf[512] = "";
	assert_int_equal(PARSE(&c, "-MaxLocalDumps", "10", "-NameTrgStoreAsSrc",
			       "-LeaveTemporaryProfile", "-MoveDumpsToRemote",
			       "--dry-run"),
			 RP_OK);
	cfg_cmdline_foreach_pending(&c, collect, buf);
	/* -MaxLocalDumps, -NameTrgStoreAsSrc and -LeaveTemporaryProfile are
	 * implemented. */
	assert_string_equal(buf, "-MoveDumpsToRemote(crash dumps) ");
	cfg_cmdline_free(&c);
	buf[0] = '\0';
	assert_int_equal(PARSE(&c, "-Profiles", "A"), RP_OK);
	cfg_cmdline_foreach_pending(&c, collect, buf);
	assert_string_equal(buf, "");
	cfg_cmdline_free(&c);
}

static void test_usage(void **state)
{
	(void)state;
	static const char *const guide[] = {"-Profiles",
					    "-Undo",
					    "-UndoAll",
					    "-DefaultProfile",
					    "-LeaveTemporaryProfile",
					    "-UndoDefaultProfile",
					    "-Log",
					    "-MoveDumpsToRemote",
					    "-MaxLocalDumps",
					    "-LogWriteDirectly",
					    "-Cleanup",
					    "-INI",
					    "-DoNotModifyExcludeSCPLookup",
					    "-NameTrgStoreAsSrc",
					    "-SkipAutodiscoverChecking",
					    "-?",
					    "-DisableLogonThroughOutlook",
					    "--hive",
					    "--reg",
					    "--dry-run"};
	char buf[8192];
	size_t n, i;
	FILE *f = tmpfile();
	assert_non_null(f);
	cfg_usage(f);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	for (i = 0; i < sizeof(guide) / sizeof(*guide); i++)
		if (!strstr(buf, guide[i]))
			fail_msg("usage lacks %s", guide[i]);
	assert_string_equal(cfg_default_ini_names[0], "reprofile.ini");
	assert_string_equal(cfg_default_ini_names[1], "CPUU.ini");
	assert_null(cfg_default_ini_names[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_guide_update_forms),
	    cmocka_unit_test(test_every_flag),
	    cmocka_unit_test(test_case_and_prefix),
	    cmocka_unit_test(test_rollback_and_cleanup),
	    cmocka_unit_test(test_subcommands),
	    cmocka_unit_test(test_help),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_usage),
	    cmocka_unit_test(test_pending),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
