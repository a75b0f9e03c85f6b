from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.model_version import ModelVersion


T = TypeVar("T", bound="AliasWithVersion")


@_attrs_define
class AliasWithVersion:
    """An alias, with the version it names.

    Attributes:
        alias (str):  Example: champion.
        model_id (UUID):  Example: 5f0b2c8e-1d3a-4e6f-9b7c-2a4d6e8f0a12.
        version_id (UUID):  Example: 9a1c3e5f-7b2d-4f6a-8c0e-1b3d5f7a9c24.
        updated_at (datetime.datetime): When it was last set or moved. Example: 2026-02-10T04:02:51Z.
        version (ModelVersion): A version of a registered model. `access_key` and `secret_key` are never shown.
    """

    alias: str
    model_id: UUID
    version_id: UUID
    updated_at: datetime.datetime
    version: ModelVersion
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        alias = self.alias

        model_id = str(self.model_id)

        version_id = str(self.version_id)

        updated_at = self.updated_at.isoformat()

        version = self.version.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alias": alias,
                "model_id": model_id,
                "version_id": version_id,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_version import ModelVersion  # noqa: PLC0415

        d = dict(src_dict)
        alias = d.pop("alias")

        model_id = UUID(d.pop("model_id"))

        version_id = UUID(d.pop("version_id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = ModelVersion.from_dict(d.pop("version"))

        alias_with_version = cls(
            alias=alias,
            model_id=model_id,
            version_id=version_id,
            updated_at=updated_at,
            version=version,
        )

        alias_with_version.additional_properties = d
        return alias_with_version

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
