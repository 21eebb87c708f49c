/* quote_pdf.c - the quote as a PDF: the template expanded to Pango markup,
 * laid out by Pango (shaping, line breaking, font fallback for Chinese,
 * Japanese and accented text) and drawn by Cairo's PDF surface, which
 * embeds the subsets of the fonts used. */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "dl.h"
#include "quote_doc.h"

/* Pango and Cairo (and the fonts, HarfBuzz, FreeType... they bring) are
 * loaded at the first PDF, not at every start of crm-quote (dl.h): these
 * are the symbols this file uses, called through the table. */
#define PC_SYMS(X)                                                             \
	X(cairo_create)                                                        \
	X(cairo_destroy)                                                       \
	X(cairo_line_to)                                                       \
	X(cairo_move_to)                                                       \
	X(cairo_pdf_surface_create_for_stream)                                 \
	X(cairo_set_line_width)                                                \
	X(cairo_show_page)                                                     \
	X(cairo_status_to_string)                                              \
	X(cairo_stroke)                                                        \
	X(cairo_surface_destroy)                                               \
	X(cairo_surface_finish)                                                \
	X(cairo_surface_status)                                                \
	X(g_error_free)                                                        \
	X(g_free)                                                              \
	X(g_object_unref)                                                      \
	X(pango_attr_list_unref)                                               \
	X(pango_cairo_create_layout)                                           \
	X(pango_cairo_show_layout)                                             \
	X(pango_font_description_free)                                         \
	X(pango_font_description_from_string)                                  \
	X(pango_layout_get_size)                                               \
	X(pango_layout_set_attributes)                                         \
	X(pango_layout_set_font_description)                                   \
	X(pango_layout_set_tabs)                                               \
	X(pango_layout_set_text)                                               \
	X(pango_layout_set_width)                                              \
	X(pango_layout_set_wrap)                                               \
	X(pango_parse_markup)                                                  \
	X(pango_tab_array_free)                                                \
	X(pango_tab_array_new)                                                 \
	X(pango_tab_array_resize)                                              \
	X(pango_tab_array_set_tab)
CRM_DL_TABLE(pc, PC_SYMS)
static struct crm_dl pc_dl =
    CRM_DL_INIT(pc, "libpangocairo-1.0.so.0", "CRM_LIBPANGOCAIRO",
		"a PDF quote", "libpangocairo-1.0-0");
#define cairo_create CRM_DL_CALL(pc, cairo_create)
#define cairo_destroy CRM_DL_CALL(pc, cairo_destroy)
#define cairo_line_to CRM_DL_CALL(pc, cairo_line_to)
#define cairo_move_to CRM_DL_CALL(pc, cairo_move_to)
#define cairo_pdf_surface_create_for_stream                                    \
	CRM_DL_CALL(pc, cairo_pdf_surface_create_for_stream)
#define cairo_set_line_width CRM_DL_CALL(pc, cairo_set_line_width)
#define cairo_show_page CRM_DL_CALL(pc, cairo_show_page)
#define cairo_status_to_string CRM_DL_CALL(pc, cairo_status_to_string)
#define cairo_stroke CRM_DL_CALL(pc, cairo_stroke)
#define cairo_surface_destroy CRM_DL_CALL(pc, cairo_surface_destroy)
#define cairo_surface_finish CRM_DL_CALL(pc, cairo_surface_finish)
#define cairo_surface_status CRM_DL_CALL(pc, cairo_surface_status)
#define g_error_free CRM_DL_CALL(pc, g_error_free)
#define g_free CRM_DL_CALL(pc, g_free)
#define g_object_unref CRM_DL_CALL(pc, g_object_unref)
#define pango_attr_list_unref CRM_DL_CALL(pc, pango_attr_list_unref)
#define pango_cairo_create_layout CRM_DL_CALL(pc, pango_cairo_create_layout)
#define pango_cairo_show_layout CRM_DL_CALL(pc, pango_cairo_show_layout)
#define pango_font_description_free CRM_DL_CALL(pc, pango_font_description_free)
#define pango_font_description_from_string                                     \
	CRM_DL_CALL(pc, pango_font_description_from_string)
#define pango_layout_get_size CRM_DL_CALL(pc, pango_layout_get_size)
#define pango_layout_set_attributes CRM_DL_CALL(pc, pango_layout_set_attributes)
#define pango_layout_set_font_description                                      \
	CRM_DL_CALL(pc, pango_layout_set_font_description)
#define pango_layout_set_tabs CRM_DL_CALL(pc, pango_layout_set_tabs)
#define pango_layout_set_text CRM_DL_CALL(pc, pango_layout_set_text)
#define pango_layout_set_width CRM_DL_CALL(pc, pango_layout_set_width)
#define pango_layout_set_wrap CRM_DL_CALL(pc, pango_layout_set_wrap)
#define pango_parse_markup CRM_DL_CALL(pc, pango_parse_markup)
#define pango_tab_array_free CRM_DL_CALL(pc, pango_tab_array_free)
#define pango_tab_array_new CRM_DL_CALL(pc, pango_tab_array_new)
#define pango_tab_array_resize CRM_DL_CALL(pc, pango_tab_array_resize)
#define pango_tab_array_set_tab CRM_DL_CALL(pc, pango_tab_array_set_tab)

#define PAGE_W 595.0 /* A4 in points */
#define PAGE_H 842.0
#define MARGIN 50.0

static cairo_status_t to_buf(void *closure, const unsigned char *data,
			     unsigned int length)
{
	crm_buf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

static PangoTabArray *parse_tabs(const char *s)
{
	PangoTabArray *t = pango_tab_array_new(0, FALSE);
	int i = 0;

	while (*s) {
		char *end;
		double pos = strtod(s, &end);
		PangoTabAlign a = PANGO_TAB_LEFT;

		if (end == s)
			break;
		if (*end == 'r') {
			a = PANGO_TAB_RIGHT;
			end++;
		}
		pango_tab_array_resize(t, i + 1);
		pango_tab_array_set_tab(t, i++, a, (gint)(pos * PANGO_SCALE));
		s = end;
		while (*s == ' ')
			s++;
	}
	return t;
}

int crm_quote_pdf(json_t *doc, const char *tmpl, const char *name,
		  struct crm_buf *out, struct crm_err *err)
{
	struct crm_buf text = {0};
	cairo_surface_t *surf = NULL;
	cairo_t *cr = NULL;
	PangoLayout *layout = NULL;
	PangoFontDescription *font = NULL;
	PangoTabArray *tabs = NULL;
	double y = MARGIN;
	long lineno = 0;
	char *p, *nl;
	int rc = -1;

	if (crm_dl_load(&pc_dl, err) < 0 ||
	    crm_template_expand(tmpl, name, doc, &text, err) < 0)
		goto out;
	crm_buf_reset(out);
	surf = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	cr = cairo_create(surf);
	layout = pango_cairo_create_layout(cr);
	font = pango_font_description_from_string("DejaVu Sans, WenQuanYi "
						  "Micro Hei 9");
	pango_layout_set_font_description(layout, font);
	pango_layout_set_width(layout,
			       (int)((PAGE_W - 2 * MARGIN) * PANGO_SCALE));
	pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	for (p = text.s; p && *p; p = nl ? nl + 1 : NULL) {
		int w, h;
		double ph;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		if (!strcmp(p, "---")) {
			cairo_set_line_width(cr, 0.5);
			cairo_move_to(cr, MARGIN, y + 3);
			cairo_line_to(cr, PAGE_W - MARGIN, y + 3);
			cairo_stroke(cr);
			y += 8;
			continue;
		}
		if (!strcmp(p, "@page")) {
			cairo_show_page(cr);
			y = MARGIN;
			continue;
		}
		if (!strncmp(p, "@tabs", 5)) {
			if (tabs)
				pango_tab_array_free(tabs);
			tabs = parse_tabs(p + 5 + strspn(p + 5, " "));
			pango_layout_set_tabs(layout, tabs);
			continue;
		}
		if (!strncmp(p, "@font ", 6)) {
			pango_font_description_free(font);
			font = pango_font_description_from_string(p + 6);
			pango_layout_set_font_description(layout, font);
			continue;
		}
		{
			GError *ge = NULL;
			PangoAttrList *attrs = NULL;
			char *plain = NULL;

			if (!pango_parse_markup(p, -1, 0, &attrs, &plain, NULL,
						&ge)) {
				crm_err_at(err, CRM_EX_CONFIG, name, 0, NULL,
					   "line %ld of the expanded template: "
					   "%s",
					   lineno,
					   ge ? ge->message : "bad markup");
				if (ge)
					g_error_free(ge);
				goto out;
			}
			pango_layout_set_text(layout, plain, -1);
			pango_layout_set_attributes(layout, attrs);
			pango_attr_list_unref(attrs);
			g_free(plain);
		}
		pango_layout_get_size(layout, &w, &h);
		ph = (double)h / PANGO_SCALE;
		if (!*p)
			ph = ph > 0 ? ph : 6;
		if (y + ph > PAGE_H - MARGIN && y > MARGIN) {
			cairo_show_page(cr);
			y = MARGIN;
		}
		cairo_move_to(cr, MARGIN, y);
		pango_cairo_show_layout(cr, layout);
		y += ph;
	}
	cairo_show_page(cr);
	cairo_destroy(cr);
	cr = NULL;
	cairo_surface_finish(surf);
	if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		crm_err_set(err, CRM_EX_SOFTWARE, "cairo: %s",
			    cairo_status_to_string(cairo_surface_status(surf)));
		goto out;
	}
	rc = 0;
out:
	if (tabs)
		pango_tab_array_free(tabs);
	if (font)
		pango_font_description_free(font);
	if (layout)
		g_object_unref(layout);
	if (cr)
		cairo_destroy(cr);
	if (surf)
		cairo_surface_destroy(surf);
	crm_buf_release(&text);
	return rc;
}
