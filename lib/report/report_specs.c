/* report_specs.c - the reports: what each counts, over which table, as
 * fixed SQL aggregates the framework (report.c) groups and buckets. Rates
 * are percentages with one decimal, null when the denominator is 0. */
#include <string.h>

#include "report.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* How many rows the condition c holds for: null when it is null for
 * every row, as SQLite's sum(c) was (PostgreSQL cannot sum booleans). */
#define COUNT_IF(c) "sum(CAST(" c " AS INTEGER))"
#define RATE(num, den) "round(100.0 * (" num ") / nullif(" den ", 0), 1)"
/* the median and the 90th percentile of x, to one decimal */
#define MEDIAN(x) "round(crm_percentile(" x ", 50), 1)"
#define P90(x) "round(crm_percentile(" x ", 90), 1)"
/* the later of two ISO times, neither null (SQLite's two-argument max()) */
#define LATER(a, b) "CASE WHEN " a " >= " b " THEN " a " ELSE " b " END"

/* activities per owner (or --by type, channel ...) */
static const struct crm_measure activity_measures[] = {
    {"activities", "count(*)", CRM_M_COUNT},
    {"contacts", "count(DISTINCT contact_id)", CRM_M_COUNT},
    {"calls", COUNT_IF("type = 'call'"), CRM_M_COUNT},
    {"emails", COUNT_IF("type = 'email'"), CRM_M_COUNT},
    {"meetings", COUNT_IF("type = 'meeting'"), CRM_M_COUNT},
    {"tasks", COUNT_IF("due_at IS NOT NULL"), CRM_M_COUNT},
    {"tasks_done", COUNT_IF("due_at IS NOT NULL AND done_at IS NOT NULL"),
     CRM_M_COUNT},
    {"tasks_done_rate",
     RATE(COUNT_IF("due_at IS NOT NULL AND done_at IS NOT NULL"),
	  COUNT_IF("due_at IS NOT NULL")),
     CRM_M_RATE},
};

/* contacts per source and lifecycle stage */
static const struct crm_measure contact_measures[] = {
    {"contacts", "count(*)", CRM_M_COUNT},
    {"subscribers", COUNT_IF("lifecycle_stage = 'subscriber'"), CRM_M_COUNT},
    {"leads", COUNT_IF("lifecycle_stage = 'lead'"), CRM_M_COUNT},
    {"mqls", COUNT_IF("lifecycle_stage = 'marketing_qualified_lead'"),
     CRM_M_COUNT},
    {"sqls", COUNT_IF("lifecycle_stage = 'sales_qualified_lead'"), CRM_M_COUNT},
    {"opportunities", COUNT_IF("lifecycle_stage = 'opportunity'"), CRM_M_COUNT},
    {"customers", COUNT_IF("lifecycle_stage IN ('customer', 'evangelist')"),
     CRM_M_COUNT},
    {"customer_rate",
     RATE(COUNT_IF("lifecycle_stage IN ('customer', 'evangelist')"),
	  "count(*)"),
     CRM_M_RATE},
};

/* -- leads ------------------------------------------------------------- */

/* Derived tables whose columns several measures read keep their range
 * themselves and are not flattened into the aggregate (LIMIT -1): each
 * correlated subquery then runs once per row, not once per measure. */
#define IN_RANGE(t)                                                            \
	t " < p.to_ AND (p.from_ IS NULL OR " t " >= p.from_) LIMIT -1"

/* Each lead with its funnel marks: first assignment (lead_history),
 * whether it was ever qualified (or converted), whether it has a deal
 * (deals.lead_id) and when its first deal was won. */
#define LEAD_FUNNEL                                                            \
	"(SELECT l.*, (SELECT min(h.at) FROM lead_history h WHERE h.lead_id "  \
	"= l.id AND h.field = 'owner' AND h.to_value IS NOT NULL) AS "         \
	"assigned_first_at_, (l.status = 'converted' OR EXISTS (SELECT 1 "     \
	"FROM lead_history h WHERE h.lead_id = l.id AND h.field = 'status' "   \
	"AND h.to_value = 'qualified')) AS qualified_, EXISTS (SELECT 1 FROM " \
	"deals d WHERE d.lead_id = l.id) AS deal_, (SELECT min(d.closed_at) "  \
	"FROM deals d WHERE d.lead_id = l.id AND d.status = 'won') AS "        \
	"won_at_ FROM leads l, params_ p WHERE " IN_RANGE(                     \
	    "l.created_at") ") AS leads"

#define DAYS(a, b) "(julianday(" a ") - julianday(" b "))"
/* A value the measures read more than once (PostgreSQL's median reads it
 * twice) is a column of the base row (spec row), computed once a row. */
#define TO_ASSIGN DAYS("assigned_first_at_", "created_at") " AS to_assign_"
#define TO_CONVERT DAYS("converted_at", "created_at") " AS to_convert_"
#define TO_CLOSE DAYS("won_at_", "created_at") " AS to_close_"
#define FUNNEL_ROW TO_ASSIGN ", " TO_CONVERT ", " TO_CLOSE
static const struct crm_measure funnel_measures[] = {
    {"leads", "count(*)", CRM_M_COUNT},
    {"qualified", COUNT_IF("qualified_"), CRM_M_COUNT},
    {"converted", COUNT_IF("status = 'converted'"), CRM_M_COUNT},
    {"deals", COUNT_IF("deal_"), CRM_M_COUNT},
    {"won", COUNT_IF("won_at_ IS NOT NULL"), CRM_M_COUNT},
    {"qualified_rate", RATE(COUNT_IF("qualified_"), "count(*)"), CRM_M_RATE},
    {"converted_rate",
     RATE(COUNT_IF("status = 'converted'"), COUNT_IF("qualified_")),
     CRM_M_RATE},
    {"deal_rate", RATE(COUNT_IF("deal_"), COUNT_IF("status = 'converted'")),
     CRM_M_RATE},
    {"won_rate", RATE(COUNT_IF("won_at_ IS NOT NULL"), COUNT_IF("deal_")),
     CRM_M_RATE},
    {"lead_to_won_rate", RATE(COUNT_IF("won_at_ IS NOT NULL"), "count(*)"),
     CRM_M_RATE},
    {"median_days_to_assign", MEDIAN("to_assign_"), CRM_M_VALUE},
    {"median_days_to_convert", MEDIAN("to_convert_"), CRM_M_VALUE},
    {"median_days_to_close", MEDIAN("to_close_"), CRM_M_VALUE},
};

/* Each lead with its won deals: how many, and their amount in the report
 * currency (won deals grouped by lead once and joined, #25). */
#define LEAD_REVENUE                                                           \
	"(SELECT l.*, coalesce(wd_.n_, 0) AS won_deals_, wd_.amount_ AS "      \
	"won_amount_ FROM params_ p, leads l LEFT JOIN (SELECT d.lead_id, "    \
	"count(*) AS n_, sum(CASE WHEN d.currency = q.cur_ THEN d.amount END)" \
	" AS amount_ FROM deals d, params_ q WHERE d.lead_id IS NOT NULL AND " \
	"d.status = 'won' GROUP BY d.lead_id) AS wd_ ON wd_.lead_id = l.id "   \
	"WHERE l.created_at < p.to_ AND (p.from_ IS NULL OR l.created_at >= "  \
	"p.from_)) AS leads"

/* the costs of the group: per source and campaign by default; per
 * campaign without --by; none for other groupings */
/* (the group's source and campaign as crm_grouped_(): the column where
 * the query groups by it, else max(), an aggregate of the outer query,
 * since PostgreSQL refuses a column the grouping does not name) */
#define COST                                                                   \
	"(SELECT sum(c.cost) FROM crm_report_costs c, params_ p WHERE "        \
	"c.currency = p.cur_ AND CASE WHEN p.by_ = 'source' THEN "             \
	"c.cost_source IS NOT DISTINCT FROM crm_grouped_(source) AND "         \
	"c.cost_campaign IS NOT DISTINCT FROM crm_grouped_(campaign) WHEN "    \
	"p.by_ IS NULL THEN c.cost_campaign IS NOT DISTINCT FROM "             \
	"crm_grouped_(campaign) ELSE 1 = 0 END)"
#define REVENUE "coalesce(sum(won_amount_), 0)"

static const struct crm_measure sources_measures[] = {
    {"leads", "count(*)", CRM_M_COUNT},
    {"converted", COUNT_IF("status = 'converted'"), CRM_M_COUNT},
    {"conversion_rate", RATE(COUNT_IF("status = 'converted'"), "count(*)"),
     CRM_M_RATE},
    {"won_deals", "sum(won_deals_)", CRM_M_COUNT},
    {"won_revenue", "crm_money(" REVENUE ", (SELECT cur_ FROM params_))",
     CRM_M_VALUE},
    {"cost", "crm_money(" COST ", (SELECT cur_ FROM params_))", CRM_M_VALUE},
    {"currency", "(SELECT cur_ FROM params_)", CRM_M_TEXT},
    {"roi_pct", RATE(REVENUE " - " COST, COST), CRM_M_RATE},
};

/* -- deals ------------------------------------------------------------- */

/* A deal's state as of params_.to_, from deal_history: the stage and
 * status of its last stage row before then, the amount and currency of
 * its last row of any kind (each row carries the deal's amount after the
 * change), the probability of its last probability row (or the value
 * the first later change replaced). A state now is the deal itself. */
#define LAST_ROW(col, cond)                                                    \
	"(SELECT h." col " FROM deal_history h WHERE h.deal_id = d.id " cond   \
	" AND h.at < p.to_ ORDER BY h.at DESC, h.id DESC LIMIT 1)"
#define ASOF(col, expr)                                                        \
	"CASE WHEN p.to_ > p.now_ THEN d." col " ELSE " expr " END AS " col
#define DEAL_ASOF                                                                                                                                                                                                                                                                 \
	"(SELECT d.id, d.external_id, d.name, d.company_id, d.contact_id, "                                                                                                                                                                                                       \
	"d.lead_id, d.pipeline, " ASOF(                                                                                                                                                                                                                                           \
	    "stage",                                                                                                                                                                                                                                                              \
	    LAST_ROW(                                                                                                                                                                                                                                                             \
		"to_value",                                                                                                                                                                                                                                                       \
		"AND h.field = 'stage'")) ", " ASOF("status",                                                                                                                                                                                                                     \
						    LAST_ROW(                                                                                                                                                                                                                     \
							"to_status",                                                                                                                                                                                                              \
							"AND h.field = "                                                                                                                                                                                                          \
							"'stage'")) ", " ASOF("amount",                                                                                                                                                                                           \
									      LAST_ROW(                                                                                                                                                                                           \
										  "amount",                                                                                                                                                                                       \
										  "")) ", " ASOF("currency",                                                                                                                                                                      \
												 LAST_ROW(                                                                                                                                                                        \
												     "currency",                                                                                                                                                                  \
												     "")) ", " ASOF("probability",                                                                                                                                                \
														    "coalesce(CAST(" LAST_ROW(                                                                                                                                    \
															"to_value",                                                                                                                                               \
															"AND h.field = 'probability'") " AS REAL), CAST((SELECT h.from_value FROM deal_history h WHERE "                                                          \
																		       "h.deal_id = d.id AND h.field = 'probability' AND h.at >= p.to_ "                                                          \
																		       "ORDER BY h.at, h.id LIMIT 1) AS REAL), d.probability)") ", d.forecast_category, "                                         \
																										"d.expected_close, d.owner, d.source, d.tags, d.close_reason, "   \
																										"d.closed_at, d.stage_changed_at, d.last_activity_at, d.custom, " \
																										"d.created_at, d.updated_at FROM deals d, params_ p WHERE "       \
																										"d.created_at < p.to_) AS deals"

/* rounded half away from zero on both engines (PostgreSQL's round() of a
 * double rounds half to even; of a numeric as SQLite's) */
#define MONEY(x) "crm_money(round(CAST(" x " AS NUMERIC)), currency)"

static const struct crm_measure pipeline_measures[] = {
    {"deals", "count(*)", CRM_M_COUNT},
    {"amount", "crm_money(sum(amount), currency)", CRM_M_VALUE},
    {"weighted_amount", MONEY("sum(amount * coalesce(probability, 0) / 100.0)"),
     CRM_M_VALUE},
};

static const struct crm_measure winrate_measures[] = {
    {"closed", "count(*)", CRM_M_COUNT},
    {"won", COUNT_IF("status = 'won'"), CRM_M_COUNT},
    {"lost", COUNT_IF("status = 'lost'"), CRM_M_COUNT},
    {"win_rate", RATE(COUNT_IF("status = 'won'"), "count(*)"), CRM_M_RATE},
};

#define CYCLE "cycle_"
#define CYCLE_ROW DAYS("closed_at", "created_at") " AS cycle_"

static const struct crm_measure cycle_measures[] = {
    {"won", "count(*)", CRM_M_COUNT},
    {"median_days", MEDIAN(CYCLE), CRM_M_VALUE},
    {"p90_days", P90(CYCLE), CRM_M_VALUE},
    {"avg_days", "round(avg(" CYCLE "), 1)", CRM_M_VALUE},
};

/* Each time a deal left a stage: the deal's fields, with the stage it
 * left, its pipeline then, and when. */
#define STAGE_EXITS                                                            \
	"(SELECT d.id, d.external_id, d.name, d.company_id, d.contact_id, "    \
	"d.lead_id, h.pipeline, h.from_value AS stage, d.status, d.amount, "   \
	"d.currency, d.probability, d.forecast_category, d.expected_close, "   \
	"d.owner, d.source, d.tags, d.close_reason, d.closed_at, "             \
	"d.stage_changed_at, d.last_activity_at, d.custom, d.created_at, "     \
	"d.updated_at, h.at AS left_at_, h.seconds_in_stage / 86400.0 AS "     \
	"days_ FROM deal_history h JOIN deals d ON d.id = h.deal_id WHERE "    \
	"h.field = 'stage' AND h.from_value IS NOT NULL AND "                  \
	"h.seconds_in_stage IS NOT NULL) AS stages"

static const struct crm_measure stages_measures[] = {
    {"exits", "count(*)", CRM_M_COUNT},
    {"median_days", MEDIAN("days_"), CRM_M_VALUE},
    {"p90_days", P90("days_"), CRM_M_VALUE},
    {"avg_days", "round(avg(days_), 1)", CRM_M_VALUE},
};

static const struct crm_measure dealsize_measures[] = {
    {"won", "count(*)", CRM_M_COUNT},
    {"total", "crm_money(sum(amount), currency)", CRM_M_VALUE},
    {"average", MONEY("avg(amount)"), CRM_M_VALUE},
    {"median", MONEY("crm_percentile(amount, 50)"), CRM_M_VALUE},
    {"p90", MONEY("crm_percentile(amount, 90)"), CRM_M_VALUE},
    {"largest", "crm_money(max(amount), currency)", CRM_M_VALUE},
};

/* Open deals (created before --to) and deals closed in the range, on
 * one time line: an open deal counts at --from (or its creation). */
#define DEAL_SPAN                                                              \
	"(SELECT d.*, CASE WHEN d.status = 'open' THEN " LATER(                \
	    "d.created_at",                                                    \
	    "coalesce(p.from_, '')") " ELSE d.closed_at END "                  \
				     "AS t_ FROM deals d, params_ p) AS deals"
#define WON "FILTER (WHERE status = 'won')"
/* Velocity's cycle is written in its two measures, not computed once a
 * row (CYCLE_ROW): both engines compute one aggregate for the two equal
 * calls, over the won deals only, where a row of PostgreSQL's computes it
 * for every deal under --to and carries every column (0.5-0.8 s against
 * 0.18 s at 200,000 deals). */
#define CYCLE_DAYS DAYS("closed_at", "created_at")
#define WIN_RATIO                                                              \
	"(1.0 * " COUNT_IF("status = 'won'") " / nullif(" COUNT_IF(            \
	    "status IN ('won', 'lost')") ", 0))"

static const struct crm_measure velocity_measures[] = {
    {"open_deals", COUNT_IF("status = 'open'"), CRM_M_COUNT},
    {"won", COUNT_IF("status = 'won'"), CRM_M_COUNT},
    {"lost", COUNT_IF("status = 'lost'"), CRM_M_COUNT},
    {"win_rate", "round(100 * " WIN_RATIO ", 1)", CRM_M_RATE},
    {"avg_won", MONEY("avg(amount) " WON), CRM_M_VALUE},
    {"avg_cycle_days", "round(avg(" CYCLE_DAYS ") " WON ", 1)", CRM_M_VALUE},
    {"velocity_per_day",
     MONEY(COUNT_IF("status = 'open'") " * " WIN_RATIO " * avg(amount) " WON
				       " / nullif(avg(" CYCLE_DAYS ") " WON
				       ", 0)"),
     CRM_M_VALUE},
};

/* -- people ------------------------------------------------------------ */

/* What each owner did, as events on one time line: activities logged,
 * deals closed, tickets solved (met_: resolution target met). */
#define EVENTS                                                                 \
	"(SELECT owner, 'activity' AS kind_, occurred_at AS at_, lead_id, "    \
	"NULL AS amount, NULL AS currency, CAST(NULL AS INTEGER) AS met_ "     \
	"FROM activities "                                                     \
	"WHERE owner IS NOT NULL UNION ALL SELECT owner, status, closed_at, "  \
	"NULL, amount, currency, NULL FROM deals WHERE status IN ('won', "     \
	"'lost') AND owner IS NOT NULL UNION ALL SELECT assignee, 'solved', "  \
	"solved_at, NULL, NULL, NULL, CASE WHEN resolution_due IS NOT NULL "   \
	"THEN CASE WHEN solved_at <= resolution_due AND coalesce("             \
	"resolution_breached, 0) = 0 THEN 1 ELSE 0 END END FROM tickets "      \
	"WHERE solved_at IS NOT "                                              \
	"NULL AND assignee IS NOT NULL) AS events"

static const struct crm_measure leaderboard_measures[] = {
    {"activities", COUNT_IF("kind_ = 'activity'"), CRM_M_COUNT},
    {"leads_worked", "count(DISTINCT lead_id)", CRM_M_COUNT},
    {"deals_won", COUNT_IF("kind_ = 'won'"), CRM_M_COUNT},
    {"amount_won",
     "crm_money(coalesce(sum(amount) FILTER (WHERE kind_ = 'won' AND "
     "currency = (SELECT cur_ FROM params_)), 0), (SELECT cur_ FROM "
     "params_))",
     CRM_M_VALUE},
    {"currency", "(SELECT cur_ FROM params_)", CRM_M_TEXT},
    {"win_rate",
     RATE(COUNT_IF("kind_ = 'won'"), COUNT_IF("kind_ IN ('won', 'lost')")),
     CRM_M_RATE},
    {"tickets_solved", COUNT_IF("kind_ = 'solved'"), CRM_M_COUNT},
    {"sla_compliance", RATE(COUNT_IF("met_"), "count(met_)"), CRM_M_RATE},
};

/* -- tickets ----------------------------------------------------------- */

#define FR_MET                                                                 \
	"(first_reply_due IS NOT NULL AND first_response_at IS NOT NULL AND "  \
	"first_response_at <= first_reply_due AND "                            \
	"coalesce(first_reply_breached, 0) = 0)"
#define FR_BREACH                                                              \
	"(first_reply_due IS NOT NULL AND (coalesce(first_reply_breached, 0) " \
	"<> 0 OR coalesce(first_response_at, now_) > first_reply_due))"
#define RES_MET                                                                \
	"(resolution_due IS NOT NULL AND solved_at IS NOT NULL AND "           \
	"solved_at <= resolution_due AND "                                     \
	"coalesce(resolution_breached, 0) = 0)"
#define RES_BREACH                                                             \
	"(resolution_due IS NOT NULL AND (coalesce(resolution_breached, 0) "   \
	"<> 0 OR coalesce(solved_at, now_) > resolution_due))"
#define HOURS(a) "(24 * " DAYS(a, "created_at") ")"
#define FRH "reply_hours_"
#define FRH_ROW HOURS("first_response_at") " AS reply_hours_"

static const struct crm_measure sla_measures[] = {
    {"tickets", "count(*)", CRM_M_COUNT},
    {"first_reply_met", COUNT_IF(FR_MET), CRM_M_COUNT},
    {"first_reply_breached", COUNT_IF(FR_BREACH), CRM_M_COUNT},
    {"first_reply_compliance",
     RATE(COUNT_IF(FR_MET), COUNT_IF(FR_MET) " + " COUNT_IF(FR_BREACH)),
     CRM_M_RATE},
    {"median_first_reply_hours", MEDIAN(FRH), CRM_M_VALUE},
    {"p90_first_reply_hours", P90(FRH), CRM_M_VALUE},
    {"resolution_met", COUNT_IF(RES_MET), CRM_M_COUNT},
    {"resolution_breached", COUNT_IF(RES_BREACH), CRM_M_COUNT},
    {"resolution_compliance",
     RATE(COUNT_IF(RES_MET), COUNT_IF(RES_MET) " + " COUNT_IF(RES_BREACH)),
     CRM_M_RATE},
    {"median_resolution_hours", MEDIAN("solve_hours_"), CRM_M_VALUE},
    {"p90_resolution_hours", P90("solve_hours_"), CRM_M_VALUE},
    {"breached_tickets", COUNT_IF(FR_BREACH " OR " RES_BREACH), CRM_M_COUNT},
};

#define SLA_ROW FRH_ROW ", " HOURS("solved_at") " AS solve_hours_"

/* First-reply time as a distribution: tickets answered, in bins of
 * hours from creation to the first reply (the dashboard's histogram). */
static const struct crm_measure replytime_measures[] = {
    {"replied", "count(*)", CRM_M_COUNT},
    {"under_1h", COUNT_IF(FRH " < 1"), CRM_M_COUNT},
    {"h1_to_4", COUNT_IF(FRH " >= 1 AND " FRH " < 4"), CRM_M_COUNT},
    {"h4_to_8", COUNT_IF(FRH " >= 4 AND " FRH " < 8"), CRM_M_COUNT},
    {"h8_to_24", COUNT_IF(FRH " >= 8 AND " FRH " < 24"), CRM_M_COUNT},
    {"d1_to_3", COUNT_IF(FRH " >= 24 AND " FRH " < 72"), CRM_M_COUNT},
    {"over_3d", COUNT_IF(FRH " >= 72"), CRM_M_COUNT},
    {"median_first_reply_hours", MEDIAN(FRH), CRM_M_VALUE},
    {"p90_first_reply_hours", P90(FRH), CRM_M_VALUE},
};

/* a ticket's age in days, once per row (spec row) */
#define AGE "age_"
#define AGE_ROW DAYS("now_", "created_at") " AS age_"

/* Each ticket with its status as of --to (ticket_status_history: the last
 * change before it, else the status the first later change left, else
 * the status now, but open when it was solved or closed after --to), so the
 * backlog at the end of an earlier period can be counted. */
#define TICKET_ASOF                                                            \
	"(SELECT t.id, t.external_id, t.subject, t.description, "              \
	"t.contact_id, t.company_id, t.channel, t.priority, CASE WHEN p.to_ "  \
	"> p.now_ THEN t.status ELSE coalesce((SELECT h.to_status FROM "       \
	"ticket_status_history h WHERE h.ticket_id = t.id AND h.at < p.to_ "   \
	"ORDER BY h.at DESC, h.id DESC LIMIT 1), (SELECT h.from_status FROM "  \
	"ticket_status_history h WHERE h.ticket_id = t.id AND h.at >= p.to_ "  \
	"ORDER BY h.at, h.id LIMIT 1), CASE WHEN t.status IN ('solved', "      \
	"'closed') AND coalesce(t.solved_at, t.closed_at) >= p.to_ THEN "      \
	"'open' ELSE t.status END) END AS status, t.assignee, "                \
	"t.team, t.tags, t.first_response_at, t.solved_at, t.closed_at, "      \
	"t.sla_policy, t.first_reply_due, t.next_reply_due, "                  \
	"t.resolution_due, t.first_reply_breached, t.next_reply_breached, "    \
	"t.resolution_breached, t.awaiting_since, t.last_activity_at, "        \
	"t.custom, t.created_at, t.updated_at FROM tickets t, params_ p) AS "  \
	"tickets"

static const struct crm_measure tickets_measures[] = {
    {"tickets", "count(*)", CRM_M_COUNT},
    {"under_1d", COUNT_IF(AGE " < 1"), CRM_M_COUNT},
    {"d1_to_7", COUNT_IF(AGE " >= 1 AND " AGE " < 7"), CRM_M_COUNT},
    {"d7_to_30", COUNT_IF(AGE " >= 7 AND " AGE " < 30"), CRM_M_COUNT},
    {"over_30d", COUNT_IF(AGE " >= 30"), CRM_M_COUNT},
    {"median_age_days", MEDIAN(AGE), CRM_M_VALUE},
    {"p90_age_days", P90(AGE), CRM_M_VALUE},
    {"oldest_created_at", "min(created_at)", CRM_M_TEXT},
};

/* -- service (lib/domain/mail.c, asset.c) ------------------------------ */

/* Each ticket with its agent replies (public replies out) and how often
 * it was reopened (a status change from solved or closed back): each
 * table grouped once and joined, not a subquery per ticket (#25). The
 * groups take the range's tickets only, so a narrow --from reads only
 * their replies and status changes (by the ticket_id indexes; on
 * PostgreSQL with CRM_RS_PROBE: its default costs scan both tables whole
 * even for one month of 300,000 tickets). The range
 * is two bounds tickets_created can seek ('' below every time: a missing
 * --from), not an OR, which no index serves. */
#define TICKET_IN_RANGE                                                        \
	"ticket_id IN (SELECT r_.id FROM tickets r_, params_ p WHERE "         \
	"r_.created_at < p.to_ AND r_.created_at >= coalesce(p.from_, ''))"
#define SERVICE_OF(tickets, replies_of, status_history, reopens_of)            \
	"(SELECT t.*, coalesce(rp_.n_, 0) AS replies_, coalesce(ro_.n_, 0) "   \
	"AS reopens_ FROM " tickets " LEFT JOIN (SELECT ticket_id, count(*) "  \
	"AS n_ FROM activities WHERE " replies_of " AND type = 'reply' AND "   \
	"direction = 'out' GROUP BY ticket_id) AS rp_ ON rp_.ticket_id = "     \
	"t.id LEFT JOIN (SELECT ticket_id, count(*) AS n_ "                    \
	"FROM " status_history " WHERE " reopens_of " AND from_status IN "     \
	"('solved', 'closed') AND to_status NOT IN ('solved', 'closed') "      \
	"GROUP BY ticket_id) AS ro_ ON ro_.ticket_id = t.id) AS tickets"
#define SERVICE_TICKETS                                                        \
	SERVICE_OF("tickets t", TICKET_IN_RANGE, "ticket_status_history",      \
		   TICKET_IN_RANGE)
/* The whole history (SQLite, no --from): the range's ids would only
 * probe every ticket's replies and status changes one by one. Read whole
 * instead: the status changes scanned (the few reopens sorted), the
 * replies along activities_ticket (#25; the tickets are scanned too, see
 * base_sql). */
#define SERVICE_WHOLE                                                          \
	SERVICE_OF("tickets t", "ticket_id IS NOT NULL",                       \
		   "ticket_status_history NOT INDEXED",                        \
		   "ticket_id IS NOT NULL")
#define RESOLVED "status IN ('solved', 'closed')"
#define EVER_RESOLVED "(" RESOLVED " OR reopens_ > 0)"
#define FCR RESOLVED " AND replies_ = 1 AND reopens_ = 0"

static const struct crm_measure service_measures[] = {
    {"tickets", "count(*)", CRM_M_COUNT},
    {"resolved", COUNT_IF(RESOLVED), CRM_M_COUNT},
    {"first_contact", COUNT_IF(FCR), CRM_M_COUNT},
    {"first_contact_rate", RATE(COUNT_IF(FCR), COUNT_IF(RESOLVED)), CRM_M_RATE},
    {"reopened", COUNT_IF("reopens_ > 0"), CRM_M_COUNT},
    {"reopen_rate", RATE(COUNT_IF("reopens_ > 0"), COUNT_IF(EVER_RESOLVED)),
     CRM_M_RATE},
    {"avg_replies_to_resolution",
     "round(avg(CASE WHEN " RESOLVED " THEN 1.0 * replies_ END), 2)",
     CRM_M_VALUE},
    {"median_replies_to_resolution",
     "round(crm_percentile(CASE WHEN " RESOLVED " THEN replies_ END, 50), "
     "1)",
     CRM_M_VALUE},
};

/* Each asset with each ticket that names it (an asset without tickets
 * once, with ticket_id_ null); at_: when the ticket was opened, else when
 * the asset was recorded. */
#define ASSET_TICKETS                                                          \
	"(SELECT a.*, t.id AS ticket_id_, t.status AS ticket_status_, "        \
	"coalesce(t.created_at, a.created_at) AS at_ FROM assets a LEFT JOIN " \
	"ticket_assets ta ON ta.asset_id = a.id LEFT JOIN tickets t ON t.id "  \
	"= ta.ticket_id) AS assets"

static const struct crm_measure asset_measures[] = {
    {"assets", "count(DISTINCT id)", CRM_M_COUNT},
    {"tickets", "count(ticket_id_)", CRM_M_COUNT},
    {"open_tickets",
     COUNT_IF("ticket_id_ IS NOT NULL AND ticket_status_ NOT IN ('solved', "
	      "'closed')"),
     CRM_M_COUNT},
    {"tickets_per_asset",
     "round(1.0 * count(ticket_id_) / nullif(count(DISTINCT id), 0), 2)",
     CRM_M_VALUE},
    {"assets_with_tickets",
     "count(DISTINCT CASE WHEN ticket_id_ IS NOT NULL "
     "THEN id END)",
     CRM_M_COUNT},
};

/* -- customers --------------------------------------------------------- */

/* Customers (a deal's company, else its contact, else the deal alone) by
 * the month of their first won deal, and per later month how many bought
 * again then and how many had bought for the last time before it. Set
 * based (#25): each customer's months once (won_), its first and last
 * (first_), then the purchases per cohort and month (bought_) and the
 * customers per cohort and last month (lasts_) grouped once each and
 * joined onto the cells. */
static const char cohort_sql[] =
    ", won_ AS (SELECT DISTINCT coalesce('company:' || company_id, "
    "'contact:' || contact_id, 'deal:' || id) AS cust_, substr(closed_at, 1, "
    "7) AS m_ FROM deals, params_ p WHERE status = 'won' AND closed_at < "
    "p.to_), first_ AS (SELECT cust_, min(m_) AS c_, max(m_) AS l_ FROM won_ "
    "GROUP BY cust_), cohorts_ AS (SELECT c_, count(*) AS n_ FROM first_, "
    "params_ p WHERE c_ >= coalesce(substr(p.from_, 1, 7), '') GROUP BY c_), "
    "months_(c_, k_, m_) AS (SELECT c_, 0, c_ FROM cohorts_ UNION ALL "
    "SELECT c_, k_ + 1, substr(strftime('%Y-%m-%dT%H:%M:%SZ', m_ || "
    "'-01', '+1 month'), 1, 7) FROM "
    "months_, params_ p WHERE m_ < substr(strftime('%Y-%m-%dT%H:%M:%SZ', "
    "p.to_, '-1 second'), 1, 7)), bought_ AS (SELECT f.c_, w.m_, count(*) "
    "AS b_ FROM won_ w JOIN first_ f ON f.cust_ = w.cust_, params_ p WHERE "
    "f.c_ >= coalesce(substr(p.from_, 1, 7), '') GROUP BY f.c_, w.m_), "
    "lasts_ AS (SELECT c_, l_, count(*) AS n_ FROM first_, params_ p WHERE "
    "c_ >= coalesce(substr(p.from_, 1, 7), '') GROUP BY c_, l_), silent_ AS "
    "(SELECT mo.c_, mo.m_, CAST(sum(la.n_) AS BIGINT) AS s_ FROM months_ mo "
    "JOIN lasts_ la ON la.c_ = mo.c_ AND la.l_ < mo.m_ GROUP BY mo.c_, "
    "mo.m_), cells_ AS (SELECT mo.c_, mo.k_, mo.m_, co.n_, coalesce(b.b_, 0) "
    "AS b_, coalesce(s.s_, 0) AS s_ FROM months_ mo JOIN cohorts_ co ON "
    "co.c_ = mo.c_ LEFT JOIN bought_ b ON b.c_ = mo.c_ AND b.m_ = mo.m_ LEFT "
    "JOIN silent_ s ON s.c_ = mo.c_ AND s.m_ = mo.m_) SELECT c_ AS "
    "cohort, k_ AS month, m_ AS period, n_ AS customers, b_ AS bought, "
    "round(100.0 * b_ / n_, 1) AS bought_rate, s_ AS silent, round(100.0 "
    "* s_ / n_, 1) AS silent_rate FROM cells_ ORDER BY c_, k_";

/* -- follow-ups -------------------------------------------------------- */

/* Every follow-up that falls due, as activity-shaped rows (so --where
 * and --by take activity fields): open tasks at their due_at; open leads
 * and open deals idle_ seconds after their last touch (assignment or
 * stage change, or the last activity). kind_: task, lead or deal. Not
 * flattened into the report (LIMIT -1): a lead's and a deal's due time is
 * computed once, not again for the range, the overdue filter and each
 * measure (PostgreSQL, report.sh 200000 50000 50000 20000 30000: 0.78 s
 * -> 0.35 s of CPU). */
#define ISO(x, off) "strftime('%Y-%m-%dT%H:%M:%SZ', " x ", " off ")"
#define LEAD_TOUCH                                                             \
	LATER("coalesce(l.assigned_at, l.created_at)",                         \
	      "coalesce(l.last_activity_at, '')")
#define DEAL_TOUCH                                                             \
	LATER("coalesce(d.stage_changed_at, d.created_at)",                    \
	      "coalesce(d.last_activity_at, '')")
#define FOLLOWUPS                                                              \
	"(SELECT id, external_id, type, direction, subject, body, "            \
	"occurred_at, owner, channel, due_at, done_at, contact_id, "           \
	"company_id, lead_id, deal_id, ticket_id, custom, created_at, "        \
	"updated_at, 'task' AS kind_ FROM activities WHERE due_at IS NOT "     \
	"NULL AND done_at IS NULL UNION ALL SELECT NULL, NULL, 'lead', NULL, " \
	"NULL, NULL, NULL, l.owner, NULL, " ISO(                               \
	    LEAD_TOUCH,                                                        \
	    "'+' || p.idle_ || ' seconds'") ", NULL, NULL, NULL, "             \
					    "l.id, l.deal_id, NULL, NULL, "    \
					    "l.created_at, l.updated_at, "     \
					    "'lead' "                          \
					    "FROM leads l, params_ p WHERE "   \
					    "l.status IN ('new', 'working', "  \
					    "'nurturing', 'qualified') UNION " \
					    "ALL SELECT NULL, NULL, 'deal', "  \
					    "NULL, "                           \
					    "NULL, NULL, NULL, d.owner, "      \
					    "NULL, " ISO(                      \
						DEAL_TOUCH,                    \
						"'+' || p.idle_ || ' "         \
						"seconds'") ", NULL, NULL, "   \
							    "NULL, "           \
							    "d.lead_id, "      \
							    "d.id, NULL, "     \
							    "NULL, "           \
							    "d.created_at, "   \
							    "d.updated_at, "   \
							    "'deal' "          \
							    "FROM deals d, "   \
							    "params_ p WHERE " \
							    "d.status = "      \
							    "'open' LIMIT "    \
							    "-1) AS "          \
							    "followups"

#define OVERDUE "overdue_"
#define OVERDUE_ROW DAYS("now_", "due_at") " AS overdue_"

static const struct crm_measure unattended_measures[] = {
    {"overdue_tasks", COUNT_IF("kind_ = 'task'"), CRM_M_COUNT},
    {"idle_leads", COUNT_IF("kind_ = 'lead'"), CRM_M_COUNT},
    {"stale_deals", COUNT_IF("kind_ = 'deal'"), CRM_M_COUNT},
    {"on_contacts", COUNT_IF("kind_ = 'task' AND contact_id IS NOT NULL"),
     CRM_M_COUNT},
    {"on_leads", COUNT_IF("kind_ = 'task' AND lead_id IS NOT NULL"),
     CRM_M_COUNT},
    {"on_deals", COUNT_IF("kind_ = 'task' AND deal_id IS NOT NULL"),
     CRM_M_COUNT},
    {"on_tickets", COUNT_IF("kind_ = 'task' AND ticket_id IS NOT NULL"),
     CRM_M_COUNT},
    {"oldest_due_at", "min(due_at)", CRM_M_TEXT},
    {"median_days_overdue", MEDIAN(OVERDUE), CRM_M_VALUE},
    {"p90_days_overdue", P90(OVERDUE), CRM_M_VALUE},
    {"max_days_overdue", "round(max(" OVERDUE "), 1)", CRM_M_VALUE},
};

static const struct crm_report_spec specs[] = {
    {"activities", "Activities", "activities", "activity", "occurred_at", NULL,
     "owner", NULL, activity_measures, N(activity_measures),
     "activities DESC, 1 NULLS FIRST", "activities"},
    {"contacts", "Contacts by source", "contacts", "contact", "created_at",
     NULL, "source", NULL, contact_measures, N(contact_measures),
     "contacts DESC, 1 NULLS FIRST", "contacts"},
    {"funnel", "Lead funnel", LEAD_FUNNEL, "lead", "created_at", NULL, NULL,
     NULL, funnel_measures, N(funnel_measures), "leads DESC, 1 NULLS FIRST",
     "leads", 0, NULL, NULL, FUNNEL_ROW},
    {"sources", "Lead sources and campaigns", LEAD_REVENUE, "lead",
     "created_at", NULL, "source", "campaign", sources_measures,
     N(sources_measures), "leads DESC, 1 NULLS FIRST, 2 NULLS FIRST", "leads",
     CRM_RS_CURRENCY | CRM_RS_COSTS},
    {"pipeline", "Open pipeline", DEAL_ASOF, "deal", "created_at",
     "status = 'open'", "stage", "currency", pipeline_measures,
     N(pipeline_measures),
     "min(probability) NULLS FIRST, 1 NULLS FIRST, 2 NULLS FIRST", "deals",
     CRM_RS_ASOF},
    {"winrate", "Win rate", "deals", "deal", "closed_at",
     "status IN ('won', 'lost')", "owner", NULL, winrate_measures,
     N(winrate_measures), "closed DESC, 1 NULLS FIRST", "win_rate"},
    {"cycle", "Sales cycle", "deals", "deal", "closed_at", "status = 'won'",
     NULL, NULL, cycle_measures, N(cycle_measures), "won DESC, 1 NULLS FIRST",
     "median_days", 0, NULL, NULL, CYCLE_ROW},
    {"stages", "Days per stage", STAGE_EXITS, "deal", "left_at_", NULL, "stage",
     "pipeline", stages_measures, N(stages_measures),
     "2 NULLS FIRST, 1 NULLS FIRST", "median_days"},
    {"dealsize", "Deal size", "deals", "deal", "closed_at", "status = 'won'",
     NULL, "currency", dealsize_measures, N(dealsize_measures), "1 NULLS FIRST",
     "won"},
    {"velocity", "Sales velocity", DEAL_SPAN, "deal", "t_",
     "created_at < (SELECT to_ FROM params_)", NULL, "currency",
     velocity_measures, N(velocity_measures), "1 NULLS FIRST", "open_deals",
     CRM_RS_SPAN},
    {"leaderboard", "Leaderboard", EVENTS, NULL, "at_", NULL, "owner", NULL,
     leaderboard_measures, N(leaderboard_measures),
     "deals_won DESC, activities DESC, 1 NULLS FIRST", "deals_won",
     CRM_RS_CURRENCY},
    {"sla", "Support SLA", "tickets", "ticket", "created_at", NULL, "priority",
     NULL, sla_measures, N(sla_measures), "tickets DESC, 1 NULLS FIRST",
     "tickets", 0, NULL, NULL, SLA_ROW},
    {"replytime", "First-reply time", "tickets", "ticket", "created_at",
     "first_response_at IS NOT NULL", NULL, NULL, replytime_measures,
     N(replytime_measures), "replied DESC, 1 NULLS FIRST", "replied", 0, NULL,
     NULL, FRH_ROW},
    {"tickets", "Ticket backlog", TICKET_ASOF, "ticket", "created_at",
     "status NOT IN ('solved', 'closed')", "status", NULL, tickets_measures,
     N(tickets_measures), "tickets DESC, 1 NULLS FIRST", "tickets", 0, NULL,
     NULL, AGE_ROW},
    {"service", "Service quality", SERVICE_TICKETS, "ticket", "created_at",
     NULL, NULL, NULL, service_measures, N(service_measures),
     "tickets DESC, 1 NULLS FIRST", "first_contact_rate", CRM_RS_PROBE,
     .whole = SERVICE_WHOLE},
    {"assets", "Tickets per asset and product", ASSET_TICKETS, "asset", "at_",
     NULL, "product", NULL, asset_measures, N(asset_measures),
     "tickets DESC, 1 NULLS FIRST", "tickets"},
    {"cohort", "Customer cohorts", "deals", NULL, "closed_at", NULL, NULL, NULL,
     NULL, 0, NULL, "bought", 0, cohort_sql, "cohort,month"},
    {"unattended", "Overdue follow-ups", FOLLOWUPS, "activity", "due_at",
     "due_at < (SELECT now_ FROM params_)", "owner", NULL, unattended_measures,
     N(unattended_measures),
     /* overdue_tasks + idle_leads + stale_deals: every row is one of them */
     "count(*) DESC, 1 NULLS FIRST", "overdue_tasks", 0, NULL, NULL,
     OVERDUE_ROW},
};

const struct crm_report_spec *crm_report_spec(const char *name)
{
	for (size_t i = 0; i < N(specs); i++)
		if (!strcmp(specs[i].name, name))
			return &specs[i];
	return NULL;
}
