/* cycle.h - purchase cycles: per customer, the expected date of the next
 * purchase from the intervals between its won deals, or from the months
 * it bought in across years; who is due within a lead time. */
#ifndef CRM_CYCLE_H
#define CRM_CYCLE_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "util.h"

/* The estimate from purchase days (days since 1970, ascending, distinct)
 * alone (unit tests). method "interval": last + median interval, used
 * when there are at least 3 purchases and the intervals are regular
 * (coefficient of variation at most 0.25) or no month repeats; "seasonal":
 * the first date after the last purchase, and not before today, in the
 * calendar month bought in in the most years (at least two; on the median
 * day of those purchases);
 * NULL: fewer than 3 purchases and no repeated month (no estimate). */
struct crm_cycle_est {
	const char *method;
	int64_t next;	   /* days since 1970 */
	double median, cv; /* of the intervals, days */
	int season_month;  /* 1-12 when seasonal */
	int season_years;  /* years that month was bought in */
};
void crm_cycle_estimate(const int64_t *days, size_t n, int64_t today,
			struct crm_cycle_est *out);

/* One customer due, for the callback (valid during the call). */
struct crm_cycle {
	int64_t id;
	const char *name;
	size_t purchases;
	int64_t last; /* days */
	const struct crm_cycle_est *est;
	int64_t days_until; /* negative: overdue */
	const char *evidence;
};

/* Walk the customers (companies, or contacts when by_contact) with won
 * deals closed before now, estimate each one's next purchase and call fn
 * for those expected within lead days of now (overdue by less than one
 * interval included; all with every set). *n counts the customers
 * estimated. Returns 0 or -1. */
int crm_cycle_run(struct crm_db *db, bool by_contact, int64_t lead, bool every,
		  int (*fn)(const struct crm_cycle *c, void *arg), void *arg,
		  uint64_t *n, struct crm_err *err);

/* The same for one customer (company id, or contact id when
 * by_contact): *est and *days_until (and the evidence appended to
 * evidence_out unless NULL) when there is an estimate. Returns 1 when
 * due within lead days (as crm_cycle_run lists), 0 when not or without
 * an estimate (est->method NULL), -1 on error. */
int crm_cycle_one(struct crm_db *db, bool by_contact, int64_t id, int64_t lead,
		  struct crm_cycle_est *est, int64_t *days_until,
		  struct crm_buf *evidence_out, struct crm_err *err);

#endif
