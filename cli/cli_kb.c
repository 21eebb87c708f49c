/* cli_kb.c - crm-kb's own verbs (see cli_kb.h); add, list, update, delete,
 * export, tag and undo are the entity engine's. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_kb.h"
#include "datetime.h"
#include "kb.h"
#include "ticket.h"

enum {
	OPT_STATUS = 0x400,
	OPT_LANGUAGE,
	OPT_CATEGORY,
	OPT_MARK,
	OPT_ALL_STATUS,
	OPT_REMOVE,
	OPT_VERSION,
	OPT_SINCE,
	OPT_UNTIL,
};

#define FILTER_OPTIONS                                                         \
	{"language",                                                           \
	 OPT_LANGUAGE,                                                         \
	 "LANG",                                                               \
	 0,                                                                    \
	 "Only articles in this language (as their language field says)",      \
	 0},                                                                   \
	    {"category",                                                       \
	     OPT_CATEGORY,                                                     \
	     "CATEGORY",                                                       \
	     0,                                                                \
	     "Only articles of this category",                                 \
	     0},                                                               \
	{                                                                      \
		"mark", OPT_MARK, "OPEN,CLOSE", 0,                             \
		    "Mark matches with these strings (default: bold on a "     \
		    "terminal, else **,**)",                                   \
		    0                                                          \
	}

const struct argp_option crm_kb_search_options[] = {
    {"status", OPT_STATUS, "STATUS", 0,
     "Only articles with this status (default: published)", 0},
    {"all", OPT_ALL_STATUS, 0, 0, "Articles of any status", 0},
    FILTER_OPTIONS,
    {0},
};

const struct argp_option crm_kb_suggest_options[] = {
    FILTER_OPTIONS,
    {0},
};

const struct argp_option crm_kb_link_options[] = {
    {"remove", OPT_REMOVE, 0, 0, "Remove the link instead", 0},
    {0},
};

const struct argp_option crm_kb_show_options[] = {
    {"version", OPT_VERSION, "N", 0,
     "Show version N of the article (see versions)", 0},
    {0},
};

const struct argp_option crm_kb_deflection_options[] = {
    {"since", OPT_SINCE, "TIME", 0, "Tickets solved at or after TIME", 0},
    {"until", OPT_UNTIL, "TIME", 0, "Tickets solved before TIME", 0},
    {0},
};

error_t crm_kb_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_kb_opts *o = cli->opts;
	char *end;

	switch (key) {
	case OPT_STATUS:
		o->status = arg;
		break;
	case OPT_ALL_STATUS:
		o->all = true;
		break;
	case OPT_LANGUAGE:
		o->language = arg;
		break;
	case OPT_CATEGORY:
		o->category = arg;
		break;
	case OPT_MARK:
		if (!strchr(arg, ','))
			argp_error(state, "--mark: OPEN,CLOSE expected");
		o->mark = arg;
		break;
	case OPT_REMOVE:
		o->remove = true;
		break;
	case OPT_VERSION:
		errno = 0;
		o->version = strtol(arg, &end, 10);
		if (errno || *end || o->version < 1)
			argp_error(state, "--version: a number >= 1 expected");
		break;
	case OPT_SINCE:
		o->since = arg;
		break;
	case OPT_UNTIL:
		o->until = arg;
		break;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
	return 0;
}

static int write_error(struct crm_cli *cli)
{
	crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
		    strerror(errno ? errno : EIO));
	return crm_cli_fail(cli);
}

/* The output columns: names, or those of --fields (each one of names). */
static int out_cols(struct crm_cli *cli, const char *const *names, size_t n,
		    struct crm_strv *cols)
{
	if (!cli->fields) {
		for (size_t i = 0; i < n; i++)
			crm_strv_push(cols, names[i]);
		return 0;
	}
	crm_strv_split(cols, cli->fields, ',');
	for (size_t i = 0; i < cols->n; i++) {
		size_t k = 0;

		while (k < n && strcmp(names[k], cols->v[i]))
			k++;
		if (k == n)
			return crm_err_set(&cli->err, CRM_EX_USAGE,
					   "--fields: no field '%s' here",
					   cols->v[i]);
	}
	return 0;
}

/* -- import of Markdown files --------------------------------------------- */

struct md_file {
	char *path;
	struct crm_strv lines; /* "field=LINE" */
};

static bool is_md(const char *name)
{
	size_t n = strlen(name);

	return (n > 3 && !strcmp(name + n - 3, ".md")) ||
	       (n > 9 && !strcmp(name + n - 9, ".markdown"));
}

/* The Markdown files named by the arguments (a folder: its *.md files, by
 * name), or 0 when none names a folder or a .md file (a record import). */
static int md_paths(struct crm_cli *cli, struct crm_strv *paths)
{
	bool md = false;

	for (size_t i = 0; i < cli->args.n; i++) {
		struct stat sb;

		if (is_md(cli->args.v[i]) ||
		    (stat(cli->args.v[i], &sb) == 0 && S_ISDIR(sb.st_mode)))
			md = true;
	}
	if (!md)
		return 0;
	for (size_t i = 0; i < cli->args.n; i++) {
		const char *a = cli->args.v[i];
		struct stat sb;
		DIR *d;
		struct dirent *de;
		size_t first = paths->n;

		if (stat(a, &sb) < 0)
			return crm_err_set(&cli->err, CRM_EX_NOINPUT,
					   "cannot open '%s': %s", a,
					   strerror(errno));
		if (!S_ISDIR(sb.st_mode)) {
			crm_strv_push(paths, a);
			continue;
		}
		if (!(d = opendir(a)))
			return crm_err_set(&cli->err, CRM_EX_NOINPUT,
					   "cannot open '%s': %s", a,
					   strerror(errno));
		while ((de = readdir(d)))
			if (de->d_name[0] != '.' && is_md(de->d_name)) {
				char *p = crm_xasprintf("%s/%s", a, de->d_name);
				crm_strv_push(paths, p);
				free(p);
			}
		closedir(d);
		if (paths->n - first > 1)
			qsort(paths->v + first, paths->n - first,
			      sizeof(char *), crm_str_cmp);
	}
	if (!paths->n)
		return crm_err_set(&cli->err, CRM_EX_NOINPUT,
				   "no Markdown files (*.md) to import");
	return 1;
}

static char *stem_of(const char *path)
{
	const char *b = strrchr(path, '/');
	char *s = crm_xstrdup(b ? b + 1 : path);
	char *dot = strrchr(s, '.');

	if (dot && dot != s)
		*dot = '\0';
	return s;
}

static json_t *rec_json(const struct crm_rec *rec)
{
	json_t *o = json_object();

	for (size_t i = 0; i < rec->n; i++)
		json_object_set_new(
		    o, crm_rec_name(rec, i),
		    json_stringn(crm_rec_val(rec, i), crm_rec_vlen(rec, i)));
	return o;
}

/* An import error on line k of the generated NDJSON told as the file's:
 * its name and the line of the field's key (1 without one). */
static void md_where(struct crm_err *err, const struct md_file *files, size_t n)
{
	const struct md_file *f;
	size_t fl = strlen(err->field);

	if (err->line < 1 || (size_t)err->line > n)
		return;
	f = &files[err->line - 1];
	snprintf(err->file, sizeof(err->file), "%s", f->path);
	err->line = 1;
	for (size_t i = 0; fl && i < f->lines.n; i++)
		if (!strncmp(f->lines.v[i], err->field, fl) &&
		    f->lines.v[i][fl] == '=')
			err->line = atol(f->lines.v[i] + fl + 1);
}

static int import_md(struct crm_cli *cli, const struct crm_strv *paths)
{
	struct crm_kb_opts *o = cli->opts;
	struct crm_import_opts io = {.command = "import",
				     .mode = o->e.mode,
				     .keys = o->e.keys,
				     .default_keys = true,
				     .dry_run = cli->dry_run,
				     .match = true};
	struct md_file *files = crm_xcalloc(paths->n, sizeof(*files));
	struct crm_buf nd = {0}, text = {0};
	struct crm_import_stats st;
	struct crm_reader *r = NULL;
	struct crm_rec rec;
	FILE *fp = NULL;
	int status = 0;

	crm_rec_init(&rec);
	for (size_t i = 0; i < paths->n; i++) {
		char *stem = stem_of(paths->v[i]), *line;
		json_t *j;
		int rc;

		files[i].path = paths->v[i];
		if (crm_file_read(paths->v[i], 16u << 20, &text, &cli->err) <
		    0) {
			free(stem);
			cli->err.code = CRM_EX_NOINPUT;
			goto fail;
		}
		rc =
		    crm_kb_markdown(paths->v[i], stem, text.s ? text.s : "",
				    text.len, &rec, &files[i].lines, &cli->err);
		free(stem);
		if (rc < 0)
			goto fail;
		j = rec_json(&rec);
		line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (!line) {
			crm_err_set(&cli->err, CRM_EX_DATAERR, "invalid UTF-8");
			snprintf(cli->err.file, sizeof(cli->err.file), "%s",
				 paths->v[i]);
			goto fail;
		}
		crm_buf_adds(&nd, line);
		crm_buf_addc(&nd, '\n');
		free(line);
	}
	if (!(fp = fmemopen(nd.s, nd.len, "r"))) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "fmemopen: %s",
			    strerror(errno));
		goto fail;
	}
	if (!(r = crm_reader_open(fp, "markdown", CRM_FMT_NDJSON, &cli->err)))
		goto fail;
	if (crm_entity_import(cli->db, cli->cmd->entity, r, &io, &st,
			      &cli->err) < 0) {
		md_where(&cli->err, files, paths->n);
		goto fail;
	}
	crm_cli_note(cli,
		     "%s%zu file%s: %llu inserted, %llu updated, %llu "
		     "unchanged",
		     cli->dry_run ? "dry run: " : "", paths->n,
		     paths->n == 1 ? "" : "s",
		     (unsigned long long)st.n[CRM_INSERTED],
		     (unsigned long long)st.n[CRM_UPDATED],
		     (unsigned long long)st.n[CRM_UNCHANGED]);
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_reader_free(r);
	if (fp)
		fclose(fp);
	for (size_t i = 0; i < paths->n; i++)
		crm_strv_release(&files[i].lines);
	free(files);
	crm_rec_release(&rec);
	crm_buf_release(&nd);
	crm_buf_release(&text);
	return status;
}

int crm_verb_kb_import(struct crm_cli *cli)
{
	struct crm_strv paths = {0};
	int rc = md_paths(cli, &paths), status;

	if (rc < 0)
		status = crm_cli_fail(cli);
	else if (rc == 0)
		status = crm_verb_import(cli);
	else
		status = import_md(cli, &paths);
	crm_strv_release(&paths);
	return status;
}

/* -- search and suggest --------------------------------------------------- */

static int article_id(struct crm_cli *cli, const char *key, int64_t *id)
{
	struct crm_row row;
	int rc;

	crm_row_init(&row, &crm_kb_entity);
	rc = crm_entity_find(cli->db, &crm_kb_entity, key, &row, &cli->err);
	if (rc == 0)
		crm_err_set(&cli->err, CRM_EX_NOINPUT, "no article '%s'", key);
	if (rc > 0)
		*id = crm_row_id(&row);
	crm_row_release(&row);
	return rc > 0 ? 0 : -1;
}

static int ticket_id(struct crm_cli *cli, const char *key, int64_t *id)
{
	struct crm_row row;
	int rc;

	crm_row_init(&row, &crm_ticket_entity);
	rc = crm_entity_find(cli->db, &crm_ticket_entity, key, &row, &cli->err);
	if (rc == 0)
		crm_err_set(&cli->err, CRM_EX_NOINPUT, "no ticket '%s'", key);
	if (rc > 0)
		*id = crm_row_id(&row);
	crm_row_release(&row);
	return rc > 0 ? 0 : -1;
}

static void search_opts(struct crm_cli *cli, struct crm_kb_search_opts *so,
			char **markbuf, bool table)
{
	struct crm_kb_opts *o = cli->opts;

	so->language = o->language;
	so->category = o->category;
	so->limit = cli->limit > 0 ? (size_t)cli->limit : so->limit;
	if (o->mark) {
		*markbuf = crm_xstrdup(o->mark);
		char *comma = strchr(*markbuf, ',');
		*comma = '\0';
		so->open = *markbuf;
		so->close = comma + 1;
	} else if (table && crm_cli_color(cli)) {
		so->open = "\033[1m";
		so->close = "\033[0m";
	}
}

static int print_hits(struct crm_cli *cli, const struct crm_kb_hit *h, size_t n,
		      bool table)
{
	static const char *const names[] = {"rank",   "id",	  "score",
					    "title",  "category", "language",
					    "status", "snippet"};
	struct crm_strv cols = {0};
	struct crm_writer *w = NULL;
	struct crm_rec rec;
	int status = 0;

	if (cli->ids) {
		for (size_t i = 0; i < n; i++)
			if (printf("%lld\n", (long long)h[i].id) < 0)
				return write_error(cli);
		return 0;
	}
	if (table) {
		for (size_t i = 0; i < n; i++)
			if (printf("%2zu. %s  (article %lld, %s, score "
				   "%.2f)\n    %s\n",
				   i + 1, h[i].title_mark, (long long)h[i].id,
				   h[i].status ? h[i].status : "-", h[i].score,
				   h[i].snippet) < 0)
				return write_error(cli);
		return 0;
	}
	crm_rec_init(&rec);
	if (out_cols(cli, names, sizeof(names) / sizeof(names[0]), &cols) < 0) {
		status = crm_cli_fail(cli);
		goto out;
	}
	w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; i < n; i++) {
		char num[32], id[32], score[32];

		crm_rec_clear(&rec);
		snprintf(num, sizeof(num), "%zu", i + 1);
		snprintf(id, sizeof(id), "%lld", (long long)h[i].id);
		snprintf(score, sizeof(score), "%.4f", h[i].score);
		crm_rec_add(&rec, "rank", 4, num, strlen(num), CRM_RAW);
		crm_rec_add(&rec, "id", 2, id, strlen(id), CRM_RAW);
		crm_rec_add(&rec, "score", 5, score, strlen(score), CRM_RAW);
		crm_rec_adds(&rec, "title", h[i].title);
		crm_rec_adds(&rec, "category", h[i].category);
		crm_rec_adds(&rec, "language", h[i].language);
		crm_rec_adds(&rec, "status", h[i].status);
		crm_rec_adds(&rec, "snippet", h[i].snippet);
		if (crm_writer_write(w, &rec) < 0)
			break;
	}
	if (crm_writer_close(w) < 0)
		status = write_error(cli);
out:
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_strv_release(&cols);
	return status;
}

int crm_verb_kb_search(struct crm_cli *cli)
{
	struct crm_kb_opts *o = cli->opts;
	struct crm_kb_search_opts so = {.status = "published"};
	struct crm_kb_hit *h = NULL;
	struct crm_buf q = {0};
	char *markbuf = NULL;
	bool table = crm_cli_format(cli) == CRM_FMT_TABLE;
	size_t n = 0;
	int status;

	if (!cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "search needs a QUERY");
		return crm_cli_fail(cli);
	}
	for (size_t i = 0; i < cli->args.n; i++) {
		if (i)
			crm_buf_addc(&q, ' ');
		crm_buf_adds(&q, cli->args.v[i]);
	}
	so.query = q.s;
	if (o->all)
		so.status = NULL;
	else if (o->status)
		so.status = o->status;
	search_opts(cli, &so, &markbuf, table);
	if (crm_kb_search(cli->db, &so, &h, &n, &cli->err) < 0)
		status = crm_cli_fail(cli);
	else
		status = print_hits(cli, h, n, table);
	crm_kb_hits_free(h, n);
	crm_buf_release(&q);
	free(markbuf);
	return status;
}

int crm_verb_kb_suggest(struct crm_cli *cli)
{
	struct crm_kb_search_opts so = {.status = "published", .limit = 5};
	struct crm_kb_hit *h = NULL;
	char *markbuf = NULL;
	bool table = crm_cli_format(cli) == CRM_FMT_TABLE;
	int64_t t;
	size_t n = 0;
	int status;

	if (cli->args.n != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "suggest takes one TICKET");
		return crm_cli_fail(cli);
	}
	search_opts(cli, &so, &markbuf, table);
	if (ticket_id(cli, cli->args.v[0], &t) < 0 ||
	    crm_kb_suggest(cli->db, t, &so, &h, &n, &cli->err) < 0)
		status = crm_cli_fail(cli);
	else
		status = print_hits(cli, h, n, table);
	crm_kb_hits_free(h, n);
	free(markbuf);
	return status;
}

/* -- link, publish, archive, reindex ----------------------------------------
 */

int crm_verb_kb_link(struct crm_cli *cli)
{
	struct crm_kb_opts *o = cli->opts;
	int64_t a, t;
	int rc;

	if (cli->args.n != 2) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "link takes an ARTICLE and a TICKET");
		return crm_cli_fail(cli);
	}
	if (article_id(cli, cli->args.v[0], &a) < 0 ||
	    ticket_id(cli, cli->args.v[1], &t) < 0 ||
	    crm_db_begin(cli->db, &cli->err) < 0 ||
	    (rc = crm_kb_link(cli->db, a, t, o->remove, &cli->err)) < 0 ||
	    crm_db_finish(cli->db, cli->dry_run, &cli->err) < 0) {
		crm_db_rollback(cli->db);
		return crm_cli_fail(cli);
	}
	crm_cli_note(cli, "%s%s article %lld %s ticket %lld",
		     cli->dry_run ? "dry run: would have " : "",
		     rc ? (o->remove ? "unlinked" : "linked")
			: (o->remove ? "was not linked:" : "already linked:"),
		     (long long)a, o->remove ? "from" : "to", (long long)t);
	return 0;
}

static int set_status(struct crm_cli *cli, const char *st, const char *did)
{
	struct crm_query q;
	struct crm_rec set;
	int64_t *ids = NULL;
	uint64_t n = 0;
	int status = 0;

	crm_rec_init(&set);
	crm_rec_adds(&set, "status", st);
	if (crm_cli_query(cli, cli->cmd->entity, true, &q, &ids) < 0 ||
	    crm_entity_update(cli->db, cli->cmd->entity, &q, &set, cli->dry_run,
			      &n, &cli->err) < 0)
		status = crm_cli_fail(cli);
	else
		crm_cli_note(cli, "%s%s %llu article%s",
			     cli->dry_run ? "dry run: would have " : "", did,
			     (unsigned long long)n, n == 1 ? "" : "s");
	crm_rec_release(&set);
	free(ids);
	return status;
}

int crm_verb_kb_publish(struct crm_cli *cli)
{
	return set_status(cli, "published", "published");
}

int crm_verb_kb_archive(struct crm_cli *cli)
{
	return set_status(cli, "archived", "archived");
}

int crm_verb_kb_reindex(struct crm_cli *cli)
{
	uint64_t n = 0;

	if (crm_db_begin(cli->db, &cli->err) < 0 ||
	    crm_kb_reindex(cli->db, &n, &cli->err) < 0 ||
	    crm_db_finish(cli->db, cli->dry_run, &cli->err) < 0) {
		crm_db_rollback(cli->db);
		return crm_cli_fail(cli);
	}
	crm_cli_note(cli, "indexed %llu article%s", (unsigned long long)n,
		     n == 1 ? "" : "s");
	return 0;
}

/* -- show --version, versions ------------------------------------------------
 */

struct ver_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_rec rec;
	long only; /* 0: every version */
	bool found, body;
};

static int ver_one(int64_t version, const char *title, const char *body,
		   const char *author, const char *at, bool current, void *arg)
{
	struct ver_ctx *vc = arg;
	char num[32];

	if (vc->only && version != vc->only)
		return 0;
	vc->found = true;
	crm_rec_clear(&vc->rec);
	snprintf(num, sizeof(num), "%lld", (long long)version);
	crm_rec_add(&vc->rec, "version", 7, num, strlen(num), CRM_RAW);
	crm_rec_add(&vc->rec, "current", 7, current ? "true" : "false",
		    current ? 4 : 5, CRM_RAW);
	crm_rec_adds(&vc->rec, "title", title);
	crm_rec_adds(&vc->rec, "author", author);
	crm_rec_adds(&vc->rec, "saved_at", at);
	if (vc->body)
		crm_rec_adds(&vc->rec, "body", body);
	return crm_writer_write(vc->w, &vc->rec);
}

static int versions(struct crm_cli *cli, long only)
{
	struct ver_ctx vc = {.cli = cli, .only = only};
	static const char *const names[] = {"version", "current",  "title",
					    "author",  "saved_at", "body"};
	struct crm_strv cols = {0};
	int64_t id;
	int status = 0;

	vc.body =
	    only > 0 || crm_cli_format(cli) != CRM_FMT_TABLE || cli->fields;
	crm_rec_init(&vc.rec);
	if (out_cols(cli, names, 5u + vc.body, &cols) < 0)
		goto fail;
	if (cli->args.n != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "%s takes one ARTICLE",
			    cli->verb->name);
		goto fail;
	}
	if (article_id(cli, cli->args.v[0], &id) < 0)
		goto fail;
	vc.w = crm_cli_writer(cli, &cols);
	if (crm_kb_versions(cli->db, id, ver_one, &vc, &cli->err) < 0)
		goto fail;
	if (only && !vc.found) {
		crm_err_set(&cli->err, CRM_EX_NOINPUT,
			    "article %lld has no version %ld", (long long)id,
			    only);
		goto fail;
	}
	if (crm_writer_close(vc.w) < 0)
		status = write_error(cli);
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(vc.w);
	crm_rec_release(&vc.rec);
	crm_strv_release(&cols);
	return status;
}

int crm_verb_kb_show(struct crm_cli *cli)
{
	struct crm_kb_opts *o = cli->opts;

	if (!o->version)
		return crm_verb_show(cli);
	return versions(cli, o->version);
}

int crm_verb_kb_versions(struct crm_cli *cli)
{
	return versions(cli, 0);
}

/* -- deflection and usage ------------------------------------------------- */

static int one_record(struct crm_cli *cli, const char *const *names,
		      const char *const *vals, size_t n)
{
	struct crm_strv cols = {0};
	struct crm_writer *w;
	struct crm_rec rec;
	int status = 0;

	crm_rec_init(&rec);
	if (out_cols(cli, names, n, &cols) < 0) {
		crm_rec_release(&rec);
		crm_strv_release(&cols);
		return crm_cli_fail(cli);
	}
	for (size_t i = 0; i < n; i++)
		crm_rec_add(&rec, names[i], strlen(names[i]), vals[i],
			    strlen(vals[i]), CRM_RAW);
	w = crm_cli_writer(cli, &cols);
	crm_writer_write(w, &rec);
	if (crm_writer_close(w) < 0)
		status = write_error(cli);
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_strv_release(&cols);
	return status;
}

/* A time option as solved_at holds it (ISO 8601 UTC), so that text
 * compares in time order. */
static int time_opt(struct crm_cli *cli, const char *opt, const char *v,
		    char out[CRM_TIME_LEN])
{
	crm_time t;

	if (!v)
		return 0;
	if (crm_datetime_parse(v, &t, &cli->err) < 0)
		return crm_err_set(&cli->err, CRM_EX_USAGE, "%s: %s", opt,
				   cli->err.msg);
	crm_datetime_format(t, out);
	return 0;
}

int crm_verb_kb_deflection(struct crm_cli *cli)
{
	static const char *const names[] = {"solved", "with_article",
					    "without_article", "deflection"};
	struct crm_kb_opts *o = cli->opts;
	struct crm_kb_deflection d;
	char v[4][32];
	const char *vals[4] = {v[0], v[1], v[2], v[3]};

	char since[CRM_TIME_LEN], until[CRM_TIME_LEN];

	if (time_opt(cli, "--since", o->since, since) < 0 ||
	    time_opt(cli, "--until", o->until, until) < 0)
		return crm_cli_fail(cli);
	if (crm_kb_deflection(cli->db, o->since ? since : NULL,
			      o->until ? until : NULL, &d, &cli->err) < 0)
		return crm_cli_fail(cli);
	snprintf(v[0], sizeof(v[0]), "%llu", (unsigned long long)d.solved);
	snprintf(v[1], sizeof(v[1]), "%llu",
		 (unsigned long long)d.with_article);
	snprintf(v[2], sizeof(v[2]), "%llu",
		 (unsigned long long)(d.solved - d.with_article));
	if (d.solved)
		snprintf(v[3], sizeof(v[3]), "%.1f",
			 100.0 * (double)d.with_article / (double)d.solved);
	else
		snprintf(v[3], sizeof(v[3]), "0.0");
	return one_record(cli, names, vals, 4);
}

struct usage_ctx {
	struct crm_writer *w;
	struct crm_rec rec;
};

static int usage_one(int64_t id, const char *title, const char *status,
		     int64_t links, int64_t solved, const char *last, void *arg)
{
	struct usage_ctx *uc = arg;
	char a[32], b[32], c[32];

	crm_rec_clear(&uc->rec);
	snprintf(a, sizeof(a), "%lld", (long long)id);
	snprintf(b, sizeof(b), "%lld", (long long)links);
	snprintf(c, sizeof(c), "%lld", (long long)solved);
	crm_rec_add(&uc->rec, "id", 2, a, strlen(a), CRM_RAW);
	crm_rec_adds(&uc->rec, "title", title);
	crm_rec_adds(&uc->rec, "status", status);
	crm_rec_add(&uc->rec, "links", 5, b, strlen(b), CRM_RAW);
	crm_rec_add(&uc->rec, "solved_tickets", 14, c, strlen(c), CRM_RAW);
	crm_rec_adds(&uc->rec, "last_linked_at", last);
	return crm_writer_write(uc->w, &uc->rec);
}

int crm_verb_kb_usage(struct crm_cli *cli)
{
	static const char *const names[] = {
	    "id",    "title",	       "status",
	    "links", "solved_tickets", "last_linked_at"};
	struct usage_ctx uc;
	struct crm_strv cols = {0};
	int status = 0;

	crm_rec_init(&uc.rec);
	uc.w = NULL;
	if (out_cols(cli, names, 6, &cols) < 0) {
		status = crm_cli_fail(cli);
		goto out;
	}
	uc.w = crm_cli_writer(cli, &cols);
	if (crm_kb_usage(cli->db, usage_one, &uc, &cli->err) < 0)
		status = crm_cli_fail(cli);
	else if (crm_writer_close(uc.w) < 0)
		status = write_error(cli);
out:
	crm_writer_free(uc.w);
	crm_rec_release(&uc.rec);
	crm_strv_release(&cols);
	return status;
}
