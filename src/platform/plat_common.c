/* Platform code that is the same everywhere, on top of plat.h primitives. */
#include "plat.h"

#include "base/rp_err.h"

#include <stdlib.h>

time_t plat_now(void)
{
	char *fake = plat_getenv("REPROFILE_FAKE_TIME");
	time_t t = fake ? (time_t)strtoll(fake, NULL, 10) : time(NULL);
	free(fake);
	return t;
}

int plat_copy_file(const char *from, const char *to)
{
	FILE *in = plat_fopen(from, "rb"), *out;
	char buf[65536];
	size_t n;
	int rc = RP_OK;
	if (!in)
		return rp_error_set(RP_EIO, "%s: cannot open", from);
	if (!(out = plat_fopen(to, "wb"))) {
		fclose(in);
		return rp_error_set(RP_EIO, "%s: cannot create", to);
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			rc = rp_error_set(RP_EIO, "%s: write failed", to);
			break;
		}
	if (ferror(in) && rc == RP_OK)
		rc = rp_error_set(RP_EIO, "%s: read failed", from);
	fclose(in);
	if (plat_fsync_close(out) < 0 && rc == RP_OK)
		rc = rp_error_set(RP_EIO, "%s: flush failed", to);
	return rc;
}

void plat_dir_free(plat_dirent *e, size_t n)
{
	size_t i;
	for (i = 0; e && i < n; i++)
		free(e[i].name);
	free(e);
}
