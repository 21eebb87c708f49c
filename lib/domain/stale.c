/* stale.c - stale deals and their follow-up tasks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "dbq.h"
#include "deal.h"
#include "filter.h"
#include "flow.h"
#include "pipeline.h"
#include "stale.h"

const char *const crm_stale_columns[] = {
    "id",	 "name",       "pipeline", "stage",   "owner", "idle_since",
    "idle_days", "limit_days", "reason",   "task_id", NULL};

int crm_stale_check(crm_time since, crm_time now, int64_t idle, double max_days,
		    int64_t *limit)
{
	int64_t quiet = now - since;
	int64_t stage = max_days > 0 ? (int64_t)llround(max_days * 86400) : 0;
	bool by_idle = idle > 0 && quiet > idle;
	bool by_stage = stage > 0 && quiet > stage;

	*limit = 0;
	/* when both are past, the tighter limit is the one that counts */
	if (by_stage && (!by_idle || stage <= idle)) {
		*limit = stage;
		return 2;
	}
	if (by_idle) {
		*limit = idle;
		return 1;
	}
	return 0;
}

struct item {
	int64_t id, contact, company, task;
	const char *name, *pipeline, *stage, *owner; /* in the pool */
	char since[CRM_TIME_LEN];
	int64_t quiet, limit;
	int reason;
};

/* The stale deals: items whose strings are copies kept in pool. Without
 * tasks to make, each goes to fn as it is read and nothing is kept: the
 * list streams, however many deals there are. */
struct collect_ctx {
	struct crm_db *db;
	const struct crm_stale_opts *o;
	const struct crm_pipelines *cfg;
	struct item *v;
	size_t n, cap;
	struct crm_strv pool;
	int (*fn)(const struct crm_rec *rec, void *arg);
	void *arg;
	struct crm_rec *rec;
	uint64_t sent;
};

static void item_rec(const struct item *it, struct crm_rec *rec);

/* A copy of s (NULL stays NULL) that lives as long as c's pool; s itself
 * when the item goes to fn before the next row is read. */
static const char *keep(struct collect_ctx *c, const char *s)
{
	if (!s || c->fn)
		return s;
	crm_strv_push(&c->pool, s);
	return c->pool.v[c->pool.n - 1];
}

/* crm_stmt_each: keep the deal if it is stale */
static int collect_row(struct crm_stmt *st, void *arg)
{
	struct collect_ctx *c = arg;
	const char *pn = crm_stmt_text(st, 2);
	const char *sn = crm_stmt_text(st, 3);
	const struct crm_pipeline *pl = crm_pipeline_find(c->cfg, pn);
	const struct crm_stage *sg = pl ? crm_stage_find(pl, sn) : NULL;
	struct crm_err e2;
	crm_time since;
	int64_t limit;
	int why;
	struct item *it;

	if (crm_datetime_parse(crm_stmt_text(st, 7), &since, &e2) < 0)
		return 0;
	why = crm_stale_check(since, c->db->now, c->o->idle,
			      sg ? sg->max_days : 0, &limit);
	if (!why)
		return 0;
	c->v = crm_xgrow(c->v, &c->cap, c->n + 1, sizeof(*c->v));
	it = &c->v[c->n++];
	memset(it, 0, sizeof(*it));
	it->id = crm_stmt_int(st, 0);
	it->name = keep(c, crm_stmt_text(st, 1));
	it->pipeline = keep(c, pn);
	it->stage = keep(c, sn);
	it->owner = keep(c, crm_stmt_text(st, 4));
	it->contact = crm_stmt_int(st, 5);
	it->company = crm_stmt_int(st, 6);
	crm_datetime_format(since, it->since);
	it->quiet = c->db->now - since;
	it->limit = limit;
	it->reason = why;
	if (c->fn) {
		c->n = 0;
		c->sent++;
		item_rec(it, c->rec);
		return c->fn(c->rec, c->arg);
	}
	return 0;
}

static int collect(struct crm_db *db, const struct crm_stale_opts *o,
		   struct collect_ctx *c, struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_binds b = {0};

	c->cfg = crm_pipelines_get(err);
	if (!c->cfg)
		return -1;
	/* quiet since the later of the last activity and the stage change */
	crm_buf_adds(&sql, "SELECT id, name, pipeline, stage, owner, "
			   "contact_id, company_id, "
			   "coalesce(CASE WHEN last_activity_at > "
			   "stage_changed_at THEN last_activity_at ELSE "
			   "stage_changed_at END, "
			   "last_activity_at, stage_changed_at, created_at) "
			   "FROM deals WHERE status = 'open'");
	return crm_deal_each(db, &sql, &b, o->where, " ORDER BY id", -1,
			     collect_row, c, err);
}

/* The task of key (its external id) into it->task (0: none); 0 or -1. */
static int task_of(struct crm_db *db, const char *key, struct item *it,
		   struct crm_err *err)
{
	return crm_dbq_step(db, err, &it->task,
			    "SELECT id FROM activities WHERE external_id = ?",
			    "s", key);
}

/* The follow-up task of it: the one there is, or a new one. */
static int follow_up(struct crm_db *db, struct item *it, bool *made,
		     struct crm_err *err)
{
	char *key =
	    crm_xasprintf("stale:%lld:%s", (long long)it->id, it->since);
	char *body = NULL;
	struct crm_flow flow = {0};
	json_t *spec = NULL;
	int rc = -1, s;

	*made = false;
	if (task_of(db, key, it, err) < 0)
		goto out;
	if (it->task) {
		rc = 0;
		goto out;
	}
	/* the task is made by the flow engine (a built-in flow, logged in
	 * crm-flow log as crm-pipeline-stale, once per deal and quiet
	 * spell); its text is computed here */
	body = crm_xasprintf("No activity since %s: %.1f days in stage %s "
			     "(limit %g days)",
			     it->since, floor((double)it->quiet / 8640) / 10,
			     it->stage, (double)it->limit / 86400);
	spec = json_pack(
	    "{s:s, s:s, s:{s:s}, s:[{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}]}",
	    "name", "crm-pipeline-stale", "entity", "deal", "trigger", "type",
	    "created", "actions", "type", "task", "subject",
	    "Follow up: {{name}}", "body", body, "owner", "{{owner}}", "at",
	    it->since, "channel", "crm-pipeline stale", "external_id", key,
	    "due", "1d");
	memset(&flow, 0, sizeof(flow));
	if (!spec || crm_flow_parse(spec, "crm-pipeline stale", &flow, err) < 0)
		goto out;
	s = crm_flow_fire(db, &flow, it->id, it->since, "stale", false, err);
	if (s < 0)
		goto out;
	if (task_of(db, key, it, err) < 0)
		goto out;
	*made = it->task != 0;
	rc = 0;
out:
	free(key);
	free(body);
	crm_flow_release(&flow);
	json_decref(spec);
	return rc;
}

static void item_rec(const struct item *it, struct crm_rec *rec)
{
	char num[64];

	crm_rec_clear(rec);
	snprintf(num, sizeof(num), "%lld", (long long)it->id);
	crm_rec_add(rec, "id", 2, num, strlen(num), CRM_RAW);
	crm_rec_adds(rec, "name", it->name);
	crm_rec_adds(rec, "pipeline", it->pipeline);
	crm_rec_adds(rec, "stage", it->stage);
	crm_rec_adds(rec, "owner", it->owner);
	crm_rec_adds(rec, "idle_since", it->since);
	snprintf(num, sizeof(num), "%.1f",
		 floor((double)it->quiet / 8640) / 10);
	crm_rec_add(rec, "idle_days", 9, num, strlen(num), CRM_RAW);
	snprintf(num, sizeof(num), "%g", (double)it->limit / 86400);
	crm_rec_add(rec, "limit_days", 10, num, strlen(num), CRM_RAW);
	crm_rec_adds(rec, "reason", it->reason == 2 ? "stage" : "idle");
	if (it->task) {
		snprintf(num, sizeof(num), "%lld", (long long)it->task);
		crm_rec_add(rec, "task_id", 7, num, strlen(num), CRM_RAW);
	} else {
		crm_rec_add(rec, "task_id", 7, NULL, 0, CRM_NULL);
	}
}

int crm_deal_stale(struct crm_db *db, const struct crm_stale_opts *o,
		   int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		   uint64_t *found, uint64_t *created, struct crm_err *err)
{
	struct collect_ctx c = {.db = db, .o = o};
	uint64_t made = 0;
	struct crm_rec rec;
	int rc = -1;

	crm_rec_init(&rec);
	/* the open deals come sorted by id: on SQLite through its sorter,
	 * whose spill stays off the heap (before any transaction: SQLite
	 * refuses the setting inside one) */
	if (crm_db_sort_spill(db, true, err) < 0)
		goto out;
	if (!o->create_tasks) {
		c.fn = fn;
		c.arg = arg;
		c.rec = &rec;
	}
	if (o->create_tasks && crm_db_begin(db, err) < 0)
		goto out;
	if (collect(db, o, &c, err) < 0)
		goto out;
	for (size_t i = 0; o->create_tasks && i < c.n; i++) {
		bool m;

		if (follow_up(db, &c.v[i], &m, err) < 0)
			goto out;
		made += m;
	}
	/* the deals go to fn before the commit: a caller that cannot write
	 * them out makes the tasks fail too */
	for (size_t i = 0; i < c.n; i++) {
		item_rec(&c.v[i], &rec);
		if (fn(&rec, arg) < 0)
			goto out;
	}
	if (o->create_tasks && crm_db_finish(db, o->dry_run, err) < 0)
		goto out;
	if (found)
		*found = c.fn ? c.sent : c.n;
	if (created)
		*created = made;
	rc = 0;
out:
	if (rc < 0 && db->in_tx)
		crm_db_rollback(db);
	rc = crm_db_sort_spill_end(db, rc, err);
	crm_rec_release(&rec);
	crm_strv_release(&c.pool);
	free(c.v);
	return rc;
}
