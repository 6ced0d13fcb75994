/* Win32 implementation of plat.h: UTF-8 at the interface, wide APIs inside. */
#include "plat.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <windows.h>
#include <shellapi.h>
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

int plat_file_size(const char *path, unsigned long long *out)
{
	wchar_t *w = wide(path);
	WIN32_FILE_ATTRIBUTE_DATA fa;
	int rc = RP_OK;
	if (!w)
		return RP_ENOMEM;
	if (!GetFileAttributesExW(w, GetFileExInfoStandard, &fa)) {
		DWORD e = GetLastError();
		rc = (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
			 ? rp_error_set(RP_ENOTFOUND, "%s: not found", path)
			 : win_err("cannot read the size", path);
	} else {
		*out = ((unsigned long long)fa.nFileSizeHigh << 32) | fa.nFileSizeLow;
	}
	free(w);
	return rc;
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

/* FILETIME counts 100 ns since 1601; 11644473600 s separate 1601 and 1970. */
#define FT_UNIX_EPOCH 116444736000000000ULL

int plat_list_dir(const char *dir, plat_dirent **out, size_t *n)
{
	char *pat = rp_asprintf("%s\\*", dir);
	wchar_t *w = pat ? wide(pat) : NULL;
	WIN32_FIND_DATAW fd;
	HANDLE h;
	plat_dirent *v = NULL;
	size_t cap = 0, cnt = 0;
	int rc = RP_OK;
	*out = NULL;
	*n = 0;
	free(pat);
	if (!w)
		return RP_ENOMEM;
	h = FindFirstFileW(w, &fd);
	free(w);
	if (h == INVALID_HANDLE_VALUE) {
		if (GetLastError() == ERROR_FILE_NOT_FOUND)
			return RP_OK; /* no entry at all, not even "." */
		return win_err("cannot list folder", dir);
	}
	do {
		ULARGE_INTEGER t;
		if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
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
		if (!(v[cnt].name = narrow(fd.cFileName))) {
			rc = RP_ENOMEM;
			break;
		}
		t.LowPart = fd.ftLastWriteTime.dwLowDateTime;
		t.HighPart = fd.ftLastWriteTime.dwHighDateTime;
		v[cnt].mtime = t.QuadPart >= FT_UNIX_EPOCH
				   ? (time_t)((t.QuadPart - FT_UNIX_EPOCH) / 10000000ULL)
				   : 0;
		v[cnt].is_dir = (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
		cnt++;
	} while (FindNextFileW(h, &fd));
	FindClose(h);
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
	wchar_t *w = wide(path);
	HANDLE h;
	ULARGE_INTEGER u;
	FILETIME ft;
	int rc = RP_OK;
	if (!w)
		return RP_ENOMEM;
	h = CreateFileW(w, FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE,
			NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return win_err("cannot open to set file time", path);
	u.QuadPart = (unsigned long long)t * 10000000ULL + FT_UNIX_EPOCH;
	ft.dwLowDateTime = u.LowPart;
	ft.dwHighDateTime = u.HighPart;
	if (!SetFileTime(h, NULL, NULL, &ft))
		rc = win_err("cannot set file time", path);
	CloseHandle(h);
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

/* Windows' environment names are case-insensitive already. */
char *plat_getenv_nocase(const char *name)
{
	return plat_getenv(name);
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

int plat_setenv(const char *name, const char *value)
{
	char *kv = rp_asprintf("%s=%s", name, value ? value : "");
	wchar_t *wn = wide(name), *wv = value ? wide(value) : NULL,
		*wkv = kv ? wide(kv) : NULL;
	int rc = RP_OK;
	if (!wn || !wkv || (value && !wv))
		rc = RP_ENOMEM;
	/* The Win32 block serves plat_getenv and GetTempPath, the C runtime's
	 * copy serves getenv and TZ; "NAME=" removes from the latter. */
	else if (!SetEnvironmentVariableW(wn, wv))
		rc = win_err("cannot set environment variable", name);
	else if (_wputenv(wkv) != 0)
		rc = rp_error_set(RP_EIO, "%s: cannot set environment variable", name);
	free(kv);
	free(wn);
	free(wv);
	free(wkv);
	return rc;
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

void plat_utf8_args(int *argc, char ***argv)
{
	int n = 0, i;
	wchar_t **w = CommandLineToArgvW(GetCommandLineW(), &n);
	char **v;
	if (!w)
		return;
	v = calloc((size_t)n + 1, sizeof(*v));
	for (i = 0; v && i < n; i++)
		if (!(v[i] = narrow(w[i]))) {
			LocalFree(w);
			return; /* keep the ANSI arguments */
		}
	LocalFree(w);
	if (!v)
		return;
	*argc = n;
	*argv = v;
}

uint64_t plat_clock_ms(void)
{
	return GetTickCount64();
}

void plat_sleep_ms(unsigned long ms)
{
	Sleep((DWORD)ms);
}

struct plat_lock {
	HANDLE h;
	bool mutex;
};

static int new_lock(HANDLE h, bool mutex, plat_lock **out)
{
	if (!(*out = calloc(1, sizeof(**out)))) {
		if (mutex)
			ReleaseMutex(h);
		CloseHandle(h);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	(*out)->h = h;
	(*out)->mutex = mutex;
	return RP_OK;
}

/* A file opened without sharing and deleted on close: the second opener
 * gets a sharing violation, and the handle (and file) go with a dead
 * holder. */
int plat_lock_file(const char *path, unsigned long wait_ms, plat_lock **out)
{
	uint64_t end = plat_clock_ms() + wait_ms;
	wchar_t *w = wide(path);
	HANDLE h;
	*out = NULL;
	if (!w)
		return rp_error_wrap(RP_EINVAL, "%s", path);
	for (;;) {
		h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_ALWAYS,
				FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE, NULL);
		if (h != INVALID_HANDLE_VALUE)
			break;
		if (GetLastError() != ERROR_SHARING_VIOLATION &&
		    GetLastError() != ERROR_ACCESS_DENIED) {
			free(w);
			return win_err("cannot create the lock file", path);
		}
		if (plat_clock_ms() >= end) {
			free(w);
			return rp_error_set(RP_EBUSY, "%s is held by another run", path);
		}
		Sleep(100);
	}
	free(w);
	return new_lock(h, false, out);
}

/* A named mutex, in the Global namespace so that two sessions of the same
 * user (who share HKCU) see it; Local when Global is refused. A mutex whose
 * holder died is "abandoned" and handed to the next waiter. */
int plat_lock_name(const char *name, unsigned long wait_ms, plat_lock **out)
{
	static const char *const ns[] = {"Global\\", "Local\\"};
	HANDLE h = NULL;
	DWORD r;
	size_t i;
	*out = NULL;
	for (i = 0; i < 2 && !h; i++) {
		char *full = rp_asprintf("%s%s", ns[i], name);
		wchar_t *w = full ? wide(full) : NULL;
		free(full);
		if (!w)
			return rp_error_set(RP_ENOMEM, "out of memory");
		h = CreateMutexW(NULL, FALSE, w);
		free(w);
		if (!h && GetLastError() != ERROR_ACCESS_DENIED)
			break;
	}
	if (!h)
		return win_err("cannot create the named mutex", name);
	r = WaitForSingleObject(h,
				wait_ms > 0xFFFFFFFEul ? 0xFFFFFFFEul : (DWORD)wait_ms);
	if (r == WAIT_OBJECT_0 || r == WAIT_ABANDONED)
		return new_lock(h, true, out);
	CloseHandle(h);
	if (r == WAIT_TIMEOUT)
		return rp_error_set(RP_EBUSY, "the lock %s is held by another run", name);
	return win_err("cannot wait for the named mutex", name);
}

void plat_unlock(plat_lock *l)
{
	if (!l)
		return;
	if (l->mutex)
		ReleaseMutex(l->h);
	CloseHandle(l->h);
	free(l);
}
