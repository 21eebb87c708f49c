/* cli_entity.c - the verbs every entity command shares: add, import, list,
 * show, update, delete, export, tag, undo. A command lists them in its verb
 * table with its entity; nothing here knows about contacts or deals. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_card.h"
#include "cli_search.h"
#include "import_map.h"

const struct argp_option crm_add_options[] = {
    {"set", 's', "FIELD=VALUE", 0,
     "Set a field (any field, custom ones included); repeatable", 0},
    {"key", 'k', "KEY,...", 0,
     "Refuse the record when one of these keys already matches one "
     "(default: the entity's keys)",
     0},
    {0},
};

const struct argp_option crm_import_options[] = {
    CRM_IMPORT_OPTION_LIST,
    {0},
};

const struct argp_option crm_update_options[] = {
    {"set", 's', "FIELD=VALUE", 0,
     "Set a field (VALUE empty clears it); repeatable", 0},
    {0},
};

const struct argp_option crm_delete_options[] = {
    {"all", CRM_OPT_ALL, 0, 0, "Allow deleting every record (no selection)", 0},
    {0},
};

error_t crm_entity_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_entity_opts *o = cli->opts;

	switch (key) {
	case 's':
		if (!strchr(arg, '=') || *arg == '=')
			argp_error(state, "--set '%s': expected FIELD=VALUE",
				   arg);
		crm_strv_push(&o->set, arg);
		break;
	case 'm':
		crm_strv_push(&o->map, arg);
		break;
	case 'k':
		o->keys = arg;
		break;
	case CRM_OPT_CREATE_ONLY:
		o->mode = CRM_CREATE_ONLY;
		break;
	case CRM_OPT_UPDATE_ONLY:
		o->mode = CRM_UPDATE_ONLY;
		break;
	case CRM_OPT_REJECT:
		o->reject = arg;
		break;
	case CRM_OPT_FORCE:
		o->force = true;
		break;
	case CRM_OPT_EMIT:
		o->emit = true;
		break;
	case CRM_OPT_ALL:
		o->all = true;
		break;
	case CRM_OPT_FROM:
		o->from = arg;
		break;
	case CRM_OPT_EXPLAIN_MAPPING:
		/* a read: never creates the database, works without one */
		o->explain_mapping = true;
		cli->db_optional = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

void crm_entity_opts_release(struct crm_entity_opts *o)
{
	crm_strv_release(&o->set);
	crm_strv_release(&o->map);
}

int crm_entity_cli_main(const struct crm_command *cmd, int argc, char **argv)
{
	struct crm_entity_opts opts = {0};
	int status = crm_cli_main(cmd, &opts, argc, argv);

	crm_entity_opts_release(&opts);
	return status;
}

static const struct crm_entity *entity(struct crm_cli *cli)
{
	return cli->cmd->entity;
}

/* --set FIELD=VALUE pairs as a record. */
static void set_record(struct crm_entity_opts *o, struct crm_rec *rec)
{
	for (size_t i = 0; i < o->set.n; i++) {
		const char *kv = o->set.v[i], *eq = strchr(kv, '=');
		crm_rec_add(rec, kv, (size_t)(eq - kv), eq + 1, strlen(eq + 1),
			    CRM_STR);
	}
}

/* Print one stored row in full (or --fields): a card on a terminal, else a
 * record. Returns 0, -1 on a write error, -2 on bad --fields (cli->err). */
static int print_row(struct crm_cli *cli, const struct crm_row *row)
{
	struct crm_strv cols = {0};
	struct crm_rec rec;
	struct crm_writer *w;
	enum crm_fmt f = crm_cli_format(cli);
	int rc = 0;

	if (cli->ids)
		return printf("%lld\n", (long long)crm_row_id(row)) < 0 ? -1
									: 0;
	crm_rec_init(&rec);
	if (cli->fields) {
		if (crm_cli_columns(cli, row->e, true, &cols) < 0) {
			crm_rec_release(&rec);
			crm_strv_release(&cols);
			return -2;
		}
		crm_row_to_rec(row, &cols, NULL, &rec);
		crm_strv_release(&cols);
	} else {
		crm_row_to_rec(row, NULL, NULL, &rec);
	}
	if (f == CRM_FMT_TABLE) {
		struct crm_buf b = {0};
		crm_card_rec(&b, &rec);
		if (fwrite(b.s, 1, b.len, stdout) != b.len)
			rc = -1;
		crm_buf_release(&b);
	} else {
		for (size_t i = 0; i < rec.n; i++)
			crm_strv_push(&cols, crm_rec_name(&rec, i));
		/* one record: a JSON object, not an array of one */
		w = crm_writer_open(stdout,
				    f == CRM_FMT_JSON ? CRM_FMT_NDJSON : f,
				    (const char *const *)cols.v, cols.n,
				    crm_cli_wflags(cli) & CRM_W_SAFE);
		if (crm_writer_write(w, &rec) < 0 || crm_writer_close(w) < 0)
			rc = -1;
		crm_writer_free(w);
	}
	crm_strv_release(&cols);
	crm_rec_release(&rec);
	return rc;
}

static int write_error(struct crm_cli *cli)
{
	crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
		    strerror(errno));
	return crm_cli_fail(cli);
}

int crm_verb_add(struct crm_cli *cli)
{
	struct crm_entity_opts *o = cli->opts;
	const struct crm_entity *e = entity(cli);
	struct crm_import_opts io = {.command = "add",
				     .mode = CRM_CREATE_ONLY,
				     .keys = o->keys,
				     .force = o->force,
				     .check = o->check,
				     .check_arg = o->check_arg};
	struct crm_hook_counts counts = {0};
	struct crm_importer *im = NULL;
	enum crm_import_action a;
	struct crm_rec rec;
	struct crm_row row;
	int status = 0;

	io.hook_arg = &counts;
	if (cli->args.n)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "add takes options, not '%s'",
				   cli->args.v[0]),
		       crm_cli_fail(cli);
	crm_rec_init(&rec);
	crm_row_init(&row, e);
	set_record(o, &rec);
	if (crm_db_begin(cli->db, &cli->err) < 0)
		goto fail;
	im = crm_importer_new(cli->db, e, &io, &cli->err);
	if (!im || crm_importer_apply(im, &rec, &row, &a, &cli->err) < 0)
		goto fail;
	/* the record goes out before the commit: a write error commits
	 * nothing */
	if ((status = print_row(cli, &row)) < 0) {
		crm_db_rollback(cli->db);
		status = status == -2 ? crm_cli_fail(cli) : write_error(cli);
		goto out;
	}
	if (cli->dry_run)
		crm_db_rollback(cli->db);
	else if (crm_db_commit(cli->db, &cli->err) < 0)
		goto fail;
	goto out;
fail:
	crm_db_rollback(cli->db);
	status = crm_cli_fail(cli);
out:
	crm_importer_free(im);
	crm_row_release(&row);
	crm_rec_release(&rec);
	return status;
}

struct emit_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_strv cols;
	struct crm_rec rec;
	bool fixed; /* cols from --fields */
};

/* Open the --emit writer. Without --fields its columns are the import's
 * action, every field, the custom fields known by now (those of the first
 * record included: the import registered them, or rec has them) and the
 * error, so they are known before the first record is written. */
static int emit_open(struct emit_ctx *ec, const struct crm_rec *rec)
{
	const struct crm_entity *e = ec->cli->cmd->entity;

	if (!ec->fixed) {
		crm_strv_push(&ec->cols, "import_action");
		crm_entity_columns(e, false, &ec->cols);
		if (crm_entity_custom_names(ec->cli->db, e, &ec->cols,
					    &ec->cli->err) < 0)
			return -1;
		for (size_t i = 0; rec && i < rec->n; i++) {
			const char *name = crm_rec_name(rec, i);

			if (crm_strv_find(&ec->cols, name) < 0 &&
			    strcmp(name, "import_error"))
				crm_strv_push(&ec->cols, name);
		}
		crm_strv_push(&ec->cols, "import_error");
	}
	ec->w = crm_cli_writer(ec->cli, &ec->cols);
	return 0;
}

static int emit_one(const struct crm_row *row, const struct crm_rec *in,
		    enum crm_import_action a, const char *error, void *arg)
{
	struct emit_ctx *ec = arg;
	const char *an = crm_import_action_name(a);

	if (ec->cli->ids) {
		if (!row)
			return 0;
		return printf("%lld\n", (long long)crm_row_id(row)) < 0 ? -1
									: 0;
	}
	if (row) {
		crm_row_to_rec(row, NULL, NULL, &ec->rec);
	} else {
		crm_rec_copy(&ec->rec, in);
		crm_rec_set(&ec->rec, "id", NULL, CRM_NULL);
	}
	crm_rec_set(&ec->rec, "import_action", an, CRM_STR);
	crm_rec_set(&ec->rec, "import_error", error,
		    error ? CRM_STR : CRM_NULL);
	if (!ec->w && emit_open(ec, &ec->rec) < 0)
		return -1;
	return crm_writer_write(ec->w, &ec->rec);
}

/* --fields for --emit: the entity's fields (custom ones too) and the two
 * the import adds. */
static int emit_fields(struct crm_cli *cli, const struct crm_entity *e,
		       struct crm_strv *cols)
{
	struct crm_strv own = {0};
	int rc;

	crm_strv_split(cols, cli->fields, ',');
	for (size_t i = 0; i < cols->n; i++)
		if (strcmp(cols->v[i], "import_action") &&
		    strcmp(cols->v[i], "import_error"))
			crm_strv_push(&own, cols->v[i]);
	rc = !cols->n ? crm_err_set(&cli->err, CRM_EX_USAGE,
				    "--fields: no field given")
	     : own.n  ? crm_entity_check_columns(cli->db, e, &own, &cli->err)
		      : 0;
	crm_strv_release(&own);
	return rc;
}

/* The reject file: created at the first rejected row (crm_cli_create),
 * and on a failed run cut back to what committed inputs put in it, or
 * removed when that is nothing. */
struct reject_file {
	struct crm_cli *cli;
	const char *path;
	bool force;
	FILE *fp;
	off_t committed; /* bytes that belong to committed inputs */
};

static FILE *reject_open(void *arg, struct crm_err *err)
{
	struct reject_file *rf = arg;

	if (!rf->fp) {
		/* (err may be cli->err, holding the rejected row's place) */
		rf->fp = crm_cli_create(rf->cli, rf->path, rf->force);
		if (!rf->fp) {
			struct crm_err e2;

			crm_err_clear(&e2);
			crm_err_set(&e2, rf->cli->err.code, "%s",
				    rf->cli->err.msg);
			*err = e2;
		}
	}
	return rf->fp;
}

/* After an input committed: what it wrote stays. */
static void reject_commit(struct reject_file *rf)
{
	if (rf->fp && fflush(rf->fp) == 0)
		rf->committed = ftello(rf->fp);
}

/* After a failure: nothing of a rolled-back input stays in the file. */
static void reject_abort(struct reject_file *rf)
{
	struct stat a, b;

	if (!rf->fp)
		return;
	fflush(rf->fp);
	if (ftruncate(fileno(rf->fp), rf->committed) < 0 || rf->committed)
		return;
	/* empty: remove it, if the name is still the file made */
	if (fstat(fileno(rf->fp), &a) == 0 && lstat(rf->path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		unlink(rf->path);
}

/* --explain-mapping: per input, each column with the field it becomes
 * (custom fields as custom:NAME, what --map takes) and how. */
static int explain_mapping(struct crm_cli *cli,
			   const struct crm_import_opts *io,
			   struct crm_reader **rs, size_t nr)
{
	struct crm_colmap_opts co = {
	    .map = io->map, .profile = io->profile, .match = io->match};
	struct crm_strv cols = {0}, names = {0};
	struct crm_writer *w = NULL;
	struct crm_colmap *m = NULL;
	struct crm_rec rec;
	int rc = -1;

	crm_rec_init(&rec);
	crm_strv_push(&cols, "column");
	crm_strv_push(&cols, "field");
	crm_strv_push(&cols, "how");
	for (size_t i = 0; i < nr; i++) {
		const struct crm_colmap_col *c;

		crm_colmap_free(m);
		crm_strv_release(&names);
		m = crm_colmap_new(cli->db, entity(cli), &co, &cli->err);
		if (!m || crm_input_columns(rs[i], &names, &cli->err) < 0)
			goto out;
		crm_colmap_input(m, crm_reader_name(rs[i]), true);
		c = crm_colmap_columns(m, &names, &cli->err);
		if (!c)
			goto out;
		if (!w)
			w = crm_cli_writer(cli, &cols);
		for (size_t j = 0; j < names.n; j++) {
			char *f = !c[j].name ? NULL
				  : c[j].custom
				      ? crm_xasprintf("custom:%s", c[j].name)
				      : crm_xstrdup(c[j].name);

			crm_rec_clear(&rec);
			crm_rec_adds(&rec, "column", names.v[j]);
			crm_rec_adds(&rec, "field", f);
			crm_rec_adds(&rec, "how", crm_map_how_name(c[j].how));
			free(f);
			if (crm_writer_write(w, &rec) < 0)
				goto ioerr;
		}
	}
	if (w && crm_writer_close(w) < 0)
		goto ioerr;
	rc = 0;
	goto out;
ioerr:
	crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
		    strerror(errno));
out:
	crm_writer_free(w);
	crm_colmap_free(m);
	crm_strv_release(&cols);
	crm_strv_release(&names);
	crm_rec_release(&rec);
	return rc;
}

/* "2 columns became custom fields: 'A', 'B'" */
static void note_custom(struct crm_cli *cli, const struct crm_strv *c)
{
	struct crm_buf b = {0};

	if (!c->n)
		return;
	for (size_t i = 0; i < c->n; i++)
		crm_buf_addf(&b, "%s'%s'", i ? ", " : "", c->v[i]);
	crm_cli_note(cli, "%zu column%s became custom field%s: %s", c->n,
		     c->n == 1 ? "" : "s", c->n == 1 ? "" : "s", b.s);
	crm_buf_release(&b);
}

int crm_verb_import(struct crm_cli *cli)
{
	struct crm_entity_opts *o = cli->opts;
	const struct crm_entity *e = entity(cli);
	struct crm_import_opts io = {.command = "import",
				     .mode = o->mode,
				     .keys = o->keys,
				     .default_keys = true,
				     .map = &o->map,
				     .force = o->force,
				     .dry_run = cli->dry_run,
				     .progress = crm_cli_progress,
				     .progress_arg = cli,
				     .check = o->check,
				     .check_arg = o->check_arg,
				     .check_ahead = o->check_ahead,
				     .check_wrote = o->check_wrote,
				     .check_alone = o->check_alone,
				     .dates = cli->dates,
				     .match = true};
	struct emit_ctx ec = {.cli = cli};
	struct crm_import_stats st, total = {0};
	struct crm_hook_counts counts = {0};
	struct crm_buf made = {0}, skipped = {0};
	struct crm_strv custom = {0};
	struct crm_profile profile = {0};
	struct crm_datefmt *pdates = NULL;
	struct crm_reader **rs = NULL;
	struct reject_file rf = {
	    .cli = cli, .path = o->reject, .force = o->force};
	FILE **fps = NULL;
	size_t nr = 0;
	int status = 0;

	crm_rec_init(&ec.rec);
	io.hook_arg = &counts;
	io.custom_cols = &custom;
	if (o->from) {
		if (crm_profile_load(o->from, &profile, &cli->err) < 0)
			goto fail;
		io.profile = &profile;
		/* the profile's date_format, unless --date-format is given */
		if (profile.date_format && !cli->date_format) {
			pdates = crm_datefmt_new(profile.date_format, cli->tz,
						 &cli->err);
			if (!pdates)
				goto fail;
			io.dates = pdates;
		}
	}
	if (o->explain_mapping) {
		if (crm_cli_readers(cli, &rs, &nr, &fps) < 0 ||
		    explain_mapping(cli, &io, rs, nr) < 0)
			goto fail;
		goto out;
	}
	if (o->reject) {
		io.reject_open = reject_open;
		io.reject_arg = &rf;
	}
	if (o->emit || cli->ids) {
		if (cli->fields && emit_fields(cli, e, &ec.cols) < 0)
			goto fail;
		ec.fixed = cli->fields != NULL;
		io.emit = emit_one;
		io.emit_arg = &ec;
	}
	if (crm_cli_readers(cli, &rs, &nr, &fps) < 0)
		goto fail;
	/* the reject file is made at the first rejected row; refuse now
	 * what would be refused then */
	if (o->reject && crm_cli_may_create(cli, o->reject, o->force) < 0)
		goto fail;
	/* each input is one transaction; a failure stops at that input */
	for (size_t i = 0; i < nr; i++) {
		cli->progress_in = fps[i];
		if (crm_entity_import(cli->db, e, rs[i], &io, &st, &cli->err) <
		    0)
			goto fail;
		reject_commit(&rf);
		for (size_t k = 0; k <= CRM_SKIPPED; k++)
			total.n[k] += st.n[k];
	}
	if (o->emit && !cli->ids && !ec.w && emit_open(&ec, NULL) < 0)
		goto fail;
	if (ec.w && crm_writer_close(ec.w) < 0) {
		status = write_error(cli);
		goto out;
	}
	crm_cli_progress_end(cli);
	note_custom(cli, &custom);
	if (total.n[CRM_SKIPPED])
		crm_buf_addf(&skipped, ", %llu skipped",
			     (unsigned long long)total.n[CRM_SKIPPED]);
	for (size_t k = 0; e->counters && e->counters[k]; k++) {
		const char *c = e->counters[k], *bar = strchr(c, '|');
		unsigned long long v = (unsigned long long)counts.n[k];

		if (!bar) /* one form for both */
			crm_buf_addf(&made, ", %llu %s", v, c);
		else if (v == 1)
			crm_buf_addf(&made, ", %llu %.*s", v, (int)(bar - c),
				     c);
		else
			crm_buf_addf(&made, ", %llu %s", v, bar + 1);
	}
	crm_cli_note(
	    cli,
	    "%s%llu inserted, %llu updated, %llu unchanged, %llu "
	    "rejected%s%s%s",
	    cli->dry_run ? "dry run: " : "",
	    (unsigned long long)total.n[CRM_INSERTED],
	    (unsigned long long)total.n[CRM_UPDATED],
	    (unsigned long long)total.n[CRM_UNCHANGED],
	    (unsigned long long)total.n[CRM_REJECTED],
	    skipped.s ? skipped.s : "", crm_buf_str(&made),
	    total.n[CRM_REJECTED] && o->reject ? " (see the reject file)" : "");
	/* some rows rejected, the rest committed: cron should notice */
	if (total.n[CRM_REJECTED] && o->reject)
		status = CRM_EX_REJECTED;
	goto out;
fail:
	status = crm_cli_fail(cli);
	reject_abort(&rf);
out:
	if (rf.fp && fclose(rf.fp) != 0 &&
	    (!status || status == CRM_EX_REJECTED)) {
		crm_err_set(&cli->err, CRM_EX_IOERR,
			    "cannot write the reject file '%s'", o->reject);
		status = crm_cli_fail(cli);
	}
	crm_cli_readers_free(rs, fps, nr);
	crm_buf_release(&made);
	crm_buf_release(&skipped);
	crm_strv_release(&custom);
	crm_profile_release(&profile);
	crm_datefmt_free(pdates);
	crm_writer_free(ec.w);
	crm_strv_release(&ec.cols);
	crm_rec_release(&ec.rec);
	return status;
}

int crm_verb_list(struct crm_cli *cli)
{
	struct crm_query q;
	int64_t *ids;
	int status = 0;

	if (crm_cli_query(cli, entity(cli), false, &q, &ids) < 0 ||
	    crm_cli_list(cli, entity(cli), &q, false) < 0)
		status = crm_cli_fail(cli);
	free(ids);
	return status;
}

int crm_verb_export(struct crm_cli *cli)
{
	struct crm_query q;
	int64_t *ids;
	int status = 0;

	if (crm_cli_query(cli, entity(cli), false, &q, &ids) < 0 ||
	    crm_cli_list(cli, entity(cli), &q, true) < 0)
		status = crm_cli_fail(cli);
	free(ids);
	return status;
}

int crm_verb_show(struct crm_cli *cli)
{
	const struct crm_entity *e = entity(cli);
	struct crm_row row;
	int rc, status = 0;

	if (cli->args.n != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "show takes one %s (id, external id, email, "
			    "phone or name)",
			    e->name);
		return crm_cli_fail(cli);
	}
	crm_row_init(&row, e);
	rc = crm_cli_show_find(cli, e, cli->args.v[0], &row);
	if (rc <= 0)
		status = crm_cli_fail(cli);
	else if ((rc = print_row(cli, &row)) < 0)
		status = rc == -2 ? crm_cli_fail(cli) : write_error(cli);
	crm_row_release(&row);
	return status;
}

static void note_change(struct crm_cli *cli, const char *did, uint64_t n)
{
	const struct crm_entity *e = entity(cli);

	if (cli->dry_run)
		crm_cli_note(cli, "dry run: would have %s %llu %s", did,
			     (unsigned long long)n,
			     n == 1 ? e->name : e->plural);
	else if (n && cli->db->last_change)
		crm_cli_note(cli,
			     "%s %llu %s (change %lld; '%s undo %lld' "
			     "reverts it)",
			     did, (unsigned long long)n,
			     n == 1 ? e->name : e->plural,
			     (long long)cli->db->last_change, cli->cmd->name,
			     (long long)cli->db->last_change);
	else
		crm_cli_note(cli, "%s %llu %s", did, (unsigned long long)n,
			     n == 1 ? e->name : e->plural);
}

/* A --set of a field crm maintains (id, created_at, updated_at,
 * last_activity_at ...) is a usage error naming it, not a silent no-op. */
static int check_writable(struct crm_cli *cli, const struct crm_rec *set)
{
	const struct crm_entity *e = entity(cli);

	for (size_t i = 0; i < set->n; i++) {
		const char *name = crm_rec_name(set, i);
		long k = crm_entity_field(e, name);

		if (k >= 0 && e->fields[k].flags & CRM_FF_HIDDEN)
			return crm_err_set(&cli->err, CRM_EX_USAGE,
					   "--set '%s': unknown %s field", name,
					   e->name);
		if (k >= 0 &&
		    e->fields[k].flags & (CRM_FF_SYSTEM | CRM_FF_READONLY))
			return crm_err_set(&cli->err, CRM_EX_USAGE,
					   "--set '%s': %s is read-only "
					   "(maintained by crm)",
					   name, name);
	}
	return 0;
}

int crm_verb_update(struct crm_cli *cli)
{
	struct crm_entity_opts *o = cli->opts;
	struct crm_query q;
	struct crm_rec set;
	int64_t *ids = NULL;
	uint64_t n;
	int status = 0;

	crm_rec_init(&set);
	set_record(o, &set);
	if (!set.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "nothing to update (--set FIELD=VALUE)");
		status = crm_cli_fail(cli);
	} else if (check_writable(cli, &set) < 0 ||
		   crm_cli_query(cli, entity(cli), true, &q, &ids) < 0 ||
		   crm_entity_update(cli->db, entity(cli), &q, &set,
				     cli->dry_run, &n, &cli->err) < 0) {
		status = crm_cli_fail(cli);
	} else {
		note_change(cli, "updated", n);
	}
	free(ids);
	crm_rec_release(&set);
	return status;
}

int crm_verb_delete(struct crm_cli *cli)
{
	struct crm_entity_opts *o = cli->opts;
	struct crm_query q;
	int64_t *ids = NULL;
	uint64_t n;
	int status = 0;

	if (crm_cli_query(cli, entity(cli), !o->all, &q, &ids) < 0 ||
	    crm_entity_delete(cli->db, entity(cli), &q, cli->dry_run, &n,
			      &cli->err) < 0)
		status = crm_cli_fail(cli);
	else
		note_change(cli, "deleted", n);
	free(ids);
	return status;
}

int crm_verb_tag(struct crm_cli *cli)
{
	struct crm_query q;
	int64_t *ids = NULL;
	uint64_t n;
	bool add;
	char *tags;
	int status = 0;

	if (cli->args.n < 2 ||
	    (strcmp(cli->args.v[0], "add") && strcmp(cli->args.v[0], "rm"))) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "expected: tag add|rm TAG[,TAG...] [ID...]");
		return crm_cli_fail(cli);
	}
	add = !strcmp(cli->args.v[0], "add");
	tags = crm_xstrdup(cli->args.v[1]);
	/* the rest of the arguments select the records */
	free(cli->args.v[0]);
	free(cli->args.v[1]);
	memmove(cli->args.v, cli->args.v + 2,
		(cli->args.n - 1) * sizeof(*cli->args.v));
	cli->args.n -= 2;
	if (crm_cli_query(cli, entity(cli), true, &q, &ids) < 0 ||
	    crm_entity_tag(cli->db, entity(cli), &q, tags, add, cli->dry_run,
			   &n, &cli->err) < 0)
		status = crm_cli_fail(cli);
	else
		note_change(cli, "tagged", n);
	free(ids);
	free(tags);
	return status;
}

const struct argp_option crm_undo_options[] = {
    {"force", CRM_OPT_FORCE, 0, 0,
     "Undo even what later changes changed again (their changes to those "
     "fields are lost)",
     0},
    {0},
};

int crm_verb_undo(struct crm_cli *cli)
{
	struct crm_entity_opts *o = cli->opts;
	int64_t change;
	uint64_t n;

	if (cli->args.n != 1 || crm_parse_int(cli->args.v[0], &change) < 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "undo takes one change number");
		return crm_cli_fail(cli);
	}
	if (crm_entity_undo(cli->db, change, o->force, cli->dry_run, &n,
			    &cli->err) < 0)
		return crm_cli_fail(cli);
	if (cli->dry_run)
		crm_cli_note(cli,
			     "dry run: undid change %lld: %llu records "
			     "restored",
			     (long long)change, (unsigned long long)n);
	else
		crm_cli_note(cli,
			     "undid change %lld: %llu records restored (change "
			     "%lld; '%s undo %lld' redoes it)",
			     (long long)change, (unsigned long long)n,
			     (long long)cli->db->last_change, cli->cmd->name,
			     (long long)cli->db->last_change);
	return 0;
}

int crm_cli_fixed_columns(struct crm_cli *cli, const char *const *names,
			  size_t n, struct crm_strv *cols)
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

/* history ID: every change of the change log that touched the record,
 * oldest first, with who made it (changed_by: the connected role on
 * PostgreSQL, CRM_USER or the login name on SQLite). */
int crm_verb_history(struct crm_cli *cli)
{
	static const char *const names[] = {"change",  "at",	 "changed_by",
					    "command", "action", "fields"};
	const struct crm_entity *e = entity(cli);
	struct crm_strv cols = {0};
	struct crm_writer *w;
	struct crm_stmt *st;
	struct crm_row row;
	int rc, status = 0;

	if (cli->args.n != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "history takes one %s",
			    e->name);
		return crm_cli_fail(cli);
	}
	crm_row_init(&row, e);
	rc = crm_cli_show_find(cli, e, cli->args.v[0], &row);
	if (rc <= 0) {
		crm_row_release(&row);
		return crm_cli_fail(cli);
	}
	st = crm_db_stmt(cli->db,
			 "SELECT c.id, c.at, c.actor, c.command, a.action, "
			 "a.after FROM crm_audit a JOIN crm_changes c ON c.id "
			 "= a.change_id WHERE a.entity = ? AND a.record_id = ? "
			 "ORDER BY c.id, a.id",
			 &cli->err);
	if (!st) {
		crm_row_release(&row);
		return crm_cli_fail(cli);
	}
	crm_stmt_bind_text(st, 1, e->name);
	crm_stmt_bind_int(st, 2, crm_row_id(&row));
	crm_row_release(&row);
	if (crm_cli_fixed_columns(cli, names, 6, &cols) < 0) {
		crm_stmt_finalize(st);
		crm_strv_release(&cols);
		return crm_cli_fail(cli);
	}
	w = crm_cli_writer(cli, &cols);
	while ((rc = crm_stmt_step(st, &cli->err)) == 1) {
		struct crm_rec rec;
		const char *v;

		crm_rec_init(&rec);
		v = crm_stmt_text(st, 0);
		crm_rec_add(&rec, "change", 6, v, strlen(v), CRM_RAW);
		for (int c = 1; c < 6; c++) {
			crm_rec_adds(&rec, names[c], crm_stmt_text(st, c));
		}
		crm_writer_write(w, &rec);
		crm_rec_release(&rec);
	}
	crm_stmt_finalize(st);
	if (rc < 0)
		status = crm_cli_fail(cli);
	else if (crm_writer_close(w) < 0)
		status = write_error(cli);
	crm_writer_free(w);
	crm_strv_release(&cols);
	return status;
}
