"""The exceptions the SDK raises: one `RegistryError` per kind of failure."""

from __future__ import annotations

__all__ = [
    "Conflict",
    "CursorExpired",
    "InternalError",
    "InvalidArgument",
    "NotFound",
    "PayloadTooLarge",
    "PreconditionFailed",
    "RegistryError",
    "RouteNotFound",
    "Unauthorized",
    "Unavailable",
]


class RegistryError(Exception):
    """A call that failed: the service's answer, or no answer at all.

    - `status`: the HTTP status (`None` when the service never answered);
    - `code`: the service's machine-readable `code` (`not_found`,
      `conflict`, `invalid_argument`, ...; `unavailable` when it never
      answered);
    - `message`: what went wrong, for a human;
    - `request_id`: the service's `X-Request-Id`, to find the call in its log;
    - `method`, `url`: the request that failed.

    Example:

        try:
            registry.get_model(model_id)
        except NotFound:
            ...  # no such model in this project
        except RegistryError as error:
            print(error.status, error.code, error.message, error.request_id)
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str = "unknown",
        request_id: str | None = None,
        method: str = "",
        url: str = "",
    ) -> None:
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.method = method
        self.url = url
        where = f"{method} {url}".strip()
        facts = [str(status) if status is not None else None, code, where or None,
                 f"request {request_id}" if request_id else None]
        super().__init__(f"{message} ({', '.join(f for f in facts if f)})")


class InvalidArgument(RegistryError):
    """400 `invalid_argument`: a parameter, header or field is not what it
    must be, or a rule of the operation is not met (for example deleting a
    model that is not archived). The message names the field."""


class Unauthorized(RegistryError):
    """401 `unauthorized`: the service wants a bearer token (`token=`), and
    this one is missing or wrong."""


class NotFound(RegistryError):
    """404 `not_found`: no such model, version or artifact in this project."""


class RouteNotFound(RegistryError):
    """The base URL reaches no route of the registry's API (404
    `route_not_found`, or an answer that is not the registry's): check the
    base URL. Deliberately not a `NotFound`, so that `except NotFound`
    around a lookup never hides a misconfiguration."""


class Conflict(RegistryError):
    """409 `conflict`: the name is already taken (in the project, or under
    the model)."""


class PreconditionFailed(RegistryError):
    """412 `precondition_failed`: the resource changed since the ETag given
    as `if_match=`; nothing was changed. Read it again."""


class CursorExpired(RegistryError):
    """410 `cursor_expired`: the change feed no longer holds the events
    after this cursor (retention removed them, `EVENTS_RETENTION_DAYS`).
    Start again without `after` (from the oldest event kept), and
    reconcile what may have been missed by reading the current state.

    Example:

        try:
            for event in registry.events(after=saved_cursor, follow=True):
                handle(event)
        except CursorExpired:
            resync()  # then follow again from registry.events()
    """


class PayloadTooLarge(RegistryError):
    """413 `payload_too_large`, 414 `uri_too_long` or 431
    `headers_too_large`: the request is too large to read."""


class Unavailable(RegistryError):
    """The service cannot be reached or cannot serve now: the connection is
    refused or breaks, the call times out, or it answers 503 (its database
    is unavailable) or a gateway's 502/504. `url` says where it was sent.
    Safe calls can be retried with `Registry(..., retries=3)`."""


class InternalError(RegistryError):
    """500 `internal`: the service failed; the detail is in its log under
    `request_id`."""


ERRORS_BY_CODE: dict[str, type[RegistryError]] = {
    "invalid_argument": InvalidArgument,
    "unauthorized": Unauthorized,
    "not_found": NotFound,
    "route_not_found": RouteNotFound,
    "conflict": Conflict,
    "precondition_failed": PreconditionFailed,
    "cursor_expired": CursorExpired,
    "payload_too_large": PayloadTooLarge,
    "uri_too_long": PayloadTooLarge,
    "headers_too_large": PayloadTooLarge,
    "unavailable": Unavailable,
    "internal": InternalError,
}

# When an answer carries no `code` (a proxy's or another server's page).
ERRORS_BY_STATUS: dict[int, type[RegistryError]] = {
    400: InvalidArgument,
    401: Unauthorized,
    404: RouteNotFound,
    409: Conflict,
    410: CursorExpired,
    412: PreconditionFailed,
    413: PayloadTooLarge,
    414: PayloadTooLarge,
    431: PayloadTooLarge,
    500: InternalError,
    502: Unavailable,
    503: Unavailable,
    504: Unavailable,
}
