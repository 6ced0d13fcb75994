/* Unit tests for protected passwords (cfg_secret.h over plat_secret.h):
 * round trips in the three modes, the text format, and the failures an
 * administrator meets (another host, another user, a changed mode word, a
 * damaged or foreign value). Natively "another host" is a second machine-id
 * file (REPROFILE_MACHINE_ID_FILE) and "another user" a second per-user key
 * folder (XDG_CONFIG_HOME); the Windows build runs the same round trips over
 * DPAPI under Wine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "config/cfg_secret.h"
#include "platform/plat.h"
#include "platform/plat_secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmp[512];

static void write_file(const char *path, const char *text)
{
	FILE *f = plat_fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A private machine id and per-user key folder (used natively only). */
static void use_host(const char *id, const char *user_dir)
{
	char p[600], d[600];
	snprintf(p, sizeof(p), "%s/%s.id", tmp, id);
	write_file(p, id);
	assert_int_equal(plat_setenv("REPROFILE_MACHINE_ID_FILE", p), RP_OK);
	snprintf(d, sizeof(d), "%s/%s", tmp, user_dir);
	assert_int_equal(plat_setenv("XDG_CONFIG_HOME", d), RP_OK);
}

static int setup(void **state)
{
	char *t = plat_tempdir();
	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/rp-secret-%ld", t ? t : ".", (long)plat_now());
	free(t);
	assert_int_equal(plat_mkdir_p(tmp), RP_OK);
	use_host("0123456789abcdef0123456789abcdef", "alice");
	return 0;
}

static void roundtrip(enum cfg_secret_mode m, const char *pw)
{
	char *v = NULL, *back = NULL, prefix[32];
	enum cfg_secret_mode got = (enum cfg_secret_mode) - 1;
	assert_int_equal(cfg_secret_protect(m, pw, &v), RP_OK);
	snprintf(prefix, sizeof(prefix), "rp1:%s:", cfg_secret_mode_name(m));
	assert_memory_equal(v, prefix, strlen(prefix));
	/* The password never shows in the value. */
	assert_null(strstr(v, pw));
	assert_int_equal(cfg_secret_reveal(v, &back, &got), RP_OK);
	assert_string_equal(back, pw);
	assert_int_equal(got, m);
	cfg_secret_free(back);
	free(v);
}

static void test_roundtrip(void **state)
{
	(void)state;
	roundtrip(CFG_SECRET_USER, "P@ssw0rd");
	roundtrip(CFG_SECRET_HOST, "P@ssw0rd");
	roundtrip(CFG_SECRET_UNRESTRICTED, "P@ssw0rd");
	/* UTF-8 and spaces survive. */
	roundtrip(CFG_SECRET_HOST, "p\xc3\xa4ss w\xc3\xb6rd \xe2\x82\xac");
}

static void test_random_nonce(void **state)
{
	char *a = NULL, *b = NULL;
	(void)state;
	/* Two protections of one password differ (fresh nonce each time). */
	assert_int_equal(cfg_secret_protect(CFG_SECRET_UNRESTRICTED, "x", &a), RP_OK);
	assert_int_equal(cfg_secret_protect(CFG_SECRET_UNRESTRICTED, "x", &b), RP_OK);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

static void expect_reveal(const char *v, int rc, const char *msg_part)
{
	char *p = NULL;
	assert_int_equal(cfg_secret_reveal(v, &p, NULL), rc);
	assert_null(p);
	if (msg_part && !strstr(rp_error_msg(), msg_part))
		fail_msg("message '%s' lacks '%s'", rp_error_msg(), msg_part);
	/* One line, and no value text in it. */
	assert_null(strchr(rp_error_msg(), '\n'));
}

static void test_format_errors(void **state)
{
	char *v = NULL;
	(void)state;
	expect_reveal("secret", RP_EFORMAT, "expected rp1:MODE:HEX");
	/* The original wizard's form: said so, and how to replace it. */
	expect_reveal("7F3A62CD00FC1DDDCD", RP_EFORMAT,
		      "18 hexadecimal digits, the form of a password encrypted by the "
		      "original CPUU configuration wizard, whose format is not public");
	expect_reveal("7F3A62CD00FC1DDDCD", RP_EFORMAT, "reprofile protect-password");
	expect_reveal("rp2:host:00", RP_EFORMAT, "expected rp1:MODE:HEX");
	expect_reveal("rp1:machine:00", RP_EFORMAT, "unknown mode");
	expect_reveal("rp1:host", RP_EFORMAT, "unknown mode");
	expect_reveal("rp1:host:zz", RP_EFORMAT, "not hex");
	expect_reveal("rp1:host:", RP_EFORMAT, "not hex");
	/* Too short for nonce and tag: reported as not decryptable. */
	expect_reveal("rp1:unrestricted:0011", RP_EAUTH, "cannot be decrypted here");
	assert_int_equal(cfg_secret_protect(CFG_SECRET_HOST, "", &v), RP_EINVAL);
	assert_null(v);
}

/* Flipping one hex digit in the middle breaks the tag. */
static void test_damaged(void **state)
{
	enum cfg_secret_mode m;
	(void)state;
	for (m = CFG_SECRET_USER; m <= CFG_SECRET_UNRESTRICTED; m++) {
		char *v = NULL;
		size_t k;
		assert_int_equal(cfg_secret_protect(m, "damaged?", &v), RP_OK);
		k = strlen(v) - 10;
		v[k] = v[k] == '0' ? '1' : '0';
		expect_reveal(v, RP_EAUTH, "or it is damaged");
		free(v);
	}
}

/* The mode word is bound to the data: relabelling a value fails. */
static void test_mode_word_bound(void **state)
{
	char *v = NULL, *w;
	(void)state;
	assert_int_equal(cfg_secret_protect(CFG_SECRET_UNRESTRICTED, "pw", &v), RP_OK);
	w = malloc(strlen(v) + 1);
	assert_non_null(w);
	sprintf(w, "rp1:host:%s", v + strlen("rp1:unrestricted:"));
	expect_reveal(w, RP_EAUTH, "(mode host) cannot be decrypted here");
	free(w);
	free(v);
}

#ifndef _WIN32
/* Natively: another machine id refuses user and host values, another user
 * key refuses user values; unrestricted opens everywhere. */
static void test_other_host_and_user(void **state)
{
	char *u = NULL, *h = NULL, *a = NULL, *p = NULL;
	(void)state;
	use_host("0123456789abcdef0123456789abcdef", "alice");
	assert_int_equal(cfg_secret_protect(CFG_SECRET_USER, "pw1", &u), RP_OK);
	assert_int_equal(cfg_secret_protect(CFG_SECRET_HOST, "pw2", &h), RP_OK);
	assert_int_equal(cfg_secret_protect(CFG_SECRET_UNRESTRICTED, "pw3", &a), RP_OK);

	use_host("fedcba9876543210fedcba9876543210", "alice");
	expect_reveal(u, RP_EAUTH, "by another user or on another host");
	expect_reveal(h, RP_EAUTH,
		      "(mode host) cannot be decrypted here: it was "
		      "protected on another host");
	assert_int_equal(cfg_secret_reveal(a, &p, NULL), RP_OK);
	assert_string_equal(p, "pw3");
	cfg_secret_free(p);

	/* Same host, another user (no key file yet, then a different one). */
	use_host("0123456789abcdef0123456789abcdef", "bob");
	expect_reveal(u, RP_EAUTH, "cannot read the per-user key");
	assert_int_equal(cfg_secret_reveal(h, &p, NULL), RP_OK);
	assert_string_equal(p, "pw2");
	cfg_secret_free(p);
	{
		char *bob = NULL;
		assert_int_equal(cfg_secret_protect(CFG_SECRET_USER, "b", &bob), RP_OK);
		free(bob);
	}
	expect_reveal(u, RP_EAUTH, "by another user or on another host");

	/* No machine id at all: a clear refusal, not a weak key. */
	{
		char p2[600];
		snprintf(p2, sizeof(p2), "%s/missing.id", tmp);
		assert_int_equal(plat_setenv("REPROFILE_MACHINE_ID_FILE", p2), RP_OK);
		expect_reveal(h, RP_EUNSUPPORTED, "no machine id");
	}
	use_host("0123456789abcdef0123456789abcdef", "alice");
	assert_int_equal(cfg_secret_reveal(u, &p, NULL), RP_OK);
	assert_string_equal(p, "pw1");
	cfg_secret_free(p);
	free(u);
	free(h);
	free(a);
}
#endif

/* The unrestricted blob is AES-256-GCM with the documented key: the layout
 * is nonce(12) | cipher text | tag(16), so the cipher text is as long as the
 * password (an independent decryption is in tests/unit/config/secret_cli.sh). */
static void test_unrestricted_layout(void **state)
{
	char *v = NULL;
	(void)state;
	assert_int_equal(cfg_secret_protect(CFG_SECRET_UNRESTRICTED, "12345", &v), RP_OK);
	assert_int_equal(strlen(v) - strlen("rp1:unrestricted:"), 2 * (12 + 5 + 16));
	free(v);
}

static void test_mode_names(void **state)
{
	(void)state;
	assert_int_equal(cfg_secret_mode_from_name("USER"), CFG_SECRET_USER);
	assert_int_equal(cfg_secret_mode_from_name("host"), CFG_SECRET_HOST);
	assert_int_equal(cfg_secret_mode_from_name("unrestricted"),
			 CFG_SECRET_UNRESTRICTED);
	assert_int_equal(cfg_secret_mode_from_name("machine"), -1);
	assert_string_equal(cfg_secret_mode_name(CFG_SECRET_HOST), "host");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_random_nonce),
	    cmocka_unit_test(test_format_errors),
	    cmocka_unit_test(test_damaged),
	    cmocka_unit_test(test_mode_word_bound),
#ifndef _WIN32
	    cmocka_unit_test(test_other_host_and_user),
#endif
	    cmocka_unit_test(test_unrestricted_layout),
	    cmocka_unit_test(test_mode_names),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
