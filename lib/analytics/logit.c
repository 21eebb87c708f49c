/* logit.c - logistic regression: data, encoding, Newton fit, CV, model
 * files and explanations. See logit.h. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "datetime.h"
#include "logit.h"

#define NOVAL UINT32_MAX

void crm_logit_opts_init(struct crm_logit_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->l2 = 1.0;
	o->min_count = 10;
	o->max_levels = 50;
	o->folds = 5;
	o->seed = 1;
	o->max_iter = 100;
}

void crm_logit_opts_release(struct crm_logit_opts *o)
{
	crm_strv_release(&o->features);
	crm_strv_release(&o->categorical);
}

/* ---- data: per column, a dictionary of values and an id per row ---- */

struct col {
	char *name;
	struct crm_buf arena; /* values, NUL-separated */
	size_t *off;	      /* per value id: offset into arena */
	double *num;	      /* per value id: its number, NAN if none */
	size_t nvals, vcap;
	uint32_t *slots; /* hash table of value ids + 1; 0 is empty */
	size_t nslots;
	uint32_t *cell; /* per row: value id or NOVAL */
	bool nonnum;	/* some value is not a number */
};

struct crm_logit_data {
	struct col *cols;
	size_t ncols;
	unsigned char *y;
	size_t nrows, rcap;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Parse a plain decimal number (no spaces, hex, inf or nan). */
static bool parse_num(const char *s, double *out)
{
	char *end;

	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!strchr("0123456789+-.eE", *p))
			return false;
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' && errno != ERANGE && isfinite(*out);
}

static const char *col_val(const struct col *c, uint32_t id)
{
	return c->arena.s + c->off[id];
}

static uint32_t col_intern(struct col *c, const char *s)
{
	uint64_t h;
	size_t i;

	if (c->nvals * 2 >= c->nslots) {
		size_t ns = c->nslots ? c->nslots * 2 : 64;
		uint32_t *sl = crm_xcalloc(ns, sizeof(*sl));

		for (size_t k = 0; k < c->nslots; k++) {
			if (!c->slots[k])
				continue;
			i = hash_str(col_val(c, c->slots[k] - 1)) & (ns - 1);
			while (sl[i])
				i = (i + 1) & (ns - 1);
			sl[i] = c->slots[k];
		}
		free(c->slots);
		c->slots = sl;
		c->nslots = ns;
	}
	h = hash_str(s);
	for (i = h & (c->nslots - 1); c->slots[i];
	     i = (i + 1) & (c->nslots - 1))
		if (!strcmp(col_val(c, c->slots[i] - 1), s))
			return c->slots[i] - 1;
	if (c->nvals + 1 > c->vcap) {
		size_t cap = c->vcap;

		c->off = crm_xgrow(c->off, &cap, c->nvals + 1, sizeof(*c->off));
		c->num = crm_xrealloc(c->num, cap * sizeof(*c->num));
		c->vcap = cap;
	}
	c->off[c->nvals] = c->arena.len;
	crm_buf_add(&c->arena, s, strlen(s) + 1);
	if (!parse_num(s, &c->num[c->nvals])) {
		c->num[c->nvals] = NAN;
		c->nonnum = true;
	}
	c->slots[i] = (uint32_t)++c->nvals;
	return (uint32_t)(c->nvals - 1);
}

struct crm_logit_data *crm_logit_data_new(const char *const *names,
					  size_t ncols)
{
	struct crm_logit_data *d = crm_xcalloc(1, sizeof(*d));

	d->cols = crm_xcalloc(ncols ? ncols : 1, sizeof(*d->cols));
	d->ncols = ncols;
	for (size_t i = 0; i < ncols; i++)
		d->cols[i].name = crm_xstrdup(names[i]);
	return d;
}

void crm_logit_data_add(struct crm_logit_data *d, const char *const *vals,
			int y)
{
	if (d->nrows + 1 > d->rcap) {
		size_t cap = d->rcap;

		d->y = crm_xgrow(d->y, &cap, d->nrows + 1, 1);
		for (size_t c = 0; c < d->ncols; c++)
			d->cols[c].cell = crm_xrealloc(d->cols[c].cell,
						       cap * sizeof(uint32_t));
		d->rcap = cap;
	}
	for (size_t c = 0; c < d->ncols; c++)
		d->cols[c].cell[d->nrows] =
		    vals[c] && *vals[c] ? col_intern(&d->cols[c], vals[c])
					: NOVAL;
	d->y[d->nrows++] = y ? 1 : 0;
}

size_t crm_logit_data_rows(const struct crm_logit_data *d)
{
	return d->nrows;
}

void crm_logit_data_free(struct crm_logit_data *d)
{
	if (!d)
		return;
	for (size_t c = 0; c < d->ncols; c++) {
		struct col *k = &d->cols[c];

		free(k->name);
		crm_buf_release(&k->arena);
		free(k->off);
		free(k->num);
		free(k->slots);
		free(k->cell);
	}
	free(d->cols);
	free(d->y);
	free(d);
}

/* The label of a target value: 1, 0, or -1 when it is neither. */
static int target_label(const char *v, const char *positive)
{
	static const char *const yes[] = {"1", "true", "yes", "y", "t"};
	static const char *const no[] = {"0", "false", "no", "n", "f"};
	double x;

	if (positive)
		return !strcmp(v, positive);
	for (size_t i = 0; i < 5; i++) {
		if (!strcasecmp(v, yes[i]))
			return 1;
		if (!strcasecmp(v, no[i]))
			return 0;
	}
	if (parse_num(v, &x) && (x == 0 || x == 1))
		return (int)x;
	return -1;
}

struct crm_logit_data *crm_logit_data_read(struct crm_reader *r,
					   const struct crm_logit_opts *o,
					   struct crm_err *err)
{
	struct crm_logit_data *d = NULL;
	struct crm_rec rec;
	struct crm_strv names = {0};
	const char **vals = NULL;
	int rc;

	crm_rec_init(&rec);
	while ((rc = crm_reader_next(r, &rec, err)) > 0) {
		const char *t;
		int y;

		if (!d) {
			if (crm_rec_find(&rec, o->target) < 0) {
				crm_err_at(err, CRM_EX_DATAERR,
					   crm_reader_name(r), rec.line, NULL,
					   "no target column '%s'", o->target);
				goto fail;
			}
			if (o->features.n) {
				for (size_t i = 0; i < o->features.n; i++) {
					const char *f = o->features.v[i];

					if (crm_rec_find(&rec, f) < 0) {
						crm_err_at(err, CRM_EX_DATAERR,
							   crm_reader_name(r),
							   rec.line, NULL,
							   "no column '%s'", f);
						goto fail;
					}
					crm_strv_push(&names, f);
				}
			} else {
				for (size_t i = 0; i < rec.n; i++)
					if (strcmp(crm_rec_name(&rec, i),
						   o->target))
						crm_strv_push(
						    &names,
						    crm_rec_name(&rec, i));
			}
			if (!names.n) {
				crm_err_at(err, CRM_EX_DATAERR,
					   crm_reader_name(r), rec.line, NULL,
					   "no feature columns besides the "
					   "target");
				goto fail;
			}
			d = crm_logit_data_new((const char *const *)names.v,
					       names.n);
			vals = crm_xcalloc(names.n, sizeof(*vals));
		}
		t = crm_rec_get(&rec, o->target);
		if (!t || !*t) {
			crm_err_at(err, CRM_EX_DATAERR, crm_reader_name(r),
				   rec.line, o->target, "missing target value");
			goto fail;
		}
		y = target_label(t, o->positive);
		if (y < 0) {
			crm_err_at(err, CRM_EX_DATAERR, crm_reader_name(r),
				   rec.line, o->target,
				   "expected 0 or 1, true or false, yes or no "
				   "(or --positive), got '%s'",
				   t);
			goto fail;
		}
		for (size_t i = 0; i < names.n; i++)
			vals[i] = crm_rec_get(&rec, names.v[i]);
		crm_logit_data_add(d, vals, y);
	}
	if (rc < 0)
		goto fail;
	if (!d) {
		crm_err_at(err, CRM_EX_DATAERR, crm_reader_name(r), 0, NULL,
			   "no records to train on");
		goto fail;
	}
	crm_rec_release(&rec);
	crm_strv_release(&names);
	free(vals);
	return d;
fail:
	crm_logit_data_free(d);
	crm_rec_release(&rec);
	crm_strv_release(&names);
	free(vals);
	return NULL;
}

/* ---- the model: how each feature becomes design columns ---- */

struct feat {
	char *name;
	long col; /* column of the training data, -1 when loaded */
	bool cat;
	double mean, sd; /* numeric */
	bool miss;	 /* a "(missing)" column follows */
	char **levels;	 /* categorical: kept values, sorted bytewise */
	size_t nlev;
	bool other;  /* an "(other)" column for pooled and unseen values */
	size_t base; /* first design column */
	/* training: data value id -> design column, or SIZE_MAX */
	size_t *map;
	size_t nmap;
};

struct crm_logit_model {
	char *target, *positive;
	struct feat *f;
	size_t nf;
	size_t p;      /* design columns, the intercept first */
	double *coef;  /* p */
	char **cname;  /* p labels */
	char **fnames; /* nf feature names (views of f[i].name) */
	double l2;
	long min_count, max_levels;
	uint64_t seed;
	long folds;
};

static void feat_release(struct feat *f)
{
	free(f->name);
	crm_strs_free(f->levels, f->nlev);
	free(f->map);
}

void crm_logit_model_free(struct crm_logit_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nf; i++)
		feat_release(&m->f[i]);
	free(m->f);
	crm_strs_free(m->cname, m->p);
	free(m->fnames);
	free(m->coef);
	free(m->target);
	free(m->positive);
	free(m);
}

/* Number the design columns and label them. */
static void model_columns(struct crm_logit_model *m)
{
	struct crm_strv lab = {0};

	crm_strv_push(&lab, "(intercept)");
	for (size_t i = 0; i < m->nf; i++) {
		struct feat *f = &m->f[i];
		char *s;

		f->base = lab.n;
		if (!f->cat)
			crm_strv_push(&lab, f->name);
		for (size_t k = 0; f->cat && k < f->nlev; k++) {
			s = crm_xasprintf("%s=%s", f->name, f->levels[k]);
			crm_strv_push(&lab, s);
			free(s);
		}
		if (f->miss) {
			s = crm_xasprintf("%s (missing)", f->name);
			crm_strv_push(&lab, s);
			free(s);
		}
		if (f->cat && f->other) {
			s = crm_xasprintf("%s (other)", f->name);
			crm_strv_push(&lab, s);
			free(s);
		}
	}
	m->p = lab.n;
	m->cname = lab.v;
	m->coef = crm_xcalloc(m->p, sizeof(*m->coef));
	m->fnames = crm_xcalloc(m->nf ? m->nf : 1, sizeof(*m->fnames));
	for (size_t i = 0; i < m->nf; i++)
		m->fnames[i] = m->f[i].name;
}

static bool is_forced_cat(const struct crm_logit_opts *o, const char *name)
{
	return crm_strv_find(&o->categorical, name) >= 0;
}

struct lev {
	uint32_t id;
	size_t count;
	const char *val;
};

static int lev_by_count(const void *a, const void *b)
{
	const struct lev *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->val, y->val);
}

static int lev_by_val(const void *a, const void *b)
{
	const struct lev *x = a, *y = b;

	return strcmp(x->val, y->val);
}

/* The encoding of d's columns learnt from the given rows. */
static struct crm_logit_model *model_spec(const struct crm_logit_data *d,
					  const size_t *rows, size_t nr,
					  const struct crm_logit_opts *o)
{
	struct crm_logit_model *m = crm_xcalloc(1, sizeof(*m));
	size_t *count = NULL;

	m->target = crm_xstrdup(o->target ? o->target : "target");
	m->positive = o->positive ? crm_xstrdup(o->positive) : NULL;
	m->l2 = o->l2;
	m->min_count = o->min_count;
	m->max_levels = o->max_levels;
	m->seed = o->seed;
	m->folds = o->folds;
	m->nf = d->ncols;
	m->f = crm_xcalloc(d->ncols ? d->ncols : 1, sizeof(*m->f));
	for (size_t c = 0; c < d->ncols; c++) {
		const struct col *k = &d->cols[c];
		struct feat *f = &m->f[c];
		size_t nnull = 0;

		f->name = crm_xstrdup(k->name);
		f->col = (long)c;
		f->cat = k->nonnum || is_forced_cat(o, k->name);
		count = crm_xrealloc(count, (k->nvals + 1) * sizeof(*count));
		memset(count, 0, (k->nvals + 1) * sizeof(*count));
		for (size_t i = 0; i < nr; i++) {
			uint32_t id = k->cell[rows[i]];

			if (id == NOVAL)
				nnull++;
			else
				count[id]++;
		}
		f->miss = nnull > 0;
		if (!f->cat) {
			double s = 0, ss = 0;
			size_t n = nr - nnull;

			for (size_t i = 0; i < nr; i++) {
				uint32_t id = k->cell[rows[i]];

				if (id != NOVAL)
					s += k->num[id];
			}
			f->mean = n ? s / (double)n : 0;
			for (size_t i = 0; i < nr; i++) {
				uint32_t id = k->cell[rows[i]];

				if (id != NOVAL)
					ss += (k->num[id] - f->mean) *
					      (k->num[id] - f->mean);
			}
			f->sd = n ? sqrt(ss / (double)n) : 0;
			if (!(f->sd > 1e-12 * (1 + fabs(f->mean))))
				f->sd = 1;
			continue;
		}
		/* categorical: frequent values kept, at most max_levels */
		struct lev *lv = crm_xcalloc(k->nvals + 1, sizeof(*lv));
		size_t nl = 0, kept;

		for (uint32_t id = 0; id < k->nvals; id++)
			if (count[id] >= (size_t)o->min_count && count[id])
				lv[nl++] =
				    (struct lev){id, count[id], col_val(k, id)};
		qsort(lv, nl, sizeof(*lv), lev_by_count);
		kept = nl < (size_t)o->max_levels ? nl : (size_t)o->max_levels;
		qsort(lv, kept, sizeof(*lv), lev_by_val);
		f->miss = nnull && nnull >= (size_t)o->min_count;
		f->levels = crm_xcalloc(kept ? kept : 1, sizeof(*f->levels));
		f->nlev = kept;
		for (size_t i = 0; i < kept; i++)
			f->levels[i] = crm_xstrdup(lv[i].val);
		/* an "(other)" column when some seen value is pooled */
		size_t seen = 0;
		for (uint32_t id = 0; id < k->nvals; id++)
			seen += count[id] > 0;
		f->other = seen > kept || (nnull && !f->miss);
		f->nmap = k->nvals;
		f->map = crm_xcalloc(k->nvals ? k->nvals : 1, sizeof(*f->map));
		for (size_t i = 0; i < k->nvals; i++)
			f->map[i] = SIZE_MAX; /* set once bases are known */
		for (size_t i = 0; i < kept; i++)
			f->map[lv[i].id] = i; /* level index for now */
		free(lv);
	}
	free(count);
	model_columns(m);
	for (size_t c = 0; c < m->nf; c++) {
		struct feat *f = &m->f[c];

		for (size_t i = 0; f->cat && i < f->nmap; i++) {
			if (f->map[i] != SIZE_MAX)
				f->map[i] += f->base;
			else if (f->other)
				f->map[i] = f->base + f->nlev + f->miss;
		}
	}
	return m;
}

/* ---- design matrix: sparse rows (CSR), the intercept in each ---- */

struct csr {
	size_t n, nnz, cap;
	size_t *start; /* n + 1 */
	uint32_t *idx;
	double *val;
	unsigned char *y;
};

static void csr_push(struct csr *x, size_t j, double v)
{
	if (x->nnz + 1 > x->cap) {
		size_t cap = x->cap;

		x->idx = crm_xgrow(x->idx, &cap, x->nnz + 1, sizeof(*x->idx));
		x->val = crm_xrealloc(x->val, cap * sizeof(*x->val));
		x->cap = cap;
	}
	x->idx[x->nnz] = (uint32_t)j;
	x->val[x->nnz++] = v;
}

static void csr_release(struct csr *x)
{
	free(x->start);
	free(x->idx);
	free(x->val);
	free(x->y);
}

static void design(const struct crm_logit_model *m,
		   const struct crm_logit_data *d, const size_t *rows,
		   size_t nr, struct csr *x)
{
	memset(x, 0, sizeof(*x));
	x->n = nr;
	x->start = crm_xcalloc(nr + 1, sizeof(*x->start));
	x->y = crm_xcalloc(nr ? nr : 1, 1);
	for (size_t i = 0; i < nr; i++) {
		size_t r = rows[i];

		x->start[i] = x->nnz;
		x->y[i] = d->y[r];
		csr_push(x, 0, 1.0);
		for (size_t c = 0; c < m->nf; c++) {
			const struct feat *f = &m->f[c];
			const struct col *k = &d->cols[f->col];
			uint32_t id = k->cell[r];

			if (!f->cat) {
				if (id != NOVAL)
					csr_push(x, f->base,
						 (k->num[id] - f->mean) /
						     f->sd);
				else if (f->miss)
					csr_push(x, f->base + 1, 1.0);
			} else if (id == NOVAL) {
				if (f->miss)
					csr_push(x, f->base + f->nlev, 1.0);
				else if (f->other)
					csr_push(x, f->base + f->nlev, 1.0);
			} else if (f->map[id] != SIZE_MAX) {
				csr_push(x, f->map[id], 1.0);
			}
		}
	}
	x->start[nr] = x->nnz;
}

/* log(1 + exp(z)) without overflow. */
static double log1pexp(double z)
{
	return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

static double sigmoid(double z)
{
	if (z >= 0)
		return 1 / (1 + exp(-z));
	double e = exp(z);
	return e / (1 + e);
}

static double eta_of(const struct csr *x, size_t i, const double *w)
{
	double z = 0;

	for (size_t k = x->start[i]; k < x->start[i + 1]; k++)
		z += x->val[k] * w[x->idx[k]];
	return z;
}

/* The penalized negative log-likelihood. */
static double objective(const struct csr *x, const double *w, size_t p,
			double l2)
{
	double f = 0;

	for (size_t i = 0; i < x->n; i++) {
		double z = eta_of(x, i, w);

		f += log1pexp(z) - (x->y[i] ? z : 0);
	}
	for (size_t j = 1; j < p; j++)
		f += 0.5 * l2 * w[j] * w[j];
	return f;
}

/* Solve A x = b for a symmetric positive definite A (p x p, row-major;
 * overwritten by its Cholesky factor). Returns -1 when A is not positive
 * definite. */
static int cholesky_solve(double *a, double *b, size_t p)
{
	for (size_t j = 0; j < p; j++) {
		double s = a[j * p + j];

		for (size_t k = 0; k < j; k++)
			s -= a[j * p + k] * a[j * p + k];
		if (!(s > 0))
			return -1;
		a[j * p + j] = sqrt(s);
		/* four rows at a time: four independent sums, each in the
		 * same order as one row alone (the same bits), so the
		 * processor overlaps them instead of waiting on each */
		size_t i = j + 1;
		const double *aj = a + j * p;

		for (; i + 4 <= p; i += 4) {
			double *r0 = a + i * p, *r1 = r0 + p, *r2 = r1 + p,
			       *r3 = r2 + p;
			double t0 = r0[j], t1 = r1[j], t2 = r2[j], t3 = r3[j];

			for (size_t k = 0; k < j; k++) {
				double v = aj[k];

				t0 -= r0[k] * v;
				t1 -= r1[k] * v;
				t2 -= r2[k] * v;
				t3 -= r3[k] * v;
			}
			r0[j] = t0 / aj[j];
			r1[j] = t1 / aj[j];
			r2[j] = t2 / aj[j];
			r3[j] = t3 / aj[j];
		}
		for (; i < p; i++) {
			double t = a[i * p + j];

			for (size_t k = 0; k < j; k++)
				t -= a[i * p + k] * aj[k];
			a[i * p + j] = t / aj[j];
		}
	}
	for (size_t i = 0; i < p; i++) { /* L y = b */
		double t = b[i];

		for (size_t k = 0; k < i; k++)
			t -= a[i * p + k] * b[k];
		b[i] = t / a[i * p + i];
	}
	for (size_t i = p; i-- > 0;) { /* L^T x = y */
		double t = b[i];

		for (size_t k = i + 1; k < p; k++)
			t -= a[k * p + i] * b[k];
		b[i] = t / a[i * p + i];
	}
	return 0;
}

/* Newton's method with a backtracking line search; w (p) holds the start
 * and the result. Returns the iterations, or -1 (err set). */
static long fit(const struct csr *x, double *w, size_t p, double l2,
		long max_iter, struct crm_err *err)
{
	double *h = crm_xmalloc(p * p * sizeof(*h));
	double *g = crm_xmalloc(p * sizeof(*g));
	double *wt = crm_xmalloc(p * sizeof(*wt));
	double f = objective(x, w, p, l2);
	long it;

	for (it = 1; it <= max_iter; it++) {
		double dec = 0, t = 1, step = 0, ft;

		memset(h, 0, p * p * sizeof(*h));
		for (size_t j = 0; j < p; j++)
			g[j] = j ? l2 * w[j] : 0;
		for (size_t i = 0; i < x->n; i++) {
			double pr = sigmoid(eta_of(x, i, w));
			double r = pr - x->y[i], v = pr * (1 - pr);

			for (size_t a = x->start[i]; a < x->start[i + 1]; a++) {
				size_t ja = x->idx[a];
				double va = v * x->val[a];

				g[ja] += r * x->val[a];
				for (size_t b = x->start[i];
				     b < x->start[i + 1]; b++)
					if (x->idx[b] <= ja)
						h[ja * p + x->idx[b]] +=
						    va * x->val[b];
			}
		}
		for (size_t j = 1; j < p; j++)
			h[j * p + j] += l2;
		/* tiny ridge on the intercept keeps A positive definite when
		 * every weight underflows */
		h[0] += 1e-12;
		for (size_t j = 0; j < p; j++)
			for (size_t k = 0; k < j; k++)
				h[k * p + j] = h[j * p + k];
		memcpy(wt, g, p * sizeof(*g));
		if (cholesky_solve(h, wt, p) < 0) {
			crm_err_set(err, CRM_EX_DATAERR,
				    "the fit did not converge (singular "
				    "Hessian); try a larger --l2");
			it = -1;
			break;
		}
		for (size_t j = 0; j < p; j++)
			dec += g[j] * wt[j];
		/* wt is the Newton step d; try w - t d */
		memcpy(h, wt, p * sizeof(*wt)); /* h[0..p) keeps d */
		for (;;) {
			for (size_t j = 0; j < p; j++)
				wt[j] = w[j] - t * h[j];
			ft = objective(x, wt, p, l2);
			if (ft <= f - 1e-4 * t * dec || t < 1e-10)
				break;
			t /= 2;
		}
		for (size_t j = 0; j < p; j++) {
			double s = fabs(wt[j] - w[j]);

			step = s > step ? s : step;
		}
		memcpy(w, wt, p * sizeof(*w));
		f = ft;
		if (step < 1e-10 || dec < 1e-20 * (1 + fabs(f)))
			break;
	}
	if (it > max_iter) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "the fit did not converge in %ld iterations",
			    max_iter);
		it = -1;
	}
	free(h);
	free(g);
	free(wt);
	return it;
}

long crm_logit_fit_sparse(const struct crm_logit_sparse *x, double *w,
			  double l2, long max_iter, struct crm_err *err)
{
	/* the same layout as the design fit() reads; it only reads it */
	struct csr c = {.n = x->n,
			.nnz = x->start[x->n],
			.start = (size_t *)x->start,
			.idx = (uint32_t *)x->idx,
			.val = (double *)x->val,
			.y = (unsigned char *)x->y};

	return fit(&c, w, x->p, l2, max_iter, err);
}

static bool both_classes(const struct crm_logit_data *d, const size_t *rows,
			 size_t nr, size_t *npos)
{
	size_t pos = 0;

	for (size_t i = 0; i < nr; i++)
		pos += d->y[rows[i]];
	if (npos)
		*npos = pos;
	return pos > 0 && pos < nr;
}

/* Encode and fit on rows; returns the model or NULL. */
static struct crm_logit_model *fit_rows(const struct crm_logit_data *d,
					const size_t *rows, size_t nr,
					const struct crm_logit_opts *o,
					long *iters, struct crm_err *err)
{
	struct crm_logit_model *m = model_spec(d, rows, nr, o);
	struct csr x;
	size_t pos;
	long it;

	both_classes(d, rows, nr, &pos);
	design(m, d, rows, nr, &x);
	m->coef[0] = log((double)pos / (double)(nr - pos));
	it = fit(&x, m->coef, m->p, o->l2, o->max_iter, err);
	csr_release(&x);
	if (it < 0) {
		crm_logit_model_free(m);
		return NULL;
	}
	if (iters)
		*iters = it;
	return m;
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

void crm_logit_shuffle(size_t *v, size_t n, uint64_t seed)
{
	for (size_t i = n; i > 1; i--) { /* Fisher-Yates */
		size_t j = (size_t)(splitmix64(&seed) % i), t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

static int cross_validate(const struct crm_logit_data *d,
			  const struct crm_logit_opts *o,
			  struct crm_logit_report *rep, struct crm_err *err)
{
	size_t n = d->nrows, k = (size_t)o->folds;
	size_t *perm = crm_xmalloc(n * sizeof(*perm));
	unsigned char *fold = crm_xmalloc(n);
	size_t *tr = crm_xmalloc(n * sizeof(*tr));
	size_t *te = crm_xmalloc(n * sizeof(*te));
	double *pr = crm_xmalloc(n * sizeof(*pr));
	unsigned char *yt = crm_xmalloc(n);
	double auc_sum = 0, ll_sum = 0;
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	crm_logit_shuffle(perm, n, o->seed);
	for (size_t i = 0; i < n; i++)
		fold[perm[i]] = (unsigned char)(i % k);
	rep->cv_folds_scored = 0;
	for (size_t f = 0; f < k; f++) {
		size_t ntr = 0, nte = 0;
		struct crm_logit_model *m;
		struct csr x;

		for (size_t i = 0; i < n; i++) {
			if (fold[i] == f)
				te[nte++] = i;
			else
				tr[ntr++] = i;
		}
		if (!both_classes(d, tr, ntr, NULL)) {
			crm_err_set(err, CRM_EX_DATAERR,
				    "fold %zu of %zu: the training rows have "
				    "one class only (fewer --folds, or more "
				    "data)",
				    f + 1, k);
			goto out;
		}
		m = fit_rows(d, tr, ntr, o, NULL, err);
		if (!m)
			goto out;
		design(m, d, te, nte, &x);
		for (size_t i = 0; i < nte; i++) {
			pr[i] = sigmoid(eta_of(&x, i, m->coef));
			yt[i] = x.y[i];
		}
		csr_release(&x);
		crm_logit_model_free(m);
		ll_sum += crm_logit_log_loss(pr, yt, nte) * (double)nte;
		double a = crm_logit_auc(pr, yt, nte);
		if (!isnan(a)) {
			auc_sum += a;
			rep->cv_folds_scored++;
		}
	}
	rep->cv_auc =
	    rep->cv_folds_scored ? auc_sum / (double)rep->cv_folds_scored : NAN;
	rep->cv_log_loss = ll_sum / (double)n;
	rc = 0;
out:
	free(perm);
	free(fold);
	free(tr);
	free(te);
	free(pr);
	free(yt);
	return rc;
}

struct crm_logit_model *crm_logit_train(const struct crm_logit_data *d,
					const struct crm_logit_opts *o,
					struct crm_logit_report *rep,
					struct crm_err *err)
{
	struct crm_logit_model *m = NULL;
	size_t *rows, pos;

	memset(rep, 0, sizeof(*rep));
	rep->cv_auc = rep->cv_log_loss = NAN;
	rep->rows = d->nrows;
	rows = crm_xmalloc((d->nrows ? d->nrows : 1) * sizeof(*rows));
	for (size_t i = 0; i < d->nrows; i++)
		rows[i] = i;
	if (!both_classes(d, rows, d->nrows, &pos)) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "the target '%s' has one class only: nothing to "
			    "learn",
			    o->target ? o->target : "target");
		goto out;
	}
	rep->positives = pos;
	if (o->folds >= 2) {
		if ((size_t)o->folds > d->nrows) {
			crm_err_set(err, CRM_EX_DATAERR,
				    "%ld folds need at least %ld rows, got %zu",
				    o->folds, o->folds, d->nrows);
			goto out;
		}
		if (cross_validate(d, o, rep, err) < 0)
			goto out;
	}
	m = fit_rows(d, rows, d->nrows, o, &rep->iterations, err);
	if (m)
		rep->columns = m->p;
out:
	free(rows);
	return m;
}

/* ---- quality measures ---- */

struct scored {
	double s;
	unsigned char y;
};

static int by_score(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	return (x->s > y->s) - (x->s < y->s);
}

double crm_logit_auc(const double *score, const unsigned char *y, size_t n)
{
	struct scored *v = crm_xmalloc((n ? n : 1) * sizeof(*v));
	double ranks = 0, npos = 0;
	size_t i = 0;

	for (size_t k = 0; k < n; k++) {
		v[k] = (struct scored){score[k], y[k]};
		npos += y[k];
	}
	qsort(v, n, sizeof(*v), by_score);
	while (i < n) { /* ties share their average rank */
		size_t j = i;
		double pos = 0;

		while (j < n && v[j].s == v[i].s)
			pos += v[j++].y;
		ranks += pos * ((double)(i + 1 + j) / 2);
		i = j;
	}
	free(v);
	if (npos == 0 || npos == (double)n)
		return NAN;
	return (ranks - npos * (npos + 1) / 2) / (npos * ((double)n - npos));
}

double crm_logit_log_loss(const double *p, const unsigned char *y, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++) {
		double q = p[i] < 1e-15	      ? 1e-15
			   : p[i] > 1 - 1e-15 ? 1 - 1e-15
					      : p[i];

		s -= y[i] ? log(q) : log(1 - q);
	}
	return n ? s / (double)n : NAN;
}

/* ---- model files ---- */

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

int crm_logit_model_save(const struct crm_logit_model *m,
			 const struct crm_logit_report *rep, FILE *fp,
			 struct crm_err *err)
{
	json_t *root = json_object(), *feats = json_array(), *meta;
	char now[CRM_TIME_LEN];
	crm_time t;
	struct crm_err e2;
	int rc;

	json_object_set_new(root, "format", json_string("crm-logit"));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "target", json_string(m->target));
	json_object_set_new(root, "positive",
			    m->positive ? json_string(m->positive)
					: json_null());
	json_object_set_new(root, "intercept", json_real(m->coef[0]));
	for (size_t i = 0; i < m->nf; i++) {
		const struct feat *f = &m->f[i];
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(f->name));
		json_object_set_new(
		    o, "type", json_string(f->cat ? "categorical" : "numeric"));
		if (!f->cat) {
			json_object_set_new(o, "mean", json_real(f->mean));
			json_object_set_new(o, "sd", json_real(f->sd));
			json_object_set_new(o, "coef",
					    json_real(m->coef[f->base]));
			if (f->miss)
				json_object_set_new(
				    o, "missing_coef",
				    json_real(m->coef[f->base + 1]));
		} else {
			json_t *lv = json_array();

			for (size_t k = 0; k < f->nlev; k++) {
				json_t *l = json_object();

				json_object_set_new(l, "value",
						    json_string(f->levels[k]));
				json_object_set_new(
				    l, "coef", json_real(m->coef[f->base + k]));
				json_array_append_new(lv, l);
			}
			json_object_set_new(o, "levels", lv);
			if (f->miss)
				json_object_set_new(
				    o, "missing_coef",
				    json_real(m->coef[f->base + f->nlev]));
			if (f->other)
				json_object_set_new(
				    o, "other_coef",
				    json_real(
					m->coef[f->base + f->nlev + f->miss]));
		}
		json_array_append_new(feats, o);
	}
	json_object_set_new(root, "features", feats);
	meta = json_object();
	json_object_set_new(meta, "l2", json_real(m->l2));
	json_object_set_new(meta, "min_count", json_integer(m->min_count));
	json_object_set_new(meta, "max_levels", json_integer(m->max_levels));
	json_object_set_new(meta, "seed", json_integer((json_int_t)m->seed));
	json_object_set_new(meta, "folds", json_integer(m->folds));
	if (rep) {
		json_object_set_new(meta, "rows",
				    json_integer((json_int_t)rep->rows));
		json_object_set_new(meta, "positives",
				    json_integer((json_int_t)rep->positives));
		json_object_set_new(meta, "columns",
				    json_integer((json_int_t)rep->columns));
		json_object_set_new(meta, "iterations",
				    json_integer(rep->iterations));
		json_object_set_new(meta, "cv_auc", num_or_null(rep->cv_auc));
		json_object_set_new(meta, "cv_log_loss",
				    num_or_null(rep->cv_log_loss));
	}
	if (crm_datetime_now(&t, &e2) == 0)
		json_object_set_new(meta, "trained_at",
				    json_string(crm_datetime_format(t, now)));
	json_object_set_new(meta, "crm_version", json_string(CRM_VERSION));
	json_object_set_new(root, "metadata", meta);
	rc = json_dumpf(root, fp,
			JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			    JSON_REAL_PRECISION(17));
	json_decref(root);
	if (rc < 0 || fputc('\n', fp) == EOF || fflush(fp) != 0)
		return crm_err_set(err, CRM_EX_IOERR,
				   "cannot write the model: %s",
				   strerror(errno ? errno : EIO));
	return 0;
}

static int bad_model(struct crm_err *err, const char *path, const char *what,
		     ...) __attribute__((format(printf, 3, 4)));
static int bad_model(struct crm_err *err, const char *path, const char *what,
		     ...)
{
	va_list ap;

	va_start(ap, what);
	crm_err_vat(err, CRM_EX_CONFIG, path, 0, NULL, what, ap);
	va_end(ap);
	return crm_err_prefix(err, "not a valid model: ");
}

static bool get_num(json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_number(v))
		return false;
	*out = json_number_value(v);
	return isfinite(*out);
}

static struct crm_logit_model *model_from_root(json_t *root, const char *path,
					       struct crm_err *err);

struct crm_logit_model *crm_logit_model_load(const char *path,
					     struct crm_err *err)
{
	json_t *root;

	if (crm_config_load(path, "", "not a valid model: ", NULL, &root, err) <
	    0)
		return NULL;
	return model_from_root(root, path, err);
}

struct crm_logit_model *
crm_logit_model_parse(const char *text, const char *name, struct crm_err *err)
{
	json_t *root;

	if (crm_config_parse(text, name, "not a valid model: ", NULL, &root,
			     err) < 0)
		return NULL;
	return model_from_root(root, name, err);
}

char *crm_logit_model_text(const struct crm_logit_model *m,
			   const struct crm_logit_report *rep,
			   struct crm_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int rc;

	if (!fp) {
		crm_err_set(err, CRM_EX_SOFTWARE, "cannot save the model: %s",
			    strerror(errno));
		return NULL;
	}
	rc = crm_logit_model_save(m, rep, fp, err);
	if (fclose(fp) != 0 && rc == 0)
		rc = crm_err_set(err, CRM_EX_IOERR, "cannot save the model");
	if (rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Takes root (decref'd here). */
static struct crm_logit_model *model_from_root(json_t *root, const char *path,
					       struct crm_err *err)
{
	json_t *feats, *v;
	struct crm_logit_model *m = NULL;

	v = json_object_get(root, "format");
	if (!json_is_string(v) || strcmp(json_string_value(v), "crm-logit")) {
		bad_model(err, path, "'format' is not \"crm-logit\"");
		goto fail;
	}
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		bad_model(err, path, "unsupported 'version'");
		goto fail;
	}
	feats = json_object_get(root, "features");
	if (!json_is_array(feats)) {
		bad_model(err, path, "no 'features' array");
		goto fail;
	}
	m = crm_xcalloc(1, sizeof(*m));
	v = json_object_get(root, "target");
	m->target =
	    crm_xstrdup(json_is_string(v) ? json_string_value(v) : "target");
	v = json_object_get(root, "positive");
	if (json_is_string(v))
		m->positive = crm_xstrdup(json_string_value(v));
	m->nf = json_array_size(feats);
	m->f = crm_xcalloc(m->nf ? m->nf : 1, sizeof(*m->f));
	for (size_t i = 0; i < m->nf; i++) {
		json_t *o = json_array_get(feats, i), *lv;
		struct feat *f = &m->f[i];
		const char *type;

		f->col = -1;
		v = json_object_get(o, "name");
		type = json_string_value(json_object_get(o, "type"));
		if (!json_is_string(v) || !type) {
			m->nf = i;
			bad_model(err, path, "features[%zu]: no name or type",
				  i);
			goto fail;
		}
		f->name = crm_xstrdup(json_string_value(v));
		f->miss = json_object_get(o, "missing_coef") != NULL;
		if (!strcmp(type, "numeric")) {
			if (!get_num(o, "mean", &f->mean) ||
			    !get_num(o, "sd", &f->sd) || !(f->sd > 0)) {
				m->nf = i + 1;
				bad_model(err, path,
					  "features[%zu] '%s': bad mean or sd",
					  i, f->name);
				goto fail;
			}
			continue;
		}
		lv = json_object_get(o, "levels");
		if (strcmp(type, "categorical") || !json_is_array(lv)) {
			m->nf = i + 1;
			bad_model(err, path,
				  "features[%zu] '%s': bad type or levels", i,
				  f->name);
			goto fail;
		}
		f->cat = true;
		f->other = json_object_get(o, "other_coef") != NULL;
		f->nlev = json_array_size(lv);
		f->levels =
		    crm_xcalloc(f->nlev ? f->nlev : 1, sizeof(*f->levels));
		for (size_t k = 0; k < f->nlev; k++) {
			json_t *s =
			    json_object_get(json_array_get(lv, k), "value");
			if (!json_is_string(s) ||
			    (k && strcmp(f->levels[k - 1],
					 json_string_value(s)) >= 0)) {
				f->nlev = k;
				m->nf = i + 1;
				bad_model(err, path,
					  "features[%zu] '%s': levels[%zu]: "
					  "not a string in sorted order",
					  i, f->name, k);
				goto fail;
			}
			f->levels[k] = crm_xstrdup(json_string_value(s));
		}
	}
	model_columns(m);
	if (!get_num(root, "intercept", &m->coef[0])) {
		bad_model(err, path, "no 'intercept'");
		goto fail;
	}
	for (size_t i = 0; i < m->nf; i++) {
		struct feat *f = &m->f[i];
		json_t *o = json_array_get(feats, i);
		bool ok = true;

		if (!f->cat) {
			ok = get_num(o, "coef", &m->coef[f->base]) &&
			     (!f->miss || get_num(o, "missing_coef",
						  &m->coef[f->base + 1]));
		} else {
			json_t *lv = json_object_get(o, "levels");

			for (size_t k = 0; ok && k < f->nlev; k++)
				ok = get_num(json_array_get(lv, k), "coef",
					     &m->coef[f->base + k]);
			if (ok && f->miss)
				ok = get_num(o, "missing_coef",
					     &m->coef[f->base + f->nlev]);
			if (ok && f->other)
				ok = get_num(
				    o, "other_coef",
				    &m->coef[f->base + f->nlev + f->miss]);
		}
		if (!ok) {
			bad_model(err, path,
				  "features[%zu] '%s': a coefficient is "
				  "missing or not a number",
				  i, f->name);
			goto fail;
		}
	}
	json_decref(root);
	return m;
fail:
	crm_logit_model_free(m);
	json_decref(root);
	return NULL;
}

size_t crm_logit_model_coefs(const struct crm_logit_model *m,
			     const char *const **names, const double **coef)
{
	*names = (const char *const *)m->cname;
	*coef = m->coef;
	return m->p;
}

size_t crm_logit_model_features(const struct crm_logit_model *m,
				const char *const **names)
{
	*names = (const char *const *)m->fnames;
	return m->nf;
}

/* ---- prediction ---- */

static long find_level(const struct feat *f, const char *v)
{
	size_t lo = 0, hi = f->nlev;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(f->levels[mid], v);

		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Insert a factor, keeping the nf strongest, largest magnitude first. */
static void keep_factor(struct crm_logit_factor *fs, size_t cap, size_t *n,
			struct crm_logit_factor f)
{
	size_t i = *n < cap ? (*n)++ : cap;

	if (i == cap) {
		if (!cap ||
		    fabs(fs[cap - 1].contribution) >= fabs(f.contribution))
			return;
		i = cap - 1;
	}
	while (i > 0 && fabs(fs[i - 1].contribution) < fabs(f.contribution)) {
		fs[i] = fs[i - 1];
		i--;
	}
	fs[i] = f;
}

int crm_logit_predict(const struct crm_logit_model *m,
		      const struct crm_rec *rec, double *prob,
		      struct crm_logit_factor *factors, size_t nfactors,
		      size_t *nfound, struct crm_err *err)
{
	double z = m->coef[0];
	size_t nk = 0;

	for (size_t i = 0; i < m->nf; i++) {
		const struct feat *f = &m->f[i];
		const char *v = crm_rec_get(rec, f->name);
		double c = 0, x;
		size_t col = SIZE_MAX;

		if (v && !*v)
			v = NULL;
		if (!f->cat) {
			if (v) {
				if (!parse_num(v, &x))
					return crm_err_at(
					    err, CRM_EX_DATAERR, NULL,
					    rec->line, f->name,
					    "not a number '%s'", v);
				col = f->base;
				c = m->coef[col] * (x - f->mean) / f->sd;
			} else if (f->miss) {
				col = f->base + 1;
				c = m->coef[col];
			}
		} else {
			long k = v ? find_level(f, v) : -1;

			if (k >= 0)
				col = f->base + (size_t)k;
			else if (!v && f->miss)
				col = f->base + f->nlev;
			else if (f->other)
				col = f->base + f->nlev + f->miss;
			if (col != SIZE_MAX)
				c = m->coef[col];
		}
		z += c;
		if (factors && col != SIZE_MAX)
			keep_factor(factors, nfactors, &nk,
				    (struct crm_logit_factor){
					f->name, m->cname[col], c});
	}
	*prob = sigmoid(z);
	if (nfound)
		*nfound = nk;
	return 0;
}
