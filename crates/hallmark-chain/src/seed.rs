//! Demo accounts for a dev chain, from anvil's well-known keys.
//!
//! DEV ONLY: these private keys are public (they derive from anvil's default mnemonic
//! "test test test test test test test test test test test junk"); anyone can spend from them.
//! Never grant them a role on a consortium chain.

use alloy::primitives::{Address, B256, U256, keccak256};
use alloy::signers::local::PrivateKeySigner;

use crate::client::ChainClient;
use crate::error::{ChainError, ChainResult};
use crate::governance::CouncilAction;
use crate::role::Role;

/// anvil's first ten dev private keys (public knowledge; dev chains only).
pub const ANVIL_DEV_KEYS: [&str; 10] = [
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
];

/// The signer of anvil dev key `index` (0..10).
pub fn dev_signer(index: usize) -> ChainResult<PrivateKeySigner> {
    let key = ANVIL_DEV_KEYS
        .get(index)
        .ok_or_else(|| ChainError::InvalidInput {
            reason: format!(
                "there are {} dev keys, not {}",
                ANVIL_DEV_KEYS.len(),
                index + 1
            ),
        })?;
    key.parse().map_err(|e| ChainError::InvalidInput {
        reason: format!("dev key {index}: {e}"),
    })
}

/// Who plays which part in the demo.
#[derive(Debug, Clone)]
pub struct DemoAccounts {
    /// Dev key 0: deployer and council.
    pub council: PrivateKeySigner,
    /// Dev key 1: issuer (also a member, so it can hold what it mints for itself).
    pub issuer: PrivateKeySigner,
    /// Dev key 2: reviewer.
    pub reviewer: PrivateKeySigner,
    /// Dev keys 3..: members with funded credit balances.
    pub members: Vec<PrivateKeySigner>,
}

impl DemoAccounts {
    /// The standard cast: council, issuer, reviewer and `members` members (at most 7).
    pub fn standard(members: usize) -> ChainResult<Self> {
        Ok(Self {
            council: dev_signer(0)?,
            issuer: dev_signer(1)?,
            reviewer: dev_signer(2)?,
            members: (3..3 + members)
                .map(dev_signer)
                .collect::<ChainResult<_>>()?,
        })
    }
}

/// The demo stand-in for an identity attestation: a salted hash naming the account (real
/// deployments hash the attestation document with a secret salt kept by the attesting org).
pub fn demo_attestation(account: Address) -> B256 {
    keccak256([b"hallmark-demo-attestation:".as_slice(), account.as_slice()].concat())
}

/// Grants the demo roles (skipping grants that exist) and tops every member up to
/// `credit_each` units. `council` must be a client of the council account.
pub async fn seed_demo(
    council: &ChainClient,
    accounts: &DemoAccounts,
    credit_each: U256,
) -> ChainResult<()> {
    let attester = council.address();
    let issuer = accounts.issuer.address();
    let mut grants = vec![
        (Role::Issuer, issuer),
        (Role::Member, issuer),
        (Role::Reviewer, accounts.reviewer.address()),
    ];
    grants.extend(accounts.members.iter().map(|m| (Role::Member, m.address())));
    for (role, account) in grants {
        let granted = council
            .consortium()
            .grantOf(role.as_u8(), account)
            .call()
            .await?
            .granted;
        if !granted {
            council
                .grant_role(role, account, demo_attestation(account), attester)
                .await?;
        }
    }
    // One council proposal issues every member's missing credit (the dev council is one seat
    // with no time lock, so it runs at once).
    let mut top_ups = Vec::new();
    for member in &accounts.members {
        let balance = council.credit_balance(member.address()).await?;
        if balance < credit_each {
            top_ups.push(CouncilAction::MintCredit {
                to: member.address(),
                amount: credit_each - balance,
            });
        }
    }
    if !top_ups.is_empty() {
        council.enact_now(&top_ups, "demo credits").await?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dev_keys_are_anvils_accounts() {
        let expected = [
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
            "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        ];
        for (i, address) in expected.iter().enumerate() {
            assert_eq!(dev_signer(i).unwrap().address().to_checksum(None), *address);
        }
        let all: std::collections::HashSet<_> =
            (0..10).map(|i| dev_signer(i).unwrap().address()).collect();
        assert_eq!(all.len(), 10);
        assert!(dev_signer(10).is_err());
    }
}
