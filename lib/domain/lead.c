/* lead.c - the lead entity: what its duplicate check compares, status
 * and owner history, assignment, the lead pool and conversion. */
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "company.h"
#include "contact.h"
#include "dbq.h"
#include "import_map.h"
#include "lead.h"
#include "normalize.h"
#include "store.h"
#include "tier.h"

static const char *const statuses[] = {
    "new",	   "working",	"nurturing", "qualified",
    "unqualified", "converted", NULL,
};

static const struct crm_field lead_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID_AS("Record ID|Lead ID"),
    {"first_name", CRM_T_TEXT, CRM_FF_BRIEF, .names = CRM_ALIASES_FIRST_NAME},
    {"last_name", CRM_T_TEXT, CRM_FF_BRIEF, .names = CRM_ALIASES_LAST_NAME},
    {"email", CRM_T_EMAIL, CRM_FF_KEY | CRM_FF_MATCH | CRM_FF_BRIEF,
     .names = CRM_ALIASES_EMAIL},
    {"email_key", CRM_T_TEXT, CRM_FF_HIDDEN},
    {"phone", CRM_T_PHONE, CRM_FF_KEY | CRM_FF_MATCH,
     .names = CRM_ALIASES_PHONE},
    {"phone_key", CRM_T_TEXT, CRM_FF_HIDDEN},
    {"company", CRM_T_TEXT, CRM_FF_BRIEF,
     .names =
	 "Company Name|Company / Account|Account Name|Account|Organization|"
	 "Organisation|Organization Name|公司|公司名称|客户名称|"
	 "单位|企业名称"},
    {"title", CRM_T_TEXT, 0, .names = CRM_ALIASES_TITLE},
    {"industry", CRM_T_TEXT, 0, .names = "行业"},
    {"region", CRM_T_TEXT, 0, .names = CRM_ALIASES_MAILING_REGION},
    {"country", CRM_T_TEXT, 0, .names = CRM_ALIASES_MAILING_COUNTRY},
    {"source", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Lead Source|Original Source|来源|线索来源"},
    {"campaign", CRM_T_TEXT, 0, .names = "Campaign Name|市场活动|活动名称"},
    {"status", CRM_T_ENUM, CRM_FF_BRIEF, statuses},
    {"status_reason", CRM_T_TEXT, 0,
     .names = "Reason|Disqualified Reason|Unqualified Reason"},
    {"owner", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Lead Owner|Owner Name|Assigned To|负责人|所有人|"
	      "跟进人"},
    {"previous_owner", CRM_T_TEXT, CRM_FF_READONLY},
    {"score", CRM_T_INT, CRM_FF_READONLY | CRM_FF_BRIEF},
    {"grade", CRM_T_TEXT, CRM_FF_READONLY},
    {"previous_score", CRM_T_INT, CRM_FF_READONLY},
    {"trend", CRM_T_TEXT, CRM_FF_READONLY},
    {"scored_at", CRM_T_TIME, CRM_FF_READONLY},
    {"conversion_probability", CRM_T_PERCENT, CRM_FF_READONLY},
    {"predicted_at", CRM_T_TIME, CRM_FF_READONLY},
    {"duplicate_of", CRM_T_TEXT, 0},
    CRM_FIELD_LAST_ACTIVITY_AT,
    {"assigned_at", CRM_T_TIME, CRM_FF_READONLY},
    {"converted_at", CRM_T_TIME, CRM_FF_READONLY},
    {"contact_id", CRM_T_REF, CRM_FF_READONLY, NULL, "contact"},
    {"company_id", CRM_T_REF, CRM_FF_READONLY, NULL, "company"},
    {"deal_id", CRM_T_REF, CRM_FF_READONLY, NULL, "deal"},
    CRM_FIELDS_CREATED_UPDATED,
};

bool crm_lead_open_status(const char *status)
{
	return status &&
	       (!strcmp(status, "new") || !strcmp(status, "working") ||
		!strcmp(status, "nurturing") || !strcmp(status, "qualified"));
}

static char *now_text(struct crm_db *db, char buf[CRM_TIME_LEN])
{
	return crm_datetime_format(db->now, buf);
}

/* -- history ----------------------------------------------------------- */

/* History rows are written in batches, one multi-row INSERT for
 * HIST_BATCH of them, while a bulk verb runs (an import between the
 * entity's begin and end, assign, reclaim, status changes): one statement
 * per row was a sixth of an import's time on SQLite and a round trip per
 * row on PostgreSQL. Rows keep their order, so their ids are the ones
 * single inserts give; nothing reads lead_history while a batch is open,
 * and every batch is flushed before its transaction ends. */
enum { HIST_BATCH = CRM_AUDIT_ROWS, HIST_COLS = 8, UPD_COLS = 6 };

struct hist_row {
	int64_t lead_id;
	char
	    *v[HIST_COLS - 1]; /* field, from, to, at, actor, command, reason */
};

static struct {
	bool on;
	struct hist_row *r;
	size_t n;
	/* undo rows of write_change, batched the same way */
	int64_t *aid;
	char **abefore, **aafter;
	size_t an;
	/* write_change's UPDATEs, on PostgreSQL only (hist_begin_bulk): one
	 * multi-row UPDATE for up to HIST_BATCH leads, each lead once (a
	 * second change of a lead writes the first out), written before
	 * the verb reads leads again (chunk_get) and before the commit */
	bool upd_on;
	struct upd_row {
		int64_t id;
		char *v[UPD_COLS]; /* status .. updated_at (upd_cols) */
	} * u;
	size_t un;
} hist;

static const char *const upd_cols[UPD_COLS] = {"status",      "status_reason",
					       "owner",	      "previous_owner",
					       "assigned_at", "updated_at"};

static char *dup_or_null(const char *s)
{
	return s ? crm_xstrdup(s) : NULL;
}

/* Drop the UPDATEs held. */
static void upd_clear(void)
{
	for (size_t i = 0; i < hist.un; i++)
		for (size_t k = 0; k < UPD_COLS; k++)
			free(hist.u[i].v[k]);
	hist.un = 0;
}

static void hist_clear(void)
{
	for (size_t i = 0; i < hist.n; i++)
		for (size_t k = 0; k < HIST_COLS - 1; k++)
			free(hist.r[i].v[k]);
	hist.n = 0;
	for (size_t i = 0; i < hist.an; i++) {
		free(hist.abefore[i]);
		free(hist.aafter[i]);
	}
	hist.an = 0;
	upd_clear();
}

/* Run the multi-row statement of a batch of n rows (n <= HIST_BATCH): its
 * text made by make, and for a whole batch made once and kept in *full,
 * so that the statement cache (keyed by the text's address) keeps it
 * prepared; its values bound by bind. what names it in an error. */
static int batch_run(struct crm_db *db, size_t n,
		     void (*make)(size_t n, struct crm_buf *b), char **full,
		     void (*bind)(struct crm_stmt *st), const char *what,
		     struct crm_err *err)
{
	struct crm_buf b = {0};
	bool whole = n == HIST_BATCH;
	const char *sql = whole ? *full : NULL;
	struct crm_stmt *st;
	int rc;

	if (!sql) {
		make(n, &b);
		sql = whole ? (*full = crm_buf_detach(&b)) : crm_buf_str(&b);
	}
	st = whole ? crm_db_stmt_cached(db, sql, err)
		   : crm_db_stmt(db, sql, err);
	crm_buf_release(&b);
	if (!st)
		return -1;
	bind(st);
	rc = crm_stmt_step_as(st, what, err);
	if (whole)
		crm_stmt_reset(st);
	else
		crm_stmt_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* The UPDATE of n leads. VALUES' untyped parameters are text, as the
 * columns are; the id is cast. */
static void upd_make(size_t n, struct crm_buf *b)
{
	crm_buf_adds(b, "UPDATE leads AS l SET ");
	for (size_t k = 0; k < UPD_COLS; k++)
		crm_buf_addf(b, "%s%s = v.%s", k ? ", " : "", upd_cols[k],
			     upd_cols[k]);
	crm_buf_adds(b, " FROM (VALUES ");
	for (size_t i = 0; i < n; i++)
		crm_buf_adds(b, i ? ", (?, ?, ?, ?, ?, ?, CAST(? AS BIGINT))"
				  : "(?, ?, ?, ?, ?, ?, CAST(? AS BIGINT))");
	crm_buf_adds(b, ") AS v (");
	for (size_t k = 0; k < UPD_COLS; k++)
		crm_buf_addf(b, "%s, ", upd_cols[k]);
	crm_buf_adds(b, "id) WHERE l.id = v.id");
}

static void upd_bind(struct crm_stmt *st)
{
	for (size_t i = 0; i < hist.un; i++) {
		int p = (int)(i * (UPD_COLS + 1));

		for (int k = 0; k < UPD_COLS; k++)
			crm_stmt_bind_text(st, p + 1 + k, hist.u[i].v[k]);
		crm_stmt_bind_int(st, p + 1 + UPD_COLS, hist.u[i].id);
	}
}

/* Write the UPDATEs held so far. */
static int upd_flush(struct crm_db *db, struct crm_err *err)
{
	static char *full;
	int rc;

	if (!hist.un)
		return 0;
	rc = batch_run(db, hist.un, upd_make, &full, upd_bind,
		       "cannot update lead", err);
	upd_clear();
	return rc;
}

/* Hold the UPDATE of row's upd_cols (lead id). */
static int upd_add(struct crm_db *db, int64_t id, const struct crm_row *row,
		   const char *now, struct crm_err *err)
{
	struct upd_row *u;

	for (size_t i = 0; i < hist.un; i++)
		if (hist.u[i].id == id && upd_flush(db, err) < 0)
			return -1;
	u = &hist.u[hist.un++];
	u->id = id;
	for (size_t k = 0; k + 1 < UPD_COLS; k++)
		u->v[k] = dup_or_null(crm_row_get(row, upd_cols[k]));
	u->v[UPD_COLS - 1] = crm_xstrdup(now);
	return hist.un == HIST_BATCH ? upd_flush(db, err) : 0;
}

/* Whether the UPDATE of one of the n leads ids is held. */
static bool upd_held(const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < hist.un; i++)
		for (size_t k = 0; k < n; k++)
			if (hist.u[i].id == ids[k])
				return true;
	return false;
}

/* The INSERT of n history rows. */
static void hist_make(size_t n, struct crm_buf *b)
{
	crm_buf_adds(b, "INSERT INTO lead_history (lead_id, field, from_value, "
			"to_value, at, actor, command, reason) VALUES ");
	for (size_t i = 0; i < n; i++)
		crm_buf_adds(b, i ? ",(?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?)");
}

static void hist_bind(struct crm_stmt *st)
{
	for (size_t i = 0; i < hist.n; i++) {
		int p = (int)(i * HIST_COLS);

		crm_stmt_bind_int(st, p + 1, hist.r[i].lead_id);
		for (int k = 0; k < HIST_COLS - 1; k++)
			crm_stmt_bind_text(st, p + 2 + k, hist.r[i].v[k]);
	}
}

/* Write the rows held so far. */
static int hist_flush(struct crm_db *db, struct crm_err *err)
{
	static char *full;
	int rc;

	if (upd_flush(db, err) < 0 ||
	    (hist.an &&
	     crm_db_audit_rows(db, "lead", "update", hist.an, hist.aid,
			       hist.abefore, hist.aafter, err) < 0)) {
		hist_clear();
		return -1;
	}
	rc = hist.n ? batch_run(db, hist.n, hist_make, &full, hist_bind,
				"cannot record lead history", err)
		    : 0;
	hist_clear();
	return rc;
}

/* Start batching history rows. */
static void hist_begin(void)
{
	hist_clear();
	if (!hist.r) {
		hist.r = crm_xcalloc(HIST_BATCH, sizeof(*hist.r));
		hist.aid = crm_xcalloc(HIST_BATCH, sizeof(*hist.aid));
		hist.abefore = crm_xcalloc(HIST_BATCH, sizeof(*hist.abefore));
		hist.aafter = crm_xcalloc(HIST_BATCH, sizeof(*hist.aafter));
		hist.u = crm_xcalloc(HIST_BATCH, sizeof(*hist.u));
	}
	hist.on = true;
}

/* Batching for the verbs that change leads one by one (assign, reclaim,
 * status): on PostgreSQL, where it saves two round trips per lead. On
 * SQLite their owner history rows land all over the lead_history_to
 * index and a multi-row INSERT costs more instructions than a prepared
 * one-row INSERT (callgrind: 540M -> 589M for 4,305 leads), so they are
 * written one by one there; an import's history rows, all ("status",
 * "new"), append, and batched cost a third less on both engines. */
static void hist_begin_bulk(struct crm_db *db)
{
	if (crm_store_engine(db->store) == CRM_STORE_PG) {
		hist_begin();
		hist.upd_on = true;
	}
}

/* Stop batching: write what is held when ok, else drop it. */
static int hist_end(struct crm_db *db, bool ok, struct crm_err *err)
{
	int rc = ok ? hist_flush(db, err) : 0;

	hist_clear();
	free(hist.r);
	free(hist.aid);
	free(hist.abefore);
	free(hist.aafter);
	free(hist.u);
	hist.r = NULL;
	hist.aid = NULL;
	hist.abefore = hist.aafter = NULL;
	hist.u = NULL;
	hist.on = hist.upd_on = false;
	return rc;
}

/* A history row at the time at (NULL: now). */
static int history_add(struct crm_db *db, int64_t id, const char *field,
		       const char *from, const char *to, const char *command,
		       const char *reason, const char *at, struct crm_err *err)
{
	struct crm_stmt *st;
	char now[CRM_TIME_LEN];

	if (hist.on) {
		struct hist_row *r = &hist.r[hist.n++];

		r->lead_id = id;
		r->v[0] = dup_or_null(field);
		r->v[1] = dup_or_null(from);
		r->v[2] = dup_or_null(to);
		r->v[3] = crm_xstrdup(at ? at : now_text(db, now));
		r->v[4] = dup_or_null(db->actor);
		r->v[5] = dup_or_null(command);
		r->v[6] = dup_or_null(reason);
		return hist.n == HIST_BATCH ? hist_flush(db, err) : 0;
	}
	st = crm_dbq(db, err,
		     "INSERT INTO lead_history (lead_id, field, from_value, "
		     "to_value, at, actor, command, reason) VALUES (?, ?, ?, "
		     "?, ?, ?, ?, ?)",
		     "isssssss", id, field, from, to,
		     at ? at : now_text(db, now), db->actor, command, reason);
	return crm_stmt_run_as(st, "cannot record lead history", err);
}

int crm_lead_history_add(struct crm_db *db, int64_t id, const char *field,
			 const char *from, const char *to, const char *command,
			 const char *reason, struct crm_err *err)
{
	return history_add(db, id, field, from, to, command, reason, NULL, err);
}

int crm_lead_history(struct crm_db *db, const int64_t *ids, size_t n,
		     int (*fn)(const struct crm_lead_change *c, void *arg),
		     void *arg, struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt(
	    db,
	    "SELECT id, lead_id, field, from_value, to_value, at, actor, "
	    "command, reason FROM lead_history WHERE ?1 = 0 OR lead_id = ?2 "
	    "ORDER BY lead_id, id",
	    err);
	int rc = 0;

	if (!st || hist_flush(db, err) < 0) {
		crm_stmt_finalize(st);
		return -1;
	}
	for (size_t i = 0; i < (n ? n : 1) && rc == 0; i++) {
		int s;

		crm_stmt_reset(st);
		crm_stmt_bind_int(st, 1, n ? 1 : 0);
		crm_stmt_bind_int(st, 2, n ? ids[i] : 0);
		while (rc == 0 && (s = crm_stmt_step(st, err)) == 1) {
			struct crm_lead_change c = {
			    .id = crm_stmt_int(st, 0),
			    .lead_id = crm_stmt_int(st, 1),
			    .field = crm_stmt_text(st, 2),
			    .from = crm_stmt_text(st, 3),
			    .to = crm_stmt_text(st, 4),
			    .at = crm_stmt_text(st, 5),
			    .actor = crm_stmt_text(st, 6),
			    .command = crm_stmt_text(st, 7),
			    .reason = crm_stmt_text(st, 8),
			};
			rc = fn(&c, arg);
		}
		if (rc == 0 && s < 0)
			rc = -1;
	}
	crm_stmt_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* -- duplicates -------------------------------------------------------- */

static const struct crm_entity *const lead_dup_also[] = {&crm_contact_entity,
							 NULL};

const struct crm_dupcheck_opts crm_lead_dupcheck = {
    .policy = CRM_ONDUP_UPDATE,
    .exact = true,
    .also = lead_dup_also,
    /* a lead import writes leads through its importer only (the hooks
     * write history) */
    .batch = true,
};

/* -- entity hooks ------------------------------------------------------ */

static int lead_prepare(struct crm_db *db, const struct crm_entity *e,
			struct crm_row *row, const struct crm_row *old,
			void *arg, struct crm_err *err)
{
	const char *st = crm_row_get(row, "status");
	const char *owner = crm_row_get(row, "owner");
	char now[CRM_TIME_LEN];
	int64_t id = crm_row_id(row);

	crm_row_take_full_name(row);
	if (!crm_row_get(row, "first_name") && !crm_row_get(row, "last_name") &&
	    !crm_row_get(row, "email") && !crm_row_get(row, "phone") &&
	    !crm_row_get(row, "company"))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "a lead needs a name, an email, a phone or "
				   "a company");
	(void)arg;
	now_text(db, now);
	if (!old) {
		if (!st)
			crm_row_set(row, "status", "new");
		/* an imported lead was assigned when it says, else when it
		 * was created (it came with its owner) */
		if (owner && !crm_row_get(row, "assigned_at"))
			crm_row_set(row, "assigned_at",
				    crm_row_get(row, "created_at")
					? crm_row_get(row, "created_at")
					: now);
		return 0;
	}
	if (!crm_str_same(st, crm_row_get(old, "status"))) {
		snprintf(err->field, sizeof(err->field), "status");
		if (crm_str_same(crm_row_get(old, "status"), "converted"))
			return crm_err_set(err, CRM_EX_DATAERR,
					   "lead %lld is converted: its status "
					   "cannot change",
					   (long long)id);
		if (crm_str_same(st, "converted"))
			return crm_err_set(err, CRM_EX_DATAERR,
					   "a lead becomes converted only by "
					   "'crm-lead convert'");
		err->field[0] = '\0';
		if (crm_lead_history_add(
			db, id, "status", crm_row_get(old, "status"), st,
			"edit",
			row->touched[crm_entity_field(e, "status_reason")]
			    ? crm_row_get(row, "status_reason")
			    : NULL,
			err) < 0)
			return -1;
	}
	if (!crm_str_same(owner, crm_row_get(old, "owner"))) {
		crm_row_set(row, "assigned_at", owner ? now : NULL);
		if (crm_lead_history_add(db, id, "owner",
					 crm_row_get(old, "owner"), owner,
					 "edit", NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int lead_written(struct crm_db *db, const struct crm_entity *e,
			const struct crm_row *row, bool inserted, void *arg,
			struct crm_err *err)
{
	int64_t id = crm_row_id(row);
	const char *owner = crm_row_get(row, "owner");

	(void)e;
	(void)arg;
	if (!inserted)
		return 0;
	/* at the times the record gives, so that an import keeps the
	 * source's history (the funnel's days to assign) */
	if (history_add(db, id, "status", NULL, crm_row_get(row, "status"),
			"create", NULL, crm_row_get(row, "created_at"),
			err) < 0)
		return -1;
	if (owner && history_add(db, id, "owner", NULL, owner, "create", NULL,
				 crm_row_get(row, "assigned_at"), err) < 0)
		return -1;
	return 0;
}

static int lead_begin(struct crm_db *db, const struct crm_entity *e,
		      struct crm_err *err)
{
	(void)db;
	(void)e;
	(void)err;
	hist_begin();
	return 0;
}

static int lead_end(struct crm_db *db, const struct crm_entity *e, bool ok,
		    struct crm_err *err)
{
	(void)e;
	return hist_end(db, ok, err);
}

/* Input columns the hooks read that are no field. */
static const char *const lead_inputs[] = {"name", NULL};

/* Other names of the input columns on import (lib/entity/import_map.h). */
static const struct crm_alias lead_aliases[] = {
    {"name", "Full Name|Lead Name|姓名"},
    {CRM_ALIASES_COMMON},
    {0},
};

const struct crm_entity crm_lead_entity = {
    .name = "lead",
    .plural = "leads",
    .table = "leads",
    CRM_FIELDS(lead_fields),
    .keys = "id,external_id",
    .prepare = lead_prepare,
    .written = lead_written,
    .begin = lead_begin,
    .end = lead_end,
    .inputs = lead_inputs,
    .aliases = lead_aliases,
};

/* -- status and owner changes ------------------------------------------ */

/* Write the new status, status_reason, owner, previous_owner and
 * assigned_at of row (whose before-image is old), with audit and
 * history. Needs an open change set. */
static int write_change(struct crm_db *db, const struct crm_row *old,
			const struct crm_row *row, const char *command,
			const char *reason, struct crm_err *err)
{
	/* the fields lead_history follows */
	static const char *const told[] = {"status", "owner"};
	char *bj, *aj, now[CRM_TIME_LEN];
	int64_t id = crm_row_id(row);
	int rc;

	/* a change set only once something changes */
	if (!db->change && crm_db_change(db, command, "lead", err) < 0)
		return -1;
	bj = crm_row_image(old);
	aj = crm_row_diff(old, row);
	if (hist.on) {
		/* kept for the next batch, which owns the texts */
		hist.aid[hist.an] = id;
		hist.abefore[hist.an] = bj;
		hist.aafter[hist.an++] = aj;
		rc = 0; /* a whole batch is written below, with this lead's
			   UPDATE and history rows (so that theirs stay whole
			   too: a partial batch is a statement prepared for
			   once) */
	} else {
		rc = crm_db_audit(db, "lead", id, "update", bj, aj, err);
		free(bj);
		free(aj);
	}
	if (rc < 0)
		return -1;
	if (hist.upd_on) {
		if (upd_add(db, id, row, now_text(db, now), err) < 0)
			return -1;
	} else if (crm_stmt_run_as(
		       crm_dbq(
			   db, err,
			   "UPDATE leads SET status = ?, status_reason = ?, "
			   "owner = ?, previous_owner = ?, assigned_at = ?, "
			   "updated_at = ? WHERE id = ?",
			   "ssssssi", crm_row_get(row, "status"),
			   crm_row_get(row, "status_reason"),
			   crm_row_get(row, "owner"),
			   crm_row_get(row, "previous_owner"),
			   crm_row_get(row, "assigned_at"), now_text(db, now),
			   id),
		       "cannot update lead", err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(told) / sizeof(told[0]); i++) {
		const char *from = crm_row_get(old, told[i]);
		const char *to = crm_row_get(row, told[i]);

		if (!crm_str_same(from, to) &&
		    crm_lead_history_add(db, id, told[i], from, to, command,
					 reason, err) < 0)
			return -1;
	}
	return hist.on && hist.an == HIST_BATCH ? hist_flush(db, err) : 0;
}

struct idlist {
	int64_t *v;
	size_t n, cap;
};

static void push_id(struct idlist *l, int64_t id)
{
	l->v = crm_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = id;
}

static int collect_id(const struct crm_row *row, void *arg)
{
	push_id(arg, crm_row_id(row));
	return 0;
}

/* The rows of the leads a bulk verb walks, read LEAD_CHUNK at a time with
 * one query instead of one crm_entity_get per lead (a round trip each on
 * PostgreSQL). A result fills the first position of its id only: a
 * repeated id, read again after the verb wrote it, comes from
 * crm_entity_get, as do ids the query did not return. */
enum { LEAD_CHUNK = 128 };

struct lead_chunk {
	struct crm_row rows[LEAD_CHUNK];
	bool found[LEAD_CHUNK];
	size_t base, n;	       /* positions base .. base + n - 1 of the list */
	struct crm_stmt *full; /* the query for LEAD_CHUNK ids, made once */
};

static void chunk_init(struct lead_chunk *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t k = 0; k < LEAD_CHUNK; k++)
		crm_row_init(&c->rows[k], &crm_lead_entity);
}

/* A new list: no position is held. A verb that walks its leads a page
 * at a time starts each page at position 0: without this, a page shorter
 * than a chunk would find the last page's slots taken and read its rows
 * one by one. */
static void chunk_forget(struct lead_chunk *c)
{
	c->base = c->n = 0;
}

static void chunk_release(struct lead_chunk *c)
{
	for (size_t k = 0; k < LEAD_CHUNK; k++)
		crm_row_release(&c->rows[k]);
	if (c->full)
		crm_stmt_finalize(c->full);
	c->full = NULL;
}

static int chunk_fill(struct crm_db *db, struct lead_chunk *c,
		      const int64_t *ids, size_t n, size_t base,
		      struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_stmt *st = NULL;
	int rc;

	c->base = base;
	c->n = n - base < LEAD_CHUNK ? n - base : LEAD_CHUNK;
	memset(c->found, 0, sizeof(c->found));
	if (c->n == LEAD_CHUNK && c->full) {
		st = c->full;
		crm_stmt_reset(st);
	}
	if (!st) {
		crm_buf_adds(&sql, "SELECT ");
		crm_entity_select_list_db(db, &crm_lead_entity, &sql);
		crm_buf_adds(&sql, " FROM leads WHERE id IN (");
		for (size_t k = 0; k < c->n; k++)
			crm_buf_adds(&sql, k ? ", ?" : "?");
		crm_buf_adds(&sql, ")");
		st = crm_db_stmt(db, sql.s, err);
		crm_buf_release(&sql);
		if (!st)
			return -1;
		if (c->n == LEAD_CHUNK)
			c->full = st;
	}
	for (size_t k = 0; k < c->n; k++)
		crm_stmt_bind_int(st, (int)k + 1, ids[base + k]);
	while ((rc = crm_stmt_step(st, err)) == 1) {
		int64_t id = crm_stmt_int(st, 0);

		for (size_t k = 0; k < c->n; k++)
			if (ids[base + k] == id && !c->found[k]) {
				crm_row_read(&c->rows[k], st);
				c->found[k] = true;
				break;
			}
	}
	if (st == c->full)
		crm_stmt_reset(st);
	else
		crm_stmt_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* The lead at position i of ids (n of them) into row: 1, 0 if there is
 * none, -1 on error. Positions are asked for in order. */
static int chunk_get(struct crm_db *db, struct lead_chunk *c,
		     const int64_t *ids, size_t n, size_t i,
		     struct crm_row *row, struct crm_err *err)
{
	struct crm_row t;

	/* what the verb wrote is read back (held UPDATEs of the chunk's
	 * leads written first; the others stay held, so that the batches
	 * stay whole) */
	if ((i < c->base || i >= c->base + c->n) &&
	    ((upd_held(ids + i, n - i < LEAD_CHUNK ? n - i : LEAD_CHUNK) &&
	      upd_flush(db, err) < 0) ||
	     chunk_fill(db, c, ids, n, i, err) < 0))
		return -1;
	if (!c->found[i - c->base])
		return upd_flush(db, err) < 0
			   ? -1
			   : crm_entity_get(db, &crm_lead_entity, ids[i], row,
					    err);
	/* hand the row over: the chunk's slot gets row's old storage */
	t = *row;
	*row = c->rows[i - c->base];
	c->rows[i - c->base] = t;
	c->found[i - c->base] = false;
	return 1;
}

/* What a bulk verb (status, assign, reclaim) walks: the leads' ids, their
 * rows a chunk at a time, a lead before and after its change. */
struct bulk {
	struct idlist l;
	struct crm_row old, row;
	struct lead_chunk chunk;
};

/* Start a bulk verb: its transaction, with history batched. */
static int bulk_begin(struct crm_db *db, struct bulk *b, struct crm_err *err)
{
	memset(&b->l, 0, sizeof(b->l));
	crm_row_init(&b->old, &crm_lead_entity);
	crm_row_init(&b->row, &crm_lead_entity);
	chunk_init(&b->chunk);
	if (crm_db_begin(db, err) < 0)
		return -1;
	hist_begin_bulk(db);
	return 0;
}

/* End a bulk verb: when ok, the history held is written and the
 * transaction finished (rolled back for a dry run); else, or when that
 * fails, everything is rolled back. Returns 0 or -1. */
static int bulk_end(struct crm_db *db, struct bulk *b, bool ok, bool dry_run,
		    struct crm_err *err)
{
	int rc = -1;

	if (ok && hist_end(db, true, err) == 0)
		rc = crm_db_finish(db, dry_run, err);
	if (hist.on)
		hist_end(db, false, err);
	if (rc < 0)
		crm_db_rollback(db);
	crm_row_release(&b->old);
	crm_row_release(&b->row);
	chunk_release(&b->chunk);
	free(b->l.v);
	return rc;
}

int crm_lead_set_status(struct crm_db *db, const struct crm_query *q,
			const char *status, const char *reason,
			const char *command, bool dry_run, uint64_t *n,
			struct crm_err *err)
{
	struct bulk b;
	bool ok = false;

	*n = 0;
	if (bulk_begin(db, &b, err) < 0 ||
	    crm_entity_each(db, &crm_lead_entity, q, collect_id, &b.l, err) < 0)
		goto out;
	for (size_t i = 0; i < b.l.n; i++) {
		if (chunk_get(db, &b.chunk, b.l.v, b.l.n, i, &b.old, err) <= 0)
			goto out;
		if (crm_str_same(crm_row_get(&b.old, "status"), "converted")) {
			crm_err_set(err, CRM_EX_DATAERR,
				    "lead %lld is converted: its status cannot "
				    "change",
				    (long long)b.l.v[i]);
			goto out;
		}
		if (crm_str_same(crm_row_get(&b.old, "status"), status) &&
		    crm_str_same(crm_row_get(&b.old, "status_reason"), reason))
			continue;
		crm_row_copy(&b.row, &b.old);
		crm_row_set(&b.row, "status", status);
		crm_row_set(&b.row, "status_reason", reason);
		if (write_change(db, &b.old, &b.row, command, reason, err) < 0)
			goto out;
		(*n)++;
	}
	ok = true;
out:
	return bulk_end(db, &b, ok, dry_run, err);
}

/* -- assignment -------------------------------------------------------- */

/* A team of the rules whose members are a crm-user team ("@TEAM"): its
 * active users, by name. */
static int push_name(struct crm_stmt *st, void *arg)
{
	crm_strv_push(arg, crm_stmt_text(st, 0));
	return 0;
}

static int users_of(struct crm_db *db, struct crm_assign_team *t,
		    struct crm_err *err)
{
	struct crm_strv names = {0};
	int rc = crm_dbq_each(db, err, push_name, &names,
			      "SELECT name FROM crm_users WHERE "
			      "team = ? AND status = 'active' "
			      "ORDER BY name",
			      "s", t->users_of);

	if (rc == 0)
		crm_assign_set_members(t, &names);
	crm_strv_release(&names);
	return rc;
}

/* A member's rotation state, from its lead_rotation row. */
static int read_rotation(struct crm_stmt *st, void *arg)
{
	struct crm_assign_member *m = arg;

	m->seq = crm_stmt_int(st, 0);
	m->credit = crm_stmt_int(st, 1);
	return 0;
}

int crm_rotation_read(struct crm_db *db, const char *team,
		      struct crm_assign_member *m, struct crm_err *err)
{
	m->seq = m->credit = 0;
	return crm_dbq_each(db, err, read_rotation, m,
			    "SELECT seq, credit FROM lead_rotation WHERE team "
			    "= ? AND member = ?",
			    "ss", team, m->name);
}

int crm_rotation_save(struct crm_db *db, const char *team,
		      struct crm_assign_team *t, struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	now_text(db, now);
	for (size_t k = 0; k < t->n; k++) {
		struct crm_assign_member *m = &t->m[k];

		if (!m->dirty)
			continue;
		if (crm_stmt_run_as(
			crm_dbq(db, err,
				"INSERT INTO lead_rotation (team, member, "
				"seq, credit, last_assigned_at) VALUES (?1, "
				"?2, ?3, ?4, ?5) ON CONFLICT (team, member) "
				"DO UPDATE SET seq = ?3, credit = ?4, "
				"last_assigned_at = ?5",
				"ssiis", team, m->name, m->seq, m->credit, now),
			"cannot store rotation", err) < 0)
			return -1;
		m->dirty = false;
	}
	return 0;
}

/* Members' open leads, leads given in the last 30 days, and rotation
 * state. Read and written back (save_state) inside one write transaction:
 * the store's begin admits one writer at a time on either engine (SQLite's
 * BEGIN IMMEDIATE; PostgreSQL's advisory lock, taken before this reads),
 * so two runs never rotate from the same state. */
static int load_state(struct crm_db *db, struct crm_assign_rules *r,
		      struct crm_err *err)
{
	char since[CRM_TIME_LEN];

	crm_datetime_format(db->now - 30 * 86400, since);
	for (size_t i = 0; i < r->nteams; i++) {
		struct crm_assign_team *t = &r->teams[i];

		t->seq = 0;
		if (t->users_of && users_of(db, t, err) < 0)
			return -1;
		for (size_t k = 0; k < t->n; k++) {
			struct crm_assign_member *m = &t->m[k];
			int rc;

			/* a disabled crm user is never picked */
			rc = (int)crm_db_int(db,
					     "SELECT count(*) FROM crm_users "
					     "WHERE name = ?1 AND status = "
					     "'disabled'",
					     m->name, NULL, err);
			if (rc < 0)
				return -1;
			m->disabled = rc > 0;

			m->open = crm_db_int(
			    db,
			    "SELECT count(*) FROM leads WHERE owner = ?1 AND "
			    "status IN ('new', 'working', 'nurturing', "
			    "'qualified')",
			    m->name, NULL, err);
			m->recent = crm_db_int(
			    db,
			    "SELECT count(*) FROM lead_history WHERE field = "
			    "'owner' AND to_value = ?1 AND at > ?2",
			    m->name, since, err);
			if (m->open < 0 || m->recent < 0)
				return -1;
			if (crm_rotation_read(db, t->name, m, err) < 0)
				return -1;
			if (m->seq > t->seq)
				t->seq = m->seq;
		}
	}
	return 0;
}

static int save_state(struct crm_db *db, struct crm_assign_rules *r,
		      struct crm_err *err)
{
	for (size_t i = 0; i < r->nteams; i++)
		if (crm_rotation_save(db, r->teams[i].name, &r->teams[i], err) <
		    0)
			return -1;
	return 0;
}

struct tier_row {
	const struct crm_row *row;
	char tier[64]; /* the account's tier, for rules on "tier" */
};

/* The leads crm-lead assign takes by default: open leads with no owner
 * or in a team's pool (owner "@TEAM"). */
static int pool_id(struct crm_stmt *st, void *arg)
{
	push_id(arg, crm_stmt_int(st, 0));
	return 0;
}

/* The next page of them, after lead last: at most page ids. */
static int pool_ids(struct crm_db *db, struct idlist *l, int64_t last,
		    int64_t page, struct crm_err *err)
{
	return crm_dbq_each(db, err, pool_id, l,
			    "SELECT id FROM leads WHERE (owner IS NULL OR "
			    "owner = '' OR substr(owner, 1, 1) = '@') AND "
			    "id > ?1 ORDER BY id LIMIT ?2",
			    "ii", last, page);
}

/* The team of the rules a lead in pool @name goes to, or NULL. */
static struct crm_assign_team *pool_team(struct crm_assign_rules *r,
					 const char *name)
{
	for (size_t i = 0; i < r->nteams; i++)
		if (!strcmp(r->teams[i].name, name) ||
		    (r->teams[i].users_of &&
		     !strcmp(r->teams[i].users_of, name)))
			return &r->teams[i];
	return NULL;
}

static const char *row_field(const char *field, void *arg)
{
	struct tier_row *tr = arg;

	if (!strcmp(field, "tier") && crm_entity_field(tr->row->e, "tier") < 0)
		return *tr->tier ? tr->tier : NULL;
	return crm_row_get(tr->row, field);
}

int crm_assign_match_row(struct crm_db *db, const struct crm_assign_rules *r,
			 const struct crm_row *row, long *rule,
			 struct crm_err *err)
{
	struct tier_row tr = {.row = row};

	if (crm_assign_uses(r, "tier") &&
	    crm_tier_for_row(db, row, tr.tier, err) < 0)
		return -1;
	*rule = crm_assign_match(r, row_field, &tr);
	return 0;
}

/* Assign the leads of b's list (one page of them), each as the rules
 * say, writing each change; fn sees every lead. */
static int
assign_page(struct crm_db *db, struct bulk *b, struct crm_assign_rules *rules,
	    bool reassign, const char *now, struct crm_buf *why,
	    int (*fn)(const struct crm_lead_assignment *a, void *arg),
	    void *arg, uint64_t *n, struct crm_err *err)
{
	for (size_t i = 0; i < b->l.n; i++) {
		struct crm_lead_assignment a = {.id = b->l.v[i]};
		const char *prev, *pool;
		struct crm_assign_team *pt;
		long ri, pick;

		if (chunk_get(db, &b->chunk, b->l.v, b->l.n, i, &b->old, err) <=
		    0)
			return -1;
		pool = crm_row_get(&b->old, "owner");
		pool = pool && pool[0] == '@' ? pool + 1 : NULL;
		if (!crm_lead_open_status(crm_row_get(&b->old, "status")) ||
		    (crm_row_get(&b->old, "owner") && !pool && !reassign))
			continue; /* idempotent: owned leads stay put */
		crm_buf_reset(why);
		prev = rules->avoid_previous
			   ? crm_row_get(&b->old, "previous_owner")
			   : NULL;
		if (crm_assign_match_row(db, rules, &b->old, &ri, err) < 0)
			return -1;
		pt = pool ? pool_team(rules, pool) : NULL;
		if (pt) {
			/* a team's pool goes to that team's members */
			a.rule = "pool";
			a.team = pt->name;
			a.strategy = crm_assign_strategy_name(pt->strategy);
			pick = crm_assign_pick(rules, pt, prev, b->l.v[i], why);
			a.owner = pick >= 0 ? pt->m[pick].name : NULL;
		} else if (ri < 0) {
			a.rule = rules->default_owner ? "default" : NULL;
			a.owner = rules->default_owner;
			crm_buf_adds(why, rules->default_owner
					      ? "no rule matched: the default "
						"owner"
					      : "no rule matched and there is "
						"no default owner");
		} else if (rules->rules[ri].owner) {
			a.rule = rules->rules[ri].name;
			a.owner = rules->rules[ri].owner;
			crm_buf_adds(why, "the rule names the owner");
		} else {
			struct crm_assign_team *t =
			    &rules->teams[rules->rules[ri].team];

			a.rule = rules->rules[ri].name;
			a.team = t->name;
			a.strategy = crm_assign_strategy_name(t->strategy);
			pick = crm_assign_pick(rules, t, prev, b->l.v[i], why);
			a.owner = pick >= 0 ? t->m[pick].name : NULL;
		}
		a.why = crm_buf_str(why);
		if (a.owner &&
		    !crm_str_same(a.owner, crm_row_get(&b->old, "owner"))) {
			crm_row_copy(&b->row, &b->old);
			crm_row_set(&b->row, "owner", a.owner);
			crm_row_set(&b->row, "assigned_at", now);
			if (write_change(db, &b->old, &b->row, "assign", a.rule,
					 err) < 0)
				return -1;
			(*n)++;
		}
		if (fn && fn(&a, arg) < 0)
			return -1;
	}
	return 0;
}

int crm_lead_assign(struct crm_db *db, struct crm_assign_rules *rules,
		    const struct crm_query *q, bool reassign, bool dry_run,
		    int (*fn)(const struct crm_lead_assignment *a, void *arg),
		    void *arg, uint64_t *n, struct crm_err *err)
{
	struct bulk b;
	struct crm_buf why = {0};
	char now[CRM_TIME_LEN];
	int64_t page = crm_db_page_rows(), last = 0;
	bool ok = false;
	int rc;

	*n = 0;
	now_text(db, now);
	if (bulk_begin(db, &b, err) < 0 ||
	    (q && crm_entity_each(db, &crm_lead_entity, q, collect_id, &b.l,
				  err) < 0) ||
	    load_state(db, rules, err) < 0)
		goto out;
	/* On PostgreSQL every statement from here reads or writes at most
	 * a chunk of leads by id (the chunk's read, the batched UPDATE)
	 * or inserts: at 17,000 leads the planner scanned the whole table
	 * for each (a hash join for the UPDATE's 128 rows, and the read's
	 * IN list with the statistics an import left stale), 4-12 ms a
	 * batch where the primary key takes under 1. For this transaction
	 * only. */
	if (crm_store_engine(db->store) == CRM_STORE_PG &&
	    crm_db_exec(db, "SET LOCAL enable_seqscan = off", err) < 0)
		goto out;
	/* the pool a page at a time (each assigned before the next is
	 * read; an assigned lead is behind the next page's first id);
	 * a query's leads in its order, at once */
	do {
		if (!q) {
			b.l.n = 0;
			chunk_forget(&b.chunk);
			if (pool_ids(db, &b.l, last, page, err) < 0)
				goto out;
		}
		if (assign_page(db, &b, rules, reassign, now, &why, fn, arg, n,
				err) < 0)
			goto out;
		if (b.l.n)
			last = b.l.v[b.l.n - 1];
	} while (!q && b.l.n == (size_t)page);
	ok = save_state(db, rules, err) == 0;
out:
	rc = bulk_end(db, &b, ok, dry_run, err);
	crm_buf_release(&why);
	return rc;
}

/* -- the lead pool ----------------------------------------------------- */

/* The pools of the owners met so far: owners are few, leads many (a
 * query a lead was a round trip a lead on PostgreSQL). */
struct pools {
	struct crm_strv owner, pool; /* pool "" for none */
};

/* "@TEAM" when owner is a crm user with a team, else NULL, in *pool
 * (the cache's: do not free). */
static int owner_pool(struct crm_db *db, struct pools *c, const char *owner,
		      const char **pool, struct crm_err *err)
{
	char *team;
	int rc;

	for (size_t i = 0; i < c->owner.n; i++)
		if (!strcmp(c->owner.v[i], owner)) {
			*pool = c->pool.v[i][0] ? c->pool.v[i] : NULL;
			return 0;
		}
	rc = crm_dbq_text(db, err, &team,
			  "SELECT team FROM crm_users WHERE name = ? AND "
			  "team IS NOT NULL AND team <> ''",
			  "s", owner);
	if (rc < 0)
		return -1;
	crm_strv_push(&c->owner, owner);
	crm_strv_push(&c->pool, "");
	if (team) {
		free(c->pool.v[c->pool.n - 1]);
		c->pool.v[c->pool.n - 1] = crm_xasprintf("@%s", team);
	}
	*pool = team ? c->pool.v[c->pool.n - 1] : NULL;
	free(team);
	return 0;
}

/* The leads crm_lead_reclaim finds idle: ids with owner and since. */
struct idle_leads {
	struct idlist *l;
	struct crm_strv owners, since;
};

static int idle_row(struct crm_stmt *st, void *arg)
{
	struct idle_leads *d = arg;

	push_id(d->l, crm_stmt_int(st, 0));
	crm_strv_push(&d->owners, crm_stmt_text(st, 1));
	crm_strv_push(&d->since, crm_stmt_text(st, 2));
	return 0;
}

/* Reclaims (or, with warn, only lists) the idle leads of one page:
 * b->l's ids, with their owners and since in d. 0 or -1. */
static int reclaim_page(struct crm_db *db, struct bulk *b,
			const struct idle_leads *d, int64_t idle, int64_t warn,
			const char *reason, struct pools *pools,
			int (*fn)(const struct crm_lead_idle *l, void *arg),
			void *arg, uint64_t *n, struct crm_err *err)
{
	const char *pool;

	for (size_t i = 0; i < b->l.n; i++) {
		char at[CRM_TIME_LEN];
		crm_time t;
		struct crm_lead_idle li = {b->l.v[i], d->owners.v[i],
					   d->since.v[i], at};

		if (crm_datetime_parse(d->since.v[i], &t, err) < 0)
			return -1;
		crm_datetime_format(t + idle, at);
		if (!warn) {
			if (chunk_get(db, &b->chunk, b->l.v, b->l.n, i, &b->old,
				      err) <= 0)
				return -1;
			crm_row_copy(&b->row, &b->old);
			crm_row_set(&b->row, "previous_owner", d->owners.v[i]);
			if (owner_pool(db, pools, d->owners.v[i], &pool, err) <
			    0)
				return -1;
			/* back to the owner's team's pool, else unowned */
			crm_row_set(&b->row, "owner", pool);
			crm_row_set(&b->row, "assigned_at", NULL);
			if (write_change(db, &b->old, &b->row, "reclaim",
					 reason, err) < 0)
				return -1;
		}
		(*n)++;
		if (fn && fn(&li, arg) < 0)
			return -1;
	}
	return 0;
}

int crm_lead_reclaim(struct crm_db *db, int64_t idle, int64_t warn,
		     bool dry_run,
		     int (*fn)(const struct crm_lead_idle *l, void *arg),
		     void *arg, uint64_t *n, struct crm_err *err)
{
	/* idle since: the later of the assignment and the owner's last
	 * activity on the lead (one with no owner counts as the owner's) */
	static const char sql[] =
	    "SELECT id, owner, since FROM (SELECT id, owner, CASE WHEN "
	    "given IS NULL OR given >= acted THEN given ELSE acted END AS "
	    "since FROM (SELECT l.id, l.owner, coalesce(l.assigned_at, "
	    "l.created_at) AS given, coalesce((SELECT max(a.occurred_at) FROM "
	    "activities a WHERE a.lead_id = l.id AND (a.owner IS NULL OR "
	    "a.owner = l.owner) AND a.occurred_at <= ?3), '') AS acted FROM "
	    "leads l WHERE l.owner IS NOT NULL AND substr(l.owner, 1, 1) <> "
	    "'@' AND l.status IN ('new', "
	    "'working', 'nurturing', 'qualified') AND l.id > ?4) AS g) AS x "
	    "WHERE since <= ?1 AND since > ?2 ORDER BY id LIMIT ?5";
	char hi[CRM_TIME_LEN], lo[CRM_TIME_LEN], now[CRM_TIME_LEN];
	struct bulk b;
	struct idle_leads d = {&b.l, {0}, {0}};
	struct pools pools = {0};
	char *reason = NULL;
	int64_t page = crm_db_page_rows(), last = 0;
	bool ok = false;
	int rc;

	*n = 0;
	if (warn > 0) {
		crm_datetime_format(db->now - idle + warn, hi);
		crm_datetime_format(db->now - idle, lo);
	} else {
		crm_datetime_format(db->now - idle, hi);
		lo[0] = '\0';
	}
	now_text(db, now);
	reason = crm_xasprintf("idle %llds", (long long)idle);
	if (idle % 86400 == 0) {
		free(reason);
		reason = crm_xasprintf("idle %lldd", (long long)(idle / 86400));
	}
	if (bulk_begin(db, &b, err) < 0)
		goto out;
	/* a page of idle leads at a time (id, owner, since: what the list
	 * holds), each reclaimed before the next is read; a reclaimed lead
	 * is behind the next page's first id */
	do {
		b.l.n = 0;
		crm_strv_release(&d.owners);
		crm_strv_release(&d.since);
		chunk_forget(&b.chunk);
		if (crm_dbq_each(db, err, idle_row, &d, sql, "sssii", hi, lo,
				 now, last, page) < 0 ||
		    reclaim_page(db, &b, &d, idle, warn, reason, &pools, fn,
				 arg, n, err) < 0)
			goto out;
		if (b.l.n)
			last = b.l.v[b.l.n - 1];
	} while (b.l.n == (size_t)page);
	ok = true;
out:
	/* a warning changes nothing */
	rc = bulk_end(db, &b, ok, dry_run || warn, err);
	crm_strv_release(&d.owners);
	crm_strv_release(&d.since);
	crm_strv_release(&pools.owner);
	crm_strv_release(&pools.pool);
	free(reason);
	return rc;
}

/* -- conversion -------------------------------------------------------- */

/* Add field name = the lead's value to rec when the target lacks it (tgt
 * NULL: a new record). */
static void fill(struct crm_rec *rec, const struct crm_row *tgt,
		 const char *name, const char *v)
{
	if (!v || crm_rec_find(rec, name) >= 0)
		return;
	if (tgt) {
		long f = crm_entity_field(tgt->e, name);
		if (f >= 0 ? tgt->v[f] != NULL
			   : json_object_get(tgt->custom, name) != NULL)
			return;
	}
	crm_rec_adds(rec, name, v);
}

/* Custom lead fields onto rec by name, where the target lacks them. */
static void fill_custom(struct crm_rec *rec, const struct crm_row *tgt,
			const struct crm_row *lead)
{
	const char *k;
	json_t *v;

	json_object_foreach(lead->custom, k, v)
	{
		long f =
		    crm_entity_field(tgt ? tgt->e : &crm_contact_entity, k);
		char *s;

		if (crm_rec_find(rec, k) >= 0 || (f >= 0 && tgt && tgt->v[f]) ||
		    (f < 0 && tgt && json_object_get(tgt->custom, k)) ||
		    (f >= 0 && crm_contact_entity.fields[f].flags &
				   (CRM_FF_HIDDEN | CRM_FF_SYSTEM)))
			continue;
		if (json_is_string(v)) {
			crm_rec_adds(rec, k, json_string_value(v));
			continue;
		}
		s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		crm_rec_add(rec, k, strlen(k), s, strlen(s),
			    f >= 0 ? CRM_STR : CRM_RAW);
		free(s);
	}
}

static int64_t find_one(struct crm_db *db, const char *sql, const char *v,
			struct crm_err *err)
{
	return v ? crm_db_int(db, sql, v, NULL, err) : 0;
}

/* Apply rec to entity e (an update when id != 0, else an insert, audited
 * as such for undo); *id gets the record's id. */
static int upsert(struct crm_db *db, struct crm_importer *im,
		  const struct crm_entity *e, struct crm_rec *rec, int64_t *id,
		  struct crm_row *out, struct crm_err *err)
{
	enum crm_import_action a;
	char num[32];

	if (*id) {
		snprintf(num, sizeof(num), "%lld", (long long)*id);
		crm_rec_set(rec, "id", num, CRM_STR);
	}
	if (crm_importer_apply(im, rec, out, &a, err) < 0)
		return -1;
	if (!*id) {
		*id = crm_row_id(out);
		return crm_db_audit(db, e->name, *id, "insert", NULL, NULL,
				    err);
	}
	return 0;
}

/* Open the deal a conversion asks for, linked to what it made. */
static int convert_deal(struct crm_db *db, const struct crm_deal_new *tmpl,
			const struct crm_row *lead,
			struct crm_lead_conversion *c, struct crm_err *err)
{
	struct crm_deal_new d = *tmpl;
	struct crm_buf name = {0};
	int s;

	d.company_id = c->company_id;
	d.contact_id = c->contact_id;
	d.lead_id = c->lead_id;
	if (!d.owner)
		d.owner = crm_row_get(lead, "owner");
	if (!d.source)
		d.source = crm_row_get(lead, "source");
	if (!d.name) {
		const char *co = crm_row_get(lead, "company");
		const char *fn = crm_row_get(lead, "first_name");
		const char *ln = crm_row_get(lead, "last_name");

		if (co)
			crm_buf_adds(&name, co);
		else
			crm_buf_addf(&name, "%s%s%s", fn ? fn : "",
				     fn && ln ? " " : "", ln ? ln : "");
		if (!name.len)
			crm_buf_addf(&name, "lead %lld", (long long)c->lead_id);
		d.name = name.s;
	}
	s = crm_deal_open(db, &d, &c->deal_id, err);
	crm_buf_release(&name);
	if (s < 0 ||
	    crm_db_audit(db, "deal", c->deal_id, "insert", NULL, NULL, err) < 0)
		return -1;
	return crm_stmt_run_as(
	    crm_dbq(db, err, "UPDATE leads SET deal_id = ?1 WHERE id = ?2",
		    "ii", c->deal_id, c->lead_id),
	    "cannot update lead", err);
}

static int convert_one(struct crm_db *db, int64_t lid, struct crm_importer *ci,
		       struct crm_importer *pi, const struct crm_deal_new *deal,
		       struct crm_lead_conversion *c, struct crm_err *err)
{
	struct crm_row lead, tgt, out;
	struct crm_rec rec;
	struct crm_buf key = {0}, domain = {0}, ek = {0}, pk = {0};
	struct crm_activity act = {.type = "conversion"};
	const char *email, *cname;
	char subject[64], now[CRM_TIME_LEN];
	char *bj;
	int rc = -1, s;

	memset(c, 0, sizeof(*c));
	c->lead_id = lid;
	crm_row_init(&lead, &crm_lead_entity);
	crm_row_init(&tgt, &crm_contact_entity);
	crm_row_init(&out, &crm_contact_entity);
	crm_rec_init(&rec);
	s = crm_entity_get(db, &crm_lead_entity, lid, &lead, err);
	if (s == 0)
		crm_err_set(err, CRM_EX_NOINPUT, "no lead %lld",
			    (long long)lid);
	if (s <= 0)
		goto out;
	if (crm_str_same(crm_row_get(&lead, "status"), "converted")) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "already converted at %s (contact %s)",
			    crm_row_get(&lead, "converted_at")
				? crm_row_get(&lead, "converted_at")
				: "?",
			    crm_row_get(&lead, "contact_id")
				? crm_row_get(&lead, "contact_id")
				: "none");
		goto out;
	}
	/* the lead's before-image first: undo restores it last */
	bj = crm_row_image(&lead);
	/* what the conversion wrote is filled in at its end */
	s = crm_db_audit(db, "lead", lid, "update", bj, NULL, err);
	free(bj);
	if (s < 0)
		goto out;
	email = crm_row_get(&lead, "email");
	cname = crm_row_get(&lead, "company");
	if (email && crm_norm_email_domain(email, &domain) == 0 &&
	    crm_company_free_mail(domain.s))
		crm_buf_reset(&domain);
	/* the company: by email domain, else by name, else a new one */
	c->company_id = find_one(db,
				 "SELECT id FROM companies WHERE domain = ?1 "
				 "ORDER BY id LIMIT 1",
				 domain.len ? domain.s : NULL, err);
	if (c->company_id == 0 && cname) {
		crm_norm_company(cname, strlen(cname), &key);
		c->company_id =
		    find_one(db,
			     "SELECT id FROM companies WHERE name_key = ?1 "
			     "ORDER BY id LIMIT 1",
			     key.s, err);
	}
	if (c->company_id < 0)
		goto out;
	if (c->company_id || cname || domain.len) {
		struct crm_row co;

		crm_row_init(&co, &crm_company_entity);
		c->company = c->company_id ? "linked" : "created";
		if (c->company_id &&
		    crm_entity_get(db, &crm_company_entity, c->company_id, &co,
				   err) <= 0) {
			crm_row_release(&co);
			goto out;
		}
		fill(&rec, c->company_id ? &co : NULL, "name",
		     cname ? cname : domain.s);
		fill(&rec, c->company_id ? &co : NULL, "domain",
		     domain.len ? domain.s : NULL);
		fill(&rec, c->company_id ? &co : NULL, "industry",
		     crm_row_get(&lead, "industry"));
		fill(&rec, c->company_id ? &co : NULL, "region",
		     crm_row_get(&lead, "region"));
		fill(&rec, c->company_id ? &co : NULL, "country",
		     crm_row_get(&lead, "country"));
		fill(&rec, c->company_id ? &co : NULL, "owner",
		     crm_row_get(&lead, "owner"));
		crm_row_release(&co);
		crm_row_init(&co, &crm_company_entity);
		s = upsert(db, pi, &crm_company_entity, &rec, &c->company_id,
			   &co, err);
		crm_row_release(&co);
		if (s < 0)
			goto out;
	}
	/* the contact: by email, else by phone, else a new one */
	if (email)
		crm_norm_email_key(email, &ek);
	c->contact_id = find_one(db,
				 "SELECT id FROM contacts WHERE email_key = ?1 "
				 "ORDER BY id LIMIT 1",
				 email ? ek.s : NULL, err);
	if (c->contact_id == 0 && crm_row_get(&lead, "phone_key"))
		c->contact_id =
		    find_one(db,
			     "SELECT id FROM contacts WHERE phone_key = ?1 "
			     "ORDER BY id LIMIT 1",
			     crm_row_get(&lead, "phone_key"), err);
	if (c->contact_id < 0)
		goto out;
	c->contact = c->contact_id ? "linked" : "created";
	if (c->contact_id && crm_entity_get(db, &crm_contact_entity,
					    c->contact_id, &tgt, err) <= 0)
		goto out;
	crm_rec_clear(&rec);
	{
		static const char *const carry[] = {
		    "first_name", "last_name", "email",	 "phone",
		    "company",	  "title",     "region", "country",
		    "source",	  "owner",     NULL};
		const struct crm_row *t = c->contact_id ? &tgt : NULL;
		char num[32];

		for (size_t i = 0; carry[i]; i++)
			fill(&rec, t, carry[i], crm_row_get(&lead, carry[i]));
		snprintf(num, sizeof(num), "%lld", (long long)c->company_id);
		if (c->company_id)
			fill(&rec, t, "company_id", num);
		fill_custom(&rec, t, &lead);
	}
	if (upsert(db, ci, &crm_contact_entity, &rec, &c->contact_id, &out,
		   err) < 0)
		goto out;
	/* the conversion is an activity of the lead, contact and company */
	snprintf(subject, sizeof(subject), "lead %lld converted",
		 (long long)lid);
	act.subject = subject;
	act.owner = crm_row_get(&lead, "owner");
	act.contact_id = c->contact_id;
	act.company_id = c->company_id;
	act.lead_id = lid;
	if (crm_activity_log(db, &act, &c->activity_id, err) < 0 ||
	    crm_db_audit(db, "activity", c->activity_id, "insert", NULL, NULL,
			 err) < 0)
		goto out;
	if (crm_stmt_run_as(
		crm_dbq(db, err,
			"UPDATE leads SET status = 'converted', "
			"converted_at = ?1, contact_id = ?2, company_id = "
			"?3, updated_at = ?1 WHERE id = ?4",
			"siIi", now_text(db, now), c->contact_id, c->company_id,
			lid),
		"cannot update lead", err) < 0 ||
	    crm_lead_history_add(db, lid, "status",
				 crm_row_get(&lead, "status"), "converted",
				 "convert", NULL, err) < 0)
		goto out;
	if (deal && convert_deal(db, deal, &lead, c, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0 && err->code != CRM_EX_NOINPUT) {
		crm_err_prefix(err, "lead %lld: %s%s", (long long)lid,
			       err->field, err->field[0] ? ": " : "");
		err->field[0] = '\0';
	}
	crm_row_release(&lead);
	crm_row_release(&tgt);
	crm_row_release(&out);
	crm_rec_release(&rec);
	crm_buf_release(&key);
	crm_buf_release(&domain);
	crm_buf_release(&ek);
	crm_buf_release(&pk);
	return rc;
}

int crm_lead_convert(struct crm_db *db, const int64_t *ids, size_t n,
		     const struct crm_deal_new *deal, bool dry_run,
		     int (*fn)(const struct crm_lead_conversion *c, void *arg),
		     void *arg, struct crm_err *err)
{
	struct crm_import_opts co = {.command = "convert", .keys = "id"};
	struct crm_import_opts po = {.command = "convert", .keys = "id"};
	struct crm_importer *ci = NULL, *pi = NULL;
	struct crm_lead_conversion *c = crm_xcalloc(n + 1, sizeof(*c));
	int rc = -1;

	if (crm_db_begin(db, err) < 0)
		goto out;
	if (crm_db_change(db, "convert", "lead", err) < 0)
		goto out;
	ci = crm_importer_new(db, &crm_contact_entity, &co, err);
	pi = ci ? crm_importer_new(db, &crm_company_entity, &po, err) : NULL;
	if (!pi)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (convert_one(db, ids[i], ci, pi, deal, &c[i], err) < 0)
			goto out;
	if (crm_entity_audit_close(db, err) < 0)
		goto out;
	/* the conversions go to fn before the commit: a caller that cannot
	 * write them out makes the conversion fail */
	for (size_t i = 0; fn && i < n; i++)
		if (fn(&c[i], arg) < 0)
			goto out;
	rc = crm_db_finish(db, dry_run, err);
out:
	if (rc < 0)
		crm_db_rollback(db);
	crm_importer_free(ci);
	crm_importer_free(pi);
	free(c);
	return rc;
}
