/* cmd_mailbox_ab.c - `reprofile mailbox ADDRESS resolve NAME... [--json]`:
 * names resolved in the address book of ADDRESS's organisation over NSPI
 * (mbx_ab: one Bind, one ResolveNames for all names, one Unbind). Called
 * by cmd_mailbox.c with the AddressBook URL (Autodiscover's mapiHttp block
 * or --mapi-url). docs/mailbox.md, "Address book". */
#include "commands.h"

#include "base/rp_err.h"
#include "base/rp_json.h"
#include "mailbox/mbx_ab.h"

#include <stdio.h>
#include <stdlib.h>

static const char *status_name(uint32_t st)
{
	return st == MBX_MID_RESOLVED    ? "resolved"
	       : st == MBX_MID_AMBIGUOUS ? "ambiguous"
					 : "not found";
}

static void print_text(const char *name, uint32_t st, const mbx_ab_entry *e)
{
	char buf[16];
	if (st != MBX_MID_RESOLVED) {
		printf("%s => %s\n", name, status_name(st));
		return;
	}
	printf("%s => type=%s smtp=%s legacy_dn=%s name=\"%s\"\n", name,
	       mbx_ab_display_type_name(e->display_type, buf), e->smtp ? e->smtp : "-",
	       e->legacy_dn ? e->legacy_dn : "-", e->display_name ? e->display_name : "");
	for (size_t k = 0; k < e->proxy_count; k++)
		printf("\tproxy %s\n", e->proxies[k]);
}

static int print_json(const char *address, const char *url, char *const *names, size_t n,
		      const uint32_t *st, const mbx_ab_entry *e, unsigned long requests)
{
	rp_buf out = RP_BUF_INIT;
	rp_json j;
	char buf[16];
	int rc;

	rp_json_init(&j, &out);
	rp_json_obj_begin(&j);
	rp_json_kstr(&j, "address", address);
	rp_json_kstr(&j, "addressbook_url", url);
	rp_json_kuint(&j, "nspi_requests", requests);
	rp_json_key(&j, "names");
	rp_json_arr_begin(&j);
	for (size_t i = 0; i < n; i++) {
		rp_json_obj_begin(&j);
		rp_json_kstr(&j, "name", names[i]);
		rp_json_kstr(&j, "status", status_name(st[i]));
		if (st[i] == MBX_MID_RESOLVED) {
			rp_json_kstr(&j, "display_name", e[i].display_name);
			rp_json_kstr(&j, "smtp", e[i].smtp);
			rp_json_kstr(&j, "legacy_dn", e[i].legacy_dn);
			rp_json_kstr(&j, "display_type",
				     mbx_ab_display_type_name(e[i].display_type, buf));
			rp_json_key(&j, "proxies");
			rp_json_arr_begin(&j);
			for (size_t k = 0; k < e[i].proxy_count; k++)
				rp_json_str(&j, e[i].proxies[k]);
			rp_json_arr_end(&j);
		}
		rp_json_obj_end(&j);
	}
	rp_json_arr_end(&j);
	rp_json_obj_end(&j);
	if ((rc = rp_json_finish(&j)) == RP_OK)
		fwrite(out.data, 1, out.len, stdout);
	rp_buf_free(&out);
	return rc;
}

int rp_mailbox_resolve(const mbx_http_opts *ho, const char *address, char *const *names,
		       size_t n, bool json, bool *all_resolved)
{
	mbx_ab *ab = NULL;
	uint32_t *st = calloc(n ? n : 1, sizeof(*st));
	mbx_ab_entry *e = calloc(n ? n : 1, sizeof(*e));
	int rc;

	*all_resolved = false;
	if (!st || !e) {
		free(st);
		free(e);
		return rp_error_set(RP_ENOMEM, "out of memory");
	}
	rc = mbx_ab_open(ho, &ab);
	if (!rc)
		rc = mbx_ab_resolve(ab, (const char *const *)names, n, st, e);
	if (!rc) {
		*all_resolved = true;
		for (size_t i = 0; i < n; i++)
			*all_resolved = *all_resolved && st[i] == MBX_MID_RESOLVED;
		if (json)
			rc = print_json(address, ho->url, names, n, st, e,
					mbx_ab_requests(ab) + 1 /* the Unbind to come */);
		else
			for (size_t i = 0; i < n; i++)
				print_text(names[i], st[i], &e[i]);
	}
	for (size_t i = 0; i < n; i++)
		mbx_ab_entry_free(&e[i]);
	mbx_ab_close(ab); /* Unbind */
	free(st);
	free(e);
	return rc;
}
