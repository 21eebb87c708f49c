/* forecast.h - the sales forecast: per period and currency (and owner),
 * the open amount, the weighted amount, the amounts per forecast category
 * and what was won so far; and exchange rates for a forecast in one
 * currency. */
#ifndef CRM_FORECAST_H
#define CRM_FORECAST_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "pipeline.h"
#include "record.h"

/* Exchange rates into one base currency, from a JSON file
 * {"base": "EUR", "rates": {"USD": 0.92, ...}}: one unit of USD is 0.92
 * EUR. */
struct crm_rates {
	char base[4];
	struct crm_rate {
		char cur[4];
		long double rate;
	} * v;
	size_t n;
	char *path;
};
/* Read and check a rates file; errors are CRM_EX_CONFIG naming the file
 * (err->file) and the entry. Returns 0 or -1 (r left empty). */
int crm_rates_load(const char *path, struct crm_rates *r, struct crm_err *err);
/* The same from JSON text (name is used in messages; text NULL: the file
 * name, which is what crm_rates_load does). */
int crm_rates_parse(const char *json, const char *name, struct crm_rates *r,
		    struct crm_err *err);
void crm_rates_release(struct crm_rates *r);
/* minor units of cur in minor units of r->base (not rounded). Returns 0,
 * or -1 when there is no rate for cur (CRM_EX_CONFIG). */
int crm_rates_convert(const struct crm_rates *r, const char *cur,
		      long double minor, long double *out, struct crm_err *err);

enum crm_period { CRM_PERIOD_MONTH, CRM_PERIOD_QUARTER };
/* The period a date or time ("2026-11-05", "2026-11-05T10:00:00Z") falls
 * in: "2026-11" or "2026-Q4"; "" when date is NULL or too short. */
void crm_forecast_period(const char *date, enum crm_period p, char out[16]);

/* One deal as the forecast sees it. */
struct crm_forecast_deal {
	const char *status;	    /* "open", "won" (others are ignored) */
	const char *expected_close; /* an open deal's period */
	const char *closed_at;	    /* a won deal's period */
	const char *owner, *currency;
	int64_t amount; /* minor units; 0 when none */
	double probability;
	int category;		  /* enum crm_fcat, -1 when none */
	double model_probability; /* the latest deal_scores probability;
				     NAN: none (the stage's counts) */
};

struct crm_forecast_row {
	char *period; /* NULL: open deals with no expected close */
	char *owner;  /* NULL unless by owner (or no owner) */
	char *currency;
	uint64_t open_deals, won_deals;
	/* minor units of currency; weighted is amount x probability / 100 */
	long double open, weighted, cat[CRM_FCAT_N], won;
	long double model;     /* amount x model probability / 100 */
	uint64_t scored_deals; /* open deals with a model probability */
};

struct crm_forecast {
	enum crm_period period;
	bool by_owner;
	bool model; /* --method model: model_amount and scored_deals too */
	const struct crm_rates *rates; /* NULL: each currency on its own */
	char now[32];		       /* won deals count up to now */
	struct crm_forecast_row *rows;
	size_t n, cap;
	size_t *hash, hcap; /* open addressing: index + 1, 0 empty */
};

void crm_forecast_init(struct crm_forecast *fc, enum crm_period period,
		       bool by_owner, const struct crm_rates *rates,
		       crm_time now);
void crm_forecast_release(struct crm_forecast *fc);
/* Count one deal. Returns 0, or -1 when a rate is missing. */
int crm_forecast_add(struct crm_forecast *fc, const struct crm_forecast_deal *d,
		     struct crm_err *err);
/* Sort the rows: period (none last), owner, currency. */
void crm_forecast_sort(struct crm_forecast *fc);
/* Row i as an output record (columns crm_forecast_columns, without owner
 * unless by owner), amounts rounded to minor units as decimal strings. */
void crm_forecast_rec(const struct crm_forecast *fc, size_t i,
		      struct crm_rec *rec);
/* The columns: NULL-terminated; owner is the second. With fc->model,
 * crm_forecast_model_columns (model_amount and scored_deals after
 * weighted_amount). */
extern const char *const crm_forecast_columns[];
extern const char *const crm_forecast_model_columns[];

/* Add every open or won deal that where (field OP value each, may be NULL)
 * selects. Returns 0 or -1. */
int crm_forecast_run(struct crm_db *db, struct crm_forecast *fc,
		     const struct crm_strv *where, struct crm_err *err);

#endif
