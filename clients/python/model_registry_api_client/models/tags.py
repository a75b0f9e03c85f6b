from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Tags")


@_attrs_define
class Tags:
    """A model's tags; all four arrays are always present.

    Attributes:
        frameworks (list[str]):  Example: ['pytorch'].
        architectures (list[str]):  Example: ['transformer'].
        tasks (list[str]):  Example: ['text-generation'].
        subjects (list[str]):  Example: ['nlp'].
    """

    frameworks: list[str]
    architectures: list[str]
    tasks: list[str]
    subjects: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        frameworks = self.frameworks

        architectures = self.architectures

        tasks = self.tasks

        subjects = self.subjects

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "frameworks": frameworks,
                "architectures": architectures,
                "tasks": tasks,
                "subjects": subjects,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        frameworks = cast(list[str], d.pop("frameworks"))

        architectures = cast(list[str], d.pop("architectures"))

        tasks = cast(list[str], d.pop("tasks"))

        subjects = cast(list[str], d.pop("subjects"))

        tags = cls(
            frameworks=frameworks,
            architectures=architectures,
            tasks=tasks,
            subjects=subjects,
        )

        tags.additional_properties = d
        return tags

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
