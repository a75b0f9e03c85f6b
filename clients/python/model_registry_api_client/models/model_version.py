from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.state import State
from ..models.version_status import VersionStatus

if TYPE_CHECKING:
    from ..models.labels import Labels


T = TypeVar("T", bound="ModelVersion")


@_attrs_define
class ModelVersion:
    """A version of a registered model. `access_key` and `secret_key` are never shown.

    Attributes:
        id (UUID):  Example: 9a1c3e5f-7b2d-4f6a-8c0e-1b3d5f7a9c24.
        created_at (datetime.datetime):  Example: 2026-02-10T04:02:51Z.
        updated_at (datetime.datetime): Moves on every change. Example: 2026-02-10T04:02:51Z.
        registered_model_id (UUID):  Example: 5f0b2c8e-1d3a-4e6f-9b7c-2a4d6e8f0a12.
        name (str): Unique within the model. Example: v1.0.
        description (str):
        is_default (bool): Whether this is the model's default version; a model has at most one. Example: True.
        state (State): Lifecycle state of a model or a version.
        status (VersionStatus): Readiness of a version.
        created_by_id (None | UUID): The user who created it, or null. Example: 1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6.
        updated_by_id (None | UUID): The user who last updated it, or null. Example:
            1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6.
        created_by_email (str): Email of `created_by_id`; `""` when unknown. Example: owner@example.com.
        updated_by_email (str): Email of `updated_by_id`; `""` when unknown. Example: owner@example.com.
        artifact_type (str): A free string; known values are `model-artifact`, `doc-artifact` and `dataset-artifact`.
            Example: model.
        model_framework (str):  Example: pytorch.
        model_framework_version (str):  Example: 2.1.0.
        container_image (str):  Example: registry.example.com/llm:v1.
        model_catalog_name (str):
        uri (str):  Example: s3://models/llm/v1.
        labels (Labels): Free key-value labels, string to string; `{}` when there are none. Example: {'env': 'test'}.
        prebuilt_container_id (None | UUID): A prebuilt serving container, or null.
        aliases (list[str]): The names of the aliases that name this version, sorted; `[]` when none does. Example:
            ['champion'].
    """

    id: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    registered_model_id: UUID
    name: str
    description: str
    is_default: bool
    state: State
    status: VersionStatus
    created_by_id: None | UUID
    updated_by_id: None | UUID
    created_by_email: str
    updated_by_email: str
    artifact_type: str
    model_framework: str
    model_framework_version: str
    container_image: str
    model_catalog_name: str
    uri: str
    labels: Labels
    prebuilt_container_id: None | UUID
    aliases: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        registered_model_id = str(self.registered_model_id)

        name = self.name

        description = self.description

        is_default = self.is_default

        state = self.state.value

        status = self.status.value

        created_by_id: None | str
        if isinstance(self.created_by_id, UUID):
            created_by_id = str(self.created_by_id)
        else:
            created_by_id = self.created_by_id

        updated_by_id: None | str
        if isinstance(self.updated_by_id, UUID):
            updated_by_id = str(self.updated_by_id)
        else:
            updated_by_id = self.updated_by_id

        created_by_email = self.created_by_email

        updated_by_email = self.updated_by_email

        artifact_type = self.artifact_type

        model_framework = self.model_framework

        model_framework_version = self.model_framework_version

        container_image = self.container_image

        model_catalog_name = self.model_catalog_name

        uri = self.uri

        labels = self.labels.to_dict()

        prebuilt_container_id: None | str
        if isinstance(self.prebuilt_container_id, UUID):
            prebuilt_container_id = str(self.prebuilt_container_id)
        else:
            prebuilt_container_id = self.prebuilt_container_id

        aliases = self.aliases

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "updated_at": updated_at,
                "registered_model_id": registered_model_id,
                "name": name,
                "description": description,
                "is_default": is_default,
                "state": state,
                "status": status,
                "created_by_id": created_by_id,
                "updated_by_id": updated_by_id,
                "created_by_email": created_by_email,
                "updated_by_email": updated_by_email,
                "artifact_type": artifact_type,
                "model_framework": model_framework,
                "model_framework_version": model_framework_version,
                "container_image": container_image,
                "model_catalog_name": model_catalog_name,
                "uri": uri,
                "labels": labels,
                "prebuilt_container_id": prebuilt_container_id,
                "aliases": aliases,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        registered_model_id = UUID(d.pop("registered_model_id"))

        name = d.pop("name")

        description = d.pop("description")

        is_default = d.pop("is_default")

        state = State(d.pop("state"))

        status = VersionStatus(d.pop("status"))

        def _parse_created_by_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_id_type_0 = UUID(data)

                return created_by_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        created_by_id = _parse_created_by_id(d.pop("created_by_id"))

        def _parse_updated_by_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_by_id_type_0 = UUID(data)

                return updated_by_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        updated_by_id = _parse_updated_by_id(d.pop("updated_by_id"))

        created_by_email = d.pop("created_by_email")

        updated_by_email = d.pop("updated_by_email")

        artifact_type = d.pop("artifact_type")

        model_framework = d.pop("model_framework")

        model_framework_version = d.pop("model_framework_version")

        container_image = d.pop("container_image")

        model_catalog_name = d.pop("model_catalog_name")

        uri = d.pop("uri")

        labels = Labels.from_dict(d.pop("labels"))

        def _parse_prebuilt_container_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                prebuilt_container_id_type_0 = UUID(data)

                return prebuilt_container_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        prebuilt_container_id = _parse_prebuilt_container_id(d.pop("prebuilt_container_id"))

        aliases = cast(list[str], d.pop("aliases"))

        model_version = cls(
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            registered_model_id=registered_model_id,
            name=name,
            description=description,
            is_default=is_default,
            state=state,
            status=status,
            created_by_id=created_by_id,
            updated_by_id=updated_by_id,
            created_by_email=created_by_email,
            updated_by_email=updated_by_email,
            artifact_type=artifact_type,
            model_framework=model_framework,
            model_framework_version=model_framework_version,
            container_image=container_image,
            model_catalog_name=model_catalog_name,
            uri=uri,
            labels=labels,
            prebuilt_container_id=prebuilt_container_id,
            aliases=aliases,
        )

        model_version.additional_properties = d
        return model_version

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
