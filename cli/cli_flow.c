/* cli_flow.c - crm-flow's verbs: list, check, run, test, log. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_approval.h"
#include "cli_flow.h"

const struct argp_option crm_flow_dir_options[] = {
    CRM_FLOW_OPTION_FLOWS,
    {0},
};

const struct argp_option crm_flow_run_options[] = {
    CRM_FLOW_OPTION_FLOWS,
    {"flow", CRM_FLOW_OPT_FLOW, "NAME", 0, "Run only this flow", 0},
    CRM_APPROVAL_APPROVERS_OPTION,
    {0},
};

const struct argp_option crm_flow_test_options[] = {
    CRM_FLOW_OPTION_FLOWS,
    {"record", CRM_FLOW_OPT_RECORD, "ID", 0, "The record to test (required)",
     0},
    {"at", CRM_FLOW_OPT_AT, "TIME", 0,
     "Test as if now were TIME (default: CRM_NOW or the clock)", 0},
    {0},
};

const struct argp_option crm_flow_log_options[] = {
    {"flow", CRM_FLOW_OPT_FLOW, "NAME", 0, "Only firings of this flow", 0},
    {"record", CRM_FLOW_OPT_RECORD, "ID", 0, "Only firings for this record", 0},
    {0},
};

error_t crm_flow_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_flow_opts *o = cli->opts;

	switch (key) {
	case CRM_FLOW_OPT_FLOWS:
		o->flows = arg;
		break;
	case CRM_FLOW_OPT_FLOW:
		o->flow = arg;
		break;
	case CRM_FLOW_OPT_RECORD:
		o->record = arg;
		break;
	case CRM_FLOW_OPT_AT:
		o->at = arg;
		break;
	case CRM_FLOW_OPT_REASON:
		o->reason = arg;
		break;
	case CRM_APPROVAL_OPT_APPROVERS:
		return crm_approval_opts_parse(key, arg, state);
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

void crm_flow_opts_release(struct crm_flow_opts *o)
{
	(void)o;
}

int crm_cli_flows(struct crm_cli *cli, struct crm_flows *fs)
{
	struct crm_flow_opts *o = cli->opts;
	char *dir = o->flows ? crm_xstrdup(o->flows) : crm_flows_default_dir();
	int rc = crm_flows_load(dir, fs, &cli->err);

	free(dir);
	return rc;
}

static struct crm_writer *writer(struct crm_cli *cli, const char *const *cols)
{
	struct crm_strv sv = {0};
	struct crm_writer *w;

	if (cli->fields) {
		/* --fields: a subset of cols, in its order */
		crm_strv_split(&sv, cli->fields, ',');
		for (size_t i = 0; i < sv.n; i++) {
			size_t k;

			for (k = 0; cols[k] && strcmp(cols[k], sv.v[i]); k++)
				;
			if (!cols[k]) {
				crm_err_set(&cli->err, CRM_EX_USAGE,
					    "--fields: no field '%s'", sv.v[i]);
				crm_strv_release(&sv);
				return NULL;
			}
		}
	} else {
		for (size_t i = 0; cols[i]; i++)
			crm_strv_push(&sv, cols[i]);
	}
	w = crm_cli_writer(cli, &sv);
	crm_strv_release(&sv);
	return w;
}

static int finish(struct crm_cli *cli, struct crm_writer *w, int rc)
{
	if (rc == 0 && w && crm_writer_close(w) < 0)
		rc = -1;
	if (rc < 0 && !cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
	crm_writer_free(w);
	return rc < 0 ? crm_cli_fail(cli) : 0;
}

static int no_args(struct crm_cli *cli)
{
	if (cli->args.n)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "unexpected argument '%s'", cli->args.v[0]);
	return 0;
}

/* -- external actions --------------------------------------------------- */

int crm_cli_flow_exec(char *const *argv, const char *stdin_text,
		      const char *env, struct crm_err *err)
{
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	int fd[2], status;
	size_t len = stdin_text ? strlen(stdin_text) : 0, off = 0;
	pid_t pid;

	if (pipe(fd) < 0)
		return crm_err_set(err, CRM_EX_SOFTWARE, "pipe: %s",
				   strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return crm_err_set(err, CRM_EX_SOFTWARE, "fork: %s",
				   strerror(errno));
	}
	if (pid == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		dup2(2, 1); /* stdout carries records only */
		if (env)
			putenv((char *)env);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[0]);
	sigaction(SIGPIPE, &ign, &old);
	while (off < len) {
		ssize_t w = write(fd[1], stdin_text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* it stopped reading: its status says */
		off += (size_t)w;
	}
	close(fd[1]);
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return crm_err_set(err, CRM_EX_SOFTWARE, "waitpid: %s",
					   strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "'%s' could not be run (exit 127)", argv[0]);
	if (WIFEXITED(status))
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "'%s' exited with status %d", argv[0],
				   WEXITSTATUS(status));
	return crm_err_set(err, CRM_EX_SOFTWARE, "'%s' was killed by signal %d",
			   argv[0], WTERMSIG(status));
}

/* -- list, check --------------------------------------------------------- */

static const char *const list_columns[] = {"name",	 "entity",  "trigger",
					   "conditions", "actions", "enabled",
					   "file",	 NULL};

int crm_verb_flow_list(struct crm_cli *cli)
{
	struct crm_flows fs;
	struct crm_writer *w;
	struct crm_rec rec;
	int rc = 0;

	if (no_args(cli) < 0 || crm_cli_flows(cli, &fs) < 0) {
		rc = crm_cli_fail(cli);
		crm_flows_release(&fs);
		return rc;
	}
	w = writer(cli, list_columns);
	if (!w) {
		crm_flows_release(&fs);
		return crm_cli_fail(cli);
	}
	crm_rec_init(&rec);
	for (size_t i = 0; rc == 0 && i < fs.n; i++) {
		const struct crm_flow *f = &fs.v[i];
		struct crm_buf t = {0}, a = {0};
		char n[32];

		crm_flow_trigger_describe(f, &t);
		for (size_t k = 0; k < f->nact; k++)
			crm_buf_addf(&a, "%s%s", k ? "," : "",
				     f->act[k].kind->name);
		crm_rec_clear(&rec);
		crm_rec_adds(&rec, "name", f->name);
		crm_rec_adds(&rec, "entity", f->e->name);
		crm_rec_adds(&rec, "trigger", crm_buf_str(&t));
		snprintf(n, sizeof(n), "%zu", f->ncond);
		crm_rec_add(&rec, "conditions", 10, n, strlen(n), CRM_RAW);
		crm_rec_adds(&rec, "actions", crm_buf_str(&a));
		crm_rec_adds(&rec, "enabled", f->enabled ? "true" : "false");
		crm_rec_adds(&rec, "file", f->path);
		rc = crm_writer_write(w, &rec);
		crm_buf_release(&t);
		crm_buf_release(&a);
	}
	crm_rec_release(&rec);
	crm_flows_release(&fs);
	return finish(cli, w, rc);
}

int crm_verb_flow_check(struct crm_cli *cli)
{
	struct crm_flows fs;
	int rc;

	if (no_args(cli) < 0 || crm_cli_flows(cli, &fs) < 0) {
		rc = crm_cli_fail(cli);
		crm_flows_release(&fs);
		return rc;
	}
	crm_cli_note(cli, "%zu %s ok in %s", fs.n, fs.n == 1 ? "flow" : "flows",
		     fs.dir);
	crm_flows_release(&fs);
	return 0;
}

/* -- run ----------------------------------------------------------------- */

static const char *const run_columns[] = {
    "flow",   "entity", "record", "occurrence", "why",
    "status", "did",	"error",  "depth",	NULL};

struct out_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
};

static int out_one(const struct crm_rec *rec, void *arg)
{
	struct out_ctx *oc = arg;

	if (!oc->w)
		oc->w = writer(oc->cli, run_columns);
	if (!oc->w)
		return -1;
	return crm_writer_write(oc->w, rec);
}

int crm_verb_flow_run(struct crm_cli *cli)
{
	struct crm_flow_opts *o = cli->opts;
	struct crm_flow_run_opts ro = {.dry_run = cli->dry_run,
				       .only = o->flow};
	struct crm_flow_run_stats st;
	struct out_ctx oc = {.cli = cli};
	struct crm_flows fs;
	int status;

	if (no_args(cli) < 0 || crm_cli_flows(cli, &fs) < 0) {
		status = crm_cli_fail(cli);
		crm_flows_release(&fs);
		return status;
	}
	if (o->flow && !crm_flows_find(&fs, o->flow)) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "no flow '%s' in %s",
			    o->flow, fs.dir);
		crm_flows_release(&fs);
		return crm_cli_fail(cli);
	}
	ro.fn = out_one;
	ro.exec = crm_cli_flow_exec;
	ro.arg = &oc;
	if (crm_flow_run(cli->db, &fs, &ro, &st, &cli->err) < 0) {
		if (!cli->err.code)
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
		crm_writer_free(oc.w);
		crm_flows_release(&fs);
		return crm_cli_fail(cli);
	}
	crm_flows_release(&fs);
	status = finish(cli, oc.w, 0);
	if (status)
		return status;
	crm_cli_note(
	    cli, "%s%llu fired, %llu failed, %llu sent, %llu %s stopped",
	    cli->dry_run ? "dry run: " : "", (unsigned long long)st.fired,
	    (unsigned long long)st.failed, (unsigned long long)st.sent,
	    (unsigned long long)st.loops, st.loops == 1 ? "loop" : "loops");
	return st.failed || st.loops ? CRM_EX_FOUND : 0;
}

/* -- test ---------------------------------------------------------------- */

static const char *const test_columns[] = {"step", "holds", "detail", NULL};

int crm_verb_flow_test(struct crm_cli *cli)
{
	struct crm_flow_opts *o = cli->opts;
	struct out_ctx oc = {.cli = cli};
	struct crm_flows fs = {0};
	const struct crm_flow *f;
	int64_t id;
	bool fires = false;
	int rc;

	if (cli->args.n != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "test takes one flow name");
		goto fail;
	}
	if (!o->record || crm_parse_int(o->record, &id) < 0 || id <= 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "test needs --record ID (a record id)");
		goto fail;
	}
	if (o->at && crm_datetime_parse(o->at, &cli->db->now, &cli->err) < 0) {
		cli->err.code = CRM_EX_USAGE;
		goto fail;
	}
	if (crm_cli_flows(cli, &fs) < 0)
		goto fail;
	f = crm_flows_find(&fs, cli->args.v[0]);
	if (!f) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "no flow '%s' in %s",
			    cli->args.v[0], fs.dir);
		goto fail;
	}
	oc.w = writer(cli, test_columns);
	if (!oc.w)
		goto fail;
	rc = crm_flow_test(cli->db, f, id, out_one, &oc, &fires, &cli->err);
	crm_flows_release(&fs);
	rc = finish(cli, oc.w, rc);
	return rc ? rc : fires ? 0 : CRM_EX_FOUND;
fail:
	crm_flows_release(&fs);
	return crm_cli_fail(cli);
}

/* -- log ----------------------------------------------------------------- */

static const char *const log_columns[] = {
    "id",	  "fired_at", "flow",	  "entity", "record",
    "occurrence", "status",   "attempts", "depth",  "why",
    "did",	  "error",    "next_try", "change", NULL};

int crm_verb_flow_log(struct crm_cli *cli)
{
	struct crm_flow_opts *o = cli->opts;
	struct out_ctx oc = {.cli = cli};
	int64_t id = 0;
	int rc;

	if (no_args(cli) < 0 ||
	    (o->record && (crm_parse_int(o->record, &id) < 0 || id <= 0) &&
	     crm_err_set(&cli->err, CRM_EX_USAGE, "--record: an id") < 0))
		return crm_cli_fail(cli);
	oc.w = writer(cli, log_columns);
	if (!oc.w)
		return crm_cli_fail(cli);
	rc = crm_flow_log(cli->db, o->flow, id, out_one, &oc, &cli->err);
	return finish(cli, oc.w, rc);
}
