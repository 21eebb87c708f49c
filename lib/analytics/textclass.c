/* textclass.c - TF-IDF features and one-vs-rest logistic regression (see
 * textclass.h). A text's features: for each vocabulary token seen,
 * (1 + ln tf) * idf, idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's
 * smooth idf), the vector scaled to unit length; column 0 the intercept. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "logit.h"
#include "textclass.h"
#include "tokens.h"

struct crm_textclass {
	char *target, *fields;
	char **vocab; /* sorted, for bsearch */
	double *idf;
	size_t nvocab;
	char **classes;
	size_t nclasses;
	double *coef; /* nclasses x (nvocab + 1) */
};

void crm_textclass_opts_init(struct crm_textclass_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->vocab = 1000;
	o->min_df = 2;
	o->l2 = 1.0;
	o->holdout = 20;
	o->seed = 1;
	o->max_iter = 100;
}

void crm_textclass_free(struct crm_textclass *m)
{
	if (!m)
		return;
	crm_strs_free(m->vocab, m->nvocab);
	crm_strs_free(m->classes, m->nclasses);
	free(m->idf);
	free(m->coef);
	free(m->target);
	free(m->fields);
	free(m);
}

/* -- tokens of one text, distinct with counts --------------------------- */

struct bag {
	char **t;
	double *c;
	size_t n, cap;
};

static int bag_add(const char *t, size_t n, enum crm_token_kind k, void *arg)
{
	struct bag *b = arg;

	(void)k;
	if (n > 64)
		return 0;
	b->t = crm_xgrow(b->t, &b->cap, b->n + 1, sizeof(*b->t));
	b->c = crm_xrealloc(b->c, b->cap * sizeof(*b->c));
	b->t[b->n] = crm_xstrdup(t);
	b->c[b->n++] = 1;
	return 0;
}

/* Tokens of s, sorted, each once with its count. */
static void bag_of(const char *s, struct bag *b)
{
	size_t k = 0;

	memset(b, 0, sizeof(*b));
	if (s)
		crm_tokens(s, strlen(s), 0, bag_add, b);
	if (!b->n)
		return;
	/* sort tokens (counts are all 1 yet) */
	qsort(b->t, b->n, sizeof(*b->t), crm_str_cmp);
	for (size_t i = 0; i < b->n; i++) {
		if (k && !strcmp(b->t[k - 1], b->t[i])) {
			b->c[k - 1] += 1;
			free(b->t[i]);
		} else {
			b->t[k] = b->t[i];
			b->c[k++] = 1;
		}
	}
	b->n = k;
}

static void bag_release(struct bag *b)
{
	crm_strs_free(b->t, b->n);
	free(b->c);
}

static long vocab_index(const struct crm_textclass *m, const char *t)
{
	char **hit =
	    bsearch(&t, m->vocab, m->nvocab, sizeof(*m->vocab), crm_str_cmp);

	return hit ? hit - m->vocab : -1;
}

/* The features of a bag: pairs (column, value) with column 0 = 1. */
static size_t features(const struct crm_textclass *m, const struct bag *b,
		       uint32_t *idx, double *val)
{
	size_t n = 0;
	double norm = 0;

	for (size_t i = 0; i < b->n; i++) {
		long j = vocab_index(m, b->t[i]);

		if (j < 0)
			continue;
		idx[n] = (uint32_t)j + 1;
		val[n] = (1 + log(b->c[i])) * m->idf[j];
		norm += val[n] * val[n];
		n++;
	}
	norm = sqrt(norm);
	for (size_t i = 0; i < n; i++)
		val[i] /= norm;
	return n;
}

/* -- training ----------------------------------------------------------- */

struct dfent {
	char *t;
	size_t df;
};

static int by_df(const void *a, const void *b)
{
	const struct dfent *x = a, *y = b;

	if (x->df != y->df)
		return x->df > y->df ? -1 : 1;
	return strcmp(x->t, y->t);
}

/* Vocabulary and idf from the bags of rows. */
static void build_vocab(struct crm_textclass *m, struct bag *bags,
			const size_t *rows, size_t nr,
			const struct crm_textclass_opts *o)
{
	struct dfent *all = NULL;
	char **flat = NULL;
	size_t nflat = 0, cap = 0, nall = 0, keep = 0;

	for (size_t i = 0; i < nr; i++)
		for (size_t k = 0; k < bags[rows[i]].n; k++) {
			flat = crm_xgrow(flat, &cap, nflat + 1, sizeof(*flat));
			flat[nflat++] = bags[rows[i]].t[k];
		}
	if (nflat)
		qsort(flat, nflat, sizeof(*flat), crm_str_cmp);
	all = crm_xcalloc(nflat ? nflat : 1, sizeof(*all));
	for (size_t i = 0; i < nflat; i++) {
		if (nall && !strcmp(all[nall - 1].t, flat[i]))
			all[nall - 1].df++;
		else
			all[nall++] = (struct dfent){flat[i], 1};
	}
	if (nall)
		qsort(all, nall, sizeof(*all), by_df);
	while (keep < nall && keep < (size_t)o->vocab &&
	       all[keep].df >= (size_t)o->min_df)
		keep++;
	m->nvocab = keep;
	m->vocab = crm_xcalloc(keep ? keep : 1, sizeof(*m->vocab));
	for (size_t i = 0; i < keep; i++)
		m->vocab[i] = crm_xstrdup(all[i].t);
	qsort(m->vocab, keep, sizeof(*m->vocab), crm_str_cmp);
	m->idf = crm_xcalloc(keep ? keep : 1, sizeof(*m->idf));
	for (size_t i = 0; i < keep; i++) {
		struct dfent key = {m->vocab[i], 0};
		/* find its df again: all is sorted by df, so scan */
		for (size_t k = 0; k < keep; k++)
			if (!strcmp(all[k].t, key.t)) {
				m->idf[i] = log((1.0 + (double)nr) /
						(1.0 + (double)all[k].df)) +
					    1;
				break;
			}
	}
	free(all);
	free(flat);
}

static long class_of(const struct crm_textclass *m, const char *label)
{
	for (size_t k = 0; k < m->nclasses; k++)
		if (!strcmp(m->classes[k], label))
			return (long)k;
	return -1;
}

/* Fit m (vocabulary, one model per class) on rows. */
static int fit_rows(struct crm_textclass *m, struct bag *bags, const long *y,
		    const size_t *rows, size_t nr,
		    const struct crm_textclass_opts *o, struct crm_err *err)
{
	size_t p, nnz = 0, cap = 0;
	size_t *start = crm_xcalloc(nr + 1, sizeof(*start));
	uint32_t *idx = NULL;
	double *val = NULL;
	unsigned char *lab = crm_xcalloc(nr ? nr : 1, 1);
	int rc = -1;

	build_vocab(m, bags, rows, nr, o);
	p = m->nvocab + 1;
	for (size_t i = 0; i < nr; i++) {
		const struct bag *b = &bags[rows[i]];
		size_t need = nnz + b->n + 1;

		if (need > cap) {
			size_t c = cap;
			idx = crm_xgrow(idx, &c, need, sizeof(*idx));
			val = crm_xrealloc(val, c * sizeof(*val));
			cap = c;
		}
		start[i] = nnz;
		idx[nnz] = 0;
		val[nnz++] = 1;
		nnz += features(m, b, idx + nnz, val + nnz);
	}
	start[nr] = nnz;
	m->coef = crm_xcalloc(m->nclasses * p, sizeof(*m->coef));
	for (size_t k = 0; k < m->nclasses; k++) {
		struct crm_logit_sparse x = {nr, p, start, idx, val, lab};
		double *w = m->coef + k * p;
		size_t pos = 0;

		for (size_t i = 0; i < nr; i++)
			pos += (lab[i] = y[rows[i]] == (long)k);
		if (!pos || pos == nr) {
			/* a class absent (or alone) here: its intercept
			 * says so, no fit */
			w[0] = pos ? 30 : -30;
			continue;
		}
		w[0] = log((double)pos / (double)(nr - pos));
		if (crm_logit_fit_sparse(&x, w, o->l2, o->max_iter, err) < 0)
			goto out;
	}
	rc = 0;
out:
	free(start);
	free(idx);
	free(val);
	free(lab);
	return rc;
}

static long predict_bag(const struct crm_textclass *m, const struct bag *b,
			double *conf, uint32_t *idx, double *val, size_t *nf)
{
	size_t p = m->nvocab + 1, n = features(m, b, idx, val);
	double best = -1, sum = 0;
	long bk = 0;

	for (size_t k = 0; k < m->nclasses; k++) {
		const double *w = m->coef + k * p;
		double z = w[0], pr;

		for (size_t i = 0; i < n; i++)
			z += w[idx[i]] * val[i];
		pr = z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
		sum += pr;
		if (pr > best) {
			best = pr;
			bk = (long)k;
		}
	}
	if (conf)
		*conf = sum > 0 ? best / sum : 0;
	if (nf)
		*nf = n;
	return bk;
}

/* Accuracy and macro-F1 (over the classes in truth or prediction) of
 * pred against truth. */
static void score(const long *truth, const long *pred, size_t n, size_t nc,
		  double *acc, double *f1)
{
	size_t *tp = crm_xcalloc(nc, sizeof(*tp));
	size_t *fp = crm_xcalloc(nc, sizeof(*fp));
	size_t *fn = crm_xcalloc(nc, sizeof(*fn));
	size_t right = 0, used = 0;
	double sum = 0;

	for (size_t i = 0; i < n; i++) {
		if (truth[i] == pred[i]) {
			right++;
			tp[truth[i]]++;
		} else {
			fp[pred[i]]++;
			fn[truth[i]]++;
		}
	}
	for (size_t k = 0; k < nc; k++) {
		if (!tp[k] && !fp[k] && !fn[k])
			continue;
		used++;
		sum +=
		    2.0 * (double)tp[k] / (double)(2 * tp[k] + fp[k] + fn[k]);
	}
	*acc = n ? (double)right / (double)n : NAN;
	*f1 = used ? sum / (double)used : NAN;
	free(tp);
	free(fp);
	free(fn);
}

struct crm_textclass *crm_textclass_train(const char *const *texts,
					  const char *const *labels, size_t n,
					  const struct crm_textclass_opts *o,
					  struct crm_textclass_report *rep,
					  struct crm_err *err)
{
	struct crm_textclass *m = crm_xcalloc(1, sizeof(*m));
	struct bag *bags = crm_xcalloc(n ? n : 1, sizeof(*bags));
	long *y = crm_xcalloc(n ? n : 1, sizeof(*y));
	size_t *rows = crm_xcalloc(n ? n : 1, sizeof(*rows)), nr = 0;
	size_t *count = NULL;

	memset(rep, 0, sizeof(*rep));
	rep->accuracy = rep->macro_f1 = NAN;
	rep->base_accuracy = rep->base_macro_f1 = NAN;
	for (size_t i = 0; i < n; i++) {
		long k;

		if (!labels[i] || !*labels[i])
			continue;
		if ((k = class_of(m, labels[i])) < 0) {
			m->classes =
			    crm_xrealloc(m->classes, (m->nclasses + 1) *
							 sizeof(*m->classes));
			k = (long)m->nclasses;
			m->classes[m->nclasses++] = crm_xstrdup(labels[i]);
		}
		y[i] = k;
		bag_of(texts[i], &bags[i]);
		rows[nr++] = i;
	}
	rep->rows = nr;
	rep->classes = m->nclasses;
	if (m->nclasses < 2) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "%zu row%s with %zu class%s: at least two classes "
			    "are needed",
			    nr, nr == 1 ? "" : "s", m->nclasses,
			    m->nclasses == 1 ? "" : "es");
		goto fail;
	}
	/* hold out the last share, or a random one */
	if (o->shuffle)
		crm_logit_shuffle(rows, nr, o->seed);
	rep->test = o->holdout > 0 ? nr * (size_t)o->holdout / 100 : 0;
	if (o->holdout > 0 && !rep->test && nr >= 2)
		rep->test = 1;
	rep->train = nr - rep->test;
	if (rep->test) {
		size_t *test = rows + rep->train;
		long *truth = crm_xcalloc(rep->test, sizeof(*truth));
		long *pred = crm_xcalloc(rep->test, sizeof(*pred));
		long maj = 0;
		uint32_t *idx = NULL;
		double *val = NULL;
		size_t cap = 0;

		count = crm_xcalloc(m->nclasses, sizeof(*count));
		for (size_t i = 0; i < rep->train; i++)
			count[y[rows[i]]]++;
		for (size_t k = 1; k < m->nclasses; k++)
			if (count[k] > count[maj])
				maj = (long)k;
		snprintf(rep->majority, sizeof(rep->majority), "%s",
			 m->classes[maj]);
		if (fit_rows(m, bags, y, rows, rep->train, o, err) < 0) {
			free(truth);
			free(pred);
			goto fail;
		}
		for (size_t i = 0; i < rep->test; i++) {
			const struct bag *b = &bags[test[i]];

			if (b->n + 1 > cap) {
				cap = b->n + 1;
				idx = crm_xrealloc(idx, cap * sizeof(*idx));
				val = crm_xrealloc(val, cap * sizeof(*val));
			}
			truth[i] = y[test[i]];
			pred[i] = predict_bag(m, b, NULL, idx, val, NULL);
		}
		score(truth, pred, rep->test, m->nclasses, &rep->accuracy,
		      &rep->macro_f1);
		for (size_t i = 0; i < rep->test; i++)
			pred[i] = maj;
		score(truth, pred, rep->test, m->nclasses, &rep->base_accuracy,
		      &rep->base_macro_f1);
		free(truth);
		free(pred);
		free(idx);
		free(val);
		crm_strs_free(m->vocab, m->nvocab);
		free(m->idf);
		free(m->coef);
		m->vocab = NULL;
		m->idf = m->coef = NULL;
		m->nvocab = 0;
	}
	/* the model is fitted on every row */
	if (fit_rows(m, bags, y, rows, nr, o, err) < 0)
		goto fail;
	rep->vocab = m->nvocab;
	goto out;
fail:
	crm_textclass_free(m);
	m = NULL;
out:
	for (size_t i = 0; i < n; i++)
		bag_release(&bags[i]);
	free(bags);
	free(y);
	free(rows);
	free(count);
	return m;
}

/* -- model files -------------------------------------------------------- */

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *model_json(const struct crm_textclass *m, const char *target,
			  const char *fields,
			  const struct crm_textclass_report *rep)
{
	json_t *o = json_object(), *v = json_array(), *idf = json_array();
	json_t *cl = json_array(), *coef = json_array(), *r = json_object();
	size_t p = m->nvocab + 1;

	for (size_t i = 0; i < m->nvocab; i++) {
		json_array_append_new(v, json_string(m->vocab[i]));
		json_array_append_new(idf, json_real(m->idf[i]));
	}
	for (size_t k = 0; k < m->nclasses; k++) {
		json_t *w = json_array();

		json_array_append_new(cl, json_string(m->classes[k]));
		for (size_t j = 0; j < p; j++)
			json_array_append_new(w, json_real(m->coef[k * p + j]));
		json_array_append_new(coef, w);
	}
	json_object_set_new(r, "rows", json_integer((json_int_t)rep->rows));
	json_object_set_new(r, "train", json_integer((json_int_t)rep->train));
	json_object_set_new(r, "test", json_integer((json_int_t)rep->test));
	json_object_set_new(r, "accuracy", num(rep->accuracy));
	json_object_set_new(r, "macro_f1", num(rep->macro_f1));
	json_object_set_new(r, "baseline_accuracy", num(rep->base_accuracy));
	json_object_set_new(r, "baseline_macro_f1", num(rep->base_macro_f1));
	json_object_set_new(o, "kind", json_string("crm-text-classifier"));
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "target", json_string(target));
	json_object_set_new(o, "text", json_string(fields));
	json_object_set_new(o, "classes", cl);
	json_object_set_new(o, "vocabulary", v);
	json_object_set_new(o, "idf", idf);
	json_object_set_new(o, "coefficients", coef);
	json_object_set_new(o, "training", r);
	return o;
}

char *crm_textclass_text(const struct crm_textclass *m, const char *target,
			 const char *fields,
			 const struct crm_textclass_report *rep)
{
	json_t *o = model_json(m, target, fields, rep);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(o);
	return s; /* NULL: out of memory */
}

int crm_textclass_save(const struct crm_textclass *m, const char *target,
		       const char *fields,
		       const struct crm_textclass_report *rep, FILE *fp,
		       struct crm_err *err)
{
	json_t *o = model_json(m, target, fields, rep);
	int rc = 0;

	if (json_dumpf(o, fp, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0 ||
	    fputc('\n', fp) == EOF)
		rc = crm_err_set(err, CRM_EX_IOERR, "cannot write the model");
	json_decref(o);
	return rc;
}

bool crm_textclass_is_model(const char *path)
{
	json_error_t je;
	json_t *o = json_load_file(path, 0, &je);
	bool yes = o && json_is_string(json_object_get(o, "kind")) &&
		   !strcmp(json_string_value(json_object_get(o, "kind")),
			   "crm-text-classifier");

	json_decref(o);
	return yes;
}

static struct crm_textclass *bad(struct crm_err *err, const char *path,
				 const char *what, json_t *o,
				 struct crm_textclass *m)
{
	crm_err_set(err, CRM_EX_CONFIG, "%s", what);
	snprintf(err->file, sizeof(err->file), "%s", path);
	json_decref(o);
	crm_textclass_free(m);
	return NULL;
}

static struct crm_textclass *from_json(json_t *o, const char *path,
				       struct crm_err *err);

struct crm_textclass *crm_textclass_load(const char *path, struct crm_err *err)
{
	json_error_t je;
	json_t *o;
	FILE *fp;

	if (crm_config_not_dir(path, err) < 0)
		return NULL;
	if (!(fp = fopen(path, "r"))) {
		crm_err_set(err, CRM_EX_NOINPUT, "cannot open '%s': %m", path);
		return NULL;
	}
	o = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
	fclose(fp);
	if (!o) {
		crm_err_set(err, CRM_EX_CONFIG, "%s", je.text);
		snprintf(err->file, sizeof(err->file), "%s", path);
		err->line = je.line;
		return NULL;
	}
	return from_json(o, path, err);
}

struct crm_textclass *crm_textclass_parse(const char *text, const char *name,
					  struct crm_err *err)
{
	json_error_t je;
	json_t *o = json_loads(text ? text : "", JSON_REJECT_DUPLICATES, &je);

	if (!o) {
		crm_err_set(err, CRM_EX_DATAERR, "%s: %s", name, je.text);
		return NULL;
	}
	return from_json(o, name, err);
}

/* Takes o. */
static struct crm_textclass *from_json(json_t *o, const char *path,
				       struct crm_err *err)
{
	struct crm_textclass *m = NULL;
	json_t *v, *idf, *cl, *coef;

	v = json_object_get(o, "vocabulary");
	idf = json_object_get(o, "idf");
	cl = json_object_get(o, "classes");
	coef = json_object_get(o, "coefficients");
	if (!json_is_string(json_object_get(o, "kind")) ||
	    strcmp(json_string_value(json_object_get(o, "kind")),
		   "crm-text-classifier"))
		return bad(err, path, "kind: not a text classifier model", o,
			   m);
	if (!json_is_array(v) || !json_is_array(idf) || !json_is_array(cl) ||
	    !json_is_array(coef) ||
	    json_array_size(v) != json_array_size(idf) ||
	    json_array_size(cl) != json_array_size(coef) ||
	    json_array_size(cl) < 2 ||
	    !json_is_string(json_object_get(o, "target")) ||
	    !json_is_string(json_object_get(o, "text")))
		return bad(err, path,
			   "a model needs target, text, classes, vocabulary, "
			   "idf and coefficients",
			   o, m);
	m = crm_xcalloc(1, sizeof(*m));
	m->target =
	    crm_xstrdup(json_string_value(json_object_get(o, "target")));
	m->fields = crm_xstrdup(json_string_value(json_object_get(o, "text")));
	m->nvocab = json_array_size(v);
	m->vocab = crm_xcalloc(m->nvocab ? m->nvocab : 1, sizeof(*m->vocab));
	m->idf = crm_xcalloc(m->nvocab ? m->nvocab : 1, sizeof(*m->idf));
	for (size_t i = 0; i < m->nvocab; i++) {
		json_t *s = json_array_get(v, i), *d = json_array_get(idf, i);

		if (!json_is_string(s) || !json_is_number(d))
			return bad(err, path, "vocabulary: bad entry", o, m);
		m->vocab[i] = crm_xstrdup(json_string_value(s));
		m->idf[i] = json_number_value(d);
		if (i && strcmp(m->vocab[i - 1], m->vocab[i]) >= 0) {
			m->nvocab = i + 1;
			return bad(err, path, "vocabulary: not sorted", o, m);
		}
	}
	m->nclasses = json_array_size(cl);
	m->classes = crm_xcalloc(m->nclasses, sizeof(*m->classes));
	m->coef = crm_xcalloc(m->nclasses * (m->nvocab + 1), sizeof(*m->coef));
	for (size_t k = 0; k < m->nclasses; k++) {
		json_t *s = json_array_get(cl, k), *w = json_array_get(coef, k);

		if (!json_is_string(s) || !json_is_array(w) ||
		    json_array_size(w) != m->nvocab + 1)
			return bad(err, path, "classes: bad entry", o, m);
		m->classes[k] = crm_xstrdup(json_string_value(s));
		for (size_t j = 0; j <= m->nvocab; j++) {
			json_t *d = json_array_get(w, j);

			if (!json_is_number(d))
				return bad(err, path,
					   "coefficients: not a number", o, m);
			m->coef[k * (m->nvocab + 1) + j] = json_number_value(d);
		}
	}
	json_decref(o);
	return m;
}

const char *crm_textclass_target(const struct crm_textclass *m)
{
	return m->target;
}

const char *crm_textclass_fields(const struct crm_textclass *m)
{
	return m->fields;
}

void crm_textclass_predict(const struct crm_textclass *m, const char *text,
			   const char **label, double *confidence,
			   struct crm_textclass_word *words, size_t nwords,
			   size_t *nfound)
{
	struct bag b;
	uint32_t *idx;
	double *val;
	size_t nf = 0, found = 0;
	long k;

	bag_of(text, &b);
	idx = crm_xcalloc(b.n + 1, sizeof(*idx));
	val = crm_xcalloc(b.n + 1, sizeof(*val));
	k = predict_bag(m, &b, confidence, idx, val, &nf);
	*label = m->classes[k];
	/* the words with the largest positive share, largest first */
	for (size_t i = 0; words && i < nf; i++) {
		double c =
		    m->coef[(size_t)k * (m->nvocab + 1) + idx[i]] * val[i];
		size_t at = found;

		if (!(c > 0))
			continue;
		while (at > 0 && words[at - 1].weight < c)
			at--;
		if (at >= nwords)
			continue;
		if (found < nwords)
			found++;
		memmove(words + at + 1, words + at,
			(found - 1 - at) * sizeof(*words));
		words[at].word = m->vocab[idx[i] - 1];
		words[at].weight = c;
	}
	if (nfound)
		*nfound = found;
	free(idx);
	free(val);
	bag_release(&b);
}

void crm_textclass_measure(const struct crm_textclass *m,
			   const char *const *texts, const char *const *labels,
			   size_t n, double *accuracy, double *macro_f1)
{
	struct crm_strv names = {0};
	long *truth = crm_xcalloc(n + 1, sizeof(*truth));
	long *pred = crm_xcalloc(n + 1, sizeof(*pred));
	const char *label;
	double conf;
	size_t nw;

	/* the model's classes, then labels it never saw (always missed) */
	for (size_t k = 0; k < m->nclasses; k++)
		crm_strv_push(&names, m->classes[k]);
	for (size_t i = 0; i < n; i++) {
		long t = crm_strv_find(&names, labels[i]);

		if (t < 0) {
			crm_strv_push(&names, labels[i]);
			t = (long)names.n - 1;
		}
		truth[i] = t;
		crm_textclass_predict(m, texts[i], &label, &conf, NULL, 0, &nw);
		pred[i] = crm_strv_find(&names, label);
	}
	score(truth, pred, n, names.n ? names.n : 1, accuracy, macro_f1);
	free(truth);
	free(pred);
	crm_strv_release(&names);
}
