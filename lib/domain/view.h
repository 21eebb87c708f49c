/* view.h - the 360-degree view of a contact or a company: the record, its
 * company and parent, recent activities, open tasks and, once those
 * entities exist, its leads, deals and tickets, as one JSON object. */
#ifndef CRM_VIEW_H
#define CRM_VIEW_H

#include <jansson.h>

#include "entity.h"

/* How many recent activities a view holds. */
#define CRM_VIEW_RECENT 10

/* The view of record row (a contact or a company). Returns a new object
 * (caller owns) or NULL with err filled. Keys, in order: "contact" or
 * "company"; "company" (a contact's) and "parent"; for a company
 * "subsidiaries", "rollups" and "contacts"; "recent_activities",
 * "open_tasks"; then one array per related entity that exists ("leads",
 * "deals", "tickets"); for a contact with anything to go on,
 * "best_times" (lib/analytics/reach.c). */
json_t *crm_view(struct crm_db *db, const struct crm_row *row,
		 struct crm_err *err);

/* A record in output form as a JSON object (caller owns). */
json_t *crm_rec_to_json(const struct crm_rec *rec);

#endif
