/* cli_activity.c - crm-activity's verbs: log, timeline, due, done. The
 * rest (import, list, show, update, delete, export, undo) are the
 * entity engine's. */
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "cli_activity.h"
#include "company.h"

enum {
	OPT_AT = 0x300,
	OPT_DUE,
	OPT_CONTACT,
	OPT_COMPANY,
	OPT_LEAD,
	OPT_DEAL,
	OPT_TICKET,
	OPT_SUBJECT,
	OPT_BODY,
	OPT_OWNER,
	OPT_CHANNEL,
	OPT_DIRECTION,
	OPT_EXTERNAL_ID
};

const struct argp_option crm_activity_log_options[] = {
    {"type", 't', "TYPE", 0,
     "call, email, meeting, note, sms, task, web_visit ... (required)", 0},
    {"direction", OPT_DIRECTION, "in|out", 0, "Inbound or outbound", 0},
    {"subject", OPT_SUBJECT, "TEXT", 0, "Subject line", 0},
    {"body", OPT_BODY, "TEXT", 0, "Body or notes", 0},
    {"at", OPT_AT, "TIME", 0, "When it happened (default: now)", 0},
    {"due", OPT_DUE, "TIME", 0, "Makes it a task due at TIME", 0},
    {"owner", OPT_OWNER, "USER", 0, "Who did it, or owns the task", 0},
    {"channel", OPT_CHANNEL, "NAME", 0, "Channel (phone, web, ...)", 0},
    {"contact", OPT_CONTACT, "KEY", 0, "The contact: id, email or external id",
     0},
    {"company", OPT_COMPANY, "KEY", 0,
     "The company: id, name, domain or external id (default: the "
     "contact's)",
     0},
    {"lead", OPT_LEAD, "ID", 0, "The lead", 0},
    {"deal", OPT_DEAL, "ID", 0, "The deal", 0},
    {"ticket", OPT_TICKET, "ID", 0, "The ticket", 0},
    {"external-id", OPT_EXTERNAL_ID, "ID", 0, "The caller's key", 0},
    {"set", 's', "FIELD=VALUE", 0,
     "Set any field, custom ones included; repeatable", 0},
    {0},
};

error_t crm_activity_log_parse(int key, char *arg, struct argp_state *state)
{
	static const struct {
		int key;
		const char *field;
	} map[] = {
	    {'t', "type"},
	    {OPT_DIRECTION, "direction"},
	    {OPT_SUBJECT, "subject"},
	    {OPT_BODY, "body"},
	    {OPT_AT, "occurred_at"},
	    {OPT_DUE, "due_at"},
	    {OPT_OWNER, "owner"},
	    {OPT_CHANNEL, "channel"},
	    {OPT_CONTACT, "contact"},
	    {OPT_COMPANY, "company"},
	    {OPT_LEAD, "lead_id"},
	    {OPT_DEAL, "deal_id"},
	    {OPT_TICKET, "ticket_id"},
	    {OPT_EXTERNAL_ID, "external_id"},
	};
	struct crm_cli *cli = state->input;
	struct crm_entity_opts *o = cli->opts;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].key == key) {
			char *kv = crm_xasprintf("%s=%s", map[i].field, arg);
			crm_strv_push(&o->set, kv);
			free(kv);
			return 0;
		}
	return crm_entity_opts_parse(key, arg, state);
}

/* The record a timeline is about: (kind, key) -> link column and id. */
static int timeline_target(struct crm_cli *cli, char *where, size_t n)
{
	static const struct {
		const char *kind, *entity, *column;
	} kinds[] = {
	    {"contact", "contact", "contact_id"},
	    {"company", "company", "company_id"},
	    {"lead", "lead", "lead_id"},
	    {"deal", "deal", "deal_id"},
	    {"ticket", "ticket", "ticket_id"},
	};
	const char *kind = "contact", *key;
	const struct crm_entity *e;
	struct crm_row row;
	size_t k;
	int rc;

	if (cli->args.n == 2) {
		kind = cli->args.v[0];
		key = cli->args.v[1];
	} else if (cli->args.n == 1) {
		key = cli->args.v[0];
	} else {
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "expected: timeline "
				   "[contact|company|lead|deal|ticket] KEY");
	}
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (!strcmp(kinds[k].kind, kind))
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0]))
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "timeline of '%s'? expected contact, "
				   "company, lead, deal or ticket",
				   kind);
	e = crm_entity_by_name(kinds[k].entity);
	if (!e)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "no %s entity in this version", kind);
	crm_row_init(&row, e);
	rc = crm_entity_find(cli->db, e, key, &row, &cli->err);
	if (rc == 0)
		crm_err_set(&cli->err, CRM_EX_NOINPUT, "no %s '%s'", kind, key);
	if (rc > 0)
		snprintf(where, n, "%s=%lld", kinds[k].column,
			 (long long)crm_row_id(&row));
	crm_row_release(&row);
	return rc > 0 ? 0 : -1;
}

int crm_verb_activity_timeline(struct crm_cli *cli)
{
	struct crm_query q = {.where = &cli->where,
			      .sort =
				  cli->sort ? cli->sort : "-occurred_at,-id",
			      .limit = cli->limit};
	char where[96];
	int status = 0;

	if (timeline_target(cli, where, sizeof(where)) < 0)
		return crm_cli_fail(cli);
	crm_strv_push(&cli->where, where);
	if (crm_cli_list(cli, cli->cmd->entity, &q, false) < 0)
		status = crm_cli_fail(cli);
	return status;
}

static int count_one(const struct crm_row *row, void *arg)
{
	(void)row;
	++*(uint64_t *)arg;
	return 0;
}

int crm_verb_activity_due(struct crm_cli *cli)
{
	struct crm_query q = {.where = &cli->where,
			      .sort = cli->sort ? cli->sort : "owner,due_at",
			      .limit = cli->limit};
	char now[CRM_TIME_LEN], *w;
	uint64_t n = 0;

	if (cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "due takes options (--where owner=NAME), not '%s'",
			    cli->args.v[0]);
		return crm_cli_fail(cli);
	}
	w = crm_xasprintf("due_at<%s", crm_datetime_format(cli->db->now, now));
	crm_strv_push(&cli->where, w);
	crm_strv_push(&cli->where, "done_at=");
	free(w);
	if (crm_entity_each(cli->db, cli->cmd->entity, &q, count_one, &n,
			    &cli->err) < 0 ||
	    crm_cli_list(cli, cli->cmd->entity, &q, false) < 0)
		return crm_cli_fail(cli);
	return n ? CRM_EX_FOUND : 0;
}

const struct argp_option crm_activity_done_options[] = {
    {"at", OPT_AT, "TIME", 0, "When it was done (default: now)", 0},
    {0},
};

int crm_verb_activity_done(struct crm_cli *cli)
{
	struct crm_entity_opts *o = cli->opts;
	const struct crm_entity *e = cli->cmd->entity;
	struct crm_query q;
	struct crm_rec set;
	char now[CRM_TIME_LEN];
	int64_t *ids = NULL;
	uint64_t n;
	int status = 0;

	crm_rec_init(&set);
	crm_datetime_format(cli->db->now, now);
	/* log's parser put --at into o->set as occurred_at */
	crm_rec_adds(&set, "done_at",
		     o->set.n ? strchr(o->set.v[0], '=') + 1 : now);
	if (crm_cli_query(cli, e, true, &q, &ids) < 0 ||
	    crm_entity_update(cli->db, e, &q, &set, cli->dry_run, &n,
			      &cli->err) < 0)
		status = crm_cli_fail(cli);
	else if (cli->dry_run)
		crm_cli_note(cli, "dry run: would have marked %llu done",
			     (unsigned long long)n);
	else
		crm_cli_note(cli, "marked %llu done", (unsigned long long)n);
	free(ids);
	crm_rec_release(&set);
	return status;
}
