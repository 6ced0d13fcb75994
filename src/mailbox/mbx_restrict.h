/* mbx_restrict.h - restrictions and sort orders as ROP buffers carry them.
 *
 * Restriction (MS-OXCDATA 2.12; ../shared/reference/mapi-http-protocol.md
 * 4.8): RestrictType(1) then per type: And/Or count(2) + children; Not one
 * child; Content FuzzyLevel(4) tag(4) TaggedPropertyValue; Property RelOp(1)
 * tag(4) TaggedPropertyValue; CompareProperties RelOp(1) tag1(4) tag2(4);
 * Bitmask BitmapRelOp(1) tag(4) mask(4); Size RelOp(1) tag(4) size(4); Exist
 * tag(4); SubObject subobject(4) + child; Comment count(1) + tagged values +
 * present(1) [child]; Count count(4) + child. Counts are the ROP widths
 * (2-byte And/Or counts); the _w variants with wide = true read and write
 * the extended-rule widths (4-byte And/Or counts and binary counts,
 * MS-OXCDATA 2.12.1, 2.11.1.1). NSPI's form is not handled here.
 *
 * Used by RopRestrict, RopFindRow, rule conditions (PT_SRESTRICT values) and
 * search criteria. Round trip: encode(decode(x)) == x. Nesting is capped at
 * MBX_RES_MAX_DEPTH (RP_ELIMIT) so hostile input cannot exhaust the stack. */
#ifndef MBX_RESTRICT_H
#define MBX_RESTRICT_H

#include "base/rp_buf.h"
#include "base/rp_cur.h"
#include "mapi/mapi_value.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MBX_RES_MAX_DEPTH 64

enum mbx_res_type {
	MBX_RES_AND = 0x00,
	MBX_RES_OR = 0x01,
	MBX_RES_NOT = 0x02,
	MBX_RES_CONTENT = 0x03,
	MBX_RES_PROPERTY = 0x04,
	MBX_RES_COMPARE = 0x05,
	MBX_RES_BITMASK = 0x06,
	MBX_RES_SIZE = 0x07,
	MBX_RES_EXIST = 0x08,
	MBX_RES_SUBOBJECT = 0x09,
	MBX_RES_COMMENT = 0x0A,
	MBX_RES_COUNT = 0x0B
};

/* RelOp values (MS-OXCDATA 2.12.5.1). */
enum mbx_relop {
	MBX_RELOP_LT = 0x00,
	MBX_RELOP_LE = 0x01,
	MBX_RELOP_GT = 0x02,
	MBX_RELOP_GE = 0x03,
	MBX_RELOP_EQ = 0x04,
	MBX_RELOP_NE = 0x05,
	MBX_RELOP_RE = 0x06,
	MBX_RELOP_MEMBER_OF_DL = 0x64
};

/* FuzzyLevel: low word, high word flags (MS-OXCDATA 2.12.4.1). */
#define MBX_FL_FULLSTRING 0x00000000u
#define MBX_FL_SUBSTRING 0x00000001u
#define MBX_FL_PREFIX 0x00000002u
#define MBX_FL_IGNORECASE 0x00010000u
#define MBX_FL_IGNORENONSPACE 0x00020000u
#define MBX_FL_LOOSE 0x00040000u

/* Bitmask: BMR_EQZ 0, BMR_NEZ 1. */
#define MBX_BMR_EQZ 0x00u
#define MBX_BMR_NEZ 0x01u

/* One node. Which fields are used depends on type:
 *   AND/OR      sub[0..nsub)
 *   NOT         sub[0]
 *   CONTENT     fuzzy, tag, value
 *   PROPERTY    relop, tag, value
 *   COMPARE     relop, tag, tag2
 *   BITMASK     relop (BMR_*), tag, num (mask)
 *   SIZE        relop, tag, num (size)
 *   EXIST       tag
 *   SUBOBJECT   tag (subobject), sub[0]
 *   COMMENT     props[0..nprops), sub[0] if nsub == 1
 *   COUNT       num (count), sub[0] */
typedef struct mbx_res {
	uint8_t type;
	uint8_t relop;
	uint32_t fuzzy;
	uint32_t tag;
	uint32_t tag2;
	uint32_t num;
	mapi_value value;
	mapi_value *props;
	size_t nprops;
	struct mbx_res *sub;
	size_t nsub;
} mbx_res;

/* Decodes one restriction; *out is freed with mbx_res_free (also after an
 * error). */
int mbx_res_decode(rp_cur *c, mbx_res *out);
int mbx_res_encode(rp_buf *b, const mbx_res *r);
int mbx_res_decode_w(rp_cur *c, mbx_res *out, bool wide);
int mbx_res_encode_w(rp_buf *b, const mbx_res *r, bool wide);
void mbx_res_free(mbx_res *r);
/* Deep copy (dst overwritten). */
int mbx_res_copy(mbx_res *dst, const mbx_res *src);

/* Builders for the common cases (out overwritten; free with mbx_res_free).
 * value is deep-copied. */
int mbx_res_property(mbx_res *out, uint8_t relop, const mapi_value *value);
int mbx_res_content(mbx_res *out, uint32_t fuzzy, const mapi_value *value);
int mbx_res_exist(mbx_res *out, uint32_t tag);
/* AND/OR/NOT over n children, which are moved in (the array items are
 * zeroed, the caller still frees its array). */
int mbx_res_group(mbx_res *out, uint8_t type, mbx_res *children, size_t n);

/* SortOrder (MS-OXCDATA 2.13.1): PropertyType(2) PropertyId(2) Order(1). */
#define MBX_SORT_ASCEND 0x00u
#define MBX_SORT_DESCEND 0x01u
#define MBX_SORT_MAX_CATEG 0x04u
#define MBX_SORT_MIN_CATEG 0x08u
typedef struct mbx_sort {
	uint32_t tag;
	uint8_t order;
} mbx_sort;

int mbx_sort_decode(rp_cur *c, mbx_sort *out);
int mbx_sort_encode(rp_buf *b, const mbx_sort *s);

#endif
