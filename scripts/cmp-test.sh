#!/usr/bin/env bash
# The service on CMP's tables as CMP's Django project (deploy/cmp/) makes
# them, with CMP's proxy in front:
#   1. a fresh PostgreSQL database migrated by Django (`manage.py migrate`),
#      whose models and migrations agree (`makemigrations --check`);
#   2. there, the service finds the shape of scripts/schema.sql
#      (`model-registry migrate`: up to date) and every index it relies on
#      (`model-registry check`: CMP's migration 0002 made them);
#   3. the service started on it; projects, a region and an access token
#      made through Django (`manage.py cmp_tenant`); Django's server in
#      front (`manage.py runserver`, the proxy view of deploy/cmp/proxy/);
#   4. deploy/cmp/checks/on_cmp_tables.py: ids CMP does not know are 400s
#      naming the field and write nothing, deletes without database
#      cascades, and what the proxy passes through;
#   5. the README's tour and the Python SDK's quickstart, through the proxy.
# Needs PostgreSQL (TEST_DATABASE_URL, default the local server).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
admin=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
server=${admin%/*}
step() { printf '\n--> %s\n' "$*"; }

venv="$root/target/cmp-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r deploy/cmp/requirements.txt
cargo build --quiet --locked
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/debug/model-registry"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

db="model_registry_cmp_$$"
pids=()
logs=$(mktemp -d)
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
psql -q "$admin" -c "CREATE DATABASE $db" >/dev/null
export CMP_DATABASE_URL="$server/$db"
manage() { (cd deploy/cmp && "$venv/bin/python" manage.py "$@"); }

step "Django makes CMP's tables"
manage migrate --verbosity 1
manage makemigrations --check --dry-run

step "the service finds the shape it expects, and its indexes"
DATABASE_URL=$CMP_DATABASE_URL "$bin" migrate | tee "$logs/migrate.txt"
grep -q "up to date" "$logs/migrate.txt"
DATABASE_URL=$CMP_DATABASE_URL "$bin" check

step "the service on CMP's tables, Django's proxy in front"
project=11111111-1111-1111-1111-111111111111   # the README tour's project and region
region=22222222-2222-2222-2222-222222222222
other=$(python3 -c 'import uuid; print(uuid.uuid4())')
manage cmp_tenant --project "$project" --region "$region" --region-name eu-west --token cmp-check-token
manage cmp_tenant --project "$other" --region "$region"
service_port=$(free_port)
DATABASE_URL=$CMP_DATABASE_URL SERVER_HOST=127.0.0.1 SERVER_PORT=$service_port "$bin" >"$logs/service.log" 2>&1 &
pids+=($!)
proxy_port=$(free_port)
(cd deploy/cmp && MODEL_REGISTRY_URL="http://127.0.0.1:$service_port" exec "$venv/bin/python" manage.py \
    runserver --noreload "127.0.0.1:$proxy_port") >"$logs/django.log" 2>&1 &
pids+=($!)
service="http://127.0.0.1:$service_port"
proxy="http://127.0.0.1:$proxy_port"
for _ in $(seq 1 100); do
    curl -fs "$service/healthz" >/dev/null 2>&1 && curl -fs "$proxy/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fs "$proxy/healthz" >/dev/null || { cat "$logs/service.log" "$logs/django.log" >&2; exit 1; }
echo "service $service, CMP's proxy $proxy (logs in $logs)"

step "on CMP's tables: unknown ids, deletes, the proxy"
CMP_CHECK_PROJECT=$project CMP_CHECK_OTHER_PROJECT=$other CMP_CHECK_REGION=$region \
    "$venv/bin/python" deploy/cmp/checks/on_cmp_tables.py "$service" "$proxy"

step "the README's tour through the proxy"
MODEL_REGISTRY_URL=$proxy TOUR_AUTHORIZATION="Bearer cmp-check-token" scripts/readme-tour.sh --against-service >"$logs/tour.txt"
echo "every step of the tour succeeded"

step "the Python SDK's quickstart through the proxy"
tools=$(scripts/tools.sh)
"$tools/pip" install --quiet --disable-pip-version-check --no-deps -e clients/python -e clients/python-registry
python3 - clients/python-registry/README.md >"$logs/quickstart.py" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
print(re.search(r"```python\n(.*?)```", text.split("## Quickstart", 1)[1], re.S).group(1))
PY
MODEL_REGISTRY_URL=$proxy MODEL_REGISTRY_PROJECT=$project MODEL_REGISTRY_REGION=$region \
    MODEL_REGISTRY_TOKEN=cmp-check-token "$tools/python" "$logs/quickstart.py"
if grep -q ' status=500 ' "$logs/service.log"; then
    echo "the service answered a 500" >&2
    exit 1
fi
echo "cmp-test: Django's tables, the service on them, and CMP's proxy in front all agree"
