/* crm-product - the catalogue: add, import, list, show, update, delete,
 * export, tag, undo (the entity engine's), and price (the pricing engine
 * over a price book, every step told). */
#include "cli.h"
#include "cli_product.h"
#include "product.h"

static const struct crm_verb verbs[] = {
    {CRM_VERB_ADD("product")},
    {"import", "[FILE...]",
     "Insert or update products from CSV, TSV, JSON or NDJSON (stdin "
     "without FILE)",
     crm_import_options, crm_entity_opts_parse, crm_verb_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {CRM_VERB_LIST("products")},
    {"show", "ID|SKU|EXTERNAL_ID", "Show one product", NULL, NULL,
     crm_verb_show, 0},
    {CRM_VERB_UPDATE("products")},
    {CRM_VERB_DELETE("products", crm_entity_opts_parse)},
    {CRM_VERB_EXPORT("product")},
    {CRM_VERB_TAG},
    {CRM_VERB_UNDO("Revert a change (an update, tag or delete)")},
    {"price", "SKU",
     "The unit and extended price of SKU from a price book; --explain "
     "prints every step",
     crm_product_price_options, crm_product_opts_parse, crm_verb_product_price,
     0},
};

static const struct crm_command command = {
    "crm-product",
    "Products: the catalogue, price books and the pricing engine.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_product_entity,
};

int main(int argc, char **argv)
{
	struct crm_product_opts opts = {0};
	int status = crm_cli_main(&command, &opts, argc, argv);

	crm_entity_opts_release(&opts.e);
	crm_strv_release(&opts.attrs);
	return status;
}
