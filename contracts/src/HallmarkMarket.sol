// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IHallmarkConsortium, IHallmarkCredit, IHallmarkWorks} from "./HallmarkInterfaces.sol";
import {HallmarkSettlement} from "./HallmarkSettlement.sol";

/// @title HallmarkMarket
/// @notice The only place where works change hands: fixed-price sales in HallmarkCredit and gifts.
/// Every sale pays the work's royalty splits and the platform fee. A council-set holding period
/// must pass after a holder acquired a token before they can list, sell or gift it. A listing is
/// void once the token changed hands, once its work was frozen or its seller suspended (it does not
/// come back at its old price after an unfreeze or a reinstatement), and a licence accepted on a
/// listed token ends its listing (a buyer never pays the listed price for a token licensed after
/// they looked).
contract HallmarkMarket is HallmarkSettlement, ReentrancyGuard {
    /// @notice Upper bound of the platform fee, in basis points.
    uint16 public constant MAX_PLATFORM_FEE_BPS = 1_000;
    /// @notice Upper bound of the holding period (one year).
    uint64 public constant MAX_HOLDING_PERIOD = 365 days;
    /// @notice The suite's interface version: clients refuse a suite whose version they do not
    /// speak (2: payments state the amount the payer confirmed; credit moves only through the
    /// suite's contracts; 3: a licence accepted on a listed token ends the listing, a freeze or a
    /// suspension voids listings made before it).
    uint16 public constant SUITE_VERSION = 5;

    /// @notice A fixed-price listing.
    struct Listing {
        address seller;
        uint64 holderSince;
        uint256 price;
        uint32 workFreezes;
        uint32 sellerSuspensions;
    }

    /// @notice Platform fee on every sale and licence, in basis points of the price.
    uint16 public platformFeeBps;
    /// @notice Receiver of the platform fee.
    address public treasury;
    /// @notice Seconds a holder must keep a token after acquiring it before a resale or gift.
    uint64 public holdingPeriod;

    /// @notice The licence contract, the only caller of `voidListing` (set once by the council).
    address public licences;

    mapping(uint256 => Listing) private _listings;

    event PlatformFeeSet(uint16 feeBps, address treasury, address by);
    event HoldingPeriodSet(uint64 holdingPeriod, address by);
    event LicencesSet(address licences, address by);
    event Listed(uint256 indexed tokenId, address indexed seller, uint256 price);
    event ListingCancelled(uint256 indexed tokenId, address indexed seller);
    event Sold(
        uint256 indexed tokenId, address indexed seller, address indexed buyer, uint256 price, uint256 royalty, uint256 fee
    );
    event Gifted(uint256 indexed tokenId, address indexed from, address indexed to);

    error HoldingPeriod(uint64 until);
    error WorkFrozen(uint256 workId, uint16 reason);
    error NotListed(uint256 tokenId);
    error NotHolder(address account, uint256 tokenId);
    error InvalidPrice();
    error FeeTooHigh(uint16 feeBps, uint16 maxBps);
    error HoldingPeriodTooLong(uint64 holdingPeriod, uint64 maxPeriod);
    error SelfTrade();
    error PriceMismatch(uint256 listed, uint256 stated);
    error LicencesAlreadySet(address licences);
    error NotLicences(address caller);

    constructor(
        IHallmarkConsortium consortium_,
        IHallmarkWorks works_,
        IHallmarkCredit credit_,
        address treasury_,
        uint16 platformFeeBps_,
        uint64 holdingPeriod_
    ) HallmarkSettlement(consortium_, works_, credit_) {
        _setPlatformFee(platformFeeBps_, treasury_);
        _setHoldingPeriod(holdingPeriod_);
    }

    // ---- council settings ----

    /// @notice Sets the platform fee (capped at MAX_PLATFORM_FEE_BPS) and its treasury.
    function setPlatformFee(uint16 feeBps, address treasury_) external onlyGovernance {
        _setPlatformFee(feeBps, treasury_);
    }

    /// @notice Sets the holding period (capped at MAX_HOLDING_PERIOD).
    function setHoldingPeriod(uint64 seconds_) external onlyGovernance {
        _setHoldingPeriod(seconds_);
    }

    /// @notice Names the licence contract; once only, so no later key can point it elsewhere.
    function setLicences(address licences_) external onlyGovernance {
        if (licences != address(0)) revert LicencesAlreadySet(licences);
        licences = licences_;
        emit LicencesSet(licences_, msg.sender);
    }

    function _setPlatformFee(uint16 feeBps, address treasury_) private {
        if (treasury_ == address(0)) revert ZeroAddress();
        if (feeBps > MAX_PLATFORM_FEE_BPS) revert FeeTooHigh(feeBps, MAX_PLATFORM_FEE_BPS);
        platformFeeBps = feeBps;
        treasury = treasury_;
        emit PlatformFeeSet(feeBps, treasury_, msg.sender);
    }

    function _setHoldingPeriod(uint64 seconds_) private {
        if (seconds_ > MAX_HOLDING_PERIOD) revert HoldingPeriodTooLong(seconds_, MAX_HOLDING_PERIOD);
        holdingPeriod = seconds_;
        emit HoldingPeriodSet(seconds_, msg.sender);
    }

    // ---- trading ----

    /// @notice Lists a token the caller holds at a fixed price (in credit units).
    function list(uint256 tokenId, uint256 price) external {
        if (price == 0) revert InvalidPrice();
        _checkCanPart(msg.sender, tokenId);
        _owed(tokenId, price, platformFeeBps);
        _listings[tokenId] = Listing({
            seller: msg.sender,
            holderSince: works.acquiredAt(tokenId),
            price: price,
            workFreezes: works.freezesOf(works.workOf(tokenId)),
            sellerSuspensions: consortium.memberSuspensions(msg.sender)
        });
        emit Listed(tokenId, msg.sender, price);
    }

    /// @notice Withdraws the caller's listing.
    function cancel(uint256 tokenId) external {
        Listing storage l = _listings[tokenId];
        if (l.seller == address(0)) revert NotListed(tokenId);
        if (l.seller != msg.sender) revert NotHolder(msg.sender, tokenId);
        delete _listings[tokenId];
        emit ListingCancelled(tokenId, msg.sender);
    }

    /// @notice Buys a listed token at the price the buyer confirmed: reverts PriceMismatch unless
    /// `price` is the listing's price when the transaction runs (a seller who re-lists higher, or a
    /// buyer's stale view, cannot make the buyer pay more). Royalty splits, platform fee and the
    /// seller are paid from the buyer's credit (approve this contract for `price` first), then
    /// the token moves.
    function buy(uint256 tokenId, uint256 price) external nonReentrant {
        Listing memory l = _activeListing(tokenId);
        if (price != l.price) revert PriceMismatch(l.price, price);
        if (!consortium.isMember(msg.sender)) revert NotMember(msg.sender);
        if (msg.sender == l.seller) revert SelfTrade();
        _checkCanPart(l.seller, tokenId);
        delete _listings[tokenId];
        (uint256 royalty, uint256 fee) = _settle(tokenId, msg.sender, l.seller, l.price, platformFeeBps, treasury);
        works.marketTransfer(l.seller, msg.sender, tokenId);
        emit Sold(tokenId, l.seller, msg.sender, l.price, royalty, fee);
    }

    /// @notice Ends a token's listing because a licence was accepted on it (the licence contract
    /// only): what a buyer saw listed no longer describes what they would get.
    function voidListing(uint256 tokenId) external {
        if (msg.sender != licences) revert NotLicences(msg.sender);
        address seller = _listings[tokenId].seller;
        if (seller == address(0)) return;
        delete _listings[tokenId];
        emit ListingCancelled(tokenId, seller);
    }

    /// @notice Gives a token the caller holds to another member (no price, so no royalty).
    function gift(uint256 tokenId, address to) external nonReentrant {
        if (!consortium.isMember(to)) revert NotMember(to);
        if (to == msg.sender) revert SelfTrade();
        _checkCanPart(msg.sender, tokenId);
        delete _listings[tokenId];
        works.marketTransfer(msg.sender, to, tokenId);
        emit Gifted(tokenId, msg.sender, to);
    }

    // ---- views ----

    /// @notice When the current holder may sell or gift the token (unix seconds).
    function transferableAt(uint256 tokenId) public view returns (uint64) {
        return works.acquiredAt(tokenId) + holdingPeriod;
    }

    /// @notice The active listing of a token; reverts NotListed when none or void.
    function listingOf(uint256 tokenId) external view returns (Listing memory) {
        return _activeListing(tokenId);
    }

    function _activeListing(uint256 tokenId) private view returns (Listing memory l) {
        l = _listings[tokenId];
        if (
            l.seller == address(0) || works.ownerOf(tokenId) != l.seller
                || works.acquiredAt(tokenId) != l.holderSince
                || works.freezesOf(works.workOf(tokenId)) != l.workFreezes
                || consortium.memberSuspensions(l.seller) != l.sellerSuspensions
        ) revert NotListed(tokenId);
    }

    /// @dev The holder is an active member holding the token, the work is not frozen and the
    /// holding period has passed.
    function _checkCanPart(address holder, uint256 tokenId) private view {
        if (works.ownerOf(tokenId) != holder) revert NotHolder(holder, tokenId);
        if (!consortium.isMember(holder)) revert NotMember(holder);
        uint256 workId = works.workOf(tokenId);
        uint16 reason = works.frozenReason(workId);
        if (reason != 0) revert WorkFrozen(workId, reason);
        uint64 until = transferableAt(tokenId);
        if (block.timestamp < until) revert HoldingPeriod(until);
    }
}
