/* pipeline.c - pipelines and stages from share/crm/pipelines.json. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pipeline.h"
#include "share.h"

const char *const crm_fcat_names[] = {"pipeline", "best_case", "commit",
				      "closed",	  "omitted",   NULL};
const char *const crm_deal_status_names[] = {"open", "won", "lost", NULL};

int crm_fcat_parse(const char *s)
{
	for (int i = 0; s && crm_fcat_names[i]; i++)
		if (!strcmp(s, crm_fcat_names[i]))
			return i;
	return -1;
}

static int status_parse(const char *s)
{
	for (int i = 0; s && crm_deal_status_names[i]; i++)
		if (!strcmp(s, crm_deal_status_names[i]))
			return i;
	return -1;
}

void crm_pipelines_release(struct crm_pipelines *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct crm_pipeline *pl = &p->v[i];

		for (size_t k = 0; k < pl->nstages; k++) {
			free(pl->stages[k].name);
			free(pl->stages[k].label);
		}
		free(pl->stages);
		free(pl->name);
		free(pl->label);
	}
	free(p->v);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

/* A name is lower-case ASCII letters, digits and '_'. */
static bool good_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) ||
		      isdigit((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

/* The context of a message: "pipeline 'x': stage 3 ('y'): ". */
struct where {
	char pl[160], st[160];
};

static int bad(struct crm_err *err, const struct where *w, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct crm_err *err, const struct where *w, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return crm_err_set(err, CRM_EX_CONFIG, "%s%s%s", w->pl, w->st, what);
}

const char *crm_json_unknown_key(json_t *o, const char *const *known)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v)
	{
		size_t i;

		for (i = 0; known[i] && strcmp(known[i], k); i++)
			;
		if (!known[i])
			return k;
	}
	return NULL;
}

static int check_keys(json_t *o, const char *const *known, struct crm_err *err,
		      const struct where *w)
{
	const char *k = crm_json_unknown_key(o, known);

	return k ? bad(err, w, "unknown key '%s'", k) : 0;
}

static int parse_stage(json_t *o, size_t idx, struct crm_pipeline *pl,
		       struct where *w, struct crm_err *err)
{
	static const char *const keys[] = {
	    "name",	"label",  "probability", "forecast_category",
	    "max_days", "status", NULL};
	struct crm_stage *s = &pl->stages[idx];
	json_t *name = json_object_get(o, "name");
	json_t *label = json_object_get(o, "label");
	json_t *prob = json_object_get(o, "probability");
	json_t *cat = json_object_get(o, "forecast_category");
	json_t *maxd = json_object_get(o, "max_days");
	json_t *status = json_object_get(o, "status");
	int c;

	snprintf(w->st, sizeof(w->st), "stage %zu: ", idx + 1);
	if (!json_is_object(o))
		return bad(err, w, "expected an object");
	if (!json_is_string(name) || !good_name(json_string_value(name)))
		return bad(err, w,
			   "name: expected lower-case letters, digits and _");
	snprintf(w->st, sizeof(w->st), "stage %zu ('%.80s'): ", idx + 1,
		 json_string_value(name));
	if (check_keys(o, keys, err, w) < 0)
		return -1;
	for (size_t k = 0; k < idx; k++)
		if (!strcmp(pl->stages[k].name, json_string_value(name)))
			return bad(err, w, "name: stage %zu has it too", k + 1);
	if (label && !json_is_string(label))
		return bad(err, w, "label: expected a string");
	if (!json_is_number(prob) || json_number_value(prob) < 0 ||
	    json_number_value(prob) > 100)
		return bad(err, w,
			   "probability: expected a number from 0 to 100");
	c = json_is_string(cat) ? crm_fcat_parse(json_string_value(cat)) : -1;
	if (c < 0)
		return bad(err, w,
			   "forecast_category: expected pipeline, best_case, "
			   "commit, closed or omitted");
	if (maxd && (!json_is_number(maxd) || json_number_value(maxd) <= 0))
		return bad(err, w, "max_days: expected a number above 0");
	s->status = CRM_DEAL_OPEN;
	if (status) {
		int st = json_is_string(status)
			     ? status_parse(json_string_value(status))
			     : -1;
		if (st < 0)
			return bad(err, w,
				   "status: expected open, won or lost");
		s->status = (enum crm_deal_status)st;
	}
	s->name = crm_xstrdup(json_string_value(name));
	s->label = crm_xstrdup(label ? json_string_value(label) : s->name);
	s->probability = json_number_value(prob);
	s->category = (enum crm_fcat)c;
	s->max_days = maxd ? json_number_value(maxd) : 0;
	return 0;
}

static int parse_pipeline(json_t *o, size_t idx, struct crm_pipelines *p,
			  struct crm_err *err)
{
	static const char *const keys[] = {"name", "label", "stages", NULL};
	struct crm_pipeline *pl = &p->v[idx];
	json_t *name = json_object_get(o, "name");
	json_t *label = json_object_get(o, "label");
	json_t *stages = json_object_get(o, "stages");
	struct where w = {{0}, {0}};
	bool open = false, won = false, lost = false;

	snprintf(w.pl, sizeof(w.pl), "pipeline %zu: ", idx + 1);
	if (!json_is_object(o))
		return bad(err, &w, "expected an object");
	if (!json_is_string(name) || !good_name(json_string_value(name)))
		return bad(err, &w,
			   "name: expected lower-case letters, digits and _");
	snprintf(w.pl, sizeof(w.pl),
		 "pipeline '%.80s': ", json_string_value(name));
	if (check_keys(o, keys, err, &w) < 0)
		return -1;
	for (size_t k = 0; k < idx; k++)
		if (!strcmp(p->v[k].name, json_string_value(name)))
			return bad(err, &w, "name: pipeline %zu has it too",
				   k + 1);
	if (label && !json_is_string(label))
		return bad(err, &w, "label: expected a string");
	if (!json_is_array(stages) || !json_array_size(stages))
		return bad(err, &w, "stages: expected a non-empty array");
	pl->name = crm_xstrdup(json_string_value(name));
	pl->label = crm_xstrdup(label ? json_string_value(label) : pl->name);
	pl->stages = crm_xcalloc(json_array_size(stages), sizeof(*pl->stages));
	for (size_t k = 0; k < json_array_size(stages); k++) {
		pl->nstages = k + 1;
		if (parse_stage(json_array_get(stages, k), k, pl, &w, err) < 0)
			return -1;
		open |= pl->stages[k].status == CRM_DEAL_OPEN;
		won |= pl->stages[k].status == CRM_DEAL_WON;
		lost |= pl->stages[k].status == CRM_DEAL_LOST;
	}
	w.st[0] = '\0';
	if (!open || !won || !lost)
		return bad(err, &w,
			   "stages: expected at least one open, one won and "
			   "one lost stage");
	return 0;
}

/* crm_config_text_read: the pipelines file's root into p (arg). */
static int parse_pipelines(const char *name, json_t *root, void *arg,
			   struct crm_err *err)
{
	static const char *const keys[] = {"default", "pipelines", NULL};
	struct crm_pipelines *p = arg;
	struct where w = {{0}, {0}};
	json_t *pls = json_object_get(root, "pipelines");
	json_t *def = json_object_get(root, "default");

	if (check_keys(root, keys, err, &w) < 0)
		return -1;
	if (!json_is_array(pls) || !json_array_size(pls))
		return bad(err, &w, "pipelines: expected a non-empty array");
	p->v = crm_xcalloc(json_array_size(pls), sizeof(*p->v));
	for (size_t i = 0; i < json_array_size(pls); i++) {
		p->n = i + 1;
		if (parse_pipeline(json_array_get(pls, i), i, p, err) < 0)
			return -1;
	}
	if (def) {
		const struct crm_pipeline *d =
		    json_is_string(def)
			? crm_pipeline_find(p, json_string_value(def))
			: NULL;
		if (!d)
			return bad(err, &w,
				   "default: expected the name of a pipeline");
		p->def = (size_t)(d - p->v);
	}
	p->path = crm_xstrdup(name);
	return 0;
}

int crm_pipelines_parse(const char *text, const char *name,
			struct crm_pipelines *p, struct crm_err *err)
{
	memset(p, 0, sizeof(*p));
	if (crm_config_text_read(text, name,
				 "expected an object with \"pipelines\"",
				 parse_pipelines, p, err) < 0) {
		crm_pipelines_release(p);
		return -1;
	}
	return 0;
}

int crm_pipelines_load(const char *path, struct crm_pipelines *p,
		       struct crm_err *err)
{
	return crm_pipelines_parse(NULL, path, p, err);
}

const struct crm_pipelines *crm_pipelines_get(struct crm_err *err)
{
	/* read once per process; the library keeps it to the end */
	static struct crm_pipelines cached;
	static bool loaded;
	char *path;

	if (loaded)
		return &cached;
	path = crm_share_path("pipelines.json");
	if (crm_pipelines_load(path, &cached, err) == 0)
		loaded = true;
	free(path);
	return loaded ? &cached : NULL;
}

const struct crm_pipeline *crm_pipeline_find(const struct crm_pipelines *p,
					     const char *name)
{
	if (!name)
		return p->n ? &p->v[p->def] : NULL;
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].name, name))
			return &p->v[i];
	return NULL;
}

/* Lower case; space, '-' and '/' as '_'. */
static void fold(const char *in, char *out, size_t n)
{
	size_t k = 0;

	for (; *in && k + 1 < n; in++) {
		unsigned char c = (unsigned char)*in;
		out[k++] =
		    c == ' ' || c == '-' || c == '/' ? '_' : (char)tolower(c);
	}
	out[k] = '\0';
}

const struct crm_stage *crm_stage_find(const struct crm_pipeline *pl,
				       const char *name)
{
	char a[256], b[256];

	for (size_t i = 0; i < pl->nstages; i++)
		if (!strcmp(pl->stages[i].name, name))
			return &pl->stages[i];
	fold(name, a, sizeof(a));
	for (size_t i = 0; i < pl->nstages; i++) {
		if (!strcmp(pl->stages[i].name, a))
			return &pl->stages[i];
		fold(pl->stages[i].label, b, sizeof(b));
		if (!strcmp(a, b))
			return &pl->stages[i];
	}
	return NULL;
}

const struct crm_stage *crm_stage_first(const struct crm_pipeline *pl,
					enum crm_deal_status s)
{
	for (size_t i = 0; i < pl->nstages; i++)
		if (pl->stages[i].status == s)
			return &pl->stages[i];
	return NULL;
}

char *crm_pipeline_stage_list(const struct crm_pipeline *pl)
{
	struct crm_buf b = {0};

	for (size_t i = 0; i < pl->nstages; i++)
		crm_buf_addf(&b, "%s%s", i ? ", " : "", pl->stages[i].name);
	return crm_buf_detach(&b);
}
