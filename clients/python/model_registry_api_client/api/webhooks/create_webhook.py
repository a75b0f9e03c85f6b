from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_webhook import CreateWebhook
from ...models.error_response import ErrorResponse
from ...models.webhook_with_secret import WebhookWithSecret
from ...types import Response


def _get_kwargs(
    *,
    body: CreateWebhook,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Project-ID"] = project_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/model-registry/webhooks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | WebhookWithSecret | None:
    if response.status_code == 201:
        response_201 = WebhookWithSecret.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 414:
        response_414 = ErrorResponse.from_dict(response.json())

        return response_414

    if response.status_code == 431:
        response_431 = ErrorResponse.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | WebhookWithSecret]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateWebhook,
    project_id: UUID,
) -> Response[ErrorResponse | WebhookWithSecret]:
    """Register a webhook

     Every event of the project committed from now on whose type is in
    `event_types` (all eight types when it is omitted) is delivered to
    `url`, signed with `secret`: the `Event` as `GET /events` answers
    it (a ping delivers a `PingEvent`). The secret is in this answer only: no
    other answer, log line or error shows it, so keep it where the
    receiver can read it.

    A `url` that is not `http` or `https`, carries credentials
    (`user:password@`), or names a host that is, or resolves to, a
    non-public address (loopback, private, link-local, multicast, ...)
    answers 400 naming `url`, unless the address is inside
    `WEBHOOK_ALLOWED_NETWORKS`. An unknown event type answers 400
    listing the valid ones. A project has at most 100 webhooks: one more
    answers 409.

    Args:
        project_id (UUID):
        body (CreateWebhook): A webhook to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | WebhookWithSecret]
    """

    kwargs = _get_kwargs(
        body=body,
        project_id=project_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateWebhook,
    project_id: UUID,
) -> ErrorResponse | WebhookWithSecret | None:
    """Register a webhook

     Every event of the project committed from now on whose type is in
    `event_types` (all eight types when it is omitted) is delivered to
    `url`, signed with `secret`: the `Event` as `GET /events` answers
    it (a ping delivers a `PingEvent`). The secret is in this answer only: no
    other answer, log line or error shows it, so keep it where the
    receiver can read it.

    A `url` that is not `http` or `https`, carries credentials
    (`user:password@`), or names a host that is, or resolves to, a
    non-public address (loopback, private, link-local, multicast, ...)
    answers 400 naming `url`, unless the address is inside
    `WEBHOOK_ALLOWED_NETWORKS`. An unknown event type answers 400
    listing the valid ones. A project has at most 100 webhooks: one more
    answers 409.

    Args:
        project_id (UUID):
        body (CreateWebhook): A webhook to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | WebhookWithSecret
    """

    return sync_detailed(
        client=client,
        body=body,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateWebhook,
    project_id: UUID,
) -> Response[ErrorResponse | WebhookWithSecret]:
    """Register a webhook

     Every event of the project committed from now on whose type is in
    `event_types` (all eight types when it is omitted) is delivered to
    `url`, signed with `secret`: the `Event` as `GET /events` answers
    it (a ping delivers a `PingEvent`). The secret is in this answer only: no
    other answer, log line or error shows it, so keep it where the
    receiver can read it.

    A `url` that is not `http` or `https`, carries credentials
    (`user:password@`), or names a host that is, or resolves to, a
    non-public address (loopback, private, link-local, multicast, ...)
    answers 400 naming `url`, unless the address is inside
    `WEBHOOK_ALLOWED_NETWORKS`. An unknown event type answers 400
    listing the valid ones. A project has at most 100 webhooks: one more
    answers 409.

    Args:
        project_id (UUID):
        body (CreateWebhook): A webhook to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | WebhookWithSecret]
    """

    kwargs = _get_kwargs(
        body=body,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateWebhook,
    project_id: UUID,
) -> ErrorResponse | WebhookWithSecret | None:
    """Register a webhook

     Every event of the project committed from now on whose type is in
    `event_types` (all eight types when it is omitted) is delivered to
    `url`, signed with `secret`: the `Event` as `GET /events` answers
    it (a ping delivers a `PingEvent`). The secret is in this answer only: no
    other answer, log line or error shows it, so keep it where the
    receiver can read it.

    A `url` that is not `http` or `https`, carries credentials
    (`user:password@`), or names a host that is, or resolves to, a
    non-public address (loopback, private, link-local, multicast, ...)
    answers 400 naming `url`, unless the address is inside
    `WEBHOOK_ALLOWED_NETWORKS`. An unknown event type answers 400
    listing the valid ones. A project has at most 100 webhooks: one more
    answers 409.

    Args:
        project_id (UUID):
        body (CreateWebhook): A webhook to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | WebhookWithSecret
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            project_id=project_id,
        )
    ).parsed
