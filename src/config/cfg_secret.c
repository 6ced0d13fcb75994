#include "cfg_secret.h"

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "platform/plat_secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "rp1:"
/* Passwords are short; anything longer is not a password. */
#define MAX_PLAIN 1024

static const char *const names[] = {"user", "host", "unrestricted"};
static const enum plat_seal_scope scopes[] = {PLAT_SEAL_USER_HOST, PLAT_SEAL_HOST,
					      PLAT_SEAL_ANY};

const char *cfg_secret_mode_name(enum cfg_secret_mode m)
{
	return (unsigned)m < 3 ? names[m] : "?";
}

int cfg_secret_mode_from_name(const char *name)
{
	int i;
	for (i = 0; name && i < 3; i++)
		if (rp_ascii_casecmp(name, names[i]) == 0)
			return i;
	return -1;
}

void cfg_secret_free(char *plain)
{
	if (plain) {
		plat_wipe(plain, strlen(plain));
		free(plain);
	}
}

int cfg_secret_protect(enum cfg_secret_mode m, const char *plain, char **out)
{
	rp_buf blob = RP_BUF_INIT;
	char ad[32], *hex;
	size_t n = plain ? strlen(plain) : 0;
	int rc;
	*out = NULL;
	if (!n)
		return rp_error_set(RP_EINVAL, "the password is empty");
	if (n > MAX_PLAIN)
		return rp_error_set(RP_EINVAL, "the password is over %d bytes",
				    MAX_PLAIN);
	if ((unsigned)m >= 3)
		return rp_error_set(RP_EINVAL, "unknown protection mode");
	snprintf(ad, sizeof(ad), PREFIX "%s", names[m]);
	rc = plat_seal(scopes[m], (const uint8_t *)ad, strlen(ad), (const uint8_t *)plain,
		       n, &blob);
	if (rc)
		return rp_error_wrap(rc, "cannot protect the password (mode %s)",
				     names[m]);
	hex = rp_hex(blob.data, blob.len);
	rp_buf_free(&blob);
	if (!hex)
		return rp_error_set(RP_ENOMEM, "out of memory");
	*out = rp_asprintf("%s:%s", ad, hex);
	free(hex);
	return *out ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
}

int cfg_secret_reveal(const char *value, char **plain, enum cfg_secret_mode *mode)
{
	rp_buf blob = RP_BUF_INIT, pt = RP_BUF_INIT;
	const char *m, *colon;
	char ad[32];
	int mi = -1, rc;
	*plain = NULL;
	if (value && *value && strspn(value, "0123456789abcdefABCDEF") == strlen(value))
		/* What the guide's wizard writes (DCPassword=7F3A62CD00FC1DDDCD). */
		return rp_error_set(
		    RP_EFORMAT,
		    "not a password protected by reprofile: %zu hexadecimal digits, "
		    "the form of a password encrypted by the original CPUU "
		    "configuration wizard, whose format is not public and cannot be "
		    "read here; protect the password again with `reprofile "
		    "protect-password` (or the wizard) and put its rp1:MODE:HEX value "
		    "in the INI",
		    strlen(value));
	if (!value || strncmp(value, PREFIX, strlen(PREFIX)) != 0)
		return rp_error_set(
		    RP_EFORMAT,
		    "not a password protected by reprofile (expected "
		    "rp1:MODE:HEX; make one with `reprofile protect-password`)");
	m = value + strlen(PREFIX);
	colon = strchr(m, ':');
	if (colon && (size_t)(colon - m) < sizeof(ad) - strlen(PREFIX)) {
		char word[24];
		memcpy(word, m, (size_t)(colon - m));
		word[colon - m] = '\0';
		mi = cfg_secret_mode_from_name(word);
	}
	if (mi < 0)
		return rp_error_set(
		    RP_EFORMAT,
		    "protected password: unknown mode (expected user, host or "
		    "unrestricted after rp1:)");
	if (rp_unhex(colon + 1, &blob) != RP_OK || !blob.len) {
		rp_buf_free(&blob);
		return rp_error_set(
		    RP_EFORMAT,
		    "protected password (mode %s): the data after the mode "
		    "is not hex",
		    names[mi]);
	}
	snprintf(ad, sizeof(ad), PREFIX "%s", names[mi]);
	rc = plat_unseal(scopes[mi], (const uint8_t *)ad, strlen(ad), blob.data, blob.len,
			 &pt);
	rp_buf_free(&blob);
	if (rc == RP_OK && (pt.len == 0 || memchr(pt.data, 0, pt.len)))
		rc = rp_error_set(RP_EAUTH, "the plain text is not a password");
	if (rc == RP_OK)
		rc = rp_buf_u8(&pt, 0);
	if (rc) {
		if (pt.data)
			plat_wipe(pt.data, pt.cap);
		rp_buf_free(&pt);
		if (rc == RP_EAUTH || rc == RP_EFORMAT) {
			/* The detail is copied: rp_error_set overwrites the message. */
			char why[256];
			snprintf(why, sizeof(why), "%s", rp_error_msg());
			return rp_error_set(RP_EAUTH,
					    "protected password (mode %s) cannot be "
					    "decrypted here: it was "
					    "protected %s, or it is damaged (%s)",
					    names[mi],
					    mi == CFG_SECRET_USER
						? "by another user or on another host"
					    : mi == CFG_SECRET_HOST ? "on another host"
								    : "with another key",
					    why);
		}
		return rp_error_wrap(rc, "protected password (mode %s)", names[mi]);
	}
	*plain = (char *)rp_buf_steal(&pt, NULL);
	if (mode)
		*mode = (enum cfg_secret_mode)mi;
	return RP_OK;
}
