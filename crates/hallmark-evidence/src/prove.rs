//! Making a bundle: the holder's statement, `evidence.json` with every file's sha-256, the seal,
//! and a README that explains how to check each claim with standard tools.

use alloy::primitives::{B256, U256};
use alloy::signers::local::PrivateKeySigner;
use hallmark_domain::Consensus;
use sha2::{Digest, Sha256};

use crate::bundle::BundleFiles;
use crate::error::EvidenceError;
use crate::model::{
    ChainInfo, EVIDENCE_FILE, Evidence, FORMAT, LicenceEntry, MEDIA_DIR, METADATA_FILE,
    README_FILE, Registration, SEAL_FILE, Seal, TokenInfo, Transfer, WorkInfo,
};
use crate::seal::{sign_seal, sign_statement};
use crate::typed_data::TypedDataSpec;

/// Everything a bundle is made of, gathered by the caller (catalog, chain, store).
#[derive(Debug, Clone)]
pub struct ProofInputs {
    /// The chain and contracts.
    pub chain: ChainInfo,
    /// The token.
    pub token: TokenInfo,
    /// The work (`media_file` is set by [`build_bundle`]).
    pub work: WorkInfo,
    /// The registration block.
    pub registration: Registration,
    /// The token's holders, mint first.
    pub provenance: Vec<Transfer>,
    /// Licence records.
    pub licences: Vec<LicenceEntry>,
    /// The exact metadata document bytes.
    pub metadata: Vec<u8>,
    /// The media: a file name and its bytes; `None` to include only its CID.
    pub media: Option<(String, Vec<u8>)>,
    /// The block the ownership statement speaks of (the chain's head when proving).
    pub statement_block: u64,
    /// The verifier's challenge, or a random nonce.
    pub nonce: U256,
    /// Now (unix seconds).
    pub created_at: u64,
}

/// A file name safe inside `media/`: the original's characters that are letters, digits, `.`,
/// `-` or `_`, else `work`.
pub fn media_file_name(original: &str, fallback_extension: &str) -> String {
    let cleaned: String = original
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(100)
        .collect();
    let cleaned = cleaned.trim_matches('.').to_owned();
    if cleaned.is_empty() {
        format!("work.{fallback_extension}")
    } else {
        cleaned
    }
}

/// Builds and seals a bundle as `signer`, who must be the token's last holder.
pub fn build_bundle(
    inputs: ProofInputs,
    signer: &PrivateKeySigner,
) -> Result<BundleFiles, EvidenceError> {
    let holder = inputs
        .provenance
        .last()
        .map(|t| t.to)
        .ok_or_else(|| EvidenceError::Invalid("the token has no recorded mint".to_owned()))?;
    if holder != signer.address() {
        return Err(EvidenceError::Invalid(format!(
            "only the holder can prove ownership: token {} is held by {holder:#x}, not {:#x}",
            inputs.token.token_id,
            signer.address()
        )));
    }
    let statement = sign_statement(
        signer,
        inputs.token.token_id,
        inputs.statement_block,
        inputs.nonce,
        &inputs.chain,
    )?;

    let mut bundle = BundleFiles::default();
    let mut work = inputs.work;
    if let Some((name, bytes)) = inputs.media {
        let path = format!("{MEDIA_DIR}{name}");
        work.media_file = Some(path.clone());
        bundle.files.insert(path, bytes);
    }
    bundle
        .files
        .insert(METADATA_FILE.to_owned(), inputs.metadata);
    bundle.files.insert(
        README_FILE.to_owned(),
        readme(&inputs.chain, &work, &inputs.registration).into_bytes(),
    );
    let files = bundle
        .files
        .iter()
        .map(|(name, bytes)| (name.clone(), hex::encode(Sha256::digest(bytes))))
        .collect();
    let evidence = Evidence {
        format: FORMAT.to_owned(),
        created_at: inputs.created_at,
        eip712: Some(TypedDataSpec::for_chain(&inputs.chain)),
        chain: inputs.chain,
        token: inputs.token,
        work,
        registration: inputs.registration,
        provenance: inputs.provenance,
        licences: inputs.licences,
        statement,
        files,
    };
    let evidence_json =
        serde_json::to_vec_pretty(&evidence).map_err(|e| EvidenceError::Write(e.to_string()))?;
    let evidence_sha256 = B256::from_slice(&Sha256::digest(&evidence_json));
    let seal = Seal {
        holder,
        evidence_sha256,
        signature: sign_seal(
            signer,
            evidence_sha256,
            evidence.token.token_id,
            &evidence.chain,
        )?,
    };
    bundle.files.insert(EVIDENCE_FILE.to_owned(), evidence_json);
    bundle.files.insert(
        SEAL_FILE.to_owned(),
        serde_json::to_vec_pretty(&seal).map_err(|e| EvidenceError::Write(e.to_string()))?,
    );
    Ok(bundle)
}

fn readme(chain: &ChainInfo, work: &WorkInfo, registration: &Registration) -> String {
    // Without the media, the commands name a copy the reader fetches by its CID first.
    let (media, fetch) = match work.media_file.as_deref() {
        Some(name) => (name.to_owned(), String::new()),
        None => (
            "media.bin".to_owned(),
            format!(
                "   The media is not included: fetch it by its CID from any IPFS node first,\n     ipfs cat {} > media.bin\n",
                work.content_cid
            ),
        ),
    };
    let listed = if work.media_file.is_some() {
        format!("{media} metadata.json README.txt")
    } else {
        "metadata.json README.txt".to_owned()
    };
    format!(
        "Hallmark evidence bundle
========================

This zip proves that a work was registered on an EVM chain and who holds a token of it.
`hallmark verify <this file>` checks everything below at once; each claim can also be
checked by hand with standard tools, without Hallmark and without its servers:

1. The files. evidence.json lists the sha-256 of every other file:
     sha256sum {listed}
2. The work.
{fetch}   The media's sha-256 is the registered content hash
     {content}
   and `ipfs add --only-hash --cid-version=1 {media}` prints its CID {cid}.
   metadata.json's sha-256 is the registered metadata hash {metadata_hash}
   and `ipfs add --only-hash --cid-version=1 metadata.json` prints {metadata_cid}.
3. The registration. registration.header_rlp in evidence.json is the RLP block header of block
   {block}; {hash_rule} is the block hash {block_hash}. The transactions and receipts
   listed there rebuild the header's transactionsRoot and receiptsRoot (EIP-2718 encodings);
   the receipt of transaction {tx} holds the WorkRegistered event of contract {works}.
   Ask any node of chain {chain_id}:
     eth_getBlockByNumber({block:#x}) -> hash must be {block_hash}
     eth_call HallmarkWorks.ownerOf(tokenId) at {works} -> the holder
4. The holder. statement in evidence.json is an EIP-712 OwnershipStatement(address holder,
   uint256 tokenId,uint256 blockNumber,uint256 nonce) in the domain (name \"HallmarkWorks\",
   version \"1\", chainId {chain_id}, verifyingContract {works}); the contract checks it with
   verifyOwnershipStatement(holder, tokenId, blockNumber, nonce, signature).
   seal.json is the holder's EIP-712 EvidenceSeal(bytes32 evidenceSha256,uint256 tokenId,
   address holder) over the exact bytes of evidence.json in the same domain.
   The domain and both types are in evidence.json as data (\"eip712\", written as
   eth_signTypedData_v4 takes them), so any EIP-712 library checks both signatures, e.g. with
   ethers: verifyTypedData(eip712.domain, {{OwnershipStatement: eip712.types.OwnershipStatement}},
   {{holder, tokenId, blockNumber, nonce}}, statement.signature) must give the holder.
   Numbers of 256 bits (token and work ids, the nonce, prices and fees) are decimal strings.
",
        content = hex::encode(work.content_hash),
        cid = work.content_cid,
        metadata_hash = hex::encode(work.metadata_hash),
        metadata_cid = work.metadata_cid,
        block = registration.block_number,
        block_hash = registration.block_hash,
        tx = registration.tx_hash,
        works = chain.works,
        chain_id = chain.chain_id,
        hash_rule = match chain.consensus {
            Consensus::Ethereum => "its keccak-256",
            Consensus::Qbft =>
                "on this Besu QBFT chain (chain.consensus = qbft) its keccak-256 once\n   extraData is re-encoded without the commit seals and with round 0",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::media_file_name;

    #[test]
    fn media_names_are_plain() {
        assert_eq!(media_file_name("Sunset 1.png", "png"), "Sunset1.png");
        assert_eq!(media_file_name("../../etc/passwd", "png"), "etcpasswd");
        assert_eq!(media_file_name("山水.jpg", "jpg"), "jpg");
        assert_eq!(media_file_name("...", "webp"), "work.webp");
    }
}
