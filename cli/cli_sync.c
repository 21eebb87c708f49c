/* cli_sync.c - crm sync's verbs (see cli_sync.h). */
#include <stdlib.h>
#include <string.h>

#include "cli_sync.h"

enum { OPT_TO = 0x500, OPT_FROM, OPT_MINE, OPT_CONFLICT };

const struct argp_option crm_sync_pull_options[] = {
    {"to", OPT_TO, "FILE", 0,
     "The local copy (a SQLite file; made when missing, refreshed when a "
     "pulled copy)",
     0},
    {"mine", OPT_MINE, 0, 0,
     "Only the user's own records, and the deals, tickets and activities "
     "of their contacts",
     0},
    {0},
};

const struct argp_option crm_sync_push_options[] = {
    {"from", OPT_FROM, "FILE", 0,
     "The local copy (default: $CRM_DB, else the default database)", 0},
    {"conflict", OPT_CONFLICT, "POLICY", 0,
     "A field changed on both sides: stop (report, change nothing, exit "
     "1; the default), server (the server's value stays) or local (the "
     "local value is written); the losing value goes to the change log",
     0},
    {0},
};

error_t crm_sync_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_sync_cli_opts *o = cli->opts;

	switch (key) {
	case OPT_TO:
		o->to = arg;
		return 0;
	case OPT_FROM:
		o->from = arg;
		return 0;
	case OPT_MINE:
		o->mine = true;
		return 0;
	case OPT_CONFLICT:
		o->conflict = arg;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

struct out {
	struct crm_cli *cli;
	struct crm_writer *w;
	bool pull;
};

static void add_int(struct crm_rec *r, const char *name, int64_t v)
{
	char buf[32];

	if (!v) {
		crm_rec_adds(r, name, NULL);
		return;
	}
	crm_fmt_int(buf, v);
	crm_rec_add(r, name, strlen(name), buf, strlen(buf), CRM_RAW);
}

static int report(const struct crm_sync_event *ev, void *arg)
{
	struct out *o = arg;
	struct crm_rec rec;
	int rc;

	crm_rec_init(&rec);
	if (o->pull) {
		crm_rec_adds(&rec, "table", ev->action);
		crm_rec_add(&rec, "records", 7, ev->local, strlen(ev->local),
			    CRM_RAW);
		crm_rec_add(&rec, "removed", 7, ev->server, strlen(ev->server),
			    CRM_RAW);
	} else {
		crm_rec_adds(&rec, "action", ev->action);
		crm_rec_adds(&rec, "entity", ev->entity);
		add_int(&rec, "id", ev->id);
		add_int(&rec, "server_id", ev->server_id);
		crm_rec_adds(&rec, "field", ev->field);
		crm_rec_adds(&rec, "local", ev->local);
		crm_rec_adds(&rec, "server", ev->server);
		crm_rec_adds(&rec, "kept", ev->kept);
	}
	rc = crm_writer_write(o->w, &rec);
	crm_rec_release(&rec);
	return rc < 0 ? -1 : 0;
}

static int run(struct crm_cli *cli, bool pull)
{
	static const char *const pull_cols[] = {"table", "records", "removed"};
	static const char *const push_cols[] = {"action",    "entity", "id",
						"server_id", "field",  "local",
						"server",    "kept"};
	struct crm_sync_cli_opts *so = cli->opts;
	struct crm_sync_opts o = {0};
	struct crm_sync_stats st = {0};
	struct crm_strv cols = {0};
	struct out out = {cli, NULL, pull};
	char *local = NULL;
	int rc, status = 0;

	if (cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "%s takes no arguments",
			    pull ? "pull" : "push");
		return crm_cli_fail(cli);
	}
	if (cli->dry_run || (!pull && cli->where.n) || cli->from_stdin ||
	    cli->ids || cli->sort || cli->limit >= 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--dry-run, --stdin, --ids, --sort, --limit and "
			    "push --where are not for crm sync (push "
			    "--conflict stop shows the conflicts and changes "
			    "nothing)");
		return crm_cli_fail(cli);
	}
	if (pull && so->mine && cli->where.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "pull takes --mine or --where, not both");
		return crm_cli_fail(cli);
	}
	o.server = cli->db_path;
	o.mine = so->mine;
	o.where = &cli->where;
	if (pull) {
		if (!so->to) {
			crm_err_set(&cli->err, CRM_EX_USAGE,
				    "pull needs --to FILE (the local copy)");
			return crm_cli_fail(cli);
		}
		o.local = so->to;
	} else {
		const char *p = so->conflict ? so->conflict : "stop";

		if (!strcmp(p, "stop"))
			o.policy = CRM_SYNC_STOP;
		else if (!strcmp(p, "server"))
			o.policy = CRM_SYNC_SERVER;
		else if (!strcmp(p, "local"))
			o.policy = CRM_SYNC_LOCAL;
		else {
			crm_err_set(&cli->err, CRM_EX_USAGE,
				    "--conflict: expected stop, server or "
				    "local, got '%s'",
				    p);
			return crm_cli_fail(cli);
		}
		local = crm_db_resolve_path(so->from);
		o.local = local;
	}
	if (crm_cli_fixed_columns(cli, pull ? pull_cols : push_cols,
				  pull ? 3 : 8, &cols) < 0) {
		free(local);
		crm_strv_release(&cols);
		return crm_cli_fail(cli);
	}
	out.w = crm_cli_writer(cli, &cols);
	o.report = report;
	o.arg = &out;
	rc = pull ? crm_sync_pull(&o, &st, &cli->err)
		  : crm_sync_push(&o, &st, &cli->err);
	if (rc < 0)
		status = crm_cli_fail(cli);
	else if (crm_writer_close(out.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR,
			    "writing the report failed");
		status = crm_cli_fail(cli);
	} else if (pull) {
		crm_cli_note(cli, "pulled %llu records into %s",
			     (unsigned long long)st.rows, o.local);
	} else if (o.policy == CRM_SYNC_STOP && st.conflicts) {
		crm_cli_note(cli,
			     "%llu conflicts: nothing pushed (--conflict "
			     "server or local decides them)",
			     (unsigned long long)st.conflicts);
		status = CRM_EX_FOUND;
	} else if (st.refused) {
		crm_cli_note(cli,
			     "%llu changes refused by the server's rights "
			     "(not applied); the others pushed",
			     (unsigned long long)st.refused);
		status = CRM_EX_CANTCREAT;
	} else {
		crm_cli_note(cli, "pushed %llu changes (%llu conflicts)",
			     (unsigned long long)st.changes,
			     (unsigned long long)st.conflicts);
	}
	crm_writer_free(out.w);
	crm_strv_release(&cols);
	free(local);
	return status;
}

int crm_verb_sync_pull(struct crm_cli *cli)
{
	return run(cli, true);
}

int crm_verb_sync_push(struct crm_cli *cli)
{
	return run(cli, false);
}
