/* datefmt.c - input times by named conventions and strftime-style formats,
 * read by a strict walker (no strptime: results must not depend on the
 * locale), and zones through lib/base/bizcal.c's TZif reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bizcal.h"
#include "datefmt.h"

#define QUOTE_MAX 64

enum kind { K_FORMAT, K_EXCEL, K_EXCEL1904 };

/* A named convention: its date layouts, each followed by an optional time
 * of day (TIMES). */
struct convention {
	const char *name, *form;
	const char *const *dates;
};

static const char *const us_dates[] = {"%m/%d/%Y", NULL};
static const char *const eu_dates[] = {"%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y",
				       NULL};
static const char *const ymd_dates[] = {"%Y/%m/%d", "%Y.%m.%d", NULL};
static const char *const mon_dates[] = {"%d-%b-%Y", "%d %b %Y", NULL};
static const char *const times[] = {"",		 " %H:%M",	 " %H:%M:%S",
				    " %I:%M %p", " %I:%M:%S %p", NULL};

static const struct convention conventions[] = {
    {"us", "M/D/YYYY [h:mm[:ss] [AM|PM]]", us_dates},
    {"eu", "D/M/YYYY, D.M.YYYY or D-M-YYYY [H:mm[:ss]]", eu_dates},
    {"ymd", "YYYY/MM/DD or YYYY.MM.DD [H:mm[:ss]]", ymd_dates},
    {"mon", "D-Mon-YYYY or D Mon YYYY [H:mm[:ss]]", mon_dates},
};

struct crm_datefmt {
	enum kind kind;
	const struct convention *conv; /* or NULL: fmt */
	char *fmt;
	struct crm_tz *tz; /* NULL: UTC */
};

/* What a walk read. */
struct parts {
	int y, mo, d, h, mi, s;
	int ampm; /* 0 none, 1 AM, 2 PM */
	bool off, epoch;
	int32_t offset;	 /* seconds east, when off */
	int64_t seconds; /* when epoch */
};

static const char *const months[] = {
    "january", "february", "march",	"april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
static const char *const wdays[] = {"monday",	"tuesday", "wednesday",
				    "thursday", "friday",  "saturday",
				    "sunday"};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* min..max digits at *p as a number; -1 when fewer than min. */
static int num(const char **p, int min, int max)
{
	int v = 0, n = 0;

	while (n < max && is_digit((*p)[n])) {
		v = v * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n < min)
		return -1;
	*p += n;
	return v;
}

/* Whether the n bytes at p are the lower-case ASCII letters of name in
 * any case (no strncasecmp: it follows the locale). */
static bool ascii_caseeq(const char *p, const char *name, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i] | 0x20) != name[i])
			return false;
	return true;
}

/* An English name from names[n] at *p, in full or its first three letters
 * (and "sept"), any case. Returns its index or -1. */
static int name(const char **p, const char *const *names, int n)
{
	size_t len = 0;

	while (((*p)[len] | 0x20) >= 'a' && ((*p)[len] | 0x20) <= 'z')
		len++;
	for (int i = 0; i < n; i++)
		if ((len == 3 || len == strlen(names[i]) ||
		     (len == 4 && i == 8)) &&
		    ascii_caseeq(*p, names[i], len)) {
			*p += len;
			return i;
		}
	return -1;
}

/* Z, +HH, +HHMM or +HH:MM. */
static int offset(const char **p, int32_t *out)
{
	int sign, h, m = 0;

	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*out = 0;
		return 0;
	}
	if (**p != '+' && **p != '-')
		return -1;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if ((h = num(p, 2, 2)) < 0)
		return -1;
	if (**p == ':')
		(*p)++;
	if (is_digit(**p) && (m = num(p, 2, 2)) < 0)
		return -1;
	if (h > 23 || m > 59)
		return -1;
	*out = sign * (h * 3600 + m * 60);
	return 0;
}

/* A numeric conversion (%Y %m %d %e %H %I %M %S): its digits into its
 * part of pt (%e is %d; %I is %H, %p makes it a twelve-hour clock); a
 * fraction of a second after %S is dropped, as for ISO. 0, or -1. */
static int num_part(const char **p, char conv, struct parts *pt)
{
	static const char convs[] = "YmdeHIMS";
	static const signed char fewest[] = {4, 1, 1, 1, 1, 1, 2, 2};
	int *parts[] = {&pt->y, &pt->mo, &pt->d,  &pt->d,
			&pt->h, &pt->h,	 &pt->mi, &pt->s};
	size_t i = (size_t)(strchr(convs, conv) - convs);

	if ((*parts[i] = num(p, fewest[i], conv == 'Y' ? 4 : 2)) < 0)
		return -1;
	if (conv == 'S' && (**p == '.' || **p == ',') && is_digit((*p)[1]))
		for (++*p; is_digit(**p); ++*p)
			;
	return 0;
}

/* Match s against format f (all of both). Returns 0, or -1. */
static int walk(const char *f, const char *s, struct parts *pt)
{
	const char *p = s;

	for (; *f; f++) {
		int v;
		const char *sub = NULL;

		if (is_space(*f)) {
			while (is_space(*p))
				p++;
			continue;
		}
		if (*f != '%') {
			if (*p++ != *f)
				return -1;
			continue;
		}
		switch (*++f) {
		case 'e':
			while (is_space(*p))
				p++;
			/* fall through */
		case 'I':
		case 'Y':
		case 'm':
		case 'd':
		case 'H':
		case 'M':
		case 'S':
			if (num_part(&p, *f, pt) < 0)
				return -1;
			break;
		case 'y':
			if ((v = num(&p, 2, 2)) < 0)
				return -1;
			pt->y = v + (v < 69 ? 2000 : 1900); /* POSIX */
			break;
		case 'f':
			if (num(&p, 1, 9) < 0)
				return -1;
			while (is_digit(*p))
				p++;
			break;
		case 'p':
			if ((*p | 0x20) != 'a' && (*p | 0x20) != 'p')
				return -1;
			pt->ampm = (*p | 0x20) == 'a' ? 1 : 2;
			p++;
			if (*p == '.')
				p++;
			if ((*p | 0x20) != 'm')
				return -1;
			p++;
			if (*p == '.')
				p++;
			break;
		case 'b':
		case 'h':
		case 'B':
			if ((v = name(&p, months, 12)) < 0)
				return -1;
			pt->mo = v + 1;
			break;
		case 'a':
		case 'A':
			if (name(&p, wdays, 7) < 0)
				return -1;
			break;
		case 'z':
			if (offset(&p, &pt->offset) < 0)
				return -1;
			pt->off = true;
			break;
		case 'Z':
			if (strncmp(p, "UTC", 3) && strncmp(p, "GMT", 3))
				return -1;
			p += 3;
			pt->off = true;
			pt->offset = 0;
			break;
		case 's': {
			bool neg = *p == '-';
			int64_t e = 0;
			int n = 0;

			p += neg;
			for (; is_digit(*p) && n < 12; p++, n++)
				e = e * 10 + (*p - '0');
			if (!n)
				return -1;
			pt->epoch = true;
			pt->seconds = neg ? -e : e;
			break;
		}
		case 'T':
			sub = "%H:%M:%S";
			break;
		case 'R':
			sub = "%H:%M";
			break;
		case 'D':
			sub = "%m/%d/%y";
			break;
		case 'F':
			sub = "%Y-%m-%d";
			break;
		case 'n':
		case 't':
			while (is_space(*p))
				p++;
			break;
		case '%':
			if (*p++ != '%')
				return -1;
			break;
		default:
			return -1;
		}
		if (sub) {
			/* expand into the rest: the walker has no stack */
			size_t sl = strlen(sub), rl = strlen(f + 1);
			char *g = crm_xmalloc(sl + rl + 1);
			int rc;

			memcpy(g, sub, sl);
			memcpy(g + sl, f + 1, rl + 1);
			rc = walk(g, p, pt);
			free(g);
			return rc;
		}
	}
	return *p ? -1 : 0;
}

/* Whether format f has only known directives and says what day it is. */
static bool format_ok(const char *f)
{
	bool y = false, m = false, d = false, e = false, i = false, pm = false;

	for (; *f; f++) {
		if (*f != '%')
			continue;
		switch (*++f) {
		case 'Y':
		case 'y':
			y = true;
			break;
		case 'm':
		case 'b':
		case 'h':
		case 'B':
			m = true;
			break;
		case 'd':
		case 'e':
			d = true;
			break;
		case 'D':
		case 'F':
			y = m = d = true;
			break;
		case 's':
			e = true;
			break;
		case 'I':
			i = true;
			break;
		case 'p':
			pm = true;
			break;
		case 'H':
		case 'M':
		case 'S':
		case 'f':
		case 'a':
		case 'A':
		case 'z':
		case 'Z':
		case 'T':
		case 'R':
		case 'n':
		case 't':
		case '%':
			break;
		default:
			return false;
		}
	}
	return (e || (y && m && d)) && i == pm;
}

struct crm_datefmt *crm_datefmt_new(const char *spec, const char *zone,
				    struct crm_err *err)
{
	struct crm_datefmt *df = crm_xcalloc(1, sizeof(*df));

	if (spec && !strcmp(spec, "excel")) {
		df->kind = K_EXCEL;
	} else if (spec && !strcmp(spec, "excel1904")) {
		df->kind = K_EXCEL1904;
	} else if (spec && !strchr(spec, '%')) {
		for (size_t i = 0;
		     i < sizeof(conventions) / sizeof(*conventions); i++)
			if (!strcmp(spec, conventions[i].name))
				df->conv = &conventions[i];
		if (!df->conv) {
			crm_err_set(err, CRM_EX_USAGE,
				    "--date-format: unknown convention '%s' "
				    "(us, eu, ymd, mon, excel, excel1904, or "
				    "a format with %% directives)",
				    spec);
			goto fail;
		}
	} else if (spec) {
		if (!format_ok(spec)) {
			crm_err_set(err, CRM_EX_USAGE,
				    "--date-format '%s': expected strftime "
				    "directives giving the year, month and "
				    "day (or %%s), %%I with %%p",
				    spec);
			goto fail;
		}
		df->fmt = crm_xstrdup(spec);
	}
	if (zone && strcmp(zone, "UTC") && strcmp(zone, "Etc/UTC")) {
		df->tz = crm_tz_load(zone, err);
		if (!df->tz) {
			err->code = CRM_EX_USAGE;
			goto fail;
		}
	}
	return df;
fail:
	crm_datefmt_free(df);
	return NULL;
}

void crm_datefmt_free(struct crm_datefmt *df)
{
	if (!df)
		return;
	crm_tz_free(df->tz);
	free(df->fmt);
	free(df);
}

static int quote_len(const char *s, const char **ell)
{
	return crm_quote_len(s, strlen(s), QUOTE_MAX, ell);
}

/* parts -> local seconds (or UTC with pt->off). */
static int assemble(const struct parts *pt, const char *s, int64_t *out,
		    struct crm_err *err)
{
	const char *ell;
	int n = quote_len(s, &ell), h = pt->h;

	if (pt->epoch) {
		*out = pt->seconds;
		return 0;
	}
	if (pt->y < 1 || pt->mo < 1 || pt->mo > 12 || pt->d < 1 ||
	    (unsigned)pt->d > crm_days_in_month(pt->y, (unsigned)pt->mo))
		return crm_err_set(err, CRM_EX_DATAERR, "invalid date '%.*s%s'",
				   n, s, ell);
	if (pt->ampm) {
		/* 12:00 AM is midnight, 12:30 PM half past noon */
		if (h < 1 || h > 12)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "invalid hour for AM/PM in "
					   "'%.*s%s'",
					   n, s, ell);
		h = h % 12 + (pt->ampm == 2 ? 12 : 0);
	}
	if (h > 23 || pt->mi > 59 || pt->s > 59)
		return crm_err_set(err, CRM_EX_DATAERR, "invalid time '%.*s%s'",
				   n, s, ell);
	*out = crm_days_from_civil(pt->y, (unsigned)pt->mo, (unsigned)pt->d) *
		   86400 +
	       h * 3600 + pt->mi * 60 + pt->s - (pt->off ? pt->offset : 0);
	return 0;
}

/* An Excel serial day number: days (and a fraction for the time of day)
 * since 1899-12-30, or 1904-01-01 for the 1904 system. */
static int excel(const struct crm_datefmt *df, const char *s, int64_t *out,
		 struct crm_err *err)
{
	const char *p = s;
	int64_t days = 0, frac = 0, scale = 1, secs;
	int nd = 0;

	for (; is_digit(*p) && nd < 8; p++, nd++)
		days = days * 10 + (*p - '0');
	if (!nd)
		return -1;
	if (*p == '.') {
		for (p++; is_digit(*p); p++)
			if (scale < INT64_C(1000000000000)) {
				frac = frac * 10 + (*p - '0');
				scale *= 10;
			}
	}
	if (*p)
		return -1;
	if (df->kind == K_EXCEL) {
		/* Excel takes 1900 for a leap year (as Lotus 1-2-3 did):
		 * serial 60 is 1900-02-29, which never was, and serials
		 * before it are one day off the count from 1899-12-30. */
		if (days == 60)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "Excel serial 60 is 1900-02-29, a "
					   "day that never was (Excel's 1900 "
					   "leap-year bug)");
		if (days < 1)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "Excel serial '%s' is before "
					   "1900-01-01",
					   s);
		days += days < 60 ? 1 : 0;
		days += crm_days_from_civil(1899, 12, 30);
	} else {
		days += crm_days_from_civil(1904, 1, 1);
	}
	secs = (frac * 86400 + scale / 2) / scale;
	*out = days * 86400 + secs;
	return 0;
}

/* Read s by df's format into local seconds (*abs: it had an offset, the
 * value is UTC). Returns 0, -1 no match, -2 an error in err. */
static int by_format(const struct crm_datefmt *df, const char *s, int64_t *out,
		     bool *abs, struct crm_err *err)
{
	struct parts pt;
	char f[64];

	*abs = false;
	if (df->kind != K_FORMAT) {
		int rc = excel(df, s, out, err);
		return rc == 0 ? 0 : err->code ? -2 : -1;
	}
	if (df->fmt) {
		memset(&pt, 0, sizeof(pt));
		if (walk(df->fmt, s, &pt) < 0)
			return -1;
		*abs = pt.off || pt.epoch;
		return assemble(&pt, s, out, err) < 0 ? -2 : 0;
	}
	for (const char *const *d = df->conv->dates; *d; d++)
		for (const char *const *t = times; *t; t++) {
			snprintf(f, sizeof(f), "%s%s", *d, *t);
			memset(&pt, 0, sizeof(pt));
			if (walk(f, s, &pt) == 0)
				return assemble(&pt, s, out, err) < 0 ? -2 : 0;
		}
	return -1;
}

/* ISO 8601 (crm_datetime_parse) as local seconds unless it has an offset. */
static int iso(const char *s, int64_t *out, bool *abs, struct crm_err *err)
{
	if (crm_datetime_parse(s, out, err) < 0)
		return -1;
	*abs = strlen(s) > 10 && strpbrk(s + 10, "Zz+-");
	return 0;
}

/* Without a format: which option would read s, as a hint. */
static int hint(const char *s, struct crm_err *err)
{
	const char *p = s, *ell;
	int n = quote_len(s, &ell), a, b;
	char sep;

	a = num(&p, 1, 4);
	if (a >= 0 && p - s == 4 && (*p == '/' || *p == '.') && is_digit(p[1]))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "date '%.*s%s' is not ISO 8601: give "
				   "--date-format ymd",
				   n, s, ell);
	if (a >= 0 && p - s <= 2 && (*p == '/' || *p == '.' || *p == '-') &&
	    is_digit(p[1])) {
		sep = *p++;
		b = num(&p, 1, 2);
		if (b >= 0 && *p == sep && is_digit(p[1])) {
			if (sep == '.' || (a > 12 && b <= 12))
				return crm_err_set(err, CRM_EX_DATAERR,
						   "date '%.*s%s' is not ISO "
						   "8601: give --date-format "
						   "eu",
						   n, s, ell);
			if (b > 12 && a <= 12)
				return crm_err_set(err, CRM_EX_DATAERR,
						   "date '%.*s%s' is not ISO "
						   "8601: give --date-format "
						   "us",
						   n, s, ell);
			return crm_err_set(err, CRM_EX_DATAERR,
					   "ambiguous date '%.*s%s': give "
					   "--date-format us or eu",
					   n, s, ell);
		}
	}
	p = s;
	if (num(&p, 1, 2) >= 0 && (*p == '-' || *p == ' ') && (++p, true) &&
	    name(&p, months, 12) >= 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "date '%.*s%s' is not ISO 8601: give "
				   "--date-format mon",
				   n, s, ell);
	p = s;
	if (num(&p, 1, 7) >= 0 && (!*p || (*p == '.' && is_digit(p[1]))))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "expected an ISO 8601 time, got '%.*s%s' "
				   "(an Excel serial date? give --date-format "
				   "excel)",
				   n, s, ell);
	return -1;
}

/* Read s: local seconds, or UTC when *abs. */
static int parse(const struct crm_datefmt *df, const char *s, int64_t *out,
		 bool *abs, struct crm_err *err)
{
	struct crm_err e1;
	int rc;

	crm_err_clear(&e1);
	if (df && (df->fmt || df->conv || df->kind != K_FORMAT)) {
		rc = by_format(df, s, out, abs, &e1);
		if (rc == -2) {
			*err = e1;
			return -1;
		}
		if (rc == 0)
			return 0;
		if (iso(s, out, abs, err) == 0)
			return 0;
		if (df->fmt)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "expected a time in the form '%s' "
					   "(or ISO 8601), got '%.*s'",
					   df->fmt, QUOTE_MAX, s);
		if (df->conv)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "expected a %s date (%s) or ISO "
					   "8601, got '%.*s'",
					   df->conv->name, df->conv->form,
					   QUOTE_MAX, s);
		return crm_err_set(err, CRM_EX_DATAERR,
				   "expected an Excel serial date (a number "
				   "of days) or ISO 8601, got '%.*s'",
				   QUOTE_MAX, s);
	}
	if (iso(s, out, abs, err) == 0)
		return 0;
	hint(s, err);
	return -1;
}

/* s parsed into *out, a time (a local one converted to UTC) or a date
 * (the start of its day), in the range crm handles. */
static int parse_in_range(const struct crm_datefmt *df, const char *s,
			  bool date, crm_time *out, struct crm_err *err)
{
	int64_t t;
	bool abs;

	if (parse(df, s, &t, &abs, err) < 0)
		return -1;
	if (!date && !abs && df && df->tz)
		t = crm_tz_to_utc(df->tz, t);
	if (t < CRM_TIME_MIN || t > CRM_TIME_MAX)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "%s '%.*s' is out of range (0001-01-01 to "
				   "9999-12-31%s)",
				   date ? "date" : "time", QUOTE_MAX, s,
				   date ? "" : " UTC");
	*out = date ? crm_datetime_day_start(t) : t;
	return 0;
}

int crm_datefmt_time(const struct crm_datefmt *df, const char *s, crm_time *out,
		     struct crm_err *err)
{
	return parse_in_range(df, s, false, out, err);
}

int crm_datefmt_date(const struct crm_datefmt *df, const char *s, crm_time *out,
		     struct crm_err *err)
{
	return parse_in_range(df, s, true, out, err);
}
