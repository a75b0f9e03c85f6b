#!/usr/bin/env bash
# The Python SDK as a user gets it: builds the wheels of the generated client
# (clients/python) and of the SDK (clients/python-registry), installs them in
# a fresh virtual environment, runs the SDK README's quickstart against a live
# service, and runs `mypy --strict` on the SDK and on the quickstart.
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
    "$pip" wheel --quiet --disable-pip-version-check --no-deps -w "$work/dist" clients/python clients/python-registry
    "$pip" install --quiet --disable-pip-version-check "$work"/dist/*.whl -r scripts/requirements-sdk.txt
    # The quickstart is the README's one python block.
    python3 - "$root/clients/python-registry/README.md" "$work/quickstart.py" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```python\n(.*?)```", text, re.S)
assert len(blocks) == 1, f"expected one python block in the README, found {len(blocks)}"
open(sys.argv[2], "w", encoding="utf-8").write(blocks[0])
PY
    echo "--> mypy --strict on the SDK and the quickstart"
    (cd "$work" && "$work/venv/bin/mypy" --strict --no-incremental -p model_registry &&
        "$work/venv/bin/mypy" --strict --no-incremental quickstart.py)
    echo "--> the quickstart against a live service"
    scripts/with-service.sh sqlite -- "$self" --against-service "$work"
    echo "sdk-test: the wheels install, the quickstart runs, mypy --strict is clean"
    exit 0
fi

work=$2
(cd "$work" && "$work/venv/bin/python" quickstart.py)
