//! `sol!` bindings generated from the committed solc-js artifacts in `contracts/out/`, and one
//! interface listing every custom error the contracts can revert with (decoded in one place).
#![allow(missing_docs, unreachable_pub, clippy::too_many_arguments)]

use alloy::sol;

sol!(
    #[sol(rpc, all_derives)]
    HallmarkConsortium,
    "../../contracts/out/HallmarkConsortium.json"
);
sol!(
    #[sol(rpc, all_derives)]
    HallmarkCredit,
    "../../contracts/out/HallmarkCredit.json"
);
sol!(
    #[sol(rpc, all_derives)]
    HallmarkWorks,
    "../../contracts/out/HallmarkWorks.json"
);
sol!(
    #[sol(rpc, all_derives)]
    HallmarkMarket,
    "../../contracts/out/HallmarkMarket.json"
);
sol!(
    #[sol(rpc, all_derives)]
    HallmarkLicences,
    "../../contracts/out/HallmarkLicences.json"
);
sol!(
    #[sol(rpc, all_derives)]
    HallmarkReviews,
    "../../contracts/out/HallmarkReviews.json"
);
/// HallmarkEndorsements, bound by hand: its ABI names HallmarkWorks' structs, which a binding
/// generated from the artifact would declare a second time. Its code comes from the artifact
/// through `artifact_code`.
pub mod endorsements {
    alloy::sol! {
        /// One royalty payee (`Split` of HallmarkWorks).
        #[derive(Debug, PartialEq, Eq)]
        struct Split {
            address payee;
            uint16 bps;
        }
        /// `HallmarkWorks.WorkInput`.
        #[derive(Debug, PartialEq, Eq)]
        struct WorkInput {
            bytes32 contentHash;
            bytes32 metadataHash;
            string metadataCid;
            address creator;
            uint32 maxEditions;
            uint16 royaltyBps;
            Split[] splits;
        }
        /// `HallmarkWorks.MintVoucher`.
        #[derive(Debug, PartialEq, Eq)]
        struct MintVoucher {
            WorkInput work;
            uint256 nonce;
            uint256 deadline;
        }
        /// `HallmarkEndorsements.Request`.
        #[derive(Debug, PartialEq, Eq)]
        struct Request {
            address creator;
            uint64 requestedAt;
            uint8 status;
            address issuer;
            uint64 decidedAt;
            address decidedBy;
            uint64 deadline;
            bytes32 contentHash;
            bytes32 inputHash;
        }

        /// The functions and events of HallmarkEndorsements the client uses.
        #[sol(rpc)]
        interface HallmarkEndorsements {
            event EndorsementRequested(uint256 indexed requestId, bytes32 indexed contentHash, address indexed creator, address issuer, WorkInput work);
            event EndorsementApproved(uint256 indexed requestId, bytes32 indexed contentHash, address indexed issuer, uint256 nonce, uint256 deadline, bytes signature);
            event EndorsementRejected(uint256 indexed requestId, bytes32 indexed contentHash, address indexed issuer, string reason);
            event EndorsementWithdrawn(uint256 indexed requestId, bytes32 indexed contentHash);
            function consortium() external view returns (address);
            function works() external view returns (address);
            function requestCount() external view returns (uint256);
            function latestRequestOf(bytes32 contentHash) external view returns (uint256);
            function request(WorkInput work, address issuer) external returns (uint256 requestId);
            function approve(uint256 requestId, MintVoucher voucher, bytes signature) external;
            function reject(uint256 requestId, string reason) external;
            function withdraw(uint256 requestId) external;
            function voucherNonce(uint256 requestId) external view returns (uint256);
            function endorsement(uint256 requestId) external view returns (Request r);
            function reservedFor(bytes32 contentHash) external view returns (uint256 requestId, address creator);
        }
    }
}
pub use endorsements::HallmarkEndorsements;

// The governor and the time lock are OpenZeppelin's, with large ABIs of which the client uses a
// few functions: they are bound by hand (bindings of the whole artifacts took minutes to compile),
// and their code comes from the artifacts through `artifact_code`.
sol! {
    /// The functions of HallmarkCouncil (OpenZeppelin's Governor) the client calls.
    #[sol(rpc)]
    interface HallmarkCouncil {
        event ProposalCreated(
            uint256 proposalId,
            address proposer,
            address[] targets,
            uint256[] values,
            string[] signatures,
            bytes[] calldatas,
            uint256 voteStart,
            uint256 voteEnd,
            string description
        );
        function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) external returns (uint256);
        function castVote(uint256 proposalId, uint8 support) external returns (uint256);
        function queue(uint256 proposalId) external returns (uint256);
        function execute(uint256 proposalId) external payable returns (uint256);
        function state(uint256 proposalId) external view returns (uint8);
        function proposalDetails(uint256 proposalId) external view returns (address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash);
        function proposalDetailsAt(uint256 index) external view returns (uint256 proposalId, address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash);
        function proposalCount() external view returns (uint256);
        function proposalVotes(uint256 proposalId) external view returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes);
        function proposalSnapshot(uint256 proposalId) external view returns (uint256);
        function proposalDeadline(uint256 proposalId) external view returns (uint256);
        function proposalEta(uint256 proposalId) external view returns (uint256);
        function proposalProposer(uint256 proposalId) external view returns (address);
        function quorum(uint256 timepoint) external view returns (uint256);
        function votingPeriod() external view returns (uint256);
        function setVotingPeriod(uint32 newVotingPeriod) external;
        function token() external view returns (address);
        function timelock() external view returns (address);
    }
}
sol! {
    /// The functions of HallmarkTimelock (OpenZeppelin's TimelockController) the client calls.
    #[sol(rpc)]
    interface HallmarkTimelock {
        function PROPOSER_ROLE() external view returns (bytes32);
        function hasRole(bytes32 role, address account) external view returns (bool);
        function getMinDelay() external view returns (uint256);
        function updateDelay(uint256 newDelay) external;
        function schedule(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt, uint256 delay) external;
    }
}

/// The creation (`deployed == false`) or runtime code of a contract bound by hand in this file, from its
/// committed artifact; empty for another name.
pub fn artifact_code(name: &str, deployed: bool) -> alloy::primitives::Bytes {
    let text = match name {
        "HallmarkCouncil" => include_str!("../../../contracts/out/HallmarkCouncil.json"),
        "HallmarkTimelock" => include_str!("../../../contracts/out/HallmarkTimelock.json"),
        "HallmarkEndorsements" => include_str!("../../../contracts/out/HallmarkEndorsements.json"),
        _ => return alloy::primitives::Bytes::new(),
    };
    let field = if deployed {
        "deployedBytecode"
    } else {
        "bytecode"
    };
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get(field)?.get("object")?.as_str().map(str::to_owned))
        .and_then(|hex| alloy::primitives::hex::decode(hex).ok())
        .map(alloy::primitives::Bytes::from)
        .unwrap_or_default()
}

sol! {
    /// Every custom error of the Hallmark contracts (and the OpenZeppelin errors they can raise).
    /// A test checks that each error in each artifact's ABI is listed here with the same selector.
    #[derive(Debug, PartialEq, Eq)]
    interface HallmarkErrors {
        error AccessControlBadConfirmation();
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        error AlreadyCouncil(address account);
        error AlreadyGranted(uint8 role, address account);
        error AlreadySuspended(uint8 role, address account);
        error CheckpointUnorderedInsertion();
        error ContentAlreadyRegistered(uint256 workId, uint256 firstTokenId, uint64 registeredAt);
        error ContentUnderReview(uint256 requestId, address issuer);
        error CreditTransferFailed();
        error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error ERC20InvalidApprover(address approver);
        error ERC20InvalidReceiver(address receiver);
        error ERC20InvalidSender(address sender);
        error ERC20InvalidSpender(address spender);
        error ERC5805FutureLookup(uint256 timepoint, uint48 clock);
        error ERC6372InconsistentClock();
        error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner);
        error ERC721InsufficientApproval(address operator, uint256 tokenId);
        error ERC721InvalidApprover(address approver);
        error ERC721InvalidOperator(address operator);
        error ERC721InvalidOwner(address owner);
        error ERC721InvalidReceiver(address receiver);
        error ERC721InvalidSender(address sender);
        error ERC721NonexistentToken(uint256 tokenId);
        error EditionsExhausted(uint256 workId, uint32 maxEditions);
        error EmptyContentHash();
        error EmptyMetadata();
        error FailedCall();
        error FeeMismatch(uint256 fee, uint256 stated);
        error FeeTooHigh(uint16 feeBps, uint16 maxBps);
        error GovernanceAlreadySet(address governance);
        error GovernorAlreadyCastVote(address voter);
        error GovernorAlreadyInitializedLatestProposalId();
        error GovernorAlreadyQueuedProposal(uint256 proposalId);
        error GovernorDisabledDeposit();
        error GovernorInsufficientProposerVotes(address proposer, uint256 votes, uint256 threshold);
        error GovernorInvalidProposalLength(uint256 targets, uint256 calldatas, uint256 values);
        error GovernorInvalidSignature(address voter);
        error GovernorInvalidVoteParams();
        error GovernorInvalidVoteType();
        error GovernorInvalidVotingPeriod(uint256 votingPeriod);
        error GovernorNonexistentProposal(uint256 proposalId);
        error GovernorNotQueuedProposal(uint256 proposalId);
        error GovernorOnlyExecutor(address account);
        error GovernorQueueNotImplemented();
        error GovernorRestrictedProposer(address proposer);
        error GovernorUnableToCancel(uint256 proposalId, address account);
        error GovernorUnexpectedProposalState(uint256 proposalId, uint8 current, bytes32 expectedStates);
        error HoldingPeriod(uint64 until);
        error HoldingPeriodTooLong(uint64 holdingPeriod, uint64 maxPeriod);
        error InvalidAccountNonce(address account, uint256 currentNonce);
        error InvalidDuration(uint64 duration);
        error InvalidEditions(uint32 maxEditions);
        error InvalidMatches(uint256 works, uint256 distances);
        error InvalidPrice();
        error InvalidRoyalty(uint16 royaltyBps);
        error InvalidShortString();
        error InvalidSignature();
        error InvalidSplits();
        error LastCouncilMember();
        error LicenceActive(uint256 tokenId, uint64 expires);
        error LicencesAlreadySet(address licences);
        error MissingAttestation();
        error MissingReason();
        error NotCouncil(address account);
        error NotFrozen(uint256 workId);
        error NotGovernance(address account);
        error NotGranted(uint8 role, address account);
        error NotHolder(address account, uint256 tokenId);
        error NotIssuer(address account);
        error NotLicences(address caller);
        error NotListed(uint256 tokenId);
        error NotMarket(address account);
        error NotMember(address account);
        error NotReviewer(address account);
        error NotSubmitter(uint256 requestId, address account);
        error NotSuspended(uint8 role, address account);
        error NotWorkIssuer(uint256 workId, address account);
        error NothingToClaim();
        error OfferClosed(uint256 offerId);
        error OfferNotForYou(uint256 offerId, address licensee);
        error OfferVoid(uint256 offerId);
        error PriceMismatch(uint256 listed, uint256 stated);
        error PriceTooLow(uint256 price, uint256 owed);
        error ReasonTooLong(uint256 length, uint256 maxLength);
        error ReentrancyGuardReentrantCall();
        error ReviewAlreadyOpen(uint256 requestId);
        error ReviewClosed(uint256 requestId, uint8 status);
        error ReviewsAlreadySet(address reviews);
        error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value);
        error SeatsAreNotDelegable();
        error SelfLicence();
        error SelfReview(uint256 requestId);
        error SelfTrade();
        error StringTooLong(string str);
        error TimelockInsufficientDelay(uint256 delay, uint256 minDelay);
        error TimelockInvalidOperationLength(uint256 targets, uint256 payloads, uint256 values);
        error TimelockUnauthorizedCaller(address caller);
        error TimelockUnexecutedPredecessor(bytes32 predecessorId);
        error TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates);
        error TransfersOnlyThroughMarket();
        error TransfersOnlyThroughSystem(address caller);
        error UnknownOffer(uint256 offerId);
        error UnknownRequest(uint256 requestId);
        error UnknownWork(uint256 workId);
        error VotesExpiredSignature(uint256 expiry);
        error VoucherExpired(uint256 deadline);
        error VoucherNonceUsed(address issuer, uint256 nonce);
        error VoucherNotForSender(address creator);
        error WorkFrozen(uint256 workId, uint16 reason);
        error ContentAwaitingEndorsement(uint256 requestId, address creator);
        error ContentRegistered(uint256 workId);
        error EndorsementAlreadyOpen(uint256 requestId);
        error EndorsementClosed(uint256 requestId, uint8 status);
        error EndorsementsAlreadySet(address endorsements);
        error InvalidDeadline(uint256 deadline);
        error NotAddressedIssuer(uint256 requestId, address issuer);
        error NotCreator(address creator, address account);
        error SelfEndorsement(address account);
        error UnknownEndorsement(uint256 requestId);
        error VoucherMismatch(uint256 requestId);
        error ZeroAddress();
    }
}

sol! {
    /// The EIP-712 ownership statement a holder signs (`HallmarkWorks.verifyOwnershipStatement`).
    #[derive(Debug, PartialEq, Eq)]
    struct OwnershipStatement {
        address holder;
        uint256 tokenId;
        uint256 blockNumber;
        uint256 nonce;
    }
}
