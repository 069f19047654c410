//! Transactions signed before they are sent, for callers that must survive a crash anywhere
//! between signing and the receipt (the engine's mint journal).
//!
//! The caller keeps the exact signed bytes before sending them. Sending them again after a
//! restart cannot make a second transaction: it has the same nonce and the same hash, so the
//! node either already knows it, already mined it, or mines it now. Only when its nonce was taken
//! by another transaction of the account — so it was never mined — does the caller sign anew.

use std::time::{Duration, Instant};

use alloy::contract::{CallBuilder, CallDecoder};
use alloy::eips::eip2718::Encodable2718;
use alloy::network::{Ethereum, EthereumWallet, NetworkTransactionBuilder, TransactionBuilder};
use alloy::primitives::{Address, B256, Bytes};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::TransactionReceipt;
use serde::{Deserialize, Serialize};
use tracing::{debug, info};

use crate::client::{ChainClient, gas_limit, minted_from};
use crate::error::{ChainError, ChainResult};
use crate::types::{MintVoucher, Minted, WorkInput};

/// A transaction signed and ready to send (or to send again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedTx {
    /// Its hash (the same however often it is sent).
    pub hash: B256,
    /// The sending account.
    pub from: Address,
    /// The account's nonce it uses.
    pub nonce: u64,
    /// The EIP-2718 encoding, as sent with `eth_sendRawTransaction`.
    pub raw: Bytes,
}

/// First and longest pause between receipt polls.
const POLL_FIRST: Duration = Duration::from_millis(50);
const POLL_MAX: Duration = Duration::from_secs(1);

/// Node answers meaning "I have this exact transaction already".
fn already_known(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "already known",
        "known transaction",
        "already imported",
        "already exists",
    ]
    .iter()
    .any(|m| message.contains(m))
}

impl ChainClient {
    /// Signs `registerWork(input, to)` without sending it: gas is estimated first, so a
    /// contract refusal comes back typed and nothing is signed.
    pub async fn sign_register_work(
        &self,
        input: &WorkInput,
        to: Address,
    ) -> ChainResult<SignedTx> {
        let works = self.works();
        self.sign_call(works.registerWork(input.to_sol(), to)).await
    }

    /// Signs `mintWithVoucher` for this account (the voucher's creator) without sending it.
    pub async fn sign_mint_with_voucher(
        &self,
        voucher: &MintVoucher,
        signature: Bytes,
    ) -> ChainResult<SignedTx> {
        let works = self.works();
        self.sign_call(works.mintWithVoucher(voucher.to_sol(), signature))
            .await
    }

    /// Sends a kept registration (again) and waits for its receipt: the minted edition.
    pub async fn register_signed(&self, tx: &SignedTx) -> ChainResult<Minted> {
        minted_from(&self.send_signed(tx).await?)
    }

    /// The receipt of a transaction, if it is mined.
    pub async fn receipt(&self, hash: B256) -> ChainResult<Option<TransactionReceipt>> {
        self.provider()
            .get_transaction_receipt(hash)
            .await
            .map_err(ChainError::from_rpc)
    }

    /// How many transactions of `account` were mined (its next nonce).
    pub async fn mined_transactions(&self, account: Address) -> ChainResult<u64> {
        self.provider()
            .get_transaction_count(account)
            .await
            .map_err(ChainError::from_rpc)
    }

    async fn sign_call<D: CallDecoder>(
        &self,
        call: CallBuilder<&DynProvider, D, Ethereum>,
    ) -> ChainResult<SignedTx> {
        let gas = gas_limit(&call).await?;
        let from = self.address();
        let provider = self.provider();
        let nonce = provider
            .get_transaction_count(from)
            .pending()
            .await
            .map_err(ChainError::from_rpc)?;
        let fees = provider
            .estimate_eip1559_fees()
            .await
            .map_err(ChainError::from_rpc)?;
        let request = call
            .into_transaction_request()
            .with_from(from)
            .with_nonce(nonce)
            .with_chain_id(self.deployment().chain_id)
            .with_gas_limit(gas)
            .with_max_fee_per_gas(fees.max_fee_per_gas)
            .with_max_priority_fee_per_gas(fees.max_priority_fee_per_gas);
        let wallet = EthereumWallet::from(self.signer().clone());
        let envelope = request
            .build(&wallet)
            .await
            .map_err(|e| ChainError::Signing {
                reason: e.to_string(),
            })?;
        let hash = *envelope.tx_hash();
        debug!(%hash, nonce, "transaction signed");
        Ok(SignedTx {
            hash,
            from,
            nonce,
            raw: envelope.encoded_2718().into(),
        })
    }

    /// Sends `tx` unless it is mined already, then waits for its receipt under the policy.
    /// Fails with [`ChainError::NonceTaken`] when another transaction used its nonce (so it
    /// can never be mined), and [`ChainError::TxReverted`] when it was mined but reverted.
    pub async fn send_signed(&self, tx: &SignedTx) -> ChainResult<TransactionReceipt> {
        if let Some(receipt) = self.receipt(tx.hash).await? {
            info!(hash = %tx.hash, "kept transaction already mined");
            return checked(receipt);
        }
        if let Err(err) = self.provider().send_raw_transaction(&tx.raw).await {
            let message = err.to_string();
            if already_known(&message) {
                debug!(hash = %tx.hash, "the node already has the transaction");
            } else if let Some(receipt) = self.receipt(tx.hash).await? {
                // Mined between the first look and the send.
                return checked(receipt);
            } else {
                let next = self
                    .provider()
                    .get_transaction_count(tx.from)
                    .await
                    .map_err(ChainError::from_rpc)?;
                if next > tx.nonce {
                    return Err(ChainError::NonceTaken {
                        tx_hash: tx.hash,
                        nonce: tx.nonce,
                    });
                }
                return Err(ChainError::from_rpc(err));
            }
        }
        self.wait_for_receipt(tx.hash).await
    }

    /// Polls for the receipt of `hash` (with backoff) until the policy's timeout.
    async fn wait_for_receipt(&self, hash: B256) -> ChainResult<TransactionReceipt> {
        let policy = self.policy();
        let deadline = Instant::now() + policy.timeout;
        let mut pause = POLL_FIRST;
        loop {
            if let Some(receipt) = self.receipt(hash).await? {
                let mined_in = receipt.block_number.unwrap_or_default();
                let head = if policy.extra_confirmations == 0 {
                    mined_in
                } else {
                    self.provider()
                        .get_block_number()
                        .await
                        .map_err(ChainError::from_rpc)?
                };
                if head >= mined_in + policy.extra_confirmations {
                    return checked(receipt);
                }
            }
            if Instant::now() >= deadline {
                return Err(ChainError::Rpc {
                    reason: format!(
                        "transaction {hash} was sent but not confirmed within {} s; it may still be mined, and resuming will look for it",
                        policy.timeout.as_secs()
                    ),
                });
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(POLL_MAX);
        }
    }
}

fn checked(receipt: TransactionReceipt) -> ChainResult<TransactionReceipt> {
    if receipt.status() {
        Ok(receipt)
    } else {
        Err(ChainError::TxReverted {
            tx_hash: receipt.transaction_hash,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_known_transaction_answers() {
        assert!(already_known(
            "server returned an error response: error code -32000: already known"
        ));
        assert!(already_known("Known transaction: 0xabc"));
        assert!(already_known("transaction already imported"));
        assert!(!already_known("nonce too low"));
        assert!(!already_known("insufficient funds for gas * price + value"));
    }
}
