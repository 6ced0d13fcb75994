/* POSIX implementation of plat.h. */
#include "plat.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

int plat_file_size(const char *path, unsigned long long *out)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return rp_error_set(errno == ENOENT ? RP_ENOTFOUND : RP_EIO, "%s: %s",
				    path, strerror(errno));
	*out = (unsigned long long)st.st_size;
	return RP_OK;
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

int plat_list_dir(const char *dir, plat_dirent **out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	plat_dirent *v = NULL;
	size_t cap = 0, cnt = 0;
	int rc = RP_OK;
	*out = NULL;
	*n = 0;
	if (!d)
		return rp_error_set(RP_EIO, "%s: cannot list folder: %s", dir,
				    strerror(errno));
	while (rc == RP_OK && (de = readdir(d)) != NULL) {
		struct stat st;
		char *full;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (cnt == cap) {
			plat_dirent *nv;
			cap = cap ? cap * 2 : 16;
			if (!(nv = realloc(v, cap * sizeof(*v)))) {
				rc = rp_error_set(RP_ENOMEM, "out of memory");
				break;
			}
			v = nv;
		}
		full = rp_asprintf("%s/%s", dir, de->d_name);
		v[cnt].name = rp_strdup(de->d_name);
		if (!full || !v[cnt].name) {
			free(full);
			free(v[cnt].name);
			rc = rp_error_set(RP_ENOMEM, "out of memory");
			break;
		}
		/* An entry deleted meanwhile is listed with time 0. */
		if (stat(full, &st) == 0) {
			v[cnt].mtime = st.st_mtime;
			v[cnt].is_dir = S_ISDIR(st.st_mode);
		} else {
			v[cnt].mtime = 0;
			v[cnt].is_dir = false;
		}
		free(full);
		cnt++;
	}
	closedir(d);
	if (rc != RP_OK) {
		plat_dir_free(v, cnt);
		return rc;
	}
	*out = v;
	*n = cnt;
	return RP_OK;
}

int plat_set_mtime(const char *path, time_t t)
{
	struct timespec ts[2];
	ts[0].tv_sec = ts[1].tv_sec = t;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (utimensat(AT_FDCWD, path, ts, 0) < 0)
		return rp_error_set(RP_EIO, "%s: cannot set file time: %s", path,
				    strerror(errno));
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

extern char **environ;

char *plat_getenv_nocase(const char *name)
{
	size_t n = strlen(name);
	char **e;
	const char *v = getenv(name);
	if (v)
		return rp_strdup(v);
	for (e = environ; e && *e; e++)
		if (rp_ascii_ncasecmp(*e, name, n) == 0 && (*e)[n] == '=')
			return rp_strdup(*e + n + 1);
	return NULL;
}

int plat_setenv(const char *name, const char *value)
{
	int r = value ? setenv(name, value, 1) : unsetenv(name);
	if (r < 0)
		return rp_error_set(errno == ENOMEM ? RP_ENOMEM : RP_EIO,
				    "%s: cannot set environment variable: %s", name,
				    strerror(errno));
	return RP_OK;
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

void plat_utf8_args(int *argc, char ***argv)
{
	(void)argc;
	(void)argv; /* already the bytes the user typed (UTF-8 locales) */
}

uint64_t plat_clock_ms(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void plat_sleep_ms(unsigned long ms)
{
	struct timespec ts, left;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &left) < 0 && errno == EINTR)
		ts = left;
}

struct plat_lock {
	int fd;
	char *path;
};

/* Opens path and takes its flock(); 1 locked, 0 held by another, <0 error.
 * flock() locks belong to the open file, so the kernel drops them when
 * the holder dies. The holder removes the file on release; a waiter that
 * locked the file just before that sees another inode at path and tries
 * again on the new file. */
static int lock_once(const char *path, int *fd_out)
{
	struct stat a, b;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return rp_error_set(RP_EIO, "%s: cannot create the lock file: %s", path,
				    strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev) {
			*fd_out = fd;
			return 1;
		}
	} else if (errno != EWOULDBLOCK && errno != EINTR) {
		int e = errno;
		close(fd);
		return rp_error_set(RP_EIO, "%s: cannot lock: %s", path, strerror(e));
	}
	close(fd);
	return 0;
}

int plat_lock_file(const char *path, unsigned long wait_ms, plat_lock **out)
{
	uint64_t end = plat_clock_ms() + wait_ms;
	int fd = -1, rc;
	*out = NULL;
	while ((rc = lock_once(path, &fd)) == 0) {
		if (plat_clock_ms() >= end)
			return rp_error_set(RP_EBUSY, "%s is held by another run", path);
		plat_sleep_ms(100);
	}
	if (rc < 0)
		return rc;
	if (!(*out = calloc(1, sizeof(**out))) || !((*out)->path = rp_strdup(path))) {
		free(*out);
		*out = NULL;
		unlink(path);
		close(fd);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	(*out)->fd = fd;
	return RP_OK;
}

/* No named objects here: a lock file per user in the temp folder. */
int plat_lock_name(const char *name, unsigned long wait_ms, plat_lock **out)
{
	char *tmp = plat_tempdir(), *path;
	int rc;
	*out = NULL;
	path = tmp ? rp_asprintf("%s/%s-%lu.lock", tmp, name, (unsigned long)getuid())
		   : NULL;
	free(tmp);
	if (!path)
		return rp_error_set(RP_ENOMEM, "out of memory");
	rc = plat_lock_file(path, wait_ms, out);
	free(path);
	return rc;
}

void plat_unlock(plat_lock *l)
{
	if (!l)
		return;
	unlink(l->path); /* while still locked: see lock_once */
	close(l->fd);
	free(l->path);
	free(l);
}
