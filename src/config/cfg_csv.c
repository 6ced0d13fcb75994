/* cfg_csv.c - the CSV record reader (cfg_csv.h). */
#include "cfg_csv.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cfg_csv_clear(cfg_csv_rec *r)
{
	size_t i;
	for (i = 0; i < CFG_CSV_MAXF; i++)
		free(r->f[i]);
	memset(r, 0, sizeof(*r));
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool eol(const char *p, const char *end)
{
	return p >= end || *p == '\n' || *p == '\r';
}

/* Skips one line ending (CRLF, LF or CR), counting the line. */
static const char *skip_eol(const char *p, const char *end, int *line)
{
	if (p >= end)
		return p;
	if (*p == '\r') {
		p++;
		if (p < end && *p == '\n')
			p++;
	} else if (*p == '\n') {
		p++;
	}
	(*line)++;
	return p;
}

static int add_field(cfg_csv_rec *r, const char *s, size_t n)
{
	if (r->nf < CFG_CSV_MAXF) {
		r->f[r->nf] = rp_strndup(s, n);
		if (!r->f[r->nf])
			return rp_error_set(RP_ENOMEM, "out of memory");
	}
	r->nf++;
	return RP_OK;
}

/* Reads one record starting at *pp. On a syntax error r->err is set and the
 * position moves past the record's first line. */
int cfg_csv_read(const char **pp, const char *end, int *line, cfg_csv_rec *r)
{
	const char *p = *pp, *start = *pp;
	int start_line = *line, rc;

	memset(r, 0, sizeof(*r));
	for (;;) {
		while (p < end && blank(*p))
			p++;
		if (p < end && *p == '"') {
			rp_buf b = RP_BUF_INIT;
			r->quoted_any = true;
			p++;
			rc = RP_OK;
			for (;;) {
				if (p >= end) {
					snprintf(r->err, sizeof(r->err),
						 "unterminated quoted field");
					break;
				}
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						rc = rp_buf_u8(&b, '"');
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n' ||
				    (*p == '\r' && !(p + 1 < end && p[1] == '\n')))
					(*line)++;
				rc = rp_buf_u8(&b, (uint8_t)*p++);
				if (rc != RP_OK)
					break;
			}
			if (rc == RP_OK && !r->err[0])
				rc = add_field(r, b.data ? (const char *)b.data : "",
					       b.len);
			rp_buf_free(&b);
			if (rc != RP_OK) {
				cfg_csv_clear(r);
				return rc;
			}
			while (p < end && blank(*p))
				p++;
			if (!r->err[0] && !eol(p, end) && *p != ',')
				snprintf(r->err, sizeof(r->err),
					 "text after a closing quote");
		} else {
			const char *s = p, *e;
			while (!eol(p, end) && *p != ',') {
				if (*p == '"' && !r->err[0])
					snprintf(r->err, sizeof(r->err),
						 "quote inside an unquoted field");
				p++;
			}
			e = p;
			while (e > s && blank(e[-1]))
				e--;
			if ((rc = add_field(r, s, (size_t)(e - s))) != RP_OK) {
				cfg_csv_clear(r);
				return rc;
			}
		}
		if (r->err[0])
			break;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		break;
	}
	if (r->err[0]) {
		/* Resynchronise at the line after the record's first line. */
		*line = start_line;
		p = start;
		while (!eol(p, end))
			p++;
	}
	*pp = skip_eol(p, end, line);
	return RP_OK;
}

bool cfg_csv_blank(const cfg_csv_rec *r)
{
	return !r->err[0] && r->nf == 1 && !r->quoted_any && !r->f[0][0];
}
