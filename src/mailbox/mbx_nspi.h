/* mbx_nspi.h - the address book over MAPI/HTTP: NSPI request and response
 * bodies ([MS-OXCMAPIHTTP] 2.2.5, structures of 2.2.1; field meanings from
 * [MS-OXNSPI]). Pure codec, no I/O: the transport (mbx_http) posts the body
 * with X-RequestType mbx_nspi_type_name(type) to the AddressBook URL and
 * hands the response body back here.
 *
 * Wire facts (../shared/reference/mapi-http-protocol.md section 5):
 * integers little-endian; optional fields follow a Has... byte (0 absent,
 * anything else present; we send 0xFF as Exchange and gromox do); STAT is
 * 9 x 4 bytes; LargePropertyTagArray and MId arrays are count(4) + u32s;
 * in property values the counts of binary and multi-valued data are 4 bytes
 * and a HasValue byte precedes every string, binary and multi-valued value
 * (and, as gromox reads it, every element of a multi-valued string or binary
 * value). Every body ends with AuxiliaryBufferSize(4) + AuxiliaryBuffer.
 *
 * Decoding is strict: every count and size is checked against the bytes
 * left (rp_cur), counts are capped (MBX_NSPI_MAX_*), bytes after the
 * auxiliary buffer are an error. A failure returns RP_EFORMAT (or
 * RP_ELIMIT, RP_ENOMEM) with a one-line message naming the request type
 * and the field at fault. Decoded strings and binaries are views into the
 * body: keep the body alive as long as the decoded response. */
#ifndef MBX_NSPI_H
#define MBX_NSPI_H

#include "base/rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The request types of this codec; X-RequestType spelling from
 * mbx_nspi_type_name(). */
typedef enum mbx_nspi_type {
	MBX_NSPI_BIND = 0,
	MBX_NSPI_UNBIND,
	MBX_NSPI_DNTOMID,
	MBX_NSPI_GETPROPS,
	MBX_NSPI_QUERYROWS,
	MBX_NSPI_RESOLVENAMES,
	MBX_NSPI_GETMATCHES,
	MBX_NSPI_GETSPECIALTABLE,
	MBX_NSPI_TYPE_COUNT
} mbx_nspi_type;

/* "Bind", "Unbind", "DNToMId", "GetProps", "QueryRows", "ResolveNames",
 * "GetMatches", "GetSpecialTable"; NULL for an unknown type. */
const char *mbx_nspi_type_name(mbx_nspi_type type);

/* Caps on what a response may announce (the spec's 100000 for tag arrays
 * and explicit tables, HTTP15 2.2.1.8 / 2.2.5.12), checked before any
 * allocation. */
#define MBX_NSPI_MAX_TAGS 100000u
#define MBX_NSPI_MAX_MIDS 100000u
#define MBX_NSPI_MAX_ROWS 100000u
#define MBX_NSPI_MAX_MV 100000u

/* MinimalEntryID signals (MS-OXNSPI 2.2.8, 2.2.9). */
#define MBX_MID_BEGINNING_OF_TABLE 0u
#define MBX_MID_CURRENT 1u
#define MBX_MID_END_OF_TABLE 2u
#define MBX_MID_UNRESOLVED 0u
#define MBX_MID_AMBIGUOUS 1u
#define MBX_MID_RESOLVED 2u

/* ErrorCode values (MS-OXNSPI 2.2.2). */
#define MBX_NSPI_SUCCESS 0x00000000u
#define MBX_NSPI_UNBIND_SUCCESS 0x00000001u
#define MBX_NSPI_ERRORS_RETURNED 0x00040380u
#define MBX_NSPI_NOT_FOUND 0x8004010Fu
#define MBX_NSPI_LOGON_FAILED 0x80040111u
#define MBX_NSPI_TOO_COMPLEX 0x80040117u
#define MBX_NSPI_TABLE_TOO_BIG 0x80040403u
#define MBX_NSPI_ACCESS_DENIED 0x80070005u
#define MBX_NSPI_INVALID_PARAMETER 0x80070057u
#define MBX_NSPI_GENERAL_FAILURE 0x80004005u

/* GetProps / QueryRows Flags (MS-OXNSPI 2.2.11); GetSpecialTable Flags
 * (2.2.10). */
#define MBX_NSPI_FSKIPOBJECTS 0x00000001u
#define MBX_NSPI_FEPHID 0x00000002u
#define MBX_NSPI_SPECIAL_TEMPLATES 0x00000002u
#define MBX_NSPI_SPECIAL_UNICODE 0x00000004u

/* Code pages (MS-OXNSPI 2.2.4). */
#define MBX_CP_WINUNICODE 0x04B0u
#define MBX_CP_1252 0x04E4u
#define MBX_LCID_EN_US 0x0409u

/* Address-book property tags used by the resolver (MS-OXOABK; values from
 * the MAPI headers as quoted in MS-OXPROPS). */
#define MBX_PR_ENTRYID 0x0FFF0102u
#define MBX_PR_INSTANCE_KEY 0x0FF60102u
#define MBX_PR_OBJECT_TYPE 0x0FFE0003u
#define MBX_PR_DISPLAY_NAME_W 0x3001001Fu
#define MBX_PR_ADDRTYPE_W 0x3002001Fu
#define MBX_PR_EMAIL_ADDRESS_W 0x3003001Fu /* the legacyExchangeDN */
#define MBX_PR_DEPTH 0x30050003u
#define MBX_PR_CONTAINER_FLAGS 0x36000003u
#define MBX_PR_DISPLAY_TYPE 0x39000003u
#define MBX_PR_SMTP_ADDRESS_W 0x39FE001Fu
#define MBX_PR_ACCOUNT_W 0x3A00001Fu
#define MBX_PR_EMS_AB_PROXY_ADDRESSES_W 0x800F101Fu
#define MBX_PR_EMS_AB_CONTAINERID 0xFFFD0003u

/* STAT (MS-OXNSPI 2.3.7), 36 bytes on the wire. */
typedef struct mbx_nspi_stat {
	uint32_t sort_type; /* 0 display name, 3 phonetic */
	uint32_t container_id;
	uint32_t cur_rec; /* MId of the current row (GetProps: the object) */
	int32_t delta;
	uint32_t num_pos;
	uint32_t total_recs;
	uint32_t codepage;
	uint32_t template_locale;
	uint32_t sort_locale;
} mbx_nspi_stat;

#define MBX_NSPI_STAT_SIZE 36u

/* The Bind STAT of MS-OXNSPI section 4: code page 1252, both locales
 * 0x0409, everything else 0 (the GAL, sorted by display name). */
void mbx_nspi_stat_default(mbx_nspi_stat *s);
void mbx_nspi_stat_encode(const mbx_nspi_stat *s, uint8_t out[MBX_NSPI_STAT_SIZE]);
void mbx_nspi_stat_decode(mbx_nspi_stat *s, const uint8_t in[MBX_NSPI_STAT_SIZE]);

/* One element of a multi-valued string or binary value: bytes as on the
 * wire, without the terminating NUL of a string; present false when its
 * HasValue byte was 0. */
typedef struct mbx_ab_elem {
	const uint8_t *p;
	size_t n;
	bool present;
} mbx_ab_elem;

/* One address-book property value (AddressBookPropertyValue and its tagged,
 * typed and flagged forms, HTTP15 2.2.1.1-2.2.1.7).
 *
 * tag carries the type actually on the wire: for a row column of type
 * PT_UNSPECIFIED, the type the server wrote; for a flagged value with flag
 * 0x0A, PT_ERROR with the error in u.err; for a flagged value with flag 0x01
 * (no value), PT_NULL. flag is the FlaggedPropertyValue flag (0 for values
 * that were not flagged). */
typedef struct mbx_ab_value {
	uint32_t tag;
	uint8_t flag;
	/* string, binary and multi-valued types: false when HasValue was 0 */
	bool present;
	union {
		uint16_t i16; /* PT_SHORT, PT_BOOLEAN (1 byte on the wire) */
		uint32_t i32; /* PT_LONG, PT_FLOAT bits, PT_ERROR */
		uint64_t i64; /* PT_I8, PT_SYSTIME, PT_CURRENCY, PT_DOUBLE bits */
		uint8_t guid[16];
	} u;
	/* PT_STRING8 / PT_UNICODE (without NUL), PT_BINARY, PT_CLSID, others of
	 * variable size */
	const uint8_t *p;
	size_t n;
	/* multi-valued: count elements (fixed-size types: n bytes each in p
	 * order, elements point into the body too) */
	mbx_ab_elem *mv;
	size_t count;
} mbx_ab_value;

/* A row: values in column order (rows of QueryRows, ResolveNames,
 * GetMatches) or a tagged list (GetProps, GetSpecialTable), tags filled in
 * both cases. flagged: the row was an AddressBookPropertyRow with Flags 1. */
typedef struct mbx_ab_row {
	mbx_ab_value *vals;
	size_t count;
	bool flagged;
} mbx_ab_row;

/* The value of tag in row (matched on the property id; a PT_UNICODE /
 * PT_STRING8 twin matches too), NULL if absent or an error/empty value. */
const mbx_ab_value *mbx_ab_row_find(const mbx_ab_row *row, uint32_t tag);
/* A PT_UNICODE (UTF-16LE) or PT_STRING8 (Windows-1252) value, or one
 * element of a multi-valued one (index i; i = 0 for single values), as
 * malloc'd UTF-8. RP_EINVAL for another type or absent value. */
int mbx_ab_value_utf8(const mbx_ab_value *v, size_t i, char **out);

/* A request. Fields a type does not use are ignored (see each type):
 *   Bind            flags (0; 0x20 anonymous), stat
 *   Unbind          -
 *   DNToMId         names (legacyExchangeDNs, sent as 8-bit strings)
 *   GetProps        flags, stat (cur_rec = the object's MId), tags
 *   QueryRows       flags, stat, mids (explicit table; may be empty),
 *                   row_count, tags (columns)
 *   ResolveNames    stat, tags, names (UTF-8, sent as UTF-16LE)
 *   GetMatches      stat, mids (has_mids), filter, row_count, tags
 *   GetSpecialTable flags, stat, has_version + version
 * stat NULL sends HasState 0; tags NULL sends HasPropertyTags/HasColumns 0;
 * names NULL sends HasNames 0. */
typedef struct mbx_nspi_req {
	uint32_t flags;
	const mbx_nspi_stat *stat;
	const uint32_t *tags;
	size_t tag_count;
	const uint32_t *mids;
	size_t mid_count;
	bool has_mids; /* GetMatches only: send the MId list */
	const char *const *names;
	size_t name_count;
	uint32_t row_count;
	/* GetMatches: an encoded NSPI restriction (mbx_nspi_filter_*), NULL
	 * for none */
	const uint8_t *filter;
	size_t filter_len;
	bool has_version;
	uint32_t version;
} mbx_nspi_req;

/* Appends the request body of type (including an empty auxiliary buffer)
 * to out. RP_EINVAL for counts over the caps or a name that cannot be sent
 * (invalid UTF-8, or non-ASCII for DNToMId); RP_ENOMEM. */
int mbx_nspi_req_encode(mbx_nspi_type type, const mbx_nspi_req *req, rp_buf *out);

/* NSPI restrictions for GetMatches (MS-OXCDATA 2.12 in the address-book
 * form: 4-byte counts, HasValue before tagged values). Each appends one
 * restriction to out. */
/* RES_PROPERTY, RELOP_EQ on a PT_UNICODE tag with a UTF-8 value (a
 * PT_MV_UNICODE tag matches any of its values). */
int mbx_nspi_filter_eq_str(rp_buf *out, uint32_t tag, const char *utf8);
/* RES_CONTENT with FL_PREFIX | FL_IGNORECASE on a PT_(MV_)UNICODE tag. */
int mbx_nspi_filter_prefix_str(rp_buf *out, uint32_t tag, const char *utf8);
/* RES_OR over n restrictions already encoded back to back in parts. */
int mbx_nspi_filter_or(rp_buf *out, const uint8_t *parts, size_t len, uint32_t n);

/* A decoded response. Only the fields of its type are set; has_* say
 * which optional parts were present:
 *   Bind            server_guid
 *   Unbind          -
 *   DNToMId         mids
 *   GetProps        codepage, rows[0] (row_count 1) when has_rows
 *   QueryRows       stat, columns + rows
 *   ResolveNames    codepage, mids (one per name), columns + rows (the
 *                   resolved names only, in order)
 *   GetMatches      stat, mids, columns + rows
 *   GetSpecialTable codepage, version, rows (one tagged list per container)
 * status != 0 means the request failed before NSPI ran (the rest is
 * empty); error is NSPI's ErrorCode. */
typedef struct mbx_nspi_rsp {
	mbx_nspi_type type;
	uint32_t status;
	uint32_t error;
	uint8_t server_guid[16];
	uint32_t codepage;
	bool has_stat;
	mbx_nspi_stat stat;
	bool has_mids;
	uint32_t *mids;
	size_t mid_count;
	bool has_version;
	uint32_t version;
	bool has_rows;
	uint32_t *columns;
	size_t column_count;
	mbx_ab_row *rows;
	size_t row_count;
	const uint8_t *aux; /* auxiliary buffer (not interpreted) */
	size_t aux_len;
} mbx_nspi_rsp;

/* Decodes the response body of type into *out (zeroed first; free with
 * mbx_nspi_rsp_free, also after an error). */
int mbx_nspi_rsp_decode(mbx_nspi_rsp *out, mbx_nspi_type type, const uint8_t *body,
			size_t len);
void mbx_nspi_rsp_free(mbx_nspi_rsp *r);

/* One address-book entry as the resolver needs it, copied out of a row
 * (malloc'd strings; NULL when the row lacks the column). */
typedef struct mbx_ab_entry {
	uint32_t mid;
	uint32_t display_type;
	char *display_name;
	char *legacy_dn; /* PR_EMAIL_ADDRESS */
	char *smtp;      /* PR_SMTP_ADDRESS */
	char **proxies;  /* PR_EMS_AB_PROXY_ADDRESSES as sent ("SMTP:", "X500:"...) */
	size_t proxy_count;
} mbx_ab_entry;

/* The columns mbx_ab_entry_from_row reads, in the order a client should ask
 * for them. */
extern const uint32_t mbx_ab_entry_columns[];
extern const size_t mbx_ab_entry_column_count;

int mbx_ab_entry_from_row(const mbx_ab_row *row, uint32_t mid, mbx_ab_entry *out);
void mbx_ab_entry_free(mbx_ab_entry *e);

#endif
