/* mapi_value.h - registry value <-> typed MAPI property value.
 *
 * Layouts (../shared/reference/outlook-profile-registry.md 1.3): scalars as LE
 * bytes in REG_BINARY; PT_UNICODE as UTF-16LE with NUL; PT_STRING8 as REG_SZ or
 * REG_BINARY; PT_MV_LONG as a bare array; PT_MV_BINARY as count + descriptors
 * + 4-byte-padded blobs; PT_MV_UNICODE/STRING8 as count + offsets + strings.
 * Multi-value descriptors come in two widths: 8 bytes (32-bit Outlook:
 * {u32 cb; u32 off} / u32 off) and 16 bytes (64-bit: {u32 cb; u32 pad; u64
 * off} / u64 off). The width is detected on decode and kept on encode.
 *
 * Round-trip contract: mapi_value_encode(mapi_value_decode(x)) == x byte for
 * byte for every value this codec accepts. Whatever an encoding could
 * otherwise lose (the registry type of a string, a missing terminator,
 * descriptor width, padding bytes) is recorded in the value. Input the codec
 * cannot reproduce exactly is rejected with RP_EFORMAT, never altered.
 * Strings are kept as the exact stored code units/bytes; the _utf8 helpers
 * convert for display. */
#ifndef MAPI_VALUE_H
#define MAPI_VALUE_H

#include "../base/rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAPI_MV_MAX_COUNT 65536u

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
	union {
		int16_t i;
		int32_t l;
		uint16_t b; /* PT_BOOLEAN as stored (2 bytes) */
		int64_t i8;
		uint64_t ft; /* PT_SYSTIME FILETIME */
		uint8_t guid[16];
		double d;
	} u;
	/* PT_BINARY, PT_UNICODE (UTF-16LE bytes incl. NUL when stored), PT_STRING8
	 * (bytes incl. NUL when stored), and any type this codec keeps opaque. */
	mapi_bin bin;
	/* Multi-valued: count items; for MV_LONG/SHORT/I8/SYSTIME/CLSID the items
	 * are in mv[i] as raw LE bytes of the element size; for MV_BINARY the
	 * blobs; for MV_UNICODE/STRING8 the strings as stored (with NUL). */
	mapi_bin *mv;
	size_t count;
	/* Bytes after the last item (MV padding) kept for exact re-encoding. */
	mapi_bin tail;
	bool opaque; /* type not interpreted; bin holds the raw data */
} mapi_value;

/* Decodes raw registry data for tag. Opaque types decode to opaque values. */
int mapi_value_decode(mapi_value *out, uint32_t tag, uint32_t regtype,
		      const uint8_t *data, size_t len);
/* Encodes v; *regtype receives the registry type to store it as. */
int mapi_value_encode(const mapi_value *v, rp_buf *out, uint32_t *regtype);
void mapi_value_free(mapi_value *v);

/* PT_UNICODE / PT_STRING8 (single) as UTF-8 (malloc'd). STRING8 is read as
 * Windows-1252. */
int mapi_value_str_utf8(const mapi_value *v, char **out);
/* Item i of an MV string value as UTF-8. */
int mapi_value_mvstr_utf8(const mapi_value *v, size_t i, char **out);
/* Builders: fill out from UTF-8 / bytes / integers for encoding. */
int mapi_value_set_unicode(mapi_value *out, uint32_t tag, const char *utf8);
int mapi_value_set_string8(mapi_value *out, uint32_t tag, uint32_t regtype,
			   const char *s);
int mapi_value_set_binary(mapi_value *out, uint32_t tag, const void *p, size_t n);
int mapi_value_set_long(mapi_value *out, uint32_t tag, int32_t v);
/* Replaces item i of an MV binary value (width is kept). */
int mapi_value_mv_set(mapi_value *v, size_t i, const void *p, size_t n);

/* One-line human rendering (strings quoted, binary hex, MV as [a, b]). */
int mapi_value_render(const mapi_value *v, rp_buf *out);

#endif
