/* cmd_discover.c - `reprofile discover ADDRESS (--xml FILE | --dir DIR |
 * --url URL | --net) [--json]`
 *
 * Shows what Autodiscover says about an address: from one response file
 * (--xml, no redirect can be followed), from a LocalAutodiscoverXMLPath folder
 * (--dir), or over the network (--url: one manual URL; --net: the candidate
 * URLs; --ini adds an INI's AutodiscoverExclude and [Directory] SCPs). Exit
 * 0 = settings (or, for --xml, a response without Error),
 * 1 = lookup failed, 2 = usage. */
#include "commands.h"
#include "base/rp_err.h"
#include "base/rp_json.h"
#include "config/cfg_settings.h"
#include "directory/dir.h"
#include "discover/adisc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: reprofile discover ADDRESS... ([--dir DIR] [--url URL | --net] | "
	    "--xml "
	    "FILE)\n"
	    "                          [--json] [network options]\n"
	    "  --xml FILE   parse one POX Autodiscover response file\n"
	    "  --dir DIR    look ADDRESS up in a folder of local Autodiscover XML files\n"
	    "               (<address>.xml, else <domain>.xml; redirectAddr followed)\n"
	    "  --url URL    POST to this Autodiscover URL only "
	    "(AutodiscoverSourceURL/TargetURL)\n"
	    "  --net        try the candidate URLs for the address's domain\n"
	    "               (--dir with --url/--net: local files first, then network)\n"
	    "  --json       print JSON instead of text\n"
	    "network options:\n"
	    "  --ca-file PEM            trust these CAs instead of the system store\n"
	    "  --connect-to H:P:H2:P2   connect to H2:P2 when H:P is asked (repeatable)\n"
	    "  --user USER              authenticate (password from REPROFILE_PASSWORD)\n"
	    "  --side source|target     log the guide's final [Error] line for this "
	    "side\n"
	    "  --timeout SECONDS        per request (default 30)\n"
	    "  --no-srv, --no-http-redirect, --no-root, --no-autodiscover\n"
	    "                           leave out these candidates\n"
	    "  --ini FILE               reprofile.ini: its AutodiscoverExclude, and the\n"
	    "                           SCP candidate from its [Directory] section\n");
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
		       const adisc_response *r, const char *failure)
{
	struct kv kv[32];
	size_t i, k, n;

	printf("address: %s\n", address);
	for (i = 0; res && i < res->n_hops; i++)
		printf("redirect: %s\n", res->hops[i]);
	if (res && res->n_hops)
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
		     const char *failure)
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

/* Looks one address up (rv NULL = --xml mode) and prints it. Returns rc. */
static int discover_one(adisc_resolver *rv, const char *xml, const char *address,
			bool json, rp_json *j)
{
	adisc_result *res = NULL;
	adisc_response *r = NULL;
	const char *origin = NULL;
	char failure[1024];
	int rc;

	if (!rv) {
		rc = adisc_parse_file(xml, &r);
		origin = xml;
		if (!rc && r->error.code_text)
			rc = rp_error_set(RP_ENET,
					  "%s: Autodiscover error %d for '%s': %s", xml,
					  r->error.code, address,
					  r->error.message ? r->error.message : "");
	} else {
		rc = adisc_lookup(rv, address, &res);
		if (res) {
			r = res->resp;
			origin = res->origin;
		}
	}
	snprintf(failure, sizeof(failure), "%s", rc ? rp_error_msg() : "");
	if (json)
		json_one(j, address, origin, res, r, rc ? failure : NULL);
	else
		print_text(address, origin, res, r, rc ? failure : NULL);
	if (rc)
		fprintf(stderr, "reprofile discover: %s\n", failure);
	if (res)
		adisc_result_free(res);
	else
		adisc_response_free(r);
	return rc;
}

int rp_cmd_discover(int argc, char **argv)
{
	const char *addresses[MAX_ADDRESSES], *xml = NULL, *dir = NULL, *url = NULL;
	const char *connect_to[MAX_CONNECT_TO + 1] = {NULL};
	adisc_net_opts no = {0};
	adisc_resolver *rv = NULL;
	const char *ini = NULL;
	cfg_settings st;
	dir_resolver *scp_dir = NULL;
	bool json = false, net = false, failed = false;
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
	/* --xml alone; otherwise --dir and/or one network form. With both, the
	 * local folder is asked first (UseLocalAutodiscoverXMLs=1), the network
	 * only for addresses without a local file. */
	modes = !!url + net;
	if (!n_addr || modes > 1 || (xml && (dir || modes || n_addr != 1)) ||
	    (!xml && !dir && !modes)) {
		usage(stderr);
		return 2;
	}
	memset(&st, 0, sizeof(st));
	if (ini && modes) {
		if (cfg_settings_load(ini, &st) < 0 ||
		    rp_cli_scp_directory(&st, &scp_dir) < 0) {
			fprintf(stderr, "reprofile discover: %s\n", rp_error_msg());
			cfg_settings_free(&st);
			return 1;
		}
		rp_cli_adx_exclude(&st, &no);
		no.scp_urls = scp_dir ? rp_cli_scp_urls : NULL;
		no.scp_ctx = scp_dir;
	}
	if (modes) {
		no.manual_url = url;
		no.connect_to = connect_to;
		no.password = getenv("REPROFILE_PASSWORD");
		no.log = log_stderr;
		rv = adisc_net_resolver_new(&no);
		if (rv && dir)
			rv = adisc_chain_resolver_new(adisc_local_resolver_new(dir), rv);
	} else if (dir) {
		rv = adisc_local_resolver_new(dir);
	}
	if (!xml && !rv) {
		fprintf(stderr, "reprofile discover: %s\n", rp_error_msg());
		dir_close(scp_dir);
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
		if (discover_one(rv, xml, addresses[i], json, &j))
			failed = true;
	}
	if (json && n_addr > 1)
		rp_json_arr_end(&j);
	adisc_resolver_free(rv);
	dir_close(scp_dir);
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
