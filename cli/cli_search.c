/* cli_search.c - crm search (grouped on a terminal, records otherwise)
 * and show by name. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_search.h"
#include "search.h"

/* matches shown per noun without --limit; candidates a shared name lists */
enum { DEFAULT_LIMIT = 20, SHOW_CANDIDATES = 10 };

static const char *const cols[] = {"noun", "id", "name", "matched", "value"};

enum { OPT_REINDEX = 0x300, OPT_REFRESH, OPT_DROP_INDEX };

const struct argp_option crm_search_options[] = {
    {"reindex", OPT_REINDEX, 0, 0,
     "Make the search index (SQLite) again, then search TEXT if given", 0},
    {"refresh", OPT_REFRESH, 0, 0,
     "Add to the search index what crm wrote since it was made (makes it "
     "when there is none), then search TEXT if given",
     0},
    {"drop-index", OPT_DROP_INDEX, 0, 0, "Remove the search index", 0},
    {0},
};

error_t crm_search_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_search_opts *o = cli->opts;

	(void)arg;
	switch (key) {
	case OPT_REINDEX:
		o->reindex = true;
		cli->writes = true;
		break;
	case OPT_REFRESH:
		o->refresh = true;
		cli->writes = true;
		break;
	case OPT_DROP_INDEX:
		o->drop = true;
		cli->writes = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* --reindex, --refresh and --drop-index, said on stderr */
static int index_verbs(struct crm_cli *cli, const struct crm_search_opts *o)
{
	int64_t *counts;
	struct crm_buf b = {0};
	int rc;

	if (o->drop) {
		rc = crm_search_index_drop(cli->db, cli->dry_run, &cli->err);
		if (rc >= 0)
			crm_cli_note(cli, "%s",
				     rc ? "search index removed"
					: "no search index to remove");
		return rc < 0 ? -1 : 0;
	}
	counts = crm_xcalloc(crm_search_nouns, sizeof(*counts));
	rc = crm_search_reindex(cli->db, cli->dry_run, o->refresh, counts,
				&cli->err);
	for (size_t i = 0; rc == 0 && i < crm_search_nouns; i++)
		if (counts[i] >= 0)
			crm_buf_addf(&b, "%s%lld %s", b.len ? ", " : "",
				     (long long)counts[i],
				     crm_search_noun_name(i));
	if (rc == 0)
		crm_cli_note(cli, "search index: %s%s%s", crm_buf_str(&b),
			     o->refresh ? " added" : "",
			     cli->dry_run ? " (dry run: not kept)" : "");
	crm_buf_release(&b);
	free(counts);
	return rc;
}

struct hits {
	struct crm_cli *cli;
	struct crm_writer *w; /* records; NULL for the grouped view */
	struct crm_rec rec;
	struct crm_strv v; /* grouped view: 6 strings a hit (grouped()) */
};

static int one(const struct crm_search_hit *h, void *arg)
{
	struct hits *hs = arg;
	char id[24], ix[24];

	snprintf(id, sizeof(id), "%lld", (long long)h->id);
	if (!hs->w) {
		const char *v[] = {h->noun,
				   id,
				   h->name ? h->name : "",
				   h->matched ? h->matched : "",
				   h->value ? h->value : "",
				   ix};
		snprintf(ix, sizeof(ix), "%zu", h->index);
		for (size_t i = 0; i < 6; i++)
			crm_strv_push(&hs->v, v[i]);
		return 0;
	}
	crm_rec_clear(&hs->rec);
	crm_rec_adds(&hs->rec, "noun", h->noun);
	crm_rec_add(&hs->rec, "id", 2, id, strlen(id), CRM_RAW);
	crm_rec_adds(&hs->rec, "name", h->name);
	crm_rec_adds(&hs->rec, "matched", h->matched);
	crm_rec_adds(&hs->rec, "value", h->value);
	if (crm_writer_write(hs->w, &hs->rec) < 0)
		return crm_err_set(&hs->cli->err, CRM_EX_IOERR,
				   "write error: %s", strerror(errno));
	return 0;
}

static void pad(struct crm_buf *b, const char *s, size_t width)
{
	size_t w = crm_display_width(s, strlen(s));

	crm_buf_adds(b, s);
	while (w++ < width)
		crm_buf_addc(b, ' ');
}

/* The grouped view: a heading per noun, then id, name and what matched,
 * in aligned columns (6 strings a hit: noun, id, name, matched, value,
 * the noun's index). */
static void grouped(const struct crm_strv *v, const bool *more,
		    struct crm_buf *b)
{
	size_t wid = 0, wname = 0;

	for (size_t i = 0; i < v->n; i += 6) {
		size_t a = strlen(v->v[i + 1]),
		       c = crm_display_width(v->v[i + 2], strlen(v->v[i + 2]));
		if (a > wid)
			wid = a;
		if (c > wname)
			wname = c;
	}
	for (size_t i = 0; i < v->n; i += 6) {
		if (!i || strcmp(v->v[i - 6], v->v[i]))
			crm_buf_addf(b, "%s%s\n", i ? "\n" : "", v->v[i]);
		crm_buf_adds(b, "  ");
		for (size_t k = strlen(v->v[i + 1]); k < wid; k++)
			crm_buf_addc(b, ' ');
		crm_buf_addf(b, "%s  ", v->v[i + 1]);
		pad(b, v->v[i + 2], wname);
		crm_buf_addf(b, "  %s: %s\n", v->v[i + 3], v->v[i + 4]);
		if ((i + 6 >= v->n || strcmp(v->v[i + 6], v->v[i])) &&
		    more[strtoul(v->v[i + 5], NULL, 10)])
			crm_buf_adds(b, "  ... more (--limit)\n");
	}
}

int crm_verb_search(struct crm_cli *cli)
{
	const struct crm_search_opts *o = cli->opts;
	struct hits hs = {.cli = cli};
	struct crm_strv c = {0};
	struct crm_buf text = {0}, out = {0};
	bool *more = crm_xcalloc(crm_search_nouns, sizeof(*more));
	bool table = crm_cli_format(cli) == CRM_FMT_TABLE && !cli->fields;
	int64_t n;
	int status = 0;

	crm_rec_init(&hs.rec);
	if (o && (o->reindex || o->refresh || o->drop)) {
		if (o->reindex + o->refresh + o->drop > 1) {
			crm_err_set(&cli->err, CRM_EX_USAGE,
				    "search: one of --reindex, --refresh and "
				    "--drop-index");
			status = crm_cli_fail(cli);
			goto out;
		}
		if (index_verbs(cli, o) < 0) {
			status = crm_cli_fail(cli);
			goto out;
		}
		if (!cli->args.n)
			goto out;
	}
	if (!cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "search: no text given");
		status = crm_cli_fail(cli);
		goto out;
	}
	for (size_t i = 0; i < cli->args.n; i++)
		crm_buf_addf(&text, "%s%s", i ? " " : "", cli->args.v[i]);
	if (cli->fields) {
		crm_strv_split(&c, cli->fields, ',');
		for (size_t i = 0; i < c.n; i++) {
			bool known = false;
			for (size_t k = 0; k < 5; k++)
				known |= !strcmp(c.v[i], cols[k]);
			if (!known) {
				crm_err_set(&cli->err, CRM_EX_USAGE,
					    "--fields: no field '%s' (search "
					    "has noun, id, name, matched, "
					    "value)",
					    c.v[i]);
				status = crm_cli_fail(cli);
				goto out;
			}
		}
	} else {
		for (size_t k = 0; k < 5; k++)
			crm_strv_push(&c, cols[k]);
	}
	if (!table)
		hs.w = crm_cli_writer(cli, &c);
	n = crm_search(cli->db, crm_buf_str(&text),
		       cli->limit >= 0 ? cli->limit : DEFAULT_LIMIT, one, &hs,
		       more, &cli->err);
	if (n < 0) {
		status = crm_cli_fail(cli);
		goto out;
	}
	if (table) {
		grouped(&hs.v, more, &out);
		if (fwrite(out.s ? out.s : "", 1, out.len, stdout) != out.len) {
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
			status = crm_cli_fail(cli);
			goto out;
		}
	} else if (crm_writer_close(hs.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		status = crm_cli_fail(cli);
		goto out;
	}
	/* like grep: 1 when nothing matched */
	status = n ? 0 : 1;
out:
	crm_writer_free(hs.w);
	crm_rec_release(&hs.rec);
	crm_strv_release(&hs.v);
	crm_strv_release(&c);
	crm_buf_release(&text);
	crm_buf_release(&out);
	free(more);
	return status;
}

/* One candidate line: the id, its name, then how to reach it. */
static void candidate(struct crm_buf *b, const struct crm_row *row)
{
	static const char *const names[] = {"name",  "subject", "email",
					    "phone", "company", NULL};
	const char *first = crm_row_get(row, "first_name"),
		   *last = crm_row_get(row, "last_name");

	crm_buf_addf(b, "\n  %lld", (long long)crm_row_id(row));
	if (first || last)
		crm_buf_addf(b, "  %s%s%s", first ? first : "",
			     first && last ? " " : "", last ? last : "");
	for (size_t i = 0; names[i]; i++) {
		const char *v = crm_row_get(row, names[i]);
		if (v)
			crm_buf_addf(b, "  %s", v);
	}
}

int crm_cli_show_find(struct crm_cli *cli, const struct crm_entity *e,
		      const char *key, struct crm_row *row)
{
	struct crm_err first = {0};
	struct crm_buf b = {0};
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = crm_entity_find(cli->db, e, key, row, &first);

	if (rc > 0)
		return 1;
	/* an error other than a key matching several records stands */
	if (rc < 0 && first.code != CRM_EX_DATAERR) {
		cli->err = first;
		return -1;
	}
	if (crm_search_names(cli->db, e, key, SHOW_CANDIDATES + 1, &ids, &n,
			     &cli->err) < 0)
		goto fail;
	if (n == 1) {
		rc = crm_entity_get(cli->db, e, ids[0], row, &cli->err);
		free(ids);
		return rc > 0 ? 1 : -1;
	}
	if (n == 0) {
		if (rc < 0)
			cli->err = first;
		else
			crm_err_set(&cli->err, CRM_EX_NOINPUT, "no %s '%s'",
				    e->name, key);
		goto fail;
	}
	crm_buf_addf(&b, "'%s' names %s%zu %s; show one by id:", key,
		     n > SHOW_CANDIDATES ? "more than " : "",
		     n > SHOW_CANDIDATES ? (size_t)SHOW_CANDIDATES : n,
		     e->plural);
	for (size_t i = 0; i < n && i < SHOW_CANDIDATES; i++) {
		struct crm_row r;

		crm_row_init(&r, e);
		if (crm_entity_get(cli->db, e, ids[i], &r, &cli->err) < 0) {
			crm_row_release(&r);
			goto fail;
		}
		candidate(&b, &r);
		crm_row_release(&r);
	}
	crm_err_set(&cli->err, CRM_EX_NOINPUT, "%s", crm_buf_str(&b));
fail:
	crm_buf_release(&b);
	free(ids);
	return -1;
}
