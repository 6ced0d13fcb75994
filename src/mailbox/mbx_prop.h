/* mbx_prop.h - property values, rows and names as ROP buffers carry them.
 *
 * Wire forms (MS-OXCDATA 2.8, 2.9, 2.11, 2.6.1; ../shared/reference/
 * mapi-http-protocol.md 4.7): scalars little-endian (PT_BOOLEAN one byte);
 * PT_UNICODE UTF-16LE + 0x0000; PT_STRING8 bytes + 0x00; PT_BINARY and
 * PT_SVREID a 2-byte count + bytes; multi-valued types a 4-byte count + the
 * elements in their single forms; PT_SRESTRICT a restriction (mbx_restrict.h)
 * and PT_ACTIONS a RuleAction block, both kept as their raw bytes.
 *
 * Values are the shared mapi_value of src/mapi (the registry codec), so the
 * renderers and UTF-8 helpers there work on them: the byte forms agree for
 * every scalar and string, only the ROP framing (counts, one-byte boolean)
 * is done here. Conventions for a value decoded here: regtype REG_BINARY;
 * strings keep their terminator in bin/mv; PT_BOOLEAN in u.b (0 or 1 as
 * sent, any non-zero byte kept); PT_SRESTRICT/PT_ACTIONS/PT_SVREID opaque
 * with the bytes (without the PT_SVREID count) in bin; MV string and binary
 * values get width MAPI_MV_WIDTH_32 (only meaningful to the registry codec).
 *
 * Round trip: encode(decode(x)) == x for every input decode accepts.
 * Decoders fail with RP_EFORMAT naming the field and offset (rp_cur), never
 * read past their cursor, and cap counts (MBX_PROP_MAX_COUNT). */
#ifndef MBX_PROP_H
#define MBX_PROP_H

#include "base/rp_buf.h"
#include "base/rp_cur.h"
#include "mapi/mapi_value.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Cap on any count read from the wire (values, tags, rows, items): a ROP
 * payload is at most 32 KiB, so nothing legitimate comes near it. */
#define MBX_PROP_MAX_COUNT 65535u

/* FlaggedPropertyValue flags (MS-OXCDATA 2.11.5). */
#define MBX_FLAG_VALUE 0x00u /* a value follows */
#define MBX_FLAG_NONE 0x01u  /* no value */
#define MBX_FLAG_ERROR 0x0Au /* a 4-byte error code follows */

/* Error codes that show up in property rows and ROP responses. */
#define MBX_EC_NOT_FOUND 0x8004010Fu
#define MBX_EC_NOT_ENOUGH_MEMORY 0x8007000Eu
#define MBX_EC_WARN_WITH_ERRORS 0x00040380u

/* One column of a row or one entry of a value list. flag is MBX_FLAG_*
 * (always MBX_FLAG_VALUE outside flagged rows); for MBX_FLAG_ERROR the code
 * is in v.u.err and v.tag has type PT_ERROR; for MBX_FLAG_NONE v holds only
 * the tag. v.tag always carries the value's real type, also for a column
 * requested as PT_UNSPECIFIED (then typed says the type came on the wire). */
typedef struct mbx_prop {
	uint8_t flag;
	bool typed;
	uint16_t wire_type; /* typed: the type sent (kept for NONE/ERROR) */
	mapi_value v;
} mbx_prop;

/* A PropertyRow (MS-OXCDATA 2.8.1): flagged = FlaggedPropertyRow. */
typedef struct mbx_row {
	bool flagged;
	size_t n;
	mbx_prop *cols;
} mbx_row;

/* PropertyName (MS-OXCDATA 2.6.1). */
#define MBX_PNAME_LID 0x00u
#define MBX_PNAME_STRING 0x01u
#define MBX_PNAME_NONE 0xFFu
typedef struct mbx_propname {
	uint8_t kind;
	uint8_t guid[16];
	uint32_t lid; /* kind LID */
	char *name;   /* kind STRING: UTF-8 (malloc'd) */
} mbx_propname;

/* Extended rules (MS-OXORULE 2.2.4.1.9-10) carry the same forms with wider
 * counts: a PT_BINARY count is 4 bytes (MS-OXCDATA 2.11.1.1, COUNT "4 bytes
 * in extended rules"; gromox ext_buffer.cpp reads it so under
 * EXT_FLAG_WCOUNT). The _w variants take wide = true for that form and are
 * the plain ones with wide = false. PT_SVREID keeps its 2-byte count. */
int mbx_prop_tagged_decode_w(rp_cur *c, mapi_value *out, bool wide);
int mbx_prop_tagged_encode_w(rp_buf *b, const mapi_value *v, bool wide);

/* Value of a known tag (no tag on the wire): the PropertyValue form. */
int mbx_prop_value_decode(rp_cur *c, uint32_t tag, mapi_value *out);
int mbx_prop_value_encode(rp_buf *b, const mapi_value *v);
/* TaggedPropertyValue: tag(4) + value. PT_UNSPECIFIED and PT_NULL tags are
 * refused (MS-OXCDATA 2.11.4: only the typed forms may carry them). */
int mbx_prop_tagged_decode(rp_cur *c, mapi_value *out);
int mbx_prop_tagged_encode(rp_buf *b, const mapi_value *v);
/* TypedPropertyValue: type(2) + value; id comes from the column tag. */
int mbx_prop_typed_decode(rp_cur *c, uint32_t coltag, mapi_value *out);
int mbx_prop_typed_encode(rp_buf *b, const mapi_value *v);
/* A count(2) + TaggedPropertyValue list (RopGetPropertiesAll, SetProperties,
 * rule and permission data). *out is malloc'd, free with mbx_props_free. */
int mbx_proplist_decode(rp_cur *c, mapi_value **out, size_t *n);
int mbx_proplist_encode(rp_buf *b, const mapi_value *v, size_t n);
void mbx_props_free(mapi_value *v, size_t n);

/* A column of a multi-valued type with MV_INSTANCE (0x2000) set, as a table
 * categorised by a multi-valued property has (MS-OXCTABL 4.5.1), holds one
 * element: rows carry it as a single value of the element type. */
#define MBX_MV_INSTANCE 0x2000u
/* The tag a column's values carry: the column tag, minus MV_INSTANCE. */
uint32_t mbx_col_value_tag(uint32_t col);

/* PropertyRow over the given columns (tags as set with RopSetColumns or asked
 * with RopGetPropertiesSpecific). */
int mbx_row_decode(rp_cur *c, const uint32_t *cols, size_t ncols, mbx_row *out);
int mbx_row_encode(rp_buf *b, const mbx_row *row, const uint32_t *cols, size_t ncols);
void mbx_row_free(mbx_row *row);
/* Column i's value if it has one (flag VALUE), else NULL. */
const mapi_value *mbx_row_value(const mbx_row *row, size_t i);
/* The column with this tag (type PT_UNSPECIFIED matches any type), or NULL. */
const mbx_prop *mbx_row_find(const mbx_row *row, uint32_t tag);

int mbx_propname_decode(rp_cur *c, mbx_propname *out);
int mbx_propname_encode(rp_buf *b, const mbx_propname *n);
void mbx_propname_free(mbx_propname *n);

/* Value builders for requests (out is overwritten; free with
 * mapi_value_free): PT_BOOLEAN and PT_I8 (also PT_SYSTIME/PT_CURRENCY by
 * tag type). The string, binary and long builders of mapi_value.h work as
 * they are. */
int mbx_prop_set_bool(mapi_value *out, uint32_t tag, bool v);
int mbx_prop_set_i8(mapi_value *out, uint32_t tag, int64_t v);

#endif
