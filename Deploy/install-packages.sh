#!/usr/bin/env bash
# Installs what building and running Arrears needs on a Debian/Ubuntu machine, only when it is
# missing: the libpq and libcurl headers, a PostgreSQL server (for the embedded cluster and the
# tests), openssl, and for the tests the Python SMTP sink they talk to, schemathesis, which
# fuzzes the admin API against its OpenAPI spec, PyYAML, which reads Deploy/'s manifests, and Chromium,
# which loads the dashboard headless.
set -euo pipefail

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v pkg-config >/dev/null || missing+=(pkg-config)
pkg-config --exists libpq 2>/dev/null || missing+=(libpq-dev)
pkg-config --exists libcurl 2>/dev/null || missing+=(libcurl4-openssl-dev)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get install -y "${missing[@]}" || { as_root apt-get update && as_root apt-get install -y "${missing[@]}"; }
fi

if [ "${1:-}" = "--tests" ]; then
    python3 -c 'import aiosmtpd' 2>/dev/null || { echo "==> installing aiosmtpd"; python3 -m pip install --quiet aiosmtpd || python3 -m pip install --quiet --break-system-packages aiosmtpd; }
    python3 -c 'import yaml' 2>/dev/null || { echo "==> installing PyYAML"; python3 -m pip install --quiet PyYAML || python3 -m pip install --quiet --break-system-packages PyYAML; }
    command -v chromium >/dev/null || { echo "==> installing chromium"; export DEBIAN_FRONTEND=noninteractive; as_root apt-get install -y chromium || { as_root apt-get update && as_root apt-get install -y chromium; }; }
    python3 -c 'import schemathesis' 2>/dev/null || { echo "==> installing schemathesis"; python3 -m pip install --quiet "schemathesis==4.32.5" || python3 -m pip install --quiet --break-system-packages "schemathesis==4.32.5"; }
fi
