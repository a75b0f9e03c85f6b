//! Rows and records: the store reads the tables' rows into the domain's
//! records, and writes the domain's values as the columns hold them.
//! Rows are written by CMP too, so reading is lenient: what does not fit
//! the domain's shape is shown as best it can be, never refused.

use entity::{model_registry_model_version as version, model_registry_registered_model as model};
use serde_json::Value;

use crate::domain::{
    DeploymentStatus, LabelKey, Labels, Model, Spelled, State, Tags, Text, Version, VersionStatus,
};

/// A model's row and its looked-up details, as one record.
pub(super) struct ModelDetails {
    pub owner_email: String,
    pub region_name: String,
    pub version_count: i64,
    pub latest_version: Option<Version>,
    pub default_version: Option<Version>,
}

pub(super) fn model_record(row: model::Model, details: ModelDetails) -> Model {
    Model {
        id: row.id,
        created_at: row.created_at.to_utc(),
        updated_at: row.updated_at.to_utc(),
        project_id: row.project_id,
        owner_id: row.owner_id,
        owner_email: details.owner_email,
        name: row.name,
        slug: row.slug,
        description: row.description,
        region_id: row.region_id,
        region_name: details.region_name,
        model_type: row.model_type,
        model_size: row.model_size,
        state: State::from_stored(&row.state),
        deployment_status: DeploymentStatus::from_stored(&row.deployment_status),
        tags: tags_from_stored(row.tags),
        labels: labels_from_stored(row.labels),
        parent_model_id: row.parent_model_id,
        version_count: details.version_count,
        latest_version: details.latest_version,
        default_version: details.default_version,
    }
}

/// A version's row, its two emails and its aliases (as `version_columns.sql`
/// reads them: comma-separated), as one record; the row's secrets are dropped.
pub(super) fn version_record(
    row: version::Model,
    created_by_email: String,
    updated_by_email: String,
    aliases: &str,
) -> Version {
    // Sorted here rather than by the database, whose collations differ.
    let mut aliases: Vec<String> = aliases
        .split(',')
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
    aliases.sort_unstable();
    Version {
        id: row.id,
        created_at: row.created_at.to_utc(),
        updated_at: row.updated_at.to_utc(),
        registered_model_id: row.registered_model_id,
        name: row.name,
        description: row.description,
        is_default: row.is_default,
        state: State::from_stored(&row.state),
        status: VersionStatus::from_stored(&row.status),
        created_by_id: row.created_by_id,
        updated_by_id: row.updated_by_id,
        created_by_email,
        updated_by_email,
        artifact_type: row.artifact_type,
        model_framework: row.model_framework,
        model_framework_version: row.model_framework_version,
        container_image: row.container_image,
        model_catalog_name: row.model_catalog_name,
        uri: row.uri,
        labels: labels_from_stored(row.labels),
        prebuilt_container_id: row.prebuilt_container_id,
        aliases,
    }
}

/// Tags as stored: an object of the four arrays, all of them present.
pub(super) fn tags_to_stored(tags: &Tags) -> Value {
    let list = |items: &[Text]| -> Value {
        Value::Array(
            items
                .iter()
                .map(|t| Value::String(t.as_str().to_owned()))
                .collect(),
        )
    };
    serde_json::json!({
        "frameworks": list(&tags.frameworks),
        "architectures": list(&tags.architectures),
        "tasks": list(&tags.tasks),
        "subjects": list(&tags.subjects),
    })
}

/// Tags from a stored value, moved out of it; missing or malformed arrays
/// read as empty.
fn tags_from_stored(mut value: Value) -> Tags {
    let mut list = |key: &str| -> Vec<Text> {
        match value.get_mut(key).map(Value::take) {
            Some(Value::Array(items)) => items
                .into_iter()
                .filter_map(|item| match item {
                    Value::String(s) => Some(Text::stored(s)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    Tags {
        frameworks: list("frameworks"),
        architectures: list("architectures"),
        tasks: list("tasks"),
        subjects: list("subjects"),
    }
}

/// Labels as stored: a JSON object of strings.
pub(super) fn labels_to_stored(labels: &Labels) -> Value {
    Value::Object(
        labels
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), Value::String(v.as_str().to_owned())))
            .collect(),
    )
}

/// Labels from a stored value, moved out of it: a value that is not a
/// string is shown as its JSON text.
fn labels_from_stored(value: Value) -> Labels {
    match value {
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (LabelKey::stored(k), Text::stored(text))
            })
            .collect(),
        _ => Labels::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_read_leniently_and_write_all_four_arrays() {
        let stored = serde_json::json!({"frameworks": ["pytorch", 3], "tasks": "x"});
        let tags = tags_from_stored(stored);
        assert_eq!(tags.frameworks, vec![Text::stored("pytorch".into())]);
        assert!(tags.tasks.is_empty() && tags.subjects.is_empty());
        let written = tags_to_stored(&tags);
        for key in ["frameworks", "architectures", "tasks", "subjects"] {
            assert!(written[key].is_array(), "{key} missing");
        }
    }

    #[test]
    fn labels_round_trip_and_read_leniently() {
        let labels: Labels = [(LabelKey::stored("env".into()), Text::stored("prod".into()))].into();
        assert_eq!(labels_from_stored(labels_to_stored(&labels)), labels);
        let stored = serde_json::json!({"n": 1, "s": "x"});
        assert_eq!(labels_from_stored(stored)["n"].as_str(), "1");
        assert!(labels_from_stored(Value::Null).is_empty());
    }
}
