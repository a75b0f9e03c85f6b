from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.labels import Labels


T = TypeVar("T", bound="ModelArtifact")


@_attrs_define
class ModelArtifact:
    """An artifact, a version seen through a narrower window.

    Attributes:
        id (UUID):  Example: c4e6a8b0-2d4f-4a6c-8e0a-3c5e7a9b1d36.
        created_at (datetime.datetime):  Example: 2026-02-10T04:02:51Z.
        updated_at (datetime.datetime): Moves on every change. Example: 2026-02-10T04:02:51Z.
        registered_model_id (UUID):  Example: 5f0b2c8e-1d3a-4e6f-9b7c-2a4d6e8f0a12.
        name (str): Unique within the model (among its versions and artifacts). Example: onnx-export.
        description (str):
        artifact_type (str): A free string; known values are `model-artifact`, `doc-artifact` and `dataset-artifact`.
            Example: onnx.
        model_framework (str):  Example: pytorch.
        model_framework_version (str):  Example: 2.1.0.
        container_image (str):
        uri (str):  Example: s3://artifacts/onnx-v1.
        labels (Labels): Free key-value labels, string to string; `{}` when there are none. Example: {'env': 'test'}.
        prebuilt_container_id (None | UUID): A prebuilt serving container, or null.
    """

    id: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    registered_model_id: UUID
    name: str
    description: str
    artifact_type: str
    model_framework: str
    model_framework_version: str
    container_image: str
    uri: str
    labels: Labels
    prebuilt_container_id: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        registered_model_id = str(self.registered_model_id)

        name = self.name

        description = self.description

        artifact_type = self.artifact_type

        model_framework = self.model_framework

        model_framework_version = self.model_framework_version

        container_image = self.container_image

        uri = self.uri

        labels = self.labels.to_dict()

        prebuilt_container_id: None | str
        if isinstance(self.prebuilt_container_id, UUID):
            prebuilt_container_id = str(self.prebuilt_container_id)
        else:
            prebuilt_container_id = self.prebuilt_container_id

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
                "artifact_type": artifact_type,
                "model_framework": model_framework,
                "model_framework_version": model_framework_version,
                "container_image": container_image,
                "uri": uri,
                "labels": labels,
                "prebuilt_container_id": prebuilt_container_id,
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

        artifact_type = d.pop("artifact_type")

        model_framework = d.pop("model_framework")

        model_framework_version = d.pop("model_framework_version")

        container_image = d.pop("container_image")

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

        model_artifact = cls(
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            registered_model_id=registered_model_id,
            name=name,
            description=description,
            artifact_type=artifact_type,
            model_framework=model_framework,
            model_framework_version=model_framework_version,
            container_image=container_image,
            uri=uri,
            labels=labels,
            prebuilt_container_id=prebuilt_container_id,
        )

        model_artifact.additional_properties = d
        return model_artifact

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
