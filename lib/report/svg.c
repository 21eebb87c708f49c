/* svg.c - charts as inline SVG: bars, lines over time, small multiples,
 * funnels; each with a text alternative and its table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "svg.h"

/* Okabe & Ito (2008): blue, vermillion, bluish green, orange, reddish
 * purple, sky blue, yellow */
const char *const crm_svg_palette[CRM_SVG_COLOURS] = {
    "#0072b2", "#d55e00", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#f0e442",
};

const char crm_svg_css[] =
    "figure.chart{margin:1em 0;break-inside:avoid}\n"
    "figure.chart figcaption{font-weight:600;margin-bottom:.3em}\n"
    "svg.chart{max-width:100%;height:auto}\n"
    "svg.chart text{font-size:12px;fill:#222}\n"
    "svg.chart .bar{fill:#0072b2}\n"
    "svg.chart .axis{stroke:#444;stroke-width:1}\n"
    "svg.chart .grid{stroke:#ddd;stroke-width:1}\n"
    "svg.chart .unit{font-style:italic;fill:#555}\n"
    "svg.chart path.line{fill:none;stroke-width:2}\n"
    "div.multiples{display:flex;flex-wrap:wrap;gap:.5em}\n"
    "div.multiples figure.chart{margin:.3em 0}\n"
    "details{margin:.3em 0 1em}\n"
    "details summary{cursor:pointer;color:#555}\n"
    "table{border-collapse:collapse;margin-top:.5em}\n"
    "th,td{border-bottom:1px solid #ddd;padding:.3em .7em;"
    "text-align:left}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.null{color:#aaa}\n"
    "@media print{details{display:block}details>*{display:block}"
    "summary{display:none}figure.chart{break-inside:avoid}}\n";

static bool number(const char *s, double *d)
{
	char *end;

	if (!s || !*s)
		return false;
	*d = strtod(s, &end);
	return !*end && isfinite(*d);
}

static bool ends(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);

	return a >= b && !strcmp(s + a - b, tail);
}

const char *crm_svg_unit(const char *col, const struct crm_rec *row)
{
	static const char *const money[] = {
	    "amount",	  "weighted_amount", "total",
	    "average",	  "median",	     "p90",
	    "largest",	  "won_revenue",     "cost",
	    "amount_won", "avg_won",	     "velocity_per_day",
	};
	const char *cur;

	if (ends(col, "_rate") || ends(col, "_pct") || ends(col, "compliance"))
		return "%";
	if (ends(col, "_days"))
		return "days";
	if (ends(col, "_hours"))
		return "hours";
	for (size_t i = 0; i < sizeof(money) / sizeof(money[0]); i++)
		if (!strcmp(col, money[i])) {
			cur = row ? crm_rec_get(row, "currency") : NULL;
			return cur ? cur : "money";
		}
	return "count";
}

/* A step of 1, 2 or 5 times a power of ten giving about n ticks over
 * [0, span]. */
static double nice_step(double span, int n)
{
	double raw = span / n, p, f;

	if (!(raw > 0))
		return 1;
	p = pow(10, floor(log10(raw)));
	f = raw / p;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

static void tick_label(struct crm_buf *out, double v, double step)
{
	int dec = step >= 1 ? 0 : (int)ceil(-log10(step));

	if (dec > 6)
		dec = 6;
	crm_buf_addf(out, "%.*f", dec, fabs(v) < step / 1e6 ? 0.0 : v);
}

static void figure_open(struct crm_buf *out, const char *title,
			const char *unit, const char *alt, int w, int h)
{
	crm_buf_adds(out, "<figure class=\"chart\">\n<figcaption>");
	crm_html_escape(out, title);
	if (unit) {
		crm_buf_adds(out, " <span class=\"unit\">(");
		crm_html_escape(out, unit);
		crm_buf_adds(out, ")</span>");
	}
	crm_buf_addf(out,
		     "</figcaption>\n<svg class=\"chart\" "
		     "xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		     "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		     "aria-label=\"",
		     w, h, w, h);
	crm_html_escape(out, alt);
	crm_buf_adds(out, "\">\n");
}

static void details_open(struct crm_buf *out)
{
	crm_buf_adds(out, "</svg>\n<details><summary>Table</summary>\n"
			  "<table>\n");
}

static void details_close(struct crm_buf *out)
{
	crm_buf_adds(out, "</table>\n</details>\n</figure>\n");
}

static void cell(struct crm_buf *out, const char *tag, const char *v)
{
	double d;

	crm_buf_addf(out, "<%s%s>", tag,
		     !v && *tag == 'd'		    ? " class=\"null\""
		     : *tag == 'd' && number(v, &d) ? " class=\"n\""
						    : "");
	crm_html_escape(out, v ? v : "");
	crm_buf_addf(out, "</%s>", tag);
}

/* -- bars -------------------------------------------------------------- */

#define BAR_H 22
#define LABEL_W 220
#define CHART_W 760
#define BAR_ROOM (CHART_W - LABEL_W - 80)

void crm_svg_bars(struct crm_buf *out, const char *title, const char *unit,
		  const char *const *labels, const char *const *values,
		  size_t n)
{
	double max = 0, d, step;
	int h = (int)n * BAR_H + 40;
	struct crm_buf alt = {0};

	for (size_t i = 0; i < n; i++)
		if (number(values[i], &d) && d > max)
			max = d;
	step = nice_step(max, 4);
	crm_buf_addf(&alt, "Bar chart of %s (%s), %zu bars", title, unit, n);
	for (size_t i = 0; i < n && i < 20; i++)
		crm_buf_addf(&alt, "%s %s: %s", i ? ";" : ":",
			     labels[i] ? labels[i] : "(none)",
			     values[i] ? values[i] : "none");
	figure_open(out, title, unit, crm_buf_str(&alt), CHART_W, h);
	crm_buf_release(&alt);
	/* grid lines and ticks from zero */
	for (double t = 0; max > 0 && t <= max * 1.0000001; t += step) {
		double x = LABEL_W + t / max * BAR_ROOM;

		crm_buf_addf(out,
			     "<line class=\"grid\" x1=\"%.1f\" y1=\"0\" "
			     "x2=\"%.1f\" y2=\"%zu\"/><text x=\"%.1f\" "
			     "y=\"%zu\" text-anchor=\"middle\">",
			     x, x, n * BAR_H, x, n * BAR_H + 16);
		tick_label(out, t, step);
		crm_buf_adds(out, "</text>\n");
	}
	for (size_t i = 0; i < n; i++) {
		double w = max > 0 && number(values[i], &d) && d > 0
			       ? d / max * BAR_ROOM
			       : 0;
		size_t y = i * BAR_H + 4;

		crm_buf_addf(out,
			     "<text class=\"label\" x=\"%d\" y=\"%zu\" "
			     "text-anchor=\"end\">",
			     LABEL_W - 8, y + 15);
		crm_html_escape(out, labels[i] ? labels[i] : "(none)");
		crm_buf_addf(out,
			     "</text><rect class=\"bar\" x=\"%d\" y=\"%zu\" "
			     "width=\"%.1f\" height=\"%d\"><title>",
			     LABEL_W, y, w, BAR_H - 6);
		crm_html_escape(out, labels[i] ? labels[i] : "(none)");
		crm_buf_adds(out, ": ");
		crm_html_escape(out, values[i] ? values[i] : "none");
		crm_buf_addf(out,
			     "</title></rect><text class=\"value\" x=\"%.1f\" "
			     "y=\"%zu\">",
			     LABEL_W + w + 6, y + 15);
		crm_html_escape(out, values[i] ? values[i] : "");
		crm_buf_adds(out, "</text>\n");
	}
	crm_buf_addf(out,
		     "<line class=\"axis\" x1=\"%d\" y1=\"0\" x2=\"%d\" "
		     "y2=\"%zu\"/><text class=\"unit\" x=\"%d\" y=\"%d\" "
		     "text-anchor=\"end\">",
		     LABEL_W, LABEL_W, n * BAR_H, LABEL_W + BAR_ROOM, h - 4);
	crm_html_escape(out, unit);
	crm_buf_adds(out, "</text>\n");
	details_open(out);
	crm_buf_adds(out, "<tr><th></th>");
	cell(out, "th", unit);
	crm_buf_adds(out, "</tr>\n");
	for (size_t i = 0; i < n; i++) {
		crm_buf_adds(out, "<tr>");
		cell(out, "th", labels[i] ? labels[i] : "(none)");
		cell(out, "td", values[i]);
		crm_buf_adds(out, "</tr>\n");
	}
	details_close(out);
}

/* -- lines ------------------------------------------------------------- */

/* band: NULL, or the bounds of an interval around the last series
 * (band[0..nx) lower, band[nx..2nx) upper; NAN: none there), drawn as a
 * shaded area with the last series dashed. */
static void lines(struct crm_buf *out, const char *title, const char *unit,
		  const char *const *x, size_t nx, const char *const *names,
		  const double *v, size_t ns, int w, int h, double lo,
		  double hi, const double *band, const char *band_name)
{
	int left = 56, right = band ? 30 : 12, top = ns > 1 || band ? 22 : 10,
	    bottom = 34;
	double pw = w - left - right, ph = h - top - bottom, step;
	size_t every;
	struct crm_buf alt = {0};

	if (lo > 0)
		lo = 0;
	if (!(hi > lo))
		hi = lo + 1;
	step = nice_step(hi - lo, 4);
	hi = ceil(hi / step) * step;
	lo = floor(lo / step) * step;
	{ /* room for the longest tick label (7 pixels a character) */
		struct crm_buf t = {0};
		size_t n;

		tick_label(&t, fabs(lo) > hi ? lo : hi, step);
		n = t.len;
		crm_buf_release(&t);
		if ((int)n * 7 + 12 > left)
			left = (int)n * 7 + 12;
		pw = w - left - right;
	}
	crm_buf_addf(&alt, "Line chart of %s (%s) over %zu periods", title,
		     unit, nx);
	if (nx)
		crm_buf_addf(&alt, " from %s to %s", x[0], x[nx - 1]);
	for (size_t s = 0; s < ns; s++) {
		double last = NAN;
		const char *at = NULL;

		for (size_t i = 0; i < nx; i++)
			if (!isnan(v[s * nx + i]))
				last = v[s * nx + i], at = x[i];
		if (at)
			crm_buf_addf(&alt, "; %s: last %g in %s",
				     names && names[s] ? names[s] : title, last,
				     at);
	}
	figure_open(out, title, unit, crm_buf_str(&alt), w, h);
	crm_buf_release(&alt);
#define X(i) (left + (nx > 1 ? (double)(i) / (double)(nx - 1) * pw : pw / 2))
#define Y(d) (top + ph - ((d)-lo) / (hi - lo) * ph)
	for (double t = lo; t <= hi + step / 1e6; t += step) {
		crm_buf_addf(out,
			     "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" "
			     "x2=\"%.1f\" y2=\"%.1f\"/><text x=\"%d\" "
			     "y=\"%.1f\" text-anchor=\"end\">",
			     left, Y(t), left + pw, Y(t), left - 4, Y(t) + 4);
		tick_label(out, t, step);
		crm_buf_adds(out, "</text>\n");
	}
	every = nx / (size_t)(w / 70 > 1 ? w / 70 : 1) + 1;
	for (size_t i = 0; i < nx; i += every) {
		crm_buf_addf(out,
			     "<text x=\"%.1f\" y=\"%.1f\" "
			     "text-anchor=\"middle\">",
			     X(i), top + ph + 16);
		crm_html_escape(out, x[i]);
		crm_buf_adds(out, "</text>\n");
	}
	crm_buf_addf(out,
		     "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" "
		     "y2=\"%.1f\"/><line class=\"axis\" x1=\"%d\" y1=\"%d\" "
		     "x2=\"%d\" y2=\"%.1f\"/>\n",
		     left, top + ph, left + pw, top + ph, left, top, left,
		     top + ph);
	crm_buf_addf(out,
		     "<text class=\"unit\" x=\"4\" y=\"%d\" "
		     "text-anchor=\"start\">",
		     h - 4);
	crm_html_escape(out, unit);
	crm_buf_adds(out, "</text>\n");
	if (band) { /* the interval: one shaded area per unbroken stretch */
		const char *c = crm_svg_palette[(ns - 1) % CRM_SVG_COLOURS];

		for (size_t i = 0; i < nx;) {
			size_t j = i;

			while (j < nx && !isnan(band[j]) &&
			       !isnan(band[nx + j]))
				j++;
			if (j == i) {
				i++;
				continue;
			}
			crm_buf_addf(out,
				     "<path class=\"band\" fill=\"%s\" "
				     "fill-opacity=\"0.2\" stroke=\"none\" "
				     "d=\"",
				     c);
			for (size_t k = i; k < j; k++)
				crm_buf_addf(out, "%s%.1f %.1f ",
					     k == i ? "M" : "L", X(k),
					     Y(band[nx + k]));
			for (size_t k = j; k-- > i;)
				crm_buf_addf(out, "L%.1f %.1f ", X(k),
					     Y(band[k]));
			crm_buf_adds(out, "Z\"/>\n");
			if (j - i == 1) /* one period: a bar of the interval */
				crm_buf_addf(
				    out,
				    "<line class=\"band\" "
				    "stroke=\"%s\" stroke-width=\"6\" "
				    "stroke-opacity=\"0.3\" x1=\"%.1f\" "
				    "y1=\"%.1f\" x2=\"%.1f\" "
				    "y2=\"%.1f\"/>\n",
				    c, X(i), Y(band[i]), X(i), Y(band[nx + i]));
			i = j;
		}
		crm_buf_addf(out,
			     "<rect x=\"%zu\" y=\"4\" width=\"12\" "
			     "height=\"12\" fill=\"%s\" "
			     "fill-opacity=\"0.2\"/><text x=\"%zu\" "
			     "y=\"14\">",
			     (size_t)left + ns * 140, c,
			     (size_t)left + ns * 140 + 16);
		crm_html_escape(out, band_name);
		crm_buf_adds(out, "</text>\n");
	}
	for (size_t s = 0; s < ns; s++) {
		const char *c = crm_svg_palette[s % CRM_SVG_COLOURS];
		bool pen = false;

		crm_buf_addf(
		    out, "<path class=\"line\" stroke=\"%s\"%s d=\"", c,
		    band && s == ns - 1 ? " stroke-dasharray=\"6 4\"" : "");
		for (size_t i = 0; i < nx; i++) {
			double d = v[s * nx + i];

			if (isnan(d)) {
				pen = false; /* a gap, not a zero */
				continue;
			}
			crm_buf_addf(out, "%s%.1f %.1f ", pen ? "L" : "M", X(i),
				     Y(d));
			pen = true;
		}
		crm_buf_adds(out, "\"/>\n");
		for (size_t i = 0; i < nx; i++)
			if (!isnan(v[s * nx + i])) {
				crm_buf_addf(out,
					     "<circle cx=\"%.1f\" cy=\"%.1f\" "
					     "r=\"2.5\" fill=\"%s\"><title>",
					     X(i), Y(v[s * nx + i]), c);
				crm_html_escape(out, x[i]);
				crm_buf_addf(out, ": %g</title></circle>\n",
					     v[s * nx + i]);
			}
		if (ns > 1 || band) {
			crm_buf_addf(out,
				     "<rect x=\"%zu\" y=\"4\" width=\"12\" "
				     "height=\"12\" fill=\"%s\"/><text "
				     "x=\"%zu\" y=\"14\">",
				     (size_t)left + s * 140, c,
				     (size_t)left + s * 140 + 16);
			crm_html_escape(out, names[s]);
			crm_buf_adds(out, "</text>\n");
		}
	}
#undef X
#undef Y
	details_open(out);
	crm_buf_adds(out, "<tr><th>period</th>");
	for (size_t s = 0; s < ns; s++)
		cell(out, "th", names && names[s] ? names[s] : unit);
	if (band) {
		cell(out, "th", "lower");
		cell(out, "th", "upper");
	}
	crm_buf_adds(out, "</tr>\n");
	for (size_t i = 0; i < nx; i++) {
		crm_buf_adds(out, "<tr>");
		cell(out, "th", x[i]);
		for (size_t s = 0; s < ns + (band ? 2 : 0); s++) {
			double d = s < ns ? v[s * nx + i]
				   : band ? band[(s - ns) * nx + i]
					  : NAN;
			char b[64];

			if (isnan(d))
				cell(out, "td", NULL);
			else {
				snprintf(b, sizeof(b), band ? "%.15g" : "%g",
					 d);
				cell(out, "td", b);
			}
		}
		crm_buf_adds(out, "</tr>\n");
	}
	details_close(out);
}

static void range_of(const double *v, size_t n, double *lo, double *hi)
{
	*lo = 0;
	*hi = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i])) {
			if (v[i] < *lo)
				*lo = v[i];
			if (v[i] > *hi)
				*hi = v[i];
		}
}

void crm_svg_lines(struct crm_buf *out, const char *title, const char *unit,
		   const char *const *x, size_t nx, const char *const *names,
		   const double *v, size_t ns, int w, int h)
{
	double lo, hi;

	range_of(v, nx * ns, &lo, &hi);
	lines(out, title, unit, x, nx, names, v, ns, w ? w : CHART_W,
	      h ? h : 260, lo, hi, NULL, NULL);
}

void crm_svg_lines_band(struct crm_buf *out, const char *title,
			const char *unit, const char *const *x, size_t nx,
			const char *const *names, const double *v, size_t ns,
			const double *band, const char *band_name)
{
	double lo, hi, blo, bhi;

	range_of(v, nx * ns, &lo, &hi);
	range_of(band, 2 * nx, &blo, &bhi);
	lines(out, title, unit, x, nx, names, v, ns, CHART_W, 260,
	      blo < lo ? blo : lo, bhi > hi ? bhi : hi, band, band_name);
}

/* -- funnel ------------------------------------------------------------ */

void crm_svg_funnel(struct crm_buf *out, const char *title,
		    const char *const *labels, const double *values, size_t n)
{
	int step = 44, h = (int)n * step + 10, mid = 420, room = 520;
	double max = 0;
	struct crm_buf alt = {0};

	for (size_t i = 0; i < n; i++)
		if (values[i] > max)
			max = values[i];
	crm_buf_addf(&alt, "Funnel of %s", title);
	for (size_t i = 0; i < n; i++)
		crm_buf_addf(&alt, "%s %s %g", i ? ";" : ":", labels[i],
			     values[i]);
	figure_open(out, title, "count", crm_buf_str(&alt), CHART_W, h);
	crm_buf_release(&alt);
	for (size_t i = 0; i < n; i++) {
		double w = max > 0 ? values[i] / max * room : 0;
		int y = (int)i * step + 4;

		crm_buf_addf(out,
			     "<rect class=\"bar\" x=\"%.1f\" y=\"%d\" "
			     "width=\"%.1f\" height=\"26\" fill=\"%s\" "
			     "style=\"fill:%s\"><title>",
			     mid - w / 2, y, w,
			     crm_svg_palette[i % CRM_SVG_COLOURS],
			     crm_svg_palette[i % CRM_SVG_COLOURS]);
		crm_html_escape(out, labels[i]);
		crm_buf_addf(out,
			     ": %g</title></rect>\n<text x=\"%d\" y=\"%d\" "
			     "text-anchor=\"end\">",
			     values[i], mid - room / 2 - 8, y + 18);
		crm_html_escape(out, labels[i]);
		crm_buf_addf(out, " %g</text>\n", values[i]);
		if (i + 1 < n) {
			crm_buf_addf(out,
				     "<text class=\"unit\" x=\"%d\" y=\"%d\" "
				     "text-anchor=\"middle\">",
				     mid, y + 40);
			if (values[i] > 0)
				crm_buf_addf(out, "\xE2\x86\x93 %.1f%%",
					     100.0 * values[i + 1] / values[i]);
			else
				crm_buf_adds(out, "\xE2\x86\x93 n/a");
			crm_buf_adds(out, "</text>\n");
		}
	}
	details_open(out);
	crm_buf_adds(out, "<tr><th>stage</th><th>count</th>"
			  "<th>conversion from the stage before (%)</th>"
			  "</tr>\n");
	for (size_t i = 0; i < n; i++) {
		char a[64], b[64];

		snprintf(a, sizeof(a), "%g", values[i]);
		snprintf(b, sizeof(b), "%.1f",
			 i && values[i - 1] > 0
			     ? 100.0 * values[i] / values[i - 1]
			     : 0);
		crm_buf_adds(out, "<tr>");
		cell(out, "th", labels[i]);
		cell(out, "td", a);
		cell(out, "td", i && values[i - 1] > 0 ? b : NULL);
		crm_buf_adds(out, "</tr>\n");
	}
	details_close(out);
}

/* -- a report's chart -------------------------------------------------- */

void crm_svg_table(struct crm_buf *out, const struct crm_report *r,
		   const struct crm_strv *cols)
{
	crm_buf_adds(out, "<table>\n<thead><tr>");
	for (size_t c = 0; c < cols->n; c++)
		cell(out, "th", cols->v[c]);
	crm_buf_adds(out, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->n; i++) {
		crm_buf_adds(out, "<tr>");
		for (size_t c = 0; c < cols->n; c++)
			cell(out, "td", crm_rec_get(&r->rows[i], cols->v[c]));
		crm_buf_adds(out, "</tr>\n");
	}
	crm_buf_adds(out, "</tbody>\n</table>\n");
}

/* The label of row i from its label columns but skip (joined by " / "). */
static void row_label(struct crm_buf *out, const struct crm_report *r, size_t i,
		      const char *skip1, const char *skip2)
{
	bool first = true;

	for (size_t k = 0; k < r->labels.n; k++) {
		const char *v;

		if ((skip1 && !strcmp(r->labels.v[k], skip1)) ||
		    (skip2 && !strcmp(r->labels.v[k], skip2)))
			continue;
		v = crm_rec_get(&r->rows[i], r->labels.v[k]);
		if (!first)
			crm_buf_adds(out, " / ");
		crm_buf_adds(out, v ? v : "(none)");
		first = false;
	}
}

/* The chart of the rows of r in currency cur (every row when split is
 * false). */
static void report_part(struct crm_buf *out, const struct crm_report *r,
			bool split, const char *cur)
{
	bool timed = crm_strv_find(&r->labels, "period") >= 0;
	const char *ckey = split ? "currency" : NULL;
	struct crm_strv periods = {0}, groups = {0};
	struct crm_buf title = {0};
	size_t *idx = crm_xcalloc(r->n + 1, sizeof(*idx)), m = 0;
	const char *unit = "count";

	for (size_t i = 0; i < r->n; i++)
		if (!split ||
		    crm_str_same(crm_rec_get(&r->rows[i], "currency"), cur))
			idx[m++] = i;
	if (m)
		unit = crm_svg_unit(r->chart, &r->rows[idx[0]]);
	crm_buf_adds(&title, r->chart);
	if (split)
		crm_buf_addf(&title, " in %s", cur ? cur : "(no currency)");
	if (!timed) {
		const char **labels = crm_xcalloc(m + 1, sizeof(*labels));
		const char **values = crm_xcalloc(m + 1, sizeof(*values));
		struct crm_buf *lab = crm_xcalloc(m + 1, sizeof(*lab));

		for (size_t j = 0; j < m; j++) {
			row_label(&lab[j], r, idx[j], ckey, NULL);
			labels[j] = crm_buf_str(&lab[j]);
			values[j] = crm_rec_get(&r->rows[idx[j]], r->chart);
		}
		crm_svg_bars(out, crm_buf_str(&title), unit, labels, values, m);
		for (size_t j = 0; j < m; j++)
			crm_buf_release(&lab[j]);
		free(lab);
		free(labels);
		free(values);
	} else {
		struct crm_buf g = {0};
		double *v, lo, hi;

		for (size_t j = 0; j < m; j++) {
			const char *p = crm_rec_get(&r->rows[idx[j]], "period");

			if (p && crm_strv_find(&periods, p) < 0)
				crm_strv_push(&periods, p);
			crm_buf_reset(&g);
			row_label(&g, r, idx[j], ckey, "period");
			if (crm_strv_find(&groups, crm_buf_str(&g)) < 0)
				crm_strv_push(&groups, crm_buf_str(&g));
		}
		qsort(periods.v, periods.n, sizeof(*periods.v), crm_str_cmp);
		v = crm_xcalloc(groups.n * periods.n + 1, sizeof(*v));
		for (size_t k = 0; k < groups.n * periods.n; k++)
			v[k] = NAN;
		for (size_t j = 0; j < m; j++) {
			const char *p = crm_rec_get(&r->rows[idx[j]], "period");
			double d;
			long pi = p ? crm_strv_find(&periods, p) : -1, gi;

			crm_buf_reset(&g);
			row_label(&g, r, idx[j], ckey, "period");
			gi = crm_strv_find(&groups, crm_buf_str(&g));
			if (pi >= 0 && gi >= 0 &&
			    number(crm_rec_get(&r->rows[idx[j]], r->chart), &d))
				v[(size_t)gi * periods.n + (size_t)pi] = d;
		}
		range_of(v, groups.n * periods.n, &lo, &hi);
		if (groups.n <= 1 && (!groups.n || !*groups.v[0]))
			lines(out, crm_buf_str(&title), unit,
			      (const char *const *)periods.v, periods.n, NULL,
			      v, 1, split ? 370 : CHART_W, split ? 200 : 260,
			      lo, hi, NULL, NULL);
		else {
			/* small multiples on one scale */
			crm_buf_adds(out, "<section class=\"multiples\"><p "
					  "class=\"mtitle\">Small "
					  "multiples: ");
			crm_html_escape(out, crm_buf_str(&title));
			crm_buf_adds(out, " per ");
			for (size_t k = 0, f = 0; k < r->labels.n; k++)
				if (strcmp(r->labels.v[k], "period") &&
				    !crm_str_same(r->labels.v[k], ckey)) {
					crm_buf_adds(out, f++ ? " / " : "");
					crm_html_escape(out, r->labels.v[k]);
				}
			crm_buf_adds(out, "</p>\n<div class=\"multiples\">\n");
			for (size_t k = 0; k < groups.n; k++)
				lines(out, groups.v[k], unit,
				      (const char *const *)periods.v, periods.n,
				      NULL, v + k * periods.n, 1, 250, 170, lo,
				      hi, NULL, NULL);
			crm_buf_adds(out, "</div>\n</section>\n");
		}
		free(v);
		crm_buf_release(&g);
	}
	crm_buf_release(&title);
	crm_strv_release(&periods);
	crm_strv_release(&groups);
	free(idx);
}

static bool money_unit(const char *u)
{
	return strcmp(u, "%") && strcmp(u, "days") && strcmp(u, "hours") &&
	       strcmp(u, "count");
}

void crm_svg_report(struct crm_buf *out, const struct crm_report *r)
{
	struct crm_strv curs = {0};
	bool nocur = false, timed;

	if (!r->chart || !r->n)
		return;
	/* only money is split by currency: a count of deals is a count */
	if ((crm_strv_find(&r->labels, "currency") < 0 &&
	     crm_strv_find(&r->cols, "currency") < 0) ||
	    !money_unit(crm_svg_unit(r->chart, &r->rows[0]))) {
		report_part(out, r, false, NULL);
		return;
	}
	for (size_t i = 0; i < r->n; i++) {
		const char *c = crm_rec_get(&r->rows[i], "currency");

		if (!c)
			nocur = true;
		else if (crm_strv_find(&curs, c) < 0)
			crm_strv_push(&curs, c);
	}
	timed = crm_strv_find(&r->labels, "period") >= 0;
	if (curs.n + nocur <= 1)
		report_part(out, r, false, NULL);
	else {
		/* one chart per currency, each on its own axis */
		if (timed)
			crm_buf_adds(out, "<div class=\"multiples\">\n");
		for (size_t k = 0; k < curs.n; k++)
			report_part(out, r, true, curs.v[k]);
		if (nocur)
			report_part(out, r, true, NULL);
		if (timed)
			crm_buf_adds(out, "</div>\n");
	}
	crm_strv_release(&curs);
}
