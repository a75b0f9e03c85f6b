"""Checking what a webhook receives: `verify_webhook`.

The service signs each delivery as Standard Webhooks do: `webhook-id` (the
event's id), `webhook-timestamp` (Unix seconds) and `webhook-signature`
(`v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, keyed with
the bytes the secret encodes in base64 after `whsec_`; several
space-separated signatures may be sent).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from ._types import Event

__all__ = ["DEFAULT_TOLERANCE", "HeaderItems", "WebhookVerificationError", "verify_webhook"]

#: Seconds a delivery's `webhook-timestamp` may be from now, either way.
DEFAULT_TOLERANCE = 300.0

SECRET_PREFIX = "whsec_"


class WebhookVerificationError(Exception):
    """What a receiver got is not a delivery of its webhook, as sent: a
    header is missing, no signature matches (another secret, or a changed
    body), the timestamp is too far from now (a replay), or the secret
    itself is malformed. Answer such a request with a 4xx and ignore it.

    Example:

        try:
            event = verify_webhook(body, headers, secret)
        except WebhookVerificationError as error:
            print("refused:", error)
    """


class HeaderItems(Protocol):
    """Headers as web frameworks hold them: anything with `items()` of
    (name, value) pairs: a `dict`, `http.server`'s `self.headers`,
    Django's, Flask's or Starlette's `request.headers`."""

    def items(self) -> Iterable[tuple[str, Any]]: ...


def _header(headers: Mapping[str, str] | HeaderItems, name: str) -> str:
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == name and value is not None:
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            if text.strip():
                return text.strip()
    raise WebhookVerificationError(f"the {name} header is missing: not a delivery of a webhook")


def _key(secret: str) -> bytes:
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise WebhookVerificationError(
            "the secret must be the one create_webhook answered: whsec_ followed by base64"
        )
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError(
            "the secret must be the one create_webhook answered: whsec_ followed by base64"
        ) from None
    if not key:
        raise WebhookVerificationError("the secret is empty after whsec_")
    return key


def verify_webhook(
    body: bytes | str,
    headers: Mapping[str, str] | HeaderItems,
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Event:
    """Checks that a request a receiver got is a delivery of the webhook
    whose `secret` is given, and answers its event.

    - `body`: the request's body exactly as received (bytes, or the text
      they decode to); parsing and re-serialising JSON first would change
      it, and fail;
    - `headers`: the request's headers (names in any case);
    - `secret`: the webhook's `secret`, as `create_webhook` answered it
      (`whsec_...`);
    - `tolerance`: how many seconds `webhook-timestamp` may be from now,
      either way (5 minutes by default): an older delivery replayed is
      refused.

    Raises `WebhookVerificationError` when a header is missing, the secret
    is malformed, no `v1` signature of `webhook-signature` matches (compared
    in constant time), or the timestamp is out of tolerance. The answer is
    the `Event` (for a ping, `type` is `EventType.WEBHOOK_PING` and
    `model_id` is `None`). A delivery may come more than once (at least
    once): `event.id`, the `webhook-id` header, tells repeats apart.

    Example:

        from model_registry_sdk import EventType, WebhookVerificationError, verify_webhook

        def receive(body: bytes, headers: dict[str, str]) -> int:
            try:
                event = verify_webhook(body, headers, secret)
            except WebhookVerificationError:
                return 400
            if event.type is EventType.VERSION_UPDATED and "status" in (event.changes or {}):
                print(event.version_id, "is now", event.data["status"])
            return 204
    """
    if tolerance < 0:
        raise ValueError(f"tolerance must be 0 or more seconds, got {tolerance!r}")
    message_id = _header(headers, "webhook-id")
    timestamp_text = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    key = _key(secret)
    try:
        timestamp = int(timestamp_text)
    except ValueError:
        raise WebhookVerificationError("the webhook-timestamp header is not a number of Unix seconds") from None
    payload = body.encode("utf-8") if isinstance(body, str) else bytes(body)

    signed = f"{message_id}.{timestamp_text}.".encode() + payload
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    matched = False
    for entry in signatures.split():
        version, _, value = entry.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode("utf-8", "replace"), expected):
            matched = True
    if not matched:
        raise WebhookVerificationError(
            "no signature of webhook-signature matches: another webhook's secret, or a body "
            "that is not the one signed"
        )

    now = time.time()
    if timestamp < now - tolerance:
        raise WebhookVerificationError(
            f"webhook-timestamp is {now - timestamp:.0f} s old, more than the tolerance of {tolerance:g} s"
        )
    if timestamp > now + tolerance:
        raise WebhookVerificationError(
            f"webhook-timestamp is {timestamp - now:.0f} s ahead, more than the tolerance of {tolerance:g} s"
        )

    try:
        data = json.loads(payload)
        if not isinstance(data, Mapping):
            raise TypeError("not an object")
        return Event.from_json(data)
    except (ValueError, TypeError, KeyError) as error:
        raise WebhookVerificationError(f"the signed body is not an event of the registry ({error})") from None
