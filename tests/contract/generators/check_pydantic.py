"""The pydantic v2 models datamodel-code-generator writes from the spec read
what the spec and the service say.

    python check_pydantic.py MODELS.py SPEC.yaml [BASE_URL]

MODELS.py is datamodel-code-generator's output (default options, and
`--strict-nullable`: the one flag its documentation names for OpenAPI 3.0's
`nullable: true`, without which a required-and-nullable field such as
`owner_id` is typed non-nullable). Checked, in strict mode:

- every example of the spec: of a request body or a response (`example`
  and each of `examples`), of a component schema, and of each property of
  one, against the model (or the field) its schema names;
- with BASE_URL, the service's real answers to every operation of the
  spec, success and error, each against the model of the response the spec
  declares for that operation and status.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import uuid
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

METHODS = ("get", "put", "post", "patch", "delete")


def load_models(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("generated_models", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generated_models"] = module
    spec.loader.exec_module(module)
    return module


class Checker:
    def __init__(self, models: Any, doc: dict[str, Any]) -> None:
        self.models = models
        self.doc = doc
        self.checked = 0
        self.failures: list[str] = []
        self.operations: set[str] = set()

    def model_for(self, schema: dict[str, Any]) -> Any:
        """The generated class a response's or body's schema names."""
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/components/schemas/"):
            raise AssertionError(f"not a reference to a component schema: {schema}")
        name = ref.rsplit("/", 1)[1]
        model = getattr(self.models, name, None)
        if model is None:
            raise AssertionError(f"datamodel-code-generator wrote no class {name}")
        return model

    def validate(self, where: str, adapter: Any, value: Any) -> None:
        self.checked += 1
        text = json.dumps(value)
        if not isinstance(adapter, TypeAdapter):
            adapter = TypeAdapter(adapter)
        try:
            adapter.validate_json(text, strict=True)
        except ValidationError as err:
            self.failures.append(f"{where}: {err}")

    # ---------------------------------------------------------- examples
    def media_examples(self, where: str, media: dict[str, Any]) -> None:
        schema = media.get("schema")
        if schema is None:
            return
        model = self.model_for(schema)
        if "example" in media:
            self.validate(f"{where} example", model, media["example"])
        for name, example in (media.get("examples") or {}).items():
            example = self.deref(example)
            if "value" in example:
                self.validate(f"{where} examples.{name}", model, example["value"])

    def deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = self.doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def holder_examples(self, where: str, holder: dict[str, Any]) -> None:
        holder = self.deref(holder)
        for media_type, media in (holder.get("content") or {}).items():
            if media_type.startswith("application/json"):
                self.media_examples(f"{where} ({media_type})", media)

    def all_examples(self) -> None:
        for path, item in self.doc["paths"].items():
            for method in METHODS:
                op = item.get(method)
                if op is None:
                    continue
                where = f"{method.upper()} {path}"
                if "requestBody" in op:
                    self.holder_examples(f"{where} request", op["requestBody"])
                for status, response in op["responses"].items():
                    self.holder_examples(f"{where} {status}", response)
        components = self.doc.get("components", {})
        for name, response in (components.get("responses") or {}).items():
            self.holder_examples(f"components.responses.{name}", response)
        for name, schema in (components.get("schemas") or {}).items():
            model = getattr(self.models, name, None)
            if model is None:
                self.failures.append(f"datamodel-code-generator wrote no class {name}")
                continue
            if "example" in schema:
                self.validate(f"components.schemas.{name} example", model, schema["example"])
            for prop, prop_schema in (schema.get("properties") or {}).items():
                if "example" not in prop_schema:
                    continue
                field = field_of(model, prop)
                if field is None:
                    self.failures.append(f"{name}.{prop}: no such field in the generated class")
                    continue
                adapter = TypeAdapter(field.annotation)
                self.validate(f"components.schemas.{name}.{prop} example", adapter, prop_schema["example"])

    # ----------------------------------------------------------- answers
    def answer(self, template: str, method: str, response: Any) -> None:
        """Validates a live answer against the model the spec declares."""
        op = self.doc["paths"][template][method]
        declared = op["responses"].get(str(response.status_code))
        where = f"{method.upper()} {template} answered {response.status_code}"
        if declared is None:
            self.failures.append(f"{where}, a status the spec does not declare")
            return
        content = self.deref(declared).get("content") or {}
        media = next((m for t, m in content.items() if t.startswith("application/json")), None)
        if media is None:
            return
        self.checked += 1
        model = TypeAdapter(self.model_for(media["schema"]))
        try:
            model.validate_json(response.content, strict=True)
        except ValidationError as err:
            self.failures.append(f"{where}: {err}\n  body: {response.text}")
        self.operations.add(op["operationId"])


def field_of(model: type[BaseModel], name: str) -> Any:
    for field_name, field in model.model_fields.items():
        if (field.alias or field_name) == name:
            return field
    return None


def exercise(checker: Checker, base: str) -> None:
    """Every operation of the spec, with the answers a user gets."""
    import httpx

    api = "/api/v1/model-registry"
    project = {"Project-ID": str(uuid.uuid4())}
    region = str(uuid.uuid4())
    run = uuid.uuid4().hex[:8]

    with httpx.Client(base_url=base, headers=project, timeout=30) as http:

        def call(method: str, template: str, path: str | None = None, **kw: Any) -> Any:
            response = http.request(method, path or (api + template if template != "/healthz" else template), **kw)
            key = template if template == "/healthz" else api + template
            checker.answer(key, method.lower(), response)
            return response

        call("GET", "/healthz")
        model = call(
            "POST", "/models",
            json={"name": f"gen-{run}", "region_id": region, "labels": {"env": "test"},
                  "tags": {"frameworks": ["pytorch"]}},
        ).json()
        mid = model["id"]
        call("POST", "/models", json={"name": f"gen-{run}", "region_id": region})  # 409
        call("GET", "/models/{model_id}", f"{api}/models/{uuid.uuid4()}")  # 404
        call("GET", "/models/{model_id}", f"{api}/models/not-a-uuid")  # 400
        call("GET", "/models", headers={"Project-ID": "nope"})  # 400
        version = call(
            "POST", "/models/{model_id}/versions", f"{api}/models/{mid}/versions",
            json={"name": "v1", "model_framework": "pytorch", "model_framework_version": "2.5",
                  "uri": "s3://models/v1", "is_default": True, "labels": {"stage": "prod"}},
        ).json()
        vid = version["id"]
        spare = call(
            "POST", "/models/{model_id}/versions", f"{api}/models/{mid}/versions",
            json={"name": "v2", "model_framework": "pytorch", "model_framework_version": "2.5",
                  "uri": "s3://models/v2"},
        ).json()
        artifact = call(
            "POST", "/model_artifacts",
            json={"registered_model_id": mid, "name": "weights", "model_framework": "onnx",
                  "model_framework_version": "1", "uri": "s3://models/weights.onnx"},
        ).json()
        aid = artifact["id"]

        # Reads: the model now has a latest and a default version.
        call("GET", "/models", params={"limit": 5, "label": "env:test"})
        call("GET", "/models/{model_id}", f"{api}/models/{mid}")
        call("GET", "/model", params={"name": f"gen-{run}"})
        call("PATCH", "/models/{model_id}", f"{api}/models/{mid}", json={"description": "changed"})
        call("GET", "/models/{model_id}/versions", f"{api}/models/{mid}/versions")
        call("GET", "/models/{model_id}/versions/{version_id}", f"{api}/models/{mid}/versions/{vid}")
        call("PATCH", "/models/{model_id}/versions/{version_id}", f"{api}/models/{mid}/versions/{vid}",
             json={"status": "READY"})
        call("GET", "/model_versions", params={"registered_model_id": mid})
        call("GET", "/model_versions/{version_id}", f"{api}/model_versions/{vid}")
        call("GET", "/model_version", params={"name": "v1", "registered_model_id": mid})
        call("PATCH", "/model_versions/{version_id}", f"{api}/model_versions/{vid}",
             json={"labels": {"stage": "staging"}})
        call("GET", "/model_artifacts", params={"registered_model_id": mid})
        call("GET", "/model_artifacts/{artifact_id}", f"{api}/model_artifacts/{aid}")
        call("GET", "/model_artifact", params={"name": "weights", "registered_model_id": mid})
        call("PATCH", "/model_artifacts/{artifact_id}", f"{api}/model_artifacts/{aid}",
             json={"uri": "s3://models/weights-2.onnx"})

        # Deletes: the model's READY version refuses it (400), then goes.
        call("DELETE", "/model_artifacts/{artifact_id}", f"{api}/model_artifacts/{aid}")
        call("DELETE", "/model_versions/{version_id}", f"{api}/model_versions/{spare['id']}")
        call("PATCH", "/models/{model_id}", f"{api}/models/{mid}", json={"state": "ARCHIVED"})
        call("DELETE", "/models/{model_id}", f"{api}/models/{mid}")  # 400: a READY version
        call("PATCH", "/model_versions/{version_id}", f"{api}/model_versions/{vid}",
             json={"status": "FAILED", "is_default": False})
        call("DELETE", "/models/{model_id}/versions/{version_id}", f"{api}/models/{mid}/versions/{vid}")
        call("DELETE", "/models/{model_id}", f"{api}/models/{mid}")

        # The change feed: every write above, then an empty page held by `wait`.
        feed = call("GET", "/events", params={"limit": 1000}).json()
        call("GET", "/events", params=[("model_id", mid), ("type", "version.updated"), ("type", "model.deleted")])
        call("GET", "/events", params={"after": feed["events"][0]["id"], "limit": 2})
        call("GET", "/events", params={"after": feed["next_cursor"], "wait": 1})
        call("GET", "/events", params={"after": "not-a-cursor"})  # 400
        call("GET", "/events", params={"limit": 1001})  # 400

    spec_ops = {
        op["operationId"]
        for item in checker.doc["paths"].values()
        for method, op in item.items()
        if method in METHODS
    }
    missing = sorted(spec_ops - checker.operations)
    if missing:
        print(f"note: operations not exercised against the service: {', '.join(missing)}")


def main() -> int:
    models_path, spec_path = sys.argv[1], sys.argv[2]
    base = sys.argv[3] if len(sys.argv) > 3 else None
    with open(spec_path) as f:
        doc = yaml.safe_load(f)
    checker = Checker(load_models(models_path), doc)
    checker.all_examples()
    examples = checker.checked
    if base:
        exercise(checker, base)
    for failure in checker.failures:
        print(f"FAIL {failure}", file=sys.stderr)
    answers = checker.checked - examples
    print(
        f"pydantic models (datamodel-code-generator): {examples} examples"
        + (f", {answers} answers of the service" if base else "")
        + f" checked, {len(checker.failures)} failed"
    )
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
