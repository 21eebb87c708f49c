/* cli_approval.c - crm-flow's approval verbs: request, approve, reject,
 * approvals, show. The work is lib/domain/approval.c's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "cli_approval.h"
#include "config.h"
#include "flow.h"

enum {
	OPT_AS = 0x7a10,
	OPT_COMMENT,
	OPT_REASON,
	OPT_PENDING,
	OPT_FOR,
	OPT_PROCESS,
	OPT_ENTITY,
	OPT_RECORD,
};

/* The verbs' own options (cli->opts belongs to the flow engine). */
static struct {
	const char *as, *comment, *reason, *user, *process, *entity, *record;
	bool pending;
} o;

const struct argp_option crm_approval_request_options[] = {
    {"process", OPT_PROCESS, "FILE", 0,
     "The approval process: a spec, or a flow file with an approval action "
     "(required)",
     0},
    CRM_APPROVAL_APPROVERS_OPTION,
    {0},
};

const struct argp_option crm_approval_approve_options[] = {
    {"as", OPT_AS, "USER", 0, "Who decides (default: $CRM_USER, else $USER)",
     0},
    {"comment", OPT_COMMENT, "TEXT", 0, "A note kept with the decision", 0},
    CRM_APPROVAL_APPROVERS_OPTION,
    {0},
};

const struct argp_option crm_approval_reject_options[] = {
    {"as", OPT_AS, "USER", 0, "Who decides (default: $CRM_USER, else $USER)",
     0},
    {"reason", OPT_REASON, "TEXT", 0, "Why (required)", 0},
    CRM_APPROVAL_APPROVERS_OPTION,
    {0},
};

const struct argp_option crm_approval_list_options[] = {
    {"pending", OPT_PENDING, NULL, 0, "Only approvals still pending", 0},
    {"for", OPT_FOR, "USER", 0,
     "Only pending approvals waiting for USER's decision", 0},
    {"entity", OPT_ENTITY, "ENTITY", 0, "Only approvals of records of ENTITY",
     0},
    {"record", OPT_RECORD, "ID", 0,
     "Only approvals of record ID (with --entity)", 0},
    {0},
};

error_t crm_approval_opts_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_AS:
		o.as = arg;
		return 0;
	case OPT_COMMENT:
		o.comment = arg;
		return 0;
	case OPT_REASON:
		o.reason = arg;
		return 0;
	case OPT_PENDING:
		o.pending = true;
		return 0;
	case OPT_FOR:
		o.user = arg;
		return 0;
	case OPT_PROCESS:
		o.process = arg;
		return 0;
	case OPT_ENTITY:
		o.entity = arg;
		return 0;
	case OPT_RECORD:
		o.record = arg;
		return 0;
	case CRM_APPROVAL_OPT_APPROVERS:
		crm_approvers_use(arg);
		return 0;
	}
	(void)state;
	return ARGP_ERR_UNKNOWN;
}

static int approval_id(struct crm_cli *cli, int64_t *id)
{
	if (cli->args.n != 1)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "expected one approval id");
	if (crm_parse_int(cli->args.v[0], id) < 0 || *id <= 0)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "'%s' is no approval id", cli->args.v[0]);
	return 0;
}

struct out_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
	int64_t n; /* written, for --limit */
};

static int out_one(const struct crm_rec *rec, void *arg)
{
	struct out_ctx *oc = arg;

	if (oc->cli->limit >= 0 && oc->n >= oc->cli->limit)
		return 0;
	oc->n++;

	if (oc->cli->ids)
		return printf("%s\n", crm_rec_get(rec, "id")) < 0 ? -1 : 0;
	return crm_writer_write(oc->w, rec);
}

/* A writer for cols, or the --fields among them (an unknown one is a
 * usage error); NULL with cli->err. */
static struct crm_writer *writer(struct crm_cli *cli, const char *const *cols)
{
	struct crm_strv sv = {0};
	struct crm_writer *w = NULL;

	if (cli->fields) {
		crm_strv_split(&sv, cli->fields, ',');
		for (size_t i = 0; i < sv.n; i++) {
			size_t k = 0;

			while (cols[k] && strcmp(cols[k], sv.v[i]))
				k++;
			if (!cols[k]) {
				crm_err_set(&cli->err, CRM_EX_USAGE,
					    "--fields: unknown field '%s'",
					    sv.v[i]);
				goto out;
			}
		}
	} else {
		for (size_t i = 0; cols[i]; i++)
			crm_strv_push(&sv, cols[i]);
	}
	w = crm_cli_writer(cli, &sv);
out:
	crm_strv_release(&sv);
	return w;
}

/* Write the approvals q selects; 0 or -1 with cli->err. */
static int print(struct crm_cli *cli, const struct crm_approval_query *q)
{
	struct out_ctx oc = {.cli = cli};
	int rc;

	if (!cli->ids && !(oc.w = writer(cli, crm_approval_columns)))
		return -1;
	rc = crm_approval_list(cli->db, q, out_one, &oc, &cli->err);
	if (rc == 0 && oc.w && crm_writer_close(oc.w) < 0)
		rc = -1;
	if (rc < 0 && !cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
	crm_writer_free(oc.w);
	return rc;
}

static int decide(struct crm_cli *cli, bool approve)
{
	struct crm_approval_query q = {0};
	const char *user = o.as ? o.as : cli->db->actor;
	const char *outcome = NULL;
	int64_t id;
	int rc;

	if (approval_id(cli, &id) < 0)
		return crm_cli_fail(cli);
	if (!approve && (!o.reason || !*o.reason)) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "reject needs --reason TEXT");
		return crm_cli_fail(cli);
	}
	if (crm_db_begin(cli->db, &cli->err) < 0)
		return crm_cli_fail(cli);
	q.id = id;
	rc = crm_approval_decide(cli->db, id, user, approve,
				 approve ? o.comment : o.reason, &outcome,
				 &cli->err);
	if (rc == 0)
		rc = print(cli, &q);
	if (rc == 0)
		rc = crm_db_finish(cli->db, cli->dry_run, &cli->err);
	if (rc < 0) {
		crm_db_rollback(cli->db);
		return crm_cli_fail(cli);
	}
	if (outcome)
		crm_cli_note(cli, "approval %lld %s", (long long)id, outcome);
	return 0;
}

int crm_verb_approval_approve(struct crm_cli *cli)
{
	return decide(cli, true);
}

int crm_verb_approval_reject(struct crm_cli *cli)
{
	return decide(cli, false);
}

/* The process in file: a spec ("steps"), or a flow with an action of type
 * "approval" (its "process"). */
static int load_process(struct crm_cli *cli, json_t **root, json_t **spec)
{
	json_t *actions, *a;
	size_t i;

	if (crm_config_load(o.process, "process ", NULL, "expected an object",
			    root, &cli->err) < 0)
		return -1;
	if (json_object_get(*root, "steps")) {
		*spec = *root;
		return crm_approval_spec_check(*spec, o.process, "process",
					       &cli->err);
	}
	actions = json_object_get(*root, "actions");
	json_array_foreach(actions, i, a)
	{
		const char *t = json_string_value(json_object_get(a, "type"));

		if (t && !strcmp(t, "approval")) {
			char where[64];

			snprintf(where, sizeof(where), "actions[%zu].process",
				 i);
			*spec = json_object_get(a, "process");
			return crm_approval_spec_check(*spec, o.process, where,
						       &cli->err);
		}
	}
	cli->err.code = CRM_EX_CONFIG;
	snprintf(cli->err.file, sizeof(cli->err.file), "%s", o.process);
	return crm_err_set(&cli->err, CRM_EX_CONFIG,
			   "neither an approval process (steps) nor a flow "
			   "with an approval action");
}

int crm_verb_approval_request(struct crm_cli *cli)
{
	struct crm_approval_query q = {0};
	const struct crm_entity *e;
	json_t *root = NULL, *spec = NULL;
	struct crm_row row;
	int64_t id = 0;
	int rc;

	if (cli->args.n != 2) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "expected: request ENTITY KEY --process FILE");
		return crm_cli_fail(cli);
	}
	if (!o.process) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "request needs --process FILE");
		return crm_cli_fail(cli);
	}
	e = crm_entity_by_name(cli->args.v[0]);
	if (!e) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "no entity '%s'",
			    cli->args.v[0]);
		return crm_cli_fail(cli);
	}
	if (load_process(cli, &root, &spec) < 0) {
		json_decref(root);
		return crm_cli_fail(cli);
	}
	crm_row_init(&row, e);
	rc = crm_db_begin(cli->db, &cli->err);
	if (rc == 0) {
		rc = crm_entity_find(cli->db, e, cli->args.v[1], &row,
				     &cli->err);
		if (rc == 0)
			rc = crm_err_set(&cli->err, CRM_EX_NOINPUT,
					 "no %s '%s'", e->name, cli->args.v[1]);
		else if (rc > 0)
			rc = crm_approval_start(cli->db, e, crm_row_id(&row),
						spec, NULL, &id, &cli->err);
	}
	q.id = id;
	if (rc == 0)
		rc = print(cli, &q);
	if (rc == 0)
		rc = crm_db_finish(cli->db, cli->dry_run, &cli->err);
	crm_row_release(&row);
	json_decref(root);
	if (rc < 0) {
		crm_db_rollback(cli->db);
		return crm_cli_fail(cli);
	}
	return 0;
}

int crm_verb_approval_list(struct crm_cli *cli)
{
	struct crm_approval_query q = {
	    .pending = o.pending, .user = o.user, .entity = o.entity};

	if (cli->args.n || cli->where.n || cli->sort) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "approvals takes no arguments, --where or --sort "
			    "(--pending, --for, --entity and --record select)");
		return crm_cli_fail(cli);
	}
	if (o.record && (crm_parse_int(o.record, &q.record_id) < 0 ||
			 q.record_id <= 0 || !o.entity)) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--record takes a record id, with --entity");
		return crm_cli_fail(cli);
	}
	if (print(cli, &q) < 0)
		return crm_cli_fail(cli);
	return 0;
}

int crm_verb_approval_show(struct crm_cli *cli)
{
	struct out_ctx oc = {.cli = cli};
	int64_t id;
	int rc;

	if (approval_id(cli, &id) < 0)
		return crm_cli_fail(cli);
	cli->ids = false;
	oc.w = writer(cli, crm_approval_history_columns);
	if (!oc.w)
		return crm_cli_fail(cli);
	rc = crm_approval_history(cli->db, id, out_one, &oc, &cli->err);
	if (rc == 0 && crm_writer_close(oc.w) < 0)
		rc = -1;
	if (rc < 0 && !cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
	crm_writer_free(oc.w);
	return rc < 0 ? crm_cli_fail(cli) : 0;
}
