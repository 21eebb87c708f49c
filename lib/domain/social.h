/* social.h - social identities (a platform and a handle: WeChat openid,
 * Weibo uid, LinkedIn profile, X handle ...) of contacts and leads, one
 * person each; social interactions imported as activities linked through
 * them, unknown identities becoming leads through the lead duplicate
 * check; web form submissions captured as leads with UTM parameters and
 * campaign membership. */
#ifndef CRM_SOCIAL_H
#define CRM_SOCIAL_H

#include <stdbool.h>
#include <stdint.h>

#include "entity.h"
#include "record.h"

extern const struct crm_entity crm_social_entity;

/* The platforms, NULL-terminated, in documentation order. */
extern const char *const crm_social_platforms[];

/* The canonical platform name for s ("WeChat", "微信", "twitter" ...), or
 * NULL when it names none. */
const char *crm_social_platform(const char *s);

/* Normalize a handle of platform (canonical) into out (reset first): the
 * forms each platform's exports use (profile URLs with or without scheme,
 * www., query or trailing slash; "@name") to the one stored, lower-cased
 * where the platform ignores case. Returns 0, or -1 with err
 * (CRM_EX_DATAERR, "why") when s is no handle of platform. */
int crm_social_handle(const char *platform, const char *s, struct crm_buf *out,
		      struct crm_err *err);

/* -- interactions -------------------------------------------------------- */

struct crm_social_stats {
	uint64_t records, activities, unchanged, identities, leads, linked;
};

struct crm_social_opts {
	bool dry_run;
	bool model;	  /* compare with the dedupe model besides exact keys */
	double threshold; /* 0-1, the model's match probability */
	const char *platform; /* of records without one (NULL: required) */
	/* Called for each record with what it was linked to: entity
	 * ("contact" or "lead"), its id, the activity id and action
	 * ("inserted", "unchanged"), and how the person was found
	 * ("identity", "unionid", "duplicate", "new lead"). May be NULL. */
	int (*emit)(const char *input, const struct crm_rec *in,
		    const char *entity, int64_t id, int64_t activity,
		    const char *action, const char *how, void *arg);
	void *emit_arg;
};

/* Import social interactions from the readers rs (n of them) in one
 * transaction (see crm-formats(5)): each record's identity (platform,
 * handle; a WeChat unionid links the platform's apps) finds its person;
 * an unknown one becomes an identity of the lead or contact the lead
 * duplicate check finds (name, email, phone in the record), or of a new
 * lead; the interaction becomes an activity (external_id
 * "PLATFORM:ID"), so importing again adds nothing. Bad input is
 * CRM_EX_DATAERR naming the input, line and field; nothing is written. */
int crm_social_import(struct crm_db *db, struct crm_reader **rs, size_t n,
		      const struct crm_social_opts *o,
		      struct crm_social_stats *st, struct crm_err *err);

/* -- web forms ------------------------------------------------------------ */

struct crm_form_stats {
	uint64_t forms, leads, updated, unchanged, contacts, members;
};

struct crm_form_opts {
	bool dry_run;
	const char *campaign; /* for bodies without utm_campaign; NULL: none */
	const char *source;   /* lead source when no utm_source: "web form" */
	int (*emit)(const char *input, const char *entity, int64_t id,
		    const char *action, int64_t campaign, void *arg);
	void *emit_arg;
	/* a body's utm_campaign naming no campaign */
	void (*warn)(const char *input, const char *campaign, void *arg);
};

/* Capture the form bodies (paths, n of them; names as given) as leads in
 * one transaction: fields mapped as lead import maps columns (aliases),
 * "name" split into first and last name, utm_* kept on the lead (source
 * and campaign filled from utm_source and utm_campaign), the lead
 * duplicate check applied (a duplicate lead is updated; a contact's
 * duplicate leaves the contact as it is), and the lead (or the contact)
 * made a member of the campaign utm_campaign (else o->campaign) names.
 * Bodies are read with crm_form_parse's limits; bad input is
 * CRM_EX_DATAERR and nothing is written. */
int crm_form_capture(struct crm_db *db, const char *const *paths, size_t n,
		     const struct crm_form_opts *o, struct crm_form_stats *st,
		     struct crm_err *err);

#endif
