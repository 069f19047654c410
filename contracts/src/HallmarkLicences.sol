// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {
    IHallmarkConsortium, IHallmarkCredit, IHallmarkFeeConfig, IHallmarkWorks
} from "./HallmarkInterfaces.sol";
import {HallmarkSettlement} from "./HallmarkSettlement.sol";

/// @title HallmarkLicences
/// @notice Time-limited usage licences. The holder of a token offers a licence (kind, hash of the
/// terms text, duration, fee in credit) to one member; the member accepts and pays. The fee is
/// settled like a sale: royalty splits, platform fee (the market's settings), the rest to the
/// holder. One licence is active per token at a time; `userOf`/`userExpires` follow EIP-4907. A
/// licence survives a later sale of the token (it was paid for); an offer is void once the token
/// changed hands.
contract HallmarkLicences is HallmarkSettlement, ReentrancyGuard {
    /// @notice What a licence allows.
    enum Kind {
        Exhibition,
        Commercial,
        Reproduction,
        Adaptation,
        Broadcast
    }

    /// @notice A licence offer; accepted offers become the token's active licence.
    struct Offer {
        uint256 tokenId;
        address holder;
        uint64 holderSince;
        address licensee;
        uint64 duration;
        Kind kind;
        bool accepted;
        bool revoked;
        bytes32 scopeHash;
        uint256 fee;
    }

    /// @notice The active (or last) licence of a token.
    struct ActiveLicence {
        address user;
        uint64 expires;
        uint256 offerId;
    }

    /// @notice Upper bound of a licence duration (ten years).
    uint64 public constant MAX_DURATION = 3650 days;

    /// @notice Where the platform fee settings are read.
    IHallmarkFeeConfig public immutable feeConfig;
    /// @notice Number of offers made (offer ids are 1..offerCount).
    uint256 public offerCount;

    mapping(uint256 => Offer) private _offers;
    mapping(uint256 => ActiveLicence) private _active;

    event LicenceOffered(
        uint256 indexed offerId,
        uint256 indexed tokenId,
        address indexed licensee,
        address holder,
        Kind kind,
        bytes32 scopeHash,
        uint64 duration,
        uint256 fee
    );
    event LicenceOfferRevoked(uint256 indexed offerId, uint256 indexed tokenId);
    event LicenceAccepted(
        uint256 indexed offerId, uint256 indexed tokenId, address indexed licensee, uint64 starts, uint64 expires, uint256 fee
    );
    /// @notice EIP-4907.
    event UpdateUser(uint256 indexed tokenId, address indexed user, uint64 expires);

    error NotHolder(address account, uint256 tokenId);
    error WorkFrozen(uint256 workId, uint16 reason);
    error UnknownOffer(uint256 offerId);
    error OfferNotForYou(uint256 offerId, address licensee);
    error OfferClosed(uint256 offerId);
    error OfferVoid(uint256 offerId);
    error LicenceActive(uint256 tokenId, uint64 expires);
    error InvalidDuration(uint64 duration);
    error SelfLicence();
    error FeeMismatch(uint256 fee, uint256 stated);

    constructor(
        IHallmarkConsortium consortium_,
        IHallmarkWorks works_,
        IHallmarkCredit credit_,
        IHallmarkFeeConfig feeConfig_
    ) HallmarkSettlement(consortium_, works_, credit_) {
        if (address(feeConfig_) == address(0)) revert ZeroAddress();
        feeConfig = feeConfig_;
    }

    /// @notice The holder offers a licence of `tokenId` to `licensee`.
    function offer(uint256 tokenId, address licensee, Kind kind, bytes32 scopeHash, uint64 duration, uint256 fee)
        external
        returns (uint256 offerId)
    {
        if (works.ownerOf(tokenId) != msg.sender) revert NotHolder(msg.sender, tokenId);
        if (!consortium.isMember(msg.sender)) revert NotMember(msg.sender);
        if (!consortium.isMember(licensee)) revert NotMember(licensee);
        if (licensee == msg.sender) revert SelfLicence();
        if (duration == 0 || duration > MAX_DURATION) revert InvalidDuration(duration);
        _checkNotFrozen(tokenId);
        if (fee > 0) _owed(tokenId, fee, feeConfig.platformFeeBps());
        offerId = ++offerCount;
        _offers[offerId] = Offer({
            tokenId: tokenId,
            holder: msg.sender,
            holderSince: works.acquiredAt(tokenId),
            licensee: licensee,
            duration: duration,
            kind: kind,
            accepted: false,
            revoked: false,
            scopeHash: scopeHash,
            fee: fee
        });
        emit LicenceOffered(offerId, tokenId, licensee, msg.sender, kind, scopeHash, duration, fee);
    }

    /// @notice The offering holder withdraws an offer not accepted yet.
    function revoke(uint256 offerId) external {
        Offer storage o = _offers[offerId];
        if (o.holder == address(0)) revert UnknownOffer(offerId);
        if (o.holder != msg.sender) revert NotHolder(msg.sender, o.tokenId);
        if (o.accepted || o.revoked) revert OfferClosed(offerId);
        o.revoked = true;
        emit LicenceOfferRevoked(offerId, o.tokenId);
    }

    /// @notice The licensee accepts an offer and pays its fee, which must be `fee`, the amount the
    /// licensee confirmed (reverts FeeMismatch otherwise; approve this contract for `fee` first).
    function accept(uint256 offerId, uint256 fee) external nonReentrant {
        Offer storage o = _offers[offerId];
        if (o.holder == address(0)) revert UnknownOffer(offerId);
        if (o.fee != fee) revert FeeMismatch(o.fee, fee);
        if (o.accepted || o.revoked) revert OfferClosed(offerId);
        if (o.licensee != msg.sender) revert OfferNotForYou(offerId, o.licensee);
        if (!consortium.isMember(msg.sender)) revert NotMember(msg.sender);
        uint256 tokenId = o.tokenId;
        if (works.ownerOf(tokenId) != o.holder || works.acquiredAt(tokenId) != o.holderSince) revert OfferVoid(offerId);
        if (!consortium.isMember(o.holder)) revert NotMember(o.holder);
        _checkNotFrozen(tokenId);
        ActiveLicence storage active = _active[tokenId];
        if (active.expires > block.timestamp) revert LicenceActive(tokenId, active.expires);

        uint64 starts = uint64(block.timestamp);
        uint64 expires = starts + o.duration;
        o.accepted = true;
        active.user = msg.sender;
        active.expires = expires;
        active.offerId = offerId;
        emit LicenceAccepted(offerId, tokenId, msg.sender, starts, expires, o.fee);
        emit UpdateUser(tokenId, msg.sender, expires);
        // A listing made before this licence no longer describes the token a buyer would get.
        feeConfig.voidListing(tokenId);
        if (o.fee > 0) {
            _settle(tokenId, msg.sender, o.holder, o.fee, feeConfig.platformFeeBps(), feeConfig.treasury());
        }
    }

    /// @notice An offer.
    function offerOf(uint256 offerId) external view returns (Offer memory) {
        Offer memory o = _offers[offerId];
        if (o.holder == address(0)) revert UnknownOffer(offerId);
        return o;
    }

    /// @notice EIP-4907: the current licensee, or the zero address when none is active.
    function userOf(uint256 tokenId) external view returns (address) {
        ActiveLicence storage active = _active[tokenId];
        return active.expires > block.timestamp ? active.user : address(0);
    }

    /// @notice EIP-4907: when the current licence ends (0 when none is active).
    function userExpires(uint256 tokenId) external view returns (uint256) {
        ActiveLicence storage active = _active[tokenId];
        return active.expires > block.timestamp ? active.expires : 0;
    }

    /// @notice The active licence of a token (offer id 0 when none is active).
    function activeLicence(uint256 tokenId) external view returns (ActiveLicence memory) {
        ActiveLicence memory active = _active[tokenId];
        if (active.expires <= block.timestamp) return ActiveLicence(address(0), 0, 0);
        return active;
    }

    function _checkNotFrozen(uint256 tokenId) private view {
        uint256 workId = works.workOf(tokenId);
        uint16 reason = works.frozenReason(workId);
        if (reason != 0) revert WorkFrozen(workId, reason);
    }
}
