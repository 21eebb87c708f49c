/* t_config.c - JSON configuration files (lib/base/config.c): the root, and
 * each error as the loaders report it: syntax at a line after a prefix, a
 * top level that is no object, a file missing, a directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "test.h"

/* crm_config_read's parse: the file's "n" into *arg, -1 when it is 0 */
static int parse_n(const char *path, json_t *root, void *arg,
		   struct crm_err *err)
{
	*(long *)arg = (long)json_integer_value(json_object_get(root, "n"));
	return *(long *)arg
		   ? 0
		   : crm_err_at(err, CRM_EX_CONFIG, path, 0, NULL, "n is 0");
}

int main(void)
{
	char dir[] = "/tmp/t_config.XXXXXX", path[64], missing[64];
	struct crm_err err = {0};
	json_t *root = NULL;
	FILE *fp;

	CHECK_INT(
	    crm_config_parse("{\"a\": 1}", "x.json", NULL, "want", &root, &err),
	    0, "parse: an object");
	CHECK_INT(json_integer_value(json_object_get(root, "a")), 1,
		  "parse: its root");
	json_decref(root);

	crm_err_clear(&err);
	CHECK_INT(crm_config_parse("{\"a\": 1,\n \"a\": 2}", "x.json",
				   "bad: ", NULL, &root, &err),
		  -1, "parse: duplicate keys refused");
	CHECK(root == NULL, "parse: no root on an error");
	CHECK_INT(err.code, CRM_EX_CONFIG, "parse: a config error");
	CHECK_STR(err.file, "x.json", "parse: at the file");
	CHECK_INT(err.line, 2, "parse: at the line");
	CHECK(!strncmp(err.msg, "bad: duplicate object key", 25),
	      "parse: jansson's message after the prefix");

	crm_err_clear(&err);
	CHECK_INT(crm_config_parse("[1]", "x.json", NULL, "not an object",
				   &root, &err),
		  -1, "parse: an array where an object is wanted");
	CHECK_STR(err.msg, "not an object", "parse: the caller's message");
	CHECK_INT(err.line, 0, "parse: no line for the top level");
	CHECK_INT(crm_config_parse("[1]", "x.json", NULL, NULL, &root, &err), 0,
		  "parse: any top level when none is wanted");
	json_decref(root);

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/rules.json", dir);
	snprintf(missing, sizeof(missing), "%s/none.json", dir);
	fp = fopen(path, "w");
	fputs("{\n  \"x\": [1,\n}\n", fp);
	fclose(fp);

	crm_err_clear(&err);
	CHECK_INT(crm_config_load(path, "rules ", NULL, "want", &root, &err),
		  -1, "load: a syntax error");
	CHECK_STR(err.file, path, "load: at the file");
	CHECK_INT(err.line, 3, "load: at the line");

	crm_err_clear(&err);
	errno = 0;
	CHECK_INT(crm_config_load(missing, "rules ", NULL, "want", &root, &err),
		  -1, "load: a missing file");
	CHECK_INT(errno, ENOENT, "load: errno kept");
	CHECK_INT(err.code, CRM_EX_NOINPUT, "load: missing is no input");
	{
		char want[200];
		snprintf(want, sizeof(want),
			 "cannot open rules '%s': No such file or directory",
			 missing);
		CHECK_STR(err.msg, want, "load: the open message");
	}

	crm_err_clear(&err);
	CHECK_INT(crm_config_load(dir, "", NULL, NULL, &root, &err), -1,
		  "load: a directory");
	CHECK_INT(err.code, CRM_EX_CONFIG,
		  "load: a directory is a config error");

	fp = fopen(path, "w");
	fputs("{\"ok\": true}\n", fp);
	fclose(fp);
	CHECK_INT(crm_config_load(path, "", NULL, "want", &root, &err), 0,
		  "load: a good file");
	CHECK(json_is_true(json_object_get(root, "ok")), "load: its root");
	json_decref(root);

	/* crm_config_text: the text, else the file's */
	CHECK_INT(
	    crm_config_text("{\"t\": 1}", path, NULL, "want", &root, &err), 0,
	    "text: the text given");
	CHECK(json_integer_value(json_object_get(root, "t")) == 1,
	      "text: the text's root, not the file's");
	json_decref(root);
	CHECK_INT(crm_config_text(NULL, path, NULL, "want", &root, &err), 0,
		  "text: NULL reads the file");
	CHECK(json_is_true(json_object_get(root, "ok")),
	      "text: the file's root");
	json_decref(root);
	crm_err_clear(&err);
	CHECK_INT(crm_config_text(NULL, missing, NULL, "want", &root, &err), -1,
		  "text: a missing file");
	CHECK_INT(err.code, CRM_EX_CONFIG, "text: missing is a config error");
	CHECK_STR(err.file, missing, "text: at the file");
	CHECK(!strncmp(err.msg, "cannot open: ", 13), "text: the read message");
	CHECK(root == NULL, "text: no root after an error");

	unlink(path);
	rmdir(dir);

	/* crm_json_int_text: a string as it is, an integer as text */
	{
		char buf[32];
		json_t *j = json_string("a\"b");
		const char *t = crm_json_int_text(j, buf);

		CHECK(t == json_string_value(j), "int text: a string itself");
		json_decref(j);
		j = json_integer(-9223372036854775807LL - 1);
		CHECK_STR(crm_json_int_text(j, buf), "-9223372036854775808",
			  "int text: an integer");
		json_decref(j);
		j = json_real(1.5);
		CHECK(!crm_json_int_text(j, buf), "int text: no real");
		json_decref(j);
		CHECK(!crm_json_int_text(json_null(), buf),
		      "int text: no null");
		CHECK(!crm_json_int_text(NULL, buf), "int text: no NULL");
	}
	/* crm_config_read: the root to parse, its result; parse not called
	 * when the file is not read */
	{
		char p2[] = "/tmp/t_config_read.XXXXXX";
		int fd = mkstemp(p2);
		long n = -1;

		CHECK(fd >= 0 && write(fd, "{\"n\": 7}", 8) == 8, "read: file");
		close(fd);
		CHECK_INT(crm_config_read(p2, "", "want", parse_n, &n, &err), 0,
			  "read: parsed");
		CHECK_INT(n, 7, "read: parse saw the root");
		fd = open(p2, O_WRONLY | O_TRUNC);
		CHECK(write(fd, "{\"n\": 0}", 8) == 8, "read: file 2");
		close(fd);
		CHECK_INT(crm_config_read(p2, "", "want", parse_n, &n, &err),
			  -1, "read: parse's failure");
		CHECK_STR(err.msg, "n is 0", "read: parse's error");
		unlink(p2);
		n = -1;
		CHECK_INT(crm_config_read(p2, "", "want", parse_n, &n, &err),
			  -1, "read: a missing file");
		CHECK_INT(n, -1, "read: parse not called");
		CHECK_INT(err.code, CRM_EX_NOINPUT,
			  "read: missing is no input");
	}
	return done_testing();
}
