//! Online re-checks against an EVM JSON-RPC node: the block is the chain's, the work is
//! registered as the bundle says, the holder still holds the token, and the contract itself
//! accepts the ownership statement.

use std::time::Duration;

use alloy::eips::BlockNumberOrTag;
use alloy::providers::{DynProvider, Provider};
use hallmark_chain::bindings::{HallmarkLicences, HallmarkMarket, HallmarkWorks};

use crate::anchor::{Anchor, GENESIS_CHECK, check_genesis};
use crate::model::Evidence;
use crate::verify::{Outcome, Parsed, Report, Verdict, fail, pass, unanswered};

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
    block_zero_hash(&connect(rpc_url)?).await.map_err(
        |(Verdict::Fail(reason) | Verdict::Skip(reason) | Verdict::Unanswered(reason))| reason,
    )
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

/// `HallmarkWorks.verifyOwnershipStatement` at the statement's block. A node that keeps no state
/// for that block (a pruning node, a restarted dev chain) cannot answer it: the check is then
/// [`Verdict::Unanswered`], naming the block, and the contract is asked at the head instead (it
/// must accept the signature there while the holder still holds the token); only a statement
/// the chain contradicts fails.
async fn check_statement(evidence: &Evidence, provider: &DynProvider) -> Outcome {
    let works = HallmarkWorks::new(evidence.chain.works, provider.clone());
    let s = &evidence.statement;
    let verify = |at: Option<u64>| {
        let call = works.verifyOwnershipStatement(
            s.holder,
            s.token_id,
            alloy::primitives::U256::from(s.block_number),
            s.nonce,
            s.signature.clone(),
        );
        let call = match at {
            Some(block) => call.block(block.into()),
            None => call,
        };
        async move { call.call().await }
    };
    let error = match tokio::time::timeout(CALL_TIMEOUT, verify(Some(s.block_number))).await {
        Ok(Ok(true)) => return pass(format!("accepted at block {}", s.block_number)),
        Ok(Ok(false)) => {
            return fail(format!(
                "HallmarkWorks.verifyOwnershipStatement is false at block {}",
                s.block_number
            ));
        }
        Ok(Err(e)) => e.to_string(),
        Err(_) => {
            return fail(format!(
                "verifyOwnershipStatement: no answer within {} s",
                CALL_TIMEOUT.as_secs()
            ));
        }
    };
    let head = timed("head block", provider.get_block_number()).await?;
    if s.block_number > head {
        return fail(format!(
            "the statement speaks of block {}, but the chain's head is block {head}",
            s.block_number
        ));
    }
    if !keeps_no_state_for(provider, evidence, s.block_number).await {
        return fail(format!("verifyOwnershipStatement: {error}"));
    }
    let not_answerable = format!(
        "not answerable: the node keeps no state for block {} (it answered: {}), so whether the works contract accepted the statement there needs an archive node",
        s.block_number,
        shortened(&error)
    );
    let at_head = timed("verifyOwnershipStatement at the head", verify(None)).await?;
    if at_head {
        return unanswered(format!(
            "{not_answerable}; at the head (block {head}) it accepts the statement"
        ));
    }
    let owner = timed("owner", works.ownerOf(s.token_id).call()).await?;
    if owner == s.holder {
        fail(format!(
            "at the head (block {head}) HallmarkWorks.verifyOwnershipStatement is false although {:#x} holds the token: the contract rejects the signature",
            s.holder
        ))
    } else {
        unanswered(format!(
            "{not_answerable}; at the head (block {head}) the token is held by {owner:#x}, so the contract cannot be asked there either"
        ))
    }
}

/// True when the node cannot read any state at `block` (the works contract's code there) while
/// it can at its head: it keeps no state for that block, rather than refusing the call.
async fn keeps_no_state_for(provider: &DynProvider, evidence: &Evidence, block: u64) -> bool {
    let works = evidence.chain.works;
    let then = tokio::time::timeout(
        CALL_TIMEOUT,
        provider
            .get_code_at(works)
            .block_id(block.into())
            .into_future(),
    )
    .await;
    let now = tokio::time::timeout(CALL_TIMEOUT, provider.get_code_at(works).into_future()).await;
    matches!((then, now), (Ok(Err(_)), Ok(Ok(_))))
}

/// A node's error message, cut to a readable length.
fn shortened(message: &str) -> String {
    const MAX: usize = 200;
    match message.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &message[..at]),
        None => message.to_owned(),
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

/// Every licence record is the chain's: its offer (token, licensee, kind, terms, duration, fee,
/// status); for an accepted one, the contract's `LicenceAccepted` event (licensee, start, end
/// and fee, exactly once); the running licence (its licensee and end) is in the bundle.
async fn check_licences(evidence: &Evidence, provider: &DynProvider) -> Outcome {
    let licences = HallmarkLicences::new(evidence.chain.licences, provider.clone());
    for entry in &evidence.licences {
        let offer_id = alloy::primitives::U256::from(entry.offer_id);
        let offer = timed("licence offer", licences.offerOf(offer_id).call()).await?;
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
        if offer.accepted {
            let accepted = acceptances(evidence, provider, offer_id).await?;
            let [event] = accepted.as_slice() else {
                return fail(format!(
                    "licence offer {}: the chain records {} acceptances of it",
                    entry.offer_id,
                    accepted.len()
                ));
            };
            let recorded = (Some(event.starts), Some(event.expires));
            if (entry.starts, entry.expires) != recorded {
                return fail(format!(
                    "licence offer {}: the chain's acceptance starts at {} and ends at {}, the bundle says start {} and end {}",
                    entry.offer_id,
                    event.starts,
                    event.expires,
                    shown(entry.starts),
                    shown(entry.expires)
                ));
            }
            if event.licensee != entry.licensee
                || event.tokenId != evidence.token.token_id
                || event.fee != entry.fee
            {
                return fail(format!(
                    "licence offer {}: the chain's acceptance names another licensee, token or fee",
                    entry.offer_id
                ));
            }
        }
    }
    let active = timed(
        "active licence",
        licences.activeLicence(evidence.token.token_id).call(),
    )
    .await?;
    if active.offerId != alloy::primitives::U256::ZERO {
        let offer_id = u64::try_from(active.offerId).unwrap_or(u64::MAX);
        let Some(entry) = evidence.licences.iter().find(|l| l.offer_id == offer_id) else {
            return fail(format!(
                "the running licence (offer {}) is left out of the bundle",
                active.offerId
            ));
        };
        if entry.licensee != active.user || entry.expires != Some(active.expires) {
            return fail(format!(
                "the running licence (offer {offer_id}) is {:#x}'s until {}, the bundle says {:#x}'s until {}",
                active.user,
                active.expires,
                entry.licensee,
                shown(entry.expires)
            ));
        }
    }
    pass(format!("{} records", evidence.licences.len()))
}

fn shown(time: Option<u64>) -> String {
    time.map_or_else(|| "none".to_owned(), |t| t.to_string())
}

/// The licences contract's `LicenceAccepted` events of `offer_id`, from the work's registration
/// on (an offer cannot be older than its token).
async fn acceptances(
    evidence: &Evidence,
    provider: &DynProvider,
    offer_id: alloy::primitives::U256,
) -> Result<Vec<HallmarkLicences::LicenceAccepted>, Verdict> {
    use alloy::rpc::types::Filter;
    use alloy::sol_types::SolEvent;
    let filter = Filter::new()
        .address(evidence.chain.licences)
        .event_signature(HallmarkLicences::LicenceAccepted::SIGNATURE_HASH)
        .topic1(alloy::primitives::B256::from(offer_id))
        .from_block(evidence.registration.block_number)
        .to_block(BlockNumberOrTag::Latest);
    let logs = timed("licence acceptances", provider.get_logs(&filter)).await?;
    Ok(logs
        .iter()
        .filter(|log| log.address() == evidence.chain.licences)
        .filter_map(|log| HallmarkLicences::LicenceAccepted::decode_log(&log.inner).ok())
        .map(|log| log.data)
        .filter(|event| event.offerId == offer_id)
        .collect())
}
