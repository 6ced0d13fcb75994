/* run_tmpprof.h - the guide's temporary target profile (-LeaveTemporaryProfile):
 * "CPUU_{<random GUID>}", a profile with the target's settings that the
 * administrator opens in the Mail applet to see why the target mailbox does
 * not open with the INI's settings. reprofile's sign-in check talks to the
 * server directly and needs no profile, so one is made only when the switch
 * asks: a copy of the user's profile with the switch plan applied to the
 * copy. It is never taken for a user's profile (run_tmpprof_is_name). */
#ifndef RUN_TMPPROF_H
#define RUN_TMPPROF_H

#include "plan/plan.h"
#include "registry/reg.h"

#include <stdbool.h>

/* "CPUU_{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" (hex, either case). */
bool run_tmpprof_is_name(const char *key);

/* A new profile name for the profile key under root (seed: anything that
 * differs between profiles and runs), not yet used under root. out: 44
 * bytes. */
int run_tmpprof_name(reg_store *s, const char *root, const char *key, const char *seed,
		     char out[44]);

/* Copies root\key to root\tmp and applies pl's registry edits of root\key
 * to the copy (edits elsewhere, and file edits, are not). No commit. */
int run_tmpprof_write(reg_store *s, const char *root, const char *key, const char *tmp,
		      const plan *pl);

#endif
