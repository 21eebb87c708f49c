/* fuzz_form.c - libFuzzer harness for crm_form_parse (web form bodies,
 * lib/records/form.c) and crm_social_handle (lib/domain/social.c).
 * Input: any bytes as a form body; its first line also as a handle of
 * each platform. Invariants: a parsed body's names and values are valid
 * UTF-8 without NUL, values at most CRM_FORM_MAX_VALUE bytes, at most
 * CRM_FORM_MAX_FIELDS fields; a refused one says why with a data error;
 * a normalised handle normalises to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "social.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_err err = {0};
	struct crm_rec rec;
	struct crm_buf h = {0}, h2 = {0};
	size_t bad, nl;
	char *line;

	crm_rec_init(&rec);
	if (crm_form_parse((const char *)data, size, "fuzz", &rec, &err) == 0) {
		if (rec.n > CRM_FORM_MAX_FIELDS)
			abort();
		for (size_t i = 0; i < rec.n; i++) {
			const char *n = crm_rec_name(&rec, i);
			const char *v = crm_rec_val(&rec, i);
			size_t vl = crm_rec_vlen(&rec, i);

			if (!crm_utf8_valid(n, strlen(n), &bad) || !v ||
			    vl > CRM_FORM_MAX_VALUE || memchr(v, 0, vl) ||
			    !crm_utf8_valid(v, vl, &bad))
				abort();
		}
	} else if (err.code != CRM_EX_DATAERR || !err.msg[0]) {
		abort();
	}
	crm_rec_release(&rec);

	for (nl = 0; nl < size && nl < 512 && data[nl] != '\n' && data[nl];
	     nl++)
		;
	line = malloc(nl + 1);
	if (!line)
		return 0;
	memcpy(line, data, nl);
	line[nl] = '\0';
	for (size_t p = 0; crm_social_platforms[p]; p++) {
		const char *pl = crm_social_platforms[p];

		crm_err_clear(&err);
		if (crm_social_handle(pl, line, &h, &err) < 0) {
			if (err.code != CRM_EX_DATAERR)
				abort();
			continue;
		}
		if (!h.len || crm_social_handle(pl, h.s, &h2, &err) < 0 ||
		    h2.len != h.len || memcmp(h.s, h2.s, h.len))
			abort();
	}
	free(line);
	crm_buf_release(&h);
	crm_buf_release(&h2);
	return 0;
}
