/* html.c - a report as one self-contained HTML page. */
#include <stdlib.h>
#include <string.h>

#include "html.h"

#define BAR_H 22
#define LABEL_W 220
#define CHART_W 760

void crm_html_escape(struct crm_buf *out, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&':
			crm_buf_adds(out, "&amp;");
			break;
		case '<':
			crm_buf_adds(out, "&lt;");
			break;
		case '>':
			crm_buf_adds(out, "&gt;");
			break;
		case '"':
			crm_buf_adds(out, "&quot;");
			break;
		case '\'':
			crm_buf_adds(out, "&#39;");
			break;
		default:
			crm_buf_addc(out, *s);
		}
}

/* The label of row i: its label columns joined by " / ". */
static void row_label(struct crm_buf *out, const struct crm_report *r, size_t i)
{
	for (size_t k = 0; k < r->labels.n; k++) {
		const char *v = crm_rec_get(&r->rows[i], r->labels.v[k]);

		if (k)
			crm_buf_adds(out, " / ");
		crm_buf_adds(out, v ? v : "(none)");
	}
}

static void chart(struct crm_buf *out, const struct crm_report *r)
{
	double max = 0;
	size_t h = r->n * BAR_H + 30;

	for (size_t i = 0; i < r->n; i++) {
		const char *v = crm_rec_get(&r->rows[i], r->chart);
		double d = v ? strtod(v, NULL) : 0;

		if (d > max)
			max = d;
	}
	crm_buf_addf(out,
		     "<figure>\n<svg class=\"chart\" xmlns=\"http://www.w3.org/"
		     "2000/svg\" width=\"%d\" height=\"%zu\" viewBox=\"0 0 %d "
		     "%zu\" role=\"img\" aria-label=\"",
		     CHART_W, h, CHART_W, h);
	crm_html_escape(out, r->chart);
	crm_buf_adds(out, " per row\">\n");
	for (size_t i = 0; i < r->n; i++) {
		struct crm_buf lab = {0};
		const char *v = crm_rec_get(&r->rows[i], r->chart);
		double d = v ? strtod(v, NULL) : 0;
		double w =
		    max > 0 && d > 0 ? d / max * (CHART_W - LABEL_W - 80) : 0;
		size_t y = i * BAR_H + 4;

		row_label(&lab, r, i);
		crm_buf_addf(out,
			     "<text class=\"label\" x=\"%d\" y=\"%zu\" "
			     "text-anchor=\"end\">",
			     LABEL_W - 8, y + 15);
		crm_html_escape(out, crm_buf_str(&lab));
		crm_buf_addf(out,
			     "</text><rect class=\"bar\" x=\"%d\" y=\"%zu\" "
			     "width=\"%.1f\" height=\"%d\"><title>",
			     LABEL_W, y, w, BAR_H - 6);
		crm_html_escape(out, crm_buf_str(&lab));
		crm_buf_adds(out, ": ");
		crm_html_escape(out, v ? v : "none");
		crm_buf_addf(out,
			     "</title></rect><text class=\"value\" x=\"%.1f\" "
			     "y=\"%zu\">",
			     LABEL_W + w + 6, y + 15);
		crm_html_escape(out, v ? v : "");
		crm_buf_adds(out, "</text>\n");
		crm_buf_release(&lab);
	}
	crm_buf_addf(out, "</svg>\n<figcaption>");
	crm_html_escape(out, r->chart);
	crm_buf_adds(out, "</figcaption>\n</figure>\n");
}

static bool numeric(const char *s)
{
	char *end;

	if (!s || !*s)
		return false;
	strtod(s, &end);
	return !*end;
}

void crm_html_report(struct crm_buf *out, const struct crm_report *r,
		     const struct crm_strv *cols)
{
	if (!cols)
		cols = &r->cols;
	crm_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			  "<meta charset=\"utf-8\">\n<title>");
	crm_html_escape(out, r->title);
	crm_buf_adds(
	    out,
	    "</title>\n<style>\n"
	    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\n"
	    "h1{font-size:1.4em;margin-bottom:0}\n"
	    "p.sub{color:#666;margin-top:.2em}\n"
	    "svg.chart .bar{fill:#3b7dd8}\n"
	    "svg.chart text{font-size:12px;fill:#222}\n"
	    "table{border-collapse:collapse;margin-top:1em}\n"
	    "th,td{border-bottom:1px solid #ddd;padding:.3em .7em;"
	    "text-align:left}\n"
	    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	    "td.null{color:#aaa}\n"
	    "</style>\n</head>\n<body>\n<h1>");
	crm_html_escape(out, r->title);
	crm_buf_adds(out, "</h1>\n<p class=\"sub\">");
	crm_html_escape(out, r->subtitle);
	crm_buf_adds(out, "</p>\n");
	if (r->chart && r->n)
		chart(out, r);
	else if (!r->n)
		crm_buf_adds(out, "<p class=\"empty\">No data.</p>\n");
	crm_buf_adds(out, "<table>\n<thead><tr>");
	for (size_t c = 0; c < cols->n; c++) {
		crm_buf_adds(out, "<th>");
		crm_html_escape(out, cols->v[c]);
		crm_buf_adds(out, "</th>");
	}
	crm_buf_adds(out, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->n; i++) {
		crm_buf_adds(out, "<tr>");
		for (size_t c = 0; c < cols->n; c++) {
			const char *v = crm_rec_get(&r->rows[i], cols->v[c]);

			crm_buf_addf(out, "<td%s>",
				     !v		  ? " class=\"null\""
				     : numeric(v) ? " class=\"n\""
						  : "");
			crm_html_escape(out, v ? v : "");
			crm_buf_adds(out, "</td>");
		}
		crm_buf_adds(out, "</tr>\n");
	}
	crm_buf_adds(out, "</tbody>\n</table>\n</body>\n</html>\n");
}
