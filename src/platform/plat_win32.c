/* Win32 implementation of plat.h: UTF-8 at the interface, wide APIs inside. */
#include "plat.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <windows.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>

/* UTF-8 -> malloc'd wide string, NULL on failure (message set). */
static wchar_t *wide(const char *s)
{
	rp_buf b = RP_BUF_INIT;
	if (rp_utf8_to_utf16le(s, strlen(s), &b, true) < 0) {
		rp_buf_free(&b);
		return NULL;
	}
	return (wchar_t *)rp_buf_steal(&b, NULL);
}

static char *narrow(const wchar_t *w)
{
	char *out = NULL;
	if (rp_utf16le_to_utf8((const uint8_t *)w, wcslen(w) * 2, &out) < 0)
		return NULL;
	return out;
}

static int win_err(const char *what, const char *path)
{
	return rp_error_set(RP_EIO, "%s: %s (Windows error %lu)", path, what,
			    (unsigned long)GetLastError());
}

int plat_mkdir_p(const char *path)
{
	char *p = rp_strdup(path), *s;
	int rc = RP_OK;
	if (!p)
		return RP_ENOMEM;
	for (s = p; rc == RP_OK; s++) {
		if ((*s == '/' || *s == '\\' || *s == '\0') && s > p && s[-1] != ':') {
			char c = *s;
			wchar_t *w;
			*s = '\0';
			if (!(w = wide(p)))
				rc = RP_ENOMEM;
			else if (!CreateDirectoryW(w, NULL) &&
				 GetLastError() != ERROR_ALREADY_EXISTS)
				rc = win_err("cannot create folder", p);
			free(w);
			*s = c;
		}
		if (!*s)
			break;
	}
	free(p);
	return rc;
}

bool plat_file_exists(const char *path)
{
	wchar_t *w = wide(path);
	DWORD a = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
	free(w);
	return a != INVALID_FILE_ATTRIBUTES;
}

int plat_remove(const char *path)
{
	wchar_t *w = wide(path);
	int rc = RP_OK;
	if (!w)
		return RP_ENOMEM;
	if (!DeleteFileW(w))
		rc = win_err("cannot delete", path);
	free(w);
	return rc;
}

int plat_rename_replace(const char *from, const char *to)
{
	wchar_t *wf = wide(from), *wt = wide(to);
	int rc = RP_OK, tries;
	if (!wf || !wt)
		rc = RP_ENOMEM;
	/* Virus scanners and indexers briefly hold new files: retry a little. */
	for (tries = 0; rc == RP_OK && tries < 10; tries++) {
		if (MoveFileExW(wf, wt,
				MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
			break;
		if (tries == 9)
			rc = win_err("cannot rename over target", to);
		Sleep(50);
	}
	free(wf);
	free(wt);
	return rc;
}

int plat_fsync_close(FILE *f)
{
	int bad = fflush(f) != 0 || _commit(_fileno(f)) != 0;
	bad |= fclose(f) != 0;
	return bad ? RP_EIO : RP_OK;
}

FILE *plat_fopen(const char *path, const char *mode)
{
	wchar_t *w = wide(path), *m = wide(mode);
	FILE *f = (w && m) ? _wfopen(w, m) : NULL;
	free(w);
	free(m);
	return f;
}

int plat_free_space(const char *path, unsigned long long *out)
{
	wchar_t *w = wide(path);
	ULARGE_INTEGER avail;
	int rc = RP_OK;
	if (!w)
		return RP_ENOMEM;
	if (!GetDiskFreeSpaceExW(w, &avail, NULL, NULL))
		rc = win_err("cannot read free space", path);
	else
		*out = avail.QuadPart;
	free(w);
	return rc;
}

char *plat_hostname(void)
{
	wchar_t h[MAX_COMPUTERNAME_LENGTH + 1];
	DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
	if (!GetComputerNameW(h, &n))
		return rp_strdup("unknown");
	return narrow(h);
}

char *plat_username(void)
{
	char *u = plat_getenv("USERNAME");
	return u ? u : rp_strdup("unknown");
}

char *plat_getenv(const char *name)
{
	wchar_t *w = wide(name), buf[32767];
	DWORD n;
	if (!w)
		return NULL;
	n = GetEnvironmentVariableW(w, buf, 32767);
	free(w);
	if (n == 0 || n >= 32767)
		return NULL;
	return narrow(buf);
}

char *plat_tempdir(void)
{
	wchar_t buf[MAX_PATH + 1];
	DWORD n = GetTempPathW(MAX_PATH + 1, buf);
	if (n == 0 || n > MAX_PATH)
		return rp_strdup("C:\\Windows\\Temp");
	if (n > 1 && buf[n - 1] == L'\\')
		buf[n - 1] = 0;
	return narrow(buf);
}

void plat_gmtime(time_t t, struct tm *out)
{
	gmtime_s(out, &t);
}

void plat_localtime(time_t t, struct tm *out)
{
	localtime_s(out, &t);
}

char plat_sep(void)
{
	return '\\';
}
