/* POSIX implementation of plat.h. */
#include "plat.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

int plat_mkdir_p(const char *path)
{
	char *p = rp_strdup(path), *s;
	int rc = RP_OK;
	if (!p)
		return RP_ENOMEM;
	for (s = p + 1; rc == RP_OK; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) < 0 && errno != EEXIST)
				rc = rp_error_set(RP_EIO, "%s: cannot create folder: %s",
						  p, strerror(errno));
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

bool plat_file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

int plat_remove(const char *path)
{
	if (remove(path) < 0)
		return rp_error_set(RP_EIO, "%s: cannot delete: %s", path,
				    strerror(errno));
	return RP_OK;
}

int plat_rename_replace(const char *from, const char *to)
{
	if (rename(from, to) < 0)
		return rp_error_set(RP_EIO, "%s: cannot rename to %s: %s", from, to,
				    strerror(errno));
	return RP_OK;
}

int plat_fsync_close(FILE *f)
{
	int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	return bad ? RP_EIO : RP_OK;
}

FILE *plat_fopen(const char *path, const char *mode)
{
	return fopen(path, mode);
}

int plat_free_space(const char *path, unsigned long long *out)
{
	struct statvfs v;
	if (statvfs(path, &v) < 0)
		return rp_error_set(RP_EIO, "%s: cannot read free space: %s", path,
				    strerror(errno));
	*out = (unsigned long long)v.f_bavail * v.f_frsize;
	return RP_OK;
}

char *plat_hostname(void)
{
	char h[256];
	if (gethostname(h, sizeof(h)) < 0)
		return rp_strdup("unknown");
	h[sizeof(h) - 1] = '\0';
	return rp_strdup(h);
}

char *plat_username(void)
{
	const char *u = getenv("USER");
	struct passwd *pw;
	if (u && *u)
		return rp_strdup(u);
	pw = getpwuid(getuid());
	return rp_strdup(pw && pw->pw_name ? pw->pw_name : "unknown");
}

char *plat_getenv(const char *name)
{
	const char *v = getenv(name);
	return v ? rp_strdup(v) : NULL;
}

char *plat_tempdir(void)
{
	const char *names[] = {"TMPDIR", "TEMP", "TMP"};
	size_t i;
	for (i = 0; i < 3; i++) {
		const char *v = getenv(names[i]);
		if (v && *v)
			return rp_strdup(v);
	}
	return rp_strdup("/tmp");
}

void plat_gmtime(time_t t, struct tm *out)
{
	gmtime_r(&t, out);
}

void plat_localtime(time_t t, struct tm *out)
{
	localtime_r(&t, out);
}

char plat_sep(void)
{
	return '/';
}
