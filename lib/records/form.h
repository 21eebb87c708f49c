/* form.h - web form bodies as a form handler or a CGI script saves them
 * (application/x-www-form-urlencoded, or a JSON object) read into one
 * record, with limits for hostile input; and percent-decoding. */
#ifndef CRM_FORM_H
#define CRM_FORM_H

#include <stddef.h>

#include "record.h"
#include "util.h"

#define CRM_FORM_MAX_BODY (1u << 20)   /* bytes in one body */
#define CRM_FORM_MAX_VALUE (64u << 10) /* bytes in one decoded value */
#define CRM_FORM_MAX_FIELDS 200	       /* fields in one body */

/* Percent-decode s (n bytes) into out (appended): %XX (either case) to
 * its byte, '+' to a space when plus is set. Returns 0, or -1 at a '%'
 * not followed by two hex digits (*bad: its offset). */
int crm_pct_decode(const char *s, size_t n, int plus, struct crm_buf *out,
		   size_t *bad);

/* Read the body (len bytes) of a form submission saved as name into rec
 * (cleared first; rec->line 1): a JSON object when its first non-blank
 * byte is '{' (string, number and boolean values; an array of strings,
 * as checkboxes send, joined with ", "; null skipped), else
 * application/x-www-form-urlencoded (pairs split on '&', '+' a space,
 * %XX decoded; a repeated name's values joined with ", "; a trailing
 * CR/LF ignored). Names and values are trimmed of spaces. Refused
 * (CRM_EX_DATAERR, err naming name, line and field): a body over
 * CRM_FORM_MAX_BODY, more than CRM_FORM_MAX_FIELDS fields, a value over
 * CRM_FORM_MAX_VALUE bytes, bad percent-encoding, invalid UTF-8 or a NUL
 * after decoding, a JSON body that is no object or holds a nested
 * object. */
int crm_form_parse(const char *body, size_t len, const char *name,
		   struct crm_rec *rec, struct crm_err *err);

#endif
