/* config.h - JSON configuration files (scoring rules, assignment rules, SLA
 * policies, pipelines, currency rates, models, import profiles): read and
 * parsed the one way every loader shares, errors at the file and line. */
#ifndef CRM_CONFIG_H
#define CRM_CONFIG_H

#include <jansson.h>

#include "util.h"

/* Parse text, read from name, as JSON with duplicate keys refused; when
 * object is not NULL the top level must be an object. Returns 0 and the
 * root in *root (the caller's: json_decref), or -1 with a CRM_EX_CONFIG
 * error at name: a syntax error at its line with jansson's message after
 * prefix (NULL for none), a top level that is no object with the message
 * object. */
int crm_config_parse(const char *text, const char *name, const char *prefix,
		     const char *object, json_t **root, struct crm_err *err);
/* crm_config_parse on the file at path, a directory refused first
 * (crm_config_not_dir). A file that cannot be opened is the one error that
 * is not CRM_EX_CONFIG: CRM_EX_NOINPUT when it does not exist, else
 * CRM_EX_IOERR, "cannot open WHAT'PATH': REASON" (what "" or a noun and a
 * space, "rules "), errno kept for callers that word it their own way. */
int crm_config_load(const char *path, const char *what, const char *prefix,
		    const char *object, json_t **root, struct crm_err *err);

/* The names of the JSON files in dir ("NAME.json", not hidden), sorted,
 * pushed onto names. Returns 0, or -1 with err at dir when it cannot be
 * opened: "cannot open WHAT: REASON", CRM_EX_NOINPUT when it does not
 * exist, else CRM_EX_CONFIG. */
int crm_config_dir(const char *dir, const char *what, struct crm_strv *names,
		   struct crm_err *err);

/* crm_config_parse on text, or when text is NULL on the text of the file
 * name (crm_file_read: at most 1 MiB, its CRM_EX_CONFIG errors at name):
 * for a loader whose parse from text also serves to read a file. */
int crm_config_text(const char *text, const char *name, const char *prefix,
		    const char *object, json_t **root, struct crm_err *err);

/* A JSON string's own text, or a JSON integer written into buf; NULL for
 * anything else (NULL too): a value given as "42" or 42 alike. */
const char *crm_json_int_text(const json_t *j, char buf[32]);

/* A loader's parse of the root of the file path into arg: 0, or -1 with
 * err. */
typedef int crm_config_fn(const char *path, json_t *root, void *arg,
			  struct crm_err *err);

/* crm_config_load of path (what and object as there, no prefix), its root
 * handed to parse (path too) and released after: parse's result, or -1 when
 * the file is not read (parse not called). */
int crm_config_read(const char *path, const char *what, const char *object,
		    crm_config_fn *parse, void *arg, struct crm_err *err);
/* The same for crm_config_text of text, or of the file name when text is
 * NULL (object as there, no prefix): err cleared first, parse's errors at
 * name too, and cleared again when parse returns 0 (the rates and
 * pipelines files). */
int crm_config_text_read(const char *text, const char *name, const char *object,
			 crm_config_fn *parse, void *arg, struct crm_err *err);

#endif
