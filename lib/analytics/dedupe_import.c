/* dedupe_import.c - duplicate checks while importing. See
 * dedupe_import.h. */
#include <stdlib.h>
#include <string.h>

#include "bloom.h"
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
	long key; /* the imported entity's NAME_key for field, when its
		     matching form is made as f's (else -1) */
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
	/* o.batch on PostgreSQL: the probes of a chunk of records in one
	 * statement (crm_dupcheck_ahead), asked at the check of the first
	 * of them that gets there; the answers are then kept current with
	 * the importer's writes (crm_dupcheck_wrote) until the next chunk. */
	bool batch;
	bool loaded, fetched;	   /* a chunk's forms; asked */
	bool jit_off;		   /* the transaction's JIT turned off */
	uint64_t seen;		   /* records shown ahead so far */
	struct chunk_probe *chunk; /* per probe */
	struct crm_stmt *chunk_st;
	struct crm_buf arr;
};

/* A matching form the records of a chunk have for one probe, and the
 * oldest record with it (id 0: none) while known. */
struct chunk_form {
	char *form;
	int64_t id;
	bool known;
};

struct chunk_probe {
	struct chunk_form *v; /* sorted by form, each once */
	size_t n, cap;
	long key; /* the imported entity's NAME_key field: for a probe of
		     its own records, else -1 */
	/* Every form the probe's table holds, and those the import wrote
	 * since (crm_dupcheck_wrote): a form it certainly lacks is known
	 * to have no record without asking (bits NULL: no filter yet) */
	struct crm_bloom have;
	uint64_t tried; /* dc->seen at the last count for it */
	size_t *ask;	/* the places in v of the forms asked */
	size_t nask, askcap;
};

/* A probe's filter (chunk_probe.have) is made once FILTER_AFTER records
 * were checked, when its table has at most FILTER_ROWS_PER rows a record
 * checked so far (one key read costs the server much less than a probe:
 * a filter of a big table pays off for a big import only); it is made
 * again, bigger, when full, up to FILTER_MAX_ITEMS keys (8 MiB). */
enum { FILTER_AFTER = 4096, FILTER_ROWS_PER = 8 };
#define FILTER_MAX_ITEMS 6000000u

/* Probes asked together at most (2^ALL_MAX statements at most). */
#define ALL_MAX 6

/* The oldest record of e whose matching form of f is parameter param.
 * Names from the entity descriptions, never from input. */
static char *probe_of(const struct crm_db *db, const struct crm_entity *e,
		      const struct crm_field *f, const char *operand)
{
	/* "id + 0" on PostgreSQL: with "ORDER BY id LIMIT 1" its planner may
	 * walk the primary key and filter, reading the whole table for a
	 * key no record has (50 ms a probe at 200,000 leads its statistics
	 * did not know yet; 0.13 ms through the key's index and a sort of
	 * its few rows). SQLite reads the key's index, whose rows of one key
	 * are in id order: a sort there cost 45% more instructions. */
	bool pg = crm_store_engine(db->store) == CRM_STORE_PG;

	return crm_xasprintf("SELECT id FROM %s WHERE %s_key = %s "
			     "ORDER BY id%s LIMIT 1",
			     e->table, f->name, operand, pg ? " + 0" : "");
}

/* The probe of parameter param. */
static char *probe_sql(const struct crm_db *db, const struct crm_entity *e,
		       const struct crm_field *f, size_t param)
{
	char operand[32];

	snprintf(operand, sizeof(operand), "?%zu", param);
	return probe_of(db, e, f, operand);
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
		s->probe[s->nprobe].key = -1;
		if ((e->fields[k].flags & CRM_FF_MATCH) &&
		    e->fields[k].match == f->match) {
			sql = crm_xasprintf("%s_key", e->fields[k].name);
			s->probe[s->nprobe].key = crm_entity_field(e, sql);
			free(sql);
		}
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
	if (!dc->o.batch)
		return;
	dc->batch = true;
	dc->chunk = crm_xcalloc(n, sizeof(*dc->chunk));
	for (size_t at = 0; at < n; at++) {
		dc->chunk[at].key = -1;
		if (at < dc->src[0].nprobe) {
			const struct crm_field *f = dc->src[0].probe[at].f;
			char *k = crm_xasprintf("%s_key", f->name);

			/* the column the probe reads, as the importer
			 * writes it */
			dc->chunk[at].key = crm_entity_field(dc->src[0].e, k);
			free(k);
			if (dc->chunk[at].key < 0)
				dc->batch = false;
		}
	}
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
	for (size_t i = 0; dc->chunk && i < dc->nall; i++) {
		for (size_t k = 0; k < dc->chunk[i].n; k++)
			free(dc->chunk[i].v[k].form);
		free(dc->chunk[i].v);
		free(dc->chunk[i].ask);
		crm_bloom_release(&dc->chunk[i].have);
	}
	free(dc->chunk);
	crm_stmt_finalize(dc->chunk_st);
	crm_buf_release(&dc->arr);
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

/* The matching form of in for pr (NULL: none): the row's own NAME_key
 * when it has one made as pr's would be (the importer's read_input made
 * it from the same value: the normalization was three times a record's,
 * a tenth of a lead import's client instructions), else made in out. */
static const char *form_of(const struct probe *pr, const struct crm_row *in,
			   struct crm_buf *out)
{
	if (!in->v[pr->field])
		return NULL;
	if (pr->key >= 0)
		return in->v[pr->key];
	return crm_field_match_form(pr->f, in->v[pr->field], out) ? out->s
								  : NULL;
}

static int form_cmp(const void *a, const void *b)
{
	return strcmp(((const struct chunk_form *)a)->form,
		      ((const struct chunk_form *)b)->form);
}

/* The chunk's entry of form for probe at, or NULL. */
static struct chunk_form *chunk_find(struct crm_dupcheck *dc, size_t at,
				     const char *form)
{
	struct chunk_form key = {.form = (char *)form};

	return dc->chunk[at].n ? bsearch(&key, dc->chunk[at].v, dc->chunk[at].n,
					 sizeof(key), form_cmp)
			       : NULL;
}

void crm_dupcheck_ahead(const struct crm_row *const *in, size_t n, void *arg)
{
	struct crm_dupcheck *dc = arg;

	if (!dc->batch)
		return;
	dc->seen += n;
	for (size_t at = 0; at < dc->nall; at++) {
		struct chunk_probe *cp = &dc->chunk[at];
		const struct crm_entity *e;
		const struct probe *pr = probe_at(dc, at, &e);
		size_t k = 0;

		for (size_t i = 0; i < cp->n; i++)
			free(cp->v[i].form);
		cp->n = 0;
		for (size_t i = 0; i < n; i++) {
			const char *f = form_of(pr, in[i], &dc->form);

			if (!f)
				continue;
			cp->v = crm_xgrow(cp->v, &cp->cap, cp->n + 1,
					  sizeof(*cp->v));
			cp->v[cp->n++] =
			    (struct chunk_form){.form = crm_xstrdup(f)};
		}
		if (cp->n)
			qsort(cp->v, cp->n, sizeof(*cp->v), form_cmp);
		for (size_t i = 0; i < cp->n; i++) {
			if (k && !strcmp(cp->v[k - 1].form, cp->v[i].form)) {
				free(cp->v[i].form);
				continue;
			}
			cp->v[k++] = cp->v[i];
		}
		cp->n = k;
	}
	dc->loaded = true;
	dc->fetched = false;
}

/* The text of a PostgreSQL array of the forms of cp asked, in dc->arr. */
static const char *array_text(struct crm_dupcheck *dc,
			      const struct chunk_probe *cp)
{
	crm_buf_reset(&dc->arr);
	crm_buf_adds(&dc->arr, "{");
	for (size_t i = 0; i < cp->nask; i++) {
		crm_buf_adds(&dc->arr, i ? ",\"" : "\"");
		for (const char *p = cp->v[cp->ask[i]].form; *p; p++) {
			if (*p == '"' || *p == '\\')
				crm_buf_adds(&dc->arr, "\\");
			crm_buf_add(&dc->arr, p, 1);
		}
		crm_buf_adds(&dc->arr, "\"");
	}
	crm_buf_adds(&dc->arr, "}");
	return dc->arr.s;
}

/* Whether probe at's filter is to be made (again) now. */
static bool filter_due(const struct crm_dupcheck *dc, size_t at)
{
	const struct chunk_probe *cp = &dc->chunk[at];

	if (!cp->n)
		return false; /* (not before a chunk has forms for it) */
	if (!cp->have.bits)
		return dc->seen >= FILTER_AFTER && dc->seen >= 2 * cp->tried;
	return crm_bloom_full(&cp->have) &&
	       cp->have.mask + 1 < crm_bloom_bits(FILTER_MAX_ITEMS);
}

/* Make probe at's filter from its table, when that holds few enough
 * rows; the rows the import holds back are added after (the import
 * reports them: crm_importer_held). 0, or -1 with err. */
static int filter_make(struct crm_db *db, struct crm_dupcheck *dc, size_t at,
		       struct crm_err *err)
{
	struct chunk_probe *cp = &dc->chunk[at];
	const struct crm_entity *e;
	const struct probe *pr = probe_at(dc, at, &e);
	uint64_t most = FILTER_ROWS_PER * dc->seen, items = cp->have.n;
	struct crm_stmt *st;
	char *sql;
	int rc;

	if (!cp->have.bits) {
		/* counted no further than it may hold, so that a big table
		 * costs little more to refuse than a small one */
		cp->tried = dc->seen;
		sql = crm_xasprintf(
		    "SELECT count(*) FROM (SELECT 1 FROM %s LIMIT ?1) AS s",
		    e->table);
		st = crm_db_stmt(db, sql, err);
		free(sql);
		if (!st)
			return -1;
		crm_stmt_bind_int(st, 1, (int64_t)most + 1);
		if ((rc = crm_stmt_step(st, err)) > 0)
			items = (uint64_t)crm_stmt_int(st, 0);
		crm_stmt_finalize(st);
		if (rc < 0)
			return -1;
		if (items > most)
			return 0;
	}
	items += 2 * dc->seen + crm_bloom_room();
	crm_bloom_release(&cp->have);
	crm_bloom_init(&cp->have,
		       items < FILTER_MAX_ITEMS ? items : FILTER_MAX_ITEMS);
	sql = crm_xasprintf("SELECT %s_key FROM %s WHERE %s_key IS NOT NULL",
			    pr->f->name, e->table, pr->f->name);
	st = crm_db_stmt(db, sql, err);
	free(sql);
	if (!st)
		return -1;
	if (crm_stmt_bloom_fill(st, &cp->have, err) < 0) {
		crm_bloom_release(&cp->have);
		return -1;
	}
	return 0;
}

/* Which forms of the chunk to ask (cp->ask): those the filter may hold;
 * the others are known to have no record. How many are asked. */
static size_t chunk_asked(struct crm_dupcheck *dc)
{
	size_t asked = 0;

	for (size_t at = 0; at < dc->nall; at++) {
		struct chunk_probe *cp = &dc->chunk[at];

		cp->nask = 0;
		for (size_t i = 0; i < cp->n; i++) {
			const char *f = cp->v[i].form;

			if (cp->have.bits &&
			    !crm_bloom_maybe(&cp->have, f, strlen(f))) {
				cp->v[i].id = 0;
				cp->v[i].known = true;
				continue;
			}
			cp->ask = crm_xgrow(cp->ask, &cp->askcap, cp->nask + 1,
					    sizeof(*cp->ask));
			cp->ask[cp->nask++] = i;
		}
		asked += cp->nask;
	}
	return asked;
}

/* Ask every probe for every form of the chunk its filter may hold, in
 * one statement: per probe, its forms as an array and the probe's own
 * query for each (a subquery, so each is planned as the one-record probe
 * is). */
static int chunk_fetch(struct crm_db *db, struct crm_dupcheck *dc,
		       struct crm_err *err)
{
	int rc;

	for (size_t at = 0; at < dc->nall; at++)
		if (filter_due(dc, at) && filter_make(db, dc, at, err) < 0)
			return -1;
	if (!chunk_asked(dc))
		return 0;
	/* The first five runs of the statement are planned for their
	 * arrays; with no statistics yet for a table just loaded (474 rows
	 * guessed a key) their cost passed jit_above_cost and the server
	 * compiled each plan, 240-350 ms a run, for a statement that then
	 * runs in 1-20 ms. Nothing of an import needs JIT. */
	if (!dc->jit_off) {
		if (crm_db_exec(db, "SET LOCAL jit = off", err) < 0)
			return -1;
		dc->jit_off = true;
	}
	if (!dc->chunk_st) {
		struct crm_buf sql = {0};

		for (size_t at = 0; at < dc->nall; at++) {
			const struct crm_entity *e;
			const struct probe *pr = probe_at(dc, at, &e);
			char *one = probe_of(db, e, pr->f, "u.v");

			crm_buf_addf(&sql,
				     "%sSELECT %zu, u.i, (%s) FROM "
				     "unnest(?%zu::text[]) WITH ORDINALITY "
				     "AS u(v, i)",
				     at ? " UNION ALL " : "", at, one, at + 1);
			free(one);
		}
		dc->chunk_st = crm_db_stmt(db, sql.s, err);
		crm_buf_release(&sql);
		if (!dc->chunk_st)
			return -1;
	}
	for (size_t at = 0; at < dc->nall; at++)
		crm_stmt_bind_text(dc->chunk_st, (int)at + 1,
				   array_text(dc, &dc->chunk[at]));
	while ((rc = crm_stmt_step(dc->chunk_st, err)) > 0) {
		int64_t at = crm_stmt_int(dc->chunk_st, 0);
		int64_t i = crm_stmt_int(dc->chunk_st, 1);

		struct chunk_form *cf;

		if (at < 0 || (size_t)at >= dc->nall || i < 1 ||
		    (size_t)i > dc->chunk[at].nask)
			continue;
		cf = &dc->chunk[at].v[dc->chunk[at].ask[i - 1]];
		cf->id = crm_stmt_int(dc->chunk_st, 2);
		cf->known = true;
	}
	crm_stmt_reset(dc->chunk_st);
	return rc < 0 ? -1 : 0;
}

/* dc->got for in from the chunk: 1 when every probe in has a form for is
 * known there, 0 when not (ask them), -1 on error. */
static int from_chunk(struct crm_db *db, struct crm_dupcheck *dc,
		      const struct crm_row *in, struct crm_err *err)
{
	if (!dc->loaded)
		return 0;
	if (!dc->fetched) {
		if (chunk_fetch(db, dc, err) < 0)
			return -1;
		dc->fetched = true;
	}
	for (size_t at = 0; at < dc->nall; at++) {
		const struct crm_entity *e;
		const struct probe *pr = probe_at(dc, at, &e);
		const struct chunk_form *cf;
		const char *f;

		dc->got[at] = 0;
		if (!(f = form_of(pr, in, &dc->forms[at])))
			continue;
		cf = chunk_find(dc, at, f);
		if (!cf || !cf->known)
			return 0;
		dc->got[at] = cf->id;
	}
	return 1;
}

void crm_dupcheck_wrote(const struct crm_row *old, const struct crm_row *row,
			void *arg)
{
	struct crm_dupcheck *dc = arg;
	int64_t id = crm_row_id(row);

	/* every form the import writes goes into the filters */
	for (size_t at = 0; dc->batch && at < dc->nall; at++) {
		long k = dc->chunk[at].key;

		if (k >= 0 && row->v[k] && dc->chunk[at].have.bits)
			crm_bloom_add(&dc->chunk[at].have, row->v[k],
				      strlen(row->v[k]));
	}
	/* before the chunk is asked, the database answers with this write */
	if (!dc->batch || !dc->loaded || !dc->fetched)
		return;
	for (size_t at = 0; at < dc->nall; at++) {
		long k = dc->chunk[at].key;
		const char *now = k >= 0 ? row->v[k] : NULL;
		const char *was = old && k >= 0 ? old->v[k] : NULL;
		struct chunk_form *cf;

		if (k < 0 || (old && crm_str_same(now, was)))
			continue;
		/* the oldest record with the form it had may be another */
		if (was && (cf = chunk_find(dc, at, was)) && cf->known &&
		    cf->id == id)
			cf->known = false;
		if (now && (cf = chunk_find(dc, at, now)) && cf->known &&
		    (!cf->id || id < cf->id))
			cf->id = id;
	}
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

/* The imported entity's records the chunk matched, read ahead for the
 * repeats that will update them (crm_importer_prefetch). */
static int prefetch(const struct crm_dupcheck *dc, struct crm_importer *im,
		    struct crm_err *err)
{
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;

	for (size_t at = 0; im && at < dc->nall; at++)
		for (size_t i = 0;
		     dc->chunk[at].key >= 0 && i < dc->chunk[at].n; i++)
			if (dc->chunk[at].v[i].known && dc->chunk[at].v[i].id) {
				ids = crm_xgrow(ids, &cap, n + 1, sizeof(*ids));
				ids[n++] = dc->chunk[at].v[i].id;
			}
	rc = crm_importer_prefetch(im, ids, n, err);
	free(ids);
	return rc;
}

int crm_dupcheck_import(struct crm_db *db, const struct crm_entity *e,
			struct crm_import_new *nw, void *arg,
			struct crm_err *err)
{
	struct crm_dupcheck *dc = arg;
	struct crm_dup_report r = {
	    .input = nw->input, .line = nw->rec->line, .p = -1};
	int done = dc->o.policy;

	/* The importer holds new rows for a multi-row INSERT: the database
	 * answers below with them written (crm_importer_settle), but for
	 * the chunk's, which learn of them as of rows written since
	 * (settling there cut most INSERTs short: 4,026 statements for
	 * 172,793 leads, not 1,350) */
	if (dc->all) {
		int rc = 0;

		if (dc->batch && dc->loaded && !dc->fetched) {
			if (chunk_fetch(db, dc, err) < 0)
				return -1;
			dc->fetched = true;
			crm_importer_held(nw->im);
			if (prefetch(dc, nw->im, err) < 0)
				return -1;
		}
		if (dc->batch)
			rc = from_chunk(db, dc, nw->in, err);
		if (rc < 0 || (!rc && (crm_importer_settle(nw->im, err) < 0 ||
				       ask_all(db, dc, nw->in, err) < 0)))
			return -1;
	} else if (crm_importer_settle(nw->im, err) < 0) {
		return -1;
	}
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
