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

# (what the index serves, the statement that builds it)
INDEXES = [
    (
        "GET /models sorted by created_at (the default), and paging through it",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_registered_model_project_created ON model_registry_registered_model (project_id, created_at, id)",
    ),
    (
        "GET /models?sort_by=updated_at",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_registered_model_project_updated ON model_registry_registered_model (project_id, updated_at, id)",
    ),
    (
        "GET /models?sort_by=model_size",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_registered_model_project_size ON model_registry_registered_model (project_id, model_size, id)",
    ),
    (
        "GET /models?state=..., in created_at order",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_registered_model_project_state_created ON model_registry_registered_model (project_id, state, created_at, id)",
    ),
    (
        "a model's latest_version and version_count, GET /models/{id}/versions",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_model_version_model_created ON model_registry_model_version (registered_model_id, created_at, id)",
    ),
    (
        "a model's default_version",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_model_version_model_default ON model_registry_model_version (registered_model_id) WHERE is_default",
    ),
    (
        "GET /model_version?name= without a model",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_model_version_name ON model_registry_model_version (name, created_at)",
    ),
    (
        "GET /models?label=key:value",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_registered_model_labels ON model_registry_registered_model USING gin (labels jsonb_path_ops) WHERE labels <> '{}'::jsonb",
    ),
    (
        "GET /models?tag=array:value",
        """CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_registered_model_tags ON model_registry_registered_model USING gin (tags jsonb_path_ops) WHERE tags <> '{"tasks": [], "subjects": [], "frameworks": [], "architectures": []}'::jsonb""",
    ),
    (
        "the version and artifact lists with label=key:value",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_model_version_labels ON model_registry_model_version USING gin (labels jsonb_path_ops) WHERE labels <> '{}'::jsonb",
    ),
]


def build(statement):
    name = statement.split(" IF NOT EXISTS ")[1].split(" ")[0]
    return migrations.RunSQL(sql=statement, reverse_sql=f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("model_registry", "0001_initial"),
    ]

    operations = [build(statement) for _serves, statement in INDEXES]
