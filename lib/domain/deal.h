/* deal.h - the deal entity: opportunities moving through the stages of a
 * pipeline (lib/domain/pipeline.h), with a history row for every change of
 * stage, amount, probability or expected close date (table
 * deal_history). */
#ifndef CRM_DEAL_H
#define CRM_DEAL_H

#include <stdbool.h>
#include <stdint.h>

#include "entity.h"

extern const struct crm_entity crm_deal_entity;

/* A deal to open from another module (crm-lead convert). Strings are
 * borrowed; NULL means none (pipeline: the default one; stage: its first;
 * probability and forecast category: the stage's). amount is a decimal
 * string in currency. A link of 0 means none. */
struct crm_deal_new {
	const char *name; /* required */
	const char *amount, *currency;
	const char *pipeline, *stage;
	const char *owner, *source, *expected_close;
	int64_t company_id, contact_id, lead_id;
};

/* Insert the deal inside the caller's open transaction, through the same
 * checks as add (an unknown stage, a bad amount or a missing link is
 * CRM_EX_DATAERR with err->field set; a bad pipelines file
 * CRM_EX_CONFIG), with its first history row. *id (may be NULL) gets the
 * new id. Returns 0 or -1. */
int crm_deal_open(struct crm_db *db, const struct crm_deal_new *d, int64_t *id,
		  struct crm_err *err);

/* Call fn with each history row of the given deals (all when nids is 0),
 * by deal then time, as an output record: id, deal_id, at, actor, field,
 * from_value, to_value, pipeline, from_status, to_status,
 * seconds_in_stage, amount, currency (amounts as decimal strings). fn
 * returns 0 to go on, -1 to stop with an error. Returns 0 or -1. */
int crm_deal_history(struct crm_db *db, const int64_t *ids, size_t nids,
		     int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		     struct crm_err *err);
/* The columns of those records, NULL-terminated. */
extern const char *const crm_deal_history_columns[];

#endif
