/* approval.h - approval processes: a record (a deal, a quote, any entity)
 * waits for people's decisions, step by step; approvers named by user, by
 * role or as "the owner's manager" (share/crm/approvers.json); one or all
 * must approve; a step may time out and escalate; while an approval is
 * pending the record's guarded fields are locked (the entity engine asks
 * crm_entity_guard before every update). Every decision is a change set
 * in the change log (command approve, reject, escalate, expire; entity
 * "approval"), which is what crm-flow's approval trigger reads. */
#ifndef CRM_APPROVAL_H
#define CRM_APPROVAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "entity.h"
#include "record.h"
#include "util.h"

/* -- who approves: users, their roles and managers ----------------------- */

struct crm_approvers;

/* Use the approvers file path (NULL: $CRM_APPROVERS, else
 * crm_share_path("approvers.json")) from now on; loaded when first
 * needed. */
void crm_approvers_use(const char *path);
/* Load the approvers file as crm_approvers_use set it: {"users": {"NAME":
 * {"roles": [...], "manager": "NAME"}}}. The result is the process's (do
 * not free). NULL with a CRM_EX_CONFIG error naming file, field and reason
 * (CRM_EX_NOINPUT for a missing file). */
const struct crm_approvers *crm_approvers_get(struct crm_err *err);
/* Parse an approvers document (name: for messages). Caller frees with
 * crm_approvers_free. */
struct crm_approvers *crm_approvers_parse(json_t *root, const char *name,
					  struct crm_err *err);
void crm_approvers_free(struct crm_approvers *a);
/* The manager of user (NULL: none or unknown user). */
const char *crm_approvers_manager(const struct crm_approvers *a,
				  const char *user);
/* Append the users with role, sorted by name, to out; returns how many. */
size_t crm_approvers_with_role(const struct crm_approvers *a, const char *role,
			       struct crm_strv *out);

/* -- the process ------------------------------------------------------------
 */

/* Check an approval process spec ({"name", "lock": [...], "steps": [{"name",
 * "when", "approvers": ["user:U"|"role:R"|"manager:FIELD"], "rule":
 * "one"|"all", "timeout", "escalate": [...]}]}). where prefixes the field
 * named in an error (e.g. "actions[0].process"); file names the file.
 * Returns 0, or -1 with CRM_EX_CONFIG (err->file, err->field set). */
int crm_approval_spec_check(const json_t *spec, const char *file,
			    const char *where, struct crm_err *err);

/* Start the process spec (checked) on record id of entity e, inside an
 * open transaction: resolve the first step whose "when" holds, lock the
 * guarded fields, record it in the change log (command "approval",
 * "requested"). flow: the flow that started it (NULL: by hand). *out gets
 * the approval id. A record with a pending approval of the same process is
 * CRM_EX_DATAERR. When no step applies it is approved at once. */
int crm_approval_start(struct crm_db *db, const struct crm_entity *e,
		       int64_t id, const json_t *spec, const char *flow,
		       int64_t *out, struct crm_err *err);

/* Whether record id of e has a pending approval of process: 1 and its id
 * in *approval, 0 no, -1 error. */
int crm_approval_pending(struct crm_db *db, const struct crm_entity *e,
			 int64_t id, const char *process, int64_t *approval,
			 struct crm_err *err);

/* Record user's decision on approval id, inside an open transaction:
 * approve (comment optional) or reject (comment is the reason, required).
 * Unknown approval: CRM_EX_NOINPUT; not pending, user no approver of the
 * current step, or user already decided it: CRM_EX_DATAERR, nothing
 * written. *outcome (may be NULL) gets "approved" or "rejected" when the
 * decision ends the approval, else NULL. */
int crm_approval_decide(struct crm_db *db, int64_t id, const char *user,
			bool approve, const char *comment, const char **outcome,
			struct crm_err *err);

/* Timeouts at db->now, inside an open transaction: a pending step past
 * its due time escalates (when its spec says to whom) or, escalated
 * already or with no one to escalate to, expires the approval. Each once:
 * the approval's state moves on with it. *n gets the number of
 * escalations and expiries. */
int crm_approval_timeouts(struct crm_db *db, uint64_t *n, struct crm_err *err);

/* -- in the flow engine (lib/domain/approval_flow.c) ---------------------- */

struct crm_flow;
struct crm_flow_ctx;
/* The "approval" action of the flow engine's registry: {"type": "approval",
 * "process": {...}} starts the process on the record the flow fires for
 * (a pending approval of the same process is left as it is). */
int crm_approval_action_validate(const struct crm_flow *f, json_t *spec,
				 void **data, struct crm_err *err);
int crm_approval_action_apply(struct crm_flow_ctx *ctx, json_t *spec,
			      void *data, struct crm_err *err);
/* Record an approval's outcome ("approved", "rejected", "escalated",
 * "expired") as the named events "approval.OUTCOME" and
 * "approval.PROCESS.OUTCOME" on its record, for flows with an event
 * trigger (crm_flow_emit), inside the caller's transaction. */
int crm_approval_emit(struct crm_db *db, int64_t approval, const char *process,
		      const char *entity, int64_t record_id,
		      const char *outcome, struct crm_err *err);

/* -- listing -----------------------------------------------------------------
 */

extern const char *const crm_approval_columns[];
extern const char *const crm_approval_history_columns[];

struct crm_approval_query {
	int64_t id;	  /* only this approval (0: any) */
	bool pending;	  /* only pending approvals */
	const char *user; /* only those waiting for user's decision */
	const char *entity;
	int64_t record_id; /* 0: any */
};

/* Call fn with each approval as a record of crm_approval_columns, by id. */
int crm_approval_list(struct crm_db *db, const struct crm_approval_query *q,
		      int (*fn)(const struct crm_rec *rec, void *arg),
		      void *arg, struct crm_err *err);
/* Call fn with each event of approval id (crm_approval_history_columns),
 * oldest first. Unknown id: CRM_EX_NOINPUT. */
int crm_approval_history(struct crm_db *db, int64_t id,
			 int (*fn)(const struct crm_rec *rec, void *arg),
			 void *arg, struct crm_err *err);

#endif
