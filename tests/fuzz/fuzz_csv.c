/* fuzz_csv.c - libFuzzer harness for the CSV and TSV readers (with the
 * dialect and character set options too) and the writers. Beyond crashes it
 * checks that CSV read back from the CSV writer gives the same records, with
 * and without CRM_W_SAFE. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct recs {
	struct crm_rec *v;
	size_t n, cap;
};

static void recs_release(struct recs *rs)
{
	for (size_t i = 0; i < rs->cap; i++)
		crm_rec_release(&rs->v[i]);
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

/* Read all of s (n bytes) as fmt into rs (if not NULL). Returns the
 * reader's last result: 0 at a clean end, -1 on an error. */
static int read_all(const void *s, size_t n, enum crm_fmt fmt, struct recs *rs,
		    size_t *ncols)
{
	FILE *fp = fmemopen((void *)s, n, "r");
	struct crm_err err;
	struct crm_reader *r;
	struct crm_rec rec;
	int rc = -1;

	if (!fp)
		return -1;
	crm_rec_init(&rec);
	r = crm_reader_open(fp, "fuzz", fmt, &err);
	while (r && (rc = crm_reader_next(r, &rec, &err)) > 0) {
		if (!rs)
			continue;
		if (rs->n == rs->cap) {
			size_t old = rs->cap;

			rs->v = crm_xgrow(rs->v, &rs->cap, rs->n + 1,
					  sizeof(*rs->v));
			for (size_t i = old; i < rs->cap; i++)
				crm_rec_init(&rs->v[i]);
		}
		crm_rec_copy(&rs->v[rs->n++], &rec);
	}
	if (r && ncols)
		crm_reader_header(r, ncols);
	crm_reader_free(r);
	crm_rec_release(&rec);
	fclose(fp);
	return rc;
}

/* Read all of s with reader options (dialects, character sets): no crash,
 * every value valid UTF-8. */
static void read_opts(const void *s, size_t n, const struct crm_read_opts *o)
{
	FILE *fp = fmemopen((void *)s, n, "r");
	struct crm_err err;
	struct crm_reader *r;
	struct crm_rec rec;

	if (!fp)
		return;
	crm_rec_init(&rec);
	r = crm_reader_open_with(fp, "fuzz", o, &err);
	while (r && crm_reader_next(r, &rec, &err) > 0)
		for (size_t i = 0; i < rec.n; i++)
			if (crm_rec_val(&rec, i) &&
			    !crm_utf8_valid(crm_rec_val(&rec, i),
					    crm_rec_vlen(&rec, i), NULL))
				abort();
	crm_reader_free(r);
	crm_rec_release(&rec);
	fclose(fp);
}

/* Write rs in fmt; the caller frees the text. */
static char *write_all(const struct recs *rs, enum crm_fmt fmt, unsigned flags,
		       size_t *len)
{
	char *out = NULL;
	FILE *fp = open_memstream(&out, len);
	const char **cols;
	size_t ncols = rs->n ? rs->v[0].n : 0;
	struct crm_writer *w;

	cols = crm_xcalloc(ncols + 1, sizeof(*cols));
	for (size_t i = 0; i < ncols; i++)
		cols[i] = crm_rec_name(&rs->v[0], i);
	w = crm_writer_open(fp, fmt, cols, ncols, flags);
	for (size_t i = 0; i < rs->n; i++)
		crm_writer_write(w, &rs->v[i]);
	crm_writer_close(w);
	crm_writer_free(w);
	free(cols);
	fclose(fp);
	return out;
}

static int same_rec(const struct crm_rec *x, const struct crm_rec *y)
{
	if (x->n != y->n)
		return 0;
	for (size_t k = 0; k < x->n; k++)
		if (strcmp(crm_rec_name(x, k), crm_rec_name(y, k)) ||
		    crm_rec_kind(x, k) != crm_rec_kind(y, k) ||
		    crm_rec_vlen(x, k) != crm_rec_vlen(y, k) ||
		    (crm_rec_val(x, k) &&
		     memcmp(crm_rec_val(x, k), crm_rec_val(y, k),
			    crm_rec_vlen(x, k))))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum crm_fmt outs[] = {CRM_FMT_TSV, CRM_FMT_JSON,
					    CRM_FMT_NDJSON, CRM_FMT_TABLE};
	struct recs rs = {0}, back = {0};
	size_t ncols = 0, len;
	char *text;

	if (size == 0)
		return 0;
	read_all(data, size, CRM_FMT_AUTO, NULL, NULL);
	read_all(data, size, CRM_FMT_TSV, NULL, NULL);
	read_opts(data, size,
		  &(const struct crm_read_opts){.delim = ';', .strict = true});
	read_opts(data, size,
		  &(const struct crm_read_opts){.encoding = "GB18030"});
	read_opts(data, size,
		  &(const struct crm_read_opts){.encoding = "UTF-16LE"});
	if (read_all(data, size, CRM_FMT_CSV, &rs, &ncols) == 0 && rs.n > 0) {
		text = write_all(&rs, CRM_FMT_CSV, 0, &len);
		/* One column of nulls is written as blank lines, which the
		 * reader skips: CSV cannot say it otherwise. */
		if (ncols > 1) {
			if (read_all(text, len, CRM_FMT_CSV, &back, NULL) !=
				0 ||
			    back.n != rs.n)
				abort();
			for (size_t i = 0; i < rs.n; i++)
				if (!same_rec(&rs.v[i], &back.v[i]))
					abort();
		}
		free(text);
		/* --safe-csv output reads back the same too */
		text = write_all(&rs, CRM_FMT_CSV, CRM_W_SAFE, &len);
		if (ncols > 1) {
			recs_release(&back);
			if (read_all(text, len, CRM_FMT_CSV, &back, NULL) !=
				0 ||
			    back.n != rs.n)
				abort();
			for (size_t i = 0; i < rs.n; i++)
				if (!same_rec(&rs.v[i], &back.v[i]))
					abort();
		}
		free(text);
		for (size_t i = 0; i < sizeof(outs) / sizeof(*outs); i++) {
			text = write_all(&rs, outs[i], CRM_W_COLOR, &len);
			free(text);
		}
	}
	recs_release(&rs);
	recs_release(&back);
	return 0;
}
