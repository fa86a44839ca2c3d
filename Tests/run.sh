#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh machine: installs what is missing, starts
# a throwaway PostgreSQL as the postgres user, migrates a template database once, then runs
# every Swift test (each suite clones the template) and the checks that run outside Swift.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Each stage says how far into the run it starts, so a failed CI log shows where the time went.
started=$(date +%s)
log() { printf '\n==> [%ds] %s\n' "$(( $(date +%s) - started ))" "$*"; }

start_postgres() {
    bindir=$(pg_config --bindir 2>/dev/null || true)
    [ -x "$bindir/initdb" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    pgdir=$(mktemp -d /tmp/arrears-test-pg.XXXXXX)
    chmod 755 "$pgdir"
    run=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$pgdir"
        run=(runuser -u postgres --)
    fi
    "${run[@]}" "$bindir/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
    # A throwaway server: durability is not needed, speed and many connections are.
    "${run[@]}" "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
        -o "-k $pgdir -p 5432 -c listen_addresses='' -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB" \
        start >/dev/null
    stop_postgres() {
        local status=$?
        if [ "$status" -ne 0 ]; then
            log "failed (exit $status); the end of PostgreSQL's log:"
            tail -n 40 "$pgdir/server.log" || true
        fi
        "${run[@]}" "$bindir/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$pgdir"
    }
    trap stop_postgres EXIT
    export DATABASE_URL="host=$pgdir port=5432 user=postgres dbname=postgres"
}

log "installing what is missing"
bash Deploy/install-packages.sh --tests

log "building"
swift build --build-tests

log "starting a throwaway PostgreSQL"
start_postgres
export ARREARS_TEMPLATE_DATABASE=arrears_template
psql "$DATABASE_URL" -q -c "CREATE DATABASE $ARREARS_TEMPLATE_DATABASE"
"$root/.build/debug/arrears" migrate --database-url "$DATABASE_URL dbname=$ARREARS_TEMPLATE_DATABASE"
export ARREARS_BIN="$root/.build/debug/arrears"

log "checking the deployment files against the binary (Deploy/)"
python3 Tests/deploy_check.py --database-url "$DATABASE_URL dbname=$ARREARS_TEMPLATE_DATABASE"

log "the dashboard in headless Chromium on the demo: pages load with a key, show the demo data, refuse without one"
bash Tests/dashboard_check.sh

log "running the Swift tests"
swift test --skip-build

log "a short chaos run: workers killed, PostgreSQL and a coordinator restarted, nothing lost or doubled"
chaos_home=$(mktemp -d /tmp/arrears-chaos.XXXXXX)
# The private cluster inside runs as postgres, which must be able to reach it.
chmod 755 "$chaos_home"
"$ARREARS_BIN" bench chaos --tenants 10 --customers 1200 --seconds 45 --home "$chaos_home" --log-level warning
rm -rf "$chaos_home"

log "fuzzing the admin API against its OpenAPI spec (schemathesis)"
bash Tests/schemathesis.sh

log "all tests passed"
