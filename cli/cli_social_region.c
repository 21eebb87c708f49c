/* cli_social_region.c - crm-social region: where phone numbers are
 * (libphonenumber's geocoding, lib/base/phone_region.h). In a file of its
 * own so that only crm-social links libphonenumber. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_social.h"
#include "phone_region.h"

/* -- region -----------------------------------------------------------------
 */

static const char *const region_cols[] = {
    "phone", "e164", "country", "region", "province", "city", "type", NULL,
};

/* A Chinese number's region as province and city, as libphonenumber's
 * zh/86 data writes it: "广东省深圳市" -> 广东省, 深圳市; an autonomous
 * region by its short name, "新疆乌鲁木齐市" -> 新疆, 乌鲁木齐市; a
 * municipality, "北京市" -> 北京市 both. English, "Shenzhen, Guangdong"
 * -> Guangdong, Shenzhen; "Beijing" -> Beijing both. */
static void split_cn(const char *r, struct crm_buf *prov, struct crm_buf *city)
{
	static const char *const heads[] = {
	    "内蒙古自治区",
	    "广西壮族自治区",
	    "西藏自治区",
	    "宁夏回族自治区",
	    "新疆维吾尔自治区",
	    "内蒙古",
	    "广西",
	    "西藏",
	    "宁夏",
	    "新疆",
	    NULL,
	};
	const char *comma = strstr(r, ", "), *e;

	if (comma) {
		crm_buf_adds(prov, comma + 2);
		crm_buf_add(city, r, (size_t)(comma - r));
		return;
	}
	for (size_t i = 0; heads[i]; i++) {
		size_t n = strlen(heads[i]);

		if (!strncmp(r, heads[i], n) && r[n]) {
			crm_buf_add(prov, r, n);
			crm_buf_adds(city, r + n);
			return;
		}
	}
	e = strstr(r, "省");
	if (e && e[strlen("省")]) {
		e += strlen("省");
		crm_buf_add(prov, r, (size_t)(e - r));
		crm_buf_adds(city, e);
		return;
	}
	crm_buf_adds(prov, r);
	crm_buf_adds(city, r);
}

int crm_verb_social_region(struct crm_cli *cli)
{
	struct crm_social_cli_opts *so = cli->opts;
	const char *country = so->country ? so->country : crm_phone_country();
	struct crm_writer *w = NULL;
	struct crm_strv nums = {0};
	struct crm_rec rec;
	int status = 0;

	crm_rec_init(&rec);
	if (cli->from_stdin) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t got;

		while ((got = getline(&line, &cap, stdin)) > 0) {
			while (got &&
			       (line[got - 1] == '\n' || line[got - 1] == '\r'))
				line[--got] = '\0';
			if (got)
				crm_strv_push(&nums, line);
		}
		free(line);
	}
	for (size_t i = 0; i < cli->args.n; i++)
		crm_strv_push(&nums, cli->args.v[i]);
	if (!nums.n) {
		crm_err_set(
		    &cli->err, CRM_EX_USAGE,
		    "region needs phone numbers (arguments or --stdin)");
		goto fail;
	}
	if (!(w = crm_social_open_out(cli, region_cols)))
		goto fail;
	for (size_t i = 0; i < nums.n; i++) {
		struct crm_phone_geo g;
		struct crm_buf prov = {0}, city = {0};
		char why[512];
		int rc;

		rc = crm_phone_geo(nums.v[i], country, so->lang, &g, why,
				   sizeof(why));
		if (rc == CRM_PHONE_UNAVAILABLE) {
			crm_err_set(&cli->err, CRM_EX_CONFIG, "%s", why);
			goto fail;
		}
		if (rc < 0) {
			crm_err_set(&cli->err, CRM_EX_DATAERR,
				    "invalid phone number '%.60s': %s",
				    nums.v[i], why);
			goto fail;
		}
		if (!strcmp(g.country, "CN") && g.region[0])
			split_cn(g.region, &prov, &city);
		crm_rec_clear(&rec);
		crm_rec_adds(&rec, "phone", nums.v[i]);
		crm_rec_adds(&rec, "e164", g.e164);
		crm_rec_adds(&rec, "country", g.country[0] ? g.country : NULL);
		crm_rec_adds(&rec, "region", g.region[0] ? g.region : NULL);
		crm_rec_adds(&rec, "province", prov.len ? prov.s : NULL);
		crm_rec_adds(&rec, "city", city.len ? city.s : NULL);
		crm_rec_adds(&rec, "type", g.valid ? g.type : "invalid");
		crm_buf_release(&prov);
		crm_buf_release(&city);
		rc = crm_writer_write(w, &rec);
		if (rc < 0)
			goto fail_io;
	}
	if (crm_writer_close(w) < 0)
		goto fail_io;
	goto out;
fail_io:
	crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
		    strerror(errno));
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_strv_release(&nums);
	return status;
}
