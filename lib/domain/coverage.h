/* coverage.h - the penetration of a group (the company tree): per company
 * of the group, open and won deals, won revenue, contacts known, the last
 * activity and the owner; the companies nobody owns or works on are the
 * white space. */
#ifndef CRM_COVERAGE_H
#define CRM_COVERAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "entity.h"

struct crm_coverage_row {
	int64_t id, parent_id; /* parent_id 0: the group's top */
	const char *name, *path, *owner;
	int depth;
	int64_t open_deals, won_deals, contacts;
	int64_t revenue;      /* won amounts, minor units of currency */
	const char *currency; /* NULL: none won; "mixed": several */
	int64_t pipeline;     /* open amounts, minor units of pcurrency */
	const char *pcurrency;
	const char *last_activity_at; /* of the company, its contacts or
					 deals; NULL: never */
	long days;		      /* since then, -1: never */
	bool white_space;	      /* no owner, or no activity in the days */
	const char *why;	      /* "no owner", "no activity", both */
};

/* Walk the group of company (from its top, depth first, by name) and
 * call fn for each company. days: activity older than that counts as
 * none (< 0: only never counts). Returns 0 or -1. */
int crm_coverage(struct crm_db *db, int64_t company, long days,
		 int (*fn)(const struct crm_coverage_row *r, void *arg),
		 void *arg, struct crm_err *err);

#endif
