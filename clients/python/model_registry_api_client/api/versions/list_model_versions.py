from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.model_version_list import ModelVersionList
from ...models.sort_order import SortOrder
from ...models.state import State
from ...models.version_sort_by import VersionSortBy
from ...models.version_status import VersionStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    model_id: UUID,
    *,
    state: State | Unset = UNSET,
    status: VersionStatus | Unset = UNSET,
    sort_by: VersionSortBy | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Project-ID"] = project_id

    params: dict[str, Any] = {}

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_sort_by: str | Unset = UNSET
    if not isinstance(sort_by, Unset):
        json_sort_by = sort_by.value

    params["sort_by"] = json_sort_by

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params["limit"] = limit

    params["offset"] = offset

    params["page_token"] = page_token

    json_label: list[str] | Unset = UNSET
    if not isinstance(label, Unset):
        json_label = label

    params["label"] = json_label

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/model-registry/models/{model_id}/versions".format(
            model_id=quote(str(model_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ModelVersionList | None:
    if response.status_code == 200:
        response_200 = ModelVersionList.from_dict(response.json())

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
) -> Response[ErrorResponse | ModelVersionList]:
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
    state: State | Unset = UNSET,
    status: VersionStatus | Unset = UNSET,
    sort_by: VersionSortBy | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | ModelVersionList]:
    """List the versions of a registered model

     A page of the model's versions, filtered by `state` and `status`.
    A model of another project answers 404.

    Args:
        model_id (UUID):
        state (State | Unset): Lifecycle state of a model or a version.
        status (VersionStatus | Unset): Readiness of a version.
        sort_by (VersionSortBy | Unset): Sort keys of the version and artifact lists. Example:
            created_at.
        order (SortOrder | Unset): Sort direction. Example: desc.
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):
        label (list[str] | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ModelVersionList]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        state=state,
        status=status,
        sort_by=sort_by,
        order=order,
        limit=limit,
        offset=offset,
        page_token=page_token,
        label=label,
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
    state: State | Unset = UNSET,
    status: VersionStatus | Unset = UNSET,
    sort_by: VersionSortBy | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | ModelVersionList | None:
    """List the versions of a registered model

     A page of the model's versions, filtered by `state` and `status`.
    A model of another project answers 404.

    Args:
        model_id (UUID):
        state (State | Unset): Lifecycle state of a model or a version.
        status (VersionStatus | Unset): Readiness of a version.
        sort_by (VersionSortBy | Unset): Sort keys of the version and artifact lists. Example:
            created_at.
        order (SortOrder | Unset): Sort direction. Example: desc.
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):
        label (list[str] | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ModelVersionList
    """

    return sync_detailed(
        model_id=model_id,
        client=client,
        state=state,
        status=status,
        sort_by=sort_by,
        order=order,
        limit=limit,
        offset=offset,
        page_token=page_token,
        label=label,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    model_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    state: State | Unset = UNSET,
    status: VersionStatus | Unset = UNSET,
    sort_by: VersionSortBy | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | ModelVersionList]:
    """List the versions of a registered model

     A page of the model's versions, filtered by `state` and `status`.
    A model of another project answers 404.

    Args:
        model_id (UUID):
        state (State | Unset): Lifecycle state of a model or a version.
        status (VersionStatus | Unset): Readiness of a version.
        sort_by (VersionSortBy | Unset): Sort keys of the version and artifact lists. Example:
            created_at.
        order (SortOrder | Unset): Sort direction. Example: desc.
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):
        label (list[str] | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ModelVersionList]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        state=state,
        status=status,
        sort_by=sort_by,
        order=order,
        limit=limit,
        offset=offset,
        page_token=page_token,
        label=label,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    state: State | Unset = UNSET,
    status: VersionStatus | Unset = UNSET,
    sort_by: VersionSortBy | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | ModelVersionList | None:
    """List the versions of a registered model

     A page of the model's versions, filtered by `state` and `status`.
    A model of another project answers 404.

    Args:
        model_id (UUID):
        state (State | Unset): Lifecycle state of a model or a version.
        status (VersionStatus | Unset): Readiness of a version.
        sort_by (VersionSortBy | Unset): Sort keys of the version and artifact lists. Example:
            created_at.
        order (SortOrder | Unset): Sort direction. Example: desc.
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):
        label (list[str] | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ModelVersionList
    """

    return (
        await asyncio_detailed(
            model_id=model_id,
            client=client,
            state=state,
            status=status,
            sort_by=sort_by,
            order=order,
            limit=limit,
            offset=offset,
            page_token=page_token,
            label=label,
            project_id=project_id,
        )
    ).parsed
