from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_version import CreateVersion
from ...models.error_response import ErrorResponse
from ...models.model_version import ModelVersion
from ...types import Response


def _get_kwargs(
    model_id: UUID,
    *,
    body: CreateVersion,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Project-ID"] = project_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/model-registry/models/{model_id}/versions".format(
            model_id=quote(str(model_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ModelVersion | None:
    if response.status_code == 201:
        response_201 = ModelVersion.from_dict(response.json())

        return response_201

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
) -> Response[ErrorResponse | ModelVersion]:
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
    body: CreateVersion,
    project_id: UUID,
) -> Response[ErrorResponse | ModelVersion]:
    """Create a version of a registered model

     A new version is `LIVE` and `PENDING`. With `is_default: true` it
    becomes the model's one default version: the flag is cleared on its
    siblings in the same transaction, so even racing requests leave
    exactly one default.

    A model of another project answers 404. Names are unique within a
    model: the same name twice answers
    `409 {"error": "version with this name already exists for this model"}`.

    Args:
        model_id (UUID):
        project_id (UUID):
        body (CreateVersion): A new version of a registered model.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ModelVersion]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        body=body,
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
    body: CreateVersion,
    project_id: UUID,
) -> ErrorResponse | ModelVersion | None:
    """Create a version of a registered model

     A new version is `LIVE` and `PENDING`. With `is_default: true` it
    becomes the model's one default version: the flag is cleared on its
    siblings in the same transaction, so even racing requests leave
    exactly one default.

    A model of another project answers 404. Names are unique within a
    model: the same name twice answers
    `409 {"error": "version with this name already exists for this model"}`.

    Args:
        model_id (UUID):
        project_id (UUID):
        body (CreateVersion): A new version of a registered model.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ModelVersion
    """

    return sync_detailed(
        model_id=model_id,
        client=client,
        body=body,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    model_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreateVersion,
    project_id: UUID,
) -> Response[ErrorResponse | ModelVersion]:
    """Create a version of a registered model

     A new version is `LIVE` and `PENDING`. With `is_default: true` it
    becomes the model's one default version: the flag is cleared on its
    siblings in the same transaction, so even racing requests leave
    exactly one default.

    A model of another project answers 404. Names are unique within a
    model: the same name twice answers
    `409 {"error": "version with this name already exists for this model"}`.

    Args:
        model_id (UUID):
        project_id (UUID):
        body (CreateVersion): A new version of a registered model.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ModelVersion]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        body=body,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreateVersion,
    project_id: UUID,
) -> ErrorResponse | ModelVersion | None:
    """Create a version of a registered model

     A new version is `LIVE` and `PENDING`. With `is_default: true` it
    becomes the model's one default version: the flag is cleared on its
    siblings in the same transaction, so even racing requests leave
    exactly one default.

    A model of another project answers 404. Names are unique within a
    model: the same name twice answers
    `409 {"error": "version with this name already exists for this model"}`.

    Args:
        model_id (UUID):
        project_id (UUID):
        body (CreateVersion): A new version of a registered model.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ModelVersion
    """

    return (
        await asyncio_detailed(
            model_id=model_id,
            client=client,
            body=body,
            project_id=project_id,
        )
    ).parsed
