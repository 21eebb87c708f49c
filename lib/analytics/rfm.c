/* rfm.c - RFM scores and segments of customers from their won deals. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dbq.h"
#include "money.h"
#include "rfm.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The number of sorted values below x (strictly). */
static size_t below(const double *sorted, size_t n, double x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void crm_rfm_quintiles(const double *v, size_t n, bool lower_better, int *out)
{
	double *s = crm_xmalloc((n ? n : 1) * sizeof(*s));

	for (size_t i = 0; i < n; i++)
		s[i] = lower_better ? -v[i] : v[i];
	qsort(s, n, sizeof(*s), cmp_double);
	for (size_t i = 0; i < n; i++) {
		size_t k = below(s, n, lower_better ? -v[i] : v[i]);

		out[i] = 1 + (int)(5 * k / n);
	}
	free(s);
}

const char *crm_rfm_segment(int r, int f, int m)
{
	int fm = (f + m + 1) / 2;

	if (r <= 2) {
		if (fm <= 2)
			return r == 1 && fm == 1 ? "lost" : "hibernating";
		return fm <= 4 ? "at risk" : "can't lose them";
	}
	if (r == 3) {
		if (fm <= 2)
			return "about to sleep";
		return fm == 3 ? "need attention" : "loyal";
	}
	if (fm == 1)
		return r == 4 ? "promising" : "new";
	if (fm <= 3)
		return "potential loyalist";
	return r == 4 ? "loyal" : "champions";
}

/* Won deals per customer and currency, in customer order. */
static const char sql_company[] =
    "SELECT d.company_id, c.name, d.currency, COUNT(*), "
    "MAX(COALESCE(d.closed_at, d.updated_at)), SUM(COALESCE(d.amount, 0)) "
    "FROM deals d LEFT JOIN companies c ON c.id = d.company_id WHERE "
    "d.status = 'won' AND d.company_id IS NOT NULL AND "
    "COALESCE(d.closed_at, d.updated_at) <= ?1 GROUP BY d.company_id, "
    "c.name, d.currency ORDER BY d.company_id, d.currency";
static const char sql_contact[] =
    "SELECT d.contact_id, TRIM(COALESCE(c.first_name, '') || ' ' || "
    "COALESCE(c.last_name, '')), d.currency, COUNT(*), "
    "MAX(COALESCE(d.closed_at, d.updated_at)), SUM(COALESCE(d.amount, 0)) "
    "FROM deals d LEFT JOIN contacts c ON c.id = d.contact_id WHERE "
    "d.status = 'won' AND d.contact_id IS NOT NULL AND "
    "COALESCE(d.closed_at, d.updated_at) <= ?1 GROUP BY d.contact_id, "
    "c.first_name, c.last_name, d.currency ORDER BY d.contact_id, "
    "d.currency";
static const char sql_clear[] =
    "DELETE FROM rfm_scores WHERE entity = ?1 AND at = ?2";
static const char sql_store[] =
    "INSERT INTO rfm_scores (entity, record_id, at, last_won_at, "
    "recency_days, frequency, monetary, currency, r, f, m, segment, "
    "scored_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

struct cust {
	struct crm_rfm r;
	char *name;
	long double money;
};

static int store(struct crm_db *db, const char *entity, const char *at,
		 const struct crm_rfm *r, struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	return crm_dbq_run(db, err, sql_store, "sissiiisiiisss", entity, r->id,
			   at, r->last_won_at, r->recency_days, r->frequency,
			   r->monetary, r->currency, (int64_t)r->r,
			   (int64_t)r->f, (int64_t)r->m, r->segment,
			   crm_datetime_format(db->now, now), db->actor);
}

struct load {
	const struct crm_rates *rates;
	struct cust **cs;
	size_t *n, cap;
	struct crm_strv *curs;
	struct crm_err *err;
};

/* One customer's won deals in a currency (rows come by customer). */
static int load_row(struct crm_stmt *st, void *arg)
{
	struct load *l = arg;
	int64_t id = crm_stmt_int(st, 0);
	const char *cur = crm_stmt_text(st, 2);
	const char *last = crm_stmt_text(st, 4);
	long double m = (long double)crm_stmt_int(st, 5);
	struct cust *c;

	if (!*l->n || (*l->cs)[*l->n - 1].r.id != id) {
		*l->cs = crm_xgrow(*l->cs, &l->cap, *l->n + 1, sizeof(**l->cs));
		c = &(*l->cs)[(*l->n)++];
		memset(c, 0, sizeof(*c));
		c->r.id = id;
		c->name = crm_stmt_dup(st, 1);
	}
	c = &(*l->cs)[*l->n - 1];
	c->r.frequency += crm_stmt_int(st, 3);
	if (last && strcmp(last, c->r.last_won_at) > 0)
		snprintf(c->r.last_won_at, sizeof(c->r.last_won_at), "%s",
			 last);
	if (cur && m != 0 && crm_strv_find(l->curs, cur) < 0)
		crm_strv_push(l->curs, cur);
	if (l->rates && m != 0 &&
	    crm_rates_convert(l->rates, cur, m, &m, l->err) < 0)
		return -1;
	c->money += m;
	return 0;
}

/* Read the won deals into customers; currencies seen go to curs. */
static int load(struct crm_db *db, bool by_contact, const char *at,
		const struct crm_rates *rates, struct cust **cs, size_t *n,
		struct crm_strv *curs, struct crm_err *err)
{
	struct load l = {
	    .rates = rates, .cs = cs, .n = n, .curs = curs, .err = err};

	return crm_dbq_each(db, err, load_row, &l,
			    by_contact ? sql_contact : sql_company, "s", at);
}

/* A customer's recency (k 0), frequency (1) or money (2). */
static double dimension(const struct cust *c, int k)
{
	return k == 0	? (double)c->r.recency_days
	       : k == 1 ? (double)c->r.frequency
			: (double)c->money;
}

int crm_rfm_run(struct crm_db *db, bool by_contact, crm_time at,
		const struct crm_rates *rates, bool dry_run,
		int (*fn)(const struct crm_rfm *r, void *arg), void *arg,
		uint64_t *n, struct crm_err *err)
{
	const char *entity = by_contact ? "contact" : "company";
	struct cust *cs = NULL;
	struct crm_strv curs = {0};
	double *v = NULL;
	int *q = NULL;
	size_t nc = 0;
	char att[CRM_TIME_LEN];
	const char *cur = NULL;
	int rc = -1;

	*n = 0;
	crm_datetime_format(at, att);
	if (crm_db_begin(db, err) < 0)
		return -1;
	if (load(db, by_contact, att, rates, &cs, &nc, &curs, err) < 0)
		goto out;
	if (rates)
		cur = rates->base;
	else if (curs.n > 1) {
		struct crm_buf b = {0};

		for (size_t i = 0; i < curs.n; i++)
			crm_buf_addf(&b, "%s%s", i ? ", " : "", curs.v[i]);
		crm_err_set(err, CRM_EX_USAGE,
			    "won deals in several currencies (%s): --rates "
			    "FILE converts them into one",
			    b.s);
		crm_buf_release(&b);
		goto out;
	} else if (curs.n == 1)
		cur = curs.v[0];
	v = crm_xmalloc((nc ? nc : 1) * sizeof(*v));
	q = crm_xmalloc((nc ? nc : 1) * sizeof(*q));
	for (size_t i = 0; i < nc; i++) {
		struct crm_rfm *r = &cs[i].r;
		crm_time t;
		struct crm_err e;

		if (crm_datetime_parse(r->last_won_at, &t, &e) < 0) {
			crm_err_set(err, CRM_EX_DATAERR,
				    "%s %lld: a won deal closed at '%s': %s",
				    entity, (long long)r->id, r->last_won_at,
				    e.msg);
			goto out;
		}
		r->recency_days = (at - t) / 86400;
		if (!crm_money_fits(cs[i].money)) {
			crm_money_overflow(err, "rfm");
			goto out;
		}
		r->monetary = (int64_t)llroundl(cs[i].money);
		r->currency = cur;
		r->name = cs[i].name;
	}
	/* r, f, m: recency (lower is better), frequency, money */
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < nc; i++)
			v[i] = dimension(&cs[i], k);
		crm_rfm_quintiles(v, nc, k == 0, q);
		for (size_t i = 0; i < nc; i++)
			*(k == 0   ? &cs[i].r.r
			  : k == 1 ? &cs[i].r.f
				   : &cs[i].r.m) = q[i];
	}
	if (crm_dbq_run(db, err, sql_clear, "ss", entity, att) < 0)
		goto out;
	for (size_t i = 0; i < nc; i++) {
		struct crm_rfm *r = &cs[i].r;

		r->segment = crm_rfm_segment(r->r, r->f, r->m);
		if (store(db, entity, att, r, err) < 0)
			goto out;
		if (fn && fn(r, arg) < 0)
			goto out;
	}
	*n = nc;
	rc = crm_db_finish(db, dry_run, err);
out:
	if (rc < 0)
		crm_db_rollback(db);
	for (size_t i = 0; i < nc; i++)
		free(cs[i].name);
	free(cs);
	free(v);
	free(q);
	crm_strv_release(&curs);
	return rc;
}
