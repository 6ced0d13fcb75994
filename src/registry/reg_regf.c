/* reg_regf.c - the little of the REGF hive format we handle ourselves:
 * checking the base block before hivex opens a file, and writing a new
 * empty hive (hivex cannot create one).
 *
 * Layout facts come from the libyal "Windows NT Registry File (REGF) format"
 * document (libyal/libregf, documentation/Windows NT Registry File (REGF)
 * format.asciidoc: "File header", "Hive bin", "Named key", "Security key")
 * and the security descriptor from [MS-DTYP] 2.4.2.2 (SID), 2.4.4.2
 * (ACCESS_ALLOWED_ACE), 2.4.5 (ACL) and 2.4.6 (SECURITY_DESCRIPTOR). */
#include "reg_internal.h"

#include "base/rp_buf.h"
#include "base/rp_cur.h"
#include "base/rp_err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define REGF_BLOCK 4096u      /* base block and hbin granularity */
#define REGF_CSUM_OFF 508u    /* checksum = XOR of the 127 dwords before it */
#define REGF_HBIN_HDR 32u     /* hbin header size */
#define NK_FIXED 76u          /* nk fields before the name */
#define NK_HIVE_ENTRY 0x0004u /* root key of the hive */
#define NK_NO_DELETE 0x0008u
#define NK_COMP_NAME 0x0020u /* name stored as 8-bit characters */
#define NO_OFFSET 0xFFFFFFFFu

static uint32_t regf_checksum(const uint8_t *b)
{
	uint32_t x = 0;
	size_t i;
	for (i = 0; i < REGF_CSUM_OFF; i += 4)
		x ^= rp_le32(b + i);
	/* libyal: 0 is stored as 1 and 0xFFFFFFFF as 0xFFFFFFFE. */
	if (x == 0)
		x = 1;
	else if (x == 0xFFFFFFFFu)
		x = 0xFFFFFFFEu;
	return x;
}

int reg_regf_check(const char *path)
{
	uint8_t hdr[REGF_BLOCK];
	uint32_t magic, seq1, seq2, major, hbins, csum;
	rp_cur c;
	size_t got;
	long size;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		return rp_error_set(RP_ENOTFOUND, "%s: cannot open hive file", path);
	got = fread(hdr, 1, sizeof(hdr), f);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
		fclose(f);
		return rp_error_set(RP_EIO, "%s: cannot read hive file", path);
	}
	fclose(f);
	if (got >= 4 && memcmp(hdr, "regf", 4) != 0)
		return rp_error_set(
		    RP_EFORMAT, "%s: not a registry hive (no 'regf' signature)", path);
	if (got < REGF_BLOCK)
		return rp_error_set(
		    RP_EFORMAT,
		    "%s: truncated hive: %zu bytes, shorter than its %u-byte "
		    "base block",
		    path, got, REGF_BLOCK);
	rp_cur_init(&c, hdr, sizeof(hdr));
	(void)rp_cur_u32(&c, &magic, "signature");
	(void)rp_cur_u32(&c, &seq1, "primary sequence number");
	(void)rp_cur_u32(&c, &seq2, "secondary sequence number");
	(void)rp_cur_skip(&c, 8, "timestamp");
	(void)rp_cur_u32(&c, &major, "major version");
	(void)rp_cur_skip(&c, 40 - c.off, "header fields");
	(void)rp_cur_u32(&c, &hbins, "hive bins data size");
	csum = rp_le32(hdr + REGF_CSUM_OFF);
	if (seq1 != seq2)
		return rp_error_set(
		    RP_EDIRTY,
		    "%s: hive is dirty (sequence numbers %u and %u differ): "
		    "changes are pending in its .LOG1/.LOG2 files; let Windows "
		    "load the hive once, then retry",
		    path, seq1, seq2);
	if (csum != regf_checksum(hdr))
		return rp_error_set(
		    RP_EFORMAT,
		    "%s: corrupt hive: base block checksum 0x%08x, expected "
		    "0x%08x",
		    path, csum, regf_checksum(hdr));
	if (major != 1)
		return rp_error_set(RP_EFORMAT, "%s: unsupported hive major version %u",
				    path, major);
	if (hbins == 0 || hbins % REGF_BLOCK != 0)
		return rp_error_set(RP_EFORMAT, "%s: corrupt hive: hive bins size %u",
				    path, hbins);
	if ((uint64_t)size < (uint64_t)REGF_BLOCK + hbins)
		return rp_error_set(RP_EFORMAT,
				    "%s: truncated hive: %ld bytes, header says %u + %u",
				    path, size, REGF_BLOCK, hbins);
	return RP_OK;
}

/* FILETIME (100 ns ticks since 1601) for now. */
static uint64_t filetime_now(void)
{
	return ((uint64_t)time(NULL) + 11644473600ull) * 10000000ull;
}

static void put_sid(rp_buf *b, const uint32_t *sub, uint8_t nsub)
{
	static const uint8_t nt_authority[6] = {0, 0, 0, 0, 0, 5};
	uint8_t i;
	rp_buf_u8(b, 1); /* revision */
	rp_buf_u8(b, nsub);
	rp_buf_append(b, nt_authority, 6); /* identifier authority, big-endian */
	for (i = 0; i < nsub; i++)
		rp_buf_u32le(b, sub[i]);
}

/* Self-relative security descriptor: owner Administrators, group SYSTEM,
 * DACL granting KEY_ALL_ACCESS, container-inherited, to SYSTEM,
 * Administrators and Authenticated Users (a user hive is loaded by its
 * owner, whose SID we do not know here). */
static int build_sd(rp_buf *b)
{
	static const uint32_t sys[] = {18}, admins[] = {32, 544}, auth[] = {11};
	const uint32_t *sids[3] = {sys, admins, auth};
	const uint8_t nsub[3] = {1, 2, 1};
	size_t acl_off, acl_size = 8, owner_off, group_off;
	int i;

	for (i = 0; i < 3; i++)
		acl_size += 8 + 8 + 4u * nsub[i];
	rp_buf_u8(b, 1);         /* revision */
	rp_buf_u8(b, 0);         /* sbz1 */
	rp_buf_u16le(b, 0x8004); /* SE_SELF_RELATIVE | SE_DACL_PRESENT */
	owner_off = 20;
	group_off = owner_off + 16;
	acl_off = group_off + 12;
	rp_buf_u32le(b, (uint32_t)owner_off);
	rp_buf_u32le(b, (uint32_t)group_off);
	rp_buf_u32le(b, 0); /* no SACL */
	rp_buf_u32le(b, (uint32_t)acl_off);
	put_sid(b, admins, 2);
	put_sid(b, sys, 1);
	rp_buf_u8(b, 2); /* ACL_REVISION */
	rp_buf_u8(b, 0);
	rp_buf_u16le(b, (uint16_t)acl_size);
	rp_buf_u16le(b, 3);
	rp_buf_u16le(b, 0);
	for (i = 0; i < 3; i++) {
		rp_buf_u8(b, 0);    /* ACCESS_ALLOWED_ACE_TYPE */
		rp_buf_u8(b, 0x02); /* CONTAINER_INHERIT_ACE */
		rp_buf_u16le(b, (uint16_t)(8 + 8 + 4u * nsub[i]));
		rp_buf_u32le(b, 0x000F003Fu); /* KEY_ALL_ACCESS */
		put_sid(b, sids[i], nsub[i]);
	}
	return RP_OK;
}

/* Builds the file image: base block + one hbin with root nk, sk and a free
 * cell covering the rest of the bin. Offsets inside cells are relative to
 * the first hbin. */
static int build_empty(rp_buf *f)
{
	static const char root_name[] = "ROOT";
	rp_buf sd = RP_BUF_INIT;
	uint64_t now = filetime_now();
	size_t nk_off = REGF_HBIN_HDR, nk_size, sk_off, sk_size, free_off;
	size_t name_len = sizeof(root_name) - 1;
	size_t base;
	int rc;

	rc = build_sd(&sd);
	if (rc < 0 || sd.len == 0) {
		rp_buf_free(&sd);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	nk_size = (4 + NK_FIXED + name_len + 7) & ~(size_t)7;
	sk_off = nk_off + nk_size;
	sk_size = (4 + 20 + sd.len + 7) & ~(size_t)7;
	free_off = sk_off + sk_size;

	/* Base block. */
	rc = rp_buf_puts(f, "regf");
	rp_buf_u32le(f, 1);   /* primary sequence number */
	rp_buf_u32le(f, 1);   /* secondary: equal = clean */
	rp_buf_u64le(f, now); /* last written */
	rp_buf_u32le(f, 1);   /* major version */
	rp_buf_u32le(f, 3);   /* minor version: 1.3, as NTUSER.DAT */
	rp_buf_u32le(f, 0);   /* file type: primary */
	rp_buf_u32le(f, 1);   /* file format: direct memory load */
	rp_buf_u32le(f, (uint32_t)nk_off);
	rp_buf_u32le(f, REGF_BLOCK); /* hive bins data size */
	rp_buf_u32le(f, 1);          /* clustering factor */
	rp_buf_zeros(f, REGF_BLOCK - f->len);
	if (f->len != REGF_BLOCK) {
		rp_buf_free(&sd);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	rp_put_le32(f->data + REGF_CSUM_OFF, regf_checksum(f->data));

	/* hbin header. */
	base = f->len;
	rp_buf_puts(f, "hbin");
	rp_buf_u32le(f, 0);          /* offset of this bin */
	rp_buf_u32le(f, REGF_BLOCK); /* size of this bin */
	rp_buf_zeros(f, 8);          /* reserved */
	rp_buf_u64le(f, now);
	rp_buf_u32le(f, 0); /* spare */

	/* Root nk cell (negative size = allocated). */
	rp_buf_u32le(f, (uint32_t) - (int32_t)nk_size);
	rp_buf_puts(f, "nk");
	rp_buf_u16le(f, NK_HIVE_ENTRY | NK_NO_DELETE | NK_COMP_NAME);
	rp_buf_u64le(f, now);
	rp_buf_u32le(f, 0);         /* access bits */
	rp_buf_u32le(f, NO_OFFSET); /* parent: none */
	rp_buf_u32le(f, 0);         /* subkeys */
	rp_buf_u32le(f, 0);         /* volatile subkeys */
	rp_buf_u32le(f, NO_OFFSET); /* subkey list */
	rp_buf_u32le(f, NO_OFFSET); /* volatile subkey list */
	rp_buf_u32le(f, 0);         /* values */
	rp_buf_u32le(f, NO_OFFSET); /* value list */
	rp_buf_u32le(f, (uint32_t)sk_off);
	rp_buf_u32le(f, NO_OFFSET); /* class name */
	rp_buf_zeros(f, 5 * 4);     /* largest name/class/value sizes, workvar */
	rp_buf_u16le(f, (uint16_t)name_len);
	rp_buf_u16le(f, 0); /* class name length */
	rp_buf_append(f, root_name, name_len);
	rp_buf_zeros(f, base + sk_off - f->len);

	/* sk cell: a one-element ring pointing at itself. */
	rp_buf_u32le(f, (uint32_t) - (int32_t)sk_size);
	rp_buf_puts(f, "sk");
	rp_buf_u16le(f, 0);
	rp_buf_u32le(f, (uint32_t)sk_off); /* previous */
	rp_buf_u32le(f, (uint32_t)sk_off); /* next */
	rp_buf_u32le(f, 1);                /* reference count: the root */
	rp_buf_u32le(f, (uint32_t)sd.len);
	rp_buf_append(f, sd.data, sd.len);
	rp_buf_zeros(f, base + free_off - f->len);
	rp_buf_free(&sd);

	/* One free cell (positive size) for the rest of the bin. */
	rp_buf_u32le(f, (uint32_t)(REGF_BLOCK - free_off));
	rc = rp_buf_zeros(f, base + REGF_BLOCK - f->len);
	if (rc < 0 || f->len != 2 * REGF_BLOCK)
		return rp_error_set(RP_ENOMEM, "out of memory");
	return RP_OK;
}

int reg_hive_create_empty(const char *path)
{
	rp_buf f = RP_BUF_INIT;
	int rc;
	if (reg_file_exists(path))
		return rp_error_set(
		    RP_EEXISTS, "%s: file exists; not replacing it with an empty hive",
		    path);
	rc = build_empty(&f);
	if (rc == RP_OK)
		rc = reg_file_replace(path, f.data, f.len);
	rp_buf_free(&f);
	if (rc < 0)
		return rp_error_wrap(rc, "%s: creating empty hive", path);
	return RP_OK;
}
