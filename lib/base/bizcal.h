/* bizcal.h - time zones read from the system's TZif files (independent of
 * $TZ and of localtime), and business calendars: weekly hours and holidays
 * in a zone, with arithmetic in business time that skips evenings,
 * weekends, holidays and paused spans, across daylight-saving changes. */
#ifndef CRM_BIZCAL_H
#define CRM_BIZCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datetime.h"
#include "util.h"

/* A time zone: the transitions of a TZif file and its POSIX TZ footer
 * rule for times after the last transition. */
struct crm_tz;

/* Load the IANA zone name ("Europe/Lisbon", "UTC") from $TZDIR, else
 * /usr/share/zoneinfo (Debian package tzdata). A name with "..", a leading
 * '/' or characters other than letters, digits and "/_+-" is refused.
 * Returns the zone (free with crm_tz_free) or NULL with err
 * (CRM_EX_CONFIG). */
struct crm_tz *crm_tz_load(const char *name, struct crm_err *err);
/* Parse a TZif image (len bytes) into a zone; NULL when malformed. */
struct crm_tz *crm_tz_parse(const unsigned char *p, size_t len);
void crm_tz_free(struct crm_tz *tz);
/* Offset from UTC (seconds east) at instant t. */
int32_t crm_tz_offset(const struct crm_tz *tz, crm_time t);
/* The instant of wall-clock time local (seconds since 1970-01-01 00:00 as
 * if the wall clock were UTC). A wall time that happens twice (clocks set
 * back) is its first occurrence; one that does not exist (clocks set
 * forward) is read with the offset before the change, so it lands as far
 * after the change as it was after the gap's start. */
crm_time crm_tz_to_utc(const struct crm_tz *tz, int64_t local);

/* A span of time [from, to); to == CRM_BIZ_NEVER: open-ended. */
#define CRM_BIZ_NEVER INT64_MAX
struct crm_span {
	crm_time from, to;
};

#define CRM_BIZ_MAX_RANGES 4 /* opening ranges per weekday */

/* A business calendar. Zero-initialised it is empty; always = true makes
 * it calendar time (every second counts). */
struct crm_bizcal {
	struct crm_tz *tz; /* owned; NULL: UTC */
	bool always;
	int nranges[7]; /* Monday = 0 */
	struct {
		int from, to; /* seconds after local midnight, from < to */
	} ranges[7][CRM_BIZ_MAX_RANGES];
	int64_t *holidays; /* local day numbers (days since 1970-01-01) */
	size_t nholidays, capholidays;
};

/* Set the zone by IANA name (replacing any). Returns 0 or -1. */
int crm_bizcal_zone(struct crm_bizcal *c, const char *name,
		    struct crm_err *err);
/* Set the opening hours of days ("mon", "mon-fri", "sat-sun", "sun") to
 * hours: "09:00-17:00", "08:00-12:00,13:00-17:30", "00:00-24:00", or ""
 * or "closed". Returns 0, or -1 with a reason (CRM_EX_CONFIG). */
int crm_bizcal_hours(struct crm_bizcal *c, const char *days, const char *hours,
		     struct crm_err *err);
/* Add a holiday (a local date, "YYYY-MM-DD"). Returns 0 or -1. */
int crm_bizcal_holiday(struct crm_bizcal *c, const char *date,
		       struct crm_err *err);
/* Whether the calendar has any opening hours (or is always open). */
bool crm_bizcal_open_ever(const struct crm_bizcal *c);
void crm_bizcal_release(struct crm_bizcal *c);

/* The instant when secs seconds of business time have run from start,
 * not counting the spans in pauses (sorted by from, not overlapping).
 * Returns CRM_BIZ_NEVER when an open-ended pause stops the clock first,
 * or when the calendar has no opening hours in the next ten years. secs
 * 0 gives start (moved to the next open instant when start is closed). */
crm_time crm_bizcal_add(const struct crm_bizcal *c, crm_time start,
			int64_t secs, const struct crm_span *pauses,
			size_t npauses);
/* Business seconds in [a, b) (0 when b <= a). Business time (here and in
 * crm_bizcal_add) is every instant whose wall clock in the zone reads an
 * opening hour of an open day: across a change of offset a boundary in
 * the gap counts from the change and a repeated hour counts twice. */
int64_t crm_bizcal_between(const struct crm_bizcal *c, crm_time a, crm_time b);

#endif
