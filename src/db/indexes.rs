//! The indexes the service's statements rely on: one list, from which the
//! embedded database creates them, `scripts/schema.sql` and CMP's migration
//! (`deploy/cmp/`) are checked, and a PostgreSQL database is checked at
//! start-up (`model-registry check`).

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

/// One index: on which table, which columns in order, for which rows.
#[derive(Debug, PartialEq, Eq)]
pub struct IndexSpec {
    pub name: &'static str,
    pub table: &'static str,
    pub columns: &'static [&'static str],
    /// A partial index's condition.
    pub predicate: Option<&'static str>,
    pub kind: IndexKind,
    /// The requests it serves.
    pub serves: &'static str,
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum IndexKind {
    /// A B-tree, on both databases.
    BTree,
    /// A B-tree on PostgreSQL only: on SQLite the row id already keeps the
    /// order it gives (one writer at a time, `txid` always 0).
    BTreeOnPostgres,
    /// A GIN index for JSON containment (`@>`), on PostgreSQL only; partial,
    /// leaving out rows with no label or only empty tag arrays (most writes).
    JsonContainment,
}

const MODELS: &str = "model_registry_registered_model";
const VERSIONS: &str = "model_registry_model_version";
const EVENTS: &str = "model_registry_event";
const ALIASES: &str = "model_registry_model_alias";
const WEBHOOKS: &str = "model_registry_webhook";
const DELIVERIES: &str = "model_registry_webhook_delivery";

pub const INDEXES: &[IndexSpec] = &[
    IndexSpec {
        name: "model_registry_registered_model_project_created",
        table: MODELS,
        columns: &["project_id", "created_at", "id"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "GET /models sorted by created_at (the default), and paging through it",
    },
    IndexSpec {
        name: "model_registry_registered_model_project_updated",
        table: MODELS,
        columns: &["project_id", "updated_at", "id"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "GET /models?sort_by=updated_at",
    },
    IndexSpec {
        name: "model_registry_registered_model_project_size",
        table: MODELS,
        columns: &["project_id", "model_size", "id"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "GET /models?sort_by=model_size",
    },
    IndexSpec {
        name: "model_registry_registered_model_project_state_created",
        table: MODELS,
        columns: &["project_id", "state", "created_at", "id"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "GET /models?state=..., the most common filter, in created_at order",
    },
    IndexSpec {
        name: "model_registry_model_version_model_created",
        table: VERSIONS,
        columns: &["registered_model_id", "created_at", "id"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "a model's latest_version and version_count, GET /models/{id}/versions",
    },
    IndexSpec {
        name: "model_registry_model_version_model_default",
        table: VERSIONS,
        columns: &["registered_model_id"],
        predicate: Some("is_default"),
        kind: IndexKind::BTree,
        serves: "a model's default_version (at most one row per model has is_default)",
    },
    IndexSpec {
        name: "model_registry_model_version_name",
        table: VERSIONS,
        columns: &["name", "created_at"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "GET /model_version?name= without a model: the newest version of that name",
    },
    IndexSpec {
        name: "model_registry_registered_model_labels",
        table: MODELS,
        columns: &["labels"],
        predicate: Some("labels <> '{}'::jsonb"),
        kind: IndexKind::JsonContainment,
        serves: "GET /models?label=key:value",
    },
    IndexSpec {
        name: "model_registry_registered_model_tags",
        table: MODELS,
        columns: &["tags"],
        predicate: Some(
            r#"tags <> '{"tasks": [], "subjects": [], "frameworks": [], "architectures": []}'::jsonb"#,
        ),
        kind: IndexKind::JsonContainment,
        serves: "GET /models?tag=array:value",
    },
    IndexSpec {
        name: "model_registry_model_version_labels",
        table: VERSIONS,
        columns: &["labels"],
        predicate: Some("labels <> '{}'::jsonb"),
        kind: IndexKind::JsonContainment,
        serves: "GET /model_versions, /model_artifacts and a model's versions with label=key:value",
    },
    IndexSpec {
        name: "model_registry_event_feed",
        table: EVENTS,
        columns: &["project_id", "txid", "id"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "GET /events: a project's feed, in order, from a cursor",
    },
    IndexSpec {
        name: "model_registry_event_model",
        table: EVENTS,
        columns: &["model_id", "txid", "id"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "GET /events?model_id=: one model's history",
    },
    IndexSpec {
        name: "model_registry_event_order",
        table: EVENTS,
        columns: &["txid", "id"],
        predicate: None,
        kind: IndexKind::BTreeOnPostgres,
        serves: "publishing the whole feed in order (EVENTS_NATS_URL)",
    },
    IndexSpec {
        name: "model_registry_alias_version",
        table: ALIASES,
        columns: &["version_id", "alias"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "a version's aliases, in every answer of a version; its delete's check",
    },
    IndexSpec {
        name: "model_registry_webhook_project",
        table: WEBHOOKS,
        columns: &["project_id", "created_at"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "GET /webhooks, and the webhooks an event of the project goes to",
    },
    IndexSpec {
        name: "model_registry_delivery_log",
        table: DELIVERIES,
        columns: &["webhook_id", "created_at", "id"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "GET /webhooks/{id}/deliveries, newest first, from a page token",
    },
    IndexSpec {
        name: "model_registry_delivery_due",
        table: DELIVERIES,
        columns: &["status", "next_attempt_at"],
        predicate: None,
        kind: IndexKind::BTree,
        serves: "the deliveries due for an attempt",
    },
];

impl IndexSpec {
    fn definition(&self) -> String {
        let condition = self
            .predicate
            .map(|predicate| format!(" WHERE {predicate}"))
            .unwrap_or_default();
        let (using, opclass) = match self.kind {
            IndexKind::BTree | IndexKind::BTreeOnPostgres => ("", ""),
            // jsonb_path_ops: smaller and faster than the default operator
            // class, and `@>` is the only operator the filters use.
            IndexKind::JsonContainment => (" USING gin", " jsonb_path_ops"),
        };
        format!(
            "{} ON {}{using} ({}{opclass}){condition}",
            self.name,
            self.table,
            self.columns.join(", ")
        )
    }

    /// Whether the embedded database (SQLite) has this index too.
    pub fn on_sqlite(&self) -> bool {
        self.kind == IndexKind::BTree
    }

    /// `CREATE INDEX IF NOT EXISTS ...`, as the schema file and the embedded
    /// database create it.
    pub fn create_sql(&self) -> String {
        format!("CREATE INDEX IF NOT EXISTS {}", self.definition())
    }

    /// `DROP INDEX IF EXISTS ...`.
    pub fn drop_sql(&self) -> String {
        format!("DROP INDEX IF EXISTS {}", self.name)
    }

    /// `CREATE INDEX CONCURRENTLY IF NOT EXISTS ...`: for a database in
    /// use, without locking out writes while it builds.
    pub fn create_concurrently_sql(&self) -> String {
        format!(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS {}",
            self.definition()
        )
    }

    /// Whether an existing index (table, key columns, condition) does this
    /// one's work: same table, columns that start with these, the same kind
    /// of condition. Not by name: CMP's migrations may name it otherwise.
    fn is_served_by(
        &self,
        table: &str,
        method: &str,
        columns: &[String],
        predicate: Option<&str>,
    ) -> bool {
        let method_fits = match self.kind {
            IndexKind::BTree | IndexKind::BTreeOnPostgres => method == "btree",
            IndexKind::JsonContainment => method == "gin",
        };
        method_fits
            && table == self.table
            && columns.len() >= self.columns.len()
            && self
                .columns
                .iter()
                .zip(columns)
                .all(|(want, have)| want == have)
            && match (self.predicate, predicate) {
                (None, None) => true,
                (Some(want), Some(have)) => have.contains(want),
                // A whole GIN index serves the filters too; leaving out the
                // rows without labels or tags only makes it cheaper to write.
                (Some(_), None) => self.kind == IndexKind::JsonContainment,
                (None, Some(_)) => false,
            }
    }
}

/// The indexes of `INDEXES` that a PostgreSQL database lacks (invalid
/// indexes, left by a failed concurrent build, count as missing).
pub async fn missing_indexes(db: &impl ConnectionTrait) -> Result<Vec<&'static IndexSpec>, DbErr> {
    let sql = "SELECT t.relname::text AS table_name, am.amname::text AS method, \
                      array_agg(a.attname::text ORDER BY k.position) AS columns, \
                      pg_get_expr(i.indpred, i.indrelid) AS predicate \
               FROM pg_index i \
               JOIN pg_class t ON t.oid = i.indrelid \
               JOIN pg_class ic ON ic.oid = i.indexrelid \
               JOIN pg_am am ON am.oid = ic.relam \
               CROSS JOIN LATERAL unnest(i.indkey[0:i.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, position) \
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
               WHERE t.relname IN ($1, $2, $3, $4, $5, $6) AND pg_table_is_visible(t.oid) AND i.indisvalid \
               GROUP BY i.indexrelid, t.relname, am.amname, i.indpred, i.indrelid";
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [
                MODELS.into(),
                VERSIONS.into(),
                EVENTS.into(),
                ALIASES.into(),
                WEBHOOKS.into(),
                DELIVERIES.into(),
            ],
        ))
        .await?;
    let mut existing = Vec::with_capacity(rows.len());
    for row in rows {
        let table: String = row.try_get("", "table_name")?;
        let method: String = row.try_get("", "method")?;
        let columns: Vec<String> = row.try_get("", "columns")?;
        let predicate: Option<String> = row.try_get("", "predicate")?;
        existing.push((table, method, columns, predicate));
    }
    Ok(INDEXES
        .iter()
        .filter(|spec| {
            !existing.iter().any(|(table, method, columns, predicate)| {
                spec.is_served_by(table, method, columns, predicate.as_deref())
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_file_creates_exactly_these_indexes() {
        let schema = super::super::SCHEMA_SQL;
        for index in INDEXES {
            assert!(
                schema.contains(&index.create_sql()),
                "scripts/schema.sql lacks `{}`",
                index.create_sql()
            );
        }
        assert_eq!(schema.matches("CREATE INDEX").count(), INDEXES.len());
    }

    #[test]
    fn cmps_migrations_create_exactly_these_indexes() {
        // Read at run time: the files are no part of the binary. The
        // registry's tables get theirs built concurrently (0002); tables
        // new to CMP declare theirs on the model (`models.Index`).
        let folder = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/deploy/cmp/model_registry/migrations"
        );
        let mut migrations = String::new();
        for entry in std::fs::read_dir(folder).expect("CMP's migrations") {
            let path = entry.expect("a migration").path();
            if path.extension().is_some_and(|ext| ext == "py") {
                migrations += &std::fs::read_to_string(path).expect("a migration");
            }
        }
        for index in INDEXES {
            let declared = format!(
                "models.Index(fields=['{}'], name='{}')",
                index.columns.join("', '"),
                index.name
            );
            assert!(
                migrations.contains(&index.create_concurrently_sql())
                    || migrations.contains(&declared),
                "CMP's migrations lack `{}`",
                index.create_concurrently_sql()
            );
        }
        assert_eq!(
            migrations.matches("CREATE INDEX CONCURRENTLY").count()
                + migrations.matches("models.Index(").count(),
            INDEXES.len()
        );
    }

    #[test]
    fn an_index_is_recognised_by_its_method_and_columns_not_its_name() {
        let spec = &INDEXES[0];
        let columns = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let btree = |table, names: &[&str], predicate| {
            spec.is_served_by(table, "btree", &columns(names), predicate)
        };
        assert!(btree(MODELS, &["project_id", "created_at", "id"], None));
        assert!(btree(
            MODELS,
            &["project_id", "created_at", "id", "name"],
            None
        ));
        assert!(!btree(MODELS, &["project_id", "created_at"], None));
        assert!(!btree(MODELS, &["created_at", "project_id", "id"], None));
        assert!(!btree(
            MODELS,
            &["project_id", "created_at", "id"],
            Some("is_default")
        ));
        assert!(!spec.is_served_by(
            MODELS,
            "hash",
            &columns(&["project_id", "created_at", "id"]),
            None
        ));
        let partial = INDEXES
            .iter()
            .find(|spec| spec.predicate.is_some())
            .expect("a partial index");
        assert!(partial.is_served_by(
            VERSIONS,
            "btree",
            &columns(&["registered_model_id"]),
            Some("is_default")
        ));
        assert!(!partial.is_served_by(VERSIONS, "btree", &columns(&["registered_model_id"]), None));
        let labels = INDEXES
            .iter()
            .find(|spec| spec.kind == IndexKind::JsonContainment)
            .expect("a GIN index");
        assert!(labels.is_served_by(labels.table, "gin", &columns(labels.columns), None));
        assert!(labels.is_served_by(
            labels.table,
            "gin",
            &columns(labels.columns),
            Some("(labels <> '{}'::jsonb)")
        ));
        assert!(!labels.is_served_by(labels.table, "btree", &columns(labels.columns), None));
    }

    #[test]
    fn the_filters_repeat_the_partial_indexes_predicates() {
        use crate::store::{NO_LABELS, NO_TAGS};
        let predicates: Vec<_> = INDEXES.iter().filter_map(|spec| spec.predicate).collect();
        assert!(predicates.contains(&format!("labels <> {NO_LABELS}").as_str()));
        assert!(predicates.contains(&format!("tags <> {NO_TAGS}").as_str()));
    }
}
