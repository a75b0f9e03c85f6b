from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.registered_model import RegisteredModel
from ...models.update_model import UpdateModel
from ...types import UNSET, Response, Unset


def _get_kwargs(
    model_id: UUID,
    *,
    body: UpdateModel,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    headers["Project-ID"] = project_id

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/model-registry/models/{model_id}".format(
            model_id=quote(str(model_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RegisteredModel | None:
    if response.status_code == 200:
        response_200 = RegisteredModel.from_dict(response.json())

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
) -> Response[ErrorResponse | RegisteredModel]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateModel,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | RegisteredModel]:
    """Update a registered model

     Every field is optional; an absent or `null` field is left as it is.
    `tags` replaces the whole object (a missing array becomes `[]`) and
    `labels` replaces the whole map. A rename onto a name already taken in
    the project answers 409.

    Args:
        model_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateModel): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RegisteredModel]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
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
    *,
    client: AuthenticatedClient | Client,
    body: UpdateModel,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | RegisteredModel | None:
    """Update a registered model

     Every field is optional; an absent or `null` field is left as it is.
    `tags` replaces the whole object (a missing array becomes `[]`) and
    `labels` replaces the whole map. A rename onto a name already taken in
    the project answers 409.

    Args:
        model_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateModel): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RegisteredModel
    """

    return sync_detailed(
        model_id=model_id,
        client=client,
        body=body,
        if_match=if_match,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    model_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateModel,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | RegisteredModel]:
    """Update a registered model

     Every field is optional; an absent or `null` field is left as it is.
    `tags` replaces the whole object (a missing array becomes `[]`) and
    `labels` replaces the whole map. A rename onto a name already taken in
    the project answers 409.

    Args:
        model_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateModel): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RegisteredModel]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        body=body,
        if_match=if_match,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateModel,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | RegisteredModel | None:
    """Update a registered model

     Every field is optional; an absent or `null` field is left as it is.
    `tags` replaces the whole object (a missing array becomes `[]`) and
    `labels` replaces the whole map. A rename onto a name already taken in
    the project answers 409.

    Args:
        model_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateModel): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RegisteredModel
    """

    return (
        await asyncio_detailed(
            model_id=model_id,
            client=client,
            body=body,
            if_match=if_match,
            project_id=project_id,
        )
    ).parsed
