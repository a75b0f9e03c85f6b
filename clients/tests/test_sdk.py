"""The Python SDK (clients/python-registry) against the live service, each
test run once with `Registry` and once with `AsyncRegistry` (see conftest).

    MODEL_REGISTRY_URL=http://127.0.0.1:8080 pytest clients/tests

Every method, the objects they answer (plain Python types, nothing of a
generated client), pages and their walkers, filters, and every error answer
raised as its own exception carrying the service's code.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from conftest import URL, make_registry

from model_registry_sdk import (
    Conflict,
    DeploymentStatus,
    InvalidArgument,
    ModelArtifact,
    ModelVersion,
    NotFound,
    Page,
    PreconditionFailed,
    RegisteredModel,
    Registry,
    RegistryError,
    RouteNotFound,
    State,
    VersionStatus,
)


def version_fields(**extra: Any) -> dict[str, Any]:
    return dict(uri="s3://m/v", model_framework="pytorch", model_framework_version="2.3", **extra)


def assert_plain(value: Any) -> None:
    """Only the SDK's dataclasses and plain Python values, all the way down."""
    if dataclasses.is_dataclass(value):
        assert type(value).__module__.startswith("model_registry_sdk")
        for field in dataclasses.fields(value):
            assert_plain(getattr(value, field.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str
            assert_plain(item)
    elif isinstance(value, list):
        for item in value:
            assert_plain(item)
    else:
        assert value is None or isinstance(value, (str, int, bool, uuid.UUID, datetime)), type(value)


def test_plain_objects(registry: Any) -> None:
    region = uuid.uuid4()
    model = registry.create_model("plain", region, labels={"team": "nlp"}, tags={"frameworks": ["pytorch"]})
    assert isinstance(model, RegisteredModel)
    assert_plain(model)
    assert isinstance(model.id, uuid.UUID) and model.region_id == region
    assert model.project_id == registry.project_id
    assert dict(model.labels) == {"team": "nlp"} and list(model.labels.items()) == [("team", "nlp")]
    assert model.tags == {"frameworks": ["pytorch"], "architectures": [], "tasks": [], "subjects": []}
    assert model.latest_version is None and model.default_version is None
    assert model.owner_id is None and model.parent_model_id is None
    assert model.state is State.LIVE and model.state == "LIVE"
    assert model.deployment_status is DeploymentStatus.UNDEPLOYED
    assert model.created_at.tzinfo is not None and model.created_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(model.created_at.tzinfo) - model.created_at) < timedelta(minutes=5)

    version = registry.create_version(model.id, "v1", is_default=True, labels={"stage": "prod"},
                                      access_key="never-shown", **version_fields())
    assert isinstance(version, ModelVersion)
    assert_plain(version)
    assert version.status is VersionStatus.PENDING and version.state is State.LIVE
    assert version.created_by_id is None and version.prebuilt_container_id is None
    assert "never-shown" not in repr(version)

    read = registry.get_model(model.id)
    assert_plain(read)
    assert read.default_version == version and read.latest_version == version
    assert read.etag and read.etag.startswith('"')
    assert read.version_count == 1


def test_models_versions_and_artifacts(registry: Any) -> None:
    region = uuid.uuid4()
    parent = registry.create_model("parent", region)
    model = registry.create_model("sdk", str(region), description="d", model_type="llm",
                                  labels={"team": "a"}, tags={"frameworks": ["pytorch"]},
                                  parent_model_id=str(parent.id))
    assert model.parent_model_id == parent.id and model.model_type == "llm" and model.slug == "sdk"
    assert registry.get_model(str(model.id)).id == model.id
    assert registry.find_model(name="sdk").id == model.id
    assert registry.find_model(model_id=model.id).id == model.id
    assert registry.list_models(search="SD").total == 1
    assert registry.list_models(model_type="llm").total == 1
    updated = registry.update_model(model.id, model_size=7, deployment_status="DEPLOYED", labels={"team": "b"},
                                    tags={"tasks": ["nlp"]})
    assert updated.model_size == 7 and updated.deployment_status is DeploymentStatus.DEPLOYED
    assert updated.labels == {"team": "b"}
    assert updated.tags == {"frameworks": [], "architectures": [], "tasks": ["nlp"], "subjects": []}
    assert updated.description == "d"  # absent fields are left as they are

    v1 = registry.create_version(model.id, "v1", is_default=True, labels={"k": "v"}, **version_fields())
    assert v1.is_default and v1.registered_model_id == model.id
    assert registry.get_version(v1.id).name == "v1"
    assert registry.get_version(v1.id, model_id=model.id).id == v1.id
    with pytest.raises(NotFound):
        registry.get_version(v1.id, model_id=parent.id)
    assert registry.find_version(name="v1", model_id=model.id).id == v1.id
    assert registry.find_version(version_id=v1.id).id == v1.id
    assert registry.update_version(v1.id, status="READY").status is VersionStatus.READY
    assert registry.update_version(v1.id, model_id=model.id, description="nested").description == "nested"
    assert [v.id for v in registry.iter_versions(model.id)] == [v1.id]
    assert registry.list_versions().total == 1
    assert registry.list_versions(model.id, labels={"k": "v"}).total == 1
    assert registry.list_versions(model.id, labels={"k": "w"}).total == 0

    artifact = registry.create_artifact(model.id, "onnx", artifact_type="onnx", **version_fields())
    assert isinstance(artifact, ModelArtifact) and artifact.artifact_type == "onnx"
    assert_plain(artifact)
    assert registry.get_artifact(artifact.id).name == "onnx"
    assert registry.find_artifact(name="onnx", model_id=model.id).id == artifact.id
    assert registry.find_artifact(artifact_id=artifact.id).id == artifact.id
    assert registry.update_artifact(artifact.id, uri="s3://m/onnx2").uri == "s3://m/onnx2"
    assert registry.list_artifacts(model_id=model.id).total == 2
    assert {a.id for a in registry.iter_artifacts()} == {v1.id, artifact.id}

    # The default (and a READY) version stays; others go, directly or under their model.
    with pytest.raises(InvalidArgument):
        registry.delete_version(v1.id)
    registry.delete_artifact(artifact.id)
    spare = registry.create_version(model.id, "spare", **version_fields())
    registry.delete_version(spare.id, model_id=model.id)
    other = registry.create_version(model.id, "other", **version_fields())
    registry.delete_version(other.id)
    assert registry.get_model(model.id).version_count == 1

    # A READY version keeps the model; then archived, then deleted.
    registry.update_model(model.id, state=State.ARCHIVED)
    with pytest.raises(InvalidArgument) as refused:
        registry.delete_model(model.id)
    assert refused.value.code == "invalid_argument" and "archived" in refused.value.message
    registry.update_version(v1.id, status=VersionStatus.FAILED)
    registry.delete_model(model.id)
    with pytest.raises(NotFound):
        registry.get_model(model.id)


def test_health(registry: Any) -> None:
    assert registry.health() is True


def test_a_page_is_a_sequence(registry: Any) -> None:
    region = uuid.uuid4()
    created = [registry.create_model(f"p{i}", region) for i in range(5)]
    page = registry.list_models(limit=3, sort_by="name", order="asc")
    assert isinstance(page, Page) and isinstance(page, Sequence)
    assert len(page) == 3 and page.total == 5 and page.page_size == 3 and page.next_offset == 3
    assert [m.name for m in page] == ["p0", "p1", "p2"]
    assert page[0].name == "p0" and page[-1].name == "p2"
    assert [m.name for m in page[1:]] == ["p1", "p2"]
    assert page[0] in page and page.index(page[1]) == 1
    assert isinstance(page.next_page_token, str)
    rest = registry.list_models(limit=3, sort_by="name", order="asc", page_token=page.next_page_token)
    assert [m.name for m in rest] == ["p3", "p4"] and rest.next_page_token is None
    assert {m.id for m in [*page, *rest]} == {m.id for m in created}
    assert list(registry.list_models(offset=4, sort_by="name", order="asc")) == [rest[-1]]
    empty = registry.list_models(search="nothing-like-it")
    assert len(empty) == 0 and not empty and empty.total == 0 and empty.next_page_token is None
    with pytest.raises(IndexError):
        empty[0]


def test_every_page_is_walked(registry: Any) -> None:
    region = uuid.uuid4()
    created = {registry.create_model(f"m{i:03}", region).id for i in range(23)}
    assert {m.id for m in registry.iter_models(page_size=5)} == created
    assert len(list(registry.iter_models(page_size=5, search="m00"))) == 10
    names = [m.name for m in registry.iter_models(page_size=4, sort_by="name", order="asc")]
    assert names == sorted(names) and len(names) == 23
    model = registry.get_model(next(iter(created)))
    for i in range(7):
        registry.create_version(model.id, f"v{i}", **version_fields())
    assert len(list(registry.iter_versions(model.id, page_size=2))) == 7
    assert len(list(registry.iter_versions(page_size=3))) == 7
    assert len(list(registry.iter_artifacts(model_id=model.id, page_size=3))) == 7
    with pytest.raises(ValueError, match="page_size"):
        list(registry.iter_models(page_size=0))


def test_label_and_tag_filters(registry: Any) -> None:
    region = uuid.uuid4()
    a = registry.create_model("a", region, labels={"team": "nlp", "env": "prod"},
                              tags={"frameworks": ["pytorch", "onnx"], "tasks": ["qa"]})
    registry.create_model("b", region, labels={"team": "nlp", "env": "dev"}, tags={"frameworks": ["jax"]})
    assert registry.list_models(labels={"team": "nlp"}).total == 2
    assert [m.id for m in registry.list_models(labels={"team": "nlp", "env": "prod"})] == [a.id]
    assert [m.id for m in registry.iter_models(tags={"frameworks": "pytorch"})] == [a.id]
    assert [m.id for m in registry.iter_models(tags={"frameworks": ["pytorch", "onnx"], "tasks": "qa"})] == [a.id]
    assert registry.list_models(tags={"frameworks": ["pytorch", "jax"]}).total == 0
    assert [m.id for m in registry.iter_models(labels={"env": "prod"}, tags={"frameworks": "onnx"})] == [a.id]


def test_register_model_creates_once_then_adds_versions(registry: Any) -> None:
    region = uuid.uuid4()
    v1 = registry.register_model("reg", "v1", "s3://r/1", region_id=region,
                                 model_framework="pytorch", model_framework_version="2.3", is_default=True)
    v2 = registry.register_model("reg", "v2", "s3://r/2", region_id=region,
                                 model_framework="pytorch", model_framework_version="2.3")
    assert v1.registered_model_id == v2.registered_model_id
    model = registry.find_model(name="reg")
    assert model.version_count == 2 and model.default_version is not None and model.default_version.id == v1.id


def test_errors_carry_the_services_code(registry: Any) -> None:
    region = uuid.uuid4()
    registry.create_model("dup", region)
    with pytest.raises(Conflict) as conflict:
        registry.create_model("dup", region)
    error = conflict.value
    assert isinstance(error, RegistryError)
    assert error.status == 409 and error.code == "conflict" and error.request_id
    assert error.method == "POST" and error.url == f"{URL}/api/v1/model-registry/models"
    assert "already exists" in error.message and "already exists" in str(error)
    with pytest.raises(InvalidArgument) as invalid:
        registry.create_model(" ", region)
    assert invalid.value.message.startswith("name: ") and invalid.value.code == "invalid_argument"
    with pytest.raises(InvalidArgument):
        registry.list_models(sort_by="password")
    with pytest.raises(NotFound) as missing:
        registry.get_version(uuid.uuid4())
    assert missing.value.message == "model version not found" and missing.value.code == "not_found"
    assert not isinstance(missing.value, RouteNotFound)
    with pytest.raises(NotFound):
        registry.find_model(name="nothing-of-that-name")


def test_unknown_body_fields_are_refused_not_ignored(registry: Any) -> None:
    """Every request with a body says `Prefer: handling=strict`: a field the
    service does not know is a 400 naming it, and nothing is written."""
    from model_registry_sdk._core import call, parse_model

    model = registry.create_model("strict", uuid.uuid4())
    typo = call("updateModel", parse_model, path={"model_id": model.id},
                body={"description": "changed", "stat": "ARCHIVED"})
    assert typo.headers["Prefer"] == "handling=strict"
    with pytest.raises(InvalidArgument) as refused:
        registry._run(typo)
    assert refused.value.status == 400 and 'unknown field "stat"' in refused.value.message
    assert registry.get_model(model.id).description == ""
    assert "Prefer" not in call("getModel", parse_model, path={"model_id": model.id}).headers


def test_if_match_refuses_a_stale_write(registry: Any) -> None:
    model = registry.create_model("etag", uuid.uuid4())
    read = registry.get_model(model.id)
    assert read.etag and model.etag == read.etag
    registry.update_model(model.id, description="changed meanwhile")
    with pytest.raises(PreconditionFailed) as stale:
        registry.update_model(model.id, description="mine", if_match=read.etag)
    assert stale.value.status == 412 and stale.value.code == "precondition_failed"
    fresh = registry.get_model(model.id)
    mine = registry.update_model(model.id, description="mine", if_match=fresh.etag)
    assert mine.description == "mine" and mine.etag == registry.get_model(model.id).etag
    # An update's etag chains the next conditional update, with no get between.
    assert registry.update_model(model.id, description="again", if_match=mine.etag).etag != mine.etag
    version = registry.create_version(model.id, "v", **version_fields())
    etag = registry.get_version(version.id).etag
    registry.update_version(version.id, description="x")
    with pytest.raises(PreconditionFailed):
        registry.delete_version(version.id, if_match=etag)


def test_ids_that_are_not_uuids_are_refused_before_any_call(registry: Any, kind: str) -> None:
    for bad in ("my-project", "", "8d3f6c1e"):
        with pytest.raises(ValueError, match="project_id"):
            list(make_registry(kind, URL, bad))
    with pytest.raises(ValueError, match="model_id"):
        registry.get_model("../models")
    with pytest.raises(ValueError, match="region_id"):
        registry.create_model("x", "eu-west")
    with pytest.raises(ValueError, match="base_url"):
        list(make_registry(kind, "localhost:8080", uuid.uuid4()))


def test_a_wrong_base_url_is_not_a_missing_model(kind: str) -> None:
    project = uuid.uuid4()
    for wrong in (f"{URL}/api", f"{URL}/api/v1", f"{URL}/v1/model-registry"):
        for registry in make_registry(kind, wrong, project):
            with pytest.raises(RouteNotFound) as error:
                registry.get_model(uuid.uuid4())
            assert not isinstance(error.value, NotFound)
            assert "check the base URL" in str(error.value)
            assert error.value.code == "route_not_found" and error.value.status == 404
            assert error.value.url.startswith(wrong)
    # The API's base path itself, as the service's README shows it, is taken as the root.
    for registry in make_registry(kind, f"{URL}/api/v1/model-registry/", project):
        assert registry.base_url == URL
        assert registry.list_models().total == 0


def test_the_project_is_isolated() -> None:
    with Registry(URL, uuid.uuid4()) as mine, Registry(URL, uuid.uuid4()) as theirs:
        model = mine.create_model("isolated", uuid.uuid4())
        with pytest.raises(NotFound):
            theirs.get_model(model.id)
        assert theirs.list_models().total == 0
