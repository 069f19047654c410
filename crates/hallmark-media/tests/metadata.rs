//! The work metadata document: building from an ingest, canonical bytes, and a strict parser.
#![allow(clippy::unwrap_used)]

#[path = "common/fixtures.rs"]
mod fixtures;

use std::fs;

use hallmark_media::metadata::{
    Attribute, AttributeValue, DisplayType, MAX_DEPTH, MetadataError, WorkFields, WorkMetadata,
    ipfs_url,
};
use hallmark_media::{IngestOptions, Ingested, ingest};
use serde_json::Value;
use tempfile::TempDir;

const CREATOR: &str = "0xAbCdEf0123456789abcdef0123456789ABCDEF01";

fn ingest_file(name: &str, bytes: &[u8], derivatives: bool) -> (TempDir, Ingested) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    let options = IngestOptions {
        derivatives_dir: derivatives.then(|| dir.path().join("d")),
        ..IngestOptions::default()
    };
    let ingested = ingest(&path, &options).unwrap();
    (dir, ingested)
}

fn fields() -> WorkFields {
    WorkFields {
        name: "  Dawn over the harbour ".to_owned(),
        description: Some("Oil on canvas.\nScanned at 600 dpi.".to_owned()),
        external_url: Some("https://example.org/works/1".to_owned()),
        creator: CREATOR.to_owned(),
        licence: "CC-BY-4.0".to_owned(),
        attributes: vec![
            Attribute {
                trait_type: "Medium".to_owned(),
                value: AttributeValue::Text("Oil".to_owned()),
                display_type: None,
                other: Default::default(),
            },
            Attribute {
                trait_type: "Edition".to_owned(),
                value: AttributeValue::Number(3.into()),
                display_type: Some(DisplayType::Number),
                other: Default::default(),
            },
        ],
        cover_image: None,
    }
}

#[test]
fn image_work_points_at_a_marketplace_sized_picture_and_binds_the_content() {
    let (_dir, ingested) = ingest_file("a.png", &fixtures::png(600, 400), true);
    let doc = WorkMetadata::build(&ingested, fields()).unwrap();
    let thumbnail = ingested.thumbnail.as_ref().unwrap();
    // Not over 1,024 pixels: marketplaces show the image itself; the thumbnail has its field.
    assert_eq!(
        doc.image.as_deref(),
        Some(ipfs_url(&ingested.cid_v1).as_str())
    );
    assert_eq!(
        doc.hallmark.thumbnail.as_deref(),
        Some(ipfs_url(&thumbnail.cid).as_str())
    );
    assert_eq!(doc.thumbnail_url(), doc.hallmark.thumbnail.as_deref());
    assert_eq!(doc.animation_url, None);
    assert_eq!(doc.name, "Dawn over the harbour");
    assert_eq!(doc.hallmark.creator, CREATOR.to_ascii_lowercase());
    assert_eq!(doc.hallmark.content_sha256, ingested.sha256);
    assert_eq!(doc.hallmark.content_cid, ingested.cid_v1);
    assert_eq!(doc.hallmark.mime, "image/png");
    assert_eq!(doc.hallmark.size, ingested.size);

    let bytes = doc.to_canonical_json().unwrap();
    let parsed = WorkMetadata::from_json(&bytes).unwrap();
    assert_eq!(parsed, doc);
    assert_eq!(parsed.to_canonical_json().unwrap(), bytes);
    let text = std::str::from_utf8(&bytes).unwrap();
    // keys sorted at every level, attributes keep their order, no whitespace between tokens
    assert!(text.starts_with(r#"{"attributes":[{"trait_type":"Medium","value":"Oil"},{"display_type":"number","trait_type":"Edition","value":3}],"description":"#), "{text}");
    assert!(text.contains(r#""hallmark":{"content_cid":""#), "{text}");
    assert!(!text.contains(": ") && !text.contains(", ") && !text.contains('\n'));
}

#[test]
fn canonical_bytes_do_not_depend_on_input_key_order_or_whitespace() {
    let (_dir, ingested) = ingest_file("a.png", &fixtures::png(10, 10), false);
    let doc = WorkMetadata::build(&ingested, fields()).unwrap();
    let canonical = doc.to_canonical_json().unwrap();
    // Re-serialise with pretty printing and reversed top-level keys; parse; same bytes.
    let value: Value = serde_json::from_slice(&canonical).unwrap();
    let Value::Object(map) = value else { panic!() };
    let mut reordered = String::from("{\n");
    let entries: Vec<_> = map.iter().rev().collect();
    for (i, (k, v)) in entries.iter().enumerate() {
        reordered.push_str(&format!(
            "  {}: {}{}\n",
            Value::String((*k).clone()),
            serde_json::to_string_pretty(v).unwrap(),
            if i + 1 < entries.len() { "," } else { "" }
        ));
    }
    reordered.push('}');
    let parsed = WorkMetadata::from_json(reordered.as_bytes()).unwrap();
    assert_eq!(parsed.to_canonical_json().unwrap(), canonical);
    // without a thumbnail an image work shows the media itself
    assert_eq!(
        doc.image.as_deref(),
        Some(ipfs_url(&ingested.cid_v1).as_str())
    );
}

#[test]
fn audio_work_uses_animation_url_and_an_optional_cover() {
    let (_dir, ingested) = ingest_file("a.wav", &fixtures::wav(8000, 1, 100), false);
    let doc = WorkMetadata::build(&ingested, fields()).unwrap();
    assert_eq!(
        doc.animation_url.as_deref(),
        Some(ipfs_url(&ingested.cid_v1).as_str())
    );
    assert_eq!(doc.image, None);
    let (_d2, cover) = ingest_file("c.png", &fixtures::png(10, 10), false);
    let with_cover = WorkMetadata::build(
        &ingested,
        WorkFields {
            cover_image: Some(cover.cid_v1),
            ..fields()
        },
    )
    .unwrap();
    assert_eq!(
        with_cover.image.as_deref(),
        Some(ipfs_url(&cover.cid_v1).as_str())
    );
    let parsed = WorkMetadata::from_json(&with_cover.to_canonical_json().unwrap()).unwrap();
    assert_eq!(parsed, with_cover);
}

#[test]
fn builder_refuses_bad_user_fields() {
    let (_dir, ingested) = ingest_file("a.png", &fixtures::png(10, 10), false);
    let bad: Vec<(WorkFields, &str)> = vec![
        (
            WorkFields {
                name: "  ".into(),
                ..fields()
            },
            "name",
        ),
        (
            WorkFields {
                name: "x".repeat(201),
                ..fields()
            },
            "name",
        ),
        (
            WorkFields {
                name: "bell\u{7}".into(),
                ..fields()
            },
            "name",
        ),
        (
            WorkFields {
                creator: "0x1234".into(),
                ..fields()
            },
            "hallmark.creator",
        ),
        (
            WorkFields {
                licence: String::new(),
                ..fields()
            },
            "hallmark.licence",
        ),
        (
            WorkFields {
                external_url: Some("javascript:alert(1)".into()),
                ..fields()
            },
            "external_url",
        ),
        (
            WorkFields {
                attributes: vec![Attribute {
                    trait_type: "T".into(),
                    value: AttributeValue::Text("x".into()),
                    display_type: Some(DisplayType::Date),
                    other: Default::default(),
                }],
                ..fields()
            },
            "attributes[0].display_type",
        ),
    ];
    for (f, field) in bad {
        match WorkMetadata::build(&ingested, f) {
            Err(MetadataError::InvalidField { field: got, .. }) => assert_eq!(got, field),
            other => panic!("{field}: {other:?}"),
        }
    }
}

fn valid_json() -> Value {
    let (_dir, ingested) = ingest_file("a.png", &fixtures::png(10, 10), false);
    let doc = WorkMetadata::build(&ingested, fields()).unwrap();
    serde_json::from_slice(&doc.to_canonical_json().unwrap()).unwrap()
}

fn parse_err(value: &Value) -> MetadataError {
    WorkMetadata::from_json(value.to_string().as_bytes()).unwrap_err()
}

#[test]
fn parser_refuses_hostile_documents() {
    let big = vec![b' '; 256 * 1024 + 1];
    assert_eq!(
        WorkMetadata::from_json(&big).unwrap_err().code(),
        "metadata.too_large"
    );
    assert_eq!(
        WorkMetadata::from_json(b"{\"name\":\"\xff\"}")
            .unwrap_err()
            .code(),
        "metadata.not_utf8"
    );
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert_eq!(
        WorkMetadata::from_json(deep.as_bytes()).unwrap_err().code(),
        "metadata.too_deep"
    );
    assert_eq!(
        WorkMetadata::from_json(b"{").unwrap_err().code(),
        "metadata.malformed"
    );

    // A field Hallmark does not know is kept (see `fields_of_other_marketplaces_are_kept`).
    let mut v = valid_json();
    v["unexpected"] = Value::Bool(true);
    let kept = WorkMetadata::from_json(v.to_string().as_bytes()).unwrap();
    assert_eq!(kept.other["unexpected"], Value::Bool(true));

    let mutations: Vec<(&str, Value, &str)> = vec![
        (
            "image",
            Value::String("https://evil.example/x.svg".into()),
            "image",
        ),
        (
            "animation_url",
            Value::String("javascript:alert(1)".into()),
            "animation_url",
        ),
        (
            "name",
            Value::String("<script>\u{0}</script>".into()),
            "name",
        ),
    ];
    for (key, value, field) in mutations {
        let mut v = valid_json();
        v[key] = value;
        match parse_err(&v) {
            MetadataError::InvalidField { field: got, .. } => assert_eq!(got, field),
            other => panic!("{key}: {other:?}"),
        }
    }
    let mut v = valid_json();
    v["hallmark"]["schema_version"] = Value::from(2);
    assert!(
        parse_err(&v)
            .to_string()
            .contains("version 2 is not supported")
    );
    let mut v = valid_json();
    v["hallmark"]["content_sha256"] = Value::String("ABC".into());
    assert!(
        matches!(parse_err(&v), MetadataError::InvalidField { field, .. } if field == "hallmark.content_sha256")
    );
    let mut v = valid_json();
    v["hallmark"]["mime"] = Value::String("image/svg+xml".into());
    assert!(
        parse_err(&v)
            .to_string()
            .contains("not an accepted media type")
    );
    let mut v = valid_json();
    v["attributes"][0]["value"] = Value::Bool(true);
    assert_eq!(parse_err(&v).code(), "metadata.malformed");
    // markup in text is data: accepted and kept verbatim, the UI shows it as text
    let mut v = valid_json();
    v["description"] = Value::String("<b>bold?</b> <img src=x onerror=alert(1)>".into());
    let parsed = WorkMetadata::from_json(v.to_string().as_bytes()).unwrap();
    assert_eq!(
        parsed.description.as_deref(),
        Some("<b>bold?</b> <img src=x onerror=alert(1)>")
    );
}

#[test]
fn a_large_image_shows_its_preview_of_1024_pixels_and_keeps_its_thumbnail() {
    let (_dir, ingested) = ingest_file("big.png", &fixtures::png(1500, 600), true);
    let preview = ingested.preview.as_ref().unwrap();
    assert_eq!((preview.width, preview.height), (1024, 410));
    let doc = WorkMetadata::build(&ingested, fields()).unwrap();
    assert_eq!(doc.image.as_deref(), Some(ipfs_url(&preview.cid).as_str()));
    let thumbnail = ingested.thumbnail.as_ref().unwrap();
    assert_eq!(thumbnail.width, 256);
    assert_eq!(doc.thumbnail_url(), Some(ipfs_url(&thumbnail.cid).as_str()));
    let parsed = WorkMetadata::from_json(&doc.to_canonical_json().unwrap()).unwrap();
    assert_eq!(parsed, doc);
    // Without derivatives there is no preview: the image itself, and no separate thumbnail.
    let (_d2, bare) = ingest_file("big.png", &fixtures::png(1500, 600), false);
    let doc = WorkMetadata::build(&bare, fields()).unwrap();
    assert_eq!(doc.image.as_deref(), Some(ipfs_url(&bare.cid_v1).as_str()));
    assert_eq!(doc.hallmark.thumbnail, None);
    assert_eq!(doc.thumbnail_url(), doc.image.as_deref());
}

#[test]
fn fields_of_other_marketplaces_are_kept() {
    // An OpenSea-style document: its own top-level fields, an attribute with `max_value`.
    let mut v = valid_json();
    v["background_color"] = Value::from("0a0a0a");
    v["youtube_url"] = Value::from("https://www.youtube.com/watch?v=abc");
    v["image_data"] = Value::from("<svg/>");
    v["properties"] = serde_json::json!({
        "files": [{"uri": "ipfs://bafy", "type": "image/png"}],
        "category": "image",
        "creators": [{"address": "0xabc", "share": 100}],
    });
    v["attributes"][1]["max_value"] = Value::from(10);
    let text = serde_json::to_string_pretty(&v).unwrap();
    let doc = WorkMetadata::from_json(text.as_bytes()).unwrap();
    assert_eq!(doc.other["background_color"], "0a0a0a");
    assert_eq!(doc.other["properties"]["creators"][0]["share"], 100);
    assert_eq!(doc.attributes[1].other["max_value"], 10);
    assert_eq!(doc.name, "Dawn over the harbour");
    // Written back whole: the canonical bytes hold every field, and parse to the same document.
    let canonical = doc.to_canonical_json().unwrap();
    let back: Value = serde_json::from_slice(&canonical).unwrap();
    assert_eq!(back, v);
    assert_eq!(WorkMetadata::from_json(&canonical).unwrap(), doc);
    // Built in code, another field cannot take a known field's name (it would replace it).
    let mut clash = doc.clone();
    clash.other.insert("name".to_owned(), Value::from("other"));
    assert_eq!(
        clash.to_canonical_json().unwrap_err().code(),
        "metadata.invalid_field"
    );
    let mut clash = doc;
    clash.attributes[0]
        .other
        .insert("value".to_owned(), Value::from(1));
    assert_eq!(
        clash.to_canonical_json().unwrap_err().code(),
        "metadata.invalid_field"
    );
    // The limits still hold for them: too deep, or too large, is refused.
    let mut deep = valid_json();
    let mut nested = Value::from(1);
    for _ in 0..MAX_DEPTH {
        nested = Value::Array(vec![nested]);
    }
    deep["properties"] = nested;
    assert_eq!(parse_err(&deep).code(), "metadata.too_deep");
    let mut large = valid_json();
    large["properties"] = Value::from("x".repeat(256 * 1024));
    assert_eq!(parse_err(&large).code(), "metadata.too_large");
    // Hallmark's own section stays strict, and its thumbnail must be an ipfs:// URL.
    let mut strict = valid_json();
    strict["hallmark"]["unexpected"] = Value::Bool(true);
    assert_eq!(parse_err(&strict).code(), "metadata.malformed");
    let mut thumbnail = valid_json();
    thumbnail["hallmark"]["thumbnail"] = Value::from("https://example.org/t.png");
    assert!(
        matches!(parse_err(&thumbnail), MetadataError::InvalidField { field, .. } if field == "hallmark.thumbnail")
    );
}
