/* import_map.c - which field each input column of an import becomes. The
 * answer for a set of columns is worked out once and kept while the
 * records' columns stay the same (always, for CSV and TSV). */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

#include "config.h"
#include "datefmt.h"
#include "import_map.h"
#include "share.h"

const char *crm_map_how_name(enum crm_map_how h)
{
	static const char *const names[] = {"map",	  "exact", "profile",
					    "normalized", "alias", "custom",
					    "ignored"};
	return names[h];
}

void crm_header_norm(const char *s, struct crm_buf *out)
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t n;

	crm_buf_reset(out);
	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT |
			     UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
			     UTF8PROC_IGNORE);
	if (n < 0) { /* not UTF-8: the ASCII letters and digits */
		for (; *s; s++)
			if ((*s >= '0' && *s <= '9') ||
			    ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z'))
				crm_buf_addc(out, (char)(*s | 0x20));
		crm_buf_str(out);
		return;
	}
	for (utf8proc_ssize_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(folded + i, n - i, &cp);
		const char *cat;

		if (k <= 0)
			break;
		cat = utf8proc_category_string(cp);
		/* P: punctuation (underscores too), Z: spaces, C: control */
		if (cat[0] != 'P' && cat[0] != 'Z' && cat[0] != 'C')
			crm_buf_add(out, (const char *)folded + i, (size_t)k);
		i += k;
	}
	crm_buf_str(out);
	free(folded);
}

/* -- targets ------------------------------------------------------------ */

static long input_index(const struct crm_entity *e, const char *s)
{
	for (long i = 0; e->inputs && e->inputs[i]; i++)
		if (!strcmp(e->inputs[i], s))
			return i;
	return -1;
}

static long field_index(const struct crm_entity *e, const char *s)
{
	long k = crm_entity_field(e, s);

	return k >= 0 && !(e->fields[k].flags & CRM_FF_HIDDEN) ? k : -1;
}

enum { CUSTOM_MAX = 200 }; /* bytes in a custom field's name */

/* A target as --map and profiles write it: a field, an input-only column
 * or custom:NAME. *t gets the field's index, nfields + the input's index,
 * or -1 with *custom the name. Returns 0, or -1 with a reason in why. */
static int parse_target(const struct crm_entity *e, const char *s, long *t,
			const char **custom, char *why, size_t nwhy)
{
	long k;

	*custom = NULL;
	if (!strncmp(s, "custom:", 7)) {
		s += 7;
		*t = -1;
		*custom = s;
		if (!*s || strlen(s) > CUSTOM_MAX) {
			snprintf(why, nwhy,
				 "custom: needs a name (1 to %d "
				 "bytes)",
				 CUSTOM_MAX);
			return -1;
		}
		if (field_index(e, s) >= 0 || input_index(e, s) >= 0) {
			snprintf(why, nwhy,
				 "'%s' is a field of %s, not a custom field", s,
				 e->plural);
			return -1;
		}
		return 0;
	}
	if ((k = field_index(e, s)) >= 0) {
		*t = k;
		return 0;
	}
	if ((k = input_index(e, s)) >= 0) {
		*t = (long)e->nfields + k;
		return 0;
	}
	snprintf(why, nwhy,
		 "no field '%s' in %s (a custom field is written "
		 "custom:%s)",
		 s, e->plural, s);
	return -1;
}

/* -- profiles ----------------------------------------------------------- */

static const char *const profile_entities[] = {
    "contact", "company", "lead", "deal", "ticket", "activity", NULL};

static const struct crm_entity *entity_by_plural(const char *plural)
{
	for (size_t i = 0; profile_entities[i]; i++) {
		const struct crm_entity *e =
		    crm_entity_by_name(profile_entities[i]);
		if (e && !strcmp(e->plural, plural))
			return e;
	}
	return NULL;
}

void crm_profile_release(struct crm_profile *p)
{
	free(p->name);
	free(p->path);
	free(p->date_format);
	json_decref(p->root);
	memset(p, 0, sizeof(*p));
}

static int profile_bad(struct crm_profile *p, const char *path,
		       struct crm_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int profile_bad(struct crm_profile *p, const char *path,
		       struct crm_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crm_err_vat(err, CRM_EX_CONFIG, path, 0, NULL, fmt, ap);
	va_end(ap);
	crm_profile_release(p);
	return -1;
}

int crm_profile_parse(const char *text, const char *path, struct crm_profile *p,
		      struct crm_err *err)
{
	const char *k;
	json_t *v;

	memset(p, 0, sizeof(*p));
	if (crm_config_parse(text, path, NULL,
			     "expected an object of entities (contacts, "
			     "companies, ...)",
			     &p->root, err) < 0)
		return -1;
	json_object_foreach(p->root, k, v)
	{
		const struct crm_entity *e;
		const char *h;
		json_t *f;

		if (!strcmp(k, "description") || !strcmp(k, "date_format")) {
			if (!json_is_string(v))
				return profile_bad(p, path, err,
						   "%s: expected a string", k);
			continue;
		}
		e = entity_by_plural(k);
		if (!e)
			return profile_bad(
			    p, path, err,
			    "unknown key '%s' (expected description, "
			    "date_format, contacts, companies, leads, deals, "
			    "tickets or activities)",
			    k);
		if (!json_is_object(v))
			return profile_bad(p, path, err,
					   "%s: expected an object of header: "
					   "field",
					   k);
		json_object_foreach(v, h, f)
		{
			char why[512], where[600];
			const char *custom;
			long t;

			if (!*h)
				return profile_bad(p, path, err,
						   "%s: empty header", k);
			snprintf(where, sizeof(where), "%s: '%s'", k, h);
			if (!json_is_string(f))
				return profile_bad(p, path, err,
						   "%s: expected a field name",
						   where);
			if (parse_target(e, json_string_value(f), &t, &custom,
					 why, sizeof(why)) < 0)
				return profile_bad(p, path, err, "%s: %s",
						   where, why);
		}
	}
	v = json_object_get(p->root, "date_format");
	if (v) {
		/* checked now, so that a bad one names the profile */
		struct crm_datefmt *df;
		struct crm_err e2;
		const char *why = e2.msg;

		crm_err_clear(&e2);
		df = crm_datefmt_new(json_string_value(v), NULL, &e2);
		if (!df) {
			if (!strncmp(why, "--date-format", 13))
				why += 13;
			return profile_bad(
			    p, path, err, "date_format%s%s",
			    *why == ':' || *why == ' ' ? "" : ": ", why);
		}
		crm_datefmt_free(df);
		p->date_format = crm_xstrdup(json_string_value(v));
	}
	p->path = crm_xstrdup(path);
	return 0;
}

/* A missing profile: name the ones there are. */
static int no_profile(const char *name, const char *path, struct crm_err *err)
{
	char *dir = crm_share_path("profiles");
	struct crm_strv have = {0};
	struct crm_buf b = {0};
	DIR *d = strchr(name, '/') ? NULL : opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 5 && !strcmp(de->d_name + n - 5, ".json")) {
			de->d_name[n - 5] = '\0';
			crm_strv_push(&have, de->d_name);
		}
	}
	if (d)
		closedir(d);
	if (have.n)
		qsort(have.v, have.n, sizeof(*have.v), crm_str_cmp);
	for (size_t i = 0; i < have.n; i++)
		crm_buf_addf(&b, "%s%s", i ? ", " : "", have.v[i]);
	if (d)
		crm_err_set(err, CRM_EX_NOINPUT,
			    "--from %s: no such profile (%s has: %s)", name,
			    dir, b.len ? b.s : "none");
	else
		crm_err_set(err, CRM_EX_NOINPUT, "--from %s: cannot open '%s'",
			    name, path);
	crm_buf_release(&b);
	crm_strv_release(&have);
	free(dir);
	return -1;
}

int crm_profile_load(const char *name, struct crm_profile *p,
		     struct crm_err *err)
{
	struct crm_buf b = {0};
	size_t len = strlen(name);
	char *path, *rel;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!*name)
		return crm_err_set(err, CRM_EX_USAGE,
				   "--from: expected a profile name or file");
	if (strchr(name, '/') || (len > 5 && !strcmp(name + len - 5, ".json")))
		path = crm_xstrdup(name);
	else {
		rel = crm_xasprintf("profiles/%s.json", name);
		path = crm_share_path(rel);
		free(rel);
	}
	if (access(path, F_OK) < 0 && errno == ENOENT) {
		rc = no_profile(name, path, err);
		free(path);
		return rc;
	}
	rc = crm_file_read(path, 1u << 20, &b, err);
	if (rc == 0)
		rc = crm_profile_parse(b.s, path, p, err);
	if (rc == 0)
		p->name = crm_xstrdup(name);
	crm_buf_release(&b);
	free(path);
	return rc;
}

/* -- the mapping -------------------------------------------------------- */

/* Loose names to targets (profile headers, aliases, field names). */
struct loose {
	struct crm_strv norm;
	long *t;		/* target per name */
	struct crm_strv custom; /* custom:NAME targets ("" for others) */
};

static void loose_add(struct loose *l, const char *norm, long t,
		      const char *custom)
{
	size_t n = l->norm.n;

	if (!*norm)
		return;
	crm_strv_push(&l->norm, norm);
	l->t = crm_xrealloc(l->t, (n + 1) * sizeof(*l->t));
	l->t[n] = t;
	crm_strv_push(&l->custom, custom ? custom : "");
}

static void loose_release(struct loose *l)
{
	crm_strv_release(&l->norm);
	crm_strv_release(&l->custom);
	free(l->t);
}

struct crm_colmap {
	const struct crm_entity *e;
	bool match;
	/* --map: source, target, custom name, as given, seen in the input */
	struct crm_strv src, spec;
	long *mt;
	struct crm_strv mcustom;
	bool *mseen;
	struct loose profile, fields, aliases;
	struct crm_strv customs; /* custom fields in use (sorted) */
	/* the last set of columns and their answer */
	struct crm_strv names;
	struct crm_colmap_col *cols;
	long *tgt, *owner;
	size_t cap;
	bool valid;
	struct crm_strv custom; /* columns that became custom fields */
	struct crm_strv seen;	/* every column seen */
	char *input;
	bool fixed, checked;
	struct crm_buf tmp;
};

void crm_colmap_free(struct crm_colmap *m)
{
	if (!m)
		return;
	crm_strv_release(&m->src);
	crm_strv_release(&m->spec);
	free(m->mt);
	crm_strv_release(&m->mcustom);
	free(m->mseen);
	loose_release(&m->profile);
	loose_release(&m->fields);
	loose_release(&m->aliases);
	crm_strv_release(&m->customs);
	crm_strv_release(&m->names);
	free(m->cols);
	free(m->tgt);
	free(m->owner);
	crm_strv_release(&m->custom);
	crm_strv_release(&m->seen);
	free(m->input);
	crm_buf_release(&m->tmp);
	free(m);
}

static int setup_map(struct crm_colmap *m, const struct crm_strv *map,
		     struct crm_err *err)
{
	const struct crm_entity *e = m->e;
	size_t n = map ? map->n : 0;

	m->mt = crm_xcalloc(n + 1, sizeof(*m->mt));
	m->mseen = crm_xcalloc(n + 1, sizeof(*m->mseen));
	for (size_t i = 0; i < n; i++) {
		const char *spec = map->v[i], *eq = strrchr(spec, '=');
		const char *custom;
		char why[512], *src;
		long t;

		if (!eq || eq == spec || !eq[1])
			return crm_err_set(err, CRM_EX_USAGE,
					   "--map '%s': expected SOURCE=FIELD",
					   spec);
		if (parse_target(e, eq + 1, &t, &custom, why, sizeof(why)) < 0)
			return crm_err_set(err, CRM_EX_USAGE, "--map '%s': %s",
					   spec, why);
		src = crm_xstrndup(spec, (size_t)(eq - spec));
		if (crm_strv_find(&m->src, src) >= 0) {
			crm_err_set(err, CRM_EX_USAGE,
				    "--map '%s': column '%s' is mapped twice",
				    spec, src);
			free(src);
			return -1;
		}
		for (size_t k = 0; t >= 0 && k < i; k++)
			if (m->mt[k] == t) {
				crm_err_set(err, CRM_EX_USAGE,
					    "--map '%s': '%s' is already read "
					    "from column '%s'",
					    spec, eq + 1, m->src.v[k]);
				free(src);
				return -1;
			}
		crm_strv_push(&m->src, src);
		crm_strv_push(&m->spec, spec);
		crm_strv_push(&m->mcustom, custom ? custom : "");
		m->mt[i] = t;
		free(src);
	}
	return 0;
}

/* Loose names of the fields an input column may match without saying so:
 * not id, nor a reference (both crm's own ids: another system's ids in
 * such a column would point at the wrong records), nor hidden ones. */
static void setup_fields(struct crm_colmap *m)
{
	const struct crm_entity *e = m->e;

	for (size_t i = 1; i < e->nfields; i++) {
		const struct crm_field *f = &e->fields[i];

		if (f->flags & CRM_FF_HIDDEN || f->type == CRM_T_REF)
			continue;
		crm_header_norm(f->name, &m->tmp);
		loose_add(&m->fields, m->tmp.s, (long)i, NULL);
	}
	for (long i = 0; e->inputs && e->inputs[i]; i++) {
		crm_header_norm(e->inputs[i], &m->tmp);
		loose_add(&m->fields, m->tmp.s, (long)e->nfields + i, NULL);
	}
}

static void add_aliases(struct crm_colmap *m, long t, const char *names)
{
	struct crm_strv v = {0};

	crm_strv_split(&v, names, '|');
	for (size_t i = 0; i < v.n; i++) {
		crm_header_norm(v.v[i], &m->tmp);
		loose_add(&m->aliases, m->tmp.s, t, NULL);
	}
	crm_strv_release(&v);
}

/* The usual names of the common fields (an alias table's
 * {CRM_ALIASES_COMMON} row), for those the entity has. */
static const struct crm_alias common_aliases[] = {
    {"tags", CRM_ALIASES_TAGS},
    {"last_activity_at", CRM_ALIASES_LAST_ACTIVITY_AT},
    {"created_at", CRM_ALIASES_CREATED_AT},
    {"updated_at", CRM_ALIASES_UPDATED_AT},
    {0},
};

/* The other names of the fields (each field's names, in field order),
 * then those of the input columns and the common names (the alias table,
 * in its order): the first of them a column matches wins. */
static int setup_aliases(struct crm_colmap *m, struct crm_err *err)
{
	const struct crm_entity *e = m->e;

	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].names)
			add_aliases(m, (long)i, e->fields[i].names);
	for (const struct crm_alias *a = e->aliases; a && a->field; a++) {
		long t = field_index(e, a->field);

		if (!strcmp(a->field, CRM_ALIASES_COMMON)) {
			for (const struct crm_alias *c = common_aliases;
			     c->field; c++)
				if ((t = field_index(e, c->field)) >= 0)
					add_aliases(m, t, c->names);
			continue;
		}
		if (t < 0 && input_index(e, a->field) >= 0)
			t = (long)e->nfields + input_index(e, a->field);
		if (t < 0)
			return crm_err_set(err, CRM_EX_SOFTWARE,
					   "alias of unknown %s field '%s'",
					   e->name, a->field);
		add_aliases(m, t, a->names);
	}
	return 0;
}

static int setup_profile(struct crm_colmap *m, const struct crm_profile *p,
			 struct crm_err *err)
{
	json_t *o = json_object_get(p->root, m->e->plural), *f;
	const char *h;

	if (!o) {
		struct crm_buf has = {0};
		const char *k;
		json_t *v;

		json_object_foreach(p->root, k, v)
		{
			if (json_is_object(v))
				crm_buf_addf(&has, "%s%s", has.len ? ", " : "",
					     k);
		}
		crm_err_set(err, CRM_EX_USAGE,
			    "--from %s: the profile has no %s (it has: %s)",
			    p->name ? p->name : p->path, m->e->plural,
			    has.len ? has.s : "nothing");
		crm_buf_release(&has);
		return -1;
	}
	json_object_foreach(o, h, f)
	{
		char why[512];
		const char *custom;
		long t;

		/* crm_profile_parse checked every target */
		if (parse_target(m->e, json_string_value(f), &t, &custom, why,
				 sizeof(why)) < 0)
			return crm_err_at(err, CRM_EX_CONFIG, p->path, 0, NULL,
					  "%s: '%s': %s", m->e->plural, h, why);
		crm_header_norm(h, &m->tmp);
		loose_add(&m->profile, m->tmp.s, t, custom);
	}
	return 0;
}

struct crm_colmap *crm_colmap_new(struct crm_db *db, const struct crm_entity *e,
				  const struct crm_colmap_opts *o,
				  struct crm_err *err)
{
	struct crm_colmap *m = crm_xcalloc(1, sizeof(*m));

	m->e = e;
	m->match = o->match;
	if (setup_map(m, o->map, err) < 0 ||
	    (o->profile && setup_profile(m, o->profile, err) < 0))
		goto fail;
	if (m->match) {
		setup_fields(m);
		if (setup_aliases(m, err) < 0)
			goto fail;
	}
	/* (add and update too: a custom field named like an input column
	 * stays one) */
	if (db && crm_entity_custom_names(db, e, &m->customs, err) < 0)
		goto fail;
	return m;
fail:
	crm_colmap_free(m);
	return NULL;
}

void crm_colmap_input(struct crm_colmap *m, const char *name, bool fixed)
{
	free(m->input);
	m->input = name ? crm_xstrdup(name) : NULL;
	m->fixed = fixed;
}

static long loose_find(const struct loose *l, const char *norm)
{
	for (size_t i = 0; *norm && i < l->norm.n; i++)
		if (!strcmp(l->norm.v[i], norm))
			return (long)i;
	return -1;
}

/* Column j's target on its own: index into cols, tgt. */
static void candidate(struct crm_colmap *m, size_t j)
{
	const struct crm_entity *e = m->e;
	const char *name = m->names.v[j];
	struct crm_colmap_col *c = &m->cols[j];
	long i, t = -1;
	const char *custom = name;
	enum crm_map_how how = CRM_MAP_CUSTOM;

	if ((i = crm_strv_find(&m->src, name)) >= 0) {
		m->mseen[i] = true;
		t = m->mt[i];
		custom = m->mcustom.v[i];
		how = CRM_MAP_MAP;
	} else if ((i = field_index(e, name)) >= 0) {
		t = i;
		how = CRM_MAP_EXACT;
	} else if ((i = input_index(e, name)) >= 0 &&
		   crm_strv_find(&m->customs, name) < 0) {
		/* (a custom field of that name from before keeps it) */
		t = (long)e->nfields + i;
		how = CRM_MAP_EXACT;
	} else {
		crm_header_norm(name, &m->tmp);
		if ((i = loose_find(&m->profile, m->tmp.s)) >= 0) {
			t = m->profile.t[i];
			custom = m->profile.custom.v[i];
			how = CRM_MAP_PROFILE;
		} else if (!m->match || crm_strv_find(&m->customs, name) >= 0) {
			/* a custom field in use keeps its name: export ->
			 * import is identity */
		} else if ((i = loose_find(&m->fields, m->tmp.s)) >= 0) {
			t = m->fields.t[i];
			how = CRM_MAP_NORMALIZED;
		} else if ((i = loose_find(&m->aliases, m->tmp.s)) >= 0) {
			t = m->aliases.t[i];
			how = CRM_MAP_ALIAS;
		}
	}
	m->tgt[j] = t;
	c->how = how;
	c->custom = t < 0;
	if (t < 0) {
		c->field = -1;
		c->name = custom;
	} else if (t < (long)e->nfields) {
		c->field = t;
		c->name = e->fields[t].name;
	} else {
		c->field = -1;
		c->name = e->inputs[t - (long)e->nfields];
	}
}

static int check_sources(struct crm_colmap *m, const char *const *have,
			 size_t n, struct crm_err *err)
{
	struct crm_buf b = {0};

	for (size_t i = 0; i < m->src.n; i++) {
		bool found = false;

		for (size_t k = 0; k < n && !found; k++)
			found = !strcmp(have[k], m->src.v[i]);
		if (found)
			continue;
		for (size_t k = 0; k < n && b.len < 600; k++)
			crm_buf_addf(&b, "%s'%s'", k ? ", " : "", have[k]);
		if (b.len >= 600)
			crm_buf_adds(&b, ", ...");
		crm_err_at(err, CRM_EX_USAGE, m->input, m->input ? -1 : 0, NULL,
			   "--map '%s': no column '%s' in the input (its "
			   "columns: %s)",
			   m->spec.v[i], m->src.v[i], b.len ? b.s : "none");
		crm_buf_release(&b);
		return -1;
	}
	m->checked = true;
	return 0;
}

static void note_custom(struct crm_colmap *m, const char *column)
{
	if (crm_strv_find(&m->custom, column) < 0)
		crm_strv_push(&m->custom, column);
}

/* Work out the columns in m->names: each on its own, then one column per
 * field, the best way first. */
static int resolve(struct crm_colmap *m, struct crm_err *err)
{
	const struct crm_entity *e = m->e;
	size_t n = m->names.n, ntgt = e->nfields;
	bool reject_file;

	for (long i = 0; e->inputs && e->inputs[i]; i++)
		ntgt++;
	if (n + ntgt > m->cap) {
		m->cap = n + ntgt;
		m->cols = crm_xrealloc(m->cols, m->cap * sizeof(*m->cols));
		m->tgt = crm_xrealloc(m->tgt, m->cap * sizeof(*m->tgt));
		m->owner = crm_xrealloc(m->owner, m->cap * sizeof(*m->owner));
	}
	for (size_t t = 0; t < ntgt; t++)
		m->owner[t] = -1;
	/* a reject file has both columns, at its end */
	reject_file = n >= 2 && !strcmp(m->names.v[n - 1], "error") &&
		      !strcmp(m->names.v[n - 2], "error_line");
	for (size_t j = 0; j < n; j++) {
		long t, o;

		if (crm_strv_find(&m->seen, m->names.v[j]) < 0)
			crm_strv_push(&m->seen, m->names.v[j]);
		if (reject_file && j >= n - 2) {
			m->cols[j] = (struct crm_colmap_col){
			    -1, NULL, CRM_MAP_IGNORED, false};
			m->tgt[j] = -1;
			continue;
		}
		candidate(m, j);
		t = m->tgt[j];
		if (t < 0)
			continue;
		o = m->owner[t];
		if (o >= 0 &&
		    (m->cols[j].how == CRM_MAP_MAP ||
		     m->cols[o].how == CRM_MAP_MAP) &&
		    (m->cols[j].how == CRM_MAP_EXACT ||
		     m->cols[o].how == CRM_MAP_EXACT)) {
			size_t mj =
			    m->cols[j].how == CRM_MAP_MAP ? j : (size_t)o;
			size_t xj = mj == j ? (size_t)o : j;
			long i = crm_strv_find(&m->src, m->names.v[mj]);

			return crm_err_at(
			    err, CRM_EX_USAGE, m->input, m->input ? -1 : 0,
			    NULL,
			    "--map '%s': the input also has a column '%s' "
			    "(map it elsewhere too, e.g. --map '%s=custom:old "
			    "%s')",
			    m->spec.v[i], m->names.v[xj], m->names.v[xj],
			    m->names.v[xj]);
		}
		if (o < 0) {
			m->owner[t] = (long)j;
			continue;
		}
		if (!strcmp(m->names.v[o], m->names.v[j]))
			continue; /* one name twice (add --name X --set
				     name=Y): the last value wins */
		if (m->cols[j].how < m->cols[o].how) {
			m->owner[t] = (long)j; /* the old owner loses */
			m->cols[o] = (struct crm_colmap_col){
			    -1, m->names.v[o], CRM_MAP_CUSTOM, true};
			m->tgt[o] = -1;
		} else {
			m->cols[j] = (struct crm_colmap_col){
			    -1, m->names.v[j], CRM_MAP_CUSTOM, true};
			m->tgt[j] = -1;
		}
	}
	if (m->fixed && !m->checked &&
	    check_sources(m, (const char *const *)m->names.v, n, err) < 0)
		return -1;
	for (size_t j = 0; j < n; j++)
		if (m->cols[j].custom)
			note_custom(m, m->names.v[j]);
	m->valid = true;
	return 0;
}

const struct crm_colmap_col *crm_colmap_record(struct crm_colmap *m,
					       const struct crm_rec *in,
					       struct crm_err *err)
{
	bool same = m->valid && m->names.n == in->n;

	for (size_t j = 0; same && j < in->n; j++)
		same = !strcmp(m->names.v[j], crm_rec_name(in, j));
	if (same)
		return m->cols;
	crm_strv_release(&m->names);
	for (size_t j = 0; j < in->n; j++)
		crm_strv_push(&m->names, crm_rec_name(in, j));
	m->valid = false;
	return resolve(m, err) < 0 ? NULL : m->cols;
}

const struct crm_colmap_col *crm_colmap_columns(struct crm_colmap *m,
						const struct crm_strv *names,
						struct crm_err *err)
{
	crm_strv_release(&m->names);
	for (size_t j = 0; j < names->n; j++)
		crm_strv_push(&m->names, names->v[j]);
	m->valid = false;
	m->fixed = true;
	m->checked = false;
	return resolve(m, err) < 0 ? NULL : m->cols;
}

int crm_colmap_finish(struct crm_colmap *m, const char *const *header,
		      size_t nheader, struct crm_err *err)
{
	if (m->checked)
		return 0;
	if (header)
		return check_sources(m, header, nheader, err);
	return check_sources(m, (const char *const *)m->seen.v, m->seen.n, err);
}

const struct crm_strv *crm_colmap_custom(const struct crm_colmap *m)
{
	return &m->custom;
}

int crm_input_columns(struct crm_reader *r, struct crm_strv *cols,
		      struct crm_err *err)
{
	enum crm_fmt f = crm_reader_format(r);
	bool fixed = f == CRM_FMT_CSV || f == CRM_FMT_TSV;
	struct crm_rec rec;
	int got;

	crm_rec_init(&rec);
	while ((got = crm_reader_next(r, &rec, err)) > 0 && !fixed)
		for (size_t j = 0; j < rec.n; j++)
			if (crm_strv_find(cols, crm_rec_name(&rec, j)) < 0)
				crm_strv_push(cols, crm_rec_name(&rec, j));
	crm_rec_release(&rec);
	if (got < 0)
		return -1;
	if (fixed) {
		size_t n;
		const char *const *h = crm_reader_header(r, &n);

		for (size_t j = 0; h && j < n; j++)
			crm_strv_push(cols, h[j]);
	}
	return 0;
}

/* -- whole names -------------------------------------------------------- */

/* Chinese surnames of two characters (the rest have one). */
static const char *const compound_surnames[] = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
    "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "闻人", "申屠",
    "端木", "西门", "南宫", "独孤", "澹台", "呼延", NULL};

static bool is_han(utf8proc_int32_t cp)
{
	return (cp >= 0x4e00 && cp <= 0x9fff) ||
	       (cp >= 0x3400 && cp <= 0x4dbf) ||
	       (cp >= 0x20000 && cp <= 0x2ffff);
}

/* Set field to s (len bytes) without surrounding spaces and commas. */
static void set_name(struct crm_row *row, const char *field, const char *s,
		     size_t len)
{
	char *v;

	while (len && (*s == ' ' || *s == ',')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == ','))
		len--;
	if (!len)
		return;
	v = crm_xstrndup(s, len);
	crm_row_set(row, field, v);
	row->touched[crm_entity_field(row->e, field)] = true;
	free(v);
}

void crm_row_take_full_name(struct crm_row *row)
{
	json_t *j = json_object_get(row->custom, "name");
	long f = crm_entity_field(row->e, "first_name"),
	     l = crm_entity_field(row->e, "last_name");
	const char *s, *sp = NULL, *comma;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	size_t len;

	if (!j)
		return;
	/* (an empty first or last name column does not count) */
	if (!json_is_string(j) || f < 0 || l < 0 ||
	    (row->touched[f] && row->v[f]) || (row->touched[l] && row->v[l]))
		goto out;
	s = json_string_value(j);
	len = strlen(s);
	comma = memchr(s, ',', len);
	for (size_t i = 0; i < len; i++)
		if (s[i] == ' ' && i + 1 < len && s[i + 1] != ' ')
			sp = s + i;
	k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
			     &cp);
	if (comma) { /* "Lee, Ann" */
		set_name(row, "last_name", s, (size_t)(comma - s));
		set_name(row, "first_name", comma + 1,
			 len - (size_t)(comma + 1 - s));
	} else if (sp && sp > s) { /* "Ann Marie Lee" */
		set_name(row, "first_name", s, (size_t)(sp - s));
		set_name(row, "last_name", sp + 1, len - (size_t)(sp + 1 - s));
	} else if (k > 0 && is_han(cp)) { /* 张伟, 欧阳娜娜: surname first */
		for (size_t i = 0; compound_surnames[i]; i++) {
			size_t n = strlen(compound_surnames[i]);

			if (len > n && !strncmp(s, compound_surnames[i], n))
				k = (utf8proc_ssize_t)n;
		}
		set_name(row, "last_name", s, (size_t)k);
		set_name(row, "first_name", s + k, len - (size_t)k);
	} else {
		set_name(row, "first_name", s, len);
	}
out:
	json_object_del(row->custom, "name");
}
