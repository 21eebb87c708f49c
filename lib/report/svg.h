/* svg.h - charts as inline SVG for HTML pages: the one module every
 * report page and the dashboard draw with. Each chart is a <figure> with
 * a text alternative (role="img", aria-label), a caption naming the unit,
 * and the table behind it in a <details> element. Colours are the
 * Okabe-Ito palette, which colour-blind readers can tell apart. */
#ifndef CRM_SVG_H
#define CRM_SVG_H

#include <stddef.h>

#include "report.h"
#include "util.h"

#define CRM_SVG_COLOURS 7
extern const char *const crm_svg_palette[CRM_SVG_COLOURS];

/* The CSS the charts need (inline, in the page's <style>). */
extern const char crm_svg_css[];

/* The unit of column col of a report whose rows are like row: "%",
 * "days", "hours", the row's currency for money, else "count". */
const char *crm_svg_unit(const char *col, const struct crm_rec *row);

/* A horizontal bar chart, zero-based: one bar per label; a null or
 * non-numeric value has no bar. */
void crm_svg_bars(struct crm_buf *out, const char *title, const char *unit,
		  const char *const *labels, const char *const *values,
		  size_t n);

/* A line chart over time: nx points (x labels), ns series of values
 * v[s * nx + i]; a null (NAN) value is a gap in the line, not a zero.
 * names: the series (a legend when ns > 1). w, h: the size (0: default). */
void crm_svg_lines(struct crm_buf *out, const char *title, const char *unit,
		   const char *const *x, size_t nx, const char *const *names,
		   const double *v, size_t ns, int w, int h);

/* As crm_svg_lines, with an interval around the last series (a forecast):
 * band[0..nx) the lower bounds, band[nx..2nx) the upper (NAN: none),
 * shaded and named band_name in the legend, the last series dashed; the
 * table gets lower and upper columns. */
void crm_svg_lines_band(struct crm_buf *out, const char *title,
			const char *unit, const char *const *x, size_t nx,
			const char *const *names, const double *v, size_t ns,
			const double *band, const char *band_name);

/* A funnel: stages as centred bars whose widths are the counts, with
 * the conversion from each stage to the next. */
void crm_svg_funnel(struct crm_buf *out, const char *title,
		    const char *const *labels, const double *values, size_t n);

/* Report r's chart of r->chart, by the shape of its data: a series over
 * time (a period label alone) a line chart; time x group (period and
 * other labels) small multiples, one small line chart per group; a
 * category a bar chart. Rows in different currencies get a chart each. */
void crm_svg_report(struct crm_buf *out, const struct crm_report *r);

/* The rows of r, columns cols, as an HTML table. */
void crm_svg_table(struct crm_buf *out, const struct crm_report *r,
		   const struct crm_strv *cols);

#endif
