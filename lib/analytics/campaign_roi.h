/* campaign_roi.h - campaign ROI and revenue attribution (crm-campaign
 * roi): per campaign, and rolled up the hierarchy, members, responses,
 * leads, converted leads, deals, won deals, won and attributed amounts per
 * currency, cost per lead and per won deal, ROI; the won amount of each
 * deal attributed to the campaigns that touched it (its lead's
 * memberships in the order they were added, else its contact's) by a
 * model, the shares summing exactly to the amount in minor units. */
#ifndef CRM_CAMPAIGN_ROI_H
#define CRM_CAMPAIGN_ROI_H

#include <stdint.h>

#include "db.h"
#include "forecast.h"

enum crm_attr_model {
	CRM_ATTR_FIRST,	 /* all to the first touch */
	CRM_ATTR_LAST,	 /* all to the last touch */
	CRM_ATTR_LINEAR, /* equal shares */
	CRM_ATTR_U,	 /* U-shaped: 40% first, 40% last, 20% the middle
			    ones equally; 2 touches 50/50, 1 touch all */
};

/* "first", "last", "linear", "u" (or "u-shaped"); -1 when unknown. */
int crm_attr_model_parse(const char *s);

/* Split amount (minor units) over n touches by model into shares[n]:
 * the exact shares rounded down, the units left over going one each to
 * the largest remainders (the earlier touch on a tie), so the shares sum
 * to amount exactly. */
void crm_attribute(int64_t amount, size_t n, enum crm_attr_model model,
		   int64_t *shares);

/* Amounts of one currency. */
struct crm_roi_money {
	char cur[4];
	int64_t won;	    /* won deals' full amounts (influenced) */
	int64_t attributed; /* the model's shares */
};

/* One campaign's figures (own, or with --rollup its subtree's sums). */
struct crm_roi_row {
	int64_t id, parent_id;
	char *name, *path;
	int depth;
	uint64_t members, responses, leads, converted, deals, won_deals;
	char cost_cur[4]; /* "" when no cost (or mixed in a roll-up) */
	int64_t cost;
	struct crm_roi_money *m; /* by currency name */
	size_t nm;
};

struct crm_roi_opts {
	enum crm_attr_model model;
	const struct crm_rates *rates; /* NULL: each currency on its own */
	bool rollup;		       /* figures of each subtree */
};

/* Every campaign in tree order (crm_campaign_tree). Caller frees with
 * crm_campaign_roi_free. A currency with no rate is CRM_EX_CONFIG. */
int crm_campaign_roi(struct crm_db *db, const struct crm_roi_opts *o,
		     struct crm_roi_row **rows, size_t *n, struct crm_err *err);
void crm_campaign_roi_free(struct crm_roi_row *rows, size_t n);

/* Won revenue attributed to sources (crm-campaign roi --by source), one
 * row per source and currency. A touch's source is its campaign's
 * channel, else its type, else "(none)"; a won deal's touches are those
 * of crm_campaign_roi, split by o->model exactly as there, the shares of
 * touches of one source added up. A won deal with no campaign touch
 * counts whole to its lead's source, else the deal's own source, else
 * "(none)". A won deal with no currency is left out. */
struct crm_src_row {
	char *source;
	char cur[4];
	uint64_t deals;	    /* won deals touching it (each once) */
	int64_t won;	    /* their full amounts (influenced) */
	int64_t attributed; /* the model's shares */
};

/* Rows ordered by source, then currency (o->rollup is not used). Caller
 * frees with crm_source_roi_free. */
int crm_source_roi(struct crm_db *db, const struct crm_roi_opts *o,
		   struct crm_src_row **rows, size_t *n, struct crm_err *err);
void crm_source_roi_free(struct crm_src_row *rows, size_t n);

#endif
