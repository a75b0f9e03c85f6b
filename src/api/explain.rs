//! Messages a person can act on. When a body or a parameter does not parse,
//! the answer names the field and says what it must be, in the words of its
//! own OpenAPI schema (`region_id: must be a UUID`), never in the parser's
//! internal type names. Only the failure path comes here.

use std::{collections::HashMap, sync::OnceLock};

use poem::{FromRequest, Request, RequestBody};
use poem_openapi::{
    OpenApi,
    payload::{ParsePayload, Payload},
    registry::{MetaSchema, MetaSchemaRef, Registry},
    types::{ParseFromJSON, Type},
};
use serde_json::Value;

use crate::domain::Error;

/// A JSON request body whose refusal names the field at fault.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T: Type> Payload for Body<T> {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn check_content_type(content_type: &str) -> bool {
        <poem_openapi::payload::Json<T> as Payload>::check_content_type(content_type)
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: ParseFromJSON> ParsePayload for Body<T> {
    const IS_REQUIRED: bool = true;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let data = Vec::<u8>::from_request(request, body).await?;
        if data.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::invalid("request body is required: a JSON object").into());
        }
        let value: Value = serde_json::from_slice(&data)
            .map_err(|err| Error::invalid(format!("request body is not valid JSON: {err}")))?;
        match T::parse_from_json(Some(value)) {
            Ok(parsed) => Ok(Body(parsed)),
            Err(err) => {
                // Parsed once already; read again rather than keep a copy of
                // every body that parses.
                let value: Value = serde_json::from_slice(&data).unwrap_or(Value::Null);
                let mut registry = Registry::new();
                T::register(&mut registry);
                let message = explain(&registry, &T::schema_ref(), &value, "")
                    .unwrap_or_else(|| without_type_names(&err.into_message()));
                Err(Error::invalid(message).into())
            }
        }
    }
}

poem_openapi::impl_apirequest_for_payload!(Body<T>, T: ParseFromJSON);

/// What a refused parameter must be, from the operation's own schema:
/// `state: must be one of LIVE, ARCHIVED`.
pub fn parameter_message(operation: Option<&str>, name: &str, reason: &str) -> String {
    let known = PARAMETERS.get().and_then(|parameters| {
        let schema = parameters.schemas.get(&(operation?, name.to_owned()))?;
        Some((parameters, schema))
    });
    match known {
        Some((parameters, schema)) => format!(
            "{name}: {}",
            requirement(&parameters.registry, schema, &without_type_names(reason))
        ),
        None => format!("{name}: {}", without_type_names(reason)),
    }
}

/// Every operation's query parameters, with their schemas.
struct Parameters {
    registry: Registry,
    schemas: HashMap<(&'static str, String), MetaSchemaRef>,
}

static PARAMETERS: OnceLock<Parameters> = OnceLock::new();

/// Learns the parameters of `Apis`, every operation the service serves,
/// for [`parameter_message`]: the API gives them when it is built.
pub fn learn_parameters<Apis: OpenApi>() {
    PARAMETERS.get_or_init(parameters_of::<Apis>);
}

fn parameters_of<Apis: OpenApi>() -> Parameters {
    let mut registry = Registry::new();
    <Apis as OpenApi>::register(&mut registry);
    let schemas = <Apis as OpenApi>::meta()
        .into_iter()
        .flat_map(|api| api.paths)
        .flat_map(|path| path.operations)
        .filter_map(|op| op.operation_id.map(|id| (id, op.params)))
        .flat_map(|(id, params)| {
            params
                .into_iter()
                .map(move |param| ((id, param.name.to_string()), param.schema))
        })
        .collect();
    Parameters { registry, schemas }
}

fn resolve<'a>(registry: &'a Registry, schema: &'a MetaSchemaRef) -> Option<&'a MetaSchema> {
    match schema {
        MetaSchemaRef::Inline(schema) => Some(schema),
        MetaSchemaRef::Reference(name) => registry.schemas.get(name),
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// The first place in `value` that `schema` refuses, as `path: must be ...`.
fn explain(
    registry: &Registry,
    schema: &MetaSchemaRef,
    value: &Value,
    path: &str,
) -> Option<String> {
    let resolved = resolve(registry, schema)?;
    let refused = || {
        let at = if path.is_empty() {
            "request body"
        } else {
            path
        };
        Some(format!("{at}: {}", requirement(registry, schema, "")))
    };
    if value.is_null() {
        return if resolved.nullable { None } else { refused() };
    }
    if !resolved.all_of.is_empty() {
        return resolved
            .all_of
            .iter()
            .find_map(|part| explain(registry, part, value, path));
    }
    match resolved.ty {
        "object" => {
            let Value::Object(fields) = value else {
                return refused();
            };
            if let Some(missing) = resolved
                .required
                .iter()
                .find(|name| fields.get(**name).is_none_or(Value::is_null))
            {
                return Some(format!("{}: is required", join(path, missing)));
            }
            let declared = resolved.properties.iter().find_map(|(name, property)| {
                let value = fields.get(*name).filter(|v| !v.is_null())?;
                explain(registry, property, value, &join(path, name))
            });
            if declared.is_some() {
                return declared;
            }
            // A map (labels): its keys are the caller's, so they are not
            // repeated in the message.
            let values = resolved.additional_properties.as_deref()?;
            if fields.keys().any(|key| key.contains('\0')) {
                return Some(format!("{path}: keys must not contain NUL characters"));
            }
            fields
                .values()
                .find_map(|value| explain(registry, values, value, path))
                .map(|_| format!("{path}: each value {}", requirement(registry, values, "")))
        }
        "array" => {
            let Value::Array(items) = value else {
                return refused();
            };
            let item = resolved.items.as_deref()?;
            items
                .iter()
                .enumerate()
                .find_map(|(i, value)| explain(registry, item, value, &format!("{path}[{i}]")))
        }
        "string" => match value {
            Value::String(text) if string_fits(resolved, text) => None,
            _ => refused(),
        },
        "integer" => match value.as_i64() {
            Some(n) if number_fits(resolved, n as f64) => None,
            _ => refused(),
        },
        "number" => match value.as_f64() {
            Some(n) if number_fits(resolved, n) => None,
            _ => refused(),
        },
        "boolean" => (!value.is_boolean()).then(refused).flatten(),
        _ => None,
    }
}

fn string_fits(schema: &MetaSchema, text: &str) -> bool {
    let chars = text.chars().count();
    !text.contains('\0')
        && schema.min_length.is_none_or(|min| chars >= min)
        && schema.max_length.is_none_or(|max| chars <= max)
        && (schema.enum_items.is_empty()
            || schema
                .enum_items
                .iter()
                .any(|item| item.as_str() == Some(text)))
        && match schema.format {
            Some("uuid") => uuid::Uuid::parse_str(text).is_ok(),
            _ => true,
        }
        && (schema.pattern.as_deref() != Some(NOT_BLANK) || !text.trim().is_empty())
}

fn number_fits(schema: &MetaSchema, n: f64) -> bool {
    schema.minimum.is_none_or(|min| n >= min) && schema.maximum.is_none_or(|max| n <= max)
}

/// The pattern a name's schema carries: a character that is not white space.
pub const NOT_BLANK: &str = r"\S";

/// What a value of `schema` must be, in words; `detail` is added where the
/// schema cannot say more (a custom rule's own message).
fn requirement(registry: &Registry, schema: &MetaSchemaRef, detail: &str) -> String {
    let Some(schema) = resolve(registry, schema) else {
        return detail.to_owned();
    };
    if let Some(inner) = schema.all_of.first() {
        return requirement(registry, inner, detail);
    }
    if !schema.enum_items.is_empty() {
        let items: Vec<&str> = schema.enum_items.iter().filter_map(Value::as_str).collect();
        return format!("must be one of {}", items.join(", "));
    }
    match (schema.ty, schema.format) {
        ("string", Some("uuid")) => "must be a UUID".into(),
        ("string", Some("date-time")) => "must be an RFC 3339 timestamp".into(),
        ("string", Some("key:value")) => {
            "must be key:value (the first `:` ends the key), without NUL characters".into()
        }
        ("string", Some("array:value")) => "must be array:value, the array one of frameworks, \
             architectures, tasks, subjects, without NUL characters"
            .into(),
        ("string", _) => {
            let mut text = String::from("must be a string");
            match (schema.min_length.filter(|min| *min > 0), schema.max_length) {
                (Some(min), Some(max)) => text += &format!(" of {min} to {max} characters"),
                (None, Some(max)) => text += &format!(" of at most {max} characters"),
                (Some(min), None) => text += &format!(" of at least {min} characters"),
                (None, None) => {}
            }
            if schema.pattern.as_deref() == Some(NOT_BLANK) {
                text += ", not only white space";
            }
            text + ", without NUL characters"
        }
        ("integer", _) | ("number", _) => {
            let kind = if schema.ty == "integer" {
                "an integer"
            } else {
                "a number"
            };
            match (schema.minimum, schema.maximum) {
                (Some(min), Some(max)) => format!("must be {kind} from {min} to {max}"),
                (Some(min), None) => format!("must be {kind} of at least {min}"),
                (None, Some(max)) => format!("must be {kind} of at most {max}"),
                (None, None) => format!("must be {kind}"),
            }
        }
        ("boolean", _) => "must be true or false".into(),
        ("array", _) => "must be an array".into(),
        ("object", _) if schema.additional_properties.is_some() => {
            "must be an object of strings".into()
        }
        ("object", _) => "must be an object".into(),
        _ => detail.to_owned(),
    }
}

/// A parser's message without its internal type names:
/// `failed to parse "string(0..100)": must be at most 100 characters
/// (occurred while parsing "optional_string(0..100)")` → `must be at most
/// 100 characters`.
pub fn without_type_names(message: &str) -> String {
    let mut text = message;
    while let Some(rest) = text.strip_prefix("failed to parse \"") {
        match rest.split_once("\": ") {
            Some((_, after)) => text = after,
            None => break,
        }
    }
    let text = match text.find(" (occurred while parsing") {
        Some(end) => &text[..end],
        None => text,
    };
    text.trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_noise_is_removed() {
        assert_eq!(
            without_type_names(
                "failed to parse \"string(0..100)\": must be at most 100 characters \
                 (occurred while parsing \"optional_string(0..100)\")"
            ),
            "must be at most 100 characters"
        );
        assert_eq!(without_type_names("plain."), "plain");
    }

    #[test]
    fn a_query_parameter_is_described_by_its_schema() {
        learn_parameters::<super::super::Apis>();
        assert_eq!(
            parameter_message(
                Some("listModels"),
                "state",
                "Expect a valid enumeration value."
            ),
            "state: must be one of LIVE, ARCHIVED"
        );
        assert_eq!(
            parameter_message(Some("listModels"), "limit", "whatever"),
            "limit: must be an integer of at least 1"
        );
        assert_eq!(
            parameter_message(None, "x", "failed to parse \"t\": must be short"),
            "x: must be short"
        );
    }
}
