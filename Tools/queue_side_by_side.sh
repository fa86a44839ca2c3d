#!/usr/bin/env bash
# PgQueuer 1.6 and `arrears bench queue` side by side in one run, on one throwaway PostgreSQL
# with durable settings (fsync and synchronous_commit on), the private cluster's other settings,
# nothing else running. Prints both results and the drain ratio.
#
#   swift build -c release && bash Tools/queue_side_by_side.sh [--tasks N]
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=100000
[ "${1:-}" = "--tasks" ] && tasks=$2

python3 -c "import pgqueuer, asyncpg" 2>/dev/null || python3 -m pip install -q "pgqueuer==1.6.0" asyncpg

bindir=$(pg_config --bindir 2>/dev/null || true)
[ -x "$bindir/initdb" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
folder=$(mktemp -d /tmp/arrears-side-by-side.XXXXXX)
chmod 755 "$folder"
run=()
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$folder"; run=(runuser -u postgres --); fi
"${run[@]}" "$bindir/initdb" -D "$folder/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
"${run[@]}" "$bindir/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w \
    -o "-k $folder -p 5432 -c listen_addresses='' -c max_connections=300 -c shared_buffers=256MB -c max_wal_size=2GB" \
    start >/dev/null
trap '"${run[@]}" "$bindir/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null; rm -rf "$folder"' EXIT

psql "host=$folder user=postgres dbname=postgres" -qc "CREATE DATABASE pgqbench"
PGHOST=$folder PGUSER=postgres PGDATABASE=pgqbench pgq install >/dev/null 2>&1

pgqueuer=$(python3 Tools/pgqueuer_bench.py --jobs "$tasks" --dsn "postgresql://postgres@/pgqbench?host=$folder" | tail -1)
arrears=$(DATABASE_URL="host=$folder user=postgres dbname=postgres" .build/release/arrears bench queue \
    --tasks "$tasks" --json --log-level warning 2>/dev/null | tail -1)
echo "pgqueuer: $pgqueuer"
echo "arrears:  $arrears"
python3 - "$pgqueuer" "$arrears" <<'EOF'
import json, sys
pgq, ours = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"drain: arrears {ours['drain_per_s']:,}/s against PgQueuer {pgq['drain_per_s']:,}/s = "
      f"{ours['drain_per_s'] / pgq['drain_per_s']:.1f}x; enqueue {ours['enqueue_per_s'] / pgq['enqueue_per_s']:.1f}x; "
      f"start p50 {ours['latency_p50_ms']} ms against {pgq['latency_p50_ms']} ms")
EOF
