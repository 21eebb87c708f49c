/* t_datetime.c - ISO 8601 parsing and formatting, civil date arithmetic and
 * CRM_NOW. Expected values are worked out by hand in the comments. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datefmt.h"
#include "datetime.h"
#include "test.h"

static char what[256];

/* s parses, and prints back as want (UTC, seconds, Z). */
static void parses_to(const char *s, const char *want)
{
	struct crm_err e = {0};
	crm_time t = 0;
	char buf[CRM_TIME_LEN];
	int rc = crm_datetime_parse(s, &t, &e);

	snprintf(what, sizeof(what), "parse '%s' -> %s", s, want);
	if (rc < 0) {
		CHECK(0, what);
		printf("#   error: %s\n", e.msg);
		return;
	}
	CHECK_STR(crm_datetime_format(t, buf), want, what);
}

/* s parses to exactly t seconds. */
static void parses_at(const char *s, crm_time want)
{
	struct crm_err e = {0};
	crm_time t = 0;

	snprintf(what, sizeof(what), "parse '%s' -> %lld", s, (long long)want);
	CHECK(crm_datetime_parse(s, &t, &e) == 0 && t == want, what);
	if (t != want)
		printf("#   got %lld (%s)\n", (long long)t, e.msg);
}

/* s is refused with exactly msg (and CRM_EX_DATAERR); *out untouched. */
static void refused(const char *s, const char *msg)
{
	struct crm_err e = {0};
	crm_time t = 12345;
	int rc = crm_datetime_parse(s, &t, &e);

	snprintf(what, sizeof(what), "refuse '%s'", s);
	CHECK(rc == -1 && e.code == CRM_EX_DATAERR && t == 12345, what);
	snprintf(what, sizeof(what), "message for '%s'", s);
	CHECK_STR(e.msg, msg, what);
}

#define FORM "expected YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM], got "

static void test_civil(void)
{
	int64_t y;
	unsigned m, d;
	long bad = 0;

	CHECK_INT(crm_days_from_civil(1970, 1, 1), 0, "epoch is day 0");
	CHECK_INT(crm_days_from_civil(1970, 1, 2), 1, "1970-01-02 is day 1");
	CHECK_INT(crm_days_from_civil(1969, 12, 31), -1, "1969-12-31 is -1");
	/* 30 years, 7 leap days (72..96): 30 * 365 + 7 */
	CHECK_INT(crm_days_from_civil(2000, 1, 1), 10957, "2000-01-01");
	/* 2000 is a leap year: + 31 + 29 */
	CHECK_INT(crm_days_from_civil(2000, 3, 1), 11017, "2000-03-01");
	/* 54 years, 13 leap days (72..2020): 19723, + 31 + 28 */
	CHECK_INT(crm_days_from_civil(2024, 2, 29), 19782, "2024-02-29");
	/* 70 years back, 17 leap days (1904..1968; 1900 is not one) */
	CHECK_INT(crm_days_from_civil(1900, 1, 1), -25567, "1900-01-01");
	CHECK_INT(crm_days_from_civil(1, 1, 1), -719162, "0001-01-01");
	CHECK_INT(crm_days_from_civil(9999, 12, 31), 2932896, "9999-12-31");

	crm_civil_from_days(0, &y, &m, &d);
	CHECK(y == 1970 && m == 1 && d == 1, "day 0 is 1970-01-01");
	crm_civil_from_days(-1, &y, &m, &d);
	CHECK(y == 1969 && m == 12 && d == 31, "day -1 is 1969-12-31");
	crm_civil_from_days(11016, &y, &m, &d);
	CHECK(y == 2000 && m == 2 && d == 29, "day 11016 is 2000-02-29");
	crm_civil_from_days(19782, &y, &m, &d);
	CHECK(y == 2024 && m == 2 && d == 29, "day 19782 is 2024-02-29");
	crm_civil_from_days(-719162, &y, &m, &d);
	CHECK(y == 1 && m == 1 && d == 1, "day -719162 is 0001-01-01");
	crm_civil_from_days(2932896, &y, &m, &d);
	CHECK(y == 9999 && m == 12 && d == 31, "day 2932896 is 9999-12-31");

	/* Every day of the supported range: the two functions are inverse
	 * and each day follows the one before it on the calendar. */
	for (int64_t z = -719162; z <= 2932896; z++) {
		int64_t y2;
		unsigned m2, d2;

		crm_civil_from_days(z, &y, &m, &d);
		if (crm_days_from_civil(y, m, d) != z)
			bad++;
		crm_civil_from_days(z + 1, &y2, &m2, &d2);
		if (d2 == 1 ? !(d == crm_days_in_month(y, m) &&
				(m2 == m + 1 ||
				 (m == 12 && m2 == 1 && y2 == y + 1)))
			    : !(d2 == d + 1 && m2 == m && y2 == y))
			bad++;
	}
	CHECK_INT(bad, 0, "civil round trip and continuity, 0001 to 9999");

	CHECK(crm_is_leap_year(2024), "2024 is a leap year");
	CHECK(!crm_is_leap_year(2023), "2023 is not");
	CHECK(!crm_is_leap_year(2100), "2100 is not");
	CHECK(!crm_is_leap_year(1900), "1900 is not");
	CHECK(crm_is_leap_year(2000), "2000 is");
	CHECK(crm_is_leap_year(1600), "1600 is");
	CHECK_INT(crm_days_in_month(2024, 2), 29, "February 2024");
	CHECK_INT(crm_days_in_month(2100, 2), 28, "February 2100");
	CHECK_INT(crm_days_in_month(2026, 4), 30, "April");
	CHECK_INT(crm_days_in_month(2026, 12), 31, "December");
	CHECK_INT(crm_days_in_month(2026, 0), 0, "month 0");
	CHECK_INT(crm_days_in_month(2026, 13), 0, "month 13");
}

static void test_parse_forms(void)
{
	/* 2026-01-01 is day 20454 (56 years, 14 leap days); Nov 22 is day
	 * 325 of the year (304 + 21): 20779 * 86400 + 9.5 h. */
	parses_at("2026-11-22T09:30:00Z", 1795339800);
	parses_at("2026-11-22T09:30:00", 1795339800);
	parses_at("2026-11-22 09:30:00", 1795339800);
	parses_at("2026-11-22 09:30", 1795339800);
	parses_at("2026-11-22T09:30Z", 1795339800);
	parses_at("2026-11-22t09:30:00z", 1795339800);
	parses_at("2026-11-22", 1795305600);
	parses_at("1970-01-01", 0);
	parses_at("1970-01-01T00:00:00Z", 0);
	parses_at("1970-01-01T00:00:01Z", 1);
	parses_at("1969-12-31T23:59:59Z", -1);
	parses_at("1969-12-31", -86400);
	parses_at("1900-01-01", -2208988800);
	parses_at("2000-02-29", 951782400);
	parses_at("0001-01-01T00:00:00Z", CRM_TIME_MIN);
	parses_at("9999-12-31T23:59:59Z", CRM_TIME_MAX);

	/* Fractions are dropped, not rounded. */
	parses_to("2026-11-22T09:30:00.999Z", "2026-11-22T09:30:00Z");
	parses_to("2026-11-22T09:30:59.5", "2026-11-22T09:30:59Z");
	parses_to("2026-11-22T09:30:00,25+01:00", "2026-11-22T08:30:00Z");
	parses_to("2026-11-22T09:30:00.123456789Z", "2026-11-22T09:30:00Z");
}

static void test_parse_offsets(void)
{
	parses_to("2026-11-22T10:30:00+01:00", "2026-11-22T09:30:00Z");
	parses_to("2026-11-22T04:30:00-05:00", "2026-11-22T09:30:00Z");
	parses_to("2026-11-22T15:00:00+0530", "2026-11-22T09:30:00Z");
	parses_to("2026-11-22T15:00+05:30", "2026-11-22T09:30:00Z");
	parses_to("2026-11-22T14:30+05", "2026-11-22T09:30:00Z");
	parses_to("2026-11-22T09:30-00:00", "2026-11-22T09:30:00Z");
	parses_to("2026-11-22T09:30+00", "2026-11-22T09:30:00Z");
	/* Crossing midnight, month ends and year ends, both ways. */
	parses_to("2026-11-22T00:30:00+01:00", "2026-11-21T23:30:00Z");
	parses_to("2026-11-21T23:30:00-01:00", "2026-11-22T00:30:00Z");
	parses_to("2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00Z");
	parses_to("2025-12-31T23:30:00-01:00", "2026-01-01T00:30:00Z");
	parses_to("2024-03-01T01:00+02:00", "2024-02-29T23:00:00Z");
	parses_to("2023-03-01T01:00+02:00", "2023-02-28T23:00:00Z");
	parses_to("2024-02-28T23:00-02:00", "2024-02-29T01:00:00Z");
	parses_to("2023-02-28T23:00-02:00", "2023-03-01T01:00:00Z");
	parses_to("2026-04-30T22:00-03:00", "2026-05-01T01:00:00Z");
	parses_to("1970-01-01T00:00:00+00:01", "1969-12-31T23:59:00Z");
	parses_to("1969-12-31T23:59:00-00:01", "1970-01-01T00:00:00Z");
	parses_to("2026-06-15T12:00+14:00", "2026-06-14T22:00:00Z");
	parses_to("2026-06-15T12:00-12:00", "2026-06-16T00:00:00Z");
	parses_to("9999-12-31T23:59:59+01:00", "9999-12-31T22:59:59Z");
	parses_to("0001-01-01T00:00:00-01:00", "0001-01-01T01:00:00Z");
}

static void test_parse_refusals(void)
{
	refused("2026-02-30", "invalid date '2026-02-30'");
	refused("2026-02-29", "invalid date '2026-02-29'");
	refused("2100-02-29", "invalid date '2100-02-29'");
	refused("1900-02-29T10:00", "invalid date '1900-02-29'");
	refused("2026-04-31", "invalid date '2026-04-31'");
	refused("2026-13-01", "invalid date '2026-13-01'");
	refused("2026-00-10", "invalid date '2026-00-10'");
	refused("2026-01-00", "invalid date '2026-01-00'");
	refused("2026-01-32", "invalid date '2026-01-32'");
	refused("0000-01-01", "invalid date '0000-01-01'");
	refused("2026-01-01T25:00", "invalid time '25:00'");
	refused("2026-01-01T24:00", "invalid time '24:00'");
	refused("2026-01-01 23:60", "invalid time '23:60'");
	refused("2026-01-01T23:59:60Z", "invalid time '23:59:60'");
	refused("2026-01-01T99:00:00.5", "invalid time '99:00:00'");
	refused("2026-01-01T10:00+24:00", "invalid UTC offset '+24:00'");
	refused("2026-01-01T10:00-01:60", "invalid UTC offset '-01:60'");
	refused("x", FORM "'x'");
	refused("", FORM "''");
	refused("2026", FORM "'2026'");
	refused("2026-1-1", FORM "'2026-1-1'");
	refused("2026/01/01", FORM "'2026/01/01'");
	refused("26-01-01", FORM "'26-01-01'");
	refused("20260101", FORM "'20260101'");
	refused("+2026-01-01", FORM "'+2026-01-01'");
	refused(" 2026-01-01", FORM "' 2026-01-01'");
	refused("2026-01-01 ", FORM "'2026-01-01 '");
	refused("2026-01-01Z", FORM "'2026-01-01Z'");
	refused("2026-01-01T", FORM "'2026-01-01T'");
	refused("2026-01-01T10", FORM "'2026-01-01T10'");
	refused("2026-01-01T1:00", FORM "'2026-01-01T1:00'");
	refused("2026-01-01T10:00:", FORM "'2026-01-01T10:00:'");
	refused("2026-01-01T10:00:0", FORM "'2026-01-01T10:00:0'");
	refused("2026-01-01T10:00.5", FORM "'2026-01-01T10:00.5'");
	refused("2026-01-01T10:00:00.", FORM "'2026-01-01T10:00:00.'");
	refused("2026-01-01T10:00+1", FORM "'2026-01-01T10:00+1'");
	refused("2026-01-01T10:00+01:0", FORM "'2026-01-01T10:00+01:0'");
	refused("2026-01-01T10:00+01:00:00",
		FORM "'2026-01-01T10:00+01:00:00'");
	refused("2026-01-01T10:00 +01:00", FORM "'2026-01-01T10:00 +01:00'");
	refused("2026-01-01T10:00:00Zjunk", FORM "'2026-01-01T10:00:00Zjunk'");
	refused("2026-01-01T10:00ZZ", FORM "'2026-01-01T10:00ZZ'");
	refused("2026-01-01X10:00", FORM "'2026-01-01X10:00'");
	refused("9999-12-31T23:59:59-00:01",
		"time '9999-12-31T23:59:59-00:01' is out of range "
		"(0001-01-01 to 9999-12-31 UTC)");
	refused("0001-01-01T00:00+00:01",
		"time '0001-01-01T00:00+00:01' is out of range "
		"(0001-01-01 to 9999-12-31 UTC)");

	/* Long junk is quoted, but only its start. */
	char longs[200];
	struct crm_err e = {0};
	crm_time t;

	memset(longs, 'x', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	CHECK(crm_datetime_parse(longs, &t, &e) == -1, "refuse long junk");
	CHECK(strlen(e.msg) < 128 && strstr(e.msg, "...'"),
	      "long junk quoted short with an ellipsis");
	CHECK(crm_datetime_parse(NULL, &t, &e) == -1 &&
		  e.code == CRM_EX_DATAERR,
	      "refuse NULL");
	CHECK(crm_datetime_parse("x", &t, NULL) == -1, "NULL err is allowed");
}

static void test_format(void)
{
	char buf[CRM_TIME_LEN];

	CHECK_STR(crm_datetime_format(0, buf), "1970-01-01T00:00:00Z", "epoch");
	CHECK_STR(crm_datetime_format(-1, buf), "1969-12-31T23:59:59Z",
		  "one second before the epoch");
	CHECK_STR(crm_datetime_format(-86400, buf), "1969-12-31T00:00:00Z",
		  "one day before the epoch");
	CHECK_STR(crm_datetime_format(-86401, buf), "1969-12-30T23:59:59Z",
		  "a day and a second before the epoch");
	CHECK_STR(crm_datetime_format(1795339800, buf), "2026-11-22T09:30:00Z",
		  "2026-11-22T09:30:00Z");
	CHECK_STR(crm_datetime_format(951868799, buf), "2000-02-29T23:59:59Z",
		  "last second of 2000-02-29");
	CHECK_STR(crm_datetime_format(CRM_TIME_MAX, buf),
		  "9999-12-31T23:59:59Z", "the last second");
	CHECK_STR(crm_datetime_format(CRM_TIME_MIN, buf),
		  "0001-01-01T00:00:00Z", "the first second");
	CHECK_STR(crm_datetime_format(CRM_TIME_MAX + 1, buf),
		  "9999-12-31T23:59:59Z", "past the end clamps");
	CHECK_STR(crm_datetime_format(INT64_MAX, buf), "9999-12-31T23:59:59Z",
		  "INT64_MAX clamps");
	CHECK_STR(crm_datetime_format(INT64_MIN, buf), "0001-01-01T00:00:00Z",
		  "INT64_MIN clamps");
	CHECK(crm_datetime_format(0, buf) == buf, "format returns buf");
	CHECK_STR(crm_datetime_format_date(1795339800, buf), "2026-11-22",
		  "date only");
	CHECK_STR(crm_datetime_format_date(-1, buf), "1969-12-31",
		  "date only before the epoch");
	CHECK_STR(crm_datetime_format_date(CRM_TIME_MAX, buf), "9999-12-31",
		  "date only, last day");
	CHECK_INT(crm_datetime_day_start(1795339800), 1795305600,
		  "day start of 2026-11-22T09:30");
	CHECK_INT(crm_datetime_day_start(-1), -86400, "day start before 1970");
	CHECK_INT(crm_datetime_day_start(-86400), -86400,
		  "day start of a midnight");
}

static void test_round_trip(void)
{
	static const char *const cases[] = {
	    "1970-01-01T00:00:00Z", "1969-07-20T20:17:40Z",
	    "2000-02-29T12:00:00Z", "2024-02-29T23:59:59Z",
	    "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z",
	    "1600-03-01T00:00:00Z", "0001-01-01T00:00:00Z",
	    "9999-12-31T23:59:59Z", "2038-01-19T03:14:08Z",
	};
	long bad = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		crm_time t;
		char buf[CRM_TIME_LEN];

		snprintf(what, sizeof(what), "round trip %s", cases[i]);
		CHECK(crm_datetime_parse(cases[i], &t, NULL) == 0 &&
			  strcmp(crm_datetime_format(t, buf), cases[i]) == 0,
		      what);
	}
	/* format -> parse is the identity, every 7777 seconds of 1960..2040 */
	for (crm_time t = -315619200; t < 2208988800; t += 7777) {
		crm_time u = 0;
		char buf[CRM_TIME_LEN];

		crm_datetime_format(t, buf);
		if (crm_datetime_parse(buf, &u, NULL) != 0 || u != t)
			bad++;
	}
	CHECK_INT(bad, 0, "format then parse is the identity, 1960..2040");
}

static void test_now(void)
{
	struct crm_err e = {0};
	crm_time t = 0, before;

	setenv("CRM_NOW", "2026-11-22T09:30:00Z", 1);
	CHECK(crm_datetime_now(&t, &e) == 0 && t == 1795339800,
	      "CRM_NOW pins now");
	setenv("CRM_NOW", "2026-11-22 10:30+01:00", 1);
	CHECK(crm_datetime_now(&t, &e) == 0 && t == 1795339800,
	      "CRM_NOW takes offsets");
	setenv("CRM_NOW", "2026-11-22", 1);
	CHECK(crm_datetime_now(&t, &e) == 0 && t == 1795305600,
	      "CRM_NOW takes a date");

	setenv("CRM_NOW", "tomorrow", 1);
	t = 42;
	CHECK(crm_datetime_now(&t, &e) == -1, "bad CRM_NOW fails");
	CHECK_INT(e.code, CRM_EX_CONFIG, "bad CRM_NOW is a config error");
	CHECK_STR(e.msg,
		  "CRM_NOW: expected YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM], got "
		  "'tomorrow'",
		  "bad CRM_NOW message");
	CHECK_INT(t, 42, "bad CRM_NOW leaves the result alone");
	setenv("CRM_NOW", "2026-02-30", 1);
	crm_err_clear(&e);
	CHECK(crm_datetime_now(&t, &e) == -1 && e.code == CRM_EX_CONFIG,
	      "invalid CRM_NOW date fails");
	CHECK_STR(e.msg, "CRM_NOW: invalid date '2026-02-30'",
		  "invalid CRM_NOW date message");

	before = (crm_time)time(NULL);
	setenv("CRM_NOW", "", 1);
	CHECK(crm_datetime_now(&t, &e) == 0 && t >= before &&
		  t <= (crm_time)time(NULL),
	      "empty CRM_NOW means the clock");
	unsetenv("CRM_NOW");
	CHECK(crm_datetime_now(&t, &e) == 0 && t >= before &&
		  t <= (crm_time)time(NULL),
	      "no CRM_NOW means the clock");
}

/* crm_datefmt: --date-format conventions and formats, and --tz. */
static crm_time df_time(const char *spec, const char *zone, const char *s,
			struct crm_err *e)
{
	struct crm_datefmt *df = crm_datefmt_new(spec, zone, e);
	crm_time t = -1;

	crm_err_clear(e);
	if (df && crm_datefmt_time(df, s, &t, e) < 0)
		t = -1;
	crm_datefmt_free(df);
	return t;
}

static crm_time at(const char *iso)
{
	crm_time t = 0;

	crm_datetime_parse(iso, &t, NULL);
	return t;
}

static void test_datefmt(void)
{
	struct crm_err e;
	struct crm_datefmt *df;
	crm_time t;

	CHECK_INT(df_time("us", NULL, "11/22/2026 3:04 PM", &e),
		  at("2026-11-22T15:04:00Z"), "us with PM");
	CHECK_INT(df_time("us", NULL, "1/2/2026 12:00 AM", &e),
		  at("2026-01-02T00:00:00Z"), "12:00 AM is midnight");
	CHECK_INT(df_time("us", NULL, "1/2/2026 12:30 PM", &e),
		  at("2026-01-02T12:30:00Z"), "12:30 PM is after noon");
	CHECK_INT(df_time("us", NULL, "1/2/2026 11:59:59 p.m.", &e),
		  at("2026-01-02T23:59:59Z"), "p.m. with dots");
	CHECK_INT(df_time("us", NULL, "1/2/2026 13:00 PM", &e), -1,
		  "13 PM is refused");
	CHECK_INT(df_time("eu", NULL, "22.11.2026 14:30", &e),
		  at("2026-11-22T14:30:00Z"), "eu with dots");
	CHECK_INT(df_time("eu", NULL, "03/04/2026", &e),
		  at("2026-04-03T00:00:00Z"), "eu is day first");
	CHECK_INT(df_time("us", NULL, "03/04/2026", &e),
		  at("2026-03-04T00:00:00Z"), "us is month first");
	CHECK_INT(df_time("ymd", NULL, "2026/11/22", &e),
		  at("2026-11-22T00:00:00Z"), "ymd");
	CHECK_INT(df_time("mon", NULL, "22-nOv-2026", &e),
		  at("2026-11-22T00:00:00Z"), "mon in any case");
	CHECK_INT(df_time("us", NULL, "2026-11-22T10:00:00+01:00", &e),
		  at("2026-11-22T09:00:00Z"), "ISO is read with a format too");
	CHECK_INT(df_time("%d.%m.%y", NULL, "22.11.26", &e),
		  at("2026-11-22T00:00:00Z"), "%y after 1968 is 20xx");
	CHECK_INT(df_time("%d.%m.%y", NULL, "22.11.69", &e),
		  at("1969-11-22T00:00:00Z"), "%y 69 is 1969");
	CHECK_INT(df_time("%B %e, %Y", NULL, "November  2, 2026", &e),
		  at("2026-11-02T00:00:00Z"), "%B %e");
	CHECK_INT(df_time("%m/%d/%Y %I:%M %p", NULL, "11/2/2026 03:04 PM", &e),
		  at("2026-11-02T15:04:00Z"), "%I and %p");
	CHECK_INT(
	    df_time("%d.%m.%Y %H:%M:%S", NULL, "2.11.2026 9:04:05,75", &e),
	    at("2026-11-02T09:04:05Z"), "a fraction after %S dropped");
	CHECK_INT(df_time("%FT%T%z", NULL, "2026-11-22T09:30:00-0330", &e),
		  at("2026-11-22T13:00:00Z"), "%F, %T and %z");

	/* Excel serials and the 1900 leap-year bug */
	CHECK_INT(df_time("excel", NULL, "46348.5", &e),
		  at("2026-11-22T12:00:00Z"), "excel serial with a fraction");
	CHECK_INT(df_time("excel", NULL, "1", &e), at("1900-01-01"),
		  "excel serial 1");
	CHECK_INT(df_time("excel", NULL, "59", &e), at("1900-02-28"),
		  "excel serial 59");
	CHECK_INT(df_time("excel", NULL, "61", &e), at("1900-03-01"),
		  "excel serial 61");
	CHECK_INT(df_time("excel", NULL, "60", &e), -1, "excel serial 60");
	CHECK(strstr(e.msg, "1900-02-29") != NULL, "serial 60 says why");
	CHECK_INT(df_time("excel1904", NULL, "0", &e), at("1904-01-01"),
		  "excel1904 serial 0");

	/* never a guess between D/M and M/D */
	CHECK_INT(df_time(NULL, NULL, "03/04/2026", &e), -1,
		  "D/M or M/D without a format");
	CHECK_STR(e.msg,
		  "ambiguous date '03/04/2026': give --date-format us or eu",
		  "the ambiguity names the option");
	CHECK_INT(e.code, CRM_EX_DATAERR, "ambiguity is a data error");
	CHECK_INT(df_time(NULL, NULL, "13/04/2026", &e), -1,
		  "D/M without a format");
	CHECK_STR(e.msg,
		  "date '13/04/2026' is not ISO 8601: give --date-format eu",
		  "a day above 12 names eu");
	CHECK_INT(df_time(NULL, NULL, "2026-11-22 09:30", &e),
		  at("2026-11-22T09:30:00Z"), "ISO without a format");

	/* zones and daylight-saving changes */
	CHECK_INT(df_time(NULL, "America/New_York", "2026-03-08 02:30", &e),
		  at("2026-03-08T07:30:00Z"),
		  "a time in the gap takes the offset before it");
	CHECK_INT(df_time(NULL, "America/New_York", "2026-11-01 01:30", &e),
		  at("2026-11-01T05:30:00Z"),
		  "a time in the overlap is its first occurrence");
	CHECK_INT(
	    df_time(NULL, "America/New_York", "2026-11-01T01:30-05:00", &e),
	    at("2026-11-01T06:30:00Z"), "an offset wins over the zone");

	df = crm_datefmt_new("eu", "Asia/Tokyo", &e);
	CHECK(df && crm_datefmt_date(df, "31.12.2026", &t, &e) == 0 &&
		  t == at("2026-12-31"),
	      "dates take no zone");
	crm_datefmt_free(df);

	/* bad options */
	CHECK(crm_datefmt_new("uk", NULL, &e) == NULL && e.code == CRM_EX_USAGE,
	      "unknown convention");
	CHECK(crm_datefmt_new("%H:%M", NULL, &e) == NULL, "no date in format");
	CHECK(crm_datefmt_new("%Y-%m-%d %I:%M", NULL, &e) == NULL,
	      "%I without %p");
	CHECK(crm_datefmt_new("%Y-%m-%d %Q", NULL, &e) == NULL,
	      "unknown directive");
	CHECK(crm_datefmt_new(NULL, "No/Such_Zone", &e) == NULL &&
		  e.code == CRM_EX_USAGE,
	      "unknown zone");
}

int main(void)
{
	/* Nothing here may depend on the local time zone. */
	setenv("TZ", "Pacific/Chatham", 1);
	tzset();
	test_civil();
	test_parse_forms();
	test_parse_offsets();
	test_parse_refusals();
	test_format();
	test_round_trip();
	test_now();
	test_datefmt();
	return done_testing();
}
