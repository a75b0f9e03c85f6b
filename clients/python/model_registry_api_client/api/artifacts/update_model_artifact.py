from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.model_artifact import ModelArtifact
from ...models.update_artifact import UpdateArtifact
from ...types import UNSET, Response, Unset


def _get_kwargs(
    artifact_id: UUID,
    *,
    body: UpdateArtifact,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    headers["Project-ID"] = project_id

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/model-registry/model_artifacts/{artifact_id}".format(
            artifact_id=quote(str(artifact_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ModelArtifact | None:
    if response.status_code == 200:
        response_200 = ModelArtifact.from_dict(response.json())

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
) -> Response[ErrorResponse | ModelArtifact]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    artifact_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateArtifact,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | ModelArtifact]:
    """Update an artifact

     Every field is optional; an absent or `null` field is left as it is.
    `labels` replaces the whole map. A rename onto a sibling's name
    answers 409.

    Args:
        artifact_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateArtifact): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ModelArtifact]
    """

    kwargs = _get_kwargs(
        artifact_id=artifact_id,
        body=body,
        if_match=if_match,
        project_id=project_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    artifact_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateArtifact,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | ModelArtifact | None:
    """Update an artifact

     Every field is optional; an absent or `null` field is left as it is.
    `labels` replaces the whole map. A rename onto a sibling's name
    answers 409.

    Args:
        artifact_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateArtifact): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ModelArtifact
    """

    return sync_detailed(
        artifact_id=artifact_id,
        client=client,
        body=body,
        if_match=if_match,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    artifact_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateArtifact,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | ModelArtifact]:
    """Update an artifact

     Every field is optional; an absent or `null` field is left as it is.
    `labels` replaces the whole map. A rename onto a sibling's name
    answers 409.

    Args:
        artifact_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateArtifact): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ModelArtifact]
    """

    kwargs = _get_kwargs(
        artifact_id=artifact_id,
        body=body,
        if_match=if_match,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    artifact_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateArtifact,
    if_match: str | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | ModelArtifact | None:
    """Update an artifact

     Every field is optional; an absent or `null` field is left as it is.
    `labels` replaces the whole map. A rename onto a sibling's name
    answers 409.

    Args:
        artifact_id (UUID):
        if_match (str | Unset):
        project_id (UUID):
        body (UpdateArtifact): Every field is optional; an absent or null one is left as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ModelArtifact
    """

    return (
        await asyncio_detailed(
            artifact_id=artifact_id,
            client=client,
            body=body,
            if_match=if_match,
            project_id=project_id,
        )
    ).parsed
