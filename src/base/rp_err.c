#include "rp_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define RP_ERR_MSG_MAX 1024

static _Thread_local char rp_msg[RP_ERR_MSG_MAX];

int rp_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rp_msg, sizeof(rp_msg), fmt, ap);
	va_end(ap);
	return code;
}

/* Appends s to rp_msg at *pos, truncating at the buffer's end. */
static void msg_append(size_t *pos, const char *s)
{
	size_t n = strlen(s);
	if (n > RP_ERR_MSG_MAX - 1 - *pos)
		n = RP_ERR_MSG_MAX - 1 - *pos;
	memcpy(rp_msg + *pos, s, n);
	*pos += n;
	rp_msg[*pos] = '\0';
}

int rp_error_wrap(int code, const char *fmt, ...)
{
	char prefix[RP_ERR_MSG_MAX];
	char old[RP_ERR_MSG_MAX];
	size_t pos = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, rp_msg, sizeof(old));
	msg_append(&pos, prefix);
	msg_append(&pos, ": ");
	msg_append(&pos, old[0] ? old : rp_strerror(code));
	return code;
}

const char *rp_error_msg(void)
{
	return rp_msg;
}

void rp_error_clear(void)
{
	rp_msg[0] = '\0';
}

const char *rp_strerror(int code)
{
	switch (code) {
	case RP_OK:
		return "success";
	case RP_ENOMEM:
		return "out of memory";
	case RP_EIO:
		return "input/output error";
	case RP_ENOTFOUND:
		return "not found";
	case RP_EFORMAT:
		return "malformed input";
	case RP_EINVAL:
		return "invalid argument";
	case RP_EEXISTS:
		return "already exists";
	case RP_EDIRTY:
		return "hive is dirty (pending transaction logs)";
	case RP_EUNSUPPORTED:
		return "unsupported";
	case RP_ELIMIT:
		return "limit exceeded";
	case RP_ECRASH:
		return "injected crash point";
	case RP_ENET:
		return "network error";
	case RP_EAUTH:
		return "authentication refused";
	case RP_EBUSY:
		return "in use by another process";
	default:
		return "unknown error";
	}
}
