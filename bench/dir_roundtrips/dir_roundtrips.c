/* dir_roundtrips - directory round trips for a profile that refers to many
 * recipients: resolves every key of KEYS_FILE through dir_lookup_many (the
 * way features will), then repeats it (all cached), then resolves them one
 * search per key (batch size 1), and reports searches sent and wall time.
 *
 *   dir_roundtrips KEYS_FILE Name=Value...   (Directory* INI settings)
 *
 * bench/dir_roundtrips/run.sh loads 500 users into a private slapd and runs
 * it; run_nspi.sh does the same with DirectorySource=nspi against two
 * loopback MAPI/HTTP servers behind a delay proxy. Results are kept in
 * docs/performance.md, section "Directory". */
#include "base/rp_err.h"
#include "directory/dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	timespec_get(&ts, TIME_UTC);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* REPROFILE_CONNECT_TO (space-separated curl CONNECT_TO entries), for the
 * address-book backend behind a delay proxy (run_nspi.sh). */
static const char *const *connect_to_env(void)
{
	static const char *list[17];
	static char buf[2048];
	const char *env = getenv("REPROFILE_CONNECT_TO");
	size_t n = 0;
	if (!env)
		return NULL;
	snprintf(buf, sizeof(buf), "%s", env);
	for (char *p = strtok(buf, " "); p && n < 16; p = strtok(NULL, " "))
		list[n++] = p;
	return list;
}

static int open_resolver(int argc, char **argv, int batch, dir_resolver **r)
{
	dir_config cfg;
	int i;
	memset(&cfg, 0, sizeof(cfg));
	cfg.nspi.connect_to = connect_to_env();
	for (i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq) {
			fprintf(stderr, "dir_roundtrips: '%s' is not Name=Value\n",
				argv[i]);
			return RP_EINVAL;
		}
		*eq = '\0';
		if (dir_config_set(&cfg, argv[i], eq + 1) < 0) {
			fprintf(stderr, "dir_roundtrips: %s\n", rp_error_msg());
			*eq = '=';
			return RP_EINVAL;
		}
		*eq = '=';
	}
	if (batch)
		cfg.ldap.batch = cfg.nspi.batch = batch;
	if (dir_open(&cfg, r) < 0) {
		fprintf(stderr, "dir_roundtrips: %s\n", rp_error_msg());
		return RP_EINVAL;
	}
	return RP_OK;
}

int main(int argc, char **argv)
{
	static char lines[4096][256];
	dir_source_key keys[4096];
	dir_recipient *out;
	int *st;
	size_t n = 0, i, found = 0;
	FILE *f;
	dir_resolver *r;
	dir_stats s1, s2;
	double t0, t1, t2;

	if (argc < 3) {
		fprintf(stderr, "usage: dir_roundtrips KEYS_FILE Name=Value...\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		fprintf(stderr, "dir_roundtrips: cannot open %s\n", argv[1]);
		return 2;
	}
	while (n < 4096 && fgets(lines[n], sizeof(lines[n]), f)) {
		lines[n][strcspn(lines[n], "\r\n")] = '\0';
		if (!lines[n][0])
			continue;
		if (dir_key_parse(lines[n], &keys[n]) < 0) {
			fprintf(stderr, "dir_roundtrips: %s\n", rp_error_msg());
			fclose(f);
			return 2;
		}
		n++;
	}
	fclose(f);
	out = calloc(n, sizeof(*out));
	st = calloc(n, sizeof(*st));
	if (!out || !st)
		return 3;

	/* 1. batched, cold cache */
	if (open_resolver(argc, argv, 0, &r) < 0)
		return 2;
	t0 = now_ms();
	if (dir_lookup_many(r, keys, n, out, st) < 0) {
		fprintf(stderr, "dir_roundtrips: %s\n", rp_error_msg());
		return 3;
	}
	t1 = now_ms();
	for (i = 0; i < n; i++)
		found += st[i] == RP_OK;
	dir_get_stats(r, &s1);
	/* 2. the same keys again: the per-run cache answers */
	if (dir_lookup_many(r, keys, n, out, st) < 0)
		return 3;
	t2 = now_ms();
	dir_get_stats(r, &s2);
	printf("keys=%lu found=%lu\n", (unsigned long)n, (unsigned long)found);
	printf("batched: searches=%lu binds=%lu wall_ms=%.1f\n", s1.searches, s1.binds,
	       t1 - t0);
	printf("repeat (cached): new_searches=%lu cache_hits=%lu wall_ms=%.2f\n",
	       s2.searches - s1.searches, s2.cache_hits - s1.cache_hits, t2 - t1);
	dir_close(r);

	/* 3. naive: one key per round trip (source search + target search) */
	if (open_resolver(argc, argv, 1, &r) < 0)
		return 2;
	found = 0;
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		dir_recipient one;
		int rc = dir_lookup(r, &keys[i], &one);
		if (rc < 0 && rc != RP_ENOTFOUND) {
			fprintf(stderr, "dir_roundtrips: %s\n", rp_error_msg());
			return 3;
		}
		found += rc == RP_OK;
	}
	t1 = now_ms();
	dir_get_stats(r, &s1);
	printf("naive (one key per search): searches=%lu found=%lu wall_ms=%.1f\n",
	       s1.searches, (unsigned long)found, t1 - t0);
	dir_close(r);
	free(out);
	free(st);
	return 0;
}
