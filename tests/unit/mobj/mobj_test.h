/* mobj_test.h - builders of entry IDs and property lists, and a recipient
 * map, shared by the mobj unit tests. Include after cmocka.h. */
#ifndef MOBJ_TEST_H
#define MOBJ_TEST_H

#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_tag.h"
#include "mobj/mobj_recip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRC_DN                                                                           \
	"/o=Fabrikam/ou=Exchange Administrative Group "                                  \
	"(FYDIBOHF23SPDLT)/cn=Recipients/cn="
#define TGT_DN                                                                           \
	"/o=Contoso/ou=Exchange Administrative Group "                                   \
	"(FYDIBOHF23SPDLT)/cn=Recipients/cn="

/* muidEMSAB and the one-off provider (MS-OXCDATA 2.2.5.2, 2.2.5.1). */
static const uint8_t UID_AB[16] = {0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
				   0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82};
static const uint8_t UID_ONEOFF[16] = {0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
				       0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02};

static inline void ab_eid(rp_buf *b, const char *dn)
{
	b->len = 0;
	assert_int_equal(rp_buf_u32le(b, 0), RP_OK);
	assert_int_equal(rp_buf_append(b, UID_AB, 16), RP_OK);
	assert_int_equal(rp_buf_u32le(b, 1), RP_OK);
	assert_int_equal(rp_buf_u32le(b, 0), RP_OK);
	assert_int_equal(rp_buf_append(b, dn, strlen(dn) + 1), RP_OK);
}

/* A Unicode SMTP one-off. */
static inline void oneoff_eid(rp_buf *b, const char *name, const char *addr)
{
	b->len = 0;
	assert_int_equal(rp_buf_u32le(b, 0), RP_OK);
	assert_int_equal(rp_buf_append(b, UID_ONEOFF, 16), RP_OK);
	assert_int_equal(rp_buf_u16le(b, 0), RP_OK);
	assert_int_equal(rp_buf_u16le(b, 0x9001), RP_OK);
	assert_int_equal(rp_utf8_to_utf16le(name, strlen(name), b, true), RP_OK);
	assert_int_equal(rp_utf8_to_utf16le("SMTP", 4, b, true), RP_OK);
	assert_int_equal(rp_utf8_to_utf16le(addr, strlen(addr), b, true), RP_OK);
}

static inline void set_bin(mapi_value *v, uint32_t tag, const rp_buf *b)
{
	assert_int_equal(mapi_value_set_binary(v, tag, b->data, b->len), RP_OK);
}

static inline void set_str(mapi_value *v, uint32_t tag, const char *s)
{
	assert_int_equal(mapi_value_set_unicode(v, tag, s), RP_OK);
}

/* The property list Outlook writes for an EX recipient (7 values) or an SMTP
 * one (6 values): PR_ENTRYID, PR_DISPLAY_NAME, PR_ADDRTYPE,
 * PR_EMAIL_ADDRESS, PR_SEARCH_KEY, [PR_SMTP_ADDRESS,] PR_RECORD_KEY-less. */
static inline size_t person_props(mapi_value *v, bool ex, const char *who,
				  const char *smtp)
{
	rp_buf b = RP_BUF_INIT;
	char *dn =
	    rp_asprintf("%s%s", SRC_DN, who ? who : ""); /* SMTP callers pass none */
	size_t n = 0;

	if (ex)
		ab_eid(&b, dn);
	else
		oneoff_eid(&b, smtp, smtp);
	set_bin(&v[n++], 0x0FFF0102u, &b);
	set_str(&v[n++], 0x3001001Fu, ex ? who : smtp);
	set_str(&v[n++], 0x3002001Fu, ex ? "EX" : "SMTP");
	set_str(&v[n++], 0x3003001Fu, ex ? dn : smtp);
	b.len = 0;
	assert_int_equal(
	    mobj_search_key(ex ? MOBJ_WHO_EX : MOBJ_WHO_SMTP, ex ? dn : smtp, &b), RP_OK);
	set_bin(&v[n++], 0x300B0102u, &b);
	if (ex)
		set_str(&v[n++], 0x39FE001Fu, smtp);
	assert_int_equal(mapi_value_set_long(&v[n++], 0x0C150003u, 1),
			 RP_OK); /* recipient type */
	rp_buf_free(&b);
	free(dn);
	return n;
}

/* The map: alice and bob (EX) and dave@fabrikam.example (SMTP) migrated;
 * carol did not. Counts its calls. */
static int map_calls;
static inline int test_recip_map(void *ctx, const mobj_who *from, mobj_who *to)
{
	const char *who = NULL;
	(void)ctx;
	map_calls++;
	if (from->kind == MOBJ_WHO_EX && from->dn &&
	    rp_ascii_ncasecmp(from->dn, SRC_DN, strlen(SRC_DN)) == 0)
		who = from->dn + strlen(SRC_DN);
	if (who &&
	    (rp_ascii_casecmp(who, "alice") == 0 || rp_ascii_casecmp(who, "bob") == 0)) {
		char lower[16];
		size_t i;
		for (i = 0; who[i] && i < sizeof(lower) - 1; i++)
			lower[i] = (char)(who[i] | 0x20);
		lower[i] = '\0';
		to->dn = rp_asprintf("%s%s", TGT_DN, lower);
		to->smtp = rp_asprintf("%s@contoso.example", lower);
		return RP_OK;
	}
	if (from->kind == MOBJ_WHO_SMTP && from->smtp &&
	    rp_ascii_casecmp(from->smtp, "dave@fabrikam.example") == 0) {
		to->smtp = rp_strdup("dave@contoso.example");
		return RP_OK;
	}
	return rp_error_set(RP_ENOTFOUND, "not migrated");
}

/* Value of property id in v[0..n) as UTF-8 (static buffer), or "". */
static inline const char *prop_str(const mapi_value *v, size_t n, uint16_t id)
{
	static char buf[512];
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (PROP_ID(v[i].tag) == id) {
			char *s = NULL;
			assert_int_equal(mapi_value_str_utf8(&v[i], &s), RP_OK);
			snprintf(buf, sizeof(buf), "%s", s);
			free(s);
		}
	return buf;
}

static inline const mapi_value *prop_find(const mapi_value *v, size_t n, uint16_t id)
{
	for (size_t i = 0; i < n; i++)
		if (PROP_ID(v[i].tag) == id)
			return &v[i];
	return NULL;
}

#endif
