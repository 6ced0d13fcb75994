/* plat_proc.h - other programs of the current user: the guide's
 * StopProcesses (Outlook and the other MAPI clients closed before a profile
 * of the live registry is touched). plat_proc_win32.c implements it;
 * elsewhere there is no live registry, so nothing is ever running. */
#ifndef PLAT_PROC_H
#define PLAT_PROC_H

#include <stddef.h>

/* One line for the log: level is "Info", "Warning" or "Error". */
typedef void (*plat_proc_log)(void *ud, const char *level, const char *line);

/* Stops every process of the current user whose image name is one of
 * names (case-insensitive, e.g. "Outlook.exe"): asks each to close (WM_CLOSE
 * to its top-level windows), waits up to grace_ms for all of them, then
 * ends those still running. Each process gets one line naming it and its
 * PID. *stopped counts them. RP_EIO (message names the process) when one
 * could not be stopped; RP_EUNSUPPORTED where there are no such processes
 * (not Windows). */
int plat_stop_processes(const char *const *names, size_t n, unsigned long grace_ms,
			plat_proc_log log, void *ud, size_t *stopped);

#endif
