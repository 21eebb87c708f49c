/* dedupe_import.c - duplicate checks while importing. See
 * dedupe_import.h. */
#include <stdlib.h>
#include <string.h>

#include "dedupe.h"
#include "dedupe_import.h"

static const char *const policies[] = {"allow", "skip", "update", "flag"};

int crm_dup_policy_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, policies[i]))
			return i;
	return -1;
}

const char *crm_dup_policy_name(int policy)
{
	return policy >= 0 && policy < 4 ? policies[policy] : "?";
}

struct crm_dupcheck {
	struct crm_dedupe *dd;
	int64_t *ids; /* record id per dedupe index */
	long *idx;    /* per compared field: its field index, -1: custom */
	const char **vals;
	size_t nf;
	int policy;
	double threshold;
	void (*report)(const struct crm_dup_report *r, void *arg);
	void *report_arg;
	uint64_t found;
};

struct crm_dupcheck *
crm_dupcheck_new(struct crm_db *db, const struct crm_entity *e, int policy,
		 double threshold,
		 void (*report)(const struct crm_dup_report *r, void *arg),
		 void *report_arg, struct crm_err *err)
{
	struct crm_dupcheck *dc = crm_xcalloc(1, sizeof(*dc));
	struct crm_dedupe_opts o = {.threshold = threshold};

	dc->policy = policy;
	dc->threshold = threshold;
	dc->report = report;
	dc->report_arg = report_arg;
	/* default fields: none ignored, so field f is value f */
	dc->dd = crm_dedupe_load(db, e, NULL, NULL, 0, &dc->ids, err);
	if (!dc->dd || crm_dedupe_run(dc->dd, &o, err) < 0) {
		crm_dupcheck_free(dc);
		return NULL;
	}
	dc->nf = crm_dedupe_nfields(dc->dd);
	dc->idx = crm_xcalloc(dc->nf, sizeof(*dc->idx));
	dc->vals = crm_xcalloc(dc->nf, sizeof(*dc->vals));
	for (size_t f = 0; f < dc->nf; f++)
		dc->idx[f] = crm_entity_field(e, crm_dedupe_field(dc->dd, f));
	return dc;
}

void crm_dupcheck_free(struct crm_dupcheck *dc)
{
	if (!dc)
		return;
	crm_dedupe_free(dc->dd);
	free(dc->ids);
	free(dc->idx);
	free(dc->vals);
	free(dc);
}

uint64_t crm_dupcheck_found(const struct crm_dupcheck *dc)
{
	return dc->found;
}

struct best {
	size_t i;
	double p;
};

static int keep_best(size_t i, double p, void *arg)
{
	struct best *b = arg;

	if (p > b->p) {
		b->i = i;
		b->p = p;
	}
	return 0;
}

/* Tag the record possible-duplicate and note what it duplicates. */
static int flag(const struct crm_entity *e, struct crm_row *in, int64_t target,
		struct crm_err *err)
{
	long t = crm_entity_field(e, "tags");
	struct crm_buf out = {0};

	if (t >= 0 && e->fields[t].type == CRM_T_TAGS) {
		char *tags = crm_xasprintf("%s%spossible-duplicate",
					   in->v[t] ? in->v[t] : "",
					   in->v[t] ? "," : "");
		int rc = crm_field_parse(&e->fields[t], tags, NULL, &out, err);

		free(tags);
		if (rc < 0) {
			crm_buf_release(&out);
			return -1;
		}
		free(in->v[t]);
		in->v[t] = crm_xstrdup(out.s);
		in->touched[t] = true;
	}
	crm_buf_release(&out);
	json_object_set_new(in->custom, "duplicate_of", json_integer(target));
	return 0;
}

int crm_dupcheck_import(struct crm_db *db, const struct crm_entity *e,
			struct crm_import_new *nw, void *arg,
			struct crm_err *err)
{
	struct crm_dupcheck *dc = arg;
	struct best b = {0, -1};
	struct crm_dup_report r;

	(void)db;
	for (size_t f = 0; f < dc->nf; f++) {
		if (dc->idx[f] >= 0) {
			dc->vals[f] = nw->in->v[dc->idx[f]];
		} else {
			json_t *v = json_object_get(
			    nw->in->custom, crm_dedupe_field(dc->dd, f));
			dc->vals[f] =
			    json_is_string(v) ? json_string_value(v) : NULL;
		}
	}
	if (crm_dedupe_candidates(dc->dd, dc->vals, dc->threshold, keep_best,
				  &b, err) < 0)
		return -1;
	if (b.p < 0)
		return CRM_DUP_INSERT;
	dc->found++;
	nw->target = dc->ids[b.i];
	r = (struct crm_dup_report){nw->input, nw->rec->line, nw->target, b.p,
				    dc->policy};
	if (dc->report)
		dc->report(&r, dc->report_arg);
	switch (dc->policy) {
	case CRM_ONDUP_SKIP:
		return CRM_DUP_SKIP;
	case CRM_ONDUP_UPDATE:
		return CRM_DUP_UPDATE;
	case CRM_ONDUP_FLAG:
		return flag(e, nw->in, nw->target, err) < 0 ? -1
							    : CRM_DUP_INSERT;
	default:
		return CRM_DUP_INSERT;
	}
}
