/* cmd_discover.c - `reprofile discover ADDRESS (--xml FILE | --dir DIR |
 * --url URL | --net | --ini FILE) [--json]`
 *
 * Shows what Autodiscover says about an address: from one response file
 * (--xml, no redirect can be followed), from a LocalAutodiscoverXMLPath folder
 * (--dir), over the network (--url: one manual URL; --net: the candidate
 * URLs), or exactly as update resolves it (--ini: rp_cli_resolvers_make). A
 * moved mailbox (redirectAddr to another domain) goes on with the new
 * address's own candidates, as update does. Exit 0 = settings (or, for
 * --xml, a response without Error; with --no-follow, a move), 1 = lookup
 * failed, 2 = usage. */
#include "commands.h"
#include "base/rp_err.h"
#include "base/rp_json.h"
#include "base/rp_str.h"
#include "config/cfg_settings.h"
#include "directory/dir.h"
#include "discover/adisc.h"
#include "platform/plat.h"
#include "platform/plat_secret.h"
#include "run/run_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: reprofile discover ADDRESS... ([--dir DIR] [--url URL | --net] | "
		"--ini FILE | --xml FILE)\n"
		"                          [--json] [network options]\n"
		"  --xml FILE   parse one POX Autodiscover response file\n"
		"  --dir DIR    look ADDRESS up in a folder of local Autodiscover XML "
		"files\n"
		"               (<address>.xml, else <domain>.xml; redirectAddr "
		"followed)\n"
		"  --url URL    POST to this Autodiscover URL only "
		"(AutodiscoverSourceURL/TargetURL)\n"
		"  --net        try the candidate URLs for the address's domain\n"
		"               (--dir with --url/--net: local files first, then "
		"network)\n"
		"  --ini FILE   resolve exactly as `update` with this reprofile.ini: its "
		"CAFile,\n"
		"               accounts (Admin/Password, AdminTrg/PasswordTrg), URLs,\n"
		"               AutodiscoverExclude, [Directory] SCPs, local XML files; "
		"prints\n"
		"               which settings and accounts it used\n"
		"  --json       print JSON instead of text\n"
		"A redirectAddr to another domain (a moved mailbox) is reported and the "
		"new\n"
		"address is looked up with its own candidates (--target-url URL: that "
		"URL),\n"
		"as update does; --no-follow stops there (moved_to: ADDRESS).\n"
		"network options:\n"
		"  --ca-file PEM            trust these CAs instead of the system store\n"
		"  --connect-to H:P:H2:P2   connect to H2:P2 when H:P is asked "
		"(repeatable)\n"
		"  --user USER              authenticate (password from "
		"REPROFILE_PASSWORD; not with --ini)\n"
		"  --side source|target     log the guide's final [Error] line for this "
		"side;\n"
		"                           with --ini, target = ask the target side "
		"only\n"
		"  --timeout SECONDS        per request (default 30)\n"
		"  --no-srv, --no-http-redirect, --no-root, --no-autodiscover\n"
		"                           leave out these candidates\n");
}

/* Network log lines go to stderr in the guide's "[Level] message" form. */
static void log_stderr(void *ctx, const char *level, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "[%s] %s\n", level, msg);
}

/* Field name + value pairs of a protocol block, in output order. */
struct kv {
	const char *key;
	const char *val;
};

static size_t protocol_fields(const adisc_protocol *p, struct kv *out)
{
	size_t n = 0;
#define F(k, v) out[n].key = k, out[n++].val = p->v
	F("type", type);
	F("version", version);
	F("server", server);
	F("server_dn", server_dn);
	F("server_version", server_version);
	F("mdb_dn", mdb_dn);
	F("public_folder_server", public_folder_server);
	F("ad", ad);
	F("as_url", as_url);
	F("ews_url", ews_url);
	F("oof_url", oof_url);
	F("oab_url", oab_url);
	F("um_url", um_url);
	F("ecp_url", ecp_url);
	F("auth_package", auth_package);
	F("ssl", ssl);
	F("cert_principal_name", cert_principal_name);
	F("port", port);
	F("mailstore_internal_url", mailstore_internal_url);
	F("mailstore_external_url", mailstore_external_url);
	F("addressbook_internal_url", addressbook_internal_url);
	F("addressbook_external_url", addressbook_external_url);
	F("owa_internal_url", owa_internal_url);
	F("owa_external_url", owa_external_url);
#undef F
	return n;
}

static size_t alt_fields(const adisc_alt_mailbox *a, struct kv *out)
{
	size_t n = 0;
#define F(k, v) out[n].key = k, out[n++].val = a->v
	F("type", type);
	F("display_name", display_name);
	F("legacy_dn", legacy_dn);
	F("server", server);
	F("smtp_address", smtp_address);
	F("owner_smtp_address", owner_smtp_address);
#undef F
	return n;
}

static size_t user_fields(const adisc_response *r, struct kv *out)
{
	size_t n = 0;
#define F(k, v) out[n].key = k, out[n++].val = r->v
	F("display_name", display_name);
	F("legacy_dn", legacy_dn);
	F("autodiscover_smtp_address", autodiscover_smtp);
	F("deployment_id", deployment_id);
	F("account_type", account_type);
	F("action", action_text);
	F("redirect_addr", redirect_addr);
	F("redirect_url", redirect_url);
	F("mailbox_guid", mailbox_guid);
	F("home_server", home_server);
#undef F
	return n;
}

static void print_text(const char *address, const char *origin, const adisc_result *res,
		       const adisc_response *r, const char *moved_to, const char *failure)
{
	struct kv kv[32];
	size_t i, k, n;

	printf("address: %s\n", address);
	for (i = 0; res && i < res->n_hops; i++)
		printf("redirect: %s\n", res->hops[i]);
	if (moved_to)
		printf("moved_to: %s\n", moved_to);
	else if (res && res->n_hops)
		printf("final_address: %s\n", res->address);
	if (origin)
		printf("source: %s\n", origin);
	if (r) {
		n = user_fields(r, kv);
		for (i = 0; i < n; i++)
			if (kv[i].val)
				printf("%s: %s\n", kv[i].key, kv[i].val);
		if (r->microsoft_online >= 0)
			printf("microsoft_online: %s\n",
			       r->microsoft_online ? "true" : "false");
		for (k = 0; k < r->n_protocols; k++) {
			const adisc_protocol *p = &r->protocols[k];
			printf("protocol %s:\n", p->type ? p->type : "(no type)");
			n = protocol_fields(p, kv);
			for (i = 1; i < n; i++)
				if (kv[i].val)
					printf("  %s: %s\n", kv[i].key, kv[i].val);
		}
		for (k = 0; k < r->n_alt_mailboxes; k++) {
			const adisc_alt_mailbox *a = &r->alt_mailboxes[k];
			printf("alternative_mailbox %s:\n",
			       a->type ? a->type : "(no type)");
			n = alt_fields(a, kv);
			for (i = 1; i < n; i++)
				if (kv[i].val)
					printf("  %s: %s\n", kv[i].key, kv[i].val);
		}
		if (r->error.code_text) {
			printf("error_code: %d\n", r->error.code);
			if (r->error.message)
				printf("error_message: %s\n", r->error.message);
			if (r->error.time)
				printf("error_time: %s\n", r->error.time);
			if (r->error.id)
				printf("error_id: %s\n", r->error.id);
			if (r->error.debug_data && *r->error.debug_data)
				printf("error_debug_data: %s\n", r->error.debug_data);
		}
	}
	if (failure)
		printf("failure: %s\n", failure);
}

static void json_kvs(rp_json *j, const struct kv *kv, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		rp_json_kstr(j, kv[i].key, kv[i].val);
}

/* Stable JSON: every key is always written (null when absent). */
static void json_one(rp_json *j, const char *address, const char *origin,
		     const adisc_result *res, const adisc_response *r,
		     const char *moved_to, const char *failure)
{
	struct kv kv[32];
	size_t i;

	rp_json_obj_begin(j);
	rp_json_kstr(j, "address", address);
	rp_json_key(j, "redirects");
	rp_json_arr_begin(j);
	for (i = 0; res && i < res->n_hops; i++)
		rp_json_str(j, res->hops[i]);
	rp_json_arr_end(j);
	rp_json_kstr(j, "final_address", res ? res->address : (r ? address : NULL));
	rp_json_kstr(j, "moved_to", moved_to);
	rp_json_kstr(j, "source", origin);
	rp_json_kbool(j, "ok", failure == NULL);
	rp_json_kstr(j, "failure", failure);
	rp_json_key(j, "response");
	if (!r) {
		rp_json_null(j);
	} else {
		rp_json_obj_begin(j);
		json_kvs(j, kv, user_fields(r, kv));
		rp_json_key(j, "microsoft_online");
		if (r->microsoft_online < 0)
			rp_json_null(j);
		else
			rp_json_bool(j, r->microsoft_online == 1);
		rp_json_key(j, "protocols");
		rp_json_arr_begin(j);
		for (i = 0; i < r->n_protocols; i++) {
			rp_json_obj_begin(j);
			rp_json_kstr(j, "kind", adisc_proto_name(r->protocols[i].kind));
			json_kvs(j, kv, protocol_fields(&r->protocols[i], kv));
			rp_json_obj_end(j);
		}
		rp_json_arr_end(j);
		rp_json_key(j, "alternative_mailboxes");
		rp_json_arr_begin(j);
		for (i = 0; i < r->n_alt_mailboxes; i++) {
			rp_json_obj_begin(j);
			json_kvs(j, kv, alt_fields(&r->alt_mailboxes[i], kv));
			rp_json_obj_end(j);
		}
		rp_json_arr_end(j);
		rp_json_key(j, "error");
		if (!r->error.code_text) {
			rp_json_null(j);
		} else {
			rp_json_obj_begin(j);
			rp_json_kint(j, "code", r->error.code);
			rp_json_kstr(j, "message", r->error.message);
			rp_json_kstr(j, "time", r->error.time);
			rp_json_kstr(j, "id", r->error.id);
			rp_json_kstr(j, "debug_data", r->error.debug_data);
			rp_json_obj_end(j);
		}
		rp_json_obj_end(j);
	}
	rp_json_obj_end(j);
}

#define MAX_CONNECT_TO 16
#define MAX_ADDRESSES 64

/* How addresses are looked up: first (the source side, or the only
 * resolver); a redirectAddr to another domain (a moved mailbox) goes on with
 * then for the new address, as update does (run_switch_from_redirect), or
 * stops there with no_follow. NULL = --xml mode. */
struct disc {
	adisc_resolver *first, *then;
	run_creds *creds; /* --ini: Microsoft 365 targets found by the redirect */
	run_log *log;     /* --ini: the run's log on stderr; else NULL */
	bool no_follow;
};

static void say(const struct disc *d, const char *level, const char *msg)
{
	if (d->log)
		run_log_line(d->log, level, "%s", msg);
	else
		log_stderr(NULL, level, msg);
}

/* to->hops = from->hops followed by to's own. */
static int prepend_hops(adisc_result *to, const adisc_result *from)
{
	char **h = calloc(from->n_hops + to->n_hops + 1, sizeof(*h));
	size_t i;
	if (!h)
		return rp_error_set(RP_ENOMEM, "out of memory");
	for (i = 0; i < from->n_hops; i++)
		if (!(h[i] = rp_strdup(from->hops[i]))) {
			while (i--)
				free(h[i]);
			free(h);
			return rp_error_set(RP_ENOMEM, "out of memory");
		}
	for (i = 0; i < to->n_hops; i++)
		h[from->n_hops + i] = to->hops[i];
	free(to->hops);
	to->hops = h;
	to->n_hops += from->n_hops;
	return RP_OK;
}

/* A network lookup through d; *moved_to is set (malloc'd) when d->no_follow
 * stopped at a move. */
static int lookup(const struct disc *d, const char *address, adisc_result **res,
		  char **moved_to)
{
	cfg_switch_entry e;
	adisc_result *next = NULL;
	char *msg;
	int rc = adisc_lookup(d->first, address, res);
	if (!d->then || !*res || !(*res)->resp ||
	    (*res)->resp->action != ADISC_ACTION_REDIRECT_ADDR ||
	    run_switch_from_redirect(address, *res, &e) != RP_OK)
		return rc;
	if (d->no_follow)
		msg = rp_asprintf("'%s' moved to '%s' (%s); not followed (--no-follow)",
				  address, e.target_smtp,
				  (*res)->origin ? (*res)->origin : "?");
	else
		msg = rp_asprintf(
		    "'%s' moved to '%s' (%s); looking '%s' up with its own candidates",
		    address, e.target_smtp, (*res)->origin ? (*res)->origin : "?",
		    e.target_smtp);
	say(d, "Info", msg ? msg : "moved");
	free(msg);
	if (d->no_follow) {
		*moved_to = rp_strdup(e.target_smtp);
		run_switch_entry_clear(&e);
		return *moved_to ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
	}
	/* Its kind reaches the target's sign-in choice, as in update. */
	rc = e.kind == CFG_TARGET_O365 ? run_creds_mark_o365(d->creds, e.target_smtp)
				       : RP_OK;
	if (rc == RP_OK)
		rc = adisc_lookup(d->then, e.target_smtp, &next);
	if (next && prepend_hops(next, *res) == RP_OK) {
		adisc_result_free(*res);
		*res = next;
	} else {
		adisc_result_free(next);
	}
	run_switch_entry_clear(&e);
	return rc;
}

/* Looks one address up (d NULL = --xml mode) and prints it. Returns rc. */
static int discover_one(const struct disc *d, const char *xml, const char *address,
			bool json, rp_json *j)
{
	adisc_result *res = NULL;
	adisc_response *r = NULL;
	const char *origin = NULL;
	char failure[1024], *moved_to = NULL;
	int rc;

	if (!d) {
		rc = adisc_parse_file(xml, &r);
		origin = xml;
		if (!rc && r->error.code_text)
			rc = rp_error_set(RP_ENET,
					  "%s: Autodiscover error %d for '%s': %s", xml,
					  r->error.code, address,
					  r->error.message ? r->error.message : "");
	} else {
		rc = lookup(d, address, &res, &moved_to);
		if (res) {
			r = res->resp;
			origin = res->origin;
		}
	}
	snprintf(failure, sizeof(failure), "%s", rc ? rp_error_msg() : "");
	if (json)
		json_one(j, address, origin, res, r, moved_to, rc ? failure : NULL);
	else
		print_text(address, origin, res, r, moved_to, rc ? failure : NULL);
	if (rc)
		fprintf(stderr, "reprofile discover: %s\n", failure);
	if (res)
		adisc_result_free(res);
	else
		adisc_response_free(r);
	free(moved_to);
	return rc;
}

int rp_cmd_discover(int argc, char **argv)
{
	const char *addresses[MAX_ADDRESSES], *xml = NULL, *dir = NULL, *url = NULL;
	const char *connect_to[MAX_CONNECT_TO + 1] = {NULL};
	adisc_net_opts no = {0};
	const char *ini = NULL, *target_url = NULL;
	cfg_settings st;
	cfg_switchlist *sl = NULL;
	rp_cli_resolvers rs = {0};
	struct disc d = {0};
	bool json = false, net = false, failed = false, ok = true;
	rp_buf out = RP_BUF_INIT;
	rp_json j;
	int i, modes, n_ct = 0, n_addr = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;
		if (strcmp(a, "--xml") == 0 && has)
			xml = argv[++i];
		else if (strcmp(a, "--dir") == 0 && has)
			dir = argv[++i];
		else if (strcmp(a, "--url") == 0 && has)
			url = argv[++i];
		else if (strcmp(a, "--target-url") == 0 && has)
			target_url = argv[++i];
		else if (strcmp(a, "--no-follow") == 0)
			d.no_follow = true;
		else if (strcmp(a, "--net") == 0)
			net = true;
		else if (strcmp(a, "--json") == 0)
			json = true;
		else if (strcmp(a, "--ca-file") == 0 && has)
			no.ca_file = argv[++i];
		else if (strcmp(a, "--connect-to") == 0 && has && n_ct < MAX_CONNECT_TO)
			connect_to[n_ct++] = argv[++i];
		else if (strcmp(a, "--user") == 0 && has)
			no.user = argv[++i];
		else if (strcmp(a, "--side") == 0 && has &&
			 (strcmp(argv[i + 1], "source") == 0 ||
			  strcmp(argv[i + 1], "target") == 0))
			no.side = argv[++i];
		else if (strcmp(a, "--timeout") == 0 && has && atol(argv[i + 1]) > 0)
			no.timeout_s = atol(argv[++i]);
		else if (strcmp(a, "--no-srv") == 0)
			no.skip_srv = true;
		else if (strcmp(a, "--no-http-redirect") == 0)
			no.skip_http_redirect = true;
		else if (strcmp(a, "--no-root") == 0)
			no.skip_root = true;
		else if (strcmp(a, "--no-autodiscover") == 0)
			no.skip_autodiscover = true;
		else if (strcmp(a, "--ini") == 0 && has)
			ini = argv[++i];
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (a[0] != '-' && n_addr < MAX_ADDRESSES)
			addresses[n_addr++] = a;
		else {
			fprintf(stderr, "reprofile discover: unexpected argument '%s'\n",
				a);
			usage(stderr);
			return 2;
		}
	}
	/* --xml alone; --ini (the INI's settings, as update: no --url, --dir or
	 * --user); otherwise --dir and/or one network form. With both, the
	 * local folder is asked first (UseLocalAutodiscoverXMLs=1), the network
	 * only for addresses without a local file. */
	modes = !!url + net;
	if (!n_addr || modes > 1 || (xml && (dir || modes || ini || n_addr != 1)) ||
	    (ini && (url || dir || no.user || target_url)) ||
	    (!xml && !ini && !dir && !modes)) {
		usage(stderr);
		return 2;
	}
	memset(&st, 0, sizeof(st));
	no.connect_to = connect_to;
	if (ini) {
		/* The same settings, accounts and candidates as update
		 * (rp_cli_resolvers_make); the log goes to stderr. */
		run_log_opts lo = {NULL, ".", false, true, true};
		run_creds_io io;
		int bits = 0;
		if (cfg_settings_load(ini, &st) < 0) {
			fprintf(stderr, "reprofile discover: %s\n", rp_error_msg());
			return 1;
		}
		io.in_fd = 0;
		io.may_prompt = plat_is_terminal(0) && !st.silent;
		run_log_open(&d.log, &lo, &bits);
		if (st.switch_list && cfg_switchlist_load(st.switch_list, &sl) < 0)
			ok = false;
		if (ok && rp_cli_resolvers_make(&st, sl, d.log, &no, &io, &rs) < 0)
			ok = false;
		if (!ok)
			run_log_line(d.log, "Error", "%s", rp_error_msg());
		d.creds = rs.creds;
		/* --side target: the address is a target; otherwise the source
		 * side first when it is configured, as update does. */
		d.first = rs.source && !(no.side && strcmp(no.side, "target") == 0)
			      ? rs.source
			      : rs.target;
		d.then = d.first == rs.source ? rs.target : NULL;
		if (ok && !json) {
			adisc_net_opts a = {0};
			printf("settings: %s\n", ini);
			printf("ca_file: %s\n", no.ca_file   ? no.ca_file
						: st.ca_file ? st.ca_file
							     : "(system store)");
			if (st.use_local_autodiscover_xmls)
				printf("local_xml_folder: %s\n",
				       st.local_autodiscover_xml_path);
			if (rs.source) {
				run_creds_net_opts(rs.creds, false, &a);
				printf("source_account: %s\n",
				       a.user ? a.user : "(current user)");
			}
			if (rs.creds) {
				run_creds_net_opts(rs.creds, true, &a);
				printf("target_account: %s\n",
				       a.user ? a.user : "(current user)");
			}
			putchar('\n');
		}
	} else if (modes) {
		/* The source URL's answer for a moved mailbox names the new
		 * address; its own candidates (or --target-url) answer for it. */
		adisc_net_opts t;
		no.manual_url = url;
		no.password = getenv("REPROFILE_PASSWORD");
		no.log = log_stderr;
		no.stop_at_foreign_redirect = true;
		if (!(no.share = rs.share = adisc_net_share_new()))
			ok = false;
		t = no;
		t.manual_url = target_url;
		t.stop_at_foreign_redirect = false;
		d.first = ok ? adisc_net_resolver_new(&no) : NULL;
		if (d.first && dir)
			d.first = adisc_chain_resolver_new(adisc_local_resolver_new(dir),
							   d.first);
		if (d.first && !(d.then = adisc_net_resolver_new(&t)))
			ok = false;
		rs.source = d.first; /* freed with rs */
		rs.target = d.then;
	} else if (dir) {
		d.first = rs.target = adisc_local_resolver_new(dir);
	}
	if (!xml && (!ok || !d.first)) {
		if (!d.log)
			fprintf(stderr, "reprofile discover: %s\n", rp_error_msg());
		rp_cli_resolvers_free(&rs);
		cfg_switchlist_free(sl);
		run_log_close(d.log, &i);
		cfg_settings_free(&st);
		return 1;
	}
	/* One address: one JSON object; several (one resolver, so its per-run
	 * caches apply): an array. Text blocks are separated by a blank line. */
	rp_json_init(&j, &out);
	if (json && n_addr > 1)
		rp_json_arr_begin(&j);
	for (i = 0; i < n_addr; i++) {
		if (!json && i)
			putchar('\n');
		if (discover_one(xml ? NULL : &d, xml, addresses[i], json, &j))
			failed = true;
	}
	if (json && n_addr > 1)
		rp_json_arr_end(&j);
	rp_cli_resolvers_free(&rs);
	cfg_switchlist_free(sl);
	run_log_close(d.log, &i);
	cfg_settings_free(&st);
	if (json) {
		if (rp_json_finish(&j)) {
			fprintf(stderr, "reprofile discover: %s\n", rp_error_msg());
			failed = true;
		} else {
			fwrite(out.data, 1, out.len, stdout);
		}
	}
	rp_buf_free(&out);
	return failed ? 1 : 0;
}
