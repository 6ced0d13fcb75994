/* reg_file_win32.c - whole-file read and crash-safe replace (Windows):
 * UTF-8 paths converted to UTF-16 for the wide API, FlushFileBuffers, then
 * MoveFileExW(REPLACE_EXISTING | WRITE_THROUGH). */
#include "reg_internal.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define REG_MAX_FILE (512u * 1024 * 1024)

/* malloc'd wide copy of a UTF-8 path, or NULL (message set). */
static wchar_t *wpath(const char *path)
{
	rp_buf b = RP_BUF_INIT;
	if (rp_utf8_to_utf16le(path, strlen(path), &b, true) < 0) {
		rp_buf_free(&b);
		rp_error_set(RP_EINVAL, "%s: path is not valid UTF-8", path);
		return NULL;
	}
	return (wchar_t *)rp_buf_steal(&b, NULL);
}

static int win_err(const char *path, const char *what)
{
	DWORD e = GetLastError();
	int code = (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND) ? RP_ENOTFOUND
									    : RP_EIO;
	return rp_error_set(code, "%s: %s failed (Windows error %lu)", path, what,
			    (unsigned long)e);
}

int reg_file_read(const char *path, uint8_t **data, size_t *len)
{
	wchar_t *w = wpath(path);
	HANDLE h;
	LARGE_INTEGER size;
	uint8_t *d;
	DWORD got;
	size_t off = 0;

	*data = NULL;
	*len = 0;
	if (!w)
		return RP_EINVAL;
	h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
			FILE_ATTRIBUTE_NORMAL, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return win_err(path, "open");
	if (!GetFileSizeEx(h, &size)) {
		CloseHandle(h);
		return win_err(path, "size");
	}
	if ((uint64_t)size.QuadPart > REG_MAX_FILE) {
		CloseHandle(h);
		return rp_error_set(RP_ELIMIT, "%s: larger than %u bytes", path,
				    REG_MAX_FILE);
	}
	d = malloc((size_t)size.QuadPart + 1);
	if (!d) {
		CloseHandle(h);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	while (off < (size_t)size.QuadPart) {
		if (!ReadFile(h, d + off, (DWORD)((size_t)size.QuadPart - off), &got,
			      NULL) ||
		    got == 0) {
			int rc = win_err(path, "read");
			free(d);
			CloseHandle(h);
			return rc;
		}
		off += got;
	}
	CloseHandle(h);
	*data = d;
	*len = off;
	return RP_OK;
}

int reg_file_tmpname(const char *path, char **tmp)
{
	unsigned i;
	*tmp = NULL;
	for (i = 0; i < 1000; i++) {
		char *t = rp_asprintf("%s.rp-tmp-%lu-%u", path,
				      (unsigned long)GetCurrentProcessId(), i);
		wchar_t *w;
		HANDLE h;
		if (!t)
			return rp_error_set(RP_ENOMEM, "out of memory");
		w = wpath(t);
		if (!w) {
			free(t);
			return RP_EINVAL;
		}
		h = CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_NEW,
				FILE_ATTRIBUTE_NORMAL, NULL);
		free(w);
		if (h != INVALID_HANDLE_VALUE) {
			CloseHandle(h);
			*tmp = t;
			return RP_OK;
		}
		free(t);
		if (GetLastError() != ERROR_FILE_EXISTS)
			return win_err(path, "creating a temporary file");
	}
	return rp_error_set(RP_EIO, "%s: cannot create temporary file", path);
}

static void remove_tmp(const char *tmp)
{
	wchar_t *w = wpath(tmp);
	if (w) {
		DeleteFileW(w);
		free(w);
	}
}

int reg_file_install(const char *tmp, const char *path)
{
	wchar_t *wt = wpath(tmp), *wp = wpath(path);
	HANDLE h;
	int rc = RP_OK;

	if (!wt || !wp) {
		free(wt);
		free(wp);
		remove_tmp(tmp);
		return RP_EINVAL;
	}
	h = CreateFileW(wt, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL,
			NULL);
	if (h == INVALID_HANDLE_VALUE || !FlushFileBuffers(h))
		rc = win_err(tmp, "flush");
	if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
	if (rc == RP_OK &&
	    !MoveFileExW(wt, wp, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
		rc = win_err(path, "replacing the file");
	if (rc < 0)
		DeleteFileW(wt);
	free(wt);
	free(wp);
	return rc;
}

int reg_file_replace(const char *path, const void *data, size_t len)
{
	const uint8_t *p = data;
	char *tmp;
	wchar_t *w;
	HANDLE h;
	int rc = reg_file_tmpname(path, &tmp);

	if (rc < 0)
		return rc;
	w = wpath(tmp);
	if (!w) {
		remove_tmp(tmp);
		free(tmp);
		return RP_EINVAL;
	}
	h = CreateFileW(w, GENERIC_WRITE, 0, NULL, TRUNCATE_EXISTING,
			FILE_ATTRIBUTE_NORMAL, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE) {
		rc = win_err(tmp, "open");
		goto fail;
	}
	while (len) {
		DWORD put, chunk = len > 0x40000000u ? 0x40000000u : (DWORD)len;
		if (!WriteFile(h, p, chunk, &put, NULL) || put == 0) {
			rc = win_err(tmp, "write");
			CloseHandle(h);
			goto fail;
		}
		p += put;
		len -= put;
	}
	CloseHandle(h);
	rc = reg_file_install(tmp, path);
	free(tmp);
	return rc;
fail:
	remove_tmp(tmp);
	free(tmp);
	return rc;
}

bool reg_file_exists(const char *path)
{
	wchar_t *w = wpath(path);
	bool r = w && GetFileAttributesW(w) != INVALID_FILE_ATTRIBUTES;
	free(w);
	return r;
}

void reg_file_binary(FILE *f)
{
	_setmode(_fileno(f), _O_BINARY);
}
