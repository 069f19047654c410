//! Market actions signed as the active account, and what an account earned.

use serde::{Deserialize, Serialize};

/// A market action the app signs (in the Rust core) as the active account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum MarketRequest {
    /// Put a token you hold up for sale.
    List {
        /// Token id.
        token_id: u64,
        /// Price in credit cents.
        price_cents: u64,
    },
    /// Withdraw your listing.
    Cancel {
        /// Token id.
        token_id: u64,
    },
    /// Buy a listed token at the price the user confirmed.
    Buy {
        /// Token id.
        token_id: u64,
        /// The price shown and confirmed, in credit cents: the market refuses the purchase
        /// (`chain.price_mismatch`) if the listing asks another price when it runs.
        price_cents: u64,
    },
    /// Give a token you hold to another member.
    Gift {
        /// Token id.
        token_id: u64,
        /// The member's address.
        to: String,
    },
    /// Mint a work's next edition to a member (its creator or its issuer signs).
    MintEdition {
        /// The work id.
        work_id: u64,
        /// The member's address (the signer's own for oneself).
        to: String,
    },
}

/// A confirmed market transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketReport {
    /// Transaction hash.
    pub tx_hash: String,
    /// Its block.
    pub block_number: u64,
}

/// Whose earnings to sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarningsRequest {
    /// `0x…` address.
    pub address: String,
}

/// What an account was paid by the market and licence contracts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Earnings {
    /// Royalties on resales of its works, in cents.
    pub royalties_cents: i64,
    /// Proceeds of its sales and licence fees, in cents.
    pub proceeds_cents: i64,
    /// Payments received.
    pub payouts: u64,
}
