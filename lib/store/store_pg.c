/* store_pg.c - the storage interface on PostgreSQL (libpq): a server a
 * team shares. Statements are prepared on the server at their first run;
 * rows stream one at a time (single-row mode), or, for a statement marked
 * bulk (crm_stmt_bulk) that takes no parameters, through COPY (...) TO
 * STDOUT in text format, each row parsed back into its columns, whose
 * types the prepared statement's description gives. libpq runs one query at a
 * time per connection, so a statement still streaming when another runs
 * has its remaining rows read ahead into memory first. One writer at a
 * time, as on SQLite: every write transaction takes one advisory lock.
 *
 * libpq is not linked: it and the two dozen libraries it needs (OpenSSL,
 * Kerberos, LDAP...) would load at every start of every binary, most of
 * whose runs only touch SQLite. The first PostgreSQL open loads it with
 * dlopen and looks its functions up (dl.h); the rest of this file calls
 * them by their usual names through the table. */
#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dl.h"
#include "money.h"
#include "real_text.h"
#include "store_impl.h"

/* pg_type OIDs of the parameters crm binds (0: the server infers) */
enum { OID_INT8 = 20, OID_TEXT = 25, OID_FLOAT8 = 701 };

struct pg_stmt;

struct pg {
	struct crm_store base;
	PGconn *conn;
	PGcancel *cancel;	/* for crm_store_interrupt */
	struct pg_stmt *active; /* the statement whose rows are streaming */
	unsigned long nstmts;	/* names the prepared statements */
	struct pg_copy *copy;	/* a load under way (see pg_copy_begin) */
	/* sequences do not roll back: their values as each transaction and
	 * savepoint began (see pg_mark) */
	char *seq_sql;		 /* reads every sequence's next value */
	struct crm_stmt *seq_st; /* seq_sql prepared */
	int64_t *seq_oid;	 /* the sequences it reads, in order */
	size_t nseq;
	struct seq_mark *marks;
	size_t nmarks, capmarks;
	/* Pipeline mode (see send_later): writes sent whose results are
	 * still to read, and a sync sent after the active statement. */
	bool piped, synced;
	size_t npending;
	char (*what)[64]; /* each one's "cannot update TABLE", or "" */
	int64_t *tags;	  /* and crm_store_tag's number as it was sent */
	long *markof;	  /* the note a result fills (see pg_mark), or -1 */
	/* the statement a result prepares: not prepared unless it succeeds
	 * (a failure before it in the pipeline skips it) */
	struct pg_stmt **prepof;
	int depth; /* savepoints open, besides the transaction's crm_tx */
	/* the first failure among them: the transaction is aborted from
	 * there on, so every later failure in it reports this one */
	int failcode;
	char failbuf[512];
	/* statements sent that may write, and failures (pg_changes) */
	int64_t writes, nerrors;
};

/* The sequences' values where a transaction (name "") or a savepoint
 * began: seq_oid[i]'s next value was next[i]. */
struct seq_mark {
	char name[64];
	size_t n;
	int64_t *next;
	bool pending; /* its values are a result still to read */
};

struct pg_param {
	char *v; /* NULL: SQL NULL */
	size_t len, cap;
	unsigned oid;
	bool used; /* the text names it, other than to test for NULL */
};

struct pg_stmt {
	struct crm_stmt base;
	char *sql;     /* with $n placeholders */
	char name[32]; /* "" until prepared on the server */
	int nparams;
	struct pg_param *p;
	bool running;	  /* sent; rows or the end still to read */
	bool write;	  /* INSERT, UPDATE or DELETE without RETURNING */
	bool may_write;	  /* anything but a plain read (pg_changes) */
	char what[64];	  /* a write's "cannot update TABLE", for its error */
	PGresult *row;	  /* the current row */
	PGresult *desc;	  /* the end's result: the columns of no rows */
	PGresult **ahead; /* rows read ahead (see pg_drain) */
	size_t nahead, head, capahead;
	bool done_ahead;  /* the end was read ahead */
	char errbuf[512]; /* an error read ahead, reported at its step */
	int errcode;
	/* COPY (see crm_stmt_bulk): the run reads its rows through COPY */
	bool bulk, copying;
	bool copy_open;	     /* the server is still sending them */
	PGresult *copy_desc; /* the statement's columns (described once) */
	unsigned *copy_oid;  /* and their types */
	bool copy_numeric;   /* one of them is numeric (see row_fits) */
	char *line;	     /* the current row (PQgetCopyData's) ... */
	const char **val;    /* ... its columns, unescaped in place */
	int nval;
	char **lines; /* rows read ahead */
	size_t nlines, hline, caplines;
	/* real columns as SQLite writes them, one buffer a column */
	char (*conv)[CRM_REAL_TEXT_LEN];
	int nconv;
};

struct pg_copy {
	struct crm_copy base;
	size_t ncols;
	struct crm_buf buf;
	char *sql;   /* the COPY statement, to start it again */
	bool open;   /* the server is in COPY: rows go straight in */
	int errcode; /* a failure when another statement ended it */
	char errbuf[512];
};

static int copy_finish(struct pg_copy *c, struct crm_err *err);

/* the libpq functions this file calls */
#define PQ_FUNCS(X)                                                            \
	X(PQcancel)                                                            \
	X(PQclear)                                                             \
	X(PQdescribePrepared)                                                  \
	X(PQconnectdb)                                                         \
	X(PQerrorMessage)                                                      \
	X(PQexec)                                                              \
	X(PQfinish)                                                            \
	X(PQfname)                                                             \
	X(PQfreeCancel)                                                        \
	X(PQfreemem)                                                           \
	X(PQftype)                                                             \
	X(PQgetCancel)                                                         \
	X(PQgetCopyData)                                                       \
	X(PQgetResult)                                                         \
	X(PQenterPipelineMode)                                                 \
	X(PQexitPipelineMode)                                                  \
	X(PQgetisnull)                                                         \
	X(PQgetvalue)                                                          \
	X(PQnfields)                                                           \
	X(PQntuples)                                                           \
	X(PQpipelineSync)                                                      \
	X(PQprepare)                                                           \
	X(PQputCopyData)                                                       \
	X(PQputCopyEnd)                                                        \
	X(PQresultErrorField)                                                  \
	X(PQresultStatus)                                                      \
	X(PQsendPrepare)                                                       \
	X(PQsendQueryParams)                                                   \
	X(PQsendQueryPrepared)                                                 \
	X(PQsetSingleRowMode)                                                  \
	X(PQstatus)

CRM_DL_TABLE(pq, PQ_FUNCS)
/* libpq's ABI has been libpq.so.5 since PostgreSQL 8.2; $CRM_LIBPQ names
 * another file (an unusual install; the tests of a missing or broken one) */
static struct crm_dl pq_dl =
    CRM_DL_INIT(pq, "libpq.so.5", "CRM_LIBPQ", "PostgreSQL", "libpq5");

/* from here on PQfoo(...) calls through the table */
#define PQcancel CRM_DL_CALL(pq, PQcancel)
#define PQclear CRM_DL_CALL(pq, PQclear)
#define PQdescribePrepared CRM_DL_CALL(pq, PQdescribePrepared)
#define PQconnectdb CRM_DL_CALL(pq, PQconnectdb)
#define PQerrorMessage CRM_DL_CALL(pq, PQerrorMessage)
#define PQexec CRM_DL_CALL(pq, PQexec)
#define PQfinish CRM_DL_CALL(pq, PQfinish)
#define PQfname CRM_DL_CALL(pq, PQfname)
#define PQfreeCancel CRM_DL_CALL(pq, PQfreeCancel)
#define PQfreemem CRM_DL_CALL(pq, PQfreemem)
#define PQftype CRM_DL_CALL(pq, PQftype)
#define PQgetCancel CRM_DL_CALL(pq, PQgetCancel)
#define PQgetCopyData CRM_DL_CALL(pq, PQgetCopyData)
#define PQgetResult CRM_DL_CALL(pq, PQgetResult)
#define PQenterPipelineMode CRM_DL_CALL(pq, PQenterPipelineMode)
#define PQexitPipelineMode CRM_DL_CALL(pq, PQexitPipelineMode)
#define PQgetisnull CRM_DL_CALL(pq, PQgetisnull)
#define PQgetvalue CRM_DL_CALL(pq, PQgetvalue)
#define PQnfields CRM_DL_CALL(pq, PQnfields)
#define PQntuples CRM_DL_CALL(pq, PQntuples)
#define PQpipelineSync CRM_DL_CALL(pq, PQpipelineSync)
#define PQprepare CRM_DL_CALL(pq, PQprepare)
#define PQputCopyData CRM_DL_CALL(pq, PQputCopyData)
#define PQputCopyEnd CRM_DL_CALL(pq, PQputCopyEnd)
#define PQresultErrorField CRM_DL_CALL(pq, PQresultErrorField)
#define PQresultStatus CRM_DL_CALL(pq, PQresultStatus)
#define PQsendPrepare CRM_DL_CALL(pq, PQsendPrepare)
#define PQsendQueryParams CRM_DL_CALL(pq, PQsendQueryParams)
#define PQsendQueryPrepared CRM_DL_CALL(pq, PQsendQueryPrepared)
#define PQsetSingleRowMode CRM_DL_CALL(pq, PQsetSingleRowMode)
#define PQstatus CRM_DL_CALL(pq, PQstatus)

/* Map a failed result (or the connection's state) to err; counted as a
 * change (pg_changes: a failure aborts the transaction). */
static int pg_error(struct pg *pg, const PGresult *r, struct crm_err *err)
{
	PGconn *conn = pg->conn;
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	int code = CRM_EX_SOFTWARE;

	pg->nerrors++;
	if (!msg)
		msg = PQerrorMessage(conn);
	if (crm_interrupted)
		return crm_check_interrupt(err) < 0
			   ? -1
			   : crm_err_set(err, CRM_EX_INTERRUPTED,
					 "interrupted");
	if (!state)
		code = PQstatus(conn) == CONNECTION_OK ? CRM_EX_SOFTWARE
						       : CRM_EX_IOERR;
	else if (!strcmp(state, "55P03") || !strcmp(state, "57014") ||
		 !strcmp(state, "40001") || !strcmp(state, "40P01"))
		return crm_err_set(err, CRM_EX_TEMPFAIL,
				   "database is busy; try again later");
	/* crm_money() given a sum past int64 minor units (schema.c): bad
	 * data, as SQLite's "integer overflow" is */
	else if (!strcmp(state, "22003") && msg &&
		 !strcmp(msg, "integer overflow"))
		return crm_money_overflow(err, "database");
	else if (!strncmp(state, "23", 2) || !strncmp(state, "22", 2))
		code = CRM_EX_DATAERR;
	else if (!strncmp(state, "53", 2) || !strncmp(state, "58", 2) ||
		 !strncmp(state, "08", 2))
		code = CRM_EX_IOERR;
	else if (!strncmp(state, "42501", 5))
		code = CRM_EX_CANTCREAT;
	crm_err_set(err, code, "database: %s", msg);
	/* libpq's messages end in a newline */
	for (size_t n = strlen(err->msg); n && err->msg[n - 1] == '\n'; n--)
		err->msg[n - 1] = '\0';
	return -1;
}

/* Note the first error of st's run, reported at its step. */
static void note_error(struct pg *pg, struct pg_stmt *st, const PGresult *r)
{
	struct crm_err e;

	if (st->errcode)
		return;
	pg_error(pg, r, &e);
	st->errcode = e.code;
	snprintf(st->errbuf, sizeof(st->errbuf), "%s", e.msg);
}

/* The next row of st's COPY into *line (free with PQfreemem): its
 * length, or 0 at the end (the results follow) and on failure (noted). */
static int copy_read(struct pg *pg, struct pg_stmt *st, char **line)
{
	int n;

	*line = NULL;
	if (!st->copy_open)
		return 0;
	n = PQgetCopyData(pg->conn, line, 0);
	if (n > 0)
		return n;
	st->copy_open = false;
	if (n == -2)
		note_error(pg, st, NULL);
	return 0;
}

static void unpipe(struct pg *pg);

/* Read the rest of st's rows into memory (keep) or drop them, so the
 * connection is free. */
static void pg_drain(struct pg *pg, struct pg_stmt *st, bool keep)
{
	PGresult *r;
	char *line;

	while (copy_read(pg, st, &line) > 0) {
		if (!keep) {
			PQfreemem(line);
			continue;
		}
		st->lines = crm_xgrow(st->lines, &st->caplines, st->nlines + 1,
				      sizeof(*st->lines));
		st->lines[st->nlines++] = line;
	}
	while ((r = PQgetResult(pg->conn))) {
		ExecStatusType t = PQresultStatus(r);

		/* still in COPY after a failure: the connection is lost */
		if (t == PGRES_COPY_OUT) {
			note_error(pg, st, NULL);
			PQclear(r);
			break;
		}

		if (t == PGRES_SINGLE_TUPLE && !keep) {
			PQclear(r);
			continue;
		}
		if (t == PGRES_SINGLE_TUPLE) {
			st->ahead =
			    crm_xgrow(st->ahead, &st->capahead, st->nahead + 1,
				      sizeof(*st->ahead));
			st->ahead[st->nahead++] = r;
			continue;
		}
		if (t == PGRES_TUPLES_OK && !st->desc) {
			st->desc = r;
			continue;
		}
		if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK)
			note_error(pg, st, r);
		PQclear(r);
	}
	st->done_ahead = true;
	if (pg->active == st) {
		pg->active = NULL;
		if (pg->synced)
			unpipe(pg);
	}
}

/* Free the connection for a new query: read ahead whatever streams, and
 * end a load under way (its rows are then in the table; the next row
 * starts it again). A load that fails there fails the transaction: the
 * query fails too, and crm_copy_row or crm_copy_end say why. */
static void pg_free_conn(struct pg *pg)
{
	if (pg->active)
		pg_drain(pg, pg->active, true);
	if (pg->copy && pg->copy->open) {
		struct crm_err e;

		if (copy_finish(pg->copy, &e) < 0 && !pg->copy->errcode) {
			pg->copy->errcode = e.code;
			snprintf(pg->copy->errbuf, sizeof(pg->copy->errbuf),
				 "%s", e.msg);
		}
	}
}

/* Pipelining. Every statement would otherwise cost a round trip to the
 * server, and most of a bulk verb's are writes whose result nobody reads
 * but for its error. Inside a write transaction, and outside any
 * savepoint of the caller's (a savepoint is there to catch one
 * statement's failure, so its writes are sent one by one), a write is
 * sent in libpq's pipeline mode and not waited for (send_later), nor are
 * SAVEPOINT, RELEASE and DEALLOCATE. The next statement that returns
 * rows goes in the same pipeline with a sync after it: the server runs
 * them in order, so it sees every write before it, and one round trip
 * brings all the results. A write that failed aborts the transaction;
 * its error is reported by the next call that waits (the statement
 * that reads, COMMIT), and by every later one until the rollback. */
enum { PIPE_MAX = 512 }; /* results held back at most, a few KiB */

/* Note the transaction's first failure (see struct pg), with what the
 * failed statement did when it was a write (its caller learns of it
 * too late to say). */
static void note_failure(struct pg *pg, const PGresult *r, const char *what,
			 int64_t tag)
{
	struct crm_err e;

	if (pg->failcode)
		return;
	pg->base.failed_tag = tag;
	pg_error(pg, r, &e);
	if (what && *what)
		crm_err_what(&e, what);
	pg->failcode = e.code;
	snprintf(pg->failbuf, sizeof(pg->failbuf), "%s", e.msg);
}

/* err from r, or the transaction's first failure: the cause of r's. */
static int pg_fail(struct pg *pg, const PGresult *r, struct crm_err *err)
{
	if (pg->failcode)
		return crm_err_set(err, pg->failcode, "%s", pg->failbuf);
	return pg_error(pg, r, err);
}

static size_t int_array(const char *t, int64_t **v);

/* A savepoint's note of the sequences, from its result r (pg_mark). */
static void fill_mark(struct pg *pg, long k, const PGresult *r)
{
	struct seq_mark *m;

	if (k < 0 || (size_t)k >= pg->nmarks || !pg->marks[k].pending)
		return; /* released before it was read */
	m = &pg->marks[k];
	m->pending = false;
	m->n = PQntuples(r) ? int_array(PQgetvalue(r, 0, 0), &m->next) : 0;
	if (m->n != pg->nseq && !pg->failcode) {
		pg->failcode = CRM_EX_SOFTWARE;
		snprintf(pg->failbuf, sizeof(pg->failbuf),
			 "cannot read the sequences");
	}
}

/* Read the results of the statements sent before the one due now. */
static void read_pending(struct pg *pg)
{
	PGresult *r;

	for (size_t i = 0; i < pg->npending; i++) {
		while ((r = PQgetResult(pg->conn))) {
			ExecStatusType t = PQresultStatus(r);

			if (pg->prepof[i] && t != PGRES_COMMAND_OK)
				pg->prepof[i]->name[0] = '\0';
			if (t == PGRES_TUPLES_OK && pg->markof[i] >= 0)
				fill_mark(pg, pg->markof[i], r);
			else if (t != PGRES_COMMAND_OK &&
				 t != PGRES_TUPLES_OK &&
				 t != PGRES_PIPELINE_ABORTED)
				note_failure(pg, r, pg->what[i], pg->tags[i]);
			PQclear(r);
		}
		if (PQstatus(pg->conn) != CONNECTION_OK) {
			note_failure(pg, NULL, NULL, 0);
			break;
		}
	}
	pg->npending = 0;
	if (!pg->failcode)
		pg->base.settled++;
}

/* After the last statement sent: the sync's result, out of pipeline
 * mode. */
static void unpipe(struct pg *pg)
{
	PGresult *r;

	read_pending(pg);
	/* the sync's result follows the last statement's end (NULL) */
	for (int nulls = 0; pg->synced && nulls < 2;) {
		ExecStatusType t;

		if (!(r = PQgetResult(pg->conn))) {
			nulls++;
			continue;
		}
		t = PQresultStatus(r);
		PQclear(r);
		if (t == PGRES_PIPELINE_SYNC ||
		    PQstatus(pg->conn) != CONNECTION_OK)
			break;
	}
	pg->synced = false;
	if (pg->piped && !PQexitPipelineMode(pg->conn))
		note_failure(pg, NULL, NULL, 0);
	pg->piped = false;
}

/* Out of pipeline mode, every result read (failures noted). */
static void settle(struct pg *pg)
{
	pg_free_conn(pg);
	if (!pg->piped)
		return;
	if (PQpipelineSync(pg->conn) == 1)
		pg->synced = true;
	else
		note_failure(pg, NULL, NULL, 0);
	unpipe(pg);
}

/* Into pipeline mode (the connection free), or -1 with err. */
static int pipe_in(struct pg *pg, struct crm_err *err)
{
	if (pg->failcode)
		return pg_fail(pg, NULL, err);
	pg_free_conn(pg);
	if (!pg->piped && !PQenterPipelineMode(pg->conn))
		return pg_fail(pg, NULL, err);
	pg->piped = true;
	return 0;
}

/* One more result held back, of a statement that did what (or that
 * fills note mark, or prepares prep); at PIPE_MAX read them all, so that
 * neither side's buffers fill. */
static int held_as(struct pg *pg, const char *what, long mark,
		   struct pg_stmt *prep, struct crm_err *err)
{
	if (!pg->what) {
		pg->what = crm_xcalloc(PIPE_MAX, sizeof(*pg->what));
		pg->tags = crm_xcalloc(PIPE_MAX, sizeof(*pg->tags));
		pg->markof = crm_xcalloc(PIPE_MAX, sizeof(*pg->markof));
		pg->prepof = crm_xcalloc(PIPE_MAX, sizeof(*pg->prepof));
	}
	snprintf(pg->what[pg->npending], sizeof(*pg->what), "%s", what);
	pg->tags[pg->npending] = *what ? pg->base.tag : 0;
	pg->markof[pg->npending] = mark;
	pg->prepof[pg->npending] = prep;
	if (++pg->npending < PIPE_MAX)
		return 0;
	settle(pg);
	return pg->failcode ? pg_fail(pg, NULL, err) : 0;
}

static int held(struct pg *pg, const char *what, struct crm_err *err)
{
	return held_as(pg, what, -1, NULL, err);
}

/* statement text starting with word (then a space) */
static bool starts(const char *sql, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(sql, word, n) && sql[n] == ' ';
}

/* The savepoints a statement of crm's opens or ends (crm_tx aside, and
 * crm_batch, whose caller finds a failed write itself: crm_store_settled):
 * SAVEPOINT x, RELEASE [SAVEPOINT] x, "ROLLBACK TO x; RELEASE x". */
static int depth_change(const char *sql)
{
	if (!strcmp(sql, "SAVEPOINT crm_batch") ||
	    !strcmp(sql, "RELEASE crm_batch"))
		return 0;
	if (starts(sql, "SAVEPOINT"))
		return strcmp(sql, "SAVEPOINT crm_tx") ? 1 : 0;
	if (starts(sql, "RELEASE") || strstr(sql, "; RELEASE "))
		return -1;
	return 0;
}

static int pg_exec(struct crm_store *s, const char *sql, struct crm_err *err)
{
	struct pg *pg = (struct pg *)s;
	bool rollback = starts(sql, "ROLLBACK") || !strcmp(sql, "ROLLBACK");
	PGresult *r;
	int rc = 0;

	if (!strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK"))
		pg->depth = 0;
	else
		pg->depth += depth_change(sql);
	if (pg->depth < 0)
		pg->depth = 0;
	if (!starts(sql, "DEALLOCATE"))
		pg->writes++;
	/* one statement that cannot fail on its own: sent, not waited for */
	if (s->in_tx && !strchr(sql, ';') &&
	    (starts(sql, "SAVEPOINT") || starts(sql, "RELEASE") ||
	     starts(sql, "DEALLOCATE"))) {
		if (pipe_in(pg, err) < 0)
			return -1;
		if (!PQsendQueryParams(pg->conn, sql, 0, NULL, NULL, NULL, NULL,
				       0))
			return pg_fail(pg, NULL, err);
		return held(pg, "", err);
	}
	settle(pg);
	/* the transaction is aborted: anything but a rollback would fail
	 * for that reason (and COMMIT would roll back without one) */
	if (pg->failcode && !rollback)
		return pg_fail(pg, NULL, err);
	r = PQexec(pg->conn, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pg_fail(pg, r, err);
	else if (rollback)
		pg->failcode = 0, pg->base.failed_tag = 0;
	PQclear(r);
	return rc;
}

static struct crm_store *pg_open(const char *target, unsigned flags,
				 int64_t busy_ms, struct crm_err *err)
{
	struct pg *pg;
	char sql[160];

	(void)flags;
	if (crm_dl_load(&pq_dl, err) < 0)
		return NULL;
	pg = crm_xcalloc(1, sizeof(*pg));
	pg->base.ops = &crm_store_pg_ops;
	pg->conn = PQconnectdb(target);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		crm_err_set(err, CRM_EX_NOINPUT, "cannot connect to '%s': %s",
			    target, PQerrorMessage(pg->conn));
		for (size_t n = strlen(err->msg); n && err->msg[n - 1] == '\n';
		     n--)
			err->msg[n - 1] = '\0';
		goto fail;
	}
	/* times are ISO text in UTC on both engines; waits are bounded */
	snprintf(sql, sizeof(sql),
		 "SET client_encoding = 'UTF8'; SET TimeZone = 'UTC';"
		 " SET client_min_messages = warning; SET lock_timeout = %lld",
		 (long long)(busy_ms > 0 ? busy_ms : 1));
	if (pg_exec(&pg->base, sql, err) < 0)
		goto fail;
	pg->cancel = PQgetCancel(pg->conn);
	return &pg->base;
fail:
	PQfinish(pg->conn);
	free(pg);
	return NULL;
}

/* PQcancel is safe in a signal handler (libpq's documentation). */
static void pg_interrupt(struct crm_store *s)
{
	struct pg *pg = (struct pg *)s;
	char errbuf[256];

	if (pg->cancel)
		PQcancel(pg->cancel, errbuf, sizeof(errbuf));
}

static void pg_unmark(struct crm_store *s, const char *name);
static void pg_finalize(struct crm_stmt *base);

/* Let go of the statement reading the sequences (and what it reads). */
static void seq_forget(struct pg *pg)
{
	if (pg->seq_st)
		pg_finalize(pg->seq_st);
	pg->seq_st = NULL;
	free(pg->seq_sql);
	free(pg->seq_oid);
	pg->seq_sql = NULL;
	pg->seq_oid = NULL;
}

static void pg_close(struct crm_store *s)
{
	struct pg *pg = (struct pg *)s;

	settle(pg);
	pg_unmark(s, NULL);
	free(pg->marks);
	free(pg->what);
	free(pg->tags);
	free(pg->markof);
	free(pg->prepof);
	seq_forget(pg);

	PQfreeCancel(pg->cancel);
	PQfinish(pg->conn);
	free(pg);
}

/* SQLite's placeholders as PostgreSQL's: ?NNN is $NNN; a bare ? is one
 * more than the largest number so far. Quoted text and identifiers are
 * copied as they are. Returns the number of parameters. */
static int dollar_params(const char *sql, struct crm_buf *out)
{
	int max = 0;

	for (const char *p = sql; *p; p++) {
		if (*p == '\'' || *p == '"') {
			const char *q = strchr(p + 1, *p);

			if (!q)
				q = p + strlen(p) - 1;
			crm_buf_add(out, p, (size_t)(q - p + 1));
			p = q;
			continue;
		}
		if (*p != '?') {
			crm_buf_add(out, p, 1);
			continue;
		}
		if (p[1] >= '0' && p[1] <= '9') {
			int n = (int)strtol(p + 1, (char **)&p, 10);

			p--;
			if (n > max)
				max = n;
			crm_buf_addf(out, "$%d", n);
		} else {
			crm_buf_addf(out, "$%d", ++max);
		}
	}
	return max;
}

/* INSERT, UPDATE or DELETE that returns no rows (crm's SQL is its own:
 * no comment or WITH before the verb): true, and what it does in what
 * ("cannot update leads", as the callers of a failed write say). */
static bool is_write(const char *sql, char *what, size_t n)
{
	static const char *const verbs[][2] = {{"INSERT INTO ", "insert into"},
					       {"UPDATE ", "update"},
					       {"DELETE FROM ", "delete from"}};

	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	if (strcasestr(sql, "RETURNING"))
		return false;
	for (size_t i = 0; i < 3; i++) {
		size_t k = strlen(verbs[i][0]);

		if (!strncasecmp(sql, verbs[i][0], k)) {
			snprintf(what, n, "cannot %s %.*s", verbs[i][1],
				 (int)strcspn(sql + k, " ("), sql + k);
			return true;
		}
	}
	return false;
}

/* Whether a statement may change something: all but a SELECT that takes
 * no value from a sequence (crm's SQL: no comment before the verb). */
static bool may_write(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	return strncasecmp(sql, "SELECT ", 7) || strstr(sql, "nextval(") ||
	       strstr(sql, "setval(");
}

static struct crm_stmt *pg_prepare(struct crm_store *s, const char *sql,
				   struct crm_err *err)
{
	struct pg_stmt *st = crm_xcalloc(1, sizeof(*st));
	struct crm_buf b = {0};

	(void)err;
	st->base.ops = s->ops;
	st->base.s = s;
	st->nparams = dollar_params(sql, &b);
	crm_buf_str(&b);
	st->sql = crm_buf_detach(&b);
	st->p = crm_xcalloc((size_t)st->nparams + 1, sizeof(*st->p));
	st->write = is_write(st->sql, st->what, sizeof(st->what));
	st->may_write = may_write(st->sql);
	for (const char *p = strchr(st->sql, '$'); p; p = strchr(p + 1, '$')) {
		char *end;
		long n = strtol(p + 1, &end, 10);

		if (n >= 1 && n <= st->nparams && strncmp(end, " IS NULL", 8) &&
		    strncmp(end, " IS NOT NULL", 12))
			st->p[n - 1].used = true;
	}
	return &st->base;
}

static struct pg_param *param(struct crm_stmt *base, int i)
{
	struct pg_stmt *st = (struct pg_stmt *)base;

	return i >= 1 && i <= st->nparams ? &st->p[i - 1] : NULL;
}

static void set_param(struct crm_stmt *base, int i, const char *v, size_t n,
		      unsigned oid)
{
	struct pg_param *p = param(base, i);

	if (!p)
		return;
	if (!v) {
		free(p->v);
		p->v = NULL;
		p->cap = p->len = 0;
		return;
	}
	if (!p->v || p->cap < n + 1) {
		p->v = crm_xrealloc(p->v, n + 1);
		p->cap = n + 1;
	}
	memcpy(p->v, v, n);
	p->v[n] = '\0';
	p->len = n;
	p->oid = oid;
}

static void pg_bind_int(struct crm_stmt *st, int i, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%lld", (long long)v);

	set_param(st, i, b, (size_t)n, OID_INT8);
}

static void pg_bind_double(struct crm_stmt *st, int i, double v)
{
	char b[32];
	int n = snprintf(b, sizeof(b), "%.17g", v);

	set_param(st, i, b, (size_t)n, OID_FLOAT8);
}

static void pg_bind_textn(struct crm_stmt *st, int i, const char *v, size_t n)
{
	set_param(st, i, v, n, 0);
}

static void pg_bind_null(struct crm_stmt *st, int i)
{
	set_param(st, i, NULL, 0, 0);
}

static void clear_rows(struct pg_stmt *st)
{
	PQclear(st->row);
	st->row = NULL;
	PQfreemem(st->line);
	st->line = NULL;
	for (size_t i = st->hline; i < st->nlines; i++)
		PQfreemem(st->lines[i]);
	st->nlines = st->hline = 0;
	st->copying = false;
	PQclear(st->desc);
	st->desc = NULL;
	for (size_t i = st->head; i < st->nahead; i++)
		PQclear(st->ahead[i]);
	st->nahead = st->head = 0;
	st->done_ahead = false;
	st->errcode = 0;
}

/* Prepare st on the server, once. 0, or -1 with err. */
static int prepare_stmt(struct pg *pg, struct pg_stmt *st, struct crm_err *err)
{
	Oid *types;
	char name[32];
	PGresult *r;

	if (st->name[0])
		return 0;
	/* a parameter the text never names (?2 and ?3 used, ?1 not), or
	 * names only to test for NULL, has no context to infer a type
	 * from: it is text */
	types = crm_xcalloc((size_t)st->nparams + 1, sizeof(*types));
	for (int i = 0; i < st->nparams; i++)
		types[i] = st->p[i].v && st->p[i].oid ? st->p[i].oid
			   : st->p[i].used	      ? 0
						      : OID_TEXT;
	snprintf(name, sizeof(name), "crm%lu", ++pg->nstmts);
	if (pg->piped) {
		int ok =
		    PQsendPrepare(pg->conn, name, st->sql, st->nparams, types);

		free(types);
		if (!ok)
			return pg_fail(pg, NULL, err);
		memcpy(st->name, name, sizeof(name));
		return held_as(pg, "", -1, st, err);
	}
	r = PQprepare(pg->conn, name, st->sql, st->nparams, types);
	free(types);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_error(pg, r, err);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	memcpy(st->name, name, sizeof(name));
	return 0;
}

/* Start st's run as COPY (st->sql) TO STDOUT: its columns' names and
 * types from the prepared statement's description (read once), its rows
 * as COPY's text format (copy_step). 0, or -1 with err. */
static int send_copy(struct pg *pg, struct pg_stmt *st, struct crm_err *err)
{
	struct crm_buf sql = {0};
	PGresult *r;

	if (!st->copy_desc) {
		r = PQdescribePrepared(pg->conn, st->name);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_error(pg, r, err);
			PQclear(r);
			return -1;
		}
		st->copy_desc = r;
		st->val =
		    crm_xcalloc((size_t)PQnfields(r) + 1, sizeof(*st->val));
		st->copy_oid = crm_xcalloc((size_t)PQnfields(r) + 1,
					   sizeof(*st->copy_oid));
		for (int i = 0; i < PQnfields(r); i++) {
			st->copy_oid[i] = PQftype(r, i);
			st->copy_numeric |= st->copy_oid[i] == 1700;
		}
	}
	crm_buf_addf(&sql, "COPY (%s) TO STDOUT", st->sql);
	r = PQexec(pg->conn, sql.s);
	crm_buf_release(&sql);
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		pg_error(pg, r, err);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	st->copying = st->copy_open = true;
	st->running = true;
	pg->active = st;
	return 0;
}

/* PQsendQueryPrepared with st's values: 1, or 0 on failure. */
static int send_query(struct pg *pg, struct pg_stmt *st)
{
	const char **vals;
	int *lens;
	int ok;

	vals = crm_xcalloc((size_t)st->nparams + 1, sizeof(*vals));
	lens = crm_xcalloc((size_t)st->nparams + 1, sizeof(*lens));
	for (int i = 0; i < st->nparams; i++) {
		vals[i] = st->p[i].v;
		lens[i] = (int)st->p[i].len;
	}
	ok = PQsendQueryPrepared(pg->conn, st->name, st->nparams, vals, lens,
				 NULL, 0);
	free(vals);
	free(lens);
	return ok;
}

/* A write sent in the pipeline, not waited for (see PIPE_MAX). */
static bool sent_later(const struct pg *pg, const struct pg_stmt *st)
{
	return st->write && !st->bulk && pg->base.in_tx && !pg->depth;
}

static int send_later(struct pg *pg, struct pg_stmt *st, struct crm_err *err)
{
	/* (in again after the prepare: its result may have been the
	 * PIPE_MAX-th held back, read with the pipeline left) */
	if (pipe_in(pg, err) < 0 || prepare_stmt(pg, st, err) < 0 ||
	    pipe_in(pg, err) < 0)
		return -1;
	if (!send_query(pg, st))
		return pg_fail(pg, NULL, err);
	return held(pg, st->what, err);
}

static int send_stmt(struct pg *pg, struct pg_stmt *st, struct crm_err *err)
{
	int ok;

	pg_free_conn(pg);
	if (st->bulk && !st->nparams)
		settle(pg); /* COPY TO STDOUT: out of pipeline mode */
	if (pg->failcode)
		return pg_fail(pg, NULL, err);
	if (prepare_stmt(pg, st, err) < 0)
		return -1;
	if (st->bulk && !st->nparams)
		return send_copy(pg, st, err);
	ok = send_query(pg, st);
	/* in the pipeline: a sync after it, and what came before read */
	if (ok && pg->piped) {
		ok = PQpipelineSync(pg->conn) == 1;
		pg->synced = ok;
		read_pending(pg);
	}
	st->running = true;
	pg->active = st;
	if (!ok || !PQsetSingleRowMode(pg->conn) || pg->failcode) {
		if (ok)
			pg_drain(pg, st, false);
		pg->active = NULL;
		st->running = false;
		if (pg->piped)
			settle(pg);
		return pg_fail(pg, NULL, err);
	}
	return 0;
}

/* The current row's number of columns, column col's value (NULL: SQL
 * NULL, or no such column) and type, whichever way the rows come. */
static inline int row_nfields(const struct pg_stmt *st)
{
	if (st->copying)
		return st->line ? st->nval : 0;
	return st->row ? PQnfields(st->row) : 0;
}

static inline const char *cell(const struct pg_stmt *st, int col)
{
	if (col < 0 || col >= row_nfields(st))
		return NULL;
	if (st->copying)
		return st->val[col];
	return PQgetisnull(st->row, 0, col) ? NULL
					    : PQgetvalue(st->row, 0, col);
}

static unsigned cell_type(const struct pg_stmt *st, int col)
{
	return st->copying ? st->copy_oid[col] : PQftype(st->row, col);
}

/* The character a backslash escape in COPY's text format stands for,
 * *p just past the backslash (and moved past the escape). */
static char unescape(char **p)
{
	char *r = *p, c = *r++;
	int v = 0, k = 0;

	switch (c) {
	case 'b':
		c = '\b';
		break;
	case 'f':
		c = '\f';
		break;
	case 'n':
		c = '\n';
		break;
	case 'r':
		c = '\r';
		break;
	case 't':
		c = '\t';
		break;
	case 'v':
		c = '\v';
		break;
	case 'x': /* \xHH: one or two hex digits */
		for (; k < 2 && isxdigit((unsigned char)*r); k++, r++)
			v = v * 16 + (*r <= '9'	  ? *r - '0'
				      : *r <= 'F' ? *r - 'A' + 10
						  : *r - 'a' + 10);
		if (k)
			c = (char)v;
		break;
	default: /* \NNN: one to three octal digits; else c itself */
		if (c < '0' || c > '7')
			break;
		v = c - '0';
		for (; k < 2 && *r >= '0' && *r <= '7'; k++)
			v = v * 8 + *r++ - '0';
		c = (char)v;
		break;
	}
	*p = r;
	return c;
}

/* COPY's text format: columns split at tabs, \N for NULL, backslash
 * escapes for the rest (the server writes \\, \b, \f, \n, \r, \t,
 * \v; its input also takes octal \NNN and \xHH). line, one row ending in
 * a newline, is unescaped in place and becomes the current row. 0, or -1
 * when its columns are not the statement's. */
static int parse_line(struct pg_stmt *st, char *line)
{
	int nf = PQnfields(st->copy_desc), i = 0;
	char *r = line, *w = line, c;

	st->line = line;
	for (;;) {
		/* a column: \N alone is NULL, else its text unescaped */
		if (r[0] == '\\' && r[1] == 'N' &&
		    (r[2] == '\t' || r[2] == '\n' || !r[2])) {
			st->val[i] = NULL;
			r += 2;
			c = *r;
		} else {
			st->val[i] = w;
			for (;;) { /* runs of plain text, then an escape */
				size_t n = strcspn(r, "\t\n\\");

				if (w != r)
					memmove(w, r, n);
				w += n;
				r += n;
				if (*r != '\\' || !r[1])
					break;
				r++;
				*w++ = unescape(&r);
			}
			if (*r == '\\') /* a lone \ at the end: itself */
				*w++ = *r++;
			c = *r;
			*w++ = '\0'; /* may be where the tab was: c has it */
		}
		i++;
		if (c != '\t' || i >= nf)
			break;
		r++;
	}
	st->nval = i;
	return i == nf && c != '\t' ? 0 : -1;
}

/* Whether every whole numeric in the current row fits int64:
 * PostgreSQL's sum() of bigint is numeric and never overflows, where
 * SQLite's sum() stops with "integer overflow"; past int64 a sum of
 * amounts is bad data, not a number to clamp (crm_stmt_int) or print. */
static bool row_fits(const struct pg_stmt *st)
{
	if (st->copying && !st->copy_numeric)
		return true; /* a listing's rows: no column to look at */
	for (int i = 0; i < row_nfields(st); i++) {
		const char *v;

		if (cell_type(st, i) != 1700 || !(v = cell(st, i)))
			continue;
		if (strchr(v, '.'))
			continue;
		errno = 0;
		(void)strtoll(v, NULL, 10);
		if (errno == ERANGE)
			return false;
	}
	return true;
}

/* pg_step for a run through COPY: the next row read ahead or from the
 * server, else the end and how the COPY ended. */
static int copy_step(struct pg *pg, struct pg_stmt *st, struct crm_err *err)
{
	char *line = NULL;

	if (st->hline < st->nlines)
		line = st->lines[st->hline++];
	else if (!st->done_ahead && copy_read(pg, st, &line) == 0)
		pg_drain(pg, st, false); /* the end: the COPY's results */
	if (!line) {
		st->running = false;
		if (st->errcode)
			return crm_err_set(err, st->errcode, "%s", st->errbuf);
		return 0;
	}
	if (parse_line(st, line) < 0)
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "database: a COPY row does not match its "
				   "statement's %d columns",
				   PQnfields(st->copy_desc));
	return row_fits(st) ? 1 : crm_money_overflow(err, "database");
}

static int pg_step(struct crm_stmt *base, struct crm_err *err)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	struct pg *pg = (struct pg *)base->s;
	PGresult *r;

	PQclear(st->row);
	st->row = NULL;
	PQfreemem(st->line);
	st->line = NULL;
	if (!st->running) {
		clear_rows(st);
		pg->writes += st->may_write;
		if (sent_later(pg, st))
			return send_later(pg, st, err) < 0 ? -1 : 0;
		if (send_stmt(pg, st, err) < 0)
			return -1;
	}
	if (st->copying)
		return copy_step(pg, st, err);
	if (st->head < st->nahead) {
		st->row = st->ahead[st->head++];
		return row_fits(st) ? 1 : crm_money_overflow(err, "database");
	}
	if (st->done_ahead) {
		st->running = false;
		if (st->errcode)
			return crm_err_set(err, st->errcode, "%s", st->errbuf);
		return 0;
	}
	r = PQgetResult(pg->conn);
	if (r && PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
		st->row = r;
		return row_fits(st) ? 1 : crm_money_overflow(err, "database");
	}
	/* the end: read what remains, so the connection is free */
	if (r && PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_error(pg, r, err);
		PQclear(r);
		pg_drain(pg, st, false);
		clear_rows(st);
		st->running = false;
		return -1;
	}
	if (r && PQresultStatus(r) == PGRES_TUPLES_OK && !st->desc)
		st->desc = r;
	else
		PQclear(r);
	pg_drain(pg, st, false);
	st->running = false;
	if (st->errcode)
		return crm_err_set(err, st->errcode, "%s", st->errbuf);
	return 0;
}

static int pg_ncols(const struct crm_stmt *base)
{
	const struct pg_stmt *st = (const struct pg_stmt *)base;

	/* before the first row: none yet; after the end, the end's */
	if (st->copying)
		return PQnfields(st->copy_desc);
	return st->row	  ? PQnfields(st->row)
	       : st->desc ? PQnfields(st->desc)
			  : 0;
}

static int pg_nparams(const struct crm_stmt *base)
{
	return ((const struct pg_stmt *)base)->nparams;
}

static const char *pg_name(const struct crm_stmt *base, int col)
{
	const struct pg_stmt *st = (const struct pg_stmt *)base;

	if (st->copying)
		return PQfname(st->copy_desc, col);
	return st->row	  ? PQfname(st->row, col)
	       : st->desc ? PQfname(st->desc, col)
			  : NULL;
}

/* pg_text of a real column: its text as SQLite writes it, in the
 * column's own buffer, kept until the column is read in a later row
 * (apart, so that the common text column needs no stack frame). */
static const char *real_text(struct pg_stmt *st, int col, const char *v)
{
	const char *r;

	if (col >= st->nconv) {
		int n = row_nfields(st);

		st->conv =
		    crm_xrealloc(st->conv, (size_t)n * sizeof(*st->conv));
		st->nconv = n;
	}
	r = crm_real_text(v, st->conv[col]);
	return r ? r : v;
}

/* Real numbers read as SQLite gives them (float columns; numeric ones
 * with a fraction: SQLite's round() and decimal arithmetic give REAL),
 * so output is byte-identical on both engines. */
static const char *pg_text(struct crm_stmt *base, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	const char *v;
	unsigned t;

	if (!(v = cell(st, col)))
		return NULL;
	t = cell_type(st, col);
	if (t != 700 && t != 701 && (t != 1700 || !strchr(v, '.')))
		return v;
	return real_text(st, col, v);
}

static enum crm_col_type pg_type(struct crm_stmt *base, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)base;

	if (!cell(st, col))
		return CRM_COL_NULL;
	switch (cell_type(st, col)) {
	case 20: /* int8, int2, int4, bool */
	case 21:
	case 23:
	case 16:
		return CRM_COL_INT;
	case 700: /* float4, float8, numeric */
	case 701:
	case 1700:
		return CRM_COL_REAL;
	default:
		return CRM_COL_TEXT;
	}
}

static int64_t pg_int(struct crm_stmt *base, int col)
{
	const char *v = pg_text(base, col);

	if (!v)
		return 0;
	/* a boolean expression reads as 1 or 0, as on SQLite */
	if (!strcmp(v, "t"))
		return 1;
	if (!strcmp(v, "f"))
		return 0;
	return strtoll(v, NULL, 10);
}

/* The server's own text: a float8's shortest digits that read back to
 * it, a numeric's exact decimal; pg_text's 15 digits, made for output,
 * would round the number (33.333333333333336 to 33.3333333333333) and
 * cost a copy per row. */
static double pg_real(struct crm_stmt *base, int col)
{
	const char *v = cell((struct pg_stmt *)base, col);

	return v ? strtod(v, NULL) : 0;
}

static void pg_reset(struct crm_stmt *base)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	struct pg *pg = (struct pg *)base->s;

	if (st->running && pg->active == st)
		pg_drain(pg, st, false);
	st->running = false;
	clear_rows(st);
}

static void pg_bulk(struct crm_stmt *base)
{
	((struct pg_stmt *)base)->bulk = true;
}

static void pg_clear(struct crm_stmt *base)
{
	struct pg_stmt *st = (struct pg_stmt *)base;

	for (int i = 1; i <= st->nparams; i++)
		pg_bind_null(base, i);
}

static void pg_finalize(struct crm_stmt *base)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	struct pg *pg = (struct pg *)base->s;

	pg_reset(base);
	for (size_t i = 0; i < pg->npending; i++)
		if (pg->prepof[i] == st)
			pg->prepof[i] = NULL;
	if (st->name[0]) {
		char sql[48];
		struct crm_err ignored;

		snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
		pg_exec(&pg->base, sql, &ignored);
	}
	for (int i = 0; i < st->nparams; i++)
		free(st->p[i].v);
	free(st->conv);
	free(st->p);
	free(st->ahead);
	PQclear(st->copy_desc);
	free(st->copy_oid);
	free(st->val);
	free(st->lines);
	free(st->sql);
	free(st);
}

/* What crm_store_changes reads: not rows, as on SQLite, but the
 * statements sent since the connection opened that may write, and the
 * failures (a failed statement aborts the transaction, which must then
 * roll back): two equal readings mean nothing was written or refused in
 * between. */
static int64_t pg_changes(struct crm_store *s)
{
	struct pg *pg = (struct pg *)s;

	return pg->writes + pg->nerrors;
}

static int64_t pg_last_id(struct crm_store *s, struct crm_err *err)
{
	struct crm_stmt *st = pg_prepare(s, "SELECT lastval()", err);
	int64_t id = -1;

	if (st && pg_step(st, err) == 1)
		id = pg_int(st, 0);
	if (st)
		pg_finalize(st);
	return id;
}

/* Put the server into COPY for c (after ending whatever else runs). */
static int copy_start(struct pg_copy *c, struct crm_err *err)
{
	struct pg *pg = (struct pg *)c->base.s;
	PGresult *r;

	settle(pg);
	if (pg->failcode)
		return pg_fail(pg, NULL, err);
	r = PQexec(pg->conn, c->sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		pg_fail(pg, r, err);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	c->open = true;
	return 0;
}

static struct crm_copy *pg_copy_begin(struct crm_store *s, const char *table,
				      const char *const *cols, size_t ncols,
				      struct crm_err *err)
{
	struct pg *pg = (struct pg *)s;
	struct pg_copy *c;
	struct crm_buf sql = {0};

	crm_store_cols_sql(&sql, "COPY", table, cols, ncols);
	crm_buf_adds(&sql, " FROM STDIN");
	c = crm_xcalloc(1, sizeof(*c));
	c->base.ops = s->ops;
	c->base.s = s;
	c->ncols = ncols;
	c->sql = crm_buf_detach(&sql);
	if (pg->copy && pg->copy->open) /* one load at a time */
		pg_free_conn(pg);
	if (copy_start(c, err) < 0) {
		free(c->sql);
		free(c);
		return NULL;
	}
	pg->copy = c;
	return &c->base;
}

static int copy_flush(struct pg_copy *c, struct crm_err *err)
{
	PGconn *conn = ((struct pg *)c->base.s)->conn;

	if (c->buf.len && PQputCopyData(conn, c->buf.s, (int)c->buf.len) != 1)
		return pg_error((struct pg *)c->base.s, NULL, err);
	c->buf.len = 0;
	return 0;
}

static int pg_copy_row(struct crm_copy *base, const char *const *values,
		       struct crm_err *err)
{
	struct pg_copy *c = (struct pg_copy *)base;

	if (c->errcode)
		return crm_err_set(err, c->errcode, "%s", c->errbuf);
	if (!c->open && copy_start(c, err) < 0)
		return -1;
	((struct pg *)base->s)->writes++;
	for (size_t i = 0; i < c->ncols; i++) {
		const char *v = values[i];

		if (i)
			crm_buf_add(&c->buf, "\t", 1);
		if (!v) {
			crm_buf_add(&c->buf, "\\N", 2);
			continue;
		}
		/* COPY's text format: backslash escapes for the separators */
		for (; *v; v++) {
			const char *esc = *v == '\\'   ? "\\\\"
					  : *v == '\t' ? "\\t"
					  : *v == '\n' ? "\\n"
					  : *v == '\r' ? "\\r"
						       : NULL;

			if (esc)
				crm_buf_adds(&c->buf, esc);
			else
				crm_buf_add(&c->buf, v, 1);
		}
	}
	crm_buf_add(&c->buf, "\n", 1);
	return c->buf.len >= 65536 ? copy_flush(c, err) : 0;
}

/* End the COPY under way: its rows go in (0), or -1 with err. */
static int copy_finish(struct pg_copy *c, struct crm_err *err)
{
	PGconn *conn = ((struct pg *)c->base.s)->conn;
	PGresult *r;
	int rc = copy_flush(c, err);

	c->open = false;
	c->buf.len = 0;
	if (PQputCopyEnd(conn, rc < 0 ? "failed" : NULL) != 1 && !rc)
		rc = pg_error((struct pg *)c->base.s, NULL, err);
	while ((r = PQgetResult(conn))) {
		if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pg_error((struct pg *)c->base.s, r, err);
		PQclear(r);
	}
	return rc;
}

static void copy_free(struct pg_copy *c)
{
	struct pg *pg = (struct pg *)c->base.s;

	if (pg->copy == c)
		pg->copy = NULL;
	crm_buf_release(&c->buf);
	free(c->sql);
	free(c);
}

static void pg_copy_abort(struct crm_copy *base)
{
	struct pg_copy *c = (struct pg_copy *)base;
	PGconn *conn = ((struct pg *)base->s)->conn;
	PGresult *r;

	if (c->open && PQputCopyEnd(conn, "abandoned") == 1)
		while ((r = PQgetResult(conn)))
			PQclear(r);
	copy_free(c);
}

static int pg_copy_end(struct crm_copy *base, struct crm_err *err)
{
	struct pg_copy *c = (struct pg_copy *)base;
	int rc = 0;

	if (c->open)
		rc = copy_finish(c, err);
	if (!rc && c->errcode)
		rc = crm_err_set(err, c->errcode, "%s", c->errbuf);
	copy_free(c);
	return rc;
}

/* Sequences and rollback. A PostgreSQL sequence does not roll back with
 * the transaction or savepoint that took values from it; SQLite's
 * AUTOINCREMENT counter (a row of sqlite_sequence) does. So that a dry
 * run, a failed command or a rejected row uses no ids up on either
 * engine, every write transaction notes the values of the sequences it
 * may use (its schema's, that it may read and set) after taking the
 * writers' lock, and every savepoint notes them again; rolling back puts
 * back those that moved, while the lock is still held, so no other
 * writer took one meanwhile. The transaction's own savepoint crm_tx
 * lets that happen after an error (an aborted transaction runs nothing
 * until ROLLBACK TO). */

/* "{1,2,3}" as numbers; returns how many. */
static size_t int_array(const char *t, int64_t **v)
{
	size_t n = 0, cap = 0;
	char *end;

	*v = NULL;
	for (const char *p = t ? t + 1 : ""; *p && *p != '}'; p = end) {
		int64_t x = strtoll(p, &end, 10);

		if (end == p)
			break;
		*v = crm_xgrow(*v, &cap, n + 1, sizeof(**v));
		(*v)[n++] = x;
		if (*end == ',')
			end++;
	}
	return n;
}

/* The statement that reads every sequence's next value in one row, from
 * the catalogue as the transaction begins (the names quoted by the
 * server), prepared again only when the list changed. 0, or -1. */
static int seq_list(struct pg *pg, struct crm_err *err)
{
	struct crm_stmt *st = pg_prepare(
	    &pg->base,
	    "SELECT CAST(array_agg(c.oid ORDER BY c.oid) AS TEXT), 'SELECT "
	    "CAST(ARRAY[' || string_agg(format('(SELECT last_value + CASE "
	    "WHEN is_called THEN 1 ELSE 0 END FROM %I.%I)', n.nspname, "
	    "c.relname), ', ' ORDER BY c.oid) || '] AS TEXT)' FROM pg_class c "
	    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = "
	    "'S' AND n.nspname = current_schema() AND CASE WHEN c.relkind = "
	    "'S' THEN has_sequence_privilege(c.oid, 'SELECT') AND "
	    "has_sequence_privilege(c.oid, 'UPDATE') END",
	    err);
	const char *sql;
	int rc;

	if ((rc = pg_step(st, err)) > 0) {
		sql = pg_text(st, 1);
		if (!sql || !pg->seq_sql || strcmp(sql, pg->seq_sql)) {
			seq_forget(pg);
			pg->seq_sql = sql ? crm_xstrdup(sql) : NULL;
			pg->nseq = int_array(pg_text(st, 0), &pg->seq_oid);
			if (sql)
				pg->seq_st = pg_prepare(&pg->base, sql, err);
		}
	}
	pg_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int seq_read(struct pg *pg, struct seq_mark *m, struct crm_err *err)
{
	int rc;

	m->n = 0;
	free(m->next);
	m->next = NULL;
	if (!pg->seq_st)
		return 0;
	if ((rc = pg_step(pg->seq_st, err)) > 0)
		m->n = int_array(pg_text(pg->seq_st, 0), &m->next);
	pg_reset(pg->seq_st);
	if (rc > 0 && m->n != pg->nseq)
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "cannot read the sequences");
	return rc < 0 ? -1 : 0;
}

static void seq_free(struct seq_mark *m)
{
	free(m->next);
	memset(m, 0, sizeof(*m));
}

/* A savepoint's note in a write transaction: the sequences' read is sent
 * in the pipeline, its result read with the others (fill_mark): a round
 * trip a savepoint less, for a note only a rollback reads. */
static int mark_later(struct pg *pg, const char *name, struct crm_err *err)
{
	struct seq_mark m = {.pending = true};
	struct pg_stmt *st = (struct pg_stmt *)pg->seq_st;

	snprintf(m.name, sizeof(m.name), "%s", name);
	pg->marks = crm_xgrow(pg->marks, &pg->capmarks, pg->nmarks + 1,
			      sizeof(*pg->marks));
	pg->marks[pg->nmarks++] = m;
	/* (in again after the prepare: its result may have been the
	 * PIPE_MAX-th held back, read with the pipeline left) */
	if (pipe_in(pg, err) < 0 || prepare_stmt(pg, st, err) < 0 ||
	    pipe_in(pg, err) < 0)
		return -1;
	if (!send_query(pg, st))
		return pg_fail(pg, NULL, err);
	return held_as(pg, "", (long)pg->nmarks - 1, NULL, err);
}

static int pg_mark(struct crm_store *s, const char *name, struct crm_err *err)
{
	struct pg *pg = (struct pg *)s;
	struct seq_mark m = {0};

	if (name && pg->seq_st && s->in_tx)
		return mark_later(pg, name, err);
	if (!name && seq_list(pg, err) < 0)
		return -1;
	if (seq_read(pg, &m, err) < 0) {
		seq_free(&m);
		return -1;
	}
	if (!name && m.n && pg_exec(s, "SAVEPOINT crm_tx", err) < 0) {
		seq_free(&m);
		return -1;
	}
	snprintf(m.name, sizeof(m.name), "%s", name ? name : "");
	pg->marks = crm_xgrow(pg->marks, &pg->capmarks, pg->nmarks + 1,
			      sizeof(*pg->marks));
	pg->marks[pg->nmarks++] = m;
	return 0;
}

/* The newest note named name ("" the transaction's), or -1. */
static long find_mark(struct pg *pg, const char *name)
{
	for (size_t i = pg->nmarks; i-- > 0;)
		if (!strcmp(pg->marks[i].name, name ? name : ""))
			return (long)i;
	return -1;
}

/* Forget the notes from keep on; a result still to read for one of
 * them fills nothing (a later note may take its place). */
static void pop_marks(struct pg *pg, size_t keep)
{
	while (pg->nmarks > keep)
		seq_free(&pg->marks[--pg->nmarks]);
	for (size_t i = 0; i < pg->npending; i++)
		if (pg->markof[i] >= (long)keep)
			pg->markof[i] = -1;
}

static void pg_unmark(struct crm_store *s, const char *name)
{
	struct pg *pg = (struct pg *)s;
	long i = name ? find_mark(pg, name) : 0;

	if (i >= 0)
		pop_marks(pg, (size_t)i);
}

/* Set back the sequences that moved since m (errors ignored: the
 * rollback matters more). */
static void seq_restore(struct pg *pg, const struct seq_mark *m)
{
	struct seq_mark now = {0};
	struct crm_buf oids = {0}, next = {0};
	struct crm_err ignored;

	if (seq_read(pg, &now, &ignored) == 0 && now.n == m->n)
		for (size_t i = 0; i < m->n; i++) {
			if (now.next[i] == m->next[i])
				continue;
			crm_buf_addf(&oids, "%s%lld", oids.len ? "," : "{",
				     (long long)pg->seq_oid[i]);
			crm_buf_addf(&next, "%s%lld", next.len ? "," : "{",
				     (long long)m->next[i]);
		}
	if (oids.len) {
		struct crm_stmt *st = pg_prepare(
		    &pg->base,
		    "SELECT count(setval(CAST(CAST(o AS oid) AS regclass), "
		    "greatest(v - 1, 1), v > 1)) FROM unnest(CAST(?1 AS "
		    "BIGINT[]), CAST(?2 AS BIGINT[])) AS t(o, v)",
		    &ignored);

		crm_buf_adds(&oids, "}");
		crm_buf_adds(&next, "}");
		pg_bind_textn(st, 1, oids.s, oids.len);
		pg_bind_textn(st, 2, next.s, next.len);
		while (pg_step(st, &ignored) > 0)
			;
		pg_finalize(st);
	}
	crm_buf_release(&oids);
	crm_buf_release(&next);
	seq_free(&now);
}

/* After ROLLBACK TO name: the sequences as at SAVEPOINT name, which
 * stays. name NULL: the whole transaction rolls back here. */
static void pg_undo(struct crm_store *s, const char *name)
{
	struct pg *pg = (struct pg *)s;
	struct crm_err ignored;
	long i = find_mark(pg, name);

	if (i >= 0 && pg->marks[i].n &&
	    (name || pg_exec(s, "ROLLBACK TO SAVEPOINT crm_tx", &ignored) == 0))
		seq_restore(pg, &pg->marks[i]);
	if (i >= 0)
		pop_marks(pg, (size_t)i + 1);
	if (!name)
		pg_exec(s, "ROLLBACK", &ignored);
}

/* The functions the schema defines in SQL (lib/store/schema.c) are
 * there already; the others have no PostgreSQL definition yet. */
static int pg_define(struct crm_store *s, const struct crm_sql_fn *fn,
		     struct crm_err *err)
{
	(void)s;
	if ((!strcmp(fn->name, "crm_fold") ||
	     !strcmp(fn->name, "crm_search_key")) &&
	    fn->nargs == 1)
		return 0;
	return crm_err_set(err, CRM_EX_SOFTWARE,
			   "the SQL function %s has no PostgreSQL definition "
			   "yet",
			   fn->name);
}

/* fast when {1} has crm's own UTC form, slow for any other time */
#define PG_UTC_TIME(fast, slow)                                                \
	"(CASE WHEN {1} LIKE '____-__-__T__:__:__Z' THEN " fast " ELSE " slow  \
	" END)"
#define PG_TRUNC(unit)                                                         \
	"to_char(date_trunc('" unit "', CAST({1} AS timestamptz)), "           \
	"'YYYY-MM-DD')"

static const char *const pg_frags[CRM_SQL_NFRAGS] = {
    [CRM_SQL_DAYS_BETWEEN] = "(EXTRACT(EPOCH FROM CAST({2} AS timestamptz)"
			     " - CAST({1} AS timestamptz)) / 86400.0)",
    [CRM_SQL_JSON_FIELD] = "({1} ->> {2})",
    [CRM_SQL_CONTAINS_CI] = "(strpos(lower({1}), lower({2})) > 0)",
    [CRM_SQL_ID_TYPE] = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    [CRM_SQL_JSON_TYPE] = "JSONB",
    /* the session's time zone is UTC (pg_open). Times crm writes
     * ("2026-12-01T09:30:00Z") are cut as text: casting every row to
     * timestamptz cost a month's report 4 s over 5M activities (#25). */
    [CRM_SQL_DATE] =
	PG_UTC_TIME("substr({1}, 1, 10)", "to_char(CAST({1} AS timestamptz), "
					  "'YYYY-MM-DD')"),
    [CRM_SQL_WEEK_START] = PG_UTC_TIME(
	"to_char(date_trunc('week', CAST(substr({1}, 1, 10) AS date)), "
	"'YYYY-MM-DD')",
	PG_TRUNC("week")),
    [CRM_SQL_MONTH_START] =
	PG_UTC_TIME("substr({1}, 1, 8) || '01'", PG_TRUNC("month")),
    [CRM_SQL_QUARTER_START] = PG_UTC_TIME(
	"substr({1}, 1, 5) || to_char((CAST(substr({1}, 6, 2) AS integer) "
	"- 1) / 3 * 3 + 1, 'FM00') || '-01'",
	PG_TRUNC("quarter")),
    [CRM_SQL_YEAR_START] =
	PG_UTC_TIME("substr({1}, 1, 5) || '01-01'", PG_TRUNC("year")),
    [CRM_SQL_DATE_ADD] = "to_char(CAST({1} AS timestamptz) + CAST({2} AS "
			 "interval), 'YYYY-MM-DD')",
    [CRM_SQL_TIME_ADD] = "to_char(CAST({1} AS timestamptz) + CAST({2} AS "
			 "interval), 'YYYY-MM-DD HH24:MI:SS')",
    [CRM_SQL_ISO_WEEK] = "to_char(CAST({1} AS date), 'IYYY-\"W\"IW')",
    [CRM_SQL_IN_IDS] = CRM_SQL_IN_IDS_PG("{1}", "{2}"),
};

const struct crm_store_ops crm_store_pg_ops = {
    .engine = CRM_STORE_PG,
    .open = pg_open,
    .close = pg_close,
    .interrupt = pg_interrupt,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_textn = pg_bind_textn,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .ncols = pg_ncols,
    .nparams = pg_nparams,
    .name = pg_name,
    .text = pg_text,
    .type = pg_type,
    .integer = pg_int,
    .real = pg_real,
    .reset = pg_reset,
    .clear = pg_clear,
    .finalize = pg_finalize,
    .bulk = pg_bulk,
    .last_id = pg_last_id,
    .changes = pg_changes,
    .copy_begin = pg_copy_begin,
    .copy_row = pg_copy_row,
    .copy_end = pg_copy_end,
    .copy_abort = pg_copy_abort,
    .define = pg_define,
    .mark = pg_mark,
    .undo = pg_undo,
    .unmark = pg_unmark,
    /* one writer at a time, as SQLite's BEGIN IMMEDIATE: every crm write
     * takes this lock ("crm" in ASCII), waiting up to lock_timeout */
    .begin_sql = "BEGIN; SELECT pg_advisory_xact_lock(6517357)",
    .frags = pg_frags,
};
