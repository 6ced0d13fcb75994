#include "cfg_ini.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "platform/plat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Windows-1252 0x80..0x9F; the other bytes equal their Latin-1 code points.
 * Source: Unicode's MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT; the five
 * undefined bytes map to the C1 control of the same value, as
 * MultiByteToWideChar does. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static bool valid_utf8(const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		int k;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = rp_utf8_next((const char *)p + i, n - i, &cp);
		if (k < 0)
			return false;
		i += (size_t)k;
	}
	return true;
}

static int decode_utf16(const uint8_t *p, size_t n, bool be, char **out)
{
	uint8_t *sw;
	size_t i;
	int rc;
	if (n % 2)
		return rp_error_set(RP_EFORMAT, "UTF-16 text has an odd number of bytes");
	/* The converter stops at a NUL; refuse rather than drop the rest. */
	for (i = 0; i < n; i += 2)
		if (p[i] == 0 && p[i + 1] == 0)
			return rp_error_set(RP_EFORMAT, "NUL character in UTF-16 text");
	if (!be)
		return rp_utf16le_to_utf8(p, n, out);
	sw = malloc(n ? n : 1);
	if (!sw)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (i = 0; i < n; i += 2) {
		sw[i] = p[i + 1];
		sw[i + 1] = p[i];
	}
	rc = rp_utf16le_to_utf8(sw, n, out);
	free(sw);
	return rc;
}

int cfg_text_decode(const uint8_t *data, size_t len, char **out, size_t *outlen,
		    const char **encoding)
{
	rp_buf b = RP_BUF_INIT;
	size_t i;
	int rc;

	*out = NULL;
	if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE) {
		*encoding = "UTF-16LE";
		rc = decode_utf16(data + 2, len - 2, false, out);
	} else if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF) {
		*encoding = "UTF-16BE";
		rc = decode_utf16(data + 2, len - 2, true, out);
	} else if (len >= 2 && data[0] != 0 && data[1] == 0) {
		/* Notepad-style UTF-16LE without a BOM. */
		*encoding = "UTF-16LE";
		rc = decode_utf16(data, len, false, out);
	} else {
		size_t off = 0;
		*encoding = "UTF-8";
		if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
			off = 3;
			*encoding = "UTF-8 BOM";
		}
		if (memchr(data + off, 0, len - off))
			return rp_error_set(RP_EFORMAT, "NUL byte in a text file");
		if (valid_utf8(data + off, len - off)) {
			rc = rp_buf_append(&b, data + off, len - off);
		} else {
			*encoding = "Windows-1252";
			rc = RP_OK;
			for (i = off; i < len && rc == RP_OK; i++) {
				uint8_t c = data[i];
				rc = rp_utf8_put(
				    &b, c >= 0x80 && c < 0xA0 ? cp1252_hi[c - 0x80] : c);
			}
		}
		if (rc == RP_OK)
			rc = rp_buf_u8(&b, 0);
		if (rc != RP_OK) {
			rp_buf_free(&b);
			return rc;
		}
		*outlen = b.len - 1;
		*out = (char *)rp_buf_steal(&b, NULL);
		return RP_OK;
	}
	if (rc != RP_OK)
		return rc;
	*outlen = strlen(*out);
	return RP_OK;
}

int cfg_read_file(const char *path, size_t max, uint8_t **data, size_t *len)
{
	FILE *f = plat_fopen(path, "rb"); /* UTF-8 path on Windows too */
	rp_buf b = RP_BUF_INIT;
	uint8_t chunk[8192];
	size_t n;

	*data = NULL;
	*len = 0;
	if (!f)
		return rp_error_set(errno == ENOENT ? RP_ENOTFOUND : RP_EIO, "%s: %s",
				    path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > max) {
			fclose(f);
			rp_buf_free(&b);
			return rp_error_set(RP_ELIMIT, "%s: larger than %lu bytes", path,
					    (unsigned long)max);
		}
		if (rp_buf_append(&b, chunk, n) != RP_OK) {
			fclose(f);
			rp_buf_free(&b);
			return RP_ENOMEM;
		}
	}
	if (ferror(f)) {
		fclose(f);
		rp_buf_free(&b);
		return rp_error_set(RP_EIO, "%s: read error", path);
	}
	fclose(f);
	if (rp_buf_u8(&b, 0) != RP_OK) {
		rp_buf_free(&b);
		return RP_ENOMEM;
	}
	*len = b.len - 1;
	*data = rp_buf_steal(&b, NULL);
	return RP_OK;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* Trims [*s, *e) in place. */
static void trim(const char **s, const char **e)
{
	while (*s < *e && is_blank(**s))
		(*s)++;
	while (*e > *s && is_blank((*e)[-1]))
		(*e)--;
}

/* Takes ownership of msg (an rp_asprintf result, NULL when it failed). */
static int add_warning(cfg_ini *ini, char *msg)
{
	char **w;
	if (!msg)
		return rp_error_set(RP_ENOMEM, "out of memory");
	w = realloc(ini->warnings, (ini->nwarn + 1) * sizeof(*w));
	if (!w) {
		free(msg);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	ini->warnings = w;
	w[ini->nwarn++] = msg;
	return RP_OK;
}

static cfg_ini_section *find_sec(cfg_ini *ini, const char *name)
{
	size_t i;
	for (i = 0; i < ini->nsecs; i++)
		if (rp_ascii_casecmp(ini->secs[i].name, name) == 0)
			return &ini->secs[i];
	return NULL;
}

static bool is_list_name(const char *const *list, const char *name)
{
	for (; list && *list; list++)
		if (rp_ascii_casecmp(*list, name) == 0)
			return true;
	return false;
}

static int add_entry(cfg_ini_section *sec, const char *k, size_t klen, const char *v,
		     size_t vlen, int line)
{
	cfg_ini_entry *e;
	if (sec->n == sec->cap) {
		size_t cap = sec->cap ? sec->cap * 2 : 8;
		cfg_ini_entry *ne = realloc(sec->entries, cap * sizeof(*ne));
		if (!ne)
			return rp_error_set(RP_ENOMEM, "out of memory");
		sec->entries = ne;
		sec->cap = cap;
	}
	e = &sec->entries[sec->n];
	memset(e, 0, sizeof(*e));
	e->line = line;
	e->raw = rp_strndup(v, vlen);
	if (vlen >= 2 && (v[0] == '"' || v[0] == '\'') && v[vlen - 1] == v[0]) {
		v++;
		vlen -= 2;
	}
	e->value = rp_strndup(v, vlen);
	if (k)
		e->key = rp_strndup(k, klen);
	if (!e->raw || !e->value || (k && !e->key)) {
		free(e->raw);
		free(e->value);
		free(e->key);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	sec->n++;
	return RP_OK;
}

/* Target of the lines of a repeated section header: never written to.
 * GetPrivateProfileString reads only the first section of a name (checked
 * under Wine), so a repeated section's keys are skipped. */
static cfg_ini_section repeated;

static int parse_header(cfg_ini *ini, const char *s, const char *e, int line,
			const char *const *lists, cfg_ini_section **cur)
{
	const char *close = memchr(s, ']', (size_t)(e - s));
	const char *ns = s + 1, *ne;
	const char *rest;
	char *name;
	cfg_ini_section *sec;

	if (!close)
		return rp_error_set(RP_EFORMAT, "%s:%d: section header without ']'",
				    ini->path, line);
	rest = close + 1;
	while (rest < e && is_blank(*rest))
		rest++;
	if (rest < e && *rest != ';' && *rest != '#')
		return rp_error_set(RP_EFORMAT, "%s:%d: text after the section header",
				    ini->path, line);
	ne = close;
	trim(&ns, &ne);
	if (ns == ne)
		return rp_error_set(RP_EFORMAT, "%s:%d: empty section name", ini->path,
				    line);
	name = rp_strndup(ns, (size_t)(ne - ns));
	if (!name)
		return rp_error_set(RP_ENOMEM, "out of memory");
	sec = find_sec(ini, name);
	if (sec) {
		int rc = add_warning(
		    ini,
		    rp_asprintf("%s:%d: [%s] repeated (first at line %d); its lines are "
				"ignored, as Windows does",
				ini->path, line, name, sec->line));
		free(name);
		*cur = &repeated;
		return rc;
	}
	sec = realloc(ini->secs, (ini->nsecs + 1) * sizeof(*sec));
	if (!sec) {
		free(name);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	ini->secs = sec;
	sec = &ini->secs[ini->nsecs++];
	memset(sec, 0, sizeof(*sec));
	sec->name = name;
	sec->line = line;
	sec->list = is_list_name(lists, name);
	*cur = sec;
	return RP_OK;
}

static int parse_line(cfg_ini *ini, const char *s, const char *e, int line,
		      const char *const *lists, cfg_ini_section **cur)
{
	const char *eq;
	trim(&s, &e);
	if (s == e || *s == ';' || *s == '#')
		return RP_OK;
	if (*s == '[')
		return parse_header(ini, s, e, line, lists, cur);
	if (!*cur)
		return rp_error_set(RP_EFORMAT, "%s:%d: line outside any [section]",
				    ini->path, line);
	if (*cur == &repeated)
		return RP_OK;
	eq = memchr(s, '=', (size_t)(e - s));
	if ((*cur)->list || !eq)
		return add_entry(*cur, NULL, 0, s, (size_t)(e - s), line);
	{
		const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
		const cfg_ini_entry *first;
		int first_line;
		char *key;
		int rc;
		trim(&ks, &ke);
		trim(&vs, &ve);
		if (ks == ke)
			return rp_error_set(RP_EFORMAT,
					    "%s:%d: [%s] '=' without a key name",
					    ini->path, line, (*cur)->name);
		key = rp_strndup(ks, (size_t)(ke - ks));
		if (!key)
			return rp_error_set(RP_ENOMEM, "out of memory");
		first = cfg_ini_get(*cur, key);
		first_line = first ? first->line : 0; /* add_entry may move entries */
		rc = add_entry(*cur, ks, (size_t)(ke - ks), vs, (size_t)(ve - vs), line);
		if (rc == RP_OK && first_line) {
			(*cur)->entries[(*cur)->n - 1].dup = true;
			rc = add_warning(ini,
					 rp_asprintf("%s:%d: [%s] %s repeated; the value "
						     "of line %d is used",
						     ini->path, line, (*cur)->name, key,
						     first_line));
		}
		free(key);
		return rc;
	}
}

int cfg_ini_parse(const char *path, const uint8_t *data, size_t len,
		  const char *const *list_sections, cfg_ini **out)
{
	cfg_ini *ini;
	char *text = NULL;
	size_t tlen = 0;
	const char *p, *end;
	cfg_ini_section *cur = NULL;
	int line = 1, rc;

	*out = NULL;
	if (len > CFG_INI_MAX_SIZE)
		return rp_error_set(RP_ELIMIT, "%s: larger than %u bytes", path,
				    CFG_INI_MAX_SIZE);
	ini = calloc(1, sizeof(*ini));
	if (!ini)
		return rp_error_set(RP_ENOMEM, "out of memory");
	ini->path = rp_strdup(path);
	if (!ini->path) {
		free(ini);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	rc = cfg_text_decode(data, len, &text, &tlen, &ini->encoding);
	if (rc != RP_OK) {
		rp_error_wrap(rc, "%s", path);
		cfg_ini_free(ini);
		return rc;
	}
	if (strlen(text) != tlen) {
		rc = rp_error_set(RP_EFORMAT, "%s: NUL character in the text", path);
		goto done;
	}
	p = text;
	end = text + tlen;
	while (p < end) {
		const char *e = p;
		while (e < end && *e != '\n' && *e != '\r')
			e++;
		rc = parse_line(ini, p, e, line, list_sections, &cur);
		if (rc != RP_OK)
			goto done;
		if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n')
			e++;
		p = e + 1;
		line++;
	}
	rc = RP_OK;
done:
	free(text);
	if (rc != RP_OK) {
		cfg_ini_free(ini);
		return rc;
	}
	*out = ini;
	return RP_OK;
}

int cfg_ini_load(const char *path, const char *const *list_sections, cfg_ini **out)
{
	uint8_t *data;
	size_t len;
	int rc = cfg_read_file(path, CFG_INI_MAX_SIZE, &data, &len);
	if (rc != RP_OK) {
		*out = NULL;
		return rc;
	}
	rc = cfg_ini_parse(path, data, len, list_sections, out);
	free(data);
	return rc;
}

void cfg_ini_free(cfg_ini *ini)
{
	size_t i, j;
	if (!ini)
		return;
	for (i = 0; i < ini->nsecs; i++) {
		cfg_ini_section *s = &ini->secs[i];
		for (j = 0; j < s->n; j++) {
			free(s->entries[j].key);
			free(s->entries[j].value);
			free(s->entries[j].raw);
		}
		free(s->entries);
		free(s->name);
	}
	for (i = 0; i < ini->nwarn; i++)
		free(ini->warnings[i]);
	free(ini->warnings);
	free(ini->secs);
	free(ini->path);
	free(ini);
}

const cfg_ini_section *cfg_ini_section_find(const cfg_ini *ini, const char *name)
{
	return ini ? find_sec((cfg_ini *)ini, name) : NULL;
}

const cfg_ini_entry *cfg_ini_get(const cfg_ini_section *sec, const char *key)
{
	size_t i;
	if (!sec)
		return NULL;
	for (i = 0; i < sec->n; i++)
		if (sec->entries[i].key && !sec->entries[i].dup &&
		    rp_ascii_casecmp(sec->entries[i].key, key) == 0)
			return &sec->entries[i];
	return NULL;
}

const char *cfg_ini_value(const cfg_ini *ini, const char *section, const char *key)
{
	const cfg_ini_entry *e = cfg_ini_get(cfg_ini_section_find(ini, section), key);
	return e ? e->value : NULL;
}
