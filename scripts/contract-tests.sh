#!/usr/bin/env bash
# The checks that hold the service to its OpenAPI document, from outside:
#   1. openapi/model-registry.yaml lints clean: Redocly's `recommended`
#      rules and Spectral's `oas` ruleset, with no exception (pinned);
#   2. the generated clients match it (scripts/generate-clients.sh --check);
#   3. the generators users pick (tests/contract/generators, pinned):
#      @hey-api/openapi-ts and orval write TypeScript clients, and a user's
#      file compiles against each with `strict`; datamodel-code-generator
#      writes pydantic v2 models, which read every example of the spec;
#   4. on the embedded database and on PostgreSQL: the Python and the
#      TypeScript clients' tests, those pydantic models over the service's
#      answers to every operation, and schemathesis (server errors, status
#      codes and response schemas) against the live service: its examples,
#      coverage and fuzzing phases, then its stateful phase, which chains
#      calls along the spec's links and says how many it covered (a
#      hook caps the generated `wait` of GET /events at 1 s, so that held
#      requests keep the run fast);
#   5. Swagger UI at /docs in headless Chromium (screenshot in target/browser/).
# The Rust drift test (tests/api/openapi.rs) runs with `cargo test`.
#
# PostgreSQL runs need TEST_DATABASE_URL; without it, and outside CI, they
# are skipped. CHROMIUM names the browser (default /usr/bin/chromium).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=$(scripts/tools.sh)
"$bin/pip" install --quiet --disable-pip-version-check --no-deps -e clients/python -e clients/python-registry

step() { printf '\n--> %s\n' "$*"; }

step "lint openapi/model-registry.yaml: Redocly recommended, Spectral oas"
(cd tests/contract &&
    npx --no-install redocly lint ../../openapi/model-registry.yaml &&
    npx --no-install spectral lint --fail-severity=hint ../../openapi/model-registry.yaml)

step "generated clients are up to date"
scripts/generate-clients.sh --check

step "the spec in the generators users pick: @hey-api/openapi-ts, orval, datamodel-code-generator"
gen=tests/contract/generators
rm -rf "$gen/out"
(cd "$gen" &&
    npx --no-install openapi-ts -i ../../../openapi/model-registry.yaml -o out/hey-api >/dev/null &&
    npx --no-install orval --config orval.config.mjs >/dev/null &&
    npx --no-install tsc -p tsconfig.json &&
    echo "TypeScript: a strict user's file compiles against @hey-api/openapi-ts's and orval's clients")
# Default options, and the one flag its documentation names for OpenAPI
# 3.0's `nullable: true` on a required field (docs/clients.md).
mkdir -p "$gen/out/pydantic"
PYTHONWARNINGS=ignore::FutureWarning "$bin/datamodel-codegen" \
    --input openapi/model-registry.yaml --input-file-type openapi \
    --strict-nullable --output "$gen/out/pydantic/models.py"
"$bin/python" "$gen/check_pydantic.py" "$gen/out/pydantic/models.py" openapi/model-registry.yaml

backends=(sqlite)
if [ -n "${TEST_DATABASE_URL:-}" ]; then
    backends+=(postgres)
elif [ "${CI:-}" = "true" ]; then
    echo "CI=true but TEST_DATABASE_URL is not set" >&2
    exit 1
fi

for backend in "${backends[@]}"; do
    step "clients and schemathesis on $backend"
    scripts/with-service.sh "$backend" -- bash -euo pipefail -c '
        "$0/pytest" -q clients/tests
        "$0/python" tests/contract/generators/check_pydantic.py \
            tests/contract/generators/out/pydantic/models.py openapi/model-registry.yaml "$MODEL_REGISTRY_URL"
        (cd clients/typescript && npx --no-install tsc --noEmit && npm test --silent)
        checks=not_a_server_error,status_code_conformance,response_schema_conformance
        # GET /events holds an empty answer up to `wait` seconds: generated
        # waits are capped at 1 s (tests/contract/schemathesis_hooks.py).
        export SCHEMATHESIS_HOOKS=tests/contract/schemathesis_hooks.py
        "$0/schemathesis" run openapi/model-registry.yaml --url "$MODEL_REGISTRY_URL" \
            --checks "$checks" --phases examples,coverage,fuzzing \
            --max-examples 30 --seed 42 --no-color
        # Chains along the links; reports how many it covered.
        stateful=$(mktemp)
        "$0/schemathesis" --config-file tests/contract/schemathesis-stateful.toml \
            run openapi/model-registry.yaml --url "$MODEL_REGISTRY_URL" \
            --checks "$checks" --phases stateful \
            --max-examples 1000 --seed 42 --no-color >"$stateful" || { cat "$stateful"; exit 1; }
        grep -E "API Links|passed|failed" "$stateful"
    ' "$bin"
done

step "Swagger UI in headless Chromium"
scripts/with-service.sh sqlite -- bash -c 'cd tests/contract && node --test'
