//! The closed sets of values: each variant with its one spelling, which is
//! both its wire name and the value stored in the database. strum derives
//! the spellings; [`Spelled`] reads and writes them.

use std::str::FromStr;

use strum::{EnumString, IntoStaticStr, VariantArray};

/// A closed set of values, each with one spelling.
pub trait Spelled: Copy + VariantArray + FromStr + Into<&'static str> + 'static {
    /// Every value, in the order of its declaration.
    fn all() -> &'static [Self] {
        Self::VARIANTS
    }

    fn as_str(self) -> &'static str {
        self.into()
    }

    /// The value spelled `text`, exactly.
    fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    /// Reads a stored value. Rows are written by CMP too, so an unknown
    /// value is logged and shown as the first variant rather than failing
    /// the whole response.
    fn from_stored(value: &str) -> Self {
        Self::parse(value).unwrap_or_else(|| {
            let fallback = Self::all()[0];
            tracing::warn!(
                value,
                set = std::any::type_name::<Self>(),
                shown_as = fallback.as_str(),
                "unknown value in the database"
            );
            fallback
        })
    }
}

impl<T: Copy + VariantArray + FromStr + Into<&'static str> + 'static> Spelled for T {}

/// Lifecycle state of a model or a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum State {
    Live,
    Archived,
}

/// Readiness of a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum VersionStatus {
    Pending,
    Ready,
    Failed,
}

/// Deployment status of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum DeploymentStatus {
    Undeployed,
    Deployed,
    Failed,
}

/// What a model list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum ModelSortBy {
    CreatedAt,
    UpdatedAt,
    Name,
    ModelSize,
}

/// What a version or artifact list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum VersionSortBy {
    CreatedAt,
    UpdatedAt,
    Name,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum SortOrder {
    Desc,
    Asc,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_read_back() {
        assert_eq!(State::from_stored("ARCHIVED"), State::Archived);
        assert_eq!(VersionStatus::from_stored("READY").as_str(), "READY");
        assert_eq!(State::from_stored("SOMETHING NEW"), State::Live);
        assert_eq!(SortOrder::parse("DESC"), None);
        assert_eq!(ModelSortBy::ModelSize.as_str(), "model_size");
        assert_eq!(DeploymentStatus::VARIANTS.len(), 3);
    }
}
