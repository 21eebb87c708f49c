/* reach.h - the best time to reach a contact: when they answer (inbound
 * activities: replies, calls in, and activities of type email_open or
 * call_answered), by weekday and three-hour block of their own time zone
 * (custom field "timezone" of the contact, else of its company, else
 * UTC), shrunk toward their company's pattern (or everyone's, when the
 * company has under 20 answers) so that thin histories borrow strength. */
#ifndef CRM_REACH_H
#define CRM_REACH_H

#include <stdint.h>

#include "datetime.h"
#include "db.h"

#define CRM_REACH_TOP 3
#define CRM_REACH_PRIOR 10 /* the prior counts as this many answers */

struct crm_reach_window {
	int wday;     /* 0 Sunday .. 6 Saturday */
	int block;    /* 0..7: hours 3*block to 3*block + 3 */
	double share; /* percent of answers expected in this window */
	long events;  /* the contact's own answers in it */
};

struct crm_reach {
	int64_t contact_id;
	char tz[64];	   /* the zone used ("UTC" when none) */
	long events;	   /* the contact's answers in all */
	const char *prior; /* "company", "everyone" or "none" */
	long prior_events;
	struct crm_reach_window top[CRM_REACH_TOP];
	int ntop; /* 0 when there is nothing to go on */
};

/* The arithmetic alone (unit tests): counts[56] of the contact and
 * prior[56] (may sum to 0: uniform) into the top windows, share_k =
 * (c_k + CRM_REACH_PRIOR p_k) / (n + CRM_REACH_PRIOR), ties to the
 * earlier window (Sunday 00:00 first). */
void crm_reach_rank(const long *counts, const long *prior,
		    struct crm_reach *out);
/* "Tue 09:00-12:00" */
void crm_reach_label(const struct crm_reach_window *w, char out[32]);

/* The contact's best windows at db->now. Returns 0 (out->ntop may be 0)
 * or -1. */
int crm_reach_contact(struct crm_db *db, int64_t contact_id,
		      struct crm_reach *out, struct crm_err *err);

/* The first instant at or after after inside r's best window (the
 * week's day and hours in r's zone, each occurrence converted on its own
 * date, so across a change of daylight saving too): after itself when it
 * falls in the window, else the window's next start. -1 when r has no
 * window. */
crm_time crm_reach_next(const struct crm_reach *r, crm_time after);

/* Call fn with the id of every contact with an answer, in id order.
 * Returns 0 or -1 (or fn's -1). */
int crm_reach_each(struct crm_db *db, int (*fn)(int64_t id, void *arg),
		   void *arg, struct crm_err *err);

#endif
