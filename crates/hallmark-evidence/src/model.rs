//! The documents inside a bundle: `evidence.json` ([`Evidence`]) and `seal.json` ([`Seal`]).
//!
//! Chain data travels in its canonical encodings (RLP header, EIP-2718 transactions and
//! receipts, as hex) so that any Ethereum tool can re-derive the block hash and the trie roots;
//! everything else is plain JSON.

use std::collections::BTreeMap;

use alloy::primitives::{Address, B256, Bytes, U256};
use hallmark_domain::Consensus;
use serde::{Deserialize, Serialize};

use crate::typed_data::TypedDataSpec;

/// 256-bit numbers are written as decimal strings (JSON numbers lose precision above 2^53 in
/// most readers); reading also takes the `0x` hex strings of format 1.
mod decimal {
    use alloy::primitives::U256;
    use serde::Serializer;

    pub(crate) fn serialize<S: Serializer>(value: &U256, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub(crate) mod option {
        use alloy::primitives::U256;
        use serde::Serializer;

        pub(crate) fn serialize<S: Serializer>(
            value: &Option<U256>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => serializer.collect_str(value),
                None => serializer.serialize_none(),
            }
        }
    }
}

/// The `format` of the bundles this crate writes: the EIP-712 domain and types as data
/// (`eip712`), and 256-bit numbers as decimal strings.
pub const FORMAT: &str = "hallmark-evidence/2";
/// The first format, still read: no `eip712`, 256-bit numbers as `0x` hex strings.
pub const FORMAT_1: &str = "hallmark-evidence/1";
/// Name of the evidence document inside the bundle.
pub const EVIDENCE_FILE: &str = "evidence.json";
/// Name of the holder's seal inside the bundle.
pub const SEAL_FILE: &str = "seal.json";
/// Name of the work's metadata document inside the bundle.
pub const METADATA_FILE: &str = "metadata.json";
/// Name of the plain-language instructions inside the bundle.
pub const README_FILE: &str = "README.txt";
/// Folder of the work's media inside the bundle.
pub const MEDIA_DIR: &str = "media/";

/// Everything a bundle claims, sealed by the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Always [`FORMAT`].
    pub format: String,
    /// When the bundle was made (unix seconds, the prover's clock).
    pub created_at: u64,
    /// Where the work is registered.
    pub chain: ChainInfo,
    /// The EIP-712 domain and types of the statement and the seal (format 2; absent in
    /// format 1, whose domain and types are only described in docs/copyright.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eip712: Option<TypedDataSpec>,
    /// The token the holder proves.
    pub token: TokenInfo,
    /// The registered work.
    pub work: WorkInfo,
    /// The registration transaction with its whole block.
    pub registration: Registration,
    /// Who held the token, from its mint to the holder.
    pub provenance: Vec<Transfer>,
    /// Licence offers and grants of the token.
    pub licences: Vec<LicenceEntry>,
    /// The holder's EIP-712 ownership statement (`HallmarkWorks.verifyOwnershipStatement`).
    pub statement: Statement,
    /// sha-256 (hex) of every other file in the bundle except the seal, by path.
    pub files: BTreeMap<String, String>,
}

/// The chain and the contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainInfo {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// HallmarkWorks (ERC-721, the EIP-712 verifying contract).
    pub works: Address,
    /// HallmarkMarket.
    pub market: Address,
    /// HallmarkLicences.
    pub licences: Address,
    /// HallmarkConsortium.
    pub consortium: Address,
    /// Which rule defines the chain's block hashes: `ethereum` (keccak-256 of the RLP header)
    /// or `qbft` (Besu's QBFT hash, without the commit seals). Absent in bundles of an Ethereum
    /// chain, so those are byte for byte what they were before the field existed.
    #[serde(default, skip_serializing_if = "Consensus::is_ethereum")]
    pub consensus: Consensus,
}

/// The proven token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenInfo {
    /// Token id (`work_id * 1_000_000 + edition`).
    #[serde(serialize_with = "decimal::serialize")]
    pub token_id: U256,
    /// Work id.
    #[serde(serialize_with = "decimal::serialize")]
    pub work_id: U256,
    /// Edition (1-based).
    pub edition: u32,
}

/// The registered work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkInfo {
    /// Title, from the metadata (informative).
    pub title: Option<String>,
    /// sha-256 of the media (the on-chain `contentHash`).
    pub content_hash: B256,
    /// CID of the media.
    pub content_cid: String,
    /// Path of the media inside the bundle, when included.
    pub media_file: Option<String>,
    /// CID of the metadata document (`tokenURI` = `ipfs://<cid>`).
    pub metadata_cid: String,
    /// sha-256 of the metadata document (the on-chain `metadataHash`).
    pub metadata_hash: B256,
    /// The creator.
    pub creator: Address,
    /// The endorsed issuer that registered it.
    pub issuer: Address,
    /// Editions.
    pub max_editions: u32,
    /// Royalty in basis points.
    pub royalty_bps: u16,
}

/// The registration transaction and the block that includes it, in canonical encodings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// The transaction.
    pub tx_hash: B256,
    /// The block number.
    pub block_number: u64,
    /// The block hash: keccak-256 of `header_rlp` on an Ethereum chain, Besu's QBFT hash of it
    /// on a QBFT chain ([`ChainInfo::consensus`]).
    pub block_hash: B256,
    /// The block time (unix seconds).
    pub timestamp: u64,
    /// Position of the transaction in the block.
    pub transaction_index: u64,
    /// The RLP-encoded block header.
    pub header_rlp: Bytes,
    /// Every transaction of the block, EIP-2718 encoded (their trie root is the header's
    /// `transactionsRoot`).
    pub transactions: Vec<Bytes>,
    /// Every receipt of the block, EIP-2718 encoded (their trie root is the header's
    /// `receiptsRoot`).
    pub receipts: Vec<Bytes>,
}

/// How a token reached a holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    /// Minted by the issuer.
    Minted,
    /// Bought on the market.
    Sold,
    /// Given.
    Gifted,
}

/// One change of holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// Mint, sale or gift.
    pub kind: TransferKind,
    /// Previous holder (`None` for a mint).
    pub from: Option<Address>,
    /// New holder.
    pub to: Address,
    /// Sale price in credit units.
    #[serde(serialize_with = "decimal::option::serialize")]
    pub price: Option<U256>,
    /// Block.
    pub block: u64,
    /// Block time (unix seconds).
    pub timestamp: u64,
    /// Transaction.
    pub tx_hash: B256,
}

/// A licence offer or grant of the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceEntry {
    /// Offer id.
    pub offer_id: u64,
    /// Licensee.
    pub licensee: Address,
    /// Kind code (HallmarkLicences).
    pub kind: u8,
    /// Hash of the licence terms.
    pub scope_hash: B256,
    /// Seconds.
    pub duration: u64,
    /// Fee in credit units.
    #[serde(serialize_with = "decimal::serialize")]
    pub fee: U256,
    /// `offered`, `revoked`, `accepted` or `void`.
    pub status: String,
    /// Start, once accepted.
    pub starts: Option<u64>,
    /// End, once accepted.
    pub expires: Option<u64>,
}

/// `OwnershipStatement(address holder,uint256 tokenId,uint256 blockNumber,uint256 nonce)`,
/// signed by the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// The holder.
    pub holder: Address,
    /// The token.
    #[serde(serialize_with = "decimal::serialize")]
    pub token_id: U256,
    /// The block the statement speaks of (the holder held the token then).
    pub block_number: u64,
    /// The verifier's challenge, or a random nonce when none was given.
    #[serde(serialize_with = "decimal::serialize")]
    pub nonce: U256,
    /// 65-byte `r ‖ s ‖ v` EIP-712 signature.
    pub signature: Bytes,
}

/// `seal.json`: the holder's EIP-712 signature over the exact bytes of `evidence.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seal {
    /// Who sealed (must be the statement's holder).
    pub holder: Address,
    /// sha-256 of `evidence.json`.
    pub evidence_sha256: B256,
    /// 65-byte EIP-712 signature of `EvidenceSeal(bytes32 evidenceSha256,uint256 tokenId,address holder)`.
    pub signature: Bytes,
}
