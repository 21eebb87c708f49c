/* ets.h - exponential smoothing for revenue series: Holt-Winters with an
 * additive trend and an additive or multiplicative season (or Holt's
 * linear trend alone), its three smoothing parameters chosen by
 * minimising the in-sample sum of squared one-step errors, prediction
 * intervals, and a rolling-origin backtest against the seasonal-naive
 * forecast (MAPE and MASE). Pure arithmetic: no database. */
#ifndef CRM_ETS_H
#define CRM_ETS_H

#include <stdbool.h>
#include <stddef.h>

enum crm_ets_kind {
	CRM_ETS_HOLT,	       /* level and trend, no season */
	CRM_ETS_ADDITIVE,      /* season added to level + trend */
	CRM_ETS_MULTIPLICATIVE /* season multiplies level + trend */
};
/* "holt", "additive", "multiplicative" */
const char *crm_ets_kind_name(enum crm_ets_kind k);

#define CRM_ETS_MAX_SEASON 53

/* A fitted model: parameters and the states after the last value. */
struct crm_ets {
	enum crm_ets_kind kind;
	int m; /* season length (1 for holt) */
	double alpha, beta, gamma;
	double level, slope, season[CRM_ETS_MAX_SEASON]; /* season[i]: the
							    factor of the
							    i-th period
							    after the last
							    value */
	double sse, sigma; /* in-sample; sigma = sqrt(sse / n) */
	size_t n;
};

/* Fit kind to y[0..n) with season length m: needs n >= 2m for a season
 * (m in 2..CRM_ETS_MAX_SEASON), n >= 3 for holt; multiplicative needs
 * every value > 0. Returns 0, or -1 when the data cannot take the kind. */
int crm_ets_fit(const double *y, size_t n, int m, enum crm_ets_kind kind,
		struct crm_ets *out);
/* Fit the seasonal kinds that apply (multiplicative only when every value
 * is > 0) and keep the one with the smaller in-sample error; holt when
 * n < 2m. Returns 0, or -1 when n < 3. */
int crm_ets_auto(const double *y, size_t n, int m, struct crm_ets *out);
/* Point forecasts h = 1..nh into mean[], and bounds of the prediction
 * interval with normal quantile z (1.96: 95%) into lo[] and hi[] (may be
 * NULL). The variance grows as for the additive model (Hyndman et al.
 * 2008, class 1): sigma^2 (1 + sum_{j<h} c_j^2), c_j = alpha (1 + j
 * beta) + gamma when j is a whole number of seasons. */
void crm_ets_forecast(const struct crm_ets *e, size_t nh, double z,
		      double *mean, double *lo, double *hi);

/* The seasonal-naive forecast h steps after y[0..n): y[n - m + (h-1) % m]. */
double crm_ets_snaive(const double *y, size_t n, int m, size_t h);

/* A rolling-origin backtest: for each origin t from n - origins to n - 1
 * (at least min_train values before it), fit on y[0..t) (crm_ets_auto)
 * and forecast y[t] one step ahead, and the seasonal naive too. MAPE in
 * percent (values of 0 left out), MASE against the in-sample
 * seasonal-naive mean absolute error of the whole series (lag m; lag 1
 * when n <= m). */
struct crm_ets_backtest {
	size_t origins;
	double mape, mase;		 /* the model's; NAN when none */
	double snaive_mape, snaive_mase; /* the seasonal naive's */
};
void crm_ets_backtest(const double *y, size_t n, int m, size_t origins,
		      size_t min_train, struct crm_ets_backtest *bt);

#endif
