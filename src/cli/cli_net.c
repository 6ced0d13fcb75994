/* cli_net.c - the Autodiscover resolvers of a run, built from the settings
 * (commands.h). update and discover --ini both come here, so the helpdesk's
 * check resolves with the same settings, accounts and candidates as the
 * logon script's update. */
#include "commands.h"

#include "base/rp_err.h"
#include "config/cfg_settings.h"
#include "directory/dir.h"
#include "platform/plat.h"

#include <stdlib.h>
#include <string.h>

static void adisc_log(void *ctx, const char *level, const char *msg)
{
	run_log_line(ctx, level, "%s", msg);
}

void rp_cli_net_env_load(rp_cli_net_env *ne)
{
	size_t n = 0;
	char *p;
	memset(ne, 0, sizeof(*ne));
	ne->connect_to = plat_getenv("REPROFILE_CONNECT_TO");
	for (p = ne->connect_to ? strtok(ne->connect_to, " ") : NULL; p && n < 16;
	     p = strtok(NULL, " "))
		ne->entries[n++] = p;
	ne->entries[n] = NULL;
}

void rp_cli_net_env_free(rp_cli_net_env *ne)
{
	free(ne->connect_to);
	ne->connect_to = NULL;
}

void rp_cli_adx_exclude(const cfg_settings *st, adisc_net_opts *no)
{
	no->skip_root |= (st->autodiscover_exclude & CFG_ADX_ROOT) != 0;
	no->skip_autodiscover |= (st->autodiscover_exclude & CFG_ADX_AUTODISCOVER) != 0;
	no->skip_http_redirect |= (st->autodiscover_exclude & CFG_ADX_HTTPREDIRECT) != 0;
	no->skip_srv |= (st->autodiscover_exclude & CFG_ADX_SRV) != 0;
}

/* One side's options: the caller's base plus the INI's exclusions. */
static void net_opts(const cfg_settings *st, const adisc_net_opts *base, run_log *log,
		     adisc_net_opts *no)
{
	*no = *base;
	if (!no->log) {
		no->log = adisc_log;
		no->log_ctx = log;
	}
	rp_cli_adx_exclude(st, no);
}

/* The source check of network Autodiscover runs when the source side is
 * configured (docs/switch.md): a source URL, SCPs from [Directory], or
 * SwitchSources=autodiscover or message, which need the source lookup anyway
 * (message: its mapiHttp MailStore URL). */
static bool source_configured(const cfg_settings *st, const dir_resolver *scp)
{
	size_t i;
	if (st->autodiscover_source_url || scp)
		return true;
	for (i = 0; i < st->n_switch_sources; i++)
		if (st->switch_sources[i] == CFG_SWS_AUTODISCOVER ||
		    st->switch_sources[i] == CFG_SWS_MESSAGE)
			return true;
	return false;
}

int rp_cli_resolvers_make(const cfg_settings *st, const cfg_switchlist *sl, run_log *log,
			  const adisc_net_opts *base, const run_creds_io *io,
			  rp_cli_resolvers *r)
{
	adisc_net_opts no;

	memset(r, 0, sizeof(*r));
	if (st->use_local_autodiscover_xmls) {
		r->target = adisc_local_resolver_new(st->local_autodiscover_xml_path);
		return r->target ? RP_OK : rp_error_set(RP_ENOMEM, "out of memory");
	}
	if (run_creds_new(st, log, io, &r->creds) < 0)
		return RP_EAUTH;
	/* Both sides share connections, TLS sessions and what each host said
	 * about its authentication scheme. */
	if (!base->share && !(r->share = adisc_net_share_new()))
		return RP_ENOMEM;
	net_opts(st, base, log, &no);
	if (r->share)
		no.share = r->share;
	no.manual_url = st->autodiscover_target_url;
	no.side = "target";
	if (!(r->target = run_creds_target_resolver(r->creds, sl, &no)))
		return RP_EINVAL;
	if (rp_cli_scp_directory(st, &r->scp) < 0)
		return RP_EINVAL;
	if (!source_configured(st, r->scp))
		return RP_OK;
	net_opts(st, base, log, &no);
	if (r->share)
		no.share = r->share;
	run_creds_net_opts(r->creds, false, &no);
	no.manual_url = st->autodiscover_source_url;
	no.scp_urls = r->scp ? rp_cli_scp_urls : NULL;
	no.scp_ctx = r->scp;
	no.stop_at_foreign_redirect = true;
	return (r->source = adisc_net_resolver_new(&no)) ? RP_OK : RP_EINVAL;
}

void rp_cli_resolvers_free(rp_cli_resolvers *r)
{
	adisc_resolver_free(r->source);
	adisc_resolver_free(r->target);
	dir_close(r->scp);
	run_creds_free(r->creds);
	adisc_net_share_free(r->share); /* after the resolvers that use it */
	memset(r, 0, sizeof(*r));
}
