from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.deployment_status import DeploymentStatus
from ..models.state import State
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.labels import Labels
    from ..models.tags_input import TagsInput


T = TypeVar("T", bound="UpdateModel")


@_attrs_define
class UpdateModel:
    """Every field is optional; an absent or null one is left as it is.

    Attributes:
        name (str | Unset):  Example: test-llm.
        description (str | Unset):  Example: Updated.
        model_type (str | Unset):  Example: llm.
        model_size (int | Unset):  Example: 1024.
        state (State | Unset): Lifecycle state of a model or a version.
        deployment_status (DeploymentStatus | Unset): Deployment status of a model. Example: UNDEPLOYED.
        tags (TagsInput | Unset): Tags as a request gives them; a missing array is empty.
        labels (Labels | Unset): Free key-value labels, string to string; `{}` when there are none. Example: {'env':
            'test'}.
    """

    name: str | Unset = UNSET
    description: str | Unset = UNSET
    model_type: str | Unset = UNSET
    model_size: int | Unset = UNSET
    state: State | Unset = UNSET
    deployment_status: DeploymentStatus | Unset = UNSET
    tags: TagsInput | Unset = UNSET
    labels: Labels | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        model_type = self.model_type

        model_size = self.model_size

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value

        deployment_status: str | Unset = UNSET
        if not isinstance(self.deployment_status, Unset):
            deployment_status = self.deployment_status.value

        tags: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags.to_dict()

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
        if model_type is not UNSET:
            field_dict["model_type"] = model_type
        if model_size is not UNSET:
            field_dict["model_size"] = model_size
        if state is not UNSET:
            field_dict["state"] = state
        if deployment_status is not UNSET:
            field_dict["deployment_status"] = deployment_status
        if tags is not UNSET:
            field_dict["tags"] = tags
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels  # noqa: PLC0415
        from ..models.tags_input import TagsInput  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        model_type = d.pop("model_type", UNSET)

        model_size = d.pop("model_size", UNSET)

        _state = d.pop("state", UNSET)
        state: State | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = State(_state)

        _deployment_status = d.pop("deployment_status", UNSET)
        deployment_status: DeploymentStatus | Unset
        if isinstance(_deployment_status, Unset):
            deployment_status = UNSET
        else:
            deployment_status = DeploymentStatus(_deployment_status)

        _tags = d.pop("tags", UNSET)
        tags: TagsInput | Unset
        if isinstance(_tags, Unset):
            tags = UNSET
        else:
            tags = TagsInput.from_dict(_tags)

        _labels = d.pop("labels", UNSET)
        labels: Labels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = Labels.from_dict(_labels)

        update_model = cls(
            name=name,
            description=description,
            model_type=model_type,
            model_size=model_size,
            state=state,
            deployment_status=deployment_status,
            tags=tags,
            labels=labels,
        )

        update_model.additional_properties = d
        return update_model

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
