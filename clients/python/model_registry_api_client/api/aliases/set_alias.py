from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.alias import Alias
from ...models.error_response import ErrorResponse
from ...models.set_alias import SetAlias
from ...types import UNSET, Response, Unset


def _get_kwargs(
    model_id: UUID,
    alias: str,
    *,
    body: SetAlias,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    headers["Project-ID"] = project_id

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/model-registry/models/{model_id}/aliases/{alias}".format(
            model_id=quote(str(model_id), safe=""),
            alias=quote(str(alias), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Alias | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = Alias.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

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
) -> Response[Alias | ErrorResponse]:
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
    body: SetAlias,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[Alias | ErrorResponse]:
    """Point an alias at a version of the model

     Creates the alias, or moves it to another version of the same
    model, in one step: a reader sees it name the old version or the
    new one, never neither. Setting it to the version it already names
    changes nothing and appends no event; otherwise the change feed
    gets an `alias.set`.

    An unknown model or version answers 404. A version of another
    model, a name outside `^[a-z][a-z0-9_-]{0,62}$`, or `latest` or
    `default` (reserved) answers 400, naming the field. With
    `If-Match` (the alias's ETag, as this operation or `getAlias`
    answers it), the alias is set only if it is still as that ETag
    says, else 412 and nothing changes: of many callers moving it with
    the same ETag, exactly one wins. `If-Match` on an alias that does
    not exist is a 412 as well. A model has at most 100 aliases; a new
    one past that answers 409.

    Args:
        model_id (UUID):
        alias (str):
        if_match (str | Unset):
        project_id (UUID):
        body (SetAlias): The version an alias is to name.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Alias | ErrorResponse]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        alias=alias,
        body=body,
        if_match=if_match,
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
    body: SetAlias,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> Alias | ErrorResponse | None:
    """Point an alias at a version of the model

     Creates the alias, or moves it to another version of the same
    model, in one step: a reader sees it name the old version or the
    new one, never neither. Setting it to the version it already names
    changes nothing and appends no event; otherwise the change feed
    gets an `alias.set`.

    An unknown model or version answers 404. A version of another
    model, a name outside `^[a-z][a-z0-9_-]{0,62}$`, or `latest` or
    `default` (reserved) answers 400, naming the field. With
    `If-Match` (the alias's ETag, as this operation or `getAlias`
    answers it), the alias is set only if it is still as that ETag
    says, else 412 and nothing changes: of many callers moving it with
    the same ETag, exactly one wins. `If-Match` on an alias that does
    not exist is a 412 as well. A model has at most 100 aliases; a new
    one past that answers 409.

    Args:
        model_id (UUID):
        alias (str):
        if_match (str | Unset):
        project_id (UUID):
        body (SetAlias): The version an alias is to name.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Alias | ErrorResponse
    """

    return sync_detailed(
        model_id=model_id,
        alias=alias,
        client=client,
        body=body,
        if_match=if_match,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    model_id: UUID,
    alias: str,
    *,
    client: AuthenticatedClient | Client,
    body: SetAlias,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[Alias | ErrorResponse]:
    """Point an alias at a version of the model

     Creates the alias, or moves it to another version of the same
    model, in one step: a reader sees it name the old version or the
    new one, never neither. Setting it to the version it already names
    changes nothing and appends no event; otherwise the change feed
    gets an `alias.set`.

    An unknown model or version answers 404. A version of another
    model, a name outside `^[a-z][a-z0-9_-]{0,62}$`, or `latest` or
    `default` (reserved) answers 400, naming the field. With
    `If-Match` (the alias's ETag, as this operation or `getAlias`
    answers it), the alias is set only if it is still as that ETag
    says, else 412 and nothing changes: of many callers moving it with
    the same ETag, exactly one wins. `If-Match` on an alias that does
    not exist is a 412 as well. A model has at most 100 aliases; a new
    one past that answers 409.

    Args:
        model_id (UUID):
        alias (str):
        if_match (str | Unset):
        project_id (UUID):
        body (SetAlias): The version an alias is to name.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Alias | ErrorResponse]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        alias=alias,
        body=body,
        if_match=if_match,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_id: UUID,
    alias: str,
    *,
    client: AuthenticatedClient | Client,
    body: SetAlias,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> Alias | ErrorResponse | None:
    """Point an alias at a version of the model

     Creates the alias, or moves it to another version of the same
    model, in one step: a reader sees it name the old version or the
    new one, never neither. Setting it to the version it already names
    changes nothing and appends no event; otherwise the change feed
    gets an `alias.set`.

    An unknown model or version answers 404. A version of another
    model, a name outside `^[a-z][a-z0-9_-]{0,62}$`, or `latest` or
    `default` (reserved) answers 400, naming the field. With
    `If-Match` (the alias's ETag, as this operation or `getAlias`
    answers it), the alias is set only if it is still as that ETag
    says, else 412 and nothing changes: of many callers moving it with
    the same ETag, exactly one wins. `If-Match` on an alias that does
    not exist is a 412 as well. A model has at most 100 aliases; a new
    one past that answers 409.

    Args:
        model_id (UUID):
        alias (str):
        if_match (str | Unset):
        project_id (UUID):
        body (SetAlias): The version an alias is to name.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Alias | ErrorResponse
    """

    return (
        await asyncio_detailed(
            model_id=model_id,
            alias=alias,
            client=client,
            body=body,
            if_match=if_match,
            project_id=project_id,
        )
    ).parsed
