/* chart.c - horizontal bar charts for a terminal. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "chart.h"
#include "record.h"

#define FULL "\xE2\x96\x88" /* █ */
#define ELLIPSIS "\xE2\x80\xA6"
#define GREEN "\033[32m"
#define PLAIN "\033[0m"

/* Append s cut to at most max display columns; returns the width used. */
static size_t put_cut(struct crm_buf *out, const char *s, size_t max)
{
	size_t len = strlen(s), w = crm_display_width(s, len), used = 0, n;

	if (w <= max) {
		crm_buf_add(out, s, len);
		return w;
	}
	/* room for the ellipsis */
	n = max ? crm_fit_bytes(s, len, max - 1, &used) : 0;
	crm_buf_add(out, s, n);
	crm_buf_adds(out, ELLIPSIS);
	return used + 1;
}

static bool number(const char *s, double *v)
{
	char *end;

	if (!s || !*s)
		return false;
	*v = strtod(s, &end);
	return !*end;
}

void crm_chart_bars(struct crm_buf *out, const char *const *labels,
		    const char *const *values, size_t n, size_t width,
		    bool colour)
{
	size_t lw = 0, vw = 0, maxl, room;
	double max = 0, v;

	if (width < 20)
		width = 20;
	maxl = width / 3;
	for (size_t i = 0; i < n; i++) {
		size_t w =
		    crm_display_width(labels[i] ? labels[i] : "",
				      strlen(labels[i] ? labels[i] : ""));
		if (w > lw)
			lw = w;
		if (values[i] && strlen(values[i]) > vw)
			vw = strlen(values[i]);
		if (number(values[i], &v) && v > max)
			max = v;
	}
	if (lw > maxl)
		lw = maxl;
	room = width > lw + vw + 3 ? width - lw - vw - 3 : 1;
	for (size_t i = 0; i < n; i++) {
		size_t w = put_cut(out, labels[i] ? labels[i] : "", lw);
		long eighths = 0;

		for (; w < lw + 1; w++)
			crm_buf_addc(out, ' ');
		if (number(values[i], &v) && v > 0 && max > 0)
			eighths = (long)(v / max * (double)room * 8 + 0.5);
		if (number(values[i], &v) && v > 0 && eighths == 0)
			eighths = 1; /* something, not nothing */
		if (colour && eighths)
			crm_buf_adds(out, GREEN);
		for (long k = 0; k < eighths / 8; k++)
			crm_buf_adds(out, FULL);
		if (eighths % 8) {
			/* U+258F is 1/8 ... U+2589 is 7/8 */
			unsigned cp = 0x2590 - (unsigned)(eighths % 8);
			crm_buf_addc(out, (char)0xE2);
			crm_buf_addc(out, (char)(0x80 | (cp >> 6 & 0x3F)));
			crm_buf_addc(out, (char)(0x80 | (cp & 0x3F)));
		}
		if (colour && eighths)
			crm_buf_adds(out, PLAIN);
		if (values[i]) {
			crm_buf_addc(out, ' ');
			crm_buf_adds(out, values[i]);
		}
		crm_buf_addc(out, '\n');
	}
}
