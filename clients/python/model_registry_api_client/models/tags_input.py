from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TagsInput")


@_attrs_define
class TagsInput:
    """Tags as a request gives them; a missing array is empty.

    Attributes:
        frameworks (list[str] | Unset):  Example: ['pytorch'].
        architectures (list[str] | Unset):  Example: ['transformer'].
        tasks (list[str] | Unset):  Example: ['text-generation'].
        subjects (list[str] | Unset):  Example: ['nlp'].
    """

    frameworks: list[str] | Unset = UNSET
    architectures: list[str] | Unset = UNSET
    tasks: list[str] | Unset = UNSET
    subjects: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        frameworks: list[str] | Unset = UNSET
        if not isinstance(self.frameworks, Unset):
            frameworks = self.frameworks

        architectures: list[str] | Unset = UNSET
        if not isinstance(self.architectures, Unset):
            architectures = self.architectures

        tasks: list[str] | Unset = UNSET
        if not isinstance(self.tasks, Unset):
            tasks = self.tasks

        subjects: list[str] | Unset = UNSET
        if not isinstance(self.subjects, Unset):
            subjects = self.subjects

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if frameworks is not UNSET:
            field_dict["frameworks"] = frameworks
        if architectures is not UNSET:
            field_dict["architectures"] = architectures
        if tasks is not UNSET:
            field_dict["tasks"] = tasks
        if subjects is not UNSET:
            field_dict["subjects"] = subjects

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        frameworks = cast(list[str], d.pop("frameworks", UNSET))

        architectures = cast(list[str], d.pop("architectures", UNSET))

        tasks = cast(list[str], d.pop("tasks", UNSET))

        subjects = cast(list[str], d.pop("subjects", UNSET))

        tags_input = cls(
            frameworks=frameworks,
            architectures=architectures,
            tasks=tasks,
            subjects=subjects,
        )

        tags_input.additional_properties = d
        return tags_input

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
