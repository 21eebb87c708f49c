/* cli_campaign.c - crm-campaign tree (the hierarchy with roll-ups) and
 * members (add, status, list, history). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"
#include "campaign_event.h"
#include "campaign_roi.h"
#include "campaign_send.h"
#include "cli_campaign.h"
#include "contact.h"
#include "datetime.h"
#include "deal.h"
#include "lead.h"
#include "mail.h"
#include "money.h"
#include "segment.h"

enum { OPT_LEAD = 0x300, OPT_STATUS, OPT_SEGMENTS, OPT_DEAL };

const struct argp_option crm_campaign_members_options[] = {
    {"lead", OPT_LEAD, 0, 0, "The members are leads (default: contacts)", 0},
    {"status", OPT_STATUS, "STATUS", 0,
     "add: the status new members get (default targeted); status: the "
     "status to set; list: only members with it",
     0},
    {0},
};

error_t crm_campaign_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_campaign_opts *o = cli->opts;

	switch (key) {
	case OPT_LEAD:
		o->lead = true;
		return 0;
	case OPT_STATUS:
		o->status = arg;
		return 0;
	case OPT_DEAL:
		o->deal = true;
		return 0;
	case OPT_SEGMENTS:
		o->segments = arg;
		return 0;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
}

/* -- tree -------------------------------------------------------------- */

struct tree_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_rec rec;
	bool table;
};

static void add_num(struct crm_rec *rec, const char *name, long long v)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", v);
	crm_rec_add(rec, name, strlen(name), num, strlen(num), CRM_RAW);
}

static void add_money(struct crm_rec *rec, const char *name, int64_t v,
		      const char *cur, bool known)
{
	char b[32];

	if (!known) {
		crm_rec_add(rec, name, strlen(name), NULL, 0, CRM_NULL);
		return;
	}
	crm_money_format(v, cur, b);
	crm_rec_add(rec, name, strlen(name), b, strlen(b), CRM_RAW);
}

static int tree_one(const struct crm_campaign_node *n, void *arg)
{
	struct tree_ctx *tc = arg;
	bool tk = !n->mixed;
	const char *tcur = n->total_currency;

	if (tc->cli->ids)
		return printf("%lld\n", (long long)n->id) < 0 ? -1 : 0;
	if (tc->table) {
		char b[32] = "", c[32] = "";
		int rc;

		if (tk) {
			crm_money_format(n->budget_total, tcur, b);
			crm_money_format(n->cost_total, tcur, c);
		}
		rc =
		    printf("%*s%s (%lld)  members %llu/%llu  responses "
			   "%llu/%llu  budget %s%s%s  cost %s%s%s\n",
			   n->depth * 2, "", n->name, (long long)n->id,
			   (unsigned long long)n->members,
			   (unsigned long long)n->members_total,
			   (unsigned long long)n->responses,
			   (unsigned long long)n->responses_total,
			   tk ? b : "mixed", tcur ? " " : "", tcur ? tcur : "",
			   tk ? c : "mixed", tcur ? " " : "", tcur ? tcur : "");
		return rc < 0 ? -1 : 0;
	}
	crm_rec_clear(&tc->rec);
	add_num(&tc->rec, "id", n->id);
	crm_rec_adds(&tc->rec, "name", n->name);
	if (n->parent_id)
		add_num(&tc->rec, "parent_id", n->parent_id);
	else
		crm_rec_add(&tc->rec, "parent_id", 9, NULL, 0, CRM_NULL);
	add_num(&tc->rec, "depth", n->depth);
	crm_rec_adds(&tc->rec, "path", n->path);
	crm_rec_adds(&tc->rec, "type", n->type ? n->type : "");
	crm_rec_adds(&tc->rec, "status", n->status ? n->status : "");
	add_num(&tc->rec, "members", (long long)n->members);
	add_num(&tc->rec, "members_total", (long long)n->members_total);
	add_num(&tc->rec, "responses", (long long)n->responses);
	add_num(&tc->rec, "responses_total", (long long)n->responses_total);
	add_money(&tc->rec, "budget", n->budget, n->currency, true);
	add_money(&tc->rec, "actual_cost", n->cost, n->currency, true);
	crm_rec_adds(&tc->rec, "currency", n->currency ? n->currency : "");
	add_money(&tc->rec, "budget_total", n->budget_total, tcur, tk);
	add_money(&tc->rec, "actual_cost_total", n->cost_total, tcur, tk);
	if (tk)
		crm_rec_adds(&tc->rec, "total_currency", tcur ? tcur : "");
	else
		crm_rec_adds(&tc->rec, "total_currency", "mixed");
	return crm_writer_write(tc->w, &tc->rec);
}

int crm_verb_campaign_tree(struct crm_cli *cli)
{
	static const char *const names[] = {
	    "id",
	    "name",
	    "parent_id",
	    "depth",
	    "path",
	    "type",
	    "status",
	    "members",
	    "members_total",
	    "responses",
	    "responses_total",
	    "budget",
	    "actual_cost",
	    "currency",
	    "budget_total",
	    "actual_cost_total",
	    "total_currency",
	};
	const struct crm_entity *e = cli->cmd->entity;
	struct tree_ctx tc = {.cli = cli};
	struct crm_strv cols = {0};
	struct crm_query q;
	int64_t *ids = NULL;
	int status = 0;

	crm_rec_init(&tc.rec);
	tc.table = crm_cli_format(cli) == CRM_FMT_TABLE;
	if (crm_cli_query(cli, e, false, &q, &ids) < 0)
		goto fail;
	if (cli->where.n || cli->sort || cli->fields) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "tree takes campaign ids or names, not --where, "
			    "--sort or --fields");
		goto fail;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		crm_strv_push(&cols, names[i]);
	if (!tc.table && !cli->ids)
		tc.w = crm_cli_writer(cli, &cols);
	if (crm_campaign_tree(cli->db, q.ids, q.nids, tree_one, &tc,
			      &cli->err) < 0) {
		if (!cli->err.code)
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
		goto fail;
	}
	if (tc.w && crm_writer_close(tc.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(tc.w);
	crm_rec_release(&tc.rec);
	crm_strv_release(&cols);
	free(ids);
	return status;
}

/* -- members ----------------------------------------------------------- */

struct ids {
	int64_t *v;
	size_t n, cap;
};

static int collect(const struct crm_row *row, void *arg)
{
	struct ids *x = arg;

	x->v = crm_xgrow(x->v, &x->cap, x->n + 1, sizeof(*x->v));
	x->v[x->n++] = crm_row_id(row);
	return 0;
}

/* The members the arguments, --stdin and --where select, as ids. */
static int select_members(struct crm_cli *cli, const struct crm_entity *me,
			  struct ids *out)
{
	struct crm_query q;
	int64_t *ids = NULL;
	int rc = -1;

	if (crm_cli_query(cli, me, true, &q, &ids) < 0)
		goto out;
	if (!cli->where.n) {
		for (size_t i = 0; i < q.nids; i++) {
			if (!ids[i]) /* empty --stdin */
				continue;
			out->v = crm_xgrow(out->v, &out->cap, out->n + 1,
					   sizeof(*out->v));
			out->v[out->n++] = ids[i];
		}
	} else {
		q.sort = NULL;
		if (crm_entity_each(cli->db, me, &q, collect, out, &cli->err) <
		    0)
			goto out;
	}
	rc = 0;
out:
	free(ids);
	return rc;
}

/* --fields: the columns asked for, each one of all (n of them); none:
 * all. */
static int pick_cols(struct crm_cli *cli, const char *const *all, size_t n,
		     struct crm_strv *cols)
{
	if (!cli->fields) {
		for (size_t i = 0; i < n; i++)
			crm_strv_push(cols, all[i]);
		return 0;
	}
	crm_strv_split(cols, cli->fields, ',');
	for (size_t c = 0; c < cols->n; c++) {
		size_t i = 0;

		while (i < n && strcmp(all[i], cols->v[c]))
			i++;
		if (i == n)
			return crm_err_set(&cli->err, CRM_EX_USAGE,
					   "unknown field '%s'", cols->v[c]);
	}
	return 0;
}

/* rec's cells in the order of cols, into out. */
static void project(const struct crm_rec *rec, const struct crm_strv *cols,
		    struct crm_rec *out)
{
	crm_rec_clear(out);
	for (size_t c = 0; c < cols->n; c++) {
		long i = crm_rec_find(rec, cols->v[c]);

		if (i < 0)
			crm_rec_add(out, cols->v[c], strlen(cols->v[c]), NULL,
				    0, CRM_NULL);
		else
			crm_rec_add(out, cols->v[c], strlen(cols->v[c]),
				    crm_rec_val(rec, (size_t)i),
				    crm_rec_vlen(rec, (size_t)i),
				    crm_rec_kind(rec, (size_t)i));
	}
}

static const char *const list_cols[] = {
    "campaign_id", "member",	"record_id", "name",  "email",
    "status",	   "status_at", "added_at",  "token",
};

static int members_list(struct crm_cli *cli, int64_t campaign,
			const struct crm_campaign_opts *o, bool history)
{
	const char *sql =
	    history
		? "SELECT m.campaign_id, m.entity, m.record_id, h.status, h.at"
		  " FROM campaign_members m JOIN campaign_member_history h ON"
		  " h.member_id = m.id WHERE m.campaign_id = ? AND (? IS NULL"
		  " OR m.entity = ?) ORDER BY m.entity, m.record_id, h.id"
		: "SELECT m.campaign_id, m.entity, m.record_id, m.status,"
		  " m.status_at, m.added_at, m.token,"
		  " coalesce(c.first_name, l.first_name),"
		  " coalesce(c.last_name, l.last_name),"
		  " coalesce(c.email, l.email)"
		  " FROM campaign_members m"
		  " LEFT JOIN contacts c ON m.entity = 'contact' AND c.id ="
		  " m.record_id"
		  " LEFT JOIN leads l ON m.entity = 'lead' AND l.id ="
		  " m.record_id"
		  " WHERE m.campaign_id = ? AND (CAST(? AS TEXT) IS NULL OR "
		  "m.entity = ?)"
		  " AND (CAST(? AS TEXT) IS NULL OR m.status = ?)"
		  " ORDER BY m.entity, m.record_id";
	static const char *const hist_cols[] = {"campaign_id", "member",
						"record_id", "status", "at"};
	struct crm_strv cols = {0};
	struct crm_writer *w = NULL;
	struct crm_stmt *st = crm_db_stmt(cli->db, sql, &cli->err);
	struct crm_rec rec, prec;
	const char *ent = o->lead ? "lead" : NULL;
	int rc;

	if (!st)
		return -1;
	crm_rec_init(&rec);
	crm_rec_init(&prec);
	if ((history ? pick_cols(cli, hist_cols, 5, &cols)
		     : pick_cols(cli, list_cols,
				 sizeof(list_cols) / sizeof(*list_cols),
				 &cols)) < 0)
		goto fail;
	crm_stmt_bind_int(st, 1, campaign);
	if (ent) {
		crm_stmt_bind_text(st, 2, ent);
		crm_stmt_bind_text(st, 3, ent);
	} else {
		crm_stmt_bind_null(st, 2);
		crm_stmt_bind_null(st, 3);
	}
	if (!history) {
		if (o->status) {
			crm_stmt_bind_text(st, 4, o->status);
			crm_stmt_bind_text(st, 5, o->status);
		} else {
			crm_stmt_bind_null(st, 4);
			crm_stmt_bind_null(st, 5);
		}
	}
	if (!cli->ids)
		w = crm_cli_writer(cli, &cols);
	while ((rc = crm_stmt_step(st, &cli->err)) > 0) {
		int wr;

		if (cli->ids) {
			if (printf("%lld\n", (long long)crm_stmt_int(st, 2)) <
			    0)
				goto werr;
			continue;
		}
		crm_rec_clear(&rec);
		add_num(&rec, "campaign_id", crm_stmt_int(st, 0));
		crm_rec_adds(&rec, "member", crm_stmt_text(st, 1));
		add_num(&rec, "record_id", crm_stmt_int(st, 2));
		if (history) {
			crm_rec_adds(&rec, "status", crm_stmt_text(st, 3));
			crm_rec_adds(&rec, "at", crm_stmt_text(st, 4));
		} else {
			const char *f = crm_stmt_text(st, 7),
				   *l = crm_stmt_text(st, 8),
				   *em = crm_stmt_text(st, 9);
			char *name =
			    crm_xasprintf("%s%s%s", f ? f : "",
					  f && l ? " " : "", l ? l : "");

			crm_rec_adds(&rec, "name", name);
			free(name);
			crm_rec_adds(&rec, "email", em ? em : "");
			crm_rec_adds(&rec, "status", crm_stmt_text(st, 3));
			crm_rec_adds(&rec, "status_at", crm_stmt_text(st, 4));
			crm_rec_adds(&rec, "added_at", crm_stmt_text(st, 5));
			crm_rec_adds(&rec, "token", crm_stmt_text(st, 6));
		}
		project(&rec, &cols, &prec);
		wr = crm_writer_write(w, &prec);
		if (wr < 0)
			goto werr;
	}
	crm_stmt_finalize(st);
	st = NULL;
	if (rc < 0)
		goto fail;
	if (w && crm_writer_close(w) < 0)
		goto werr;
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_rec_release(&prec);
	crm_strv_release(&cols);
	return 0;
werr:
	crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
		    strerror(errno));
fail:
	if (st)
		crm_stmt_finalize(st);
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_rec_release(&prec);
	crm_strv_release(&cols);
	return -1;
}

int crm_verb_campaign_members(struct crm_cli *cli)
{
	struct crm_campaign_opts *o = cli->opts;
	const struct crm_entity *me =
	    o->lead ? &crm_lead_entity : &crm_contact_entity;
	struct ids sel = {0};
	struct crm_row camp;
	char *sub = NULL;
	char at[CRM_TIME_LEN];
	crm_time now;
	uint64_t n = 0;
	int64_t cid;
	int rc, status = 0;

	crm_row_init(&camp, cli->cmd->entity);
	if (cli->args.n < 2) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "usage: members add|status|list|history CAMPAIGN "
			    "[ID...]");
		goto fail;
	}
	sub = crm_xstrdup(cli->args.v[0]);
	if (strcmp(sub, "add") && strcmp(sub, "status") &&
	    strcmp(sub, "list") && strcmp(sub, "history")) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "members: expected add, status, list or history, "
			    "got '%s'",
			    sub);
		goto fail;
	}
	rc = crm_entity_find(cli->db, cli->cmd->entity, cli->args.v[1], &camp,
			     &cli->err);
	if (rc == 0)
		crm_err_set(&cli->err, CRM_EX_NOINPUT, "no campaign '%s'",
			    cli->args.v[1]);
	if (rc <= 0)
		goto fail;
	cid = crm_row_id(&camp);
	/* the rest of the arguments are the members */
	for (size_t i = 2; i < cli->args.n; i++) {
		free(cli->args.v[i - 2]);
		cli->args.v[i - 2] = cli->args.v[i];
		cli->args.v[i] = NULL;
	}
	free(cli->args.v[cli->args.n - 2]);
	free(cli->args.v[cli->args.n - 1]);
	cli->args.v[cli->args.n - 2] = cli->args.v[cli->args.n - 1] = NULL;
	cli->args.n -= 2;
	if (!strcmp(sub, "list") || !strcmp(sub, "history")) {
		if (cli->args.n || cli->where.n || cli->from_stdin) {
			crm_err_set(&cli->err, CRM_EX_USAGE,
				    "members %s takes only the campaign", sub);
			goto fail;
		}
		if (members_list(cli, cid, o, !strcmp(sub, "history")) < 0)
			goto fail;
		goto out;
	}
	if (!strcmp(sub, "status") && !o->status) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "members status needs --status");
		goto fail;
	}
	if (crm_datetime_now(&now, &cli->err) < 0)
		goto fail;
	crm_datetime_format(now, at);
	if (crm_db_begin(cli->db, &cli->err) < 0)
		goto fail;
	if (select_members(cli, me, &sel) < 0)
		goto rollback;
	if (!strcmp(sub, "add")
		? crm_campaign_members_add(cli->db, cid, me->name, sel.v, sel.n,
					   o->status, at, &n, &cli->err)
		: crm_campaign_members_status(cli->db, cid, me->name, sel.v,
					      sel.n, o->status, at, &n,
					      &cli->err))
		goto rollback;
	if (crm_db_finish(cli->db, cli->dry_run, &cli->err) < 0)
		goto rollback;
	crm_cli_note(cli, "%s%s %llu %s", cli->dry_run ? "dry run: " : "",
		     !strcmp(sub, "add") ? "added" : "changed the status of",
		     (unsigned long long)n, n == 1 ? me->name : me->plural);
	goto out;
rollback:
	crm_db_rollback(cli->db);
fail:
	status = crm_cli_fail(cli);
out:
	crm_row_release(&camp);
	free(sel.v);
	free(sub);
	return status;
}

/* -- segments ---------------------------------------------------------- */

const struct argp_option crm_campaign_segment_options[] = {
    {"segments", OPT_SEGMENTS, "DIR", 0,
     "The segment files (default $CRM_SEGMENTS, else the share folder's "
     "segments/)",
     0},
    {0},
};

struct diff_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_rec rec;
	const char *name;
	uint64_t entered, left;
};

static int diff_one(const char *change, int64_t id, void *arg)
{
	struct diff_ctx *d = arg;

	if (!strcmp(change, "entered"))
		d->entered++;
	else
		d->left++;
	if (d->cli->ids)
		return printf("%lld\n", (long long)id) < 0 ? -1 : 0;
	crm_rec_clear(&d->rec);
	crm_rec_adds(&d->rec, "segment", d->name);
	crm_rec_adds(&d->rec, "change", change);
	add_num(&d->rec, "record_id", id);
	return crm_writer_write(d->w, &d->rec);
}

static int segment_list(struct crm_cli *cli, const char *dir, const char *now)
{
	struct crm_strv names = {0}, cols = {0};
	struct crm_writer *w = NULL;
	struct crm_rec rec;
	int rc = -1;

	crm_rec_init(&rec);
	if (crm_segment_names(dir, &names, &cli->err) < 0)
		goto out;
	crm_strv_push(&cols, "name");
	crm_strv_push(&cols, "entity");
	crm_strv_push(&cols, "members");
	w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; i < names.n; i++) {
		struct crm_segment sg;
		int64_t *ids = NULL;
		long n;

		if (crm_segment_load(dir, names.v[i], &sg, &cli->err) < 0)
			goto out;
		n = crm_segment_eval(cli->db, &sg, now, &ids, &cli->err);
		free(ids);
		if (n >= 0) {
			crm_rec_clear(&rec);
			crm_rec_adds(&rec, "name", sg.name);
			crm_rec_adds(&rec, "entity", sg.e->name);
			add_num(&rec, "members", n);
		}
		crm_segment_release(&sg);
		if (n < 0)
			goto out;
		if (crm_writer_write(w, &rec) < 0)
			goto werr;
	}
	if (crm_writer_close(w) < 0)
		goto werr;
	rc = 0;
	goto out;
werr:
	crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
		    strerror(errno));
out:
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_strv_release(&names);
	crm_strv_release(&cols);
	return rc;
}

int crm_verb_campaign_segment(struct crm_cli *cli)
{
	struct crm_campaign_opts *o = cli->opts;
	char *dir =
	    o->segments ? crm_xstrdup(o->segments) : crm_segments_default_dir();
	struct crm_segment sg = {0};
	struct diff_ctx d = {.cli = cli};
	struct crm_strv cols = {0};
	const char *sub = cli->args.n ? cli->args.v[0] : "";
	char now[CRM_TIME_LEN];
	crm_time t;
	int64_t *ids = NULL;
	int status = 0;

	crm_rec_init(&d.rec);
	if (crm_datetime_now(&t, &cli->err) < 0)
		goto fail;
	crm_datetime_format(t, now);
	if (cli->where.n || cli->from_stdin) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "segment takes no --where or --stdin: the "
			    "segment file says who is in it");
		goto fail;
	}
	if (!strcmp(sub, "list") && cli->args.n == 1) {
		if (segment_list(cli, dir, now) < 0)
			goto fail;
		goto out;
	}
	if ((strcmp(sub, "show") && strcmp(sub, "diff")) || cli->args.n != 2) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "usage: segment list | show NAME | diff NAME");
		goto fail;
	}
	if (crm_segment_load(dir, cli->args.v[1], &sg, &cli->err) < 0)
		goto fail;
	if (!strcmp(sub, "show")) {
		struct crm_query q = {.limit = -1};
		long n = crm_segment_eval(cli->db, &sg, now, &ids, &cli->err);

		if (n < 0)
			goto fail;
		if (!n) { /* nothing selects nothing, not everything */
			free(ids);
			ids = crm_xcalloc(1, sizeof(*ids));
			n = 1;
		}
		q.ids = ids;
		q.nids = (size_t)n;
		q.sort = cli->sort;
		q.limit = cli->limit;
		if (crm_cli_list(cli, sg.e, &q, false) < 0)
			goto fail;
		goto out;
	}
	d.name = sg.name;
	crm_strv_push(&cols, "segment");
	crm_strv_push(&cols, "change");
	crm_strv_push(&cols, "record_id");
	if (!cli->ids)
		d.w = crm_cli_writer(cli, &cols);
	if (crm_db_begin(cli->db, &cli->err) < 0)
		goto fail;
	if (crm_segment_diff(cli->db, &sg, now, diff_one, &d, &cli->err) < 0 ||
	    crm_db_finish(cli->db, cli->dry_run, &cli->err) < 0) {
		crm_db_rollback(cli->db);
		if (!cli->err.code)
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
		goto fail;
	}
	if (d.w && crm_writer_close(d.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	crm_cli_note(cli, "%ssegment %s: %llu entered, %llu left",
		     cli->dry_run ? "dry run: " : "", sg.name,
		     (unsigned long long)d.entered, (unsigned long long)d.left);
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(d.w);
	crm_rec_release(&d.rec);
	crm_strv_release(&cols);
	crm_segment_release(&sg);
	free(ids);
	free(dir);
	return status;
}

/* -- touches ----------------------------------------------------------- */

const struct argp_option crm_campaign_touches_options[] = {
    {"deal", OPT_DEAL, 0, 0, "The ids are deals (default: leads)", 0},
    {0},
};

/* the name of campaign id, or NULL when it has none (deleted) */
static char *campaign_name(struct crm_db *db, int64_t id, struct crm_err *err,
			   int *rc)
{
	struct crm_stmt *st = crm_db_stmt_cached(
	    db, "SELECT name FROM campaigns WHERE id = ?", err);
	char *name = NULL;

	*rc = -1;
	if (!st)
		return NULL;
	crm_stmt_bind_int(st, 1, id);
	*rc = crm_stmt_step(st, err);
	if (*rc > 0 && crm_stmt_text(st, 0))
		name = crm_xstrdup(crm_stmt_text(st, 0));
	crm_stmt_reset(st);
	return name;
}

static int add_touch(struct crm_cli *cli, struct crm_rec *rec, const char *what,
		     int64_t id)
{
	char *idn = crm_xasprintf("%s_id", what);
	char *name = NULL;
	int rc = 0;

	if (id) {
		add_num(rec, idn, id);
		name = campaign_name(cli->db, id, &cli->err, &rc);
	} else {
		crm_rec_add(rec, idn, strlen(idn), NULL, 0, CRM_NULL);
	}
	if (name)
		crm_rec_adds(rec, what, name);
	else
		crm_rec_add(rec, what, strlen(what), NULL, 0, CRM_NULL);
	free(name);
	free(idn);
	return rc < 0 ? -1 : 0;
}

int crm_verb_campaign_touches(struct crm_cli *cli)
{
	static const char *const names[] = {
	    "entity",	     "id",	   "first_touch_id", "first_touch",
	    "last_touch_id", "last_touch",
	};
	struct crm_campaign_opts *o = cli->opts;
	const struct crm_entity *e =
	    o->deal ? &crm_deal_entity : &crm_lead_entity;
	struct ids sel = {0};
	struct crm_strv cols = {0};
	struct crm_writer *w = NULL;
	struct crm_rec rec, prec;
	int status = 0;

	crm_rec_init(&rec);
	crm_rec_init(&prec);
	if (pick_cols(cli, names, sizeof(names) / sizeof(*names), &cols) < 0 ||
	    select_members(cli, e, &sel) < 0)
		goto fail;
	w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; i < sel.n; i++) {
		int64_t first, last;

		if (crm_campaign_touches(cli->db, e->name, sel.v[i], &first,
					 &last, &cli->err) < 0)
			goto fail;
		crm_rec_clear(&rec);
		crm_rec_adds(&rec, "entity", e->name);
		add_num(&rec, "id", sel.v[i]);
		if (add_touch(cli, &rec, "first_touch", first) < 0 ||
		    add_touch(cli, &rec, "last_touch", last) < 0)
			goto fail;
		project(&rec, &cols, &prec);
		if (crm_writer_write(w, &prec) < 0)
			goto werr;
	}
	if (crm_writer_close(w) < 0)
		goto werr;
	goto out;
werr:
	crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
		    strerror(errno));
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_rec_release(&prec);
	crm_strv_release(&cols);
	free(sel.v);
	return status;
}

/* -- events ------------------------------------------------------------ */

/* The first of names rec has a non-empty value for, or NULL. */
static const char *pick(const struct crm_rec *rec, const char *const *names)
{
	for (; *names; names++) {
		const char *v = crm_rec_get(rec, *names);
		if (v && *v)
			return v;
	}
	return NULL;
}

struct ev_counts {
	uint64_t n[3];
};

static int one_event(struct crm_cli *cli, const struct crm_rec *rec,
		     const char *file, long line, struct ev_counts *c)
{
	static const char *const ev_n[] = {"event", "type", "event_type", NULL},
				 *tok_n[] = {"token", "x-crm-token",
					     "x_crm_token", NULL},
				 *mid_n[] = {"message_id", "message-id",
					     "messageid", "smtp-id", NULL},
				 *at_n[] = {"time",	   "timestamp", "at",
					    "occurred_at", "date",	NULL},
				 *b_n[] = {"bounce", "bounce_type", "severity",
					   NULL},
				 *id_n[] = {"id", "event_id", "sg_event_id",
					    NULL},
				 *url_n[] = {"url", "link", NULL};
	struct crm_campaign_event ev = {
	    .event = pick(rec, ev_n),
	    .token = pick(rec, tok_n),
	    .message_id = pick(rec, mid_n),
	    .at = pick(rec, at_n),
	    .bounce = pick(rec, b_n),
	    .id = pick(rec, id_n),
	    .url = pick(rec, url_n),
	};
	enum crm_campaign_event_result res;

	if (crm_campaign_event_apply(cli->db, &ev, &res, &cli->err) < 0) {
		if (cli->err.code == CRM_EX_DATAERR) {
			snprintf(cli->err.file, sizeof(cli->err.file), "%s",
				 file);
			cli->err.line = line;
		}
		return -1;
	}
	c->n[res]++;
	return 0;
}

/* A file holding one JSON object (a saved webhook payload): its event.
 * Returns 1 when it was one, 0 when not (read it as records), -1. */
static int webhook_file(struct crm_cli *cli, const char *path,
			struct ev_counts *c)
{
	json_t *j = json_load_file(path, JSON_DECODE_ANY, NULL), *v;
	struct crm_rec rec;
	const char *k;
	int rc;

	if (!json_is_object(j)) {
		json_decref(j);
		return 0;
	}
	crm_rec_init(&rec);
	json_object_foreach(j, k, v)
	{
		char num[64];

		if (json_is_string(v))
			crm_rec_adds(&rec, k, json_string_value(v));
		else if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%lld",
				 (long long)json_integer_value(v));
			crm_rec_adds(&rec, k, num);
		} else if (json_is_real(v)) {
			snprintf(num, sizeof(num), "%.0f", json_real_value(v));
			crm_rec_adds(&rec, k, num);
		}
	}
	rc = one_event(cli, &rec, path, 1, c);
	crm_rec_release(&rec);
	json_decref(j);
	return rc < 0 ? -1 : 1;
}

int crm_verb_campaign_events(struct crm_cli *cli)
{
	struct ev_counts c = {{0}};
	struct crm_rec rec;
	int status = 0;

	crm_rec_init(&rec);
	if (crm_db_begin(cli->db, &cli->err) < 0)
		goto fail;
	for (size_t i = 0; i < (cli->args.n ? cli->args.n : 1); i++) {
		const char *path = cli->args.n ? cli->args.v[i] : "-";
		bool in = !strcmp(path, "-");
		FILE *fp;
		struct crm_reader *r;
		int got = 0;

		if (!in) {
			got = webhook_file(cli, path, &c);
			if (got < 0)
				goto rollback;
			if (got)
				continue;
		}
		fp = in ? stdin : fopen(path, "r");
		if (!fp) {
			crm_err_set(&cli->err, CRM_EX_NOINPUT, "%s: %s", path,
				    strerror(errno));
			goto rollback;
		}
		r = crm_cli_reader(cli, fp, path);
		while (r && (got = crm_reader_next(r, &rec, &cli->err)) > 0)
			if (one_event(cli, &rec, crm_reader_name(r), rec.line,
				      &c) < 0) {
				got = -1;
				break;
			}
		crm_reader_free(r);
		if (!in)
			fclose(fp);
		if (!r || got < 0)
			goto rollback;
	}
	if (crm_db_finish(cli->db, cli->dry_run, &cli->err) < 0)
		goto rollback;
	crm_cli_note(cli,
		     "%sevents: %llu applied, %llu already applied, %llu "
		     "matched no member",
		     cli->dry_run ? "dry run: " : "",
		     (unsigned long long)c.n[CRM_EVENT_APPLIED],
		     (unsigned long long)c.n[CRM_EVENT_DUPLICATE],
		     (unsigned long long)c.n[CRM_EVENT_UNMATCHED]);
	goto out;
rollback:
	crm_db_rollback(cli->db);
fail:
	status = crm_cli_fail(cli);
out:
	crm_rec_release(&rec);
	return status;
}

/* enroll CAMPAIGN [ID...]: members add CAMPAIGN [ID...] (DESIGN.md's
 * verb; ids, --where or --stdin as there). */
int crm_verb_campaign_enroll(struct crm_cli *cli)
{
	crm_strv_push(&cli->args, "add");
	for (size_t i = cli->args.n - 1; i > 0; i--) {
		char *t = cli->args.v[i];
		cli->args.v[i] = cli->args.v[i - 1];
		cli->args.v[i - 1] = t;
	}
	return crm_verb_campaign_members(cli);
}

/* -- roi --------------------------------------------------------------- */

enum { OPT_MODEL = 0x320, OPT_RATES, OPT_ROLLUP, OPT_BY };

const struct argp_option crm_campaign_roi_options[] = {
    {"model", OPT_MODEL, "MODEL", 0,
     "Attribution of won revenue: first, last, linear (default) or u "
     "(U-shaped, 40/20/40)",
     0},
    {"rates", OPT_RATES, "FILE", 0,
     "Exchange rates: every amount in the file's base currency", 0},
    {"rollup", OPT_ROLLUP, 0, 0,
     "Each campaign's figures with all its descendants' (the hierarchy "
     "rolled up)",
     0},
    {"by", OPT_BY, "WHAT", 0,
     "campaign (default) or source: won revenue attributed to sources (a "
     "campaign's channel, else its type; untouched deals to their lead's "
     "source)",
     0},
    {0},
};

error_t crm_campaign_roi_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_campaign_opts *o = cli->opts;

	switch (key) {
	case OPT_MODEL:
		if (crm_attr_model_parse(arg) < 0)
			argp_error(state,
				   "--model: expected first, last, linear or "
				   "u, got '%s'",
				   arg);
		o->model = arg;
		return 0;
	case OPT_RATES:
		o->rates = arg;
		return 0;
	case OPT_ROLLUP:
		o->rollup = true;
		return 0;
	case OPT_BY:
		if (strcmp(arg, "campaign") && strcmp(arg, "source"))
			argp_error(state,
				   "--by: expected campaign or source, got "
				   "'%s'",
				   arg);
		o->by = arg;
		return 0;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
}

/* num / den (minor units) rounded half away from zero, as money. */
static void add_per(struct crm_rec *rec, const char *name, int64_t num,
		    uint64_t den, const char *cur)
{
	char b[32];

	if (!den || !*cur) {
		crm_rec_add(rec, name, strlen(name), NULL, 0, CRM_NULL);
		return;
	}
	crm_rec_adds(rec, name,
		     crm_money_format(
			 (int64_t)llroundl((long double)num / (long double)den),
			 cur, b));
}

static void add_pct(struct crm_rec *rec, const char *name, long double num,
		    long double den)
{
	char b[64];

	if (den == 0) {
		crm_rec_add(rec, name, strlen(name), NULL, 0, CRM_NULL);
		return;
	}
	snprintf(b, sizeof(b), "%.1Lf", 100 * num / den);
	if (!strcmp(b, "-0.0"))
		snprintf(b, sizeof(b), "0.0");
	crm_rec_adds(rec, name, b);
}

static void roi_money(struct crm_rec *rec, const char *name, int64_t v,
		      const char *cur, bool have)
{
	char b[32];

	if (!have)
		crm_rec_add(rec, name, strlen(name), NULL, 0, CRM_NULL);
	else
		crm_rec_adds(rec, name, crm_money_format(v, cur, b));
}

/* The rows of one campaign: one per currency (its won and attributed
 * amounts, and its cost), one with no currency when it has none. */
static int roi_rows(struct crm_cli *cli, const struct crm_roi_row *r,
		    const struct crm_strv *cols, struct crm_writer *w)
{
	struct crm_strv curs = {0};
	struct crm_rec rec, prec;
	int rc = 0;

	crm_rec_init(&rec);
	crm_rec_init(&prec);
	for (size_t i = 0; i < r->nm; i++)
		crm_strv_push(&curs, r->m[i].cur);
	if (*r->cost_cur && crm_strv_find(&curs, r->cost_cur) < 0)
		crm_strv_push(&curs, r->cost_cur);
	if (!curs.n)
		crm_strv_push(&curs, "");
	for (size_t c = 0; c < curs.n && rc == 0; c++) {
		const char *cur = curs.v[c];
		const struct crm_roi_money *m = NULL;
		bool costed = *cur && !strcmp(cur, r->cost_cur);

		for (size_t i = 0; i < r->nm; i++)
			if (!strcmp(r->m[i].cur, cur))
				m = &r->m[i];
		crm_rec_clear(&rec);
		add_num(&rec, "id", r->id);
		crm_rec_adds(&rec, "campaign", r->name);
		crm_rec_adds(&rec, "path", r->path);
		add_num(&rec, "members", (long long)r->members);
		add_num(&rec, "responses", (long long)r->responses);
		add_pct(&rec, "response_rate", r->responses, r->members);
		add_num(&rec, "leads", (long long)r->leads);
		add_num(&rec, "converted_leads", (long long)r->converted);
		add_num(&rec, "deals", (long long)r->deals);
		add_num(&rec, "won_deals", (long long)r->won_deals);
		if (*cur)
			crm_rec_adds(&rec, "currency", cur);
		else
			crm_rec_add(&rec, "currency", 8, NULL, 0, CRM_NULL);
		roi_money(&rec, "won_amount", m ? m->won : 0, cur, *cur);
		roi_money(&rec, "attributed", m ? m->attributed : 0, cur, *cur);
		roi_money(&rec, "cost", r->cost, cur, costed);
		add_per(&rec, "cost_per_lead", r->cost, costed ? r->leads : 0,
			cur);
		add_per(&rec, "cost_per_won_deal", r->cost,
			costed ? r->won_deals : 0, cur);
		if (costed && r->cost > 0)
			add_pct(&rec, "roi",
				(long double)(m ? m->attributed : 0) -
				    (long double)r->cost,
				(long double)r->cost);
		else
			crm_rec_add(&rec, "roi", 3, NULL, 0, CRM_NULL);
		project(&rec, cols, &prec);
		if (crm_writer_write(w, &prec) < 0) {
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
			rc = -1;
		}
	}
	crm_rec_release(&rec);
	crm_rec_release(&prec);
	crm_strv_release(&curs);
	return rc;
}

/* roi --by source: one row per source and currency. */
static int roi_sources(struct crm_cli *cli, const struct crm_roi_opts *ro,
		       const char *model)
{
	static const char *const names[] = {
	    "source", "model", "deals", "currency", "won_amount", "attributed",
	};
	struct crm_src_row *rows = NULL;
	struct crm_strv cols = {0};
	struct crm_writer *w = NULL;
	struct crm_rec rec, prec;
	size_t n = 0;
	int rc = -1;

	crm_rec_init(&rec);
	crm_rec_init(&prec);
	if (pick_cols(cli, names, sizeof(names) / sizeof(*names), &cols) < 0 ||
	    crm_source_roi(cli->db, ro, &rows, &n, &cli->err) < 0)
		goto out;
	w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; i < n; i++) {
		crm_rec_clear(&rec);
		crm_rec_adds(&rec, "source", rows[i].source);
		crm_rec_adds(&rec, "model", model);
		add_num(&rec, "deals", (long long)rows[i].deals);
		crm_rec_adds(&rec, "currency", rows[i].cur);
		roi_money(&rec, "won_amount", rows[i].won, rows[i].cur, true);
		roi_money(&rec, "attributed", rows[i].attributed, rows[i].cur,
			  true);
		project(&rec, &cols, &prec);
		if (crm_writer_write(w, &prec) < 0) {
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
			goto out;
		}
	}
	if (crm_writer_close(w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	crm_writer_free(w);
	crm_source_roi_free(rows, n);
	crm_rec_release(&rec);
	crm_rec_release(&prec);
	crm_strv_release(&cols);
	return rc;
}

int crm_verb_campaign_roi(struct crm_cli *cli)
{
	static const char *const names[] = {
	    "id",	  "campaign",	   "path",	    "members",
	    "responses",  "response_rate", "leads",	    "converted_leads",
	    "deals",	  "won_deals",	   "currency",	    "won_amount",
	    "attributed", "cost",	   "cost_per_lead", "cost_per_won_deal",
	    "roi",
	};
	struct crm_campaign_opts *o = cli->opts;
	struct crm_rates rates = {0};
	struct crm_roi_opts ro = {.model = CRM_ATTR_LINEAR,
				  .rollup = o->rollup};
	struct crm_roi_row *rows = NULL;
	struct crm_strv cols = {0};
	struct crm_writer *w = NULL;
	size_t n = 0;
	int status = 0;

	if (o->model)
		ro.model = (enum crm_attr_model)crm_attr_model_parse(o->model);
	if (cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "roi takes no arguments (--fields, --model, "
			    "--rates, --rollup, --by)");
		goto fail;
	}
	if (o->by && !strcmp(o->by, "source")) {
		if (o->rollup) {
			crm_err_set(&cli->err, CRM_EX_USAGE,
				    "--rollup goes with --by campaign");
			goto fail;
		}
		if (o->rates) {
			if (crm_rates_load(o->rates, &rates, &cli->err) < 0)
				goto fail;
			ro.rates = &rates;
		}
		static const char *const mname[] = {"first", "last", "linear",
						    "u"};
		if (roi_sources(cli, &ro, mname[ro.model]) < 0)
			goto fail;
		goto out;
	}
	if (pick_cols(cli, names, sizeof(names) / sizeof(*names), &cols) < 0)
		goto fail;
	if (o->rates) {
		if (crm_rates_load(o->rates, &rates, &cli->err) < 0)
			goto fail;
		ro.rates = &rates;
	}
	if (crm_campaign_roi(cli->db, &ro, &rows, &n, &cli->err) < 0)
		goto fail;
	w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; i < n; i++)
		if (roi_rows(cli, &rows[i], &cols, w) < 0)
			goto fail;
	if (crm_writer_close(w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(w);
	crm_campaign_roi_free(rows, n);
	crm_rates_release(&rates);
	crm_strv_release(&cols);
	return status;
}

/* -- run: the send queue ----------------------------------------------- */

enum { OPT_MAILDIR = 0x340, OPT_MBOX };

const struct argp_option crm_campaign_run_options[] = {
    {"maildir", OPT_MAILDIR, "DIR", 0,
     "With --dry-run: write the messages due into the maildir DIR "
     "(created when missing) instead of sending them",
     0},
    {"mbox", OPT_MBOX, "FILE", 0,
     "With --dry-run: append the messages due to the mbox FILE instead "
     "of sending them",
     0},
    {0},
};

error_t crm_campaign_run_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_campaign_opts *o = cli->opts;

	switch (key) {
	case OPT_MAILDIR:
		o->maildir = arg;
		return 0;
	case OPT_MBOX:
		o->mbox = arg;
		return 0;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
}

struct run_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
	const struct crm_strv *cols;
	struct crm_rec prec;
	const char *sendmail;
	FILE *mbox;
	unsigned long seq;
};

static int run_row(const struct crm_rec *rec, void *arg)
{
	struct run_ctx *r = arg;

	project(rec, r->cols, &r->prec);
	if (crm_writer_write(r->w, &r->prec) < 0)
		return crm_err_set(&r->cli->err, CRM_EX_IOERR,
				   "write error: %s", strerror(errno));
	return 0;
}

static int deliver_sendmail(const char *msg, void *arg, struct crm_err *err)
{
	struct run_ctx *r = arg;

	return crm_sendmail(r->sendmail, msg, "the message stays queued", err);
}

static int deliver_maildir(const char *msg, void *arg, struct crm_err *err)
{
	struct run_ctx *r = arg;
	struct crm_campaign_opts *o = r->cli->opts;
	char *tmp, *fin;
	FILE *fp;
	int rc = 0;

	tmp =
	    crm_xasprintf("%s/tmp/%lld.%ld_%lu.crm", o->maildir,
			  (long long)r->cli->db->now, (long)getpid(), ++r->seq);
	fin = crm_xasprintf("%s/new/%lld.%ld_%lu.crm", o->maildir,
			    (long long)r->cli->db->now, (long)getpid(), r->seq);
	fp = fopen(tmp, "wx");
	if (!fp || fputs(msg, fp) < 0 || fclose(fp) != 0 ||
	    rename(tmp, fin) < 0)
		rc = crm_err_set(err, CRM_EX_CANTCREAT, "%s: %s", tmp,
				 strerror(errno));
	free(tmp);
	free(fin);
	return rc;
}

static int deliver_mbox(const char *msg, void *arg, struct crm_err *err)
{
	struct run_ctx *r = arg;
	struct crm_campaign_opts *o = r->cli->opts;
	time_t t = (time_t)r->cli->db->now;
	struct tm tm;
	char date[64];
	const char *p = msg;

	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", &tm);
	fprintf(r->mbox, "From crm@localhost %s\n", date);
	/* mboxrd: a line that is ">*From " gets one more '>' */
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		size_t g = strspn(p, ">");

		if (!strncmp(p + g, "From ", 5))
			fputc('>', r->mbox);
		fwrite(p, 1, n, r->mbox);
		p += n;
	}
	if (p > msg && p[-1] != '\n')
		fputc('\n', r->mbox);
	fputc('\n', r->mbox);
	if (ferror(r->mbox))
		return crm_err_set(err, CRM_EX_IOERR, "%s: write error",
				   o->mbox);
	return 0;
}

static int deliver_none(const char *msg, void *arg, struct crm_err *err)
{
	(void)msg;
	(void)arg;
	(void)err;
	return 0;
}

int crm_verb_campaign_run(struct crm_cli *cli)
{
	static const char *const names[] = {
	    "id", "campaign", "entity", "record", "to", "status", "detail",
	};
	struct crm_campaign_opts *o = cli->opts;
	struct run_ctx r = {.cli = cli};
	struct crm_campaign_run_opts ro = {.dry_run = cli->dry_run,
					   .deliver = deliver_sendmail,
					   .arg = &r,
					   .fn = run_row,
					   .fn_arg = &r};
	struct crm_campaign_run_stats st;
	struct crm_strv cols = {0};
	const char *sm = getenv("CRM_SENDMAIL");
	int status = 0;

	crm_rec_init(&r.prec);
	r.sendmail = sm && *sm ? sm : CRM_SENDMAIL_DEFAULT;
	if (cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "run takes no arguments");
		goto fail;
	}
	if ((o->maildir || o->mbox) && !cli->dry_run) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--maildir and --mbox go with --dry-run");
		goto fail;
	}
	if (o->maildir && o->mbox) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--maildir or --mbox, not both");
		goto fail;
	}
	if (pick_cols(cli, names, sizeof(names) / sizeof(*names), &cols) < 0)
		goto fail;
	if (o->maildir) {
		static const char *const sub[] = {"", "/tmp", "/new", "/cur"};
		for (size_t i = 0; i < 4; i++) {
			char *d = crm_xasprintf("%s%s", o->maildir, sub[i]);
			int e = mkdir(d, 0777) < 0 && errno != EEXIST;
			if (e)
				crm_err_set(&cli->err, CRM_EX_CANTCREAT,
					    "%s: %s", d, strerror(errno));
			free(d);
			if (e)
				goto fail;
		}
		ro.deliver = deliver_maildir;
	} else if (o->mbox) {
		if (!(r.mbox = fopen(o->mbox, "a"))) {
			crm_err_set(&cli->err, CRM_EX_CANTCREAT, "%s: %s",
				    o->mbox, strerror(errno));
			goto fail;
		}
		ro.deliver = deliver_mbox;
	} else if (cli->dry_run) {
		ro.deliver = NULL;
	}
	if (!ro.deliver)
		ro.deliver = deliver_none;
	r.cols = &cols;
	r.w = crm_cli_writer(cli, &cols);
	if (crm_campaign_send_run(cli->db, &ro, &st, &cli->err) < 0) {
		crm_writer_close(r.w);
		goto fail;
	}
	if (crm_writer_close(r.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	if (r.mbox && fclose(r.mbox) != 0) {
		r.mbox = NULL;
		crm_err_set(&cli->err, CRM_EX_IOERR, "%s: %s", o->mbox,
			    strerror(errno));
		goto fail;
	}
	r.mbox = NULL;
	crm_cli_note(
	    cli,
	    "%s%llu sent, %llu postponed (quiet hours), %llu "
	    "deferred (send rate), %llu suppressed",
	    cli->dry_run ? "dry run: " : "", (unsigned long long)st.sent,
	    (unsigned long long)st.postponed, (unsigned long long)st.deferred,
	    (unsigned long long)st.suppressed);
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	if (r.mbox)
		fclose(r.mbox);
	crm_writer_free(r.w);
	crm_rec_release(&r.prec);
	crm_strv_release(&cols);
	return status;
}
