/* t_ets.c - Holt-Winters against series with known answers: a season on
 * a trend must come back in the forecast, a season that scales with the
 * level is found multiplicative, short series fall back to Holt, the
 * seasonal naive and the backtest's error measures by hand. */
#include <math.h>

#include "ets.h"
#include "test.h"

static const double S[12] = {30, -20, 10, -5, 0, 25, -30, 15, -10, 5, -15, -5};

static void additive(void)
{
	double y[48], f[12], lo[12], hi[12];
	struct crm_ets e;
	double worst = 0;

	for (int t = 0; t < 48; t++)
		y[t] = 200 + 2 * t + S[t % 12];
	CHECK(crm_ets_auto(y, 48, 12, &e) == 0, "fits 4 seasons");
	CHECK(e.kind == CRM_ETS_ADDITIVE, "a constant season: additive");
	crm_ets_forecast(&e, 12, 1.96, f, lo, hi);
	for (int h = 0; h < 12; h++) {
		double want = 200 + 2 * (48 + h) + S[(48 + h) % 12];

		if (fabs(f[h] - want) > worst)
			worst = fabs(f[h] - want);
	}
	CHECK(worst < 0.5, "the next year recovers trend and season (within 0.5)");
	CHECK(f[0] > f[1] && f[5] > f[4] && f[6] < f[5],
	      "the season's shape: Jan > Feb, Jun > May, Jul < Jun");
	CHECK(lo[0] <= f[0] && hi[0] >= f[0],
	      "the interval holds the forecast");
	CHECK(hi[11] - lo[11] >= hi[0] - lo[0], "the interval widens with h");
}

static void multiplicative(void)
{
	double y[48], f[12];
	struct crm_ets e;
	double worst = 0;

	for (int t = 0; t < 48; t++)
		y[t] = (100 + 5 * t) * (1 + S[t % 12] / 100);
	CHECK(crm_ets_auto(y, 48, 12, &e) == 0, "fits");
	CHECK(e.kind == CRM_ETS_MULTIPLICATIVE,
	      "a season growing with the level: multiplicative");
	crm_ets_forecast(&e, 12, 1.96, f, NULL, NULL);
	for (int h = 0; h < 12; h++) {
		double want =
		    (100 + 5 * (48 + h)) * (1 + S[(48 + h) % 12] / 100);

		if (fabs(f[h] - want) / want > worst)
			worst = fabs(f[h] - want) / want;
	}
	CHECK(worst < 0.03, "the next year within 3%");
}

static void fallback(void)
{
	double y[20];
	struct crm_ets e;
	double f[3];

	for (int t = 0; t < 20; t++)
		y[t] = 10 + 3 * t;
	CHECK(crm_ets_auto(y, 20, 12, &e) == 0, "20 months fit");
	CHECK(e.kind == CRM_ETS_HOLT, "under two seasons: holt");
	crm_ets_forecast(&e, 3, 1.96, f, NULL, NULL);
	CHECK_NEAR(f[0], 70, 0.01, "a straight line continues: 70");
	CHECK_NEAR(f[2], 76, 0.01, "then 76");
	CHECK(crm_ets_auto(y, 2, 12, &e) < 0, "2 values: refused");
	CHECK(crm_ets_fit(y, 20, 12, CRM_ETS_ADDITIVE, &e) < 0,
	      "a season needs two of them");
	y[3] = 0;
	CHECK(crm_ets_fit(y, 20, 4, CRM_ETS_MULTIPLICATIVE, &e) < 0,
	      "multiplicative needs values above 0");
}

static void snaive_backtest(void)
{
	double y[36];
	struct crm_ets_backtest bt;

	for (int t = 0; t < 36; t++)
		y[t] = 100 + S[t % 12];
	CHECK_NEAR(crm_ets_snaive(y, 36, 12, 1), 130, 1e-9,
		   "seasonal naive: the same month last year");
	CHECK_NEAR(crm_ets_snaive(y, 36, 12, 14), 80, 1e-9,
		   "h = 14: February again");
	crm_ets_backtest(y, 36, 12, 6, 24, &bt);
	CHECK_INT(bt.origins, 6, "six origins");
	CHECK_NEAR(bt.snaive_mape, 0, 1e-9, "a pure season: naive MAPE 0");
	CHECK(bt.mape < 1, "the model's MAPE under 1%");
	/* a step: y = 10 for 32 values then 20; scale = mean |y_t - y_t-12|
	 * = 4 x 10 / 24; the naive misses each of the last 4 by 10 */
	for (int t = 0; t < 36; t++)
		y[t] = t < 32 ? 10 : 20;
	crm_ets_backtest(y, 36, 12, 4, 24, &bt);
	CHECK_NEAR(bt.snaive_mape, 50, 1e-9, "naive MAPE 10/20 = 50%");
	CHECK_NEAR(bt.snaive_mase, 10 / (40.0 / 24), 1e-9,
		   "naive MASE 10 / (4 x 10 / 24)");
}

int main(void)
{
	additive();
	multiplicative();
	fallback();
	snaive_backtest();
	return done_testing();
}
