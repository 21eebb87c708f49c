/* entity_write.c - the write side of the entity engine: import (and add,
 * which is an import of one record), update, tag, delete and undo. Every
 * update and delete keeps a before-image under a change set for undo. */
#include <stdlib.h>
#include <string.h>

#include "bloom.h"
#include "datefmt.h"
#include "dbq.h"
#include "entity.h"
#include "import_map.h"
#include "normalize.h"
#include "par.h"
#include "readahead.h"

const char *crm_import_action_name(enum crm_import_action a)
{
	static const char *const names[] = {"inserted", "updated", "unchanged",
					    "rejected", "skipped"};
	return names[a];
}

/* One input record read into fields: what read_input makes, on the
 * reading thread when there is one. */
struct parsed {
	struct crm_row in; /* parsed values, touched flags, custom fields */
	char **money;	   /* per field: raw money input, parsed later */
	/* the values of the row written before this record, freed with it:
	 * by the reading thread that made most of them (row_hand_back) */
	char **dead;
	size_t ndead, capdead;
};

static void parsed_init(struct parsed *p, const struct crm_entity *e)
{
	crm_row_init(&p->in, e);
	p->money = crm_xcalloc(e->nfields, sizeof(*p->money));
}

static void parsed_reset(struct parsed *p)
{
	for (size_t i = 0; i < p->in.e->nfields; i++) {
		free(p->money[i]);
		p->money[i] = NULL;
	}
	for (size_t i = 0; i < p->ndead; i++)
		free(p->dead[i]);
	p->ndead = 0;
	crm_row_reset(&p->in);
}

static void parsed_release(struct parsed *p)
{
	parsed_reset(p);
	free(p->dead);
	free(p->money);
	crm_row_release(&p->in);
}

/* Sets of changed fields an importer keeps an UPDATE for; a record with
 * another set is written by the UPDATE of every column. */
enum { CHANGED_MAX = 32 };
#define CHANGED_CUSTOM (UINT64_C(1) << 63)
/* new rows a bulk import with a check writes to one INSERT at most; a
 * smaller rest goes in statements of 64, 32, ... 1 rows, so that every
 * statement an import runs stays prepared (INS_SIZES of them) */
enum { INS_BATCH = 128, INS_SIZES = 8 };
/* batches of held writes kept for batch_blame at most (see struct batch) */
enum { BATCH_KEEP = 8 };

/* PostgreSQL bulk import with a check: a batch of held new rows, sent
 * inside SAVEPOINT crm_batch, which the store
 * pipelines (a wait a batch was a fifth of a lead import's round trips),
 * its writes tagged -seq (crm_store_tag). One that fails is reported
 * by a later wait with that tag; batch_blame then rolls back to the
 * batch's savepoint (the later ones' statements never ran) and writes
 * its rows again one by one, waited, to name the refused one's line
 * and reason. Kept until a wait shows it succeeded (crm_store_settled). */
struct batch {
	int64_t tag;	      /* -seq; 0: unused */
	uint64_t sent;	      /* crm_store_settled when it was sent */
	struct crm_row *rows; /* INS_BATCH slots ... */
	int64_t *line;	      /* ... and their input lines */
	bool *fresh;	      /* ... whether each is as written (no update) */
	int64_t *id;	      /* ... and their ids, ascending */
	size_t n;
};

struct crm_importer {
	struct crm_db *db;
	const struct crm_entity *e;
	const struct crm_import_opts *o;
	struct crm_strv keys;
	size_t nkeys;		/* keys asked for; those after: default keys */
	long *keyfield;		/* field index per key */
	struct crm_stmt **find; /* lookup statement per key */
	long xid;		/* external_id's field index, or -1 */
	long created, updated;	/* created_at's and updated_at's, or -1 */
	long xid_key;		/* its index in keys, or -1 ... */
	struct crm_stmt *find_xid; /* ... and then its own lookup */
	struct crm_stmt *ins, *upd;
	/* UPDATEs of only the fields a record changes, one for each set of
	 * fields (bit i: field i; CHANGED_CUSTOM: custom), made when first
	 * needed: an UPDATE of every column rewrote every index entry of
	 * the row (a sixth of an escalation's instructions on SQLite), and
	 * PostgreSQL can update in place when no indexed column changes */
	struct {
		uint64_t set;
		struct crm_stmt *st;
	} changed[CHANGED_MAX];
	size_t nchanged;
	long *matchkey; /* per field: index of its NAME_key, or -1 */
	/* which field each input column is */
	struct crm_colmap *colmap;
	struct crm_strv custom_seen;
	struct parsed p; /* the record being applied */
	struct crm_row old, row;
	struct crm_buf tmp;
	char now[CRM_TIME_LEN];
	/* Bulk imports probe the database for a key only when a Bloom filter
	 * of every key in the table says it may be there: most rows of a
	 * large load are new, and each skipped probe is a B-tree search. */
	struct crm_bloom *bloom; /* per key, once enabled */
	uint64_t applied;	 /* records applied so far */
	const char *input;	 /* the input's name, for o->check */
	int64_t rows_at_start;	 /* table size when the importer began */
	bool bloom_tried;
	bool identities;   /* merges left secondary identities to look up */
	bool via_identity; /* the last lookup found one */
	/* PostgreSQL bulk import: new rows take their ids from a block of
	 * the table's sequence reserved ahead, and go through COPY
	 * (crm_copy_*) unless a duplicate check reads the table between
	 * them (then block_insert) */
	bool bulk, copy_ok;
	bool took_id; /* the failed INSERT took the sequence's next id */
	struct crm_stmt *ins_id; /* block_insert's */
	struct crm_copy *copy;
	int64_t next_id, end_id; /* the block's next id and its end */
	int64_t block;		 /* its size */
	/* block_insert's new rows, held and written INS_BATCH to a
	 * multi-row INSERT (ins_flush): each single-row INSERT was the
	 * server's bind and execute, half of an import's statement time */
	struct crm_row *held;
	int64_t *held_line; /* the input line of each */
	size_t nheld;
	const char *ins_text[INS_SIZES]; /* INSERT of 2^k rows, interned */
	int64_t line;			 /* the record being applied's */
	/* o->audit_later, o->update_later; audit_later for o->check_alone */
	bool audit_later, update_later;
	/* The stored rows of a chunk's matches (crm_importer_prefetch),
	 * for its repeats: one query a chunk, where each repeat read its
	 * lead and waited (17,127 round trips at 200,000). A row the
	 * import writes since is dropped (id 0). */
	struct {
		int64_t *id;
		struct crm_row *row;
		size_t n, cap;
	} pre;
	struct crm_row *known; /* crm_importer_known, for one apply */
	struct crm_row *lent;  /* known, its contents in old meanwhile */
	/* o->audit_later: the update audit rows not yet written */
	struct {
		int64_t *id;
		char **before, **after;
		size_t n, cap, bcap, acap;
	} audit;
	/* o->update_later: the UPDATEs not yet written, one a record (its
	 * fields in set, the values an object with its id) */
	struct held_update {
		int64_t id;
		uint64_t set;
		json_t *vals;
	} * later;
	size_t nlater, caplater;
	struct batch kept[BATCH_KEEP]; /* held_flush's, for batch_blame */
	/* o->check_alone: a repeat's target the import wrote (a kept
	 * batch's row, an update kept in pre) is taken as written when it
	 * reads back the same (as_read; no column withheld from the role:
	 * readable), not read again: 290 reads of 100,000 leads */
	bool readable;
	size_t nextkept;
	int64_t nbatch;
	struct { /* their statements, one for each set of fields */
		uint64_t set;
		struct crm_stmt *st;
	} later_st[CHANGED_MAX];
	size_t nlater_st;
};

enum { BLOOM_AFTER = 4096 }; /* records before a filter may pay off */
/* Records an import applies before it drops the indexes it can make at
 * its end; only into a table that held at most as many (making an index
 * over n rows at once costs less than n inserts into it, and a small
 * import is not worth the DDL). */
enum { DEFER_AFTER = 4096 };
/* Items a filter is sized for at most (4 MiB a key): the peak RSS of an
 * import stays under 64 MiB whatever the table's size; past it the
 * filter only answers "maybe" more often (a probe more, same result). */
#define BLOOM_MAX_ITEMS 3000000u
/* On PostgreSQL a false positive costs a round trip and ends the COPY of
 * the rows before it (SQLite's costs a B-tree search): there a filter may
 * take 8 MiB a key. 5M activities against one 2 MiB filter probed the
 * server about 536,000 times for nothing. */
#define BLOOM_MAX_ITEMS_PG 6000000u
/* ids a bulk import reserves at a time: the first block, doubled for each
 * next one up to ID_BLOCK_MAX (each block is a wait for the server; the
 * ids not given go back at the end) */
enum { ID_BLOCK = 1024, ID_BLOCK_MAX = 65536 };

/* Bind value v of field f to parameter k, in its storage type. Text is
 * borrowed, not copied (a copy and its free were a tenth of a contact
 * import's work): every caller steps the statement while v lives and
 * binds every parameter again before its next step. */
static void bind_field(struct crm_stmt *st, int k, const struct crm_field *f,
		       const char *v)
{
	if (!v) {
		crm_stmt_bind_null(st, k);
		return;
	}
	switch (f->type) {
	case CRM_T_INT:
	case CRM_T_REF:
	case CRM_T_MONEY:
	case CRM_T_BOOL:
		crm_stmt_bind_int(st, k, strtoll(v, NULL, 10));
		break;
	case CRM_T_REAL:
	case CRM_T_PERCENT:
		crm_stmt_bind_double(st, k, strtod(v, NULL));
		break;
	default:
		crm_stmt_bind_text_borrowed(st, k, v);
	}
}

/* Bind row's custom fields to parameter k (NULL when there are none). */
static void bind_custom(struct crm_stmt *st, int k, const struct crm_row *row)
{
	if (json_object_size(row->custom)) {
		char *c = json_dumps(row->custom, JSON_COMPACT);
		crm_stmt_bind_text(st, k, c);
		free(c);
	} else {
		crm_stmt_bind_null(st, k);
	}
}

/* Bind row's values to parameters k and on (e->nfields + 1 of them). */
static void bind_row_at(struct crm_stmt *st, int k, const struct crm_row *row)
{
	const struct crm_entity *e = row->e;

	for (size_t i = 0; i < e->nfields; i++, k++)
		bind_field(st, k, &e->fields[i], row->v[i]);
	bind_custom(st, k, row);
}

static void bind_row(struct crm_stmt *st, const struct crm_row *row)
{
	bind_row_at(st, 1, row);
}

/* Whether an UPDATE writes field i of e: a column withheld from the role
 * (read as NULL) is left as it is; a per-record one is written, and the
 * server's guard keeps a NULL where the rule withholds it (and refuses
 * another value). */
static bool update_writes(struct crm_db *db, const struct crm_entity *e,
			  size_t i)
{
	return !crm_db_withheld(db, e->table, e->fields[i].name) ||
	       crm_db_withheld_reader(db, e->table, e->fields[i].name);
}

/* sql's text kept for the process, one copy of each text: the address
 * that caches a statement (crm_db_stmt_cached) for SQL that is built
 * anew at each call but is the same for an entity and role. */
static const char *interned(const char *sql)
{
	static char **texts;
	static size_t n, cap;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(texts[i], sql))
			return texts[i];
	texts = crm_xgrow(texts, &cap, n + 1, sizeof(*texts));
	return texts[n++] = crm_xstrdup(sql);
}

/* The statement of sql: cached (kept by db, not to be finalized) or the
 * caller's. */
static struct crm_stmt *write_stmt(struct crm_db *db, struct crm_buf *sql,
				   bool cached, struct crm_err *err)
{
	struct crm_stmt *st;

	if (!cached)
		return crm_entity_stmt(db, sql, err);
	st = crm_db_stmt_cached(db, interned(crm_buf_str(sql)), err);
	crm_buf_release(sql);
	return st;
}

/* The INSERT of a row of e, its values bound by bind_row; cached: see
 * write_stmt. next_id (PostgreSQL): a NULL id takes the sequence's next,
 * and the statement returns it; else the id is given (from the block a
 * bulk import reserved). */
static struct crm_stmt *prepare_insert(struct crm_db *db,
				       const struct crm_entity *e, bool next_id,
				       bool cached, struct crm_err *err)
{
	struct crm_buf sql = {0};

	crm_buf_addf(&sql, "INSERT INTO %s (", e->table);
	for (size_t i = 0; i < e->nfields; i++)
		crm_buf_addf(&sql, "%s, ", e->fields[i].name);
	crm_buf_adds(&sql, "custom) VALUES (");
	for (size_t i = 0; i < e->nfields; i++)
		/* a NULL id is the next one: SQLite's rowid does this itself;
		 * PostgreSQL's identity column takes its sequence only when
		 * the column is left out */
		if (i == 0 && next_id)
			crm_buf_addf(&sql,
				     "coalesce(CAST(? AS BIGINT), nextval("
				     "pg_get_serial_sequence('%s', 'id'))), ",
				     e->table);
		else
			crm_buf_adds(&sql, "?, ");
	crm_buf_adds(&sql, "?)");
	/* the new id in the same round trip (SQLite has it for free:
	 * crm_store_last_id) */
	if (next_id)
		crm_buf_adds(&sql, " RETURNING id");
	return write_stmt(db, &sql, cached, err);
}

/* The INSERT (insert) or UPDATE by id of a row of e, its values bound by
 * bind_row (then the id, for an update); cached: see write_stmt. */
static struct crm_stmt *prepare_write(struct crm_db *db,
				      const struct crm_entity *e, bool insert,
				      bool cached, struct crm_err *err)
{
	struct crm_buf sql = {0};

	if (insert)
		return prepare_insert(
		    db, e, crm_store_engine(db->store) == CRM_STORE_PG, cached,
		    err);
	crm_buf_addf(&sql, "UPDATE %s SET ", e->table);
	for (size_t i = 0; i < e->nfields; i++)
		if (update_writes(db, e, i))
			crm_buf_addf(&sql, "%s = ?%zu, ", e->fields[i].name,
				     i + 1);
	crm_buf_addf(&sql, "custom = ?%zu WHERE id = ?%zu", e->nfields + 1,
		     e->nfields + 2);
	return write_stmt(db, &sql, cached, err);
}

/* PostgreSQL: an id given on insert (one never given before) moves the
 * table's sequence past it, as SQLite's AUTOINCREMENT counter moves:
 * ids are never reused. An older id put back by undo moves nothing. */
static int bump_sequence(struct crm_db *db, const struct crm_row *row,
			 struct crm_err *err)
{
	if (crm_dbq_run(
		db, err,
		"SELECT setval(CAST(pg_get_serial_sequence(?1, 'id') AS "
		"regclass), ?2) WHERE ?2 > "
		"coalesce(pg_sequence_last_value(CAST("
		"pg_get_serial_sequence(?1, 'id') AS regclass)), 0)",
		"si", row->e->table, crm_row_id(row)) < 0)
		return crm_err_what(err, "cannot insert");
	return 0;
}

/* PostgreSQL bulk import: the next id of the reserved block into the
 * row's id (a new block when it is used up: one statement a block;
 * ids are given in order, as the sequence would). 0, or -1. */
static int block_id(struct crm_importer *im, struct crm_row *row,
		    struct crm_err *err)
{
	char id[CRM_INT_LEN];

	if (!im->end_id || im->next_id > im->end_id) {
		im->block = !im->block		       ? ID_BLOCK
			    : im->block < ID_BLOCK_MAX ? 2 * im->block
						       : ID_BLOCK_MAX;
		if (crm_dbq_step(
			im->db, err, &im->end_id,
			"SELECT setval(CAST(pg_get_serial_sequence(?1, "
			"'id') AS regclass), nextval(CAST("
			"pg_get_serial_sequence(?1, 'id') AS regclass)) "
			"+ ?2 - 1)",
			"si", im->e->table, im->block) <= 0)
			return crm_err_what(err, "cannot insert");
		im->next_id = im->end_id - im->block + 1;
	}
	row->v[0] = crm_xstrdup(crm_fmt_int(id, im->next_id++));
	return 0;
}

static int run_write(struct crm_db *db, struct crm_stmt *st,
		     struct crm_row *row, bool insert, int64_t *returned,
		     struct crm_err *err);

/* The INSERT of n rows of e (n a power of 2, at most INS_BATCH), each
 * bound by bind_row_at; cached by the database handle. */
static struct crm_stmt *rows_stmt(struct crm_importer *im, size_t n,
				  struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	size_t k = 0;

	while ((size_t)1 << k < n)
		k++;
	if (!im->ins_text[k]) {
		struct crm_buf sql = {0};

		crm_buf_addf(&sql, "INSERT INTO %s (", e->table);
		for (size_t i = 0; i < e->nfields; i++)
			crm_buf_addf(&sql, "%s, ", e->fields[i].name);
		crm_buf_adds(&sql, "custom) VALUES ");
		for (size_t r = 0; r < n; r++) {
			crm_buf_adds(&sql, r ? ",(" : "(");
			for (size_t i = 0; i < e->nfields; i++)
				crm_buf_adds(&sql, "?,");
			crm_buf_adds(&sql, "?)");
		}
		/* the same text for every import of e: the cache keys on
		 * its address */
		im->ins_text[k] = interned(crm_buf_str(&sql));
		crm_buf_release(&sql);
	}
	return crm_db_stmt_cached(im->db, im->ins_text[k], err);
}

static void held_clear(struct crm_importer *im)
{
	for (size_t i = 0; i < im->nheld; i++)
		crm_row_reset(&im->held[i]);
	im->nheld = 0;
}

/* A kept batch done with: its rows' values freed. */
static void batch_clear(struct batch *b)
{
	for (size_t i = 0; b->rows && i < b->n; i++)
		crm_row_reset(&b->rows[i]);
	b->n = 0;
	b->tag = 0;
}

/* The next batch: the oldest kept one's place, once a wait has shown
 * that it succeeded (one wait more when none has since: a failure is
 * then reported with its tag, and it is still there to blame); inside
 * SAVEPOINT crm_batch, its writes tagged. NULL on error. */
static struct batch *batch_open(struct crm_importer *im, struct crm_err *err)
{
	struct batch *b = &im->kept[im->nextkept];

	if (b->tag && crm_store_settled(im->db->store) <= b->sent &&
	    crm_db_exec(im->db, "SELECT 1", err) < 0)
		return NULL;
	batch_clear(b);
	if (crm_db_exec(im->db, "SAVEPOINT crm_batch", err) < 0)
		return NULL;
	im->nextkept = (im->nextkept + 1) % BATCH_KEEP;
	b->tag = -++im->nbatch;
	b->sent = crm_store_settled(im->db->store);
	crm_store_tag(im->db->store, b->tag);
	return b;
}

/* The batch's end: released (rc 0), the record's tag again. */
static int batch_close(struct crm_importer *im, int rc, struct crm_err *err)
{
	if (rc == 0)
		rc = crm_db_exec(im->db, "RELEASE crm_batch", err);
	crm_store_tag(im->db->store, im->line);
	return rc;
}

/* Batch b failed: which row? From its savepoint, the rows again one by
 * one, each waited for (inside a savepoint the store counts), so that the
 * import fails with the bad row's line and reason as it did when each
 * was an INSERT of its own. -1 always. */
static int batch_blame(struct crm_importer *im, const struct batch *b,
		       struct crm_err *err)
{
	struct crm_err first = *err, e;
	char what[80];

	if (!im->ins_id &&
	    !(im->ins_id = prepare_insert(im->db, im->e, false, false, &e)))
		return -1;
	snprintf(what, sizeof(what), "cannot insert into %s", im->e->table);
	if (crm_db_exec(im->db, "ROLLBACK TO crm_batch", &e) < 0 ||
	    crm_db_exec(im->db, "SAVEPOINT crm_blame", &e) < 0)
		return -1;
	for (size_t i = 0; i < b->n; i++) {
		crm_stmt_reset(im->ins_id);
		bind_row(im->ins_id, &b->rows[i]);
		if (crm_stmt_step(im->ins_id, err) < 0) {
			crm_stmt_reset(im->ins_id);
			crm_err_what(err, what);
			err->line = b->line[i];
			if (!err->file[0])
				snprintf(err->file, sizeof(err->file), "%s",
					 im->input ? im->input : "-");
			return -1;
		}
		crm_stmt_reset(im->ins_id);
	}
	/* (not found again: the batch's own error, at its first row) */
	*err = first;
	if (!err->line && b->n)
		err->line = b->line[0];
	return -1;
}

/* A write failed, at a wait (own: in batch own's statements): when the
 * store names a batch of the importer's (or the failure was own's), that
 * batch blamed; a write the store names the line of needs none. -1. */
static int batch_failed(struct crm_importer *im, const struct batch *own,
			struct crm_err *err)
{
	int64_t tag = crm_store_failed_tag(im->db->store);

	if (!tag && own)
		return batch_blame(im, own, err);
	for (size_t i = 0; tag < 0 && i < BATCH_KEEP; i++)
		if (im->kept[i].tag == tag)
			return batch_blame(im, &im->kept[i], err);
	return -1;
}

/* Whether row reads back from the table as it is (crm_entity_get would
 * give the same values): the role reads every column, no custom field
 * (JSON text), no real number (read back in 15 digits), integers in
 * their own digits; only for o->check_alone (the import alone writes). */
static bool as_read(const struct crm_importer *im, const struct crm_row *row)
{
	char buf[CRM_INT_LEN];

	if (!im->readable || json_object_size(row->custom))
		return false;
	for (size_t i = 0; i < row->e->nfields; i++) {
		const char *v = row->v[i];

		if (!v)
			continue;
		switch (row->e->fields[i].type) {
		case CRM_T_REAL:
		case CRM_T_PERCENT:
			return false;
		case CRM_T_INT:
		case CRM_T_REF:
		case CRM_T_MONEY:
		case CRM_T_BOOL:
			if (strcmp(v, crm_fmt_int(buf, strtoll(v, NULL, 10))))
				return false;
			break;
		default:
			break;
		}
	}
	return true;
}

/* Write the held new rows: INS_BATCH to a statement, the rest in
 * statements of the powers of 2 it is made of, as a batch (struct
 * batch: not waited for). The rows go to the batch, its place's rows
 * (written) become the ones held next. */
static int held_flush(struct crm_importer *im, struct crm_err *err)
{
	struct batch *b;
	size_t done = 0;
	int rc = 0;

	if (!im->nheld)
		return 0;
	if (!(b = batch_open(im, err))) {
		held_clear(im);
		return -1;
	}
	if (!b->rows) {
		b->rows = crm_xcalloc(INS_BATCH, sizeof(*b->rows));
		b->line = crm_xcalloc(INS_BATCH, sizeof(*b->line));
		b->fresh = crm_xcalloc(INS_BATCH, sizeof(*b->fresh));
		b->id = crm_xcalloc(INS_BATCH, sizeof(*b->id));
		for (size_t i = 0; i < INS_BATCH; i++)
			crm_row_init(&b->rows[i], im->e);
	}
	{
		struct crm_row *rows = b->rows;
		int64_t *line = b->line;

		b->rows = im->held;
		b->line = im->held_line;
		b->n = im->nheld;
		im->held = rows;
		im->held_line = line;
		im->nheld = 0;
	}
	for (size_t i = 0; i < b->n; i++) {
		b->fresh[i] = true;
		b->id[i] = crm_row_id(&b->rows[i]);
	}
	while (rc == 0 && done < b->n) {
		size_t n = INS_BATCH;
		struct crm_stmt *st;

		while (n > b->n - done)
			n /= 2;
		if (!(st = rows_stmt(im, n, err))) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < n; i++)
			bind_row_at(st, (int)(i * (im->e->nfields + 1)) + 1,
				    &b->rows[done + i]);
		if (crm_stmt_step(st, err) < 0)
			rc = batch_failed(im, b, err);
		crm_stmt_reset(st);
		done += n;
	}
	return batch_close(im, rc, err);
}

int crm_importer_settle(struct crm_importer *im, struct crm_err *err)
{
	return im ? held_flush(im, err) : 0;
}

int crm_importer_prefetch(struct crm_importer *im, const int64_t *ids, size_t n,
			  struct crm_err *err)
{
	struct crm_buf b = {0}, sql = {0};
	struct crm_stmt *st;
	int rc;

	if (!im || !im->audit_later || im->o->audit_later)
		return 0; /* only for o->check_alone */
	im->pre.n = 0;
	if (!n)
		return 0;
	/* a statement of its own each time, so planned for its ids and the
	 * table as it is: a plan kept from the first chunks (the table
	 * small) scanned it, 20 ms a chunk at 200,000 leads */
	crm_buf_adds(&sql, "SELECT ");
	crm_entity_select_list_db(im->db, im->e, &sql);
	crm_buf_addf(&sql, " FROM %s WHERE id = ANY(CAST(? AS BIGINT[]))",
		     im->e->table);
	crm_buf_addc(&b, '{');
	for (size_t i = 0; i < n; i++)
		crm_buf_addf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	crm_buf_addc(&b, '}');
	st = crm_db_stmt(im->db, crm_buf_str(&sql), err);
	crm_buf_release(&sql);
	if (!st) {
		crm_buf_release(&b);
		return -1;
	}
	crm_stmt_bind_text(st, 1, crm_buf_str(&b));
	while ((rc = crm_stmt_step(st, err)) > 0) {
		size_t k = im->pre.n;

		if (k == im->pre.cap) {
			size_t cap = im->pre.cap;

			im->pre.id = crm_xgrow(im->pre.id, &cap, k + 1,
					       sizeof(*im->pre.id));
			im->pre.row = crm_xrealloc(im->pre.row,
						   cap * sizeof(*im->pre.row));
			for (size_t i = im->pre.cap; i < cap; i++)
				crm_row_init(&im->pre.row[i], im->e);
			im->pre.cap = cap;
		}
		crm_row_read(&im->pre.row[k], st);
		im->pre.id[k] = crm_row_id(&im->pre.row[k]);
		im->pre.n++;
	}
	crm_stmt_finalize(st);
	crm_buf_release(&b);
	return rc < 0 ? -1 : 0;
}

/* Row id's place in kept batch b (block ids, given in order), or -1. */
static long batch_find(const struct batch *b, int64_t id)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->n && b->id[lo] == id ? (long)lo : -1;
}

/* Record id as stored, into im->old: read ahead or kept as written
 * (pre), a new row of a kept batch as written, else asked. */
static int target_get(struct crm_importer *im, int64_t id, struct crm_err *err)
{
	const struct crm_row *w = NULL;

	for (size_t i = 0; i < im->pre.n && !w; i++)
		if (im->pre.id[i] == id)
			w = &im->pre.row[i];
	for (size_t k = 0; k < BATCH_KEEP && !w && im->readable; k++) {
		long i = batch_find(&im->kept[k], id);

		if (i >= 0 && im->kept[k].fresh[i] &&
		    as_read(im, &im->kept[k].rows[i]))
			w = &im->kept[k].rows[i];
	}
	if (!w)
		return crm_entity_get(im->db, im->e, id, &im->old, err);
	crm_row_copy(&im->old, w);
	memset(im->old.touched, 0, im->e->nfields * sizeof(*im->old.touched));
	return 1;
}

/* A row the import writes is no longer as read ahead, nor as a kept
 * batch wrote it. */
static void pre_drop(struct crm_importer *im, int64_t id)
{
	for (size_t i = 0; i < im->pre.n; i++)
		if (im->pre.id[i] == id)
			im->pre.id[i] = 0;
	for (size_t k = 0; k < BATCH_KEEP; k++) {
		long i = batch_find(&im->kept[k], id);

		if (i >= 0)
			im->kept[k].fresh[i] = false;
	}
}

/* The row an update wrote, kept in pre for a later repeat of it (in
 * this chunk: the next one reads ahead again), when it reads back as
 * written. */
static void pre_keep(struct crm_importer *im, const struct crm_row *row)
{
	size_t k = im->pre.n;

	/* (a check that reads no chunk ahead never empties pre: bounded) */
	if (k >= 2 * CRM_IMPORT_AHEAD || !as_read(im, row))
		return;
	if (k == im->pre.cap) {
		size_t cap = im->pre.cap;

		im->pre.id =
		    crm_xgrow(im->pre.id, &cap, k + 1, sizeof(*im->pre.id));
		im->pre.row =
		    crm_xrealloc(im->pre.row, cap * sizeof(*im->pre.row));
		for (size_t i = im->pre.cap; i < cap; i++)
			crm_row_init(&im->pre.row[i], im->e);
		im->pre.cap = cap;
	}
	crm_row_copy(&im->pre.row[k], row);
	im->pre.id[k] = crm_row_id(row);
	im->pre.n++;
}

void crm_importer_held(struct crm_importer *im)
{
	for (size_t i = 0; im && im->o->check_wrote && i < im->nheld; i++)
		im->o->check_wrote(NULL, &im->held[i], im->o->check_arg);
}

/* PostgreSQL bulk import with a duplicate check, which reads the table
 * between rows (and so would end a COPY each time): the row, with the
 * block's id, held for a multi-row INSERT. Whatever reads the table
 * flushes the held rows first (crm_importer_settle). */
static int block_insert(struct crm_importer *im, struct crm_row *row,
			struct crm_err *err)
{
	if (block_id(im, row, err) < 0)
		return -1;
	if (!im->held) {
		im->held = crm_xcalloc(INS_BATCH, sizeof(*im->held));
		im->held_line = crm_xcalloc(INS_BATCH, sizeof(*im->held_line));
		for (size_t i = 0; i < INS_BATCH; i++)
			crm_row_init(&im->held[i], im->e);
	}
	crm_row_copy(&im->held[im->nheld], row);
	im->held_line[im->nheld++] = im->line;
	return im->nheld == INS_BATCH ? held_flush(im, err) : 0;
}

/* PostgreSQL bulk import: the row as COPY values, with the block's id. */
static int copy_row(struct crm_importer *im, struct crm_row *row,
		    struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	const char **v = crm_xcalloc(e->nfields + 1, sizeof(*v));
	char *custom = NULL;
	int rc = -1;

	if (block_id(im, row, err) < 0)
		goto out;
	if (!im->copy) {
		const char **cols = crm_xcalloc(e->nfields + 1, sizeof(*cols));

		for (size_t i = 0; i < e->nfields; i++)
			cols[i] = e->fields[i].name;
		cols[e->nfields] = "custom";
		im->copy = crm_copy_begin(im->db->store, e->table, cols,
					  e->nfields + 1, err);
		free(cols);
		if (!im->copy)
			goto out;
	}
	for (size_t i = 0; i < e->nfields; i++)
		v[i] = row->v[i];
	if (json_object_size(row->custom))
		custom = json_dumps(row->custom, JSON_COMPACT);
	v[e->nfields] = custom;
	rc = crm_copy_row(im->copy, v, err);
	if (rc < 0)
		crm_err_what(err, "cannot insert");
out:
	free(custom);
	free(v);
	return rc;
}

/* Whether the user may set the table's sequence (a block of ids, or one
 * id given back, sets it; crm's rights grant it to some users only,
 * lib/domain/rights.c): 1 yes, 0 no, -1 error. */
static int seq_settable(struct crm_importer *im, struct crm_err *err)
{
	int64_t ok = 0;
	int rc = crm_dbq_step(
	    im->db, err, &ok,
	    "SELECT CASE WHEN has_sequence_privilege(CAST("
	    "pg_get_serial_sequence(?1, 'id') AS regclass), 'UPDATE') THEN "
	    "1 ELSE 0 END",
	    "s", im->e->table);

	return rc < 0 ? -1 : ok > 0;
}

/* After a rejected row's rollback: on PostgreSQL, whose sequences do not
 * roll back, the id its failed INSERT took goes back, so that the next
 * row has it, as on SQLite (crm's writers take turns: no other took one
 * since). 0, or -1 with err. */
static int give_back_id(struct crm_importer *im, struct crm_err *err)
{
	bool took = im->took_id;
	int rc;

	im->took_id = false;
	if (!took || crm_store_engine(im->db->store) != CRM_STORE_PG)
		return 0;
	if ((rc = seq_settable(im, err)) <= 0)
		return rc; /* not this user's to set: the id stays used */
	return crm_dbq_run(
	    im->db, err,
	    "SELECT setval(CAST(pg_get_serial_sequence(?1, 'id') AS regclass), "
	    "greatest(v - 1, 1), v > 1) FROM (SELECT pg_sequence_last_value("
	    "CAST(pg_get_serial_sequence(?1, 'id') AS regclass)) AS v) AS s "
	    "WHERE v IS NOT NULL",
	    "s", im->e->table);
}

/* The end of a bulk import: the last rows go in, and the ids reserved
 * but not given go back to the sequence (crm's writers take turns: no
 * other took one since). */
static int copy_finish(struct crm_importer *im, struct crm_err *err)
{
	int rc;

	if (im->copy) {
		rc = crm_copy_end(im->copy, err);
		im->copy = NULL;
		if (rc < 0)
			return crm_err_what(err, "cannot insert");
	}
	if (!im->bulk || !im->end_id || im->next_id > im->end_id)
		return 0;
	/* unless a write beside the import (a hook's) took one after it */
	rc = crm_dbq_run(im->db, err,
			 "SELECT setval(CAST(pg_get_serial_sequence(?1, 'id') "
			 "AS regclass), ?2, false) WHERE "
			 "pg_sequence_last_value(CAST(pg_get_serial_sequence("
			 "?1, 'id') AS regclass)) = ?3",
			 "sii", im->e->table, im->next_id, im->end_id);
	im->next_id = im->end_id + 1;
	return rc;
}

/* An update of row may not give a value to a field withheld from the role. */
static int withheld_check(struct crm_db *db, const struct crm_row *row,
			  struct crm_err *err)
{
	for (size_t i = 0; i < row->e->nfields; i++)
		if (row->v[i] && !update_writes(db, row->e, i)) {
			crm_err_set(err, CRM_EX_CANTCREAT,
				    "%s is withheld from your role (sensitive)",
				    row->e->fields[i].name);
			snprintf(err->field, sizeof(err->field), "%s",
				 row->e->fields[i].name);
			return -1;
		}
	return 0;
}

/* Run a prepared write of row: 0, or -1 with err. An insert on
 * PostgreSQL that returns its id (prepare_insert) stores it in
 * *returned. */
static int run_write(struct crm_db *db, struct crm_stmt *st,
		     struct crm_row *row, bool insert, int64_t *returned,
		     struct crm_err *err)
{
	int rc;

	if (!insert && withheld_check(db, row, err) < 0)
		return -1;
	crm_stmt_reset(st);
	bind_row(st, row); /* binds every parameter: no need to clear */
	if (!insert)
		crm_stmt_bind_int(st, (int)row->e->nfields + 2,
				  crm_row_id(row));
	rc = crm_stmt_step(st, err);
	if (rc > 0 && insert)
		*returned = crm_stmt_int(st, 0);
	crm_stmt_reset(st);
	if (rc < 0)
		return crm_err_what(err,
				    insert ? "cannot insert" : "cannot update");
	return 0;
}

/* Run a prepared write of row; for an insert, store the new id. */
static int write_row(struct crm_db *db, struct crm_stmt *st,
		     struct crm_row *row, bool insert, struct crm_err *err)
{
	int64_t returned = 0;

	if (run_write(db, st, row, insert, &returned, err) < 0)
		return -1;
	if (insert && row->v[0] && crm_store_engine(db->store) == CRM_STORE_PG)
		return bump_sequence(db, row, err);
	if (insert && !row->v[0]) {
		char id[CRM_INT_LEN];
		int64_t v =
		    returned ? returned : crm_store_last_id(db->store, err);

		if (v < 0)
			return -1;
		row->v[0] = crm_xstrdup(crm_fmt_int(id, v));
	}
	return 0;
}

static void audit_clear(struct crm_importer *im)
{
	for (size_t i = 0; i < im->audit.n; i++) {
		free(im->audit.before[i]);
		free(im->audit.after[i]);
	}
	im->audit.n = 0;
}

/* The UPDATE of the fields in set of every record in a JSON array of
 * objects (the table's row type reads each value as its column does). */
static struct crm_stmt *later_stmt(struct crm_importer *im, uint64_t set,
				   bool *kept, struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	struct crm_buf sql = {0};
	struct crm_stmt *st;
	int k = 0;

	/* kept prepared for the importer's life, up to CHANGED_MAX sets */
	for (size_t i = 0; i < im->nlater_st; i++)
		if (im->later_st[i].set == set) {
			*kept = true;
			return im->later_st[i].st;
		}
	crm_buf_addf(&sql, "UPDATE %s AS t SET ", e->table);
	for (size_t i = 0; i < e->nfields; i++)
		if (set & UINT64_C(1) << i && update_writes(im->db, e, i))
			crm_buf_addf(&sql, "%s%s = v.%s", k++ ? ", " : "",
				     e->fields[i].name, e->fields[i].name);
	crm_buf_addf(&sql,
		     " FROM json_populate_recordset(NULL::%s, CAST(? AS "
		     "json)) AS v WHERE t.id = v.id",
		     e->table);
	st = crm_db_stmt(im->db, sql.s, err);
	crm_buf_release(&sql);
	*kept = st && im->nlater_st < CHANGED_MAX;
	if (*kept) {
		im->later_st[im->nlater_st].set = set;
		im->later_st[im->nlater_st++].st = st;
	}
	return st;
}

/* Write the held UPDATEs: one statement for each set of fields. */
static int later_flush(struct crm_importer *im, struct crm_err *err)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < im->nlater; i++) {
		uint64_t set = im->later[i].set;
		json_t *a;
		struct crm_stmt *st;
		bool kept;
		char *text;

		if (!set)
			continue; /* written with an earlier set */
		a = json_array();
		for (size_t j = i; j < im->nlater; j++)
			if (im->later[j].set == set) {
				json_array_append(a, im->later[j].vals);
				im->later[j].set = 0;
			}
		text = json_dumps(a, JSON_COMPACT);
		json_decref(a);
		st = later_stmt(im, set, &kept, err);
		if (!st || !text)
			rc = -1;
		if (st) {
			crm_stmt_bind_text(st, 1, text);
			if (rc == 0 && crm_stmt_step(st, err) < 0)
				rc = crm_err_what(err, "cannot update");
			if (kept)
				crm_stmt_reset(st);
			else
				crm_stmt_finalize(st);
		}
		free(text);
	}
	for (size_t i = 0; i < im->nlater; i++)
		json_decref(im->later[i].vals);
	im->nlater = 0;
	return rc;
}

/* Hold row's UPDATE of the fields in set (o->update_later), with any
 * held before for the same record. */
static int later_hold(struct crm_importer *im, const struct crm_row *row,
		      uint64_t set, struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	struct held_update *h = NULL;

	for (size_t i = 0; i < im->nlater && !h; i++)
		if (im->later[i].id == crm_row_id(row))
			h = &im->later[i];
	if (!h) {
		im->later = crm_xgrow(im->later, &im->caplater, im->nlater + 1,
				      sizeof(*im->later));
		h = &im->later[im->nlater++];
		*h = (struct held_update){crm_row_id(row), 0, json_object()};
		json_object_set_new(h->vals, "id",
				    json_integer(crm_row_id(row)));
	}
	h->set |= set;
	for (size_t i = 0; i < e->nfields; i++) {
		const char *v = row->v[i];
		json_t *j;

		if (!(set & UINT64_C(1) << i))
			continue;
		switch (v ? e->fields[i].type : CRM_T_TEXT) {
		case CRM_T_INT:
		case CRM_T_REF:
		case CRM_T_MONEY:
		case CRM_T_BOOL: /* as bind_field binds them */
			j = json_integer(strtoll(v, NULL, 10));
			break;
		case CRM_T_REAL:
		case CRM_T_PERCENT:
			j = json_real(strtod(v, NULL));
			break;
		default:
			j = v ? json_string(v) : json_null();
		}
		if (!j)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "%s: not valid UTF-8",
					   e->fields[i].name);
		json_object_set_new(h->vals, e->fields[i].name, j);
	}
	return im->nlater >= CRM_AUDIT_ROWS ? later_flush(im, err) : 0;
}

/* Write the held UPDATEs and audit rows (of rows the table has). */
static int kept_flush(struct crm_importer *im, struct crm_err *err)
{
	int rc = later_flush(im, err);

	for (size_t i = 0; rc == 0 && i < im->audit.n; i += CRM_AUDIT_ROWS)
		rc = crm_db_audit_rows(im->db, im->e->name, "update",
				       im->audit.n - i < CRM_AUDIT_ROWS
					   ? im->audit.n - i
					   : CRM_AUDIT_ROWS,
				       im->audit.id + i, im->audit.before + i,
				       im->audit.after + i, err);
	audit_clear(im);
	return rc;
}

int crm_importer_flush(struct crm_importer *im, struct crm_err *err)
{
	return held_flush(im, err) < 0 ? -1 : kept_flush(im, err);
}

/* An update's audit row: written now, or kept (o->audit_later; bj and
 * aj then the importer's). */
static int audit_update(struct crm_importer *im, char *bj, char *aj,
			struct crm_err *err)
{
	int64_t id = crm_row_id(&im->old);
	int rc;

	if (!im->audit_later) {
		rc = crm_db_audit(im->db, im->e->name, id, "update", bj, aj,
				  err);
		free(bj);
		free(aj);
		return rc;
	}
	im->audit.id = crm_xgrow(im->audit.id, &im->audit.cap, im->audit.n + 1,
				 sizeof(*im->audit.id));
	im->audit.before = crm_xgrow(im->audit.before, &im->audit.bcap,
				     im->audit.n + 1, sizeof(char *));
	im->audit.after = crm_xgrow(im->audit.after, &im->audit.acap,
				    im->audit.n + 1, sizeof(char *));
	im->audit.id[im->audit.n] = id;
	im->audit.before[im->audit.n] = bj;
	im->audit.after[im->audit.n++] = aj;
	return im->audit.n >= CRM_AUDIT_ROWS ? kept_flush(im, err) : 0;
}

static void bloom_free(struct crm_importer *im)
{
	for (size_t i = 0; im->bloom && i < im->keys.n; i++)
		crm_bloom_release(&im->bloom[i]);
	free(im->bloom);
	im->bloom = NULL;
}

void crm_importer_free(struct crm_importer *im)
{
	if (!im)
		return;
	for (size_t i = 0; i < im->keys.n; i++)
		crm_stmt_finalize(im->find[i]);
	bloom_free(im);
	if (im->copy)
		crm_copy_abort(im->copy);
	crm_stmt_finalize(im->ins);
	crm_stmt_finalize(im->ins_id);
	for (size_t i = 0; im->held && i < INS_BATCH; i++)
		crm_row_release(&im->held[i]);
	free(im->held);
	free(im->held_line);
	for (size_t k = 0; k < BATCH_KEEP; k++) {
		struct batch *b = &im->kept[k];

		batch_clear(b);
		for (size_t i = 0; b->rows && i < INS_BATCH; i++)
			crm_row_release(&b->rows[i]);
		free(b->rows);
		free(b->line);
		free(b->fresh);
		free(b->id);
	}
	for (size_t i = 0; i < im->pre.cap; i++)
		crm_row_release(&im->pre.row[i]);
	free(im->pre.row);
	free(im->pre.id);
	crm_stmt_finalize(im->upd);
	for (size_t i = 0; i < im->nchanged; i++)
		crm_stmt_finalize(im->changed[i].st);
	crm_stmt_finalize(im->find_xid);
	free(im->find);
	free(im->keyfield);
	free(im->matchkey);
	crm_strv_release(&im->keys);
	crm_colmap_free(im->colmap);
	crm_strv_release(&im->custom_seen);
	parsed_release(&im->p);
	crm_row_release(&im->old);
	crm_row_release(&im->row);
	crm_buf_release(&im->tmp);
	audit_clear(im);
	for (size_t i = 0; i < im->nlater; i++)
		json_decref(im->later[i].vals);
	free(im->later);
	for (size_t i = 0; i < im->nlater_st; i++)
		crm_stmt_finalize(im->later_st[i].st);
	free(im->audit.id);
	free(im->audit.before);
	free(im->audit.after);
	free(im);
}

/* The statement that finds the records whose field f equals a value. */
static struct crm_stmt *prepare_find(struct crm_importer *im, long f,
				     struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	struct crm_buf sql = {0};

	crm_buf_adds(&sql, "SELECT ");
	crm_entity_select_list_db(im->db, e, &sql);
	crm_buf_addf(&sql, " FROM %s WHERE %s%s = ? LIMIT 2", e->table,
		     e->fields[f].name, im->matchkey[f] >= 0 ? "_key" : "");
	return crm_entity_stmt(im->db, &sql, err);
}

static int setup_keys(struct crm_importer *im, struct crm_err *err)
{
	const struct crm_entity *e = im->e;

	crm_strv_split(&im->keys, im->o->keys ? im->o->keys : e->keys, ',');
	if (!im->keys.n)
		return crm_err_set(err, CRM_EX_USAGE, "--key: no key given");
	im->nkeys = im->keys.n;
	if (im->o->default_keys) {
		struct crm_strv dk = {0};

		crm_strv_split(&dk, e->keys, ',');
		for (size_t i = 0; i < dk.n; i++)
			if (crm_strv_find(&im->keys, dk.v[i]) < 0)
				crm_strv_push(&im->keys, dk.v[i]);
		crm_strv_release(&dk);
	}
	im->keyfield = crm_xcalloc(im->keys.n, sizeof(*im->keyfield));
	im->find = crm_xcalloc(im->keys.n, sizeof(*im->find));
	im->xid = crm_entity_field(e, "external_id");
	im->xid_key = -1;
	for (size_t k = 0; k < im->keys.n; k++) {
		long f = crm_entity_field(e, im->keys.v[k]);

		if (f < 0 || !(e->fields[f].flags & CRM_FF_KEY))
			return crm_err_set(err, CRM_EX_USAGE,
					   "--key: '%s' is not a key of %s",
					   im->keys.v[k], e->plural);
		im->keyfield[k] = f;
		if (f == im->xid)
			im->xid_key = (long)k;
		if (!(im->find[k] = prepare_find(im, f, err)))
			return -1;
	}
	if (im->xid >= 0 && im->xid_key < 0 &&
	    !(im->find_xid = prepare_find(im, im->xid, err)))
		return -1;
	return 0;
}

static int setup_map(struct crm_importer *im, struct crm_err *err)
{
	struct crm_colmap_opts co = {.map = im->o->map,
				     .profile = im->o->profile,
				     .match = im->o->match};

	im->colmap = crm_colmap_new(im->db, im->e, &co, err);
	return im->colmap ? 0 : -1;
}

static int count_rows(struct crm_importer *im, int64_t *n, struct crm_err *err)
{
	struct crm_buf sql = {0};
	uint64_t rows = 0;
	int rc;

	*n = 0;
	crm_buf_addf(&sql, "SELECT count(*) FROM %s", im->e->table);
	rc = crm_entity_sqlf(im->db, sql.s, n, &rows, NULL, err, "");
	crm_buf_release(&sql);
	if (rc == 0 && !rows)
		return crm_err_set(err, CRM_EX_SOFTWARE, "database: no count");
	return rc;
}

struct crm_importer *crm_importer_new(struct crm_db *db,
				      const struct crm_entity *e,
				      const struct crm_import_opts *o,
				      struct crm_err *err)
{
	struct crm_importer *im = crm_xcalloc(1, sizeof(*im));

	im->db = db;
	im->e = e;
	im->o = o;
	im->audit_later = o->audit_later;
	im->update_later = o->update_later;
	im->matchkey = crm_xcalloc(e->nfields, sizeof(*im->matchkey));
	for (size_t i = 0; i < e->nfields; i++) {
		im->matchkey[i] = -1;
		if (e->fields[i].flags & CRM_FF_MATCH) {
			char *k = crm_xasprintf("%s_key", e->fields[i].name);
			im->matchkey[i] = crm_entity_field(e, k);
			free(k);
		}
	}
	/* looked up once (by name per record: 0.6% of a contact import) */
	im->created = crm_entity_field(e, "created_at");
	im->updated = crm_entity_field(e, "updated_at");
	parsed_init(&im->p, e);
	crm_row_init(&im->old, e);
	crm_row_init(&im->row, e);
	crm_datetime_format(db->now, im->now);
	if (setup_map(im, err) < 0 || setup_keys(im, err) < 0)
		goto fail;
	im->ins = prepare_write(db, e, true, false, err);
	im->upd = im->ins ? prepare_write(db, e, false, false, err) : NULL;
	if (!im->upd || count_rows(im, &im->rows_at_start, err) < 0)
		goto fail;
	im->identities =
	    crm_db_int(db,
		       "SELECT EXISTS (SELECT 1 FROM crm_identities "
		       "WHERE entity = ?)",
		       e->name, NULL, err) > 0;
	return im;
fail:
	crm_importer_free(im);
	return NULL;
}

bool crm_field_match_form(const struct crm_field *f, const char *v,
			  struct crm_buf *out)
{
	struct crm_err e2 = {0};

	crm_buf_reset(out);
	if (!v)
		return false;
	switch (f->type) {
	case CRM_T_EMAIL:
		crm_norm_email_key(v, out);
		return true;
	case CRM_T_PHONE:
		return crm_norm_phone(v, crm_phone_country(), out, &e2) == 0;
	default:
		if (f->match)
			return f->match(v, strlen(v), out) == 0;
		return crm_norm_key(v, strlen(v), out) == 0;
	}
}

/* The NAME_key columns of row from its values; the fields taken from the
 * input (touched) already carry theirs, made once by read_input. */
static void derive_keys(struct crm_importer *im, struct crm_row *row)
{
	for (size_t i = 0; i < im->e->nfields; i++) {
		long k = im->matchkey[i];

		if (k < 0 || row->touched[i])
			continue;
		free(row->v[k]);
		row->v[k] =
		    crm_field_match_form(&im->e->fields[i], row->v[i], &im->tmp)
			? crm_xstrdup(im->tmp.s)
			: NULL;
	}
}

/* A JSON array or object given for field f (JSON input keeps it as raw
 * text): a tags field takes an array of strings, the tags, none holding
 * a comma (tags are stored comma-separated); anything else is an error,
 * never the JSON text stringified. The tags go to out, comma-separated
 * (empty: no tags). */
static int json_field_value(const struct crm_field *f, const char *v,
			    struct crm_buf *out, struct crm_err *err)
{
	json_t *j, *t;
	size_t i;
	int rc = 0;

	if (f->type != CRM_T_TAGS || *v != '[')
		return crm_err_set(err, CRM_EX_DATAERR,
				   "expected a single value, not a JSON %s",
				   *v == '[' ? "array" : "object");
	j = json_loads(v, 0, NULL);
	crm_buf_reset(out);
	crm_buf_adds(out, "");
	json_array_foreach(j, i, t)
	{
		const char *s = json_string_value(t);

		if (!s) {
			rc = crm_err_set(err, CRM_EX_DATAERR,
					 "a JSON array of tags holds strings "
					 "only");
			break;
		}
		if (strchr(s, ',')) {
			rc = crm_err_set(
			    err, CRM_EX_DATAERR,
			    "a tag cannot contain a comma: '%.80s'", s);
			break;
		}
		crm_buf_addf(out, "%s%s", out->len ? "," : "", s);
	}
	json_decref(j);
	return rc;
}

/* crm_field_parse, with the import's --date-format and --tz for times
 * and dates. */
static int parse_value(const struct crm_importer *im, const struct crm_field *f,
		       const char *v, struct crm_buf *out, struct crm_err *err)
{
	bool time = f->type == CRM_T_TIME;
	char tb[CRM_TIME_LEN];
	crm_time t;

	if (!im->o->dates || (!time && f->type != CRM_T_DATE))
		return crm_field_parse(f, v, NULL, out, err);
	crm_buf_reset(out);
	if ((time ? crm_datefmt_time(im->o->dates, v, &t, err)
		  : crm_datefmt_date(im->o->dates, v, &t, err)) < 0)
		return -1;
	crm_buf_adds(out, time ? crm_datetime_format(t, tb)
			       : crm_datetime_format_date(t, tb));
	return 0;
}

/* Read the input record into to: parsed values and touched flags; a
 * custom field set to JSON null means "clear it". */

static int read_input(struct crm_importer *im, const struct crm_rec *in,
		      struct parsed *to, struct crm_buf *tmp,
		      struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	const struct crm_colmap_col *cols;
	bool reject_file = false;

	parsed_reset(to);
	cols = crm_colmap_record(im->colmap, in, err);
	if (!cols)
		return -1;
	for (size_t j = 0; j < in->n; j++) {
		const char *name = cols[j].name;
		const char *v = crm_rec_val(in, j);
		enum crm_kind kind = crm_rec_kind(in, j);
		long k = cols[j].field;

		if (j == 0) /* a reject file has both columns, at its end */
			reject_file =
			    in->n >= 2 &&
			    !strcmp(crm_rec_name(in, in->n - 1), "error") &&
			    !strcmp(crm_rec_name(in, in->n - 2), "error_line");
		if ((reject_file && j >= in->n - 2) || !name)
			continue;
		if (kind == CRM_NULL)
			continue;
		if (k >= 0) {
			const struct crm_field *f = &e->fields[k];
			struct crm_buf jv = {0};

			to->in.touched[k] = true;
			free(to->in.v[k]);
			to->in.v[k] = NULL;
			if (kind == CRM_RAW && (*v == '[' || *v == '{')) {
				int rc = json_field_value(f, v, &jv, err);

				if (rc == 0 && !*jv.s)
					rc = 1; /* [] clears the tags */
				else if (rc == 0)
					rc = crm_field_parse(f, jv.s, NULL, tmp,
							     err);
				crm_buf_release(&jv);
				if (rc < 0) {
					snprintf(err->field, sizeof(err->field),
						 "%s", f->name);
					return -1;
				}
				if (rc == 1)
					continue;
				to->in.v[k] = crm_xstrdup(tmp->s);
				continue;
			}
			if (!*v)
				continue;
			if (f->type == CRM_T_MONEY) {
				to->money[k] = crm_xstrdup(v);
				continue;
			}
			if (parse_value(im, f, v, tmp, err) < 0) {
				snprintf(err->field, sizeof(err->field), "%s",
					 f->name);
				return -1;
			}
			to->in.v[k] = crm_xstrdup(tmp->s);
			if (im->matchkey[k] >= 0) {
				long mk = im->matchkey[k];

				free(to->in.v[mk]);
				to->in.v[mk] =
				    crm_field_match_form(f, to->in.v[k], tmp)
					? crm_xstrdup(tmp->s)
					: NULL;
			}
		} else if (!*name || strlen(name) > 200) {
			return crm_err_set(err, CRM_EX_DATAERR,
					   "bad custom field name '%.40s'",
					   name);
		} else if (!*v) {
			json_object_set_new(to->in.custom, name, json_null());
		} else if (kind == CRM_RAW) {
			json_t *jv = json_loads(v, JSON_DECODE_ANY, NULL);
			if (!jv) {
				snprintf(err->field, sizeof(err->field), "%s",
					 name);
				return crm_err_set(err, CRM_EX_DATAERR,
						   "invalid JSON value");
			}
			json_object_set_new(to->in.custom, name, jv);
		} else {
			json_t *jv = json_stringn(v, crm_rec_vlen(in, j));
			if (!jv) {
				snprintf(err->field, sizeof(err->field), "%s",
					 name);
				return crm_err_set(err, CRM_EX_DATAERR,
						   "invalid UTF-8");
			}
			json_object_set_new(to->in.custom, name, jv);
		}
	}
	return 0;
}

/* The value of key k of row as looked up: its matching form for fields
 * with a NAME_key column (which read_input and derive_keys fill), or
 * NULL. */
static const char *key_value(const struct crm_importer *im, size_t k,
			     const struct crm_row *row)
{
	long f = im->keyfield[k];

	return row->v[im->matchkey[f] >= 0 ? im->matchkey[f] : f];
}

/* The most keys a filter of im is sized for. */
static uint64_t bloom_most(const struct crm_importer *im)
{
	return im->bulk ? BLOOM_MAX_ITEMS_PG : BLOOM_MAX_ITEMS;
}

/* Fill one filter per key (not id: a primary key probe is cheap) from the
 * table, once a load is big enough for that to pay off; and again, bigger,
 * when the load has filled it (the rows written so far are in the table:
 * the caller flushed them). */
static int bloom_build(struct crm_importer *im, struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	uint64_t most = bloom_most(im);
	uint64_t items =
	    (uint64_t)im->rows_at_start + 2 * im->applied + crm_bloom_room();

	if (!im->bloom && im->applied * 4 < (uint64_t)im->rows_at_start)
		return 0; /* a small load into a big table: probing is cheaper
			   */
	if (items > most)
		items = most;
	im->bloom_tried = true;
	bloom_free(im);
	im->bloom = crm_xcalloc(im->keys.n, sizeof(*im->bloom));
	for (size_t k = 0; k < im->keys.n; k++) {
		long f = im->keyfield[k];
		struct crm_buf sql = {0};
		struct crm_stmt *st;

		if (f == 0)
			continue; /* id: the primary key, probed directly */
		crm_bloom_init(&im->bloom[k], items);
		crm_buf_addf(&sql, "SELECT %s%s FROM %s", e->fields[f].name,
			     im->matchkey[f] >= 0 ? "_key" : "", e->table);
		st = crm_entity_stmt(im->db, &sql, err);
		if (!st || crm_stmt_bloom_fill(st, &im->bloom[k], err) < 0)
			return -1;
	}
	return 0;
}

/* Load the rest of a large import into a (nearly) empty table without
 * the indexes that none of its lookups reads (e->defer_indexes): the
 * columns of its keys (NAME_key for a matching field) and external_id
 * are kept; the rest are made again, at once, before the commit. Not
 * with a duplicate check (it reads by other columns) nor --reject (a
 * rolled-back row's savepoint could hold the drop). */
static int indexes_defer(struct crm_importer *im, struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	struct crm_strv keep = {0};
	int rc;

	if (!e->defer_indexes || im->o->check || im->o->reject_open ||
	    im->rows_at_start > DEFER_AFTER)
		return 0;
	for (size_t k = 0; k < im->keys.n; k++) {
		long f = im->keyfield[k];
		long c = im->matchkey[f] >= 0 ? im->matchkey[f] : f;

		crm_strv_push(&keep, e->fields[c].name);
	}
	if (im->xid >= 0)
		crm_strv_push(&keep, e->fields[im->xid].name);
	rc = crm_store_indexes_defer(im->db->store, e->table, &keep, err);
	crm_strv_release(&keep);
	return rc < 0 ? -1 : 0;
}

/* Keep the filters current with a row just written. */
static void bloom_note(struct crm_importer *im, const struct crm_row *row)
{
	for (size_t k = 0; im->bloom && k < im->keys.n; k++) {
		const char *v = im->keyfield[k] ? key_value(im, k, row) : NULL;
		if (v)
			crm_bloom_add(&im->bloom[k], v, strlen(v));
	}
}

/* Whether a filter holds more keys than it has room for, and may grow
 * (is smaller than the most it may be). */
static bool bloom_full(const struct crm_importer *im)
{
	uint64_t most = crm_bloom_bits(bloom_most(im));

	for (size_t k = 0; im->bloom && k < im->keys.n; k++)
		if (crm_bloom_full(&im->bloom[k]) &&
		    im->bloom[k].mask + 1 < most)
			return true;
	return false;
}

/* The records whose key k (-1: external_id, not a key) is v: how many
 * (at most 2) in *n, the first in im->old. Returns 0 or -1. */
static int probe(struct crm_importer *im, long k, const char *v, int *n,
		 struct crm_err *err)
{
	struct crm_stmt *st = k >= 0 ? im->find[k] : im->find_xid;
	int rc;

	*n = 0;
	if (k >= 0 && im->bloom && im->bloom[k].bits &&
	    !crm_bloom_maybe(&im->bloom[k], v, strlen(v)))
		return 0;
	if (held_flush(im, err) < 0)
		return -1;
	crm_stmt_reset(st);
	crm_stmt_bind_text(st, 1, v);
	while ((rc = crm_stmt_step(st, err)) > 0)
		if ((*n)++ == 0)
			crm_row_read(&im->old, st);
	crm_stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

/* Find the existing record: the first key with exactly one match wins.
 * An external_id is an identity: before the first fallback key (any but
 * id and external_id), a record holding the input's external_id is the
 * record, and a fallback key's match holding another external_id is
 * another record (the input becomes a new one). Returns 1 found (in
 * im->old), 0 none, -1 error (also: only ambiguous). */
static int lookup(struct crm_importer *im, struct crm_err *err)
{
	const char *ambiguous = NULL;
	const char *xin = im->xid >= 0 ? im->p.in.v[im->xid] : NULL;
	bool xid_done = false, keyed = false;

	if (!im->bloom_tried &&
	    (im->applied >= BLOOM_AFTER || (im->copy_ok && !im->applied)) &&
	    (held_flush(im, err) < 0 || bloom_build(im, err) < 0))
		return -1;
	if (bloom_full(im) &&
	    (held_flush(im, err) < 0 || bloom_build(im, err) < 0))
		return -1;
	for (size_t k = 0; k < im->keys.n; k++) {
		const char *v = key_value(im, k, &im->p.in);
		long f = im->keyfield[k];
		bool fallback = f != 0 && f != im->xid;
		int n;

		if (k == im->nkeys && (keyed || xid_done))
			break; /* the default keys: only for a keyless record */
		keyed = keyed || v;
		if (fallback && xin && !xid_done) {
			xid_done = true;
			if (probe(im, im->xid_key, xin, &n, err) < 0)
				return -1;
			if (n == 1)
				return 1;
		}
		if (!v || (f == im->xid && xid_done))
			continue;
		if (probe(im, (long)k, v, &n, err) < 0)
			return -1;
		if (f == im->xid)
			xid_done = true;
		if (n == 1 && fallback && xin && im->old.v[im->xid] &&
		    strcmp(im->old.v[im->xid], xin))
			continue; /* another record's identity */
		if (n == 1)
			return 1;
		if (n > 1 && !ambiguous)
			ambiguous = im->keys.v[k];
	}
	if (ambiguous) {
		snprintf(err->field, sizeof(err->field), "%s", ambiguous);
		return crm_err_set(err, CRM_EX_DATAERR,
				   "matches several %s; use another --key",
				   im->e->plural);
	}
	/* a merged-away record's key finds its survivor */
	for (size_t k = 0; im->identities && k < im->keys.n; k++) {
		const char *v = key_value(im, k, &im->p.in);
		int rc;

		if (!v)
			continue;
		if (held_flush(im, err) < 0)
			return -1;
		rc = crm_entity_find_identity(
		    im->db, im->e, im->e->fields[im->keyfield[k]].name, v,
		    &im->old, err);
		if (rc != 0) {
			im->via_identity = rc > 0;
			return rc;
		}
	}
	return 0;
}

/* Whether key is a secondary identity (field) of record id. */
static int identity_of(struct crm_importer *im, const char *field,
		       const char *key, int64_t id, struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt_cached(
	    im->db,
	    "SELECT 1 FROM crm_identities WHERE entity = ? AND field = ? AND "
	    "key = ? AND record_id = ?",
	    err);
	int s;

	if (!st)
		return -1;
	crm_stmt_bind_text(st, 1, im->e->name);
	crm_stmt_bind_text(st, 2, field);
	crm_stmt_bind_text(st, 3, key);
	crm_stmt_bind_int(st, 4, id);
	s = crm_stmt_step(st, err);
	crm_stmt_reset(st);
	return s;
}

/* The input found its record through a secondary identity: the input's
 * values that are secondary identities of that record stay secondary
 * (the survivor keeps its own external_id, email and phone). */
static int keep_identities(struct crm_importer *im, struct crm_err *err)
{
	const struct crm_entity *e = im->e;

	for (size_t i = 1; i < e->nfields; i++) {
		long mk = im->matchkey[i];
		const char *v = im->p.in.v[mk >= 0 ? mk : (long)i];
		int is;

		if (!im->p.in.touched[i] || !v ||
		    (mk < 0 && strcmp(e->fields[i].name, "external_id")))
			continue;
		is = identity_of(im, e->fields[i].name, v, crm_row_id(&im->old),
				 err);
		if (is < 0)
			return -1;
		if (!is)
			continue;
		free(im->p.in.v[i]);
		im->p.in.v[i] = NULL;
		im->p.in.touched[i] = false;
		if (mk >= 0) {
			free(im->p.in.v[mk]);
			im->p.in.v[mk] = NULL;
		}
	}
	return 0;
}

static int enum_pos(const struct crm_field *f, const char *v)
{
	for (int i = 0; v && f->values[i]; i++)
		if (!strcmp(f->values[i], v))
			return i;
	return -1;
}

/* The fields of row that differ from old (bit i: field i; CHANGED_CUSTOM:
 * the custom fields). */
static uint64_t changed_set(const struct crm_row *old,
			    const struct crm_row *row)
{
	uint64_t set = 0;

	for (size_t i = 0; i < row->e->nfields; i++) {
		const char *x = old->v[i], *y = row->v[i];

		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y)))
			set |= UINT64_C(1) << i;
	}
	if (!json_equal(old->custom, row->custom))
		set |= CHANGED_CUSTOM;
	return set;
}

/* The importer's UPDATE of the fields in set (those an UPDATE writes:
 * update_writes), then the id; NULL with err->code 0 when it keeps no
 * more of them. */
static struct crm_stmt *changed_stmt(struct crm_importer *im, uint64_t set,
				     struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	struct crm_buf sql = {0};
	struct crm_stmt *st;
	int k = 0;

	for (size_t i = 0; i < im->nchanged; i++)
		if (im->changed[i].set == set)
			return im->changed[i].st;
	err->code = 0;
	if (im->nchanged == CHANGED_MAX)
		return NULL;
	crm_buf_addf(&sql, "UPDATE %s SET ", e->table);
	for (size_t i = 0; i < e->nfields; i++)
		if (set & UINT64_C(1) << i && update_writes(im->db, e, i)) {
			crm_buf_addf(&sql, "%s%s = ?%d", k ? ", " : "",
				     e->fields[i].name, k + 1);
			k++;
		}
	if (set & CHANGED_CUSTOM) {
		crm_buf_addf(&sql, "%scustom = ?%d", k ? ", " : "", k + 1);
		k++;
	}
	if (!k) { /* nothing it may write: the whole row's UPDATE */
		crm_buf_release(&sql);
		return NULL;
	}
	crm_buf_addf(&sql, " WHERE id = ?%d", k + 1);
	if (!(st = crm_entity_stmt(im->db, &sql, err)))
		return NULL;
	im->changed[im->nchanged].set = set;
	im->changed[im->nchanged++].st = st;
	return st;
}

/* Write the fields of row that differ from im->old, or every field when
 * the importer keeps no UPDATE for that set (or e has too many fields to
 * name them in a set). */
static int update_row(struct crm_importer *im, struct crm_row *row,
		      struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	uint64_t set;
	struct crm_stmt *st;
	int k = 1, rc;

	if (e->nfields >= 63)
		return write_row(im->db, im->upd, row, false, err);
	set = changed_set(&im->old, row);
	if (!(st = changed_stmt(im, set, err)))
		return err->code ? -1
				 : write_row(im->db, im->upd, row, false, err);
	if (withheld_check(im->db, row, err) < 0)
		return -1;
	if (im->update_later && !(set & CHANGED_CUSTOM))
		return later_hold(im, row, set, err);
	crm_stmt_reset(st);
	for (size_t i = 0; i < e->nfields; i++)
		if (set & UINT64_C(1) << i && update_writes(im->db, e, i))
			bind_field(st, k++, &e->fields[i], row->v[i]);
	if (set & CHANGED_CUSTOM)
		bind_custom(st, k++, row);
	crm_stmt_bind_int(st, k, crm_row_id(row));
	rc = crm_stmt_step(st, err);
	crm_stmt_reset(st);
	return rc < 0 ? crm_err_what(err, "cannot update") : 0;
}

static bool rows_equal(const struct crm_row *a, const struct crm_row *b)
{
	for (size_t i = 0; i < a->e->nfields; i++) {
		const char *x = a->v[i], *y = b->v[i];
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y)))
			return false;
	}
	return json_equal(a->custom, b->custom);
}

static int register_custom(struct crm_importer *im, const struct crm_row *row,
			   struct crm_err *err)
{
	const char *k;
	json_t *j;

	json_object_foreach(row->custom, k, j)
	{
		struct crm_stmt *st;
		int rc;

		if (crm_strv_find(&im->custom_seen, k) >= 0)
			continue;
		st = crm_db_stmt_cached(im->db,
					"INSERT INTO crm_custom_fields "
					"(entity, name) VALUES (?, ?) "
					"ON CONFLICT DO NOTHING",
					err);
		if (!st)
			return -1;
		crm_stmt_bind_text(st, 1, im->e->name);
		crm_stmt_bind_text(st, 2, k);
		rc = crm_stmt_step(st, err);
		crm_stmt_reset(st);
		if (rc < 0)
			return -1;
		crm_strv_push(&im->custom_seen, k);
	}
	return 0;
}

/* Empty row for a new record. Its values, most of them moved from the
 * input that the reading thread parsed, go with im->p, which that thread
 * resets before it fills it again: frees on the thread that allocated
 * (malloc and free were 9% of the writing thread's samples, perf). */
static void row_hand_back(struct crm_importer *im, struct crm_row *row)
{
	struct parsed *p = &im->p;

	for (size_t i = 0; i < row->e->nfields; i++) {
		if (row->v[i]) {
			p->dead = crm_xgrow(p->dead, &p->capdead, p->ndead + 1,
					    sizeof(*p->dead));
			p->dead[p->ndead++] = row->v[i];
			row->v[i] = NULL;
		}
		row->touched[i] = false;
	}
	json_object_clear(row->custom);
}

/* Merge the input onto the old record (or make a new one), then (when
 * hooks) run the prepare hook and check required fields. Returns 0, 1
 * when the prepare hook skips the record, -1 on error. */
static int merge(struct crm_importer *im, bool found, bool hooks,
		 struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	struct crm_row *row = &im->row;
	const char *k;
	json_t *j;

	if (found)
		crm_row_copy(row, &im->old);
	else
		row_hand_back(im, row);
	for (size_t i = 0; i < e->nfields; i++) {
		const struct crm_field *f = &e->fields[i];

		if (!im->p.in.touched[i] || f->type == CRM_T_MONEY)
			continue;
		if (found && f->flags & (CRM_FF_SYSTEM | CRM_FF_READONLY))
			continue;
		if (found && f->flags & CRM_FF_FORWARD && !im->o->force &&
		    enum_pos(f, im->p.in.v[i]) < enum_pos(f, row->v[i]))
			continue; /* never backwards unless forced */
		/* move, not copy: im->p is rebuilt for the next record */
		free(row->v[i]);
		row->v[i] = im->p.in.v[i];
		im->p.in.v[i] = NULL;
		row->touched[i] = true; /* for the prepare hook */
		if (im->matchkey[i] >= 0) {
			long mk = im->matchkey[i];

			free(row->v[mk]);
			row->v[mk] = im->p.in.v[mk];
			im->p.in.v[mk] = NULL;
		}
	}
	json_object_foreach(im->p.in.custom, k, j)
	{
		if (json_is_null(j))
			json_object_del(row->custom, k);
		else
			json_object_set(row->custom, k, j);
	}
	/* money after the rest, since it needs the record's currency */
	for (size_t i = 0; i < e->nfields; i++) {
		const struct crm_field *f = &e->fields[i];
		const char *cur;

		if (f->type != CRM_T_MONEY || !im->p.in.touched[i])
			continue;
		free(row->v[i]);
		row->v[i] = NULL;
		row->touched[i] = true;
		if (!im->p.money[i])
			continue;
		cur = f->ref ? crm_row_get(row, f->ref) : NULL;
		if (crm_field_parse(f, im->p.money[i], cur, &im->tmp, err) <
		    0) {
			snprintf(err->field, sizeof(err->field), "%s", f->name);
			return -1;
		}
		row->v[i] = crm_xstrdup(im->tmp.s);
	}
	derive_keys(im, row);
	if (!hooks)
		return 0;
	if (e->prepare) {
		int p = e->prepare(im->db, e, row, found ? &im->old : NULL,
				   im->o->hook_arg, err);
		if (p != 0)
			return p; /* -1 error, 1 skip the record */
	}
	for (size_t i = 0; !found && i < e->nfields; i++)
		if (e->fields[i].flags & CRM_FF_REQUIRED && !row->v[i]) {
			snprintf(err->field, sizeof(err->field), "%s",
				 e->fields[i].name);
			return crm_err_set(err, CRM_EX_DATAERR,
					   "missing required field");
		}
	return 0;
}

/* A duplicate applied to a record keeps that record's external_id: the
 * input's is the key of another source, which a later import of that
 * source must still find. */
static void keep_external_id(struct crm_importer *im)
{
	long x = crm_entity_field(im->e, "external_id");

	if (x < 0 || !im->old.v[x] || !im->p.in.touched[x])
		return;
	free(im->p.in.v[x]);
	im->p.in.v[x] = NULL;
	im->p.in.touched[x] = false;
}

/* Whether id was ever given in the entity's table (ids are never reused,
 * lib/store/schema.c): 1 yes, 0 no, -1 error. */
static int id_used(struct crm_importer *im, int64_t id, struct crm_err *err)
{
	/* SQLite's AUTOINCREMENT counter; PostgreSQL's identity sequence
	 * (NULL until it gave an id) */
	static const char sqlite_sql[] =
	    "SELECT 1 FROM sqlite_sequence WHERE name = ? AND "
	    "seq >= ?";
	static const char pg_sql[] =
	    "SELECT 1 WHERE pg_sequence_last_value(CAST("
	    "pg_get_serial_sequence(?, 'id') AS regclass)) >= ?";
	struct crm_stmt *st = crm_db_stmt_cached(
	    im->db,
	    crm_store_engine(im->db->store) == CRM_STORE_PG ? pg_sql
							    : sqlite_sql,
	    err);
	int rc;

	/* a bulk import's block: the ids below its next were given (those
	 * before the block too); the rest of it is still free */
	if (im->bulk && im->end_id)
		return id < im->next_id;
	if (!st)
		return -1;
	crm_stmt_bind_text(st, 1, im->e->table);
	crm_stmt_bind_int(st, 2, id);
	rc = crm_stmt_step(st, err);
	crm_stmt_reset(st);
	return rc;
}

void crm_importer_known(struct crm_importer *im, struct crm_row *old)
{
	im->known = old;
}

static void row_swap(struct crm_row *a, struct crm_row *b)
{
	struct crm_row t = *a;

	*a = *b;
	*b = t;
}

/* Whether the record to apply is the one crm_importer_known gave (then in
 * im->old, as lookup leaves it); the known row is used once. Its contents
 * are lent to im->old, not copied (a copy of every value was an eighth of
 * a flow's tag action, #25), until give_back. */
static bool known(struct crm_importer *im)
{
	struct crm_row *k = im->known;
	const char *id = im->p.in.v[0];

	im->known = NULL;
	if (!k || k->e != im->e || !id || im->nkeys != 1 ||
	    im->keyfield[0] != 0 || strtoll(id, NULL, 10) != crm_row_id(k))
		return false;
	row_swap(&im->old, k);
	im->lent = k;
	memset(im->old.touched, 0, im->e->nfields * sizeof(*im->old.touched));
	return true;
}

/* The lent row's contents back to the caller (before apply's out copy:
 * the caller may have given the same row as out). */
static void give_back(struct crm_importer *im)
{
	if (im->lent)
		row_swap(&im->old, im->lent);
	im->lent = NULL;
}

static int apply_parsed(struct crm_importer *im, const struct crm_rec *in,
			struct crm_row *out, enum crm_import_action *action,
			struct crm_err *err)
{
	const struct crm_entity *e = im->e;
	struct crm_row *row = &im->row;
	bool skip = false; /* a duplicate of another entity's record */
	int found;

	im->via_identity = false;
	/* a write that fails later names this record's line (the store) */
	crm_store_tag(im->db->store, in->line);
	im->line = in->line;
	found = known(im) ? 1 : lookup(im, err);
	if (found < 0)
		return -1;
	if (found && im->via_identity && keep_identities(im, err) < 0)
		return -1;
	if (!found && im->p.in.v[0]) {
		/* an id is kept on insert only when it was looked up (and so
		 * is known to be free) and was never given before */
		long ik = crm_strv_find(&im->keys, "id");
		int used = ik < 0 || (size_t)ik >= im->nkeys
			       ? 1
			       : id_used(im, crm_row_id(&im->p.in), err);

		if (used < 0)
			return -1;
		if (used) {
			free(im->p.in.v[0]);
			im->p.in.v[0] = NULL;
		}
	}
	if (!found && im->o->check) {
		struct crm_import_new nw = {.in = &im->p.in,
					    .rec = in,
					    .input =
						im->input ? im->input : "-",
					    .im = im};
		int a = im->o->check(im->db, e, &nw, im->o->check_arg, err);

		if (a < 0)
			return -1;
		/* (a record gone since the check loaded it is inserted; one
		 * held is written first) */
		if (a != CRM_DUP_INSERT && nw.target && im->nheld &&
		    nw.target >= crm_row_id(&im->held[0]) &&
		    held_flush(im, err) < 0)
			return -1;
		if (a != CRM_DUP_INSERT && nw.target &&
		    (found = target_get(im, nw.target, err)) < 0)
			return -1;
		if (found && a == CRM_DUP_SKIP) {
			*action = CRM_SKIPPED;
			im->applied++;
			if (out)
				crm_row_copy(out, &im->old);
			return 0;
		}
		if (found)
			keep_external_id(im);
		skip = a == CRM_DUP_SKIP && !nw.target;
	}
	if (found && im->o->mode == CRM_CREATE_ONLY)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "already exists as %s %s", e->name,
				   im->old.v[0]);
	if (!found && !skip && im->o->mode == CRM_UPDATE_ONLY)
		return crm_err_set(err, CRM_EX_DATAERR, "no %s matches",
				   e->name);
	/* a skipped record is merged all the same, for --emit, but its
	 * hooks (which may write) do not run */
	switch (merge(im, found, !skip, err)) {
	case -1:
		return -1;
	case 1:
		*action = CRM_SKIPPED; /* the prepare hook said so */
		goto done;
	}
	if (skip) {
		*action = CRM_SKIPPED;
		goto done;
	}
	if (found) {
		long u = im->updated;
		char *bj, *aj;

		if (rows_equal(row, &im->old)) {
			*action = CRM_UNCHANGED;
			goto done;
		}
		if (crm_entity_guard(im->db, e, &im->old, row, err) < 0)
			return -1;
		if (u >= 0) {
			free(row->v[u]);
			row->v[u] = crm_xstrdup(im->now);
		}
		if (!im->db->change &&
		    crm_db_change(im->db,
				  im->o->command ? im->o->command : "import",
				  e->name, err) < 0)
			return -1;
		bj = crm_row_image(&im->old);
		aj = crm_row_diff(&im->old, row);
		if (audit_update(im, bj, aj, err) < 0)
			return -1;
		pre_drop(im, crm_row_id(row));
		if (update_row(im, row, err) < 0)
			return -1;
		pre_keep(im, row);
		bloom_note(im, row);
		if (im->o->check_wrote)
			im->o->check_wrote(&im->old, row, im->o->check_arg);
		*action = CRM_UPDATED;
	} else {
		long c = im->created, u = im->updated;

		if (c >= 0 && !row->v[c])
			row->v[c] = crm_xstrdup(im->now);
		if (u >= 0 && !row->v[u])
			row->v[u] = crm_xstrdup(c >= 0 ? row->v[c] : im->now);
		if (im->bulk && !row->v[0]) {
			if ((im->copy_ok ? copy_row : block_insert)(im, row,
								    err) < 0)
				return -1;
		} else {
			/* an id given past those given so far: the next
			 * new row's is the one after it, as on SQLite (from
			 * the block, or from the sequence write_row moves) */
			if (im->bulk && row->v[0] && im->end_id &&
			    crm_row_id(row) >= im->next_id)
				im->next_id = crm_row_id(row) < im->end_id
						  ? crm_row_id(row) + 1
						  : im->end_id + 1;
			if (held_flush(im, err) < 0)
				return -1;
			if (write_row(im->db, im->ins, row, true, err) < 0) {
				im->took_id = !row->v[0];
				return -1;
			}
		}
		bloom_note(im, row);
		if (im->o->check_wrote)
			im->o->check_wrote(NULL, row, im->o->check_arg);
		*action = CRM_INSERTED;
	}
	if (e->written && e->written(im->db, e, row, *action == CRM_INSERTED,
				     im->o->hook_arg, err) < 0)
		return -1;
	if (register_custom(im, row, err) < 0)
		return -1;
done:
	im->applied++;
	give_back(im);
	if (out)
		crm_row_copy(out, row);
	return 0;
}

int crm_importer_apply(struct crm_importer *im, const struct crm_rec *in,
		       struct crm_row *out, enum crm_import_action *action,
		       struct crm_err *err)
{
	int rc;

	if (read_input(im, in, &im->p, &im->tmp, err) < 0) {
		im->known = NULL;
		return -1;
	}
	rc = apply_parsed(im, in, out, action, err);
	give_back(im); /* after a failure */
	return rc;
}

/* Reading ahead: the slots' data are struct parsed, filled by read_input
 * on the reading thread, with its own buffer. */
struct ahead {
	struct crm_importer *im;
	struct crm_buf tmp;
};

static void *ahead_init(void *arg)
{
	struct ahead *a = arg;
	struct parsed *p = crm_xcalloc(1, sizeof(*p));

	parsed_init(p, a->im->e);
	return p;
}

static void ahead_release(void *arg, void *data)
{
	(void)arg;
	parsed_release(data);
	free(data);
}

static int ahead_prepare(void *arg, const struct crm_rec *rec, void *data,
			 struct crm_err *err)
{
	struct ahead *a = arg;

	return read_input(a->im, rec, data, &a->tmp, err);
}

/* Read ahead on a second thread when it pays: a regular file (which
 * never blocks the reader), and a second CPU to run it. */
static struct crm_readahead *ahead_start(struct crm_reader *r, struct ahead *a)
{
	struct crm_readahead_ops ops = {ahead_init, ahead_release,
					ahead_prepare, a};

	if (!crm_reader_regular(r) || crm_par_default() < 2)
		return NULL;
	crm_phone_country(); /* read once, before two threads may ask */
	return crm_readahead_new(r, &ops);
}

/* The next input record, applied: crm_importer_apply's result (1 when
 * applied, -1 with err) or 0 at the end; -2 with err when reading failed
 * (which no --reject can take). *rec is the record read. */
static int next_record(struct crm_importer *im, struct crm_reader *r,
		       struct crm_readahead *ra, struct crm_rec *own,
		       const struct crm_rec **rec, struct crm_row *out,
		       enum crm_import_action *action, struct crm_err *err)
{
	struct parsed swap, *p;
	void *data;
	int got, prepared, rc;

	if (!ra) {
		got = crm_reader_next(r, own, err);
		*rec = own;
		if (got <= 0)
			return got < 0 ? -2 : 0;
		return crm_importer_apply(im, own, out, action, err) < 0 ? -1
									 : 1;
	}
	got = crm_readahead_next(ra, rec, &data, &prepared, err);
	if (got <= 0)
		return got < 0 ? -2 : 0;
	if (prepared < 0)
		return -1;
	/* the slot's record becomes the importer's; what is left of the
	 * importer's last one (and of the row written before it) the reading
	 * thread frees when it fills the slot again */
	p = data;
	swap = im->p;
	im->p = *p;
	*p = swap;
	rc = apply_parsed(im, *rec, out, action, err);
	return rc < 0 ? -1 : 1;
}

/* Records read ahead for o->check_ahead or e->ahead (one chunk), applied
 * in order. */
struct queued {
	struct crm_rec rec;
	struct parsed p;
	int prepared;	    /* read_input's result ... */
	struct crm_err err; /* ... and its error */
};

struct queue {
	struct queued *q; /* max of them; NULL: no queue */
	size_t max;	  /* records a chunk holds (CRM_IMPORT_AHEAD_LITE) */
	size_t n, next;
	bool check; /* its rows shown to o->check_ahead */
	bool ended; /* the input ends after the n ... */
	int end;    /* ... with 0, or -2 (a read error: end_err) */
	struct crm_err end_err;
};

static void queue_init(struct queue *qu, const struct crm_entity *e, size_t max)
{
	qu->max = max;
	qu->q = crm_xcalloc(max, sizeof(*qu->q));
	for (size_t i = 0; i < max; i++) {
		crm_rec_init(&qu->q[i].rec);
		parsed_init(&qu->q[i].p, e);
	}
}

static void queue_free(struct queue *qu)
{
	for (size_t i = 0; qu->q && i < qu->max; i++) {
		crm_rec_release(&qu->q[i].rec);
		parsed_release(&qu->q[i].p);
	}
	free(qu->q);
}

/* Read the next chunk into qu (as next_record would, one by one) and show
 * its rows to o->check_ahead and e->ahead. */
static void queue_fill(struct crm_importer *im, struct crm_reader *r,
		       struct crm_readahead *ra, struct queue *qu)
{
	const struct crm_row *rows[CRM_IMPORT_AHEAD];
	size_t nrows = 0;
	int got = 1;

	qu->n = qu->next = 0;
	while (qu->n < qu->max) {
		struct queued *e = &qu->q[qu->n];

		crm_err_clear(&e->err);
		if (!ra) {
			got = crm_reader_next(r, &e->rec, &e->err);
			if (got > 0)
				e->prepared = read_input(im, &e->rec, &e->p,
							 &im->tmp, &e->err);
		} else {
			const struct crm_rec *rec;
			struct parsed swap;
			void *data;

			got = crm_readahead_next(ra, &rec, &data, &e->prepared,
						 &e->err);
			if (got > 0) {
				/* the slot's parsed record becomes the
				 * queue's */
				crm_rec_copy(&e->rec, rec);
				swap = e->p;
				e->p = *(struct parsed *)data;
				*(struct parsed *)data = swap;
				parsed_reset(data);
			}
		}
		if (got <= 0) {
			qu->end_err = e->err;
			break;
		}
		if (e->prepared >= 0)
			rows[nrows++] = &e->p.in;
		qu->n++;
	}
	qu->ended = got <= 0;
	qu->end = got < 0 ? -2 : 0;
	if (nrows && qu->check)
		im->o->check_ahead(rows, nrows, im->o->check_arg);
	if (nrows && im->e->ahead)
		im->e->ahead(im->db, rows, nrows);
}

/* next_record's work from the queue. */
static int next_queued(struct crm_importer *im, struct crm_reader *r,
		       struct crm_readahead *ra, struct queue *qu,
		       const struct crm_rec **rec, struct crm_row *out,
		       enum crm_import_action *action, struct crm_err *err)
{
	struct queued *e;
	struct parsed swap;
	int rc;

	if (qu->next == qu->n && !qu->ended)
		queue_fill(im, r, ra, qu);
	if (qu->next == qu->n) {
		if (qu->end < 0)
			*err = qu->end_err;
		return qu->end;
	}
	e = &qu->q[qu->next++];
	*rec = &e->rec;
	if (e->prepared < 0) {
		*err = e->err;
		return -1;
	}
	swap = im->p;
	im->p = e->p;
	e->p = swap;
	rc = apply_parsed(im, &e->rec, out, action, err);
	parsed_reset(&e->p);
	return rc < 0 ? -1 : 1;
}

/* Write a rejected record with its error to the reject file (opened
 * now, for the first). Returns 0, or -1 with err replaced by why the
 * file could not be written. */
static int write_reject(const struct crm_import_opts *o, struct crm_reader *r,
			struct crm_writer **w, FILE **fp,
			const struct crm_rec *in, struct crm_err *err)
{
	enum crm_fmt fmt = o->reject_fmt ? o->reject_fmt : crm_reader_format(r);
	struct crm_rec rec;
	char line[32], msg[1400];
	int rc;

	if (!*fp) {
		struct crm_err e2 = {0};

		if (!(*fp = o->reject_open(o->reject_arg, &e2))) {
			*err = e2;
			return -1;
		}
	}
	if (fmt == CRM_FMT_JSON || fmt == CRM_FMT_TABLE)
		fmt = CRM_FMT_NDJSON;
	crm_rec_init(&rec);
	crm_rec_copy(&rec, in);
	snprintf(line, sizeof(line), "%ld", in->line);
	crm_rec_set(&rec, "error_line", line, CRM_RAW);
	if (err->field[0])
		snprintf(msg, sizeof(msg), "%s: %s", err->field, err->msg);
	else
		snprintf(msg, sizeof(msg), "%s", err->msg);
	crm_rec_set(&rec, "error", msg, CRM_STR);
	if (!*w || fmt == CRM_FMT_NDJSON) {
		const char **cols = crm_xcalloc(rec.n, sizeof(*cols));

		for (size_t i = 0; i < rec.n; i++)
			cols[i] = crm_rec_name(&rec, i);
		if (*w) {
			crm_writer_close(*w);
			crm_writer_free(*w);
		}
		*w = crm_writer_open(
		    *fp, fmt, cols, rec.n,
		    fmt == CRM_FMT_NDJSON && *w ? CRM_W_NOHEADER : 0);
		free(cols);
	}
	rc = crm_writer_write(*w, &rec);
	crm_rec_release(&rec);
	if (rc < 0)
		crm_err_set(err, CRM_EX_IOERR, "cannot write the reject file");
	return rc;
}

/* At the end of an input: --map named only columns it has; note the
 * columns that became custom fields. */
static int finish_columns(struct crm_importer *im, struct crm_reader *r,
			  struct crm_err *err)
{
	const struct crm_strv *c = crm_colmap_custom(im->colmap);
	enum crm_fmt f = crm_reader_format(r);
	size_t n = 0;
	const char *const *h = NULL;

	/* (a JSON reader's header is its first record's keys only) */
	if (f == CRM_FMT_CSV || f == CRM_FMT_TSV)
		h = crm_reader_header(r, &n);

	if (crm_colmap_finish(im->colmap, h, n, err) < 0)
		return -1;
	for (size_t i = 0; im->o->custom_cols && i < c->n; i++)
		if (crm_strv_find(im->o->custom_cols, c->v[i]) < 0)
			crm_strv_push(im->o->custom_cols, c->v[i]);
	return 0;
}

int crm_entity_import(struct crm_db *db, const struct crm_entity *e,
		      struct crm_reader *r, const struct crm_import_opts *o,
		      struct crm_import_stats *st, struct crm_err *err)
{
	struct crm_importer *im = NULL;
	struct ahead ahead = {0};
	struct crm_writer *rw = NULL;
	FILE *rfp = NULL; /* the reject file, once a row is rejected */
	struct crm_rec rec;
	struct crm_row row;
	struct crm_readahead *ra = NULL;
	struct queue qu = {0};
	uint64_t n = 0;
	int rc = -1, got = 0;
	bool defer_tried = false;

	memset(st, 0, sizeof(*st));
	crm_rec_init(&rec);
	crm_row_init(&row, e);
	if (crm_db_begin(db, err) < 0)
		goto out;
	im = crm_importer_new(db, e, o, err);
	if (!im || (e->begin && e->begin(db, e, err) < 0))
		goto out;
	im->input = crm_reader_name(r);
	/* ids from blocks on PostgreSQL, and COPY for new rows: not with
	 * --reject (a savepoint per row, whose writes wait for their
	 * results: a rejected row's id would be lost), nor COPY with an
	 * import-time duplicate check (it reads the table per row, where
	 * each row would end the COPY) */
	im->bulk =
	    crm_store_engine(db->store) == CRM_STORE_PG && !o->reject_open;
	if (im->bulk) {
		int can = seq_settable(im, err);

		if (can < 0)
			goto out;
		im->bulk = can; /* a user without it: id by id */
	}
	im->copy_ok = im->bulk && !o->check;
	crm_colmap_input(im->colmap, im->input,
			 crm_reader_format(r) == CRM_FMT_CSV ||
			     crm_reader_format(r) == CRM_FMT_TSV);
	ahead.im = im;
	ra = ahead_start(r, &ahead);
	/* chunks read ahead for a check that asks about many records at
	 * once; not with --reject, whose rollback of a row would undo writes
	 * the check was told of. An entity's read-only look-ahead takes
	 * them on PostgreSQL, --reject or not. */
	if (o->check && o->check_ahead && !o->reject_open) {
		queue_init(&qu, e,
			   crm_store_engine(db->store) == CRM_STORE_PG
			       ? CRM_IMPORT_AHEAD
			       : CRM_IMPORT_AHEAD_LITE);
		qu.check = true;
	} else if (e->ahead && crm_store_engine(db->store) == CRM_STORE_PG)
		queue_init(&qu, e, CRM_IMPORT_AHEAD);
	/* the undo rows of its updates held too when only the import
	 * touches the table (written 128 to an INSERT, the rest at the
	 * end; nothing reads crm_audit meanwhile). Not the UPDATEs:
	 * update_later's join by id, prepared while the table was small,
	 * kept a plan that scanned it (44 s of a 56 s import at 200,000) */
	if (im->bulk && qu.q && o->check_alone)
		im->audit_later = true;
	/* (check_alone's, not a caller's audit_later: see pre) */
	im->readable = im->audit_later && !o->audit_later;
	for (size_t i = 0; im->readable && i < e->nfields; i++)
		if (crm_db_withheld(db, e->table, e->fields[i].name) ||
		    crm_db_withheld_reader(db, e->table, e->fields[i].name))
			im->readable = false;
	for (;;) {
		enum crm_import_action a;
		bool sp = o->reject_open != NULL;
		const struct crm_rec *in = &rec;
		struct crm_hook_counts counted = {0};

		if (crm_check_interrupt(err) < 0)
			goto out;
		crm_err_clear(err);
		if (!defer_tried && im->applied >= DEFER_AFTER) {
			defer_tried = true;
			if (indexes_defer(im, err) < 0)
				goto out;
		}
		/* with --reject, a savepoint per row undoes what a bad row's
		 * hooks already wrote (a plain one: noting the sequences per
		 * row would make the import 3x slower on PostgreSQL; rows are
		 * checked before they are written) */
		if (sp && crm_db_exec(db, "SAVEPOINT crm_row", err) < 0)
			goto out;
		if (o->hook_arg) /* what a rejected row counted is undone too */
			counted = *o->hook_arg;
		got = qu.q ? next_queued(im, r, ra, &qu, &in,
					 o->emit ? &row : NULL, &a, err)
			   : next_record(im, r, ra, &rec, &in,
					 o->emit ? &row : NULL, &a, err);
		if (got == -2)
			goto out; /* a read error: no row to reject */
		if (got == 0) {
			if (sp && crm_db_exec(db, "RELEASE crm_row", err) < 0)
				goto out;
			break;
		}
		if (got < 0) {
			/* a write not waited for fails at a later record's
			 * call: the line is the one it was made for (a
			 * batch's, found again) */
			if (crm_store_failed_tag(db->store) < 0)
				batch_failed(im, NULL, err);
			if (crm_store_failed_tag(db->store) > 0)
				err->line = crm_store_failed_tag(db->store);
			if (!err->file[0])
				snprintf(err->file, sizeof(err->file), "%s",
					 crm_reader_name(r));
			if (!err->line)
				err->line = in->line;
			if (err->code != CRM_EX_DATAERR || !o->reject_open)
				goto out;
			if (crm_db_exec(db,
					"ROLLBACK TO crm_row; RELEASE crm_row",
					err) < 0 ||
			    give_back_id(im, err) < 0)
				goto out;
			if (o->hook_arg)
				*o->hook_arg = counted;
			if (write_reject(o, r, &rw, &rfp, in, err) < 0)
				goto out;
			st->n[CRM_REJECTED]++;
			if (o->emit && o->emit(NULL, in, CRM_REJECTED, err->msg,
					       o->emit_arg) < 0) {
				crm_err_set(err, CRM_EX_IOERR,
					    "cannot write output");
				goto out;
			}
			crm_err_clear(err);
			continue;
		}
		if (sp && crm_db_exec(db, "RELEASE crm_row", err) < 0)
			goto out;
		st->n[a]++;
		if (o->emit && o->emit(&row, in, a, NULL, o->emit_arg) < 0) {
			crm_err_set(err, CRM_EX_IOERR, "cannot write output");
			goto out;
		}
		if (o->progress && (++n & 1023) == 0)
			o->progress(n, o->progress_arg);
	}
	if (crm_check_interrupt(err) < 0 || got < 0 ||
	    crm_importer_flush(im, err) < 0 || copy_finish(im, err) < 0 ||
	    finish_columns(im, r, err) < 0)
		goto out;
	if (e->end && e->end(db, e, true, err) < 0)
		goto out;
	if (rw && crm_writer_close(rw) < 0) {
		crm_err_set(err, CRM_EX_IOERR, "cannot write the reject file");
		goto out;
	}
	/* the indexes deferred, made again (a dry run's rollback keeps them
	 * as they were), in the memory the filters took (the peak RSS) */
	bloom_free(im);
	if (!o->dry_run && crm_store_indexes_restore(db->store, err) < 0)
		goto out;
	rc = crm_db_finish(db, o->dry_run, err);
out:
	if (rc < 0) {
		/* a write not waited for can also fail after the last record
		 * (at the end hook's or the commit's wait): the line is still
		 * the one it was made for */
		int64_t failed;

		if (im && crm_store_failed_tag(db->store) < 0)
			batch_failed(im, NULL, err);
		failed = crm_store_failed_tag(db->store);
		if (e->end && im)
			e->end(db, e, false, err);
		crm_db_rollback(db);
		if (failed > 0 && !err->line) {
			err->line = failed;
			if (!err->file[0])
				snprintf(err->file, sizeof(err->file), "%s",
					 crm_reader_name(r));
		}
	}
	/* the reading thread stops before what it reads into goes */
	crm_readahead_free(ra);
	queue_free(&qu);
	crm_buf_release(&ahead.tmp);
	crm_writer_free(rw);
	crm_importer_free(im);
	crm_row_release(&row);
	crm_rec_release(&rec);
	return rc;
}

/* Ids first (crm_entity_ids), then writes: a write must not disturb the
 * query it came from. */
struct idlist {
	int64_t *v;
	size_t n;
};

/* Whether msg already names record id of entity ("deal 7: ..."). */
static bool is_about(const char *msg, const char *entity, const char *id)
{
	size_t n = strlen(entity), k = strlen(id);

	return !strncmp(msg, entity, n) && msg[n] == ' ' &&
	       !strncmp(msg + n + 1, id, k) && msg[n + 1 + k] == ':';
}

/* Apply set (plus the id) to every selected row, in one transaction. */
static int update_rows(struct crm_db *db, const struct crm_entity *e,
		       const struct crm_query *q, const char *command,
		       const struct crm_rec *set, const char *tags, bool add,
		       bool dry_run, uint64_t *n, struct crm_err *err)
{
	struct crm_import_opts o = {.command = command,
				    .mode = CRM_UPDATE_ONLY,
				    .keys = "id",
				    .force = true};
	struct crm_importer *im = NULL;
	struct idlist l = {0};
	struct crm_rec rec;
	struct crm_row cur;
	int rc = -1;

	*n = 0;
	crm_rec_init(&rec);
	crm_row_init(&cur, e);
	if (crm_db_begin(db, err) < 0)
		goto out;
	if (crm_entity_ids(db, e, q, &l.v, &l.n, err) < 0)
		goto out;
	im = crm_importer_new(db, e, &o, err);
	if (!im)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		enum crm_import_action a;
		char id[32];

		if (crm_check_interrupt(err) < 0)
			goto out;
		snprintf(id, sizeof(id), "%lld", (long long)l.v[i]);
		if (set)
			crm_rec_copy(&rec, set);
		else
			crm_rec_clear(&rec);
		crm_rec_set(&rec, "id", id, CRM_STR);
		if (tags) {
			struct crm_strv t = {0};
			struct crm_buf nt = {0};

			if (crm_entity_get(db, e, l.v[i], &cur, err) < 0)
				goto out;
			crm_strv_split(&t, tags, ',');
			crm_tags_edit(crm_row_get(&cur, "tags"),
				      add ? &t : NULL, add ? NULL : &t, &nt);
			crm_rec_set(&rec, "tags", crm_buf_str(&nt), CRM_STR);
			crm_buf_release(&nt);
			crm_strv_release(&t);
		}
		if (crm_importer_apply(im, &rec, NULL, &a, err) < 0) {
			if (!err->msg[0])
				crm_err_set(err, CRM_EX_DATAERR, "failed");
			if (!err->line && !is_about(err->msg, e->name, id))
				crm_err_prefix(err, "%s %s: ", e->name, id);
			goto out;
		}
		if (a == CRM_UPDATED)
			(*n)++;
	}
	rc = crm_db_finish(db, dry_run, err);
out:
	if (rc < 0)
		crm_db_rollback(db);
	crm_importer_free(im);
	crm_row_release(&cur);
	crm_rec_release(&rec);
	free(l.v);
	return rc;
}

int crm_entity_update(struct crm_db *db, const struct crm_entity *e,
		      const struct crm_query *q, const struct crm_rec *set,
		      bool dry_run, uint64_t *n, struct crm_err *err)
{
	return update_rows(db, e, q, "update", set, NULL, false, dry_run, n,
			   err);
}

int crm_entity_tag(struct crm_db *db, const struct crm_entity *e,
		   const struct crm_query *q, const char *tags, bool add,
		   bool dry_run, uint64_t *n, struct crm_err *err)
{
	struct crm_buf norm = {0};
	struct crm_field tf = {.name = "tags", .type = CRM_T_TAGS};
	int rc;

	if (crm_field_parse(&tf, tags, NULL, &norm, err) < 0 || !norm.len) {
		crm_buf_release(&norm);
		return crm_err_set(err, CRM_EX_USAGE, "bad tag list '%s'",
				   tags);
	}
	rc = update_rows(db, e, q, add ? "tag add" : "tag rm", NULL, norm.s,
			 add, dry_run, n, err);
	crm_buf_release(&norm);
	return rc;
}

/* Records that refer to one being deleted lose the link (ON DELETE SET
 * NULL): an "unlink" audit row for each lets undo put it back. */
struct links {
	struct crm_db *db;
	struct crm_err *err;
	size_t n;
	const struct crm_entity *r[16];
	size_t f[16];
	struct crm_stmt *st[16];
};

static int links_prepare(const struct crm_entity *r, size_t f, void *arg)
{
	struct links *l = arg;
	struct crm_buf sql = {0};

	if (l->n == sizeof(l->st) / sizeof(l->st[0]))
		return crm_err_set(l->err, CRM_EX_SOFTWARE,
				   "too many references to one entity");
	crm_buf_addf(&sql, "SELECT id FROM %s WHERE %s = ?", r->table,
		     r->fields[f].name);
	l->st[l->n] = crm_entity_stmt(l->db, &sql, l->err);
	if (!l->st[l->n])
		return -1;
	l->r[l->n] = r;
	l->f[l->n++] = f;
	return 0;
}

static int links_note(struct links *l, int64_t id)
{
	for (size_t i = 0; i < l->n; i++) {
		struct crm_stmt *st = l->st[i];
		json_t *j = json_pack("{s:s, s:I}", "field",
				      l->r[i]->fields[l->f[i]].name, "id",
				      (json_int_t)id);
		char *before = json_dumps(j, JSON_COMPACT);
		int s;

		json_decref(j);
		crm_stmt_reset(st);
		crm_stmt_bind_int(st, 1, id);
		while ((s = crm_stmt_step(st, l->err)) > 0)
			if (crm_db_audit(l->db, l->r[i]->name,
					 crm_stmt_int(st, 0), "unlink", before,
					 NULL, l->err) < 0)
				break;
		free(before);
		crm_stmt_reset(st);
		if (s != 0)
			return -1;
	}
	return 0;
}

static void links_free(struct links *l)
{
	for (size_t i = 0; i < l->n; i++)
		crm_stmt_finalize(l->st[i]);
}

int crm_entity_delete(struct crm_db *db, const struct crm_entity *e,
		      const struct crm_query *q, bool dry_run, uint64_t *n,
		      struct crm_err *err)
{
	struct idlist l = {0};
	struct crm_row row;
	struct crm_buf sql = {0};
	struct links links = {.db = db, .err = err};
	struct crm_stmt *del = NULL;
	int rc = -1;

	*n = 0;
	crm_row_init(&row, e);
	if (crm_db_begin(db, err) < 0)
		goto out;
	if (crm_entity_ids(db, e, q, &l.v, &l.n, err) < 0 ||
	    crm_entity_each_referrer(e, links_prepare, &links) < 0)
		goto out;
	crm_buf_addf(&sql, "DELETE FROM %s WHERE id = ?", e->table);
	del = crm_entity_stmt(db, &sql, err);
	if (!del || crm_db_change(db, "delete", e->name, err) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		char *bj;
		int s;

		/* the links first: undo (last first) re-inserts the record
		 * before it relinks the records that referred to it */
		if (crm_check_interrupt(err) < 0 ||
		    crm_entity_get(db, e, l.v[i], &row, err) <= 0 ||
		    links_note(&links, l.v[i]) < 0)
			goto out;
		bj = crm_row_image(&row);
		s = crm_db_audit(db, e->name, l.v[i], "delete", bj, NULL, err);
		free(bj);
		if (s < 0)
			goto out;
		crm_stmt_bind_int(del, 1, l.v[i]);
		if (crm_stmt_run_as(del, "cannot delete", err) < 0)
			goto out;
		(*n)++;
	}
	rc = crm_db_finish(db, dry_run, err);
out:
	if (rc < 0)
		crm_db_rollback(db);
	crm_stmt_finalize(del);
	links_free(&links);
	crm_row_release(&row);
	free(l.v);
	return rc;
}

/* -- undo ---------------------------------------------------------------
 *
 * An update's audit row holds the whole record before (crm_row_to_json)
 * and the fields the change wrote (crm_row_diff). Undo reverts only
 * those, and only where they still hold what the change wrote: a field
 * changed since by a later change is a conflict, named, and nothing is
 * written unless forced. An undo is a change set of its own (logged like
 * any other), so undoing it redoes the change. */

/* Fields a diff leaves out: derived columns and the update time (every
 * change sets it; undo sets its own). */
static bool diff_skip(const struct crm_field *f)
{
	return (f->flags & CRM_FF_HIDDEN) || !strcmp(f->name, "updated_at");
}

/* A JSON string of s as jansson writes it, when s is plain ASCII (the
 * only bytes escaped then are '"' and '\\'); false for anything else,
 * whose form jansson decides (control characters, UTF-8 checks). */
static bool json_str_fast(struct crm_buf *b, const char *s)
{
	const char *p;
	bool plain = true;

	for (p = s; *p; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x80)
			return false;
		if (*p == '"' || *p == '\\')
			plain = false;
	}
	crm_buf_addc(b, '"');
	if (plain)
		crm_buf_add(b, s, (size_t)(p - s));
	for (p = s; !plain && *p; p++) {
		if (*p == '"' || *p == '\\')
			crm_buf_addc(b, '\\');
		crm_buf_addc(b, *p);
	}
	crm_buf_addc(b, '"');
	return true;
}

/* ,"name": (the comma unless first), without printf's cost per field */
static void json_key(struct crm_buf *b, const char *name, bool first)
{
	if (!first)
		crm_buf_addc(b, ',');
	crm_buf_addc(b, '"');
	crm_buf_adds(b, name);
	crm_buf_adds(b, "\":");
}

/* Bytes of s as a plain-ASCII JSON string's contents (with a '\\' before
 * each '"' and '\\'), or 0 with *plain false when s is not plain ASCII. */
static size_t plain_len(const char *s, bool *plain)
{
	size_t n = 0;

	for (; *s; s++, n++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x80) {
			*plain = false;
			return 0;
		}
		n += c == '"' || c == '\\';
	}
	return n;
}

char *crm_row_image(const struct crm_row *row)
{
	const struct crm_entity *e = row->e;
	char *custom = NULL, *out, *p;
	size_t need = 2, cn = 0;
	bool plain = true;
	json_t *j;

	/* the exact size first: one allocation, no growth (assign and
	 * reclaim write one image per lead) */
	for (size_t i = 0; i < e->nfields && plain; i++)
		need += strlen(e->fields[i].name) + 4 +
			(row->v[i] ? plain_len(row->v[i], &plain) + 2 : 4);
	if (!plain)
		goto slow;
	if (row->custom && json_object_size(row->custom)) {
		custom = json_dumps(row->custom, JSON_COMPACT);
		if (!custom)
			goto slow;
		cn = strlen(custom);
	}
	if (row->custom)
		need += 10 + (custom ? cn : 2);
	out = p = crm_xmalloc(need + 1);
	*p++ = '{';
	for (size_t i = 0; i < e->nfields; i++) {
		const char *name = e->fields[i].name, *v = row->v[i];
		size_t l = strlen(name);

		if (i)
			*p++ = ',';
		*p++ = '"';
		memcpy(p, name, l);
		p += l;
		*p++ = '"';
		*p++ = ':';
		if (!v) {
			memcpy(p, "null", 4);
			p += 4;
			continue;
		}
		*p++ = '"';
		for (; *v; v++) {
			if (*v == '"' || *v == '\\')
				*p++ = '\\';
			*p++ = *v;
		}
		*p++ = '"';
	}
	if (row->custom) {
		memcpy(p, ",\"custom\":", 10);
		p += 10;
		memcpy(p, custom ? custom : "{}", custom ? cn : 2);
		p += custom ? cn : 2;
	}
	*p++ = '}';
	*p = '\0';
	free(custom);
	return out;
slow:
	j = crm_row_to_json(row);
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return out;
}

/* crm_row_diff for a change of fields only (custom equal), written
 * directly: the changed fields by name, as jansson's JSON_SORT_KEYS
 * orders them. NULL when jansson has to write it (custom changed, a
 * value not plain ASCII). */
static char *diff_fields(const struct crm_row *old, const struct crm_row *row)
{
	const char *names[64];
	const char *vals[64];
	size_t n = 0;
	struct crm_buf b = {0};

	if (row->e->nfields > 64 || !old->custom || !row->custom ||
	    !json_equal(old->custom, row->custom))
		return NULL;
	for (size_t i = 0; i < row->e->nfields; i++)
		if (!diff_skip(&row->e->fields[i]) &&
		    !crm_str_same(old->v[i], row->v[i]))
			names[n++] = row->e->fields[i].name;
	qsort(names, n, sizeof(*names), crm_str_cmp);
	for (size_t k = 0; k < n; k++)
		vals[k] = row->v[crm_entity_field(row->e, names[k])];
	crm_buf_addc(&b, '{');
	for (size_t k = 0; k < n; k++) {
		json_key(&b, names[k], k == 0);
		if (!vals[k]) {
			crm_buf_adds(&b, "null");
		} else if (!json_str_fast(&b, vals[k])) {
			crm_buf_release(&b);
			return NULL;
		}
	}
	crm_buf_addc(&b, '}');
	return crm_buf_detach(&b);
}

char *crm_row_diff(const struct crm_row *old, const struct crm_row *row)
{
	json_t *o, *c, *v;
	const char *k;
	char *s = diff_fields(old, row);

	if (s)
		return s;
	o = json_object();
	c = json_object();
	for (size_t i = 0; i < row->e->nfields; i++) {
		if (diff_skip(&row->e->fields[i]) ||
		    crm_str_same(old->v[i], row->v[i]))
			continue;
		json_object_set_new(o, row->e->fields[i].name,
				    row->v[i] ? json_string(row->v[i])
					      : json_null());
	}
	json_object_foreach(row->custom, k, v)
	{
		json_t *w = json_object_get(old->custom, k);
		if (!w || !json_equal(v, w))
			json_object_set(c, k, v);
	}
	json_object_foreach(old->custom, k, v)
	{
		if (!json_object_get(row->custom, k))
			json_object_set_new(c, k, json_null());
	}
	if (json_object_size(c))
		json_object_set(o, "custom", c);
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(c);
	json_decref(o);
	return s;
}

/* Fill row from a before-image. */
static int row_from_json(struct crm_row *row, json_t *o)
{
	json_t *c;

	if (!json_is_object(o))
		return -1;
	crm_row_reset(row);
	for (size_t i = 0; i < row->e->nfields; i++) {
		json_t *v = json_object_get(o, row->e->fields[i].name);
		if (json_is_string(v))
			row->v[i] = crm_xstrdup(json_string_value(v));
	}
	c = json_object_get(o, "custom");
	if (json_is_object(c))
		json_object_update(row->custom, c);
	return 0;
}

static int audit_row(struct crm_db *db, const char *action,
		     const struct crm_row *before, const struct crm_row *after,
		     struct crm_err *err)
{
	const struct crm_row *r = before ? before : after;
	char *bj = NULL, *aj = NULL;
	int rc;

	if (before)
		bj = crm_row_image(before);
	if (before && after)
		aj = crm_row_diff(before, after);
	rc = crm_db_audit(db, r->e->name, crm_row_id(r), action, bj, aj, err);
	free(bj);
	free(aj);
	return rc;
}

struct pending {
	int64_t id, record;
	char *entity, *before;
};

static void fill_pending(struct crm_stmt *st, void *elem)
{
	const char *b = crm_stmt_text(st, 3);

	*(struct pending *)elem = (struct pending){
	    crm_stmt_int(st, 0), crm_stmt_int(st, 2),
	    crm_xstrdup(crm_stmt_text(st, 1)), crm_xstrdup(b ? b : "")};
}

int crm_entity_audit_close(struct crm_db *db, struct crm_err *err)
{
	struct pending *v = NULL;
	size_t n = 0;
	int rc = -1;

	/* read them all first: the updates below must not disturb the
	 * query */
	if (crm_dbq_rows(db, err, &v, &n, sizeof(*v), fill_pending,
			 "SELECT id, entity, record_id, before FROM crm_audit "
			 "WHERE change_id = ? AND action = 'update' AND "
			 "after IS NULL",
			 "i", db->change) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct crm_entity *e = crm_entity_by_name(v[i].entity);
		json_t *j = json_loads(v[i].before, 0, NULL);
		struct crm_row b, cur;
		int got = 0;

		if (!e) {
			json_decref(j);
			continue;
		}
		crm_row_init(&b, e);
		crm_row_init(&cur, e);
		got = crm_entity_get(db, e, v[i].record, &cur, err);
		if (got > 0 && row_from_json(&b, j) == 0) {
			char *diff = crm_row_diff(&b, &cur);

			got = crm_dbq_run(db, err,
					  "UPDATE crm_audit SET after = ? "
					  "WHERE id = ?",
					  "si", diff, v[i].id);
			free(diff);
		}
		crm_row_release(&b);
		crm_row_release(&cur);
		json_decref(j);
		if (got < 0)
			goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++) {
		free(v[i].entity);
		free(v[i].before);
	}
	free(v);
	return rc;
}

struct undo {
	struct crm_db *db;
	int64_t change;		  /* the change undone */
	bool force, merge;	  /* merge: crm_merge_undo's */
	struct crm_buf conflicts; /* "contact 3 city (change 9); ..." */
	size_t nconflicts;
	uint64_t n; /* records restored */
	char now[CRM_TIME_LEN];
};

/* An audit row of record id that undo cannot read: -1. */
static int damaged(const struct crm_entity *e, int64_t id, struct crm_err *err)
{
	return crm_err_set(err, CRM_EX_SOFTWARE,
			   "cannot undo: damaged history of %s %lld", e->name,
			   (long long)id);
}

struct later {
	const char *field;
	bool custom;
	struct crm_buf ids;
	int64_t last;
	size_t n;
};

static int later_one(struct crm_stmt *st, void *arg)
{
	struct later *l = arg;
	int64_t c = crm_stmt_int(st, 0);
	const char *after = crm_stmt_text(st, 2);
	bool hit =
	    !l->field || !after || strcmp(crm_stmt_text(st, 1), "update");

	if (!hit) {
		json_t *j = json_loads(after, 0, NULL);
		json_t *in = l->custom ? json_object_get(j, "custom") : j;
		hit = json_object_get(in, l->field) != NULL;
		json_decref(j);
	}
	if (hit && c != l->last) {
		crm_buf_addf(&l->ids, "%s%lld", l->n++ ? ", " : "",
			     (long long)c);
		l->last = c;
	}
	return 0;
}

/* The later changes in effect (not undone) that wrote field (NULL: any
 * field; custom: a custom field) of record id, as "change 4" or
 * "changes 4, 7", into b. */
static int later_changes(struct undo *u, const struct crm_entity *e, int64_t id,
			 const char *field, bool custom, struct crm_buf *b,
			 struct crm_err *err)
{
	struct later l = {.field = field, .custom = custom};
	int rc;

	crm_buf_reset(b);
	rc = crm_dbq_each(
	    u->db, err, later_one, &l,
	    "SELECT a.change_id, a.action, a.after FROM crm_audit a JOIN "
	    "crm_changes c ON c.id = a.change_id WHERE a.entity = ? AND "
	    "a.record_id = ? AND a.change_id > ? AND a.change_id <> ? AND "
	    "c.undone_at IS NULL ORDER BY a.change_id",
	    "siii", e->name, id, u->change, u->db->change);
	if (rc == 0 && l.n)
		crm_buf_addf(b, "%s %s", l.n > 1 ? "changes" : "change",
			     l.ids.s);
	else if (rc == 0)
		crm_buf_adds(b, "a change not in the log");
	crm_buf_release(&l.ids);
	return rc;
}

/* Note that record id's field (NULL: the record) was changed since. */
static int conflict(struct undo *u, const struct crm_entity *e, int64_t id,
		    const char *field, bool custom, const char *what,
		    struct crm_err *err)
{
	struct crm_buf later = {0};

	if (later_changes(u, e, id, field, custom, &later, err) < 0) {
		crm_buf_release(&later);
		return -1;
	}
	if (u->nconflicts++ < 5)
		crm_buf_addf(&u->conflicts, "%s%s %lld %s%s (%s)",
			     u->conflicts.len ? "; " : "", e->name,
			     (long long)id, custom ? "custom field " : "",
			     field ? field : what, later.s);
	crm_buf_release(&later);
	return 0;
}

/* The rules update and import keep: required fields and the entity's
 * check hook (company cycles, a contact's name ...). Not while a merge
 * is undone: its records come back one by one, its links after them. */
static int check_rules(struct undo *u, const struct crm_entity *e,
		       const struct crm_row *row, struct crm_err *err)
{
	char m[sizeof(err->msg)];

	if (u->merge)
		return 0;
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & CRM_FF_REQUIRED && !row->v[i]) {
			snprintf(err->field, sizeof(err->field), "%s",
				 e->fields[i].name);
			crm_err_set(err, CRM_EX_DATAERR,
				    "missing required field");
			goto fail;
		}
	if (!e->check || e->check(u->db, e, row, err) == 0)
		return 0;
fail:
	snprintf(m, sizeof(m), "%s", err->msg);
	snprintf(err->msg, sizeof(err->msg),
		 "cannot undo change %lld: %s %lld: %.900s",
		 (long long)u->change, e->name, (long long)crm_row_id(row), m);
	err->code = CRM_EX_DATAERR;
	return -1;
}

/* Set field i of row to v, with its matching form. */
static void set_field(struct crm_row *row, size_t i, const char *v,
		      struct crm_buf *tmp)
{
	const struct crm_field *f = &row->e->fields[i];

	free(row->v[i]);
	row->v[i] = v ? crm_xstrdup(v) : NULL;
	row->touched[i] = true;
	if (f->flags & CRM_FF_MATCH) {
		char *kn = crm_xasprintf("%s_key", f->name);
		long k = crm_entity_field(row->e, kn);

		free(kn);
		if (k >= 0) {
			free(row->v[k]);
			row->v[k] = crm_field_match_form(f, v, tmp)
					? crm_xstrdup(tmp->s)
					: NULL;
		}
	}
}

/* Write row (the record now being cur) as the undo's change. Its update
 * time: the before-image's when the record is back to it (b; an undo
 * then leaves no trace in an export), else now. */
static int undo_write(struct undo *u, struct crm_row *row,
		      const struct crm_row *cur, const struct crm_row *b,
		      struct crm_err *err)
{
	long ua = crm_entity_field(row->e, "updated_at");

	if (b && ua >= 0) {
		char *d = crm_row_diff(b, row);
		free(row->v[ua]);
		row->v[ua] = crm_xstrdup(
		    strcmp(d, "{}") || !b->v[ua] ? u->now : b->v[ua]);
		free(d);
	}
	if (check_rules(u, row->e, row, err) < 0 ||
	    audit_row(u->db, "update", cur, row, err) < 0)
		return -1;
	return crm_entity_write_row(u->db, row->e, row, false, err);
}

/* One record's undo: its before-image, the row written, the record now. */
struct urec {
	json_t *bj;
	struct crm_row row, cur;
};

static void urec_init(struct urec *r, const struct crm_entity *e,
		      const char *before)
{
	r->bj = before ? json_loads(before, 0, NULL) : NULL;
	crm_row_init(&r->row, e);
	crm_row_init(&r->cur, e);
}

/* Let go of r; returns rc. */
static int urec_done(struct urec *r, int rc)
{
	json_decref(r->bj);
	crm_row_release(&r->row);
	crm_row_release(&r->cur);
	return rc;
}

/* The before-image bj of record id into row, and the record as it is now
 * into cur: 1, 0 when it is gone, -1 on error (a damaged image too). */
static int then_and_now(struct undo *u, int64_t id, json_t *bj,
			struct crm_row *row, struct crm_row *cur,
			struct crm_err *err)
{
	if (row_from_json(row, bj) < 0)
		return damaged(row->e, id, err);
	return crm_entity_get(u->db, row->e, id, cur, err);
}

/* Revert the fields an update wrote (after: {field: value}; NULL: not
 * known, so every field that differs from before). */
static int undo_update(struct undo *u, const struct crm_entity *e, int64_t id,
		       const char *before, const char *after,
		       struct crm_err *err)
{
	struct urec r;
	json_t *aj = NULL, *v, *bc;
	struct crm_row b;
	struct crm_buf tmp = {0};
	const char *name;
	bool bad = false, changed = false;
	int rc = -1, got;

	urec_init(&r, e, before);
	crm_row_init(&b, e);
	got = then_and_now(u, id, r.bj, &b, &r.cur, err);
	if (got < 0)
		goto out;
	if (!got) { /* deleted since */
		rc = u->force ? 0
			      : conflict(u, e, id, NULL, false, "deleted", err);
		goto out;
	}
	if (after) {
		aj = json_loads(after, 0, NULL);
	} else {
		char *d = crm_row_diff(&b, &r.cur);
		aj = json_loads(d, 0, NULL);
		free(d);
	}
	if (!json_is_object(aj)) {
		damaged(e, id, err);
		goto out;
	}
	crm_row_copy(&r.row, &r.cur);
	memset(r.row.touched, 0, e->nfields * sizeof(*r.row.touched));
	json_object_foreach(aj, name, v)
	{
		long f = crm_entity_field(e, name);

		if (f < 0 || diff_skip(&e->fields[f]))
			continue;
		if (!crm_str_same(r.cur.v[f], json_string_value(v)) &&
		    !u->force) {
			if (conflict(u, e, id, name, false, NULL, err) < 0)
				goto out;
			bad = true;
			continue;
		}
		if (crm_str_same(r.cur.v[f], b.v[f]))
			continue;
		set_field(&r.row, (size_t)f, b.v[f], &tmp);
		changed = true;
	}
	/* custom fields one by one, as fields */
	bc = json_object_get(r.bj, "custom");
	json_object_foreach(json_object_get(aj, "custom"), name, v)
	{
		json_t *now = json_object_get(r.cur.custom, name);
		json_t *was = json_object_get(bc, name);

		if (!(now ? json_equal(now, v) : json_is_null(v)) &&
		    !u->force) {
			if (conflict(u, e, id, name, true, NULL, err) < 0)
				goto out;
			bad = true;
			continue;
		}
		if (was && !json_is_null(was))
			json_object_set(r.row.custom, name, was);
		else
			json_object_del(r.row.custom, name);
		changed = true;
	}
	rc = 0;
	if (bad || !changed)
		goto out;
	rc = crm_entity_guard(u->db, e, &r.cur, &r.row, err);
	if (rc == 0)
		rc = undo_write(u, &r.row, &r.cur, &b, err);
	u->n += rc == 0;
out:
	json_decref(aj);
	crm_buf_release(&tmp);
	crm_row_release(&b);
	return urec_done(&r, rc);
}

/* Undo a delete: the record comes back under its id. */
static int undo_delete(struct undo *u, const struct crm_entity *e, int64_t id,
		       const char *before, struct crm_err *err)
{
	struct urec r;
	int rc = -1, got;

	urec_init(&r, e, before);
	got = then_and_now(u, id, r.bj, &r.row, &r.cur, err);
	if (got < 0)
		goto out;
	if (got) {
		rc = conflict(u, e, id, NULL, false, "exists again", err);
		goto out;
	}
	for (size_t i = 0; i < e->nfields; i++)
		r.row.touched[i] = r.row.v[i] != NULL;
	if (check_rules(u, e, &r.row, err) < 0 ||
	    crm_entity_write_row(u->db, e, &r.row, true, err) < 0 ||
	    crm_db_audit(u->db, e->name, id, "insert", NULL, NULL, err) < 0)
		goto out;
	u->n++;
	rc = 0;
out:
	return urec_done(&r, rc);
}

/* Undo an insert: the record goes, with an audit row (and the links
 * others had to it) that an undo of this undo puts back. */
static int undo_insert(struct undo *u, const struct crm_entity *e, int64_t id,
		       struct crm_err *err)
{
	struct links links = {.db = u->db, .err = err};
	struct crm_row cur;
	struct crm_buf sql = {0}, later = {0};
	int rc = -1, got;

	crm_row_init(&cur, e);
	got = crm_entity_get(u->db, e, id, &cur, err);
	if (got <= 0) {
		rc = got;
		goto out;
	}
	if (!u->force) {
		if (later_changes(u, e, id, NULL, false, &later, err) < 0)
			goto out;
		if (strcmp(later.s, "a change not in the log")) {
			rc = conflict(u, e, id, NULL, false, "changed", err);
			goto out;
		}
	}
	crm_buf_addf(&sql, "DELETE FROM %s WHERE id = ?", e->table);
	if (crm_entity_each_referrer(e, links_prepare, &links) < 0 ||
	    links_note(&links, id) < 0 ||
	    audit_row(u->db, "delete", &cur, NULL, err) < 0 ||
	    crm_entity_sqlf(u->db, sql.s, NULL, NULL, NULL, err, "i", id) < 0)
		goto out;
	u->n++;
	rc = 0;
out:
	links_free(&links);
	crm_buf_release(&sql);
	crm_buf_release(&later);
	crm_row_release(&cur);
	return rc;
}

/* Undo an "unlink": the record refers again to the one it referred to,
 * unless it was linked elsewhere since. */
static int relink(struct undo *u, const struct crm_entity *e, int64_t id,
		  const char *before, struct crm_err *err)
{
	struct urec r;
	const char *field;
	json_t *to;
	long f;
	struct crm_buf tmp = {0};
	char num[CRM_INT_LEN];
	int rc = -1, got;

	urec_init(&r, e, before);
	field = json_string_value(json_object_get(r.bj, "field"));
	to = json_object_get(r.bj, "id");
	f = field ? crm_entity_field(e, field) : -1;
	/* the name goes into SQL: it must be one of e's references */
	if (f < 0 || e->fields[f].type != CRM_T_REF || !json_is_integer(to)) {
		damaged(e, id, err);
		goto out;
	}
	got = crm_entity_get(u->db, e, id, &r.cur, err);
	rc = got < 0 ? -1 : 0;
	if (got <= 0 || r.cur.v[f])
		goto out;
	crm_row_copy(&r.row, &r.cur);
	memset(r.row.touched, 0, e->nfields * sizeof(*r.row.touched));
	set_field(&r.row, (size_t)f, crm_fmt_int(num, json_integer_value(to)),
		  &tmp);
	rc = undo_write(u, &r.row, &r.cur, NULL, err);
out:
	crm_buf_release(&tmp);
	return urec_done(&r, rc);
}

int crm_entity_write_row(struct crm_db *db, const struct crm_entity *e,
			 struct crm_row *row, bool insert, struct crm_err *err)
{
	/* cached: undo and merges write many rows one call each */
	struct crm_stmt *st = prepare_write(db, e, insert, true, err);

	return st ? write_row(db, st, row, insert, err) : -1;
}

struct step {
	char *entity, *action, *before, *after;
	int64_t id;
};

static void fill_step(struct crm_stmt *st, void *elem)
{
	*(struct step *)elem = (struct step){
	    crm_stmt_dup(st, 0), crm_stmt_dup(st, 2), crm_stmt_dup(st, 3),
	    crm_stmt_dup(st, 4), crm_stmt_int(st, 1)};
}

/* The audit rows of change, last first (the order they are undone in). */
static int load_steps(struct crm_db *db, int64_t change, struct step **v,
		      size_t *n, struct crm_err *err)
{
	*v = NULL;
	*n = 0;
	return crm_dbq_rows(db, err, v, n, sizeof(**v), fill_step,
			    "SELECT entity, record_id, action, before, after "
			    "FROM crm_audit WHERE change_id = ? ORDER BY id "
			    "DESC",
			    "i", change);
}

static void steps_free(struct step *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].entity);
		free(v[i].action);
		free(v[i].before);
		free(v[i].after);
	}
	free(v);
}

static int run_step(struct undo *u, const struct step *s, struct crm_err *err)
{
	const struct crm_entity *e =
	    s->entity ? crm_entity_by_name(s->entity) : NULL;

	if (!e && s->entity && !strcmp(s->entity, "approval"))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "cannot undo an approval's decision: it "
				   "stands (start a new approval instead)");
	if (!e || !s->action)
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "cannot undo: unknown entity '%s'",
				   s->entity ? s->entity : "");
	if (!strcmp(s->action, "unlink"))
		return relink(u, e, s->id, s->before, err);
	if (!strcmp(s->action, "insert"))
		return undo_insert(u, e, s->id, err);
	if (!strcmp(s->action, "delete"))
		return undo_delete(u, e, s->id, s->before, err);
	return undo_update(u, e, s->id, s->before, s->after, err);
}

/* The merge whose change this is (0: none). */
static int64_t merge_of(struct crm_db *db, int64_t change, struct crm_err *err)
{
	return crm_dbq_int(db, err,
			   "SELECT id FROM crm_merges WHERE change_id = ?", "i",
			   change);
}

int crm_entity_revert(struct crm_db *db, int64_t change, bool force, bool merge,
		      uint64_t *n, struct crm_err *err)
{
	struct undo u = {
	    .db = db, .change = change, .force = force, .merge = merge};
	struct crm_stmt *st = NULL;
	struct step *steps = NULL;
	size_t nsteps = 0;
	char *entity = NULL;
	int64_t undo_of = 0, m;
	int rc = -1, s;

	*n = 0;
	crm_datetime_format(db->now, u.now);
	st = crm_db_stmt(db,
			 "SELECT undone_at, entity, undo_of, undone_by FROM "
			 "crm_changes WHERE id = ?",
			 err);
	if (!st)
		goto out;
	crm_stmt_bind_int(st, 1, change);
	s = crm_stmt_step(st, err);
	if (s <= 0) {
		if (s == 0)
			crm_err_set(err, CRM_EX_NOINPUT, "no change %lld",
				    (long long)change);
		goto out;
	}
	if (!crm_stmt_is_null(st, 0)) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "change %lld was already undone at %s (by change "
			    "%lld)",
			    (long long)change, crm_stmt_text(st, 0),
			    (long long)crm_stmt_int(st, 3));
		goto out;
	}
	entity = crm_stmt_dup(st, 1);
	undo_of = crm_stmt_int(st, 2);
	crm_stmt_finalize(st);
	st = NULL;
	/* each kind of change has one undo: a merge's is crm-dedupe's */
	if (!merge) {
		if ((m = merge_of(db, change, err)) < 0)
			goto out;
		if (m) {
			crm_err_set(err, CRM_EX_DATAERR,
				    "change %lld is merge %lld: 'crm-dedupe "
				    "undo %lld' undoes it",
				    (long long)change, (long long)m,
				    (long long)m);
			goto out;
		}
		if (undo_of && (m = merge_of(db, undo_of, err)) != 0) {
			if (m > 0)
				crm_err_set(err, CRM_EX_DATAERR,
					    "change %lld undid merge %lld: "
					    "'crm-dedupe merge' merges those "
					    "records again",
					    (long long)change, (long long)m);
			goto out;
		}
	}
	if (load_steps(db, change, &steps, &nsteps, err) < 0 ||
	    crm_db_change(db, "undo", entity, err) < 0)
		goto out;
	/* last first; records the change inserted go after the rest (a
	 * converted lead lets go of its new contact before it goes) */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < nsteps; i++) {
			bool ins = steps[i].action &&
				   !strcmp(steps[i].action, "insert");
			if (ins != (pass == 1))
				continue;
			if (crm_check_interrupt(err) < 0 ||
			    run_step(&u, &steps[i], err) < 0)
				goto out;
		}
	if (u.nconflicts) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "cannot undo change %lld: changed since: %s%s "
			    "(--force undoes it anyway, losing those changes)",
			    (long long)change, u.conflicts.s,
			    u.nconflicts > 5 ? " and more" : "");
		goto out;
	}
	/* the undone change is out of effect; the one it undid (when it
	 * was an undo) back in effect */
	if (crm_dbq_run(db, err,
			"UPDATE crm_changes SET undone_at = ?, "
			"undone_by = ?2 WHERE id = ?3",
			"sii", u.now, db->change, change) < 0 ||
	    crm_dbq_run(db, err,
			"UPDATE crm_changes SET undo_of = ?3 WHERE "
			"id = ?2 AND ?1 IS NOT NULL",
			"sii", u.now, db->change, change) < 0 ||
	    (undo_of && crm_dbq_run(db, err,
				    "UPDATE crm_changes SET undone_at = NULL, "
				    "undone_by = NULL WHERE id = ?3 AND ?1 IS "
				    "NOT NULL AND ?2 IS NOT NULL",
				    "sii", u.now, db->change, undo_of) < 0) ||
	    /* ... and when that one was an undo too, what it undid is undone
	     * again */
	    (undo_of &&
	     crm_dbq_run(
		 db, err,
		 "UPDATE crm_changes SET undone_at = ?1, undone_by = ?3 "
		 "WHERE id = (SELECT undo_of FROM crm_changes WHERE id = "
		 "?3) AND ?2 IS NOT NULL",
		 "sii", u.now, db->change, undo_of) < 0))
		goto out;
	*n = u.n;
	rc = 0;
out:
	crm_stmt_finalize(st);
	steps_free(steps, nsteps);
	free(entity);
	crm_buf_release(&u.conflicts);
	return rc;
}

int crm_entity_undo(struct crm_db *db, int64_t change, bool force, bool dry_run,
		    uint64_t *n, struct crm_err *err)
{
	if (crm_db_begin(db, err) < 0)
		return -1;
	if (crm_entity_revert(db, change, force, false, n, err) < 0) {
		crm_db_rollback(db);
		return -1;
	}
	return crm_db_finish(db, dry_run, err);
}
