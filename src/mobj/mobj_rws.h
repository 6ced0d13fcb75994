/* mobj_rws.h - the client rules stream (PR_RW_RULES_STREAM 0x68020102 of the
 * Inbox FAI message IPM.RuleOrganizer; the same bytes as an exported .rwz).
 *
 * Not in the Open Specifications. The public reverse-engineered description
 * is gromox doc/outlook_rule_spec.rst (J. Engelhardt, 2024;
 * mapi-binary-formats.md 4.4): RW_Magic (>= OL2002: 8 bytes 00 00 14 00 00 00
 * 14 06 or 40 42 0f 00 00 00 14 06, six zero u32, {1, 1}, a zero u32), a u16
 * rule count, then per rule an XR_Header (XR_Magic (3), locator (1), name
 * length (1, or 0xFF + u16), UTF-16 name, active (u32), u32, magic u32[3],
 * bytecount (u32) = every byte after it in the rule) followed by condition
 * and action elements. Most elements carry no length of their own and
 * several layouts are marked conjecture there, so a rewrite that keeps every
 * byte it does not understand is not possible from that description: an
 * element it cannot parse hides where the next one starts. This module
 * therefore does what SRS does (docs/decisions.md): it walks the rule
 * headers (names, active flags, byte ranges: the bytecount makes that safe)
 * and finds the references a caller asks about (legacyExchangeDNs, SMTP
 * addresses as 8-bit or UTF-16LE text in any ASCII case; entry IDs as exact
 * bytes) per rule, and never writes the stream. */
#ifndef MOBJ_RWS_H
#define MOBJ_RWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MOBJ_RWS_TAG 0x68020102u
/* Larger than any rules stream Outlook writes (a few hundred KB for
 * hundreds of rules): a bigger one is refused with RP_ELIMIT. */
#define MOBJ_RWS_MAX (16u * 1024u * 1024u)

typedef struct mobj_rws_rule {
	char *name;  /* UTF-8 */
	bool active; /* rule_is_active != 0 */
	size_t off;  /* the rule's bytes in the stream */
	size_t len;
} mobj_rws_rule;

typedef struct mobj_rws {
	int format;       /* 2016 (OL2016+) or 2002 */
	size_t declared;  /* the rule count in the stream */
	mobj_rws_rule *r; /* the rules walked, in order */
	size_t n;         /* == declared when every header was understood */
} mobj_rws;

/* Reads the stream's header and walks its rules. RP_EFORMAT when the
 * RW_Magic is not one of the known ones or the stream is cut in the header;
 * a rule that cannot be walked ends the walk (n < declared), it is not an
 * error: the search then covers the rest of the stream as one range. */
int mobj_rws_probe(const uint8_t *p, size_t n, mobj_rws *out);
void mobj_rws_free(mobj_rws *s);

/* What to look for: text (UTF-8, compared in Windows-1252 and UTF-16LE,
 * ASCII letters without case) or bytes (exact). */
typedef struct mobj_rws_needle {
	const char *text;
	const uint8_t *bytes;
	size_t nbytes;
} mobj_rws_needle;

/* For rule i (i < s->n) or, for i == s->n, the bytes after the last walked
 * rule: the index of the first needle found in its bytes, or -1. */
int mobj_rws_find(const uint8_t *p, size_t n, const mobj_rws *s, size_t i,
		  const mobj_rws_needle *nd, size_t nn);
/* A UTF-8 string in d as Windows-1252 or UTF-16LE text, any ASCII case. */
bool mobj_find_text(const uint8_t *d, size_t n, const char *s);

#endif
