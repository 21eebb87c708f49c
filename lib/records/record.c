/* record.c - records, format names, UTF-8 helpers, reader detection and
 * writer dispatch. The formats themselves are in record_*.c. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "record.h"
#include "record_impl.h"
#include "util.h"

#define BOM "\xEF\xBB\xBF"

/* Input is read in chunks of this size at most. */
#define IN_CHUNK (64u << 10)

static const char *const fmt_names[] = {
    [CRM_FMT_AUTO] = "auto",	 [CRM_FMT_CSV] = "csv",
    [CRM_FMT_TSV] = "tsv",	 [CRM_FMT_JSON] = "json",
    [CRM_FMT_NDJSON] = "ndjson", [CRM_FMT_TABLE] = "table",
    [CRM_FMT_HTML] = "html",
};

int crm_fmt_parse(const char *s)
{
	for (size_t i = 0; s && i < sizeof(fmt_names) / sizeof(*fmt_names); i++)
		if (strcmp(s, fmt_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *crm_fmt_name(enum crm_fmt f)
{
	if ((unsigned)f < sizeof(fmt_names) / sizeof(*fmt_names))
		return fmt_names[f];
	return "unknown";
}

/* Records */

void crm_rec_init(struct crm_rec *r)
{
	memset(r, 0, sizeof(*r));
}

void crm_rec_release(struct crm_rec *r)
{
	crm_buf_release(&r->arena);
	free(r->f);
	memset(r, 0, sizeof(*r));
}

void crm_rec_clear(struct crm_rec *r)
{
	crm_buf_reset(&r->arena);
	r->n = 0;
	r->line = 0;
	r->borrowed = false;
}

/* Offset of p if it points into the arena (callers may pass a name or
 * value of the same record, which growing the arena would invalidate). */
static bool in_arena(const struct crm_rec *r, const char *p, size_t *off)
{
	if (!p || !r->arena.s || p < r->arena.s ||
	    p >= r->arena.s + r->arena.cap)
		return false;
	*off = (size_t)(p - r->arena.s);
	return true;
}

/* Append s (n bytes) and a NUL to the arena, whose room the caller has
 * reserved (n + 2 bytes: the NUL crm_buf keeps past len too); return its
 * offset. A copy per value of every record written: no growth check. */
static size_t arena_add(struct crm_rec *r, const char *s, size_t n)
{
	size_t at = r->arena.len;

	if (n)
		memcpy(r->arena.s + at, s, n);
	r->arena.s[at + n] = '\0';
	r->arena.len = at + n + 1;
	r->arena.s[r->arena.len] = '\0';
	return at;
}

/* Copy name and value into the arena; *nofs, *vofs get their offsets. */
static void add_pair(struct crm_rec *r, const char *name, size_t nlen,
		     const char *val, size_t vlen, size_t *nofs, size_t *vofs)
{
	size_t no = 0, vo = 0;
	bool nin = in_arena(r, name, &no), vin = in_arena(r, val, &vo);

	if (r->arena.len + nlen + vlen + 3 > r->arena.cap)
		r->arena.s = crm_xgrow(r->arena.s, &r->arena.cap,
				       r->arena.len + nlen + vlen + 3, 1);
	if (nin)
		name = r->arena.s + no;
	if (vin)
		val = r->arena.s + vo;
	*nofs = name ? arena_add(r, name, nlen) : 0;
	*vofs = arena_add(r, val ? val : "", val ? vlen : 0);
}

/* Append a field when the room is reserved and name and val (vlen bytes,
 * ignored when kind is CRM_NULL) are outside the arena. */
static void rec_put(struct crm_rec *r, const char *name, const char *val,
		    size_t vlen, enum crm_kind kind)
{
	struct crm_rec_field *f = &r->f[r->n++];
	size_t nlen = strlen(name);
	char *p = r->arena.s + r->arena.len;

	if (kind == CRM_NULL)
		vlen = 0;
	f->name = r->arena.len;
	memcpy(p, name, nlen + 1);
	f->val = r->arena.len + nlen + 1;
	if (vlen)
		memcpy(p + nlen + 1, val, vlen);
	p[nlen + 1 + vlen] = '\0';
	f->vlen = vlen;
	f->kind = kind;
	f->bname = f->bval = NULL;
	r->arena.len += nlen + vlen + 2;
	r->arena.s[r->arena.len] = '\0'; /* as crm_buf keeps it */
}

void crm_rec_add(struct crm_rec *r, const char *name, size_t nlen,
		 const char *val, size_t vlen, enum crm_kind kind)
{
	struct crm_rec_field *f;

	if (r->n + 1 > r->cap)
		r->f = crm_xgrow(r->f, &r->cap, r->n + 1, sizeof(*r->f));
	f = &r->f[r->n++];
	if (!val || kind == CRM_NULL) {
		val = NULL;
		vlen = 0;
		kind = CRM_NULL;
	}
	add_pair(r, name, nlen, val, vlen, &f->name, &f->val);
	f->bname = f->bval = NULL;
	f->vlen = vlen;
	f->kind = kind;
}

void crm_rec_room(struct crm_rec *r)
{
	r->f = crm_xgrow(r->f, &r->cap, r->n + 1, sizeof(*r->f));
}

void crm_rec_adds(struct crm_rec *r, const char *name, const char *val)
{
	crm_rec_add(r, name, strlen(name), val, val ? strlen(val) : 0,
		    val ? CRM_STR : CRM_NULL);
}

void crm_rec_set(struct crm_rec *r, const char *name, const char *val,
		 enum crm_kind kind)
{
	long i = crm_rec_find(r, name);
	size_t vlen = val ? strlen(val) : 0, nofs, vofs;

	if (i < 0) {
		crm_rec_add(r, name, strlen(name), val, vlen, kind);
		return;
	}
	if (!val || kind == CRM_NULL) {
		val = NULL;
		kind = CRM_NULL;
	}
	/* The old value stays in the arena until the record is cleared. */
	add_pair(r, NULL, 0, val, vlen, &nofs, &vofs);
	r->f[i].val = vofs;
	r->f[i].bval = NULL;
	r->f[i].vlen = vlen;
	r->f[i].kind = kind;
}

long crm_rec_find(const struct crm_rec *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(crm_rec_name(r, i), name) == 0)
			return (long)i;
	return -1;
}

const char *crm_rec_name(const struct crm_rec *r, size_t i)
{
	return r->f[i].bname ? r->f[i].bname : r->arena.s + r->f[i].name;
}

const char *crm_rec_val(const struct crm_rec *r, size_t i)
{
	if (r->f[i].kind == CRM_NULL)
		return NULL;
	return r->f[i].bval ? r->f[i].bval : r->arena.s + r->f[i].val;
}

size_t crm_rec_vlen(const struct crm_rec *r, size_t i)
{
	return r->f[i].vlen;
}

enum crm_kind crm_rec_kind(const struct crm_rec *r, size_t i)
{
	return r->f[i].kind;
}

const char *crm_rec_get(const struct crm_rec *r, const char *name)
{
	long i = crm_rec_find(r, name);

	return i < 0 ? NULL : crm_rec_val(r, (size_t)i);
}

void crm_rec_copy(struct crm_rec *dst, const struct crm_rec *src)
{
	if (dst == src)
		return;
	crm_rec_clear(dst);
	if (src->borrowed) { /* the copy owns its text */
		for (size_t i = 0; i < src->n; i++) {
			const char *name = crm_rec_name(src, i);

			crm_rec_add(dst, name, strlen(name),
				    crm_rec_val(src, i), src->f[i].vlen,
				    src->f[i].kind);
		}
		dst->line = src->line;
		return;
	}
	crm_buf_add(&dst->arena, src->arena.s ? src->arena.s : "",
		    src->arena.len);
	dst->f = crm_xgrow(dst->f, &dst->cap, src->n, sizeof(*dst->f));
	if (src->n)
		memcpy(dst->f, src->f, src->n * sizeof(*src->f));
	dst->n = src->n;
	dst->line = src->line;
}

/* UTF-8 */

bool crm_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i];
		size_t n;
		unsigned lo = 0x80, hi = 0xBF;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* above U+10FFFF */
		} else {
			goto invalid;
		}
		if (len - i <= n || p[i + 1] < lo || p[i + 1] > hi)
			goto invalid;
		for (size_t k = 2; k <= n; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				goto invalid;
		i += n + 1;
	}
	return true;
invalid:
	if (bad)
		*bad = i;
	return false;
}

size_t crm_display_width(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t w = 0, i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;
		int cw;

		if (p[i] < 0x80) {
			w += p[i] >= 0x20 && p[i] != 0x7f;
			i++;
			continue;
		}
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			w++; /* a stray byte: shown as one replacement */
			i++;
			continue;
		}
		cw = utf8proc_charwidth(cp);
		if (cw > 0)
			w += (size_t)cw;
		i += (size_t)n;
	}
	return w;
}

/* Input buffer */

/* Conversion of the input from another character set to UTF-8. */
struct crm_rio_conv {
	iconv_t cd;
	char name[64]; /* the character set, for messages */
	char *raw;     /* read, not yet converted */
	size_t rawlen, rawcap;
	long lines; /* newlines converted so far */
	bool eof;   /* no more raw input */
	bool bad;   /* conversion failed at line bad_line: bad_msg */
	long bad_line;
	char bad_msg[160];
};

/* Move the unconsumed bytes down once half the buffer is spent, so memory
 * follows the largest pending item, not the input size. */
static void compact(struct crm_rio_in *in)
{
	if (in->pos > 0 && (in->pos == in->len || in->pos >= in->cap / 2)) {
		memmove(in->s, in->s + in->pos, in->len - in->pos);
		in->len -= in->pos;
		in->pos = 0;
	}
}

/* Note why conversion stopped at raw byte p (ilseq: an invalid sequence,
 * else the input ended inside a character). */
static void conv_bad(struct crm_rio_conv *cv, const char *p, bool ilseq)
{
	cv->bad = true;
	cv->bad_line = cv->lines + 1;
	if (ilseq) {
		snprintf(cv->bad_msg, sizeof(cv->bad_msg),
			 "invalid %s: byte 0x%02X", cv->name,
			 (unsigned char)*p);
	} else {
		snprintf(cv->bad_msg, sizeof(cv->bad_msg),
			 "invalid %s: input ends inside a character", cv->name);
	}
}

/* Convert the raw bytes read so far into in->s. Returns the bytes added;
 * sets cv->bad when the input is not valid in the character set. */
static size_t convert(struct crm_rio_in *in, struct crm_rio_conv *cv)
{
	char *ip = cv->raw, *op;
	size_t il = cv->rawlen, ol, made;
	int e = 0;

	/* 4 bytes out per byte in is the most any character set needs */
	in->s = crm_xgrow(in->s, &in->cap, in->len + 4 * il + 16, 1);
	op = in->s + in->len;
	ol = in->cap - in->len - 1;
	if (iconv(cv->cd, &ip, &il, &op, &ol) == (size_t)-1)
		e = errno;
	else if (cv->eof && il == 0)
		iconv(cv->cd, NULL, NULL, &op, &ol); /* reset shift state */
	made = (size_t)(op - (in->s + in->len));
	for (const char *p = in->s + in->len;
	     (p = memchr(p, '\n', (size_t)(op - p))); p++)
		cv->lines++;
	/* E2BIG: convert the rest next time; EINVAL: the input so far ends
	 * inside a character, which more input may complete */
	if (e && e != E2BIG && (e != EINVAL || cv->eof))
		conv_bad(cv, ip, e == EILSEQ);
	in->len += made;
	memmove(cv->raw, ip, il);
	cv->rawlen = il;
	return made;
}

/* crm_rio_fill for converted input: from a pipe, byte by byte until a
 * whole line is converted. */
static int fill_conv(struct crm_rio_in *in)
{
	struct crm_rio_conv *cv = in->conv;
	size_t got = 0;
	bool line = false;

	compact(in);
	while (!cv->bad && !(got && (in->file || line))) {
		size_t n = 0;
		int c = 0;

		if (cv->eof && cv->rawlen == 0)
			break;
		cv->raw =
		    crm_xgrow(cv->raw, &cv->rawcap, cv->rawlen + IN_CHUNK, 1);
		if (!cv->eof && in->file) {
			n = fread(cv->raw + cv->rawlen, 1, IN_CHUNK, in->fp);
			c = n < IN_CHUNK ? EOF : 0;
		} else if (!cv->eof && (c = getc(in->fp)) != EOF) {
			cv->raw[cv->rawlen + n++] = (char)c;
		}
		cv->rawlen += n;
		if (c == EOF && ferror(in->fp)) {
			in->err = errno ? errno : EIO;
			return -1;
		}
		if (c == EOF)
			cv->eof = true;
		n = convert(in, cv);
		line = line || (n && memchr(in->s + in->len - n, '\n', n));
		got += n;
	}
	in->s[in->len] = '\0';
	if (got)
		return 1;
	if (cv->bad) {
		in->err = EILSEQ;
		return -1;
	}
	in->eof = true;
	return 0;
}

int crm_rio_fill(struct crm_rio_in *in)
{
	size_t got = 0;
	int c = 0;

	if (in->eof)
		return 0;
	if (in->conv)
		return fill_conv(in);
	compact(in);
	in->s = crm_xgrow(in->s, &in->cap, in->len + IN_CHUNK + 1, 1);
	flockfile(in->fp);
	if (in->file) {
		got = fread_unlocked(in->s + in->len, 1, IN_CHUNK, in->fp);
		c = got < IN_CHUNK ? EOF : 0;
	}
	while (!in->file && got < IN_CHUNK &&
	       (c = getc_unlocked(in->fp)) != EOF) {
		in->s[in->len + got++] = (char)c;
		if (c == '\n')
			break;
	}
	if (c == EOF && ferror(in->fp))
		in->err = errno ? errno : EIO;
	funlockfile(in->fp);
	in->len += got;
	in->s[in->len] = '\0';
	if (got)
		return 1;
	if (in->err)
		return -1;
	in->eof = true;
	return 0;
}

int crm_rio_line(struct crm_rio_in *in, size_t max, size_t *len)
{
	size_t scanned = 0; /* relative to pos, which filling may move */

	for (;;) {
		const char *start = in->s + in->pos, *nl;
		size_t have = in->len - in->pos;
		int rc;

		nl = have > scanned
			 ? memchr(start + scanned, '\n', have - scanned)
			 : NULL;
		if (nl) {
			*len = (size_t)(nl - start) + 1;
			return *len - 1 > max ? -2 : 1;
		}
		if (have > max)
			return -2;
		scanned = have;
		rc = crm_rio_fill(in);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			*len = in->len - in->pos;
			return *len > 0;
		}
	}
}

/* Rows */

void crm_rio_cells_reset(struct crm_rio_cells *row)
{
	crm_buf_reset(&row->data);
	crm_buf_str(&row->data); /* never NULL, even if all cells are null */
	row->n = 0;
}

void crm_rio_cells_add(struct crm_rio_cells *row, const char *s, size_t len,
		       bool null)
{
	struct crm_rio_cell *c;

	row->c = crm_xgrow(row->c, &row->cap, row->n + 1, sizeof(*row->c));
	c = &row->c[row->n++];
	c->off = row->data.len;
	c->len = null ? 0 : len;
	c->null = null;
	if (!null)
		crm_buf_add(&row->data, s, len);
}

/* Readers */

int crm_rio_fail(struct crm_reader *r, struct crm_err *err, long line, long col,
		 const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crm_err_vat(err, CRM_EX_DATAERR, r->name, line, field, fmt, ap);
	va_end(ap);
	err->col = col;
	r->failed = *err;
	r->state = -1;
	return -1;
}

int crm_rio_next_line(struct crm_reader *r, const char **s, size_t *len,
		      struct crm_err *err)
{
	int rc = crm_rio_line(&r->in, CRM_MAX_RECORD, len);

	if (rc == -1)
		return crm_rio_ioerr(r, err);
	if (rc == -2)
		return crm_rio_fail(r, err, r->line, 0, NULL,
				    "line longer than %u bytes",
				    CRM_MAX_RECORD);
	if (rc == 0) {
		r->state = 1;
		return 0;
	}
	*s = r->in.s + r->in.pos;
	r->in.pos += *len;
	r->line++;
	return 1;
}

static void buf_release(struct crm_reader *r)
{
	struct crm_buf *b = r->priv; /* the state's first member */

	if (!b)
		return;
	crm_buf_release(b);
	free(r->priv);
	r->priv = NULL;
}

void crm_rio_buf_reader_init(struct crm_reader *r, size_t size,
			     int (*next)(struct crm_reader *r,
					 struct crm_rec *rec,
					 struct crm_err *err))
{
	r->priv = crm_xcalloc(1, size);
	r->next = next;
	r->release = buf_release;
}

int crm_rio_ioerr(struct crm_reader *r, struct crm_err *err)
{
	if (r->in.conv && r->in.conv->bad)
		crm_err_at(err, CRM_EX_DATAERR, r->name, r->in.conv->bad_line,
			   NULL, "%s", r->in.conv->bad_msg);
	else
		crm_err_at(err, CRM_EX_IOERR, r->name, 0, NULL,
			   "read error: %s", strerror(r->in.err));
	r->failed = *err;
	r->state = -1;
	return -1;
}

/* Report invalid UTF-8 (or a NUL) in s at the line it is on: start is the
 * line s begins on. */
static int check_text(struct crm_reader *r, const char *s, size_t len,
		      long start, long col, const char *field, bool name,
		      struct crm_err *err)
{
	size_t bad;
	const char *nul;
	long line = start;

	if (crm_utf8_valid(s, len, &bad)) {
		nul = memchr(s, '\0', len);
		if (!nul)
			return 0;
		bad = (size_t)(nul - s);
	}
	for (size_t i = 0; i < bad; i++)
		line += s[i] == '\n';
	if (s[bad] == '\0')
		return crm_rio_fail(r, err, line, col, field, "NUL byte in %s",
				    name ? "column name" : "value");
	return crm_rio_fail(r, err, line, col, field,
			    "invalid UTF-8%s (another character set? "
			    "see --encoding)",
			    name ? " in column name" : "");
}

int crm_rio_add_name(struct crm_reader *r, const char *s, size_t len, long line,
		     long col, struct crm_err *err)
{
	if (r->hdr.n >= CRM_MAX_COLUMNS)
		return crm_rio_fail(r, err, line, col, NULL,
				    "more than %d columns", CRM_MAX_COLUMNS);
	if (len == 0)
		return crm_rio_fail(r, err, line, col, NULL,
				    "empty column name");
	if (check_text(r, s, len, line, col, NULL, true, err) < 0)
		return -1;
	if (crm_rio_guarded(s, len)) { /* as for values */
		s++;
		len--;
	}
	for (size_t i = 0; i < r->hdr.n; i++)
		if (strlen(r->hdr.v[i]) == len &&
		    memcmp(r->hdr.v[i], s, len) == 0)
			return crm_rio_fail(r, err, line, col, NULL,
					    "duplicate column '%.*s'", (int)len,
					    s);
	r->hdr.v =
	    crm_xgrow(r->hdr.v, &r->hdr.cap, r->hdr.n + 2, sizeof(*r->hdr.v));
	r->hdr.v[r->hdr.n++] = crm_xstrndup(s, len);
	r->hdr.v[r->hdr.n] = NULL;
	return 0;
}

int crm_rio_row_to_rec(struct crm_reader *r, struct crm_rec *rec, long line,
		       struct crm_err *err)
{
	const struct crm_rio_cells *row = &r->row;
	long at = line;
	size_t need;

	if (row->n != r->hdr.n)
		return crm_rio_fail(r, err, line, 0, NULL,
				    "expected %zu fields, found %zu", r->hdr.n,
				    row->n);
	rec->line = line;
	/* room for every name and value at once: this runs per input row */
	need = rec->arena.len + row->data.len;
	for (size_t i = 0; i < row->n; i++)
		need += strlen(r->hdr.v[i]) + 2;
	rec->arena.s = crm_xgrow(rec->arena.s, &rec->arena.cap, need + 1, 1);
	rec->f = crm_xgrow(rec->f, &rec->cap, rec->n + row->n, sizeof(*rec->f));
	for (size_t i = 0; i < row->n; i++) {
		const struct crm_rio_cell *c = &row->c[i];
		const char *s = row->data.s + c->off, *nl;
		const char *name = r->hdr.v[i];
		size_t len = c->len;

		if (c->null) {
			rec_put(rec, name, NULL, 0, CRM_NULL);
			continue;
		}
		if (check_text(r, s, len, at, (long)i + 1, name, false, err) <
		    0)
			return -1;
		/* Later cells start on later lines after embedded newlines. */
		for (const char *p = s;
		     (nl = memchr(p, '\n', len - (size_t)(p - s))); p = nl + 1)
			at++;
		if (crm_rio_guarded(s, len)) { /* a writer's guard: drop it */
			s++;
			len--;
		}
		rec_put(rec, name, s, len, CRM_STR);
	}
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skip a BOM and leading blank lines, then pick the format from the first
 * non-blank byte. Returns 1 when there is input, 0 when there is none. */
static int detect(struct crm_reader *r, enum crm_fmt want, struct crm_err *err)
{
	struct crm_rio_in *in = &r->in;
	size_t i, len;
	int rc;

	/* Read on only while the input may still be a BOM, so that a short
	 * first line on a pipe is not held up. */
	while (in->len < 3 && memcmp(in->s ? in->s : "", BOM, in->len) == 0 &&
	       (rc = crm_rio_fill(in)) != 0)
		if (rc < 0)
			return crm_rio_ioerr(r, err);
	if (in->len >= 3 && memcmp(in->s, BOM, 3) == 0)
		in->pos = 3;
	for (;;) {
		for (i = in->pos; i < in->len && is_blank(in->s[i]); i++)
			if (in->s[i] == '\n') {
				/* A blank line: drop it so memory stays
				 * bounded whatever the amount of blank. */
				r->line++;
				in->pos = i + 1;
			}
		if (i < in->len)
			break;
		if (i - in->pos > CRM_MAX_RECORD)
			in->pos = i; /* an endless line of spaces */
		rc = crm_rio_fill(in);
		if (rc < 0)
			return crm_rio_ioerr(r, err);
		if (rc == 0) {
			r->fmt = want ? want : CRM_FMT_CSV;
			return 0;
		}
	}
	if (want != CRM_FMT_AUTO) {
		r->fmt = want;
		return 1;
	}
	if (in->s[i] == '[' || in->s[i] == '{') {
		r->fmt = in->s[i] == '[' ? CRM_FMT_JSON : CRM_FMT_NDJSON;
		return 1;
	}
	rc = crm_rio_line(in, CRM_MAX_RECORD, &len);
	if (rc == -1)
		return crm_rio_ioerr(r, err);
	if (rc == -2)
		len = in->len - in->pos; /* the CSV parser reports the size */
	r->fmt = CRM_FMT_CSV;
	if (!r->delim && memchr(in->s + in->pos, '\t', len) &&
	    !memchr(in->s + in->pos, ',', len))
		r->fmt = CRM_FMT_TSV;
	return 1;
}

/* The CSV separator when not given: ';' when the header line has
 * semicolons and no commas or tabs (European Excel), else ','. */
static char detect_delim(struct crm_reader *r)
{
	struct crm_rio_in *in = &r->in;
	size_t len;
	const char *s;
	int rc = in->pos < in->len ? crm_rio_line(in, CRM_MAX_RECORD, &len) : 0;

	if (rc == -2)
		len = in->len - in->pos;
	else if (rc <= 0)
		return ',';
	s = in->s + in->pos;
	return memchr(s, ';', len) && !memchr(s, ',', len) &&
		       !memchr(s, '\t', len)
		   ? ';'
		   : ',';
}

/* Whether s (n bytes) may still turn out to start with a byte order mark
 * when more is read. */
static bool bom_prefix(const char *s, size_t n)
{
	return n < 3 && (memcmp(s, BOM, n) == 0 ||
			 memcmp(s, "\xFF\xFE", n < 2 ? n : 2) == 0 ||
			 memcmp(s, "\xFE\xFF", n < 2 ? n : 2) == 0);
}

static bool is_utf8_name(const char *s)
{
	return !strcasecmp(s, "UTF-8") || !strcasecmp(s, "UTF8");
}

/* Set up conversion to UTF-8: from UTF-16 when the input starts with its
 * byte order mark, else from enc unless it is UTF-8 (or NULL). */
static int setup_encoding(struct crm_reader *r, const char *enc,
			  struct crm_err *err)
{
	struct crm_rio_in *in = &r->in;
	struct crm_rio_conv *cv;
	const char *from = enc;
	size_t skip = 0;
	int rc;

	while (bom_prefix(in->s ? in->s : "", in->len) &&
	       (rc = crm_rio_fill(in)) != 0)
		if (rc < 0)
			return crm_rio_ioerr(r, err);
	if (in->len >= 3 && memcmp(in->s, BOM, 3) == 0)
		return 0;
	if (in->len >= 2 && memcmp(in->s, "\xFF\xFE", 2) == 0)
		from = "UTF-16LE", skip = 2;
	else if (in->len >= 2 && memcmp(in->s, "\xFE\xFF", 2) == 0)
		from = "UTF-16BE", skip = 2;
	if (!from || is_utf8_name(from))
		return 0;
	cv = crm_xcalloc(1, sizeof(*cv));
	cv->cd = iconv_open("UTF-8", from);
	if (cv->cd == (iconv_t)-1) {
		free(cv);
		return crm_err_at(err, CRM_EX_USAGE, r->name, 0, NULL,
				  "unknown character set '%s' (iconv -l lists "
				  "them)",
				  from);
	}
	snprintf(cv->name, sizeof(cv->name), "%s", from);
	for (char *p = cv->name; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	/* what was read so far is raw input */
	cv->rawlen = in->len - skip;
	cv->raw = crm_xgrow(cv->raw, &cv->rawcap, cv->rawlen + 1, 1);
	memcpy(cv->raw, in->s + skip, cv->rawlen);
	cv->eof = in->eof; /* a short input may be read to its end already */
	in->eof = false;
	in->len = in->pos = 0;
	in->conv = cv;
	return 0;
}

struct crm_reader *crm_reader_open(FILE *fp, const char *name, enum crm_fmt fmt,
				   struct crm_err *err)
{
	struct crm_read_opts o = {.fmt = fmt};

	return crm_reader_open_with(fp, name, &o, err);
}

struct crm_reader *crm_reader_open_with(FILE *fp, const char *name,
					const struct crm_read_opts *o,
					struct crm_err *err)
{
	static const struct crm_read_opts defaults;
	struct crm_reader *r;
	struct stat sb;
	enum crm_fmt fmt;
	int rc;

	if (!o)
		o = &defaults;
	fmt = o->fmt;
	if (fmt == CRM_FMT_TABLE || (unsigned)fmt > CRM_FMT_TABLE) {
		crm_err_at(err, CRM_EX_USAGE, name, 0, NULL,
			   "cannot read format '%s'", crm_fmt_name(fmt));
		return NULL;
	}
	r = crm_xcalloc(1, sizeof(*r));
	r->in.fp = fp;
	r->in.file = fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode);
	r->name =
	    crm_xstrdup(!name || strcmp(name, "-") == 0 ? "<stdin>" : name);
	r->line = 1;
	r->col = 1;
	r->delim = o->delim;
	r->strict = o->strict;
	rc = setup_encoding(r, o->encoding, err);
	if (rc == 0)
		rc = detect(r, fmt, err);
	if (rc > 0 && r->fmt == CRM_FMT_CSV && !r->delim)
		r->delim = detect_delim(r);
	if (rc < 0) {
		crm_reader_free(r);
		return NULL;
	}
	if (rc == 0)
		r->state = 1;
	switch (r->fmt) {
	case CRM_FMT_TSV:
		crm_rio_tsv_reader_init(r);
		break;
	case CRM_FMT_JSON:
		crm_rio_json_reader_init(r);
		break;
	case CRM_FMT_NDJSON:
		crm_rio_ndjson_reader_init(r);
		break;
	default:
		crm_rio_csv_reader_init(r);
		break;
	}
	return r;
}

int crm_reader_next(struct crm_reader *r, struct crm_rec *rec,
		    struct crm_err *err)
{
	crm_rec_clear(rec);
	if (r->state < 0) {
		*err = r->failed;
		return -1;
	}
	if (r->state > 0)
		return 0;
	crm_rio_cells_reset(&r->row);
	return r->next(r, rec, err);
}

enum crm_fmt crm_reader_format(const struct crm_reader *r)
{
	return r->fmt;
}

bool crm_reader_regular(const struct crm_reader *r)
{
	return r->in.file;
}

const char *crm_reader_name(const struct crm_reader *r)
{
	return r->name;
}

const char *const *crm_reader_header(const struct crm_reader *r, size_t *n)
{
	*n = r->hdr.n;
	return r->hdr.n ? (const char *const *)r->hdr.v : NULL;
}

void crm_reader_free(struct crm_reader *r)
{
	if (!r)
		return;
	if (r->release)
		r->release(r);
	if (r->in.conv) {
		iconv_close(r->in.conv->cd);
		free(r->in.conv->raw);
		free(r->in.conv);
	}
	free(r->in.s);
	free(r->name);
	crm_strv_release(&r->hdr);
	crm_buf_release(&r->row.data);
	free(r->row.c);
	free(r);
}

/* Writers */

struct crm_writer *crm_writer_open(FILE *fp, enum crm_fmt fmt,
				   const char *const *cols, size_t ncols,
				   unsigned flags)
{
	struct crm_writer *w;

	if (fmt == CRM_FMT_AUTO || (unsigned)fmt > CRM_FMT_TABLE)
		return NULL;
	w = crm_xcalloc(1, sizeof(*w));
	w->fp = fp;
	w->fmt = fmt;
	w->flags = flags;
	for (size_t i = 0; i < ncols; i++)
		crm_strv_push(&w->cols, cols[i]);
	return w;
}

const struct crm_strv *crm_writer_cols(const struct crm_writer *w)
{
	return &w->cols;
}

void crm_writer_width(struct crm_writer *w, size_t width)
{
	if (w)
		w->width = width;
}

int crm_writer_write(struct crm_writer *w, const struct crm_rec *rec)
{
	int rc;

	switch (w->fmt) {
	case CRM_FMT_CSV:
		rc = crm_rio_csv_write(w, rec);
		break;
	case CRM_FMT_TSV:
		rc = crm_rio_tsv_write(w, rec);
		break;
	case CRM_FMT_TABLE:
		return crm_rio_table_write(w, rec);
	default:
		rc = crm_rio_json_write(w, rec);
		break;
	}
	w->nrec++;
	return rc;
}

int crm_writer_close(struct crm_writer *w)
{
	int rc;

	switch (w->fmt) {
	case CRM_FMT_CSV:
		rc = crm_rio_csv_close(w);
		break;
	case CRM_FMT_TSV:
		rc = crm_rio_tsv_close(w);
		break;
	case CRM_FMT_TABLE:
		rc = crm_rio_table_close(w);
		break;
	default:
		rc = crm_rio_json_close(w);
		break;
	}
	if (fflush(w->fp) == EOF || ferror(w->fp))
		rc = -1;
	return rc;
}

void crm_writer_free(struct crm_writer *w)
{
	if (!w)
		return;
	crm_rio_table_free(w->table);
	crm_strv_release(&w->cols);
	crm_strv_release(&w->keys);
	crm_buf_release(&w->out);
	free(w);
}

long crm_rio_field(const struct crm_writer *w, const struct crm_rec *rec,
		   size_t i)
{
	const char *name = w->cols.v[i];

	if (i < rec->n && strcmp(crm_rec_name(rec, i), name) == 0)
		return (long)i;
	return crm_rec_find(rec, name);
}

int crm_rio_flush_out(struct crm_writer *w)
{
	size_t n = w->out.len;

	/* reset after writing: crm_buf_reset puts a NUL at the start */
	if (n && fwrite(w->out.s, 1, n, w->fp) != n)
		return -1;
	crm_buf_reset(&w->out);
	return ferror(w->fp) ? -1 : 0;
}

bool crm_rio_numeric(const char *s, size_t len)
{
	size_t i = 0, d = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		d++;
	if (i < len && s[i] == '.') {
		size_t f = 0;

		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			f++;
		if (!f)
			return false;
	}
	if (!d)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t e = 0;

		if (++i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			e++;
		if (!e)
			return false;
	}
	return i == len;
}

bool crm_rio_formula_like(const char *s, size_t len)
{
	return len > 0 && s[0] != '\0' && strchr("=+-@\t\r", s[0]) &&
	       !crm_rio_numeric(s, len);
}

bool crm_rio_guarded(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == '\'')
		i++;
	return i > 0 && crm_rio_formula_like(s + i, len - i);
}
