"""The Model Registry's Python SDK.

One client per project, blocking (`Registry`) or asyncio (`AsyncRegistry`),
with the same methods. They answer the SDK's own objects (`RegisteredModel`,
`ModelVersion`, `ModelArtifact`, `Alias`: dataclasses with `uuid.UUID` ids,
aware `datetime`s, `str` enums, plain `dict` labels and tags, `None` for
what is absent); lists answer a `Page` (a sequence with `total` and
`next_page_token`), and `iter_*` walk every page. A failure is a
`RegistryError`: `NotFound`, `Conflict`, `InvalidArgument`, `Unavailable`
(the service cannot be reached), `RouteNotFound` (the base URL is wrong), ...

Aliases name versions (`champion`, `staging`): `set_alias()` creates or
moves one (conditionally, with `if_match=`), `get_alias()` answers the
version it names.

The change feed: `events()` walks every change (an `Event`) after a cursor,
oldest first; with `follow=True` it never ends, waiting (long-polling) for
the next change.

Webhooks: `create_webhook()` registers a URL the service POSTs each event
to, signed with the `secret` it answers that once; in the receiver,
`verify_webhook(body, headers, secret)` checks the signature and the
timestamp and answers the `Event` (else `WebhookVerificationError`).
`list_deliveries()` tells what became of each delivery, `redeliver()` sends
one again, `ping_webhook()` sends a test event.

Example:

    import uuid
    from model_registry_sdk import NotFound, Registry

    with Registry("http://localhost:8080", project_id) as registry:
        try:
            model = registry.find_model(name="sentiment")
        except NotFound:
            model = registry.create_model("sentiment", region_id)
        print(model.id, dict(model.labels))
"""

from ._async import AsyncRegistry
from ._core import OPERATIONS, Id
from ._errors import (
    Conflict,
    CursorExpired,
    InternalError,
    InvalidArgument,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    RegistryError,
    RouteNotFound,
    Unauthorized,
    Unavailable,
)
from ._sync import Registry
from ._types import (
    Alias,
    Delivery,
    DeliveryPage,
    DeliveryStatus,
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
from ._webhooks import WebhookVerificationError, verify_webhook

__version__ = "0.2.0"

__all__ = [
    "OPERATIONS",
    "Alias",
    "AsyncRegistry",
    "Conflict",
    "CursorExpired",
    "Delivery",
    "DeliveryPage",
    "DeliveryStatus",
    "DeploymentStatus",
    "Event",
    "EventPage",
    "EventType",
    "Id",
    "InternalError",
    "InvalidArgument",
    "ModelArtifact",
    "ModelVersion",
    "NotFound",
    "Order",
    "Page",
    "PayloadTooLarge",
    "PreconditionFailed",
    "RegisteredModel",
    "Registry",
    "RegistryError",
    "RouteNotFound",
    "State",
    "Unauthorized",
    "Unavailable",
    "VersionStatus",
    "Webhook",
    "WebhookVerificationError",
    "verify_webhook",
]
