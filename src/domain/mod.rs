//! The registry's own vocabulary, shared by every layer and importing none
//! of them (no poem, no sea-orm): the enums, the values a request is parsed
//! into (names, bounded texts, labels, tags, filters), the commands (a new
//! model, changes to a version), the records the registry answers, one
//! [`Page`], and the one [`Error`].
//!
//! A value of these types is valid by construction: the API parses a
//! request into them once, and nothing below re-checks it.

mod enums;
mod error;
mod models;
mod paging;
mod values;
mod versions;

pub use enums::{DeploymentStatus, ModelSortBy, SortOrder, State, VersionSortBy, VersionStatus};
pub use error::{BoxError, Error, Resource};
pub use models::{Model, ModelChanges, ModelFilter, ModelLookup, ModelQuery, NewModel};
pub use paging::{
    Cursor, DEFAULT_LIMIT, ListKey, Listed, Listing, MAX_LIMIT, Page, PageRequest, Paged, SortKey,
};
pub use values::{
    LabelFilter, LabelKey, Labels, ModelTypeQuery, Name, NameQuery, TAG_ARRAYS, TagFilter, Tags,
    Text,
};
pub use versions::{
    NewVersion, Version, VersionChanges, VersionFilter, VersionLookup, VersionQuery,
};
