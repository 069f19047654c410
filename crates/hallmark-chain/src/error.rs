//! Typed errors: every custom error of the contracts decoded from revert data, plus the ways a
//! chain call can fail before or after it reaches a contract.

use std::path::PathBuf;

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::sol_types::SolInterface;
use hallmark_domain::ErrorCode;

use crate::bindings::HallmarkErrors::HallmarkErrorsErrors as Raw;
use crate::deploy::credit_text;
use crate::role::Role;
use crate::time::format_utc;
use crate::types::ReviewStatus;

/// A failed chain operation. Contract rules come back as their own variant (decoded from the
/// revert data); [`ChainError::code`] gives a stable code for the UI, `Display` a sentence a user
/// can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    // ---- roles ----
    /// The account is not an active (real-name verified, unsuspended) member.
    #[error(
        "{account} is not an active member of the consortium (real-name verification is required)"
    )]
    NotMember {
        /// The account.
        account: Address,
    },
    /// The account is not an active issuer.
    #[error(
        "{account} is not an active issuer, so it cannot mint, sign mint vouchers or submit mints for review"
    )]
    NotIssuer {
        /// The account.
        account: Address,
    },
    /// The account is not an active reviewer.
    #[error("{account} is not an active reviewer")]
    NotReviewer {
        /// The account.
        account: Address,
    },
    /// The account is not on the council.
    #[error("{account} is not on the council; only the council can do this")]
    NotCouncil {
        /// The account.
        account: Address,
    },
    /// Only the consortium's governance (a council majority, after the time lock) may do this.
    #[error(
        "{account} cannot do this alone: it is a power of the council as a whole. Propose it (`hallmark council propose`); it runs once a majority of the council approved it and the time lock has passed"
    )]
    NotGovernance {
        /// The account that tried.
        account: Address,
    },
    /// A council proposal cannot take this step now (see the sentence).
    #[error("{reason}")]
    Proposal {
        /// What is wrong, in words.
        reason: String,
    },
    /// The role was already granted to the account.
    #[error("{account} already holds the {role} role")]
    AlreadyGranted {
        /// The role.
        role: Role,
        /// The account.
        account: Address,
    },
    /// The role was never granted to the account.
    #[error("{account} does not hold the {role} role")]
    NotGranted {
        /// The role.
        role: Role,
        /// The account.
        account: Address,
    },
    /// The grant is already suspended.
    #[error("the {role} role of {account} is already suspended")]
    AlreadySuspended {
        /// The role.
        role: Role,
        /// The account.
        account: Address,
    },
    /// The grant is not suspended.
    #[error("the {role} role of {account} is not suspended")]
    NotSuspended {
        /// The role.
        role: Role,
        /// The account.
        account: Address,
    },
    /// The account is already on the council.
    #[error("{account} is already on the council")]
    AlreadyCouncil {
        /// The account.
        account: Address,
    },
    /// The last council account cannot be removed.
    #[error("the last council account cannot be removed")]
    LastCouncilMember,
    /// A grant needs the hash of an identity attestation.
    #[error("a role grant needs the salted hash of the identity attestation")]
    MissingAttestation,
    /// Suspensions and freezes need a non-zero reason code; review decisions a written reason.
    #[error("a reason is required (a reason code, or a written reason for a review decision)")]
    MissingReason,

    // ---- works ----
    /// The exact content was registered before.
    #[error(
        "this content is already registered as work {work_id} (token {first_token_id}) since {}",
        format_utc(*registered_at)
    )]
    ContentAlreadyRegistered {
        /// The work registered first.
        work_id: U256,
        /// Its first edition.
        first_token_id: U256,
        /// When it was registered (unix seconds).
        registered_at: u64,
    },
    /// Every edition of the work was minted.
    #[error("all {max_editions} editions of work {work_id} are minted")]
    EditionsExhausted {
        /// The work.
        work_id: U256,
        /// N.
        max_editions: u32,
    },
    /// N must be between 1 and the contract's maximum.
    #[error("{max_editions} is not a valid number of editions (1 to 10000)")]
    InvalidEditions {
        /// The requested N.
        max_editions: u32,
    },
    /// The royalty is above the contract's maximum.
    #[error("a royalty of {bps} basis points is above the 5000 maximum")]
    InvalidRoyalty {
        /// The requested royalty.
        bps: u16,
    },
    /// The royalty splits are not 1..8 distinct payees with shares summing to 10000.
    #[error("royalty splits must be 1 to 8 distinct payees whose shares add up to 10000")]
    InvalidSplits,
    /// The content hash is zero.
    #[error("the content hash is missing")]
    EmptyContentHash,
    /// The metadata hash or CID is missing.
    #[error("the metadata hash or CID is missing")]
    EmptyMetadata,
    /// No work has this id.
    #[error("there is no work {work_id}")]
    UnknownWork {
        /// The work id.
        work_id: U256,
    },
    /// No token has this id.
    #[error("there is no token {token_id}")]
    UnknownToken {
        /// The token id.
        token_id: U256,
    },
    /// Only the work's creator (a member) or the issuer that registered it mints its editions.
    #[error("{account} neither created nor issued work {work_id}, so it cannot mint its editions")]
    NotWorkIssuer {
        /// The work.
        work_id: U256,
        /// The caller.
        account: Address,
    },
    /// The work is frozen by a reviewer.
    #[error("work {work_id} is frozen by review (reason {reason}); it cannot change hands")]
    WorkFrozen {
        /// The work.
        work_id: U256,
        /// The review reason code.
        reason: u16,
    },
    /// The work is not frozen.
    #[error("work {work_id} is not frozen")]
    NotFrozen {
        /// The work.
        work_id: U256,
    },
    /// Tokens change hands only through the market.
    #[error("works change hands only through the Hallmark market (sale or gift)")]
    TransfersOnlyThroughMarket,
    /// Only the market contract moves tokens.
    #[error("{account} is not the market contract")]
    NotMarket {
        /// The caller.
        account: Address,
    },
    /// The mint voucher's deadline passed.
    #[error("the mint voucher expired at {}", format_utc(*deadline))]
    VoucherExpired {
        /// Its deadline (unix seconds).
        deadline: u64,
    },
    /// The voucher nonce was used or cancelled.
    #[error("voucher {nonce} of issuer {issuer} was already used or cancelled")]
    VoucherNonceUsed {
        /// The signing issuer.
        issuer: Address,
        /// The nonce.
        nonce: U256,
    },
    /// Only the creator named in a voucher can submit it.
    #[error("only the creator {creator} named in the voucher can submit it")]
    VoucherNotForSender {
        /// The creator.
        creator: Address,
    },
    /// A signature does not parse.
    #[error("the signature is malformed")]
    InvalidSignature,

    // ---- market ----
    /// The holder must keep the token until `until`.
    #[error("the holding period runs until {}; the work can change hands after that", format_utc(*until))]
    HoldingPeriod {
        /// When the token becomes transferable (unix seconds).
        until: u64,
    },
    /// The token has no active listing (never listed, cancelled, sold, or changed hands).
    #[error("token {token_id} is not listed for sale")]
    NotListed {
        /// The token.
        token_id: U256,
    },
    /// The account does not hold the token.
    #[error("{account} does not hold token {token_id}")]
    NotHolder {
        /// The account.
        account: Address,
        /// The token.
        token_id: U256,
    },
    /// Another issuer put this content up for review: it is theirs to register while the request
    /// is open or approved.
    #[error(
        "these exact bytes are under review (request {request_id}) for issuer {issuer}, who alone may register them while the request is open or approved"
    )]
    ContentUnderReview {
        /// The review request.
        request_id: U256,
        /// The issuer that submitted it.
        issuer: Address,
    },
    /// A price must be positive.
    #[error("the price must be more than zero")]
    InvalidPrice,
    /// The royalty and platform fee, each rounded up to a whole unit, would take the whole price.
    #[error(
        "a price of {} credits cannot pay the royalty and the platform fee ({} credits together, each rounded up to 0.01): ask more",
        credit_text(*price),
        credit_text(*owed)
    )]
    PriceTooLow {
        /// The price (units of 0.01 credit).
        price: U256,
        /// Royalty plus fee (units).
        owed: U256,
    },
    /// The platform fee is above the cap.
    #[error("a platform fee of {fee_bps} basis points is above the {max_bps} cap")]
    FeeTooHigh {
        /// The requested fee.
        fee_bps: u16,
        /// The cap.
        max_bps: u16,
    },
    /// The holding period is above the cap.
    #[error("a holding period of {seconds} s is above the {max_seconds} s cap")]
    HoldingPeriodTooLong {
        /// The requested period.
        seconds: u64,
        /// The cap.
        max_seconds: u64,
    },
    /// Buying from or gifting to oneself.
    #[error("you cannot buy from or gift to yourself")]
    SelfTrade,
    /// The listing's price is not the one the buyer confirmed (re-listed, or a stale view).
    #[error(
        "the price is now {} credits, not the {} you confirmed; nothing was paid",
        credit_text(*listed),
        credit_text(*stated)
    )]
    PriceMismatch {
        /// The listing's price when the transaction ran.
        listed: U256,
        /// The price the buyer confirmed.
        stated: U256,
    },
    /// No payout is held for the caller.
    #[error("no held payout to claim")]
    NothingToClaim,

    // ---- licences ----
    /// No licence offer has this id.
    #[error("there is no licence offer {offer_id}")]
    UnknownOffer {
        /// The offer id.
        offer_id: U256,
    },
    /// The offer names another licensee.
    #[error("licence offer {offer_id} is made to {licensee}, not to you")]
    OfferNotForYou {
        /// The offer.
        offer_id: U256,
        /// Its licensee.
        licensee: Address,
    },
    /// The offer was accepted or revoked.
    #[error("licence offer {offer_id} was already accepted or revoked")]
    OfferClosed {
        /// The offer.
        offer_id: U256,
    },
    /// The token changed hands since the offer.
    #[error("licence offer {offer_id} is void: the work changed hands since it was made")]
    OfferVoid {
        /// The offer.
        offer_id: U256,
    },
    /// Another licence is active.
    #[error("token {token_id} is licensed until {}", format_utc(*expires))]
    LicenceActive {
        /// The token.
        token_id: U256,
        /// When the active licence ends (unix seconds).
        expires: u64,
    },
    /// The licence duration is out of range.
    #[error("a licence of {seconds} s is not allowed (1 s to 10 years)")]
    InvalidDuration {
        /// The requested duration.
        seconds: u64,
    },
    /// A holder cannot license to themselves.
    #[error("you cannot license a work to yourself")]
    SelfLicence,

    /// The offer's fee is not the one the licensee confirmed.
    #[error(
        "the offer's fee is {} credits, not the {} you confirmed; nothing was paid",
        credit_text(*fee),
        credit_text(*stated)
    )]
    FeeMismatch {
        /// The offer's fee.
        fee: U256,
        /// The fee the licensee confirmed.
        stated: U256,
    },

    // ---- credit ----
    /// Credit moves between accounts only through the consortium's contracts.
    #[error(
        "credit moves only through the consortium's contracts (sales, licence fees, royalties), never directly between members"
    )]
    TransfersOnlyThroughSystem {
        /// The account that tried to move credit.
        caller: Address,
    },
    /// Not enough credit.
    #[error("{account} has {balance} credit units, {needed} are needed")]
    InsufficientCredit {
        /// The payer.
        account: Address,
        /// Its balance.
        balance: U256,
        /// The amount needed.
        needed: U256,
    },
    /// The contract may not spend enough of the payer's credit.
    #[error("{spender} may spend {allowance} credit units of yours, {needed} are needed")]
    InsufficientAllowance {
        /// The spender.
        spender: Address,
        /// Its allowance.
        allowance: U256,
        /// The amount needed.
        needed: U256,
    },

    // ---- review queue ----
    /// The content already has a pending or approved review request.
    #[error("a review of this content is already open or approved (request {request_id})")]
    ReviewAlreadyOpen {
        /// The open or approved request.
        request_id: U256,
    },
    /// No review request has this id.
    #[error("there is no review request {request_id}")]
    UnknownReviewRequest {
        /// The request id.
        request_id: U256,
    },
    /// The request was already decided or withdrawn.
    #[error(
        "review request {request_id} is already {status}; only a pending request can be decided or withdrawn"
    )]
    ReviewClosed {
        /// The request.
        request_id: U256,
        /// Where it is.
        status: ReviewStatus,
    },
    /// A review request names 1 to 16 matched works, each with its distance.
    #[error(
        "a review request names 1 to 16 matched works, each with its distance ({works} works and {distances} distances given)"
    )]
    InvalidReviewMatches {
        /// Number of matched works given.
        works: u64,
        /// Number of distances given.
        distances: u64,
    },
    /// The decision reason is too long.
    #[error("a written reason of {length} bytes is above the {max} byte limit")]
    ReviewReasonTooLong {
        /// Its length in bytes (UTF-8).
        length: u64,
        /// The limit.
        max: u64,
    },
    /// Nobody decides their own case: not the submitting issuer, not the work's creator.
    #[error(
        "you submitted review request {request_id} or are the creator of its work, so another reviewer must decide it"
    )]
    SelfReview {
        /// The request.
        request_id: U256,
    },
    /// Only the submitting issuer withdraws a request.
    #[error("{account} did not submit review request {request_id}, so it cannot withdraw it")]
    NotReviewSubmitter {
        /// The request.
        request_id: U256,
        /// The caller.
        account: Address,
    },

    // ---- endorsements ----
    /// An artist asked for this content's endorsement: only they may register it, with a
    /// voucher, while the request is pending or approved.
    #[error(
        "{creator} asked for these exact bytes to be endorsed (request {request_id}): only they may register them, with an issuer's voucher, while the request is pending or approved"
    )]
    ContentAwaitingEndorsement {
        /// The endorsement request.
        request_id: U256,
        /// The artist who asked.
        creator: Address,
    },
    /// The content of an endorsement request is already registered.
    #[error("this content is already registered as work {work_id}")]
    ContentRegistered {
        /// The work.
        work_id: U256,
    },
    /// An endorsement of this content is already pending or approved.
    #[error("an endorsement of this content is already pending or approved (request {request_id})")]
    EndorsementAlreadyOpen {
        /// The open request.
        request_id: U256,
    },
    /// No endorsement request has this id.
    #[error("there is no endorsement request {request_id}")]
    UnknownEndorsement {
        /// The id asked for.
        request_id: U256,
    },
    /// The request is no longer pending.
    #[error(
        "endorsement request {request_id} is already {status}; only a pending request can be decided or withdrawn"
    )]
    EndorsementClosed {
        /// The request.
        request_id: U256,
        /// Where it is.
        status: crate::types::EndorsementStatus,
    },
    /// The artist addressed the request to another issuer.
    #[error(
        "endorsement request {request_id} is addressed to issuer {issuer}, who alone decides it"
    )]
    NotAddressedIssuer {
        /// The request.
        request_id: U256,
        /// The addressed issuer.
        issuer: Address,
    },
    /// Nobody endorses their own work, and an issuer is not asked by itself.
    #[error(
        "{account} cannot endorse its own work (an issuer registers its own works directly; an artist asks another issuer)"
    )]
    SelfEndorsement {
        /// The account.
        account: Address,
    },
    /// Only the creator asks for a work's endorsement or withdraws it.
    #[error("only the creator {creator} can ask for or withdraw this endorsement, not {account}")]
    NotCreator {
        /// The work's creator.
        creator: Address,
        /// The caller.
        account: Address,
    },
    /// The voucher is not for exactly the requested registration and nonce.
    #[error(
        "the voucher for endorsement request {request_id} is not for exactly the requested registration and nonce"
    )]
    VoucherMismatch {
        /// The request.
        request_id: U256,
    },
    /// A voucher deadline in the past or too far away.
    #[error(
        "a voucher deadline of {} is not allowed: it must be in the future and at most 30 days away",
        format_utc(*deadline)
    )]
    InvalidDeadline {
        /// The deadline asked for (unix seconds).
        deadline: u64,
    },

    // ---- other contract rejections ----
    /// A contract rule without its own variant (the error's name).
    #[error("the contract refused the call ({rule})")]
    Rejected {
        /// The Solidity error name, e.g. `ZeroAddress`.
        rule: String,
    },
    /// Revert data that matches no known error.
    #[error("the contract refused the call with unknown revert data {data}")]
    UnknownRevert {
        /// The raw revert data.
        data: Bytes,
    },
    /// A transaction was mined but reverted (e.g. the state changed after gas estimation).
    #[error("transaction {tx_hash} was mined but reverted")]
    TxReverted {
        /// The transaction.
        tx_hash: B256,
    },
    /// A kept signed transaction can never be mined: another transaction of the account used
    /// its nonce first.
    #[error(
        "transaction {tx_hash} was never mined: nonce {nonce} of the account was used by another transaction"
    )]
    NonceTaken {
        /// The kept transaction.
        tx_hash: B256,
        /// The nonce it used.
        nonce: u64,
    },

    // ---- transport, deployment, files ----
    /// The node could not be reached or answered with an error.
    #[error("the chain node did not answer: {reason}")]
    Rpc {
        /// What failed.
        reason: String,
    },
    /// The node did not answer usefully: nothing listens, it stayed silent past the timeout,
    /// the answer is not HTTP or not JSON-RPC, or an HTTP error (see [`crate::transport`]).
    #[error("the chain at {url} {}: {reason}", if .tls.is_some() { "cannot be trusted" } else { "is not reachable" })]
    Unreachable {
        /// The endpoint.
        url: String,
        /// What happened, in words.
        reason: String,
        /// The TLS problem, when the handshake failed (it has its own code).
        tls: Option<hallmark_net::TlsProblem>,
    },
    /// The node reports another chain.
    #[error("the node is on chain {actual}, expected chain {expected}")]
    ChainIdMismatch {
        /// The configured chain id.
        expected: u64,
        /// The node's chain id.
        actual: u64,
    },
    /// A contract of the deployment has no code at its address.
    #[error("{contract} is not deployed at {address} on this chain")]
    NotDeployed {
        /// The contract name.
        contract: String,
        /// The address.
        address: Address,
    },
    /// The code at a deployment's address is not this build's contract.
    #[error(
        "the code at {address} is not Hallmark's {contract} (not this build's code): the \
         deployment record or the node cannot be trusted, and nothing was signed"
    )]
    ForeignCode {
        /// The contract the record names there.
        contract: String,
        /// The address.
        address: Address,
    },
    /// The recorded suite speaks another interface than this client.
    #[error(
        "the consortium's contracts are {}, this Hallmark speaks version {expected}",
        found.map_or_else(|| "from before suite versions".to_owned(), |v| format!("version {v}"))
    )]
    OutdatedSuite {
        /// The suite's version; `None` when it has none.
        found: Option<u16>,
        /// The version this client speaks.
        expected: u16,
    },
    /// The deployment's contracts are not wired to each other as it says (a contract of another
    /// suite, or a record whose addresses were mixed).
    #[error("the deployment's contracts are not wired to each other as it says: {what}")]
    Miswired {
        /// The link that does not match, e.g. "HallmarkMarket.works() is 0x…, not HallmarkWorks 0x…".
        what: String,
    },
    /// Deploying a contract failed.
    #[error("deploying {contract} failed: {reason}")]
    Deploy {
        /// The contract name.
        contract: String,
        /// Why.
        reason: String,
    },
    /// A deployment file could not be read or written.
    #[error("cannot use {}: {reason}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// An input was refused before it reached the chain.
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// Why.
        reason: String,
    },
    /// Signing failed.
    #[error("signing failed: {reason}")]
    Signing {
        /// Why.
        reason: String,
    },
}

impl ChainError {
    /// A stable machine-readable code, e.g. `chain.holding_period`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotMember { .. } => ErrorCode::ChainNotMember,
            Self::NotIssuer { .. } => ErrorCode::ChainNotIssuer,
            Self::NotReviewer { .. } => ErrorCode::ChainNotReviewer,
            Self::NotCouncil { .. } => ErrorCode::ChainNotCouncil,
            Self::NotGovernance { .. } => ErrorCode::ChainNotGovernance,
            Self::Proposal { .. } => ErrorCode::ChainProposal,
            Self::AlreadyGranted { .. } => ErrorCode::ChainAlreadyGranted,
            Self::NotGranted { .. } => ErrorCode::ChainNotGranted,
            Self::AlreadySuspended { .. } => ErrorCode::ChainAlreadySuspended,
            Self::NotSuspended { .. } => ErrorCode::ChainNotSuspended,
            Self::AlreadyCouncil { .. } => ErrorCode::ChainAlreadyCouncil,
            Self::LastCouncilMember => ErrorCode::ChainLastCouncilMember,
            Self::MissingAttestation => ErrorCode::ChainMissingAttestation,
            Self::MissingReason => ErrorCode::ChainMissingReason,
            Self::ContentAlreadyRegistered { .. } => ErrorCode::ChainContentAlreadyRegistered,
            Self::EditionsExhausted { .. } => ErrorCode::ChainEditionsExhausted,
            Self::InvalidEditions { .. } => ErrorCode::ChainInvalidEditions,
            Self::InvalidRoyalty { .. } => ErrorCode::ChainInvalidRoyalty,
            Self::InvalidSplits => ErrorCode::ChainInvalidSplits,
            Self::EmptyContentHash => ErrorCode::ChainEmptyContentHash,
            Self::EmptyMetadata => ErrorCode::ChainEmptyMetadata,
            Self::UnknownWork { .. } => ErrorCode::ChainUnknownWork,
            Self::UnknownToken { .. } => ErrorCode::ChainUnknownToken,
            Self::NotWorkIssuer { .. } => ErrorCode::ChainNotWorkIssuer,
            Self::WorkFrozen { .. } => ErrorCode::ChainWorkFrozen,
            Self::NotFrozen { .. } => ErrorCode::ChainNotFrozen,
            Self::TransfersOnlyThroughMarket => ErrorCode::ChainTransfersOnlyThroughMarket,
            Self::NotMarket { .. } => ErrorCode::ChainNotMarket,
            Self::VoucherExpired { .. } => ErrorCode::ChainVoucherExpired,
            Self::VoucherNonceUsed { .. } => ErrorCode::ChainVoucherNonceUsed,
            Self::VoucherNotForSender { .. } => ErrorCode::ChainVoucherNotForSender,
            Self::InvalidSignature => ErrorCode::ChainInvalidSignature,
            Self::HoldingPeriod { .. } => ErrorCode::ChainHoldingPeriod,
            Self::NotListed { .. } => ErrorCode::ChainNotListed,
            Self::NotHolder { .. } => ErrorCode::ChainNotHolder,
            Self::InvalidPrice => ErrorCode::ChainInvalidPrice,
            Self::ContentUnderReview { .. } => ErrorCode::ChainContentUnderReview,
            Self::PriceTooLow { .. } => ErrorCode::ChainPriceTooLow,
            Self::FeeTooHigh { .. } => ErrorCode::ChainFeeTooHigh,
            Self::HoldingPeriodTooLong { .. } => ErrorCode::ChainHoldingPeriodTooLong,
            Self::SelfTrade => ErrorCode::ChainSelfTrade,
            Self::PriceMismatch { .. } => ErrorCode::ChainPriceMismatch,
            Self::FeeMismatch { .. } => ErrorCode::ChainFeeMismatch,
            Self::TransfersOnlyThroughSystem { .. } => ErrorCode::ChainCreditOnlyThroughContracts,
            Self::NothingToClaim => ErrorCode::ChainNothingToClaim,
            Self::UnknownOffer { .. } => ErrorCode::ChainUnknownOffer,
            Self::OfferNotForYou { .. } => ErrorCode::ChainOfferNotForYou,
            Self::OfferClosed { .. } => ErrorCode::ChainOfferClosed,
            Self::OfferVoid { .. } => ErrorCode::ChainOfferVoid,
            Self::LicenceActive { .. } => ErrorCode::ChainLicenceActive,
            Self::InvalidDuration { .. } => ErrorCode::ChainInvalidDuration,
            Self::SelfLicence => ErrorCode::ChainSelfLicence,
            Self::InsufficientCredit { .. } => ErrorCode::ChainInsufficientCredit,
            Self::InsufficientAllowance { .. } => ErrorCode::ChainInsufficientAllowance,
            Self::ReviewAlreadyOpen { .. } => ErrorCode::ChainReviewAlreadyOpen,
            Self::UnknownReviewRequest { .. } => ErrorCode::ChainReviewUnknownRequest,
            Self::ReviewClosed { .. } => ErrorCode::ChainReviewClosed,
            Self::InvalidReviewMatches { .. } => ErrorCode::ChainReviewInvalidMatches,
            Self::ReviewReasonTooLong { .. } => ErrorCode::ChainReviewReasonTooLong,
            Self::SelfReview { .. } => ErrorCode::ChainReviewSelfReview,
            Self::NotReviewSubmitter { .. } => ErrorCode::ChainReviewNotSubmitter,
            Self::ContentAwaitingEndorsement { .. } => ErrorCode::ChainContentAwaitingEndorsement,
            Self::ContentRegistered { .. } => ErrorCode::ChainContentAlreadyRegistered,
            Self::EndorsementAlreadyOpen { .. } => ErrorCode::ChainEndorsementAlreadyOpen,
            Self::UnknownEndorsement { .. } => ErrorCode::ChainEndorsementUnknown,
            Self::EndorsementClosed { .. } => ErrorCode::ChainEndorsementClosed,
            Self::NotAddressedIssuer { .. } => ErrorCode::ChainEndorsementNotAddressed,
            Self::SelfEndorsement { .. } => ErrorCode::ChainEndorsementSelf,
            Self::NotCreator { .. } => ErrorCode::ChainEndorsementNotCreator,
            Self::VoucherMismatch { .. } => ErrorCode::ChainEndorsementVoucherMismatch,
            Self::InvalidDeadline { .. } => ErrorCode::ChainEndorsementInvalidDeadline,
            Self::Rejected { .. } => ErrorCode::ChainRejected,
            Self::UnknownRevert { .. } => ErrorCode::ChainUnknownRevert,
            Self::TxReverted { .. } => ErrorCode::ChainTxReverted,
            Self::NonceTaken { .. } => ErrorCode::ChainNonceTaken,
            Self::Rpc { .. } => ErrorCode::ChainRpc,
            Self::Unreachable {
                tls: Some(problem), ..
            } => problem.code(),
            Self::Unreachable { .. } => ErrorCode::ChainUnavailable,
            Self::ChainIdMismatch { .. } => ErrorCode::ChainChainIdMismatch,
            Self::NotDeployed { .. } => ErrorCode::ChainNotDeployed,
            Self::ForeignCode { .. } => ErrorCode::ChainForeignCode,
            Self::OutdatedSuite { .. } => ErrorCode::ChainOutdatedSuite,
            Self::Miswired { .. } => ErrorCode::ChainMiswired,
            Self::Deploy { .. } => ErrorCode::ChainDeploy,
            Self::File { .. } => ErrorCode::ChainFile,
            Self::InvalidInput { .. } => ErrorCode::ChainInvalidInput,
            Self::Signing { .. } => ErrorCode::ChainSigning,
        }
    }

    /// Decodes revert data returned by any Hallmark contract.
    pub fn from_revert_data(data: &[u8]) -> Self {
        match Raw::abi_decode(data) {
            Ok(raw) => Self::from(raw),
            Err(_) => Self::UnknownRevert {
                data: Bytes::copy_from_slice(data),
            },
        }
    }

    /// Turns an error of a contract call or transaction into a typed error: revert data is decoded,
    /// anything else is a transport failure.
    pub fn from_contract(err: alloy::contract::Error) -> Self {
        let transport = match &err {
            alloy::contract::Error::TransportError(e) => Some(e),
            alloy::contract::Error::PendingTransactionError(
                alloy::providers::PendingTransactionError::TransportError(e),
            ) => Some(e),
            _ => None,
        };
        if let Some(unreachable) = transport.and_then(crate::transport::node_unreachable) {
            return unreachable.clone().into();
        }
        match err.as_revert_data() {
            Some(data) => Self::from_revert_data(&data),
            None => Self::Rpc {
                reason: err.to_string(),
            },
        }
    }

    /// Turns an RPC error (e.g. from a raw provider call) into a typed error, decoding revert data.
    pub fn from_rpc(err: alloy::transports::TransportError) -> Self {
        if let Some(unreachable) = crate::transport::node_unreachable(&err) {
            return unreachable.clone().into();
        }
        match err.as_error_resp().and_then(|e| e.as_revert_data()) {
            Some(data) => Self::from_revert_data(&data),
            None => Self::Rpc {
                reason: err.to_string(),
            },
        }
    }
}

fn role_of(raw: u8) -> Role {
    Role::try_from(raw).unwrap_or(Role::Member)
}

/// A chain number as `u64`, `u64::MAX` when larger.
pub(crate) fn saturating_u64(value: U256) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

impl From<Raw> for ChainError {
    fn from(raw: Raw) -> Self {
        match raw {
            Raw::NotMember(e) => Self::NotMember { account: e.account },
            Raw::NotIssuer(e) => Self::NotIssuer { account: e.account },
            Raw::NotReviewer(e) => Self::NotReviewer { account: e.account },
            Raw::NotCouncil(e) => Self::NotCouncil { account: e.account },
            Raw::NotGovernance(e) => Self::NotGovernance { account: e.account },
            Raw::GovernanceAlreadySet(e) => Self::Miswired {
                what: format!(
                    "HallmarkConsortium.governance() is already {:#x}, and is set once only",
                    e.governance
                ),
            },
            Raw::SeatsAreNotDelegable(_) => Self::Proposal {
                reason: "a council seat votes only for its holder and cannot be delegated".into(),
            },
            Raw::GovernorInsufficientProposerVotes(e) => Self::Proposal {
                reason: format!(
                    "{:#x} held no council seat at the last block, so it cannot propose",
                    e.proposer
                ),
            },
            Raw::GovernorAlreadyCastVote(e) => Self::Proposal {
                reason: format!("{:#x} has already voted on this proposal", e.voter),
            },
            Raw::GovernorNonexistentProposal(e) => Self::Proposal {
                reason: format!("there is no council proposal {}", e.proposalId),
            },
            Raw::GovernorUnexpectedProposalState(e) => Self::Proposal {
                reason: format!(
                    "council proposal {} is {} and cannot take this step now",
                    e.proposalId,
                    crate::governance::ProposalState::from_raw(e.current).describe()
                ),
            },
            Raw::TimelockUnexpectedOperationState(_) => Self::Proposal {
                reason: "the time lock is not ready to run this proposal yet (or it already ran)"
                    .into(),
            },
            Raw::TimelockUnexecutedPredecessor(_) => Self::Proposal {
                reason: "an earlier proposal this one depends on has not run yet".into(),
            },
            Raw::AlreadyGranted(e) => Self::AlreadyGranted {
                role: role_of(e.role),
                account: e.account,
            },
            Raw::NotGranted(e) => Self::NotGranted {
                role: role_of(e.role),
                account: e.account,
            },
            Raw::AlreadySuspended(e) => Self::AlreadySuspended {
                role: role_of(e.role),
                account: e.account,
            },
            Raw::NotSuspended(e) => Self::NotSuspended {
                role: role_of(e.role),
                account: e.account,
            },
            Raw::AlreadyCouncil(e) => Self::AlreadyCouncil { account: e.account },
            Raw::LastCouncilMember(_) => Self::LastCouncilMember,
            Raw::MissingAttestation(_) => Self::MissingAttestation,
            Raw::MissingReason(_) => Self::MissingReason,
            Raw::ContentAlreadyRegistered(e) => Self::ContentAlreadyRegistered {
                work_id: e.workId,
                first_token_id: e.firstTokenId,
                registered_at: e.registeredAt,
            },
            Raw::EditionsExhausted(e) => Self::EditionsExhausted {
                work_id: e.workId,
                max_editions: e.maxEditions,
            },
            Raw::InvalidEditions(e) => Self::InvalidEditions {
                max_editions: e.maxEditions,
            },
            Raw::InvalidRoyalty(e) => Self::InvalidRoyalty { bps: e.royaltyBps },
            Raw::InvalidSplits(_) => Self::InvalidSplits,
            Raw::EmptyContentHash(_) => Self::EmptyContentHash,
            Raw::EmptyMetadata(_) => Self::EmptyMetadata,
            Raw::UnknownWork(e) => Self::UnknownWork { work_id: e.workId },
            Raw::ERC721NonexistentToken(e) => Self::UnknownToken {
                token_id: e.tokenId,
            },
            Raw::NotWorkIssuer(e) => Self::NotWorkIssuer {
                work_id: e.workId,
                account: e.account,
            },
            Raw::WorkFrozen(e) => Self::WorkFrozen {
                work_id: e.workId,
                reason: e.reason,
            },
            Raw::NotFrozen(e) => Self::NotFrozen { work_id: e.workId },
            Raw::TransfersOnlyThroughMarket(_) => Self::TransfersOnlyThroughMarket,
            Raw::NotMarket(e) => Self::NotMarket { account: e.account },
            Raw::NotLicences(_) => Self::Rejected {
                rule: "NotLicences: only the licence contract ends a listing".to_owned(),
            },
            Raw::LicencesAlreadySet(e) => Self::Miswired {
                what: format!(
                    "HallmarkMarket.licences() is already {}, and is set once only",
                    e.licences
                ),
            },
            Raw::ContentAwaitingEndorsement(e) => Self::ContentAwaitingEndorsement {
                request_id: e.requestId,
                creator: e.creator,
            },
            Raw::ContentRegistered(e) => Self::ContentRegistered { work_id: e.workId },
            Raw::EndorsementAlreadyOpen(e) => Self::EndorsementAlreadyOpen {
                request_id: e.requestId,
            },
            Raw::UnknownEndorsement(e) => Self::UnknownEndorsement {
                request_id: e.requestId,
            },
            Raw::EndorsementClosed(e) => {
                match crate::types::EndorsementStatus::try_from(e.status) {
                    Ok(status) => Self::EndorsementClosed {
                        request_id: e.requestId,
                        status,
                    },
                    Err(_) => Self::Rejected {
                        rule: "EndorsementClosed".to_owned(),
                    },
                }
            }
            Raw::NotAddressedIssuer(e) => Self::NotAddressedIssuer {
                request_id: e.requestId,
                issuer: e.issuer,
            },
            Raw::SelfEndorsement(e) => Self::SelfEndorsement { account: e.account },
            Raw::NotCreator(e) => Self::NotCreator {
                creator: e.creator,
                account: e.account,
            },
            Raw::VoucherMismatch(e) => Self::VoucherMismatch {
                request_id: e.requestId,
            },
            Raw::InvalidDeadline(e) => Self::InvalidDeadline {
                deadline: saturating_u64(e.deadline),
            },
            Raw::EndorsementsAlreadySet(e) => Self::Miswired {
                what: format!(
                    "HallmarkWorks.endorsements() is already {:#x}, and is set once only",
                    e.endorsements
                ),
            },
            Raw::VoucherExpired(e) => Self::VoucherExpired {
                deadline: u64::try_from(e.deadline).unwrap_or(u64::MAX),
            },
            Raw::VoucherNonceUsed(e) => Self::VoucherNonceUsed {
                issuer: e.issuer,
                nonce: e.nonce,
            },
            Raw::VoucherNotForSender(e) => Self::VoucherNotForSender { creator: e.creator },
            Raw::InvalidSignature(_) => Self::InvalidSignature,
            Raw::HoldingPeriod(e) => Self::HoldingPeriod { until: e.until },
            Raw::NotListed(e) => Self::NotListed {
                token_id: e.tokenId,
            },
            Raw::NotHolder(e) => Self::NotHolder {
                account: e.account,
                token_id: e.tokenId,
            },
            Raw::InvalidPrice(_) => Self::InvalidPrice,
            Raw::FeeTooHigh(e) => Self::FeeTooHigh {
                fee_bps: e.feeBps,
                max_bps: e.maxBps,
            },
            Raw::HoldingPeriodTooLong(e) => Self::HoldingPeriodTooLong {
                seconds: e.holdingPeriod,
                max_seconds: e.maxPeriod,
            },
            Raw::SelfTrade(_) => Self::SelfTrade,
            Raw::PriceMismatch(e) => Self::PriceMismatch {
                listed: e.listed,
                stated: e.stated,
            },
            Raw::FeeMismatch(e) => Self::FeeMismatch {
                fee: e.fee,
                stated: e.stated,
            },
            Raw::TransfersOnlyThroughSystem(e) => {
                Self::TransfersOnlyThroughSystem { caller: e.caller }
            }
            Raw::NothingToClaim(_) => Self::NothingToClaim,
            Raw::UnknownOffer(e) => Self::UnknownOffer {
                offer_id: e.offerId,
            },
            Raw::OfferNotForYou(e) => Self::OfferNotForYou {
                offer_id: e.offerId,
                licensee: e.licensee,
            },
            Raw::OfferClosed(e) => Self::OfferClosed {
                offer_id: e.offerId,
            },
            Raw::OfferVoid(e) => Self::OfferVoid {
                offer_id: e.offerId,
            },
            Raw::LicenceActive(e) => Self::LicenceActive {
                token_id: e.tokenId,
                expires: e.expires,
            },
            Raw::InvalidDuration(e) => Self::InvalidDuration {
                seconds: e.duration,
            },
            Raw::SelfLicence(_) => Self::SelfLicence,
            Raw::ERC20InsufficientBalance(e) => Self::InsufficientCredit {
                account: e.sender,
                balance: e.balance,
                needed: e.needed,
            },
            Raw::ERC20InsufficientAllowance(e) => Self::InsufficientAllowance {
                spender: e.spender,
                allowance: e.allowance,
                needed: e.needed,
            },
            Raw::ReviewAlreadyOpen(e) => Self::ReviewAlreadyOpen {
                request_id: e.requestId,
            },
            Raw::UnknownRequest(e) => Self::UnknownReviewRequest {
                request_id: e.requestId,
            },
            Raw::ReviewClosed(e) => match ReviewStatus::try_from(e.status) {
                Ok(status) => Self::ReviewClosed {
                    request_id: e.requestId,
                    status,
                },
                Err(_) => Self::Rejected {
                    rule: "ReviewClosed".to_owned(),
                },
            },
            Raw::InvalidMatches(e) => Self::InvalidReviewMatches {
                works: saturating_u64(e.works),
                distances: saturating_u64(e.distances),
            },
            Raw::ReasonTooLong(e) => Self::ReviewReasonTooLong {
                length: saturating_u64(e.length),
                max: saturating_u64(e.maxLength),
            },
            Raw::ContentUnderReview(e) => Self::ContentUnderReview {
                request_id: e.requestId,
                issuer: e.issuer,
            },
            Raw::ReviewsAlreadySet(e) => Self::Miswired {
                what: format!(
                    "HallmarkWorks.reviews() is already {:#x}, and is set once only",
                    e.reviews
                ),
            },
            Raw::PriceTooLow(e) => Self::PriceTooLow {
                price: e.price,
                owed: e.owed,
            },
            Raw::SelfReview(e) => Self::SelfReview {
                request_id: e.requestId,
            },
            Raw::NotSubmitter(e) => Self::NotReviewSubmitter {
                request_id: e.requestId,
                account: e.account,
            },
            other => Self::Rejected {
                rule: Raw::name_by_selector(other.selector())
                    .unwrap_or("unknown rule")
                    .to_owned(),
            },
        }
    }
}

/// Convenience: a `Result` with [`ChainError`].
pub type ChainResult<T> = Result<T, ChainError>;

impl From<crate::transport::NodeUnreachable> for ChainError {
    fn from(e: crate::transport::NodeUnreachable) -> Self {
        Self::Unreachable {
            url: e.url,
            reason: e.reason,
            tls: e.tls,
        }
    }
}

impl From<alloy::contract::Error> for ChainError {
    fn from(err: alloy::contract::Error) -> Self {
        Self::from_contract(err)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use alloy::sol_types::SolError;

    use super::*;
    use crate::bindings::HallmarkErrors;

    #[test]
    fn holding_period_decodes_with_its_deadline() {
        let data = HallmarkErrors::HoldingPeriod { until: 86_400 }.abi_encode();
        let err = ChainError::from_revert_data(&data);
        assert_eq!(err, ChainError::HoldingPeriod { until: 86_400 });
        assert_eq!(err.code(), "chain.holding_period");
        assert!(err.to_string().contains("1970-01-02 00:00:00 UTC"), "{err}");
    }

    #[test]
    fn content_already_registered_keeps_every_field() {
        let data = HallmarkErrors::ContentAlreadyRegistered {
            workId: U256::from(7),
            firstTokenId: U256::from(7_000_001u64),
            registeredAt: 1_700_000_000,
        }
        .abi_encode();
        assert_eq!(
            ChainError::from_revert_data(&data),
            ChainError::ContentAlreadyRegistered {
                work_id: U256::from(7),
                first_token_id: U256::from(7_000_001u64),
                registered_at: 1_700_000_000,
            }
        );
    }

    #[test]
    fn review_errors_decode_with_their_fields_and_codes() {
        let data = HallmarkErrors::ReviewAlreadyOpen {
            requestId: U256::from(3),
        }
        .abi_encode();
        let err = ChainError::from_revert_data(&data);
        assert_eq!(
            err,
            ChainError::ReviewAlreadyOpen {
                request_id: U256::from(3)
            }
        );
        assert_eq!(err.code(), "chain.review_already_open");
        assert!(err.to_string().contains("(request 3)"), "{err}");

        let data = HallmarkErrors::ReviewClosed {
            requestId: U256::from(4),
            status: 3,
        }
        .abi_encode();
        let err = ChainError::from_revert_data(&data);
        assert_eq!(
            err,
            ChainError::ReviewClosed {
                request_id: U256::from(4),
                status: ReviewStatus::Rejected
            }
        );
        assert_eq!(err.code(), "chain.review_closed");
        assert!(err.to_string().contains("already rejected"), "{err}");
        // A status the contract never reports for a closed request keeps the rule's name.
        let data = HallmarkErrors::ReviewClosed {
            requestId: U256::from(4),
            status: 9,
        }
        .abi_encode();
        assert_eq!(
            ChainError::from_revert_data(&data),
            ChainError::Rejected {
                rule: "ReviewClosed".into()
            }
        );

        let data = HallmarkErrors::ReasonTooLong {
            length: U256::from(501),
            maxLength: U256::from(500),
        }
        .abi_encode();
        let err = ChainError::from_revert_data(&data);
        assert_eq!(
            err,
            ChainError::ReviewReasonTooLong {
                length: 501,
                max: 500
            }
        );
        assert_eq!(err.code(), "chain.review_reason_too_long");
    }

    #[test]
    fn unknown_data_is_kept_raw() {
        let err = ChainError::from_revert_data(&[0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(err.code(), "chain.unknown_revert");
    }

    #[test]
    fn rare_rules_keep_their_name() {
        let data = HallmarkErrors::ZeroAddress {}.abi_encode();
        assert_eq!(
            ChainError::from_revert_data(&data),
            ChainError::Rejected {
                rule: "ZeroAddress".into()
            }
        );
    }
}
