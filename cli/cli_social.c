/* cli_social.c - crm-social interactions (social exports to activities),
 * region (where a phone number is) and crm-lead capture (web form bodies
 * to leads). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_social.h"
#include "social.h"

enum {
	OPT_NO_MODEL = 0x340,
	OPT_THRESHOLD,
	OPT_COUNTRY,
	OPT_LANG,
	OPT_CAMPAIGN,
	OPT_SOURCE,
	OPT_PLATFORM,
};

const struct argp_option crm_social_interactions_options[] = {
    {"platform", OPT_PLATFORM, "PLATFORM", 0,
     "The platform of records without a platform column (a LinkedIn "
     "messages.csv, a WeChat export)",
     0},
    {"no-model", OPT_NO_MODEL, 0, 0,
     "Find the people of unknown identities by equal email or phone only, "
     "not with the dedupe model as well",
     0},
    {"duplicate-threshold", OPT_THRESHOLD, "P", 0,
     "The model's match probability (percent, 0-100) from which an unknown "
     "identity's person is an existing lead or contact (default 50)",
     0},
    {0},
};

const struct argp_option crm_social_region_options[] = {
    {"country", OPT_COUNTRY, "CC", 0,
     "The country of numbers written without one: a region code (CN) or a "
     "calling code (86); default $CRM_PHONE_COUNTRY",
     0},
    {"lang", OPT_LANG, "LANG", 0,
     "The language of region names (zh, en, de ...; default: zh for "
     "Chinese numbers, en otherwise)",
     0},
    {0},
};

error_t crm_social_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_social_cli_opts *o = cli->opts;
	char *end;
	double p;

	switch (key) {
	case OPT_NO_MODEL:
		o->no_model = true;
		return 0;
	case OPT_THRESHOLD:
		errno = 0;
		p = strtod(arg, &end);
		if (errno || end == arg || *end || p < 0 || p > 100)
			argp_error(state,
				   "--duplicate-threshold: expected a "
				   "percentage 0-100, got '%s'",
				   arg);
		o->threshold = arg;
		return 0;
	case OPT_PLATFORM:
		if (!crm_social_platform(arg))
			argp_error(state, "--platform: unknown platform '%s'",
				   arg);
		o->platform = arg;
		return 0;
	case OPT_COUNTRY:
		o->country = arg;
		return 0;
	case OPT_LANG:
		o->lang = arg;
		return 0;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
}

/* -- interactions --------------------------------------------------------- */

struct out_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_rec rec;
};

void crm_social_add_num(struct crm_rec *r, const char *name, long long v)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", v);
	crm_rec_add(r, name, strlen(name), num, strlen(num), CRM_RAW);
}

static const char *const interaction_cols[] = {
    "file", "line", "entity", "id", "activity_id", "action", "how", NULL,
};

static int emit_interaction(const char *input, const struct crm_rec *in,
			    const char *entity, int64_t id, int64_t activity,
			    const char *action, const char *how, void *arg)
{
	struct out_ctx *oc = arg;

	crm_rec_clear(&oc->rec);
	crm_rec_adds(&oc->rec, "file", input);
	crm_social_add_num(&oc->rec, "line", in->line);
	crm_rec_adds(&oc->rec, "entity", entity);
	crm_social_add_num(&oc->rec, "id", id);
	crm_social_add_num(&oc->rec, "activity_id", activity);
	crm_rec_adds(&oc->rec, "action", action);
	crm_rec_adds(&oc->rec, "how", how);
	return crm_writer_write(oc->w, &oc->rec);
}

struct crm_writer *crm_social_open_out(struct crm_cli *cli,
				       const char *const *names)
{
	struct crm_strv cols = {0};
	struct crm_writer *w;
	size_t n = 0;

	while (names[n])
		n++;
	if (crm_cli_fixed_columns(cli, names, n, &cols) < 0)
		return NULL;
	w = crm_cli_writer(cli, &cols);
	crm_strv_release(&cols);
	return w;
}

int crm_verb_social_interactions(struct crm_cli *cli)
{
	struct crm_social_cli_opts *so = cli->opts;
	struct crm_social_opts o = {
	    .dry_run = cli->dry_run,
	    .model = !so->no_model,
	    .threshold =
		so->threshold ? strtod(so->threshold, NULL) / 100 : 0.5,
	    .platform = so->platform,
	};
	struct out_ctx oc = {.cli = cli};
	struct crm_social_stats st;
	struct crm_reader **rs = NULL;
	FILE **fps = NULL;
	size_t n = 0;
	int status = 0;

	crm_rec_init(&oc.rec);
	if (crm_cli_readers(cli, &rs, &n, &fps) < 0)
		goto fail;
	if (!(oc.w = crm_social_open_out(cli, interaction_cols)))
		goto fail;
	o.emit = emit_interaction;
	o.emit_arg = &oc;
	if (crm_social_import(cli->db, rs, n, &o, &st, &cli->err) < 0)
		goto fail;
	if (crm_writer_close(oc.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	crm_cli_note(
	    cli,
	    "%s%llu interactions: %llu activities added, %llu "
	    "already there; %llu identities added, %llu new leads, "
	    "%llu existing people found by the duplicate check",
	    cli->dry_run ? "dry run: " : "", (unsigned long long)st.records,
	    (unsigned long long)st.activities, (unsigned long long)st.unchanged,
	    (unsigned long long)st.identities, (unsigned long long)st.leads,
	    (unsigned long long)st.linked);
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(oc.w);
	crm_rec_release(&oc.rec);
	crm_cli_readers_free(rs, fps, n);
	return status;
}

/* -- crm-lead capture
 * ---------------------------------------------------------- */

static struct {
	const char *campaign, *source;
} capture;

const struct argp_option crm_lead_capture_options[] = {
    {"campaign", OPT_CAMPAIGN, "CAMPAIGN", 0,
     "The campaign (id, name or external id) of bodies without "
     "utm_campaign",
     0},
    {"source", OPT_SOURCE, "SOURCE", 0,
     "The lead source of bodies without utm_source (default: web form)", 0},
    {0},
};

error_t crm_lead_capture_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_CAMPAIGN:
		capture.campaign = arg;
		return 0;
	case OPT_SOURCE:
		capture.source = arg;
		return 0;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
}

static const char *const capture_cols[] = {
    "file", "entity", "id", "action", "campaign_id", NULL,
};

static int emit_form(const char *input, const char *entity, int64_t id,
		     const char *action, int64_t campaign, void *arg)
{
	struct out_ctx *oc = arg;

	crm_rec_clear(&oc->rec);
	crm_rec_adds(&oc->rec, "file", input);
	crm_rec_adds(&oc->rec, "entity", entity);
	crm_social_add_num(&oc->rec, "id", id);
	crm_rec_adds(&oc->rec, "action", action);
	if (campaign)
		crm_social_add_num(&oc->rec, "campaign_id", campaign);
	else
		crm_rec_adds(&oc->rec, "campaign_id", NULL);
	return crm_writer_write(oc->w, &oc->rec);
}

static void warn_form(const char *input, const char *campaign, void *arg)
{
	struct out_ctx *oc = arg;

	crm_cli_note(oc->cli,
		     "%s: utm_campaign '%.80s' names no campaign: no "
		     "membership",
		     input, campaign);
}

/* The files of args: files as given, folders' regular files (not
 * hidden) in name order. */
static int form_paths(struct crm_cli *cli, struct crm_strv *paths)
{
	for (size_t i = 0; i < cli->args.n; i++) {
		const char *a = cli->args.v[i];
		struct stat sb;
		DIR *d;
		struct dirent *de;
		size_t first = paths->n;

		if (!strcmp(a, "-")) {
			crm_strv_push(paths, a);
			continue;
		}
		if (stat(a, &sb) < 0)
			return crm_err_at(&cli->err, CRM_EX_NOINPUT, a, 0, NULL,
					  "cannot open: %s", strerror(errno));
		if (!S_ISDIR(sb.st_mode)) {
			crm_strv_push(paths, a);
			continue;
		}
		if (!(d = opendir(a)))
			return crm_err_at(&cli->err, CRM_EX_NOINPUT, a, 0, NULL,
					  "cannot open: %s", strerror(errno));
		while ((de = readdir(d))) {
			char *p;
			struct stat fb;

			if (de->d_name[0] == '.')
				continue;
			p = crm_xasprintf("%s%s%s", a,
					  a[strlen(a) - 1] == '/' ? "" : "/",
					  de->d_name);
			if (stat(p, &fb) == 0 && S_ISREG(fb.st_mode))
				crm_strv_push(paths, p);
			free(p);
		}
		closedir(d);
		qsort(paths->v + first, paths->n - first, sizeof(char *),
		      crm_str_cmp);
	}
	return 0;
}

int crm_verb_lead_capture(struct crm_cli *cli)
{
	struct crm_form_opts o = {
	    .dry_run = cli->dry_run,
	    .campaign = capture.campaign,
	    .source = capture.source,
	};
	struct out_ctx oc = {.cli = cli};
	struct crm_form_stats st;
	struct crm_strv paths = {0};
	int status = 0;

	crm_rec_init(&oc.rec);
	if (!cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "capture needs form body files or folders");
		goto fail;
	}
	if (form_paths(cli, &paths) < 0)
		goto fail;
	if (!(oc.w = crm_social_open_out(cli, capture_cols)))
		goto fail;
	o.emit = emit_form;
	o.emit_arg = &oc;
	o.warn = warn_form;
	if (crm_form_capture(cli->db, (const char *const *)paths.v, paths.n, &o,
			     &st, &cli->err) < 0)
		goto fail;
	if (crm_writer_close(oc.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	crm_cli_note(
	    cli,
	    "%s%llu forms: %llu leads added, %llu updated, %llu "
	    "unchanged, %llu of contacts; %llu campaign members "
	    "added",
	    cli->dry_run ? "dry run: " : "", (unsigned long long)st.forms,
	    (unsigned long long)st.leads, (unsigned long long)st.updated,
	    (unsigned long long)st.unchanged, (unsigned long long)st.contacts,
	    (unsigned long long)st.members);
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(oc.w);
	crm_rec_release(&oc.rec);
	crm_strv_release(&paths);
	return status;
}
