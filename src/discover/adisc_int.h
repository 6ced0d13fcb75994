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

/* The WinHTTP error (ERROR_WINHTTP_*, e.g. 12007 = 0x2ee7) that the guide's
 * troubleshooting table shows for what libcurl reported as curl_code, with
 * its description; 0 (and *text NULL) when there is none (adisc_winhttp.c). */
unsigned long adisc_winhttp_code(int curl_code, const char **text);

/* The guide's prefix of its 401 row, a CPUU-internal code. */
#define ADISC_GUIDE_401_PREFIX "Custom result: 0xc01000cf, Description: "

#endif
