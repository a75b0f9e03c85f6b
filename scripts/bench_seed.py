"""Seeds models and versions through the API (for the embedded database,
whose rows only the service writes), names each model's first version
`champion` (where the build has aliases), and writes their ids, one per
line, to OUT/model_ids.txt and OUT/version_ids.txt.

    python3 scripts/bench_seed.py URL PROJECT MODELS VERSIONS_PER_MODEL OUT
"""

import http.client
import json
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

url, project, models, per_model, out = sys.argv[1:6]
models, per_model = int(models), int(per_model)
target = urlparse(url)
local = threading.local()


def send(method, path, body):
    if not hasattr(local, "conn"):
        local.conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    headers = {"Project-ID": project, "Content-Type": "application/json"}
    local.conn.request(method, "/api/v1/model-registry" + path, json.dumps(body), headers)
    response = local.conn.getresponse()
    return response.status, response.read()


def post(path, body):
    status, payload = send("POST", path, body)
    if status != 201:
        raise SystemExit(f"seeding failed: {status} {payload[:200]!r}")
    return json.loads(payload)["id"]


def name_champion(model, version):
    """An earlier build, without aliases, answers 404 or 405: left as is."""
    status, payload = send("PUT", f"/models/{model}/aliases/champion", {"version_id": version})
    if status not in (200, 404, 405):
        raise SystemExit(f"seeding failed: {status} {payload[:200]!r}")


def seed(i):
    model = post("/models", {"name": f"model-{i}", "region_id": project})
    versions = [
        post(
            f"/models/{model}/versions",
            {"name": f"v{j}", "model_framework": "pytorch", "model_framework_version": "2.1",
             "uri": f"s3://models/{i}/{j}", "is_default": j == 1},
        )
        for j in range(1, per_model + 1)
    ]
    if versions:
        name_champion(model, versions[0])
    return model, versions


with ThreadPoolExecutor(max_workers=8) as pool:
    seeded = list(pool.map(seed, range(1, models + 1)))
with open(f"{out}/model_ids.txt", "w") as f:
    f.writelines(f"{m}\n" for m, _ in seeded)
with open(f"{out}/version_ids.txt", "w") as f:
    f.writelines(f"{v}\n" for _, vs in seeded for v in vs)
print(f"seeded {models} models with {per_model} versions each")
