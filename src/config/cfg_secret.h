/* cfg_secret.h - protected passwords in reprofile.ini (Password=,
 * PasswordTrg=): the admin guide's three "Encryption Modes".
 *
 * Text form, one INI value:  rp1:<mode>:<hex>
 *   rp1    format version (a later format gets rp2, and rp1 keeps opening)
 *   mode   user | host | unrestricted
 *   hex    the blob of plat_seal() (lower-case hex), the text "rp1:<mode>"
 *          bound to it, so changing the mode word breaks the value
 * The encryption itself is the platform's (plat_secret.h): DPAPI on Windows,
 * libsodium with the machine id and a per-user key elsewhere. */
#ifndef CFG_SECRET_H
#define CFG_SECRET_H

enum cfg_secret_mode {
	CFG_SECRET_USER,        /* restricted to the current user and host */
	CFG_SECRET_HOST,        /* restricted to the current host */
	CFG_SECRET_UNRESTRICTED /* a fixed key: obfuscation only */
};

/* "user", "host", "unrestricted". */
const char *cfg_secret_mode_name(enum cfg_secret_mode m);
/* Mode from its name (case-insensitive); -1 if unknown. */
int cfg_secret_mode_from_name(const char *name);

/* Protects plain (UTF-8, not empty) and sets *out to the malloc'd INI value.
 * Errors: RP_EINVAL (empty), RP_EUNSUPPORTED (mode not usable here),
 * RP_EIO, RP_ENOMEM; message set. */
int cfg_secret_protect(enum cfg_secret_mode m, const char *plain, char **out);

/* Opens an INI value made by cfg_secret_protect; *plain is malloc'd (free it
 * with cfg_secret_free). *mode (may be NULL) receives the mode word's mode.
 * Errors, one line each, never showing the value:
 *   RP_EFORMAT  not "rp1:<mode>:<hex>" (also values of other tools)
 *   RP_EAUTH    does not decrypt here: protected for another user or host,
 *               or damaged
 *   RP_EUNSUPPORTED, RP_ENOMEM */
int cfg_secret_reveal(const char *value, char **plain, enum cfg_secret_mode *mode);

/* Wipes and frees a password; NULL-safe. */
void cfg_secret_free(char *plain);

#endif
