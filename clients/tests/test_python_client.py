"""The generated Python client (clients/python) against the live service.

    MODEL_REGISTRY_URL=http://127.0.0.1:8080 pytest clients/tests

A model, a version and an artifact through their whole life, and the
errors the API promises, as the client's typed `ErrorResponse`.
"""

import os
import uuid

import pytest

from model_registry_api_client import Client
from model_registry_api_client.api.artifacts import (
    create_model_artifact,
    find_model_artifact,
    get_model_artifact,
    list_model_artifacts,
    update_model_artifact,
)
from model_registry_api_client.api.health import health
from model_registry_api_client.api.models import (
    create_model,
    delete_model,
    find_model,
    get_model,
    list_models,
    update_model,
)
from model_registry_api_client.api.versions import (
    create_model_version,
    find_model_version,
    get_model_version,
    get_model_version_by_id,
    list_all_model_versions,
    list_model_versions,
    update_model_version,
    update_model_version_by_id,
)
from model_registry_api_client.models import (
    CreateArtifact,
    CreateModel,
    CreateVersion,
    ErrorResponse,
    Labels,
    ModelArtifact,
    ModelVersion,
    RegisteredModel,
    State,
    TagsInput,
    UpdateArtifact,
    UpdateModel,
    UpdateVersion,
    VersionStatus,
)


@pytest.fixture
def client() -> Client:
    return Client(base_url=os.environ.get("MODEL_REGISTRY_URL", "http://127.0.0.1:8080"))


@pytest.fixture
def project() -> str:
    # The generated client puts the value into a header as it is: pass text.
    return str(uuid.uuid4())


def test_health(client: Client) -> None:
    answer = health.sync(client=client)
    assert answer is not None and answer.status == "ok"


def test_a_model_version_and_artifact_through_their_whole_life(client: Client, project: str) -> None:
    region = uuid.uuid4()
    body = CreateModel(
        name="py-llm",
        region_id=region,
        model_type="llm",
        tags=TagsInput(frameworks=["pytorch"]),
        labels=Labels.from_dict({"env": "test"}),
    )
    model = create_model.sync(client=client, body=body, project_id=project)
    assert isinstance(model, RegisteredModel), model
    assert model.name == "py-llm" and model.slug == "py-llm"
    assert model.state == State.LIVE and model.version_count == 0
    assert model.tags.frameworks == ["pytorch"] and model.tags.tasks == []
    assert model.labels.to_dict() == {"env": "test"}

    version = create_model_version.sync(
        model.id,
        client=client,
        project_id=project,
        body=CreateVersion(
            name="v1.0",
            model_framework="pytorch",
            model_framework_version="2.1.0",
            uri="s3://models/llm/v1",
            is_default=True,
            secret_key="never-shown",
        ),
    )
    assert isinstance(version, ModelVersion), version
    assert version.is_default and version.status == VersionStatus.PENDING

    artifact = create_model_artifact.sync(
        client=client,
        project_id=project,
        body=CreateArtifact(
            registered_model_id=model.id,
            name="onnx-export",
            model_framework="pytorch",
            model_framework_version="2.1.0",
            uri="s3://artifacts/onnx-v1",
            artifact_type="onnx",
        ),
    )
    assert isinstance(artifact, ModelArtifact), artifact

    # Read back by id, by find and by list.
    read = get_model.sync(model.id, client=client, project_id=project)
    assert isinstance(read, RegisteredModel)
    assert read.version_count == 2
    assert read.default_version is not None and read.default_version.id == version.id
    assert read.latest_version is not None and read.latest_version.id == artifact.id
    found = find_model.sync(client=client, project_id=project, name="py-llm")
    assert isinstance(found, RegisteredModel) and found.id == model.id
    listed = list_models.sync(client=client, project_id=project, limit=10)
    assert listed is not None and listed.total == 1 and listed.items[0].id == model.id

    nested = get_model_version.sync(model.id, version.id, client=client, project_id=project)
    assert isinstance(nested, ModelVersion) and nested.name == "v1.0"
    direct = get_model_version_by_id.sync(version.id, client=client, project_id=project)
    assert isinstance(direct, ModelVersion) and direct.id == version.id
    found = find_model_version.sync(
        client=client, project_id=project, name="v1.0", registered_model_id=model.id
    )
    assert isinstance(found, ModelVersion) and found.id == version.id
    of_model = list_model_versions.sync(model.id, client=client, project_id=project)
    assert of_model is not None and of_model.total == 2
    everywhere = list_all_model_versions.sync(client=client, project_id=project)
    assert everywhere is not None and everywhere.total == 2

    got = get_model_artifact.sync(artifact.id, client=client, project_id=project)
    assert isinstance(got, ModelArtifact) and got.artifact_type == "onnx"
    found = find_model_artifact.sync(client=client, project_id=project, name="onnx-export")
    assert isinstance(found, ModelArtifact) and found.id == artifact.id
    artifacts = list_model_artifacts.sync(
        client=client, project_id=project, registered_model_id=model.id
    )
    assert artifacts is not None and artifacts.total == 2

    # Patch.
    patched = update_model.sync(
        model.id, client=client, project_id=project, body=UpdateModel(description="Updated")
    )
    assert isinstance(patched, RegisteredModel) and patched.description == "Updated"
    ready = update_model_version.sync(
        model.id,
        version.id,
        client=client,
        project_id=project,
        body=UpdateVersion(status=VersionStatus.READY),
    )
    assert isinstance(ready, ModelVersion) and ready.status == VersionStatus.READY
    moved = update_model_artifact.sync(
        artifact.id,
        client=client,
        project_id=project,
        body=UpdateArtifact(uri="s3://artifacts/onnx-v1-optimized"),
    )
    assert isinstance(moved, ModelArtifact) and moved.uri == "s3://artifacts/onnx-v1-optimized"

    # Archive and delete: refused while a version is READY.
    update_model.sync(model.id, client=client, project_id=project, body=UpdateModel(state=State.ARCHIVED))
    refused = delete_model.sync_detailed(model.id, client=client, project_id=project)
    assert refused.status_code == 400
    assert isinstance(refused.parsed, ErrorResponse)
    assert refused.parsed.error == "cannot delete model: must be archived with no READY versions"
    update_model_version_by_id.sync(
        version.id, client=client, project_id=project, body=UpdateVersion(status=VersionStatus.FAILED)
    )
    deleted = delete_model.sync(model.id, client=client, project_id=project)
    assert deleted is not None and not isinstance(deleted, ErrorResponse) and deleted.status == "deleted"
    gone = get_model.sync_detailed(model.id, client=client, project_id=project)
    assert gone.status_code == 404


def test_errors_come_back_typed_with_their_message(client: Client, project: str) -> None:
    missing = get_model.sync_detailed(uuid.uuid4(), client=client, project_id=project)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, ErrorResponse)
    assert missing.parsed.error == "registered model not found"
    assert missing.parsed.code == "not_found"

    body = CreateModel(name="twice", region_id=uuid.uuid4())
    assert isinstance(create_model.sync(client=client, body=body, project_id=project), RegisteredModel)
    conflict = create_model.sync_detailed(client=client, body=body, project_id=project)
    assert conflict.status_code == 409
    assert isinstance(conflict.parsed, ErrorResponse)
    assert conflict.parsed.error == "model with this name already exists in the project"

    blank = create_model.sync_detailed(
        client=client, body=CreateModel(name="   ", region_id=uuid.uuid4()), project_id=project
    )
    assert blank.status_code == 400
    assert isinstance(blank.parsed, ErrorResponse) and blank.parsed.code == "invalid_argument"
    assert "name" in blank.parsed.error
