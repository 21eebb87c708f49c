/* entity.h - the table-driven entity engine. An entity (contact, company,
 * lead, deal, ticket ...) is described once by a struct crm_entity; the
 * generic code here gives it add, import, list, show, update, delete,
 * export and undo. Entity modules add only their own verbs and hooks. */
#ifndef CRM_ENTITY_H
#define CRM_ENTITY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "record.h"
#include "util.h"

enum crm_ftype {
	CRM_T_TEXT,    /* free text, NFC-normalized */
	CRM_T_INT,     /* integer */
	CRM_T_REAL,    /* decimal number */
	CRM_T_PERCENT, /* 0-100 */
	CRM_T_MONEY, /* decimal in, integer minor units stored; see currency */
	CRM_T_TIME,  /* ISO 8601 UTC */
	CRM_T_DATE,  /* YYYY-MM-DD */
	CRM_T_ENUM,  /* one of values[] */
	CRM_T_TAGS,  /* comma-separated, stored trimmed, unique, sorted */
	CRM_T_EMAIL, /* validated; domain lower-cased */
	CRM_T_PHONE, /* kept as given, must parse as a phone number */
	CRM_T_BOOL,  /* true/false (also 1/0, yes/no) */
	CRM_T_REF,   /* id of a record of entity ref */
};

enum {
	CRM_FF_REQUIRED = 1 << 0, /* must have a value on insert */
	CRM_FF_SYSTEM = 1 << 1,	  /* id, created_at, updated_at: kept as given
				     on insert, never changed by input after */
	CRM_FF_KEY = 1 << 2,	  /* usable with --key and show */
	CRM_FF_HIDDEN = 1 << 3,	  /* a derived column: never read or written */
	CRM_FF_BRIEF = 1 << 4,	  /* one of the default table columns */
	CRM_FF_FORWARD = 1 << 5,  /* enum that only moves forward on import */
	CRM_FF_MATCH = 1 << 6,	  /* keep NAME_key (matching form) up to date */
	CRM_FF_READONLY = 1 << 7, /* maintained by crm itself (last_activity_at,
				     scores): like SYSTEM, taken from input
				     only on insert (so exports round-trip) */
};

struct crm_field {
	const char *name;
	enum crm_ftype type;
	unsigned flags;
	const char *const *values; /* CRM_T_ENUM: allowed values, in order */
	const char *ref;	   /* CRM_T_REF: the entity referred to;
				      CRM_T_MONEY: the currency field */
	/* CRM_FF_MATCH: the matching form for NAME_key (appends to out;
	 * returns 0, or -1 for none); NULL: crm_norm_key (email and phone
	 * fields have their own). */
	int (*match)(const char *s, size_t len, struct crm_buf *out);
	/* Other names of the field on import (lib/entity/import_map.h),
	 * separated by '|', compared loosely (case, spaces, punctuation);
	 * NULL: none. Set with .names = "A|B" in the field's row. */
	const char *names;
};

struct crm_row;
struct crm_import;
struct crm_datefmt;
struct crm_profile;

/* Other names of an input column on import (lib/entity/import_map.h):
 * column, then the names separated by '|', compared loosely like a
 * field's names. */
struct crm_alias {
	const char *field;
	const char *names;
};

/* Import names several entities share for a field. */
#define CRM_ALIASES_FIRST_NAME "First|Given Name|Forename|名"
#define CRM_ALIASES_LAST_NAME "Last|Surname|Family Name|姓"
#define CRM_ALIASES_EMAIL                                                      \
	"Email Address|E-mail Address|Mail|Work Email|"                        \
	"Business Email|邮箱|电子邮件|电子邮箱|邮件|邮箱地址"
#define CRM_ALIASES_PHONE                                                      \
	"Phone Number|Mobile|Mobile Phone|Mobile Phone Number|"                \
	"Mobile Number|Cell|Cell Phone|Telephone|Tel|Work Phone|"              \
	"Business Phone|手机|手机号|手机号码|电话|联系电话|座机"
#define CRM_ALIASES_MAILING_REGION                                             \
	"State|Province|State/Province|State/Region|"                          \
	"Mailing State|Mailing State/Province|省|省份|地区"
#define CRM_ALIASES_MAILING_COUNTRY                                            \
	"Country/Region|Mailing Country|国家|国家/地区"
#define CRM_ALIASES_TITLE "Job Title|Position|职位|职务|头衔"
/* a "company" input column (activities, tickets) */
#define CRM_ALIASES_COMPANY                                                    \
	"Company Name|Account Name|Account|Organization|公司|客户名称"
#define CRM_ALIASES_TAGS "Tag|Labels|Label|标签"
#define CRM_ALIASES_LAST_ACTIVITY_AT                                           \
	"Last Activity Date|Last Activity|最后跟进时间"
#define CRM_ALIASES_CREATED_AT                                                 \
	"Created Date|Create Date|Created|Created Time|"                       \
	"Date Created|Created On|创建时间|创建日期"
#define CRM_ALIASES_UPDATED_AT                                                 \
	"Last Modified Date|Modified Time|Last Modified|"                      \
	"Updated|Modified|最后修改时间|修改时间|更新时间"

struct crm_entity {
	const char *name;   /* "contact" */
	const char *plural; /* "contacts" */
	const char *table;  /* SQL table */
	const struct crm_field *fields;
	size_t nfields;
	const char *keys; /* default --key list, e.g. "id,external_id,email" */
	/* Called for each record about to be written, after the input was
	 * merged onto old (NULL for an insert): derive fields, link records.
	 * May be NULL. Returns 0, 1 to skip the record (nothing is written;
	 * import counts it as skipped), or -1 with err (its field names the
	 * field). */
	int (*prepare)(struct crm_db *db, const struct crm_entity *e,
		       struct crm_row *row, const struct crm_row *old,
		       void *arg, struct crm_err *err);
	/* The rules every stored record keeps, whatever wrote it (a
	 * company's parent exists and makes no cycle; a contact has a name,
	 * an email or a phone): undo checks a record it reverts with it.
	 * May be NULL. Returns 0, or -1 with err (field set). */
	int (*check)(struct crm_db *db, const struct crm_entity *e,
		     const struct crm_row *row, struct crm_err *err);
	/* Called after a record was written (inserted or updated). */
	int (*written)(struct crm_db *db, const struct crm_entity *e,
		       const struct crm_row *row, bool inserted, void *arg,
		       struct crm_err *err);
	/* A bulk import calls begin before its first record and end after
	 * its last (ok: before the commit; !ok: it failed and rolls back),
	 * so per-record upkeep can be done once, set-based, at the end.
	 * Either may be NULL. */
	int (*begin)(struct crm_db *db, const struct crm_entity *e,
		     struct crm_err *err);
	int (*end)(struct crm_db *db, const struct crm_entity *e, bool ok,
		   struct crm_err *err);
	/* PostgreSQL: a bulk import reads CRM_IMPORT_AHEAD records ahead and
	 * shows their parsed input rows here, in order, before the first of
	 * them is prepared, so that prepare's look-ups of other tables can
	 * be one round trip a chunk. Only a read: an error is left for
	 * prepare to meet again. May be NULL. */
	void (*ahead)(struct crm_db *db, const struct crm_row *const *in,
		      size_t n);
	/* Names of what the hooks count in a struct crm_hook_counts, as
	 * "SINGULAR|PLURAL" ("company created|companies created"),
	 * NULL-terminated; NULL: nothing. */
	const char *const *counters;
	/* Import: columns that are no field but that the hooks read (a
	 * deal's "company"), NULL-terminated; and the other names of those
	 * columns (a field's are in its row: crm_field.names), and
	 * {CRM_ALIASES_COMMON} for the common fields', ending with {0}.
	 * Either may be NULL. */
	const char *const *inputs;
	const struct crm_alias *aliases;
	/* An import into an empty (or nearly) table may load it without the
	 * indexes no key of the import reads by and make them at the end
	 * (crm_store_indexes_defer; SQLite). Only for an entity whose hooks
	 * read its table by no other column, or that make the indexes again
	 * (crm_store_indexes_restore) before such a read. */
	bool defer_indexes;
};

/* What an entity's hooks count during an import, for the summary line:
 * the generic import, add and update verbs pass one as hook_arg (it may
 * also be NULL: hooks must check). n[i] is named by e->counters[i]. */
#define CRM_HOOK_COUNTERS 4
struct crm_hook_counts {
	uint64_t n[CRM_HOOK_COUNTERS];
};

/* The write guard: asked before every update of a stored record (import,
 * update, tag, undo; any crm command), with the record as stored (old) and
 * as it would be written (row). Returns 0 to let it through, or -1 with
 * err (CRM_EX_DATAERR naming the record and field) to refuse it, nothing
 * written. Defined by lib/domain/approval.c: a pending approval locks its
 * guarded fields. */
int crm_entity_guard(struct crm_db *db, const struct crm_entity *e,
		     const struct crm_row *old, const struct crm_row *row,
		     struct crm_err *err);

/* Every entity libcrm knows (lib/domain/entities.c), for undo and merges. */
const struct crm_entity *crm_entity_by_name(const char *name);
/* Call fn for each field, of any entity, that refers to e (a CRM_T_REF
 * whose ref is e->name); stops at and returns the first nonzero. */
int crm_entity_each_referrer(const struct crm_entity *e,
			     int (*fn)(const struct crm_entity *r, size_t field,
				       void *arg),
			     void *arg);

/* A record in storage form: one value per field (NULL = SQL NULL), as
 * text (integers and money minor units as decimal text), plus custom
 * fields. Owned by whoever called crm_row_init. */
struct crm_row {
	const struct crm_entity *e;
	char **v;	/* nfields values, each owned or NULL */
	json_t *custom; /* object, owned; never NULL after init */
	bool *touched;	/* per field: input set it (import/update) */
};

void crm_row_init(struct crm_row *row, const struct crm_entity *e);
void crm_row_release(struct crm_row *row);
void crm_row_reset(struct crm_row *row);
void crm_row_copy(struct crm_row *dst, const struct crm_row *src);
/* Field index by name, or -1. */
long crm_entity_field(const struct crm_entity *e, const char *name);
/* Value of a field by name (NULL when null or no such field). */
const char *crm_row_get(const struct crm_row *row, const char *name);
/* Set a field by name to s (copied; NULL clears). Returns 0, -1 if no such
 * field. */
int crm_row_set(struct crm_row *row, const char *name, const char *s);
/* Set field f (an index) to s (copied; NULL clears). */
void crm_row_set_at(struct crm_row *row, long f, const char *s);
int64_t crm_row_id(const struct crm_row *row);

/* Fill row from a statement selecting every field in order, then custom
 * (for entity modules that write their own queries). */
void crm_row_read(struct crm_row *row, struct crm_stmt *st);
/* "f1, f2, ..., custom": the column list crm_row_read expects. */
void crm_entity_select_list(const struct crm_entity *e, struct crm_buf *sql);
/* The same for db's connection: a column withheld from its role
 * (crm_db_withheld) is read as NULL. */
void crm_entity_select_list_db(struct crm_db *db, const struct crm_entity *e,
			       struct crm_buf *sql);

/* $CRM_PHONE_COUNTRY (the country of phone numbers written without one),
 * read once; NULL when unset or empty. */
const char *crm_phone_country(void);

/* Convert one input value of field f into storage form in out (reset
 * first). Validates and normalizes; currency is the record's currency for
 * CRM_T_MONEY (NULL: two decimals). Returns 0, or -1 with err->msg. */
int crm_field_parse(const struct crm_field *f, const char *in,
		    const char *currency, struct crm_buf *out,
		    struct crm_err *err);
/* A tags value (comma-separated) with the tags of add appended that it
 * lacks and those of rm taken out, comma-separated into out (empty
 * first); add or rm may be NULL. The write normalizes it (sorted). */
void crm_tags_edit(const char *tags, const struct crm_strv *add,
		   const struct crm_strv *rm, struct crm_buf *out);
/* The matching form of field f's value v, as its NAME_key column holds it
 * (CRM_FF_MATCH), in out (reset first); false when v has none. */
bool crm_field_match_form(const struct crm_field *f, const char *v,
			  struct crm_buf *out);

/* Load a record by id (1), or by a key value: digits -> id, then
 * external_id, then each CRM_FF_KEY field (email ...), then a merged-away
 * record's id, external_id, email or phone (its survivor). Returns 1
 * found, 0 not found, -1 error (ambiguous key: CRM_EX_DATAERR). */
int crm_entity_find(struct crm_db *db, const struct crm_entity *e,
		    const char *key, struct crm_row *row, struct crm_err *err);
/* A "parent" given by name on input (json string pj: id, external id or
 * any key of e): sets row's field pf (parent_id) to that record's id and
 * drops "parent" from the row's custom fields. -1 with err (field
 * "parent") when pj is no string or names no record of e; noun words the
 * message ("campaign", "company"). */
int crm_entity_set_parent(struct crm_db *db, const struct crm_entity *e,
			  struct crm_row *row, size_t pf, json_t *pj,
			  const char *noun, struct crm_err *err);
int crm_entity_get(struct crm_db *db, const struct crm_entity *e, int64_t id,
		   struct crm_row *row, struct crm_err *err);
/* The record a merge left holding key as a secondary identity of field
 * (id, external_id: as given; email, phone: the matching form), from
 * crm_identities (crm_entity_find falls back on it). 1 found, 0 not, -1
 * error. */
int crm_entity_find_identity(struct crm_db *db, const struct crm_entity *e,
			     const char *field, const char *key,
			     struct crm_row *row, struct crm_err *err);

/* Output form of a row as a record with the given columns (NULL = every
 * output field then every custom field of the row). idx, when not NULL,
 * is crm_entity_colmap's answer for cols, which saves a lookup per cell. */
void crm_row_to_rec(const struct crm_row *row, const struct crm_strv *cols,
		    const long *idx, struct crm_rec *rec);
/* For each column: its field index, or -1 for a custom field. Caller
 * frees. */
long *crm_entity_colmap(const struct crm_entity *e,
			const struct crm_strv *cols);
/* The default columns: every non-hidden field (brief: only CRM_FF_BRIEF). */
void crm_entity_columns(const struct crm_entity *e, bool brief,
			struct crm_strv *cols);
/* Check that every name in cols is a field or (when db is given) a custom
 * field in use; unknown -> CRM_EX_USAGE. */
int crm_entity_check_columns(struct crm_db *db, const struct crm_entity *e,
			     const struct crm_strv *cols, struct crm_err *err);

/* Selection of records for list, update, delete, export. */
struct crm_query {
	const struct crm_strv *where; /* "field OP value" each, ANDed */
	const char *sort;	      /* "[-]field[,...]" or NULL (id) */
	int64_t limit;		      /* < 0: none */
	const int64_t *ids;	      /* when nids > 0: only these ids */
	size_t nids;
};

/* The ids of the selected rows, in order, appended to *ids (NULL at
 * first; the caller frees it), *n counting them. Returns 0 or -1. */
int crm_entity_ids(struct crm_db *db, const struct crm_entity *e,
		   const struct crm_query *q, int64_t **ids, size_t *n,
		   struct crm_err *err);
/* Call fn for each selected row, in order. fn returns 0 to go on, 1 to
 * stop, -1 on error. Returns 0 or -1. */
int crm_entity_each(struct crm_db *db, const struct crm_entity *e,
		    const struct crm_query *q,
		    int (*fn)(const struct crm_row *row, void *arg), void *arg,
		    struct crm_err *err);
/* Call fn with each selected record in output form with columns cols,
 * built straight from the query (the fast path of list and export), and
 * its id. */
int crm_entity_each_rec(struct crm_db *db, const struct crm_entity *e,
			const struct crm_query *q, const struct crm_strv *cols,
			int (*fn)(const struct crm_rec *rec, int64_t id,
				  void *arg),
			void *arg, struct crm_err *err);
/* Rows of one entity read by their ids with one statement (a bulk verb's
 * chunk: a round trip for all of them on PostgreSQL), sorted by id, each
 * found by id. Zeroed is empty; load again to reuse the room. */
struct crm_rowset {
	struct crm_row *v; /* by id */
	bool *taken;
	size_t n, cap;
};
/* The rows of ids[0..n) (each id once; one not there is left out). */
int crm_rowset_load(struct crm_db *db, const struct crm_entity *e,
		    const int64_t *ids, size_t n, struct crm_rowset *rs,
		    struct crm_err *err);
/* Row id, or NULL. */
const struct crm_row *crm_rowset_find(const struct crm_rowset *rs, int64_t id);
/* Row id the first time it is asked for, NULL after (and when not there):
 * for a caller whose own writes make a second copy stale. */
struct crm_row *crm_rowset_take(struct crm_rowset *rs, int64_t id);
void crm_rowset_release(struct crm_rowset *rs);
/* Custom field names in use in the table, sorted. */
int crm_entity_custom_names(struct crm_db *db, const struct crm_entity *e,
			    struct crm_strv *names, struct crm_err *err);

/* Import. */
enum crm_import_mode { CRM_UPSERT, CRM_CREATE_ONLY, CRM_UPDATE_ONLY };
enum crm_import_action {
	CRM_INSERTED,
	CRM_UPDATED,
	CRM_UNCHANGED,
	CRM_REJECTED,
	CRM_SKIPPED,
};
const char *crm_import_action_name(enum crm_import_action a);

/* What crm_import_opts.check decides for a record that matched no key.
 * Under --create-only an UPDATE is an error, under --update-only an
 * INSERT is. */
enum crm_dup_action {
	CRM_DUP_INSERT, /* insert it (the check may have flagged it) */
	CRM_DUP_SKIP,	/* leave it out: it duplicates record target, or
			   (target 0) a record of another entity */
	CRM_DUP_UPDATE, /* apply it to record target, as a key match would,
			   but that record keeps its external_id */
};

/* A record that matched no key, as crm_import_opts.check sees it. */
struct crm_import_new {
	struct crm_row *in;	   /* its parsed input values (in->touched:
				      given); the check may change them */
	const struct crm_rec *rec; /* the input record (rec->line) */
	const char *input;	   /* the input's name */
	int64_t target;		   /* for SKIP and UPDATE: the record */
	/* the importer, whose held new rows a check that reads the table
	 * writes first (crm_importer_settle); may be NULL */
	struct crm_importer *im;
};

struct crm_import_opts {
	const char *command; /* for the change log: "import", "update" */
	enum crm_import_mode mode;
	const char *keys; /* "id,external_id,email"; NULL: e->keys */
	/* a record with no value for any of keys is looked up by those of
	 * e->keys that keys does not name (import: so that importing a file
	 * again changes nothing, whatever its keys) */
	bool default_keys;
	const struct crm_strv *map; /* "SRC=FIELD" each */
	bool force;		    /* allow CRM_FF_FORWARD fields backwards */
	bool dry_run;
	/* Rejected rows go to the file reject_open returns (with "error"
	 * and "error_line" columns), called at the first rejected row, so
	 * that no row to reject makes no file; it returns NULL with err on
	 * failure. The good rows are loaded. NULL: the first bad row fails
	 * it all. */
	FILE *(*reject_open)(void *arg, struct crm_err *err);
	void *reject_arg;
	/* --from: an export profile's headers (lib/entity/import_map.h), or
	 * NULL */
	const struct crm_profile *profile;
	bool match; /* match column names loosely, by alias (import) */
	/* When not NULL: gets the input columns that became custom fields,
	 * each once (after each input that succeeded) */
	struct crm_strv *custom_cols;
	enum crm_fmt reject_fmt; /* CRM_FMT_AUTO: the input's format */
	/* Called per processed record with its stored row (NULL when
	 * rejected) and input record. May be NULL. */
	int (*emit)(const struct crm_row *row, const struct crm_rec *in,
		    enum crm_import_action a, const char *error, void *arg);
	void *emit_arg;
	void (*progress)(uint64_t rows, void *arg);
	void *progress_arg;
	/* passed to e->prepare and e->written; may be NULL */
	struct crm_hook_counts *hook_arg;
	/* How to read TIME and DATE fields (--date-format, --tz); NULL:
	 * ISO 8601 in UTC, with no hint at the options. */
	const struct crm_datefmt *dates;
	/* Called for each record that matched no key (an import-time
	 * duplicate check, lib/analytics/dedupe_import.c): returns an enum
	 * crm_dup_action, or -1 with err. May be NULL. */
	int (*check)(struct crm_db *db, const struct crm_entity *e,
		     struct crm_import_new *nw, void *arg, struct crm_err *err);
	void *check_arg;
	/* With check, both may be NULL. check_ahead: the parsed input rows
	 * of the next records, in order, before the first of them is
	 * applied (crm_entity_import without reject_open reads up to
	 * CRM_IMPORT_AHEAD records ahead when it is set), so that a check
	 * may ask the database about them all at once. check_wrote: each
	 * row the importer then writes (old: the stored row an update
	 * changed, NULL for an insert). Both get check_arg. */
	void (*check_ahead)(const struct crm_row *const *in, size_t n,
			    void *arg);
	void (*check_wrote)(const struct crm_row *old,
			    const struct crm_row *row, void *arg);
	/* An update's audit row waits, for one statement of
	 * CRM_AUDIT_ROWS (crm_db_audit_rows), the rest written by
	 * crm_importer_flush: for a caller that writes them itself before
	 * anything reads crm_audit and before it commits (escalation on
	 * PostgreSQL, one statement a row before) */
	bool audit_later;
	/* An update's UPDATE waits too (a record's later updates merged
	 * into it), for one statement per set of fields changed among
	 * CRM_AUDIT_ROWS records, the rest written by crm_importer_flush:
	 * for a caller that flushes before anything reads the records (and
	 * on PostgreSQL only: json_populate_recordset) */
	bool update_later;
	/* The check's promise that nothing but the importer reads or
	 * writes the table while it runs (a lead import: its hooks write
	 * history only). crm_entity_import on PostgreSQL with check_ahead
	 * then holds its updates' audit rows as audit_later does, and
	 * writes the rest at its end. */
	bool check_alone;
};

/* Records crm_entity_import reads ahead for check_ahead at most: on
 * PostgreSQL, where each chunk costs the check a wait or two (a lead
 * import's probe and prefetch: 1,024 made them a quarter as many as 256);
 * on SQLite, where a chunk saves nothing, LITE (more cost instructions). */
#define CRM_IMPORT_AHEAD 1024
#define CRM_IMPORT_AHEAD_LITE 256

struct crm_import_stats {
	uint64_t n[CRM_SKIPPED + 1];
};

/* Import every record of r in one transaction (BEGIN IMMEDIATE ... COMMIT,
 * or ROLLBACK for a dry run or an error). */
int crm_entity_import(struct crm_db *db, const struct crm_entity *e,
		      struct crm_reader *r, const struct crm_import_opts *o,
		      struct crm_import_stats *st, struct crm_err *err);
/* Apply one record inside an open transaction (what import does per row).
 * *action says what happened; row (if not NULL) receives the stored row. */
struct crm_importer;
struct crm_importer *crm_importer_new(struct crm_db *db,
				      const struct crm_entity *e,
				      const struct crm_import_opts *o,
				      struct crm_err *err);
int crm_importer_apply(struct crm_importer *im, const struct crm_rec *in,
		       struct crm_row *row, enum crm_import_action *action,
		       struct crm_err *err);
/* The stored record the next crm_importer_apply's id names, as the caller
 * holds it: read (crm_entity_get) in this write transaction and followed
 * through every write since (the rows apply gave back). That apply takes
 * it instead of reading the record by its id again; an apply of another
 * id, or of an importer not keyed on id, looks it up as before. old must
 * stay until that apply returns; the apply uses its values in place (not
 * a copy) and gives them back as they were, its touched flags cleared. */
void crm_importer_known(struct crm_importer *im, struct crm_row *old);
/* Write what the importer keeps back (audit_later's rows). 0 or -1. */
int crm_importer_flush(struct crm_importer *im, struct crm_err *err);
/* Write the new rows a bulk import holds back (PostgreSQL, with a check:
 * multi-row INSERTs), before a read that must see them. 0 or -1. */
int crm_importer_settle(struct crm_importer *im, struct crm_err *err);
/* Tell o->check_wrote again of each new row held (not in the table yet):
 * for a check that has just asked the table instead of settling first. */
void crm_importer_held(struct crm_importer *im);
/* Read the stored records of ids (a chunk's matches) in one query, for
 * the repeats that will update them (crm_entity_import with
 * o->check_alone on PostgreSQL; else nothing). 0 or -1. */
int crm_importer_prefetch(struct crm_importer *im, const int64_t *ids, size_t n,
			  struct crm_err *err);
void crm_importer_free(struct crm_importer *im);

/* Update the selected rows with the record set (field -> value; "" clears)
 * in one transaction, recording before-images under a change set. *n gets
 * the number of rows changed. */
int crm_entity_update(struct crm_db *db, const struct crm_entity *e,
		      const struct crm_query *q, const struct crm_rec *set,
		      bool dry_run, uint64_t *n, struct crm_err *err);
/* Add or remove tags (comma-separated) on the selected rows. */
int crm_entity_tag(struct crm_db *db, const struct crm_entity *e,
		   const struct crm_query *q, const char *tags, bool add,
		   bool dry_run, uint64_t *n, struct crm_err *err);
/* Delete the selected rows, keeping their before-images for undo. */
int crm_entity_delete(struct crm_db *db, const struct crm_entity *e,
		      const struct crm_query *q, bool dry_run, uint64_t *n,
		      struct crm_err *err);
/* Undo change set id, as a change set of its own (so undoing that redoes
 * it): revert only the fields each update wrote, re-insert deleted
 * records, delete inserted ones. A field (or record) changed since by a
 * later change is a conflict: CRM_EX_DATAERR naming the records and the
 * changes, nothing written, unless force. The reverted records must keep
 * the entity's rules (required fields, its prepare hook). A merge's
 * change is refused (crm_merge_undo undoes it). *n gets the number of
 * records restored. */
int crm_entity_undo(struct crm_db *db, int64_t change, bool force, bool dry_run,
		    uint64_t *n, struct crm_err *err);

/* crm_entity_undo's work inside a transaction the caller opened; merge:
 * the caller is crm_merge_undo (a merge's change is then allowed). */
int crm_entity_revert(struct crm_db *db, int64_t change, bool force, bool merge,
		      uint64_t *n, struct crm_err *err);
/* The fields row has that old has not (or differently), as the JSON
 * object an audit row's after holds: {"field": value or null, "custom":
 * {...}}; derived columns and updated_at left out. Caller frees. */
char *crm_row_diff(const struct crm_row *old, const struct crm_row *row);
/* Fill in what each update of the open change set wrote, for audit rows
 * written before the record was (their after is NULL): a diff of the
 * before-image against the record now. */
int crm_entity_audit_close(struct crm_db *db, struct crm_err *err);
/* Write row as it is (no hooks, no audit) inside an open transaction:
 * insert (a NULL id gets one) or update by id. */
int crm_entity_write_row(struct crm_db *db, const struct crm_entity *e,
			 struct crm_row *row, bool insert, struct crm_err *err);

/* Storage row as a JSON object (for audit before-images); caller owns. */
json_t *crm_row_to_json(const struct crm_row *row);
/* The text json_dumps(crm_row_to_json(row), JSON_COMPACT) makes (an
 * audit before-image), written directly when every value is plain ASCII
 * (jansson writes it otherwise); caller frees. */
char *crm_row_image(const struct crm_row *row);

/* The statement of the SQL built in sql (not cached: crm_db_stmt), sql
 * released; NULL with err filled. */
struct crm_stmt *crm_entity_stmt(struct crm_db *db, struct crm_buf *sql,
				 struct crm_err *err);
/* Run sql, text built for the moment (not cached: crm_db_stmt), with the
 * values of fmt bound (crm_stmt_bindf, lib/store/dbq.h): *v (when not
 * NULL) gets column 0 of the first row, *rows (when not NULL) counts the
 * rows (a RETURNING clause: the rows it changed); a failing step puts
 * what (when not NULL) before the error. 0, or -1 with err filled. */
int crm_entity_sqlf(struct crm_db *db, const char *sql, int64_t *v,
		    uint64_t *rows, const char *what, struct crm_err *err,
		    const char *fmt, ...);

/* The field rows every entity shares, defined once: id and external_id
 * open its fields, last_activity_at (when it has one) and then created_at
 * and updated_at close them. */
/* clang-format off */
#define CRM_FIELD_ID {"id", CRM_T_INT, CRM_FF_SYSTEM | CRM_FF_KEY | CRM_FF_BRIEF}
#define CRM_FIELD_EXTERNAL_ID {"external_id", CRM_T_TEXT, CRM_FF_KEY}
/* external_id with its import names (another system's record ids) */
#define CRM_FIELD_EXTERNAL_ID_AS(n) \
	{"external_id", CRM_T_TEXT, CRM_FF_KEY, .names = (n)}
#define CRM_FIELD_LAST_ACTIVITY_AT \
	{"last_activity_at", CRM_T_TIME, CRM_FF_READONLY}
#define CRM_FIELDS_CREATED_UPDATED \
	{"created_at", CRM_T_TIME, CRM_FF_SYSTEM}, \
	{"updated_at", CRM_T_TIME, CRM_FF_SYSTEM}
/* clang-format on */
/* .fields and .nfields of a struct crm_entity from its field array, so
 * that the count is always the array's. */
#define CRM_FIELDS(a) .fields = (a), .nfields = sizeof(a) / sizeof((a)[0])

/* A row of an alias table, {CRM_ALIASES_COMMON}: the usual import names
 * of the common fields the entity has (CRM_ALIASES_TAGS,
 * _LAST_ACTIVITY_AT, _CREATED_AT and _UPDATED_AT for tags,
 * last_activity_at, created_at and updated_at), written once in
 * lib/entity/import_map.c. */
#define CRM_ALIASES_COMMON "*"

#endif
