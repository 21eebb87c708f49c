/* cli_role.c - role add|list|rm and powermap, for deals (crm-pipeline)
 * and accounts (crm-company). The options live here, whatever the
 * command's own option struct, so both commands share them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_role.h"
#include "company.h"
#include "contact.h"
#include "coverage.h"
#include "db.h"
#include "deal.h"
#include "money.h"
#include "powermap.h"
#include "role.h"

enum {
	OPT_ROLE = 0x5200,
	OPT_ATTITUDE,
	OPT_INFLUENCE,
	OPT_OWNER,
	OPT_STRATEGY,
	OPT_STAGE,
	OPT_DAYS,
	OPT_CHECK,
	OPT_HTML,
};

static struct {
	const char *role, *attitude, *influence, *owner, *strategy, *stage;
	long days;
	bool check, html, days_set;
} ro;

const struct argp_option crm_role_options[] = {
    {"role", OPT_ROLE, "ROLE", 0,
     "The role (share/crm/roles.json lists them: decision_maker, "
     "economic_buyer, champion ...)",
     0},
    {"attitude", OPT_ATTITUDE, "ATTITUDE", 0,
     "supporter, neutral (the default) or opponent", 0},
    {"influence", OPT_INFLUENCE, "LEVEL", 0,
     "low, medium (the default) or high", 0},
    {"owner", OPT_OWNER, "USER", 0,
     "Who owns the relationship (default: the contact's owner)", 0},
    {"strategy", OPT_STRATEGY, "TEXT", 0,
     "How to win this person (kept with the role)", 0},
    {0},
};

const struct argp_option crm_powermap_options[] = {
    {"stage", OPT_STAGE, "STAGE", 0,
     "Open deals past STAGE need the required roles (default: the roles "
     "file's after_stage)",
     0},
    {"days", OPT_DAYS, "N", 0,
     "A key person with no activity in N days is a gap (default: the "
     "roles file's stale_days)",
     0},
    {"check", OPT_CHECK, 0, 0,
     "Exit 1 when there is a gap (for cron and crm-flow)", 0},
    {"html", OPT_HTML, 0, 0,
     "Write a self-contained HTML page with the diagram (inline SVG)", 0},
    {0},
};

const struct argp_option crm_coverage_options[] = {
    {"days", OPT_DAYS, "N", 0,
     "A company with no activity in N days is white space (default: only "
     "one never worked on)",
     0},
    {"check", OPT_CHECK, 0, 0, "Exit 1 when there is white space", 0},
    {0},
};

error_t crm_role_opts_parse(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case OPT_ROLE:
		ro.role = arg;
		break;
	case OPT_ATTITUDE:
		ro.attitude = arg;
		break;
	case OPT_INFLUENCE:
		ro.influence = arg;
		break;
	case OPT_OWNER:
		ro.owner = arg;
		break;
	case OPT_STRATEGY:
		ro.strategy = arg;
		break;
	case OPT_STAGE:
		ro.stage = arg;
		break;
	case OPT_DAYS:
		errno = 0;
		ro.days = strtol(arg, &end, 10);
		if (errno || end == arg || *end || ro.days < 0)
			argp_error(state,
				   "--days: expected a whole number, got '%s'",
				   arg);
		ro.days_set = true;
		break;
	case OPT_CHECK:
		ro.check = true;
		break;
	case OPT_HTML:
		ro.html = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int find_id(struct crm_cli *cli, const struct crm_entity *e,
		   const char *key, int64_t *id)
{
	struct crm_row row;
	int rc;

	crm_row_init(&row, e);
	rc = crm_entity_find(cli->db, e, key, &row, &cli->err);
	if (rc == 0)
		crm_err_set(&cli->err, CRM_EX_NOINPUT, "no %s '%s'", e->name,
			    key);
	if (rc > 0)
		*id = crm_row_id(&row);
	crm_row_release(&row);
	return rc > 0 ? 0 : -1;
}

/* The ids of the roles of contact (0: anyone) on the scope, of role
 * (NULL: any). */
static int role_ids(struct crm_cli *cli, const char *scope, int64_t sid,
		    int64_t contact, const char *role, int64_t **ids, size_t *n)
{
	char sql[256];
	struct crm_stmt *st;
	size_t cap = 0;
	int rc;

	snprintf(sql, sizeof(sql),
		 "SELECT id FROM contact_roles WHERE %s = ? AND (? = 0 OR "
		 "contact_id = ?) AND (? = '' OR role = ?) ORDER BY id",
		 scope); /* scope: "deal_id" or "company_id", fixed text */
	st = crm_db_stmt(cli->db, sql, &cli->err);
	if (!st)
		return -1;
	crm_stmt_bind_int(st, 1, sid);
	crm_stmt_bind_int(st, 2, contact);
	crm_stmt_bind_int(st, 3, contact);
	crm_stmt_bind_text(st, 4, role ? role : "");
	crm_stmt_bind_text(st, 5, role ? role : "");
	*n = 0;
	while ((rc = crm_stmt_step(st, &cli->err)) > 0) {
		*ids = crm_xgrow(*ids, &cap, *n + 1, sizeof(**ids));
		(*ids)[(*n)++] = crm_stmt_int(st, 0);
	}
	crm_stmt_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int role_add(struct crm_cli *cli, const char *scope, int64_t sid,
		    int64_t contact)
{
	struct crm_import_opts io = {
	    .command = "role add", .mode = CRM_UPSERT, .keys = "id"};
	struct crm_importer *im = NULL;
	enum crm_import_action a;
	struct crm_rec rec;
	struct crm_row row;
	int64_t *ids = NULL;
	size_t n = 0;
	char num[32];
	int status = 0;

	if (!ro.role)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "role add needs --role"),
		       crm_cli_fail(cli);
	crm_rec_init(&rec);
	crm_row_init(&row, &crm_role_entity);
	if (crm_db_begin(cli->db, &cli->err) < 0)
		goto fail;
	if (role_ids(cli, scope, sid, contact, ro.role, &ids, &n) < 0)
		goto fail;
	if (n) { /* the same role again: an update of it */
		snprintf(num, sizeof(num), "%lld", (long long)ids[0]);
		crm_rec_adds(&rec, "id", num);
	}
	snprintf(num, sizeof(num), "%lld", (long long)sid);
	crm_rec_adds(&rec, scope, num);
	snprintf(num, sizeof(num), "%lld", (long long)contact);
	crm_rec_adds(&rec, "contact_id", num);
	crm_rec_adds(&rec, "role", ro.role);
	if (ro.attitude)
		crm_rec_adds(&rec, "attitude", ro.attitude);
	if (ro.influence)
		crm_rec_adds(&rec, "influence", ro.influence);
	if (ro.owner)
		crm_rec_adds(&rec, "owner", ro.owner);
	if (ro.strategy)
		crm_rec_adds(&rec, "strategy", ro.strategy);
	im = crm_importer_new(cli->db, &crm_role_entity, &io, &cli->err);
	if (!im || crm_importer_apply(im, &rec, &row, &a, &cli->err) < 0)
		goto fail;
	if (cli->dry_run)
		crm_db_rollback(cli->db);
	else if (crm_db_commit(cli->db, &cli->err) < 0)
		goto fail;
	if (cli->ids)
		printf("%lld\n", (long long)crm_row_id(&row));
	if (!cli->dry_run && cli->db->last_change)
		crm_cli_note(cli,
			     "role %lld %s (change %lld; '%s undo %lld' "
			     "reverts it)",
			     (long long)crm_row_id(&row),
			     crm_import_action_name(a),
			     (long long)cli->db->last_change, cli->cmd->name,
			     (long long)cli->db->last_change);
	else
		crm_cli_note(cli, "role %lld %s", (long long)crm_row_id(&row),
			     crm_import_action_name(a));
	goto out;
fail:
	crm_db_rollback(cli->db);
	status = crm_cli_fail(cli);
out:
	crm_importer_free(im);
	crm_row_release(&row);
	crm_rec_release(&rec);
	free(ids);
	return status;
}

struct list_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
};

static int list_one(const struct crm_rec *rec, int64_t id, void *arg)
{
	struct list_ctx *lc = arg;

	if (lc->cli->ids ? printf("%lld\n", (long long)id) < 0
			 : crm_writer_write(lc->w, rec) < 0)
		return crm_err_set(&lc->cli->err, CRM_EX_IOERR,
				   "write error: %s", strerror(errno));
	return 0;
}

static int role_list(struct crm_cli *cli, const char *scope, int64_t sid,
		     int64_t contact)
{
	struct crm_strv where = {0}, cols = {0};
	struct crm_query q = {.where = &where, .limit = -1};
	struct list_ctx lc = {cli, NULL};
	char *w;
	int status = 0;

	w = crm_xasprintf("%s=%lld", scope, (long long)sid);
	crm_strv_push(&where, w);
	free(w);
	if (contact) {
		w = crm_xasprintf("contact_id=%lld", (long long)contact);
		crm_strv_push(&where, w);
		free(w);
	}
	if (ro.role) {
		w = crm_xasprintf("role=%s", ro.role);
		crm_strv_push(&where, w);
		free(w);
	}
	for (size_t i = 0; i < cli->where.n; i++)
		crm_strv_push(&where, cli->where.v[i]);
	q.sort = cli->sort;
	q.limit = cli->limit;
	if (crm_cli_columns(cli, &crm_role_entity, false, &cols) < 0)
		goto fail;
	if (!cli->ids)
		lc.w = crm_cli_writer(cli, &cols);
	if (crm_entity_each_rec(cli->db, &crm_role_entity, &q, &cols, list_one,
				&lc, &cli->err) < 0)
		goto fail;
	if (lc.w && crm_writer_close(lc.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(lc.w);
	crm_strv_release(&where);
	crm_strv_release(&cols);
	return status;
}

static int role_rm(struct crm_cli *cli, const char *scope, int64_t sid,
		   int64_t contact)
{
	struct crm_query q = {.limit = -1};
	int64_t *ids = NULL;
	size_t n = 0;
	uint64_t done = 0;
	int status = 0;

	if (role_ids(cli, scope, sid, contact, ro.role, &ids, &n) < 0)
		goto fail;
	if (!n) {
		crm_err_set(&cli->err, CRM_EX_NOINPUT,
			    "contact %lld has no%s%s role there",
			    (long long)contact, ro.role ? " " : "",
			    ro.role ? ro.role : "");
		goto fail;
	}
	q.ids = ids;
	q.nids = n;
	if (crm_entity_delete(cli->db, &crm_role_entity, &q, cli->dry_run,
			      &done, &cli->err) < 0)
		goto fail;
	if (!cli->dry_run && cli->db->last_change)
		crm_cli_note(cli,
			     "%llu role%s removed (change %lld; '%s undo %lld' "
			     "reverts it)",
			     (unsigned long long)done, done == 1 ? "" : "s",
			     (long long)cli->db->last_change, cli->cmd->name,
			     (long long)cli->db->last_change);
	else
		crm_cli_note(cli, "%llu role%s removed",
			     (unsigned long long)done, done == 1 ? "" : "s");
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	free(ids);
	return status;
}

static int verb_role(struct crm_cli *cli, const struct crm_entity *e,
		     const char *scope)
{
	const char *sub = cli->args.n ? cli->args.v[0] : "";
	int64_t sid = 0, contact = 0;

	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "rm"))
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "role: expected add, list or rm, then the "
				   "%s",
				   e->name),
		       crm_cli_fail(cli);
	if (cli->args.n < 2 || cli->args.n > 3 ||
	    (strcmp(sub, "list") && cli->args.n != 3))
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "role %s takes a %s%s", sub, e->name,
				   strcmp(sub, "list") ? " and a contact"
						       : " (and a contact)"),
		       crm_cli_fail(cli);
	if (find_id(cli, e, cli->args.v[1], &sid) < 0 ||
	    (cli->args.n == 3 &&
	     find_id(cli, &crm_contact_entity, cli->args.v[2], &contact) < 0))
		return crm_cli_fail(cli);
	if (!strcmp(sub, "add"))
		return role_add(cli, scope, sid, contact);
	if (!strcmp(sub, "rm"))
		return role_rm(cli, scope, sid, contact);
	return role_list(cli, scope, sid, contact);
}

int crm_verb_deal_role(struct crm_cli *cli)
{
	return verb_role(cli, &crm_deal_entity, "deal_id");
}

int crm_verb_company_role(struct crm_cli *cli)
{
	return verb_role(cli, &crm_company_entity, "company_id");
}

/* -- powermap ------------------------------------------------------------ */

static void add_text(struct crm_rec *r, const char *name, const char *v)
{
	if (v)
		crm_rec_adds(r, name, v);
	else
		crm_rec_add(r, name, strlen(name), NULL, 0, CRM_NULL);
}

static void add_int(struct crm_rec *r, const char *name, int64_t v, bool null)
{
	char num[32];

	if (null) {
		crm_rec_add(r, name, strlen(name), NULL, 0, CRM_NULL);
		return;
	}
	snprintf(num, sizeof(num), "%lld", (long long)v);
	crm_rec_add(r, name, strlen(name), num, strlen(num), CRM_RAW);
}

static const char *const pm_cols[] = {
    "deal_id",	  "company_id",	   "contact_id", "name",
    "title",	  "reports_to_id", "depth",	 "roles",
    "attitude",	  "influence",	   "owner",	 "last_activity_at",
    "days_since", "flags",	   NULL,
};

static int pm_print_table(const struct crm_powermap *pm)
{
	if (printf("%s %lld: %s\n", pm->deal_id ? "Deal" : "Company",
		   (long long)(pm->deal_id ? pm->deal_id : pm->company_id),
		   pm->title) < 0)
		return -1;
	if (!pm->n && printf("  (no roles yet)\n") < 0)
		return -1;
	for (size_t i = 0; i < pm->n; i++) {
		const struct crm_pm_person *x = &pm->p[i];
		char days[32];

		if (x->days < 0)
			snprintf(days, sizeof(days), "never");
		else
			snprintf(days, sizeof(days), "%ldd ago", x->days);
		if (printf("%*s%s (%lld)%s%s  %s  %s/%s  touched %s  owner "
			   "%s%s%s\n",
			   2 + x->depth * 2, "", x->name,
			   (long long)x->contact_id, x->title ? ", " : "",
			   x->title ? x->title : "", x->roles, x->attitude,
			   x->influence, days, x->owner ? x->owner : "-",
			   *x->flags ? "  !" : "", x->flags) < 0)
			return -1;
	}
	for (size_t i = 0; i < pm->gaps.n; i++)
		if (printf("%s%s\n",
			   i ? "  gap: " : "Gaps:\n  gap: ", pm->gaps.v[i]) < 0)
			return -1;
	return 0;
}

static int pm_write(struct crm_writer *w, struct crm_rec *rec,
		    const struct crm_powermap *pm)
{
	for (size_t i = 0; i < pm->n; i++) {
		const struct crm_pm_person *x = &pm->p[i];

		crm_rec_clear(rec);
		add_int(rec, "deal_id", pm->deal_id, !pm->deal_id);
		add_int(rec, "company_id", pm->company_id, !pm->company_id);
		add_int(rec, "contact_id", x->contact_id, false);
		crm_rec_adds(rec, "name", x->name);
		add_text(rec, "title", x->title);
		add_int(rec, "reports_to_id", x->parent, !x->parent);
		add_int(rec, "depth", x->depth, false);
		add_text(rec, "roles", x->roles);
		add_text(rec, "attitude", x->attitude);
		add_text(rec, "influence", x->influence);
		add_text(rec, "owner", x->owner);
		add_text(rec, "last_activity_at", x->last);
		add_int(rec, "days_since", x->days, x->days < 0);
		add_text(rec, "flags", *x->flags ? x->flags : NULL);
		if (crm_writer_write(w, rec) < 0)
			return -1;
	}
	return 0;
}

static int verb_powermap(struct crm_cli *cli, const struct crm_entity *e)
{
	struct crm_pm_opts o = {ro.stage, ro.days_set ? ro.days : -1};
	struct crm_writer *w = NULL;
	struct crm_strv cols = {0};
	struct crm_rec rec;
	bool table = crm_cli_format(cli) == CRM_FMT_TABLE, gaps = false;
	int status = 0;

	crm_rec_init(&rec);
	if (!cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "powermap needs a %s",
			    e->name);
		goto fail;
	}
	for (size_t i = 0; pm_cols[i]; i++)
		crm_strv_push(&cols, pm_cols[i]);
	if (!table && !ro.html)
		w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; i < cli->args.n; i++) {
		struct crm_powermap pm;
		int64_t id;
		int rc;

		if (find_id(cli, e, cli->args.v[i], &id) < 0)
			goto fail;
		rc =
		    e == &crm_deal_entity
			? crm_powermap_deal(cli->db, id, &o, &pm, &cli->err)
			: crm_powermap_company(cli->db, id, &o, &pm, &cli->err);
		if (rc < 0)
			goto fail;
		gaps |= pm.gaps.n > 0;
		if (ro.html) {
			struct crm_buf b = {0};
			crm_powermap_html(&pm, &b);
			rc = fwrite(b.s, 1, b.len, stdout) == b.len ? 0 : -1;
			crm_buf_release(&b);
		} else if (table) {
			rc = (i && putchar('\n') == EOF) ? -1
							 : pm_print_table(&pm);
		} else {
			rc = pm_write(w, &rec, &pm);
			for (size_t g = 0; rc == 0 && g < pm.gaps.n; g++)
				crm_cli_note(cli, "gap: %s", pm.gaps.v[g]);
		}
		crm_powermap_release(&pm);
		if (rc < 0) {
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
			goto fail;
		}
	}
	if (w && crm_writer_close(w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	if (fflush(stdout) == EOF) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	status = ro.check && gaps ? 1 : 0;
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_strv_release(&cols);
	return status;
}

int crm_verb_deal_powermap(struct crm_cli *cli)
{
	return verb_powermap(cli, &crm_deal_entity);
}

int crm_verb_company_powermap(struct crm_cli *cli)
{
	return verb_powermap(cli, &crm_company_entity);
}

/* -- coverage ------------------------------------------------------------ */

struct cov_out {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_rec rec;
	bool table;
	long n, white;
};

static void add_money(struct crm_rec *r, const char *name, int64_t v,
		      const char *cur)
{
	char buf[32];

	if (!cur || !strcmp(cur, "mixed")) {
		crm_rec_add(r, name, strlen(name), NULL, 0, CRM_NULL);
		return;
	}
	crm_money_format(v, cur, buf);
	crm_rec_add(r, name, strlen(name), buf, strlen(buf), CRM_RAW);
}

static int cov_print(const struct crm_coverage_row *r, void *arg)
{
	struct cov_out *co = arg;
	char buf[32], pbuf[32];

	co->n++;
	co->white += r->white_space;
	if (co->cli->ids)
		return printf("%lld\n", (long long)r->id) < 0 ? -1 : 0;
	if (co->table) {
		char days[32], open[64] = "", won[64] = "";

		if (r->days < 0)
			snprintf(days, sizeof(days), "never");
		else
			snprintf(days, sizeof(days), "%ldd ago", r->days);
		if (r->pcurrency && !strcmp(r->pcurrency, "mixed"))
			snprintf(open, sizeof(open), " (mixed currencies)");
		else if (r->pcurrency)
			snprintf(
			    open, sizeof(open), " (%s %s)",
			    crm_money_format(r->pipeline, r->pcurrency, pbuf),
			    r->pcurrency);
		if (r->currency && !strcmp(r->currency, "mixed"))
			snprintf(won, sizeof(won), " (mixed currencies)");
		else if (r->currency)
			snprintf(won, sizeof(won), " (%s %s)",
				 crm_money_format(r->revenue, r->currency, buf),
				 r->currency);
		return printf("%*s%s (%lld)  owner %s  contacts %lld  open "
			      "%lld%s  won %lld%s  touched %s%s%s%s\n",
			      r->depth * 2, "", r->name, (long long)r->id,
			      r->owner ? r->owner : "-", (long long)r->contacts,
			      (long long)r->open_deals, open,
			      (long long)r->won_deals, won, days,
			      r->white_space ? "  WHITE SPACE (" : "",
			      r->white_space ? r->why : "",
			      r->white_space ? ")" : "") < 0
			   ? -1
			   : 0;
	}
	crm_rec_clear(&co->rec);
	add_int(&co->rec, "id", r->id, false);
	crm_rec_adds(&co->rec, "name", r->name);
	add_int(&co->rec, "parent_id", r->parent_id, !r->parent_id);
	add_int(&co->rec, "depth", r->depth, false);
	crm_rec_adds(&co->rec, "path", r->path);
	add_text(&co->rec, "owner", r->owner);
	add_int(&co->rec, "contacts", r->contacts, false);
	add_int(&co->rec, "open_deals", r->open_deals, false);
	add_money(&co->rec, "pipeline", r->pipeline, r->pcurrency);
	add_text(&co->rec, "pipeline_currency", r->pcurrency);
	add_int(&co->rec, "won_deals", r->won_deals, false);
	add_money(&co->rec, "revenue", r->revenue, r->currency);
	add_text(&co->rec, "currency", r->currency);
	add_text(&co->rec, "last_activity_at", r->last_activity_at);
	add_int(&co->rec, "days_since", r->days, r->days < 0);
	crm_rec_add(&co->rec, "white_space", 11,
		    r->white_space ? "true" : "false", r->white_space ? 4 : 5,
		    CRM_RAW);
	add_text(&co->rec, "why", r->why);
	return crm_writer_write(co->w, &co->rec);
}

static const char *const cov_cols[] = {
    "id",	  "name",
    "parent_id",  "depth",
    "path",	  "owner",
    "contacts",	  "open_deals",
    "pipeline",	  "pipeline_currency",
    "won_deals",  "revenue",
    "currency",	  "last_activity_at",
    "days_since", "white_space",
    "why",	  NULL,
};

int crm_verb_company_coverage(struct crm_cli *cli)
{
	struct cov_out co = {.cli = cli};
	struct crm_strv cols = {0};
	int status = 0;

	crm_rec_init(&co.rec);
	co.table = crm_cli_format(cli) == CRM_FMT_TABLE;
	if (!cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "coverage needs a company (its group is shown)");
		goto fail;
	}
	for (size_t i = 0; cov_cols[i]; i++)
		crm_strv_push(&cols, cov_cols[i]);
	if (!co.table && !cli->ids)
		co.w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; i < cli->args.n; i++) {
		int64_t id;

		if (find_id(cli, &crm_company_entity, cli->args.v[i], &id) < 0)
			goto fail;
		if (co.table && i && putchar('\n') == EOF)
			goto fail_io;
		if (crm_coverage(cli->db, id, ro.days_set ? ro.days : -1,
				 cov_print, &co, &cli->err) < 0)
			goto fail_io;
	}
	if (co.w && crm_writer_close(co.w) < 0)
		goto fail_io;
	if (fflush(stdout) == EOF)
		goto fail_io;
	crm_cli_note(cli, "%ld of %ld compan%s white space", co.white, co.n,
		     co.n == 1 ? "y is" : "ies are");
	status = ro.check && co.white ? 1 : 0;
	goto out;
fail_io:
	if (!cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(co.w);
	crm_rec_release(&co.rec);
	crm_strv_release(&cols);
	return status;
}
