from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivery import Delivery
from ...models.error_response import ErrorResponse
from ...types import Response


def _get_kwargs(
    webhook_id: UUID,
    *,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Project-ID"] = project_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/model-registry/webhooks/{webhook_id}/ping".format(
            webhook_id=quote(str(webhook_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Delivery | ErrorResponse | None:
    if response.status_code == 202:
        response_202 = Delivery.from_dict(response.json())

        return response_202

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
) -> Response[Delivery | ErrorResponse]:
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
    project_id: UUID,
) -> Response[Delivery | ErrorResponse]:
    """Send a webhook a test event

     Delivers a `PingEvent` (`type`: `webhook.ping`), whatever the
    webhook's `event_types`, in the background and signed like any
    other: `{"id", "type": "webhook.ping", "project_id", "model_id":
    null, "version_id": null, "occurred_at", "request_id", "data":
    {"webhook_id"}, "changes": null}`. It is not in the change feed.
    The answer is its delivery, `pending`; its outcome is in the
    webhook's deliveries.

    Args:
        webhook_id (UUID):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Delivery | ErrorResponse]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
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
    project_id: UUID,
) -> Delivery | ErrorResponse | None:
    """Send a webhook a test event

     Delivers a `PingEvent` (`type`: `webhook.ping`), whatever the
    webhook's `event_types`, in the background and signed like any
    other: `{"id", "type": "webhook.ping", "project_id", "model_id":
    null, "version_id": null, "occurred_at", "request_id", "data":
    {"webhook_id"}, "changes": null}`. It is not in the change feed.
    The answer is its delivery, `pending`; its outcome is in the
    webhook's deliveries.

    Args:
        webhook_id (UUID):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Delivery | ErrorResponse
    """

    return sync_detailed(
        webhook_id=webhook_id,
        client=client,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    project_id: UUID,
) -> Response[Delivery | ErrorResponse]:
    """Send a webhook a test event

     Delivers a `PingEvent` (`type`: `webhook.ping`), whatever the
    webhook's `event_types`, in the background and signed like any
    other: `{"id", "type": "webhook.ping", "project_id", "model_id":
    null, "version_id": null, "occurred_at", "request_id", "data":
    {"webhook_id"}, "changes": null}`. It is not in the change feed.
    The answer is its delivery, `pending`; its outcome is in the
    webhook's deliveries.

    Args:
        webhook_id (UUID):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Delivery | ErrorResponse]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    project_id: UUID,
) -> Delivery | ErrorResponse | None:
    """Send a webhook a test event

     Delivers a `PingEvent` (`type`: `webhook.ping`), whatever the
    webhook's `event_types`, in the background and signed like any
    other: `{"id", "type": "webhook.ping", "project_id", "model_id":
    null, "version_id": null, "occurred_at", "request_id", "data":
    {"webhook_id"}, "changes": null}`. It is not in the change feed.
    The answer is its delivery, `pending`; its outcome is in the
    webhook's deliveries.

    Args:
        webhook_id (UUID):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Delivery | ErrorResponse
    """

    return (
        await asyncio_detailed(
            webhook_id=webhook_id,
            client=client,
            project_id=project_id,
        )
    ).parsed
