#!/usr/bin/env bash
# The dashboard in a real browser, on the demo's data: `arrears demo --keep-running` runs a short
# simulated stretch (the demo tenant, its generated book, the coordinator, two workers, the SMTP
# sink) and leaves the coordinator up; headless Chromium then loads /ui. Without a key it must
# get the sign-in page and none of the data; after signing in through the form (a local page that
# posts the key, as a person would) the overview, the key account's customer page and the task
# list must show the demo book and what the agents did. Needs DATABASE_URL and ARREARS_BIN, as
# Tests/run.sh sets them (the demo makes a database of its own there, arrears_demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${ARREARS_BIN:-.build/debug/arrears}
work=$(mktemp -d /tmp/arrears-dashboard.XXXXXX)
demo_pid=""
cleanup() {
    # SIGINT is the demo's Ctrl-C: it stops the coordinator and workers it started.
    if [ -n "$demo_pid" ]; then kill -INT "$demo_pid" 2>/dev/null || true; wait "$demo_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "dashboard_check: $*" >&2; exit 1; }

"$bin" demo --customers 40 --days 4 --seconds 20 --keep-running --database-url "$DATABASE_URL" --home "$work" \
    --log-level warning >"$work/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 1 600); do
    grep -q "^Tenant key (admin): " "$work/demo.log" && break
    kill -0 "$demo_pid" 2>/dev/null || fail "arrears demo stopped: $(tail -n 20 "$work/demo.log")"
    sleep 0.5
done
key=$(sed -n 's/^Tenant key (admin): //p' "$work/demo.log")
base=$(sed -n 's|.*Dashboard: \(http://[^ ]*\)/ui .*|\1|p' "$work/demo.log")
[ -n "$key" ] && [ -n "$base" ] || fail "arrears demo printed no dashboard and key: $(tail -n 20 "$work/demo.log")"

# The key account (C-1008 in every demo book) and one of its open invoices, as the API has them.
api() { curl -fs -H "Authorization: Bearer $key" "$base$1"; }
read -r customer customer_name < <(api "/v1/customers?external_ref=C-1008" |
    python3 -c 'import json, sys; c = json.load(sys.stdin)["data"][0]; print(c["id"], c["name"])')
invoice=$(api "/v1/invoices?customer_id=$customer&status=open" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["number"])')
[ -n "$customer_name" ] && [ -n "$invoice" ] || fail "the demo's key account C-1008 has no open invoice"

# Each run gets its own profile, so no cookie survives from one load to the next. HOME and the
# XDG folders point into the work folder and /dev/shm is not used, so a CI machine with an
# unwritable home or a small /dev/shm behaves like a desktop. A browser that prints no page at
# all crashed rather than saw the wrong page: that is retried twice, then its own log is shown.
browse() {
    local profile dom attempt
    for attempt in 1 2 3; do
        profile=$(mktemp -d "$work/profile.XXXXXX")
        dom=$(HOME="$profile" XDG_CONFIG_HOME="$profile" XDG_CACHE_HOME="$profile" \
            timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
            --disable-extensions --disable-background-networking --disable-crash-reporter \
            --no-first-run --no-default-browser-check --user-data-dir="$profile" \
            --virtual-time-budget=15000 --dump-dom "$1" 2>"$profile.log" || true)
        if grep -q "<html" <<<"$dom"; then
            printf '%s' "$dom"
            return 0
        fi
        echo "dashboard_check: Chromium printed no page for $1 (attempt $attempt)" >&2
    done
    tail -n 30 "$profile.log" >&2
    fail "Chromium could not load $1"
}
expect() {  # expect NAME TEXT DOM
    grep -qF -- "$2" <<<"$3" || fail "$1: the page does not show \"$2\""
}
refuse() {  # refuse NAME TEXT DOM
    if grep -qF -- "$2" <<<"$3"; then fail "$1: the page shows \"$2\""; fi
}

for path in /ui "/ui/customers/$customer" /ui/tasks; do
    dom=$(browse "$base$path")
    expect "$path without a key" 'action="/ui/sign-in"' "$dom"
    refuse "$path without a key" "$customer_name" "$dom"
    refuse "$path without a key" "$invoice" "$dom"
done

# Signs in through the form (a local page posts the key) and lands on PATH, as the sign-in
# page's own form does for the page that was asked for.
signed_in() {
    cat >"$work/visit.html" <<EOF
<!doctype html><html><body>
<form method="post" action="$base/ui/sign-in">
<input name="key" value="$key"><input name="next" value="$1"></form>
<script>document.forms[0].submit()</script></body></html>
EOF
    browse "file://$work/visit.html"
}

dom=$(signed_in /ui)
expect "overview" "Acme Tools GmbH" "$dom"
expect "overview" "<svg" "$dom"
expect "overview" "$customer_name" "$dom"
expect "overview" "Recent agent actions" "$dom"
expect "overview" "Queue and workers" "$dom"
refuse "overview" "No customer is overdue." "$dom"

dom=$(signed_in "/ui/customers/$customer")
expect "customer page" "$customer_name" "$dom"
expect "customer page" "$invoice" "$dom"
expect "customer page" "Timeline of decisions" "$dom"
# The key account is handed to its owner on the first review: the timeline says so, with reasons.
expect "customer page" "scheduler" "$dom"
expect "customer page" "account owner" "$dom"

dom=$(signed_in /ui/tasks)
expect "task list" "<h1>Tasks</h1>" "$dom"
expect "task list" "outreach" "$dom"

echo "dashboard_check: the dashboard loads the demo tenant in Chromium with a key, shows its book and the agents' work, and refuses without one"
