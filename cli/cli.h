/* cli.h - what every crm-NOUN binary shares: the common options (one argp
 * child parser), verb dispatch, output, error reporting and the exit path.
 * This is the one part of libcrm that writes to stdout and stderr, and only
 * when a command's main() asks it to. */
#ifndef CRM_CLI_H
#define CRM_CLI_H

#include <argp.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "datefmt.h"
#include "db.h"
#include "entity.h"
#include "record.h"
#include "util.h"

struct crm_cli;

enum {
	/* writes: creates the database when it is missing (and says so);
	 * a verb without it is a read, and a missing database is exit 66 */
	CRM_VERB_WRITE = 1,
	CRM_VERB_NODB = 2, /* needs no database */
	/* reads records: takes the input options (--delimiter, --strict,
	 * --encoding) */
	CRM_VERB_READS = 4,
	/* imports records: the input options and --date-format, --tz */
	CRM_VERB_IMPORT = 8 | CRM_VERB_READS,
};

struct crm_verb {
	const char *name;
	const char *args_doc;		   /* "ID..." */
	const char *doc;		   /* one line: what it does */
	const struct argp_option *options; /* the verb's own, or NULL */
	/* Parses the verb's own options; state->input is the struct crm_cli.
	 * May be NULL. */
	error_t (*parse)(int key, char *arg, struct argp_state *state);
	int (*run)(struct crm_cli *cli); /* returns the exit status */
	unsigned flags;
};

struct crm_command {
	const char *name; /* "crm-contact" */
	const char *doc;  /* one line */
	const struct crm_verb *verbs;
	size_t nverbs;
	const struct crm_entity
	    *entity; /* for field-name completion, or NULL */
	bool html;   /* accepts -f html (its verbs write CRM_FMT_HTML) */
};

/* A file by device and inode, whatever its name. */
struct crm_cli_file {
	dev_t dev;
	ino_t ino;
};

struct crm_cli {
	const struct crm_command *cmd;
	const struct crm_verb *verb;
	/* common options */
	const char *db_path;
	enum crm_fmt fmt, ifmt;
	const char *fields;
	struct crm_strv where;
	const char *sort;
	int64_t limit; /* -1: none */
	bool dry_run, quiet, ids, from_stdin;
	/* set by a verb's option parser when an option makes a read verb
	 * write (stale --create-tasks): a missing database is then created */
	bool writes;
	/* set by a verb's option parser when an option makes a write verb
	 * only read, needing no database (import --explain-mapping): the
	 * database is opened when it is there, never created; without one
	 * the verb runs with cli->db NULL */
	bool db_optional;
	bool
	    safe_csv; /* --safe-csv, else $CRM_SAFE_CSV: CRM_W_SAFE on output */
	/* positional arguments after the verb */
	struct crm_strv args;
	bool out_tty, err_tty;
	struct crm_db *db;
	struct crm_err err;
	void *opts; /* the verb's own option values, set by the command */
	FILE *progress_in;     /* the input being read, for a progress bar */
	bool write_error_said; /* crm_cli_fail says a write error once */
	/* the files this run reads (crm_cli_reading): crm_cli_create never
	 * replaces one */
	struct crm_cli_file *reads;
	size_t nreads, capreads;
	/* input options (CRM_VERB_READS): read.fmt is ifmt when used */
	struct crm_read_opts read;
	struct crm_datefmt *dates; /* --date-format, --tz; NULL: neither */
	const char *date_format, *tz;
};

/* Run a command: parse argv (verb first), open the database, run the verb,
 * report its error, flush stdout. Returns the exit status for main(). */
int crm_cli_main(const struct crm_command *cmd, void *opts, int argc,
		 char **argv);

/* Open cli->db unless open: create it when missing if create is set,
 * saying so on stderr (unless --quiet); else a missing database is
 * CRM_EX_NOINPUT and nothing is created. Returns 0 or -1 with cli->err. */
int crm_cli_open_db(struct crm_cli *cli, bool create);

/* The output format: --format, else table on a terminal, else csv. */
enum crm_fmt crm_cli_format(const struct crm_cli *cli);
/* Writer flags for stdout: CRM_W_SAFE with --safe-csv, CRM_W_COLOR for a
 * table on a terminal without $NO_COLOR. */
unsigned crm_cli_wflags(const struct crm_cli *cli);
/* Whether output may be coloured: stdout a terminal, NO_COLOR unset or
 * empty, and TERM not "dumb". */
bool crm_cli_color(const struct crm_cli *cli);
/* The width tables fit in: $COLUMNS, else the terminal's on stdout, else 0
 * (no limit). */
size_t crm_cli_term_width(const struct crm_cli *cli);
/* A writer on stdout for cols in the output format. */
struct crm_writer *crm_cli_writer(struct crm_cli *cli,
				  const struct crm_strv *cols);
/* Columns for output: --fields if given (checked), else the entity's
 * default (brief on a table, every field otherwise, custom fields last
 * in name order). */
int crm_cli_columns(struct crm_cli *cli, const struct crm_entity *e, bool every,
		    struct crm_strv *cols);
/* The selection from the arguments (ids, emails, external ids), --stdin and
 * --where. With require set, an empty selection is a usage error. The ids
 * array in q is owned by the caller (free it). */
int crm_cli_query(struct crm_cli *cli, const struct crm_entity *e, bool require,
		  struct crm_query *q, int64_t **ids);
/* Write records of e selected by q (list). */
int crm_cli_list(struct crm_cli *cli, const struct crm_entity *e,
		 const struct crm_query *q, bool every);
/* Open fp as name with the input options (-i, --delimiter, --strict,
 * --encoding). NULL with cli->err on failure. */
struct crm_reader *crm_cli_reader(struct crm_cli *cli, FILE *fp,
				  const char *name);
/* Open input files (args, or stdin when none or "-"): readers in *rs. */
int crm_cli_readers(struct crm_cli *cli, struct crm_reader ***rs, size_t *n,
		    FILE ***fps);
void crm_cli_readers_free(struct crm_reader **rs, FILE **fps, size_t n);
/* Print a message to stderr as "prog: msg" unless --quiet. */
void crm_cli_note(const struct crm_cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Report cli->err on stderr; return its exit code. */
int crm_cli_fail(struct crm_cli *cli);
/* A progress callback for long work: rows done, on stderr when it is a
 * terminal and not --quiet. arg is the struct crm_cli. When
 * cli->progress_in is a regular file, a bar with the share read, the rate
 * and the time left; else the count and the rate. At most 10 updates a
 * second. */
void crm_cli_progress(uint64_t rows, void *arg);
void crm_cli_progress_end(struct crm_cli *cli);
/* Open path for writing a file crm makes (reject files, models, reports):
 * refuses to replace an existing file unless force, and even with force
 * (CRM_EX_CANTCREAT, the file untouched) when it is, by device and inode,
 * the database, its -wal, -shm or -journal, standard input or a file
 * this run reads (crm_cli_reading). */
FILE *crm_cli_create(struct crm_cli *cli, const char *path, bool force);
/* Whether crm_cli_create(cli, path, force) would refuse path as it is
 * now: 0, or -1 with cli->err. For a file made late (at the first
 * rejected row), to refuse before the work. */
int crm_cli_may_create(struct crm_cli *cli, const char *path, bool force);
/* Note that this run reads fp, which crm_cli_create must then never
 * replace. crm_cli_readers notes its inputs itself. */
void crm_cli_reading(struct crm_cli *cli, FILE *fp);

/* The generic verbs every entity command has; their run functions take the
 * entity from cli->cmd->entity. */
int crm_verb_add(struct crm_cli *cli);
int crm_verb_import(struct crm_cli *cli);
int crm_verb_list(struct crm_cli *cli);
int crm_verb_show(struct crm_cli *cli);
int crm_verb_update(struct crm_cli *cli);
int crm_verb_delete(struct crm_cli *cli);
int crm_verb_export(struct crm_cli *cli);
int crm_verb_undo(struct crm_cli *cli);
int crm_verb_tag(struct crm_cli *cli);
/* Output columns of a verb with fixed ones (names): --fields, checked
 * against names (a usage error otherwise), else all of them. */
int crm_cli_fixed_columns(struct crm_cli *cli, const char *const *names,
			  size_t n, struct crm_strv *cols);
/* history ID: the changes that touched one record, with changed_by */
int crm_verb_history(struct crm_cli *cli);
#define CRM_VERB_HISTORY(noun)                                                 \
	"history", "ID",                                                       \
	    "The changes made to one " noun ", oldest first, and who made "    \
	    "each (changed_by)",                                               \
	    NULL, NULL, crm_verb_history, 0
/* The fields of a command's verbs[] entry for a generic verb, as
 * {CRM_VERB_LIST("contacts")}; noun and nouns are string literals. */
#define CRM_VERB_ADD(noun)                                                     \
	"add", NULL, "Add one " noun " from options", crm_add_options,         \
	    crm_entity_opts_parse, crm_verb_add, CRM_VERB_WRITE
#define CRM_VERB_LIST(nouns)                                                   \
	"list", "[ID...]", "List " nouns " (brief columns on a terminal)",     \
	    NULL, NULL, crm_verb_list, 0
#define CRM_VERB_UPDATE(nouns)                                                 \
	"update", "[ID...]",                                                   \
	    "Change fields of the given " nouns ", or of those --where "       \
	    "selects",                                                         \
	    crm_update_options, crm_entity_opts_parse, crm_verb_update,        \
	    CRM_VERB_WRITE
#define CRM_VERB_DELETE(nouns, parse)                                          \
	"delete", "[ID...]",                                                   \
	    "Delete " nouns " (kept in the change log: undo restores them)",   \
	    crm_delete_options, parse, crm_verb_delete, CRM_VERB_WRITE
#define CRM_VERB_EXPORT(noun)                                                  \
	"export", NULL,                                                        \
	    "Write every " noun " with every field, in a form import takes "   \
	    "back",                                                            \
	    NULL, NULL, crm_verb_export, 0
#define CRM_VERB_UNDO(doc)                                                     \
	"undo", "CHANGE", doc, crm_undo_options, crm_entity_opts_parse,        \
	    crm_verb_undo, CRM_VERB_WRITE
#define CRM_VERB_TAG                                                           \
	"tag", "add|rm TAG[,TAG...] [ID...]", "Add or remove tags", NULL,      \
	    NULL, crm_verb_tag, CRM_VERB_WRITE
/* Options and parsers of the generic verbs (their state lives in a
 * struct crm_entity_opts the command passes as opts). */
struct crm_entity_opts {
	struct crm_strv set; /* --set FIELD=VALUE and per-field flags */
	struct crm_strv map; /* --map SRC=FIELD */
	const char *keys;    /* --key */
	const char *from;    /* --from PROFILE */
	bool explain_mapping;
	enum crm_import_mode mode;
	const char *reject;
	bool force, emit, all;
	/* import --on-duplicate (cli/cli_dedupe.c): the policy and
	 * threshold as given, and the check crm_verb_import and
	 * crm_verb_add pass on */
	const char *on_duplicate, *duplicate_threshold;
	int (*check)(struct crm_db *db, const struct crm_entity *e,
		     struct crm_import_new *nw, void *arg, struct crm_err *err);
	void *check_arg;
	/* and what crm_verb_import passes on with it (crm_import_opts) */
	void (*check_ahead)(const struct crm_row *const *in, size_t n,
			    void *arg);
	void (*check_wrote)(const struct crm_row *old,
			    const struct crm_row *row, void *arg);
	bool check_alone;
};
extern const struct argp_option crm_add_options[];
/* The import options as argp_option initializers, for an import verb that
 * adds its own (crm_import_dedupe_options); crm_import_options is them
 * alone. */
#define CRM_IMPORT_OPTION_LIST                                                 \
	{"map",                                                                \
	 'm',                                                                  \
	 "SOURCE=FIELD",                                                       \
	 0,                                                                    \
	 "Read input column SOURCE as FIELD (or custom:NAME, a custom "        \
	 "field); repeatable",                                                 \
	 0},                                                                   \
	    {"from",                                                           \
	     CRM_OPT_FROM,                                                     \
	     "PROFILE",                                                        \
	     0,                                                                \
	     "Read the export layout of another CRM: salesforce, hubspot, "    \
	     "zoho, pipedrive, fxiaoke (share/crm/profiles), or a profile "    \
	     "file",                                                           \
	     0},                                                               \
	    {"explain-mapping",                                                \
	     CRM_OPT_EXPLAIN_MAPPING,                                          \
	     0,                                                                \
	     0,                                                                \
	     "Print which field each input column becomes, and how "           \
	     "(column, field, how), and import nothing",                       \
	     0},                                                               \
	    {"key",                                                            \
	     'k',                                                              \
	     "KEY,...",                                                        \
	     0,                                                                \
	     "Match existing records by these keys in order; the first with "  \
	     "exactly one match wins (default: the entity's, e.g. "            \
	     "id,external_id,email)",                                          \
	     0},                                                               \
	    {"create-only",                                                    \
	     CRM_OPT_CREATE_ONLY,                                              \
	     0,                                                                \
	     0,                                                                \
	     "Only insert; a record that matches one already there is "        \
	     "rejected",                                                       \
	     0},                                                               \
	    {"update-only",                                                    \
	     CRM_OPT_UPDATE_ONLY,                                              \
	     0,                                                                \
	     0,                                                                \
	     "Only update; a record matching nothing is rejected",             \
	     0},                                                               \
	    {"reject",                                                         \
	     CRM_OPT_REJECT,                                                   \
	     "FILE",                                                           \
	     0,                                                                \
	     "Load the good records and write the bad ones to FILE, with "     \
	     "error_line and error columns",                                   \
	     0},                                                               \
	    {"force",                                                          \
	     CRM_OPT_FORCE,                                                    \
	     0,                                                                \
	     0,                                                                \
	     "Replace the reject file if it exists; let stages move "          \
	     "backwards",                                                      \
	     0},                                                               \
	{                                                                      \
		"emit", CRM_OPT_EMIT, 0, 0,                                    \
		    "Print each record with its id and import_action on "      \
		    "stdout",                                                  \
		    0                                                          \
	}
/* Keys of the generic verbs' options (crm_entity_opts_parse). */
enum {
	CRM_OPT_CREATE_ONLY = 0x200,
	CRM_OPT_UPDATE_ONLY,
	CRM_OPT_REJECT,
	CRM_OPT_FORCE,
	CRM_OPT_EMIT,
	CRM_OPT_ALL,
	CRM_OPT_FROM,
	CRM_OPT_EXPLAIN_MAPPING,
};
extern const struct argp_option crm_import_options[];
extern const struct argp_option crm_update_options[];
extern const struct argp_option crm_delete_options[];
extern const struct argp_option crm_undo_options[];
error_t crm_entity_opts_parse(int key, char *arg, struct argp_state *state);
void crm_entity_opts_release(struct crm_entity_opts *o);
/* crm_cli_main for a command whose verbs' state is a struct
 * crm_entity_opts. */
int crm_entity_cli_main(const struct crm_command *cmd, int argc, char **argv);

#endif
