/* fuzz_time.c - libFuzzer harness for crm_datetime_parse, the
 * --date-format readers (crm_datefmt) and crm_parse_duration. Invariants: a
 * parsed time lies in range and survives format -> parse unchanged (its date
 * too); the civil calendar functions agree with each other; a parsed duration
 * is not negative. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datefmt.h"
#include "datetime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_time(const char *s)
{
	struct crm_err err = {0};
	char buf[CRM_TIME_LEN], day[CRM_TIME_LEN];
	crm_time t, back;
	int64_t y;
	unsigned m, d;

	if (crm_datetime_parse(s, &t, &err) < 0) {
		if (err.code != CRM_EX_DATAERR || !err.msg[0])
			abort();
		return;
	}
	if (t < CRM_TIME_MIN || t > CRM_TIME_MAX)
		abort();
	crm_datetime_format(t, buf);
	if (strlen(buf) != CRM_TIME_LEN - 1)
		abort();
	if (crm_datetime_parse(buf, &back, &err) < 0 || back != t)
		abort();
	crm_datetime_format_date(t, day);
	if (crm_datetime_parse(day, &back, &err) < 0 ||
	    back != crm_datetime_day_start(t) || back > t || t - back >= 86400)
		abort();
	crm_civil_from_days(back / 86400 - (back % 86400 < 0), &y, &m, &d);
	if (m < 1 || m > 12 || d < 1 || d > crm_days_in_month(y, m) ||
	    crm_days_from_civil(y, m, d) * 86400 != back)
		abort();
}

/* --date-format conventions and a format: a result lies in range, a
 * failure is a data error with a message. */
static void check_datefmt(const char *s)
{
	static const char *const specs[] = {"us",
					    "eu",
					    "ymd",
					    "mon",
					    "excel",
					    "excel1904",
					    "%a, %d %b %Y %I:%M:%S %p %z",
					    "%s",
					    "%D %T",
					    NULL};
	static struct crm_datefmt *dfs[16];
	struct crm_err err = {0};
	crm_time t;

	for (int i = 0; specs[i]; i++) {
		if (!dfs[i] &&
		    !(dfs[i] = crm_datefmt_new(specs[i], NULL, &err)))
			abort();
		crm_err_clear(&err);
		if (crm_datefmt_time(dfs[i], s, &t, &err) == 0) {
			if (t < CRM_TIME_MIN || t > CRM_TIME_MAX)
				abort();
		} else if (err.code != CRM_EX_DATAERR || !err.msg[0]) {
			abort();
		}
		if (crm_datefmt_date(dfs[i], s, &t, &err) == 0 &&
		    t != crm_datetime_day_start(t))
			abort();
	}
}

static void check_duration(const char *s)
{
	int64_t v;

	if (crm_parse_duration(s, &v) == 0 && v < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (strlen(s) == size) { /* the parsers take C strings */
		check_time(s);
		check_datefmt(s);
		check_duration(s);
	}
	free(s);
	return 0;
}
