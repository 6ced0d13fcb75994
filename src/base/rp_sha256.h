/* rp_sha256.h - SHA-256 of a byte string (FIPS 180-4), for showing and
 * comparing file contents (dry-run, tests), not for security decisions. */
#ifndef RP_SHA256_H
#define RP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define RP_SHA256_LEN 32

void rp_sha256(const void *data, size_t len, uint8_t out[RP_SHA256_LEN]);
/* The digest as 64 lower-case hex digits and a NUL. */
void rp_sha256_hex(const void *data, size_t len, char out[2 * RP_SHA256_LEN + 1]);

#endif
