/* powermap.c - the power map as HTML: one box per person, placed by its
 * depth in the reporting lines (x) and its place in tree order (y), a line
 * to its manager, coloured by attitude, drawn thicker for more influence,
 * with the gaps listed under it. */
#include <string.h>

#include "html.h"
#include "powermap.h"

#define BOX_W 260
#define BOX_H 58
#define STEP_X 40
#define STEP_Y 72

/* The top left corner of the box of person i at depth d. */
static int box_x(int d)
{
	return 20 + d * STEP_X;
}

static int box_y(size_t i)
{
	return 20 + (int)i * STEP_Y;
}

static const char *fill_of(const char *attitude)
{
	if (attitude && !strcmp(attitude, "supporter"))
		return "#d9f2d9";
	if (attitude && !strcmp(attitude, "opponent"))
		return "#f8d0d0";
	return "#eeeeee";
}

static int stroke_of(const char *influence)
{
	if (influence && !strcmp(influence, "high"))
		return 4;
	if (influence && !strcmp(influence, "low"))
		return 1;
	return 2;
}

static void text(struct crm_buf *out, int x, int y, const char *cls,
		 const char *s)
{
	crm_buf_addf(out, "<text x=\"%d\" y=\"%d\" class=\"%s\">", x, y, cls);
	crm_html_escape(out, s ? s : "");
	crm_buf_adds(out, "</text>\n");
}

void crm_powermap_html(const struct crm_powermap *pm, struct crm_buf *out)
{
	int maxdepth = 0, w, h;
	char line[160];

	for (size_t i = 0; i < pm->n; i++)
		if (pm->p[i].depth > maxdepth)
			maxdepth = pm->p[i].depth;
	w = box_x(maxdepth) + BOX_W + 20;
	h = box_y(pm->n ? pm->n : 1);
	crm_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			  "<meta charset=\"utf-8\">\n<title>Power map: ");
	crm_html_escape(out, pm->title);
	crm_buf_adds(
	    out,
	    "</title>\n<style>\nbody{font-family:sans-serif;margin:1.5em}\n"
	    "text.name{font-weight:bold;font-size:14px}\n"
	    "text.sub{font-size:12px;fill:#333}\n"
	    "text.flag{font-size:12px;fill:#b00000;font-weight:bold}\n"
	    "li.gap{color:#b00000}\n</style>\n</head>\n<body>\n<h1>Power "
	    "map: ");
	crm_html_escape(out, pm->title);
	crm_buf_addf(out, "</h1>\n<p>%s %lld; %zu %s.</p>\n",
		     pm->deal_id ? "Deal" : "Company",
		     (long long)(pm->deal_id ? pm->deal_id : pm->company_id),
		     pm->n, pm->n == 1 ? "person" : "people");
	crm_buf_addf(
	    out,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"powermap\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\">\n",
	    w, h, w, h);
	/* lines first, under the boxes */
	for (size_t i = 0; i < pm->n; i++)
		for (size_t k = 0; pm->p[i].parent && k < i; k++)
			if (pm->p[k].contact_id == pm->p[i].parent)
				crm_buf_addf(out,
					     "<path class=\"line\" d=\"M%d %d "
					     "V%d H%d\" fill=\"none\" "
					     "stroke=\"#777\"/>\n",
					     box_x(pm->p[k].depth) + 12,
					     box_y(k) + BOX_H,
					     box_y(i) + BOX_H / 2,
					     box_x(pm->p[i].depth));
	for (size_t i = 0; i < pm->n; i++) {
		const struct crm_pm_person *x = &pm->p[i];
		int bx = box_x(x->depth), by = box_y(i);

		crm_buf_addf(out,
			     "<g class=\"person\" data-contact=\"%lld\">\n"
			     "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			     "height=\"%d\" rx=\"6\" fill=\"%s\" "
			     "stroke=\"#333\" stroke-width=\"%d\"/>\n",
			     (long long)x->contact_id, bx, by, BOX_W, BOX_H,
			     fill_of(x->attitude), stroke_of(x->influence));
		snprintf(line, sizeof(line), "%s%s%s", x->name,
			 x->title ? ", " : "", x->title ? x->title : "");
		text(out, bx + 8, by + 18, "name", line);
		snprintf(line, sizeof(line), "%s · %s · %s influence",
			 x->roles ? x->roles : "",
			 x->attitude ? x->attitude : "",
			 x->influence ? x->influence : "");
		text(out, bx + 8, by + 34, "sub", line);
		if (x->days < 0)
			snprintf(line, sizeof(line), "never touched · owner %s",
				 x->owner ? x->owner : "-");
		else
			snprintf(line, sizeof(line),
				 "touched %ld days ago · owner %s", x->days,
				 x->owner ? x->owner : "-");
		text(out, bx + 8, by + 50, "sub", line);
		if (*x->flags)
			text(out, bx + BOX_W - 70, by + 18, "flag", x->flags);
		crm_buf_adds(out, "</g>\n");
	}
	crm_buf_adds(out, "</svg>\n");
	if (pm->gaps.n) {
		crm_buf_adds(out, "<h2>Gaps</h2>\n<ul>\n");
		for (size_t i = 0; i < pm->gaps.n; i++) {
			crm_buf_adds(out, "<li class=\"gap\">");
			crm_html_escape(out, pm->gaps.v[i]);
			crm_buf_adds(out, "</li>\n");
		}
		crm_buf_adds(out, "</ul>\n");
	} else {
		crm_buf_adds(out, "<p>No gaps.</p>\n");
	}
	crm_buf_adds(out, "</body>\n</html>\n");
}
