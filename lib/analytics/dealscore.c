/* dealscore.c - deal win probability: see dealscore.h. Features of a deal
 * are measured at its reference time: closed_at for a closed deal (what
 * was known when it closed, so the model learns nothing from the outcome
 * itself), now for an open one. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dbq.h"
#include "dealscore.h"
#include "logit.h"
#include "money.h"
#include "pipeline.h"

enum {
	F_PIPELINE,
	F_STAGE,
	F_SOURCE,
	F_AMOUNT_BAND,
	F_DAYS_IN_STAGE,
	F_AGE_DAYS,
	F_REGRESSIONS,
	F_CALLS_30D,
	F_EMAILS_30D,
	F_MEETINGS_30D,
	F_OTHER_30D,
	F_ACTIVITIES_90D,
	F_DAYS_SINCE_INBOUND,
	F_OWNER_WIN_RATE,
	F_ACCOUNT_WON,
	F_ACCOUNT_LOST,
	NF
};

static const char *const feat_names[NF] = {
    "pipeline",		  "stage",	    "source",	   "amount_band",
    "days_in_stage",	  "age_days",	    "regressions", "calls_30d",
    "emails_30d",	  "meetings_30d",   "other_30d",   "activities_90d",
    "days_since_inbound", "owner_win_rate", "account_won", "account_lost",
};

void crm_dealscore_opts_init(struct crm_dealscore_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->min_history = 200;
	o->min_class = 10;
	o->folds = 5;
	o->nfactors = 3;
}

void crm_dealscore_report_release(struct crm_dealscore_report *r)
{
	crm_model_info_release(&r->info);
	memset(r, 0, sizeof(*r));
}

/* One deal as the model sees it. */
struct drow {
	int64_t id;
	char *name, *stage_now, *owner, *closed_at;
	char *v[NF];
	int y;		/* 1 won, 0 lost (closed deals) */
	double stage_p; /* percent */
	/* while reading: what the history and activity passes need */
	const struct crm_pipeline *pl;
	bool closed;
	crm_time reft, entered;
	char ref[CRM_TIME_LEN];
	long regress;
	bool stage_p_set;  /* the deal's own probability */
	bool has_previous; /* an earlier score (open deals) */
	double previous;
};

static void drow_release(struct drow *r)
{
	free(r->name);
	free(r->stage_now);
	free(r->owner);
	free(r->closed_at);
	for (int i = 0; i < NF; i++)
		free(r->v[i]);
}

static char *sdup(const char *s)
{
	return s ? crm_xstrdup(s) : NULL;
}

static char *num(double v)
{
	char buf[32];

	/* most features are small whole numbers, which %.6g prints as
	 * digits: written by hand, as snprintf was a sixth of scoring */
	if (v > -1e6 && v < 1e6 && v == (double)(long)v && !signbit(v)) {
		long k = (long)v;
		char *p = buf + sizeof(buf) - 1;

		*p = '\0';
		do
			*--p = (char)('0' + k % 10);
		while ((k /= 10) > 0);
		return crm_xstrdup(p);
	}
	snprintf(buf, sizeof(buf), "%.6g", v);
	return crm_xstrdup(buf);
}

static crm_time parse_t(const char *s, crm_time def)
{
	crm_time t;
	struct crm_err e;

	if (!s || crm_datetime_parse(s, &t, &e) < 0)
		return def;
	return t;
}

static const char *amount_band(const char *amount, const char *cur)
{
	int64_t a;
	int ex = crm_money_exponent(cur ? cur : "XXX");
	double major;

	if (!amount || crm_parse_int(amount, &a) < 0)
		return NULL;
	major = (double)a / pow(10, ex < 0 ? 2 : ex);
	if (major < 1000)
		return "<1k";
	if (major < 10000)
		return "1k-10k";
	if (major < 100000)
		return "10k-100k";
	return "100k+";
}

/* Index of a stage in its pipeline, -1 when unknown. */
static long stage_index(const struct crm_pipeline *pl, const char *name,
			bool *open)
{
	const struct crm_stage *s =
	    pl && name ? crm_stage_find(pl, name) : NULL;

	*open = s && s->status == CRM_DEAL_OPEN;
	return s ? (long)(s - pl->stages) : -1;
}

/* The history and the activities of every deal read, one query each in
 * deal id order merged with the deals (also in id order): a query per
 * deal made scoring 250k open deals 13x slower than reading them. Each
 * row is then kept only when before the deal's reference time, as the
 * per-deal queries' "at <= ref" / "occurred_at < ref" did (times are
 * stored in one format, so text order is time order).
 *
 * Two forms of each: all the deals of a status at once (training, the
 * monitor) through the status index, and a batch of ids (scoring) through
 * the deal id: there "status || ''" keeps SQLite off deals_status, which
 * made every batch walk all the open deals (and deal_history_stage all the
 * history), so scoring 1M open deals grew with the square of the count. */
#define HISTORY_COLS                                                           \
	"SELECT h.deal_id, h.from_value, h.to_value, h.at FROM deal_history "  \
	"h JOIN deals d ON d.id = h.deal_id WHERE "
#define HISTORY_ORDER " ORDER BY h.deal_id, h.at, h.id"
static const char sql_history[] =
    HISTORY_COLS "h.field = 'stage' AND d.status IN (?1, ?2) AND d.id > ?3 "
		 "AND d.id <= ?4" HISTORY_ORDER;
static const char sql_history_batch[] =
    HISTORY_COLS "h.deal_id > ?3 AND h.deal_id <= ?4 AND h.field || '' = "
		 "'stage' AND d.status || '' IN (?1, ?2)" HISTORY_ORDER;
#define ACTS_COLS                                                              \
	"SELECT a.deal_id, a.type, a.direction, a.occurred_at FROM "           \
	"activities a JOIN deals d ON d.id = a.deal_id WHERE "
#define ACTS_ORDER " AND a.occurred_at IS NOT NULL ORDER BY a.deal_id"
static const char sql_acts[] =
    ACTS_COLS "d.status IN (?1, ?2) AND d.id > ?3 AND d.id <= ?4" ACTS_ORDER;
static const char sql_acts_batch[] =
    ACTS_COLS "a.deal_id > ?3 AND a.deal_id <= ?4 AND d.status || '' IN "
	      "(?1, ?2)" ACTS_ORDER;

/* The row of id in rows[*at..n) (ids ascending), moving *at forward;
 * NULL when id has none. */
static struct drow *row_of(struct drow *rows, size_t n, size_t *at, int64_t id)
{
	while (*at < n && rows[*at].id < id)
		(*at)++;
	return *at < n && rows[*at].id == id ? &rows[*at] : NULL;
}

/* Calls fn for each row of sql over the deals of the status (open, else
 * closed) with ids in (after, last], at most limit of them for a query
 * that has a limit. */
static int each_deal(struct crm_db *db, const char *sql, bool open,
		     int64_t after, int64_t last,
		     int (*fn)(struct crm_stmt *, void *), void *arg,
		     struct crm_err *err)
{
	return crm_dbq_each(db, err, fn, arg, sql, "ssii",
			    open ? "open" : "won", open ? "open" : "lost",
			    after, last);
}

/* A pass over the deals of rows[0..n) (n > 0): those of the status with
 * ids from the first row's to the last's. */
struct pass {
	struct drow *rows;
	size_t n, at;
	struct acount *c;
	size_t done; /* rows before done have their activity counts */
};

static int stage_row(struct crm_stmt *st, void *arg)
{
	struct pass *p = arg;
	struct drow *r = row_of(p->rows, p->n, &p->at, crm_stmt_int(st, 0));
	const char *when = crm_stmt_text(st, 3);
	bool fo, to;
	long fi, ti;

	if (!r || !when || strcmp(when, r->ref) > 0)
		return 0;
	fi = stage_index(r->pl, crm_stmt_text(st, 1), &fo);
	ti = stage_index(r->pl, crm_stmt_text(st, 2), &to);
	if (fo && to && ti < fi)
		r->regress++;
	if (to && r->closed) {
		free(r->v[F_STAGE]);
		r->v[F_STAGE] = sdup(crm_stmt_text(st, 2));
		r->entered = parse_t(when, r->entered);
	}
	return 0;
}

/* The stage part: the stage (a closed deal's last open stage), when it
 * was entered, and the moves back to an earlier open stage. */
static int stage_pass(struct crm_db *db, struct drow *rows, size_t n, bool open,
		      bool batch, struct crm_err *err)
{
	struct pass p = {.rows = rows, .n = n};

	if (each_deal(db, batch ? sql_history_batch : sql_history, open,
		      rows[0].id - 1, rows[n - 1].id, stage_row, &p, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct drow *r = &rows[i];
		const char *cur = r->v[F_STAGE];

		r->v[F_DAYS_IN_STAGE] =
		    cur ? num(floor((double)(r->reft - r->entered) / 86400))
			: NULL;
		r->v[F_REGRESSIONS] = num((double)r->regress);
		if (cur && !r->stage_p_set) {
			bool o;
			long k = stage_index(r->pl, cur, &o);

			r->stage_p = k >= 0 ? r->pl->stages[k].probability : 0;
		}
	}
	return 0;
}

/* Per deal while the activities stream by. */
struct acount {
	long calls, emails, meetings, other, n90;
	crm_time last_in;
	bool any_in;
};

static void activity_set(struct drow *r, const struct acount *c)
{
	r->v[F_CALLS_30D] = num((double)c->calls);
	r->v[F_EMAILS_30D] = num((double)c->emails);
	r->v[F_MEETINGS_30D] = num((double)c->meetings);
	r->v[F_OTHER_30D] = num((double)c->other);
	r->v[F_ACTIVITIES_90D] = num((double)c->n90);
	r->v[F_DAYS_SINCE_INBOUND] =
	    c->any_in ? num(floor((double)(r->reft - c->last_in) / 86400))
		      : NULL;
}

/* Sets the counts of the rows before upto, those the activities have
 * passed. */
static void activity_done(struct pass *p, size_t upto)
{
	for (; p->done < upto; p->done++) {
		activity_set(&p->rows[p->done], p->c);
		memset(p->c, 0, sizeof(*p->c));
	}
}

static int activity_row(struct crm_stmt *st, void *arg)
{
	struct pass *p = arg;
	struct acount *c = p->c;
	struct drow *r = row_of(p->rows, p->n, &p->at, crm_stmt_int(st, 0));
	const char *type = crm_stmt_text(st, 1);
	const char *dir = crm_stmt_text(st, 2);
	const char *when = crm_stmt_text(st, 3);
	crm_time t;

	if (!r || strcmp(when, r->ref) >= 0)
		return 0;
	activity_done(p, p->at);
	t = parse_t(when, 0);
	if (dir && !strcmp(dir, "in") && (!c->any_in || t > c->last_in)) {
		c->last_in = t;
		c->any_in = true;
	}
	if (t >= r->reft - 90 * 86400)
		c->n90++;
	if (t < r->reft - 30 * 86400)
		return 0;
	if (type && !strcmp(type, "call"))
		c->calls++;
	else if (type && !strcmp(type, "email"))
		c->emails++;
	else if (type && !strcmp(type, "meeting"))
		c->meetings++;
	else
		c->other++;
	return 0;
}

static int activity_pass(struct crm_db *db, struct drow *rows, size_t n,
			 bool open, bool batch, struct crm_err *err)
{
	struct acount c = {0};
	struct pass p = {.rows = rows, .n = n, .c = &c};

	if (each_deal(db, batch ? sql_acts_batch : sql_acts, open,
		      rows[0].id - 1, rows[n - 1].id, activity_row, &p,
		      err) < 0)
		return -1;
	activity_done(&p, n);
	return 0;
}

/* The book of closed deals, read once per run: sorted by owner (and by
 * company) then closed_at, with running counts of the won, so the record
 * of an owner or account before a time is two binary searches (a query
 * per deal took minutes for 10,000 deals). A closed deal's own close is
 * never before its reference time, so it never counts itself. */
struct closed {
	char *owner;
	int64_t company; /* 0: none */
	char at[CRM_TIME_LEN];
	int won;
};

struct book {
	struct closed *by_owner, *by_company;
	long *won_owner, *won_company; /* won among the first i */
	size_t n;
};

static int cmp_owner(const void *a, const void *b)
{
	const struct closed *x = a, *y = b;
	int c = !x->owner || !y->owner ? !x->owner - !y->owner
				       : strcmp(x->owner, y->owner);

	return c ? c : strcmp(x->at, y->at);
}

static int cmp_company(const void *a, const void *b)
{
	const struct closed *x = a, *y = b;

	if (x->company != y->company)
		return (x->company > y->company) - (x->company < y->company);
	return strcmp(x->at, y->at);
}

static void book_release(struct book *bk)
{
	for (size_t i = 0; i < bk->n; i++)
		free(bk->by_owner[i].owner);
	free(bk->by_owner);
	free(bk->by_company);
	free(bk->won_owner);
	free(bk->won_company);
	memset(bk, 0, sizeof(*bk));
}

struct book_load {
	struct book *bk;
	size_t cap;
};

static int book_row(struct crm_stmt *st, void *arg)
{
	struct book_load *l = arg;
	struct book *bk = l->bk;
	struct closed *c;
	crm_time t;
	struct crm_err e;

	if (crm_datetime_parse(crm_stmt_text(st, 2), &t, &e) < 0)
		return 0;
	bk->by_owner = crm_xgrow(bk->by_owner, &l->cap, bk->n + 1, sizeof(*c));
	c = &bk->by_owner[bk->n++];
	c->owner = sdup(crm_stmt_text(st, 0));
	c->company = crm_stmt_is_null(st, 1) ? 0 : crm_stmt_int(st, 1);
	crm_datetime_format(t, c->at);
	c->won = !strcmp(crm_stmt_text(st, 3), "won");
	return 0;
}

static int book_load(struct crm_db *db, struct book *bk, struct crm_err *err)
{
	struct book_load l = {.bk = bk};

	memset(bk, 0, sizeof(*bk));
	if (crm_dbq_each(db, err, book_row, &l,
			 "SELECT owner, company_id, closed_at, status FROM "
			 "deals WHERE status IN ('won', 'lost') AND closed_at "
			 "IS NOT NULL",
			 "") < 0)
		return -1;
	bk->by_company = crm_xmalloc((bk->n + 1) * sizeof(*bk->by_company));
	if (bk->n)
		memcpy(bk->by_company, bk->by_owner,
		       bk->n * sizeof(*bk->by_company));
	qsort(bk->by_owner, bk->n, sizeof(*bk->by_owner), cmp_owner);
	qsort(bk->by_company, bk->n, sizeof(*bk->by_company), cmp_company);
	bk->won_owner = crm_xcalloc(bk->n + 1, sizeof(long));
	bk->won_company = crm_xcalloc(bk->n + 1, sizeof(long));
	for (size_t i = 0; i < bk->n; i++) {
		bk->won_owner[i + 1] = bk->won_owner[i] + bk->by_owner[i].won;
		bk->won_company[i + 1] =
		    bk->won_company[i] + bk->by_company[i].won;
	}
	return 0;
}

/* The first index in v[0..n) not less than key (cmp as qsort's). */
static size_t lower(const struct closed *v, size_t n, const struct closed *key,
		    int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp(&v[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Closed and won deals of owner (or company, when owner is NULL and
 * company is not 0) closed before ref. */
static void record_part(const struct book *bk, const char *owner,
			int64_t company, const char *ref, int64_t *closed,
			int64_t *won)
{
	struct closed k0 = {.owner = (char *)owner, .company = company},
		      k1 = k0;
	const struct closed *v = owner ? bk->by_owner : bk->by_company;
	const long *w = owner ? bk->won_owner : bk->won_company;
	int (*cmp)(const void *, const void *) =
	    owner ? cmp_owner : cmp_company;
	size_t a, b;

	*closed = *won = 0;
	if (!owner && !company)
		return;
	k0.at[0] = '\0'; /* before any time */
	snprintf(k1.at, sizeof(k1.at), "%s", ref);
	a = lower(v, bk->n, &k0, cmp);
	b = lower(v, bk->n, &k1, cmp);
	*closed = (int64_t)(b - a);
	*won = (int64_t)(w[b] - w[a]);
}

#define DEALS_COLS                                                             \
	"SELECT id, name, pipeline, stage, status, amount, currency, owner, "  \
	"source, company_id, created_at, stage_changed_at, closed_at, "        \
	"updated_at, probability, (SELECT s.probability FROM deal_scores s "   \
	"WHERE s.deal_id = deals.id ORDER BY s.at DESC, s.id DESC LIMIT 1) "   \
	"FROM deals WHERE "
#define DEALS_ORDER " AND id > ?3 ORDER BY id LIMIT ?4"
static const char sql_deals[] = DEALS_COLS "status IN (?1, ?2)" DEALS_ORDER;
static const char sql_deals_batch[] =
    DEALS_COLS "status || '' IN (?1, ?2)" DEALS_ORDER;

/* Describe the deal at d's row. */
static void describe(struct crm_db *db, const struct crm_pipelines *pls,
		     const struct book *bk, struct crm_stmt *d, struct drow *r)
{
	const char *status = crm_stmt_text(d, 4);
	bool closed = status && strcmp(status, "open") != 0;
	const struct crm_pipeline *pl =
	    crm_pipeline_find(pls, crm_stmt_text(d, 2));
	crm_time created = parse_t(crm_stmt_text(d, 10), db->now);
	crm_time reft = db->now;
	char *ref = r->ref;
	const char *band;
	int64_t n, w;

	memset(r, 0, sizeof(*r));
	r->id = crm_stmt_int(d, 0);
	r->name = sdup(crm_stmt_text(d, 1));
	r->stage_now = sdup(crm_stmt_text(d, 3));
	r->owner = sdup(crm_stmt_text(d, 7));
	r->y = status && !strcmp(status, "won");
	if (closed) {
		const char *c = crm_stmt_text(d, 12);

		reft = parse_t(c ? c : crm_stmt_text(d, 13), db->now);
		r->closed_at = sdup(crm_datetime_format(reft, ref));
	}
	crm_datetime_format(reft, ref);
	r->pl = pl;
	r->closed = closed;
	r->reft = reft;
	r->entered = parse_t(crm_stmt_text(d, 11), created);
	r->v[F_STAGE] = closed ? NULL : sdup(crm_stmt_text(d, 3));
	r->v[F_PIPELINE] = sdup(crm_stmt_text(d, 2));
	r->v[F_SOURCE] = sdup(crm_stmt_text(d, 8));
	band = amount_band(crm_stmt_text(d, 5), crm_stmt_text(d, 6));
	r->v[F_AMOUNT_BAND] = sdup(band);
	r->v[F_AGE_DAYS] = num(floor((double)(reft - created) / 86400));
	if (!closed && !crm_stmt_is_null(d, 14)) {
		r->stage_p = crm_stmt_double(d, 14);
		r->stage_p_set = true;
	}
	if (!crm_stmt_is_null(d, 15)) {
		r->has_previous = true;
		r->previous = crm_stmt_double(d, 15);
	}
	record_part(bk, crm_stmt_text(d, 7), 0, ref, &n, &w);
	r->v[F_OWNER_WIN_RATE] =
	    num(round(1000.0 * (double)(w + 1) / (double)(n + 2)) / 10);
	record_part(bk, NULL, crm_stmt_is_null(d, 9) ? 0 : crm_stmt_int(d, 9),
		    ref, &n, &w);
	r->v[F_ACCOUNT_WON] = num((double)w);
	r->v[F_ACCOUNT_LOST] = num((double)(n - w));
}

struct range {
	struct crm_db *db;
	const struct crm_pipelines *pls;
	const struct book *bk;
	struct drow **rows;
	size_t *n, cap;
	struct crm_err *err;
};

static int range_row(struct crm_stmt *st, void *arg)
{
	struct range *l = arg;

	if (crm_check_interrupt(l->err) < 0)
		return -1;
	*l->rows = crm_xgrow(*l->rows, &l->cap, *l->n + 1, sizeof(**l->rows));
	describe(l->db, l->pls, l->bk, st, &(*l->rows)[(*l->n)++]);
	return 0;
}

/* Read at most limit closed (open false) or open deals with ids above
 * after into *rows, in id order: all of them when limit is INT64_MAX,
 * else a batch (read by id). */
static int read_range(struct crm_db *db, bool open, const struct book *bk,
		      int64_t after, int64_t limit, struct drow **rows,
		      size_t *n, struct crm_err *err)
{
	struct range l = {.db = db,
			  .pls = crm_pipelines_get(err),
			  .bk = bk,
			  .rows = rows,
			  .n = n,
			  .err = err};
	bool batch = limit != INT64_MAX;

	*rows = NULL;
	*n = 0;
	if (!l.pls || each_deal(db, batch ? sql_deals_batch : sql_deals, open,
				after, limit, range_row, &l, err) < 0)
		return -1;
	if (*n && (stage_pass(db, *rows, *n, open, batch, err) < 0 ||
		   activity_pass(db, *rows, *n, open, batch, err) < 0))
		return -1;
	return 0;
}

/* Read every closed (open false) or open deal into *rows. */
static int read_deals(struct crm_db *db, bool open, struct drow **rows,
		      size_t *n, struct crm_err *err)
{
	struct book bk;
	int rc;

	*rows = NULL;
	*n = 0;
	if (book_load(db, &bk, err) < 0)
		return -1;
	rc = read_range(db, open, &bk, INT64_MIN, INT64_MAX, rows, n, err);
	book_release(&bk);
	return rc;
}

static void free_rows(struct drow *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		drow_release(&rows[i]);
	free(rows);
}

static void to_rec(const struct drow *r, struct crm_rec *rec)
{
	crm_rec_clear(rec);
	for (int i = 0; i < NF; i++)
		crm_rec_set(rec, feat_names[i], r->v[i],
			    r->v[i] ? CRM_STR : CRM_NULL);
}

static void logit_opts(struct crm_logit_opts *lo)
{
	crm_logit_opts_init(lo);
	lo->target = "won";
	for (int i = 0; i <= F_AMOUNT_BAND; i++)
		crm_strv_push(&lo->categorical, feat_names[i]);
}

static struct crm_logit_model *fit(const struct drow *rows, size_t n,
				   const unsigned char *skip,
				   const struct crm_logit_opts *lo,
				   struct crm_logit_report *rep,
				   struct crm_err *err)
{
	struct crm_logit_data *d = crm_logit_data_new(feat_names, NF);
	struct crm_logit_model *m;

	for (size_t i = 0; i < n; i++)
		if (!skip || !skip[i])
			crm_logit_data_add(d, (const char *const *)rows[i].v,
					   rows[i].y);
	m = crm_logit_train(d, lo, rep, err);
	crm_logit_data_free(d);
	return m;
}

struct pair {
	double p;
	size_t i; /* ties keep id order */
	unsigned char y;
};

static int by_p(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->p != y->p)
		return (x->p > y->p) - (x->p < y->p);
	return (x->i > y->i) - (x->i < y->i);
}

/* Deciles of p (0-1) against y: mean predicted and observed, percent. */
static int deciles(const double *p, const unsigned char *y, size_t n,
		   struct crm_calib *out)
{
	struct pair *v = crm_xmalloc((n ? n : 1) * sizeof(*v));
	int k = n < 10 ? (int)n : 10;

	for (size_t i = 0; i < n; i++)
		v[i] = (struct pair){p[i], i, y[i]};
	qsort(v, n, sizeof(*v), by_p);
	memset(out, 0, 10 * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct crm_calib *c = &out[i * (size_t)k / n];

		c->deals++;
		c->expected += v[i].p;
		c->observed += v[i].y;
	}
	for (int j = 0; j < k; j++) {
		out[j].expected = 100 * out[j].expected / (double)out[j].deals;
		out[j].observed = 100 * out[j].observed / (double)out[j].deals;
	}
	free(v);
	return k;
}

static json_t *calib_json(const struct crm_calib *c, int k)
{
	json_t *a = json_array();

	for (int j = 0; j < k; j++)
		json_array_append_new(a, json_pack("{s:I, s:f, s:f}", "deals",
						   (json_int_t)c[j].deals,
						   "expected", c[j].expected,
						   "observed", c[j].observed));
	return a;
}

static void calib_load(json_t *a, struct crm_calib *c, int *k)
{
	size_t i;
	json_t *v;

	*k = 0;
	json_array_foreach(a, i, v)
	{
		if (i >= 10)
			break;
		c[i].deals =
		    (long)json_integer_value(json_object_get(v, "deals"));
		c[i].expected =
		    json_number_value(json_object_get(v, "expected"));
		c[i].observed =
		    json_number_value(json_object_get(v, "observed"));
		*k = (int)i + 1;
	}
}

/* -- the inputs' distributions, for the population stability index -- */

static bool numeric_feature(int f)
{
	return f > F_AMOUNT_BAND;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Bin of value v (NULL: the last, "missing") against edges e[9]. */
static int bin_of(const char *v, const double *e)
{
	double x;
	int k = 0;

	if (!v)
		return 10;
	x = strtod(v, NULL);
	while (k < 9 && x > e[k])
		k++;
	return k;
}

/* Per feature: numeric ones the deciles of the rows' values (9 edges)
 * and the share of rows in each of the 10 bins and missing; categorical
 * ones the share of each level ("" for missing). */
static json_t *inputs_json(const struct drow *rows, size_t n)
{
	json_t *root = json_object();
	double *v = crm_xmalloc((n ? n : 1) * sizeof(*v));

	for (int f = 0; f < NF; f++) {
		json_t *o = json_object(), *p;

		if (numeric_feature(f)) {
			double e[9], cnt[11] = {0};
			size_t k = 0;
			json_t *ea = json_array();

			for (size_t i = 0; i < n; i++)
				if (rows[i].v[f])
					v[k++] = strtod(rows[i].v[f], NULL);
			qsort(v, k, sizeof(*v), cmp_dbl);
			for (int q = 0; q < 9; q++) {
				e[q] = k ? v[(size_t)(q + 1) * k / 10] : 0;
				json_array_append_new(ea, json_real(e[q]));
			}
			for (size_t i = 0; i < n; i++)
				cnt[bin_of(rows[i].v[f], e)]++;
			p = json_array();
			for (int q = 0; q < 11; q++)
				json_array_append_new(
				    p, json_real(n ? cnt[q] / (double)n : 0));
			json_object_set_new(o, "edges", ea);
		} else {
			p = json_object();
			for (size_t i = 0; i < n; i++) {
				const char *l =
				    rows[i].v[f] ? rows[i].v[f] : "";
				json_t *c = json_object_get(p, l);

				json_object_set_new(
				    p, l,
				    json_real((c ? json_real_value(c) : 0) +
					      1.0 / (double)n));
			}
		}
		json_object_set_new(o, "p", p);
		json_object_set_new(root, feat_names[f], o);
	}
	free(v);
	return root;
}

/* PSI of feature f of rows against its training distribution in (an
 * object of inputs_json): sum (a - e) ln(a / e), shares floored at
 * 0.0001. */
static double psi(json_t *in, int f, const struct drow *rows, size_t n)
{
	json_t *p = json_object_get(in, "p");
	double sum = 0;

	if (!p || !n)
		return NAN;
	if (numeric_feature(f)) {
		double e[9], a[11] = {0};
		json_t *ea = json_object_get(in, "edges");

		for (int q = 0; q < 9; q++)
			e[q] = json_number_value(json_array_get(ea, (size_t)q));
		for (size_t i = 0; i < n; i++)
			a[bin_of(rows[i].v[f], e)]++;
		for (int q = 0; q < 11; q++) {
			double x = fmax(a[q] / (double)n, 0.0001);
			double y = fmax(
			    json_number_value(json_array_get(p, (size_t)q)),
			    0.0001);

			sum += (x - y) * log(x / y);
		}
	} else {
		json_t *cnt = json_object(), *c;
		const char *k;

		for (size_t i = 0; i < n; i++) {
			const char *l = rows[i].v[f] ? rows[i].v[f] : "";

			c = json_object_get(cnt, l);
			json_object_set_new(
			    cnt, l,
			    json_real((c ? json_real_value(c) : 0) +
				      1.0 / (double)n));
		}
		json_object_foreach(p, k, c)
		{
			double y = fmax(json_number_value(c), 0.0001);
			json_t *ac = json_object_get(cnt, k);
			double x = fmax(ac ? json_real_value(ac) : 0, 0.0001);

			sum += (x - y) * log(x / y);
		}
		json_object_foreach(cnt, k, c)
		{
			if (json_object_get(p, k))
				continue;
			sum += (json_real_value(c) - 0.0001) *
			       log(json_real_value(c) / 0.0001);
		}
		json_decref(cnt);
	}
	return sum;
}

/* Cross-validate (out-of-fold probabilities), fit on everything, store
 * the model. */
static int train(struct crm_db *db, const struct crm_dealscore_opts *o,
		 struct crm_dealscore_report *rep, struct crm_err *err)
{
	struct drow *rows = NULL, *open = NULL;
	size_t n = 0, nopen = 0, won = 0;
	size_t k = (size_t)(o->folds >= 2 ? o->folds : 2);
	struct crm_logit_opts lo;
	struct crm_logit_report lr;
	struct crm_logit_model *m = NULL;
	double *oof = NULL, *base = NULL;
	unsigned char *y = NULL, *skip = NULL;
	size_t *fold = NULL;
	struct crm_rec rec;
	char now[CRM_TIME_LEN];
	json_t *det;
	int rc = -1;

	logit_opts(&lo);
	crm_rec_init(&rec);
	if (read_deals(db, false, &rows, &n, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		won += (size_t)rows[i].y;
	if ((long)n < o->min_history || (long)won < o->min_class ||
	    (long)(n - won) < o->min_class) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "too little history to train a deal model: %zu "
			    "closed deals (%zu won, %zu lost); it needs at "
			    "least %ld, with %ld won and %ld lost",
			    n, won, n - won, o->min_history, o->min_class,
			    o->min_class);
		goto out;
	}
	oof = crm_xmalloc(n * sizeof(*oof));
	base = crm_xmalloc(n * sizeof(*base));
	y = crm_xmalloc(n);
	skip = crm_xmalloc(n);
	fold = crm_xmalloc(n * sizeof(*fold));
	/* folds stratified by outcome, in id order: deterministic */
	{
		size_t nw = 0, nl = 0;

		for (size_t i = 0; i < n; i++)
			fold[i] = rows[i].y ? nw++ % k : nl++ % k;
	}
	for (size_t f = 0; f < k; f++) {
		struct crm_logit_model *fm;

		for (size_t i = 0; i < n; i++)
			skip[i] = fold[i] == f;
		if (!(fm = fit(rows, n, skip, &lo, &lr, err)))
			goto out;
		for (size_t i = 0; i < n; i++) {
			if (fold[i] != f)
				continue;
			to_rec(&rows[i], &rec);
			if (crm_logit_predict(fm, &rec, &oof[i], NULL, 0, NULL,
					      err) < 0) {
				crm_logit_model_free(fm);
				goto out;
			}
		}
		crm_logit_model_free(fm);
	}
	for (size_t i = 0; i < n; i++) {
		y[i] = (unsigned char)rows[i].y;
		base[i] = rows[i].stage_p / 100;
	}
	if (!(m = fit(rows, n, NULL, &lo, &lr, err)))
		goto out;
	rep->trained = true;
	rep->info.kind = crm_xstrdup("deal");
	rep->info.trained_at = crm_xstrdup(crm_datetime_format(db->now, now));
	rep->info.rows = (int64_t)n;
	rep->info.positives = (int64_t)won;
	rep->info.cv_auc = crm_logit_auc(oof, y, n);
	rep->info.baseline_auc = crm_logit_auc(base, y, n);
	rep->info.cv_log_loss = crm_logit_log_loss(oof, y, n);
	for (size_t i = 0; i < n; i++) {
		const char *c = rows[i].closed_at;

		if (c && (!rep->info.data_from ||
			  strcmp(c, rep->info.data_from) < 0)) {
			free(rep->info.data_from);
			rep->info.data_from = crm_xstrdup(c);
		}
		if (c &&
		    (!rep->info.data_to || strcmp(c, rep->info.data_to) > 0)) {
			free(rep->info.data_to);
			rep->info.data_to = crm_xstrdup(c);
		}
	}
	rep->ndeciles = deciles(oof, y, n, rep->model);
	deciles(base, y, n, rep->stage);
	if (!(rep->info.model = crm_logit_model_text(m, &lr, err)))
		goto out;
	/* the baseline of the inputs' stability: the deals the model is
	 * about to score (the open ones now), else those it learnt from */
	if (read_deals(db, true, &open, &nopen, err) < 0)
		goto out;
	det = json_pack(
	    "{s:o, s:o, s:o}", "model", calib_json(rep->model, rep->ndeciles),
	    "stage", calib_json(rep->stage, rep->ndeciles), "inputs",
	    nopen ? inputs_json(open, nopen) : inputs_json(rows, n));
	rep->info.details = json_dumps(det, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(det);
	rc = crm_model_store(db, &rep->info, err);
out:
	crm_logit_model_free(m);
	crm_logit_opts_release(&lo);
	crm_rec_release(&rec);
	free_rows(rows, n);
	free_rows(open, nopen);
	free(oof);
	free(base);
	free(y);
	free(skip);
	free(fold);
	return rc;
}

static void load_details(struct crm_dealscore_report *rep)
{
	json_t *root;

	if (!rep->info.details ||
	    !(root = json_loads(rep->info.details, 0, NULL)))
		return;
	calib_load(json_object_get(root, "model"), rep->model, &rep->ndeciles);
	{
		int k;

		calib_load(json_object_get(root, "stage"), rep->stage, &k);
	}
	json_decref(root);
}

static const char sql_prev[] =
    "SELECT probability FROM deal_scores WHERE deal_id = ?1 ORDER BY at "
    "DESC, id DESC LIMIT 1";
static const char sql_insert[] =
    "INSERT INTO deal_scores (deal_id, model_id, at, probability, "
    "stage_probability, previous, trend, factors, actor) VALUES (?1, ?2, "
    "?3, ?4, ?5, ?6, ?7, ?8, ?9)";

struct prev {
	bool *has;
	double *v;
};

static int prev_row(struct crm_stmt *st, void *arg)
{
	struct prev *p = arg;

	*p->has = true;
	*p->v = crm_stmt_double(st, 0);
	return 0;
}

static int previous(struct crm_db *db, int64_t id, bool *has, double *v,
		    struct crm_err *err)
{
	struct prev p = {.has = has, .v = v};

	*has = false;
	return crm_dbq_each(db, err, prev_row, &p, sql_prev, "i", id);
}

double crm_dealscore_latest(struct crm_db *db, int64_t id, struct crm_err *err)
{
	bool has;
	double v = NAN;

	if (previous(db, id, &has, &v, err) < 0 || !has)
		return NAN;
	return v;
}

static void format_factors(const struct crm_logit_factor *f, size_t nf,
			   const struct crm_rec *rec, struct crm_buf *b)
{
	crm_buf_reset(b);
	for (size_t i = 0; i < nf; i++) {
		const char *v = crm_rec_get(rec, f[i].feature);

		if (i)
			crm_buf_adds(b, "; ");
		if (!strcmp(f[i].level, f[i].feature) && v)
			crm_buf_addf(b, "%s=%s", f[i].feature, v);
		else
			crm_buf_adds(b, f[i].level);
		crm_buf_addf(b, " (%+.3f)", f[i].contribution);
	}
}

/* Open deals read and scored at a time. */
enum { SCORE_BATCH = 20000 };

static int score_open(struct crm_db *db, const struct crm_dealscore_opts *o,
		      const struct crm_logit_model *m, int64_t model_id,
		      int (*fn)(const struct crm_dealscore *d, void *arg),
		      void *arg, uint64_t *count, struct crm_err *err)
{
	struct drow *rows = NULL;
	size_t n = 0, nf = o->nfactors > 0 ? (size_t)o->nfactors : 0, found;
	struct crm_logit_factor *fs = crm_xcalloc(nf + 1, sizeof(*fs));
	struct crm_rec rec;
	struct crm_buf b = {0};
	char now[CRM_TIME_LEN];
	struct book bk;
	int64_t after = INT64_MIN;
	int rc = -1;

	crm_rec_init(&rec);
	crm_datetime_format(db->now, now);
	if (book_load(db, &bk, err) < 0)
		goto out;
	/* a batch of deals at a time, so memory stays flat */
	for (;;) {
		if (read_range(db, true, &bk, after, SCORE_BATCH, &rows, &n,
			       err) < 0)
			goto out;
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++) {
			struct drow *r = &rows[i];
			struct crm_dealscore d = {.id = r->id,
						  .name = r->name,
						  .stage = r->stage_now,
						  .owner = r->owner,
						  .stage_probability =
						      r->stage_p};
			struct crm_stmt *st;
			double p;
			int s;

			to_rec(r, &rec);
			if (crm_logit_predict(m, &rec, &p, fs, nf, &found,
					      err) < 0)
				goto out;
			d.has_previous = r->has_previous;
			d.previous = r->previous;
			d.probability = round(p * 10000) / 100;
			if (d.has_previous)
				d.trend = d.probability - d.previous >= 5
					      ? "improving"
					  : d.previous - d.probability >= 5
					      ? "declining"
					      : "steady";
			format_factors(fs, found, &rec, &b);
			d.factors = b.len ? b.s : NULL;
			st = crm_dbq(db, err, sql_insert, "iisdddsss", r->id,
				     model_id, now, d.probability,
				     d.stage_probability, d.previous, d.trend,
				     d.factors, db->actor);
			if (!st)
				goto out;
			if (!d.has_previous)
				crm_stmt_bind_null(st, 6);
			s = crm_stmt_step(st, err);
			crm_stmt_reset(st);
			if (s < 0 || (fn && fn(&d, arg) < 0))
				goto out;
			(*count)++;
		}
		after = rows[n - 1].id;
		free_rows(rows, n);
		rows = NULL;
		n = 0;
	}
	rc = 0;
out:
	free_rows(rows, n);
	book_release(&bk);
	free(fs);
	crm_rec_release(&rec);
	crm_buf_release(&b);
	return rc;
}

int crm_dealscore_run(struct crm_db *db, const struct crm_dealscore_opts *o,
		      int (*fn)(const struct crm_dealscore *d, void *arg),
		      void *arg, uint64_t *n, struct crm_dealscore_report *rep,
		      struct crm_err *err)
{
	struct crm_logit_model *m = NULL;
	int rc = -1, s;

	*n = 0;
	memset(rep, 0, sizeof(*rep));
	if (crm_db_begin(db, err) < 0)
		return -1;
	s = o->retrain ? 0 : crm_model_active(db, "deal", &rep->info, err);
	if (s < 0)
		goto out;
	if (s == 0 && train(db, o, rep, err) < 0)
		goto out;
	if (s == 1)
		load_details(rep);
	if (!(m = crm_logit_model_parse(rep->info.model, "the deal model",
					err)))
		goto out;
	if (score_open(db, o, m, rep->info.id, fn, arg, n, err) < 0)
		goto out;
	rc = crm_db_finish(db, o->dry_run, err);
out:
	if (rc < 0)
		crm_db_rollback(db);
	crm_logit_model_free(m);
	return rc;
}

/* -- monitor ----------------------------------------------------------- */

void crm_monitor_limits_init(struct crm_monitor_limits *l)
{
	l->min_outcomes = 20;
	l->max_auc_drop = 0.10;
	l->max_calibration_gap = 15;
	l->max_psi = 0.25;
	l->min_open = 20;
}

static const char sql_outcomes[] =
    "SELECT d.status, (SELECT s.probability FROM deal_scores s WHERE "
    "s.deal_id = d.id AND s.at <= d.closed_at ORDER BY s.at DESC, s.id "
    "DESC LIMIT 1) FROM deals d WHERE d.status IN ('won', 'lost') AND "
    "d.closed_at > ?1 AND d.closed_at <= ?2 ORDER BY d.id";

static void add_metric(struct crm_monitor *mo, const char *name, double v,
		       double limit, bool drift)
{
	struct crm_monitor_metric *m;

	mo->v = crm_xgrow(mo->v, &mo->cap, mo->n + 1, sizeof(*mo->v));
	m = &mo->v[mo->n++];
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->value = v;
	m->limit = limit;
	m->drift = drift;
	mo->drift = mo->drift || drift;
}

void crm_monitor_release(struct crm_monitor *mo)
{
	free(mo->v);
	crm_model_info_release(&mo->info);
	memset(mo, 0, sizeof(*mo));
}

/* The outcomes of closed deals scored while open: probability and won. */
struct outcomes {
	double *p, sump, sumy;
	unsigned char *y;
	size_t n, cap, ycap;
};

static int outcome_row(struct crm_stmt *st, void *arg)
{
	struct outcomes *o = arg;

	if (crm_stmt_is_null(st, 1))
		return 0; /* never scored while open */
	o->p = crm_xgrow(o->p, &o->cap, o->n + 1, sizeof(*o->p));
	o->y = crm_xgrow(o->y, &o->ycap, o->n + 1, 1);
	o->p[o->n] = crm_stmt_double(st, 1) / 100;
	o->y[o->n] = !strcmp(crm_stmt_text(st, 0), "won");
	o->sump += o->p[o->n];
	o->sumy += o->y[o->n];
	o->n++;
	return 0;
}

int crm_dealscore_monitor(struct crm_db *db, const struct crm_monitor_limits *l,
			  struct crm_monitor *mo, struct crm_err *err)
{
	struct outcomes oc = {0};
	size_t n, nopen = 0;
	struct drow *rows = NULL;
	char now[CRM_TIME_LEN];
	json_t *det = NULL, *in;
	int s, rc = -1;

	memset(mo, 0, sizeof(*mo));
	s = crm_model_active(db, "deal", &mo->info, err);
	if (s <= 0) {
		if (s == 0)
			crm_err_set(err, CRM_EX_NOINPUT,
				    "no active deal model: run crm-score deals "
				    "first");
		return -1;
	}
	if (crm_dbq_each(db, err, outcome_row, &oc, sql_outcomes, "ss",
			 mo->info.data_to ? mo->info.data_to : "0000",
			 crm_datetime_format(db->now, now)) < 0)
		goto out;
	n = oc.n;
	mo->outcomes = (long)n;
	if ((long)n >= l->min_outcomes) {
		double auc = crm_logit_auc(oc.p, oc.y, n);
		double gap = fabs(100 * (oc.sump - oc.sumy) / (double)n);

		add_metric(mo, "auc", auc, mo->info.cv_auc - l->max_auc_drop,
			   isfinite(auc) && isfinite(mo->info.cv_auc) &&
			       mo->info.cv_auc - auc > l->max_auc_drop);
		add_metric(mo, "calibration_gap", gap, l->max_calibration_gap,
			   gap > l->max_calibration_gap);
	}
	if (read_deals(db, true, &rows, &nopen, err) < 0)
		goto out;
	mo->open = (long)nopen;
	det = mo->info.details ? json_loads(mo->info.details, 0, NULL) : NULL;
	in = json_object_get(det, "inputs");
	if (in && (long)nopen >= l->min_open)
		for (int f = 0; f < NF; f++) {
			char name[64];
			double v = psi(json_object_get(in, feat_names[f]), f,
				       rows, nopen);

			if (!isfinite(v))
				continue;
			snprintf(name, sizeof(name), "psi:%s", feat_names[f]);
			add_metric(mo, name, v, l->max_psi, v > l->max_psi);
		}
	rc = 0;
out:
	json_decref(det);
	free_rows(rows, nopen);
	free(oc.p);
	free(oc.y);
	return rc;
}
