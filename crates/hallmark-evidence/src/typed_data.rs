//! The EIP-712 domain and types of a bundle's two signatures, written into `evidence.json` as
//! data (format 2), in the JSON shape of `eth_signTypedData_v4`: any EIP-712 library (ethers'
//! `verifyTypedData`, viem, `cast`) checks the statement and the seal from the bundle alone.
//!
//! The types are derived from the same Solidity structs the signatures are made with
//! ([`OwnershipStatement`], [`EvidenceSeal`]), so the data cannot drift from the signing code.

use std::collections::BTreeMap;

use alloy::primitives::Address;
use alloy::sol_types::SolStruct;
use hallmark_chain::bindings::OwnershipStatement;
use serde::{Deserialize, Serialize};

use crate::model::ChainInfo;
use crate::seal::EvidenceSeal;

/// Name of the EIP-712 domain the works contract verifies in.
pub const DOMAIN_NAME: &str = "HallmarkWorks";
/// Version of that domain.
pub const DOMAIN_VERSION: &str = "1";

/// `evidence.json`'s `eip712`: the domain and the types of the statement and the seal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypedDataSpec {
    /// The domain, as `eth_signTypedData_v4` writes it.
    pub domain: DomainSpec,
    /// `EIP712Domain`, `EvidenceSeal` and `OwnershipStatement`, each a list of members.
    pub types: BTreeMap<String, Vec<Member>>,
}

/// The EIP-712 domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DomainSpec {
    /// Always [`DOMAIN_NAME`].
    pub name: String,
    /// Always [`DOMAIN_VERSION`].
    pub version: String,
    /// The chain's EIP-155 id.
    pub chain_id: u64,
    /// The works contract.
    pub verifying_contract: Address,
}

/// One member of an EIP-712 struct type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The member's name.
    pub name: String,
    /// Its Solidity type.
    #[serde(rename = "type")]
    pub kind: String,
}

/// The members of a type from its EIP-712 encoding, `Name(type name,type name,…)`.
fn members(encoded_type: &str) -> Vec<Member> {
    let inner = encoded_type
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or_default();
    inner
        .split(',')
        .filter_map(|member| member.split_once(' '))
        .map(|(kind, name)| Member {
            name: name.to_owned(),
            kind: kind.to_owned(),
        })
        .collect()
}

impl TypedDataSpec {
    /// The domain and types a bundle of `chain` is signed with.
    pub fn for_chain(chain: &ChainInfo) -> Self {
        let domain_type =
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
        let types = [
            ("EIP712Domain", domain_type.to_owned()),
            (
                "OwnershipStatement",
                OwnershipStatement::eip712_root_type().into_owned(),
            ),
            (
                "EvidenceSeal",
                EvidenceSeal::eip712_root_type().into_owned(),
            ),
        ]
        .into_iter()
        .map(|(name, encoded)| (name.to_owned(), members(&encoded)))
        .collect();
        Self {
            domain: DomainSpec {
                name: DOMAIN_NAME.to_owned(),
                version: DOMAIN_VERSION.to_owned(),
                chain_id: chain.chain_id,
                verifying_contract: chain.works,
            },
            types,
        }
    }

    /// What differs from the spec of `chain`, in words; empty when nothing does.
    pub fn differences(&self, chain: &ChainInfo) -> Vec<String> {
        let expected = Self::for_chain(chain);
        let mut differences = Vec::new();
        let (have, want) = (&self.domain, &expected.domain);
        if have.name != want.name || have.version != want.version {
            differences.push(format!(
                "the domain is `{}` version `{}`, not `{}` version `{}`",
                have.name, have.version, want.name, want.version
            ));
        }
        if have.chain_id != want.chain_id {
            differences.push(format!(
                "the domain's chainId is {}, the bundle's chain is {}",
                have.chain_id, want.chain_id
            ));
        }
        if have.verifying_contract != want.verifying_contract {
            differences.push(format!(
                "the domain's verifyingContract is {:#x}, the bundle's works contract is {:#x}",
                have.verifying_contract, want.verifying_contract
            ));
        }
        for (name, members) in &expected.types {
            if self.types.get(name) != Some(members) {
                differences.push(format!("the type {name} is not {}", encode(name, members)));
            }
        }
        for name in self.types.keys() {
            if !expected.types.contains_key(name) {
                differences.push(format!("the type {name} is not one of a bundle's types"));
            }
        }
        differences
    }
}

fn encode(name: &str, members: &[Member]) -> String {
    let list: Vec<String> = members
        .iter()
        .map(|m| format!("{} {}", m.kind, m.name))
        .collect();
    format!("{name}({})", list.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::tests::chain;

    #[test]
    fn the_spec_is_written_as_eth_sign_typed_data_v4_writes_it() {
        let json = serde_json::to_value(TypedDataSpec::for_chain(&chain())).expect("json");
        assert_eq!(
            json,
            serde_json::json!({
                "domain": {
                    "name": "HallmarkWorks",
                    "version": "1",
                    "chainId": 31337,
                    "verifyingContract": "0x1111111111111111111111111111111111111111"
                },
                "types": {
                    "EIP712Domain": [
                        {"name": "name", "type": "string"},
                        {"name": "version", "type": "string"},
                        {"name": "chainId", "type": "uint256"},
                        {"name": "verifyingContract", "type": "address"}
                    ],
                    "EvidenceSeal": [
                        {"name": "evidenceSha256", "type": "bytes32"},
                        {"name": "tokenId", "type": "uint256"},
                        {"name": "holder", "type": "address"}
                    ],
                    "OwnershipStatement": [
                        {"name": "holder", "type": "address"},
                        {"name": "tokenId", "type": "uint256"},
                        {"name": "blockNumber", "type": "uint256"},
                        {"name": "nonce", "type": "uint256"}
                    ]
                }
            })
        );
    }

    #[test]
    fn every_change_to_the_domain_or_a_type_is_named() {
        let chain = chain();
        assert!(
            TypedDataSpec::for_chain(&chain)
                .differences(&chain)
                .is_empty()
        );
        let mut other = chain.clone();
        other.chain_id = 1;
        other.works = Address::repeat_byte(0x99);
        let moved = TypedDataSpec::for_chain(&other).differences(&chain);
        assert_eq!(moved.len(), 2, "{moved:?}");

        let mut spec = TypedDataSpec::for_chain(&chain);
        spec.domain.version = "2".to_owned();
        if let Some(members) = spec.types.get_mut("OwnershipStatement") {
            members.swap(0, 1);
        }
        spec.types.insert("Extra".to_owned(), Vec::new());
        let changed = spec.differences(&chain);
        assert_eq!(changed.len(), 3, "{changed:?}");
        assert!(changed.iter().any(|d| d.contains(
            "OwnershipStatement(address holder,uint256 tokenId,uint256 blockNumber,uint256 nonce)"
        )));
    }
}
