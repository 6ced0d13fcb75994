/* reg_file_posix.c - whole-file read and crash-safe replace (POSIX). */
#include "reg_internal.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest file read whole: well above any real NTUSER.DAT export. */
#define REG_MAX_FILE (512u * 1024 * 1024)

int reg_file_read(const char *path, uint8_t **data, size_t *len)
{
	rp_buf b = RP_BUF_INIT;
	int fd, rc = RP_OK;

	*data = NULL;
	*len = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return rp_error_set(errno == ENOENT ? RP_ENOTFOUND : RP_EIO, "%s: %s",
				    path, strerror(errno));
	for (;;) {
		ssize_t r;
		rc = rp_buf_reserve(&b, 65536);
		if (rc < 0)
			break;
		r = read(fd, b.data + b.len, b.cap - b.len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = rp_error_set(RP_EIO, "%s: read: %s", path, strerror(errno));
			break;
		}
		if (r == 0)
			break;
		b.len += (size_t)r;
		if (b.len > REG_MAX_FILE) {
			rc = rp_error_set(RP_ELIMIT, "%s: larger than %u bytes", path,
					  REG_MAX_FILE);
			break;
		}
	}
	close(fd);
	if (rc < 0) {
		rp_buf_free(&b);
		return rc;
	}
	*data = rp_buf_steal(&b, len);
	return RP_OK;
}

int reg_file_tmpname(const char *path, char **tmp)
{
	unsigned i;
	*tmp = NULL;
	for (i = 0; i < 1000; i++) {
		char *t = rp_asprintf("%s.rp-tmp-%ld-%u", path, (long)getpid(), i);
		int fd;
		if (!t)
			return rp_error_set(RP_ENOMEM, "out of memory");
		fd = open(t, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd >= 0) {
			struct stat st;
			/* Keep the original's permissions on the replacement. */
			if (stat(path, &st) == 0)
				(void)fchmod(fd, st.st_mode & 07777);
			close(fd);
			*tmp = t;
			return RP_OK;
		}
		free(t);
		if (errno != EEXIST)
			return rp_error_set(RP_EIO,
					    "%s: cannot create temporary file: %s", path,
					    strerror(errno));
	}
	return rp_error_set(RP_EIO, "%s: cannot create temporary file", path);
}

static int sync_path(const char *p, int flags)
{
	int fd = open(p, flags);
	int rc = 0;
	if (fd < 0)
		return -1;
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = -1;
	close(fd);
	return rc;
}

int reg_file_install(const char *tmp, const char *path)
{
	char *dir, *slash;

	if (sync_path(tmp, O_RDONLY) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return rp_error_set(RP_EIO, "%s: cannot replace file: %s", path,
				    strerror(e));
	}
	/* Make the rename itself durable. */
	dir = rp_strdup(path);
	if (dir) {
		slash = strrchr(dir, '/');
		if (slash) {
			*(slash == dir ? slash + 1 : slash) = '\0';
			(void)sync_path(dir, O_RDONLY);
		} else {
			(void)sync_path(".", O_RDONLY);
		}
		free(dir);
	}
	return RP_OK;
}

int reg_file_replace(const char *path, const void *data, size_t len)
{
	const uint8_t *p = data;
	char *tmp;
	int fd, rc;

	rc = reg_file_tmpname(path, &tmp);
	if (rc < 0)
		return rc;
	fd = open(tmp, O_WRONLY | O_TRUNC);
	if (fd < 0)
		goto fail;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) < 0)
		goto fail;
	rc = reg_file_install(tmp, path);
	free(tmp);
	return rc;
fail:
	rc = rp_error_set(RP_EIO, "%s: writing %s: %s", path, tmp, strerror(errno));
	unlink(tmp);
	free(tmp);
	return rc;
}

bool reg_file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

void reg_file_binary(FILE *f)
{
	(void)f;
}
