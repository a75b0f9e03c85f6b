#!/usr/bin/env bash
# Benchmarks the release build on loopback, on PostgreSQL and on the
# embedded database: seeds BENCH_MODELS models with 3 versions each, then
# runs each workload with wrk at BENCH_CONNECTIONS connections for
# BENCH_DURATION seconds, sampling the service's RSS. Each model's first
# version is its alias `champion` (get_alias resolves it). On PostgreSQL it also
# runs pgbench on the very statements GET model and the list page send
# (`model-registry sql`), at the same concurrency, and prints the ratio.
# Results: target/bench/results.tsv, a markdown table on stdout, and
# target/bench/bench.png (req/s and p99 per workload).
#
#   scripts/bench.sh                    # 10 s a workload, 10,000 models
#   BENCH_DURATION=2 scripts/bench.sh   # the smoke CI runs
#   scripts/bench.sh --scale            # GET and first page at 1k/100k/1M models,
#                                       # EXPLAIN of every hot query at 100k, and a
#                                       # project's versions page against its COUNT
#   scripts/bench.sh --scale versions   # only the last
#   scripts/bench.sh --scale versions-grown   # the same on data grown through the API
#   scripts/bench.sh --paging           # deep offsets against page tokens, filters
#   scripts/bench.sh --indexes          # each index's worth: its statements with and without it
#   scripts/bench.sh --webhooks         # deliveries/s and the writes beside them; GET
#                                       # model with deliveries held by a dead receiver
#   scripts/bench.sh --grown            # started empty, grown through the API, side by
#                                       # side with the same build restarted on the data
#   BENCH_BIN=path/to/model-registry scripts/bench.sh   # another build, same way
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
duration=${BENCH_DURATION:-10}
models=${BENCH_MODELS:-10000}
connections=${BENCH_CONNECTIONS:-32}
admin=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
server=${admin%/*}
out="$root/target/bench"
mkdir -p "$out"
command -v wrk >/dev/null || { echo "bench needs wrk (apt-get install wrk)" >&2; exit 2; }

# BENCH_BIN measures another build (an earlier commit's, say) the same way.
if [ -n "${BENCH_BIN:-}" ]; then
    bin=$BENCH_BIN
else
    cargo build --quiet --release
    # Where cargo put it: CARGO_TARGET_DIR, a cargo config, or target/.
    target_dir=$(cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    bin="$target_dir/release/model-registry"
fi
python="$("$root/scripts/tools.sh")/python"   # with matplotlib, for the chart
project=3b2c1a90-0000-4000-8000-00000000b0b0
pids=()
dbs=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for db in "${dbs[@]}"; do psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_service DATABASE_URL → sets $url and $pid
start_service() {
    local port
    port=$(free_port)
    DATABASE_URL=$1 SERVER_HOST=127.0.0.1 SERVER_PORT=$port LOG_LEVEL=warn "$bin" >"$out/service-$port.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    url="http://127.0.0.1:$port"
    for _ in $(seq 1 100); do curl -fs "$url/healthz" >/dev/null 2>&1 && return; sleep 0.1; done
    cat "$out/service-$port.log" >&2
    exit 1
}

# seed_postgres DB N [WITH_VERSIONS] [PROJECT_SIZE] → a database with N
# models, 3 versions each (for the first WITH_VERSIONS). With PROJECT_SIZE,
# the models come in projects of that many, $project holding the first
# ones; without, $project holds them all.
seed_postgres() {
    local db=$1 n=$2 with_versions=${3:-$2} project_size=${4:-$2}
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
    dbs+=("$db")
    psql -q -v ON_ERROR_STOP=1 "$server/$db" -f scripts/schema.sql >/dev/null
    psql -q -v ON_ERROR_STOP=1 "$server/$db" >/dev/null <<SQL
INSERT INTO model_registry_registered_model (id, project_id, name, slug, region_id, created_at, updated_at)
SELECT md5(i::text)::uuid,
       CASE WHEN i <= $project_size THEN '$project'::uuid ELSE md5('project-' || (i - 1) / $project_size)::uuid END,
       'model-' || i, 'model-' || i, '$project',
       now() - make_interval(secs => i), now() - make_interval(secs => i)
FROM generate_series(1, $n) AS i;
INSERT INTO model_registry_model_version (id, registered_model_id, name, is_default, created_at, updated_at,
                                          model_framework, model_framework_version, uri)
SELECT md5('v' || i || '-' || j)::uuid, md5(i::text)::uuid, 'v' || j, j = 1,
       now() - make_interval(secs => i * 3 - j), now() - make_interval(secs => i * 3 - j),
       'pytorch', '2.1', 's3://models/' || i || '/' || j
FROM generate_series(1, $with_versions) AS i, generate_series(1, 3) AS j;
-- Each model's first version is its champion.
INSERT INTO model_registry_model_alias (id, alias, registered_model_id, version_id, project_id)
SELECT md5('a' || i)::uuid, 'champion', m.id, md5('v' || i || '-1')::uuid, m.project_id
FROM generate_series(1, $with_versions) AS i
JOIN model_registry_registered_model m ON m.id = md5(i::text)::uuid;
VACUUM ANALYZE;
SQL
    python3 - "$project_size" "$with_versions" "$out" <<'PY'
import hashlib, sys, uuid
n, with_versions, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
md5 = lambda s: str(uuid.UUID(hashlib.md5(s.encode()).hexdigest()))
count = min(n, 100_000)  # the models of $project that requests name
with open(f"{out}/model_ids.txt", "w") as f:
    f.writelines(md5(str(i)) + "\n" for i in range(1, count + 1))
with open(f"{out}/version_ids.txt", "w") as f:
    f.writelines(md5(f"v{i}-{j}") + "\n" for i in range(1, min(with_versions, count) + 1) for j in (1, 2, 3))
PY
}

# CPU time, in clock ticks, of the process $1, and of every PostgreSQL
# process on this machine (those that have exited count in the
# postmaster's children's time). 0 when PostgreSQL is not local.
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
postmaster=$(head -n 1 "$(psql -Atq "$admin" -c 'SHOW data_directory' 2>/dev/null)/postmaster.pid" 2>/dev/null || true)
pg_ticks() {
    [ -n "$postmaster" ] || { echo 0; return; }
    # Processes come and go while /proc is read: a vanished one is no error.
    local stats
    stats=$(cat /proc/[0-9]*/stat 2>/dev/null || true)
    { awk '{ print $16 + $17 }' "/proc/$postmaster/stat"; awk '$2 == "(postgres)" { print $14 + $15 }' <<<"$stats"; } |
        awk '{ t += $1 } END { print t + 0 }'
}

# workload NAME → one RESULT line: requests, req/s, p50, p99, errors, the
# service's and PostgreSQL's CPU time per request (µs) and the service's
# peak RSS over the run
workload() {
    local name=$1 samples peak result svc0 pg0 svc1 pg1 requests
    samples=$(mktemp)
    (while kill -0 "$pid" 2>/dev/null; do awk '/^VmRSS/ {print $2}' "/proc/$pid/status" >>"$samples"; sleep 0.2; done) &
    local sampler=$!
    svc0=$(cpu_ticks "$pid") pg0=$(pg_ticks)
    result=$(WORKLOAD=$name PROJECT_ID=$project MODEL_IDS="$out/model_ids.txt" VERSION_IDS="$out/version_ids.txt" \
        wrk -t2 -c"$connections" -d"${duration}s" --latency -s scripts/bench.lua "$url" | grep '^RESULT' || true)
    svc1=$(cpu_ticks "$pid") pg1=$(pg_ticks)
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    peak=$(sort -n "$samples" | tail -n 1)
    rm -f "$samples"
    requests=$(field "$result" requests)
    requests=${requests:-0}
    [ "$requests" -gt 0 ] || requests=1
    echo "${result#RESULT } peak_rss_kib=${peak:-0}" \
        "svc_us=$(((svc1 - svc0) * 1000000 / ticks / requests)) pg_us=$(((pg1 - pg0) * 1000000 / ticks / requests))"
}

# pgbench_tps DB N NAME... → transactions/s of the statements `model-registry
# sql` names, run one after the other as the service sends them (`:idK`,
# the rows of a page, are K models after a random one, or with
# PAGE_OF=versions their first versions; `:hint_at` and `:hint_id`, where
# a page ended before, are HINT_AT and HINT_ID)
pgbench_tps() {
    # The page's ids a subquery, so that PostgreSQL computes them once.
    local db=$1 n=$2 script page_id='md5((:n + i)::text)::uuid'
    shift 2
    [ "${PAGE_OF:-models}" = versions ] && page_id="md5('v' || (:n + i) || '-1')::uuid"
    script=$(mktemp)
    {
        echo "\\set n random(1, $((n - 20)))"
        for name in "$@"; do
            "$bin" sql | awk -F'\t' -v name="$name" '$1 == name { print $2 ";" }'
        done | sed -e "s/:project_id/'$project'/g" \
            -e "s/:ids/(SELECT jsonb_agg($page_id) FROM generate_series(1, 20) AS i)/g" \
            -e "s/:hint_at/'${HINT_AT:-}'/g" -e "s/:hint_id/'${HINT_ID:-}'/g" \
            -e "s/:id/md5(:n::text)::uuid/g"
    } >"$script"
    pgbench -n -M prepared -c "$connections" -j 2 -T "$duration" -f "$script" "$server/$db" 2>/dev/null |
        awk '/^tps = / { print $3; exit }'
    rm -f "$script"
}

field() { sed -n "s/.*$2=\([^ ]*\).*/\1/p" <<<"$1"; }

# scale_row N PROJECT_SIZE → a table row: GET model and the first page of
# $project, with N models in all
scale_row() {
    local n=$1 project_size=$2 get page
    seed_postgres model_registry_bench_scale "$n" 1000 "$project_size"
    start_service "$server/model_registry_bench_scale"
    get=$(workload get_model)
    page=$(workload first_page)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$project_size" \
        "$(field "$get" rps)" "$(field "$get" p50_ms)" "$(field "$get" p99_ms)" \
        "$(field "$page" rps)" "$(field "$page" p50_ms)" "$(field "$page" p99_ms)"
}

# Webhooks on PostgreSQL: deliveries per second to a receiver that
# answers at once (nginx, 204) while writes go on, the writes' req/s beside
# the same without a webhook; then GET model's p99 beside the same with
# 1,000 deliveries pending to a receiver that never answers.
if [ "${1:-}" = "--webhooks" ]; then
    command -v nginx >/dev/null || { echo "--webhooks needs nginx" >&2; exit 2; }
    export WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8
    receiver_port=$(free_port)
    rm -rf "$out/nginx" && mkdir -p "$out/nginx"
    cat >"$out/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $out/nginx/nginx.pid;
error_log $out/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $out/nginx;
    keepalive_requests 1000000;
    server { listen 127.0.0.1:$receiver_port; location / { return 204; } }
}
NGINX
    nginx -c "$out/nginx/nginx.conf" -p "$out/nginx"
    trap 'nginx -c "$out/nginx/nginx.conf" -p "$out/nginx" -s quit 2>/dev/null || true; cleanup' EXIT
    db=model_registry_bench_webhooks
    seed_postgres "$db" 2000
    start_service "$server/$db"
    count() { psql -Atq "$server/$db" -c "SELECT count(*) FROM model_registry_webhook_delivery WHERE status = '$1'"; }
    register() {
        curl -fs -X POST "$url/api/v1/model-registry/webhooks" -H "Project-ID: $project" \
            -H 'Content-Type: application/json' -d "{\"url\": \"$1\"}" |
            python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
    }
    for round in $(seq 1 "${BENCH_ROUNDS:-2}"); do
        plain=$(workload post_version)
        hook=$(register "http://127.0.0.1:$receiver_port/hook")
        before=$(count succeeded)
        started=$(date +%s.%N)
        hooked=$(workload post_version)
        during=$(( $(count succeeded) - before ))
        while [ "$(count pending)" -gt 0 ]; do sleep 0.1; done
        drained=$(date +%s.%N)
        total=$(( $(count succeeded) - before ))
        curl -fs -X DELETE "$url/api/v1/model-registry/webhooks/$hook" -H "Project-ID: $project" >/dev/null
        python3 - "$plain" "$hooked" "$during" "$total" "$started" "$drained" "$duration" <<'PY'
import sys
plain, hooked = (float(dict(kv.split("=") for kv in r.split())["rps"]) for r in sys.argv[1:3])
during, total, started, drained, duration = int(sys.argv[3]), int(sys.argv[4]), *map(float, sys.argv[5:8])
print(f"| writes {plain:.0f} req/s alone, {hooked:.0f} with a webhook ({hooked / plain:.0%}) "
      f"| {during / duration:.0f} deliveries/s while writing | {total} delivered in "
      f"{drained - started:.1f} s: {total / (drained - started):.0f}/s |")
PY
    done
    # A receiver that accepts and never answers.
    dead_port=$(free_port)
    python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4096); held = []
while True: held.append(s.accept()[0])
' "$dead_port" &
    pids+=("$!")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    WEBHOOK_TIMEOUT_MS=10000 start_service "$server/$db"
    alone=$(workload get_model)
    register "http://127.0.0.1:$dead_port/hook" >/dev/null
    python3 - "$url" "$project" <<'PY'
import http.client, json, sys, urllib.parse
target = urllib.parse.urlparse(sys.argv[1])
conn = http.client.HTTPConnection(target.hostname, target.port)
headers = {"Project-ID": sys.argv[2], "Content-Type": "application/json"}
for i in range(1000):
    conn.request("POST", "/api/v1/model-registry/models",
                 json.dumps({"name": f"dead-{i}", "region_id": sys.argv[2]}), headers)
    conn.getresponse().read()
PY
    sleep 2
    pending=$(count pending)
    held=$(workload get_model)
    python3 - "$alone" "$held" "$pending" <<'PY'
import sys
alone, held = (dict(kv.split("=") for kv in r.split()) for r in sys.argv[1:3])
print(f"| GET model p99 {alone['p99_ms']} ms, {float(alone['rps']):.0f} req/s alone; "
      f"{held['p99_ms']} ms, {float(held['rps']):.0f} req/s with {sys.argv[3]} deliveries pending "
      f"to a receiver that never answers ({float(held['p99_ms']) / float(alone['p99_ms']) - 1:+.0%}) |")
PY
    exit 0
fi

# What each index is worth: pgbench on a statement it serves, with the
# index and without it, on a project of BENCH_INDEX_MODELS models (3
# versions each) beside another project as large.
if [ "${1:-}" = "--indexes" ]; then
    m=${BENCH_INDEX_MODELS:-30000}
    db=model_registry_bench_indexes
    seed_postgres "$db" $((2 * m)) $((2 * m)) "$m"
    # One model (and version) in 256 carries the label and the tag that
    # the filter statements ask for.
    psql -q "$server/$db" >/dev/null <<'SQL'
UPDATE model_registry_registered_model SET labels = '{"team": "vision"}', tags = '{"frameworks": ["jax"]}'
WHERE left(id::text, 2) = '00';
UPDATE model_registry_model_version SET labels = '{"team": "vision"}' WHERE left(id::text, 2) = '00';
VACUUM ANALYZE;
SQL
    echo "| index | statement | with it, tps | without it, tps |"
    echo "|---|---|---|---|"
    while read -r index statement page_of; do
        with=$(PAGE_OF=$page_of pgbench_tps "$db" "$m" "$statement")
        psql -q "$server/$db" -c "DROP INDEX $index"
        without=$(PAGE_OF=$page_of pgbench_tps "$db" "$m" "$statement")
        grep "INDEX IF NOT EXISTS $index " scripts/schema.sql | psql -q "$server/$db"
        printf '| %s | %s | %.0f | %.0f |\n' "$index" "$statement" "$with" "$without"
    done <<'LIST'
model_registry_registered_model_project_created list_models_offset_100 models
model_registry_registered_model_project_updated list_models_by_updated_at models
model_registry_registered_model_project_size list_models_by_size models
model_registry_registered_model_project_state_created list_models_live models
model_registry_model_version_model_created get_model models
model_registry_model_version_model_created list_versions_of_model models
model_registry_model_version_model_default get_model models
model_registry_model_version_name find_version_by_name models
model_registry_registered_model_labels list_models_by_label models
model_registry_registered_model_tags list_models_by_tag models
model_registry_model_version_labels list_project_versions_by_label models
LIST
    exit 0
fi

# Paging deep and filtering: the first page, a page at offset
# BENCH_DEEP_OFFSET (default 10,000) and the same page reached by its
# token, and the label and tag filters (one model in 256 matches), on a
# project of BENCH_PAGING_MODELS models (default 30,000) beside another as
# large.
if [ "${1:-}" = "--paging" ]; then
    m=${BENCH_PAGING_MODELS:-30000}
    deep=${BENCH_DEEP_OFFSET:-10000}
    db=model_registry_bench_paging
    seed_postgres "$db" $((2 * m)) 1000 "$m"
    psql -q "$server/$db" >/dev/null <<'SQL'
UPDATE model_registry_registered_model SET labels = '{"team": "vision"}', tags = '{"frameworks": ["jax"]}'
WHERE left(id::text, 2) = '00';
VACUUM ANALYZE;
SQL
    start_service "$server/$db"
    # The token of the page at $deep: the one the page before it answers.
    PAGE_TOKEN=$(curl -fs -H "Project-ID: $project" "$url/api/v1/model-registry/models?limit=20&offset=$((deep - 20))" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["next_page_token"])')
    export PAGE_TOKEN DEEP_OFFSET=$deep
    echo "| workload | req/s | p50 ms | p99 ms | errors |"
    echo "|---|---|---|---|---|"
    for name in first_page deep_offset deep_token list_models_label list_models_tag; do
        result=$(workload "$name")
        printf '| %s | %s | %s | %s | %s |\n' "$name" "$(field "$result" rps)" \
            "$(field "$result" p50_ms)" "$(field "$result" p99_ms)" "$(field "$result" errors)"
    done
    exit 0
fi

# The grown scenario: a service started on an empty database, whose data
# then grows through the API while it runs, as every deployment's does,
# measured side by side with the same build started on the same data.
if [ "${1:-}" = "--grown" ]; then
    seed_models=${BENCH_SEED_MODELS:-1000}
    grow_seconds=${BENCH_GROW_SECONDS:-6}
    rounds=${BENCH_ROUNDS:-3}
    db=model_registry_bench_grown
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
    dbs+=("$db")
    psql -q -v ON_ERROR_STOP=1 "$server/$db" -f scripts/schema.sql >/dev/null
    start_service "$server/$db"
    grown_url=$url grown_pid=$pid
    python3 scripts/bench_seed.py "$url" "$project" "$seed_models" 3 "$out" >&2
    # Its first day: every read runs on the small data, so the service's
    # connections prepare their statements then.
    reads=(get_model get_version list_models list_project_versions list_artifacts list_versions)
    writes=(post_model post_version patch_version)
    for name in "${reads[@]}"; do duration=2 workload "$name" >/dev/null; done
    # Then the project grows through the API.
    duration=$grow_seconds workload post_model >/dev/null
    start_service "$server/$db"
    restarted_url=$url restarted_pid=$pid
    : >"$out/grown.tsv"
    for round in $(seq 1 "$rounds"); do
        # Which of the two goes first alternates by round, so that neither
        # always meets the machine (or, for the writes, the project) first.
        order=(grown restarted)
        [ $((round % 2)) -eq 0 ] && order=(restarted grown)
        for name in "${reads[@]}" "${writes[@]}"; do
            for service in "${order[@]}"; do
                if [ "$service" = grown ]; then url=$grown_url pid=$grown_pid; else url=$restarted_url pid=$restarted_pid; fi
                result=$(workload "$name")
                models_now=$(psql -Atq "$server/$db" -c "SELECT count(*) FROM model_registry_registered_model")
                printf '%s\t%s\t%s\t%s models=%s\n' "$round" "$service" "$name" "$result" "$models_now" |
                    tee -a "$out/grown.tsv" >&2
            done
        done
    done
    python3 - "$out/grown.tsv" <<'PY'
import statistics, sys
# The Go service this one replaces, measured side by side on this machine
# kind (wrk, 2 threads, 32 connections, data grown through its API).
go = {"get_model": 3659, "get_version": 9322, "list_models": 296,
      "list_project_versions": 108, "post_model": 2993}
runs = {}
for line in open(sys.argv[1]):
    _, service, name, result = line.rstrip("\n").split("\t")
    values = dict(kv.split("=") for kv in result.split())
    runs.setdefault((name, service), []).append(values)
def median(name, service, key):
    return statistics.median(float(v[key]) for v in runs[(name, service)])
print("| workload | grown req/s | restarted req/s | grown / restarted | grown p50 / p99 ms | restarted p50 / p99 ms "
      "| grown µs/req service / PostgreSQL | restarted µs/req service / PostgreSQL | Go req/s | errors |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name in dict.fromkeys(n for n, _ in runs):
    g, r = (median(name, s, "rps") for s in ("grown", "restarted"))
    # The project grows between rounds: compare the two within each round.
    pairs = zip(runs[(name, "grown")], runs[(name, "restarted")])
    ratio = statistics.median(float(a["rps"]) / float(b["rps"]) for a, b in pairs if float(b["rps"]))
    cells = [name, f"{g:.0f}", f"{r:.0f}", f"{ratio:.0%}"]
    for s in ("grown", "restarted"):
        cells.append(f"{median(name, s, 'p50_ms'):.1f} / {median(name, s, 'p99_ms'):.1f}")
    for s in ("grown", "restarted"):
        cells.append(f"{median(name, s, 'svc_us'):.0f} / {median(name, s, 'pg_us'):.0f}")
    cells.append(str(go.get(name, "")))
    cells.append(str(int(sum(float(v["errors"]) for s in ("grown", "restarted") for v in runs[(name, s)]))))
    print("| " + " | ".join(cells) + " |")
last = max(int(v["models"]) for vs in runs.values() for v in vs)
print(f"\n{last} models in the project at the end; req/s, latencies and CPU are medians over the rounds;"
      " grown / restarted is the median of each round's ratio.")
PY
    exit 0
fi

if [ "${1:-}" = "--scale" ]; then
  if [ "${2:-}" != versions ] && [ "${2:-}" != versions-grown ]; then
    echo "| models | in the project | GET model req/s | p50 ms | p99 ms | first page req/s | p50 ms | p99 ms |"
    echo "|---|---|---|---|---|---|---|---|"
    # Many projects of 1,000 models, as a registry of many teams grows.
    for n in 1000 100000 1000000; do
        scale_row "$n" 1000
        if [ "$n" = 100000 ]; then
            echo "EXPLAIN at $n models:" >&2
            # The reads: each of their parameters an id of the project.
            "$bin" sql | grep -E '^(get|find|list|count)_' | while IFS=$'\t' read -r name sql; do
                id=$(head -n 1 "$out/model_ids.txt")
                plan=$(psql -qAt "$server/model_registry_bench_scale" \
                    -c "EXPLAIN $(sed -e "s/:project_id/'$project'/g" -e "s/:ids/'[\"$id\"]'/g" \
                        -e "s/:hint_at/now()/g" -e "s/:hint_id/'$project'/g" -e "s/:[a-z_]*id\b/'$id'/g" \
                        -e "s/:name/'x'/g" <<<"$sql")")
                # The models table is the one that grows; small tables (the
                # versions of a thousand models here, CMP's lookups) are
                # rightly scanned whole.
                if grep -q "Seq Scan on model_registry_registered_model" <<<"$plan"; then
                    echo "  $name: SEQUENTIAL SCAN" >&2
                    echo "$plan" >&2
                    exit 1
                fi
                echo "  $name: no sequential scan of the models" >&2
            done
        fi
    done
    # One project holding every model: the page's total counts them all.
    for n in 100000 1000000; do
        scale_row "$n" "$n"
    done
  fi
    # The versions of one project, listed across its models (another
    # project holds as many): the first page's statement against the
    # project's COUNT alone, each as pgbench transactions; the page asked
    # for the first time, and again (from where it ended before, as the
    # service remembers it). With `--scale versions-grown`, the data is
    # created through the API of a service started on empty tables (each
    # size in projects of its own, in one growing database), as a
    # deployment's is; otherwise it is loaded by SQL and analyzed.
    echo
    echo "| versions in the project | COUNT alone, tps | first page, first time, tps | page / COUNT | first page, again, tps | page / COUNT |"
    echo "|---|---|---|---|---|---|"
    db=model_registry_bench_scale
    if [ "${2:-}" = versions-grown ]; then
        psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
        dbs+=("$db")
        psql -q -v ON_ERROR_STOP=1 "$server/$db" -f scripts/schema.sql >/dev/null
        start_service "$server/$db"
    fi
    for versions in ${BENCH_SCALE_VERSIONS:-1000 10000 100000}; do
        m=$((versions / 3))
        if [ "${2:-}" = versions-grown ]; then
            project=$(printf '3b2c1a90-0000-4000-8000-%012d' "$versions")
            python3 scripts/bench_seed.py "$url" "$project" "$m" 3 "$out" >/dev/null &
            mkdir -p "$out/other"
            python3 scripts/bench_seed.py "$url" "$(printf '3b2c1a90-0000-4000-8001-%012d' "$versions")" "$m" 3 "$out/other" >/dev/null
            wait $!
        else
            seed_postgres "$db" $((2 * m)) $((2 * m)) "$m"
        fi
        read -r HINT_AT HINT_ID < <(psql -qAt -F ' ' "$server/$db" -c "
            SELECT to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), v.id
            FROM model_registry_model_version v JOIN model_registry_registered_model m ON m.id = v.registered_model_id
            WHERE m.project_id = '$project' ORDER BY v.created_at DESC, v.id DESC OFFSET 20 LIMIT 1")
        export HINT_AT HINT_ID
        # The three alternate, BENCH_SCALE_ROUNDS times (default 3), and each
        # ratio is taken within a round: on a shared machine the speed
        # drifts between runs more than the statements differ.
        rounds=()
        for _ in $(seq 1 "${BENCH_SCALE_ROUNDS:-3}"); do
            rounds+=("$(pgbench_tps "$db" "$m" count_project_versions) $(pgbench_tps "$db" "$m" list_project_versions) $(pgbench_tps "$db" "$m" list_project_versions_hinted)")
        done
        python3 - "$((3 * m))" "${rounds[@]}" <<'PY'
import statistics, sys
versions, rounds = sys.argv[1], [[float(x) for x in r.split()] for r in sys.argv[2:]]
median = lambda values: statistics.median(values)
count, first, again = (median([r[i] for r in rounds]) for i in range(3))
first_ratio = median([r[0] / r[1] for r in rounds])
again_ratio = median([r[0] / r[2] for r in rounds])
print(f"| {versions} | {count:.0f} | {first:.0f} | {first_ratio:.2f} | {again:.0f} | {again_ratio:.2f} |")
PY
    done
    exit 0
fi

: >"$out/results.tsv"
for backend in postgres sqlite; do
    if [ "$backend" = postgres ]; then
        seed_postgres model_registry_bench "$models"
        # The database's own limit, on the data the reads below see (the
        # writes that follow add models, and a page's total counts them).
        get_tps=$(pgbench_tps model_registry_bench "$models" get_model)
        list_tps=$(pgbench_tps model_registry_bench "$models" list_models_offset_100 list_models_details)
        start_service "$server/model_registry_bench"
    else
        rm -rf "$out/sqlite" && mkdir -p "$out/sqlite"
        start_service "sqlite://$out/sqlite/bench.db?mode=rwc"
        python3 scripts/bench_seed.py "$url" "$project" "$models" 3 "$out" >&2
    fi
    for name in get_model get_version get_alias list_models list_versions post_model post_version mix_90_10; do
        result=$(workload "$name")
        printf '%s\t%s\t%s\n' "$backend" "$name" "$result" | tee -a "$out/results.tsv" >&2
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
done

printf 'postgres\tpgbench_get_model\trps=%s\npostgres\tpgbench_list_models\trps=%s\n' "$get_tps" "$list_tps" >>"$out/results.tsv"

"$python" - "$out" <<'PY'
import sys
out = sys.argv[1]
rows = [line.rstrip("\n").split("\t") for line in open(f"{out}/results.tsv")]
values = {(b, w): dict(kv.split("=") for kv in r.split()) for b, w, r in rows}
print(f"| database | workload | req/s | p50 ms | p99 ms | errors | peak RSS MiB |")
print("|---|---|---|---|---|---|---|")
for (b, w), v in values.items():
    if w.startswith("pgbench"):
        continue
    rss = int(v.get("peak_rss_kib", 0)) / 1024
    print(f"| {b} | {w} | {float(v['rps']):.0f} | {v['p50_ms']} | {v['p99_ms']} | {v['errors']} | {rss:.1f} |")
for workload, pg in (("get_model", "pgbench_get_model"), ("list_models", "pgbench_list_models")):
    service = float(values[("postgres", workload)]["rps"])
    limit = float(values[("postgres", pg)]["rps"] or 0)
    ratio = service / limit if limit else 0
    print(f"\n{workload}: service {service:.0f} req/s, pgbench on its statement {limit:.0f} tps: {ratio:.0%}")
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("\n(no matplotlib: chart skipped)")
    raise SystemExit(0)
names = [w for (b, w) in values if b == "postgres" and not w.startswith("pgbench")]
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
width = 0.4
for offset, backend in ((-width / 2, "postgres"), (width / 2, "sqlite")):
    xs = [i + offset for i in range(len(names))]
    left.bar(xs, [float(values[(backend, n)]["rps"]) for n in names], width, label=backend)
    right.bar(xs, [float(values[(backend, n)]["p99_ms"]) for n in names], width, label=backend)
for axis, title in ((left, "requests/s"), (right, "p99 latency, ms")):
    axis.set_xticks(range(len(names)), names, rotation=30, ha="right")
    axis.set_title(title)
    axis.legend()
fig.tight_layout()
fig.savefig(f"{out}/bench.png", dpi=100)
print(f"\nchart: {out}/bench.png")
PY
