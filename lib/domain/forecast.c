/* forecast.c - the forecast: deals summed per period, currency and owner,
 * in minor units (long double: exact for sums below 2^64). */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "deal.h"
#include "filter.h"
#include "forecast.h"
#include "money.h"

/* -- rates ------------------------------------------------------------- */

void crm_rates_release(struct crm_rates *r)
{
	free(r->v);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

#define RATES_WANT "expected an object with \"base\" and \"rates\" only"

/* crm_config_text_read: the rates file's root into r (arg). */
static int parse_rates(const char *name, json_t *root, void *arg,
		       struct crm_err *err)
{
	struct crm_rates *r = arg;
	json_t *base = json_object_get(root, "base");
	json_t *rates = json_object_get(root, "rates"), *v;
	const char *k;

	if (json_object_size(root) != 2 || !base || !rates)
		return crm_err_set(err, CRM_EX_CONFIG, "%s", RATES_WANT);
	if (!json_is_string(base) ||
	    crm_money_exponent(json_string_value(base)) < 0)
		return crm_err_set(err, CRM_EX_CONFIG,
				   "base: expected a currency code like EUR");
	if (!json_is_object(rates))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "rates: expected an object");
	snprintf(r->base, sizeof(r->base), "%s", json_string_value(base));
	r->v = crm_xcalloc(json_object_size(rates) + 1, sizeof(*r->v));
	json_object_foreach(rates, k, v)
	{
		if (crm_money_exponent(k) < 0)
			return crm_err_set(err, CRM_EX_CONFIG,
					   "rates: '%s': expected a currency "
					   "code like USD",
					   k);
		if (!json_is_number(v) || json_number_value(v) <= 0)
			return crm_err_set(err, CRM_EX_CONFIG,
					   "rates: %s: expected a number "
					   "above 0",
					   k);
		snprintf(r->v[r->n].cur, sizeof(r->v[r->n].cur), "%s", k);
		r->v[r->n++].rate = (long double)json_number_value(v);
	}
	r->path = crm_xstrdup(name);
	return 0;
}

int crm_rates_parse(const char *text, const char *name, struct crm_rates *r,
		    struct crm_err *err)
{
	memset(r, 0, sizeof(*r));
	if (crm_config_text_read(text, name, RATES_WANT, parse_rates, r, err) <
	    0) {
		crm_rates_release(r);
		return -1;
	}
	return 0;
}

int crm_rates_load(const char *path, struct crm_rates *r, struct crm_err *err)
{
	return crm_rates_parse(NULL, path, r, err);
}

int crm_rates_convert(const struct crm_rates *r, const char *cur,
		      long double minor, long double *out, struct crm_err *err)
{
	long double rate = -1;
	int es, eb = crm_money_exponent(r->base);

	if (!cur || !strcmp(cur, r->base)) {
		*out = minor;
		return 0;
	}
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].cur, cur))
			rate = r->v[i].rate;
	if (rate < 0) {
		crm_err_clear(err);
		snprintf(err->file, sizeof(err->file), "%s",
			 r->path ? r->path : "rates");
		return crm_err_set(err, CRM_EX_CONFIG, "no rate for %s", cur);
	}
	es = crm_money_exponent(cur);
	*out = minor * rate * powl(10.0L, (long double)(eb - es));
	return 0;
}

/* -- periods and rows -------------------------------------------------- */

void crm_forecast_period(const char *date, enum crm_period p, char out[16])
{
	int m;

	/* by hand: snprintf here was 9% of a forecast's instructions */
	out[0] = '\0';
	if (!date || strnlen(date, 7) < 7 || date[4] != '-')
		return;
	if (p == CRM_PERIOD_MONTH) {
		memcpy(out, date, 7);
		out[7] = '\0';
		return;
	}
	m = atoi(date + 5);
	if (m < 1 || m > 12)
		return;
	memcpy(out, date, 4);
	memcpy(out + 4, "-Q", 2);
	out[6] = (char)('0' + (m - 1) / 3 + 1);
	out[7] = '\0';
}

void crm_forecast_init(struct crm_forecast *fc, enum crm_period period,
		       bool by_owner, const struct crm_rates *rates,
		       crm_time now)
{
	char buf[CRM_TIME_LEN];

	memset(fc, 0, sizeof(*fc));
	fc->period = period;
	fc->by_owner = by_owner;
	fc->rates = rates;
	snprintf(fc->now, sizeof(fc->now), "%s", crm_datetime_format(now, buf));
}

void crm_forecast_release(struct crm_forecast *fc)
{
	for (size_t i = 0; i < fc->n; i++) {
		free(fc->rows[i].period);
		free(fc->rows[i].owner);
		free(fc->rows[i].currency);
	}
	free(fc->rows);
	free(fc->hash);
	memset(fc, 0, sizeof(*fc));
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (h ^ 0xff) * 1099511628211u; /* a separator: NULL != "" */
}

static void rehash(struct crm_forecast *fc)
{
	fc->hcap = fc->hcap ? fc->hcap * 2 : 64;
	free(fc->hash);
	fc->hash = crm_xcalloc(fc->hcap, sizeof(*fc->hash));
	for (size_t i = 0; i < fc->n; i++) {
		const struct crm_forecast_row *r = &fc->rows[i];
		uint64_t h = hash_str(
		    hash_str(hash_str(14695981039346656037u, r->period),
			     r->owner),
		    r->currency);
		size_t k = h & (fc->hcap - 1);

		while (fc->hash[k])
			k = (k + 1) & (fc->hcap - 1);
		fc->hash[k] = i + 1;
	}
}

static struct crm_forecast_row *row_for(struct crm_forecast *fc,
					const char *period, const char *owner,
					const char *cur)
{
	uint64_t h;
	size_t k;
	struct crm_forecast_row *r;

	if (!*period)
		period = NULL;
	if ((fc->n + 1) * 2 > fc->hcap)
		rehash(fc);
	h = hash_str(hash_str(hash_str(14695981039346656037u, period), owner),
		     cur);
	for (k = h & (fc->hcap - 1); fc->hash[k];
	     k = (k + 1) & (fc->hcap - 1)) {
		r = &fc->rows[fc->hash[k] - 1];
		if (crm_str_same(r->period, period) &&
		    crm_str_same(r->owner, owner) &&
		    crm_str_same(r->currency, cur))
			return r;
	}
	fc->rows = crm_xgrow(fc->rows, &fc->cap, fc->n + 1, sizeof(*fc->rows));
	r = &fc->rows[fc->n];
	memset(r, 0, sizeof(*r));
	r->period = period ? crm_xstrdup(period) : NULL;
	r->owner = owner ? crm_xstrdup(owner) : NULL;
	r->currency = cur ? crm_xstrdup(cur) : NULL;
	fc->hash[k] = ++fc->n;
	return r;
}

/* Every sum of r prints as minor units (crm_money_fits). */
static bool row_fits(const struct crm_forecast_row *r)
{
	bool ok = crm_money_fits(r->open) && crm_money_fits(r->won) &&
		  crm_money_fits(r->weighted / 100);

	for (int k = 0; k < CRM_FCAT_N; k++)
		ok = ok && crm_money_fits(r->cat[k]);
	return ok;
}

int crm_forecast_add(struct crm_forecast *fc, const struct crm_forecast_deal *d,
		     struct crm_err *err)
{
	bool open = d->status && !strcmp(d->status, "open");
	bool won = d->status && !strcmp(d->status, "won");
	const char *cur = d->currency;
	struct crm_forecast_row *r;
	long double amount = (long double)d->amount;
	char period[16];

	if (!open && !won)
		return 0;
	if (won && (!d->closed_at || strcmp(d->closed_at, fc->now) > 0))
		return 0; /* not won yet, as of now */
	if (fc->rates) {
		if (d->amount &&
		    crm_rates_convert(fc->rates, cur, amount, &amount, err) < 0)
			return -1;
		cur = fc->rates->base;
	}
	crm_forecast_period(open ? d->expected_close : d->closed_at, fc->period,
			    period);
	r = row_for(fc, period, fc->by_owner ? d->owner : NULL, cur);
	if (open) {
		r->open_deals++;
		r->open += amount;
		r->weighted += amount * (long double)d->probability;
		if (fc->model && !isnan(d->model_probability)) {
			r->model += amount * (long double)d->model_probability;
			r->scored_deals++;
		} else if (fc->model) {
			r->model += amount * (long double)d->probability;
		}
	} else {
		r->won_deals++;
		r->won += amount;
	}
	if (d->category >= 0 && d->category < CRM_FCAT_N)
		r->cat[d->category] += amount;
	if (!row_fits(r))
		return crm_money_overflow(err, "forecast");
	return 0;
}

static int cmp_null_last(const char *a, const char *b)
{
	if (!a || !b)
		return !a - !b;
	return strcmp(a, b);
}

static int cmp_row(const void *x, const void *y)
{
	const struct crm_forecast_row *a = x, *b = y;
	int c = cmp_null_last(a->period, b->period);

	if (!c)
		c = cmp_null_last(a->owner, b->owner);
	if (!c)
		c = cmp_null_last(a->currency, b->currency);
	return c;
}

void crm_forecast_sort(struct crm_forecast *fc)
{
	if (fc->n)
		qsort(fc->rows, fc->n, sizeof(*fc->rows), cmp_row);
	free(fc->hash); /* the indexes moved */
	fc->hash = NULL;
	fc->hcap = 0;
}

const char *const crm_forecast_columns[] = {
    "period",	       "owner",	    "currency",	  "open_deals", "open_amount",
    "weighted_amount", "pipeline",  "best_case",  "commit",	"closed",
    "omitted",	       "won_deals", "closed_won", NULL};
const char *const crm_forecast_model_columns[] = {
    "period",	   "owner",	      "currency",     "open_deals",
    "open_amount", "weighted_amount", "model_amount", "scored_deals",
    "pipeline",	   "best_case",	      "commit",	      "closed",
    "omitted",	   "won_deals",	      "closed_won",   NULL};

static void add_money(struct crm_rec *rec, const char *name, long double v,
		      const char *cur)
{
	char buf[32];

	crm_money_format((int64_t)llroundl(v), cur ? cur : "XXX", buf);
	crm_rec_add(rec, name, strlen(name), buf, strlen(buf), CRM_RAW);
}

static void add_count(struct crm_rec *rec, const char *name, uint64_t n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)n);
	crm_rec_add(rec, name, strlen(name), buf, strlen(buf), CRM_RAW);
}

void crm_forecast_rec(const struct crm_forecast *fc, size_t i,
		      struct crm_rec *rec)
{
	const struct crm_forecast_row *r = &fc->rows[i];

	crm_rec_clear(rec);
	crm_rec_adds(rec, "period", r->period);
	if (fc->by_owner)
		crm_rec_adds(rec, "owner", r->owner);
	crm_rec_adds(rec, "currency", r->currency);
	add_count(rec, "open_deals", r->open_deals);
	add_money(rec, "open_amount", r->open, r->currency);
	add_money(rec, "weighted_amount", r->weighted / 100, r->currency);
	if (fc->model) {
		add_money(rec, "model_amount", r->model / 100, r->currency);
		add_count(rec, "scored_deals", r->scored_deals);
	}
	for (int k = 0; k < CRM_FCAT_N; k++)
		add_money(rec, crm_fcat_names[k], r->cat[k], r->currency);
	add_count(rec, "won_deals", r->won_deals);
	add_money(rec, "closed_won", r->won, r->currency);
}

struct add_ctx {
	struct crm_forecast *fc;
	struct crm_err *err;
};

/* crm_stmt_each: count one deal row */
static int add_row(struct crm_stmt *st, void *arg)
{
	struct add_ctx *c = arg;
	struct crm_forecast_deal d = {
	    .status = crm_stmt_text(st, 0),
	    .expected_close = crm_stmt_text(st, 1),
	    .closed_at = crm_stmt_text(st, 2),
	    .owner = crm_stmt_text(st, 3),
	    .currency = crm_stmt_text(st, 4),
	    .amount = crm_stmt_int(st, 5),
	    .probability = crm_stmt_double(st, 6),
	    .category = crm_fcat_parse(crm_stmt_text(st, 7)),
	    .model_probability = NAN,
	};

	if (c->fc->model && !crm_stmt_is_null(st, 8))
		d.model_probability = crm_stmt_double(st, 8);

	return crm_forecast_add(c->fc, &d, c->err);
}

int crm_forecast_run(struct crm_db *db, struct crm_forecast *fc,
		     const struct crm_strv *where, struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_binds b = {0};
	struct add_ctx c = {fc, err};

	crm_buf_adds(&sql, "SELECT status, expected_close, closed_at, owner, "
			   "currency, amount, probability, forecast_category");
	if (fc->model) /* the latest score (lib/analytics/dealscore.c) */
		crm_buf_adds(&sql, ", (SELECT s.probability FROM deal_scores "
				   "s WHERE s.deal_id = deals.id ORDER BY "
				   "s.at DESC, s.id DESC LIMIT 1)");
	crm_buf_adds(&sql, " FROM deals WHERE status IN ('open', 'won')");
	return crm_deal_each(db, &sql, &b, where, NULL, -1, add_row, &c, err);
}
