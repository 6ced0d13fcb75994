/* nicks_inproc - the in-process cost of the Nicks feature on one
 * autocomplete stream, without process start-up.
 *
 *   nicks_inproc STREAM MAP.csv RUNS
 *
 * Each run does what the feature does for one file: open the CSV recipient
 * map, read the stream, decode it, look every EX/SMTP row up in one batch,
 * rewrite the migrated rows and encode the new stream (feature_nicks_read +
 * feature_nicks_rewrite): "rewrite" is the whole, "map_open" and "read" its
 * first two parts, "rewrite_cpu" the whole in CPU time. Also timed apart:
 * decode + encode alone (the codec). Minimum, median
 * and mean in ms; peak RSS (ru_maxrss, KB) before the first run and at the end. Output:
 * "key value" lines (bench/nicks/run.sh; results in docs/performance.md, section
 * "Nicks"). */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "directory/dir.h"
#include "features/features.h"
#include "mapi/mapi_nick.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of this process: on a shared machine less disturbed by other
 * processes than the wall clock. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void die(const char *what)
{
	fprintf(stderr, "nicks_inproc: %s: %s\n", what, rp_error_msg());
	exit(2);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void stats(const char *key, double *v, int n)
{
	double sum = 0;
	int i;
	qsort(v, (size_t)n, sizeof(*v), cmp);
	for (i = 0; i < n; i++)
		sum += v[i];
	printf("%s_ms_min %.3f\n%s_ms_median %.3f\n%s_ms_mean %.3f\n", key, v[0], key,
	       v[n / 2], key, sum / n);
}

int main(int argc, char **argv)
{
	int runs, i;
	double *t_all, *t_codec, *t_map, *t_read, *c_all;
	feature_nicks_count c = {0, 0, 0};
	size_t bytes = 0, out_len = 0;

	if (argc != 4 || (runs = atoi(argv[3])) < 1) {
		fprintf(stderr, "usage: nicks_inproc STREAM MAP.csv RUNS\n");
		return 2;
	}
	t_all = calloc((size_t)runs, sizeof(double));
	t_codec = calloc((size_t)runs, sizeof(double));
	t_map = calloc((size_t)runs, sizeof(double));
	t_read = calloc((size_t)runs, sizeof(double));
	c_all = calloc((size_t)runs, sizeof(double));
	if (!t_all || !t_codec || !t_map || !t_read || !c_all)
		return 2;
	printf("rss_kb_start %ld\n", maxrss_kb());
	for (i = 0; i < runs; i++) {
		dir_resolver *map;
		uint8_t *data;
		rp_buf out = RP_BUF_INIT;
		mapi_nick s;
		double c0 = cpu_ms(), t0 = now_ms(), t1, ta, tb;

		if (dir_open_csv(argv[2], &map) != RP_OK)
			die(argv[2]);
		ta = now_ms();
		if (feature_nicks_read(argv[1], &data, &bytes) != RP_OK)
			die(argv[1]);
		tb = now_ms();
		t_map[i] = ta - t0;
		t_read[i] = tb - ta;
		if (feature_nicks_rewrite(argv[1], data, bytes, false, map, &out, &c) !=
		    RP_OK)
			die("rewrite");
		t1 = now_ms();
		t_all[i] = t1 - t0;
		c_all[i] = cpu_ms() - c0;
		out_len = out.len;
		dir_close(map);

		out.len = 0;
		t0 = now_ms();
		if (mapi_nick_decode_view(&s, data, bytes) != RP_OK ||
		    mapi_nick_encode(&s, &out))
			die("codec");
		t_codec[i] = now_ms() - t0;
		if (out.len != bytes || memcmp(out.data, data, bytes))
			die("round trip differs");
		mapi_nick_free(&s);
		rp_buf_free(&out);
		free(data);
	}
	printf(
	    "bytes_in %zu\nbytes_out %zu\nrows %zu\nrewritten %zu\nleft %zu\nruns %d\n",
	    bytes, out_len, c.rows, c.rewritten, c.left, runs);
	stats("rewrite", t_all, runs);
	stats("rewrite_cpu", c_all, runs);
	stats("map_open", t_map, runs);
	stats("read", t_read, runs);
	stats("codec", t_codec, runs);
	printf("rss_kb_end %ld\n", maxrss_kb());
	free(t_all);
	free(t_codec);
	free(t_map);
	free(t_read);
	free(c_all);
	return 0;
}
