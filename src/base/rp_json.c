#include "rp_json.h"

#include "rp_err.h"
#include "rp_str.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rp_json_init(rp_json *j, rp_buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

static void put(rp_json *j, const char *s, size_t n)
{
	if (!j->err)
		j->err = rp_buf_append(j->out, s, n);
}

static void puts_(rp_json *j, const char *s)
{
	put(j, s, strlen(s));
}

static void newline(rp_json *j)
{
	int i;
	put(j, "\n", 1);
	for (i = 0; i < j->depth; i++)
		put(j, "  ", 2);
}

/* Separator and indentation before a value or key. */
static void before_item(rp_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->has_item[j->depth])
			put(j, ",", 1);
		j->has_item[j->depth] = true;
		newline(j);
	}
}

static void open_(rp_json *j, const char *c)
{
	before_item(j);
	puts_(j, c);
	if (j->depth + 1 >= RP_JSON_MAX_DEPTH) {
		if (!j->err)
			j->err = rp_error_set(RP_ELIMIT, "JSON nesting too deep");
		return;
	}
	j->depth++;
	j->has_item[j->depth] = false;
}

static void close_(rp_json *j, const char *c)
{
	bool had = j->has_item[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (had)
		newline(j);
	puts_(j, c);
}

void rp_json_obj_begin(rp_json *j)
{
	open_(j, "{");
}
void rp_json_obj_end(rp_json *j)
{
	close_(j, "}");
}
void rp_json_arr_begin(rp_json *j)
{
	open_(j, "[");
}
void rp_json_arr_end(rp_json *j)
{
	close_(j, "]");
}

static void quoted(rp_json *j, const char *s, size_t n)
{
	size_t i = 0;
	put(j, "\"", 1);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(j, esc, 2);
			i++;
		} else if (c < 0x20) {
			switch (c) {
			case '\n':
				puts_(j, "\\n");
				break;
			case '\r':
				puts_(j, "\\r");
				break;
			case '\t':
				puts_(j, "\\t");
				break;
			default:
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				puts_(j, esc);
			}
			i++;
		} else if (c < 0x80) {
			put(j, (const char *)&s[i], 1);
			i++;
		} else {
			uint32_t cp;
			int k = rp_utf8_next(s + i, n - i, &cp);
			if (k < 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
				puts_(j, "\\ufffd");
				i += k < 0 ? 1 : (size_t)k;
			} else {
				put(j, s + i, (size_t)k);
				i += (size_t)k;
			}
		}
	}
	put(j, "\"", 1);
}

void rp_json_key(rp_json *j, const char *key)
{
	before_item(j);
	quoted(j, key, strlen(key));
	put(j, ": ", 2);
	j->after_key = true;
}

void rp_json_strn(rp_json *j, const char *s, size_t n)
{
	before_item(j);
	quoted(j, s, n);
}

void rp_json_str(rp_json *j, const char *s)
{
	if (!s) {
		rp_json_null(j);
		return;
	}
	rp_json_strn(j, s, strlen(s));
}

void rp_json_int(rp_json *j, int64_t v)
{
	char t[32];
	before_item(j);
	snprintf(t, sizeof(t), "%" PRId64, v);
	puts_(j, t);
}

void rp_json_uint(rp_json *j, uint64_t v)
{
	char t[32];
	before_item(j);
	snprintf(t, sizeof(t), "%" PRIu64, v);
	puts_(j, t);
}

void rp_json_bool(rp_json *j, bool v)
{
	before_item(j);
	puts_(j, v ? "true" : "false");
}

void rp_json_null(rp_json *j)
{
	before_item(j);
	puts_(j, "null");
}

void rp_json_hex(rp_json *j, const uint8_t *p, size_t n)
{
	char *h = rp_hex(p, n);
	if (!h) {
		if (!j->err)
			j->err = RP_ENOMEM;
		return;
	}
	rp_json_str(j, h);
	free(h);
}

void rp_json_kstr(rp_json *j, const char *key, const char *s)
{
	rp_json_key(j, key);
	rp_json_str(j, s);
}
void rp_json_kint(rp_json *j, const char *key, int64_t v)
{
	rp_json_key(j, key);
	rp_json_int(j, v);
}
void rp_json_kuint(rp_json *j, const char *key, uint64_t v)
{
	rp_json_key(j, key);
	rp_json_uint(j, v);
}
void rp_json_kbool(rp_json *j, const char *key, bool v)
{
	rp_json_key(j, key);
	rp_json_bool(j, v);
}
void rp_json_khex(rp_json *j, const char *key, const uint8_t *p, size_t n)
{
	rp_json_key(j, key);
	rp_json_hex(j, p, n);
}

int rp_json_finish(rp_json *j)
{
	put(j, "\n", 1);
	return j->err;
}
