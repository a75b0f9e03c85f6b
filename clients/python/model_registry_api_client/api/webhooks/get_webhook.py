from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.webhook import Webhook
from ...types import UNSET, Response, Unset


def _get_kwargs(
    webhook_id: UUID,
    *,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    headers["Project-ID"] = project_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/model-registry/webhooks/{webhook_id}".format(
            webhook_id=quote(str(webhook_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorResponse | Webhook | None:
    if response.status_code == 200:
        response_200 = Webhook.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

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
) -> Response[Any | ErrorResponse | Webhook]:
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
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[Any | ErrorResponse | Webhook]:
    """Get a webhook

     The webhook, without its secret; `enabled` is `false` when its owner
    disabled it, or when its last 100 deliveries all failed. A webhook
    of another project answers 404. Its ETag may be sent as `If-Match`
    to `updateWebhook` and `deleteWebhook`.

    Args:
        webhook_id (UUID):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | Webhook]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        if_none_match=if_none_match,
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
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> Any | ErrorResponse | Webhook | None:
    """Get a webhook

     The webhook, without its secret; `enabled` is `false` when its owner
    disabled it, or when its last 100 deliveries all failed. A webhook
    of another project answers 404. Its ETag may be sent as `If-Match`
    to `updateWebhook` and `deleteWebhook`.

    Args:
        webhook_id (UUID):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | Webhook
    """

    return sync_detailed(
        webhook_id=webhook_id,
        client=client,
        if_none_match=if_none_match,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[Any | ErrorResponse | Webhook]:
    """Get a webhook

     The webhook, without its secret; `enabled` is `false` when its owner
    disabled it, or when its last 100 deliveries all failed. A webhook
    of another project answers 404. Its ETag may be sent as `If-Match`
    to `updateWebhook` and `deleteWebhook`.

    Args:
        webhook_id (UUID):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | Webhook]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        if_none_match=if_none_match,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> Any | ErrorResponse | Webhook | None:
    """Get a webhook

     The webhook, without its secret; `enabled` is `false` when its owner
    disabled it, or when its last 100 deliveries all failed. A webhook
    of another project answers 404. Its ETag may be sent as `If-Match`
    to `updateWebhook` and `deleteWebhook`.

    Args:
        webhook_id (UUID):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | Webhook
    """

    return (
        await asyncio_detailed(
            webhook_id=webhook_id,
            client=client,
            if_none_match=if_none_match,
            project_id=project_id,
        )
    ).parsed
