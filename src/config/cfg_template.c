#include "cfg_template.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"

#include <stdlib.h>
#include <string.h>

static int finish(rp_buf *b, int rc, char **out)
{
	if (rc == RP_OK)
		rc = rp_buf_u8(b, 0);
	if (rc != RP_OK) {
		rp_buf_free(b);
		*out = NULL;
		return rc;
	}
	*out = (char *)rp_buf_steal(b, NULL);
	return RP_OK;
}

int cfg_expand_name(const char *tmpl, const cfg_name_ctx *ctx, char **out)
{
	rp_buf b = RP_BUF_INIT;
	const char *p = tmpl;
	int rc = RP_OK;

	while (*p && rc == RP_OK) {
		if (*p == '#' && (p[1] == 'H' || p[1] == 'h')) {
			rc = rp_buf_puts(&b, ctx->host ? ctx->host : "");
			p += 2;
		} else if (*p == '#' && (p[1] == 'D' || p[1] == 'd')) {
			rc = rp_buf_printf(&b, "%04d%02d%02d", ctx->year, ctx->month,
					   ctx->day);
			p += 2;
		} else if (*p == '#' && (p[1] == 'T' || p[1] == 't')) {
			rc = rp_buf_printf(&b, "%02d%02d%02d", ctx->hour, ctx->minute,
					   ctx->second);
			p += 2;
		} else if (*p == '%' && ctx->env && strchr(p + 1, '%') &&
			   strchr(p + 1, '%') > p + 1) {
			const char *close = strchr(p + 1, '%');
			char *name = rp_strndup(p + 1, (size_t)(close - p - 1));
			char *val;
			if (!name) {
				rc = rp_error_set(RP_ENOMEM, "out of memory");
				break;
			}
			val = ctx->env(ctx->env_ud, name);
			free(name);
			if (val) {
				rc = rp_buf_puts(&b, val);
				free(val);
				p = close + 1;
			} else {
				/* Undefined: copy "%NAME%" as written and go on after
				 * it, as ExpandEnvironmentStrings does (checked under
				 * Wine: "%NOPE%USERNAME%" stays as it is). */
				rc = rp_buf_append(&b, p, (size_t)(close - p) + 1);
				p = close + 1;
			}
		} else {
			rc = rp_buf_u8(&b, (uint8_t)*p++);
		}
	}
	return finish(&b, rc, out);
}

char *cfg_env_list_lookup(void *ud, const char *name)
{
	const char *const *env = ud;
	size_t n = strlen(name);
	for (; env && *env; env++)
		if (rp_ascii_ncasecmp(*env, name, n) == 0 && (*env)[n] == '=')
			return rp_strdup(*env + n + 1);
	return NULL;
}

char *cfg_csv_name(const char *log)
{
	const char *base = log, *p, *dot = NULL;
	for (p = log; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	for (p = base; *p; p++)
		if (*p == '.')
			dot = p;
	if (dot == base)
		dot = NULL; /* ".log" alone is a name, not an extension */
	if (dot && rp_ascii_casecmp(dot, ".csv") == 0)
		return rp_asprintf("%.*s.status.csv", (int)(dot - log), log);
	if (dot)
		return rp_asprintf("%.*s.csv", (int)(dot - log), log);
	return rp_asprintf("%s.csv", log);
}

char *cfg_csv_row(const char *profile, int current, int previous)
{
	char *row = rp_asprintf("%s\t%d\t%d\r\n", profile, current, previous);
	size_t i, n;
	if (!row)
		return NULL;
	n = strlen(profile);
	for (i = 0; i < n; i++)
		if (row[i] == '\t' || row[i] == '\r' || row[i] == '\n')
			row[i] = ' ';
	return row;
}

int cfg_notify_expand(const char *tmpl, const cfg_notify_vars *v, char **out)
{
	rp_buf b = RP_BUF_INIT;
	const char *p = tmpl;
	int rc = RP_OK;

	while (*p && rc == RP_OK) {
		const char *val = NULL;
		if (*p != '%' || !p[1]) {
			rc = rp_buf_u8(&b, (uint8_t)*p++);
			continue;
		}
		switch (p[1]) {
		case 'R':
		case 'r':
			val = v->updated ? "UPDATED" : "NOT UPDATED";
			break;
		case 'U':
		case 'u':
			val = v->user ? v->user : "";
			break;
		case 'P':
		case 'p':
			val = v->profile ? v->profile : "";
			break;
		case 'H':
		case 'h':
			val = v->host ? v->host : "";
			break;
		case 'T':
		case 't':
			val = v->time ? v->time : "";
			break;
		case 'D':
		case 'd':
			val = v->date ? v->date : "";
			break;
		case '%':
			val = "%";
			break;
		}
		if (val) {
			rc = rp_buf_puts(&b, val);
			p += 2;
		} else {
			rc = rp_buf_u8(&b, (uint8_t)*p++);
		}
	}
	return finish(&b, rc, out);
}
