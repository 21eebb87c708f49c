/* approval_flow.c - approvals in the flow engine: the "approval" action of
 * the action registry (start an approval process on the record), and the
 * outcomes as named events ("approval.approved",
 * "approval.PROCESS.approved" ...) that flows with an event trigger react
 * to. */
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "flow.h"

int crm_approval_action_validate(const struct crm_flow *f, json_t *spec,
				 void **data, struct crm_err *err)
{
	const char *k;
	json_t *v;

	(void)data;
	json_object_foreach(spec, k, v)
	{
		if (strcmp(k, "type") && strcmp(k, "process")) {
			snprintf(err->field, sizeof(err->field), "%s", k);
			return crm_err_set(err, CRM_EX_CONFIG, "unknown key");
		}
	}
	if (crm_approval_spec_check(json_object_get(spec, "process"), f->path,
				    "process", err) < 0) {
		/* the flow loader names the file and the action */
		err->file[0] = '\0';
		return -1;
	}
	return 0;
}

int crm_approval_action_apply(struct crm_flow_ctx *ctx, json_t *spec,
			      void *data, struct crm_err *err)
{
	const json_t *p = json_object_get(spec, "process");
	const char *name = json_string_value(json_object_get(p, "name"));
	int64_t id = 0;
	int pending;

	(void)data;
	pending = crm_approval_pending(ctx->db, ctx->e, ctx->record_id, name,
				       &id, err);
	if (pending < 0)
		return -1;
	if (pending) {
		crm_flow_did(ctx, "approval %lld (%s) already pending",
			     (long long)id, name);
		return 0;
	}
	if (crm_approval_start(ctx->db, ctx->e, ctx->record_id, p,
			       ctx->flow->name, &id, err) < 0)
		return -1;
	crm_flow_did(ctx, "approval %lld (%s) requested", (long long)id, name);
	return 0;
}

int crm_approval_emit(struct crm_db *db, int64_t approval, const char *process,
		      const char *entity, int64_t record_id,
		      const char *outcome, struct crm_err *err)
{
	char *data = crm_xasprintf("{\"approval\":%lld,\"outcome\":\"%s\"}",
				   (long long)approval, outcome);
	char *named = crm_xasprintf("approval.%s.%s", process, outcome);
	char *generic = crm_xasprintf("approval.%s", outcome);
	int rc = crm_flow_emit(db, generic, entity, record_id, data, err);

	if (rc == 0)
		rc = crm_flow_emit(db, named, entity, record_id, data, err);
	free(data);
	free(named);
	free(generic);
	return rc;
}
