/* html.h - a report as one self-contained HTML page: inline CSS, inline
 * SVG bar chart, a table; no scripts, no network. */
#ifndef CRM_HTML_H
#define CRM_HTML_H

#include "report.h"
#include "util.h"

/* Append text to out with & < > " ' escaped. */
void crm_html_escape(struct crm_buf *out, const char *s);

/* Append a whole HTML page for r to out: title and subtitle, a bar chart
 * of r->chart per row (labelled by r->labels) when r has one and rows,
 * and a table of columns cols (every column of r when cols is NULL). */
void crm_html_report(struct crm_buf *out, const struct crm_report *r,
		     const struct crm_strv *cols);

#endif
