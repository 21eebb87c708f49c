/* bizcal.c - time zones from TZif files and business-time arithmetic.
 *
 * Zones are read from the compiled TZif files (RFC 8536) of the system's
 * tzdata, never through $TZ and localtime(3): a process may use several
 * zones at once, and the answer does not depend on the environment. Times
 * after the file's last transition follow its POSIX TZ footer rule. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bizcal.h"

enum { DAY = 86400 };

struct rule {
	char kind; /* 'M' month.week.day, 'J' Julian 1..365, 'D' 0..365 */
	int m, w, d, n;
	int32_t time; /* seconds after local midnight; may be < 0 or > 24h */
};

struct crm_tz {
	int64_t *at; /* transition instants, ascending */
	unsigned char *idx;
	size_t n;
	int32_t *off; /* per type */
	unsigned char *isdst;
	size_t ntypes;
	/* the footer rule */
	bool has_rule, has_dst;
	int32_t std_off, dst_off;
	struct rule start, end;
};

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* -- POSIX TZ strings ("EST5EDT,M3.2.0,M11.1.0") ------------------------ */

static const char *tz_name(const char *s)
{
	if (*s == '<') {
		const char *e = strchr(s, '>');
		return e ? e + 1 : NULL;
	}
	const char *b = s;
	while (isalpha((unsigned char)*s))
		s++;
	return s - b >= 3 ? s : NULL;
}

/* [+-]hh[:mm[:ss]] into seconds (max hours 167). */
static const char *tz_hms(const char *s, int32_t *out)
{
	int sign = 1, v[3] = {0, 0, 0};

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (int i = 0; i < 3; i++) {
		int n = 0, d = 0;

		while (isdigit((unsigned char)*s) && d < 3)
			n = n * 10 + (*s++ - '0'), d++;
		if (!d)
			return NULL;
		v[i] = n;
		if (*s != ':' || i == 2)
			break;
		s++;
	}
	if (v[0] > 167 || v[1] > 59 || v[2] > 59)
		return NULL;
	*out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
	return s;
}

static const char *tz_rule(const char *s, struct rule *r)
{
	char *e;

	r->time = 7200;
	if (*s == 'M') {
		r->kind = 'M';
		r->m = (int)strtol(s + 1, &e, 10);
		if (*e != '.')
			return NULL;
		r->w = (int)strtol(e + 1, &e, 10);
		if (*e != '.')
			return NULL;
		r->d = (int)strtol(e + 1, &e, 10);
		if (r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 || r->d < 0 ||
		    r->d > 6)
			return NULL;
	} else {
		r->kind = *s == 'J' ? 'J' : 'D';
		if (*s == 'J')
			s++;
		if (!isdigit((unsigned char)*s))
			return NULL;
		r->n = (int)strtol(s, &e, 10);
		if (r->n > 365 || (r->kind == 'J' && r->n < 1))
			return NULL;
	}
	if (*e == '/')
		return tz_hms(e + 1, &r->time);
	return e;
}

static int tz_footer(struct crm_tz *tz, const char *s)
{
	int32_t o;

	if (!(s = tz_name(s)) || !(s = tz_hms(s, &o)))
		return -1;
	tz->std_off = -o;
	tz->has_rule = true;
	if (!*s)
		return 0;
	if (!(s = tz_name(s)))
		return -1;
	tz->has_dst = true;
	tz->dst_off = tz->std_off + 3600;
	if (*s && *s != ',') {
		if (!(s = tz_hms(s, &o)))
			return -1;
		tz->dst_off = -o;
	}
	if (!*s) { /* POSIX's default rule: the US one */
		tz->start = (struct rule){'M', 3, 2, 0, 0, 7200};
		tz->end = (struct rule){'M', 11, 1, 0, 0, 7200};
		return 0;
	}
	if (*s != ',' || !(s = tz_rule(s + 1, &tz->start)) || *s != ',' ||
	    !(s = tz_rule(s + 1, &tz->end)) || *s)
		return -1;
	return 0;
}

/* Local midnight-relative instant of rule r in year y (local seconds). */
static int64_t rule_local(const struct rule *r, int64_t y)
{
	int64_t jan1 = crm_days_from_civil(y, 1, 1), day;

	if (r->kind == 'J') {
		day = jan1 + r->n - 1 + (crm_is_leap_year(y) && r->n >= 60);
	} else if (r->kind == 'D') {
		day = jan1 + r->n;
	} else {
		int64_t first = crm_days_from_civil(y, (unsigned)r->m, 1);
		int64_t wd = ((first % 7) + 7 + 4) % 7; /* Sunday = 0 */
		int64_t last = first + crm_days_in_month(y, (unsigned)r->m) - 1;

		day = first + (r->d - wd + 7) % 7 + 7 * (r->w - 1);
		while (day > last)
			day -= 7;
	}
	return day * DAY + r->time;
}

static int32_t rule_offset(const struct crm_tz *tz, crm_time t)
{
	int64_t y;
	unsigned m, d;
	crm_time s, e;

	if (!tz->has_dst)
		return tz->std_off;
	crm_civil_from_days(floor_div(t + tz->std_off, DAY), &y, &m, &d);
	s = rule_local(&tz->start, y) - tz->std_off;
	e = rule_local(&tz->end, y) - tz->dst_off;
	if (s < e)
		return t >= s && t < e ? tz->dst_off : tz->std_off;
	return t >= e && t < s ? tz->std_off : tz->dst_off;
}

/* -- TZif -------------------------------------------------------------- */

struct crm_tz *crm_tz_parse(const unsigned char *p, size_t len)
{
	const unsigned char *end = p + len, *q;
	struct crm_tz *tz;
	uint32_t cnt[6];
	size_t tsize = 4;

	if (len < 44 || memcmp(p, "TZif", 4))
		return NULL;
	for (int i = 0; i < 6; i++)
		cnt[i] = be32(p + 20 + 4 * i);
	q = p + 44;
	if (p[4] >= '2') { /* skip the 32-bit block for the 64-bit one */
		size_t skip = (size_t)cnt[3] * 5 + (size_t)cnt[4] * 6 + cnt[5] +
			      (size_t)cnt[2] * 8 + cnt[1] + cnt[0];
		if ((size_t)(end - q) < skip + 44 ||
		    memcmp(q + skip, "TZif", 4))
			return NULL;
		q += skip;
		for (int i = 0; i < 6; i++)
			cnt[i] = be32(q + 20 + 4 * i);
		q += 44;
		tsize = 8;
	}
	/* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
	size_t need = (size_t)cnt[3] * (tsize + 1) + (size_t)cnt[4] * 6 +
		      cnt[5] + (size_t)cnt[2] * (tsize + 4) + cnt[1] + cnt[0];
	if (cnt[4] == 0 || cnt[4] > 256 || (size_t)(end - q) < need)
		return NULL;
	tz = crm_xcalloc(1, sizeof(*tz));
	tz->n = cnt[3];
	tz->ntypes = cnt[4];
	tz->at = crm_xcalloc(tz->n + 1, sizeof(*tz->at));
	tz->idx = crm_xcalloc(tz->n + 1, 1);
	tz->off = crm_xcalloc(tz->ntypes, sizeof(*tz->off));
	tz->isdst = crm_xcalloc(tz->ntypes, 1);
	for (size_t i = 0; i < tz->n; i++, q += tsize)
		tz->at[i] = tsize == 8 ? be64(q) : (int32_t)be32(q);
	for (size_t i = 0; i < tz->n; i++, q++) {
		tz->idx[i] = *q;
		if (*q >= tz->ntypes)
			goto bad;
	}
	for (size_t i = 0; i < tz->ntypes; i++, q += 6) {
		tz->off[i] = (int32_t)be32(q);
		tz->isdst[i] = q[4];
	}
	q += cnt[5] + (size_t)cnt[2] * (tsize + 4) + cnt[1] + cnt[0];
	if (tsize == 8 && q < end && *q == '\n') {
		const unsigned char *nl =
		    memchr(q + 1, '\n', (size_t)(end - q - 1));
		if (nl && nl > q + 1) {
			char *s = crm_xstrndup((const char *)q + 1,
					       (size_t)(nl - q - 1));
			int rc = tz_footer(tz, s);

			free(s);
			if (rc < 0)
				tz->has_rule = tz->has_dst = false;
		}
	}
	return tz;
bad:
	crm_tz_free(tz);
	return NULL;
}

void crm_tz_free(struct crm_tz *tz)
{
	if (!tz)
		return;
	free(tz->at);
	free(tz->idx);
	free(tz->off);
	free(tz->isdst);
	free(tz);
}

struct crm_tz *crm_tz_load(const char *name, struct crm_err *err)
{
	const char *dir = getenv("TZDIR");
	struct crm_buf data = {0};
	struct crm_tz *tz = NULL;
	char buf[4096], *path;
	FILE *fp;
	size_t n;

	if (!*name || *name == '/' || strstr(name, "..") ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789/_+-") != strlen(name))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "bad time zone name '%s'", name),
		       NULL;
	path = crm_xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo",
			     name);
	fp = fopen(path, "rb");
	if (!fp) {
		crm_err_set(err, CRM_EX_CONFIG,
			    "unknown time zone '%s' (%s: %s)", name, path,
			    strerror(errno));
		free(path);
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0 &&
	       data.len < (1u << 20))
		crm_buf_add(&data, buf, n);
	fclose(fp);
	tz = crm_tz_parse((const unsigned char *)crm_buf_str(&data), data.len);
	if (!tz)
		crm_err_set(err, CRM_EX_CONFIG,
			    "time zone '%s': %s is not a TZif file", name,
			    path);
	free(path);
	crm_buf_release(&data);
	return tz;
}

int32_t crm_tz_offset(const struct crm_tz *tz, crm_time t)
{
	size_t lo = 0, hi;

	if (!tz)
		return 0;
	if (tz->has_rule && (tz->n == 0 || t >= tz->at[tz->n - 1]))
		return rule_offset(tz, t);
	if (tz->n == 0 || t < tz->at[0]) {
		for (size_t i = 0; i < tz->ntypes; i++)
			if (!tz->isdst[i])
				return tz->off[i];
		return tz->off[0];
	}
	hi = tz->n; /* the last transition at or before t */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (tz->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->off[tz->idx[lo]];
}

crm_time crm_tz_to_utc(const struct crm_tz *tz, int64_t local)
{
	/* the offsets a day either side; transitions are months apart */
	int32_t ob = crm_tz_offset(tz, local - DAY);
	int32_t oa = crm_tz_offset(tz, local + DAY);
	crm_time u1 = local - ob, u2 = local - oa;
	bool v1 = crm_tz_offset(tz, u1) == ob, v2 = crm_tz_offset(tz, u2) == oa;

	if (v1 && v2)
		return u1 < u2 ? u1 : u2;
	if (v2)
		return u2;
	return u1; /* valid, or in a gap: read with the offset before it */
}

/* -- calendars --------------------------------------------------------- */

int crm_bizcal_zone(struct crm_bizcal *c, const char *name, struct crm_err *err)
{
	struct crm_tz *tz = crm_tz_load(name, err);

	if (!tz)
		return -1;
	crm_tz_free(c->tz);
	c->tz = tz;
	return 0;
}

static int day_index(const char *s, size_t n)
{
	static const char *const names[] = {"mon", "tue", "wed", "thu",
					    "fri", "sat", "sun"};
	for (int i = 0; i < 7; i++)
		if (n == 3 && !strncasecmp(s, names[i], 3))
			return i;
	return -1;
}

/* "HH:MM" (00:00 .. 24:00) into seconds. */
static int hhmm(const char *s, size_t n, int *out)
{
	if (n != 5 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	int h = (s[0] - '0') * 10 + s[1] - '0',
	    m = (s[3] - '0') * 10 + s[4] - '0';
	if (m > 59 || h > 24 || (h == 24 && m))
		return -1;
	*out = h * 3600 + m * 60;
	return 0;
}

int crm_bizcal_hours(struct crm_bizcal *c, const char *days, const char *hours,
		     struct crm_err *err)
{
	const char *dash = strchr(days, '-');
	int from, to, nr = 0;
	struct crm_strv parts = {0};
	int r[CRM_BIZ_MAX_RANGES][2];

	from = day_index(days, dash ? (size_t)(dash - days) : strlen(days));
	to = dash ? day_index(dash + 1, strlen(dash + 1)) : from;
	if (from < 0 || to < 0)
		return crm_err_set(err, CRM_EX_CONFIG,
				   "bad days '%s' (expected mon ... sun or a "
				   "range such as mon-fri)",
				   days);
	if (strcmp(hours, "closed"))
		crm_strv_split(&parts, hours, ',');
	for (size_t i = 0; i < parts.n; i++) {
		const char *p = parts.v[i], *d = strchr(p, '-');

		if (nr == CRM_BIZ_MAX_RANGES || !d ||
		    hhmm(p, (size_t)(d - p), &r[nr][0]) < 0 ||
		    hhmm(d + 1, strlen(d + 1), &r[nr][1]) < 0 ||
		    r[nr][0] >= r[nr][1] || (nr && r[nr][0] < r[nr - 1][1])) {
			crm_strv_release(&parts);
			return crm_err_set(err, CRM_EX_CONFIG,
					   "bad hours '%s' (expected up to %d "
					   "ascending ranges "
					   "like 09:00-12:00,13:00-17:00)",
					   hours, CRM_BIZ_MAX_RANGES);
		}
		nr++;
	}
	crm_strv_release(&parts);
	for (int d = from;; d = (d + 1) % 7) {
		c->nranges[d] = nr;
		for (int i = 0; i < nr; i++) {
			c->ranges[d][i].from = r[i][0];
			c->ranges[d][i].to = r[i][1];
		}
		if (d == to)
			break;
	}
	return 0;
}

static bool is_holiday(const struct crm_bizcal *c, int64_t day)
{
	size_t lo = 0, hi = c->nholidays;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->holidays[mid] < day)
			lo = mid + 1;
		else if (c->holidays[mid] > day)
			hi = mid;
		else
			return true;
	}
	return false;
}

int crm_bizcal_holiday(struct crm_bizcal *c, const char *date,
		       struct crm_err *err)
{
	crm_time t;
	int64_t day;
	size_t i;

	if (strlen(date) != 10 || crm_datetime_parse(date, &t, err) < 0)
		return crm_err_set(err, CRM_EX_CONFIG,
				   "bad holiday '%s' (expected YYYY-MM-DD)",
				   date);
	day = floor_div(t, DAY);
	if (is_holiday(c, day))
		return 0;
	c->holidays = crm_xgrow(c->holidays, &c->capholidays, c->nholidays + 1,
				sizeof(*c->holidays));
	for (i = c->nholidays; i > 0 && c->holidays[i - 1] > day; i--)
		c->holidays[i] = c->holidays[i - 1];
	c->holidays[i] = day;
	c->nholidays++;
	return 0;
}

bool crm_bizcal_open_ever(const struct crm_bizcal *c)
{
	if (c->always)
		return true;
	for (int d = 0; d < 7; d++)
		if (c->nranges[d])
			return true;
	return false;
}

void crm_bizcal_release(struct crm_bizcal *c)
{
	crm_tz_free(c->tz);
	free(c->holidays);
	memset(c, 0, sizeof(*c));
}

#define MAX_SPANS 8
#define STEP (3 * 3600) /* zones change offset at most once per 3 hours */

/* The first instant in (a, b] whose offset is not o (off(a) == o, off(b)
 * != o). */
static crm_time change_after(const struct crm_tz *tz, crm_time a, crm_time b,
			     int32_t o)
{
	while (b - a > 1) {
		crm_time m = a + (b - a) / 2;

		if (crm_tz_offset(tz, m) == o)
			a = m;
		else
			b = m;
	}
	return b;
}

/* The instants whose wall clock reads a time in [l0, l1) (local seconds,
 * l1 - l0 at most a day), as spans in order: a boundary in a gap (clocks
 * set forward) counts from the change, wall times that happen twice
 * (clocks set back) count twice, as a clock on the wall would. Returns
 * how many spans. */
static size_t wall_spans(const struct crm_tz *tz, int64_t l0, int64_t l1,
			 struct crm_span out[MAX_SPANS])
{
	int32_t lo = 0, hi = 0, o;
	crm_time t, end;
	size_t n = 0;

	if (!tz) {
		out[0] = (struct crm_span){l0, l1};
		return 1;
	}
	/* only instants within the zone's offsets of the range qualify */
	for (size_t i = 0; i < tz->ntypes; i++) {
		lo = i && lo < tz->off[i] ? lo : tz->off[i];
		hi = i && hi > tz->off[i] ? hi : tz->off[i];
	}
	if (tz->has_rule) {
		lo = tz->ntypes && lo < tz->std_off ? lo : tz->std_off;
		hi = tz->ntypes && hi > tz->std_off ? hi : tz->std_off;
		if (tz->has_dst) {
			lo = lo < tz->dst_off ? lo : tz->dst_off;
			hi = hi > tz->dst_off ? hi : tz->dst_off;
		}
	}
	t = l0 - hi - 1;
	end = l1 - lo + 1;
	o = crm_tz_offset(tz, t);
	while (t < end) {
		crm_time next = t + STEP < end ? t + STEP : end, pe = next, s,
			 e;
		int32_t on = crm_tz_offset(tz, next);

		if (on != o)
			pe = change_after(tz, t, next, o);
		/* [t, pe) has offset o: its wall clock is t + o */
		s = l0 - o > t ? l0 - o : t;
		e = l1 - o < pe ? l1 - o : pe;
		if (s < e) {
			if (n && out[n - 1].to == s)
				out[n - 1].to = e;
			else if (n < MAX_SPANS)
				out[n++] = (struct crm_span){s, e};
		}
		t = pe;
		o = crm_tz_offset(tz, t);
	}
	return n;
}

/* The weekday of local day d (days since 1970-01-01): Monday = 0. */
static int weekday(int64_t d)
{
	return (int)(((d % 7) + 7 + 3) % 7);
}

/* How many ranges of business hours local day d has: none on a holiday. */
static int day_nranges(const struct crm_bizcal *c, int64_t d)
{
	return is_holiday(c, d) ? 0 : c->nranges[weekday(d)];
}

/* Range i of the business hours of local day d, as spans (wall_spans). */
static size_t range_spans(const struct crm_bizcal *c, int64_t d, int i,
			  struct crm_span out[MAX_SPANS])
{
	int wd = weekday(d);

	return wall_spans(c->tz, d * DAY + c->ranges[wd][i].from,
			  d * DAY + c->ranges[wd][i].to, out);
}

/* Consume open time [s, we) minus the pauses from *rem. Returns the
 * instant the remainder runs out, or 0 with *rem reduced (*never set when
 * an open-ended pause stops the clock). *pi: first pause not yet passed. */
static bool consume(crm_time s, crm_time we, int64_t *rem,
		    const struct crm_span *p, size_t np, size_t *pi,
		    crm_time *due, bool *never)
{
	while (s < we) {
		crm_time e = we;

		while (*pi < np && p[*pi].to <= s)
			(*pi)++;
		if (*pi < np && p[*pi].from <= s) {
			if (p[*pi].to == CRM_BIZ_NEVER) {
				*never = true;
				return false;
			}
			s = p[*pi].to;
			continue;
		}
		if (*pi < np && p[*pi].from < e)
			e = p[*pi].from;
		if (*rem <= e - s) {
			*due = s + *rem;
			return true;
		}
		*rem -= e - s;
		s = e;
	}
	return false;
}

crm_time crm_bizcal_add(const struct crm_bizcal *c, crm_time start,
			int64_t secs, const struct crm_span *pauses,
			size_t npauses)
{
	int64_t rem = secs < 0 ? 0 : secs;
	crm_time due, cursor = start;
	size_t pi = 0;
	bool never = false;

	if (c->always) {
		/* an end far past year 9999 whose distance from any start
		 * still fits: CRM_BIZ_NEVER - 1 - start overflowed for a
		 * start before 1970 */
		if (consume(start, INT64_MAX / 2, &rem, pauses, npauses, &pi,
			    &due, &never))
			return due;
		return CRM_BIZ_NEVER;
	}
	int64_t d0 = floor_div(start + crm_tz_offset(c->tz, start), DAY);
	for (int64_t d = d0 - 1; d < d0 + 3660; d++) {
		for (int i = 0, n = day_nranges(c, d); i < n; i++) {
			struct crm_span sp[MAX_SPANS];
			size_t ns = range_spans(c, d, i, sp);

			for (size_t k = 0; k < ns; k++) {
				crm_time ws = sp[k].from, we = sp[k].to;

				if (we <= cursor)
					continue;
				if (consume(ws > cursor ? ws : cursor, we, &rem,
					    pauses, npauses, &pi, &due, &never))
					return due;
				if (never)
					return CRM_BIZ_NEVER;
				cursor = we;
			}
		}
	}
	return CRM_BIZ_NEVER;
}

int64_t crm_bizcal_between(const struct crm_bizcal *c, crm_time a, crm_time b)
{
	int64_t sum = 0;

	if (b <= a)
		return 0;
	if (c->always)
		return b - a;
	int64_t d0 = floor_div(a + crm_tz_offset(c->tz, a), DAY);
	int64_t d1 = floor_div(b + crm_tz_offset(c->tz, b), DAY);
	for (int64_t d = d0 - 1; d <= d1; d++) {
		for (int i = 0, n = day_nranges(c, d); i < n; i++) {
			struct crm_span sp[MAX_SPANS];
			size_t ns = range_spans(c, d, i, sp);

			for (size_t k = 0; k < ns; k++) {
				crm_time ws = sp[k].from < a ? a : sp[k].from;
				crm_time we = sp[k].to > b ? b : sp[k].to;

				if (we > ws)
					sum += we - ws;
			}
		}
	}
	return sum;
}
