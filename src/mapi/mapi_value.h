/* mapi_value.h - registry value <-> typed MAPI property value.
 *
 * Layouts (../shared/reference/outlook-profile-registry.md 1.3): scalars as LE
 * bytes in REG_BINARY; PT_UNICODE as UTF-16LE with NUL; PT_STRING8 as REG_SZ or
 * REG_BINARY; PT_MV_LONG as a bare array; PT_MV_BINARY as count + descriptors
 * + 4-byte-padded blobs; PT_MV_UNICODE/STRING8 as count + offsets + strings.
 * Multi-value descriptors come in two widths: 32-bit Outlook writes 8-byte
 * binary descriptors {u32 cb; u32 off} and 4-byte string offsets (u32 off);
 * 64-bit Outlook writes 16-byte binary descriptors {u32 cb; u32 pad; u64 off}
 * and 8-byte string offsets (u64 off). Offsets are absolute from the value's
 * start. The width is detected on decode (the first offset must equal the
 * size of the count + descriptor array) and kept on encode. Other fixed-size
 * MV types (SHORT, I8, SYSTIME, CLSID, ...) are bare arrays like PT_MV_LONG.
 * See docs/mapi-formats.md.
 *
 * Round-trip contract: mapi_value_encode(mapi_value_decode(x)) == x byte for
 * byte for every value this codec accepts. Whatever an encoding could
 * otherwise lose (the registry type of a string, a missing terminator,
 * descriptor width, padding bytes) is recorded in the value. Input the codec
 * cannot reproduce exactly is rejected with RP_EFORMAT, never altered.
 * Strings are kept as the exact stored code units/bytes; the _utf8 helpers
 * convert for display.
 *
 * Canonical layout (the only one accepted, so the only one written): items
 * follow the descriptor array in order with no gaps; every binary blob,
 * including the last, is followed by zero bytes up to a 4-byte boundary
 * (a zero-length blob's offset is the current position); strings are packed
 * with no padding. Non-zero padding, gaps, overlaps, out-of-order or
 * out-of-range offsets are rejected (RP_EFORMAT naming the descriptor and
 * offset). Bytes after the canonical end are kept verbatim in tail. A
 * zero-count MV value is the 4-byte count 0 (width NONE); an MV value with no
 * data at all (not even a count) decodes as opaque.
 *
 * Registry types: scalars are interpreted from REG_BINARY (PT_LONG also from
 * REG_DWORD, PT_I8 from REG_QWORD); strings from REG_BINARY, REG_SZ or
 * REG_EXPAND_SZ (REG_SZ data is UTF-16LE as the registry stores it, also for
 * PT_STRING8). Any other combination, and types this codec does not model
 * (PT_OBJECT, PT_SVREID, ...), decode as opaque values that re-encode
 * verbatim. A scalar of the wrong size is RP_EFORMAT. */
#ifndef MAPI_VALUE_H
#define MAPI_VALUE_H

#include "../base/rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAPI_MV_MAX_COUNT 65536u

/* Registry value types this codec interprets (winnt.h numbers, the same as
 * reg.h REG_T_*; repeated here so mapi does not depend on registry). */
#define MAPI_REG_SZ 1u
#define MAPI_REG_EXPAND_SZ 2u
#define MAPI_REG_BINARY 3u
#define MAPI_REG_DWORD 4u
#define MAPI_REG_QWORD 11u

typedef struct mapi_bin {
	uint8_t *p;
	size_t n;
} mapi_bin;

typedef enum mapi_mv_width {
	MAPI_MV_WIDTH_NONE = 0, /* single-valued, or empty MV with no descriptor */
	MAPI_MV_WIDTH_32 = 8,   /* 32-bit Outlook layout */
	MAPI_MV_WIDTH_64 = 16   /* 64-bit Outlook layout */
} mapi_mv_width;

typedef struct mapi_value {
	uint32_t tag;
	uint32_t regtype; /* registry type it was (or will be) stored as */
	mapi_mv_width width;
	/* PT_CURRENCY uses i8. */
	union {
		int16_t i;
		int32_t l;
		uint16_t b; /* PT_BOOLEAN as stored (2 bytes) */
		int64_t i8;
		uint64_t ft; /* PT_SYSTIME FILETIME */
		uint8_t guid[16];
		double d;     /* PT_DOUBLE, PT_APPTIME */
		float f;      /* PT_FLOAT */
		uint32_t err; /* PT_ERROR */
	} u;
	/* PT_BINARY, PT_UNICODE (UTF-16LE bytes incl. NUL when stored), PT_STRING8
	 * (bytes incl. NUL when stored), and any type this codec keeps opaque. */
	mapi_bin bin;
	/* Multi-valued: count items; for MV_LONG/SHORT/I8/SYSTIME/CLSID the items
	 * are in mv[i] as raw LE bytes of the element size; for MV_BINARY the
	 * blobs; for MV_UNICODE/STRING8 the strings as stored (with NUL). */
	mapi_bin *mv;
	size_t count;
	/* Bytes after the canonical end of an MV value (normally none), kept
	 * verbatim and written after the items on encode. */
	mapi_bin tail;
	bool opaque; /* type not interpreted; bin holds the raw data */
} mapi_value;

/* Decodes raw registry data for tag into *out (which the caller frees with
 * mapi_value_free, also after an error). Opaque types decode to opaque values.
 * RP_EFORMAT (message names the type, descriptor and offset) for data this
 * codec cannot reproduce; RP_ENOMEM. */
int mapi_value_decode(mapi_value *out, uint32_t tag, uint32_t regtype,
		      const uint8_t *data, size_t len);
/* Appends the encoding of v to out; *regtype (may be NULL) receives the
 * registry type to store it as. RP_EINVAL if v is inconsistent (an MV item of
 * the wrong size, items but no width, a 32-bit layout over 4 GiB). */
int mapi_value_encode(const mapi_value *v, rp_buf *out, uint32_t *regtype);
void mapi_value_free(mapi_value *v);
/* Deep copy; dst is overwritten (not freed first). */
int mapi_value_copy(mapi_value *dst, const mapi_value *src);

/* PT_UNICODE / PT_STRING8 (single) as UTF-8 (malloc'd). STRING8 is read as
 * Windows-1252. */
int mapi_value_str_utf8(const mapi_value *v, char **out);
/* Item i of an MV string value as UTF-8. */
int mapi_value_mvstr_utf8(const mapi_value *v, size_t i, char **out);
/* Builders: fill *out (overwritten, not freed first; free it with
 * mapi_value_free) from UTF-8 / bytes / integers, with registry type
 * REG_BINARY unless given. The tag's type is forced to the builder's type.
 * RP_EINVAL for a string that cannot be stored (e.g. a character outside
 * Windows-1252 for PT_STRING8 in REG_BINARY); RP_ENOMEM. */
int mapi_value_set_unicode(mapi_value *out, uint32_t tag, const char *utf8);
int mapi_value_set_string8(mapi_value *out, uint32_t tag, uint32_t regtype,
			   const char *s);
int mapi_value_set_binary(mapi_value *out, uint32_t tag, const void *p, size_t n);
int mapi_value_set_long(mapi_value *out, uint32_t tag, int32_t v);
/* Replaces item i of an MV value with n raw bytes as stored (for MV strings
 * including the terminator); the width is kept. RP_EINVAL if i >= count. */
int mapi_value_mv_set(mapi_value *v, size_t i, const void *p, size_t n);
/* Inserts an item before index i (i == count appends). For a value whose
 * width is NONE (it was empty) set v->width before encoding. */
int mapi_value_mv_insert(mapi_value *v, size_t i, const void *p, size_t n);
int mapi_value_mv_remove(mapi_value *v, size_t i);
/* MV_UNICODE / MV_STRING8: sets (i < count) or appends (i == count) item i
 * from UTF-8, adding the terminator. */
int mapi_value_mv_set_utf8(mapi_value *v, size_t i, const char *utf8);
/* An empty MV value of tag with the given width (MAPI_MV_WIDTH_NONE for
 * fixed-size types). */
int mapi_value_set_mv_empty(mapi_value *out, uint32_t tag, mapi_mv_width width);

/* 8-bit strings: Windows-1252 bytes -> UTF-8 (malloc'd), and UTF-8 ->
 * Windows-1252 appended to b (RP_EINVAL naming a character it cannot hold). */
int mapi_str8_to_utf8(const uint8_t *p, size_t n, char **out);
int mapi_utf8_to_str8(const char *s, rp_buf *b, bool nul);

/* One-line human rendering (strings quoted, binary hex, MV as [a, b]). */
int mapi_value_render(const mapi_value *v, rp_buf *out);
/* JSON object: tag, regname, name, type, regtype, width, value(s). */
struct rp_json;
void mapi_value_render_json(const mapi_value *v, struct rp_json *j);

#endif
