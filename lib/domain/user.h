/* user.h - crm's users and teams: who works in the database. A user is an
 * entity (name, email, team, role rep|manager|admin, status
 * active|disabled); teams form a hierarchy (a team's parent). On
 * PostgreSQL each user is also a login role of the server, a member of
 * the group role of their crm role (crm_rep, crm_manager, crm_admin);
 * disabling one makes the role NOLOGIN. On SQLite the records exist but
 * no rights are enforced. */
#ifndef CRM_USER_H
#define CRM_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "entity.h"

extern const struct crm_entity crm_user_entity;

/* Is name a valid user name: [a-z_][a-z0-9_]*, at most 63 bytes, not
 * starting with "pg_" or "crm_" (the server's and crm's own roles)? */
bool crm_user_name_ok(const char *name);

/* Add team name under parent (NULL: a top team). A missing parent or a
 * team already there is CRM_EX_DATAERR. Inside the caller's transaction. */
int crm_team_add(struct crm_db *db, const char *name, const char *parent,
		 struct crm_err *err);
/* Remove team name: refused (CRM_EX_DATAERR) while a user or a team is
 * under it; a missing team is CRM_EX_NOINPUT. */
int crm_team_rm(struct crm_db *db, const char *name, struct crm_err *err);
/* 0 when team name exists, else -1: CRM_EX_DATAERR at field, "no team
 * 'NAME'" and, when hint, " (crm-user team add)" (a user's team, a team's
 * parent, a territory's team). */
int crm_team_need(struct crm_db *db, const char *name, const char *field,
		  bool hint, struct crm_err *err);

/* PostgreSQL: row-level security on contacts, companies, activities,
 * deals, leads (by owner, territory and team pool), tickets (by
 * assignee and team) and the change log's values (crm_rights_setup, in
 * rights.h; policy: a sensitive-fields file or NULL). A change that
 * would give a record to someone outside one's rights fails
 * (CRM_EX_CANTCREAT, the server's permission denied). Idempotent. On
 * SQLite CRM_EX_USAGE. The table owner (the installation's role) is not
 * bound by the policies. */
int crm_user_setup_rls(struct crm_db *db, const char *policy,
		       struct crm_err *err);

/* One owner value found on records, and the user it maps to. */
struct crm_owner_claim {
	const char *entity; /* "contact" ... */
	char *owner;	    /* the value as found */
	char *user;	    /* the user it names (by name or email), or NULL */
	int64_t records;
};
/* Map the owner values of contacts, companies, activities, deals and
 * leads (and tickets' assignee) to users: a value that is a user's name
 * stays, and so does a team's pool ("@TEAM"); one that is a user's
 * email (any case) is rewritten to the name: every record in one transaction
 * and one change set
 * ("claim-owners"), so a failure writes nothing; dry_run rolls it back.
 * Others are reported unmatched. Fills *claims (free with
 * crm_owner_claims_free). No transaction may be open. */
int crm_user_claim_owners(struct crm_db *db, bool dry_run,
			  struct crm_owner_claim **claims, size_t *n,
			  struct crm_err *err);
void crm_owner_claims_free(struct crm_owner_claim *claims, size_t n);

#endif
