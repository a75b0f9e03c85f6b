from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.labels import Labels
    from ..models.tags_input import TagsInput


T = TypeVar("T", bound="CreateModel")


@_attrs_define
class CreateModel:
    """A new registered model.

    Attributes:
        name (str): Unique within the project; not blank. Example: test-llm.
        region_id (UUID):  Example: 3c9a1f52-7e48-4b6d-a2f0-5d8e9b1c4a73.
        description (str | Unset):  Example: LLM model.
        model_type (str | Unset): Default `CUSTOMTRAIN`; known values are `CUSTOMTRAIN` and `PRETRAIN`. Example: llm.
        tags (TagsInput | Unset): Tags as a request gives them; a missing array is empty.
        labels (Labels | Unset): Free key-value labels, string to string; `{}` when there are none. Example: {'env':
            'test'}.
        parent_model_id (UUID | Unset): Must be a model of the same project.
    """

    name: str
    region_id: UUID
    description: str | Unset = UNSET
    model_type: str | Unset = UNSET
    tags: TagsInput | Unset = UNSET
    labels: Labels | Unset = UNSET
    parent_model_id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        region_id = str(self.region_id)

        description = self.description

        model_type = self.model_type

        tags: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags.to_dict()

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        parent_model_id: str | Unset = UNSET
        if not isinstance(self.parent_model_id, Unset):
            parent_model_id = str(self.parent_model_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "region_id": region_id,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if model_type is not UNSET:
            field_dict["model_type"] = model_type
        if tags is not UNSET:
            field_dict["tags"] = tags
        if labels is not UNSET:
            field_dict["labels"] = labels
        if parent_model_id is not UNSET:
            field_dict["parent_model_id"] = parent_model_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels  # noqa: PLC0415
        from ..models.tags_input import TagsInput  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        region_id = UUID(d.pop("region_id"))

        description = d.pop("description", UNSET)

        model_type = d.pop("model_type", UNSET)

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

        _parent_model_id = d.pop("parent_model_id", UNSET)
        parent_model_id: UUID | Unset
        if isinstance(_parent_model_id, Unset):
            parent_model_id = UNSET
        else:
            parent_model_id = UUID(_parent_model_id)

        create_model = cls(
            name=name,
            region_id=region_id,
            description=description,
            model_type=model_type,
            tags=tags,
            labels=labels,
            parent_model_id=parent_model_id,
        )

        create_model.additional_properties = d
        return create_model

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
