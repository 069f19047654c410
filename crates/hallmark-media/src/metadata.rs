//! The work metadata document: the OpenSea/ERC-721 metadata JSON a token URI points at, plus a
//! `hallmark` object binding it to the exact content (sha-256, CID and import settings).
//!
//! Every string in a document is **data, never markup**: the UI renders names, descriptions and
//! attribute values as plain text (never as HTML or Markdown), and URLs are restricted to
//! `ipfs://<cid>` (media) and `https://` (the external link). The parser enforces a size limit,
//! a nesting limit, UTF-8, per-field lengths and the absence of control characters, so a hostile
//! document fetched from IPFS is refused with a clear message before anything displays it.
//!
//! Fields Hallmark does not use, written by other marketplaces and tools (`background_color`,
//! `youtube_url`, `properties`, an attribute's `max_value` …), are kept as they are (in
//! [`WorkMetadata::other`] and [`Attribute::other`]) and written back unchanged, within the same
//! size and nesting limits; Hallmark never displays them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;

use hallmark_domain::ErrorCode;
use hallmark_perceptual::PerceptualHashes;
use hallmark_unixfs::{Cid, ImportSettings};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ingest::Ingested;
use crate::media_type::{MediaKind, MediaType};
use crate::raster::PREVIEW_SIDE;

/// The `hallmark.schema_version` this crate writes and reads.
pub const SCHEMA_VERSION: u32 = 1;
/// Largest accepted document, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
/// Deepest accepted nesting of objects and arrays.
pub const MAX_DEPTH: usize = 16;
/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// Longest URL, in characters.
pub const MAX_URL_CHARS: usize = 2048;
/// Most attributes.
pub const MAX_ATTRIBUTES: usize = 64;
/// Longest attribute trait type, in characters.
pub const MAX_TRAIT_CHARS: usize = 100;
/// Longest attribute text value, in characters.
pub const MAX_VALUE_CHARS: usize = 1000;
/// Longest licence, in characters.
pub const MAX_LICENCE_CHARS: usize = 500;

/// Why a metadata document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    /// Over [`MAX_DOCUMENT_BYTES`].
    #[error("the metadata document is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not valid UTF-8.
    #[error("the metadata document is not valid UTF-8 (at byte {offset})")]
    NotUtf8 {
        /// Where the first invalid byte is.
        offset: usize,
    },
    /// Nested deeper than [`MAX_DEPTH`].
    #[error("the metadata document nests objects and arrays deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// Not JSON of the expected shape (unknown or duplicate field, wrong type …).
    #[error("the metadata document is malformed: {reason}")]
    Malformed {
        /// What the JSON parser reported, with line and column.
        reason: String,
    },
    /// A field has a value that is not allowed.
    #[error("the metadata field `{field}` is invalid: {reason}")]
    InvalidField {
        /// The field's JSON path, e.g. `attributes[2].value`.
        field: String,
        /// What is wrong.
        reason: String,
    },
}

impl MetadataError {
    /// A stable machine-readable code, e.g. `metadata.invalid_field`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::TooLarge { .. } => ErrorCode::MetadataTooLarge,
            Self::NotUtf8 { .. } => ErrorCode::MetadataNotUtf8,
            Self::TooDeep { .. } => ErrorCode::MetadataTooDeep,
            Self::Malformed { .. } => ErrorCode::MetadataMalformed,
            Self::InvalidField { .. } => ErrorCode::MetadataInvalidField,
        }
    }
}

/// How marketplaces display a numeric attribute (OpenSea's `display_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisplayType {
    /// A plain number.
    Number,
    /// A boost shown as a number.
    BoostNumber,
    /// A boost shown as a percentage.
    BoostPercentage,
    /// A Unix timestamp in seconds.
    Date,
}

/// An attribute value: text or a JSON number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttributeValue {
    /// Plain text (rendered as text, never markup).
    Text(String),
    /// A number.
    Number(serde_json::Number),
}

/// One `{trait_type, value, display_type?}` attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    /// The trait's name, e.g. `Edition`.
    pub trait_type: String,
    /// Its value.
    pub value: AttributeValue,
    /// How to display a numeric value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_type: Option<DisplayType>,
    /// Other fields of the attribute (e.g. OpenSea's `max_value`), kept as they are.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// What binds the document to the content it describes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HallmarkSection {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// sha-256 of the media file, lowercase hex.
    pub content_sha256: String,
    /// CID of the media file.
    pub content_cid: Cid,
    /// The settings `content_cid` was computed with.
    pub import_settings: ImportSettings,
    /// The media type, e.g. `image/png`.
    pub mime: String,
    /// Size of the media file in bytes.
    pub size: u64,
    /// The creator's EVM address, `0x` and 40 lowercase hex digits.
    pub creator: String,
    /// The licence the work is offered under (an SPDX id or words).
    pub licence: String,
    /// Perceptual hashes of an image work (PDQ with quality, pHash), published so that every
    /// node can rebuild the copy-detection index from the chain and IPFS alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub perceptual: Option<PerceptualHashes>,
    /// `ipfs://<cid>` of a small picture (fits 256×256) for lists and grids, when `image` is
    /// a larger one; readers without it use `image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
}

/// An ERC-721 / OpenSea metadata document with Hallmark's content binding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkMetadata {
    /// The work's title.
    pub name: String,
    /// A longer text (plain text, never markup).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `ipfs://<cid>` of the picture marketplaces show: for an image work, the image itself,
    /// or its preview (1,024 pixels on its longest side) when the image is larger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// `ipfs://<cid>` of the audio or video itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub animation_url: Option<String>,
    /// An `https://` page about the work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_url: Option<String>,
    /// Traits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    /// The content binding.
    pub hallmark: HallmarkSection,
    /// Every other top-level field (e.g. `background_color`, `youtube_url`, `properties`
    /// written by other marketplaces), kept as it is and written back unchanged.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// What the creator types in, for [`WorkMetadata::build`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkFields {
    /// The work's title.
    pub name: String,
    /// A longer text.
    pub description: Option<String>,
    /// An `https://` page about the work.
    pub external_url: Option<String>,
    /// The creator's EVM address (`0x…`, any case).
    pub creator: String,
    /// The licence.
    pub licence: String,
    /// Traits.
    pub attributes: Vec<Attribute>,
    /// A cover picture for audio or video (already in the store), used as `image`.
    pub cover_image: Option<Cid>,
}

/// `ipfs://<cid>`.
pub fn ipfs_url(cid: &Cid) -> String {
    format!("ipfs://{cid}")
}

impl WorkMetadata {
    /// The document for an ingested file. For an image, `image` is a picture large enough for
    /// a marketplace ([`marketplace_picture`]) and `hallmark.thumbnail` the thumbnail when it
    /// is another file; for audio/video, `image` is the cover (else the thumbnail), if any, and
    /// `animation_url` the audio or video.
    pub fn build(ingested: &Ingested, fields: WorkFields) -> Result<Self, MetadataError> {
        let media = ipfs_url(&ingested.cid_v1);
        let (image, animation_url, thumbnail) = match ingested.kind {
            MediaKind::Image => {
                let picture = ipfs_url(marketplace_picture(ingested));
                let thumbnail = ingested
                    .thumbnail
                    .as_ref()
                    .map(|t| ipfs_url(&t.cid))
                    .filter(|t| *t != picture);
                (Some(picture), None, thumbnail)
            }
            MediaKind::Audio | MediaKind::Video => (
                fields
                    .cover_image
                    .as_ref()
                    .or(ingested.thumbnail.as_ref().map(|t| &t.cid))
                    .map(ipfs_url),
                Some(media),
                None,
            ),
        };
        let document = Self {
            name: fields.name.trim().to_owned(),
            description: fields.description.filter(|d| !d.trim().is_empty()),
            image,
            animation_url,
            external_url: fields.external_url.filter(|u| !u.trim().is_empty()),
            attributes: fields.attributes,
            hallmark: HallmarkSection {
                schema_version: SCHEMA_VERSION,
                content_sha256: ingested.sha256.clone(),
                content_cid: ingested.cid_v1,
                import_settings: ingested.import_settings.clone(),
                mime: ingested.mime.clone(),
                size: ingested.size,
                creator: fields.creator.trim().to_ascii_lowercase(),
                licence: fields.licence.trim().to_owned(),
                perceptual: ingested.perceptual.map(|p| p.hashes),
                thumbnail,
            },
            other: BTreeMap::new(),
        };
        document.validate()?;
        Ok(document)
    }

    /// The `ipfs://` URL of the small picture for lists and grids: `hallmark.thumbnail`, else
    /// `image` (documents made before the thumbnail had its own field show it as `image`).
    pub fn thumbnail_url(&self) -> Option<&str> {
        self.hallmark.thumbnail.as_deref().or(self.image.as_deref())
    }

    /// Parses and validates a document (e.g. fetched from IPFS), enforcing every limit.
    pub fn from_json(bytes: &[u8]) -> Result<Self, MetadataError> {
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(MetadataError::TooLarge {
                size: bytes.len(),
                limit: MAX_DOCUMENT_BYTES,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| MetadataError::NotUtf8 {
            offset: e.valid_up_to(),
        })?;
        if nesting_depth(text) > MAX_DEPTH {
            return Err(MetadataError::TooDeep { limit: MAX_DEPTH });
        }
        let document: Self = serde_json::from_str(text).map_err(|e| MetadataError::Malformed {
            reason: e.to_string(),
        })?;
        document.validate()?;
        Ok(document)
    }

    /// The canonical bytes: validated, UTF-8, object keys sorted (bytewise, by their UTF-8
    /// bytes), no insignificant whitespace, optional fields left out when absent. The same
    /// document always gives the same bytes, whatever order its fields were parsed in.
    pub fn to_canonical_json(&self) -> Result<Vec<u8>, MetadataError> {
        self.validate()?;
        let value = serde_json::to_value(self).map_err(|e| MetadataError::Malformed {
            reason: e.to_string(),
        })?;
        let mut out = String::new();
        write_canonical(&value, &mut out);
        Ok(out.into_bytes())
    }

    /// Checks every field against the rules above.
    pub fn validate(&self) -> Result<(), MetadataError> {
        text_field("name", &self.name, 1, MAX_NAME_CHARS, false)?;
        if let Some(description) = &self.description {
            text_field("description", description, 0, MAX_DESCRIPTION_CHARS, true)?;
        }
        if let Some(image) = &self.image {
            ipfs_field("image", image)?;
        }
        if let Some(animation) = &self.animation_url {
            ipfs_field("animation_url", animation)?;
        }
        if let Some(url) = &self.external_url {
            https_field("external_url", url)?;
        }
        if self.attributes.len() > MAX_ATTRIBUTES {
            return Err(invalid(
                "attributes",
                format!("at most {MAX_ATTRIBUTES} attributes are allowed"),
            ));
        }
        for (i, attribute) in self.attributes.iter().enumerate() {
            attribute_field(i, attribute)?;
        }
        // (Parsing never puts a known field there; a document built in code could.)
        if let Some(key) = self
            .other
            .keys()
            .find(|k| DOCUMENT_FIELDS.contains(&k.as_str()))
        {
            return Err(invalid(key, "is a known field, not another one".to_owned()));
        }
        self.validate_binding()
    }

    fn validate_binding(&self) -> Result<(), MetadataError> {
        let h = &self.hallmark;
        if h.schema_version != SCHEMA_VERSION {
            return Err(invalid(
                "hallmark.schema_version",
                format!(
                    "version {} is not supported (expected {SCHEMA_VERSION})",
                    h.schema_version
                ),
            ));
        }
        let is_hex = |s: &str| s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if h.content_sha256.len() != 64 || !is_hex(&h.content_sha256) {
            return Err(invalid(
                "hallmark.content_sha256",
                "must be 64 lowercase hex digits".to_owned(),
            ));
        }
        let Some(media_type) = MediaType::from_mime(&h.mime) else {
            return Err(invalid(
                "hallmark.mime",
                format!("`{}` is not an accepted media type", printable(&h.mime)),
            ));
        };
        if h.size == 0 {
            return Err(invalid("hallmark.size", "must be more than 0".to_owned()));
        }
        let address = h.creator.strip_prefix("0x").unwrap_or_default();
        if address.len() != 40 || !is_hex(address) {
            return Err(invalid(
                "hallmark.creator",
                "must be an address: 0x and 40 lowercase hex digits".to_owned(),
            ));
        }
        text_field("hallmark.licence", &h.licence, 1, MAX_LICENCE_CHARS, false)?;
        if let Some(thumbnail) = &h.thumbnail {
            ipfs_field("hallmark.thumbnail", thumbnail)?;
        }
        h.import_settings
            .validate()
            .map_err(|e| invalid("hallmark.import_settings", e))?;
        if let Some(perceptual) = &h.perceptual {
            if perceptual.pdq_quality > 100 {
                return Err(invalid(
                    "hallmark.perceptual.pdq_quality",
                    "must be 0 to 100".to_owned(),
                ));
            }
            if media_type.kind() == MediaKind::Audio {
                return Err(invalid(
                    "hallmark.perceptual",
                    "audio works carry no perceptual hashes".to_owned(),
                ));
            }
        }
        let content = ipfs_url(&h.content_cid);
        match media_type.kind() {
            MediaKind::Image if self.image.is_none() => {
                Err(invalid("image", "an image work needs `image`".to_owned()))
            }
            MediaKind::Audio | MediaKind::Video
                if self.animation_url.as_deref() != Some(&content) =>
            {
                Err(invalid(
                    "animation_url",
                    format!("an audio or video work needs `animation_url` = {content}"),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// The picture of an image work that marketplaces show: the preview when the image is larger
/// than [`PREVIEW_SIDE`] on its longest side (the preview is then exactly that size), else the
/// image itself (also when no preview was made).
fn marketplace_picture(ingested: &Ingested) -> &Cid {
    let longest = ingested.width.max(ingested.height).unwrap_or(0);
    match &ingested.preview {
        Some(preview) if longest > PREVIEW_SIDE => &preview.cid,
        _ => &ingested.cid_v1,
    }
}

fn invalid(field: &str, reason: String) -> MetadataError {
    MetadataError::InvalidField {
        field: field.to_owned(),
        reason,
    }
}

/// The first 40 characters of `s` with control characters escaped, for messages.
fn printable(s: &str) -> String {
    s.chars().take(40).flat_map(char::escape_default).collect()
}

/// A text field: length in characters, no control characters (except line breaks and tabs when
/// `multiline`), not only whitespace when required.
fn text_field(
    field: &str,
    value: &str,
    min_chars: usize,
    max_chars: usize,
    multiline: bool,
) -> Result<(), MetadataError> {
    let chars = value.chars().count();
    if chars > max_chars {
        return Err(invalid(
            field,
            format!("{chars} characters, over the limit of {max_chars}"),
        ));
    }
    if min_chars > 0 && value.trim().is_empty() {
        return Err(invalid(field, "must not be empty".to_owned()));
    }
    let allowed = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
    if let Some(c) = value.chars().find(|&c| c.is_control() && !allowed(c)) {
        return Err(invalid(
            field,
            format!("contains the control character U+{:04X}", u32::from(c)),
        ));
    }
    Ok(())
}

fn ipfs_field(field: &str, value: &str) -> Result<(), MetadataError> {
    let cid = value.strip_prefix("ipfs://").ok_or_else(|| {
        invalid(
            field,
            format!("must be ipfs://<cid>, not `{}`", printable(value)),
        )
    })?;
    Cid::from_str(cid)
        .map(|_| ())
        .map_err(|e| invalid(field, format!("`{}` is not a CID: {e}", printable(cid))))
}

fn https_field(field: &str, value: &str) -> Result<(), MetadataError> {
    let chars = value.chars().count();
    if chars > MAX_URL_CHARS {
        return Err(invalid(
            field,
            format!("{chars} characters, over the limit of {MAX_URL_CHARS}"),
        ));
    }
    let rest = value.strip_prefix("https://").ok_or_else(|| {
        invalid(
            field,
            format!("must start with https://, not `{}`", printable(value)),
        )
    })?;
    if rest.is_empty() || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(field, "must be a URL without spaces".to_owned()));
    }
    Ok(())
}

/// The top-level fields [`WorkMetadata`] reads itself.
const DOCUMENT_FIELDS: [&str; 7] = [
    "name",
    "description",
    "image",
    "animation_url",
    "external_url",
    "attributes",
    "hallmark",
];

/// The fields [`Attribute`] reads itself.
const ATTRIBUTE_FIELDS: [&str; 3] = ["trait_type", "value", "display_type"];

fn attribute_field(index: usize, attribute: &Attribute) -> Result<(), MetadataError> {
    let field = |name: &str| format!("attributes[{index}].{name}");
    if let Some(key) = attribute
        .other
        .keys()
        .find(|k| ATTRIBUTE_FIELDS.contains(&k.as_str()))
    {
        return Err(invalid(
            &field(key),
            "is a known field, not another one".to_owned(),
        ));
    }
    text_field(
        &field("trait_type"),
        &attribute.trait_type,
        1,
        MAX_TRAIT_CHARS,
        false,
    )?;
    match &attribute.value {
        AttributeValue::Text(text) => {
            text_field(&field("value"), text, 0, MAX_VALUE_CHARS, false)?;
            if attribute.display_type.is_some() {
                return Err(invalid(
                    &field("display_type"),
                    "applies to numbers only".to_owned(),
                ));
            }
        }
        AttributeValue::Number(n) => {
            if n.as_f64().is_none_or(|f| !f.is_finite()) {
                return Err(invalid(
                    &field("value"),
                    "must be a finite number".to_owned(),
                ));
            }
        }
    }
    Ok(())
}

/// The deepest nesting of `{`/`[` outside strings.
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Writes `value` with sorted object keys and no whitespace.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_canonical(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::String(s) => write_string(s, out),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
    }
}

fn write_string(s: &str, out: &mut String) {
    // serde_json's string escaping: quotes, backslash and control characters only.
    out.push_str(&Value::String(s.to_owned()).to_string());
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert_eq!(nesting_depth(r#"{"a":"[[[{{{\"[[["}"#), 1);
        assert_eq!(nesting_depth("[[[]]]"), 3);
    }

    #[test]
    fn canonical_writer_sorts_keys_and_drops_whitespace() {
        let value: Value =
            serde_json::from_str(r#"{ "b": [1, {"z": null, "a": "x\"y"}], "a": true }"#).unwrap();
        let mut out = String::new();
        write_canonical(&value, &mut out);
        assert_eq!(out, r#"{"a":true,"b":[1,{"a":"x\"y","z":null}]}"#);
    }

    #[test]
    fn text_fields_refuse_control_characters_and_overlong_values() {
        assert!(text_field("name", "ok", 1, 10, false).is_ok());
        assert!(text_field("name", "   ", 1, 10, false).is_err());
        assert!(text_field("name", "a\u{7}", 1, 10, false).is_err());
        assert!(text_field("description", "line\nline", 0, 20, true).is_ok());
        assert!(text_field("name", "line\nline", 1, 20, false).is_err());
        assert!(text_field("name", "ééééé", 1, 4, false).is_err());
    }

    #[test]
    fn urls_are_restricted() {
        assert!(https_field("external_url", "https://example.org/work/1").is_ok());
        assert!(https_field("external_url", "javascript:alert(1)").is_err());
        assert!(https_field("external_url", "http://example.org").is_err());
        assert!(ipfs_field("image", "https://example.org/a.png").is_err());
        assert!(ipfs_field("image", "ipfs://not-a-cid").is_err());
    }
}
