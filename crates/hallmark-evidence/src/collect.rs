//! Reading a block's canonical encodings from a node, for [`crate::Registration`].

use alloy::eips::BlockNumberOrTag;
use alloy::eips::eip2718::Encodable2718;
use alloy::primitives::{B256, Bytes};
use alloy::providers::{DynProvider, Provider};
use alloy::rlp::Encodable;

use hallmark_domain::Consensus;

use crate::error::EvidenceError;
use crate::model::Registration;

fn chain_error(what: &str, e: impl std::fmt::Display) -> EvidenceError {
    EvidenceError::Invalid(format!("cannot read the {what} from the node: {e}"))
}

/// The block that includes `tx_hash` (expected at `block_number`), with every transaction and
/// receipt in their canonical encodings. The node's block hash must be the hash of the header
/// by the chain's `consensus` (a bundle records it, and its verifier re-derives the hash that
/// way): a mismatch, e.g. a QBFT chain taken for an Ethereum one, is refused here rather than
/// sealed into a bundle that cannot verify.
pub async fn registration_block(
    provider: &DynProvider,
    block_number: u64,
    tx_hash: B256,
    consensus: Consensus,
) -> Result<Registration, EvidenceError> {
    let block = provider
        .get_block_by_number(BlockNumberOrTag::Number(block_number))
        .full()
        .await
        .map_err(|e| chain_error("block", e))?
        .ok_or_else(|| EvidenceError::Invalid(format!("the node has no block {block_number}")))?;
    let receipts = provider
        .get_block_receipts(block_number.into())
        .await
        .map_err(|e| chain_error("receipts", e))?
        .ok_or_else(|| {
            EvidenceError::Invalid(format!("the node has no receipts of block {block_number}"))
        })?;

    let mut header_rlp = Vec::new();
    block.header.inner.encode(&mut header_rlp);
    let derived = crate::qbft::block_hash(consensus, &header_rlp).map_err(|e| {
        EvidenceError::Invalid(format!(
            "block {block_number} is not a {consensus} block: {e}"
        ))
    })?;
    if derived != block.header.hash {
        return Err(EvidenceError::Invalid(format!(
            "the node names block {block_number} {:#x}, but its {consensus} hash is {derived:#x}: is the chain's consensus really {consensus}?",
            block.header.hash
        )));
    }
    let mut transactions = Vec::new();
    let mut transaction_index = None;
    for (i, tx) in block.transactions.into_transactions().enumerate() {
        if *tx.inner.tx_hash() == tx_hash {
            transaction_index = Some(i as u64);
        }
        transactions.push(Bytes::from(tx.inner.inner().encoded_2718()));
    }
    let transaction_index = transaction_index.ok_or_else(|| {
        EvidenceError::Invalid(format!(
            "transaction {tx_hash:#x} is not in block {block_number}"
        ))
    })?;
    let receipts = receipts
        .into_iter()
        .map(|r| Bytes::from(r.inner.into_primitives_receipt().encoded_2718()))
        .collect();
    Ok(Registration {
        tx_hash,
        block_number,
        block_hash: block.header.hash,
        timestamp: block.header.inner.timestamp,
        transaction_index,
        header_rlp: Bytes::from(header_rlp),
        transactions,
        receipts,
    })
}
