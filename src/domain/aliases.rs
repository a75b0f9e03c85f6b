//! Aliases: names for one version of a model (`champion`, `staging`),
//! moved under the model's lock, with their history in the change feed.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Error, Version};

/// The aliases one model may have: each is in every GET of its version.
pub const MAX_ALIASES_PER_MODEL: u64 = 100;

/// A valid alias name: `^[a-z][a-z0-9_-]{0,62}$`, and not a reserved word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasName(String);

impl AliasName {
    pub const PATTERN: &'static str = "^[a-z][a-z0-9_-]{0,62}$";
    /// Names the API keeps for itself.
    const RESERVED: [&'static str; 2] = ["latest", "default"];

    /// Whether `name` matches the pattern (reserved words do).
    fn is_well_formed(name: &str) -> bool {
        let mut chars = name.chars();
        chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
            && name.len() <= 63
    }

    pub fn parse(name: &str) -> Result<Self, Error> {
        if !Self::is_well_formed(name) {
            return Err(Error::invalid(format!(
                "alias: must match {}",
                Self::PATTERN
            )));
        }
        if Self::RESERVED.contains(&name) {
            return Err(Error::invalid(format!("alias: \"{name}\" is reserved")));
        }
        Ok(AliasName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An alias as stored: which version of which model it names, since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub name: String,
    pub model_id: Uuid,
    pub version_id: Uuid,
    pub updated_at: DateTime<Utc>,
}

/// An alias with the version it names, whole: what a GET of it answers.
#[derive(Debug, Clone)]
pub struct AliasedVersion {
    pub alias: Alias,
    pub version: Version,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_pattern_and_keep_the_reserved_words() {
        for good in ["champion", "a", "stage-2_b", &"a".repeat(63)] {
            assert!(AliasName::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "Champion", "2nd", "-a", "a b", "é", &"a".repeat(64)] {
            assert!(AliasName::parse(bad).is_err(), "{bad}");
        }
        for reserved in ["latest", "default"] {
            let err = AliasName::parse(reserved).unwrap_err().to_string();
            assert!(err.contains("reserved"), "{err}");
        }
    }
}
