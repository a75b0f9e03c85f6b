"""The change feed in the Python SDK: `list_events` (one page) and
`events` (every event, following the cursor; with `follow=True`, forever,
long-polling), against the live service with both clients (see conftest),
and against a stub server for what the service cannot be made to answer on
demand (410 `cursor_expired`, a slow held answer).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from conftest import URL, make_registry
from model_registry_sdk import (
    AsyncRegistry,
    CursorExpired,
    Event,
    EventPage,
    EventType,
    InvalidArgument,
    Registry,
    RegistryError,
)
from test_sdk import assert_plain, version_fields
from test_sdk_failures import Stub


def types_of(events: Any) -> list[str]:
    return [str(event.type) for event in events]


def test_every_write_is_an_event(registry: Any) -> None:
    model = registry.create_model("feed", uuid.uuid4(), labels={"team": "nlp"})
    v1 = registry.create_version(model.id, "v1", **version_fields())
    registry.update_version(v1.id, status="READY", is_default=True)
    registry.update_model(model.id, description="sentiment")
    v2 = registry.create_version(model.id, "v2", **version_fields())
    registry.delete_version(v2.id)

    events = list(registry.events())
    assert types_of(events) == [
        "model.created", "version.created", "version.updated", "model.updated",
        "version.created", "version.deleted",
    ]
    for event in events:
        assert isinstance(event, Event)
        assert_plain(event)
        assert isinstance(event.type, EventType)
        assert event.project_id == registry.project_id and event.model_id == model.id
        assert event.occurred_at.utcoffset() == timedelta(0)
        assert event.request_id
    created, version_created, version_updated, model_updated = events[:4]
    assert created.type is EventType.MODEL_CREATED and created.version_id is None and created.changes is None
    assert created.data["id"] == str(model.id) and created.data["labels"] == {"team": "nlp"}
    assert version_created.version_id == v1.id and version_created.data["name"] == "v1"
    assert version_updated.changes is not None
    assert version_updated.changes["status"] == {"from": "PENDING", "to": "READY"}
    assert version_updated.changes["is_default"] == {"from": False, "to": True}
    assert model_updated.changes == {"description": {"from": "", "to": "sentiment"}}
    assert events[-1].version_id == v2.id
    assert len({event.id for event in events}) == len(events)

    # Pages: a sequence with the cursor to continue from.
    page = registry.list_events(limit=4)
    assert isinstance(page, EventPage) and len(page) == 4 and page[0] == events[0] and page[:2] == events[:2]
    assert page.next_cursor == page[-1].id
    rest = registry.list_events(after=page.next_cursor)
    assert list(rest) == events[4:]
    end = registry.list_events(after=rest.next_cursor)
    assert len(end) == 0 and not end and end.next_cursor == rest.next_cursor
    # After an event's id: what follows it; a small page size still walks all.
    assert list(registry.events(after=events[2].id)) == events[3:]
    assert list(registry.events(limit=1)) == events
    # Another project sees none of them.
    other = Registry(URL, uuid.uuid4())
    with other:
        assert list(other.events()) == []


def test_filters_by_type_and_model(registry: Any) -> None:
    a = registry.create_model("a", uuid.uuid4())
    b = registry.create_model("b", uuid.uuid4())
    va = registry.create_version(a.id, "v1", **version_fields())
    registry.create_version(b.id, "v1", **version_fields())
    registry.update_model(b.id, description="b")

    assert types_of(registry.events(model_id=a.id)) == ["model.created", "version.created"]
    assert [event.version_id for event in registry.events(model_id=a.id)] == [None, va.id]
    assert [event.model_id for event in registry.events(types="model.created")] == [a.id, b.id]
    assert types_of(registry.events(types=[EventType.VERSION_CREATED, "model.updated"])) == \
        ["version.created", "version.created", "model.updated"]
    assert types_of(registry.events(types=["model.updated"], model_id=a.id)) == []
    page = registry.list_events(types=["version.created"], model_id=str(b.id))
    assert len(page) == 1 and page[0].model_id == b.id


def test_bad_input_names_the_parameter(registry: Any) -> None:
    registry.create_model("m", uuid.uuid4())
    cursor = registry.list_events().next_cursor
    tampered = cursor[:-2] + ("AB" if cursor[-2:] != "AB" else "CD")
    for bad in (tampered, "not-a-cursor"):
        with pytest.raises(InvalidArgument) as raised:
            registry.list_events(after=bad)
        assert "after" in raised.value.message and raised.value.code == "invalid_argument"
    with pytest.raises(InvalidArgument) as raised:
        list(registry.events(after=tampered))
    assert "after" in raised.value.message
    # A cursor of another project's feed is not this one's.
    with Registry(URL, uuid.uuid4()) as other, pytest.raises(InvalidArgument, match="after"):
        other.list_events(after=cursor)
    with pytest.raises(InvalidArgument, match="limit"):
        registry.list_events(limit=1001)
    with pytest.raises(InvalidArgument, match="type"):
        registry.list_events(types="model.renamed")
    for wait in (31, -1, 1.5):
        with pytest.raises(ValueError, match="wait"):
            registry.list_events(wait=wait)
    with pytest.raises(ValueError, match="wait"):
        next(iter(registry.events(follow=True, wait=0)))
    with pytest.raises(ValueError, match="model_id"):
        registry.list_events(model_id="nope")


def test_follow_picks_up_a_later_write(registry: Any) -> None:
    model = registry.create_model("followed", uuid.uuid4())
    feed = iter(registry.events(follow=True, wait=10))
    first = next(feed)
    assert first.type is EventType.MODEL_CREATED

    def write() -> None:
        time.sleep(0.5)
        with Registry(URL, registry.project_id) as writer:
            writer.create_version(model.id, "late", **version_fields())

    writer = threading.Thread(target=write)
    started = time.monotonic()
    writer.start()
    try:
        late = next(feed)  # held by the service until the write commits
    finally:
        writer.join()
    assert late.type is EventType.VERSION_CREATED and late.data["name"] == "late"
    assert 0.4 < time.monotonic() - started < 5
    feed.close()  # type: ignore[attr-defined]


def test_a_quiet_follow_is_held_not_polled() -> None:
    """With nothing happening, each request is held `wait` seconds: three
    quiet seconds with wait=1 cost a few requests, not a busy loop."""
    with Registry(URL, uuid.uuid4()) as registry:
        sent: list[httpx.Request] = []
        registry._http.event_hooks["request"].append(sent.append)
        model = registry.create_model("quiet", uuid.uuid4())
        sent.clear()

        def write() -> None:
            time.sleep(3)
            with Registry(URL, registry.project_id) as writer:
                writer.update_model(model.id, description="awake")

        writer = threading.Thread(target=write)
        writer.start()
        try:
            feed = registry.events(follow=True, wait=1)
            assert next(feed).type is EventType.MODEL_CREATED
            assert next(feed).type is EventType.MODEL_UPDATED
            feed.close()
        finally:
            writer.join()
        feeds = [request for request in sent if request.url.path.endswith("/events")]
        assert 3 <= len(feeds) <= 6, len(feeds)
        assert all(request.url.params.get("wait") == "1" for request in feeds)


def test_async_follow_with_a_task() -> None:
    async def main() -> None:
        async with AsyncRegistry(URL, uuid.uuid4()) as registry:
            model = await registry.create_model("async-feed", uuid.uuid4())

            async def follower() -> list[Event]:
                seen: list[Event] = []
                async for event in registry.events(follow=True, wait=10):
                    seen.append(event)
                    if len(seen) == 3:
                        return seen
                raise AssertionError("follow=True ended")

            task = asyncio.create_task(follower())
            await asyncio.sleep(0.3)
            assert not task.done()
            await registry.create_version(model.id, "v1", **version_fields())
            await registry.update_model(model.id, description="x")
            seen = await asyncio.wait_for(task, 10)
            assert types_of(seen) == ["model.created", "version.created", "model.updated"]
            # Without follow, the async walk ends at the end of the feed.
            assert [event async for event in registry.events()] == seen

    asyncio.run(main())


# ------------------------------------------------------------ stub server


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    yield server
    server.close()


EXPIRED = (410, "application/json", json.dumps({
    "error": "after: events after this cursor have been removed (older than EVENTS_RETENTION_DAYS): "
             "start again without `after`",
    "code": "cursor_expired",
}))
EMPTY = (200, "application/json", json.dumps({"events": [], "next_cursor": "c1"}))


def test_an_expired_cursor_is_cursor_expired(stub: Stub, kind: str) -> None:
    stub.script = [EXPIRED]
    for registry in make_registry(kind, stub.url, uuid.uuid4()):
        with pytest.raises(CursorExpired) as raised:
            registry.list_events(after="c0")
        assert isinstance(raised.value, RegistryError)
        assert raised.value.status == 410 and raised.value.code == "cursor_expired"
        with pytest.raises(CursorExpired):
            list(registry.events(after="c0", follow=True))
    assert stub.requests[0] == ("GET", "/api/v1/model-registry/events?after=c0")
    assert stub.requests[1] == ("GET", "/api/v1/model-registry/events?after=c0&wait=25")


def test_a_held_answer_outlasts_the_client_timeout(stub: Stub, kind: str) -> None:
    """The read timeout of a feed request is the client's timeout plus
    `wait`: an answer held 1.5 s by `wait=2` is no timeout at 0.5 s."""
    stub.script = [EMPTY]
    answer = stub.server.RequestHandlerClass.do_GET  # type: ignore[attr-defined]

    def slowly(handler: Any) -> None:
        time.sleep(1.5)
        try:
            answer(handler)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the call that timed out has gone

    stub.server.RequestHandlerClass.do_GET = slowly  # type: ignore[attr-defined]
    for registry in make_registry(kind, stub.url, uuid.uuid4(), timeout=0.5):
        page = registry.list_events(after="c1", wait=2)
        assert len(page) == 0 and page.next_cursor == "c1"
        with pytest.raises(RegistryError, match=r"no answer within 0.5 s"):
            registry.list_events(after="c1")
