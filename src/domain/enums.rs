//! The closed sets of values: each variant with its one spelling, which is
//! both its wire name and the value stored in the database.

/// Declares a closed set of values and their spellings.
macro_rules! spelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $spelling:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// Every value, in the order of its declaration.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $spelling),+
                }
            }

            /// The value spelled `text`, exactly.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($spelling => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// Reads a stored value. Rows are written by CMP too, so an
            /// unknown value is logged and shown as the first variant rather
            /// than failing the whole response.
            pub fn from_stored(value: &str) -> Self {
                Self::parse(value).unwrap_or_else(|| {
                    let fallback = Self::ALL[0];
                    tracing::warn!(
                        value,
                        shown_as = fallback.as_str(),
                        concat!("unknown ", stringify!($name), " value in the database")
                    );
                    fallback
                })
            }
        }
    };
}

spelled_enum!(
    /// Lifecycle state of a model or a version.
    State { Live => "LIVE", Archived => "ARCHIVED" }
);
spelled_enum!(
    /// Readiness of a version.
    VersionStatus { Pending => "PENDING", Ready => "READY", Failed => "FAILED" }
);
spelled_enum!(
    /// Deployment status of a model.
    DeploymentStatus { Undeployed => "UNDEPLOYED", Deployed => "DEPLOYED", Failed => "FAILED" }
);
spelled_enum!(
    /// What a model list can be sorted by.
    ModelSortBy {
        CreatedAt => "created_at",
        UpdatedAt => "updated_at",
        Name => "name",
        ModelSize => "model_size",
    }
);
spelled_enum!(
    /// What a version or artifact list can be sorted by.
    VersionSortBy { CreatedAt => "created_at", UpdatedAt => "updated_at", Name => "name" }
);
spelled_enum!(
    /// Sort direction.
    SortOrder { Desc => "desc", Asc => "asc" }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_read_back() {
        assert_eq!(State::from_stored("ARCHIVED"), State::Archived);
        assert_eq!(VersionStatus::from_stored("READY").as_str(), "READY");
        assert_eq!(State::from_stored("SOMETHING NEW"), State::Live);
        assert_eq!(SortOrder::parse("DESC"), None);
    }
}
