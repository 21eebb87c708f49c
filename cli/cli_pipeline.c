/* cli_pipeline.c - crm-pipeline's verbs over deals: move, won, lost,
 * board, forecast, stale, history. add, import, list, show, update,
 * delete, export and undo are the entity engine's. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "board.h"
#include "cli_pipeline.h"
#include "deal.h"
#include "forecast.h"
#include "money.h"
#include "pipeline.h"
#include "stale.h"

enum {
	OPT_AMOUNT = 0x400,
	OPT_PROBABILITY,
	OPT_CLOSE_DATE,
	OPT_REOPEN,
	OPT_REASON,
	OPT_PIPELINE,
	OPT_PERIOD,
	OPT_BY,
	OPT_RATES,
	OPT_IDLE,
	OPT_CREATE_TASKS,
	OPT_METHOD,
};

const struct argp_option crm_pipeline_move_options[] = {
    {"amount", OPT_AMOUNT, "AMOUNT", 0,
     "Change the amount too (a decimal in the deal's currency)", 0},
    {"probability", OPT_PROBABILITY, "PERCENT", 0,
     "Set the win probability, 0-100 (default: the new stage's)", 0},
    {"close-date", OPT_CLOSE_DATE, "DATE", 0, "Change the expected close date",
     0},
    {"reopen", OPT_REOPEN, 0, 0, "Allow moving a won or lost deal", 0},
    {0},
};

const struct argp_option crm_pipeline_close_options[] = {
    {"reason", OPT_REASON, "TEXT", 0,
     "Why it was won or lost (required for lost)", 0},
    {"reopen", OPT_REOPEN, 0, 0,
     "Allow a lost deal to be won, or a won deal lost", 0},
    {0},
};

const struct argp_option crm_pipeline_board_options[] = {
    {"pipeline", OPT_PIPELINE, "NAME", 0,
     "Only this pipeline (default: every pipeline)", 0},
    {0},
};

const struct argp_option crm_pipeline_forecast_options[] = {
    {"period", OPT_PERIOD, "month|quarter", 0,
     "Sum by month (default) or by quarter", 0},
    {"by", OPT_BY, "owner", 0, "One row per owner too", 0},
    {"rates", OPT_RATES, "FILE", 0,
     "Exchange rates: every amount in the file's base currency", 0},
    {"method", OPT_METHOD, "weighted|model", 0,
     "model: add model_amount, the open amount weighted by each deal's "
     "latest crm-score deals probability, next to the stage-weighted one",
     0},
    {0},
};

const struct argp_option crm_pipeline_stale_options[] = {
    {"idle", OPT_IDLE, "DAYS", 0,
     "Stale after DAYS without activity (or a duration: 48h, 2w), "
     "besides the stages' max_days",
     0},
    {"create-tasks", OPT_CREATE_TASKS, 0, 0,
     "Log one follow-up task for the owner of each stale deal (never two "
     "for the same quiet spell)",
     0},
    {0},
};

error_t crm_pipeline_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_pipeline_opts *o = cli->opts;
	int64_t n;

	switch (key) {
	case OPT_AMOUNT:
		o->amount = arg;
		break;
	case OPT_PROBABILITY:
		o->probability = arg;
		break;
	case OPT_CLOSE_DATE:
		o->close_date = arg;
		break;
	case OPT_REOPEN:
		o->reopen = true;
		break;
	case OPT_REASON:
		o->reason = arg;
		break;
	case OPT_PIPELINE:
		o->pipeline = arg;
		break;
	case OPT_PERIOD:
		if (!strcmp(arg, "month"))
			o->period = CRM_PERIOD_MONTH;
		else if (!strcmp(arg, "quarter"))
			o->period = CRM_PERIOD_QUARTER;
		else
			argp_error(state,
				   "--period: expected month or quarter, got "
				   "'%s'",
				   arg);
		break;
	case OPT_BY:
		if (strcmp(arg, "owner"))
			argp_error(state, "--by: expected owner, got '%s'",
				   arg);
		o->by_owner = true;
		break;
	case OPT_RATES:
		o->rates = arg;
		break;
	case OPT_METHOD:
		if (strcmp(arg, "weighted") && strcmp(arg, "model"))
			argp_error(state,
				   "--method: expected weighted or model, got "
				   "'%s'",
				   arg);
		o->model = !strcmp(arg, "model");
		break;
	case OPT_IDLE:
		/* a bare number is days; else a duration (48h) */
		if (crm_parse_int(arg, &n) == 0 && n > 0 && n < 1000000)
			o->idle = n * 86400;
		else if (crm_parse_int(arg, &n) < 0 &&
			 crm_parse_duration(arg, &n) == 0 && n > 0)
			o->idle = n;
		else
			argp_error(state,
				   "--idle: expected a number of days or a "
				   "duration like 48h, got '%s'",
				   arg);
		break;
	case OPT_CREATE_TASKS:
		o->create_tasks = true;
		((struct crm_cli *)state->input)->writes = true;
		break;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
	return 0;
}

static int need_pipelines(struct crm_cli *cli)
{
	return crm_pipelines_get(&cli->err) ? 0 : -1;
}

int crm_verb_deal_add(struct crm_cli *cli)
{
	return need_pipelines(cli) < 0 ? crm_cli_fail(cli) : crm_verb_add(cli);
}

int crm_verb_deal_import(struct crm_cli *cli)
{
	return need_pipelines(cli) < 0 ? crm_cli_fail(cli)
				       : crm_verb_import(cli);
}

int crm_verb_deal_update(struct crm_cli *cli)
{
	return need_pipelines(cli) < 0 ? crm_cli_fail(cli)
				       : crm_verb_update(cli);
}

/* Drop the first n positional arguments (the rest select deals). */
static void shift_args(struct crm_cli *cli, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(cli->args.v[i]);
	memmove(cli->args.v, cli->args.v + n,
		(cli->args.n - n + 1) * sizeof(*cli->args.v));
	cli->args.n -= n;
}

/* Update the selected deals with set; did says what happened. */
static int change(struct crm_cli *cli, struct crm_rec *set, const char *did)
{
	const struct crm_entity *e = cli->cmd->entity;
	struct crm_pipeline_opts *o = cli->opts;
	struct crm_query q;
	int64_t *ids = NULL;
	uint64_t n = 0;
	int status = 0;

	if (o->reopen)
		crm_rec_adds(set, "reopen", "true");
	if (need_pipelines(cli) < 0 ||
	    crm_cli_query(cli, e, true, &q, &ids) < 0 ||
	    crm_entity_update(cli->db, e, &q, set, cli->dry_run, &n,
			      &cli->err) < 0)
		status = crm_cli_fail(cli);
	else if (cli->dry_run)
		crm_cli_note(cli, "dry run: would have %s %llu %s", did,
			     (unsigned long long)n, n == 1 ? "deal" : "deals");
	else if (n && cli->db->last_change)
		crm_cli_note(cli,
			     "%s %llu %s (change %lld; '%s undo %lld' reverts "
			     "it)",
			     did, (unsigned long long)n,
			     n == 1 ? "deal" : "deals",
			     (long long)cli->db->last_change, cli->cmd->name,
			     (long long)cli->db->last_change);
	else
		crm_cli_note(cli, "%s %llu %s", did, (unsigned long long)n,
			     n == 1 ? "deal" : "deals");
	free(ids);
	return status;
}

int crm_verb_deal_move(struct crm_cli *cli)
{
	struct crm_pipeline_opts *o = cli->opts;
	struct crm_rec set;
	int status;

	if (cli->args.n < 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "expected: move STAGE [DEAL...]");
		return crm_cli_fail(cli);
	}
	crm_rec_init(&set);
	crm_rec_adds(&set, "stage", cli->args.v[0]);
	shift_args(cli, 1);
	if (o->amount)
		crm_rec_adds(&set, "amount", o->amount);
	if (o->probability)
		crm_rec_adds(&set, "probability", o->probability);
	if (o->close_date)
		crm_rec_adds(&set, "expected_close", o->close_date);
	status = change(cli, &set, "moved");
	crm_rec_release(&set);
	return status;
}

static int close_deals(struct crm_cli *cli, const char *status_name)
{
	struct crm_pipeline_opts *o = cli->opts;
	struct crm_rec set;
	int status;

	crm_rec_init(&set);
	crm_rec_adds(&set, "status", status_name);
	if (o->reason)
		crm_rec_adds(&set, "close_reason", o->reason);
	status = change(cli, &set,
			!strcmp(status_name, "won") ? "closed as won"
						    : "closed as lost");
	crm_rec_release(&set);
	return status;
}

int crm_verb_deal_won(struct crm_cli *cli)
{
	return close_deals(cli, "won");
}

int crm_verb_deal_lost(struct crm_cli *cli)
{
	struct crm_pipeline_opts *o = cli->opts;

	if (!o->reason || !*o->reason) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "lost needs --reason (why the deal was lost)");
		return crm_cli_fail(cli);
	}
	return close_deals(cli, "lost");
}

/* Verbs that report rather than list records take no --sort or --fields,
 * and positional arguments only when they say so. */
static int report_args(struct crm_cli *cli, bool args)
{
	if (cli->sort || cli->fields || cli->limit >= 0)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "%s takes no --sort, --fields or --limit",
				   cli->verb->name);
	if (!args && cli->args.n)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "%s takes options, not '%s'",
				   cli->verb->name, cli->args.v[0]);
	return 0;
}

static struct crm_writer *writer(struct crm_cli *cli, const char *const *cols,
				 bool skip_owner)
{
	struct crm_strv sv = {0};
	struct crm_writer *w;

	for (size_t i = 0; cols[i]; i++)
		if (!(skip_owner && !strcmp(cols[i], "owner")))
			crm_strv_push(&sv, cols[i]);
	w = crm_cli_writer(cli, &sv);
	crm_strv_release(&sv);
	return w;
}

static int finish(struct crm_cli *cli, struct crm_writer *w, int rc)
{
	if (rc == 0 && w && crm_writer_close(w) < 0)
		rc = -1;
	if (rc < 0 && !cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
	crm_writer_free(w);
	return rc < 0 ? crm_cli_fail(cli) : 0;
}

/* -- board ------------------------------------------------------------- */

static const char *const board_columns[] = {
    "pipeline", "stage",  "label",	     "position", "deals",
    "currency", "amount", "weighted_amount", NULL};

static void cell_rec(const struct crm_board_cell *c, struct crm_rec *rec)
{
	char num[32], m[32];

	crm_rec_clear(rec);
	crm_rec_adds(rec, "pipeline", c->pipeline);
	crm_rec_adds(rec, "stage", c->stage);
	crm_rec_adds(rec, "label", c->label);
	snprintf(num, sizeof(num), "%ld", c->position);
	if (c->position)
		crm_rec_add(rec, "position", 8, num, strlen(num), CRM_RAW);
	else
		crm_rec_add(rec, "position", 8, NULL, 0, CRM_NULL);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)c->deals);
	crm_rec_add(rec, "deals", 5, num, strlen(num), CRM_RAW);
	crm_rec_adds(rec, "currency", c->currency);
	if (!c->deals) {
		crm_rec_adds(rec, "amount", NULL);
		crm_rec_adds(rec, "weighted_amount", NULL);
		return;
	}
	crm_money_format(c->amount, c->currency ? c->currency : "XXX", m);
	crm_rec_add(rec, "amount", 6, m, strlen(m), CRM_RAW);
	crm_money_format((int64_t)llround(c->weighted),
			 c->currency ? c->currency : "XXX", m);
	crm_rec_add(rec, "weighted_amount", 15, m, strlen(m), CRM_RAW);
}

/* Append s cut to w display columns, padded to w when pad. */
static void fit(struct crm_buf *b, const char *s, size_t w, bool pad)
{
	size_t len = strlen(s), cut = len, dw;

	while (cut && crm_display_width(s, cut) > w) {
		cut--;
		while (cut && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
	}
	crm_buf_add(b, s, cut);
	dw = crm_display_width(s, cut);
	while (pad && dw++ < w)
		crm_buf_addc(b, ' ');
}

struct column {
	struct crm_strv lines;
};

struct top_ctx {
	struct column *col;
};

static int top_one(int64_t id, const char *name, int64_t amount,
		   const char *cur, void *arg)
{
	struct top_ctx *tc = arg;
	char m[32], *l;

	l = crm_xasprintf("#%lld %s", (long long)id, name ? name : "");
	crm_strv_push(&tc->col->lines, l);
	free(l);
	crm_money_format(amount, cur ? cur : "XXX", m);
	l = crm_xasprintf("  %s %s", m, cur ? cur : "");
	crm_strv_push(&tc->col->lines, l);
	free(l);
	return 0;
}

static size_t term_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	int64_t n;

	if (c && crm_parse_int(c, &n) == 0 && n >= 20 && n < 1000)
		return (size_t)n;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 100;
}

/* One pipeline's columns, side by side. cells [from, to) are its. */
static int kanban(struct crm_cli *cli, const struct crm_board *b, size_t from,
		  size_t to)
{
	const struct crm_pipelines *cfg = crm_pipelines_get(&cli->err);
	const struct crm_pipeline *pl =
	    crm_pipeline_find(cfg, b->cells[from].pipeline);
	struct column *cols = crm_xcalloc(to - from + 1, sizeof(*cols));
	size_t nc = 0, w, rows = 0, width = term_width();
	struct crm_buf out = {0};
	int rc = -1;

	for (size_t i = from; i < to; i++) {
		const struct crm_board_cell *c = &b->cells[i];
		struct column *col;
		uint64_t total = 0;
		char m[32], *l;

		if (i == from || strcmp(c->stage, b->cells[i - 1].stage)) {
			col = &cols[nc++];
			crm_strv_push(&col->lines, c->label);
			for (size_t k = i;
			     k < to && !strcmp(b->cells[k].stage, c->stage);
			     k++)
				total += b->cells[k].deals;
			l = crm_xasprintf("%llu %s", (unsigned long long)total,
					  total == 1 ? "deal" : "deals");
			crm_strv_push(&col->lines, l);
			free(l);
		}
		col = &cols[nc - 1];
		if (c->deals) {
			crm_money_format(c->amount,
					 c->currency ? c->currency : "XXX", m);
			l = crm_xasprintf("%s %s", m,
					  c->currency ? c->currency : "");
			crm_strv_push(&col->lines, l);
			free(l);
		}
	}
	/* a rule under the totals (at one height), then the biggest deals */
	for (size_t k = 0; k < nc; k++)
		if (cols[k].lines.n > rows)
			rows = cols[k].lines.n;
	for (size_t k = 0; k < nc; k++)
		while (cols[k].lines.n < rows)
			crm_strv_push(&cols[k].lines, "");
	rows = 0;
	for (size_t k = 0, i = from; k < nc; k++) {
		struct top_ctx tc = {&cols[k]};
		const char *stage = b->cells[i].stage;
		uint64_t total = 0;
		int64_t lim = cli->limit >= 0 ? cli->limit : 5;

		crm_strv_push(&cols[k].lines, "\x01");
		for (; i < to && !strcmp(b->cells[i].stage, stage); i++)
			total += b->cells[i].deals;
		if (crm_board_top(cli->db, b->cells[from].pipeline, stage,
				  &cli->where, lim, top_one, &tc,
				  &cli->err) < 0)
			goto out;
		if (total > (uint64_t)lim) {
			char *l = crm_xasprintf(
			    "+%llu more",
			    (unsigned long long)(total - (uint64_t)lim));
			crm_strv_push(&cols[k].lines, l);
			free(l);
		}
	}
	w = nc ? (width - 2 * (nc - 1)) / nc : width;
	if (w > 28)
		w = 28;
	if (w < 12)
		w = 12;
	for (size_t k = 0; k < nc; k++)
		if (cols[k].lines.n > rows)
			rows = cols[k].lines.n;
	crm_buf_addf(&out, "%s (%s)\n",
		     pl ? pl->label : b->cells[from].pipeline,
		     b->cells[from].pipeline);
	for (size_t r = 0; r < rows; r++) {
		size_t mark = out.len;

		for (size_t k = 0; k < nc; k++) {
			const char *s =
			    r < cols[k].lines.n ? cols[k].lines.v[r] : "";

			if (k)
				crm_buf_adds(&out, "  ");
			if (!strcmp(s, "\x01"))
				for (size_t x = 0; x < w; x++)
					crm_buf_addc(&out, '-');
			else
				fit(&out, s, w, k + 1 < nc);
		}
		while (out.len > mark && out.s[out.len - 1] == ' ')
			out.s[--out.len] = '\0';
		crm_buf_addc(&out, '\n');
	}
	rc = fwrite(out.s, 1, out.len, stdout) == out.len ? 0 : -1;
out:
	for (size_t k = 0; k < to - from; k++)
		crm_strv_release(&cols[k].lines);
	free(cols);
	crm_buf_release(&out);
	return rc;
}

int crm_verb_deal_board(struct crm_cli *cli)
{
	struct crm_pipeline_opts *o = cli->opts;
	const struct crm_pipelines *cfg;
	struct crm_board b = {0};
	struct crm_writer *w = NULL;
	struct crm_rec rec;
	int rc = -1;

	crm_rec_init(&rec);
	if (cli->sort || cli->fields || cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "board takes options, not --sort, --fields or "
			    "arguments");
		goto out;
	}
	cfg = crm_pipelines_get(&cli->err);
	if (!cfg || crm_board_build(cli->db, cfg, o->pipeline, &cli->where, &b,
				    &cli->err) < 0)
		goto out;
	if (crm_cli_format(cli) == CRM_FMT_TABLE && !cli->ids) {
		rc = 0;
		for (size_t i = 0, j; rc == 0 && i < b.n; i = j) {
			for (j = i; j < b.n && !strcmp(b.cells[j].pipeline,
						       b.cells[i].pipeline);
			     j++)
				;
			if (i && putchar('\n') == EOF)
				rc = -1;
			if (rc == 0)
				rc = kanban(cli, &b, i, j);
		}
		goto out;
	}
	w = writer(cli, board_columns, false);
	rc = 0;
	for (size_t i = 0; rc == 0 && i < b.n; i++) {
		cell_rec(&b.cells[i], &rec);
		rc = crm_writer_write(w, &rec);
	}
out:
	crm_board_release(&b);
	crm_rec_release(&rec);
	if (rc < 0 && !cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
	if (rc < 0) {
		crm_writer_free(w);
		return crm_cli_fail(cli);
	}
	return finish(cli, w, 0);
}

/* -- forecast ---------------------------------------------------------- */

int crm_verb_deal_forecast(struct crm_cli *cli)
{
	struct crm_pipeline_opts *o = cli->opts;
	struct crm_rates rates = {0};
	struct crm_forecast fc;
	struct crm_writer *w = NULL;
	struct crm_rec rec;
	int rc = -1;

	crm_rec_init(&rec);
	crm_forecast_init(&fc, (enum crm_period)o->period, o->by_owner, NULL,
			  cli->db->now);
	if (report_args(cli, false) < 0)
		goto out;
	if (o->rates) {
		if (crm_rates_load(o->rates, &rates, &cli->err) < 0)
			goto out;
		fc.rates = &rates;
	}
	fc.model = o->model;
	if (crm_forecast_run(cli->db, &fc, &cli->where, &cli->err) < 0)
		goto out;
	crm_forecast_sort(&fc);
	w = writer(cli,
		   o->model ? crm_forecast_model_columns : crm_forecast_columns,
		   !o->by_owner);
	rc = 0;
	for (size_t i = 0; rc == 0 && i < fc.n; i++) {
		crm_forecast_rec(&fc, i, &rec);
		rc = crm_writer_write(w, &rec);
	}
out:
	crm_forecast_release(&fc);
	crm_rates_release(&rates);
	crm_rec_release(&rec);
	if (rc < 0 && !cli->err.code) {
		crm_writer_free(w);
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		return crm_cli_fail(cli);
	}
	if (rc < 0) {
		crm_writer_free(w);
		return crm_cli_fail(cli);
	}
	return finish(cli, w, 0);
}

/* -- stale ------------------------------------------------------------- */

struct out_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
};

static int out_one(const struct crm_rec *rec, void *arg)
{
	struct out_ctx *oc = arg;

	if (oc->cli->ids)
		return printf("%s\n", crm_rec_get(rec, "id")) < 0 ? -1 : 0;
	return crm_writer_write(oc->w, rec);
}

int crm_verb_deal_stale(struct crm_cli *cli)
{
	struct crm_pipeline_opts *o = cli->opts;
	struct crm_stale_opts so = {.idle = o->idle,
				    .create_tasks = o->create_tasks,
				    .dry_run = cli->dry_run,
				    .where = &cli->where};
	struct out_ctx oc = {.cli = cli};
	uint64_t found = 0, made = 0;
	int status;

	if (report_args(cli, false) < 0 || need_pipelines(cli) < 0)
		return crm_cli_fail(cli);
	if (!cli->ids)
		oc.w = writer(cli, crm_stale_columns, false);
	if (crm_deal_stale(cli->db, &so, out_one, &oc, &found, &made,
			   &cli->err) < 0) {
		if (!cli->err.code)
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
		crm_writer_free(oc.w);
		return crm_cli_fail(cli);
	}
	status = finish(cli, oc.w, 0);
	if (status)
		return status;
	if (o->create_tasks)
		crm_cli_note(
		    cli, "%s%llu stale, %llu follow-up %s created",
		    cli->dry_run ? "dry run: " : "", (unsigned long long)found,
		    (unsigned long long)made, made == 1 ? "task" : "tasks");
	return found ? CRM_EX_FOUND : 0;
}

/* -- history ----------------------------------------------------------- */

int crm_verb_deal_history(struct crm_cli *cli)
{
	struct out_ctx oc = {.cli = cli};
	struct crm_query q;
	int64_t *ids = NULL;
	int rc;

	if (report_args(cli, true) < 0 ||
	    (cli->where.n && crm_err_set(&cli->err, CRM_EX_USAGE,
					 "history takes deal "
					 "ids, not --where")))
		return crm_cli_fail(cli);
	if (crm_cli_query(cli, cli->cmd->entity, false, &q, &ids) < 0)
		return crm_cli_fail(cli);
	oc.w = writer(cli, crm_deal_history_columns, false);
	cli->ids = false;
	rc = crm_deal_history(cli->db, q.ids, q.nids, out_one, &oc, &cli->err);
	free(ids);
	return finish(cli, oc.w, rc);
}
