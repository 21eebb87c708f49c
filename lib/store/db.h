/* db.h - crm's database connection: opening (a file path or a server),
 * migrations, transactions, the change log; on the storage interface
 * (store.h). All SQL in crm lives in lib/. */
#ifndef CRM_DB_H
#define CRM_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "datetime.h"
#include "store.h"
#include "util.h"

/* The schema version this binary writes (PRAGMA user_version). */
int crm_db_schema_version(void);

struct crm_db {
	struct crm_store *store; /* the connection (lib/store/store.h) */
	char *path;
	crm_time now;	/* "now" for this process: CRM_NOW or the clock */
	char *actor;	/* who makes changes: $CRM_USER, else $USER, else uid */
	int64_t change; /* the open change set (see crm_db_change), 0 if none */
	int64_t last_change; /* the change set of the last commit, 0 if none */
	bool in_tx;
	/* Called by crm_db_commit before COMMIT; a failure rolls back. The
	 * front end flushes its output here, so a write command's records are
	 * out before its transaction commits (a failed write commits nothing).
	 */
	int (*before_commit)(void *arg, struct crm_err *err);
	void *before_commit_arg;
	bool created;	      /* crm_db_open made the file (it was missing) */
	struct crm_db_cstmt { /* statements cached by their SQL text pointer */
		const char *sql;
		struct crm_stmt *st;
	} * scache;
	size_t nscache, capscache;
	/* PostgreSQL: the "table.column"s the connected role may not read
	 * (sensitive fields, crm-user setup-rls --policy); read once */
	struct crm_strv *withheld;
	struct crm_strv *readers; /* the withheld with a per-record reader */
	/* the open write transaction's number, unique in the process (0:
	 * none): what a cache kept for one transaction compares */
	uint64_t tx;
	/* While set, crm_db_change and crm_db_audit hand their rows to it
	 * instead of writing them: for a caller that writes them later,
	 * several to a statement, before anything reads them (crm-flow run
	 * on PostgreSQL) */
	const struct crm_db_hold *hold;
};

/* crm_db's hold: change sets *id the change set's id (the one
 * crm_db_change would have given); both 0, or -1 with err. */
struct crm_db_hold {
	int (*change)(void *arg, const char *command, const char *entity,
		      int64_t *id, struct crm_err *err);
	int (*audit)(void *arg, int64_t change, const char *entity, int64_t id,
		     const char *action, const char *before_json,
		     const char *after_json, struct crm_err *err);
	void *arg;
};

enum {
	CRM_DB_CREATE = 1, /* create the file (and its folders) when missing */
};

/* The database path: path if not NULL, else $CRM_DB, else
 * ${XDG_DATA_HOME:-$HOME/.local/share}/crm/crm.db. Caller frees. */
char *crm_db_resolve_path(const char *path);

/* Open (creating when flags say so: folders 0700, file 0600, and
 * db->created set; without CRM_DB_CREATE a missing file is CRM_EX_NOINPUT
 * and nothing is made), set WAL,
 * foreign keys, trusted_schema off and the busy timeout ($CRM_BUSY_TIMEOUT
 * ms, default 60000), and apply pending migrations in one transaction.
 * A database newer than this binary is refused (CRM_EX_CONFIG). Returns the
 * handle (free with crm_db_close) or NULL with err filled. */
struct crm_db *crm_db_open(const char *path, unsigned flags,
			   struct crm_err *err);
void crm_db_close(struct crm_db *db);

/* Start a write transaction (BEGIN IMMEDIATE: waits for the busy timeout,
 * then fails with CRM_EX_TEMPFAIL). */
int crm_db_begin(struct crm_db *db, struct crm_err *err);
int crm_db_commit(struct crm_db *db, struct crm_err *err);
/* End a write: roll back for a dry run (returns 0), else commit. */
int crm_db_finish(struct crm_db *db, bool dry_run, struct crm_err *err);
/* Roll back if a transaction is open; never fails. */
void crm_db_rollback(struct crm_db *db);

/* Statements on the storage interface (portable SQL, ? placeholders;
 * lib/store/store.h; values are bound, never spliced): prepare (the
 * caller finalizes with crm_stmt_finalize), and a cached statement for
 * sql, a string literal or text that lives as long as db (the pointer is
 * the key): prepared once, reset and unbound on every call, finalized by
 * crm_db_close; the caller must not finalize it. */
struct crm_stmt *crm_db_stmt(struct crm_db *db, const char *sql,
			     struct crm_err *err);
struct crm_stmt *crm_db_stmt_cached(struct crm_db *db, const char *sql,
				    struct crm_err *err);
/* The integer in the first column of the first row of sql (a string
 * literal: the statement is cached) with a bound to ?1 and b to ?2 as
 * text (NULL binds NULL; a statement may use fewer). 0 when there is no
 * row, -1 on error. */
int64_t crm_db_int(struct crm_db *db, const char *sql, const char *a,
		   const char *b, struct crm_err *err);
/* Is column of table withheld from the connected role (PostgreSQL column
 * privileges: a sensitive field)? Always false on SQLite. Asked of the
 * server once per connection; a failure to ask counts as nothing
 * withheld (the server still refuses the read). */
bool crm_db_withheld(struct crm_db *db, const char *table, const char *column);
/* Is that withheld column per record: readable through the server's
 * function crm_sens_TABLE_COLUMN(id), which gives its value where the
 * policy's rule lets the login see it and NULL elsewhere? */
bool crm_db_withheld_reader(struct crm_db *db, const char *table,
			    const char *column);
/* Run SQL without results (fixed text, no parameters). */
int crm_db_exec(struct crm_db *db, const char *sql, struct crm_err *err);
/* Let a sort larger than the page cache spill to temporary files (on:
 * SQLite's temp_store=FILE) or keep every sort in memory (off: crm's
 * default, temp_store=MEMORY). Outside a transaction that wrote temporary
 * tables. Nothing on PostgreSQL, whose sorts spill past work_mem. */
int crm_db_sort_spill(struct crm_db *db, bool on, struct crm_err *err);
/* Rows a bulk verb that writes as it goes reads at a time (by id, each
 * page written before the next is read), so that what it holds does not
 * grow with the table: 65,536; $CRM_TEST_PAGE sets it lower, for the
 * tests of a run over several pages. */
int64_t crm_db_page_rows(void);
/* The end of a spilling read: every sort back in memory, and rc (the
 * read's 0 or -1) returned; a failure here is -1 with err, unless the
 * read failed first (its error is kept). */
int crm_db_sort_spill_end(struct crm_db *db, int rc, struct crm_err *err);
/* Every (table, column) whose foreign key refers to table's id, as
 * "table\tcolumn" strings pushed onto refs, ordered by table and column
 * (bytes): from the engine's catalogue (SQLite's pragma_foreign_key_list,
 * PostgreSQL's pg_constraint). */
int crm_db_references(struct crm_db *db, const char *table,
		      struct crm_strv *refs, struct crm_err *err);
/* Whether the schema has a table (or virtual table) named name: 1, 0, or
 * -1 with err filled. For tables a command makes on demand (the search
 * index). */
int crm_db_has_table(struct crm_db *db, const char *name, struct crm_err *err);
/* Check foreign keys at commit, not at each statement, for the rest of
 * the open transaction (SQLite's defer_foreign_keys; on PostgreSQL, SET
 * CONSTRAINTS ALL DEFERRED: crm's foreign keys are DEFERRABLE there). */
int crm_db_defer_foreign_keys(struct crm_db *db, struct crm_err *err);

/* Start a change set for undo: one row in crm_changes (command, entity,
 * summary) whose id db->change then holds; crm_db_audit records
 * before-images under it. Needs an open transaction. */
int crm_db_change(struct crm_db *db, const char *command, const char *entity,
		  struct crm_err *err);
/* Record that record id of entity had before-image before_json (NULL for an
 * insert) and underwent action ("update", "delete", "insert", "unlink");
 * after_json: for an update, the fields it wrote (crm_row_diff), or NULL
 * when the caller fills them in later (crm_entity_audit_close). */
int crm_db_audit(struct crm_db *db, const char *entity, int64_t id,
		 const char *action, const char *before_json,
		 const char *after_json, struct crm_err *err);
/* The statement inserting n rows: head ("INSERT INTO t (a, b) VALUES ")
 * and n times row ("(?, ?)"). The one of full rows stays prepared: its
 * text is made once into *kept, the caller's static (the statement cache
 * knows a statement by its text's address). Give it back with
 * crm_db_rows_done(st, n, full). */
struct crm_stmt *crm_db_rows_stmt(struct crm_db *db, const char *head,
				  const char *row, size_t n, size_t full,
				  char **kept, struct crm_err *err);
void crm_db_rows_done(struct crm_stmt *st, size_t n, size_t full);
/* crm_db_audit for n records of one entity and action in one statement
 * (bulk verbs: a round trip per row on PostgreSQL); rows are written in
 * order, so their ids are those n calls give. The statement for
 * CRM_AUDIT_ROWS rows stays prepared. */
#define CRM_AUDIT_ROWS 128
int crm_db_audit_rows(struct crm_db *db, const char *entity, const char *action,
		      size_t n, const int64_t *ids, char *const *before_json,
		      char *const *after_json, struct crm_err *err);

#endif
