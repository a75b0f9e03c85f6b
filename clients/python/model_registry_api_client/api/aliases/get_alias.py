from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.alias_with_version import AliasWithVersion
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    model_id: UUID,
    alias: str,
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
        "url": "/api/v1/model-registry/models/{model_id}/aliases/{alias}".format(
            model_id=quote(str(model_id), safe=""),
            alias=quote(str(alias), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AliasWithVersion | Any | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AliasWithVersion.from_dict(response.json())

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
) -> Response[AliasWithVersion | Any | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_id: UUID,
    alias: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[AliasWithVersion | Any | ErrorResponse]:
    """Resolve an alias to its version

     The alias with the whole version it names, in `version`. An unknown
    model, or an alias the model does not have, answers 404. Its ETag
    may be sent as `If-Match` to `setAlias` and `deleteAlias`.

    Args:
        model_id (UUID):
        alias (str):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AliasWithVersion | Any | ErrorResponse]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        alias=alias,
        if_none_match=if_none_match,
        project_id=project_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model_id: UUID,
    alias: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> AliasWithVersion | Any | ErrorResponse | None:
    """Resolve an alias to its version

     The alias with the whole version it names, in `version`. An unknown
    model, or an alias the model does not have, answers 404. Its ETag
    may be sent as `If-Match` to `setAlias` and `deleteAlias`.

    Args:
        model_id (UUID):
        alias (str):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AliasWithVersion | Any | ErrorResponse
    """

    return sync_detailed(
        model_id=model_id,
        alias=alias,
        client=client,
        if_none_match=if_none_match,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    model_id: UUID,
    alias: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[AliasWithVersion | Any | ErrorResponse]:
    """Resolve an alias to its version

     The alias with the whole version it names, in `version`. An unknown
    model, or an alias the model does not have, answers 404. Its ETag
    may be sent as `If-Match` to `setAlias` and `deleteAlias`.

    Args:
        model_id (UUID):
        alias (str):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AliasWithVersion | Any | ErrorResponse]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        alias=alias,
        if_none_match=if_none_match,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_id: UUID,
    alias: str,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: str | Unset = UNSET,
    project_id: UUID,
) -> AliasWithVersion | Any | ErrorResponse | None:
    """Resolve an alias to its version

     The alias with the whole version it names, in `version`. An unknown
    model, or an alias the model does not have, answers 404. Its ETag
    may be sent as `If-Match` to `setAlias` and `deleteAlias`.

    Args:
        model_id (UUID):
        alias (str):
        if_none_match (str | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AliasWithVersion | Any | ErrorResponse
    """

    return (
        await asyncio_detailed(
            model_id=model_id,
            alias=alias,
            client=client,
            if_none_match=if_none_match,
            project_id=project_id,
        )
    ).parsed
