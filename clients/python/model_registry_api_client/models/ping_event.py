from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ping_event_type import PingEventType

if TYPE_CHECKING:
    from ..models.ping_event_changes_type_0 import PingEventChangesType0
    from ..models.ping_event_data import PingEventData


T = TypeVar("T", bound="PingEvent")


@_attrs_define
class PingEvent:
    """What a webhook's ping (`POST /webhooks/{webhook_id}/ping`) delivers, signed as an `Event` is: of no model, its
    `data` names the webhook. It is never in the change feed.

        Example:
            {'id': 'ping_3f1c9a7e2b4d4e6f8a0b1c2d3e4f5a6b', 'type': 'webhook.ping', 'project_id':
                '11111111-1111-1111-1111-111111111111', 'model_id': None, 'version_id': None, 'occurred_at':
                '2026-02-10T04:02:51.123456Z', 'request_id': '4b6e0c9a-8f1d-4c2e-9a7b-3d5f1e2c4a6b', 'data': {'webhook_id':
                '9d2e4f6a-8b0c-4d1e-a3f5-b7c9d1e3f5a7'}, 'changes': None}

        Attributes:
            id (str): The ping's own id, sent as `webhook-id`. Example: ping_3f1c9a7e2b4d4e6f8a0b1c2d3e4f5a6b.
            type_ (PingEventType):
            project_id (UUID):
            model_id (None | UUID): Always `null`.
            version_id (None | UUID): Always `null`.
            occurred_at (datetime.datetime):
            request_id (str): The `X-Request-ID` of the request that asked for the ping.
            data (PingEventData):
            changes (None | PingEventChangesType0): Always `null`.
    """

    id: str
    type_: PingEventType
    project_id: UUID
    model_id: None | UUID
    version_id: None | UUID
    occurred_at: datetime.datetime
    request_id: str
    data: PingEventData
    changes: None | PingEventChangesType0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.ping_event_changes_type_0 import PingEventChangesType0  # noqa: PLC0415

        id = self.id

        type_ = self.type_.value

        project_id = str(self.project_id)

        model_id: None | str
        if isinstance(self.model_id, UUID):
            model_id = str(self.model_id)
        else:
            model_id = self.model_id

        version_id: None | str
        if isinstance(self.version_id, UUID):
            version_id = str(self.version_id)
        else:
            version_id = self.version_id

        occurred_at = self.occurred_at.isoformat()

        request_id = self.request_id

        data = self.data.to_dict()

        changes: dict[str, Any] | None
        if isinstance(self.changes, PingEventChangesType0):
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
        from ..models.ping_event_changes_type_0 import PingEventChangesType0  # noqa: PLC0415
        from ..models.ping_event_data import PingEventData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = PingEventType(d.pop("type"))

        project_id = UUID(d.pop("project_id"))

        def _parse_model_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                model_id_type_0 = UUID(data)

                return model_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        model_id = _parse_model_id(d.pop("model_id"))

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

        data = PingEventData.from_dict(d.pop("data"))

        def _parse_changes(data: object) -> None | PingEventChangesType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                changes_type_0 = PingEventChangesType0.from_dict(data)

                return changes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PingEventChangesType0, data)

        changes = _parse_changes(d.pop("changes"))

        ping_event = cls(
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

        ping_event.additional_properties = d
        return ping_event

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
