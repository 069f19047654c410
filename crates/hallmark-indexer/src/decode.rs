//! Decoding the Hallmark contracts' logs into [`CatalogEvent`]s. Only logs from the deployment's
//! own addresses are decoded; the topics the indexer asks the node for are listed once here.

use alloy::primitives::{Address, B256, I256, LogData, U256};
use alloy::sol_types::SolEvent;
use hallmark_catalog::CatalogEvent;
use hallmark_chain::Deployment;
use hallmark_chain::bindings::{
    HallmarkConsortium as Consortium, HallmarkEndorsements as Endorsements,
    HallmarkLicences as Licences, HallmarkMarket as Market, HallmarkReviews as Reviews,
    HallmarkWorks as Works,
};

use crate::error::IndexerError;

/// The event signatures the indexer follows (topic 0), for the node-side log filter.
pub fn followed_topics() -> Vec<B256> {
    vec![
        Works::WorkRegistered::SIGNATURE_HASH,
        Works::EditionMinted::SIGNATURE_HASH,
        Works::Frozen::SIGNATURE_HASH,
        Works::Unfrozen::SIGNATURE_HASH,
        Works::MetadataUpdate::SIGNATURE_HASH,
        Works::BatchMetadataUpdate::SIGNATURE_HASH,
        Market::Listed::SIGNATURE_HASH,
        Market::ListingCancelled::SIGNATURE_HASH,
        Market::Sold::SIGNATURE_HASH,
        Market::Gifted::SIGNATURE_HASH,
        Market::Payout::SIGNATURE_HASH,
        Market::HoldingPeriodSet::SIGNATURE_HASH,
        Licences::LicenceOffered::SIGNATURE_HASH,
        Licences::LicenceOfferRevoked::SIGNATURE_HASH,
        Licences::LicenceAccepted::SIGNATURE_HASH,
        Consortium::RoleGranted::SIGNATURE_HASH,
        Consortium::RoleSuspended::SIGNATURE_HASH,
        Consortium::RoleReinstated::SIGNATURE_HASH,
        Consortium::CouncilAdded::SIGNATURE_HASH,
        Consortium::CouncilRemoved::SIGNATURE_HASH,
        Reviews::ReviewRequested::SIGNATURE_HASH,
        Reviews::ReviewDecided::SIGNATURE_HASH,
        Reviews::ReviewWithdrawn::SIGNATURE_HASH,
        Endorsements::EndorsementRequested::SIGNATURE_HASH,
        Endorsements::EndorsementApproved::SIGNATURE_HASH,
        Endorsements::EndorsementRejected::SIGNATURE_HASH,
        Endorsements::EndorsementWithdrawn::SIGNATURE_HASH,
    ]
}

/// The contracts whose logs the indexer reads.
pub fn followed_addresses(deployment: &Deployment) -> Vec<Address> {
    let mut addresses = vec![
        deployment.works,
        deployment.market,
        deployment.licences,
        deployment.consortium,
    ];
    if deployment.has_reviews() {
        addresses.push(deployment.reviews);
    }
    if deployment.endorsements != Address::ZERO {
        addresses.push(deployment.endorsements);
    }
    addresses
}

fn hex_address(a: Address) -> String {
    format!("{a:#x}")
}

fn hex_word(b: B256) -> String {
    format!("{b:#x}")
}

/// A U256 id that must fit in 64 bits (work, token and offer ids do by construction).
fn id(value: U256, what: &'static str) -> Result<u64, IndexerError> {
    u64::try_from(value)
        .map_err(|_| IndexerError::Decode(format!("{what} {value} exceeds 64 bits")))
}

/// An amount of credit in cents. Larger than `i64::MAX` cannot be paid (the supply is far
/// smaller), so it is clamped and the catalog shows it as the maximum.
fn cents(value: U256) -> i64 {
    i64::try_from(I256::try_from(value).unwrap_or(I256::MAX)).unwrap_or(i64::MAX)
}

fn decode_as<E: SolEvent>(data: &LogData) -> Result<E, IndexerError> {
    E::decode_log_data(data).map_err(|e| IndexerError::Decode(format!("{}: {e}", E::SIGNATURE)))
}

/// Decodes one log; `Ok(None)` for logs of other contracts or events the catalog ignores.
pub fn decode_log(
    deployment: &Deployment,
    address: Address,
    data: &LogData,
) -> Result<Option<CatalogEvent>, IndexerError> {
    let Some(topic) = data.topics().first().copied() else {
        return Ok(None);
    };
    let event = if address == deployment.works {
        decode_works(topic, data)?
    } else if address == deployment.market || address == deployment.licences {
        decode_market(topic, data)?
    } else if address == deployment.consortium {
        decode_consortium(topic, data)?
    } else if deployment.has_reviews() && address == deployment.reviews {
        decode_reviews(topic, data)?
    } else if deployment.endorsements != Address::ZERO && address == deployment.endorsements {
        decode_endorsements(topic, data)?
    } else {
        None
    };
    Ok(event)
}

fn decode_works(topic: B256, data: &LogData) -> Result<Option<CatalogEvent>, IndexerError> {
    Ok(Some(match topic {
        Works::WorkRegistered::SIGNATURE_HASH => {
            let e: Works::WorkRegistered = decode_as(data)?;
            CatalogEvent::WorkRegistered {
                work_id: id(e.workId, "work id")?,
                content_hash: hex_word(e.contentHash),
                creator: hex_address(e.creator),
                issuer: hex_address(e.issuer),
                metadata_hash: hex_word(e.metadataHash),
                metadata_cid: e.metadataCid,
                max_editions: e.maxEditions,
                royalty_bps: e.royaltyBps,
            }
        }
        Works::EditionMinted::SIGNATURE_HASH => {
            let e: Works::EditionMinted = decode_as(data)?;
            CatalogEvent::EditionMinted {
                work_id: id(e.workId, "work id")?,
                token_id: id(e.tokenId, "token id")?,
                edition: e.edition,
                to: hex_address(e.to),
            }
        }
        Works::Frozen::SIGNATURE_HASH => {
            let e: Works::Frozen = decode_as(data)?;
            CatalogEvent::Frozen {
                work_id: id(e.workId, "work id")?,
                reason: e.reason,
                by: hex_address(e.by),
            }
        }
        Works::Unfrozen::SIGNATURE_HASH => {
            let e: Works::Unfrozen = decode_as(data)?;
            CatalogEvent::Unfrozen {
                work_id: id(e.workId, "work id")?,
                by: hex_address(e.by),
            }
        }
        Works::MetadataUpdate::SIGNATURE_HASH => {
            let e: Works::MetadataUpdate = decode_as(data)?;
            let token = id(e._tokenId, "token id")?;
            CatalogEvent::MetadataUpdate {
                from_token: token,
                to_token: token,
            }
        }
        Works::BatchMetadataUpdate::SIGNATURE_HASH => {
            let e: Works::BatchMetadataUpdate = decode_as(data)?;
            CatalogEvent::MetadataUpdate {
                from_token: id(e._fromTokenId, "token id")?,
                to_token: id(e._toTokenId, "token id")?,
            }
        }
        _ => return Ok(None),
    }))
}

fn decode_market(topic: B256, data: &LogData) -> Result<Option<CatalogEvent>, IndexerError> {
    Ok(Some(match topic {
        Market::Listed::SIGNATURE_HASH => {
            let e: Market::Listed = decode_as(data)?;
            CatalogEvent::Listed {
                token_id: id(e.tokenId, "token id")?,
                seller: hex_address(e.seller),
                price: cents(e.price),
            }
        }
        Market::ListingCancelled::SIGNATURE_HASH => {
            let e: Market::ListingCancelled = decode_as(data)?;
            CatalogEvent::ListingCancelled {
                token_id: id(e.tokenId, "token id")?,
                seller: hex_address(e.seller),
            }
        }
        Market::Sold::SIGNATURE_HASH => {
            let e: Market::Sold = decode_as(data)?;
            CatalogEvent::Sold {
                token_id: id(e.tokenId, "token id")?,
                seller: hex_address(e.seller),
                buyer: hex_address(e.buyer),
                price: cents(e.price),
                royalty: cents(e.royalty),
                fee: cents(e.fee),
            }
        }
        Market::Gifted::SIGNATURE_HASH => {
            let e: Market::Gifted = decode_as(data)?;
            CatalogEvent::Gifted {
                token_id: id(e.tokenId, "token id")?,
                from: hex_address(e.from),
                to: hex_address(e.to),
            }
        }
        Market::Payout::SIGNATURE_HASH => {
            let e: Market::Payout = decode_as(data)?;
            CatalogEvent::Payout {
                token_id: id(e.tokenId, "token id")?,
                to: hex_address(e.to),
                kind: e.kind,
                amount: cents(e.amount),
                held: e.held,
            }
        }
        Market::HoldingPeriodSet::SIGNATURE_HASH => {
            let e: Market::HoldingPeriodSet = decode_as(data)?;
            CatalogEvent::HoldingPeriodSet {
                seconds: e.holdingPeriod,
            }
        }
        Licences::LicenceOffered::SIGNATURE_HASH => {
            let e: Licences::LicenceOffered = decode_as(data)?;
            CatalogEvent::LicenceOffered {
                offer_id: id(e.offerId, "offer id")?,
                token_id: id(e.tokenId, "token id")?,
                licensee: hex_address(e.licensee),
                holder: hex_address(e.holder),
                kind: e.kind,
                scope_hash: hex_word(e.scopeHash),
                duration: e.duration,
                fee: cents(e.fee),
            }
        }
        Licences::LicenceOfferRevoked::SIGNATURE_HASH => {
            let e: Licences::LicenceOfferRevoked = decode_as(data)?;
            CatalogEvent::LicenceOfferRevoked {
                offer_id: id(e.offerId, "offer id")?,
                token_id: id(e.tokenId, "token id")?,
            }
        }
        Licences::LicenceAccepted::SIGNATURE_HASH => {
            let e: Licences::LicenceAccepted = decode_as(data)?;
            CatalogEvent::LicenceAccepted {
                offer_id: id(e.offerId, "offer id")?,
                token_id: id(e.tokenId, "token id")?,
                licensee: hex_address(e.licensee),
                starts: e.starts,
                expires: e.expires,
                fee: cents(e.fee),
            }
        }
        _ => return Ok(None),
    }))
}

fn decode_reviews(topic: B256, data: &LogData) -> Result<Option<CatalogEvent>, IndexerError> {
    Ok(Some(match topic {
        Reviews::ReviewRequested::SIGNATURE_HASH => {
            let e: Reviews::ReviewRequested = decode_as(data)?;
            CatalogEvent::ReviewRequested {
                request_id: id(e.requestId, "review request id")?,
                content_hash: hex_word(e.contentHash),
                issuer: hex_address(e.issuer),
                creator: hex_address(e.creator),
                metadata_hash: hex_word(e.metadataHash),
                metadata_cid: e.metadataCid,
                matched_works: e
                    .matchedWorks
                    .into_iter()
                    .map(|w| id(w, "matched work id"))
                    .collect::<Result<_, _>>()?,
                distances: e.distances,
            }
        }
        Reviews::ReviewDecided::SIGNATURE_HASH => {
            let e: Reviews::ReviewDecided = decode_as(data)?;
            CatalogEvent::ReviewDecided {
                request_id: id(e.requestId, "review request id")?,
                content_hash: hex_word(e.contentHash),
                approved: e.approved,
                by: hex_address(e.by),
                reason: e.reason,
            }
        }
        Reviews::ReviewWithdrawn::SIGNATURE_HASH => {
            let e: Reviews::ReviewWithdrawn = decode_as(data)?;
            CatalogEvent::ReviewWithdrawn {
                request_id: id(e.requestId, "review request id")?,
                content_hash: hex_word(e.contentHash),
            }
        }
        _ => return Ok(None),
    }))
}

fn decode_endorsements(topic: B256, data: &LogData) -> Result<Option<CatalogEvent>, IndexerError> {
    const WHAT: &str = "endorsement request id";
    Ok(Some(match topic {
        Endorsements::EndorsementRequested::SIGNATURE_HASH => {
            let e: Endorsements::EndorsementRequested = decode_as(data)?;
            CatalogEvent::EndorsementRequested {
                request_id: id(e.requestId, WHAT)?,
                content_hash: hex_word(e.contentHash),
                creator: hex_address(e.creator),
                issuer: hex_address(e.issuer),
                metadata_hash: hex_word(e.work.metadataHash),
                metadata_cid: e.work.metadataCid,
                max_editions: e.work.maxEditions,
                royalty_bps: e.work.royaltyBps,
                splits: e
                    .work
                    .splits
                    .into_iter()
                    .map(|s| (hex_address(s.payee), s.bps))
                    .collect(),
            }
        }
        Endorsements::EndorsementApproved::SIGNATURE_HASH => {
            let e: Endorsements::EndorsementApproved = decode_as(data)?;
            CatalogEvent::EndorsementApproved {
                request_id: id(e.requestId, WHAT)?,
                content_hash: hex_word(e.contentHash),
                issuer: hex_address(e.issuer),
                nonce: hex_word(B256::from(e.nonce)),
                deadline: u64::try_from(e.deadline).unwrap_or(u64::MAX),
                signature: format!("{}", e.signature),
            }
        }
        Endorsements::EndorsementRejected::SIGNATURE_HASH => {
            let e: Endorsements::EndorsementRejected = decode_as(data)?;
            CatalogEvent::EndorsementRejected {
                request_id: id(e.requestId, WHAT)?,
                content_hash: hex_word(e.contentHash),
                issuer: hex_address(e.issuer),
                reason: e.reason,
            }
        }
        Endorsements::EndorsementWithdrawn::SIGNATURE_HASH => {
            let e: Endorsements::EndorsementWithdrawn = decode_as(data)?;
            CatalogEvent::EndorsementWithdrawn {
                request_id: id(e.requestId, WHAT)?,
                content_hash: hex_word(e.contentHash),
            }
        }
        _ => return Ok(None),
    }))
}

fn decode_consortium(topic: B256, data: &LogData) -> Result<Option<CatalogEvent>, IndexerError> {
    Ok(Some(match topic {
        Consortium::RoleGranted::SIGNATURE_HASH => {
            let e: Consortium::RoleGranted = decode_as(data)?;
            CatalogEvent::RoleGranted {
                role: e.role,
                account: hex_address(e.account),
                attested_by: hex_address(e.attestedBy),
                by: hex_address(e.by),
            }
        }
        Consortium::RoleSuspended::SIGNATURE_HASH => {
            let e: Consortium::RoleSuspended = decode_as(data)?;
            CatalogEvent::RoleSuspended {
                role: e.role,
                account: hex_address(e.account),
                reason: e.reason,
                by: hex_address(e.by),
            }
        }
        Consortium::RoleReinstated::SIGNATURE_HASH => {
            let e: Consortium::RoleReinstated = decode_as(data)?;
            CatalogEvent::RoleReinstated {
                role: e.role,
                account: hex_address(e.account),
                by: hex_address(e.by),
            }
        }
        Consortium::CouncilAdded::SIGNATURE_HASH => {
            let e: Consortium::CouncilAdded = decode_as(data)?;
            CatalogEvent::CouncilAdded {
                account: hex_address(e.account),
                by: hex_address(e.by),
            }
        }
        Consortium::CouncilRemoved::SIGNATURE_HASH => {
            let e: Consortium::CouncilRemoved = decode_as(data)?;
            CatalogEvent::CouncilRemoved {
                account: hex_address(e.account),
                by: hex_address(e.by),
            }
        }
        _ => return Ok(None),
    }))
}
