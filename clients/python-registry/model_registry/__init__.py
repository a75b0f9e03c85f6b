"""The Model Registry's Python SDK: one `Registry` object per project.

    from model_registry import Registry, NotFound

    registry = Registry("http://localhost:8080", project_id)
    version = registry.register_model("llm", "v1", "s3://models/llm/v1",
                                      region_id=region, model_framework="pytorch",
                                      model_framework_version="2.3")

Every operation of the API is a typed method; answers are the generated
client's models (`RegisteredModel`, `ModelVersion`, `ModelArtifact`, ...);
an error answer is raised as a `RegistryError` subclass carrying its code,
message and request id; `iter_*` methods walk every page of a list.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import httpx
from model_registry_api_client.models import (
    ModelArtifact,
    ModelArtifactList,
    ModelVersion,
    ModelVersionList,
    RegisteredModel,
    RegisteredModelList,
)

__all__ = [
    "Conflict",
    "InvalidArgument",
    "ModelArtifact",
    "ModelVersion",
    "NotFound",
    "PayloadTooLarge",
    "RegisteredModel",
    "Registry",
    "RegistryError",
    "Unauthorized",
    "Unavailable",
]

BASE_PATH = "/api/v1/model-registry"

Id = uuid.UUID | str
Labels = Mapping[str, str]


class RegistryError(Exception):
    """An error answer: its HTTP status, `code`, message and request id."""

    def __init__(self, status: int, code: str, message: str, request_id: str | None) -> None:
        super().__init__(f"{status} {code}: {message} (request {request_id})")
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id


class InvalidArgument(RegistryError):
    """400: the request, a header or a field is not what it must be."""


class Unauthorized(RegistryError):
    """401: the service wants a bearer token, and this one is not it."""


class NotFound(RegistryError):
    """404: no such model, version or artifact in this project."""


class Conflict(RegistryError):
    """409: the name is taken."""


class PayloadTooLarge(RegistryError):
    """413: the body is over 1 MiB."""


class Unavailable(RegistryError):
    """503: the database is unreachable or too slow; try again."""


_ERRORS: dict[str, type[RegistryError]] = {
    "invalid_argument": InvalidArgument,
    "unauthorized": Unauthorized,
    "not_found": NotFound,
    "conflict": Conflict,
    "payload_too_large": PayloadTooLarge,
    "unavailable": Unavailable,
}

Page = TypeVar("Page", RegisteredModelList, ModelVersionList, ModelArtifactList)


def _label_filters(labels: Labels | None) -> list[str] | None:
    """`label=key:value` query values, one per label."""
    return None if labels is None else [f"{key}:{value}" for key, value in labels.items()]


def _present(**fields: Any) -> dict[str, Any]:
    """The fields that were given, ids as strings."""
    return {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in fields.items() if v is not None}


class Registry:
    """The registry of one project.

    `project_id` is a UUID or its text; `token` is sent as a bearer token
    when the service requires one.
    """

    def __init__(
        self,
        base_url: str,
        project_id: Id,
        token: str | None = None,
        *,
        timeout: float = 10.0,
    ) -> None:
        self.project_id = uuid.UUID(str(project_id))
        headers = {"Project-ID": str(self.project_id)}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        self._root = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self._root + BASE_PATH, headers=headers, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def health(self) -> bool:
        """Whether the service and its database answer (`GET /healthz`)."""
        response = self._http.get(self._root + "/healthz")
        return response.status_code == 200

    # ------------------------------------------------------------- plumbing

    def _call(self, method: str, path: str, *, body: dict[str, Any] | None = None,
              query: dict[str, Any] | None = None) -> Any:
        response = self._http.request(method, path, json=body, params=_present(**(query or {})))
        if response.status_code >= 400:
            try:
                error = response.json()
            except ValueError:
                error = {}
            code = str(error.get("code", "internal"))
            raise _ERRORS.get(code, RegistryError)(
                response.status_code,
                code,
                str(error.get("error", response.reason_phrase)),
                response.headers.get("x-request-id"),
            )
        return response.json()

    @staticmethod
    def _pages(fetch: Callable[[int, str | None], Page], limit: int) -> Iterator[Any]:
        """Every item of a list, `fetch(limit, page_token)` giving one page:
        each page continues after the last (keyset paging), so items added
        meanwhile neither repeat nor shift it."""
        token: str | None = None
        while True:
            listed = fetch(limit, token)
            yield from listed.items
            if not isinstance(listed.next_page_token, str):
                return
            token = listed.next_page_token

    # --------------------------------------------------------------- models

    def create_model(
        self,
        name: str,
        region_id: Id,
        *,
        description: str | None = None,
        model_type: str | None = None,
        tags: Mapping[str, list[str]] | None = None,
        labels: Labels | None = None,
        parent_model_id: Id | None = None,
    ) -> RegisteredModel:
        body = _present(name=name, region_id=region_id, description=description, model_type=model_type,
                        tags=tags, labels=labels, parent_model_id=parent_model_id)
        return RegisteredModel.from_dict(self._call("POST", "/models", body=body))

    def get_model(self, model_id: Id) -> RegisteredModel:
        return RegisteredModel.from_dict(self._call("GET", f"/models/{model_id}"))

    def find_model(self, *, name: str | None = None, model_id: Id | None = None) -> RegisteredModel:
        query = _present(name=name, externalId=model_id)
        return RegisteredModel.from_dict(self._call("GET", "/model", query=query))

    def list_models(
        self,
        *,
        state: str | None = None,
        model_type: str | None = None,
        search: str | None = None,
        labels: Labels | None = None,
        tags: Mapping[str, str] | None = None,
        sort_by: str | None = None,
        order: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        page_token: str | None = None,
    ) -> RegisteredModelList:
        """One page of models; `labels` and `tags` ({"frameworks": "pytorch"})
        must all match."""
        query = dict(state=state, model_type=model_type, search=search, label=_label_filters(labels),
                     tag=_label_filters(tags), sort_by=sort_by, order=order, limit=limit, offset=offset,
                     page_token=page_token)
        return RegisteredModelList.from_dict(self._call("GET", "/models", query=query))

    def iter_models(self, *, page_size: int = 100, **filters: Any) -> Iterator[RegisteredModel]:
        """Every model matching the filters of `list_models`, page after page."""
        return self._pages(lambda limit, token: self.list_models(**filters, limit=limit, page_token=token),
                           page_size)

    def update_model(
        self,
        model_id: Id,
        *,
        name: str | None = None,
        description: str | None = None,
        model_type: str | None = None,
        model_size: int | None = None,
        state: str | None = None,
        deployment_status: str | None = None,
        tags: Mapping[str, list[str]] | None = None,
        labels: Labels | None = None,
    ) -> RegisteredModel:
        body = _present(name=name, description=description, model_type=model_type, model_size=model_size,
                        state=state, deployment_status=deployment_status, tags=tags, labels=labels)
        return RegisteredModel.from_dict(self._call("PATCH", f"/models/{model_id}", body=body))

    def delete_model(self, model_id: Id) -> None:
        """Deletes an ARCHIVED model with no READY version (and its versions)."""
        self._call("DELETE", f"/models/{model_id}")

    # ------------------------------------------------------------- versions

    def create_version(
        self,
        model_id: Id,
        name: str,
        *,
        uri: str,
        model_framework: str,
        model_framework_version: str,
        description: str | None = None,
        is_default: bool | None = None,
        artifact_type: str | None = None,
        container_image: str | None = None,
        model_catalog_name: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        labels: Labels | None = None,
        prebuilt_container_id: Id | None = None,
    ) -> ModelVersion:
        body = _present(name=name, uri=uri, model_framework=model_framework,
                        model_framework_version=model_framework_version, description=description,
                        is_default=is_default, artifact_type=artifact_type, container_image=container_image,
                        model_catalog_name=model_catalog_name, access_key=access_key, secret_key=secret_key,
                        labels=labels, prebuilt_container_id=prebuilt_container_id)
        return ModelVersion.from_dict(self._call("POST", f"/models/{model_id}/versions", body=body))

    def get_version(self, version_id: Id) -> ModelVersion:
        return ModelVersion.from_dict(self._call("GET", f"/model_versions/{version_id}"))

    def find_version(
        self,
        *,
        name: str | None = None,
        model_id: Id | None = None,
        version_id: Id | None = None,
    ) -> ModelVersion:
        query = _present(name=name, registered_model_id=model_id, externalId=version_id)
        return ModelVersion.from_dict(self._call("GET", "/model_version", query=query))

    def list_versions(
        self,
        model_id: Id | None = None,
        *,
        state: str | None = None,
        status: str | None = None,
        labels: Labels | None = None,
        sort_by: str | None = None,
        order: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        page_token: str | None = None,
    ) -> ModelVersionList:
        """One page of a model's versions, or of the whole project's."""
        path = "/model_versions" if model_id is None else f"/models/{model_id}/versions"
        query = dict(state=state, status=status, label=_label_filters(labels), sort_by=sort_by, order=order,
                     limit=limit, offset=offset, page_token=page_token)
        return ModelVersionList.from_dict(self._call("GET", path, query=query))

    def iter_versions(self, model_id: Id | None = None, *, page_size: int = 100,
                      **filters: Any) -> Iterator[ModelVersion]:
        """Every version matching the filters of `list_versions`, page after page."""
        return self._pages(
            lambda limit, token: self.list_versions(model_id, **filters, limit=limit, page_token=token), page_size)

    def update_version(
        self,
        version_id: Id,
        *,
        name: str | None = None,
        description: str | None = None,
        is_default: bool | None = None,
        state: str | None = None,
        status: str | None = None,
        artifact_type: str | None = None,
        model_framework: str | None = None,
        model_framework_version: str | None = None,
        container_image: str | None = None,
        uri: str | None = None,
        labels: Labels | None = None,
    ) -> ModelVersion:
        body = _present(name=name, description=description, is_default=is_default, state=state, status=status,
                        artifact_type=artifact_type, model_framework=model_framework,
                        model_framework_version=model_framework_version, container_image=container_image,
                        uri=uri, labels=labels)
        return ModelVersion.from_dict(self._call("PATCH", f"/model_versions/{version_id}", body=body))

    def delete_version(self, version_id: Id) -> None:
        """Deletes a version that is neither READY nor the model's default."""
        self._call("DELETE", f"/model_versions/{version_id}")

    # ------------------------------------------------------------ artifacts

    def create_artifact(
        self,
        model_id: Id,
        name: str,
        *,
        uri: str,
        model_framework: str,
        model_framework_version: str,
        description: str | None = None,
        artifact_type: str | None = None,
        container_image: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        labels: Labels | None = None,
        prebuilt_container_id: Id | None = None,
    ) -> ModelArtifact:
        body = _present(registered_model_id=model_id, name=name, uri=uri, model_framework=model_framework,
                        model_framework_version=model_framework_version, description=description,
                        artifact_type=artifact_type, container_image=container_image, access_key=access_key,
                        secret_key=secret_key, labels=labels, prebuilt_container_id=prebuilt_container_id)
        return ModelArtifact.from_dict(self._call("POST", "/model_artifacts", body=body))

    def get_artifact(self, artifact_id: Id) -> ModelArtifact:
        return ModelArtifact.from_dict(self._call("GET", f"/model_artifacts/{artifact_id}"))

    def find_artifact(
        self,
        *,
        name: str | None = None,
        model_id: Id | None = None,
        artifact_id: Id | None = None,
    ) -> ModelArtifact:
        query = _present(name=name, registered_model_id=model_id, externalId=artifact_id)
        return ModelArtifact.from_dict(self._call("GET", "/model_artifact", query=query))

    def list_artifacts(
        self,
        *,
        model_id: Id | None = None,
        state: str | None = None,
        status: str | None = None,
        labels: Labels | None = None,
        sort_by: str | None = None,
        order: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        page_token: str | None = None,
    ) -> ModelArtifactList:
        query = dict(registered_model_id=model_id, state=state, status=status, label=_label_filters(labels),
                     sort_by=sort_by, order=order, limit=limit, offset=offset, page_token=page_token)
        return ModelArtifactList.from_dict(self._call("GET", "/model_artifacts", query=query))

    def iter_artifacts(self, *, page_size: int = 100, **filters: Any) -> Iterator[ModelArtifact]:
        """Every artifact matching the filters of `list_artifacts`, page after page."""
        return self._pages(lambda limit, token: self.list_artifacts(**filters, limit=limit, page_token=token),
                           page_size)

    def update_artifact(
        self,
        artifact_id: Id,
        *,
        name: str | None = None,
        description: str | None = None,
        artifact_type: str | None = None,
        model_framework: str | None = None,
        model_framework_version: str | None = None,
        container_image: str | None = None,
        uri: str | None = None,
        labels: Labels | None = None,
    ) -> ModelArtifact:
        body = _present(name=name, description=description, artifact_type=artifact_type,
                        model_framework=model_framework, model_framework_version=model_framework_version,
                        container_image=container_image, uri=uri, labels=labels)
        return ModelArtifact.from_dict(self._call("PATCH", f"/model_artifacts/{artifact_id}", body=body))

    def delete_artifact(self, artifact_id: Id) -> None:
        """Deletes an artifact that is neither READY nor the model's default."""
        self._call("DELETE", f"/model_artifacts/{artifact_id}")

    # ------------------------------------------------------------ shortcuts

    def register_model(
        self,
        name: str,
        version: str,
        uri: str,
        *,
        region_id: Id,
        model_framework: str,
        model_framework_version: str,
        is_default: bool | None = None,
        description: str | None = None,
        labels: Labels | None = None,
    ) -> ModelVersion:
        """Registers `version` of the model `name`, creating the model first
        when the project has none of that name."""
        try:
            model = self.find_model(name=name)
        except NotFound:
            try:
                model = self.create_model(name, region_id, description=description)
            except Conflict:
                # Created meanwhile by another caller.
                model = self.find_model(name=name)
        return self.create_version(model.id, version, uri=uri, model_framework=model_framework,
                                   model_framework_version=model_framework_version, is_default=is_default,
                                   labels=labels)
