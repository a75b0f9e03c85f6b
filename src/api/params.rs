//! Parameters shared by many operations: the caller's project and paging.

use std::marker::PhantomData;

use poem::{Request, RequestBody};
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ExtractParamOptions,
    registry::{MetaParamIn, MetaSchemaRef, Registry},
    types::Type,
};
use uuid::Uuid;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use crate::{
    error::Error,
    store::{Cursor, Page},
};

/// The caller's project, from the `Project-ID` header, which every
/// operation requires. Declared as `#[oai(name = "Project-ID")] project:
/// ProjectId`; a missing or malformed header gets the contract's message.
#[derive(Debug, Clone, Copy)]
pub struct ProjectId(pub Uuid);

impl<'a> ApiExtractor<'a> for ProjectId {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::Parameter];
    const PARAM_IS_REQUIRED: bool = true;

    type ParamType = Uuid;
    type ParamRawType = Uuid;

    fn register(registry: &mut Registry) {
        Uuid::register(registry);
    }

    fn param_in() -> Option<MetaParamIn> {
        Some(MetaParamIn::Header)
    }

    fn param_schema_ref() -> Option<MetaSchemaRef> {
        Some(Uuid::schema_ref())
    }

    fn param_raw_type(&self) -> Option<&Uuid> {
        Some(&self.0)
    }

    async fn from_request(
        request: &'a Request,
        _body: &mut RequestBody,
        param_opts: ExtractParamOptions<Uuid>,
    ) -> poem::Result<Self> {
        let mut values = request.headers().get_all(param_opts.name).iter();
        let Some(value) = values.next() else {
            return Err(Error::invalid("project ID is required (Project-ID header)").into());
        };
        // A proxy that adds its header after the caller's must not let the
        // caller choose the project.
        if values.next().is_some() {
            return Err(Error::invalid("Project-ID header must be given once").into());
        }
        let text = value
            .to_str()
            .map_err(|_| Error::invalid("invalid Project-ID header: not visible ASCII"))?;
        Uuid::parse_str(text.trim())
            .map(ProjectId)
            .map_err(|e| Error::invalid(format!("invalid Project-ID header: {e}")).into())
    }
}

/// What a path id identifies, and the contract's message when it is not a
/// UUID.
pub trait PathId: Send + Sync {
    const INVALID: &'static str;
}

/// `{model_id}`
pub enum ModelId {}
/// `{version_id}`
pub enum VersionId {}
/// `{artifact_id}`
pub enum ArtifactId {}

impl PathId for ModelId {
    const INVALID: &'static str = "invalid model id";
}
impl PathId for VersionId {
    const INVALID: &'static str = "invalid version id";
}
impl PathId for ArtifactId {
    const INVALID: &'static str = "invalid artifact id";
}

/// A UUID from the path, as `Path<ModelId>`; a malformed one gets the
/// contract's message for its kind. (poem-openapi routes path parameters by
/// position for argument types named `Path`, hence the name.)
pub struct Path<K: PathId>(pub Uuid, PhantomData<K>);

impl<'a, K: PathId> ApiExtractor<'a> for Path<K> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::Parameter];
    const PARAM_IS_REQUIRED: bool = true;

    type ParamType = Uuid;
    type ParamRawType = Uuid;

    fn register(registry: &mut Registry) {
        Uuid::register(registry);
    }

    fn param_in() -> Option<MetaParamIn> {
        Some(MetaParamIn::Path)
    }

    fn param_schema_ref() -> Option<MetaSchemaRef> {
        Some(Uuid::schema_ref())
    }

    fn param_raw_type(&self) -> Option<&Uuid> {
        Some(&self.0)
    }

    async fn from_request(
        request: &'a Request,
        _body: &mut RequestBody,
        param_opts: ExtractParamOptions<Uuid>,
    ) -> poem::Result<Self> {
        request
            .raw_path_param(param_opts.name)
            .and_then(|text| Uuid::parse_str(text).ok())
            .map(|id| Path(id, PhantomData))
            .ok_or_else(|| Error::invalid(K::INVALID).into())
    }
}

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// The page a list asks for: `limit` (1..100, default 20, larger is
/// clamped), then `offset` (0.., default 0) or `page_token`, not both. The
/// token must be one that `list` (the operation, the project, the sort and
/// the filters of this request) gave. The bounds below are checked by the
/// parameters' validators before this runs.
pub fn page(
    limit: Option<i64>,
    offset: Option<i64>,
    page_token: Option<&str>,
    list: &str,
) -> Result<Page, Error> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as u64;
    let after = match (page_token, offset) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid(
                "page_token and offset cannot be combined: a token continues where its page ended",
            ));
        }
        (Some(token), None) => Some(decode_page_token(token, list).ok_or_else(|| {
            Error::invalid(
                "invalid page_token: it was altered, or it belongs to another list, sort, \
                 filter or project than this request's",
            )
        })?),
        (None, _) => None,
    };
    Ok(Page {
        limit,
        offset: offset.unwrap_or(0).max(0) as u64,
        after,
    })
}

/// What a page token is bound to: the operation, the project, and the
/// sort and filters of the request (`query`, as it prints).
pub fn list_key(operation: &str, project: ProjectId, query: &impl std::fmt::Debug) -> String {
    format!("{operation} {} {query:?}", project.0)
}

/// Bytes of a page token's tag: enough that an altered token, or one of
/// another list, is never taken for valid by chance.
const TAG_LEN: usize = 12;

/// The token that continues `list` after `cursor`: the cursor, tagged with
/// a digest of the list and the cursor, in URL-safe base64. Opaque to
/// callers; the tag makes it refuse to be altered or reused elsewhere (it
/// is not secret: the cursor only says where a page of the caller's own
/// project starts).
pub fn token_after(list: &str, cursor: &Cursor) -> String {
    let body = serde_json::to_vec(cursor).unwrap_or_default();
    let mut token = tag(list, &body).to_vec();
    token.extend_from_slice(&body);
    URL_SAFE_NO_PAD.encode(token)
}

fn decode_page_token(token: &str, list: &str) -> Option<Cursor> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    if bytes.len() <= TAG_LEN {
        return None;
    }
    let (given, body) = bytes.split_at(TAG_LEN);
    (given == tag(list, body)).then_some(())?;
    serde_json::from_slice(body).ok()
}

fn tag(list: &str, body: &[u8]) -> [u8; TAG_LEN] {
    let digest = Sha256::new()
        .chain_update(list.len().to_le_bytes())
        .chain_update(list)
        .chain_update(body)
        .finalize();
    let mut tag = [0; TAG_LEN];
    tag.copy_from_slice(&digest[..TAG_LEN]);
    tag
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SortKey;

    #[test]
    fn paging_defaults_and_clamps() {
        let p = page(None, None, None, "list").expect("page");
        assert_eq!((p.limit, p.offset), (20, 0));
        let p = page(Some(1000), Some(40), None, "list").expect("page");
        assert_eq!((p.limit, p.offset), (100, 40));
        let p = page(Some(1), Some(0), None, "list").expect("page");
        assert_eq!((p.limit, p.offset), (1, 0));
    }

    #[test]
    fn a_page_token_continues_only_its_own_list() {
        let cursor = Cursor {
            key: SortKey::Text("model-7".into()),
            id: Uuid::from_u128(7),
        };
        let token = token_after("models a", &cursor);
        let p = page(Some(5), None, Some(&token), "models a").expect("its list");
        assert_eq!(p.after, Some(cursor));
        assert!(page(None, None, Some(&token), "models b").is_err());
        assert!(page(None, Some(0), Some(&token), "models a").is_err());
        let mut altered = token.clone().into_bytes();
        let last = altered.len() - 1;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).expect("ascii");
        assert!(page(None, None, Some(&altered), "models a").is_err());
        assert!(page(None, None, Some("not a token"), "models a").is_err());
    }
}
