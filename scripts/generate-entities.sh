#!/usr/bin/env bash
# Regenerates entity/src from CMP's tables as CMP's Django project makes
# them (deploy/cmp/): migrates a throwaway PostgreSQL database with Django
# (`manage.py migrate`) and runs sea-orm-cli (pinned) against it, on the
# ten tables the service reads and writes.
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
venv="$root/target/cmp-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/deploy/cmp/requirements.txt"
(cd "$root/deploy/cmp" && CMP_DATABASE_URL="$server_url/$db" "$venv/bin/python" manage.py migrate --verbosity 0)

out=$(mktemp -d)
sea-orm-cli generate entity \
    --database-url "$server_url/$db" \
    --output-dir "$out" \
    --lib \
    --with-serde both \
    --date-time-crate chrono \
    --tables model_registry_registered_model,model_registry_model_version,model_registry_event,model_registry_event_retention,model_registry_event_publication,model_registry_model_alias,model_registry_webhook,model_registry_webhook_delivery,tenant_user,organization_region \
    >/dev/null

if $check; then
    if ! diff -ru "$root/entity/src" "$out"; then
        echo "entity/src is out of date with deploy/cmp's migrations: run scripts/generate-entities.sh" >&2
        exit 1
    fi
    echo "entity/src matches the tables deploy/cmp's migrations make"
else
    rm -rf "$root/entity/src"
    cp -r "$out" "$root/entity/src"
    echo "entity/src regenerated from the tables deploy/cmp's migrations make"
fi
rm -rf "$out"
