#!/bin/bash
# While an approval is pending, its guarded fields are locked: an update,
# an import or an undo that would change one is refused (exit 65 naming
# the record, the field and the approval), and nothing is written; other
# fields change freely; once decided the lock goes.
. "$(dirname "$0")/../lib.sh"
cat >"$T/approvers.json" <<'X'
{"users": {"ann": {"manager": "mike"}, "mike": {"roles": ["sales_manager"]}}}
X
export CRM_APPROVERS="$T/approvers.json"
cat >"$T/p.json" <<'X'
{"name": "discount", "lock": ["discount", "amount"],
 "steps": [{"approvers": ["manager:owner"]}]}
X
cat >"$T/d.csv" <<'X'
name,owner,amount,currency,discount
Locked,ann,1000.00,EUR,20
Free,ann,500.00,EUR,20
X
expect_code 0 crm-pipeline import -q "$T/d.csv"
# a change made before the approval, to undo later
expect_code 0 crm-pipeline update 1 -q --set amount=1100
sql "SELECT max(id) FROM crm_changes"
before_change=$(cat "$T/sql")
expect_code 0 crm-flow request deal 1 --process "$T/p.json" -q --ids

db_dump "" "$T/before.sql"
expect_code 65 crm-pipeline update 1 --set discount=10
expect_err "update of a custom guarded field" <<'X'
crm-pipeline: deal 1: discount is locked by pending approval 1
X
expect_code 65 crm-pipeline update 1 --set amount=900
expect_err "update of a guarded field" <<'X'
crm-pipeline: deal 1: amount is locked by pending approval 1
X
expect_code 65 crm-pipeline update --where owner=ann --set discount=5
err_has "deal 1: discount is locked by pending approval 1"
printf 'id,discount\n2,7\n1,8\n' >"$T/u.csv"
expect_code 65 crm-pipeline import "$T/u.csv"
err_has "crm-pipeline:$T/u.csv:3: deal 1: discount is locked by pending approval 1"
expect_code 65 crm-pipeline undo "$before_change"
err_has "deal 1: amount is locked by pending approval 1"
db_dump "" "$T/after.sql"
compare "$T/before.sql" "$T/after.sql" "nothing written by the refused writes (deal 2 neither)"

# the same value is no change; other fields change
expect_code 0 crm-pipeline update 1 -q --set discount=20 --set name=Renamed
sql "SELECT name || ' ' || json_extract(custom, '$.discount') || ' ' || amount FROM deals WHERE id = 1"
check "other fields change, guarded ones keep" grep -qx "Renamed 20 110000" "$T/sql"
expect_code 0 crm-pipeline tag add vip 1 -q

# decided: unlocked
expect_code 0 crm-flow reject 1 --as mike --reason no -q --ids
expect_code 0 crm-pipeline update 1 -q --set discount=10
sql "SELECT json_extract(custom, '$.discount') FROM deals WHERE id = 1"
check "after the decision the lock is gone" grep -qx 10 "$T/sql"
# in one write transaction (a flow's firing): an update asked before any
# approval (none pending: the engine keeps that answer for the
# transaction), then an approval that locks the field, then an update of
# it, which is refused all the same
mkdir "$T/flows"
cat >"$T/flows/review.json" <<'X'
{"name": "review", "entity": "contact",
 "trigger": {"type": "tag_added", "tag": "review"},
 "actions": [{"type": "set", "fields": {"title": "First"}},
  {"type": "approval", "process": {"name": "review", "lock": ["title"],
   "steps": [{"approvers": ["manager:owner"]}]}},
  {"type": "set", "fields": {"title": "Second"}}]}
X
printf 'first_name,last_name,email,owner\nA,Aa,a@x.example,ann\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"
expect_code 0 crm-flow run -q --flows "$T/flows"
expect_code 0 crm-contact tag add review 1 -q
expect_code 1 crm-flow run -q --flows "$T/flows"
sql "SELECT ifnull(c.title, '-'), f.status, f.error FROM contacts c,
  crm_flow_firings f WHERE c.id = 1 AND f.record_id = 1"
cat >"$T/want" <<'X'
-|failed|actions[2] set: contact 1: title is locked by pending approval 2
X
compare "$T/want" "$T/sql" "a lock taken in the same transaction holds"
done_testing
