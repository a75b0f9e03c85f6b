#!/usr/bin/env bash
# Installs the pinned tools the contract checks use, idempotently:
# Python ones (scripts/requirements-tools.txt) into target/tools/venv, and
# the npm packages of clients/typescript and tests/contract.
# Prints the venv's bin directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/target/tools/venv"
stamp="$venv/.requirements"
if ! cmp -s "$root/scripts/requirements-tools.txt" "$stamp" 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/scripts/requirements-tools.txt" >&2
    cp "$root/scripts/requirements-tools.txt" "$stamp"
fi
for dir in clients/typescript tests/contract; do
    if [ ! -d "$root/$dir/node_modules" ] || [ "$root/$dir/package-lock.json" -nt "$root/$dir/node_modules" ]; then
        (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error >&2 && touch node_modules)
    fi
done
echo "$venv/bin"
