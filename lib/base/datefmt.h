/* datefmt.h - input times as spreadsheets and other CRMs write them: named
 * conventions (us, eu, ymd, mon, excel, excel1904), strftime-style formats,
 * and a zone for times written without an offset. Month and day names are
 * English whatever the locale; nothing here reads the locale or $TZ. */
#ifndef CRM_DATEFMT_H
#define CRM_DATEFMT_H

#include "datetime.h"
#include "util.h"

struct crm_datefmt;

/* Compile --date-format spec (a convention's name or a format with %
 * directives; NULL: ISO 8601 only) and --tz zone (an IANA name; NULL:
 * UTC). Returns the format (free with crm_datefmt_free) or NULL with err
 * (CRM_EX_USAGE: unknown name, bad format or zone). */
struct crm_datefmt *crm_datefmt_new(const char *spec, const char *zone,
				    struct crm_err *err);
void crm_datefmt_free(struct crm_datefmt *df);
/* Read s as an instant: by the format, else as ISO 8601 (crm_datetime_parse);
 * a time without an offset is wall-clock time in the zone (a time skipped
 * by a daylight-saving change is read with the offset before it, one that
 * happens twice is its first occurrence). df NULL: ISO 8601 in UTC. A
 * D/M or M/D date met without a format is an error naming the option to
 * give. Returns 0, or -1 with err (CRM_EX_DATAERR). */
int crm_datefmt_time(const struct crm_datefmt *df, const char *s, crm_time *out,
		     struct crm_err *err);
/* Read s as a calendar date (no zone applies): *out is its midnight UTC.
 * Returns 0 or -1 as crm_datefmt_time. */
int crm_datefmt_date(const struct crm_datefmt *df, const char *s, crm_time *out,
		     struct crm_err *err);

#endif
