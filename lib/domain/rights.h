/* rights.h - what a shared server enforces beyond users and teams (see
 * user.h): territories (a team's records by region, country or
 * industry), team pools (a record owned by "@TEAM" is that team's), the
 * row-level policies that use them, the change log's policy and
 * sensitive fields from a policy file. On SQLite the territories are
 * stored but nothing is enforced. */
#ifndef CRM_RIGHTS_H
#define CRM_RIGHTS_H

#include "db.h"

/* Is field one a territory may name (region, country, industry)? */
bool crm_territory_field_ok(const char *field);

/* Give team the records whose field is value (case-insensitive). A
 * missing team, a bad field or a rule already there is CRM_EX_DATAERR.
 * Inside the caller's transaction. */
int crm_territory_add(struct crm_db *db, const char *team, const char *field,
		      const char *value, struct crm_err *err);
/* Remove that rule: a missing one is CRM_EX_NOINPUT. */
int crm_territory_rm(struct crm_db *db, const char *team, const char *field,
		     const char *value, struct crm_err *err);

/* PostgreSQL, inside the caller's transaction: the functions crm_sees,
 * crm_my_teams, crm_in_territory and crm_audit_sees, and one policy
 * crm_rows per guarded table (contacts, companies, activities, deals,
 * leads, tickets, crm_audit, lead_history). policy (NULL: none) is a
 * sensitive-fields file (crm-formats(5)): its columns are readable only
 * by the roles it names (column privileges), and where an entry has the
 * rule "owner-team" by the others through the reader
 * crm_sens_TABLE_COLUMN(id) on the records the rule gives them; a
 * trigger crm_sens guards the writes. A bad file is CRM_EX_CONFIG
 * naming it. The crm_rep, crm_manager and crm_admin roles
 * must exist. */
int crm_rights_setup(struct crm_db *db, const char *policy,
		     struct crm_err *err);

#endif
