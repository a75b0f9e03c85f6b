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
    delivery_id: UUID,
    *,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Project-ID"] = project_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/model-registry/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver".format(
            webhook_id=quote(str(webhook_id), safe=""),
            delivery_id=quote(str(delivery_id), safe=""),
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
    delivery_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    project_id: UUID,
) -> Response[Delivery | ErrorResponse]:
    """Deliver a delivery's event again

     A new delivery of the same event, whatever became of the first:
    the same body and the same `event_id`, so the same `webhook-id`
    header (a receiver that keeps the ids it has handled sees it as the
    same event), to the webhook's current `url`. A delivery of another
    webhook answers 404.

    Args:
        webhook_id (UUID):
        delivery_id (UUID):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Delivery | ErrorResponse]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        delivery_id=delivery_id,
        project_id=project_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    webhook_id: UUID,
    delivery_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    project_id: UUID,
) -> Delivery | ErrorResponse | None:
    """Deliver a delivery's event again

     A new delivery of the same event, whatever became of the first:
    the same body and the same `event_id`, so the same `webhook-id`
    header (a receiver that keeps the ids it has handled sees it as the
    same event), to the webhook's current `url`. A delivery of another
    webhook answers 404.

    Args:
        webhook_id (UUID):
        delivery_id (UUID):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Delivery | ErrorResponse
    """

    return sync_detailed(
        webhook_id=webhook_id,
        delivery_id=delivery_id,
        client=client,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    webhook_id: UUID,
    delivery_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    project_id: UUID,
) -> Response[Delivery | ErrorResponse]:
    """Deliver a delivery's event again

     A new delivery of the same event, whatever became of the first:
    the same body and the same `event_id`, so the same `webhook-id`
    header (a receiver that keeps the ids it has handled sees it as the
    same event), to the webhook's current `url`. A delivery of another
    webhook answers 404.

    Args:
        webhook_id (UUID):
        delivery_id (UUID):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Delivery | ErrorResponse]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        delivery_id=delivery_id,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    webhook_id: UUID,
    delivery_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    project_id: UUID,
) -> Delivery | ErrorResponse | None:
    """Deliver a delivery's event again

     A new delivery of the same event, whatever became of the first:
    the same body and the same `event_id`, so the same `webhook-id`
    header (a receiver that keeps the ids it has handled sees it as the
    same event), to the webhook's current `url`. A delivery of another
    webhook answers 404.

    Args:
        webhook_id (UUID):
        delivery_id (UUID):
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
            delivery_id=delivery_id,
            client=client,
            project_id=project_id,
        )
    ).parsed
