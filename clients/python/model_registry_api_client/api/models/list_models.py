from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.model_sort_by import ModelSortBy
from ...models.registered_model_list import RegisteredModelList
from ...models.sort_order import SortOrder
from ...models.state import State
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    state: State | Unset = UNSET,
    model_type: str | Unset = UNSET,
    search: str | Unset = UNSET,
    sort_by: ModelSortBy | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Project-ID"] = project_id

    params: dict[str, Any] = {}

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params["model_type"] = model_type

    params["search"] = search

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

    json_tag: list[str] | Unset = UNSET
    if not isinstance(tag, Unset):
        json_tag = tag

    params["tag"] = json_tag

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/model-registry/models",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RegisteredModelList | None:
    if response.status_code == 200:
        response_200 = RegisteredModelList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

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
) -> Response[ErrorResponse | RegisteredModelList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: State | Unset = UNSET,
    model_type: str | Unset = UNSET,
    search: str | Unset = UNSET,
    sort_by: ModelSortBy | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | RegisteredModelList]:
    """List the project's registered models

     A page of the project's models, filtered by `state`, exact
    `model_type` and a case-insensitive `search` on the name.

    Args:
        state (State | Unset): Lifecycle state of a model or a version.
        model_type (str | Unset):
        search (str | Unset):
        sort_by (ModelSortBy | Unset): Sort keys of the model list. Example: created_at.
        order (SortOrder | Unset): Sort direction. Example: desc.
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):
        label (list[str] | Unset):
        tag (list[str] | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RegisteredModelList]
    """

    kwargs = _get_kwargs(
        state=state,
        model_type=model_type,
        search=search,
        sort_by=sort_by,
        order=order,
        limit=limit,
        offset=offset,
        page_token=page_token,
        label=label,
        tag=tag,
        project_id=project_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    state: State | Unset = UNSET,
    model_type: str | Unset = UNSET,
    search: str | Unset = UNSET,
    sort_by: ModelSortBy | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | RegisteredModelList | None:
    """List the project's registered models

     A page of the project's models, filtered by `state`, exact
    `model_type` and a case-insensitive `search` on the name.

    Args:
        state (State | Unset): Lifecycle state of a model or a version.
        model_type (str | Unset):
        search (str | Unset):
        sort_by (ModelSortBy | Unset): Sort keys of the model list. Example: created_at.
        order (SortOrder | Unset): Sort direction. Example: desc.
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):
        label (list[str] | Unset):
        tag (list[str] | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RegisteredModelList
    """

    return sync_detailed(
        client=client,
        state=state,
        model_type=model_type,
        search=search,
        sort_by=sort_by,
        order=order,
        limit=limit,
        offset=offset,
        page_token=page_token,
        label=label,
        tag=tag,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: State | Unset = UNSET,
    model_type: str | Unset = UNSET,
    search: str | Unset = UNSET,
    sort_by: ModelSortBy | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | RegisteredModelList]:
    """List the project's registered models

     A page of the project's models, filtered by `state`, exact
    `model_type` and a case-insensitive `search` on the name.

    Args:
        state (State | Unset): Lifecycle state of a model or a version.
        model_type (str | Unset):
        search (str | Unset):
        sort_by (ModelSortBy | Unset): Sort keys of the model list. Example: created_at.
        order (SortOrder | Unset): Sort direction. Example: desc.
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):
        label (list[str] | Unset):
        tag (list[str] | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RegisteredModelList]
    """

    kwargs = _get_kwargs(
        state=state,
        model_type=model_type,
        search=search,
        sort_by=sort_by,
        order=order,
        limit=limit,
        offset=offset,
        page_token=page_token,
        label=label,
        tag=tag,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    state: State | Unset = UNSET,
    model_type: str | Unset = UNSET,
    search: str | Unset = UNSET,
    sort_by: ModelSortBy | Unset = UNSET,
    order: SortOrder | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | RegisteredModelList | None:
    """List the project's registered models

     A page of the project's models, filtered by `state`, exact
    `model_type` and a case-insensitive `search` on the name.

    Args:
        state (State | Unset): Lifecycle state of a model or a version.
        model_type (str | Unset):
        search (str | Unset):
        sort_by (ModelSortBy | Unset): Sort keys of the model list. Example: created_at.
        order (SortOrder | Unset): Sort direction. Example: desc.
        limit (int | Unset):
        offset (int | Unset):
        page_token (str | Unset):
        label (list[str] | Unset):
        tag (list[str] | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RegisteredModelList
    """

    return (
        await asyncio_detailed(
            client=client,
            state=state,
            model_type=model_type,
            search=search,
            sort_by=sort_by,
            order=order,
            limit=limit,
            offset=offset,
            page_token=page_token,
            label=label,
            tag=tag,
            project_id=project_id,
        )
    ).parsed
