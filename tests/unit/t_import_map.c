/* t_import_map.c - loose column names, every entity's aliases, the
 * mapping of a set of columns (one per field, the best match first), and
 * whole names split into first and last. */
#include <stdlib.h>

#include "contact.h"
#include "import_map.h"
#include "test.h"

static char what[512];

static void norm_is(const char *s, const char *want)
{
	struct crm_buf b = {0};

	crm_header_norm(s, &b);
	snprintf(what, sizeof(what), "'%s' -> '%s'", s, want);
	CHECK_STR(crm_buf_str(&b), want, what);
	crm_buf_release(&b);
}

/* name, how: the mapping of cols ("|"-separated) for entity e */
static void maps(const char *entity, const char *cols, const char *want)
{
	const struct crm_entity *e = crm_entity_by_name(entity);
	struct crm_colmap_opts o = {.match = true};
	struct crm_strv names = {0};
	struct crm_buf got = {0};
	struct crm_err err = {0};
	struct crm_colmap *m = crm_colmap_new(NULL, e, &o, &err);
	const struct crm_colmap_col *c;

	crm_strv_split(&names, cols, '|');
	c = m ? crm_colmap_columns(m, &names, &err) : NULL;
	for (size_t j = 0; c && j < names.n; j++)
		crm_buf_addf(&got, "%s%s%s %s", j ? "|" : "",
			     c[j].custom ? "custom:" : "",
			     c[j].name ? c[j].name : "-",
			     crm_map_how_name(c[j].how));
	snprintf(what, sizeof(what), "%s: %s", entity, cols);
	CHECK_STR(c ? crm_buf_str(&got) : err.msg, want, what);
	crm_buf_release(&got);
	crm_strv_release(&names);
	crm_colmap_free(m);
}

static void split_is(const char *name, const char *first, const char *last)
{
	struct crm_row row;

	crm_row_init(&row, &crm_contact_entity);
	json_object_set_new(row.custom, "name", json_string(name));
	crm_row_take_full_name(&row);
	snprintf(what, sizeof(what), "'%s': first name", name);
	CHECK_STR(crm_row_get(&row, "first_name"), first, what);
	snprintf(what, sizeof(what), "'%s': last name", name);
	CHECK_STR(crm_row_get(&row, "last_name"), last, what);
	CHECK(!json_object_get(row.custom, "name"), "name taken");
	crm_row_release(&row);
}

int main(void)
{
	static const char *const entities[] = {
	    "contact", "company", "lead", "deal", "ticket", "activity", NULL};

	norm_is("First Name", "firstname");
	norm_is("first_name", "firstname");
	norm_is("FirstName", "firstname");
	norm_is("E-mail", "email");
	norm_is("  Phone #  ", "phone");
	norm_is("Probability (%)", "probability");
	norm_is("Ｅｍａｉｌ", "email"); /* full width */
	norm_is("公司名称", "公司名称");
	norm_is("国家/地区", "国家地区");
	norm_is("STRASSE", "strasse");
	norm_is("Straße", "strasse");

	/* every entity's aliases name its fields or input columns */
	for (size_t i = 0; entities[i]; i++) {
		struct crm_colmap_opts o = {.match = true};
		struct crm_err err = {0};
		struct crm_colmap *m = crm_colmap_new(
		    NULL, crm_entity_by_name(entities[i]), &o, &err);

		snprintf(what, sizeof(what), "%s: aliases load (%s)",
			 entities[i], err.msg);
		CHECK(m != NULL, what);
		crm_colmap_free(m);
	}

	maps("contact", "Email|First Name|手机|公司名称",
	     "email normalized|first_name normalized|phone alias|company "
	     "alias");
	maps("contact", "ID|Company ID|Contact ID",
	     "custom:ID custom|custom:Company ID custom|external_id alias");
	maps("contact", "Mobile|Phone Number|phone",
	     "custom:Mobile custom|custom:Phone Number custom|phone exact");
	maps("contact", "Mobile|Phone Number",
	     "phone alias|custom:Phone Number custom");
	maps("contact", "external_id|error_line|error",
	     "external_id exact|- ignored|- ignored");
	maps("deal", "Account Name|Stage|Amount",
	     "company alias|stage normalized|amount normalized");
	maps("ticket", "Email|Case Subject", "email normalized|subject alias");

	/* the usual names of the common fields, for the entities whose
	 * aliases take them ({CRM_ALIASES_COMMON}), of the fields each has */
	maps("contact", "Created Date|Tag|Last Activity Date|Modified",
	     "created_at alias|tags alias|last_activity_at alias|updated_at "
	     "alias");
	maps("lead", "Label|最后跟进时间",
	     "custom:Label custom|last_activity_at alias");
	maps("campaign", "Last Activity|标签",
	     "custom:Last Activity custom|tags alias");
	maps("ticket", "Opened|Last Activity|Label",
	     "created_at alias|custom:Last Activity custom|tags alias");
	maps("asset", "Created Date|Tag",
	     "custom:Created Date custom|custom:Tag custom");
	maps("article", "Label", "tags alias");

	split_is("Ann Lee", "Ann", "Lee");
	split_is("Ann Marie Lee", "Ann Marie", "Lee");
	split_is("Lee, Ann", "Ann", "Lee");
	split_is("张伟", "伟", "张");
	split_is("欧阳娜娜", "娜娜", "欧阳");
	split_is("Cher", "Cher", NULL);
	split_is("  ", NULL, NULL);
	return done_testing();
}
