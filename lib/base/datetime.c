/* datetime.c - ISO 8601 parsing and formatting in UTC, with no dependence on
 * TZ, mktime or timegm: civil dates are converted arithmetically. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datetime.h"

#define FORM "expected YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM]"
#define QUOTE_MAX 64 /* bytes of bad input quoted back in a message */

/* Howard Hinnant's days_from_civil: exact for every proleptic Gregorian
 * date, negative years included, in 400-year eras. */
int64_t crm_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? (int64_t)m - 3 : (int64_t)m + 9) + 2) / 5 +
	      (int64_t)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void crm_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

bool crm_is_leap_year(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

unsigned crm_days_in_month(int64_t y, unsigned m)
{
	static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30,
						31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return mdays[m - 1] + (m == 2 && crm_is_leap_year(y));
}

/* Floor division, so that times before 1970 land on the right day. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

crm_time crm_datetime_day_start(crm_time t)
{
	return floor_div(t, 86400) * 86400;
}

/* Exactly n ASCII digits at p, as a number; -1 otherwise. */
static int digits(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* How much of s to quote in a message: at most QUOTE_MAX bytes, cut at a
 * UTF-8 character boundary. */
static int quote_len(const char *s, const char **ellipsis)
{
	return crm_quote_len(s, strlen(s), QUOTE_MAX, ellipsis);
}

static int bad_form(const char *s, struct crm_err *err)
{
	const char *ell;
	int n = quote_len(s, &ell);

	return crm_err_set(err, CRM_EX_DATAERR, FORM ", got '%.*s%s'", n, s,
			   ell);
}

int crm_datetime_parse(const char *s, crm_time *out, struct crm_err *err)
{
	struct crm_err scratch;
	const char *p = s, *tstart = NULL;
	int y, mo, d, hh = 0, mi = 0, ss = 0, oh = 0, om = 0, sign = 0;
	int tlen = 0;
	crm_time t;

	if (!err)
		err = &scratch;
	if (!s)
		return crm_err_set(err, CRM_EX_DATAERR, FORM ", got nothing");
	/* Each test only looks past characters already known to be there. */
	y = digits(p, 4);
	mo = y >= 0 && p[4] == '-' ? digits(p + 5, 2) : -1;
	d = mo >= 0 && p[7] == '-' ? digits(p + 8, 2) : -1;
	if (y < 0 || mo < 0 || d < 0)
		return bad_form(s, err);
	p += 10;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		tstart = ++p;
		hh = digits(p, 2);
		mi = hh >= 0 && p[2] == ':' ? digits(p + 3, 2) : -1;
		if (hh < 0 || mi < 0)
			return bad_form(s, err);
		p += 5;
		if (*p == ':') {
			ss = digits(p + 1, 2);
			if (ss < 0)
				return bad_form(s, err);
			p += 3;
			/* Fractions only after seconds, as ISO 8601 has it. */
			if (*p == '.' || *p == ',') {
				if (p[1] < '0' || p[1] > '9')
					return bad_form(s, err);
				for (p++; *p >= '0' && *p <= '9'; p++)
					;
			}
		}
		tlen = (int)(p - tstart);
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p == '-' ? -1 : 1;
			oh = digits(p + 1, 2);
			if (oh < 0)
				return bad_form(s, err);
			p += 3;
			if (*p == ':' || (*p >= '0' && *p <= '9')) {
				om = digits(p + (*p == ':'), 2);
				if (om < 0)
					return bad_form(s, err);
				p += 2 + (*p == ':');
			}
		}
	}
	if (*p)
		return bad_form(s, err);

	if (y < 1 || mo < 1 || mo > 12 || d < 1 ||
	    (unsigned)d > crm_days_in_month(y, (unsigned)mo))
		return crm_err_set(err, CRM_EX_DATAERR, "invalid date '%.10s'",
				   s);
	if (hh > 23 || mi > 59 || ss > 59)
		return crm_err_set(err, CRM_EX_DATAERR, "invalid time '%.*s'",
				   tlen > 8 ? 8 : tlen, tstart);
	if (oh > 23 || om > 59)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "invalid UTC offset '%c%02d:%02d'",
				   sign < 0 ? '-' : '+', oh, om);
	t = crm_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    hh * 3600 + mi * 60 + ss - sign * (oh * 3600 + om * 60);
	if (t < CRM_TIME_MIN || t > CRM_TIME_MAX) {
		const char *ell;
		int n = quote_len(s, &ell);

		return crm_err_set(err, CRM_EX_DATAERR,
				   "time '%.*s%s' is out of range "
				   "(0001-01-01 to 9999-12-31 UTC)",
				   n, s, ell);
	}
	*out = t;
	return 0;
}

static void put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

/* Written by hand rather than with snprintf: exports format every
 * timestamp of every row, and the clamp keeps the year at four digits. */
static void format_date(crm_time t, char *buf)
{
	int64_t y;
	unsigned m, d;

	crm_civil_from_days(floor_div(t, 86400), &y, &m, &d);
	put2(buf, (unsigned)(y / 100));
	put2(buf + 2, (unsigned)(y % 100));
	buf[4] = '-';
	put2(buf + 5, m);
	buf[7] = '-';
	put2(buf + 8, d);
	buf[10] = '\0';
}

static crm_time clamp(crm_time t)
{
	return t < CRM_TIME_MIN	  ? CRM_TIME_MIN
	       : t > CRM_TIME_MAX ? CRM_TIME_MAX
				  : t;
}

char *crm_datetime_format(crm_time t, char buf[CRM_TIME_LEN])
{
	unsigned sec;

	t = clamp(t);
	sec = (unsigned)(t - floor_div(t, 86400) * 86400);
	format_date(t, buf);
	buf[10] = 'T';
	put2(buf + 11, sec / 3600);
	buf[13] = ':';
	put2(buf + 14, sec / 60 % 60);
	buf[16] = ':';
	put2(buf + 17, sec % 60);
	buf[19] = 'Z';
	buf[20] = '\0';
	return buf;
}

char *crm_datetime_format_date(crm_time t, char buf[CRM_TIME_LEN])
{
	format_date(clamp(t), buf);
	return buf;
}

int crm_datetime_now(crm_time *out, struct crm_err *err)
{
	struct crm_err scratch, e;
	const char *env = getenv("CRM_NOW");

	if (!err)
		err = &scratch;
	/* Empty counts as unset, so "CRM_NOW= cmd" unpins the clock. */
	if (env && *env) {
		crm_err_clear(&e);
		if (crm_datetime_parse(env, out, &e) < 0)
			return crm_err_set(err, CRM_EX_CONFIG, "CRM_NOW: %s",
					   e.msg);
		return 0;
	}
	*out = (crm_time)time(NULL);
	return 0;
}
