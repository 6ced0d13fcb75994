/* run_features.h - the guide's features in one profile's update: which run
 * (Features= / Skip= / Remove=), what a failure does (Critical=), one log
 * line per feature and one row per feature in the feature report
 * (docs/features.md).
 *
 * Semantics (admin guide, CPUU Parameters and "What the Utility Updates"):
 * a feature in Features= (or not in Skip=) is processed; any other is
 * skipped, which plans the guide's "When skipped" edits; Remove=Nicks
 * removes the nicknames. A critical feature that fails, or that is
 * selected but cannot be processed by this version (needs mailbox
 * access), leaves the profile untouched (PROFILE_MODIFYING_FAILED). A
 * feature that is not critical and fails is a warning: its edits are
 * dropped and the switch goes on. */
#ifndef RUN_FEATURES_H
#define RUN_FEATURES_H

#include "features/features.h"
#include "run/run_modes.h"

typedef struct run_feature_row {
	const feature_def *def;
	feature_mode mode;
	bool critical;
	feature_result res;
} run_feature_row;

typedef struct run_features {
	run_feature_row *v;
	size_t n;
	const run_feature_row *abort_row; /* the critical failure, or NULL */
} run_features;

/* Plans every feature for profile p (primary Exchange account ex, target t)
 * after the switch's edits into out, logging one line per feature. On a
 * critical failure out is untouched, fr->abort_row is set and the reason is
 * logged as an Error naming the feature. Returns RP_OK, or RP_ENOMEM. */
int run_features_plan(run_ctx *c, const char *name, reg_store *s, const profile *p,
		      int ex, const feature_target *t, const feature_opts *fo,
		      run_features *fr, plan *out);

/* Writes fr's rows to the feature report with the profile's final status. */
void run_features_report(run_ctx *c, const char *name, const run_features *fr,
			 int status);
void run_features_free(run_features *fr);

#endif
