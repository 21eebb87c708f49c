/* dl.h - libraries loaded when first needed instead of at every start
 * (HACKING.md, "Start-up"): libpq, GMime and libxml2 and the dozens of
 * libraries they pull in cost every run of every binary milliseconds
 * while most runs never call them. A user lists the functions it calls,
 * loads them at its entry points with crm_dl_load, and calls them through
 * the table:
 *
 *	#define FOO_SYMS(X) X(foo_open) X(foo_close)
 *	CRM_DL_TABLE(foo, FOO_SYMS)
 *	static struct crm_dl foo_dl = CRM_DL_INIT(foo, "libfoo.so.1",
 *		"CRM_LIBFOO", "reading foo", "libfoo1");
 *	#define foo_open CRM_DL_CALL(foo, foo_open)
 *
 * then "if (crm_dl_load(&foo_dl, err) < 0) return -1;" before the first
 * call. A variable (libxml2's xmlFree) works the same way. */
#ifndef CRM_DL_H
#define CRM_DL_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct crm_dl {
	const char *soname;	  /* what to dlopen, e.g. "libpq.so.5" */
	const char *env;	  /* a variable naming another file to load */
	const char *need;	  /* what needs it, for the message */
	const char *package;	  /* the Debian package that has it */
	const char *const *names; /* the symbols, in slot order */
	void **slots;		  /* filled in the same order */
	size_t n;
	bool loaded;
};

/* The enum of slots, the names and the slots of a table called name. */
#define CRM_DL_ENUM_(f) CRM_DL_SLOT_##f,
#define CRM_DL_NAME_(f) #f,
#define CRM_DL_TABLE(name, SYMS)                                               \
	enum { SYMS(CRM_DL_ENUM_) name##_nsyms };                              \
	static const char *const name##_names[] = {SYMS(CRM_DL_NAME_)};        \
	static void *name##_slots[name##_nsyms];
#define CRM_DL_INIT(name, soname, env, need, package)                          \
	{                                                                      \
		soname, env, need, package, name##_names, name##_slots,        \
		    name##_nsyms, false                                        \
	}
/* the symbol f of table name, with f's own type (a call or a variable) */
#define CRM_DL_CALL(name, f) (*(__typeof__(f) *)name##_slots[CRM_DL_SLOT_##f])

/* Load l's library and look up its symbols, once: 0, or -1 with err
 * (CRM_EX_CONFIG) naming what needs it, the library and the package. A
 * failure leaves the slots empty; the next call tries again. Threads may
 * call it at once (a lock). */
int crm_dl_load(struct crm_dl *l, struct crm_err *err);

#endif
