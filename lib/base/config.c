/* config.c - JSON configuration files. See config.h. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* The error of a failed parse (root NULL) or of a top level that is no
 * object, or 0 with root in *out. */
static int parsed(json_t *root, const json_error_t *je, const char *name,
		  const char *prefix, const char *object, json_t **out,
		  struct crm_err *err)
{
	*out = NULL;
	if (!root)
		return crm_err_at(err, CRM_EX_CONFIG, name,
				  je->line > 0 ? je->line : 0, NULL, "%s%s",
				  prefix ? prefix : "", je->text);
	if (object && !json_is_object(root)) {
		json_decref(root);
		return crm_err_at(err, CRM_EX_CONFIG, name, 0, NULL, "%s",
				  object);
	}
	*out = root;
	return 0;
}

int crm_config_parse(const char *text, const char *name, const char *prefix,
		     const char *object, json_t **root, struct crm_err *err)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &je);

	return parsed(j, &je, name, prefix, object, root, err);
}

int crm_config_load(const char *path, const char *what, const char *prefix,
		    const char *object, json_t **root, struct crm_err *err)
{
	json_error_t je;
	json_t *j;
	FILE *fp;

	*root = NULL;
	if (crm_config_not_dir(path, err) < 0)
		return -1;
	fp = fopen(path, "r");
	if (!fp) {
		int e = errno;
		crm_err_set(err, e == ENOENT ? CRM_EX_NOINPUT : CRM_EX_IOERR,
			    "cannot open %s'%s': %s", what, path, strerror(e));
		errno = e;
		return -1;
	}
	j = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
	fclose(fp);
	return parsed(j, &je, path, prefix, object, root, err);
}

int crm_config_dir(const char *dir, const char *what, struct crm_strv *names,
		   struct crm_err *err)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return crm_err_at(
		    err, errno == ENOENT ? CRM_EX_NOINPUT : CRM_EX_CONFIG, dir,
		    0, NULL, "cannot open %s: %s", what, strerror(errno));
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 5 && de->d_name[0] != '.' &&
		    !strcmp(de->d_name + n - 5, ".json"))
			crm_strv_push(names, de->d_name);
	}
	closedir(d);
	if (names->n)
		qsort(names->v, names->n, sizeof(*names->v), crm_str_cmp);
	return 0;
}

int crm_config_text(const char *text, const char *name, const char *prefix,
		    const char *object, json_t **root, struct crm_err *err)
{
	struct crm_buf b = {0};
	int rc;

	if (text)
		return crm_config_parse(text, name, prefix, object, root, err);
	*root = NULL;
	rc = crm_file_read(name, 1u << 20, &b, err);
	if (rc == 0)
		rc = crm_config_parse(b.s, name, prefix, object, root, err);
	crm_buf_release(&b);
	return rc;
}

const char *crm_json_int_text(const json_t *j, char buf[32])
{
	if (json_is_string(j))
		return json_string_value(j);
	if (!json_is_integer(j))
		return NULL;
	snprintf(buf, 32, "%lld", (long long)json_integer_value(j));
	return buf;
}

int crm_config_read(const char *path, const char *what, const char *object,
		    crm_config_fn *parse, void *arg, struct crm_err *err)
{
	json_t *root;
	int rc;

	if (crm_config_load(path, what, NULL, object, &root, err) < 0)
		return -1;
	rc = parse(path, root, arg, err);
	json_decref(root);
	return rc;
}

int crm_config_text_read(const char *text, const char *name, const char *object,
			 crm_config_fn *parse, void *arg, struct crm_err *err)
{
	json_t *root;
	int rc;

	crm_err_clear(err);
	if (crm_config_text(text, name, NULL, object, &root, err) < 0)
		return -1;
	snprintf(err->file, sizeof(err->file), "%s", name);
	rc = parse(name, root, arg, err);
	json_decref(root);
	if (rc == 0)
		crm_err_clear(err);
	return rc;
}
