/* run_creds.c - accounts for Autodiscover (run_creds.h). */
#include "run/run_creds.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "config/cfg_secret.h"
#include "discover/adisc_oauth.h"
#include "platform/plat_secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct account {
	char *user;       /* NULL = none */
	char *password;   /* wiped on free */
	const char *from; /* "INI", "prompt" */
};

struct run_creds {
	const cfg_settings *st;
	run_log *log;
	run_creds_io io;
	struct account src, trg;
	bool trg_prompted;
	/* OAuth: one sign-in per run, its outcome kept. */
	bool token_tried;
	int token_rc;
	char *token, *token_msg;
	/* Microsoft 365 targets found by Autodiscover (run_creds_mark_o365). */
	char **o365;
	size_t n_o365;
};

static void account_free(struct account *a)
{
	free(a->user);
	cfg_secret_free(a->password);
	memset(a, 0, sizeof(*a));
}

void run_creds_free(run_creds *c)
{
	if (!c)
		return;
	account_free(&c->src);
	account_free(&c->trg);
	cfg_secret_free(c->token);
	free(c->token_msg);
	while (c->n_o365)
		free(c->o365[--c->n_o365]);
	free(c->o365);
	free(c);
}

int run_creds_mark_o365(run_creds *c, const char *address)
{
	char **n;
	size_t i;
	if (!c || !address)
		return RP_OK;
	for (i = 0; i < c->n_o365; i++)
		if (rp_ascii_casecmp(c->o365[i], address) == 0)
			return RP_OK;
	if (!(n = realloc(c->o365, (c->n_o365 + 1) * sizeof(*n))))
		return rp_error_set(RP_ENOMEM, "out of memory");
	c->o365 = n;
	if (!(n[c->n_o365] = rp_strdup(address)))
		return rp_error_set(RP_ENOMEM, "out of memory");
	c->n_o365++;
	return RP_OK;
}

/* Decrypts an INI password into a; key names the parameter for messages. */
static int from_ini(const cfg_settings *st, enum cfg_param user_key, const char *user,
		    enum cfg_param pw_key, const char *value, struct account *a)
{
	int rc;
	if (!user)
		return RP_OK;
	rc = cfg_secret_reveal(value, &a->password, NULL);
	if (rc)
		return rp_error_wrap(
		    rc, "%s:%d: [Parameters] %s=<hidden> (account %s of line %d)",
		    st->ini_path ? st->ini_path : "reprofile.ini", st->line[pw_key],
		    cfg_param_table()[pw_key].name, user, st->line[user_key]);
	if (!(a->user = rp_strdup(user)))
		return rp_error_set(RP_ENOMEM, "out of memory");
	a->from = "INI";
	return RP_OK;
}

/* Asks for an account name (echoed) and its password (not echoed). */
static int prompt_account(run_creds *c, const char *side, struct account *a)
{
	char *p = rp_asprintf("%s account (DOMAIN\\user or user@domain): ", side);
	char *user = NULL, *pw = NULL;
	int rc;
	if (!p)
		return rp_error_set(RP_ENOMEM, "out of memory");
	rc = plat_read_line(c->io.in_fd, p, true, &user);
	free(p);
	if (rc == RP_OK && !*user)
		rc = rp_error_set(RP_EINVAL, "no %s account name was typed", side);
	if (rc == RP_OK) {
		p = rp_asprintf("Password for %s: ", user);
		rc = p ? plat_read_line(c->io.in_fd, p, false, &pw)
		       : rp_error_set(RP_ENOMEM, "out of memory");
		free(p);
	}
	if (rc) {
		free(user);
		return rp_error_wrap(rc, "AskCredentials=1: %s account", side);
	}
	account_free(a);
	a->user = user;
	a->password = pw;
	a->from = "prompt";
	return RP_OK;
}

int run_creds_new(const cfg_settings *st, run_log *log, const run_creds_io *io,
		  run_creds **out)
{
	run_creds *c = calloc(1, sizeof(*c));
	int rc;
	*out = NULL;
	if (!c)
		return rp_error_set(RP_ENOMEM, "out of memory");
	c->st = st;
	c->log = log;
	c->io = *io;
	rc = from_ini(st, CFG_P_ADMIN, st->admin, CFG_P_PASSWORD, st->password, &c->src);
	if (rc == RP_OK)
		rc = from_ini(st, CFG_P_ADMINTRG, st->admin_trg, CFG_P_PASSWORDTRG,
			      st->password_trg, &c->trg);
	if (rc == RP_OK && st->ask_credentials) {
		if (io->may_prompt) {
			rc = prompt_account(c, "Source", &c->src);
		} else if (!c->src.user && !c->trg.user) {
			rc = rp_error_set(
			    RP_EAUTH,
			    "AskCredentials=1, but credentials cannot be asked for (%s) "
			    "and "
			    "none are configured (Admin/Password, AdminTrg/PasswordTrg)",
			    st->silent ? "Silent=1" : "no terminal");
		} else {
			run_log_line(
			    log, "Warning",
			    "AskCredentials=1: not asking (%s); the accounts of the "
			    "INI are used",
			    st->silent ? "Silent=1" : "no terminal");
		}
	}
	if (rc) {
		run_creds_free(c);
		return rc;
	}
	if (c->src.user)
		run_log_line(log, "Info", "Source account: %s (%s)", c->src.user,
			     c->src.from);
	if (c->trg.user)
		run_log_line(log, "Info", "Target account: %s (%s)", c->trg.user,
			     c->trg.from);
	*out = c;
	return RP_OK;
}

/* The target account: its own, else the source's (trusted domains, or
 * AskSourceCredentialsOnly=1). */
static const struct account *target_account(const run_creds *c)
{
	if (c->st->ask_credentials && c->st->ask_source_credentials_only && c->src.user)
		return &c->src;
	return c->trg.user ? &c->trg : &c->src;
}

void run_creds_net_opts(const run_creds *c, bool target, adisc_net_opts *no)
{
	const struct account *a = target ? target_account(c) : &c->src;
	no->user = a->user;
	no->password = a->user ? a->password : NULL;
	if (!no->ca_file)
		no->ca_file = c->st->ca_file;
}

/* ---- OAuth ---- */

static void show_code(void *ctx, const char *uri, const char *code, const char *message)
{
	run_creds *c = ctx;
	(void)message; /* the server's sentence may be in another language */
	fprintf(stderr,
		"To sign in to Microsoft 365 for the target mailboxes, open %s and enter "
		"the code %s\n",
		uri, code);
	fflush(stderr);
	run_log_line(c->log, "Info",
		     "Microsoft 365 sign-in: open %s and enter the code %s (waiting)",
		     uri, code);
}

static void oauth_log(void *ctx, const char *level, const char *msg)
{
	run_log_line(ctx, level, "%s", msg);
}

static int ensure_token(run_creds *c, const adisc_net_opts *base, const char *address)
{
	adisc_oauth_opts o;
	if (c->token_tried)
		return c->token_rc ? rp_error_set(c->token_rc, "%s", c->token_msg)
				   : RP_OK;
	c->token_tried = true;
	if (c->st->silent) {
		c->token_rc = rp_error_set(RP_EAUTH,
					   "the Microsoft 365 target '%s' needs an "
					   "interactive sign-in (OAuth 2.0 "
					   "device code), which Silent=1 does not allow",
					   address);
	} else {
		memset(&o, 0, sizeof(o));
		o.authority = c->st->authority_url;
		o.resource = c->st->resource_url;
		o.client_id = c->st->oauth_client_id;
		o.ca_file = base->ca_file ? base->ca_file : c->st->ca_file;
		o.connect_to = base->connect_to;
		o.timeout_s = base->timeout_s;
		o.show = show_code;
		o.show_ctx = c;
		o.log = oauth_log;
		o.log_ctx = c->log;
		c->token_rc = adisc_oauth_device_flow(&o, &c->token);
		if (c->token_rc)
			rp_error_wrap(c->token_rc, "Microsoft 365 sign-in failed");
	}
	if (c->token_rc) {
		c->token_msg = rp_strdup(rp_error_msg());
		run_log_line(c->log, "Error", "%s", rp_error_msg());
		return c->token_rc;
	}
	run_log_line(
	    c->log, "Info",
	    "Microsoft 365 sign-in done; the token is kept in memory for this run");
	return RP_OK;
}

int run_creds_token(run_creds *c, const char *address, const char **token)
{
	adisc_net_opts base;
	int rc;
	memset(&base, 0, sizeof(base));
	*token = NULL;
	if ((rc = ensure_token(c, &base, address)) == RP_OK)
		*token = c->token;
	return rc;
}

/* ---- the target resolver ---- */

struct trg {
	adisc_resolver base;
	run_creds *c;
	const cfg_switchlist *sl;
	adisc_net_opts o;
	adisc_resolver *plain, *bearer;
};

/* Microsoft 365 is decided by what the admin or the target says, never by
 * the shape of the login (an on-premises server takes user@domain logins
 * too): a switch-list o365 row, a target marked by run_creds_mark_o365 (the
 * source's redirect said so, or the target asked for Bearer). */
static bool uses_oauth(const struct trg *t, const char *address)
{
	size_t i;
	for (i = 0; t->sl && i < t->sl->n; i++)
		if (t->sl->entries[i].kind == CFG_TARGET_O365 &&
		    rp_ascii_casecmp(t->sl->entries[i].target_smtp, address) == 0)
			return true;
	for (i = 0; i < t->c->n_o365; i++)
		if (rp_ascii_casecmp(t->c->o365[i], address) == 0)
			return true;
	return false;
}

static adisc_resolver *make(struct trg *t, bool bearer)
{
	adisc_net_opts o = t->o;
	run_creds_net_opts(t->c, true, &o);
	if (bearer) {
		o.user = o.password = NULL;
		o.bearer = t->c->token;
	}
	return adisc_net_resolver_new(&o);
}

static int trg_lookup(adisc_resolver *self, const char *address, adisc_result **out)
{
	struct trg *t = (struct trg *)self;
	run_creds *c = t->c;
	int rc;
	*out = NULL;
	if (uses_oauth(t, address)) {
		if ((rc = ensure_token(c, &t->o, address)) != RP_OK)
			return rc;
		if (!t->bearer && !(t->bearer = make(t, true)))
			return RP_ENOMEM;
		return adisc_lookup(t->bearer, address, out);
	}
	rc = adisc_lookup(t->plain, address, out);
	if (rc == RP_EAUTH && adisc_net_bearer_asked(t->plain)) {
		/* The target refused with a Bearer challenge: it takes OAuth
		 * tokens (Exchange Online with Basic off). */
		run_log_line(c->log, "Info",
			     "The target Autodiscover asks for a Microsoft 365 sign-in "
			     "(WWW-Authenticate: Bearer) for '%s'",
			     address);
		if ((rc = run_creds_mark_o365(c, address)) != RP_OK)
			return rc;
		adisc_result_free(*out);
		*out = NULL;
		return trg_lookup(self, address, out);
	}
	if (rc == RP_EAUTH && c->st->ask_credentials &&
	    !c->st->ask_source_credentials_only && c->io.may_prompt && !c->trg_prompted) {
		adisc_resolver *again;
		c->trg_prompted = true;
		run_log_line(
		    c->log, "Warning",
		    "The target Autodiscover refused the account '%s'; asking for a "
		    "target account",
		    target_account(c)->user ? target_account(c)->user : "(current user)");
		if (prompt_account(c, "Target", &c->trg) != RP_OK) {
			run_log_line(c->log, "Error", "%s", rp_error_msg());
			return RP_EAUTH;
		}
		if (!(again = make(t, false)))
			return RP_ENOMEM;
		adisc_resolver_free(t->plain);
		t->plain = again;
		adisc_result_free(*out);
		*out = NULL;
		rc = adisc_lookup(t->plain, address, out);
	}
	return rc;
}

static void trg_destroy(adisc_resolver *self)
{
	struct trg *t = (struct trg *)self;
	adisc_resolver_free(t->plain);
	adisc_resolver_free(t->bearer);
	free(t);
}

adisc_resolver *run_creds_target_resolver(run_creds *c, const cfg_switchlist *sl,
					  const adisc_net_opts *base)
{
	struct trg *t = calloc(1, sizeof(*t));
	if (!t) {
		rp_error_set(RP_ENOMEM, "out of memory");
		return NULL;
	}
	t->base.lookup = trg_lookup;
	t->base.destroy = trg_destroy;
	t->c = c;
	t->sl = sl;
	t->o = *base;
	if (!t->o.ca_file)
		t->o.ca_file = c->st->ca_file;
	/* Made now so that a bad URL is reported before any profile. */
	if (!(t->plain = make(t, false))) {
		free(t);
		return NULL;
	}
	return &t->base;
}
