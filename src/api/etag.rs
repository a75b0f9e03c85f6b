//! Conditional requests: every GET of one resource answers an `ETag`, a
//! digest of the resource exactly as answered (for a model, its counts and
//! its latest and default versions included), and `304 Not Modified` with
//! no body when the caller's `If-None-Match` already names it; a PATCH or
//! DELETE with an `If-Match` that no longer names it is refused with 412.

use std::marker::PhantomData;

use poem::{IntoResponse, Response, http::header};
use poem_openapi::{
    ApiResponse,
    payload::Payload,
    registry::{MetaSchemaRef, Registry},
    types::{ParseFromJSON, ToJSON, Type},
};

use crate::{
    domain::{Alias, AliasedVersion},
    registry::Precondition,
};

/// A single resource as a GET answers it.
#[derive(ApiResponse)]
pub enum Fetched<T: ParseFromJSON + ToJSON + Send + Sync> {
    /// The resource, with its ETag.
    #[oai(status = 200)]
    Found(Rendered<T>, #[oai(header = "ETag")] String),
    /// The resource has not changed since the ETag the caller sent.
    #[oai(status = 304)]
    NotModified(#[oai(header = "ETag")] String),
}

impl<T: ParseFromJSON + ToJSON + Send + Sync> Fetched<T> {
    /// `value`, or 304 when `if_none_match` names its ETag.
    pub fn answer(value: T, if_none_match: Option<&str>) -> Self {
        Self::unless_named(Rendered::tagged(&value), if_none_match)
    }

    /// An alias with its version: its ETag is the alias's own tag (which a
    /// write's `If-Match` tests, [`alias_matching`]), then the answer's digest.
    pub fn alias(value: T, alias_tag: &str, if_none_match: Option<&str>) -> Self {
        let json = render(&value);
        let etag = quoted(&format!("{alias_tag}.{}", digest_of_json(&json)));
        Self::unless_named((Rendered::new(json), etag), if_none_match)
    }

    fn unless_named((body, etag): (Rendered<T>, String), if_none_match: Option<&str>) -> Self {
        if if_none_match.is_some_and(|tags| names(tags, &etag)) {
            Fetched::NotModified(etag)
        } else {
            Fetched::Found(body, etag)
        }
    }
}

/// A resource a write answers, with its ETag.
#[derive(ApiResponse)]
pub enum Written<T: ParseFromJSON + ToJSON + Send + Sync> {
    /// The resource, with its ETag.
    #[oai(status = 200)]
    Ok(Rendered<T>, #[oai(header = "ETag")] String),
}

impl<T: ParseFromJSON + ToJSON + Send + Sync> Written<T> {
    pub fn answer(value: T) -> Self {
        let (body, etag) = Rendered::tagged(&value);
        Written::Ok(body, etag)
    }

    /// An alias as a write answers it: its ETag is the alias's own tag.
    pub fn alias(value: T, alias_tag: &str) -> Self {
        Written::Ok(Rendered::new(render(&value)), quoted(alias_tag))
    }
}

/// `201 Created`: the new resource, with the ETag a GET of it answers.
#[derive(ApiResponse)]
pub enum Created<T: ParseFromJSON + ToJSON + Send + Sync> {
    /// Created.
    #[oai(status = 201)]
    Created(Rendered<T>, #[oai(header = "ETag")] String),
}

impl<T: ParseFromJSON + ToJSON + Send + Sync> Created<T> {
    pub fn answer(value: T) -> Self {
        let (body, etag) = Rendered::tagged(&value);
        Created::Created(body, etag)
    }

    /// `value`, with the ETag of `shown`: the resource as a GET answers
    /// it, where this answer shows more (a webhook's secret).
    pub fn answer_as(value: T, shown: &impl ToJSON) -> Self {
        Created::Created(Rendered::new(render(&value)), etag_of(shown))
    }
}

/// A JSON body already serialized, described in the spec as `T`.
pub struct Rendered<T> {
    json: Vec<u8>,
    shape: PhantomData<fn() -> T>,
}

impl<T: ToJSON> Rendered<T> {
    fn new(json: Vec<u8>) -> Self {
        Rendered {
            json,
            shape: PhantomData,
        }
    }

    /// `value`'s body and its ETag, from one serialization.
    fn tagged(value: &T) -> (Self, String) {
        let json = render(value);
        let etag = quoted(&digest_of_json(&json));
        (Self::new(json), etag)
    }
}

impl<T: Type> Payload for Rendered<T> {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: Type> IntoResponse for Rendered<T> {
    fn into_response(self) -> Response {
        Response::builder()
            .header(header::CONTENT_TYPE, <Self as Payload>::CONTENT_TYPE)
            .body(self.json)
    }
}

/// A caller's `If-Match`, as the test the registry runs on the resource as
/// it is when the write holds its lock: the record `R`, shown as the API
/// shows it (`T`), must have one of the listed ETags.
pub fn matching<R: Clone + 'static, T: From<R> + ToJSON + 'static>(
    tags: Option<String>,
) -> Option<Precondition<R>> {
    let tags = tags?;
    Some(Precondition::new(move |record: &R| {
        names(&tags, &etag_of(&T::from(record.clone())))
    }))
}

/// An alias's `If-Match`: a tag passes when it names the alias as it is,
/// alone (a write's ETag) or followed by its version's state (a GET's), so
/// that only a move of the alias makes it stale.
pub fn alias_matching(tags: Option<String>) -> Option<Precondition<AliasedVersion>> {
    let tags = tags?;
    Some(Precondition::new(move |current: &AliasedVersion| {
        let own = alias_tag(&current.alias);
        tags.split(',').map(str::trim).any(|tag| {
            let tag = tag.trim_start_matches("W/").trim_matches('"');
            tag == "*" || tag.split('.').next() == Some(own.as_str())
        })
    }))
}

/// An alias's own tag: the version it names and when it last moved, which
/// change together on every move (its model and name are in the path).
pub fn alias_tag(alias: &Alias) -> String {
    format!(
        "{}{:x}",
        alias.version_id.simple(),
        alias.updated_at.timestamp_micros()
    )
}

/// A resource's JSON, as the API answers it.
fn render(value: &impl ToJSON) -> Vec<u8> {
    value
        .to_json()
        .and_then(|json| serde_json::to_vec(&json).ok())
        .unwrap_or_default()
}

/// The strong ETag of a resource: its JSON, digested.
fn etag_of(value: &impl ToJSON) -> String {
    quoted(&digest_of_json(&render(value)))
}

fn digest_of_json(json: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, json);
    hex::encode(&digest.as_ref()[..16])
}

fn quoted(tag: &str) -> String {
    format!("\"{tag}\"")
}

/// Whether an `If-None-Match` or `If-Match` list (`"a", W/"b"` or `*`)
/// names `etag`.
pub fn names(list: &str, etag: &str) -> bool {
    list.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_of_tags_are_read_as_rfc_9110_says() {
        let etag = "\"abc\"";
        assert!(names("\"abc\"", etag));
        assert!(names("\"x\", W/\"abc\"", etag));
        assert!(names("*", etag));
        assert!(!names("\"abd\"", etag));
        assert!(!names("abc", etag));
    }
}
