/* crm - the dispatcher: "crm NOUN ARGS" runs "crm-NOUN ARGS", git style,
 * looking beside this binary first, then on PATH. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_search.h"
#include "db.h"
#include "util.h"

static const char usage[] =
    "Usage: crm COMMAND [ARG...]\n"
    "       crm NOUN VERB [OPTION...]   (runs crm-NOUN VERB ...)\n"
    "\n"
    "Commands:\n"
    "  help           List the crm commands installed, a line each\n"
    "  init [--db=PATH]  Create the database (or bring it up to date)\n"
    "  search TEXT    Find contacts, companies, leads, deals and tickets\n"
    "                 by name, email, phone or company\n"
    "  version        Print the version\n"
    "\n"
    "'crm help' lists the nouns; 'crm NOUN --help' describes one.\n";

/* The folder this binary is in ("" if unknown). */
static void self_dir(char *out, size_t n)
{
	ssize_t len = readlink("/proc/self/exe", out, n - 1);
	char *slash;

	if (len <= 0) {
		out[0] = '\0';
		return;
	}
	out[len] = '\0';
	slash = strrchr(out, '/');
	if (slash)
		*slash = '\0';
}

static int is_exec(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	       access(path, X_OK) == 0;
}

/* Find crm-NAME beside us or on PATH; out gets the path. */
static int find_command(const char *name, char *out, size_t n)
{
	char dir[PATH_MAX];
	const char *path = getenv("PATH");

	self_dir(dir, sizeof(dir));
	if (dir[0]) {
		snprintf(out, n, "%s/crm-%s", dir, name);
		if (is_exec(out))
			return 0;
	}
	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);

		snprintf(out, n, "%.*s/crm-%s", (int)len, len ? path : ".",
			 name);
		if (is_exec(out))
			return 0;
		path = colon ? colon + 1 : NULL;
	}
	return -1;
}

static void add_dir(const char *dir, struct crm_strv *seen)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char p[PATH_MAX];

		if (strncmp(de->d_name, "crm-", 4) || !de->d_name[4] ||
		    strchr(de->d_name, '.'))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (is_exec(p) && crm_strv_find(seen, de->d_name + 4) < 0)
			crm_strv_push(seen, de->d_name + 4);
	}
	closedir(d);
}

/* The one-line description a crm-NOUN prints with --describe. */
static void describe(const char *name)
{
	char path[PATH_MAX], line[512] = "";
	int fd[2];
	pid_t pid;
	FILE *fp;

	if (find_command(name, path, sizeof(path)) < 0 || pipe(fd) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execl(path, path, "--describe", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	fp = fdopen(fd[0], "r");
	if (fp) {
		if (!fgets(line, sizeof(line), fp))
			line[0] = '\0';
		fclose(fp);
	} else {
		close(fd[0]);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	line[strcspn(line, "\n")] = '\0';
	printf("  %-10s %s\n", name, line);
}

/* The nouns found beside this binary and on PATH, sorted. */
static void nouns(struct crm_strv *names)
{
	char dir[PATH_MAX];
	const char *path = getenv("PATH");

	self_dir(dir, sizeof(dir));
	if (dir[0])
		add_dir(dir, names);
	while (path && *path) {
		const char *colon = strchr(path, ':');
		char *p = crm_xstrndup(path, colon ? (size_t)(colon - path)
						   : strlen(path));
		add_dir(*p ? p : ".", names);
		free(p);
		path = colon ? colon + 1 : NULL;
	}
	if (names->n)
		qsort(names->v, names->n, sizeof(*names->v), crm_str_cmp);
}

/* "did you mean" for a mistyped noun or command, as git does. */
static void suggest(const char *noun)
{
	struct crm_strv names = {0};
	const char *near;

	nouns(&names);
	crm_strv_push(&names, "help");
	crm_strv_push(&names, "init");
	crm_strv_push(&names, "version");
	near = crm_closest(noun, (const char *const *)names.v, names.n);
	if (near)
		fprintf(stderr, "crm: did you mean '%s'?\n", near);
	crm_strv_release(&names);
}

static int help(void)
{
	struct crm_strv names = {0};

	nouns(&names);
	fputs(usage, stdout);
	printf("\nNouns:\n");
	for (size_t i = 0; i < names.n; i++)
		describe(names.v[i]);
	crm_strv_release(&names);
	return 0;
}

static int init(int argc, char **argv)
{
	const char *path = NULL;
	struct crm_err err = {0};
	struct crm_db *db;

	for (int i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "--db=", 5))
			path = argv[i] + 5;
		else if ((!strcmp(argv[i], "--db") || !strcmp(argv[i], "-d")) &&
			 i + 1 < argc)
			path = argv[++i];
		else {
			fprintf(stderr,
				"crm: init: unexpected '%s'\nUsage: crm init "
				"[--db=PATH]\n",
				argv[i]);
			return CRM_EX_USAGE;
		}
	}
	db = crm_db_open(path, CRM_DB_CREATE, &err);
	if (!db) {
		fprintf(stderr, "crm: %s\n", err.msg);
		return err.code;
	}
	fprintf(stderr, "crm: database '%s' ready (schema version %d)\n",
		db->path, crm_db_schema_version());
	crm_db_close(db);
	return 0;
}

/* crm search: a verb of crm itself, with the common options */
static const struct crm_verb search_verbs[] = {
    {"search", "TEXT...",
     "Find contacts, companies, leads, deals and tickets whose name, "
     "email, phone or company has TEXT (case-insensitive; a phone in any "
     "notation); grouped by noun on a terminal, else records; exit 1 when "
     "nothing matches",
     crm_search_options, crm_search_opts_parse, crm_verb_search, 0},
};

static const struct crm_command search_command = {
    "crm",	  "Find records across nouns.",
    search_verbs, sizeof(search_verbs) / sizeof(search_verbs[0]),
    NULL,	  false,
};

static int finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE) {
			fprintf(stderr, "crm: write error: %s\n",
				strerror(errno));
			return CRM_EX_IOERR;
		}
	}
	return status;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	const char *noun;

	if (argc < 2) {
		fputs(usage, stderr);
		return CRM_EX_USAGE;
	}
	noun = argv[1];
	if (!strcmp(noun, "help") || !strcmp(noun, "--help") ||
	    !strcmp(noun, "-h"))
		return finish(help());
	if (!strcmp(noun, "version") || !strcmp(noun, "--version") ||
	    !strcmp(noun, "-V")) {
		printf("crm %s\n", CRM_VERSION);
		return finish(0);
	}
	if (!strcmp(noun, "init"))
		return init(argc, argv);
	if (!strcmp(noun, "search")) {
		struct crm_search_opts o = {0};

		return crm_cli_main(&search_command, &o, argc, argv);
	}
	if (*noun == '-' || strchr(noun, '/') ||
	    find_command(noun, path, sizeof(path)) < 0) {
		fprintf(stderr,
			"crm: '%s' is not a crm command; 'crm help' lists "
			"them\n",
			noun);
		if (*noun != '-' && !strchr(noun, '/'))
			suggest(noun);
		return CRM_EX_USAGE;
	}
	argv[1] = path;
	execv(path, argv + 1);
	fprintf(stderr, "crm: cannot run '%s': %s\n", path, strerror(errno));
	return 126;
}
