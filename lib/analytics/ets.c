/* ets.c - Holt-Winters exponential smoothing: see ets.h. The states start
 * from the first two seasons (trend: the change of the mean from the
 * first season to the second, per period; level: the first season's mean
 * taken back along that trend to one period before the first value;
 * season: each value of the first season against the trend line), as in
 * Hyndman and Athanasopoulos, FPP 2nd ed., section 7.5; the parameters
 * are chosen by a grid over [0.05, 0.95] then a pattern search down to
 * 0.001, minimising the sum of squared one-step errors over the whole
 * series. */
#include <math.h>
#include <string.h>

#include "ets.h"

const char *crm_ets_kind_name(enum crm_ets_kind k)
{
	return k == CRM_ETS_HOLT       ? "holt"
	       : k == CRM_ETS_ADDITIVE ? "additive"
				       : "multiplicative";
}

static bool mul(const struct crm_ets *e)
{
	return e->kind == CRM_ETS_MULTIPLICATIVE;
}

/* Initial states from y (see above). */
static void init_states(const double *y, size_t n, struct crm_ets *e)
{
	int m = e->m;

	if (e->kind == CRM_ETS_HOLT) {
		e->level = y[0];
		e->slope = n > 1 ? y[1] - y[0] : 0;
		e->season[0] = 0;
		return;
	}
	{
		double a = 0, b = 0;

		for (int i = 0; i < m; i++) {
			a += y[i];
			b += y[m + i];
		}
		a /= m;
		b /= m;
		e->slope = (b - a) / m;
		/* the level one period before the first value; the season
		 * against the trend line through the first season */
		e->level = a - e->slope * (m + 1) / 2.0;
		for (int i = 0; i < m; i++) {
			double tr = a + (i - (m - 1) / 2.0) * e->slope;

			e->season[i] = mul(e) ? y[i] / tr : y[i] - tr;
		}
	}
}

/* Run the recursions over y with e's parameters: the states after the
 * last value (season rotated so season[0] is the next period's) and the
 * SSE. */
static double run(const double *y, size_t n, struct crm_ets *e)
{
	double l, b, s[CRM_ETS_MAX_SEASON], sse = 0;
	int m = e->m;

	init_states(y, n, e);
	l = e->level;
	b = e->slope;
	memcpy(s, e->season, sizeof(s));
	for (size_t t = 0; t < n; t++) {
		int k = (int)(t % (size_t)m);
		double si = e->kind == CRM_ETS_HOLT ? 0 : s[k];
		double yhat = mul(e) ? (l + b) * si : l + b + si;
		double err = y[t] - yhat, ln;

		if (t >= (e->kind == CRM_ETS_HOLT ? 1 : 0))
			sse += err * err;
		if (mul(e))
			ln = e->alpha * (y[t] / si) + (1 - e->alpha) * (l + b);
		else
			ln = e->alpha * (y[t] - si) + (1 - e->alpha) * (l + b);
		b = e->beta * (ln - l) + (1 - e->beta) * b;
		if (e->kind != CRM_ETS_HOLT)
			s[k] =
			    mul(e)
				? e->gamma * (y[t] / ln) + (1 - e->gamma) * si
				: e->gamma * (y[t] - ln) + (1 - e->gamma) * si;
		l = ln;
	}
	e->level = l;
	e->slope = b;
	for (int i = 0; i < m; i++)
		e->season[i] = s[(n + (size_t)i) % (size_t)m];
	return isfinite(sse) ? sse : HUGE_VAL;
}

static double clamp(double v)
{
	return v < 0.0001 ? 0.0001 : v > 0.9999 ? 0.9999 : v;
}

int crm_ets_fit(const double *y, size_t n, int m, enum crm_ets_kind kind,
		struct crm_ets *out)
{
	struct crm_ets e = {.kind = kind, .m = kind == CRM_ETS_HOLT ? 1 : m};
	double best = HUGE_VAL, p[3] = {0.5, 0.1, 0.1}, step;
	int np = kind == CRM_ETS_HOLT ? 2 : 3;

	if (kind == CRM_ETS_HOLT
		? n < 3
		: m < 2 || m > CRM_ETS_MAX_SEASON || n < 2 * (size_t)m)
		return -1;
	for (size_t i = 0; kind == CRM_ETS_MULTIPLICATIVE && i < n; i++)
		if (!(y[i] > 0))
			return -1;
	/* a grid, then a pattern search around its best point */
	for (double a = 0.05; a < 1; a += 0.1)
		for (double b = 0.05; b < 1; b += 0.1)
			for (double g = 0.05; g < (np == 3 ? 1 : 0.1);
			     g += 0.1) {
				double sse;

				e.alpha = a;
				e.beta = b;
				e.gamma = np == 3 ? g : 0;
				sse = run(y, n, &e);
				if (sse < best) {
					best = sse;
					p[0] = a;
					p[1] = b;
					p[2] = e.gamma;
				}
			}
	for (step = 0.05; step >= 0.001; step /= 2) {
		bool moved = true;

		while (moved) {
			moved = false;
			for (int k = 0; k < np; k++)
				for (int d = -1; d <= 1; d += 2) {
					double q[3] = {p[0], p[1], p[2]}, sse;

					q[k] = clamp(q[k] + d * step);
					e.alpha = q[0];
					e.beta = q[1];
					e.gamma = q[2];
					sse = run(y, n, &e);
					if (sse < best - 1e-12 * (1 + best)) {
						best = sse;
						memcpy(p, q, sizeof(p));
						moved = true;
					}
				}
		}
	}
	e.alpha = p[0];
	e.beta = p[1];
	e.gamma = p[2];
	e.sse = run(y, n, &e);
	e.n = n;
	e.sigma = sqrt(e.sse / (double)n);
	*out = e;
	return 0;
}

int crm_ets_auto(const double *y, size_t n, int m, struct crm_ets *out)
{
	struct crm_ets a, b;

	if (m < 2 || n < 2 * (size_t)m)
		return crm_ets_fit(y, n, m, CRM_ETS_HOLT, out);
	if (crm_ets_fit(y, n, m, CRM_ETS_ADDITIVE, &a) < 0)
		return -1;
	if (crm_ets_fit(y, n, m, CRM_ETS_MULTIPLICATIVE, &b) == 0 &&
	    b.sse < a.sse)
		a = b;
	*out = a;
	return 0;
}

void crm_ets_forecast(const struct crm_ets *e, size_t nh, double z,
		      double *mean, double *lo, double *hi)
{
	double var = 0;

	for (size_t h = 1; h <= nh; h++) {
		double trend = e->level + (double)h * e->slope;
		double s = e->kind == CRM_ETS_HOLT
			       ? 0
			       : e->season[(h - 1) % (size_t)e->m];
		double f = mul(e) ? trend * s : trend + s;

		if (h == 1) {
			var = 1;
		} else {
			size_t j = h - 1;
			double c = e->alpha * (1 + (double)j * e->beta);

			if (e->kind != CRM_ETS_HOLT && j % (size_t)e->m == 0)
				c += e->gamma;
			var += c * c;
		}
		mean[h - 1] = f;
		if (lo)
			lo[h - 1] = f - z * e->sigma * sqrt(var);
		if (hi)
			hi[h - 1] = f + z * e->sigma * sqrt(var);
	}
}

double crm_ets_snaive(const double *y, size_t n, int m, size_t h)
{
	if (m < 1 || (size_t)m > n)
		return y[n - 1];
	return y[n - (size_t)m + (h - 1) % (size_t)m];
}

void crm_ets_backtest(const double *y, size_t n, int m, size_t origins,
		      size_t min_train, struct crm_ets_backtest *bt)
{
	size_t lag = m >= 1 && (size_t)m < n ? (size_t)m : 1, np = 0, k = 0;
	double scale = 0, ape = 0, sape = 0, ae = 0, sae = 0;

	memset(bt, 0, sizeof(*bt));
	for (size_t t = lag; t < n; t++)
		scale += fabs(y[t] - y[t - lag]);
	scale = n > lag ? scale / (double)(n - lag) : NAN;
	for (size_t t = origins < n ? n - origins : 0; t < n; t++) {
		struct crm_ets e;
		double f, s;

		if (t < min_train || t < 3 || crm_ets_auto(y, t, m, &e) < 0)
			continue;
		crm_ets_forecast(&e, 1, 0, &f, NULL, NULL);
		s = crm_ets_snaive(y, t, m, 1);
		k++;
		ae += fabs(y[t] - f);
		sae += fabs(y[t] - s);
		if (y[t] != 0) {
			np++;
			ape += fabs((y[t] - f) / y[t]);
			sape += fabs((y[t] - s) / y[t]);
		}
	}
	bt->origins = k;
	bt->mape = np ? 100 * ape / (double)np : NAN;
	bt->snaive_mape = np ? 100 * sape / (double)np : NAN;
	bt->mase = k && scale > 0 ? ae / (double)k / scale : NAN;
	bt->snaive_mase = k && scale > 0 ? sae / (double)k / scale : NAN;
}
