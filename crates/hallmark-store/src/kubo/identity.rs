//! The node's identity (`/api/v0/id`): its peer id and the multiaddrs it listens on, which a
//! remote pinning service can be given as `origins` to fetch content from this node directly.

use serde::Deserialize;

use super::KuboStore;
use super::rpc::SHORT_CALL;
use crate::error::StoreError;

/// What the node says about itself (`/api/v0/id`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NodeIdentity {
    /// The node's peer id (`12D3Koo…` or `Qm…`).
    #[serde(rename = "ID")]
    pub id: String,
    /// The multiaddrs it announces, each ending in `/p2p/<peer id>` (empty when the node runs
    /// offline).
    #[serde(rename = "Addresses", default, deserialize_with = "null_as_empty")]
    pub addresses: Vec<String>,
    /// Its agent, e.g. `kubo/0.32.1/` or `js-ipfs/0.66.1`.
    #[serde(rename = "AgentVersion", default)]
    pub agent_version: Option<String>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(d)?.unwrap_or_default())
}

impl NodeIdentity {
    /// The announced addresses that name this node's peer id at their end (`…/p2p/<id>`), each
    /// once, in the node's order.
    pub fn peer_addresses(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.addresses
            .iter()
            .map(|a| a.trim().to_owned())
            .filter(|a| {
                a.starts_with('/')
                    && a.rsplit_once("/p2p/")
                        .is_some_and(|(_, peer)| peer == self.id)
            })
            .filter(|a| seen.insert(a.clone()))
            .collect()
    }
}

impl KuboStore {
    /// The node's peer id and addresses (`/api/v0/id`).
    pub async fn id(&self) -> Result<NodeIdentity, StoreError> {
        let request = self.rpc.post("id", &[])?.timeout(SHORT_CALL);
        self.rpc.json("id", request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kubo_and_js_ipfs_answers() {
        let kubo = r#"{"ID":"12D3KooWA","PublicKey":"CAES","Addresses":[
            "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWA","/ip4/203.0.113.7/udp/4001/quic-v1/p2p/12D3KooWA",
            "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWA","/ip4/10.0.0.1/tcp/4001","/p2p/12D3KooWB/p2p-circuit/p2p/12D3KooWX"],
            "AgentVersion":"kubo/0.32.1/","Protocols":[]}"#;
        let id: NodeIdentity = serde_json::from_str(kubo).expect("kubo");
        assert_eq!(
            id.peer_addresses(),
            vec![
                "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWA".to_owned(),
                "/ip4/203.0.113.7/udp/4001/quic-v1/p2p/12D3KooWA".to_owned(),
            ]
        );
        let offline = r#"{"ID":"12D3KooWA","Addresses":null,"AgentVersion":"js-ipfs/0.66.1"}"#;
        let id: NodeIdentity = serde_json::from_str(offline).expect("js-ipfs offline");
        assert!(id.peer_addresses().is_empty());
    }
}
