/* quote_doc.h - the customer-facing quote document: a template the user
 * can change, expanded with the quote (crm_quote_doc), written as one
 * self-contained HTML page or as a PDF (Pango and Cairo, fonts embedded).
 *
 * Templates: {{name}} is a field of the quote (or, inside a section, of
 * the line, group or tax it walks), escaped for HTML or Pango markup;
 * {{#lines}}...{{/lines}} repeats for each line (also groups, taxes);
 * {{#name}}...{{/name}} keeps its text only when name has a value,
 * {{^name}}...{{/name}} only when it has none. */
#ifndef CRM_QUOTE_DOC_H
#define CRM_QUOTE_DOC_H

#include <jansson.h>

#include "util.h"

/* Expand template tmpl (read from name, for errors) with doc into out,
 * values escaped (& < > " '). CRM_EX_CONFIG at name:line on a bad
 * template. */
int crm_template_expand(const char *tmpl, const char *name, json_t *doc,
			struct crm_buf *out, struct crm_err *err);
/* The HTML document. */
int crm_quote_html(json_t *doc, const char *tmpl, const char *name,
		   struct crm_buf *out, struct crm_err *err);
/* The PDF document: the template expands to Pango markup, one paragraph
 * per line; a line "---" is a rule, "@page" a new page, "@tabs 300r
 * 400r ..." sets tab stops in points (r: right-aligned), "@font
 * DESCRIPTION" the font of the lines after it. A4, fonts embedded. */
int crm_quote_pdf(json_t *doc, const char *tmpl, const char *name,
		  struct crm_buf *out, struct crm_err *err);

#endif
