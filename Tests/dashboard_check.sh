#!/usr/bin/env bash
# The dashboard in a real browser: headless Chromium loads /ui on a real `arrears serve` over a
# fresh database with a small book. Without a key it must get the sign-in page and none of the
# data; after signing in through the form (a local page that posts the key, as a person would)
# the overview, a customer page and the task list must show the book. Needs DATABASE_URL,
# ARREARS_TEMPLATE_DATABASE and ARREARS_BIN, as Tests/run.sh sets them.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${ARREARS_BIN:-.build/debug/arrears}
database=arrears_dashboard_check_$$
work=$(mktemp -d /tmp/arrears-dashboard.XXXXXX)
serve_pid=""
cleanup() {
    if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
    psql "$DATABASE_URL" -q -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "dashboard_check: $*" >&2; exit 1; }

psql "$DATABASE_URL" -q -c "CREATE DATABASE $database TEMPLATE ${ARREARS_TEMPLATE_DATABASE:-template1}"
url="$DATABASE_URL dbname=$database"
[ -n "${ARREARS_TEMPLATE_DATABASE:-}" ] || "$bin" migrate --database-url "$url" --log-level warning >/dev/null
key=$("$bin" tenant create acme --name "Acme Finance" --database-url "$url" --log-level warning | sed -n 's/^api key: //p')
[ -n "$key" ] || fail "no key from arrears tenant create"
printf 'external_ref,name,currency,timezone,language,account_owner_email\nC-1,Beta Trading Ltd,EUR,Europe/Berlin,de,\nC-2,Gamma SARL,EUR,Europe/Paris,fr,\n' >"$work/customers.csv"
printf 'customer_ref,number,issued_on,due_on,amount,currency\nC-1,INV-7701,2025-01-01,2025-01-31,1234.56,EUR\nC-2,INV-7702,2025-02-01,2025-03-03,99.00,EUR\n' >"$work/invoices.csv"
"$bin" import --tenant acme customers "$work/customers.csv" --database-url "$url" --log-level warning >/dev/null
"$bin" import --tenant acme invoices "$work/invoices.csv" --database-url "$url" --log-level warning >/dev/null

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --port "$port" --database-url "$url" --log-level warning >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || fail "arrears serve did not start: $(cat "$work/serve.log")"
customer=$(curl -fs -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/customers?external_ref=C-1" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')

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
    dom=$(browse "http://127.0.0.1:$port$path")
    expect "$path without a key" 'action="/ui/sign-in"' "$dom"
    refuse "$path without a key" "Beta Trading Ltd" "$dom"
    refuse "$path without a key" "INV-7701" "$dom"
done

# Signs in through the form (a local page posts the key) and lands on PATH, as the sign-in
# page's own form does for the page that was asked for.
signed_in() {
    cat >"$work/visit.html" <<EOF
<!doctype html><html><body>
<form method="post" action="http://127.0.0.1:$port/ui/sign-in">
<input name="key" value="$key"><input name="next" value="$1"></form>
<script>document.forms[0].submit()</script></body></html>
EOF
    browse "file://$work/visit.html"
}

dom=$(signed_in /ui)
expect "overview" "Acme Finance" "$dom"
expect "overview" "<svg" "$dom"
expect "overview" "EUR 1,234.56" "$dom"
expect "overview" "Beta Trading Ltd" "$dom"
expect "overview" "Queue and workers" "$dom"

dom=$(signed_in "/ui/customers/$customer")
expect "customer page" "Beta Trading Ltd" "$dom"
expect "customer page" "INV-7701" "$dom"
expect "customer page" "Timeline of decisions" "$dom"
refuse "customer page" "INV-7702" "$dom"

dom=$(signed_in /ui/tasks)
expect "task list" "<h1>Tasks</h1>" "$dom"

echo "dashboard_check: the dashboard loads in Chromium with a key, shows the book, and refuses without one"
