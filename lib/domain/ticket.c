/* ticket.c - the ticket entity and its SLA clock.
 *
 * Due times are never adjusted step by step: every write recomputes them
 * from the ticket's status history (pending and on_hold spans, and spans
 * between a solve and a reopen, do not count), its replies (activities)
 * and its policy, so a pause, a reopen and a priority change all follow
 * from one rule. Breach flags are only ever set: a target met late stays
 * breached. */
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "asset.h"
#include "dbq.h"
#include "normalize.h"
#include "share.h"
#include "ticket.h"
#include "tier.h"
#include "view.h"

static const char *const channels[] = {"email", "phone",  "web",
				       "chat",	"social", NULL};
static const char *const priorities[] = {"low", "normal", "high", "urgent",
					 NULL};
static const char *const statuses[] = {"new",	 "open",   "pending", "on_hold",
				       "solved", "closed", NULL};

/* Field positions in ticket_fields. */
enum {
	F_ID,
	F_EXTERNAL_ID,
	F_SUBJECT,
	F_DESCRIPTION,
	F_CONTACT,
	F_COMPANY,
	F_CHANNEL,
	F_PRIORITY,
	F_STATUS,
	F_ASSIGNEE,
	F_TEAM,
	F_TAGS,
	F_FIRST_RESPONSE,
	F_SOLVED,
	F_CLOSED,
	F_POLICY,
	F_DUE, /* + kind: first_reply_due, next_reply_due, resolution_due */
	F_BREACHED = F_DUE + CRM_SLA_NKINDS, /* + kind */
	F_AWAITING = F_BREACHED + CRM_SLA_NKINDS,
	F_LAST_ACTIVITY,
	F_CREATED,
	F_UPDATED,
};

static const struct crm_field ticket_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID_AS(
	"Record ID|Ticket ID|Case ID|Case Number|Ticket Number|"
	"工单编号"),
    {"subject", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Ticket Name|Title|Summary|Case Subject|主题|标题|工单标题"},
    {"description", CRM_T_TEXT, 0,
     .names = "Ticket Description|Case Description|Details|Body|"
	      "描述|问题描述|工单描述"},
    {"contact_id", CRM_T_REF, 0, NULL, "contact"},
    {"company_id", CRM_T_REF, 0, NULL, "company"},
    {"channel", CRM_T_ENUM, 0, channels,
     .names = "Source|Origin|Case Origin|Ticket Source|渠道|来源"},
    {"priority", CRM_T_ENUM, CRM_FF_BRIEF, priorities,
     .names = "Ticket Priority|Case Priority|优先级"},
    {"status", CRM_T_ENUM, CRM_FF_BRIEF, statuses,
     .names = "Ticket Status|Case Status|状态|工单状态"},
    {"assignee", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Owner|Ticket Owner|Case Owner|Assigned To|Agent|"
	      "负责人|处理人"},
    {"team", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Group|Queue|Team Name|团队|处理组"},
    {"tags", CRM_T_TAGS, 0, .names = CRM_ALIASES_TAGS},
    {"first_response_at", CRM_T_TIME, 0},
    {"solved_at", CRM_T_TIME, 0,
     .names = "Resolved|Resolved Date|Solved Date|解决时间"},
    {"closed_at", CRM_T_TIME, 0,
     .names = "Close Date|Closed Date|Date/Time Closed|Closed Time|"
	      "关闭时间"},
    {"sla_policy", CRM_T_TEXT, CRM_FF_READONLY},
    {"first_reply_due", CRM_T_TIME, CRM_FF_READONLY},
    {"next_reply_due", CRM_T_TIME, CRM_FF_READONLY},
    {"resolution_due", CRM_T_TIME, CRM_FF_READONLY | CRM_FF_BRIEF},
    {"first_reply_breached", CRM_T_BOOL, CRM_FF_READONLY},
    {"next_reply_breached", CRM_T_BOOL, CRM_FF_READONLY},
    {"resolution_breached", CRM_T_BOOL, CRM_FF_READONLY},
    {"awaiting_since", CRM_T_TIME, CRM_FF_READONLY},
    CRM_FIELD_LAST_ACTIVITY_AT,
    {"created_at", CRM_T_TIME, CRM_FF_SYSTEM,
     .names = "Created Date|Create Date|Created|Created Time|"
	      "Date Created|Created On|Date/Time Opened|Opened|"
	      "创建时间|创建日期"},
    {"updated_at", CRM_T_TIME, CRM_FF_SYSTEM, .names = CRM_ALIASES_UPDATED_AT},
};

/* -- the policy file ---------------------------------------------------- */

static struct {
	const char *path; /* NULL: the default */
	struct crm_sla sla;
	bool loaded;
} pol;

void crm_ticket_use_policies(const char *path)
{
	crm_ticket_policies_release();
	pol.path = path;
}

const struct crm_sla *crm_ticket_policies(struct crm_err *err)
{
	char *def;
	int rc;

	if (pol.loaded)
		return &pol.sla;
	def = pol.path ? NULL : crm_share_path("sla.json");
	rc = crm_sla_load(pol.path ? pol.path : def, &pol.sla, err);
	free(def);
	if (rc < 0) {
		crm_sla_release(&pol.sla);
		return NULL;
	}
	pol.loaded = true;
	return &pol.sla;
}

void crm_ticket_policies_release(void)
{
	if (pol.loaded)
		crm_sla_release(&pol.sla);
	pol.loaded = false;
}

int crm_ticket_exists(struct crm_db *db, int64_t id, struct crm_err *err)
{
	int rc = crm_dbq_step(db, err, NULL,
			      "SELECT 1 FROM tickets WHERE id = ?", "i", id);

	if (rc == 0)
		return crm_err_set(err, CRM_EX_NOINPUT, "no ticket %lld",
				   (long long)id);
	return rc < 0 ? -1 : 0;
}

/* -- small helpers ------------------------------------------------------ */

static bool is_done(const char *status)
{
	return status &&
	       (!strcmp(status, "solved") || !strcmp(status, "closed"));
}

static crm_time when(const char *s)
{
	crm_time t;
	struct crm_err e;

	if (!s || crm_datetime_parse(s, &t, &e) < 0)
		return CRM_BIZ_NEVER;
	return t;
}

static void set_time(struct crm_row *row, int f, crm_time t)
{
	char buf[CRM_TIME_LEN];

	free(row->v[f]);
	row->v[f] = t == CRM_BIZ_NEVER
			? NULL
			: crm_xstrdup(crm_datetime_format(t, buf));
}

static void set_str(struct crm_row *row, int f, const char *s)
{
	free(row->v[f]);
	row->v[f] = s ? crm_xstrdup(s) : NULL;
}

/* One status change. */
struct step {
	crm_time at;
	char status[16];
};

struct timeline {
	struct step *v;
	size_t n, cap;
};

static void push_step(struct timeline *tl, crm_time at, const char *status)
{
	tl->v = crm_xgrow(tl->v, &tl->cap, tl->n + 1, sizeof(*tl->v));
	tl->v[tl->n].at = at;
	snprintf(tl->v[tl->n].status, sizeof(tl->v[tl->n].status), "%s",
		 status);
	tl->n++;
}

/* A new ticket's history: its status since it was created, or for one
 * imported as solved or closed, open until it was solved. */
static void first_steps(const struct crm_row *row, crm_time now,
			struct timeline *tl)
{
	crm_time c = when(row->v[F_CREATED]), s = when(row->v[F_SOLVED]);

	if (c == CRM_BIZ_NEVER)
		c = now;
	if (is_done(row->v[F_STATUS]) && s != CRM_BIZ_NEVER && s > c) {
		push_step(tl, c, "open");
		push_step(tl, s, row->v[F_STATUS]);
	} else {
		push_step(tl, c, row->v[F_STATUS]);
	}
}

/* History rows of a bulk import or an escalation on PostgreSQL (the
 * begin and end hooks): one statement per row was a round trip each.
 * Up to HIST_HELD rows wait, then go in one INSERT ... SELECT FROM
 * unnest of one array per column; each table's rows keep their order, so
 * their ids are those the rows would have got one at a time. They are
 * written before anything reads the history (load_steps) and at the
 * import's end. Each write of them ends an import's COPY of tickets, so
 * more rows wait than a multi-row VALUES statement held (HIST_ROWS, 128:
 * 782 COPY statements for 100,000 tickets, parsed anew each time). */
#define HIST_ROWS 128
#define HIST_HELD 1024

struct pending {
	const char *one;  /* "INSERT INTO t (ticket_id, ...) VALUES (?, ...)" */
	const char *head; /* "INSERT INTO t (ticket_id, ...) VALUES " */
	const char *row;  /* "(?, ...)" */
	const char *many; /* the same from unnest(ids, texts...): PostgreSQL */
	int ncols;	  /* text columns after ticket_id */
	char *kept; /* SQLite: HIST_ROWS rows' text, made once (cache key) */
	int64_t *id;
	char **v; /* ncols per row */
	size_t n, cap, vcap;
};

static struct {
	bool on;
	struct pending status, owner;
} hist = {
#define STATUS_INS                                                             \
	"INSERT INTO ticket_status_history (ticket_id, from_status, "          \
	"to_status, at, actor) "
#define OWNER_INS                                                              \
	"INSERT INTO ticket_assignee_history (ticket_id, from_assignee, "      \
	"to_assignee, from_team, to_team, at, actor) "
#define STATUS_ROW "(?, ?, ?, ?, ?)"
#define OWNER_ROW "(?, ?, ?, ?, ?, ?, ?)"
#define UNNEST "SELECT * FROM unnest(CAST(? AS BIGINT[])"
#define TEXTS ", CAST(? AS TEXT[])"
    .status = {STATUS_INS "VALUES " STATUS_ROW, STATUS_INS "VALUES ",
	       STATUS_ROW, STATUS_INS UNNEST TEXTS TEXTS TEXTS TEXTS ")", 4,
	       NULL},
    .owner = {OWNER_INS "VALUES " OWNER_ROW, OWNER_INS "VALUES ", OWNER_ROW,
	      OWNER_INS UNNEST TEXTS TEXTS TEXTS TEXTS TEXTS TEXTS ")", 6,
	      NULL},
#undef STATUS_INS
#undef OWNER_INS
#undef STATUS_ROW
#undef OWNER_ROW
#undef UNNEST
#undef TEXTS
};

static void pending_clear(struct pending *p)
{
	for (size_t i = 0; i < p->n * (size_t)p->ncols; i++)
		free(p->v[i]);
	p->n = 0;
}

static void pending_release(struct pending *p)
{
	pending_clear(p);
	free(p->id);
	free(p->v);
	p->id = NULL;
	p->v = NULL;
	p->cap = p->vcap = 0;
}

/* Rows written together (multi_rows_stmt): HIST_ROWS to a statement on
 * PostgreSQL, where each statement is a round trip; one at a time through
 * a cached statement on SQLite, where preparing the long statement costs
 * more than it saves (callgrind: 18.6k instructions a history row, 8k
 * one at a time). */
static size_t multi_rows(struct crm_db *db, size_t left)
{
	if (crm_store_engine(db->store) != CRM_STORE_PG)
		return 1;
	return left < HIST_ROWS ? left : HIST_ROWS;
}

/* The statement inserting n rows: one, a literal ending in its one row of
 * ncols parameters, with n - 1 more rows. Give it back with
 * multi_rows_done. */
static struct crm_stmt *multi_rows_stmt(struct crm_db *db, const char *one,
					int ncols, size_t n,
					struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_stmt *st;

	if (n == 1)
		return crm_db_stmt_cached(db, one, err);
	crm_buf_adds(&sql, one);
	for (size_t k = 1; k < n; k++) {
		crm_buf_adds(&sql, ", (?");
		for (int c = 1; c < ncols; c++)
			crm_buf_adds(&sql, ", ?");
		crm_buf_addc(&sql, ')');
	}
	/* not cached: the cache keys on the string's address */
	st = crm_db_stmt(db, sql.s, err);
	crm_buf_release(&sql);
	return st;
}

static void multi_rows_done(struct crm_stmt *st, size_t n)
{
	if (n == 1)
		crm_stmt_reset(st);
	else
		crm_stmt_finalize(st);
}

/* The PostgreSQL array literal of n texts v[0], v[stride], ... (NULL
 * elements allowed) into b. */
static void array_text(struct crm_buf *b, char *const *v, size_t n,
		       size_t stride)
{
	crm_buf_addc(b, '{');
	for (size_t i = 0; i < n; i++) {
		const char *x = v[i * stride];

		if (i)
			crm_buf_addc(b, ',');
		if (!x) {
			crm_buf_adds(b, "NULL");
			continue;
		}
		crm_buf_addc(b, '"');
		for (; *x; x++) {
			if (*x == '"' || *x == '\\')
				crm_buf_addc(b, '\\');
			crm_buf_addc(b, *x);
		}
		crm_buf_addc(b, '"');
	}
	crm_buf_addc(b, '}');
}

/* PostgreSQL: p's rows in one statement (p->many), a column an array. */
static int pending_unnest(struct crm_db *db, struct pending *p,
			  struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt_cached(db, p->many, err);
	struct crm_buf b = {0};
	int rc;

	if (!st)
		return -1;
	crm_buf_addc(&b, '{');
	for (size_t i = 0; i < p->n; i++)
		crm_buf_addf(&b, "%s%lld", i ? "," : "", (long long)p->id[i]);
	crm_buf_addc(&b, '}');
	crm_stmt_bind_text(st, 1, b.s);
	for (int c = 0; c < p->ncols; c++) {
		crm_buf_reset(&b);
		array_text(&b, p->v + c, p->n, (size_t)p->ncols);
		crm_stmt_bind_text(st, c + 2, b.s);
	}
	crm_buf_release(&b);
	rc = crm_stmt_step(st, err);
	crm_stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

/* Write p's rows. */
static int pending_flush(struct crm_db *db, struct pending *p,
			 struct crm_err *err)
{
	int rc = 0;

	if (p->n && crm_store_engine(db->store) == CRM_STORE_PG) {
		rc = pending_unnest(db, p, err);
		pending_clear(p);
		return rc;
	}
	/* SQLite: HIST_ROWS to a statement kept prepared (one step and one
	 * statement's end for them), the rest one at a time */
	for (size_t i = 0; rc == 0 && i < p->n;) {
		size_t n = p->n - i >= HIST_ROWS ? HIST_ROWS : 1;
		struct crm_stmt *st =
		    n == HIST_ROWS ? crm_db_rows_stmt(db, p->head, p->row, n,
						      HIST_ROWS, &p->kept, err)
				   : crm_db_stmt_cached(db, p->one, err);

		if (!st) {
			rc = -1;
			break;
		}
		for (size_t k = 0; k < n; k++, i++) {
			int b = (int)k * (p->ncols + 1);

			crm_stmt_bind_int(st, b + 1, p->id[i]);
			for (int c = 0; c < p->ncols; c++)
				crm_stmt_bind_text(
				    st, b + 2 + c,
				    p->v[i * (size_t)p->ncols + (size_t)c]);
		}
		rc = crm_stmt_step(st, err) < 0 ? -1 : 0;
		crm_stmt_reset(st); /* both kept in the cache */
	}
	pending_clear(p);
	return rc;
}

static int hist_flush(struct crm_db *db, struct crm_err *err)
{
	return pending_flush(db, &hist.status, err) < 0 ||
		       pending_flush(db, &hist.owner, err) < 0
		   ? -1
		   : 0;
}

/* Keep a history row of ticket id (vals: p->ncols texts, NULL allowed)
 * for the next flush, flushing when HIST_HELD are waiting. */
static int pending_add(struct crm_db *db, struct pending *p, int64_t id,
		       const char *const *vals, struct crm_err *err)
{
	size_t nv = (p->n + 1) * (size_t)p->ncols;

	p->id = crm_xgrow(p->id, &p->cap, p->n + 1, sizeof(*p->id));
	p->v = crm_xgrow(p->v, &p->vcap, nv, sizeof(*p->v));
	p->id[p->n] = id;
	for (int c = 0; c < p->ncols; c++)
		p->v[p->n * (size_t)p->ncols + (size_t)c] =
		    vals[c] ? crm_xstrdup(vals[c]) : NULL;
	p->n++;
	return p->n >= HIST_HELD ? pending_flush(db, p, err) : 0;
}

/* crm_dbq_each: one status change onto the timeline */
static int step_row(struct crm_stmt *st, void *arg)
{
	push_step(arg, when(crm_stmt_text(st, 0)), crm_stmt_text(st, 1));
	return 0;
}

/* Escalation: the status history and the agents' replies of a chunk of
 * tickets, read with one statement each before the chunk's levels apply
 * (the prepare hook's clock read them with two statements a ticket at
 * each update). A ticket given a status history row since is read again
 * one at a time; escalation's levels log no replies. */
struct pre_ticket {
	int64_t id;
	bool stale; /* a status history row written since */
	struct timeline tl;
	char *first_out, *last_out; /* agent replies: min and max occurred_at */
};

static struct {
	bool on;
	struct pre_ticket *v; /* sorted by id */
	size_t n, cap;
} pre;

static void pre_clear(void)
{
	for (size_t i = 0; i < pre.n; i++) {
		free(pre.v[i].tl.v);
		free(pre.v[i].first_out);
		free(pre.v[i].last_out);
	}
	pre.n = 0;
	pre.on = false;
}

static struct pre_ticket *pre_find(int64_t id)
{
	size_t lo = 0, hi = pre.on ? pre.n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pre.v[mid].id == id)
			return &pre.v[mid];
		if (pre.v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* crm_stmt_each: a status change of a preloaded ticket */
static int pre_step_row(struct crm_stmt *st, void *arg)
{
	struct pre_ticket *t = pre_find(crm_stmt_int(st, 0));

	(void)arg;
	if (t)
		push_step(&t->tl, when(crm_stmt_text(st, 1)),
			  crm_stmt_text(st, 2));
	return 0;
}

/* crm_stmt_each: the agent replies of a preloaded ticket */
static int pre_reply_row(struct crm_stmt *st, void *arg)
{
	struct pre_ticket *t = pre_find(crm_stmt_int(st, 0));

	(void)arg;
	if (t) {
		t->first_out = crm_stmt_dup(st, 1);
		t->last_out = crm_stmt_dup(st, 2);
	}
	return 0;
}

/* Each row of head, an IN list of ids[0..n), then tail, to fn. On SQLite
 * lite instead: the same query, its ids the JSON array ?1 (json_each),
 * cached: preparing a 256-id list each chunk was 5% of escalation's
 * instructions (callgrind, 20,000 tickets). */
static int ids_query(struct crm_db *db, const char *head, const char *tail,
		     const char *lite, const int64_t *ids, size_t n,
		     int (*fn)(struct crm_stmt *st, void *arg), void *arg,
		     struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_stmt *st;
	int rc;

	if (crm_store_engine(db->store) != CRM_STORE_PG) {
		crm_store_id_list(db->store, &sql, ids, n);
		st = crm_dbq(db, err, lite, "s", sql.s);
		rc = st ? crm_stmt_each(st, fn, arg, err) : -1;
		crm_buf_release(&sql);
		return rc < 0 ? -1 : 0;
	}
	crm_buf_adds(&sql, head);
	for (size_t i = 0; i < n; i++)
		crm_buf_adds(&sql, i ? ", ?" : "?");
	crm_buf_adds(&sql, tail);
	/* not cached: the cache keys on the string's address */
	st = crm_db_stmt(db, sql.s, err);
	crm_buf_release(&sql);
	if (!st)
		return -1;
	for (size_t i = 0; i < n; i++)
		crm_stmt_bind_int(st, (int)i + 1, ids[i]);
	rc = crm_stmt_each(st, fn, arg, err);
	crm_stmt_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Preload tickets ids[0..n). */
static int pre_load(struct crm_db *db, const int64_t *ids, size_t n,
		    struct crm_err *err)
{
	int64_t *sorted = crm_xcalloc(n ? n : 1, sizeof(*sorted));
	int rc;

	pre_clear();
	if (hist_flush(db, err) < 0) {
		free(sorted);
		return -1;
	}
	memcpy(sorted, ids, n * sizeof(*ids));
	qsort(sorted, n, sizeof(*sorted), crm_i64_cmp);
	pre.v = crm_xgrow(pre.v, &pre.cap, n ? n : 1, sizeof(*pre.v));
	for (size_t i = 0; i < n; i++)
		if (!pre.n || pre.v[pre.n - 1].id != sorted[i])
			pre.v[pre.n++] = (struct pre_ticket){.id = sorted[i]};
	pre.on = true;
	free(sorted);
	rc = ids_query(db,
		       "SELECT ticket_id, at, to_status FROM "
		       "ticket_status_history WHERE ticket_id IN (",
		       ") ORDER BY ticket_id, at, id",
		       "SELECT ticket_id, at, to_status FROM "
		       "ticket_status_history WHERE " CRM_SQL_IN_IDS_LITE(
			   "ticket_id", "?1") " ORDER BY ticket_id, at, id",
		       ids, n, pre_step_row, NULL, err);
	if (rc == 0)
		rc = ids_query(db,
			       "SELECT ticket_id, min(occurred_at), "
			       "max(occurred_at) FROM activities WHERE "
			       "ticket_id IN (",
			       ") AND type = 'reply' AND direction = 'out' "
			       "GROUP BY ticket_id",
			       "SELECT ticket_id, min(occurred_at), "
			       "max(occurred_at) FROM activities "
			       "WHERE " CRM_SQL_IN_IDS_LITE(
				   "ticket_id",
				   "?1") " AND type = 'reply' AND direction = "
					 "'out' GROUP BY ticket_id",
			       ids, n, pre_reply_row, NULL, err);
	if (rc < 0)
		pre_clear();
	return rc;
}

static int load_steps(struct crm_db *db, int64_t id, struct timeline *tl,
		      struct crm_err *err)
{
	const struct pre_ticket *t = pre_find(id);

	if (t && !t->stale) {
		for (size_t i = 0; i < t->tl.n; i++)
			push_step(tl, t->tl.v[i].at, t->tl.v[i].status);
		return 0;
	}
	if (hist_flush(db, err) < 0)
		return -1;
	return crm_dbq_each(db, err, step_row, tl,
			    "SELECT at, to_status FROM ticket_status_history "
			    "WHERE ticket_id = ? ORDER BY at, id",
			    "i", id);
}

/* A history row into p: kept for later when keep (a new ticket of a bulk
 * import: only the insert's last hook, so a row a --reject savepoint
 * undoes never left one waiting), else written now after those waiting. */
static int history_row(struct crm_db *db, struct pending *p, int64_t id,
		       const char *const *v, bool keep, struct crm_err *err)
{
	struct crm_stmt *st;
	int rc;

	if (keep && hist.on)
		return pending_add(db, p, id, v, err);
	if (hist_flush(db, err) < 0 ||
	    !(st = crm_dbq(db, err, p->one, "i", id)))
		return -1;
	for (int c = 0; c < p->ncols; c++)
		crm_stmt_bind_text(st, c + 2, v[c]);
	rc = crm_stmt_step(st, err);
	crm_stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

static int add_history(struct crm_db *db, int64_t id, const char *from,
		       const char *to, const char *at, bool keep,
		       struct crm_err *err)
{
	const char *v[] = {from, to, at, db->actor};
	struct pre_ticket *t = pre_find(id);

	if (t)
		t->stale = true;
	return history_row(db, &hist.status, id, v, keep, err);
}

static int add_owner_history(struct crm_db *db, int64_t id,
			     const struct crm_row *old,
			     const struct crm_row *row, const char *at,
			     bool keep, struct crm_err *err)
{
	const char *v[] = {old ? old->v[F_ASSIGNEE] : NULL,
			   row->v[F_ASSIGNEE],
			   old ? old->v[F_TEAM] : NULL,
			   row->v[F_TEAM],
			   at,
			   db->actor};

	return history_row(db, &hist.owner, id, v, keep, err);
}

/* Spans the clock stands still: pausing statuses, and a solve that was
 * later reopened. The current solve is not a pause: the clock has
 * stopped because the target was met. */
static struct crm_span *pauses(const struct crm_sla *s,
			       const struct timeline *tl, size_t *n)
{
	struct crm_span *p = crm_xcalloc(tl->n + 1, sizeof(*p));

	*n = 0;
	for (size_t i = 0; i < tl->n; i++) {
		bool last = i + 1 == tl->n;
		crm_time to = last ? CRM_BIZ_NEVER : tl->v[i + 1].at;

		if (!crm_sla_pauses(s, tl->v[i].status) &&
		    !(is_done(tl->v[i].status) && !last))
			continue;
		if (to <= tl->v[i].at)
			continue;
		if (*n && p[*n - 1].to >= tl->v[i].at) {
			p[*n - 1].to = to; /* touching spans merge */
			continue;
		}
		p[(*n)++] = (struct crm_span){tl->v[i].at, to};
	}
	return p;
}

/* Replies so far: the first and last by an agent, and the first customer
 * message after the last agent reply (the next-reply clock's start). */
static int replies(struct crm_db *db, int64_t id, const char *answered,
		   crm_time *first_out, crm_time *awaiting, struct crm_err *err)
{
	const struct pre_ticket *t = pre_find(id);
	char last[CRM_TIME_LEN] = "", *in = NULL;
	int rc;

	*first_out = *awaiting = CRM_BIZ_NEVER;
	if (t) {
		*first_out = when(t->first_out);
		if (t->last_out)
			snprintf(last, sizeof(last), "%s", t->last_out);
	} else {
		struct crm_stmt *st =
		    crm_dbq(db, err,
			    "SELECT min(occurred_at), max(occurred_at) FROM "
			    "activities WHERE ticket_id = ? AND type = "
			    "'reply' AND direction = 'out'",
			    "i", id);

		if (!st)
			return -1;
		if ((rc = crm_stmt_step(st, err)) == 1) {
			*first_out = when(crm_stmt_text(st, 0));
			if (crm_stmt_text(st, 1))
				snprintf(last, sizeof(last), "%s",
					 crm_stmt_text(st, 1));
		}
		crm_stmt_reset(st);
		if (rc < 0)
			return -1;
	}
	if (answered && strcmp(answered, last) > 0)
		snprintf(last, sizeof(last), "%s", answered);
	if (!last[0])
		return 0; /* no first response yet: the first-reply clock */
	rc = crm_dbq_text(db, err, &in,
			  "SELECT min(occurred_at) FROM activities WHERE "
			  "ticket_id = ? AND type = 'reply' AND direction = "
			  "'in' AND occurred_at > ?",
			  "is", id, last);
	*awaiting = when(in);
	free(in);
	return rc < 0 ? -1 : 0;
}

static int company_key(struct crm_db *db, const char *id, struct crm_buf *out,
		       struct crm_err *err)
{
	char *name = NULL;
	int rc = crm_dbq_text(db, err, &name,
			      "SELECT name FROM companies WHERE id = ?", "i",
			      (int64_t)strtoll(id, NULL, 10));

	if (name)
		crm_norm_company(name, strlen(name), out);
	free(name);
	return rc < 0 ? -1 : 0;
}

/* The policy, due times and breach flags of row. */
static int clock(struct crm_db *db, const struct crm_sla *s,
		 struct crm_row *row, const struct crm_row *old,
		 struct crm_err *err)
{
	const struct crm_sla_policy *p = crm_sla_policy(s, row->v[F_POLICY]);
	struct timeline tl = {0};
	struct crm_span *ps = NULL;
	size_t np;
	crm_time created = when(row->v[F_CREATED]), first_out, awaiting;
	crm_time met[CRM_SLA_NKINDS], start[CRM_SLA_NKINDS];
	int rc = -1;

	if (!old || !p ||
	    !crm_str_same(old->v[F_PRIORITY], row->v[F_PRIORITY]) ||
	    !crm_str_same(old->v[F_CHANNEL], row->v[F_CHANNEL]) ||
	    !crm_str_same(old->v[F_COMPANY], row->v[F_COMPANY]) ||
	    !crm_str_same(old->v[F_TAGS], row->v[F_TAGS])) {
		struct crm_buf key = {0};

		if (row->v[F_COMPANY] && crm_sla_uses_company(s) &&
		    company_key(db, row->v[F_COMPANY], &key, err) < 0) {
			crm_buf_release(&key);
			return -1;
		}
		char tier[64] = "";

		if (row->v[F_COMPANY] && crm_sla_uses_tier(s) &&
		    crm_tier_of(db, strtoll(row->v[F_COMPANY], NULL, 10), tier,
				err) < 0) {
			crm_buf_release(&key);
			return -1;
		}
		p = crm_sla_match_tier(s, row->v[F_PRIORITY], row->v[F_CHANNEL],
				       row->v[F_COMPANY],
				       key.len ? key.s : NULL, row->v[F_TAGS],
				       *tier ? tier : NULL);
		crm_buf_release(&key);
		set_str(row, F_POLICY, p ? p->name : NULL);
	}
	if (created == CRM_BIZ_NEVER)
		created = db->now;
	if (old) {
		if (load_steps(db, crm_row_id(row), &tl, err) < 0 ||
		    replies(db, crm_row_id(row), row->v[F_FIRST_RESPONSE],
			    &first_out, &awaiting, err) < 0)
			goto out;
		if (!row->v[F_FIRST_RESPONSE] && first_out != CRM_BIZ_NEVER)
			set_time(row, F_FIRST_RESPONSE, first_out);
	} else {
		first_steps(row, db->now, &tl);
		awaiting = CRM_BIZ_NEVER;
	}
	set_time(row, F_AWAITING, awaiting);
	ps = pauses(s, &tl, &np);
	start[CRM_SLA_FIRST_REPLY] = start[CRM_SLA_RESOLUTION] = created;
	start[CRM_SLA_NEXT_REPLY] = awaiting;
	met[CRM_SLA_RESOLUTION] =
	    is_done(row->v[F_STATUS]) ? when(row->v[F_SOLVED]) : CRM_BIZ_NEVER;
	met[CRM_SLA_FIRST_REPLY] = row->v[F_FIRST_RESPONSE]
				       ? when(row->v[F_FIRST_RESPONSE])
				       : met[CRM_SLA_RESOLUTION];
	/* next reply: met when an agent answers (awaiting clears), or by a
	 * solve */
	met[CRM_SLA_NEXT_REPLY] = met[CRM_SLA_RESOLUTION];
	for (int k = 0; k < CRM_SLA_NKINDS; k++) {
		size_t nk = 0;
		crm_time due;

		/* pauses after a target was met do not move its due time */
		while (nk < np && ps[nk].from < met[k])
			nk++;
		due = p && start[k] != CRM_BIZ_NEVER
			  ? crm_sla_due(s, &p->target[k], start[k], ps, nk)
			  : CRM_BIZ_NEVER;
		crm_time old_due =
		    old ? when(old->v[F_DUE + k]) : CRM_BIZ_NEVER;
		bool b = row->v[F_BREACHED + k] &&
			 !strcmp(row->v[F_BREACHED + k], "1");

		if (due != CRM_BIZ_NEVER)
			b |= (met[k] != CRM_BIZ_NEVER ? met[k] : db->now) > due;
		/* an agent answered the customer just now, after the due
		 * time */
		if (k == CRM_SLA_NEXT_REPLY && old_due != CRM_BIZ_NEVER &&
		    start[k] == CRM_BIZ_NEVER)
			b |= db->now > old_due;
		set_time(row, F_DUE + k, due);
		set_str(row, F_BREACHED + k, b ? "1" : "0");
	}
	rc = 0;
out:
	free(tl.v);
	free(ps);
	return rc;
}

/* The asset a new ticket names ("asset" on input: an id, serial or
 * external id), resolved by ticket_prepare and linked by ticket_written
 * once the ticket has its id; -1: none given. One importer writes one
 * record at a time, prepare then written, so one slot is enough. */
static int64_t pending_asset = -1;

/* The "asset" input column, taken from the row: resolved (an unknown one
 * is CRM_EX_DATAERR on field asset), and linked now for an existing
 * ticket or by ticket_written for a new one. (An empty value never gets
 * here: the engine drops a custom column set to nothing.) */
static int ticket_asset(struct crm_db *db, struct crm_row *row,
			const struct crm_row *old, struct crm_err *err)
{
	json_t *j = json_object_get(row->custom, "asset");
	char v[512];
	int64_t id = 0;

	pending_asset = -1;
	if (!j)
		return 0;
	if (json_is_integer(j))
		snprintf(v, sizeof(v), "%lld",
			 (long long)json_integer_value(j));
	else
		snprintf(v, sizeof(v), "%s",
			 json_is_string(j) ? json_string_value(j) : "");
	json_object_del(row->custom, "asset");
	if (*v && crm_asset_resolve(db, v, &id, err) < 0) {
		err->code = CRM_EX_DATAERR;
		snprintf(err->field, sizeof(err->field), "asset");
		return -1;
	}
	if (old)
		return crm_asset_link_id(db, crm_row_id(row), id, err);
	pending_asset = id;
	return 0;
}

static int ticket_prepare(struct crm_db *db, const struct crm_entity *e,
			  struct crm_row *row, const struct crm_row *old,
			  void *arg, struct crm_err *err)
{
	const struct crm_sla *s = crm_ticket_policies(err);
	char now[CRM_TIME_LEN];
	const char *ost = old ? old->v[F_STATUS] : NULL;

	(void)e;
	(void)arg;
	if (!s)
		return -1;
	crm_datetime_format(db->now, now);
	if (crm_activity_resolve_links(db, row, old, err) < 0 ||
	    ticket_asset(db, row, old, err) < 0)
		return -1;
	if (!row->v[F_STATUS])
		set_str(row, F_STATUS, ost ? ost : "new");
	if (!row->v[F_PRIORITY])
		set_str(row, F_PRIORITY,
			old && old->v[F_PRIORITY] ? old->v[F_PRIORITY]
						  : "normal");
	/* an assigned new ticket is open */
	if (!strcmp(row->v[F_STATUS], "new") && row->v[F_ASSIGNEE] &&
	    !row->touched[F_STATUS])
		set_str(row, F_STATUS, "open");
	if (is_done(row->v[F_STATUS]) && !row->v[F_SOLVED])
		set_str(row, F_SOLVED, now);
	if (!strcmp(row->v[F_STATUS], "closed") && !row->v[F_CLOSED])
		set_str(row, F_CLOSED, now);
	if (strcmp(row->v[F_STATUS], "closed") && row->v[F_CLOSED] &&
	    (!old || !row->touched[F_CLOSED]))
		set_str(row, F_CLOSED, NULL);
	if (!is_done(row->v[F_STATUS]) && is_done(ost)) {
		set_str(row, F_SOLVED, NULL); /* reopened */
		set_str(row, F_CLOSED, NULL);
	}
	/* escalation on PostgreSQL (pre.on, hist.on) keeps them for a
	 * multi-row statement too */
	if (old && !crm_str_same(ost, row->v[F_STATUS]) &&
	    add_history(db, crm_row_id(row), ost, row->v[F_STATUS], now, pre.on,
			err) < 0)
		return -1;
	if (old &&
	    (!crm_str_same(old->v[F_ASSIGNEE], row->v[F_ASSIGNEE]) ||
	     !crm_str_same(old->v[F_TEAM], row->v[F_TEAM])) &&
	    add_owner_history(db, crm_row_id(row), old, row, now, pre.on, err) <
		0)
		return -1;
	/* a ticket loaded with its policy (an export) keeps its clock */
	if (!old && row->v[F_POLICY])
		return 0;
	return clock(db, s, row, old, err);
}

static int ticket_written(struct crm_db *db, const struct crm_entity *e,
			  const struct crm_row *row, bool inserted, void *arg,
			  struct crm_err *err)
{
	struct timeline tl = {0};
	char at[CRM_TIME_LEN];
	int rc = 0;

	(void)e;
	(void)arg;
	if (!inserted)
		return 0;
	if (pending_asset > 0)
		rc = crm_asset_link_id(db, crm_row_id(row), pending_asset, err);
	pending_asset = -1;
	if (rc < 0)
		return -1;
	first_steps(row, db->now, &tl);
	for (size_t i = 0; rc == 0 && i < tl.n; i++)
		rc =
		    add_history(db, crm_row_id(row),
				i ? tl.v[i - 1].status : NULL, tl.v[i].status,
				crm_datetime_format(tl.v[i].at, at), true, err);
	if (rc == 0 && (row->v[F_ASSIGNEE] || row->v[F_TEAM]))
		rc = add_owner_history(db, crm_row_id(row), NULL, row,
				       row->v[F_CREATED], true, err);
	free(tl.v);
	return rc;
}

/* A bulk import on PostgreSQL keeps the history rows for one statement
 * per HIST_HELD; they are written at its end (ok) or dropped (it rolls
 * back). */
static int ticket_begin(struct crm_db *db, const struct crm_entity *e,
			struct crm_err *err)
{
	(void)e;
	(void)err;
	(void)db;
	hist.on = true;
	return 0;
}

static int ticket_end(struct crm_db *db, const struct crm_entity *e, bool ok,
		      struct crm_err *err)
{
	int rc = ok ? hist_flush(db, err) : 0;

	(void)e;
	hist.on = false;
	pending_release(&hist.status);
	pending_release(&hist.owner);
	return rc;
}

/* Input columns the hooks read that are no field. */
static const char *const ticket_inputs[] = {
    "contact", "contact_email", "email", "contact_external_id",
    "company", "asset",		NULL};

/* Other names of the input columns on import (lib/entity/import_map.h). */
static const struct crm_alias ticket_aliases[] = {
    {"contact_email", "Email|E-mail|Requester Email|Web Email|Contact Email|"
		      "Email Address|邮箱|联系人邮箱"},
    {"company", CRM_ALIASES_COMPANY},
    {0},
};

const struct crm_entity crm_ticket_entity = {
    .name = "ticket",
    .plural = "tickets",
    .table = "tickets",
    CRM_FIELDS(ticket_fields),
    .keys = "id,external_id",
    .prepare = ticket_prepare,
    .written = ticket_written,
    .begin = ticket_begin,
    .end = ticket_end,
    .inputs = ticket_inputs,
    .aliases = ticket_aliases,
    /* its hooks read tickets by id only (asset links, history rows) */
    .defer_indexes = true,
};

/* -- assignment ---------------------------------------------------------- */

/* Tickets whose clock runs, per agent of team t (same order). One agent
 * at a time through the assignee index: counting every assignee's tickets
 * made each pick cost a scan of all assigned tickets. */
struct count_ctx {
	const struct crm_sla *s;
	int64_t *n;
};

/* crm_dbq_each: count a ticket whose clock runs */
static int count_row(struct crm_stmt *st, void *arg)
{
	struct count_ctx *x = arg;
	const char *status = crm_stmt_text(st, 0);

	if (!is_done(status) && !crm_sla_pauses(x->s, status))
		(*x->n)++;
	return 0;
}

static int running_counts(struct crm_db *db, const struct crm_sla *s,
			  const struct crm_sla_team *t, int64_t *count,
			  struct crm_err *err)
{
	memset(count, 0, t->agents.n * sizeof(*count));
	for (size_t a = 0; a < t->agents.n; a++) {
		struct count_ctx x = {s, &count[a]};

		/* an agent named twice counts once, as before */
		if (crm_strv_find(&t->agents, t->agents.v[a]) != (long)a)
			continue;
		/* counted here: a GROUP BY made a temporary b-tree per agent */
		if (crm_dbq_each(
			db, err, count_row, &x,
			"SELECT status FROM tickets WHERE assignee = ?", "s",
			t->agents.v[a]) < 0)
			return -1;
	}
	return 0;
}

/* Running-ticket counts of agents kept for one run of many picks
 * (escalation): each agent is counted once, when first asked for, and
 * then kept true by agents_note on every ticket write of the run, where
 * counting again per pick was a scan of the agent's tickets each time. */
struct agents {
	struct crm_strv name;
	int64_t *count;
	size_t cap;
	/* the run's importer, whose held UPDATEs (update_later) are written
	 * before an agent is counted, or NULL */
	struct crm_importer *im;
};

/* Counts of team t's agents into count, from the kept ones where known. */
static int kept_counts(struct crm_db *db, const struct crm_sla *s,
		       const struct crm_sla_team *t, struct agents *ag,
		       int64_t *count, struct crm_err *err)
{
	for (size_t a = 0; a < t->agents.n; a++) {
		long k = crm_strv_find(&ag->name, t->agents.v[a]);

		/* an agent named twice counts once, as running_counts does */
		if (crm_strv_find(&t->agents, t->agents.v[a]) != (long)a) {
			count[a] = 0;
			continue;
		}
		if (k < 0) {
			struct crm_sla_team one = {
			    .agents = {&t->agents.v[a], 1, 1}};

			if (ag->im && crm_importer_flush(ag->im, err) < 0)
				return -1;
			k = (long)ag->name.n;
			ag->count =
			    crm_xgrow(ag->count, &ag->cap, ag->name.n + 1,
				      sizeof(*ag->count));
			if (running_counts(db, s, &one, &ag->count[k], err) < 0)
				return -1;
			crm_strv_push(&ag->name, t->agents.v[a]);
		}
		count[a] = ag->count[k];
	}
	return 0;
}

static bool running(const struct crm_sla *s, const char *status)
{
	return status && !is_done(status) && !crm_sla_pauses(s, status);
}

/* A ticket went from (assignee a, status st) to (b, su): the kept counts
 * follow. */
static void agents_note(struct agents *ag, const struct crm_sla *s,
			const char *a, const char *st, const char *b,
			const char *su)
{
	long k;

	if (!ag || (crm_str_same(a, b) && running(s, st) == running(s, su)))
		return;
	if (a && running(s, st) && (k = crm_strv_find(&ag->name, a)) >= 0)
		ag->count[k]--;
	if (b && running(s, su) && (k = crm_strv_find(&ag->name, b)) >= 0)
		ag->count[k]++;
}

static void agents_release(struct agents *ag)
{
	crm_strv_release(&ag->name);
	free(ag->count);
}

/* The next agent of team t by its strategy under its cap: index, -1 for
 * none, -2 on error. Called inside a write transaction: the store's begin
 * admits one writer at a time on either engine, so the counts and the
 * last assignee read here are still true when the choice is written.
 * ag (may be NULL) keeps the counts for a run of picks. */
static long pick_agent(struct crm_db *db, const struct crm_sla *s,
		       const struct crm_sla_team *t, struct agents *ag,
		       struct crm_err *err)
{
	int64_t *count = crm_xcalloc(t->agents.n, sizeof(*count));
	long pick = -1, last = -1;
	char *prev = NULL;
	int rc;

	if ((ag ? kept_counts(db, s, t, ag, count, err)
		: running_counts(db, s, t, count, err)) < 0)
		goto fail;
	if (t->strategy == CRM_TEAM_FEWEST_OPEN) {
		for (size_t i = 0; i < t->agents.n; i++)
			if ((!t->cap || count[i] < t->cap) &&
			    (pick < 0 || count[i] < count[pick]))
				pick = (long)i;
		free(count);
		return pick;
	}
	rc = crm_dbq_text(
	    db, err, &prev,
	    "SELECT last_assignee FROM ticket_round_robin WHERE team = ?", "s",
	    t->name);
	if (rc > 0)
		last = crm_strv_find(&t->agents, prev);
	free(prev);
	if (rc < 0)
		goto fail;
	for (size_t k = 1; pick < 0 && k <= t->agents.n; k++) {
		size_t i = (size_t)(last + (long)k) % t->agents.n;
		if (!t->cap || count[i] < t->cap)
			pick = (long)i;
	}
	free(count);
	if (pick < 0)
		return -1;
	rc = crm_dbq_run(db, err,
			 "INSERT INTO ticket_round_robin (team, last_assignee) "
			 "VALUES (?1, ?2) ON CONFLICT (team) DO UPDATE SET "
			 "last_assignee = ?2",
			 "ss", t->name, t->agents.v[pick]);
	return rc < 0 ? -2 : pick;
fail:
	free(count);
	return -2;
}

/* Levels applied so far to a chunk of the tickets being escalated, read
 * with one statement per ESC_CHUNK tickets (was one per level looked at):
 * (ticket, policy, level), sorted by ticket; a level applied in this run
 * is added as it is recorded. */
#define ESC_CHUNK 256

struct applied_level {
	int64_t id;
	char *policy, *level;
	const char *target, *action; /* a level to write: its target and
					action names */
};

struct levels {
	struct applied_level *v;
	size_t n, cap;
};

static void levels_add(struct levels *lv, int64_t id, const char *policy,
		       const char *level)
{
	lv->v = crm_xgrow(lv->v, &lv->cap, lv->n + 1, sizeof(*lv->v));
	lv->v[lv->n++] = (struct applied_level){id, crm_xstrdup(policy),
						crm_xstrdup(level), NULL, NULL};
}

static void levels_clear(struct levels *lv)
{
	for (size_t i = 0; i < lv->n; i++) {
		free(lv->v[i].policy);
		free(lv->v[i].level);
	}
	lv->n = 0;
}

/* -- actions on tickets ---------------------------------------------------- */

struct actx {
	struct crm_db *db;
	const struct crm_sla *s;
	struct crm_importer *im;
	struct crm_rec set;
	struct crm_row row; /* the ticket: as read, then as written */
	struct agents *ag;  /* kept agent counts (escalation), or NULL */
	/* escalation: levels applied to the chunk before, to the ticket in
	 * this run, and not yet written (levels_flush); whether this run
	 * wrote the ticket through apply */
	struct levels done, run, pend;
	bool written;
	/* escalation: x->row is the ticket as stored, read in this write
	 * transaction and kept so (touch), so an activity does not look the
	 * ticket up again nor touch it for nothing */
	bool held;
	/* escalation: the tickets of a chunk, read with one statement
	 * before the chunk's levels apply (was one read a ticket: a round
	 * trip each on PostgreSQL). A ticket's levels write only that
	 * ticket, so each row is still what a read would give when its turn
	 * comes; a ticket takes its row once, and one not there (or taken)
	 * is read as before. PostgreSQL only (hist.on): on SQLite a read by
	 * id costs less than the chunk's rows (callgrind, 5,000 tickets: +3%
	 * with the chunk). */
	struct crm_rowset tickets;
	/* escalation: the activities, the tickets' touches
	 * (last_activity_at, ids) and the undo rows (the importer's
	 * audit_later) wait for a few multi-row statements a chunk (were one
	 * statement each: the server's work, where the hand-written SQL makes
	 * a few set-based ones); on PostgreSQL the UPDATEs too
	 * (update_later). SQLite: each kept statement stays prepared, so a
	 * row costs its insert, not a statement's step and halt (callgrind,
	 * 20,000 tickets: an activity 22k instructions one at a time) */
	bool batch;
	bool changed; /* batch: apply ran in this run */
	struct crm_activity_batch acts;
	int64_t *touched;
	size_t ntouched, tcap;
};

/* Write set (plus the id) onto ticket id, x->row then as written.
 * Returns 1 changed, 0 not, -1. */
static int apply(struct actx *x, int64_t id, struct crm_err *err)
{
	enum crm_import_action a;
	char num[32], *was = NULL, *st = NULL;
	int rc = -1;

	snprintf(num, sizeof(num), "%lld", (long long)id);
	crm_rec_set(&x->set, "id", num, CRM_STR);
	if (x->ag) {
		was = x->row.v[F_ASSIGNEE] ? crm_xstrdup(x->row.v[F_ASSIGNEE])
					   : NULL;
		st =
		    x->row.v[F_STATUS] ? crm_xstrdup(x->row.v[F_STATUS]) : NULL;
	}
	if (x->held)
		crm_importer_known(x->im, &x->row);
	/* the held activities before the run's first change (its
	 * crm_changes row), in the order one at a time wrote them: in a
	 * database without activities the order of sqlite_sequence's rows
	 * (.dump) depends on it */
	if (x->batch && !x->changed &&
	    crm_activity_flush(x->db, &x->acts, err) < 0)
		goto out;
	x->changed = true;
	if (crm_importer_apply(x->im, &x->set, &x->row, &a, err) < 0)
		goto out;
	crm_rec_clear(&x->set);
	x->written = true;
	agents_note(x->ag, x->s, was, st, x->row.v[F_ASSIGNEE],
		    x->row.v[F_STATUS]);
	rc = a == CRM_UPDATED;
out:
	free(was);
	free(st);
	return rc;
}

/* crm_activity_links[TICKET_LINK] is ticket_id */
enum { TICKET_LINK = 4 };

/* last_activity_at of the held ticket (x->row) brought to now, as
 * crm_activity_touch does, and in x->row too: no statement when it is
 * there already (the UPDATE would match no row). */
static int touch(struct actx *x, struct crm_err *err)
{
	const char *v = x->row.v[F_LAST_ACTIVITY];
	char now[CRM_TIME_LEN];

	crm_datetime_format(x->db->now, now);
	if (v && strcmp(v, now) >= 0)
		return 0;
	if (x->batch) {
		x->touched = crm_xgrow(x->touched, &x->tcap, x->ntouched + 1,
				       sizeof(*x->touched));
		x->touched[x->ntouched++] = crm_row_id(&x->row);
	} else if (crm_activity_touch(x->db, "ticket_id", crm_row_id(&x->row),
				      now, err) < 0) {
		return -1;
	}
	set_str(&x->row, F_LAST_ACTIVITY, now);
	return 0;
}

static int log_on(struct actx *x, const char *type, const char *direction,
		  const char *subject, const char *body, const char *owner,
		  int64_t *id, struct crm_err *err)
{
	struct crm_activity act = {
	    .type = type,
	    .direction = direction,
	    .subject = subject,
	    .body = body,
	    .owner = owner,
	    .channel = crm_row_get(&x->row, "channel"),
	    .ticket_id = crm_row_id(&x->row),
	};
	const char *c = x->row.v[F_CONTACT], *co = x->row.v[F_COMPANY];

	act.contact_id = c ? strtoll(c, NULL, 10) : 0;
	act.company_id = co ? strtoll(co, NULL, 10) : 0;
	if (x->held)
		act.known = act.untouched = 1u << TICKET_LINK;
	if ((x->batch && !id ? crm_activity_hold(x->db, &x->acts, &act, err)
			     : crm_activity_log(x->db, &act, id, err)) < 0)
		return -1;
	return x->held ? touch(x, err) : 0;
}

static int status_allowed(const struct crm_row *row, const char *to,
			  struct crm_err *err)
{
	const char *st = row->v[F_STATUS];
	long long id = (long long)crm_row_id(row);

	if (!strcmp(to, "open") && !is_done(st))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "ticket %lld is %s, not solved or closed",
				   id, st);
	if (strcmp(to, "open") && !strcmp(st, "closed") && strcmp(to, "closed"))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "ticket %lld is closed: reopen it first",
				   id);
	return 0;
}

static int act_one(struct actx *x, int64_t id,
		   const struct crm_ticket_action *a, uint64_t *left,
		   struct crm_err *err)
{
	const char *st;
	int rc;

	rc = crm_entity_get(x->db, &crm_ticket_entity, id, &x->row, err);
	if (rc == 0)
		return crm_err_set(err, CRM_EX_NOINPUT, "no ticket %lld",
				   (long long)id);
	if (rc < 0)
		return -1;
	st = x->row.v[F_STATUS];
	switch (a->op) {
	case CRM_TICKET_NOTE:
		return log_on(x, "note", NULL, NULL, a->body,
			      a->author ? a->author : x->db->actor, a->logged,
			      err) < 0
			   ? -1
			   : 1;
	case CRM_TICKET_REPLY:
		if (!strcmp(st, "closed"))
			return crm_err_set(err, CRM_EX_DATAERR,
					   "ticket %lld is closed",
					   (long long)id);
		if (log_on(x, "reply", a->customer ? "in" : "out", NULL,
			   a->body,
			   a->customer ? NULL
				       : (a->author ? a->author : x->db->actor),
			   a->logged, err) < 0)
			return -1;
		if (!a->customer && !strcmp(st, "new"))
			crm_rec_adds(&x->set, "status", "open");
		if (a->customer &&
		    (!strcmp(st, "pending") || !strcmp(st, "solved")))
			crm_rec_adds(&x->set, "status", "open");
		/* a canned response's fields: after the defaults, so its
		 * status wins */
		for (size_t i = 0; a->set && i < a->set->n; i++)
			crm_rec_set(&x->set, crm_rec_name(a->set, i),
				    crm_rec_val(a->set, i),
				    crm_rec_kind(a->set, i));
		return apply(x, id, err) < 0 ? -1 : 1;
	case CRM_TICKET_STATUS:
		if (status_allowed(&x->row, a->status, err) < 0)
			return -1;
		crm_rec_adds(&x->set, "status", a->status);
		return apply(x, id, err);
	case CRM_TICKET_ASSIGN:
		break;
	}
	if (a->route && a->route(&x->row, &x->set, a->route_arg, err) < 0)
		return -1;
	if (a->team)
		crm_rec_set(&x->set, "team", a->team, CRM_STR);
	if (a->autoassign) {
		const char *tn = crm_rec_get(&x->set, "team")
				     ? crm_rec_get(&x->set, "team")
				     : x->row.v[F_TEAM];
		const struct crm_sla_team *t =
		    tn ? crm_sla_team(x->s, tn) : NULL;
		long pick;

		/* routed to a team without rules: routed, not assigned */
		if (a->route && (!tn || !t))
			return apply(x, id, err);
		if (!tn)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "ticket %lld has no team (give "
					   "--team)",
					   (long long)id);
		if (!t)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "no team '%s' in %s", tn,
					   x->s->path);
		pick = pick_agent(x->db, x->s, t, x->ag, err);
		if (pick < -1)
			return -1;
		if (pick < 0) {
			if (left)
				(*left)++;
			crm_rec_clear(&x->set);
			return 0;
		}
		crm_rec_adds(&x->set, "assignee", t->agents.v[pick]);
	} else if (a->assignee) {
		crm_rec_adds(&x->set, "assignee", a->assignee);
	}
	return apply(x, id, err);
}

static int actx_open(struct actx *x, struct crm_db *db, const char *command,
		     bool batch, bool updates, struct crm_import_opts *o,
		     struct crm_err *err)
{
	*o = (struct crm_import_opts){.command = command,
				      .mode = CRM_UPDATE_ONLY,
				      .keys = "id",
				      .force = true,
				      .audit_later = batch,
				      .update_later = updates};
	x->db = db;
	x->batch = batch;
	crm_rec_init(&x->set);
	crm_row_init(&x->row, &crm_ticket_entity);
	x->s = crm_ticket_policies(err);
	if (!x->s)
		return -1;
	x->im = crm_importer_new(db, &crm_ticket_entity, o, err);
	return x->im ? 0 : -1;
}

static void actx_close(struct actx *x)
{
	levels_clear(&x->done);
	levels_clear(&x->run);
	levels_clear(&x->pend);
	free(x->done.v);
	free(x->run.v);
	free(x->pend.v);
	crm_rowset_release(&x->tickets);
	crm_activity_batch_release(&x->acts);
	free(x->touched);
	crm_importer_free(x->im);
	crm_rec_release(&x->set);
	crm_row_release(&x->row);
}

int crm_ticket_act_in(struct crm_db *db, const int64_t *ids, size_t n,
		      const struct crm_ticket_action *a, uint64_t *changed,
		      uint64_t *left, struct crm_err *err)
{
	static const char *const names[] = {"reply", "note", "status",
					    "assign"};
	struct crm_import_opts o;
	struct actx x = {0};
	int rc = -1;

	*changed = 0;
	if (left)
		*left = 0;
	if (actx_open(&x, db, names[a->op], false, false, &o, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		int r = act_one(&x, ids[i], a, left, err);

		if (r < 0)
			goto out;
		*changed += (uint64_t)r;
	}
	rc = 0;
out:
	actx_close(&x);
	return rc;
}

int crm_ticket_act(struct crm_db *db, const int64_t *ids, size_t n,
		   const struct crm_ticket_action *a, bool dry_run,
		   uint64_t *changed, uint64_t *left, struct crm_err *err)
{
	int rc = -1;

	if (crm_db_begin(db, err) < 0)
		return -1;
	if (crm_ticket_act_in(db, ids, n, a, changed, left, err) < 0)
		goto out;
	if (a->then && !dry_run && a->then(db, a->then_arg, err) < 0)
		goto out;
	rc = crm_db_finish(db, dry_run, err);
out:
	if (rc < 0)
		crm_db_rollback(db);
	return rc;
}

/* -- the SLA check and escalation ----------------------------------------- */

/* A breached target kept for escalation. */
struct hit {
	int64_t id;
	int kind;
	crm_time due;
};

struct scan {
	crm_time at;
	int64_t warn;
	bool keep; /* escalating: keep the breached targets */
	int (*fn)(const struct crm_sla_hit *h, void *arg);
	void *arg;
	uint64_t breached;
	struct hit *v;
	size_t n, cap;
	int64_t read, last; /* escalating: the page's tickets, the last id */
};

/* The due time of row's target k while it is unmet, else CRM_BIZ_NEVER. */
static crm_time unmet_due(const struct crm_row *row, int k)
{
	if (k == CRM_SLA_FIRST_REPLY && row->v[F_FIRST_RESPONSE])
		return CRM_BIZ_NEVER;
	return when(row->v[F_DUE + k]);
}

/* Report each target of row that is breached or at risk, as it comes:
 * memory stays flat however many tickets there are. */
static int scan_one(const struct crm_row *row, void *arg)
{
	struct scan *sc = arg;

	if (is_done(row->v[F_STATUS]))
		return 0;
	for (int k = 0; k < CRM_SLA_NKINDS; k++) {
		crm_time due = unmet_due(row, k);
		struct crm_sla_hit h = {row, k, due, false, 0};

		if (due == CRM_BIZ_NEVER)
			continue;
		if (due > sc->at && due - sc->at > sc->warn)
			continue;
		h.breached = sc->at > due;
		h.delta = h.breached ? sc->at - due : due - sc->at;
		sc->breached += h.breached;
		if (sc->fn(&h, sc->arg) < 0)
			return -1;
		if (!h.breached || !sc->keep)
			continue;
		sc->v = crm_xgrow(sc->v, &sc->cap, sc->n + 1, sizeof(*sc->v));
		sc->v[sc->n++] = (struct hit){crm_row_id(row), k, due};
	}
	return 0;
}

static int by_ticket(const void *a, const void *b)
{
	const struct applied_level *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* crm_stmt_each: one applied level into the levels */
static int level_row(struct crm_stmt *st, void *arg)
{
	levels_add(arg, crm_stmt_int(st, 0), crm_stmt_text(st, 1),
		   crm_stmt_text(st, 2));
	return 0;
}

/* The levels applied to the tickets ids[0..n) (n <= ESC_CHUNK) into lv. */
static int levels_load(struct crm_db *db, const int64_t *ids, size_t n,
		       struct levels *lv, struct crm_err *err)
{
	int rc;

	levels_clear(lv);
	rc =
	    ids_query(db,
		      "SELECT ticket_id, policy, level FROM "
		      "ticket_escalations WHERE ticket_id IN (",
		      ")",
		      "SELECT ticket_id, policy, level FROM ticket_escalations "
		      "WHERE " CRM_SQL_IN_IDS_LITE("ticket_id", "?1"),
		      ids, n, level_row, lv, err);
	if (lv->n) /* qsort wants an array, even of none */
		qsort(lv->v, lv->n, sizeof(*lv->v), by_ticket);
	return rc < 0 ? -1 : 0;
}

/* Whether level of policy was applied to ticket id: loaded by
 * levels_load into lv (sorted), or applied in this run (in run). */
static bool applied(const struct levels *lv, const struct levels *run,
		    int64_t id, const char *policy, const char *level)
{
	size_t lo = 0, hi = lv->n;

	for (size_t i = 0; i < run->n; i++)
		if (run->v[i].id == id && !strcmp(run->v[i].policy, policy) &&
		    !strcmp(run->v[i].level, level))
			return true;

	while (lo < hi) { /* the first row of id */
		size_t mid = lo + (hi - lo) / 2;

		if (lv->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < lv->n && lv->v[lo].id == id; lo++)
		if (!strcmp(lv->v[lo].policy, policy) &&
		    !strcmp(lv->v[lo].level, level))
			return true;
	return false;
}

#define ESC_INS                                                                \
	"INSERT INTO ticket_escalations (ticket_id, policy, level, target, "   \
	"action, applied_at) VALUES "
#define ESC_ROW "(?, ?, ?, ?, ?, ?)"

/* Write the levels recorded in pend into ticket_escalations, applied at
 * `at` (multi_rows to a statement: was one statement per level). On
 * SQLite HIST_ROWS to a statement kept prepared, and the rest only when
 * last (the run's end), one at a time: nothing in the run reads a level
 * of an earlier chunk's tickets (callgrind, 20,000 tickets: a level 5.8k
 * instructions one at a time). */
static int levels_flush(struct crm_db *db, struct levels *pend, crm_time at,
			bool last, struct crm_err *err)
{
	static char *whole; /* SQLite: the text of a full batch, made once */
	bool lite = crm_store_engine(db->store) != CRM_STORE_PG;
	char buf[CRM_TIME_LEN];
	size_t i = 0;

	crm_datetime_format(at, buf);
	while (i < pend->n) {
		size_t n = lite && pend->n - i >= HIST_ROWS
			       ? HIST_ROWS
			       : multi_rows(db, pend->n - i);
		struct crm_stmt *st;
		int rc;

		if (lite && n < HIST_ROWS && !last)
			break;
		st = n == HIST_ROWS && lite
			 ? crm_db_rows_stmt(db, ESC_INS, ESC_ROW, n, HIST_ROWS,
					    &whole, err)
			 : multi_rows_stmt(db, ESC_INS ESC_ROW, 6, n, err);
		if (!st)
			return -1;
		for (size_t k = 0; k < n; k++, i++) {
			const struct applied_level *l = &pend->v[i];
			int c = (int)k * 6;

			crm_stmt_bind_int(st, c + 1, l->id);
			crm_stmt_bind_text(st, c + 2, l->policy);
			crm_stmt_bind_text(st, c + 3, l->level);
			crm_stmt_bind_text(st, c + 4, l->target);
			crm_stmt_bind_text(st, c + 5, l->action);
			crm_stmt_bind_text(st, c + 6, buf);
		}
		rc = crm_stmt_step(st, err);
		if (n == HIST_ROWS && lite)
			crm_db_rows_done(st, n, HIST_ROWS);
		else
			multi_rows_done(st, n);
		if (rc < 0)
			return -1;
	}
	/* the rows written go, the rest stay in order */
	for (size_t k = 0; k < i; k++) {
		free(pend->v[k].policy);
		free(pend->v[k].level);
	}
	if (i && i < pend->n)
		memmove(pend->v, pend->v + i, (pend->n - i) * sizeof(*pend->v));
	pend->n -= i;
	return 0;
}

/* The texts of parts[0..] up to NULL, joined: an escalation's subject
 * and body, one a level (crm_xasprintf's vsnprintf was 2.8% of
 * escalation's instructions, callgrind, 20,000 tickets). */
static char *join(const char *const *parts)
{
	size_t n = 1, at = 0;
	char *s;

	for (size_t i = 0; parts[i]; i++)
		n += strlen(parts[i]);
	s = crm_xmalloc(n);
	for (size_t i = 0; parts[i]; i++) {
		size_t k = strlen(parts[i]);

		memcpy(s + at, parts[i], k);
		at += k;
	}
	s[at] = '\0';
	return s;
}

#define JOIN(...) join((const char *const[]){__VA_ARGS__, NULL})

/* Apply level l of policy to the ticket in x->row (breached target
 * kind). */
static int escalate(struct actx *x, const struct crm_sla_policy *policy,
		    const struct crm_sla_escalation *l, int kind, crm_time due,
		    struct crm_err *err)
{
	int64_t id = crm_row_id(&x->row);
	const struct crm_sla_team *t = crm_sla_team(x->s, x->row.v[F_TEAM]);
	char dbuf[CRM_TIME_LEN], *subject = NULL, *body;
	const char *owner = NULL;
	int rc;

	body = JOIN(l->name, " ", crm_sla_kind_names[kind], " was due ",
		    crm_datetime_format(due, dbuf));
	switch (l->action) {
	case CRM_ESC_NOTIFY:
		owner = !strcmp(l->to, "lead") ? (t && t->lead ? t->lead : NULL)
					       : l->to;
		subject =
		    JOIN("SLA ", crm_sla_kind_names[kind], " breached: notify ",
			 owner ? owner : "the team lead");
		break;
	case CRM_ESC_RAISE: {
		long p = 0;

		while (priorities[p] &&
		       strcmp(priorities[p], x->row.v[F_PRIORITY]))
			p++;
		if (priorities[p] && priorities[p + 1]) {
			subject = JOIN("SLA ", crm_sla_kind_names[kind],
				       " breached: priority ", priorities[p],
				       " -> ", priorities[p + 1]);
			crm_rec_adds(&x->set, "priority", priorities[p + 1]);
		} else {
			subject = JOIN("SLA ", crm_sla_kind_names[kind],
				       " breached: priority already ",
				       x->row.v[F_PRIORITY]);
		}
		break;
	}
	case CRM_ESC_REASSIGN: {
		const char *to = l->to;

		if (l->team) {
			const struct crm_sla_team *nt =
			    crm_sla_team(x->s, l->team);
			long pick = pick_agent(x->db, x->s, nt, x->ag, err);

			if (pick < -1) {
				free(body);
				return -1;
			}
			crm_rec_adds(&x->set, "team", l->team);
			to = pick >= 0 ? nt->agents.v[pick] : to;
		}
		crm_rec_adds(&x->set, "assignee", to ? to : "");
		subject =
		    JOIN("SLA ", crm_sla_kind_names[kind],
			 " breached: reassigned to ", to ? to : "nobody",
			 l->team ? " in team " : "", l->team ? l->team : "");
		owner = to;
		break;
	}
	}
	rc = log_on(x, "escalation", NULL, subject, body, owner, NULL, err);
	if (rc == 0 && x->set.n)
		rc = apply(x, id, err) < 0 ? -1 : 0;
	if (rc == 0) {
		levels_add(&x->run, id, policy->name, l->name);
		levels_add(&x->pend, id, policy->name, l->name);
		x->pend.v[x->pend.n - 1].target = crm_sla_kind_names[kind];
		x->pend.v[x->pend.n - 1].action =
		    crm_sla_action_names[l->action];
	}
	free(subject);
	free(body);
	return rc;
}

/* The next level of the ticket's policy that is due at `at` and not yet
 * applied: its index in p, with the breached target kind and its due time
 * (the first breached target the level covers). 0 found, 1 none. */
static int next_level(struct actx *x, const struct crm_sla_policy *p,
		      crm_time at, size_t *level, int *kind, crm_time *due)
{
	int64_t id = crm_row_id(&x->row);

	for (size_t i = 0; i < p->nesc; i++) {
		const struct crm_sla_escalation *l = &p->esc[i];

		for (int k = 0; k < CRM_SLA_NKINDS; k++) {
			crm_time d = unmet_due(&x->row, k);

			if (d == CRM_BIZ_NEVER || at <= d ||
			    (l->kind >= 0 && l->kind != k) || at < d + l->after)
				continue;
			if (applied(&x->done, &x->run, id, p->name, l->name))
				break;
			*level = i, *kind = k, *due = d;
			return 0;
		}
	}
	return 1;
}

/* Apply every level due at `at`, one at a time, on the ticket as the last
 * level left it (x->row: as read, then as apply wrote it; a notify writes
 * only an activity, which changes nothing a level looks at): a level that
 * moves it to another policy (a raised priority) lets that policy's due
 * levels apply in the same run, so a second run at the same time applies
 * nothing. Each (policy, level) applies once per ticket, so this ends. */
static int escalate_ticket(struct actx *x, int64_t id, crm_time at,
			   uint64_t *escalated, struct crm_err *err)
{
	struct crm_row *got = crm_rowset_take(&x->tickets, id);
	int r = 1;

	if (got)
		crm_row_copy(&x->row, got);
	else
		r = crm_entity_get(x->db, &crm_ticket_entity, id, &x->row, err);
	if (r <= 0)
		return r < 0
			   ? -1
			   : crm_err_set(err, CRM_EX_SOFTWARE,
					 "ticket %lld is gone", (long long)id);
	levels_clear(&x->run);
	x->written = false;
	for (;;) {
		const struct crm_sla_policy *p;
		size_t level;
		int kind;
		crm_time due;

		if (is_done(x->row.v[F_STATUS]))
			return 0;
		p = crm_sla_policy(x->s, x->row.v[F_POLICY]);
		if (!p || next_level(x, p, at, &level, &kind, &due)) {
			/* record the breach flags (the clock runs at now),
			 * unless a level's write here already did: the same
			 * clock at the same time sets the same flags */
			if (x->written)
				return 0;
			return apply(x, id, err) < 0 ? -1 : 0;
		}
		if (escalate(x, p, &p->esc[level], kind, due, err) < 0)
			return -1;
		(*escalated)++;
	}
}

/* Escalation: write what the chunk's levels held back (x->batch): its
 * activities, undo rows and, on PostgreSQL, UPDATEs (merged a ticket),
 * then the touches. The UPDATEs leave last_activity_at alone: the held
 * row had it already (touch). On SQLite, where nothing is held that a
 * later chunk reads (its reads: ticket_escalations, the tickets, their
 * status history and replies), a chunk's end writes the touches only and
 * the held activities and undo rows wait for full batches or the run's
 * end (last): a partial batch's statement is prepared for one use. */
#define TOUCH_SQL(in)                                                          \
	"UPDATE tickets SET last_activity_at = ?1 "                            \
	"WHERE " in("id", "?2") " AND (last_activity_at IS NULL OR "           \
				"last_activity_at < ?1)"

static int batch_flush(struct actx *x, bool last, struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	struct crm_buf ids = {0};
	int rc;

	if (!x->batch)
		return 0;
	if ((last || crm_store_engine(x->db->store) == CRM_STORE_PG) &&
	    (crm_activity_flush(x->db, &x->acts, err) < 0 ||
	     crm_importer_flush(x->im, err) < 0))
		return -1;
	if (!x->ntouched)
		return 0;
	crm_store_id_list(x->db->store, &ids, x->touched, x->ntouched);
	rc = crm_stmt_run_as(
	    crm_dbq(x->db, err,
		    crm_store_engine(x->db->store) == CRM_STORE_PG
			? TOUCH_SQL(CRM_SQL_IN_IDS_PG)
			: TOUCH_SQL(CRM_SQL_IN_IDS_LITE),
		    "ss", crm_datetime_format(x->db->now, now), ids.s),
	    "cannot update last_activity_at", err);
	crm_buf_release(&ids);
	x->ntouched = 0;
	return rc;
}

/* An escalation run: opened at its first breach (one change set for the
 * run), fed the breached targets a page of tickets at a time, finished
 * and closed once. */
struct escalation {
	struct crm_import_opts o; /* the importer's options: live as long */
	struct actx x;
	struct agents ag;
	bool open;
};

static int escalation_open(struct escalation *es, struct crm_db *db,
			   struct crm_err *err)
{
	/* PostgreSQL: the history rows of the run's updates wait, as those of
	 * a bulk import (written before the history is read and at the
	 * end), and so do its UPDATEs; on both engines its activities,
	 * touches and undo rows (x.batch) */
	hist.on = crm_store_engine(db->store) == CRM_STORE_PG;
	es->open = true;
	if (actx_open(&es->x, db, "sla --escalate", true, hist.on, &es->o,
		      err) < 0)
		return -1;
	es->x.ag = &es->ag;
	es->x.held = true;
	/* held UPDATEs must be written before an agent's tickets are
	 * counted */
	es->ag.im = hist.on ? es->x.im : NULL;
	/* PostgreSQL: every statement from here reads or writes a chunk's
	 * tickets by id (an agent's by assignee, a page by id), or inserts;
	 * the planner made the held UPDATEs' join (json_populate_recordset,
	 * 100 rows to it) a hash join over a scan of all tickets (20,000: a
	 * statement of 128 rows, each a primary key probe). For this
	 * transaction only, as lead assign does. Nor parallel workers: the
	 * activities the run inserts have no statistics yet, so the planner
	 * guessed ~80 a ticket for a chunk's replies (none) and started two
	 * workers for each chunk (20-120 ms a chunk at 1M tickets, a third
	 * of the run). */
	if (hist.on &&
	    (crm_db_exec(db, "SET LOCAL enable_seqscan = off", err) < 0 ||
	     crm_db_exec(db, "SET LOCAL max_parallel_workers_per_gather = 0",
			 err) < 0))
		return -1;
	return 0;
}

/* Applies the due levels of the breached targets sc->v[0..sc->n), a
 * chunk of tickets at a time. */
static int escalation_apply(struct escalation *es, struct crm_db *db,
			    const struct scan *sc, uint64_t *escalated,
			    struct crm_err *err)
{
	int64_t ids[ESC_CHUNK];
	size_t i = 0;

	while (i < sc->n) {
		size_t n = 0, end = i;

		/* the next chunk of tickets; a ticket's breached targets are
		 * next to each other */
		for (; end < sc->n && n < ESC_CHUNK; end++)
			if (!n || ids[n - 1] != sc->v[end].id)
				ids[n++] = sc->v[end].id;
		while (end < sc->n && sc->v[end].id == ids[n - 1])
			end++;
		if (levels_load(db, ids, n, &es->x.done, err) < 0 ||
		    pre_load(db, ids, n, err) < 0 ||
		    (hist.on && crm_rowset_load(db, &crm_ticket_entity, ids, n,
						&es->x.tickets, err) < 0))
			return -1;
		for (size_t k = 0; k < n; k++)
			if (escalate_ticket(&es->x, ids[k], sc->at, escalated,
					    err) < 0)
				return -1;
		if (batch_flush(&es->x, false, err) < 0 ||
		    levels_flush(db, &es->x.pend, db->now, false, err) < 0)
			return -1;
		i = end;
	}
	return 0;
}

static int escalation_finish(struct escalation *es, struct crm_db *db,
			     struct crm_err *err)
{
	if (!es->open)
		return 0;
	if (batch_flush(&es->x, true, err) < 0 ||
	    levels_flush(db, &es->x.pend, db->now, true, err) < 0)
		return -1;
	return hist_flush(db, err);
}

static void escalation_close(struct escalation *es)
{
	if (!es->open)
		return;
	hist.on = false;
	pending_release(&hist.status);
	pending_release(&hist.owner);
	pre_clear();
	free(pre.v);
	pre.v = NULL;
	pre.cap = 0;
	agents_release(&es->ag);
	actx_close(&es->x);
}

/* crm_entity_each: scan_one, counting the page's tickets and its last */
static int page_one(const struct crm_row *row, void *arg)
{
	struct scan *sc = arg;

	sc->read++;
	sc->last = crm_row_id(row);
	return scan_one(row, arg);
}

/* Escalating: q's tickets a page at a time by id (crm_db_page_rows: q's
 * conditions and id above the last page's), each page's breaches (24
 * bytes each) escalated before the next page is read, so a run's memory
 * stays flat however many tickets breach. A page's levels write only its
 * own tickets, so a later page reads what one read of them all would
 * have. */
static int escalate_pages(struct crm_db *db, const struct crm_query *q,
			  struct scan *sc, uint64_t *escalated,
			  struct crm_err *err)
{
	struct escalation es = {0};
	int64_t page = crm_db_page_rows(), left = q->limit;
	struct crm_strv w = {0};
	struct crm_query pq = *q;
	int rc = 0;

	if (q->where)
		for (size_t i = 0; i < q->where->n; i++)
			crm_strv_push(&w, q->where->v[i]);
	crm_strv_push(&w, "id>0");
	pq.where = &w;
	do {
		char *last = crm_xasprintf("id>%lld", (long long)sc->last);

		free(w.v[w.n - 1]);
		w.v[w.n - 1] = last;
		pq.limit = left >= 0 && left < page ? left : page;
		sc->n = sc->read = 0;
		rc = crm_entity_each(db, &crm_ticket_entity, &pq, page_one, sc,
				     err);
		if (rc == 0 && sc->n && !es.open)
			rc = escalation_open(&es, db, err);
		if (rc == 0 && sc->n)
			rc = escalation_apply(&es, db, sc, escalated, err);
		if (left >= 0)
			left -= sc->read;
	} while (rc == 0 && sc->read == pq.limit && left != 0);
	if (rc == 0)
		rc = escalation_finish(&es, db, err);
	escalation_close(&es);
	crm_strv_release(&w);
	return rc;
}

int crm_ticket_sla(struct crm_db *db, const struct crm_query *q, crm_time at,
		   int64_t warn, bool escalate_levels, bool dry_run,
		   int (*fn)(const struct crm_sla_hit *h, void *arg), void *arg,
		   uint64_t *breached, uint64_t *escalated, struct crm_err *err)
{
	struct scan sc = {.at = at,
			  .warn = warn,
			  .keep = escalate_levels,
			  .fn = fn,
			  .arg = arg};
	int rc = -1;

	*breached = *escalated = 0;
	if (!crm_ticket_policies(err))
		return -1;
	if (!escalate_levels) {
		rc = crm_entity_each(db, &crm_ticket_entity, q, scan_one, &sc,
				     err);
		*breached = sc.breached;
		return rc;
	}
	/* escalating: find the breaches inside the write transaction, so no
	 * other run escalates the same ones meanwhile */
	if (crm_db_begin(db, err) < 0)
		return -1;
	if (escalate_pages(db, q, &sc, escalated, err) == 0)
		rc = crm_db_finish(db, dry_run, err);
	if (rc < 0)
		crm_db_rollback(db);
	*breached = sc.breached;
	free(sc.v);
	return rc;
}

/* -- the thread ----------------------------------------------------------- */

static int push_json(const struct crm_row *row, void *arg)
{
	struct crm_rec rec;

	crm_rec_init(&rec);
	crm_row_to_rec(row, NULL, NULL, &rec);
	json_array_append_new(arg, crm_rec_to_json(&rec));
	crm_rec_release(&rec);
	return 0;
}

json_t *crm_ticket_thread(struct crm_db *db, int64_t id, struct crm_err *err)
{
	struct crm_strv w = {0};
	struct crm_query q = {.where = &w, .sort = "occurred_at", .limit = -1};
	json_t *a = json_array();
	char *c = crm_xasprintf("ticket_id=%lld", (long long)id);

	crm_strv_push(&w, c);
	free(c);
	if (crm_entity_each(db, &crm_activity_entity, &q, push_json, a, err) <
	    0) {
		json_decref(a);
		a = NULL;
	}
	crm_strv_release(&w);
	return a;
}

/* crm_dbq_each: one status change as a JSON object */
static int history_json(struct crm_stmt *st, void *arg)
{
	static const char *const k[] = {"from", "to", "at", "actor"};
	json_t *o = json_object();

	for (int i = 0; i < 4; i++) {
		const char *v = crm_stmt_text(st, i);
		json_object_set_new(o, k[i], v ? json_string(v) : json_null());
	}
	json_array_append_new(arg, o);
	return 0;
}

json_t *crm_ticket_history(struct crm_db *db, int64_t id, struct crm_err *err)
{
	json_t *a = json_array();

	if (crm_dbq_each(db, err, history_json, a,
			 "SELECT from_status, to_status, at, actor FROM "
			 "ticket_status_history WHERE ticket_id = ? ORDER BY "
			 "at, id",
			 "i", id) < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}
