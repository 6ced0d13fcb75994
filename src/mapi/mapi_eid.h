/* mapi_eid.h - entry ID codecs (MS-OXCDATA 2.2.4, 2.2.5; mapi-binary-formats.md 1).
 *
 * eid_decode() dispatches on the 16-byte provider UID at offset 4 and parses
 * every field; eid_encode() writes the same bytes back. Round trip is exact:
 * encode(decode(x)) == x for every ID decode accepts. Anything a layout leaves
 * unexplained (unknown provider, unknown wrapped DLL, bytes after a known
 * structure, padding) is kept verbatim in the struct, never dropped or
 * rejected. Only IDs that are cut short or whose length fields point outside
 * the data fail, with RP_EFORMAT and a message naming the field and offset.
 * An ID shorter than the 20-byte header is kept as EID_OPAQUE with
 * short_header set (raw = all bytes). Folder and message IDs are recognised
 * by their size (46 / 70 bytes) under any provider that has no layout of its
 * own, as MFCMAPI does. Nested IDs (contab, WAB) deeper than EID_MAX_DEPTH are
 * kept as raw bytes only.
 *
 * Strings are kept as stored (8-bit bytes, or UTF-16LE bytes) so encoding is
 * exact; the eid_*_utf8 helpers convert. To rewrite an ID (switching a store
 * to another mailbox) change the fields and encode: lengths and v2/v3 sizes and
 * offsets are recomputed. */
#ifndef MAPI_EID_H
#define MAPI_EID_H

#include "../base/rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EID_MAX_DEPTH 4 /* nesting of wrapped IDs (WAB -> AB, contab -> msg) */

typedef enum eid_kind {
	EID_OPAQUE = 0, /* unknown provider: header + raw bytes */
	EID_AB,         /* Exchange address book (EX), muidEMSAB */
	EID_STORE,      /* store wrapper muidStoreWrap, see store.dll */
	EID_FOLDER,     /* 46-byte folder ID (private or public) */
	EID_MESSAGE,    /* 70-byte message ID */
	EID_ONEOFF,     /* one-off recipient */
	EID_CONTAB,     /* Contacts AB (contab) user / PDL / container */
	EID_WAB,        /* WAB-wrapped member ID (PDL members) */
	EID_EPHEMERAL   /* NSPI ephemeral AB ID (flags[0] 0x87, 32 bytes) */
} eid_kind;

typedef enum eid_store_kind {
	EID_STORE_EMSMDB, /* Exchange private or public store */
	EID_STORE_MSPST,  /* PST (mspst.dll) */
	EID_STORE_OTHER   /* other DLL: wrapped ID kept opaque */
} eid_store_kind;

typedef struct eid_bytes {
	uint8_t *p;
	size_t n;
} eid_bytes;

typedef struct eid_store {
	uint8_t version; /* byte 20 */
	uint8_t flag;    /* byte 21 */
	eid_bytes dll;   /* DLL name bytes incl. NUL and zero padding to 4 */
	eid_store_kind kind;
	/* EMSMDB */
	uint32_t wrapped_flags;
	uint8_t wrapped_provider[16]; /* private 1B55FA20..., public 1C830210... */
	uint32_t wrapped_type;        /* 0x0C private, 0x06 public */
	eid_bytes server;             /* 8-bit server short name, no NUL */
	bool has_mailbox_dn;
	eid_bytes mailbox_dn;         /* 8-bit legacyExchangeDN, no NUL */
	int tail_version;             /* 0 none, 2 (magic F32135D8), 3 (magic F43246E9) */
	uint32_t tail_struct_version; /* ulVersion as stored (1 for v2, 2 for v3) */
	/* The tail's strings are read in sequence (v2: DN at 20, FQDN right after
	 * it; v3: SMTP at 16), as MFCMAPI does; an offset of 0 marks a string as
	 * absent. Stored ulSize and offsets may disagree with that packed layout
	 * (the MFCMAPI vectors do, by 0..14 bytes); the differences are kept here
	 * so unchanged IDs re-encode exactly. Encode writes packed value + delta,
	 * so after a rewrite sizes and offsets follow the new string lengths;
	 * eid_store_tail_normalize() zeroes the offset deltas. Packed ulSize =
	 * header (20 / 16) + strings with terminators. */
	int64_t tail_size_delta;
	int64_t tail_off_delta[2]; /* v2: [0] DN, [1] FQDN; v3: [0] SMTP */
	eid_bytes v2_server_dn;    /* 8-bit, no NUL; empty when offset is 0 */
	bool v2_has_dn, v2_has_fqdn, v3_has_smtp; /* offset field non-zero */
	eid_bytes v2_server_fqdn;                 /* UTF-16LE, no NUL */
	eid_bytes v3_smtp;                        /* UTF-16LE, no NUL */
	eid_bytes tail_reserved;                  /* bytes after the tail's strings */
	/* MSPST */
	uint32_t pst_flags;
	uint8_t pst_uid[16];
	uint8_t pst_reserved;
	bool pst_unicode;   /* path stored as UTF-16 after an empty 8-bit one */
	eid_bytes pst_path; /* 8-bit or UTF-16LE bytes, no NUL */
	/* OTHER: the wrapped ID; else anything after the parsed structure. */
	eid_bytes rest;
} eid_store;

typedef struct eid {
	eid_kind kind;
	uint8_t flags[4];
	uint8_t provider[16];
	union {
		struct { /* EID_AB and EID_EPHEMERAL */
			uint32_t version;
			uint32_t type; /* DT_MAILUSER 0, DT_DISTLIST 1, ... */
			eid_bytes dn;  /* EID_AB: 8-bit X500 DN, no NUL */
			uint32_t mid;  /* EID_EPHEMERAL: NSPI minimal entry ID */
		} ab;
		eid_store store;
		struct { /* EID_FOLDER / EID_MESSAGE */
			uint16_t type;
			uint8_t db_guid[16];
			uint8_t counter[6]; /* big-endian global counter */
			uint8_t pad[2];
			uint8_t msg_db_guid[16];
			uint8_t msg_counter[6];
			uint8_t msg_pad[2];
		} obj;
		struct { /* EID_ONEOFF */
			uint16_t version;
			uint16_t flags; /* 0x8000 Unicode */
			eid_bytes display_name, addr_type,
			    address; /* as stored, no NUL */
		} oneoff;
		struct { /* EID_CONTAB */
			uint32_t version;
			uint32_t type;       /* 4 user, 5 PDL, 1-3 container */
			uint32_t index;      /* user/PDL: email index */
			uint8_t muid[16];    /* container forms */
			struct eid *inner;   /* decoded wrapped ID, or NULL; encode
					      * uses it when set, else inner_raw */
			eid_bytes inner_raw; /* the wrapped bytes as stored */
		} contab;
		struct { /* EID_WAB */
			uint8_t type;
			struct eid *inner;
			eid_bytes inner_raw;
		} wab;
	} u;
	eid_bytes extra;   /* bytes after a fully parsed structure (kept) */
	eid_bytes raw;     /* EID_OPAQUE: bytes after the provider UID */
	bool short_header; /* EID_OPAQUE shorter than 20 bytes: raw = all bytes */
} eid;

/* Decodes n bytes into *out (caller frees with eid_free, also after an
 * error). RP_EFORMAT naming field and offset; RP_ENOMEM. */
int eid_decode(eid *out, const uint8_t *p, size_t n);
/* Appends the encoding of e to out. Lengths, counts, v2/v3 sizes and offsets
 * are recomputed from the fields. RP_EINVAL if a field cannot be written
 * (e.g. an 8-bit string with a NUL in it). */
int eid_encode(const eid *e, rp_buf *out);
void eid_free(eid *e);
/* Deep copy (through encode + decode, so it is exact); dst is overwritten and
 * must be freed with eid_free. */
int eid_copy(eid *dst, const eid *src);

/* "ab", "store", "folder", ... and for stores "emsmdb", "mspst". */
const char *eid_kind_name(const eid *e);
/* Well-known provider UID name ("muidEMSAB", ...), or NULL. */
const char *eid_provider_name(const uint8_t uid[16]);

/* Field setters for rewriting (copy the bytes; lengths recomputed on encode). */
int eid_bytes_set(eid_bytes *b, const void *p, size_t n);
int eid_bytes_set_utf16(eid_bytes *b, const char *utf8); /* no NUL stored */
int eid_bytes_set_str8(eid_bytes *b, const char *utf8);  /* Windows-1252 */
/* A field as UTF-8 (malloc'd): utf16 selects UTF-16LE, else Windows-1252. */
int eid_bytes_utf8(const eid_bytes *b, bool utf16, char **out);
/* Sets a store ID's DLL name (ASCII), NUL and zero padding so that the
 * wrapped ID starts 4-byte aligned ("EMSMDB.DLL" -> 14 bytes). */
int eid_store_set_dll(eid_store *s, const char *name);
/* Sets the v2/v3 tail's offset deltas to 0 (offsets = packed layout). */
void eid_store_tail_normalize(eid_store *s);
/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" from 16 stored (LE) bytes. */
void eid_guid_str(const uint8_t g[16], char out[39]);

/* Human-readable tree and stable JSON of every field. */
struct rp_json;
int eid_render_text(const eid *e, rp_buf *out, int indent);
void eid_render_json(const eid *e, struct rp_json *j);

#endif
