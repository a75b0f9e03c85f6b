"""The SDK's own objects: plain dataclasses parsed from the service's JSON."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar, overload

__all__ = [
    "Alias",
    "Delivery",
    "DeliveryPage",
    "DeliveryStatus",
    "DeploymentStatus",
    "Event",
    "EventPage",
    "EventType",
    "ModelArtifact",
    "ModelVersion",
    "Order",
    "Page",
    "RegisteredModel",
    "State",
    "VersionStatus",
    "Webhook",
]


class State(StrEnum):
    """Lifecycle state of a model or a version."""

    LIVE = "LIVE"
    ARCHIVED = "ARCHIVED"


class VersionStatus(StrEnum):
    """Readiness of a version (or an artifact)."""

    PENDING = "PENDING"
    READY = "READY"
    FAILED = "FAILED"


class DeploymentStatus(StrEnum):
    """Deployment status of a model."""

    UNDEPLOYED = "UNDEPLOYED"
    DEPLOYED = "DEPLOYED"
    FAILED = "FAILED"


class Order(StrEnum):
    """Sort direction of a list (the service's default is `DESC`)."""

    ASC = "asc"
    DESC = "desc"


class EventType(StrEnum):
    """The kind of change an `Event` announces.

    `WEBHOOK_PING` is the type of the event a webhook's ping delivers (see
    `verify_webhook`); the feed has none.

    A type this SDK does not know yet (from a newer service) still parses:
    it becomes a member made on the spot, equal to its text, so that a
    follower never stops on it.
    """

    MODEL_CREATED = "model.created"
    MODEL_UPDATED = "model.updated"
    MODEL_DELETED = "model.deleted"
    VERSION_CREATED = "version.created"
    VERSION_UPDATED = "version.updated"
    VERSION_DELETED = "version.deleted"
    ALIAS_SET = "alias.set"
    ALIAS_DELETED = "alias.deleted"
    #: Only in what a webhook's ping delivers; never in the feed, nor a
    #: webhook's `event_types`.
    WEBHOOK_PING = "webhook.ping"

    @classmethod
    def _missing_(cls, value: object) -> EventType | None:
        if not isinstance(value, str) or not value:
            return None
        member = str.__new__(cls, value)
        member._name_ = value.upper().replace(".", "_")
        member._value_ = value
        return member


class DeliveryStatus(StrEnum):
    """Where a webhook's delivery stands."""

    #: An attempt is to come (at `next_attempt_at`).
    PENDING = "pending"
    #: An attempt was answered with a 2xx.
    SUCCEEDED = "succeeded"
    #: No attempt will be made any more: every attempt failed, or the
    #: address is one the service may not reach.
    FAILED = "failed"


def _uuid(value: Any) -> uuid.UUID:
    return uuid.UUID(str(value))


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


def _time(value: Any) -> datetime:
    # RFC 3339 in UTC ("...Z", fractional seconds allowed): aware datetimes.
    return datetime.fromisoformat(str(value))


def _labels(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (value or {}).items()}


def _tags(value: Any) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {"frameworks": [], "architectures": [], "tasks": [], "subjects": []}
    for key, values in (value or {}).items():
        tags[str(key)] = [str(v) for v in values or []]
    return tags


@dataclass(frozen=True, kw_only=True)
class ModelVersion:
    """A version of a registered model (`access_key` and `secret_key` are
    write-only and never shown).

    `aliases` holds the names of the model's aliases that name this version,
    sorted (`[]` when none does). `etag` is set on what a create, a get, a
    find or an update answers (pass it as `if_match=` to an update or a
    delete); it is `None` elsewhere.
    """

    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
    registered_model_id: uuid.UUID
    name: str
    description: str
    is_default: bool
    state: State
    status: VersionStatus
    created_by_id: uuid.UUID | None
    updated_by_id: uuid.UUID | None
    created_by_email: str
    updated_by_email: str
    artifact_type: str
    model_framework: str
    model_framework_version: str
    container_image: str
    model_catalog_name: str
    uri: str
    labels: dict[str, str] = field(default_factory=dict)
    prebuilt_container_id: uuid.UUID | None = None
    aliases: list[str] = field(default_factory=list)
    etag: str | None = field(default=None, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], etag: str | None = None) -> ModelVersion:
        """Parses the service's JSON for a version."""
        return cls(
            id=_uuid(data["id"]),
            created_at=_time(data["created_at"]),
            updated_at=_time(data["updated_at"]),
            registered_model_id=_uuid(data["registered_model_id"]),
            name=str(data["name"]),
            description=str(data.get("description", "")),
            is_default=bool(data.get("is_default", False)),
            state=State(data["state"]),
            status=VersionStatus(data["status"]),
            created_by_id=_uuid_or_none(data.get("created_by_id")),
            updated_by_id=_uuid_or_none(data.get("updated_by_id")),
            created_by_email=str(data.get("created_by_email", "")),
            updated_by_email=str(data.get("updated_by_email", "")),
            artifact_type=str(data.get("artifact_type", "")),
            model_framework=str(data.get("model_framework", "")),
            model_framework_version=str(data.get("model_framework_version", "")),
            container_image=str(data.get("container_image", "")),
            model_catalog_name=str(data.get("model_catalog_name", "")),
            uri=str(data.get("uri", "")),
            labels=_labels(data.get("labels")),
            prebuilt_container_id=_uuid_or_none(data.get("prebuilt_container_id")),
            aliases=[str(name) for name in data.get("aliases") or []],
            etag=etag,
        )


@dataclass(frozen=True, kw_only=True)
class RegisteredModel:
    """A registered model, with its version count and its latest and default
    versions (`None` when it has none).

    `tags` always holds the four arrays `frameworks`, `architectures`,
    `tasks` and `subjects`; `labels` is `{}` when there are none. `etag` is
    set on what a create, a get, a find or an update answers, else
    `None`.
    """

    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
    project_id: uuid.UUID
    owner_id: uuid.UUID | None
    owner_email: str
    name: str
    slug: str
    description: str
    region_id: uuid.UUID
    region_name: str
    model_type: str
    model_size: int
    state: State
    deployment_status: DeploymentStatus
    tags: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    parent_model_id: uuid.UUID | None = None
    version_count: int = 0
    latest_version: ModelVersion | None = None
    default_version: ModelVersion | None = None
    etag: str | None = field(default=None, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], etag: str | None = None) -> RegisteredModel:
        """Parses the service's JSON for a model."""
        latest = data.get("latest_version")
        default = data.get("default_version")
        return cls(
            id=_uuid(data["id"]),
            created_at=_time(data["created_at"]),
            updated_at=_time(data["updated_at"]),
            project_id=_uuid(data["project_id"]),
            owner_id=_uuid_or_none(data.get("owner_id")),
            owner_email=str(data.get("owner_email", "")),
            name=str(data["name"]),
            slug=str(data.get("slug", "")),
            description=str(data.get("description", "")),
            region_id=_uuid(data["region_id"]),
            region_name=str(data.get("region_name", "")),
            model_type=str(data.get("model_type", "")),
            model_size=int(data.get("model_size", 0)),
            state=State(data["state"]),
            deployment_status=DeploymentStatus(data["deployment_status"]),
            tags=_tags(data.get("tags")),
            labels=_labels(data.get("labels")),
            parent_model_id=_uuid_or_none(data.get("parent_model_id")),
            version_count=int(data.get("version_count", 0)),
            latest_version=None if latest is None else ModelVersion.from_json(latest),
            default_version=None if default is None else ModelVersion.from_json(default),
            etag=etag,
        )


@dataclass(frozen=True, kw_only=True)
class ModelArtifact:
    """An artifact: a version of a model seen through a narrower window.

    `etag` is set on what a create, a get, a find or an update answers, else
    `None`.
    """

    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
    registered_model_id: uuid.UUID
    name: str
    description: str
    artifact_type: str
    model_framework: str
    model_framework_version: str
    container_image: str
    uri: str
    labels: dict[str, str] = field(default_factory=dict)
    prebuilt_container_id: uuid.UUID | None = None
    etag: str | None = field(default=None, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], etag: str | None = None) -> ModelArtifact:
        """Parses the service's JSON for an artifact."""
        return cls(
            id=_uuid(data["id"]),
            created_at=_time(data["created_at"]),
            updated_at=_time(data["updated_at"]),
            registered_model_id=_uuid(data["registered_model_id"]),
            name=str(data["name"]),
            description=str(data.get("description", "")),
            artifact_type=str(data.get("artifact_type", "")),
            model_framework=str(data.get("model_framework", "")),
            model_framework_version=str(data.get("model_framework_version", "")),
            container_image=str(data.get("container_image", "")),
            uri=str(data.get("uri", "")),
            labels=_labels(data.get("labels")),
            prebuilt_container_id=_uuid_or_none(data.get("prebuilt_container_id")),
            etag=etag,
        )


@dataclass(frozen=True, kw_only=True)
class Alias:
    """A name for one version of a model (`champion`, `staging`, ...).

    - `alias`: the name, unique within the model;
    - `model_id`, `version_id`: the model, and the version the name points to;
    - `updated_at`: when it was last set or moved (aware, UTC);
    - `etag`: set on what `set_alias` answers (pass it as `if_match=` to
      move or delete the alias only if nobody moved it since), else `None`.

    Example:

        champion = registry.set_alias(model.id, "champion", version.id)
        print(champion.alias, "->", champion.version_id, champion.updated_at)
    """

    alias: str
    model_id: uuid.UUID
    version_id: uuid.UUID
    updated_at: datetime
    etag: str | None = field(default=None, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], etag: str | None = None) -> Alias:
        """Parses the service's JSON for an alias."""
        return cls(
            alias=str(data["alias"]),
            model_id=_uuid(data["model_id"]),
            version_id=_uuid(data["version_id"]),
            updated_at=_time(data["updated_at"]),
            etag=etag,
        )


T = TypeVar("T")


class Page(Sequence[T], Generic[T]):
    """One page of a list: a read-only sequence of its items (`len`, index,
    iterate, slice) with the list's paging facts.

    - `total`: every item matching the filters, on all pages;
    - `page_size`: the limit the service applied;
    - `next_offset`: the offset of the next page;
    - `next_page_token`: pass it as `page_token=` for the next page; `None`
      on the last page.

    Example:

        page = registry.list_models(limit=10)
        print(len(page), "of", page.total)
        first = page[0] if page else None
        while page.next_page_token:
            page = registry.list_models(limit=10, page_token=page.next_page_token)
    """

    __slots__ = ("_items", "total", "page_size", "next_offset", "next_page_token")

    def __init__(
        self,
        items: list[T],
        *,
        total: int,
        page_size: int,
        next_offset: int,
        next_page_token: str | None,
    ) -> None:
        self._items = items
        self.total = total
        self.page_size = page_size
        self.next_offset = next_offset
        self.next_page_token = next_page_token

    @classmethod
    def from_json(cls, data: Mapping[str, Any], parse: Callable[[Mapping[str, Any]], T]) -> Page[T]:
        """Parses the service's list envelope, each item with `parse`."""
        token = data.get("next_page_token")
        return cls(
            [parse(item) for item in data.get("items", [])],
            total=int(data.get("total", 0)),
            page_size=int(data.get("page_size", 0)),
            next_offset=int(data.get("next_offset", 0)),
            next_page_token=str(token) if token else None,
        )

    @property
    def items(self) -> list[T]:
        """The page's items, as a new list."""
        return list(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Page):
            return self._items == other._items and self.total == other.total
        if isinstance(other, list):
            return self._items == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Page({self._items!r}, total={self.total}, page_size={self.page_size}, "
            f"next_offset={self.next_offset}, next_page_token={self.next_page_token!r})"
        )


@dataclass(frozen=True, kw_only=True)
class Event:
    """One change of the project's change feed (`Registry.events`).

    - `id`: this event's cursor (opaque text): `after=event.id` reads what
      follows it;
    - `type`: what happened (`EventType`: `model.created`,
      `version.updated`, ...);
    - `project_id`, `model_id`: where (`model_id` is `None` only in a
      webhook's ping, `webhook.ping`); `version_id` is the version of a
      `version.*` event (or the one an `alias.*` event's alias names),
      `None` for a model's;
    - `occurred_at`: when it committed (aware, UTC);
    - `request_id`: the `X-Request-Id` of the call that made the change;
    - `data`: the resource as the API answered it after the change (as it
      was, for a delete): a model's, a version's or an alias's JSON, as a
      `dict`;
    - `changes`: for `*.updated`, `{field: {"from": old, "to": new}}` of
      the fields that changed; for `alias.set`, `{"version_id": {"from":
      old or None, "to": new}}`; `None` otherwise.

    Example:

        for event in registry.events(model_id=model.id):
            if event.type is EventType.VERSION_UPDATED and event.changes and "status" in event.changes:
                print(event.version_id, event.changes["status"]["to"])
    """

    id: str
    type: EventType
    project_id: uuid.UUID
    model_id: uuid.UUID | None
    version_id: uuid.UUID | None
    occurred_at: datetime
    request_id: str
    data: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Event:
        """Parses the service's JSON for an event."""
        changes = data.get("changes")
        return cls(
            id=str(data["id"]),
            type=EventType(data["type"]),
            project_id=_uuid(data["project_id"]),
            model_id=_uuid_or_none(data.get("model_id")),
            version_id=_uuid_or_none(data.get("version_id")),
            occurred_at=_time(data["occurred_at"]),
            request_id=str(data.get("request_id") or ""),
            data=dict(data.get("data") or {}),
            changes=None if changes is None else dict(changes),
        )


class EventPage(Sequence[Event]):
    """One page of the change feed: a read-only sequence of its events,
    oldest first, and `next_cursor`, where to continue (`after=`). On an
    empty page `next_cursor` is the `after` it was asked with.

    Example:

        page = registry.list_events(limit=100)
        for event in page:
            print(event.type, event.model_id)
        more = registry.list_events(after=page.next_cursor, wait=25)
    """

    __slots__ = ("_events", "next_cursor")

    def __init__(self, events: list[Event], *, next_cursor: str) -> None:
        self._events = events
        self.next_cursor = next_cursor

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EventPage:
        """Parses the service's `EventList`."""
        return cls([Event.from_json(item) for item in data.get("events", [])],
                   next_cursor=str(data["next_cursor"]))

    @property
    def events(self) -> list[Event]:
        """The page's events, as a new list."""
        return list(self._events)

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> list[Event]: ...

    def __getitem__(self, index: int | slice) -> Event | list[Event]:
        return self._events[index]

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EventPage):
            return self._events == other._events and self.next_cursor == other.next_cursor
        if isinstance(other, list):
            return self._events == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"EventPage({self._events!r}, next_cursor={self.next_cursor!r})"


@dataclass(frozen=True, kw_only=True)
class Webhook:
    """A receiver of the project's change feed: each event whose type is in
    `event_types` is POSTed, signed, to `url`.

    - `id`, `url`, `description` (`""` when none was given);
    - `event_types`: the `EventType`s it receives, in the feed's order;
    - `enabled`: `False` when its owner disabled it, or when its last 100
      deliveries all failed (`update_webhook(id, enabled=True)` starts it
      again);
    - `created_at`, `updated_at`: aware, UTC;
    - `secret`: `whsec_...`, the key its deliveries are signed with (pass it
      to `verify_webhook`). Only what `create_webhook` answers carries it:
      the service shows it that once; elsewhere it is `None`. It is left out
      of `repr()` and of comparisons;
    - `etag`: set on what `create_webhook`, `get_webhook` and
      `update_webhook` answer; pass it as `if_match` to `update_webhook` or
      `delete_webhook` to change it only if nobody has.

    Example:

        webhook = registry.create_webhook("https://hooks.example/registry",
                                          event_types=[EventType.VERSION_UPDATED])
        save_secret(webhook.secret)  # shown this once
        print(webhook.id, webhook.url, webhook.event_types, webhook.enabled)
    """

    id: uuid.UUID
    url: str
    event_types: list[EventType]
    description: str
    enabled: bool
    created_at: datetime
    updated_at: datetime
    secret: str | None = field(default=None, repr=False, compare=False)
    etag: str | None = field(default=None, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], etag: str | None = None) -> Webhook:
        """Parses the service's JSON for a webhook (with its secret, when
        the answer has one)."""
        secret = data.get("secret")
        return cls(
            id=_uuid(data["id"]),
            url=str(data["url"]),
            event_types=[EventType(t) for t in data.get("event_types") or []],
            description=str(data.get("description") or ""),
            enabled=bool(data["enabled"]),
            created_at=_time(data["created_at"]),
            updated_at=_time(data["updated_at"]),
            secret=None if secret is None else str(secret),
            etag=etag,
        )


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """One event's delivery to a webhook, and what its attempts did.

    - `id`: the delivery's (pass it to `redeliver`);
    - `event_id`: the event's `id`, sent as the `webhook-id` header of
      every attempt (and of a redelivery); `event_type`: its `EventType`
      (`webhook.ping` for a ping);
    - `status`: `DeliveryStatus.PENDING` while an attempt is to come (at
      `next_attempt_at`), then `SUCCEEDED` or `FAILED`;
    - `attempts`: how many were made; `response_status`, `error`,
      `duration_ms`: the last attempt's HTTP status (`None` when none
      answered), why it failed (`None` when it did not) and how long it
      took (`None` before the first);
    - `created_at`, `next_attempt_at`: aware, UTC (`next_attempt_at` is
      `None` unless pending).

    Example:

        for delivery in registry.list_deliveries(webhook.id):
            print(delivery.event_type, delivery.status, delivery.attempts,
                  delivery.response_status, delivery.error or "")
    """

    id: uuid.UUID
    event_id: str
    event_type: EventType
    status: DeliveryStatus
    attempts: int
    response_status: int | None
    error: str | None
    duration_ms: int | None
    created_at: datetime
    next_attempt_at: datetime | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Delivery:
        """Parses the service's JSON for a delivery."""
        response_status = data.get("response_status")
        error = data.get("error")
        duration_ms = data.get("duration_ms")
        next_attempt_at = data.get("next_attempt_at")
        return cls(
            id=_uuid(data["id"]),
            event_id=str(data["event_id"]),
            event_type=EventType(data["event_type"]),
            status=DeliveryStatus(data["status"]),
            attempts=int(data.get("attempts") or 0),
            response_status=None if response_status is None else int(response_status),
            error=None if error is None else str(error),
            duration_ms=None if duration_ms is None else int(duration_ms),
            created_at=_time(data["created_at"]),
            next_attempt_at=None if next_attempt_at is None else _time(next_attempt_at),
        )


class DeliveryPage(Sequence[Delivery]):
    """One page of a webhook's deliveries, newest first: a read-only
    sequence (`len`, index, iterate, slice) and `next_page_token`, to pass
    as `page_token=` for the next page (`None` on the last). The list is
    paged by token only: it has no `total` nor offsets.

    Example:

        page = registry.list_deliveries(webhook.id, limit=50)
        while True:
            for delivery in page:
                print(delivery.created_at, delivery.status)
            if page.next_page_token is None:
                break
            page = registry.list_deliveries(webhook.id, limit=50, page_token=page.next_page_token)
    """

    __slots__ = ("_deliveries", "next_page_token")

    def __init__(self, deliveries: list[Delivery], *, next_page_token: str | None) -> None:
        self._deliveries = deliveries
        self.next_page_token = next_page_token

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DeliveryPage:
        """Parses the service's `DeliveryList`."""
        token = data.get("next_page_token")
        return cls([Delivery.from_json(item) for item in data.get("deliveries", [])],
                   next_page_token=str(token) if token else None)

    @property
    def deliveries(self) -> list[Delivery]:
        """The page's deliveries, as a new list."""
        return list(self._deliveries)

    @overload
    def __getitem__(self, index: int) -> Delivery: ...

    @overload
    def __getitem__(self, index: slice) -> list[Delivery]: ...

    def __getitem__(self, index: int | slice) -> Delivery | list[Delivery]:
        return self._deliveries[index]

    def __len__(self) -> int:
        return len(self._deliveries)

    def __iter__(self) -> Iterator[Delivery]:
        return iter(self._deliveries)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DeliveryPage):
            return self._deliveries == other._deliveries and self.next_page_token == other.next_page_token
        if isinstance(other, list):
            return self._deliveries == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DeliveryPage({self._deliveries!r}, next_page_token={self.next_page_token!r})"
