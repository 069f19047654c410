// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The consortium views the other contracts rely on.
interface IHallmarkConsortium {
    function isCouncil(address account) external view returns (bool);
    function mayGovern(address account) external view returns (bool);
    function isMember(address account) external view returns (bool);
    function isIssuer(address account) external view returns (bool);
    function isReviewer(address account) external view returns (bool);
    function memberSuspensions(address account) external view returns (uint32);
}

/// @notice One royalty payee and its share of the royalty, in basis points of the royalty.
struct Split {
    address payee;
    uint16 bps;
}

/// @notice What the market and the licence contract need from the works contract.
interface IHallmarkWorks {
    function ownerOf(uint256 tokenId) external view returns (address);
    function workOf(uint256 tokenId) external view returns (uint256);
    function acquiredAt(uint256 tokenId) external view returns (uint64);
    function frozenReason(uint256 workId) external view returns (uint16);
    function freezesOf(uint256 workId) external view returns (uint32);
    function royaltyBpsOf(uint256 workId) external view returns (uint16);
    function royaltySplits(uint256 workId) external view returns (Split[] memory);
    function marketTransfer(address from, address to, uint256 tokenId) external;
}

/// @notice What the works contract asks the review queue: who holds a content hash under review.
interface IHallmarkReviews {
    function reservedFor(bytes32 contentHash) external view returns (uint256 requestId, address issuer);
}

/// @notice What the works contract asks the endorsement queue: which creator a content hash is
/// reserved for while its endorsement is pending or approved.
interface IHallmarkEndorsements {
    function reservedFor(bytes32 contentHash) external view returns (uint256 requestId, address creator);
}

/// @notice The settlement credit (an ERC-20 restricted to members and system contracts).
interface IHallmarkCredit {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
    function canHold(address account) external view returns (bool);
}

/// @notice What the licence contract uses of the market: the platform fee settings, and ending
/// a listing when a licence is accepted on its token.
interface IHallmarkFeeConfig {
    function platformFeeBps() external view returns (uint16);
    function treasury() external view returns (address);
    function voidListing(uint256 tokenId) external;
}
