from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_status import DeliveryStatus

T = TypeVar("T", bound="Delivery")


@_attrs_define
class Delivery:
    """One event's delivery to a webhook, and what its attempts did.

    Attributes:
        id (UUID):  Example: e3a5c7f9-1b2d-4e6a-8c0f-2d4b6a8c0e51.
        event_id (str): The event's `id`, sent as the `webhook-id` header of every attempt. Example:
            XJ4a0bY2kq1wZQAAAAAAAAAAAAAAAAAAAAU.
        event_type (str): An `EventType`, or `webhook.ping`. Example: version.updated.
        status (DeliveryStatus): Where a delivery stands: `pending` while an attempt is to come, `succeeded` once one
            was answered with a 2xx, `failed` when none will be. Example: succeeded.
        attempts (int): The attempts made so far. Example: 1.
        response_status (int | None): The last attempt's HTTP status; null when none was answered. Example: 204.
        error (None | str): Why the last attempt failed; null when it did not, or none was made.
        duration_ms (int | None): How long the last attempt took, in milliseconds; null before the first. Example: 42.
        created_at (datetime.datetime):  Example: 2026-02-10T04:02:51Z.
        next_attempt_at (datetime.datetime | None): When the next attempt is due; null unless `pending`.
    """

    id: UUID
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    response_status: int | None
    error: None | str
    duration_ms: int | None
    created_at: datetime.datetime
    next_attempt_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        event_id = self.event_id

        event_type = self.event_type

        status = self.status.value

        attempts = self.attempts

        response_status: int | None
        response_status = self.response_status

        error: None | str
        error = self.error

        duration_ms: int | None
        duration_ms = self.duration_ms

        created_at = self.created_at.isoformat()

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "event_id": event_id,
                "event_type": event_type,
                "status": status,
                "attempts": attempts,
                "response_status": response_status,
                "error": error,
                "duration_ms": duration_ms,
                "created_at": created_at,
                "next_attempt_at": next_attempt_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        event_id = d.pop("event_id")

        event_type = d.pop("event_type")

        status = DeliveryStatus(d.pop("status"))

        attempts = d.pop("attempts")

        def _parse_response_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        response_status = _parse_response_status(d.pop("response_status"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_duration_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        delivery = cls(
            id=id,
            event_id=event_id,
            event_type=event_type,
            status=status,
            attempts=attempts,
            response_status=response_status,
            error=error,
            duration_ms=duration_ms,
            created_at=created_at,
            next_attempt_at=next_attempt_at,
        )

        delivery.additional_properties = d
        return delivery

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
