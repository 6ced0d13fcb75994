/* mbx_switchmsg.c - the switch and recreate messages' property lists (see
 * mbx_switchmsg.h and docs/switch-message.md). */
#include "mailbox/mbx_switchmsg.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_tag.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* {374A47F5-1E92-44DF-8162-E8A1BCDCB5D3}, generated once for reprofile. */
const uint8_t mbx_swm_psetid[16] = {0xF5, 0x47, 0x4A, 0x37, 0x92, 0x1E, 0xDF, 0x44,
				    0x81, 0x62, 0xE8, 0xA1, 0xBC, 0xDC, 0xB5, 0xD3};

/* PidTagMessageClass_W and PidTagSubject_W (MS-OXPROPS). */
#define SWM_TAG_CLASS PROP_TAG(PT_UNICODE, 0x001A)
#define SWM_TAG_SUBJECT PROP_TAG(PT_UNICODE, 0x0037)
#define SWM_DN_MAX 1024u
#define SWM_SMTP_MAX 320u

static const struct {
	const char *name;
	uint16_t type;
} props[MBX_SWM_NPROPS] = {
    {"ReprofileVersion", PT_LONG},
    {"ReprofileTargetDN", PT_UNICODE},
    {"ReprofileTargetSMTP", PT_UNICODE},
    {"ReprofileTargetIsO365", PT_BOOLEAN},
};

const char *mbx_swm_prop_name(int p)
{
	return p >= 0 && p < MBX_SWM_NPROPS ? props[p].name : "?";
}

void mbx_swm_names(mbx_propname out[MBX_SWM_NPROPS])
{
	for (int i = 0; i < MBX_SWM_NPROPS; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].kind = MBX_PNAME_LID;
		memcpy(out[i].guid, mbx_swm_psetid, 16);
		out[i].lid = (uint32_t)i + 1;
	}
}

static bool has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return true;
	return false;
}

int mbx_swm_check_dn(const char *dn)
{
	const char *name = props[MBX_SWM_P_TARGET_DN].name;
	size_t n = dn ? strlen(dn) : 0;

	if (n == 0)
		return rp_error_set(RP_EINVAL, "%s is empty", name);
	if (n > SWM_DN_MAX)
		return rp_error_set(RP_EINVAL, "%s is longer than %u characters", name,
				    SWM_DN_MAX);
	if (has_ctl(dn))
		return rp_error_set(RP_EINVAL, "%s contains a control character", name);
	if (rp_ascii_ncasecmp(dn, "/o=", 3) != 0)
		return rp_error_set(RP_EINVAL,
				    "%s \"%s\" is not a legacyExchangeDN (must start "
				    "with /o=)",
				    name, dn);
	for (const char *p = dn; (p = strchr(p, '/')) != NULL; p++)
		if (rp_ascii_ncasecmp(p, "/cn=", 4) == 0 && p[4] != '\0' && p[4] != '/')
			return RP_OK;
	return rp_error_set(RP_EINVAL, "%s \"%s\" has no /cn= part", name, dn);
}

int mbx_swm_check_smtp(const char *smtp)
{
	const char *name = props[MBX_SWM_P_TARGET_SMTP].name;
	size_t n = smtp ? strlen(smtp) : 0;
	const char *at = smtp ? strchr(smtp, '@') : NULL;

	if (n == 0)
		return rp_error_set(RP_EINVAL, "%s is empty", name);
	if (has_ctl(smtp))
		return rp_error_set(RP_EINVAL, "%s contains a control character", name);
	if (n > SWM_SMTP_MAX || strchr(smtp, ' ') || !at || at == smtp ||
	    strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.' ||
	    smtp[n - 1] == '.')
		return rp_error_set(RP_EINVAL, "%s \"%.*s\" is not an SMTP address", name,
				    n > SWM_SMTP_MAX ? 64 : (int)n, smtp);
	return RP_OK;
}

/* class, subject and version: the first three entries of both lists. */
static int build_common(mapi_value *v, const char *cls, const char *subject,
			const uint16_t ids[MBX_SWM_NPROPS])
{
	int rc = mapi_value_set_unicode(&v[0], SWM_TAG_CLASS, cls);
	if (rc == RP_OK)
		rc = mapi_value_set_unicode(&v[1], SWM_TAG_SUBJECT, subject);
	if (rc == RP_OK)
		rc = mapi_value_set_long(&v[2], PROP_TAG(PT_LONG, ids[MBX_SWM_P_VERSION]),
					 MBX_SWM_VERSION);
	return rc;
}

static int check_ids(const uint16_t ids[MBX_SWM_NPROPS])
{
	for (int i = 0; i < MBX_SWM_NPROPS; i++)
		if (ids[i] < 0x8000)
			return rp_error_set(RP_EINVAL,
					    "%s: server gave property id 0x%04x, "
					    "not a named-property id",
					    props[i].name, ids[i]);
	return RP_OK;
}

int mbx_swm_build(const mbx_swm *m, const uint16_t ids[MBX_SWM_NPROPS], mapi_value **out,
		  size_t *n)
{
	mapi_value *v;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = check_ids(ids)) < 0 || (rc = mbx_swm_check_dn(m->target_dn)) < 0 ||
	    (rc = mbx_swm_check_smtp(m->target_smtp)) < 0)
		return rc;
	v = calloc(6, sizeof(*v));
	if (!v)
		return rp_error_set(RP_ENOMEM, "out of memory");
	rc = build_common(v, MBX_SWM_CLASS, "reprofile switch message", ids);
	if (rc == RP_OK)
		rc = mapi_value_set_unicode(
		    &v[3], PROP_TAG(PT_UNICODE, ids[MBX_SWM_P_TARGET_DN]), m->target_dn);
	if (rc == RP_OK)
		rc = mapi_value_set_unicode(
		    &v[4], PROP_TAG(PT_UNICODE, ids[MBX_SWM_P_TARGET_SMTP]),
		    m->target_smtp);
	if (rc == RP_OK)
		rc = mbx_prop_set_bool(&v[5], PROP_TAG(PT_BOOLEAN, ids[MBX_SWM_P_O365]),
				       m->o365);
	if (rc < 0) {
		mbx_props_free(v, 6);
		return rc;
	}
	*out = v;
	*n = 6;
	return RP_OK;
}

int mbx_swm_build_recreate(const uint16_t ids[MBX_SWM_NPROPS], mapi_value **out,
			   size_t *n)
{
	mapi_value *v;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = check_ids(ids)) < 0)
		return rc;
	v = calloc(3, sizeof(*v));
	if (!v)
		return rp_error_set(RP_ENOMEM, "out of memory");
	rc = build_common(v, MBX_SWM_RECREATE_CLASS, "reprofile recreate message", ids);
	if (rc < 0) {
		mbx_props_free(v, 3);
		return rc;
	}
	*out = v;
	*n = 3;
	return RP_OK;
}

void mbx_swm_columns(const uint16_t ids[MBX_SWM_NPROPS], uint32_t cols[MBX_SWM_NCOLS])
{
	cols[0] = PROP_TAG(PT_UNSPECIFIED, PROP_ID(SWM_TAG_CLASS));
	for (int i = 0; i < MBX_SWM_NPROPS; i++)
		cols[1 + i] = PROP_TAG(PT_UNSPECIFIED, ids[i]);
}

/* Column col of the row with the expected type, or an error naming name. */
static int get(const mbx_row *row, size_t col, uint16_t type, const char *name,
	       const mapi_value **out)
{
	const mapi_value *v = col < row->n ? mbx_row_value(row, col) : NULL;
	*out = NULL; /* callers read it only on RP_OK; gcc -O3 cannot see that */
	if (!v)
		return rp_error_set(RP_EFORMAT, "switch message: property %s is missing",
				    name);
	if (PROP_TYPE(v->tag) != type) {
		const char *have = mapi_type_name(PROP_TYPE(v->tag));
		return rp_error_set(RP_EFORMAT,
				    "switch message: property %s has type %s "
				    "(0x%04x), expected %s",
				    name, have ? have : "unknown", PROP_TYPE(v->tag),
				    mapi_type_name(type));
	}
	*out = v;
	return RP_OK;
}

static int get_str(const mbx_row *row, size_t col, const char *name, char **out)
{
	const mapi_value *v;
	int rc = get(row, col, PT_UNICODE, name, &v);
	if (rc < 0)
		return rc;
	rc = mapi_value_str_utf8(v, out);
	if (rc < 0)
		return rp_error_wrap(RP_EFORMAT, "switch message: property %s", name);
	return RP_OK;
}

/* Class and version: shared by both messages. */
static int parse_common(const mbx_row *row, const char *cls)
{
	const mapi_value *v;
	char *have = NULL;
	int rc = get_str(row, 0, "PR_MESSAGE_CLASS", &have);

	if (rc == RP_OK && has_ctl(have))
		rc = rp_error_set(RP_EFORMAT,
				  "switch message: PR_MESSAGE_CLASS contains a control "
				  "character, expected \"%s\"",
				  cls);
	else if (rc == RP_OK && rp_ascii_casecmp(have, cls) != 0)
		rc = rp_error_set(RP_EFORMAT,
				  "switch message: PR_MESSAGE_CLASS is \"%s\", expected "
				  "\"%s\"",
				  have, cls);
	free(have);
	if (rc < 0)
		return rc;
	rc = get(row, 1 + MBX_SWM_P_VERSION, PT_LONG, props[MBX_SWM_P_VERSION].name, &v);
	if (rc < 0)
		return rc;
	if (v->u.l < 1)
		return rp_error_set(RP_EFORMAT,
				    "switch message: %s %" PRId32 " is not valid",
				    props[MBX_SWM_P_VERSION].name, v->u.l);
	if (v->u.l > MBX_SWM_VERSION)
		return rp_error_set(RP_EFORMAT,
				    "switch message: %s %" PRId32
				    " is newer than this reprofile reads (%d)",
				    props[MBX_SWM_P_VERSION].name, v->u.l,
				    MBX_SWM_VERSION);
	return RP_OK;
}

int mbx_swm_parse(const mbx_row *row, const uint16_t ids[MBX_SWM_NPROPS], mbx_swm *out)
{
	const mapi_value *v;
	int rc;

	(void)ids; /* positional: the row was read over mbx_swm_columns(ids) */
	memset(out, 0, sizeof(*out));
	rc = parse_common(row, MBX_SWM_CLASS);
	if (rc < 0)
		return rc;
	out->version = row->cols[1 + MBX_SWM_P_VERSION].v.u.l;
	rc = get_str(row, 1 + MBX_SWM_P_TARGET_DN, props[MBX_SWM_P_TARGET_DN].name,
		     &out->target_dn);
	if (rc == RP_OK && mbx_swm_check_dn(out->target_dn) < 0)
		rc = rp_error_wrap(RP_EFORMAT, "switch message");
	if (rc == RP_OK)
		rc = get_str(row, 1 + MBX_SWM_P_TARGET_SMTP,
			     props[MBX_SWM_P_TARGET_SMTP].name, &out->target_smtp);
	if (rc == RP_OK && mbx_swm_check_smtp(out->target_smtp) < 0)
		rc = rp_error_wrap(RP_EFORMAT, "switch message");
	if (rc == RP_OK)
		rc = get(row, 1 + MBX_SWM_P_O365, PT_BOOLEAN, props[MBX_SWM_P_O365].name,
			 &v);
	if (rc == RP_OK)
		out->o365 = v->u.b != 0;
	return rc;
}

int mbx_swm_parse_recreate(const mbx_row *row, const uint16_t ids[MBX_SWM_NPROPS])
{
	(void)ids;
	return parse_common(row, MBX_SWM_RECREATE_CLASS);
}

void mbx_swm_free(mbx_swm *m)
{
	free(m->target_dn);
	free(m->target_smtp);
	memset(m, 0, sizeof(*m));
}
