/* reg_text.c - .reg text files: reading REGEDIT4 and version 5.00 into a list
 * of operations, and writing version 5.00 the way regedit exports.
 *
 * Format facts (public): Microsoft "How to add, modify, or delete registry
 * subkeys and values by using a .reg file" (KB 310516) for the syntax,
 * deletions ([-key], "v"=-) and hex(N) types; the 80-column wrapping of hex
 * data (a first line of up to 80 characters, continuation lines indented by
 * two spaces, "\" at the end) as seen in regedit exports and in Wine's
 * regedit (programs/regedit/regproc.c, MAX_HEX_CHARS 77). */
#include "reg_internal.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR5 "Windows Registry Editor Version 5.00"
#define HDR4 "REGEDIT4"

/* Windows-1252 0x80-0x9F (Unicode "bestfit" table cp1252.txt); the five
 * unassigned bytes map to the same C1 code point, as Windows does. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static uint16_t cp1252(uint8_t c)
{
	return (c >= 0x80 && c < 0xA0) ? cp1252_hi[c - 0x80] : c;
}

/* ---------------------------------------------------------------- ops */

void reg_ops_free(struct reg_ops *ops)
{
	size_t i;
	for (i = 0; i < ops->n; i++) {
		free(ops->v[i].key);
		free(ops->v[i].name);
		free(ops->v[i].data);
	}
	free(ops->v);
	memset(ops, 0, sizeof(*ops));
}

static struct reg_op *op_new(struct reg_ops *ops)
{
	if (ops->n == ops->cap) {
		size_t nc = ops->cap ? ops->cap * 2 : 64;
		struct reg_op *nv = realloc(ops->v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		ops->v = nv;
		ops->cap = nc;
	}
	memset(&ops->v[ops->n], 0, sizeof(ops->v[0]));
	return &ops->v[ops->n++];
}

const char *reg_text_hkcu_rel(const char *key)
{
	static const char hkcu[] = "HKEY_CURRENT_USER";
	size_t n = sizeof(hkcu) - 1;
	if (strncmp(key, hkcu, n) != 0)
		return NULL;
	if (key[n] == '\0')
		return key + n;
	if (key[n] == '\\')
		return key + n + 1;
	return NULL;
}

/* ------------------------------------------------------------- reader */

struct parser {
	const char *fname;
	char *text; /* whole file as UTF-8, NUL-terminated */
	size_t len;
	char *pos; /* start of the next line */
	unsigned line;
	bool regedit4;
	struct reg_ops *ops;
	char *cur_key;    /* current key, NULL before the first header */
	bool cur_deleted; /* values after [-key] are ignored, as regedit does */
};

static int perr(struct parser *p, int code, const char *fmt, const char *arg)
{
	char msg[256], a[64];
	/* Quote at most 60 characters of the offending text. */
	snprintf(a, sizeof(a), "%.60s%s", arg ? arg : "",
		 arg && strlen(arg) > 60 ? "..." : "");
	snprintf(msg, sizeof(msg), fmt, a);
	return rp_error_set(code, "%s:%u: %s", p->fname, p->line, msg);
}

/* Converts the file image to UTF-8 text. */
static int decode_text(struct parser *p, const uint8_t *b, size_t n)
{
	rp_buf out = RP_BUF_INIT;
	size_t i;
	int rc = RP_OK;

	if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] != 0 && b[1] == 0))) {
		size_t start = (b[0] == 0xFF) ? 2 : 0;
		unsigned line = 1;
		char *t;
		if ((n - start) & 1)
			return rp_error_set(
			    RP_EFORMAT, "%s: UTF-16 file has an odd length", p->fname);
		for (i = start; i < n; i += 2) {
			uint16_t u = rp_le16(b + i);
			if (u == '\n')
				line++;
			if (u == 0) {
				size_t j;
				for (j = i; j < n && b[j] == 0; j++)
					;
				if (j < n)
					return rp_error_set(
					    RP_EFORMAT, "%s:%u: NUL character in text",
					    p->fname, line);
				break;
			}
		}
		rc = rp_utf16le_to_utf8(b + start, n - start, &t);
		if (rc < 0)
			return rp_error_wrap(rc, "%s", p->fname);
		p->text = t;
		p->len = strlen(t);
		return RP_OK;
	}
	if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		b += 3;
		n -= 3;
	} else if (n >= sizeof(HDR4) - 1 && memcmp(b, HDR4, sizeof(HDR4) - 1) == 0) {
		/* REGEDIT4 without BOM: ANSI (Windows-1252) text. */
		rp_buf w = RP_BUF_INIT;
		unsigned line = 1;
		char *t;
		for (i = 0; i < n && rc == RP_OK; i++) {
			if (b[i] == 0) {
				rp_buf_free(&w);
				return rp_error_set(RP_EFORMAT, "%s:%u: NUL byte in text",
						    p->fname, line);
			}
			if (b[i] == '\n')
				line++;
			rc = rp_buf_u16le(&w, cp1252(b[i]));
		}
		if (rc == RP_OK)
			rc = rp_utf16le_to_utf8(w.data, w.len, &t);
		rp_buf_free(&w);
		if (rc < 0)
			return rc;
		p->text = t;
		p->len = strlen(t);
		return RP_OK;
	}
	/* UTF-8: must be valid, and have no NUL. */
	{
		unsigned line = 1;
		for (i = 0; i < n;) {
			uint32_t cp;
			int k;
			if (b[i] == 0)
				return rp_error_set(RP_EFORMAT, "%s:%u: NUL byte in text",
						    p->fname, line);
			if (b[i] == '\n')
				line++;
			k = rp_utf8_next((const char *)b + i, n - i, &cp);
			if (k < 0)
				return rp_error_set(RP_EFORMAT, "%s:%u: invalid UTF-8",
						    p->fname, line);
			i += (size_t)k;
		}
		rc = rp_buf_append(&out, b, n);
	}
	if (rc == RP_OK)
		rc = rp_buf_u8(&out, 0);
	if (rc < 0) {
		rp_buf_free(&out);
		return rc;
	}
	p->len = out.len - 1;
	p->text = (char *)rp_buf_steal(&out, NULL);
	return RP_OK;
}

/* Next physical line (without CR/LF), or NULL at the end. */
static char *next_line(struct parser *p)
{
	char *s = p->pos, *e;
	if (!s || !*s) {
		p->pos = NULL;
		return NULL;
	}
	e = strchr(s, '\n');
	if (e) {
		*e = '\0';
		p->pos = e + 1;
	} else {
		p->pos = s + strlen(s);
	}
	e = s + strlen(s);
	while (e > s && (e[-1] == '\r'))
		*--e = '\0';
	p->line++;
	return s;
}

static char *skip_ws(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static void rtrim(char *s)
{
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
}

static const struct {
	const char *alias, *full;
} roots[] = {
    {"HKCU", "HKEY_CURRENT_USER"},   {"HKEY_CURRENT_USER", "HKEY_CURRENT_USER"},
    {"HKLM", "HKEY_LOCAL_MACHINE"},  {"HKEY_LOCAL_MACHINE", "HKEY_LOCAL_MACHINE"},
    {"HKU", "HKEY_USERS"},           {"HKEY_USERS", "HKEY_USERS"},
    {"HKCR", "HKEY_CLASSES_ROOT"},   {"HKEY_CLASSES_ROOT", "HKEY_CLASSES_ROOT"},
    {"HKCC", "HKEY_CURRENT_CONFIG"}, {"HKEY_CURRENT_CONFIG", "HKEY_CURRENT_CONFIG"},
};

/* "[...]" line (s after '['): normalises the root, records the op. */
static int parse_key(struct parser *p, char *s)
{
	char *close = strrchr(s, ']'), *path, *e, *key;
	bool del = false;
	size_t i, rlen;
	const char *full = NULL;
	struct reg_op *op;

	if (!close)
		return perr(p, RP_EFORMAT, "key line has no closing ']'", NULL);
	if (*skip_ws(close + 1) != '\0')
		return perr(p, RP_EFORMAT, "text after the key's closing ']'", NULL);
	*close = '\0';
	if (*s == '-') {
		del = true;
		s++;
	}
	path = s;
	e = path + strlen(path);
	while (e > path && e[-1] == '\\')
		*--e = '\0';
	rlen = strcspn(path, "\\");
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (strlen(roots[i].alias) == rlen &&
		    rp_ascii_ncasecmp(path, roots[i].alias, rlen) == 0)
			full = roots[i].full;
	if (!full)
		return perr(p, RP_EFORMAT, "key '%s' is not under a known root key",
			    path);
	if (strstr(path, "\\\\"))
		return perr(p, RP_EFORMAT, "key '%s' has an empty name component", path);
	if (del && path[rlen] == '\0')
		return perr(p, RP_EFORMAT, "cannot delete the root key '%s'", path);
	key = rp_asprintf("%s%s", full, path + rlen);
	if (!key)
		return rp_error_set(RP_ENOMEM, "out of memory");
	op = op_new(p->ops);
	if (!op) {
		free(key);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	op->kind = del ? REG_OP_DEL_KEY : REG_OP_KEY;
	op->line = p->line;
	op->key = key;
	p->cur_key = key;
	p->cur_deleted = del;
	return RP_OK;
}

/* Quoted string at *sp (pointing at the opening quote) -> malloc'd UTF-8;
 * *sp moves past the closing quote. */
static int parse_quoted(struct parser *p, char **sp, char **out, const char *what)
{
	char *s = *sp + 1;
	rp_buf b = RP_BUF_INIT;
	int rc = RP_OK;

	*out = NULL;
	for (;;) {
		char c = *s;
		if (c == '\0') {
			rp_buf_free(&b);
			return perr(p, RP_EFORMAT, "unterminated %s string", what);
		}
		if (c == '"')
			break;
		if (c == '\\') {
			char n = s[1];
			if (n == '\\' || n == '"') {
				c = n;
				s++;
			} else if (n == 'n') {
				c = '\n';
				s++;
			} else if (n == 'r') {
				c = '\r';
				s++;
			} /* else: a lone backslash is kept, as regedit does */
		}
		rc = rp_buf_u8(&b, (uint8_t)c);
		if (rc < 0)
			break;
		s++;
	}
	if (rc == RP_OK)
		rc = rp_buf_u8(&b, 0);
	if (rc < 0) {
		rp_buf_free(&b);
		return rc;
	}
	*out = (char *)rp_buf_steal(&b, NULL);
	*sp = s + 1;
	return RP_OK;
}

/* Up to 8 hex digits -> *v; *sp moves past them. */
static bool parse_hex32(char **sp, uint32_t *v)
{
	char *s = *sp;
	int n = 0, d;
	*v = 0;
	while ((d = rp_hexval((unsigned char)*s)) >= 0 && n < 9) {
		*v = (*v << 4) | (uint32_t)d;
		s++;
		n++;
	}
	if (n == 0 || n > 8)
		return false;
	*sp = s;
	return true;
}

/* Hex byte list after "hex...:" with "\" continuation lines. */
static int parse_hex_bytes(struct parser *p, char *s, rp_buf *out)
{
	for (;;) {
		bool cont = false;
		rtrim(s);
		if (*s && s[strlen(s) - 1] == '\\') {
			s[strlen(s) - 1] = '\0';
			cont = true;
		}
		for (;;) {
			size_t tl;
			int hi, lo;
			s = skip_ws(s);
			if (!*s)
				break;
			/* One token up to the next separator: 1 or 2 hex digits. */
			tl = strcspn(s, ", \t");
			hi = rp_hexval((unsigned char)s[0]);
			lo = tl == 2 ? rp_hexval((unsigned char)s[1]) : 0;
			if (tl == 0 || tl > 2 || hi < 0 || lo < 0) {
				s[tl] = '\0';
				return perr(p, RP_EFORMAT, "bad hex byte '%s'", s);
			}
			if (tl == 1) {
				lo = hi;
				hi = 0;
			}
			s += tl;
			if (out->len >= REG_MAX_VALUE_LEN)
				return perr(p, RP_ELIMIT, "value data too long%s", NULL);
			if (rp_buf_u8(out, (uint8_t)(hi << 4 | lo)) < 0)
				return RP_ENOMEM;
			s = skip_ws(s);
			if (*s == ',')
				s++;
			else if (*s)
				return perr(p, RP_EFORMAT,
					    "expected ',' between hex bytes at '%s'", s);
		}
		if (!cont)
			return RP_OK;
		s = next_line(p);
		if (!s)
			return perr(p, RP_EFORMAT,
				    "file ends inside a continued hex value%s", NULL);
	}
}

/* REGEDIT4 string data is ANSI: each byte becomes one UTF-16 unit. */
static int ansi_to_utf16(const rp_buf *in, rp_buf *out)
{
	size_t i;
	for (i = 0; i < in->len; i++)
		if (rp_buf_u16le(out, cp1252(in->data[i])) < 0)
			return RP_ENOMEM;
	return RP_OK;
}

static int parse_value(struct parser *p, char *s)
{
	char *name = NULL;
	rp_buf data = RP_BUF_INIT;
	uint32_t type = 0;
	bool del = false;
	struct reg_op *op;
	int rc;

	if (!p->cur_key)
		return perr(p, RP_EFORMAT, "value line before any [key] line%s", NULL);
	if (*s == '@') {
		name = rp_strdup("");
		if (!name)
			return RP_ENOMEM;
		s++;
	} else {
		rc = parse_quoted(p, &s, &name, "value name");
		if (rc < 0)
			return rc;
	}
	s = skip_ws(s);
	if (*s != '=') {
		free(name);
		return perr(p, RP_EFORMAT, "expected '=' after the value name%s", NULL);
	}
	s = skip_ws(s + 1);
	rc = RP_OK;
	if (*s == '-' && *skip_ws(s + 1) == '\0') {
		del = true;
	} else if (*s == '"') {
		char *str;
		rc = parse_quoted(p, &s, &str, "value");
		if (rc == RP_OK) {
			if (*skip_ws(s) != '\0')
				rc = perr(p, RP_EFORMAT,
					  "text after the closing quote: '%s'", s);
			else
				rc = rp_utf8_to_utf16le(str, strlen(str), &data, true);
			free(str);
		}
		type = REG_T_SZ;
	} else if (rp_ascii_ncasecmp(s, "dword:", 6) == 0) {
		uint32_t v;
		s += 6;
		if (!parse_hex32(&s, &v) || *skip_ws(s) != '\0')
			rc = perr(p, RP_EFORMAT,
				  "bad dword value (want dword:XXXXXXXX)%s", NULL);
		else
			rc = rp_buf_u32le(&data, v);
		type = REG_T_DWORD;
	} else if (rp_ascii_ncasecmp(s, "hex", 3) == 0) {
		s += 3;
		type = REG_T_BINARY;
		if (*s == '(') {
			s++;
			if (!parse_hex32(&s, &type) || *s != ')')
				rc = perr(p, RP_EFORMAT, "bad hex(N) type%s", NULL);
			s++;
		}
		if (rc == RP_OK && *s != ':')
			rc = perr(p, RP_EFORMAT, "expected ':' after hex type%s", NULL);
		if (rc == RP_OK)
			rc = parse_hex_bytes(p, s + 1, &data);
		if (rc == RP_OK && p->regedit4 &&
		    (type == REG_T_SZ || type == REG_T_EXPAND_SZ ||
		     type == REG_T_MULTI_SZ)) {
			rp_buf w = RP_BUF_INIT;
			rc = ansi_to_utf16(&data, &w);
			rp_buf_free(&data);
			data = w;
		}
	} else {
		rc = perr(p, RP_EFORMAT, "unrecognised value data '%s'", s);
	}
	if (rc < 0 || p->cur_deleted) {
		free(name);
		rp_buf_free(&data);
		return rc < 0 ? rc : RP_OK;
	}
	op = op_new(p->ops);
	if (!op || !(op->key = rp_strdup(p->cur_key))) {
		free(name);
		rp_buf_free(&data);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	op->kind = del ? REG_OP_DEL_VALUE : REG_OP_VALUE;
	op->line = p->line;
	op->name = name;
	op->type = type;
	op->data = rp_buf_steal(&data, &op->len);
	return RP_OK;
}

int reg_text_parse(const uint8_t *b, size_t n, const char *fname, struct reg_ops *out)
{
	struct parser p;
	char *s;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.fname = fname;
	p.ops = out;
	rc = decode_text(&p, b, n);
	if (rc < 0)
		return rc;
	p.pos = p.text;
	/* The header is the first non-blank line. */
	while ((s = next_line(&p)) != NULL) {
		rtrim(s);
		if (*skip_ws(s))
			break;
	}
	if (!s) {
		rc = rp_error_set(RP_EFORMAT, "%s: empty file, no .reg header", fname);
		goto out;
	}
	s = skip_ws(s);
	if (strcmp(s, HDR5) == 0) {
		p.regedit4 = false;
	} else if (strcmp(s, HDR4) == 0) {
		p.regedit4 = true;
	} else {
		rc = perr(
		    &p, RP_EFORMAT,
		    "not a .reg file (want 'Windows Registry Editor Version 5.00' or "
		    "'REGEDIT4')%s",
		    NULL);
		goto out;
	}
	while ((s = next_line(&p)) != NULL) {
		s = skip_ws(s);
		rtrim(s);
		if (*s == '\0' || *s == ';')
			continue;
		if (*s == '[')
			rc = parse_key(&p, s + 1);
		else if (*s == '"' || *s == '@')
			rc = parse_value(&p, s);
		else
			rc = perr(&p, RP_EFORMAT, "unexpected text '%s'", s);
		if (rc < 0)
			break;
	}
out:
	if (rc == RP_ENOMEM)
		rc = rp_error_set(RP_ENOMEM, "%s: out of memory", fname);
	free(p.text);
	if (rc < 0)
		reg_ops_free(out);
	return rc;
}

/* ------------------------------------------------------------- writer */

int reg_text_header(rp_buf *out)
{
	return rp_buf_puts(out, HDR5 "\r\n\r\n");
}

static int put_escaped(rp_buf *out, const char *s)
{
	int rc = rp_buf_u8(out, '"');
	for (; *s && rc == RP_OK; s++) {
		if (*s == '\\' || *s == '"')
			rc = rp_buf_u8(out, '\\');
		if (rc == RP_OK) {
			if (*s == '\n')
				rc = rp_buf_puts(out, "\\n");
			else if (*s == '\r')
				rc = rp_buf_puts(out, "\\r");
			else
				rc = rp_buf_u8(out, (uint8_t)*s);
		}
	}
	return rc == RP_OK ? rp_buf_u8(out, '"') : rc;
}

/* A REG_SZ written as "..." must read back to the same bytes: whole UTF-16
 * units, exactly one NUL at the end, no control characters (regedit has no
 * escapes for them). */
static bool sz_as_string(const reg_value *v)
{
	size_t i;
	if (v->type != REG_T_SZ || v->len < 2 || (v->len & 1))
		return false;
	if (rp_le16(v->data + v->len - 2) != 0)
		return false;
	for (i = 0; i + 2 < v->len; i += 2)
		if (rp_le16(v->data + i) < 0x20)
			return false;
	return true;
}

static int put_value(rp_buf *out, const reg_value *v)
{
	size_t start = out->len, i;
	int rc;

	if (v->name[0])
		rc = put_escaped(out, v->name);
	else
		rc = rp_buf_u8(out, '@');
	if (rc == RP_OK)
		rc = rp_buf_u8(out, '=');
	if (rc < 0)
		return rc;
	if (sz_as_string(v)) {
		char *u;
		rc = rp_utf16le_to_utf8(v->data, v->len, &u);
		if (rc < 0)
			return rc;
		rc = put_escaped(out, u);
		free(u);
		return rc == RP_OK ? rp_buf_puts(out, "\r\n") : rc;
	}
	if (v->type == REG_T_DWORD && v->len == 4)
		return rp_buf_printf(out, "dword:%08x\r\n", (unsigned)rp_le32(v->data));
	if (v->type == REG_T_BINARY)
		rc = rp_buf_puts(out, "hex:");
	else
		rc = rp_buf_printf(out, "hex(%x):", (unsigned)v->type);
	/* Wrap like regedit: after a byte's comma once the line reaches 77
	 * columns, "\" and a two-space indent. */
	{
		size_t col = out->len - start;
		for (i = 0; i < v->len && rc == RP_OK; i++) {
			rc = rp_buf_printf(out, "%02x", v->data[i]);
			if (rc < 0 || i + 1 == v->len)
				break;
			rc = rp_buf_u8(out, ',');
			col += 3;
			if (rc == RP_OK && col >= 77) {
				rc = rp_buf_puts(out, "\\\r\n  ");
				col = 2;
			}
		}
	}
	return rc == RP_OK ? rp_buf_puts(out, "\r\n") : rc;
}

int reg_format_value(rp_buf *out, const char *name, uint32_t type, const void *data,
		     size_t len)
{
	reg_value v = {(char *)name, type, (uint8_t *)data, len};
	return put_value(out, &v);
}

int reg_format_deletion(rp_buf *out, const char *name)
{
	int rc = name[0] ? put_escaped(out, name) : rp_buf_u8(out, '@');
	return rc == RP_OK ? rp_buf_puts(out, "=-\r\n") : rc;
}

static int write_key(reg_store *s, reg_node n, rp_buf *path, bool skip_if_empty,
		     unsigned depth, rp_buf *out)
{
	reg_values vals;
	reg_names names = {0};
	reg_node *nodes = NULL;
	size_t i, plen = path->len;
	int rc;

	if (depth > REG_MAX_DEPTH)
		return rp_error_set(RP_ELIMIT, "tree deeper than %d levels",
				    REG_MAX_DEPTH);
	rc = s->be->values(s, n, &vals);
	if (rc < 0)
		return rp_error_wrap(rc, "key '%.*s'", (int)path->len,
				     (const char *)path->data);
	if (!(skip_if_empty && vals.n == 0)) {
		rc = rp_buf_u8(out, '[');
		if (rc == RP_OK)
			rc = rp_buf_append(out, path->data, path->len);
		if (rc == RP_OK)
			rc = rp_buf_puts(out, "]\r\n");
		for (i = 0; i < vals.n && rc == RP_OK; i++)
			rc = put_value(out, &vals.v[i]);
		if (rc == RP_OK)
			rc = rp_buf_puts(out, "\r\n");
	}
	reg_values_free(&vals);
	if (rc < 0)
		return rc;
	rc = s->be->children(s, n, &names, &nodes);
	if (rc < 0)
		return rp_error_wrap(rc, "key '%.*s'", (int)path->len,
				     (const char *)path->data);
	for (i = 0; i < names.n && rc == RP_OK; i++) {
		reg_node c;
		if (nodes) {
			c = nodes[i];
			nodes[i] = 0;
		} else {
			rc = s->be->child(s, n, names.v[i], &c);
			if (rc < 0)
				break;
		}
		path->len = plen;
		rc = rp_buf_u8(path, '\\');
		if (rc == RP_OK)
			rc = rp_buf_puts(path, names.v[i]);
		if (rc == RP_OK)
			rc = write_key(s, c, path, false, depth + 1, out);
		reg_release(s, c);
	}
	path->len = plen;
	if (nodes) {
		for (; i < names.n; i++)
			reg_release(s, nodes[i]);
		free(nodes);
	}
	reg_names_free(&names);
	return rc;
}

int reg_text_write_tree(reg_store *s, reg_node n, const char *prefix, bool skip_empty_top,
			rp_buf *out)
{
	rp_buf path = RP_BUF_INIT;
	int rc = rp_buf_puts(&path, prefix);
	if (rc == RP_OK)
		rc = write_key(s, n, &path, skip_empty_top, 0, out);
	rp_buf_free(&path);
	return rc;
}

int reg_text_encode(const rp_buf *utf8, rp_buf *out)
{
	int rc = rp_buf_u16le(out, 0xFEFF);
	if (rc == RP_OK)
		rc = rp_utf8_to_utf16le((const char *)utf8->data, utf8->len, out, false);
	return rc;
}
