import uuid

from django.db import models


class Region(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        db_table = "organization_region"


class ProjectRegion(models.Model):
    """The regions a project may use."""

    project = models.ForeignKey("tenant.Project", on_delete=models.CASCADE, related_name="regions")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="projects")

    class Meta:
        db_table = "organization_project_region"
        constraints = [
            models.UniqueConstraint(fields=["project", "region"], name="organization_project_region_unique"),
        ]
