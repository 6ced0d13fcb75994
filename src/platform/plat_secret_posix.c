/* POSIX implementation of plat_secret.h: libsodium, the machine id, the user
 * id and a per-user random key file; termios for prompts. */
#include "plat_secret.h"

#include "plat.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <sodium.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define USER_KEY_LEN 32
#define MAX_LINE 1024
#define XC_NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define GCM_NONCE crypto_aead_aes256gcm_NPUBBYTES
/* Both AEADs append a 16-byte tag. */
#define TAG_LEN 16
_Static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == TAG_LEN, "tag");
_Static_assert(crypto_aead_aes256gcm_ABYTES == TAG_LEN, "tag");

void plat_wipe(void *p, size_t n)
{
	if (p && n)
		sodium_memzero(p, n);
}

static int sodium_ready(void)
{
	if (sodium_init() < 0)
		return rp_error_set(RP_EUNSUPPORTED, "libsodium cannot be initialised");
	return RP_OK;
}

/* The machine id: /etc/machine-id (systemd), else D-Bus's copy.
 * REPROFILE_MACHINE_ID_FILE replaces both, so tests can play another host. */
static int machine_id(char *out, size_t cap)
{
	const char *cands[] = {NULL, "/etc/machine-id", "/var/lib/dbus/machine-id"};
	char *env = plat_getenv("REPROFILE_MACHINE_ID_FILE");
	size_t i, n = 0;
	cands[0] = env;
	for (i = env ? 0 : 1; i < sizeof(cands) / sizeof(*cands); i++) {
		FILE *f = fopen(cands[i], "r");
		if (!f) {
			if (env)
				break; /* the override is the only source when set */
			continue;
		}
		n = fread(out, 1, cap - 1, f);
		fclose(f);
		while (n &&
		       (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' '))
			n--;
		out[n] = '\0';
		if (n)
			break;
	}
	if (!n) {
		int rc =
		    rp_error_set(RP_EUNSUPPORTED,
				 "%s: no machine id to bind the password to this host",
				 env ? env : "/etc/machine-id");
		free(env);
		return rc;
	}
	free(env);
	return RP_OK;
}

/* $XDG_CONFIG_HOME/reprofile/user.key, else ~/.config/reprofile/user.key. */
static char *user_key_path(void)
{
	char *xdg = plat_getenv("XDG_CONFIG_HOME"), *home = plat_getenv("HOME"), *p;
	if (xdg && *xdg == '/') {
		p = rp_asprintf("%s/reprofile/user.key", xdg);
	} else if (home && *home) {
		p = rp_asprintf("%s/.config/reprofile/user.key", home);
	} else {
		struct passwd *pw = getpwuid(getuid());
		p = pw && pw->pw_dir
			? rp_asprintf("%s/.config/reprofile/user.key", pw->pw_dir)
			: NULL;
	}
	free(xdg);
	free(home);
	if (!p)
		rp_error_set(RP_EIO, "no home folder for the per-user key file");
	return p;
}

/* Reads the per-user key; with create, makes it when it is missing. */
static int user_key(uint8_t key[USER_KEY_LEN], bool create)
{
	char *path = user_key_path(), *dir;
	int fd, rc = RP_OK;
	ssize_t got;
	if (!path)
		return RP_EIO;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		dir = rp_strndup(path, (size_t)(strrchr(path, '/') - path));
		if (!dir) {
			free(path);
			return rp_error_set(RP_ENOMEM, "out of memory");
		}
		rc = plat_mkdir_p(dir);
		free(dir);
		if (rc == RP_OK) {
			fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
			if (fd >= 0) {
				randombytes_buf(key, USER_KEY_LEN);
				if (write(fd, key, USER_KEY_LEN) != USER_KEY_LEN ||
				    fsync(fd) < 0)
					rc = rp_error_set(RP_EIO, "%s: cannot write: %s",
							  path, strerror(errno));
				close(fd);
				free(path);
				return rc;
			}
			if (errno == EEXIST) /* another process made it first */
				fd = open(path, O_RDONLY | O_CLOEXEC);
		}
	}
	if (fd < 0) {
		rc = rp_error_set(errno == ENOENT ? RP_EAUTH : RP_EIO,
				  "%s: cannot read the per-user key: %s", path,
				  strerror(errno));
		free(path);
		return rc;
	}
	got = read(fd, key, USER_KEY_LEN);
	close(fd);
	if (got != USER_KEY_LEN)
		rc = rp_error_set(RP_EAUTH, "%s: the per-user key is damaged", path);
	free(path);
	return rc;
}

/* key = BLAKE2b-256(label, machine id[, uid, per-user key]). */
static int derive(enum plat_seal_scope scope, bool create, uint8_t key[32])
{
	crypto_generichash_state st;
	char mid[256], uid[32];
	uint8_t uk[USER_KEY_LEN];
	const char *label =
	    scope == PLAT_SEAL_HOST ? "reprofile host v1" : "reprofile user v1";
	int rc = machine_id(mid, sizeof(mid));
	if (rc)
		return rc;
	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, (const uint8_t *)label, strlen(label) + 1);
	crypto_generichash_update(&st, (const uint8_t *)mid, strlen(mid) + 1);
	if (scope == PLAT_SEAL_USER_HOST) {
		if ((rc = user_key(uk, create)) != RP_OK)
			return rc;
		snprintf(uid, sizeof(uid), "%lu", (unsigned long)getuid());
		crypto_generichash_update(&st, (const uint8_t *)uid, strlen(uid) + 1);
		crypto_generichash_update(&st, uk, sizeof(uk));
		sodium_memzero(uk, sizeof(uk));
	}
	crypto_generichash_final(&st, key, 32);
	sodium_memzero(&st, sizeof(st));
	return RP_OK;
}

static int gcm_ready(void)
{
	if (!crypto_aead_aes256gcm_is_available())
		return rp_error_set(RP_EUNSUPPORTED,
				    "this processor has no AES instructions, which the "
				    "unrestricted mode needs here");
	return RP_OK;
}

int plat_seal(enum plat_seal_scope scope, const uint8_t *ad, size_t adlen,
	      const uint8_t *in, size_t n, rp_buf *out)
{
	uint8_t key[32];
	size_t start = out->len, nonce = scope == PLAT_SEAL_ANY ? GCM_NONCE : XC_NONCE;
	unsigned long long clen = 0;
	int rc = sodium_ready();
	if (rc)
		return rc;
	if (scope == PLAT_SEAL_ANY) {
		if ((rc = gcm_ready()) != RP_OK)
			return rc;
		memcpy(key, PLAT_SEAL_ANY_KEY, 32);
	} else if ((rc = derive(scope, true, key)) != RP_OK) {
		return rc;
	}
	if ((rc = rp_buf_zeros(out, nonce + n + TAG_LEN)) != RP_OK) {
		sodium_memzero(key, sizeof(key));
		return rc;
	}
	randombytes_buf(out->data + start, nonce);
	if (scope == PLAT_SEAL_ANY)
		crypto_aead_aes256gcm_encrypt(out->data + start + nonce, &clen, in, n, ad,
					      adlen, NULL, out->data + start, key);
	else
		crypto_aead_xchacha20poly1305_ietf_encrypt(out->data + start + nonce,
							   &clen, in, n, ad, adlen, NULL,
							   out->data + start, key);
	sodium_memzero(key, sizeof(key));
	out->len = start + nonce + (size_t)clen;
	return RP_OK;
}

int plat_unseal(enum plat_seal_scope scope, const uint8_t *ad, size_t adlen,
		const uint8_t *blob, size_t n, rp_buf *out)
{
	uint8_t key[32];
	size_t start = out->len, nonce = scope == PLAT_SEAL_ANY ? GCM_NONCE : XC_NONCE;
	unsigned long long plen = 0;
	int rc = sodium_ready(), bad;
	if (rc)
		return rc;
	if (n < nonce + TAG_LEN)
		return rp_error_set(RP_EFORMAT, "the protected value is too short");
	if (scope == PLAT_SEAL_ANY) {
		if ((rc = gcm_ready()) != RP_OK)
			return rc;
		memcpy(key, PLAT_SEAL_ANY_KEY, 32);
	} else if ((rc = derive(scope, false, key)) != RP_OK) {
		return rc;
	}
	if ((rc = rp_buf_zeros(out, n - nonce - TAG_LEN + 1)) != RP_OK) {
		sodium_memzero(key, sizeof(key));
		return rc;
	}
	if (scope == PLAT_SEAL_ANY)
		bad = crypto_aead_aes256gcm_decrypt(out->data + start, &plen, NULL,
						    blob + nonce, n - nonce, ad, adlen,
						    blob, key);
	else
		bad = crypto_aead_xchacha20poly1305_ietf_decrypt(
		    out->data + start, &plen, NULL, blob + nonce, n - nonce, ad, adlen,
		    blob, key);
	sodium_memzero(key, sizeof(key));
	if (bad) {
		out->len = start;
		return rp_error_set(RP_EAUTH, "the protected value does not open here");
	}
	out->len = start + (size_t)plen;
	return RP_OK;
}

bool plat_is_terminal(int fd)
{
	return isatty(fd) == 1;
}

int plat_read_line(int fd, const char *prompt, bool echo, char **out)
{
	struct termios old, quiet;
	bool restore = false;
	char line[MAX_LINE];
	size_t n = 0;
	int rc = RP_OK;
	*out = NULL;
	if (!echo && isatty(fd) && tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(fd, TCSANOW, &quiet) == 0;
	}
	if (prompt) {
		fputs(prompt, stderr);
		fflush(stderr);
	}
	/* One byte at a time: what follows the line stays for the next read. */
	for (;;) {
		char c;
		ssize_t got = read(fd, &c, 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = rp_error_set(RP_EIO, "cannot read the answer: %s",
					  strerror(errno));
			break;
		}
		if (got == 0) {
			if (!n)
				rc = rp_error_set(RP_ENOTFOUND,
						  "no answer (end of input)");
			break;
		}
		if (c == '\n')
			break;
		if (n + 1 >= sizeof(line)) {
			rc = rp_error_set(RP_ELIMIT, "the answer is over %d bytes",
					  MAX_LINE - 1);
			break;
		}
		line[n++] = c;
	}
	if (restore) {
		tcsetattr(fd, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (n && line[n - 1] == '\r')
		n--;
	if (rc == RP_OK && !(*out = rp_strndup(line, n)))
		rc = rp_error_set(RP_ENOMEM, "out of memory");
	sodium_memzero(line, sizeof(line));
	return rc;
}
