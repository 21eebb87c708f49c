/* schema.c - every table, as numbered migrations.
 *
 * Migration n brings a database from user_version n-1 to n. Once a version
 * has been released its migration never changes: a new column or table is
 * a new migration at the end of the list. Until the first release, the
 * blocks of migration 1 below belong to their modules and may still grow.
 *
 * Conventions: times are TEXT "YYYY-MM-DDTHH:MM:SSZ" (sorts as time and
 * works with julianday()); money INTEGER minor units beside a currency
 * TEXT; custom fields a JSON object in TEXT "custom"; a matching form of a
 * field NAME is NAME_key.
 *
 * Ids are never reused: every table whose ids other rows refer to (the
 * entities, change sets, merges) is AUTOINCREMENT, so a record created
 * after another was deleted never inherits the history, scores, thread or
 * activities kept under the deleted one's id (they stay for undo, which
 * re-inserts the record under its old id). */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "pg_fold.h"

#include "db.h"
#include "schema.h"

/* The columns a person's record begins with, the same in contacts and
 * leads (a lead converts into a contact): one list for both tables. */
#define PERSON_COLUMNS \
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"                        \
	" external_id TEXT UNIQUE,"                                     \
	" first_name TEXT,"                                             \
	" last_name TEXT,"                                              \
	" email TEXT,"                                                  \
	" email_key TEXT,"                                              \
	" phone TEXT,"                                                  \
	" phone_key TEXT,"                                              \
	" company TEXT,"

static const char migration1[] =
	/* -- core: change sets and before-images, for undo ------------ */
	/* An undo is a change too: undo_of names the change it reverted,
	 * undone_by the change that reverted this one (an undo of an undo
	 * puts the first change back in effect). */
	"CREATE TABLE crm_changes ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" at TEXT NOT NULL,"
	" actor TEXT,"
	" command TEXT NOT NULL,"
	" entity TEXT,"
	" undone_at TEXT,"
	" undo_of INTEGER,"
	" undone_by INTEGER);"
	/* before: the whole record before the change (for a delete, what
	 * undo re-inserts); after: for an update, only the fields the
	 * change wrote, {"field": value, "custom": {"name": value}} (null
	 * for cleared), which undo reverts when they still hold that value */
	"CREATE TABLE crm_audit ("
	" id INTEGER PRIMARY KEY,"
	" change_id INTEGER NOT NULL REFERENCES crm_changes(id),"
	" entity TEXT NOT NULL,"
	" record_id INTEGER NOT NULL,"
	" action TEXT NOT NULL,"
	" before TEXT,"
	" after TEXT);"
	"CREATE INDEX crm_audit_change ON crm_audit(change_id);"
	"CREATE INDEX crm_audit_record ON crm_audit(entity, record_id);"
	/* custom field names per entity: for --where, --fields and export */
	"CREATE TABLE crm_custom_fields ("
	" entity TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" PRIMARY KEY (entity, name)) WITHOUT ROWID;"

	/* -- contacts (lib/domain/contact.c) ----------------------------------- */
	"CREATE TABLE contacts (" PERSON_COLUMNS
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" title TEXT,"
	" city TEXT,"
	" region TEXT,"
	" country TEXT,"
	" source TEXT,"
	" owner TEXT,"
	" tags TEXT,"
	" lifecycle_stage TEXT,"
	" last_activity_at TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX contacts_email_key ON contacts(email_key);"
	"CREATE INDEX contacts_phone_key ON contacts(phone_key);"
	"CREATE INDEX contacts_owner ON contacts(owner);"
	"CREATE INDEX contacts_company ON contacts(company_id)"
	" WHERE company_id IS NOT NULL;"

	/* -- companies (lib/domain/company.c) ---------------------------------- */
	"CREATE TABLE companies ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" name TEXT NOT NULL,"
	" name_key TEXT,"
	" domain TEXT,"
	" industry TEXT,"
	" employees INTEGER,"
	" annual_revenue INTEGER,"
	" currency TEXT,"
	" region TEXT,"
	" country TEXT,"
	" parent_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" owner TEXT,"
	" tags TEXT,"
	" last_activity_at TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX companies_name_key ON companies(name_key);"
	"CREATE INDEX companies_domain ON companies(domain);"
	"CREATE INDEX companies_parent ON companies(parent_id)"
	" WHERE parent_id IS NOT NULL;"

	/* -- activities (lib/domain/activity.c) -------------------------------- */
	/* lead_id, deal_id, ticket_id are plain integers: those tables come
	 * in their own blocks below. Link indexes are partial (most links
	 * are NULL), which keeps bulk loads of event streams cheap. */
	"CREATE TABLE activities ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" type TEXT NOT NULL,"
	" direction TEXT,"
	" subject TEXT,"
	" body TEXT,"
	" occurred_at TEXT NOT NULL,"
	" owner TEXT,"
	" channel TEXT,"
	" due_at TEXT,"
	" done_at TEXT,"
	" contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" lead_id INTEGER,"
	" deal_id INTEGER,"
	" ticket_id INTEGER,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX activities_contact ON activities(contact_id, occurred_at)"
	" WHERE contact_id IS NOT NULL;"
	"CREATE INDEX activities_company ON activities(company_id, occurred_at)"
	" WHERE company_id IS NOT NULL;"
	/* type in activities_lead makes it covering for lead scoring's
	 * ordered walk (lib/analytics/leadscore.c): no table lookup per activity */
	"CREATE INDEX activities_lead ON activities(lead_id, occurred_at,"
	" type) WHERE lead_id IS NOT NULL;"
	"CREATE INDEX activities_deal ON activities(deal_id, occurred_at)"
	" WHERE deal_id IS NOT NULL;"
	"CREATE INDEX activities_ticket ON activities(ticket_id, occurred_at)"
	" WHERE ticket_id IS NOT NULL;"
	"CREATE INDEX activities_open_tasks ON activities(due_at)"
	" WHERE due_at IS NOT NULL AND done_at IS NULL;"

	/* -- leads (lib/domain/lead.c) ----------------------------------------- */
	/* contact_id, company_id, deal_id: what a lead was converted into
	 * (deal_id a plain integer until the deals table exists). */
	"CREATE TABLE leads (" PERSON_COLUMNS
	" title TEXT,"
	" industry TEXT,"
	" region TEXT,"
	" country TEXT,"
	" source TEXT,"
	" campaign TEXT,"
	" status TEXT NOT NULL DEFAULT 'new',"
	" status_reason TEXT,"
	" owner TEXT,"
	" previous_owner TEXT,"
	" score INTEGER,"
	" grade TEXT,"
	" previous_score INTEGER,"
	" trend TEXT,"
	" scored_at TEXT,"
	" conversion_probability REAL,"
	" predicted_at TEXT,"
	" duplicate_of TEXT,"
	" last_activity_at TEXT,"
	" assigned_at TEXT,"
	" converted_at TEXT,"
	" contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" deal_id INTEGER,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX leads_email_key ON leads(email_key);"
	"CREATE INDEX leads_phone_key ON leads(phone_key);"
	"CREATE INDEX leads_owner ON leads(owner, status);"
	"CREATE INDEX leads_unassigned ON leads(id) WHERE owner IS NULL;"
	"CREATE INDEX leads_contact ON leads(contact_id)"
	" WHERE contact_id IS NOT NULL;"
	"CREATE INDEX leads_company ON leads(company_id)"
	" WHERE company_id IS NOT NULL;"
	/* every status and owner change: from, to, when, who, why */
	"CREATE TABLE lead_history ("
	" id INTEGER PRIMARY KEY,"
	" lead_id INTEGER NOT NULL,"
	" field TEXT NOT NULL,"
	" from_value TEXT,"
	" to_value TEXT,"
	" at TEXT NOT NULL,"
	" actor TEXT,"
	" command TEXT,"
	" reason TEXT);"
	"CREATE INDEX lead_history_lead ON lead_history(lead_id, id);"
	"CREATE INDEX lead_history_to ON lead_history(field, to_value, at);"
	/* assignment rotation state per team member (assign) */
	"CREATE TABLE lead_rotation ("
	" team TEXT NOT NULL,"
	" member TEXT NOT NULL,"
	" seq INTEGER NOT NULL DEFAULT 0,"
	" credit INTEGER NOT NULL DEFAULT 0,"
	" last_assigned_at TEXT,"
	" PRIMARY KEY (team, member)) WITHOUT ROWID;"

	/* -- deals and pipelines (lib/domain/deal.c) --------------------------- */
	/* Stages live in share/crm/pipelines.json; a deal stores the names.
	 * status (open, won, lost) follows the stage, for roll-ups and
	 * views. lead_id is a plain integer: leads have their own block. */
	"CREATE TABLE deals ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" name TEXT NOT NULL,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	" lead_id INTEGER,"
	" pipeline TEXT NOT NULL,"
	" stage TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" amount INTEGER,"
	" currency TEXT,"
	" probability REAL,"
	" forecast_category TEXT,"
	" expected_close TEXT,"
	" owner TEXT,"
	" source TEXT,"
	" tags TEXT,"
	" close_reason TEXT,"
	" closed_at TEXT,"
	" stage_changed_at TEXT,"
	" last_activity_at TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX deals_company ON deals(company_id)"
	" WHERE company_id IS NOT NULL;"
	"CREATE INDEX deals_contact ON deals(contact_id)"
	" WHERE contact_id IS NOT NULL;"
	"CREATE INDEX deals_status ON deals(status, pipeline, stage);"
	"CREATE INDEX deals_owner ON deals(owner);"
	/* a lead's deals (crm-report funnel and sources) */
	"CREATE INDEX deals_lead ON deals(lead_id) WHERE lead_id IS NOT NULL;"
	/* One row per change of stage, amount, probability or expected close
	 * date (and one "stage" row from NULL when a deal is created): what
	 * days per stage, conversion, cycle length and velocity are computed
	 * from. Values are in storage form (amount in minor units of
	 * currency); seconds_in_stage is, on a stage row, how long the deal
	 * was in from_value. amount and currency are the deal's after the
	 * change. No foreign key: the history of a deleted deal stays (undo
	 * brings the deal back). */
	"CREATE TABLE deal_history ("
	" id INTEGER PRIMARY KEY,"
	" deal_id INTEGER NOT NULL,"
	" field TEXT NOT NULL,"
	" from_value TEXT,"
	" to_value TEXT,"
	" at TEXT NOT NULL,"
	" actor TEXT,"
	" pipeline TEXT NOT NULL,"
	" from_status TEXT,"
	" to_status TEXT,"
	" seconds_in_stage INTEGER,"
	" amount INTEGER,"
	" currency TEXT);"
	"CREATE INDEX deal_history_deal ON deal_history(deal_id, at);"
	"CREATE INDEX deal_history_stage ON deal_history(field, pipeline,"
	" to_value) WHERE field = 'stage';"

	/* -- tickets and SLA (lib/domain/ticket.c) ----------------------------- */
	/* Times as everywhere; breach flags 0/1. The history tables keep
	 * every status and assignee change (from, to, when, who); they have
	 * no foreign key, so a deleted ticket restored by undo keeps its
	 * history (and its SLA clock). ticket_escalations makes each
	 * escalation level of a ticket happen once; ticket_round_robin
	 * remembers the last agent given a ticket per team. */
	"CREATE TABLE tickets ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" subject TEXT,"
	" description TEXT,"
	" contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" channel TEXT,"
	" priority TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" assignee TEXT,"
	" team TEXT,"
	" tags TEXT,"
	" first_response_at TEXT,"
	" solved_at TEXT,"
	" closed_at TEXT,"
	" sla_policy TEXT,"
	" first_reply_due TEXT,"
	" next_reply_due TEXT,"
	" resolution_due TEXT,"
	" first_reply_breached INTEGER,"
	" next_reply_breached INTEGER,"
	" resolution_breached INTEGER,"
	" awaiting_since TEXT,"
	" last_activity_at TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX tickets_status ON tickets(status);"
	"CREATE INDEX tickets_assignee ON tickets(assignee)"
	" WHERE assignee IS NOT NULL;"
	"CREATE INDEX tickets_contact ON tickets(contact_id)"
	" WHERE contact_id IS NOT NULL;"
	"CREATE INDEX tickets_company ON tickets(company_id)"
	" WHERE company_id IS NOT NULL;"
	"CREATE TABLE ticket_status_history ("
	" id INTEGER PRIMARY KEY,"
	" ticket_id INTEGER NOT NULL,"
	" from_status TEXT,"
	" to_status TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" actor TEXT);"
	"CREATE INDEX ticket_status_history_ticket"
	" ON ticket_status_history(ticket_id, at);"
	"CREATE TABLE ticket_assignee_history ("
	" id INTEGER PRIMARY KEY,"
	" ticket_id INTEGER NOT NULL,"
	" from_assignee TEXT,"
	" to_assignee TEXT,"
	" from_team TEXT,"
	" to_team TEXT,"
	" at TEXT NOT NULL,"
	" actor TEXT);"
	"CREATE INDEX ticket_assignee_history_ticket"
	" ON ticket_assignee_history(ticket_id, at);"
	"CREATE TABLE ticket_escalations ("
	" ticket_id INTEGER NOT NULL,"
	" policy TEXT NOT NULL,"
	" level TEXT NOT NULL,"
	" target TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" applied_at TEXT NOT NULL,"
	" PRIMARY KEY (ticket_id, policy, level)) WITHOUT ROWID;"
	"CREATE TABLE ticket_round_robin ("
	" team TEXT PRIMARY KEY,"
	" last_assignee TEXT) WITHOUT ROWID;"

	/* -- scoring (lib/analytics/leadscore.c, rfm.c, churn.c) ------------------ */
	/* lead_scores: every score a lead was given (crm-score leads), with
	 * the score and grade it had before; rfm_scores and churn_scores:
	 * one row per customer per analysis time (a rerun at the same time
	 * replaces that run's rows). entity is "company" or "contact";
	 * monetary in minor units of currency. No foreign keys: history
	 * outlives a deleted record, as the other history tables do. */
	"CREATE TABLE lead_scores ("
	" id INTEGER PRIMARY KEY,"
	" lead_id INTEGER NOT NULL,"
	" at TEXT NOT NULL,"
	" score INTEGER NOT NULL,"
	" grade TEXT NOT NULL,"
	" fit_score REAL NOT NULL,"
	" engagement_score REAL NOT NULL,"
	" previous_score INTEGER,"
	" previous_grade TEXT,"
	" trend TEXT,"
	" actor TEXT);"
	"CREATE INDEX lead_scores_lead ON lead_scores(lead_id, at);"
	"CREATE TABLE rfm_scores ("
	" entity TEXT NOT NULL,"
	" record_id INTEGER NOT NULL,"
	" at TEXT NOT NULL,"
	" last_won_at TEXT NOT NULL,"
	" recency_days INTEGER NOT NULL,"
	" frequency INTEGER NOT NULL,"
	" monetary INTEGER NOT NULL,"
	" currency TEXT,"
	" r INTEGER NOT NULL,"
	" f INTEGER NOT NULL,"
	" m INTEGER NOT NULL,"
	" segment TEXT NOT NULL,"
	" scored_at TEXT NOT NULL,"
	" actor TEXT,"
	" PRIMARY KEY (entity, at, record_id)) WITHOUT ROWID;"
	"CREATE INDEX rfm_scores_record ON rfm_scores(entity, record_id, at);"
	"CREATE TABLE churn_scores ("
	" entity TEXT NOT NULL,"
	" record_id INTEGER NOT NULL,"
	" at TEXT NOT NULL,"
	" risk INTEGER NOT NULL,"
	" activities INTEGER NOT NULL,"
	" activities_expected REAL NOT NULL,"
	" tickets INTEGER NOT NULL,"
	" tickets_expected REAL NOT NULL,"
	" days_silent INTEGER,"
	" reasons TEXT,"
	" actor TEXT,"
	" PRIMARY KEY (entity, at, record_id)) WITHOUT ROWID;"
	"CREATE INDEX churn_scores_record ON churn_scores(entity, record_id,"
	" at);"

	/* -- dedupe and merges (lib/analytics/dedupe.c) --------------------------- */
	/* a merge: its records' before-images are in crm_audit under
	 * change_id; the rows of other tables re-pointed to the survivor are
	 * in crm_merge_links */
	"CREATE TABLE crm_merges ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" change_id INTEGER NOT NULL REFERENCES crm_changes(id),"
	" entity TEXT NOT NULL,"
	" survivor INTEGER NOT NULL,"
	" merged TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" result_updated_at TEXT NOT NULL,"
	" undone_at TEXT);"
	"CREATE TABLE crm_merge_links ("
	" id INTEGER PRIMARY KEY,"
	" merge_id INTEGER NOT NULL REFERENCES crm_merges(id),"
	" tbl TEXT NOT NULL,"
	" col TEXT NOT NULL,"
	" row_id INTEGER NOT NULL,"
	" old_value INTEGER NOT NULL);"
	"CREATE INDEX crm_merge_links_merge ON crm_merge_links(merge_id);"
	/* Secondary identities: the id, external_id, email and phone (key:
	 * the matching form, as NAME_key holds it) of a merged-away record,
	 * by which its survivor record_id is still found (show, --where,
	 * import keys). Written by the merge, deleted by its undo; a later
	 * merge of the survivor moves them on (logged in crm_merge_links as
	 * tbl crm_identities). */
	"CREATE TABLE crm_identities ("
	" id INTEGER PRIMARY KEY,"
	" entity TEXT NOT NULL,"
	" field TEXT NOT NULL,"
	" key TEXT NOT NULL,"
	" record_id INTEGER NOT NULL,"
	" merge_id INTEGER NOT NULL REFERENCES crm_merges(id));"
	"CREATE INDEX crm_identities_key ON crm_identities(entity, field, key);"
	"CREATE INDEX crm_identities_merge ON crm_identities(merge_id);"

	/* -- mail and assets (lib/domain/mail.c, lib/domain/asset.c) -------- */
	/* ticket_messages: the Message-ID of every message of a ticket, in
	 * and out (threading by In-Reply-To/References; a message delivered
	 * twice is found here and ignored). ticket_attachments: files that
	 * came with a message, base64 in content, NULL when over the size
	 * limit (listed, not kept). assets: the installed base. */
	"CREATE TABLE ticket_messages ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" ticket_id INTEGER NOT NULL,"
	" activity_id INTEGER,"
	" message_id TEXT NOT NULL UNIQUE,"
	" direction TEXT NOT NULL,"
	" sender TEXT,"
	" at TEXT NOT NULL);"
	"CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id);"
	"CREATE INDEX ticket_messages_sender ON ticket_messages(sender, at);"
	"CREATE TABLE ticket_attachments ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" ticket_id INTEGER NOT NULL,"
	" message_id INTEGER,"
	" filename TEXT,"
	" content_type TEXT,"
	" size INTEGER NOT NULL,"
	" content TEXT,"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX ticket_attachments_ticket ON ticket_attachments(ticket_id);"
	"CREATE TABLE assets ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" serial TEXT,"
	" product TEXT,"
	" contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" deal_id INTEGER,"
	" purchased_on TEXT,"
	" warranty_end TEXT,"
	" contract TEXT,"
	" location TEXT,"
	" tags TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX assets_serial ON assets(serial);"
	"CREATE INDEX assets_contact ON assets(contact_id)"
	" WHERE contact_id IS NOT NULL;"
	"CREATE INDEX assets_company ON assets(company_id)"
	" WHERE company_id IS NOT NULL;"
	"CREATE TABLE ticket_assets ("
	" ticket_id INTEGER PRIMARY KEY,"
	" asset_id INTEGER NOT NULL);"
	"CREATE INDEX ticket_assets_asset ON ticket_assets(asset_id);"

	/* -- knowledge base (lib/domain/kb.c) ----------------------------------- */
	/* Articles; the old text of each title or body change in
	 * kb_versions; the search index in plain tables (kb_terms: a word or
	 * CJK bigram, its article and weighted count; kb_docs: the article's
	 * weighted length) so that both engines rank with the same BM25; and
	 * the links of articles to tickets (no foreign keys: an article or
	 * ticket restored by undo keeps them). */
	"CREATE TABLE kb_articles ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" title TEXT NOT NULL,"
	" body TEXT,"
	" category TEXT,"
	" tags TEXT,"
	" language TEXT,"
	" status TEXT NOT NULL,"
	" author TEXT,"
	" version INTEGER NOT NULL,"
	" published_at TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX kb_articles_status ON kb_articles(status);"
	"CREATE TABLE kb_versions ("
	" article_id INTEGER NOT NULL,"
	" version INTEGER NOT NULL,"
	" title TEXT,"
	" body TEXT,"
	" author TEXT,"
	" saved_at TEXT NOT NULL,"
	" PRIMARY KEY (article_id, version)) WITHOUT ROWID;"
	"CREATE TABLE kb_terms ("
	" term TEXT NOT NULL,"
	" article_id INTEGER NOT NULL,"
	" tf INTEGER NOT NULL,"
	" PRIMARY KEY (term, article_id)) WITHOUT ROWID;"
	"CREATE INDEX kb_terms_article ON kb_terms(article_id);"
	"CREATE TABLE kb_docs ("
	" article_id INTEGER NOT NULL PRIMARY KEY,"
	" dlen INTEGER NOT NULL);"
	"CREATE TABLE kb_links ("
	" article_id INTEGER NOT NULL,"
	" ticket_id INTEGER NOT NULL,"
	" at TEXT NOT NULL,"
	" actor TEXT,"
	" PRIMARY KEY (article_id, ticket_id)) WITHOUT ROWID;"
	"CREATE INDEX kb_links_ticket ON kb_links(ticket_id);"
	/* -- flow (lib/domain/flow_run.c) ------------------------------------- */
	/* crm_flow_cursor: how far crm-flow run has read (audit: crm_audit
	 * id; events: crm_flow_events id; created:ENTITY: the last id seen).
	 * crm_flow_firings: one row per flow, record and occurrence (the
	 * unique key makes each fire once); status running, done, pending
	 * (external actions queued), failed (retried at next_try), gave_up,
	 * skipped (an event whose conditions did not hold), loop; change_id
	 * is the change set its writes made (changes it causes are one
	 * deeper). crm_flow_made: records a firing created. crm_flow_outbox:
	 * external actions (email, command) run after the commit, each
	 * claimed before it runs. crm_flow_events: named events
	 * (crm_flow_emit) for event triggers. */
	"CREATE TABLE crm_flow_cursor ("
	" name TEXT PRIMARY KEY,"
	" pos INTEGER NOT NULL);"
	"CREATE TABLE crm_flow_firings ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" flow TEXT NOT NULL,"
	" entity TEXT NOT NULL,"
	" record_id INTEGER NOT NULL,"
	" occurrence TEXT NOT NULL,"
	" why TEXT,"
	" fired_at TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" attempts INTEGER NOT NULL,"
	" next_try TEXT,"
	" error TEXT,"
	" depth INTEGER NOT NULL,"
	" change_id INTEGER,"
	" did TEXT,"
	" UNIQUE (flow, record_id, occurrence));"
	"CREATE INDEX crm_flow_firings_change ON crm_flow_firings(change_id)"
	" WHERE change_id IS NOT NULL;"
	"CREATE INDEX crm_flow_firings_retry ON crm_flow_firings(status,"
	" next_try);"
	"CREATE INDEX crm_flow_firings_record ON crm_flow_firings(record_id);"
	"CREATE TABLE crm_flow_made ("
	" entity TEXT NOT NULL,"
	" record_id INTEGER NOT NULL,"
	" firing_id INTEGER NOT NULL,"
	" PRIMARY KEY (entity, record_id));"
	"CREATE TABLE crm_flow_outbox ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" firing_id INTEGER NOT NULL,"
	" action INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" job TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" attempts INTEGER NOT NULL,"
	" next_try TEXT,"
	" error TEXT,"
	" done_at TEXT,"
	" UNIQUE (firing_id, action));"
	"CREATE INDEX crm_flow_outbox_status ON crm_flow_outbox(status);"
	"CREATE TABLE crm_flow_events ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" name TEXT NOT NULL,"
	" entity TEXT NOT NULL,"
	" record_id INTEGER NOT NULL,"
	" data TEXT,"
	" at TEXT NOT NULL,"
	" depth INTEGER NOT NULL);"
	/* -- predictions (lib/analytics/model.c, dealscore.c) ----------------- */
	/* crm_models: every model crm-score trained on the database, with its
	 * training time, data window (closed_at of the oldest and newest
	 * outcome), validation metrics (AUC as 0-1), the crm-logit JSON and
	 * details (JSON: calibration by decile, the inputs' training
	 * distributions for drift); one active
	 * per kind, retired_at set by a rollback. deal_scores: every win
	 * probability (percent) a deal was given, the previous one and the
	 * trend, and the top factors. No foreign keys: history outlives a
	 * deleted deal. */
	"CREATE TABLE crm_models ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" kind TEXT NOT NULL,"
	" trained_at TEXT NOT NULL,"
	" data_from TEXT,"
	" data_to TEXT,"
	" rows_n INTEGER NOT NULL,"
	" positives INTEGER NOT NULL,"
	" cv_auc REAL,"
	" baseline_auc REAL,"
	" cv_log_loss REAL,"
	" model TEXT NOT NULL,"
	" details TEXT,"
	" active INTEGER NOT NULL,"
	" retired_at TEXT,"
	" actor TEXT);"
	"CREATE INDEX crm_models_kind ON crm_models(kind, active);"
	"CREATE TABLE deal_scores ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" deal_id INTEGER NOT NULL,"
	" model_id INTEGER NOT NULL,"
	" at TEXT NOT NULL,"
	" probability REAL NOT NULL,"
	" stage_probability REAL,"
	" previous REAL,"
	" trend TEXT,"
	" factors TEXT,"
	" actor TEXT);"
	"CREATE INDEX deal_scores_deal ON deal_scores(deal_id, at);"

	/* -- approvals (lib/domain/approval.c) --------------------------------- */
	/* an approval process started on a record: status pending, approved,
	 * rejected or expired; step: the current step (0-based index into
	 * spec's steps); locks: the guarded fields, comma-separated; due_at:
	 * the current step's timeout, escalated once it escalated */
	"CREATE TABLE crm_approvals ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" process TEXT NOT NULL,"
	" entity TEXT NOT NULL,"
	" record_id INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" step INTEGER NOT NULL,"
	" locks TEXT,"
	" spec TEXT NOT NULL,"
	" flow TEXT,"
	" requested_by TEXT,"
	" created_at TEXT NOT NULL,"
	" due_at TEXT,"
	" escalated INTEGER NOT NULL,"
	" decided_at TEXT);"
	"CREATE INDEX crm_approvals_record ON crm_approvals(entity, record_id, "
	"status);"
	"CREATE INDEX crm_approvals_due ON crm_approvals(status, due_at);"
	/* who decides each step (1-based): state waiting, approved, rejected,
	 * not needed (the step was decided without them) or escalated (the
	 * step passed to others); via: the approver spec that named them */
	"CREATE TABLE crm_approval_approvers ("
	" approval_id INTEGER NOT NULL REFERENCES crm_approvals(id),"
	" step INTEGER NOT NULL,"
	" approver TEXT NOT NULL,"
	" via TEXT,"
	" state TEXT NOT NULL,"
	" decided_at TEXT,"
	" comment TEXT,"
	" PRIMARY KEY (approval_id, step, approver));"
	/* the history show prints: requested, step, skipped, approve, reject,
	 * escalated, and the outcomes approved, rejected, expired */
	"CREATE TABLE crm_approval_events ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" approval_id INTEGER NOT NULL REFERENCES crm_approvals(id),"
	" at TEXT NOT NULL,"
	" step INTEGER,"
	" event TEXT NOT NULL,"
	" actor TEXT,"
	" comment TEXT,"
	" change_id INTEGER);"
	"CREATE INDEX crm_approval_events_approval ON "
	"crm_approval_events(approval_id);"

	/* -- products and quotes (lib/domain/product.c, quote.c) ------------- */
	/* units: "box=12,each=1" (alternative units and how many base units
	 * each holds); attributes: "size=S|M|L;colour=red|blue"; bundle: a
	 * JSON object (options and rules, crm-formats(5)) */
	"CREATE TABLE products ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" sku TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" family TEXT,"
	" description TEXT,"
	" active INTEGER,"
	" unit TEXT,"
	" units TEXT,"
	" cost INTEGER,"
	" currency TEXT,"
	" tax_category TEXT,"
	" attributes TEXT,"
	" bundle TEXT,"
	" billing_period TEXT,"
	" term_months INTEGER,"
	" tags TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX products_family ON products(family);"
	/* a quote: its current version, status and figures are those of
	 * quote_versions (version); lines belong to one version */
	"CREATE TABLE quotes ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" currency TEXT NOT NULL,"
	" book TEXT NOT NULL,"
	" region TEXT,"
	" version INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" subtotal INTEGER,"
	" discount INTEGER,"
	" tax INTEGER,"
	" total INTEGER,"
	" valid_until TEXT,"
	" accepted_version INTEGER,"
	" reason TEXT,"
	" from_quote_id INTEGER,"
	" locked INTEGER NOT NULL DEFAULT 0,"
	" approval TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX quotes_deal ON quotes(deal_id);"
	"CREATE INDEX quotes_company ON quotes(company_id);"
	"CREATE TABLE quote_versions ("
	" quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,"
	" version INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" list_total INTEGER,"
	" subtotal INTEGER,"
	" discount INTEGER,"
	" tax INTEGER,"
	" total INTEGER,"
	" priced_at TEXT,"
	" sent_at TEXT,"
	" created_at TEXT NOT NULL,"
	" PRIMARY KEY (quote_id, version));"
	"CREATE TABLE quote_lines ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,"
	" version INTEGER NOT NULL,"
	" line_no INTEGER NOT NULL,"
	" grp TEXT,"
	" product_id INTEGER REFERENCES products(id),"
	" sku TEXT NOT NULL,"
	" name TEXT,"
	" qty INTEGER NOT NULL,"
	" unit TEXT,"
	" base_qty INTEGER NOT NULL,"
	" attributes TEXT,"
	" discount_pct INTEGER,"
	" manual_price INTEGER,"
	" manual_reason TEXT,"
	" parent_line INTEGER,"
	" list_unit INTEGER,"
	" list_amount INTEGER,"
	" unit_price INTEGER,"
	" amount INTEGER,"
	" promotions TEXT,"
	" tax_category TEXT,"
	" explain TEXT,"
	" start_date TEXT,"
	" end_date TEXT,"
	" term_months INTEGER);"
	"CREATE INDEX quote_lines_quote ON quote_lines(quote_id, version, line_no);"
	/* one row per promotion a quote used, written when it is accepted:
	 * what the promotions' use limits count */
	"CREATE TABLE promotion_uses ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" promotion TEXT NOT NULL,"
	" company_id INTEGER,"
	" quote_id INTEGER NOT NULL,"
	" at TEXT NOT NULL);"
	"CREATE INDEX promotion_uses_name ON promotion_uses(promotion, company_id);"


	/* -- contracts and receivables (lib/domain/contract.c, receivable.c) -- */
	/* A contract: an account's commitment, with its payment terms
	 * (net_days after an invoice's issue date; billing by milestone, by
	 * schedule or by hand) and renewal terms. */
	"CREATE TABLE contracts ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" name TEXT NOT NULL,"
	" company_id INTEGER NOT NULL REFERENCES companies(id),"
	" deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL,"
	" quote_id INTEGER,"
	" status TEXT NOT NULL,"
	" start_date TEXT NOT NULL,"
	" end_date TEXT,"
	" value INTEGER,"
	" currency TEXT NOT NULL,"
	" net_days INTEGER,"
	" billing TEXT,"
	" auto_renew INTEGER,"
	" renewal_notice_days INTEGER,"
	" renewal_months INTEGER,"
	" owner TEXT,"
	" tags TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX contracts_company ON contracts(company_id);"
	/* Delivery, acceptance and invoicing points of a contract; done_on
	 * and evidence record that one was reached; amount: what invoicing
	 * it bills (minor units of the contract's currency). */
	"CREATE TABLE contract_milestones ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" contract_id INTEGER NOT NULL REFERENCES contracts(id),"
	" kind TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" due_date TEXT NOT NULL,"
	" owner TEXT,"
	" amount INTEGER,"
	" currency TEXT,"
	" done_on TEXT,"
	" evidence TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX contract_milestones_contract"
	" ON contract_milestones(contract_id);"
	"CREATE INDEX contract_milestones_due ON contract_milestones(due_date);"
	/* A billing schedule entry (an instalment or a subscription period). */
	"CREATE TABLE contract_schedule ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" contract_id INTEGER NOT NULL REFERENCES contracts(id),"
	" bill_date TEXT NOT NULL,"
	" description TEXT NOT NULL,"
	" amount INTEGER NOT NULL,"
	" tax_rate INTEGER NOT NULL,"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX contract_schedule_contract"
	" ON contract_schedule(contract_id, bill_date);"
	/* Gap-free numbering: the last number given per series, moved in
	 * the transaction that issues the document. */
	"CREATE TABLE invoice_series ("
	" series TEXT PRIMARY KEY,"
	" last INTEGER NOT NULL);"
	/* Invoices (kind invoice) and credit notes (kind credit, credit_of
	 * the invoice they reverse), never updated once issued; amounts
	 * positive, in minor units; total = net + tax = the sum of lines. */
	"CREATE TABLE invoices ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" number TEXT NOT NULL UNIQUE,"
	" series TEXT NOT NULL,"
	" seq INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" credit_of INTEGER REFERENCES invoices(id),"
	" company_id INTEGER NOT NULL REFERENCES companies(id),"
	" contract_id INTEGER REFERENCES contracts(id),"
	" milestone_id INTEGER REFERENCES contract_milestones(id),"
	" schedule_id INTEGER REFERENCES contract_schedule(id),"
	" issue_date TEXT NOT NULL,"
	" due_date TEXT NOT NULL,"
	" currency TEXT NOT NULL,"
	" net INTEGER NOT NULL,"
	" tax INTEGER NOT NULL,"
	" total INTEGER NOT NULL,"
	" note TEXT,"
	" created_at TEXT NOT NULL,"
	" actor TEXT,"
	" UNIQUE (series, seq));"
	"CREATE INDEX invoices_company ON invoices(company_id, currency);"
	"CREATE INDEX invoices_credit_of ON invoices(credit_of)"
	" WHERE credit_of IS NOT NULL;"
	"CREATE UNIQUE INDEX invoices_milestone ON invoices(milestone_id)"
	" WHERE milestone_id IS NOT NULL AND kind = 'invoice';"
	"CREATE UNIQUE INDEX invoices_schedule ON invoices(schedule_id)"
	" WHERE schedule_id IS NOT NULL AND kind = 'invoice';"
	/* quantity in thousandths; tax_rate in hundredths of a percent */
	"CREATE TABLE invoice_lines ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" invoice_id INTEGER NOT NULL REFERENCES invoices(id),"
	" pos INTEGER NOT NULL,"
	" description TEXT NOT NULL,"
	" quantity INTEGER NOT NULL,"
	" unit_price INTEGER NOT NULL,"
	" tax_rate INTEGER NOT NULL,"
	" net INTEGER NOT NULL,"
	" tax INTEGER NOT NULL,"
	" total INTEGER NOT NULL);"
	"CREATE INDEX invoice_lines_invoice ON invoice_lines(invoice_id, pos);"
	/* Money received; statement_ref: the bank statement entry it came
	 * from (reconcile applies an entry once). */
	"CREATE TABLE payments ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" company_id INTEGER NOT NULL REFERENCES companies(id),"
	" received_on TEXT NOT NULL,"
	" amount INTEGER NOT NULL,"
	" currency TEXT NOT NULL,"
	" payer TEXT,"
	" method TEXT,"
	" external_ref TEXT,"
	" statement_ref TEXT UNIQUE,"
	" created_at TEXT NOT NULL,"
	" actor TEXT);"
	"CREATE INDEX payments_company ON payments(company_id, currency);"
	/* What settles an invoice: part of a payment or of a credit note
	 * (exactly one of payment_id, credit_id). Undoing one sets
	 * undone_at, undone_by and undo_reason; the row stays. */
	"CREATE TABLE allocations ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" invoice_id INTEGER NOT NULL REFERENCES invoices(id),"
	" payment_id INTEGER REFERENCES payments(id),"
	" credit_id INTEGER REFERENCES invoices(id),"
	" amount INTEGER NOT NULL,"
	" at TEXT NOT NULL,"
	" actor TEXT,"
	" undone_at TEXT,"
	" undone_by TEXT,"
	" undo_reason TEXT);"
	"CREATE INDEX allocations_invoice ON allocations(invoice_id);"
	"CREATE INDEX allocations_payment ON allocations(payment_id)"
	" WHERE payment_id IS NOT NULL;"
	"CREATE INDEX allocations_credit ON allocations(credit_id)"
	" WHERE credit_id IS NOT NULL;"
	/* Double-entry journal lines, written with the document they post;
	 * journal_cursors: the last line an incremental export sent. */
	"CREATE TABLE journal_lines ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" entry TEXT NOT NULL,"
	" posted_on TEXT NOT NULL,"
	" account TEXT NOT NULL,"
	" debit INTEGER NOT NULL,"
	" credit INTEGER NOT NULL,"
	" currency TEXT NOT NULL,"
	" company_id INTEGER,"
	" doc_type TEXT NOT NULL,"
	" doc_id INTEGER NOT NULL,"
	" memo TEXT);"
	"CREATE TABLE journal_cursors ("
	" name TEXT PRIMARY KEY,"
	" last_id INTEGER NOT NULL,"
	" at TEXT NOT NULL);"
	/* -- users (lib/domain/user.c) -- */
	"CREATE TABLE crm_teams ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" name TEXT NOT NULL UNIQUE,"
	" parent TEXT,"
	" created_at TEXT NOT NULL);"
	"CREATE TABLE crm_users ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" name TEXT NOT NULL UNIQUE,"
	" email TEXT,"
	" team TEXT,"
	" role TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	/* -- key accounts (lib/domain/contact.c) ------------------------------ */
	/* reporting lines: a plain id (a deleted manager leaves a root) */
	"ALTER TABLE contacts ADD COLUMN reports_to_id INTEGER;"
	"CREATE INDEX contacts_reports_to ON contacts(reports_to_id)"
	" WHERE reports_to_id IS NOT NULL;"
	/* contact roles on deals and accounts (lib/domain/role.c) */
	"CREATE TABLE contact_roles ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	/* plain ids, as reports_to_id: a deleted contact's roles wait for
	 * its undo (the power map joins them away meanwhile) */
	" deal_id INTEGER,"
	" company_id INTEGER,"
	" contact_id INTEGER NOT NULL,"
	" role TEXT NOT NULL,"
	" attitude TEXT,"
	" influence TEXT,"
	" owner TEXT,"
	" strategy TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX contact_roles_deal ON contact_roles(deal_id);"
	"CREATE INDEX contact_roles_company ON contact_roles(company_id);"
	"CREATE INDEX contact_roles_contact ON contact_roles(contact_id);"
	/* -- campaigns (lib/domain/campaign.c) -------------------------------- */
	/* Campaigns (parent_id: the hierarchy, no cycles; budget and
	 * actual_cost in minor units of currency). campaign_members: a
	 * contact or lead (entity, record_id: plain integers, so undo of
	 * either keeps them) in a campaign with its member status and a
	 * per-member token; campaign_member_history: every status it had,
	 * with the time. */
	"CREATE TABLE campaigns ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" name TEXT NOT NULL,"
	" name_key TEXT,"
	" type TEXT,"
	" channel TEXT,"
	" parent_id INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,"
	" status TEXT NOT NULL,"
	" start_date TEXT,"
	" end_date TEXT,"
	" budget INTEGER,"
	" actual_cost INTEGER,"
	" currency TEXT,"
	" owner TEXT,"
	" tags TEXT,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX campaigns_parent ON campaigns(parent_id)"
	" WHERE parent_id IS NOT NULL;"
	"CREATE INDEX campaigns_name_key ON campaigns(name_key);"
	"CREATE TABLE campaign_members ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" campaign_id INTEGER NOT NULL,"
	" entity TEXT NOT NULL,"
	" record_id INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" token TEXT NOT NULL UNIQUE,"
	" added_at TEXT NOT NULL,"
	" status_at TEXT NOT NULL,"
	" UNIQUE (campaign_id, entity, record_id));"
	"CREATE INDEX campaign_members_record ON campaign_members(entity,"
	" record_id, added_at);"
	"CREATE TABLE campaign_member_history ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" member_id INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" at TEXT NOT NULL);"
	"CREATE INDEX campaign_member_history_member ON"
	" campaign_member_history(member_id, id);"
	/* segment_members: who was in each segment (files, see
	 * lib/domain/segment.c) at its last diff, since when. */
	"CREATE TABLE segment_members ("
	" segment TEXT NOT NULL,"
	" entity TEXT NOT NULL,"
	" record_id INTEGER NOT NULL,"
	" entered_at TEXT NOT NULL,"
	" PRIMARY KEY (segment, entity, record_id));"
	/* -- key-account tiers and plans (lib/domain/tier.c, plan.c) -- */
	/* the tier crm-company tier computed (its changes: the change log) */
	"ALTER TABLE companies ADD COLUMN tier TEXT;"
	/* an account plan per company: its period, target revenue (minor
	 * units of currency); its items: goals, strategies (a contact each),
	 * actions (a task in activities each), review notes */
	"CREATE TABLE account_plans ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" company_id INTEGER NOT NULL UNIQUE,"
	" period_from TEXT,"
	" period_to TEXT,"
	" target INTEGER,"
	" currency TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE TABLE account_plan_items ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" plan_id INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" contact_id INTEGER,"
	" activity_id INTEGER,"
	" text TEXT NOT NULL,"
	" author TEXT,"
	" at TEXT NOT NULL);"
	"CREATE INDEX account_plan_items_plan ON account_plan_items(plan_id);"

	/* -- sync (lib/domain/sync.c) -- */
	/* In a pulled copy: its state (server, user, client, cursor) and
	 * the base row of every pulled record, as pulled or last pushed (gen
	 * counts the pushes). On the server: the changes applied, by client
	 * and change key, written in the change's transaction (a push run
	 * again applies each once). */
	"CREATE TABLE crm_sync_state ("
	" key TEXT PRIMARY KEY,"
	" value TEXT);"
	"CREATE TABLE crm_sync_base ("
	" tbl TEXT NOT NULL,"
	" id INTEGER NOT NULL,"
	" gen INTEGER NOT NULL,"
	" row TEXT NOT NULL,"
	" PRIMARY KEY (tbl, id));"
	"CREATE TABLE crm_sync_applied ("
	" client TEXT NOT NULL,"
	" change TEXT NOT NULL,"
	" server_id INTEGER,"
	" at TEXT NOT NULL,"
	" actor TEXT,"
	" PRIMARY KEY (client, change));"
	/* -- rights (lib/domain/rights.c) -- */
	/* territories: team sees the records whose field (region, country
	 * or industry) is value, compared without case */
	"CREATE TABLE crm_territories ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" team TEXT NOT NULL,"
	" field TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" UNIQUE (team, field, value));"
	/* -- social identities (lib/domain/social.c) ------------------------- */
	/* A platform's handle of one contact or one lead (uid:
	 * "platform:handle", unique: one identity, one person); unionid: the
	 * WeChat unionid that links one person's openids across apps. */
	"CREATE TABLE social_identities ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" external_id TEXT UNIQUE,"
	" uid TEXT NOT NULL UNIQUE,"
	" platform TEXT NOT NULL,"
	" handle TEXT NOT NULL,"
	" unionid TEXT,"
	" app TEXT,"
	" name TEXT,"
	" contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	" lead_id INTEGER REFERENCES leads(id) ON DELETE SET NULL,"
	" custom TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX social_identities_unionid ON social_identities(unionid)"
	" WHERE unionid IS NOT NULL;"
	"CREATE INDEX social_identities_contact ON social_identities(contact_id)"
	" WHERE contact_id IS NOT NULL;"
	"CREATE INDEX social_identities_lead ON social_identities(lead_id)"
	" WHERE lead_id IS NOT NULL;"
	/* -- campaign sends (lib/domain/campaign_send.c) -- */
	/* The campaign send queue: a composed message for a member, handed
	 * over by crm-campaign run from not_before on (status queued,
	 * sending, sent, suppressed; error: why, the last failure). */
	"CREATE TABLE campaign_sends ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" campaign_id INTEGER NOT NULL,"
	" member_id INTEGER NOT NULL,"
	" recipient TEXT NOT NULL,"
	" message_id TEXT NOT NULL UNIQUE,"
	" message TEXT NOT NULL,"
	" not_before TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" sent_at TEXT,"
	" error TEXT,"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX campaign_sends_due ON campaign_sends(status, not_before);"
	"CREATE INDEX campaign_sends_campaign ON campaign_sends(campaign_id,"
	" sent_at);"

	/* -- ticket reports over a range (lib/report/report_specs.c) -- */
	/* a report's --from/--to seeks the range's tickets (service, tickets,
	 * first-reply times) instead of reading every ticket */
	"CREATE INDEX tickets_created ON tickets(created_at);"

	"";

static const char *const migrations[] = {
	migration1,
};

int crm_db_schema_version(void)
{
	return (int)(sizeof(migrations) / sizeof(migrations[0]));
}

const char *crm_schema_migration(int n)
{
	if (n < 1 || n > crm_db_schema_version())
		return NULL;
	return migrations[n - 1];
}

/* PostgreSQL gets the same migrations, translated statement by statement:
 * an id INTEGER PRIMARY KEY (AUTOINCREMENT or not: both hand out ids) is
 * an identity column, whose sequence never gives an id twice; INTEGER is
 * bigint, REAL double precision, the custom TEXT column jsonb; WITHOUT
 * ROWID goes. Foreign keys are added after every table exists (SQLite
 * lets a table refer to one created after it; PostgreSQL does not). The
 * one-row table crm_schema holds the version (PRAGMA user_version on
 * SQLite; db.c), and the SQL functions crm defines on SQLite connections
 * get SQL definitions (crm_fold and crm_search_key fold case and accents
 * as utf8proc does on SQLite: lib/store/pg_fold.h). */
static const struct {
	const char *from, *to;
} pg_words[] = {
    {" id INTEGER PRIMARY KEY AUTOINCREMENT",
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {" id INTEGER PRIMARY KEY",
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {" custom TEXT", " custom JSONB"},
    {" INTEGER", " BIGINT"},
    {" REAL", " DOUBLE PRECISION"},
    {") WITHOUT ROWID", ")"},
};

static const char pg_functions[] =
    /* SQLite's instr(a, b), which --where ~ uses */
    "CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer"
    " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT strpos($1, $2)';"
    /* the reports' SQL: SQLite's julianday() of ISO 8601 UTC text, as
     * SQLite computes it (whole milliseconds over 86400000.0); STABLE as
     * the text-to-timestamp cast in it, so that PostgreSQL inlines it
     * into the query (IMMUTABLE over a stable cast: a SQL function call
     * per value, 3.5 times slower; #25). The milliseconds in double
     * precision (date_part), rounded half up as SQLite's: exact for the
     * whole seconds and milliseconds crm stores, a third cheaper than
     * extract()'s numeric */
    "CREATE OR REPLACE FUNCTION julianday(text) RETURNS double precision"
    " LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$SELECT (floor("
    "date_part('epoch', CAST($1 AS timestamp)) * 1000 + 0.5) + "
    "210866760000000) / CAST(86400000 AS double precision)$$;"
    /* SQLite's round(real, digits) */
    "CREATE OR REPLACE FUNCTION round(double precision, integer) RETURNS "
    "numeric LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
    "$$SELECT round(CAST($1 AS numeric), $2)$$;"
    /* crm_percentile(x, p) as lib/report/report.c's: the state is p and
     * then the non-null values */
    "CREATE OR REPLACE FUNCTION crm_pct_step(double precision[], double "
    "precision, double precision) RETURNS double precision[] LANGUAGE sql "
    "IMMUTABLE PARALLEL SAFE AS $$SELECT CASE WHEN $2 IS NULL THEN "
    "coalesce($1, ARRAY[$3]) ELSE coalesce($1, ARRAY[$3]) || $2 END$$;"
    "CREATE OR REPLACE FUNCTION crm_pct_final(double precision[]) RETURNS "
    "numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$SELECT CAST("
    "CASE WHEN n = 0 THEN NULL WHEN p = 50 AND n % 2 = 0 THEN "
    "(v[n / 2] + v[n / 2 + 1]) / 2 ELSE v[least(greatest(CAST(ceil(p / "
    "CAST(100 AS double precision) * n) AS integer), 1), n)] END AS "
    "numeric) FROM "
    "(SELECT $1[1] AS p, cardinality($1) - 1 AS n, ARRAY(SELECT x FROM "
    "unnest($1[2:]) x ORDER BY x) AS v) s$$;"
    "CREATE OR REPLACE AGGREGATE crm_percentile(double precision, double "
    "precision) (SFUNC = crm_pct_step, STYPE = double precision[], "
    "FINALFUNC = crm_pct_final);"
    /* crm_money(minor, currency): lib/base/money.c's exponents; past
     * int64 minor units (crm_money_fits) SQLite's "integer overflow",
     * which store_pg.c reads as crm_money_overflow */
    "CREATE OR REPLACE FUNCTION crm_money(numeric, text) RETURNS text "
    "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$DECLARE e integer := "
    "CASE WHEN $2 "
    "IN ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', "
    "'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF') THEN 0 WHEN $2 IN "
    "('BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND') THEN 3 ELSE 2 END; "
    "BEGIN IF $1 < -9223372036854775808 OR $1 >= 9223372036854775807.5 "
    "THEN RAISE EXCEPTION 'integer overflow' USING ERRCODE = '22003'; "
    "END IF; RETURN CAST(round($1 / power(CAST(10 AS numeric), e), e) AS "
    "text); END$$;"
    /* crm_period_n(n): n, or an error past lib/report's
     * CRM_REPORT_PERIODS_MAX (10000), as report.c's */
    "CREATE OR REPLACE FUNCTION crm_period_n(integer) RETURNS integer "
    "LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$BEGIN IF $1 > "
    "10000 THEN RAISE EXCEPTION 'crm: too many periods'; END IF; RETURN "
    "$1; END$$;"
    /* SQLite's strftime(format, time, modifier) for the one format the
     * reports use, ISO 8601 UTC, with an interval modifier ('+N seconds',
     * '-1 second', '+1 month'); null for a null argument without STRICT
     * (the CASE is not strict) and STABLE as its casts, so that PostgreSQL
     * inlines it (unattended: 2.4 s -> 1.3 s at 50,000 leads; #25) */
    "CREATE OR REPLACE FUNCTION strftime(text, text, text) RETURNS text "
    "LANGUAGE sql STABLE PARALLEL SAFE AS $$SELECT CASE WHEN $1 "
    "= '%Y-%m-%dT%H:%M:%SZ' THEN to_char(CAST($2 AS timestamptz) AT TIME "
    "ZONE 'UTC' + CAST($3 AS interval), "
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') END$$;";

/* Copy one CREATE TABLE statement st (n bytes) to out with its types
 * translated; its REFERENCES clauses go to fks as ALTER TABLEs. */
static void pg_statement(const char *st, size_t n, struct crm_buf *out,
			 struct crm_buf *fks)
{
	char table[64] = "";
	size_t colstart = 0;

	if (!strncmp(st, "CREATE TABLE ", 13)) {
		size_t k = strcspn(st + 13, " (");

		if (k < sizeof(table)) {
			memcpy(table, st + 13, k);
			table[k] = '\0';
		}
	}
	for (size_t i = 0; i < n;) {
		bool done = false;

		if (st[i] == '(' || st[i] == ',')
			colstart = i + 1;
		for (size_t w = 0; w < sizeof(pg_words) / sizeof(*pg_words);
		     w++) {
			size_t l = strlen(pg_words[w].from);

			if (i + l <= n &&
			    !strncmp(st + i, pg_words[w].from, l)) {
				crm_buf_adds(out, pg_words[w].to);
				i += l;
				done = true;
				break;
			}
		}
		if (done)
			continue;
		if (*table && i + 12 <= n &&
		    !strncmp(st + i, " REFERENCES ", 12)) {
			/* to the end of the column: the next ',' or the
			 * table's closing ')' (a clause has one pair) */
			size_t j = i + 12, depth = 0;
			const char *col = st + colstart;

			for (; j < n; j++) {
				if (st[j] == '(')
					depth++;
				else if (st[j] == ')' && depth-- == 0)
					break;
				else if (st[j] == ',' && !depth)
					break;
			}
			while (*col == ' ')
				col++;
			crm_buf_addf(
			    fks,
			    "ALTER TABLE %s ADD FOREIGN KEY (%.*s)%.*s "
			    "DEFERRABLE;",
			    table, (int)strcspn(col, " "), col, (int)(j - i),
			    st + i);
			i = j;
			continue;
		}
		crm_buf_add(out, st + i, 1);
		i++;
	}
	crm_buf_adds(out, ";");
}

void crm_schema_migration_pg(int n, struct crm_buf *out)
{
	const char *m = crm_schema_migration(n);
	struct crm_buf fks = {0};

	if (!m)
		return;
	/* the DDL has no ';' inside quotes */
	for (const char *p = m; *p;) {
		size_t k = strcspn(p, ";");

		if (k)
			pg_statement(p, k, out, &fks);
		p += k + (p[k] == ';');
	}
	if (fks.len)
		crm_buf_add(out, fks.s, fks.len);
	crm_buf_release(&fks);
	if (n == 1) {
		crm_buf_adds(out, pg_functions);
		crm_buf_adds(out, crm_pg_fold_sql);
	}
}
