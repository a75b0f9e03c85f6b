//! Parameters shared by many operations: the caller's project, path ids
//! and paging.

use std::marker::PhantomData;

use poem::{Request, RequestBody};
use poem_openapi::param::Query;
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ExtractParamOptions,
    registry::{MetaParamIn, MetaSchemaRef, Registry},
    types::Type,
};
use uuid::Uuid;

use crate::domain::{Error, PageRequest};

/// A UUID parameter of an operation, read from `S`. One extractor serves the
/// header and every path id, because each must refuse a malformed value in
/// the contract's own words, which `poem_openapi::param` cannot say.
pub struct UuidParam<S>(pub Uuid, PhantomData<S>);

/// Where a [`UuidParam`] is read from, and how a malformed one is refused.
pub trait UuidSource: Send + Sync {
    const IN: MetaParamIn;
    fn read(request: &Request, name: &str) -> Result<Uuid, Error>;
}

/// The caller's project, from the `Project-ID` header every operation
/// requires. A malformed one is refused in the contract's words first:
/// `invalid Project-ID header: Project-ID: must be a UUID`.
pub type ProjectId = UuidParam<ProjectHeader>;

/// The `Project-ID` header.
pub enum ProjectHeader {}

impl UuidSource for ProjectHeader {
    const IN: MetaParamIn = MetaParamIn::Header;

    fn read(request: &Request, name: &str) -> Result<Uuid, Error> {
        let mut values = request.headers().get_all(name).iter();
        let Some(value) = values.next() else {
            return Err(Error::invalid("project ID is required (Project-ID header)"));
        };
        // A proxy that adds its header after the caller's must not let the
        // caller choose the project.
        if values.next().is_some() {
            return Err(Error::invalid("Project-ID header must be given once"));
        }
        value
            .to_str()
            .ok()
            .and_then(|text| Uuid::parse_str(text.trim()).ok())
            .ok_or_else(|| Error::invalid(INVALID_PROJECT_ID))
    }
}

impl<'a, S: UuidSource> ApiExtractor<'a> for UuidParam<S> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::Parameter];
    const PARAM_IS_REQUIRED: bool = true;

    type ParamType = Uuid;
    type ParamRawType = Uuid;

    fn register(registry: &mut Registry) {
        Uuid::register(registry);
    }

    fn param_in() -> Option<MetaParamIn> {
        Some(S::IN)
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
        let id = S::read(request, param_opts.name)?;
        Ok(UuidParam(id, PhantomData))
    }
}

/// The contract's words for a malformed header, then the uniform wording.
pub const INVALID_PROJECT_ID: &str = "invalid Project-ID header: Project-ID: must be a UUID";

/// What a path id identifies, and the message when it is not a UUID: the
/// contract fixes the whole body (`{"error": "invalid model id"}`), which
/// its callers' tests compare, so it wins over the uniform wording here.
pub trait PathId: Send + Sync {
    const INVALID: &'static str;
}

/// `{model_id}`
pub enum ModelId {}
/// `{version_id}`
pub enum VersionId {}
/// `{artifact_id}`
pub enum ArtifactId {}
/// `{webhook_id}`
pub enum WebhookId {}
/// `{delivery_id}`
pub enum DeliveryId {}

impl PathId for ModelId {
    const INVALID: &'static str = "invalid model id";
}
impl PathId for VersionId {
    const INVALID: &'static str = "invalid version id";
}
impl PathId for ArtifactId {
    const INVALID: &'static str = "invalid artifact id";
}
impl PathId for WebhookId {
    const INVALID: &'static str = "invalid webhook id";
}
impl PathId for DeliveryId {
    const INVALID: &'static str = "invalid delivery id";
}

/// A UUID from the path, as `Path<ModelId>`; a malformed one gets the
/// contract's message for its kind. (poem-openapi routes path parameters by
/// position for argument types named `Path`, hence the name.)
pub type Path<K> = UuidParam<K>;

impl<K: PathId> UuidSource for K {
    const IN: MetaParamIn = MetaParamIn::Path;

    fn read(request: &Request, name: &str) -> Result<Uuid, Error> {
        request
            .raw_path_param(name)
            .and_then(|text| Uuid::parse_str(text).ok())
            .ok_or_else(|| Error::invalid(K::INVALID))
    }
}

/// The paging parameters of a list, as the caller gave them; the domain's
/// `PageBounds` reads them.
pub fn page_request(
    limit: Query<Option<i64>>,
    offset: Query<Option<i64>>,
    page_token: Query<Option<String>>,
) -> PageRequest {
    PageRequest {
        limit: limit.0,
        offset: offset.0,
        page_token: page_token.0,
    }
}
