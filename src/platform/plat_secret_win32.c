/* Windows implementation of plat_secret.h: DPAPI for the user and host
 * scopes, AES-256-GCM through BCrypt for the unrestricted one (the same
 * layout as libsodium's crypto_aead_aes256gcm: nonce, cipher text, tag), and
 * SetConsoleMode for prompts without echo. */
#include "plat_secret.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <windows.h>

#include <bcrypt.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wincrypt.h>

#define GCM_NONCE 12
#define TAG_LEN 16
#define MAX_LINE 1024
#ifndef STATUS_AUTH_TAG_MISMATCH
#define STATUS_AUTH_TAG_MISMATCH ((NTSTATUS)0xC000A002L)
#endif

void plat_wipe(void *p, size_t n)
{
	if (p && n)
		SecureZeroMemory(p, n);
}

static int dpapi(bool seal, enum plat_seal_scope scope, const uint8_t *ad, size_t adlen,
		 const uint8_t *in, size_t n, rp_buf *out)
{
	DATA_BLOB din, dout, ent;
	DWORD flags = CRYPTPROTECT_UI_FORBIDDEN;
	BOOL ok;
	int rc;
	if (scope == PLAT_SEAL_HOST)
		flags |= CRYPTPROTECT_LOCAL_MACHINE;
	din.pbData = (BYTE *)in;
	din.cbData = (DWORD)n;
	ent.pbData = (BYTE *)ad;
	ent.cbData = (DWORD)adlen;
	memset(&dout, 0, sizeof(dout));
	if (seal)
		ok = CryptProtectData(&din, L"reprofile", adlen ? &ent : NULL, NULL, NULL,
				      flags, &dout);
	else
		ok = CryptUnprotectData(&din, NULL, adlen ? &ent : NULL, NULL, NULL,
					flags, &dout);
	if (!ok)
		return seal
			   ? rp_error_set(RP_EIO, "CryptProtectData failed (error %lu)",
					  (unsigned long)GetLastError())
			   : rp_error_set(RP_EAUTH,
					  "the protected value does not open here (DPAPI "
					  "error %lu)",
					  (unsigned long)GetLastError());
	rc = rp_buf_append(out, dout.pbData, dout.cbData);
	SecureZeroMemory(dout.pbData, dout.cbData);
	LocalFree(dout.pbData);
	return rc;
}

static int gcm(bool seal, const uint8_t *ad, size_t adlen, const uint8_t *in, size_t n,
	       rp_buf *out)
{
	BCRYPT_ALG_HANDLE alg = NULL;
	BCRYPT_KEY_HANDLE key = NULL;
	BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO info;
	uint8_t nonce[GCM_NONCE], tag[TAG_LEN];
	size_t start = out->len, body;
	ULONG done = 0;
	NTSTATUS st;
	int rc;

	if (!seal && n < GCM_NONCE + TAG_LEN)
		return rp_error_set(RP_EFORMAT, "the protected value is too short");
	body = seal ? n : n - GCM_NONCE - TAG_LEN;
	if ((rc = rp_buf_zeros(out, body + (seal ? GCM_NONCE + TAG_LEN : 1))) != RP_OK)
		return rc;
	out->len = start;
	if (BCryptOpenAlgorithmProvider(&alg, BCRYPT_AES_ALGORITHM, NULL, 0) < 0 ||
	    BCryptSetProperty(alg, BCRYPT_CHAINING_MODE, (PUCHAR)BCRYPT_CHAIN_MODE_GCM,
			      sizeof(BCRYPT_CHAIN_MODE_GCM), 0) < 0 ||
	    BCryptGenerateSymmetricKey(alg, &key, NULL, 0, (PUCHAR)PLAT_SEAL_ANY_KEY, 32,
				       0) < 0) {
		rc = rp_error_set(RP_EUNSUPPORTED, "AES-GCM is not available (BCrypt)");
		goto out;
	}
	if (seal) {
		if (BCryptGenRandom(NULL, nonce, sizeof(nonce),
				    BCRYPT_USE_SYSTEM_PREFERRED_RNG) < 0) {
			rc = rp_error_set(RP_EIO, "no random numbers (BCryptGenRandom)");
			goto out;
		}
	} else {
		memcpy(nonce, in, GCM_NONCE);
		memcpy(tag, in + n - TAG_LEN, TAG_LEN);
		in += GCM_NONCE;
	}
	BCRYPT_INIT_AUTH_MODE_INFO(info);
	info.pbNonce = nonce;
	info.cbNonce = sizeof(nonce);
	info.pbAuthData = (PUCHAR)ad;
	info.cbAuthData = (ULONG)adlen;
	info.pbTag = tag;
	info.cbTag = sizeof(tag);
	if (seal) {
		memcpy(out->data + start, nonce, GCM_NONCE);
		st = BCryptEncrypt(key, (PUCHAR)in, (ULONG)body, &info, NULL, 0,
				   out->data + start + GCM_NONCE, (ULONG)body, &done, 0);
		if (st < 0) {
			rc = rp_error_set(RP_EIO, "AES-GCM encryption failed (0x%08lx)",
					  (unsigned long)st);
			goto out;
		}
		memcpy(out->data + start + GCM_NONCE + body, tag, TAG_LEN);
		out->len = start + GCM_NONCE + body + TAG_LEN;
	} else {
		st = BCryptDecrypt(key, (PUCHAR)in, (ULONG)body, &info, NULL, 0,
				   out->data + start, (ULONG)body, &done, 0);
		if (st < 0) {
			SecureZeroMemory(out->data + start, body);
			rc = rp_error_set(st == STATUS_AUTH_TAG_MISMATCH ? RP_EAUTH
									 : RP_EIO,
					  "the protected value does not open here "
					  "(0x%08lx)",
					  (unsigned long)st);
			goto out;
		}
		out->len = start + body;
	}
out:
	if (key)
		BCryptDestroyKey(key);
	if (alg)
		BCryptCloseAlgorithmProvider(alg, 0);
	return rc;
}

int plat_seal(enum plat_seal_scope scope, const uint8_t *ad, size_t adlen,
	      const uint8_t *in, size_t n, rp_buf *out)
{
	if (scope == PLAT_SEAL_ANY)
		return gcm(true, ad, adlen, in, n, out);
	return dpapi(true, scope, ad, adlen, in, n, out);
}

int plat_unseal(enum plat_seal_scope scope, const uint8_t *ad, size_t adlen,
		const uint8_t *blob, size_t n, rp_buf *out)
{
	if (scope == PLAT_SEAL_ANY)
		return gcm(false, ad, adlen, blob, n, out);
	if (n < 16)
		return rp_error_set(RP_EFORMAT, "the protected value is too short");
	return dpapi(false, scope, ad, adlen, blob, n, out);
}

/* The console handle behind fd 0, 1 or 2, or NULL. _isatty() is not used:
 * it is also true for the NUL device. */
static HANDLE console_of(int fd)
{
	static const DWORD std[] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE,
				    STD_ERROR_HANDLE};
	DWORD mode;
	HANDLE h;
	if (fd < 0 || fd > 2)
		return NULL;
	h = GetStdHandle(std[fd]);
	return h && h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode) ? h : NULL;
}

bool plat_is_terminal(int fd)
{
	return console_of(fd) != NULL;
}

static int read_console(HANDLE h, const char *prompt, bool echo, char **out)
{
	wchar_t w[MAX_LINE];
	DWORD mode, got = 0;
	int rc = RP_OK, n;
	char u8[MAX_LINE * 3];
	GetConsoleMode(h, &mode);
	if (!echo)
		SetConsoleMode(h, (mode | ENABLE_LINE_INPUT) & ~(DWORD)ENABLE_ECHO_INPUT);
	if (prompt) {
		fputs(prompt, stderr);
		fflush(stderr);
	}
	if (!ReadConsoleW(h, w, MAX_LINE - 1, &got, NULL))
		rc = rp_error_set(RP_EIO, "cannot read the answer from the console");
	if (!echo) {
		SetConsoleMode(h, mode);
		fputc('\n', stderr);
	}
	while (got && (w[got - 1] == L'\n' || w[got - 1] == L'\r'))
		got--;
	n = got ? WideCharToMultiByte(CP_UTF8, 0, w, (int)got, u8, sizeof(u8), NULL, NULL)
		: 0;
	if (rc == RP_OK && !(*out = rp_strndup(u8, (size_t)n)))
		rc = rp_error_set(RP_ENOMEM, "out of memory");
	SecureZeroMemory(w, sizeof(w));
	SecureZeroMemory(u8, sizeof(u8));
	return rc;
}

int plat_read_line(int fd, const char *prompt, bool echo, char **out)
{
	HANDLE con = fd == 0 ? console_of(0) : NULL;
	char line[MAX_LINE];
	size_t n = 0;
	int rc = RP_OK;
	*out = NULL;
	if (con)
		return read_console(con, prompt, echo, out);
	if (prompt) {
		fputs(prompt, stderr);
		fflush(stderr);
	}
	for (;;) {
		char c;
		int got = _read(fd, &c, 1);
		if (got < 0) {
			rc = rp_error_set(RP_EIO, "cannot read the answer");
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
	if (n && line[n - 1] == '\r')
		n--;
	if (rc == RP_OK && !(*out = rp_strndup(line, n)))
		rc = rp_error_set(RP_ENOMEM, "out of memory");
	SecureZeroMemory(line, sizeof(line));
	return rc;
}
