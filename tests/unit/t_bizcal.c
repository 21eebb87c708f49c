/* t_bizcal.c - time zones from TZif files and business-time arithmetic.
 * Expected instants were worked out by hand from the zone rules (zdump -v
 * shows the 2026 transitions: New York 8 Mar 07:00Z and 1 Nov 06:00Z,
 * Lisbon 29 Mar 01:00Z and 25 Oct 01:00Z); the offsets are also checked
 * against glibc's localtime_r over 1900-2100 as an independent oracle. */
#include <stdlib.h>
#include <time.h>

#include "bizcal.h"
#include "test.h"

static crm_time T(const char *s)
{
	crm_time t = 0;
	struct crm_err e;

	if (crm_datetime_parse(s, &t, &e) < 0)
		printf("# bad time in test: %s\n", s);
	return t;
}

static const char *F(crm_time t)
{
	static char buf[4][CRM_TIME_LEN];
	static int k;

	if (t == CRM_BIZ_NEVER)
		return "never";
	return crm_datetime_format(t, buf[k++ % 4]);
}

static void cal(struct crm_bizcal *c, const char *zone, const char *days,
		const char *hours)
{
	struct crm_err e;

	memset(c, 0, sizeof(*c));
	if (zone && crm_bizcal_zone(c, zone, &e) < 0)
		printf("# %s\n", e.msg);
	if (crm_bizcal_hours(c, days, hours, &e) < 0)
		printf("# %s\n", e.msg);
}

/* Offsets against glibc for every 6 hours of 1900-2100 (and beyond the
 * files' last transitions, where the footer rule applies). */
static void oracle(const char *zone)
{
	struct crm_err e;
	struct crm_tz *tz = crm_tz_load(zone, &e);
	long bad = 0;
	char what[128];

	setenv("TZ", zone, 1);
	tzset();
	for (crm_time t = T("1900-01-01"); tz && t < T("2100-01-01");
	     t += 6 * 3600 + 17) {
		struct tm tm;
		time_t tt = (time_t)t;

		localtime_r(&tt, &tm);
		if (tm.tm_gmtoff != crm_tz_offset(tz, t) && bad++ < 3)
			printf("#   %s at %s: glibc %ld, ours %d\n", zone, F(t),
			       tm.tm_gmtoff, crm_tz_offset(tz, t));
	}
	snprintf(what, sizeof(what), "%s: offsets agree with glibc 1900-2100",
		 zone);
	CHECK(tz && bad == 0, what);
	crm_tz_free(tz);
	setenv("TZ", "UTC", 1);
	tzset();
}

/* Seconds of [a, b) whose wall clock (in c's zone) reads an opening time,
 * minute by minute: the definition crm_bizcal_between must agree with. */
static int64_t brute_between(const struct crm_bizcal *c, crm_time a, crm_time b)
{
	int64_t sum = 0;

	for (crm_time t = a; t < b; t += 60) {
		int64_t local = t + crm_tz_offset(c->tz, t);
		int64_t d =
		    local >= 0 ? local / 86400 : (local - 86399) / 86400;
		int wd = (int)(((d % 7) + 7 + 3) % 7),
		    tod = (int)(local - d * 86400);

		for (int i = 0; i < c->nranges[wd]; i++)
			if (tod >= c->ranges[wd][i].from &&
			    tod < c->ranges[wd][i].to)
				sum += 60;
	}
	return sum;
}

/* The instant the k-th open minute after a ends, minute by minute. */
static crm_time brute_add(const struct crm_bizcal *c, crm_time a, int64_t k)
{
	for (crm_time t = a; t < a + 40 * 86400; t += 60)
		if (brute_between(c, t, t + 60) && --k == 0)
			return t + 60;
	return CRM_BIZ_NEVER;
}

/* Every day around a change of offset in 2018 and 2026, for calendars
 * whose hours touch the change (a night shift 00:00-04:00, ranges that
 * start or end inside a gap or an overlap): crm_bizcal_between and
 * crm_bizcal_add against counting wall-clock minutes. */
static void brute_force(const char *zone)
{
	static const char *const hours[] = {"00:00-04:00", "01:30-03:00",
					    "02:30-05:00",
					    "00:15-00:45,23:00-24:00"};
	struct crm_bizcal c;
	long bad = 0, days = 0;
	char what[160];

	for (size_t h = 0; h < sizeof(hours) / sizeof(*hours); h++) {
		cal(&c, zone, "mon-sun", hours[h]);
		for (int y = 0; y < 2; y++) {
			crm_time y0 = T(y ? "2026-01-01" : "2018-01-01");

			for (crm_time d = y0; d < y0 + 365 * 86400;
			     d += 86400) {
				crm_time a = d - 86400, b = d + 2 * 86400;
				int64_t want, got;

				if (crm_tz_offset(c.tz, a) ==
				    crm_tz_offset(c.tz, b))
					continue;
				days++;
				want = brute_between(&c, a, b);
				got = crm_bizcal_between(&c, a, b);
				if (want != got && bad++ < 3)
					printf("# %s %s %s: between %lld, "
					       "minutes %lld\n",
					       zone, hours[h], F(d),
					       (long long)got, (long long)want);
				for (int64_t k = 1; k <= want / 60; k += 7) {
					crm_time w = brute_add(&c, a, k),
						 g = crm_bizcal_add(
						     &c, a, k * 60, NULL, 0);
					if (w != g && bad++ < 3)
						printf("# %s %s from %s + %lld "
						       "min: %s, minutes %s\n",
						       zone, hours[h], F(a),
						       (long long)k, F(g),
						       F(w));
				}
			}
		}
		crm_bizcal_release(&c);
	}
	snprintf(what, sizeof(what),
		 "%s: %ld change days counted as wall-clock minutes", zone,
		 days);
	CHECK(bad == 0 && days > 0, what);
}

int main(void)
{
	struct crm_bizcal c;
	struct crm_err e;
	struct crm_tz *tz;

	/* -- zones ------------------------------------------------------ */
	tz = crm_tz_load("America/New_York", &e);
	CHECK(tz != NULL, "load America/New_York");
	CHECK_INT(crm_tz_offset(tz, T("2026-01-15T12:00:00Z")), -18000,
		  "New York in January: EST");
	CHECK_INT(crm_tz_offset(tz, T("2026-07-01T12:00:00Z")), -14400,
		  "New York in July: EDT");
	CHECK_INT(crm_tz_offset(tz, T("2026-03-08T06:59:59Z")), -18000,
		  "one second before the spring change");
	CHECK_INT(crm_tz_offset(tz, T("2026-03-08T07:00:00Z")), -14400,
		  "at the spring change");
	CHECK_INT(crm_tz_offset(tz, T("2050-07-01T12:00:00Z")), -14400,
		  "2050 (footer rule): EDT");
	CHECK_INT(crm_tz_offset(tz, T("2050-01-15T12:00:00Z")), -18000,
		  "2050 (footer rule): EST");
	CHECK_STR(F(crm_tz_to_utc(tz, T("2026-03-08T02:30:00Z"))),
		  "2026-03-08T07:30:00Z",
		  "02:30 in the spring gap reads as 03:30 EDT");
	CHECK_STR(F(crm_tz_to_utc(tz, T("2026-11-01T01:30:00Z"))),
		  "2026-11-01T05:30:00Z",
		  "01:30 twice in the autumn: the first (EDT)");
	CHECK_STR(F(crm_tz_to_utc(tz, T("2026-11-01T03:00:00Z"))),
		  "2026-11-01T08:00:00Z", "after the autumn change: EST");
	crm_tz_free(tz);
	tz = crm_tz_load("Australia/Sydney", &e);
	CHECK_INT(crm_tz_offset(tz, T("2045-01-15T00:00:00Z")), 39600,
		  "Sydney summer 2045 (southern rule): AEDT");
	CHECK_INT(crm_tz_offset(tz, T("2045-07-15T00:00:00Z")), 36000,
		  "Sydney winter 2045: AEST");
	crm_tz_free(tz);
	tz = crm_tz_load("UTC", &e);
	CHECK(tz && crm_tz_offset(tz, T("2026-07-01")) == 0, "UTC");
	crm_tz_free(tz);
	oracle("America/New_York");
	oracle("Europe/Lisbon");
	oracle("Australia/Sydney");
	oracle("Asia/Kolkata");
	oracle("America/Sao_Paulo");
	oracle("Pacific/Chatham");
	oracle("Africa/Casablanca");

	CHECK(crm_tz_load("../../etc/passwd", &e) == NULL &&
		  e.code == CRM_EX_CONFIG,
	      "a zone name with .. is refused");
	CHECK(crm_tz_load("/etc/localtime", &e) == NULL,
	      "an absolute path is refused");
	CHECK(crm_tz_load("Mars/Olympus_Mons", &e) == NULL &&
		  strstr(e.msg, "unknown time zone 'Mars/Olympus_Mons'"),
	      "an unknown zone is refused");
	CHECK(crm_tz_parse((const unsigned char *)"TZif2 garbage", 13) == NULL,
	      "a short file is not a zone");

	/* -- the fixtures: 9-17, Monday to Friday ---------------- */
	cal(&c, "UTC", "mon-fri", "09:00-17:00");
	CHECK_STR(
	    F(crm_bizcal_add(&c, T("2026-11-20T16:30:00Z"), 7200, NULL, 0)),
	    "2026-11-23T10:30:00Z",
	    "Friday 16:30 + 2 business hours = Monday 10:30");
	CHECK_INT(crm_bizcal_between(&c, T("2026-11-20T16:30:00Z"),
				     T("2026-11-23T10:30:00Z")),
		  7200, "... and back: 2 business hours between them");
	CHECK_STR(F(crm_bizcal_add(&c, T("2026-11-21T10:00:00Z"), 0, NULL, 0)),
		  "2026-11-23T09:00:00Z",
		  "+0 on a Saturday is Monday's opening");
	CHECK_STR(
	    F(crm_bizcal_add(&c, T("2026-11-23T08:00:00Z"), 8 * 3600, NULL, 0)),
	    "2026-11-23T17:00:00Z", "8 hours before opening: the whole day");
	CHECK_STR(F(crm_bizcal_add(&c, T("2026-11-23T17:00:00Z"), 1, NULL, 0)),
		  "2026-11-24T09:00:01Z", "one second after closing");
	CHECK_STR(F(crm_bizcal_add(&c, T("2026-11-20T16:30:00Z"), 5 * 8 * 3600,
				   NULL, 0)),
		  "2026-11-27T16:30:00Z", "a business week is a calendar week");
	crm_bizcal_holiday(&c, "2026-11-23", &e);
	CHECK_STR(
	    F(crm_bizcal_add(&c, T("2026-11-20T16:30:00Z"), 7200, NULL, 0)),
	    "2026-11-24T10:30:00Z", "a holiday Monday in between: Tuesday");
	crm_bizcal_holiday(&c, "2026-12-25", &e);
	crm_bizcal_holiday(&c, "2026-12-25", &e);
	CHECK_INT(c.nholidays, 2, "a holiday added twice counts once");
	CHECK_STR(
	    F(crm_bizcal_add(&c, T("2026-12-24T16:00:00Z"), 4 * 3600, NULL, 0)),
	    "2026-12-28T12:00:00Z", "Christmas Eve + 4h over Christmas");
	CHECK_INT(crm_bizcal_between(&c, T("2026-12-24T16:00:00Z"),
				     T("2026-12-28T12:00:00Z")),
		  4 * 3600, "between skips the holiday too");

	/* pauses */
	{
		struct crm_span p[] = {
		    {T("2026-11-24T10:00:00Z"), T("2026-11-24T12:00:00Z")},
		    {T("2026-11-25T16:00:00Z"), CRM_BIZ_NEVER},
		};
		CHECK_STR(F(crm_bizcal_add(&c, T("2026-11-24T09:00:00Z"),
					   8 * 3600, p, 1)),
			  "2026-11-25T11:00:00Z",
			  "a 2-hour pause moves the due time 2 business hours");
		CHECK_STR(F(crm_bizcal_add(&c, T("2026-11-24T09:00:00Z"),
					   20 * 3600, p, 2)),
			  "never", "an open-ended pause stops the clock");
		CHECK_STR(F(crm_bizcal_add(&c, T("2026-11-24T09:00:00Z"), 3600,
					   p, 2)),
			  "2026-11-24T10:00:00Z",
			  "due before the pause: the pause does not count");
		CHECK_STR(F(crm_bizcal_add(&c, T("2026-11-24T10:30:00Z"), 3600,
					   p, 1)),
			  "2026-11-24T13:00:00Z",
			  "starting inside a pause: from its end");
	}
	crm_bizcal_release(&c);

	/* two ranges a day */
	cal(&c, NULL, "mon-fri", "09:00-12:00,13:00-17:00");
	CHECK_STR(
	    F(crm_bizcal_add(&c, T("2026-11-23T11:00:00Z"), 7200, NULL, 0)),
	    "2026-11-23T14:00:00Z", "lunch does not count");
	crm_bizcal_release(&c);

	/* -- daylight-saving changes ------------------------------------ */
	cal(&c, "Europe/Lisbon", "mon-fri", "09:00-17:00");
	CHECK_STR(
	    F(crm_bizcal_add(&c, T("2026-03-27T16:30:00Z"), 7200, NULL, 0)),
	    "2026-03-30T09:30:00Z",
	    "Lisbon: Friday 16:30 WET + 2h = Monday 10:30 WEST (09:30Z)");
	CHECK_STR(
	    F(crm_bizcal_add(&c, T("2026-10-23T15:30:00Z"), 7200, NULL, 0)),
	    "2026-10-26T10:30:00Z",
	    "Lisbon: Friday 16:30 WEST + 2h = Monday 10:30 WET (10:30Z)");
	CHECK_INT(crm_bizcal_between(&c, T("2026-03-27T16:30:00Z"),
				     T("2026-03-30T09:30:00Z")),
		  7200, "between across the change");
	crm_bizcal_release(&c);
	cal(&c, "America/New_York", "mon-fri", "09:00-17:00");
	CHECK_STR(
	    F(crm_bizcal_add(&c, T("2026-03-06T21:00:00Z"), 7200, NULL, 0)),
	    "2026-03-09T14:00:00Z",
	    "New York: Friday 16:00 EST + 2h = Monday 10:00 EDT");
	crm_bizcal_release(&c);
	cal(&c, "America/New_York", "mon-sun", "00:00-24:00");
	CHECK_STR(F(crm_bizcal_add(&c, T("2026-03-07T17:00:00Z"), 24 * 3600,
				   NULL, 0)),
		  "2026-03-08T17:00:00Z",
		  "24-hour days: the 23-hour Sunday counts 23 hours");
	CHECK_INT(crm_bizcal_between(&c, T("2026-03-08T05:00:00Z"),
				     T("2026-03-09T04:00:00Z")),
		  23 * 3600,
		  "Sunday 8 March 2026 in New York is 23 hours long");
	CHECK_INT(crm_bizcal_between(&c, T("2026-11-01T04:00:00Z"),
				     T("2026-11-02T05:00:00Z")),
		  25 * 3600, "Sunday 1 November 2026 is 25 hours long");
	crm_bizcal_release(&c);
	cal(&c, "America/New_York", "sun", "01:00-04:00");
	CHECK_INT(crm_bizcal_between(&c, T("2026-03-08T00:00:00Z"),
				     T("2026-03-09T00:00:00Z")),
		  2 * 3600, "opening hours across the spring gap: 2 hours");
	crm_bizcal_release(&c);

	/* a boundary inside the gap counts from the change (crm-ticket(1)):
	 * Lisbon sets 01:00 to 02:00 on 29 March 2026 (01:00Z) */
	cal(&c, "Europe/Lisbon", "sun", "01:30-03:00");
	CHECK_INT(crm_bizcal_between(&c, T("2026-03-29T00:00:00Z"),
				     T("2026-03-30T00:00:00Z")),
		  3600, "a start at 01:30 in the spring gap counts from 02:00");
	CHECK_STR(F(crm_bizcal_add(&c, T("2026-03-28T12:00:00Z"), 60, NULL, 0)),
		  "2026-03-29T01:01:00Z",
		  "... so the first open minute is the change's");
	crm_bizcal_release(&c);
	/* and sets 02:00 back to 01:00 on 25 October (01:00Z): 01:00-02:00
	 * happens twice and counts twice, as on the wall */
	cal(&c, "Europe/Lisbon", "sun", "01:30-03:00");
	CHECK_INT(crm_bizcal_between(&c, T("2026-10-25T00:00:00Z"),
				     T("2026-10-26T00:00:00Z")),
		  2 * 3600, "01:30-03:00 over the autumn overlap: 2 hours");
	crm_bizcal_release(&c);
	brute_force("Europe/Lisbon");
	brute_force("America/New_York");
	brute_force("America/Santiago");
	brute_force("America/Havana");
	brute_force("Australia/Lord_Howe");
	brute_force("America/Sao_Paulo");

	/* -- calendar time, closed calendars, bad hours ----------------- */
	memset(&c, 0, sizeof(c));
	c.always = true;
	{
		struct crm_span p[] = {
		    {T("2026-11-21T10:00:00Z"), T("2026-11-21T10:30:00Z")}};
		CHECK_STR(F(crm_bizcal_add(&c, T("2026-11-21T09:30:00Z"), 3600,
					   p, 1)),
			  "2026-11-21T11:00:00Z",
			  "calendar time with a 30-minute pause");
	}
	CHECK_INT(crm_bizcal_between(&c, T("2026-11-21"), T("2026-11-22")),
		  86400, "calendar time between");
	memset(&c, 0, sizeof(c));
	CHECK(!crm_bizcal_open_ever(&c), "an empty calendar is never open");
	CHECK_STR(F(crm_bizcal_add(&c, T("2026-11-21"), 60, NULL, 0)), "never",
		  "... and never reaches a due time");
	CHECK(crm_bizcal_hours(&c, "mon", "25:00-26:00", &e) < 0 &&
		  strstr(e.msg, "bad hours '25:00-26:00'"),
	      "hour 25 refused");
	CHECK(crm_bizcal_hours(&c, "mon", "17:00-09:00", &e) < 0,
	      "a range ending before it starts refused");
	CHECK(crm_bizcal_hours(&c, "mon", "09:00-12:00,11:00-13:00", &e) < 0,
	      "overlapping ranges refused");
	CHECK(crm_bizcal_hours(&c, "mon", "9-17", &e) < 0, "9-17 refused");
	CHECK(crm_bizcal_hours(&c, "mon-xyz", "09:00-17:00", &e) < 0 &&
		  strstr(e.msg, "bad days 'mon-xyz'"),
	      "bad day names refused");
	CHECK(crm_bizcal_hours(&c, "fri-mon", "10:00-11:00", &e) == 0 &&
		  c.nranges[4] && c.nranges[5] && c.nranges[6] &&
		  c.nranges[0] && !c.nranges[1],
	      "a range of days wraps over the weekend");
	CHECK(crm_bizcal_hours(&c, "sat", "closed", &e) == 0 && !c.nranges[5],
	      "closed");
	CHECK(crm_bizcal_holiday(&c, "2026-02-30", &e) < 0 &&
		  strstr(e.msg, "bad holiday"),
	      "a bad holiday refused");
	crm_bizcal_release(&c);
	return done_testing();
}
