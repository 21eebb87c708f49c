/* revenue.c - won revenue series: see revenue.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forecast.h"
#include "money.h"
#include "revenue.h"

int crm_rev_season(enum crm_rev_period p)
{
	return p == CRM_REV_WEEK ? 52 : p == CRM_REV_MONTH ? 12 : 4;
}

/* Period index of t: weeks from Monday 1969-12-29, months and quarters
 * from year 0. */
static int64_t period_of(enum crm_rev_period p, crm_time t)
{
	int64_t days = (t >= 0 ? t : t - 86399) / 86400, y;
	unsigned m, d;

	if (p == CRM_REV_WEEK) /* floor((days + 3) / 7) */
		return days + 3 >= 0 ? (days + 3) / 7 : -((3 - days) / 7);
	crm_civil_from_days(days, &y, &m, &d);
	return p == CRM_REV_MONTH ? y * 12 + (m - 1) : y * 4 + (m - 1) / 3;
}

void crm_rev_label(enum crm_rev_period p, int64_t k, char out[16])
{
	int64_t y;
	unsigned m, d;

	if (p == CRM_REV_WEEK) {
		crm_civil_from_days(k * 7 - 3, &y, &m, &d);
		snprintf(out, 16, "%04lld-%02u-%02u", (long long)y, m, d);
	} else if (p == CRM_REV_MONTH) {
		snprintf(out, 16, "%04lld-%02lld", (long long)(k / 12),
			 (long long)(k % 12 + 1));
	} else {
		snprintf(out, 16, "%04lld-Q%lld", (long long)(k / 4),
			 (long long)(k % 4 + 1));
	}
}

void crm_revenue_release(struct crm_revenue *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].group);
		free(r->v[i].y);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static struct crm_rev_series *series_for(struct crm_revenue *r,
					 const char *group, size_t *cap)
{
	for (size_t i = 0; i < r->n; i++)
		if ((!group && !r->v[i].group) ||
		    (group && r->v[i].group && !strcmp(group, r->v[i].group)))
			return &r->v[i];
	r->v = crm_xgrow(r->v, cap, r->n + 1, sizeof(*r->v));
	memset(&r->v[r->n], 0, sizeof(*r->v));
	r->v[r->n].group = group ? crm_xstrdup(group) : NULL;
	r->v[r->n].first = INT64_MAX;
	return &r->v[r->n++];
}

static int by_group(const void *a, const void *b)
{
	const struct crm_rev_series *x = a, *y = b;

	if (!x->group || !y->group)
		return !x->group - !y->group;
	return strcmp(x->group, y->group);
}

static const char sql_won[] =
    "SELECT d.closed_at, d.amount, d.currency, d.owner, c.region, d.id FROM "
    "deals d LEFT JOIN companies c ON c.id = d.company_id WHERE d.status = "
    "'won' AND d.closed_at IS NOT NULL AND d.amount IS NOT NULL ORDER BY "
    "d.id";

/* The product families of a won deal: the lines of its accepted quotes'
 * accepted versions, summed per family (a line without a product or
 * family in the NULL group). */
static const char sql_families[] =
    "SELECT q.deal_id, p.family, sum(l.amount) FROM quotes q JOIN "
    "quote_lines l ON l.quote_id = q.id AND l.version = q.accepted_version "
    "LEFT JOIN products p ON p.id = l.product_id WHERE q.status = "
    "'accepted' AND q.deal_id IS NOT NULL GROUP BY q.deal_id, p.family "
    "ORDER BY q.deal_id, p.family";

struct share {
	int64_t deal;
	char *family;
	double amount; /* the lines' amount, minor units of the quote */
	double total;  /* the deal's lines, all families */
};

struct shares {
	struct share *v;
	size_t n;
};

static void shares_release(struct shares *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].family);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int shares_load(struct crm_db *db, struct shares *out,
		       struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt(db, sql_families, err);
	size_t cap = 0, start = 0;
	int s;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	while ((s = crm_stmt_step(st, err)) == 1) {
		const char *f = crm_stmt_text(st, 1);
		struct share *sh;

		out->v = crm_xgrow(out->v, &cap, out->n + 1, sizeof(*out->v));
		sh = &out->v[out->n++];
		sh->deal = crm_stmt_int(st, 0);
		sh->family = f && *f ? crm_xstrdup(f) : NULL;
		sh->amount = (double)crm_stmt_int(st, 2);
		sh->total = 0;
	}
	crm_stmt_finalize(st);
	if (s < 0) {
		shares_release(out);
		return -1;
	}
	/* each deal's total over its families */
	for (size_t i = 0; i <= out->n; i++) {
		if (i < out->n && out->v[i].deal == out->v[start].deal)
			continue;
		double t = 0;

		for (size_t j = start; j < i; j++)
			t += out->v[j].amount;
		for (size_t j = start; j < i; j++)
			out->v[j].total = t;
		start = i;
	}
	return 0;
}

/* The first share of deal id (sorted by deal), or n. */
static size_t shares_find(const struct shares *s, int64_t id)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].deal < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Two passes over the rows: the first finds each series' span. */
int crm_revenue_load(struct crm_db *db, enum crm_rev_period p, const char *by,
		     const struct crm_rates *rates, struct crm_revenue *out,
		     struct crm_err *err)
{
	return crm_revenue_load_in(db, p, by, rates, NULL, out, err);
}

int crm_revenue_load_in(struct crm_db *db, enum crm_rev_period p,
			const char *by, const struct crm_rates *rates,
			const char *only, struct crm_revenue *out,
			struct crm_err *err)
{
	int64_t last = period_of(p, db->now) - 1;
	int family = by && !strcmp(by, "family");
	int gcol = by && !strcmp(by, "region") ? 4 : by && !family ? 3 : -1;
	struct crm_stmt *st = NULL;
	struct shares sh = {0};
	size_t cap = 0;
	int rc = -1, s;

	memset(out, 0, sizeof(*out));
	if (family && shares_load(db, &sh, err) < 0)
		return -1;
	out->period = p;
	if (rates)
		snprintf(out->currency, sizeof(out->currency), "%s",
			 rates->base);
	for (int pass = 0; pass < 2; pass++) {
		if (!(st = crm_db_stmt(db, sql_won, err)))
			goto fail;
		while ((s = crm_stmt_step(st, err)) == 1) {
			const char *cur = crm_stmt_text(st, 2);
			const char *g =
			    gcol >= 0 ? crm_stmt_text(st, gcol) : NULL;
			struct crm_rev_series *r;
			long double minor = (long double)crm_stmt_int(st, 1);
			crm_time t;
			struct crm_err e;
			int64_t k;
			int ex;

			if (crm_datetime_parse(crm_stmt_text(st, 0), &t, &e) <
				0 ||
			    (k = period_of(p, t)) > last)
				continue;
			if (!cur)
				cur = "XXX";
			if (only && !rates && strcmp(cur, only))
				continue;
			if (rates) {
				if (crm_rates_convert(rates, cur, minor, &minor,
						      err) < 0)
					goto fail;
				cur = rates->base;
			} else if (!*out->currency) {
				snprintf(out->currency, sizeof(out->currency),
					 "%s", cur);
			} else if (strcmp(out->currency, cur)) {
				crm_err_set(err, CRM_EX_DATAERR,
					    "won deals in several currencies "
					    "(%s, %s): give --rates",
					    out->currency, cur);
				goto fail;
			}
			ex = crm_money_exponent(cur);
			minor /= powl(10, ex < 0 ? 2 : ex);
			if (family) {
				/* the deal's amount split by its lines */
				int64_t id = crm_stmt_int(st, 5);
				size_t j = shares_find(&sh, id);
				int any = 0;

				for (; j < sh.n && sh.v[j].deal == id; j++) {
					if (sh.v[j].total <= 0)
						break;
					any = 1;
					r = series_for(out, sh.v[j].family,
						       &cap);
					if (pass == 0) {
						if (k < r->first)
							r->first = k;
						continue;
					}
					r->y[k - r->first] += (double)minor *
							      sh.v[j].amount /
							      sh.v[j].total;
				}
				if (any)
					continue;
			}
			r = series_for(out, g && *g ? g : NULL, &cap);
			if (pass == 0) {
				if (k < r->first)
					r->first = k;
				continue;
			}
			r->y[k - r->first] += (double)minor;
		}
		crm_stmt_finalize(st);
		st = NULL;
		if (s < 0)
			goto fail;
		if (pass == 0)
			for (size_t i = 0; i < out->n; i++) {
				struct crm_rev_series *r = &out->v[i];

				r->n = (size_t)(last - r->first + 1);
				r->y = crm_xcalloc(r->n, sizeof(*r->y));
			}
	}
	if (out->n > 1) /* qsort(NULL, 0) is undefined */
		qsort(out->v, out->n, sizeof(*out->v), by_group);
	rc = 0;
fail:
	crm_stmt_finalize(st);
	shares_release(&sh);
	if (rc < 0)
		crm_revenue_release(out);
	return rc;
}
