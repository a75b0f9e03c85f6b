#!/usr/bin/env bash
# The SDKs as a user gets them, each README's examples run against a live
# service on SQLite and on PostgreSQL (PostgreSQL needs TEST_DATABASE_URL;
# it is required in CI):
#   Python: the wheel of clients/python-registry installed in a fresh
#     virtual environment (it brings everything it needs); `mypy --strict` on
#     the package and on each README example as a user's file; the API
#     reference built from the docstrings with pdoc (target/sdk-docs/);
#     then, against the service, the README's quickstart and async example
#     and the SDK tests (clients/tests) on the installed wheel;
#   TypeScript: `npm pack` of clients/typescript (no install script in the
#     tarball), installed in a project made exactly as its README says
#     (`npm init -y`, `tsc --init --types node`), where the quickstart
#     compiles; then it runs against the service.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
self="$root/scripts/sdk-test.sh"

if [ "${1:-}" != "--against-service" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    step() { printf '\n--> %s\n' "$*"; }

    step "the Python SDK's wheel in a fresh virtual environment"
    python3 -m venv "$work/venv"
    pip="$work/venv/bin/pip"
    # Built from a copy, so that setuptools' build/ folder stays out of the tree.
    cp -r clients/python-registry "$work/"
    "$pip" wheel --quiet --disable-pip-version-check --no-deps -w "$work/dist" "$work/python-registry"
    "$pip" install --quiet --disable-pip-version-check "$work"/dist/model_registry_sdk-*.whl
    "$work/venv/bin/python" -c 'import model_registry_sdk, httpx; print("model_registry_sdk", model_registry_sdk.__version__)'
    "$pip" install --quiet --disable-pip-version-check -r scripts/requirements-sdk.txt

    # Each ```python block of the README is a user's file: example1.py (the
    # quickstart), example2.py (asyncio), ...
    python3 - clients/python-registry/README.md "$work" <<'PY'
import re, sys
readme, work = sys.argv[1:3]
blocks = re.findall(r"```python\n(.*?)```", open(readme, encoding="utf-8").read(), re.S)
assert len(blocks) >= 2, f"expected the quickstart and the async example in {readme}"
for number, block in enumerate(blocks, 1):
    open(f"{work}/example{number}.py", "w", encoding="utf-8").write(block)
PY
    step "mypy --strict on the installed package and on the README's examples"
    (cd "$work" && "$work/venv/bin/mypy" --strict --no-incremental -p model_registry_sdk &&
        "$work/venv/bin/mypy" --strict --no-incremental example*.py)

    step "the Python API reference from the docstrings (pdoc)"
    docs="$root/target/sdk-docs/python"
    rm -rf "$docs"
    (cd "$work" && "$work/venv/bin/pdoc" --docformat markdown -o "$docs" model_registry_sdk)
    for name in Registry AsyncRegistry Page RegistryError Unavailable RouteNotFound; do
        grep -q "id=\"$name\"" "$docs/model_registry_sdk.html" || { echo "pdoc: no $name in the reference" >&2; exit 1; }
    done
    echo "reference: $docs/model_registry_sdk.html"

    step "the TypeScript package, packed, in a project made as its README says"
    (cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error &&
        npm pack --silent --pack-destination "$work" >/dev/null)
    tarball=$(ls "$work"/model-registry-client-*.tgz)
    tar -xOf "$tarball" package/package.json | node -e '
        const scripts = JSON.parse(require("fs").readFileSync(0, "utf8")).scripts ?? {};
        const install = ["preinstall", "install", "postinstall", "prepare"].filter((name) => name in scripts);
        if (install.length) { console.error("the tarball has install scripts:", install.join(", ")); process.exit(1); }
        console.log("no install script in", process.argv[1]);' "$(basename "$tarball")"
    typescript=$(node -p 'require("./clients/typescript/package.json").devDependencies.typescript')
    types_node=$(node -p 'require("./clients/typescript/package.json").devDependencies["@types/node"]')
    # The README's commands, as written, but for the tarball's path and the
    # tool versions, which CI pins.
    python3 - clients/typescript/README.md "$tarball" "$typescript" "$types_node" >"$work/make-project.sh" <<'PY'
import re, sys
readme, tarball, typescript, types_node = sys.argv[1:5]
text = open(readme, encoding="utf-8").read().split("## Quickstart", 1)[1]
commands = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
for old, new in [("/path/to/model-registry-client-0.2.0.tgz", tarball),
                 ("typescript @types/node@22", f"typescript@{typescript} @types/node@{types_node}")]:
    assert old in commands, f"the README's commands no longer say {old!r}"
    commands = commands.replace(old, new)
print("set -euo pipefail")
print(commands.replace("npm install ", "npm install --no-audit --no-fund --loglevel=error "))
PY
    cat "$work/make-project.sh"
    (cd "$work" && bash make-project.sh >/dev/null)
    app="$work/quickstart"
    python3 - clients/typescript/README.md "$app/index.ts" <<'PY'
import re, sys
readme, target = sys.argv[1:3]
blocks = re.findall(r"```typescript\n(.*?)```", open(readme, encoding="utf-8").read(), re.S)
assert len(blocks) == 1, f"expected one typescript block in {readme}, found {len(blocks)}"
open(target, "w", encoding="utf-8").write(blocks[0])
PY
    (cd "$app" && npx --no-install tsc)
    echo "the quickstart compiles with tsc --init's settings and --types node"

    backends=(sqlite)
    if [ -n "${TEST_DATABASE_URL:-}" ]; then
        backends+=(postgres)
    elif [ "${CI:-}" = "true" ]; then
        echo "CI=true but TEST_DATABASE_URL is not set" >&2
        exit 1
    fi
    for backend in "${backends[@]}"; do
        step "the examples and the SDK tests against the service on $backend"
        scripts/with-service.sh "$backend" -- "$self" --against-service "$work"
    done
    echo "sdk-test: the packages install, the examples run on ${backends[*]}, mypy --strict and tsc are clean, the reference builds"
    exit 0
fi

work=$2
for example in "$work"/example*.py; do
    echo "$(basename "$example"):"
    (cd "$work" && "$work/venv/bin/python" "$example")
done
echo "quickstart (TypeScript):"
(cd "$work/quickstart" && node index.js)
# The SDK's tests, on the installed wheel (not the tree's sources).
"$work/venv/bin/pytest" -q -p no:cacheprovider --ignore=clients/tests/test_python_client.py clients/tests
