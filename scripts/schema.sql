-- The model registry's tables, as CMP's Django app owns them in production.
-- The service never runs this against a production database: it is for
-- development, the tests, docker-compose and entity generation
-- (scripts/generate-entities.sh). Every index names the query it serves.

CREATE TABLE IF NOT EXISTS model_registry_registered_model (
    id UUID PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    project_id UUID NOT NULL,
    owner_id UUID,
    name VARCHAR(100) NOT NULL,
    slug VARCHAR(100) NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    region_id UUID NOT NULL,
    model_type VARCHAR(50) NOT NULL DEFAULT 'CUSTOMTRAIN',
    model_size BIGINT NOT NULL DEFAULT 0,
    state VARCHAR(50) NOT NULL DEFAULT 'LIVE',
    deployment_status VARCHAR(50) NOT NULL DEFAULT 'UNDEPLOYED',
    tags JSONB NOT NULL DEFAULT '{"frameworks":[],"architectures":[],"tasks":[],"subjects":[]}',
    labels JSONB NOT NULL DEFAULT '{}',
    parent_model_id UUID,
    UNIQUE (project_id, name)
);

CREATE TABLE IF NOT EXISTS model_registry_model_version (
    id UUID PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    registered_model_id UUID NOT NULL
        REFERENCES model_registry_registered_model(id) ON DELETE CASCADE,
    name VARCHAR(100) NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    is_default BOOLEAN NOT NULL DEFAULT false,
    state VARCHAR(50) NOT NULL DEFAULT 'LIVE',
    status VARCHAR(50) NOT NULL DEFAULT 'PENDING',
    created_by_id UUID,
    updated_by_id UUID,
    artifact_type VARCHAR(50) NOT NULL DEFAULT 'model-artifact',
    model_framework VARCHAR(100) NOT NULL DEFAULT '',
    model_framework_version VARCHAR(50) NOT NULL DEFAULT '',
    container_image VARCHAR(500) NOT NULL DEFAULT '',
    model_catalog_name VARCHAR(200) NOT NULL DEFAULT '',
    uri VARCHAR(500) NOT NULL DEFAULT '',
    access_key VARCHAR(500) NOT NULL DEFAULT '',
    secret_key VARCHAR(500) NOT NULL DEFAULT '',
    labels JSONB NOT NULL DEFAULT '{}',
    prebuilt_container_id UUID,
    UNIQUE (registered_model_id, name)
);

-- Django's own tables; the service only reads them (owner_email,
-- created_by_email, updated_by_email, region_name).
CREATE TABLE IF NOT EXISTS tenant_user (
    id UUID PRIMARY KEY,
    email VARCHAR(255) NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS organization_region (
    id UUID PRIMARY KEY,
    name VARCHAR(100) NOT NULL DEFAULT ''
);

-- The indexes the service's statements rely on (src/db/indexes.rs lists
-- them, and the service warns at start-up about any that is missing; CMP
-- gets them from deploy/cmp/0002_model_registry_indexes.py).
-- GET /models sorted by created_at (the default), and paging through it.
CREATE INDEX IF NOT EXISTS model_registry_registered_model_project_created ON model_registry_registered_model (project_id, created_at, id);
-- GET /models?sort_by=updated_at.
CREATE INDEX IF NOT EXISTS model_registry_registered_model_project_updated ON model_registry_registered_model (project_id, updated_at, id);
-- GET /models?sort_by=model_size.
CREATE INDEX IF NOT EXISTS model_registry_registered_model_project_size ON model_registry_registered_model (project_id, model_size, id);
-- GET /models?state=..., the most common filter, in created_at order.
CREATE INDEX IF NOT EXISTS model_registry_registered_model_project_state_created ON model_registry_registered_model (project_id, state, created_at, id);
-- (sort_by=name and GET /model?name= use the UNIQUE (project_id, name) index.)

-- latest_version of a model, GET /models/{id}/versions, version_count.
CREATE INDEX IF NOT EXISTS model_registry_model_version_model_created ON model_registry_model_version (registered_model_id, created_at, id);
-- default_version of a model: at most one row per model has is_default.
CREATE INDEX IF NOT EXISTS model_registry_model_version_model_default ON model_registry_model_version (registered_model_id) WHERE is_default;
-- GET /model_version?name= without a model: newest version with that name.
CREATE INDEX IF NOT EXISTS model_registry_model_version_name ON model_registry_model_version (name, created_at);

-- Label and tag filters (JSON containment, PostgreSQL only), leaving out
-- the rows without labels or tags, so that most writes skip them.
-- GET /models?label=key:value.
CREATE INDEX IF NOT EXISTS model_registry_registered_model_labels ON model_registry_registered_model USING gin (labels jsonb_path_ops) WHERE labels <> '{}'::jsonb;
-- GET /models?tag=array:value.
CREATE INDEX IF NOT EXISTS model_registry_registered_model_tags ON model_registry_registered_model USING gin (tags jsonb_path_ops) WHERE tags <> '{"tasks": [], "subjects": [], "frameworks": [], "architectures": []}'::jsonb;
-- The version and artifact lists with label=key:value.
CREATE INDEX IF NOT EXISTS model_registry_model_version_labels ON model_registry_model_version USING gin (labels jsonb_path_ops) WHERE labels <> '{}'::jsonb;
