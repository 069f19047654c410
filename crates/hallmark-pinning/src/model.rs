//! The spec's objects: `Pin`, `PinStatus`, `PinResults`, `Status`, `TextMatchingStrategy`, and
//! the `GET /pins` filters.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::time::Timestamp;

/// Status a pin object can have at a pinning service (spec: `Status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Waiting in the service's queue; nothing is being fetched yet.
    Queued,
    /// The service is fetching the DAG from the network.
    Pinning,
    /// Pinned successfully.
    Pinned,
    /// The service could not pin; `PinStatus.info["status_details"]` may say why.
    Failed,
}

impl Status {
    /// All four statuses, e.g. for a list filter that should not default to `pinned` only.
    pub const ALL: [Self; 4] = [Self::Queued, Self::Pinning, Self::Pinned, Self::Failed];

    /// The wire name (`queued`, `pinning`, `pinned`, `failed`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Pinning => "pinning",
            Self::Pinned => "pinned",
            Self::Failed => "failed",
        }
    }

    /// `pinned` or `failed`: the status will not change any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Pinned | Self::Failed)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the `name` list filter matches (spec: `TextMatchingStrategy`; the default is `exact`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextMatch {
    /// Full match, case-sensitive (the service's default).
    #[default]
    Exact,
    /// Full match, case-insensitive.
    Iexact,
    /// Partial match, case-sensitive.
    Partial,
    /// Partial match, case-insensitive.
    Ipartial,
}

impl TextMatch {
    /// The wire name (`exact`, `iexact`, `partial`, `ipartial`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Iexact => "iexact",
            Self::Partial => "partial",
            Self::Ipartial => "ipartial",
        }
    }
}

/// A pin request (spec: `Pin`): the CID to pin recursively and optional name, origins and meta.
///
/// Built with [`Pin::new`] and the `with_*` methods; the client checks it against the spec's
/// limits (see [`crate::limits`]) before sending it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    /// Content Identifier of the DAG root to pin (CIDv0 `Qm…` or multibase CIDv1 such as `bafy…`).
    pub cid: String,
    /// Optional name, at most 255 characters; can be used for lookups later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Multiaddrs known to provide the data, each ending in `/p2p/<peer id>`; at most 20, unique.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_as_default"
    )]
    pub origins: Vec<String>,
    /// String metadata persisted with the pin (e.g. `app_id`); at most 1000 entries.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "lenient_string_map"
    )]
    pub meta: BTreeMap<String, String>,
}

impl Pin {
    /// A pin request for `cid` with no name, origins or meta.
    pub fn new(cid: impl Into<String>) -> Self {
        Self {
            cid: cid.into(),
            name: None,
            origins: Vec::new(),
            meta: BTreeMap::new(),
        }
    }

    /// Sets the name.
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the origins (provider hints).
    #[must_use]
    pub fn with_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// Adds one meta entry.
    #[must_use]
    pub fn with_meta(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.meta.insert(key.into(), value.into());
        self
    }
}

/// A pin request and its current state at the service (spec: `PinStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinStatus {
    /// The service's identifier of this request: use it to check, replace or remove the pin.
    pub requestid: String,
    /// Current status.
    pub status: Status,
    /// When the request entered the service (immutable; the key for paging).
    pub created: Timestamp,
    /// The pin request as the service recorded it.
    pub pin: Pin,
    /// Multiaddrs the service designates to receive the data (provider hints).
    #[serde(deserialize_with = "required_string_list")]
    pub delegates: Vec<String>,
    /// Vendor-specific details, e.g. `status_details`, `dag_size`.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "lenient_string_map"
    )]
    pub info: BTreeMap<String, String>,
}

/// One page of `GET /pins` (spec: `PinResults`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinResults {
    /// Total number of pin objects matching the filters (may exceed `results.len()`: then more
    /// pages exist, see [`crate::PinningClient::pages`]).
    pub count: u32,
    /// Up to `limit` (at most 1000) pin objects, newest first.
    pub results: Vec<PinStatus>,
}

/// Filters of `GET /pins`. Everything is optional; an empty filter lists the 10 most recent
/// `pinned` requests (the spec's defaults: `limit` 10, and `status` missing means `pinned`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Only pins of these CIDs (1 to 10 when set).
    pub cids: Vec<String>,
    /// Only pins with this name (at most 255 characters), matched per [`ListFilter::matching`].
    pub name: Option<String>,
    /// The matching strategy for `name` (`exact` when unset).
    pub matching: Option<TextMatch>,
    /// Only pins with one of these statuses; empty means the service's default, `pinned` only.
    pub statuses: Vec<Status>,
    /// Only pins created before this instant (the paging key).
    pub before: Option<Timestamp>,
    /// Only pins created after this instant.
    pub after: Option<Timestamp>,
    /// Page size, 1 to 1000 (the service's default is 10).
    pub limit: Option<u32>,
    /// Only pins whose meta contains all these key/value pairs.
    pub meta: BTreeMap<String, String>,
}

impl ListFilter {
    /// An empty filter (same as `ListFilter::default()`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Pins in any status (all four), instead of the default `pinned` only.
    #[must_use]
    pub fn any_status(mut self) -> Self {
        self.statuses = Status::ALL.to_vec();
        self
    }

    /// Only these statuses.
    #[must_use]
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = Status>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// Only these CIDs.
    #[must_use]
    pub fn cids<I, S>(mut self, cids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.cids = cids.into_iter().map(Into::into).collect();
        self
    }

    /// Only this name, matched with `matching`.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>, matching: TextMatch) -> Self {
        self.name = Some(name.into());
        self.matching = Some(matching);
        self
    }

    /// Only pins created before `t`.
    #[must_use]
    pub fn before(mut self, t: Timestamp) -> Self {
        self.before = Some(t);
        self
    }

    /// Only pins created after `t`.
    #[must_use]
    pub fn after(mut self, t: Timestamp) -> Self {
        self.after = Some(t);
        self
    }

    /// Page size (1 to 1000).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only pins whose meta has `key` = `value` (several calls: all must match).
    #[must_use]
    pub fn meta(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.meta.insert(key.into(), value.into());
        self
    }

    /// The query string pairs, in the spec's wire form: arrays comma-separated (`style: form`,
    /// `explode: false`), `meta` as a JSON object.
    pub(crate) fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if !self.cids.is_empty() {
            q.push(("cid", self.cids.join(",")));
        }
        if let Some(name) = &self.name {
            q.push(("name", name.clone()));
        }
        if let Some(m) = self.matching {
            q.push(("match", m.as_str().to_owned()));
        }
        if !self.statuses.is_empty() {
            let s: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
            q.push(("status", s.join(",")));
        }
        if let Some(t) = &self.before {
            q.push(("before", t.as_str().to_owned()));
        }
        if let Some(t) = &self.after {
            q.push(("after", t.as_str().to_owned()));
        }
        if let Some(limit) = self.limit {
            q.push(("limit", limit.to_string()));
        }
        if !self.meta.is_empty() {
            // a BTreeMap<String, String> always serializes
            if let Ok(json) = serde_json::to_string(&self.meta) {
                q.push(("meta", json));
            }
        }
        q
    }
}

/// `null` reads as the type's default.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `delegates` is required; it must be an array of strings.
fn required_string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Vec::<String>::deserialize(d)
}

/// `meta`/`info` are string maps; services that send numbers or booleans as values (outside the
/// spec) are read with those values as JSON text rather than refused, since these fields are
/// informational. `null` reads as empty; anything but an object is refused.
fn lenient_string_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let raw = Option::<BTreeMap<String, serde_json::Value>>::deserialize(d)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_serializes_only_what_is_set() {
        let json = serde_json::to_string(&Pin::new("bafyx")).expect("json");
        assert_eq!(json, r#"{"cid":"bafyx"}"#);
        let pin = Pin::new("bafyx")
            .with_name("n")
            .with_origins(["/ip4/1.2.3.4/tcp/4001/p2p/QmPeer"])
            .with_meta("app_id", "h");
        let json = serde_json::to_string(&pin).expect("json");
        assert_eq!(
            json,
            r#"{"cid":"bafyx","name":"n","origins":["/ip4/1.2.3.4/tcp/4001/p2p/QmPeer"],"meta":{"app_id":"h"}}"#
        );
    }

    #[test]
    fn pin_status_reads_the_spec_example_and_tolerates_informational_oddities() {
        let body = r#"{"requestid":"UniqueIdOfPinRequest","status":"queued",
            "created":"2020-07-27T17:32:28.276Z",
            "pin":{"cid":"QmCIDToBePinned","name":null,"origins":null,"meta":{"n":1}},
            "delegates":["/ip4/203.0.113.1/tcp/4001/p2p/QmServicePeerId"],
            "info":{"status_details":"Queue position: 7 of 9","dag_size":1234},
            "vendor_extra":true}"#;
        let st: PinStatus = serde_json::from_str(body).expect("parses");
        assert_eq!(st.status, Status::Queued);
        assert_eq!(st.pin.meta["n"], "1");
        assert_eq!(st.info["dag_size"], "1234");
        assert!(st.pin.name.is_none() && st.pin.origins.is_empty());
    }

    #[test]
    fn pin_status_refuses_what_the_client_relies_on_being_wrong() {
        let ok = r#"{"requestid":"r","status":"pinned","created":"2020-07-27T17:32:28Z","pin":{"cid":"Qm"},"delegates":[]}"#;
        assert!(serde_json::from_str::<PinStatus>(ok).is_ok());
        for bad in [
            ok.replace(r#""status":"pinned""#, r#""status":"done""#),
            ok.replace("2020-07-27T17:32:28Z", "yesterday"),
            ok.replace(r#","delegates":[]"#, ""),
            ok.replace(r#""pin":{"cid":"Qm"}"#, r#""pin":{"name":"x"}"#),
            ok.replace(r#""requestid":"r""#, r#""requestid":7"#),
        ] {
            assert!(serde_json::from_str::<PinStatus>(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn filter_query_uses_the_wire_form() {
        let f = ListFilter::new()
            .cids(["Qm1", "bafy2"])
            .name("Doc", TextMatch::Ipartial)
            .statuses([Status::Queued, Status::Pinning])
            .limit(5)
            .meta("app_id", "99");
        let q = f.query_pairs();
        assert_eq!(
            q,
            vec![
                ("cid", "Qm1,bafy2".to_owned()),
                ("name", "Doc".to_owned()),
                ("match", "ipartial".to_owned()),
                ("status", "queued,pinning".to_owned()),
                ("limit", "5".to_owned()),
                ("meta", r#"{"app_id":"99"}"#.to_owned()),
            ]
        );
    }
}
