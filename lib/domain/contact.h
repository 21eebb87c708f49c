/* contact.h - the contact entity (people). */
#ifndef CRM_CONTACT_H
#define CRM_CONTACT_H

#include <stdint.h>

#include "entity.h"

extern const struct crm_entity crm_contact_entity;

/* One person in an org chart walk. Strings belong to the walk. */
struct crm_org_node {
	int64_t id, reports_to_id; /* a root's manager (if any) works
				      elsewhere or is gone */
	const char *name, *title, *email, *owner, *last_activity_at;
	int depth;	  /* 0 for a root */
	const char *path; /* ids from the root, "1/4/9" */
};

/* The org chart of the contacts of company (reports_to_id): depth first,
 * the reports of each person by name then id; a contact whose manager
 * works elsewhere or is gone is a root. fn returns 0 to go on, -1 to
 * stop. Returns 0 or -1. */
int crm_contact_tree(struct crm_db *db, int64_t company,
		     int (*fn)(const struct crm_org_node *n, void *arg),
		     void *arg, struct crm_err *err);

#endif
