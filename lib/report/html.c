/* html.c - a report as one self-contained HTML page. */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "svg.h"

void crm_html_escape(struct crm_buf *out, const char *s)
{
	crm_buf_add_html(out, s);
}

void crm_html_report(struct crm_buf *out, const struct crm_report *r,
		     const struct crm_strv *cols)
{
	if (!cols)
		cols = &r->cols;
	crm_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			  "<meta charset=\"utf-8\">\n<title>");
	crm_html_escape(out, r->title);
	crm_buf_adds(out, "</title>\n<style>\n");
	crm_buf_adds(out, crm_svg_css);
	crm_buf_adds(
	    out,
	    ""
	    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\n"
	    "h1{font-size:1.4em;margin-bottom:0}\n"
	    "p.sub{color:#666;margin-top:.2em}\n"
	    "</style>\n</head>\n<body>\n<h1>");
	crm_html_escape(out, r->title);
	crm_buf_adds(out, "</h1>\n<p class=\"sub\">");
	crm_html_escape(out, r->subtitle);
	crm_buf_adds(out, "</p>\n");
	if (r->chart && r->n)
		crm_svg_report(out, r);
	else if (!r->n)
		crm_buf_adds(out, "<p class=\"empty\">No data.</p>\n");
	crm_buf_adds(out, "<details open><summary>All columns</summary>\n");
	crm_svg_table(out, r, cols);
	crm_buf_adds(out, "</details>\n</body>\n</html>\n");
}
