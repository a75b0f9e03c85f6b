#!/usr/bin/env bash
# The SDKs as a user gets them, each README's quickstart run against a live
# service:
#   Python: the wheels of the generated client (clients/python) and of the
#     SDK (clients/python-registry) in a fresh virtual environment, and
#     `mypy --strict` on the SDK and on the quickstart;
#   TypeScript: `npm pack` of clients/typescript installed in a fresh project,
#     where the quickstart type-checks with `strict` and `skipLibCheck: false`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
self="$root/scripts/sdk-test.sh"

if [ "${1:-}" != "--against-service" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    python3 -m venv "$work/venv"
    pip="$work/venv/bin/pip"
    "$pip" install --quiet --disable-pip-version-check wheel
    # Built from copies, so that setuptools' build/ folders stay out of the tree.
    cp -r clients/python clients/python-registry "$work/"
    "$pip" wheel --quiet --disable-pip-version-check --no-deps -w "$work/dist" \
        "$work/python" "$work/python-registry"
    "$pip" install --quiet --disable-pip-version-check "$work"/dist/*.whl -r scripts/requirements-sdk.txt
    # Each quickstart is its README's one block in that language.
    quickstart() {
        python3 - "$1" "$2" "$3" <<'PY'
import re, sys
readme, language, target = sys.argv[1:4]
blocks = re.findall(r"```" + language + r"\n(.*?)```", open(readme, encoding="utf-8").read(), re.S)
assert len(blocks) == 1, f"expected one {language} block in {readme}, found {len(blocks)}"
open(target, "w", encoding="utf-8").write(blocks[0])
PY
    }
    quickstart clients/python-registry/README.md python "$work/quickstart.py"
    echo "--> mypy --strict on the SDK and the quickstart"
    (cd "$work" && "$work/venv/bin/mypy" --strict --no-incremental -p model_registry &&
        "$work/venv/bin/mypy" --strict --no-incremental quickstart.py)

    echo "--> the TypeScript package, packed and installed in a fresh project"
    (cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error &&
        npm pack --silent --pack-destination "$work" >/dev/null)
    app="$work/ts-app"
    mkdir -p "$app"
    cat >"$app/package.json" <<'JSON'
{ "name": "quickstart", "version": "0.0.0", "private": true, "type": "module" }
JSON
    cat >"$app/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
    "strict": true, "skipLibCheck": false, "types": ["node"], "outDir": "dist"
  },
  "include": ["quickstart.ts"]
}
JSON
    typescript=$(node -p 'require("./clients/typescript/package.json").devDependencies.typescript')
    types_node=$(node -p 'require("./clients/typescript/package.json").devDependencies["@types/node"]')
    (cd "$app" && npm install --no-audit --no-fund --loglevel=error "$work"/model-registry-client-*.tgz \
        "typescript@$typescript" "@types/node@$types_node" >/dev/null)
    quickstart clients/typescript/README.md typescript "$app/quickstart.ts"
    (cd "$app" && npx --no-install tsc -p .)
    echo "--> the quickstarts against a live service"
    scripts/with-service.sh sqlite -- "$self" --against-service "$work"
    echo "sdk-test: the packages install, the quickstarts run, mypy --strict and tsc are clean"
    exit 0
fi

work=$2
(cd "$work" && "$work/venv/bin/python" quickstart.py)
(cd "$work/ts-app" && node dist/quickstart.js)
