/* The feature table (the guide's "What the Utility Updates", in its order)
 * and the runner shared by all planners. */
#include "features.h"
#include "feature_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"
#include "platform/plat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* name, title, planner, needs mailbox, uses files. A NULL planner with
 * "needs mailbox" reports that honestly until mailbox access lands. */
const feature_def feature_table[] = {
    {"AddBoxes", "Additional mailboxes", feature_addboxes_plan, false, false},
    {"CONTAB", "Outlook Address Book", feature_contab_plan, true, false},
    {"ContactMembers", "Contact members", NULL, true, false},
    {"Delegates", "Delegates", NULL, true, false},
    {"MoveToFolder", "Folder lists", NULL, true, false},
    {"Nicks", "Nicknames", feature_nicks_plan, true, true},
    /* Outlook 2007+ keeps the other users' folders a user opened as
     * navigation-pane links in the mailbox (docs/decisions.md). */
    {"OtherUsersFolders", "Other users' folders", NULL, true, false},
    {"PublicFav", "Public folder favorites", NULL, true, false},
    {"Rules", "Rules", NULL, true, false},
    {"SRS", "Send/Receive settings", feature_srs_plan, false, true},
    {"SearchFolders", "Search folders", NULL, true, false},
    {"Services", "Address book settings", feature_services_plan, true, false},
    {"Shortcuts", "Shortcuts", NULL, true, false},
    {"UserNames", "User names", feature_usernames_plan, true, false},
    {"Favorites", "Favorites", NULL, true, false},
    {"Calendar", "Calendar pane", NULL, true, false},
    {"Contacts", "Contacts pane", NULL, true, false},
    {"Tasks", "Tasks pane", NULL, true, false},
    {"Notes", "Notes pane", NULL, true, false},
    {"Journal", "Journal pane", NULL, true, false},
    {"JunkReset", "Junk e-mail settings", NULL, true, false},
};
const size_t feature_count = sizeof(feature_table) / sizeof(feature_table[0]);

const feature_def *feature_find(const char *name)
{
	size_t i;
	for (i = 0; name && i < feature_count; i++)
		if (rp_ascii_casecmp(feature_table[i].name, name) == 0)
			return &feature_table[i];
	return NULL;
}

const char *feature_status_name(feature_status s)
{
	switch (s) {
	case FEATURE_DONE:
		return "done";
	case FEATURE_SKIPPED:
		return "skipped";
	case FEATURE_FAILED:
		return "failed";
	case FEATURE_NEEDS_MAILBOX:
		return "needs_mailbox";
	case FEATURE_UNAVAILABLE:
		return "unavailable";
	}
	return "unknown";
}

int feature_result_msg(feature_result *r, const char *fmt, ...)
{
	va_list ap;
	char *m;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(m = malloc((size_t)n + 1)))
		return rp_error_set(RP_ENOMEM, "out of memory");
	va_start(ap, fmt);
	vsnprintf(m, (size_t)n + 1, fmt, ap);
	va_end(ap);
	free(r->message);
	r->message = m;
	return RP_OK;
}

void feature_result_free(feature_result *r)
{
	free(r->message);
	memset(r, 0, sizeof(*r));
}

int feature_run(const feature_def *def, const feature_ctx *c, plan *out,
		feature_result *r)
{
	int rc;
	memset(r, 0, sizeof(*r));
	if (!def->plan) {
		r->status =
		    def->needs_mailbox ? FEATURE_NEEDS_MAILBOX : FEATURE_UNAVAILABLE;
		return feature_result_msg(r, "%s",
					  def->needs_mailbox
					      ? "needs mailbox access, not processed"
					      : "not available in this version");
	}
	r->status = c->mode == FEATURE_MODE_SKIP ? FEATURE_SKIPPED : FEATURE_DONE;
	rc = def->plan(c, out, r);
	if (rc == RP_ENOMEM)
		return rc;
	if (rc < 0) {
		plan_free(out);
		r->status = FEATURE_FAILED;
		r->warning = false;
		rc = feature_result_msg(r, "%s", rp_error_msg());
		rp_error_clear();
		return rc;
	}
	if (!r->message)
		return feature_result_msg(
		    r, "%s", r->status == FEATURE_SKIPPED ? "skipped" : "done");
	return RP_OK;
}

int feature_need_mailbox(const feature_ctx *c, feature_result *r,
			 const feature_mailbox **out)
{
	int rc;
	*out = NULL;
	if (!c->mailbox_of)
		rc = rp_error_set(RP_ENOTFOUND, "no MAPI/HTTP access in this run");
	else
		rc = c->mailbox_of(c->mailbox_ctx, out);
	if (rc == RP_ENOMEM)
		return rc;
	if (rc == RP_OK && *out)
		return RP_OK;
	r->status = FEATURE_NEEDS_MAILBOX;
	rc = feature_result_msg(r, "needs mailbox access, not processed: %s",
				rc < 0 ? rp_error_msg() : "no mailbox");
	rp_error_clear();
	return rc == RP_OK ? RP_ENOTFOUND : rc;
}

int feature_retag(plan *out, size_t from, const char *name)
{
	size_t i;
	for (i = from; i < out->n; i++) {
		char *why = out->v[i].why, *neu;
		const char *rest = strncmp(why, "switch: ", 8) == 0 ? why + 8 : why;
		if (!(neu = rp_asprintf("%s: %s", name, rest)))
			return RP_ENOMEM;
		free(why);
		out->v[i].why = neu;
	}
	return RP_OK;
}

int feature_folders_check(const feature_folders *f)
{
	if (f->user_dir && !plat_file_exists(f->user_dir))
		return rp_error_set(RP_ENOTFOUND, "the user's folder '%s' does not exist",
				    f->user_dir);
	return RP_OK;
}
