"""Webhooks in the Python SDK, against the live service with both clients
(see conftest): `create_webhook` (the secret, once), `list_webhooks`,
`get_webhook`, `update_webhook`, `delete_webhook`, `ping_webhook`,
`list_deliveries` / `iter_deliveries` and `redeliver`; each delivery
received by a receiver on 127.0.0.1 started here, and checked with
`verify_webhook`.

The service must allow loopback receivers: scripts/sdk-test.sh starts it
with `WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8`. No test sends anything outside
the loopback range: the other addresses below are refused at registration.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import pytest
from model_registry_sdk import (
    Delivery,
    DeliveryPage,
    DeliveryStatus,
    EventType,
    InvalidArgument,
    NotFound,
    PreconditionFailed,
    Webhook,
    WebhookVerificationError,
    verify_webhook,
)
from test_sdk import assert_plain, version_fields

T = TypeVar("T")

#: Seconds a delivery may take to arrive (the service delivers in the background).
PATIENCE = 30.0


class Received:
    """One request a receiver got."""

    def __init__(self, path: str, headers: dict[str, str], body: bytes) -> None:
        self.path = path
        self.headers = headers
        self.body = body


class Receiver:
    """A webhook receiver on 127.0.0.1: it keeps every request and answers
    `status` (204 unless told otherwise)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.status = 204
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                self.send_response(receiver.status)
                self.send_header("content-length", "0")
                self.end_headers()
                with receiver._changed:
                    receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                    receiver._changed.notify_all()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def wait(self, count: int, timeout: float = PATIENCE) -> list[Received]:
        """The first `count` requests, once they have come."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(f"the receiver got {len(self.received)} requests in {timeout} s, not {count}")
            return list(self.received[:count])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.close()


def eventually(probe: Callable[[], T | None], timeout: float = PATIENCE) -> T:
    """What `probe` answers once it answers something, polling."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing came within {timeout} s")
        time.sleep(0.2)


def settled(registry: Any, webhook_id: uuid.UUID, delivery_id: uuid.UUID) -> Delivery | None:
    """The delivery, once it is no longer pending."""
    for delivery in registry.iter_deliveries(webhook_id):
        if delivery.id == delivery_id and delivery.status != DeliveryStatus.PENDING:
            return delivery
    return None


def test_create_list_get_update_ping_redeliver_delete(registry: Any, receiver: Receiver) -> None:
    created = registry.create_webhook(receiver.url, event_types=[EventType.VERSION_CREATED, "version.updated"],
                                      description="deploys what becomes READY")
    assert isinstance(created, Webhook)
    assert_plain(created)
    assert created.url == receiver.url and created.enabled
    assert created.event_types == [EventType.VERSION_CREATED, EventType.VERSION_UPDATED]
    assert created.description == "deploys what becomes READY"
    assert created.created_at.utcoffset() is not None
    secret = created.secret
    assert secret is not None and secret.startswith("whsec_")
    assert secret not in repr(created), "the secret stays out of repr()"

    # The secret is shown once: never by a list or a get.
    listed = registry.list_webhooks()
    assert [webhook.id for webhook in listed] == [created.id]
    assert listed[0].secret is None and listed[0] == created
    got = registry.get_webhook(str(created.id))
    assert got.secret is None and got == created

    updated = registry.update_webhook(created.id, description="", enabled=False)
    assert (updated.enabled, updated.description, updated.url) == (False, "", receiver.url)
    assert updated.updated_at >= created.updated_at
    assert registry.get_webhook(created.id).enabled is False
    again = registry.update_webhook(created.id, enabled=True)
    assert again.enabled and again.event_types == created.event_types

    # A ping: its delivery answered pending, then a signed POST arrives.
    ping = registry.ping_webhook(created.id)
    assert isinstance(ping, Delivery)
    assert_plain(ping)
    assert ping.event_type is EventType.WEBHOOK_PING and ping.status is DeliveryStatus.PENDING
    first = receiver.wait(1)[0]
    assert first.path == "/hooks"
    event = verify_webhook(first.body, first.headers, secret)
    assert event.type is EventType.WEBHOOK_PING
    assert event.id == ping.event_id == headers_of(first)["webhook-id"]
    assert int(headers_of(first)["webhook-timestamp"]) == pytest.approx(time.time(), abs=PATIENCE + 60)
    assert event.model_id is None and event.version_id is None and event.changes is None
    assert event.data == {"webhook_id": str(created.id)}
    assert event.project_id == registry.project_id
    with pytest.raises(WebhookVerificationError):
        verify_webhook(first.body + b" ", first.headers, secret)

    # The deliveries' log says it succeeded.
    done = eventually(lambda: settled(registry, created.id, ping.id))
    assert done.status is DeliveryStatus.SUCCEEDED
    assert done.attempts == 1 and done.response_status == 204 and done.error is None
    assert done.duration_ms is not None and done.duration_ms >= 0
    assert done.next_attempt_at is None and done.event_id == ping.event_id

    # Redelivered: a new delivery of the same event, the same webhook-id.
    redelivered = registry.redeliver(created.id, ping.id)
    assert redelivered.id != ping.id and redelivered.event_id == ping.event_id
    second = receiver.wait(2)[1]
    assert headers_of(second)["webhook-id"] == headers_of(first)["webhook-id"]
    assert second.body == first.body
    assert verify_webhook(second.body, second.headers, secret).id == event.id
    eventually(lambda: settled(registry, created.id, redelivered.id))

    # A change of the project, of a type it takes: delivered, signed.
    model = registry.create_model("hooked", uuid.uuid4())
    version = registry.create_version(model.id, "v1", **version_fields())
    third = receiver.wait(3)[2]
    change = verify_webhook(third.body, third.headers, secret)
    assert change.type is EventType.VERSION_CREATED, "model.created is not among its types"
    assert (change.model_id, change.version_id) == (model.id, version.id)
    assert change.data["name"] == "v1"

    registry.delete_webhook(created.id)
    with pytest.raises(NotFound):
        registry.get_webhook(created.id)
    with pytest.raises(NotFound):
        registry.list_deliveries(created.id)
    assert registry.list_webhooks() == []


def headers_of(received: Received) -> dict[str, str]:
    return {name.lower(): value for name, value in received.headers.items()}


def test_deliveries_are_paged_newest_first(registry: Any, receiver: Receiver) -> None:
    webhook = registry.create_webhook(receiver.url)
    assert webhook.event_types == [t for t in EventType if t is not EventType.WEBHOOK_PING], "all eight"
    pings = [registry.ping_webhook(webhook.id) for _ in range(3)]
    receiver.wait(3)

    page = registry.list_deliveries(webhook.id, limit=2)
    assert isinstance(page, DeliveryPage)
    assert [d.id for d in page] == [pings[2].id, pings[1].id]
    assert page.next_page_token is not None
    rest = registry.list_deliveries(webhook.id, limit=2, page_token=page.next_page_token)
    assert [d.id for d in rest] == [pings[0].id] and rest.next_page_token is None
    assert [d.id for d in registry.iter_deliveries(webhook.id, page_size=1)] == [p.id for p in reversed(pings)]
    for bad in (0, 101):
        with pytest.raises(InvalidArgument, match="limit"):
            registry.list_deliveries(webhook.id, limit=bad)
    with pytest.raises(InvalidArgument):
        registry.list_deliveries(webhook.id, page_token="not-a-token")


def test_a_receiver_that_does_not_answer_2xx_is_tried_again(registry: Any, receiver: Receiver) -> None:
    webhook = registry.create_webhook(receiver.url, event_types=["model.created"])
    for got, status in enumerate((410, 503), start=1):
        receiver.status = status
        ping = registry.ping_webhook(webhook.id)
        receiver.wait(got)

        def retrying() -> Delivery | None:
            delivery = next(d for d in registry.iter_deliveries(webhook.id) if d.id == ping.id)
            return delivery if delivery.attempts >= 1 else None

        pending = eventually(retrying)
        assert pending.status is DeliveryStatus.PENDING
        assert pending.response_status == status and pending.error
        assert pending.next_attempt_at is not None and pending.next_attempt_at > pending.created_at
    registry.delete_webhook(webhook.id)  # its pending deliveries go with it


def test_bad_webhooks_are_refused(registry: Any, receiver: Receiver) -> None:
    for url in (
        "ftp://127.0.0.1/hooks",  # not http(s)
        "http://user:secret@127.0.0.1/hooks",  # credentials
        "http://10.1.2.3/hooks",  # private, and outside WEBHOOK_ALLOWED_NETWORKS
        "http://169.254.169.254/latest/meta-data",  # link-local
        "not a url",
    ):
        with pytest.raises(InvalidArgument) as refused:
            registry.create_webhook(url)
        assert "url" in refused.value.message, url
    with pytest.raises(InvalidArgument) as unknown:
        registry.create_webhook(receiver.url, event_types=["model.exploded"])
    assert "model.created" in unknown.value.message, "the message lists the valid types"
    with pytest.raises(InvalidArgument):
        registry.create_webhook(receiver.url, event_types=[])
    assert registry.list_webhooks() == [], "nothing was registered"

    webhook = registry.create_webhook(receiver.url)
    with pytest.raises(InvalidArgument):
        registry.update_webhook(webhook.id, url="http://192.168.0.1/hooks")
    assert registry.get_webhook(webhook.id).url == receiver.url

    with pytest.raises(NotFound):
        registry.get_webhook(uuid.uuid4())
    with pytest.raises(NotFound):
        registry.ping_webhook(uuid.uuid4())
    with pytest.raises(NotFound):
        registry.redeliver(webhook.id, uuid.uuid4())
    with pytest.raises(NotFound):
        registry.delete_webhook(uuid.uuid4())
    with pytest.raises(ValueError, match="webhook_id"):
        registry.get_webhook("not-a-uuid")
    with pytest.raises(ValueError, match="delivery_id"):
        registry.redeliver(webhook.id, "not-a-uuid")


def test_another_projects_webhooks_do_not_exist(registry: Any, receiver: Receiver, kind: str) -> None:
    from conftest import URL, make_registry

    webhook = registry.create_webhook(receiver.url)
    ping = registry.ping_webhook(webhook.id)
    for other in make_registry(kind, URL, uuid.uuid4()):
        assert other.list_webhooks() == []
        with pytest.raises(NotFound):
            other.get_webhook(webhook.id)
        with pytest.raises(NotFound):
            other.list_deliveries(webhook.id)
        with pytest.raises(NotFound):
            other.redeliver(webhook.id, ping.id)
        with pytest.raises(NotFound):
            other.update_webhook(webhook.id, enabled=False)
        with pytest.raises(NotFound):
            other.delete_webhook(webhook.id)
    assert registry.get_webhook(webhook.id).enabled


def test_if_match_refuses_a_stale_webhook_write(registry: Any, receiver: Receiver) -> None:
    webhook = registry.create_webhook(receiver.url, description="first")
    read = registry.get_webhook(webhook.id)
    assert read.etag
    registry.update_webhook(webhook.id, description="changed meanwhile")
    with pytest.raises(PreconditionFailed) as stale:
        registry.update_webhook(webhook.id, description="mine", if_match=read.etag)
    assert stale.value.status == 412
    with pytest.raises(PreconditionFailed):
        registry.delete_webhook(webhook.id, if_match=read.etag)
    fresh = registry.get_webhook(webhook.id)
    assert fresh.description == "changed meanwhile"
    assert registry.update_webhook(webhook.id, description="mine", if_match=fresh.etag).description == "mine"
    registry.delete_webhook(webhook.id, if_match=registry.get_webhook(webhook.id).etag)
    with pytest.raises(NotFound):
        registry.get_webhook(webhook.id)
