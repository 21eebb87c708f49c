# deals-ref.sh - the reference of crm-score deals in SQL (sourced by
# deals.sh and predict.sh): deals_ref ENGINE NOW prints one statement
# computing, for every open deal, the features crm-score deals derives
# (stage regressions from deal_history joined to the default pipeline's
# stage order, activity counts in the 30 and 90 days before NOW, the last
# inbound, the owner's and the account's closed deals, the last score by a
# correlated subquery on deal_scores' index), a logistic of a fixed linear
# combination of them and a factors text, inserted into ref_scores (the
# shape and index of deal_scores). ENGINE: sqlite or pg.
deals_ref() {
	rnow=$2
	d30=$(date -u -d "${rnow%Z} UTC - 30 days" +%Y-%m-%dT%H:%M:%SZ)
	d90=$(date -u -d "${rnow%Z} UTC - 90 days" +%Y-%m-%dT%H:%M:%SZ)
	if [ "$1" = sqlite ]; then
		key="INTEGER PRIMARY KEY"
		days() { echo "floor(julianday('$rnow') - julianday($1))"; }
	else
		key="BIGSERIAL PRIMARY KEY"
		days() { echo "floor(extract(epoch FROM (timestamptz '$rnow' - CAST($1 AS timestamptz))) / 86400)"; }
	fi
	cat <<SQL
CREATE TABLE ref_scores (id $key, deal_id INTEGER NOT NULL,
  at TEXT NOT NULL, probability REAL, stage_probability REAL, previous REAL,
  trend TEXT, factors TEXT);
CREATE INDEX ref_scores_deal ON ref_scores(deal_id, at);
BEGIN;
WITH st(name, ord, p) AS (VALUES ('prospecting', 0, 10),
  ('qualification', 1, 20), ('needs_analysis', 2, 40), ('proposal', 3, 60),
  ('negotiation', 4, 80)),
h AS (SELECT h.deal_id, sum(CASE WHEN t.ord < f.ord THEN 1 ELSE 0 END) AS regress
  FROM deal_history h JOIN st f ON f.name = h.from_value
  JOIN st t ON t.name = h.to_value
  WHERE h.field = 'stage' AND h.at <= '$rnow' GROUP BY h.deal_id),
a AS (SELECT deal_id,
  sum(CASE WHEN occurred_at >= '$d30' AND type = 'call' THEN 1 ELSE 0 END) AS calls,
  sum(CASE WHEN occurred_at >= '$d30' AND type = 'email' THEN 1 ELSE 0 END) AS emails,
  sum(CASE WHEN occurred_at >= '$d30' AND type = 'meeting' THEN 1 ELSE 0 END) AS meetings,
  sum(CASE WHEN occurred_at >= '$d30' AND type NOT IN ('call', 'email', 'meeting') THEN 1 ELSE 0 END) AS other,
  sum(CASE WHEN occurred_at >= '$d90' THEN 1 ELSE 0 END) AS n90,
  max(CASE WHEN direction = 'in' THEN occurred_at END) AS last_in
  FROM activities WHERE deal_id IS NOT NULL AND occurred_at < '$rnow'
  GROUP BY deal_id),
o AS (SELECT owner, count(*) AS n, sum(CASE WHEN status = 'won' THEN 1 ELSE 0 END) AS w
  FROM deals WHERE status IN ('won', 'lost') AND closed_at < '$rnow' GROUP BY owner),
c AS (SELECT company_id, count(*) AS n, sum(CASE WHEN status = 'won' THEN 1 ELSE 0 END) AS w
  FROM deals WHERE status IN ('won', 'lost') AND closed_at < '$rnow' GROUP BY company_id),
f AS (SELECT d.id, d.pipeline, d.stage, d.source, st.ord, st.p,
  CASE WHEN d.amount < 100000 THEN '<1k' WHEN d.amount < 1000000 THEN '1k-10k'
    WHEN d.amount < 10000000 THEN '10k-100k' ELSE '100k+' END AS band,
  $(days 'coalesce(d.stage_changed_at, d.created_at)') AS in_stage,
  $(days d.created_at) AS age, coalesce(h.regress, 0) AS regress,
  coalesce(a.calls, 0) AS calls, coalesce(a.emails, 0) AS emails,
  coalesce(a.meetings, 0) AS meetings, coalesce(a.other, 0) AS other,
  coalesce(a.n90, 0) AS n90, $(days a.last_in) AS since_in,
  round(1000.0 * (coalesce(o.w, 0) + 1) / (coalesce(o.n, 0) + 2)) / 10 AS owr,
  coalesce(c.w, 0) AS acc_won, coalesce(c.n, 0) - coalesce(c.w, 0) AS acc_lost,
  (SELECT s.probability FROM deal_scores s WHERE s.deal_id = d.id
    ORDER BY s.at DESC, s.id DESC LIMIT 1) AS prev
  FROM deals d LEFT JOIN st ON st.name = d.stage
  LEFT JOIN h ON h.deal_id = d.id LEFT JOIN a ON a.deal_id = d.id
  LEFT JOIN o ON o.owner = d.owner LEFT JOIN c ON c.company_id = d.company_id
  WHERE d.status = 'open'),
z AS (SELECT f.*, round(CAST(100 / (1 + exp(-(-1.2 + 0.35 * ord
  + 0.55 * meetings - 0.15 * emails + 0.1 * calls - 0.2 * regress
  + 0.02 * owr - 0.001 * in_stage + 0.01 * acc_won))) AS NUMERIC), 2) AS prob
  FROM f)
INSERT INTO ref_scores (deal_id, at, probability, stage_probability,
  previous, trend, factors)
SELECT id, '$rnow', prob, p, prev,
  CASE WHEN prev IS NULL THEN NULL WHEN prob - prev >= 5 THEN 'improving'
    WHEN prev - prob >= 5 THEN 'declining' ELSE 'steady' END,
  'stage=' || stage || ' (' || round(CAST(0.35 * ord AS NUMERIC), 3)
  || '); meetings_30d=' || meetings || ' (' || round(CAST(0.55 * meetings AS NUMERIC), 3)
  || '); owner_win_rate=' || owr || ' (' || round(CAST(0.02 * owr AS NUMERIC), 3)
  || '); ' || pipeline || ',' || coalesce(source, '') || ',' || band || ','
  || age || ',' || n90 || ',' || coalesce(since_in, -1) || ',' || acc_lost
  || ',' || other
FROM z;
COMMIT;
SQL
}

