/* dl.c - libraries loaded when first needed (dl.h). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dl.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int load(struct crm_dl *l, struct crm_err *err)
{
	const char *lib;
	void *h;

	if (l->loaded)
		return 0;
	/* not from a set-user-ID program's environment */
	lib = l->env ? secure_getenv(l->env) : NULL;
	if (!lib || !*lib)
		lib = l->soname;
	/* RTLD_LOCAL: its symbols stay out of the way of the program's */
	if (!(h = dlopen(lib, RTLD_NOW | RTLD_LOCAL)))
		return crm_err_set(err, CRM_EX_CONFIG,
				   "%s needs %s (Debian package %s), which "
				   "cannot be loaded: %s",
				   l->need, l->soname, l->package, dlerror());
	for (size_t i = 0; i < l->n; i++)
		if (!(l->slots[i] = dlsym(h, l->names[i]))) {
			crm_err_set(err, CRM_EX_CONFIG,
				    "%s needs %s, but %s has no %s", l->need,
				    l->soname, lib, l->names[i]);
			memset(l->slots, 0, l->n * sizeof(*l->slots));
			dlclose(h);
			return -1;
		}
	l->loaded = true; /* never closed: it stays until exit */
	return 0;
}

/* one thread loads; the others wait and find it loaded */
int crm_dl_load(struct crm_dl *l, struct crm_err *err)
{
	int rc;

	pthread_mutex_lock(&lock);
	rc = load(l, err);
	pthread_mutex_unlock(&lock);
	return rc;
}
