/* record_impl.h - internals shared by lib/record*.c; commands use record.h.
 * The reader owns an input buffer so format detection can look ahead on a
 * pipe and hand the same bytes on to the format's parser. */
#ifndef CRM_RECORD_IMPL_H
#define CRM_RECORD_IMPL_H

#include <stdbool.h>
#include <stdio.h>

#include "record.h"
#include "util.h"

/* Buffered input: bytes s[pos, len) are read but not yet consumed. */
struct crm_rio_in {
	FILE *fp;
	char *s;
	size_t pos, len, cap;
	bool eof;
	bool file; /* a regular file: read in blocks, nobody waits on lines */
	int err;   /* errno of a read error, 0 if none */
	/* Converting from another character set to UTF-8
	 * (lib/records/record.c): raw[0, rawlen) is read but not yet converted.
	 */
	struct crm_rio_conv *conv;
};

/* Read more input (from a pipe or terminal at most one line's worth, so
 * line-oriented input is handed on as it arrives). May move the unconsumed
 * bytes to the start of s. Returns 1 when bytes were added, 0 at end, -1 on
 * error. */
int crm_rio_fill(struct crm_rio_in *in);
/* Make the line at s + pos available, its length (with the '\n', if any)
 * in *len; nothing is consumed. Returns 1, 0 at end of input, -1 on a read
 * error, -2 when the line is longer than max bytes. */
int crm_rio_line(struct crm_rio_in *in, size_t max, size_t *len);

/* One parsed row before it becomes a record: cells are offsets into data. */
struct crm_rio_cells {
	struct crm_buf data;
	struct crm_rio_cell {
		size_t off, len;
		bool null;
	} * c;
	size_t n, cap;
};
void crm_rio_cells_reset(struct crm_rio_cells *row);
void crm_rio_cells_add(struct crm_rio_cells *row, const char *s, size_t len,
		       bool null);

struct crm_reader {
	struct crm_rio_in in;
	char *name; /* as shown in messages */
	enum crm_fmt fmt;
	long line;	       /* line of the byte at in.pos */
	long col;	       /* its byte column (JSON only) */
	int state;	       /* 0 reading, 1 at end, -1 failed */
	struct crm_err failed; /* repeated by later calls after a failure */
	struct crm_strv hdr;   /* column names */
	struct crm_rio_cells row;
	char delim;  /* CSV cell separator */
	bool strict; /* CSV: a quote in an unquoted cell is an error */
	void *priv;  /* the format's own state */
	int (*next)(struct crm_reader *r, struct crm_rec *rec,
		    struct crm_err *err);
	void (*release)(struct crm_reader *r);
};

/* Fill err (code CRM_EX_DATAERR) and mark r failed. Returns -1. */
int crm_rio_fail(struct crm_reader *r, struct crm_err *err, long line, long col,
		 const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Same for a read error (code CRM_EX_IOERR, errno in r->in.err). */
int crm_rio_ioerr(struct crm_reader *r, struct crm_err *err);
/* Check and append a header name (CSV/TSV): not empty, valid UTF-8, no NUL,
 * not a duplicate, within CRM_MAX_COLUMNS. col is 1-based. Returns 0 or -1. */
int crm_rio_add_name(struct crm_reader *r, const char *s, size_t len, long line,
		     long col, struct crm_err *err);
/* Turn r->row into rec under the header, checking count and UTF-8. line is
 * where the row starts. Returns 0 or -1. */
int crm_rio_row_to_rec(struct crm_reader *r, struct crm_rec *rec, long line,
		       struct crm_err *err);

/* The next line of a line-based reader (CSV's are not): *s and *len
 * (its end of line kept), r->line counted. Returns 1, 0 at the end (r at
 * end), -1 on a read error or a line longer than CRM_MAX_RECORD. */
int crm_rio_next_line(struct crm_reader *r, const char **s, size_t *len,
		      struct crm_err *err);

/* For a format whose state (r->priv, size bytes, zeroed) begins with a
 * struct crm_buf: sets it up with next, and a release that frees the
 * buffer and the state. */
void crm_rio_buf_reader_init(struct crm_reader *r, size_t size,
			     int (*next)(struct crm_reader *r,
					 struct crm_rec *rec,
					 struct crm_err *err));

/* Format readers: set r->next, r->release and r->priv. */
void crm_rio_csv_reader_init(struct crm_reader *r);
void crm_rio_tsv_reader_init(struct crm_reader *r);
void crm_rio_json_reader_init(struct crm_reader *r);
void crm_rio_ndjson_reader_init(struct crm_reader *r);

struct crm_rio_table;

struct crm_writer {
	FILE *fp;
	enum crm_fmt fmt;
	struct crm_strv cols;
	unsigned flags;
	size_t nrec;
	bool header_done;
	struct crm_buf out;   /* one record's text, written with one fwrite */
	struct crm_strv keys; /* JSON: each column as "name": */
	struct crm_rio_table *table;
	size_t width; /* table: display columns to fit in; 0 no limit */
};

/* Field index of the record's value for column i, or -1: field i when
 * its name is the column's, else by name. */
long crm_rio_field(const struct crm_writer *w, const struct crm_rec *rec,
		   size_t i);

/* The value written for column i: by name, trying field i first since
 * records usually come in column order. Returns NULL for null or absent.
 * Inline, as every cell of every record written passes here; a record
 * that borrows the writer's names (crm_writer_cols) matches by address. */
static inline const char *crm_rio_val(const struct crm_writer *w,
				      const struct crm_rec *rec, size_t i,
				      size_t *len, enum crm_kind *kind)
{
	long k = i < rec->n && rec->f[i].bname == w->cols.v[i]
		     ? (long)i
		     : crm_rio_field(w, rec, i);
	const struct crm_rec_field *f = k >= 0 ? &rec->f[k] : NULL;

	if (!f || f->kind == CRM_NULL) {
		*len = 0;
		*kind = CRM_NULL;
		return NULL;
	}
	*len = f->vlen;
	*kind = f->kind;
	return f->bval ? f->bval : rec->arena.s + f->val;
}
/* Write w->out to w->fp and empty it. Returns 0 or -1. */
int crm_rio_flush_out(struct crm_writer *w);
/* Whether s is a plain decimal number (-12, 3.50, 1e6). */
bool crm_rio_numeric(const char *s, size_t len);
/* Whether a cell would be read as a formula by a spreadsheet: it starts
 * with = + - @ tab or CR and is not a plain number (OWASP CSV injection). */
bool crm_rio_formula_like(const char *s, size_t len);
/* Whether s is a guarded cell: one or more apostrophes, then a
 * formula-like rest. CSV and TSV writers add an apostrophe to these (and,
 * with CRM_W_SAFE, to formula-like cells); readers drop one, so the
 * guard round-trips whether or not it was asked for. */
bool crm_rio_guarded(const char *s, size_t len);

int crm_rio_csv_write(struct crm_writer *w, const struct crm_rec *rec);
int crm_rio_csv_close(struct crm_writer *w);
int crm_rio_tsv_write(struct crm_writer *w, const struct crm_rec *rec);
int crm_rio_tsv_close(struct crm_writer *w);
int crm_rio_json_write(struct crm_writer *w, const struct crm_rec *rec);
int crm_rio_json_close(struct crm_writer *w);
int crm_rio_table_write(struct crm_writer *w, const struct crm_rec *rec);
int crm_rio_table_close(struct crm_writer *w);
void crm_rio_table_free(struct crm_rio_table *t);

#endif
