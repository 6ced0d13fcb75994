/* plat.h - the operating system, behind one header. plat_posix.c and
 * plat_win32.c implement it; the build picks one file. Paths and strings are
 * UTF-8 on every platform (the win32 file converts at the boundary). */
#ifndef PLAT_H
#define PLAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* Creates a folder and its parents; RP_OK if it exists. */
int plat_mkdir_p(const char *path);
bool plat_file_exists(const char *path);
int plat_remove(const char *path);
/* Renames over an existing file atomically where the OS allows. */
int plat_rename_replace(const char *from, const char *to);
/* Flushes f to stable storage and closes it; RP_EIO on failure. */
int plat_fsync_close(FILE *f);
/* fopen with a UTF-8 path. */
FILE *plat_fopen(const char *path, const char *mode);
/* Copies a file (overwriting to). */
int plat_copy_file(const char *from, const char *to);
/* Size of a file in bytes (64-bit on every platform: OST files pass 2 GB);
 * RP_ENOTFOUND if it does not exist. */
int plat_file_size(const char *path, unsigned long long *out);
/* Free bytes on the volume holding path; RP_EIO if unknown. */
int plat_free_space(const char *path, unsigned long long *out);

/* One folder entry: name (malloc'd UTF-8, no folder part), last-write time
 * in seconds since 1970, and whether it is a folder. */
typedef struct plat_dirent {
	char *name;
	time_t mtime;
	bool is_dir;
} plat_dirent;
/* Lists folder dir without "." and ".."; *out is a malloc'd array of *n
 * entries (NULL, 0 for an empty folder), freed with plat_dir_free. RP_EIO
 * (message names dir) if dir cannot be read, RP_ENOMEM. */
int plat_list_dir(const char *dir, plat_dirent **out, size_t *n);
void plat_dir_free(plat_dirent *e, size_t n);
/* Sets a file's last-write time (seconds since 1970); RP_EIO on failure. */
int plat_set_mtime(const char *path, time_t t);

/* Replaces argc/argv with UTF-8 arguments: on Windows from the wide command
 * line (argv in the ANSI code page loses characters), elsewhere unchanged.
 * The strings live until the process ends. */
void plat_utf8_args(int *argc, char ***argv);

/* Computer name, user name: malloc'd UTF-8 ("unknown" if not available). */
char *plat_hostname(void);
char *plat_username(void);
/* Environment variable as malloc'd UTF-8, NULL if unset. */
char *plat_getenv(const char *name);
/* The same, the name compared case-insensitively (ASCII) as Windows does
 * everywhere: %username% in a -Log name finds USERNAME on POSIX too (an
 * exact match wins). */
char *plat_getenv_nocase(const char *name);
/* Sets (value != NULL) or removes an environment variable of this process,
 * visible to plat_getenv and the C library; RP_EIO / RP_ENOMEM. */
int plat_setenv(const char *name, const char *value);
/* The temp folder (TEMP/TMP/TMPDIR or /tmp), malloc'd. */
char *plat_tempdir(void);
/* Current time; "now" can be pinned for tests by REPROFILE_FAKE_TIME
 * (seconds since 1970) so logs and state are reproducible. */
time_t plat_now(void);
/* UTC broken-down time, thread-safe. */
void plat_gmtime(time_t t, struct tm *out);
void plat_localtime(time_t t, struct tm *out);
/* Waits ms milliseconds (not affected by REPROFILE_FAKE_TIME). */
void plat_sleep_ms(unsigned long ms);
/* Milliseconds of a monotonic clock from an arbitrary start, for durations
 * (not affected by REPROFILE_FAKE_TIME). */
uint64_t plat_clock_ms(void);
/* An exclusive lock between processes that the OS drops when its holder
 * ends, crash included, so a dead run never blocks the next one.
 * plat_lock_file: a lock file at path (created; removed on release on
 * POSIX, deleted on close on Windows). plat_lock_name: a per-user name
 * (a named mutex on Windows, a lock file in the temp folder elsewhere).
 * Both wait up to wait_ms; RP_EBUSY (message names the lock) when it is
 * still held, RP_EIO when it cannot be made. */
typedef struct plat_lock plat_lock;
int plat_lock_file(const char *path, unsigned long wait_ms, plat_lock **out);
int plat_lock_name(const char *name, unsigned long wait_ms, plat_lock **out);
void plat_unlock(plat_lock *l);

/* Path separator used when composing file names. */
char plat_sep(void);

#endif
