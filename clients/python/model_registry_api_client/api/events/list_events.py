from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.event_list import EventList
from ...models.event_type import EventType
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    after: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    type_: list[EventType] | Unset = UNSET,
    model_id: UUID | Unset = UNSET,
    wait: int | Unset = UNSET,
    project_id: UUID,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Project-ID"] = project_id

    params: dict[str, Any] = {}

    params["after"] = after

    params["limit"] = limit

    json_type_: list[str] | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = []
        for type_item_data in type_:
            type_item = type_item_data.value
            json_type_.append(type_item)

    params["type"] = json_type_

    json_model_id: str | Unset = UNSET
    if not isinstance(model_id, Unset):
        json_model_id = str(model_id)
    params["model_id"] = json_model_id

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/model-registry/events",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | EventList | None:
    if response.status_code == 200:
        response_200 = EventList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 410:
        response_410 = ErrorResponse.from_dict(response.json())

        return response_410

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
) -> Response[ErrorResponse | EventList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    after: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    type_: list[EventType] | Unset = UNSET,
    model_id: UUID | Unset = UNSET,
    wait: int | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | EventList]:
    """Follow the project's changes

     Every change to a model, a version (artifacts are versions) or an
    alias, as an event, oldest first. Each write appends its events in
    its own transaction: a write that fails, is refused or changes
    nothing appends none. A reader that follows `next_cursor` sees every
    committed event exactly once, never a gap, and the events of one
    model in the order their writes committed, with any number of
    writers on any number of service processes.

    Alias events carry the Alias as `data`; an `alias.set` also carries
    `changes.version_id` `{"from": <the version it named before, null
    when it is new>, "to": <the version it names now>}`. So "which
    version was `champion` at time T" is the `to` of the last
    `alias.set` of `champion` before T (unless an `alias.deleted`
    came after it): `?model_id=...&type=alias.set&type=alias.deleted`.

    Without `after`, the feed starts at the oldest event kept (events
    are kept `EVENTS_RETENTION_DAYS`, 30 by default); a cursor from
    before what retention removed answers 410 `cursor_expired`. With
    `wait`, an answer that would be empty is held until an event of the
    project commits or `wait` seconds pass.

    Args:
        after (str | Unset):
        limit (int | Unset):
        type_ (list[EventType] | Unset):
        model_id (UUID | Unset):
        wait (int | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | EventList]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        type_=type_,
        model_id=model_id,
        wait=wait,
        project_id=project_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    after: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    type_: list[EventType] | Unset = UNSET,
    model_id: UUID | Unset = UNSET,
    wait: int | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | EventList | None:
    """Follow the project's changes

     Every change to a model, a version (artifacts are versions) or an
    alias, as an event, oldest first. Each write appends its events in
    its own transaction: a write that fails, is refused or changes
    nothing appends none. A reader that follows `next_cursor` sees every
    committed event exactly once, never a gap, and the events of one
    model in the order their writes committed, with any number of
    writers on any number of service processes.

    Alias events carry the Alias as `data`; an `alias.set` also carries
    `changes.version_id` `{"from": <the version it named before, null
    when it is new>, "to": <the version it names now>}`. So "which
    version was `champion` at time T" is the `to` of the last
    `alias.set` of `champion` before T (unless an `alias.deleted`
    came after it): `?model_id=...&type=alias.set&type=alias.deleted`.

    Without `after`, the feed starts at the oldest event kept (events
    are kept `EVENTS_RETENTION_DAYS`, 30 by default); a cursor from
    before what retention removed answers 410 `cursor_expired`. With
    `wait`, an answer that would be empty is held until an event of the
    project commits or `wait` seconds pass.

    Args:
        after (str | Unset):
        limit (int | Unset):
        type_ (list[EventType] | Unset):
        model_id (UUID | Unset):
        wait (int | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | EventList
    """

    return sync_detailed(
        client=client,
        after=after,
        limit=limit,
        type_=type_,
        model_id=model_id,
        wait=wait,
        project_id=project_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    after: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    type_: list[EventType] | Unset = UNSET,
    model_id: UUID | Unset = UNSET,
    wait: int | Unset = UNSET,
    project_id: UUID,
) -> Response[ErrorResponse | EventList]:
    """Follow the project's changes

     Every change to a model, a version (artifacts are versions) or an
    alias, as an event, oldest first. Each write appends its events in
    its own transaction: a write that fails, is refused or changes
    nothing appends none. A reader that follows `next_cursor` sees every
    committed event exactly once, never a gap, and the events of one
    model in the order their writes committed, with any number of
    writers on any number of service processes.

    Alias events carry the Alias as `data`; an `alias.set` also carries
    `changes.version_id` `{"from": <the version it named before, null
    when it is new>, "to": <the version it names now>}`. So "which
    version was `champion` at time T" is the `to` of the last
    `alias.set` of `champion` before T (unless an `alias.deleted`
    came after it): `?model_id=...&type=alias.set&type=alias.deleted`.

    Without `after`, the feed starts at the oldest event kept (events
    are kept `EVENTS_RETENTION_DAYS`, 30 by default); a cursor from
    before what retention removed answers 410 `cursor_expired`. With
    `wait`, an answer that would be empty is held until an event of the
    project commits or `wait` seconds pass.

    Args:
        after (str | Unset):
        limit (int | Unset):
        type_ (list[EventType] | Unset):
        model_id (UUID | Unset):
        wait (int | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | EventList]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        type_=type_,
        model_id=model_id,
        wait=wait,
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    after: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    type_: list[EventType] | Unset = UNSET,
    model_id: UUID | Unset = UNSET,
    wait: int | Unset = UNSET,
    project_id: UUID,
) -> ErrorResponse | EventList | None:
    """Follow the project's changes

     Every change to a model, a version (artifacts are versions) or an
    alias, as an event, oldest first. Each write appends its events in
    its own transaction: a write that fails, is refused or changes
    nothing appends none. A reader that follows `next_cursor` sees every
    committed event exactly once, never a gap, and the events of one
    model in the order their writes committed, with any number of
    writers on any number of service processes.

    Alias events carry the Alias as `data`; an `alias.set` also carries
    `changes.version_id` `{"from": <the version it named before, null
    when it is new>, "to": <the version it names now>}`. So "which
    version was `champion` at time T" is the `to` of the last
    `alias.set` of `champion` before T (unless an `alias.deleted`
    came after it): `?model_id=...&type=alias.set&type=alias.deleted`.

    Without `after`, the feed starts at the oldest event kept (events
    are kept `EVENTS_RETENTION_DAYS`, 30 by default); a cursor from
    before what retention removed answers 410 `cursor_expired`. With
    `wait`, an answer that would be empty is held until an event of the
    project commits or `wait` seconds pass.

    Args:
        after (str | Unset):
        limit (int | Unset):
        type_ (list[EventType] | Unset):
        model_id (UUID | Unset):
        wait (int | Unset):
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | EventList
    """

    return (
        await asyncio_detailed(
            client=client,
            after=after,
            limit=limit,
            type_=type_,
            model_id=model_id,
            wait=wait,
            project_id=project_id,
        )
    ).parsed
