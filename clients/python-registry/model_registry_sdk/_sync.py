"""`Registry`: the blocking client, over `httpx.Client`."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

import httpx

from ._core import (
    Base,
    Call,
    Id,
    call,
    check_alias,
    check_id,
    check_limit,
    deliveries_call,
    events_call,
    follow_wait,
    label_filters,
    operation,
    parse_alias,
    parse_aliased_version,
    parse_aliases,
    parse_artifact,
    parse_artifacts,
    parse_delivery,
    parse_health,
    parse_model,
    parse_models,
    parse_nothing,
    parse_version,
    parse_versions,
    parse_webhook,
    parse_webhooks,
    tag_filters,
    webhook_body,
)
from ._errors import Conflict, NotFound, Unavailable
from ._types import (
    Alias,
    Delivery,
    DeliveryPage,
    DeploymentStatus,
    Event,
    EventPage,
    EventType,
    ModelArtifact,
    ModelVersion,
    Order,
    Page,
    RegisteredModel,
    State,
    VersionStatus,
    Webhook,
)

T = TypeVar("T")


class Registry(Base):
    """The model registry of one project, as blocking calls.

    - `base_url`: the service's root, e.g. `http://localhost:8080` (a
      trailing `/api/v1/model-registry` is accepted and dropped);
    - `project_id`: the project's UUID (a `uuid.UUID` or its text; anything
      else is a `ValueError` naming `project_id`);
    - `token`: sent as `Authorization: Bearer <token>` when the service (or
      the platform in front of it) wants one;
    - `timeout`: seconds per request before `Unavailable`;
    - `retries`: how many times a read or an update is tried again after
      `Unavailable` (0: never), waiting `backoff` seconds, then twice as
      long each time, with jitter. Creates and deletes are never retried.

    Use it as a context manager, or call `close()`.

    Example:

        import uuid
        from model_registry_sdk import Registry

        with Registry("http://localhost:8080", project_id, retries=3) as registry:
            for model in registry.iter_models(labels={"team": "nlp"}):
                print(model.name, model.version_count)
    """

    def __init__(
        self,
        base_url: str,
        project_id: Id,
        token: str | None = None,
        *,
        timeout: float = 10.0,
        retries: int = 0,
        backoff: float = 0.5,
    ) -> None:
        super().__init__(base_url, project_id, token, timeout, retries, backoff)
        self._http = httpx.Client(headers=self._headers, timeout=timeout)

    def close(self) -> None:
        """Closes the connections.

        Example:

            registry = Registry("http://localhost:8080", project_id)
            try:
                ...
            finally:
                registry.close()
        """
        self._http.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _run(self, request: Call[T]) -> T:
        attempts = self._attempts(request)
        for attempt in range(1, attempts + 1):
            try:
                try:
                    timeout = self._timeout_of(request)
                    response = self._http.request(
                        request.method, self._url(request), params=request.params,
                        json=request.body, headers=request.headers,
                        timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
                    )
                except httpx.HTTPError as error:
                    raise self._unreachable(request, error) from error
                return self._answer(request, response)
            except Unavailable:
                if attempt == attempts:
                    raise
                time.sleep(self._delay(attempt))
        raise AssertionError("unreachable")

    # ---------------------------------------------------------------- health

    @operation("health")
    def health(self) -> bool:
        """Whether the service and its database answer (`GET /healthz`):
        `False` when the service answers that its database does not;
        `Unavailable` when the service itself cannot be reached.

        Example:

            if not registry.health():
                print("the registry's database is down")
        """
        return self._run(call("health", parse_health))

    # ---------------------------------------------------------------- models

    @operation("createModel")
    def create_model(
        self,
        name: str,
        region_id: Id,
        *,
        description: str | None = None,
        model_type: str | None = None,
        tags: Mapping[str, Iterable[str]] | None = None,
        labels: Mapping[str, str] | None = None,
        parent_model_id: Id | None = None,
    ) -> RegisteredModel:
        """Creates a model, `LIVE` and `UNDEPLOYED`, with no versions.

        `tags` maps any of `frameworks`, `architectures`, `tasks`,
        `subjects` to its values. `Conflict` when the project has a model of
        that name.

        Example:

            model = registry.create_model(
                "sentiment", region_id, model_type="llm",
                tags={"frameworks": ["pytorch"]}, labels={"team": "nlp"},
            )
        """
        body = {
            "name": name, "region_id": check_id(region_id, "region_id"), "description": description,
            "model_type": model_type, "tags": None if tags is None else {k: list(v) for k, v in tags.items()},
            "labels": labels,
            "parent_model_id": None if parent_model_id is None else check_id(parent_model_id, "parent_model_id"),
        }
        return self._run(call("createModel", parse_model, body=body))

    @operation("getModel")
    def get_model(self, model_id: Id) -> RegisteredModel:
        """The model with its latest and default versions; `NotFound` when
        the project has no such model.

        Example:

            model = registry.get_model(model_id)
            if model.default_version is not None:
                print(model.default_version.uri)
        """
        path = {"model_id": check_id(model_id, "model_id")}
        return self._run(call("getModel", parse_model, path=path))

    @operation("findModel")
    def find_model(self, *, name: str | None = None, model_id: Id | None = None) -> RegisteredModel:
        """The model of this exact name (and/or id); `NotFound` when none.

        Example:

            model = registry.find_model(name="sentiment")
        """
        if name is None and model_id is None:
            raise ValueError("find_model needs name= or model_id=")
        query = {"name": name, "externalId": None if model_id is None else check_id(model_id, "model_id")}
        return self._run(call("findModel", parse_model, query=query))

    @operation("listModels")
    def list_models(
        self,
        *,
        state: State | str | None = None,
        model_type: str | None = None,
        search: str | None = None,
        labels: Mapping[str, str] | None = None,
        tags: Mapping[str, str | Iterable[str]] | None = None,
        sort_by: str | None = None,
        order: Order | str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        page_token: str | None = None,
    ) -> Page[RegisteredModel]:
        """One page of the project's models (newest first by default).

        Filters: `state`, exact `model_type`, `search` (a case-insensitive
        part of the name), `labels` (`{"team": "nlp"}`: all must match) and
        `tags` (`{"frameworks": "pytorch"}` or a list of values: all must
        match). `sort_by` is `created_at`, `updated_at`, `name` or
        `model_size`. Pass a page's `next_page_token` as `page_token` for
        the next one; `iter_models` does that for you.

        Example:

            page = registry.list_models(labels={"team": "nlp"}, limit=10)
            print(len(page), "of", page.total)
            for model in page:
                print(model.name)
        """
        query = {
            "state": state, "model_type": model_type, "search": search, "label": label_filters(labels),
            "tag": tag_filters(tags), "sort_by": sort_by, "order": order, "limit": limit, "offset": offset,
            "page_token": page_token,
        }
        return self._run(call("listModels", parse_models, query=query))

    @operation("listModels")
    def iter_models(
        self,
        *,
        state: State | str | None = None,
        model_type: str | None = None,
        search: str | None = None,
        labels: Mapping[str, str] | None = None,
        tags: Mapping[str, str | Iterable[str]] | None = None,
        sort_by: str | None = None,
        order: Order | str | None = None,
        page_size: int = 100,
    ) -> Iterator[RegisteredModel]:
        """Every model matching the filters of `list_models`, fetching page
        after page as it goes (each page continues after the last one, so
        models created meanwhile neither repeat nor shift it).

        Example:

            names = [model.name for model in registry.iter_models(state="LIVE")]
        """
        limit, token = check_limit(page_size), None
        while True:
            page = self.list_models(state=state, model_type=model_type, search=search, labels=labels, tags=tags,
                                    sort_by=sort_by, order=order, limit=limit, page_token=token)
            yield from page
            if page.next_page_token is None:
                return
            token = page.next_page_token

    @operation("updateModel")
    def update_model(
        self,
        model_id: Id,
        *,
        name: str | None = None,
        description: str | None = None,
        model_type: str | None = None,
        model_size: int | None = None,
        state: State | str | None = None,
        deployment_status: DeploymentStatus | str | None = None,
        tags: Mapping[str, Iterable[str]] | None = None,
        labels: Mapping[str, str] | None = None,
        if_match: str | None = None,
    ) -> RegisteredModel:
        """Changes the fields given (`None` leaves one as it is); `tags` and
        `labels` replace the whole value. With `if_match` (an `etag` from a
        get), `PreconditionFailed` when the model changed since.

        Example:

            model = registry.update_model(model_id, state="ARCHIVED", labels={"team": "nlp"})
        """
        path = {"model_id": check_id(model_id, "model_id")}
        body = {
            "name": name, "description": description, "model_type": model_type, "model_size": model_size,
            "state": state, "deployment_status": deployment_status,
            "tags": None if tags is None else {k: list(v) for k, v in tags.items()}, "labels": labels,
        }
        return self._run(call("updateModel", parse_model, path=path, body=body, if_match=if_match))

    @operation("deleteModel")
    def delete_model(self, model_id: Id, *, if_match: str | None = None) -> None:
        """Deletes an `ARCHIVED` model none of whose versions is `READY`,
        with its versions; else `InvalidArgument`.

        Example:

            registry.update_model(model_id, state="ARCHIVED")
            registry.delete_model(model_id)
        """
        path = {"model_id": check_id(model_id, "model_id")}
        self._run(call("deleteModel", parse_nothing, path=path, if_match=if_match))

    # -------------------------------------------------------------- versions

    @operation("createModelVersion")
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
        labels: Mapping[str, str] | None = None,
        prebuilt_container_id: Id | None = None,
    ) -> ModelVersion:
        """Adds a version (`LIVE`, `PENDING`) to a model. `is_default=True`
        makes it the model's one default version. `access_key` and
        `secret_key` are stored, never shown. `Conflict` when the model has
        a version of that name.

        Example:

            version = registry.create_version(
                model.id, "v1", uri="s3://models/sentiment/v1",
                model_framework="pytorch", model_framework_version="2.3", is_default=True,
            )
        """
        path = {"model_id": check_id(model_id, "model_id")}
        body = {
            "name": name, "uri": uri, "model_framework": model_framework,
            "model_framework_version": model_framework_version, "description": description,
            "is_default": is_default, "artifact_type": artifact_type, "container_image": container_image,
            "model_catalog_name": model_catalog_name, "access_key": access_key, "secret_key": secret_key,
            "labels": labels,
            "prebuilt_container_id": None if prebuilt_container_id is None
            else check_id(prebuilt_container_id, "prebuilt_container_id"),
        }
        return self._run(call("createModelVersion", parse_version, path=path, body=body))

    @operation("getModelVersionById", "getModelVersion")
    def get_version(self, version_id: Id, *, model_id: Id | None = None) -> ModelVersion:
        """A version by its id; with `model_id`, `NotFound` unless it is
        that model's.

        Example:

            version = registry.get_version(version_id)
            print(version.status, version.uri)
        """
        if model_id is None:
            path = {"version_id": check_id(version_id, "version_id")}
            return self._run(call("getModelVersionById", parse_version, path=path))
        path = {"model_id": check_id(model_id, "model_id"), "version_id": check_id(version_id, "version_id")}
        return self._run(call("getModelVersion", parse_version, path=path))

    @operation("findModelVersion")
    def find_version(
        self,
        *,
        name: str | None = None,
        model_id: Id | None = None,
        version_id: Id | None = None,
    ) -> ModelVersion:
        """The version of this name (the newest, when several models have
        one), narrowed to a model by `model_id`; `NotFound` when none.

        Example:

            version = registry.find_version(name="v1", model_id=model.id)
        """
        if name is None and version_id is None:
            raise ValueError("find_version needs name= or version_id=")
        query = {
            "name": name,
            "registered_model_id": None if model_id is None else check_id(model_id, "model_id"),
            "externalId": None if version_id is None else check_id(version_id, "version_id"),
        }
        return self._run(call("findModelVersion", parse_version, query=query))

    @operation("listModelVersions", "listAllModelVersions")
    def list_versions(
        self,
        model_id: Id | None = None,
        *,
        state: State | str | None = None,
        status: VersionStatus | str | None = None,
        labels: Mapping[str, str] | None = None,
        sort_by: str | None = None,
        order: Order | str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        page_token: str | None = None,
    ) -> Page[ModelVersion]:
        """One page of a model's versions, or (without `model_id`) of every
        model's in the project. Filters: `state`, `status`, `labels` (all
        must match). `sort_by` is `created_at`, `updated_at` or `name`.

        Example:

            page = registry.list_versions(model.id, status="READY")
            newest = page[0] if page else None
        """
        query = {
            "state": state, "status": status, "label": label_filters(labels), "sort_by": sort_by,
            "order": order, "limit": limit, "offset": offset, "page_token": page_token,
        }
        if model_id is None:
            return self._run(call("listAllModelVersions", parse_versions, query=query))
        path = {"model_id": check_id(model_id, "model_id")}
        return self._run(call("listModelVersions", parse_versions, path=path, query=query))

    @operation("listModelVersions", "listAllModelVersions")
    def iter_versions(
        self,
        model_id: Id | None = None,
        *,
        state: State | str | None = None,
        status: VersionStatus | str | None = None,
        labels: Mapping[str, str] | None = None,
        sort_by: str | None = None,
        order: Order | str | None = None,
        page_size: int = 100,
    ) -> Iterator[ModelVersion]:
        """Every version matching the filters of `list_versions`, page after
        page.

        Example:

            for version in registry.iter_versions(model.id):
                print(version.name, version.status)
        """
        limit, token = check_limit(page_size), None
        while True:
            page = self.list_versions(model_id, state=state, status=status, labels=labels, sort_by=sort_by,
                                      order=order, limit=limit, page_token=token)
            yield from page
            if page.next_page_token is None:
                return
            token = page.next_page_token

    @operation("updateModelVersionById", "updateModelVersion")
    def update_version(
        self,
        version_id: Id,
        *,
        model_id: Id | None = None,
        name: str | None = None,
        description: str | None = None,
        is_default: bool | None = None,
        state: State | str | None = None,
        status: VersionStatus | str | None = None,
        artifact_type: str | None = None,
        model_framework: str | None = None,
        model_framework_version: str | None = None,
        container_image: str | None = None,
        uri: str | None = None,
        labels: Mapping[str, str] | None = None,
        if_match: str | None = None,
    ) -> ModelVersion:
        """Changes the fields given (`None` leaves one as it is); `labels`
        replaces the whole map; `is_default=True` makes it the model's one
        default. With `model_id`, `NotFound` unless it is that model's.

        Example:

            version = registry.update_version(version.id, status="READY", is_default=True)
        """
        body = {
            "name": name, "description": description, "is_default": is_default, "state": state,
            "status": status, "artifact_type": artifact_type, "model_framework": model_framework,
            "model_framework_version": model_framework_version, "container_image": container_image,
            "uri": uri, "labels": labels,
        }
        if model_id is None:
            path = {"version_id": check_id(version_id, "version_id")}
            return self._run(call("updateModelVersionById", parse_version, path=path, body=body,
                                  if_match=if_match))
        path = {"model_id": check_id(model_id, "model_id"), "version_id": check_id(version_id, "version_id")}
        return self._run(call("updateModelVersion", parse_version, path=path, body=body, if_match=if_match))

    @operation("deleteModelVersionById", "deleteModelVersion")
    def delete_version(self, version_id: Id, *, model_id: Id | None = None, if_match: str | None = None) -> None:
        """Deletes a version that is neither `READY` nor the model's default
        (else `InvalidArgument`), nor named by an alias (else `Conflict`,
        naming the alias). With `model_id`, `NotFound` unless it is that
        model's.

        Example:

            registry.delete_version(version.id)
        """
        if model_id is None:
            path = {"version_id": check_id(version_id, "version_id")}
            self._run(call("deleteModelVersionById", parse_nothing, path=path, if_match=if_match))
            return
        path = {"model_id": check_id(model_id, "model_id"), "version_id": check_id(version_id, "version_id")}
        self._run(call("deleteModelVersion", parse_nothing, path=path, if_match=if_match))

    # ------------------------------------------------------------- artifacts

    @operation("createModelArtifact")
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
        labels: Mapping[str, str] | None = None,
        prebuilt_container_id: Id | None = None,
    ) -> ModelArtifact:
        """Adds an artifact to a model (stored as a `PENDING` version, not
        the default). `Conflict` when the model has one of that name.

        Example:

            onnx = registry.create_artifact(
                model.id, "onnx-export", uri="s3://artifacts/onnx-v1", artifact_type="onnx",
                model_framework="pytorch", model_framework_version="2.3",
            )
        """
        body = {
            "registered_model_id": check_id(model_id, "model_id"), "name": name, "uri": uri,
            "model_framework": model_framework, "model_framework_version": model_framework_version,
            "description": description, "artifact_type": artifact_type, "container_image": container_image,
            "access_key": access_key, "secret_key": secret_key, "labels": labels,
            "prebuilt_container_id": None if prebuilt_container_id is None
            else check_id(prebuilt_container_id, "prebuilt_container_id"),
        }
        return self._run(call("createModelArtifact", parse_artifact, body=body))

    @operation("getModelArtifact")
    def get_artifact(self, artifact_id: Id) -> ModelArtifact:
        """An artifact by its id; `NotFound` when the project has none.

        Example:

            artifact = registry.get_artifact(artifact_id)
        """
        path = {"artifact_id": check_id(artifact_id, "artifact_id")}
        return self._run(call("getModelArtifact", parse_artifact, path=path))

    @operation("findModelArtifact")
    def find_artifact(
        self,
        *,
        name: str | None = None,
        model_id: Id | None = None,
        artifact_id: Id | None = None,
    ) -> ModelArtifact:
        """The artifact of this name (the newest, when several match),
        narrowed to a model by `model_id`; `NotFound` when none.

        Example:

            artifact = registry.find_artifact(name="onnx-export", model_id=model.id)
        """
        if name is None and artifact_id is None:
            raise ValueError("find_artifact needs name= or artifact_id=")
        query = {
            "name": name,
            "registered_model_id": None if model_id is None else check_id(model_id, "model_id"),
            "externalId": None if artifact_id is None else check_id(artifact_id, "artifact_id"),
        }
        return self._run(call("findModelArtifact", parse_artifact, query=query))

    @operation("listModelArtifacts")
    def list_artifacts(
        self,
        *,
        model_id: Id | None = None,
        state: State | str | None = None,
        status: VersionStatus | str | None = None,
        labels: Mapping[str, str] | None = None,
        sort_by: str | None = None,
        order: Order | str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        page_token: str | None = None,
    ) -> Page[ModelArtifact]:
        """One page of the project's artifacts, or of one model's.

        Example:

            page = registry.list_artifacts(model_id=model.id, labels={"format": "onnx"})
        """
        query = {
            "registered_model_id": None if model_id is None else check_id(model_id, "model_id"),
            "state": state, "status": status, "label": label_filters(labels), "sort_by": sort_by,
            "order": order, "limit": limit, "offset": offset, "page_token": page_token,
        }
        return self._run(call("listModelArtifacts", parse_artifacts, query=query))

    @operation("listModelArtifacts")
    def iter_artifacts(
        self,
        *,
        model_id: Id | None = None,
        state: State | str | None = None,
        status: VersionStatus | str | None = None,
        labels: Mapping[str, str] | None = None,
        sort_by: str | None = None,
        order: Order | str | None = None,
        page_size: int = 100,
    ) -> Iterator[ModelArtifact]:
        """Every artifact matching the filters of `list_artifacts`, page
        after page.

        Example:

            uris = [artifact.uri for artifact in registry.iter_artifacts(model_id=model.id)]
        """
        limit, token = check_limit(page_size), None
        while True:
            page = self.list_artifacts(model_id=model_id, state=state, status=status, labels=labels,
                                       sort_by=sort_by, order=order, limit=limit, page_token=token)
            yield from page
            if page.next_page_token is None:
                return
            token = page.next_page_token

    @operation("updateModelArtifact")
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
        labels: Mapping[str, str] | None = None,
        if_match: str | None = None,
    ) -> ModelArtifact:
        """Changes the fields given (`None` leaves one as it is); `labels`
        replaces the whole map.

        Example:

            artifact = registry.update_artifact(artifact.id, uri="s3://artifacts/onnx-v2")
        """
        path = {"artifact_id": check_id(artifact_id, "artifact_id")}
        body = {
            "name": name, "description": description, "artifact_type": artifact_type,
            "model_framework": model_framework, "model_framework_version": model_framework_version,
            "container_image": container_image, "uri": uri, "labels": labels,
        }
        return self._run(call("updateModelArtifact", parse_artifact, path=path, body=body, if_match=if_match))

    @operation("deleteModelArtifact")
    def delete_artifact(self, artifact_id: Id, *, if_match: str | None = None) -> None:
        """Deletes an artifact that is neither `READY` nor the model's
        default (else `InvalidArgument`), nor named by an alias (else
        `Conflict`, naming the alias).

        Example:

            registry.delete_artifact(artifact.id)
        """
        path = {"artifact_id": check_id(artifact_id, "artifact_id")}
        self._run(call("deleteModelArtifact", parse_nothing, path=path, if_match=if_match))

    # --------------------------------------------------------------- aliases

    @operation("setAlias")
    def set_alias(self, model_id: Id, alias: str, version_id: Id, *, if_match: str | None = None) -> Alias:
        """Points the model's alias `alias` (`champion`, `staging`, ...) at
        one of its versions: creates the alias, or moves it, in one step.
        Setting it to the version it already names changes nothing.

        With `if_match` (the `etag` of an `Alias` this method answered),
        `PreconditionFailed` when the alias has moved since (or no longer
        exists), and nothing changes. `NotFound` for an unknown model or
        version; `InvalidArgument` for a version of another model, or the
        reserved names `latest` and `default`. A name outside
        `^[a-z][a-z0-9_-]{0,62}$` is a `ValueError`, before any call.

        Example:

            champion = registry.set_alias(model.id, "champion", v1.id)
            # Later: move it to v2, unless someone moved it meanwhile.
            champion = registry.set_alias(model.id, "champion", v2.id, if_match=champion.etag)
        """
        path = {"model_id": check_id(model_id, "model_id"), "alias": check_alias(alias)}
        body = {"version_id": check_id(version_id, "version_id")}
        return self._run(call("setAlias", parse_alias, path=path, body=body, if_match=if_match))

    @operation("getAlias")
    def get_alias(self, model_id: Id, alias: str) -> ModelVersion:
        """The version the model's alias names (its `aliases` include
        `alias`); `NotFound` when the model, or such an alias of it, does
        not exist.

        Example:

            champion = registry.get_alias(model.id, "champion")
            print(champion.name, champion.uri)
        """
        path = {"model_id": check_id(model_id, "model_id"), "alias": check_alias(alias)}
        return self._run(call("getAlias", parse_aliased_version, path=path))

    @operation("listAliases")
    def list_aliases(self, model_id: Id) -> list[Alias]:
        """Every alias of the model, sorted by name (not paged: a model has
        few); `NotFound` for an unknown model.

        Example:

            for alias in registry.list_aliases(model.id):
                print(alias.alias, "->", alias.version_id)
        """
        path = {"model_id": check_id(model_id, "model_id")}
        return self._run(call("listAliases", parse_aliases, path=path))

    @operation("deleteAlias")
    def delete_alias(self, model_id: Id, alias: str, *, if_match: str | None = None) -> None:
        """Deletes the model's alias; the version it named stays. With
        `if_match`, `PreconditionFailed` when the alias has moved since.
        `NotFound` when the model, or such an alias of it, does not exist.

        Example:

            registry.delete_alias(model.id, "staging")
        """
        path = {"model_id": check_id(model_id, "model_id"), "alias": check_alias(alias)}
        self._run(call("deleteAlias", parse_nothing, path=path, if_match=if_match))

    # ---------------------------------------------------------------- events

    @operation("listEvents")
    def list_events(
        self,
        after: str | None = None,
        *,
        types: EventType | str | Iterable[EventType | str] | None = None,
        model_id: Id | None = None,
        limit: int | None = None,
        wait: int = 0,
    ) -> EventPage:
        """One page of the project's change feed: the events after the
        cursor `after` (an event's `id` or a page's `next_cursor`; `None`:
        from the oldest event kept), oldest first, and `next_cursor`, where
        the next page starts. `events()` walks them for you.

        - `types`: only events of these types (one, or several);
        - `model_id`: only the events of this model and its versions;
        - `limit`: page size, 1..1000 (the service's default: 100);
        - `wait`: when nothing follows `after`, the service holds the answer
          up to this many seconds (0..30) until an event commits. The
          request's read timeout is the client's `timeout` plus `wait`.

        `CursorExpired` when retention removed the events after `after`;
        `InvalidArgument` (naming `after`) for a cursor that is not one of
        this project's.

        Example:

            page = registry.list_events(limit=100)
            for event in page:
                print(event.type, event.model_id)
            page = registry.list_events(after=page.next_cursor, wait=25)  # held until something happens
        """
        return self._run(events_call(after, types, model_id, limit, wait))

    @operation("listEvents")
    def events(
        self,
        after: str | None = None,
        *,
        follow: bool = False,
        types: EventType | str | Iterable[EventType | str] | None = None,
        model_id: Id | None = None,
        limit: int | None = None,
        wait: int | None = None,
    ) -> Iterator[Event]:
        """Every event after the cursor `after` (`None`: from the oldest
        kept), oldest first, following `next_cursor` page after page: each
        committed event exactly once, never a gap.

        - `follow=False`: stops at the end of the feed (the first empty
          page);
        - `follow=True`: never stops; at the end of the feed each request is
          held by the service up to `wait` seconds (default 25, 1..30) until
          an event commits, so a quiet feed costs one request per `wait`,
          and a new event arrives as soon as it commits;
        - `types`, `model_id`, `limit`: as in `list_events`.

        To resume after a restart, keep the `id` of the last event handled
        and pass it as `after`. `CursorExpired` when retention removed the
        events after it; `Unavailable` (after `retries`) when the service
        cannot be reached.

        Example:

            with Registry("http://localhost:8080", project_id) as registry:
                for event in registry.events(after=saved_cursor, follow=True,
                                                 types=["version.updated"]):
                    if event.changes and event.changes.get("status", {}).get("to") == "READY":
                        deploy(event.version_id)
                    saved_cursor = event.id
        """
        hold = follow_wait(follow, wait)
        cursor = after
        while True:
            page = self._run(events_call(cursor, types, model_id, limit, hold))
            yield from page
            if not page and not follow:
                return
            cursor = page.next_cursor

    # -------------------------------------------------------------- webhooks

    @operation("createWebhook")
    def create_webhook(
        self,
        url: str,
        *,
        event_types: EventType | str | Iterable[EventType | str] | None = None,
        description: str | None = None,
    ) -> Webhook:
        """Registers a webhook: every event of the project committed from now
        on whose type is in `event_types` (all of them when `None`) is
        POSTed to `url`, signed. The answer's `secret` is the only time the
        service shows it: keep it for `verify_webhook` in the receiver.

        `InvalidArgument` (naming `url`) for a URL that is not http(s),
        carries credentials, or names a host that is, or resolves to, a
        non-public address (loopback, private, ...) outside the service's
        `WEBHOOK_ALLOWED_NETWORKS`, and for an unknown event type;
        `Conflict` when the project has 100 webhooks already.

        Example:

            webhook = registry.create_webhook(
                "https://hooks.example/registry", event_types=[EventType.VERSION_UPDATED],
                description="deploy what becomes READY",
            )
            store_secret(webhook.id, webhook.secret)  # shown this once
        """
        body = webhook_body(url, event_types, description)
        return self._run(call("createWebhook", parse_webhook, body=body))

    @operation("listWebhooks")
    def list_webhooks(self) -> list[Webhook]:
        """Every webhook of the project, newest first (not paged: a project
        has at most 100), without their secrets.

        Example:

            for webhook in registry.list_webhooks():
                print(webhook.url, webhook.event_types, "enabled" if webhook.enabled else "disabled")
        """
        return self._run(call("listWebhooks", parse_webhooks))

    @operation("getWebhook")
    def get_webhook(self, webhook_id: Id) -> Webhook:
        """A webhook (its `secret` is `None`: the service shows it only at
        creation); `enabled` is `False` when it was disabled, by its owner
        or after 100 failed deliveries in a row. `NotFound` when the project
        has no such webhook.

        Example:

            webhook = registry.get_webhook(webhook_id)
            if not webhook.enabled:
                print("disabled: its deliveries say why")
        """
        path = {"webhook_id": check_id(webhook_id, "webhook_id")}
        return self._run(call("getWebhook", parse_webhook, path=path))

    @operation("updateWebhook")
    def update_webhook(
        self,
        webhook_id: Id,
        *,
        url: str | None = None,
        event_types: EventType | str | Iterable[EventType | str] | None = None,
        description: str | None = None,
        enabled: bool | None = None,
        if_match: str | None = None,
    ) -> Webhook:
        """Changes the fields given (`None` leaves one as it is); a new
        `url` is checked as at creation, `event_types` replaces the list.
        `enabled=False` stops deliveries (events meanwhile are not
        delivered to it); `enabled=True` starts them again and forgets the
        failures that disabled it. The secret stays. With `if_match` (an
        `etag` from `get_webhook`), `PreconditionFailed` if it changed since.

        Example:

            registry.update_webhook(webhook.id, enabled=False)
            webhook = registry.update_webhook(webhook.id, url="https://hooks.example/v2", enabled=True)
        """
        path = {"webhook_id": check_id(webhook_id, "webhook_id")}
        body = webhook_body(url, event_types, description, enabled)
        return self._run(
            call("updateWebhook", parse_webhook, path=path, body=body, if_match=if_match)
        )

    @operation("deleteWebhook")
    def delete_webhook(self, webhook_id: Id, *, if_match: str | None = None) -> None:
        """Deletes a webhook and its deliveries' log; its pending deliveries
        are dropped. `NotFound` when the project has no such webhook; with
        `if_match` (an `etag` from `get_webhook`), `PreconditionFailed` if it
        changed since.

        Example:

            registry.delete_webhook(webhook.id)
        """
        path = {"webhook_id": check_id(webhook_id, "webhook_id")}
        self._run(call("deleteWebhook", parse_nothing, path=path, if_match=if_match))

    @operation("pingWebhook")
    def ping_webhook(self, webhook_id: Id) -> Delivery:
        """Sends the webhook a `webhook.ping` event (`data`:
        `{"webhook_id": ...}`), in the background and signed like any other;
        answers its delivery, `pending`. Its outcome appears in
        `list_deliveries`.

        Example:

            ping = registry.ping_webhook(webhook.id)
            # a moment later:
            print([d.status for d in registry.list_deliveries(webhook.id) if d.id == ping.id])
        """
        path = {"webhook_id": check_id(webhook_id, "webhook_id")}
        return self._run(call("pingWebhook", parse_delivery, path=path))

    @operation("listWebhookDeliveries")
    def list_deliveries(
        self,
        webhook_id: Id,
        *,
        limit: int | None = None,
        page_token: str | None = None,
    ) -> DeliveryPage:
        """One page of the webhook's deliveries, newest first, each with what
        its attempts did (`limit` 1..100, the service's default 20). Pass a
        page's `next_page_token` as `page_token` for the next one;
        `iter_deliveries` does that for you. `NotFound` for an unknown
        webhook.

        Example:

            for delivery in registry.list_deliveries(webhook.id, limit=10):
                print(delivery.event_type, delivery.status, delivery.response_status, delivery.error)
        """
        return self._run(deliveries_call(webhook_id, limit, page_token))

    @operation("listWebhookDeliveries")
    def iter_deliveries(self, webhook_id: Id, *, page_size: int = 100) -> Iterator[Delivery]:
        """Every delivery of the webhook, newest first, page after page.

        Example:

            failed = [d for d in registry.iter_deliveries(webhook.id) if d.status == "failed"]
        """
        limit, token = check_limit(page_size), None
        while True:
            page = self.list_deliveries(webhook_id, limit=limit, page_token=token)
            yield from page
            if page.next_page_token is None:
                return
            token = page.next_page_token

    @operation("redeliverWebhookDelivery")
    def redeliver(self, webhook_id: Id, delivery_id: Id) -> Delivery:
        """Delivers a delivery's event again, whatever became of it: a new
        delivery (answered `pending`) of the same body, with the same
        `event_id`, so the same `webhook-id` header. `NotFound` for an
        unknown webhook, or a delivery not of it.

        Example:

            for delivery in registry.iter_deliveries(webhook.id):
                if delivery.status == "failed":
                    registry.redeliver(webhook.id, delivery.id)
        """
        path = {
            "webhook_id": check_id(webhook_id, "webhook_id"),
            "delivery_id": check_id(delivery_id, "delivery_id"),
        }
        return self._run(call("redeliverWebhookDelivery", parse_delivery, path=path))

    # ------------------------------------------------------------- shortcuts

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
        labels: Mapping[str, str] | None = None,
    ) -> ModelVersion:
        """Registers `version` of the model `name`, creating the model first
        when the project has none of that name (`description` is the
        model's; `labels` the version's).

        Example:

            v1 = registry.register_model(
                "sentiment", "v1", "s3://models/sentiment/v1", region_id=region_id,
                model_framework="pytorch", model_framework_version="2.3", is_default=True,
            )
        """
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

