/* db.c - opening the database, migrations, transactions, change sets. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "dbq.h"
#include "money.h"
#include "normalize.h"
#include "schema.h"
#include "store_impl.h"

char *crm_db_resolve_path(const char *path)
{
	const char *env = getenv("CRM_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (path && *path)
		return crm_xstrdup(path);
	if (env && *env)
		return crm_xstrdup(env);
	if (xdg && *xdg == '/')
		return crm_xasprintf("%s/crm/crm.db", xdg);
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : "/";
	}
	return crm_xasprintf("%s/.local/share/crm/crm.db", home);
}

/* mkdir -p of the folders above path, mode 0700. */
static int make_parents(const char *path, struct crm_err *err)
{
	char *p = crm_xstrdup(path);
	int rc = 0;

	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			rc = crm_err_set(err, CRM_EX_CANTCREAT,
					 "cannot create '%s': %s", p,
					 strerror(errno));
			break;
		}
		*s = '/';
	}
	free(p);
	return rc;
}

/* f, on the way to the database at path (a folder when kind is
 * "folder "), must not be a symbolic link: 0 or -1. */
static int no_symlink(const char *path, const char *kind, const char *f,
		      struct crm_err *err)
{
	struct stat sb;

	if (lstat(f, &sb) == 0 && S_ISLNK(sb.st_mode))
		return crm_err_set(err, CRM_EX_CANTCREAT,
				   "cannot open database '%s': %s'%s' is a "
				   "symbolic link, which crm does not follow "
				   "(give the real path)",
				   path, kind, f);
	return 0;
}

/* The database is opened without following symbolic links: none
 * anywhere in the path, nor as its -wal or -shm file. Say which one it is
 * before SQLite creates anything, so the message is clear (SQLite's own
 * check stays, and closes the race). Returns 0 or -1. */
static int refuse_symlinks(const char *path, struct crm_err *err)
{
	static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	char *p = crm_xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; !rc && (s = strchr(s, '/')); s++) {
		*s = '\0';
		rc = no_symlink(path, "folder ", p, err);
		*s = '/';
	}
	for (size_t i = 0; !rc && i < sizeof(ext) / sizeof(*ext); i++) {
		char *f = crm_xasprintf("%s%s", path, ext[i]);

		rc = no_symlink(path, "", f, err);
		free(f);
	}
	free(p);
	return rc;
}

static char *actor_name(void)
{
	const char *u = getenv("CRM_USER");
	struct passwd *pw;

	if (!u || !*u)
		u = getenv("USER");
	if (u && *u)
		return crm_xstrdup(u);
	pw = getpwuid(getuid());
	if (pw)
		return crm_xstrdup(pw->pw_name);
	return crm_xasprintf("uid%ld", (long)getuid());
}

/* On PostgreSQL changes are made by the connected role, which the server
 * vouches for: a user's own role is the actor whatever CRM_USER says. A
 * superuser (the installation's owner, scripts, the tests) may name
 * another with CRM_USER as on SQLite. */
static int role_actor(struct crm_stmt *st, void *arg)
{
	struct crm_db *db = arg;

	if (strcmp(crm_stmt_text(st, 1), "t") &&
	    strcmp(crm_stmt_text(st, 1), "true")) {
		free(db->actor);
		db->actor = crm_xstrdup(crm_stmt_text(st, 0));
	}
	return 0;
}

static int server_actor(struct crm_db *db, struct crm_err *err)
{
	if (crm_store_engine(db->store) != CRM_STORE_PG)
		return 0;
	return crm_dbq_each(db, err, role_actor, db,
			    "SELECT current_user, rolsuper FROM pg_roles "
			    "WHERE rolname = current_user",
			    "");
}

int crm_db_exec(struct crm_db *db, const char *sql, struct crm_err *err)
{
	return crm_store_exec(db->store, sql, err);
}

int crm_db_sort_spill(struct crm_db *db, bool on, struct crm_err *err)
{
	if (crm_store_engine(db->store) == CRM_STORE_PG)
		return 0;
	return crm_db_exec(
	    db, on ? "PRAGMA temp_store = FILE" : "PRAGMA temp_store = MEMORY",
	    err);
}

int64_t crm_db_page_rows(void)
{
	const char *env = getenv("CRM_TEST_PAGE");
	long long n = env ? atoll(env) : 0;

	return n > 0 ? n : 65536;
}

int crm_db_sort_spill_end(struct crm_db *db, int rc, struct crm_err *err)
{
	struct crm_err kept;

	if (crm_db_sort_spill(db, false, rc < 0 ? &kept : err) < 0)
		return -1;
	return rc;
}

int crm_db_defer_foreign_keys(struct crm_db *db, struct crm_err *err)
{
	return crm_db_exec(db,
			   crm_store_engine(db->store) == CRM_STORE_PG
			       ? "SET CONSTRAINTS ALL DEFERRED"
			       : "PRAGMA defer_foreign_keys = ON",
			   err);
}

static int push_ref(struct crm_stmt *st, void *refs)
{
	char *r =
	    crm_xasprintf("%s\t%s", crm_stmt_text(st, 0), crm_stmt_text(st, 1));

	crm_strv_push(refs, r);
	free(r);
	return 0;
}

int crm_db_references(struct crm_db *db, const char *table,
		      struct crm_strv *refs, struct crm_err *err)
{
	static const char lite_sql[] =
	    "SELECT m.name, p.\"from\" FROM sqlite_schema m, "
	    "pragma_foreign_key_list(m.name) p WHERE m.type = 'table' AND "
	    "p.\"table\" = ? AND (p.\"to\" IS NULL OR p.\"to\" = 'id') "
	    "ORDER BY m.name, p.\"from\"";
	static const char pg_sql[] =
	    "SELECT CAST(CAST(c.conrelid AS regclass) AS text) AS t, "
	    "CAST(a.attname AS text) AS f FROM pg_constraint c JOIN "
	    "pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = "
	    "c.conkey[1] JOIN pg_attribute r ON r.attrelid = c.confrelid AND "
	    "r.attnum = c.confkey[1] WHERE c.contype = 'f' AND c.confrelid = "
	    "CAST(CAST(? AS text) AS regclass) AND r.attname = 'id' ORDER BY "
	    "CAST(CAST(c.conrelid AS regclass) AS text) COLLATE \"C\", "
	    "CAST(a.attname AS text) COLLATE \"C\"";

	if (crm_dbq_each(db, err, push_ref, refs,
			 crm_store_engine(db->store) == CRM_STORE_PG ? pg_sql
								     : lite_sql,
			 "s", table) < 0)
		return crm_err_what(err, "cannot read the schema");
	return 0;
}

int crm_db_has_table(struct crm_db *db, const char *name, struct crm_err *err)
{
	static const char lite_sql[] =
	    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
	    "name = ?";
	static const char pg_sql[] = "SELECT count(*) FROM "
				     "information_schema.tables WHERE "
				     "table_schema = current_schema() AND "
				     "table_name = ?";
	int64_t n = crm_dbq_int(
	    db, err,
	    crm_store_engine(db->store) == CRM_STORE_PG ? pg_sql : lite_sql,
	    "s", name);

	if (n < 0)
		return crm_err_what(err, "cannot read the schema");
	return n > 0;
}

struct crm_stmt *crm_db_stmt(struct crm_db *db, const char *sql,
			     struct crm_err *err)
{
	return crm_stmt_prepare(db->store, sql, err);
}

struct crm_stmt *crm_db_stmt_cached(struct crm_db *db, const char *sql,
				    struct crm_err *err)
{
	struct crm_stmt *st;

	for (size_t i = 0; i < db->nscache; i++)
		if (db->scache[i].sql == sql) {
			crm_stmt_reset(db->scache[i].st);
			crm_stmt_clear(db->scache[i].st);
			return db->scache[i].st;
		}
	st = crm_stmt_prepare(db->store, sql, err);
	if (!st)
		return NULL;
	db->scache = crm_xgrow(db->scache, &db->capscache, db->nscache + 1,
			       sizeof(*db->scache));
	db->scache[db->nscache].sql = sql;
	db->scache[db->nscache++].st = st;
	return st;
}

int64_t crm_db_int(struct crm_db *db, const char *sql, const char *a,
		   const char *b, struct crm_err *err)
{
	/* a statement with one parameter ignores the second */
	return crm_dbq_int(db, err, sql, "ss", a, b);
}

int crm_db_begin(struct crm_db *db, struct crm_err *err)
{
	static uint64_t serial;
	struct crm_err e;

	if (crm_store_begin(db->store, &e) < 0)
		return crm_err_set(err, e.code,
				   "cannot start a transaction: %s",
				   e.code == CRM_EX_TEMPFAIL
				       ? "database is busy; try again later"
				       : e.msg);
	db->in_tx = true;
	db->change = 0;
	db->tx = ++serial;
	return 0;
}

int crm_db_commit(struct crm_db *db, struct crm_err *err)
{
	struct crm_err e;

	/* SIGINT/SIGTERM between statements interrupts nothing in SQLite:
	 * whatever the verb's loops check, an interrupted write never
	 * commits. */
	if (crm_check_interrupt(err) < 0 ||
	    (db->before_commit &&
	     db->before_commit(db->before_commit_arg, err) < 0)) {
		crm_db_rollback(db);
		return -1;
	}
	if (crm_store_commit(db->store, &e) < 0) {
		crm_err_set(err, e.code, "cannot commit: %s",
			    e.code == CRM_EX_TEMPFAIL
				? "database is busy; try again later"
				: e.msg);
		crm_db_rollback(db);
		return -1;
	}
	db->in_tx = false;
	db->tx = 0;
	db->last_change = db->change;
	db->change = 0;
	return 0;
}

int crm_db_finish(struct crm_db *db, bool dry_run, struct crm_err *err)
{
	if (!dry_run)
		return crm_db_commit(db, err);
	crm_db_rollback(db);
	return 0;
}

void crm_db_rollback(struct crm_db *db)
{
	crm_store_rollback(db->store);
	db->in_tx = false;
	db->tx = 0;
	db->change = 0;
}

/* The schema version: PRAGMA user_version on SQLite; on PostgreSQL the
 * one-row table crm_schema (none yet: 0). */
static int user_version(struct crm_db *db, int *v, struct crm_err *err)
{
	bool pg = crm_store_engine(db->store) == CRM_STORE_PG;
	struct crm_stmt *st;
	struct crm_err e;
	int rc;

	*v = 0;
	st = crm_db_stmt(db,
			 pg ? "SELECT to_regclass('crm_schema') IS NOT NULL"
			    : "PRAGMA user_version",
			 err);
	if (!st)
		return -1;
	rc = crm_stmt_step(st, &e);
	if (rc > 0 && pg && crm_stmt_int(st, 0)) {
		crm_stmt_finalize(st);
		st = crm_db_stmt(
		    db, "SELECT coalesce(max(version), 0) FROM crm_schema",
		    err);
		if (!st)
			return -1;
		rc = crm_stmt_step(st, &e);
	} else if (rc > 0 && pg) {
		crm_stmt_finalize(st);
		return 0;
	}
	if (rc > 0)
		*v = (int)crm_stmt_int(st, 0);
	crm_stmt_finalize(st);
	if (rc <= 0)
		return crm_err_set(err, rc < 0 ? e.code : CRM_EX_SOFTWARE,
				   "cannot read the schema version: %s",
				   rc < 0 ? e.msg : "no row");
	return 0;
}

/* Apply the migrations after the current version, all in one IMMEDIATE
 * transaction; re-read the version inside it, since another process may
 * have migrated meanwhile. */
static int migrate(struct crm_db *db, bool create, struct crm_err *err)
{
	int v, target = crm_db_schema_version();
	bool pg = crm_store_engine(db->store) == CRM_STORE_PG;
	char sql[128];

	if (user_version(db, &v, err) < 0)
		return -1;
	/* reads don't create: on a server, a database without crm's tables
	 * is as a missing file is on SQLite */
	if (pg && v == 0 && !create)
		return crm_err_set(
		    err, CRM_EX_NOINPUT,
		    "no crm schema in '%s' (crm init creates it)", db->path);
	if (v > target)
		return crm_err_set(err, CRM_EX_CONFIG,
				   "'%s' has schema version %d, newer than "
				   "this crm (%s) knows (%d); upgrade crm",
				   db->path, v, CRM_VERSION, target);
	if (v == target)
		return 0;
	if (crm_db_begin(db, err) < 0)
		return -1;
	if (user_version(db, &v, err) < 0)
		goto fail;
	for (; v < target; v++) {
		struct crm_buf m = {0};
		struct crm_err e;
		int rc;

		if (pg)
			crm_schema_migration_pg(v + 1, &m);
		else
			crm_buf_adds(&m, crm_schema_migration(v + 1));
		rc = crm_store_exec(db->store, crm_buf_str(&m), &e);
		crm_buf_release(&m);
		if (rc < 0) {
			crm_err_set(err, e.code, "schema migration: %s", e.msg);
			goto fail;
		}
	}
	if (pg)
		snprintf(sql, sizeof(sql),
			 "CREATE TABLE IF NOT EXISTS crm_schema (version"
			 " INTEGER NOT NULL); DELETE FROM crm_schema;"
			 " INSERT INTO crm_schema VALUES (%d)",
			 target);
	else
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", target);
	if (crm_db_exec(db, sql, err) < 0)
		goto fail;
	return crm_db_commit(db, err);
fail:
	crm_db_rollback(db);
	return -1;
}

static void sql_fold(struct crm_fn_ctx *c)
{
	struct crm_buf b = {0};
	size_t n;
	const char *s = crm_fn_text(c, 0, &n);

	if (!s) {
		crm_fn_null(c);
		return;
	}
	crm_norm_fold(s, n, &b);
	crm_fn_result_text(c, crm_buf_str(&b), b.len);
	crm_buf_release(&b);
}

static const struct crm_sql_fn fold_fn = {"crm_fold", 1,    sql_fold,
					  NULL,	      NULL, 0};

struct crm_db *crm_db_open(const char *path, unsigned flags,
			   struct crm_err *err)
{
	struct crm_db *db = crm_xcalloc(1, sizeof(*db));
	const char *bt = getenv("CRM_BUSY_TIMEOUT");
	int64_t timeout = 60000;
	struct stat sb;

	db->path = crm_db_resolve_path(path);
	db->actor = actor_name();
	if (crm_datetime_now(&db->now, err) < 0)
		goto fail;
	if (bt && *bt && (crm_parse_int(bt, &timeout) < 0 || timeout < 0)) {
		crm_err_set(err, CRM_EX_CONFIG,
			    "CRM_BUSY_TIMEOUT: expected milliseconds, got '%s'",
			    bt);
		goto fail;
	}
	if (crm_store_is_server(db->path)) {
		/* a server: no file to check; a missing schema is found
		 * by migrate */
	} else if (strcmp(db->path, ":memory:") &&
		   refuse_symlinks(db->path, err) < 0) {
		goto fail;
	} else if (stat(db->path, &sb) < 0) {
		if (!(flags & CRM_DB_CREATE)) {
			crm_err_set(
			    err, CRM_EX_NOINPUT,
			    "no database at '%s' (crm init creates one)",
			    db->path);
			goto fail;
		}
		if (make_parents(db->path, err) < 0)
			goto fail;
		db->created = true;
	}
	/* the store sets WAL, foreign keys, trusted_schema off, the busy
	 * timeout and mode 0600 */
	db->store = crm_store_open(db->path, db->created ? CRM_STORE_CREATE : 0,
				   timeout, err);
	if (!db->store)
		goto fail;
	/* crm_fold(x): what --where FIELD~TEXT compares (Unicode case
	 * folding) */
	if (crm_store_define(db->store, &fold_fn, err) < 0)
		goto fail;
	if (server_actor(db, err) < 0)
		goto fail;
	if (migrate(db, flags & CRM_DB_CREATE, err) < 0)
		goto fail;
	return db;
fail:
	crm_db_close(db);
	return NULL;
}

static void strv_free(struct crm_strv *v)
{
	if (v)
		crm_strv_release(v);
	free(v);
}

void crm_db_close(struct crm_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nscache; i++)
		crm_stmt_finalize(db->scache[i].st);
	free(db->scache);
	if (db->store) {
		crm_db_rollback(db);
		crm_store_close(db->store);
	}
	free(db->path);
	free(db->actor);
	strv_free(db->withheld);
	strv_free(db->readers);
	free(db);
}

static bool listed(const struct crm_strv *l, const char *table,
		   const char *column)
{
	size_t nt = strlen(table);

	for (size_t i = 0; i < l->n; i++) {
		const char *w = l->v[i];

		if (!strncmp(w, table, nt) && w[nt] == '.' &&
		    !strcmp(w + nt + 1, column))
			return true;
	}
	return false;
}

static int push_withheld(struct crm_stmt *st, void *arg)
{
	struct crm_db *db = arg;

	crm_strv_push(db->withheld, crm_stmt_text(st, 0));
	if (crm_stmt_int(st, 1))
		crm_strv_push(db->readers, crm_stmt_text(st, 0));
	return 0;
}

bool crm_db_withheld(struct crm_db *db, const char *table, const char *column)
{
	if (crm_store_engine(db->store) != CRM_STORE_PG)
		return false;
	if (!db->withheld) {
		struct crm_err e;

		db->withheld = crm_xcalloc(1, sizeof(*db->withheld));
		db->readers = crm_xcalloc(1, sizeof(*db->readers));
		/* a superuser or table-wide SELECT withholds nothing; a
		 * per-record field has its reader (crm-user setup-rls) */
		crm_dbq_each(
		    db, &e, push_withheld, db,
		    "SELECT c.relname || '.' || a.attname, CASE WHEN "
		    "to_regprocedure(quote_ident('crm_sens_' || c.relname || "
		    "'_' || a.attname) || '(bigint)') IS NULL THEN 0 ELSE 1 "
		    "END FROM pg_class "
		    "c JOIN pg_attribute a ON a.attrelid = c.oid WHERE "
		    "c.relnamespace = CAST(current_schema() AS regnamespace) "
		    "AND c.relkind = 'r' AND a.attnum > 0 AND NOT "
		    "a.attisdropped AND NOT has_column_privilege(c.oid, "
		    "a.attnum, 'SELECT')",
		    "");
	}
	return listed(db->withheld, table, column);
}

bool crm_db_withheld_reader(struct crm_db *db, const char *table,
			    const char *column)
{
	return crm_db_withheld(db, table, column) &&
	       listed(db->readers, table, column);
}

int crm_db_change(struct crm_db *db, const char *command, const char *entity,
		  struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	/* On PostgreSQL the next number under the writer lock: a sequence
	 * does not roll back, and a dry run must not use up a number. On
	 * SQLite the id is the last rowid: RETURNING would open a statement
	 * journal in the write transaction (a copy of each page the insert
	 * writes, 35k instructions a change; #25 "flowlite") */
	bool pg = crm_store_engine(db->store) == CRM_STORE_PG;
	struct crm_err e;
	int rc;

	if (db->hold)
		return db->hold->change(db->hold->arg, command, entity,
					&db->change, err);
	rc = crm_dbq_step(
	    db, &e, &db->change,
	    pg ? "INSERT INTO crm_changes (id, at, actor, command, entity) "
		 "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM "
		 "crm_changes), ?, ?, ?, ?) RETURNING id"
	       : "INSERT INTO crm_changes (at, actor, command, entity) "
		 "VALUES (?, ?, ?, ?)",
	    "ssss", crm_datetime_format(db->now, now), db->actor, command,
	    entity);

	if (rc == 0 && !pg)
		rc = (db->change = crm_store_last_id(db->store, &e)) > 0;
	if (rc <= 0)
		return crm_err_set(err, rc < 0 ? e.code : CRM_EX_SOFTWARE,
				   "cannot record the change: %s",
				   rc < 0 ? e.msg : "no id");
	return 0;
}

int crm_db_audit(struct crm_db *db, const char *entity, int64_t id,
		 const char *action, const char *before_json,
		 const char *after_json, struct crm_err *err)
{
	struct crm_err e;

	if (db->hold)
		return db->hold->audit(db->hold->arg, db->change, entity, id,
				       action, before_json, after_json, err);
	if (crm_dbq_run(db, &e,
			"INSERT INTO crm_audit (change_id, entity, record_id, "
			"action, before, after) VALUES (?, ?, ?, ?, ?, ?)",
			"isisss", db->change, entity, id, action, before_json,
			after_json) < 0)
		return crm_err_set(err, e.code, "cannot record the change: %s",
				   e.msg);
	return 0;
}

struct crm_stmt *crm_db_rows_stmt(struct crm_db *db, const char *head,
				  const char *row, size_t n, size_t full,
				  char **kept, struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_stmt *st;
	bool keep = n == full;

	if (!keep || !*kept) {
		crm_buf_adds(&sql, head);
		for (size_t i = 0; i < n; i++) {
			if (i)
				crm_buf_addc(&sql, ',');
			crm_buf_adds(&sql, row);
		}
		if (keep)
			*kept = crm_buf_detach(&sql);
	}
	/* a whole batch's statement stays prepared (the cache is keyed by
	 * the text's address) */
	st = keep ? crm_db_stmt_cached(db, *kept, err)
		  : crm_db_stmt(db, sql.s, err);
	crm_buf_release(&sql);
	return st;
}

void crm_db_rows_done(struct crm_stmt *st, size_t n, size_t full)
{
	if (n == full)
		crm_stmt_reset(st);
	else
		crm_stmt_finalize(st);
}

int crm_db_audit_rows(struct crm_db *db, const char *entity, const char *action,
		      size_t n, const int64_t *ids, char *const *before_json,
		      char *const *after_json, struct crm_err *err)
{
	static char *whole; /* the text for CRM_AUDIT_ROWS, made once */
	struct crm_stmt *st;
	struct crm_err e;
	int rc;

	if (!n)
		return 0;
	st = crm_db_rows_stmt(db,
			      "INSERT INTO crm_audit (change_id, entity, "
			      "record_id, action, before, after) VALUES ",
			      "(?,?,?,?,?,?)", n, CRM_AUDIT_ROWS, &whole, err);
	if (!st)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int p = (int)i * 6;

		crm_stmt_bind_int(st, p + 1, db->change);
		crm_stmt_bind_text(st, p + 2, entity);
		crm_stmt_bind_int(st, p + 3, ids[i]);
		crm_stmt_bind_text(st, p + 4, action);
		crm_stmt_bind_text(st, p + 5, before_json[i]);
		crm_stmt_bind_text(st, p + 6, after_json[i]);
	}
	rc = crm_stmt_step(st, &e);
	crm_db_rows_done(st, n, CRM_AUDIT_ROWS);
	if (rc < 0)
		return crm_err_set(err, e.code, "cannot record the change: %s",
				   e.msg);
	return 0;
}
