#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds, and runs `arrears demo` — a
# private PostgreSQL under .arrears/, a local SMTP sink, the coordinator and two workers, and a
# simulated month of collections on a demo tenant. Arguments go to `arrears demo` (try --help,
# --keep-running to look around the dashboard afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Deploy/install-packages.sh
echo "==> building (the first build fetches and compiles the dependencies: 10–15 minutes on 2 cores)"
swift build --product arrears
exec .build/debug/arrears demo "$@"
