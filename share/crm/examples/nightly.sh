#!/bin/sh
# nightly.sh - the cron job a sales and support team runs every night:
#
#   1. leads idle in their owner's hands for a week go back to the pool
#      (and those that will go within two days are listed, so owners
#      can act first);
#   2. leads are scored, and the changed or unowned ones assigned by
#      share/crm/assignment.json;
#   3. stale deals get one follow-up task each for their owner;
#   4. the SLA check applies the escalations that are due;
#   5. the flows (share/crm/flows, or $CRM_FLOWS) do what is due: quote
#      follow-ups, welcome sequences, SLA warnings ... each once;
#   6. a report (CSV files and a summary) is written to REPORT_DIR/DATE/,
#      and mailed when CRM_MAIL_TO is set;
#   7. the morning dashboard: REPORT_DIR/DATE/dashboard.html (and a copy
#      at $DASHBOARD_HTML when set).
#
# Usage: nightly.sh [REPORT_DIR]     (default: $CRM_REPORT_DIR, else ./reports)
#
# A crontab line (stdout and stderr go to cron's mail; the exit status
# says what needs a person):
#
#   0 2 * * *  CRM_DB=/srv/crm/crm.db /usr/local/share/crm/examples/nightly.sh /srv/crm/reports
#
# Cron's PATH is /usr/bin:/bin; the script adds the bin folder of its own
# install tree and /usr/local/bin, so it finds crm-lead and the others.
#
# Exit status: 0 nothing needs attention; 1 something does (leads about
# to be reclaimed, stale deals, SLA breaches, overdue tasks: see the
# report); 75 another run still holds the lock; any other code is the
# first step that failed (64 usage, 65 bad data, 75 database busy, 78 bad
# rules file ...), after the remaining steps have run.
#
# Environment: CRM_DB, CRM_NOW (replay a night: CRM_NOW=2026-11-23T02:00:00Z),
# CRM_SHARE (rules files), CRM_USER (defaults to "nightly" here),
# CRM_MAIL_TO (mail the summary), NIGHTLY_LOCK (the lock file),
# DASHBOARD_HTML (also copy the dashboard page there),
# RECLAIM_IDLE (7d), RECLAIM_WARN (2d), STALE_IDLE (unset: the stages'
# max_days only), MONITOR_RETRAIN (set: retrain the deal model on drift).
set -u

# Cron runs jobs with PATH=/usr/bin:/bin: find the crm commands in the
# bin folder of the tree this script is installed in
# (PREFIX/share/crm/examples -> PREFIX/bin) and in /usr/local/bin.
here=$(cd "$(dirname "$0")" && pwd)
bindir=$(cd "$here/../../.." && pwd)/bin
case ":${PATH:-}:" in *":$bindir:"*) ;; *) [ -x "$bindir/crm-lead" ] && PATH=$bindir:${PATH:-} ;; esac
case ":${PATH:-}:" in *:/usr/local/bin:*) ;; *) PATH=${PATH:-/usr/bin:/bin}:/usr/local/bin ;; esac
export PATH

out=${1:-${CRM_REPORT_DIR:-reports}}
export CRM_USER=${CRM_USER:-nightly}
day=${CRM_NOW:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
day=${day%%T*}
dir=$out/$day

# One run at a time: a lock file of our own beside the database (never
# the database file itself: only SQLite may open and lock that one).
db=${CRM_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/crm/crm.db}
lock=$db.nightly.lock
case $db in # a server (PostgreSQL): no file to put it beside
postgresql:* | postgres:* | *=*)
	lock=${TMPDIR:-/tmp}/crm-nightly-$(printf %s "$db" | cksum | cut -d' ' -f1).lock ;;
esac
lock=${NIGHTLY_LOCK:-$lock}
exec 9>>"$lock" || exit 73
if ! flock -n 9; then
	echo "nightly: another run holds $lock" >&2
	exit 75
fi

mkdir -p "$dir" || exit 73
found=0 failed=0

# step NAME FILE CMD...: runs CMD with stdout in FILE (csv) and stderr
# in $dir/log; 1 means "found something", anything above 1 a failure.
step() {
	name=$1 file=$2
	shift 2
	echo "== $name: $*" >>"$dir/log"
	"$@" -f csv >"$dir/$file" 2>>"$dir/log"
	rc=$?
	n=$(($(wc -l <"$dir/$file") - 1))
	[ "$n" -lt 0 ] && n=0
	case $rc in
	0) status=ok ;;
	1) status=attention found=1 ;;
	*) status="failed ($rc)"
	   [ "$failed" -eq 0 ] && failed=$rc ;;
	esac
	printf '%-28s %6d  %-14s %s\n' "$name" "$n" "$status" "$file" >>"$dir/summary"
}

printf 'crm nightly run for %s (%s)\n\n' "$day" "$db" >"$dir/summary"
printf '%-28s %6s  %-14s %s\n' step records status file >>"$dir/summary"

# 1. The lead pool: warn first (exit 1 when any lead is close), then
# reclaim; the reclaimed leads are assigned again below, never to the
# owner who let them idle.
step "leads to be reclaimed soon" leads-reclaim-soon.csv \
	crm-lead reclaim --idle "${RECLAIM_IDLE:-7d}" --warn "${RECLAIM_WARN:-2d}"
step "leads reclaimed" leads-reclaimed.csv \
	crm-lead reclaim --idle "${RECLAIM_IDLE:-7d}"

# 2. Scoring and assignment. With database scoring (crm-score leads
# --changed: the leads whose score or grade changed) the changed leads are
# routed again; without it, the open leads are scored by the fit rules
# for the report, and every unowned lead (new, reclaimed) is assigned.
if crm-score leads --list-options 2>/dev/null | grep -q -- '^--changed'; then
	step "leads scored (changed)" leads-scored.csv crm-score leads --changed
	cut -d, -f1 "$dir/leads-scored.csv" | sed 1d >"$dir/.changed"
	step "leads assigned" leads-assigned.csv \
		crm-lead assign --stdin <"$dir/.changed"
	step "leads assigned (unowned)" leads-assigned-new.csv crm-lead assign
	rm -f "$dir/.changed"
else
	crm-lead export -q -w status=new >"$dir/.open" 2>>"$dir/log"
	step "new leads scored (fit)" leads-scored.csv \
		crm-score leads --stdin --explain "$dir/.open"
	rm -f "$dir/.open"
	step "leads assigned" leads-assigned.csv crm-lead assign
fi

# 3. Deals without activity past their stage's limit: one task each.
step "stale deals (tasks made)" deals-stale.csv \
	crm-pipeline stale --create-tasks ${STALE_IDLE:+--idle "$STALE_IDLE"}

# 4. SLA: breached and at-risk targets; escalations applied once each.
step "SLA breaches and risks" tickets-sla.csv crm-ticket sla --escalate

# 4b. Customer tiers (crm-company(1) tier, share/crm/tiers.json): each
# account's tier from its revenue, growth, pipeline, RFM segment (the
# latest crm-score rfm) and industry; a change raises
# company.tier_changed, which the flows below react to. TIER_RATES names
# a rates file for deals in other currencies.
step "account tiers" tiers.csv crm-company tier ${TIER_RATES:+--rates "$TIER_RATES"}

# 5. Flows: everything due now, once each (crm-flow(1)); exit 1 when
# actions failed and wait for a retry. Cron may also run it every few
# minutes on its own: a second run the same night does nothing.
step "flows fired" flows.csv crm-flow run

# 6. The report: overdue tasks, the quarter's forecast per currency.
step "overdue tasks" tasks-overdue.csv crm-activity due
step "forecast by quarter" forecast.csv crm-pipeline forecast --period quarter

# 6. Predictions, once a deal model has been trained (crm-score deals):
# the open deals scored with it, then the model watched against what
# closed since (exit 1 on drift); MONITOR_RETRAIN=1 retrains on drift,
# keeping the old model for 'crm-score rollback deal'.
if crm-score models -q -f csv 2>/dev/null | grep -q '^[0-9]*,deal,.*,true,'; then
	step "deals scored (model)" deals-scored.csv crm-score deals
	step "deal model drift" deal-model-drift.csv \
		crm-score monitor ${MONITOR_RETRAIN:+--retrain}
fi

# 7. The morning dashboard (crm-report(1) dashboard): its key figures as
# CSV, and the page itself, dashboard.html, one self-contained file for a
# web server folder or a mail attachment (copy it where it is served:
# DASHBOARD_HTML=/var/www/crm/dashboard.html).
step "dashboard key figures" dashboard.csv crm-report dashboard
echo "== dashboard page: crm-report dashboard -f html" >>"$dir/log"
crm-report dashboard -f html >"$dir/dashboard.html" 2>>"$dir/log"
rc=$?
if [ "$rc" -eq 0 ] && [ -n "${DASHBOARD_HTML:-}" ]; then
	cp "$dir/dashboard.html" "$DASHBOARD_HTML.tmp" 2>>"$dir/log" &&
		mv "$DASHBOARD_HTML.tmp" "$DASHBOARD_HTML" 2>>"$dir/log" || rc=73
fi
if [ "$rc" -eq 0 ]; then status=ok; else
	status="failed ($rc)"
	[ "$failed" -eq 0 ] && failed=$rc
fi
printf '%-28s %6s  %-14s %s\n' "dashboard page" - "$status" dashboard.html >>"$dir/summary"

status=$failed
[ "$status" -eq 0 ] && status=$found
case $status in
0) what='nothing needs attention' ;;
1) what='see the steps marked attention' ;;
*) what="a step failed: see $dir/log" ;;
esac
printf '\nexit status %d: %s\n' "$status" "$what" >>"$dir/summary"
cat "$dir/summary"
if [ -n "${CRM_MAIL_TO:-}" ] && command -v mail >/dev/null; then
	mail -s "crm nightly $day: exit $status" "$CRM_MAIL_TO" <"$dir/summary"
fi
exit "$status"
