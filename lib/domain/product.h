/* product.h - the product entity (the catalogue): SKU, units and their
 * conversions, cost, tax category, attributes with allowed values, and
 * bundles of options with rules. */
#ifndef CRM_PRODUCT_H
#define CRM_PRODUCT_H

#include <stdbool.h>
#include <stdint.h>

#include "entity.h"

extern const struct crm_entity crm_product_entity;

/* How many base units (the product's unit) one unit holds: 1 for the
 * product's own unit or NULL, else from its units ("box=12,each=1").
 * -1 with err (CRM_EX_DATAERR, field unit) when the unit has no
 * conversion. */
int crm_product_unit_factor(const struct crm_row *p, const char *unit,
			    int64_t *factor, struct crm_err *err);
/* Check attrs ("name=value" each) against the product's attributes
 * ("size=S|M|L;colour=red|blue"): every name known, every value allowed.
 * 0, or -1 with err (CRM_EX_DATAERR, field attributes). */
int crm_product_check_attrs(const struct crm_row *p,
			    const struct crm_strv *attrs, struct crm_err *err);

/* A line of a bundle as the rules see it. */
struct crm_bundle_item {
	const char *sku;
	int64_t qty;
};
/* Check the options of a bundle product (its bundle field) chosen as
 * items: required ones there, quantities within min and max, exactly one
 * of each group, nothing that is no option, and the rules (requires,
 * excludes). 0, or -1 with err (CRM_EX_DATAERR, field bundle). */
int crm_bundle_check(const struct crm_row *p,
		     const struct crm_bundle_item *items, size_t n,
		     struct crm_err *err);
/* Whether option sku of bundle p is priced in the bundle (its price is
 * the bundle's: the line is free). */
bool crm_bundle_included(const struct crm_row *p, const char *sku);

#endif
