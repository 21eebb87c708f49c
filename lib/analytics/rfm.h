/* rfm.h - recency, frequency and monetary value of won deals per company
 * (or contact), quintile scores 1-5 at an analysis time and the named
 * segments of the common RFM segment map; stored in rfm_scores. */
#ifndef CRM_RFM_H
#define CRM_RFM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "forecast.h"

/* Quintile scores of n values into out[n]: 1 + floor(5 * k / n), k the
 * number of values strictly worse (smaller, or with lower_better larger),
 * so equal values share a score and the best fifth gets 5. */
void crm_rfm_quintiles(const double *v, size_t n, bool lower_better, int *out);

/* The segment of scores r, f, m (1-5) on the R x FM grid, FM = (f + m)
 * / 2 rounded up: "champions", "loyal", "potential loyalist", "new",
 * "promising", "need attention", "about to sleep", "at risk", "can't lose
 * them", "hibernating", "lost" (the map is in crm-score(1)). */
const char *crm_rfm_segment(int r, int f, int m);

/* One customer's result. */
struct crm_rfm {
	int64_t id;
	const char *name; /* company name or contact's full name */
	char last_won_at[CRM_TIME_LEN];
	int64_t recency_days; /* whole days from the last won deal */
	int64_t frequency;    /* won deals */
	int64_t monetary;     /* minor units of currency, rounded */
	const char *currency; /* NULL when the deals had no amount */
	int r, f, m;
	const char *segment;
};

/* Score every company (by_contact: contact) with won deals closed by at,
 * store the results in rfm_scores (replacing those of an earlier run at
 * the same time) in one transaction, rolled back for a dry run, and call
 * fn (may be NULL) for each, by id. Amounts in several currencies need
 * rates (else CRM_EX_USAGE naming them); a missing rate is CRM_EX_CONFIG.
 * *n gets the number of customers. Returns 0 or -1. */
int crm_rfm_run(struct crm_db *db, bool by_contact, crm_time at,
		const struct crm_rates *rates, bool dry_run,
		int (*fn)(const struct crm_rfm *r, void *arg), void *arg,
		uint64_t *n, struct crm_err *err);

#endif
