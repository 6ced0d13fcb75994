/* cmd_show.c - `reprofile show`: decode Outlook profiles and print them as a
 * readable tree or as a stable JSON document (docs/show.md). Read-only: every
 * store is opened without REG_OPEN_WRITE and never committed. */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_json.h"
#include "base/rp_str.h"
#include "mapi/mapi_eid.h"
#include "profile/profile.h"
#include "registry/reg.h"

#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show_usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: reprofile show [--hive FILE | --reg FILE] [--profile NAME] [--json]\n"
	    "  Decodes Outlook profiles (read-only). Without --hive/--reg it reads\n"
	    "  the live registry of the current user (Windows build only).\n");
}

/* ---------------------------------------------------------------- JSON */

static void j_uid(rp_json *j, const char *key, const uint8_t uid[16])
{
	rp_json_khex(j, key, uid, 16);
}

static void j_eid(rp_json *j, const char *key, const uint8_t *raw, size_t len,
		  const eid *e)
{
	rp_json_key(j, key);
	if (!raw) {
		rp_json_null(j);
		return;
	}
	rp_json_obj_begin(j);
	rp_json_khex(j, "hex", raw, len);
	rp_json_key(j, "decoded");
	if (e)
		eid_render_json(e, j);
	else
		rp_json_null(j);
	rp_json_obj_end(j);
}

static void j_index(rp_json *j, const char *key, int idx)
{
	rp_json_key(j, key);
	if (idx < 0)
		rp_json_null(j);
	else
		rp_json_int(j, idx);
}

static void j_opt_uint(rp_json *j, const char *key, bool has, uint32_t v)
{
	rp_json_key(j, key);
	if (has)
		rp_json_uint(j, v);
	else
		rp_json_null(j);
}

static void j_ids(rp_json *j, const char *key, const uint32_t *v, size_t n)
{
	size_t i;
	rp_json_key(j, key);
	rp_json_arr_begin(j);
	for (i = 0; i < n; i++)
		rp_json_uint(j, v[i]);
	rp_json_arr_end(j);
}

static void j_exchange(rp_json *j, const profile *p, size_t i)
{
	const profile_exchange *x = &p->exchange[i];
	size_t k;

	rp_json_obj_begin(j);
	rp_json_kint(j, "index", (int64_t)i);
	rp_json_kbool(j, "primary", x->legacy);
	rp_json_kbool(j, "default_sending", p->default_exchange == (int)i);
	j_uid(j, "service_uid", p->services[x->service].uid);
	rp_json_key(j, "section");
	rp_json_str(j, x->section);
	rp_json_kbool(j, "legacy_global_section", x->legacy_global);
	rp_json_key(j, "account");
	if (x->account >= 0)
		rp_json_uint(j, p->accounts[x->account].id);
	else
		rp_json_null(j);
	rp_json_kstr(j, "display_name", x->display_name);
	rp_json_kstr(j, "smtp", x->smtp);
	rp_json_kstr(j, "smtp_raw", x->smtp_raw);
	rp_json_kstr(j, "mailbox_dn", x->mailbox_dn);
	rp_json_kstr(j, "home_server", x->home_server);
	rp_json_kstr(j, "home_server_dn", x->home_server_dn);
	rp_json_kstr(j, "home_server_fqdn", x->home_server_fqdn);
	rp_json_kstr(j, "unresolved_server", x->unresolved_server);
	rp_json_kstr(j, "unresolved_name", x->unresolved_name);
	rp_json_key(j, "rpc_over_http");
	rp_json_obj_begin(j);
	rp_json_kstr(j, "proxy", x->roh_proxy);
	rp_json_kstr(j, "principal", x->roh_principal);
	j_opt_uint(j, "flags", x->has_roh_flags, x->roh_flags);
	j_opt_uint(j, "auth_scheme", x->has_roh_auth, x->roh_auth);
	rp_json_obj_end(j);
	j_opt_uint(j, "auth_package", x->has_auth_package, x->auth_package);
	rp_json_key(j, "mapi_http");
	rp_json_obj_begin(j);
	rp_json_kstr(j, "mailstore_internal", x->mapihttp_store_internal);
	rp_json_kstr(j, "mailstore_external", x->mapihttp_store_external);
	rp_json_kstr(j, "addressbook_internal", x->mapihttp_ab_internal);
	rp_json_kstr(j, "addressbook_external", x->mapihttp_ab_external);
	rp_json_obj_end(j);
	rp_json_kstr(j, "lkg_autodiscover_url", x->lkg_autodiscover);
	j_opt_uint(j, "config_flags", x->has_config_flags, x->config_flags);
	rp_json_kbool(j, "cached_mode", x->cached);
	rp_json_kstr(j, "ost_path", x->ost_path);
	j_index(j, "primary_store", x->primary_store);
	rp_json_key(j, "stores");
	rp_json_arr_begin(j);
	for (k = 0; k < x->nstores; k++)
		rp_json_int(j, x->stores[k]);
	rp_json_arr_end(j);
	rp_json_obj_end(j);
}

static void j_store(rp_json *j, const profile *p, size_t i)
{
	const profile_store *s = &p->stores[i];
	rp_json_obj_begin(j);
	rp_json_kint(j, "index", (int64_t)i);
	rp_json_kstr(j, "kind", profile_store_kind_name(s->kind));
	j_uid(j, "provider_uid", p->providers[s->provider].uid);
	j_index(j, "exchange", s->exchange);
	rp_json_kstr(j, "display_name", s->display_name);
	rp_json_key(j, "profile_type");
	if (s->profile_type)
		rp_json_int(j, s->profile_type);
	else
		rp_json_null(j);
	rp_json_kstr(j, "alternate_store_type", s->alt_type);
	rp_json_kstr(j, "mailbox_dn", s->mailbox_dn);
	rp_json_kstr(j, "server", s->server);
	rp_json_kstr(j, "server_dn", s->server_dn);
	rp_json_kstr(j, "smtp", s->smtp);
	rp_json_kstr(j, "pst_path", s->pst_path);
	j_eid(j, "store_entryid", s->eid_raw, s->eid_len, s->eid);
	rp_json_obj_end(j);
}

static void j_profile(rp_json *j, const profile *p)
{
	size_t i, k;

	rp_json_obj_begin(j);
	rp_json_kstr(j, "name", p->name);
	rp_json_kstr(j, "key", p->key);
	rp_json_kbool(j, "default", p->is_default);
	rp_json_key(j, "search_key");
	if (p->has_search_key)
		rp_json_hex(j, p->search_key, 16);
	else
		rp_json_null(j);
	rp_json_key(j, "mv_width");
	if (p->mv_width)
		rp_json_int(j, p->mv_width);
	else
		rp_json_null(j);

	rp_json_key(j, "primary_exchange");
	rp_json_obj_begin(j);
	j_index(j, "index", p->primary_exchange);
	rp_json_kstr(j, "source",
		     p->primary_exchange < 0  ? NULL
		     : p->primary_from_global ? "outlook-global-section"
					      : "first-exchange-service");
	rp_json_obj_end(j);
	rp_json_key(j, "default_sending_account");
	if (p->default_account >= 0)
		rp_json_uint(j, p->accounts[p->default_account].id);
	else
		rp_json_null(j);
	j_index(j, "default_sending_exchange", p->default_exchange);

	rp_json_key(j, "exchange_accounts");
	rp_json_arr_begin(j);
	for (i = 0; i < p->nexchange; i++)
		j_exchange(j, p, i);
	rp_json_arr_end(j);

	rp_json_key(j, "stores");
	rp_json_arr_begin(j);
	for (i = 0; i < p->nstores; i++)
		j_store(j, p, i);
	rp_json_arr_end(j);

	rp_json_key(j, "contab");
	if (p->contab.service < 0) {
		rp_json_null(j);
	} else {
		rp_json_obj_begin(j);
		j_uid(j, "service_uid", p->services[p->contab.service].uid);
		rp_json_key(j, "provider_uid");
		if (p->contab.provider >= 0)
			rp_json_hex(j, p->providers[p->contab.provider].uid, 16);
		else
			rp_json_null(j);
		rp_json_key(j, "folders");
		rp_json_arr_begin(j);
		for (i = 0; i < p->contab.nfolders; i++) {
			const profile_contab_folder *f = &p->contab.folders[i];
			rp_json_obj_begin(j);
			rp_json_kstr(j, "store_name", f->store_name);
			rp_json_kstr(j, "folder_name", f->folder_name);
			rp_json_kstr(j, "display_name", f->display_name);
			j_eid(j, "store_entryid", f->store_eid_raw, f->store_eid_len,
			      f->store_eid);
			j_eid(j, "folder_entryid", f->folder_eid_raw, f->folder_eid_len,
			      f->folder_eid);
			rp_json_obj_end(j);
		}
		rp_json_arr_end(j);
		rp_json_obj_end(j);
	}

	rp_json_key(j, "ab_search_path");
	rp_json_arr_begin(j);
	for (i = 0; i < p->nsearch_path; i++) {
		rp_json_obj_begin(j);
		j_eid(j, "entryid", p->search_path[i].raw, p->search_path[i].len,
		      p->search_path[i].eid);
		rp_json_obj_end(j);
	}
	rp_json_arr_end(j);

	rp_json_key(j, "accounts");
	rp_json_arr_begin(j);
	for (i = 0; i < p->naccounts; i++) {
		const profile_account *a = &p->accounts[i];
		rp_json_obj_begin(j);
		rp_json_kuint(j, "id", a->id);
		rp_json_kstr(j, "key", a->key);
		rp_json_kstr(j, "kind", profile_acct_kind_name(a->kind));
		rp_json_kstr(j, "clsid", a->clsid);
		rp_json_kstr(j, "name", a->name);
		rp_json_kstr(j, "service_name", a->service_name);
		rp_json_key(j, "service_uid");
		if (a->has_service_uid)
			rp_json_hex(j, a->service_uid, 16);
		else
			rp_json_null(j);
		j_opt_uint(j, "mini_uid", a->has_mini_uid, a->mini_uid);
		rp_json_kstr(j, "email", a->email);
		rp_json_kstr(j, "server", a->server);
		rp_json_kstr(j, "smtp_server", a->smtp_server);
		rp_json_obj_end(j);
	}
	rp_json_arr_end(j);
	rp_json_key(j, "account_order");
	rp_json_obj_begin(j);
	j_ids(j, "mail", p->order_mail, p->norder_mail);
	j_ids(j, "address_book", p->order_ab, p->norder_ab);
	j_ids(j, "store", p->order_store, p->norder_store);
	rp_json_obj_end(j);
	j_opt_uint(j, "next_account_id", p->has_next_account_id, p->next_account_id);

	rp_json_key(j, "services");
	rp_json_arr_begin(j);
	for (i = 0; i < p->nservices; i++) {
		const profile_service *s = &p->services[i];
		rp_json_obj_begin(j);
		j_uid(j, "uid", s->uid);
		rp_json_kbool(j, "present", s->present);
		rp_json_kstr(j, "name", s->name);
		rp_json_kstr(j, "dll", s->dll);
		rp_json_kstr(j, "display_name", s->display_name);
		rp_json_kuint(j, "resource_flags", s->resource_flags);
		rp_json_key(j, "emsmdb_uid");
		if (s->has_emsmdb)
			rp_json_hex(j, s->emsmdb_uid, 16);
		else
			rp_json_null(j);
		rp_json_key(j, "providers");
		rp_json_arr_begin(j);
		for (k = 0; k < s->nproviders; k++)
			rp_json_hex(j, p->providers[s->providers[k]].uid, 16);
		rp_json_arr_end(j);
		rp_json_obj_end(j);
	}
	rp_json_arr_end(j);

	rp_json_key(j, "providers");
	rp_json_arr_begin(j);
	for (i = 0; i < p->nproviders; i++) {
		const profile_provider *v = &p->providers[i];
		rp_json_obj_begin(j);
		j_uid(j, "uid", v->uid);
		rp_json_kbool(j, "present", v->present);
		rp_json_key(j, "service_uid");
		if (v->service >= 0)
			rp_json_hex(j, p->services[v->service].uid, 16);
		else
			rp_json_null(j);
		j_opt_uint(j, "resource_type", v->resource_type != 0, v->resource_type);
		rp_json_kstr(j, "display_name", v->display_name);
		rp_json_kstr(j, "provider_display", v->provider_display);
		rp_json_kstr(j, "dll", v->dll);
		rp_json_obj_end(j);
	}
	rp_json_arr_end(j);

	rp_json_key(j, "problems");
	rp_json_arr_begin(j);
	for (i = 0; i < p->nproblems; i++) {
		rp_json_obj_begin(j);
		rp_json_kstr(j, "key", p->problems[i].key);
		rp_json_kstr(j, "value", p->problems[i].value);
		rp_json_kstr(j, "text", p->problems[i].text);
		rp_json_obj_end(j);
	}
	rp_json_arr_end(j);
	rp_json_obj_end(j);
}

/* ---------------------------------------------------------------- text */

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

static int t_line(rp_buf *o, int ind, const char *label, const char *v)
{
	if (!v)
		return RP_OK;
	return rp_buf_printf(o, "%*s%-22s %s\n", ind, "", label, v);
}

static int t_eid(rp_buf *o, int ind, const char *label, const uint8_t *raw, size_t len,
		 const eid *e)
{
	int rc;
	if (!raw)
		return RP_OK;
	if ((rc = rp_buf_printf(o, "%*s%s (%zu bytes)\n", ind, "", label, len)) < 0)
		return rc;
	if (e)
		return eid_render_text(e, o, ind + 2);
	return RP_OK;
}

static int t_hex(rp_buf *o, const uint8_t *p, size_t n)
{
	char *h = rp_hex(p, n);
	int rc;
	if (!h)
		return rp_error_set(RP_ENOMEM, "out of memory");
	rc = rp_buf_puts(o, h);
	free(h);
	return rc;
}

static int t_ids(rp_buf *o, const char *label, const uint32_t *v, size_t n)
{
	size_t i;
	int rc = rp_buf_printf(o, "    %-12s [", label);
	for (i = 0; i < n && rc == RP_OK; i++)
		rc = rp_buf_printf(o, "%s%u", i ? ", " : "", (unsigned)v[i]);
	if (rc == RP_OK)
		rc = rp_buf_puts(o, "]\n");
	return rc;
}

static int t_profile(rp_buf *o, const profile *p)
{
	char num[64];
	size_t i, k;
	int rc = RP_OK;

#define T(x)                                                                             \
	do {                                                                             \
		if ((rc = (x)) < 0)                                                      \
			return rc;                                                       \
	} while (0)

	T(rp_buf_printf(o, "Profile \"%s\"%s  (Outlook %s)\n", p->name,
			p->is_default ? " [default]" : "",
			strcmp(p->version, "wms") == 0
			    ? "<= 2010, Windows Messaging Subsystem"
			    : p->version));
	T(t_line(o, 2, "key", p->path));
	if (strcmp(p->name, p->key) != 0)
		T(t_line(o, 2, "key name", p->key));
	if (p->mv_width) {
		snprintf(num, sizeof(num), "%d-byte descriptors (%s Outlook)",
			 p->mv_width, p->mv_width == 8 ? "32-bit" : "64-bit");
		T(t_line(o, 2, "multi-value layout", num));
	}
	if (p->primary_exchange >= 0) {
		snprintf(num, sizeof(num), "#%d (%s)", p->primary_exchange,
			 p->primary_from_global ? "Outlook global section 01023d15"
						: "first Exchange service");
		T(t_line(o, 2, "primary Exchange", num));
	}
	if (p->default_account >= 0) {
		const profile_account *a = &p->accounts[p->default_account];
		snprintf(num, sizeof(num), "account %u", (unsigned)a->id);
		T(rp_buf_printf(o, "  %-22s %s \"%s\"\n", "default sending", num,
				or_dash(a->name)));
	}

	for (i = 0; i < p->nexchange; i++) {
		const profile_exchange *x = &p->exchange[i];
		T(rp_buf_printf(o, "  Exchange account #%zu %s%s%s\n", i,
				or_dash(x->smtp), x->legacy ? " [primary]" : "",
				p->default_exchange == (int)i ? " [default sending]"
							      : ""));
		T(rp_buf_puts(o, "    service                "));
		T(t_hex(o, p->services[x->service].uid, 16));
		T(rp_buf_puts(o, "\n"));
		T(t_line(o, 4, "settings section", x->section));
		T(t_line(o, 4, "display name", x->display_name));
		T(t_line(o, 4, "mailbox DN", x->mailbox_dn));
		T(t_line(o, 4, "home server", x->home_server));
		T(t_line(o, 4, "home server DN", x->home_server_dn));
		T(t_line(o, 4, "home server FQDN", x->home_server_fqdn));
		T(t_line(o, 4, "unresolved server", x->unresolved_server));
		T(t_line(o, 4, "RPC/HTTP proxy", x->roh_proxy));
		if (x->has_roh_flags) {
			snprintf(num, sizeof(num), "0x%08x", (unsigned)x->roh_flags);
			T(t_line(o, 4, "RPC/HTTP flags", num));
		}
		if (x->has_roh_auth) {
			snprintf(num, sizeof(num), "%u (%s)", (unsigned)x->roh_auth,
				 x->roh_auth == 1   ? "basic"
				 : x->roh_auth == 2 ? "NTLM"
						    : "other");
			T(t_line(o, 4, "RPC/HTTP auth", num));
		}
		T(t_line(o, 4, "RPC/HTTP principal", x->roh_principal));
		if (x->has_auth_package) {
			snprintf(num, sizeof(num), "0x%x", (unsigned)x->auth_package);
			T(t_line(o, 4, "auth package", num));
		}
		T(t_line(o, 4, "MAPI/HTTP store int", x->mapihttp_store_internal));
		T(t_line(o, 4, "MAPI/HTTP store ext", x->mapihttp_store_external));
		T(t_line(o, 4, "MAPI/HTTP AB int", x->mapihttp_ab_internal));
		T(t_line(o, 4, "MAPI/HTTP AB ext", x->mapihttp_ab_external));
		T(t_line(o, 4, "LKG Autodiscover URL", x->lkg_autodiscover));
		if (x->has_config_flags) {
			snprintf(num, sizeof(num), "%s (config flags 0x%08x)",
				 x->cached ? "cached" : "online",
				 (unsigned)x->config_flags);
			T(t_line(o, 4, "mode", num));
		}
		T(t_line(o, 4, "OST", x->ost_path));
		if (x->account >= 0) {
			snprintf(num, sizeof(num), "%u",
				 (unsigned)p->accounts[x->account].id);
			T(t_line(o, 4, "account", num));
		}
	}

	for (i = 0; i < p->nstores; i++) {
		const profile_store *s = &p->stores[i];
		T(rp_buf_printf(o, "  Store #%zu %s \"%s\"", i,
				profile_store_kind_name(s->kind),
				or_dash(s->display_name)));
		if (s->exchange >= 0)
			T(rp_buf_printf(o, " of Exchange account #%d", s->exchange));
		T(rp_buf_puts(o, "\n    provider               "));
		T(t_hex(o, p->providers[s->provider].uid, 16));
		T(rp_buf_puts(o, "\n"));
		T(t_line(o, 4, "mailbox DN", s->mailbox_dn));
		T(t_line(o, 4, "server", s->server));
		T(t_line(o, 4, "server DN", s->server_dn));
		T(t_line(o, 4, "SMTP", s->smtp));
		T(t_line(o, 4, "PST path", s->pst_path));
		T(t_eid(o, 4, "store entry ID", s->eid_raw, s->eid_len, s->eid));
	}

	if (p->contab.service >= 0) {
		T(rp_buf_printf(o, "  Outlook Address Book (CONTAB): %zu folder(s)\n",
				p->contab.nfolders));
		for (i = 0; i < p->contab.nfolders; i++) {
			const profile_contab_folder *f = &p->contab.folders[i];
			T(rp_buf_printf(o, "    [%zu] \"%s\" (folder \"%s\" in \"%s\")\n",
					i, or_dash(f->display_name),
					or_dash(f->folder_name), or_dash(f->store_name)));
			T(t_eid(o, 6, "store entry ID", f->store_eid_raw,
				f->store_eid_len, f->store_eid));
			T(t_eid(o, 6, "folder entry ID", f->folder_eid_raw,
				f->folder_eid_len, f->folder_eid));
		}
	}
	if (p->nsearch_path) {
		T(rp_buf_printf(o, "  Address-book search path: %zu entr%s\n",
				p->nsearch_path, p->nsearch_path == 1 ? "y" : "ies"));
		for (i = 0; i < p->nsearch_path; i++) {
			snprintf(num, sizeof(num), "[%zu]", i);
			T(t_eid(o, 4, num, p->search_path[i].raw, p->search_path[i].len,
				p->search_path[i].eid));
		}
	}

	T(rp_buf_printf(o, "  Accounts (%zu)\n", p->naccounts));
	for (i = 0; i < p->naccounts; i++) {
		const profile_account *a = &p->accounts[i];
		T(rp_buf_printf(o, "    %s %-6s \"%s\" service %s", a->key,
				profile_acct_kind_name(a->kind), or_dash(a->name),
				or_dash(a->service_name)));
		if (a->has_service_uid) {
			T(rp_buf_puts(o, " "));
			T(t_hex(o, a->service_uid, 16));
		}
		T(rp_buf_puts(o, "\n"));
		T(t_line(o, 6, "email", a->email));
		T(t_line(o, 6, "server", a->server));
		T(t_line(o, 6, "SMTP server", a->smtp_server));
	}
	T(rp_buf_puts(o, "  Account order\n"));
	T(t_ids(o, "mail", p->order_mail, p->norder_mail));
	T(t_ids(o, "address book", p->order_ab, p->norder_ab));
	T(t_ids(o, "store", p->order_store, p->norder_store));

	T(rp_buf_printf(o, "  Services (%zu)\n", p->nservices));
	for (i = 0; i < p->nservices; i++) {
		const profile_service *s = &p->services[i];
		T(rp_buf_puts(o, "    "));
		T(t_hex(o, s->uid, 16));
		T(rp_buf_printf(o, " %s\n", s->present ? or_dash(s->name) : "(missing)"));
		for (k = 0; k < s->nproviders; k++) {
			const profile_provider *v = &p->providers[s->providers[k]];
			T(rp_buf_puts(o, "      provider "));
			T(t_hex(o, v->uid, 16));
			if (!v->present)
				T(rp_buf_puts(o, " (missing)"));
			else
				T(rp_buf_printf(o, " type 0x%02x %s \"%s\"",
						(unsigned)v->resource_type,
						or_dash(v->dll),
						or_dash(v->display_name)));
			T(rp_buf_puts(o, "\n"));
		}
	}
	if (p->nproblems) {
		T(rp_buf_printf(o, "  Problems (%zu)\n", p->nproblems));
		for (i = 0; i < p->nproblems; i++)
			T(rp_buf_printf(o, "    %s%s%s: %s\n", p->problems[i].key,
					p->problems[i].value ? " " : "",
					p->problems[i].value ? p->problems[i].value : "",
					p->problems[i].text));
	}
#undef T
	return rc;
}

/* ---------------------------------------------------------------- main */

int rp_cmd_show(int argc, char **argv)
{
	const char *hive = NULL, *regf = NULL, *want = NULL;
	bool json = false;
	reg_store *s = NULL;
	profile_root root;
	rp_buf out = RP_BUF_INIT;
	rp_json j;
	int i, rc, ret = 1, sel = -1;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--hive") == 0 && i + 1 < argc)
			hive = argv[++i];
		else if (strcmp(argv[i], "--reg") == 0 && i + 1 < argc)
			regf = argv[++i];
		else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			want = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			show_usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "reprofile show: unexpected argument '%s'\n",
				argv[i]);
			show_usage(stderr);
			return 2;
		}
	}
	if (hive && regf) {
		fprintf(stderr,
			"reprofile show: give either --hive or --reg, not both\n");
		return 2;
	}
	if (hive)
		rc = reg_open_hive(&s, hive, 0);
	else if (regf)
		rc = reg_open_regfile(&s, regf, 0);
	else
		rc = reg_open_live(&s, NULL, 0);
	if (rc == RP_EUNSUPPORTED && !hive && !regf) {
		fprintf(stderr,
			"reprofile show: the live registry is only available in the "
			"Windows build; use --hive FILE or --reg FILE\n");
		return 2;
	}
	if (rc < 0) {
		fprintf(stderr, "reprofile show: %s\n", rp_error_msg());
		return 1;
	}
	rc = profile_find_root(s, &root);
	if (rc < 0) {
		fprintf(stderr, "reprofile show: %s\n", rp_error_msg());
		reg_close(s);
		return 1;
	}
	if (want) {
		sel = profile_root_find(&root, want);
		if (sel < 0) {
			fprintf(stderr,
				"reprofile show: %s: no profile named \"%s\" under %s\n",
				reg_store_name(s), want, root.path);
			goto done;
		}
	}
	if (json) {
		rp_json_init(&j, &out);
		rp_json_obj_begin(&j);
		rp_json_kstr(&j, "root", root.version);
		rp_json_kstr(&j, "root_path", root.path);
		rp_json_kstr(&j, "default_profile", root.default_name);
		rp_json_key(&j, "profiles");
		rp_json_arr_begin(&j);
	}
	for (k = 0; k < root.nkeys; k++) {
		profile *p;
		if (sel >= 0 && (size_t)sel != k)
			continue;
		rc = profile_load(s, &root, root.keys[k], &p);
		if (rc < 0) {
			fprintf(stderr, "reprofile show: %s\n", rp_error_msg());
			goto done;
		}
		if (json) {
			j_profile(&j, p);
		} else {
			if (out.len)
				rc = rp_buf_puts(&out, "\n");
			if (rc == RP_OK)
				rc = t_profile(&out, p);
		}
		profile_free(p);
		if (rc < 0) {
			fprintf(stderr, "reprofile show: %s\n", rp_error_msg());
			goto done;
		}
	}
	if (json) {
		rp_json_arr_end(&j);
		rp_json_obj_end(&j);
		rc = rp_json_finish(&j);
		if (rc < 0) {
			fprintf(stderr, "reprofile show: %s\n", rp_error_msg());
			goto done;
		}
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		fprintf(stderr, "reprofile show: cannot write output\n");
		goto done;
	}
	ret = 0;
done:
	rp_buf_free(&out);
	profile_root_free(&root);
	reg_close(s);
	return ret;
}
