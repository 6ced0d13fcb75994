/* mapi_nick.h - the nickname cache: Outlook 2010+ autocomplete stream
 * (RoamCache\Stream_Autocomplete_*.dat) and the Outlook 2003/2007 .nk2 file.
 *
 * Both share one layout (MicrosoftDocs "Autocomplete Stream"; the NK2 format
 * PDF; ../shared/reference/mapi-binary-formats.md 3):
 *   metadata (4, 0xBAADF00D) | major (4) | minor (4) | row count (4)
 *   rows: property count (4), then per property tag (4), reserved (4), value
 *         union (8) and, for dynamic types, value data
 *   extra-info byte count (4) | extra info | metadata (8)
 * Static types (I2, LONG, ERROR, R4, DOUBLE, BOOLEAN, SYSTIME, I8) live in the
 * union. Dynamic: STRING8/UNICODE/BINARY = u32 cb + bytes; CLSID = 16 bytes;
 * MV_BINARY/MV_STRING8/MV_UNICODE = u32 count + count x (u32 cb + bytes). Any
 * other type has no defined size in the stream and fails the decode.
 *
 * Round trip: mapi_nick_encode(mapi_nick_decode(x)) == x byte for byte. The
 * metadata, versions, reserved fields, unions (also of dynamic values), extra
 * info and trailer are kept as stored. Bytes after the trailer, counts that
 * cannot fit the data, and values running past the end are RP_EFORMAT naming
 * the row, property and offset: a nickname file is never half-understood.
 *
 * Outlook reads an autocomplete stream only with major version 12; .nk2 files
 * carry 10 (the PDF's example, MFCMAPI's NICKNAMECACHE-2). The codec parses
 * any major; mapi_nick_major_ok() says whether a file of that kind may be
 * rewritten. */
#ifndef MAPI_NICK_H
#define MAPI_NICK_H

#include "../base/rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAPI_NICK_METADATA 0xBAADF00Du
#define MAPI_NICK_MAJOR_STREAM 12u /* Outlook 2010+ autocomplete stream */
#define MAPI_NICK_MAJOR_NK2 10u    /* Outlook 2003/2007 .nk2 file */

/* Row properties this module reads or rewrites (MicrosoftDocs "Autocomplete
 * Stream", "Significant properties"; mapi-binary-formats.md 3). Ids only: a
 * string may be stored as PT_UNICODE or PT_STRING8. */
#define MAPI_NICK_ID_NICK_NAME 0x6001u
#define MAPI_NICK_ID_DROPDOWN_DISPLAY 0x6003u
#define MAPI_NICK_ID_WEIGHT 0x6004u
#define MAPI_NICK_ID_ENTRYID 0x0FFFu
#define MAPI_NICK_ID_RECORD_KEY 0x0FF9u
#define MAPI_NICK_ID_RECIPIENT_ENTRYID 0x5FF7u
#define MAPI_NICK_ID_DISPLAY_NAME 0x3001u
#define MAPI_NICK_ID_ADDRTYPE 0x3002u
#define MAPI_NICK_ID_EMAIL_ADDRESS 0x3003u
#define MAPI_NICK_ID_SEARCH_KEY 0x300Bu
#define MAPI_NICK_ID_RECIPIENT_DISPLAY 0x5FF6u
#define MAPI_NICK_ID_SMTP_ADDRESS 0x39FEu

/* Bytes of a value: either a view into the decoded stream's own copy, or
 * owned (set by a rewrite). */
typedef struct mapi_nick_bytes {
	const uint8_t *p;
	size_t n;
	bool owned;
} mapi_nick_bytes;

typedef struct mapi_nick_prop {
	uint32_t tag;
	uint8_t reserved[4];
	uint8_t un[8];        /* value union as stored (static value, or filler) */
	mapi_nick_bytes data; /* STRING8/UNICODE/BINARY (after cb), CLSID (16) */
	mapi_nick_bytes *mv;  /* MV_*: count items (after each cb) */
	size_t count;
} mapi_nick_prop;

typedef struct mapi_nick_row {
	size_t first; /* index of the row's first property in props */
	size_t count; /* number of properties */
} mapi_nick_row;

typedef struct mapi_nick {
	uint8_t metadata[4];
	uint32_t major, minor;
	mapi_nick_row *rows;
	size_t nrows;
	mapi_nick_prop *props; /* all rows' properties, in order */
	size_t nprops;
	mapi_nick_bytes extra; /* extra info */
	uint8_t trailer[8];    /* closing metadata (a FILETIME in samples) */
	uint8_t *raw;          /* the decoder's copy of the input (NULL: a view) */
	size_t raw_len;
} mapi_nick;

/* Decodes n bytes into *out (copied; free with mapi_nick_free, also after
 * an error). RP_EFORMAT with a message naming row, property and offset;
 * RP_ENOMEM. */
int mapi_nick_decode(mapi_nick *out, const uint8_t *p, size_t n);
/* The same without the copy: values point into p, which must stay unchanged
 * and alive until mapi_nick_free (saves a file-sized buffer). */
int mapi_nick_decode_view(mapi_nick *out, const uint8_t *p, size_t n);
/* Appends the stream to out. RP_EINVAL if a value is too long for its
 * 32-bit count. */
int mapi_nick_encode(const mapi_nick *s, rp_buf *out);
void mapi_nick_free(mapi_nick *s);

/* Whether a file of this kind with this major version may be rewritten:
 * nk2 selects the .nk2 file (major 10), else the stream (major 12). */
bool mapi_nick_major_ok(uint32_t major, bool nk2);

/* Property of row with property id id (any type), or NULL. */
mapi_nick_prop *mapi_nick_find(const mapi_nick *s, size_t row, uint16_t id);
/* A string property (PT_UNICODE or PT_STRING8, Windows-1252) as UTF-8
 * (malloc'd, without the terminator). RP_ENOTFOUND if absent or not a string. */
int mapi_nick_str(const mapi_nick *s, size_t row, uint16_t id, char **out);

typedef enum mapi_nick_kind {
	MAPI_NICK_OTHER = 0, /* no address this module understands */
	MAPI_NICK_EX,        /* Exchange recipient: EX address-book ID or EX one-off */
	MAPI_NICK_SMTP,      /* Internet recipient: SMTP one-off */
	MAPI_NICK_CONTACT    /* Contacts address book (contab/WAB ID): mailbox-side */
} mapi_nick_kind;

/* Who a row names. dn / smtp are malloc'd UTF-8 or NULL. The kind comes from
 * PR_ENTRYID when it decodes, else from PR_ADDRTYPE + PR_EMAIL_ADDRESS; dn is
 * the EX DN; smtp is PR_SMTP_ADDRESS when stored as a string, else the SMTP
 * one-off's address. */
typedef struct mapi_nick_who {
	mapi_nick_kind kind;
	char *dn;
	char *smtp;
} mapi_nick_who;

int mapi_nick_row_who(const mapi_nick *s, size_t row, mapi_nick_who *out);
void mapi_nick_who_free(mapi_nick_who *w);

/* Points row at a migrated recipient. For an EX row (who.kind EX) new_dn is
 * required: every entry ID among PR_ENTRYID, PR_RECIPIENT_ENTRYID and
 * PR_RECORD_KEY that names the old DN (AB ID or EX one-off) gets new_dn,
 * PR_EMAIL_ADDRESS equal to the old DN becomes new_dn, an "EX:" PR_SEARCH_KEY
 * becomes "EX:" + upper-case new_dn + NUL. For an SMTP row new_smtp is
 * required: the one-off IDs' address (and their display name when it is the
 * address), PR_EMAIL_ADDRESS and the "SMTP:" search key follow it. Both:
 * PR_SMTP_ADDRESS (a string, or a PT_ERROR placeholder, which becomes a
 * PT_UNICODE value) gets new_smtp when given, and display strings (nickname,
 * display, recipient display, dropdown) equal to the old address get the new
 * one. Everything else of the row stays as stored, in place. *changed (may
 * be NULL) receives the number of properties changed. RP_EINVAL when the row
 * is of another kind or the required address is missing. */
int mapi_nick_row_rewrite(mapi_nick *s, size_t row, const char *new_dn,
			  const char *new_smtp, size_t *changed);

#endif
