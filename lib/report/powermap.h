/* powermap.h - a power map (lib/domain/role.h) as a self-contained HTML
 * page: an inline SVG diagram, no scripts, no outside resources. */
#ifndef CRM_POWERMAP_H
#define CRM_POWERMAP_H

#include "role.h"
#include "util.h"

void crm_powermap_html(const struct crm_powermap *pm, struct crm_buf *out);

#endif
