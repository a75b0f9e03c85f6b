"""The service on CMP's tables as Django makes them, called directly and
through CMP's proxy (scripts/cmp-test.sh runs it).

    python checks/on_cmp_tables.py SERVICE_URL PROXY_URL

Needs, made through Django (`manage.py cmp_tenant`): project P with region
R, project Q with region R, and the access token `cmp-check-token` for P.
Every check prints one line; the first failure stops the run.
"""

import json
import os
import sys
import urllib.error
import urllib.request
import uuid

import psycopg

SERVICE, PROXY = sys.argv[1], sys.argv[2]
BASE = "/api/v1/model-registry"
P = os.environ["CMP_CHECK_PROJECT"]
Q = os.environ["CMP_CHECK_OTHER_PROJECT"]
R = os.environ["CMP_CHECK_REGION"]
TOKEN = "cmp-check-token"
DB = os.environ["CMP_DATABASE_URL"]


def call(root, method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(root + BASE + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            raw = answer.read()
            return answer.status, (json.loads(raw) if raw else None), dict(answer.headers)
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, (json.loads(raw) if raw else None), dict(error.headers)


def direct(method, path, body=None, project=P, headers=None):
    return call(SERVICE, method, path, body, {"Project-ID": project, **(headers or {})})


def proxied(method, path, body=None, headers=None):
    return call(PROXY, method, path, body, {"Authorization": f"Bearer {TOKEN}", **(headers or {})})


def rows(table):
    with psycopg.connect(DB) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def check(what, condition, detail=""):
    if not condition:
        print(f"FAIL  {what} {detail}")
        sys.exit(1)
    print(f"ok    {what}")


def refused(what, answer, field):
    status, body, _ = answer
    check(what, status == 400 and body["code"] == "invalid_argument" and body["error"].startswith(field),
          f"{status} {body}")


models_before = rows("model_registry_registered_model")
refused("a region CMP does not know: 400 naming region_id",
        direct("POST", "/models", {"name": "m-unknown-region", "region_id": str(uuid.uuid4())}), "region_id")
refused("a project CMP does not know: 400 naming the Project-ID header",
        direct("POST", "/models", {"name": "m-unknown-project", "region_id": R}, project=str(uuid.uuid4())),
        "Project-ID")
refused("a parent model that does not exist: 400 naming parent_model_id",
        direct("POST", "/models", {"name": "m-no-parent", "region_id": R, "parent_model_id": str(uuid.uuid4())}),
        "parent_model_id")
status, other, _ = direct("POST", "/models", {"name": "of-q", "region_id": R}, project=Q)
check("a model in the other project", status == 201, f"{status} {other}")
refused("a parent model of another project: 400 naming parent_model_id",
        direct("POST", "/models", {"name": "m-foreign-parent", "region_id": R, "parent_model_id": other["id"]}),
        "parent_model_id")
check("nothing written by the refused creates", rows("model_registry_registered_model") == models_before + 1)

status, page, _ = direct("GET", "/models", project=str(uuid.uuid4()))
check("a project CMP does not know reads as an empty one", status == 200 and page["total"] == 0 and page["items"] == [])

status, model, _ = direct("POST", "/models", {"name": "with-versions", "region_id": R})
check("a model in a known project and region", status == 201 and model["region_name"] == "eu-west", f"{status} {model}")
for name in ("v1", "v2"):
    status, _, _ = direct("POST", f"/models/{model['id']}/versions",
                          {"name": name, "model_framework": "pytorch", "model_framework_version": "2", "uri": "s3://m"})
    check(f"version {name}", status == 201)
status, body, _ = direct("POST", f"/models/{uuid.uuid4()}/versions",
                         {"name": "v", "model_framework": "pytorch", "model_framework_version": "2", "uri": "s3://m"})
check("a version under a model that does not exist: 404", status == 404 and body["code"] == "not_found", f"{status}")
direct("PATCH", f"/models/{model['id']}", {"state": "ARCHIVED"})
versions_before = rows("model_registry_model_version")
status, body, _ = direct("DELETE", f"/models/{model['id']}")
check("deleting a model with versions (no cascade in the database): 200", status == 200, f"{status} {body}")
check("its versions went with it", rows("model_registry_model_version") == versions_before - 2)

status, parent, _ = direct("POST", "/models", {"name": "parent", "region_id": R})
status, child, _ = direct("POST", "/models", {"name": "child", "region_id": R, "parent_model_id": parent["id"]})
check("a child model names its parent", status == 201 and child["parent_model_id"] == parent["id"])
direct("PATCH", f"/models/{parent['id']}", {"state": "ARCHIVED"})
status, body, _ = direct("DELETE", f"/models/{parent['id']}")
check("deleting a parent model (CMP's key on parent_model_id): 200", status == 200, f"{status} {body}")
status, child, _ = direct("GET", f"/models/{child['id']}")
check("its child keeps no pointer to it (CMP's SET_NULL)", status == 200 and child["parent_model_id"] is None)
status, feed, _ = direct("GET", f"/events?model_id={child['id']}")
orphaned = feed["events"][-1] if status == 200 and feed["events"] else {}
check("the feed announces the child's lost parent",
      orphaned.get("type") == "model.updated"
      and orphaned.get("changes") == {"parent_model_id": {"from": parent["id"], "to": None}}, str(orphaned))

# Through CMP's proxy.
status, body, _ = call(PROXY, "GET", "/models")
check("the proxy wants a token", status == 401)
status, created, headers = proxied("POST", "/models", {"name": "via-proxy", "region_id": R},
                                   headers={"Project-ID": Q, "X-Request-ID": "cmp-check-1"})
check("the proxy acts for the token's project, not the caller's Project-ID",
      status == 201 and created["project_id"] == P, f"{status} {created}")
check("X-Request-ID goes through both ways", headers.get("X-Request-ID") == "cmp-check-1", str(headers))
created_etag = headers.get("ETag")
for answer_direct, answer_proxied, what in [
    (direct("POST", "/models", {"name": "via-proxy", "region_id": R}),
     proxied("POST", "/models", {"name": "via-proxy", "region_id": R}), "409"),
    (direct("POST", "/models", {"name": "x", "region_id": str(uuid.uuid4())}),
     proxied("POST", "/models", {"name": "x", "region_id": str(uuid.uuid4())}), "400 region"),
    (direct("GET", f"/models/{uuid.uuid4()}"), proxied("GET", f"/models/{uuid.uuid4()}"), "404"),
    (direct("GET", "/models?limit=0"), proxied("GET", "/models?limit=0"), "400 query"),
]:
    check(f"errors come back unchanged through the proxy ({what})",
          answer_direct[0] == answer_proxied[0] and answer_direct[1]["code"] == answer_proxied[1]["code"],
          f"{answer_direct[:2]} {answer_proxied[:2]}")
status, found, headers = proxied("GET", f"/models/{created['id']}")
etag = headers.get("ETag")
check("a GET through the proxy, with its ETag", status == 200 and found["name"] == "via-proxy" and etag)
check("the create through the proxy answered that ETag", created_etag == etag, f"{created_etag} {etag}")
status, _, _ = proxied("GET", f"/models/{created['id']}", headers={"If-None-Match": etag})
check("If-None-Match through the proxy: 304", status == 304)
status, body, _ = proxied("PATCH", f"/models/{created['id']}", {"description": "x"}, headers={"If-Match": '"stale"'})
check("If-Match through the proxy: 412", status == 412 and body["code"] == "precondition_failed")
status, _, headers = proxied("PATCH", f"/models/{created['id']}", {"description": "y"}, headers={"If-Match": etag})
written = headers.get("ETag")
check("a PATCH through the proxy answers the ETag of what it wrote", status == 200 and written and written != etag)
status, _, _ = proxied("PATCH", f"/models/{created['id']}", {"description": "z"}, headers={"If-Match": written})
check("that ETag is the next write's If-Match", status == 200)
status, page, _ = proxied("GET", "/models?limit=100&sort_by=name&order=asc")
check("a list through the proxy, query and all", status == 200 and page["page_size"] == 100
      and [m["name"] for m in page["items"]] == sorted(m["name"] for m in page["items"]))
print("on-cmp-tables: every check passed")
