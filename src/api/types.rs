//! The contract's types: what a client sends and what it gets back. A value
//! of a request type has passed every check on shape (lengths, enums,
//! ranges) while being parsed; the rules below the API take it as it is.

use std::{borrow::Cow, collections::BTreeMap};

use chrono::{DateTime, SecondsFormat, Utc};
use poem_openapi::{
    ApiResponse, Enum, Object,
    payload::Json,
    registry::{MetaSchema, MetaSchemaRef},
    types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type},
};
use serde_json::Value;
use uuid::Uuid;

use crate::store::Page;

/// Declares a strict enum: its wire names, which are also the values stored
/// in the database, in one place.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vmeta])* #[oai(rename = $wire)] $variant),+
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }

            /// Reads a stored value. Rows are written by CMP too, so an
            /// unknown value is logged and shown as the first variant rather
            /// than failing the whole response.
            pub fn from_stored(value: &str) -> Self {
                match value {
                    $($wire => $name::$variant,)+
                    other => {
                        let fallback = [$($name::$variant),+][0];
                        tracing::warn!(
                            value = other,
                            shown_as = fallback.as_str(),
                            concat!("unknown ", stringify!($name), " value in the database")
                        );
                        fallback
                    }
                }
            }
        }
    };
}

wire_enum!(
    /// Lifecycle state of a model or a version.
    State { Live => "LIVE", Archived => "ARCHIVED" }
);
wire_enum!(
    /// Readiness of a version.
    VersionStatus { Pending => "PENDING", Ready => "READY", Failed => "FAILED" }
);
wire_enum!(
    /// Deployment status of a model.
    DeploymentStatus { Undeployed => "UNDEPLOYED", Deployed => "DEPLOYED", Failed => "FAILED" }
);
wire_enum!(
    /// Sort keys of `GET /models`.
    ModelSortBy {
        CreatedAt => "created_at",
        UpdatedAt => "updated_at",
        Name => "name",
        ModelSize => "model_size",
    }
);
wire_enum!(
    /// Sort keys of the version and artifact lists.
    VersionSortBy { CreatedAt => "created_at", UpdatedAt => "updated_at", Name => "name" }
);
wire_enum!(
    /// Sort direction.
    SortOrder { Desc => "desc", Asc => "asc" }
);

/// A point in time, written as RFC 3339 in UTC with a `Z`
/// (`2026-02-10T04:02:51.123456Z`), as the old service wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub DateTime<Utc>);

impl Type for Timestamp {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "string_date-time".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "date-time")))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl ParseFromJSON for Timestamp {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(s) => Ok(Timestamp(s.parse()?)),
            other => Err(ParseError::expected_type(other)),
        }
    }
}

impl ToJSON for Timestamp {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(
            self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        ))
    }
}

/// No text column takes a NUL character (PostgreSQL refuses them), so no
/// request may carry one.
const NUL_MESSAGE: &str = "must not contain NUL characters";

/// A model or version name: 1 to 100 characters, not only white space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(value: String) -> Result<Self, String> {
        if value.trim().is_empty() {
            return Err("name must not be empty".into());
        }
        if value.contains('\0') {
            return Err(NUL_MESSAGE.into());
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(format!(
                "name must be at most {} characters",
                Self::MAX_CHARS
            ));
        }
        Ok(Name(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl Type for Name {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "string_name".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new("string");
        schema.min_length = Some(1);
        schema.max_length = Some(Self::MAX_CHARS);
        schema.pattern = Some(super::explain::NOT_BLANK.into());
        MetaSchemaRef::Inline(Box::new(schema))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl ParseFromJSON for Name {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(s) => Name::parse(s).map_err(ParseError::custom),
            other => Err(not_a_string(&other)),
        }
    }
}

/// "expected a string, found a number", without the value itself: it may
/// be a secret sent in the wrong shape.
fn not_a_string<T: Type>(value: &Value) -> ParseError<T> {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    ParseError::custom(format!("expected a string, found {found}"))
}

impl ToJSON for Name {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

/// A name in a query (`?name=`, `?search=`): no longer than a name can be.
pub type NameQuery = Text<0, { Name::MAX_CHARS }>;
/// A model type in a query: no longer than the column.
pub type ModelTypeQuery = Text<0, 50>;

/// A JSON string of `MIN` to `MAX` characters. Unlike poem-openapi's
/// `String`, it does not take a number or a boolean for a string: a wrong
/// JSON type is bad input.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Text<const MIN: usize = 0, const MAX: usize = { usize::MAX }>(pub String);

impl<const MIN: usize, const MAX: usize> From<Text<MIN, MAX>> for String {
    fn from(text: Text<MIN, MAX>) -> String {
        text.0
    }
}

impl<const MIN: usize, const MAX: usize> Type for Text<MIN, MAX> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        match (MIN, MAX) {
            (0, usize::MAX) => "string".into(),
            _ => format!("string({MIN}..{MAX})").into(),
        }
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new("string");
        schema.min_length = (MIN > 0).then_some(MIN);
        schema.max_length = (MAX < usize::MAX).then_some(MAX);
        MetaSchemaRef::Inline(Box::new(schema))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl<const MIN: usize, const MAX: usize> Text<MIN, MAX> {
    /// `value` if it has `MIN` to `MAX` characters and no NUL.
    pub fn parse(value: String) -> Result<Self, String> {
        let chars = value.chars().count();
        if value.contains('\0') {
            Err(NUL_MESSAGE.into())
        } else if chars < MIN {
            Err(format!("must be at least {MIN} characters"))
        } else if chars > MAX {
            Err(format!("must be at most {MAX} characters"))
        } else {
            Ok(Text(value))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl<const MIN: usize, const MAX: usize> ParseFromJSON for Text<MIN, MAX> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(s) => Text::parse(s).map_err(ParseError::custom),
            other => Err(not_a_string(&other)),
        }
    }
}

/// Query parameters take the same checks as bodies: both databases then see
/// the same values (SQLite would cut a string at a NUL).
impl<const MIN: usize, const MAX: usize> ParseFromParameter for Text<MIN, MAX> {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        Text::parse(value.to_owned()).map_err(ParseError::custom)
    }
}

impl<const MIN: usize, const MAX: usize> ToJSON for Text<MIN, MAX> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

/// A value that is always present in a response, `null` when absent.
/// (`Option<T>` would describe an optional property instead.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nullable<T>(pub Option<T>);

impl<T: Type> Type for Nullable<T> {
    const IS_REQUIRED: bool = true;
    type RawValueType = T::RawValueType;
    type RawElementValueType = T::RawElementValueType;

    fn name() -> Cow<'static, str> {
        format!("nullable_{}", T::name()).into()
    }

    fn schema_ref() -> MetaSchemaRef {
        match T::schema_ref() {
            MetaSchemaRef::Inline(mut schema) => {
                schema.nullable = true;
                MetaSchemaRef::Inline(schema)
            }
            reference => {
                let mut schema = MetaSchema::ANY;
                schema.all_of = vec![reference];
                schema.nullable = true;
                MetaSchemaRef::Inline(Box::new(schema))
            }
        }
    }

    fn register(registry: &mut poem_openapi::registry::Registry) {
        T::register(registry);
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        self.0.as_ref().and_then(Type::as_raw_value)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        match &self.0 {
            Some(value) => value.raw_element_iter(),
            None => Box::new(std::iter::empty()),
        }
    }
}

impl<T: ParseFromJSON> ParseFromJSON for Nullable<T> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            None | Some(Value::Null) => Ok(Nullable(None)),
            value => T::parse_from_json(value)
                .map(|v| Nullable(Some(v)))
                .map_err(ParseError::propagate),
        }
    }
}

impl<T: ToJSON> ToJSON for Nullable<T> {
    fn to_json(&self) -> Option<Value> {
        Some(
            self.0
                .as_ref()
                .and_then(ToJSON::to_json)
                .unwrap_or(Value::Null),
        )
    }
}

/// A list filter `label=key:value`: the first `:` separates the key from
/// the value; the item's label `key` must be exactly `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelFilter {
    pub key: String,
    pub value: String,
}

/// A list filter `tag=array:value`: the model's tag array (`frameworks`,
/// `architectures`, `tasks` or `subjects`) must hold `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFilter {
    pub array: &'static str,
    pub value: String,
}

/// The longest filter a list takes (key, separator and value).
const MAX_FILTER_CHARS: usize = 1000;
const TAG_ARRAYS: [&str; 4] = ["frameworks", "architectures", "tasks", "subjects"];

/// `first:rest` of a filter, checked like any text a request carries.
fn split_filter(text: &str, shape: &str) -> Result<(String, String), String> {
    if text.contains('\0') {
        return Err(NUL_MESSAGE.into());
    }
    if text.chars().count() > MAX_FILTER_CHARS {
        return Err(format!("must be at most {MAX_FILTER_CHARS} characters"));
    }
    text.split_once(':')
        .map(|(first, rest)| (first.to_owned(), rest.to_owned()))
        .ok_or_else(|| format!("must be {shape}"))
}

/// The schema of a `first:rest` filter parameter, its shape as its format.
fn filter_schema(format: &'static str) -> MetaSchemaRef {
    let mut schema = MetaSchema::new_with_format("string", format);
    schema.max_length = Some(MAX_FILTER_CHARS);
    MetaSchemaRef::Inline(Box::new(schema))
}

macro_rules! filter_type {
    ($ty:ident, $name:literal, $format:literal) => {
        impl Type for $ty {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> Cow<'static, str> {
                $name.into()
            }

            fn schema_ref() -> MetaSchemaRef {
                filter_schema($format)
            }

            fn as_raw_value(&self) -> Option<&Self> {
                Some(self)
            }

            fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
                Box::new(self.as_raw_value().into_iter())
            }
        }
    };
}

filter_type!(LabelFilter, "label_filter", "key:value");
filter_type!(TagFilter, "tag_filter", "array:value");

impl ParseFromParameter for LabelFilter {
    fn parse_from_parameter(text: &str) -> ParseResult<Self> {
        let (key, value) = split_filter(text, "key:value").map_err(ParseError::custom)?;
        Ok(LabelFilter { key, value })
    }
}

impl ParseFromParameter for TagFilter {
    fn parse_from_parameter(text: &str) -> ParseResult<Self> {
        let (array, value) = split_filter(text, "array:value").map_err(ParseError::custom)?;
        let array = TAG_ARRAYS
            .into_iter()
            .find(|known| *known == array)
            .ok_or_else(|| {
                ParseError::custom(format!(
                    "must be array:value, the array one of {}",
                    TAG_ARRAYS.join(", ")
                ))
            })?;
        Ok(TagFilter { array, value })
    }
}

/// Free-form key/value labels.
pub type Labels = BTreeMap<LabelKey, Text>;

/// A label's key: any string without NUL, which PostgreSQL cannot store and
/// SQLite would.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LabelKey(pub String);

impl std::str::FromStr for LabelKey {
    type Err = &'static str;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        if key.contains('\0') {
            return Err(NUL_MESSAGE);
        }
        Ok(LabelKey(key.to_owned()))
    }
}

impl std::borrow::Borrow<str> for LabelKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for LabelKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A model's tags: always all four arrays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Object)]
pub struct Tags {
    pub frameworks: Vec<Text>,
    pub architectures: Vec<Text>,
    pub tasks: Vec<Text>,
    pub subjects: Vec<Text>,
}

/// Tags as a request gives them: a missing array is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Object)]
pub struct TagsInput {
    #[oai(default)]
    pub frameworks: Vec<Text>,
    #[oai(default)]
    pub architectures: Vec<Text>,
    #[oai(default)]
    pub tasks: Vec<Text>,
    #[oai(default)]
    pub subjects: Vec<Text>,
}

impl Tags {
    /// Tags from a stored value, moved out of it; missing or malformed
    /// arrays read as empty.
    pub fn from_stored(mut value: Value) -> Tags {
        let mut list = |key: &str| -> Vec<Text> {
            match value.get_mut(key).map(Value::take) {
                Some(Value::Array(items)) => items
                    .into_iter()
                    .filter_map(|item| match item {
                        Value::String(s) => Some(Text(s)),
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
}

impl TagsInput {
    pub fn to_stored(&self) -> Value {
        let list = |items: &[Text]| -> Value {
            Value::Array(items.iter().map(|t| Value::String(t.0.clone())).collect())
        };
        serde_json::json!({
            "frameworks": list(&self.frameworks),
            "architectures": list(&self.architectures),
            "tasks": list(&self.tasks),
            "subjects": list(&self.subjects),
        })
    }
}

/// Labels as stored: a JSON object of strings.
pub fn labels_to_stored(labels: &Labels) -> Value {
    Value::Object(
        labels
            .iter()
            .map(|(k, v)| (k.0.clone(), Value::String(v.0.clone())))
            .collect(),
    )
}

/// Labels from a stored value, moved out of it. Rows are written by CMP
/// too: a value that is not a string is shown as its JSON text.
pub fn labels_from_stored(value: Value) -> Labels {
    match value {
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (LabelKey(k), Text(text))
            })
            .collect(),
        _ => Labels::default(),
    }
}

// ---------------------------------------------------------------- responses

/// A registered model, with its counts and its latest and default versions.
#[derive(Debug, Object)]
pub struct RegisteredModel {
    pub id: Uuid,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub project_id: Uuid,
    pub owner_id: Nullable<Uuid>,
    /// Email of `owner_id`; `""` when unknown.
    pub owner_email: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub region_id: Uuid,
    /// Name of `region_id`; `""` when unknown.
    pub region_name: String,
    pub model_type: String,
    pub model_size: i64,
    pub state: State,
    pub deployment_status: DeploymentStatus,
    pub tags: Tags,
    pub labels: Labels,
    pub parent_model_id: Nullable<Uuid>,
    /// Versions of this model, artifacts included.
    pub version_count: i64,
    /// The newest version by `created_at`; absent when there is none.
    #[oai(skip_serializing_if_is_none)]
    pub latest_version: Option<ModelVersion>,
    /// The version with `is_default`; absent when there is none.
    #[oai(skip_serializing_if_is_none)]
    pub default_version: Option<ModelVersion>,
}

/// A version of a registered model. `access_key` and `secret_key` are never
/// shown.
#[derive(Debug, Object)]
pub struct ModelVersion {
    pub id: Uuid,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub registered_model_id: Uuid,
    pub name: String,
    pub description: String,
    pub is_default: bool,
    pub state: State,
    pub status: VersionStatus,
    pub created_by_id: Nullable<Uuid>,
    pub updated_by_id: Nullable<Uuid>,
    pub created_by_email: String,
    pub updated_by_email: String,
    pub artifact_type: String,
    pub model_framework: String,
    pub model_framework_version: String,
    pub container_image: String,
    pub model_catalog_name: String,
    pub uri: String,
    pub labels: Labels,
    pub prebuilt_container_id: Nullable<Uuid>,
}

/// An artifact: a version seen through a narrower window.
#[derive(Debug, Object)]
pub struct ModelArtifact {
    pub id: Uuid,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub registered_model_id: Uuid,
    pub name: String,
    pub description: String,
    pub artifact_type: String,
    pub model_framework: String,
    pub model_framework_version: String,
    pub container_image: String,
    pub uri: String,
    pub labels: Labels,
    pub prebuilt_container_id: Nullable<Uuid>,
}

/// Declares a list envelope: `items`, `total` (all matches of the filters),
/// `page_size` (the limit applied) and `next_offset` (offset + items).
macro_rules! list_type {
    ($(#[$meta:meta])* $name:ident of $item:ty) => {
        $(#[$meta])*
        #[derive(Debug, Object)]
        pub struct $name {
            pub items: Vec<$item>,
            pub total: i64,
            pub page_size: i64,
            pub next_offset: i64,
            /// Continues the list after this page's last item (pass it as
            /// `page_token`, with the same sort and filters); absent on the
            /// last page.
            #[oai(skip_serializing_if_is_none)]
            pub next_page_token: Option<String>,
        }

        impl $name {
            pub fn new(items: Vec<$item>, total: u64, page: &Page, next_page_token: Option<String>) -> Self {
                let next_offset = page.offset.saturating_add(items.len() as u64);
                $name {
                    items,
                    total: saturating_i64(total),
                    page_size: saturating_i64(page.limit),
                    next_offset: saturating_i64(next_offset),
                    next_page_token,
                }
            }
        }
    };
}

fn saturating_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `201 Created` with the new resource.
#[derive(ApiResponse)]
pub enum Created<T: ParseFromJSON + ToJSON + Send + Sync> {
    /// Created.
    #[oai(status = 201)]
    Created(Json<T>),
}

list_type!(
    /// A page of registered models.
    RegisteredModelList of RegisteredModel
);
list_type!(
    /// A page of model versions.
    ModelVersionList of ModelVersion
);
list_type!(
    /// A page of model artifacts.
    ModelArtifactList of ModelArtifact
);

/// `{"status": "deleted"}`
#[derive(Debug, Object)]
pub struct DeleteStatus {
    pub status: String,
}

impl DeleteStatus {
    pub fn deleted() -> Self {
        DeleteStatus {
            status: "deleted".into(),
        }
    }
}

// ----------------------------------------------------------------- requests

#[derive(Debug, Object)]
pub struct CreateModel {
    pub name: Name,
    pub region_id: Uuid,
    pub description: Option<Text>,
    /// Default `CUSTOMTRAIN`.
    pub model_type: Option<Text<1, 50>>,
    pub tags: Option<TagsInput>,
    pub labels: Option<Labels>,
    /// Must be a model of the same project.
    pub parent_model_id: Option<Uuid>,
}

/// Every field is optional; an absent or null one is left as it is.
#[derive(Debug, Default, Object)]
pub struct UpdateModel {
    pub name: Option<Name>,
    pub description: Option<Text>,
    pub model_type: Option<Text<1, 50>>,
    #[oai(validator(minimum(value = "0")))]
    pub model_size: Option<i64>,
    pub state: Option<State>,
    pub deployment_status: Option<DeploymentStatus>,
    /// Replaces all four arrays; a missing one becomes `[]`.
    pub tags: Option<TagsInput>,
    /// Replaces the whole map.
    pub labels: Option<Labels>,
}

#[derive(Debug, Object)]
pub struct CreateVersion {
    pub name: Name,
    pub model_framework: Text<1, 100>,
    pub model_framework_version: Text<1, 50>,
    pub uri: Text<1, 500>,
    pub description: Option<Text>,
    /// Makes this the model's one default version.
    pub is_default: Option<bool>,
    /// Default `model-artifact`.
    pub artifact_type: Option<Text<1, 50>>,
    pub container_image: Option<Text<0, 500>>,
    pub model_catalog_name: Option<Text<0, 200>>,
    /// Write-only.
    pub access_key: Option<Text<0, 500>>,
    /// Write-only.
    pub secret_key: Option<Text<0, 500>>,
    pub labels: Option<Labels>,
    pub prebuilt_container_id: Option<Uuid>,
}

/// Every field is optional; an absent or null one is left as it is.
#[derive(Debug, Default, Object)]
pub struct UpdateVersion {
    pub name: Option<Name>,
    pub description: Option<Text>,
    /// `true` makes this the model's one default version.
    pub is_default: Option<bool>,
    pub state: Option<State>,
    pub status: Option<VersionStatus>,
    pub artifact_type: Option<Text<1, 50>>,
    pub model_framework: Option<Text<1, 100>>,
    pub model_framework_version: Option<Text<1, 50>>,
    pub container_image: Option<Text<0, 500>>,
    pub uri: Option<Text<1, 500>>,
    /// Replaces the whole map.
    pub labels: Option<Labels>,
}

#[derive(Debug, Object)]
pub struct CreateArtifact {
    pub registered_model_id: Uuid,
    pub name: Name,
    pub model_framework: Text<1, 100>,
    pub model_framework_version: Text<1, 50>,
    pub uri: Text<1, 500>,
    pub description: Option<Text>,
    /// Default `model-artifact`.
    pub artifact_type: Option<Text<1, 50>>,
    pub container_image: Option<Text<0, 500>>,
    /// Write-only.
    pub access_key: Option<Text<0, 500>>,
    /// Write-only.
    pub secret_key: Option<Text<0, 500>>,
    pub labels: Option<Labels>,
    pub prebuilt_container_id: Option<Uuid>,
}

/// Every field is optional; an absent or null one is left as it is.
#[derive(Debug, Object)]
pub struct UpdateArtifact {
    pub name: Option<Name>,
    pub description: Option<Text>,
    pub artifact_type: Option<Text<1, 50>>,
    pub model_framework: Option<Text<1, 100>>,
    pub model_framework_version: Option<Text<1, 50>>,
    pub container_image: Option<Text<0, 500>>,
    pub uri: Option<Text<1, 500>>,
    /// Replaces the whole map.
    pub labels: Option<Labels>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_have_a_visible_character_and_fit_the_column() {
        assert!(Name::parse("".into()).is_err());
        assert!(Name::parse(" \t ".into()).is_err());
        assert!(Name::parse("é".repeat(100)).is_ok());
        assert!(Name::parse("é".repeat(101)).is_err());
        assert_eq!(
            Name::parse(" a ".into()).map(Name::into_inner),
            Ok(" a ".into())
        );
    }

    #[test]
    fn timestamps_are_written_in_utc_with_a_z() {
        let t: DateTime<Utc> = "2026-02-10T04:02:51.5+00:00".parse().unwrap();
        assert_eq!(
            Timestamp(t).to_json(),
            Some(Value::String("2026-02-10T04:02:51.500Z".into()))
        );
    }

    #[test]
    fn tags_read_leniently_and_write_all_four_arrays() {
        let stored = serde_json::json!({"frameworks": ["pytorch", 3], "tasks": "x"});
        let tags = Tags::from_stored(stored);
        assert_eq!(tags.frameworks, vec![Text("pytorch".to_string())]);
        assert!(tags.tasks.is_empty() && tags.subjects.is_empty());
        let input = TagsInput {
            frameworks: tags.frameworks.clone(),
            ..TagsInput::default()
        };
        let written = input.to_stored();
        for key in ["frameworks", "architectures", "tasks", "subjects"] {
            assert!(written[key].is_array(), "{key} missing");
        }
    }

    #[test]
    fn labels_round_trip_and_read_leniently() {
        let labels: Labels = [(LabelKey("env".to_string()), Text("prod".to_string()))].into();
        assert_eq!(labels_from_stored(labels_to_stored(&labels)), labels);
        let stored = serde_json::json!({"n": 1, "s": "x"});
        assert_eq!(labels_from_stored(stored)["n"].0, "1");
        assert!(labels_from_stored(Value::Null).is_empty());
    }

    #[test]
    fn stored_enum_values_read_back() {
        assert_eq!(State::from_stored("ARCHIVED"), State::Archived);
        assert_eq!(VersionStatus::from_stored("READY").as_str(), "READY");
    }
}
