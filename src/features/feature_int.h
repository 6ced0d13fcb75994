/* feature_int.h - helpers shared by the planners of this module (not part
 * of its contract). */
#ifndef FEATURE_INT_H
#define FEATURE_INT_H

#include "features.h"

/* Plans the switch of one profile section from the mailbox (src_smtp,
 * src_dn) to t, with the switch's rules (docs/switch.md): identity values,
 * server values, MAPI/HTTP URLs, the store entry ID (v1/v2/v3 kept) and any
 * text naming the source address. The edits' reasons start with "switch: ".
 * A missing section plans nothing. Errors name store, key and value. */
int feature_switch_section(reg_store *s, const profile *p, const char *path,
			   const char *src_smtp, const char *src_dn,
			   const feature_target *t, const feature_opts *o, plan *out);

/* Replaces the "switch: " prefix of the reasons of edits [from, out->n) by
 * "<name>: ". RP_ENOMEM. */
int feature_retag(plan *out, size_t from, const char *name);

/* The file-side parts need the user's folder: RP_OK when it is not named
 * (the caller skips with a warning) or exists; RP_ENOTFOUND with "the
 * user's folder '<dir>' does not exist" when it is named but missing (a
 * --user-dir typo, a hive moved away from its folder): the feature fails. */
int feature_folders_check(const feature_folders *f);

#endif
