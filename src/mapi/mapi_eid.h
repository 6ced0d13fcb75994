/* mapi_eid.h - entry ID codecs (MS-OXCDATA 2.2.4, 2.2.5; mapi-binary-formats.md 1).
 *
 * eid_decode() dispatches on the 16-byte provider UID at offset 4 and parses
 * every field; eid_encode() writes the same bytes back. Round trip is exact:
 * encode(decode(x)) == x for every ID decode accepts. Anything a layout leaves
 * unexplained (unknown provider, unknown wrapped DLL, bytes after a known
 * structure, padding) is kept verbatim in the struct, never dropped or
 * rejected. Only IDs that are cut short or whose length fields point outside
 * the data fail, with RP_EFORMAT and a message naming the field and offset.
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
	EID_WAB         /* WAB-wrapped member ID (PDL members) */
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
	eid_bytes mailbox_dn;   /* 8-bit legacyExchangeDN, no NUL */
	int tail_version;       /* 0 none, 2 (magic F32135D8), 3 (magic F43246E9) */
	eid_bytes v2_server_dn; /* 8-bit, no NUL; empty when offset is 0 */
	bool v2_has_dn, v2_has_fqdn;
	eid_bytes v2_server_fqdn; /* UTF-16LE, no NUL */
	eid_bytes v3_smtp;        /* UTF-16LE, no NUL */
	eid_bytes tail_reserved;  /* bytes after the tail's strings */
	/* MSPST */
	uint32_t pst_flags;
	uint8_t pst_uid[16];
	uint8_t pst_reserved;
	bool pst_unicode;   /* path stored as UTF-16 after an empty 8-bit one */
	eid_bytes pst_path; /* 8-bit or UTF-16LE bytes, no NUL */
	/* OTHER, and anything after a parsed EMSMDB/MSPST structure */
	eid_bytes rest;
} eid_store;

typedef struct eid {
	eid_kind kind;
	uint8_t flags[4];
	uint8_t provider[16];
	union {
		struct { /* EID_AB */
			uint32_t version;
			uint32_t type; /* DT_MAILUSER 0, DT_DISTLIST 1, ... */
			eid_bytes dn;  /* 8-bit X500 DN, no NUL */
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
			struct eid *inner;   /* wrapped message ID, or NULL */
			eid_bytes inner_raw; /* the wrapped bytes as stored */
		} contab;
		struct { /* EID_WAB */
			uint8_t type;
			struct eid *inner;
			eid_bytes inner_raw;
		} wab;
	} u;
	eid_bytes extra; /* bytes after a fully parsed structure (kept) */
	eid_bytes raw;   /* EID_OPAQUE: bytes after the provider UID */
} eid;

int eid_decode(eid *out, const uint8_t *p, size_t n);
int eid_encode(const eid *e, rp_buf *out);
void eid_free(eid *e);

/* "ab", "store", "folder", ... and for stores "emsmdb", "mspst". */
const char *eid_kind_name(const eid *e);
/* Well-known provider UID name ("muidEMSAB", ...), or NULL. */
const char *eid_provider_name(const uint8_t uid[16]);

/* Field setters for rewriting (copy the bytes; lengths recomputed on encode). */
int eid_bytes_set(eid_bytes *b, const void *p, size_t n);
int eid_bytes_set_utf16(eid_bytes *b, const char *utf8); /* no NUL stored */

/* Human-readable tree and stable JSON of every field. */
struct rp_json;
int eid_render_text(const eid *e, rp_buf *out, int indent);
void eid_render_json(const eid *e, struct rp_json *j);

#endif
