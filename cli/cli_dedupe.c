/* cli_dedupe.c - the verbs of crm-dedupe: stream, contacts (and the other
 * entities by name), merge and undo. The work is lib/analytics/dedupe.c's and
 * lib/entity/merge.c's; this reads options and input and prints. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_dedupe.h"
#include "dedupe.h"
#include "dedupe_import.h"
#include "merge.h"
#include "par.h"

/* The default threshold: a pair is a match when the model says it is more
 * likely one than not. */
#define DEFAULT_THRESHOLD 0.5

enum {
	OPT_THRESHOLD = 0x300,
	OPT_RULE,
	OPT_ID,
	OPT_PAIRS,
	OPT_CHECK,
	OPT_FORCE,
	OPT_THREADS,
};

#define THRESHOLD_OPT                                                          \
	{                                                                      \
		"threshold", OPT_THRESHOLD, "P", 0,                            \
		    "Match probability (percent, 0-100) from which a pair is " \
		    "a "                                                       \
		    "duplicate (default 50)",                                  \
		    0                                                          \
	}
#define RULE_OPT                                                               \
	{                                                                      \
		"rule", OPT_RULE, "RULE", 0,                                   \
		    "Match by a rule instead of the model: FIELD[~] joined "   \
		    "by & (and) "                                              \
		    "and | (or); FIELD agrees exactly, FIELD~ at least "       \
		    "closely",                                                 \
		    0                                                          \
	}

#define THREADS_OPT                                                            \
	{                                                                      \
		"threads", OPT_THREADS, "N", 0,                                \
		    "Compare pairs on N threads (default: $CRM_THREADS, "      \
		    "else one per CPU, at most 8); the results do not "        \
		    "depend on it",                                            \
		    0                                                          \
	}

const struct argp_option crm_dedupe_stream_options[] = {
    {"id", OPT_ID, "FIELD", 0,
     "The input's id column (default: id, else the record number)", 0},
    THRESHOLD_OPT,
    RULE_OPT,
    {"check", OPT_CHECK, 0, 0, "Exit 1 when there are duplicates", 0},
    THREADS_OPT,
    {0},
};

const struct argp_option crm_dedupe_find_options[] = {
    THRESHOLD_OPT,
    RULE_OPT,
    {"pairs", OPT_PAIRS, 0, 0,
     "Print matching pairs with the agreement of each field, not "
     "clusters",
     0},
    {"check", OPT_CHECK, 0, 0, "Exit 1 when there are duplicates", 0},
    THREADS_OPT,
    {0},
};

const struct argp_option crm_dedupe_merge_options[] = {
    THRESHOLD_OPT,
    RULE_OPT,
    THREADS_OPT,
    {0},
};

const struct argp_option crm_dedupe_undo_options[] = {
    {"force", OPT_FORCE, 0, 0,
     "Undo even if the merged record changed since (those changes are "
     "lost)",
     0},
    {0},
};

error_t crm_dedupe_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_dedupe_cli *o = cli->opts;
	char *end;

	switch (key) {
	case OPT_THRESHOLD:
		errno = 0;
		o->threshold = strtod(arg, &end) / 100;
		if (errno || end == arg || *end || o->threshold < 0 ||
		    o->threshold > 1)
			argp_error(state,
				   "--threshold: expected a percentage "
				   "0-100, got '%s'",
				   arg);
		break;
	case OPT_RULE:
		o->rule = arg;
		break;
	case OPT_ID:
		o->id = arg;
		break;
	case OPT_PAIRS:
		o->pairs = true;
		break;
	case OPT_CHECK:
		o->check = true;
		break;
	case OPT_FORCE:
		o->force = true;
		break;
	case OPT_THREADS: {
		long n;
		errno = 0;
		n = strtol(arg, &end, 10);
		if (errno || end == arg || *end || n < 1 || n > CRM_PAR_MAX)
			argp_error(state,
				   "--threads: expected a number 1-%d, got "
				   "'%s'",
				   CRM_PAR_MAX, arg);
		o->threads = (unsigned)n;
		break;
	}
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static struct crm_dedupe_opts run_opts(const struct crm_dedupe_cli *o)
{
	struct crm_dedupe_opts r = {
	    .threshold = o->threshold < 0 ? DEFAULT_THRESHOLD : o->threshold,
	    .rule = o->rule,
	    .threads = o->threads,
	};
	return r;
}

static int write_error(struct crm_cli *cli)
{
	crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
		    strerror(errno));
	return crm_cli_fail(cli);
}

static void percent(char *buf, size_t n, double p)
{
	if (p < 0)
		buf[0] = '\0';
	else
		snprintf(buf, n, "%.2f", p * 100);
}

/* -- stream ------------------------------------------------------------ */

struct stream {
	struct crm_strv names;
	int *types;
	const char **vals;
	const char *idcol;
	bool have_id;
	size_t count; /* records read */
	unsigned threads;
	struct crm_dedupe *dd;
};

/* Columns from --fields, or guessed from the first record's names. */
static int stream_setup(struct crm_cli *cli, struct stream *s,
			const struct crm_rec *rec, struct crm_reader *r)
{
	struct crm_dedupe_cli *o = cli->opts;

	if (cli->fields) {
		if (crm_dedupe_parse_fields(cli->fields, &s->names, &s->types,
					    &cli->err) < 0)
			return -1;
		for (size_t f = 0; f < s->names.n; f++)
			if (crm_rec_find(rec, s->names.v[f]) < 0)
				return crm_err_at(&cli->err, CRM_EX_DATAERR,
						  crm_reader_name(r), rec->line,
						  s->names.v[f],
						  "no such column");
	} else {
		s->types = crm_xcalloc(rec->n ? rec->n : 1, sizeof(int));
		for (size_t i = 0; i < rec->n; i++) {
			int t = crm_dd_type_guess(crm_rec_name(rec, i));
			if (t == CRM_DD_IGNORE)
				continue;
			s->types[s->names.n] = t;
			crm_strv_push(&s->names, crm_rec_name(rec, i));
		}
		if (!s->names.n)
			return crm_err_at(
			    &cli->err, CRM_EX_DATAERR, crm_reader_name(r),
			    rec->line, NULL,
			    "no column to compare (name them with --fields "
			    "NAME:TYPE,...)");
	}
	s->idcol = o->id ? o->id : "id";
	s->have_id = crm_rec_find(rec, s->idcol) >= 0;
	if (o->id && !s->have_id)
		return crm_err_at(&cli->err, CRM_EX_DATAERR, crm_reader_name(r),
				  rec->line, o->id, "no such column");
	s->vals = crm_xcalloc(s->names.n, sizeof(char *));
	s->dd = crm_dedupe_new((const char *const *)s->names.v, s->types,
			       s->names.n, &cli->err);
	return s->dd ? 0 : -1;
}

/* Records of one reader, added on another thread while the next ones
 * are read (crm_dedupe_feed); the first error in input order wins. */
static int stream_read(struct crm_cli *cli, struct stream *s,
		       struct crm_reader *r, struct crm_rec *rec)
{
	struct crm_dedupe_feed *fd = NULL;
	struct crm_err e;
	int got;
	char num[32];
	long line;

	while ((got = crm_reader_next(r, rec, &cli->err)) > 0) {
		const char *id;

		if (!s->dd && stream_setup(cli, s, rec, r) < 0) {
			got = -1;
			break;
		}
		if (!fd)
			fd = crm_dedupe_feed_new(s->dd, s->threads);
		for (size_t f = 0; f < s->names.n; f++)
			s->vals[f] = crm_rec_get(rec, s->names.v[f]);
		if (s->have_id) {
			id = crm_rec_get(rec, s->idcol);
			if (!id || !*id) {
				got = crm_err_at(&cli->err, CRM_EX_DATAERR,
						 crm_reader_name(r), rec->line,
						 s->idcol, "missing id");
				break;
			}
		} else {
			snprintf(num, sizeof(num), "%zu", s->count + 1);
			id = num;
		}
		s->count++;
		if (crm_dedupe_feed_add(fd, id, s->vals, rec->line) < 0)
			break; /* crm_dedupe_feed_end says why */
	}
	crm_err_clear(&e);
	if (fd && crm_dedupe_feed_end(fd, &e, &line) < 0) {
		cli->err = e;
		if (!strcmp(cli->err.field, "id"))
			snprintf(cli->err.field, sizeof(cli->err.field), "%s",
				 s->idcol);
		snprintf(cli->err.file, sizeof(cli->err.file), "%s",
			 crm_reader_name(r));
		cli->err.line = line;
		return -1;
	}
	return got;
}

int crm_verb_dedupe_stream(struct crm_cli *cli)
{
	struct crm_dedupe_cli *o = cli->opts;
	struct crm_dedupe_opts ro = run_opts(o);
	struct stream s = {0};
	struct crm_reader **rs = NULL;
	FILE **fps = NULL;
	size_t nr = 0, dups = 0;
	struct crm_rec rec, out;
	struct crm_strv cols = {0};
	struct crm_writer *w = NULL;
	int status = 0;
	uint64_t np, nm;

	crm_rec_init(&rec);
	crm_rec_init(&out);
	s.threads = o->threads;
	if (crm_cli_readers(cli, &rs, &nr, &fps) < 0)
		goto fail;
	for (size_t i = 0; i < nr; i++)
		if (stream_read(cli, &s, rs[i], &rec) < 0)
			goto fail;
	crm_strv_push(&cols, s.have_id ? s.idcol : "id");
	crm_strv_push(&cols, "cluster");
	crm_strv_push(&cols, "probability");
	w = crm_cli_writer(cli, &cols);
	if (s.dd) {
		if (crm_dedupe_run(s.dd, &ro, &cli->err) < 0)
			goto fail;
		for (size_t i = 0; i < crm_dedupe_count(s.dd); i++) {
			char p[32];
			size_t c = crm_dedupe_cluster(s.dd, i);

			percent(p, sizeof(p), crm_dedupe_prob(s.dd, i));
			dups += crm_dedupe_cluster_size(s.dd, i) > 1;
			crm_rec_clear(&out);
			crm_rec_adds(&out, cols.v[0], crm_dedupe_id(s.dd, i));
			crm_rec_adds(&out, "cluster", crm_dedupe_id(s.dd, c));
			crm_rec_adds(&out, "probability", *p ? p : NULL);
			if (crm_writer_write(w, &out) < 0) {
				status = write_error(cli);
				goto out;
			}
		}
	}
	if (crm_writer_close(w) < 0) {
		status = write_error(cli);
		goto out;
	}
	if (s.dd) {
		crm_dedupe_stats(s.dd, &np, &nm);
		crm_cli_note(cli,
			     "%zu records, %llu pairs compared, %llu "
			     "matched; %zu records have duplicates",
			     crm_dedupe_count(s.dd), (unsigned long long)np,
			     (unsigned long long)nm, dups);
	}
	status = o->check && dups ? CRM_EX_FOUND : 0;
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(w);
	crm_cli_readers_free(rs, fps, nr);
	crm_rec_release(&rec);
	crm_rec_release(&out);
	crm_strv_release(&cols);
	crm_strv_release(&s.names);
	free(s.types);
	free(s.vals);
	crm_dedupe_free(s.dd);
	return status;
}

/* -- contacts (companies, leads) --------------------------------------- */

/* The entity a plural names ("contacts", "companies", "leads"), or NULL. */
static const struct crm_entity *entity_of(const char *plural)
{
	for (const char *const *n =
		 (const char *const[]){"contact", "company", "lead", NULL};
	     *n; n++) {
		const struct crm_entity *e = crm_entity_by_name(*n);
		if (e && !strcmp(e->plural, plural))
			return e;
	}
	return NULL;
}

/* The entity of a verb: its name (contacts ...), or merge's NOUN argument
 * (contacts when none). NULL with cli->err set when there is none. */
static const struct crm_entity *verb_entity(struct crm_cli *cli)
{
	const struct crm_entity *e;

	if (strcmp(cli->verb->name, "merge")) {
		e = entity_of(cli->verb->name);
		if (!e)
			crm_err_set(&cli->err, CRM_EX_SOFTWARE,
				    "no %s in this database's schema",
				    cli->verb->name);
		return e;
	}
	if (cli->args.n > 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "merge takes at most one NOUN, not '%s'",
			    cli->args.v[1]);
		return NULL;
	}
	if (!cli->args.n)
		return cli->cmd->entity;
	e = entity_of(cli->args.v[0]);
	if (!e)
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "merge: unknown NOUN '%s' (contacts, companies%s)",
			    cli->args.v[0],
			    crm_entity_by_name("lead") ? ", leads" : "");
	return e;
}

struct pair_out {
	struct crm_cli *cli;
	struct crm_dedupe *dd;
	const int64_t *ids;
	struct crm_writer *w;
	struct crm_rec rec;
	size_t n;
};

static int pair_one(size_t a, size_t b, double p, const int *lv, void *arg)
{
	struct pair_out *po = arg;
	char x[32], y[32], pp[32];

	snprintf(x, sizeof(x), "%lld", (long long)po->ids[a]);
	snprintf(y, sizeof(y), "%lld", (long long)po->ids[b]);
	percent(pp, sizeof(pp), p);
	crm_rec_clear(&po->rec);
	crm_rec_adds(&po->rec, "id", x);
	crm_rec_adds(&po->rec, "other_id", y);
	crm_rec_adds(&po->rec, "probability", pp);
	for (size_t f = 0; f < crm_dedupe_nfields(po->dd); f++)
		crm_rec_adds(&po->rec, crm_dedupe_field(po->dd, f),
			     crm_dedupe_level_name(po->dd, f, lv[f]));
	po->n++;
	return crm_writer_write(po->w, &po->rec);
}

struct by_cluster {
	const struct crm_dedupe *dd;
};

static const struct crm_dedupe *sort_dd;

static int cmp_member(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t cx = crm_dedupe_cluster(sort_dd, x),
	       cy = crm_dedupe_cluster(sort_dd, y);

	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Members of clusters of two or more, by cluster then input order. */
static size_t *members(const struct crm_dedupe *dd, size_t *n)
{
	size_t *m = crm_xmalloc((crm_dedupe_count(dd) + 1) * sizeof(*m));

	*n = 0;
	for (size_t i = 0; i < crm_dedupe_count(dd); i++)
		if (crm_dedupe_cluster_size(dd, i) > 1)
			m[(*n)++] = i;
	sort_dd = dd;
	qsort(m, *n, sizeof(*m), cmp_member);
	return m;
}

/* The members' records, fetched in one query (ids sorted for lookup). */
struct fetch {
	int64_t *ids; /* sorted */
	size_t *pos;  /* pos[k]: where ids[k] goes in recs */
	struct crm_rec *recs;
	size_t n;
};

static int fetch_one(const struct crm_rec *rec, int64_t id, void *arg)
{
	struct fetch *f = arg;
	size_t lo = 0, hi = f->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (f->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < f->n && f->ids[lo] == id)
		crm_rec_copy(&f->recs[f->pos[lo]], rec);
	return 0;
}

static const int64_t *sort_ids;

static int cmp_by_id(const void *a, const void *b)
{
	int64_t x = sort_ids[*(const size_t *)a],
		y = sort_ids[*(const size_t *)b];

	return x < y ? -1 : x > y;
}

static int write_clusters(struct crm_cli *cli, const struct crm_entity *e,
			  struct crm_dedupe *dd, const int64_t *ids,
			  size_t *nrec)
{
	struct crm_strv cols = {0};
	struct crm_writer *w = NULL;
	size_t n, *m = members(dd, &n), *ord;
	int64_t *mids = crm_xmalloc((n + 1) * sizeof(*mids));
	struct fetch f = {.n = n};
	struct crm_query q = {.limit = -1};
	int rc = -1;

	crm_strv_push(&cols, "cluster");
	crm_strv_push(&cols, "id");
	crm_strv_push(&cols, "probability");
	for (size_t fi = 0; fi < crm_dedupe_nfields(dd); fi++)
		crm_strv_push(&cols, crm_dedupe_field(dd, fi));
	/* every member's record in one query, then in cluster order */
	ord = crm_xmalloc((n + 1) * sizeof(*ord));
	for (size_t k = 0; k < n; k++) {
		mids[k] = ids[m[k]];
		ord[k] = k;
	}
	sort_ids = mids;
	qsort(ord, n, sizeof(*ord), cmp_by_id);
	f.ids = crm_xmalloc((n + 1) * sizeof(*f.ids));
	f.pos = ord;
	for (size_t k = 0; k < n; k++)
		f.ids[k] = mids[ord[k]];
	f.recs = crm_xcalloc(n + 1, sizeof(*f.recs));
	for (size_t k = 0; k < n; k++)
		crm_rec_init(&f.recs[k]);
	q.ids = mids;
	q.nids = n;
	if (n && crm_entity_each_rec(cli->db, e, &q, &cols, fetch_one, &f,
				     &cli->err) < 0)
		goto out;
	w = crm_cli_writer(cli, &cols);
	for (size_t k = 0; k < n; k++) {
		size_t i = m[k];
		char c[32], id[32], p[32];
		struct crm_rec *rec = &f.recs[k];

		snprintf(c, sizeof(c), "%lld",
			 (long long)ids[crm_dedupe_cluster(dd, i)]);
		snprintf(id, sizeof(id), "%lld", (long long)ids[i]);
		percent(p, sizeof(p), crm_dedupe_prob(dd, i));
		crm_rec_set(rec, "cluster", c, CRM_STR);
		crm_rec_set(rec, "id", id, CRM_STR);
		crm_rec_set(rec, "probability", p, CRM_STR);
		if (crm_writer_write(w, rec) < 0) {
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
			goto out;
		}
	}
	if (crm_writer_close(w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto out;
	}
	*nrec = n;
	rc = 0;
out:
	crm_writer_free(w);
	for (size_t k = 0; k < n; k++)
		crm_rec_release(&f.recs[k]);
	free(f.recs);
	free(f.ids);
	free(ord);
	free(mids);
	crm_strv_release(&cols);
	free(m);
	return rc;
}

int crm_verb_dedupe_find(struct crm_cli *cli)
{
	struct crm_dedupe_cli *o = cli->opts;
	struct crm_dedupe_opts ro = run_opts(o);
	const struct crm_entity *e = verb_entity(cli);
	struct crm_dedupe *dd = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	uint64_t np, nm;
	int status;

	if (!e)
		return crm_cli_fail(cli);
	dd = crm_dedupe_load(cli->db, e, &cli->where, cli->fields, o->threads,
			     &ids, &cli->err);
	if (!dd || crm_dedupe_run(dd, &ro, &cli->err) < 0)
		goto fail;
	if (o->pairs) {
		struct crm_strv cols = {0};
		struct pair_out po = {.cli = cli, .dd = dd, .ids = ids};
		int rc;

		crm_strv_push(&cols, "id");
		crm_strv_push(&cols, "other_id");
		crm_strv_push(&cols, "probability");
		for (size_t f = 0; f < crm_dedupe_nfields(dd); f++)
			crm_strv_push(&cols, crm_dedupe_field(dd, f));
		crm_rec_init(&po.rec);
		po.w = crm_cli_writer(cli, &cols);
		rc = crm_dedupe_each_pair(dd, ro.threshold, pair_one, &po);
		if (crm_writer_close(po.w) < 0)
			rc = -1;
		crm_writer_free(po.w);
		crm_rec_release(&po.rec);
		crm_strv_release(&cols);
		n = po.n;
		if (rc < 0) {
			status = write_error(cli);
			goto out;
		}
	} else if (write_clusters(cli, e, dd, ids, &n) < 0) {
		goto fail;
	}
	crm_dedupe_stats(dd, &np, &nm);
	crm_cli_note(cli, "%zu %s, %llu pairs compared, %llu matched; %zu %s",
		     crm_dedupe_count(dd), e->plural, (unsigned long long)np,
		     (unsigned long long)nm, n,
		     o->pairs ? "pairs printed" : "records in clusters");
	status = o->check && n ? CRM_EX_FOUND : 0;
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_dedupe_free(dd);
	free(ids);
	return status;
}

/* -- merge and undo ---------------------------------------------------- */

struct member {
	int64_t cluster, id;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	if (x->cluster != y->cluster)
		return x->cluster < y->cluster ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_id(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* (cluster, id) of each record read from stdin. */
static int read_clusters(struct crm_cli *cli, struct member **m, size_t *n)
{
	struct crm_reader *r =
	    crm_reader_open(stdin, "-", cli->ifmt, &cli->err);
	struct crm_rec rec;
	size_t cap = 0;
	int got = -1;

	if (!r)
		return -1;
	crm_rec_init(&rec);
	while ((got = crm_reader_next(r, &rec, &cli->err)) > 0) {
		const char *names[2] = {"cluster", "id"};
		int64_t v[2];

		for (int k = 0; k < 2; k++) {
			const char *s = crm_rec_get(&rec, names[k]);
			if (!s || crm_parse_int(s, &v[k]) < 0) {
				got = crm_err_at(
				    &cli->err, CRM_EX_DATAERR,
				    crm_reader_name(r), rec.line, names[k],
				    s ? "not a record id '%s'" : "missing%s",
				    s ? s : "");
				goto out;
			}
		}
		*m = crm_xgrow(*m, &cap, *n + 1, sizeof(**m));
		(*m)[(*n)++] = (struct member){v[0], v[1]};
	}
out:
	crm_rec_release(&rec);
	crm_reader_free(r);
	return got;
}

/* Clusters above the threshold, as (cluster, id). */
static int found_clusters(struct crm_cli *cli, const struct crm_entity *e,
			  struct member **m, size_t *n)
{
	struct crm_dedupe_cli *o = cli->opts;
	struct crm_dedupe_opts ro = run_opts(o);
	int64_t *ids = NULL;
	struct crm_dedupe *dd = crm_dedupe_load(
	    cli->db, e, &cli->where, cli->fields, o->threads, &ids, &cli->err);
	size_t nm, *mm;

	if (!dd || crm_dedupe_run(dd, &ro, &cli->err) < 0) {
		crm_dedupe_free(dd);
		free(ids);
		return -1;
	}
	mm = members(dd, &nm);
	*m = crm_xmalloc((nm + 1) * sizeof(**m));
	for (size_t k = 0; k < nm; k++)
		(*m)[k] = (struct member){ids[crm_dedupe_cluster(dd, mm[k])],
					  ids[mm[k]]};
	*n = nm;
	free(mm);
	free(ids);
	crm_dedupe_free(dd);
	return 0;
}

int crm_verb_dedupe_merge(struct crm_cli *cli)
{
	const struct crm_entity *e = verb_entity(cli);
	struct member *m = NULL, *byid = NULL;
	size_t n = 0, merges = 0, merged = 0;
	struct crm_strv cols = {0};
	struct crm_writer *w = NULL;
	struct crm_row row;
	struct crm_rec rec;
	int64_t *ids = NULL;
	int status = 0;

	if (!e)
		return crm_cli_fail(cli);
	crm_row_init(&row, e);
	crm_rec_init(&rec);
	/* the clusters are found in the transaction that merges them: a
	 * record deleted or added meanwhile is never merged by a stale id */
	if (crm_db_begin(cli->db, &cli->err) < 0)
		goto fail;
	if ((cli->from_stdin ? read_clusters(cli, &m, &n)
			     : found_clusters(cli, e, &m, &n)) < 0)
		goto fail;
	/* a record in two clusters cannot be merged twice */
	byid = crm_xmalloc((n + 1) * sizeof(*byid));
	memcpy(byid, m, n * sizeof(*m));
	qsort(byid, n, sizeof(*byid), cmp_id);
	for (size_t k = 1; k < n; k++)
		if (byid[k].id == byid[k - 1].id &&
		    byid[k].cluster != byid[k - 1].cluster) {
			crm_err_at(&cli->err, CRM_EX_DATAERR, "<stdin>", 0,
				   "id", "%s %lld is in clusters %lld and %lld",
				   e->name, (long long)byid[k].id,
				   (long long)byid[k - 1].cluster,
				   (long long)byid[k].cluster);
			goto fail;
		}
	qsort(m, n, sizeof(*m), cmp_pair);
	crm_strv_push(&cols, "merge");
	crm_strv_push(&cols, "merged");
	crm_entity_columns(e, false, &cols);
	w = crm_cli_writer(cli, &cols);
	ids = crm_xmalloc((n + 1) * sizeof(*ids));
	for (size_t a = 0, b; a < n; a = b) {
		size_t k = 0;
		int64_t merge;
		char num[32];

		for (b = a; b < n && m[b].cluster == m[a].cluster; b++)
			if (!k || ids[k - 1] != m[b].id)
				ids[k++] = m[b].id;
		if (k < 2)
			continue;
		if (crm_merge_records(cli->db, e, ids, k, &row, &merge,
				      &cli->err) < 0)
			goto fail;
		merges++;
		merged += k - 1;
		crm_rec_clear(&rec);
		crm_row_to_rec(&row, &cols, NULL, &rec);
		snprintf(num, sizeof(num), "%lld", (long long)merge);
		crm_rec_set(&rec, "merge", num, CRM_STR);
		crm_rec_set(&rec, "merged", NULL, CRM_NULL);
		{
			struct crm_buf ml = {0};
			for (size_t j = 0; j < k; j++)
				if (ids[j] != crm_row_id(&row))
					crm_buf_addf(&ml, "%s%lld",
						     ml.len ? "," : "",
						     (long long)ids[j]);
			crm_rec_set(&rec, "merged", crm_buf_str(&ml), CRM_STR);
			crm_buf_release(&ml);
		}
		if (crm_writer_write(w, &rec) < 0) {
			status = write_error(cli);
			crm_db_rollback(cli->db);
			goto out;
		}
	}
	if (cli->dry_run)
		crm_db_rollback(cli->db);
	else if (crm_db_commit(cli->db, &cli->err) < 0)
		goto fail;
	if (crm_writer_close(w) < 0) {
		status = write_error(cli);
		goto out;
	}
	crm_cli_note(cli, "%s%zu merges, %zu %s merged away",
		     cli->dry_run ? "dry run: " : "", merges, merged,
		     merged == 1 ? e->name : e->plural);
	goto out;
fail:
	crm_db_rollback(cli->db);
	status = crm_cli_fail(cli);
out:
	crm_writer_free(w);
	crm_row_release(&row);
	crm_rec_release(&rec);
	crm_strv_release(&cols);
	free(m);
	free(byid);
	free(ids);
	return status;
}

int crm_verb_dedupe_undo(struct crm_cli *cli)
{
	struct crm_dedupe_cli *o = cli->opts;
	int64_t merge;
	uint64_t n, links;

	if (cli->args.n != 1 || crm_parse_int(cli->args.v[0], &merge) < 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "undo takes one merge number");
		return crm_cli_fail(cli);
	}
	if (crm_merge_undo(cli->db, merge, o->force, cli->dry_run, &n, &links,
			   &cli->err) < 0)
		return crm_cli_fail(cli);
	crm_cli_note(cli, "%sundid merge %lld: %llu records restored, %llu %s",
		     cli->dry_run ? "dry run: " : "", (long long)merge,
		     (unsigned long long)n, (unsigned long long)links,
		     links == 1 ? "link restored" : "links restored");
	return 0;
}

/* -- import with duplicate checks -------------------------------------- */

enum { OPT_ON_DUPLICATE = 0x320, OPT_DUPLICATE_THRESHOLD };

const struct argp_option crm_import_dedupe_options[] = {
    CRM_IMPORT_OPTION_LIST,
    {"on-duplicate", OPT_ON_DUPLICATE, "POLICY", 0,
     "A record that matches no key but duplicates one already there (the "
     "crm-dedupe model): skip it, update that one, flag it (insert it "
     "with duplicate_of set, tagged possible-duplicate if it has tags) or "
     "allow it (insert, report only)",
     0},
    {"duplicate-threshold", OPT_DUPLICATE_THRESHOLD, "P", 0,
     "Match probability (percent, 0-100) from which a record is a "
     "duplicate (default 50)",
     0},
    {0},
};

error_t crm_import_dedupe_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_entity_opts *o = cli->opts;
	char *end;
	double p;
	int policy;

	switch (key) {
	case OPT_ON_DUPLICATE:
		if (crm_dup_policy_parse(arg) < 0)
			argp_error(state,
				   "--on-duplicate: expected skip, update, "
				   "flag or allow, got '%s'",
				   arg);
		o->on_duplicate = arg;
		return 0;
	case OPT_DUPLICATE_THRESHOLD:
		errno = 0;
		p = strtod(arg, &end);
		if (errno || end == arg || *end || p < 0 || p > 100)
			argp_error(state,
				   "--duplicate-threshold: expected a "
				   "percentage 0-100, got '%s'",
				   arg);
		o->duplicate_threshold = arg;
		return 0;
	case ARGP_KEY_END:
		if (o->duplicate_threshold && !o->on_duplicate)
			argp_error(state, "--duplicate-threshold needs "
					  "--on-duplicate");
		policy = o->on_duplicate ? crm_dup_policy_parse(o->on_duplicate)
					 : -1;
		if (policy >= 0 && policy != CRM_ONDUP_UPDATE &&
		    o->mode == CRM_UPDATE_ONLY)
			argp_error(state,
				   "--on-duplicate=%s: a record matching "
				   "no key is rejected by --update-only",
				   o->on_duplicate);
		if (policy == CRM_ONDUP_UPDATE && o->mode == CRM_CREATE_ONLY)
			argp_error(state, "--on-duplicate=update: not with "
					  "--create-only");
		return 0;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
}

/* What was done with a duplicate, by enum crm_dup_policy. */
static const char *const treated[] = {"allowed", "skipped", "updated",
				      "flagged", "rejected"};

/* One line on stderr per duplicate found. */
static void report_dup(const struct crm_dup_report *r, void *arg)
{
	struct crm_cli *cli = arg;

	if (cli->quiet)
		return;
	if (r->line > 0)
		fprintf(stderr, "%s:%s:%ld: ", cli->cmd->name, r->input,
			r->line);
	else
		fprintf(stderr, "%s: ", cli->cmd->name);
	fprintf(stderr, "duplicate of %s %lld (%.2f%%): %s%s\n",
		r->entity->name, (long long)r->target, r->p * 100,
		treated[r->policy], r->policy == CRM_ONDUP_UPDATE ? " it" : "");
}

/* "N duplicates of leads or contacts already there: updated" (or, when
 * they were treated differently, "1 updated, 1 skipped"). */
static void note_found(struct crm_cli *cli, const struct crm_dupcheck *dc,
		       const struct crm_dupcheck_opts *d)
{
	uint64_t n = crm_dupcheck_found(dc, -1);
	struct crm_buf of = {0}, what = {0};
	int kinds = 0, last = d->policy;

	crm_buf_adds(&of, cli->cmd->entity->plural);
	for (size_t i = 0; d->also && d->also[i]; i++)
		crm_buf_addf(&of, "%s%s", d->also[i + 1] ? ", " : " or ",
			     d->also[i]->plural);
	for (int p = 0; p < CRM_ONDUP_N; p++)
		if (crm_dupcheck_found(dc, p)) {
			kinds++;
			last = p;
		}
	for (int p = 0; kinds > 1 && p < CRM_ONDUP_N; p++)
		if (crm_dupcheck_found(dc, p))
			crm_buf_addf(
			    &what, "%s%llu %s", what.len ? ", " : "",
			    (unsigned long long)crm_dupcheck_found(dc, p),
			    treated[p]);
	crm_cli_note(cli, "%s%llu duplicate%s of %s already there: %s",
		     cli->dry_run ? "dry run: " : "", (unsigned long long)n,
		     n == 1 ? "" : "s", of.s,
		     kinds > 1 ? what.s : treated[last]);
	crm_buf_release(&of);
	crm_buf_release(&what);
}

/* Run verb with the check d (reporting through cli) as o->check. */
static int with_check(struct crm_cli *cli, struct crm_dupcheck_opts *d,
		      int (*verb)(struct crm_cli *cli), bool summary)
{
	struct crm_entity_opts *o = cli->opts;
	struct crm_dupcheck *dc;
	int status;

	d->report = report_dup;
	d->report_arg = cli;
	dc = crm_dupcheck_new(cli->db, cli->cmd->entity, d, &cli->err);
	if (!dc)
		return crm_cli_fail(cli);
	o->check = crm_dupcheck_import;
	o->check_arg = dc;
	o->check_ahead = crm_dupcheck_ahead;
	o->check_wrote = crm_dupcheck_wrote;
	o->check_alone = d->batch;
	status = verb(cli);
	/* the check every lead import makes says something only when it
	 * found something; one asked for with --on-duplicate always does */
	if ((!status || status == CRM_EX_REJECTED) && summary &&
	    (o->on_duplicate || crm_dupcheck_found(dc, -1)))
		note_found(cli, dc, d);
	o->check = NULL;
	o->check_arg = NULL;
	o->check_ahead = NULL;
	o->check_wrote = NULL;
	o->check_alone = false;
	crm_dupcheck_free(dc);
	return status;
}

int crm_import_dedupe(struct crm_cli *cli, const struct crm_dupcheck_opts *base)
{
	struct crm_entity_opts *o = cli->opts;
	struct crm_dupcheck_opts d = {.policy = -1};

	if (base)
		d = *base;
	if (o->on_duplicate) {
		d.policy = crm_dup_policy_parse(o->on_duplicate);
		d.model = true;
		d.threshold = o->duplicate_threshold
				  ? strtod(o->duplicate_threshold, NULL) / 100
				  : DEFAULT_THRESHOLD;
	}
	/* --explain-mapping imports nothing: nothing to check */
	if (d.policy < 0 || o->explain_mapping)
		return crm_verb_import(cli);
	/* the policy that would update cannot under --create-only */
	if (d.policy == CRM_ONDUP_UPDATE && o->mode == CRM_CREATE_ONLY)
		d.policy = CRM_ONDUP_REJECT;
	return with_check(cli, &d, crm_verb_import, true);
}

int crm_verb_import_dedupe(struct crm_cli *cli)
{
	return crm_import_dedupe(cli, NULL);
}

int crm_add_dedupe(struct crm_cli *cli, const struct crm_dupcheck_opts *base)
{
	struct crm_dupcheck_opts d = *base;

	d.policy = CRM_ONDUP_FLAG;
	d.model = false;
	return with_check(cli, &d, crm_verb_add, false);
}
