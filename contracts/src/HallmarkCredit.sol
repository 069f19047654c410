// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IHallmarkConsortium} from "./HallmarkInterfaces.sol";

/// @title HallmarkCredit
/// @notice The settlement credit of the Hallmark market: an ERC-20 minted by the council's governance only
/// (prices are never in the native coin or any crypto asset). It moves only between active
/// members and the system contracts (market, licences) the council designates. Two decimals, like
/// a fiat amount in cents/fen. Credit never moves member to member: a transfer between two
/// accounts is made only by a system contract (the market and the licences settle sales, fees and
/// royalties; held payouts are paid out), so a price cannot be paid beside the market and its
/// royalties and fee skipped. Issuance and redemption are the council's `mint` and the holder's
/// `burn`.
contract HallmarkCredit is ERC20 {
    /// @notice The consortium that says who is a member and who is council.
    IHallmarkConsortium public immutable consortium;
    /// @notice Contracts allowed to hold and move credit besides members (market, licences).
    mapping(address => bool) public isSystemAccount;

    event SystemAccountSet(address indexed account, bool allowed, address by);

    error NotGovernance(address account);
    error NotMember(address account);
    error ZeroAddress();
    error TransfersOnlyThroughSystem(address caller);

    constructor(IHallmarkConsortium consortium_) ERC20("Hallmark Credit", "HMC") {
        if (address(consortium_) == address(0)) revert ZeroAddress();
        consortium = consortium_;
    }

    /// @dev The consortium's governance timelock (the founding council while a deployment wires).
    modifier onlyGovernance() {
        if (!consortium.mayGovern(msg.sender)) revert NotGovernance(msg.sender);
        _;
    }

    /// @notice Two decimals: 1 credit = 100 units.
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    /// @notice Allows or disallows a system contract to hold and move credit.
    function setSystemAccount(address account, bool allowed) external onlyGovernance {
        if (account == address(0)) revert ZeroAddress();
        isSystemAccount[account] = allowed;
        emit SystemAccountSet(account, allowed, msg.sender);
    }

    /// @notice Mints credit to a member or system account (governance only: a council majority,
    /// after the time lock).
    function mint(address to, uint256 amount) external onlyGovernance {
        _mint(to, amount);
    }

    /// @notice Burns the caller's own credit (redemption off-chain).
    function burn(uint256 amount) external {
        _burn(msg.sender, amount);
    }

    /// @notice True when `account` may send and receive credit.
    function canHold(address account) public view returns (bool) {
        return isSystemAccount[account] || consortium.isMember(account);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0) && !isSystemAccount[msg.sender]) {
            revert TransfersOnlyThroughSystem(msg.sender);
        }
        if (from != address(0) && !canHold(from)) revert NotMember(from);
        if (to != address(0) && !canHold(to)) revert NotMember(to);
        super._update(from, to, value);
    }
}
