"""Contains all the data models used in inputs/outputs"""

from .alias import Alias
from .alias_list import AliasList
from .alias_with_version import AliasWithVersion
from .create_artifact import CreateArtifact
from .create_model import CreateModel
from .create_version import CreateVersion
from .create_webhook import CreateWebhook
from .delete_status import DeleteStatus
from .delivery import Delivery
from .delivery_list import DeliveryList
from .delivery_status import DeliveryStatus
from .deployment_status import DeploymentStatus
from .error_response import ErrorResponse
from .event import Event
from .event_changes_type_0 import EventChangesType0
from .event_list import EventList
from .event_type import EventType
from .field_change import FieldChange
from .health import Health
from .labels import Labels
from .model_artifact import ModelArtifact
from .model_artifact_list import ModelArtifactList
from .model_sort_by import ModelSortBy
from .model_version import ModelVersion
from .model_version_list import ModelVersionList
from .ping_event import PingEvent
from .ping_event_changes_type_0 import PingEventChangesType0
from .ping_event_data import PingEventData
from .ping_event_type import PingEventType
from .registered_model import RegisteredModel
from .registered_model_list import RegisteredModelList
from .set_alias import SetAlias
from .sort_order import SortOrder
from .state import State
from .tags import Tags
from .tags_input import TagsInput
from .update_artifact import UpdateArtifact
from .update_model import UpdateModel
from .update_version import UpdateVersion
from .update_webhook import UpdateWebhook
from .version_sort_by import VersionSortBy
from .version_status import VersionStatus
from .webhook import Webhook
from .webhook_list import WebhookList
from .webhook_with_secret import WebhookWithSecret

__all__ = (
    "Alias",
    "AliasList",
    "AliasWithVersion",
    "CreateArtifact",
    "CreateModel",
    "CreateVersion",
    "CreateWebhook",
    "DeleteStatus",
    "Delivery",
    "DeliveryList",
    "DeliveryStatus",
    "DeploymentStatus",
    "ErrorResponse",
    "Event",
    "EventChangesType0",
    "EventList",
    "EventType",
    "FieldChange",
    "Health",
    "Labels",
    "ModelArtifact",
    "ModelArtifactList",
    "ModelSortBy",
    "ModelVersion",
    "ModelVersionList",
    "PingEvent",
    "PingEventChangesType0",
    "PingEventData",
    "PingEventType",
    "RegisteredModel",
    "RegisteredModelList",
    "SetAlias",
    "SortOrder",
    "State",
    "Tags",
    "TagsInput",
    "UpdateArtifact",
    "UpdateModel",
    "UpdateVersion",
    "UpdateWebhook",
    "VersionSortBy",
    "VersionStatus",
    "Webhook",
    "WebhookList",
    "WebhookWithSecret",
)
