#!/usr/bin/env bash
# Runs a command against a freshly started service, then stops it.
#
#   scripts/with-service.sh sqlite   -- COMMAND...
#   scripts/with-service.sh postgres -- COMMAND...
#
# The command gets MODEL_REGISTRY_URL (http://127.0.0.1:PORT) and SERVICE_PID.
# SERVICE_PROFILE=release runs the release build (default: debug). "sqlite" uses
# a new embedded database; "postgres" a new database, loaded with
# scripts/schema.sql, on the server TEST_DATABASE_URL names, dropped after.
# The service's log is kept in target/service-logs/.
set -euo pipefail

backend=${1:?sqlite or postgres}
shift
[ "${1:-}" = "--" ] && shift
root=$(cd "$(dirname "$0")/.." && pwd)

profile=${SERVICE_PROFILE:-debug}
if [ "$profile" = release ]; then
    cargo build --quiet --release --manifest-path "$root/Cargo.toml"
else
    cargo build --quiet --manifest-path "$root/Cargo.toml"
fi
# Where cargo put it: CARGO_TARGET_DIR, a cargo config, or target/.
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/$profile/model-registry"
workdir=$(mktemp -d)
logs="$root/target/service-logs"
mkdir -p "$logs"
log="$logs/$backend-$(date +%s)-$$.log"

dropdb_url=""
case "$backend" in
    sqlite)
        database_url="sqlite://$workdir/registry.db?mode=rwc"
        ;;
    postgres)
        admin=${TEST_DATABASE_URL:?TEST_DATABASE_URL names the PostgreSQL server}
        db="model_registry_contract_$$_$RANDOM"
        psql -q "$admin" -c "CREATE DATABASE $db" >/dev/null
        dropdb_url=$admin
        database_url="${admin%/*}/$db"
        psql -q -v ON_ERROR_STOP=1 "$database_url" -f "$root/scripts/schema.sql" >/dev/null
        ;;
    *)
        echo "unknown backend: $backend" >&2
        exit 2
        ;;
esac

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Webhook receivers of the tests run on this machine.
WEBHOOK_ALLOWED_NETWORKS=${WEBHOOK_ALLOWED_NETWORKS:-127.0.0.0/8} \
    DATABASE_URL=$database_url SERVER_HOST=127.0.0.1 SERVER_PORT=$port "$bin" >"$log" 2>&1 &
pid=$!

cleanup() {
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    if [ -n "$dropdb_url" ]; then
        psql -q "$dropdb_url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null

echo "service on $backend at http://127.0.0.1:$port (log: $log)"
MODEL_REGISTRY_URL="http://127.0.0.1:$port" SERVICE_PID=$pid "$@"
