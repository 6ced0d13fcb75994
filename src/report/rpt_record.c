/* The run record (rpt_record.h): facts collected during the run, written
 * once at its end with rp_json. */
#include "rpt_record.h"

#include "base/rp_err.h"
#include "base/rp_json.h"
#include "base/rp_str.h"
#include "config/cfg_codes.h"
#include "platform/plat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct msg {
	char *level, *text;
	size_t owner; /* 1 + index of the profile, 0 = the run */
};

struct feat {
	char *feature, *mode, *status, *message;
	bool critical;
	unsigned found, changed, kept, removed;
};

struct prof {
	char *name, *outlook, *source, *target;
	int status, previous;
	bool has_status;
	uint64_t ms;
	bool has_ms;
	uint64_t t[RPT_T_COUNT];
	bool has_t[RPT_T_COUNT];
	struct feat *f;
	size_t nf;
};

struct rpt_record {
	char *host, *user, *time, *version, *mode;
	uint64_t start_ms;
	struct msg *m;
	size_t nm;
	struct prof *p;
	size_t np;
	bool oom; /* something was dropped: the record says so */
};

uint64_t rpt_clock_ms(void)
{
	return plat_clock_ms();
}

rpt_record *rpt_record_new(const char *host, const char *user, const char *time_iso,
			   const char *version, const char *mode)
{
	rpt_record *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->host = rp_strdup(host ? host : "");
	r->user = rp_strdup(user ? user : "");
	r->time = rp_strdup(time_iso ? time_iso : "");
	r->version = rp_strdup(version ? version : "");
	r->mode = rp_strdup(mode ? mode : "");
	r->start_ms = rpt_clock_ms();
	if (!r->host || !r->user || !r->time || !r->version || !r->mode) {
		rpt_record_free(r);
		return NULL;
	}
	return r;
}

void rpt_record_free(rpt_record *r)
{
	size_t i, k;
	if (!r)
		return;
	for (i = 0; i < r->nm; i++) {
		free(r->m[i].level);
		free(r->m[i].text);
	}
	free(r->m);
	for (i = 0; i < r->np; i++) {
		struct prof *p = &r->p[i];
		for (k = 0; k < p->nf; k++) {
			free(p->f[k].feature);
			free(p->f[k].mode);
			free(p->f[k].status);
			free(p->f[k].message);
		}
		free(p->f);
		free(p->name);
		free(p->outlook);
		free(p->source);
		free(p->target);
	}
	free(r->p);
	free(r->host);
	free(r->user);
	free(r->time);
	free(r->version);
	free(r->mode);
	free(r);
}

/* Grows *v (n elements of size sz) by one zeroed element; NULL on failure. */
static void *grow(void *vp, size_t *n, size_t sz)
{
	void **v = vp;
	char *nv = realloc(*v, (*n + 1) * sz);
	if (!nv)
		return NULL;
	*v = nv;
	memset(nv + *n * sz, 0, sz);
	return nv + (*n)++ * sz;
}

/* The profile "<prefix>\<name>" (created on first use), NULL on failure. */
static struct prof *prof_of(rpt_record *r, const char *prefix, const char *name)
{
	char *full = prefix ? rp_asprintf("%s\\%s", prefix, name ? name : "")
			    : rp_strdup(name ? name : "");
	struct prof *p = NULL;
	size_t i;
	if (!full) {
		r->oom = true;
		return NULL;
	}
	for (i = 0; i < r->np; i++)
		if (strcmp(r->p[i].name, full) == 0) {
			free(full);
			return &r->p[i];
		}
	if (!(p = grow(&r->p, &r->np, sizeof(*p)))) {
		r->oom = true;
		free(full);
		return NULL;
	}
	p->name = full;
	return p;
}

void rpt_record_message(rpt_record *r, const char *level, const char *text)
{
	struct msg *m;
	/* TraceW lines carry the cause (the troubleshooting table matches on
	 * them: "could not be resolved", "401 (Unauthorized)"), which the
	 * fleet report sorts failures by */
	if (!r || !level || !text ||
	    (strcmp(level, "Warning") != 0 && strcmp(level, "Error") != 0 &&
	     strcmp(level, "TraceW") != 0))
		return;
	if (!(m = grow(&r->m, &r->nm, sizeof(*m)))) {
		r->oom = true;
		return;
	}
	m->level = rp_strdup(level);
	m->text = rp_strdup(text);
	if (!m->level || !m->text)
		r->oom = true;
}

void rpt_record_profile(rpt_record *r, const char *prefix, const char *name, int status,
			int previous)
{
	struct prof *p = r ? prof_of(r, prefix, name) : NULL;
	if (!p)
		return;
	p->status = status;
	p->previous = previous;
	p->has_status = true;
}

static void set_str(rpt_record *r, char **dst, const char *s)
{
	free(*dst);
	*dst = s ? rp_strdup(s) : NULL;
	if (s && !*dst)
		r->oom = true;
}

void rpt_record_addresses(rpt_record *r, const char *prefix, const char *name,
			  const char *source, const char *target)
{
	struct prof *p = r ? prof_of(r, prefix, name) : NULL;
	if (!p)
		return;
	set_str(r, &p->source, source);
	set_str(r, &p->target, target);
}

void rpt_record_feature(rpt_record *r, const char *prefix, const char *name,
			const rpt_feature *f)
{
	struct prof *p = r ? prof_of(r, prefix, name) : NULL;
	struct feat *x;
	if (!p || !f)
		return;
	if (!(x = grow(&p->f, &p->nf, sizeof(*x)))) {
		r->oom = true;
		return;
	}
	set_str(r, &x->feature, f->feature);
	set_str(r, &x->mode, f->mode);
	set_str(r, &x->status, f->status);
	set_str(r, &x->message, f->message);
	x->critical = f->critical;
	x->found = f->found;
	x->changed = f->changed;
	x->kept = f->kept;
	x->removed = f->removed;
}

size_t rpt_record_mark(const rpt_record *r)
{
	return r ? r->nm : 0;
}

void rpt_record_profile_done(rpt_record *r, const char *prefix, const char *name,
			     const char *outlook, uint64_t ms, size_t mark)
{
	struct prof *p = r ? prof_of(r, prefix, name) : NULL;
	size_t i;
	if (!p)
		return;
	set_str(r, &p->outlook, outlook);
	p->ms = ms;
	p->has_ms = true;
	for (i = mark; i < r->nm; i++)
		if (!r->m[i].owner)
			r->m[i].owner = (size_t)(p - r->p) + 1;
}

void rpt_record_time(rpt_record *r, const char *prefix, const char *name, rpt_phase ph,
		     uint64_t ms)
{
	struct prof *p;
	if (!r || (unsigned)ph >= RPT_T_COUNT || !(p = prof_of(r, prefix, name)))
		return;
	p->t[ph] += ms;
	p->has_t[ph] = true;
}

/* The messages of owner (1 + profile index, 0 = the run). */
static void write_messages(rp_json *j, const rpt_record *r, size_t owner)
{
	size_t i;
	rp_json_key(j, "messages");
	rp_json_arr_begin(j);
	for (i = 0; i < r->nm; i++) {
		if (r->m[i].owner != owner)
			continue;
		rp_json_obj_begin(j);
		rp_json_kstr(j, "level", r->m[i].level);
		rp_json_kstr(j, "text", r->m[i].text);
		rp_json_obj_end(j);
	}
	rp_json_arr_end(j);
}

static void write_status(rp_json *j, const char *key, int status)
{
	char k[40];
	rp_json_kint(j, key, status);
	snprintf(k, sizeof(k), "%s_name", key);
	rp_json_kstr(j, k, cfg_status_name(status));
}

static void write_profile(rp_json *j, const rpt_record *r, const struct prof *p)
{
	size_t k;
	rp_json_obj_begin(j);
	rp_json_kstr(j, "name", p->name);
	rp_json_kstr(j, "outlook", p->outlook);
	if (p->has_status) {
		write_status(j, "status", p->status);
		write_status(j, "previous", p->previous);
	}
	rp_json_kstr(j, "source", p->source);
	rp_json_kstr(j, "target", p->target);
	if (p->has_ms)
		rp_json_kuint(j, "duration_ms", p->ms);
	for (k = 0; k < RPT_T_COUNT && !p->has_t[k]; k++)
		;
	if (k < RPT_T_COUNT) { /* only the phases the profile went through */
		static const char *const tn[RPT_T_COUNT] = {
		    "autodiscover_ms", "directory_ms", "mailbox_ms", "registry_ms"};
		rp_json_key(j, "timings");
		rp_json_obj_begin(j);
		for (k = 0; k < RPT_T_COUNT; k++)
			if (p->has_t[k])
				rp_json_kuint(j, tn[k], p->t[k]);
		rp_json_obj_end(j);
	}
	rp_json_key(j, "features");
	rp_json_arr_begin(j);
	for (k = 0; k < p->nf; k++) {
		const struct feat *f = &p->f[k];
		rp_json_obj_begin(j);
		rp_json_kstr(j, "feature", f->feature);
		rp_json_kstr(j, "mode", f->mode);
		rp_json_kbool(j, "critical", f->critical);
		rp_json_kstr(j, "status", f->status);
		rp_json_kuint(j, "found", f->found);
		rp_json_kuint(j, "changed", f->changed);
		rp_json_kuint(j, "kept", f->kept);
		rp_json_kuint(j, "removed", f->removed);
		rp_json_kstr(j, "message", f->message);
		rp_json_obj_end(j);
	}
	rp_json_arr_end(j);
	write_messages(j, r, (size_t)(p - r->p) + 1);
	rp_json_obj_end(j);
}

int rpt_record_write(const rpt_record *r, int exit_code, rp_buf *out)
{
	char names[512];
	uint64_t now = rpt_clock_ms();
	rp_json j;
	size_t i;
	if (!r)
		return rp_error_set(RP_EINVAL, "no record");
	rp_json_init(&j, out);
	rp_json_obj_begin(&j);
	rp_json_kint(&j, "schema", RPT_SCHEMA_VERSION);
	rp_json_kstr(&j, "host", r->host);
	rp_json_kstr(&j, "user", r->user);
	rp_json_kstr(&j, "time", r->time);
	rp_json_kstr(&j, "version", r->version);
	rp_json_kstr(&j, "mode", r->mode);
	rp_json_kuint(&j, "duration_ms", now >= r->start_ms ? now - r->start_ms : 0);
	rp_json_kint(&j, "exit_code", exit_code);
	rp_json_kstr(&j, "exit_bits",
		     cfg_exit_code_names(exit_code, names, sizeof(names)));
	rp_json_kbool(&j, "complete", !r->oom);
	rp_json_key(&j, "profiles");
	rp_json_arr_begin(&j);
	for (i = 0; i < r->np; i++)
		write_profile(&j, r, &r->p[i]);
	rp_json_arr_end(&j);
	write_messages(&j, r, 0);
	rp_json_obj_end(&j);
	return rp_json_finish(&j);
}
