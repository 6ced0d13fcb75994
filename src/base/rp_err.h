/* rp_err.h - one error enum for the whole program, plus a per-thread message.
 *
 * Contract: a failing function returns a negative rp_err and has set a one-line
 * message with rp_error_set(). Callers pass the code up unchanged; a caller that
 * knows more context (file, key, value) adds it with rp_error_wrap(), which
 * prefixes the message. Codes are pinned: never renumber, never reuse. */
#ifndef RP_ERR_H
#define RP_ERR_H

#include "rp_attr.h"

enum rp_err {
	RP_OK = 0,
	RP_ENOMEM = -1,       /* allocation failed */
	RP_EIO = -2,          /* OS or file error */
	RP_ENOTFOUND = -3,    /* key, value, file or profile absent */
	RP_EFORMAT = -4,      /* malformed input data */
	RP_EINVAL = -5,       /* bad argument or configuration */
	RP_EEXISTS = -6,      /* object already exists */
	RP_EDIRTY = -7,       /* hive has un-replayed transaction logs */
	RP_EUNSUPPORTED = -8, /* valid but not handled here */
	RP_ELIMIT = -9,       /* a size or count cap was exceeded */
	RP_ECRASH = -10,      /* injected crash point reached (tests) */
	RP_ENET = -11,        /* network or protocol failure */
	RP_EAUTH = -12,       /* authentication refused */
	RP_EBUSY = -13,       /* held by another process (a lock) */
	RP_ERR_LAST = -14     /* sentinel: never returned */
};

/* Sets the thread's message from a printf format and returns code. */
int rp_error_set(int code, const char *fmt, ...) RP_PRINTF(2, 3);

/* Prefixes the current message with "<context>: " and returns code. */
int rp_error_wrap(int code, const char *fmt, ...) RP_PRINTF(2, 3);

/* The thread's last message; never NULL ("" when none). */
const char *rp_error_msg(void);
void rp_error_clear(void);

/* Static name of a code, e.g. "malformed input". */
const char *rp_strerror(int code);

#endif
