/* record_csv.c - CSV (RFC 4180, through libcsv) and TSV readers and
 * writers. */
#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "record_impl.h"
#include "util.h"

/* libcsv's parser states (struct csv_parser.pstate). */
enum { ROW_NOT_BEGUN = 0, FIELD_BEGUN = 2, FIELD_MIGHT_HAVE_ENDED = 3 };

/* libcsv keeps the whole current field in one buffer; a quoted field needs
 * room for its closing quote and the next byte on top of the field. */
#define CSV_BUF_CAP (CRM_MAX_FIELD + 16)

struct csv_state {
	struct csv_parser p;
	struct crm_reader *r;
	struct crm_err *err; /* where callbacks report */
	bool fini;	     /* csv_fini called */
	bool row_done;	     /* a row ended in the last csv_parse */
	bool fail;	     /* a callback reported an error */
	long row_line;	     /* line the current row started on */
	long qline;	     /* line the open quoted field started on */
};

/* libcsv's realloc hook has no context: the cap is global. A failure makes
 * csv_parse stop with CSV_ENOMEM, which we report as an over-long field. */
static void *capped_realloc(void *p, size_t n)
{
	return n > CSV_BUF_CAP ? NULL : crm_xrealloc(p, n);
}

/* Nothing is trimmed: leading and trailing spaces are data. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* A byte order mark where a line starts, past the start of the input (which
 * the reader skips): files joined with cat, each with its own BOM. */
static bool bom_at(const char *s, size_t n)
{
	return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

#define BOM_MSG "byte order mark inside the input (files joined together?)"

static const char *cur_field(const struct crm_reader *r)
{
	return r->row.n < r->hdr.n ? r->hdr.v[r->row.n] : NULL;
}

static void field_cb(void *s, size_t len, void *data)
{
	struct csv_state *st = data;
	struct crm_reader *r = st->r;
	long col = (long)r->row.n + 1;

	if (st->fail)
		return;
	if (r->row.n >= CRM_MAX_COLUMNS)
		st->fail = crm_rio_fail(r, st->err, r->line, col, NULL,
					"more than %d fields", CRM_MAX_COLUMNS);
	else if (len > CRM_MAX_FIELD)
		st->fail =
		    crm_rio_fail(r, st->err, r->line, col, cur_field(r),
				 "field longer than %u bytes", CRM_MAX_FIELD);
	else if (r->row.data.len + len > CRM_MAX_RECORD)
		st->fail =
		    crm_rio_fail(r, st->err, r->line, col, cur_field(r),
				 "record longer than %u bytes", CRM_MAX_RECORD);
	else
		crm_rio_cells_add(&r->row, s, len, s == NULL);
}

static void row_cb(int c, void *data)
{
	struct csv_state *st = data;

	(void)c;
	st->row_done = true;
}

static bool in_quote(const struct csv_parser *p)
{
	return p->quoted && (p->pstate == FIELD_BEGUN ||
			     p->pstate == FIELD_MIGHT_HAVE_ENDED);
}

/* Whether libcsv stopped at a quote inside an unquoted cell (CSV_STRICT
 * refuses those, whatever the quoted cells around do). */
static bool bare_quote(const struct csv_parser *p)
{
	return p->status == CSV_EPARSE && p->pstate == FIELD_BEGUN &&
	       !p->quoted;
}

/* Take the quote libcsv stopped at as a literal character of the cell, as
 * Excel, Python's csv and the sqlite3 shell do, and go on. Quoted cells
 * stay strict: only the quote itself is parsed without CSV_STRICT. */
static void literal_quote(struct csv_state *st)
{
	int opts = csv_get_opts(&st->p);

	st->p.status = 0;
	csv_set_opts(&st->p, (unsigned char)(opts & ~CSV_STRICT));
	csv_parse(&st->p, "\"", 1, field_cb, row_cb, st);
	csv_set_opts(&st->p, (unsigned char)opts);
}

static int parse_error(struct crm_reader *r, struct csv_state *st,
		       struct crm_err *err)
{
	long col = (long)r->row.n + 1;

	if (bare_quote(&st->p))
		return crm_rio_fail(r, err, r->line, col, cur_field(r),
				    "quote inside an unquoted cell "
				    "(--strict)");
	if (csv_error(&st->p) == CSV_EPARSE)
		return crm_rio_fail(r, err, r->line, col, cur_field(r),
				    "bad quote");
	return crm_rio_fail(r, err, r->line, col, cur_field(r),
			    "field longer than %u bytes", CRM_MAX_FIELD);
}

/* End of input: flush the last row, which may lack a final newline. */
static int csv_finish(struct crm_reader *r, struct csv_state *st,
		      struct crm_err *err)
{
	bool quoted = in_quote(&st->p);

	if (st->fini)
		return 0;
	st->fini = true;
	if (csv_fini(&st->p, field_cb, row_cb, st) != 0 && quoted)
		return crm_rio_fail(r, err, st->qline, (long)r->row.n + 1,
				    cur_field(r), "unterminated quote");
	if (st->fail)
		return -1;
	return st->row_done;
}

/* Parse up to the end of the next row into r->row. Input is fed to libcsv
 * in pieces ending at the first CR or LF, so at most one row ends per piece
 * and each row's first line is known. Returns 1, 0 at end, -1 on error. */
static int csv_row(struct crm_reader *r, struct csv_state *st,
		   struct crm_err *err)
{
	struct crm_rio_in *in = &r->in;

	st->err = err;
	st->row_done = false;
	for (;;) {
		const char *s, *e, *p, *cr;
		size_t n, nf = r->row.n, bufsz;
		bool was_q = in_quote(&st->p);
		int rc;

		if (in->pos == in->len) {
			rc = crm_rio_fill(in);
			if (rc < 0)
				return crm_rio_ioerr(r, err);
			if (rc == 0)
				return csv_finish(r, st, err);
		}
		s = in->s + in->pos;
		e = in->s + in->len;
		/* two memchr scans beat one loop testing two bytes */
		p = memchr(s, '\n', (size_t)(e - s));
		if (!p)
			p = e;
		cr = memchr(s, '\r', (size_t)(p - s));
		if (cr)
			p = cr;
		n = (size_t)(p - s) + (p < e);
		if (st->p.pstate == ROW_NOT_BEGUN) {
			st->row_line = r->line;
			if (bom_at(s, (size_t)(e - s)))
				return crm_rio_fail(r, err, r->line, 1, NULL,
						    BOM_MSG);
		}
		for (size_t done = 0;;) {
			done += csv_parse(&st->p, s + done, n - done, field_cb,
					  row_cb, st);
			if (st->fail)
				return -1;
			if (done == n && !csv_error(&st->p))
				break;
			if (r->strict || !bare_quote(&st->p))
				return parse_error(r, st, err);
			literal_quote(st);
			if (st->fail)
				return -1;
			done++;
		}
		if (in_quote(&st->p) &&
		    (!was_q || r->row.n != nf || st->row_done))
			st->qline = r->line;
		if (s[n - 1] == '\n')
			r->line++;
		in->pos += n;
		/* libcsv grows its buffer by a fixed block: double it instead
		 * so a long field costs log(n) reallocations. */
		bufsz = csv_get_buffer_size(&st->p);
		if (bufsz > st->p.blk_size)
			csv_set_blk_size(
			    &st->p, bufsz < CSV_BUF_CAP ? bufsz : CSV_BUF_CAP);
		if (st->row_done)
			return 1;
	}
}

static int csv_next(struct crm_reader *r, struct crm_rec *rec,
		    struct crm_err *err)
{
	struct csv_state *st = r->priv;
	int rc;

	while (r->hdr.n == 0) {
		rc = csv_row(r, st, err);
		if (rc <= 0) {
			r->state = rc < 0 ? -1 : 1;
			return rc;
		}
		for (size_t i = 0; i < r->row.n; i++) {
			const struct crm_rio_cell *c = &r->row.c[i];

			if (crm_rio_add_name(r, r->row.data.s + c->off, c->len,
					     st->row_line, (long)i + 1,
					     err) < 0)
				return -1;
		}
		crm_rio_cells_reset(&r->row);
	}
	rc = csv_row(r, st, err);
	if (rc <= 0) {
		r->state = rc < 0 ? -1 : 1;
		return rc;
	}
	return crm_rio_row_to_rec(r, rec, st->row_line, err) < 0 ? -1 : 1;
}

static void csv_release(struct crm_reader *r)
{
	struct csv_state *st = r->priv;

	if (!st)
		return;
	csv_free(&st->p);
	free(st);
	r->priv = NULL;
}

void crm_rio_csv_reader_init(struct crm_reader *r)
{
	struct csv_state *st = crm_xcalloc(1, sizeof(*st));

	csv_init(&st->p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL);
	csv_set_delim(&st->p, (unsigned char)(r->delim ? r->delim : ','));
	csv_set_space_func(&st->p, no_space);
	csv_set_realloc_func(&st->p, capped_realloc);
	st->r = r;
	st->row_line = st->qline = r->line;
	r->priv = st;
	r->next = csv_next;
	r->release = csv_release;
}

/* TSV. Values have no quoting, only the escapes \t \n \r \\. An empty cell
 * is null: TSV cannot tell the empty string from null, so both are written
 * as an empty cell and read back as null. */

struct tsv_state {
	struct crm_buf cell; /* first: crm_rio_buf_reader_init */
};

/* Unescape one cell into the row. */
static void tsv_cell(struct crm_rio_cells *row, struct crm_buf *tmp,
		     const char *s, size_t n)
{
	if (n == 0) {
		crm_rio_cells_add(row, NULL, 0, true);
		return;
	}
	if (!memchr(s, '\\', n)) {
		crm_rio_cells_add(row, s, n, false);
		return;
	}
	crm_buf_reset(tmp);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < n) {
			switch (s[i + 1]) {
			case 't':
				c = '\t';
				i++;
				break;
			case 'n':
				c = '\n';
				i++;
				break;
			case 'r':
				c = '\r';
				i++;
				break;
			case '\\':
				i++;
				break;
			default:
				break; /* other backslashes are literal */
			}
		}
		crm_buf_addc(tmp, c);
	}
	crm_rio_cells_add(row, tmp->s, tmp->len, false);
}

/* Split line s (n bytes, no line end) into r->row. */
static int tsv_split(struct crm_reader *r, struct tsv_state *st, const char *s,
		     size_t n, long line, struct crm_err *err)
{
	size_t bad, at = n, col = 0;
	const char *nul = memchr(s, '\0', n);
	bool is_name = r->hdr.n == 0;

	/* Check the raw line, so the error can name the cell it is in. */
	if (!crm_utf8_valid(s, n, &bad))
		at = bad;
	if (nul && (size_t)(nul - s) < at)
		at = (size_t)(nul - s);
	if (at < n) {
		for (size_t i = 0; i < at; i++)
			col += s[i] == '\t';
		if (s[at] == '\0')
			return crm_rio_fail(r, err, line, (long)col + 1,
					    col < r->hdr.n ? r->hdr.v[col]
							   : NULL,
					    "NUL byte in %s",
					    is_name ? "column name" : "value");
		return crm_rio_fail(r, err, line, (long)col + 1,
				    col < r->hdr.n ? r->hdr.v[col] : NULL,
				    "invalid UTF-8%s",
				    is_name ? " in column name" : "");
	}
	for (size_t i = 0;;) {
		const char *tab = memchr(s + i, '\t', n - i);
		size_t end = tab ? (size_t)(tab - s) : n;

		if (r->row.n >= CRM_MAX_COLUMNS)
			return crm_rio_fail(r, err, line, (long)r->row.n + 1,
					    NULL, "more than %d fields",
					    CRM_MAX_COLUMNS);
		if (end - i > CRM_MAX_FIELD)
			return crm_rio_fail(
			    r, err, line, (long)r->row.n + 1, cur_field(r),
			    "field longer than %u bytes", CRM_MAX_FIELD);
		tsv_cell(&r->row, &st->cell, s + i, end - i);
		if (!tab)
			return 0;
		i = end + 1;
	}
}

static int tsv_next(struct crm_reader *r, struct crm_rec *rec,
		    struct crm_err *err)
{
	struct tsv_state *st = r->priv;

	for (;;) {
		size_t len, n;
		const char *s;
		long line = r->line;
		int rc = crm_rio_next_line(r, &s, &len, err);

		if (rc <= 0)
			return rc;
		n = len;
		if (n && s[n - 1] == '\n')
			n--;
		if (n && s[n - 1] == '\r')
			n--;
		if (n == 0)
			continue; /* blank line */
		if (bom_at(s, n))
			return crm_rio_fail(r, err, line, 1, NULL, BOM_MSG);
		crm_rio_cells_reset(&r->row);
		if (tsv_split(r, st, s, n, line, err) < 0)
			return -1;
		if (r->hdr.n > 0)
			return crm_rio_row_to_rec(r, rec, line, err) < 0 ? -1
									 : 1;
		for (size_t i = 0; i < r->row.n; i++) {
			const struct crm_rio_cell *c = &r->row.c[i];

			if (crm_rio_add_name(r, r->row.data.s + c->off, c->len,
					     line, (long)i + 1, err) < 0)
				return -1;
		}
	}
}

void crm_rio_tsv_reader_init(struct crm_reader *r)
{
	crm_rio_buf_reader_init(r, sizeof(struct tsv_state), tsv_next);
}

/* Writers */

/* Whether a cell gets an apostrophe in front: it already looks guarded
 * (always, so that reading it back gives it unchanged), or the writer
 * guards formulas and it looks like one. */
static bool guard_cell(const char *s, size_t n, unsigned flags)
{
	if (n && s[0] == '\'' && crm_rio_guarded(s, n))
		return true;
	return (flags & CRM_W_SAFE) && crm_rio_formula_like(s, n);
}

/* Whether any of the 8 bytes of x is below c (c at most 128): exact. */
#define BYTE_BELOW(x, c)                                                       \
	(((x)-UINT64_C(0x0101010101010101) * (c)) &                            \
	 ~(x)&UINT64_C(0x8080808080808080))

static bool csv_needs_quotes(const char *s, size_t n)
{
	/* A leading U+FEFF would pass for a BOM when it starts the output. */
	if (n == 0 || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t' || (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0))
		return true;
	/* every cell of every record passes here: the bytes that need quotes
	 * are all below '-', so eight at a time rule most bytes out */
	static const bool special[256] = {
	    [','] = true, ['"'] = true, ['\r'] = true, ['\n'] = true};
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;

		memcpy(&x, s + i, 8);
		if (!BYTE_BELOW(x, '-'))
			continue;
		for (size_t j = i; j < i + 8; j++)
			if (special[(unsigned char)s[j]])
				return true;
	}
	for (; i < n; i++)
		if (special[(unsigned char)s[i]])
			return true;
	return false;
}

static void csv_cell(struct crm_buf *b, const char *s, size_t n, unsigned flags)
{
	bool guard = guard_cell(s, n, flags);
	const char *q;

	if (!guard && !csv_needs_quotes(s, n)) {
		/* the common cell: a copy (crm_buf_add without its call) */
		if (b->len + n + 1 > b->cap)
			b->s = crm_xgrow(b->s, &b->cap, b->len + n + 1, 1);
		memcpy(b->s + b->len, s, n);
		b->len += n;
		b->s[b->len] = '\0';
		return;
	}
	crm_buf_adds(b, guard ? "\"'" : "\"");
	while ((q = memchr(s, '"', n))) {
		size_t k = (size_t)(q - s) + 1;

		crm_buf_add(b, s, k);
		crm_buf_addc(b, '"');
		s += k;
		n -= k;
	}
	crm_buf_add(b, s, n);
	crm_buf_addc(b, '"');
}

static void tsv_cell_out(struct crm_buf *b, const char *s, size_t n,
			 unsigned flags)
{
	if (guard_cell(s, n, flags))
		crm_buf_addc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		/* tab, newline, carriage return and backslash escaped */
		static const char special[] = "\t\n\r\\", letter[] = "tnr\\";
		const char *p = s[i] ? strchr(special, s[i]) : NULL;

		if (p) {
			crm_buf_addc(b, '\\');
			crm_buf_addc(b, letter[p - special]);
		} else {
			crm_buf_addc(b, s[i]);
		}
	}
}

typedef void cell_fn(struct crm_buf *b, const char *s, size_t n,
		     unsigned flags);

static void header(struct crm_writer *w, cell_fn *cell, char sep)
{
	if (w->header_done)
		return;
	w->header_done = true;
	if (w->flags & CRM_W_NOHEADER)
		return;
	for (size_t i = 0; i < w->cols.n; i++) {
		if (i)
			crm_buf_addc(&w->out, sep);
		cell(&w->out, w->cols.v[i], strlen(w->cols.v[i]), w->flags);
	}
	crm_buf_addc(&w->out, '\n');
}

static int write_line(struct crm_writer *w, const struct crm_rec *rec,
		      cell_fn *cell, char sep)
{
	header(w, cell, sep);
	for (size_t i = 0; i < w->cols.n; i++) {
		size_t len;
		enum crm_kind kind;
		const char *v = crm_rio_val(w, rec, i, &len, &kind);

		if (i)
			crm_buf_addc(&w->out, sep);
		if (v)
			cell(&w->out, v, len, w->flags);
	}
	crm_buf_addc(&w->out, '\n');
	return crm_rio_flush_out(w);
}

int crm_rio_csv_write(struct crm_writer *w, const struct crm_rec *rec)
{
	return write_line(w, rec, csv_cell, ',');
}

int crm_rio_csv_close(struct crm_writer *w)
{
	header(w, csv_cell, ',');
	return crm_rio_flush_out(w);
}

int crm_rio_tsv_write(struct crm_writer *w, const struct crm_rec *rec)
{
	return write_line(w, rec, tsv_cell_out, '\t');
}

int crm_rio_tsv_close(struct crm_writer *w)
{
	header(w, tsv_cell_out, '\t');
	return crm_rio_flush_out(w);
}
