// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title HallmarkConsortium
/// @notice Who may do what on the Hallmark chain. The council (admins) grants, suspends and
/// reinstates three roles: members (real-name verified holders), issuers (endorsed organisations
/// or artists allowed to mint) and reviewers (content review). The chain never stores personal
/// data: a grant keeps only a salted hash of the identity attestation and the attesting
/// organisation's address.
contract HallmarkConsortium {
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

    event CouncilAdded(address indexed account, address indexed by);
    event CouncilRemoved(address indexed account, address indexed by);
    event RoleGranted(
        Role indexed role, address indexed account, bytes32 attestationHash, address attestedBy, address by
    );
    event RoleSuspended(Role indexed role, address indexed account, uint16 reason, address by);
    event RoleReinstated(Role indexed role, address indexed account, address by);

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

    modifier onlyCouncil() {
        if (!isCouncil[msg.sender]) revert NotCouncil(msg.sender);
        _;
    }

    /// @param council The first council account.
    constructor(address council) {
        if (council == address(0)) revert ZeroAddress();
        isCouncil[council] = true;
        councilCount = 1;
        emit CouncilAdded(council, msg.sender);
    }

    /// @notice Adds a council account.
    function addCouncil(address account) external onlyCouncil {
        if (account == address(0)) revert ZeroAddress();
        if (isCouncil[account]) revert AlreadyCouncil(account);
        isCouncil[account] = true;
        councilCount += 1;
        emit CouncilAdded(account, msg.sender);
    }

    /// @notice Removes a council account; the last one cannot leave.
    function removeCouncil(address account) external onlyCouncil {
        if (!isCouncil[account]) revert NotCouncil(account);
        if (councilCount == 1) revert LastCouncilMember();
        isCouncil[account] = false;
        councilCount -= 1;
        emit CouncilRemoved(account, msg.sender);
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
