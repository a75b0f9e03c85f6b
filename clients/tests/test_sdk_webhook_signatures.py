"""`verify_webhook`, offline: deliveries signed in the test itself, with the
Standard Webhooks algorithm written out here (hmac, hashlib, base64), not
with the SDK's code; the reference is first checked against the example of
the Standard Webhooks specification.

    pytest clients/tests/test_sdk_webhook_signatures.py
"""

from __future__ import annotations

import base64
import email.message
import hashlib
import hmac
import json
import os
import time
import uuid

import pytest

from model_registry_sdk import Event, EventType, WebhookVerificationError, verify_webhook

PROJECT = "8d3f6c1e-2b4a-4f7e-9c51-0a6b7d2e3f41"
MODEL = "5f0b2c8e-1d3a-4e6f-9b7c-2a4d6e8f0a12"
VERSION = "7c1d3e5f-2a4b-4c6d-8e0f-1a3b5c7d9e02"


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The reference: `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")),
    the key being the base64 after `whsec_`."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def new_secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(24)).decode()


def event_body(**overrides: object) -> bytes:
    event: dict[str, object] = {
        "id": "XJ4a0bY2kq1wZQAAAAAAAAAAAAAAAAAAAAU",
        "type": "version.updated",
        "project_id": PROJECT,
        "model_id": MODEL,
        "version_id": VERSION,
        "occurred_at": "2026-02-10T04:02:51.123456Z",
        "request_id": "4b6e0c9a-8f1d-4c2e-9a7b-3d5f1e2c4a6b",
        "data": {"id": VERSION, "name": "v1.0", "status": "READY"},
        "changes": {"status": {"from": "PENDING", "to": "READY"}},
    }
    event.update(overrides)
    # As a server writes it: compact, key order kept.
    return json.dumps(event, separators=(",", ":")).encode()


def delivery(secret: str, body: bytes, *, timestamp: int | None = None,
             message_id: str = "XJ4a0bY2kq1wZQAAAAAAAAAAAAAAAAAAAAU") -> dict[str, str]:
    stamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(secret, message_id, stamp, body),
    }


def test_the_reference_signs_as_the_standard_webhooks_example() -> None:
    signature = sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                     1614265330, b'{"test": 2432232314}')
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_specifications_example_passes_the_signature_check() -> None:
    # Its body is no event of the registry, and its timestamp is from 2021:
    # with a tolerance that covers it, only the body is refused, so the
    # signature and the timestamp passed.
    headers = {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }
    with pytest.raises(WebhookVerificationError, match="not an event"):
        verify_webhook(b'{"test": 2432232314}', headers, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                       tolerance=time.time())


def test_a_signed_delivery_answers_its_event() -> None:
    secret, body = new_secret(), event_body()
    event = verify_webhook(body, delivery(secret, body), secret)
    assert isinstance(event, Event)
    assert event.id == "XJ4a0bY2kq1wZQAAAAAAAAAAAAAAAAAAAAU"
    assert event.type is EventType.VERSION_UPDATED
    assert (event.project_id, event.model_id, event.version_id) == \
        (uuid.UUID(PROJECT), uuid.UUID(MODEL), uuid.UUID(VERSION))
    assert event.occurred_at.tzinfo is not None
    assert event.data["status"] == "READY"
    assert event.changes == {"status": {"from": "PENDING", "to": "READY"}}
    # The body as text, too.
    assert verify_webhook(body.decode(), delivery(secret, body), secret) == event


def test_header_names_in_any_case_and_in_a_frameworks_headers() -> None:
    secret, body = new_secret(), event_body()
    headers = delivery(secret, body)
    shouted = {name.upper(): value for name, value in headers.items()}
    titled = {name.title(): value for name, value in headers.items()}
    assert verify_webhook(body, shouted, secret).id == verify_webhook(body, titled, secret).id
    # What http.server hands a handler as self.headers.
    message = email.message.Message()
    for name, value in titled.items():
        message[name] = value
    message["Content-Type"] = "application/json"
    assert verify_webhook(body, message, secret).type is EventType.VERSION_UPDATED


def test_one_matching_signature_among_several_is_enough() -> None:
    secret, body = new_secret(), event_body()
    headers = delivery(secret, body)
    good = headers["webhook-signature"]
    other = sign(new_secret(), headers["webhook-id"], int(headers["webhook-timestamp"]), body)
    for value in (f"{other} {good}", f"{good} {other}", f"v1,bm90IGEgc2lnbmF0dXJl {good}"):
        assert verify_webhook(body, {**headers, "webhook-signature": value}, secret).id
    # The same MAC under another version's name is not a v1 signature.
    with pytest.raises(WebhookVerificationError, match="no signature"):
        verify_webhook(body, {**headers, "webhook-signature": good.replace("v1,", "v2,")}, secret)
    with pytest.raises(WebhookVerificationError, match="no signature"):
        verify_webhook(body, {**headers, "webhook-signature": good.removeprefix("v1,")}, secret)


def test_another_secret_is_refused() -> None:
    secret, body = new_secret(), event_body()
    with pytest.raises(WebhookVerificationError, match="no signature"):
        verify_webhook(body, delivery(secret, body), new_secret())


@pytest.mark.parametrize("change", ["a byte", "a field", "whitespace", "the id"])
def test_a_body_that_is_not_the_signed_one_is_refused(change: str) -> None:
    secret, body = new_secret(), event_body()
    headers = delivery(secret, body)
    if change == "a byte":
        altered = body.replace(b"READY", b"READX", 1)
    elif change == "a field":
        altered = event_body(version_id=str(uuid.uuid4()))
    elif change == "whitespace":
        altered = json.dumps(json.loads(body)).encode()  # the same JSON, re-serialised
    else:
        altered = body
        headers = {**headers, "webhook-id": "another-id"}
    assert altered != body or change == "the id"
    with pytest.raises(WebhookVerificationError, match="no signature"):
        verify_webhook(altered, headers, secret)


def test_a_timestamp_out_of_tolerance_is_refused_either_way() -> None:
    secret, body = new_secret(), event_body()
    now = int(time.time())
    with pytest.raises(WebhookVerificationError, match="old"):
        verify_webhook(body, delivery(secret, body, timestamp=now - 301), secret)
    with pytest.raises(WebhookVerificationError, match="ahead"):
        verify_webhook(body, delivery(secret, body, timestamp=now + 301), secret)
    # Within the default five minutes, either way.
    assert verify_webhook(body, delivery(secret, body, timestamp=now - 200), secret).id
    assert verify_webhook(body, delivery(secret, body, timestamp=now + 200), secret).id
    # A tolerance of one's own.
    with pytest.raises(WebhookVerificationError, match="old"):
        verify_webhook(body, delivery(secret, body, timestamp=now - 60), secret, tolerance=30)
    assert verify_webhook(body, delivery(secret, body, timestamp=now - 3000), secret, tolerance=3600).id
    with pytest.raises(ValueError, match="tolerance"):
        verify_webhook(body, delivery(secret, body), secret, tolerance=-1)


def test_a_timestamp_signed_but_replaced_is_refused() -> None:
    secret, body = new_secret(), event_body()
    headers = delivery(secret, body)
    later = str(int(headers["webhook-timestamp"]) + 10)
    with pytest.raises(WebhookVerificationError, match="no signature"):
        verify_webhook(body, {**headers, "webhook-timestamp": later}, secret)


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_is_named(name: str) -> None:
    secret, body = new_secret(), event_body()
    headers = {k: v for k, v in delivery(secret, body).items() if k != name}
    with pytest.raises(WebhookVerificationError, match=name):
        verify_webhook(body, headers, secret)
    with pytest.raises(WebhookVerificationError, match=name):
        verify_webhook(body, {**delivery(secret, body), name: ""}, secret)


def test_a_timestamp_that_is_not_a_number_is_refused() -> None:
    secret, body = new_secret(), event_body()
    with pytest.raises(WebhookVerificationError, match="webhook-timestamp"):
        verify_webhook(body, {**delivery(secret, body), "webhook-timestamp": "yesterday"}, secret)


@pytest.mark.parametrize("secret", ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!", "whsec_", "whsec_abc"])
def test_a_malformed_secret_is_refused(secret: str) -> None:
    good = new_secret()
    body = event_body()
    with pytest.raises(WebhookVerificationError, match="secret"):
        verify_webhook(body, delivery(good, body), secret)


def test_a_ping_has_no_model() -> None:
    secret = new_secret()
    webhook_id = str(uuid.uuid4())
    body = event_body(id="ping_0f1e2d3c4b5a69788796a5b4c3d2e1f0", type="webhook.ping", model_id=None,
                      version_id=None, data={"webhook_id": webhook_id}, changes=None)
    event = verify_webhook(body, delivery(secret, body, message_id="ping_0f1e2d3c4b5a69788796a5b4c3d2e1f0"), secret)
    assert event.type is EventType.WEBHOOK_PING
    assert event.model_id is None and event.version_id is None and event.changes is None
    assert event.data == {"webhook_id": webhook_id}


def test_a_signed_body_that_is_not_an_event_is_refused() -> None:
    secret = new_secret()
    for body in (b"[1, 2]", b"not json", json.dumps({"id": "x"}).encode()):
        with pytest.raises(WebhookVerificationError, match="not an event"):
            verify_webhook(body, delivery(secret, body), secret)
