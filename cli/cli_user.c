/* cli_user.c - crm-user's own verbs (see cli_user.h). */
#include <stdlib.h>
#include <string.h>

#include "cli_user.h"
#include "rights.h"
#include "user.h"

enum { OPT_PARENT = 0x400, OPT_FIELD, OPT_VALUE, OPT_POLICY };

const struct argp_option crm_user_team_options[] = {
    {"parent", OPT_PARENT, "TEAM", 0,
     "team add: the team this one is under (its managers see it)", 0},
    {0},
};

const struct argp_option crm_user_territory_options[] = {
    {"field", OPT_FIELD, "FIELD", 0,
     "territory add/rm: the record field, region, country or industry", 0},
    {"value", OPT_VALUE, "VALUE", 0,
     "territory add/rm: the value that gives the team a record", 0},
    {0},
};

const struct argp_option crm_user_rls_options[] = {
    {"policy", OPT_POLICY, "FILE", 0,
     "setup-rls: the sensitive-fields policy file (crm-formats(5))", 0},
    {0},
};

error_t crm_user_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_user_opts *o = cli->opts;

	switch (key) {
	case OPT_PARENT:
		o->parent = arg;
		return 0;
	case OPT_FIELD:
		o->field = arg;
		return 0;
	case OPT_VALUE:
		o->value = arg;
		return 0;
	case OPT_POLICY:
		o->policy = arg;
		return 0;
	}
	return crm_entity_opts_parse(key, arg, state);
}

int crm_verb_user_add(struct crm_cli *cli)
{
	struct crm_user_opts *o = cli->opts;
	char *kv;

	if (cli->args.n != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "add takes one NAME (and --email, --team, "
			    "--role)");
		return crm_cli_fail(cli);
	}
	kv = crm_xasprintf("name=%s", cli->args.v[0]);
	crm_strv_push(&o->e.set, kv);
	free(kv);
	crm_strv_release(&cli->args);
	return crm_verb_add(cli);
}

/* Set field to value on the users the arguments name. */
static int set_field(struct crm_cli *cli, const char *field, const char *value,
		     const char *did)
{
	const struct crm_entity *e = cli->cmd->entity;
	struct crm_query q;
	struct crm_rec set;
	int64_t *ids = NULL;
	uint64_t n = 0;
	int status = 0;

	crm_rec_init(&set);
	crm_rec_adds(&set, field, value);
	if (crm_cli_query(cli, e, true, &q, &ids) < 0 ||
	    crm_entity_update(cli->db, e, &q, &set, cli->dry_run, &n,
			      &cli->err) < 0)
		status = crm_cli_fail(cli);
	else
		crm_cli_note(cli, "%s%s %llu user%s",
			     cli->dry_run ? "dry run: would have " : "", did,
			     (unsigned long long)n, n == 1 ? "" : "s");
	crm_rec_release(&set);
	free(ids);
	return status;
}

int crm_verb_user_disable(struct crm_cli *cli)
{
	return set_field(cli, "status", "disabled", "disabled");
}

int crm_verb_user_enable(struct crm_cli *cli)
{
	return set_field(cli, "status", "active", "enabled");
}

int crm_verb_user_grant(struct crm_cli *cli)
{
	char *role;
	int status;

	if (cli->args.n != 2) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "grant takes a USER and a ROLE (rep, manager or "
			    "admin)");
		return crm_cli_fail(cli);
	}
	role = crm_xstrdup(cli->args.v[1]);
	free(cli->args.v[1]);
	cli->args.n = 1;
	status = set_field(cli, "role", role, "granted the role to");
	free(role);
	return status;
}

static int team_list(struct crm_cli *cli)
{
	static const char *const names[] = {"name", "parent", "users"};
	struct crm_stmt *st = crm_db_stmt(
	    cli->db,
	    "SELECT t.name, t.parent, (SELECT count(*) FROM crm_users u "
	    "WHERE u.team = t.name) FROM crm_teams t ORDER BY t.name",
	    &cli->err);
	struct crm_strv cols = {0};
	struct crm_writer *w;
	int rc, status = 0;

	if (!st)
		return crm_cli_fail(cli);
	if (crm_cli_fixed_columns(cli, names, 3, &cols) < 0) {
		crm_stmt_finalize(st);
		crm_strv_release(&cols);
		return crm_cli_fail(cli);
	}
	w = crm_cli_writer(cli, &cols);
	while ((rc = crm_stmt_step(st, &cli->err)) == 1) {
		struct crm_rec rec;
		const char *u = crm_stmt_text(st, 2);

		crm_rec_init(&rec);
		crm_rec_adds(&rec, "name", crm_stmt_text(st, 0));
		crm_rec_adds(&rec, "parent", crm_stmt_text(st, 1));
		crm_rec_add(&rec, "users", 5, u, strlen(u), CRM_RAW);
		crm_writer_write(w, &rec);
		crm_rec_release(&rec);
	}
	crm_stmt_finalize(st);
	if (rc < 0)
		status = crm_cli_fail(cli);
	else if (crm_writer_close(w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR,
			    "writing the teams failed");
		status = crm_cli_fail(cli);
	}
	crm_writer_free(w);
	crm_strv_release(&cols);
	return status;
}

int crm_verb_user_team(struct crm_cli *cli)
{
	struct crm_user_opts *o = cli->opts;
	const char *what = cli->args.n ? cli->args.v[0] : "";
	bool add = !strcmp(what, "add");

	if (!strcmp(what, "list") && cli->args.n == 1)
		return team_list(cli);
	if ((!add && strcmp(what, "rm")) || cli->args.n != 2) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "team takes add NAME [--parent TEAM], rm NAME or "
			    "list");
		return crm_cli_fail(cli);
	}
	if (!add && o->parent) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--parent goes with team add");
		return crm_cli_fail(cli);
	}
	if (crm_db_begin(cli->db, &cli->err) < 0 ||
	    (add ? crm_team_add(cli->db, cli->args.v[1], o->parent, &cli->err)
		 : crm_team_rm(cli->db, cli->args.v[1], &cli->err)) < 0 ||
	    crm_db_finish(cli->db, cli->dry_run, &cli->err) < 0) {
		crm_db_rollback(cli->db);
		return crm_cli_fail(cli);
	}
	crm_cli_note(cli, "%s%s team %s",
		     cli->dry_run ? "dry run: would have " : "",
		     add ? "added" : "removed", cli->args.v[1]);
	return 0;
}

int crm_verb_user_claim_owners(struct crm_cli *cli)
{
	static const char *const names[] = {"entity", "owner", "user",
					    "records"};
	struct crm_owner_claim *c = NULL;
	struct crm_strv cols = {0};
	struct crm_writer *w;
	size_t n = 0, unmatched = 0;
	int status = 0;

	if (cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "claim-owners takes no arguments");
		return crm_cli_fail(cli);
	}
	if (crm_user_claim_owners(cli->db, cli->dry_run, &c, &n, &cli->err) < 0)
		return crm_cli_fail(cli);
	if (crm_cli_fixed_columns(cli, names, 4, &cols) < 0) {
		crm_owner_claims_free(c, n);
		crm_strv_release(&cols);
		return crm_cli_fail(cli);
	}
	w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; i < n; i++) {
		struct crm_rec rec;
		char num[24];

		snprintf(num, sizeof(num), "%lld", (long long)c[i].records);
		crm_rec_init(&rec);
		crm_rec_adds(&rec, "entity", c[i].entity);
		crm_rec_adds(&rec, "owner", c[i].owner);
		crm_rec_adds(&rec, "user", c[i].user);
		crm_rec_add(&rec, "records", 7, num, strlen(num), CRM_RAW);
		crm_writer_write(w, &rec);
		crm_rec_release(&rec);
		unmatched += !c[i].user;
	}
	if (crm_writer_close(w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR,
			    "writing the owners failed");
		status = crm_cli_fail(cli);
	}
	crm_writer_free(w);
	crm_strv_release(&cols);
	if (!status && unmatched)
		crm_cli_note(cli, "%zu owner value%s no user (crm-user add)",
			     unmatched, unmatched == 1 ? " names" : "s name");
	crm_owner_claims_free(c, n);
	return status;
}

int crm_verb_user_setup_rls(struct crm_cli *cli)
{
	struct crm_user_opts *o = cli->opts;

	if (cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "setup-rls takes no arguments");
		return crm_cli_fail(cli);
	}
	if (crm_db_begin(cli->db, &cli->err) < 0 ||
	    crm_user_setup_rls(cli->db, o->policy, &cli->err) < 0 ||
	    crm_db_finish(cli->db, cli->dry_run, &cli->err) < 0) {
		crm_db_rollback(cli->db);
		return crm_cli_fail(cli);
	}
	crm_cli_note(cli, "%srow-level security on",
		     cli->dry_run ? "dry run: would have turned " : "");
	return 0;
}

static int territory_list(struct crm_cli *cli)
{
	static const char *const names[] = {"team", "field", "value"};
	struct crm_stmt *st = crm_db_stmt(cli->db,
					  "SELECT team, field, value FROM "
					  "crm_territories ORDER BY team, "
					  "field, value",
					  &cli->err);
	struct crm_strv cols = {0};
	struct crm_writer *w;
	int rc, status = 0;

	if (!st)
		return crm_cli_fail(cli);
	if (crm_cli_fixed_columns(cli, names, 3, &cols) < 0) {
		crm_stmt_finalize(st);
		crm_strv_release(&cols);
		return crm_cli_fail(cli);
	}
	w = crm_cli_writer(cli, &cols);
	while ((rc = crm_stmt_step(st, &cli->err)) == 1) {
		struct crm_rec rec;

		crm_rec_init(&rec);
		for (int i = 0; i < 3; i++)
			crm_rec_adds(&rec, names[i], crm_stmt_text(st, i));
		crm_writer_write(w, &rec);
		crm_rec_release(&rec);
	}
	crm_stmt_finalize(st);
	if (rc < 0)
		status = crm_cli_fail(cli);
	else if (crm_writer_close(w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR,
			    "writing the territories failed");
		status = crm_cli_fail(cli);
	}
	crm_writer_free(w);
	crm_strv_release(&cols);
	return status;
}

int crm_verb_user_territory(struct crm_cli *cli)
{
	struct crm_user_opts *o = cli->opts;
	const char *what = cli->args.n ? cli->args.v[0] : "";
	bool add = !strcmp(what, "add");

	if (!strcmp(what, "list") && cli->args.n == 1 && !o->field && !o->value)
		return territory_list(cli);
	if ((!add && strcmp(what, "rm")) || cli->args.n != 2 || !o->field ||
	    !o->value) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "territory takes add TEAM --field F --value V, "
			    "rm TEAM --field F --value V, or list");
		return crm_cli_fail(cli);
	}
	if (crm_db_begin(cli->db, &cli->err) < 0 ||
	    (add ? crm_territory_add(cli->db, cli->args.v[1], o->field,
				     o->value, &cli->err)
		 : crm_territory_rm(cli->db, cli->args.v[1], o->field, o->value,
				    &cli->err)) < 0 ||
	    crm_db_finish(cli->db, cli->dry_run, &cli->err) < 0) {
		crm_db_rollback(cli->db);
		return crm_cli_fail(cli);
	}
	crm_cli_note(cli, "%s%s territory %s = %s %s team %s",
		     cli->dry_run ? "dry run: would have " : "",
		     add ? "added" : "removed", o->field, o->value,
		     add ? "to" : "from", cli->args.v[1]);
	return 0;
}
