/* t_rfm.c - RFM quintiles (ties share a score), the segment map cell by
 * cell, and the churn risk formula, against values worked out by hand. */
#include "churn.h"
#include "rfm.h"
#include "test.h"

static void quintiles(void)
{
	/* ten distinct values: two per quintile */
	double v[10] = {5, 1, 9, 3, 7, 2, 10, 4, 8, 6};
	int want[10] = {3, 1, 5, 2, 4, 1, 5, 2, 4, 3}, q[10];
	/* recency: fewer days is better */
	double d[4] = {30, 5, 5, 400};
	int wd[4] = {2, 3, 3, 1}, qd[4];
	double one = 42;
	int q1;

	crm_rfm_quintiles(v, 10, false, q);
	for (int i = 0; i < 10; i++)
		CHECK_INT(q[i], want[i], "ten values: 1 + floor(5k/10)");
	/* 30: one worse (400): 1 + floor(5/4) = 2; 5 and 5: two worse (30,
	 * 400): 1 + floor(10/4) = 3; 400: none: 1 */
	crm_rfm_quintiles(d, 4, true, qd);
	for (int i = 0; i < 4; i++)
		CHECK_INT(qd[i], wd[i], "recency: ties share, lower is better");
	crm_rfm_quintiles(&one, 1, false, &q1);
	CHECK_INT(q1, 1, "a single customer has nobody below it");
}

static void segments(void)
{
	/* rows r = 1..5, columns FM = 1..5 (f = m = FM) */
	static const char *const grid[5][5] = {
	    {"lost", "hibernating", "at risk", "at risk", "can't lose them"},
	    {"hibernating", "hibernating", "at risk", "at risk",
	     "can't lose them"},
	    {"about to sleep", "about to sleep", "need attention", "loyal",
	     "loyal"},
	    {"promising", "potential loyalist", "potential loyalist", "loyal",
	     "loyal"},
	    {"new", "potential loyalist", "potential loyalist", "champions",
	     "champions"},
	};

	for (int r = 1; r <= 5; r++)
		for (int fm = 1; fm <= 5; fm++)
			CHECK_STR(crm_rfm_segment(r, fm, fm),
				  grid[r - 1][fm - 1], "segment map");
	/* FM = ceil((f + m) / 2) */
	CHECK_STR(crm_rfm_segment(5, 4, 3), "champions", "f4 m3 -> FM 4");
	CHECK_STR(crm_rfm_segment(5, 1, 2), "potential loyalist",
		  "f1 m2 -> FM 2");
	CHECK_STR(crm_rfm_segment(1, 1, 2), "hibernating", "r1 FM 2");
}

static void churn(void)
{
	struct crm_churn_input in = {.activities = 1,
				     .activities_base = 12,
				     .tickets = 2,
				     .tickets_base = 0,
				     .days_silent = 10,
				     .window = 30 * 86400,
				     .baseline = 180 * 86400};
	struct crm_churn_risk r;

	crm_churn_compute(&in, &r);
	CHECK_NEAR(r.activities_expected, 2, 1e-12, "12 * 30/180");
	CHECK_NEAR(r.activity_points, 20, 1e-12, "40 * (1 - 1/2)");
	CHECK_NEAR(r.ticket_points, 20, 1e-12, "10 * (2 - 0)");
	CHECK_NEAR(r.silence_points, 10.0 / 3, 1e-12, "10 days / 3");
	CHECK_INT(r.risk, 43, "43.33 rounded");
	in.activities_base = 2; /* under 3: no baseline to fall from */
	in.tickets = 9;		/* 90 points, capped at 30 */
	in.days_silent = 400;	/* capped at 30 */
	crm_churn_compute(&in, &r);
	CHECK_NEAR(r.activity_points, 0, 0, "a thin baseline gives no drop");
	CHECK_NEAR(r.ticket_points, 30, 0, "tickets capped at 30");
	CHECK_NEAR(r.silence_points, 30, 0, "silence capped at 30");
	CHECK_INT(r.risk, 60, "30 + 30");
	in.activities_base = 60;
	in.activities = 0;
	crm_churn_compute(&in, &r);
	CHECK_INT(r.risk, 100, "40 + 30 + 30: the most there is");
	in.activities = 50; /* above the expected 10: no drop */
	in.tickets = 0;
	in.days_silent = 0;
	crm_churn_compute(&in, &r);
	CHECK_INT(r.risk, 0, "busy and quiet on tickets: 0");
}

int main(void)
{
	quintiles();
	segments();
	churn();
	return done_testing();
}
