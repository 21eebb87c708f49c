/* churn.c - churn risk per customer from its activities and tickets. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "churn.h"
#include "dbq.h"

void crm_churn_compute(const struct crm_churn_input *in,
		       struct crm_churn_risk *out)
{
	double ratio =
	    in->baseline > 0 ? (double)in->window / (double)in->baseline : 0;
	double sum;

	memset(out, 0, sizeof(*out));
	out->activities_expected = (double)in->activities_base * ratio;
	out->tickets_expected = (double)in->tickets_base * ratio;
	if (in->activities_base >= 3 &&
	    (double)in->activities < out->activities_expected)
		out->activity_points = 40 * (1 - (double)in->activities /
						     out->activities_expected);
	if ((double)in->tickets > out->tickets_expected)
		out->ticket_points = fmin(
		    30, 10 * ((double)in->tickets - out->tickets_expected));
	if (in->days_silent > 0)
		out->silence_points = fmin(30, (double)in->days_silent / 3);
	sum = out->activity_points + out->ticket_points + out->silence_points;
	out->risk = (int)lround(fmin(100, sum));
}

static const char *const sql_customers[2] = {
    "SELECT c.id, c.name, c.created_at FROM companies c WHERE EXISTS "
    "(SELECT 1 FROM deals d WHERE d.company_id = c.id AND d.status = "
    "'won' AND COALESCE(d.closed_at, d.updated_at) <= ?1) ORDER BY c.id",
    "SELECT id, TRIM(COALESCE(first_name, '') || ' ' || "
    "COALESCE(last_name, '')), created_at FROM contacts WHERE "
    "lifecycle_stage IN ('customer', 'evangelist') AND ?1 = ?1 ORDER BY "
    "id",
};
/* ?1 the customer, activities or tickets in (?2, ?3] */
static const char *const sql_activities[2] = {
    "SELECT COUNT(*) FROM activities WHERE company_id = ?1 AND "
    "occurred_at > ?2 AND occurred_at <= ?3",
    "SELECT COUNT(*) FROM activities WHERE contact_id = ?1 AND "
    "occurred_at > ?2 AND occurred_at <= ?3",
};
static const char *const sql_tickets[2] = {
    "SELECT COUNT(*) FROM tickets WHERE company_id = ?1 AND created_at > "
    "?2 AND created_at <= ?3",
    "SELECT COUNT(*) FROM tickets WHERE contact_id = ?1 AND created_at > "
    "?2 AND created_at <= ?3",
};
static const char *const sql_last[2] = {
    "SELECT MAX(occurred_at) FROM activities WHERE company_id = ?1 AND "
    "occurred_at <= ?2",
    "SELECT MAX(occurred_at) FROM activities WHERE contact_id = ?1 AND "
    "occurred_at <= ?2",
};
static const char sql_clear[] =
    "DELETE FROM churn_scores WHERE entity = ?1 AND at = ?2";
static const char sql_store[] =
    "INSERT INTO churn_scores (entity, record_id, at, risk, activities, "
    "activities_expected, tickets, tickets_expected, days_silent, reasons, "
    "actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* COUNT(*) of sql for id in (from, to]. */
static int count(struct crm_db *db, const char *sql, int64_t id,
		 const char *from, const char *to, int64_t *out,
		 struct crm_err *err)
{
	int s;

	*out = 0;
	s = crm_dbq_step(db, err, out, sql, "iss", id, from, to);
	if (s < 0)
		return -1;
	if (s == 0)
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "cannot count activities: no row");
	return 0;
}

/* Whole days from the last activity (or since) to now. */
static int silence(struct crm_db *db, int by, int64_t id, const char *since,
		   const char *now, int64_t *days, struct crm_err *err)
{
	char *latest;
	const char *last;
	crm_time t;
	struct crm_err e;
	int s = crm_dbq_text(db, err, &latest, sql_last[by], "is", id, now);

	if (s != 1)
		return s < 0 ? -1
			     : crm_err_set(err, CRM_EX_SOFTWARE,
					   "cannot read activities: no row");
	last = latest ? latest : since;
	*days = 0;
	if (last && crm_datetime_parse(last, &t, &e) == 0 && t < db->now)
		*days = (db->now - t) / 86400;
	free(latest);
	return 0;
}

static void reasons(const struct crm_churn_input *in,
		    const struct crm_churn_risk *r, struct crm_buf *b)
{
	long wd = (long)(in->window / 86400);

	crm_buf_reset(b);
	if (r->activity_points > 0)
		crm_buf_addf(
		    b,
		    "activity down %.0f%% (%lld in %ld days, %.3g "
		    "expected) +%.1f",
		    100 * (1 - (double)in->activities / r->activities_expected),
		    (long long)in->activities, wd, r->activities_expected,
		    r->activity_points);
	if (r->ticket_points > 0)
		crm_buf_addf(b,
			     "%stickets up (%lld in %ld days, %.3g "
			     "expected) +%.1f",
			     b->len ? "; " : "", (long long)in->tickets, wd,
			     r->tickets_expected, r->ticket_points);
	if (r->silence_points > 0)
		crm_buf_addf(b, "%ssilent %lld day%s +%.1f", b->len ? "; " : "",
			     (long long)in->days_silent,
			     in->days_silent == 1 ? "" : "s",
			     r->silence_points);
}

static int store(struct crm_db *db, const char *entity, const char *at,
		 const struct crm_churn *c, struct crm_err *err)
{
	return crm_dbq_run(db, err, sql_store, "sisiididiss", entity, c->id, at,
			   (int64_t)c->risk->risk, c->in->activities,
			   c->risk->activities_expected, c->in->tickets,
			   c->risk->tickets_expected, c->in->days_silent,
			   c->reasons, db->actor);
}

struct run {
	struct crm_db *db;
	int by;
	int64_t window, baseline;
	const char *const *t;
	struct crm_buf b;
	int (*fn)(const struct crm_churn *c, void *arg);
	void *arg;
	uint64_t *n;
	struct crm_err *err;
};

/* Score one customer (the current row of st). */
static int one(struct crm_stmt *st, void *arg)
{
	struct run *r = arg;
	struct crm_db *db = r->db;
	const char *const *t = r->t;
	int by = r->by;
	struct crm_err *err = r->err;
	struct crm_churn_input in = {.window = r->window,
				     .baseline = r->baseline};
	struct crm_churn_risk risk;
	struct crm_churn c = {.in = &in, .risk = &risk};

	if (crm_check_interrupt(err) < 0)
		return -1;
	c.id = crm_stmt_int(st, 0);
	c.name = crm_stmt_text(st, 1);
	/* t: now, now - window, now - window - baseline */
	if (count(db, sql_activities[by], c.id, t[1], t[0], &in.activities,
		  err) < 0 ||
	    count(db, sql_activities[by], c.id, t[2], t[1], &in.activities_base,
		  err) < 0 ||
	    count(db, sql_tickets[by], c.id, t[1], t[0], &in.tickets, err) <
		0 ||
	    count(db, sql_tickets[by], c.id, t[2], t[1], &in.tickets_base,
		  err) < 0 ||
	    silence(db, by, c.id, crm_stmt_text(st, 2), t[0], &in.days_silent,
		    err) < 0)
		return -1;
	crm_churn_compute(&in, &risk);
	reasons(&in, &risk, &r->b);
	c.reasons = r->b.len ? r->b.s : NULL;
	if (store(db, by ? "contact" : "company", t[0], &c, err) < 0 ||
	    (r->fn && r->fn(&c, r->arg) < 0))
		return -1;
	(*r->n)++;
	return 0;
}

int crm_churn_run(struct crm_db *db, bool by_contact, int64_t window,
		  int64_t baseline, bool dry_run,
		  int (*fn)(const struct crm_churn *c, void *arg), void *arg,
		  uint64_t *n, struct crm_err *err)
{
	int by = by_contact ? 1 : 0;
	char now[CRM_TIME_LEN], w[CRM_TIME_LEN], wb[CRM_TIME_LEN];
	const char *t[3] = {now, w, wb};
	struct run r = {.db = db,
			.by = by,
			.window = window,
			.baseline = baseline,
			.t = t,
			.fn = fn,
			.arg = arg,
			.n = n,
			.err = err};
	int rc = -1;

	*n = 0;
	crm_datetime_format(db->now, now);
	crm_datetime_format(db->now - window, w);
	crm_datetime_format(db->now - window - baseline, wb);
	if (crm_db_begin(db, err) < 0)
		return -1;
	if (crm_dbq_run(db, err, sql_clear, "ss", by ? "contact" : "company",
			now) < 0 ||
	    crm_dbq_each(db, err, one, &r, sql_customers[by], "s", now) < 0)
		goto out;
	rc = crm_db_finish(db, dry_run, err);
out:
	if (rc < 0)
		crm_db_rollback(db);
	crm_buf_release(&r.b);
	return rc;
}
