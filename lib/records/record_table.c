/* record_table.c - aligned columns for a human at a terminal. Rows are
 * buffered until close, since a column is as wide as its widest cell. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "record.h"
#include "record_impl.h"
#include "util.h"

#define MAX_CELL 40 /* display columns; longer cells end in "…" */
#define GAP "  "
#define ELLIPSIS "\xE2\x80\xA6" /* … */
#define NEWLINE "\xE2\x8F\x8E"	/* ⏎ */
#define BOLD "\033[1m"
#define PLAIN "\033[0m"

struct crm_rio_table {
	struct crm_buf text; /* the rendered cells */
	struct tcell {
		size_t off, len, width;
		bool right;
	} * c;
	size_t n, cap; /* cells, row after row */
	size_t rows;
};

/* Append what the next character of s (at most n bytes) shows as; *used
 * gets its length in s. Returns its display width. */
static size_t show_char(struct crm_buf *b, const char *s, size_t n,
			size_t *used)
{
	unsigned char c = (unsigned char)s[0];
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	int w;

	*used = 1;
	if (c == '\r' || c == '\n') {
		if (c == '\r' && n > 1 && s[1] == '\n')
			*used = 2; /* CRLF is one line break */
		crm_buf_adds(b, NEWLINE);
		return 1;
	}
	if (c == '\t') {
		crm_buf_addc(b, ' ');
		return 1;
	}
	if (c < 0x20 || c == 0x7f) {
		crm_buf_addc(b, '?');
		return 1;
	}
	if (c < 0x80) {
		crm_buf_addc(b, (char)c);
		return 1;
	}
	k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
			     &cp);
	if (k <= 0 || cp < 0xA0) { /* invalid, or a C1 control */
		*used = k > 0 ? (size_t)k : 1;
		crm_buf_addc(b, '?');
		return 1;
	}
	*used = (size_t)k;
	crm_buf_add(b, s, (size_t)k);
	w = utf8proc_charwidth(cp);
	return w > 0 ? (size_t)w : 0;
}

/* Render s into t->text as one cell, cut to MAX_CELL columns. */
static void add_cell(struct crm_rio_table *t, const char *s, size_t n,
		     bool right)
{
	struct tcell *c;
	size_t start = t->text.len, width = 0, fit = start, fitw = 0;

	for (size_t i = 0, used; i < n; i += used) {
		width += show_char(&t->text, s + i, n - i, &used);
		if (width > MAX_CELL) {
			t->text.len = fit;
			crm_buf_adds(&t->text, ELLIPSIS);
			width = fitw + 1;
			break;
		}
		if (width < MAX_CELL) {
			fit = t->text.len;
			fitw = width;
		}
	}
	t->c = crm_xgrow(t->c, &t->cap, t->n + 1, sizeof(*t->c));
	c = &t->c[t->n++];
	c->off = start;
	c->len = t->text.len - start;
	c->width = width;
	c->right = right;
}

int crm_rio_table_write(struct crm_writer *w, const struct crm_rec *rec)
{
	struct crm_rio_table *t = w->table;

	if (!t) {
		t = w->table = crm_xcalloc(1, sizeof(*t));
		for (size_t i = 0; i < w->cols.n; i++)
			add_cell(t, w->cols.v[i], strlen(w->cols.v[i]), false);
	}
	for (size_t i = 0; i < w->cols.n; i++) {
		size_t len;
		enum crm_kind kind;
		const char *v = crm_rio_val(w, rec, i, &len, &kind);

		add_cell(t, v ? v : "", len,
			 kind == CRM_RAW && crm_rio_numeric(v, len));
	}
	t->rows++;
	return 0;
}

static void pad(struct crm_buf *b, size_t n)
{
	while (n--)
		crm_buf_addc(b, ' ');
}

size_t crm_fit_bytes(const char *s, size_t len, size_t max, size_t *w)
{
	size_t i = 0;

	*w = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k =
		    utf8proc_iterate((const utf8proc_uint8_t *)s + i,
				     (utf8proc_ssize_t)(len - i), &cp);
		int cw;

		if (k <= 0)
			break;
		cw = utf8proc_charwidth(cp);
		if (cw < 0)
			cw = 0;
		if (*w + (size_t)cw > max)
			break;
		*w += (size_t)cw;
		i += (size_t)k;
	}
	return i;
}

/* Append cell c in width display columns: cut with an ellipsis when it is
 * wider (a double-width character that does not fit leaves a space). */
static void put_cell(struct crm_buf *b, const struct crm_rio_table *t,
		     const struct tcell *c, size_t width)
{
	size_t cw = c->width, len = c->len;

	if (cw > width) {
		len = crm_fit_bytes(t->text.s + c->off, c->len,
				    width ? width - 1 : 0, &cw);
		if (width) {
			crm_buf_add(b, t->text.s + c->off, len);
			crm_buf_adds(b, ELLIPSIS);
			cw++;
		}
		pad(b, width - cw);
		return;
	}
	if (c->right)
		pad(b, width - cw);
	crm_buf_add(b, t->text.s + c->off, len);
	if (!c->right)
		pad(b, width - cw);
}

/* Narrow the widest columns, one display column at a time, until the row
 * fits in max (or every column is down to a few characters). */
static void fit_width(size_t *width, size_t ncols, size_t max)
{
	size_t total = ncols ? 2 * (ncols - 1) : 0;

	for (size_t i = 0; i < ncols; i++)
		total += width[i];
	while (total > max) {
		size_t wi = 0;

		for (size_t i = 1; i < ncols; i++)
			if (width[i] > width[wi])
				wi = i;
		if (width[wi] <= 3)
			break;
		width[wi]--;
		total--;
	}
}

/* Append row r (0 is the header) to w->out. */
static void put_row(struct crm_writer *w, const size_t *width, size_t r)
{
	struct crm_rio_table *t = w->table;
	struct crm_buf *b = &w->out;
	size_t ncols = w->cols.n, start = b->len;
	bool bold = r == 0 && (w->flags & CRM_W_COLOR);

	if (bold)
		crm_buf_adds(b, BOLD);
	start = b->len;
	for (size_t i = 0; i < ncols; i++) {
		const struct tcell *c = &t->c[r * ncols + i];

		if (i)
			crm_buf_adds(b, GAP);
		put_cell(b, t, c, width[i]);
	}
	while (b->len > start && b->s[b->len - 1] == ' ')
		b->len--;
	if (bold)
		crm_buf_adds(b, PLAIN);
	crm_buf_addc(b, '\n');
}

int crm_rio_table_close(struct crm_writer *w)
{
	struct crm_rio_table *t = w->table;
	size_t ncols = w->cols.n, *width, first;
	int rc = 0;

	if (!t || t->rows == 0)
		return 0;
	first = (w->flags & CRM_W_NOHEADER) ? 1 : 0;
	width = crm_xcalloc(ncols ? ncols : 1, sizeof(*width));
	for (size_t r = first; r <= t->rows; r++)
		for (size_t i = 0; i < ncols; i++)
			if (t->c[r * ncols + i].width > width[i])
				width[i] = t->c[r * ncols + i].width;
	if (w->width)
		fit_width(width, ncols, w->width);
	for (size_t r = first; r <= t->rows && rc == 0; r++) {
		put_row(w, width, r);
		if (w->out.len >= (64u << 10) || r == t->rows)
			rc = crm_rio_flush_out(w);
	}
	free(width);
	return rc;
}

void crm_rio_table_free(struct crm_rio_table *t)
{
	if (!t)
		return;
	crm_buf_release(&t->text);
	free(t->c);
	free(t);
}
