from http import HTTPStatus
from typing import Any, cast
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.registered_model import RegisteredModel
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    name: str | Unset = UNSET,
    external_id: UUID | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    headers["Project-ID"] = project_id

    params: dict[str, Any] = {}

    params["name"] = name

    json_external_id: str | Unset = UNSET
    if not isinstance(external_id, Unset):
        json_external_id = str(external_id)
    params["externalId"] = json_external_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/model-registry/model",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorResponse | RegisteredModel | None:
    if response.status_code == 200:
        response_200 = RegisteredModel.from_dict(response.json())

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
) -> Response[Any | ErrorResponse | RegisteredModel]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    name: str | Unset = UNSET,
    external_id: UUID | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[Any | ErrorResponse | RegisteredModel]:
    """Find a registered model by name or id

     Looks a model up by its exact `name` and/or its id (`externalId`).
    At least one of them is required, else 400; no match answers 404.

    Args:
        name (str | Unset):
        external_id (UUID | Unset):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | RegisteredModel]
    """

    kwargs = _get_kwargs(
        name=name,
        external_id=external_id,
        if_none_match=if_none_match,
        project_id=project_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    name: str | Unset = UNSET,
    external_id: UUID | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> Any | ErrorResponse | RegisteredModel | None:
    """Find a registered model by name or id

     Looks a model up by its exact `name` and/or its id (`externalId`).
    At least one of them is required, else 400; no match answers 404.

    Args:
        name (str | Unset):
        external_id (UUID | Unset):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | RegisteredModel
    """

    return sync_detailed(
        client=client,
        name=name,
        external_id=external_id,
        if_none_match=if_none_match,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    name: str | Unset = UNSET,
    external_id: UUID | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[Any | ErrorResponse | RegisteredModel]:
    """Find a registered model by name or id

     Looks a model up by its exact `name` and/or its id (`externalId`).
    At least one of them is required, else 400; no match answers 404.

    Args:
        name (str | Unset):
        external_id (UUID | Unset):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | RegisteredModel]
    """

    kwargs = _get_kwargs(
        name=name,
        external_id=external_id,
        if_none_match=if_none_match,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    name: str | Unset = UNSET,
    external_id: UUID | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> Any | ErrorResponse | RegisteredModel | None:
    """Find a registered model by name or id

     Looks a model up by its exact `name` and/or its id (`externalId`).
    At least one of them is required, else 400; no match answers 404.

    Args:
        name (str | Unset):
        external_id (UUID | Unset):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | RegisteredModel
    """

    return (
        await asyncio_detailed(
            client=client,
            name=name,
            external_id=external_id,
            if_none_match=if_none_match,
            project_id=project_id,
        )
    ).parsed
