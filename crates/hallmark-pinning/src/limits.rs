//! The spec's limits, checked before anything is sent.
//!
//! | what | limit (spec v1.0.0) |
//! | --- | --- |
//! | `Pin.name`, `name` filter | `maxLength: 255` (characters) |
//! | `Pin.origins` | `maxItems: 20`, `uniqueItems`; each multiaddr "MUST end with `/p2p/{peerID}`" |
//! | `Pin.meta`, `meta` filter | `maxProperties: 1000`, string values |
//! | `cid` filter | `minItems: 1`, `maxItems: 10`, `uniqueItems` |
//! | `status` filter | `minItems: 1`, `uniqueItems` |
//! | `limit` | `minimum: 1`, `maximum: 1000` |
//! | `PinResults.results` | `maxItems: 1000` (checked on responses) |
//!
//! The spec puts `maxProperties: 1000` of `PinMeta`/`StatusInfo` inside `additionalProperties`
//! (where it constrains nothing); we apply it to the map, as intended.
//!
//! CIDs are checked for plausibility, not decoded: a CIDv0 is 46 base58btc characters starting
//! with `Qm`; a CIDv1 is a multibase string (`b`/`B` base32, `z` base58btc, `f`/`F` base16,
//! `k`/`K` base36, `m`/`M`/`u`/`U` base64 variants, `v`/`V` base32hex, `c`/`C` base32pad)
//! of 8 to [`MAX_CID_CHARS`] characters from that base's alphabet.

use std::collections::{BTreeMap, HashSet};

use crate::error::{PinningError, PinningResult};
use crate::model::{ListFilter, Pin};

/// `Pin.name` and the `name` filter: at most this many characters.
pub const MAX_NAME_CHARS: usize = 255;
/// `Pin.origins`: at most this many multiaddrs.
pub const MAX_ORIGINS: usize = 20;
/// `Pin.meta` and the `meta` filter: at most this many entries.
pub const MAX_META_ENTRIES: usize = 1000;
/// The `cid` filter: at most this many CIDs.
pub const MAX_CID_FILTER: usize = 10;
/// The `limit` parameter (page size): at most this.
pub const MAX_LIMIT: u32 = 1000;
/// Longest CID string accepted (ours: the spec sets none; a sha2-512 CIDv1 in base16 is 137).
pub const MAX_CID_CHARS: usize = 512;

const BASE58BTC: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

fn multibase_alphabet(prefix: char) -> Option<fn(char) -> bool> {
    Some(match prefix {
        'b' => |c| matches!(c, 'a'..='z' | '2'..='7'),
        'B' => |c| matches!(c, 'A'..='Z' | '2'..='7'),
        'c' => |c| matches!(c, 'a'..='z' | '2'..='7' | '='),
        'C' => |c| matches!(c, 'A'..='Z' | '2'..='7' | '='),
        'v' => |c| matches!(c, '0'..='9' | 'a'..='v'),
        'V' => |c| matches!(c, '0'..='9' | 'A'..='V'),
        'z' => |c| BASE58BTC.contains(c),
        'f' => |c| matches!(c, '0'..='9' | 'a'..='f'),
        'F' => |c| matches!(c, '0'..='9' | 'A'..='F'),
        'k' => |c| matches!(c, '0'..='9' | 'a'..='z'),
        'K' => |c| matches!(c, '0'..='9' | 'A'..='Z'),
        'm' => |c| c.is_ascii_alphanumeric() || c == '+' || c == '/',
        'M' => |c| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=',
        'u' => |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
        'U' => |c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '=',
        _ => return None,
    })
}

/// Checks that `cid` looks like a CID (see the module docs).
pub fn validate_cid(cid: &str) -> PinningResult<()> {
    let bad = |why: &str| PinningError::invalid("cid", format!("{}: {why}", show(cid)));
    if cid.is_empty() {
        return Err(PinningError::invalid("cid", "empty"));
    }
    if cid.starts_with("Qm") {
        if cid.len() != 46 || !cid.chars().all(|c| BASE58BTC.contains(c)) {
            return Err(bad("a CIDv0 is 46 base58btc characters"));
        }
        return Ok(());
    }
    let n = cid.chars().count();
    if !(8..=MAX_CID_CHARS).contains(&n) {
        return Err(bad(&format!("a CID has 8 to {MAX_CID_CHARS} characters")));
    }
    let mut chars = cid.chars();
    let prefix = chars.next().unwrap_or_default();
    let Some(alphabet) = multibase_alphabet(prefix) else {
        return Err(bad(
            "not a CIDv0 (Qm…) nor a multibase CIDv1 (bafy…, z…, f…)",
        ));
    };
    if !chars.all(alphabet) {
        return Err(bad(&format!(
            "characters outside the multibase '{prefix}' alphabet"
        )));
    }
    Ok(())
}

/// At most 80 characters of user text for an error message.
fn show(s: &str) -> String {
    let cut: String = s.chars().take(80).collect();
    if cut.len() < s.len() {
        format!("`{cut}…`")
    } else {
        format!("`{cut}`")
    }
}

fn validate_name(field: &'static str, name: &str) -> PinningResult<()> {
    let n = name.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(PinningError::invalid(
            field,
            format!("{n} characters, at most {MAX_NAME_CHARS}"),
        ));
    }
    Ok(())
}

fn validate_meta(field: &'static str, meta: &BTreeMap<String, String>) -> PinningResult<()> {
    if meta.len() > MAX_META_ENTRIES {
        return Err(PinningError::invalid(
            field,
            format!("{} entries, at most {MAX_META_ENTRIES}", meta.len()),
        ));
    }
    Ok(())
}

/// A multiaddr that ends in `/p2p/<peer id>`.
fn validate_origin(addr: &str) -> PinningResult<()> {
    let parts: Vec<&str> = addr.split('/').collect();
    let ok = addr.starts_with('/')
        && !addr.chars().any(char::is_whitespace)
        && parts.len() >= 3
        && parts[parts.len() - 2] == "p2p"
        && !parts[parts.len() - 1].is_empty()
        && parts[1..].iter().all(|p| !p.is_empty());
    if !ok {
        return Err(PinningError::invalid(
            "origins",
            format!("{} is not a multiaddr ending in /p2p/<peer id>", show(addr)),
        ));
    }
    Ok(())
}

impl Pin {
    /// Checks this pin request against the spec's limits (see [`crate::limits`]).
    pub fn validate(&self) -> PinningResult<()> {
        validate_cid(&self.cid)?;
        if let Some(name) = &self.name {
            validate_name("name", name)?;
        }
        if self.origins.len() > MAX_ORIGINS {
            return Err(PinningError::invalid(
                "origins",
                format!("{} multiaddrs, at most {MAX_ORIGINS}", self.origins.len()),
            ));
        }
        let mut seen = HashSet::new();
        for o in &self.origins {
            validate_origin(o)?;
            if !seen.insert(o) {
                return Err(PinningError::invalid(
                    "origins",
                    format!("{} is listed twice", show(o)),
                ));
            }
        }
        validate_meta("meta", &self.meta)
    }
}

impl ListFilter {
    /// Checks these filters against the spec's limits (see [`crate::limits`]).
    pub fn validate(&self) -> PinningResult<()> {
        if self.cids.len() > MAX_CID_FILTER {
            return Err(PinningError::invalid(
                "cid",
                format!(
                    "{} CIDs in the filter, at most {MAX_CID_FILTER}",
                    self.cids.len()
                ),
            ));
        }
        let mut seen = HashSet::new();
        for c in &self.cids {
            validate_cid(c)?;
            if !seen.insert(c) {
                return Err(PinningError::invalid(
                    "cid",
                    format!("{} is listed twice", show(c)),
                ));
            }
        }
        if let Some(name) = &self.name {
            validate_name("name", name)?;
        }
        let mut seen = HashSet::new();
        if let Some(s) = self.statuses.iter().find(|s| !seen.insert(**s)) {
            return Err(PinningError::invalid(
                "status",
                format!("{s} is listed twice"),
            ));
        }
        if let Some(limit) = self.limit
            && !(1..=MAX_LIMIT).contains(&limit)
        {
            return Err(PinningError::invalid(
                "limit",
                format!("{limit}, must be 1 to {MAX_LIMIT}"),
            ));
        }
        validate_meta("meta", &self.meta)
    }
}

/// A request id for the URL path: non-empty, no control characters.
pub(crate) fn validate_requestid(requestid: &str) -> PinningResult<()> {
    if requestid.is_empty() {
        return Err(PinningError::invalid("requestid", "empty"));
    }
    if requestid.chars().any(char::is_control) || requestid.len() > 1024 {
        return Err(PinningError::invalid(
            "requestid",
            format!("{} is not a request id", show(requestid)),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    const V0: &str = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
    const V1: &str = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

    #[test]
    fn cids() {
        for ok in [
            V0,
            V1,
            "zdj7WWeQ43G6JJvLWQWZpyHuAMq6uYWRjkBXFad11vE2LHhQ7",
            "f01701220c3c4733ec8affd06cf9e9ff50ffc6bcd2ec85a6170004bb709669c31de94391a",
        ] {
            assert!(validate_cid(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            " bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5",
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff50",
            "bafy0000000",
            "bafy",
            "/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
            "hello world",
        ] {
            let e = validate_cid(bad).expect_err(bad);
            assert_eq!(e.code(), "invalid_input");
        }
        assert!(validate_cid(&format!("b{}", "a".repeat(MAX_CID_CHARS))).is_err());
    }

    #[test]
    fn pins() {
        assert!(Pin::new(V1).with_name("x".repeat(255)).validate().is_ok());
        assert!(Pin::new(V1).with_name("é".repeat(255)).validate().is_ok());
        let e = Pin::new(V1)
            .with_name("x".repeat(256))
            .validate()
            .expect_err("too long");
        assert_eq!(e.to_string(), "invalid name: 256 characters, at most 255");
        let peer = "/ip4/203.0.113.1/tcp/4001/p2p/QmPeer";
        assert!(Pin::new(V1).with_origins([peer]).validate().is_ok());
        assert!(Pin::new(V1).with_origins([peer, peer]).validate().is_err());
        assert!(
            Pin::new(V1)
                .with_origins(["/ip4/203.0.113.1/tcp/4001"])
                .validate()
                .is_err()
        );
        let many: Vec<String> = (0..21).map(|i| format!("/p2p/QmPeer{i}")).collect();
        assert!(Pin::new(V1).with_origins(many).validate().is_err());
        let mut pin = Pin::new(V1);
        for i in 0..=MAX_META_ENTRIES {
            pin = pin.with_meta(format!("k{i}"), "v");
        }
        assert_eq!(pin.validate().expect_err("meta").code(), "invalid_input");
    }

    #[test]
    fn filters() {
        assert!(ListFilter::new().limit(1000).validate().is_ok());
        assert!(ListFilter::new().limit(0).validate().is_err());
        assert!(ListFilter::new().limit(1001).validate().is_err());
        assert!(ListFilter::new().cids([V0, V0]).validate().is_err());
        assert!(ListFilter::new().cids(vec![V1; 11]).validate().is_err());
        assert!(ListFilter::new().cids(["nope"]).validate().is_err());
        assert!(
            ListFilter::new()
                .statuses([Status::Queued, Status::Queued])
                .validate()
                .is_err()
        );
        assert!(ListFilter::new().any_status().validate().is_ok());
    }

    #[test]
    fn requestids() {
        assert!(validate_requestid("req-1").is_ok());
        assert!(validate_requestid("").is_err());
        assert!(validate_requestid("a\nb").is_err());
    }
}
