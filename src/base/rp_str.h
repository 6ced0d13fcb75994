/* rp_str.h - string helpers: UTF-8 <-> UTF-16LE, case-insensitive compare,
 * hex, duplication. All allocate with malloc; the caller frees.
 *
 * UTF conversion is lossless in both directions: an unpaired UTF-16 surrogate
 * becomes its 3-byte generalised UTF-8 form (WTF-8) and converts back to the
 * same code unit, so a registry name or value survives a round trip byte for
 * byte even when it is not valid Unicode. */
#ifndef RP_STR_H
#define RP_STR_H

#include "rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* nbytes of UTF-16LE (odd length is an error) -> NUL-terminated UTF-8. A
 * trailing UTF-16 NUL, if any, is not included. Stops at an embedded NUL. */
int rp_utf16le_to_utf8(const uint8_t *p, size_t nbytes, char **out);
/* UTF-8 (or WTF-8) -> UTF-16LE appended to b, with a 2-byte NUL if nul. */
int rp_utf8_to_utf16le(const char *s, size_t n, rp_buf *b, bool nul);
/* Appends code point cp (up to 0x10FFFF; surrogates as WTF-8) as UTF-8. */
int rp_utf8_put(rp_buf *b, uint32_t cp);
/* Decodes one code point; returns bytes used (>=1) or -1 if invalid. */
int rp_utf8_next(const char *s, size_t n, uint32_t *cp);

/* Registry-style case-insensitive compare (simple upper-casing of ASCII,
 * Latin-1, Latin Extended-A, Greek and Cyrillic letters). */
int rp_name_cmp(const char *a, const char *b);
bool rp_name_eq(const char *a, const char *b);
/* ASCII-only case-insensitive compare. */
int rp_ascii_casecmp(const char *a, const char *b);
int rp_ascii_ncasecmp(const char *a, const char *b, size_t n);

char *rp_strdup(const char *s);
char *rp_strndup(const char *s, size_t n);
char *rp_asprintf(const char *fmt, ...) RP_PRINTF(1, 2);
/* Value of one hex digit (either case), or -1. */
int rp_hexval(int c);
/* Lower-case hex of n bytes, NUL-terminated. */
char *rp_hex(const uint8_t *p, size_t n);
/* Parses hex digits (optionally separated by spaces, commas or colons) into b. */
int rp_unhex(const char *s, rp_buf *b);

/* Whether needle nd (k units of w bytes: 1 for 8-bit text, 2 for UTF-16LE)
 * occurs in d[0..n); with fold, ASCII letters match without case. Used to
 * find a mailbox's names in formats nobody publishes (SRS, rules stream). */
bool rp_find_units(const uint8_t *d, size_t n, const uint8_t *nd, size_t k, size_t w,
		   bool fold);

#endif
