from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.state import State
from ..models.version_status import VersionStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.labels import Labels


T = TypeVar("T", bound="UpdateVersion")


@_attrs_define
class UpdateVersion:
    """Every field is optional; an absent or null one is left as it is.

    Attributes:
        name (str | Unset):  Example: v1.1.
        description (str | Unset):
        is_default (bool | Unset): `true` makes this the model's one default version. Example: True.
        state (State | Unset): Lifecycle state of a model or a version.
        status (VersionStatus | Unset): Readiness of a version.
        artifact_type (str | Unset):  Example: model.
        model_framework (str | Unset):  Example: pytorch.
        model_framework_version (str | Unset):  Example: 2.1.0.
        container_image (str | Unset):  Example: registry.example.com/llm:v1.
        uri (str | Unset):  Example: s3://models/llm/v1.
        labels (Labels | Unset): Free key-value labels, string to string; `{}` when there are none. Example: {'env':
            'test'}.
    """

    name: str | Unset = UNSET
    description: str | Unset = UNSET
    is_default: bool | Unset = UNSET
    state: State | Unset = UNSET
    status: VersionStatus | Unset = UNSET
    artifact_type: str | Unset = UNSET
    model_framework: str | Unset = UNSET
    model_framework_version: str | Unset = UNSET
    container_image: str | Unset = UNSET
    uri: str | Unset = UNSET
    labels: Labels | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        is_default = self.is_default

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        artifact_type = self.artifact_type

        model_framework = self.model_framework

        model_framework_version = self.model_framework_version

        container_image = self.container_image

        uri = self.uri

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if is_default is not UNSET:
            field_dict["is_default"] = is_default
        if state is not UNSET:
            field_dict["state"] = state
        if status is not UNSET:
            field_dict["status"] = status
        if artifact_type is not UNSET:
            field_dict["artifact_type"] = artifact_type
        if model_framework is not UNSET:
            field_dict["model_framework"] = model_framework
        if model_framework_version is not UNSET:
            field_dict["model_framework_version"] = model_framework_version
        if container_image is not UNSET:
            field_dict["container_image"] = container_image
        if uri is not UNSET:
            field_dict["uri"] = uri
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        is_default = d.pop("is_default", UNSET)

        _state = d.pop("state", UNSET)
        state: State | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = State(_state)

        _status = d.pop("status", UNSET)
        status: VersionStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = VersionStatus(_status)

        artifact_type = d.pop("artifact_type", UNSET)

        model_framework = d.pop("model_framework", UNSET)

        model_framework_version = d.pop("model_framework_version", UNSET)

        container_image = d.pop("container_image", UNSET)

        uri = d.pop("uri", UNSET)

        _labels = d.pop("labels", UNSET)
        labels: Labels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = Labels.from_dict(_labels)

        update_version = cls(
            name=name,
            description=description,
            is_default=is_default,
            state=state,
            status=status,
            artifact_type=artifact_type,
            model_framework=model_framework,
            model_framework_version=model_framework_version,
            container_image=container_image,
            uri=uri,
            labels=labels,
        )

        update_version.additional_properties = d
        return update_version

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
