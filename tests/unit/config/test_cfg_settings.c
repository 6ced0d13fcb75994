/* Unit tests for the settings model: every parameter from fixture INIs,
 * defaults from the guide, and every rejection (tests/fixtures/bad/config). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "config/cfg_codes.h"
#include "config/cfg_settings.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIX RP_SOURCE_DIR "/tests/fixtures/config/"
#define BAD RP_SOURCE_DIR "/tests/fixtures/bad/config/"
#define FB(f) CFG_FEATURE_BIT(CFG_F_##f)

static int from_text(const char *text, cfg_settings *s)
{
	cfg_ini *ini = NULL;
	int rc = cfg_ini_parse("t.ini", (const uint8_t *)text, strlen(text), NULL, &ini);
	if (rc != RP_OK)
		return rc;
	rc = cfg_settings_from_ini(ini, s);
	cfg_ini_free(ini);
	return rc;
}

static void test_defaults(void **state)
{
	(void)state;
	cfg_settings s;
	assert_int_equal(cfg_settings_defaults(&s, NULL), RP_OK);
	assert_int_equal(s.features, CFG_FEATURES_ALL);
	assert_int_equal(s.skip, 0);
	/* Guide: WatchDog starts by default, Attempt 3 times, AskSourceCredentialsOnly 0,
	 * UseLocalAutodiscoverXMLs 0, AuthorityURL / ResourceURL defaults. */
	assert_true(s.watchdog);
	assert_int_equal(s.attempt, 3);
	assert_false(s.ask_source_credentials_only);
	assert_false(s.use_local_autodiscover_xmls);
	assert_string_equal(s.authority_url, "https://login.microsoftonline.com/common");
	assert_string_equal(s.resource_url, "https://outlook.office365.com");
	assert_int_equal(s.stop_processes.n, 5);
	assert_string_equal(s.stop_processes.v[1], "Outlook.exe");
	assert_string_equal(s.stop_processes.v[4], "GoogleCalendarSync.exe");
	assert_string_equal(s.local_autodiscover_xml_path, ".");
	/* Guide: the default subject; Profile=default is "the default value". */
	assert_string_equal(s.notify.subject, "%R: Profile %P on computer %H");
	assert_int_equal(s.notify.profile, CFG_NOTIFY_DEFAULT);
	assert_int_equal(s.notify.priority, CFG_PRIO_NORMAL);
	assert_false(s.notify.enabled);
	assert_null(s.admin);
	assert_null(s.switch_list);
	cfg_settings_free(&s);
}

static void test_guide_ini(void **state)
{
	(void)state;
	cfg_settings s;
	assert_int_equal(cfg_settings_load(FIX "cpuu-guide.ini", &s), RP_OK);
	/* "Features= Delegates Rules" of the guide's recommended values. */
	assert_int_equal(s.features, FB(DELEGATES) | FB(RULES));
	assert_true(s.set[CFG_P_FEATURES]);
	assert_false(s.set[CFG_P_SKIP]);
	assert_true(s.silent);
	assert_true(s.remove_nicks);
	assert_int_equal(s.processed_domains.n, 2);
	assert_string_equal(s.processed_domains.v[1], "target.local");
	assert_true(s.notify.enabled);
	assert_int_equal(s.notify.smtp.n, 2);
	assert_string_equal(s.notify.smtp.v[0], "address1@domain.com");
	assert_string_equal(s.notify.smtp.v[1], "address2@domain.com");
	assert_int_equal(s.notify.priority, CFG_PRIO_NORMAL);
	assert_int_equal(s.notify.attach, CFG_ATTACH_STATISTICS);
	assert_int_equal(s.notify.when, CFG_NOTIFY_FAIL);
	assert_int_equal(s.notify.profile, CFG_NOTIFY_CURRENT);
	assert_string_equal(s.notify.subject, "%R: Profile %P on computer %H");
	assert_non_null(strstr(s.notify.body,
			       "(CPUU), and was %R. The profile was processed "
			       "at %T, %D."));
	assert_string_equal(s.ini_dir, RP_SOURCE_DIR "/tests/fixtures/config");
	assert_int_equal(s.nwarn, 0);
	cfg_settings_free(&s);
}

static void test_all_params(void **state)
{
	(void)state;
	cfg_settings s;
	int i;
	assert_int_equal(cfg_settings_load(FIX "all-params.ini", &s), RP_OK);
	assert_string_equal(s.admin, "SOURCE\\svc-cpuu");
	assert_string_equal(s.password, "0A1B2C3D4E");
	assert_string_equal(s.admin_trg, "svc@target.onmicrosoft.com");
	assert_string_equal(s.password_trg, "5F6A7B");
	assert_true(s.ask_credentials);
	assert_true(s.ask_source_credentials_only);
	assert_false(s.allow_all_services);
	assert_int_equal(s.allow_services.n, 2);
	assert_string_equal(s.allow_services.v[0], "LSMTP");
	assert_string_equal(s.allow_services.v[1], "MSPST AB");
	assert_int_equal(s.skip, FB(NICKS) | FB(PUBLICFAV));
	assert_int_equal(s.features, CFG_FEATURES_ALL & ~(FB(NICKS) | FB(PUBLICFAV)));
	assert_int_equal(s.critical, CFG_CRIT_ACTIVITIES | FB(RULES) | FB(CONTAB));
	assert_true(s.remove_nicks);
	assert_true(s.remove_junk_email);
	assert_true(s.process_offline);
	assert_true(s.keep_ost);
	assert_true(s.backup_ost);
	assert_true(s.create_reg_for_ost);
	assert_true(s.use_target_ost);
	assert_true(s.silent);
	assert_false(s.watchdog);
	/* The given list, plus Outlook.exe which is always stopped. */
	assert_int_equal(s.stop_processes.n, 3);
	assert_string_equal(s.stop_processes.v[0], "lync.exe");
	assert_string_equal(s.stop_processes.v[1], "Teams.exe");
	assert_string_equal(s.stop_processes.v[2], "Outlook.exe");
	assert_int_equal(s.attempt, 5);
	assert_int_equal(s.open_store_wait, 60);
	assert_int_equal(s.feature_wait, 120);
	assert_int_equal(s.global_wait, 3600);
	assert_int_equal(s.processed_domains.n, 2);
	assert_string_equal(s.processed_domains.v[0], "contoso.com");
	assert_true(s.use_local_autodiscover_xmls);
	assert_string_equal(s.autodiscover_source_url,
			    "https://mail.source.local/autodiscover/autodiscover.xml");
	assert_string_equal(
	    s.autodiscover_target_url,
	    "https://autodiscover.target.com/autodiscover/autodiscover.xml");
	assert_string_equal(s.authority_url,
			    "https://login.microsoftonline.com/tenant.onmicrosoft.com");
	assert_string_equal(s.resource_url, "https://outlook.office.de");
	/* Relative paths are taken from the INI's folder. */
	assert_string_equal(s.switch_list, FIX "switchlist-good.csv");
	assert_string_equal(s.local_autodiscover_xml_path, FIX "adxml");
	assert_int_equal(s.autodiscover_exclude, CFG_ADX_SRV | CFG_ADX_HTTPREDIRECT);
	assert_int_equal(s.n_switch_sources, 3);
	assert_int_equal(s.switch_sources[0], CFG_SWS_AUTODISCOVER);
	assert_int_equal(s.switch_sources[1], CFG_SWS_LIST);
	assert_int_equal(s.switch_sources[2], CFG_SWS_MESSAGE);
	/* [Directory] is known: kept as written, no "unknown section" warning. */
	assert_int_equal(s.n_directory, 4);
	assert_string_equal(s.directory[2].key, "DirectoryAttribute");
	assert_string_equal(s.directory[2].value, "extensionAttribute10");
	for (i = 0; i < (int)s.nwarn; i++)
		assert_null(strstr(s.warnings[i], "[Directory]"));
	assert_string_equal(s.ca_file, FIX "certs/private-ca.pem");
	assert_string_equal(s.oauth_client_id, "11111111-2222-3333-4444-555555555555");
	assert_true(s.notify.enabled);
	assert_string_equal(s.notify.smtp.v[0], "helpdesk@contoso.com");
	assert_int_equal(s.notify.priority, CFG_PRIO_HIGH);
	assert_int_equal(s.notify.attach, CFG_ATTACH_ALL);
	assert_int_equal(s.notify.when, CFG_NOTIFY_SUCCESS);
	assert_int_equal(s.notify.profile, CFG_NOTIFY_DEFAULT);
	assert_string_equal(s.notify.subject, "reprofile %r on %h (100%%)");
	assert_string_equal(s.notify.body, "Profile %p of %u: %R at %t %d");
	/* Every parameter of the table is set by this fixture, except Features,
	 * which cannot go with Skip (cpuu-guide.ini covers it). */
	for (i = 0; i < CFG_P_COUNT; i++)
		if (!s.set[i] && i != CFG_P_FEATURES)
			fail_msg("%s not set by all-params.ini",
				 cfg_param_table()[i].name);
	assert_int_equal(s.line[CFG_P_ADMIN], 3);
	cfg_settings_free(&s);
}

static void test_encodings(void **state)
{
	(void)state;
	cfg_settings s;
	assert_int_equal(cfg_settings_load(FIX "utf16le-bom.ini", &s), RP_OK);
	assert_int_equal(s.skip, FB(NICKS));
	assert_string_equal(s.processed_domains.v[0], "m\xC3\xBCller.example.com");
	assert_string_equal(s.notify.smtp.v[0], "j\xC3\xBCrgen@example.com");
	assert_string_equal(s.notify.subject, "Profil %P mis \xC3\xA0 jour \xE2\x82\xAC");
	cfg_settings_free(&s);
	assert_int_equal(cfg_settings_load(FIX "ansi-1252.ini", &s), RP_OK);
	assert_string_equal(s.notify.subject, "Profil %P mis \xC3\xA0 jour \xE2\x82\xAC");
	cfg_settings_free(&s);
}

static void test_forms_and_warnings(void **state)
{
	(void)state;
	cfg_settings s;
	/* "Remove Nicks" (the guide's table notation), a lone boolean name, an empty
	 * Features (= all, so no conflict with Skip), Skip=All, [Notification]. */
	assert_int_equal(from_text("[PARAMETERS]\nRemove Nicks\nsilent\nFeatures=\n"
				   "Skip=all\nWatchDog=off\nAllowAdditionalServices=ALL\n"
				   "[Notification]\nSMTPAddress=a@b.com\n[Extra]\nx=1\n",
				   &s),
			 RP_OK);
	assert_true(s.remove_nicks);
	assert_true(s.silent);
	assert_false(s.watchdog);
	assert_false(s.set[CFG_P_FEATURES]);
	assert_int_equal(s.skip, CFG_FEATURES_ALL);
	assert_int_equal(s.features, 0);
	assert_true(s.allow_all_services);
	assert_int_equal(s.allow_services.n, 0);
	assert_true(s.notify.enabled);
	assert_int_equal(s.nwarn, 3);
	assert_string_equal(s.warnings[0],
			    "t.ini:2: [PARAMETERS] 'Remove Nicks' read as Remove=Nicks");
	assert_string_equal(s.warnings[1],
			    "t.ini:3: [PARAMETERS] 'silent' read as Silent=1");
	assert_string_equal(s.warnings[2], "t.ini:10: [Extra]: unknown section, ignored");
	cfg_settings_free(&s);
	/* Duplicate: the first value is used, a warning is kept. */
	assert_int_equal(
	    from_text("[Parameters]\nAttempt=4\nAttempt=9\nAskSourceCredentialsOnly=1\n",
		      &s),
	    RP_OK);
	assert_int_equal(s.attempt, 4);
	assert_int_equal(s.nwarn, 2);
	assert_string_equal(
	    s.warnings[0],
	    "t.ini:3: [Parameters] Attempt repeated; the value of line 2 is used");
	assert_string_equal(s.warnings[1],
			    "t.ini:4: [Parameters] AskSourceCredentialsOnly=1 has no "
			    "effect without AskCredentials=1");
	cfg_settings_free(&s);
}

static void collect(void *ud, const cfg_param_info *p, int line)
{
	char *buf = ud;
	char item[64];
	snprintf(item, sizeof(item), "%s@%d ", p->name, line);
	strcat(buf, item);
}

static void test_pending(void **state)
{
	(void)state;
	cfg_settings s;
	char buf[256] = "";
	assert_int_equal(
	    from_text(
		"[Parameters]\nSilent=1\nKeepOST=1\nWatchDog=0\n[Admin notification]\n"
		"Priority=low\n",
		&s),
	    RP_OK);
	cfg_settings_foreach_pending(&s, collect, buf);
	/* Silent (reprofile never shows dialogs) and KeepOST (switch engine)
	 * are implemented; the watchdog and notifications not yet. */
	assert_string_equal(buf, "WatchDog@4 Priority@6 ");
	assert_true(cfg_settings_given(&s, CFG_P_SILENT));
	assert_false(cfg_settings_given(&s, CFG_P_ADMIN));
	cfg_settings_free(&s);
}

static void test_table(void **state)
{
	(void)state;
	const cfg_param_info *t = cfg_param_table();
	int i;
	for (i = 0; i < CFG_P_COUNT; i++) {
		assert_int_equal(t[i].id, i);
		assert_ptr_equal(cfg_param_find(t[i].section, t[i].name), &t[i]);
	}
	assert_ptr_equal(cfg_param_find("parameters", "processeddomainsfqdns"),
			 &t[CFG_P_PROCESSEDDOMAINSFQDNS]);
	assert_ptr_equal(cfg_param_find("Notification", "attach log"),
			 &t[CFG_P_ATTACHLOG]);
	assert_null(cfg_param_find("Parameters", "Subject"));
	assert_null(cfg_param_find("Other", "Silent"));
	/* The 20 INI names of the guide's feature table, in order. */
	assert_string_equal(cfg_feature_name(CFG_F_ADDBOXES), "AddBoxes");
	assert_string_equal(cfg_feature_name(CFG_F_MOVETOFOLDER), "MoveToFolder");
	assert_string_equal(cfg_feature_name(CFG_F_JOURNAL), "Journal");
	assert_int_equal(CFG_F_COUNT, 20);
	assert_int_equal(cfg_feature_from_name("contactmembers"), CFG_F_CONTACTMEMBERS);
	assert_int_equal(cfg_feature_from_name("Activities"), -1);
	assert_null(cfg_feature_name(CFG_F_COUNT));
}

static void test_bool_and_list_helpers(void **state)
{
	(void)state;
	bool b;
	cfg_strlist l;
	assert_int_equal(cfg_parse_bool("ON", &b), RP_OK);
	assert_true(b);
	assert_int_equal(cfg_parse_bool("False", &b), RP_OK);
	assert_false(b);
	assert_int_equal(cfg_parse_bool("2", &b), RP_EINVAL);
	assert_int_equal(cfg_split_list("  a\t\"b c\"  d ", &l), RP_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[1], "b c");
	cfg_strlist_free(&l);
	assert_true(cfg_is_smtp_address("a.b@c-d.example"));
	assert_false(cfg_is_smtp_address("a b@c.com"));
	assert_false(cfg_is_smtp_address("a@b@c.com"));
	assert_false(cfg_is_smtp_address("a@localhost"));
}

/* "; check: N: text": a problem a run only warns about (an unknown key: an
 * INI of the original wizard may carry some) and check-ini reports. */
static void expect_check_only(const char *path, const char *want)
{
	cfg_settings s;
	size_t i;
	bool warned = false;
	assert_int_equal(cfg_settings_load(path, &s), RP_OK);
	for (i = 0; i < s.nwarn; i++)
		warned |= strncmp(s.warnings[i], want, strlen(want)) == 0 &&
			  strstr(s.warnings[i], ", ignored") != NULL;
	if (!warned)
		fail_msg("%s: no warning '%s'", path, want);
	cfg_settings_free(&s);
	assert_int_equal(cfg_settings_check(path, &s), RP_OK);
	assert_int_equal(s.nerr, 1);
	if (strncmp(s.errors[0], want, strlen(want)) != 0)
		fail_msg("%s:\n got  %s\n want %s", path, s.errors[0], want);
	cfg_settings_free(&s);
}

/* Each file in tests/fixtures/bad/config starts with "; expect: N: text":
 * loading must fail with exactly "FILE:N: text..." and the exit bit of a
 * configuration error is CPUU_GLOBAL_ERR; check-ini reports the same. */
static void test_bad_fixtures(void **state)
{
	(void)state;
	DIR *d = opendir(BAD);
	struct dirent *de;
	int count = 0;
	assert_non_null(d);
	while ((de = readdir(d))) {
		char path[512], first[512], want[1024];
		FILE *f;
		cfg_settings s;
		int rc;
		if (!strstr(de->d_name, ".ini"))
			continue;
		snprintf(path, sizeof(path), "%s%s", BAD, de->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_non_null(fgets(first, sizeof(first), f));
		fclose(f);
		first[strcspn(first, "\r\n")] = '\0';
		if (strncmp(first, "; check: ", 9) == 0) {
			snprintf(want, sizeof(want), "%s:%s", path, first + 9);
			expect_check_only(path, want);
			count++;
			continue;
		}
		assert_int_equal(strncmp(first, "; expect: ", 10), 0);
		snprintf(want, sizeof(want), "%s:%s", path, first + 10);
		/* check-ini goes on after the problem, and reports it. */
		if (cfg_settings_check(path, &s) == RP_OK) {
			if (s.nerr == 0 || strncmp(s.errors[0], want, strlen(want)) != 0)
				fail_msg("check-ini %s: %zu errors, first '%s'",
					 de->d_name, s.nerr, s.nerr ? s.errors[0] : "");
			cfg_settings_free(&s);
		}
		rc = cfg_settings_load(path, &s);
		if (rc == RP_OK)
			fail_msg("%s was accepted", de->d_name);
		if (strncmp(rp_error_msg(), want, strlen(want)) != 0)
			fail_msg("%s:\n got  %s\n want %s", de->d_name, rp_error_msg(),
				 want);
		assert_null(strchr(rp_error_msg(), '\n'));
		cfg_settings_free(&s);
		count++;
	}
	closedir(d);
	assert_true(count >= 20);
	assert_int_equal(CFG_EXIT_CONFIG_ERROR, CPUU_GLOBAL_ERR);
}

static void test_missing_file(void **state)
{
	(void)state;
	cfg_settings s;
	assert_int_equal(cfg_settings_load(FIX "nope.ini", &s), RP_ENOTFOUND);
	assert_non_null(strstr(rp_error_msg(), "nope.ini"));
	cfg_settings_free(&s);
}

static void test_load_for(void **state)
{
	(void)state;
	cfg_settings s;
	/* The fixture folder has neither reprofile.ini nor CPUU.ini. */
	assert_int_equal(cfg_settings_load_for(NULL, FIX "..", &s), RP_OK);
	assert_null(s.ini_path);
	assert_int_equal(s.nwarn, 1);
	assert_string_equal(s.warnings[0], "no reprofile.ini or CPUU.ini in " FIX
					   "..: default settings used");
	cfg_settings_free(&s);
	assert_int_equal(cfg_settings_load_for(FIX "cpuu-guide.ini", FIX "..", &s),
			 RP_OK);
	assert_true(s.silent);
	cfg_settings_free(&s);
	assert_int_equal(cfg_settings_load_for(FIX "missing.ini", NULL, &s),
			 RP_ENOTFOUND);
	cfg_settings_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_guide_ini),
	    cmocka_unit_test(test_all_params),
	    cmocka_unit_test(test_encodings),
	    cmocka_unit_test(test_forms_and_warnings),
	    cmocka_unit_test(test_pending),
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_bool_and_list_helpers),
	    cmocka_unit_test(test_bad_fixtures),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_load_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
