/* role.h - contact roles on deals and accounts (who decides, who buys,
 * who champions), the roles file share/crm/roles.json, and the power map
 * built on them with its gaps. */
#ifndef CRM_ROLE_H
#define CRM_ROLE_H

#include <stdbool.h>
#include <stdint.h>

#include "entity.h"

extern const struct crm_entity crm_role_entity;

/* The roles file: the role names (with labels, and whether a person in
 * the role is a key person), the roles a deal past after_stage needs,
 * and the days without activity after which a key person is a gap. */
struct crm_roles {
	char *path;
	char **names, **labels;
	bool *key;
	size_t n;
	char **required;
	size_t nrequired;
	char *after_stage;
	long stale_days;
};
/* Read and check a roles file (CRM_EX_CONFIG naming the file and field). */
int crm_roles_load(const char *path, struct crm_roles *r, struct crm_err *err);
void crm_roles_release(struct crm_roles *r);
/* share/crm/roles.json ($CRM_ROLES when set), read once per process. */
const struct crm_roles *crm_roles_get(struct crm_err *err);
/* Index of role name in r, -1 when unknown. */
long crm_roles_find(const struct crm_roles *r, const char *name);

/* One person on a power map. */
struct crm_pm_person {
	int64_t contact_id, parent; /* parent: the nearest manager (through
				       reports_to_id) on the map, 0: none */
	char *name, *title, *roles, *attitude, *influence, *owner, *last;
	long days; /* since the last activity, -1: never */
	int depth;
	char *flags; /* "stale,opponent" or "" */
};

struct crm_powermap {
	int64_t deal_id, company_id;
	char *title;		 /* the deal's or company's name */
	struct crm_pm_person *p; /* in tree order (depth first) */
	size_t n;
	struct crm_strv gaps; /* one sentence each */
};

struct crm_pm_opts {
	const char *after_stage; /* NULL: the roles file's */
	long stale_days;	 /* < 0: the roles file's */
};

/* The power map of a deal (its roles) or of a company (its account roles
 * and the roles on its open deals), with the gaps: an open deal past the
 * stage without a required role, a key person (key role or high
 * influence) without activity in the days, a high-influence opponent.
 * Returns 0 (pm filled; pm->gaps.n says whether there are gaps), or -1. */
int crm_powermap_deal(struct crm_db *db, int64_t deal,
		      const struct crm_pm_opts *o, struct crm_powermap *pm,
		      struct crm_err *err);
int crm_powermap_company(struct crm_db *db, int64_t company,
			 const struct crm_pm_opts *o, struct crm_powermap *pm,
			 struct crm_err *err);
void crm_powermap_release(struct crm_powermap *pm);

#endif
