/* sync.h - working offline: a local SQLite copy of the records a user may
 * see on a PostgreSQL server (crm sync pull), and the local changes sent
 * back (crm sync push) with per-field three-way conflicts (the base value
 * pulled, the local value, the server's), exactly once.
 *
 * The copy is a normal crm database (every command works on it) plus
 * crm_sync_state (server, user, client id, cursor) and crm_sync_base (the
 * base row of every pulled record). The server keeps crm_sync_applied
 * (client, change key), written in the same transaction as the change, so
 * a push interrupted anywhere applies each change once when run again.
 * Rights are the server's: the pull connects as the user (row-level
 * security filters), the push too (a refused change is reported). */
#ifndef CRM_SYNC_H
#define CRM_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

enum crm_sync_policy {
	CRM_SYNC_STOP = 0, /* report conflicts, change nothing */
	CRM_SYNC_SERVER,   /* the server's value stays */
	CRM_SYNC_LOCAL,	   /* the local value is written */
};

/* One line of a pull's or a push's report. Strings may be NULL. */
struct crm_sync_event {
	const char *action; /* pulled: the table; push: inserted, updated,
			       deleted, conflict, deleted-on-server,
			       edited-on-server, refused, gone, applied */
	const char *entity; /* contact, company, ... */
	int64_t id;	    /* the local id */
	int64_t server_id;  /* the server's id (0: none) */
	const char *field;  /* a conflict's field */
	const char *local, *server;
	const char *kept; /* a conflict: "server", "local" or "none" */
};

typedef int (*crm_sync_report_fn)(const struct crm_sync_event *ev, void *arg);

struct crm_sync_opts {
	const char *server; /* the server's connection string (push: NULL
			       takes the recorded one) */
	const char *local;  /* the local file */
	bool mine;	    /* pull: only the user's own records and theirs */
	/* pull: the contacts these --where conditions select (as for
	 * crm-contact) and their leads, deals, tickets and activities */
	const struct crm_strv *where;
	enum crm_sync_policy policy;
	crm_sync_report_fn report;
	void *arg;
};

struct crm_sync_stats {
	uint64_t rows, changes, conflicts, refused;
};

/* The tables a pull copies: companies, contacts, leads, deals, tickets,
 * activities, in that order. */
extern const char *const crm_sync_tables[];
extern const size_t crm_sync_ntables;

/* Pull: copy into o->local (created with the normal schema when missing;
 * an existing crm database that is not a pulled copy is refused,
 * CRM_EX_CANTCREAT) what o->server shows its user; a pulled copy is
 * refreshed: fields changed locally since the last pull keep their local
 * value and base; records deleted on the server go unless changed
 * locally. One local transaction. */
int crm_sync_pull(const struct crm_sync_opts *o, struct crm_sync_stats *st,
		  struct crm_err *err);

/* Push the local changes of o->local to its server (o->server or the
 * recorded one) under o->policy. Returns 0 (st->conflicts under
 * CRM_SYNC_STOP: nothing was written; st->refused: changes the server's
 * rights refused, not applied), or -1 with err. */
int crm_sync_push(const struct crm_sync_opts *o, struct crm_sync_stats *st,
		  struct crm_err *err);

#endif
