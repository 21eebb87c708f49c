/* cli_contract.c - crm-contract's verbs beyond the entity engine's:
 * milestones, schedules, invoices, credit notes, payments, allocations,
 * reconcile, aging, dso, months, journal. Each write verb is one
 * transaction whose records reach stdout before it commits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_contract.h"
#include "company.h"
#include "contract.h"
#include "money.h"
#include "quote.h"
#include "receivable.h"
#include "reconcile.h"
#include "share.h"

enum {
	OPT_KIND = 0x400,
	OPT_NAME,
	OPT_DUE,
	OPT_OWNER,
	OPT_AMOUNT,
	OPT_DATE,
	OPT_EVIDENCE,
	OPT_SERIES,
	OPT_TAX,
	OPT_ACCOUNT,
	OPT_CURRENCY,
	OPT_PAYER,
	OPT_METHOD,
	OPT_REF,
	OPT_REASON,
	OPT_MILESTONE,
	OPT_SCHEDULE,
	OPT_NOTE,
	OPT_LINE,
	OPT_INVOICE,
	OPT_DAYS,
	OPT_BY,
	OPT_AS_OF,
	OPT_CURSOR,
	OPT_ALL,
	OPT_APPLY,
	OPT_STATEMENT,
	OPT_COLUMN,
	OPT_MAX_BYTES,
	OPT_ENTRY,
	OPT_START,
	OPT_NET_DAYS,
	OPT_TAXES,
};

const struct argp_option crm_contract_milestone_options[] = {
    {"kind", OPT_KIND, "KIND", 0, "delivery, acceptance or invoicing", 0},
    {"name", OPT_NAME, "TEXT", 0, "What is to be reached", 0},
    {"due", OPT_DUE, "DATE", 0, "When it is due", 0},
    {"owner", OPT_OWNER, "USER", 0, "Who sees to it", 0},
    {"amount", OPT_AMOUNT, "AMOUNT", 0,
     "What invoicing it bills, in the contract's currency", 0},
    {0},
};

const struct argp_option crm_contract_done_options[] = {
    {"date", OPT_DATE, "DATE", 0, "When it was reached (default: today)", 0},
    {"evidence", OPT_EVIDENCE, "TEXT", 0,
     "What shows it (a signed note, a document reference); required", 0},
    {0},
};

const struct argp_option crm_contract_due_options[] = {
    {"days", OPT_DAYS, "N", 0,
     "Also list milestones due in the next N days (default 14)", 0},
    {0},
};

const struct argp_option crm_contract_schedule_options[] = {
    {"date", OPT_DATE, "DATE", 0, "When to bill", 0},
    {"amount", OPT_AMOUNT, "AMOUNT", 0, "Net amount to bill", 0},
    {"name", OPT_NAME, "TEXT", 0, "The invoice line's description", 0},
    {"tax", OPT_TAX, "PERCENT", 0, "Tax rate (default 0)", 0},
    {0},
};

const struct argp_option crm_contract_invoice_options[] = {
    {"milestone", OPT_MILESTONE, "ID", 0, "Bill this milestone's amount", 0},
    {"schedule", OPT_SCHEDULE, "ID", 0, "Bill this schedule entry", 0},
    {"line", OPT_LINE, "DESC;QTY;PRICE[;TAX%]", 0,
     "An invoice line (repeatable)", 0},
    {"account", OPT_ACCOUNT, "COMPANY", 0,
     "The account billed, for an invoice without a contract", 0},
    {"currency", OPT_CURRENCY, "CODE", 0,
     "The currency of an invoice without a contract", 0},
    {"tax", OPT_TAX, "PERCENT", 0, "Tax rate of a milestone's line", 0},
    {"series", OPT_SERIES, "SERIES", 0, "Number series (default INV)", 0},
    {"date", OPT_DATE, "DATE", 0, "Issue date (default: today)", 0},
    {"due", OPT_DUE, "DATE", 0,
     "Due date (default: the issue date plus the contract's net days)", 0},
    {"note", OPT_NOTE, "TEXT", 0, "A note printed on the invoice", 0},
    {0},
};

const struct argp_option crm_contract_credit_options[] = {
    {"amount", OPT_AMOUNT, "AMOUNT", 0,
     "Credit this gross amount (default: the whole invoice)", 0},
    {"line", OPT_LINE, "DESC;QTY;PRICE[;TAX%]", 0,
     "Credit these lines (repeatable)", 0},
    {"reason", OPT_REASON, "TEXT", 0, "Why; required", 0},
    {"series", OPT_SERIES, "SERIES", 0, "Number series (default CN)", 0},
    {"date", OPT_DATE, "DATE", 0, "Issue date (default: today)", 0},
    {0},
};

const struct argp_option crm_contract_pay_options[] = {
    {"account", OPT_ACCOUNT, "COMPANY", 0, "Who paid (the account)", 0},
    {"amount", OPT_AMOUNT, "AMOUNT", 0, "How much", 0},
    {"currency", OPT_CURRENCY, "CODE", 0, "In which currency", 0},
    {"date", OPT_DATE, "DATE", 0, "When received (default: today)", 0},
    {"payer", OPT_PAYER, "NAME", 0, "The payer's name as the bank gave it", 0},
    {"method", OPT_METHOD, "METHOD", 0, "transfer, card, cash, cheque ...", 0},
    {"ref", OPT_REF, "REF", 0, "The external reference", 0},
    {"entry", OPT_ENTRY, "REF", 0,
     "The bank statement entry this payment is (a line reconcile left "
     "for a person): reconcile then knows it applied",
     0},
    {"invoice", OPT_INVOICE, "INVOICE[=AMOUNT]", 0,
     "Allocate to this invoice (as much as is open, or AMOUNT); "
     "repeatable; the rest is the account's credit",
     0},
    {0},
};

const struct argp_option crm_contract_allocate_options[] = {
    {"amount", OPT_AMOUNT, "AMOUNT", 0,
     "How much (default: as much as both allow)", 0},
    {0},
};

const struct argp_option crm_contract_unallocate_options[] = {
    {"reason", OPT_REASON, "TEXT", 0, "Why; required (kept)", 0},
    {0},
};

const struct argp_option crm_contract_reconcile_options[] = {
    {"statement", OPT_STATEMENT, "camt053|csv", 0,
     "The statement's format (default: camt053 when the file starts with "
     "'<', else csv)",
     0},
    {"column", OPT_COLUMN, "FIELD=COLUMN", 0,
     "CSV: read FIELD (ref, date, amount, currency, payer, text) from "
     "COLUMN; repeatable",
     0},
    {"apply", OPT_APPLY, 0, 0,
     "Record the matched payments (default: only propose)", 0},
    {"max-bytes", OPT_MAX_BYTES, "N", 0,
     "Refuse a camt.053 file larger than N bytes (default 256 MiB)", 0},
    {0},
};

const struct argp_option crm_contract_aging_options[] = {
    {"by", OPT_BY, "account|owner", 0, "Group by account (default) or owner",
     0},
    {"as-of", OPT_AS_OF, "DATE", 0, "Count days late to DATE (default today)",
     0},
    {0},
};

const struct argp_option crm_contract_dso_options[] = {
    {"days", OPT_DAYS, "N", 0, "Over the last N days (default 90)", 0},
    {"as-of", OPT_AS_OF, "DATE", 0, "Up to DATE (default today)", 0},
    {0},
};

const struct argp_option crm_contract_journal_options[] = {
    {"cursor", OPT_CURSOR, "NAME", 0,
     "Only lines not yet sent under NAME, and move NAME past them", 0},
    {"all", OPT_ALL, 0, 0, "Every line (a complete export)", 0},
    {0},
};

const struct argp_option crm_contract_from_quote_options[] = {
    {"start", OPT_START, "DATE", 0,
     "The contract's start (default today); subscription lines keep their "
     "own",
     0},
    {"name", OPT_NAME, "TEXT", 0, "The contract's name (default: Quote N)", 0},
    {"owner", OPT_OWNER, "USER", 0, "Who owns the contract", 0},
    {"net-days", OPT_NET_DAYS, "N", 0, "Payment term in days (default 30)", 0},
    {"taxes", OPT_TAXES, "FILE", 0,
     "Tax rates by region and category (default: $CRM_TAXES, else "
     "share/crm/taxes.json)",
     0},
    {0},
};

error_t crm_contract_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_contract_opts *o = cli->opts;
	int64_t n;

	switch (key) {
	case OPT_KIND:
		o->kind = arg;
		break;
	case OPT_NAME:
		o->name = arg;
		break;
	case OPT_DUE:
		o->due = arg;
		break;
	case OPT_OWNER:
		o->owner = arg;
		break;
	case OPT_AMOUNT:
		o->amount = arg;
		break;
	case OPT_DATE:
		o->date = arg;
		break;
	case OPT_EVIDENCE:
		o->evidence = arg;
		break;
	case OPT_SERIES:
		o->series = arg;
		break;
	case OPT_TAX:
		o->tax = arg;
		break;
	case OPT_ACCOUNT:
		o->account = arg;
		break;
	case OPT_CURRENCY:
		o->currency = arg;
		break;
	case OPT_PAYER:
		o->payer = arg;
		break;
	case OPT_METHOD:
		o->method = arg;
		break;
	case OPT_REF:
		o->ref = arg;
		break;
	case OPT_ENTRY:
		o->entry = arg;
		break;
	case OPT_START:
		o->start = arg;
		break;
	case OPT_NET_DAYS:
		o->net_days = arg;
		break;
	case OPT_TAXES:
		o->taxes = arg;
		break;
	case OPT_REASON:
		o->reason = arg;
		break;
	case OPT_MILESTONE:
		o->milestone = arg;
		break;
	case OPT_SCHEDULE:
		o->schedule = arg;
		break;
	case OPT_NOTE:
		o->note = arg;
		break;
	case OPT_LINE:
		crm_strv_push(&o->lines, arg);
		break;
	case OPT_INVOICE:
		crm_strv_push(&o->invoices, arg);
		break;
	case OPT_COLUMN:
		if (!strchr(arg, '='))
			argp_error(state,
				   "--column: expected FIELD=COLUMN, got '%s'",
				   arg);
		crm_strv_push(&o->columns, arg);
		break;
	case OPT_DAYS:
		if (crm_parse_int(arg, &n) < 0 || n < 0 || n > 3650)
			argp_error(state,
				   "--days: expected 0 to 3650, got '%s'", arg);
		o->days = n;
		o->days_set = true;
		break;
	case OPT_MAX_BYTES:
		if (crm_parse_int(arg, &n) < 0 || n < 1)
			argp_error(state,
				   "--max-bytes: expected a positive number, "
				   "got '%s'",
				   arg);
		o->max_bytes = n;
		break;
	case OPT_BY:
		if (strcmp(arg, "account") && strcmp(arg, "owner"))
			argp_error(state,
				   "--by: expected account or owner, got '%s'",
				   arg);
		o->by = arg;
		break;
	case OPT_AS_OF:
		o->as_of = arg;
		break;
	case OPT_CURSOR:
		o->cursor = arg;
		break;
	case OPT_ALL:
		o->all = true;
		break;
	case OPT_APPLY:
		o->apply = true;
		cli->writes = true;
		break;
	case OPT_STATEMENT:
		if (strcmp(arg, "camt053") && strcmp(arg, "csv"))
			argp_error(state,
				   "--statement: expected camt053 or csv, got "
				   "'%s'",
				   arg);
		o->statement = arg;
		break;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
	return 0;
}

void crm_contract_opts_release(struct crm_contract_opts *o)
{
	crm_entity_opts_release(&o->e);
	crm_strv_release(&o->lines);
	crm_strv_release(&o->invoices);
	crm_strv_release(&o->columns);
}

/* -- helpers ----------------------------------------------------------- */

struct out {
	struct crm_cli *cli;
	struct crm_writer *w;
	uint64_t n;
};

static int out_one(const struct crm_rec *rec, void *arg)
{
	struct out *o = arg;

	o->n++;
	return o->w ? crm_writer_write(o->w, rec) : 0;
}

/* A writer for cols, or for --fields when given (each one of cols). */
static int out_open(struct out *o, struct crm_cli *cli, const char *const *cols)
{
	struct crm_strv sv = {0};

	o->cli = cli;
	o->n = 0;
	o->w = NULL;
	if (cli->fields) {
		crm_strv_split(&sv, cli->fields, ',');
		for (size_t i = 0; i < sv.n; i++) {
			bool known = false;

			for (size_t k = 0; cols[k]; k++)
				known = known || !strcmp(cols[k], sv.v[i]);
			if (!known) {
				crm_err_set(&cli->err, CRM_EX_USAGE,
					    "--fields: no field '%s' here",
					    sv.v[i]);
				crm_strv_release(&sv);
				return -1;
			}
		}
	} else {
		for (size_t i = 0; cols[i]; i++)
			crm_strv_push(&sv, cols[i]);
	}
	o->w = crm_cli_writer(cli, &sv);
	crm_strv_release(&sv);
	return 0;
}

/* Close the writer; a failure is a write error. Returns 0 or -1. */
static int out_close(struct out *o)
{
	int rc = 0;

	if (o->w && crm_writer_close(o->w) < 0) {
		if (!o->cli->err.code)
			crm_err_set(&o->cli->err, CRM_EX_IOERR,
				    "write error: %s", strerror(errno));
		rc = -1;
	}
	crm_writer_free(o->w);
	o->w = NULL;
	return rc;
}

static int need_args(struct crm_cli *cli, size_t min, size_t max,
		     const char *usage)
{
	if (cli->args.n < min || cli->args.n > max)
		return crm_err_set(&cli->err, CRM_EX_USAGE, "expected: %s %s",
				   cli->verb->name, usage);
	if (cli->sort || cli->limit >= 0 || cli->where.n)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "%s takes no --where, --sort or --limit",
				   cli->verb->name);
	return 0;
}

static int parse_id(struct crm_cli *cli, const char *what, const char *s,
		    int64_t *id)
{
	if (crm_parse_int(s, id) < 0 || *id <= 0)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "%s: expected an id, got '%s'", what, s);
	return 0;
}

/* A company by id or name. */
static int find_account(struct crm_cli *cli, const char *key, int64_t *id)
{
	struct crm_row row;
	int rc;

	crm_row_init(&row, &crm_company_entity);
	rc =
	    crm_entity_find(cli->db, &crm_company_entity, key, &row, &cli->err);
	if (rc > 0)
		*id = crm_row_id(&row);
	crm_row_release(&row);
	if (rc == 0)
		return crm_err_set(&cli->err, CRM_EX_NOINPUT, "no company '%s'",
				   key);
	return rc < 0 ? -1 : 0;
}

static int find_contract(struct crm_cli *cli, const char *key, int64_t *id,
			 char cur[8])
{
	struct crm_row row;
	int rc;

	crm_row_init(&row, &crm_contract_entity);
	rc = crm_entity_find(cli->db, &crm_contract_entity, key, &row,
			     &cli->err);
	if (rc > 0) {
		*id = crm_row_id(&row);
		if (cur)
			snprintf(cur, 8, "%s", crm_row_get(&row, "currency"));
	}
	crm_row_release(&row);
	if (rc == 0)
		return crm_err_set(&cli->err, CRM_EX_NOINPUT,
				   "no contract '%s'", key);
	return rc < 0 ? -1 : 0;
}

static int find_invoice(struct crm_cli *cli, const char *key, int64_t *id)
{
	int rc = crm_invoice_find(cli->db, key, id, &cli->err);

	if (rc == 0)
		return crm_err_set(&cli->err, CRM_EX_NOINPUT, "no invoice '%s'",
				   key);
	return rc < 0 ? -1 : 0;
}

struct pick {
	struct out *o;
	const char *col;
	int64_t id;
};

static int pick_one(const struct crm_rec *rec, void *arg)
{
	struct pick *p = arg;
	const char *v = crm_rec_get(rec, p->col);
	int64_t id;

	if (!v || crm_parse_int(v, &id) < 0 || id != p->id)
		return 0;
	return out_one(rec, p->o);
}

/* Write the listing rows of what whose column col is id: one row read
 * by its id, or the listing of scope picked from. */
static int print_rows(struct crm_cli *cli, struct out *o, const char *what,
		      int64_t scope, const char *col, int64_t id)
{
	struct pick p = {o, col, id};

	if (!strcmp(col, "id"))
		return crm_recv_list_row(cli->db, what, id, pick_one, &p,
					 &cli->err);
	return crm_recv_list(cli->db, what, scope, pick_one, &p, &cli->err);
}

/* Begin a write; finish it (flush, then commit or roll back). */
static int begin(struct crm_cli *cli)
{
	return crm_db_begin(cli->db, &cli->err);
}

static int finish(struct crm_cli *cli, struct out *o, int rc)
{
	if (rc == 0 && o && o->w)
		rc = out_close(o);
	if (rc == 0)
		rc = crm_db_finish(cli->db, cli->dry_run, &cli->err);
	else
		crm_db_rollback(cli->db);
	if (o && o->w)
		crm_writer_free(o->w);
	return rc < 0 ? crm_cli_fail(cli) : 0;
}

static int parse_lines(struct crm_cli *cli, const char *cur,
		       struct crm_inv_line **lines, size_t *n)
{
	struct crm_contract_opts *o = cli->opts;

	*lines = crm_xcalloc(o->lines.n ? o->lines.n : 1, sizeof(**lines));
	*n = 0;
	for (size_t i = 0; i < o->lines.n; i++) {
		if (crm_line_parse(o->lines.v[i], cur, &(*lines)[i],
				   &cli->err) < 0)
			return -1;
		(*n)++;
	}
	return 0;
}

static void free_lines(struct crm_inv_line *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].description);
	free(l);
}

/* -- milestones -------------------------------------------------------- */

int crm_verb_contract_milestone(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct crm_import_opts io = {
	    .command = "milestone", .mode = CRM_CREATE_ONLY, .keys = "id"};
	struct crm_importer *im = NULL;
	enum crm_import_action a;
	struct crm_row row;
	struct crm_rec rec;
	struct out out = {0};
	char num[32], cur[8];
	int64_t cid;
	int rc = -1;

	crm_rec_init(&rec);
	crm_row_init(&row, &crm_milestone_entity);
	if (need_args(cli, 1, 1, "CONTRACT --kind K --name N --due DATE") < 0)
		goto fail;
	if (!o->kind || !o->name || !o->due) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "milestone needs --kind, --name and --due");
		goto fail;
	}
	if (find_contract(cli, cli->args.v[0], &cid, cur) < 0 || begin(cli) < 0)
		goto fail;
	snprintf(num, sizeof(num), "%lld", (long long)cid);
	crm_rec_adds(&rec, "contract_id", num);
	crm_rec_adds(&rec, "kind", o->kind);
	crm_rec_adds(&rec, "name", o->name);
	crm_rec_adds(&rec, "due_date", o->due);
	if (o->owner)
		crm_rec_adds(&rec, "owner", o->owner);
	if (o->amount) {
		crm_rec_adds(&rec, "amount", o->amount);
		crm_rec_adds(&rec, "currency", cur);
	}
	im = crm_importer_new(cli->db, &crm_milestone_entity, &io, &cli->err);
	if (!im ||
	    crm_db_change(cli->db, "milestone", "milestone", &cli->err) < 0 ||
	    crm_importer_apply(im, &rec, &row, &a, &cli->err) < 0) {
		rc = -1;
	} else {
		struct crm_strv cols = {0};
		struct crm_rec r2;

		crm_entity_columns(&crm_milestone_entity, false, &cols);
		out.cli = cli;
		out.w = crm_cli_writer(cli, &cols);
		crm_rec_init(&r2);
		crm_row_to_rec(&row, &cols, NULL, &r2);
		rc = crm_writer_write(out.w, &r2);
		crm_rec_release(&r2);
		crm_strv_release(&cols);
	}
	crm_importer_free(im);
	crm_rec_release(&rec);
	crm_row_release(&row);
	return finish(cli, &out, rc);
fail:
	crm_rec_release(&rec);
	crm_row_release(&row);
	return crm_cli_fail(cli);
}

int crm_verb_contract_milestones(struct crm_cli *cli)
{
	struct crm_strv where = {0};
	struct crm_query q = {.sort = cli->sort, .limit = cli->limit};
	int status = 0;

	for (size_t i = 0; i < cli->where.n; i++)
		crm_strv_push(&where, cli->where.v[i]);
	if (cli->args.n > 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "expected: milestones [CONTRACT]");
		status = crm_cli_fail(cli);
		goto out;
	}
	if (cli->args.n == 1) {
		int64_t cid;
		char *w;

		if (find_contract(cli, cli->args.v[0], &cid, NULL) < 0) {
			status = crm_cli_fail(cli);
			goto out;
		}
		w = crm_xasprintf("contract_id = %lld", (long long)cid);
		crm_strv_push(&where, w);
		free(w);
	}
	q.where = &where;
	if (!q.sort)
		q.sort = "due_date,id";
	if (crm_cli_list(cli, &crm_milestone_entity, &q, false) < 0)
		status = crm_cli_fail(cli);
out:
	crm_strv_release(&where);
	return status;
}

int crm_verb_contract_import_milestones(struct crm_cli *cli)
{
	static struct crm_command mcmd;
	const struct crm_command *saved = cli->cmd;
	int status;

	mcmd = *cli->cmd;
	mcmd.entity = &crm_milestone_entity;
	cli->cmd = &mcmd;
	status = crm_verb_import(cli);
	cli->cmd = saved;
	return status;
}

int crm_verb_contract_done(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	int64_t id;
	int rc;

	if (need_args(cli, 1, 1, "MILESTONE --evidence TEXT") < 0 ||
	    parse_id(cli, "MILESTONE", cli->args.v[0], &id) < 0)
		return crm_cli_fail(cli);
	if (begin(cli) < 0)
		return crm_cli_fail(cli);
	rc = crm_db_change(cli->db, "done", "milestone", &cli->err);
	if (rc == 0)
		rc = crm_milestone_done(cli->db, id, o->date, o->evidence,
					&cli->err);
	rc = finish(cli, NULL, rc);
	if (rc == 0)
		crm_cli_note(cli, "%smilestone %lld done",
			     cli->dry_run ? "dry run: " : "", (long long)id);
	return rc;
}

static const char *const due_cols[] = {
    "id",   "contract_id", "contract", "company_id", "kind",
    "name", "due_date",	   "owner",    "days_late",  NULL};

static int due_one(const struct crm_due_item *it, void *arg)
{
	struct out *o = arg;
	struct crm_rec rec;
	char buf[32];
	int rc;

	crm_rec_init(&rec);
	crm_rec_add(&rec, "id", 2, buf, strlen(crm_fmt_int(buf, it->id)),
		    CRM_RAW);
	crm_fmt_int(buf, it->contract_id);
	crm_rec_add(&rec, "contract_id", 11, buf, strlen(buf), CRM_RAW);
	crm_rec_adds(&rec, "contract", it->contract);
	crm_fmt_int(buf, it->company_id);
	crm_rec_add(&rec, "company_id", 10, buf, strlen(buf), CRM_RAW);
	crm_rec_adds(&rec, "kind", it->kind);
	crm_rec_adds(&rec, "name", it->name);
	crm_rec_adds(&rec, "due_date", it->due_date);
	crm_rec_adds(&rec, "owner", it->owner);
	crm_fmt_int(buf, it->days_late);
	crm_rec_add(&rec, "days_late", 9, buf, strlen(buf), CRM_RAW);
	rc = out_one(&rec, o);
	crm_rec_release(&rec);
	return rc;
}

int crm_verb_contract_due(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct out out = {0};
	uint64_t overdue = 0;
	int rc;

	if (need_args(cli, 0, 0, "[--days N]") < 0)
		return crm_cli_fail(cli);
	if (out_open(&out, cli, due_cols) < 0)
		return crm_cli_fail(cli);
	rc = crm_contract_due(cli->db, o->days_set ? o->days : 14, due_one,
			      &out, &overdue, &cli->err);
	if (out_close(&out) < 0 || rc < 0)
		return crm_cli_fail(cli);
	crm_cli_note(cli, "%llu overdue, %llu due within %lld days",
		     (unsigned long long)overdue,
		     (unsigned long long)(out.n - overdue),
		     (long long)(o->days_set ? o->days : 14));
	return overdue ? CRM_EX_FOUND : 0;
}

/* -- schedules --------------------------------------------------------- */

int crm_verb_contract_schedule(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct out out = {0};
	int64_t cid, sid, bp = 0;
	int rc;

	if (need_args(cli, 1, 1, "CONTRACT --date DATE --amount AMOUNT") < 0)
		return crm_cli_fail(cli);
	if (!o->date || !o->amount) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "schedule needs --date and --amount");
		return crm_cli_fail(cli);
	}
	if (o->tax && crm_rate_parse(o->tax, &bp) < 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--tax: expected a percentage, got '%s'", o->tax);
		return crm_cli_fail(cli);
	}
	if (find_contract(cli, cli->args.v[0], &cid, NULL) < 0 ||
	    begin(cli) < 0)
		return crm_cli_fail(cli);
	rc = crm_schedule_add(cli->db, cid, o->date,
			      o->name ? o->name : "Instalment", o->amount, bp,
			      &sid, &cli->err);
	if (rc == 0) {
		rc = out_open(&out, cli, crm_recv_columns("schedule"));
		if (rc == 0)
			rc = print_rows(cli, &out, "schedule", cid, "id", sid);
	}
	return finish(cli, &out, rc);
}

static int list_what(struct crm_cli *cli, const char *what, int64_t scope)
{
	struct out out = {0};
	int rc;

	if (out_open(&out, cli, crm_recv_columns(what)) < 0)
		return crm_cli_fail(cli);
	rc = crm_recv_list(cli->db, what, scope, out_one, &out, &cli->err);
	if (out_close(&out) < 0 || rc < 0)
		return crm_cli_fail(cli);
	return 0;
}

int crm_verb_contract_schedules(struct crm_cli *cli)
{
	int64_t cid = 0;

	if (need_args(cli, 0, 1, "[CONTRACT]") < 0 ||
	    (cli->args.n && find_contract(cli, cli->args.v[0], &cid, NULL) < 0))
		return crm_cli_fail(cli);
	return list_what(cli, "schedule", cid);
}

/* -- invoices ---------------------------------------------------------- */

int crm_verb_contract_invoice(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct crm_invoice_new nw = {.series = o->series,
				     .issue_date = o->date,
				     .due_date = o->due,
				     .note = o->note,
				     .currency = o->currency};
	struct crm_inv_line *lines = NULL;
	struct out out = {0};
	char cur[8] = "";
	size_t nl = 0;
	int64_t id = 0, bp = 0, ref;
	int modes = !!o->milestone + !!o->schedule + !!o->lines.n;
	int rc = -1;

	if (need_args(cli, 0, 1,
		      "[CONTRACT] --milestone M|--schedule S|--line "
		      "SPEC...") < 0)
		return crm_cli_fail(cli);
	if (modes != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "invoice needs one of --milestone, --schedule or "
			    "--line");
		return crm_cli_fail(cli);
	}
	if (o->tax && crm_rate_parse(o->tax, &bp) < 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--tax: expected a percentage, got '%s'", o->tax);
		return crm_cli_fail(cli);
	}
	if (cli->args.n &&
	    find_contract(cli, cli->args.v[0], &nw.contract_id, cur) < 0)
		return crm_cli_fail(cli);
	if (o->account && find_account(cli, o->account, &nw.company_id) < 0)
		return crm_cli_fail(cli);
	if (begin(cli) < 0)
		return crm_cli_fail(cli);
	if (o->milestone) {
		if (parse_id(cli, "--milestone", o->milestone, &ref) == 0)
			rc = crm_invoice_milestone(cli->db, ref, bp, o->series,
						   o->date, &id, &cli->err);
	} else if (o->schedule) {
		if (parse_id(cli, "--schedule", o->schedule, &ref) == 0)
			rc = crm_invoice_schedule(cli->db, ref, o->series,
						  o->date, &id, &cli->err);
	} else if (parse_lines(cli,
			       *cur	     ? cur
			       : o->currency ? o->currency
					     : "XXX",
			       &lines, &nl) == 0) {
		nw.lines = lines;
		nw.nlines = nl;
		rc = crm_invoice_issue(cli->db, &nw, &id, &cli->err);
	}
	free_lines(lines, nl);
	if (rc == 0) {
		rc = out_open(&out, cli, crm_recv_columns("invoices"));
		if (rc == 0)
			rc = print_rows(cli, &out, "invoices", 0, "id", id);
	}
	return finish(cli, &out, rc);
}

int crm_verb_contract_invoices(struct crm_cli *cli)
{
	int64_t company = 0;

	if (need_args(cli, 0, 1, "[ACCOUNT]") < 0 ||
	    (cli->args.n && find_account(cli, cli->args.v[0], &company) < 0))
		return crm_cli_fail(cli);
	return list_what(cli, "invoices", company);
}

int crm_verb_contract_lines(struct crm_cli *cli)
{
	int64_t id;

	if (need_args(cli, 1, 1, "INVOICE") < 0 ||
	    find_invoice(cli, cli->args.v[0], &id) < 0)
		return crm_cli_fail(cli);
	return list_what(cli, "lines", id);
}

int crm_verb_contract_credit(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct crm_inv_line *lines = NULL;
	struct out out = {0};
	char cur[8] = "";
	int64_t inv, id = 0, gross = 0;
	size_t nl = 0;
	int rc = -1;

	if (need_args(cli, 1, 1, "INVOICE --reason TEXT") < 0 ||
	    find_invoice(cli, cli->args.v[0], &inv) < 0)
		return crm_cli_fail(cli);
	if (!o->reason || !*o->reason) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "credit needs --reason (why the invoice is "
			    "reversed)");
		return crm_cli_fail(cli);
	}
	if (o->amount && o->lines.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--amount and --line do not go together");
		return crm_cli_fail(cli);
	}
	if (begin(cli) < 0)
		return crm_cli_fail(cli);
	{
		struct crm_stmt *st = crm_db_stmt(
		    cli->db, "SELECT currency FROM invoices WHERE id = ?",
		    &cli->err);
		if (st) {
			crm_stmt_bind_int(st, 1, inv);
			if (crm_stmt_step(st, &cli->err) > 0)
				snprintf(cur, sizeof(cur), "%s",
					 crm_stmt_text(st, 0));
			crm_stmt_finalize(st);
		}
	}
	if (o->amount && crm_money_parse(o->amount, cur, &gross, &cli->err) < 0)
		goto done;
	if (o->lines.n && parse_lines(cli, cur, &lines, &nl) < 0)
		goto done;
	rc =
	    crm_credit_issue(cli->db, inv, gross, o->lines.n ? lines : NULL, nl,
			     o->series, o->date, o->reason, &id, &cli->err);
	if (rc == 0) {
		rc = out_open(&out, cli, crm_recv_columns("invoices"));
		if (rc == 0)
			rc = print_rows(cli, &out, "invoices", 0, "id", id);
	}
done:
	free_lines(lines, nl);
	return finish(cli, &out, rc);
}

/* -- payments and allocations ------------------------------------------ */

int crm_verb_contract_pay(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct crm_payment_new p = {.date = o->date,
				    .currency = o->currency,
				    .payer = o->payer,
				    .method = o->method,
				    .external_ref = o->ref,
				    .statement_ref = o->entry};
	struct out out = {0};
	int64_t pid = 0;
	int rc = 0;

	if (need_args(cli, 0, 0, "--account A --amount X --currency C") < 0)
		return crm_cli_fail(cli);
	if (!o->account || !o->amount || !o->currency) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "pay needs --account, --amount and --currency");
		return crm_cli_fail(cli);
	}
	if (find_account(cli, o->account, &p.company_id) < 0 ||
	    crm_money_parse(o->amount, o->currency, &p.amount, &cli->err) < 0)
		return crm_cli_fail(cli);
	if (begin(cli) < 0)
		return crm_cli_fail(cli);
	rc = crm_payment_add(cli->db, &p, &pid, &cli->err);
	for (size_t i = 0; rc == 0 && i < o->invoices.n; i++) {
		char *key = crm_xstrdup(o->invoices.v[i]),
		     *eq = strchr(key, '=');
		int64_t inv, amount = 0;

		if (eq)
			*eq++ = '\0';
		if (find_invoice(cli, key, &inv) < 0 ||
		    (eq &&
		     crm_money_parse(eq, o->currency, &amount, &cli->err) < 0))
			rc = -1;
		else if (amount == 0 && eq)
			rc = crm_err_set(&cli->err, CRM_EX_DATAERR,
					 "--invoice %s: expected more than 0",
					 o->invoices.v[i]);
		else
			rc = crm_allocate(cli->db, pid, false, inv, amount,
					  NULL, NULL, &cli->err);
		free(key);
	}
	if (rc == 0) {
		rc = out_open(&out, cli, crm_recv_columns("payments"));
		if (rc == 0)
			rc = print_rows(cli, &out, "payments", p.company_id,
					"id", pid);
	}
	return finish(cli, &out, rc);
}

int crm_verb_contract_payments(struct crm_cli *cli)
{
	int64_t company = 0;

	if (need_args(cli, 0, 1, "[ACCOUNT]") < 0 ||
	    (cli->args.n && find_account(cli, cli->args.v[0], &company) < 0))
		return crm_cli_fail(cli);
	return list_what(cli, "payments", company);
}

int crm_verb_contract_allocate(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct out out = {0};
	int64_t src, inv, aid = 0, amount = 0;
	bool credit = false;
	int rc;

	if (need_args(cli, 2, 2, "PAYMENT|CREDIT_NOTE INVOICE") < 0 ||
	    find_invoice(cli, cli->args.v[1], &inv) < 0)
		return crm_cli_fail(cli);
	if (crm_parse_int(cli->args.v[0], &src) < 0) {
		/* a credit note's number */
		if (find_invoice(cli, cli->args.v[0], &src) < 0)
			return crm_cli_fail(cli);
		credit = true;
	}
	if (begin(cli) < 0)
		return crm_cli_fail(cli);
	rc = 0;
	if (o->amount) {
		char cur[8] = "";
		struct crm_stmt *st = crm_db_stmt(
		    cli->db, "SELECT currency FROM invoices WHERE id = ?",
		    &cli->err);

		if (!st)
			rc = -1;
		else {
			crm_stmt_bind_int(st, 1, inv);
			if (crm_stmt_step(st, &cli->err) > 0)
				snprintf(cur, sizeof(cur), "%s",
					 crm_stmt_text(st, 0));
			crm_stmt_finalize(st);
			rc =
			    crm_money_parse(o->amount, cur, &amount, &cli->err);
			if (rc == 0 && amount <= 0)
				rc = crm_err_set(&cli->err, CRM_EX_DATAERR,
						 "--amount: expected more "
						 "than 0");
		}
	}
	if (rc == 0)
		rc = crm_allocate(cli->db, src, credit, inv, amount, &aid, NULL,
				  &cli->err);
	if (rc == 0) {
		rc = out_open(&out, cli, crm_recv_columns("allocations"));
		if (rc == 0)
			rc = print_rows(cli, &out, "allocations", 0, "id", aid);
	}
	return finish(cli, &out, rc);
}

int crm_verb_contract_apply_credit(struct crm_cli *cli)
{
	int64_t inv, done = 0;
	struct out out = {0};
	int rc;

	if (need_args(cli, 1, 1, "INVOICE") < 0 ||
	    find_invoice(cli, cli->args.v[0], &inv) < 0 || begin(cli) < 0)
		return crm_cli_fail(cli);
	rc = crm_apply_credit(cli->db, inv, &done, &cli->err);
	if (rc == 0) {
		rc = out_open(&out, cli, crm_recv_columns("invoices"));
		if (rc == 0)
			rc = print_rows(cli, &out, "invoices", 0, "id", inv);
	}
	return finish(cli, &out, rc);
}

int crm_verb_contract_unallocate(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct out out = {0};
	int64_t aid;
	int rc;

	if (need_args(cli, 1, 1, "ALLOCATION --reason TEXT") < 0 ||
	    parse_id(cli, "ALLOCATION", cli->args.v[0], &aid) < 0 ||
	    begin(cli) < 0)
		return crm_cli_fail(cli);
	rc = crm_allocation_undo(cli->db, aid, o->reason, &cli->err);
	if (rc == 0) {
		rc = out_open(&out, cli, crm_recv_columns("allocations"));
		if (rc == 0)
			rc = print_rows(cli, &out, "allocations", 0, "id", aid);
	}
	return finish(cli, &out, rc);
}

int crm_verb_contract_allocations(struct crm_cli *cli)
{
	int64_t company = 0;

	if (need_args(cli, 0, 1, "[ACCOUNT]") < 0 ||
	    (cli->args.n && find_account(cli, cli->args.v[0], &company) < 0))
		return crm_cli_fail(cli);
	return list_what(cli, "allocations", company);
}

int crm_verb_contract_balances(struct crm_cli *cli)
{
	int64_t company = 0;

	if (need_args(cli, 0, 1, "[ACCOUNT]") < 0 ||
	    (cli->args.n && find_account(cli, cli->args.v[0], &company) < 0))
		return crm_cli_fail(cli);
	return list_what(cli, "credit", company);
}

/* -- reconcile --------------------------------------------------------- */

int crm_verb_contract_reconcile(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct crm_statement s = {0};
	struct crm_reconcile_stats st = {0};
	struct out out = {0};
	const char *path;
	bool camt;
	int rc;

	if (need_args(cli, 1, 1, "STATEMENT_FILE") < 0)
		return crm_cli_fail(cli);
	path = cli->args.v[0];
	if (o->statement) {
		camt = !strcmp(o->statement, "camt053");
	} else {
		FILE *fp = fopen(path, "rb");
		int c = ' ';

		if (!fp) {
			crm_err_set(&cli->err, CRM_EX_NOINPUT,
				    "cannot open '%s': %s", path,
				    strerror(errno));
			return crm_cli_fail(cli);
		}
		c = getc(fp);
		/* UTF-16 (a byte order mark) is XML: CSV is read as UTF-8 */
		if (c == 0xff || c == 0xfe) {
			c = '<';
		} else {
			while (c == ' ' || c == '\n' || c == '\r' ||
			       c == '\t' || c == 0xef || c == 0xbb || c == 0xbf)
				c = getc(fp);
		}
		fclose(fp);
		camt = c == '<';
	}
	if (camt) {
		rc = crm_statement_read_camt(
		    path, o->max_bytes ? (size_t)o->max_bytes : 256u << 20, &s,
		    &cli->err);
	} else {
		FILE *fp = fopen(path, "rb");
		struct crm_reader *r;

		if (!fp) {
			crm_err_set(&cli->err, CRM_EX_NOINPUT,
				    "cannot open '%s': %s", path,
				    strerror(errno));
			return crm_cli_fail(cli);
		}
		r = crm_cli_reader(cli, fp, path);
		rc = r ? crm_statement_read_records(r, &o->columns, &s,
						    &cli->err)
		       : -1;
		crm_reader_free(r);
		fclose(fp);
	}
	if (rc < 0) {
		crm_statement_release(&s);
		return crm_cli_fail(cli);
	}
	if (o->apply && begin(cli) < 0) {
		crm_statement_release(&s);
		return crm_cli_fail(cli);
	}
	rc = out_open(&out, cli, crm_reconcile_columns);
	if (rc == 0)
		rc = crm_reconcile(cli->db, &s, o->apply, out_one, &out, &st,
				   &cli->err);
	crm_statement_release(&s);
	if (o->apply) {
		rc = finish(cli, &out, rc);
	} else {
		if (out_close(&out) < 0)
			rc = -1;
		rc = rc < 0 ? crm_cli_fail(cli) : 0;
	}
	if (rc == 0)
		crm_cli_note(cli,
			     "%s%llu matched, %llu ambiguous, %llu unmatched, "
			     "%llu applied before",
			     o->apply
				 ? (cli->dry_run ? "dry run: " : "applied: ")
				 : "proposed (--apply records them): ",
			     (unsigned long long)st.matched,
			     (unsigned long long)st.ambiguous,
			     (unsigned long long)st.unmatched,
			     (unsigned long long)st.already);
	return rc;
}

/* -- reports ----------------------------------------------------------- */

static int today_or(struct crm_cli *cli, const char *as_of, char out[32])
{
	if (as_of)
		snprintf(out, 32, "%s", as_of);
	else
		crm_datetime_format_date(cli->db->now, out);
	return 0;
}

int crm_verb_contract_aging(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct out out = {0};
	char day[32];
	int rc;

	if (need_args(cli, 0, 0, "[--by account|owner] [--as-of DATE]") < 0)
		return crm_cli_fail(cli);
	today_or(cli, o->as_of, day);
	if (out_open(&out, cli, crm_aging_columns) < 0)
		return crm_cli_fail(cli);
	rc = crm_aging(cli->db, day, o->by ? o->by : "account", out_one, &out,
		       &cli->err);
	if (out_close(&out) < 0 || rc < 0)
		return crm_cli_fail(cli);
	return 0;
}

int crm_verb_contract_dso(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct out out = {0};
	char day[32];
	int rc;

	if (need_args(cli, 0, 0, "[--days N] [--as-of DATE]") < 0)
		return crm_cli_fail(cli);
	if (o->days_set && o->days == 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--days: expected 1 or more");
		return crm_cli_fail(cli);
	}
	today_or(cli, o->as_of, day);
	if (out_open(&out, cli, crm_dso_columns) < 0)
		return crm_cli_fail(cli);
	rc = crm_dso(cli->db, day, o->days_set ? o->days : 90, out_one, &out,
		     &cli->err);
	if (out_close(&out) < 0 || rc < 0)
		return crm_cli_fail(cli);
	return 0;
}

int crm_verb_contract_months(struct crm_cli *cli)
{
	struct out out = {0};
	int rc;

	if (need_args(cli, 0, 0, "") < 0)
		return crm_cli_fail(cli);
	if (out_open(&out, cli, crm_months_columns) < 0)
		return crm_cli_fail(cli);
	rc = crm_billing_months(cli->db, out_one, &out, &cli->err);
	if (out_close(&out) < 0 || rc < 0)
		return crm_cli_fail(cli);
	return 0;
}

int crm_verb_contract_journal(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct out out = {0};
	uint64_t n = 0;
	int rc;

	if (need_args(cli, 0, 0, "--cursor NAME | --all") < 0)
		return crm_cli_fail(cli);
	if (!!o->cursor == o->all) {
		crm_err_set(
		    &cli->err, CRM_EX_USAGE,
		    "journal needs --cursor NAME (incremental) or --all "
		    "(complete)");
		return crm_cli_fail(cli);
	}
	if (begin(cli) < 0)
		return crm_cli_fail(cli);
	rc = out_open(&out, cli, crm_journal_columns);
	if (rc == 0)
		rc = crm_journal_export(cli->db, o->cursor, out_one, &out, &n,
					&cli->err);
	rc = finish(cli, &out, rc);
	if (rc == 0)
		crm_cli_note(cli, "%llu journal lines%s", (unsigned long long)n,
			     o->cursor && n && !cli->dry_run ? "; cursor moved"
							     : "");
	return rc;
}

/* -- from-quote -------------------------------------------------------- */

int crm_verb_contract_from_quote(struct crm_cli *cli)
{
	struct crm_contract_opts *o = cli->opts;
	struct crm_from_quote fq = {.start = o->start,
				    .name = o->name,
				    .owner = o->owner,
				    .net_days = o->net_days};
	struct crm_tax_rates tax = {0};
	struct crm_strv cols = {0};
	struct out out = {0};
	struct crm_row row;
	char *path;
	int64_t qid, cid = 0;
	int rc;

	if (need_args(cli, 1, 1, "QUOTE") < 0 ||
	    parse_id(cli, "QUOTE", cli->args.v[0], &qid) < 0)
		return crm_cli_fail(cli);
	path = o->taxes ? crm_xstrdup(o->taxes)
	       : getenv("CRM_TAXES") && *getenv("CRM_TAXES")
		   ? crm_xstrdup(getenv("CRM_TAXES"))
		   : crm_share_path("taxes.json");
	rc = crm_tax_load(path, &tax, &cli->err);
	free(path);
	if (rc < 0)
		return crm_cli_fail(cli);
	fq.tax = &tax;
	crm_row_init(&row, &crm_contract_entity);
	if (crm_cli_columns(cli, &crm_contract_entity, false, &cols) < 0 ||
	    begin(cli) < 0) {
		crm_row_release(&row);
		crm_strv_release(&cols);
		crm_tax_release(&tax);
		return crm_cli_fail(cli);
	}
	rc = crm_db_change(cli->db, "from-quote", "contract", &cli->err);
	if (rc == 0)
		rc =
		    crm_contract_from_quote(cli->db, qid, &fq, &cid, &cli->err);
	if (rc == 0)
		rc = crm_entity_get(cli->db, &crm_contract_entity, cid, &row,
				    &cli->err) > 0
			 ? 0
			 : -1;
	if (rc == 0) {
		struct crm_rec rec;

		out.cli = cli;
		out.w = crm_cli_writer(cli, &cols);
		crm_rec_init(&rec);
		crm_row_to_rec(&row, &cols, NULL, &rec);
		rc = crm_writer_write(out.w, &rec);
		crm_rec_release(&rec);
	}
	crm_row_release(&row);
	crm_strv_release(&cols);
	crm_tax_release(&tax);
	rc = finish(cli, &out, rc);
	if (rc == 0)
		crm_cli_note(cli, "%scontract %lld from quote %lld",
			     cli->dry_run ? "dry run: " : "", (long long)cid,
			     (long long)qid);
	return rc;
}
