"""The model registry's two tables, as CMP declares them. The service reads
and writes them; CMP's migrations create and change them."""

import uuid

from django.db import models


def default_tags():
    return {"frameworks": [], "architectures": [], "tasks": [], "subjects": []}


class RegisteredModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    project = models.ForeignKey("tenant.Project", on_delete=models.CASCADE, related_name="registered_models")
    owner = models.ForeignKey("tenant.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, blank=True, default="")
    description = models.TextField(blank=True, default="")
    region = models.ForeignKey("organization.Region", on_delete=models.PROTECT, related_name="+")
    model_type = models.CharField(max_length=50, default="CUSTOMTRAIN")
    model_size = models.BigIntegerField(default=0)
    state = models.CharField(max_length=50, default="LIVE")
    deployment_status = models.CharField(max_length=50, default="UNDEPLOYED")
    tags = models.JSONField(default=default_tags)
    labels = models.JSONField(default=dict, blank=True)
    parent_model = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        db_table = "model_registry_registered_model"
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="model_registry_model_name_per_project"),
        ]


class ModelVersion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    registered_model = models.ForeignKey(RegisteredModel, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="")
    is_default = models.BooleanField(default=False)
    state = models.CharField(max_length=50, default="LIVE")
    status = models.CharField(max_length=50, default="PENDING")
    created_by = models.ForeignKey("tenant.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey("tenant.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    artifact_type = models.CharField(max_length=50, default="model-artifact")
    model_framework = models.CharField(max_length=100, blank=True, default="")
    model_framework_version = models.CharField(max_length=50, blank=True, default="")
    container_image = models.CharField(max_length=500, blank=True, default="")
    model_catalog_name = models.CharField(max_length=200, blank=True, default="")
    uri = models.CharField(max_length=500, blank=True, default="")
    access_key = models.CharField(max_length=500, blank=True, default="")
    secret_key = models.CharField(max_length=500, blank=True, default="")
    labels = models.JSONField(default=dict, blank=True)
    # A container image of another CMP service, which this app does not own.
    prebuilt_container_id = models.UUIDField(null=True, blank=True)

    class Meta:
        db_table = "model_registry_model_version"
        constraints = [
            models.UniqueConstraint(fields=["registered_model", "name"], name="model_registry_version_name_per_model"),
        ]


class Event(models.Model):
    """The change feed: one row per change of a model or version, appended
    by the service in the transaction of the change. `txid` and `id` order
    the feed (the service's readers never pass a transaction still open)."""

    id = models.BigAutoField(primary_key=True)
    txid = models.BigIntegerField()
    project_id = models.UUIDField()
    model_id = models.UUIDField()
    version_id = models.UUIDField(null=True, blank=True)
    type = models.CharField(max_length=32)
    occurred_at = models.DateTimeField()
    request_id = models.CharField(max_length=128, blank=True, default="")
    data = models.JSONField()
    changes = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "model_registry_event"
        indexes = [
            models.Index(fields=["project_id", "txid", "id"], name="model_registry_event_feed"),
            models.Index(fields=["model_id", "txid", "id"], name="model_registry_event_model"),
            models.Index(fields=["txid", "id"], name="model_registry_event_order"),
        ]


class EventRetention(models.Model):
    """Per project, the last event removed by retention: a cursor before it
    has lost events and is answered 410."""

    project_id = models.UUIDField(primary_key=True)
    txid = models.BigIntegerField()
    event_id = models.BigIntegerField()

    class Meta:
        db_table = "model_registry_event_retention"


class EventPublication(models.Model):
    """Per publication of the feed (the service's EVENTS_NATS_URL), the last
    event its destination has acknowledged: where it resumes after a
    restart."""

    name = models.CharField(max_length=64, primary_key=True)
    txid = models.BigIntegerField()
    event_id = models.BigIntegerField()

    class Meta:
        db_table = "model_registry_event_publication"


class ModelAlias(models.Model):
    """A name for one version of a model (`champion`, `staging`). The
    service moves it under the model's lock and refuses to delete a version
    an alias names; deleting the model deletes its aliases."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The unique (model, alias) key starts with the model: no second index.
    registered_model = models.ForeignKey(
        RegisteredModel, on_delete=models.CASCADE, related_name="aliases", db_index=False
    )
    alias = models.CharField(max_length=63)
    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="aliases", db_index=False)
    # The model's project, so that resolving an alias reads no model row.
    project_id = models.UUIDField()

    class Meta:
        db_table = "model_registry_model_alias"
        constraints = [
            models.UniqueConstraint(fields=["registered_model", "alias"], name="model_registry_alias_name_per_model"),
        ]
        indexes = [
            models.Index(fields=["version_id", "alias"], name="model_registry_alias_version"),
        ]


class Webhook(models.Model):
    """A project's receiver of the change feed: every matching event is
    POSTed to `url`, signed with `secret` (Standard Webhooks)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    project_id = models.UUIDField()
    url = models.CharField(max_length=2048)
    # The event types it receives, a JSON array.
    event_types = models.JSONField()
    description = models.TextField(blank=True, default="")
    secret = models.CharField(max_length=128)
    enabled = models.BooleanField(default=True)
    # Deliveries that failed in a row; at 100 the service disables it.
    failures_in_a_row = models.IntegerField(default=0)

    class Meta:
        db_table = "model_registry_webhook"
        indexes = [
            models.Index(fields=["project_id", "created_at"], name="model_registry_webhook_project"),
        ]


class WebhookDelivery(models.Model):
    """One event to deliver to one webhook, and what its attempts did. A
    process leases a due delivery (`lease_until`) while it attempts it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField()
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    event_id = models.CharField(max_length=128)
    event_type = models.CharField(max_length=32)
    # The body every attempt sends: the event as GET /events answers it.
    payload = models.TextField()
    status = models.CharField(max_length=16, default="pending")
    attempts = models.IntegerField(default=0)
    response_status = models.IntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, null=True, blank=True)
    duration_ms = models.IntegerField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "model_registry_webhook_delivery"
        indexes = [
            models.Index(fields=["webhook_id", "created_at", "id"], name="model_registry_delivery_log"),
            models.Index(fields=["status", "next_attempt_at"], name="model_registry_delivery_due"),
        ]
