//! Besu QBFT block headers: the `extraData` codec and the on-chain block hash.
//!
//! On a QBFT chain a block's `extraData` is an RLP list (Besu's `QbftExtraDataCodec`):
//!
//! ```text
//! [ vanity, [validator, …], vote, round, [commit seal, …] ]
//! ```
//!
//! - `vanity`: a byte string (32 zero bytes as Besu writes it; Besu reads any length);
//! - `validators`: 20-byte addresses;
//! - `vote`: the empty list `0xc0`, or `[recipient, 0xff]` to add a validator and
//!   `[recipient, 0x80]` to drop one (Besu also reads `0x00` or an empty list as a drop);
//! - `round`: an RLP scalar of at most 4 bytes, no leading zeros (`writeIntScalar`/`readIntScalar`);
//! - `seals`: 65-byte secp256k1 signatures `r ‖ s ‖ recId`, `1 <= r, s < n`, `recId` 0 or 1.
//!
//! The commit seals sign the header in which the seals list is empty, and the **block hash**
//! (`BftBlockHashing.calculateHashOfBftBlockOnchain`) is keccak-256 of the RLP header whose
//! `extraData` is re-encoded with an empty seals list *and round 0* (`0x80`): the hash does not
//! change with the round that sealed the block or with the set of seals collected. Block 0 keeps
//! its `extraData` as it is (`BftBlockHashing.serializeHeader`), so the genesis hash is keccak-256
//! of the plain header; Besu still decodes that `extraData` first, so it must be valid too.
//!
//! Decoding follows Besu's strict reader: the input is exactly one list, items are canonical,
//! scalars have no leading zeros. Like Besu (`leaveListLenient`), items after the seals list are
//! ignored, and so dropped when the extra data is re-encoded.

use alloy::consensus::Header;
use alloy::primitives::{Address, B256, U256, keccak256};
use alloy::rlp::{Decodable, Encodable, Header as RlpHeader};
use hallmark_domain::Consensus;

/// secp256k1's group order `n`: a seal's `r` and `s` are below it.
const SECP256K1_ORDER: U256 = U256::from_be_bytes([
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
]);

/// Byte of an "add validator" vote (Besu's `Vote.ADD_BYTE_VALUE`).
const ADD_BYTE: u8 = 0xff;
/// Byte of a "drop validator" vote as Besu reads it (`Vote.DROP_BYTE_VALUE`); it writes it as an
/// empty string instead.
const DROP_BYTE: u8 = 0x00;

/// Why bytes are not QBFT `extraData`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QbftError {
    /// The `extraData` is empty (Besu: "Bft Extra Data required").
    #[error("the extraData is empty, QBFT needs its validators, round and seals there")]
    Empty,
    /// The bytes are not RLP as QBFT writes it.
    #[error("the extraData is not QBFT RLP: {what}: {source}")]
    Rlp {
        /// The field being read.
        what: &'static str,
        /// The RLP error.
        source: alloy::rlp::Error,
    },
    /// A field has the wrong shape.
    #[error("the extraData is not QBFT data: {0}")]
    Field(String),
    /// The header itself does not decode.
    #[error("the header RLP does not decode: {0}")]
    Header(alloy::rlp::Error),
}

/// A validator vote carried by a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vote {
    /// Who is voted in or out.
    pub recipient: Address,
    /// `true` to add the recipient to the validators, `false` to drop it.
    pub add: bool,
}

/// The decoded `extraData` of a QBFT header (Besu's `BftExtraData`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QbftExtraData {
    /// Free bytes, 32 zero bytes as Besu writes them.
    pub vanity: Vec<u8>,
    /// The validators (in block 0: the initial validators).
    pub validators: Vec<Address>,
    /// The proposer's vote, if any.
    pub vote: Option<Vote>,
    /// The consensus round that produced the block.
    pub round: u32,
    /// The validators' commit seals, each `r ‖ s ‖ recId`.
    pub seals: Vec<[u8; 65]>,
}

/// Which parts [`QbftExtraData`] encodes (Besu's `BftExtraDataCodec.EncodingType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Everything: the bytes stored in the header (`ALL`).
    All,
    /// An empty seals list: what the commit seals sign (`EXCLUDE_COMMIT_SEALS`).
    WithoutCommitSeals,
    /// An empty seals list and round 0: what the block hash covers
    /// (`EXCLUDE_COMMIT_SEALS_AND_ROUND_NUMBER`).
    OnChain,
}

fn rlp(what: &'static str) -> impl FnOnce(alloy::rlp::Error) -> QbftError {
    move |source| QbftError::Rlp { what, source }
}

/// The next item's header, without consuming it.
fn peek(buf: &[u8], what: &'static str) -> Result<RlpHeader, QbftError> {
    let mut copy = buf;
    RlpHeader::decode(&mut copy).map_err(rlp(what))
}

/// The payload of the next item, which must be a byte string.
fn read_string<'a>(buf: &mut &'a [u8], what: &'static str) -> Result<&'a [u8], QbftError> {
    RlpHeader::decode_bytes(buf, false).map_err(rlp(what))
}

/// The payload of the next item, which must be a list.
fn read_list<'a>(buf: &mut &'a [u8], what: &'static str) -> Result<&'a [u8], QbftError> {
    RlpHeader::decode_bytes(buf, true).map_err(rlp(what))
}

fn read_address(buf: &mut &[u8], what: &'static str) -> Result<Address, QbftError> {
    let bytes = read_string(buf, what)?;
    if bytes.len() != Address::len_bytes() {
        return Err(QbftError::Field(format!(
            "{what} is {} bytes, an address is 20",
            bytes.len()
        )));
    }
    Ok(Address::from_slice(bytes))
}

fn read_vote(buf: &mut &[u8]) -> Result<Option<Vote>, QbftError> {
    let next = peek(buf, "vote")?;
    if next.list && next.payload_length == 0 {
        read_list(buf, "vote")?;
        return Ok(None);
    }
    let mut vote = read_list(buf, "vote")?;
    let recipient = read_address(&mut vote, "the vote's recipient")?;
    if vote.is_empty() {
        return Err(QbftError::Field("the vote has no add/drop byte".to_owned()));
    }
    let kind = peek(vote, "the vote's kind")?;
    let add = if kind.payload_length == 0 {
        // Besu skips any empty item here, string or list, as a drop.
        let mut skip = vote;
        RlpHeader::decode(&mut skip).map_err(rlp("the vote's kind"))?;
        vote = skip;
        false
    } else {
        match read_string(&mut vote, "the vote's kind")? {
            [ADD_BYTE] => true,
            [DROP_BYTE] => false,
            other => {
                return Err(QbftError::Field(format!(
                    "the vote's kind is {}, not 0xff (add) or empty (drop)",
                    alloy::primitives::hex::encode_prefixed(other)
                )));
            }
        }
    };
    if !vote.is_empty() {
        return Err(QbftError::Field(
            "the vote has more than a recipient and a kind".to_owned(),
        ));
    }
    Ok(Some(Vote { recipient, add }))
}

fn read_round(buf: &mut &[u8]) -> Result<u32, QbftError> {
    let bytes = read_string(buf, "round")?;
    if bytes.first() == Some(&0) {
        return Err(QbftError::Field(
            "the round has leading zero bytes (Besu reads it as a scalar)".to_owned(),
        ));
    }
    if bytes.len() > 4 {
        return Err(QbftError::Field(format!(
            "the round is {} bytes, at most 4",
            bytes.len()
        )));
    }
    Ok(bytes
        .iter()
        .fold(0u32, |round, byte| (round << 8) | u32::from(*byte)))
}

fn read_seal(buf: &mut &[u8], index: usize) -> Result<[u8; 65], QbftError> {
    let bytes = read_string(buf, "commit seal")?;
    let seal: [u8; 65] = bytes.try_into().map_err(|_| {
        QbftError::Field(format!(
            "commit seal {index} is {} bytes, a signature is 65",
            bytes.len()
        ))
    })?;
    for (name, part) in [("r", &seal[..32]), ("s", &seal[32..64])] {
        let value = U256::from_be_slice(part);
        if value.is_zero() || value >= SECP256K1_ORDER {
            return Err(QbftError::Field(format!(
                "commit seal {index}: {name} is not in [1, n)"
            )));
        }
    }
    if seal[64] > 1 {
        return Err(QbftError::Field(format!(
            "commit seal {index}: the recovery id is {}, not 0 or 1",
            seal[64]
        )));
    }
    Ok(seal)
}

impl QbftExtraData {
    /// Reads a header's `extraData` as Besu's `QbftExtraDataCodec.decodeRaw` does.
    pub fn decode(extra_data: &[u8]) -> Result<Self, QbftError> {
        if extra_data.is_empty() {
            return Err(QbftError::Empty);
        }
        let mut outer = extra_data;
        let mut fields = read_list(&mut outer, "the extraData list")?;
        if !outer.is_empty() {
            return Err(QbftError::Field(format!(
                "{} bytes follow the extraData list",
                outer.len()
            )));
        }
        let vanity = read_string(&mut fields, "vanity")?.to_vec();
        let mut list = read_list(&mut fields, "validators")?;
        let mut validators = Vec::new();
        while !list.is_empty() {
            validators.push(read_address(&mut list, "a validator")?);
        }
        let vote = read_vote(&mut fields)?;
        let round = read_round(&mut fields)?;
        let mut list = read_list(&mut fields, "commit seals")?;
        let mut seals = Vec::new();
        while !list.is_empty() {
            seals.push(read_seal(&mut list, seals.len())?);
        }
        // Anything left in `fields` is ignored, as Besu's `leaveListLenient` does.
        Ok(Self {
            vanity,
            validators,
            vote,
            round,
            seals,
        })
    }

    /// The genesis `extraData` of a network whose initial validators are `validators`: 32 zero
    /// bytes of vanity, no vote, round 0, no seals (Besu's `QbftExtraDataCodec.encodeFromAddresses`).
    pub fn genesis(validators: Vec<Address>) -> Self {
        Self {
            vanity: vec![0; 32],
            validators,
            vote: None,
            round: 0,
            seals: Vec::new(),
        }
    }

    /// The bytes Besu's `QbftExtraDataCodec.encode(data, encoding)` writes.
    pub fn encode(&self, encoding: Encoding) -> Vec<u8> {
        let mut payload = Vec::new();
        self.vanity.as_slice().encode(&mut payload);
        let mut validators = Vec::new();
        for validator in &self.validators {
            validator.encode(&mut validators);
        }
        list(&validators, &mut payload);
        match self.vote {
            None => list(&[], &mut payload),
            Some(vote) => {
                let mut fields = Vec::new();
                vote.recipient.encode(&mut fields);
                // Besu writes an add as the byte 0xff and a drop as an empty string.
                let kind: &[u8] = if vote.add { &[ADD_BYTE] } else { &[] };
                kind.encode(&mut fields);
                list(&fields, &mut payload);
            }
        }
        let round = match encoding {
            Encoding::OnChain => 0,
            Encoding::All | Encoding::WithoutCommitSeals => self.round,
        };
        round_scalar(round).as_slice().encode(&mut payload);
        let mut seals = Vec::new();
        if encoding == Encoding::All {
            for seal in &self.seals {
                seal.as_slice().encode(&mut seals);
            }
        }
        list(&seals, &mut payload);
        let mut out = Vec::new();
        list(&payload, &mut out);
        out
    }
}

/// Besu's `writeIntScalar(int)`: the minimal big-endian bytes of the value as a Java `long`, so
/// a round of 2³¹ or more (a negative Java `int`) is written sign-extended to 8 bytes (which Besu
/// itself then cannot read back; no real chain gets there).
fn round_scalar(round: u32) -> Vec<u8> {
    // The Java int of the same bits, widened to a long (sign-extended).
    let long = if round >= 1 << 31 {
        i64::from(round) - (1 << 32)
    } else {
        i64::from(round)
    };
    let bytes = long.to_be_bytes();
    let start = bytes.iter().take_while(|b| **b == 0).count();
    bytes[start..].to_vec()
}

fn list(payload: &[u8], out: &mut Vec<u8>) {
    RlpHeader {
        list: true,
        payload_length: payload.len(),
    }
    .encode(out);
    out.extend_from_slice(payload);
}

/// The block hash of a QBFT header as Besu computes it
/// (`BftBlockHashing.calculateHashOfBftBlockOnchain`): keccak-256 of the RLP header whose
/// `extraData` is re-encoded without commit seals and with round 0, except in block 0, whose
/// header is hashed as it is. Fails when the `extraData` is not QBFT data.
pub fn onchain_block_hash(header: &Header) -> Result<B256, QbftError> {
    let extra = QbftExtraData::decode(&header.extra_data)?;
    if header.number == 0 {
        return Ok(header.hash_slow());
    }
    let mut stripped = header.clone();
    stripped.extra_data = extra.encode(Encoding::OnChain).into();
    Ok(stripped.hash_slow())
}

/// What the commit seals of a QBFT header sign
/// (`BftBlockHashing.calculateDataHashForCommittedSeal`): keccak-256 of the RLP header whose
/// `extraData` has an empty seals list (the round kept).
pub fn commit_seal_hash(header: &Header) -> Result<B256, QbftError> {
    let extra = QbftExtraData::decode(&header.extra_data)?;
    let mut stripped = header.clone();
    if header.number != 0 {
        stripped.extra_data = extra.encode(Encoding::WithoutCommitSeals).into();
    }
    Ok(keccak256(alloy::rlp::encode(&stripped)))
}

/// The hash of the block whose RLP header is `header_rlp`, by the rule `consensus` names:
/// keccak-256 of the bytes on an Ethereum chain, [`onchain_block_hash`] on a QBFT chain.
pub fn block_hash(consensus: Consensus, header_rlp: &[u8]) -> Result<B256, QbftError> {
    match consensus {
        Consensus::Ethereum => Ok(keccak256(header_rlp)),
        Consensus::Qbft => {
            let mut rest = header_rlp;
            let header = Header::decode(&mut rest).map_err(QbftError::Header)?;
            if !rest.is_empty() {
                return Err(QbftError::Header(alloy::rlp::Error::Custom(
                    "trailing bytes after the header",
                )));
            }
            onchain_block_hash(&header)
        }
    }
}

#[cfg(test)]
mod tests;
