#!/usr/bin/env bash
# Regenerates entity/src from scripts/schema.sql: builds a throwaway PostgreSQL
# database from the DDL and runs sea-orm-cli (pinned) against it.
#
#   scripts/generate-entities.sh            rewrite entity/src
#   scripts/generate-entities.sh --check    fail if entity/src differs
#
# ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
# names a server where a database may be created and dropped.
set -euo pipefail

SEA_ORM_CLI_VERSION=2.0.4
root=$(cd "$(dirname "$0")/.." && pwd)
admin_url=${ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
check=false
[ "${1:-}" = "--check" ] && check=true

if ! sea-orm-cli --version 2>/dev/null | grep -q " $SEA_ORM_CLI_VERSION"; then
    cargo install "sea-orm-cli@$SEA_ORM_CLI_VERSION" --locked
fi

db="entity_gen_$$"
server_url=${admin_url%/*}
psql -q "$admin_url" -c "CREATE DATABASE $db" >/dev/null
trap 'psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $db" >/dev/null' EXIT
psql -q -v ON_ERROR_STOP=1 "$server_url/$db" -f "$root/scripts/schema.sql" >/dev/null

out=$(mktemp -d)
sea-orm-cli generate entity \
    --database-url "$server_url/$db" \
    --output-dir "$out" \
    --lib \
    --with-serde both \
    --date-time-crate chrono >/dev/null

if $check; then
    if ! diff -ru "$root/entity/src" "$out"; then
        echo "entity/src is out of date with scripts/schema.sql: run scripts/generate-entities.sh" >&2
        exit 1
    fi
    echo "entity/src matches scripts/schema.sql"
else
    rm -rf "$root/entity/src"
    cp -r "$out" "$root/entity/src"
    echo "entity/src regenerated from scripts/schema.sql"
fi
rm -rf "$out"
