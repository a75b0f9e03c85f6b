from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_version import ModelVersion


T = TypeVar("T", bound="ModelVersionList")


@_attrs_define
class ModelVersionList:
    """A page of model versions.

    Attributes:
        items (list[ModelVersion]):
        total (int): Every match of the filters, ignoring `limit` and `offset`. Example: 1.
        page_size (int): The limit actually applied. Example: 10.
        next_offset (int): `offset` plus the number of items returned. Example: 1.
        next_page_token (str | Unset): Continues the list after this page's last item (pass it as `page_token`, with the
            same sort and filters); absent on the last page.
    """

    items: list[ModelVersion]
    total: int
    page_size: int
    next_offset: int
    next_page_token: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        total = self.total

        page_size = self.page_size

        next_offset = self.next_offset

        next_page_token = self.next_page_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "total": total,
                "page_size": page_size,
                "next_offset": next_offset,
            }
        )
        if next_page_token is not UNSET:
            field_dict["next_page_token"] = next_page_token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_version import ModelVersion  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ModelVersion.from_dict(items_item_data)

            items.append(items_item)

        total = d.pop("total")

        page_size = d.pop("page_size")

        next_offset = d.pop("next_offset")

        next_page_token = d.pop("next_page_token", UNSET)

        model_version_list = cls(
            items=items,
            total=total,
            page_size=page_size,
            next_offset=next_offset,
            next_page_token=next_page_token,
        )

        model_version_list.additional_properties = d
        return model_version_list

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
