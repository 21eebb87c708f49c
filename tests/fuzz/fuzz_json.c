/* fuzz_json.c - libFuzzer harness for the JSON and NDJSON readers. Beyond
 * crashes it checks that each record written as NDJSON reads back the
 * same. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

/* Write rec as NDJSON with its own columns, read it back, compare. */
static void round_trip(const struct crm_rec *rec)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	const char **cols = crm_xcalloc(rec->n + 1, sizeof(*cols));
	struct crm_writer *w;
	struct crm_reader *r;
	struct crm_rec back;
	struct crm_err err;

	for (size_t i = 0; i < rec->n; i++)
		cols[i] = crm_rec_name(rec, i);
	w = crm_writer_open(fp, CRM_FMT_NDJSON, cols, rec->n, 0);
	if (crm_writer_write(w, rec) < 0 || crm_writer_close(w) < 0)
		abort();
	crm_writer_free(w);
	free(cols);
	fclose(fp);

	fp = fmemopen(out, len, "r");
	crm_rec_init(&back);
	r = crm_reader_open(fp, "back", CRM_FMT_NDJSON, &err);
	if (!r || crm_reader_next(r, &back, &err) != 1 || !same_rec(rec, &back))
		abort();
	crm_reader_free(r);
	crm_rec_release(&back);
	fclose(fp);
	free(out);
}

static void drain(const uint8_t *data, size_t size, enum crm_fmt fmt, int check)
{
	FILE *fp = fmemopen((void *)data, size, "r");
	struct crm_err err;
	struct crm_reader *r;
	struct crm_rec rec;

	if (!fp)
		return;
	crm_rec_init(&rec);
	r = crm_reader_open(fp, "fuzz", fmt, &err);
	while (r && crm_reader_next(r, &rec, &err) > 0)
		if (check)
			round_trip(&rec);
	crm_reader_free(r);
	crm_rec_release(&rec);
	fclose(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	drain(data, size, CRM_FMT_AUTO, 0);
	drain(data, size, CRM_FMT_JSON, 1);
	drain(data, size, CRM_FMT_NDJSON, 1);
	return 0;
}
