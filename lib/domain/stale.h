/* stale.h - open deals nobody has touched for too long, and the follow-up
 * task for each (one per deal and quiet spell, so an hourly cron job may
 * run it again and again). */
#ifndef CRM_STALE_H
#define CRM_STALE_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "record.h"

struct crm_stale_opts {
	int64_t idle;	   /* seconds without activity; 0: only stage limits */
	bool create_tasks; /* log a follow-up task per stale deal */
	bool dry_run;	   /* create_tasks: roll back at the end */
	const struct crm_strv *where; /* more conditions on deals, or NULL */
};

/* Which deals are stale: an open deal is quiet since the later of its
 * last_activity_at and stage_changed_at (created_at when both are null),
 * and stale when it has been quiet longer than opts->idle or its stage's
 * max_days. With create_tasks (one transaction), each stale deal gets a
 * task for its owner (crm_activity_log: type task, due a day from now,
 * dated from the start of the quiet spell so that it does not end it,
 * external_id "stale:DEAL:SINCE") unless that task exists already. fn gets
 * each stale deal as a record with crm_stale_columns; *found and *created
 * (may be NULL) the counts. Returns 0 or -1. */
int crm_deal_stale(struct crm_db *db, const struct crm_stale_opts *opts,
		   int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		   uint64_t *found, uint64_t *created, struct crm_err *err);
extern const char *const crm_stale_columns[];

/* Whether a deal quiet since since (seconds) is stale at now: 0 no, 1 by
 * idle, 2 by its stage's max_days (max_days 0: none; idle 0: none). *limit
 * gets the limit that was passed, in seconds. */
int crm_stale_check(crm_time since, crm_time now, int64_t idle, double max_days,
		    int64_t *limit);

#endif
