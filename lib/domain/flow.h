/* flow.h - workflow automation (crm-flow): flow files (one JSON object
 * each: name, entity, trigger, conditions, actions, options), the action
 * registry, and the run that fires them exactly once per occurrence from
 * the change log, time and schedules. The file format is in
 * crm-formats(5); the run's rules in HACKING.md, "Flows". */
#ifndef CRM_FLOW_H
#define CRM_FLOW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "bizcal.h"
#include "datetime.h"
#include "db.h"
#include "entity.h"
#include "record.h"
#include "util.h"

/* How deep changes made by flows may trigger further flows: a firing
 * caused by a flow's own change has the depth of that firing plus one;
 * one past this is a loop, stopped and logged (status "loop"). */
#define CRM_FLOW_MAX_DEPTH 5

enum crm_flow_trigger_kind {
	CRM_FLOW_ON_CREATE,   /* a record is created */
	CRM_FLOW_ON_UPDATE,   /* updated; or a field changes (from/to) */
	CRM_FLOW_ON_TAG,      /* a tag is added */
	CRM_FLOW_ON_TIME,     /* time relative to a field */
	CRM_FLOW_ON_SCHEDULE, /* every day / weekday / listed days at a time */
	CRM_FLOW_ON_EVENT, /* a named event (crm_flow_emit): "approval.approved"
			    */
};
extern const char *const crm_flow_trigger_names[]; /* "created" ... */

/* The strings of a flow that are not said to be owned are the file's own
 * (struct crm_flow's root holds them). */
struct crm_flow_trigger {
	enum crm_flow_trigger_kind kind;
	const char *field; /* update: the field (NULL: any); time: the field */
	const char *from, *to; /* update: values (NULL: any) */
	const char *tag;       /* tag */
	int64_t offset;	       /* time: seconds after the field (< 0: before) */
	/* time: an integer field of the record whose value, when set, is
	 * the offset in days (before or after by the sign of offset); NULL:
	 * offset only */
	const char *days_field;
	char *calendar;		/* time: an SLA calendar name (owned); NULL:
				   calendar time */
	struct crm_bizcal *cal; /* time: loaded calendar (owned), or NULL */
	unsigned days;		/* schedule: bit 0 Monday .. bit 6 Sunday */
	int at;			/* schedule: seconds after local midnight */
	int64_t every;		/* schedule: seconds between slots when given
				   as "every": "1h" (then days and at unused) */
	const char *tz;		/* schedule: IANA zone (NULL: UTC) */
	struct crm_tz *zone;	/* loaded zone, owned */
	const char *event;	/* event */
};

enum crm_flow_cond_kind {
	CRM_FLOW_COND_WHERE,	  /* "field OP value" on the record */
	CRM_FLOW_COND_RELATED,	  /* on a related record (contact, company) */
	CRM_FLOW_COND_ACTIVITIES, /* counts of linked activities */
	CRM_FLOW_COND_CYCLE, /* a company or contact due to buy again within
				`within` (crm-score cycle) */
};

struct crm_flow_cond {
	enum crm_flow_cond_kind kind;
	char *text;		      /* as written, for explanations (owned) */
	struct crm_strv where;	      /* WHERE, RELATED: expressions */
	const struct crm_entity *rel; /* RELATED: the related entity */
	char *via;		      /* RELATED: the reference field (owned) */
	const char *type, *direction; /* ACTIVITIES: NULL: any */
	const char *since_field;      /* ACTIVITIES: counted from this field */
	int64_t within;	  /* ACTIVITIES: or within this long (> 0) */
	int64_t min, max; /* ACTIVITIES: bounds (max < 0: none) */
};

struct crm_flow;
struct crm_flow_ctx;

/* An action kind: one entry of the registry (lib/domain/flow_action.c,
 * crm_flow_action_kinds). validate checks an action's JSON object when a
 * flow file is read (err->msg the reason, err->field the key) and may
 * keep parsed data in *data (freed by release); apply does it for one
 * record inside the run's transaction (external kinds instead return
 * the work to do later: see crm_flow_ctx.outbox). */
struct crm_flow_action_kind {
	const char *name;
	/* runs a program (email, command): queued in the outbox and run
	 * after the commit, retried with backoff, never twice */
	bool external;
	int (*validate)(const struct crm_flow *f, json_t *spec, void **data,
			struct crm_err *err);
	int (*apply)(struct crm_flow_ctx *ctx, json_t *spec, void *data,
		     struct crm_err *err);
	void (*release)(void *data);
	/* the keys an action of this kind may have, "type" among them,
	 * ending with NULL: the parser names the first other one before
	 * validate runs (NULL: validate checks them) */
	const char *const *keys;
	/* apply reads ctx->firing_id: the firing row is written before the
	 * actions run (for the other kinds it is written after them, with
	 * what they did, one statement instead of two) */
	bool firing_id;
};
/* The registry, ending with {0}. */
extern const struct crm_flow_action_kind crm_flow_action_kinds[];
const struct crm_flow_action_kind *crm_flow_action_kind(const char *name);

struct crm_flow_action {
	const struct crm_flow_action_kind *kind;
	json_t *spec; /* the action's object (a reference owned here) */
	void *data;   /* kind->validate's */
};

struct crm_flow {
	const char *name, *description;
	char *path; /* owned */
	const struct crm_entity *e;
	struct crm_flow_trigger trigger;
	struct crm_flow_cond *cond;
	size_t ncond;
	struct crm_flow_action *act;
	size_t nact;
	bool enabled;
	int retries;	 /* attempts before giving up (default 5) */
	int64_t backoff; /* first retry delay, doubled each time (10m) */
	json_t *root;	 /* the file, owned: it holds the strings */
};

struct crm_flows {
	struct crm_flow *v;
	size_t n;
	char *dir;
};

/* The default flows directory: $CRM_FLOWS, else share/crm/flows. Caller
 * frees. */
char *crm_flows_default_dir(void);
/* Read every *.json in dir (in name order) into fs (zeroed first). A bad
 * file is CRM_EX_CONFIG with err->file the path, err->field the field
 * and the message naming the flow and the reason; a missing directory is
 * CRM_EX_NOINPUT. Release fs with crm_flows_release (also on error). */
int crm_flows_load(const char *dir, struct crm_flows *fs, struct crm_err *err);
/* One flow from a parsed JSON object (path for messages). */
int crm_flow_parse(json_t *root, const char *path, struct crm_flow *f,
		   struct crm_err *err);
void crm_flow_release(struct crm_flow *f);
void crm_flows_release(struct crm_flows *fs);
const struct crm_flow *crm_flows_find(const struct crm_flows *fs,
				      const char *name);
/* A one-line description of f's trigger ("48h after stage_changed_at"),
 * in out (appended). */
void crm_flow_trigger_describe(const struct crm_flow *f, struct crm_buf *out);

/* -- the run (lib/domain/flow_run.c) -------------------------------- */

/* What an action sees: the record it runs for, and where it reports. */
struct crm_flow_ctx {
	struct crm_db *db;
	const struct crm_flow *flow;
	const struct crm_entity *e;
	struct crm_row *row; /* the record, reloaded before each action */
	int64_t record_id;
	int64_t firing_id;
	const char *key; /* "FLOW:ID:OCCURRENCE", unique per firing */
	const char *occurrence;
	int depth;
	bool dry_run;
	struct crm_buf did; /* what the actions did, "; "-separated */
	/* external actions set these for the outbox: the program (NULL:
	 * $CRM_SENDMAIL) and its arguments, and its standard input */
	json_t *outbox; /* array of {"kind","argv","stdin"}; owned */
	void *run;	/* the run's state (flow_run.c) */
	/* the write now is a tag's (the tags field alone): its UPDATE may
	 * wait with the run's batch (crm_flow_importer) */
	bool tag;
};

/* The importer the actions of this run write records of e with
 * (update by id: mode UPDATE_ONLY; create: keys external_id), cached for
 * the run; through the entity engine, so changes are audited. NULL with
 * err on failure. */
struct crm_importer *crm_flow_importer(struct crm_flow_ctx *ctx,
				       const struct crm_entity *e, bool create,
				       struct crm_err *err);
/* Note that ctx's firing made record id of entity (for loop depth). */
int crm_flow_made(struct crm_flow_ctx *ctx, const char *entity, int64_t id,
		  struct crm_err *err);
/* Log activity a for ctx's firing (crm_activity_log; in a run on
 * PostgreSQL maybe held, with its id, for one INSERT with others: hold
 * false when the caller writes to its row next). */
struct crm_activity;
int crm_flow_activity(struct crm_flow_ctx *ctx, const struct crm_activity *a,
		      bool hold, int64_t *id, struct crm_err *err);
/* Append "; " and a formatted note to ctx->did. */
void crm_flow_did(struct crm_flow_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Templates: expand {{name}}, {{contact.email}}, {{now}}, {{date:+2d}}
 * from ctx's record into out (appended), escaped for the context:
 * CRM_TMPL_TEXT as is, CRM_TMPL_HTML with & < > " ' escaped,
 * CRM_TMPL_HEADER refusing CR and LF in the result. Returns 0 or -1 with
 * err (CRM_EX_DATAERR). */
enum crm_tmpl_ctx { CRM_TMPL_TEXT, CRM_TMPL_HTML, CRM_TMPL_HEADER };
int crm_flow_tmpl(struct crm_flow_ctx *ctx, const char *tmpl,
		  enum crm_tmpl_ctx how, struct crm_buf *out,
		  struct crm_err *err);
/* Check a template's syntax (balanced {{ }}, known names on e). */
int crm_flow_tmpl_check(const struct crm_entity *e, const char *tmpl,
			struct crm_err *err);

struct crm_flow_run_opts {
	bool dry_run;
	const char *only; /* run only this flow (NULL: all) */
	/* called for each firing (and, dry run, what would fire), before the
	 * commit: a record with flow, record, occurrence, why, status, did */
	int (*fn)(const struct crm_rec *rec, void *arg);
	void *arg;
	/* runs an external action: argv with stdin_text on its standard
	 * input and env ("CRM_FLOW_KEY=...") added; 0 when it succeeded,
	 * else -1 with err saying why (the front end forks; NULL: the
	 * outbox is left for a later run) */
	int (*exec)(char *const *argv, const char *stdin_text, const char *env,
		    struct crm_err *err);
};

struct crm_flow_run_stats {
	uint64_t fired, failed, retried, loops, sent, pending;
};

/* Do everything due at db->now: change events after the cursor, time
 * triggers, schedules, retries; then the outbox. One transaction for the
 * firings (waits for another run, then CRM_EX_TEMPFAIL). Returns 0 (see
 * st->failed for actions waiting for a retry) or -1. */
int crm_flow_run(struct crm_db *db, const struct crm_flows *fs,
		 const struct crm_flow_run_opts *o,
		 struct crm_flow_run_stats *st, struct crm_err *err);

/* Fire f for record id and occurrence inside the caller's open
 * transaction, once (the firing log's key), with its conditions: for
 * modules whose own verbs act through a flow (crm-pipeline stale
 * --create-tasks). A failing action is an error here (the caller rolls
 * back). Returns 1 fired, 0 not (fired before, or conditions), -1 with
 * err. */
int crm_flow_fire(struct crm_db *db, const struct crm_flow *f, int64_t id,
		  const char *occurrence, const char *why, bool dry_run,
		  struct crm_err *err);

/* Explain whether f would fire for record id at db->now: fn gets one
 * record per step (step, holds yes/no, detail). *fires gets the answer. */
int crm_flow_test(struct crm_db *db, const struct crm_flow *f, int64_t id,
		  int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		  bool *fires, struct crm_err *err);

/* The log of firings (and their outbox actions), oldest first; flow and
 * record (0: any) narrow it. */
int crm_flow_log(struct crm_db *db, const char *flow, int64_t record,
		 int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		 struct crm_err *err);

/* Record a named event on a record (approval outcomes ...) inside the
 * caller's open transaction, for ON_EVENT flows; data is a JSON text or
 * NULL. */
int crm_flow_emit(struct crm_db *db, const char *event, const char *entity,
		  int64_t id, const char *data, struct crm_err *err);

#endif
