//! The hand-written OpenAPI document (`openapi/model-registry.yaml`) and the
//! one poem-openapi derives from the code must describe the same API: the
//! same operations, parameters, request bodies and responses, down to types,
//! enums and length limits. Descriptions and examples are the file's own.
//!
//! On a difference the test fails with one line per disagreement, and
//! leaves both normalised documents in `target/tmp/openapi/` to diff.

use std::collections::BTreeMap;

use model_registry::api::docs::{SPEC_YAML, generated_spec, spec_json};
use serde_json::{Map, Value, json};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

#[test]
fn docs_and_code_agree() {
    let generated = generated_spec();
    let code: Value = serde_json::from_str(&generated).expect("the generated document");
    let file: Value = serde_yaml::from_str(SPEC_YAML).expect("openapi/model-registry.yaml parses");
    let (code, file) = (normalize(&code), normalize(&file));

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi");
    std::fs::create_dir_all(&dir).expect("a directory under target/");
    std::fs::write(dir.join("generated.json"), &generated).expect("write");
    for (name, doc) in [("code.json", &code), ("file.json", &file)] {
        let text = serde_json::to_string_pretty(doc).expect("json");
        std::fs::write(dir.join(name), text).expect("write");
    }

    let mut differences = Vec::new();
    diff("", &code, &file, &mut differences);
    assert!(
        differences.is_empty(),
        "openapi/model-registry.yaml and the code disagree ({} differences; \
         normalised copies in {}):\n{}",
        differences.len(),
        dir.display(),
        differences.join("\n")
    );
}

#[test]
fn the_served_json_is_the_file() {
    let text = spec_json().expect("the file converts to JSON");
    let served: Value = serde_json::from_str(&text).expect("json");
    let file: Value = serde_yaml::from_str(SPEC_YAML).expect("yaml");
    assert_eq!(served, file);
    // The file's order, not the alphabet's: `openapi` first, `components` last.
    let at = |key: &str| text.find(&format!("\"{key}\":"));
    assert!(at("openapi") < at("info") && at("paths") < at("components"));
    assert_eq!(
        file["openapi"].as_str().map(|v| v.starts_with("3.")),
        Some(true)
    );
    let operations = normalize(&file).as_object().map(Map::len).unwrap_or(0);
    assert_eq!(operations, 36, "35 operations and /healthz");
}

/// `"METHOD /path"` → what must agree about that operation.
fn normalize(doc: &Value) -> Value {
    let mut operations = BTreeMap::new();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    for (path, item) in &paths {
        let item = resolve(doc, item);
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let mut parameters = BTreeMap::new();
            let shared = item["parameters"].as_array().cloned().unwrap_or_default();
            let own = op["parameters"].as_array().cloned().unwrap_or_default();
            for parameter in shared.iter().chain(&own) {
                let p = resolve(doc, parameter);
                let key = format!(
                    "{} {}",
                    p["in"].as_str().unwrap_or("?"),
                    p["name"].as_str().unwrap_or("?")
                );
                parameters.insert(
                    key,
                    json!({
                        "required": p["required"].as_bool().unwrap_or(false),
                        "schema": shape(doc, &p["schema"]),
                    }),
                );
            }
            let body = op.get("requestBody").map(|body| {
                let body = resolve(doc, body);
                json!({
                    "required": body["required"].as_bool().unwrap_or(false),
                    "schema": json_content(doc, &body),
                })
            });
            let mut responses = BTreeMap::new();
            for (status, response) in op["responses"].as_object().cloned().unwrap_or_default() {
                let response = resolve(doc, &response);
                responses.insert(status, json_content(doc, &response));
            }
            operations.insert(
                format!("{} {path}", method.to_uppercase()),
                json!({
                    "operationId": op["operationId"],
                    "parameters": parameters,
                    "requestBody": body,
                    "responses": responses,
                }),
            );
        }
    }
    json!(operations)
}

/// Follows `$ref`s to the object they name.
fn resolve(doc: &Value, value: &Value) -> Value {
    let mut value = value.clone();
    while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let pointer = reference.trim_start_matches('#');
        value = doc.pointer(pointer).cloned().unwrap_or(Value::Null);
    }
    value
}

/// The schema of the JSON content of a body or response, if any.
fn json_content(doc: &Value, holder: &Value) -> Value {
    holder["content"]
        .as_object()
        .and_then(|content| {
            content
                .iter()
                .find(|(media, _)| media.starts_with("application/json"))
                .map(|(_, media)| shape(doc, &media["schema"]))
        })
        .unwrap_or(Value::Null)
}

/// What a schema says about the values it accepts, without prose.
fn shape(doc: &Value, schema: &Value) -> Value {
    let schema = resolve(doc, schema);
    let Some(object) = schema.as_object() else {
        return schema;
    };
    // `allOf` wraps a reference to carry `nullable` or a description:
    // merge what its parts say about values.
    if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(part) = shape(doc, part) {
                for (key, value) in part {
                    if key != "nullable" {
                        merged.entry(key).or_insert(value);
                    }
                }
            }
        }
        merged.insert(
            "nullable".into(),
            Value::Bool(object.get("nullable") == Some(&Value::Bool(true))),
        );
        return Value::Object(merged);
    }
    let mut out = Map::new();
    for key in [
        "type",
        "format",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "pattern",
    ] {
        if let Some(value) = object.get(key) {
            out.insert(key.into(), normalize_number(value));
        }
    }
    out.insert(
        "nullable".into(),
        Value::Bool(object.get("nullable") == Some(&Value::Bool(true))),
    );
    if let Some(values) = object.get("enum").and_then(Value::as_array) {
        let mut values = values.clone();
        values.sort_by_key(Value::to_string);
        out.insert("enum".into(), Value::Array(values));
    }
    if let Some(items) = object.get("items") {
        out.insert("items".into(), shape(doc, items));
    }
    if let Some(properties) = object.get("properties").and_then(Value::as_object) {
        let shaped: Map<String, Value> = properties
            .iter()
            .map(|(name, p)| (name.clone(), shape(doc, p)))
            .collect();
        out.insert("properties".into(), Value::Object(shaped));
        let mut required: Vec<String> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        required.sort();
        out.insert("required".into(), json!(required));
    }
    if let Some(additional) = object.get("additionalProperties") {
        let additional = if additional.is_object() {
            shape(doc, additional)
        } else {
            additional.clone()
        };
        out.insert("additionalProperties".into(), additional);
    }
    Value::Object(out)
}

/// `1` and `1.0` are the same bound.
fn normalize_number(value: &Value) -> Value {
    match value.as_f64() {
        Some(n) if value.is_number() && n.fract() == 0.0 => json!(n as i64),
        _ => value.clone(),
    }
}

/// One line per place where the code's document and the file differ.
fn diff(path: &str, code: &Value, file: &Value, out: &mut Vec<String>) {
    match (code, file) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => diff(&child, x, y, out),
                    (Some(x), None) => out.push(format!("{child}: only in the code: {x}")),
                    (None, Some(y)) => out.push(format!("{child}: only in the file: {y}")),
                    (None, None) => {}
                }
            }
        }
        (a, b) if a != b => out.push(format!("{path}: code says {a}, file says {b}")),
        _ => {}
    }
}
