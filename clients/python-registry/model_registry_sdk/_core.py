"""What the sync and the async client share: the operations, how each call
is built, how an answer (or its absence) becomes a value or an exception.

Adding an operation of the API: one line in `OPERATIONS` (its operationId,
method and path exactly as in openapi/model-registry.yaml), a builder below,
and a method in `Registry` and in `AsyncRegistry` marked
`@operation("thatOperationId")`. clients/tests/test_sdk_coverage.py fails
until all three agree with the spec.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx

from ._errors import ERRORS_BY_CODE, ERRORS_BY_STATUS, RegistryError, RouteNotFound, Unavailable
from ._types import (
    Alias,
    Delivery,
    DeliveryPage,
    EventPage,
    EventType,
    ModelArtifact,
    ModelVersion,
    Page,
    RegisteredModel,
    Webhook,
)

BASE_PATH = "/api/v1/model-registry"

#: Every operation of the API: operationId → (HTTP method, path).
OPERATIONS: dict[str, tuple[str, str]] = {
    "health": ("GET", "/healthz"),
    "createModel": ("POST", f"{BASE_PATH}/models"),
    "listModels": ("GET", f"{BASE_PATH}/models"),
    "getModel": ("GET", f"{BASE_PATH}/models/{{model_id}}"),
    "updateModel": ("PATCH", f"{BASE_PATH}/models/{{model_id}}"),
    "deleteModel": ("DELETE", f"{BASE_PATH}/models/{{model_id}}"),
    "findModel": ("GET", f"{BASE_PATH}/model"),
    "createModelVersion": ("POST", f"{BASE_PATH}/models/{{model_id}}/versions"),
    "listModelVersions": ("GET", f"{BASE_PATH}/models/{{model_id}}/versions"),
    "getModelVersion": ("GET", f"{BASE_PATH}/models/{{model_id}}/versions/{{version_id}}"),
    "updateModelVersion": ("PATCH", f"{BASE_PATH}/models/{{model_id}}/versions/{{version_id}}"),
    "deleteModelVersion": ("DELETE", f"{BASE_PATH}/models/{{model_id}}/versions/{{version_id}}"),
    "listAllModelVersions": ("GET", f"{BASE_PATH}/model_versions"),
    "getModelVersionById": ("GET", f"{BASE_PATH}/model_versions/{{version_id}}"),
    "updateModelVersionById": ("PATCH", f"{BASE_PATH}/model_versions/{{version_id}}"),
    "deleteModelVersionById": ("DELETE", f"{BASE_PATH}/model_versions/{{version_id}}"),
    "findModelVersion": ("GET", f"{BASE_PATH}/model_version"),
    "createModelArtifact": ("POST", f"{BASE_PATH}/model_artifacts"),
    "listModelArtifacts": ("GET", f"{BASE_PATH}/model_artifacts"),
    "getModelArtifact": ("GET", f"{BASE_PATH}/model_artifacts/{{artifact_id}}"),
    "updateModelArtifact": ("PATCH", f"{BASE_PATH}/model_artifacts/{{artifact_id}}"),
    "deleteModelArtifact": ("DELETE", f"{BASE_PATH}/model_artifacts/{{artifact_id}}"),
    "findModelArtifact": ("GET", f"{BASE_PATH}/model_artifact"),
    "listAliases": ("GET", f"{BASE_PATH}/models/{{model_id}}/aliases"),
    "setAlias": ("PUT", f"{BASE_PATH}/models/{{model_id}}/aliases/{{alias}}"),
    "getAlias": ("GET", f"{BASE_PATH}/models/{{model_id}}/aliases/{{alias}}"),
    "deleteAlias": ("DELETE", f"{BASE_PATH}/models/{{model_id}}/aliases/{{alias}}"),
    "listEvents": ("GET", f"{BASE_PATH}/events"),
    "createWebhook": ("POST", f"{BASE_PATH}/webhooks"),
    "listWebhooks": ("GET", f"{BASE_PATH}/webhooks"),
    "getWebhook": ("GET", f"{BASE_PATH}/webhooks/{{webhook_id}}"),
    "updateWebhook": ("PATCH", f"{BASE_PATH}/webhooks/{{webhook_id}}"),
    "deleteWebhook": ("DELETE", f"{BASE_PATH}/webhooks/{{webhook_id}}"),
    "pingWebhook": ("POST", f"{BASE_PATH}/webhooks/{{webhook_id}}/ping"),
    "listWebhookDeliveries": ("GET", f"{BASE_PATH}/webhooks/{{webhook_id}}/deliveries"),
    "redeliverWebhookDelivery": (
        "POST", f"{BASE_PATH}/webhooks/{{webhook_id}}/deliveries/{{delivery_id}}/redeliver",
    ),
}

# Retried on `Unavailable` when `retries` > 0: reads, PATCH, which sets the
# fields it names to the values it gives, and PUT, which points an alias at
# a version (repeating either changes nothing more). Never POST (a repeat
# would create twice, or deliver a ping or an event twice) nor DELETE (a
# repeat after a lost answer would answer 404).
IDEMPOTENT_METHODS = frozenset({"GET", "PATCH", "PUT"})

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

Id = uuid.UUID | str
"""An id: a `uuid.UUID` or its text."""


def operation(*operation_ids: str) -> Callable[[F], F]:
    """Marks a method as the one that calls these operations of the API."""
    for operation_id in operation_ids:
        if operation_id not in OPERATIONS:
            raise KeyError(f"unknown operation {operation_id}")

    def mark(method: F) -> F:
        method.__operations__ = operation_ids  # type: ignore[attr-defined]
        return method

    return mark


def check_id(value: Id, name: str) -> uuid.UUID:
    """`value` as a UUID, or a ValueError naming the parameter."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"{name} must be a UUID (a uuid.UUID or its text), got {value!r}") from None


#: An alias's name, as the service takes it.
ALIAS_NAME = re.compile(r"[a-z][a-z0-9_-]{0,62}")


def check_alias(value: str) -> str:
    """`value` if it is an alias name (a lowercase letter, then up to 62
    lowercase letters, digits, `_` or `-`), else a ValueError naming
    `alias`. (`latest` and `default` pass here: the service refuses them.)"""
    if not isinstance(value, str) or not ALIAS_NAME.fullmatch(value):
        raise ValueError(
            "alias must be a lowercase letter, then up to 62 lowercase letters, digits, '_' or '-' "
            f"(^[a-z][a-z0-9_-]{{0,62}}$), got {value!r}"
        )
    return value


def root_url(base_url: str) -> str:
    """The service's root from what a user may give: a trailing slash, or
    the API's base path (`.../api/v1/model-registry`), is dropped."""
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ValueError(f"base_url must be an http:// or https:// URL, got {base_url!r}")
    root = base_url.rstrip("/")
    if root.endswith(BASE_PATH):
        root = root[: -len(BASE_PATH)]
    return root


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request to send, and how to read its answer."""

    operation: str
    method: str
    path: str
    parse: Callable[[Any, httpx.Headers], T]
    params: tuple[tuple[str, str], ...] = ()
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds the service may hold the answer (the feed's `wait`): added
    #: to the client's timeout for reading this answer.
    held: float = 0


#: Sent with every request body: unknown fields are a 400 that names them,
#: and nothing is written (RFC 7240 `handling=strict`).
STRICT = "handling=strict"


def _json_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def call(
    operation_id: str,
    parse: Callable[[Any, httpx.Headers], T],
    *,
    path: Mapping[str, object] | None = None,
    query: Mapping[str, Any] | None = None,
    body: Mapping[str, Any] | None = None,
    if_match: str | None = None,
    held: float = 0,
) -> Call[T]:
    """The request of `operation_id`; `None` query and body values are left out."""
    method, template = OPERATIONS[operation_id]
    url = template.format(**{k: quote(str(v), safe="") for k, v in (path or {}).items()})
    params: list[tuple[str, str]] = []
    for key, value in (query or {}).items():
        if value is None:
            continue
        if isinstance(value, list):
            params.extend((key, _query_value(v)) for v in value)
        else:
            params.append((key, _query_value(value)))
    json_body = None if body is None else {k: _json_value(v) for k, v in body.items() if v is not None}
    headers = {} if if_match is None else {"If-Match": if_match}
    if json_body is not None:
        # A field the service does not know (a typo, or one an older service
        # lacks) is refused, naming it, instead of ignored with a Warning.
        headers["Prefer"] = STRICT
    return Call(operation_id, method, url, parse, tuple(params), json_body, headers, held)


def label_filters(labels: Mapping[str, str] | None) -> list[str] | None:
    """`label=key:value` values, one per label (all must match)."""
    if labels is None:
        return None
    return [f"{key}:{value}" for key, value in labels.items()]


def tag_filters(tags: Mapping[str, str | Iterable[str]] | None) -> list[str] | None:
    """`tag=array:value` values: `{"frameworks": "pytorch"}` or
    `{"frameworks": ["pytorch", "onnx"]}` (all must match)."""
    if tags is None:
        return None
    filters: list[str] = []
    for array, values in tags.items():
        for value in [values] if isinstance(values, str) else values:
            filters.append(f"{array}:{value}")
    return filters


#: The longest the service holds a feed request (`wait`, in seconds).
MAX_WAIT = 30

#: `wait` of `events(follow=True)` when none is given: long enough that a
#: quiet feed costs one request every 25 s, short enough for proxies' idle
#: timeouts (often 60 s).
FOLLOW_WAIT = 25


def check_wait(wait: int) -> int:
    if isinstance(wait, bool) or not isinstance(wait, int) or not 0 <= wait <= MAX_WAIT:
        raise ValueError(f"wait must be whole seconds, 0..{MAX_WAIT}, got {wait!r}")
    return wait


def follow_wait(follow: bool, wait: int | None) -> int:
    """The `wait` of each request of `events()`."""
    if wait is None:
        return FOLLOW_WAIT if follow else 0
    check_wait(wait)
    if follow and wait == 0:
        # Each empty answer would come back at once: a busy loop.
        raise ValueError("events(follow=True) needs wait of 1..30 seconds (default 25), got 0")
    return wait


def event_types(types: EventType | str | Iterable[EventType | str] | None) -> list[str] | None:
    """`type=` values: one type, or several (any may match)."""
    if types is None:
        return None
    return [str(types)] if isinstance(types, str) else [str(t) for t in types]


def webhook_body(
    url: str | None,
    types: EventType | str | Iterable[EventType | str] | None,
    description: str | None,
    enabled: bool | None = None,
) -> dict[str, Any]:
    """The body of `createWebhook` or `updateWebhook` (`None`: left out)."""
    return {"url": url, "event_types": event_types(types), "description": description, "enabled": enabled}


def deliveries_call(webhook_id: Id, limit: int | None, page_token: str | None) -> Call[DeliveryPage]:
    """The request of one page of a webhook's deliveries."""
    path = {"webhook_id": check_id(webhook_id, "webhook_id")}
    query = {"limit": limit, "page_token": page_token}
    return call("listWebhookDeliveries", parse_deliveries, path=path, query=query)


def events_call(
    after: str | None,
    types: EventType | str | Iterable[EventType | str] | None,
    model_id: Id | None,
    limit: int | None,
    wait: int,
) -> Call[EventPage]:
    """The request of one page of the feed, held up to `wait` seconds."""
    query = {
        "after": after, "limit": limit, "type": event_types(types),
        "model_id": None if model_id is None else check_id(model_id, "model_id"),
        "wait": check_wait(wait) or None,
    }
    return call("listEvents", parse_events, query=query, held=wait)


# ------------------------------------------------------------------ parsers


def parse_model(data: Any, headers: httpx.Headers) -> RegisteredModel:
    return RegisteredModel.from_json(data, headers.get("etag"))


def parse_version(data: Any, headers: httpx.Headers) -> ModelVersion:
    return ModelVersion.from_json(data, headers.get("etag"))


def parse_artifact(data: Any, headers: httpx.Headers) -> ModelArtifact:
    return ModelArtifact.from_json(data, headers.get("etag"))


def parse_alias(data: Any, headers: httpx.Headers) -> Alias:
    return Alias.from_json(data, headers.get("etag"))


def parse_aliases(data: Any, _: httpx.Headers) -> list[Alias]:
    return [Alias.from_json(item) for item in data.get("aliases", [])]


def parse_aliased_version(data: Any, _: httpx.Headers) -> ModelVersion:
    # The answer's ETag is the alias's, not the version's: not kept.
    return ModelVersion.from_json(data["version"])


def parse_models(data: Any, _: httpx.Headers) -> Page[RegisteredModel]:
    return Page.from_json(data, RegisteredModel.from_json)


def parse_versions(data: Any, _: httpx.Headers) -> Page[ModelVersion]:
    return Page.from_json(data, ModelVersion.from_json)


def parse_artifacts(data: Any, _: httpx.Headers) -> Page[ModelArtifact]:
    return Page.from_json(data, ModelArtifact.from_json)


def parse_events(data: Any, _: httpx.Headers) -> EventPage:
    return EventPage.from_json(data)


def parse_webhook(data: Any, headers: httpx.Headers) -> Webhook:
    return Webhook.from_json(data, headers.get("etag"))


def parse_webhooks(data: Any, _: httpx.Headers) -> list[Webhook]:
    return [Webhook.from_json(item) for item in data.get("webhooks", [])]


def parse_delivery(data: Any, _: httpx.Headers) -> Delivery:
    return Delivery.from_json(data)


def parse_deliveries(data: Any, _: httpx.Headers) -> DeliveryPage:
    return DeliveryPage.from_json(data)


def parse_nothing(_: Any, __: httpx.Headers) -> None:
    return None


def parse_health(data: Any, _: httpx.Headers) -> bool:
    return isinstance(data, Mapping) and data.get("status") == "ok"


# ----------------------------------------------------------------- answers


class Base:
    """The state and the answer handling both clients share."""

    def __init__(
        self,
        base_url: str,
        project_id: Id,
        token: str | None,
        timeout: float,
        retries: int,
        backoff: float,
    ) -> None:
        self.project_id: uuid.UUID = check_id(project_id, "project_id")
        """The project every call acts in."""
        self.base_url: str = root_url(base_url)
        """The service's root URL."""
        if retries < 0:
            raise ValueError(f"retries must be 0 or more, got {retries}")
        self._retries = retries
        self._backoff = backoff
        self._timeout = timeout
        self._headers = {"Project-ID": str(self.project_id), "Accept": "application/json"}
        if token is not None:
            self._headers["Authorization"] = f"Bearer {token}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r}, {str(self.project_id)!r})"

    def _url(self, request: Call[Any]) -> str:
        return self.base_url + request.path

    def _timeout_of(self, request: Call[Any]) -> httpx.Timeout | None:
        """The timeouts of a held request: reading its answer may take
        `held` seconds more than the client's timeout. `None` for others
        (the client's)."""
        if not request.held:
            return None
        return httpx.Timeout(self._timeout, read=self._timeout + request.held)

    def _attempts(self, request: Call[Any]) -> int:
        return 1 + (self._retries if request.method in IDEMPOTENT_METHODS else 0)

    def _delay(self, attempt: int) -> float:
        """Seconds before retry `attempt` (1, 2, ...): exponential, with jitter."""
        ceiling: float = min(self._backoff * 2 ** (attempt - 1), 30.0)
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _unreachable(self, request: Call[Any], error: httpx.HTTPError) -> Unavailable:
        url = self._url(request)
        if isinstance(error, httpx.TimeoutException):
            why = f"no answer within {self._timeout + request.held:g} s ({type(error).__name__})"
        elif isinstance(error, httpx.ConnectError):
            why = f"cannot connect ({error})"
        else:
            why = f"{type(error).__name__}: {error}"
        return Unavailable(
            f"the model registry at {self.base_url} is unreachable: {why}",
            code="unavailable", method=request.method, url=url,
        )

    def _answer(self, request: Call[T], response: httpx.Response) -> T:
        """The parsed answer, or the `RegistryError` it stands for."""
        url = self._url(request)
        request_id = response.headers.get("x-request-id")
        body: Any = None
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        is_error_body = isinstance(body, Mapping) and isinstance(body.get("error"), str)
        if request.operation == "health" and response.status_code in (200, 503) and isinstance(body, Mapping) \
                and "status" in body:
            return request.parse(body, response.headers)
        if response.is_success and body is not None and not is_error_body:
            return request.parse(body, response.headers)
        status = response.status_code
        if is_error_body:
            code = str(body.get("code") or "unknown")
            message = str(body["error"])
            kind = ERRORS_BY_CODE.get(code) or ERRORS_BY_STATUS.get(status, RegistryError)
        else:
            # Not the registry's JSON: another server, or a proxy's page.
            code = "unknown"
            kind = ERRORS_BY_STATUS.get(status, RegistryError)
            if response.is_success or status == 404:
                kind = RouteNotFound
            message = f"the answer ({status} {response.headers.get('content-type', 'no content type')}) " \
                "is not the model registry's"
        if kind is RouteNotFound:
            code = "route_not_found" if code == "unknown" else code
            message = f"{url} reaches no route of the model registry's API: check the base URL " \
                f"({self.base_url!r}; it is the service's root, such as 'http://localhost:8080')"
        raise kind(message, status=status, code=code, request_id=request_id, method=request.method, url=url)


def check_limit(page_size: int) -> int:
    if not 1 <= page_size <= 100:
        raise ValueError(f"page_size must be 1..100, got {page_size}")
    return page_size


__all__ = ["OPERATIONS", "Base", "Call", "Id", "RegistryError", "operation"]
