/* record_json.c - JSON array and NDJSON readers and writers. jansson
 * validates each object; numbers and nested values keep their input text. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "record_impl.h"
#include "util.h"

/* Where the array reader is. */
enum {
	J_START, /* before '[' */
	J_FIRST, /* after '[': an object or ']' */
	J_ELEM,	 /* after ',': an object */
	J_AFTER, /* after an object: ',' or ']' */
	J_END,	 /* after ']': only whitespace */
};

/* Ints as reals: jansson's values are never used for numbers (their text
 * is), so integers beyond 64 bits load instead of failing. */
#define LOAD_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL)

struct json_state {
	struct crm_buf
	    tmp; /* a compacted value; first: crm_rio_buf_reader_init */
	int st;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Bracket depth outside strings, resumable across reads; with limit set,
 * also the members of the outer object, so that a record with a million
 * fields fails before jansson builds it. */
struct jscan {
	int depth;
	bool str, esc, limit;
	long members; /* commas at depth 1 */
};

/* Scan s[0, n). Returns 1 when the depth returns to 0 (*used bytes up to
 * and including that bracket), -1 when it exceeds CRM_MAX_DEPTH (*used
 * bytes before the offending bracket), -2 with limit set when the outer
 * object has more than CRM_MAX_COLUMNS members (*used bytes before the
 * comma), 0 when more input is needed. */
static int jscan(struct jscan *js, const char *s, size_t n, size_t *used)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (js->str) {
			if (js->esc)
				js->esc = false;
			else if (c == '\\')
				js->esc = true;
			else if (c == '"')
				js->str = false;
		} else if (c == '"') {
			js->str = true;
		} else if (c == '{' || c == '[') {
			if (++js->depth > CRM_MAX_DEPTH) {
				*used = i;
				return -1;
			}
		} else if ((c == '}' || c == ']') && js->depth > 0) {
			if (--js->depth == 0) {
				*used = i + 1;
				return 1;
			}
		} else if (c == ',' && js->depth == 1 && js->limit &&
			   ++js->members >= CRM_MAX_COLUMNS) {
			*used = i;
			return -2;
		}
	}
	*used = n;
	return 0;
}

#define WIDE_MSG "more than %d fields", CRM_MAX_COLUMNS

/* Line and column of s[off], given those of s[0]. */
static void locate(const char *s, size_t off, long *line, long *col)
{
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

/* Spans of one object member in raw text: the key with its quotes, and
 * the value. */
struct member {
	size_t ks, ke, vs, ve;
};

static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && is_ws(s[i]))
		i++;
	return i;
}

static size_t skip_str(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return n;
}

static size_t skip_value(const char *s, size_t n, size_t i)
{
	struct jscan js = {0};
	size_t used;

	if (i < n && s[i] == '"')
		return skip_str(s, n, i);
	if (i < n && (s[i] == '{' || s[i] == '[')) {
		jscan(&js, s + i, n - i, &used);
		return i + used;
	}
	while (i < n && !is_ws(s[i]) && s[i] != ',' && s[i] != '}' &&
	       s[i] != ']')
		i++;
	return i;
}

/* The next member of the object text s from *i (1 after the '{' at
 * first). Returns false at the end or on anything unexpected; s need not
 * be valid JSON. */
static bool next_member(const char *s, size_t n, size_t *i, struct member *m)
{
	size_t j = skip_ws(s, n, *i);

	if (j < n && s[j] == ',')
		j = skip_ws(s, n, j + 1);
	if (j >= n || s[j] != '"')
		return false;
	m->ks = j;
	m->ke = j = skip_str(s, n, j);
	j = skip_ws(s, n, j);
	if (j >= n || s[j] != ':')
		return false;
	m->vs = j = skip_ws(s, n, j + 1);
	m->ve = j = skip_value(s, n, j);
	*i = j;
	return m->ve > m->vs;
}

/* Copy JSON text without the whitespace outside strings. */
static void compact(struct crm_buf *b, const char *s, size_t n)
{
	bool str = false, esc = false;
	size_t run = 0; /* start of bytes not yet copied */

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				str = false;
		} else if (c == '"') {
			str = true;
		} else if (is_ws(c)) {
			crm_buf_add(b, s + run, i - run);
			run = i + 1;
		}
	}
	crm_buf_add(b, s + run, n - run);
}

/* Report a jansson error for the text s (n bytes) starting at line, col.
 * For invalid UTF-8, name the member it is in when its key is plain. */
static int load_fail(struct crm_reader *r, const json_error_t *je,
		     const char *s, size_t n, long line, long col,
		     struct crm_err *err)
{
	size_t pos = je->position > 0 ? (size_t)je->position : 0;
	size_t i = 1, bad;
	struct member m;
	char field[128] = "";
	bool in_key = false;

	if (pos > n)
		pos = n;
	/* jansson stops at the first bad byte, which is the first one in s. */
	if (json_error_code(je) == json_error_invalid_utf8 &&
	    !crm_utf8_valid(s, n, &bad))
		pos = bad + 1;
	/* jansson points after the token: report its last byte. */
	locate(s, pos ? pos - 1 : 0, &line, &col);
	/* jansson's own words name its flag; say what the input holds */
	if (json_error_code(je) == json_error_null_character)
		return crm_rio_fail(r, err, line, col, NULL,
				    "NUL character (\\u0000) in a string");
	if (json_error_code(je) != json_error_invalid_utf8)
		return crm_rio_fail(r, err, line, col, NULL, "%s", je->text);
	while (next_member(s, n, &i, &m)) {
		size_t klen = m.ke - m.ks - 2;

		if (pos > m.ve)
			continue;
		in_key = pos <= m.ke;
		if (!in_key && klen < sizeof(field) &&
		    !memchr(s + m.ks + 1, '\\', klen) &&
		    crm_utf8_valid(s + m.ks + 1, klen, NULL))
			snprintf(field, sizeof(field), "%.*s", (int)klen,
				 s + m.ks + 1);
		break;
	}
	return crm_rio_fail(r, err, line, col, field, "invalid UTF-8%s",
			    in_key ? " in column name" : "");
}

/* Fail for the member whose key starts at raw[off] (0 when unknown). */
static int member_fail(struct crm_reader *r, struct crm_err *err,
		       const char *raw, size_t off, long line, long col,
		       const char *field, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

static int member_fail(struct crm_reader *r, struct crm_err *err,
		       const char *raw, size_t off, long line, long col,
		       const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	locate(raw, off, &line, &col);
	return crm_rio_fail(r, err, line, col, field, "%s", msg);
}

/* Fill rec from obj, whose text is raw (n bytes from its '{', at line,
 * col). Members come in input order (jansson keeps insertion order), so
 * the raw scan walks alongside and gives each value's own text. */
static int obj_to_rec(struct crm_reader *r, struct json_state *st, json_t *obj,
		      const char *raw, size_t n, long line, long col,
		      struct crm_rec *rec, struct crm_err *err)
{
	const char *key;
	json_t *v;
	size_t i = 1;

	rec->line = line;
	json_object_foreach(obj, key, v)
	{
		struct member m = {0};
		bool have = next_member(raw, n, &i, &m);
		size_t klen = strlen(key), len = 0;
		const char *val = NULL;
		enum crm_kind kind = CRM_RAW;
		char *dump = NULL;

		if (rec->n >= CRM_MAX_COLUMNS)
			return member_fail(r, err, raw, m.ks, line, col, NULL,
					   "more than %d fields",
					   CRM_MAX_COLUMNS);
		if (klen == 0)
			return member_fail(r, err, raw, m.ks, line, col, NULL,
					   "empty column name");
		switch (json_typeof(v)) {
		case JSON_STRING:
			val = json_string_value(v);
			len = json_string_length(v);
			kind = CRM_STR;
			break;
		case JSON_NULL:
			kind = CRM_NULL;
			break;
		default:
			crm_buf_reset(&st->tmp);
			if (have) {
				compact(&st->tmp, raw + m.vs, m.ve - m.vs);
			} else {
				/* Not expected: jansson validated raw. */
				dump = json_dumps(v, JSON_COMPACT |
							 JSON_ENCODE_ANY);
				crm_buf_adds(&st->tmp, dump ? dump : "null");
				free(dump);
			}
			val = st->tmp.s;
			len = st->tmp.len;
			break;
		}
		if (len > CRM_MAX_FIELD)
			return member_fail(r, err, raw, m.ks, line, col, key,
					   "field longer than %u bytes",
					   CRM_MAX_FIELD);
		crm_rec_add(rec, key, klen, val, len, kind);
	}
	/* The header of a JSON input is the first record's keys. */
	if (r->hdr.n == 0)
		for (size_t k = 0; k < rec->n; k++)
			crm_strv_push(&r->hdr, crm_rec_name(rec, k));
	return 0;
}

/* The end of the string at s[i] (its '"') when it is plain: printable
 * ASCII without escapes; else 0. */
static size_t plain_str(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"')
			return i + 1;
		if (c < 0x20 || c > 0x7e || c == '\\')
			return 0;
	}
	return 0;
}

/* Digits from s[i], at most max of them: the end, or 0 when there are
 * none or more. */
static size_t digits(const char *s, size_t n, size_t i, size_t max)
{
	size_t j = i;

	while (j < n && s[j] >= '0' && s[j] <= '9')
		j++;
	return j > i && j - i <= max ? j : 0;
}

/* The end of the scalar at s[i] when it is null, true, false or a
 * number of at most 15 digits before and after its point (no exponent:
 * it cannot overflow a double); else 0. */
static size_t plain_scalar(const char *s, size_t n, size_t i)
{
	static const char *const words[] = {"null", "true", "false"};

	for (size_t w = 0; w < 3; w++) {
		size_t l = strlen(words[w]);

		if (n - i >= l && !memcmp(s + i, words[w], l))
			return i + l;
	}
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (!(i = digits(s, n, i, 15)))
		return 0;
	if (i < n && s[i] == '.')
		i = digits(s, n, i + 1, 15);
	return i;
}

enum { FLAT_MAX = 64 }; /* members the fast path takes */

/* The fast path of load_obj: a flat object whose keys and strings are
 * plain (plain_str) and whose other values are plain_scalar, without a
 * repeated or empty key, is what jansson would load (and obj_to_rec
 * add) alike; such an object goes straight into rec. Returns 1 done, 0
 * when s is anything else (jansson decides, and reports errors). */
static int load_flat(struct crm_reader *r, const char *s, size_t n, long line,
		     struct crm_rec *rec)
{
	struct member m[FLAT_MAX];
	size_t i = skip_ws(s, n, 0), k = 0;

	if (i >= n || s[i] != '{')
		return 0;
	i = skip_ws(s, n, i + 1);
	if (i < n && s[i] == '}')
		goto end;
	for (;;) {
		if (k == FLAT_MAX || i >= n || s[i] != '"')
			return 0;
		m[k].ks = i;
		i = plain_str(s, n, i);
		if (i == 0 || i - m[k].ks == 2)
			return 0;
		m[k].ke = i;
		i = skip_ws(s, n, i);
		if (i >= n || s[i] != ':')
			return 0;
		m[k].vs = i = skip_ws(s, n, i + 1);
		i = i < n && s[i] == '"' ? plain_str(s, n, i)
					 : plain_scalar(s, n, i);
		if (i == 0 || i - m[k].vs > CRM_MAX_FIELD)
			return 0;
		m[k++].ve = i;
		i = skip_ws(s, n, i);
		if (i < n && s[i] == ',') {
			i = skip_ws(s, n, i + 1);
			continue;
		}
		if (i < n && s[i] == '}')
			break;
		return 0;
	}
end:
	if (skip_ws(s, n, i + 1) != n || rec->n + k > CRM_MAX_COLUMNS)
		return 0;
	for (size_t a = 0; a < k; a++)
		for (size_t b = a + 1; b < k; b++)
			if (m[a].ke - m[a].ks == m[b].ke - m[b].ks &&
			    !memcmp(s + m[a].ks, s + m[b].ks,
				    m[a].ke - m[a].ks))
				return 0;
	rec->line = line;
	for (size_t a = 0; a < k; a++) {
		const char *key = s + m[a].ks + 1, *v = s + m[a].vs;
		size_t klen = m[a].ke - m[a].ks - 2, vlen = m[a].ve - m[a].vs;

		if (*v == '"')
			crm_rec_add(rec, key, klen, v + 1, vlen - 2, CRM_STR);
		else if (*v == 'n')
			crm_rec_add(rec, key, klen, NULL, 0, CRM_NULL);
		else
			crm_rec_add(rec, key, klen, v, vlen, CRM_RAW);
	}
	if (r->hdr.n == 0)
		for (size_t a = 0; a < rec->n; a++)
			crm_strv_push(&r->hdr, crm_rec_name(rec, a));
	return 1;
}

/* Parse the object s (n bytes at line, col) into rec. */
static int load_obj(struct crm_reader *r, const char *s, size_t n, long line,
		    long col, struct crm_rec *rec, struct crm_err *err)
{
	json_error_t je;
	json_t *o;
	int rc;

	if (load_flat(r, s, n, line, rec))
		return 0;
	o = json_loadb(s, n, LOAD_FLAGS, &je);
	if (!o)
		return load_fail(r, &je, s, n, line, col, err);
	if (!json_is_object(o)) {
		json_decref(o);
		return crm_rio_fail(r, err, line, col, NULL,
				    "expected a JSON object");
	}
	rc = obj_to_rec(r, r->priv, o, s, n, line, col, rec, err);
	json_decref(o);
	return rc;
}

/* Consume n bytes, keeping line and column. */
static void consume(struct crm_reader *r, size_t n)
{
	locate(r->in.s + r->in.pos, n, &r->line, &r->col);
	r->in.pos += n;
}

/* Skip whitespace. Returns 1 with a byte at in.pos, 0 at end, -1 on a read
 * error. */
static int skip_input_ws(struct crm_reader *r)
{
	struct crm_rio_in *in = &r->in;

	for (;;) {
		size_t i = in->pos;
		int rc;

		while (i < in->len && is_ws(in->s[i]))
			i++;
		consume(r, i - in->pos);
		if (in->pos < in->len)
			return 1;
		rc = crm_rio_fill(in);
		if (rc <= 0)
			return rc;
	}
}

/* Read ahead to the end of the object at in.pos; *end is its length.
 * Returns 0 (the end may be missing at end of input: jansson then says
 * what is wrong) or -1. */
static int scan_elem(struct crm_reader *r, size_t *end, struct crm_err *err)
{
	struct crm_rio_in *in = &r->in;
	struct jscan js = {.limit = true};
	size_t i = 0, used;

	for (;;) {
		int rc = jscan(&js, in->s + in->pos + i, in->len - in->pos - i,
			       &used);
		long line = r->line, col = r->col;

		i += used;
		if (rc > 0) {
			*end = i;
			return 0;
		}
		if (rc == -2) {
			locate(in->s + in->pos, i, &line, &col);
			return crm_rio_fail(r, err, line, col, NULL, WIDE_MSG);
		}
		if (rc < 0) {
			locate(in->s + in->pos, i, &line, &col);
			return crm_rio_fail(r, err, line, col, NULL,
					    "nesting deeper than %d levels",
					    CRM_MAX_DEPTH);
		}
		if (i > CRM_MAX_RECORD)
			return crm_rio_fail(r, err, r->line, r->col, NULL,
					    "record longer than %u bytes",
					    CRM_MAX_RECORD);
		rc = crm_rio_fill(in);
		if (rc < 0)
			return crm_rio_ioerr(r, err);
		if (rc == 0) {
			*end = i;
			return 0;
		}
	}
}

static int json_elem(struct crm_reader *r, struct json_state *st,
		     struct crm_rec *rec, struct crm_err *err)
{
	long line = r->line, col = r->col;
	size_t end = 0;

	if (r->in.s[r->in.pos] != '{')
		return crm_rio_fail(r, err, line, col, NULL,
				    "expected a JSON object");
	if (scan_elem(r, &end, err) < 0 ||
	    load_obj(r, r->in.s + r->in.pos, end, line, col, rec, err) < 0)
		return -1;
	consume(r, end);
	st->st = J_AFTER;
	return 1;
}

static int json_next(struct crm_reader *r, struct crm_rec *rec,
		     struct crm_err *err)
{
	struct json_state *st = r->priv;

	for (;;) {
		int rc = skip_input_ws(r);
		char c;

		if (rc < 0)
			return crm_rio_ioerr(r, err);
		if (rc == 0) {
			if (st->st == J_START || st->st == J_END) {
				r->state = 1;
				return 0;
			}
			return crm_rio_fail(
			    r, err, r->line, r->col, NULL,
			    "unexpected end of input, expected %s",
			    st->st == J_AFTER ? "',' or ']'" : "a JSON object");
		}
		c = r->in.s[r->in.pos];
		switch (st->st) {
		case J_START:
			if (c != '[')
				return crm_rio_fail(r, err, r->line, r->col,
						    NULL,
						    "expected a JSON array");
			consume(r, 1);
			st->st = J_FIRST;
			break;
		case J_FIRST:
			if (c == ']') {
				consume(r, 1);
				st->st = J_END;
				break;
			}
			return json_elem(r, st, rec, err);
		case J_ELEM:
			return json_elem(r, st, rec, err);
		case J_AFTER:
			if (c != ',' && c != ']')
				return crm_rio_fail(r, err, r->line, r->col,
						    NULL,
						    "expected ',' or ']'");
			consume(r, 1);
			st->st = c == ',' ? J_ELEM : J_END;
			break;
		default:
			return crm_rio_fail(
			    r, err, r->line, r->col, NULL,
			    "unexpected data after the closing ']'");
		}
	}
}

static int ndjson_next(struct crm_reader *r, struct crm_rec *rec,
		       struct crm_err *err)
{
	for (;;) {
		long line = r->line;
		size_t len, i = 0, used, off;
		struct jscan js = {0};
		const char *s;
		int rc = crm_rio_next_line(r, &s, &len, err);

		if (rc <= 0)
			return rc;
		i = skip_ws(s, len, 0);
		if (i == len)
			continue; /* blank line */
		if (s[i] != '{')
			return crm_rio_fail(r, err, line, (long)i + 1, NULL,
					    "expected a JSON object");
		/* Check the depth before jansson recurses into it. */
		js.limit = true;
		for (off = len - i > CRM_MAX_DEPTH ? i : len; off < len;
		     off += used) {
			int sc = jscan(&js, s + off, len - off, &used);

			if (sc == -2)
				return crm_rio_fail(r, err, line,
						    (long)(off + used) + 1,
						    NULL, WIDE_MSG);
			if (sc < 0)
				return crm_rio_fail(
				    r, err, line, (long)(off + used) + 1, NULL,
				    "nesting deeper than %d levels",
				    CRM_MAX_DEPTH);
		}
		return load_obj(r, s + i, len - i, line, (long)i + 1, rec,
				err) < 0
			   ? -1
			   : 1;
	}
}

void crm_rio_json_reader_init(struct crm_reader *r)
{
	crm_rio_buf_reader_init(r, sizeof(struct json_state), json_next);
}

void crm_rio_ndjson_reader_init(struct crm_reader *r)
{
	crm_rio_json_reader_init(r);
	r->next = ndjson_next;
}

/* Writers: the text is written directly, no json_t in between. */

/* The escape for a byte that may not appear raw in a JSON string. */
static const char *esc_char(unsigned char c, char u[8])
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	default:
		snprintf(u, 8, "\\u%04x", c);
		return u;
	}
}

/* s as a JSON string. Invalid UTF-8 bytes become U+FFFD so the output
 * stays valid JSON whatever the record holds. */
static void json_str(struct crm_buf *b, const char *s, size_t n)
{
	size_t bad = n, run = 0;

	if (crm_utf8_valid(s, n, &bad))
		bad = n;
	crm_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char u[8];
		const char *e;

		if (i == bad) {
			e = "\\ufffd";
			if (crm_utf8_valid(s + i + 1, n - i - 1, &bad))
				bad = n;
			else
				bad += i + 1;
		} else if (c >= 0x20 && c != '"' && c != '\\') {
			continue;
		} else {
			e = esc_char(c, u);
		}
		crm_buf_add(b, s + run, i - run);
		crm_buf_adds(b, e);
		run = i + 1;
	}
	crm_buf_add(b, s + run, n - run);
	crm_buf_addc(b, '"');
}

int crm_rio_json_write(struct crm_writer *w, const struct crm_rec *rec)
{
	struct crm_buf *b = &w->out;

	if (w->keys.n < w->cols.n) {
		struct crm_buf k = {0};

		for (size_t i = 0; i < w->cols.n; i++) {
			crm_buf_reset(&k);
			json_str(&k, w->cols.v[i], strlen(w->cols.v[i]));
			crm_buf_addc(&k, ':');
			crm_strv_push(&w->keys, k.s);
		}
		crm_buf_release(&k);
	}
	if (w->fmt == CRM_FMT_JSON)
		crm_buf_adds(b, w->nrec ? ",\n" : "[\n");
	crm_buf_addc(b, '{');
	for (size_t i = 0; i < w->cols.n; i++) {
		size_t len;
		enum crm_kind kind;
		const char *v = crm_rio_val(w, rec, i, &len, &kind);

		if (i)
			crm_buf_addc(b, ',');
		crm_buf_adds(b, w->keys.v[i]);
		if (kind == CRM_STR)
			json_str(b, v, len);
		else if (kind == CRM_RAW && len > 0)
			crm_buf_add(b, v, len);
		else
			crm_buf_adds(b, "null");
	}
	crm_buf_addc(b, '}');
	if (w->fmt == CRM_FMT_NDJSON)
		crm_buf_addc(b, '\n');
	return crm_rio_flush_out(w);
}

int crm_rio_json_close(struct crm_writer *w)
{
	if (w->fmt == CRM_FMT_JSON)
		crm_buf_adds(&w->out, w->nrec ? "\n]\n" : "[]\n");
	return crm_rio_flush_out(w);
}
