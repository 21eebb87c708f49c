/* campaign_roi.c - campaign ROI and attribution (see campaign_roi.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "campaign_roi.h"
#include "dbq.h"

int crm_attr_model_parse(const char *s)
{
	if (!strcmp(s, "first"))
		return CRM_ATTR_FIRST;
	if (!strcmp(s, "last"))
		return CRM_ATTR_LAST;
	if (!strcmp(s, "linear"))
		return CRM_ATTR_LINEAR;
	if (!strcmp(s, "u") || !strcmp(s, "u-shaped"))
		return CRM_ATTR_U;
	return -1;
}

/* Integer weights of touch i of n. */
static uint64_t weight(size_t i, size_t n, enum crm_attr_model model)
{
	switch (model) {
	case CRM_ATTR_FIRST:
		return i == 0;
	case CRM_ATTR_LAST:
		return i == n - 1;
	case CRM_ATTR_LINEAR:
		return 1;
	case CRM_ATTR_U:
		if (n <= 2)
			return 1;
		/* 40 : 20/(n-2) each : 40, times 5(n-2)/2 */
		return i == 0 || i == n - 1 ? 20 * (uint64_t)(n - 2) : 10;
	}
	return 1;
}

void crm_attribute(int64_t amount, size_t n, enum crm_attr_model model,
		   int64_t *shares)
{
	unsigned __int128 total = 0, left;
	uint64_t a =
	    amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
	uint64_t *rem;

	if (!n)
		return;
	rem = crm_xcalloc(n, sizeof(*rem));
	for (size_t i = 0; i < n; i++)
		total += weight(i, n, model);
	left = a;
	for (size_t i = 0; i < n; i++) {
		unsigned __int128 x =
		    (unsigned __int128)a * weight(i, n, model);

		shares[i] = (int64_t)(x / total);
		rem[i] = (uint64_t)(x % total);
		left -= (unsigned __int128)shares[i];
	}
	while (left > 0) { /* fewer than n units */
		size_t best = 0;

		for (size_t i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		shares[best]++;
		rem[best] = 0;
		left--;
	}
	if (amount < 0)
		for (size_t i = 0; i < n; i++)
			shares[i] = -shares[i];
	free(rem);
}

/* -- the report -------------------------------------------------------- */

struct roi {
	struct crm_roi_row *r;
	size_t n, cap;
	const struct crm_roi_opts *o;
	struct crm_err *err;
};

static int64_t row_of(const struct roi *x, int64_t id)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->r[i].id == id)
			return (int64_t)i;
	return -1;
}

static struct crm_roi_money *money(struct crm_roi_row *r, const char *cur)
{
	size_t i;

	for (i = 0; i < r->nm && strcmp(r->m[i].cur, cur); i++)
		;
	if (i == r->nm) {
		r->m = crm_xrealloc(r->m, (r->nm + 1) * sizeof(*r->m));
		memset(&r->m[i], 0, sizeof(*r->m));
		snprintf(r->m[i].cur, sizeof(r->m[i].cur), "%s", cur);
		/* keep them ordered by currency */
		while (i > 0 && strcmp(r->m[i - 1].cur, r->m[i].cur) > 0) {
			struct crm_roi_money t = r->m[i - 1];
			r->m[i - 1] = r->m[i];
			r->m[i] = t;
			i--;
		}
		r->nm++;
	}
	return &r->m[i];
}

/* amount of cur in the report's currency (*out_cur): converted and
 * rounded with rates, else as it is. */
static int convert(const struct roi *x, const char *cur, int64_t amount,
		   int64_t *out, const char **out_cur)
{
	long double v;

	if (!x->o->rates) {
		*out = amount;
		*out_cur = cur;
		return 0;
	}
	if (crm_rates_convert(x->o->rates, cur, (long double)amount, &v,
			      x->err) < 0)
		return -1;
	*out = (int64_t)llroundl(v);
	*out_cur = x->o->rates->base;
	return 0;
}

static int add_node(const struct crm_campaign_node *nd, void *arg)
{
	struct roi *x = arg;
	struct crm_roi_row *r;

	x->r = crm_xgrow(x->r, &x->cap, x->n + 1, sizeof(*x->r));
	r = &x->r[x->n++];
	memset(r, 0, sizeof(*r));
	r->id = nd->id;
	r->parent_id = nd->parent_id;
	r->name = crm_xstrdup(nd->name ? nd->name : "");
	r->path = crm_xstrdup(nd->path ? nd->path : "");
	r->depth = nd->depth;
	r->members = nd->members;
	r->responses = nd->responses;
	if (nd->currency && nd->cost) {
		const char *c;
		if (convert(x, nd->currency, nd->cost, &r->cost, &c) < 0)
			return -1;
		snprintf(r->cost_cur, sizeof(r->cost_cur), "%s", c);
	}
	return 0;
}

static int lead_row(struct crm_stmt *st, void *arg)
{
	struct roi *x = arg;
	int64_t i = row_of(x, crm_stmt_int(st, 0));

	if (i >= 0) {
		x->r[i].leads = (uint64_t)crm_stmt_int(st, 1);
		x->r[i].converted = (uint64_t)crm_stmt_int(st, 2);
	}
	return 0;
}

static int leads(struct roi *x, struct crm_db *db)
{
	return crm_dbq_each(
	    db, x->err, lead_row, x,
	    "SELECT m.campaign_id, count(*), sum(CASE WHEN l.status = "
	    "'converted' THEN 1 ELSE 0 END) FROM campaign_members m JOIN "
	    "leads l ON l.id = m.record_id WHERE m.entity = 'lead' GROUP BY "
	    "m.campaign_id",
	    "");
}

/* One deal's touches (row indexes, in order) applied. */
static int deal_done(struct roi *x, const int64_t *t, size_t nt, bool won,
		     int64_t amount, const char *cur)
{
	int64_t *shares, conv;
	const char *c;

	if (!nt)
		return 0;
	for (size_t i = 0; i < nt; i++) {
		x->r[t[i]].deals++;
		if (won)
			x->r[t[i]].won_deals++;
	}
	if (!won || !cur)
		return 0;
	if (convert(x, cur, amount, &conv, &c) < 0)
		return -1;
	shares = crm_xcalloc(nt, sizeof(*shares));
	crm_attribute(conv, nt, x->o->model, shares);
	for (size_t i = 0; i < nt; i++) {
		struct crm_roi_money *m = money(&x->r[t[i]], c);
		m->won += conv;
		m->attributed += shares[i];
	}
	free(shares);
	return 0;
}

static int deals(struct roi *x, struct crm_db *db)
{
	/* a deal's touches: its lead's memberships, else its contact's */
	struct crm_stmt *st = crm_db_stmt(
	    db,
	    "SELECT d.id, d.status, d.amount, d.currency, m.campaign_id, "
	    "m.entity FROM deals d JOIN campaign_members m ON (m.entity = "
	    "'lead' AND m.record_id = d.lead_id) OR (m.entity = 'contact' AND "
	    "m.record_id = d.contact_id) ORDER BY d.id, m.added_at, m.id",
	    x->err);
	int64_t cur_deal = 0, amount = 0, *t = NULL;
	size_t nt = 0, cap = 0;
	bool won = false, by_lead = false;
	char cur[4] = "";
	int rc;

	if (!st)
		return -1;
	while ((rc = crm_stmt_step(st, x->err)) > 0) {
		int64_t id = crm_stmt_int(st, 0), ri;
		bool lead = !strcmp(crm_stmt_text(st, 5), "lead");

		if (id != cur_deal) {
			if (deal_done(x, t, nt, won, amount,
				      *cur ? cur : NULL) < 0) {
				rc = -1;
				break;
			}
			nt = 0;
			cur_deal = id;
			won = crm_stmt_text(st, 1) &&
			      !strcmp(crm_stmt_text(st, 1), "won");
			amount = crm_stmt_int(st, 2);
			snprintf(cur, sizeof(cur), "%s",
				 crm_stmt_text(st, 3) ? crm_stmt_text(st, 3)
						      : "");
			by_lead = lead;
		}
		if (lead) {
			if (!by_lead) { /* the lead's touches win */
				nt = 0;
				by_lead = true;
			}
		} else if (by_lead) {
			continue;
		}
		ri = row_of(x, crm_stmt_int(st, 4));
		if (ri < 0)
			continue;
		t = crm_xgrow(t, &cap, nt + 1, sizeof(*t));
		t[nt++] = ri;
	}
	crm_stmt_finalize(st);
	if (rc == 0 && deal_done(x, t, nt, won, amount, *cur ? cur : NULL) < 0)
		rc = -1;
	free(t);
	return rc < 0 ? -1 : 0;
}

/* Add row s's own figures to row d (a roll-up). */
static void add_row(struct crm_roi_row *d, const struct crm_roi_row *s,
		    bool *mixed)
{
	d->members += s->members;
	d->responses += s->responses;
	d->leads += s->leads;
	d->converted += s->converted;
	d->deals += s->deals;
	d->won_deals += s->won_deals;
	if (*s->cost_cur) {
		if (!*d->cost_cur && !*mixed)
			memcpy(d->cost_cur, s->cost_cur, 4);
		if (!strcmp(d->cost_cur, s->cost_cur))
			d->cost += s->cost;
		else
			*mixed = true;
	}
	for (size_t i = 0; i < s->nm; i++) {
		struct crm_roi_money *m = money(d, s->m[i].cur);
		m->won += s->m[i].won;
		m->attributed += s->m[i].attributed;
	}
}

static void rollup(struct roi *x)
{
	struct crm_roi_row *tot = crm_xcalloc(x->n, sizeof(*tot));

	for (size_t i = 0; i < x->n; i++) {
		bool mixed = false;

		tot[i].id = x->r[i].id;
		/* the subtree of i follows it in tree order, deeper */
		for (size_t k = i; k < x->n; k++) {
			if (k > i && x->r[k].depth <= x->r[i].depth)
				break;
			add_row(&tot[i], &x->r[k], &mixed);
		}
		if (mixed) {
			tot[i].cost_cur[0] = '\0';
			tot[i].cost = 0;
		}
	}
	for (size_t i = 0; i < x->n; i++) {
		free(x->r[i].m);
		x->r[i].m = tot[i].m;
		x->r[i].nm = tot[i].nm;
		x->r[i].members = tot[i].members;
		x->r[i].responses = tot[i].responses;
		x->r[i].leads = tot[i].leads;
		x->r[i].converted = tot[i].converted;
		x->r[i].deals = tot[i].deals;
		x->r[i].won_deals = tot[i].won_deals;
		memcpy(x->r[i].cost_cur, tot[i].cost_cur, 4);
		x->r[i].cost = tot[i].cost;
	}
	free(tot);
}

int crm_campaign_roi(struct crm_db *db, const struct crm_roi_opts *o,
		     struct crm_roi_row **rows, size_t *n, struct crm_err *err)
{
	struct roi x = {.o = o, .err = err};

	*rows = NULL;
	*n = 0;
	if (crm_campaign_tree(db, NULL, 0, add_node, &x, err) < 0 ||
	    leads(&x, db) < 0 || deals(&x, db) < 0) {
		crm_campaign_roi_free(x.r, x.n);
		return -1;
	}
	if (o->rollup)
		rollup(&x);
	*rows = x.r;
	*n = x.n;
	return 0;
}

void crm_campaign_roi_free(struct crm_roi_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].path);
		free(rows[i].m);
	}
	free(rows);
}

/* -- attribution to sources -------------------------------------------- */

struct src {
	struct crm_src_row *r;
	size_t n, cap;
};

static struct crm_src_row *src_row(struct src *x, const char *source,
				   const char *cur)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		if (!strcmp(x->r[i].source, source) &&
		    !strcmp(x->r[i].cur, cur))
			return &x->r[i];
	x->r = crm_xgrow(x->r, &x->cap, x->n + 1, sizeof(*x->r));
	memset(&x->r[i], 0, sizeof(*x->r));
	x->r[i].source = crm_xstrdup(source);
	snprintf(x->r[i].cur, sizeof(x->r[i].cur), "%s", cur);
	x->n++;
	return &x->r[i];
}

/* One won deal: its touches' sources (in order, nt of them) or, with
 * none, the fallback source. */
static int src_deal(struct src *x, const struct roi *cv, char **t, size_t nt,
		    char *fallback, int64_t amount, const char *cur)
{
	char *one = fallback;
	const char *c;
	int64_t conv, *shares;
	char **src = t;

	if (!*cur)
		return 0;
	if (convert(cv, cur, amount, &conv, &c) < 0)
		return -1;
	if (!nt) {
		src = &one;
		nt = 1;
	}
	shares = crm_xcalloc(nt, sizeof(*shares));
	crm_attribute(conv, nt, cv->o->model, shares);
	for (size_t i = 0; i < nt; i++) {
		struct crm_src_row *r = src_row(x, src[i], c);
		bool seen = false;

		for (size_t k = 0; k < i; k++)
			if (!strcmp(src[k], src[i]))
				seen = true;
		if (!seen) { /* the deal once per source */
			r->deals++;
			r->won += conv;
		}
		r->attributed += shares[i];
	}
	free(shares);
	return 0;
}

static int src_cmp(const void *a, const void *b)
{
	const struct crm_src_row *x = a, *y = b;
	int c = strcmp(x->source, y->source);

	return c ? c : strcmp(x->cur, y->cur);
}

static char *text_or(struct crm_stmt *st, int col, const char *dflt)
{
	const char *s = crm_stmt_text(st, col);

	return crm_xstrdup(s && *s ? s : dflt);
}

/* Forget the touches of a deal (their sources, nt of them). */
static void drop_touches(char **t, size_t *nt)
{
	for (size_t i = 0; i < *nt; i++)
		free(t[i]);
	*nt = 0;
}

int crm_source_roi(struct crm_db *db, const struct crm_roi_opts *o,
		   struct crm_src_row **rows, size_t *n, struct crm_err *err)
{
	/* the touches of crm_campaign_roi: the lead's memberships, else the
	 * contact's (lead = 1 sorts first, so the lead's come first) */
	struct crm_stmt *st = crm_db_stmt(
	    db,
	    "SELECT d.id, d.amount, d.currency, CASE m.entity WHEN 'lead' "
	    "THEN 1 WHEN 'contact' THEN 0 END, c.id, "
	    "coalesce(nullif(c.channel, ''), nullif(c.type, '')), "
	    "coalesce(nullif(l.source, ''), nullif(d.source, '')) FROM deals "
	    "d LEFT JOIN leads l ON l.id = d.lead_id LEFT JOIN "
	    "campaign_members m ON (m.entity = 'lead' AND m.record_id = "
	    "d.lead_id) OR (m.entity = 'contact' AND m.record_id = "
	    "d.contact_id) LEFT JOIN campaigns c ON c.id = m.campaign_id "
	    "WHERE d.status = 'won' ORDER BY d.id, m.added_at, m.id",
	    err);
	struct roi cv = {.o = o, .err = err};
	struct src x = {0};
	int64_t cur_deal = 0, amount = 0;
	char **t = NULL, *fallback = NULL, cur[4] = "";
	size_t nt = 0, cap = 0;
	bool by_lead = false, any = false;
	int rc;

	*rows = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = crm_stmt_step(st, err)) > 0) {
		int64_t id = crm_stmt_int(st, 0);
		bool lead = crm_stmt_int(st, 3) == 1;

		if (!any || id != cur_deal) {
			if (any && src_deal(&x, &cv, t, nt, fallback, amount,
					    cur) < 0) {
				rc = -1;
				break;
			}
			drop_touches(t, &nt);
			free(fallback);
			any = true;
			cur_deal = id;
			amount = crm_stmt_int(st, 1);
			snprintf(cur, sizeof(cur), "%s",
				 crm_stmt_text(st, 2) ? crm_stmt_text(st, 2)
						      : "");
			fallback = text_or(st, 6, "(none)");
			by_lead = lead;
		}
		if (crm_stmt_is_null(st, 4))
			continue; /* no membership, or its campaign is gone */
		if (lead) {
			if (!by_lead) { /* the lead's touches win */
				drop_touches(t, &nt);
				by_lead = true;
			}
		} else if (by_lead) {
			continue;
		}
		t = crm_xgrow(t, &cap, nt + 1, sizeof(*t));
		t[nt++] = text_or(st, 5, "(none)");
	}
	crm_stmt_finalize(st);
	if (rc == 0 && any &&
	    src_deal(&x, &cv, t, nt, fallback, amount, cur) < 0)
		rc = -1;
	crm_strs_free(t, nt);
	free(fallback);
	if (rc < 0) {
		crm_source_roi_free(x.r, x.n);
		return -1;
	}
	if (x.n)
		qsort(x.r, x.n, sizeof(*x.r), src_cmp);
	*rows = x.r;
	*n = x.n;
	return 0;
}

void crm_source_roi_free(struct crm_src_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rows[i].source);
	free(rows);
}
