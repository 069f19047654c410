// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IHallmarkConsortium, IHallmarkReviews} from "./HallmarkInterfaces.sol";
import {HallmarkWorks} from "./HallmarkWorks.sol";

/// @title HallmarkEndorsements
/// @notice Artists who are members but not issuers ask an issuer to endorse a work, and mint it
/// themselves once endorsed. The artist publishes the exact registration they want (the
/// `WorkInput` HallmarkWorks will register, with themselves as creator and the metadata already
/// on IPFS), addressed to one issuer or to any. An issuer approves it by posting the EIP-712
/// `MintVoucher` it signed for exactly that input (checked here: a voucher the artist could not
/// use is refused), or rejects it with a written reason. The artist then calls
/// `HallmarkWorks.mintWithVoucher`: the artist is the creator and first holder, the issuer is
/// recorded as the work's issuer.
/// While a request is pending (at most `REQUEST_TTL`) or approved (until its voucher's
/// deadline), HallmarkWorks registers its content only for the requesting creator, through a
/// voucher (`reservedFor`): publishing the request must not let an issuer who saw it register
/// the work as its own. Everything an installation needs (the input, the voucher, the reasons)
/// is in the events, so every member's catalog sees the requests and decisions.
contract HallmarkEndorsements {
    /// @notice Where a request is. `None` is never stored (unknown request ids revert).
    enum Status {
        None,
        Pending,
        Approved,
        Rejected,
        Withdrawn,
        Expired,
        Registered
    }

    /// @notice One endorsement request (the input, the voucher signature and the reasons live in
    /// the events).
    struct Request {
        address creator;
        uint64 requestedAt;
        Status status;
        address issuer;
        uint64 decidedAt;
        address decidedBy;
        uint64 deadline;
        bytes32 contentHash;
        bytes32 inputHash;
    }

    /// @notice Upper bound of a rejection reason, in bytes (UTF-8).
    uint256 public constant MAX_REASON_BYTES = 500;
    /// @notice How long a request stays open without a decision.
    uint64 public constant REQUEST_TTL = 30 days;
    /// @notice The longest an approval's voucher may stay valid.
    uint64 public constant MAX_VOUCHER_LIFETIME = 30 days;

    /// @notice The consortium (roles).
    IHallmarkConsortium public immutable consortium;
    /// @notice The works contract whose vouchers are endorsed here.
    HallmarkWorks public immutable works;
    /// @notice Number of requests (request ids are 1..requestCount).
    uint256 public requestCount;
    /// @notice The latest request for a content hash (0 = none).
    mapping(bytes32 => uint256) public latestRequestOf;

    mapping(uint256 => Request) private _requests;

    event EndorsementRequested(
        uint256 indexed requestId,
        bytes32 indexed contentHash,
        address indexed creator,
        address issuer,
        HallmarkWorks.WorkInput work
    );
    event EndorsementApproved(
        uint256 indexed requestId,
        bytes32 indexed contentHash,
        address indexed issuer,
        uint256 nonce,
        uint256 deadline,
        bytes signature
    );
    event EndorsementRejected(
        uint256 indexed requestId, bytes32 indexed contentHash, address indexed issuer, string reason
    );
    event EndorsementWithdrawn(uint256 indexed requestId, bytes32 indexed contentHash);

    error ZeroAddress();
    error NotMember(address account);
    error NotIssuer(address account);
    error NotCreator(address creator, address account);
    error SelfEndorsement(address account);
    error EmptyContentHash();
    error EmptyMetadata();
    error ContentRegistered(uint256 workId);
    error ContentUnderReview(uint256 requestId, address issuer);
    error EndorsementAlreadyOpen(uint256 requestId);
    error UnknownEndorsement(uint256 requestId);
    error EndorsementClosed(uint256 requestId, Status status);
    error NotAddressedIssuer(uint256 requestId, address issuer);
    error VoucherMismatch(uint256 requestId);
    error InvalidDeadline(uint256 deadline);
    error VoucherNonceUsed(address issuer, uint256 nonce);
    error InvalidSignature();
    error MissingReason();
    error ReasonTooLong(uint256 length, uint256 maxLength);

    constructor(IHallmarkConsortium consortium_, HallmarkWorks works_) {
        if (address(consortium_) == address(0) || address(works_) == address(0)) revert ZeroAddress();
        consortium = consortium_;
        works = works_;
    }

    /// @notice A member asks for an endorsement of `work`, which they are the creator of.
    /// @param issuer The issuer asked (zero: any issuer of the consortium may decide).
    function request(HallmarkWorks.WorkInput calldata work, address issuer) external returns (uint256 requestId) {
        if (!consortium.isMember(msg.sender)) revert NotMember(msg.sender);
        if (work.creator != msg.sender) revert NotCreator(work.creator, msg.sender);
        if (issuer != address(0)) {
            if (!consortium.isIssuer(issuer)) revert NotIssuer(issuer);
            if (issuer == msg.sender) revert SelfEndorsement(msg.sender);
        }
        bytes32 contentHash = work.contentHash;
        if (contentHash == bytes32(0)) revert EmptyContentHash();
        if (work.metadataHash == bytes32(0) || bytes(work.metadataCid).length == 0) revert EmptyMetadata();
        uint256 registered = works.workIdByContentHash(contentHash);
        if (registered != 0) revert ContentRegistered(registered);
        IHallmarkReviews reviews = works.reviews();
        if (address(reviews) != address(0)) {
            (uint256 reviewId, address holder) = reviews.reservedFor(contentHash);
            if (holder != address(0)) revert ContentUnderReview(reviewId, holder);
        }
        uint256 latest = latestRequestOf[contentHash];
        if (latest != 0) {
            Status s = _status(_requests[latest]);
            if (s == Status.Pending || s == Status.Approved) revert EndorsementAlreadyOpen(latest);
        }
        requestId = ++requestCount;
        _requests[requestId] = Request({
            creator: msg.sender,
            requestedAt: uint64(block.timestamp),
            status: Status.Pending,
            issuer: issuer,
            decidedAt: 0,
            decidedBy: address(0),
            deadline: 0,
            contentHash: contentHash,
            inputHash: keccak256(abi.encode(work))
        });
        latestRequestOf[contentHash] = requestId;
        emit EndorsementRequested(requestId, contentHash, msg.sender, issuer, work);
    }

    /// @notice An issuer endorses a pending request by posting the voucher it signed for exactly
    /// the requested input, with the nonce `voucherNonce(requestId)` and a deadline at most
    /// `MAX_VOUCHER_LIFETIME` away.
    function approve(uint256 requestId, HallmarkWorks.MintVoucher calldata voucher, bytes calldata signature)
        external
    {
        Request storage r = _decidable(requestId);
        if (keccak256(abi.encode(voucher.work)) != r.inputHash || voucher.nonce != voucherNonce(requestId)) {
            revert VoucherMismatch(requestId);
        }
        if (voucher.deadline <= block.timestamp || voucher.deadline > block.timestamp + MAX_VOUCHER_LIFETIME) {
            revert InvalidDeadline(voucher.deadline);
        }
        if (works.voucherNonceUsed(msg.sender, voucher.nonce)) revert VoucherNonceUsed(msg.sender, voucher.nonce);
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(works.hashMintVoucher(voucher), signature);
        if (err != ECDSA.RecoverError.NoError || signer != msg.sender) revert InvalidSignature();
        r.status = Status.Approved;
        r.decidedAt = uint64(block.timestamp);
        r.decidedBy = msg.sender;
        r.deadline = uint64(voucher.deadline);
        emit EndorsementApproved(requestId, r.contentHash, msg.sender, voucher.nonce, voucher.deadline, signature);
    }

    /// @notice An issuer declines a pending request, with a written reason (1..500 bytes).
    function reject(uint256 requestId, string calldata reason) external {
        Request storage r = _decidable(requestId);
        uint256 len = bytes(reason).length;
        if (len == 0) revert MissingReason();
        if (len > MAX_REASON_BYTES) revert ReasonTooLong(len, MAX_REASON_BYTES);
        r.status = Status.Rejected;
        r.decidedAt = uint64(block.timestamp);
        r.decidedBy = msg.sender;
        emit EndorsementRejected(requestId, r.contentHash, msg.sender, reason);
    }

    /// @notice The creator withdraws a pending request (its content may be requested again).
    function withdraw(uint256 requestId) external {
        Request storage r = _pending(requestId);
        if (r.creator != msg.sender) revert NotCreator(r.creator, msg.sender);
        r.status = Status.Withdrawn;
        emit EndorsementWithdrawn(requestId, r.contentHash);
    }

    /// @notice The voucher nonce an approval of `requestId` must carry (unique to this contract
    /// and request, so a voucher endorses one request only).
    function voucherNonce(uint256 requestId) public view returns (uint256) {
        return uint256(keccak256(abi.encode(address(this), requestId)));
    }

    /// @notice The record of a request, its status as of now.
    function endorsement(uint256 requestId) external view returns (Request memory r) {
        r = _requests[requestId];
        if (r.status == Status.None) revert UnknownEndorsement(requestId);
        r.status = _status(r);
    }

    /// @notice The creator whose pending or approved request holds `contentHash` (zero when none).
    function reservedFor(bytes32 contentHash) external view returns (uint256 requestId, address creator) {
        requestId = latestRequestOf[contentHash];
        if (requestId == 0) return (0, address(0));
        Request storage r = _requests[requestId];
        Status s = _status(r);
        if (s == Status.Pending || s == Status.Approved) creator = r.creator;
    }

    /// @dev The stored status, with time and registration: a pending request expires after
    /// REQUEST_TTL, an approval at its voucher's deadline. Content registered before then (which
    /// only the creator can do, with a voucher) makes it Registered; a registration after the
    /// expiry is not this request's and leaves it Expired.
    function _status(Request memory r) private view returns (Status) {
        if (r.status != Status.Pending && r.status != Status.Approved) return r.status;
        uint256 end = r.status == Status.Pending ? uint256(r.requestedAt) + REQUEST_TTL : r.deadline;
        uint256 workId = works.workIdByContentHash(r.contentHash);
        if (workId != 0 && works.work(workId).registeredAt <= end) return Status.Registered;
        if (block.timestamp > end) return Status.Expired;
        return r.status;
    }

    function _pending(uint256 requestId) private view returns (Request storage r) {
        r = _requests[requestId];
        if (r.status == Status.None) revert UnknownEndorsement(requestId);
        Status s = _status(r);
        if (s != Status.Pending) revert EndorsementClosed(requestId, s);
    }

    /// @dev A pending request the sender may decide: an issuer, the addressed one when the
    /// request names one, never its creator.
    function _decidable(uint256 requestId) private view returns (Request storage r) {
        if (!consortium.isIssuer(msg.sender)) revert NotIssuer(msg.sender);
        r = _pending(requestId);
        if (r.creator == msg.sender) revert SelfEndorsement(msg.sender);
        if (r.issuer != address(0) && r.issuer != msg.sender) revert NotAddressedIssuer(requestId, r.issuer);
    }
}
