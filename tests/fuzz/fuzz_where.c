/* fuzz_where.c - libFuzzer harness for --where and --sort: whatever the
 * expression, compiling either fails with a usage error or gives SQL that
 * SQLite prepares, with exactly as many parameters as were bound. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "filter.h"

static struct crm_db *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_strv where = {0};
	struct crm_buf sql = {0};
	struct crm_binds b = {0};
	struct crm_err err = {0};
	char *text;
	const char *nl;
	int rc;

	if (!db) {
		db = crm_db_open(":memory:", CRM_DB_CREATE, &err);
		if (!db)
			abort();
	}
	text = crm_xstrndup((const char *)data, size);
	if (strlen(text) != size) { /* argv strings have no NUL inside */
		free(text);
		return 0;
	}
	/* first line: --sort; the rest: one --where each */
	nl = strchr(text, '\n');
	for (const char *p = nl ? nl + 1 : ""; *p;) {
		const char *e = strchr(p, '\n');
		char *one = crm_xstrndup(p, e ? (size_t)(e - p) : strlen(p));
		crm_strv_push(&where, one);
		free(one);
		p = e ? e + 1 : p + strlen(p);
	}
	if (nl)
		text[nl - text] = '\0';
	crm_buf_adds(&sql, "SELECT id FROM contacts WHERE 1");
	rc = crm_filter_where(db, &crm_contact_entity, &where, &sql, &b, &err);
	if (rc == 0)
		rc = crm_filter_order(db, &crm_contact_entity, text, &sql, &b,
				      &err);
	if (rc == 0) {
		struct crm_err e2 = {0};
		struct crm_stmt *st = crm_db_stmt(db, crm_buf_str(&sql), &e2);

		if (!st || crm_stmt_nparams(st) != (int)b.n)
			abort();
		crm_binds_bind(&b, st, 1);
		while (crm_stmt_step(st, &e2) > 0)
			;
		crm_stmt_finalize(st);
	} else if (err.code != CRM_EX_USAGE) {
		abort();
	}
	crm_binds_release(&b);
	crm_buf_release(&sql);
	crm_strv_release(&where);
	free(text);
	return 0;
}
