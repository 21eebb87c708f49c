/* churn.h - churn risk of customers: activity fallen against their own
 * baseline, tickets risen against theirs, silence; a 0-100 risk with the
 * reasons, stored in churn_scores. The formula is in crm-score(1). */
#ifndef CRM_CHURN_H
#define CRM_CHURN_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

/* What the risk is computed from. */
struct crm_churn_input {
	int64_t activities, activities_base; /* in the window, the baseline */
	int64_t tickets, tickets_base;
	int64_t days_silent;	  /* since the last activity (or the record's
				     creation when it has none) */
	int64_t window, baseline; /* seconds */
};

/* The parts of a risk (points each, summing to risk before rounding and
 * the 100 cap) and the expectations they were measured against. */
struct crm_churn_risk {
	double activities_expected, tickets_expected;
	double activity_points, ticket_points, silence_points;
	int risk; /* 0-100 */
};

/* The arithmetic alone (unit tests): expected = base * window /
 * baseline; activity points 40 * (1 - recent / expected) when the
 * baseline holds at least 3 activities and recent < expected; ticket
 * points min(30, 10 * (recent - expected)) when positive; silence points
 * min(30, days_silent / 3); risk the rounded sum, at most 100. */
void crm_churn_compute(const struct crm_churn_input *in,
		       struct crm_churn_risk *out);

/* One customer's result, for the callback (valid during the call). */
struct crm_churn {
	int64_t id;
	const char *name;
	const struct crm_churn_input *in;
	const struct crm_churn_risk *risk;
	const char *reasons; /* "activity down 75% (1 in 30 days, 4
				expected) +30; ..." or NULL */
};

/* Score every customer at db->now - companies with a won deal, or
 * (by_contact) contacts whose lifecycle_stage is customer or evangelist -
 * over the window (seconds) and the baseline before it, store the results
 * in churn_scores (replacing a run at the same time) in one transaction,
 * rolled back for a dry run, and call fn (may be NULL) for each, by id.
 * *n gets the number of customers. Returns 0 or -1. */
int crm_churn_run(struct crm_db *db, bool by_contact, int64_t window,
		  int64_t baseline, bool dry_run,
		  int (*fn)(const struct crm_churn *c, void *arg), void *arg,
		  uint64_t *n, struct crm_err *err);

#endif
