/* t_cycle.c - purchase-cycle estimates (an exact 90-day cycle, a buying
 * month across years, too little to go on) and the best-time ranking
 * with its shrinkage, against values worked out by hand. */
#include "cycle.h"
#include "datetime.h"
#include "reach.h"
#include "test.h"

static int64_t day(int y, int m, int d)
{
	return crm_days_from_civil(y, (unsigned)m, (unsigned)d);
}

static void cycles(void)
{
	int64_t d[4] = {day(2026, 1, 4), day(2026, 4, 4), day(2026, 7, 3),
			day(2026, 10, 1)};
	int64_t s[3] = {day(2024, 1, 14), day(2025, 1, 16), day(2025, 6, 3)};
	int64_t two[2] = {day(2026, 2, 1), day(2026, 9, 9)};
	struct crm_cycle_est e;

	crm_cycle_estimate(d, 4, day(2026, 11, 22), &e);
	CHECK_STR(e.method, "interval", "90 days exactly: interval");
	CHECK_INT(e.next, day(2026, 12, 30), "next: 2026-10-01 + 90");
	CHECK(e.median == 90 && e.cv == 0, "median 90, no spread");
	crm_cycle_estimate(s, 3, day(2026, 11, 22), &e);
	CHECK_STR(e.method, "seasonal", "irregular, January twice: seasonal");
	CHECK_INT(e.next, day(2027, 1, 15),
		  "the next January on or after today, the 15th");
	CHECK_INT(e.season_years, 2, "two years");
	crm_cycle_estimate(two, 2, day(2026, 11, 22), &e);
	CHECK(e.method == NULL, "two purchases, no repeated month: none");
}

static void reach(void)
{
	long own[56] = {0}, prior[56] = {0};
	struct crm_reach r;

	own[2 * 8 + 3] = 8; /* Tuesday 09:00-12:00 */
	crm_reach_rank(own, prior, &r);
	CHECK_INT(r.ntop, 3, "three windows");
	CHECK(r.top[0].wday == 2 && r.top[0].block == 3, "Tuesday morning");
	CHECK_NEAR(r.top[0].share, 100 * (8 + 10.0 / 56) / 18, 1e-9,
		   "(8 + 10/56) / 18 with a uniform prior");
	CHECK(r.top[1].wday == 0 && r.top[1].block == 0,
	      "then the first window (ties keep order)");
	own[2 * 8 + 3] = 0;
	own[1 * 8 + 3] = 1;    /* one answer on Monday */
	prior[4 * 8 + 5] = 25; /* the company: Thursday 15:00-18:00 */
	crm_reach_rank(own, prior, &r);
	CHECK(r.top[0].wday == 4 && r.top[0].block == 5,
	      "a thin history follows the company");
	CHECK_NEAR(r.top[0].share, 1000.0 / 11, 1e-9, "10 / 11");
	CHECK_NEAR(r.top[1].share, 100.0 / 11, 1e-9, "1 / 11");
	{
		char b[32];

		crm_reach_label(&r.top[0], b);
		CHECK_STR(b, "Thu 15:00-18:00", "the label");
	}
	memset(own, 0, sizeof(own));
	memset(prior, 0, sizeof(prior));
	crm_reach_rank(own, prior, &r);
	CHECK_INT(r.ntop, 0, "nothing to go on: no window");
}

int main(void)
{
	cycles();
	reach();
	return done_testing();
}
