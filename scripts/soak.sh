#!/usr/bin/env bash
# Soak: a mixed load (60% GET model, 20% list, 10% create, 10% update) for a
# fixed time against a service on loopback, sampling its RSS every second.
# Prints the errors (must be 0) and the RSS at start, peak and end; exits
# non-zero on any error.
#
#   scripts/soak.sh [SECONDS] [sqlite|postgres]     (defaults: 60, sqlite)
#
# SOAK_PROFILE=release|debug picks the build (default release);
# SOAK_CONNECTIONS (default 16) the concurrent connections. Needs wrk.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
backend=${2:-sqlite}
connections=${SOAK_CONNECTIONS:-16}
export SERVICE_PROFILE=${SOAK_PROFILE:-release}

command -v wrk >/dev/null || { echo "soak needs wrk (apt-get install wrk)" >&2; exit 2; }

exec "$root/scripts/with-service.sh" "$backend" -- bash -euo pipefail -c '
    seconds=$1; connections=$2
    project=$(python3 -c "import uuid; print(uuid.uuid4())")
    api="$MODEL_REGISTRY_URL/api/v1/model-registry"
    model=$(curl -fs -X POST "$api/models" -H "Project-ID: $project" -H "Content-Type: application/json" \
        -d "{\"name\":\"soak-target\",\"region_id\":\"$project\"}" | python3 -c "import json,sys; print(json.load(sys.stdin)[\"id\"])")
    rss() { awk "/^VmRSS/ {print \$2}" "/proc/$SERVICE_PID/status"; }
    samples=$(mktemp)
    (while kill -0 "$SERVICE_PID" 2>/dev/null; do rss >> "$samples"; sleep 1; done) &
    sampler=$!
    start_rss=$(rss)
    result=$(MODEL_PATH="/api/v1/model-registry/models/$model" PROJECT_ID="$project" \
        wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$0" "$MODEL_REGISTRY_URL" | tail -n 1)
    end_rss=$(rss)
    kill "$sampler" 2>/dev/null || true
    peak_rss=$(sort -n "$samples" | tail -n 1)
    echo "soak: ${seconds}s, $connections connections: $result"
    echo "soak: rss_kib start=$start_rss peak=$peak_rss end=$end_rss"
    case "$result" in
        *" non_2xx=0 socket_errors=0 "*) echo "soak: 0 errors" ;;
        *) echo "soak: errors" >&2; exit 1 ;;
    esac
' "$root/scripts/soak.lua" "$seconds" "$connections"
