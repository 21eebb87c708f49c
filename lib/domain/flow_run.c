/* flow_run.c - running flows: change events after the cursor, time
 * triggers, schedules and retries in one transaction, exactly once per
 * occurrence (the unique firing key flow, record, occurrence); then the
 * outbox of external actions, each claimed, run and recorded. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "approval.h"
#include "cycle.h"
#include "dbq.h"
#include "filter.h"
#include "flow.h"

/* the depth of the firing whose actions run now (crm_flow_emit reads it) */
static int current_depth = -1;

struct cached_importer {
	const struct crm_entity *e;
	bool create;
	bool later; /* its UPDATEs held (a batched firing's, struct batch) */
	struct crm_importer *im;
};

/* a condition's statement, prepared once per run (#25: preparing it per
 * record was most of a condition's cost), and its values: a flow's
 * conditions name fields of the entity (checked when the file is read),
 * whose SQL and values hold for the run (its now and actor) */
struct where_stmt {
	const struct crm_strv *where;
	const struct crm_entity *e;
	struct crm_stmt *st;
	struct crm_binds b;
};

struct run {
	struct crm_db *db;
	const struct crm_flows *fs;
	const struct crm_flow_run_opts *o;
	struct crm_flow_run_stats *st;
	struct cached_importer *imp;
	size_t nimp, capimp;
	struct crm_rec rec;
	struct where_stmt *ws;
	size_t nws, capws;
	bool strict; /* a failing action is an error (crm_flow_fire) */
	/* firings without a savepoint (SQLite, #25): a firing whose failed
	 * action wrote nothing has nothing to undo; one that wrote sets
	 * restart, and the run is rolled back and done again with a
	 * savepoint for each firing (see crm_flow_run) */
	bool fast, restart;
	/* lines handed to o->fn; the first skip are not handed again */
	uint64_t reported, skip;
	/* PostgreSQL without savepoints: a write sent in the pipeline fails
	 * at a later read, so a firing's line waits here until a read after
	 * its writes succeeded (lines_flush), and any failure restarts */
	bool hold;
	struct crm_rec *held;
	size_t nheld, capheld;
	/* ... and the records of an audit batch's rows ahead are read by
	 * several at a time while firings write nothing (record_get) */
	struct ahead {
		const struct crm_entity *e; /* the entity of ids */
		int64_t *ids;		    /* each row's record, in order */
		size_t n, at;		    /* rows; the one firing now */
		size_t end;		    /* rows [.., end) are in rs */
		int streak;		    /* reads in a row with no write */
		/* crm_store_changes at the last read, plus fire's own
		 * writes since (firing rows, not records) */
		int64_t mark;
		struct crm_rowset rs;
		/* the records of rows [at, end) written since they were
		 * read (a touch, an UPDATE held): read again, alone */
		int64_t *stale;
		size_t nstale, capstale;
		/* a time flow's candidates: cf's records with its where
		 * conditions' answers (cond_ahead), loaded as rs is */
		const struct crm_flow *cf;
		struct crm_row *rows;
		int *ans; /* f->ncond a row */
		size_t nrows, caprows, rowsat;
	} ahead;
	/* ... and a flow's where conditions come with its record's read
	 * (cond_read): cval[i] for condition i of flow cf, record cid */
	struct cond_read {
		const struct crm_flow *f;
		struct crm_stmt *st, *many; /* one record; ids ?1 */
	} * cr;
	size_t ncr, capcr;
	const struct crm_flow *cf;
	int64_t cid;
	int *cval;
	/* the firing whose actions run has no row yet (it is written after
	 * them): the records they make wait here for its id */
	bool defer;
	struct made {
		const char *entity; /* an entity's name (static) */
		int64_t id;
	} * made;
	size_t nmade, capmade;
	/* PostgreSQL without savepoints (hold): the rows of a batch of
	 * firings (each its server's parse, bind and execute when sent one
	 * by one) are held and written BATCH_ROWS to a statement: firings,
	 * the records they made, their tasks' activities with ids reserved
	 * from the sequence (the did text names them). batching: the
	 * firing now may have its rows held (fire). A held line waits for
	 * its firing's rows to be sent (nsent) and a read after them. */
	bool batching;
	struct batch {
		struct held_firing {
			const char *flow, *entity, *status; /* static */
			char *occ, *why, *error, *did;
			int64_t id, record, change;
			int depth, attempts;
			char next[CRM_TIME_LEN]; /* next_try, "" for none */
		} * f;
		size_t nf, capf;
		struct held_made {
			const char *entity; /* static */
			int64_t id;
			size_t firing; /* its firing's index in f */
		} * m;
		size_t nm, capm;
		struct crm_activity_batch acts;
		/* the last_activity_at touches of the tasks' own records
		 * (one UPDATE a table; a read of such a record, fire's or
		 * an action's, writes them first: touch_before) */
		struct held_touch {
			const char *table; /* static */
			int64_t id;
			char at[CRM_TIME_LEN];
		} * t;
		size_t nt, capt;
		/* the change sets and audit rows of the firings' writes
		 * (tag, set: crm_db's hold while their actions run), ids as
		 * crm_db_change gives them: the largest + 1 (read once a
		 * batch: next_change 0), then one more each */
		struct held_change {
			char *command, *entity;
			int64_t id;
		} * c;
		size_t nc, capc;
		int64_t next_change;
		struct held_audit {
			char *entity, *action, *before, *after;
			int64_t change, record;
		} * a;
		size_t na, capa;
		/* the records whose UPDATE an importer holds
		 * (update_later_opts): a read of one writes them first
		 * (touch_before) */
		struct held_update {
			const char *table; /* static */
			int64_t id;
		} * u;
		size_t nu, capu;
		const char *actor; /* the changes' (db->actor) */
		bool deferred;	   /* the audit rows' key to the change */
		/* ids reserved (ID_ACT, ID_FIRING): next..end; settable: the
		 * user may set the sequence (-1 not asked yet) */
		struct idblock {
			int64_t next, end;
		} ids[2];
		int settable;
		uint64_t held; /* activities held in the run */
	} b;
	size_t nsent;
};

enum { BATCH_ROWS = 128 };
/* ids reserved at a time (the rest go back at the flush) */
enum { ID_ROWS = 1024 };
/* the sequences a batch takes ids from (struct batch .ids) */
enum { ID_ACT, ID_FIRING };
#define SEQ(t) "CAST(pg_get_serial_sequence('" t "', 'id') AS regclass)"
/* a block of ?1 ids, its last one */
#define ID_BLOCK(t) "SELECT setval(" SEQ(t) ", nextval(" SEQ(t) ") + ?1 - 1)"
/* the block's ids from ?1 on back (as store_pg.c sets a sequence back) */
#define ID_BACK(t)                                                             \
	"SELECT setval(" SEQ(t) ", greatest(?1 - 1, 1), ?1 > 1) WHERE "        \
				"pg_sequence_last_value(" SEQ(t) ") = ?2"
#define SEQS_SETTABLE                                                          \
	"SELECT CASE WHEN has_sequence_privilege(" SEQ(                        \
	    "activities") ", "                                                 \
			  "'UPDATE') AND has_sequence_privilege(" SEQ(         \
			      "crm_flow_firings") ", "                         \
						  "'UPDATE') THEN 1 ELSE 0 "   \
						  "END"
static const char *const id_block_sql[] = {ID_BLOCK("activities"),
					   ID_BLOCK("crm_flow_firings")};
static const char *const id_back_sql[] = {ID_BACK("activities"),
					  ID_BACK("crm_flow_firings")};

static void where_stmts_free(struct run *r)
{
	for (size_t i = 0; i < r->nws; i++) {
		crm_stmt_finalize(r->ws[i].st);
		crm_binds_release(&r->ws[i].b);
	}
	free(r->ws);
	r->ws = NULL;
	r->nws = r->capws = 0;
	for (size_t i = 0; i < r->ncr; i++) {
		crm_stmt_finalize(r->cr[i].st);
		crm_stmt_finalize(r->cr[i].many);
	}
	free(r->cr);
	free(r->cval);
	r->cr = NULL;
	r->cval = NULL;
	r->ncr = r->capcr = 0;
}

static const struct crm_import_opts update_opts = {
    .command = "flow", .mode = CRM_UPDATE_ONLY, .keys = "id", .force = true};
/* a batched firing's tags: their UPDATEs wait with the batch (written
 * with it, or before a read of the record: struct batch .u). A tag's
 * alone: a set's prepare hook may read other records of the table (a
 * parent, a manager), whose held values it would not see. */
static const struct crm_import_opts update_later_opts = {.command = "flow",
							 .mode =
							     CRM_UPDATE_ONLY,
							 .keys = "id",
							 .force = true,
							 .update_later = true};
static const struct crm_import_opts create_opts = {
    .command = "flow", .mode = CRM_UPSERT, .keys = "external_id"};

struct crm_importer *crm_flow_importer(struct crm_flow_ctx *ctx,
				       const struct crm_entity *e, bool create,
				       struct crm_err *err)
{
	struct run *r = ctx->run;
	struct cached_importer *c;
	bool later = r->batching && !create && ctx->tag;

	for (size_t i = 0; i < r->nimp; i++)
		if (r->imp[i].e == e && r->imp[i].create == create &&
		    r->imp[i].later == later)
			return r->imp[i].im;
	r->imp = crm_xgrow(r->imp, &r->capimp, r->nimp + 1, sizeof(*r->imp));
	c = &r->imp[r->nimp];
	c->e = e;
	c->create = create;
	c->later = later;
	c->im = crm_importer_new(ctx->db, e,
				 create	 ? &create_opts
				 : later ? &update_later_opts
					 : &update_opts,
				 err);
	if (!c->im)
		return NULL;
	r->nimp++;
	return c->im;
}

/* After a rollback the importers' caches may be stale: start afresh. */
static void importers_free(struct run *r)
{
	for (size_t i = 0; i < r->nimp; i++)
		crm_importer_free(r->imp[i].im);
	r->nimp = 0;
}

/* The firing's id where made_insert and outbox_queue take one: the
 * firing this connection inserted last without asking its id back
 * (PostgreSQL: a RETURNING is a read, a round trip a firing). */
enum { FIRING_LAST = -1 };
/* A firing whose row is held (struct batch): its made records are held
 * with it */
enum { FIRING_HELD = -2 };
#define FIRING_LAST_PG                                                         \
	"currval(pg_get_serial_sequence('crm_flow_firings', 'id'))"

static int made_insert(struct crm_db *db, const char *entity, int64_t id,
		       int64_t firing, struct crm_err *err)
{
#define MADE_INSERT(firing)                                                    \
	"INSERT INTO crm_flow_made (entity, record_id, firing_id) VALUES "     \
	"(?1, ?2, " firing ") ON CONFLICT (entity, record_id) DO NOTHING"
	static const char sql[] = MADE_INSERT("?3"),
			  last[] = MADE_INSERT(FIRING_LAST_PG);

	return crm_stmt_run_as(crm_dbq(db, err,
				       firing == FIRING_LAST ? last : sql,
				       "sii", entity, id, firing),
			       "cannot note a made record", err);
#undef MADE_INSERT
}

int crm_flow_made(struct crm_flow_ctx *ctx, const char *entity, int64_t id,
		  struct crm_err *err)
{
	struct run *r = ctx->run;

	if (r && r->defer) {
		r->made = crm_xgrow(r->made, &r->capmade, r->nmade + 1,
				    sizeof(*r->made));
		r->made[r->nmade++] = (struct made){entity, id};
		return 0;
	}
	if (ctx->dry_run && !ctx->firing_id)
		return 0;
	return made_insert(ctx->db, entity, id, ctx->firing_id, err);
}

/* The records the firing fid made, noted now that its row exists. */
static int made_flush(struct run *r, int64_t fid, struct crm_err *err)
{
	struct batch *b = &r->b;
	int rc = 0;

	if (fid == FIRING_HELD) { /* with it, and its id */
		b->m =
		    crm_xgrow(b->m, &b->capm, b->nm + r->nmade, sizeof(*b->m));
		for (size_t i = 0; i < r->nmade; i++)
			b->m[b->nm++] = (struct held_made){
			    r->made[i].entity, r->made[i].id, b->nf - 1};
		r->nmade = 0;
		return 0;
	}
	for (size_t i = 0; rc == 0 && i < r->nmade; i++)
		rc = made_insert(r->db, r->made[i].entity, r->made[i].id, fid,
				 err);
	r->nmade = 0;
	return rc;
}

int crm_flow_emit(struct crm_db *db, const char *event, const char *entity,
		  int64_t id, const char *data, struct crm_err *err)
{
	char at[CRM_TIME_LEN];

	return crm_stmt_run_as(
	    crm_dbq(db, err,
		    "INSERT INTO crm_flow_events (name, entity, record_id, "
		    "data, at, depth) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		    "ssissi", event, entity, id, data,
		    crm_datetime_format(db->now, at),
		    (int64_t)(current_depth < 0 ? 0 : current_depth + 1)),
	    "cannot record the event", err);
}

/* -- cursors ------------------------------------------------------------ */

static int64_t cursor_get(struct crm_db *db, const char *name,
			  struct crm_err *err)
{
	return crm_db_int(db, "SELECT pos FROM crm_flow_cursor WHERE name = ?1",
			  name, NULL, err);
}

static int cursor_set(struct crm_db *db, const char *name, int64_t pos,
		      struct crm_err *err)
{
	return crm_stmt_run_as(
	    crm_dbq(db, err,
		    "INSERT INTO crm_flow_cursor (name, pos) VALUES (?1, ?2) "
		    "ON CONFLICT (name) DO UPDATE SET pos = ?2",
		    "si", name, pos),
	    "cannot move the cursor", err);
}

/* -- conditions --------------------------------------------------------- */

/* the activities of the record a condition counts on, by their column
 * for its entity (count_entity, same order) */
#define COUNT_SQL(col)                                                         \
	"SELECT count(*) FROM activities WHERE " col " = ?1 AND (CAST(?2 AS "  \
	"TEXT) IS NULL OR type = ?2) AND (CAST(?3 AS TEXT) IS NULL OR "        \
	"direction = ?3) AND (CAST(?4 AS TEXT) IS NULL OR occurred_at >= ?4)"
static const char *const count_sql[] = {
    COUNT_SQL("contact_id"), COUNT_SQL("company_id"), COUNT_SQL("lead_id"),
    COUNT_SQL("deal_id"),    COUNT_SQL("ticket_id"),
};
static const char *const count_entity[] = {"contact", "company", "lead", "deal",
					   "ticket"};

/* Whether record id of e passes where (SQL through the filter); the
 * statement kept in r when there is one. */
static int where_holds(struct run *r, struct crm_db *db,
		       const struct crm_entity *e, int64_t id,
		       const struct crm_strv *where, struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_binds b = {0};
	struct crm_stmt *st = NULL;
	struct where_stmt *w = NULL;
	int rc = -1;

	for (size_t i = 0; r && i < r->nws; i++)
		if (r->ws[i].where == where && r->ws[i].e == e)
			w = &r->ws[i];
	if (w) {
		st = w->st;
		crm_stmt_reset(st);
		crm_stmt_clear(st);
	} else {
		crm_buf_addf(&sql, "SELECT 1 FROM %s WHERE id = ?", e->table);
		if (crm_filter_where(db, e, where, &sql, &b, err) < 0)
			goto out;
		st = crm_db_stmt(db, sql.s, err);
		if (!st)
			goto out;
	}
	crm_stmt_bind_int(st, 1, id);
	crm_binds_bind(w ? &w->b : &b, st, 2);
	rc = crm_stmt_step(st, err);
	crm_stmt_reset(st);
	if (!w && r) {
		r->ws = crm_xgrow(r->ws, &r->capws, r->nws + 1, sizeof(*r->ws));
		r->ws[r->nws++] = (struct where_stmt){
		    .where = where, .e = e, .st = st, .b = b};
		st = NULL;
		b = (struct crm_binds){0};
	}
out:
	if (!w)
		crm_stmt_finalize(st);
	crm_binds_release(&b);
	crm_buf_release(&sql);
	return rc;
}

/* 1 holds, 0 not, -1 error; detail says why. */
static int cond_holds(struct run *r, struct crm_db *db,
		      const struct crm_flow *f, const struct crm_flow_cond *c,
		      const struct crm_row *row, struct crm_buf *detail,
		      struct crm_err *err)
{
	int64_t id = crm_row_id(row);

	switch (c->kind) {
	case CRM_FLOW_COND_WHERE: {
		/* read with the record (cond_read), else asked now */
		int h = r && r->cf == f && r->cid == id
			    ? r->cval[c - f->cond]
			    : where_holds(r, db, f->e, id, &c->where, err);
		struct crm_cond pc;

		if (h < 0)
			return -1;
		/* a run reads the detail only when it does not hold;
		 * crm-flow test (no run) always */
		if ((h == 0 || !r) &&
		    crm_filter_parse(c->text, &pc, err) == 0) {
			const char *v = crm_row_get(row, pc.field);
			crm_buf_addf(detail, "%s is %s", pc.field,
				     v ? v : "empty");
			crm_cond_release(&pc);
		}
		return h;
	}
	case CRM_FLOW_COND_RELATED: {
		const char *rid = crm_row_get(row, c->via);
		int h;

		if (!rid) {
			crm_buf_addf(detail, "no %s", c->rel->name);
			return 0;
		}
		h = where_holds(r, db, c->rel, strtoll(rid, NULL, 10),
				&c->where, err);
		if (h >= 0)
			crm_buf_addf(detail, "%s %s", c->rel->name, rid);
		return h;
	}
	case CRM_FLOW_COND_ACTIVITIES: {
		const char *since = NULL;
		char tb[CRM_TIME_LEN];
		int64_t n;
		size_t k;

		for (k = 0; k < 5 && strcmp(count_entity[k], f->e->name); k++)
			;
		if (k == 5) {
			crm_buf_addf(detail, "%s has no activities",
				     f->e->name);
			return c->min == 0 ? 1 : 0;
		}
		if (c->since_field) {
			since = crm_row_get(row, c->since_field);
			if (!since) {
				crm_buf_addf(detail, "%s is empty",
					     c->since_field);
				since = "0001-01-01T00:00:00Z";
			}
		} else if (c->within) {
			since = crm_datetime_format(db->now - c->within, tb);
		}
		n = crm_dbq_int(db, err, count_sql[k], "isss", id, c->type,
				c->direction, since);
		if (n < 0)
			return -1;
		crm_buf_addf(detail, "%lld %s%s%s%sactivit%s%s%s", (long long)n,
			     c->direction ? c->direction : "",
			     c->direction ? "bound " : "",
			     c->type ? c->type : "", c->type ? " " : "",
			     n == 1 ? "y" : "ies", since ? " since " : "",
			     since ? since : "");
		return n >= c->min && (c->max < 0 || n <= c->max);
	}
	case CRM_FLOW_COND_CYCLE: {
		struct crm_cycle_est est;
		int64_t until = 0;
		char d[CRM_TIME_LEN];
		int h =
		    crm_cycle_one(db, strcmp(f->e->name, "company") != 0, id,
				  c->within / 86400, &est, &until, NULL, err);

		if (h < 0)
			return -1;
		if (!est.method)
			crm_buf_adds(detail, "no purchase cycle");
		else
			crm_buf_addf(
			    detail,
			    "next purchase expected %s (%s), in %lld "
			    "days",
			    crm_datetime_format_date(est.next * 86400, d),
			    est.method, (long long)until);
		return h;
	}
	}
	return 0;
}

/* All conditions; first failing one in why. */
static int conds_hold(struct run *r, struct crm_db *db,
		      const struct crm_flow *f, const struct crm_row *row,
		      struct crm_buf *why, struct crm_err *err)
{
	for (size_t i = 0; i < f->ncond; i++) {
		struct crm_buf d = {0};
		int h = cond_holds(r, db, f, &f->cond[i], row, &d, err);

		if (h <= 0) {
			if (h == 0 && why)
				crm_buf_addf(why,
					     "condition %s does not hold "
					     "(%s)",
					     f->cond[i].text, crm_buf_str(&d));
			crm_buf_release(&d);
			return h;
		}
		crm_buf_release(&d);
	}
	return 1;
}

/* -- time --------------------------------------------------------------- */

/* The latest t with business seconds in [t, end) at least secs. */
static crm_time biz_sub(const struct crm_bizcal *c, crm_time end, int64_t secs)
{
	crm_time lo = end - 3700LL * 86400, hi = end;

	if (crm_bizcal_between(c, lo, end) < secs)
		return CRM_TIME_MIN;
	while (lo < hi) {
		crm_time mid = lo + (hi - lo + 1) / 2;

		if (crm_bizcal_between(c, mid, end) >= secs)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* When a time trigger is due for field value v (days: the record's
 * days_field value, or NULL); CRM_BIZ_NEVER if never. */
static crm_time time_due(const struct crm_flow_trigger *t, const char *v,
			 const char *days)
{
	crm_time at;
	struct crm_err e;
	long long n;
	int k = 0;

	if (!v || crm_datetime_parse(v, &at, &e) < 0)
		return CRM_BIZ_NEVER;
	if (t->days_field && days && sscanf(days, "%lld%n", &n, &k) == 1 &&
	    !days[k] && n >= 0 && n <= 36500)
		return at + (t->offset < 0 ? -n : n) * 86400;
	if (!t->cal)
		return at + t->offset;
	if (t->offset >= 0)
		return crm_bizcal_add(t->cal, at, t->offset, NULL, 0);
	return biz_sub(t->cal, at, -t->offset);
}

/* The latest schedule slot at or before now; CRM_TIME_MIN when none. */
static crm_time schedule_slot(const struct crm_flow_trigger *t, crm_time now)
{
	int64_t local, day;

	if (t->every)
		return now - ((now % t->every) + t->every) % t->every;
	local = now + (t->zone ? crm_tz_offset(t->zone, now) : 0);
	day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	for (int k = 0; k <= 8; k++) {
		int64_t d = day - k;
		int wd = (int)(((d + 3) % 7 + 7) % 7); /* Monday 0 */
		crm_time slot;

		if (!(t->days & (1u << wd)))
			continue;
		slot = t->zone ? crm_tz_to_utc(t->zone, d * 86400 + t->at)
			       : d * 86400 + t->at;
		if (slot <= now)
			return slot;
	}
	return CRM_TIME_MIN;
}

/* -- firing ------------------------------------------------------------- */

static int firing_exists(struct crm_db *db, const char *flow, int64_t id,
			 const char *occ, struct crm_err *err)
{
	return crm_dbq_step(
	    db, err, NULL,
	    "SELECT 1 FROM crm_flow_firings WHERE flow = ?1 AND record_id = "
	    "?2 AND occurrence = ?3",
	    "sis", flow, id, occ);
}

/* -- a batch's rows (struct batch) ------------------------------------ */

static char *dup_or_null(const char *s)
{
	return s ? crm_xstrdup(s) : NULL;
}

/* Binding a held row of the batch: row i's values from parameter p + 1 */
typedef void bind_fn(struct crm_stmt *st, int p, const struct batch *b,
		     size_t i, const char *now);

static void bind_firing(struct crm_stmt *st, int p, const struct batch *b,
			size_t i, const char *now)
{
	const struct held_firing *h = &b->f[i];

	crm_stmt_bind_text(st, p + 1, h->flow);
	crm_stmt_bind_text(st, p + 2, h->entity);
	crm_stmt_bind_int(st, p + 3, h->record);
	crm_stmt_bind_text(st, p + 4, h->occ);
	crm_stmt_bind_text(st, p + 5, h->why);
	crm_stmt_bind_text(st, p + 6, now);
	crm_stmt_bind_text(st, p + 7, h->status);
	crm_stmt_bind_int(st, p + 8, h->attempts);
	crm_stmt_bind_int(st, p + 9, h->depth);
	crm_stmt_bind_text(st, p + 10, h->error);
	crm_stmt_bind_text(st, p + 11, h->next[0] ? h->next : NULL);
	crm_stmt_bind_text(st, p + 12, h->did);
	if (h->change) /* 0: none (NULL) */
		crm_stmt_bind_int(st, p + 13, h->change);
	else
		crm_stmt_bind_null(st, p + 13);
	crm_stmt_bind_int(st, p + 14, h->id);
}

static void bind_made(struct crm_stmt *st, int p, const struct batch *b,
		      size_t i, const char *now)
{
	(void)now;
	crm_stmt_bind_text(st, p + 1, b->m[i].entity);
	crm_stmt_bind_int(st, p + 2, b->m[i].id);
	crm_stmt_bind_int(st, p + 3, b->f[b->m[i].firing].id);
}

static void bind_change(struct crm_stmt *st, int p, const struct batch *b,
			size_t i, const char *now)
{
	const struct held_change *c = &b->c[i];

	crm_stmt_bind_int(st, p + 1, c->id);
	crm_stmt_bind_text(st, p + 2, now);
	crm_stmt_bind_text(st, p + 3, b->actor);
	crm_stmt_bind_text(st, p + 4, c->command);
	crm_stmt_bind_text(st, p + 5, c->entity);
}

static void bind_audit(struct crm_stmt *st, int p, const struct batch *b,
		       size_t i, const char *now)
{
	const struct held_audit *a = &b->a[i];

	(void)now;
	crm_stmt_bind_int(st, p + 1, a->change);
	crm_stmt_bind_text(st, p + 2, a->entity);
	crm_stmt_bind_int(st, p + 3, a->record);
	crm_stmt_bind_text(st, p + 4, a->action);
	crm_stmt_bind_text(st, p + 5, a->before);
	crm_stmt_bind_text(st, p + 6, a->after);
}

/* n held rows, BATCH_ROWS to an INSERT (head and row as
 * crm_db_rows_stmt; w parameters a row; *whole the full statement's
 * text, kept). 0, or -1. */
static int rows_write(struct run *r, const char *head, const char *row, int w,
		      size_t n, char **whole, bind_fn *bind, const char *what,
		      struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	int rc = 0;

	crm_datetime_format(r->db->now, now);
	for (size_t i = 0; rc == 0 && i < n;) {
		size_t k = n - i < BATCH_ROWS ? n - i : BATCH_ROWS;
		struct crm_stmt *st = crm_db_rows_stmt(r->db, head, row, k,
						       BATCH_ROWS, whole, err);

		if (!st)
			return -1;
		for (size_t j = 0; j < k; j++)
			bind(st, (int)j * w, &r->b, i + j, now);
		rc = crm_stmt_step_as(st, what, err);
		crm_db_rows_done(st, k, BATCH_ROWS);
		i += k;
	}
	return rc < 0 ? -1 : 0;
}

/* The held firings, then their made rows, with the ids taken for them in
 * the order held. */
static int firings_write(struct run *r, struct crm_err *err)
{
	static char *whole, *whole_made;

	return rows_write(r,
			  "INSERT INTO crm_flow_firings (flow, entity, "
			  "record_id, occurrence, why, fired_at, status, "
			  "attempts, depth, error, next_try, did, change_id, "
			  "id) VALUES ",
			  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", 14,
			  r->b.nf, &whole, bind_firing,
			  "cannot record the firing", err) < 0 ||
		       rows_write(r,
				  "INSERT INTO crm_flow_made (entity, "
				  "record_id, firing_id) VALUES ",
				  "(?, ?, ?)", 3, r->b.nm, &whole_made,
				  bind_made, "cannot note a made record",
				  err) < 0
		   ? -1
		   : 0;
}

/* The texts of the change sets and audit rows held, freed. */
static void changes_free(struct batch *b)
{
	for (size_t i = 0; i < b->nc; i++) {
		free(b->c[i].command);
		free(b->c[i].entity);
	}
	for (size_t i = 0; i < b->na; i++) {
		free(b->a[i].entity);
		free(b->a[i].action);
		free(b->a[i].before);
		free(b->a[i].after);
	}
	b->nc = b->na = 0;
}

/* The held change sets, then their audit rows (which name them), in the
 * order held: the audit rows' ids those one at a time gives. */
static int changes_write(struct run *r, struct crm_err *err)
{
	static char *whole_c, *whole_a;
	struct batch *b = &r->b;
	int rc =
	    rows_write(r,
		       "INSERT INTO crm_changes (id, at, actor, command, "
		       "entity) VALUES ",
		       "(?, ?, ?, ?, ?)", 5, b->nc, &whole_c, bind_change,
		       "cannot record the change", err) < 0 ||
		    rows_write(r,
			       "INSERT INTO crm_audit (change_id, entity, "
			       "record_id, action, before, after) VALUES ",
			       "(?, ?, ?, ?, ?, ?)", 6, b->na, &whole_a,
			       bind_audit, "cannot record the change", err) < 0
		? -1
		: 0;

	changes_free(b);
	return rc;
}

/* crm_db's hold while a batched firing's actions run: the change set
 * held, its id the next after the table's and those held. */
static int change_hold(void *arg, const char *command, const char *entity,
		       int64_t *id, struct crm_err *err)
{
	struct run *r = arg;
	struct batch *b = &r->b;

	/* Their key to crm_changes checked at the commit: checked at each
	 * INSERT, by a plan made when crm_changes was small (a scan of it,
	 * kept for the session), each batch cost more than the last (3.8 ->
	 * 29 ms for 128 rows over 5,000 changes). The name is the one
	 * PostgreSQL gives the schema's foreign key. */
	if (!b->deferred &&
	    crm_db_exec(r->db,
			"SET CONSTRAINTS crm_audit_change_id_fkey DEFERRED",
			err) < 0)
		return -1;
	b->deferred = true;
	if (!b->next_change &&
	    crm_dbq_step(r->db, err, &b->next_change,
			 "SELECT coalesce(max(id), 0) + 1 FROM crm_changes",
			 "") <= 0)
		return crm_err_what(err, "cannot record the change");
	b->c = crm_xgrow(b->c, &b->capc, b->nc + 1, sizeof(*b->c));
	b->c[b->nc++] = (struct held_change){
	    dup_or_null(command), dup_or_null(entity), b->next_change};
	*id = b->next_change++;
	b->held++;
	return 0;
}

static int audit_hold(void *arg, int64_t change, const char *entity, int64_t id,
		      const char *action, const char *before_json,
		      const char *after_json, struct crm_err *err)
{
	struct batch *b = &((struct run *)arg)->b;

	(void)err;
	b->a = crm_xgrow(b->a, &b->capa, b->na + 1, sizeof(*b->a));
	b->a[b->na++] = (struct held_audit){dup_or_null(entity),
					    dup_or_null(action),
					    dup_or_null(before_json),
					    dup_or_null(after_json),
					    change,
					    id};
	b->held++;
	return 0;
}

/* The texts of the firings held, freed. */
static void firings_free(struct batch *b)
{
	for (size_t i = 0; i < b->nf; i++) {
		free(b->f[i].occ);
		free(b->f[i].why);
		free(b->f[i].error);
		free(b->f[i].did);
	}
	b->nf = b->nm = 0;
}

static void batch_clear(struct batch *b)
{
	changes_free(b);
	b->next_change = 0;
	b->nu = 0;
	b->deferred = false; /* with the transaction */
	firings_free(b);
	b->nt = 0;
	crm_activity_batch_clear(&b->acts);
	memset(b->ids, 0, sizeof(b->ids));
}

/* Record id of table written: stale in the rows read ahead, if there. */
static void ahead_written(struct ahead *a, const char *table, int64_t id)
{
	if (!a->e || strcmp(a->e->table, table))
		return;
	for (size_t i = a->at; i < a->end && i < a->n; i++)
		if (a->ids[i] == id) {
			a->stale = crm_xgrow(a->stale, &a->capstale,
					     a->nstale + 1, sizeof(*a->stale));
			a->stale[a->nstale++] = id;
			return;
		}
}

/* Whether record id's row read ahead is stale (ahead_written). */
static bool ahead_stale(const struct ahead *a, int64_t id)
{
	for (size_t i = 0; i < a->nstale; i++)
		if (a->stale[i] == id)
			return true;
	return false;
}

/* The touches held, one UPDATE a table and BATCH_ROWS records (each
 * record once, with its latest time: the form the touch writes, whose
 * byte order is the database's, see own_link; VALUES, whose rows the
 * planner counts, so each is found by its id). The records read ahead
 * may predate them: read again. */
static int touches_write(struct run *r, struct crm_err *err)
{
	struct batch *b = &r->b;
	int rc = 0;

	for (size_t i = 0; i < b->nt; i++)
		ahead_written(&r->ahead, b->t[i].table, b->t[i].id);
	for (size_t i = 0; i < b->nt; i++) /* repeats: the latest */
		for (size_t j = i + 1; b->t[i].table && j < b->nt; j++)
			if (b->t[j].table && b->t[j].id == b->t[i].id &&
			    !strcmp(b->t[j].table, b->t[i].table)) {
				if (strcmp(b->t[i].at, b->t[j].at) > 0)
					memcpy(b->t[j].at, b->t[i].at,
					       sizeof(b->t[j].at));
				b->t[i].table = NULL;
			}
	for (size_t i = 0; rc == 0 && i < b->nt; i++) {
		const char *table = b->t[i].table;
		struct crm_buf sql = {0};
		struct crm_stmt *st;
		size_t sel[BATCH_ROWS], n = 0;

		if (!table)
			continue;
		for (size_t j = i; j < b->nt && n < BATCH_ROWS; j++)
			if (b->t[j].table && !strcmp(b->t[j].table, table)) {
				sel[n++] = j;
				b->t[j].table = NULL;
			}
		crm_buf_addf(&sql,
			     "UPDATE %s AS t SET last_activity_at = v.at FROM "
			     "(VALUES ",
			     table);
		for (size_t k = 0; k < n; k++)
			crm_buf_adds(&sql, k ? ", (CAST(? AS BIGINT), ?)"
					     : "(CAST(? AS BIGINT), "
					       "CAST(? AS TEXT))");
		crm_buf_adds(&sql, ") AS v(id, at) WHERE t.id = v.id AND "
				   "(t.last_activity_at IS NULL OR "
				   "t.last_activity_at < v.at)");
		st = crm_db_stmt(r->db, sql.s, err);
		if (st) {
			for (size_t k = 0; k < n; k++) {
				crm_stmt_bind_int(st, (int)k * 2 + 1,
						  b->t[sel[k]].id);
				crm_stmt_bind_text(st, (int)k * 2 + 2,
						   b->t[sel[k]].at);
			}
			rc = crm_stmt_step_as(
			    st, "cannot update last_activity_at", err);
			crm_stmt_finalize(st);
		} else {
			rc = -1;
		}
		crm_buf_release(&sql);
		i--; /* the table may have more */
	}
	b->nt = 0;
	return rc < 0 ? -1 : 0;
}

/* Before a read of record id of table: its touch held, written. */
static void held_update(struct run *r, const char *table, int64_t id)
{
	struct batch *b = &r->b;

	b->u = crm_xgrow(b->u, &b->capu, b->nu + 1, sizeof(*b->u));
	b->u[b->nu++] = (struct held_update){table, id};
}

/* The UPDATEs the batched firings' importers hold, written; the records
 * read ahead may predate them: read again. */
static int updates_write(struct run *r, struct crm_err *err)
{
	for (size_t i = 0; i < r->nimp; i++)
		if (r->imp[i].later &&
		    crm_importer_flush(r->imp[i].im, err) < 0)
			return -1;
	for (size_t i = 0; i < r->b.nu; i++)
		ahead_written(&r->ahead, r->b.u[i].table, r->b.u[i].id);
	r->b.nu = 0;
	return 0;
}

/* Before a read of record id of table: its touch and its UPDATE held,
 * written (the records read ahead they write marked stale, the rest kept:
 * not a write for ahead_mark). */
static int touch_before(struct run *r, const char *table, int64_t id,
			struct crm_err *err)
{
	int64_t w = crm_store_changes(r->db->store);
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < r->b.nu; i++)
		if (r->b.u[i].id == id && !strcmp(r->b.u[i].table, table))
			rc = updates_write(r, err);
	for (size_t i = 0; rc == 0 && i < r->b.nt; i++)
		if (r->b.t[i].id == id && !strcmp(r->b.t[i].table, table))
			rc = touches_write(r, err);
	r->ahead.mark += crm_store_changes(r->db->store) - w;
	return rc;
}

/* Send the batch's rows (they return nothing: the pipeline does not wait
 * for them, a later read reports a failure); the lines held so far then
 * wait only for that read. */
static int batch_write(struct run *r, struct crm_err *err)
{
	int rc = 0;

	if (r->b.acts.n && crm_activity_flush(r->db, &r->b.acts, err) < 0)
		rc = -1;
	if (rc == 0 && updates_write(r, err) < 0)
		rc = -1;
	if (rc == 0 && changes_write(r, err) < 0)
		rc = -1;
	if (rc == 0 && touches_write(r, err) < 0)
		rc = -1;
	if (rc == 0 && firings_write(r, err) < 0)
		rc = -1;
	firings_free(&r->b);
	if (rc == 0)
		r->nsent = r->nheld;
	return rc;
}

/* batch_write, and the activity ids reserved but not taken go back to
 * the sequence (as the store sets it back after a rollback), so that
 * whatever reads the run's rows or takes an id next finds them as one
 * firing at a time would have left them. */
static int batch_flush(struct run *r, struct crm_err *err)
{
	struct batch *b = &r->b;
	int rc;

	if (!r->hold)
		return 0;
	rc = batch_write(r, err);
	b->next_change = 0; /* a writer after it takes the next itself */
	for (int k = 0; k < 2; k++) {
		struct idblock *x = &b->ids[k];

		if (rc == 0 && x->end && x->next <= x->end)
			rc = crm_dbq_run(r->db, err, id_back_sql[k], "ii",
					 x->next, x->end);
		x->next = x->end = 0;
	}
	return rc < 0 ? -1 : 0;
}

/* The next id of sequence k's block (a new block when it is used up:
 * ids in order, as the sequence gives them; crm's writers take turns, so
 * none takes one meanwhile). 0, or -1. */
static int id_take(struct run *r, int k, int64_t *id, struct crm_err *err)
{
	struct idblock *x = &r->b.ids[k];

	if (!x->end || x->next > x->end) {
		if (crm_dbq_step(r->db, err, &x->end, id_block_sql[k], "i",
				 (int64_t)ID_ROWS) <= 0)
			return crm_err_what(err, "cannot insert");
		x->next = x->end - ID_ROWS + 1;
	}
	*id = x->next++;
	return 0;
}

/* Hold a firing's row (firing_insert's values). */
static int firing_hold(struct run *r, const struct crm_flow *f, int64_t id,
		       const char *occ, const char *why, const char *status,
		       int depth, int attempts, const char *error,
		       const char *did, int64_t change, struct crm_err *err)
{
	struct batch *b = &r->b;
	struct held_firing *h;

	int64_t fid = 0;

	/* a full batch goes first: this one's made rows come after it */
	if ((b->nf >= BATCH_ROWS && batch_write(r, err) < 0) ||
	    id_take(r, ID_FIRING, &fid, err) < 0)
		return -1;
	b->f = crm_xgrow(b->f, &b->capf, b->nf + 1, sizeof(*b->f));
	h = &b->f[b->nf++];
	*h = (struct held_firing){.id = fid,
				  .flow = f->name,
				  .entity = f->e->name,
				  .status = status,
				  .occ = crm_xstrdup(occ),
				  .why = dup_or_null(why),
				  .error = dup_or_null(error),
				  .did = dup_or_null(did),
				  .record = id,
				  .change = change,
				  .depth = depth,
				  .attempts = attempts};
	if (!strcmp(status, "failed"))
		crm_datetime_format(r->db->now + f->backoff, h->next);
	return 0;
}

/* The touch of a's link to ctx's own record (known, not untouched: see
 * own_link in flow_action.c) held, and a left to touch the others. */
static int touch_hold(struct run *r, struct crm_flow_ctx *ctx,
		      struct crm_activity *a, struct crm_err *err)
{
	struct batch *b = &r->b;
	struct held_touch *t;
	struct crm_err e;
	crm_time at = r->db->now;
	long k;
	int rc;

	for (k = 1; k < (long)crm_activity_nlinks &&
		    strcmp(crm_activity_links[k].entity, ctx->e->name);
	     k++)
		;
	if (k == (long)crm_activity_nlinks || !(a->known & 1u << k) ||
	    (a->untouched & 1u << k))
		return 0;
	/* a time it cannot read: crm_activity_hold says so */
	if (a->occurred_at && crm_datetime_parse(a->occurred_at, &at, &e) < 0)
		return 0;
	rc = crm_table_has_column(r->db, crm_activity_links[k].table,
				  "last_activity_at", err);
	if (rc <= 0)
		return rc;
	b->t = crm_xgrow(b->t, &b->capt, b->nt + 1, sizeof(*b->t));
	t = &b->t[b->nt++];
	t->table = crm_activity_links[k].table;
	t->id = ctx->record_id;
	crm_datetime_format(at, t->at);
	a->untouched |= 1u << k;
	return 0;
}

/* Log activity a for ctx's firing: held with an id from the reserved
 * block when the firing's rows are (hold false: the caller writes to
 * the row at once), else crm_activity_log after the batch. */
int crm_flow_activity(struct crm_flow_ctx *ctx, const struct crm_activity *a,
		      bool hold, int64_t *id, struct crm_err *err)
{
	struct run *r = ctx->run;
	struct batch *b = r ? &r->b : NULL;
	struct crm_activity own = *a;
	size_t nt;
	int64_t w;

	if (!b || !r->batching || !hold)
		return (r && batch_flush(r, err) < 0) ||
			       crm_activity_log(ctx->db, a, id, err) < 0
			   ? -1
			   : 0;
	w = crm_store_changes(r->db->store);
	if (id_take(r, ID_ACT, id, err) < 0)
		return -1;
	nt = b->nt;
	if (touch_hold(r, ctx, &own, err) < 0 ||
	    crm_activity_hold_id(r->db, &b->acts, &own, *id, err) < 0) {
		/* refused (a time it cannot read ...): nothing held, and
		 * the id back to the block for the next one */
		b->ids[ID_ACT].next--;
		b->nt = nt;
		return -1;
	}
	b->held++;
	/* what that wrote (a block of ids, a full batch of activities: new
	 * rows) leaves the records read ahead as they were */
	r->ahead.mark += crm_store_changes(r->db->store) - w;
	return 0;
}

/* Insert the firing row (did and change, 0 for none, as its actions
 * left them when it is written after them); its id in *fid (FIRING_HELD
 * when the row is held, see struct batch). */
static int firing_insert(struct run *r, const struct crm_flow *f, int64_t id,
			 const char *occ, const char *why, const char *status,
			 int depth, const char *error, const char *did,
			 int64_t change, bool need_id, int64_t *fid,
			 struct crm_err *err)
{
/* RETURNING only where it is the way to the id: on SQLite it makes the
 * INSERT a statement with a trigger, which opens a statement journal
 * (a copy of each page it writes) inside the run's transaction. */
#define FIRING_INSERT                                                          \
	"INSERT INTO crm_flow_firings (flow, entity, record_id, "              \
	"occurrence, why, fired_at, status, attempts, depth, error, "          \
	"next_try, did, change_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "   \
	"?9, ?10, ?11, ?12, ?13)"
	static const char ins[] = FIRING_INSERT,
			  ins_ret[] = FIRING_INSERT " RETURNING id";
	char now[CRM_TIME_LEN], next[CRM_TIME_LEN];
	bool failed = !strcmp(status, "failed");
	/* a firing about to apply its actions is written as done, tried once
	 * (fire's last UPDATE then touches no indexed column when it is); one
	 * written after them is done, pending or failed, tried once */
	bool tried =
	    failed || !strcmp(status, "done") || !strcmp(status, "pending");
	bool pg = crm_store_engine(r->db->store) == CRM_STORE_PG;
	int rc;

	if (r->batching && !need_id) {
		*fid = FIRING_HELD;
		return firing_hold(r, f, id, occ, why, status, depth,
				   tried ? 1 : 0, error, did, change, err);
	}
	/* the held rows first: the ids in the order of the firings */
	if (batch_flush(r, err) < 0)
		return -1;
	/* on PostgreSQL an id nobody reads now is FIRING_LAST: the INSERT
	 * is then a write the pipeline does not wait for */
	*fid = pg && !need_id ? FIRING_LAST : 0;
	rc = crm_dbq_step(
	    r->db, err, fid, pg && need_id ? ins_ret : ins, "ssissssiisssI",
	    f->name, f->e->name, id, occ, why,
	    crm_datetime_format(r->db->now, now), status,
	    (int64_t)(tried ? 1 : 0), (int64_t)depth, error,
	    failed ? crm_datetime_format(r->db->now + f->backoff, next) : NULL,
	    did, change);
	if (rc < 0)
		return -1;
	if (pg && !need_id)
		return 0;
	if (!pg)
		rc = (*fid = crm_store_last_id(r->db->store, err)) > 0;
	if (rc <= 0)
		return crm_err_set(err, CRM_EX_SOFTWARE, "no firing id");
	return 0;
#undef FIRING_INSERT
}

static int report(struct run *r, const struct crm_flow *f, int64_t id,
		  const char *occ, const char *why, const char *status,
		  const char *did, const char *error, int depth)
{
	char n[CRM_INT_LEN];

	if (!r->o->fn)
		return 0;
	if (!r->hold && r->skip) { /* handed on by the run's first attempt */
		r->skip--;
		r->reported++;
		return 0;
	}
	crm_rec_clear(&r->rec);
	crm_rec_adds(&r->rec, "flow", f->name);
	crm_rec_adds(&r->rec, "entity", f->e->name);
	crm_fmt_int(n, id);
	crm_rec_add(&r->rec, "record", 6, n, strlen(n), CRM_RAW);
	crm_rec_adds(&r->rec, "occurrence", occ);
	crm_rec_adds(&r->rec, "why", why);
	crm_rec_adds(&r->rec, "status", status);
	crm_rec_adds(&r->rec, "did", did && *did ? did : NULL);
	crm_rec_adds(&r->rec, "error", error);
	crm_fmt_int(n, depth);
	crm_rec_add(&r->rec, "depth", 5, n, strlen(n), CRM_RAW);
	if (r->hold) {
		r->held = crm_xgrow(r->held, &r->capheld, r->nheld + 1,
				    sizeof(*r->held));
		crm_rec_init(&r->held[r->nheld]);
		crm_rec_copy(&r->held[r->nheld++], &r->rec);
		if (!r->b.nf && !r->b.nm && !r->b.acts.n && !r->b.nt &&
		    !r->b.nc && !r->b.na && !r->b.nu)
			r->nsent = r->nheld; /* its rows are all sent */
		return 0;
	}
	r->reported++;
	return r->o->fn(&r->rec, r->o->arg);
}

/* The lines held (see struct run): those whose rows were sent (nsent)
 * handed on when handed is true (a read after their firings' writes
 * succeeded, so the writes did too), else all dropped (the run
 * restarts). */
static int lines_flush(struct run *r, bool handed)
{
	size_t n = handed ? r->nsent : r->nheld;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		if (handed && rc == 0) {
			r->reported++;
			rc = r->o->fn(&r->held[i], r->o->arg);
		}
		crm_rec_release(&r->held[i]);
	}
	if (n && n < r->nheld)
		memmove(r->held, r->held + n,
			(r->nheld - n) * sizeof(*r->held));
	r->nheld -= n;
	r->nsent = 0;
	if (rc < 0) /* the output's failure: a run again would not help */
		r->hold = false;
	return rc;
}

/* Queue ctx's external actions for firing fid. */
static int outbox_queue(struct run *r, struct crm_flow_ctx *ctx, int64_t fid,
			struct crm_err *err)
{
	for (size_t i = 0; i < json_array_size(ctx->outbox); i++) {
		json_t *job = json_array_get(ctx->outbox, i);
#define OUTBOX_INSERT(firing)                                                  \
	"INSERT INTO crm_flow_outbox (firing_id, action, kind, job, status, "  \
	"attempts) VALUES (" firing ", ?2, ?3, ?4, 'pending', 0)"
		static const char sql[] = OUTBOX_INSERT("?1"),
				  last[] = OUTBOX_INSERT(FIRING_LAST_PG);
		char *text = json_dumps(job, JSON_COMPACT);
		int s = crm_stmt_run_as(
		    crm_dbq(r->db, err, fid == FIRING_LAST ? last : sql, "iiss",
			    fid, (int64_t)i,
			    json_string_value(json_object_get(job, "kind")),
			    text),
		    "cannot queue an action", err);

		free(text);
		if (s < 0)
			return -1;
		r->st->pending++;
	}
	return 0;
#undef OUTBOX_INSERT
}

/* Apply f's actions for record id under firing fid in a savepoint: 0
 * applied (outbox rows queued; *change the change set its writes made,
 * 0 for none, for the caller's update of the firing), 1 an action failed
 * (rolled back; the reason in fail), -1 a database error. */
static int apply_actions(struct run *r, const struct crm_flow *f, int64_t id,
			 struct crm_row *row, int64_t fid, const char *occ,
			 int depth, struct crm_flow_ctx *ctx,
			 struct crm_buf *fail, int64_t *change,
			 struct crm_err *err)
{
	char *key = crm_xasprintf("%s:%lld:%s", f->name, (long long)id, occ);
	struct crm_row own;
	bool loaded = row != NULL; /* else read here (a retry) */
	struct crm_err e2;
	int64_t written = -1; /* without a savepoint: the rows written so far */
	uint64_t held = r->b.held; /* ... and the activities held */
	const struct crm_db_hold hold = {change_hold, audit_hold, r};
	size_t na = r->b.na;
	int rc = -1;

	if (!loaded) {
		crm_row_init(&own, f->e);
		row = &own;
	}
	memset(ctx, 0, sizeof(*ctx));
	ctx->db = r->db;
	ctx->flow = f;
	ctx->e = f->e;
	ctx->row = row;
	ctx->record_id = id;
	ctx->firing_id = fid;
	ctx->key = key;
	ctx->occurrence = occ;
	ctx->depth = depth;
	ctx->dry_run = r->o->dry_run;
	ctx->outbox = json_array();
	ctx->run = r;
	r->nmade = 0;
	if (r->fast)
		written = crm_store_changes(r->db->store);
	else if (crm_store_savepoint(r->db->store, "crm_flow_fire", err) < 0)
		goto out;
	r->db->change = 0;
	/* a batched firing's change sets and audit rows wait with its row */
	if (r->batching)
		r->db->hold = &hold;
	current_depth = depth;
	for (size_t i = 0; i < f->nact; i++) {
		int g;

		crm_err_clear(&e2);
		/* row holds the record as the firing read it; each later
		 * action sees what the earlier ones wrote */
		if (!(i == 0 && loaded) &&
		    touch_before(r, f->e->table, id, err) < 0)
			goto out;
		g = i == 0 && loaded
			? 1
			: crm_entity_get(r->db, f->e, id, row, &e2);
		if (g == 0)
			crm_err_set(&e2, CRM_EX_NOINPUT, "%s %lld is gone",
				    f->e->name, (long long)id);
		if (g > 0 && f->act[i].kind->apply(ctx, f->act[i].spec,
						   f->act[i].data, &e2) == 0) {
			/* an audit row held: the record's UPDATE too */
			if (r->batching && r->b.na != na)
				held_update(r, f->e->table, id);
			na = r->b.na;
			continue;
		}
		if (e2.code == CRM_EX_INTERRUPTED) {
			*err = e2;
			goto out;
		}
		crm_buf_addf(fail, "actions[%zu] %s: %s%s%s", i,
			     f->act[i].kind->name, e2.field[0] ? e2.field : "",
			     e2.field[0] ? ": " : "",
			     e2.msg[0] ? e2.msg : "failed");
		if (r->fast && (crm_store_changes(r->db->store) != written ||
				r->b.held != held)) {
			/* it wrote before it failed: no savepoint to undo
			 * that, so the whole run again with them */
			r->restart = true;
			crm_err_set(err, CRM_EX_SOFTWARE,
				    "a firing to undo without a savepoint");
			goto out;
		}
		if (!r->fast &&
		    (crm_store_rollback_to(r->db->store, "crm_flow_fire", err) <
			 0 ||
		     crm_store_release(r->db->store, "crm_flow_fire", err) < 0))
			goto out;
		r->db->change = 0;
		r->nmade = 0; /* rolled back with the rest */
		/* earlier firings' UPDATEs held there go first */
		if (updates_write(r, err) < 0)
			goto out;
		importers_free(r);
		rc = 1;
		goto out;
	}
	/* the change set its writes made (changes it causes are depth +
	 * 1): the caller writes it with the firing's status, one statement */
	*change = r->db->change;
	/* a firing with no row yet queues them once it has one */
	if (fid && outbox_queue(r, ctx, fid, err) < 0)
		goto out;
	if (!r->fast &&
	    crm_store_release(r->db->store, "crm_flow_fire", err) < 0)
		goto out;
	r->db->change = 0;
	rc = 0;
out:
	r->db->hold = NULL;
	current_depth = -1;
	free(key);
	if (!loaded)
		crm_row_release(&own);
	return rc;
}

static void ctx_release(struct crm_flow_ctx *ctx)
{
	crm_buf_release(&ctx->did);
	json_decref(ctx->outbox);
	ctx->outbox = NULL;
}

/* The statement that completes a firing inserted as done: its did, and
 * its status and change set when they differ from the row's (an UPDATE
 * that names an indexed column rewrites that index's entry). */
static struct crm_stmt *firing_done(struct run *r, int64_t fid, bool pending,
				    const char *did, int64_t change,
				    struct crm_err *err)
{
	static const char *const sql[] = {
	    "UPDATE crm_flow_firings SET did = ?2 WHERE id = ?1",
	    "UPDATE crm_flow_firings SET did = ?2, status = 'pending' WHERE "
	    "id = ?1",
	    "UPDATE crm_flow_firings SET did = ?2, change_id = ?3 WHERE id = "
	    "?1",
	    "UPDATE crm_flow_firings SET did = ?2, status = 'pending', "
	    "change_id = ?3 WHERE id = ?1",
	};
	const char *q = sql[(pending ? 1 : 0) + (change ? 2 : 0)];

	return change ? crm_dbq(r->db, err, q, "isi", fid, did, change)
		      : crm_dbq(r->db, err, q, "is", fid, did);
}

/* A read of the records ahead at changes now: those read are stale
 * after a write; the window grows with the reads in a row without one. */
static void ahead_mark(struct ahead *a, int64_t now)
{
	if (now != a->mark) {
		a->end = 0;
		a->streak = 0;
	} else if (a->streak < 9) {
		a->streak++;
	}
	a->mark = now;
}

/* Record id of e into row, as crm_entity_get. For an audit batch's row
 * on PostgreSQL without savepoints, a read takes the records of the rows
 * ahead too, as many as the firings in a row that wrote nothing (up to
 * 512), and later rows find theirs there until a write other than a
 * firing's own row makes them stale: a round trip a firing less where
 * most firings change nothing. */
static int record_get(struct run *r, const struct crm_entity *e, int64_t id,
		      struct crm_row *row, struct crm_err *err)
{
	struct ahead *a = &r->ahead;
	int64_t now = crm_store_changes(r->db->store), *v;
	const struct crm_row *got;
	size_t want, k = 0, j;
	int rc;

	if (!r->hold || a->e != e || a->cf || a->at >= a->n ||
	    a->ids[a->at] != id)
		return crm_entity_get(r->db, e, id, row, err);
	ahead_mark(a, now);
	if (a->at < a->end && ahead_stale(a, id))
		return crm_entity_get(r->db, e, id, row, err);
	if (a->at < a->end) {
		got = crm_rowset_find(&a->rs, id);
		if (got)
			crm_row_copy(row, got);
		return got != NULL;
	}
	if (!a->streak)
		return crm_entity_get(r->db, e, id, row, err);
	/* the records of the next 2^streak rows, each once */
	want = (size_t)1 << a->streak;
	v = crm_xcalloc(want, sizeof(*v));
	for (j = a->at; j < a->n && k < want; j++) {
		size_t i = 0;

		while (i < k && v[i] != a->ids[j])
			i++;
		if (i == k)
			v[k++] = a->ids[j];
	}
	rc = crm_rowset_load(r->db, e, v, k, &a->rs, err);
	free(v);
	if (rc < 0)
		return -1;
	a->end = j;
	a->nstale = 0;
	got = crm_rowset_find(&a->rs, id);
	if (got)
		crm_row_copy(row, got);
	return got != NULL;
}

/* Record id of f's entity into row, as crm_entity_get, with f's where
 * conditions in the same statement (PostgreSQL without savepoints: a
 * round trip a firing less); their answers for cond_holds in r->cval. 1
 * read, 0 no such record, -1 error. With ids: the records of ids[0..n)
 * and their answers into r->ahead instead (cond_ahead), 0 or -1. */
/* cond_read's statement: by id ?1, or (many) by ids, an array ?1
 * (PostgreSQL only: r->hold); the conditions' values bound. */
static int cond_stmt(struct run *r, const struct crm_flow *f, bool many,
		     struct crm_stmt **out, struct crm_err *err)
{
	const struct crm_entity *e = f->e;
	struct crm_buf sql = {0};
	struct crm_binds b = {0};
	struct crm_stmt *st = NULL;
	int rc = 0;

	/* ?1 first: the conditions' own parameters are numbered after it */
	crm_buf_adds(&sql, many
			       ? "WITH w(ids) AS (SELECT CAST(?1 AS BIGINT[])) "
				 "SELECT "
			       : "SELECT ");
	crm_entity_select_list_db(r->db, e, &sql);
	for (size_t i = 0; rc == 0 && i < f->ncond; i++) {
		if (f->cond[i].kind != CRM_FLOW_COND_WHERE)
			continue;
		crm_buf_addf(&sql,
			     ", CASE WHEN EXISTS (SELECT 1 FROM %s WHERE id = "
			     "%s",
			     e->table, many ? "x.id" : "?1");
		rc = crm_filter_where(r->db, e, &f->cond[i].where, &sql, &b,
				      err);
		crm_buf_adds(&sql, ") THEN 1 ELSE 0 END");
	}
	crm_buf_addf(&sql, " FROM %s%s", e->table,
		     many ? " AS x, w WHERE x.id = ANY(w.ids)"
			  : " WHERE id = ?1");
	if (rc == 0)
		st = crm_db_stmt(r->db, sql.s, err);
	if (st) /* the conditions' values stay bound */
		crm_binds_bind(&b, st, 2);
	crm_binds_release(&b);
	crm_buf_release(&sql);
	*out = st;
	return st ? 0 : -1;
}

/* The records of ids[0..n) with f's conditions' answers into the run's
 * ahead (rows, ans). 0, or -1. */
static int cond_many(struct run *r, const struct crm_flow *f,
		     struct crm_stmt *st, const int64_t *ids, size_t n,
		     struct crm_err *err)
{
	struct ahead *a = &r->ahead;
	struct crm_buf list = {0};
	int rc;

	for (size_t i = 0; i < a->nrows; i++)
		crm_row_release(&a->rows[i]);
	a->nrows = a->rowsat = 0;
	for (size_t i = 0; i < n; i++)
		crm_buf_addf(&list, "%s%lld", i ? "," : "{", (long long)ids[i]);
	crm_buf_adds(&list, "}");
	crm_stmt_bind_text(st, 1, list.s);
	while ((rc = crm_stmt_step(st, err)) > 0) {
		struct crm_row *row;
		int *v, k;

		a->rows = crm_xgrow(a->rows, &a->caprows, a->nrows + 1,
				    sizeof(*a->rows));
		a->ans = crm_xrealloc(a->ans, a->caprows * (f->ncond + 1) *
						  sizeof(*a->ans));
		row = &a->rows[a->nrows];
		v = &a->ans[a->nrows * (f->ncond + 1)];
		a->nrows++;
		crm_row_init(row, f->e);
		crm_row_read(row, st);
		k = crm_stmt_ncols(st);
		for (size_t i = f->ncond; i-- > 0;)
			if (f->cond[i].kind == CRM_FLOW_COND_WHERE)
				v[i] = (int)crm_stmt_int(st, --k);
	}
	crm_stmt_reset(st);
	crm_buf_release(&list);
	return rc < 0 ? -1 : 0;
}

static int cond_read(struct run *r, const struct crm_flow *f, int64_t id,
		     const int64_t *ids, size_t n, struct crm_row *row,
		     struct crm_err *err)
{
	struct cond_read *c = NULL;
	int rc, k;

	for (size_t i = 0; i < r->ncr; i++)
		if (r->cr[i].f == f)
			c = &r->cr[i];
	if (!c) {
		struct crm_stmt *st = NULL, *many = NULL;

		/* by id, and (cond_ahead) by a list of ids */
		if (cond_stmt(r, f, false, &st, err) < 0 ||
		    cond_stmt(r, f, true, &many, err) < 0) {
			crm_stmt_finalize(st);
			return -1;
		}
		r->cr = crm_xgrow(r->cr, &r->capcr, r->ncr + 1, sizeof(*r->cr));
		c = &r->cr[r->ncr++];
		*c = (struct cond_read){f, st, many};
	}
	if (ids)
		return cond_many(r, f, c->many, ids, n, err);
	crm_stmt_bind_int(c->st, 1, id);
	rc = crm_stmt_step(c->st, err);
	if (rc > 0) {
		crm_row_read(row, c->st);
		r->cval =
		    crm_xrealloc(r->cval, (f->ncond + 1) * sizeof(*r->cval));
		k = crm_stmt_ncols(c->st);
		for (size_t i = f->ncond; i-- > 0;)
			if (f->cond[i].kind == CRM_FLOW_COND_WHERE)
				r->cval[i] = (int)crm_stmt_int(c->st, --k);
		r->cf = f;
		r->cid = id;
	}
	crm_stmt_reset(c->st);
	return rc;
}

/* cond_read for a time flow's candidate: as record_get, the records of
 * the candidates ahead with their answers, several to a read while the
 * firings write nothing (their rows held: struct batch). */
static int cond_ahead(struct run *r, const struct crm_flow *f, int64_t id,
		      struct crm_row *row, struct crm_err *err)
{
	struct ahead *a = &r->ahead;
	int64_t now = crm_store_changes(r->db->store);
	size_t want, j;

	if (a->cf != f || a->at >= a->n || a->ids[a->at] != id)
		return cond_read(r, f, id, NULL, 0, row, err);
	ahead_mark(a, now);
	if (a->at < a->end && ahead_stale(a, id))
		return cond_read(r, f, id, NULL, 0, row, err);
	if (a->at >= a->end) {
		if (!a->streak)
			return cond_read(r, f, id, NULL, 0, row, err);
		want = (size_t)1 << a->streak;
		j = a->n - a->at < want ? a->n : a->at + want;
		if (cond_read(r, f, 0, a->ids + a->at, j - a->at, NULL, err) <
		    0)
			return -1;
		a->end = j;
		a->nstale = 0;
	}
	/* the rows come in any order: from where the last was found */
	for (size_t i = 0; i < a->nrows; i++) {
		size_t at = (a->rowsat + i) % a->nrows;

		if (crm_row_id(&a->rows[at]) != id)
			continue;
		crm_row_copy(row, &a->rows[at]);
		r->cval =
		    crm_xrealloc(r->cval, (f->ncond + 1) * sizeof(*r->cval));
		memcpy(r->cval, &a->ans[at * (f->ncond + 1)],
		       f->ncond * sizeof(*r->cval));
		r->cf = f;
		r->cid = id;
		a->rowsat = at + 1;
		return 1;
	}
	return 0;
}

/* Whether f has a where condition. */
static bool has_where(const struct crm_flow *f)
{
	for (size_t i = 0; i < f->ncond; i++)
		if (f->cond[i].kind == CRM_FLOW_COND_WHERE)
			return true;
	return false;
}

/* Whether f's firings may have their rows held (struct batch): its
 * actions write only the record and activities (their ids reserved), and
 * its conditions read only the record (held rows are not in the tables). */
static bool holdable(const struct crm_flow *f)
{
	static const char *const ok[] = {"tag", "set", "task", "log"};

	for (size_t i = 0; i < f->ncond; i++)
		if (f->cond[i].kind != CRM_FLOW_COND_WHERE)
			return false;
	for (size_t i = 0; i < f->nact; i++) {
		size_t k = 0;

		while (k < 4 && strcmp(ok[k], f->act[i].kind->name))
			k++;
		if (k == 4)
			return false;
	}
	return true;
}

/* Fire f for record id once per occurrence: conditions, then actions.
 * fresh: the caller's own read found no firing of this occurrence (a
 * time trigger's candidates, an audit row's batch), and nothing in the
 * run since could have written one, so it is not asked again (a round
 * trip per firing on PostgreSQL). */
static int fire(struct run *r, const struct crm_flow *f, int64_t id,
		const char *occ, const char *why, int depth, bool log_skip,
		bool fresh, struct crm_err *err)
{
	struct crm_buf no = {0}, fail = {0};
	struct crm_flow_ctx ctx = {0};
	struct crm_row row;
	int64_t fid = 0, change = 0, own, acts = 0;
	int rc = -1, h;
	bool defer;

	if (!f->enabled || (r->o->only && strcmp(r->o->only, f->name)))
		return 0;
	/* what reads the run's firings or takes ids sees them written */
	if (r->hold && r->b.settable < 0 && holdable(f)) {
		int64_t ok = 0;

		/* the ids of a batch come from blocks reserved: setval */
		if (crm_dbq_step(r->db, err, &ok, SEQS_SETTABLE, "") < 0)
			return -1;
		r->b.settable = ok > 0;
	}
	r->batching = r->hold && r->b.settable > 0 && holdable(f);
	if ((!r->batching || !fresh) && batch_flush(r, err) < 0) {
		r->batching = false;
		return -1;
	}
	h = fresh ? 0 : firing_exists(r->db, f->name, id, occ, err);
	if (h != 0)
		return h < 0 ? -1 : 0;
	crm_row_init(&row, f->e);
	h = touch_before(r, f->e->table, id, err);
	/* after it: it counted its own writes */
	own = crm_store_changes(r->db->store);
	if (h == 0)
		h = r->hold && has_where(f)
			? cond_ahead(r, f, id, &row, err)
			: record_get(r, f->e, id, &row, err);
	if (h < 0 || (r->nsent && lines_flush(r, true) < 0)) {
		rc = -1;
		goto out;
	}
	if (h == 0) {
		rc = 0;
		goto out;
	}
	if (depth > CRM_FLOW_MAX_DEPTH) {
		char msg[160];

		snprintf(msg, sizeof(msg),
			 "loop stopped: depth %d is past %d (flows triggering "
			 "each other)",
			 depth, CRM_FLOW_MAX_DEPTH);
		r->st->loops++;
		if (firing_insert(r, f, id, occ, why, "loop", depth, msg, NULL,
				  0, false, &fid, err) < 0 ||
		    report(r, f, id, occ, why, "loop", NULL, msg, depth) < 0)
			goto out;
		rc = 0;
		goto out;
	}
	h = conds_hold(r, r->db, f, &row, &no, err);
	r->cf = NULL; /* the answers read with the record are used */
	if (h < 0)
		goto out;
	if (h == 0) {
		/* an event happens once: say why it did not fire */
		if (log_skip && firing_insert(r, f, id, occ, why, "skipped",
					      depth, crm_buf_str(&no), NULL, 0,
					      false, &fid, err) < 0)
			goto out;
		if (r->o->dry_run && report(r, f, id, occ, why, "skipped", NULL,
					    crm_buf_str(&no), depth) < 0)
			goto out;
		rc = 0;
		goto out;
	}
	/* written after the actions with what they did (one statement), or,
	 * when an action needs its id, before them as done: a failure below
	 * sets every column it changes, an error rolls the whole run back */
	defer = !r->strict;
	for (size_t i = 0; i < f->nact; i++)
		defer = defer && !f->act[i].kind->firing_id;
	if (!defer && firing_insert(r, f, id, occ, why, "done", depth, NULL,
				    NULL, 0, true, &fid, err) < 0)
		goto out;
	r->defer = defer;
	acts = crm_store_changes(r->db->store);
	h = apply_actions(r, f, id, &row, fid, occ, depth, &ctx, &fail, &change,
			  err);
	acts = crm_store_changes(r->db->store) - acts;
	r->defer = false;
	if (h < 0)
		goto out;
	if (h == 1 && r->strict) {
		crm_err_set(err, CRM_EX_DATAERR, "flow '%s': %s", f->name,
			    crm_buf_str(&fail));
		goto out;
	}
	if (h == 1) {
		char next[CRM_TIME_LEN];
		int s;

		r->st->failed++;
		s = defer ? firing_insert(r, f, id, occ, why, "failed", depth,
					  crm_buf_str(&fail), NULL, 0, false,
					  &fid, err)
			  : crm_stmt_run_as(
				crm_dbq(r->db, err,
					"UPDATE crm_flow_firings SET status = "
					"'failed', attempts = 1, error = ?2, "
					"next_try = ?3 WHERE id = ?1",
					"iss", fid, crm_buf_str(&fail),
					crm_datetime_format(
					    r->db->now + f->backoff, next)),
				"cannot record a failure", err);
		if (s < 0 || report(r, f, id, occ, why, "failed", NULL,
				    crm_buf_str(&fail), depth) < 0)
			goto out;
		rc = 0;
		goto out;
	}
	r->st->fired++;
	if (json_array_size(ctx.outbox))
		r->batching = false; /* its outbox rows take its id */
	if (defer) {
		if (firing_insert(r, f, id, occ, why,
				  json_array_size(ctx.outbox) ? "pending"
							      : "done",
				  depth, NULL, crm_buf_str(&ctx.did), change,
				  false, &fid, err) < 0 ||
		    made_flush(r, fid, err) < 0 ||
		    outbox_queue(r, &ctx, fid, err) < 0)
			goto out;
	} else if (crm_stmt_run_as(
		       firing_done(r, fid, json_array_size(ctx.outbox) > 0,
				   crm_buf_str(&ctx.did), change, err),
		       "cannot record the firing", err) < 0) {
		goto out;
	}
	if (report(r, f, id, occ, why,
		   json_array_size(ctx.outbox) ? "pending" : "done",
		   crm_buf_str(&ctx.did), NULL, depth) < 0)
		goto out;
	rc = 0;
out:
	r->cf = NULL;
	r->batching = false;
	/* the firing's own rows leave the records read ahead as they are */
	r->ahead.mark += crm_store_changes(r->db->store) - own - acts;
	ctx_release(&ctx);
	crm_row_release(&row);
	crm_buf_release(&no);
	crm_buf_release(&fail);
	return rc;
}

/* -- events ------------------------------------------------------------- */

/* The depth of a change made by the firing that (sql, one row of its
 * depth) finds, plus one; 0 when none. */
static int depth_after(int rc, int64_t depth)
{
	return rc < 0 ? -1 : rc > 0 ? (int)depth + 1 : 0;
}

static int depth_of_change(struct crm_db *db, int64_t change,
			   struct crm_err *err)
{
	int64_t d = 0;
	int rc = crm_dbq_step(
	    db, err, &d,
	    "SELECT depth FROM crm_flow_firings WHERE change_id = ?1", "i",
	    change);

	return depth_after(rc, d);
}

static int depth_of_made(struct crm_db *db, const char *entity, int64_t id,
			 struct crm_err *err)
{
	int64_t d = 0;
	int rc = crm_dbq_step(
	    db, err, &d,
	    "SELECT f.depth FROM crm_flow_made m JOIN crm_flow_firings f ON "
	    "f.id = m.firing_id WHERE m.entity = ?1 AND m.record_id = ?2",
	    "si", entity, id);

	return depth_after(rc, d);
}

static bool uses(const struct crm_flows *fs, enum crm_flow_trigger_kind k,
		 const struct crm_entity *e)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].trigger.kind == k && (!e || fs->v[i].e == e))
			return true;
	return false;
}

static void fill_int(struct crm_stmt *st, void *elem)
{
	*(int64_t *)elem = crm_stmt_int(st, 0);
}

/* New records of each entity a created flow watches; 1 when any. */
static int created_events(struct run *r, struct crm_err *err)
{
	const struct crm_flows *fs = r->fs;
	int any = 0;

	for (size_t i = 0; i < fs->n; i++) {
		const struct crm_entity *e = fs->v[i].e;
		struct crm_buf sql = {0}, name = {0};
		struct {
			int64_t *v;
			size_t n;
		} l = {0};
		struct crm_stmt *st;
		int64_t pos;
		bool seen = false;
		int rc = 0;

		if (fs->v[i].trigger.kind != CRM_FLOW_ON_CREATE)
			continue;
		for (size_t k = 0; k < i; k++)
			if (fs->v[k].trigger.kind == CRM_FLOW_ON_CREATE &&
			    fs->v[k].e == e)
				seen = true;
		if (seen)
			continue;
		crm_buf_addf(&name, "created:%s", e->name);
		pos = cursor_get(r->db, name.s, err);
		crm_buf_addf(&sql,
			     "SELECT id FROM %s WHERE id > ?1 ORDER BY id",
			     e->table);
		st = pos < 0 ? NULL : crm_db_stmt(r->db, sql.s, err);
		if (st) {
			crm_stmt_bind_int(st, 1, pos);
			rc = crm_stmt_rows(st, err, &l.v, &l.n, sizeof(*l.v),
					   fill_int);
			crm_stmt_finalize(st);
		} else {
			rc = -1;
		}
		for (size_t k = 0; rc == 0 && k < l.n; k++) {
			int d = depth_of_made(r->db, e->name, l.v[k], err);

			if (d < 0 || crm_check_interrupt(err) < 0) {
				rc = -1;
				break;
			}
			for (size_t j = 0; rc == 0 && j < fs->n; j++)
				if (fs->v[j].trigger.kind ==
					CRM_FLOW_ON_CREATE &&
				    fs->v[j].e == e)
					rc = fire(r, &fs->v[j], l.v[k],
						  "created", "created", d,
						  false, false, err);
		}
		if (rc == 0 && batch_flush(r, err) < 0)
			rc = -1;
		if (rc == 0 && l.n &&
		    cursor_set(r->db, name.s, l.v[l.n - 1], err) < 0)
			rc = -1;
		any |= l.n > 0;
		free(l.v);
		crm_buf_release(&sql);
		crm_buf_release(&name);
		if (rc < 0)
			return -1;
	}
	return any;
}

struct audit_row {
	int64_t id, change;
	char *entity, *before, *after;
	int64_t record;
	bool fired; /* some flow has a firing of it ("audit:ID") */
};

struct audit_list {
	struct audit_row *v;
	size_t n;
};

static void fill_audit(struct crm_stmt *st, void *elem)
{
	struct audit_row *a = elem;

	crm_stmt_getf(st, "iisissb", &a->id, &a->change, &a->entity, &a->record,
		      &a->before, &a->after, &a->fired);
}

/* A field's value in a JSON image as text (NULL for null or absent). */
static char *json_field(json_t *o, const char *field, bool *present)
{
	json_t *v = json_object_get(o, field);

	if (!v && json_is_object(json_object_get(o, "custom")))
		v = json_object_get(json_object_get(o, "custom"), field);
	if (present)
		*present = v != NULL;
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return crm_xstrdup(json_string_value(v));
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

static bool has_tag(const char *tags, const char *tag)
{
	struct crm_strv v = {0};
	bool h;

	crm_strv_split(&v, tags, ',');
	h = crm_strv_find(&v, tag) >= 0;
	crm_strv_release(&v);
	return h;
}

/* Whether f's update or tag trigger matches one audit row; why. */
static bool audit_matches(const struct crm_flow *f, json_t *before,
			  json_t *after, struct crm_buf *why)
{
	const struct crm_flow_trigger *t = &f->trigger;
	char *from, *to;
	bool present, ok;

	if (t->kind == CRM_FLOW_ON_TAG) {
		from = json_field(before, "tags", NULL);
		to = json_field(after, "tags", &present);
		ok = present && has_tag(to, t->tag) && !has_tag(from, t->tag);
		if (ok)
			crm_buf_addf(why, "tag %s added", t->tag);
		free(from);
		free(to);
		return ok;
	}
	if (!t->field) {
		crm_buf_adds(why, "updated");
		return true;
	}
	to = json_field(after, t->field, &present);
	if (!present) {
		free(to);
		return false;
	}
	from = json_field(before, t->field, NULL);
	ok = (!from || !to || strcmp(from, to)) && (from || to);
	if (ok && t->from)
		ok = from && !strcmp(from, t->from);
	if (ok && t->to)
		ok = to && !strcmp(to, t->to);
	if (ok) { /* "field: from -> to", a firing's why (no vsnprintf) */
		crm_buf_adds(why, t->field);
		crm_buf_adds(why, ": ");
		crm_buf_adds(why, from ? from : "");
		crm_buf_adds(why, " -> ");
		crm_buf_adds(why, to ? to : "");
	}
	free(from);
	free(to);
	return ok;
}

/* Whether the after image of an audit row can name f's trigger field (or
 * the tags), without parsing it: most updates touch other fields, and
 * parsing every image was a quarter of a run. The images are JSON that
 * crm wrote, so a field appears as its quoted name; an image with an
 * escape in it is parsed to be sure. */
static bool audit_may_match(const struct crm_flow *f, const char *after)
{
	const char *field =
	    f->trigger.kind == CRM_FLOW_ON_TAG ? "tags" : f->trigger.field;
	const char *p;
	size_t n;

	if (!field)
		return true;
	if (!after || strchr(after, '\\'))
		return true;
	n = strlen(field);
	for (p = strstr(after, field); p; p = strstr(p + 1, field))
		if (p > after && p[-1] == '"' && p[n] == '"')
			return true;
	return false;
}

/* crm_may_name(after, name) on SQLite: whether the image is NULL, names
 * the quoted name or has an escape. Two instr() calls were a third of a
 * batch's read (a memcmp at each byte, #25 "flowlite"). */
static void sql_may_name(struct crm_fn_ctx *c)
{
	size_t n, k;
	const char *s = crm_fn_text(c, 0, &n), *name = crm_fn_text(c, 1, &k);
	bool yes = !s || !name || !k || memchr(s, '\\', n);

	/* at each of the few quotes (memmem's set-up cost more) */
	for (const char *p = s, *end = s + n;
	     !yes && (p = memchr(p, *name, (size_t)(end - p))) &&
	     (size_t)(end - p) >= k;
	     p++)
		yes = !memcmp(p, name, k);
	crm_fn_result_int(c, yes);
}

static const struct crm_sql_fn may_name_fn = {
    "crm_may_name", 2, sql_may_name, NULL, NULL, 0};

/* audit_may_match in SQL, for the rows a batch reads: " AND (...)" with
 * its parameters in b (audit_may_match still decides). Most update rows
 * of a long log touch other fields, and reading them all into memory was
 * a seventh of a run. instr and strpos, not LIKE: SQLite's LIKE with a
 * leading % costs more than the copies it saves. */
static void audit_filter(struct crm_db *db, const struct crm_flows *fs,
			 struct crm_buf *sql, struct crm_binds *b)
{
	bool pg = crm_store_engine(db->store) == CRM_STORE_PG;
	const char *sep = " AND (";

	for (size_t j = 0; j < fs->n; j++) {
		const struct crm_flow *f = &fs->v[j];
		const char *field = f->trigger.kind == CRM_FLOW_ON_TAG
					? "tags"
					: f->trigger.field;
		struct crm_buf q = {0};

		if (f->trigger.kind != CRM_FLOW_ON_UPDATE &&
		    f->trigger.kind != CRM_FLOW_ON_TAG)
			continue;
		crm_buf_addf(sql, "%s(entity = ?", sep);
		crm_binds_push(b, f->e->name, 't');
		sep = " OR ";
		if (!field) {
			crm_buf_adds(sql, ")");
			continue;
		}
		crm_buf_adds(sql, pg ? " AND (after IS NULL OR strpos(after, "
				       "?) > 0 OR strpos(after, ?) > 0))"
				     : " AND crm_may_name(after, ?))");
		crm_buf_addf(&q, "\"%s\"", field);
		crm_binds_push(b, q.s, 't');
		if (pg)
			crm_binds_push(b, "\\", 't');
		crm_buf_release(&q);
	}
	crm_buf_adds(sql, ")");
}

/* The records of batch l's rows, for record_get: of the entity of the
 * first update or tag flow (0 for another entity's rows). */
static void ahead_set(struct run *r, const struct audit_list *l)
{
	struct ahead *a = &r->ahead;

	a->e = NULL;
	a->cf = NULL;
	for (size_t j = 0; !a->e && j < r->fs->n; j++)
		if (r->fs->v[j].trigger.kind == CRM_FLOW_ON_UPDATE ||
		    r->fs->v[j].trigger.kind == CRM_FLOW_ON_TAG)
			a->e = r->fs->v[j].e;
	a->ids = crm_xrealloc(a->ids, (l->n + 1) * sizeof(*a->ids));
	for (size_t i = 0; a->e && i < l->n; i++)
		a->ids[i] =
		    strcmp(l->v[i].entity, a->e->name) ? 0 : l->v[i].record;
	a->n = a->e ? l->n : 0;
	a->at = a->end = 0;
	a->nstale = 0;
}

/* One batch of the audit rows after the cursor that a flow may want (at
 * most 5000, so memory stays bounded however long the log): 1 when the
 * cursor moved (to the last update row there was when the batch was read,
 * or to the batch's last row when it was full), 0 when there were none. */
static int audit_batch(struct run *r, struct crm_err *err)
{
	const struct crm_flows *fs = r->fs;
	struct audit_list l = {0};
	struct crm_buf sql = {0};
	struct crm_binds b = {0}, names = {0};
	struct crm_stmt *st;
	int64_t pos, end = 0, dchange = 0;
	int rc = -1, dlast = -2;
	const char *sep = "";
	bool pg = crm_store_engine(r->db->store) == CRM_STORE_PG;

	pos = cursor_get(r->db, "audit", err);
	if (pos < 0)
		return -1;
	rc = crm_dbq_step(r->db, err, &end,
			  "SELECT id FROM crm_audit WHERE id > ?1 AND action = "
			  "'update' ORDER BY id DESC LIMIT 1",
			  "i", pos);
	if (rc <= 0)
		return rc;
	/* A firing of the row by a flow that fires on audit rows: by the
	 * firings' unique key, each column given. By record_id alone,
	 * PostgreSQL, without statistics of the firings the run has just
	 * written, took 286 firings a record: it hashed all of them at each
	 * batch, and the plan's cost (4.2M at 1M rows) had the batch JIT
	 * compiled, 165 ms of a 200 ms read. SQLite keeps record_id's
	 * index (fewer instructions). A scalar subquery, not EXISTS:
	 * PostgreSQL turns an EXISTS into a hashed subplan that reads every
	 * firing of the flow at each batch (200,000 at 10M events, 75% of
	 * the batch's time); a scalar one it runs per row, by an index. */
	crm_buf_adds(&sql, "SELECT id, change_id, entity, record_id, before, "
			   "after, (SELECT 1 FROM crm_flow_firings x "
			   "WHERE ");
	for (size_t j = 0; pg && j < fs->n; j++)
		if (fs->v[j].trigger.kind == CRM_FLOW_ON_UPDATE ||
		    fs->v[j].trigger.kind == CRM_FLOW_ON_TAG) {
			crm_buf_adds(&sql, *sep ? sep : "x.flow IN (");
			crm_buf_adds(&sql, "?");
			crm_binds_push(&names, fs->v[j].name, 't');
			sep = ", ";
		}
	if (*sep)
		crm_buf_adds(&sql, ") AND ");
	/* SQLite would read the entity's rows by its index (record) and
	 * sort them, where the rows in order from the cursor are wanted */
	crm_buf_addf(
	    &sql,
	    "x.record_id = crm_audit.record_id AND "
	    "x.occurrence = 'audit:' || crm_audit.id LIMIT 1) IS NOT NULL "
	    "FROM crm_audit%s "
	    "WHERE id > ? AND id <= ? AND action = 'update'",
	    pg ? "" : " NOT INDEXED");
	audit_filter(r->db, fs, &sql, &b);
	crm_buf_adds(&sql, " ORDER BY id LIMIT 5000");
	st = crm_db_stmt(r->db, sql.s, err);
	rc = -1;
	if (st) {
		crm_binds_bind(&names, st, 1);
		crm_stmt_bind_int(st, (int)names.n + 1, pos);
		crm_stmt_bind_int(st, (int)names.n + 2, end);
		crm_binds_bind(&b, st, (int)names.n + 3);
		rc = crm_stmt_rows(st, err, &l.v, &l.n, sizeof(*l.v),
				   fill_audit);
		crm_stmt_finalize(st);
	}
	crm_buf_release(&sql);
	crm_binds_release(&b);
	crm_binds_release(&names);
	if (rc == 0 && l.n == 5000)
		end = l.v[l.n - 1].id;
	if (rc == 0 && r->hold)
		ahead_set(r, &l);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		struct audit_row *a = &l.v[i];
		json_t *before = NULL, *after = NULL;
		bool parsed = false;
		int d = -2;

		r->ahead.at = i;
		for (size_t j = 0; rc == 0 && j < fs->n; j++) {
			const struct crm_flow *f = &fs->v[j];
			struct crm_buf why = {0};
			char occ[48];

			if ((f->trigger.kind != CRM_FLOW_ON_UPDATE &&
			     f->trigger.kind != CRM_FLOW_ON_TAG) ||
			    strcmp(f->e->name, a->entity) ||
			    !audit_may_match(f, a->after))
				continue;
			/* parsed once, and only for a row a flow may want */
			if (!parsed) {
				before = a->before
					     ? json_loads(a->before, 0, NULL)
					     : NULL;
				after = a->after ? json_loads(a->after, 0, NULL)
						 : NULL;
				parsed = true;
			}
			if (!audit_matches(f, before, after, &why)) {
				crm_buf_release(&why);
				continue;
			}
			/* a change's rows come together: its depth once */
			if (d == -2 && a->change == dchange)
				d = dlast;
			if (d == -2)
				d = depth_of_change(r->db, a->change, err);
			dchange = a->change;
			dlast = d;
			if (d < 0)
				rc = -1;
			crm_buf_adds(&why, " (change ");
			crm_buf_adds(&why, crm_fmt_int(occ, a->change));
			crm_buf_adds(&why, ")");
			memcpy(occ, "audit:", 6);
			crm_fmt_int(occ + 6, a->id);
			if (rc == 0)
				rc = fire(r, f, a->record, occ, why.s, d,
					  f->trigger.field || f->trigger.tag,
					  !a->fired, err);
			crm_buf_release(&why);
		}
		json_decref(before);
		json_decref(after);
		if (rc == 0)
			rc = crm_check_interrupt(err);
	}
	r->ahead.n = 0;
	/* the next batch reads the firings' depth and change */
	if (rc == 0 && batch_flush(r, err) < 0)
		rc = -1;
	if (rc == 0 && cursor_set(r->db, "audit", end, err) < 0)
		rc = -1;
	for (size_t i = 0; i < l.n; i++) {
		free(l.v[i].entity);
		free(l.v[i].before);
		free(l.v[i].after);
	}
	free(l.v);
	return rc < 0 ? -1 : 1;
}

static int audit_events(struct run *r, struct crm_err *err)
{
	int any = 0, rc;

	if (!uses(r->fs, CRM_FLOW_ON_UPDATE, NULL) &&
	    !uses(r->fs, CRM_FLOW_ON_TAG, NULL))
		return 0;
	if (crm_store_engine(r->db->store) != CRM_STORE_PG &&
	    crm_store_define(r->db->store, &may_name_fn, err) < 0)
		return -1;
	while ((rc = audit_batch(r, err)) > 0)
		any = 1;
	return rc < 0 ? -1 : any;
}

/* The pos after which no audit row is an update a flow could want: for a
 * run without update flows, the cursor still moves so that a flow added
 * later starts from now, not from the beginning of the log. */
static int audit_skip(struct run *r, struct crm_err *err)
{
	int64_t max;

	if (uses(r->fs, CRM_FLOW_ON_UPDATE, NULL) ||
	    uses(r->fs, CRM_FLOW_ON_TAG, NULL))
		return 0;
	max = crm_db_int(r->db, "SELECT coalesce(max(id), 0) FROM crm_audit",
			 NULL, NULL, err);
	return max < 0 ? -1 : cursor_set(r->db, "audit", max, err);
}

struct event_row {
	int64_t id, record;
	int depth;
	char *name, *entity;
	bool fired; /* some flow has a firing of it ("event:ID") */
};

struct event_list {
	struct event_row *v;
	size_t n;
};

static void fill_event(struct crm_stmt *st, void *elem)
{
	struct event_row *e = elem;

	crm_stmt_getf(st, "issi-b", &e->id, &e->name, &e->entity, &e->record,
		      &e->fired);
	e->depth = (int)crm_stmt_int(st, 4);
}

static int named_events(struct run *r, struct crm_err *err)
{
	struct event_list l = {0};
	int64_t pos = cursor_get(r->db, "events", err);
	int rc;

	if (pos < 0)
		return -1;
	rc = crm_dbq_rows(r->db, err, &l.v, &l.n, sizeof(*l.v), fill_event,
			  "SELECT id, name, entity, record_id, depth, EXISTS "
			  "(SELECT 1 FROM crm_flow_firings x WHERE x.record_id "
			  "= e.record_id AND x.occurrence = 'event:' || e.id) "
			  "FROM crm_flow_events e WHERE id > ?1 ORDER BY id",
			  "i", pos);
	for (size_t i = 0; rc == 0 && i < l.n; i++)
		for (size_t j = 0; rc == 0 && j < r->fs->n; j++) {
			const struct crm_flow *f = &r->fs->v[j];
			char occ[48], why[160];

			if (f->trigger.kind != CRM_FLOW_ON_EVENT ||
			    strcmp(f->trigger.event, l.v[i].name) ||
			    strcmp(f->e->name, l.v[i].entity))
				continue;
			snprintf(occ, sizeof(occ), "event:%lld",
				 (long long)l.v[i].id);
			snprintf(why, sizeof(why), "event %s", l.v[i].name);
			rc = fire(r, f, l.v[i].record, occ, why, l.v[i].depth,
				  true, !l.v[i].fired, err);
		}
	if (rc == 0 && batch_flush(r, err) < 0)
		rc = -1;
	if (rc == 0 && l.n &&
	    cursor_set(r->db, "events", l.v[l.n - 1].id, err) < 0)
		rc = -1;
	for (size_t i = 0; i < l.n; i++) {
		free(l.v[i].name);
		free(l.v[i].entity);
	}
	free(l.v);
	return rc < 0 ? -1 : l.n > 0;
}

/* -- time and schedules -------------------------------------------------- */

struct cand {
	int64_t id;
	char *v;
	char *days; /* a time trigger's days_field value, or NULL */
};

struct cand_list {
	struct cand *v;
	size_t n;
};

/* column 2, when there is one, holds the days_field */
static void fill_cand(struct crm_stmt *st, void *elem)
{
	struct cand *c = elem;

	c->id = crm_stmt_int(st, 0);
	c->v = crm_xstrdup(crm_stmt_text(st, 1));
	c->days = crm_stmt_ncols(st) > 2 ? crm_stmt_dup(st, 2) : NULL;
}

/* The WHERE conditions of f as --where expressions (pushed into SQL). */
static void where_conds(const struct crm_flow *f, struct crm_strv *w)
{
	for (size_t i = 0; i < f->ncond; i++)
		if (f->cond[i].kind == CRM_FLOW_COND_WHERE)
			crm_strv_push(w, f->cond[i].text);
}

/* Records of f that may be due: time triggers (field set, not yet fired
 * for its value) or a schedule's slot (not yet fired for it). */
static int candidates(struct run *r, const struct crm_flow *f, const char *occ,
		      const char *bound, struct cand_list *l,
		      struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_binds b = {0};
	struct crm_strv w = {0};
	struct crm_stmt *st = NULL;
	const char *t = f->e->table, *fld = f->trigger.field;
	int rc = -1;

	/* table and field names come from the entity description */
	if (fld) {
		crm_buf_addf(&sql, "SELECT id, %s", fld);
		if (f->trigger.days_field)
			crm_buf_addf(&sql, ", CAST(%s AS TEXT)",
				     f->trigger.days_field);
		crm_buf_addf(&sql,
			     " FROM %s WHERE %s IS NOT NULL AND "
			     "(CAST(?1 AS TEXT) IS NULL OR %s <= ?1) AND NOT "
			     "EXISTS (SELECT "
			     "1 FROM crm_flow_firings x WHERE x.flow = ?2 AND "
			     "x.record_id = %s.id AND x.occurrence = %s.%s)",
			     t, fld, fld, t, t, fld);
	} else {
		crm_buf_addf(&sql,
			     "SELECT id, CAST(?1 AS TEXT) FROM %s WHERE NOT "
			     "EXISTS (SELECT "
			     "1 FROM crm_flow_firings x WHERE x.flow = ?2 AND "
			     "x.record_id = %s.id AND x.occurrence = ?3)",
			     t, t);
	}
	where_conds(f, &w);
	if (crm_filter_where(r->db, f->e, &w, &sql, &b, err) < 0)
		goto out;
	crm_buf_adds(&sql, " ORDER BY id");
	st = crm_db_stmt(r->db, sql.s, err);
	if (!st)
		goto out;
	crm_stmt_bind_text(st, 1, fld ? bound : occ);
	crm_stmt_bind_text(st, 2, f->name);
	if (!fld)
		crm_stmt_bind_text(st, 3, occ);
	crm_binds_bind(&b, st, fld ? 3 : 4);
	rc = crm_stmt_rows(st, err, &l->v, &l->n, sizeof(*l->v), fill_cand);
out:
	crm_stmt_finalize(st);
	crm_strv_release(&w);
	crm_binds_release(&b);
	crm_buf_release(&sql);
	return rc;
}

static void cands_free(struct cand_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].v);
		free(l->v[i].days);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The candidates' records are read ahead (record_get, cond_ahead). */
static void cands_ahead(struct run *r, const struct crm_flow *f,
			const struct cand_list *l)
{
	struct ahead *a = &r->ahead;

	a->n = 0;
	if (!r->hold)
		return;
	a->e = f->e;
	a->cf = has_where(f) ? f : NULL;
	a->ids = crm_xrealloc(a->ids, (l->n + 1) * sizeof(*a->ids));
	for (size_t i = 0; i < l->n; i++)
		a->ids[i] = l->v[i].id;
	a->n = l->n;
	a->at = a->end = 0;
	a->nstale = 0;
	/* rows of another flow's are not this one's */
	for (size_t i = 0; i < a->nrows; i++)
		crm_row_release(&a->rows[i]);
	a->nrows = 0;
}

static int time_flows(struct run *r, struct crm_err *err)
{
	for (size_t i = 0; i < r->fs->n; i++) {
		const struct crm_flow *f = &r->fs->v[i];
		const struct crm_flow_trigger *t = &f->trigger;
		struct cand_list l = {0};
		char bound[CRM_TIME_LEN], occ[CRM_TIME_LEN + 16];
		const char *b = NULL;
		int rc = 0;

		if (!f->enabled || (r->o->only && strcmp(r->o->only, f->name)))
			continue;
		if (t->kind == CRM_FLOW_ON_TIME) {
			/* due >= field + offset in calendar time, so this
			 * bounds both calendars; before in business time
			 * can be any distance before */
			if ((!t->cal || t->offset >= 0) && !t->days_field)
				b = crm_datetime_format(r->db->now - t->offset,
							bound);
			if (candidates(r, f, NULL, b, &l, err) < 0)
				return -1;
			cands_ahead(r, f, &l);
			for (size_t k = 0; rc == 0 && k < l.n; k++) {
				crm_time due =
				    time_due(t, l.v[k].v, l.v[k].days);
				struct crm_buf why = {0};
				char ds[CRM_TIME_LEN];

				if (due > r->db->now)
					continue;
				r->ahead.at = r->ahead.n ? k : 0;
				crm_flow_trigger_describe(f, &why);
				crm_buf_adds(&why, " (");
				crm_buf_adds(&why, t->field);
				crm_buf_adds(&why, " ");
				crm_buf_adds(&why, l.v[k].v);
				crm_buf_adds(&why, "): due ");
				crm_buf_adds(&why,
					     crm_datetime_format(due, ds));
				rc = fire(r, f, l.v[k].id, l.v[k].v, why.s, 0,
					  false, true, err);
				crm_buf_release(&why);
				if (rc == 0)
					rc = crm_check_interrupt(err);
			}
		} else if (t->kind == CRM_FLOW_ON_SCHEDULE) {
			crm_time slot = schedule_slot(t, r->db->now);
			char ss[CRM_TIME_LEN];

			if (slot == CRM_TIME_MIN)
				continue;
			snprintf(occ, sizeof(occ), "schedule:%s",
				 crm_datetime_format(slot, ss));
			if (candidates(r, f, occ, NULL, &l, err) < 0)
				return -1;
			cands_ahead(r, f, &l);
			for (size_t k = 0; rc == 0 && k < l.n; k++) {
				struct crm_buf why = {0};

				r->ahead.at = r->ahead.n ? k : 0;
				crm_flow_trigger_describe(f, &why);
				crm_buf_addf(&why, ": slot %s", ss);
				rc = fire(r, f, l.v[k].id, occ, why.s, 0, false,
					  true, err);
				crm_buf_release(&why);
				if (rc == 0)
					rc = crm_check_interrupt(err);
			}
		}
		cands_free(&l);
		r->ahead.n = 0;
		r->ahead.cf = NULL;
		/* the next flow's candidates read the firings */
		if (rc < 0 || batch_flush(r, err) < 0)
			return -1;
	}
	return 0;
}

/* -- the queues: failed firings to retry, the outbox's actions --------- */

/* A row of a queue that a run works through: a failed firing due for a
 * retry (ref its record, key its occurrence, text its why) or an external
 * action of the outbox (ref its firing, key its kind, text the job). */
struct queued {
	int64_t id, ref;
	int attempts, depth;
	char *flow, *key, *text;
};

static void fill_queued(struct crm_stmt *st, void *elem)
{
	struct queued *x = elem;
	int64_t attempts, depth;

	crm_stmt_getf(st, "isissii", &x->id, &x->flow, &x->ref, &x->key,
		      &x->text, &attempts, &depth);
	x->attempts = (int)attempts;
	x->depth = (int)depth;
}

/* fn on each row that sql selects (the columns of struct queued in order,
 * ?1 the time now) for the flows this run runs: f is NULL for a flow no
 * longer defined (passed over when --only names one). Stops at the first
 * error. */
static int queue_each(struct run *r, const char *sql,
		      int (*fn)(struct run *r, const struct crm_flow *f,
				const struct queued *x, struct crm_err *err),
		      struct crm_err *err)
{
	struct queued *v = NULL;
	size_t n = 0;
	char now[CRM_TIME_LEN];
	int rc;

	rc = crm_dbq_rows(r->db, err, &v, &n, sizeof(*v), fill_queued, sql, "s",
			  crm_datetime_format(r->db->now, now));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct crm_flow *f = crm_flows_find(r->fs, v[i].flow);

		if (!r->o->only || (f && !strcmp(r->o->only, f->name)))
			rc = fn(r, f, &v[i], err);
	}
	for (size_t i = 0; i < n; i++) {
		free(v[i].flow);
		free(v[i].key);
		free(v[i].text);
	}
	free(v);
	return rc;
}

static int retry(struct run *r, const struct crm_flow *f,
		 const struct queued *x, struct crm_err *err)
{
	struct crm_flow_ctx ctx = {0};
	struct crm_buf fail = {0};
	char next[CRM_TIME_LEN];
	int64_t change = 0;
	int h, rc;

	if (!f)
		return 0;
	r->st->retried++;
	h = apply_actions(r, f, x->ref, NULL, x->id, x->key, x->depth, &ctx,
			  &fail, &change, err);
	if (h < 0) {
		rc = -1;
	} else if (h == 0) {
		r->st->fired++;
		rc = crm_stmt_run_as(
		    crm_dbq(r->db, err,
			    "UPDATE crm_flow_firings SET status = ?2, "
			    "did = ?3, attempts = attempts + 1, error "
			    "= NULL, next_try = NULL, change_id = ?4 WHERE "
			    "id = ?1",
			    "issI", x->id,
			    json_array_size(ctx.outbox) ? "pending" : "done",
			    crm_buf_str(&ctx.did), change),
		    "cannot record the firing", err);
		if (rc == 0)
			rc = report(r, f, x->ref, x->key, x->text, "done",
				    crm_buf_str(&ctx.did), NULL, x->depth);
	} else {
		/* doubled each time: backoff, 2x, 4x ... */
		int64_t wait = f->backoff
			       << (x->attempts < 20 ? x->attempts : 20);
		bool give_up = x->attempts + 1 >= f->retries;

		r->st->failed++;
		crm_datetime_format(r->db->now + wait, next);
		rc = crm_stmt_run_as(
		    crm_dbq(r->db, err,
			    "UPDATE crm_flow_firings SET status = ?2, "
			    "error = ?3, attempts = attempts + 1, "
			    "next_try = ?4 WHERE id = ?1",
			    "isss", x->id, give_up ? "gave_up" : "failed",
			    crm_buf_str(&fail), give_up ? NULL : next),
		    "cannot schedule a retry", err);
		if (rc == 0)
			rc = report(r, f, x->ref, x->key, x->text,
				    give_up ? "gave_up" : "failed", NULL,
				    crm_buf_str(&fail), x->depth);
	}
	ctx_release(&ctx);
	crm_buf_release(&fail);
	return rc;
}

static int retries(struct run *r, struct crm_err *err)
{
	return queue_each(r,
			  "SELECT id, flow, record_id, occurrence, why, "
			  "attempts, depth FROM crm_flow_firings WHERE status "
			  "= 'failed' AND next_try <= ?1 ORDER BY id",
			  retry, err);
}

/* -- the outbox: external actions after the commit ------------------------ */

/* Claim action j for this process (one short transaction): 1 claimed, 0
 * another run has it or it is done. A claim lasts an hour: a run killed
 * while running it leaves it to be retried after that. */
static int claim(struct crm_db *db, const struct queued *j, struct crm_err *err)
{
	char now[CRM_TIME_LEN], until[CRM_TIME_LEN], id[CRM_INT_LEN];
	int64_t ok;

	if (crm_db_begin(db, err) < 0)
		return -1;
	crm_datetime_format(db->now, now);
	crm_datetime_format(db->now + 3600, until);
	ok = crm_db_int(db,
			"SELECT count(*) FROM crm_flow_outbox WHERE id = "
			"CAST(?1 AS INTEGER) AND (status = 'pending' OR "
			"(status IN ('failed', 'running') AND next_try <= ?2))",
			crm_fmt_int(id, j->id), now, err);
	if (ok < 0)
		goto fail;
	if (ok &&
	    crm_stmt_run_as(
		crm_dbq(db, err,
			"UPDATE crm_flow_outbox SET status = 'running', "
			"attempts = attempts + 1, next_try = ?2 WHERE id = ?1",
			"is", j->id, until),
		"cannot claim an action", err) < 0)
		goto fail;
	if (crm_db_commit(db, err) < 0)
		return -1;
	return ok ? 1 : 0;
fail:
	crm_db_rollback(db);
	return -1;
}

static int job_done(struct run *r, const struct crm_flow *f,
		    const struct queued *j, const char *error,
		    struct crm_err *err)
{
	int64_t backoff = f ? f->backoff : 600;
	int max = f ? f->retries : 5;
	int tries = j->attempts + 1;
	const char *status =
	    !error ? "done" : (tries >= max ? "gave_up" : "failed");
	char next[CRM_TIME_LEN], now[CRM_TIME_LEN];

	crm_datetime_format(
	    r->db->now + (backoff << (tries - 1 < 20 ? tries - 1 : 20)), next);
	crm_datetime_format(r->db->now, now);
	if (crm_db_begin(r->db, err) < 0)
		return -1;
	if (crm_stmt_run_as(
		crm_dbq(
		    r->db, err,
		    "UPDATE crm_flow_outbox SET status = ?2, error = ?3, "
		    "next_try = CASE WHEN ?2 = 'failed' THEN ?4 END, done_at = "
		    "CASE WHEN ?2 = 'done' THEN ?5 END WHERE id = ?1",
		    "issss", j->id, status, error, next, now),
		"cannot record an action", err) < 0)
		goto fail;
	/* the firing is done when all its external actions are */
	if (crm_stmt_run_as(
		crm_dbq(
		    r->db, err,
		    "UPDATE crm_flow_firings SET status = CASE WHEN EXISTS "
		    "(SELECT 1 FROM crm_flow_outbox o WHERE o.firing_id = ?1 "
		    "AND o.status = 'gave_up') THEN 'gave_up' WHEN EXISTS "
		    "(SELECT 1 FROM crm_flow_outbox o WHERE o.firing_id = ?1 "
		    "AND o.status <> 'done') THEN 'pending' ELSE 'done' END, "
		    "error = (SELECT min(o.error) FROM crm_flow_outbox o WHERE "
		    "o.firing_id = ?1 AND o.status IN ('failed', 'gave_up')) "
		    "WHERE id = ?1",
		    "i", j->ref),
		"cannot record an action", err) < 0)
		goto fail;
	return crm_db_commit(r->db, err);
fail:
	crm_db_rollback(r->db);
	return -1;
}

static int run_job(struct run *r, const struct crm_flow *f,
		   const struct queued *j, struct crm_err *err)
{
	json_t *job;
	struct crm_strv argv = {0};
	struct crm_err e2 = {0};
	char *env;
	int c = claim(r->db, j, err), rc;

	if (c <= 0)
		return c;
	job = json_loads(j->text, 0, NULL);
	if (!strcmp(j->key, "email")) {
		const char *sm = getenv("CRM_SENDMAIL");

		crm_strv_split(
		    &argv, sm && *sm ? sm : "/usr/sbin/sendmail -t -oi", ' ');
	} else {
		json_t *v;
		size_t k;

		json_array_foreach(json_object_get(job, "argv"), k, v)
		    crm_strv_push(&argv, json_string_value(v));
	}
	/* NULL-terminated for execvp */
	argv.v = crm_xgrow(argv.v, &argv.cap, argv.n + 1, sizeof(*argv.v));
	argv.v[argv.n] = NULL;
	env = crm_xasprintf("CRM_FLOW_KEY=%lld:%lld", (long long)j->ref,
			    (long long)j->id);
	if (argv.n)
		c = r->o->exec(argv.v,
			       json_string_value(json_object_get(job, "stdin")),
			       env, &e2);
	else
		c = crm_err_set(&e2, CRM_EX_CONFIG, "no program");
	if (c == 0)
		r->st->sent++;
	else
		r->st->failed++;
	rc = job_done(r, f, j, c == 0 ? NULL : e2.msg, err);
	free(env);
	crm_strv_release(&argv);
	json_decref(job);
	return rc;
}

static int outbox(struct run *r, struct crm_err *err)
{
	return queue_each(
	    r,
	    "SELECT o.id, f.flow, o.firing_id, o.kind, o.job, o.attempts, "
	    "f.depth FROM crm_flow_outbox o JOIN crm_flow_firings f ON f.id = "
	    "o.firing_id WHERE o.status = 'pending' OR (o.status IN ('failed', "
	    "'running') AND o.next_try <= ?1) ORDER BY o.id",
	    run_job, err);
}

int crm_flow_run(struct crm_db *db, const struct crm_flows *fs,
		 const struct crm_flow_run_opts *o,
		 struct crm_flow_run_stats *st, struct crm_err *err)
{
	struct run r = {.db = db,
			.fs = fs,
			.o = o,
			.st = st,
			.b.settable = -1,
			.b.actor = db->actor};
	uint64_t timeouts = 0; /* approvals escalated or expired */
	bool pg = crm_store_engine(db->store) == CRM_STORE_PG, ended = false;
	int rc = -1;

	/* no savepoint per firing where the store can tell whether a failed
	 * action wrote anything (SQLite: each savepoint copies every page
	 * its firing writes, a fifth of a run's instructions; PostgreSQL:
	 * a firing's writes then go in the pipeline, not one by one) */
	r.fast = crm_store_changes(db->store) >= 0;
	r.hold = r.fast && pg;
	crm_rec_init(&r.rec);
again:
	memset(st, 0, sizeof(*st));
	if (crm_db_begin(db, err) < 0)
		goto out;
	/* approval steps past their timeout first: their outcomes are events
	 * for this run's flows */
	if (crm_approval_timeouts(db, &timeouts, err) < 0)
		goto out;
	/* changes made by firings are read by the next pass, up to the
	 * depth limit (a loop stops there, each firing once) */
	for (int pass = 0; pass <= CRM_FLOW_MAX_DEPTH + 2; pass++) {
		int a = created_events(&r, err), b, c;

		if (a < 0 || (b = audit_events(&r, err)) < 0 ||
		    (c = named_events(&r, err)) < 0)
			goto out;
		if (pass == 0 &&
		    (time_flows(&r, err) < 0 || retries(&r, err) < 0))
			goto out;
		if (!a && !b && !c && pass > 0)
			break;
	}
	if (audit_skip(&r, err) < 0)
		goto out;
	/* the last lines held: a read confirms the writes before them */
	if (batch_flush(&r, err) < 0)
		goto out;
	if (r.nheld && (crm_db_int(db, "SELECT 1", NULL, NULL, err) < 0 ||
			lines_flush(&r, true) < 0))
		goto out;
	importers_free(&r);
	ended = true;
	if (crm_db_finish(db, o->dry_run, err) < 0)
		goto out;
	if (!o->dry_run && o->exec && outbox(&r, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		crm_db_rollback(db);
	batch_clear(&r.b);
	importers_free(&r);
	lines_flush(&r, false);
	/* PostgreSQL without savepoints: a failure anywhere may be a write
	 * of a firing's, reported late; the run with savepoints says */
	if (rc < 0 && r.hold && !ended && err->code != CRM_EX_INTERRUPTED)
		r.restart = true;
	if (rc < 0 && r.restart) {
		/* the same run from the start, a savepoint per firing: the
		 * lines already handed on are not handed again (the run up
		 * to the firing that failed is the same) */
		r.restart = r.fast = r.hold = false;
		r.ahead.n = 0;
		r.skip = r.reported;
		r.reported = 0;
		r.nmade = 0;
		timeouts = 0;
		crm_err_clear(err);
		goto again;
	}
	free(r.imp);
	free(r.made);
	free(r.held);
	free(r.b.f);
	free(r.b.m);
	free(r.b.t);
	free(r.b.c);
	free(r.b.a);
	free(r.b.u);
	crm_activity_batch_release(&r.b.acts);
	free(r.ahead.ids);
	free(r.ahead.stale);
	crm_rowset_release(&r.ahead.rs);
	for (size_t i = 0; i < r.ahead.nrows; i++)
		crm_row_release(&r.ahead.rows[i]);
	free(r.ahead.rows);
	free(r.ahead.ans);
	where_stmts_free(&r);
	crm_rec_release(&r.rec);
	return rc;
}

int crm_flow_fire(struct crm_db *db, const struct crm_flow *f, int64_t id,
		  const char *occurrence, const char *why, bool dry_run,
		  struct crm_err *err)
{
	struct crm_flows fs = {.v = (struct crm_flow *)f, .n = 1};
	struct crm_flow_run_opts o = {.dry_run = dry_run};
	struct crm_flow_run_stats st = {0};
	struct run r = {
	    .db = db, .fs = &fs, .o = &o, .st = &st, .strict = true};
	int rc;

	crm_rec_init(&r.rec);
	rc = fire(&r, f, id, occurrence, why, 0, false, false, err);
	importers_free(&r);
	free(r.imp);
	free(r.made);
	where_stmts_free(&r);
	crm_rec_release(&r.rec);
	return rc < 0 ? -1 : st.fired > 0;
}

/* -- test and log -------------------------------------------------------- */

static int step(int (*fn)(const struct crm_rec *, void *), void *arg,
		struct crm_rec *rec, const char *what, int holds,
		const char *detail)
{
	crm_rec_clear(rec);
	crm_rec_adds(rec, "step", what);
	crm_rec_adds(rec, "holds", holds < 0 ? NULL : holds ? "yes" : "no");
	crm_rec_adds(rec, "detail", detail);
	return fn(rec, arg);
}

int crm_flow_test(struct crm_db *db, const struct crm_flow *f, int64_t id,
		  int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		  bool *fires, struct crm_err *err)
{
	const struct crm_flow_trigger *t = &f->trigger;
	struct crm_buf d = {0}, trig = {0};
	struct crm_rec rec;
	struct crm_row row;
	char occ[CRM_TIME_LEN + 16] = "";
	int rc = -1, h;
	bool all = true;

	*fires = false;
	crm_rec_init(&rec);
	crm_row_init(&row, f->e);
	h = crm_entity_get(db, f->e, id, &row, err);
	if (h <= 0) {
		if (h == 0)
			crm_err_set(err, CRM_EX_NOINPUT, "no %s %lld",
				    f->e->name, (long long)id);
		goto out;
	}
	crm_flow_trigger_describe(f, &trig);
	if (!f->enabled) {
		all = false;
		if (step(fn, arg, &rec, "enabled", 0,
			 "options.enabled is false") < 0)
			goto out;
	}
	if (t->kind == CRM_FLOW_ON_TIME) {
		const char *v = crm_row_get(&row, t->field);
		crm_time due = time_due(
		    t, v,
		    t->days_field ? crm_row_get(&row, t->days_field) : NULL);
		char ds[CRM_TIME_LEN];

		crm_buf_addf(&d, "%s: %s is %s", trig.s, t->field,
			     v ? v : "empty");
		if (due != CRM_BIZ_NEVER)
			crm_buf_addf(&d, ", due %s",
				     crm_datetime_format(due, ds));
		h = due != CRM_BIZ_NEVER && due <= db->now;
		snprintf(occ, sizeof(occ), "%s", v ? v : "");
	} else if (t->kind == CRM_FLOW_ON_SCHEDULE) {
		crm_time slot = schedule_slot(t, db->now);
		char ss[CRM_TIME_LEN];

		h = slot != CRM_TIME_MIN;
		crm_buf_addf(&d, "%s: last slot %s", trig.s,
			     h ? crm_datetime_format(slot, ss) : "none");
		snprintf(occ, sizeof(occ), "schedule:%s", ss);
	} else {
		h = -1;
		crm_buf_addf(&d, "%s: fires on the change log, not on time",
			     trig.s);
	}
	if (h == 0)
		all = false;
	if (step(fn, arg, &rec, "trigger", h, crm_buf_str(&d)) < 0)
		goto out;
	for (size_t i = 0; i < f->ncond; i++) {
		crm_buf_reset(&d);
		h = cond_holds(NULL, db, f, &f->cond[i], &row, &d, err);
		if (h < 0)
			goto out;
		if (!h)
			all = false;
		if (step(fn, arg, &rec, f->cond[i].text, h, crm_buf_str(&d)) <
		    0)
			goto out;
	}
	if (*occ) {
		h = firing_exists(db, f->name, id, occ, err);
		if (h < 0)
			goto out;
		if (h)
			all = false;
		crm_buf_reset(&d);
		crm_buf_addf(&d, "occurrence %s %s", occ,
			     h ? "has fired already" : "has not fired");
		if (step(fn, arg, &rec, "once", !h, crm_buf_str(&d)) < 0)
			goto out;
	}
	*fires = all;
	if (step(fn, arg, &rec, "fires", all,
		 all ? (t->kind == CRM_FLOW_ON_TIME ||
				t->kind == CRM_FLOW_ON_SCHEDULE
			    ? "the next run fires it"
			    : "a matching change fires it")
		     : "it would not fire") < 0)
		goto out;
	rc = 0;
out:
	crm_buf_release(&d);
	crm_buf_release(&trig);
	crm_rec_release(&rec);
	crm_row_release(&row);
	return rc;
}

struct log_ctx {
	int (*fn)(const struct crm_rec *rec, void *arg);
	void *arg;
	struct crm_rec rec;
	struct crm_db *db;
	struct crm_err *err;
};

/* did, then "[email done, command failed: why]" for external actions */
static int outbox_summary(struct log_ctx *c, int64_t fid, const char *did,
			  struct crm_buf *out)
{
	struct crm_stmt *st = crm_db_stmt_cached(
	    c->db,
	    "SELECT kind, status, error FROM crm_flow_outbox WHERE firing_id "
	    "= ?1 ORDER BY action",
	    c->err);
	int s, n = 0;

	if (!st)
		return -1;
	crm_stmt_bind_int(st, 1, fid);
	while ((s = crm_stmt_step(st, c->err)) > 0) {
		if (!n++)
			crm_buf_addf(out, "%s%s[", did ? did : "",
				     did && *did ? " " : "");
		else
			crm_buf_adds(out, ", ");
		crm_buf_addf(out, "%s %s", crm_stmt_text(st, 0),
			     crm_stmt_text(st, 1));
	}
	if (n)
		crm_buf_addc(out, ']');
	crm_stmt_reset(st);
	return s < 0 ? -1 : 0;
}

static int log_row(struct crm_stmt *st, void *arg)
{
	struct log_ctx *c = arg;
	static const char *const cols[] = {
	    "id",	  "fired_at", "flow",	  "entity", "record",
	    "occurrence", "status",   "attempts", "depth",  "why",
	    "did",	  "error",    "next_try", "change", NULL};

	crm_rec_clear(&c->rec);
	for (int i = 0; cols[i]; i++) {
		const char *v =
		    crm_stmt_is_null(st, i) ? NULL : crm_stmt_text(st, i);
		bool num = i == 0 || i == 4 || i == 7 || i == 8 || i == 13;
		struct crm_buf did = {0};

		if (i == 10 &&
		    outbox_summary(c, crm_stmt_int(st, 0), v, &did) < 0) {
			crm_buf_release(&did);
			return -1;
		}
		if (i == 10 && did.len)
			v = did.s;
		crm_rec_add(&c->rec, cols[i], strlen(cols[i]), v,
			    v ? strlen(v) : 0,
			    !v	  ? CRM_NULL
			    : num ? CRM_RAW
				  : CRM_STR);
		crm_buf_release(&did);
	}
	return c->fn(&c->rec, c->arg);
}

int crm_flow_log(struct crm_db *db, const char *flow, int64_t record,
		 int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		 struct crm_err *err)
{
	struct log_ctx c = {.fn = fn, .arg = arg, .db = db, .err = err};
	int rc;

	crm_rec_init(&c.rec);
	rc = crm_dbq_each(
	    db, err, log_row, &c,
	    "SELECT f.id, f.fired_at, f.flow, f.entity, f.record_id, "
	    "f.occurrence, f.status, f.attempts, f.depth, f.why, f.did, "
	    "f.error, coalesce(f.next_try, (SELECT min(o.next_try) FROM "
	    "crm_flow_outbox o WHERE o.firing_id = f.id AND o.status = "
	    "'failed')), f.change_id FROM crm_flow_firings f WHERE (CAST(?1 "
	    "AS TEXT) IS NULL OR f.flow = ?1) AND (?2 = 0 OR f.record_id = ?2) "
	    "ORDER BY "
	    "f.id",
	    "si", flow, record);
	crm_rec_release(&c.rec);
	return rc;
}
