"""The indexes the model registry service relies on, as a migration of
CMP's app that owns the registry's tables.

Copy this file into that app's migrations folder, rename it to follow the
app's last migration, and set `dependencies` below to that migration.
Each index is built concurrently, so writes go on while it builds (hence
`atomic = False`: PostgreSQL cannot build an index concurrently inside a
transaction). IF NOT EXISTS makes it safe where some
indexes were already created by hand, for example from the service's own
start-up warning. The same list is in the service's src/db/indexes.rs; its
tests keep the two equal.
"""

from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("model_registry", "0001_initial"),
    ]

    operations = [
        # GET /models sorted by created_at (the default), and paging through it
        migrations.RunSQL(
            sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_registered_model_project_created ON model_registry_registered_model (project_id, created_at, id)",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS model_registry_registered_model_project_created",
        ),
        # GET /models?sort_by=updated_at
        migrations.RunSQL(
            sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_registered_model_project_updated ON model_registry_registered_model (project_id, updated_at, id)",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS model_registry_registered_model_project_updated",
        ),
        # GET /models?sort_by=model_size
        migrations.RunSQL(
            sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_registered_model_project_size ON model_registry_registered_model (project_id, model_size, id)",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS model_registry_registered_model_project_size",
        ),
        # GET /models?state=..., in created_at order
        migrations.RunSQL(
            sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_registered_model_project_state_created ON model_registry_registered_model (project_id, state, created_at, id)",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS model_registry_registered_model_project_state_created",
        ),
        # a model's latest_version and version_count, GET /models/{id}/versions, the versions of a project
        migrations.RunSQL(
            sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_model_version_model_created ON model_registry_model_version (registered_model_id, created_at, id)",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS model_registry_model_version_model_created",
        ),
        # a model's default_version
        migrations.RunSQL(
            sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_model_version_model_default ON model_registry_model_version (registered_model_id) WHERE is_default",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS model_registry_model_version_model_default",
        ),
        # GET /model_version?name= without a model
        migrations.RunSQL(
            sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_model_version_name ON model_registry_model_version (name, created_at)",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS model_registry_model_version_name",
        ),
    ]
