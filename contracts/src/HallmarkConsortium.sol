// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

/// @title HallmarkConsortium
/// @notice Who may do what on the Hallmark chain. Any council member grants, suspends and
/// reinstates three roles: members (real-name verified holders), issuers (endorsed organisations
/// or artists allowed to mint) and reviewers (content review). The chain never stores personal
/// data: a grant keeps only a salted hash of the identity attestation and the attesting
/// organisation's address.
///
/// The dangerous powers (council membership here; credit issuance, system accounts, the market
/// address and the market's policy elsewhere) belong to `governance`: the consortium's
/// TimelockController, which runs only what a majority of the council approved through the
/// HallmarkCouncil governor, after its delay. Council seats are the governor's votes: one seat,
/// one vote, checkpointed per block by OpenZeppelin's `Votes`, never delegable. Until
/// `governance` is set (once, at the end of a deployment) the founding council wires the suite.
contract HallmarkConsortium is Votes {
    /// @notice The roles the council grants.
    enum Role {
        Member,
        Issuer,
        Reviewer
    }

    /// @notice One role grant of one account.
    struct Grant {
        bytes32 attestationHash;
        address attestedBy;
        uint64 grantedAt;
        uint16 suspendedReason;
        bool granted;
        bool suspended;
    }

    mapping(Role => mapping(address => Grant)) private _grants;
    /// @notice How many times a member was suspended: the market voids listings made before a
    /// suspension, so they do not come back at their old price on reinstatement.
    mapping(address => uint32) public memberSuspensions;
    /// @notice Council membership.
    mapping(address => bool) public isCouncil;
    /// @notice Number of council accounts (never drops to zero).
    uint256 public councilCount;
    /// @notice The TimelockController that holds the dangerous powers (zero until the deployment
    /// hands them over; set once).
    address public governance;

    event CouncilAdded(address indexed account, address indexed by);
    event CouncilRemoved(address indexed account, address indexed by);
    event RoleGranted(
        Role indexed role, address indexed account, bytes32 attestationHash, address attestedBy, address by
    );
    event RoleSuspended(Role indexed role, address indexed account, uint16 reason, address by);
    event RoleReinstated(Role indexed role, address indexed account, address by);
    event GovernanceSet(address indexed governance, address by);

    error NotCouncil(address account);
    error ZeroAddress();
    error MissingAttestation();
    error AlreadyGranted(Role role, address account);
    error NotGranted(Role role, address account);
    error AlreadySuspended(Role role, address account);
    error NotSuspended(Role role, address account);
    error AlreadyCouncil(address account);
    error LastCouncilMember();
    error MissingReason();
    error NotGovernance(address account);
    error GovernanceAlreadySet(address governance);
    error SeatsAreNotDelegable();

    modifier onlyCouncil() {
        if (!isCouncil[msg.sender]) revert NotCouncil(msg.sender);
        _;
    }

    modifier onlyGovernance() {
        if (!mayGovern(msg.sender)) revert NotGovernance(msg.sender);
        _;
    }

    /// @param council The first council account.
    constructor(address council) EIP712("HallmarkConsortium", "1") {
        if (council == address(0)) revert ZeroAddress();
        _seat(council);
        emit CouncilAdded(council, msg.sender);
    }

    /// @notice True when `account` may use the dangerous powers: the governance timelock, or,
    /// before the deployment handed them over, any council member.
    function mayGovern(address account) public view returns (bool) {
        address g = governance;
        return g == address(0) ? isCouncil[account] : account == g;
    }

    /// @notice Hands the dangerous powers to `governance_` (the consortium's timelock), once.
    function setGovernance(address governance_) external onlyCouncil {
        if (governance_ == address(0)) revert ZeroAddress();
        if (governance != address(0)) revert GovernanceAlreadySet(governance);
        governance = governance_;
        emit GovernanceSet(governance_, msg.sender);
    }

    /// @notice Adds a council account (governance only).
    function addCouncil(address account) external onlyGovernance {
        if (account == address(0)) revert ZeroAddress();
        if (isCouncil[account]) revert AlreadyCouncil(account);
        _seat(account);
        emit CouncilAdded(account, msg.sender);
    }

    /// @notice Removes a council account (governance only); the last one cannot leave.
    function removeCouncil(address account) external onlyGovernance {
        if (!isCouncil[account]) revert NotCouncil(account);
        if (councilCount == 1) revert LastCouncilMember();
        _transferVotingUnits(account, address(0), 1);
        isCouncil[account] = false;
        councilCount -= 1;
        emit CouncilRemoved(account, msg.sender);
    }

    /// @notice Seats vote only for their holder.
    function delegate(address) public pure override {
        revert SeatsAreNotDelegable();
    }

    /// @notice Seats vote only for their holder.
    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) public pure override {
        revert SeatsAreNotDelegable();
    }

    /// @dev Gives `account` a seat: it votes for itself, and the seat is checkpointed.
    function _seat(address account) private {
        _delegate(account, account);
        isCouncil[account] = true;
        councilCount += 1;
        _transferVotingUnits(address(0), account, 1);
    }

    /// @dev One vote per seat.
    function _getVotingUnits(address account) internal view override returns (uint256) {
        return isCouncil[account] ? 1 : 0;
    }

    /// @notice Grants `role` to `account` after an off-chain real-name check.
    /// @param attestationHash Salted hash of the identity attestation (never the data itself).
    /// @param attestedBy The organisation that checked the identity.
    function grant(Role role, address account, bytes32 attestationHash, address attestedBy)
        external
        onlyCouncil
    {
        if (account == address(0) || attestedBy == address(0)) revert ZeroAddress();
        if (attestationHash == bytes32(0)) revert MissingAttestation();
        Grant storage g = _grants[role][account];
        if (g.granted) revert AlreadyGranted(role, account);
        g.attestationHash = attestationHash;
        g.attestedBy = attestedBy;
        g.grantedAt = uint64(block.timestamp);
        g.granted = true;
        emit RoleGranted(role, account, attestationHash, attestedBy, msg.sender);
    }

    /// @notice Suspends a grant; a suspended account fails `isMember`/`isIssuer`/`isReviewer`.
    /// @param reason A non-zero reason code (the catalogue lives off-chain).
    function suspend(Role role, address account, uint16 reason) external onlyCouncil {
        if (reason == 0) revert MissingReason();
        Grant storage g = _grants[role][account];
        if (!g.granted) revert NotGranted(role, account);
        if (g.suspended) revert AlreadySuspended(role, account);
        g.suspended = true;
        g.suspendedReason = reason;
        if (role == Role.Member) memberSuspensions[account] += 1;
        emit RoleSuspended(role, account, reason, msg.sender);
    }

    /// @notice Lifts a suspension.
    function reinstate(Role role, address account) external onlyCouncil {
        Grant storage g = _grants[role][account];
        if (!g.granted) revert NotGranted(role, account);
        if (!g.suspended) revert NotSuspended(role, account);
        g.suspended = false;
        g.suspendedReason = 0;
        emit RoleReinstated(role, account, msg.sender);
    }

    /// @notice The grant record of `account` for `role` (all zero when never granted).
    function grantOf(Role role, address account) external view returns (Grant memory) {
        return _grants[role][account];
    }

    /// @notice True when `account` holds `role` and is not suspended.
    function hasRole(Role role, address account) public view returns (bool) {
        Grant storage g = _grants[role][account];
        return g.granted && !g.suspended;
    }

    /// @notice True for an active (granted, not suspended) member.
    function isMember(address account) external view returns (bool) {
        return hasRole(Role.Member, account);
    }

    /// @notice True for an active issuer.
    function isIssuer(address account) external view returns (bool) {
        return hasRole(Role.Issuer, account);
    }

    /// @notice True for an active reviewer.
    function isReviewer(address account) external view returns (bool) {
        return hasRole(Role.Reviewer, account);
    }
}
