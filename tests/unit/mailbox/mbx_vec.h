/* mbx_vec.h - the MAPI/HTTP spec vectors for the mailbox unit tests, read
 * by path from $RP_SHARED_DIR/vectors/mapihttp (never copied here); a test
 * skips with a note when they are absent. */
#ifndef MBX_VEC_H
#define MBX_VEC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static inline const char *mbx_vec_dir(void)
{
	static char path[4096];
	const char *env = getenv("RP_SHARED_DIR");
	snprintf(path, sizeof(path), "%s/vectors/mapihttp",
		 env && *env ? env : RP_SHARED_DIR);
	return path;
}

/* The bytes of <dir>/<name>.bin (malloc'd), or NULL when absent. */
static inline uint8_t *mbx_vec_load(const char *name, size_t *n)
{
	char path[4352];
	FILE *f;
	long len;
	uint8_t *buf;

	*n = 0;
	snprintf(path, sizeof(path), "%s/%s.bin", mbx_vec_dir(), name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static inline int mbx_vec_present(void)
{
	size_t n;
	uint8_t *p = mbx_vec_load("ms-oxctabl/4.1.1-GetContentsTable-req", &n);
	if (!p) {
		fprintf(stderr, "note: %s absent, vector tests skipped\n", mbx_vec_dir());
		return 0;
	}
	free(p);
	return 1;
}

#endif
