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

/* The id of the record of e that key names (crm_entity_find) into *id:
 * 1 found, 0 not, -1 error. */
int crm_find_id(struct crm_db *db, const struct crm_entity *e, const char *key,
		int64_t *id, struct crm_err *err);

/* Creates one record of e from in through the import engine, as add
 * does, inside the caller's open transaction (command names the change
 * set); *id (may be NULL) gets the new id. Returns 0 or -1. */
int crm_create_one(struct crm_db *db, const struct crm_entity *e,
		   const char *command, const struct crm_rec *in, int64_t *id,
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

struct crm_binds;
/* Calls fn for each row of a query on deals: sql holds its text up to
 * the conditions and b the values bound so far; the conditions of where
 * (may be NULL) are added, then tail (NULL: none), whose one parameter,
 * when limit >= 0, is limit. sql and b are released. Returns 0 or -1. */
int crm_deal_each(struct crm_db *db, struct crm_buf *sql, struct crm_binds *b,
		  const struct crm_strv *where, const char *tail, int64_t limit,
		  int (*fn)(struct crm_stmt *, void *), void *arg,
		  struct crm_err *err);

#endif
