"""Contains all the data models used in inputs/outputs"""

from .create_artifact import CreateArtifact
from .create_artifact_labels import CreateArtifactLabels
from .create_model import CreateModel
from .create_model_labels import CreateModelLabels
from .create_version import CreateVersion
from .create_version_labels import CreateVersionLabels
from .delete_status import DeleteStatus
from .deployment_status import DeploymentStatus
from .error import Error
from .health import Health
from .model_artifact import ModelArtifact
from .model_artifact_labels import ModelArtifactLabels
from .model_artifact_list import ModelArtifactList
from .model_sort_by import ModelSortBy
from .model_version import ModelVersion
from .model_version_labels import ModelVersionLabels
from .model_version_list import ModelVersionList
from .registered_model import RegisteredModel
from .registered_model_labels import RegisteredModelLabels
from .registered_model_list import RegisteredModelList
from .sort_order import SortOrder
from .state import State
from .tags import Tags
from .tags_input import TagsInput
from .update_artifact import UpdateArtifact
from .update_artifact_labels import UpdateArtifactLabels
from .update_model import UpdateModel
from .update_model_labels import UpdateModelLabels
from .update_version import UpdateVersion
from .update_version_labels import UpdateVersionLabels
from .version_sort_by import VersionSortBy
from .version_status import VersionStatus

__all__ = (
    "CreateArtifact",
    "CreateArtifactLabels",
    "CreateModel",
    "CreateModelLabels",
    "CreateVersion",
    "CreateVersionLabels",
    "DeleteStatus",
    "DeploymentStatus",
    "Error",
    "Health",
    "ModelArtifact",
    "ModelArtifactLabels",
    "ModelArtifactList",
    "ModelSortBy",
    "ModelVersion",
    "ModelVersionLabels",
    "ModelVersionList",
    "RegisteredModel",
    "RegisteredModelLabels",
    "RegisteredModelList",
    "SortOrder",
    "State",
    "Tags",
    "TagsInput",
    "UpdateArtifact",
    "UpdateArtifactLabels",
    "UpdateModel",
    "UpdateModelLabels",
    "UpdateVersion",
    "UpdateVersionLabels",
    "VersionSortBy",
    "VersionStatus",
)
