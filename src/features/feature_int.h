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

/* The store entry ID raw (len bytes) of x's mailbox rebuilt for t with the
 * switch's rules (v1/v2/v3 form kept). *changed false and out untouched
 * when raw is not x's private store (another store: leave it). RP_EFORMAT
 * for an entry ID that does not decode. */
int feature_store_eid_switch(const profile_exchange *x, const feature_target *t,
			     const uint8_t *raw, size_t len, rp_buf *out, bool *changed);

/* s with every ASCII-case-insensitive occurrence of from replaced by to
 * (malloc'd; NULL for memory). from NULL or "": a copy. */
char *feature_replace_ci(const char *s, const char *from, const char *to);

/* Replaces the "switch: " prefix of the reasons of edits [from, out->n) by
 * "<name>: ". RP_ENOMEM. */
int feature_retag(plan *out, size_t from, const char *name);

/* The file-side parts need the user's folder: RP_OK when it is not named
 * (the caller skips with a warning) or exists; RP_ENOTFOUND with "the
 * user's folder '<dir>' does not exist" when it is named but missing (a
 * --user-dir typo, a hive moved away from its folder): the feature fails. */
int feature_folders_check(const feature_folders *f);

#endif
