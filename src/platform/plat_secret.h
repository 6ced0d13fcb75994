/* plat_secret.h - the operating system's part of password protection, and
 * terminal prompts without echo.
 *
 * plat_seal/plat_unseal encrypt a short secret so that only the given scope
 * can decrypt it (the admin guide's "Encryption Modes"):
 *   PLAT_SEAL_USER_HOST  this user on this host
 *   PLAT_SEAL_HOST       any user on this host
 *   PLAT_SEAL_ANY        anywhere: a fixed key compiled into reprofile
 *                        (obfuscation, not protection; see docs/authentication.md)
 * Windows: DPAPI (CryptProtectData; CRYPTPROTECT_LOCAL_MACHINE for the host
 * scope), AES-256-GCM through BCrypt for PLAT_SEAL_ANY. Elsewhere: libsodium,
 * XChaCha20-Poly1305 with a key derived from the machine id (/etc/machine-id)
 * and, for the user scope, the user id and a random per-user key file under
 * the user's configuration folder; AES-256-GCM with the fixed key for
 * PLAT_SEAL_ANY, so such values open on either build.
 * The blob is opaque; cfg_secret.h gives it its text form. */
#ifndef PLAT_SECRET_H
#define PLAT_SECRET_H

#include "base/rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum plat_seal_scope { PLAT_SEAL_USER_HOST, PLAT_SEAL_HOST, PLAT_SEAL_ANY };

/* The unrestricted mode's AES-256 key: the ASCII bytes of
 * "reprofile-unrestricted-key-v1!!!". Public on purpose: it makes a value
 * unreadable at a glance, nothing more. */
#define PLAT_SEAL_ANY_KEY "reprofile-unrestricted-key-v1!!!"

/* Encrypts n bytes of in for scope; ad (adlen bytes, may be empty) is bound
 * to the blob and must be given again to open it. The blob is appended to
 * out. RP_EUNSUPPORTED when the scope cannot be used here (no machine id),
 * RP_EIO (per-user key file), RP_ENOMEM. */
int plat_seal(enum plat_seal_scope scope, const uint8_t *ad, size_t adlen,
	      const uint8_t *in, size_t n, rp_buf *out);
/* Decrypts a blob made by plat_seal; the plain text is appended to out.
 * RP_EAUTH when it does not open here (another host or user, other ad, or a
 * damaged value), RP_EFORMAT when it is too short, RP_EUNSUPPORTED as above. */
int plat_unseal(enum plat_seal_scope scope, const uint8_t *ad, size_t adlen,
		const uint8_t *blob, size_t n, rp_buf *out);
/* Overwrites n bytes in a way the compiler keeps. */
void plat_wipe(void *p, size_t n);

/* Is fd a terminal (a console on Windows)? */
bool plat_is_terminal(int fd);
/* Writes prompt (may be NULL) to stderr, then reads one line from fd
 * (without its line end) into *out (malloc'd). When echo is false and fd is a
 * terminal, echo is turned off before the prompt is shown and restored after
 * (tcsetattr / SetConsoleMode), and a line end is written to stderr.
 * RP_ENOTFOUND at end of input with nothing read, RP_ELIMIT for a line over
 * 1023 bytes, RP_EIO. */
int plat_read_line(int fd, const char *prompt, bool echo, char **out);

#endif
