#!/usr/bin/env bash
# Generates the API clients from openapi/model-registry.yaml:
#   clients/python                      openapi-python-client (pinned)
#   clients/typescript/src/schema.ts    openapi-typescript (pinned), used with openapi-fetch
#
#   scripts/generate-clients.sh           rewrite them
#   scripts/generate-clients.sh --check   fail if they differ from what is committed
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$("$root/scripts/tools.sh")
check=false
[ "${1:-}" = "--check" ] && check=true

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Python: the generator formats its output with the pinned ruff.
(cd "$out" && PATH="$bin:$PATH" "$bin/openapi-python-client" generate \
    --path "$root/openapi/model-registry.yaml" \
    --output-path "$out/python" \
    --meta setup \
    --overwrite >/dev/null)
rm -rf "$out/python/.ruff_cache"

# TypeScript: types for openapi-fetch. A `.ts` file (types only), so that the
# build emits it beside index.js and a packed package resolves it; fields with
# a default (the tags arrays) stay optional in requests.
(cd "$root/clients/typescript" && npx --no-install openapi-typescript \
    "$root/openapi/model-registry.yaml" -o "$out/schema.ts" --default-non-nullable false --silent)

if $check; then
    status=0
    diff -ru -x '*.egg-info' -x __pycache__ -x .ruff_cache "$root/clients/python" "$out/python" || status=1
    diff -u "$root/clients/typescript/src/schema.ts" "$out/schema.ts" || status=1
    if [ $status -ne 0 ]; then
        echo "the clients are out of date with openapi/model-registry.yaml: run scripts/generate-clients.sh" >&2
        exit 1
    fi
    echo "clients match openapi/model-registry.yaml"
else
    rm -rf "$root/clients/python"
    cp -r "$out/python" "$root/clients/python"
    cp "$out/schema.ts" "$root/clients/typescript/src/schema.ts"
    echo "clients regenerated from openapi/model-registry.yaml"
fi
