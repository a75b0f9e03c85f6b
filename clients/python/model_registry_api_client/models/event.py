from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type import EventType

if TYPE_CHECKING:
    from ..models.event_changes_type_0 import EventChangesType0


T = TypeVar("T", bound="Event")


@_attrs_define
class Event:
    """One change, as the event feed answers it, and as webhooks are sent it. A webhook's ping is sent a `PingEvent`
    instead: read `type` first.

        Example:
            {'id': 'XJ4a0bY2kq1wZQAAAAAAAAAAAAAAAAAAAAU', 'type': 'version.updated', 'project_id':
                '11111111-1111-1111-1111-111111111111', 'model_id': '5f0b2c8e-1d3a-4e6f-9b7c-2a4d6e8f0a12', 'version_id':
                '7c1d3e5f-2a4b-4c6d-8e0f-1a3b5c7d9e02', 'occurred_at': '2026-02-10T04:02:51.123456Z', 'request_id':
                '4b6e0c9a-8f1d-4c2e-9a7b-3d5f1e2c4a6b', 'data': {'id': '7c1d3e5f-2a4b-4c6d-8e0f-1a3b5c7d9e02', 'name': 'v1.0',
                'status': 'READY'}, 'changes': {'status': {'from': 'PENDING', 'to': 'READY'}}}

        Attributes:
            id (str): This event's cursor; `after` it, a reader gets what follows it. Example:
                XJ4a0bY2kq1wZQAAAAAAAAAAAAAAAAAAAAU.
            type_ (EventType): The kinds of change the event feed announces. Example: version.updated.
            project_id (UUID):
            model_id (UUID):
            version_id (None | UUID): The version of a `version.*` event, or the one an `alias.*` event's alias names
                (named, for `alias.deleted`); `null` for a model's.
            occurred_at (datetime.datetime):
            request_id (str): The `X-Request-ID` of the request that made the change.
            data (Any): The resource as the API answered it after the change (for a delete, as it was): a RegisteredModel
                for `model.*`, a ModelVersion for `version.*` (artifacts included), an Alias for `alias.*`.
            changes (EventChangesType0 | None): For `*.updated`, the fields that changed (`updated_at` aside), each
                `{"from": ..., "to": ...}`. For `alias.set`, `version_id`: the version the alias named before (`from`, `null`
                when it is new) and the one it names now (`to`). Otherwise `null`.
    """

    id: str
    type_: EventType
    project_id: UUID
    model_id: UUID
    version_id: None | UUID
    occurred_at: datetime.datetime
    request_id: str
    data: Any
    changes: EventChangesType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.event_changes_type_0 import EventChangesType0  # noqa: PLC0415

        id = self.id

        type_ = self.type_.value

        project_id = str(self.project_id)

        model_id = str(self.model_id)

        version_id: None | str
        if isinstance(self.version_id, UUID):
            version_id = str(self.version_id)
        else:
            version_id = self.version_id

        occurred_at = self.occurred_at.isoformat()

        request_id = self.request_id

        data = self.data

        changes: dict[str, Any] | None
        if isinstance(self.changes, EventChangesType0):
            changes = self.changes.to_dict()
        else:
            changes = self.changes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "project_id": project_id,
                "model_id": model_id,
                "version_id": version_id,
                "occurred_at": occurred_at,
                "request_id": request_id,
                "data": data,
                "changes": changes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_changes_type_0 import EventChangesType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = EventType(d.pop("type"))

        project_id = UUID(d.pop("project_id"))

        model_id = UUID(d.pop("model_id"))

        def _parse_version_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                version_id_type_0 = UUID(data)

                return version_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        version_id = _parse_version_id(d.pop("version_id"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        request_id = d.pop("request_id")

        data = d.pop("data")

        def _parse_changes(data: object) -> EventChangesType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                changes_type_0 = EventChangesType0.from_dict(data)

                return changes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EventChangesType0 | None, data)

        changes = _parse_changes(d.pop("changes"))

        event = cls(
            id=id,
            type_=type_,
            project_id=project_id,
            model_id=model_id,
            version_id=version_id,
            occurred_at=occurred_at,
            request_id=request_id,
            data=data,
            changes=changes,
        )

        event.additional_properties = d
        return event

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
