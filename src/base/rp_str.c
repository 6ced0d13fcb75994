#include "rp_str.h"

#include "rp_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rp_utf8_put(rp_buf *b, uint32_t cp)
{
	uint8_t t[4];
	size_t n;
	if (cp < 0x80) {
		t[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		t[0] = (uint8_t)(0xC0 | (cp >> 6));
		t[1] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		t[0] = (uint8_t)(0xE0 | (cp >> 12));
		t[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		t[0] = (uint8_t)(0xF0 | (cp >> 18));
		t[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		t[3] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return rp_buf_append(b, t, n);
}

int rp_utf16le_to_utf8(const uint8_t *p, size_t nbytes, char **out)
{
	rp_buf b = RP_BUF_INIT;
	size_t i;
	int rc = RP_OK;

	*out = NULL;
	if (nbytes & 1)
		return rp_error_set(RP_EFORMAT, "UTF-16 string has odd length %zu",
				    nbytes);
	for (i = 0; i < nbytes && rc == RP_OK; i += 2) {
		uint32_t u = rp_le16(p + i);
		if (u == 0)
			break;
		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < nbytes) {
			uint32_t lo = rp_le16(p + i + 2);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			}
		}
		rc = rp_utf8_put(&b, u); /* lone surrogates become WTF-8 */
	}
	if (rc == RP_OK)
		rc = rp_buf_u8(&b, 0);
	if (rc < 0) {
		rp_buf_free(&b);
		return rc;
	}
	*out = (char *)rp_buf_steal(&b, NULL);
	return RP_OK;
}

int rp_utf8_next(const char *s, size_t n, uint32_t *cp)
{
	const uint8_t *u = (const uint8_t *)s;
	uint32_t c;
	int len, i;

	if (!n)
		return -1;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0) {
		c = u[0] & 0x1F;
		len = 2;
	} else if ((u[0] & 0xF0) == 0xE0) {
		c = u[0] & 0x0F;
		len = 3;
	} else if ((u[0] & 0xF8) == 0xF0) {
		c = u[0] & 0x07;
		len = 4;
	} else {
		return -1;
	}
	if ((size_t)len > n)
		return -1;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return -1; /* overlong or out of range */
	*cp = c;
	return len;
}

int rp_utf8_to_utf16le(const char *s, size_t n, rp_buf *b, bool nul)
{
	size_t i = 0;
	int rc;
	while (i < n) {
		uint32_t cp;
		int k = rp_utf8_next(s + i, n - i, &cp);
		if (k < 0)
			return rp_error_set(RP_EFORMAT, "invalid UTF-8 at byte %zu", i);
		i += (size_t)k;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			rc = rp_buf_u16le(b, (uint16_t)(0xD800 + (cp >> 10)));
			if (rc == RP_OK)
				rc = rp_buf_u16le(b, (uint16_t)(0xDC00 + (cp & 0x3FF)));
		} else {
			rc = rp_buf_u16le(b, (uint16_t)cp);
		}
		if (rc < 0)
			return rc;
	}
	return nul ? rp_buf_u16le(b, 0) : RP_OK;
}

/* Simple upper-casing as the registry does for key names (a table of
 * single-code-point mappings; enough for European profile names). */
static uint32_t fold(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return c - 32;
	if (c < 0x80)
		return c;
	if ((c >= 0xE0 && c <= 0xFE && c != 0xF7))
		return c - 32;
	if (c == 0xFF)
		return 0x178;
	if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 &&
	    c != 0x149 && c != 0x17F) {
		/* Latin Extended-A pairs: even upper, odd lower, except 0x139-0x148
		 * and 0x179-0x17E where odd is upper. */
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return (c & 1) ? c : c - 1;
		return (c & 1) ? c - 1 : c;
	}
	if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2)
		return c - 32; /* Greek */
	if (c >= 0x430 && c <= 0x44F)
		return c - 32; /* Cyrillic */
	if (c >= 0x450 && c <= 0x45F)
		return c - 80;
	return c;
}

int rp_name_cmp(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), i = 0, j = 0;
	while (i < na && j < nb) {
		uint32_t ca, cb;
		int ka = rp_utf8_next(a + i, na - i, &ca);
		int kb = rp_utf8_next(b + j, nb - j, &cb);
		if (ka < 0) {
			ca = (uint8_t)a[i];
			ka = 1;
		}
		if (kb < 0) {
			cb = (uint8_t)b[j];
			kb = 1;
		}
		ca = fold(ca);
		cb = fold(cb);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		i += (size_t)ka;
		j += (size_t)kb;
	}
	if (i < na)
		return 1;
	if (j < nb)
		return -1;
	return 0;
}

bool rp_name_eq(const char *a, const char *b)
{
	return rp_name_cmp(a, b) == 0;
}

int rp_ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		int ca = (unsigned char)a[i], cb = (unsigned char)b[i];
		if (ca >= 'A' && ca <= 'Z')
			ca += 32;
		if (cb >= 'A' && cb <= 'Z')
			cb += 32;
		if (ca != cb)
			return ca - cb;
		if (!ca)
			return 0;
	}
	return 0;
}

int rp_ascii_casecmp(const char *a, const char *b)
{
	return rp_ascii_ncasecmp(a, b, (size_t)-1);
}

char *rp_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p) {
		rp_error_set(RP_ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *rp_strdup(const char *s)
{
	return rp_strndup(s, strlen(s));
}

char *rp_asprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(p = malloc((size_t)n + 1))) {
		rp_error_set(RP_ENOMEM, "out of memory");
		return NULL;
	}
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

char *rp_hex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(n * 2 + 1);
	size_t i;
	if (!s) {
		rp_error_set(RP_ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

int rp_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int rp_unhex(const char *s, rp_buf *b)
{
	size_t i = 0;
	int rc;
	while (s[i]) {
		int hi, lo;
		if (s[i] == ' ' || s[i] == ',' || s[i] == ':' || s[i] == '\t' ||
		    s[i] == '\n' || s[i] == '\r') {
			i++;
			continue;
		}
		hi = rp_hexval((unsigned char)s[i]);
		lo = s[i + 1] ? rp_hexval((unsigned char)s[i + 1]) : -1;
		if (hi < 0 || lo < 0)
			return rp_error_set(RP_EFORMAT, "bad hex digit at position %zu",
					    i);
		if ((rc = rp_buf_u8(b, (uint8_t)(hi << 4 | lo))) < 0)
			return rc;
		i += 2;
	}
	return RP_OK;
}

static int ascii_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

bool rp_find_units(const uint8_t *d, size_t n, const uint8_t *nd, size_t k, size_t w,
		   bool fold)
{
	size_t len = k * w;
	if (!len || len > n)
		return false;
	for (size_t i = 0; i + len <= n; i++) {
		size_t j;
		for (j = 0; j < len; j += w) {
			int a = d[i + j], b = nd[j];
			if (w == 2 && d[i + j + 1] != nd[j + 1])
				break;
			if (fold && (w == 1 || nd[j + 1] == 0)) {
				a = ascii_lower(a);
				b = ascii_lower(b);
			}
			if (a != b)
				break;
		}
		if (j == len)
			return true;
	}
	return false;
}
