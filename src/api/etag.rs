//! Conditional requests: every GET of one resource answers an `ETag`, a
//! digest of the resource exactly as answered (for a model, its counts and
//! its latest and default versions included), and `304 Not Modified` with
//! no body when the caller's `If-None-Match` already names it; a PATCH or
//! DELETE with an `If-Match` that no longer names it is refused with 412.

use poem_openapi::{
    ApiResponse,
    payload::Json,
    types::{ParseFromJSON, ToJSON},
};
use sha2::{Digest, Sha256};

/// A single resource as a GET answers it.
#[derive(ApiResponse)]
pub enum Fetched<T: ParseFromJSON + ToJSON + Send + Sync> {
    /// The resource, with its ETag.
    #[oai(status = 200)]
    Found(Json<T>, #[oai(header = "ETag")] String),
    /// The resource has not changed since the ETag the caller sent.
    #[oai(status = 304)]
    NotModified(#[oai(header = "ETag")] String),
}

impl<T: ParseFromJSON + ToJSON + Send + Sync> Fetched<T> {
    /// `value`, or 304 when `if_none_match` names its ETag.
    pub fn answer(value: T, if_none_match: Option<&str>) -> Self {
        let etag = etag_of(&value);
        if if_none_match.is_some_and(|tags| names(tags, &etag)) {
            Fetched::NotModified(etag)
        } else {
            Fetched::Found(Json(value), etag)
        }
    }
}

/// A caller's `If-Match`, as the test the registry runs on the resource as
/// it is when the write holds its lock: the record, shown as the API shows
/// it (`shown`), must have one of the listed ETags.
pub type IfMatch<R> = Option<Box<dyn Fn(&R) -> bool + Send + Sync>>;

pub fn matching<R: Clone + 'static, T: ToJSON + 'static>(
    tags: Option<String>,
    shown: fn(R) -> T,
) -> IfMatch<R> {
    let tags = tags?;
    Some(Box::new(move |record: &R| {
        names(&tags, &etag_of(&shown(record.clone())))
    }))
}

/// The strong ETag of a resource: its JSON, digested.
pub fn etag_of(value: &impl ToJSON) -> String {
    let text = value
        .to_json()
        .map(|json| json.to_string())
        .unwrap_or_default();
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
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
