from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.deployment_status import DeploymentStatus
from ..models.state import State
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.labels import Labels
    from ..models.model_version import ModelVersion
    from ..models.tags import Tags


T = TypeVar("T", bound="RegisteredModel")


@_attrs_define
class RegisteredModel:
    """A registered model, with its version count and its latest and default versions.

    Attributes:
        id (UUID):  Example: 5f0b2c8e-1d3a-4e6f-9b7c-2a4d6e8f0a12.
        created_at (datetime.datetime):  Example: 2026-02-10T04:02:51Z.
        updated_at (datetime.datetime): Moves on every change. Example: 2026-02-10T04:02:51Z.
        project_id (UUID):  Example: 8d3f6c1e-2b4a-4f7e-9c51-0a6b7d2e3f41.
        owner_id (None | UUID): The owning user, or null. Example: 1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6.
        owner_email (str): Email of `owner_id`; `""` when unknown. Example: owner@example.com.
        name (str): Unique within the project. Example: test-llm.
        slug (str): Made from the name at creation. Example: test-llm.
        description (str):  Example: LLM model.
        region_id (UUID):  Example: 3c9a1f52-7e48-4b6d-a2f0-5d8e9b1c4a73.
        region_name (str): Name of `region_id`; `""` when unknown. Example: HN.
        model_type (str): A free string; known values are `CUSTOMTRAIN` and `PRETRAIN`. Example: llm.
        model_size (int):  Example: 0.
        state (State): Lifecycle state of a model or a version.
        deployment_status (DeploymentStatus): Deployment status of a model. Example: UNDEPLOYED.
        tags (Tags): A model's tags; all four arrays are always present.
        labels (Labels): Free key-value labels, string to string; `{}` when there are none. Example: {'env': 'test'}.
        parent_model_id (None | UUID): The model this one derives from, or null.
        version_count (int): Versions of this model, artifacts included. Example: 1.
        latest_version (ModelVersion | Unset): A version of a registered model. `access_key` and `secret_key` are never
            shown.
        default_version (ModelVersion | Unset): A version of a registered model. `access_key` and `secret_key` are never
            shown.
    """

    id: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    project_id: UUID
    owner_id: None | UUID
    owner_email: str
    name: str
    slug: str
    description: str
    region_id: UUID
    region_name: str
    model_type: str
    model_size: int
    state: State
    deployment_status: DeploymentStatus
    tags: Tags
    labels: Labels
    parent_model_id: None | UUID
    version_count: int
    latest_version: ModelVersion | Unset = UNSET
    default_version: ModelVersion | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        project_id = str(self.project_id)

        owner_id: None | str
        if isinstance(self.owner_id, UUID):
            owner_id = str(self.owner_id)
        else:
            owner_id = self.owner_id

        owner_email = self.owner_email

        name = self.name

        slug = self.slug

        description = self.description

        region_id = str(self.region_id)

        region_name = self.region_name

        model_type = self.model_type

        model_size = self.model_size

        state = self.state.value

        deployment_status = self.deployment_status.value

        tags = self.tags.to_dict()

        labels = self.labels.to_dict()

        parent_model_id: None | str
        if isinstance(self.parent_model_id, UUID):
            parent_model_id = str(self.parent_model_id)
        else:
            parent_model_id = self.parent_model_id

        version_count = self.version_count

        latest_version: dict[str, Any] | Unset = UNSET
        if not isinstance(self.latest_version, Unset):
            latest_version = self.latest_version.to_dict()

        default_version: dict[str, Any] | Unset = UNSET
        if not isinstance(self.default_version, Unset):
            default_version = self.default_version.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "updated_at": updated_at,
                "project_id": project_id,
                "owner_id": owner_id,
                "owner_email": owner_email,
                "name": name,
                "slug": slug,
                "description": description,
                "region_id": region_id,
                "region_name": region_name,
                "model_type": model_type,
                "model_size": model_size,
                "state": state,
                "deployment_status": deployment_status,
                "tags": tags,
                "labels": labels,
                "parent_model_id": parent_model_id,
                "version_count": version_count,
            }
        )
        if latest_version is not UNSET:
            field_dict["latest_version"] = latest_version
        if default_version is not UNSET:
            field_dict["default_version"] = default_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels  # noqa: PLC0415
        from ..models.model_version import ModelVersion  # noqa: PLC0415
        from ..models.tags import Tags  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        project_id = UUID(d.pop("project_id"))

        def _parse_owner_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                owner_id_type_0 = UUID(data)

                return owner_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        owner_id = _parse_owner_id(d.pop("owner_id"))

        owner_email = d.pop("owner_email")

        name = d.pop("name")

        slug = d.pop("slug")

        description = d.pop("description")

        region_id = UUID(d.pop("region_id"))

        region_name = d.pop("region_name")

        model_type = d.pop("model_type")

        model_size = d.pop("model_size")

        state = State(d.pop("state"))

        deployment_status = DeploymentStatus(d.pop("deployment_status"))

        tags = Tags.from_dict(d.pop("tags"))

        labels = Labels.from_dict(d.pop("labels"))

        def _parse_parent_model_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                parent_model_id_type_0 = UUID(data)

                return parent_model_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        parent_model_id = _parse_parent_model_id(d.pop("parent_model_id"))

        version_count = d.pop("version_count")

        _latest_version = d.pop("latest_version", UNSET)
        latest_version: ModelVersion | Unset
        if isinstance(_latest_version, Unset):
            latest_version = UNSET
        else:
            latest_version = ModelVersion.from_dict(_latest_version)

        _default_version = d.pop("default_version", UNSET)
        default_version: ModelVersion | Unset
        if isinstance(_default_version, Unset):
            default_version = UNSET
        else:
            default_version = ModelVersion.from_dict(_default_version)

        registered_model = cls(
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            project_id=project_id,
            owner_id=owner_id,
            owner_email=owner_email,
            name=name,
            slug=slug,
            description=description,
            region_id=region_id,
            region_name=region_name,
            model_type=model_type,
            model_size=model_size,
            state=state,
            deployment_status=deployment_status,
            tags=tags,
            labels=labels,
            parent_model_id=parent_model_id,
            version_count=version_count,
            latest_version=latest_version,
            default_version=default_version,
        )

        registered_model.additional_properties = d
        return registered_model

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
