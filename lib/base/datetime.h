/* datetime.h - ISO 8601 times, all stored and printed in UTC. */
#ifndef CRM_DATETIME_H
#define CRM_DATETIME_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/* Seconds since 1970-01-01T00:00:00Z. */
typedef int64_t crm_time;

#define CRM_TIME_LEN 21 /* "2026-11-22T09:30:00Z" plus NUL */

/* The range crm_datetime_parse accepts and the formatters print:
 * 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define CRM_TIME_MIN INT64_C(-62135596800)
#define CRM_TIME_MAX INT64_C(253402300799)

/* Parse s: "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DD HH:MM[:SS]" or with 'T',
 * optional fraction after the seconds (dropped), optional "Z" or
 * "+HH:MM"/"+HHMM"/"+HH" offset (converted to UTC); no offset means UTC.
 * 't' and 'z' may be lower case (RFC 3339). Dates are checked (2026-02-30 is an
 * error). Nothing else is accepted, not even surrounding spaces; the result,
 * after the offset, must lie in CRM_TIME_MIN..CRM_TIME_MAX. Returns 0, or -1
 * with a reason in err (code CRM_EX_DATAERR). */
int crm_datetime_parse(const char *s, crm_time *out, struct crm_err *err);
/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into buf (CRM_TIME_LEN bytes).
 * t outside CRM_TIME_MIN..CRM_TIME_MAX is clamped. Returns buf. */
char *crm_datetime_format(crm_time t, char buf[CRM_TIME_LEN]);
/* Format only the date "YYYY-MM-DD" (clamped likewise). Returns buf. */
char *crm_datetime_format_date(crm_time t, char buf[CRM_TIME_LEN]);
/* Now: $CRM_NOW when set and not empty (any format crm_datetime_parse
 * takes), else the clock. Returns 0, or -1 when CRM_NOW cannot be parsed
 * (CRM_EX_CONFIG, message "CRM_NOW: ..."). */
int crm_datetime_now(crm_time *out, struct crm_err *err);
/* Midnight UTC of the day t falls in (floor, also before 1970). */
crm_time crm_datetime_day_start(crm_time t);

/* Days from civil date and back (proleptic Gregorian, UTC; day 0 is
 * 1970-01-01). Any year; m 1..12, d 1..31, not checked. */
int64_t crm_days_from_civil(int64_t y, unsigned m, unsigned d);
void crm_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* Gregorian leap year (2024 yes, 2100 no, 2000 yes). */
bool crm_is_leap_year(int64_t y);
/* Days in month m (1..12) of year y; 0 when m is out of range. */
unsigned crm_days_in_month(int64_t y, unsigned m);

#endif
