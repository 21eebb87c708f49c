/* lead.h - the lead entity: capture with duplicate control, status and
 * owner history, assignment by rules, the lead pool (reclaim) and
 * conversion into a contact and a company. */
#ifndef CRM_LEAD_H
#define CRM_LEAD_H

#include <stdbool.h>
#include <stdint.h>

#include "assign.h"
#include "deal.h"
#include "dedupe_import.h"
#include "entity.h"

extern const struct crm_entity crm_lead_entity;

/* Statuses in which a lead is open: owned and worked, counted for
 * capacities, reclaimable. */
bool crm_lead_open_status(const char *status);

/* -- duplicates -------------------------------------------------------- */

/* How a lead's duplicates are found (crm_import_dedupe, crm_add_dedupe):
 * an equal email or phone (matching forms) of a lead or a contact is one
 * whatever the model says; a duplicate of a contact is never updated (the
 * lead is skipped). Policy update. */
extern const struct crm_dupcheck_opts crm_lead_dupcheck;

/* -- status and owner changes ------------------------------------------ */

/* Set status (qualified, unqualified ...) of each selected lead in one
 * transaction, recording reason in the history and status_reason.
 * Converted leads are refused. *n gets the number changed. */
int crm_lead_set_status(struct crm_db *db, const struct crm_query *q,
			const char *status, const char *reason,
			const char *command, bool dry_run, uint64_t *n,
			struct crm_err *err);

/* One result of assign. */
struct crm_lead_assignment {
	int64_t id;
	const char *owner; /* NULL: stays unassigned */
	const char *rule;  /* the rule's name, "default" or NULL */
	const char *team;  /* NULL when the rule names an owner */
	const char *strategy;
	const char *why;
};

/* Assign the selected leads (q NULL: every unassigned open lead) by the
 * rules, in one transaction, keeping the rotation state in the database.
 * Leads with an owner are left alone unless reassign; closed ones always.
 * fn is called for each lead routed (owner NULL: nobody could take it);
 * it returns 0 or -1. seed >= 0 replaces the file's. *n gets the number
 * assigned. */
int crm_lead_assign(struct crm_db *db, struct crm_assign_rules *rules,
		    const struct crm_query *q, bool reassign, bool dry_run,
		    int (*fn)(const struct crm_lead_assignment *a, void *arg),
		    void *arg, uint64_t *n, struct crm_err *err);
/* A member of team's rotation state (seq and credit) from its
 * lead_rotation row, 0 and 0 without one; and the dirty members of a team
 * written back (with now as last_assigned_at), clean after. For lead
 * assignment and a flow's assign action. Return 0 or -1. */
int crm_rotation_read(struct crm_db *db, const char *team,
		      struct crm_assign_member *m, struct crm_err *err);
int crm_rotation_save(struct crm_db *db, const char *team,
		      struct crm_assign_team *t, struct crm_err *err);
/* The first of r's rules that row matches into *rule (-1 none), "tier"
 * being its account's tier (crm_tier_for_row) unless the row has a tier
 * field. Returns 0 or -1. */
int crm_assign_match_row(struct crm_db *db, const struct crm_assign_rules *r,
			 const struct crm_row *row, long *rule,
			 struct crm_err *err);

/* A lead idle in its owner's hands. */
struct crm_lead_idle {
	int64_t id;
	const char *owner;
	const char *idle_since; /* the owner's last activity, or assignment */
	const char *reclaim_at; /* idle_since + idle */
};

/* The open owned leads whose owner logged no activity on them (an
 * activity with that owner, or none) since assignment for idle seconds;
 * with warn > 0 instead those that reach it within warn seconds (nothing
 * is written). Reclaiming clears the owner, records it as previous_owner
 * and in the history, in one transaction. fn is called per lead. *n gets
 * the count. */
int crm_lead_reclaim(struct crm_db *db, int64_t idle, int64_t warn,
		     bool dry_run,
		     int (*fn)(const struct crm_lead_idle *l, void *arg),
		     void *arg, uint64_t *n, struct crm_err *err);

/* -- conversion -------------------------------------------------------- */

struct crm_lead_conversion {
	int64_t lead_id, contact_id, company_id, activity_id, deal_id;
	const char *contact; /* "created" or "linked" */
	const char *company; /* "created", "linked" or NULL (none) */
};

/* Convert the leads ids (n of them) in one transaction: each into a
 * contact (the one with its email, else its phone, else a new one) and a
 * company (the one with its email domain, else its company name, else a
 * new one when it has either), filling only their empty fields, custom
 * fields carried over by name; logs a "conversion" activity and records
 * the ids on the lead. With deal not NULL, also opens a deal for each (its
 * company, contact and lead filled in; name, when not given, the company's
 * or the lead's; owner the lead's) through crm_deal_open. A converted lead
 * is an error (CRM_EX_DATAERR). fn is called per lead after the work is
 * done. */
int crm_lead_convert(struct crm_db *db, const int64_t *ids, size_t n,
		     const struct crm_deal_new *deal, bool dry_run,
		     int (*fn)(const struct crm_lead_conversion *c, void *arg),
		     void *arg, struct crm_err *err);

/* -- history ----------------------------------------------------------- */

/* Record a change of field ("status" or "owner") of lead id from -> to
 * (NULL: none) at db->now by db->actor, inside the caller's
 * transaction. */
int crm_lead_history_add(struct crm_db *db, int64_t id, const char *field,
			 const char *from, const char *to, const char *command,
			 const char *reason, struct crm_err *err);

/* One history entry. */
struct crm_lead_change {
	int64_t id, lead_id;
	const char *field, *from, *to, *at, *actor, *command, *reason;
};
/* Call fn for the history of each lead in ids (n of them; 0: every lead),
 * oldest first. */
int crm_lead_history(struct crm_db *db, const int64_t *ids, size_t n,
		     int (*fn)(const struct crm_lead_change *c, void *arg),
		     void *arg, struct crm_err *err);

#endif
