/* deal.c - the deal entity: links to companies and contacts, stages from
 * the pipelines file, derived status, probability and forecast category,
 * and the history of every change that matters to a forecast. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "company.h"
#include "contact.h"
#include "dbq.h"
#include "deal.h"
#include "filter.h"
#include "money.h"
#include "normalize.h"
#include "pipeline.h"

static const struct crm_field deal_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID_AS("Record ID|Deal ID|Opportunity ID"),
    {"name", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_BRIEF,
     .names = "Deal Name|Opportunity Name|Deal|Opportunity|Title|"
	      "Deal Title|商机名称|商机|机会名称"},
    {"company_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "company"},
    {"contact_id", CRM_T_REF, 0, NULL, "contact"},
    {"lead_id", CRM_T_REF, 0, NULL, "lead"},
    {"pipeline", CRM_T_TEXT, 0},
    {"stage", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Deal Stage|Sales Stage|销售阶段|阶段|商机阶段"},
    {"status", CRM_T_ENUM, CRM_FF_BRIEF, crm_deal_status_names},
    {"amount", CRM_T_MONEY, CRM_FF_BRIEF, NULL, "currency",
     .names = "Value|Deal Value|Deal Amount|Opportunity Amount|金额|"
	      "商机金额|销售金额"},
    {"currency", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Currency Code|Deal Currency|Opportunity Currency|"
	      "币种|货币"},
    {"probability", CRM_T_PERCENT, 0,
     .names = "Probability (%)|Win Probability|Deal Probability|"
	      "赢率|成交概率"},
    {"forecast_category", CRM_T_ENUM, 0, crm_fcat_names},
    {"expected_close", CRM_T_DATE, CRM_FF_BRIEF,
     .names = "Close Date|Closing Date|Expected Close Date|"
	      "Expected Close|预计成交日期|预计结单日期"},
    {"owner", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Deal Owner|Opportunity Owner|Owner Name|负责人|所有人"},
    {"source", CRM_T_TEXT, 0, .names = "Lead Source|Deal Source|来源|商机来源"},
    {"tags", CRM_T_TAGS, 0},
    {"close_reason", CRM_T_TEXT, 0,
     .names = "Lost Reason|Loss Reason|Won Reason|输单原因"},
    {"closed_at", CRM_T_TIME, 0,
     .names = "Won Time|Won Date|Closed Date|Close Time|"
	      "Date Closed|成交时间"},
    {"stage_changed_at", CRM_T_TIME, CRM_FF_READONLY},
    CRM_FIELD_LAST_ACTIVITY_AT,
    CRM_FIELDS_CREATED_UPDATED,
};

enum {
	F_ID,
	F_EXTERNAL_ID,
	F_NAME,
	F_COMPANY_ID,
	F_CONTACT_ID,
	F_LEAD_ID,
	F_PIPELINE,
	F_STAGE,
	F_STATUS,
	F_AMOUNT,
	F_CURRENCY,
	F_PROBABILITY,
	F_CATEGORY,
	F_EXPECTED_CLOSE,
	F_OWNER,
	F_SOURCE,
	F_TAGS,
	F_CLOSE_REASON,
	F_CLOSED_AT,
	F_STAGE_CHANGED_AT,
	F_LAST_ACTIVITY_AT,
	F_CREATED_AT,
	F_UPDATED_AT,
};

static void set_id(struct crm_row *row, long f, int64_t id)
{
	free(row->v[f]);
	row->v[f] = id ? crm_xasprintf("%lld", (long long)id) : NULL;
}

/* 1 when the row of sql (a literal taking one id) exists, 0, -1. */
static int exists(struct crm_db *db, const char *sql, int64_t id, int64_t *col0,
		  struct crm_err *err)
{
	return crm_dbq_step(db, err, col0, sql, "i", id);
}

/* A custom input column's value as text ("" when not a string or
 * number); the column is removed from the row. Returns 1 when present. */
static int take(struct crm_row *row, const char *col, char *out, size_t n)
{
	json_t *j = json_object_get(row->custom, col);

	if (!j)
		return 0;
	if (json_is_string(j))
		snprintf(out, n, "%s", json_string_value(j));
	else if (json_is_integer(j))
		snprintf(out, n, "%lld", (long long)json_integer_value(j));
	else if (json_is_true(j))
		snprintf(out, n, "true");
	else
		out[0] = '\0';
	json_object_del(row->custom, col);
	return 1;
}

static int64_t create_company(struct crm_db *db, const char *name,
			      struct crm_err *err)
{
	struct crm_buf key = {0}, nfc = {0};
	char now[CRM_TIME_LEN];
	int64_t id = 0;
	int rc;

	if (crm_norm_nfc(name, strlen(name), &nfc) < 0)
		return crm_err_field(err, "company", CRM_EX_DATAERR,
				     "invalid UTF-8");
	crm_norm_company(nfc.s, nfc.len, &key);
	rc = crm_dbq_step(
	    db, err, &id,
	    "INSERT INTO companies (name, name_key, created_at, updated_at) "
	    "VALUES (?1, ?2, ?3, ?3) RETURNING id",
	    "sss", nfc.s, key.s, crm_datetime_format(db->now, now));
	crm_buf_release(&key);
	crm_buf_release(&nfc);
	if (rc < 0)
		return crm_err_what(err, "cannot create company");
	return id;
}

/* The input column col, taken from the row, names a record of e for the
 * link field f (v gets its text): 1 found (*id), 0 not, 2 nothing to do
 * (no such column; an empty one unsets f), -1 error. */
static int find_link(struct crm_db *db, struct crm_row *row, const char *col,
		     long f, const struct crm_entity *e, char *v, size_t nv,
		     int64_t *id, struct crm_err *err)
{
	int rc;

	if (!take(row, col, v, nv))
		return 2;
	row->touched[f] = true;
	if (!*v) {
		set_id(row, f, 0);
		return 2;
	}
	rc = crm_find_id(db, e, v, id, err);
	if (rc < 0)
		snprintf(err->field, sizeof(err->field), "%s", col);
	return rc;
}

/* "company" names the company by id, external id, name or domain; one
 * that does not exist is created (as contacts do), unless the name is a
 * number. */
static int resolve_company(struct crm_db *db, struct crm_row *row,
			   struct crm_hook_counts *counts, struct crm_err *err)
{
	char v[512];
	int64_t id = 0, n;
	int rc = find_link(db, row, "company", F_COMPANY_ID,
			   &crm_company_entity, v, sizeof(v), &id, err);

	if (rc < 0 || rc == 2)
		return rc < 0 ? -1 : 0;
	if (!rc) {
		if (crm_parse_int(v, &n) == 0)
			return crm_err_field(err, "company", CRM_EX_DATAERR,
					     "no company %s", v);
		id = create_company(db, v, err);
		if (id < 0)
			return -1;
		if (counts)
			counts->n[0]++;
	}
	set_id(row, F_COMPANY_ID, id);
	return 0;
}

/* "contact" names the contact by id, external id, email or phone. */
static int resolve_contact(struct crm_db *db, struct crm_row *row,
			   struct crm_err *err)
{
	char v[512];
	int64_t id = 0;
	int rc = find_link(db, row, "contact", F_CONTACT_ID,
			   &crm_contact_entity, v, sizeof(v), &id, err);

	if (rc < 0 || rc == 2)
		return rc < 0 ? -1 : 0;
	if (!rc)
		return crm_err_field(err, "contact", CRM_EX_DATAERR,
				     "no contact '%s'", v);
	set_id(row, F_CONTACT_ID, id);
	return 0;
}

/* Links given as ids must exist; a contact's company fills company_id. */
static int check_links(struct crm_db *db, struct crm_row *row,
		       const struct crm_row *old, struct crm_err *err)
{
	int64_t id, company = 0;
	int rc;

	if (row->v[F_COMPANY_ID] && (!old || row->touched[F_COMPANY_ID])) {
		id = strtoll(row->v[F_COMPANY_ID], NULL, 10);
		rc = exists(db, "SELECT id FROM companies WHERE id = ?", id,
			    NULL, err);
		if (rc <= 0)
			return rc < 0 ? -1
				      : crm_err_field(
					    err, "company_id", CRM_EX_DATAERR,
					    "no company %lld", (long long)id);
	}
	if (row->v[F_CONTACT_ID] && (!old || row->touched[F_CONTACT_ID])) {
		id = strtoll(row->v[F_CONTACT_ID], NULL, 10);
		rc = exists(db, "SELECT company_id FROM contacts WHERE id = ?",
			    id, &company, err);
		if (rc <= 0)
			return rc < 0 ? -1
				      : crm_err_field(
					    err, "contact_id", CRM_EX_DATAERR,
					    "no contact %lld", (long long)id);
		if (company && !row->v[F_COMPANY_ID])
			set_id(row, F_COMPANY_ID, company);
	}
	if (row->v[F_LEAD_ID] && (!old || row->touched[F_LEAD_ID])) {
		/* leads come in their own issue: checked once they exist */
		rc = crm_table_has_column(db, "leads", "id", err);
		if (rc < 0)
			return -1;
		id = strtoll(row->v[F_LEAD_ID], NULL, 10);
		if (rc && (rc = exists(db, "SELECT id FROM leads WHERE id = ?",
				       id, NULL, err)) <= 0)
			return rc < 0 ? -1
				      : crm_err_field(
					    err, "lead_id", CRM_EX_DATAERR,
					    "no lead %lld", (long long)id);
	}
	return 0;
}

static int status_of(const char *s)
{
	for (int i = 0; s && crm_deal_status_names[i]; i++)
		if (!strcmp(s, crm_deal_status_names[i]))
			return i;
	return CRM_DEAL_OPEN;
}

/* -- history ----------------------------------------------------------- */

struct change {
	const char *field, *from, *to;
	const char *from_status, *to_status;
	int64_t seconds; /* < 0: none */
	const char *at;
};

static int history_add(struct crm_db *db, const struct crm_row *row,
		       const struct change *c, struct crm_err *err)
{
	struct crm_stmt *st = crm_dbq(
	    db, err,
	    "INSERT INTO deal_history (deal_id, field, from_value, to_value, "
	    "at, actor, pipeline, from_status, to_status, seconds_in_stage, "
	    "amount, currency) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11, ?12)",
	    "issssssss", crm_row_id(row), c->field, c->from, c->to, c->at,
	    db->actor, row->v[F_PIPELINE], c->from_status, c->to_status);
	int rc;

	if (!st)
		return -1;
	if (c->seconds >= 0)
		crm_stmt_bind_int(st, 10, c->seconds);
	if (row->v[F_AMOUNT])
		crm_stmt_bind_int(st, 11, strtoll(row->v[F_AMOUNT], NULL, 10));
	crm_stmt_bind_text(st, 12, row->v[F_CURRENCY]);
	rc = crm_stmt_step(st, err);
	crm_stmt_reset(st);
	if (rc < 0)
		return crm_err_what(err, "cannot write deal history");
	return 0;
}

static bool num_same(const char *a, const char *b)
{
	if (!a || !b)
		return !a && !b;
	return strtod(a, NULL) == strtod(b, NULL);
}

/* A history row for field f of the deal when an update changes it. */
static int history_field(struct crm_db *db, const struct crm_row *row,
			 const struct crm_row *old, struct change *c,
			 const char *field, long f, struct crm_err *err)
{
	if (f == F_PROBABILITY ? num_same(old->v[f], row->v[f])
			       : crm_str_same(old->v[f], row->v[f]))
		return 0;
	c->field = field;
	c->from = old->v[f];
	c->to = row->v[f];
	return history_add(db, row, c, err);
}

/* History rows for what an update changes. */
static int history_update(struct crm_db *db, const struct crm_row *row,
			  const struct crm_row *old, const char *now,
			  struct crm_err *err)
{
	struct change c = {.seconds = -1, .at = now};
	crm_time t0, t1;
	struct crm_err e2;

	if (history_field(db, row, old, &c, "pipeline", F_PIPELINE, err) < 0)
		return -1;
	if (!crm_str_same(old->v[F_PIPELINE], row->v[F_PIPELINE]) ||
	    !crm_str_same(old->v[F_STAGE], row->v[F_STAGE])) {
		c.field = "stage";
		c.from = old->v[F_STAGE];
		c.to = row->v[F_STAGE];
		c.from_status = old->v[F_STATUS];
		c.to_status = row->v[F_STATUS];
		if (old->v[F_STAGE_CHANGED_AT] &&
		    crm_datetime_parse(old->v[F_STAGE_CHANGED_AT], &t0, &e2) ==
			0 &&
		    crm_datetime_parse(now, &t1, &e2) == 0)
			c.seconds = t1 > t0 ? t1 - t0 : 0;
		if (history_add(db, row, &c, err) < 0)
			return -1;
		c.from_status = c.to_status = NULL;
		c.seconds = -1;
	}
	if (history_field(db, row, old, &c, "currency", F_CURRENCY, err) < 0 ||
	    history_field(db, row, old, &c, "amount", F_AMOUNT, err) < 0 ||
	    history_field(db, row, old, &c, "probability", F_PROBABILITY, err) <
		0 ||
	    history_field(db, row, old, &c, "expected_close", F_EXPECTED_CLOSE,
			  err) < 0)
		return -1;
	return 0;
}

/* -- stage, status, probability ---------------------------------------- */

static int pick_stage(const struct crm_pipeline *pl, struct crm_row *row,
		      const struct crm_row *old, const struct crm_stage **out,
		      struct crm_err *err)
{
	bool stage_in = row->touched[F_STAGE] && row->v[F_STAGE];
	bool status_in = row->touched[F_STATUS] && row->v[F_STATUS];
	const struct crm_stage *st = NULL;
	char *list;

	if (status_in && !stage_in) {
		int want = status_of(row->v[F_STATUS]);
		const struct crm_stage *cur =
		    old && old->v[F_STAGE] &&
			    crm_str_same(old->v[F_PIPELINE], row->v[F_PIPELINE])
			? crm_stage_find(pl, old->v[F_STAGE])
			: NULL;

		st = cur && (int)cur->status == want
			 ? cur
			 : crm_stage_first(pl, (enum crm_deal_status)want);
	} else if (row->v[F_STAGE]) {
		st = crm_stage_find(pl, row->v[F_STAGE]);
		if (!st) {
			list = crm_pipeline_stage_list(pl);
			crm_err_field(err, "stage", CRM_EX_DATAERR,
				      "unknown stage '%s' in pipeline '%s' "
				      "(expected one of: %s)",
				      row->v[F_STAGE], pl->name, list);
			free(list);
			return -1;
		}
		if (status_in && (int)st->status != status_of(row->v[F_STATUS]))
			return crm_err_field(err, "status", CRM_EX_DATAERR,
					     "'%s' does not go with stage '%s' "
					     "(%s)",
					     row->v[F_STATUS], st->name,
					     crm_deal_status_names[st->status]);
	} else {
		st = crm_stage_first(pl, CRM_DEAL_OPEN);
	}
	*out = st;
	return 0;
}

static int deal_prepare(struct crm_db *db, const struct crm_entity *e,
			struct crm_row *row, const struct crm_row *old,
			void *arg, struct crm_err *err)
{
	const struct crm_pipelines *cfg = crm_pipelines_get(err);
	const struct crm_pipeline *pl;
	const struct crm_stage *st = NULL;
	char now[CRM_TIME_LEN], flag[16], buf[64];
	int old_status = old ? status_of(old->v[F_STATUS]) : CRM_DEAL_OPEN;
	bool reopen = false, moved;

	(void)e;
	if (!cfg)
		return -1;
	crm_datetime_format(db->now, now);
	if (take(row, "reopen", flag, sizeof(flag))) {
		if (strcmp(flag, "true") && strcmp(flag, "1") &&
		    strcmp(flag, "false") && strcmp(flag, "0") && *flag)
			return crm_err_field(err, "reopen", CRM_EX_DATAERR,
					     "expected true or false, got '%s'",
					     flag);
		reopen = !strcmp(flag, "true") || !strcmp(flag, "1");
	}
	if (resolve_company(db, row, arg, err) < 0 ||
	    resolve_contact(db, row, err) < 0 ||
	    check_links(db, row, old, err) < 0)
		return -1;
	if (crm_money_currency_field(row->v[F_CURRENCY], err) < 0)
		return -1;
	if (row->v[F_AMOUNT] && !row->v[F_CURRENCY])
		return crm_err_field(err, "currency", CRM_EX_DATAERR,
				     "needed with an amount");
	pl = crm_pipeline_find(cfg, row->v[F_PIPELINE]);
	if (!pl) {
		struct crm_buf b = {0};

		for (size_t i = 0; i < cfg->n; i++)
			crm_buf_addf(&b, "%s%s", i ? ", " : "", cfg->v[i].name);
		crm_err_field(err, "pipeline", CRM_EX_DATAERR,
			      "unknown pipeline '%s' (expected one of: %s)",
			      row->v[F_PIPELINE], crm_buf_str(&b));
		crm_buf_release(&b);
		return -1;
	}
	crm_row_set_at(row, F_PIPELINE, pl->name);
	if (pick_stage(pl, row, old, &st, err) < 0)
		return -1;
	crm_row_set_at(row, F_STAGE, st->name);
	crm_row_set_at(row, F_STATUS, crm_deal_status_names[st->status]);
	moved = !old || !crm_str_same(old->v[F_PIPELINE], row->v[F_PIPELINE]) ||
		!crm_str_same(old->v[F_STAGE], row->v[F_STAGE]);
	if (moved && old && old_status != CRM_DEAL_OPEN && !reopen)
		return crm_err_field(
		    err, "stage", CRM_EX_DATAERR,
		    "closed as %s (stage '%s'): leaving a closed "
		    "stage needs --reopen (a reopen column on "
		    "import)",
		    crm_deal_status_names[old_status], old->v[F_STAGE]);
	/* a deal closed by an import (or --set) that says when: it left its
	 * stage then, not now (the stages report's days in stage) */
	if (old && moved && st->status != CRM_DEAL_OPEN &&
	    row->touched[F_CLOSED_AT] && row->v[F_CLOSED_AT])
		snprintf(now, sizeof(now), "%s", row->v[F_CLOSED_AT]);
	if (moved) {
		if (!row->touched[F_PROBABILITY] || !row->v[F_PROBABILITY]) {
			snprintf(buf, sizeof(buf), "%.15g", st->probability);
			crm_row_set_at(row, F_PROBABILITY, buf);
		}
		if (!row->touched[F_CATEGORY] || !row->v[F_CATEGORY])
			crm_row_set_at(row, F_CATEGORY,
				       crm_fcat_names[st->category]);
		if (old)
			crm_row_set_at(row, F_STAGE_CHANGED_AT, now);
		else if (!row->v[F_STAGE_CHANGED_AT])
			crm_row_set_at(
			    row, F_STAGE_CHANGED_AT,
			    row->v[F_CREATED_AT] ? row->v[F_CREATED_AT] : now);
	}
	if (st->status == CRM_DEAL_OPEN) {
		crm_row_set_at(row, F_CLOSED_AT, NULL);
		if (old && old_status != CRM_DEAL_OPEN &&
		    !row->touched[F_CLOSE_REASON])
			crm_row_set_at(row, F_CLOSE_REASON, NULL);
	} else if (!row->v[F_CLOSED_AT] ||
		   (old && old_status == CRM_DEAL_OPEN &&
		    !row->touched[F_CLOSED_AT])) {
		crm_row_set_at(row, F_CLOSED_AT, now);
	}
	if (old)
		return history_update(db, row, old, now, err);
	return 0;
}

static int deal_written(struct crm_db *db, const struct crm_entity *e,
			const struct crm_row *row, bool inserted, void *arg,
			struct crm_err *err)
{
	struct change c = {.field = "stage", .seconds = -1};

	(void)e;
	(void)arg;
	if (!inserted)
		return 0;
	/* the deal entered its first stage when it says it did */
	c.to = row->v[F_STAGE];
	c.to_status = row->v[F_STATUS];
	c.at = row->v[F_STAGE_CHANGED_AT];
	return history_add(db, row, &c, err);
}

static const char *const deal_counters[] = {"company created|companies created",
					    NULL};

/* Input columns the hooks read that are no field. */
static const char *const deal_inputs[] = {"company", "contact", "reopen", NULL};

/* Other names of the input columns on import (lib/entity/import_map.h). */
static const struct crm_alias deal_aliases[] = {
    {"company", "Company Name|Account Name|Account|Organization|"
		"Organisation|Organization Name|公司|公司名称|客户名称|"
		"客户"},
    {CRM_ALIASES_COMMON},
    {0},
};

const struct crm_entity crm_deal_entity = {
    .name = "deal",
    .plural = "deals",
    .table = "deals",
    CRM_FIELDS(deal_fields),
    .keys = "id,external_id",
    .prepare = deal_prepare,
    .written = deal_written,
    .counters = deal_counters,
    .inputs = deal_inputs,
    .aliases = deal_aliases,
};

/* -- for other modules ------------------------------------------------- */

int crm_find_id(struct crm_db *db, const struct crm_entity *e, const char *key,
		int64_t *id, struct crm_err *err)
{
	struct crm_row row;
	int rc;

	crm_row_init(&row, e);
	rc = crm_entity_find(db, e, key, &row, err);
	if (rc > 0)
		*id = crm_row_id(&row);
	crm_row_release(&row);
	return rc;
}

int crm_create_one(struct crm_db *db, const struct crm_entity *e,
		   const char *command, const struct crm_rec *in, int64_t *id,
		   struct crm_err *err)
{
	struct crm_import_opts o = {
	    .command = command, .mode = CRM_CREATE_ONLY, .keys = "id"};
	struct crm_importer *im = crm_importer_new(db, e, &o, err);
	enum crm_import_action a;
	struct crm_row row;
	int rc = -1;

	crm_row_init(&row, e);
	if (im && crm_importer_apply(im, in, &row, &a, err) == 0) {
		if (id)
			*id = crm_row_id(&row);
		rc = 0;
	}
	crm_importer_free(im);
	crm_row_release(&row);
	return rc;
}

int crm_deal_open(struct crm_db *db, const struct crm_deal_new *d, int64_t *id,
		  struct crm_err *err)
{
	struct crm_rec rec;
	char num[32];
	int rc;
	const struct {
		const char *name, *v;
	} s[] = {
	    {"name", d->name},	   {"currency", d->currency},
	    {"amount", d->amount}, {"pipeline", d->pipeline},
	    {"stage", d->stage},   {"owner", d->owner},
	    {"source", d->source}, {"expected_close", d->expected_close},
	};
	const struct {
		const char *name;
		int64_t v;
	} l[] = {
	    {"company_id", d->company_id},
	    {"contact_id", d->contact_id},
	    {"lead_id", d->lead_id},
	};

	crm_rec_init(&rec);
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (s[i].v)
			crm_rec_adds(&rec, s[i].name, s[i].v);
	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++)
		if (l[i].v) {
			snprintf(num, sizeof(num), "%lld", (long long)l[i].v);
			crm_rec_adds(&rec, l[i].name, num);
		}
	rc = crm_create_one(db, &crm_deal_entity, "open deal", &rec, id, err);
	crm_rec_release(&rec);
	return rc;
}

const char *const crm_deal_history_columns[] = {"id",
						"deal_id",
						"at",
						"actor",
						"field",
						"from_value",
						"to_value",
						"pipeline",
						"from_status",
						"to_status",
						"seconds_in_stage",
						"amount",
						"currency",
						NULL};

static void add_money(struct crm_rec *rec, const char *name, const char *v,
		      const char *cur)
{
	char buf[32];

	if (!v) {
		crm_rec_add(rec, name, strlen(name), NULL, 0, CRM_NULL);
		return;
	}
	crm_money_format(strtoll(v, NULL, 10), cur ? cur : "XXX", buf);
	crm_rec_add(rec, name, strlen(name), buf, strlen(buf), CRM_RAW);
}

static void add_num(struct crm_rec *rec, const char *name, struct crm_stmt *st,
		    int i)
{
	const char *v = crm_stmt_text(st, i);

	crm_rec_add(rec, name, strlen(name), v, v ? strlen(v) : 0,
		    v ? CRM_RAW : CRM_NULL);
}

struct history_ctx {
	struct crm_rec rec;
	int (*fn)(const struct crm_rec *rec, void *arg);
	void *arg;
};

/* crm_dbq_each: one history row to the caller's fn */
static int history_row(struct crm_stmt *st, void *arg)
{
	struct history_ctx *x = arg;
	const char *field = crm_stmt_text(st, 4);
	const char *cur = crm_stmt_text(st, 12);

	crm_rec_clear(&x->rec);
	add_num(&x->rec, "id", st, 0);
	add_num(&x->rec, "deal_id", st, 1);
	for (int i = 2; i <= 9; i++) {
		const char *name = crm_deal_history_columns[i];

		if ((i == 5 || i == 6) && !strcmp(field, "amount"))
			add_money(&x->rec, name, crm_stmt_text(st, i), cur);
		else
			crm_rec_adds(&x->rec, name, crm_stmt_text(st, i));
	}
	add_num(&x->rec, "seconds_in_stage", st, 10);
	add_money(&x->rec, "amount", crm_stmt_text(st, 11), cur);
	crm_rec_adds(&x->rec, "currency", cur);
	return x->fn(&x->rec, x->arg);
}

/* ?1 the deals' ids (NULL: every deal); null: ?1 IS NULL on the engine
 * (PostgreSQL needs its type), in: CRM_SQL_IN_IDS_LITE or _PG */
/* clang-format off */
#define HISTORY_SQL(null, in)                                                  \
	"SELECT id, deal_id, at, actor, field, from_value, to_value, "         \
	"pipeline, from_status, to_status, seconds_in_stage, amount, "         \
	"currency FROM deal_history WHERE " null " OR "                        \
	in("deal_id", "?1") " ORDER BY deal_id, at, id"
/* clang-format on */
static const char *const history_sql[] = {
    [CRM_STORE_SQLITE] = HISTORY_SQL("?1 IS NULL", CRM_SQL_IN_IDS_LITE),
    [CRM_STORE_PG] =
	HISTORY_SQL("CAST(?1 AS text) IS NULL", CRM_SQL_IN_IDS_PG)};

int crm_deal_history(struct crm_db *db, const int64_t *ids, size_t nids,
		     int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		     struct crm_err *err)
{
	struct history_ctx x = {.fn = fn, .arg = arg};
	struct crm_buf list = {0};
	int rc;

	crm_rec_init(&x.rec);
	if (nids)
		crm_store_id_list(db->store, &list, ids, nids);
	rc =
	    crm_dbq_each(db, err, history_row, &x,
			 history_sql[crm_store_engine(db->store)], "s", list.s);
	crm_buf_release(&list);
	crm_rec_release(&x.rec);
	return rc;
}

int crm_deal_each(struct crm_db *db, struct crm_buf *sql, struct crm_binds *b,
		  const struct crm_strv *where, const char *tail, int64_t limit,
		  int (*fn)(struct crm_stmt *, void *), void *arg,
		  struct crm_err *err)
{
	struct crm_stmt *st = NULL;
	char num[32];
	int rc = -1;

	if (where &&
	    crm_filter_where(db, &crm_deal_entity, where, sql, b, err) < 0)
		goto out;
	if (tail)
		crm_buf_adds(sql, tail);
	if (limit >= 0) {
		snprintf(num, sizeof(num), "%lld", (long long)limit);
		crm_binds_push(b, num, 'i');
	}
	st = crm_db_stmt(db, sql->s, err);
	if (!st)
		goto out;
	crm_binds_bind(b, st, 1);
	/* with no limit every row is read: COPY on PostgreSQL */
	if (limit < 0)
		crm_stmt_bulk(st);
	rc = crm_stmt_each(st, fn, arg, err);
out:
	crm_stmt_finalize(st);
	crm_binds_release(b);
	crm_buf_release(sql);
	return rc;
}
