// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IHallmarkConsortium} from "./HallmarkInterfaces.sol";

/// @title HallmarkReviews
/// @notice The consortium's review queue for near-duplicate mints. Before an issuer registers a
/// work, Hallmark compares its perceptual hash with every registered work; an exact duplicate is
/// refused by HallmarkWorks, a near duplicate goes here first. The issuer submits the mint with
/// the works it resembles and their perceptual distances; a reviewer other than the submitting
/// issuer approves or rejects it with a written reason (CC0 works and remixes are legitimate).
/// One content hash has at most one open (pending) or approved request; a rejected, withdrawn or
/// expired one may be submitted again. While a request is open (at most `REQUEST_TTL` after it
/// was submitted) and for `REQUEST_TTL` after its approval, HallmarkWorks registers its content
/// only for the submitting issuer (`reservedFor`): the queue publishes the content to reviewers,
/// and another issuer who saw it cannot register it first. A request nobody decides expires, so
/// a request opened to block someone else's work holds it for `REQUEST_TTL` at the most (a
/// reviewer rejects it sooner). The matches and the metadata CID are only emitted (the queue
/// cannot verify perceptual hashes; it records who claimed what and who decided).
contract HallmarkReviews {
    /// @notice Where a request is. `None` is never stored (unknown request ids revert).
    enum Status {
        None,
        Pending,
        Approved,
        Rejected,
        Withdrawn,
        Expired
    }

    /// @notice One review request (the CID, matches and decision reason live in the events).
    struct Request {
        address issuer;
        uint64 submittedAt;
        Status status;
        address creator;
        uint64 decidedAt;
        bytes32 contentHash;
        bytes32 metadataHash;
    }

    /// @notice Upper bound of the number of matched works in one request.
    uint256 public constant MAX_MATCHES = 16;
    /// @notice Upper bound of a decision reason, in bytes (UTF-8).
    uint256 public constant MAX_REASON_BYTES = 500;
    /// @notice How long a request stays open without a decision, and how long an approval
    /// reserves its content for the submitting issuer.
    uint64 public constant REQUEST_TTL = 30 days;

    /// @notice The consortium (roles).
    IHallmarkConsortium public immutable consortium;
    /// @notice Number of requests submitted (request ids are 1..requestCount).
    uint256 public requestCount;
    /// @notice The latest request for a content hash (0 = none).
    mapping(bytes32 => uint256) public latestRequestOf;

    mapping(uint256 => Request) private _requests;

    event ReviewRequested(
        uint256 indexed requestId,
        bytes32 indexed contentHash,
        address indexed issuer,
        address creator,
        bytes32 metadataHash,
        string metadataCid,
        uint256[] matchedWorks,
        uint16[] distances
    );
    event ReviewDecided(
        uint256 indexed requestId, bytes32 indexed contentHash, bool approved, address by, string reason
    );
    event ReviewWithdrawn(uint256 indexed requestId, bytes32 indexed contentHash);

    error NotIssuer(address account);
    error NotReviewer(address account);
    error ZeroAddress();
    error EmptyContentHash();
    error EmptyMetadata();
    error InvalidMatches(uint256 works, uint256 distances);
    error ReviewAlreadyOpen(uint256 requestId);
    error UnknownRequest(uint256 requestId);
    error ReviewClosed(uint256 requestId, Status status);
    error MissingReason();
    error ReasonTooLong(uint256 length, uint256 maxLength);
    error SelfReview(uint256 requestId);
    error NotSubmitter(uint256 requestId, address account);

    constructor(IHallmarkConsortium consortium_) {
        if (address(consortium_) == address(0)) revert ZeroAddress();
        consortium = consortium_;
    }

    /// @notice An issuer puts a near-duplicate mint up for review.
    /// @param contentHash sha-256 of the exact content bytes.
    /// @param metadataHash sha-256 of the metadata document.
    /// @param metadataCid IPFS CID of the metadata document (emitted only).
    /// @param creator The creator the work would be registered for.
    /// @param matchedWorks The registered works it resembles (1..16, emitted only).
    /// @param distances The perceptual distance to each matched work (same length).
    function submit(
        bytes32 contentHash,
        bytes32 metadataHash,
        string calldata metadataCid,
        address creator,
        uint256[] calldata matchedWorks,
        uint16[] calldata distances
    ) external returns (uint256 requestId) {
        if (!consortium.isIssuer(msg.sender)) revert NotIssuer(msg.sender);
        if (contentHash == bytes32(0)) revert EmptyContentHash();
        if (metadataHash == bytes32(0) || bytes(metadataCid).length == 0) revert EmptyMetadata();
        if (creator == address(0)) revert ZeroAddress();
        uint256 n = matchedWorks.length;
        if (n == 0 || n > MAX_MATCHES || distances.length != n) {
            revert InvalidMatches(n, distances.length);
        }
        uint256 latest = latestRequestOf[contentHash];
        if (latest != 0) {
            Status s = _status(_requests[latest]);
            if (s == Status.Pending || s == Status.Approved) revert ReviewAlreadyOpen(latest);
        }
        requestId = ++requestCount;
        _requests[requestId] = Request({
            issuer: msg.sender,
            submittedAt: uint64(block.timestamp),
            status: Status.Pending,
            creator: creator,
            decidedAt: 0,
            contentHash: contentHash,
            metadataHash: metadataHash
        });
        latestRequestOf[contentHash] = requestId;
        emit ReviewRequested(
            requestId, contentHash, msg.sender, creator, metadataHash, metadataCid, matchedWorks, distances
        );
    }

    /// @notice A reviewer approves or rejects a pending request, with a written reason.
    /// The submitting issuer cannot decide its own request, even when it is also a reviewer.
    /// @param reason Why (1..500 bytes, emitted only).
    function decide(uint256 requestId, bool approve, string calldata reason) external {
        if (!consortium.isReviewer(msg.sender)) revert NotReviewer(msg.sender);
        Request storage r = _pending(requestId);
        // Nobody decides their own case: neither the issuer that submitted it nor the creator
        // the work would be registered for.
        if (r.issuer == msg.sender || r.creator == msg.sender) revert SelfReview(requestId);
        uint256 len = bytes(reason).length;
        if (len == 0) revert MissingReason();
        if (len > MAX_REASON_BYTES) revert ReasonTooLong(len, MAX_REASON_BYTES);
        r.status = approve ? Status.Approved : Status.Rejected;
        r.decidedAt = uint64(block.timestamp);
        emit ReviewDecided(requestId, r.contentHash, approve, msg.sender, reason);
    }

    /// @notice The submitting issuer withdraws its pending request (its content may be submitted
    /// again later). Allowed while the issuer role is suspended: withdrawing only closes.
    function withdraw(uint256 requestId) external {
        Request storage r = _pending(requestId);
        if (r.issuer != msg.sender) revert NotSubmitter(requestId, msg.sender);
        r.status = Status.Withdrawn;
        emit ReviewWithdrawn(requestId, r.contentHash);
    }

    /// @notice The record of a request, its status as of now (a pending request past its time
    /// is `Expired`; an approval past its time is `Expired` too, for reservations).
    function request(uint256 requestId) external view returns (Request memory r) {
        r = _requests[requestId];
        if (r.status == Status.None) revert UnknownRequest(requestId);
        r.status = _status(r);
    }

    /// @notice True when the latest request for `contentHash` was approved (and the approval
    /// has not expired).
    function isApproved(bytes32 contentHash) external view returns (bool) {
        uint256 latest = latestRequestOf[contentHash];
        return latest != 0 && _status(_requests[latest]) == Status.Approved;
    }

    /// @notice The issuer whose open or approved request holds `contentHash` (zero when none).
    function reservedFor(bytes32 contentHash) external view returns (uint256 requestId, address issuer) {
        requestId = latestRequestOf[contentHash];
        if (requestId == 0) return (0, address(0));
        Request storage r = _requests[requestId];
        Status s = _status(r);
        if (s == Status.Pending || s == Status.Approved) issuer = r.issuer;
    }

    /// @dev The stored status, with time: open and approved requests expire after REQUEST_TTL.
    function _status(Request memory r) private view returns (Status) {
        if (r.status == Status.Pending && block.timestamp > uint256(r.submittedAt) + REQUEST_TTL) {
            return Status.Expired;
        }
        if (r.status == Status.Approved && block.timestamp > uint256(r.decidedAt) + REQUEST_TTL) {
            return Status.Expired;
        }
        return r.status;
    }

    function _pending(uint256 requestId) private view returns (Request storage r) {
        r = _requests[requestId];
        if (r.status == Status.None) revert UnknownRequest(requestId);
        Status s = _status(r);
        if (s != Status.Pending) revert ReviewClosed(requestId, s);
    }
}
