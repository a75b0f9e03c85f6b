from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_model import CreateModel
from ...models.error_response import ErrorResponse
from ...models.registered_model import RegisteredModel
from ...types import Response


def _get_kwargs(
    *,
    body: CreateModel,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Project-ID"] = project_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/model-registry/models",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RegisteredModel | None:
    if response.status_code == 201:
        response_201 = RegisteredModel.from_dict(response.json())

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
) -> Response[ErrorResponse | RegisteredModel]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateModel,
    project_id: UUID,
) -> Response[ErrorResponse | RegisteredModel]:
    """Create a registered model

     A new model is `LIVE` and `UNDEPLOYED`, with `model_size` 0 and no
    versions. Its `slug` is made from its name: ASCII letters lowered,
    digits and `-` kept, space and `_` turned into `-`, everything else
    dropped, at most 60 characters.

    Names are unique within a project: the same name twice answers
    `409 {"error": "model with this name already exists in the project"}`;
    the same name in another project is fine. `parent_model_id`, when
    given, must be a model of the same project, else 400.

    Args:
        project_id (UUID):
        body (CreateModel): A new registered model.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RegisteredModel]
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
    body: CreateModel,
    project_id: UUID,
) -> ErrorResponse | RegisteredModel | None:
    """Create a registered model

     A new model is `LIVE` and `UNDEPLOYED`, with `model_size` 0 and no
    versions. Its `slug` is made from its name: ASCII letters lowered,
    digits and `-` kept, space and `_` turned into `-`, everything else
    dropped, at most 60 characters.

    Names are unique within a project: the same name twice answers
    `409 {"error": "model with this name already exists in the project"}`;
    the same name in another project is fine. `parent_model_id`, when
    given, must be a model of the same project, else 400.

    Args:
        project_id (UUID):
        body (CreateModel): A new registered model.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RegisteredModel
    """

    return sync_detailed(
        client=client,
        body=body,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateModel,
    project_id: UUID,
) -> Response[ErrorResponse | RegisteredModel]:
    """Create a registered model

     A new model is `LIVE` and `UNDEPLOYED`, with `model_size` 0 and no
    versions. Its `slug` is made from its name: ASCII letters lowered,
    digits and `-` kept, space and `_` turned into `-`, everything else
    dropped, at most 60 characters.

    Names are unique within a project: the same name twice answers
    `409 {"error": "model with this name already exists in the project"}`;
    the same name in another project is fine. `parent_model_id`, when
    given, must be a model of the same project, else 400.

    Args:
        project_id (UUID):
        body (CreateModel): A new registered model.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RegisteredModel]
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
    body: CreateModel,
    project_id: UUID,
) -> ErrorResponse | RegisteredModel | None:
    """Create a registered model

     A new model is `LIVE` and `UNDEPLOYED`, with `model_size` 0 and no
    versions. Its `slug` is made from its name: ASCII letters lowered,
    digits and `-` kept, space and `_` turned into `-`, everything else
    dropped, at most 60 characters.

    Names are unique within a project: the same name twice answers
    `409 {"error": "model with this name already exists in the project"}`;
    the same name in another project is fine. `parent_model_id`, when
    given, must be a model of the same project, else 400.

    Args:
        project_id (UUID):
        body (CreateModel): A new registered model.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RegisteredModel
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            project_id=project_id,
        )
    ).parsed
