/* leadscore.c - score the leads in the database with the rules of
 * lib/analytics/scoring.c: lead fields for the fit, activities for the
 * engagement, results and history written in one transaction. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lead.h"
#include "leadscore.h"
#include "model.h"

/* Activities of the leads in lead_id order, read in step with the leads
 * (one index scan: activities_lead). */
static const char sql_all[] =
    "SELECT lead_id, type, occurred_at FROM activities WHERE lead_id IS "
    "NOT NULL AND occurred_at >= ?1 AND occurred_at <= ?2 ORDER BY lead_id";
/* One lead's own activities (a selection). */
static const char sql_lead[] =
    "SELECT type, occurred_at FROM activities WHERE lead_id = ?3 AND "
    "occurred_at >= ?1 AND occurred_at <= ?2";
/* A converted lead's contact's activities, but those already counted as
 * the lead's. */
static const char sql_contact[] =
    "SELECT type, occurred_at FROM activities WHERE contact_id = ?3 AND "
    "occurred_at >= ?1 AND occurred_at <= ?2 AND (lead_id IS NULL OR "
    "lead_id != ?4)";
static const char sql_update[] =
    "UPDATE leads SET score = ?1, grade = ?2, previous_score = ?3, trend = "
    "?4, scored_at = ?5 WHERE id = ?6";
static const char sql_history[] =
    "INSERT INTO lead_scores (lead_id, at, score, grade, fit_score, "
    "engagement_score, previous_score, previous_grade, trend, actor) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

struct run {
	struct crm_db *db;
	const struct crm_scoring *s;
	struct crm_err *err;
	char from[CRM_TIME_LEN], to[CRM_TIME_LEN];
	bool write;
	/* the ordered scan of every lead's activities, or NULL */
	struct crm_stmt *all;
	bool all_row; /* all is on a row */
	/* the events of the lead at hand: types in an arena */
	struct crm_buf types;
	struct evoff {
		size_t type;
		crm_time at;
	} * ev;
	size_t nev, cap;
	struct crm_scoring_event *events;
	size_t ecap;
	struct crm_score_result fit, eng;
	int (*fn)(const struct crm_leadscore *r, void *arg);
	void *arg;
	uint64_t n;
};

static int add_event(struct run *r, const char *type, const char *at)
{
	crm_time t;
	struct crm_err e;

	if (!type || !at)
		return 0;
	if (crm_datetime_parse(at, &t, &e) < 0)
		return crm_err_set(r->err, CRM_EX_DATAERR,
				   "activity at '%s': %s", at, e.msg);
	r->ev = crm_xgrow(r->ev, &r->cap, r->nev + 1, sizeof(*r->ev));
	r->ev[r->nev].type = r->types.len;
	r->ev[r->nev].at = t;
	r->nev++;
	crm_buf_add(&r->types, type, strlen(type) + 1);
	return 0;
}

/* Collect the events of the statement st (type, occurred_at first). */
static int read_events(struct run *r, struct crm_stmt *st)
{
	int s;

	while ((s = crm_stmt_step(st, r->err)) == 1)
		if (add_event(r, crm_stmt_text(st, 0), crm_stmt_text(st, 1)) <
		    0) {
			crm_stmt_reset(st);
			return -1;
		}
	crm_stmt_reset(st);
	return s < 0 ? -1 : 0;
}

/* Advance the ordered scan to lead id, taking its events. */
static int scan_events(struct run *r, int64_t id)
{
	int s;

	while (r->all_row) {
		int64_t lid = crm_stmt_int(r->all, 0);

		if (lid > id)
			return 0;
		if (lid == id && add_event(r, crm_stmt_text(r->all, 1),
					   crm_stmt_text(r->all, 2)) < 0)
			return -1;
		s = crm_stmt_step(r->all, r->err);
		if (s < 0)
			return -1;
		r->all_row = s == 1;
	}
	return 0;
}

static int lead_events(struct run *r, const struct crm_rec *rec, int64_t id)
{
	const char *contact = crm_rec_get(rec, "contact_id");
	struct crm_stmt *st;

	r->nev = 0;
	crm_buf_reset(&r->types);
	if (r->all) {
		if (scan_events(r, id) < 0)
			return -1;
	} else {
		if (!(st = crm_db_stmt_cached(r->db, sql_lead, r->err)))
			return -1;
		crm_stmt_bind_text(st, 1, r->from);
		crm_stmt_bind_text(st, 2, r->to);
		crm_stmt_bind_int(st, 3, id);
		if (read_events(r, st) < 0)
			return -1;
	}
	if (contact) {
		if (!(st = crm_db_stmt_cached(r->db, sql_contact, r->err)))
			return -1;
		crm_stmt_bind_text(st, 1, r->from);
		crm_stmt_bind_text(st, 2, r->to);
		crm_stmt_bind_int(st, 3, strtoll(contact, NULL, 10));
		crm_stmt_bind_int(st, 4, id);
		if (read_events(r, st) < 0)
			return -1;
	}
	r->events =
	    crm_xgrow(r->events, &r->ecap, r->nev + 1, sizeof(*r->events));
	for (size_t i = 0; i < r->nev; i++)
		r->events[i] = (struct crm_scoring_event){
		    r->types.s + r->ev[i].type, r->ev[i].at};
	return 0;
}

static int write_score(struct run *r, const struct crm_leadscore *ls)
{
	char now[CRM_TIME_LEN];
	struct crm_stmt *st = crm_db_stmt_cached(r->db, sql_update, r->err);
	int s;

	crm_datetime_format(r->db->now, now);
	if (!st)
		return -1;
	crm_stmt_bind_int(st, 1, ls->score);
	crm_stmt_bind_text(st, 2, ls->grade);
	if (ls->has_previous)
		crm_stmt_bind_int(st, 3, ls->previous_score);
	crm_stmt_bind_text(st, 4, ls->trend);
	crm_stmt_bind_text(st, 5, now);
	crm_stmt_bind_int(st, 6, ls->id);
	s = crm_stmt_step(st, r->err);
	crm_stmt_reset(st);
	if (s < 0)
		return -1;
	if (!(st = crm_db_stmt_cached(r->db, sql_history, r->err)))
		return -1;
	crm_stmt_bind_int(st, 1, ls->id);
	crm_stmt_bind_text(st, 2, now);
	crm_stmt_bind_int(st, 3, ls->score);
	crm_stmt_bind_text(st, 4, ls->grade);
	crm_stmt_bind_double(st, 5, ls->fit->score);
	crm_stmt_bind_double(st, 6, ls->engagement->score);
	if (ls->has_previous)
		crm_stmt_bind_int(st, 7, ls->previous_score);
	crm_stmt_bind_text(st, 8, ls->previous_grade);
	crm_stmt_bind_text(st, 9, ls->trend);
	crm_stmt_bind_text(st, 10, r->db->actor);
	s = crm_stmt_step(st, r->err);
	crm_stmt_reset(st);
	if (s < 0)
		return -1;
	return 0;
}

static int score_one(const struct crm_rec *rec, int64_t id, void *arg)
{
	struct run *r = arg;
	struct crm_leadscore ls = {.id = id};
	const char *prev = crm_rec_get(rec, "score");
	char grade[32];
	int64_t pv;

	if (crm_check_interrupt(r->err) < 0 || lead_events(r, rec, id) < 0)
		return -1;
	crm_scoring_fit(r->s, rec, &r->fit);
	crm_scoring_engagement(r->s, r->events, r->nev, r->db->now, &r->eng);
	ls.combined = crm_scoring_combine(r->s, &r->fit, &r->eng, grade);
	ls.score = lround(ls.combined);
	ls.grade = grade;
	ls.fit = &r->fit;
	ls.engagement = &r->eng;
	ls.previous_grade = crm_rec_get(rec, "grade");
	if (prev && crm_parse_int(prev, &pv) == 0) {
		ls.has_previous = true;
		ls.previous_score = (long)pv;
		ls.trend =
		    crm_scoring_trend(r->s, (double)pv, (double)ls.score);
	}
	ls.grade_changed =
	    !ls.previous_grade || strcmp(ls.previous_grade, grade) != 0;
	if (r->write && write_score(r, &ls) < 0)
		return -1;
	r->n++;
	return r->fn ? r->fn(&ls, r->arg) : 0;
}

/* What scoring reads of a lead: the link to its contact, the score and
 * grade it has, and each field a fit rule names that is a lead field or a
 * custom field in use (any other is missing for every lead). The same
 * whether one lead is scored or all. */
static int lead_columns(struct crm_db *db, const struct crm_scoring *s,
			struct crm_strv *cols, struct crm_err *err)
{
	struct crm_strv custom = {0};

	crm_strv_push(cols, "id");
	crm_strv_push(cols, "contact_id");
	crm_strv_push(cols, "score");
	crm_strv_push(cols, "grade");
	if (crm_entity_custom_names(db, &crm_lead_entity, &custom, err) < 0)
		return -1;
	for (size_t i = 0; i < crm_scoring_fit_rules(s); i++) {
		const char *f = crm_scoring_rule_field(s, i);
		long k = crm_entity_field(&crm_lead_entity, f);

		if (crm_strv_find(cols, f) >= 0)
			continue;
		if ((k >= 0 &&
		     !(crm_lead_entity.fields[k].flags & CRM_FF_HIDDEN)) ||
		    (k < 0 && crm_strv_find(&custom, f) >= 0))
			crm_strv_push(cols, f);
	}
	crm_strv_release(&custom);
	return 0;
}

static void run_init(struct run *r, struct crm_db *db,
		     const struct crm_scoring *s,
		     int (*fn)(const struct crm_leadscore *r, void *arg),
		     void *arg, struct crm_err *err)
{
	double w = crm_scoring_window_days(s);

	memset(r, 0, sizeof(*r));
	r->db = db;
	r->s = s;
	r->fn = fn;
	r->arg = arg;
	r->err = err;
	/* a superset of the window (scoring drops what is too old) */
	crm_datetime_format(w > 0 ? db->now - (crm_time)ceil(w * 86400.0) - 1
				  : CRM_TIME_MIN,
			    r->from);
	crm_datetime_format(db->now, r->to);
	crm_score_result_init(&r->fit);
	crm_score_result_init(&r->eng);
}

static void run_release(struct run *r)
{
	crm_buf_release(&r->types);
	free(r->ev);
	free(r->events);
	crm_score_result_release(&r->fit);
	crm_score_result_release(&r->eng);
	crm_stmt_finalize(r->all);
}

int crm_leadscore_run(struct crm_db *db, const struct crm_scoring *s,
		      const struct crm_query *q, bool dry_run,
		      int (*fn)(const struct crm_leadscore *r, void *arg),
		      void *arg, uint64_t *n, struct crm_err *err)
{
	struct crm_query every = {.limit = -1};
	struct crm_strv cols = {0};
	struct run r;
	int rc = -1;

	*n = 0;
	run_init(&r, db, s, fn, arg, err);
	r.write = true;
	if (crm_db_begin(db, err) < 0)
		goto out;
	if (lead_columns(db, s, &cols, err) < 0)
		goto out;
	if (!q || (!q->nids && (!q->where || !q->where->n))) {
		/* every lead: id order, activities walked in step */
		every.limit = q ? q->limit : -1;
		q = &every;
		if (!(r.all = crm_db_stmt(db, sql_all, err)))
			goto out;
		crm_stmt_bind_text(r.all, 1, r.from);
		crm_stmt_bind_text(r.all, 2, r.to);
		if ((rc = crm_stmt_step(r.all, err)) < 0)
			goto out;
		r.all_row = rc == 1;
		rc = -1;
	}
	if (crm_entity_each_rec(db, &crm_lead_entity, q, &cols, score_one, &r,
				err) < 0)
		goto out;
	*n = r.n;
	rc = crm_db_finish(db, dry_run, err);
out:
	if (rc < 0)
		crm_db_rollback(db);
	crm_strv_release(&cols);
	run_release(&r);
	return rc;
}

int crm_leadscore_explain(struct crm_db *db, const struct crm_scoring *s,
			  int64_t id,
			  int (*fn)(const struct crm_leadscore *r, void *arg),
			  void *arg, struct crm_err *err)
{
	struct crm_query q = {.limit = -1, .ids = &id, .nids = 1};
	struct crm_strv cols = {0};
	struct run r;
	int rc = -1;

	run_init(&r, db, s, fn, arg, err);
	if (lead_columns(db, s, &cols, err) < 0)
		goto out;
	if (crm_entity_each_rec(db, &crm_lead_entity, &q, &cols, score_one, &r,
				err) < 0)
		goto out;
	rc = r.n ? 1 : 0;
out:
	crm_strv_release(&cols);
	run_release(&r);
	return rc;
}

/* -- the predictive model ---------------------------------------------- */

static const char *const default_features[] = {
    "source", "campaign", "industry", "region", "country", "title", NULL};

struct data_ctx {
	struct crm_logit_data *d;
	const char *target, *positive;
	size_t nf;
	const char **vals;
	struct crm_err *err;
};

static int label(const struct data_ctx *c, const char *v, int64_t id, int *y)
{
	static const char *const yes[] = {"1", "true", "yes", "y", "t", NULL};
	static const char *const no[] = {"0", "false", "no", "n", "f", NULL};

	if (!c->target) { /* status */
		*y = !strcmp(v, "converted")	 ? 1
		     : !strcmp(v, "unqualified") ? 0
						 : -1;
		return 0;
	}
	if (c->positive) {
		*y = !strcmp(v, c->positive);
		return 0;
	}
	for (size_t i = 0; yes[i]; i++)
		if (!strcasecmp(v, yes[i]))
			return *y = 1, 0;
	for (size_t i = 0; no[i]; i++)
		if (!strcasecmp(v, no[i]))
			return *y = 0, 0;
	return crm_err_at(c->err, CRM_EX_DATAERR, NULL, 0, c->target,
			  "lead %lld: '%s' is not 0/1 (1, true, yes or 0, "
			  "false, no; or give --positive)",
			  (long long)id, v);
}

static int data_one(const struct crm_rec *rec, int64_t id, void *arg)
{
	struct data_ctx *c = arg;
	const char *v = crm_rec_val(rec, c->nf);
	int y = -1;

	if (!v)
		return 0;
	if (label(c, v, id, &y) < 0)
		return -1;
	if (y < 0)
		return 0;
	for (size_t i = 0; i < c->nf; i++)
		c->vals[i] = crm_rec_val(rec, i);
	crm_logit_data_add(c->d, c->vals, y);
	return 0;
}

struct crm_logit_data *crm_leadscore_data(struct crm_db *db, const char *target,
					  const char *positive,
					  const struct crm_strv *features,
					  struct crm_err *err)
{
	struct crm_query every = {.limit = -1};
	struct crm_strv cols = {0};
	struct data_ctx c = {
	    .target = target, .positive = positive, .err = err};

	if (features && features->n) {
		for (size_t i = 0; i < features->n; i++)
			crm_strv_push(&cols, features->v[i]);
	} else {
		for (size_t i = 0; default_features[i]; i++)
			if (!target || strcmp(target, default_features[i]))
				crm_strv_push(&cols, default_features[i]);
		if (crm_entity_custom_names(db, &crm_lead_entity, &cols, err) <
		    0)
			goto fail;
		for (size_t i = 0; target && i < cols.n; i++)
			if (!strcmp(cols.v[i], target)) {
				free(cols.v[i]);
				memmove(&cols.v[i], &cols.v[i + 1],
					(cols.n - i - 1) * sizeof(*cols.v));
				cols.n--;
				break;
			}
	}
	c.nf = cols.n;
	crm_strv_push(&cols, target ? target : "status");
	if (crm_entity_check_columns(db, &crm_lead_entity, &cols, err) < 0)
		goto fail;
	c.d = crm_logit_data_new((const char *const *)cols.v, c.nf);
	c.vals = crm_xcalloc(c.nf + 1, sizeof(*c.vals));
	if (crm_entity_each_rec(db, &crm_lead_entity, &every, &cols, data_one,
				&c, err) < 0) {
		crm_logit_data_free(c.d);
		c.d = NULL;
	}
	free(c.vals);
	crm_strv_release(&cols);
	return c.d;
fail:
	crm_strv_release(&cols);
	return NULL;
}

static const char sql_predict[] =
    "UPDATE leads SET conversion_probability = ?1, predicted_at = ?2 WHERE "
    "id = ?3";

struct predict_ctx {
	struct crm_db *db;
	const struct crm_logit_model *m;
	struct crm_logit_factor *fs;
	size_t nfactors;
	char now[CRM_TIME_LEN];
	int (*fn)(const struct crm_leadpredict *p, void *arg);
	void *arg;
	uint64_t n;
	struct crm_err *err;
};

static int predict_one(const struct crm_rec *rec, int64_t id, void *arg)
{
	struct predict_ctx *c = arg;
	struct crm_leadpredict p = {.id = id, .rec = rec, .factors = c->fs};
	struct crm_stmt *st;
	int s;

	if (crm_check_interrupt(c->err) < 0)
		return -1;
	if (crm_logit_predict(c->m, rec, &p.probability,
			      c->nfactors ? c->fs : NULL, c->nfactors,
			      &p.nfactors, c->err) < 0) {
		char msg[sizeof(c->err->msg)];

		snprintf(msg, sizeof(msg), "%s", c->err->msg);
		return crm_err_set(c->err, c->err->code, "lead %lld: %s",
				   (long long)id, msg);
	}
	if (!(st = crm_db_stmt_cached(c->db, sql_predict, c->err)))
		return -1;
	crm_stmt_bind_double(st, 1, round(p.probability * 10000) / 100);
	crm_stmt_bind_text(st, 2, c->now);
	crm_stmt_bind_int(st, 3, id);
	s = crm_stmt_step(st, c->err);
	crm_stmt_reset(st);
	if (s < 0)
		return -1;
	c->n++;
	return c->fn ? c->fn(&p, c->arg) : 0;
}

int crm_leadscore_predict(struct crm_db *db, const struct crm_logit_model *m,
			  const struct crm_query *q, size_t nfactors,
			  bool dry_run,
			  int (*fn)(const struct crm_leadpredict *p, void *arg),
			  void *arg, uint64_t *n, struct crm_err *err)
{
	struct crm_query every = {.limit = -1};
	struct predict_ctx c = {.db = db,
				.m = m,
				.nfactors = nfactors,
				.fn = fn,
				.arg = arg,
				.err = err};
	struct crm_strv cols = {0};
	const char *const *names;
	size_t nn = crm_logit_model_features(m, &names);
	int rc = -1;

	*n = 0;
	crm_datetime_format(db->now, c.now);
	for (size_t i = 0; i < nn; i++)
		crm_strv_push(&cols, names[i]);
	if (crm_entity_check_columns(db, &crm_lead_entity, &cols, err) < 0) {
		err->code = CRM_EX_CONFIG;
		goto out0;
	}
	c.fs = crm_xcalloc(nfactors + 1, sizeof(*c.fs));
	if (crm_db_begin(db, err) < 0)
		goto out;
	if (crm_entity_each_rec(db, &crm_lead_entity, q ? q : &every, &cols,
				predict_one, &c, err) < 0) {
		crm_db_rollback(db);
		goto out;
	}
	*n = c.n;
	rc = crm_db_finish(db, dry_run, err);
out:
	free(c.fs);
out0:
	crm_strv_release(&cols);
	return rc;
}

/* -- the stored lead model and its monitor ------------------------------ */

#define RESOLVED "status IN ('converted', 'unqualified')"

static char *dup_text(struct crm_stmt *st, int col)
{
	const char *v = crm_stmt_text(st, col);

	return v ? crm_xstrdup(v) : NULL;
}

int crm_leadscore_store(struct crm_db *db, const struct crm_logit_model *m,
			const struct crm_logit_report *rep, struct crm_err *err)
{
	struct crm_model_info info = {0};
	struct crm_stmt *st;
	char now[CRM_TIME_LEN];
	int s, rc = -1;

	info.kind = crm_xstrdup("lead");
	info.trained_at = crm_xstrdup(crm_datetime_format(db->now, now));
	if (!(st = crm_db_stmt(db,
			       "SELECT min(updated_at), max(updated_at) FROM "
			       "leads WHERE " RESOLVED,
			       err)))
		goto out;
	if ((s = crm_stmt_step(st, err)) == 1) {
		info.data_from = dup_text(st, 0);
		info.data_to = dup_text(st, 1);
	}
	crm_stmt_finalize(st);
	if (s < 0)
		goto out;
	info.rows = (int64_t)rep->rows;
	info.positives = (int64_t)rep->positives;
	info.cv_auc = rep->cv_auc;
	info.baseline_auc = NAN;
	info.cv_log_loss = rep->cv_log_loss;
	info.details = crm_xstrdup("{}");
	if (!(info.model = crm_logit_model_text(m, rep, err)))
		goto out;
	rc = crm_model_store(db, &info, err);
out:
	crm_model_info_release(&info);
	return rc;
}

struct outcome {
	int64_t id;
	unsigned char y;
};

struct lead_walk {
	const struct outcome *o;
	size_t n;
	double *score;
	unsigned char *y;
	size_t k;
};

static int lead_seen(const struct crm_leadpredict *p, void *arg)
{
	struct lead_walk *w = arg;
	size_t lo = 0, hi = w->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->o[mid].id < p->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < w->n && w->o[lo].id == p->id) {
		w->score[w->k] = p->probability;
		w->y[w->k++] = w->o[lo].y;
	}
	return 0;
}

int crm_leadscore_monitor(struct crm_db *db, struct crm_lead_monitor *mo,
			  struct crm_err *err)
{
	struct crm_logit_model *m = NULL;
	struct crm_stmt *st = NULL;
	struct outcome *o = NULL;
	struct lead_walk w = {0};
	size_t n = 0, cap = 0;
	uint64_t seen;
	int s, rc = -1;

	memset(mo, 0, sizeof(*mo));
	mo->auc = NAN;
	if ((s = crm_model_active(db, "lead", &mo->info, err)) <= 0)
		return s < 0 ? -1 : 0;
	if (!(m = crm_logit_model_parse(mo->info.model, "lead model", err)))
		return -1;
	/* the leads resolved after the model's data window */
	if (!(st = crm_db_stmt(db,
			       "SELECT id, status FROM leads WHERE " RESOLVED
			       " AND updated_at > coalesce(?1, '') ORDER BY id",
			       err)))
		goto out;
	crm_stmt_bind_text(st, 1, mo->info.data_to);
	while ((s = crm_stmt_step(st, err)) == 1) {
		o = crm_xgrow(o, &cap, n + 1, sizeof(*o));
		o[n].id = crm_stmt_int(st, 0);
		o[n++].y = !strcmp(crm_stmt_text(st, 1), "converted");
	}
	crm_stmt_finalize(st);
	if (s < 0)
		goto out;
	mo->outcomes = (long)n;
	w.o = o;
	w.n = n;
	w.score = crm_xcalloc(n + 1, sizeof(*w.score));
	w.y = crm_xcalloc(n + 1, 1);
	if (n && crm_leadscore_predict(db, m, NULL, 0, true, lead_seen, &w,
				       &seen, err) < 0)
		goto out;
	mo->auc = w.k ? crm_logit_auc(w.score, w.y, w.k) : NAN;
	rc = 1;
out:
	free(o);
	free(w.score);
	free(w.y);
	crm_logit_model_free(m);
	if (rc < 0)
		crm_model_info_release(&mo->info);
	return rc;
}
