/* chart.h - bar charts for a terminal, in Unicode block characters. */
#ifndef CRM_CHART_H
#define CRM_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Append one line per row to out: the label (padded to the widest, by
 * display width; cut with "…" past a third of width), a bar of block
 * characters in eighths scaled so the largest value fills the space left,
 * and the value. A null or non-numeric value gets no bar; a negative one
 * an empty bar. width is the line width in terminal columns (at least
 * 20 is used); colour wraps bars in ANSI green. */
void crm_chart_bars(struct crm_buf *out, const char *const *labels,
		    const char *const *values, size_t n, size_t width,
		    bool colour);

#endif
