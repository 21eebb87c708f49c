/* sync.c - crm sync pull and push (see sync.h). */
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contact.h"
#include "dbq.h"
#include "search.h"
#include "segment.h"
#include "sync.h"

/* Local ids of records made offline start here, far above the server's,
 * so a later pull never meets one. */
#define LOCAL_IDS INT64_C(1000000000000)

struct tbl {
	const char *table, *entity;
	const char *mine; /* --mine: the rows of the user ?1 */
};

static const struct tbl tables[] = {
    {"companies", "company",
     "owner = ?1 OR id IN (SELECT company_id FROM contacts WHERE owner = "
     "?1)"},
    {"contacts", "contact", "owner = ?1"},
    {"leads", "lead", "owner = ?1"},
    {"deals", "deal",
     "owner = ?1 OR contact_id IN (SELECT id FROM contacts WHERE owner = "
     "?1)"},
    {"tickets", "ticket",
     "assignee = ?1 OR contact_id IN (SELECT id FROM contacts WHERE owner "
     "= ?1)"},
    {"activities", "activity",
     "owner = ?1 OR contact_id IN (SELECT id FROM contacts WHERE owner = "
     "?1)"},
};
#define NT (sizeof(tables) / sizeof(tables[0]))

const char *const crm_sync_tables[] = {"companies", "contacts", "leads",
				       "deals",	    "tickets",	"activities"};
const size_t crm_sync_ntables = NT;

/* References between the tables: fk ones are foreign keys (a parent the
 * user may not see is left out: the reference is NULL in the copy),
 * the others plain integers (only renumbered when a new record gets its
 * server id). */
static const struct ref {
	int table, col_parent;
	const char *col;
	bool fk;
} refs[] = {
    {0, 0, "parent_id", true},	{1, 0, "company_id", true},
    {2, 1, "contact_id", true}, {2, 0, "company_id", true},
    {3, 0, "company_id", true}, {3, 1, "contact_id", true},
    {4, 1, "contact_id", true}, {4, 0, "company_id", true},
    {5, 1, "contact_id", true}, {5, 0, "company_id", true},
    {5, 2, "lead_id", false},	{5, 3, "deal_id", false},
    {5, 4, "ticket_id", false}, {3, 2, "lead_id", false},
    {2, 3, "deal_id", false},	{1, 1, "reports_to_id", false},
};
#define NREFS (sizeof(refs) / sizeof(refs[0]))

typedef char **row_t; /* ncols values, NULL for SQL NULL */

struct tctx {
	const struct tbl *t;
	struct crm_strv cols;
	int fkcol[NREFS]; /* column of refs[i] in this table, or -1 */
	char *sel, *get, *ins, *upd, *del, *sins, *supd, *sdel, *remap;
	char *sget; /* get on the server (withheld columns; NULL: get) */
	int64_t *seen;
	size_t nseen, capseen;
	uint64_t pulled;
};

struct sync {
	const struct crm_sync_opts *o;
	struct crm_db *l, *s;
	struct tctx t[NT];
	char *client, *user, *server;
	struct crm_sync_stats *st;
	struct crm_sync_event *ev;
	size_t nev, capev;
	int depth;
	bool resume; /* the last push may have stopped after the server's
			commit: look changes up in crm_sync_applied */
};

static void row_free(row_t r, size_t n)
{
	if (!r)
		return;
	for (size_t i = 0; i < n; i++)
		free(r[i]);
	free(r);
}

static row_t row_read(struct crm_stmt *st, size_t n)
{
	row_t r = crm_xcalloc(n ? n : 1, sizeof(char *));

	for (size_t i = 0; i < n; i++)
		r[i] = crm_stmt_dup(st, (int)i);
	return r;
}

/* crm_stmt_rows: a row of a statement on a table's columns */
static void fill_row(struct crm_stmt *st, void *elem)
{
	*(row_t *)elem = row_read(st, (size_t)crm_stmt_ncols(st));
}

static row_t row_copy(row_t r, size_t n)
{
	row_t c = crm_xcalloc(n ? n : 1, sizeof(char *));

	for (size_t i = 0; i < n; i++)
		c[i] = r[i] ? crm_xstrdup(r[i]) : NULL;
	return c;
}

static void set_val(row_t r, size_t i, const char *v)
{
	char *c = v ? crm_xstrdup(v) : NULL;

	free(r[i]);
	r[i] = c;
}

/* Equal values; custom fields compare as JSON (jsonb rewrites the text). */
static bool same(const char *col, const char *a, const char *b)
{
	json_t *ja, *jb;
	bool eq;

	if (!a || !b)
		return !a && !b;
	if (!strcmp(a, b))
		return true;
	if (strcmp(col, "custom")) {
		/* REAL columns: PostgreSQL says 10, SQLite 10.0 */
		char *ea, *eb;
		double da = strtod(a, &ea), db = strtod(b, &eb);

		return *a && *b && !*ea && !*eb && da == db;
	}
	ja = json_loads(a, 0, NULL);
	jb = json_loads(b, 0, NULL);
	eq = ja && jb && json_equal(ja, jb);
	json_decref(ja);
	json_decref(jb);
	return eq;
}

static char *row_json(const struct tctx *c, row_t r)
{
	json_t *o = json_object();
	char *s;

	for (size_t i = 0; i < c->cols.n; i++)
		json_object_set_new(o, c->cols.v[i],
				    r[i] ? json_string(r[i]) : json_null());
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

static row_t json_row(const struct tctx *c, const char *text)
{
	json_t *o = json_loads(text, 0, NULL);
	row_t r = crm_xcalloc(c->cols.n ? c->cols.n : 1, sizeof(char *));

	for (size_t i = 0; o && i < c->cols.n; i++) {
		json_t *v = json_object_get(o, c->cols.v[i]);

		if (json_is_string(v))
			r[i] = crm_xstrdup(json_string_value(v));
	}
	json_decref(o);
	return r;
}

/* A JSON object of the columns in mask (as the change log keeps them). */
static char *fields_json(const struct tctx *c, row_t r, const bool *mask)
{
	json_t *o = json_object();
	char *s;

	for (size_t i = 1; i < c->cols.n; i++) {
		json_t *v;

		if (mask && !mask[i])
			continue;
		if (!r[i])
			v = json_null();
		else if (!strcmp(c->cols.v[i], "custom") &&
			 (v = json_loads(r[i], 0, NULL)))
			;
		else
			v = json_string(r[i]);
		json_object_set_new(o, c->cols.v[i], v);
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static void event(struct sync *y, const char *action, int tbl, int64_t id,
		  int64_t server_id, const char *field, const char *local,
		  const char *server, const char *kept)
{
	struct crm_sync_event *e;

	y->ev = crm_xgrow(y->ev, &y->capev, y->nev + 1, sizeof(*y->ev));
	e = &y->ev[y->nev++];
	e->action = crm_xstrdup(action);
	e->entity = tbl >= 0 ? tables[tbl].entity : NULL;
	e->id = id;
	e->server_id = server_id;
	e->field = field ? crm_xstrdup(field) : NULL;
	e->local = local ? crm_xstrdup(local) : NULL;
	e->server = server ? crm_xstrdup(server) : NULL;
	e->kept = kept ? crm_xstrdup(kept) : NULL;
}

static void events_free(struct sync *y)
{
	for (size_t i = 0; i < y->nev; i++) {
		free((char *)y->ev[i].action);
		free((char *)y->ev[i].field);
		free((char *)y->ev[i].local);
		free((char *)y->ev[i].server);
		free((char *)y->ev[i].kept);
	}
	free(y->ev);
	y->ev = NULL;
	y->nev = y->capev = 0;
}

static int events_send(struct sync *y, bool conflicts_only, struct crm_err *err)
{
	for (size_t i = 0; i < y->nev; i++) {
		if (conflicts_only && strcmp(y->ev[i].action, "conflict") &&
		    strcmp(y->ev[i].action, "deleted-on-server") &&
		    strcmp(y->ev[i].action, "edited-on-server"))
			continue;
		if (y->o->report && y->o->report(&y->ev[i], y->o->arg) < 0)
			return crm_err_set(err, CRM_EX_IOERR,
					   "writing the report failed");
	}
	return 0;
}

/* Column names of the local table and the statements on them (table and
 * column names come from the fixed table list and the schema). */
static int tctx_init(struct sync *y, int i, struct crm_err *err)
{
	struct tctx *c = &y->t[i];
	const char *t = tables[i].table;
	char *sql = crm_xasprintf("SELECT * FROM %s WHERE 1 = 0", t);
	struct crm_stmt *st = crm_db_stmt(y->l, sql, err);
	struct crm_buf cols = {0}, ph = {0}, ph1 = {0}, set = {0};
	int rc;

	free(sql);
	c->t = &tables[i];
	if (!st)
		return -1;
	rc = crm_stmt_step(st, err);
	for (int k = 0; rc == 0 && k < crm_stmt_ncols(st); k++)
		crm_strv_push(&c->cols, crm_stmt_name(st, k));
	crm_stmt_finalize(st);
	if (rc < 0)
		return -1;
	if (!c->cols.n || strcmp(c->cols.v[0], "id"))
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "%s: no id column first", t);
	for (size_t r = 0; r < NREFS; r++)
		c->fkcol[r] = refs[r].table == i
				  ? (int)crm_strv_find(&c->cols, refs[r].col)
				  : -1;
	for (size_t k = 0; k < c->cols.n; k++) {
		crm_buf_addf(&cols, "%s%s", k ? ", " : "", c->cols.v[k]);
		crm_buf_addf(&ph, "%s?%zu", k ? ", " : "", k + 1);
		if (k) {
			crm_buf_addf(&ph1, "%s?%zu", k > 1 ? ", " : "", k);
			crm_buf_addf(&set, "%s%s = ?%zu", k > 1 ? ", " : "",
				     c->cols.v[k], k + 1);
		}
	}
	c->sel = crm_xasprintf("SELECT %s FROM %s", crm_buf_str(&cols), t);
	c->get = crm_xasprintf("SELECT %s FROM %s WHERE id = ?1",
			       crm_buf_str(&cols), t);
	c->ins = crm_xasprintf("INSERT INTO %s (%s) VALUES (%s)", t,
			       crm_buf_str(&cols), crm_buf_str(&ph));
	c->upd = crm_xasprintf("UPDATE %s SET %s WHERE id = ?1", t,
			       crm_buf_str(&set));
	c->del = crm_xasprintf("DELETE FROM %s WHERE id = ?1", t);
	c->sins = crm_xasprintf("INSERT INTO %s (%s) VALUES (%s) RETURNING id",
				t, strchr(crm_buf_str(&cols), ',') + 2,
				crm_buf_str(&ph1));
	c->supd = crm_xasprintf("UPDATE %s SET %s WHERE id = ?1 RETURNING id",
				t, crm_buf_str(&set));
	c->sdel = crm_xasprintf("DELETE FROM %s WHERE id = ?1 RETURNING id", t);
	c->remap = crm_xasprintf("UPDATE %s SET id = ?2 WHERE id = ?1", t);
	crm_buf_release(&cols);
	crm_buf_release(&ph);
	crm_buf_release(&ph1);
	crm_buf_release(&set);
	return 0;
}

static void tctx_free(struct tctx *c)
{
	crm_strv_release(&c->cols);
	free(c->sel);
	free(c->get);
	free(c->sget);
	free(c->ins);
	free(c->upd);
	free(c->del);
	free(c->sins);
	free(c->supd);
	free(c->sdel);
	free(c->remap);
	free(c->seen);
}

static void sync_free(struct sync *y)
{
	for (size_t i = 0; i < NT; i++)
		tctx_free(&y->t[i]);
	events_free(y);
	crm_db_close(y->s);
	crm_db_close(y->l);
	free(y->client);
	free(y->user);
	free(y->server);
}

/* The row id of table c in db (cached statement), NULL if none; -1 in
 * *rc on error. */
static row_t get_row(struct crm_db *db, const struct tctx *c, int64_t id,
		     int *rc, struct crm_err *err)
{
	struct crm_stmt *st = crm_dbq(
	    db, err,
	    c->sget && crm_store_engine(db->store) == CRM_STORE_PG ? c->sget
								   : c->get,
	    "i", id);
	row_t r = NULL;

	*rc = -1;
	if (!st)
		return NULL;
	*rc = crm_stmt_step(st, err);
	if (*rc == 1)
		r = row_read(st, c->cols.n);
	crm_stmt_reset(st);
	return r;
}

/* Run a cached statement with the row's values bound to ?1.. from
 * column first: 1 a row came (*id its column 0, when given), 0 none, -1. */
static int step_row(struct crm_db *db, const char *sql, const struct tctx *c,
		    row_t r, size_t first, int64_t *id, struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt_cached(db, sql, err);
	int rc;

	if (!st)
		return -1;
	for (size_t i = first; i < c->cols.n; i++)
		crm_stmt_bind_text(st, (int)(i - first + 1), r[i]);
	rc = crm_stmt_step(st, err);
	if (rc == 1 && id)
		*id = crm_stmt_int(st, 0);
	crm_stmt_reset(st);
	return rc;
}

/* step_row from column 0, for a statement without rows: 0 or -1 */
static int run_row(struct crm_db *db, const char *sql, const struct tctx *c,
		   row_t r, struct crm_err *err)
{
	return step_row(db, sql, c, r, 0, NULL, err) < 0 ? -1 : 0;
}

static int run_id(struct crm_db *db, const char *sql, int64_t id, int64_t id2,
		  struct crm_err *err)
{
	return crm_dbq_step(db, err, NULL, sql, id2 ? "ii" : "i", id, id2);
}

/* Runs sql (made by the caller, freed here: not cached) on db with the
 * values of fmt bound, fn on each row (NULL: one step); 0 or -1. */
static int sql_each(struct crm_db *db, char *sql,
		    int (*fn)(struct crm_stmt *, void *), void *arg,
		    struct crm_err *err, const char *fmt, ...)
{
	struct crm_stmt *st = crm_db_stmt(db, sql, err);
	va_list ap;
	int rc;

	free(sql);
	if (!st)
		return -1;
	va_start(ap, fmt);
	crm_stmt_vbindf(st, fmt, ap);
	va_end(ap);
	rc = fn ? crm_stmt_each(st, fn, arg, err) : crm_stmt_step(st, err);
	crm_stmt_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* -- the local sync state and base rows -- */

static char *state_get(struct crm_db *db, const char *key, struct crm_err *err)
{
	char *v;

	crm_dbq_text(db, err, &v,
		     "SELECT value FROM crm_sync_state WHERE key = ?1", "s",
		     key);
	return v;
}

static int state_set(struct crm_db *db, const char *key, const char *value,
		     struct crm_err *err)
{
	return crm_dbq_run(
	    db, err,
	    "INSERT INTO crm_sync_state (key, value) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	    "ss", key, value);
}

static int state_del(struct crm_db *db, const char *key, struct crm_err *err)
{
	return crm_dbq_run(db, err, "DELETE FROM crm_sync_state WHERE key = ?1",
			   "s", key);
}

/* The base row of (table, id): 1 found (*gen, *row set), 0 none, -1. */
static int base_get(struct sync *y, int tb, int64_t id, int64_t *gen,
		    row_t *row, struct crm_err *err)
{
	struct crm_stmt *st = crm_dbq(
	    y->l, err,
	    "SELECT gen, row FROM crm_sync_base WHERE tbl = ?1 AND id = ?2",
	    "si", tables[tb].table, id);
	int rc;

	*row = NULL;
	if (!st)
		return -1;
	rc = crm_stmt_step(st, err);
	if (rc == 1) {
		*gen = crm_stmt_int(st, 0);
		*row = json_row(&y->t[tb], crm_stmt_text(st, 1));
	}
	crm_stmt_reset(st);
	return rc;
}

static int base_put(struct sync *y, int tb, int64_t id, int64_t gen, row_t r,
		    struct crm_err *err)
{
	char *j = row_json(&y->t[tb], r);
	int rc = crm_dbq_run(
	    y->l, err,
	    "INSERT INTO crm_sync_base (tbl, id, gen, row) VALUES (?1, ?2, "
	    "?3, ?4) ON CONFLICT (tbl, id) DO UPDATE SET gen = excluded.gen, "
	    "row = excluded.row",
	    "siis", tables[tb].table, id, gen, j);

	free(j);
	return rc;
}

static int base_del(struct sync *y, int tb, int64_t id, struct crm_err *err)
{
	return crm_dbq_run(
	    y->l, err, "DELETE FROM crm_sync_base WHERE tbl = ?1 AND id = ?2",
	    "si", tables[tb].table, id);
}

/* -- opening -- */

static char *new_client_id(void)
{
	unsigned char b[12];
	char *s = crm_xmalloc(sizeof(b) * 2 + 1);
	int fd = open("/dev/urandom", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, b, sizeof(b)) : -1;

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof(b))
		for (size_t i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)(rand() ^ getpid());
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(s + 2 * i, 3, "%02x", b[i]);
	return s;
}

/* a count above 0 sets *arg */
static int nonzero(struct crm_stmt *st, void *arg)
{
	if (crm_stmt_int(st, 0) > 0)
		*(bool *)arg = true;
	return 0;
}

/* A first pull goes into a file that holds no records: 0, or -1 (one
 * that does: CRM_EX_CANTCREAT). */
static int fresh_copy(struct sync *y, struct crm_err *err)
{
	for (size_t i = 0; i < NT; i++) {
		bool any = false;

		if (sql_each(y->l,
			     crm_xasprintf("SELECT count(*) FROM %s",
					   tables[i].table),
			     nonzero, &any, err, "") < 0)
			return -1;
		if (any)
			return crm_err_set(err, CRM_EX_CANTCREAT,
					   "'%s' holds records and is no "
					   "pulled copy: pull into a new file",
					   y->o->local);
	}
	return 0;
}

static int open_local(struct sync *y, bool create, struct crm_err *err)
{
	if (crm_store_is_server(y->o->local))
		return crm_err_set(err, CRM_EX_USAGE,
				   "the local copy must be a file, not a "
				   "server ('%s')",
				   y->o->local);
	y->l = crm_db_open(y->o->local, create ? CRM_DB_CREATE : 0, err);
	if (!y->l)
		return -1;
	for (size_t i = 0; i < NT; i++)
		if (tctx_init(y, (int)i, err) < 0)
			return -1;
	return 0;
}

/* The server: --db, else saved (the copy's, NULL on a first pull). */
static int open_server(struct sync *y, const char *saved, struct crm_err *err)
{
	const char *url = y->o->server ? y->o->server : saved;

	if (!url || !crm_store_is_server(url))
		return crm_err_set(err, CRM_EX_USAGE,
				   "the server must be a PostgreSQL connection "
				   "string (postgresql://...), not '%s'",
				   url ? url : "");
	y->s = crm_db_open(url, 0, err);
	if (!y->s)
		return -1;
	/* the user the change log names: the login (or CRM_USER for a
	 * superuser, as everywhere) */
	y->user = crm_xstrdup(y->s->actor);
	/* the server's reads: a column withheld from the user is read as
	 * NULL, a per-record one through its reader, so a pull copies only
	 * what the user may see (and a push, reading the same, writes back
	 * NULL where the server's guard keeps the value) */
	for (size_t i = 0; i < NT; i++) {
		struct tctx *c = &y->t[i];
		struct crm_buf cols = {0};

		if (!c->t) /* no copy open (yet) */
			continue;
		for (size_t k = 0; k < c->cols.n; k++) {
			const char *col = c->cols.v[k];

			crm_buf_adds(&cols, k ? ", " : "");
			if (crm_db_withheld_reader(y->s, c->t->table, col))
				crm_buf_addf(&cols, "crm_sens_%s_%s(id) AS %s",
					     c->t->table, col, col);
			else if (crm_db_withheld(y->s, c->t->table, col))
				crm_buf_addf(&cols, "NULL AS %s", col);
			else
				crm_buf_adds(&cols, col);
		}
		free(c->sel);
		free(c->sget);
		c->sel = crm_xasprintf("SELECT %s FROM %s", crm_buf_str(&cols),
				       c->t->table);
		c->sget = crm_xasprintf("SELECT %s FROM %s WHERE id = ?1",
					crm_buf_str(&cols), c->t->table);
		crm_buf_release(&cols);
	}
	return 0;
}

/* -- pull -- */

static int apply_pulled(struct sync *y, int tb, row_t srow,
			struct crm_err *err);

static size_t seen_slot(const struct tctx *c, int64_t id)
{
	size_t h = (size_t)((uint64_t)id * UINT64_C(0x9E3779B97F4A7C15) >> 7);

	for (h &= c->capseen - 1; c->seen[h] && c->seen[h] != id;
	     h = (h + 1) & (c->capseen - 1))
		;
	return h;
}

static bool seen_has(const struct tctx *c, int64_t id)
{
	return c->capseen && c->seen[seen_slot(c, id)] == id;
}

static void seen_add(struct tctx *c, int64_t id)
{
	if (!id || seen_has(c, id))
		return;
	if (2 * (c->nseen + 1) > c->capseen) {
		int64_t *old = c->seen;
		size_t oldcap = c->capseen;

		c->capseen = c->capseen ? 2 * c->capseen : 1024;
		c->seen = crm_xcalloc(c->capseen, sizeof(*c->seen));
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				c->seen[seen_slot(c, old[i])] = old[i];
		free(old);
	}
	c->seen[seen_slot(c, id)] = id;
	c->nseen++;
}

/* Parents of a pulled row: present in the copy, else fetched from the
 * server; one the user may not see (or deleted locally) is NULL. */
static int localize(struct sync *y, int tb, row_t r, struct crm_err *err)
{
	struct tctx *c = &y->t[tb];

	for (size_t k = 0; k < NREFS; k++) {
		int col = c->fkcol[k], p = refs[k].col_parent, rc;
		int64_t pid, gen;
		row_t lr, br, sr;

		if (col < 0 || !refs[k].fk || !r[col])
			continue;
		if (crm_parse_int(r[col], &pid) < 0)
			continue;
		if (seen_has(&y->t[p], pid))
			continue;
		/* deleted here: the reference goes (as the delete did to the
		 * records here); else fetched from the server (refreshed) */
		lr = get_row(y->l, &y->t[p], pid, &rc, err);
		row_free(lr, y->t[p].cols.n);
		if (rc < 0)
			return -1;
		br = NULL;
		if (rc == 0 && base_get(y, p, pid, &gen, &br, err) < 0)
			return -1;
		row_free(br, y->t[p].cols.n);
		rc = br ? 1 : 0;
		sr = NULL;
		if (rc == 0 && y->depth < 8) {
			sr = get_row(y->s, &y->t[p], pid, &rc, err);
			if (rc < 0)
				return -1;
		}
		if (sr) {
			y->depth++;
			rc = apply_pulled(y, p, sr, err);
			y->depth--;
			row_free(sr, y->t[p].cols.n);
			if (rc < 0)
				return -1;
			continue;
		}
		set_val(r, (size_t)col, NULL);
	}
	return 0;
}

/* A server row into the copy (three-way: fields changed locally keep their
 * value and base). */
static int apply_pulled(struct sync *y, int tb, row_t srow, struct crm_err *err)
{
	struct tctx *c = &y->t[tb];
	size_t n = c->cols.n;
	int64_t id, gen = 0;
	row_t b = NULL, l = NULL;
	int rc, lrc, status = -1;

	if (crm_parse_int(srow[0], &id) < 0)
		return crm_err_set(err, CRM_EX_SOFTWARE, "bad id '%s'",
				   srow[0] ? srow[0] : "");
	/* a parent fetched for an earlier row is already in */
	if (seen_has(c, id))
		return 0;
	seen_add(c, id); /* first: a cycle of parents ends here */
	if (localize(y, tb, srow, err) < 0)
		return -1;
	y->st->rows++;
	c->pulled++;
	if ((rc = base_get(y, tb, id, &gen, &b, err)) < 0)
		return -1;
	l = get_row(y->l, c, id, &lrc, err);
	if (lrc < 0)
		goto out;
	if (!b) {
		if (run_row(y->l, l ? c->upd : c->ins, c, srow, err) < 0 ||
		    base_put(y, tb, id, 0, srow, err) < 0)
			goto out;
	} else if (l) {
		bool lch = false, bch = false;

		for (size_t i = 1; i < n; i++) {
			if (!same(c->cols.v[i], l[i], b[i]))
				continue; /* changed here: push decides */
			if (!same(c->cols.v[i], b[i], srow[i])) {
				set_val(l, i, srow[i]);
				set_val(b, i, srow[i]);
				lch = bch = true;
			}
		}
		if (lch) {
			if (run_row(y->l, c->upd, c, l, err) < 0)
				goto out;
			y->st->changes++;
		}
		if (bch && base_put(y, tb, id, gen + 1, b, err) < 0)
			goto out;
	} /* deleted here: push decides */
	status = 0;
out:
	row_free(b, n);
	row_free(l, n);
	return status;
}

struct unseen {
	const struct tctx *c;
	struct crm_idv iv;
};

/* a base row's id, when the server's answer did not have it */
static int add_unseen(struct crm_stmt *st, void *arg)
{
	struct unseen *u = arg;
	int64_t id = crm_stmt_int(st, 0);

	if (!seen_has(u->c, id))
		crm_idv_push(&u->iv, id);
	return 0;
}

/* Records pulled before and gone from the server's answer now: deleted
 * there or no longer the user's. Unchanged here: removed; changed: kept
 * for push to report. */
static int drop_unseen(struct sync *y, int tb, uint64_t *removed,
		       struct crm_err *err)
{
	struct tctx *c = &y->t[tb];
	struct unseen u = {.c = c};
	int64_t *gone;
	int status = -1;

	if (crm_dbq_each(y->l, err, add_unseen, &u,
			 "SELECT id FROM crm_sync_base WHERE tbl = ?1 ORDER "
			 "BY id",
			 "s", c->t->table) < 0)
		goto out;
	gone = u.iv.v;
	for (size_t i = 0; i < u.iv.n; i++) {
		int64_t gen;
		row_t b, l;
		bool changed = false;
		int lrc;

		if (base_get(y, tb, gone[i], &gen, &b, err) < 0)
			goto out;
		l = get_row(y->l, c, gone[i], &lrc, err);
		if (lrc < 0) {
			row_free(b, c->cols.n);
			goto out;
		}
		for (size_t k = 1; l && b && k < c->cols.n; k++)
			changed |= !same(c->cols.v[k], l[k], b[k]);
		row_free(b, c->cols.n);
		row_free(l, c->cols.n);
		if (changed || !l)
			continue;
		if (run_id(y->l, c->del, gone[i], 0, err) < 0 ||
		    base_del(y, tb, gone[i], err) < 0)
			goto out;
		(*removed)++;
	}
	status = 0;
out:
	free(u.iv.v);
	return status;
}

/* New local records get ids from LOCAL_IDS up (SQLite's AUTOINCREMENT
 * counter: the copy is always a SQLite file). */
static int local_ids(struct sync *y, struct crm_err *err)
{
	for (size_t i = 0; i < NT; i++) {
		if (crm_dbq_run(
			y->l, err,
			"INSERT INTO sqlite_sequence (name, seq) SELECT "
			"?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM "
			"sqlite_sequence WHERE name = ?1)",
			"si", tables[i].table, (int64_t)(LOCAL_IDS - 1)) < 0 ||
		    crm_dbq_run(y->l, err,
				"UPDATE sqlite_sequence SET seq = ?2 "
				"WHERE name = ?1 AND seq < ?2",
				"si", tables[i].table,
				(int64_t)(LOCAL_IDS - 1)) < 0)
			return -1;
	}
	return 0;
}

/* --where: the contacts it selects on the server (as the user sees them:
 * the engine's query under row-level security). */
static int where_ids(struct sync *y, const struct crm_strv *where,
		     int64_t **ids, size_t *n, struct crm_err *err)
{
	struct crm_query q = {where, NULL, -1, NULL, 0};
	struct crm_idv iv = {0};

	if (crm_entity_each(y->s, &crm_contact_entity, &q, crm_idv_collect, &iv,
			    err) < 0) {
		free(iv.v);
		return -1;
	}
	*ids = iv.v;
	*n = iv.n;
	return 0;
}

/* --where: the selected contacts, and the leads, deals, tickets and
 * activities of each (companies come as the contacts' parents). */
static int pull_by_contacts(struct sync *y, int tb, const int64_t *ids,
			    size_t n, struct crm_err *err)
{
	struct tctx *c = &y->t[tb];
	char *sql;
	struct crm_stmt *st;
	int rc = 0;

	if (!strcmp(c->t->table, "contacts")) {
		for (size_t i = 0; i < n && rc >= 0; i++) {
			row_t r = get_row(y->s, c, ids[i], &rc, err);

			if (r)
				rc = apply_pulled(y, tb, r, err);
			row_free(r, c->cols.n);
		}
		return rc < 0 ? -1 : 0;
	}
	if (crm_strv_find(&c->cols, "contact_id") < 0)
		return 0;
	sql = crm_xasprintf("%s WHERE contact_id = ?1 ORDER BY id", c->sel);
	st = crm_db_stmt(y->s, sql, err);
	free(sql);
	if (!st)
		return -1;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		row_t *rs = NULL;
		size_t nrs = 0;

		crm_stmt_bind_int(st, 1, ids[i]);
		rc = crm_stmt_rows(st, err, &rs, &nrs, sizeof(*rs), fill_row);
		for (size_t k = 0; k < nrs; k++) {
			if (rc >= 0 && apply_pulled(y, tb, rs[k], err) < 0)
				rc = -1;
			row_free(rs[k], c->cols.n);
		}
		free(rs);
		if (rc >= 0 && crm_check_interrupt(err) < 0)
			rc = -1;
	}
	crm_stmt_finalize(st);
	return rc < 0 ? -1 : 0;
}

struct pulling {
	struct sync *y;
	int tb;
	struct crm_err *err;
};

/* a row of the server's table into the copy */
static int pull_row(struct crm_stmt *st, void *arg)
{
	struct pulling *p = arg;
	size_t n = p->y->t[p->tb].cols.n;
	row_t r = row_read(st, n);
	int rc = apply_pulled(p->y, p->tb, r, p->err);

	row_free(r, n);
	return rc < 0 || crm_check_interrupt(p->err) < 0 ? -1 : 0;
}

int crm_sync_pull(const struct crm_sync_opts *o, struct crm_sync_stats *stats,
		  struct crm_err *err)
{
	struct sync y = {0};
	char *was = NULL, *cursor = NULL;
	struct crm_strv where = {0};
	bool mine = false;
	int64_t *ids = NULL;
	size_t nids = 0;
	uint64_t removed[NT] = {0};
	int status = -1;

	y.o = o;
	y.st = stats;
	memset(stats, 0, sizeof(*stats));
	if (!o->server && access(o->local, F_OK) < 0)
		return crm_err_set(err, CRM_EX_USAGE,
				   "a first pull needs --db (the server)");
	if (o->server && !crm_store_is_server(o->server)) {
		open_server(&y, NULL, err);
		goto out;
	}
	if (open_local(&y, true, err) < 0)
		goto out;
	was = state_get(y.l, "server", err);
	if (!was && fresh_copy(&y, err) < 0)
		goto out;
	if (open_server(&y, was, err) < 0)
		goto out;
	if (was) {
		char *u = state_get(y.l, "user", err);
		bool other = u && strcmp(u, y.user);

		free(u);
		if (other) {
			crm_err_set(err, CRM_EX_CANTCREAT,
				    "'%s' was pulled by another user",
				    o->local);
			goto out;
		}
	}
	/* one snapshot of the server for every table */
	if (crm_store_exec(y.s->store,
			   "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
			   err) < 0)
		goto out;
	if (crm_dbq_text(y.s, err, &cursor,
			 "SELECT coalesce(max(id), 0) FROM crm_changes",
			 "") < 0 ||
	    !cursor)
		goto out;
	if (crm_db_begin(y.l, err) < 0 ||
	    crm_db_defer_foreign_keys(y.l, err) < 0)
		goto out;
	if (!was) {
		char *id = new_client_id();
		int rc = state_set(y.l, "client", id, err);

		free(id);
		if (rc < 0 || state_set(y.l, "user", y.user, err) < 0 ||
		    local_ids(&y, err) < 0)
			goto out;
	}
	/* the selection: the options, else the one the copy was pulled with */
	if (was && !o->mine && !(o->where && o->where->n)) {
		char *m = state_get(y.l, "mine", err),
		     *w = state_get(y.l, "where", err);
		json_t *a = w ? json_loads(w, 0, NULL) : NULL;
		size_t k;
		json_t *v;

		mine = m && !strcmp(m, "1");
		json_array_foreach(a, k, v) if (json_is_string(v))
		    crm_strv_push(&where, json_string_value(v));
		json_decref(a);
		free(m);
		free(w);
	} else {
		mine = o->mine;
		for (size_t k = 0; o->where && k < o->where->n; k++)
			crm_strv_push(&where, o->where->v[k]);
	}
	{
		json_t *a = json_array();
		char *w;
		int rc;

		for (size_t k = 0; k < where.n; k++)
			json_array_append_new(a, json_string(where.v[k]));
		w = json_dumps(a, JSON_COMPACT);
		json_decref(a);
		rc = state_set(y.l, "where", w, err);
		free(w);
		if (rc < 0)
			goto out;
	}
	if (state_set(y.l, "server", o->server ? o->server : was, err) < 0 ||
	    state_set(y.l, "cursor", cursor, err) < 0 ||
	    state_set(y.l, "mine", mine ? "1" : "0", err) < 0)
		goto out;
	if (where.n && where_ids(&y, &where, &ids, &nids, err) < 0)
		goto out;
	for (size_t i = 0; i < NT; i++) {
		struct tctx *c = &y.t[i];
		int rc = 0;

		if (where.n) {
			rc = pull_by_contacts(&y, (int)i, ids, nids, err);
		} else {
			char *sql =
			    mine ? crm_xasprintf("%s WHERE %s ORDER BY id",
						 c->sel, tables[i].mine)
				 : crm_xasprintf("%s ORDER BY id", c->sel);
			struct pulling p = {&y, (int)i, err};

			rc = sql_each(y.s, sql, pull_row, &p, err,
				      mine ? "s" : "", y.user);
		}
		if (rc < 0)
			goto out;
	}
	/* what is gone, children first: a parent pulled for a later table's
	 * row is seen by then */
	for (size_t k = NT; k-- > 0;)
		if (drop_unseen(&y, (int)k, &removed[k], err) < 0)
			goto out;
	for (size_t i = 0; i < NT; i++) {
		char rows[32], gone[32];

		snprintf(rows, sizeof(rows), "%llu",
			 (unsigned long long)y.t[i].pulled);
		snprintf(gone, sizeof(gone), "%llu",
			 (unsigned long long)removed[i]);
		event(&y, tables[i].table, (int)i, 0, 0, NULL, rows, gone,
		      NULL);
	}
	/* the copy was written without audit rows: its search index no
	 * longer knows what changed */
	if (crm_search_index_stale(y.l, err) < 0)
		goto out;
	if (crm_db_commit(y.l, err) < 0)
		goto out;
	crm_store_exec(y.s->store, "COMMIT", err);
	status = events_send(&y, false, err);
out:
	free(was);
	free(cursor);
	free(ids);
	crm_strv_release(&where);
	sync_free(&y);
	return status;
}

/* -- push -- */

enum op { OP_INSERT, OP_UPDATE, OP_DELETE };

struct item {
	int tb;
	enum op op;
	int64_t id, gen;
};

static bool is_time(const char *col)
{
	return !strcmp(col, "updated_at") || !strcmp(col, "last_activity_at");
}

/* The column NAME_key follows NAME's side; -1 if col is none. */
static long key_of(const struct tctx *c, size_t col)
{
	const char *name = c->cols.v[col];
	size_t n = strlen(name);
	char *base;
	long k;

	if (n < 5 || strcmp(name + n - 4, "_key"))
		return -1;
	base = crm_xstrndup(name, n - 4);
	k = crm_strv_find(&c->cols, base);
	free(base);
	return k;
}

struct collecting {
	struct sync *y;
	int tb;
	struct item **items;
	size_t *n, cap;
	struct crm_err *err;
};

static void add_item(struct collecting *k, enum op op, int64_t id, int64_t gen)
{
	*k->items =
	    crm_xgrow(*k->items, &k->cap, *k->n + 1, sizeof(**k->items));
	(*k->items)[(*k->n)++] = (struct item){k->tb, op, id, gen};
}

/* a local record the server never had */
static int add_insert(struct crm_stmt *st, void *arg)
{
	add_item(arg, OP_INSERT, crm_stmt_int(st, 0), 0);
	return 0;
}

/* a base row: the record changed or deleted here since */
static int add_changed(struct crm_stmt *st, void *arg)
{
	struct collecting *k = arg;
	struct tctx *c = &k->y->t[k->tb];
	int64_t id = crm_stmt_int(st, 0);
	row_t b = json_row(c, crm_stmt_text(st, 2)), l;
	bool changed = false;
	int lrc;

	l = get_row(k->y->l, c, id, &lrc, k->err);
	for (size_t j = 1; l && j < c->cols.n; j++)
		changed |= !same(c->cols.v[j], l[j], b[j]);
	if (lrc >= 0 && (!l || changed))
		add_item(k, l ? OP_UPDATE : OP_DELETE, id, crm_stmt_int(st, 1));
	row_free(b, c->cols.n);
	row_free(l, c->cols.n);
	return lrc < 0 ? -1 : 0;
}

static int collect(struct sync *y, struct item **items, size_t *n,
		   struct crm_err *err)
{
	struct collecting k = {.y = y, .items = items, .n = n, .err = err};

	for (size_t i = 0; i < NT; i++) {
		const char *t = y->t[i].t->table;

		k.tb = (int)i;
		if (sql_each(y->l,
			     crm_xasprintf("SELECT id FROM %s WHERE id NOT IN "
					   "(SELECT id FROM crm_sync_base "
					   "WHERE tbl = ?1) ORDER BY id",
					   t),
			     add_insert, &k, err, "s", t) < 0 ||
		    crm_dbq_each(y->l, err, add_changed, &k,
				 "SELECT id, gen, row FROM crm_sync_base "
				 "WHERE tbl = ?1 ORDER BY id",
				 "s", t) < 0)
			return -1;
	}
	return 0;
}

/* The change key of an item, and whether the server applied it already
 * (1, *sid: the server id it gave), 0 not, -1. */
static int applied(struct sync *y, const char *key, int64_t *sid,
		   struct crm_err *err)
{
	return crm_dbq_step(y->s, err, sid,
			    "SELECT server_id FROM crm_sync_applied WHERE "
			    "client = ?1 AND change = ?2",
			    "ss", y->client, key);
}

static int mark_applied(struct sync *y, const char *key, int64_t sid,
			struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	int rc;

	rc = crm_dbq_step(
	    y->s, err, NULL,
	    "INSERT INTO crm_sync_applied (client, change, server_id, at, "
	    "actor) VALUES (?1, ?2, ?3, ?4, ?5)",
	    "ssiss", y->client, key, sid, crm_datetime_format(y->s->now, now),
	    y->s->actor);
	return rc < 0 ? -1 : 0;
}

/* Give a new local record its server id: the row and what refers to it. */
static int remap(struct sync *y, int tb, int64_t from, int64_t to,
		 struct crm_err *err)
{
	if (run_id(y->l, y->t[tb].remap, from, to, err) < 0)
		return -1;
	for (size_t k = 0; k < NREFS; k++) {
		if (refs[k].col_parent != tb)
			continue;
		if (sql_each(
			y->l,
			crm_xasprintf("UPDATE %s SET %s = ?2 WHERE %s = ?1",
				      tables[refs[k].table].table, refs[k].col,
				      refs[k].col),
			NULL, NULL, err, "ii", from, to) < 0)
			return -1;
		/* base rows of children keep the server's view: a new parent
		 * was not there, so no base names it */
	}
	return 0;
}

/* Log values that lost a conflict in the server's change log. */
static int log_lost(struct sync *y, int tb, int64_t id, const char *lost,
		    const char *kept, struct crm_err *err)
{
	return crm_db_audit(y->s, tables[tb].entity, id, "conflict", lost, kept,
			    err);
}

/* Bring the copy of an item the server applied before in line with the
 * server now. */
static int finish_applied(struct sync *y, const struct item *it, int64_t sid,
			  struct crm_err *err)
{
	struct tctx *c = &y->t[it->tb];
	int64_t id = it->id;
	row_t s;
	int rc;

	if (it->op == OP_INSERT) {
		if (remap(y, it->tb, it->id, sid, err) < 0)
			return -1;
		id = sid;
	}
	s = get_row(y->s, c, id, &rc, err);
	if (rc < 0)
		return -1;
	if (!s) {
		rc = (it->op == OP_DELETE
			  ? 0
			  : run_id(y->l, c->del, id, 0, err)) < 0 ||
			     base_del(y, it->tb, id, err) < 0
			 ? -1
			 : 0;
		return rc;
	}
	{
		/* an update, not delete and insert: a delete would clear the
		 * references to the record (ON DELETE SET NULL) */
		row_t l = get_row(y->l, c, id, &rc, err);

		row_free(l, c->cols.n);
		if (rc < 0) {
			row_free(s, c->cols.n);
			return -1;
		}
	}
	rc = (run_row(y->l, rc == 1 ? c->upd : c->ins, c, s, err) < 0 ||
	      base_put(y, it->tb, id, it->gen + 1, s, err) < 0)
		 ? -1
		 : 0;
	row_free(s, c->cols.n);
	return rc;
}

static int push_insert(struct sync *y, const struct item *it, const char *key,
		       struct crm_err *err)
{
	struct tctx *c = &y->t[it->tb];
	row_t l, s;
	int64_t sid = 0;
	int rc;

	l = get_row(y->l, c, it->id, &rc, err);
	if (rc != 1)
		return rc < 0 ? -1 : 0;
	rc = step_row(y->s, c->sins, c, l, 1, &sid, err);
	row_free(l, c->cols.n);
	if (rc != 1)
		return rc < 0 ? -1
			      : crm_err_set(err, CRM_EX_SOFTWARE,
					    "insert gave no id");
	if (crm_db_audit(y->s, c->t->entity, sid, "insert", NULL, NULL, err) <
		0 ||
	    mark_applied(y, key, sid, err) < 0)
		return -1;
	event(y, "inserted", it->tb, it->id, sid, NULL, NULL, NULL, NULL);
	if (remap(y, it->tb, it->id, sid, err) < 0)
		return -1;
	s = get_row(y->s, c, sid, &rc, err);
	if (rc < 0)
		return -1;
	rc = s ? base_put(y, it->tb, sid, 0, s, err) : 0;
	row_free(s, c->cols.n);
	return rc;
}

static int push_update(struct sync *y, const struct item *it, const char *key,
		       struct crm_err *err)
{
	struct tctx *c = &y->t[it->tb];
	size_t n = c->cols.n;
	row_t l = NULL, b = NULL, s = NULL, m = NULL;
	bool *from_l = crm_xcalloc(n, sizeof(bool));
	bool *wrote = crm_xcalloc(n, sizeof(bool));
	bool *lost = crm_xcalloc(n, sizeof(bool));
	int64_t gen;
	size_t nwrote = 0, nlost = 0, nconf = 0;
	int rc, status = -1;
	const char *kept = y->o->policy == CRM_SYNC_LOCAL    ? "local"
			   : y->o->policy == CRM_SYNC_SERVER ? "server"
							     : "none";

	l = get_row(y->l, c, it->id, &rc, err);
	if (rc < 0 || base_get(y, it->tb, it->id, &gen, &b, err) < 0)
		goto out;
	s = get_row(y->s, c, it->id, &rc, err);
	if (rc < 0)
		goto out;
	if (!s) {
		/* deleted there (or no longer the user's): not resurrected;
		 * the local values go to the server's change log */
		char *lj = fields_json(c, l, NULL);

		y->st->conflicts++;
		event(y, "deleted-on-server", it->tb, it->id, it->id, NULL,
		      NULL, NULL,
		      y->o->policy == CRM_SYNC_STOP ? "none" : "server");
		rc = y->o->policy == CRM_SYNC_STOP ? 0
		     : (log_lost(y, it->tb, it->id, lj, NULL, err) < 0 ||
			mark_applied(y, key, it->id, err) < 0 ||
			run_id(y->l, c->del, it->id, 0, err) < 0 ||
			base_del(y, it->tb, it->id, err) < 0)
			 ? -1
			 : 0;
		free(lj);
		status = rc;
		goto out;
	}
	m = row_copy(s, n);
	for (size_t i = 1; i < n; i++) {
		const char *col = c->cols.v[i];

		if (key_of(c, i) >= 0 || !strcmp(col, "created_at") ||
		    same(col, l[i], b[i]))
			continue;
		if (is_time(col)) {
			if (!s[i] || (l[i] && strcmp(l[i], s[i]) > 0))
				set_val(m, i, l[i]);
			continue;
		}
		if (same(col, s[i], l[i]))
			continue;
		if (same(col, s[i], b[i])) {
			set_val(m, i, l[i]);
			from_l[i] = true;
			nwrote++;
			continue;
		}
		nconf++;
		event(y, "conflict", it->tb, it->id, it->id, col, l[i], s[i],
		      kept);
		if (y->o->policy == CRM_SYNC_LOCAL) {
			set_val(m, i, l[i]);
			from_l[i] = true;
			nwrote++;
		} else {
			lost[i] = true;
			nlost++;
		}
	}
	for (size_t i = 1; i < n; i++) {
		long k = key_of(c, i);

		if (k >= 0 && from_l[k])
			set_val(m, i, l[i]);
		wrote[i] = !same(c->cols.v[i], m[i], s[i]);
	}
	y->st->conflicts += nconf;
	if (y->o->policy == CRM_SYNC_STOP && nconf) {
		status = 0;
		goto out;
	}
	if (nwrote) {
		char *bj = fields_json(c, s, NULL),
		     *aj = fields_json(c, m, wrote);

		rc = step_row(y->s, c->supd, c, m, 0, NULL, err);
		if (rc == 1 && crm_db_audit(y->s, c->t->entity, it->id,
					    "update", bj, aj, err) < 0)
			rc = -1;
		free(bj);
		free(aj);
		if (rc < 0)
			goto out;
		if (rc == 0) {
			crm_err_set(err, CRM_EX_CANTCREAT,
				    "%s %lld: not yours to change on the "
				    "server",
				    c->t->entity, (long long)it->id);
			goto out;
		}
		event(y, "updated", it->tb, it->id, it->id, NULL, NULL, NULL,
		      NULL);
	}
	if (nlost) {
		char *lj = fields_json(c, l, lost),
		     *sj = fields_json(c, s, lost);

		rc = log_lost(y, it->tb, it->id, lj, sj, err);
		free(lj);
		free(sj);
		if (rc < 0)
			goto out;
	}
	if (mark_applied(y, key, it->id, err) < 0 ||
	    run_row(y->l, c->upd, c, m, err) < 0 ||
	    base_put(y, it->tb, it->id, gen + 1, m, err) < 0)
		goto out;
	status = 0;
out:
	row_free(l, n);
	row_free(b, n);
	row_free(s, n);
	row_free(m, n);
	free(from_l);
	free(wrote);
	free(lost);
	return status;
}

static int push_delete(struct sync *y, const struct item *it, const char *key,
		       struct crm_err *err)
{
	struct tctx *c = &y->t[it->tb];
	size_t n = c->cols.n;
	row_t b = NULL, s = NULL;
	int64_t gen;
	bool edited = false;
	int rc, status = -1;

	if (base_get(y, it->tb, it->id, &gen, &b, err) < 0)
		goto out;
	s = get_row(y->s, c, it->id, &rc, err);
	if (rc < 0)
		goto out;
	if (!s) {
		event(y, "gone", it->tb, it->id, it->id, NULL, NULL, NULL,
		      NULL);
		status = base_del(y, it->tb, it->id, err);
		goto out;
	}
	for (size_t i = 1; i < n; i++)
		edited |= !same(c->cols.v[i], s[i], b[i]);
	if (edited) {
		y->st->conflicts++;
		event(y, "edited-on-server", it->tb, it->id, it->id, NULL, NULL,
		      NULL,
		      y->o->policy == CRM_SYNC_STOP	? "none"
		      : y->o->policy == CRM_SYNC_SERVER ? "server"
							: "local");
		if (y->o->policy == CRM_SYNC_STOP) {
			status = 0;
			goto out;
		}
		if (y->o->policy == CRM_SYNC_SERVER) {
			/* the edit stays: the record comes back here */
			status =
			    (mark_applied(y, key, it->id, err) < 0 ||
			     run_row(y->l, c->ins, c, s, err) < 0 ||
			     base_put(y, it->tb, it->id, gen + 1, s, err) < 0)
				? -1
				: 0;
			goto out;
		}
	}
	rc = run_id(y->s, c->sdel, it->id, 0, err);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		crm_err_set(err, CRM_EX_CANTCREAT,
			    "%s %lld: not yours to delete on the server",
			    c->t->entity, (long long)it->id);
		goto out;
	}
	{
		char *bj = fields_json(c, s, NULL);

		rc = crm_db_audit(y->s, c->t->entity, it->id, "delete", bj,
				  NULL, err) < 0
			 ? -1
			 : 0;
		free(bj);
	}
	if (rc < 0 || mark_applied(y, key, it->id, err) < 0 ||
	    base_del(y, it->tb, it->id, err) < 0)
		goto out;
	event(y, "deleted", it->tb, it->id, it->id, NULL, NULL, NULL, NULL);
	status = 0;
out:
	row_free(b, n);
	row_free(s, n);
	return status;
}

static int push_item(struct sync *y, const struct item *it, struct crm_err *err)
{
	char key[128];
	int64_t sid = 0;
	int rc = 0;

	snprintf(key, sizeof(key), "%s:%lld:%s%lld", tables[it->tb].table,
		 (long long)it->id,
		 it->op == OP_INSERT   ? "new"
		 : it->op == OP_DELETE ? "del"
				       : "",
		 (long long)it->gen);
	/* only a push interrupted after the server's commit can have left
	 * applied changes the copy does not know of */
	if (y->resume && (rc = applied(y, key, &sid, err)) < 0)
		return -1;
	if (!y->resume)
		rc = 0;
	if (rc == 1) {
		event(y, "applied", it->tb, it->id, sid, NULL, NULL, NULL,
		      NULL);
		return finish_applied(y, it, sid, err);
	}
	if (crm_store_savepoint(y->s->store, "crm_sync", err) < 0)
		return -1;
	rc = it->op == OP_INSERT   ? push_insert(y, it, key, err)
	     : it->op == OP_UPDATE ? push_update(y, it, key, err)
				   : push_delete(y, it, key, err);
	if (rc < 0 && err->code == CRM_EX_CANTCREAT) {
		/* refused by the server's rights: this change is not applied,
		 * the others go on */
		struct crm_err e2 = {0};

		if (crm_store_rollback_to(y->s->store, "crm_sync", &e2) < 0 ||
		    crm_store_release(y->s->store, "crm_sync", &e2) < 0) {
			*err = e2;
			return -1;
		}
		y->st->refused++;
		event(y, "refused", it->tb, it->id, 0, NULL, err->msg, NULL,
		      NULL);
		crm_err_clear(err);
		return 0;
	}
	if (rc < 0)
		return -1;
	return crm_store_release(y->s->store, "crm_sync", err);
}

int crm_sync_push(const struct crm_sync_opts *o, struct crm_sync_stats *stats,
		  struct crm_err *err)
{
	struct sync y = {0};
	struct item *items = NULL;
	size_t nitems = 0;
	char *server = NULL, *user = NULL;
	int status = -1;

	y.o = o;
	y.st = stats;
	memset(stats, 0, sizeof(*stats));
	if (open_local(&y, false, err) < 0)
		goto out;
	server = state_get(y.l, "server", err);
	y.client = state_get(y.l, "client", err);
	user = state_get(y.l, "user", err);
	if (!server || !y.client || !user) {
		if (!err->code)
			crm_err_set(err, CRM_EX_DATAERR,
				    "'%s' is no pulled copy (crm sync pull "
				    "makes one)",
				    o->local);
		goto out;
	}
	if (open_server(&y, server, err) < 0)
		goto out;
	if (strcmp(user, y.user)) {
		crm_err_set(err, CRM_EX_CANTCREAT,
			    "'%s' was pulled by %s: push it as %s (connected "
			    "as %s)",
			    o->local, user, user, y.user);
		goto out;
	}
	/* "pushing" is in the copy, durably, before the server commits
	 * anything, and leaves with the copy's commit: found at the start, a
	 * push stopped between the two commits */
	{
		char *p = state_get(y.l, "pushing", err);

		y.resume = p != NULL;
		free(p);
		if (err->code)
			goto out;
	}
	if (!y.resume && (crm_db_begin(y.l, err) < 0 ||
			  state_set(y.l, "pushing", "1", err) < 0 ||
			  crm_db_commit(y.l, err) < 0))
		goto out;
	/* the copy stays locked while the server works: no local write slips
	 * between the changes sent and their bookkeeping */
	if (crm_db_begin(y.l, err) < 0 ||
	    crm_db_defer_foreign_keys(y.l, err) < 0 ||
	    collect(&y, &items, &nitems, err) < 0 ||
	    crm_db_begin(y.s, err) < 0 ||
	    crm_db_change(y.s, "sync push", NULL, err) < 0 ||
	    state_del(y.l, "pushing", err) < 0)
		goto out;
	/* parents first for inserts and updates, children first for deletes */
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < NT; k++) {
			int tb = pass ? (int)(NT - 1 - k) : (int)k;

			for (size_t i = 0; i < nitems; i++) {
				if (items[i].tb != tb ||
				    (items[i].op == OP_DELETE) != (pass == 1))
					continue;
				stats->changes++;
				if (push_item(&y, &items[i], err) < 0 ||
				    crm_check_interrupt(err) < 0)
					goto out;
			}
		}
	if (o->policy == CRM_SYNC_STOP && stats->conflicts) {
		crm_db_rollback(y.s);
		crm_db_rollback(y.l);
		/* nothing reached the server: no resume needed */
		if (crm_db_begin(y.l, err) < 0 ||
		    state_del(y.l, "pushing", err) < 0 ||
		    crm_db_commit(y.l, err) < 0)
			goto out;
		status = events_send(&y, true, err);
		goto out;
	}
	if (crm_db_commit(y.s, err) < 0)
		goto out;
	/* a crash here leaves the server's crm_sync_applied rows: the next
	 * push finds them and only brings the copy in line */
	if (getenv("CRM_SYNC_TEST_CRASH")) {
		crm_err_set(err, CRM_EX_TEMPFAIL,
			    "CRM_SYNC_TEST_CRASH: stopped between the server's "
			    "commit and the copy's");
		goto out;
	}
	/* the copy's ids and rows changed without audit rows */
	if (crm_search_index_stale(y.l, err) < 0 || crm_db_commit(y.l, err) < 0)
		goto out;
	status = events_send(&y, false, err);
out:
	free(items);
	free(server);
	free(user);
	sync_free(&y);
	return status;
}
