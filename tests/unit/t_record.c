/* t_record.c - records, readers, writers and UTF-8 helpers. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "test.h"
#include "util.h"

#define MAXREC 16

/* Everything a read produced: records, the error, the format found. */
struct got {
	struct crm_rec rec[MAXREC];
	int n;	/* records, or -1 after an error */
	int rc; /* last crm_reader_next result */
	struct crm_err err;
	enum crm_fmt fmt;
	size_t nhdr;
	char hdr0[64];
};

static void got_release(struct got *g)
{
	for (int i = 0; i < MAXREC; i++)
		crm_rec_release(&g->rec[i]);
}

/* Reader options for the next reads; NULL: crm_reader_open's. */
static const struct crm_read_opts *ropts;

static void read_fp(struct got *g, FILE *fp, const char *name, enum crm_fmt fmt)
{
	struct crm_reader *r;
	struct crm_rec tmp;
	const char *const *h;

	memset(g, 0, sizeof(*g));
	crm_rec_init(&tmp);
	if (ropts) {
		struct crm_read_opts o = *ropts;

		o.fmt = fmt;
		r = crm_reader_open_with(fp, name, &o, &g->err);
	} else {
		r = crm_reader_open(fp, name, fmt, &g->err);
	}
	if (!r) {
		g->n = g->rc = -1;
		return;
	}
	g->fmt = crm_reader_format(r);
	while ((g->rc = crm_reader_next(r, &tmp, &g->err)) > 0) {
		if (g->n < MAXREC)
			crm_rec_copy(&g->rec[g->n], &tmp);
		g->n++;
	}
	if (g->rc < 0)
		g->n = -1;
	h = crm_reader_header(r, &g->nhdr);
	if (h && g->nhdr)
		snprintf(g->hdr0, sizeof(g->hdr0), "%s", h[0]);
	crm_rec_release(&tmp);
	crm_reader_free(r);
}

static void readn(struct got *g, const char *s, size_t len, enum crm_fmt fmt)
{
	/* fmemopen wants a size > 0; an empty input is then "". */
	FILE *fp = fmemopen((void *)(len ? s : ""), len ? len : 1, "r");

	if (!len)
		fgetc(fp);
	read_fp(g, fp, "in.csv", fmt);
	fclose(fp);
}

static void rd(struct got *g, const char *s, enum crm_fmt fmt)
{
	readn(g, s, strlen(s), fmt);
}

/* Write n records of g with its first record's columns; caller frees. */
static char *write_recs(const struct crm_rec *recs, int n, enum crm_fmt fmt,
			unsigned flags)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	const char *cols[64];
	size_t ncols = 0;
	struct crm_writer *w;

	for (size_t i = 0; n > 0 && i < recs[0].n && i < 64; i++)
		cols[ncols++] = crm_rec_name(&recs[0], i);
	w = crm_writer_open(fp, fmt, cols, ncols, flags);
	for (int i = 0; i < n; i++)
		crm_writer_write(w, &recs[i]);
	crm_writer_close(w);
	crm_writer_free(w);
	fclose(fp);
	return out;
}

static const char *val(const struct got *g, int i, const char *name)
{
	if (i >= g->n || i < 0)
		return "(no record)";
	return crm_rec_get(&g->rec[i], name);
}

static int kind(const struct got *g, int i, const char *name)
{
	long k = i < g->n && i >= 0 ? crm_rec_find(&g->rec[i], name) : -1;

	return k < 0 ? -1 : (int)crm_rec_kind(&g->rec[i], (size_t)k);
}

/* Whether two record lists hold the same names, values and kinds. */
static int same(const struct got *a, const struct got *b)
{
	if (a->n != b->n || a->n < 0)
		return 0;
	for (int i = 0; i < a->n; i++) {
		const struct crm_rec *x = &a->rec[i], *y = &b->rec[i];

		if (x->n != y->n)
			return 0;
		for (size_t k = 0; k < x->n; k++) {
			if (strcmp(crm_rec_name(x, k), crm_rec_name(y, k)) ||
			    crm_rec_kind(x, k) != crm_rec_kind(y, k) ||
			    crm_rec_vlen(x, k) != crm_rec_vlen(y, k) ||
			    (crm_rec_val(x, k) &&
			     memcmp(crm_rec_val(x, k), crm_rec_val(y, k),
				    crm_rec_vlen(x, k))))
				return 0;
		}
	}
	return 1;
}

/* Check a failed read: message, line, column and field. */
static void check_err(struct got *g, const char *msg, long line, long col,
		      const char *field, const char *what)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s: fails", what);
	CHECK_INT(g->rc, -1, buf);
	snprintf(buf, sizeof(buf), "%s: code 65", what);
	CHECK_INT(g->err.code, CRM_EX_DATAERR, buf);
	snprintf(buf, sizeof(buf), "%s: message", what);
	CHECK_STR(g->err.msg, msg, buf);
	snprintf(buf, sizeof(buf), "%s: line", what);
	CHECK_INT(g->err.line, line, buf);
	if (col >= 0) {
		snprintf(buf, sizeof(buf), "%s: column", what);
		CHECK_INT(g->err.col, col, buf);
	}
	snprintf(buf, sizeof(buf), "%s: field", what);
	CHECK_STR(g->err.field, field, buf);
	snprintf(buf, sizeof(buf), "%s: file", what);
	CHECK_STR(g->err.file, "in.csv", buf);
	got_release(g);
}

static void t_formats(void)
{
	CHECK_INT(crm_fmt_parse("csv"), CRM_FMT_CSV, "parse csv");
	CHECK_INT(crm_fmt_parse("tsv"), CRM_FMT_TSV, "parse tsv");
	CHECK_INT(crm_fmt_parse("json"), CRM_FMT_JSON, "parse json");
	CHECK_INT(crm_fmt_parse("ndjson"), CRM_FMT_NDJSON, "parse ndjson");
	CHECK_INT(crm_fmt_parse("table"), CRM_FMT_TABLE, "parse table");
	CHECK_INT(crm_fmt_parse("xml"), -1, "parse unknown");
	CHECK_STR(crm_fmt_name(CRM_FMT_NDJSON), "ndjson", "name ndjson");
	CHECK(crm_writer_open(stdout, CRM_FMT_AUTO, NULL, 0, 0) == NULL,
	      "writer refuses auto");
}

static void t_rec(void)
{
	struct crm_rec r, c;

	crm_rec_init(&r);
	crm_rec_init(&c);
	crm_rec_adds(&r, "name", "Ann");
	crm_rec_adds(&r, "email", NULL);
	crm_rec_add(&r, "n", 1, "42", 2, CRM_RAW);
	CHECK_INT(r.n, 3, "rec: three fields");
	CHECK_STR(crm_rec_get(&r, "name"), "Ann", "rec: get");
	CHECK(crm_rec_get(&r, "email") == NULL, "rec: null is NULL");
	CHECK_INT(crm_rec_kind(&r, 1), CRM_NULL, "rec: null kind");
	CHECK_INT(crm_rec_kind(&r, 2), CRM_RAW, "rec: raw kind");
	CHECK_INT(crm_rec_find(&r, "zzz"), -1, "rec: find absent");
	crm_rec_set(&r, "email", "a@x.io", CRM_STR);
	CHECK_STR(crm_rec_get(&r, "email"), "a@x.io", "rec: set replaces");
	CHECK_INT(r.n, 3, "rec: set keeps count");
	crm_rec_set(&r, "phone", "1", CRM_STR);
	CHECK_INT(crm_rec_find(&r, "phone"), 3, "rec: set appends");
	/* A value of the same record: the arena may move under it. */
	for (int i = 0; i < 50; i++)
		crm_rec_set(&r, "name", crm_rec_get(&r, "name"), CRM_STR);
	CHECK_STR(crm_rec_get(&r, "name"), "Ann", "rec: set from itself");
	crm_rec_set(&r, "name", NULL, CRM_STR);
	CHECK(crm_rec_get(&r, "name") == NULL, "rec: set null");
	r.line = 7;
	crm_rec_copy(&c, &r);
	CHECK_STR(crm_rec_get(&c, "email"), "a@x.io", "rec: copy value");
	CHECK_INT(c.line, 7, "rec: copy line");
	CHECK_STR(crm_rec_name(&c, 3), "phone", "rec: copy names");
	crm_rec_clear(&r);
	CHECK_INT(r.n, 0, "rec: clear");
	crm_rec_release(&r);
	crm_rec_release(&c);
}

static void t_utf8(void)
{
	size_t bad = 99;

	CHECK(crm_utf8_valid("abc", 3, NULL), "utf8: ascii");
	CHECK(crm_utf8_valid("王小明", strlen("王小明"), NULL), "utf8: cjk");
	CHECK(crm_utf8_valid("\xF0\x9F\x98\x80", 4, NULL), "utf8: emoji");
	CHECK(!crm_utf8_valid("ab\xC0\x80", 4, &bad), "utf8: overlong");
	CHECK_INT(bad, 2, "utf8: bad offset");
	CHECK(!crm_utf8_valid("\xED\xA0\x80", 3, NULL), "utf8: surrogate");
	CHECK(!crm_utf8_valid("\xF4\x90\x80\x80", 4, NULL), "utf8: >10FFFF");
	CHECK(!crm_utf8_valid("x\xE7\x8E", 3, &bad), "utf8: truncated");
	CHECK_INT(bad, 1, "utf8: truncated offset");
	CHECK(!crm_utf8_valid("\xFF", 1, NULL), "utf8: 0xff");

	CHECK_INT(crm_display_width("abc", 3), 3, "width: ascii");
	CHECK_INT(crm_display_width("王小明", strlen("王小明")), 6,
		  "width: cjk");
	CHECK_INT(crm_display_width("\xF0\x9F\x98\x80", 4), 2, "width: emoji");
	CHECK_INT(crm_display_width("e\xCC\x81", 3), 1, "width: combining");
	CHECK_INT(crm_display_width("Zoë", strlen("Zoë")), 3, "width: latin");
	CHECK_INT(crm_display_width("", 0), 0, "width: empty");
}

/* A CSV with every awkward kind of field. */
static const char tricky_csv[] = "id,Contact Phone Number,note\r\n"
				 "1,\"a, b\",\"say \"\"hi\"\"\"\r\n"
				 "2,\"two\nlines\",\"crlf\r\ninside\"\r\n"
				 "3,\ttab\t,  spaced  \r\n"
				 "4,王小明,\xF0\x9F\x98\x80 ok\r\n"
				 "5,\"\",\r\n";

static void t_csv_read(void)
{
	struct got g;

	rd(&g, tricky_csv, CRM_FMT_AUTO);
	CHECK_INT(g.n, 5, "csv: five records");
	CHECK_INT(g.fmt, CRM_FMT_CSV, "csv: detected");
	CHECK_INT(g.nhdr, 3, "csv: header size");
	CHECK_STR(g.hdr0, "id", "csv: header name");
	CHECK_STR(val(&g, 0, "Contact Phone Number"), "a, b",
		  "csv: comma inside quotes, name with spaces");
	CHECK_STR(val(&g, 0, "note"), "say \"hi\"", "csv: doubled quotes");
	CHECK_STR(val(&g, 1, "Contact Phone Number"), "two\nlines",
		  "csv: LF inside quotes");
	CHECK_STR(val(&g, 1, "note"), "crlf\r\ninside",
		  "csv: CRLF inside quotes kept");
	CHECK_STR(val(&g, 2, "Contact Phone Number"), "\ttab\t",
		  "csv: tabs kept");
	CHECK_STR(val(&g, 2, "note"), "  spaced  ", "csv: spaces kept");
	CHECK_STR(val(&g, 3, "Contact Phone Number"), "王小明", "csv: cjk");
	CHECK_STR(val(&g, 3, "note"), "\xF0\x9F\x98\x80 ok", "csv: emoji");
	CHECK_STR(val(&g, 4, "Contact Phone Number"), "",
		  "csv: quoted empty is empty");
	CHECK_INT(kind(&g, 4, "Contact Phone Number"), CRM_STR,
		  "csv: quoted empty is a string");
	CHECK(val(&g, 4, "note") == NULL, "csv: unquoted empty is null");
	CHECK_INT(kind(&g, 4, "note"), CRM_NULL, "csv: null kind");
	CHECK_INT(g.rec[0].line, 2, "csv: line of record 1");
	CHECK_INT(g.rec[1].line, 3, "csv: line of record 2");
	CHECK_INT(g.rec[2].line, 6, "csv: line after multi-line fields");
	CHECK_INT(g.rec[4].line, 8, "csv: line of record 5");
	got_release(&g);

	rd(&g, "\xEF\xBB\xBFname,email\nAnn,a@x\n", CRM_FMT_AUTO);
	CHECK_STR(g.hdr0, "name", "csv: BOM skipped");
	CHECK_STR(val(&g, 0, "name"), "Ann", "csv: BOM value");
	got_release(&g);

	rd(&g, "a,b\r\n1,2\r\n\r\n\n3,4", CRM_FMT_CSV);
	CHECK_INT(g.n, 2, "csv: blank lines skipped, no final newline");
	CHECK_STR(val(&g, 1, "b"), "4", "csv: last row flushed");
	CHECK_INT(g.rec[1].line, 5, "csv: line after blank lines");
	got_release(&g);

	rd(&g, "\n\n  \na,b\n1,2\n", CRM_FMT_AUTO);
	CHECK_INT(g.n, 1, "csv: leading blank lines");
	CHECK_INT(g.rec[0].line, 5, "csv: leading blank lines counted");
	got_release(&g);

	rd(&g, "a,b\n", CRM_FMT_AUTO);
	CHECK_INT(g.n, 0, "csv: header only");
	CHECK_INT(g.rc, 0, "csv: header only is not an error");
	got_release(&g);
}

static void round_trip(const char *what, const char *input, enum crm_fmt in,
		       enum crm_fmt out)
{
	struct got a, b;
	char *text, buf[128];

	rd(&a, input, in);
	text = write_recs(a.rec, a.n, out, 0);
	rd(&b, text, out);
	snprintf(buf, sizeof(buf), "round trip %s", what);
	CHECK(a.n > 0 && same(&a, &b), buf);
	free(text);
	got_release(&a);
	got_release(&b);
}

static void t_csv_write(void)
{
	struct got g;
	char *out;

	rd(&g, tricky_csv, CRM_FMT_CSV);
	out = write_recs(g.rec, g.n, CRM_FMT_CSV, 0);
	CHECK_STR(out,
		  "id,Contact Phone Number,note\n"
		  "1,\"a, b\",\"say \"\"hi\"\"\"\n"
		  "2,\"two\nlines\",\"crlf\r\ninside\"\n"
		  "3,\"\ttab\t\",\"  spaced  \"\n"
		  "4,王小明,\xF0\x9F\x98\x80 ok\n"
		  "5,\"\",\n",
		  "csv write: quoting");
	free(out);
	out = write_recs(g.rec, 1, CRM_FMT_CSV, CRM_W_NOHEADER);
	CHECK_STR(out, "1,\"a, b\",\"say \"\"hi\"\"\"\n",
		  "csv write: no header");
	free(out);
	got_release(&g);
	round_trip("csv -> csv", tricky_csv, CRM_FMT_CSV, CRM_FMT_CSV);
	round_trip("csv -> json", tricky_csv, CRM_FMT_CSV, CRM_FMT_JSON);
	round_trip("csv -> ndjson", tricky_csv, CRM_FMT_CSV, CRM_FMT_NDJSON);

	rd(&g, "f,g\n=1+2,@x\n-12.50,+1 555\n\"\ttab\",plain\n", CRM_FMT_CSV);
	out = write_recs(g.rec, g.n, CRM_FMT_CSV, CRM_W_SAFE);
	CHECK_STR(out,
		  "f,g\n\"'=1+2\",\"'@x\"\n-12.50,\"'+1 555\"\n"
		  "\"'\ttab\",plain\n",
		  "csv write: safe");
	free(out);
	got_release(&g);

	rd(&g, "{\"n\":1.50,\"o\":{\"a\": [1, 2]},\"s\":\"x\"}\n",
	   CRM_FMT_AUTO);
	out = write_recs(g.rec, g.n, CRM_FMT_CSV, 0);
	CHECK_STR(out, "n,o,s\n1.50,\"{\"\"a\"\":[1,2]}\",x\n",
		  "csv write: raw values");
	free(out);
	got_release(&g);

	out = write_recs(NULL, 0, CRM_FMT_CSV, 0);
	CHECK_STR(out, "\n", "csv write: no columns, no records");
	free(out);
}

static void t_tsv(void)
{
	struct got g, h;
	char *out;

	rd(&g, "name\tnote\nAnn\ta\\tb\\nc\\\\d\\x\nBob\t\n", CRM_FMT_AUTO);
	CHECK_INT(g.fmt, CRM_FMT_TSV, "tsv: detected");
	CHECK_INT(g.n, 2, "tsv: two records");
	CHECK_STR(val(&g, 0, "note"), "a\tb\nc\\d\\x", "tsv: escapes");
	CHECK(val(&g, 1, "note") == NULL, "tsv: empty is null");
	CHECK_INT(g.rec[1].line, 3, "tsv: line");
	got_release(&g);

	rd(&g, "a\tb\r\n1\t2\r\n", CRM_FMT_TSV);
	CHECK_STR(val(&g, 0, "b"), "2", "tsv: CR stripped");
	got_release(&g);

	rd(&g, tricky_csv, CRM_FMT_CSV);
	out = write_recs(g.rec, g.n, CRM_FMT_TSV, 0);
	CHECK_STR(out,
		  "id\tContact Phone Number\tnote\n"
		  "1\ta, b\tsay \"hi\"\n"
		  "2\ttwo\\nlines\tcrlf\\r\\ninside\n"
		  "3\t\\ttab\\t\t  spaced  \n"
		  "4\t王小明\t\xF0\x9F\x98\x80 ok\n"
		  "5\t\t\n",
		  "tsv write: escapes");
	rd(&h, out, CRM_FMT_AUTO);
	CHECK_INT(h.fmt, CRM_FMT_TSV, "tsv: own output detected");
	CHECK_STR(val(&h, 1, "note"), "crlf\r\ninside", "tsv: round trip");
	CHECK(val(&h, 4, "Contact Phone Number") == NULL,
	      "tsv: empty string reads back as null");
	free(out);
	got_release(&g);
	got_release(&h);

	rd(&g, "f\n=SUM(A1)\n-3\n", CRM_FMT_TSV);
	out = write_recs(g.rec, g.n, CRM_FMT_TSV, CRM_W_SAFE | CRM_W_NOHEADER);
	CHECK_STR(out, "'=SUM(A1)\n-3\n", "tsv write: safe, no header");
	free(out);
	got_release(&g);

	rd(&g, "a\tb\n1\t2\t3\n", CRM_FMT_TSV);
	check_err(&g, "expected 2 fields, found 3", 2, 0, "", "tsv: ragged");
	rd(&g, "a\tb\n1\tx\xFFy\n", CRM_FMT_TSV);
	check_err(&g, "invalid UTF-8", 2, 2, "b", "tsv: bad UTF-8");
	rd(&g, "a\ta\n", CRM_FMT_TSV);
	check_err(&g, "duplicate column 'a'", 1, 2, "", "tsv: dup header");
}

static void t_json(void)
{
	struct got g;
	char *out;
	const char *in = "[\n"
			 "  {\"name\": \"Ann\", \"n\": 1.50, \"big\": "
			 "123456789012345678901234567890,\n"
			 "   \"ok\": true, \"x\": null, \"tags\": [\"a\", 1],\n"
			 "   \"z\": \"\\u738b\\n\"},\n"
			 "  {\"name\": \"Bob\"}\n"
			 "]\n";

	rd(&g, in, CRM_FMT_AUTO);
	CHECK_INT(g.fmt, CRM_FMT_JSON, "json: detected");
	CHECK_INT(g.n, 2, "json: two records");
	CHECK_STR(crm_rec_name(&g.rec[0], 0), "name", "json: key order 1");
	CHECK_STR(crm_rec_name(&g.rec[0], 1), "n", "json: key order 2");
	CHECK_STR(crm_rec_name(&g.rec[0], 6), "z", "json: key order 7");
	CHECK_STR(val(&g, 0, "n"), "1.50", "json: number text kept");
	CHECK_INT(kind(&g, 0, "n"), CRM_RAW, "json: number is raw");
	CHECK_STR(val(&g, 0, "big"), "123456789012345678901234567890",
		  "json: big integer kept");
	CHECK_STR(val(&g, 0, "ok"), "true", "json: true");
	CHECK_INT(kind(&g, 0, "x"), CRM_NULL, "json: null");
	CHECK_STR(val(&g, 0, "tags"), "[\"a\",1]", "json: array compacted");
	CHECK_STR(val(&g, 0, "z"), "王\n", "json: string decoded");
	CHECK_INT(g.rec[0].line, 2, "json: line of first object");
	CHECK_INT(g.rec[1].line, 5, "json: line of second object");
	CHECK_INT(g.nhdr, 7, "json: header from first record");
	out = write_recs(g.rec, g.n, CRM_FMT_JSON, 0);
	CHECK_STR(out,
		  "[\n{\"name\":\"Ann\",\"n\":1.50,\"big\":"
		  "123456789012345678901234567890,\"ok\":true,\"x\":null,"
		  "\"tags\":[\"a\",1],\"z\":\"王\\n\"},\n"
		  "{\"name\":\"Bob\",\"n\":null,\"big\":null,\"ok\":null,"
		  "\"x\":null,\"tags\":null,\"z\":null}\n]\n",
		  "json write");
	free(out);
	out = write_recs(g.rec, 1, CRM_FMT_NDJSON, 0);
	CHECK(out && strncmp(out, "{\"name\":\"Ann\",", 14) == 0 &&
		  out[strlen(out) - 1] == '\n' && !strchr(out, '\n')[1],
	      "ndjson write: one line");
	free(out);
	got_release(&g);

	out = write_recs(g.rec, 0, CRM_FMT_JSON, 0);
	CHECK_STR(out, "[]\n", "json write: no records");
	free(out);

	rd(&g, "{\"a\":1}\n\n  {\"a\":2}\r\n", CRM_FMT_AUTO);
	CHECK_INT(g.fmt, CRM_FMT_NDJSON, "ndjson: detected");
	CHECK_INT(g.n, 2, "ndjson: blank line skipped");
	CHECK_INT(g.rec[1].line, 3, "ndjson: line");
	got_release(&g);

	rd(&g, "[]", CRM_FMT_AUTO);
	CHECK(g.n == 0 && g.rc == 0, "json: empty array");
	rd(&g, "\xEF\xBB\xBF[{\"a\":\"b\"}]", CRM_FMT_AUTO);
	CHECK_STR(val(&g, 0, "a"), "b", "json: BOM skipped");
	got_release(&g);

	in = "[{\"a\":\"x\\ty\",\"n\":-1.5e3,\"o\":{\"k\":[null]}},\n"
	     " {\"a\":\"\\u0001\\\"\\\\\",\"n\":null,\"o\":\"\"}]";
	round_trip("json -> json", in, CRM_FMT_JSON, CRM_FMT_JSON);
	round_trip("json -> ndjson", in, CRM_FMT_JSON, CRM_FMT_NDJSON);
	round_trip("ndjson -> csv", "{\"a b\":\"x,y\",\"c\":\"\"}",
		   CRM_FMT_NDJSON, CRM_FMT_CSV);
}

/* Flat objects of plain members skip jansson (record_json.c's load_flat):
 * the same records, and whatever is not plain still goes to jansson, whose
 * errors stay the ones reported. */
static void t_json_flat(void)
{
	struct got g;

	rd(&g,
	   " {\"a\" : \"x\" , \"n\":-0.5,\"t\":true,\"f\":false,\"z\":null,"
	   "\"e\":\"\",\"b\":1234567890123456,\"q\":\"say \\\"hi\\\"\"}\r\n"
	   "{\"a\":\"y\"}\n",
	   CRM_FMT_NDJSON);
	CHECK_INT(g.n, 2, "flat: two records");
	CHECK_STR(val(&g, 0, "a"), "x", "flat: string");
	CHECK_INT(kind(&g, 0, "a"), CRM_STR, "flat: string kind");
	CHECK_STR(val(&g, 0, "n"), "-0.5", "flat: number text");
	CHECK_INT(kind(&g, 0, "n"), CRM_RAW, "flat: number kind");
	CHECK_STR(val(&g, 0, "t"), "true", "flat: true");
	CHECK_STR(val(&g, 0, "f"), "false", "flat: false");
	CHECK_INT(kind(&g, 0, "z"), CRM_NULL, "flat: null");
	CHECK_STR(val(&g, 0, "e"), "", "flat: empty string");
	CHECK_STR(val(&g, 0, "b"), "1234567890123456", "flat: long number");
	CHECK_STR(val(&g, 0, "q"), "say \"hi\"", "flat: escapes decoded");
	CHECK_INT(g.nhdr, 8, "flat: header from first record");
	CHECK_INT(g.rec[1].line, 2, "flat: line");
	got_release(&g);
	rd(&g, "{\"a\":\"x\",\"a\":\"y\"}\n", CRM_FMT_NDJSON);
	check_err(&g, "duplicate object key near '\"a\"'", 1, 12, "",
		  "flat: duplicate key");
	rd(&g, "[{\"a\":\"x\",\"b\":1,\"a\":2}]", CRM_FMT_JSON);
	CHECK_INT(g.rc, -1, "flat: duplicate key in an array");
	got_release(&g);
	rd(&g, "{\"a\":\"x\"} y\n", CRM_FMT_NDJSON);
	check_err(&g, "end of file expected near 'y'", 1, 11, "",
		  "flat: data after the object");
	rd(&g, "{\"n\":01}\n", CRM_FMT_NDJSON);
	check_err(&g, "invalid token near '0'", 1, 6, "", "flat: leading zero");
	rd(&g, "{\"n\":1.}\n", CRM_FMT_NDJSON);
	check_err(&g, "invalid token near '1.'", 1, 7, "", "flat: bare point");
	rd(&g, "{\"k\":nul}\n", CRM_FMT_NDJSON);
	check_err(&g, "invalid token near 'nul'", 1, 8, "", "flat: bad word");
	rd(&g, "{\"a\":\"x\",}\n", CRM_FMT_NDJSON);
	check_err(&g, "string or '}' expected near '}'", 1, 10, "",
		  "flat: trailing comma");
	rd(&g, "{\"a\":\"x\t\"}\n", CRM_FMT_NDJSON);
	CHECK_INT(g.rc, -1, "flat: control character in a string");
	got_release(&g);
}

static void t_json_escape(void)
{
	struct crm_rec r;
	char *out;

	crm_rec_init(&r);
	crm_rec_adds(&r, "k\"\\", "\x01\b\f\n\r\t\"\\/\x1f\x7f é");
	crm_rec_add(&r, "nul", 3, "a\0b", 3, CRM_STR);
	crm_rec_add(&r, "bad", 3, "x\xFFy", 3, CRM_STR);
	out = write_recs(&r, 1, CRM_FMT_NDJSON, 0);
	CHECK_STR(out,
		  "{\"k\\\"\\\\\":\"\\u0001\\b\\f\\n\\r\\t\\\"\\\\/\\u001f\x7f "
		  "é\",\"nul\":\"a\\u0000b\",\"bad\":\"x\\ufffdy\"}\n",
		  "json: control characters escaped");
	free(out);
	crm_rec_release(&r);
}

static void t_detect(void)
{
	struct got g;
	int fd[2];
	FILE *fp;
	const char *in = "  [ {\"a\": 1} ]";

	rd(&g, "", CRM_FMT_AUTO);
	CHECK(g.n == 0 && g.rc == 0, "detect: empty input, no records");
	rd(&g, " \n\t\r\n ", CRM_FMT_AUTO);
	CHECK(g.n == 0 && g.rc == 0, "detect: blank input, no records");
	rd(&g, "", CRM_FMT_JSON);
	CHECK(g.n == 0 && g.rc == 0, "detect: empty json input");
	rd(&g, "a\tb,c\n1\t2,3\n", CRM_FMT_AUTO);
	CHECK_INT(g.fmt, CRM_FMT_CSV, "detect: tab and comma is csv");
	got_release(&g);
	rd(&g, "a\n1\n", CRM_FMT_AUTO);
	CHECK_INT(g.fmt, CRM_FMT_CSV, "detect: one column is csv");
	got_release(&g);

	if (pipe(fd) == 0) {
		if (write(fd[1], in, strlen(in)) != (ssize_t)strlen(in))
			CHECK(0, "pipe write");
		close(fd[1]);
		fp = fdopen(fd[0], "r");
		read_fp(&g, fp, "-", CRM_FMT_AUTO);
		fclose(fp);
		CHECK_INT(g.fmt, CRM_FMT_JSON, "detect: json from a pipe");
		CHECK_STR(val(&g, 0, "a"), "1", "detect: pipe record");
		got_release(&g);
	}
	if (pipe(fd) == 0) {
		if (write(fd[1], "x,y\n\"1\nz\",2\n", 12) != 12)
			CHECK(0, "pipe write");
		close(fd[1]);
		fp = fdopen(fd[0], "r");
		read_fp(&g, fp, "-", CRM_FMT_AUTO);
		fclose(fp);
		CHECK_INT(g.fmt, CRM_FMT_CSV, "detect: csv from a pipe");
		CHECK_STR(val(&g, 0, "x"), "1\nz", "detect: pipe csv value");
		got_release(&g);
	}
	if (pipe(fd) == 0) {
		if (write(fd[1], "a,a\n", 4) != 4)
			CHECK(0, "pipe write");
		close(fd[1]);
		fp = fdopen(fd[0], "r");
		read_fp(&g, fp, "-", CRM_FMT_AUTO);
		fclose(fp);
		CHECK_STR(g.err.file, "<stdin>", "detect: stdin named <stdin>");
		got_release(&g);
	}
}

/* A JSON object holding arrays nested arrays deep, in an array if in_array;
 * returns its length. */
static size_t nest(char *b, int arrays, int in_array)
{
	size_t n = 0;

	if (in_array)
		b[n++] = '[';
	memcpy(b + n, "{\"a\":", 5);
	n += 5;
	for (int i = 0; i < arrays; i++)
		b[n++] = '[';
	for (int i = 0; i < arrays; i++)
		b[n++] = ']';
	b[n++] = '}';
	if (in_array)
		b[n++] = ']';
	return n;
}

static void t_errors(void)
{
	struct got g;
	char *big;
	size_t n;

	rd(&g, "a,b\n1,2\nx,y\"z\n", CRM_FMT_CSV);
	CHECK_STR(val(&g, 1, "b"), "y\"z", "csv: a quote in an unquoted cell");
	got_release(&g);
	ropts = &(const struct crm_read_opts){.strict = true};
	rd(&g, "a,b\n1,2\nx,y\"z\n", CRM_FMT_CSV);
	check_err(&g, "quote inside an unquoted cell (--strict)", 3, 2, "b",
		  "csv: --strict refuses a quote in an unquoted cell");
	ropts = NULL;
	rd(&g, "a,b\n1,\"x\" y\n", CRM_FMT_CSV);
	check_err(&g, "bad quote", 2, 2, "b", "csv: text after quote");
	rd(&g, "a,b\n1,2\n3,\"open\nand on\n", CRM_FMT_CSV);
	check_err(&g, "unterminated quote", 3, 2, "b",
		  "csv: unterminated quote at end");
	rd(&g, "a,b\n1,2\n3,4,5\n", CRM_FMT_CSV);
	check_err(&g, "expected 2 fields, found 3", 3, 0, "",
		  "csv: ragged, too many");
	rd(&g, "a,b\n\"1\n\",2\n3\n", CRM_FMT_CSV);
	check_err(&g, "expected 2 fields, found 1", 4, 0, "",
		  "csv: ragged after multi-line field");
	rd(&g, "a,b\n1,2\n\"x\ny\",\"ok\xC3(\"\n", CRM_FMT_CSV);
	check_err(&g, "invalid UTF-8 (another character set? see --encoding)",
		  4, 2, "b", "csv: invalid UTF-8 value");
	rd(&g, "a,b\xFF\n1,2\n", CRM_FMT_CSV);
	check_err(&g,
		  "invalid UTF-8 in column name (another character set? see "
		  "--encoding)",
		  1, 2, "", "csv: invalid UTF-8 header");
	rd(&g, "email,name,email\n", CRM_FMT_CSV);
	check_err(&g, "duplicate column 'email'", 1, 3, "",
		  "csv: duplicate column");
	rd(&g, "a,,b\n", CRM_FMT_CSV);
	check_err(&g, "empty column name", 1, 2, "", "csv: empty column");
	readn(&g, "a,b\n1,x\0y\n", 10, CRM_FMT_CSV);
	check_err(&g, "NUL byte in value", 2, 2, "b", "csv: NUL in value");

	rd(&g, "[\n{\"a\": 1},\n{\"a\":\n  tru}\n]", CRM_FMT_JSON);
	check_err(&g, "invalid token near 'tru'", 4, 5, "",
		  "json: syntax error, absolute line");
	rd(&g, "[{\"a\":1}, 5]", CRM_FMT_AUTO);
	check_err(&g, "expected a JSON object", 1, 11, "",
		  "json: non-object element");
	rd(&g, "[{\"a\":1}]\n\n x", CRM_FMT_AUTO);
	check_err(&g, "unexpected data after the closing ']'", 3, 2, "",
		  "json: trailing garbage");
	rd(&g, "[{\"a\":1} {\"a\":2}]", CRM_FMT_AUTO);
	check_err(&g, "expected ',' or ']'", 1, 10, "", "json: missing comma");
	rd(&g, "[{\"a\":1},", CRM_FMT_AUTO);
	check_err(&g, "unexpected end of input, expected a JSON object", 1, 10,
		  "", "json: truncated array");
	rd(&g, "[{\"a\":1,\"a\":2}]", CRM_FMT_AUTO);
	CHECK_INT(g.rc, -1, "json: duplicate key rejected");
	got_release(&g);
	rd(&g, "[{\"a\":\"\xFF\"}]", CRM_FMT_AUTO);
	check_err(&g, "invalid UTF-8", 1, 8, "a", "json: invalid UTF-8");
	rd(&g, "{\"ok\":1}\n{\"a\": \"x\" \"b\"}\n", CRM_FMT_AUTO);
	check_err(&g, "'}' expected near '\"b\"'", 2, 13, "",
		  "ndjson: syntax error line");
	rd(&g, "{\"ok\":1}\n[1]\n", CRM_FMT_NDJSON);
	check_err(&g, "expected a JSON object", 2, 1, "", "ndjson: non-object");
	rd(&g, "{\"\":1}\n", CRM_FMT_NDJSON);
	check_err(&g, "empty column name", 1, 2, "", "ndjson: empty key");

	/* Nesting: 64 levels pass, 65 do not. */
	big = crm_xmalloc(400);
	n = nest(big, 63, true);
	readn(&g, big, n, CRM_FMT_AUTO);
	CHECK_INT(g.n, 1, "json: 64 levels allowed");
	got_release(&g);
	n = nest(big, 63, false);
	readn(&g, big, n, CRM_FMT_AUTO);
	CHECK_INT(g.n, 1, "ndjson: 64 levels allowed");
	got_release(&g);
	n = nest(big, 64, true);
	readn(&g, big, n, CRM_FMT_AUTO);
	check_err(&g, "nesting deeper than 64 levels", 1, 70, "",
		  "json: too deep");
	n = nest(big, 64, false);
	readn(&g, big, n, CRM_FMT_AUTO);
	check_err(&g, "nesting deeper than 64 levels", 1, 69, "",
		  "ndjson: too deep");
	free(big);

	/* Fields over the limit and at it, quoted and not. */
	big = crm_xmalloc(CRM_MAX_FIELD + 32);
	memcpy(big, "a,b\n1,", 6);
	memset(big + 6, 'x', CRM_MAX_FIELD + 1);
	big[6 + CRM_MAX_FIELD + 1] = '\n';
	readn(&g, big, CRM_MAX_FIELD + 8, CRM_FMT_CSV);
	check_err(&g, "field longer than 16777216 bytes", 2, 2, "b",
		  "csv: over-long field");
	big[6 + CRM_MAX_FIELD] = '\n';
	readn(&g, big, CRM_MAX_FIELD + 7, CRM_FMT_CSV);
	CHECK(g.n == 1 && crm_rec_vlen(&g.rec[0], 1) == CRM_MAX_FIELD,
	      "csv: field at the limit");
	got_release(&g);
	memcpy(big, "a,b\n1,\"", 7);
	memset(big + 7, 'x', CRM_MAX_FIELD);
	memcpy(big + 7 + CRM_MAX_FIELD, "\"\n", 2);
	readn(&g, big, CRM_MAX_FIELD + 9, CRM_FMT_CSV);
	CHECK(g.n == 1 && crm_rec_vlen(&g.rec[0], 1) == CRM_MAX_FIELD,
	      "csv: quoted field at the limit");
	got_release(&g);
	big[7 + CRM_MAX_FIELD] = 'x';
	memcpy(big + 8 + CRM_MAX_FIELD, "\"\n", 2);
	readn(&g, big, CRM_MAX_FIELD + 10, CRM_FMT_CSV);
	check_err(&g, "field longer than 16777216 bytes", 2, 2, "b",
		  "csv: over-long quoted field");
	memcpy(big, "a\tb\n1\t", 6);
	memset(big + 6, 'x', CRM_MAX_FIELD + 1);
	big[6 + CRM_MAX_FIELD + 1] = '\n';
	readn(&g, big, CRM_MAX_FIELD + 8, CRM_FMT_TSV);
	check_err(&g, "field longer than 16777216 bytes", 2, 2, "b",
		  "tsv: over-long field");
	big[0] = '[';
	big[1] = '{';
	big[2] = '"';
	big[3] = 'a';
	big[4] = '"';
	big[5] = ':';
	big[6] = '"';
	memset(big + 7, 'x', CRM_MAX_FIELD + 1);
	memcpy(big + 8 + CRM_MAX_FIELD, "\"}]", 3);
	readn(&g, big, CRM_MAX_FIELD + 11, CRM_FMT_AUTO);
	check_err(&g, "field longer than 16777216 bytes", 1, 3, "a",
		  "json: over-long field");
	free(big);
}

static char *table(const struct crm_rec *recs, int n, unsigned flags)
{
	return write_recs(recs, n, CRM_FMT_TABLE, flags);
}

static void t_table(void)
{
	struct got g;
	char *out;

	rd(&g,
	   "[{\"name\":\"王小明\",\"n\":5,\"note\":\"a\\nb\\tc\"},"
	   "{\"name\":\"Ann\",\"n\":12.5,\"note\":null},"
	   "{\"name\":\"Bob\",\"n\":\"7\",\"note\":\"\"}]",
	   CRM_FMT_JSON);
	out = table(g.rec, g.n, 0);
	CHECK_STR(out,
		  "name    n     note\n"
		  "王小明     5  a⏎b c\n"
		  "Ann     12.5\n"
		  "Bob     7\n",
		  "table: CJK alignment, numbers right, no trailing spaces");
	free(out);
	out = table(g.rec, 1, CRM_W_COLOR);
	CHECK_STR(out, "\033[1mname    n  note\033[0m\n王小明  5  a⏎b c\n",
		  "table: bold header");
	free(out);
	out = table(g.rec, 1, CRM_W_NOHEADER);
	CHECK_STR(out, "王小明  5  a⏎b c\n", "table: no header");
	free(out);
	out = table(g.rec, 0, 0);
	CHECK(!out || !*out, "table: zero rows prints nothing");
	free(out);
	got_release(&g);

	rd(&g,
	   "a,b\n"
	   "12345678901234567890123456789012345678901,x\n"
	   "王王王王王王王王王王王王王王王王王王王王王,\x01\n",
	   CRM_FMT_CSV);
	out = table(g.rec, g.n, 0);
	CHECK_STR(out,
		  "a"
		  "                                         "
		  "b\n"
		  "123456789012345678901234567890123456789…  x\n"
		  "王王王王王王王王王王王王王王王王王王王…   ?\n",
		  "table: long cells cut at 40 columns");
	free(out);
	got_release(&g);
}

static void t_write_error(void)
{
	FILE *fp = fopen("/dev/full", "w");
	struct crm_rec r;
	struct crm_writer *w;
	const char *cols[] = {"a"};
	int rc = 0;

	if (!fp) {
		SKIP("write error: no /dev/full");
		return;
	}
	crm_rec_init(&r);
	crm_rec_adds(&r, "a", "x");
	w = crm_writer_open(fp, CRM_FMT_CSV, cols, 1, 0);
	for (int i = 0; i < 10000 && rc == 0; i++)
		rc = crm_writer_write(w, &r);
	if (rc == 0)
		rc = crm_writer_close(w);
	CHECK_INT(rc, -1, "write error: reported");
	crm_writer_free(w);
	crm_rec_release(&r);
	fclose(fp);
}

/* Dialects: quotes in unquoted cells, separators, character sets. */
static void t_dialects(void)
{
	struct got g;
	struct crm_read_opts semi = {.delim = ';'},
			     gb = {.encoding = "GB18030"};
	static const char le[] = "\xFF\xFE"
				 "a\0,\0b\0\n\0"
				 "1\0,\0\xE9\0\n\0";
	static const char be[] = "\xFE\xFF"
				 "\0[\0{\0\"\0a\0\"\0:\0\"\0x\0\"\0}\0]";

	rd(&g, "h,w\n5'11\",12\" pizza\n\"a\"\"b\",\"\"\n", CRM_FMT_AUTO);
	CHECK_STR(val(&g, 0, "h"), "5'11\"", "csv: 5'11\" is literal");
	CHECK_STR(val(&g, 0, "w"), "12\" pizza", "csv: 12\" pizza is literal");
	CHECK_STR(val(&g, 1, "h"), "a\"b", "csv: quoted cells as before");
	got_release(&g);
	rd(&g, "a;b\r\n1;\"x;y\"\r\n", CRM_FMT_AUTO);
	CHECK_INT(g.fmt, CRM_FMT_CSV, "semicolons: csv");
	CHECK_STR(val(&g, 0, "b"), "x;y", "semicolons detected");
	got_release(&g);
	rd(&g, "a;b,c\n1;2,3\n", CRM_FMT_AUTO);
	CHECK_STR(val(&g, 0, "a;b"), "1;2", "a comma in the header wins");
	ropts = &semi;
	got_release(&g);
	rd(&g, "a;b,c\n1;2,3\n", CRM_FMT_AUTO);
	CHECK_STR(val(&g, 0, "b,c"), "2,3", "--delimiter ';'");
	ropts = NULL;
	got_release(&g);
	readn(&g, le, sizeof(le) - 1, CRM_FMT_AUTO);
	CHECK_STR(val(&g, 0, "b"), "\xC3\xA9", "UTF-16LE by its BOM");
	got_release(&g);
	readn(&g, be, sizeof(be) - 1, CRM_FMT_AUTO);
	CHECK_INT(g.fmt, CRM_FMT_JSON, "UTF-16BE: JSON detected");
	CHECK_STR(val(&g, 0, "a"), "x", "UTF-16BE JSON read");
	ropts = &gb;
	got_release(&g);
	rd(&g, "a,b\n1,\xD5\xC5\n", CRM_FMT_AUTO);
	CHECK_STR(val(&g, 0, "b"), "\xE5\xBC\xA0", "GB18030 to UTF-8");
	got_release(&g);
	rd(&g, "a,b\n1,2\n3,\xFF\xFF\n", CRM_FMT_AUTO);
	check_err(&g, "invalid GB18030: byte 0xFF", 3, 0, "",
		  "GB18030: an invalid byte names its line");
	ropts = NULL;
	got_release(&g);
}

int main(void)
{
	t_formats();
	t_rec();
	t_utf8();
	t_csv_read();
	t_csv_write();
	t_tsv();
	t_json();
	t_json_flat();
	t_json_escape();
	t_detect();
	t_errors();
	t_table();
	t_write_error();
	t_dialects();
	return done_testing();
}
