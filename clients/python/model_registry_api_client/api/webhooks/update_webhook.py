from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.update_webhook import UpdateWebhook
from ...models.webhook import Webhook
from ...types import UNSET, Response, Unset


def _get_kwargs(
    webhook_id: UUID,
    *,
    body: UpdateWebhook,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    headers["Project-ID"] = project_id

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/model-registry/webhooks/{webhook_id}".format(
            webhook_id=quote(str(webhook_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | Webhook | None:
    if response.status_code == 200:
        response_200 = Webhook.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 412:
        response_412 = ErrorResponse.from_dict(response.json())

        return response_412

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
) -> Response[ErrorResponse | Webhook]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWebhook,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | Webhook]:
    """Update a webhook

     Changes the fields given; an absent or null one is left as it is.
    A new `url` is checked as at registration, and `event_types`
    replaces the whole list. `enabled: false` stops the webhook: the
    events committed while it is disabled are not delivered to it.
    `enabled: true` starts it again, and forgets the failures that
    disabled it. The secret does not change. With `If-Match`, a webhook
    changed since answers 412 and stays as it is.

    Args:
        webhook_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateWebhook): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Webhook]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        body=body,
        if_match=if_match,
        project_id=project_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWebhook,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | Webhook | None:
    """Update a webhook

     Changes the fields given; an absent or null one is left as it is.
    A new `url` is checked as at registration, and `event_types`
    replaces the whole list. `enabled: false` stops the webhook: the
    events committed while it is disabled are not delivered to it.
    `enabled: true` starts it again, and forgets the failures that
    disabled it. The secret does not change. With `If-Match`, a webhook
    changed since answers 412 and stays as it is.

    Args:
        webhook_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateWebhook): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Webhook
    """

    return sync_detailed(
        webhook_id=webhook_id,
        client=client,
        body=body,
        if_match=if_match,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWebhook,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | Webhook]:
    """Update a webhook

     Changes the fields given; an absent or null one is left as it is.
    A new `url` is checked as at registration, and `event_types`
    replaces the whole list. `enabled: false` stops the webhook: the
    events committed while it is disabled are not delivered to it.
    `enabled: true` starts it again, and forgets the failures that
    disabled it. The secret does not change. With `If-Match`, a webhook
    changed since answers 412 and stays as it is.

    Args:
        webhook_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateWebhook): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Webhook]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        body=body,
        if_match=if_match,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWebhook,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | Webhook | None:
    """Update a webhook

     Changes the fields given; an absent or null one is left as it is.
    A new `url` is checked as at registration, and `event_types`
    replaces the whole list. `enabled: false` stops the webhook: the
    events committed while it is disabled are not delivered to it.
    `enabled: true` starts it again, and forgets the failures that
    disabled it. The secret does not change. With `If-Match`, a webhook
    changed since answers 412 and stays as it is.

    Args:
        webhook_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateWebhook): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Webhook
    """

    return (
        await asyncio_detailed(
            webhook_id=webhook_id,
            client=client,
            body=body,
            if_match=if_match,
            project_id=project_id,
        )
    ).parsed
