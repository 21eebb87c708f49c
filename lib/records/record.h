/* record.h - records and their formats: readers and writers for CSV, TSV,
 * JSON, NDJSON and terminal tables. */
#ifndef CRM_RECORD_H
#define CRM_RECORD_H

#include <stdbool.h>
#include <stdio.h>

#include "util.h"

/* Input limits: past them an input is a data error, never unbounded memory. */
#define CRM_MAX_FIELD (16u << 20)  /* bytes in one field */
#define CRM_MAX_RECORD (64u << 20) /* bytes in one record or input line */
#define CRM_MAX_COLUMNS 10000	   /* fields in one record */
#define CRM_MAX_DEPTH 64	   /* JSON nesting */

enum crm_fmt {
	CRM_FMT_AUTO = 0, /* input: detect; output: table on a tty, else csv */
	CRM_FMT_CSV,
	CRM_FMT_TSV,
	CRM_FMT_JSON,
	CRM_FMT_NDJSON,
	CRM_FMT_TABLE,
	CRM_FMT_HTML, /* output of commands that write it themselves (reports:
			 struct crm_command.html); no reader or writer */
};

/* "csv" -> CRM_FMT_CSV ...; -1 when unknown. */
int crm_fmt_parse(const char *s);
const char *crm_fmt_name(enum crm_fmt f);

/* What a value is. CSV and TSV input only ever gives NULL and STR. */
enum crm_kind {
	CRM_NULL = 0, /* no value: empty unquoted CSV cell, JSON null */
	CRM_STR,      /* a string */
	CRM_RAW, /* JSON text kept as is: number, true, false, object, array */
};

/* One record: ordered (name, value) pairs. Names and values live in one
 * arena owned by the record, so clearing and refilling it per row costs no
 * allocation, or are borrowed (crm_rec_borrow). Values may contain NUL
 * bytes only if len says so. */
struct crm_rec {
	struct crm_buf arena;
	struct crm_rec_field {
		size_t name, val, vlen;	  /* offsets into arena */
		const char *bname, *bval; /* borrowed instead, or NULL */
		enum crm_kind kind;
	} * f;
	size_t n, cap;
	bool borrowed; /* a field is borrowed: crm_rec_copy copies its text */
	long line;     /* first input line of the record, 0 if not from input */
};

void crm_rec_init(struct crm_rec *r);
void crm_rec_release(struct crm_rec *r);
void crm_rec_clear(struct crm_rec *r); /* n = 0, keeps memory */
/* Append a field. val NULL (or kind CRM_NULL) is null. Copies both. */
void crm_rec_add(struct crm_rec *r, const char *name, size_t nlen,
		 const char *val, size_t vlen, enum crm_kind kind);
/* Room for one more field (crm_rec_borrow's slow path). */
void crm_rec_room(struct crm_rec *r);
/* Append a field without copying name (NUL-terminated) or val (vlen
 * bytes and a NUL): both must stay unchanged until the record is cleared,
 * as a statement's current row and the column names of a listing do
 * while its callback runs. Inline: a listing calls it for every cell. */
static inline void crm_rec_borrow(struct crm_rec *r, const char *name,
				  const char *val, size_t vlen,
				  enum crm_kind kind)
{
	struct crm_rec_field *f;

	if (r->n == r->cap)
		crm_rec_room(r);
	f = &r->f[r->n++];
	if (!val || kind == CRM_NULL) {
		val = "";
		vlen = 0;
		kind = CRM_NULL;
	}
	f->name = f->val = 0;
	f->bname = name;
	f->bval = val;
	f->vlen = vlen;
	f->kind = kind;
	r->borrowed = true;
}
/* Convenience: NUL-terminated name and value; val NULL is null. */
void crm_rec_adds(struct crm_rec *r, const char *name, const char *val);
/* Set (replace or append) a field by name. */
void crm_rec_set(struct crm_rec *r, const char *name, const char *val,
		 enum crm_kind kind);
/* Index of the field named name, or -1. */
long crm_rec_find(const struct crm_rec *r, const char *name);
const char *crm_rec_name(const struct crm_rec *r, size_t i);
/* The value, NUL-terminated, or NULL for null. */
const char *crm_rec_val(const struct crm_rec *r, size_t i);
size_t crm_rec_vlen(const struct crm_rec *r, size_t i);
enum crm_kind crm_rec_kind(const struct crm_rec *r, size_t i);
/* Value by name: NULL when absent or null. */
const char *crm_rec_get(const struct crm_rec *r, const char *name);
/* Copy src into dst (dst's previous content discarded). */
void crm_rec_copy(struct crm_rec *dst, const struct crm_rec *src);

/* Readers stream: memory stays constant for CSV, TSV and NDJSON whatever the
 * input size (a JSON array is parsed whole, within the limits above). */
struct crm_reader;

/* Start reading fp (not closed by the reader). name is used in messages
 * ("-" shown as "<stdin>"). fmt CRM_FMT_AUTO detects from the first
 * non-blank byte: '[' json, '{' ndjson, else csv, or tsv when the header has
 * tabs and no commas (CSV with semicolons when it has semicolons and no
 * commas or tabs). Returns NULL and fills err on failure. */
struct crm_reader *crm_reader_open(FILE *fp, const char *name, enum crm_fmt fmt,
				   struct crm_err *err);
/* How to read an input beyond its format (the common input options). */
struct crm_read_opts {
	enum crm_fmt fmt; /* CRM_FMT_AUTO: detect */
	/* CSV: the cell separator; 0 detects it from the header: ';' when
	 * it has semicolons and no commas or tabs, else ','. */
	char delim;
	/* CSV: refuse a quote inside an unquoted cell (5'11"), which is
	 * otherwise a literal character, as in Excel and Python's csv. */
	bool strict;
	/* The input's character set, as iconv(3) names it ("GB18030",
	 * "CP1252"); NULL or "UTF-8": UTF-8. A byte order mark (UTF-8,
	 * UTF-16LE, UTF-16BE) decides whatever this says. Bytes invalid in
	 * the character set are a data error naming the line. */
	const char *encoding;
};

/* crm_reader_open with options o (NULL: the defaults). A character set
 * iconv does not know is CRM_EX_USAGE. */
struct crm_reader *crm_reader_open_with(FILE *fp, const char *name,
					const struct crm_read_opts *o,
					struct crm_err *err);
/* Read the next record into rec (cleared first). Returns 1 for a record, 0
 * at end of input, -1 on error with err naming file, line, column, field. */
int crm_reader_next(struct crm_reader *r, struct crm_rec *rec,
		    struct crm_err *err);
/* The format read (after detection) and the displayed input name. */
enum crm_fmt crm_reader_format(const struct crm_reader *r);
const char *crm_reader_name(const struct crm_reader *r);
/* Whether r reads a regular file (reads never wait on a writer). */
bool crm_reader_regular(const struct crm_reader *r);
/* The header columns (CSV/TSV; NULL/0 for JSON before the first record). */
const char *const *crm_reader_header(const struct crm_reader *r, size_t *n);
void crm_reader_free(struct crm_reader *r);

/* Writers. Columns are fixed at open; each record's values are taken by
 * column name (a missing field is written as null). */
struct crm_writer;

enum {
	CRM_W_COLOR = 1,    /* table: colours allowed */
	CRM_W_NOHEADER = 2, /* csv/tsv/table: no header line */
	/* csv/tsv: an apostrophe before cells starting = + - @ tab or CR
	 * (not plain numbers such as -12.50), so spreadsheets show them as
	 * text. Cells that already start with apostrophes and then such a
	 * character get one more, with or without this flag, and the CSV
	 * and TSV readers drop one: crm's own import round-trips. */
	CRM_W_SAFE = 4,
};

/* Write records to fp in fmt (CRM_FMT_AUTO is not accepted here) with the
 * given columns (copied). */
struct crm_writer *crm_writer_open(FILE *fp, enum crm_fmt fmt,
				   const char *const *cols, size_t ncols,
				   unsigned flags);
/* Tables: fit rows in width display columns (0, the default: no limit),
 * cutting the widest columns' cells with an ellipsis. */
void crm_writer_width(struct crm_writer *w, size_t width);
/* The writer's own copy of its columns: a record whose names are these
 * very strings (crm_rec_borrow) is matched to them without comparing. */
const struct crm_strv *crm_writer_cols(const struct crm_writer *w);
/* Write one record. Returns 0, or -1 on an output error (errno set). */
int crm_writer_write(struct crm_writer *w, const struct crm_rec *rec);
/* Finish (JSON's closing bracket, the table itself), flush. Returns 0 or -1
 * on an output error. Does not close fp. */
int crm_writer_close(struct crm_writer *w);
void crm_writer_free(struct crm_writer *w);

/* Display width of a UTF-8 string in terminal columns (utf8proc). */
size_t crm_display_width(const char *s, size_t len);
/* How many bytes of s (len bytes, printable only) fit in max display
 * columns; *w gets their width. */
size_t crm_fit_bytes(const char *s, size_t len, size_t max, size_t *w);
/* Whether s (len bytes) is valid UTF-8; if not, *bad is the byte offset of
 * the first invalid sequence. */
bool crm_utf8_valid(const char *s, size_t len, size_t *bad);

#endif
