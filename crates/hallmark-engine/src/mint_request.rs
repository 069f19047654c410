//! What the artist fills in to mint a work ([`MintRequest`]) and the rules it must keep
//! ([`MintRequest::validate`]), the same for the app, the CLI and a resumed mint.

use std::path::PathBuf;

use hallmark_chain::Address;
use serde::{Deserialize, Serialize};

/// Longest title, in characters (after trimming).
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
/// Longest licence text, in characters.
pub const MAX_LICENCE_CHARS: usize = 500;
/// Most editions a work may have.
pub const MAX_EDITIONS: u32 = 10_000;
/// Highest royalty, in basis points (25 %).
pub const MAX_ROYALTY_BPS: u16 = 2_500;
/// Most attributes a work may carry.
pub const MAX_ATTRIBUTES: usize = 32;
/// Longest attribute name, in characters (after trimming).
pub const MAX_ATTRIBUTE_NAME_CHARS: usize = 100;
/// Longest attribute value, in characters (after trimming).
pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 500;
/// The contract's limit of royalty splits, less the creator's own.
pub const MAX_CO_CREATORS: usize = 7;

/// What the artist fills in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MintRequest {
    /// The media file.
    pub path: PathBuf,
    /// Title.
    pub name: String,
    /// Longer text.
    pub description: Option<String>,
    /// Licence text (e.g. `CC BY-NC 4.0` or `All rights reserved`).
    pub licence: String,
    /// N editions (fixed forever).
    pub editions: u32,
    /// Royalty on every resale, in basis points.
    pub royalty_bps: u16,
    /// Traits shown with the work (`trait_type` → text value).
    #[serde(default)]
    pub attributes: Vec<(String, String)>,
    /// Co-creators and their share of the royalty in basis points; the creator keeps the rest.
    #[serde(default)]
    pub co_creators: Vec<CoCreator>,
}

/// A co-creator paid a share of every royalty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoCreator {
    /// Who is paid.
    pub payee: Address,
    /// Share of the royalty in basis points (1..=10000).
    pub bps: u16,
}

/// A rule of [`MintRequest`] the request breaks. Every one has the code `request.invalid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MintRequestError {
    /// The title is empty or too long.
    #[error("give the work a title (up to {MAX_TITLE_CHARS} characters)")]
    Title,
    /// The description or the licence text is too long.
    #[error("the description or licence is too long")]
    TextTooLong,
    /// The number of editions is out of range.
    #[error("editions must be between 1 and {MAX_EDITIONS}")]
    Editions,
    /// The royalty is above the limit.
    #[error("the royalty can be at most {} %", MAX_ROYALTY_BPS / 100)]
    Royalty,
    /// Too many attributes.
    #[error("at most {MAX_ATTRIBUTES} attributes")]
    TooManyAttributes,
    /// An attribute has no name, or a name or value that is too long.
    #[error(
        "every attribute needs a name (up to {MAX_ATTRIBUTE_NAME_CHARS} characters) and a value (up to {MAX_ATTRIBUTE_VALUE_CHARS})"
    )]
    Attribute,
    /// Too many co-creators.
    #[error("at most {MAX_CO_CREATORS} co-creators")]
    TooManyCoCreators,
}

impl MintRequestError {
    /// The stable code: `request.invalid`.
    pub fn code(&self) -> hallmark_domain::ErrorCode {
        hallmark_domain::ErrorCode::RequestInvalid
    }
}

impl MintRequest {
    /// Checks the request's text lengths and ranges: a title of 1 to 200 characters, a
    /// description up to 5,000 and a licence up to 500, 1 to 10,000 editions, a royalty up to
    /// 25 %, at most 32 attributes (each named, name up to 100 characters, value up to 500) and
    /// at most 7 co-creators. The mint runs it before anything is read, uploaded or signed; how
    /// the co-creators' shares add up is checked against the creator when the mint starts.
    pub fn validate(&self) -> Result<(), MintRequestError> {
        let title = self.name.trim();
        if title.is_empty() || chars(title) > MAX_TITLE_CHARS {
            return Err(MintRequestError::Title);
        }
        if self.description.as_deref().map_or(0, chars) > MAX_DESCRIPTION_CHARS
            || chars(&self.licence) > MAX_LICENCE_CHARS
        {
            return Err(MintRequestError::TextTooLong);
        }
        if !(1..=MAX_EDITIONS).contains(&self.editions) {
            return Err(MintRequestError::Editions);
        }
        if self.royalty_bps > MAX_ROYALTY_BPS {
            return Err(MintRequestError::Royalty);
        }
        if self.attributes.len() > MAX_ATTRIBUTES {
            return Err(MintRequestError::TooManyAttributes);
        }
        for (name, value) in &self.attributes {
            let (name, value) = (name.trim(), value.trim());
            if name.is_empty()
                || chars(name) > MAX_ATTRIBUTE_NAME_CHARS
                || chars(value) > MAX_ATTRIBUTE_VALUE_CHARS
            {
                return Err(MintRequestError::Attribute);
            }
        }
        if self.co_creators.len() > MAX_CO_CREATORS {
            return Err(MintRequestError::TooManyCoCreators);
        }
        Ok(())
    }
}

/// Length in characters (what the user counts), not bytes.
fn chars(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn good() -> MintRequest {
        MintRequest {
            path: PathBuf::from("/art/dawn.png"),
            name: "Dawn".to_owned(),
            description: Some("Over the bay".to_owned()),
            licence: "CC BY 4.0".to_owned(),
            editions: 5,
            royalty_bps: 1_000,
            attributes: vec![("Medium".to_owned(), "Ink".to_owned())],
            co_creators: vec![CoCreator {
                payee: Address::repeat_byte(7),
                bps: 2_500,
            }],
        }
    }

    #[test]
    fn a_filled_in_form_is_valid() {
        assert_eq!(good().validate(), Ok(()));
    }

    #[test]
    fn each_limit_is_inclusive_and_one_more_is_refused() {
        use MintRequestError as E;
        let at_limit = MintRequest {
            name: "山".repeat(MAX_TITLE_CHARS),
            description: Some("é".repeat(MAX_DESCRIPTION_CHARS)),
            licence: "l".repeat(MAX_LICENCE_CHARS),
            editions: MAX_EDITIONS,
            royalty_bps: MAX_ROYALTY_BPS,
            attributes: vec![
                (
                    "n".repeat(MAX_ATTRIBUTE_NAME_CHARS),
                    "v".repeat(MAX_ATTRIBUTE_VALUE_CHARS)
                );
                MAX_ATTRIBUTES
            ],
            co_creators: vec![good().co_creators[0]; MAX_CO_CREATORS],
            ..good()
        };
        assert_eq!(at_limit.validate(), Ok(()));
        let over: [(MintRequest, E); 9] = [
            (
                MintRequest {
                    name: "山".repeat(MAX_TITLE_CHARS + 1),
                    ..good()
                },
                E::Title,
            ),
            (
                MintRequest {
                    name: " \t ".to_owned(),
                    ..good()
                },
                E::Title,
            ),
            (
                MintRequest {
                    description: Some("é".repeat(MAX_DESCRIPTION_CHARS + 1)),
                    ..good()
                },
                E::TextTooLong,
            ),
            (
                MintRequest {
                    licence: "l".repeat(MAX_LICENCE_CHARS + 1),
                    ..good()
                },
                E::TextTooLong,
            ),
            (
                MintRequest {
                    editions: 0,
                    ..good()
                },
                E::Editions,
            ),
            (
                MintRequest {
                    editions: MAX_EDITIONS + 1,
                    ..good()
                },
                E::Editions,
            ),
            (
                MintRequest {
                    royalty_bps: MAX_ROYALTY_BPS + 1,
                    ..good()
                },
                E::Royalty,
            ),
            (
                MintRequest {
                    attributes: vec![("a".to_owned(), "b".to_owned()); MAX_ATTRIBUTES + 1],
                    ..good()
                },
                E::TooManyAttributes,
            ),
            (
                MintRequest {
                    co_creators: vec![good().co_creators[0]; MAX_CO_CREATORS + 1],
                    ..good()
                },
                E::TooManyCoCreators,
            ),
        ];
        for (request, expected) in over {
            assert_eq!(request.validate(), Err(expected), "{request:?}");
            assert_eq!(expected.code().as_str(), "request.invalid");
        }
        for attribute in [
            (" ".to_owned(), "orphan value".to_owned()),
            ("n".repeat(MAX_ATTRIBUTE_NAME_CHARS + 1), "v".to_owned()),
            ("n".to_owned(), "v".repeat(MAX_ATTRIBUTE_VALUE_CHARS + 1)),
        ] {
            let request = MintRequest {
                attributes: vec![attribute],
                ..good()
            };
            assert_eq!(request.validate(), Err(E::Attribute), "{request:?}");
        }
    }

    #[test]
    fn the_messages_are_the_ones_the_app_showed() {
        let said: Vec<String> = [
            MintRequestError::Title,
            MintRequestError::TextTooLong,
            MintRequestError::Editions,
            MintRequestError::Royalty,
            MintRequestError::TooManyAttributes,
            MintRequestError::Attribute,
            MintRequestError::TooManyCoCreators,
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            said,
            [
                "give the work a title (up to 200 characters)",
                "the description or licence is too long",
                "editions must be between 1 and 10000",
                "the royalty can be at most 25 %",
                "at most 32 attributes",
                "every attribute needs a name (up to 100 characters) and a value (up to 500)",
                "at most 7 co-creators",
            ]
        );
    }

    proptest! {
        /// `validate` accepts exactly the requests inside every limit, whatever the text.
        #[test]
        fn validate_accepts_exactly_the_requests_within_the_limits(
            name in ".{0,210}",
            description in proptest::option::of(".{0,20}"),
            licence_chars in 0usize..520,
            editions in 0u32..10_010,
            royalty_bps in 0u16..2_600,
            attributes in proptest::collection::vec((".{0,110}", ".{0,20}"), 0..34),
            co_creators in 0usize..9,
        ) {
            let request = MintRequest {
                name: name.clone(),
                description,
                licence: "x".repeat(licence_chars),
                editions,
                royalty_bps,
                attributes: attributes.clone(),
                co_creators: vec![good().co_creators[0]; co_creators],
                ..good()
            };
            let title = name.trim().chars().count();
            let within = (1..=MAX_TITLE_CHARS).contains(&title)
                && licence_chars <= MAX_LICENCE_CHARS
                && (1..=MAX_EDITIONS).contains(&editions)
                && royalty_bps <= MAX_ROYALTY_BPS
                && attributes.len() <= MAX_ATTRIBUTES
                && attributes.iter().all(|(n, v)| {
                    let n = n.trim().chars().count();
                    (1..=MAX_ATTRIBUTE_NAME_CHARS).contains(&n)
                        && v.trim().chars().count() <= MAX_ATTRIBUTE_VALUE_CHARS
                })
                && co_creators <= MAX_CO_CREATORS;
            prop_assert_eq!(request.validate().is_ok(), within, "{:?}", request);
            if let Err(e) = request.validate() {
                prop_assert_eq!(e.code().as_str(), "request.invalid");
            }
        }
    }
}
