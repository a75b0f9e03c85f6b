//! Messages a person can act on. When a body or a parameter does not parse,
//! the answer names the field and says what it must be, in the words of its
//! own OpenAPI schema (`region_id: must be a UUID`), never in the parser's
//! internal type names. Only the failure path comes here.

use std::{
    any::TypeId,
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock, RwLock},
};

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

impl<T: ParseFromJSON + 'static> ParsePayload for Body<T> {
    const IS_REQUIRED: bool = true;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let data = Vec::<u8>::from_request(request, body).await?;
        if data.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::invalid("request body is required: a JSON object").into());
        }
        let value: Value = serde_json::from_slice(&data)
            .map_err(|err| Error::invalid(format!("request body is not valid JSON: {err}")))?;
        let mut unknown = Vec::new();
        if let Some(known) = known_fields::<T>() {
            collect_unknown(&known, &value, "", &mut unknown);
        }
        if !unknown.is_empty() {
            if prefers_strict(request.headers()) {
                return Err(Error::invalid(unknown_message(&unknown)).into());
            }
            if let Some(UnknownFields(slot)) = request.extensions().get::<UnknownFields>()
                && let Ok(mut slot) = slot.lock()
            {
                slot.extend(unknown);
            }
        }
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

poem_openapi::impl_apirequest_for_payload!(Body<T>, T: ParseFromJSON + 'static);

/// Where a body's ignored fields are left for the answer's `Warning`
/// headers; the middleware that adds them puts it in the request.
#[derive(Clone, Default)]
pub struct UnknownFields(pub Arc<Mutex<Vec<String>>>);

/// At most this many unknown fields are named, each cut to
/// `MAX_NAME_CHARS`: a body of a million keys must not make a huge answer.
pub const MAX_NAMED: usize = 20;
const MAX_NAME_CHARS: usize = 100;

/// `Prefer: handling=strict` (RFC 7240): refuse what would be ignored.
pub fn prefers_strict(headers: &poem::http::HeaderMap) -> bool {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|preference| preference.split(';').next())
        .filter_map(|preference| preference.split_once('='))
        .any(|(name, value)| {
            name.trim().eq_ignore_ascii_case("handling")
                && value
                    .trim()
                    .trim_matches('"')
                    .eq_ignore_ascii_case("strict")
        })
}

fn unknown_message(unknown: &[String]) -> String {
    let names: Vec<String> = unknown
        .iter()
        .take(MAX_NAMED)
        .map(|name| format!("{name:?}"))
        .collect();
    let more = match unknown.len().saturating_sub(MAX_NAMED) {
        0 => String::new(),
        more => format!(" and {more} more"),
    };
    let (noun, pronoun) = if unknown.len() == 1 {
        ("field", "it")
    } else {
        ("fields", "them")
    };
    format!(
        "unknown {noun} {}{more}: this operation does not take {pronoun} \
         (refused, as Prefer: handling=strict asks)",
        names.join(", ")
    )
}

/// The field names of a body's schema, nested objects' too; `None` where
/// any name goes (a map such as `labels`).
#[derive(Debug, Default)]
struct Known {
    fields: HashMap<String, Option<Arc<Known>>>,
}

/// The known fields of `T`, worked out once per type.
fn known_fields<T: Type + 'static>() -> Option<Arc<Known>> {
    type Cache = RwLock<HashMap<TypeId, Option<Arc<Known>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    if let Some(known) = cache.read().ok()?.get(&TypeId::of::<T>()) {
        return known.clone();
    }
    let mut registry = Registry::new();
    T::register(&mut registry);
    let known = known_of(&registry, &T::schema_ref());
    if let Ok(mut cache) = cache.write() {
        cache.insert(TypeId::of::<T>(), known.clone());
    }
    known
}

fn known_of(registry: &Registry, schema: &MetaSchemaRef) -> Option<Arc<Known>> {
    let resolved = resolve(registry, schema)?;
    if let Some(inner) = resolved.all_of.first() {
        return known_of(registry, inner);
    }
    if resolved.ty != "object" || resolved.additional_properties.is_some() {
        return None;
    }
    let fields = resolved
        .properties
        .iter()
        .map(|(name, property)| ((*name).to_owned(), known_of(registry, property)))
        .collect();
    Some(Arc::new(Known { fields }))
}

fn collect_unknown(known: &Known, value: &Value, path: &str, out: &mut Vec<String>) {
    let Value::Object(fields) = value else {
        return;
    };
    for (name, value) in fields {
        match known.fields.get(name) {
            None => out.push(join(path, name).chars().take(MAX_NAME_CHARS).collect()),
            Some(Some(inner)) => collect_unknown(inner, value, &join(path, name), out),
            Some(None) => {}
        }
    }
}

/// One `Warning` header value (warn-code 299, as Kubernetes sends it):
/// `299 - "unknown field \"stat\""`, anything outside visible ASCII
/// escaped, so that it is always a valid header.
pub fn warning(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            ' '..='~' => quoted.push(c),
            other => quoted += &format!("\\u{{{:x}}}", other as u32),
        }
    }
    format!("299 - \"{quoted}\"")
}

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
            let (min, max) = (resolved.min_items, resolved.max_items);
            if min.is_some_and(|min| items.len() < min) || max.is_some_and(|max| items.len() > max)
            {
                let bounds = match (min, max) {
                    (Some(min), Some(max)) => format!("{min} to {max}"),
                    (Some(min), None) => format!("at least {min}"),
                    (None, max) => format!("at most {}", max.unwrap_or_default()),
                };
                return Some(format!("{path}: must hold {bounds} items"));
            }
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

/// The pattern a name's schema carries: a character that is not white space,
/// anchored for the generators that match patterns from the start only.
pub const NOT_BLANK: &str = r"^\s*\S";

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
        ("string", Some(shape @ ("key:value" | "array:value"))) => {
            let shape = match shape {
                "key:value" => "key:value (the first `:` ends the key)",
                _ => "array:value, the array one of frameworks, architectures, tasks, subjects",
            };
            let at_most = schema.max_length.unwrap_or_default();
            format!("must be {shape}, of at most {at_most} characters, without NUL characters")
        }
        ("string", _) if schema.pattern.as_deref().is_some_and(|p| p != NOT_BLANK) => {
            format!(
                "must match {}",
                schema.pattern.as_deref().unwrap_or_default()
            )
        }
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
        // A repeated parameter, or an array in a body: what each item must be.
        ("array", _) => match &schema.items {
            Some(items) => requirement(registry, items, detail),
            None => "must be an array".into(),
        },
        ("object", _) if schema.additional_properties.is_some() => {
            "must be an object of strings".into()
        }
        ("object", _) => "must be an object".into(),
        _ => detail.to_owned(),
    }
}

/// A parser's message without its internal type names: `failed to parse
/// "string(0..100)": must be at most 100 characters (occurred while ...)`
/// → `must be at most 100 characters`.
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
    fn warnings_are_valid_headers_whatever_the_name() {
        assert_eq!(
            warning(&format!("unknown field {:?}", "stat")),
            r#"299 - "unknown field \"stat\"""#
        );
        let odd = warning("unknown field \"é\n\"");
        assert!(poem::http::HeaderValue::from_str(&odd).is_ok(), "{odd}");
    }

    #[test]
    fn strict_handling_is_read_as_rfc_7240_writes_it() {
        let mut headers = poem::http::HeaderMap::new();
        assert!(!prefers_strict(&headers));
        let asked = "respond-async, Handling=\"strict\"; x=1";
        headers.insert("prefer", asked.parse().expect("a header"));
        assert!(prefers_strict(&headers));
        headers.insert("prefer", "handling=lenient".parse().expect("a header"));
        assert!(!prefers_strict(&headers));
    }

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
