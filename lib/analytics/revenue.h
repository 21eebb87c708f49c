/* revenue.h - won revenue as time series (per week, month or quarter,
 * per owner or region) for the seasonal forecast of crm-score forecast
 * (ets.c does the arithmetic). */
#ifndef CRM_REVENUE_H
#define CRM_REVENUE_H

#include <stdint.h>

#include "db.h"
struct crm_rates; /* forecast.h */

enum crm_rev_period { CRM_REV_WEEK, CRM_REV_MONTH, CRM_REV_QUARTER };
/* Periods per season: 52, 12, 4. */
int crm_rev_season(enum crm_rev_period p);
/* The label of period index k: "2026-11-16" (the Monday of a week),
 * "2026-11", "2026-Q4". */
void crm_rev_label(enum crm_rev_period p, int64_t k, char out[16]);

struct crm_rev_series {
	char *group;   /* owner, region or family; NULL: none (or no --by) */
	int64_t first; /* period index of y[0] */
	double *y;     /* won amount in major units of the currency */
	size_t n;
};

struct crm_revenue {
	enum crm_rev_period period;
	char currency[4];
	struct crm_rev_series *v;
	size_t n;
};
void crm_revenue_release(struct crm_revenue *r);

/* The won deals closed before the period db->now falls in, summed per
 * period (and per owner or region when by is "owner" or "region"; per
 * product family when by is "family": a deal's amount split over the
 * families in proportion to the line amounts of its accepted quotes'
 * accepted versions, a deal without one in the NULL group), each
 * series from its first period with a win to the last complete period,
 * empty periods 0. Amounts in one currency: several need rates (else
 * CRM_EX_DATAERR naming them). Groups sorted, none last. Returns 0 or
 * -1. */
int crm_revenue_load(struct crm_db *db, enum crm_rev_period p, const char *by,
		     const struct crm_rates *rates, struct crm_revenue *out,
		     struct crm_err *err);
/* The same for the won deals in currency only (without rates; NULL: all):
 * the dashboard's forecast in its currency. */
int crm_revenue_load_in(struct crm_db *db, enum crm_rev_period p,
			const char *by, const struct crm_rates *rates,
			const char *only, struct crm_revenue *out,
			struct crm_err *err);

#endif
