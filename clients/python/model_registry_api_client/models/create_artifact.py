from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.labels import Labels


T = TypeVar("T", bound="CreateArtifact")


@_attrs_define
class CreateArtifact:
    """A new artifact of a registered model.

    Attributes:
        registered_model_id (UUID): The model the artifact belongs to; it must be in this project. Example:
            5f0b2c8e-1d3a-4e6f-9b7c-2a4d6e8f0a12.
        name (str): Unique within the model; not blank. Example: onnx-export.
        model_framework (str):  Example: pytorch.
        model_framework_version (str):  Example: 2.1.0.
        uri (str):  Example: s3://artifacts/onnx-v1.
        description (str | Unset):
        artifact_type (str | Unset): Default `model-artifact`. Example: onnx.
        container_image (str | Unset):
        access_key (str | Unset): Write-only; never returned.
        secret_key (str | Unset): Write-only; never returned.
        labels (Labels | Unset): Free key-value labels, string to string; `{}` when there are none. Example: {'env':
            'test'}.
        prebuilt_container_id (UUID | Unset):
    """

    registered_model_id: UUID
    name: str
    model_framework: str
    model_framework_version: str
    uri: str
    description: str | Unset = UNSET
    artifact_type: str | Unset = UNSET
    container_image: str | Unset = UNSET
    access_key: str | Unset = UNSET
    secret_key: str | Unset = UNSET
    labels: Labels | Unset = UNSET
    prebuilt_container_id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        registered_model_id = str(self.registered_model_id)

        name = self.name

        model_framework = self.model_framework

        model_framework_version = self.model_framework_version

        uri = self.uri

        description = self.description

        artifact_type = self.artifact_type

        container_image = self.container_image

        access_key = self.access_key

        secret_key = self.secret_key

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        prebuilt_container_id: str | Unset = UNSET
        if not isinstance(self.prebuilt_container_id, Unset):
            prebuilt_container_id = str(self.prebuilt_container_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "registered_model_id": registered_model_id,
                "name": name,
                "model_framework": model_framework,
                "model_framework_version": model_framework_version,
                "uri": uri,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if artifact_type is not UNSET:
            field_dict["artifact_type"] = artifact_type
        if container_image is not UNSET:
            field_dict["container_image"] = container_image
        if access_key is not UNSET:
            field_dict["access_key"] = access_key
        if secret_key is not UNSET:
            field_dict["secret_key"] = secret_key
        if labels is not UNSET:
            field_dict["labels"] = labels
        if prebuilt_container_id is not UNSET:
            field_dict["prebuilt_container_id"] = prebuilt_container_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels  # noqa: PLC0415

        d = dict(src_dict)
        registered_model_id = UUID(d.pop("registered_model_id"))

        name = d.pop("name")

        model_framework = d.pop("model_framework")

        model_framework_version = d.pop("model_framework_version")

        uri = d.pop("uri")

        description = d.pop("description", UNSET)

        artifact_type = d.pop("artifact_type", UNSET)

        container_image = d.pop("container_image", UNSET)

        access_key = d.pop("access_key", UNSET)

        secret_key = d.pop("secret_key", UNSET)

        _labels = d.pop("labels", UNSET)
        labels: Labels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = Labels.from_dict(_labels)

        _prebuilt_container_id = d.pop("prebuilt_container_id", UNSET)
        prebuilt_container_id: UUID | Unset
        if isinstance(_prebuilt_container_id, Unset):
            prebuilt_container_id = UNSET
        else:
            prebuilt_container_id = UUID(_prebuilt_container_id)

        create_artifact = cls(
            registered_model_id=registered_model_id,
            name=name,
            model_framework=model_framework,
            model_framework_version=model_framework_version,
            uri=uri,
            description=description,
            artifact_type=artifact_type,
            container_image=container_image,
            access_key=access_key,
            secret_key=secret_key,
            labels=labels,
            prebuilt_container_id=prebuilt_container_id,
        )

        create_artifact.additional_properties = d
        return create_artifact

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
