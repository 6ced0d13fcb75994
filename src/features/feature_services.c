/* Services: the profile's address-book settings (the guide's "address book
 * settings" of Services) in the profile root section 9207f3e0...
 * (outlook-profile-registry.md 1.4, 3.1):
 *   11023d05 PR_AB_SEARCH_PATH  "check names using these address lists"
 *   01023d06 PR_AB_DEFAULT_DIR  "show this address list first"
 *   01023d07 PR_AB_DEFAULT_PAB  "keep personal addresses in"
 * Each holds address-book container entry IDs. Exchange containers are EX
 * entry IDs (MS-OXCDATA 2.2.5.2) whose DN says which container
 * (MS-OXOABK 2.2.1.1): "/" is the GAL, the same in every organisation;
 * "/guid=<32 hex>" an address list named by its objectGUID, which no other
 * forest has; "/o=<org>" (and /o=.../cn=... containers) the source
 * organisation's own. Those are matched through the recipient map by their
 * DN (a DirectoryCSV row can name an address list's equivalent), an
 * organisation container also by the target's organisation; what has no
 * equivalent leaves the setting (Outlook falls back to its default). Other
 * address books (Contacts, LDAP, PAB: not EX entry IDs) are kept byte for
 * byte. Skipped: the guide's "settings will be reset to default": the
 * values are deleted and Outlook rebuilds them. The folder-valued settings
 * of Services live in the mailbox. docs/features.md, docs/decisions.md. */
#include "features.h"
#include "feature_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "mapi/mapi_tag.h"
#include "mapi/mapi_value.h"

#include <stdlib.h>
#include <string.h>

#define SEARCH_PATH "11023d05"
#define DEFAULT_DIR "01023d06"
#define DEFAULT_PAB "01023d07"
#define FOLDERS_NOTE "folder settings need mailbox access"

/* What became of one container entry ID. */
typedef enum svc_fate {
	SVC_KEEP,   /* not the source organisation's, or the GAL */
	SVC_CHANGE, /* rewritten to the target's equivalent (*neu) */
	SVC_REMOVE  /* the source's, without an equivalent */
} svc_fate;

typedef struct svc_state {
	const feature_ctx *c;
	char *src_org, *dst_org; /* "/o=..." of the source and target DNs */
	rp_buf msg;              /* the parts of the log line */
	bool no_map_warned;
} svc_state;

/* The organisation RDN ("/o=Org") a DN starts with, malloc'd, or NULL. */
static char *org_of(const char *dn)
{
	const char *e;
	if (!dn || rp_ascii_ncasecmp(dn, "/o=", 3) != 0)
		return NULL;
	e = strchr(dn + 3, '/');
	return rp_strndup(dn, e ? (size_t)(e - dn) : strlen(dn));
}

static bool is_guid_dn(const char *dn)
{
	size_t i;
	if (rp_ascii_ncasecmp(dn, "/guid=", 6) != 0 || strlen(dn) != 6 + 32)
		return false;
	for (i = 6; i < 38; i++)
		if (!strchr("0123456789abcdefABCDEF", dn[i]))
			return false;
	return true;
}

/* Decides the fate of one entry ID (raw, n bytes) of value name; on
 * SVC_CHANGE appends the new entry ID to neu. what says what it is, for the
 * log (static or in *label, malloc'd). */
static int judge(svc_state *st, const char *name, const uint8_t *raw, size_t n,
		 svc_fate *fate, rp_buf *neu, char **label)
{
	const feature_ctx *c = st->c;
	eid e;
	char *dn = NULL;
	int rc;
	*fate = SVC_KEEP;
	*label = NULL;
	memset(&e, 0, sizeof(e));
	if ((rc = eid_decode(&e, raw, n)) < 0) {
		eid_free(&e);
		return rp_error_wrap(RP_EFORMAT, "%s: key '%s\\%s': value '%s'",
				     reg_store_name(c->store), c->p->path,
				     PROFILE_SEC_ROOT, name);
	}
	if (e.kind != EID_AB || !e.u.ab.dn.n)
		goto out; /* Contacts, LDAP, PAB ...: another address book */
	if ((rc = mapi_str8_to_utf8(e.u.ab.dn.p, e.u.ab.dn.n, &dn)) < 0)
		goto out;
	if (strcmp(dn, "/") == 0)
		goto out; /* the GAL: the same container in every organisation */
	{
		char *org = org_of(dn);
		bool source = is_guid_dn(dn) ||
			      (org && st->src_org && rp_name_eq(org, st->src_org));
		const char *to = NULL;
		dir_recipient rec;
		free(org);
		if (!source)
			goto out; /* another organisation's: not ours to judge */
		if (c->dir) {
			dir_source_key k = {DIR_KEY_LEGACY_DN, dn};
			rc = dir_lookup(c->dir, &k, &rec);
			if (rc == RP_OK && rec.legacy_dn)
				to = rec.legacy_dn;
			else if (rc == RP_ENOTFOUND || rc == RP_OK)
				rp_error_clear(), rc = RP_OK;
			else
				goto out;
		}
		/* The organisation container itself: the target's. */
		if (!to && st->dst_org && st->src_org && rp_name_eq(dn, st->src_org))
			to = st->dst_org;
		if (to) {
			if ((rc = eid_bytes_set_str8(&e.u.ab.dn, to)) == RP_OK &&
			    (rc = eid_encode(&e, neu)) == RP_OK) {
				*fate = SVC_CHANGE;
				*label = rp_asprintf("%s -> %s", dn, to);
			}
		} else {
			*fate = SVC_REMOVE;
			if (!c->dir)
				st->no_map_warned = true;
			*label = rp_strdup(dn);
		}
		if (rc == RP_OK && !*label)
			rc = rp_error_set(RP_ENOMEM, "out of memory");
	}
out:
	free(dn);
	eid_free(&e);
	return rc;
}

/* The search path: each entry judged; changed entries replaced, removed ones
 * dropped, the value rewritten in its own layout (x86/x64 descriptors). */
static int do_search_path(svc_state *st, const char *root, plan *out, feature_result *r)
{
	const feature_ctx *c = st->c;
	reg_value v = {0};
	mapi_value mv;
	rp_buf enc = RP_BUF_INIT, parts = RP_BUF_INIT;
	size_t i, n = 0, kept = 0, changed = 0, removed = 0;
	int rc;
	memset(&mv, 0, sizeof(mv));
	rc = reg_get_value(c->store, root, SEARCH_PATH, &v);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		return RP_OK;
	}
	if (rc < 0)
		return rc;
	if ((rc = mapi_value_decode(&mv, PR_AB_SEARCH_PATH, v.type, v.data, v.len)) < 0) {
		rc = rp_error_wrap(RP_EFORMAT, "%s: key '%s': value '%s'",
				   reg_store_name(c->store), root, SEARCH_PATH);
		goto out;
	}
	n = mv.count;
	for (i = 0; rc == RP_OK && i < mv.count;) {
		svc_fate fate = SVC_KEEP;
		rp_buf neu = RP_BUF_INIT;
		char *label = NULL;
		rc = judge(st, SEARCH_PATH, mv.mv[i].p, mv.mv[i].n, &fate, &neu, &label);
		if (rc == RP_OK && fate == SVC_CHANGE) {
			rc = mapi_value_mv_set(&mv, i, neu.data, neu.len);
			changed++;
			i++;
		} else if (rc == RP_OK && fate == SVC_REMOVE) {
			rc = mapi_value_mv_remove(&mv, i);
			removed++;
		} else {
			kept++;
			i++;
		}
		if (rc == RP_OK && label)
			rc =
			    rp_buf_printf(&parts, ", %s %s", label,
					  fate == SVC_CHANGE ? "pointed at the target"
							     : "removed (no equivalent)");
		free(label);
		rp_buf_free(&neu);
	}
	if (rc < 0)
		goto out;
	r->found += (unsigned)n;
	r->kept += (unsigned)kept;
	r->changed += (unsigned)changed;
	r->removed += (unsigned)removed;
	if (changed || removed) {
		if (!mv.count)
			rc = plan_delete_value(
			    out, root, SEARCH_PATH,
			    "Services: the search path named only the "
			    "source's address lists (Outlook rebuilds it)");
		else if ((rc = mapi_value_encode(&mv, &enc, NULL)) == RP_OK)
			rc = plan_set(out, root, SEARCH_PATH, v.type, enc.data, enc.len,
				      "Services: search path pointed at the target");
	}
	if (rc == RP_OK)
		rc = rp_buf_printf(&st->msg,
				   "%ssearch path: %zu address lists, %zu kept%.*s",
				   st->msg.len ? "; " : "", n, kept, (int)parts.len,
				   parts.len ? (const char *)parts.data : "");
out:
	rp_buf_free(&enc);
	rp_buf_free(&parts);
	mapi_value_free(&mv);
	reg_value_free(&v);
	return rc;
}

/* One single entry-ID setting (the first address list shown, the personal
 * address book): rewritten, deleted (Outlook's default) or kept. */
static int do_single(svc_state *st, const char *root, const char *name, const char *what,
		     plan *out, feature_result *r)
{
	const feature_ctx *c = st->c;
	reg_value v = {0};
	rp_buf neu = RP_BUF_INIT;
	svc_fate fate = SVC_KEEP;
	char *label = NULL, *why = NULL;
	int rc = reg_get_value(c->store, root, name, &v);
	if (rc == RP_ENOTFOUND) {
		rp_error_clear();
		return RP_OK;
	}
	if (rc < 0)
		return rc;
	r->found++;
	if ((rc = judge(st, name, v.data, v.len, &fate, &neu, &label)) < 0)
		goto out;
	if (fate == SVC_CHANGE) {
		r->changed++;
		why = rp_asprintf("Services: %s pointed at the target", what);
		rc = why ? plan_set(out, root, name, v.type, neu.data, neu.len, why)
			 : RP_ENOMEM;
	} else if (fate == SVC_REMOVE) {
		r->removed++;
		why = rp_asprintf("Services: %s reset to the default (no equivalent)",
				  what);
		rc = why ? plan_delete_value(out, root, name, why) : RP_ENOMEM;
	} else {
		r->kept++;
	}
	if (rc == RP_OK)
		rc = rp_buf_printf(&st->msg, "%s%s: %s%s", st->msg.len ? "; " : "", what,
				   label ? label : "kept",
				   fate == SVC_CHANGE ? " pointed at the target"
				   : fate == SVC_REMOVE
				       ? " reset to the default (no equivalent)"
				       : "");
out:
	free(why);
	free(label);
	rp_buf_free(&neu);
	reg_value_free(&v);
	return rc;
}

/* Skipped: "settings will be reset to default": the values go, Outlook
 * rebuilds them from the profile's address books. */
static int plan_skip(const feature_ctx *c, const char *root, plan *out, feature_result *r)
{
	const char *names[3] = {SEARCH_PATH, DEFAULT_DIR, DEFAULT_PAB};
	size_t i;
	int rc = RP_OK;
	for (i = 0; rc == RP_OK && i < 3; i++) {
		reg_value v = {0};
		rc = reg_get_value(c->store, root, names[i], &v);
		if (rc == RP_ENOTFOUND) {
			rp_error_clear();
			rc = RP_OK;
			continue;
		}
		if (rc == RP_OK) {
			r->found++;
			r->removed++;
			rc = plan_delete_value(
			    out, root, names[i],
			    "Services skipped: address-book setting reset "
			    "to the default");
		}
		reg_value_free(&v);
	}
	if (rc == RP_OK)
		rc = feature_result_msg(r,
					"%u address-book settings reset to the default "
					"(Outlook rebuilds them); " FOLDERS_NOTE,
					r->removed);
	return rc;
}

int feature_services_plan(const feature_ctx *c, plan *out, feature_result *r)
{
	const profile_exchange *x = &c->p->exchange[c->ex];
	svc_state st;
	char *root = rp_asprintf("%s\\%s", c->p->path, PROFILE_SEC_ROOT);
	int rc = root ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
	memset(&st, 0, sizeof(st));
	st.c = c;
	if (rc == RP_OK && c->mode == FEATURE_MODE_SKIP) {
		rc = plan_skip(c, root, out, r);
		free(root);
		return rc;
	}
	st.src_org = org_of(x->mailbox_dn);
	st.dst_org = org_of(c->target ? c->target->legacy_dn : NULL);
	if (rc == RP_OK)
		rc = do_search_path(&st, root, out, r);
	if (rc == RP_OK)
		rc =
		    do_single(&st, root, DEFAULT_DIR, "first address list shown", out, r);
	if (rc == RP_OK)
		rc = do_single(&st, root, DEFAULT_PAB, "personal addresses kept in", out,
			       r);
	if (rc == RP_OK) {
		r->warning = st.no_map_warned;
		if (!r->found)
			rc = feature_result_msg(
			    r, "no address-book settings in the profile; " FOLDERS_NOTE);
		else
			rc = feature_result_msg(
			    r, "%.*s%s; " FOLDERS_NOTE, (int)st.msg.len,
			    (const char *)st.msg.data,
			    st.no_map_warned
				? " (no recipient map ([Directory]) to match "
				  "the source's address lists)"
				: "");
	}
	rp_buf_free(&st.msg);
	free(st.src_org);
	free(st.dst_org);
	free(root);
	return rc;
}
