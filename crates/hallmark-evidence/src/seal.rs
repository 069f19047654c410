//! The two EIP-712 signatures of a bundle, both in the `HallmarkWorks` domain (name
//! `HallmarkWorks`, version `1`, the chain id and the works contract):
//!
//! - the ownership statement the contract itself can check (`verifyOwnershipStatement`);
//! - the seal over `evidence.json`, which makes every byte of the evidence the holder's word.

use alloy::primitives::{Address, B256, Bytes, Signature, U256};
use alloy::signers::SignerSync;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use alloy::sol_types::{Eip712Domain, SolStruct};
use hallmark_chain::bindings::OwnershipStatement;
use hallmark_chain::works_domain;

use crate::error::EvidenceError;
use crate::model::{ChainInfo, Statement};

sol! {
    /// The holder's seal over the exact bytes of `evidence.json`.
    #[derive(Debug, PartialEq, Eq)]
    struct EvidenceSeal {
        bytes32 evidenceSha256;
        uint256 tokenId;
        address holder;
    }
}

/// The EIP-712 domain of a bundle's chain.
pub fn domain(chain: &ChainInfo) -> Eip712Domain {
    works_domain(chain.chain_id, chain.works)
}

fn sign(signer: &PrivateKeySigner, hash: B256) -> Result<Bytes, EvidenceError> {
    let signature = signer
        .sign_hash_sync(&hash)
        .map_err(|e| EvidenceError::Signing(e.to_string()))?;
    Ok(Bytes::from(signature.as_bytes().to_vec()))
}

/// Who signed `hash`, or why the signature is not a valid 65-byte secp256k1 signature.
pub fn recover(hash: B256, signature: &[u8]) -> Result<Address, String> {
    let signature =
        Signature::try_from(signature).map_err(|e| format!("not a 65-byte signature: {e}"))?;
    signature
        .recover_address_from_prehash(&hash)
        .map_err(|e| format!("no signer can be recovered: {e}"))
}

/// The signing hash of an ownership statement.
pub fn statement_hash(statement: &Statement, chain: &ChainInfo) -> B256 {
    OwnershipStatement {
        holder: statement.holder,
        tokenId: statement.token_id,
        blockNumber: U256::from(statement.block_number),
        nonce: statement.nonce,
    }
    .eip712_signing_hash(&domain(chain))
}

/// Signs an ownership statement as `signer` (who must be its holder).
pub fn sign_statement(
    signer: &PrivateKeySigner,
    token_id: U256,
    block_number: u64,
    nonce: U256,
    chain: &ChainInfo,
) -> Result<Statement, EvidenceError> {
    let mut statement = Statement {
        holder: signer.address(),
        token_id,
        block_number,
        nonce,
        signature: Bytes::new(),
    };
    statement.signature = sign(signer, statement_hash(&statement, chain))?;
    Ok(statement)
}

/// The signing hash of a seal.
pub fn seal_hash(
    evidence_sha256: B256,
    token_id: U256,
    holder: Address,
    chain: &ChainInfo,
) -> B256 {
    EvidenceSeal {
        evidenceSha256: evidence_sha256,
        tokenId: token_id,
        holder,
    }
    .eip712_signing_hash(&domain(chain))
}

/// Seals the evidence bytes as `signer`.
pub fn sign_seal(
    signer: &PrivateKeySigner,
    evidence_sha256: B256,
    token_id: U256,
    chain: &ChainInfo,
) -> Result<Bytes, EvidenceError> {
    sign(
        signer,
        seal_hash(evidence_sha256, token_id, signer.address(), chain),
    )
}
