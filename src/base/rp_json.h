/* rp_json.h - a small streaming JSON writer (UTF-8 out, stable layout).
 *
 * Output is pretty-printed with two-space indentation and keys in the order
 * they are written, so a document is byte-stable for the same input. Strings
 * are escaped per RFC 8259; bytes that are not valid UTF-8 become U+FFFD.
 * Errors (only RP_ENOMEM) are sticky: check rp_json_error() once at the end. */
#ifndef RP_JSON_H
#define RP_JSON_H

#include "rp_buf.h"

#include <stdbool.h>
#include <stdint.h>

#define RP_JSON_MAX_DEPTH 32

typedef struct rp_json {
	rp_buf *out;
	int depth;
	bool has_item[RP_JSON_MAX_DEPTH];
	bool after_key;
	int err;
} rp_json;

void rp_json_init(rp_json *j, rp_buf *out);
void rp_json_obj_begin(rp_json *j);
void rp_json_obj_end(rp_json *j);
void rp_json_arr_begin(rp_json *j);
void rp_json_arr_end(rp_json *j);
void rp_json_key(rp_json *j, const char *key);
void rp_json_str(rp_json *j, const char *s); /* NULL writes null */
void rp_json_strn(rp_json *j, const char *s, size_t n);
void rp_json_int(rp_json *j, int64_t v);
void rp_json_uint(rp_json *j, uint64_t v);
void rp_json_bool(rp_json *j, bool v);
void rp_json_null(rp_json *j);
/* Lower-case hex string of bytes. */
void rp_json_hex(rp_json *j, const uint8_t *p, size_t n);
/* Convenience: key + value. */
void rp_json_kstr(rp_json *j, const char *key, const char *s);
void rp_json_kint(rp_json *j, const char *key, int64_t v);
void rp_json_kuint(rp_json *j, const char *key, uint64_t v);
void rp_json_kbool(rp_json *j, const char *key, bool v);
void rp_json_khex(rp_json *j, const char *key, const uint8_t *p, size_t n);
/* Ends the document with a newline; returns RP_OK or the sticky error. */
int rp_json_finish(rp_json *j);

#endif
