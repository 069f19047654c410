//! The JSON the commands print with `--json`: one shape per concept across commands, as
//! docs/cli.md ("JSON output") describes. Token, work, offer and request ids are JSON numbers
//! (they fit in 64 bits, as in the catalog); an event's `detail` is a JSON object.

use hallmark_engine::MintOutcome;
use hallmark_engine::catalog::ProvenanceEntry;
use hallmark_engine::evidence::Report;
use serde::Serialize;
use serde_json::Value;

use crate::failure::Failure;

/// `value` as indented JSON.
pub(crate) fn pretty(value: &impl Serialize) -> Result<String, Failure> {
    serde_json::to_string_pretty(value).map_err(|e| {
        Failure::other(
            hallmark_domain::ErrorCode::InternalEncode,
            format!("JSON: {e}"),
        )
    })
}

fn to_value(value: &impl Serialize) -> Result<Value, Failure> {
    serde_json::to_value(value).map_err(|e| {
        Failure::other(
            hallmark_domain::ErrorCode::InternalEncode,
            format!("JSON: {e}"),
        )
    })
}

/// A token or work id the chain gave as decimal text, as a number.
fn id_number(what: &str, text: &str) -> Result<u64, Failure> {
    text.parse().map_err(|_| {
        Failure::other(
            hallmark_domain::ErrorCode::InternalUnknownValue,
            format!("the chain returned {what} {text}, not a 64-bit id"),
        )
    })
}

/// A registered work, as `mint --json` and `jobs resume --json` print it.
#[derive(Debug, Serialize)]
pub(crate) struct Minted {
    /// The work id.
    pub(crate) work_id: u64,
    /// Its first edition's token id.
    pub(crate) token_id: u64,
    /// The registration transaction.
    pub(crate) tx_hash: String,
    /// Its block.
    pub(crate) block_number: u64,
    /// sha-256 of the media's exact bytes (hex, no 0x).
    pub(crate) content_sha256: String,
    /// CIDv1 of the media.
    pub(crate) media_cid: String,
    /// CIDv1 of the metadata document.
    pub(crate) metadata_cid: String,
    /// The creator's address.
    pub(crate) creator: String,
    /// Milliseconds from start to confirmed registration.
    pub(crate) elapsed_ms: u64,
}

impl TryFrom<&MintOutcome> for Minted {
    type Error = Failure;

    fn try_from(outcome: &MintOutcome) -> Result<Self, Failure> {
        Ok(Self {
            work_id: id_number("work", &outcome.work_id)?,
            token_id: id_number("token", &outcome.token_id)?,
            tx_hash: outcome.tx_hash.clone(),
            block_number: outcome.block_number,
            content_sha256: outcome.content_sha256.clone(),
            media_cid: outcome.media_cid.clone(),
            metadata_cid: outcome.metadata_cid.clone(),
            creator: outcome.creator.clone(),
            elapsed_ms: outcome.elapsed_ms,
        })
    }
}

/// A provenance timeline, each event's `detail` (kept as JSON text in the catalog) given as the
/// JSON object it is.
pub(crate) fn provenance(entries: &[ProvenanceEntry]) -> Result<Value, Failure> {
    entries
        .iter()
        .map(|entry| {
            let mut value = to_value(entry)?;
            let detail = serde_json::from_str::<Value>(&entry.detail).map_err(|e| {
                Failure::other(hallmark_domain::ErrorCode::CatalogCorruptEvent, format!(
                    "the catalog's record of event {} is not JSON: {e} (run `hallmark catalog rebuild`)",
                    entry.seq
                ))
            })?;
            value["detail"] = detail;
            Ok(value)
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// A verification report, the summary's token id as a number.
pub(crate) fn verify_report(report: &Report) -> Result<Value, Failure> {
    let mut value = to_value(report)?;
    value["conclusion"] = to_value(&report.conclusion())?;
    if let Some(summary) = &report.summary {
        value["summary"]["token_id"] = id_number("token", &summary.token_id)?.into();
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(detail: &str) -> ProvenanceEntry {
        ProvenanceEntry {
            seq: 7,
            block: 3,
            timestamp: 1_700_000_000,
            tx_hash: "0xab".to_owned(),
            kind: "minted".to_owned(),
            work_id: Some(1),
            token_id: Some(1_000_001),
            actor: None,
            counterparty: Some("0x01".to_owned()),
            amount: None,
            detail: detail.to_owned(),
        }
    }

    #[test]
    fn an_event_detail_is_an_object_not_a_string() {
        let json = provenance(&[entry(r#"{"Minted":{"token_id":1000001}}"#)]).expect("json");
        assert_eq!(json[0]["detail"]["Minted"]["token_id"], 1_000_001);
        assert_eq!(json[0]["token_id"], 1_000_001);
        assert!(provenance(&[entry("not json")]).is_err());
    }

    #[test]
    fn mint_ids_are_numbers() {
        let outcome = MintOutcome {
            work_id: "12".to_owned(),
            token_id: "12000001".to_owned(),
            tx_hash: "0x1".to_owned(),
            block_number: 9,
            content_sha256: "00".to_owned(),
            media_cid: "b".to_owned(),
            metadata_cid: "b".to_owned(),
            creator: "0x2".to_owned(),
            elapsed_ms: 5,
        };
        let json = to_value(&Minted::try_from(&outcome).expect("fits")).expect("json");
        assert_eq!(json["work_id"], 12);
        assert_eq!(json["token_id"], 12_000_001);
        let huge = MintOutcome {
            token_id: "340282366920938463463374607431768211456".to_owned(),
            ..outcome
        };
        assert!(Minted::try_from(&huge).is_err());
    }
}
