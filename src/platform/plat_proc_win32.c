/* Windows: the guide's StopProcesses (plat_proc.h). Processes are found by
 * a Toolhelp snapshot, kept when their token's user is ours, asked to close
 * the way a user would (WM_CLOSE to their top-level windows, which lets
 * Outlook shut its stores cleanly), and ended only after the grace time. */
#include "plat_proc.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"

#include <windows.h>
#include <tlhelp32.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

typedef struct victim {
	DWORD pid;
	HANDLE h;
	char *name;
} victim;

/* The user SID of a process token, malloc'd; NULL if it cannot be read. */
static TOKEN_USER *token_user(HANDLE proc)
{
	HANDLE tok;
	DWORD len = 0;
	TOKEN_USER *tu = NULL;
	if (!OpenProcessToken(proc, TOKEN_QUERY, &tok))
		return NULL;
	GetTokenInformation(tok, TokenUser, NULL, 0, &len);
	if (len && (tu = malloc(len)) &&
	    !GetTokenInformation(tok, TokenUser, tu, len, &len)) {
		free(tu);
		tu = NULL;
	}
	CloseHandle(tok);
	return tu;
}

static BOOL CALLBACK ask_close(HWND w, LPARAM pid)
{
	DWORD owner = 0;
	GetWindowThreadProcessId(w, &owner);
	if (owner == (DWORD)pid && !GetWindow(w, GW_OWNER))
		PostMessageW(w, WM_CLOSE, 0, 0);
	return TRUE;
}

static bool wanted(const char *exe, const char *const *names, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (rp_ascii_casecmp(exe, names[i]) == 0)
			return true;
	return false;
}

static void say(plat_proc_log log, void *ud, const char *level, char *line)
{
	if (log && line)
		log(ud, level, line);
	free(line);
}

/* The processes to stop: ours, by name, not this one. */
static int find_victims(const char *const *names, size_t n, victim **out, size_t *nout)
{
	HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	PROCESSENTRY32W pe;
	TOKEN_USER *me = token_user(GetCurrentProcess());
	size_t cap = 0;
	int rc = RP_OK;
	*out = NULL;
	*nout = 0;
	if (snap == INVALID_HANDLE_VALUE || !me) {
		if (snap != INVALID_HANDLE_VALUE)
			CloseHandle(snap);
		free(me);
		return rp_error_set(
		    RP_EIO, "cannot list the running processes (Windows error %lu)",
		    (unsigned long)GetLastError());
	}
	pe.dwSize = sizeof(pe);
	for (BOOL ok = Process32FirstW(snap, &pe); ok && rc == RP_OK;
	     ok = Process32NextW(snap, &pe)) {
		char *exe = NULL;
		HANDLE h;
		TOKEN_USER *tu;
		bool mine;
		if (pe.th32ProcessID == GetCurrentProcessId() ||
		    rp_utf16le_to_utf8((const uint8_t *)pe.szExeFile,
				       wcslen(pe.szExeFile) * 2, &exe) < 0) {
			rp_error_clear();
			continue;
		}
		if (!wanted(exe, names, n)) {
			free(exe);
			continue;
		}
		h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE |
				    PROCESS_TERMINATE,
				FALSE, pe.th32ProcessID);
		tu = h ? token_user(h) : NULL;
		/* One we may not open or read belongs to another user. */
		mine = tu && EqualSid(tu->User.Sid, me->User.Sid);
		free(tu);
		if (!mine) {
			if (h)
				CloseHandle(h);
			free(exe);
			continue;
		}
		if (*nout == cap) {
			size_t nc = cap ? cap * 2 : 4;
			victim *nv = realloc(*out, nc * sizeof(*nv));
			if (!nv) {
				CloseHandle(h);
				free(exe);
				rc = rp_error_set(RP_ENOMEM, "out of memory");
				break;
			}
			*out = nv;
			cap = nc;
		}
		(*out)[(*nout)++] = (victim){pe.th32ProcessID, h, exe};
	}
	CloseHandle(snap);
	free(me);
	return rc;
}

int plat_stop_processes(const char *const *names, size_t n, unsigned long grace_ms,
			plat_proc_log log, void *ud, size_t *stopped)
{
	victim *v = NULL;
	size_t nv = 0, i;
	DWORD t0;
	int rc;
	*stopped = 0;
	rc = find_victims(names, n, &v, &nv);
	for (i = 0; rc == RP_OK && i < nv; i++) {
		say(log, ud, "Info",
		    rp_asprintf("Asking %s (PID %lu) to close", v[i].name,
				(unsigned long)v[i].pid));
		EnumWindows(ask_close, (LPARAM)v[i].pid);
	}
	t0 = GetTickCount();
	for (i = 0; rc == RP_OK && i < nv; i++) {
		DWORD spent = GetTickCount() - t0;
		DWORD left = spent < grace_ms ? (DWORD)(grace_ms - spent) : 0;
		if (WaitForSingleObject(v[i].h, left) == WAIT_OBJECT_0) {
			say(log, ud, "Info",
			    rp_asprintf("%s (PID %lu) closed", v[i].name,
					(unsigned long)v[i].pid));
			++*stopped;
			continue;
		}
		say(log, ud, "Warning",
		    rp_asprintf("%s (PID %lu) did not close within %lu s: ending it",
				v[i].name, (unsigned long)v[i].pid,
				(grace_ms + 999) / 1000));
		if (TerminateProcess(v[i].h, 1) &&
		    WaitForSingleObject(v[i].h, 10000) == WAIT_OBJECT_0) {
			say(log, ud, "Info",
			    rp_asprintf("%s (PID %lu) ended", v[i].name,
					(unsigned long)v[i].pid));
			++*stopped;
			continue;
		}
		rc = rp_error_set(
		    RP_EIO, "%s (PID %lu) could not be stopped (Windows error %lu)",
		    v[i].name, (unsigned long)v[i].pid, (unsigned long)GetLastError());
	}
	for (i = 0; i < nv; i++) {
		CloseHandle(v[i].h);
		free(v[i].name);
	}
	free(v);
	return rc;
}
