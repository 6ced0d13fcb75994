/* mfcmapi_vec.h - reading the MFCMAPI SmartView vectors by path
 * ($RP_SHARED_DIR/vectors/mfcmapi, see its INDEX.md), shared by the mapi
 * unit tests. Include after cmocka.h. */
#ifndef MFCMAPI_VEC_H
#define MFCMAPI_VEC_H

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *vec_dir(void)
{
	const char *env = getenv("RP_SHARED_DIR");
	static char path[4096];
	snprintf(path, sizeof(path), "%s/vectors/mfcmapi",
		 env && *env ? env : RP_SHARED_DIR);
	return path;
}

/* A whole file, NUL-terminated (malloc'd), or NULL if it cannot be opened. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	if (n)
		*n = (size_t)len;
	return buf;
}

/* In/<name>.dat as bytes, by MFCMAPI's HexStringToBin (INDEX.md): drop the
 * separator set, one leading 0x/x, then hex pairs. false if absent. */
static bool vec_read_in(const char *name, rp_buf *out)
{
	char path[4200], *t, *c;
	size_t k = 0;
	snprintf(path, sizeof(path), "%s/In/%s.dat", vec_dir(), name);
	t = slurp(path, NULL);
	if (!t)
		return false;
	for (c = t; *c; c++)
		if (!strchr("\r\n\t -.,\\/'{}`\"", *c))
			t[k++] = *c;
	t[k] = '\0';
	c = t;
	if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X'))
		c += 2;
	else if (c[0] == 'x' || c[0] == 'X')
		c++;
	out->len = 0;
	assert_int_equal(rp_unhex(c, out), RP_OK);
	free(t);
	return true;
}

#endif
