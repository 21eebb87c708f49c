/* dedupe_import.c - duplicate checks while importing. See
 * dedupe_import.h. */
#include <stdlib.h>
#include <string.h>

#include "dedupe.h"
#include "dedupe_import.h"

static const char *const policies[] = {"allow", "skip", "update", "flag",
				       "reject"};

int crm_dup_policy_parse(const char *s)
{
	/* "reject" is not a policy to choose */
	return crm_name_index(policies, CRM_ONDUP_REJECT, s);
}

const char *crm_dup_policy_name(int policy)
{
	return crm_name_of(policies, CRM_ONDUP_N, policy);
}

/* An equal-matching-form probe: field of the imported entity, and the
 * statement finding the oldest record with that form. */
struct probe {
	const struct crm_field *f;
	long field;
	struct crm_stmt *st;
};

/* One compared entity's records. */
struct source {
	const struct crm_entity *e;
	struct probe probe[CRM_DD_MAXFIELDS];
	size_t nprobe;
	size_t first;	       /* its first probe's place in crm_dupcheck.got */
	struct crm_dedupe *dd; /* NULL: no model */
	int64_t *ids;	       /* record id per dedupe index */
	long idx[CRM_DD_MAXFIELDS]; /* per compared field: the imported
				       entity's field index, -1: custom */
	size_t nf;
};

struct crm_dupcheck {
	struct crm_dupcheck_opts o;
	struct source *src; /* [0]: the imported entity's own records */
	size_t nsrc;
	struct crm_buf form;
	uint64_t found[CRM_ONDUP_N];
	/* On PostgreSQL, with two probes or more: those a record has a form
	 * for in one statement (one round trip a record instead of one a
	 * probe; they only read, so asking all at once finds what one by one
	 * would). A statement for each set of probes asked (bit k: probe k),
	 * made when first needed: a NULL bound instead would let the server
	 * plan every execution anew (its custom plan folds the NULL away and
	 * looks cheaper than the generic one). got: what each probe found
	 * for the record at hand; forms: its matching form. */
	struct crm_stmt **all;
	size_t nall;
	int64_t *got;
	struct crm_buf *forms;
};

/* Probes asked together at most (2^ALL_MAX statements at most). */
#define ALL_MAX 6

/* The oldest record of e whose matching form of f is parameter param.
 * Names from the entity descriptions, never from input. */
static char *probe_sql(const struct crm_db *db, const struct crm_entity *e,
		       const struct crm_field *f, size_t param)
{
	/* "id + 0" on PostgreSQL: with "ORDER BY id LIMIT 1" its planner may
	 * walk the primary key and filter, reading the whole table for a
	 * key no record has (50 ms a probe at 200,000 leads its statistics
	 * did not know yet; 0.13 ms through the key's index and a sort of
	 * its few rows). SQLite reads the key's index, whose rows of one key
	 * are in id order: a sort there cost 45% more instructions. */
	bool pg = crm_store_engine(db->store) == CRM_STORE_PG;

	return crm_xasprintf("SELECT id FROM %s WHERE %s_key = ?%zu "
			     "ORDER BY id%s LIMIT 1",
			     e->table, f->name, param, pg ? " + 0" : "");
}

/* Probes for the CRM_FF_MATCH fields of s->e that e has too. */
static int setup_probes(struct crm_db *db, const struct crm_entity *e,
			struct source *s, struct crm_err *err)
{
	for (size_t i = 0; i < s->e->nfields && s->nprobe < CRM_DD_MAXFIELDS;
	     i++) {
		const struct crm_field *f = &s->e->fields[i];
		long k = crm_entity_field(e, f->name);
		char *sql;

		if (!(f->flags & CRM_FF_MATCH) || k < 0 ||
		    e->fields[k].type != f->type)
			continue;
		sql = probe_sql(db, s->e, f, 1);
		s->probe[s->nprobe].st = crm_db_stmt(db, sql, err);
		free(sql);
		if (!s->probe[s->nprobe].st)
			return -1;
		s->probe[s->nprobe].f = f;
		s->probe[s->nprobe++].field = k;
	}
	return 0;
}

static int setup_model(struct crm_db *db, const struct crm_entity *e,
		       struct source *s, double threshold, struct crm_err *err)
{
	struct crm_dedupe_opts o = {.threshold = threshold};

	/* default fields: none ignored, so field f is value f */
	s->dd = crm_dedupe_load(db, s->e, NULL, NULL, 0, &s->ids, err);
	if (!s->dd || crm_dedupe_run(s->dd, &o, err) < 0)
		return -1;
	s->nf = crm_dedupe_nfields(s->dd);
	for (size_t f = 0; f < s->nf; f++)
		s->idx[f] = crm_entity_field(e, crm_dedupe_field(s->dd, f));
	return 0;
}

static void setup_all(struct crm_db *db, struct crm_dupcheck *dc)
{
	size_t n = 0;

	for (size_t i = 0; i < dc->nsrc; i++) {
		dc->src[i].first = n;
		n += dc->src[i].nprobe;
	}
	if (n < 2 || n > ALL_MAX || crm_store_engine(db->store) != CRM_STORE_PG)
		return;
	dc->nall = n;
	dc->all = crm_xcalloc((size_t)1 << n, sizeof(*dc->all));
	dc->got = crm_xcalloc(n, sizeof(*dc->got));
	dc->forms = crm_xcalloc(n, sizeof(*dc->forms));
}

/* The probe at place at of all of dc's probes. */
static const struct probe *probe_at(const struct crm_dupcheck *dc, size_t at,
				    const struct crm_entity **e)
{
	size_t i = 0;

	while (at >= dc->src[i].first + dc->src[i].nprobe)
		i++;
	*e = dc->src[i].e;
	return &dc->src[i].probe[at - dc->src[i].first];
}

/* The statement asking the probes in set (bit k: probe k), in order. */
static struct crm_stmt *all_stmt(struct crm_db *db, struct crm_dupcheck *dc,
				 unsigned set, struct crm_err *err)
{
	struct crm_buf sql = {0};
	size_t param = 0;

	if (dc->all[set])
		return dc->all[set];
	crm_buf_adds(&sql, "SELECT ");
	for (size_t at = 0; at < dc->nall; at++) {
		const struct crm_entity *e;
		const struct probe *pr = probe_at(dc, at, &e);
		char *one;

		if (!(set & 1u << at))
			continue;
		one = probe_sql(db, e, pr->f, ++param);
		crm_buf_addf(&sql, "%s(%s)", param > 1 ? ", " : "", one);
		free(one);
	}
	dc->all[set] = crm_db_stmt(db, sql.s, err);
	crm_buf_release(&sql);
	return dc->all[set];
}

struct crm_dupcheck *crm_dupcheck_new(struct crm_db *db,
				      const struct crm_entity *e,
				      const struct crm_dupcheck_opts *o,
				      struct crm_err *err)
{
	struct crm_dupcheck *dc = crm_xcalloc(1, sizeof(*dc));

	dc->o = *o;
	dc->nsrc = 1;
	while (o->also && o->also[dc->nsrc - 1])
		dc->nsrc++;
	dc->src = crm_xcalloc(dc->nsrc, sizeof(*dc->src));
	for (size_t i = 0; i < dc->nsrc; i++) {
		struct source *s = &dc->src[i];

		s->e = i ? o->also[i - 1] : e;
		if ((o->exact && setup_probes(db, e, s, err) < 0) ||
		    (o->model &&
		     setup_model(db, e, s, o->threshold, err) < 0)) {
			crm_dupcheck_free(dc);
			return NULL;
		}
	}
	if (o->exact)
		setup_all(db, dc);
	return dc;
}

void crm_dupcheck_free(struct crm_dupcheck *dc)
{
	if (!dc)
		return;
	for (size_t i = 0; i < dc->nsrc; i++) {
		for (size_t k = 0; k < dc->src[i].nprobe; k++)
			crm_stmt_finalize(dc->src[i].probe[k].st);
		crm_dedupe_free(dc->src[i].dd);
		free(dc->src[i].ids);
	}
	for (size_t i = 0; dc->all && i < (size_t)1 << dc->nall; i++)
		crm_stmt_finalize(dc->all[i]);
	for (size_t i = 0; dc->forms && i < dc->nall; i++)
		crm_buf_release(&dc->forms[i]);
	free(dc->all);
	free(dc->forms);
	free(dc->got);
	free(dc->src);
	crm_buf_release(&dc->form);
	free(dc);
}

uint64_t crm_dupcheck_found(const struct crm_dupcheck *dc, int policy)
{
	uint64_t n = 0;

	if (policy >= 0)
		return policy < CRM_ONDUP_N ? dc->found[policy] : 0;
	for (int i = 0; i < CRM_ONDUP_N; i++)
		n += dc->found[i];
	return n;
}

/* The oldest record of s with a matching form equal to in's: its id, 0
 * for none, -1 on error. */
static int64_t exact(struct crm_dupcheck *dc, struct source *s,
		     const struct crm_row *in, struct crm_err *err)
{
	if (dc->all) {
		for (size_t k = 0; k < s->nprobe; k++)
			if (dc->got[s->first + k])
				return dc->got[s->first + k];
		return 0;
	}
	for (size_t k = 0; k < s->nprobe; k++) {
		struct probe *pr = &s->probe[k];
		int64_t id = 0;
		int rc;

		if (!crm_field_match_form(pr->f, in->v[pr->field], &dc->form))
			continue;
		crm_stmt_bind_text(pr->st, 1, dc->form.s);
		rc = crm_stmt_step(pr->st, err);
		if (rc == 1)
			id = crm_stmt_int(pr->st, 0);
		crm_stmt_reset(pr->st);
		if (rc < 0)
			return -1;
		if (id)
			return id;
	}
	return 0;
}

/* dc->got for in: each probe's oldest match, 0 for none (and for a
 * probe in has no matching form for, which is not asked). */
static int ask_all(struct crm_db *db, struct crm_dupcheck *dc,
		   const struct crm_row *in, struct crm_err *err)
{
	struct crm_stmt *st;
	unsigned set = 0;
	int col = 0, rc;

	for (size_t at = 0; at < dc->nall; at++) {
		const struct crm_entity *e;
		const struct probe *pr = probe_at(dc, at, &e);

		dc->got[at] = 0;
		if (crm_field_match_form(pr->f, in->v[pr->field],
					 &dc->forms[at]))
			set |= 1u << at;
	}
	if (!set)
		return 0;
	if (!(st = all_stmt(db, dc, set, err)))
		return -1;
	for (size_t at = 0; at < dc->nall; at++)
		if (set & 1u << at)
			crm_stmt_bind_text(st, ++col, dc->forms[at].s);
	rc = crm_stmt_step(st, err);
	col = 0;
	for (size_t at = 0; rc == 1 && at < dc->nall; at++)
		if (set & 1u << at)
			dc->got[at] = crm_stmt_int(st, col++);
	crm_stmt_reset(st);
	return rc < 0 ? -1 : 0;
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

/* The model's likeliest duplicate in s of in (b->p < 0: none). */
static int likeliest(const struct crm_dupcheck *dc, const struct source *s,
		     const struct crm_row *in, struct best *b,
		     struct crm_err *err)
{
	const char *vals[CRM_DD_MAXFIELDS];

	for (size_t f = 0; f < s->nf; f++) {
		if (s->idx[f] >= 0) {
			vals[f] = in->v[s->idx[f]];
		} else {
			json_t *v = json_object_get(in->custom,
						    crm_dedupe_field(s->dd, f));
			vals[f] =
			    json_is_string(v) ? json_string_value(v) : NULL;
		}
	}
	b->p = -1;
	return crm_dedupe_candidates(s->dd, vals, dc->o.threshold, keep_best, b,
				     err) < 0
		   ? -1
		   : 0;
}

/* Mark in as a possible duplicate of record target of te: the tag
 * possible-duplicate when e has tags, and duplicate_of (e's own field of
 * that name, else a custom one): target's id, or "ENTITY ID" when the
 * check compares several entities. */
static int mark(const struct crm_dupcheck *dc, const struct crm_entity *e,
		struct crm_row *in, const struct crm_entity *te, int64_t target,
		struct crm_err *err)
{
	long t = crm_entity_field(e, "tags");
	long d = crm_entity_field(e, "duplicate_of");
	struct crm_buf out = {0};
	bool qualify = dc->nsrc > 1;
	char *of = qualify
		       ? crm_xasprintf("%s %lld", te->name, (long long)target)
		       : crm_xasprintf("%lld", (long long)target);

	if (t >= 0 && e->fields[t].type == CRM_T_TAGS) {
		char *tags = crm_xasprintf("%s%spossible-duplicate",
					   in->v[t] ? in->v[t] : "",
					   in->v[t] ? "," : "");
		int rc = crm_field_parse(&e->fields[t], tags, NULL, &out, err);

		free(tags);
		if (rc < 0) {
			crm_buf_release(&out);
			free(of);
			return -1;
		}
		free(in->v[t]);
		in->v[t] = crm_xstrdup(out.s);
		in->touched[t] = true;
	}
	crm_buf_release(&out);
	if (d >= 0) {
		free(in->v[d]);
		in->v[d] = of;
		in->touched[d] = true;
		return 0;
	}
	json_object_set_new(in->custom, "duplicate_of",
			    qualify ? json_string(of) : json_integer(target));
	free(of);
	return 0;
}

int crm_dupcheck_import(struct crm_db *db, const struct crm_entity *e,
			struct crm_import_new *nw, void *arg,
			struct crm_err *err)
{
	struct crm_dupcheck *dc = arg;
	struct crm_dup_report r = {
	    .input = nw->input, .line = nw->rec->line, .p = -1};
	int done = dc->o.policy;

	if (dc->all && ask_all(db, dc, nw->in, err) < 0)
		return -1;
	/* the first source with the likeliest: its own record on a tie */
	for (size_t i = 0; i < dc->nsrc && r.p < 1; i++) {
		struct source *s = &dc->src[i];
		int64_t id = exact(dc, s, nw->in, err);
		struct best b;

		if (id < 0)
			return -1;
		if (id) {
			b.p = 1;
		} else if (!s->dd) {
			continue;
		} else {
			if (likeliest(dc, s, nw->in, &b, err) < 0)
				return -1;
			id = b.p >= 0 ? s->ids[b.i] : 0;
		}
		if (id && b.p > r.p) {
			r.entity = s->e;
			r.target = id;
			r.p = b.p;
		}
	}
	if (r.p < 0)
		return CRM_DUP_INSERT;
	/* another entity's record is never updated */
	if (r.entity != e &&
	    (done == CRM_ONDUP_UPDATE || done == CRM_ONDUP_REJECT))
		done = CRM_ONDUP_SKIP;
	dc->found[done]++;
	r.policy = done;
	if (done == CRM_ONDUP_REJECT)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "already exists as %s %lld (a duplicate: "
				   "%.2f%%)",
				   e->name, (long long)r.target, r.p * 100);
	if (dc->o.report)
		dc->o.report(&r, dc->o.report_arg);
	switch (done) {
	case CRM_ONDUP_SKIP:
		if (r.entity == e) {
			nw->target = r.target;
			return CRM_DUP_SKIP;
		}
		/* shown by --emit as read, saying what it duplicates */
		nw->target = 0;
		return mark(dc, e, nw->in, r.entity, r.target, err) < 0
			   ? -1
			   : CRM_DUP_SKIP;
	case CRM_ONDUP_UPDATE:
		nw->target = r.target;
		return CRM_DUP_UPDATE;
	case CRM_ONDUP_FLAG:
		return mark(dc, e, nw->in, r.entity, r.target, err) < 0
			   ? -1
			   : CRM_DUP_INSERT;
	default:
		return CRM_DUP_INSERT;
	}
}
