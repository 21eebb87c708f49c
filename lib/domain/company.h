/* company.h - the company entity (accounts), its hierarchy (parent_id),
 * roll-ups over a group, and the link from contacts to companies. */
#ifndef CRM_COMPANY_H
#define CRM_COMPANY_H

#include <stdbool.h>
#include <stdint.h>

#include "entity.h"

extern const struct crm_entity crm_company_entity;

/* Whether making parent the parent of self closes a cycle: walks up from
 * parent through parent_of (which returns a company's parent id, 0 for
 * none, -1 on error) looking for self. A walk longer than max_depth is a
 * cycle too (the data already has one). Returns 1 cycle, 0 none, -1 when
 * parent_of failed. */
int crm_company_cycle(int64_t self, int64_t parent,
		      int64_t (*parent_of)(int64_t id, void *arg), void *arg,
		      long max_depth);

/* The top ancestor of company id (id itself when it has no parent; a
 * company whose parent is gone counts as a top). Returns -1 on error. */
int64_t crm_company_root(struct crm_db *db, int64_t id, struct crm_err *err);

/* Whether domain is a free mail provider's (gmail.com ...): such a domain
 * says nothing about a person's company. */
bool crm_company_free_mail(const char *domain);

/* Contact hook: link the contact row to its company (company_id) by the
 * company text's normalized name, else the email domain, creating the
 * company when there is none (counted in counts->n[0] when counts is not
 * NULL). See crm-contact(1). Returns 0 or -1. */
int crm_company_link_contact(struct crm_db *db, struct crm_row *row,
			     const struct crm_row *old,
			     struct crm_hook_counts *counts,
			     struct crm_err *err);

/* Roll-ups: counts of records of other tables per company, shown by tree
 * and show. A module adds its line to the table in company.c; a roll-up
 * is used only once its table has the columns it needs. */
struct crm_company_rollup {
	const char *name;  /* output field: "open_deals" */
	const char *table; /* "deals" */
	const char *needs; /* columns that must exist: "company_id,status" */
	const char *where; /* fixed SQL condition, or NULL */
};
/* The roll-ups usable in this database (pointers into a static table);
 * caller frees the array. Returns the count, -1 on error. */
long crm_company_rollups(struct crm_db *db,
			 const struct crm_company_rollup ***out,
			 struct crm_err *err);
/* Roll-up r's count for company id alone (crm-company show); -1 on
 * error. */
int64_t crm_company_rollup_count(struct crm_db *db,
				 const struct crm_company_rollup *r, int64_t id,
				 struct crm_err *err);

/* One company in a tree walk. */
struct crm_tree_node {
	int64_t id, parent_id; /* parent_id 0: a root */
	const char *name;
	int depth;		     /* 0 for a root */
	const char *path;	     /* ids from the root, "1/4/9" */
	const uint64_t *own, *total; /* per roll-up: this company, and this
					company with all below it */
};

/* Walk the hierarchy depth first (children by name): the groups of roots
 * (ids; each is first replaced by its top ancestor), or every group when
 * nroots is 0. rollups (n of them) from crm_company_rollups. fn returns 0
 * to go on, -1 to stop with an error. Returns 0 or -1. */
int crm_company_tree(struct crm_db *db, const int64_t *roots, size_t nroots,
		     const struct crm_company_rollup *const *rollups,
		     size_t nrollups,
		     int (*fn)(const struct crm_tree_node *n, void *arg),
		     void *arg, struct crm_err *err);

/* Bulk contact imports turn on (and off) remembering company lookups
 * while their transaction holds the write lock. */
void crm_company_link_batch(bool on);

#endif
