/* cycle.c - purchase cycles: see cycle.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cycle.h"

static double median(int64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), crm_i64_cmp);
	return n % 2 ? (double)v[n / 2]
		     : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

/* The month (1-12) bought in the most distinct years (at least 2; ties:
 * the earlier month) and the median day of its purchases; 0 if none. */
static int seasonal_month(const int64_t *days, size_t n, int *years, int *day)
{
	int best = 0, bestn = 1;

	for (int m = 1; m <= 12; m++) {
		int64_t prev_y = INT64_MIN;
		int ny = 0;

		for (size_t i = 0; i < n; i++) {
			int64_t y;
			unsigned mm, d;

			crm_civil_from_days(days[i], &y, &mm, &d);
			if ((int)mm == m && y != prev_y) {
				ny++;
				prev_y = y;
			}
		}
		if (ny > bestn) {
			best = m;
			bestn = ny;
		}
	}
	*years = best ? bestn : 0;
	*day = 15;
	if (best) {
		int64_t ds[64];
		size_t k = 0;

		for (size_t i = 0; i < n && k < 64; i++) {
			int64_t y;
			unsigned mm, d;

			crm_civil_from_days(days[i], &y, &mm, &d);
			if ((int)mm == best)
				ds[k++] = d;
		}
		*day = (int)median(ds, k);
	}
	return best;
}

void crm_cycle_estimate(const int64_t *days, size_t n, int64_t today,
			struct crm_cycle_est *out)
{
	int64_t *iv = n > 1 ? crm_xmalloc((n - 1) * sizeof(*iv)) : NULL;
	double mean = 0, var = 0;
	int years, day, month;

	memset(out, 0, sizeof(*out));
	for (size_t i = 1; i < n; i++) {
		iv[i - 1] = days[i] - days[i - 1];
		mean += (double)iv[i - 1];
	}
	if (n > 1) {
		mean /= (double)(n - 1);
		for (size_t i = 0; i + 1 < n; i++)
			var += ((double)iv[i] - mean) * ((double)iv[i] - mean);
		var /= (double)(n - 1);
		out->cv = mean > 0 ? sqrt(var) / mean : 0;
		out->median = median(iv, n - 1);
	}
	free(iv);
	month = n ? seasonal_month(days, n, &years, &day) : 0;
	if (n >= 3 && (out->cv <= 0.25 || !month)) {
		out->method = "interval";
		out->next = days[n - 1] + (int64_t)llround(out->median);
		return;
	}
	if (month) {
		int64_t y;
		unsigned m, d, dim;

		crm_civil_from_days(days[n - 1], &y, &m, &d);
		for (;;) {
			dim = crm_days_in_month(y, (unsigned)month);
			out->next = crm_days_from_civil(
			    y, (unsigned)month,
			    (unsigned)day <= dim ? (unsigned)day : dim);
			if (out->next > days[n - 1] && out->next >= today)
				break;
			y++;
		}
		out->method = "seasonal";
		out->season_month = month;
		out->season_years = years;
	}
}

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr",
					  "May", "Jun", "Jul", "Aug",
					  "Sep", "Oct", "Nov", "Dec"};

static void evidence(const int64_t *days, size_t n,
		     const struct crm_cycle_est *e, struct crm_buf *b)
{
	char last[CRM_TIME_LEN];

	crm_buf_reset(b);
	crm_datetime_format_date(days[n - 1] * 86400, last);
	if (!strcmp(e->method, "interval")) {
		crm_buf_addf(b, "%zu purchases, intervals", n);
		for (size_t i = n > 6 ? n - 5 : 1; i < n; i++)
			crm_buf_addf(b, "%s%lld",
				     i == (n > 6 ? n - 5 : 1) ? " " : "/",
				     (long long)(days[i] - days[i - 1]));
		crm_buf_addf(b, " days (median %g); last %s", e->median, last);
	} else {
		crm_buf_addf(b, "bought in %s in %d years; last %s",
			     month_names[e->season_month - 1], e->season_years,
			     last);
	}
}

static const char *const sql_by[2] = {
    "SELECT d.company_id, c.name, d.closed_at FROM deals d JOIN companies "
    "c ON c.id = d.company_id WHERE d.status = 'won' AND d.closed_at < ?1 "
    "ORDER BY d.company_id, d.closed_at",
    "SELECT d.contact_id, trim(coalesce(c.first_name, '') || ' ' || "
    "coalesce(c.last_name, '')), d.closed_at FROM deals d JOIN contacts c "
    "ON c.id = d.contact_id WHERE d.status = 'won' AND d.closed_at < ?1 "
    "ORDER BY d.contact_id, d.closed_at",
};

struct walk {
	int64_t id;
	char *name;
	int64_t *days;
	size_t n, cap;
};

static int flush(struct crm_db *db, struct walk *w, int64_t lead, bool every,
		 int (*fn)(const struct crm_cycle *c, void *arg), void *arg,
		 struct crm_buf *b, uint64_t *count)
{
	struct crm_cycle_est e;
	struct crm_cycle c = {0};
	int64_t today = crm_datetime_day_start(db->now) / 86400;

	if (!w->n)
		return 0;
	crm_cycle_estimate(w->days, w->n, today, &e);
	if (!e.method)
		return 0;
	(*count)++;
	c.id = w->id;
	c.name = w->name;
	c.purchases = w->n;
	c.last = w->days[w->n - 1];
	c.est = &e;
	c.days_until = e.next - today;
	if (!every && (c.days_until > lead ||
		       (c.days_until < 0 &&
			-c.days_until >= (e.median > 0 ? e.median : 365))))
		return 0;
	evidence(w->days, w->n, &e, b);
	c.evidence = b->s;
	return fn ? fn(&c, arg) : 0;
}

/* Every won deal sorted by customer and time is the one sort here: on
 * SQLite it spills to temporary files past the page cache (crm's
 * temp_store=MEMORY otherwise held it all: 790 MiB for 10M order lines),
 * while the walk keeps one customer at a time. */
int crm_cycle_run(struct crm_db *db, bool by_contact, int64_t lead, bool every,
		  int (*fn)(const struct crm_cycle *c, void *arg), void *arg,
		  uint64_t *n, struct crm_err *err)
{
	struct crm_stmt *st = NULL;
	struct walk w = {0};
	struct crm_buf b = {0};
	char now[CRM_TIME_LEN];
	int s, rc = -1;

	*n = 0;
	if (crm_db_sort_spill(db, true, err) < 0)
		return -1;
	if (!(st = crm_db_stmt(db, sql_by[by_contact], err)))
		goto out;
	crm_stmt_bind_text(st, 1, crm_datetime_format(db->now, now));
	while ((s = crm_stmt_step(st, err)) == 1) {
		int64_t id = crm_stmt_int(st, 0), day;
		crm_time t;
		struct crm_err e;

		if (crm_datetime_parse(crm_stmt_text(st, 2), &t, &e) < 0)
			continue;
		day = crm_datetime_day_start(t) / 86400;
		if (id != w.id || !w.name) {
			if (flush(db, &w, lead, every, fn, arg, &b, n) < 0 ||
			    crm_check_interrupt(err) < 0)
				goto out;
			w.id = id;
			free(w.name);
			w.name = crm_xstrdup(
			    crm_stmt_text(st, 1) ? crm_stmt_text(st, 1) : "");
			w.n = 0;
		}
		if (w.n && w.days[w.n - 1] == day)
			continue; /* one purchase a day */
		w.days = crm_xgrow(w.days, &w.cap, w.n + 1, sizeof(*w.days));
		w.days[w.n++] = day;
	}
	if (s < 0 || flush(db, &w, lead, every, fn, arg, &b, n) < 0)
		goto out;
	rc = 0;
out:
	crm_stmt_finalize(st);
	rc = crm_db_sort_spill_end(db, rc, err);
	free(w.name);
	free(w.days);
	crm_buf_release(&b);
	return rc;
}

static const char *const sql_one[2] = {
    "SELECT d.closed_at FROM deals d WHERE d.company_id = ?2 AND d.status = "
    "'won' AND d.closed_at < ?1 ORDER BY d.closed_at",
    "SELECT d.closed_at FROM deals d WHERE d.contact_id = ?2 AND d.status = "
    "'won' AND d.closed_at < ?1 ORDER BY d.closed_at",
};

int crm_cycle_one(struct crm_db *db, bool by_contact, int64_t id, int64_t lead,
		  struct crm_cycle_est *est, int64_t *days_until,
		  struct crm_buf *evidence_out, struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt(db, sql_one[by_contact], err);
	int64_t *days = NULL, today = crm_datetime_day_start(db->now) / 86400;
	size_t n = 0, cap = 0;
	char now[CRM_TIME_LEN];
	int s, rc = -1;

	memset(est, 0, sizeof(*est));
	if (!st)
		return -1;
	crm_stmt_bind_text(st, 1, crm_datetime_format(db->now, now));
	crm_stmt_bind_int(st, 2, id);
	while ((s = crm_stmt_step(st, err)) == 1) {
		crm_time t;
		struct crm_err e;
		int64_t day;

		if (crm_datetime_parse(crm_stmt_text(st, 0), &t, &e) < 0)
			continue;
		day = crm_datetime_day_start(t) / 86400;
		if (n && days[n - 1] == day)
			continue; /* one purchase a day */
		days = crm_xgrow(days, &cap, n + 1, sizeof(*days));
		days[n++] = day;
	}
	crm_stmt_finalize(st);
	if (s < 0)
		goto out;
	rc = 0;
	if (!n)
		goto out;
	crm_cycle_estimate(days, n, today, est);
	if (!est->method)
		goto out;
	*days_until = est->next - today;
	if (evidence_out)
		evidence(days, n, est, evidence_out);
	/* due as crm_cycle_run lists: within lead, or overdue by less than
	 * one interval */
	rc = !(*days_until > lead ||
	       (*days_until < 0 &&
		-*days_until >= (est->median > 0 ? est->median : 365)));
out:
	free(days);
	return rc;
}
