"""The Python SDK (clients/python-registry) against the live service.

    MODEL_REGISTRY_URL=http://127.0.0.1:8080 pytest clients/tests

Every method once, pages walked to the end, and each error answer raised as
its own exception with the code, the message and the request id.
"""

import os
import uuid

import pytest

from model_registry import (
    Conflict,
    InvalidArgument,
    ModelArtifact,
    ModelVersion,
    NotFound,
    Registry,
    RegistryError,
)

URL = os.environ.get("MODEL_REGISTRY_URL", "http://127.0.0.1:8080")


@pytest.fixture
def registry():
    # The project id as text here; the quickstart passes a uuid.UUID.
    with Registry(URL, str(uuid.uuid4())) as registry:
        yield registry


def version_fields(**extra):
    return dict(uri="s3://m/v", model_framework="pytorch", model_framework_version="2.3", **extra)


def test_models_versions_and_artifacts_through_the_sdk(registry):
    region = uuid.uuid4()
    model = registry.create_model("sdk", region, description="d", labels={"team": "a"},
                                  tags={"frameworks": ["pytorch"]})
    assert model.name == "sdk" and model.region_id == region
    assert model.tags.frameworks == ["pytorch"] and model.tags.tasks == []
    assert registry.get_model(model.id).id == model.id
    assert registry.find_model(name="sdk").id == model.id
    assert registry.find_model(model_id=model.id).id == model.id
    assert registry.list_models(search="SD").total == 1
    assert registry.list_models(labels={"team": "a"}, tags={"frameworks": "pytorch"}).total == 1
    assert registry.list_models(labels={"team": "b"}).total == 0
    assert [m.id for m in registry.iter_models(labels={"team": "a"})] == [model.id]
    assert registry.update_model(model.id, model_size=7).model_size == 7

    v1 = registry.create_version(model.id, "v1", is_default=True, labels={"k": "v"}, **version_fields())
    assert isinstance(v1, ModelVersion) and v1.is_default
    assert registry.get_version(v1.id).name == "v1"
    assert registry.find_version(name="v1", model_id=model.id).id == v1.id
    assert registry.update_version(v1.id, status="READY").status == "READY"
    assert [v.id for v in registry.iter_versions(model.id)] == [v1.id]
    assert registry.list_versions().total == 1

    artifact = registry.create_artifact(model.id, "onnx", **version_fields())
    assert isinstance(artifact, ModelArtifact)
    assert registry.get_artifact(artifact.id).name == "onnx"
    assert registry.find_artifact(name="onnx", model_id=model.id).id == artifact.id
    assert registry.update_artifact(artifact.id, uri="s3://m/onnx2").uri == "s3://m/onnx2"
    assert registry.list_artifacts(model_id=model.id).total == 2
    assert {a.id for a in registry.iter_artifacts()} == {v1.id, artifact.id}

    # The default (and a READY) version stays; others go.
    with pytest.raises(InvalidArgument):
        registry.delete_version(v1.id)
    registry.delete_artifact(artifact.id)
    spare = registry.create_version(model.id, "spare", **version_fields())
    registry.delete_version(spare.id)
    assert registry.get_model(model.id).version_count == 1

    # A READY version keeps the model; then archived, then deleted.
    with pytest.raises(InvalidArgument):
        registry.update_model(model.id, state="ARCHIVED")
        registry.delete_model(model.id)
    registry.update_version(v1.id, status="FAILED")
    registry.update_model(model.id, state="ARCHIVED")
    registry.delete_model(model.id)
    with pytest.raises(NotFound):
        registry.get_model(model.id)


def test_health(registry):
    assert registry.health() is True


def test_every_page_is_walked(registry):
    region = uuid.uuid4()
    created = {registry.create_model(f"m{i:03}", region).id for i in range(23)}
    assert {m.id for m in registry.iter_models(page_size=5)} == created
    assert len(list(registry.iter_models(page_size=5, search="m00"))) == 10


def test_register_model_creates_once_then_adds_versions(registry):
    region = uuid.uuid4()
    v1 = registry.register_model("reg", "v1", "s3://r/1", region_id=region,
                                 model_framework="pytorch", model_framework_version="2.3")
    v2 = registry.register_model("reg", "v2", "s3://r/2", region_id=region,
                                 model_framework="pytorch", model_framework_version="2.3")
    assert v1.registered_model_id == v2.registered_model_id
    assert registry.find_model(name="reg").version_count == 2


def test_errors_are_raised_with_code_message_and_request_id(registry):
    region = uuid.uuid4()
    registry.create_model("dup", region)
    with pytest.raises(Conflict) as conflict:
        registry.create_model("dup", region)
    assert conflict.value.status == 409 and conflict.value.code == "conflict"
    assert conflict.value.request_id
    with pytest.raises(InvalidArgument) as invalid:
        registry.create_model("", region)
    assert invalid.value.message.startswith("name: ")
    with pytest.raises(NotFound) as missing:
        registry.get_version(uuid.uuid4())
    assert isinstance(missing.value, RegistryError)
    assert missing.value.message == "model version not found"
    with pytest.raises(ValueError):
        Registry(URL, "not-a-uuid")
