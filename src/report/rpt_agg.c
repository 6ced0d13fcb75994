/* The fleet report's reader and running totals (rpt_agg.h). Each record is
 * parsed with jansson (docs/decisions.md), checked whole, then folded into
 * the tables of rpt_agg_int.h and dropped. */
#include "rpt_agg_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <jansson.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *const rpt_phase_names[RPT_PH_COUNT] = {"autodiscover", "directory", "mailbox",
						   "registry", "other"};

/* Errors and causes are for reading, not archiving: a longer text is cut. */
#define RPT_MAX_TEXT 400

rpt_class rpt_status_class(int status)
{
	switch (status) {
	case PROFILE_ALREADY_UPDATED:
	case PROFILE_MODIFYING_OK:
	case PROFILE_CLEANUP_OK:
	case PROFILE_CLEANUP_CANCELED:
		return RPT_SWITCHED;
	case PROFILE_RESTORE_OK:
		return RPT_ROLLED_BACK;
	case PROFILE_BACKUP_NOT_FOUND:
	case PROFILE_NOT_RESOLVED:
	case PROFILE_FAILED_TO_CREATE_BACKUP:
	case PROFILE_MODIFYING_FAILED:
	case PROFILE_RESTORE_FAILED:
	case PROFILE_CLEANUP_FAILED:
	case PROFILE_IS_UNABLE_OPEN_DEFSTORE:
	case PROFILE_IS_UNABLE_OPEN_MAILBOX_STORE:
	case PROFILE_HAS_UNSUPPORTED_AUTHENTICATION:
	case PROFILE_IS_OFFLINE_AND_RC:
	case PROFILE_NOT_FREESPACE_FOR_BACKUPOST:
	case PROFILE_MORE_THAN_ONE_ACCOUNT_IS_ALLOWED_TO_SWITCH:
		return RPT_FAILED;
	default:
		return RPT_PENDING;
	}
}

const char *rpt_class_name(rpt_class c)
{
	static const char *const n[RPT_CLASS_COUNT] = {"pending", "switched", "failed",
						       "rolled_back"};
	return (unsigned)c < RPT_CLASS_COUNT ? n[c] : "?";
}

const char *rpt_cause_name(rpt_cause c)
{
	static const char *const n[RPT_CAUSE_COUNT] = {
	    "autodiscover", "credentials", "network", "directory", "mailbox", "other"};
	return (unsigned)c < RPT_CAUSE_COUNT ? n[c] : "?";
}

/* Keywords of the guide's troubleshooting table and of reprofile's own
 * Error lines, lower case, in the order they are tried. */
static const struct {
	rpt_cause cause;
	const char *words[12];
} cause_words[] = {
    {RPT_CAUSE_CREDENTIALS,
     {"401", "unauthorized", "credential", "password", "authentication",
      "access is denied", "logon failure", "sign-in", "token", NULL}},
    {RPT_CAUSE_NETWORK,
     {"could not be resolved", "resolve host", "connection", "could not connect",
      "couldn't connect", "cannot connect", "timed out", "timeout", "network", "tls",
      "certificate", NULL}},
    {RPT_CAUSE_AUTODISCOVER, {"autodiscover", NULL}},
    /* not "recipient": every legacyExchangeDN has cn=Recipients */
    {RPT_CAUSE_DIRECTORY,
     {"directory", "ldap", "address book", "nspi", "global catalog", NULL}},
    {RPT_CAUSE_MAILBOX, {"mailbox", "mapi", "message store", "emsmdb", "logon", NULL}},
};

rpt_cause rpt_classify(int status, const char *const *texts, size_t n)
{
	char low[RPT_MAX_TEXT + 1];
	size_t i, k, w;
	for (k = 0; k < sizeof(cause_words) / sizeof(cause_words[0]); k++)
		for (i = 0; i < n; i++) {
			size_t j;
			if (!texts[i])
				continue;
			for (j = 0; texts[i][j] && j < RPT_MAX_TEXT; j++)
				low[j] = (char)tolower((unsigned char)texts[i][j]);
			low[j] = '\0';
			for (w = 0; cause_words[k].words[w]; w++)
				if (strstr(low, cause_words[k].words[w]))
					return cause_words[k].cause;
		}
	/* No telling line: the status says what it can. */
	switch (status) {
	case PROFILE_HAS_UNSUPPORTED_AUTHENTICATION:
		return RPT_CAUSE_CREDENTIALS;
	case PROFILE_IS_UNABLE_OPEN_DEFSTORE:
	case PROFILE_IS_UNABLE_OPEN_MAILBOX_STORE:
		return RPT_CAUSE_MAILBOX;
	case PROFILE_NOT_RESOLVED:
		return RPT_CAUSE_AUTODISCOVER;
	default:
		return RPT_CAUSE_OTHER;
	}
}

/* Days since 1970 of a civil date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char *s, size_t n, unsigned *out)
{
	size_t i;
	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

bool rpt_parse_time(const char *s, int64_t *out)
{
	unsigned y, mo, d, h = 0, mi = 0, se = 0;
	size_t n = s ? strlen(s) : 0;
	if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	if (n > 10) {
		if (n != 20 || (s[10] != 'T' && s[10] != ' ') || !digits(s + 11, 2, &h) ||
		    s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
		    !digits(s + 17, 2, &se) || s[19] != 'Z' || h > 23 || mi > 59 ||
		    se > 60)
			return false;
	}
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return true;
}

void rpt_day_str(int64_t day, char out[11])
{
	/* civil_from_days (H. Hinnant) */
	int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 0) /* before year 0: not a run's time; shown as 0000 */
		y = 0;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y % 10000), m % 100, d % 100);
}

void rpt_time_str(int64_t t, char out[21])
{
	int64_t day = (t >= 0 ? t : t - 86399) / 86400;
	unsigned s = (unsigned)(t - day * 86400);
	rpt_day_str(day, out);
	snprintf(out + 10, 11, "T%02u:%02u:%02uZ", s / 3600 % 24, s / 60 % 60, s % 60);
}

rpt_agg *rpt_agg_new(int64_t since)
{
	rpt_agg *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->since = since;
	a->first = INT64_MAX;
	a->last = INT64_MIN;
	return a;
}

void rpt_agg_free(rpt_agg *a)
{
	size_t i, k;
	if (!a)
		return;
	for (i = 0; i < a->capprof; i++)
		if (a->prof[i]) {
			free(a->prof[i]->key);
			free(a->prof[i]->error);
			free(a->prof[i]->file);
			free(a->prof[i]->target);
			free(a->prof[i]);
		}
	free(a->prof);
	for (i = 0; i < a->caphost; i++)
		if (a->host[i]) {
			free(a->host[i]->name);
			free(a->host[i]);
		}
	free(a->host);
	for (i = 0; i < a->capusers; i++)
		free(a->users[i]);
	free(a->users);
	free(a->day);
	for (i = 0; i < a->nfeat; i++) {
		free(a->feat[i].name);
		for (k = 0; k < RPT_MAX_FSTATUS; k++)
			free(a->feat[i].status[k]);
	}
	for (i = 0; i < a->nslow; i++) {
		free(a->slow[i].host);
		free(a->slow[i].user);
		free(a->slow[i].file);
		free(a->slow[i].mode);
	}
	for (i = 0; i < a->nskip; i++) {
		free(a->skip[i].path);
		free(a->skip[i].reason);
	}
	free(a->skip);
	free(a);
}

/* ---- hash tables: open addressing, FNV-1a, load kept under 1/2 ---- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* The slot of key in a table of pointers whose first member is the key
 * string (keyof gives it): an empty slot when absent. */
typedef const char *(*keyof_fn)(const void *e);
static size_t slot_of(void **tab, size_t cap, const char *key, keyof_fn keyof)
{
	size_t i = (size_t)hash_str(key) & (cap - 1);
	while (tab[i] && strcmp(keyof(tab[i]), key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static int grow(void ***tab, size_t *cap, size_t n, keyof_fn keyof)
{
	size_t ncap = *cap ? *cap * 2 : 64, i;
	void **nt;
	if (n * 2 < *cap)
		return RP_OK;
	nt = calloc(ncap, sizeof(*nt));
	if (!nt)
		return rp_error_set(RP_ENOMEM, "out of memory (report tables)");
	for (i = 0; i < *cap; i++)
		if ((*tab)[i])
			nt[slot_of(nt, ncap, keyof((*tab)[i]), keyof)] = (*tab)[i];
	free(*tab);
	*tab = nt;
	*cap = ncap;
	return RP_OK;
}

static const char *prof_key(const void *e)
{
	return ((const struct rpt_prof *)e)->key;
}
static const char *host_key(const void *e)
{
	return ((const struct rpt_host *)e)->name;
}
static const char *str_key(const void *e)
{
	return (const char *)e;
}

static struct rpt_host *host_get(rpt_agg *a, const char *name)
{
	size_t i;
	struct rpt_host *h;
	if (grow((void ***)&a->host, &a->caphost, a->nhost + 1, host_key) != RP_OK)
		return NULL;
	i = slot_of((void **)a->host, a->caphost, name, host_key);
	if (a->host[i])
		return a->host[i];
	h = calloc(1, sizeof(*h));
	if (!h || !(h->name = rp_strdup(name))) {
		free(h);
		rp_error_set(RP_ENOMEM, "out of memory (report tables)");
		return NULL;
	}
	h->last = INT64_MIN;
	a->host[i] = h;
	a->nhost++;
	return h;
}

static int user_add(rpt_agg *a, const char *key)
{
	size_t i;
	if (grow((void ***)&a->users, &a->capusers, a->nusers + 1, str_key) != RP_OK)
		return RP_ENOMEM;
	i = slot_of((void **)a->users, a->capusers, key, str_key);
	if (a->users[i])
		return RP_OK;
	if (!(a->users[i] = rp_strdup(key)))
		return rp_error_set(RP_ENOMEM, "out of memory (report tables)");
	a->nusers++;
	return RP_OK;
}

static struct rpt_prof *prof_get(rpt_agg *a, const char *host, const char *user,
				 const char *name)
{
	size_t i, lh = strlen(host), lu = strlen(user), len;
	struct rpt_prof *p;
	/* one allocation: "host\x1fuser\x1fname" (the key), then the three
	 * parts NUL-separated */
	char *key = rp_asprintf("%s\x1f%s\x1f%s%c%s%c%s%c%s", host, user, name, 0, host,
				0, user, 0, name);
	if (!key ||
	    grow((void ***)&a->prof, &a->capprof, a->nprof + 1, prof_key) != RP_OK) {
		free(key);
		rp_error_set(RP_ENOMEM, "out of memory (report tables)");
		return NULL;
	}
	i = slot_of((void **)a->prof, a->capprof, key, prof_key);
	if (a->prof[i]) {
		free(key);
		return a->prof[i];
	}
	if (!(p = calloc(1, sizeof(*p)))) {
		free(key);
		rp_error_set(RP_ENOMEM, "out of memory (report tables)");
		return NULL;
	}
	len = strlen(key);
	p->key = key;
	p->host = key + len + 1;
	p->user = p->host + lh + 1;
	p->name = p->user + lu + 1;
	p->time = INT64_MIN;
	a->prof[i] = p;
	a->nprof++;
	return p;
}

static struct rpt_day *day_get(rpt_agg *a, int64_t day)
{
	size_t lo = 0, hi = a->nday;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->day[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < a->nday && a->day[lo].day == day)
		return &a->day[lo];
	if (a->nday == a->capday) {
		size_t nc = a->capday ? a->capday * 2 : 32;
		struct rpt_day *nd = realloc(a->day, nc * sizeof(*nd));
		if (!nd) {
			rp_error_set(RP_ENOMEM, "out of memory (report tables)");
			return NULL;
		}
		a->day = nd;
		a->capday = nc;
	}
	memmove(&a->day[lo + 1], &a->day[lo], (a->nday - lo) * sizeof(*a->day));
	memset(&a->day[lo], 0, sizeof(*a->day));
	a->day[lo].day = day;
	a->nday++;
	return &a->day[lo];
}

int rpt_agg_expect(rpt_agg *a, const char *host)
{
	struct rpt_host *h = host_get(a, host);
	if (!h)
		return RP_ENOMEM;
	h->expected = true;
	return RP_OK;
}

int rpt_agg_skip(rpt_agg *a, const char *path, const char *reason)
{
	struct rpt_skip *ns;
	a->skipped++;
	if (a->nskip >= RPT_MAX_SKIPPED_LISTED)
		return RP_OK;
	ns = realloc(a->skip, (a->nskip + 1) * sizeof(*ns));
	if (!ns)
		return rp_error_set(RP_ENOMEM, "out of memory (report tables)");
	a->skip = ns;
	ns[a->nskip].path = rp_strdup(path);
	ns[a->nskip].reason = rp_strdup(reason);
	if (!ns[a->nskip].path || !ns[a->nskip].reason) {
		free(ns[a->nskip].path);
		free(ns[a->nskip].reason);
		return rp_error_set(RP_ENOMEM, "out of memory (report tables)");
	}
	a->nskip++;
	return RP_OK;
}

/* ---- one record ---- */

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool jint(json_t *o, const char *k, int64_t *out)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_integer(v))
		return false;
	*out = (int64_t)json_integer_value(v);
	return true;
}

/* A record is checked whole before it counts: what a report shows comes
 * from complete records only. Returns NULL or what is wrong. */
static const char *check_record(json_t *d, int64_t *t)
{
	json_t *ps, *p;
	size_t i;
	int64_t v;
	if (!json_is_object(d))
		return "not a run record (the document is not an object)";
	if (!jstr(d, "host") || !jstr(d, "user") || !jstr(d, "mode"))
		return "not a run record (no host, user or mode)";
	if (!jstr(d, "time") || !rpt_parse_time(jstr(d, "time"), t))
		return "bad \"time\" (not YYYY-MM-DDTHH:MM:SSZ)";
	if (!jint(d, "exit_code", &v) || !jint(d, "duration_ms", &v) || v < 0)
		return "bad \"exit_code\" or \"duration_ms\"";
	ps = json_object_get(d, "profiles");
	if (!json_is_array(ps))
		return "bad \"profiles\" (not an array)";
	json_array_foreach(ps, i, p)
	{
		if (!json_is_object(p) || !jstr(p, "name") || !jint(p, "status", &v))
			return "bad profile (no name or status)";
		if (json_object_get(p, "features") &&
		    !json_is_array(json_object_get(p, "features")))
			return "bad profile \"features\" (not an array)";
	}
	return NULL;
}

/* The Error lines (else Warning lines) of a profile, then of the run. */
static size_t texts_of(json_t *msgs, const char *level, const char **out, size_t max)
{
	size_t i, n = 0;
	json_t *m;
	if (!json_is_array(msgs))
		return 0;
	json_array_foreach(msgs, i, m)
	{
		const char *l = jstr(m, "level"), *t = jstr(m, "text");
		if (n < max && l && t && strcmp(l, level) == 0)
			out[n++] = t;
	}
	return n;
}

static void slow_insert(rpt_agg *a, const struct rpt_run *r)
{
	size_t i = a->nslow;
	if (a->nslow == RPT_SLOWEST) {
		if (r->ms <= a->slow[RPT_SLOWEST - 1].ms) {
			free(r->host);
			free(r->user);
			free(r->file);
			free(r->mode);
			return;
		}
		i = RPT_SLOWEST - 1;
		free(a->slow[i].host);
		free(a->slow[i].user);
		free(a->slow[i].file);
		free(a->slow[i].mode);
	} else
		a->nslow++;
	while (i > 0 && a->slow[i - 1].ms < r->ms) {
		a->slow[i] = a->slow[i - 1];
		i--;
	}
	a->slow[i] = *r;
}

static int feat_add(rpt_agg *a, const char *name, const char *status)
{
	size_t i, k;
	struct rpt_feat *f = NULL;
	for (i = 0; i < a->nfeat; i++)
		if (strcmp(a->feat[i].name, name) == 0)
			f = &a->feat[i];
	if (!f) {
		if (a->nfeat == RPT_MAX_FEATURES) {
			a->feat_other++;
			return RP_OK;
		}
		f = &a->feat[a->nfeat];
		if (!(f->name = rp_strdup(name)))
			return rp_error_set(RP_ENOMEM, "out of memory (report tables)");
		a->nfeat++;
	}
	for (k = 0; k < RPT_MAX_FSTATUS && f->status[k]; k++)
		if (strcmp(f->status[k], status) == 0)
			break;
	if (k == RPT_MAX_FSTATUS) {
		f->other++;
		return RP_OK;
	}
	if (!f->status[k] && !(f->status[k] = rp_strdup(status)))
		return rp_error_set(RP_ENOMEM, "out of memory (report tables)");
	f->count[k]++;
	return RP_OK;
}

static int set_str(char **dst, const char *s)
{
	char *n = NULL;
	if (s && !(n = rp_strndup(s, strnlen(s, RPT_MAX_TEXT))))
		return rp_error_set(RP_ENOMEM, "out of memory (report tables)");
	free(*dst);
	*dst = n;
	return RP_OK;
}

static int add_profile(rpt_agg *a, json_t *d, json_t *p, int64_t t, const char *path,
		       struct rpt_day *day, struct rpt_run *run)
{
	const char *host = jstr(d, "host"), *user = jstr(d, "user"),
		   *mode = jstr(d, "mode");
	const char *texts[16], *err;
	size_t nt, i;
	int64_t status = -1, ms = 0, v;
	rpt_class c;
	rpt_cause cause = RPT_CAUSE_OTHER;
	struct rpt_prof *st;
	json_t *tm, *f;
	uint64_t attributed = 0;

	jint(p, "status", &status);
	c = rpt_status_class((int)status);
	a->results++;
	a->by_status[status >= 0 && status < CFG_STATUS_COUNT ? status
							      : CFG_STATUS_COUNT]++;
	day->by_class[c]++;
	if (status == PROFILE_MODIFYING_OK)
		day->switches++;

	/* the last error: the profile's last Error line, else the run's, else
	 * its last Warning */
	nt = texts_of(json_object_get(p, "messages"), "Error", texts, 16);
	if (nt == 0)
		nt = texts_of(json_object_get(d, "messages"), "Error", texts, 16);
	if (nt == 0)
		nt = texts_of(json_object_get(p, "messages"), "Warning", texts, 16);
	err = nt ? texts[nt - 1] : NULL;
	if (c == RPT_FAILED) {
		/* the cause: the TraceW lines (the root cause, in the guide's
		 * troubleshooting table) before the Error and Warning lines */
		const char *why[48];
		size_t nw = texts_of(json_object_get(p, "messages"), "TraceW", why, 16);
		nw += texts_of(json_object_get(p, "messages"), "Error", why + nw, 16);
		nw += texts_of(json_object_get(p, "messages"), "Warning", why + nw, 16);
		if (nw == 0)
			nw = texts_of(json_object_get(d, "messages"), "Error", why, 16);
		cause = rpt_classify((int)status, why, nw);
		a->fail_cause[cause]++;
		a->fail_status[status >= 0 && status < CFG_STATUS_COUNT
				   ? status
				   : CFG_STATUS_COUNT]++;
	}

	/* where the time went: the optional timings, the rest is "other" */
	if (jint(p, "duration_ms", &v) && v > 0)
		ms = v;
	tm = json_object_get(p, "timings");
	for (i = 0; i < RPT_PH_OTHER; i++) {
		char k[32];
		snprintf(k, sizeof(k), "%s_ms", rpt_phase_names[i]);
		if (json_is_object(tm) && jint(tm, k, &v) && v > 0) {
			run->phase[i] += (uint64_t)v;
			a->phase_total[i] += (uint64_t)v;
			attributed += (uint64_t)v;
		}
	}
	if ((uint64_t)ms > attributed) {
		run->phase[RPT_PH_OTHER] += (uint64_t)ms - attributed;
		a->phase_total[RPT_PH_OTHER] += (uint64_t)ms - attributed;
	}

	json_array_foreach(json_object_get(p, "features"), i, f)
	{
		const char *fn = jstr(f, "feature"), *fs = jstr(f, "status");
		if (fn && fs && feat_add(a, fn, fs) != RP_OK)
			return RP_ENOMEM;
	}

	if (!(st = prof_get(a, host, user, jstr(p, "name"))))
		return RP_ENOMEM;
	st->attempts++;
	if (c == RPT_FAILED)
		st->failures++;
	if (t >= st->time) { /* the newest run says where the profile is */
		st->time = t;
		st->status = (int)status;
		st->cause = cause;
		snprintf(st->mode, sizeof(st->mode), "%s", mode);
		if (set_str(&st->error, c == RPT_SWITCHED ? NULL : err) != RP_OK ||
		    set_str(&st->file, path) != RP_OK ||
		    set_str(&st->target, jstr(p, "target")) != RP_OK)
			return RP_ENOMEM;
	}
	return RP_OK;
}

static int add_doc(rpt_agg *a, const char *path, json_t *d, int64_t t)
{
	const char *host = jstr(d, "host"), *user = jstr(d, "user"),
		   *mode = jstr(d, "mode");
	struct rpt_host *h;
	struct rpt_day *day;
	struct rpt_run run;
	json_t *p;
	size_t i;
	int64_t code = 0, ms = 0;
	uint64_t spent;
	char *ukey;
	int rc;

	if (!(h = host_get(a, host)))
		return RP_ENOMEM;
	h->seen = true;
	h->runs++;
	if (t > h->last)
		h->last = t;
	if (!(ukey = rp_asprintf("%s\x1f%s", host, user)))
		return rp_error_set(RP_ENOMEM, "out of memory (report tables)");
	rc = user_add(a, ukey);
	free(ukey);
	if (rc != RP_OK)
		return rc;
	if (!(day = day_get(a, (t >= 0 ? t : t - 86399) / 86400)))
		return RP_ENOMEM;
	day->runs++;
	a->records++;
	if (t < a->first)
		a->first = t;
	if (t > a->last)
		a->last = t;
	a->modes[strcmp(mode, "update") == 0     ? 0
		 : strcmp(mode, "rollback") == 0 ? 1
		 : strcmp(mode, "cleanup") == 0  ? 2
						 : 3]++;
	jint(d, "exit_code", &code);
	jint(d, "duration_ms", &ms);
	/* an error bit; 0 (nothing to do: already updated) and 2 (no switch
	 * message: a mailbox not migrated yet) are not failures */
	if (code < 0 || (code & ~(int64_t)(CPUU_SUCCESS | CPUU_NO_SWITCH_MSG)) != 0)
		a->runs_failed++;

	memset(&run, 0, sizeof(run));
	run.ms = (uint64_t)ms;
	run.time = t;
	run.exit_code = (int)code;
	json_array_foreach(json_object_get(d, "profiles"), i, p)
	{
		if ((rc = add_profile(a, d, p, t, path, day, &run)) != RP_OK)
			return rc;
		run.profiles++;
	}
	/* the run's time outside its profiles (start, INI, log) is "other" too;
	 * a run is never shorter than its profiles (a record edited by hand) */
	for (i = 0, spent = 0; i < RPT_PH_COUNT; i++)
		spent += run.phase[i];
	if (spent > run.ms)
		run.ms = spent;
	if (run.ms > spent) {
		run.phase[RPT_PH_OTHER] += run.ms - spent;
		a->phase_total[RPT_PH_OTHER] += run.ms - spent;
	}
	if (a->nslow < RPT_SLOWEST || run.ms > a->slow[RPT_SLOWEST - 1].ms) {
		run.host = rp_strdup(host);
		run.user = rp_strdup(user);
		run.file = rp_strdup(path);
		run.mode = rp_strdup(mode);
		if (!run.host || !run.user || !run.file || !run.mode) {
			free(run.host);
			free(run.user);
			free(run.file);
			free(run.mode);
			return rp_error_set(RP_ENOMEM, "out of memory (report tables)");
		}
		slow_insert(a, &run);
	}
	return RP_OK;
}

int rpt_agg_add_record(rpt_agg *a, const char *path, const char *data, size_t n)
{
	json_error_t je;
	json_t *d, *sv;
	const char *bad;
	int64_t t = 0;
	int rc = RP_OK;
	char why[300];

	a->files++;
	d = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je);
	if (!d) {
		snprintf(why, sizeof(why), "not valid JSON (line %d, column %d: %s)",
			 je.line, je.column, je.text);
		return rpt_agg_skip(a, path, why);
	}
	sv = json_is_object(d) ? json_object_get(d, "schema") : NULL;
	if (!json_is_integer(sv)) {
		json_decref(d);
		return rpt_agg_skip(a, path, "not a run record (no \"schema\" number)");
	}
	if (json_integer_value(sv) != 1) {
		snprintf(why, sizeof(why),
			 "schema version %lld (this reader knows version 1)",
			 (long long)json_integer_value(sv));
		json_decref(d);
		return rpt_agg_skip(a, path, why);
	}
	if ((bad = check_record(d, &t)) != NULL) {
		rc = rpt_agg_skip(a, path, bad);
	} else if (t < a->since) {
		a->before_since++;
	} else {
		rc = add_doc(a, path, d, t);
	}
	json_decref(d);
	return rc;
}

bool rpt_agg_skipped(const rpt_agg *a, size_t i, const char **path, const char **reason)
{
	if (i >= a->nskip)
		return false;
	*path = a->skip[i].path;
	*reason = a->skip[i].reason;
	return true;
}

void rpt_agg_totals(const rpt_agg *a, rpt_totals *t)
{
	size_t i;
	memset(t, 0, sizeof(*t));
	t->files = a->files;
	t->records = a->records;
	t->skipped = a->skipped;
	t->before_since = a->before_since;
	t->runs_failed = a->runs_failed;
	t->users = a->nusers;
	t->profiles = a->nprof;
	for (i = 0; i < a->caphost; i++) {
		const struct rpt_host *h = a->host[i];
		if (!h)
			continue;
		if (h->seen)
			t->machines++;
		else if (h->expected)
			t->never_reported++;
	}
	for (i = 0; i < a->capprof; i++)
		if (a->prof[i])
			t->by_class[rpt_status_class(a->prof[i]->status)]++;
}

/* ---- sorted views for the writers ---- */

static int prof_cmp(const void *x, const void *y)
{
	const struct rpt_prof *a = *(const struct rpt_prof *const *)x;
	const struct rpt_prof *b = *(const struct rpt_prof *const *)y;
	int r;
	if ((r = strcmp(a->host, b->host)) != 0)
		return r;
	if ((r = strcmp(a->user, b->user)) != 0)
		return r;
	return strcmp(a->name, b->name);
}

struct rpt_prof **rpt_sorted_profiles(const rpt_agg *a, size_t *n)
{
	struct rpt_prof **v = malloc((a->nprof ? a->nprof : 1) * sizeof(*v));
	size_t i, k = 0;
	if (!v)
		return NULL;
	for (i = 0; i < a->capprof; i++)
		if (a->prof[i])
			v[k++] = a->prof[i];
	qsort(v, k, sizeof(*v), prof_cmp);
	*n = k;
	return v;
}

static int host_cmp(const void *x, const void *y)
{
	return strcmp((*(const struct rpt_host *const *)x)->name,
		      (*(const struct rpt_host *const *)y)->name);
}

struct rpt_host **rpt_sorted_hosts(const rpt_agg *a, size_t *n)
{
	struct rpt_host **v = malloc((a->nhost ? a->nhost : 1) * sizeof(*v));
	size_t i, k = 0;
	if (!v)
		return NULL;
	for (i = 0; i < a->caphost; i++)
		if (a->host[i])
			v[k++] = a->host[i];
	qsort(v, k, sizeof(*v), host_cmp);
	*n = k;
	return v;
}
