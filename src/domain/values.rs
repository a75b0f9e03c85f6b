//! Values a request carries, each parsed once into a type that can only
//! hold a valid one.

use std::collections::BTreeMap;

/// No text column takes a NUL character (PostgreSQL refuses them, SQLite
/// would cut the text there), so no value may carry one.
const NUL_MESSAGE: &str = "must not contain NUL characters";

/// A model or version name: 1 to 100 characters, not only white space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 100;
    const SLUG_MAX_CHARS: usize = 60;

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

    /// The name's slug: ASCII letters lowered, digits and `-` kept, space
    /// and `_` turned into `-`, everything else dropped, at most 60
    /// characters.
    pub fn slug(&self) -> String {
        self.0
            .chars()
            .filter_map(|c| match c {
                'a'..='z' | '0'..='9' | '-' => Some(c),
                'A'..='Z' => Some(c.to_ascii_lowercase()),
                ' ' | '_' => Some('-'),
                _ => None,
            })
            .take(Self::SLUG_MAX_CHARS)
            .collect()
    }
}

/// A string of `MIN` to `MAX` characters without NUL.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text<const MIN: usize = 0, const MAX: usize = { usize::MAX }>(String);

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

    /// A text as the database holds it, taken as it is: rows are written by
    /// CMP too, and what is stored is shown, not judged.
    pub fn stored(value: String) -> Self {
        Text(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl<const MIN: usize, const MAX: usize> From<Text<MIN, MAX>> for String {
    fn from(text: Text<MIN, MAX>) -> String {
        text.0
    }
}

/// A name in a query (`?name=`, `?search=`): no longer than a name can be.
pub type NameQuery = Text<0, { Name::MAX_CHARS }>;
/// A model type in a query: no longer than the column.
pub type ModelTypeQuery = Text<0, 50>;

/// A label's key: any string without NUL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LabelKey(String);

impl LabelKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A key as the database holds it (see [`Text::stored`]).
    pub fn stored(key: String) -> Self {
        LabelKey(key)
    }
}

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

/// Free-form key/value labels.
pub type Labels = BTreeMap<LabelKey, Text>;

/// A model's tags: always all four arrays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    pub frameworks: Vec<Text>,
    pub architectures: Vec<Text>,
    pub tasks: Vec<Text>,
    pub subjects: Vec<Text>,
}

/// The names of a model's four tag arrays.
pub const TAG_ARRAYS: [&str; 4] = ["frameworks", "architectures", "tasks", "subjects"];

/// A list filter `label=key:value`: the first `:` separates the key from
/// the value; the item's label `key` must be exactly `value`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LabelFilter {
    pub key: String,
    pub value: String,
}

/// A list filter `tag=array:value`: the model's tag array (one of
/// [`TAG_ARRAYS`]) must hold `value`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TagFilter {
    pub array: &'static str,
    pub value: String,
}

impl LabelFilter {
    /// The longest filter a list takes (key, separator and value).
    pub const MAX_CHARS: usize = 1000;

    pub fn parse(text: &str) -> Result<Self, String> {
        let (key, value) = split_filter(text, "key:value")?;
        Ok(LabelFilter { key, value })
    }
}

impl TagFilter {
    pub fn parse(text: &str) -> Result<Self, String> {
        let (array, value) = split_filter(text, "array:value")?;
        let array = TAG_ARRAYS
            .into_iter()
            .find(|known| *known == array)
            .ok_or_else(|| {
                format!(
                    "must be array:value, the array one of {}",
                    TAG_ARRAYS.join(", ")
                )
            })?;
        Ok(TagFilter { array, value })
    }
}

/// `first:rest` of a filter, checked like any text a request carries.
fn split_filter(text: &str, shape: &str) -> Result<(String, String), String> {
    if text.contains('\0') {
        return Err(NUL_MESSAGE.into());
    }
    if text.chars().count() > LabelFilter::MAX_CHARS {
        return Err(format!(
            "must be at most {} characters",
            LabelFilter::MAX_CHARS
        ));
    }
    text.split_once(':')
        .map(|(first, rest)| (first.to_owned(), rest.to_owned()))
        .ok_or_else(|| format!("must be {shape}"))
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
    fn slugs_follow_the_contract() {
        let slug = |name: &str| Name::parse(name.into()).map(|n| n.slug());
        assert_eq!(slug("My Model_v2"), Ok("my-model-v2".into()));
        assert_eq!(slug("test-llm"), Ok("test-llm".into()));
        assert_eq!(slug("Ünïcode & symbols!"), Ok("ncode--symbols".into()));
        assert_eq!(slug(&"a".repeat(100)).map(|s| s.len()), Ok(60));
        assert_eq!(slug("日本語"), Ok(String::new()));
    }

    #[test]
    fn filters_split_at_the_first_colon() {
        let label = LabelFilter::parse("team:a:b").expect("a label filter");
        assert_eq!((label.key.as_str(), label.value.as_str()), ("team", "a:b"));
        assert!(LabelFilter::parse("no colon").is_err());
        assert!(TagFilter::parse("colors:red").is_err());
        assert_eq!(TagFilter::parse("tasks:ocr").map(|t| t.array), Ok("tasks"));
    }
}
