#!/usr/bin/env bash
# Replays the README's "Try it" tour, as written, against a fresh service on
# each database: every curl of it must succeed (an HTTP error fails the run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
self="$root/scripts/readme-tour.sh"

if [ "${1:-}" != "--against-service" ]; then
    backends=(sqlite)
    [ -n "${TEST_DATABASE_URL:-}" ] && backends+=(postgres)
    for backend in "${backends[@]}"; do
        printf '\n--> the README tour on %s\n' "$backend"
        scripts/with-service.sh "$backend" -- "$self" --against-service
    done
    echo "readme-tour: every step of the README's tour succeeded"
    exit 0
fi

tour=$(python3 - README.md <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("## Try it", 1)[1].split("\n## ", 1)[0]
print(re.search(r"```bash\n(.*?)```", section, re.S).group(1))
PY
)
# The tour's address is the service's default; point it at this one.
tour=${tour//http:\/\/localhost:8080/$MODEL_REGISTRY_URL}
# Each curl fails on an HTTP error, so that the tour checks what it shows.
# TOUR_AUTHORIZATION, when set, goes with every call (CMP's proxy wants it).
curl() {
    if [ -n "${TOUR_AUTHORIZATION:-}" ]; then
        command curl --fail-with-body -H "Authorization: $TOUR_AUTHORIZATION" "$@"
    else
        command curl --fail-with-body "$@"
    fi
    echo
}
eval "$tour"
