/* tier.h - customer tiers (share/crm/tiers.json): ordered rules over an
 * account's won revenue in a window, its growth against the window
 * before, its open pipeline, its RFM segment and its industry, the first
 * that holds naming the tier; computed and stored on companies.tier with
 * each change in the change log and a "company.tier_changed" event for
 * flows. The format is in crm-formats(5). */
#ifndef CRM_TIER_H
#define CRM_TIER_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "entity.h"
#include "forecast.h"
#include "util.h"

/* A closed range; a bound not given is open. */
struct crm_tier_range {
	bool on, has_min, has_max;
	int64_t min, max;  /* money: minor units of the file's currency */
	double fmin, fmax; /* growth: percent */
};

struct crm_tier_rule {
	char *tier, *name; /* name: "rules[2]" when not given */
	struct crm_tier_range revenue, growth, pipeline;
	struct crm_strv rfm, industry; /* alternatives; empty: any */
};

struct crm_tiers {
	char *path;
	char currency[4]; /* "" when the file has none (no money rules) */
	long window_days;
	struct crm_strv tiers; /* the names, best first */
	struct crm_tier_rule *rules;
	size_t nrules;
};

/* Read and check a tiers file: CRM_EX_CONFIG with err->file the path and
 * err->field the rule ("rules[2].when.revenue"). Release t afterwards
 * (also after an error). */
int crm_tiers_load(const char *path, struct crm_tiers *t, struct crm_err *err);
void crm_tiers_release(struct crm_tiers *t);

/* A figure that could not be computed (amounts in another currency and no
 * rate for them) is unknown: a rule testing it does not hold. */
struct crm_tier_figures {
	int64_t revenue, previous, pipeline; /* minor units of the currency */
	bool revenue_known, previous_known, pipeline_known, growth_known;
	int64_t won, won_previous, open; /* deals counted */
	double growth;	      /* percent; unknown when previous is 0 */
	char *rfm, *industry; /* NULL: none */
	char *unconverted;    /* "USD,GBP": amounts left out */
};

/* One account's result. */
struct crm_tier_result {
	int64_t id;
	const char *name;
	const char *was, *tier; /* NULL: none */
	long rule;		/* index into t->rules, -1: none held */
	bool changed;
	const struct crm_tier_figures *fig;
	const char *why; /* each rule tried, one line each ("rule 1 'top'
			    (A): revenue 120000.00 >= 100000.00 yes") */
};

struct crm_tier_opts {
	const struct crm_tiers *t;
	const struct crm_rates *rates; /* NULL: each currency on its own */
	const int64_t *ids;	       /* NULL: every company */
	size_t nids;
	bool dry_run, explain; /* explain: fill why */
};

/* Compute the tier of each company (by id) at db->now and store the
 * changes in one transaction (rolled back for a dry run): companies.tier
 * under one change set (history, undo), and a "company.tier_changed"
 * event ({"from": "B", "to": "A", "rule": "..."}) for each. fn gets every
 * company's result. *changed gets the number changed. Rates whose base
 * is not the file's currency are CRM_EX_USAGE. Returns 0 or -1. */
int crm_tier_run(struct crm_db *db, const struct crm_tier_opts *o,
		 int (*fn)(const struct crm_tier_result *r, void *arg),
		 void *arg, uint64_t *changed, struct crm_err *err);

/* The tier of company id (NULL: none) into out ("" when none); for
 * assignment rules and SLA policies. Returns 0 or -1. */
int crm_tier_of(struct crm_db *db, int64_t id, char out[64],
		struct crm_err *err);

/* The tier of the account a record belongs to: a company's own, else
 * the tier of its company_id, else (a lead) of the company whose name
 * matches its company field; "" when none. Returns 0 or -1. */
int crm_tier_for_row(struct crm_db *db, const struct crm_row *row, char out[64],
		     struct crm_err *err);

#endif
