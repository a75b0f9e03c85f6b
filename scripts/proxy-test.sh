#!/usr/bin/env bash
# The service behind nginx under a path prefix, as CMP proxies it
# (deploy/nginx.conf: http://127.0.0.1:PORT/cmp/proxy/... -> the service's /...).
# Through the proxy, on the embedded database and (with TEST_DATABASE_URL) on
# PostgreSQL, it runs:
#   - the Python client's tests (clients/tests);
#   - the Go service's README scenarios A, B and C with curl, some paths
#     with a trailing slash, checking status codes;
#   - X-Request-ID coming back through nginx, and an oversized body getting
#     the service's JSON 413 rather than nginx's HTML one;
#   - the service's log line showing the client address nginx forwarded
#     (client=203.0.113.7 from X-Forwarded-For, believed because nginx's
#     address is in TRUSTED_PROXIES).
# Installs nginx (Debian's package) when it is missing. Loopback only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
self="$root/scripts/proxy-test.sh"
ok() { printf 'ok    %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Outer part: tools, then one run per backend, then the service's log.
if [ "${1:-}" != "--through-proxy" ]; then
    if ! command -v nginx >/dev/null 2>&1; then
        echo "installing nginx (apt-get)"
        apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null
    fi
    bin=$(scripts/tools.sh)
    "$bin/pip" install --quiet --disable-pip-version-check --no-deps -e clients/python -e clients/python-registry

    backends=(sqlite)
    if [ -n "${TEST_DATABASE_URL:-}" ]; then
        backends+=(postgres)
    elif [ "${CI:-}" = "true" ]; then
        fail "CI=true but TEST_DATABASE_URL is not set"
    fi
    out=$(mktemp)
    trap 'rm -f "$out"' EXIT
    # nginx reaches the service from loopback: its X-Forwarded-For is believed.
    export TRUSTED_PROXIES=127.0.0.1
    for backend in "${backends[@]}"; do
        printf '\n--> through nginx, on %s\n' "$backend"
        scripts/with-service.sh "$backend" -- "$self" --through-proxy "$bin" | tee "$out"
        # with-service.sh prints "service on ... (log: PATH)".
        log=$(sed -n 's/^service on .*(log: \(.*\))$/\1/p' "$out")
        [ -f "$log" ] || fail "no service log found in with-service.sh's output"
        # The service logs client=<the last X-Forwarded-For address before
        # the trusted proxies> on each request line; nginx appended 127.0.0.1
        # (curl's address, a trusted one here) to ours.
        line=$(grep 'request_id="proxy-test-xff"' "$log" | grep ' status=' || true)
        [ -n "$line" ] || fail "the service logged no line for request proxy-test-xff ($log)"
        echo "$line" | grep -Eq 'client="?203\.0\.113\.7([ ,"]|$)' ||
            fail "the service's log does not show client=203.0.113.7 (the X-Forwarded-For address):
      $line"
        ok "the service's log shows the forwarded client address (client=203.0.113.7)"
    done
    printf '\nproxy-test: all checks passed through nginx on %s\n' "${backends[*]}"
    exit 0
fi

# ---------------------------------------------------------------------------
# Inner part, under with-service.sh: MODEL_REGISTRY_URL is the service.
bin=$2
service_port=${MODEL_REGISTRY_URL##*:}
nginx_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run=$(mktemp -d)
chmod 755 "$run" # nginx's workers (nobody, when started as root) use its temp dirs
sed -e "s|@NGINX_PORT@|$nginx_port|g" -e "s|@SERVICE_PORT@|$service_port|g" \
    -e "s|@RUN_DIR@|$run|g" deploy/nginx.conf >"$run/nginx.conf"
nginx -t -q -p "$run/" -c "$run/nginx.conf" -e "$run/error.log"
nginx -p "$run/" -c "$run/nginx.conf" -e "$run/error.log" &
nginx_pid=$!
cleanup() {
    status=$?
    kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
    if [ "$status" -ne 0 ]; then
        echo "--- nginx error log" >&2; cat "$run/error.log" >&2 || true
        echo "--- nginx access log (last 20)" >&2; tail -n 20 "$run/access.log" >&2 || true
    fi
    rm -rf "$run"
}
trap cleanup EXIT

proxy="http://127.0.0.1:$nginx_port/cmp/proxy"
for _ in $(seq 1 50); do
    curl -fs "$proxy/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fs "$proxy/healthz" >/dev/null || fail "nginx on port $nginx_port does not reach the service"
ok "nginx on 127.0.0.1:$nginx_port proxies $proxy/ to the service on port $service_port"

printf '\n-- Python client tests through the proxy\n'
MODEL_REGISTRY_URL=$proxy "$bin/pytest" -q clients/tests

printf '\n-- README scenarios A, B, C through the proxy\n'
base="$proxy/api/v1/model-registry"
project=$(python3 -c 'import uuid; print(uuid.uuid4())')
region=$(python3 -c 'import uuid; print(uuid.uuid4())')
body="$run/body.json"
# call EXPECTED METHOD PATH [JSON] [curl args...]: checks the status code.
call() {
    local expected=$1 method=$2 path=$3 data=${4:-}
    shift $(($# < 4 ? $# : 4))
    local args=(-s -o "$body" -w '%{http_code}' -X "$method" "$@")
    [ -n "$data" ] && args+=(-H 'Content-Type: application/json' -d "$data")
    local status
    status=$(curl "${args[@]}" "$base$path" || true)
    [ "$status" = "$expected" ] || fail "$method $path: $status, expected $expected: $(head -c 300 "$body")"
    ok "$status $method $path"
}
P=(-H "Project-ID: $project")
json() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$body" "$1"; }
test_llm='{"name":"test-llm","description":"LLM model","region_id":"'"$region"'","model_type":"llm",
  "tags":{"frameworks":["pytorch"],"architectures":["transformer"],"tasks":["text-generation"],"subjects":["nlp"]},
  "labels":{"env":"test"}}'

# A: registered models CRUD.
call 201 POST /models/ "$test_llm" "${P[@]}"
model=$(json id)
call 200 GET "/models/?limit=10&offset=0" "" "${P[@]}"
[ "$(json total)" = 1 ] || fail "GET /models/: total $(json total), expected 1"
call 200 GET "/models/$model/" "" "${P[@]}"
call 200 GET "/model?name=test-llm" "" "${P[@]}"
call 200 PATCH "/models/$model" '{"description":"Updated","state":"ARCHIVED"}' "${P[@]}"
call 200 DELETE "/models/$model/" "" "${P[@]}"

# B: model versions, on a fresh test-llm.
call 201 POST /models "$test_llm" "${P[@]}"
model=$(json id)
call 201 POST "/models/$model/versions/" '{"name":"v1.0","model_framework":"pytorch","model_framework_version":"2.1.0",
  "uri":"s3://models/llm/v1","artifact_type":"model","is_default":true,
  "container_image":"registry.example.com/llm:v1","labels":{"stage":"prod"}}' "${P[@]}"
version=$(json id)
call 200 GET "/models/$model/versions?limit=10" "" "${P[@]}"
call 200 GET "/models/$model/versions/$version/" "" "${P[@]}"
call 200 PATCH "/models/$model/versions/$version" '{"status":"READY","is_default":true}' "${P[@]}"
call 200 GET "/model_versions/?limit=10" "" "${P[@]}"
call 200 GET "/model_versions/$version" "" "${P[@]}"
call 200 GET "/model_version?name=v1.0&registered_model_id=$model" "" "${P[@]}"
call 200 PATCH "/model_versions/$version/" '{"state":"ARCHIVED"}' "${P[@]}"

# C: artifacts and error cases.
call 201 POST /model_artifacts/ '{"registered_model_id":"'"$model"'","name":"onnx-export",
  "model_framework":"pytorch","model_framework_version":"2.1.0",
  "uri":"s3://artifacts/onnx-v1","artifact_type":"onnx"}' "${P[@]}"
artifact=$(json id)
call 200 GET "/model_artifacts/?limit=10" "" "${P[@]}"
call 200 GET "/model_artifacts/$artifact" "" "${P[@]}"
call 200 GET "/model_artifact?name=onnx-export&registered_model_id=$model" "" "${P[@]}"
call 200 PATCH "/model_artifacts/$artifact/" '{"uri":"s3://artifacts/onnx-v1-optimized"}' "${P[@]}"
call 400 GET /models/
call 400 GET /models/not-a-uuid "" "${P[@]}"
call 404 GET /models/00000000-0000-0000-0000-000000000000/ "" "${P[@]}"
call 409 POST /models/ '{"name":"test-llm","region_id":"'"$region"'"}' "${P[@]}"
call 200 GET /models/ "" -H "Project-ID: 00000000-1111-2222-3333-444444444444"
[ "$(json total)" = 0 ] || fail "another project sees $(json total) models"

printf '\n-- headers through the proxy\n'
headers=$(curl -s -o /dev/null -D - -H 'X-Request-ID: proxy-test-123' "$proxy/healthz")
echo "$headers" | grep -qi '^x-request-id: proxy-test-123' ||
    fail "X-Request-ID: proxy-test-123 did not come back through nginx: $headers"
ok "X-Request-ID: proxy-test-123 comes back through nginx"
headers=$(curl -s -o /dev/null -D - "$proxy/healthz")
echo "$headers" | grep -qiE '^x-request-id: [0-9a-f]{32}' ||
    fail "a request without X-Request-ID did not get nginx's: $headers"
ok "a request without X-Request-ID gets nginx's \$request_id"
python3 -c 'import sys; sys.stdout.write("{\"name\":\"" + "x" * (1536 * 1024) + "\"}")' >"$run/big.json"
status=$(curl -s -o "$body" -w '%{http_code}' -X POST "${P[@]}" -H 'Content-Type: application/json' \
    --data-binary "@$run/big.json" "$base/models")
[ "$status" = 413 ] && [ "$(json code)" = payload_too_large ] ||
    fail "a 1.5 MiB body: $status $(head -c 200 "$body"), expected the service's JSON 413"
ok "a 1.5 MiB body gets the service's JSON 413 (payload_too_large)"
# Checked in the service's log by the outer part, once the service stopped.
curl -fs -o /dev/null -H 'X-Forwarded-For: 203.0.113.7' -H 'X-Request-ID: proxy-test-xff' \
    "${P[@]}" "$base/models"
