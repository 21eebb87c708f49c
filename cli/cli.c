/* cli.c - common options, verb dispatch, output and the exit path. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

enum {
	OPT_FIELDS = 0x100,
	OPT_SORT,
	OPT_LIMIT,
	OPT_IDS,
	OPT_STDIN,
	OPT_LIST_OPTIONS,
	OPT_SAFE_CSV,
	OPT_NO_SAFE_CSV,
	OPT_FIELD_BASE = 0x10000, /* + field index: add/update per-field flags */
};

static const struct argp_option common_options[] = {
	{"db", 'd', "PATH", 0,
	 "Database (default $CRM_DB, else "
	 "${XDG_DATA_HOME:-~/.local/share}/crm/crm.db)",
	 0},
	{"format", 'f', "FMT", 0,
	 "Output format: csv, tsv, json, ndjson, table (default table on a "
	 "terminal, else csv)",
	 0},
	{"input-format", 'i', "FMT", 0,
	 "Input format: csv, tsv, json, ndjson (default: detected)", 0},
	{"fields", OPT_FIELDS, "A,B,...", 0, "Output these fields, in order", 0},
	{"where", 'w', "EXPR", 0,
	 "Only records where FIELD OP VALUE (OP: = != < <= > >= ~); "
	 "repeatable, all must hold",
	 0},
	{"sort", OPT_SORT, "[-]FIELD,...", 0,
	 "Order by these fields (- for descending)", 0},
	{"limit", OPT_LIMIT, "N", 0, "At most N records", 0},
	{"ids", OPT_IDS, 0, 0, "Print only record ids, one per line", 0},
	{"stdin", OPT_STDIN, 0, 0,
	 "Read record ids (or keys) from stdin, one per line, or records "
	 "with an id column (another command's output)",
	 0},
	{"dry-run", 'n', 0, 0, "Do everything but commit; report what would change",
	 0},
	{"quiet", 'q', 0, 0, "No summaries or progress on stderr", 0},
	{"safe-csv", OPT_SAFE_CSV, 0, 0,
	 "CSV/TSV output: an apostrophe before cells starting = + - @ tab or "
	 "CR, for spreadsheets (default: $CRM_SAFE_CSV, else off)",
	 0},
	{"no-safe-csv", OPT_NO_SAFE_CSV, 0, 0,
	 "CSV/TSV output: cells as they are", 0},
	{"list-options", OPT_LIST_OPTIONS, 0, OPTION_HIDDEN,
	 "List every option of this verb (for completions)", 0},
	{0},
};

static void list_options(const struct argp *argp)
{
	for (const struct argp_option *o = argp->options; o && (o->name || o->key);
	     o++)
		if (o->name && !(o->flags & OPTION_HIDDEN))
			printf("--%s%s\n", o->name, o->arg ? "=" : "");
	for (const struct argp_child *c = argp->children; c && c->argp; c++)
		list_options(c->argp);
}

static error_t common_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	int f;

	switch (key) {
	case 'd':
		cli->db_path = arg;
		break;
	case 'f':
		f = crm_fmt_parse(arg);
		if (f < 0 || f == CRM_FMT_AUTO ||
		    (f == CRM_FMT_HTML && !cli->cmd->html))
			argp_error(state, "unknown format '%s'", arg);
		cli->fmt = (enum crm_fmt)f;
		break;
	case 'i':
		f = crm_fmt_parse(arg);
		if (f < 0 || f == CRM_FMT_TABLE || f == CRM_FMT_HTML)
			argp_error(state, "unknown input format '%s'", arg);
		cli->ifmt = (enum crm_fmt)f;
		break;
	case OPT_FIELDS:
		cli->fields = arg;
		break;
	case 'w':
		crm_strv_push(&cli->where, arg);
		break;
	case OPT_SORT:
		cli->sort = arg;
		break;
	case OPT_LIMIT:
		if (crm_parse_int(arg, &cli->limit) < 0 || cli->limit < 0)
			argp_error(state, "--limit: expected a count, got '%s'",
				   arg);
		break;
	case OPT_IDS:
		cli->ids = true;
		break;
	case OPT_STDIN:
		cli->from_stdin = true;
		break;
	case 'n':
		cli->dry_run = true;
		break;
	case 'q':
		cli->quiet = true;
		break;
	case OPT_SAFE_CSV:
		cli->safe_csv = true;
		break;
	case OPT_NO_SAFE_CSV:
		cli->safe_csv = false;
		break;
	case OPT_LIST_OPTIONS:
		list_options(state->root_argp);
		exit(0);
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp common_argp = {common_options, common_parse, NULL,
					NULL, NULL, NULL, NULL};

/* The input options of verbs that read records (CRM_VERB_READS), and
 * the time options of those that import them (CRM_VERB_IMPORT). */
enum {
	OPT_DELIMITER = 0x1c0,
	OPT_STRICT,
	OPT_ENCODING,
	OPT_DATE_FORMAT,
	OPT_TZ,
};

#define READ_OPTIONS                                                           \
	{"delimiter",                                                          \
	 OPT_DELIMITER,                                                        \
	 "CHAR",                                                               \
	 0,                                                                    \
	 "CSV cell separator: one character, or tab (default: ';' when the "   \
	 "header has semicolons and no commas or tabs, else ',')",             \
	 0},                                                                   \
	    {"strict",                                                         \
	     OPT_STRICT,                                                       \
	     0,                                                                \
	     0,                                                                \
	     "CSV: refuse a quote inside an unquoted cell (default: it is a "  \
	     "literal character, as in 5'11\")",                               \
	     0},                                                               \
	{                                                                      \
		"encoding", OPT_ENCODING, "CHARSET", 0,                        \
		    "Input character set, as iconv names it: GB18030, GBK, "   \
		    "BIG5, "                                                   \
		    "SHIFT_JIS, CP1252, UTF-16 ... (default UTF-8; a byte "    \
		    "order "                                                   \
		    "mark decides)",                                           \
		    0                                                          \
	}

static const struct argp_option read_options[] = {READ_OPTIONS, {0}};

static const struct argp_option import_input_options[] = {
    READ_OPTIONS,
    {"date-format", OPT_DATE_FORMAT, "FMT", 0,
     "Times in the input: us (M/D/YYYY h:mm AM), eu (D/M/YYYY, D.M.YYYY), "
     "ymd (YYYY/MM/DD), mon (22-Nov-2026), excel, excel1904, or a "
     "strftime format such as '%d.%m.%Y %H:%M' (default: ISO 8601 only)",
     0},
    {"tz", OPT_TZ, "ZONE", 0,
     "IANA time zone of input times without an offset (default UTC)", 0},
    {0},
};

static error_t input_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;

	switch (key) {
	case OPT_DELIMITER:
		if (!strcmp(arg, "tab") || !strcmp(arg, "\\t"))
			arg = "\t";
		if (strlen(arg) != 1 || strchr("\"\r\n", *arg))
			argp_error(state,
				   "--delimiter: expected one character (not "
				   "a quote or line end) or tab, got '%s'",
				   arg);
		cli->read.delim = *arg;
		break;
	case OPT_STRICT:
		cli->read.strict = true;
		break;
	case OPT_ENCODING:
		cli->read.encoding = arg;
		break;
	case OPT_DATE_FORMAT:
		cli->date_format = arg;
		break;
	case OPT_TZ:
		cli->tz = arg;
		break;
	case ARGP_KEY_END:
		/* even with neither option: ISO 8601, with hints */
		cli->dates =
		    crm_datefmt_new(cli->date_format, cli->tz, &cli->err);
		if (!cli->dates)
			argp_error(state, "%s", cli->err.msg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp read_argp = {read_options, input_parse, NULL, NULL,
				      NULL,	    NULL,	 NULL};
static const struct argp import_input_argp = {
    import_input_options, input_parse, NULL, NULL, NULL, NULL, NULL};

/* The verb's parser: positional arguments, per-field flags, then the
 * verb's own options. */
static error_t verb_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	const struct crm_entity *e = cli->cmd->entity;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = cli;
		if (cli->verb->flags & CRM_VERB_READS)
			state->child_inputs[1] = cli; /* the input options */
		return 0;
	case ARGP_KEY_ARG:
		crm_strv_push(&cli->args, arg);
		return 0;
	}
	if (key >= OPT_FIELD_BASE && e &&
	    (size_t)(key - OPT_FIELD_BASE) < e->nfields) {
		struct crm_entity_opts *o = cli->opts;
		char *kv = crm_xasprintf(
			"%s=%s", e->fields[key - OPT_FIELD_BASE].name, arg);
		crm_strv_push(&o->set, kv);
		free(kv);
		return 0;
	}
	if (cli->verb->parse)
		return cli->verb->parse(key, arg, state);
	return ARGP_ERR_UNKNOWN;
}

/* The verb's options plus, for add and update, one per settable field. */
static struct argp_option *verb_options(const struct crm_cli *cli,
					struct crm_strv *names)
{
	const struct crm_entity *e = cli->cmd->entity;
	const struct argp_option *vo = cli->verb->options;
	size_t nv = 0, n = 0;
	struct argp_option *all;
	bool fields = e && (!strcmp(cli->verb->name, "add") ||
			    !strcmp(cli->verb->name, "update"));

	while (vo && (vo[nv].name || vo[nv].key))
		nv++;
	all = crm_xcalloc(nv + (e ? e->nfields : 0) + 1, sizeof(*all));
	if (nv) /* vo may be NULL: memcpy from NULL is undefined */
		memcpy(all, vo, nv * sizeof(*all));
	n = nv;
	for (size_t i = 0; fields && i < e->nfields; i++) {
		const struct crm_field *f = &e->fields[i];
		char *nm;

		if (f->flags & (CRM_FF_HIDDEN | CRM_FF_SYSTEM | CRM_FF_READONLY))
			continue;
		nm = crm_xstrdup(f->name);
		for (char *p = nm; *p; p++)
			if (*p == '_')
				*p = '-';
		crm_strv_push(names, nm);
		free(nm);
		all[n].name = names->v[names->n - 1];
		all[n].key = OPT_FIELD_BASE + (int)i;
		all[n].arg = "VALUE";
		all[n].doc = "Set this field";
		all[n].group = 5;
		n++;
	}
	return all;
}

static void print_verbs(const struct crm_command *cmd, FILE *fp)
{
	fprintf(fp, "Usage: %s VERB [OPTION...] [ARG...]\n%s\n\nVerbs:\n",
		cmd->name, cmd->doc);
	for (size_t i = 0; i < cmd->nverbs; i++)
		fprintf(fp, "  %-10s %s\n", cmd->verbs[i].name,
			cmd->verbs[i].doc);
	fprintf(fp,
		"\n'%s VERB --help' describes a verb and its options.\n"
		"Report bugs in the project's issue tracker.\n",
		cmd->name);
}

static const struct crm_verb *find_verb(const struct crm_command *cmd,
					const char *name)
{
	for (size_t i = 0; i < cmd->nverbs; i++)
		if (!strcmp(cmd->verbs[i].name, name))
			return &cmd->verbs[i];
	return NULL;
}

/* Flush and close stdout, checking for errors (a full disk is exit 74).
 * A command that failed has said why already; a write error is reported
 * here only after success or a check verb's "found something" (1). */
static int close_stdout(const char *prog, int status)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno == EPIPE)
			return status;
		/* 3 says the rest committed; a write error is worse news */
		if (status > 1 && status != CRM_EX_REJECTED)
			return status;
		fprintf(stderr, "%s: write error: %s\n", prog,
			strerror(errno ? errno : EIO));
		return CRM_EX_IOERR;
	}
	return status;
}

/* The database's before-commit hook: what the verb wrote must be out
 * before its transaction commits, so a full disk or a closed pipe (with
 * SIGPIPE ignored) rolls the write back instead of committing it. */
static int flush_before_commit(void *arg, struct crm_err *err)
{
	(void)arg;
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		return crm_err_set(err, CRM_EX_IOERR, "write error: %s",
				   strerror(errno ? errno : EIO));
	return 0;
}

/* A yes/no environment variable: set, not empty and not "0", "no", "off"
 * or "false" is yes. */
static bool env_flag(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0") && strcasecmp(v, "no") &&
	       strcasecmp(v, "off") && strcasecmp(v, "false");
}

static struct crm_store *interruptible;

/* SIGINT/SIGTERM: note it and stop the database's current statement; the
 * verb then fails, its transaction rolls back and main() says so. */
static void on_signal(int sig)
{
	(void)sig;
	crm_interrupted = 1;
	crm_store_interrupt(interruptible);
}

static void catch_signals(void)
{
	struct sigaction sa = {0};

	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int crm_cli_main(const struct crm_command *cmd, void *opts, int argc,
		 char **argv)
{
	struct crm_cli cli = {0};
	struct crm_strv names = {0};
	struct argp_option *options = NULL;
	struct argp_child children[] = {{&common_argp, 0, "Common options:", 10},
					{NULL, 0, "Input options:", 9},
					{0}};
	struct argp argp = {0};
	char *args_doc = NULL, *version;
	int status;

	argp_err_exit_status = CRM_EX_USAGE;
	version = crm_xasprintf("%s (crm) %s", cmd->name, CRM_VERSION);
	argp_program_version = version;
	cli.cmd = cmd;
	cli.opts = opts;
	cli.limit = -1;
	cli.out_tty = isatty(STDOUT_FILENO);
	cli.err_tty = isatty(STDERR_FILENO);
	cli.safe_csv = env_flag("CRM_SAFE_CSV");
	if (argc < 2) {
		fprintf(stderr, "%s: no verb given\n", cmd->name);
		print_verbs(cmd, stderr);
		free(version);
		return CRM_EX_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help") || !strcmp(argv[1], "-?")) {
		print_verbs(cmd, stdout);
		free(version);
		return close_stdout(cmd->name, 0);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("%s\n", version);
		free(version);
		return close_stdout(cmd->name, 0);
	}
	if (!strcmp(argv[1], "--describe")) {
		printf("%s\n", cmd->doc);
		free(version);
		return close_stdout(cmd->name, 0);
	}
	if (!strcmp(argv[1], "--list-fields")) {
		/* for completions: --where, --fields and --sort field names */
		for (size_t i = 0; cmd->entity && i < cmd->entity->nfields; i++)
			if (!(cmd->entity->fields[i].flags & CRM_FF_HIDDEN))
				printf("%s\n", cmd->entity->fields[i].name);
		free(version);
		return close_stdout(cmd->name, 0);
	}
	if (!strcmp(argv[1], "--list-verbs")) {
		for (size_t i = 0; i < cmd->nverbs; i++)
			printf("%s\n", cmd->verbs[i].name);
		free(version);
		return close_stdout(cmd->name, 0);
	}
	cli.verb = find_verb(cmd, argv[1]);
	if (!cli.verb) {
		const char **vn = crm_xcalloc(cmd->nverbs + 1, sizeof(*vn));
		const char *near;

		for (size_t i = 0; i < cmd->nverbs; i++)
			vn[i] = cmd->verbs[i].name;
		near = crm_closest(argv[1], vn, cmd->nverbs);
		fprintf(stderr, "%s: unknown verb '%s'\n", cmd->name, argv[1]);
		if (near)
			fprintf(stderr, "%s: did you mean '%s'?\n", cmd->name,
				near);
		fprintf(stderr, "Try '%s --help' for the list of verbs.\n",
			cmd->name);
		free(vn);
		free(version);
		return CRM_EX_USAGE;
	}
	if ((cli.verb->flags & CRM_VERB_IMPORT) == CRM_VERB_IMPORT)
		children[1].argp = &import_input_argp;
	else if (cli.verb->flags & CRM_VERB_READS)
		children[1].argp = &read_argp;
	options = verb_options(&cli, &names);
	args_doc = crm_xasprintf("%s%s%s", cli.verb->name,
				 cli.verb->args_doc ? " " : "",
				 cli.verb->args_doc ? cli.verb->args_doc : "");
	/* no options: NULL, or glibc's argp leaks its empty option table */
	argp.options = options[0].name || options[0].key ? options : NULL;
	argp.parser = verb_parse;
	argp.args_doc = args_doc;
	argp.doc = cli.verb->doc;
	argp.children = children;
	/* argv[1] is the verb: parse the rest with argv[0] as the name */
	argv[1] = argv[0];
	argp_parse(&argp, argc - 1, argv + 1, 0, NULL, &cli);

	signal(SIGPIPE, SIG_DFL);
	status = 0;
	if (!(cli.verb->flags & CRM_VERB_NODB)) {
		bool create = ((cli.verb->flags & CRM_VERB_WRITE) ||
			       cli.writes) &&
			      !cli.db_optional;

		if (crm_cli_open_db(&cli, create) < 0) {
			if (cli.db_optional && cli.err.code == CRM_EX_NOINPUT)
				crm_err_clear(&cli.err); /* runs without */
			else
				status = crm_cli_fail(&cli);
		} else {
			cli.db->before_commit = flush_before_commit;
		}
	}
	if (!status) {
		if (cli.db)
			interruptible = cli.db->store;
		catch_signals();
		status = cli.verb->run(&cli);
		interruptible = NULL;
	}
	crm_db_close(cli.db);
	free(cli.reads);
	crm_datefmt_free(cli.dates);
	crm_strv_release(&cli.where);
	crm_strv_release(&cli.args);
	crm_strv_release(&names);
	free(options);
	free(args_doc);
	free(version);
	return close_stdout(cmd->name, status);
}

int crm_cli_open_db(struct crm_cli *cli, bool create)
{
	if (cli->db)
		return 0;
	cli->db = crm_db_open(cli->db_path, create ? CRM_DB_CREATE : 0,
			      &cli->err);
	if (!cli->db)
		return -1;
	/* a typo in --db or $CRM_DB must not pass unseen */
	if (cli->db->created)
		crm_cli_note(cli, "created a new database at '%s'",
			     cli->db->path);
	return 0;
}

enum crm_fmt crm_cli_format(const struct crm_cli *cli)
{
	if (cli->fmt != CRM_FMT_AUTO)
		return cli->fmt;
	return cli->out_tty ? CRM_FMT_TABLE : CRM_FMT_CSV;
}

bool crm_cli_color(const struct crm_cli *cli)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	return cli->out_tty && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}

unsigned crm_cli_wflags(const struct crm_cli *cli)
{
	unsigned flags = cli->safe_csv ? CRM_W_SAFE : 0;

	if (crm_cli_format(cli) == CRM_FMT_TABLE && crm_cli_color(cli))
		flags |= CRM_W_COLOR;
	return flags;
}

size_t crm_cli_term_width(const struct crm_cli *cli)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	int64_t n;

	if (c && crm_parse_int(c, &n) == 0 && n >= 10 && n <= 100000)
		return (size_t)n;
	if (cli->out_tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 10)
		return ws.ws_col;
	return 0;
}

struct crm_writer *crm_cli_writer(struct crm_cli *cli,
				  const struct crm_strv *cols)
{
	struct crm_writer *w = crm_writer_open(stdout, crm_cli_format(cli),
					       (const char *const *)cols->v,
					       cols->n, crm_cli_wflags(cli));

	if (crm_cli_format(cli) == CRM_FMT_TABLE)
		crm_writer_width(w, crm_cli_term_width(cli));
	return w;
}

int crm_cli_columns(struct crm_cli *cli, const struct crm_entity *e,
		    bool every, struct crm_strv *cols)
{
	if (cli->fields) {
		crm_strv_split(cols, cli->fields, ',');
		if (!cols->n)
			return crm_err_set(&cli->err, CRM_EX_USAGE,
					   "--fields: no field given");
		return crm_entity_check_columns(cli->db, e, cols, &cli->err);
	}
	bool brief = !every && crm_cli_format(cli) == CRM_FMT_TABLE;

	crm_entity_columns(e, brief, cols);
	/* every field is the custom ones too (a table shows the main ones) */
	if (!brief && crm_entity_custom_names(cli->db, e, cols, &cli->err) < 0)
		return -1;
	return 0;
}

static int add_key(struct crm_cli *cli, const struct crm_entity *e,
		   const char *key, int64_t **ids, size_t *n, size_t *cap)
{
	struct crm_row row;
	int rc;

	crm_row_init(&row, e);
	rc = crm_entity_find(cli->db, e, key, &row, &cli->err);
	if (rc == 0)
		crm_err_set(&cli->err, CRM_EX_NOINPUT, "no %s '%s'", e->name,
			    key);
	if (rc > 0) {
		*ids = crm_xgrow(*ids, cap, *n + 1, sizeof(**ids));
		(*ids)[(*n)++] = crm_row_id(&row);
	}
	crm_row_release(&row);
	return rc > 0 ? 0 : -1;
}

/* --stdin takes either keys, one per line (ids, emails, external ids),
 * or records (CSV/TSV with a header, JSON, NDJSON) with an id column, so
 * that one command's output pipes straight into the next. A first line
 * with a comma or a tab, or that is just "id" (a one-column CSV), or
 * input starting with '[' or '{', is records. */
static bool looks_like_records(const char *s)
{
	const char *nl;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (*s == '[' || *s == '{')
		return true;
	nl = strchr(s, '\n');
	if (!strncmp(s, "id", 2) && (s[2] == '\n' || s[2] == '\r' || !s[2]))
		return true;
	for (const char *p = s; *p && p != nl; p++)
		if (*p == ',' || *p == '\t')
			return true;
	return false;
}

static int ids_from_lines(struct crm_cli *cli, const struct crm_entity *e,
			  struct crm_buf *all, int64_t **ids, size_t *n,
			  size_t *cap)
{
	char *save = NULL;

	for (char *line = strtok_r(all->s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);

		while (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len && add_key(cli, e, line, ids, n, cap) < 0)
			return -1;
	}
	return 0;
}

static int ids_from_records(struct crm_cli *cli, const struct crm_entity *e,
			    struct crm_buf *all, int64_t **ids, size_t *n,
			    size_t *cap)
{
	FILE *fp = fmemopen(all->s, all->len, "r");
	struct crm_reader *r = fp ? crm_reader_open(fp, "<stdin>", cli->ifmt,
						    &cli->err)
				  : NULL;
	struct crm_rec rec;
	int got = -1, rc = -1;

	crm_rec_init(&rec);
	if (!fp)
		crm_err_set(&cli->err, CRM_EX_IOERR, "cannot read stdin");
	while (r && (got = crm_reader_next(r, &rec, &cli->err)) > 0) {
		const char *id = crm_rec_get(&rec, "id");

		if (!id) {
			crm_err_at(&cli->err, CRM_EX_DATAERR, "<stdin>",
				   rec.line, "id",
				   "--stdin records need an id column");
			goto out;
		}
		if (add_key(cli, e, id, ids, n, cap) < 0)
			goto out;
	}
	if (r && got == 0)
		rc = 0;
out:
	crm_rec_release(&rec);
	crm_reader_free(r);
	if (fp)
		fclose(fp);
	return rc;
}

int crm_cli_query(struct crm_cli *cli, const struct crm_entity *e,
		  bool require, struct crm_query *q, int64_t **ids)
{
	size_t n = 0, cap = 0;

	memset(q, 0, sizeof(*q));
	*ids = NULL;
	q->where = &cli->where;
	q->sort = cli->sort;
	q->limit = cli->limit;
	for (size_t i = 0; i < cli->args.n; i++)
		if (add_key(cli, e, cli->args.v[i], ids, &n, &cap) < 0)
			return -1;
	if (cli->from_stdin) {
		struct crm_buf all = {0};
		char chunk[8192];
		size_t got;
		int rc;

		while ((got = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
			crm_buf_add(&all, chunk, got);
		/* a UTF-8 BOM (a file saved by Notepad or Excel) is no key */
		if (all.len >= 3 && !memcmp(all.s, "\xEF\xBB\xBF", 3)) {
			all.len -= 3;
			memmove(all.s, all.s + 3, all.len + 1); /* and NUL */
		}
		rc = looks_like_records(crm_buf_str(&all))
			     ? ids_from_records(cli, e, &all, ids, &n, &cap)
			     : ids_from_lines(cli, e, &all, ids, &n, &cap);
		crm_buf_release(&all);
		if (rc < 0)
			return -1;
		if (!n) {
			/* nothing on stdin selects nothing, not everything */
			*ids = crm_xgrow(*ids, &cap, 1, sizeof(**ids));
			(*ids)[n++] = 0;
		}
	}
	q->ids = *ids;
	q->nids = n;
	if (require && !n && !cli->where.n)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "no %s given (an id, --where or --stdin)",
				   e->name);
	return 0;
}

struct list_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
};

static int list_one(const struct crm_rec *rec, int64_t id, void *arg)
{
	struct list_ctx *lc = arg;

	if (lc->cli->ids ? printf("%lld\n", (long long)id) < 0
			 : crm_writer_write(lc->w, rec) < 0) {
		crm_err_set(&lc->cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		return -1;
	}
	return 0;
}

int crm_cli_list(struct crm_cli *cli, const struct crm_entity *e,
		 const struct crm_query *q, bool every)
{
	struct crm_strv cols = {0};
	struct list_ctx lc = {.cli = cli};
	int rc = -1;

	if (crm_cli_columns(cli, e, every, &cols) < 0)
		goto out;
	if (!cli->ids)
		lc.w = crm_cli_writer(cli, &cols);
	/* the writer's columns: the records borrow its names */
	if (crm_entity_each_rec(cli->db, e, q,
				lc.w ? crm_writer_cols(lc.w) : &cols, list_one,
				&lc, &cli->err) < 0)
		goto out;
	if (lc.w && crm_writer_close(lc.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	crm_writer_free(lc.w);
	crm_strv_release(&cols);
	return rc;
}

struct crm_reader *crm_cli_reader(struct crm_cli *cli, FILE *fp,
				  const char *name)
{
	cli->read.fmt = cli->ifmt;
	return crm_reader_open_with(fp, name, &cli->read, &cli->err);
}

int crm_cli_readers(struct crm_cli *cli, struct crm_reader ***rs, size_t *n,
		    FILE ***fps)
{
	size_t nf = cli->args.n ? cli->args.n : 1;

	*rs = crm_xcalloc(nf, sizeof(**rs));
	*fps = crm_xcalloc(nf, sizeof(**fps));
	*n = 0;
	for (size_t i = 0; i < nf; i++) {
		const char *path = cli->args.n ? cli->args.v[i] : "-";
		FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;

		if (!fp) {
			int code = errno == ENOENT ? CRM_EX_NOINPUT
						   : CRM_EX_IOERR;
			return crm_err_set(&cli->err, code,
					   "cannot open '%s': %s", path,
					   strerror(errno));
		}
		(*fps)[i] = fp;
		crm_cli_reading(cli, fp);
		(*rs)[i] = crm_cli_reader(cli, fp, path);
		*n = i + 1;
		if (!(*rs)[i])
			return -1;
	}
	return 0;
}

void crm_cli_readers_free(struct crm_reader **rs, FILE **fps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		crm_reader_free(rs[i]);
		if (fps[i] && fps[i] != stdin)
			fclose(fps[i]);
	}
	free(rs);
	free(fps);
}

void crm_cli_note(const struct crm_cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli->quiet)
		return;
	fprintf(stderr, "%s: ", cli->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int crm_cli_fail(struct crm_cli *cli)
{
	char msg[2048];
	bool write_error = cli->err.code == CRM_EX_IOERR &&
			   !strncmp(cli->err.msg, "write error", 11);

	/* stdout failing is seen by the commit and again by the writer's
	 * close: one message is enough */
	if (write_error && cli->write_error_said)
		return CRM_EX_IOERR;
	cli->write_error_said |= write_error;
	crm_cli_progress_end(cli);
	crm_err_format(&cli->err, cli->cmd->name, msg, sizeof(msg));
	fprintf(stderr, "%s\n", msg);
	if (cli->err.code == CRM_EX_USAGE)
		fprintf(stderr, "Try '%s %s --help' for more information.\n",
			cli->cmd->name, cli->verb ? cli->verb->name : "");
	return cli->err.code ? cli->err.code : CRM_EX_SOFTWARE;
}

static struct timespec progress_t0, progress_last;
static bool progress_shown;

static double seconds_between(struct timespec a, struct timespec b)
{
	return (double)(b.tv_sec - a.tv_sec) +
	       (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

void crm_cli_progress(uint64_t rows, void *arg)
{
	struct crm_cli *cli = arg;
	struct timespec now;
	struct stat sb;
	double secs, rate, frac = -1;
	off_t pos;

	if (!cli->err_tty || cli->quiet)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!progress_shown) {
		progress_t0 = progress_last = now;
		progress_shown = true;
		return;
	}
	if (seconds_between(progress_last, now) < 0.1)
		return;
	progress_last = now;
	secs = seconds_between(progress_t0, now);
	rate = secs > 0 ? (double)rows / secs : 0.0;
	if (cli->progress_in && fstat(fileno(cli->progress_in), &sb) == 0 &&
	    S_ISREG(sb.st_mode) && sb.st_size > 0 &&
	    (pos = ftello(cli->progress_in)) >= 0)
		frac = (double)pos / (double)sb.st_size;
	if (frac >= 0 && frac <= 1) {
		char bar[21];
		int full = (int)(frac * 20);
		double left = frac > 0 ? secs / frac - secs : 0;

		memset(bar, '#', (size_t)full);
		memset(bar + full, '.', (size_t)(20 - full));
		bar[20] = '\0';
		fprintf(stderr, "\r%s: [%s] %3.0f%%  %llu records  %.0f/s  %.0fs left ",
			cli->cmd->name, bar, frac * 100, (unsigned long long)rows,
			rate, left);
	} else {
		fprintf(stderr, "\r%s: %llu records  %.0f/s ", cli->cmd->name,
			(unsigned long long)rows, rate);
	}
}

void crm_cli_progress_end(struct crm_cli *cli)
{
	const char *term = getenv("TERM");

	/* a dumb terminal has no "erase line": blank the bar with spaces */
	if (progress_shown && cli->err_tty && !cli->quiet) {
		if (term && !strcmp(term, "dumb"))
			fprintf(stderr, "\r%79s\r", "");
		else
			fputs("\r\033[K", stderr);
	}
	progress_shown = false;
}

void crm_cli_reading(struct crm_cli *cli, FILE *fp)
{
	struct stat sb;

	if (!fp || fstat(fileno(fp), &sb) < 0)
		return;
	cli->reads = crm_xgrow(cli->reads, &cli->capreads, cli->nreads + 1,
			       sizeof(*cli->reads));
	cli->reads[cli->nreads].dev = sb.st_dev;
	cli->reads[cli->nreads++].ino = sb.st_ino;
}

/* What the file sb is that crm must never replace, or NULL: compared by
 * device and inode, so another name or a hard link is the same file. */
static const char *protected_file(const struct crm_cli *cli,
				  const struct stat *sb)
{
	static const char *const db_files[][2] = {
	    {"", "the database"},
	    {"-wal", "the database's -wal"},
	    {"-shm", "the database's -shm"},
	    {"-journal", "the database's -journal"},
	};
	char *db = cli->db ? crm_xstrdup(cli->db->path)
			   : crm_db_resolve_path(cli->db_path);
	const char *what = NULL;
	struct stat o;

	for (size_t i = 0; !what && i < 4; i++) {
		char *p = crm_xasprintf("%s%s", db, db_files[i][0]);

		if (stat(p, &o) == 0 && o.st_dev == sb->st_dev &&
		    o.st_ino == sb->st_ino)
			what = db_files[i][1];
		free(p);
	}
	free(db);
	for (size_t i = 0; !what && i < cli->nreads; i++)
		if (cli->reads[i].dev == sb->st_dev &&
		    cli->reads[i].ino == sb->st_ino)
			what = "an input of this run";
	if (!what && fstat(STDIN_FILENO, &o) == 0 && S_ISREG(o.st_mode) &&
	    o.st_dev == sb->st_dev && o.st_ino == sb->st_ino)
		what = "the standard input";
	return what;
}

int crm_cli_may_create(struct crm_cli *cli, const char *path, bool force)
{
	struct stat sb;
	const char *what;

	if (lstat(path, &sb) < 0)
		return 0;
	if (!force)
		return crm_err_set(&cli->err, CRM_EX_CANTCREAT,
				   "'%s' exists; --force replaces it", path);
	if ((what = protected_file(cli, &sb)))
		return crm_err_set(&cli->err, CRM_EX_CANTCREAT,
				   "'%s' is %s; --force never replaces it",
				   path, what);
	return 0;
}

static int close_keeping_errno(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
	return -1;
}

FILE *crm_cli_create(struct crm_cli *cli, const char *path, bool force)
{
	struct stat sb;
	const char *what;
	int fd;
	FILE *fp;

	/* checked before opening, since a close() of the database drops
	 * SQLite's locks; and again after, against a race */
	if (crm_cli_may_create(cli, path, force) < 0)
		return NULL;
	fd = open(path,
		  O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
		      (force ? 0 : O_EXCL),
		  0600);
	if (fd >= 0 && fstat(fd, &sb) < 0)
		fd = close_keeping_errno(fd);
	if (fd >= 0 && (what = protected_file(cli, &sb)))
		goto refuse; /* fd stays open: see above */
	if (fd >= 0 && force && S_ISREG(sb.st_mode) && ftruncate(fd, 0) < 0)
		fd = close_keeping_errno(fd);
	if (fd < 0) {
		if (errno == EEXIST)
			crm_err_set(&cli->err, CRM_EX_CANTCREAT,
				    "'%s' exists; --force replaces it", path);
		else
			crm_err_set(&cli->err, CRM_EX_CANTCREAT,
				    "cannot create '%s': %s", path,
				    strerror(errno));
		return NULL;
	}
	fp = fdopen(fd, "w");
	if (!fp) {
		close(fd);
		crm_err_set(&cli->err, CRM_EX_CANTCREAT,
			    "cannot create '%s': %s", path, strerror(errno));
	}
	return fp;
refuse:
	crm_err_set(&cli->err, CRM_EX_CANTCREAT,
		    "'%s' is %s; --force never replaces it", path, what);
	return NULL;
}
