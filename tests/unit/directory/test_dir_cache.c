/* Unit tests for the resolver's cache and batching, over a counting fake
 * backend (the vtable of dir_impl.h), so every round trip is visible. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/rp_err.h"
#include "directory/dir.h"
#include "directory/dir_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake {
	int calls;
	size_t sizes[32];
	int fail_next;
};

/* Knows every key whose value contains "found"; answers with its upper-case
 * form as the target SMTP so a test can see which key produced which row. */
static int fake_resolve(dir_resolver *r, const dir_source_key *keys, size_t n,
			dir_recipient *out, int *status)
{
	struct fake *f = r->impl;
	size_t i;
	if (f->fail_next) {
		f->fail_next = 0;
		return rp_error_set(RP_ENET, "fake: down");
	}
	f->sizes[f->calls++ % 32] = n;
	r->stats.searches++;
	for (i = 0; i < n; i++) {
		if (!strstr(keys[i].value, "found")) {
			status[i] = RP_ENOTFOUND;
			continue;
		}
		char up[128];
		size_t k;
		for (k = 0; keys[i].value[k] && k < sizeof(up) - 1; k++)
			up[k] = (char)(keys[i].value[k] >= 'a' && keys[i].value[k] <= 'z'
					   ? keys[i].value[k] - 32
					   : keys[i].value[k]);
		up[k] = 0;
		memset(&out[i], 0, sizeof(out[i]));
		out[i].smtp = dir_keep(r, up, (size_t)-1);
		out[i].kind = DIR_KIND_MAILBOX;
		status[i] = RP_OK;
	}
	return RP_OK;
}

static void fake_close(void *impl)
{
	(void)impl;
}

static const struct dir_backend fake_backend = {
    .name = "fake", .resolve = fake_resolve, .scp_urls = NULL, .close = fake_close};

static dir_resolver *open_fake(struct fake *f, int batch)
{
	dir_resolver *r;
	memset(f, 0, sizeof(*f));
	assert_int_equal(dir_resolver_new(&fake_backend, f, batch, &r), RP_OK);
	return r;
}

static void test_second_lookup_is_cached(void **state)
{
	struct fake f;
	dir_resolver *r = open_fake(&f, 0);
	dir_source_key k1 = {DIR_KEY_SMTP, "found1@s.example"};
	dir_source_key k1b = {DIR_KEY_SMTP, "FOUND1@S.Example"};
	dir_source_key kn = {DIR_KEY_SMTP, "missing@s.example"};
	dir_source_key kl = {DIR_KEY_LEGACY_DN, "found1@s.example"};
	dir_recipient a, b;
	dir_stats st;
	(void)state;

	assert_int_equal(dir_lookup(r, &k1, &a), RP_OK);
	assert_string_equal(a.smtp, "FOUND1@S.EXAMPLE");
	assert_int_equal(f.calls, 1);
	/* same key in another case: from the cache, the very same strings */
	assert_int_equal(dir_lookup(r, &k1b, &b), RP_OK);
	assert_ptr_equal(a.smtp, b.smtp);
	assert_int_equal(f.calls, 1);
	/* "not found" is cached as well */
	assert_int_equal(dir_lookup(r, &kn, &b), RP_ENOTFOUND);
	assert_int_equal(dir_lookup(r, &kn, &b), RP_ENOTFOUND);
	assert_int_equal(f.calls, 2);
	/* the kind is part of the key */
	assert_int_equal(dir_lookup(r, &kl, &b), RP_OK);
	assert_int_equal(f.calls, 3);
	dir_get_stats(r, &st);
	assert_int_equal(st.lookups, 5);
	assert_int_equal(st.cache_hits, 2);
	assert_int_equal(st.searches, 3);
	dir_close(r);
}

static void test_batches(void **state)
{
	struct fake f;
	dir_resolver *r = open_fake(&f, 50);
	enum { N = 120 };
	char names[N][32];
	dir_source_key keys[N + 2];
	dir_recipient out[N + 2];
	int st[N + 2];
	dir_stats s;
	size_t i;
	(void)state;

	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "user%zu-found@s.example", i);
		keys[i].kind = DIR_KEY_SMTP;
		keys[i].value = names[i];
	}
	/* two repeats inside the same call are resolved once */
	keys[N] = keys[3];
	keys[N + 1] = keys[77];
	assert_int_equal(dir_lookup_many(r, keys, N + 2, out, st), RP_OK);
	/* 120 distinct keys at 50 per round trip: 50 + 50 + 20 */
	assert_int_equal(f.calls, 3);
	assert_int_equal(f.sizes[0], 50);
	assert_int_equal(f.sizes[1], 50);
	assert_int_equal(f.sizes[2], 20);
	for (i = 0; i < N + 2; i++) {
		char want[32];
		size_t k;
		assert_int_equal(st[i], RP_OK);
		for (k = 0; keys[i].value[k]; k++)
			want[k] =
			    (char)(keys[i].value[k] >= 'a' && keys[i].value[k] <= 'z'
				       ? keys[i].value[k] - 32
				       : keys[i].value[k]);
		want[k] = 0;
		assert_string_equal(out[i].smtp, want);
	}
	/* everything again: no round trip at all */
	assert_int_equal(dir_lookup_many(r, keys, N, out, st), RP_OK);
	assert_int_equal(f.calls, 3);
	dir_get_stats(r, &s);
	assert_int_equal(s.lookups, 2 * N + 2);
	assert_int_equal(s.cache_hits, N + 2);
	assert_int_equal(s.searches, 3);
	dir_close(r);
}

static void test_error_not_cached(void **state)
{
	struct fake f;
	dir_resolver *r = open_fake(&f, 0);
	dir_source_key k = {DIR_KEY_SMTP, "found@s.example"};
	dir_source_key empty = {DIR_KEY_SMTP, ""};
	dir_recipient a;
	(void)state;
	f.fail_next = 1;
	assert_int_equal(dir_lookup(r, &k, &a), RP_ENET);
	assert_string_equal(rp_error_msg(), "fake: down");
	/* the failure is not remembered: the next call asks again */
	assert_int_equal(dir_lookup(r, &k, &a), RP_OK);
	assert_int_equal(f.calls, 1);
	assert_int_equal(dir_lookup(r, &empty, &a), RP_EINVAL);
	dir_close(r);
}

static void test_csv_has_no_scp(void **state)
{
	dir_resolver *r;
	char **urls;
	size_t n;
	(void)state;
	assert_int_equal(dir_open_csv_mem("source,target_smtp\n", 19, "m.csv", &r),
			 RP_OK);
	assert_int_equal(dir_scp_urls(r, "d", NULL, &urls, &n), RP_EUNSUPPORTED);
	assert_null(urls);
	assert_int_equal(n, 0);
	dir_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_second_lookup_is_cached),
	    cmocka_unit_test(test_batches),
	    cmocka_unit_test(test_error_not_cached),
	    cmocka_unit_test(test_csv_has_no_scp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
