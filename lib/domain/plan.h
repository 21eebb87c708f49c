/* plan.h - account plans on key accounts: the period and its target
 * revenue, goals, a strategy for each key person, planned actions (tasks
 * in activities, with owners and due dates) and review notes; shown
 * against actuals: won revenue in the period, actions done and due
 * (overdue flagged), and the power map's gaps (role.h). */
#ifndef CRM_PLAN_H
#define CRM_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "role.h"

/* Set the plan of company (created when it has none): the period
 * [from, to] (dates), the target revenue (a decimal amount) in currency.
 * NULL leaves a value as it is. Bad values are CRM_EX_DATAERR naming the
 * option. Inside the caller's transaction. */
int crm_plan_set(struct crm_db *db, int64_t company, const char *from,
		 const char *to, const char *target, const char *currency,
		 struct crm_err *err);

/* Add an item to the plan of company (created when it has none): kind
 * "goal", "review" (text), "strategy" (contact and text) or "action" (a
 * task: text its subject, owner and due date; the task is logged on the
 * company, linked to contact when not 0). *id gets the item's id. Inside
 * the caller's transaction. */
int crm_plan_add(struct crm_db *db, int64_t company, const char *kind,
		 int64_t contact, const char *text, const char *owner,
		 const char *due, int64_t *id, struct crm_err *err);

struct crm_plan_item {
	int64_t id, contact_id, activity_id;
	char *kind, *text, *contact, *owner, *due_at, *done_at, *at, *author;
	const char *status; /* action: "done", "open", "due", "overdue" */
};

struct crm_plan {
	int64_t id, company_id;
	char *company, *from, *to, *currency; /* from, to: dates or NULL */
	int64_t target;			      /* minor units; -1: none */
	int64_t revenue, won;		      /* won in the period */
	char *other; /* currencies of won deals left out, or NULL */
	struct crm_plan_item *items; /* goals, strategies, actions,
					reviews, in that order */
	size_t n;
	long actions, done, due, overdue;
	struct crm_powermap pm; /* its gaps */
};

/* The plan of company against actuals at db->now; CRM_EX_NOINPUT when it
 * has none. Release p after (also after an error). */
int crm_plan_load(struct crm_db *db, int64_t company, struct crm_plan *p,
		  struct crm_err *err);
void crm_plan_release(struct crm_plan *p);

#endif
