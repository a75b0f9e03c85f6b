//! Paging, in one place. A caller's [`PageRequest`] becomes the
//! [`PageBounds`] of one list (named by its [`ListScope`]): `limit` items
//! from `offset`, or after a token's [`Cursor`] (keyset paging). The store
//! answers a [`Page`], to which the registry adds the next page's token.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Datelike, Utc};
use uuid::Uuid;

use super::Error;

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// The paging a caller asked for, as given: `limit` (1.., checked by the
/// parameter), `offset` (0..) or `page_token`.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    pub page_token: Option<String>,
}

/// Which items of a list a page holds: `limit` items from `offset`, or
/// the `limit` items that follow `after` in the list's order.
#[derive(Debug, Clone, PartialEq)]
pub struct PageBounds {
    pub limit: u64,
    pub offset: u64,
    pub after: Option<Cursor>,
}

impl PageBounds {
    /// The page `request` asks for of `list`: the limit defaults to 20 and
    /// is clamped to 1..100; `offset` and `page_token` exclude each other;
    /// the token must be one that this very list gave.
    pub fn of(request: &PageRequest, list: &ListScope) -> Result<PageBounds, Error> {
        let limit = request.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as u64;
        let after = match (&request.page_token, request.offset) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "page_token and offset cannot be combined: a token continues where its page ended",
                ));
            }
            (Some(token), None) => Some(list.cursor_of(token).ok_or_else(|| {
                Error::invalid(
                    "invalid page_token: it was altered, or it belongs to another list, sort, \
                     filter or project than this request's",
                )
            })?),
            (None, _) => None,
        };
        Ok(PageBounds {
            limit,
            offset: request.offset.unwrap_or(0).max(0) as u64,
            after,
        })
    }

    /// Whether the page starts at the list's first match.
    pub fn is_first(&self) -> bool {
        self.offset == 0 && self.after.is_none()
    }

    /// The envelope's `next_offset`: this page's offset plus its items.
    pub fn next_offset(&self, items: usize) -> u64 {
        self.offset.saturating_add(items as u64)
    }
}

/// An item's place in a sorted list: its sort key's value, then its id,
/// which breaks ties.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cursor {
    pub key: SortValue,
    pub id: Uuid,
}

/// The value of the column a list is sorted by.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SortValue {
    Time(DateTime<Utc>),
    Text(String),
    Number(i64),
}

/// The kind of a list's sort column, which its cursors must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKind {
    Time,
    Text,
    Number,
}

impl SortValue {
    /// Whether the value is of `kind` and one that both databases compare
    /// as a stored value: a time of four-digit years, a text without NUL.
    fn fits(&self, kind: SortKind) -> bool {
        match (self, kind) {
            (SortValue::Time(time), SortKind::Time) => (0..=9999).contains(&time.year()),
            (SortValue::Text(text), SortKind::Text) => !text.contains('\0'),
            (SortValue::Number(_), SortKind::Number) => true,
            _ => false,
        }
    }
}

/// One page of a list: its items, the number of all matches, and the
/// token that continues the list (`None` on the last page, and until the
/// registry adds it with [`Page::continued`]).
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    /// Whether items follow the last one.
    pub more: bool,
    pub bounds: PageBounds,
    pub next_page_token: Option<String>,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: u64, more: bool, bounds: &PageBounds) -> Self {
        Page {
            items,
            total,
            more,
            bounds: bounds.clone(),
            next_page_token: None,
        }
    }

    /// The page with the token that continues `list` after its last item
    /// (whose place `cursor` tells), when more follow.
    pub fn continued(mut self, list: &ListScope, cursor: impl Fn(&T) -> Cursor) -> Self {
        self.next_page_token = self
            .items
            .last()
            .filter(|_| self.more)
            .map(|last| list.token_after(&cursor(last)));
        self
    }
}

/// The lists the API serves, each with tokens of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Models,
    VersionsOfModel,
    ProjectVersions,
    ProjectArtifacts,
    WebhookDeliveries,
}

impl Listing {
    fn as_str(self) -> &'static str {
        match self {
            Listing::Models => "listModels",
            Listing::VersionsOfModel => "listModelVersions",
            Listing::ProjectVersions => "listAllModelVersions",
            Listing::ProjectArtifacts => "listModelArtifacts",
            Listing::WebhookDeliveries => "listWebhookDeliveries",
        }
    }
}

/// The identity of one list, which its page tokens are bound to: the
/// listing, the project, its sort and filters, written out by the list's
/// query so that a token stays valid across builds that list the same way.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListScope {
    key: String,
    sorted_by: SortKind,
}

impl ListScope {
    pub fn new(listing: Listing, project: Uuid, sorted_by: SortKind) -> Self {
        let key = format!("{} {project}", listing.as_str());
        ListScope { key, sorted_by }
    }

    /// Adds one part: absent, or its text, length-prefixed so that no two
    /// lists write the same key.
    pub fn with(mut self, part: Option<&str>) -> Self {
        match part {
            None => self.key.push_str(" -"),
            Some(text) => {
                self.key.push_str(&format!(" {}:", text.len()));
                self.key.push_str(text);
            }
        }
        self
    }
}

/// Bytes of a page token's tag: enough that an altered token, or one of
/// another list, is never taken for valid by chance.
const TAG_LEN: usize = 12;

impl ListScope {
    /// The token that continues this list after `cursor`: the cursor, tagged
    /// with a digest of list and cursor, in URL-safe base64. Not secret; the
    /// tag refuses a token altered or used on another list.
    pub fn token_after(&self, cursor: &Cursor) -> String {
        let body = serde_json::to_vec(cursor).unwrap_or_default();
        let mut token = tag(&self.key, &body, TAG_LEN);
        token.extend_from_slice(&body);
        URL_SAFE_NO_PAD.encode(token)
    }

    fn cursor_of(&self, token: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() <= TAG_LEN {
            return None;
        }
        let (given, body) = bytes.split_at(TAG_LEN);
        (given == tag(&self.key, body, TAG_LEN)).then_some(())?;
        // The tag is no secret: a made-up token passes it, so its key is
        // checked before it reaches a statement.
        let cursor: Cursor = serde_json::from_slice(body).ok()?;
        cursor.key.fits(self.sorted_by).then_some(cursor)
    }
}

/// The first `len` bytes of a digest of `scope` (length-prefixed) and
/// `body`: what binds an opaque token to the one list or feed it names.
pub(super) fn tag(scope: &str, body: &[u8], len: usize) -> Vec<u8> {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(&scope.len().to_le_bytes());
    context.update(scope.as_bytes());
    context.update(body);
    let digest = context.finish();
    let digest = digest.as_ref();
    digest[..len.min(digest.len())].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(limit: Option<i64>, offset: Option<i64>, token: Option<&str>) -> PageRequest {
        PageRequest {
            limit,
            offset,
            page_token: token.map(str::to_owned),
        }
    }

    #[test]
    fn paging_defaults_and_clamps() {
        let list = ListScope::new(Listing::Models, Uuid::nil(), SortKind::Text);
        let p = PageBounds::of(&request(None, None, None), &list).expect("page");
        assert_eq!((p.limit, p.offset), (20, 0));
        let p = PageBounds::of(&request(Some(1000), Some(40), None), &list).expect("page");
        assert_eq!((p.limit, p.offset, p.next_offset(7)), (100, 40, 47));
        let p = PageBounds::of(&request(Some(1), Some(0), None), &list).expect("page");
        assert_eq!((p.limit, p.offset), (1, 0));
    }

    #[test]
    fn a_page_token_continues_only_its_own_list() {
        let cursor = Cursor {
            key: SortValue::Text("model-7".into()),
            id: Uuid::from_u128(7),
        };
        let list = ListScope::new(Listing::Models, Uuid::nil(), SortKind::Text).with(Some("a"));
        let other = ListScope::new(Listing::Models, Uuid::nil(), SortKind::Text).with(Some("b"));
        let token = list.token_after(&cursor);
        let p = PageBounds::of(&request(Some(5), None, Some(&token)), &list).expect("its list");
        assert_eq!(p.after, Some(cursor));
        assert!(PageBounds::of(&request(None, None, Some(&token)), &other).is_err());
        assert!(PageBounds::of(&request(None, Some(0), Some(&token)), &list).is_err());
        let mut altered = token.clone().into_bytes();
        let last = altered.len() - 1;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).expect("ascii");
        assert!(PageBounds::of(&request(None, None, Some(&altered)), &list).is_err());
        assert!(PageBounds::of(&request(None, None, Some("not a token")), &list).is_err());
    }

    #[test]
    fn list_scopes_tell_lists_apart_and_ignore_the_filters_order() {
        use crate::domain::{LabelFilter, ModelFilter, ModelQuery, Text};
        let key = |model_type: Option<&str>, labels: &[(&str, &str)]| {
            let filter = ModelFilter {
                model_type: model_type.and_then(|text| Text::parse(text.into()).ok()),
                labels: labels
                    .iter()
                    .map(|(key, value)| LabelFilter {
                        key: (*key).into(),
                        value: (*value).into(),
                    })
                    .collect(),
                ..ModelFilter::default()
            };
            ModelQuery::new(filter, None, None)
                .list_scope(Uuid::nil())
                .key
        };
        assert_ne!(key(None, &[]), key(Some(""), &[]));
        assert_ne!(key(None, &[("a", "b:c")]), key(None, &[("a:b", "c")]));
        assert_eq!(
            key(None, &[("a", "1"), ("b", "2")]),
            key(None, &[("b", "2"), ("a", "1")])
        );
    }
}
