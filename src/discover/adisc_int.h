/* adisc_int.h - helpers shared inside src/discover only. */
#ifndef ADISC_INT_H
#define ADISC_INT_H

#include "base/rp_attr.h"

/* Copy of s trimmed, with every run of white space or control characters
 * turned into one space, for one-line error messages (libxml2's messages and
 * server-supplied text can span lines). Caller frees; NULL on ENOMEM. */
char *adisc_one_line(const char *s);

/* rp_error_set() whose message is flattened to one line first (control
 * characters become spaces), for messages that quote document or user text. */
int adisc_err(int code, const char *fmt, ...) RP_PRINTF(2, 3);

#endif
