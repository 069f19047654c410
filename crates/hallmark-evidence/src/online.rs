//! Online re-checks against an EVM JSON-RPC node: the block is the chain's, the work is
//! registered as the bundle says, the holder still holds the token, and the contract itself
//! accepts the ownership statement.

use std::time::Duration;

use alloy::eips::BlockNumberOrTag;
use alloy::providers::{DynProvider, Provider};
use hallmark_chain::bindings::{HallmarkLicences, HallmarkMarket, HallmarkWorks};

use crate::anchor::{Anchor, GENESIS_CHECK, check_genesis};
use crate::model::Evidence;
use crate::verify::{Outcome, Parsed, Report, Verdict, fail, pass};

/// How long each online call may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// A read-only connection to `rpc_url` (Hallmark's transport: timeouts, reads retried).
pub fn connect(rpc_url: &str) -> Result<DynProvider, String> {
    hallmark_chain::connect_reader(rpc_url).map_err(|e| e.to_string())
}

pub(crate) async fn timed<T, E: std::fmt::Display>(
    what: &str,
    call: impl std::future::IntoFuture<Output = Result<T, E>>,
) -> Result<T, Verdict> {
    match tokio::time::timeout(CALL_TIMEOUT, call.into_future()).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(Verdict::Fail(format!("{what}: {e}"))),
        Err(_) => Err(Verdict::Fail(format!(
            "{what}: no answer within {} s",
            CALL_TIMEOUT.as_secs()
        ))),
    }
}

/// The hash of block 0 of the chain at `rpc_url`.
pub async fn genesis_hash(rpc_url: &str) -> Result<alloy::primitives::B256, String> {
    block_zero_hash(&connect(rpc_url)?)
        .await
        .map_err(|(Verdict::Fail(reason) | Verdict::Skip(reason))| reason)
}

/// The hash of the node's block 0; a node without one fails.
pub(crate) async fn block_zero_hash(
    provider: &DynProvider,
) -> Result<alloy::primitives::B256, Verdict> {
    let block = timed(
        "genesis block",
        provider.get_block_by_number(BlockNumberOrTag::Number(0)),
    )
    .await?;
    block
        .map(|block| block.header.hash)
        .ok_or_else(|| Verdict::Fail("the node has no block 0".to_owned()))
}

/// Appends the online checks to `report`; with an `anchor`, first that the node is the
/// anchor's chain (its genesis block).
pub async fn verify_online(
    report: &mut Report,
    parsed: &Parsed,
    provider: &DynProvider,
    anchor: Option<&Anchor>,
) {
    let evidence = &parsed.evidence;
    if let Some(anchor) = anchor {
        report.push(
            GENESIS_CHECK,
            "the node is the consortium's chain",
            check_genesis(anchor, provider).await,
        );
    }
    let chain = check_chain_id(evidence, provider).await;
    let reachable = chain.is_ok();
    report.push("online.chain", "the node is on the bundle's chain", chain);
    if !reachable {
        return;
    }
    report.push(
        "online.block",
        "the registration block is the chain's",
        check_block(evidence, provider).await,
    );
    report.push(
        "online.contracts",
        "the bundle names the suite's contracts",
        check_contracts(evidence, provider).await,
    );
    report.push(
        "online.work",
        "the chain records the work as the bundle says",
        check_work(evidence, provider).await,
    );
    report.push(
        "online.owner",
        "the holder still holds the token",
        check_owner(evidence, provider).await,
    );
    report.push(
        "online.provenance",
        "every transfer is on the chain as the bundle says",
        check_provenance(evidence, provider).await,
    );
    report.push(
        "online.licences",
        "the licence records are the chain's, none left out",
        check_licences(evidence, provider).await,
    );
    report.push(
        "online.statement",
        "the works contract accepts the statement",
        check_statement(evidence, provider).await,
    );
}

async fn check_chain_id(evidence: &Evidence, provider: &DynProvider) -> Outcome {
    let id = timed("chain id", provider.get_chain_id()).await?;
    if id == evidence.chain.chain_id {
        pass(format!("chain {id}"))
    } else {
        fail(format!(
            "the node is chain {id}, the bundle is for chain {}",
            evidence.chain.chain_id
        ))
    }
}

async fn check_block(evidence: &Evidence, provider: &DynProvider) -> Outcome {
    let r = &evidence.registration;
    let block = timed(
        "block",
        provider.get_block_by_number(BlockNumberOrTag::Number(r.block_number)),
    )
    .await?;
    let Some(block) = block else {
        return fail(format!("the node has no block {}", r.block_number));
    };
    if block.header.hash != r.block_hash {
        return fail(format!(
            "the chain's block {} is {:#x}, the bundle's is {:#x}",
            r.block_number, block.header.hash, r.block_hash
        ));
    }
    let receipt = timed("receipt", provider.get_transaction_receipt(r.tx_hash)).await?;
    match receipt {
        Some(receipt) if receipt.block_hash == Some(r.block_hash) && receipt.status() => {
            pass(format!("block {} {:#x}", r.block_number, r.block_hash))
        }
        Some(_) => fail("the registration transaction is in another block or reverted"),
        None => fail(format!(
            "the node does not know transaction {:#x}",
            r.tx_hash
        )),
    }
}

async fn check_work(evidence: &Evidence, provider: &DynProvider) -> Outcome {
    let works = HallmarkWorks::new(evidence.chain.works, provider.clone());
    let id = evidence.token.work_id;
    let record = timed("work", works.work(id).call()).await?;
    let cid = timed("metadata CID", works.metadataCid(id).call()).await?;
    let w = &evidence.work;
    let mismatches: Vec<&str> = [
        (record.contentHash != w.content_hash, "content hash"),
        (record.metadataHash != w.metadata_hash, "metadata hash"),
        (record.creator != w.creator, "creator"),
        (record.issuer != w.issuer, "issuer"),
        (cid != w.metadata_cid, "metadata CID"),
        (
            record.registeredBlock != evidence.registration.block_number,
            "registration block",
        ),
    ]
    .into_iter()
    .filter(|(differs, _)| *differs)
    .map(|(_, what)| what)
    .collect();
    if mismatches.is_empty() {
        let frozen = if record.frozenReason == 0 {
            String::new()
        } else {
            format!(" (frozen by review, reason {})", record.frozenReason)
        };
        pass(format!("work {id}{frozen}"))
    } else {
        fail(format!(
            "the chain's {} differ from the bundle",
            mismatches.join(", ")
        ))
    }
}

async fn check_owner(evidence: &Evidence, provider: &DynProvider) -> Outcome {
    let works = HallmarkWorks::new(evidence.chain.works, provider.clone());
    let owner = timed("owner", works.ownerOf(evidence.token.token_id).call()).await?;
    if owner == evidence.statement.holder {
        pass(format!("{owner:#x}"))
    } else {
        fail(format!(
            "token {} is now held by {owner:#x}; the bundle's holder {:#x} held it at block {}",
            evidence.token.token_id, evidence.statement.holder, evidence.statement.block_number
        ))
    }
}

async fn check_statement(evidence: &Evidence, provider: &DynProvider) -> Outcome {
    let works = HallmarkWorks::new(evidence.chain.works, provider.clone());
    let s = &evidence.statement;
    let accepted = timed(
        "verifyOwnershipStatement",
        works
            .verifyOwnershipStatement(
                s.holder,
                s.token_id,
                alloy::primitives::U256::from(s.block_number),
                s.nonce,
                s.signature.clone(),
            )
            .block(s.block_number.into())
            .call(),
    )
    .await?;
    if accepted {
        pass(format!("accepted at block {}", s.block_number))
    } else {
        fail(format!(
            "HallmarkWorks.verifyOwnershipStatement is false at block {}",
            s.block_number
        ))
    }
}

async fn check_provenance(evidence: &Evidence, provider: &DynProvider) -> Outcome {
    use alloy::primitives::Address;
    use alloy::sol_types::SolEvent;
    for (i, transfer) in evidence.provenance.iter().enumerate() {
        let receipt = timed(
            "receipt",
            provider.get_transaction_receipt(transfer.tx_hash),
        )
        .await?;
        let Some(receipt) = receipt else {
            return fail(format!(
                "transfer {i}: the node does not know {:#x}",
                transfer.tx_hash
            ));
        };
        if receipt.block_number != Some(transfer.block) {
            return fail(format!(
                "transfer {i}: {:#x} is in block {:?}, the bundle says {}",
                transfer.tx_hash, receipt.block_number, transfer.block
            ));
        }
        let block = timed(
            "block",
            provider.get_block_by_number(BlockNumberOrTag::Number(transfer.block)),
        )
        .await?;
        let time = block.map(|b| b.header.inner.timestamp);
        if time != Some(transfer.timestamp) {
            return fail(format!(
                "transfer {i}: block {} has time {time:?}, the bundle says {}",
                transfer.block, transfer.timestamp
            ));
        }
        let from = transfer.from.unwrap_or(Address::ZERO);
        let moved = receipt.inner.logs().iter().any(|log| {
            log.address() == evidence.chain.works
                && HallmarkWorks::Transfer::decode_log(&log.inner).is_ok_and(|t| {
                    t.tokenId == evidence.token.token_id && t.from == from && t.to == transfer.to
                })
        });
        if !moved {
            return fail(format!(
                "transfer {i}: {:#x} does not move token {} from {from:#x} to {:#x}",
                transfer.tx_hash, evidence.token.token_id, transfer.to
            ));
        }
        if let Some(price) = transfer.price {
            let sold = receipt.inner.logs().iter().any(|log| {
                log.address() == evidence.chain.market
                    && HallmarkMarket::Sold::decode_log(&log.inner)
                        .is_ok_and(|s| s.tokenId == evidence.token.token_id && s.price == price)
            });
            if !sold {
                return fail(format!(
                    "transfer {i}: {:#x} is not a sale of token {} for {price}",
                    transfer.tx_hash, evidence.token.token_id
                ));
            }
        }
    }
    pass(format!("{} transfers confirmed", evidence.provenance.len()))
}

async fn check_contracts(evidence: &Evidence, provider: &DynProvider) -> Outcome {
    let chain = &evidence.chain;
    let works = HallmarkWorks::new(chain.works, provider.clone());
    let licences = HallmarkLicences::new(chain.licences, provider.clone());
    let consortium = timed("works.consortium", works.consortium().call()).await?;
    let market = timed("works.market", works.market().call()).await?;
    let licences_works = timed("licences.works", licences.works().call()).await?;
    let licences_consortium = timed("licences.consortium", licences.consortium().call()).await?;
    let mismatches: Vec<&str> = [
        (consortium != chain.consortium, "consortium"),
        (market != chain.market, "market"),
        (
            licences_works != chain.works || licences_consortium != chain.consortium,
            "licences",
        ),
    ]
    .into_iter()
    .filter(|(differs, _)| *differs)
    .map(|(_, what)| what)
    .collect();
    if mismatches.is_empty() {
        pass(format!("works {:#x}", chain.works))
    } else {
        fail(format!(
            "the bundle's {} contract is not the works contract's",
            mismatches.join(", ")
        ))
    }
}

async fn check_licences(evidence: &Evidence, provider: &DynProvider) -> Outcome {
    let licences = HallmarkLicences::new(evidence.chain.licences, provider.clone());
    for entry in &evidence.licences {
        let offer = timed(
            "licence offer",
            licences
                .offerOf(alloy::primitives::U256::from(entry.offer_id))
                .call(),
        )
        .await?;
        let status_ok = match entry.status.as_str() {
            "accepted" => offer.accepted,
            "revoked" => offer.revoked,
            _ => !offer.accepted && !offer.revoked,
        };
        let matches = offer.tokenId == evidence.token.token_id
            && offer.licensee == entry.licensee
            && offer.kind == entry.kind
            && offer.scopeHash == entry.scope_hash
            && offer.duration == entry.duration
            && offer.fee == entry.fee
            && status_ok;
        if !matches {
            return fail(format!(
                "licence offer {} differs from the chain's",
                entry.offer_id
            ));
        }
    }
    let active = timed(
        "active licence",
        licences.activeLicence(evidence.token.token_id).call(),
    )
    .await?;
    let offer_id = u64::try_from(active.offerId).unwrap_or(u64::MAX);
    if active.offerId != alloy::primitives::U256::ZERO
        && !evidence.licences.iter().any(|l| l.offer_id == offer_id)
    {
        return fail(format!(
            "the running licence (offer {}) is left out of the bundle",
            active.offerId
        ));
    }
    pass(format!("{} records", evidence.licences.len()))
}
