/* contract.c - the contract and milestone entities, milestones done and
 * due. Invoices, payments and the rest of receivables are in
 * receivable.c. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "contract.h"
#include "dbq.h"
#include "money.h"

static const char *const contract_statuses[] = {"draft", "active", "ended",
						"cancelled", NULL};
static const char *const billings[] = {"manual", "milestone", "schedule", NULL};
static const char *const milestone_kinds[] = {"delivery", "acceptance",
					      "invoicing", NULL};

static const struct crm_field contract_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID,
    {"name", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_BRIEF},
    {"company_id", CRM_T_REF, CRM_FF_REQUIRED | CRM_FF_BRIEF, NULL, "company"},
    {"deal_id", CRM_T_REF, 0, NULL, "deal"},
    {"quote_id", CRM_T_INT, 0},
    {"status", CRM_T_ENUM, CRM_FF_BRIEF, contract_statuses},
    {"start_date", CRM_T_DATE, CRM_FF_REQUIRED | CRM_FF_BRIEF,
     .names = "Start|Start Date|开始日期"},
    {"end_date", CRM_T_DATE, CRM_FF_BRIEF, .names = "End|End Date|结束日期"},
    {"value", CRM_T_MONEY, CRM_FF_BRIEF, NULL, "currency",
     .names = "Contract Value|Amount|合同金额"},
    {"currency", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_BRIEF},
    {"net_days", CRM_T_INT, 0},
    {"billing", CRM_T_ENUM, 0, billings},
    {"auto_renew", CRM_T_BOOL, 0},
    {"renewal_notice_days", CRM_T_INT, 0},
    {"renewal_months", CRM_T_INT, 0},
    {"owner", CRM_T_TEXT, CRM_FF_BRIEF},
    {"tags", CRM_T_TAGS, 0},
    CRM_FIELDS_CREATED_UPDATED,
};

enum {
	C_ID,
	C_EXTERNAL_ID,
	C_NAME,
	C_COMPANY_ID,
	C_DEAL_ID,
	C_QUOTE_ID,
	C_STATUS,
	C_START,
	C_END,
	C_VALUE,
	C_CURRENCY,
	C_NET_DAYS,
	C_BILLING,
	C_AUTO_RENEW,
	C_NOTICE,
	C_RENEWAL_MONTHS,
	C_OWNER,
};

static const struct crm_field milestone_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID,
    {"contract_id", CRM_T_REF, CRM_FF_REQUIRED | CRM_FF_BRIEF, NULL,
     "contract"},
    {"kind", CRM_T_ENUM, CRM_FF_REQUIRED | CRM_FF_BRIEF, milestone_kinds},
    {"name", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_BRIEF},
    {"due_date", CRM_T_DATE, CRM_FF_REQUIRED | CRM_FF_BRIEF},
    {"owner", CRM_T_TEXT, CRM_FF_BRIEF},
    {"amount", CRM_T_MONEY, CRM_FF_BRIEF, NULL, "currency"},
    {"currency", CRM_T_TEXT, 0},
    {"done_on", CRM_T_DATE, CRM_FF_BRIEF},
    {"evidence", CRM_T_TEXT, 0},
    CRM_FIELDS_CREATED_UPDATED,
};

enum {
	M_ID,
	M_EXTERNAL_ID,
	M_CONTRACT_ID,
	M_KIND,
	M_NAME,
	M_DUE,
	M_OWNER,
	M_AMOUNT,
	M_CURRENCY,
	M_DONE_ON,
	M_EVIDENCE,
};

int crm_date_days(const char *a, const char *b, int64_t *days,
		  struct crm_err *err)
{
	crm_time ta, tb;

	if (crm_datetime_parse(a, &ta, err) < 0 ||
	    crm_datetime_parse(b, &tb, err) < 0)
		return -1;
	*days = (tb - ta) / 86400;
	return 0;
}

int crm_date_add(const char *date, int64_t days, char *out, struct crm_err *err)
{
	char buf[CRM_TIME_LEN];
	crm_time t;

	if (crm_datetime_parse(date, &t, err) < 0)
		return -1;
	crm_datetime_format_date(t + days * 86400, buf);
	memcpy(out, buf, 11);
	out[10] = '\0';
	return 0;
}

/* 1 when the row of sql (taking one id) exists, 0, -1. */
static int exists(struct crm_db *db, const char *sql, int64_t id,
		  struct crm_err *err)
{
	return crm_dbq_step(db, err, NULL, sql, "i", id);
}

/* A row's id (column 0) into v[0] and one more in v[1], of the
 * int64_t[2] arg. */
static int last_id_count(struct crm_stmt *st, void *arg)
{
	int64_t *v = arg;

	v[0] = crm_stmt_int(st, 0);
	v[1]++;
	return 0;
}

/* The input column "company" (a name) as company_id, when no id was
 * given: exactly one company by that name. */
static int resolve_company(struct crm_db *db, struct crm_row *row,
			   struct crm_err *err)
{
	json_t *j = json_object_get(row->custom, "company");
	int64_t idn[2] = {0, 0}, id, n;

	if (!j)
		return 0;
	if (!json_is_string(j) || row->v[C_COMPANY_ID]) {
		json_object_del(row->custom, "company");
		return 0;
	}
	if (crm_dbq_each(db, err, last_id_count, idn,
			 "SELECT id FROM companies WHERE name = ? ORDER BY id",
			 "s", json_string_value(j)) < 0)
		return -1;
	id = idn[0];
	n = idn[1];
	if (n == 0)
		return crm_err_field(err, "company", CRM_EX_DATAERR,
				     "no company is named '%s'",
				     json_string_value(j));
	if (n > 1)
		return crm_err_field(err, "company", CRM_EX_DATAERR,
				     "%lld companies are named '%s': give "
				     "company_id",
				     (long long)n, json_string_value(j));
	row->v[C_COMPANY_ID] = crm_xasprintf("%lld", (long long)id);
	json_object_del(row->custom, "company");
	return 0;
}

static int contract_prepare(struct crm_db *db, const struct crm_entity *e,
			    struct crm_row *row, const struct crm_row *old,
			    void *arg, struct crm_err *err)
{
	int rc;

	(void)e, (void)old, (void)arg;
	if (resolve_company(db, row, err) < 0)
		return -1;
	if (crm_money_currency_field(row->v[C_CURRENCY], err) < 0)
		return -1;
	if (old && old->v[C_CURRENCY] && row->v[C_CURRENCY] &&
	    strcmp(old->v[C_CURRENCY], row->v[C_CURRENCY])) {
		rc = (int)crm_db_int(db,
				     "SELECT count(*) FROM invoices WHERE "
				     "contract_id = CAST(?1 AS INTEGER)",
				     old->v[C_ID], NULL, err);
		if (rc < 0)
			return -1;
		if (rc)
			return crm_err_field(err, "currency", CRM_EX_DATAERR,
					     "the contract has invoices in %s",
					     old->v[C_CURRENCY]);
	}
	if (!row->v[C_STATUS])
		crm_row_set_at(row, C_STATUS, "active");
	if (!row->v[C_BILLING])
		crm_row_set_at(row, C_BILLING, "manual");
	if (!row->v[C_NET_DAYS])
		crm_row_set_at(row, C_NET_DAYS, "30");
	if (!row->v[C_AUTO_RENEW])
		crm_row_set_at(row, C_AUTO_RENEW, "0");
	if (row->v[C_NET_DAYS] &&
	    (atoll(row->v[C_NET_DAYS]) < 0 || atoll(row->v[C_NET_DAYS]) > 3650))
		return crm_err_field(err, "net_days", CRM_EX_DATAERR,
				     "expected 0 to 3650 days, got %s",
				     row->v[C_NET_DAYS]);
	if (row->v[C_END] && row->v[C_START] &&
	    strcmp(row->v[C_END], row->v[C_START]) < 0)
		return crm_err_field(err, "end_date", CRM_EX_DATAERR,
				     "%s is before the start date %s",
				     row->v[C_END], row->v[C_START]);
	if (row->v[C_COMPANY_ID]) {
		rc = exists(db, "SELECT 1 FROM companies WHERE id = ?",
			    atoll(row->v[C_COMPANY_ID]), err);
		if (rc < 0)
			return -1;
		if (!rc)
			return crm_err_field(err, "company_id", CRM_EX_DATAERR,
					     "no company has id %s",
					     row->v[C_COMPANY_ID]);
	}
	if (row->v[C_DEAL_ID]) {
		rc = exists(db, "SELECT 1 FROM deals WHERE id = ?",
			    atoll(row->v[C_DEAL_ID]), err);
		if (rc < 0)
			return -1;
		if (!rc)
			return crm_err_field(err, "deal_id", CRM_EX_DATAERR,
					     "no deal has id %s",
					     row->v[C_DEAL_ID]);
	}
	return 0;
}

static const char *const contract_inputs[] = {"company", NULL};

const struct crm_entity crm_contract_entity = {
    .name = "contract",
    .plural = "contracts",
    .table = "contracts",
    CRM_FIELDS(contract_fields),
    .keys = "id,external_id",
    .prepare = contract_prepare,
    .inputs = contract_inputs,
};

static int milestone_prepare(struct crm_db *db, const struct crm_entity *e,
			     struct crm_row *row, const struct crm_row *old,
			     void *arg, struct crm_err *err)
{
	char *cur;
	int rc;

	(void)e, (void)arg;
	if (old && old->v[M_DONE_ON] && row->v[M_AMOUNT] &&
	    (!old->v[M_AMOUNT] || strcmp(old->v[M_AMOUNT], row->v[M_AMOUNT])))
		return crm_err_field(err, "amount", CRM_EX_DATAERR,
				     "the milestone is done");
	rc = crm_dbq_text(db, err, &cur,
			  "SELECT currency FROM contracts WHERE id = ?", "i",
			  (int64_t)atoll(row->v[M_CONTRACT_ID]));
	if (rc < 0)
		return -1;
	if (rc == 0)
		return crm_err_field(err, "contract_id", CRM_EX_DATAERR,
				     "no contract has id %s",
				     row->v[M_CONTRACT_ID]);
	if (row->v[M_CURRENCY] && strcmp(row->v[M_CURRENCY], cur)) {
		crm_err_field(err, "currency", CRM_EX_DATAERR,
			      "the contract is in %s, not %s", cur,
			      row->v[M_CURRENCY]);
		free(cur);
		return -1;
	}
	crm_row_set_at(row, M_CURRENCY, cur);
	free(cur);
	if (row->v[M_DONE_ON] && !row->v[M_EVIDENCE])
		return crm_err_field(err, "evidence", CRM_EX_DATAERR,
				     "a milestone done needs its evidence");
	return 0;
}

const struct crm_entity crm_milestone_entity = {
    .name = "milestone",
    .plural = "milestones",
    .table = "contract_milestones",
    CRM_FIELDS(milestone_fields),
    .keys = "id,external_id",
    .prepare = milestone_prepare,
};

int crm_milestone_done(struct crm_db *db, int64_t id, const char *date,
		       const char *evidence, struct crm_err *err)
{
	struct crm_import_opts o = {
	    .command = "milestone done", .mode = CRM_UPDATE_ONLY, .keys = "id"};
	char today[CRM_TIME_LEN], num[32];
	struct crm_importer *im;
	enum crm_import_action a;
	struct crm_row row;
	struct crm_rec rec;
	int rc;

	crm_row_init(&row, &crm_milestone_entity);
	rc = crm_entity_get(db, &crm_milestone_entity, id, &row, err);
	if (rc <= 0) {
		crm_row_release(&row);
		return rc < 0 ? -1
			      : crm_err_set(err, CRM_EX_NOINPUT,
					    "no milestone has id %lld",
					    (long long)id);
	}
	if (row.v[M_DONE_ON]) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "milestone %lld was done on %s", (long long)id,
			    row.v[M_DONE_ON]);
		crm_row_release(&row);
		return -1;
	}
	crm_row_release(&row);
	if (!evidence || !*evidence)
		return crm_err_set(err, CRM_EX_USAGE,
				   "done needs --evidence (what shows the "
				   "milestone was reached)");
	if (!date) {
		crm_datetime_format_date(db->now, today);
		date = today;
	}
	im = crm_importer_new(db, &crm_milestone_entity, &o, err);
	if (!im)
		return -1;
	crm_rec_init(&rec);
	snprintf(num, sizeof(num), "%lld", (long long)id);
	crm_rec_adds(&rec, "id", num);
	crm_rec_adds(&rec, "done_on", date);
	crm_rec_adds(&rec, "evidence", evidence);
	rc = crm_importer_apply(im, &rec, NULL, &a, err);
	crm_rec_release(&rec);
	crm_importer_free(im);
	return rc;
}

struct due_ctx {
	int (*fn)(const struct crm_due_item *it, void *arg);
	void *arg;
	uint64_t *overdue;
	struct crm_err *err;
	char today[CRM_TIME_LEN];
};

static int due_row(struct crm_stmt *st, void *arg)
{
	struct due_ctx *d = arg;
	struct crm_due_item it = {
	    .id = crm_stmt_int(st, 0),
	    .contract_id = crm_stmt_int(st, 1),
	    .company_id = crm_stmt_int(st, 2),
	    .contract = crm_stmt_text(st, 3),
	    .kind = crm_stmt_text(st, 4),
	    .name = crm_stmt_text(st, 5),
	    .due_date = crm_stmt_text(st, 6),
	    .owner = crm_stmt_text(st, 7),
	};

	if (crm_date_days(it.due_date, d->today, &it.days_late, d->err) < 0)
		return -1;
	if (it.days_late > 0)
		(*d->overdue)++;
	return d->fn(&it, d->arg);
}

int crm_contract_due(struct crm_db *db, int64_t days,
		     int (*fn)(const struct crm_due_item *it, void *arg),
		     void *arg, uint64_t *overdue, struct crm_err *err)
{
	struct due_ctx d = {
	    .fn = fn, .arg = arg, .overdue = overdue, .err = err};
	char until[16];

	*overdue = 0;
	crm_datetime_format_date(db->now, d.today);
	if (crm_date_add(d.today, days, until, err) < 0)
		return -1;
	return crm_dbq_each(db, err, due_row, &d,
			    "SELECT m.id, m.contract_id, c.company_id, c.name,"
			    " m.kind, m.name, m.due_date, m.owner"
			    " FROM contract_milestones m"
			    " JOIN contracts c ON c.id = m.contract_id"
			    " WHERE m.done_on IS NULL AND m.due_date <= ?"
			    " AND c.status <> 'cancelled'"
			    " ORDER BY m.due_date, m.id",
			    "s", until);
}
