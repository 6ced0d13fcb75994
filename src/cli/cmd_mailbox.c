/* cmd_mailbox.c - `reprofile mailbox ADDRESS folders [--json]`,
 *                 `reprofile mailbox ADDRESS fai FOLDER [--json]`,
 *                 `reprofile mailbox ADDRESS props FOLDER [--json]`,
 *                 `reprofile mailbox ADDRESS resolve NAME... [--json]`
 *
 * A helpdesk and test view of a mailbox over MAPI/HTTP (docs/mailbox.md):
 * the folder hierarchy with path, folder ID, entry ID, special-folder role
 * and item / associated-item counts. The MailStore URL and the user's
 * legacyExchangeDN come from Autodiscover's mapiHttp block (--adx-url URL,
 * --net, or a folder of local Autodiscover files with --dir), or are given
 * with --mapi-url and --dn. Exit 0 = listed, 1 = failed, 2 = usage.
 * resolve (cmd_mailbox_ab.c) uses the AddressBook URL instead (--mapi-url
 * then names it, --dn is not needed); exit 1 also when a name is ambiguous
 * or unknown.
 * --ini FILE takes the run's settings, as update does (run_creds.h): the
 * accounts of --target (default: AdminTrg/PasswordTrg, else Admin/Password)
 * or --source (Admin/Password), AskCredentials, CAFile, AutodiscoverExclude,
 * and, without a where option, UseLocalAutodiscoverXMLs/LocalAutodiscoverXMLPath
 * or AutodiscoverTargetURL/AutodiscoverSourceURL (none: --net). */
#include "commands.h"

#include "base/rp_err.h"
#include "base/rp_json.h"
#include "base/rp_str.h"
#include "discover/adisc.h"
#include "mailbox/mbx_contents.h"
#include "mailbox/mbx_emsmdb.h"
#include "mailbox/mbx_folders.h"
#include "mapi/mapi_tag.h"
#include "mapi/mapi_value.h"
#include "platform/plat_secret.h"
#include "run/run_creds.h"
#include "run/run_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONNECT_TO 16
#define MAX_NAMES 64

static void usage(FILE *f)
{
	fprintf(
	    f, "usage: reprofile mailbox ADDRESS folders [--json] [where] [network "
	       "options]\n"
	       "       reprofile mailbox ADDRESS fai FOLDER [--json] [where] [network "
	       "options]\n"
	       "         (FOLDER: a path below the IPM subtree, \"Inbox/Projects\", or "
	       "a role, \"common_views\")\n"
	       "       reprofile mailbox ADDRESS props FOLDER|ENTRYID [--json] [where] "
	       "[network options]\n"
	       "       reprofile mailbox ADDRESS resolve NAME... [--json] [where] "
	       "[network options]\n"
	       "       reprofile switch-message create ADDRESS --target-smtp SMTP "
	       "--target-dn DN\n"
	       "         [--o365] [--recreate] [where] [network options]\n"
	       "       reprofile switch-message create --csv FILE --user-dn DN "
	       "[--mapi-url URL]\n"
	       "         [network options]   (bulk: one row per source mailbox, "
	       "docs/switch-message.md)\n"
	       "       reprofile switch-message show ADDRESS [where] [network "
	       "options]\n"
	       "         (ADDRESS: the SOURCE mailbox, opened with Full Access;\n"
	       "          --user-dn DN: the signed-in account's own legacyExchangeDN)\n"
	       "where the mailbox is (one of):\n"
	       "  --adx-url URL     Autodiscover at this URL (its mapiHttp MailStore URL "
	       "and\n"
	       "                    LegacyDN)\n"
	       "  --net             Autodiscover candidates for the address's domain\n"
	       "  --dir DIR         a folder of local Autodiscover XML files\n"
	       "  --mapi-url URL --dn DN   the MailStore URL and legacyExchangeDN "
	       "directly\n"
	       "  --ini FILE [--source|--target]   the run's settings (see below)\n"
	       "network options:\n"
	       "  --ca-file PEM            trust these CAs instead of the system store\n"
	       "  --connect-to H:P:H2:P2   connect to H2:P2 when H:P is asked "
	       "(repeatable)\n"
	       "  --user USER              authenticate (password from "
	       "REPROFILE_PASSWORD);\n"
	       "                           REPROFILE_BEARER set = an OAuth access token\n"
	       "  --timeout SECONDS        per request (default 60)\n"
	       "  --debug                  one log line per MAPI/HTTP request on "
	       "stderr\n"
	       "--ini FILE: the accounts (AdminTrg/PasswordTrg, or with --source\n"
	       "  Admin/Password; AskCredentials), CAFile and Autodiscover settings of\n"
	       "  reprofile.ini, as update uses them; instead of --user/--ca-file.\n");
}

struct log_ctx {
	bool debug;
};

static void log_stderr(void *ctx, const char *level, const char *msg)
{
	const struct log_ctx *l = ctx;
	if (strcmp(level, "TraceW") == 0 && !(l && l->debug))
		return;
	fprintf(stderr, "[%s] %s\n", level, msg);
}

/* The MailStore (or, with ab, AddressBook) URL and legacyExchangeDN from an
 * Autodiscover answer. */
static int from_autodiscover(adisc_resolver *rv, const char *address, bool ab, char **url,
			     char **dn)
{
	adisc_result *res = NULL;
	int rc = adisc_lookup(rv, address, &res);
	if (!rc) {
		const adisc_response *r = res->resp;
		const adisc_protocol *p = adisc_find_protocol(r, ADISC_PROTO_MAPIHTTP);
		/* Internal first: the URL Outlook uses inside the network, where
		 * reprofile runs from a logon script (docs/decisions.md). */
		const char *u =
		    !p   ? NULL
		    : ab ? (p->addressbook_internal_url ? p->addressbook_internal_url
							: p->addressbook_external_url)
			 : (p->mailstore_internal_url ? p->mailstore_internal_url
						      : p->mailstore_external_url);
		if (!u)
			rc = rp_error_set(RP_ENOTFOUND,
					  "%s: Autodiscover for '%s' has no mapiHttp "
					  "%s URL",
					  res->origin ? res->origin : "Autodiscover",
					  address, ab ? "AddressBook" : "MailStore");
		else if (!r->legacy_dn)
			rc = rp_error_set(
			    RP_ENOTFOUND, "%s: Autodiscover for '%s' has no LegacyDN",
			    res->origin ? res->origin : "Autodiscover", address);
		else if (!(*url = rp_strdup(u)) || !(*dn = rp_strdup(r->legacy_dn)))
			rc = rp_error_set(RP_ENOMEM, "out of memory");
	}
	adisc_result_free(res);
	return rc;
}

/* The run's settings (--ini): accounts and CA file into no, and, without a
 * where option, the Autodiscover source update would use. */
struct ini_run {
	cfg_settings st;
	run_log *log;
	run_creds *creds;
};

static int ini_setup(struct ini_run *ir, const char *ini, bool source, bool where,
		     adisc_net_opts *no, const char **dir, bool *net)
{
	run_log_opts lo = {NULL, NULL, false, true, true};
	run_creds_io io = {0, false};
	int bits = 0;
	if (cfg_settings_load(ini, &ir->st) < 0)
		return RP_EINVAL;
	run_log_open(&ir->log, &lo, &bits);
	io.may_prompt = plat_is_terminal(0) && !ir->st.silent;
	if (run_creds_new(&ir->st, ir->log, &io, &ir->creds) < 0)
		return RP_EAUTH;
	run_creds_net_opts(ir->creds, !source, no);
	rp_cli_adx_exclude(&ir->st, no);
	if (where)
		return RP_OK;
	if (ir->st.use_local_autodiscover_xmls) {
		*dir = ir->st.local_autodiscover_xml_path;
	} else {
		no->manual_url = source ? ir->st.autodiscover_source_url
					: ir->st.autodiscover_target_url;
		*net = true;
	}
	return RP_OK;
}

static void ini_free(struct ini_run *ir)
{
	run_creds_free(ir->creds);
	if (ir->log) {
		int bits = 0;
		run_log_close(ir->log, &bits);
	}
	cfg_settings_free(&ir->st);
}

static void fid_text(uint64_t fid, char *out, size_t cap)
{
	snprintf(out, cap, "%04X-%012llX", (unsigned)mbx_id_replica(fid),
		 (unsigned long long)mbx_id_counter(fid));
}

/* The path as the command shows it: below the IPM subtree relative to it
 * ("Inbox/Projects"); any other folder from the root ("/Common Views"). */
static int display_path(const mbx_folder *f, rp_buf *b)
{
	b->len = 0;
	int rc = f->ipm && f->path[0]
		     ? rp_buf_puts(b, f->path)
		     : rp_buf_printf(b, "/%s", f->ipm ? f->name : f->path);
	return rc ? rc : rp_buf_u8(b, 0);
}

static int print_folders(const mbx_mailbox *mb)
{
	char fid[32];
	rp_buf path = RP_BUF_INIT;
	int rc = RP_OK;
	for (size_t i = 0; i < mb->n && !rc; i++) {
		const mbx_folder *f = &mb->f[i];
		char *eid = rp_hex(f->eid, f->neid);
		const char *role = mbx_role_name(f->role);
		rc = display_path(f, &path);
		fid_text(f->fid, fid, sizeof(fid));
		if (!rc)
			printf("%s\t%s\t%s\t%u\t%u\t%s\n", (char *)path.data,
			       role ? role : "-", fid, f->count, f->assoc_count,
			       eid ? eid : "");
		free(eid);
	}
	rp_buf_free(&path);
	return rc;
}

static int json_folders(const char *address, const char *url, const mbx_mailbox *mb,
			rp_buf *out)
{
	rp_json j;
	char fid[32];
	rp_buf path = RP_BUF_INIT;
	int rc = RP_OK;
	rp_json_init(&j, out);
	rp_json_obj_begin(&j);
	rp_json_kstr(&j, "address", address);
	rp_json_kstr(&j, "mailstore_url", url);
	rp_json_khex(&j, "mailbox_guid", mb->mailbox_guid, 16);
	rp_json_kuint(&j, "execute_requests", mb->executes);
	rp_json_key(&j, "folders");
	rp_json_arr_begin(&j);
	for (size_t i = 0; i < mb->n && !rc; i++) {
		const mbx_folder *f = &mb->f[i];
		rc = display_path(f, &path);
		rp_json_obj_begin(&j);
		rp_json_kstr(&j, "path", rc ? NULL : (char *)path.data);
		rp_json_kstr(&j, "name", f->name);
		rp_json_kstr(&j, "role", mbx_role_name(f->role));
		fid_text(f->fid, fid, sizeof(fid));
		rp_json_kstr(&j, "folder_id", fid);
		fid_text(f->parent_fid, fid, sizeof(fid));
		rp_json_kstr(&j, "parent_folder_id", fid);
		rp_json_khex(&j, "entry_id", f->eid, f->neid);
		rp_json_key(&j, "long_term_id");
		if (f->has_ltid)
			rp_json_hex(&j, f->ltid, sizeof(f->ltid));
		else
			rp_json_null(&j);
		rp_json_kstr(&j, "container_class", f->container_class);
		rp_json_kuint(&j, "items", f->count);
		rp_json_kuint(&j, "associated_items", f->assoc_count);
		rp_json_obj_end(&j);
	}
	rp_json_arr_end(&j);
	rp_json_obj_end(&j);
	rp_buf_free(&path);
	return rc ? rc : rp_json_finish(&j);
}

/* Connect as dn and log on to its mailbox; *e is set (to free) even on
 * failure. */
int rp_mailbox_open(const mbx_http_opts *ho, const char *connect_dn, const char *dn,
		    struct mbx_emsmdb **e, struct mbx_mailbox *mb)
{
	mbx_connect_req rq = {connect_dn, 0, 0, 0};
	int rc = mbx_emsmdb_new(ho, e);
	if (!rc)
		rc = mbx_emsmdb_connect(*e, &rq);
	if (!rc)
		rc = mbx_mailbox_logon(mbx_emsmdb_send, *e, dn, mb);
	return rc;
}

static int open_store(const mbx_http_opts *ho, const char *dn, mbx_emsmdb **e,
		      mbx_mailbox *mb)
{
	return rp_mailbox_open(ho, dn, dn, e, mb);
}

/* Writes a finished JSON document, or the error of building it. */
static int emit(int rc, const rp_buf *out)
{
	if (!rc)
		fwrite(out->data, 1, out->len, stdout);
	return rc;
}

static int json_messages(const char *address, const char *folder, const mbx_message *m,
			 size_t n, const mbx_mailbox *mb, rp_buf *out)
{
	rp_json j;
	char mid[32];
	rp_json_init(&j, out);
	rp_json_obj_begin(&j);
	rp_json_kstr(&j, "address", address);
	rp_json_kstr(&j, "folder", folder);
	rp_json_kuint(&j, "execute_requests", mb->executes);
	rp_json_key(&j, "messages");
	rp_json_arr_begin(&j);
	for (size_t i = 0; i < n; i++) {
		rp_json_obj_begin(&j);
		rp_json_kstr(&j, "message_class", m[i].message_class);
		rp_json_kstr(&j, "subject", m[i].subject);
		fid_text(m[i].mid, mid, sizeof(mid));
		rp_json_kstr(&j, "message_id", mid);
		rp_json_khex(&j, "entry_id", m[i].entry_id, m[i].entry_id_len);
		rp_json_kuint(&j, "size", m[i].size);
		rp_json_kuint(&j, "last_modified_filetime", m[i].modified);
		rp_json_obj_end(&j);
	}
	rp_json_arr_end(&j);
	rp_json_obj_end(&j);
	return rp_json_finish(&j);
}

/* The folder ID of FOLDER: a role of the RopLogon answer without reading
 * the hierarchy, else a role or path found in it. */
static int find_folder(mbx_emsmdb *e, mbx_mailbox *mb, const char *address,
		       const char *folder, uint64_t *fid)
{
	int role = mbx_role_by_name(folder);
	const mbx_folder *hit;
	int rc;
	if (role >= 0 && role < MBX_FID_COUNT && mb->fids[role]) {
		*fid = mb->fids[role];
		return RP_OK;
	}
	if ((rc = mbx_folders_read(mbx_emsmdb_send, e, mb)))
		return rc;
	hit = role >= 0 ? mbx_folder_by_role(mb, role) : mbx_folder_by_path(mb, folder);
	/* A folder entry ID in hex, as `folders` lists it. */
	if (!hit && role < 0 && strlen(folder) >= 2 * 22 && !strchr(folder, '/')) {
		rp_buf eid = RP_BUF_INIT;
		if (rp_unhex(folder, &eid) == RP_OK)
			hit = mbx_folder_by_eid(mb, eid.data, eid.len);
		rp_buf_free(&eid);
		rp_error_clear();
	}
	if (!hit)
		return rp_error_set(RP_ENOTFOUND,
				    "no folder '%s' in the mailbox of '%s' (a path like "
				    "Inbox/Projects, a role like calendar, or a folder "
				    "entry ID in hex)",
				    folder, address);
	*fid = hit->fid;
	return RP_OK;
}

/* The session, the logon and FOLDER's ID: what fai and props start with.
 * mb is zeroed first, so the caller frees it (and e) on every path. */
static int open_folder(const mbx_http_opts *ho, const char *dn, const char *address,
		       const char *folder, mbx_emsmdb **e, mbx_mailbox *mb, uint64_t *fid)
{
	int rc;
	memset(mb, 0, sizeof(*mb));
	rc = open_store(ho, dn, e, mb);
	return rc ? rc : find_folder(*e, mb, address, folder, fid);
}

/* The associated messages of a folder. */
static int list_fai(const mbx_http_opts *ho, const char *address, const char *dn,
		    const char *folder, bool json)
{
	mbx_emsmdb *e = NULL;
	mbx_mailbox mb;
	mbx_message *m = NULL;
	size_t nm = 0;
	uint64_t fid = 0;
	rp_buf out = RP_BUF_INIT;
	int rc;
	rc = open_folder(ho, dn, address, folder, &e, &mb, &fid);
	if (!rc)
		rc = mbx_folder_messages(mbx_emsmdb_send, e, &mb, fid, true, &m, &nm);
	if (!rc && json) {
		rc = emit(json_messages(address, folder, m, nm, &mb, &out), &out);
	} else if (!rc) {
		char mid[32];
		for (size_t i = 0; i < nm; i++) {
			char *eid = rp_hex(m[i].entry_id, m[i].entry_id_len);
			fid_text(m[i].mid, mid, sizeof(mid));
			printf("%s\t%s\t%s\t%u\t%s\n",
			       m[i].message_class ? m[i].message_class : "-",
			       m[i].subject ? m[i].subject : "-", mid, m[i].size,
			       eid ? eid : "");
			free(eid);
		}
	}
	mbx_messages_free(m, nm);
	mbx_mailbox_free(&mb);
	rp_buf_free(&out);
	mbx_emsmdb_free(e); /* Disconnect */
	return rc;
}

/* Every property of a folder: "0xTAG name: value" lines, or JSON. */
static int list_props(const mbx_http_opts *ho, const char *address, const char *dn,
		      const char *folder, bool json)
{
	mbx_emsmdb *e = NULL;
	mbx_mailbox mb;
	mapi_value *v = NULL;
	size_t nv = 0;
	uint64_t fid = 0;
	rp_buf out = RP_BUF_INIT;
	int rc;
	rc = open_folder(ho, dn, address, folder, &e, &mb, &fid);
	if (!rc)
		rc = mbx_folder_props(mbx_emsmdb_send, e, &mb, fid, &v, &nv);
	if (!rc && json) {
		rp_json j;
		rp_json_init(&j, &out);
		rp_json_obj_begin(&j);
		rp_json_kstr(&j, "address", address);
		rp_json_kstr(&j, "folder", folder);
		rp_json_kuint(&j, "execute_requests", mb.executes);
		rp_json_key(&j, "properties");
		rp_json_arr_begin(&j);
		for (size_t i = 0; i < nv; i++)
			mapi_value_render_json(&v[i], &j);
		rp_json_arr_end(&j);
		rp_json_obj_end(&j);
		rc = emit(rp_json_finish(&j), &out);
	} else if (!rc) {
		for (size_t i = 0; i < nv && !rc; i++) {
			const char *name = mapi_tag_name(v[i].tag);
			out.len = 0;
			rc = mapi_value_render(&v[i], &out);
			if (!rc)
				printf("0x%08X %s: %.*s\n", v[i].tag, name ? name : "-",
				       (int)out.len, (const char *)out.data);
		}
	}
	mbx_props_free(v, nv);
	mbx_mailbox_free(&mb);
	rp_buf_free(&out);
	mbx_emsmdb_free(e); /* Disconnect */
	return rc;
}

static int list_folders(const mbx_http_opts *ho, const char *address, const char *dn,
			bool json)
{
	mbx_emsmdb *e = NULL;
	mbx_mailbox mb;
	rp_buf out = RP_BUF_INIT;
	int rc;
	memset(&mb, 0, sizeof(mb));
	rc = open_store(ho, dn, &e, &mb);
	if (!rc)
		rc = mbx_folders_read(mbx_emsmdb_send, e, &mb);
	if (!rc && json)
		rc = emit(json_folders(address, ho->url, &mb, &out), &out);
	else if (!rc)
		rc = print_folders(&mb);
	mbx_mailbox_free(&mb);
	rp_buf_free(&out);
	mbx_emsmdb_free(e); /* Disconnect */
	return rc;
}

/* swm: `reprofile switch-message create|show` (cmd_switchmsg.c), whose
 * verb was taken off argv. */
static int mailbox_main(int argc, char **argv, rp_swm_args *swm)
{
	const char *address = NULL, *what = NULL, *adx_url = NULL, *dir = NULL;
	const char *mapi_url = NULL, *dn = NULL, *folder = NULL, *ini = NULL;
	const char *connect_to[MAX_CONNECT_TO + 1] = {NULL};
	adisc_net_opts no = {0};
	mbx_http_opts ho = {0};
	struct log_ctx lc = {false};
	bool json = false, net = false, source = false, target = false;
	struct ini_run ir;
	char *url = NULL, *udn = NULL;
	char *names[MAX_NAMES];
	int n_ct = 0, rc = RP_OK;
	size_t n_names = 0;
	bool all_resolved = true;
	const char *cmd = swm ? "reprofile switch-message" : "reprofile mailbox";

	if (swm)
		what = "switch-message";

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;
		if (strcmp(a, "--json") == 0)
			json = true;
		else if (strcmp(a, "--adx-url") == 0 && has)
			adx_url = argv[++i];
		else if (strcmp(a, "--net") == 0)
			net = true;
		else if (strcmp(a, "--dir") == 0 && has)
			dir = argv[++i];
		else if (strcmp(a, "--mapi-url") == 0 && has)
			mapi_url = argv[++i];
		else if (strcmp(a, "--dn") == 0 && has)
			dn = argv[++i];
		else if (strcmp(a, "--ca-file") == 0 && has)
			no.ca_file = argv[++i];
		else if (strcmp(a, "--connect-to") == 0 && has && n_ct < MAX_CONNECT_TO)
			connect_to[n_ct++] = argv[++i];
		else if (strcmp(a, "--user") == 0 && has)
			no.user = argv[++i];
		else if (strcmp(a, "--timeout") == 0 && has && atol(argv[i + 1]) > 0)
			no.timeout_s = atol(argv[++i]);
		else if (strcmp(a, "--ini") == 0 && has)
			ini = argv[++i];
		else if (strcmp(a, "--source") == 0)
			source = true;
		else if (strcmp(a, "--target") == 0)
			target = true;
		else if (strcmp(a, "--debug") == 0)
			lc.debug = true;
		else if (swm && swm->create && strcmp(a, "--target-smtp") == 0 && has)
			swm->target_smtp = argv[++i];
		else if (swm && swm->create && strcmp(a, "--target-dn") == 0 && has)
			swm->target_dn = argv[++i];
		else if (swm && strcmp(a, "--user-dn") == 0 && has)
			swm->user_dn = argv[++i];
		else if (swm && swm->create && strcmp(a, "--o365") == 0)
			swm->o365 = true;
		else if (swm && swm->create && strcmp(a, "--recreate") == 0)
			swm->recreate = true;
		else if (swm && swm->create && strcmp(a, "--csv") == 0 && has)
			swm->csv = argv[++i];
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (a[0] != '-' && !address)
			address = a;
		else if (a[0] != '-' && !what)
			what = a;
		else if (a[0] != '-' &&
			 (strcmp(what, "fai") == 0 || strcmp(what, "props") == 0) &&
			 !folder)
			folder = a;
		else if (a[0] != '-' && strcmp(what, "resolve") == 0 &&
			 n_names < MAX_NAMES)
			names[n_names++] = argv[i];
		else {
			fprintf(stderr, "%s: unexpected argument '%s'\n", cmd, a);
			usage(stderr);
			return 2;
		}
	}
	int wheres = !!adx_url + net + !!dir + !!mapi_url;
	/* The bulk form: no ADDRESS, the admin's own DN, the server's URL
	 * (or one per row), nothing of one mailbox's. */
	if (swm && swm->csv) {
		if (address || !swm->user_dn || swm->target_smtp || swm->target_dn ||
		    swm->o365 || swm->recreate || dn || adx_url || net || dir || source ||
		    target || (ini && (no.user || no.ca_file))) {
			usage(stderr);
			return 2;
		}
		address = "";
		what = "switch-message";
	}
	bool resolve = what && strcmp(what, "resolve") == 0;
	bool fai = what && strcmp(what, "fai") == 0;
	bool props = what && strcmp(what, "props") == 0;
	if (!address || !what ||
	    (strcmp(what, "folders") != 0 && !resolve && !fai && !props && !swm) ||
	    (swm && swm->create && !swm->csv && (!swm->target_smtp || !swm->target_dn)) ||
	    (resolve && !n_names) || ((fai || props) && !folder) || (source && target) ||
	    ((source || target) && !ini) || (ini && (no.user || no.ca_file)) ||
	    (swm && swm->csv
		 ? false
		 : (mapi_url ? ((!dn && !resolve) || wheres != 1)
			     : (dn || (wheres == 0 && !ini) || (adx_url && net))))) {
		usage(stderr);
		return 2;
	}
	memset(&ir, 0, sizeof(ir));
	if (ini) {
		if (ini_setup(&ir, ini, source, wheres > 0 || (swm && swm->csv), &no,
			      &dir, &net) < 0) {
			fprintf(stderr, "reprofile mailbox: %s\n", rp_error_msg());
			ini_free(&ir);
			return 1;
		}
	} else {
		no.password = getenv("REPROFILE_PASSWORD");
	}
	no.bearer = getenv("REPROFILE_BEARER");
	if (no.bearer && !*no.bearer)
		no.bearer = NULL;
	no.connect_to = connect_to;
	no.log = log_stderr;
	no.log_ctx = &lc;
	if (!mapi_url && !(swm && swm->csv)) {
		adisc_resolver *rv = NULL;
		if (adx_url || net) {
			if (adx_url)
				no.manual_url = adx_url;
			/* The target as update asks it: Microsoft 365 accounts sign in
			 * with OAuth for Autodiscover (run_creds.h). */
			no.side = ini ? (source ? "source" : "target") : NULL;
			rv = ini && !source
				 ? run_creds_target_resolver(ir.creds, NULL, &no)
				 : adisc_net_resolver_new(&no);
			if (rv && dir)
				rv = adisc_chain_resolver_new(
				    adisc_local_resolver_new(dir), rv);
		} else {
			rv = adisc_local_resolver_new(dir);
		}
		rc = rv ? from_autodiscover(rv, address, resolve, &url, &udn) : RP_ENOMEM;
		adisc_resolver_free(rv);
		mapi_url = url;
		dn = udn;
	}
	if (!rc) {
		ho.url = mapi_url;
		ho.ca_file = no.ca_file;
		ho.user = no.user;
		ho.password = no.password;
		ho.bearer = no.bearer;
		ho.connect_to = connect_to;
		ho.timeout_s = no.timeout_s;
		ho.log = log_stderr;
		ho.log_ctx = &lc;
		rc = swm && swm->csv ? rp_switch_message_csv(&ho, swm)
		     : swm           ? rp_switch_message(&ho, address, dn, swm)
		     : resolve ? rp_mailbox_resolve(&ho, address, names, n_names, json,
						    &all_resolved)
		     : fai     ? list_fai(&ho, address, dn, folder, json)
		     : props   ? list_props(&ho, address, dn, folder, json)
			       : list_folders(&ho, address, dn, json);
	}
	if (rc)
		fprintf(stderr, "%s: %s\n", cmd, rp_error_msg());
	free(url);
	free(udn);
	ini_free(&ir);
	return rc || !all_resolved ? 1 : 0;
}

int rp_cmd_mailbox(int argc, char **argv)
{
	return mailbox_main(argc, argv, NULL);
}

int rp_cmd_switch_message(int argc, char **argv)
{
	rp_swm_args a = {false, false, false, NULL, NULL, NULL, NULL};
	if (argc < 2 ||
	    (strcmp(argv[1], "create") != 0 && strcmp(argv[1], "show") != 0)) {
		usage(stderr);
		return 2;
	}
	a.create = strcmp(argv[1], "create") == 0;
	return mailbox_main(argc - 1, argv + 1, &a);
}
